//! Liquidation by the backstop: who may liquidate when, the cushion consumed first, other
//! providers paid back, big positions split per seat, the permission hook for the market.

use super::mock::*;
use crate::{Cushions, Error, Event};
use backstop_primitives::{Assignee, LendingMarket, LiquidationPermission};
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
fn the_split_moves_to_market_debt_as_far_as_the_market_needs() {
    ExtBuilder::default().build_and_execute(|| {
        two_cushions();
        // ETH at 1 010: the backstop sees 1 000 > 808, the market 800 ≤ 808 (healthy).
        set_eth_price(1010);
        // MEMBER_2 liquidates 200. Collateral: 200 · LIF = 212.765957 USD, / 1 010 =
        // 0.210659 ETH. Left: 0.789341 ETH · 1 010 · 0.8 = 637.787528 of capacity, so at least
        // 800 − 637.787528 = 162.212472 must repay market debt, plus 2 units of headroom for
        // the market's share rounding; the other 37.787526 is MEMBER_2's own cushion.
        assert_ok!(Avatar::liquidate(
            RuntimeOrigin::signed(MEMBER_2),
            MARKET,
            ALICE,
            200 * UNIT
        ));
        let (seized, repaid, own) = (210_659, 162_212_474, 37_787_526);
        // Worth 0.210659 · 1 010 = 212.765590: gain 12.765590, half (rounded up) to the jar.
        let to_jar = 6_382_795;
        assert_eq!(
            last_event(),
            Event::Liquidated {
                market: MARKET,
                user: ALICE,
                liquidator: MEMBER_2,
                amount: 200 * UNIT,
                cushion_used: own,
                repaid,
                seized,
                to_jar,
            }
        );
        // The market position is 2 units below its limit, healthy.
        let position = market_position(ALICE);
        assert_eq!(position.borrow_assets, 637_787_526);
        assert_eq!(position.collateral, UNIT - seized);
        assert!(!Lending::is_liquidatable(MARKET, &Avatar::avatar_of(&ALICE)).unwrap());
        // MEMBER_1's cushion untouched, MEMBER_2's reduced by what it consumed.
        let record = crate::Positions::<Test>::get(MARKET, ALICE).unwrap();
        assert_eq!(record.cushion_of(&MEMBER_1), 100 * UNIT);
        assert_eq!(record.cushion_of(&MEMBER_2), 100 * UNIT - own);
        assert_eq!(committed(MEMBER_1), COMMITMENT - 100 * UNIT);
        assert_eq!(
            committed(MEMBER_2),
            COMMITMENT - 100 * UNIT - repaid - to_jar
        );
        assert_eq!(balance(ETH, MEMBER_2), INITIAL + seized);
        // Still liquidatable by the backstop's rule (800 > 637.79): the episode runs on.
        assert!(record.episode.is_some());
        // Liquidating everything that is left always passes. The 0.789341 ETH left are worth
        // 797.23, which pays for 797.23 / LIF = 749.40 of the 800: the position is wound
        // down. The market's 637.79 is repaid in full; the cushions (100 and 62.21) recover
        // the other 111.61 pro rata and the rest of them is written off.
        let rest = Avatar::debt_backstop(MARKET, &ALICE).unwrap();
        assert_eq!(rest, 800 * UNIT);
        assert_ok!(Avatar::liquidate(
            RuntimeOrigin::signed(MEMBER_2),
            MARKET,
            ALICE,
            rest
        ));
        assert_eq!(market_position(ALICE).borrow_assets, 0);
        assert_eq!(market_position(ALICE).collateral, 0);
        assert_eq!(cushion(ALICE), 0);
        // MEMBER_1's 100 recovers 111.61 · 100 / 162.21 ≈ 68.80.
        let back = committed(MEMBER_1) - (COMMITMENT - 100 * UNIT);
        assert!(back > 68_700_000 && back < 68_900_000, "{back}");
        let totals = Cushions::<Test>::get(MARKET);
        assert!(totals.written_off > 50 * UNIT);
    });
}

