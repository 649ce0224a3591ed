//! The backstop pool as the liquidator of last resort: when its turn comes (the market's
//! priority window since the episode started *and* the franchise window's priority period,
//! or at once for a position the franchise assigns to the pool), what it pays (the whole
//! cushion bought back at par, market debt, the jar's share) and what it gets.

use super::mock::*;
use crate::{Cushions, Error, Event};
use backstop_primitives::{Assignee, LendingMarket};
use frame_support::{assert_noop, assert_ok};

/// ALICE: 1 ETH, 1 000 USD; MEMBER_1 and MEMBER_2 each top up 100 at 1 300.
fn cushioned_position() {
    open_position(ALICE, UNIT, 1_000 * UNIT);
    set_eth_price(1300);
    for member in [MEMBER_1, MEMBER_2] {
        assign(ALICE, Assignee::Member(member));
        assert_ok!(Avatar::top_up(
            RuntimeOrigin::signed(member),
            MARKET,
            ALICE,
            100 * UNIT
        ));
    }
    assign(ALICE, Assignee::Member(MEMBER_1));
}

#[test]
fn the_pool_waits_for_both_priority_clocks() {
    ExtBuilder::default().build_and_execute(|| {
        cushioned_position();
        // ETH at 1 200: the backstop sees 1 000 > 960; the market sees 800 ≤ 960 and lets
        // no one liquidate.
        set_eth_price(1200);
        let keeper = RuntimeOrigin::signed(OUTSIDER);
        // No episode yet: the call would start one, so the priority has not even begun.
        assert_noop!(
            Avatar::pool_liquidate(keeper.clone(), MARKET, ALICE, 100 * UNIT),
            Error::<Test>::PriorityNotPassed
        );
        assert!(!Avatar::priority_passed(MARKET, &ALICE));
        assert_ok!(Avatar::sync(keeper.clone(), MARKET, ALICE));
        // The market's window: 600 blocks from block 1.
        run_to_block(600);
        assert!(!Avatar::pool_may_liquidate(MARKET, ALICE));
        assert_noop!(
            Avatar::pool_liquidate(keeper.clone(), MARKET, ALICE, 100 * UNIT),
            Error::<Test>::PriorityNotPassed
        );
        // Block 601: the market's window is over, but a member has just rotated in and its
        // window's priority period runs.
        run_to_block(601);
        WINDOW_PRIORITY_PASSED.with(|p| *p.borrow_mut() = false);
        assert_noop!(
            Avatar::pool_liquidate(keeper.clone(), MARKET, ALICE, 100 * UNIT),
            Error::<Test>::PriorityNotPassed
        );
        WINDOW_PRIORITY_PASSED.with(|p| *p.borrow_mut() = true);
        assert!(Avatar::pool_may_liquidate(MARKET, ALICE));
        assert_ok!(Avatar::pool_liquidate(keeper, MARKET, ALICE, 100 * UNIT));
        // The member may still act after its priority.
        assert_ok!(Avatar::liquidate(
            RuntimeOrigin::signed(MEMBER_1),
            MARKET,
            ALICE,
            50 * UNIT
        ));
    });
}

#[test]
fn the_pool_buys_back_the_cushion_repays_the_market_and_pays_the_jar() {
    ExtBuilder::default().build_and_execute(|| {
        cushioned_position();
        set_eth_price(1200);
        assert_ok!(Avatar::sync(RuntimeOrigin::signed(OUTSIDER), MARKET, ALICE));
        run_to_block(601);
        let avatar = Avatar::avatar_of(&ALICE);
        let market_usd = balance(USD, market_account());

        // The pool liquidates the whole 1 000: both cushions (200) back to the members at
        // par, 800 of market debt. Collateral: 1 000 · LIF = 1 063.829787 USD, / 1 200 =
        // 0.886524 ETH, worth 1 063.828800: gain 63.828800, half to the jar: 31.914400.
        let post =
            Avatar::pool_liquidate(RuntimeOrigin::signed(OUTSIDER), MARKET, ALICE, 1_000 * UNIT)
                .unwrap();
        // Charged for the heavier route, refunded to the split's weight.
        assert_eq!(
            post.actual_weight,
            Some(<() as crate::WeightInfo>::pool_liquidate())
        );
        let (seized, to_jar) = (886_524, 31_914_400);
        let cost = 1_000 * UNIT + to_jar;
        assert_eq!(
            last_event(),
            Event::Liquidated {
                market: MARKET,
                user: ALICE,
                liquidator: POOL,
                amount: 1_000 * UNIT,
                cushion_used: 200 * UNIT,
                repaid: 800 * UNIT,
                seized,
                to_jar,
            }
        );
        // Members: made whole. Pool: paid cost, got the collateral, booked it for the keeper.
        assert_eq!(committed(MEMBER_1), COMMITMENT);
        assert_eq!(committed(MEMBER_2), COMMITMENT);
        assert_eq!(balance(USD, POOL), INITIAL - cost);
        assert_eq!(balance(ETH, POOL), INITIAL + seized);
        assert_eq!(
            pool_bookings(),
            vec![(OUTSIDER, MARKET, avatar, cost, seized)]
        );
        // Jar, market, user.
        assert_eq!(balance(USD, JAR), to_jar);
        assert_eq!(balance(USD, market_account()), market_usd + 800 * UNIT);
        assert_eq!(market_position(ALICE).borrow_assets, 0);
        assert_eq!(market_position(ALICE).collateral, UNIT - seized);
        assert_eq!(cushion(ALICE), 0);
        assert_eq!(balance(USD, ALICE), INITIAL + 1_000 * UNIT);
        let totals = Cushions::<Test>::get(MARKET);
        assert_eq!((totals.paid_in, totals.returned), (200 * UNIT, 200 * UNIT));
        assert!(crate::Positions::<Test>::get(MARKET, ALICE)
            .unwrap()
            .episode
            .is_none());
    });
}

