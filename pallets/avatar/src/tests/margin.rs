//! Margin mode: borrows and collateral withdrawals kept below `lltv − margin`.

use super::mock::*;
use crate::{Error, Mode};
use frame_support::{assert_noop, assert_ok};

fn margin_mode() {
    let mut params = crate::Params::<Test>::get(MARKET);
    params.mode = Mode::Margin;
    params.margin = sp_arithmetic::Perbill::from_percent(5);
    assert_ok!(Avatar::set_params(RuntimeOrigin::root(), MARKET, params));
    run_to_block(1 + DELAY);
}

#[test]
fn borrows_and_withdrawals_stop_at_lltv_minus_margin() {
    ExtBuilder::default().build_and_execute(|| {
        margin_mode();
        let user = RuntimeOrigin::signed(ALICE);
        assert_ok!(Avatar::supply_collateral(user.clone(), MARKET, UNIT));
        // 1 ETH at 3 000 · 0.75 = 2 250 (the market would allow 2 400).
        assert_noop!(
            Avatar::borrow(user.clone(), MARKET, 2_250 * UNIT + 1),
            Error::<Test>::MarginExceeded
        );
        assert_ok!(Avatar::borrow(user.clone(), MARKET, 2_250 * UNIT));
        assert_ok!(Avatar::repay(user.clone(), MARKET, 750 * UNIT));
        // 1 500 needs 1 500 / 2 250 = 0.666667 ETH: 0.333333 may go, not 0.333334.
        assert_noop!(
            Avatar::withdraw_collateral(user.clone(), MARKET, 333_334),
            Error::<Test>::MarginExceeded
        );
        assert_ok!(Avatar::withdraw_collateral(user.clone(), MARKET, 333_333));
        // Supply-side withdrawals do not touch the margin.
        assert_ok!(Avatar::supply(user.clone(), MARKET, 10 * UNIT));
        assert_ok!(Avatar::withdraw(user, MARKET, 10 * UNIT));
    });
}

#[test]
fn the_backstop_liquidates_at_the_margin_line() {
    ExtBuilder::default().build_and_execute(|| {
        margin_mode();
        open_position(ALICE, UNIT, 1_500 * UNIT);
        // 1 500 ≤ 2 000 · 0.75: safe; 1 999: 1 500 > 1 499.25, the backstop may act while the
        // market (1 599.2) lets no one.
        set_eth_price(2000);
        assert_noop!(
            Avatar::liquidate(RuntimeOrigin::signed(MEMBER_1), MARKET, ALICE, 100 * UNIT),
            Error::<Test>::PositionHealthy
        );
        set_eth_price(1999);
        assert_ok!(Avatar::liquidate(
            RuntimeOrigin::signed(MEMBER_1),
            MARKET,
            ALICE,
            100 * UNIT
        ));
        assert_eq!(market_position(ALICE).borrow_assets, 1_400 * UNIT);
    });
}
