//! Avatars: creation on first use, the reverse map, forwarding of the six user actions,
//! leaving.

use super::mock::*;
use crate::{AvatarOf, Error, Event, MarketsOf, UserAction, UserOf};
use frame_support::{assert_noop, assert_ok};

#[test]
fn first_use_creates_the_avatar_once() {
    ExtBuilder::default().build_and_execute(|| {
        let avatar = Avatar::avatar_of(&ALICE);
        assert_ne!(avatar, ALICE);
        assert_ne!(avatar, Avatar::avatar_of(&BOB));
        assert!(AvatarOf::<Test>::get(ALICE).is_none());
        assert_ok!(Avatar::supply(
            RuntimeOrigin::signed(ALICE),
            MARKET,
            10 * UNIT
        ));
        assert_eq!(AvatarOf::<Test>::get(ALICE), Some(avatar));
        assert_eq!(UserOf::<Test>::get(avatar), Some(ALICE));
        assert!(avatar_events().contains(&Event::AvatarCreated {
            user: ALICE,
            avatar
        }));
        assert_ok!(Avatar::supply(
            RuntimeOrigin::signed(ALICE),
            MARKET,
            10 * UNIT
        ));
        let created = avatar_events()
            .into_iter()
            .filter(|e| matches!(e, Event::AvatarCreated { .. }))
            .count();
        assert_eq!(created, 1);
    });
}

#[test]
fn user_actions_are_forwarded_as_the_avatar() {
    ExtBuilder::default().build_and_execute(|| {
        let user = RuntimeOrigin::signed(ALICE);
        let avatar = Avatar::avatar_of(&ALICE);
        assert_ok!(Avatar::supply(user.clone(), MARKET, 50 * UNIT));
        assert_eq!(market_position(ALICE).supply_assets, 50 * UNIT);
        assert_ok!(Avatar::withdraw(user.clone(), MARKET, 20 * UNIT));
        assert_eq!(market_position(ALICE).supply_assets, 30 * UNIT);
        assert_ok!(Avatar::supply_collateral(user.clone(), MARKET, 2 * UNIT));
        assert_ok!(Avatar::borrow(user.clone(), MARKET, 1_000 * UNIT));
        assert_ok!(Avatar::repay(user.clone(), MARKET, 400 * UNIT));
        assert_ok!(Avatar::withdraw_collateral(user.clone(), MARKET, UNIT));
        let position = market_position(ALICE);
        assert_eq!(position.collateral, UNIT);
        assert_eq!(position.borrow_assets, 600 * UNIT);
        // The user paid and received every asset; the avatar holds nothing.
        assert_eq!(balance(USD, ALICE), INITIAL - 30 * UNIT + 600 * UNIT);
        assert_eq!(balance(ETH, ALICE), INITIAL - UNIT);
        assert_eq!(balance(USD, avatar), 0);
        assert_eq!(balance(ETH, avatar), 0);
        assert_eq!(
            last_event(),
            Event::Forwarded {
                user: ALICE,
                market: MARKET,
                action: UserAction::WithdrawCollateral,
                amount: UNIT
            }
        );
        // The market's own errors come through and change nothing.
        assert_noop!(
            Avatar::borrow(user.clone(), MARKET, 2_000 * UNIT),
            pallet_lending::Error::<Test>::InsufficientCollateral
        );
        assert_noop!(
            Avatar::withdraw(user, MARKET, 31 * UNIT),
            pallet_lending::Error::<Test>::SupplyExceeded
        );
    });
}

#[test]
fn bad_user_actions_change_nothing() {
    ExtBuilder::default().build_and_execute(|| {
        let user = RuntimeOrigin::signed(ALICE);
        assert_noop!(
            Avatar::supply(user.clone(), MARKET, 0),
            Error::<Test>::ZeroAmount
        );
        assert_noop!(
            Avatar::borrow(user.clone(), 9, UNIT),
            Error::<Test>::UnknownMarket
        );
        // Nothing to repay: no debt and no cushion.
        assert_ok!(Avatar::supply(user.clone(), MARKET, UNIT));
        assert_noop!(
            Avatar::repay(user.clone(), MARKET, UNIT),
            Error::<Test>::NoDebt
        );
        // One market per avatar in this mock.
        assert_noop!(
            Avatar::supply(user, ETH_LOAN_MARKET, UNIT),
            Error::<Test>::TooManyMarkets
        );
    });
}

#[test]
fn leave_closes_the_avatar_and_pays_out_what_is_left() {
    ExtBuilder::default().build_and_execute(|| {
        let user = RuntimeOrigin::signed(ALICE);
        assert_noop!(Avatar::leave(user.clone()), Error::<Test>::NoAvatar);
        open_position(ALICE, UNIT, 500 * UNIT);
        assert_ok!(Avatar::supply(user.clone(), MARKET, 70 * UNIT));
        assert_noop!(Avatar::leave(user.clone()), Error::<Test>::HasDebt);
        assert_ok!(Avatar::repay(user.clone(), MARKET, 500 * UNIT));
        let avatar = Avatar::avatar_of(&ALICE);
        assert_ok!(Avatar::leave(user));
        assert_eq!(balance(USD, ALICE), INITIAL);
        assert_eq!(balance(ETH, ALICE), INITIAL);
        assert!(AvatarOf::<Test>::get(ALICE).is_none());
        assert!(UserOf::<Test>::get(avatar).is_none());
        assert!(MarketsOf::<Test>::get(ALICE).is_empty());
        assert!(crate::Positions::<Test>::get(MARKET, ALICE).is_none());
        assert_eq!(
            last_event(),
            Event::AvatarClosed {
                user: ALICE,
                avatar
            }
        );
    });
}

