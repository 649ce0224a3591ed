//! The pallets `benchmark pallet` can measure in this runtime. `benchmarking/weights.sh`
//! regenerates every pallet's `weights.rs` from this list.

use crate::*;
use alloc::{string::String, vec::Vec};
use frame_benchmarking::{BenchmarkBatch, BenchmarkConfig, BenchmarkList};

frame_benchmarking::define_benchmarks!(
    [pallet_balances, Balances]
    [pallet_lending, Lending]
    [pallet_backstop, Backstop]
    [pallet_avatar, Avatar]
    [pallet_timestamp, Timestamp]
    // Baselines: the chain's own token transfer and DEX swap, measured in the same run as our
    // pallets so the report compares them as ratios.
    [pallet_assets, Assets]
    [pallet_asset_conversion, AssetConversion]
);

/// Lists the benchmarks of every pallet above.
pub fn list(list: &mut Vec<BenchmarkList>, extra: bool) {
    list_benchmarks!(list, extra);
}

/// Runs the benchmarks `config` selects.
pub fn dispatch(config: &BenchmarkConfig) -> Result<Vec<BenchmarkBatch>, String> {
    use frame_support::traits::WhitelistedStorageKeys;

    let whitelist = AllPalletsWithSystem::whitelisted_storage_keys();
    let mut batches = Vec::<BenchmarkBatch>::new();
    let params = (config, &whitelist);
    add_benchmarks!(params, batches);
    Ok(batches)
}
