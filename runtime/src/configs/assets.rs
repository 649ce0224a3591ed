//! Tokens, prices and the DEX: `pallet-assets` (the stable asset and collaterals, plus a
//! second instance for DEX liquidity tokens), `pallet-asset-conversion`, the oracle feeders
//! (`pallet-membership`), `pallet-oracle` and the genesis prices.

use crate::{
    AccountId, AssetId, Balance, Balances, OracleFeeders, PoolAssets, Runtime, RuntimeEvent,
    Timestamp, EXISTENTIAL_DEPOSIT, MILLISECS_PER_SECOND, UNIT,
};
use alloc::vec;
use frame_support::{
    ord_parameter_types, parameter_types,
    traits::{
        fungible::{NativeFromLeft, NativeOrWithId, UnionOf},
        tokens::imbalance::ResolveAssetTo,
        AsEnsureOriginWithArg, ConstU128, ConstU32,
    },
    PalletId,
};
use frame_system::{EnsureRoot, EnsureSigned, EnsureSignedBy};
use pallet_asset_conversion::{AccountIdConverter, Ascending, Chain, WithFirstAsset};
use sp_runtime::{traits::AccountIdConversion, FixedU128, Permill};

/// Deposits for creating assets and their accounts, in the native token.
const ASSET_DEPOSIT: Balance = 10 * UNIT;

/// The main instance: the stable asset and the collateral assets.
pub type MainAssets = pallet_assets::Instance1;
/// Liquidity tokens of the DEX pools.
pub type DexPoolAssets = pallet_assets::Instance2;

impl pallet_assets::Config<MainAssets> for Runtime {
    type RuntimeEvent = RuntimeEvent;
    type Balance = Balance;
    type AssetId = AssetId;
    type AssetIdParameter = codec::Compact<AssetId>;
    type ReserveData = ();
    type Currency = Balances;
    type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
    type ForceOrigin = EnsureRoot<AccountId>;
    type AssetDeposit = ConstU128<ASSET_DEPOSIT>;
    type AssetAccountDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
    type MetadataDepositBase = ConstU128<UNIT>;
    type MetadataDepositPerByte = ConstU128<{ UNIT / 100 }>;
    type ApprovalDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
    type StringLimit = ConstU32<50>;
    type Holder = ();
    type Freezer = ();
    type Extra = ();
    type CallbackHandle = ();
    type AssetIdAllocator = ();
    type WeightInfo = pallet_assets::weights::SubstrateWeight<Runtime>;
    type RemoveItemsLimit = ConstU32<1000>;
    #[cfg(feature = "runtime-benchmarks")]
    type BenchmarkHelper = ();
}

parameter_types! {
    pub const AssetConversionPalletId: PalletId = PalletId(*b"py/ascon");
    pub const Native: NativeOrWithId<AssetId> = NativeOrWithId::Native;
    /// Fee of a DEX swap, paid to liquidity providers.
    pub const DexLpFee: Permill = Permill::from_parts(3_000); // 0.3%
    pub const MaxSwapFee: Permill = Permill::from_percent(10);
    pub const LiquidityWithdrawalFee: Permill = Permill::zero();
}

ord_parameter_types! {
    pub const AssetConversionOrigin: AccountId =
        AccountIdConversion::<AccountId>::into_account_truncating(&AssetConversionPalletId::get());
}

impl pallet_assets::Config<DexPoolAssets> for Runtime {
    type RuntimeEvent = RuntimeEvent;
    type Balance = Balance;
    type AssetId = u32;
    type AssetIdParameter = u32;
    type ReserveData = ();
    type Currency = Balances;
    // Only the DEX creates its liquidity tokens.
    type CreateOrigin = AsEnsureOriginWithArg<EnsureSignedBy<AssetConversionOrigin, AccountId>>;
    type ForceOrigin = EnsureRoot<AccountId>;
    type AssetDeposit = ConstU128<0>;
    type AssetAccountDeposit = ConstU128<0>;
    type MetadataDepositBase = ConstU128<0>;
    type MetadataDepositPerByte = ConstU128<0>;
    type ApprovalDeposit = ConstU128<0>;
    type StringLimit = ConstU32<50>;
    type Holder = ();
    type Freezer = ();
    type Extra = ();
    type CallbackHandle = ();
    type AssetIdAllocator = ();
    type WeightInfo = pallet_assets::weights::SubstrateWeight<Runtime>;
    type RemoveItemsLimit = ConstU32<1000>;
    #[cfg(feature = "runtime-benchmarks")]
    type BenchmarkHelper = ();
}

/// The native token and the assets of [`MainAssets`] behind one `fungibles` interface.
pub type NativeAndAssets =
    UnionOf<Balances, crate::Assets, NativeFromLeft, NativeOrWithId<AssetId>, AccountId>;
