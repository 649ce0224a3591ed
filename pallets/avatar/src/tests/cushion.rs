//! Cushion mode: who may top up, when, how much; the untop before user actions.

use super::mock::*;
use crate::{Cushions, Error, Event};
use backstop_primitives::Assignee;
use frame_support::{assert_noop, assert_ok};

/// ALICE: 1 ETH, 1 000 USD of debt; ETH at 1 300 puts her in the band (1 000 > 936).
fn in_band() {
    open_position(ALICE, UNIT, 1_000 * UNIT);
    set_eth_price(1300);
}

#[test]
fn assigned_member_tops_up_within_bounds() {
    ExtBuilder::default().build_and_execute(|| {
        in_band();
        let member = RuntimeOrigin::signed(MEMBER_1);
        // min_topup: 2.5 % of 1 000 = 25; per seat (2 seats): 500.
        assert_noop!(
            Avatar::top_up(member.clone(), MARKET, ALICE, 25 * UNIT - 1),
            Error::<Test>::TopupTooSmall
        );
        assert_noop!(
            Avatar::top_up(member.clone(), MARKET, ALICE, 500 * UNIT + 1),
            Error::<Test>::TopupTooLarge
        );
        assert_ok!(Avatar::top_up(member.clone(), MARKET, ALICE, 25 * UNIT));
        assert_ok!(Avatar::top_up(member.clone(), MARKET, ALICE, 475 * UNIT));
        assert_eq!(
            last_event(),
            Event::ToppedUp {
                market: MARKET,
                user: ALICE,
                member: MEMBER_1,
                amount: 475 * UNIT,
                cushion: 500 * UNIT
            }
        );
        // The member's total is capped at its seat's part.
        assert_noop!(
            Avatar::top_up(member, MARKET, ALICE, 25 * UNIT),
            Error::<Test>::TopupTooLarge
        );
        assert_eq!(Cushions::<Test>::get(MARKET).paid_in, 500 * UNIT);
        assert_eq!(committed(MEMBER_1), COMMITMENT - 500 * UNIT);
        assert_eq!(market_position(ALICE).borrow_assets, 500 * UNIT);
    });
}

#[test]
fn top_up_is_refused_outside_the_rules() {
    ExtBuilder::default().build_and_execute(|| {
        let member = RuntimeOrigin::signed(MEMBER_1);
        assert_noop!(
            Avatar::top_up(member.clone(), MARKET, ALICE, 0),
            Error::<Test>::ZeroAmount
        );
        assert_noop!(
            Avatar::top_up(member.clone(), 9, ALICE, UNIT),
            Error::<Test>::UnknownMarket
        );
        assert_noop!(
            Avatar::top_up(member.clone(), ETH_LOAN_MARKET, ALICE, UNIT),
            Error::<Test>::NotStableMarket
        );
        assert_noop!(
            Avatar::top_up(member.clone(), MARKET, ALICE, UNIT),
            Error::<Test>::NoAvatar
        );
        assert_ok!(Avatar::supply_collateral(
            RuntimeOrigin::signed(ALICE),
            MARKET,
            UNIT
        ));
        assert_noop!(
            Avatar::top_up(member.clone(), MARKET, ALICE, UNIT),
            Error::<Test>::NoDebt
        );
        assert_ok!(Avatar::borrow(
            RuntimeOrigin::signed(ALICE),
            MARKET,
            1_000 * UNIT
        ));
        // At 3 000 the position is far from the band; at 1 389: 1 000 ≤ 1 000.08, still out.
        assert_noop!(
            Avatar::top_up(member.clone(), MARKET, ALICE, 100 * UNIT),
            Error::<Test>::NotInTopupBand
        );
        set_eth_price(1389);
        assert_noop!(
            Avatar::top_up(member.clone(), MARKET, ALICE, 100 * UNIT),
            Error::<Test>::NotInTopupBand
        );
        set_eth_price(1300);
        // Only the member assigned for this window.
        assert_noop!(
            Avatar::top_up(RuntimeOrigin::signed(MEMBER_2), MARKET, ALICE, 100 * UNIT),
            Error::<Test>::NotAssignedMember
        );
        assign(ALICE, Assignee::Member(MEMBER_2));
        assert_noop!(
            Avatar::top_up(member, MARKET, ALICE, 100 * UNIT),
            Error::<Test>::NotAssignedMember
        );
        assert_ok!(Avatar::top_up(
            RuntimeOrigin::signed(MEMBER_2),
            MARKET,
            ALICE,
            100 * UNIT
        ));
        // The pool cannot sign a top-up.
        assign(ALICE, Assignee::Pool);
        assert_noop!(
            Avatar::top_up(RuntimeOrigin::signed(POOL), MARKET, ALICE, 100 * UNIT),
            Error::<Test>::NotAssignedMember
        );
    });
}

