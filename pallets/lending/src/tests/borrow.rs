//! Collateral, borrowing and repayment: health checks, prices, repayment on behalf.

use super::mock::*;
use crate::{Error, Event, IndexNodes, Markets, Positions};
use backstop_primitives::{LendingMarket, PositionHealth};
use frame_support::{assert_noop, assert_ok};
use sp_arithmetic::{
    traits::{One, Zero},
    FixedU128, Perbill,
};

/// A market with 1 000 USD supplied by ALICE and 100 ETH (worth 200 USD) pledged by BOB.
fn funded_market() -> u32 {
    let id = create_market();
    assert_ok!(Lending::supply(
        RuntimeOrigin::signed(ALICE),
        id,
        1_000 * UNIT
    ));
    assert_ok!(Lending::supply_collateral(
        RuntimeOrigin::signed(BOB),
        id,
        100 * UNIT
    ));
    id
}

#[test]
fn supply_collateral_moves_assets_and_indexes_only_debt() {
    ExtBuilder::default().build_and_execute(|| {
        let id = funded_market();
        assert_eq!(Positions::<Test>::get(id, BOB).collateral, 100 * UNIT);
        assert_eq!(balance(ETH, BOB), INITIAL - 100 * UNIT);
        assert_eq!(balance(ETH, pallet_account()), 100 * UNIT);
        assert_eq!(
            last_lending_event(),
            Event::CollateralSupplied {
                market: id,
                payer: BOB,
                on_behalf_of: BOB,
                amount: 100 * UNIT
            }
        );
        // No debt, no index entry.
        assert!(!IndexNodes::<Test>::contains_key(id, BOB));
        // Pledging for someone else.
        assert_ok!(<Lending as LendingMarket<AccountId>>::supply_collateral(
            &CHARLIE,
            id,
            &DAVE,
            7 * UNIT
        ));
        assert_eq!(Positions::<Test>::get(id, DAVE).collateral, 7 * UNIT);
        assert_eq!(balance(ETH, CHARLIE), INITIAL - 7 * UNIT);
        assert_noop!(
            Lending::supply_collateral(RuntimeOrigin::signed(BOB), id, 0),
            Error::<Test>::ZeroAmount
        );
    });
}

#[test]
fn borrow_up_to_the_lltv() {
    ExtBuilder::default().build_and_execute(|| {
        let id = funded_market();
        // 100 ETH · 2 USD · 80 % = 160 USD.
        assert_ok!(Lending::borrow(RuntimeOrigin::signed(BOB), id, 100 * UNIT));
        assert_eq!(
            Positions::<Test>::get(id, BOB).borrow_shares,
            100 * UNIT * 1_000_000
        );
        assert_eq!(balance(USD, BOB), INITIAL + 100 * UNIT);
        assert_eq!(
            last_lending_event(),
            Event::Borrowed {
                market: id,
                owner: BOB,
                receiver: BOB,
                assets: 100 * UNIT,
                shares: 100 * UNIT * 1_000_000,
            }
        );
        assert!(IndexNodes::<Test>::contains_key(id, BOB));
        assert_noop!(
            Lending::borrow(RuntimeOrigin::signed(BOB), id, 60 * UNIT + 1),
            Error::<Test>::InsufficientCollateral
        );
        assert_ok!(Lending::borrow(RuntimeOrigin::signed(BOB), id, 60 * UNIT));
        assert_eq!(
            Lending::position_health(id, &BOB),
            Ok(PositionHealth {
                borrow_assets: 160 * UNIT,
                max_borrow: 160 * UNIT,
                liquidatable: false
            })
        );
        let market = Markets::<Test>::get(id).unwrap();
        assert_eq!(market.total_borrow_assets, 160 * UNIT);
    });
}

