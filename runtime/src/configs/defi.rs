//! The DeFi pallets: pallet-lending (the isolated-market money market being backstopped)
//! and pallet-backstop (the backstop pool), both pricing through [`OraclePrices`].

use super::prices::OraclePrices;
use crate::{
    genesis_config_presets::USD, AccountId, AssetId, Assets, Lending, Runtime, Timestamp,
    MILLISECS_PER_SECOND,
};
use backstop_primitives::{Balance, MarketId};
use frame_support::traits::fungible::NativeOrWithId;
use frame_support::{
    parameter_types,
    traits::{ConstU128, ConstU32},
    PalletId,
};
use sp_runtime::traits::AccountIdConversion;

/// Oldest oracle price the lending market accepts: 1 hour, in milliseconds.
pub const LENDING_MAX_PRICE_AGE_MS: u64 = 60 * 60 * MILLISECS_PER_SECOND;

parameter_types! {
    pub const LendingPalletId: PalletId = PalletId(*b"bs/lendg");
    pub const LendingMaxPriceAge: u64 = LENDING_MAX_PRICE_AGE_MS;
}

impl pallet_lending::Config for Runtime {
    type Assets = Assets;
    type Oracle = OraclePrices;
    type Time = Timestamp;
    type GovernanceOrigin = super::governance::ParamsOrigin;
    type EmergencyOrigin = super::governance::EmergencyOrigin;
    type OnBadDebt = ();
    // Avatar positions are reserved for the backstop during its priority window.
    type LiquidationPermission = crate::Avatar;
    type OnPositionChanged = ();
    type PalletId = LendingPalletId;
    type MaxPriceAge = LendingMaxPriceAge;
    type MaxMarkets = ConstU32<64>;
    type WeightInfo = pallet_lending::weights::SubstrateWeight<Runtime>;
    #[cfg(feature = "runtime-benchmarks")]
    type BenchmarkHelper = benchmark_helpers::DefiBenchmarkHelper;
}

/// The lending market the pool supplies its idle stable to: market 0, ETH/USD, which lends
/// USD (see the `development` preset).
pub const YIELD_MARKET: MarketId = 0;

parameter_types! {
    pub const BackstopPalletId: PalletId = PalletId(*b"bs/pool0");
    pub const StableAsset: AssetId = USD;
    pub const YieldMarket: Option<MarketId> = Some(YIELD_MARKET);
    /// Swap fees of the backstop pool are paid to this keyless account.
    pub SwapFeeAccount: AccountId = PalletId(*b"bs/swfee").into_account_truncating();
}

impl pallet_backstop::Config for Runtime {
    type Assets = Assets;
    type Oracle = OraclePrices;
    type Lending = Lending;
    type Time = Timestamp;
    type GovernanceOrigin = super::governance::ParamsOrigin;
    type EmergencyOrigin = super::governance::EmergencyOrigin;
    type StableAsset = StableAsset;
    type YieldMarket = YieldMarket;
    type FeeAccount = SwapFeeAccount;
    type PalletId = BackstopPalletId;
    /// 1e9 shares (1e-15 of the first deposit's 1e6 shares per stable unit) stay locked.
    type MinimumShares = ConstU128<1_000_000_000>;
    type MaxCollaterals = ConstU32<16>;
    type MaxLiquidationBatch = ConstU32<64>;
    type Randomness = crate::RandomnessCollectiveFlip;
    type MaxSeats = ConstU32<16>;
    type MaxBidders = ConstU32<64>;
    type MaxCandleSamples = ConstU32<64>;
    type MaxUserEntries = ConstU32<48>;
    type Dex = AssetConversionDex;
    type WeightInfo = pallet_backstop::weights::SubstrateWeight<Runtime>;
    #[cfg(feature = "runtime-benchmarks")]
    type BenchmarkHelper = benchmark_helpers::DefiBenchmarkHelper;
}

/// The chain's DEX (pallet-asset-conversion) as the pool's [`pallet_backstop::CollateralDex`]:
/// direct pools between two assets only (no native hop), selling with the pool's minimum out.
pub struct AssetConversionDex;

impl pallet_backstop::CollateralDex<AccountId> for AssetConversionDex {
    fn quote(asset_in: AssetId, asset_out: AssetId, amount_in: Balance) -> Option<Balance> {
        crate::AssetConversion::quote_price_exact_tokens_for_tokens(
            NativeOrWithId::WithId(asset_in),
            NativeOrWithId::WithId(asset_out),
            amount_in,
            true,
        )
    }

    fn sell(
        who: &AccountId,
        asset_in: AssetId,
        asset_out: AssetId,
        amount_in: Balance,
        min_out: Balance,
    ) -> Result<Balance, sp_runtime::DispatchError> {
        <crate::AssetConversion as pallet_asset_conversion::Swap<AccountId>>::swap_exact_tokens_for_tokens(
            who.clone(),
            alloc::vec![NativeOrWithId::WithId(asset_in), NativeOrWithId::WithId(asset_out)],
            amount_in,
            Some(min_out),
            who.clone(),
            false,
        )
    }

