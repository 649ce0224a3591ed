//! The EVM: pallet-revive running EVM bytecode (`AllowEVMBytecode`) as well as PolkaVM, with
//! Backstop's precompiles (`backstop-precompiles`: `ILending`, `IBackstop`, `IAvatar`) and an
//! ERC-20 precompile for every pallet-assets asset (`pallet-assets-precompiles`).

use crate::{
    configs::assets::MainAssets, AccountId, Address, Balance, Balances, EthExtraImpl, Runtime,
    RuntimeCall, RuntimeEvent, RuntimeHoldReason, RuntimeOrigin, Signature, Timestamp, MILLI_UNIT,
};
use alloc::vec::Vec;
use backstop_precompiles::{AvatarPrecompile, BackstopPrecompile, LendingPrecompile, ERC20_PREFIX};
use frame_support::{
    parameter_types,
    traits::{ConstBool, ConstU32, ConstU64},
};
use frame_system::EnsureSigned;
use pallet_assets_precompiles::{InlineIdConfig, ERC20};
use pallet_revive::{
    precompiles::{alloy::sol_types::Revert, AddressMatcher, Error, Ext, Precompile},
    AccountId32Mapper,
};
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
    type Precompiles = (
        LendingPrecompile<Self>,
        BackstopPrecompile<Self>,
        AvatarPrecompile<Self>,
        AssetsErc20,
    );
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

/// pallet-assets-precompiles' ERC-20 of the main assets: asset `id` at the address with `id` in
/// bytes 0-3 and [`ERC20_PREFIX`] in bytes 16-17 (USD `0x0000000100000000000000000000000001200000`).
type MainAssetsErc20 = ERC20<Runtime, InlineIdConfig<ERC20_PREFIX>, MainAssets>;

/// The assets' ERC-20 precompile without EIP-2612 `permit`: pallet-assets-precompiles 0.12
/// keeps permit nonces in its own pallet (`permit::pallet`), which is not part of this runtime
/// (its storage would have no prefix), so `permit` and `nonces` revert with
/// `"Precompile.PermitUnavailable"`; every other ERC-20 function is the crate's own.
pub struct AssetsErc20;

/// `permit` and `nonces`: the two functions that would read the permit pallet's storage.
fn uses_permit_storage(input: &<MainAssetsErc20 as Precompile>::Interface) -> bool {
    type Calls = <MainAssetsErc20 as Precompile>::Interface;
    matches!(input, Calls::permit(_) | Calls::nonces(_))
}

impl Precompile for AssetsErc20 {
    type T = Runtime;
    type Interface = <MainAssetsErc20 as Precompile>::Interface;
    const MATCHER: AddressMatcher = <MainAssetsErc20 as Precompile>::MATCHER;
    const HAS_CONTRACT_INFO: bool = false;

    fn call(
        address: &[u8; 20],
        input: &Self::Interface,
        env: &mut impl Ext<T = Runtime>,
    ) -> Result<Vec<u8>, Error> {
        if uses_permit_storage(input) {
            return Err(Error::Revert(Revert {
                reason: "Precompile.PermitUnavailable".into(),
            }));
        }
        <MainAssetsErc20 as Precompile>::call(address, input, env)
    }
}

/// Needed by the ERC-20 precompile's type; its storage is never reached (see [`AssetsErc20`]).
impl pallet_assets_precompiles::permit::pallet::Config for Runtime {
    type ChainId = ConstU64<CHAIN_ID>;
    type WeightInfo = pallet_assets_precompiles::weights::SubstrateWeight<Runtime>;
}
