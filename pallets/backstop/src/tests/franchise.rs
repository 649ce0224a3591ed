//! The franchise auction: reserves, raises, ties, uniform price, fewer bidders than seats,
//! no bidders, and the candle close (a snipe after the drawn close does not count).
//!
//! Epoch 0 runs over blocks 0..100 (settled by `on_initialize(100)`); its candle is blocks
//! 80..100 in four samples: 0 = 80..85, 1 = 85..90, 2 = 90..95, 3 = 95..100. Three seats.

use super::mock::*;
use crate::FranchiseParams;
use crate::{
    Bid, BidderCount, Bids, CandleStart, Epoch, Error, Event, IncomeSource, Jar, Refunds, Seats,
    Winning,
};
use frame_support::{assert_noop, assert_ok};

/// `who` bids `amount` tokens and commits `commitment` tokens.
pub fn bid(who: AccountId, amount: u128, commitment: u128) {
    assert_ok!(Backstop::bid(
        RuntimeOrigin::signed(who),
        amount * UNIT,
        commitment * UNIT
    ));
}

/// The bidders of the winning set, highest first.
fn winning() -> Vec<AccountId> {
    Winning::<Test>::get().iter().map(|w| w.bidder).collect()
}

/// The members of the current franchise, in seat order.
pub fn members() -> Vec<AccountId> {
    Seats::<Test>::get().iter().map(|s| s.member).collect()
}

fn vault() -> u128 {
    balance(USD, Backstop::vault_account())
}

#[test]
fn winners_pay_the_lowest_winning_bid_into_the_jar_and_take_their_seats() {
    ExtBuilder::default().build_and_execute(|| {
        bid(ALICE, 100, 1_000);
        bid(BOB, 80, 500);
        bid(CHARLIE, 60, 700);
        assert_eq!(vault(), (100 + 1_000 + 80 + 500 + 60 + 700) * UNIT);
        assert_eq!(balance(USD, ALICE), INITIAL - 1_100 * UNIT);
        // DAVE outbids CHARLIE before the candle: CHARLIE is released at once.
        bid(DAVE, 70, 300);
        assert_eq!(
            last_event(),
            Event::BidPlaced {
                bidder: DAVE,
                amount: 70 * UNIT,
                commitment: 300 * UNIT
            }
        );
        assert!(backstop_events().contains(&Event::BidReleased {
            bidder: CHARLIE,
            amount: 760 * UNIT
        }));
        assert_eq!(balance(USD, CHARLIE), INITIAL);
        assert_eq!(Bids::<Test>::get(CHARLIE), None);
        assert_eq!(winning(), vec![ALICE, BOB, DAVE]);
        assert_eq!(BidderCount::<Test>::get(), 3);

        run_to_block(100);
        // Uniform price: all pay DAVE's 70; ALICE and BOB get the rest of their bid back.
        assert_eq!(members(), vec![ALICE, BOB, DAVE]);
        assert_eq!(balance(USD, ALICE), INITIAL - (70 + 1_000) * UNIT);
        assert_eq!(balance(USD, BOB), INITIAL - (70 + 500) * UNIT);
        assert_eq!(balance(USD, DAVE), INITIAL - (70 + 300) * UNIT);
        let seats = Seats::<Test>::get();
        assert_eq!(
            seats
                .iter()
                .map(|s| (s.committed, s.available))
                .collect::<Vec<_>>(),
            vec![
                (1_000 * UNIT, 1_000 * UNIT),
                (500 * UNIT, 500 * UNIT),
                (300 * UNIT, 300 * UNIT)
            ]
        );
        // The payments are the jar's income of epoch 0, now streaming over epoch 1.
        assert_eq!(Jar::<Test>::get().stream, 210 * UNIT);
        assert_eq!(vault(), (210 + 1_800) * UNIT);
        let events = backstop_events();
        assert!(events.contains(&Event::JarFunded {
            source: IncomeSource::Auction,
            amount: 210 * UNIT
        }));
        assert!(events.contains(&Event::AuctionSettled {
            epoch: 1,
            closing_sample: None,
            clearing_price: 70 * UNIT,
            winners: vec![ALICE, BOB, DAVE].try_into().unwrap()
        }));
        assert_eq!(
            last_event(),
            Event::EpochStarted {
                epoch: 1,
                start: 100,
                end: 200
            }
        );
        // The auction is reset for epoch 1.
        assert!(Winning::<Test>::get().is_empty());
        assert_eq!(BidderCount::<Test>::get(), 0);
        assert_eq!(Epoch::<Test>::get().unwrap().index, 1);
    });
}