    /// The benchmarked two-asset swap, plus the quotes: each reads the pool's two reserves
    /// (the pool account's asset balances, and the pool's fee).
    fn sell_weight() -> frame_support::weights::Weight {
        use pallet_asset_conversion::WeightInfo as _;
        let quotes = u64::from(pallet_backstop::rebalance::MAX_HALVINGS) + 1;
        <Runtime as pallet_asset_conversion::Config>::WeightInfo::swap_exact_tokens_for_tokens(2)
            .saturating_add(<Runtime as frame_system::Config>::DbWeight::get().reads(3 * quotes))
    }
}

parameter_types! {
    pub const AvatarPalletId: PalletId = PalletId(*b"bs/avatr");
    /// Parameter changes that affect open positions apply 100 blocks after they are announced.
    pub const AvatarParamsDelay: crate::BlockNumber = 100;
    /// The avatar parameters of every market governance has not set: the pallet's defaults,
    /// with `big_position` in the stable asset's 18 decimals: positions whose debt is above
    /// 1 000 000 USD are split between all seats; smaller ones go to one member per window.
    pub AvatarDefaultParams: pallet_avatar::AvatarParams = pallet_avatar::AvatarParams {
        big_position: AVATAR_BIG_POSITION_USD * 10u128.pow(18),
        ..Default::default()
    };
}

/// Debt above which an avatar position is "big" (split between all seats), in whole USD.
pub const AVATAR_BIG_POSITION_USD: u128 = 1_000_000;

