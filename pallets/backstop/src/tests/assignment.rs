//! Member assignment: windows, rotation fairness, exhausted members skipped, the pool as the
//! member of last resort, and the members' committed liquidity.
//!
//! The franchise of epoch 1 (blocks 100..200) is ALICE, BOB, CHARLIE (seat order), with
//! 1 000, 500 and 300 tokens committed; windows are 10 blocks, the first 4 the member's.

use super::{franchise::bid, franchise::members, mock::*};
use crate::{Error, Event, Seats};
use backstop_primitives::{Assignee, BackstopMembers};
use frame_support::{assert_noop, assert_ok};

fn franchise() {
    bid(ALICE, 30, 1_000);
    bid(BOB, 20, 500);
    bid(CHARLIE, 10, 300);
    run_to_block(100);
    assert_eq!(members(), vec![ALICE, BOB, CHARLIE]);
}

fn assignee(market: u32, position: AccountId) -> Assignee<AccountId> {
    Backstop::assignment(market, &position).assignee
}

#[test]
fn the_assignment_reports_its_window_and_priority() {
    ExtBuilder::default().build_and_execute(|| {
        franchise();
        run_to_block(123);
        let a = Backstop::assignment(ETH_MARKET, &BORROWER_1);
        assert_eq!(
            (
                a.window,
                a.window_start,
                a.window_end,
                a.priority_end,
                a.priority_passed
            ),
            (2, 120, 130, 124, false)
        );
        assert!(matches!(a.assignee, Assignee::Member(m) if [ALICE, BOB, CHARLIE].contains(&m)));
        // Fixed for the whole window, through the trait too.
        run_to_block(129);
        let b = <Backstop as BackstopMembers<AccountId, u64>>::assigned(ETH_MARKET, &BORROWER_1);
        assert_eq!(b.assignee, a.assignee);
        assert_eq!((b.window, b.priority_passed), (2, true));
        // The last window ends with the epoch.
        run_to_block(199);
        let c = Backstop::assignment(ETH_MARKET, &BORROWER_1);
        assert_eq!((c.window, c.window_start, c.window_end), (9, 190, 200));
    });
}

#[test]
fn positions_rotate_fairly_among_the_members() {
    ExtBuilder::default().build_and_execute(|| {
        franchise();
        let positions: Vec<AccountId> = (1_000..1_300).collect();
        let mut counts = [0u32; 3];
        let mut changed = 0u32;
        for window in 0..10u64 {
            run_to_block(100 + window * 10);
            for position in &positions {
                let seat = match assignee(ETH_MARKET, *position) {
                    Assignee::Member(m) if m == ALICE => 0,
                    Assignee::Member(m) if m == BOB => 1,
                    Assignee::Member(m) if m == CHARLIE => 2,
                    other => panic!("unexpected assignee {other:?}"),
                };
                counts[seat] += 1;
                if window > 0 {
                    let previous = {
                        let now = System::block_number();
                        System::set_block_number(now - 10);
                        let a = assignee(ETH_MARKET, *position);
                        System::set_block_number(now);
                        a
                    };
                    if previous != assignee(ETH_MARKET, *position) {
                        changed += 1;
                    }
                }
            }
        }
        // 3 000 draws, 1 000 expected per seat (σ ≈ 26): within ±100.
        for count in counts {
            assert!(
                (900..=1_100).contains(&count),
                "unfair rotation: {counts:?}"
            );
        }
        // A position moves to another member in about two windows out of three.
        assert!((1_600..=2_000).contains(&changed), "no rotation: {changed}");
        // The market is part of the position.
        let differs = positions
            .iter()
            .filter(|p| assignee(ETH_MARKET, **p) != assignee(BTC_MARKET, **p))
            .count();
        assert!(differs > 150, "the market does not matter: {differs}");
    });
}

#[test]
fn an_exhausted_member_is_skipped_and_the_pool_takes_over_when_all_are() {
    ExtBuilder::default().build_and_execute(|| {
        franchise();
        let positions: Vec<AccountId> = (1_000..1_100).collect();
        let before: Vec<_> = positions.iter().map(|p| assignee(ETH_MARKET, *p)).collect();
        assert!(before.contains(&Assignee::Member(BOB)));
        // BOB's commitment runs out: his positions go to the next seat, CHARLIE.
        assert_ok!(Backstop::do_draw_commitment(&BOB, 500 * UNIT, &KEEPER));
        for (position, was) in positions.iter().zip(&before) {
            let expected = if *was == Assignee::Member(BOB) {
                Assignee::Member(CHARLIE)
            } else {
                was.clone()
            };
            assert_eq!(assignee(ETH_MARKET, *position), expected);
        }
        assert_ok!(Backstop::do_draw_commitment(&ALICE, 1_000 * UNIT, &KEEPER));
        assert_ok!(Backstop::do_draw_commitment(&CHARLIE, 300 * UNIT, &KEEPER));
        for position in &positions {
            assert_eq!(assignee(ETH_MARKET, *position), Assignee::Pool);
        }
        assert_eq!(balance(USD, KEEPER), INITIAL + 1_800 * UNIT);
    });
}