#[test]
fn ties_go_to_the_bid_that_reached_the_amount_first() {
    ExtBuilder::default().build_and_execute(|| {
        bid(ALICE, 50, 10);
        bid(BOB, 50, 10);
        bid(CHARLIE, 50, 10);
        assert_eq!(winning(), vec![ALICE, BOB, CHARLIE]);
        // An equal bid does not beat the lowest winning bid.
        assert_noop!(
            Backstop::bid(RuntimeOrigin::signed(DAVE), 50 * UNIT, 10 * UNIT),
            Error::<Test>::BidBelowWinning
        );
        // BOB raises his commitment only: he reached 50 again, after CHARLIE.
        bid(BOB, 50, 20);
        assert_eq!(winning(), vec![ALICE, CHARLIE, BOB]);
        // DAVE beats 50: the last of the tied bids (BOB) is out.
        bid(DAVE, 51, 10);
        assert_eq!(winning(), vec![DAVE, ALICE, CHARLIE]);
        assert_eq!(balance(USD, BOB), INITIAL);
        run_to_block(100);
        assert_eq!(members(), vec![DAVE, ALICE, CHARLIE]);
        assert_eq!(balance(USD, DAVE), INITIAL - 60 * UNIT);
    });
}

#[test]
fn bids_can_only_be_raised_and_must_respect_the_minimums() {
    ExtBuilder::default().build_and_execute(|| {
        bid(ALICE, 50, 100);
        let raise = |amount: u128, commitment: u128| {
            Backstop::bid(
                RuntimeOrigin::signed(ALICE),
                amount * UNIT,
                commitment * UNIT,
            )
        };
        assert_noop!(raise(40, 100), Error::<Test>::BidNotRaised);
        assert_noop!(raise(50, 90), Error::<Test>::BidNotRaised);
        assert_noop!(raise(50, 100), Error::<Test>::BidNotRaised);
        assert_noop!(raise(60, 90), Error::<Test>::BidNotRaised);
        assert_noop!(
            Backstop::bid(RuntimeOrigin::signed(BOB), UNIT - 1, UNIT),
            Error::<Test>::BidTooLow
        );
        assert_noop!(
            Backstop::bid(RuntimeOrigin::signed(BOB), UNIT, UNIT - 1),
            Error::<Test>::CommitmentTooLow
        );
        assert_noop!(
            Backstop::bid(RuntimeOrigin::signed(BOB), INITIAL, 1_000 * UNIT),
            Error::<Test>::InsufficientBalance
        );
        assert_noop!(
            Backstop::bid(RuntimeOrigin::none(), UNIT, UNIT),
            sp_runtime::DispatchError::BadOrigin
        );
        // A raise holds only the difference.
        let before = vault();
        assert_ok!(raise(60, 100));
        assert_eq!(vault(), before + 10 * UNIT);
        assert_eq!(
            Bids::<Test>::get(ALICE),
            Some(Bid {
                amount: 60 * UNIT,
                commitment: 100 * UNIT
            })
        );
    });
}

#[test]
fn fewer_bidders_than_seats_all_win_at_the_lowest_bid() {
    ExtBuilder::default().build_and_execute(|| {
        bid(ALICE, 50, 100);
        bid(BOB, 30, 200);
        run_to_block(100);
        assert_eq!(members(), vec![ALICE, BOB]);
        assert_eq!(balance(USD, ALICE), INITIAL - 130 * UNIT);
        assert_eq!(balance(USD, BOB), INITIAL - 230 * UNIT);
        assert_eq!(Jar::<Test>::get().stream, 60 * UNIT);
    });
}

#[test]
fn without_bidders_the_pool_is_the_member_of_last_resort() {
    ExtBuilder::default().build_and_execute(|| {
        run_to_block(100);
        assert!(Seats::<Test>::get().is_empty());
        assert!(backstop_events().contains(&Event::AuctionSettled {
            epoch: 1,
            closing_sample: None,
            clearing_price: 0,
            winners: Default::default()
        }));
        assert_eq!(
            Backstop::assignment(ETH_MARKET, &BORROWER_1).assignee,
            backstop_primitives::Assignee::Pool
        );
        assert_eq!(Jar::<Test>::get().stream, 0);
    });
}