impl pallet_avatar::Config for Runtime {
    type Lending = Lending;
    type Oracle = OraclePrices;
    type Time = Timestamp;
    type Members = crate::Backstop;
    type Score = crate::Backstop;
    type Jar = crate::Backstop;
    type Pool = crate::Backstop;
    type Assets = Assets;
    type StableAsset = StableAsset;
    type GovernanceOrigin = super::governance::ParamsOrigin;
    type EmergencyOrigin = super::governance::EmergencyOrigin;
    type DefaultParams = AvatarDefaultParams;
    type ParamsDelay = AvatarParamsDelay;
    type MaxPriceAge = LendingMaxPriceAge;
    type MaxSeats = ConstU32<16>;
    /// Markets one avatar may hold positions in. Three score entries per market must fit
    /// pallet-backstop's `MaxUserEntries` (48), and the benchmarks create this many markets
    /// next to the genesis ones within pallet-lending's `MaxMarkets` (64).
    type MaxMarkets = ConstU32<16>;
    type PalletId = AvatarPalletId;
    type MaxLiquidationBatch = ConstU32<64>;
    type WeightInfo = pallet_avatar::weights::SubstrateWeight<Runtime>;
    #[cfg(feature = "runtime-benchmarks")]
    type BenchmarkHelper = benchmark_helpers::DefiBenchmarkHelper;
}

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmark_helpers {
    //! Asset, price and market set-up for the lending and backstop benchmarks, on top of the
    //! `development` genesis the benchmark CLI starts from.

    use super::*;
    use crate::{Oracle, RuntimeOrigin};
    use backstop_primitives::cross_price;
    use frame_support::traits::fungibles::{metadata::Inspect as _, Create, Inspect};
    use pallet_lending::JumpRateModel;
    use sp_runtime::{FixedU128, Perbill, Saturating};

    /// Implements both pallets' benchmark helpers.
    pub struct DefiBenchmarkHelper;

    fn admin() -> AccountId {
        PalletId(*b"bs/bench").into_account_truncating()
    }

    fn feed(asset: AssetId, usd_per_token: FixedU128) {
        pallet_oracle::Values::<Runtime>::insert(
            asset,
            pallet_oracle::TimestampedValue {
                value: usd_per_token,
                timestamp: pallet_timestamp::Now::<Runtime>::get(),
            },
        );
    }

    impl pallet_lending::BenchmarkHelper for DefiBenchmarkHelper {
        fn create_asset(id: AssetId) {
            if !<Assets as Inspect<AccountId>>::asset_exists(id) {
                <Assets as Create<AccountId>>::create(id, admin(), true, 1)
                    .expect("benchmark asset can be created");
            }
            // Prices scale by the decimals pallet-lending recorded for an asset; a benchmark
            // asset the pool holds without a market of its own is recorded here, as a
            // market's creation would.
            if pallet_lending::AssetDecimals::<Runtime>::get(id).is_none() {
                pallet_lending::AssetDecimals::<Runtime>::insert(id, Assets::decimals(id));
            }
        }

        /// Feeds USD prices so that [`OraclePrices`] reports `price` for `base` in `quote`.
        fn set_price(base: AssetId, quote: AssetId, price: FixedU128) {
            let quote_usd = if quote == USD {
                FixedU128::from_u32(1)
            } else {
                let usd = Oracle::get(&quote)
                    .map(|p| p.value)
                    .unwrap_or(FixedU128::from_u32(1));
                feed(quote, usd);
                usd
            };
            // price = base_usd / quote_usd · 10^(qd − bd)  ⇒  base_usd = price · quote_usd · 10^(bd − qd)
            let base_usd = cross_price(
                price.saturating_mul(quote_usd),
                FixedU128::from_u32(1),
                Assets::decimals(quote),
                Assets::decimals(base),
            )
            .expect("benchmark prices are in range");
            feed(base, base_usd);
        }
    }

    impl pallet_avatar::BenchmarkHelper<AccountId> for DefiBenchmarkHelper {
        fn market(index: u32) -> (MarketId, AssetId) {
            use backstop_primitives::LendingMarket;
            use frame_support::traits::fungibles::Mutate;
            let collateral = 2_000 + index;
            let existing = pallet_lending::Markets::<Runtime>::iter()
                .find(|(_, m)| m.loan_asset == USD && m.collateral_asset == collateral)
                .map(|(id, _)| id);
            let market = existing.unwrap_or_else(|| {
                <Self as pallet_lending::BenchmarkHelper>::create_asset(collateral);
                <Self as pallet_lending::BenchmarkHelper>::set_price(
                    collateral,
                    USD,
                    FixedU128::from_u32(3_000),
                );
                <Self as pallet_backstop::BenchmarkHelper>::create_market(USD, collateral)
            });
            // Liquidity to borrow: 10^6 USD from a dedicated lender.
            let lender: AccountId = PalletId(*b"bs/lendr").into_account_truncating();
            let liquidity = 1_000_000 * 10u128.pow(18);
            Assets::mint_into(USD, &lender, liquidity).expect("USD can be minted");
            <Lending as LendingMarket<AccountId>>::supply(&lender, market, &lender, liquidity)
                .expect("the lender can supply");
            (market, collateral)
        }

        fn fund(asset: AssetId, who: &AccountId, amount: backstop_primitives::Balance) {
            use frame_support::traits::fungibles::Mutate;
            <Self as pallet_lending::BenchmarkHelper>::create_asset(asset);
            Assets::mint_into(asset, who, amount).expect("benchmark funds can be minted");
        }

        fn set_collateral_price(collateral: AssetId, price: FixedU128) {
            <Self as pallet_lending::BenchmarkHelper>::set_price(collateral, USD, price)
        }

        fn make_assigned_member(who: &AccountId, commitment: backstop_primitives::Balance) {
            use frame_support::traits::fungibles::Mutate;
            let seat = pallet_backstop::Seat {
                member: who.clone(),
                committed: commitment,
                available: commitment,
            };
            pallet_backstop::Seats::<Runtime>::put(frame_support::BoundedVec::truncate_from(
                alloc::vec![seat],
            ));
            Assets::mint_into(USD, &crate::Backstop::vault_account(), commitment)
                .expect("the vault can hold the commitment");
        }

        fn fund_pool(amount: backstop_primitives::Balance) {
            use frame_support::traits::fungibles::Mutate;
            let depositor: AccountId = PalletId(*b"bs/depos").into_account_truncating();
            Assets::mint_into(USD, &depositor, amount).expect("USD can be minted");
            crate::Backstop::deposit(RuntimeOrigin::signed(depositor), amount)
                .expect("the pool takes deposits");
        }

        fn pass_window_priority(market: MarketId, position: &AccountId, blocks: u32) {
            let mut n = crate::System::block_number().saturating_add(blocks);
            crate::System::set_block_number(n);
            // At most one assignment window later.
            while !crate::Backstop::assignment(market, position).priority_passed {
                n = n.saturating_add(1);
                crate::System::set_block_number(n);
            }
        }
    }

    impl pallet_backstop::BenchmarkHelper for DefiBenchmarkHelper {
        fn collateral_asset(index: u32) -> AssetId {
            // After the dev assets (1..=3).
            1_000 + index
        }

        fn create_asset(id: AssetId) {
            <Self as pallet_lending::BenchmarkHelper>::create_asset(id)
        }

        fn set_price(base: AssetId, quote: AssetId, price: FixedU128) {
            <Self as pallet_lending::BenchmarkHelper>::set_price(base, quote, price)
        }

        fn create_market(loan: AssetId, collateral: AssetId) -> MarketId {
            let id = pallet_lending::NextMarketId::<Runtime>::get();
            Lending::create_market(
                RuntimeOrigin::root(),
                loan,
                collateral,
                Perbill::from_percent(80),
                JumpRateModel {
                    base_rate: FixedU128::from_rational(2, 100),
                    slope1: FixedU128::from_rational(10, 100),
                    kink: Perbill::from_percent(80),
                    slope2: FixedU128::from_rational(300, 100),
                },
            )
            .expect("benchmark market can be created");
            id
        }
    }
}
