//! The DeFi pallets: pallet-lending (the isolated-market money market being backstopped)
//! and pallet-backstop (the backstop pool), both pricing through [`OraclePrices`].

use super::prices::OraclePrices;
use crate::{
    genesis_config_presets::USD, AccountId, AssetId, Assets, Lending, Runtime, Timestamp,
    MILLISECS_PER_SECOND,
};
use backstop_primitives::MarketId;
use frame_support::{
    parameter_types,
    traits::{ConstU128, ConstU32},
    PalletId,
};
use frame_system::EnsureRoot;
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
    type GovernanceOrigin = EnsureRoot<AccountId>;
    type OnBadDebt = ();
    type LiquidationPermission = ();
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
    type GovernanceOrigin = EnsureRoot<AccountId>;
    type StableAsset = StableAsset;
    type YieldMarket = YieldMarket;
    type FeeAccount = SwapFeeAccount;
    type PalletId = BackstopPalletId;
    /// 1e9 shares (1e-15 of the first deposit's 1e6 shares per stable unit) stay locked.
    type MinimumShares = ConstU128<1_000_000_000>;
    type MaxCollaterals = ConstU32<16>;
    type Randomness = crate::RandomnessCollectiveFlip;
    type MaxSeats = ConstU32<16>;
    type MaxBidders = ConstU32<64>;
    type MaxCandleSamples = ConstU32<64>;
    type MaxUserEntries = ConstU32<48>;
    type WeightInfo = pallet_backstop::weights::SubstrateWeight<Runtime>;
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
