//! Liquidation by the backstop: who may liquidate when, the cushion consumed first, other
//! providers paid back, big positions split per seat, the permission hook for the market.

use super::mock::*;
use crate::{Cushions, Error, Event};
use backstop_primitives::{Assignee, LiquidationPermission};
use frame_support::{assert_noop, assert_ok};

/// ALICE: 1 ETH, 1 000 USD; MEMBER_1 tops up 100 at 1 300, MEMBER_2 tops up 100 after.
fn two_cushions() {
    open_position(ALICE, UNIT, 1_000 * UNIT);
    set_eth_price(1300);
    assert_ok!(Avatar::top_up(
        RuntimeOrigin::signed(MEMBER_1),
        MARKET,
        ALICE,
        100 * UNIT
    ));
    assign(ALICE, Assignee::Member(MEMBER_2));
    assert_ok!(Avatar::top_up(
        RuntimeOrigin::signed(MEMBER_2),
        MARKET,
        ALICE,
        100 * UNIT
    ));
}

#[test]
fn liquidation_is_refused_outside_the_rules() {
    ExtBuilder::default().build_and_execute(|| {
        let member = RuntimeOrigin::signed(MEMBER_1);
        assert_noop!(
            Avatar::liquidate(member.clone(), MARKET, ALICE, 0),
            Error::<Test>::ZeroAmount
        );
        assert_noop!(
            Avatar::liquidate(member.clone(), 9, ALICE, 1),
            Error::<Test>::UnknownMarket
        );
        assert_noop!(
            Avatar::liquidate(member.clone(), ETH_LOAN_MARKET, ALICE, 1),
            Error::<Test>::NotStableMarket
        );
        assert_noop!(
            Avatar::liquidate(member.clone(), MARKET, ALICE, 1),
            Error::<Test>::NoAvatar
        );
        open_position(ALICE, UNIT, 1_000 * UNIT);
        // 1 000 ≤ 1 250 · 0.8: healthy by the backstop's rule.
        set_eth_price(1250);
        assert_noop!(
            Avatar::liquidate(member.clone(), MARKET, ALICE, UNIT),
            Error::<Test>::PositionHealthy
        );
        set_eth_price(1249);
        assert_noop!(
            Avatar::liquidate(RuntimeOrigin::signed(MEMBER_2), MARKET, ALICE, UNIT),
            Error::<Test>::NotAssignedMember
        );
        assert_noop!(
            Avatar::liquidate(member, MARKET, ALICE, 1_000 * UNIT + 1),
            Error::<Test>::AmountExceedsDebt
        );
    });
}

#[test]
fn liquidation_consumes_own_cushion_then_pays_back_the_others() {
    ExtBuilder::default().build_and_execute(|| {
        two_cushions();
        // ETH at 1 200: 1 000 > 960 for the backstop; the market sees 800 ≤ 960.
        set_eth_price(1200);
        // MEMBER_2 (assigned now) liquidates 150: its 100, then 50 of MEMBER_1's.
        assert_ok!(Avatar::liquidate(
            RuntimeOrigin::signed(MEMBER_2),
            MARKET,
            ALICE,
            150 * UNIT
        ));
        // 150 · LIF = 159.574468 → / 1 200 = 0.132978 ETH, worth 159.5736: gain 9.5736,
        // 4.7868 to the jar.
        let (seized, to_jar) = (132_978, 4_786_800);
        assert_eq!(
            last_event(),
            Event::Liquidated {
                market: MARKET,
                user: ALICE,
                liquidator: MEMBER_2,
                amount: 150 * UNIT,
                cushion_used: 150 * UNIT,
                repaid: 0,
                seized,
                to_jar,
            }
        );
        assert_eq!(committed(MEMBER_1), COMMITMENT - 50 * UNIT);
        assert_eq!(
            committed(MEMBER_2),
            COMMITMENT - 100 * UNIT - 50 * UNIT - to_jar
        );
        assert_eq!(balance(ETH, MEMBER_2), INITIAL + seized);
        assert_eq!(balance(USD, JAR), to_jar);
        assert_eq!(cushion(ALICE), 50 * UNIT);
        assert_eq!(market_position(ALICE).borrow_assets, 800 * UNIT);
        let totals = Cushions::<Test>::get(MARKET);
        assert_eq!(
            (totals.paid_in, totals.returned, totals.consumed),
            (200 * UNIT, 50 * UNIT, 100 * UNIT)
        );
    });
}

