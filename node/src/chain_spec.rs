//! Chain specifications: the `dev` chain is built from the runtime's `development` preset,
//! the `production` chain (`--chain production`) from its `production` preset: no `sudo`,
//! governance only (OpenGov with the production track periods; runtime upgrades through the
//! root track).

use backstop_runtime::{genesis_config_presets::PRODUCTION_RUNTIME_PRESET, WASM_BINARY};
use sc_service::ChainType;

/// The chain specification of this node (no extensions).
pub type ChainSpec = sc_service::GenericChainSpec;

fn wasm() -> Result<&'static [u8], String> {
    WASM_BINARY
        .ok_or_else(|| "the wasm runtime was not built (was SKIP_WASM_BUILD set?)".to_string())
}

fn properties() -> sc_chain_spec::Properties {
    let mut properties = sc_chain_spec::Properties::new();
    properties.insert("tokenSymbol".into(), "BKS".into());
    properties.insert("tokenDecimals".into(), 12.into());
    properties.insert("ss58Format".into(), 42.into());
    properties
}

/// The dev chain: the `development` genesis preset on the compiled wasm runtime.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
    Ok(ChainSpec::builder(wasm()?, None)
        .with_name("Backstop Development")
        .with_id("backstop_dev")
        .with_chain_type(ChainType::Development)
        .with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
        .with_properties(properties())
        .build())
}

/// A production-style chain: the `production` genesis preset (no `sudo` key, production
/// track periods, the pallets' default parameters) on the compiled wasm runtime.
pub fn production_chain_spec() -> Result<ChainSpec, String> {
    Ok(ChainSpec::builder(wasm()?, None)
        .with_name("Backstop")
        .with_id("backstop")
        .with_chain_type(ChainType::Live)
        .with_genesis_config_preset_name(PRODUCTION_RUNTIME_PRESET)
        .with_properties(properties())
        .build())
}