#[test]
fn leave_is_refused_while_a_cushion_remains() {
    ExtBuilder::default().build_and_execute(|| {
        open_position(ALICE, UNIT, 1_000 * UNIT);
        set_eth_price(1300);
        assert_ok!(Avatar::top_up(
            RuntimeOrigin::signed(MEMBER_1),
            MARKET,
            ALICE,
            100 * UNIT
        ));
        // Someone repays the whole market debt directly: the cushion is still owed.
        assert_ok!(Lending::repay(
            RuntimeOrigin::signed(BOB),
            MARKET,
            Avatar::avatar_of(&ALICE),
            900 * UNIT
        ));
        assert_noop!(
            Avatar::leave(RuntimeOrigin::signed(ALICE)),
            Error::<Test>::HasCushion
        );
    });
}

#[test]
fn leave_is_refused_while_the_avatar_account_is_still_referenced() {
    ExtBuilder::default().build_and_execute(|| {
        use frame_support::traits::fungibles::{Create, Mutate};
        assert_ok!(Avatar::supply_collateral(
            RuntimeOrigin::signed(ALICE),
            MARKET,
            UNIT
        ));
        // Someone sends the avatar a token that is not self-sufficient: the token holds a
        // consumer reference on the account, which therefore cannot be closed.
        let avatar = Avatar::avatar_of(&ALICE);
        assert_ok!(<Assets as Create<AccountId>>::create(7, ADMIN, false, 1));
        assert_ok!(<Assets as Mutate<AccountId>>::mint_into(7, &avatar, 5));
        assert_noop!(
            Avatar::leave(RuntimeOrigin::signed(ALICE)),
            Error::<Test>::AvatarInUse
        );
        assert_eq!(AvatarOf::<Test>::get(ALICE), Some(avatar));
    });
}

#[test]
fn a_derived_account_that_is_already_an_avatar_is_refused() {
    ExtBuilder::default().build_and_execute(|| {
        // The derivation hashes the user id, so two users meeting on one avatar takes a hash
        // collision; the guard is tested by planting one.
        let bobs = Avatar::avatar_of(&BOB);
        assert_ne!(bobs, Avatar::avatar_of(&ALICE));
        UserOf::<Test>::insert(bobs, OUTSIDER);
        assert_noop!(
            Avatar::supply(RuntimeOrigin::signed(BOB), MARKET, UNIT),
            Error::<Test>::AvatarCollision
        );
        UserOf::<Test>::remove(bobs);
        assert_ok!(Avatar::supply(RuntimeOrigin::signed(BOB), MARKET, UNIT));
    });
}

#[test]
fn amounts_beyond_the_callers_balance_get_the_pallets_own_error() {
    ExtBuilder::default().build_and_execute(|| {
        for amount in [INITIAL + 1, 1u128 << 127, u128::MAX] {
            assert_noop!(
                Avatar::supply(RuntimeOrigin::signed(ALICE), MARKET, amount),
                Error::<Test>::InsufficientBalance
            );
            assert_noop!(
                Avatar::supply_collateral(RuntimeOrigin::signed(ALICE), MARKET, amount),
                Error::<Test>::InsufficientBalance
            );
        }
        assert_noop!(
            Avatar::supply(RuntimeOrigin::signed(ALICE), MARKET, 0),
            Error::<Test>::ZeroAmount
        );
    });
}

#[test]
fn repay_all_closes_a_position_after_interest_so_the_user_can_leave() {
    ExtBuilder::default().build_and_execute(|| {
        open_position(ALICE, UNIT, 1_000 * UNIT);
        // A month of interest: the debt is no longer the 1 000 borrowed.
        Timestamp::set_timestamp(GENESIS_MS + 30 * 86_400_000);
        let debt = Avatar::debt_backstop(MARKET, &ALICE).unwrap();
        assert!(debt > 1_000 * UNIT);
        assert_noop!(
            Avatar::leave(RuntimeOrigin::signed(ALICE)),
            Error::<Test>::HasDebt
        );
        let usd = balance(USD, ALICE);
        assert_ok!(Avatar::repay_all(RuntimeOrigin::signed(ALICE), MARKET));
        assert_eq!(balance(USD, ALICE), usd - debt);
        assert_eq!(market_position(ALICE).borrow_shares, 0);
        assert_ok!(Avatar::leave(RuntimeOrigin::signed(ALICE)));
        assert_eq!(balance(ETH, ALICE), INITIAL);
        assert_noop!(
            Avatar::repay_all(RuntimeOrigin::signed(ALICE), MARKET),
            Error::<Test>::NoAvatar
        );
    });
}

#[test]
fn repay_all_returns_the_cushion_first() {
    ExtBuilder::default().build_and_execute(|| {
        open_position(ALICE, UNIT, 1_000 * UNIT);
        set_eth_price(1300);
        assert_ok!(Avatar::top_up(
            RuntimeOrigin::signed(MEMBER_1),
            MARKET,
            ALICE,
            100 * UNIT
        ));
        assert_ok!(Avatar::repay_all(RuntimeOrigin::signed(ALICE), MARKET));
        assert_eq!(cushion(ALICE), 0);
        assert_eq!(committed(MEMBER_1), COMMITMENT);
        assert_ok!(Avatar::leave(RuntimeOrigin::signed(ALICE)));
    });
}
