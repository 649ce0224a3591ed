//! Benchmarks of every call, on their worst paths: user actions that untop a cushion first
//! (a borrow back from the market and a return to the member's commitment), a repayment that
//! pays a provider and the market, a top-up, a sync that finds an outside change and starts
//! an episode, a delayed parameter change, and `leave` over `m` markets. Liquidations have
//! two routes each, charged at the heavier: a member's or the pool's liquidation that
//! consumes (buys back) a cushion, repays market debt and pays the jar, and a partial one
//! that goes through the market's own liquidation (`*_in_market`).

use super::*;
use crate::pallet::*;
use backstop_primitives::{AssetId, Balance, LendingMarket, MarketId};
use frame_benchmarking::v2::*;
use frame_support::{pallet_prelude::Get, traits::EnsureOrigin};
use frame_system::RawOrigin;
use sp_arithmetic::{
    traits::{CheckedDiv, Saturating},
    FixedPointNumber, FixedU128, Perbill,
};

/// Collateral pledged by the benchmark user, in collateral units.
const COLLATERAL: Balance = 1_000_000;
/// Price of one collateral unit, in stable units, when the position opens.
const PRICE: u32 = 1_000;
/// Debt the user borrows: half the collateral's value.
const DEBT: Balance = 500_000_000;
/// Committed liquidity of the benchmark member.
const COMMITMENT: Balance = 1_000_000_000_000;

fn stable<T: Config>() -> AssetId {
    T::StableAsset::get()
}

/// A user with an open position (`COLLATERAL`, `DEBT`) in the `index`-th market.
fn open<T: Config>(index: u32) -> (T::AccountId, MarketId, AssetId) {
    let (market, collateral) = T::BenchmarkHelper::market(index);
    T::BenchmarkHelper::set_collateral_price(collateral, FixedU128::from_u32(PRICE));
    let user: T::AccountId = whitelisted_caller();
    T::BenchmarkHelper::fund(collateral, &user, 10 * COLLATERAL);
    T::BenchmarkHelper::fund(stable::<T>(), &user, 100 * DEBT);
    assert!(
        Pallet::<T>::do_user_action(&user, market, UserAction::SupplyCollateral, COLLATERAL)
            .is_ok()
    );
    assert!(Pallet::<T>::do_user_action(&user, market, UserAction::Borrow, DEBT).is_ok());
    (user, market, collateral)
}

/// Moves the price so that the position's `DEBT` is `debt_over_capacity` times
/// `collateral · price · lltv`.
fn price_for<T: Config>(market: MarketId, collateral: AssetId, debt_over_capacity: FixedU128) {
    let lltv = T::Lending::market(market)
        .map(|m| m.lltv)
        .unwrap_or_default();
    // price = DEBT / (COLLATERAL · lltv · ratio)
    let capacity_per_price = FixedU128::from_perbill(lltv)
        .saturating_mul(FixedU128::saturating_from_integer(COLLATERAL))
        .saturating_mul(debt_over_capacity);
    let price = FixedU128::saturating_from_integer(DEBT)
        .checked_div(&capacity_per_price)
        .unwrap_or_default();
    T::BenchmarkHelper::set_collateral_price(collateral, price);
}

/// A position inside the top-up band (debt at 97 % of the market's capacity), with a member
/// assigned and committed; with `supplied`, the user also lends `DEBT / 10`.
fn in_band<T: Config>(supplied: bool) -> (T::AccountId, MarketId, AssetId, T::AccountId) {
    let (user, market, collateral) = open::<T>(0);
    if supplied {
        assert!(Pallet::<T>::do_user_action(&user, market, UserAction::Supply, DEBT / 10).is_ok());
    }
    let member: T::AccountId = account("member", 0, 0);
    T::BenchmarkHelper::make_assigned_member(&member, COMMITMENT);
    price_for::<T>(market, collateral, FixedU128::from_rational(97, 100));
    (user, market, collateral, member)
}

