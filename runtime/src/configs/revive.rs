//! The EVM: pallet-revive running EVM bytecode (`AllowEVMBytecode`) as well as PolkaVM.

use crate::{
    AccountId, Address, Balance, Balances, EthExtraImpl, Runtime, RuntimeCall, RuntimeEvent,
    RuntimeHoldReason, RuntimeOrigin, Signature, Timestamp, MILLI_UNIT,
};
use frame_support::{
    parameter_types,
    traits::{ConstBool, ConstU32, ConstU64},
};
use frame_system::EnsureSigned;
use pallet_revive::AccountId32Mapper;
use sp_runtime::Perbill;

/// Chain id of the dev chain in Ethereum transactions (EIP-155).
pub const CHAIN_ID: u64 = 420_420_420;

parameter_types! {
    /// Storage deposit per byte a contract uses, in the native token.
    pub const DepositPerByte: Balance = MILLI_UNIT / 100;
    /// Storage deposit per storage item a contract uses.
    pub const DepositPerItem: Balance = MILLI_UNIT;
    /// Storage deposit per child trie a contract holds.
    pub const DepositPerChildTrieItem: Balance = MILLI_UNIT;
    pub CodeHashLockupDepositPercent: Perbill = Perbill::from_percent(30);
    /// An Ethereum transaction may use at most this much of a block.
    pub MaxEthExtrinsicWeight: sp_runtime::FixedU128 = sp_runtime::FixedU128::from_rational(9, 10);
}

impl pallet_revive::Config for Runtime {
    type Time = Timestamp;
    type Balance = Balance;
    type Currency = Balances;
    // Burned fees and deposits are dropped (reduce issuance).
    type OnBurn = ();
    type RuntimeEvent = RuntimeEvent;
    type RuntimeCall = RuntimeCall;
    type RuntimeOrigin = RuntimeOrigin;
    type DepositPerByte = DepositPerByte;
    type DepositPerItem = DepositPerItem;
    type DepositPerChildTrieItem = DepositPerChildTrieItem;
    type WeightInfo = pallet_revive::weights::SubstrateWeight<Self>;
    // Our pallets' precompiles are added here as they are built.
    type Precompiles = ();
    type AddressMapper = AccountId32Mapper<Self>;
    type RuntimeMemory = ConstU32<{ 128 * 1024 * 1024 }>;
    type PVFMemory = ConstU32<{ 512 * 1024 * 1024 }>;
    type AllowEVMBytecode = ConstBool<true>;
    type UploadOrigin = EnsureSigned<AccountId>;
    type InstantiateOrigin = EnsureSigned<AccountId>;
    type RuntimeHoldReason = RuntimeHoldReason;
    type CodeHashLockupDepositPercent = CodeHashLockupDepositPercent;
    type ChainId = ConstU64<CHAIN_ID>;
    /// The native token has 12 decimals, ether 18.
    type NativeToEthRatio = ConstU32<1_000_000>;
    type FindAuthor = ();
    type FeeInfo = pallet_revive::evm::fees::Info<Address, Signature, EthExtraImpl>;
    type MaxEthExtrinsicWeight = MaxEthExtrinsicWeight;
    type DebugEnabled = ConstBool<false>;
    type AutoMap = ConstBool<true>;
    type GasScale = ConstU32<50_000>;
    type Deposit = ();
}
