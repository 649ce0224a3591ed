//! Test externalities built from the runtime's own `development` preset, exactly as the
//! node builds its genesis state.

use backstop_runtime::{
    genesis_config_presets, AccountId, RuntimeGenesisConfig, System, Timestamp,
};
use frame_support::{
    genesis_builder_helper::build_state,
    traits::{OnFinalize, OnInitialize},
};
use sp_keyring::Sr25519Keyring;

/// Genesis of the `development` preset.
pub fn dev_ext() -> sp_io::TestExternalities {
    let preset = genesis_config_presets::get_preset(&sp_genesis_builder::DEV_RUNTIME_PRESET.into())
        .expect("the development preset exists");
    let mut ext = sp_io::TestExternalities::new_empty();
    ext.execute_with(|| {
        build_state::<RuntimeGenesisConfig>(preset).expect("the development preset builds")
    });
    ext
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
