//! Liquidation: only unhealthy positions, the LIF formula, over-liquidation, the permission
//! hook, bad debt socialised to suppliers.

use super::mock::*;
use crate::{Error, Event, IndexNodes, Markets, Positions};
use backstop_primitives::LendingMarket;
use frame_support::{assert_noop, assert_ok};
use sp_arithmetic::{traits::One, FixedU128};

/// ALICE supplies 10 000 USD; BOB pledges 100 ETH (200 USD at 2 USD) and borrows 150 USD.
fn market_with_borrower() -> u32 {
    let id = create_market();
    assert_ok!(Lending::supply(
        RuntimeOrigin::signed(ALICE),
        id,
        10_000 * UNIT
    ));
    assert_ok!(Lending::supply_collateral(
        RuntimeOrigin::signed(BOB),
        id,
        100 * UNIT
    ));
    assert_ok!(Lending::borrow(RuntimeOrigin::signed(BOB), id, 150 * UNIT));
    id
}

fn set_eth_price(usd: FixedU128) {
    feed_price(ETH, usd);
}

#[test]
fn healthy_positions_cannot_be_liquidated() {
    ExtBuilder::default().build_and_execute(|| {
        let id = market_with_borrower();
        let charlie = RuntimeOrigin::signed(CHARLIE);
        assert_noop!(
            Lending::liquidate(charlie.clone(), id, BOB, UNIT),
            Error::<Test>::PositionHealthy
        );
        // No debt at all.
        assert_noop!(
            Lending::liquidate(charlie.clone(), id, ALICE, UNIT),
            Error::<Test>::PositionHealthy
        );
        // Exactly at the limit is still healthy: 150 = 100 · 1.875 · 0.8.
        set_eth_price(FixedU128::from_rational(1875, 1000));
        assert_noop!(
            Lending::liquidate(charlie, id, BOB, UNIT),
            Error::<Test>::PositionHealthy
        );
        assert!(!Lending::position_health(id, &BOB).unwrap().liquidatable);
    });
}

#[test]
fn partial_liquidation_repays_seized_value_over_lif() {
    ExtBuilder::default().build_and_execute(|| {
        let id = market_with_borrower();
        set_eth_price(FixedU128::from_rational(18, 10));
        assert!(Lending::position_health(id, &BOB).unwrap().liquidatable);
        // The quote is what the liquidation then charges.
        let quoted =
            <Lending as LendingMarket<AccountId>>::liquidation_repayment(id, 10 * UNIT).unwrap();
        assert_ok!(Lending::liquidate(
            RuntimeOrigin::signed(CHARLIE),
            id,
            BOB,
            10 * UNIT
        ));
        // 10 ETH · 1.8 = 18 USD; / LIF (1/0.94 rounded down) = 16.920001 USD rounded up.
        let repaid = 16_920_001;
        assert_eq!(quoted, repaid);
        assert_eq!(balance(ETH, CHARLIE), INITIAL + 10 * UNIT);
        assert_eq!(balance(USD, CHARLIE), INITIAL - repaid);
        let position = Positions::<Test>::get(id, BOB);
        assert_eq!(position.collateral, 90 * UNIT);
        assert_eq!(position.borrow_shares, (150 * UNIT - repaid) * 1_000_000);
        assert_eq!(
            Lending::position_info(id, &BOB).unwrap().borrow_assets,
            150 * UNIT - repaid
        );
        assert_eq!(
            last_lending_event(),
            Event::Liquidated {
                market: id,
                liquidator: CHARLIE,
                borrower: BOB,
                repaid_assets: repaid,
                repaid_shares: repaid * 1_000_000,
                seized: 10 * UNIT,
                bad_debt: 0,
            }
        );
        // Suppliers lose nothing.
        assert_eq!(
            Markets::<Test>::get(id).unwrap().total_supply_assets,
            10_000 * UNIT
        );
        // Still unhealthy (133.08 > 90 · 1.8 · 0.8 = 129.6): liquidation continues through
        // the trait, which returns (repaid, seized).
        // After interest has accrued (shares no longer 1:1), the quote still matches.
        Timestamp::set_timestamp(Timestamp::get() + 30 * 24 * 3_600_000);
        feed_price(USD, FixedU128::one());
        set_eth_price(FixedU128::from_rational(18, 10));
        let quoted =
            <Lending as LendingMarket<AccountId>>::liquidation_repayment(id, UNIT).unwrap();
        let (repaid, seized) =
            <Lending as LendingMarket<AccountId>>::liquidate(&DAVE, id, &BOB, UNIT).unwrap();
        assert_eq!(seized, UNIT);
        assert_eq!(repaid, quoted);
        assert!(repaid >= 1_692_001);
    });
}

