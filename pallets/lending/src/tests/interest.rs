//! Lazy interest accrual against hand-computed values.

use super::mock::*;
use crate::{math::YEAR_MS, Event, Markets};
use frame_support::assert_ok;
use sp_arithmetic::FixedU128;

/// ALICE supplies 1 000 USD, BOB borrows `debt` USD against 10 000 ETH.
fn market_with_debt(debt: u128) -> u32 {
    let id = create_market();
    assert_ok!(Lending::supply(
        RuntimeOrigin::signed(ALICE),
        id,
        1_000 * UNIT
    ));
    assert_ok!(Lending::supply_collateral(
        RuntimeOrigin::signed(BOB),
        id,
        10_000 * UNIT
    ));
    assert_ok!(Lending::borrow(RuntimeOrigin::signed(BOB), id, debt));
    id
}

/// Keeps the oracle fresh after moving the clock.
fn refeed() {
    feed_price(USD, FixedU128::from_u32(1));
    feed_price(ETH, FixedU128::from_u32(2));
}

#[test]
fn a_year_at_seven_percent() {
    ExtBuilder::default().build_and_execute(|| {
        let id = market_with_debt(500 * UNIT);
        // U = 50 %: rate = 2 % + 10 % · 0.5 = 7 %/year.
        advance_time(YEAR_MS as u64);
        refeed();
        // x = 0.07: x + x²/2 + x³/6 = 0.07 + 0.00245 + 0.000057166666666666 (each rounded
        // down at 18 decimals) = 0.072507166666666666; 500 USD · that = 36.253583 USD.
        let interest = 36_253_583;
        let view = Lending::view_accrued(id).unwrap();
        assert_eq!(view.total_borrow_assets, 500 * UNIT + interest);
        assert_eq!(view.total_supply_assets, 1_000 * UNIT + interest);
        // The view writes nothing.
        assert_eq!(
            Markets::<Test>::get(id).unwrap().total_borrow_assets,
            500 * UNIT
        );

        let bob = Lending::position_info(id, &BOB).unwrap();
        assert_eq!(bob.borrow_assets, 500 * UNIT + interest);
        // ALICE's share of the supply: 10^15 · (1 036 253 583 + 1) / (10^15 + 10^6), down.
        assert_eq!(
            Lending::position_info(id, &ALICE).unwrap().supply_assets,
            1_036_253_582
        );

        // An interaction accrues for real.
        assert_ok!(Lending::supply(RuntimeOrigin::signed(CHARLIE), id, UNIT));
        assert!(System::events().iter().any(|r| r.event
            == RuntimeEvent::Lending(Event::InterestAccrued {
                market: id,
                rate: FixedU128::from_rational(7, 100),
                interest,
            })));
        let market = Markets::<Test>::get(id).unwrap();
        assert_eq!(market.total_borrow_assets, 500 * UNIT + interest);
        assert_eq!(market.total_supply_assets, 1_001 * UNIT + interest);
        assert_eq!(market.last_update, GENESIS_MS + YEAR_MS as u64);

        // Repaying everything costs principal plus interest (rounded up).
        let before = balance(USD, BOB);
        assert_ok!(Lending::repay(
            RuntimeOrigin::signed(BOB),
            id,
            BOB,
            u128::MAX
        ));
        assert_eq!(before - balance(USD, BOB), 500 * UNIT + interest);
    });
}

#[test]
fn above_the_kink_the_second_slope_applies() {
    ExtBuilder::default().build_and_execute(|| {
        let id = market_with_debt(900 * UNIT);
        // U = 90 %: rate = 2 % + 10 % · 0.8 + 300 % · 0.1 = 40 %/year; half a year: x = 0.2,
        // factor = 0.2 + 0.02 + 0.001333333333333333 = 0.221333333333333333.
        advance_time(YEAR_MS as u64 / 2);
        let view = Lending::view_accrued(id).unwrap();
        assert_eq!(view.total_borrow_assets, 900 * UNIT + 199_199_999);
    });
}

#[test]
fn accrual_is_lazy_and_compounds_per_interaction() {
    ExtBuilder::default().build_and_execute(|| {
        let id = market_with_debt(500 * UNIT);
        // Each interaction accrues since the previous one, at the rate of the utilisation
        // then; interest from the first half earns interest in the second.
        advance_time(YEAR_MS as u64 / 2);
        assert_ok!(Lending::supply(RuntimeOrigin::signed(CHARLIE), id, UNIT));
        let first = Markets::<Test>::get(id).unwrap();
        // 7 %/year for half a year: x = 0.035, factor = 0.035 + 0.0006125 + 0.000007145833333333.
        let first_interest = 500 * UNIT * 35_619_645_833_333_333 / 1_000_000_000_000_000_000;
        assert_eq!(first.total_borrow_assets, 500 * UNIT + first_interest);

        advance_time(YEAR_MS as u64 / 2);
        assert_ok!(Lending::supply(RuntimeOrigin::signed(CHARLIE), id, UNIT));
        let second = Markets::<Test>::get(id).unwrap();
        let rate = rate_model().borrow_rate(crate::math::utilisation(
            first.total_borrow_assets,
            first.total_supply_assets,
        ));
        let expected =
            crate::math::accrued_interest(first.total_borrow_assets, rate, YEAR_MS as u64 / 2)
                .unwrap();
        assert!(expected > first_interest);
        assert_eq!(
            second.total_borrow_assets,
            first.total_borrow_assets + expected
        );
    });
}

#[test]
fn no_debt_no_interest() {
    ExtBuilder::default().build_and_execute(|| {
        let id = create_market();
        assert_ok!(Lending::supply(
            RuntimeOrigin::signed(ALICE),
            id,
            1_000 * UNIT
        ));
        advance_time(YEAR_MS as u64);
        assert_ok!(Lending::supply(RuntimeOrigin::signed(ALICE), id, UNIT));
        let market = Markets::<Test>::get(id).unwrap();
        assert_eq!(market.total_supply_assets, 1_001 * UNIT);
        assert_eq!(market.last_update, GENESIS_MS + YEAR_MS as u64);
        assert!(!System::events().iter().any(|r| matches!(
            r.event,
            RuntimeEvent::Lending(Event::InterestAccrued { .. })
        )));
    });
}