#[test]
fn a_liquidation_that_leaves_the_market_position_unhealthy_is_refused() {
    ExtBuilder::default().build_and_execute(|| {
        two_cushions();
        set_eth_price(1010);
        // 800 > 808? No: the market still sees it healthy (800 ≤ 808); consuming 200 of
        // cushion for 0.21 ETH would leave 800 against 0.79 ETH · 1 010 · 0.8 = 638.
        assert_noop!(
            Avatar::liquidate(RuntimeOrigin::signed(MEMBER_2), MARKET, ALICE, 200 * UNIT),
            pallet_lending::Error::<Test>::InsufficientCollateral
        );
        // Liquidating everything always passes.
        assert_ok!(Avatar::liquidate(
            RuntimeOrigin::signed(MEMBER_2),
            MARKET,
            ALICE,
            1_000 * UNIT
        ));
        assert_eq!(market_position(ALICE).borrow_assets, 0);
        assert_eq!(cushion(ALICE), 0);
        assert_eq!(committed(MEMBER_1), COMMITMENT);
    });
}

#[test]
fn big_positions_are_liquidated_per_seat() {
    ExtBuilder::default().build_and_execute(|| {
        // Margin mode (75 %), so that a partial liquidation can leave the position still
        // liquidatable by the backstop while the market sees it healthy.
        let mut params = crate::Params::<Test>::get(MARKET);
        params.mode = crate::Mode::Margin;
        params.margin = sp_arithmetic::Perbill::from_percent(5);
        params.big_position = 500 * UNIT;
        assert_ok!(Avatar::set_params(RuntimeOrigin::root(), MARKET, params));
        run_to_block(1 + DELAY);
        open_position(ALICE, 10 * UNIT, 1_000 * UNIT);
        // 1 000 > 10 · 130 · 0.75 = 975: each of the 2 seats may liquidate 500.
        set_eth_price(130);
        assert_ok!(Avatar::liquidate(
            RuntimeOrigin::signed(MEMBER_2),
            MARKET,
            ALICE,
            100 * UNIT
        ));
        // 900 against 9.18167 ETH · 130 · 0.75 = 895.2: still liquidatable.
        assert_noop!(
            Avatar::liquidate(
                RuntimeOrigin::signed(MEMBER_2),
                MARKET,
                ALICE,
                400 * UNIT + 1
            ),
            Error::<Test>::ExceedsSeatPart
        );
        assert_noop!(
            Avatar::liquidate(RuntimeOrigin::signed(ALICE), MARKET, ALICE, UNIT),
            Error::<Test>::NotAssignedMember
        );
        assert_ok!(Avatar::liquidate(
            RuntimeOrigin::signed(MEMBER_1),
            MARKET,
            ALICE,
            500 * UNIT
        ));
        assert_eq!(market_position(ALICE).borrow_assets, 400 * UNIT);
    });
}

#[test]
fn the_market_liquidation_is_reserved_to_the_pool_after_the_priority_window() {
    ExtBuilder::default().build_and_execute(|| {
        open_position(ALICE, UNIT, 1_000 * UNIT);
        open_position(BOB, UNIT, 1_000 * UNIT);
        let avatar = Avatar::avatar_of(&ALICE);
        // Not an avatar: anyone.
        assert!(<Avatar as LiquidationPermission<AccountId>>::may_liquidate(
            MARKET, &OUTSIDER, &OUTSIDER
        ));
        set_eth_price(1200);
        // The market itself says liquidatable (1 000 > 960).
        assert_noop!(
            Lending::liquidate(RuntimeOrigin::signed(OUTSIDER), MARKET, avatar, UNIT / 10),
            pallet_lending::Error::<Test>::LiquidationNotPermitted
        );
        assert_noop!(
            Lending::liquidate(RuntimeOrigin::signed(MEMBER_1), MARKET, avatar, UNIT / 10),
            pallet_lending::Error::<Test>::LiquidationNotPermitted
        );
        // The episode starts at the first sync (block 1); the pool waits 600 blocks.
        assert_ok!(Avatar::sync(RuntimeOrigin::signed(OUTSIDER), MARKET, ALICE));
        assert_eq!(
            last_event(),
            Event::EpisodeStarted {
                market: MARKET,
                user: ALICE,
                since: 1,
                debt: 1_000 * UNIT
            }
        );
        run_to_block(600);
        assert_noop!(
            Lending::liquidate(RuntimeOrigin::signed(POOL), MARKET, avatar, UNIT / 10),
            pallet_lending::Error::<Test>::LiquidationNotPermitted
        );
        run_to_block(601);
        assert_ok!(Lending::liquidate(
            RuntimeOrigin::signed(POOL),
            MARKET,
            avatar,
            UNIT / 10
        ));
        // A position the franchise assigns to the pool (no member left) needs no wait.
        assign(BOB, Assignee::Pool);
        assert_ok!(Lending::liquidate(
            RuntimeOrigin::signed(POOL),
            MARKET,
            Avatar::avatar_of(&BOB),
            UNIT / 10
        ));
        // The avatar sees the loss of collateral at its next sync: a liquidation, not a slash.
        assert_ok!(Avatar::sync(RuntimeOrigin::signed(OUTSIDER), MARKET, ALICE));
        assert!(matches!(
            last_event(),
            Event::OutsideChange {
                liquidation: true,
                ..
            }
        ));
        assert!(!score_reports().iter().any(|r| r.0 == ALICE && r.4));
    });
}
