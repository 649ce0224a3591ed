//! The whole life of a position, in cushion mode and in margin mode, checked against
//! hand-computed balances of the user, the member, the jar and the market.
//!
//! Both assets have 6 decimals, so a price of `p` USD per ETH is `p` USD units per ETH unit;
//! the market's lltv is 80 % and its LIF `1/0.94 = 1.063829787234042553` (rounded down).
//! The clock does not move, so no interest accrues.

use super::mock::*;
use crate::{Error, Event, Mode};
use backstop_primitives::Assignee;
use frame_support::{assert_noop, assert_ok};

#[test]
fn life_of_a_position_in_cushion_mode() {
    ExtBuilder::default().build_and_execute(|| {
        let user = RuntimeOrigin::signed(ALICE);
        // 1. ETH at 3 000: supply 1 ETH, borrow 1 000 USD.
        open_position(ALICE, UNIT, 1_000 * UNIT);
        assert_eq!(balance(USD, ALICE), INITIAL + 1_000 * UNIT);
        assert_eq!(balance(ETH, ALICE), INITIAL - UNIT);

        // 2. ETH at 1 300: 1 000 > 1 300 · 0.8 · 0.9 = 936, inside the band; still healthy
        //    (1 040). MEMBER_1 (assigned) tops up 200 of the allowed 25 ..= 500.
        set_eth_price(1300);
        assert_ok!(Avatar::top_up(
            RuntimeOrigin::signed(MEMBER_1),
            MARKET,
            ALICE,
            200 * UNIT
        ));
        assert_eq!(committed(MEMBER_1), COMMITMENT - 200 * UNIT);

        // 3. The market sees 800 of debt; the avatar still counts 1 000.
        assert_eq!(market_position(ALICE).borrow_assets, 800 * UNIT);
        assert_eq!(Avatar::debt_backstop(MARKET, &ALICE).unwrap(), 1_000 * UNIT);
        assert_eq!(cushion(ALICE), 200 * UNIT);

        // 4. The user repays 300: 200 to MEMBER_1's commitment, 100 to the market.
        assert_ok!(Avatar::repay(user.clone(), MARKET, 300 * UNIT));
        assert_eq!(committed(MEMBER_1), COMMITMENT);
        assert_eq!(cushion(ALICE), 0);
        assert_eq!(market_position(ALICE).borrow_assets, 700 * UNIT);

        // 5. ETH at 950: 700 > 950 · 0.72 = 684, in the band again; MEMBER_1 tops up 50.
        set_eth_price(950);
        assert_ok!(Avatar::top_up(
            RuntimeOrigin::signed(MEMBER_1),
            MARKET,
            ALICE,
            50 * UNIT
        ));
        assert_eq!(market_position(ALICE).borrow_assets, 650 * UNIT);

        // 6. ETH at 780: the avatar sees 700 > 624 and the market 650 > 624. Only the backstop
        //    may liquidate: an outsider calling pallet-lending directly is refused.
        set_eth_price(780);
        assert_noop!(
            Lending::liquidate(
                RuntimeOrigin::signed(OUTSIDER),
                MARKET,
                Avatar::avatar_of(&ALICE),
                UNIT / 10
            ),
            pallet_lending::Error::<Test>::LiquidationNotPermitted
        );
        // So is the pool (it liquidates avatars only through `pool_liquidate`), and that
        // waits for the member's priority window.
        assert_ok!(Avatar::sync(RuntimeOrigin::signed(OUTSIDER), MARKET, ALICE));
        assert_noop!(
            Avatar::pool_liquidate(RuntimeOrigin::signed(OUTSIDER), MARKET, ALICE, 100 * UNIT),
            Error::<Test>::PriorityNotPassed
        );
        assert_noop!(
            Lending::liquidate(
                RuntimeOrigin::signed(POOL),
                MARKET,
                Avatar::avatar_of(&ALICE),
                UNIT / 10
            ),
            pallet_lending::Error::<Test>::LiquidationNotPermitted
        );

        // 7. MEMBER_1 liquidates the whole 700: its 50 of cushion, then 650 of market debt.
        //    Collateral: 700 · LIF (1.063829787234042553) = 744.680851 USD, / 780 = 0.954719
        //    ETH (rounded down), worth 744.680820 USD: gain 44.680820, half (rounded up) to
        //    the jar: 22.340410.
        let (jar_before, market_usd_before) = (balance(USD, JAR), balance(USD, market_account()));
        assert_ok!(Avatar::liquidate(
            RuntimeOrigin::signed(MEMBER_1),
            MARKET,
            ALICE,
            700 * UNIT
        ));
        let seized = 954_719;
        let to_jar = 22_340_410;
        assert_eq!(
            last_event(),
            Event::Liquidated {
                market: MARKET,
                user: ALICE,
                liquidator: MEMBER_1,
                amount: 700 * UNIT,
                cushion_used: 50 * UNIT,
                repaid: 650 * UNIT,
                seized,
                to_jar,
            }
        );
        // User: kept the 700 USD it borrowed net of repayments; 1 − 0.954719 ETH stays
        // pledged, no debt, no cushion.
        assert_eq!(balance(USD, ALICE), INITIAL + 700 * UNIT);
        assert_eq!(balance(ETH, ALICE), INITIAL - UNIT);
        assert_eq!(market_position(ALICE).collateral, UNIT - seized);
        assert_eq!(market_position(ALICE).borrow_assets, 0);
        assert_eq!(cushion(ALICE), 0);
        // Member: −200 +200 −50 −650 −22.340020 of commitment; the collateral in its account.
        assert_eq!(
            committed(MEMBER_1),
            COMMITMENT - 50 * UNIT - 650 * UNIT - to_jar
        );
        assert_eq!(balance(ETH, MEMBER_1), INITIAL + seized);
        // Jar and market.
        assert_eq!(balance(USD, JAR), jar_before + to_jar);
        assert_eq!(
            balance(USD, market_account()),
            market_usd_before + 650 * UNIT
        );
        assert_eq!(balance(ETH, market_account()), UNIT - seized);
        // 100 000 supplied − 1 000 borrowed + 200 + 100 + 50 + 650 repaid.
        assert_eq!(market_usd_before + 650 * UNIT, 100_000 * UNIT);
        assert_eq!(
            balance(USD, VAULT),
            2 * COMMITMENT - 50 * UNIT - 650 * UNIT - to_jar
        );
        // The episode ended with the position healthy again.
        assert!(crate::Positions::<Test>::get(MARKET, ALICE)
            .unwrap()
            .episode
            .is_none());
    });
}