#[test]
fn borrow_to_another_receiver_through_the_trait() {
    ExtBuilder::default().build_and_execute(|| {
        let id = funded_market();
        let shares =
            <Lending as LendingMarket<AccountId>>::borrow(&BOB, id, 10 * UNIT, &CHARLIE).unwrap();
        assert_eq!(shares, 10 * UNIT * 1_000_000);
        assert_eq!(balance(USD, CHARLIE), INITIAL + 10 * UNIT);
        assert_eq!(balance(USD, BOB), INITIAL);
        assert_eq!(
            Lending::position_info(id, &BOB).unwrap().borrow_assets,
            10 * UNIT
        );
    });
}

#[test]
fn borrow_rejects_bad_input() {
    ExtBuilder::default().build_and_execute(|| {
        let id = funded_market();
        let bob = RuntimeOrigin::signed(BOB);
        assert_noop!(
            Lending::borrow(bob.clone(), id, 0),
            Error::<Test>::ZeroAmount
        );
        // No collateral at all.
        assert_noop!(
            Lending::borrow(RuntimeOrigin::signed(CHARLIE), id, 1),
            Error::<Test>::InsufficientCollateral
        );
        // More than the market holds, though the collateral would carry it.
        assert_ok!(Lending::supply_collateral(bob.clone(), id, 10_000 * UNIT));
        assert_noop!(
            Lending::borrow(bob.clone(), id, 1_000 * UNIT + 1),
            Error::<Test>::InsufficientLiquidity
        );
        // A stale price: one hour passes without a feed.
        advance_time(MAX_PRICE_AGE + 1);
        assert_noop!(
            Lending::borrow(bob.clone(), id, UNIT),
            Error::<Test>::PriceStale
        );
        feed_price(ETH, FixedU128::from_u32(2));
        assert_noop!(
            Lending::borrow(bob.clone(), id, UNIT),
            Error::<Test>::PriceStale
        );
        // Both feeds must be fresh.
        feed_price(USD, FixedU128::one());
        assert_ok!(Lending::borrow(bob, id, UNIT));
    });
}

#[test]
fn borrow_needs_a_price() {
    ExtBuilder::default().build_and_execute(|| {
        // DOGE has no oracle feed.
        assert_ok!(Lending::create_market(
            RuntimeOrigin::root(),
            USD,
            DOGE,
            Perbill::from_percent(80),
            rate_model()
        ));
        assert_ok!(Lending::supply(RuntimeOrigin::signed(ALICE), 0, 100 * UNIT));
        assert_ok!(Lending::supply_collateral(
            RuntimeOrigin::signed(BOB),
            0,
            100 * UNIT
        ));
        assert_noop!(
            Lending::borrow(RuntimeOrigin::signed(BOB), 0, UNIT),
            Error::<Test>::PriceUnavailable
        );
        // A zero price counts as no price.
        feed_price(DOGE, FixedU128::zero());
        assert_noop!(
            Lending::borrow(RuntimeOrigin::signed(BOB), 0, UNIT),
            Error::<Test>::PriceUnavailable
        );
        // Without debt, collateral leaves without any price.
        assert_ok!(Lending::withdraw_collateral(
            RuntimeOrigin::signed(BOB),
            0,
            100 * UNIT
        ));
        assert!(!Positions::<Test>::contains_key(0, BOB));
    });
}

#[test]
fn withdraw_collateral_keeps_the_position_healthy() {
    ExtBuilder::default().build_and_execute(|| {
        let id = funded_market();
        let bob = RuntimeOrigin::signed(BOB);
        assert_ok!(Lending::borrow(bob.clone(), id, 80 * UNIT));
        // 80 USD needs 50 ETH at 2 USD and 80 %.
        assert_noop!(
            Lending::withdraw_collateral(bob.clone(), id, 50 * UNIT + 1),
            Error::<Test>::InsufficientCollateral
        );
        assert_noop!(
            Lending::withdraw_collateral(bob.clone(), id, 100 * UNIT + 1),
            Error::<Test>::CollateralExceeded
        );
        assert_noop!(
            Lending::withdraw_collateral(bob.clone(), id, 0),
            Error::<Test>::ZeroAmount
        );
        assert_ok!(Lending::withdraw_collateral(bob.clone(), id, 50 * UNIT));
        assert_eq!(Positions::<Test>::get(id, BOB).collateral, 50 * UNIT);
        assert_eq!(balance(ETH, BOB), INITIAL - 50 * UNIT);
        assert_eq!(
            last_lending_event(),
            Event::CollateralWithdrawn {
                market: id,
                owner: BOB,
                receiver: BOB,
                amount: 50 * UNIT
            }
        );
        // With debt, a stale price blocks the withdrawal.
        advance_time(MAX_PRICE_AGE + 1);
        assert_noop!(
            Lending::withdraw_collateral(bob, id, 1),
            Error::<Test>::PriceStale
        );
    });
}

