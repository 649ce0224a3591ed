//! Test externalities built from the runtime's own `development` preset, exactly as the
//! node builds its genesis state, and the block, price and amount helpers the runtime tests
//! share.

// Every test binary compiles this module and uses part of it.
#![allow(dead_code)]

use backstop_runtime::{
    genesis_config_presets::{self, whole, ETH},
    AccountId, Oracle, RuntimeGenesisConfig, RuntimeOrigin, System, Timestamp,
};
use frame_support::assert_ok;
use frame_support::{
    genesis_builder_helper::build_state,
    traits::{OnFinalize, OnInitialize},
};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{BoundedVec, FixedU128};

/// Genesis of the `development` preset, built the way the node builds it: the preset is a
/// JSON patch merged over the runtime's default genesis config.
pub fn dev_ext() -> sp_io::TestExternalities {
    preset_ext(sp_genesis_builder::DEV_RUNTIME_PRESET)
}

/// Genesis of the runtime's preset `name`, built the way the node builds it.
pub fn preset_ext(name: &str) -> sp_io::TestExternalities {
    let preset = genesis_config_presets::get_preset(&name.into()).expect("the preset exists");
    let patch: serde_json::Value = serde_json::from_slice(&preset).expect("preset is JSON");
    let mut config =
        serde_json::to_value(RuntimeGenesisConfig::default()).expect("default config is JSON");
    merge(&mut config, patch);
    let mut ext = sp_io::TestExternalities::new_empty();
    ext.execute_with(|| {
        build_state::<RuntimeGenesisConfig>(config.to_string().into_bytes())
            .expect("the preset builds")
    });
    ext
}

/// Merges `patch` into `base`: objects key by key, anything else replaced.
fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
    match (base, patch) {
        (serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
            for (key, value) in patch {
                merge(base.entry(key).or_insert(serde_json::Value::Null), value);
            }
        }
        (base, patch) => *base = patch,
    }
}

/// The dev account of a well-known key.
pub fn account(key: Sr25519Keyring) -> AccountId {
    key.to_account_id()
}

/// Runs the hooks of block `n` with the timestamp `now_ms`, as block production would.
pub fn run_block(n: u32, now_ms: u64) {
    System::set_block_number(n);
    <backstop_runtime::AllPalletsWithSystem as OnInitialize<u32>>::on_initialize(n);
    Timestamp::set_timestamp(now_ms);
    <backstop_runtime::AllPalletsWithSystem as OnFinalize<u32>>::on_finalize(n);
}

/// The tests' first timestamp, Unix ms, and the block interval, ms.
pub const T0: u64 = 1_800_000_000_000;
pub const BLOCK_MS: u64 = 6_000;

/// `n` whole USD (18 decimals), in smallest units.
pub fn usd(n: u128) -> u128 {
    n * whole(18)
}

/// Alice, an oracle feeder, feeds ETH at `price` USD.
pub fn feed_eth(price: u32) {
    assert_ok!(Oracle::feed_values(
        RuntimeOrigin::signed(account(Sr25519Keyring::Alice)),
        BoundedVec::truncate_from(vec![(ETH, FixedU128::from_u32(price))]),
    ));
}

/// Runs blocks `from..=to` with `BLOCK_MS` timestamps from `T0`, feeding ETH at `price` every
/// `every` blocks so prices stay fresh.
pub fn run_blocks(from: u32, to: u32, price: u32, every: u32) {
    for n in from..=to {
        run_block(n, T0 + u64::from(n) * BLOCK_MS);
        if n % every == 0 {
            feed_eth(price);
        }
    }
}