/// `in_band` plus a top-up of a tenth of the debt.
fn topped_up<T: Config>(supplied: bool) -> (T::AccountId, MarketId, AssetId, T::AccountId) {
    let (user, market, collateral, member) = in_band::<T>(supplied);
    assert!(Pallet::<T>::do_top_up(&member, market, &user, DEBT / 10).is_ok());
    (user, market, collateral, member)
}

/// `topped_up`, with the price back where the position can carry its cushion again.
fn topped_up_safe<T: Config>(supplied: bool) -> (T::AccountId, MarketId) {
    let (user, market, collateral, _) = topped_up::<T>(supplied);
    T::BenchmarkHelper::set_collateral_price(collateral, FixedU128::from_u32(PRICE));
    (user, market)
}

/// Funds the pool, puts the position's debt at `percent` % of its capacity, has a sync start
/// its episode and lets the members' priority pass; returns a keeper.
fn pools_turn<T: Config>(
    user: &T::AccountId,
    market: MarketId,
    collateral: AssetId,
    percent: u128,
) -> T::AccountId {
    T::BenchmarkHelper::fund_pool(10 * DEBT);
    price_for::<T>(market, collateral, FixedU128::from_rational(percent, 100));
    assert!(Pallet::<T>::do_sync(market, user).is_ok());
    T::BenchmarkHelper::pass_window_priority(
        market,
        &Pallet::<T>::avatar_of(user),
        Pallet::<T>::params(market).priority_window,
    );
    account("keeper", 0, 0)
}

#[benchmarks]
mod benchmarks {
    use super::*;

    #[benchmark]
    fn supply() {
        let (user, market) = topped_up_safe::<T>(false);
        #[extrinsic_call]
        _(RawOrigin::Signed(user.clone()), market, DEBT / 100);
        assert!(Positions::<T>::get(market, &user).is_some_and(|p| p.cushion.is_empty()));
    }

    #[benchmark]
    fn supply_collateral() {
        let (user, market) = topped_up_safe::<T>(false);
        #[extrinsic_call]
        _(RawOrigin::Signed(user.clone()), market, COLLATERAL / 10);
        assert!(Positions::<T>::get(market, &user).is_some_and(|p| p.cushion.is_empty()));
    }

    #[benchmark]
    fn borrow() {
        let (user, market) = topped_up_safe::<T>(false);
        #[extrinsic_call]
        _(RawOrigin::Signed(user.clone()), market, DEBT / 100);
        assert!(Positions::<T>::get(market, &user).is_some_and(|p| p.cushion.is_empty()));
    }

    #[benchmark]
    fn repay() {
        let (user, market) = topped_up_safe::<T>(false);
        #[extrinsic_call]
        _(RawOrigin::Signed(user.clone()), market, DEBT / 5);
        assert!(Positions::<T>::get(market, &user).is_some_and(|p| p.cushion.is_empty()));
    }

    #[benchmark]
    fn withdraw() {
        let (user, market) = topped_up_safe::<T>(true);
        #[extrinsic_call]
        _(RawOrigin::Signed(user.clone()), market, DEBT / 20);
        assert!(Positions::<T>::get(market, &user).is_some_and(|p| p.cushion.is_empty()));
    }

    #[benchmark]
    fn withdraw_collateral() {
        let (user, market) = topped_up_safe::<T>(false);
        #[extrinsic_call]
        _(RawOrigin::Signed(user.clone()), market, COLLATERAL / 10);
        assert!(Positions::<T>::get(market, &user).is_some_and(|p| p.cushion.is_empty()));
    }

    #[benchmark]
    fn leave(m: Linear<1, { T::MaxMarkets::get() }>) {
        let user: T::AccountId = whitelisted_caller();
        for index in 0..m {
            let (market, collateral) = T::BenchmarkHelper::market(index);
            T::BenchmarkHelper::set_collateral_price(collateral, FixedU128::from_u32(PRICE));
            T::BenchmarkHelper::fund(collateral, &user, COLLATERAL);
            T::BenchmarkHelper::fund(stable::<T>(), &user, DEBT);
            assert!(Pallet::<T>::do_user_action(
                &user,
                market,
                UserAction::SupplyCollateral,
                COLLATERAL
            )
            .is_ok());
            assert!(Pallet::<T>::do_user_action(&user, market, UserAction::Supply, DEBT).is_ok());
        }
        #[extrinsic_call]
        _(RawOrigin::Signed(user.clone()));
        assert!(AvatarOf::<T>::get(&user).is_none());
    }