#[test]
fn a_position_the_market_sees_unhealthy_is_liquidated_through_the_market() {
    ExtBuilder::default().build_and_execute(|| {
        open_position(ALICE, UNIT, 1_000 * UNIT);
        // ETH at 1 200: the market itself sees 1 000 > 960.
        set_eth_price(1200);
        let avatar = Avatar::avatar_of(&ALICE);
        assert!(Lending::is_liquidatable(MARKET, &avatar).unwrap());
        // A partial liquidation of 100 could not withdraw collateral from a position the
        // market sees unhealthy: the avatar liquidates itself in the market instead, for
        // 100 · LIF / 1 200 = 0.088652 ETH; the market charges that at its own rounding.
        let usd_before = balance(USD, market_account());
        assert_ok!(Avatar::liquidate(
            RuntimeOrigin::signed(MEMBER_1),
            MARKET,
            ALICE,
            100 * UNIT
        ));
        let seized = 88_652;
        let repaid = balance(USD, market_account()) - usd_before;
        // 88 652 · 1 200 / LIF = 99.999456: at most a few units of rounding above.
        assert!((99_999_456..=100 * UNIT).contains(&repaid), "{repaid}");
        let to_jar = (seized * 1200 - repaid).div_ceil(2);
        assert_eq!(
            last_event(),
            Event::Liquidated {
                market: MARKET,
                user: ALICE,
                liquidator: MEMBER_1,
                amount: repaid,
                cushion_used: 0,
                repaid,
                seized,
                to_jar,
            }
        );
        assert_eq!(market_position(ALICE).borrow_assets, 1_000 * UNIT - repaid);
        assert_eq!(market_position(ALICE).collateral, UNIT - seized);
        // The member paid exactly what the market charged plus the jar's part (the unspent
        // rounding slack went back to its commitment) and holds the collateral; the avatar
        // keeps nothing.
        assert_eq!(committed(MEMBER_1), COMMITMENT - repaid - to_jar);
        assert_eq!(balance(ETH, MEMBER_1), INITIAL + seized);
        assert_eq!(balance(USD, JAR), to_jar);
        assert_eq!(balance(USD, avatar), 0);
        assert_eq!(balance(ETH, avatar), 0);
        // No outside change is seen at the next sync: the avatar recorded its own liquidation.
        assert_ok!(Avatar::sync(RuntimeOrigin::signed(OUTSIDER), MARKET, ALICE));
        assert!(!avatar_events()
            .iter()
            .any(|e| matches!(e, Event::OutsideChange { .. })));
    });
}

#[test]
fn a_liquidation_too_small_to_pay_collateral_is_refused() {
    ExtBuilder::default().build_and_execute(|| {
        open_position(BOB, UNIT, 1_000 * UNIT);
        // Through the cushion (the market sees 800 ≤ 960): 1 unit · LIF / 1 200 is no ETH.
        two_cushions();
        set_eth_price(1200);
        assert_noop!(
            Avatar::liquidate(RuntimeOrigin::signed(MEMBER_2), MARKET, ALICE, 1),
            Error::<Test>::DustAmount
        );
        // Through the market's own liquidation (BOB: the market sees 1 000 > 960).
        assert!(Lending::is_liquidatable(MARKET, &Avatar::avatar_of(&BOB)).unwrap());
        assert_noop!(
            Avatar::liquidate(RuntimeOrigin::signed(MEMBER_1), MARKET, BOB, 1),
            Error::<Test>::DustAmount
        );
    });
}