/// ALICE 100, BOB 90, CHARLIE 80 before the candle; DAVE snipes 200 at block 97 (sample 3).
fn snipe_in_the_last_sample(seed: u32) {
    CandleSeed::set(seed);
    bid(ALICE, 100, 10);
    bid(BOB, 90, 10);
    bid(CHARLIE, 80, 10);
    run_to_block(97);
    bid(DAVE, 200, 10);
    assert_eq!(winning(), vec![DAVE, ALICE, BOB]);
    // In the candle an outbid bidder is kept: the close may come before the snipe.
    assert!(Bids::<Test>::get(CHARLIE).is_some());
    assert_eq!(BidderCount::<Test>::get(), 4);
    assert_eq!(CandleStart::<Test>::get().unwrap().len(), 3);
    run_to_block(100);
}

#[test]
fn a_snipe_after_the_drawn_close_does_not_count() {
    ExtBuilder::default().build_and_execute(|| {
        // The candle closes in sample 1 (blocks 85..90), before DAVE's bid.
        snipe_in_the_last_sample(1);
        assert_eq!(members(), vec![ALICE, BOB, CHARLIE]);
        assert_eq!(balance(USD, DAVE), INITIAL);
        assert_eq!(balance(USD, CHARLIE), INITIAL - 90 * UNIT);
        assert_eq!(balance(USD, ALICE), INITIAL - 90 * UNIT);
        assert!(backstop_events().contains(&Event::AuctionSettled {
            epoch: 1,
            closing_sample: Some(1),
            clearing_price: 80 * UNIT,
            winners: vec![ALICE, BOB, CHARLIE].try_into().unwrap()
        }));
    });
}

#[test]
fn a_bid_before_the_drawn_close_counts() {
    ExtBuilder::default().build_and_execute(|| {
        // Seed 7 draws sample 3 (7 mod 4): the snipe stands, CHARLIE is released.
        snipe_in_the_last_sample(7);
        assert_eq!(members(), vec![DAVE, ALICE, BOB]);
        assert_eq!(balance(USD, CHARLIE), INITIAL);
        assert_eq!(balance(USD, DAVE), INITIAL - 100 * UNIT);
        assert_eq!(Jar::<Test>::get().stream, 270 * UNIT);
    });
}

#[test]
fn winners_pay_and_commit_as_their_bids_stood_at_the_close() {
    ExtBuilder::default().build_and_execute(|| {
        CandleSeed::set(1);
        bid(ALICE, 100, 10);
        run_to_block(81);
        bid(BOB, 50, 20); // sample 0
        run_to_block(82);
        bid(CHARLIE, 60, 30); // sample 0
        run_to_block(91);
        bid(BOB, 150, 40); // sample 2, after the close
        run_to_block(100);
        // The close (sample 1) sees the set recorded at the end of sample 0.
        assert_eq!(members(), vec![ALICE, CHARLIE, BOB]);
        assert_eq!(balance(USD, BOB), INITIAL - 70 * UNIT);
        let bob_seat = Seats::<Test>::get().into_iter().find(|s| s.member == BOB);
        assert_eq!(bob_seat.map(|s| s.committed), Some(20 * UNIT));
        assert_eq!(Jar::<Test>::get().stream, 150 * UNIT);
        assert_eq!(vault(), (150 + 10 + 30 + 20) * UNIT);
    });
}

#[test]
fn the_candle_bounds_the_bidders_it_holds() {
    ExtBuilder::default().build_and_execute(|| {
        let bidders: Vec<AccountId> = (200..200 + u64::from(MAX_BIDDERS) + 1).collect();
        for who in &bidders {
            fund(*who, 1_000 * UNIT);
        }
        run_to_block(80);
        for (i, who) in bidders.iter().take(MAX_BIDDERS as usize).enumerate() {
            bid(*who, 10 + i as u128, 1);
        }
        assert_eq!(BidderCount::<Test>::get(), MAX_BIDDERS);
        let last = *bidders.last().unwrap();
        // A full candle takes a new bidder only in place of its lowest standing bid.
        assert_ok!(Backstop::bid(RuntimeOrigin::signed(last), 100 * UNIT, UNIT));
        assert_eq!(BidderCount::<Test>::get(), MAX_BIDDERS);
        assert_eq!(Bids::<Test>::get(bidders[0]), None);
        assert_eq!(Refunds::<Test>::get(bidders[0]), Some(11 * UNIT));
        // A bidder already in may still raise.
        assert_ok!(Backstop::bid(
            RuntimeOrigin::signed(bidders[1]),
            200 * UNIT,
            UNIT
        ));
        run_to_block(100);
        // Settlement releases every losing bidder; the displaced one withdraws its refund.
        for who in bidders.iter().skip(1).filter(|w| !members().contains(w)) {
            assert_eq!(balance(USD, *who), 1_000 * UNIT);
        }
        assert_eq!(members().len(), 3);
        assert_ok!(Backstop::withdraw_refund(RuntimeOrigin::signed(bidders[0])));
        assert_eq!(balance(USD, bidders[0]), 1_000 * UNIT);
    });
}

