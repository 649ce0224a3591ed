//! # Backstop runtime
//!
//! The runtime of the Backstop dev chain: a FRAME solochain with
//!
//! - the native fee token (`pallet-balances`, 12 decimals) and transaction payment,
//! - `pallet-sudo` as the dev chain's governance origin (root),
//! - `pallet-assets` for the stable asset (`USD`) and the collateral assets (`ETH`, `BTC`),
//! - `pallet-oracle` for their prices, fed by the members of `OracleFeeders`
//!   (`pallet-membership`), with [`oracle_genesis`] seeding the initial prices,
//! - `pallet-asset-conversion` as the on-chain DEX the backstop pool rebalances through,
//! - `pallet-lending`, the isolated-market money market being backstopped, and
//!   `pallet-backstop`, the backstop pool that liquidates it and sells the collateral back,
//! - `pallet-revive` with `AllowEVMBytecode`, so EVM bytecode deploys and runs.
//!
//! Layout: [`configs`] holds one file per group of pallets, [`apis`] the runtime APIs and
//! [`genesis_config_presets`] the `development` preset. Integration tests live in
//! `runtime/tests/` (genesis, EVM).

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime` with pallet-revive expands deeply.
#![recursion_limit = "1024"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

// The FRAME macros below expect `vec!` and `Vec` in scope (also in no_std).
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
pub mod oracle_genesis;
pub mod parameters;

use alloc::borrow::Cow;
use frame_support::weights::Weight;
use sp_runtime::{
    generic,
    traits::{BlakeTwo256, IdentifyAccount, Verify},
    MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use backstop_primitives::{AssetId, Balance};

/// Block number.
pub type BlockNumber = u32;
/// Signature of a transaction: sr25519, ed25519 or ecdsa.
pub type Signature = MultiSignature;
/// An account: the 32-byte public key (or its hash) behind a [`Signature`].
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Transaction index of an account.
pub type Nonce = u32;
/// Hash of a block or a trie node.
pub type Hash = sp_core::H256;
/// Block header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// How transactions name an account.
pub type Address = MultiAddress<AccountId, ()>;
/// A block of this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// Block id.
pub type BlockId = generic::BlockId<Block>;

/// One unit of the native token (12 decimals).
pub const UNIT: Balance = 1_000_000_000_000;
/// A thousandth of a [`UNIT`].
pub const MILLI_UNIT: Balance = UNIT / 1_000;
/// A millionth of a [`UNIT`].
pub const MICRO_UNIT: Balance = UNIT / 1_000_000;
/// Smallest balance an account of the native token may hold.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// Milliseconds per second; the unit of `pallet-timestamp`.
pub const MILLISECS_PER_SECOND: u64 = 1_000;

/// The transaction extensions, in the order they run.
///
/// `AuthorizeCall` comes first so that calls with a `#[pallet::authorize]` (the offchain
/// workers' transactions) are authorized before any signed-origin check.
pub type TxExtension = (
    frame_system::AuthorizeCall<Runtime>,
    frame_system::CheckNonZeroSender<Runtime>,
    frame_system::CheckSpecVersion<Runtime>,
    frame_system::CheckTxVersion<Runtime>,
    frame_system::CheckGenesis<Runtime>,
    frame_system::CheckEra<Runtime>,
    frame_system::CheckNonce<Runtime>,
    frame_system::CheckWeight<Runtime>,
    pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
    // After every extension that relies on a signed origin.
    pallet_revive::evm::tx_extension::SetOrigin<Runtime>,
    // Last, to see the refunds of all the others.
    frame_system::WeightReclaim<Runtime>,
);

/// The extensions pallet-revive applies to Ethereum transactions (`eth_transact`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct EthExtraImpl;

impl pallet_revive::evm::runtime::EthExtra for EthExtraImpl {
    type Config = Runtime;
    type ExtensionV0 = TxExtension;
    type ExtensionOtherVersions = sp_runtime::traits::InvalidVersion;

    fn get_eth_extension(nonce: u32, tip: Balance) -> Self::ExtensionV0 {
        (
            frame_system::AuthorizeCall::<Runtime>::new(),
            frame_system::CheckNonZeroSender::<Runtime>::new(),
            frame_system::CheckSpecVersion::<Runtime>::new(),
            frame_system::CheckTxVersion::<Runtime>::new(),
            frame_system::CheckGenesis::<Runtime>::new(),
            frame_system::CheckMortality::from(generic::Era::Immortal),
            frame_system::CheckNonce::<Runtime>::from(nonce),
            frame_system::CheckWeight::<Runtime>::new(),
            pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(tip),
            pallet_revive::evm::tx_extension::SetOrigin::<Runtime>::new_from_eth_transaction(),
            frame_system::WeightReclaim::<Runtime>::new(),
        )
    }
}