#[test]
fn a_position_the_franchise_gives_to_the_pool_needs_no_wait() {
    ExtBuilder::default().build_and_execute(|| {
        open_position(BOB, UNIT, 1_000 * UNIT);
        // No member left for BOB (e.g. every commitment exhausted).
        assign(BOB, Assignee::Pool);
        set_eth_price(1200);
        assert!(Lending::is_liquidatable(MARKET, &Avatar::avatar_of(&BOB)).unwrap());
        // The market sees it unhealthy and 500 does not cover its debt: the market's own
        // liquidation, at once, the pool paying.
        let pool_usd = balance(USD, POOL);
        assert_ok!(Avatar::pool_liquidate(
            RuntimeOrigin::signed(OUTSIDER),
            MARKET,
            BOB,
            500 * UNIT
        ));
        let Event::Liquidated {
            liquidator,
            amount,
            repaid,
            seized,
            to_jar,
            ..
        } = last_event()
        else {
            panic!("a liquidation event");
        };
        assert_eq!(liquidator, POOL);
        assert_eq!(amount, repaid);
        assert!(repaid <= 500 * UNIT && repaid > 499 * UNIT);
        // 500 · LIF / 1 200 = 0.443262 ETH.
        assert_eq!(seized, 443_262);
        assert_eq!(balance(USD, POOL), pool_usd - repaid - to_jar);
        assert_eq!(balance(ETH, POOL), INITIAL + seized);
        assert_eq!(
            pool_bookings(),
            vec![(
                OUTSIDER,
                MARKET,
                Avatar::avatar_of(&BOB),
                repaid + to_jar,
                seized
            )]
        );
        // The members paid nothing.
        assert_eq!(committed(MEMBER_1), COMMITMENT);
        assert_eq!(committed(MEMBER_2), COMMITMENT);
    });
}

#[test]
fn the_pool_liquidation_is_refused_outside_the_rules() {
    ExtBuilder::default().build_and_execute(|| {
        let keeper = RuntimeOrigin::signed(OUTSIDER);
        assert_noop!(
            Avatar::pool_liquidate(keeper.clone(), MARKET, ALICE, 0),
            Error::<Test>::ZeroAmount
        );
        assert_noop!(
            Avatar::pool_liquidate(keeper.clone(), MARKET, ALICE, UNIT),
            Error::<Test>::NoAvatar
        );
        open_position(ALICE, UNIT, 1_000 * UNIT);
        assign(ALICE, Assignee::Pool);
        assert_noop!(
            Avatar::pool_liquidate(keeper.clone(), MARKET, ALICE, UNIT),
            Error::<Test>::PositionHealthy
        );
        set_eth_price(1200);
        assert_noop!(
            Avatar::pool_liquidate(keeper.clone(), MARKET, ALICE, 1_000 * UNIT + 1),
            Error::<Test>::AmountExceedsDebt
        );
        // The pool cannot pay more than it holds: everything is rolled back.
        let pool_usd = balance(USD, POOL);
        assert_ok!(<Assets as frame_support::traits::fungibles::Mutate<
            AccountId,
        >>::burn_from(
            USD,
            &POOL,
            pool_usd - 10 * UNIT,
            frame_support::traits::tokens::Preservation::Expendable,
            frame_support::traits::tokens::Precision::Exact,
            frame_support::traits::tokens::Fortitude::Force,
        ));
        assert_noop!(
            Avatar::pool_liquidate(keeper, MARKET, ALICE, 1_000 * UNIT),
            sp_runtime::TokenError::FundsUnavailable
        );
    });
}

#[test]
fn a_pool_batch_liquidates_what_it_may_and_skips_the_rest() {
    ExtBuilder::default().build_and_execute(|| {
        cushioned_position();
        open_position(BOB, UNIT, 100 * UNIT);
        set_eth_price(1200);
        assert_ok!(Avatar::sync(RuntimeOrigin::signed(OUTSIDER), MARKET, ALICE));
        run_to_block(601);
        let users = frame_support::BoundedVec::try_from(vec![ALICE, BOB, OUTSIDER]).unwrap();
        let post =
            Avatar::pool_liquidate_many(RuntimeOrigin::signed(OUTSIDER), MARKET, users).unwrap();
        // ALICE in full: the whole debt_backstop (cushions bought back, market debt repaid).
        assert_eq!(market_position(ALICE).borrow_assets, 0);
        assert_eq!(cushion(ALICE), 0);
        // BOB is healthy, OUTSIDER has no avatar: skipped, each with its reason.
        let skipped: Vec<_> = avatar_events()
            .into_iter()
            .filter_map(|e| match e {
                Event::PoolLiquidationSkipped { user, error, .. } => Some((user, error)),
                _ => None,
            })
            .collect();
        assert_eq!(
            skipped,
            vec![
                (BOB, Error::<Test>::PositionHealthy.into()),
                (OUTSIDER, Error::<Test>::NoAvatar.into())
            ]
        );
        assert_eq!(market_position(BOB).borrow_assets, 100 * UNIT);
        // Charged at the heavier route per user; ALICE's refunded to the route she took.
        use crate::WeightInfo;
        let heavier = <() as WeightInfo>::pool_liquidate()
            .max(<() as WeightInfo>::pool_liquidate_in_market());
        assert_eq!(
            post.actual_weight,
            Some(<() as WeightInfo>::pool_liquidate() + heavier + heavier)
        );
    });
}
