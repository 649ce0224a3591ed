//! Pallet configurations, one file per group: the system pallets here, then [`assets`]
//! (tokens, oracle, DEX), [`defi`] (lending market and backstop pool), [`prices`] (the pallets' price source), [`revive`] (EVM),
//! [`offchain`] (transactions built by offchain workers) and [`governance`] (referenda on
//! Backstop's tracks, the emergency pause).

pub mod assets;
pub mod defi;
pub mod governance;
pub mod offchain;
pub mod prices;
pub mod revive;

use crate::{
    AccountId, Balance, Balances, Block, BlockNumber, Hash, Nonce, PalletInfo, Runtime,
    RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin, RuntimeTask,
    System, EXISTENTIAL_DEPOSIT, MAXIMUM_BLOCK_WEIGHT, MICRO_UNIT, MILLISECS_PER_SECOND, VERSION,
};
use frame_support::{
    derive_impl,
    dispatch::DispatchClass,
    parameter_types,
    traits::{ConstU32, ConstU64, ConstU8, VariantCountOf},
    weights::constants::{BlockExecutionWeight, ExtrinsicBaseWeight, RocksDbWeight},
};
use frame_system::limits::{BlockLength, BlockWeights};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_runtime::{traits::One, Perbill};
use sp_version::RuntimeVersion;

/// Largest block, in bytes.
const MAX_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;
/// Normal transactions may fill 75% of a block; the rest is for operational ones.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

parameter_types! {
    pub const BlockHashCount: BlockNumber = 2400;
    pub const Version: RuntimeVersion = VERSION;
    pub RuntimeBlockLength: BlockLength = BlockLength::builder()
        .max_length(MAX_BLOCK_LENGTH)
        .modify_max_length_for_class(DispatchClass::Normal, |max| {
            *max = NORMAL_DISPATCH_RATIO * MAX_BLOCK_LENGTH
        })
        .build();
    pub RuntimeBlockWeights: BlockWeights = BlockWeights::builder()
        .base_block(BlockExecutionWeight::get())
        .for_class(DispatchClass::all(), |weights| {
            weights.base_extrinsic = ExtrinsicBaseWeight::get();
        })
        .for_class(DispatchClass::Normal, |weights| {
            weights.max_total = Some(NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
        })
        .for_class(DispatchClass::Operational, |weights| {
            weights.max_total = Some(MAXIMUM_BLOCK_WEIGHT);
            weights.reserved = Some(
                MAXIMUM_BLOCK_WEIGHT - NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT,
            );
        })
        .avg_block_initialization(Perbill::from_percent(10))
        .build_or_panic();
    pub const SS58Prefix: u16 = 42;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
    type Block = Block;
    type BlockWeights = RuntimeBlockWeights;
    type BlockLength = RuntimeBlockLength;
    type AccountId = AccountId;
    type Nonce = Nonce;
    type Hash = Hash;
    type BlockHashCount = BlockHashCount;
    type DbWeight = RocksDbWeight;
    type Version = Version;
    type AccountData = pallet_balances::AccountData<Balance>;
    type SS58Prefix = SS58Prefix;
    // Calls paused by the emergency track (pallet-tx-pause) are refused to every origin but root.
    type BaseCallFilter = crate::TxPause;
    type MaxConsumers = ConstU32<16>;
    // Accounts that receive native funds get an EVM address mapping automatically.
    type OnNewAccount = pallet_revive::AutoMapper<Runtime>;
    type OnKilledAccount = pallet_revive::AutoMapper<Runtime>;
    type SystemWeightInfo = frame_system::weights::SubstrateWeight<Runtime>;
}

impl pallet_timestamp::Config for Runtime {
    type Moment = u64;
    type OnTimestampSet = ();
    /// Blocks are at least 1 s apart (the node's timestamp provider advances by at least that).
    type MinimumPeriod = ConstU64<{ MILLISECS_PER_SECOND / 2 }>;
    type WeightInfo = pallet_timestamp::weights::SubstrateWeight<Runtime>;
}

impl pallet_balances::Config for Runtime {
    type RuntimeEvent = RuntimeEvent;
    type RuntimeHoldReason = RuntimeHoldReason;
    type RuntimeFreezeReason = RuntimeFreezeReason;
    type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
    type Balance = Balance;
    type DustRemoval = ();
    type ExistentialDeposit = frame_support::traits::ConstU128<EXISTENTIAL_DEPOSIT>;
    type AccountStore = System;
    type ReserveIdentifier = [u8; 8];
    type FreezeIdentifier = RuntimeFreezeReason;
    type MaxLocks = ConstU32<50>;
    type MaxReserves = ConstU32<50>;
    type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
    type DoneSlashHandler = ();
}

parameter_types! {
    /// Fee per byte of an extrinsic, in the native token's smallest unit.
    pub const TransactionByteFee: Balance = MICRO_UNIT;
    pub FeeMultiplier: Multiplier = Multiplier::one();
}

impl pallet_transaction_payment::Config for Runtime {
    type RuntimeEvent = RuntimeEvent;
    type OnChargeTransaction = FungibleAdapter<Balances, ()>;
    type OperationalFeeMultiplier = ConstU8<5>;
    // pallet-revive's gas mapping requires this fee shape: 1 fee unit per ref_time unit, and
    // proof size priced in proportion to the block limits.
    type WeightToFee = pallet_revive::evm::fees::BlockRatioFee<1, 1, Runtime, Balance>;
    type LengthToFee = frame_support::weights::ConstantMultiplier<Balance, TransactionByteFee>;
    type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
    type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

/// Randomness for the franchise auction's candle on the dev chain. It is derived from recent
/// block hashes and so predictable by block authors: a production chain uses a VRF-based
/// source (BABE's, or the relay chain's as a parachain).
impl pallet_insecure_randomness_collective_flip::Config for Runtime {}

impl pallet_sudo::Config for Runtime {
    type RuntimeEvent = RuntimeEvent;
    type RuntimeCall = RuntimeCall;
    type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}