#[test]
fn a_settled_epoch_cannot_take_bids_before_its_settlement() {
    ExtBuilder::default().build_and_execute(|| {
        // Block 100 without its `on_initialize`: epoch 0 is over but not settled.
        System::set_block_number(100);
        assert_noop!(
            Backstop::bid(RuntimeOrigin::signed(ALICE), UNIT, UNIT),
            Error::<Test>::AuctionClosed
        );
    });
}

#[test]
fn a_payout_that_cannot_be_made_waits_for_withdraw_refund() {
    ExtBuilder::default().build_and_execute(|| {
        bid(ALICE, 10, 10);
        bid(BOB, 20, 10);
        bid(CHARLIE, 30, 10);
        // ALICE's account is blocked: she cannot receive her release when outbid.
        assert_ok!(Assets::block(RuntimeOrigin::signed(ADMIN), USD, ALICE));
        bid(DAVE, 40, 10);
        assert_eq!(Refunds::<Test>::get(ALICE), Some(20 * UNIT));
        assert!(backstop_events().contains(&Event::PayoutDeferred {
            who: ALICE,
            amount: 20 * UNIT
        }));
        assert_noop!(
            Backstop::withdraw_refund(RuntimeOrigin::signed(ALICE)),
            sp_runtime::TokenError::Blocked
        );
        assert_noop!(
            Backstop::withdraw_refund(RuntimeOrigin::signed(BOB)),
            Error::<Test>::NoRefund
        );
        assert_ok!(Assets::thaw(RuntimeOrigin::signed(ADMIN), USD, ALICE));
        assert_ok!(Backstop::withdraw_refund(RuntimeOrigin::signed(ALICE)));
        assert_eq!(balance(USD, ALICE), INITIAL);
        assert_eq!(Refunds::<Test>::get(ALICE), None);
        assert_eq!(
            last_event(),
            Event::RefundWithdrawn {
                who: ALICE,
                amount: 20 * UNIT
            }
        );
    });
}

#[test]
fn the_auction_view_shows_the_standing_winners() {
    ExtBuilder::default().build_and_execute(|| {
        bid(ALICE, 100, 10);
        bid(BOB, 40, 10);
        let view = Backstop::next_franchise();
        assert_eq!(view.epoch, 1);
        assert_eq!(view.seats, 3);
        assert_eq!(view.ending_start, 80);
        assert_eq!(view.settles_at, 100);
        assert_eq!(view.clearing_price, 40 * UNIT);
        assert_eq!(
            view.winning.iter().map(|w| w.bidder).collect::<Vec<_>>(),
            vec![ALICE, BOB]
        );
        run_to_block(100);
        let current = Backstop::current_franchise();
        assert_eq!((current.epoch, current.start, current.end), (1, 100, 200));
        assert_eq!(
            current.seats.iter().map(|s| s.member).collect::<Vec<_>>(),
            vec![ALICE, BOB]
        );
    });
}

