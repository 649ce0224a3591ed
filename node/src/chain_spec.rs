//! Chain specifications: the `dev` chain is built from the runtime's `development` preset.

use backstop_runtime::WASM_BINARY;
use sc_service::ChainType;

/// The chain specification of this node (no extensions).
pub type ChainSpec = sc_service::GenericChainSpec;

/// The dev chain: the `development` genesis preset on the compiled wasm runtime.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
    let wasm = WASM_BINARY
        .ok_or_else(|| "the wasm runtime was not built (was SKIP_WASM_BUILD set?)".to_string())?;
    let mut properties = sc_chain_spec::Properties::new();
    properties.insert("tokenSymbol".into(), "BKS".into());
    properties.insert("tokenDecimals".into(), 12.into());
    properties.insert("ss58Format".into(), 42.into());

    Ok(ChainSpec::builder(wasm, None)
        .with_name("Backstop Development")
        .with_id("backstop_dev")
        .with_chain_type(ChainType::Development)
        .with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
        .with_properties(properties)
        .build())
}