/// The account of a DEX pool.
pub type PoolIdToAccountId =
    AccountIdConverter<AssetConversionPalletId, (NativeOrWithId<AssetId>, NativeOrWithId<AssetId>)>;

impl pallet_asset_conversion::Config for Runtime {
    type RuntimeEvent = RuntimeEvent;
    type Balance = Balance;
    type HigherPrecisionBalance = sp_core::U256;
    type AssetKind = NativeOrWithId<AssetId>;
    type Assets = NativeAndAssets;
    type PoolId = (Self::AssetKind, Self::AssetKind);
    // Pools with the native token keep it first; others are ordered ascending.
    type PoolLocator = Chain<
        WithFirstAsset<Native, AccountId, NativeOrWithId<AssetId>, PoolIdToAccountId>,
        Ascending<AccountId, NativeOrWithId<AssetId>, PoolIdToAccountId>,
    >;
    type PoolAssetId = u32;
    type PoolAssets = PoolAssets;
    type PoolSetupFee = ConstU128<UNIT>;
    type PoolSetupFeeAsset = Native;
    type PoolSetupFeeTarget = ResolveAssetTo<AssetConversionOrigin, Self::Assets>;
    type PalletId = AssetConversionPalletId;
    type LPFee = DexLpFee;
    type AdminOrigin = EnsureRoot<AccountId>;
    type MaxSwapFee = MaxSwapFee;
    type LiquidityWithdrawalFee = LiquidityWithdrawalFee;
    type MaxSwapPathLength = ConstU32<4>;
    type MintMinLiquidity = ConstU128<100>;
    type WeightInfo = pallet_asset_conversion::weights::SubstrateWeight<Runtime>;
    #[cfg(feature = "runtime-benchmarks")]
    // Pairs with the native token first, as this runtime's pools are located.
    type BenchmarkHelper = pallet_asset_conversion::NativeOrWithIdFactory<AssetId>;
}

impl pallet_membership::Config for Runtime {
    type RuntimeEvent = RuntimeEvent;
    type AddOrigin = EnsureRoot<AccountId>;
    type RemoveOrigin = EnsureRoot<AccountId>;
    type SwapOrigin = EnsureRoot<AccountId>;
    type ResetOrigin = EnsureRoot<AccountId>;
    type PrimeOrigin = EnsureRoot<AccountId>;
    type MembershipInitialized = ();
    type MembershipChanged = ();
    type MaxMembers = ConstU32<16>;
    type WeightInfo = pallet_membership::weights::SubstrateWeight<Runtime>;
}

/// How long a fed price counts, in milliseconds.
pub const PRICE_EXPIRY_MS: u64 = 60 * 60 * MILLISECS_PER_SECOND;

parameter_types! {
    pub const OraclePalletId: PalletId = PalletId(*b"bs/oracl");
    /// The dev chain lets one feeder move a price; a production chain sets this to a quorum.
    pub const OracleMinimumCount: u32 = 1;
    pub const OracleExpiresIn: u64 = PRICE_EXPIRY_MS;
}

/// Prices are keyed by asset and valued as the price of one whole unit of the asset in US
/// dollars (`FixedU128`, 18 decimals of precision).
impl pallet_oracle::Config for Runtime {
    type OnNewData = ();
    type CombineData =
        pallet_oracle::DefaultCombineData<Runtime, OracleMinimumCount, OracleExpiresIn>;
    type Time = Timestamp;
    type OracleKey = AssetId;
    type OracleValue = FixedU128;
    type PalletId = OraclePalletId;
    type Members = OracleFeeders;
    type WeightInfo = pallet_oracle::weights::SubstrateWeight<Runtime>;
    type MaxHasDispatchedSize = ConstU32<16>;
    type MaxFeedValues = ConstU32<16>;
    #[cfg(feature = "runtime-benchmarks")]
    type BenchmarkHelper = OracleBenchmarkHelper;
}

/// Sample oracle data for pallet-oracle's benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct OracleBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_oracle::BenchmarkHelper<AssetId, FixedU128, ConstU32<16>> for OracleBenchmarkHelper {
    fn get_currency_id_value_pairs() -> frame_support::BoundedVec<(AssetId, FixedU128), ConstU32<16>>
    {
        use crate::genesis_config_presets::{BTC, ETH};
        frame_support::BoundedVec::truncate_from(alloc::vec![
            (ETH, FixedU128::from_u32(3_000)),
            (BTC, FixedU128::from_u32(60_000)),
        ])
    }
}

impl crate::oracle_genesis::Config for Runtime {
    type MaxPrices = ConstU32<16>;
}