/// Issue 10, item 5: ten bids of about one token each filled the candle's bidder slots and a
/// serious bid was refused with `TooManyBidders`. A bid that beats the lowest standing bid by
/// the minimum increment displaces it; the displaced reserve waits in `Refunds`.
#[test]
fn cheap_bids_cannot_lock_the_auction_during_the_candle() {
    ExtBuilder::default().build_and_execute(|| {
        let griefers: Vec<AccountId> = (200..200 + u64::from(MAX_BIDDERS)).collect();
        for who in &griefers {
            fund(*who, 10 * UNIT);
        }
        run_to_block(80);
        // Ten bids of about one token (rising by one unit) fill every bidder slot.
        for (i, who) in griefers.iter().enumerate() {
            assert_ok!(Backstop::bid(
                RuntimeOrigin::signed(*who),
                UNIT + i as u128,
                UNIT
            ));
        }
        assert_eq!(BidderCount::<Test>::get(), MAX_BIDDERS);
        // A serious bid displaces the lowest standing bid (the first griefer's).
        bid(DAVE, 1_000, 100);
        assert_eq!(BidderCount::<Test>::get(), MAX_BIDDERS);
        assert_eq!(winning(), vec![DAVE, griefers[9], griefers[8]]);
        assert_eq!(Bids::<Test>::get(griefers[0]), None);
        assert!(backstop_events().contains(&Event::BidDisplaced {
            bidder: griefers[0],
            by: DAVE,
            refund: 2 * UNIT
        }));
        // No transfer to the displaced bidder: its reserve is booked for withdraw_refund.
        assert_eq!(Refunds::<Test>::get(griefers[0]), Some(2 * UNIT));
        assert_eq!(balance(USD, griefers[0]), 8 * UNIT);
        Backstop::do_try_state().expect("the vault covers bids and refunds");
        assert_ok!(Backstop::withdraw_refund(RuntimeOrigin::signed(
            griefers[0]
        )));
        assert_eq!(balance(USD, griefers[0]), 10 * UNIT);
        assert_eq!(Refunds::<Test>::get(griefers[0]), None);

        // A displacing bid must beat the lowest standing bid (UNIT + 1) by 5 %: one that
        // enters the winning set but is below that is refused and changes nothing.
        let lowest = UNIT + 1;
        let increment = FranchiseParams::MIN_BID_INCREMENT.mul_ceil(lowest);
        assert_noop!(
            Backstop::bid(RuntimeOrigin::signed(ALICE), UNIT + 10, UNIT),
            Error::<Test>::BidIncrementTooLow
        );
        assert_noop!(
            Backstop::bid(RuntimeOrigin::signed(ALICE), lowest + increment - 1, UNIT),
            Error::<Test>::BidIncrementTooLow
        );
        assert_ok!(Backstop::bid(
            RuntimeOrigin::signed(ALICE),
            lowest + increment,
            UNIT
        ));
        assert_eq!(Refunds::<Test>::get(griefers[1]), Some(2 * UNIT + 1));
        assert_eq!(BidderCount::<Test>::get(), MAX_BIDDERS);
        Backstop::do_try_state().expect("the vault covers bids and refunds");

        // Settlement: the serious bidder wins; everyone else is released or refunded.
        run_to_block(100);
        assert!(members().contains(&DAVE));
        for who in griefers.iter().skip(2).filter(|w| !members().contains(w)) {
            assert_eq!(balance(USD, *who), 10 * UNIT);
        }
    });
}

/// Issue 10, item 14: amounts above the caller's balance or above any balance got
/// pallet-assets' `FundsUnavailable` or `Arithmetic::Underflow`; they get the pallet's own
/// errors, checked before any transfer.
#[test]
fn bid_amounts_beyond_the_balance_or_the_supply_get_the_pallets_own_errors() {
    ExtBuilder::default().build_and_execute(|| {
        let try_bid = |amount: u128, commitment: u128| {
            Backstop::bid(RuntimeOrigin::signed(BOB), amount, commitment)
        };
        assert_noop!(try_bid(0, UNIT), Error::<Test>::BidTooLow);
        assert_noop!(try_bid(UNIT, 0), Error::<Test>::CommitmentTooLow);
        assert_noop!(
            try_bid(INITIAL + 1, UNIT),
            Error::<Test>::InsufficientBalance
        );
        assert_noop!(
            try_bid(UNIT, INITIAL + 1),
            Error::<Test>::InsufficientBalance
        );
        assert_noop!(try_bid(INITIAL, UNIT), Error::<Test>::InsufficientBalance);
        for huge in [1u128 << 127, u128::MAX] {
            assert_noop!(try_bid(huge, UNIT), Error::<Test>::AmountTooLarge);
            assert_noop!(try_bid(UNIT, huge), Error::<Test>::AmountTooLarge);
            assert_noop!(try_bid(huge, huge), Error::<Test>::AmountTooLarge);
        }
        // A raise is checked on what it adds.
        bid(BOB, 10, 10);
        assert_noop!(
            try_bid(INITIAL - 10 * UNIT + 1, 10 * UNIT),
            Error::<Test>::InsufficientBalance
        );
        assert_ok!(try_bid(INITIAL - 10 * UNIT, 10 * UNIT));
        assert_eq!(balance(USD, BOB), 0);
    });
}