#[test]
fn life_of_a_position_in_margin_mode() {
    ExtBuilder::default().build_and_execute(|| {
        let mut params = crate::Params::<Test>::get(MARKET);
        params.mode = Mode::Margin;
        assert_ok!(Avatar::set_params(RuntimeOrigin::root(), MARKET, params));
        run_to_block(1 + DELAY);
        let user = RuntimeOrigin::signed(ALICE);

        // ETH at 3 000: supply 1 ETH, borrow 1 000 USD.
        open_position(ALICE, UNIT, 1_000 * UNIT);
        assert_eq!(crate::Params::<Test>::get(MARKET).mode, Mode::Margin);

        // ETH at 1 400: the market would lend up to 1 120, the avatar stops at 1 400 · 0.77
        // = 1 078: borrowing 100 more is refused, 50 more is fine.
        set_eth_price(1400);
        assert_noop!(
            Avatar::borrow(user.clone(), MARKET, 100 * UNIT),
            Error::<Test>::MarginExceeded
        );
        assert_ok!(Avatar::borrow(user.clone(), MARKET, 50 * UNIT));
        // No cushion in margin mode.
        assert_noop!(
            Avatar::top_up(RuntimeOrigin::signed(MEMBER_1), MARKET, ALICE, 100 * UNIT),
            Error::<Test>::NotCushionMode
        );
        assert_ok!(Avatar::repay(user.clone(), MARKET, 250 * UNIT));

        // ETH at 1 030: 800 > 1 030 · 0.77 = 793.1 — the backstop may liquidate while the
        // market (800 ≤ 824) lets no one.
        set_eth_price(1030);
        assert_noop!(
            Lending::liquidate(
                RuntimeOrigin::signed(OUTSIDER),
                MARKET,
                Avatar::avatar_of(&ALICE),
                UNIT / 10
            ),
            pallet_lending::Error::<Test>::PositionHealthy
        );
        assert_noop!(
            Avatar::liquidate(RuntimeOrigin::signed(MEMBER_2), MARKET, ALICE, 400 * UNIT),
            Error::<Test>::NotAssignedMember
        );
        // MEMBER_1 liquidates 400: 400 · LIF = 425.531914 USD, / 1 030 = 0.413137 ETH,
        // worth 425.531110: gain 25.531110, 12.765555 to the jar.
        let market_usd_before = balance(USD, market_account());
        assert_ok!(Avatar::liquidate(
            RuntimeOrigin::signed(MEMBER_1),
            MARKET,
            ALICE,
            400 * UNIT
        ));
        let seized = 413_137;
        let to_jar = 12_765_555;
        assert_eq!(
            last_event(),
            Event::Liquidated {
                market: MARKET,
                user: ALICE,
                liquidator: MEMBER_1,
                amount: 400 * UNIT,
                cushion_used: 0,
                repaid: 400 * UNIT,
                seized,
                to_jar,
            }
        );
        assert_eq!(balance(USD, ALICE), INITIAL + 1_050 * UNIT - 250 * UNIT);
        assert_eq!(market_position(ALICE).borrow_assets, 400 * UNIT);
        assert_eq!(market_position(ALICE).collateral, UNIT - seized);
        assert_eq!(committed(MEMBER_1), COMMITMENT - 400 * UNIT - to_jar);
        assert_eq!(balance(ETH, MEMBER_1), INITIAL + seized);
        assert_eq!(balance(USD, JAR), to_jar);
        assert_eq!(
            balance(USD, market_account()),
            market_usd_before + 400 * UNIT
        );
        // 400 against 0.586863 ETH · 1 030 · 0.77 = 465.4: safe again.
        assert!(crate::Positions::<Test>::get(MARKET, ALICE)
            .unwrap()
            .episode
            .is_none());
        assign(ALICE, Assignee::Member(MEMBER_2));
        assert_noop!(
            Avatar::liquidate(RuntimeOrigin::signed(MEMBER_2), MARKET, ALICE, UNIT),
            Error::<Test>::PositionHealthy
        );
    });
}
