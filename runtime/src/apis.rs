//! The runtime APIs: what the node, wallets, the Ethereum RPC proxy (pallet-revive), the
//! benchmarking CLI and the DEX/oracle clients call.

// `impl_runtime_apis_plus_revive_traits!` names these types unqualified.
use crate::{
    AccountId, AllPalletsWithSystem, AssetConversion, AssetId, Backstop, Balance, Block,
    BlockNumber, Executive, Header, InherentDataExt, Nonce, Oracle, Runtime, RuntimeCall,
    RuntimeGenesisConfig, System, TransactionPayment, VERSION,
};
use alloc::{vec, vec::Vec};
use frame_support::{
    genesis_builder_helper::{build_state, get_preset},
    traits::fungible::NativeOrWithId,
    weights::Weight,
};
use pallet_oracle::{DataProviderExtended, TimestampedValue};
use pallet_transaction_payment::{FeeDetails, RuntimeDispatchInfo};
use sp_api::impl_runtime_apis;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_inherents::{CheckInherentsResult, InherentData};
use sp_runtime::{
    traits::Block as BlockT,
    transaction_validity::{TransactionSource, TransactionValidity},
    ApplyExtrinsicResult, DispatchError, ExtrinsicInclusionMode, FixedU128,
};
use sp_version::RuntimeVersion;

/// The id under which pallet-oracle answers `OracleApi` (this runtime has one oracle).
pub const ORACLE_PROVIDER_ID: u8 = 0;

/// A price as pallet-oracle stores it: US dollars per *whole* unit of the asset, and the
/// time (ms) it was fed.
pub type FedPrice = TimestampedValue<FixedU128, u64>;