#[test]
fn liquidation_rejects_bad_input() {
    ExtBuilder::default().build_and_execute(|| {
        let id = market_with_borrower();
        set_eth_price(FixedU128::from_rational(18, 10));
        let charlie = RuntimeOrigin::signed(CHARLIE);
        assert_noop!(
            Lending::liquidate(charlie.clone(), id, BOB, 0),
            Error::<Test>::ZeroAmount
        );
        assert_noop!(
            Lending::liquidate(charlie.clone(), id, BOB, 100 * UNIT + 1),
            Error::<Test>::SeizeExceedsCollateral
        );
        // All 100 ETH would repay 169.2 USD of a 150 USD debt: over-liquidation.
        assert_noop!(
            Lending::liquidate(charlie.clone(), id, BOB, 100 * UNIT),
            Error::<Test>::RepayExceedsDebt
        );
        advance_time(MAX_PRICE_AGE + 1);
        assert_noop!(
            Lending::liquidate(charlie, id, BOB, UNIT),
            Error::<Test>::PriceStale
        );
    });
}

#[test]
fn the_permission_hook_decides_who_liquidates() {
    ExtBuilder::default().build_and_execute(|| {
        let id = market_with_borrower();
        set_eth_price(FixedU128::from_rational(18, 10));
        BARRED_LIQUIDATORS.with(|b| b.borrow_mut().push(CHARLIE));
        assert_noop!(
            Lending::liquidate(RuntimeOrigin::signed(CHARLIE), id, BOB, UNIT),
            Error::<Test>::LiquidationNotPermitted
        );
        assert_ok!(Lending::liquidate(
            RuntimeOrigin::signed(DAVE),
            id,
            BOB,
            UNIT
        ));
    });
}

#[test]
fn bad_debt_is_realised_and_socialised() {
    ExtBuilder::default().build_and_execute(|| {
        let id = market_with_borrower();
        // 100 ETH at 1 USD: worth 100 USD against 150 USD of debt.
        set_eth_price(FixedU128::one());
        assert_ok!(Lending::liquidate(
            RuntimeOrigin::signed(CHARLIE),
            id,
            BOB,
            100 * UNIT
        ));
        // Seizing everything repays 100 / LIF = 94.000001 USD; 55.999999 USD is bad debt.
        let (repaid, bad_debt) = (94_000_001, 55_999_999);
        assert_eq!(balance(USD, CHARLIE), INITIAL - repaid);
        assert_eq!(balance(ETH, CHARLIE), INITIAL + 100 * UNIT);
        assert_eq!(
            BAD_DEBTS.with(|d| d.borrow().clone()),
            vec![(id, BOB, bad_debt)]
        );
        assert!(!Positions::<Test>::contains_key(id, BOB));
        // The index is lazy on liquidation: the node stays until pruned.
        assert!(IndexNodes::<Test>::contains_key(id, BOB));
        assert_eq!(Lending::prune_index(id, 8), Ok(1));
        assert!(!IndexNodes::<Test>::contains_key(id, BOB));
        let market = Markets::<Test>::get(id).unwrap();
        assert_eq!(market.total_borrow_assets, 0);
        assert_eq!(market.total_borrow_shares, 0);
        assert_eq!(market.total_supply_assets, 10_000 * UNIT - bad_debt);
        // The suppliers bear the loss.
        assert_eq!(
            Lending::position_info(id, &ALICE).unwrap().supply_assets,
            9_944_000_001
        );
        assert_eq!(
            last_lending_event(),
            Event::Liquidated {
                market: id,
                liquidator: CHARLIE,
                borrower: BOB,
                repaid_assets: repaid,
                repaid_shares: repaid * 1_000_000,
                seized: 100 * UNIT,
                bad_debt,
            }
        );
        // Every remaining supplier asset is withdrawable.
        assert_ok!(Lending::withdraw(
            RuntimeOrigin::signed(ALICE),
            id,
            9_944_000_001
        ));
    });
}

#[test]
fn the_smallest_seizure_still_pays() {
    ExtBuilder::default().build_and_execute(|| {
        let id = market_with_borrower();
        set_eth_price(FixedU128::from_rational(18, 10));
        // The smallest seizure still repays at least one unit: rounding never hands out
        // collateral for free.
        assert_ok!(Lending::liquidate(
            RuntimeOrigin::signed(CHARLIE),
            id,
            BOB,
            1
        ));
        assert_eq!(balance(USD, CHARLIE), INITIAL - 2);
        assert_eq!(balance(ETH, CHARLIE), INITIAL + 1);
    });
}