/// An extrinsic as it arrives: Substrate-signed, general (authorized) or an Ethereum
/// transaction wrapped by pallet-revive.
pub type UncheckedExtrinsic =
    pallet_revive::evm::runtime::UncheckedExtrinsic<Address, Signature, EthExtraImpl>;

/// The payload a Substrate signer signs.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Dispatches blocks and transactions to the pallets.
pub type Executive = frame_executive::Executive<
    Runtime,
    Block,
    frame_system::ChainContext<Runtime>,
    Runtime,
    AllPalletsWithSystem,
>;

/// Opaque types the node uses without knowing the runtime's extrinsic format.
pub mod opaque {
    use super::*;
    pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;
    /// Opaque block.
    pub type Block = generic::Block<Header, UncheckedExtrinsic>;
}

/// The runtime version.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
    spec_name: Cow::Borrowed("backstop"),
    impl_name: Cow::Borrowed("backstop"),
    authoring_version: 1,
    spec_version: 1,
    impl_version: 1,
    apis: apis::RUNTIME_API_VERSIONS,
    transaction_version: 1,
    system_version: 1,
};

#[frame_support::runtime]
mod runtime {
    /// The runtime.
    #[runtime::runtime]
    #[runtime::derive(
        RuntimeCall,
        RuntimeEvent,
        RuntimeError,
        RuntimeOrigin,
        RuntimeFreezeReason,
        RuntimeHoldReason,
        RuntimeSlashReason,
        RuntimeLockId,
        RuntimeTask,
        RuntimeViewFunction
    )]
    pub struct Runtime;

    #[runtime::pallet_index(0)]
    pub type System = frame_system;
    #[runtime::pallet_index(1)]
    pub type Timestamp = pallet_timestamp;
    #[runtime::pallet_index(2)]
    pub type Balances = pallet_balances;
    #[runtime::pallet_index(3)]
    pub type TransactionPayment = pallet_transaction_payment;
    #[runtime::pallet_index(4)]
    pub type Sudo = pallet_sudo;
    #[runtime::pallet_index(5)]
    pub type RandomnessCollectiveFlip = pallet_insecure_randomness_collective_flip;

    // Assets, prices and the DEX.
    #[runtime::pallet_index(10)]
    pub type Assets = pallet_assets<Instance1>;
    #[runtime::pallet_index(11)]
    pub type PoolAssets = pallet_assets<Instance2>;
    #[runtime::pallet_index(12)]
    pub type AssetConversion = pallet_asset_conversion;
    #[runtime::pallet_index(13)]
    pub type OracleFeeders = pallet_membership;
    #[runtime::pallet_index(14)]
    pub type Oracle = pallet_oracle;
    #[runtime::pallet_index(15)]
    pub type OracleGenesis = oracle_genesis;
    #[runtime::pallet_index(16)]
    pub type PriceFeeder = pallet_price_feeder;

    // The money market and its backstop.
    #[runtime::pallet_index(20)]
    pub type Lending = pallet_lending;
    #[runtime::pallet_index(21)]
    pub type Backstop = pallet_backstop;
    #[runtime::pallet_index(22)]
    pub type Avatar = pallet_avatar;

    // EVM.
    #[runtime::pallet_index(30)]
    pub type Revive = pallet_revive;

    // Governance: referenda on Backstop's tracks, and the emergency pause.
    #[runtime::pallet_index(40)]
    pub type Scheduler = pallet_scheduler;
    #[runtime::pallet_index(41)]
    pub type Preimage = pallet_preimage;
    #[runtime::pallet_index(42)]
    pub type Referenda = pallet_referenda;
    #[runtime::pallet_index(43)]
    pub type ConvictionVoting = pallet_conviction_voting;
    #[runtime::pallet_index(44)]
    pub type Origins = configs::governance::origins;
    #[runtime::pallet_index(45)]
    pub type TxPause = pallet_tx_pause;
}

/// Maximum weight of a block: 2 s of compute (the dev chain's blocks are produced on demand
/// or every few seconds) and a 5 MiB proof.
pub const MAXIMUM_BLOCK_WEIGHT: Weight = Weight::from_parts(
    frame_support::weights::constants::WEIGHT_REF_TIME_PER_SECOND.saturating_mul(2),
    5 * 1024 * 1024,
);
