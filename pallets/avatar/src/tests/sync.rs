//! Sync and slashing hooks: changes through the avatar are reported as balance changes;
//! changes made outside it are detected at the next sync and reported as outside changes.

use super::mock::*;
use crate::{Error, Event};
use backstop_primitives::{LendingMarket, Side};
use frame_support::{assert_noop, assert_ok};

#[test]
fn every_change_through_the_avatar_is_reported() {
    ExtBuilder::default().build_and_execute(|| {
        open_position(ALICE, UNIT, 1_000 * UNIT);
        let reports = score_reports();
        assert!(reports.contains(&(ALICE, MARKET, Side::Collateral, UNIT, false)));
        assert!(reports.contains(&(ALICE, MARKET, Side::Debt, 1_000 * UNIT, false)));
        set_eth_price(1300);
        assert_ok!(Avatar::top_up(
            RuntimeOrigin::signed(MEMBER_1),
            MARKET,
            ALICE,
            100 * UNIT
        ));
        // The debt the score counts is debt_backstop: unchanged by the top-up.
        assert_eq!(
            score_reports().last(),
            Some(&(ALICE, MARKET, Side::Debt, 1_000 * UNIT, false))
        );
        assert!(!score_reports().iter().any(|r| r.4));
    });
}

#[test]
fn a_repayment_made_outside_the_avatar_is_detected_and_reported() {
    ExtBuilder::default().build_and_execute(|| {
        open_position(ALICE, UNIT, 1_000 * UNIT);
        let avatar = Avatar::avatar_of(&ALICE);
        assert_ok!(Lending::repay(
            RuntimeOrigin::signed(BOB),
            MARKET,
            avatar,
            400 * UNIT
        ));
        assert_ok!(Avatar::sync(RuntimeOrigin::signed(OUTSIDER), MARKET, ALICE));
        assert_eq!(
            score_reports().last(),
            Some(&(ALICE, MARKET, Side::Debt, 600 * UNIT, true))
        );
        assert!(matches!(
            last_event(),
            Event::OutsideChange {
                liquidation: false,
                ..
            }
        ));
        // Once recorded, the next sync finds nothing new.
        let before = score_reports().len();
        assert_ok!(Avatar::sync(RuntimeOrigin::signed(OUTSIDER), MARKET, ALICE));
        assert_eq!(score_reports().len(), before);
        // A supply to the avatar from outside is detected at the user's next action.
        assert_ok!(<Lending as LendingMarket<AccountId>>::supply_collateral(
            &BOB, MARKET, &avatar, UNIT
        ));
        assert_ok!(Avatar::supply(RuntimeOrigin::signed(ALICE), MARKET, UNIT));
        assert!(score_reports().contains(&(ALICE, MARKET, Side::Collateral, 2 * UNIT, true)));
    });
}

#[test]
fn sync_needs_an_avatar_and_a_fresh_price() {
    ExtBuilder::default().build_and_execute(|| {
        let anyone = RuntimeOrigin::signed(OUTSIDER);
        assert_noop!(
            Avatar::sync(anyone.clone(), MARKET, ALICE),
            Error::<Test>::NoAvatar
        );
        assert_noop!(
            Avatar::sync(anyone.clone(), 9, ALICE),
            Error::<Test>::UnknownMarket
        );
        open_position(ALICE, UNIT, 1_000 * UNIT);
        Timestamp::set_timestamp(GENESIS_MS + 3_600_001);
        assert_noop!(
            Avatar::sync(anyone.clone(), MARKET, ALICE),
            Error::<Test>::PriceStale
        );
        // A fresh price of zero is no price.
        set_eth_price(0);
        assert_noop!(
            Avatar::sync(anyone, MARKET, ALICE),
            Error::<Test>::PriceUnavailable
        );
    });
}

#[test]
fn the_episode_ends_when_the_position_is_safe_again() {
    ExtBuilder::default().build_and_execute(|| {
        open_position(ALICE, UNIT, 1_000 * UNIT);
        set_eth_price(1200);
        assert_ok!(Avatar::sync(RuntimeOrigin::signed(OUTSIDER), MARKET, ALICE));
        assert!(crate::Positions::<Test>::get(MARKET, ALICE)
            .unwrap()
            .episode
            .is_some());
        set_eth_price(3000);
        assert_ok!(Avatar::sync(RuntimeOrigin::signed(OUTSIDER), MARKET, ALICE));
        assert_eq!(
            last_event(),
            Event::EpisodeEnded {
                market: MARKET,
                user: ALICE
            }
        );
        assert!(crate::Positions::<Test>::get(MARKET, ALICE)
            .unwrap()
            .episode
            .is_none());
    });
}

#[test]
fn a_sync_of_a_market_without_a_position_changes_nothing() {
    ExtBuilder::default().build_and_execute(|| {
        // ALICE has an avatar and a position in MARKET only; anyone syncing her in another
        // market must not create a record there (it would not be in `MarketsOf`).
        open_position(ALICE, UNIT, 1_000 * UNIT);
        assert_noop!(
            Avatar::sync(RuntimeOrigin::signed(OUTSIDER), ETH_LOAN_MARKET, ALICE),
            Error::<Test>::NoPosition
        );
        assert!(crate::Positions::<Test>::get(ETH_LOAN_MARKET, ALICE).is_none());
        // After leaving, a sync of the old market finds nothing either (no orphan record).
        assert_ok!(Avatar::repay_all(RuntimeOrigin::signed(ALICE), MARKET));
        assert_ok!(Avatar::leave(RuntimeOrigin::signed(ALICE)));
        assert_noop!(
            Avatar::sync(RuntimeOrigin::signed(OUTSIDER), MARKET, ALICE),
            Error::<Test>::NoAvatar
        );
    });
}