pallet_revive::impl_runtime_apis_plus_revive_traits!(
    Runtime,
    Revive,
    Executive,
    crate::EthExtraImpl,

    impl sp_api::Core<Block> for Runtime {
        fn version() -> RuntimeVersion {
            VERSION
        }

        fn execute_block(block: <Block as BlockT>::LazyBlock) {
            Executive::execute_block(block)
        }

        fn initialize_block(header: &Header) -> ExtrinsicInclusionMode {
            Executive::initialize_block(header)
        }
    }

    impl sp_api::Metadata<Block> for Runtime {
        fn metadata() -> OpaqueMetadata {
            OpaqueMetadata::new(Runtime::metadata().into())
        }

        fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
            Runtime::metadata_at_version(version)
        }

        fn metadata_versions() -> Vec<u32> {
            Runtime::metadata_versions()
        }
    }

    impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
        fn execute_view_function(
            id: frame_support::view_functions::ViewFunctionId,
            input: Vec<u8>,
        ) -> Result<Vec<u8>, frame_support::view_functions::ViewFunctionDispatchError> {
            Runtime::execute_view_function(id, input)
        }
    }

    impl sp_block_builder::BlockBuilder<Block> for Runtime {
        fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
            Executive::apply_extrinsic(extrinsic)
        }

        fn finalize_block() -> <Block as BlockT>::Header {
            Executive::finalize_block()
        }

        fn inherent_extrinsics(data: InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
            data.create_extrinsics()
        }

        fn check_inherents(
            block: <Block as BlockT>::LazyBlock,
            data: InherentData,
        ) -> CheckInherentsResult {
            data.check_extrinsics(&block)
        }
    }

    impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
        fn validate_transaction(
            source: TransactionSource,
            tx: <Block as BlockT>::Extrinsic,
            block_hash: <Block as BlockT>::Hash,
        ) -> TransactionValidity {
            Executive::validate_transaction(source, tx, block_hash)
        }
    }

    impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
        fn offchain_worker(header: &<Block as BlockT>::Header) {
            Executive::offchain_worker(header)
        }
    }

    impl sp_session::SessionKeys<Block> for Runtime {
        fn generate_session_keys(
            _owner: Vec<u8>,
            _seed: Option<Vec<u8>>,
        ) -> sp_session::OpaqueGeneratedSessionKeys {
            // Manual seal: this chain has no session keys.
            Default::default()
        }

        fn decode_session_keys(_encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
            None
        }
    }

    impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
        fn account_nonce(account: AccountId) -> Nonce {
            System::account_nonce(account)
        }
    }

    impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance>
        for Runtime
    {
        fn query_info(
            uxt: <Block as BlockT>::Extrinsic,
            len: u32,
        ) -> RuntimeDispatchInfo<Balance> {
            TransactionPayment::query_info(uxt, len)
        }
        fn query_fee_details(uxt: <Block as BlockT>::Extrinsic, len: u32) -> FeeDetails<Balance> {
            TransactionPayment::query_fee_details(uxt, len)
        }
        fn query_weight_to_fee(weight: Weight) -> Balance {
            TransactionPayment::weight_to_fee(weight)
        }
        fn query_length_to_fee(length: u32) -> Balance {
            TransactionPayment::length_to_fee(length)
        }
    }

    impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
        for Runtime
    {
        fn query_call_info(call: RuntimeCall, len: u32) -> RuntimeDispatchInfo<Balance> {
            TransactionPayment::query_call_info(call, len)
        }
        fn query_call_fee_details(call: RuntimeCall, len: u32) -> FeeDetails<Balance> {
            TransactionPayment::query_call_fee_details(call, len)
        }
        fn query_weight_to_fee(weight: Weight) -> Balance {
            TransactionPayment::weight_to_fee(weight)
        }
        fn query_length_to_fee(length: u32) -> Balance {
            TransactionPayment::length_to_fee(length)
        }
    }

    impl pallet_asset_conversion::AssetConversionApi<Block, Balance, NativeOrWithId<AssetId>>
        for Runtime
    {
        fn quote_price_exact_tokens_for_tokens(
            asset1: NativeOrWithId<AssetId>,
            asset2: NativeOrWithId<AssetId>,
            amount: Balance,
            include_fee: bool,
        ) -> Option<Balance> {
            AssetConversion::quote_price_exact_tokens_for_tokens(asset1, asset2, amount, include_fee)
        }

        fn quote_price_tokens_for_exact_tokens(
            asset1: NativeOrWithId<AssetId>,
            asset2: NativeOrWithId<AssetId>,
            amount: Balance,
            include_fee: bool,
        ) -> Option<Balance> {
            AssetConversion::quote_price_tokens_for_exact_tokens(asset1, asset2, amount, include_fee)
        }

        fn get_reserves(
            asset1: NativeOrWithId<AssetId>,
            asset2: NativeOrWithId<AssetId>,
        ) -> Option<(Balance, Balance)> {
            AssetConversion::get_reserves(asset1, asset2).ok()
        }
    }

    impl pallet_oracle_runtime_api::OracleApi<Block, u8, AssetId, FedPrice> for Runtime {
        fn get_value(provider_id: u8, key: AssetId) -> Option<FedPrice> {
            (provider_id == ORACLE_PROVIDER_ID).then(|| Oracle::get(&key)).flatten()
        }

        fn get_all_values(provider_id: u8) -> Vec<(AssetId, Option<FedPrice>)> {
            if provider_id != ORACLE_PROVIDER_ID {
                return Vec::new();
            }
            <Oracle as DataProviderExtended<AssetId, FedPrice>>::get_all_values().collect()
        }
    }

    impl pallet_backstop::runtime_api::BackstopApi<Block, AccountId> for Runtime {
        fn pool_value() -> Result<Balance, DispatchError> {
            Backstop::pool_value()
        }

        fn share_price() -> Result<FixedU128, DispatchError> {
            Backstop::share_price()
        }

        fn quote_swap(asset: AssetId, stable_in: Balance) -> Result<(Balance, Balance), DispatchError> {
            Backstop::quote_swap(asset, stable_in).map(|quote| (quote.out, quote.fee))
        }

        fn shares_of(who: AccountId) -> backstop_primitives::Shares {
            Backstop::shares_of(&who)
        }

        fn value_of(who: AccountId) -> Result<Balance, DispatchError> {
            Backstop::value_of(&who)
        }
    }

    impl pallet_backstop::runtime_api::FranchiseApi<Block, AccountId, BlockNumber> for Runtime {
        fn current_franchise() -> pallet_backstop::FranchiseView<AccountId, BlockNumber> {
            Backstop::current_franchise()
        }

        fn next_franchise() -> pallet_backstop::AuctionView<AccountId, BlockNumber> {
            Backstop::next_franchise()
        }

        fn assigned(
            market: backstop_primitives::MarketId,
            position: AccountId,
        ) -> backstop_primitives::Assignment<AccountId, BlockNumber> {
            Backstop::assignment(market, &position)
        }

        fn score_of(who: AccountId) -> u128 {
            Backstop::score_of(&who)
        }

        fn claimable(who: AccountId) -> Balance {
            Backstop::claimable(&who)
        }
    }

    impl crate::parameters::ParametersApi<Block> for Runtime {
        fn parameters() -> crate::parameters::Parameters {
            crate::parameters::current()
        }
    }

    impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
        fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
            build_state::<RuntimeGenesisConfig>(config)
        }

        fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
            get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
        }

        fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
            crate::genesis_config_presets::preset_names()
        }
    }

    #[cfg(feature = "runtime-benchmarks")]
    impl frame_benchmarking::Benchmark<Block> for Runtime {
        fn benchmark_metadata(extra: bool) -> (
            Vec<frame_benchmarking::BenchmarkList>,
            Vec<frame_support::traits::StorageInfo>,
        ) {
            use frame_benchmarking::BenchmarkList;
            use frame_support::traits::StorageInfoTrait;

            let mut list = Vec::<BenchmarkList>::new();
            crate::benchmarks::list(&mut list, extra);
            (list, AllPalletsWithSystem::storage_info())
        }

        fn dispatch_benchmark(
            config: frame_benchmarking::BenchmarkConfig,
        ) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
            crate::benchmarks::dispatch(&config)
        }
    }

    #[cfg(feature = "try-runtime")]
    impl frame_try_runtime::TryRuntime<Block> for Runtime {
        fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
            let weight = Executive::try_runtime_upgrade(checks)
                .expect("try-runtime: runtime upgrade failed");
            (weight, crate::configs::RuntimeBlockWeights::get().max_block)
        }

        fn execute_block(
            block: <Block as BlockT>::LazyBlock,
            state_root_check: bool,
            signature_check: bool,
            select: frame_try_runtime::TryStateSelect,
        ) -> Weight {
            Executive::try_execute_block(block, state_root_check, signature_check, select)
                .expect("try-runtime: block execution failed")
        }
    }
);