    #[benchmark]
    fn top_up() {
        let (user, market, _, member) = in_band::<T>(false);
        #[extrinsic_call]
        _(RawOrigin::Signed(member), market, user.clone(), DEBT / 10);
        assert!(Positions::<T>::get(market, &user).is_some_and(|p| !p.cushion.is_empty()));
    }

    #[benchmark]
    fn liquidate() {
        let (user, market, collateral, member) = topped_up::<T>(false);
        // Debt at 105 % of capacity: liquidatable, not underwater.
        price_for::<T>(market, collateral, FixedU128::from_rational(105, 100));
        #[extrinsic_call]
        _(RawOrigin::Signed(member), market, user.clone(), DEBT);
        assert!(Positions::<T>::get(market, &user).is_some_and(|p| p.cushion.is_empty()));
    }

    #[benchmark]
    fn liquidate_in_market() {
        let (user, market, collateral, member) = in_band::<T>(false);
        // Debt at 110 % of capacity: the market sees the position unhealthy too, and a
        // partial liquidation goes through the market's own liquidation.
        price_for::<T>(market, collateral, FixedU128::from_rational(110, 100));
        #[extrinsic_call]
        liquidate(RawOrigin::Signed(member), market, user.clone(), DEBT / 4);
        assert!(Positions::<T>::get(market, &user).is_some_and(|p| p.episode.is_some()));
    }

    #[benchmark]
    fn pool_liquidate() {
        let (user, market, collateral, _) = topped_up::<T>(false);
        // Debt at 105 % of capacity.
        let keeper = pools_turn::<T>(&user, market, collateral, 105);
        #[extrinsic_call]
        _(RawOrigin::Signed(keeper), market, user.clone(), DEBT);
        assert!(Positions::<T>::get(market, &user).is_some_and(|p| p.cushion.is_empty()));
    }

    #[benchmark]
    fn pool_liquidate_in_market() {
        let (user, market, collateral, _) = in_band::<T>(false);
        // Debt at 110 % of capacity: the market sees it unhealthy too.
        let keeper = pools_turn::<T>(&user, market, collateral, 110);
        #[extrinsic_call]
        pool_liquidate(RawOrigin::Signed(keeper), market, user.clone(), DEBT / 4);
        assert!(Positions::<T>::get(market, &user).is_some_and(|p| p.episode.is_some()));
    }

    #[benchmark]
    fn sync() {
        let (user, market, collateral) = open::<T>(0);
        // An outside repayment of a tenth, and a price that puts the remaining 90 % of the
        // debt at 105 % of the capacity.
        let payer: T::AccountId = account("payer", 0, 0);
        T::BenchmarkHelper::fund(stable::<T>(), &payer, DEBT);
        assert!(
            T::Lending::repay(&payer, market, &Pallet::<T>::avatar_of(&user), DEBT / 10).is_ok()
        );
        price_for::<T>(market, collateral, FixedU128::from_rational(1_050, 900));
        #[extrinsic_call]
        _(RawOrigin::Signed(payer), market, user.clone());
        assert!(Positions::<T>::get(market, &user).is_some_and(|p| p.episode.is_some()));
    }

    #[benchmark]
    fn set_params() -> Result<(), BenchmarkError> {
        let (market, _) = T::BenchmarkHelper::market(0);
        let origin =
            T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
        let params = AvatarParams {
            mode: Mode::Margin,
            margin: Perbill::from_percent(5),
            ..Default::default()
        };
        #[extrinsic_call]
        _(origin as T::RuntimeOrigin, market, params);
        assert!(Pending::<T>::get(market).is_some());
        Ok(())
    }

    impl_benchmark_test_suite!(
        Pallet,
        crate::tests::mock::ExtBuilder::default().build(),
        crate::tests::mock::Test
    );
}