#[test]
fn repay_partially_and_fully() {
    ExtBuilder::default().build_and_execute(|| {
        let id = funded_market();
        assert_ok!(Lending::borrow(RuntimeOrigin::signed(BOB), id, 100 * UNIT));
        assert_ok!(Lending::repay(
            RuntimeOrigin::signed(BOB),
            id,
            BOB,
            30 * UNIT
        ));
        assert_eq!(
            Positions::<Test>::get(id, BOB).borrow_shares,
            70 * UNIT * 1_000_000
        );
        assert_eq!(balance(USD, BOB), INITIAL + 70 * UNIT);
        assert_eq!(
            last_lending_event(),
            Event::Repaid {
                market: id,
                payer: BOB,
                on_behalf_of: BOB,
                assets: 30 * UNIT,
                shares: 30 * UNIT * 1_000_000,
            }
        );
        // Repaying more than the debt pays exactly the debt.
        assert_ok!(Lending::repay(
            RuntimeOrigin::signed(BOB),
            id,
            BOB,
            1_000 * UNIT
        ));
        assert_eq!(balance(USD, BOB), INITIAL);
        let position = Positions::<Test>::get(id, BOB);
        assert_eq!(position.borrow_shares, 0);
        assert!(!IndexNodes::<Test>::contains_key(id, BOB));
        assert_eq!(Markets::<Test>::get(id).unwrap().total_borrow_assets, 0);
    });
}

#[test]
fn anyone_may_repay_for_a_borrower() {
    ExtBuilder::default().build_and_execute(|| {
        let id = funded_market();
        assert_ok!(Lending::borrow(RuntimeOrigin::signed(BOB), id, 100 * UNIT));
        assert_ok!(Lending::repay(
            RuntimeOrigin::signed(CHARLIE),
            id,
            BOB,
            40 * UNIT
        ));
        assert_eq!(balance(USD, CHARLIE), INITIAL - 40 * UNIT);
        assert_eq!(balance(USD, BOB), INITIAL + 100 * UNIT);
        assert_eq!(
            Lending::position_info(id, &BOB).unwrap().borrow_assets,
            60 * UNIT
        );
        let paid =
            <Lending as LendingMarket<AccountId>>::repay(&DAVE, id, &BOB, u128::MAX).unwrap();
        assert_eq!(paid, 60 * UNIT);
        assert_eq!(balance(USD, DAVE), INITIAL - 60 * UNIT);
        assert!(!IndexNodes::<Test>::contains_key(id, BOB));
    });
}

#[test]
fn repay_rejects_bad_input() {
    ExtBuilder::default().build_and_execute(|| {
        let id = funded_market();
        assert_noop!(
            Lending::repay(RuntimeOrigin::signed(CHARLIE), id, BOB, UNIT),
            Error::<Test>::NothingToRepay
        );
        assert_ok!(Lending::borrow(RuntimeOrigin::signed(BOB), id, 100 * UNIT));
        assert_noop!(
            Lending::repay(RuntimeOrigin::signed(CHARLIE), id, BOB, 0),
            Error::<Test>::ZeroAmount
        );
        // Repayment needs no price.
        advance_time(MAX_PRICE_AGE + 1);
        assert_ok!(Lending::repay(
            RuntimeOrigin::signed(CHARLIE),
            id,
            BOB,
            UNIT
        ));
    });
}