#[test]
fn big_positions_are_split_between_all_seats() {
    ExtBuilder::default()
        .with_seats(&[MEMBER_1, MEMBER_2, BOB, LENDER, OUTSIDER])
        .build_and_execute(|| {
            let mut params = crate::Params::<Test>::get(MARKET);
            params.big_position = 500 * UNIT;
            params.min_topup = sp_arithmetic::Perbill::zero();
            assert_ok!(Avatar::set_params(RuntimeOrigin::root(), MARKET, params));
            run_to_block(1 + DELAY);
            in_band();
            // 1 000 > 500: every seat may top up, each at most 1 000 / 5 = 200.
            for member in [MEMBER_2, MEMBER_1, BOB, LENDER] {
                assert_ok!(Avatar::top_up(
                    RuntimeOrigin::signed(member),
                    MARKET,
                    ALICE,
                    10 * UNIT
                ));
            }
            assert_noop!(
                Avatar::top_up(RuntimeOrigin::signed(MEMBER_2), MARKET, ALICE, 191 * UNIT),
                Error::<Test>::TopupTooLarge
            );
            // The fifth provider exceeds MaxSeats (4) in this mock.
            assert_noop!(
                Avatar::top_up(RuntimeOrigin::signed(OUTSIDER), MARKET, ALICE, 10 * UNIT),
                Error::<Test>::TooManyProviders
            );
            assert_noop!(
                Avatar::top_up(RuntimeOrigin::signed(ALICE), MARKET, ALICE, 10 * UNIT),
                Error::<Test>::NotAssignedMember
            );
            assert_eq!(cushion(ALICE), 40 * UNIT);
        });
}

#[test]
fn user_actions_untop_first() {
    ExtBuilder::default().build_and_execute(|| {
        in_band();
        let user = RuntimeOrigin::signed(ALICE);
        assert_ok!(Avatar::top_up(
            RuntimeOrigin::signed(MEMBER_1),
            MARKET,
            ALICE,
            100 * UNIT
        ));
        // The price recovers; a borrow first borrows the cushion back and returns it.
        set_eth_price(3000);
        assert_ok!(Avatar::borrow(user.clone(), MARKET, 10 * UNIT));
        assert_eq!(cushion(ALICE), 0);
        assert_eq!(committed(MEMBER_1), COMMITMENT);
        assert_eq!(market_position(ALICE).borrow_assets, 1_010 * UNIT);
        assert!(avatar_events().contains(&Event::Untopped {
            market: MARKET,
            user: ALICE,
            member: MEMBER_1,
            amount: 100 * UNIT
        }));
        let totals = Cushions::<Test>::get(MARKET);
        assert_eq!(
            (totals.paid_in, totals.returned, totals.consumed),
            (100 * UNIT, 100 * UNIT, 0)
        );
    });
}

#[test]
fn a_user_cannot_withdraw_collateral_the_cushion_backs() {
    ExtBuilder::default().build_and_execute(|| {
        in_band();
        let user = RuntimeOrigin::signed(ALICE);
        assert_ok!(Avatar::top_up(
            RuntimeOrigin::signed(MEMBER_1),
            MARKET,
            ALICE,
            300 * UNIT
        ));
        // The market alone would let 0.1 ETH go (700 ≤ 0.9 · 1 300 · 0.8 = 936); counting the
        // cushion it cannot (1 000 > 936): the untop borrow makes the withdrawal fail.
        assert_noop!(
            Avatar::withdraw_collateral(user.clone(), MARKET, UNIT / 10),
            pallet_lending::Error::<Test>::InsufficientCollateral
        );
        // Supplying collateral keeps the cushion when the position cannot carry it yet ...
        set_eth_price(1200);
        assert_ok!(Avatar::supply_collateral(user.clone(), MARKET, UNIT / 100));
        assert_eq!(cushion(ALICE), 300 * UNIT);
        // ... and returns it once it can.
        assert_ok!(Avatar::supply_collateral(user, MARKET, UNIT));
        assert_eq!(cushion(ALICE), 0);
        assert_eq!(committed(MEMBER_1), COMMITMENT);
    });
}

#[test]
fn partial_repayment_pays_providers_in_order() {
    ExtBuilder::default().build_and_execute(|| {
        in_band();
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
        assert_ok!(Avatar::repay(
            RuntimeOrigin::signed(ALICE),
            MARKET,
            150 * UNIT
        ));
        assert_eq!(committed(MEMBER_1), COMMITMENT);
        assert_eq!(committed(MEMBER_2), COMMITMENT - 50 * UNIT);
        assert_eq!(cushion(ALICE), 50 * UNIT);
        assert_eq!(market_position(ALICE).borrow_assets, 800 * UNIT);
        assert_eq!(balance(USD, ALICE), INITIAL + 850 * UNIT);
    });
}

#[test]
fn cushion_books_that_would_overflow_refuse_the_top_up() {
    ExtBuilder::default().build_and_execute(|| {
        in_band();
        let totals = Cushions::<Test>::get(MARKET);
        Cushions::<Test>::mutate(MARKET, |t| t.paid_in = u128::MAX);
        assert_noop!(
            Avatar::top_up(RuntimeOrigin::signed(MEMBER_1), MARKET, ALICE, 100 * UNIT),
            Error::<Test>::Overflow
        );
        Cushions::<Test>::insert(MARKET, totals);
    });
}