#[test]
fn before_any_franchise_the_pool_is_assigned() {
    ExtBuilder::default().build_and_execute(|| {
        let a = Backstop::assignment(ETH_MARKET, &BORROWER_1);
        assert_eq!(a.assignee, Assignee::Pool);
        assert_eq!((a.window, a.window_start, a.window_end), (0, 0, 10));
        assert!(<Backstop as BackstopMembers<AccountId, u64>>::members().is_empty());
    });
}

#[test]
fn committed_liquidity_is_drawn_returned_and_paid_back_with_its_earnings() {
    ExtBuilder::default().build_and_execute(|| {
        franchise();
        type Members = Backstop;
        let draw = |member, amount| {
            <Members as BackstopMembers<AccountId, u64>>::draw_commitment(&member, amount, &KEEPER)
        };
        assert_noop!(draw(DAVE, UNIT), Error::<Test>::NotMember);
        assert_noop!(draw(ALICE, 0), Error::<Test>::ZeroAmount);
        assert_noop!(
            draw(ALICE, 1_000 * UNIT + 1),
            Error::<Test>::CommitmentExhausted
        );
        assert_ok!(draw(ALICE, 400 * UNIT));
        assert_eq!(
            last_event(),
            Event::CommitmentDrawn {
                member: ALICE,
                amount: 400 * UNIT,
                available: 600 * UNIT
            }
        );
        assert_eq!(
            <Members as BackstopMembers<AccountId, u64>>::available_commitment(&ALICE),
            600 * UNIT
        );
        assert_eq!(balance(USD, KEEPER), INITIAL + 400 * UNIT);
        // The cushion comes back with 20 tokens earned.
        assert_ok!(
            <Members as BackstopMembers<AccountId, u64>>::return_to_commitment(
                &ALICE,
                420 * UNIT,
                &KEEPER
            )
        );
        assert_eq!(Seats::<Test>::get()[0].available, 1_020 * UNIT);
        assert_noop!(
            <Members as BackstopMembers<AccountId, u64>>::return_to_commitment(&ALICE, 0, &KEEPER),
            Error::<Test>::ZeroAmount
        );
        assert_noop!(
            <Members as BackstopMembers<AccountId, u64>>::return_to_commitment(
                &ALICE, INITIAL, &KEEPER
            ),
            sp_runtime::TokenError::FundsUnavailable
        );
        // BOB keeps 100 out when the franchise ends: it comes back to him directly later.
        assert_ok!(draw(BOB, 100 * UNIT));
        run_to_block(200);
        assert!(Seats::<Test>::get().is_empty());
        assert_eq!(balance(USD, ALICE), INITIAL - 10 * UNIT + 20 * UNIT);
        assert_eq!(balance(USD, BOB), INITIAL - 10 * UNIT - 100 * UNIT);
        assert_eq!(balance(USD, CHARLIE), INITIAL - 10 * UNIT);
        assert_ok!(
            <Members as BackstopMembers<AccountId, u64>>::return_to_commitment(
                &BOB,
                100 * UNIT,
                &KEEPER
            )
        );
        assert_eq!(balance(USD, BOB), INITIAL - 10 * UNIT);
        assert_eq!(
            last_event(),
            Event::CommitmentReturned {
                member: BOB,
                amount: 100 * UNIT
            }
        );
    });
}

#[test]
fn a_seat_that_cannot_fund_a_position_is_skipped_for_it() {
    ExtBuilder::default().build_and_execute(|| {
        franchise();
        // 400 USD of debt: CHARLIE's 300 of committed liquidity cannot fund it, so in no window
        // of the epoch does he hold its priority (the pool would wait through it for nothing);
        // ALICE (1 000) and BOB (500) can.
        open_position(BORROWER_1, ETH_MARKET, 10 * UNIT, 400 * UNIT);
        let mut seen = Vec::new();
        for block in (100..200).step_by(10) {
            run_to_block(block);
            let a = assignee(ETH_MARKET, BORROWER_1);
            assert_ne!(a, Assignee::Member(CHARLIE), "block {block}");
            seen.push(a);
        }
        assert!(seen.iter().all(|a| matches!(a, Assignee::Member(_))));
        // A position without debt needs nothing: every seat may hold it.
        let free: Vec<_> = (1_000..1_050).map(|p| assignee(ETH_MARKET, p)).collect();
        assert!(free.contains(&Assignee::Member(CHARLIE)));
    });
}