#[test]
fn a_cushion_left_without_collateral_or_debt_is_written_off() {
    ExtBuilder::default().build_and_execute(|| {
        two_cushions();
        // ETH crashes to 500: 1 ETH no longer covers the 800 of market debt at the LIF.
        set_eth_price(500);
        // MEMBER_2 asks for the market debt (800): the collateral pays for 500 / LIF = 470 of
        // it. It gets all the collateral for what it is worth (the market's quote,
        // 470.000001), half the 30 of gain goes to the jar, the market realises the other
        // 330 as bad debt, and the 200 of cushion, junior, can never be repaid.
        assert_ok!(Avatar::liquidate(
            RuntimeOrigin::signed(MEMBER_2),
            MARKET,
            ALICE,
            800 * UNIT
        ));
        let events = avatar_events();
        assert!(events.contains(&Event::CushionWrittenOff {
            market: MARKET,
            user: ALICE,
            member: MEMBER_1,
            amount: 100 * UNIT,
        }));
        assert!(events.contains(&Event::CushionWrittenOff {
            market: MARKET,
            user: ALICE,
            member: MEMBER_2,
            amount: 100 * UNIT,
        }));
        assert_eq!(
            last_event(),
            Event::Liquidated {
                market: MARKET,
                user: ALICE,
                liquidator: MEMBER_2,
                amount: 470_000_001,
                cushion_used: 0,
                repaid: 470_000_001,
                seized: UNIT,
                to_jar: 15_000_000,
            }
        );
        assert_eq!(cushion(ALICE), 0);
        assert_eq!(Cushions::<Test>::get(MARKET).written_off, 200 * UNIT);
        assert_eq!(balance(ETH, MEMBER_2), INITIAL + UNIT);
        // Nothing is owed any more: the user may leave.
        assert_ok!(Avatar::leave(RuntimeOrigin::signed(ALICE)));
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
fn big_positions_the_market_sees_unhealthy_are_still_liquidated_per_seat() {
    ExtBuilder::default().build_and_execute(|| {
        let mut params = crate::Params::<Test>::get(MARKET);
        params.big_position = 500 * UNIT;
        assert_ok!(Avatar::set_params(RuntimeOrigin::root(), MARKET, params));
        run_to_block(1 + DELAY);
        open_position(ALICE, 10 * UNIT, 1_000 * UNIT);
        // 1 000 > 10 · 110 · 0.8 = 880 in the market's eyes too. Each seat may take 500, and
        // one part alone does not make the market position healthy (500 against 5.16 ETH ·
        // 110 · 0.8 = 454): both go through the market's own liquidation.
        set_eth_price(110);
        let post =
            Avatar::liquidate(RuntimeOrigin::signed(MEMBER_1), MARKET, ALICE, 500 * UNIT).unwrap();
        // Charged as the route it took.
        assert_eq!(
            post.actual_weight,
            Some(<() as crate::WeightInfo>::liquidate_in_market())
        );
        let after_first = market_position(ALICE).borrow_assets;
        assert!(Lending::is_liquidatable(MARKET, &Avatar::avatar_of(&ALICE)).unwrap());
        assert_noop!(
            Avatar::liquidate(RuntimeOrigin::signed(MEMBER_1), MARKET, ALICE, UNIT),
            Error::<Test>::ExceedsSeatPart
        );
        assert_ok!(Avatar::liquidate(
            RuntimeOrigin::signed(MEMBER_2),
            MARKET,
            ALICE,
            after_first - 10 * UNIT
        ));
        // The market charges whole collateral units (one is worth 110 / LIF ≈ 103 USD units).
        let left = market_position(ALICE).borrow_assets;
        assert!((10 * UNIT..10 * UNIT + 104).contains(&left), "{left}");
        assert!(!Lending::is_liquidatable(MARKET, &Avatar::avatar_of(&ALICE)).unwrap());
    });
}

#[test]
fn the_market_refuses_every_direct_liquidation_of_an_avatar() {
    ExtBuilder::default().build_and_execute(|| {
        open_position(ALICE, UNIT, 1_000 * UNIT);
        let avatar = Avatar::avatar_of(&ALICE);
        // Not an avatar: anyone. An avatar: only itself (i.e. through this pallet).
        assert!(<Avatar as LiquidationPermission<AccountId>>::may_liquidate(
            MARKET, &OUTSIDER, &OUTSIDER
        ));
        assert!(<Avatar as LiquidationPermission<AccountId>>::may_liquidate(
            MARKET, &avatar, &avatar
        ));
        // Avatars are known by their id's prefix first (no storage read for other
        // accounts), then by the registry: an id with the prefix but no user is not one.
        assert!(Avatar::is_avatar(&avatar));
        assert!(!Avatar::is_avatar(&OUTSIDER));
        assert!(!Avatar::is_avatar(&Avatar::avatar_of(&BOB)));
        assert!(<Avatar as LiquidationPermission<AccountId>>::may_liquidate(
            MARKET,
            &Avatar::avatar_of(&BOB),
            &OUTSIDER
        ));
        set_eth_price(1200);
        assert_ok!(Avatar::sync(RuntimeOrigin::signed(OUTSIDER), MARKET, ALICE));
        run_to_block(10_000);
        assign(ALICE, Assignee::Pool);
        assert!(Avatar::priority_passed(MARKET, &ALICE));
        // The market says liquidatable (1 000 > 960) and the priority is long over, yet
        // nobody may go around the avatar: not an outsider, not a member, not the pool.
        for who in [OUTSIDER, MEMBER_1, POOL] {
            assert_noop!(
                Lending::liquidate(RuntimeOrigin::signed(who), MARKET, avatar, UNIT / 10),
                pallet_lending::Error::<Test>::LiquidationNotPermitted
            );
        }
    });
}

#[test]
fn a_market_that_charges_other_than_it_quoted_is_refused() {
    ExtBuilder::default().build_and_execute(|| {
        open_position(ALICE, UNIT, 1_000 * UNIT);
        set_eth_price(1200);
        // The market sees 1 000 > 960: a partial liquidation goes through its own liquidation,
        // funded by its quote. A quote one unit high would leave a unit in the avatar: refused.
        QUOTE_SKEW.with(|s| *s.borrow_mut() = 1);
        assert_noop!(
            Avatar::liquidate(RuntimeOrigin::signed(MEMBER_1), MARKET, ALICE, 100 * UNIT),
            Error::<Test>::MarketMismatch
        );
        // A quote one unit low: the market cannot take its charge from the avatar (and says
        // so before any transfer).
        QUOTE_SKEW.with(|s| *s.borrow_mut() = -1);
        assert_noop!(
            Avatar::liquidate(RuntimeOrigin::signed(MEMBER_1), MARKET, ALICE, 100 * UNIT),
            pallet_lending::Error::<Test>::InsufficientBalance
        );
        QUOTE_SKEW.with(|s| *s.borrow_mut() = 0);
        assert_ok!(Avatar::liquidate(
            RuntimeOrigin::signed(MEMBER_1),
            MARKET,
            ALICE,
            100 * UNIT
        ));
    });
}
