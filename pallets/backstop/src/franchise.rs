//! The franchise: the per-epoch auction of the next epoch's seats, its candle close, the
//! rotation of positions among the members, and the members' committed liquidity.
//!
//! ## Auction
//!
//! During epoch `e` an auction sells the `seats` of epoch `e + 1`. A bid is `(amount,
//! commitment)`; both are transferred into the [vault](Pallet::vault_account) and booked in
//! [`Bids`] (pallet-assets has no holds by default, so reservation is a transfer into a
//! pallet-owned account with explicit books; `try_state` checks the vault covers them). The
//! *winning set* ([`Winning`]) is the `seats` highest bids, highest first, ties to the bid
//! that reached the amount first. A bid must enter the winning set (beat its lowest bid when
//! it is full) and a bidder can only raise. Before the ending period an outbid bidder is
//! released at once (it can no longer win), so at most `seats` bids are live then.
//!
//! Amounts are checked before anything moves: zero or below the minimums (`BidTooLow`,
//! `CommitmentTooLow`), above the stable asset's total issuance or overflowing together
//! (`AmountTooLarge`), a top-up above what the bidder can pay (`InsufficientBalance`).
//!
//! The auction holds at most `MaxBidders` live bids. When it is full (only in the candle, which
//! keeps outbid bids), a new bidder *displaces* the lowest standing bid (at an equal amount,
//! one outside the winning set first) if it beats that bid's amount by at least
//! [`FranchiseParams::MIN_BID_INCREMENT`] (5 %, at least one unit); otherwise it gets
//! `BidIncrementTooLow`. The displaced reserve (amount and commitment) is booked in
//! [`Refunds`] for [`withdraw_refund`](Pallet::withdraw_refund), not transferred, so nothing
//! about the displaced account can fail the bid. Filling the slots thus never blocks a better
//! bid, and holding them against one costs bids that outgrow it by 5 % a step. A displaced
//! bid may still stand in a recorded candle sample: if the close falls there, its seat stays
//! unsold (or, if it bid again lower, it is released).
//!
//! The last `ending_period` blocks of the epoch are the *candle*, cut into `candle_samples`
//! samples. Every bid in it records the winning set at the end of its sample
//! ([`CandleSnapshots`]; the set at the start of the candle is kept in [`CandleStart`]) and no
//! bidder is released until settlement, since any sample may turn out to be the close. At the
//! epoch's end a closing sample is drawn from [`Config::Randomness`]; the winners are the
//! winning set as it stood at the end of that sample, with the amounts and commitments they
//! had then, so a bid placed after the drawn close does not count. All winners pay the lowest
//! winning bid (uniform price) into the jar; their commitments (as at the close) become the
//! new franchise's committed liquidity; everything else is released.
//!
//! ## Assignment
//!
//! An epoch is cut into windows of `window_length` blocks. In window `w`, a position hashes to
//! `seat = hash(market, position, epoch, w) mod seats`; a member whose available commitment is
//! zero is skipped (the next seat is tried); with no seat sold or every member exhausted, the
//! pool is the member of last resort. The member has the window's first `priority_period`
//! blocks to itself.

use crate::{pallet::*, types::*};
use backstop_primitives::{Assignee, Assignment, Balance, LendingMarket, MarketId};
use codec::Decode;
use frame_support::{
    ensure,
    pallet_prelude::Get,
    traits::{
        fungibles::{Inspect, Mutate},
        tokens::{Fortitude, Preservation},
        Randomness,
    },
    BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_arithmetic::traits::{SaturatedConversion, Saturating, Zero};
use sp_runtime::traits::BlakeTwo256;
use sp_runtime::{
    traits::{AccountIdConversion, Hash, TrailingZeroInput},
    DispatchError, DispatchResult,
};

/// A winning set: at most `MaxSeats` bids, highest first.
pub type WinningSet<T> =
    BoundedVec<WinningBid<<T as frame_system::Config>::AccountId>, <T as Config>::MaxSeats>;

impl<T: Config> Pallet<T> {
    /// The vault account: holds the bids, the members' committed liquidity, the reward jar and
    /// deferred payouts, each on its own books. Keyless: its id is the hash of
    /// `("modl", PalletId, "vault")`, so it differs from the pool account even where account
    /// ids are shorter than a pallet's sub-account encoding.
    pub fn vault_account() -> T::AccountId {
        let entropy = BlakeTwo256::hash_of(&(b"modl", T::PalletId::get(), b"vault"));
        T::AccountId::decode(&mut TrailingZeroInput::new(entropy.as_ref()))
            .unwrap_or_else(|_| T::PalletId::get().into_sub_account_truncating(*b"vault"))
    }

    /// An epoch numbered `index` starting at `start` with `params`.
    pub(crate) fn new_epoch(
        index: u32,
        start: BlockNumberFor<T>,
        params: FranchiseParams,
    ) -> EpochInfo<BlockNumberFor<T>> {
        EpochInfo {
            index,
            start,
            end: start.saturating_add(params.epoch_length.into()),
            params,
        }
    }

    /// The running epoch (epoch 0 from block 0 with the current parameters if none was
    /// recorded yet).
    pub fn current_epoch() -> EpochInfo<BlockNumberFor<T>> {
        Epoch::<T>::get()
            .unwrap_or_else(|| Self::new_epoch(0, Zero::zero(), FranchiseParameters::<T>::get()))
    }

    /// First block of `epoch`'s ending period.
    pub(crate) fn ending_start(epoch: &EpochInfo<BlockNumberFor<T>>) -> BlockNumberFor<T> {
        epoch.end.saturating_sub(epoch.params.ending_period.into())
    }

    /// The candle sample block `now` falls in, `None` before the ending period.
    pub(crate) fn candle_sample(
        epoch: &EpochInfo<BlockNumberFor<T>>,
        now: BlockNumberFor<T>,
    ) -> Option<u32> {
        let ending_start = Self::ending_start(epoch);
        if now < ending_start {
            return None;
        }
        let offset: u32 = now.saturating_sub(ending_start).saturated_into();
        let samples = epoch.params.candle_samples.max(1);
        let sample_length = epoch
            .params
            .ending_period
            .checked_div(samples)
            .unwrap_or(1)
            .max(1);
        Some(
            offset
                .checked_div(sample_length)
                .unwrap_or_default()
                .min(samples.saturating_sub(1)),
        )
    }

    /// `bidder` bids `amount` for a seat of the next epoch and commits `commitment`.
    pub(crate) fn do_bid(
        bidder: &T::AccountId,
        amount: Balance,
        commitment: Balance,
    ) -> DispatchResult {
        let now = frame_system::Pallet::<T>::block_number();
        let epoch = Self::current_epoch();
        ensure!(now < epoch.end, Error::<T>::AuctionClosed);
        let params = epoch.params;
        ensure!(amount >= params.min_bid, Error::<T>::BidTooLow);
        ensure!(
            commitment >= params.min_commitment,
            Error::<T>::CommitmentTooLow
        );
        let stable = T::StableAsset::get();
        // An amount no account can hold is named as such, before anything else.
        let new_total = amount
            .checked_add(commitment)
            .filter(|total| *total <= T::Assets::total_issuance(stable))
            .ok_or(Error::<T>::AmountTooLarge)?;
        let old = Bids::<T>::get(bidder);
        if let Some(old) = old {
            ensure!(
                amount >= old.amount
                    && commitment >= old.commitment
                    && (amount > old.amount || commitment > old.commitment),
                Error::<T>::BidNotRaised
            );
        }
        let old_total = old
            .map(|b| b.amount.saturating_add(b.commitment))
            .unwrap_or_default();
        let top_up = new_total
            .checked_sub(old_total)
            .ok_or(Error::<T>::Overflow)?;
        ensure!(
            top_up
                <= T::Assets::reducible_balance(
                    stable,
                    bidder,
                    Preservation::Expendable,
                    Fortitude::Polite
                ),
            Error::<T>::InsufficientBalance
        );

        let before = Winning::<T>::get();
        let mut winning = before.clone();
        let seats = usize::try_from(params.seats).unwrap_or(usize::MAX);
        let sample = Self::candle_sample(&epoch, now);
        let mut dropped = None;
        if let Some(index) = winning.iter().position(|w| w.bidder == *bidder) {
            winning.remove(index);
        } else if winning.len() >= seats {
            let lowest = winning.last().map(|w| w.bid.amount).unwrap_or_default();
            ensure!(amount > lowest, Error::<T>::BidBelowWinning);
            dropped = winning.pop();
        }
        // A new bidder needs a slot. Before the candle the bid it drops is released and frees
        // one; otherwise, with every slot taken, it displaces the lowest standing bid if it
        // beats it by the minimum increment.
        let mut displaced = None;
        let frees_slot = sample.is_none() && dropped.is_some();
        if old.is_none() && !frees_slot && BidderCount::<T>::get() >= T::MaxBidders::get() {
            let (out, out_bid) =
                Self::lowest_standing_bid(&winning).ok_or(Error::<T>::TooManyBidders)?;
            let increment = FranchiseParams::MIN_BID_INCREMENT
                .mul_ceil(out_bid.amount)
                .max(1);
            ensure!(
                amount >= out_bid.amount.saturating_add(increment),
                Error::<T>::BidIncrementTooLow
            );
            winning.retain(|w| w.bidder != out);
            if dropped.as_ref().is_some_and(|d| d.bidder == out) {
                dropped = None;
            }
            displaced = Some((out, out_bid));
        }
        let bid = Bid { amount, commitment };
        // After every bid of at least this amount: ties go to whoever reached it first.
        let at = winning
            .iter()
            .position(|w| w.bid.amount < amount)
            .unwrap_or(winning.len());
        winning
            .try_insert(
                at,
                WinningBid {
                    bidder: bidder.clone(),
                    bid,
                },
            )
            .map_err(|_| Error::<T>::Overflow)?;

        T::Assets::transfer(
            stable,
            bidder,
            &Self::vault_account(),
            top_up,
            Preservation::Expendable,
        )?;
        if old.is_none() {
            BidderCount::<T>::mutate(|c| *c = c.saturating_add(1));
        }
        Bids::<T>::insert(bidder, bid);
        if let Some((out, out_bid)) = displaced {
            // Booked, not transferred: nothing about the displaced account can fail the bid.
            Bids::<T>::remove(&out);
            BidderCount::<T>::mutate(|c| *c = c.saturating_sub(1));
            let refund = out_bid.amount.saturating_add(out_bid.commitment);
            Refunds::<T>::mutate(&out, |owed| {
                *owed = Some(owed.unwrap_or_default().saturating_add(refund))
            });
            Self::deposit_event(Event::BidDisplaced {
                bidder: out,
                by: bidder.clone(),
                refund,
            });
        }

        match sample {
            None => {
                // Before the candle an outbid bidder can no longer win: release it now.
                if let Some(out) = dropped {
                    Bids::<T>::remove(&out.bidder);
                    BidderCount::<T>::mutate(|c| *c = c.saturating_sub(1));
                    let total = out.bid.amount.saturating_add(out.bid.commitment);
                    Self::pay_out(&out.bidder, total);
                    Self::deposit_event(Event::BidReleased {
                        bidder: out.bidder,
                        amount: total,
                    });
                }
            }
            Some(sample) => {
                if CandleStart::<T>::get().is_none() {
                    CandleStart::<T>::put(before);
                }
                CandleSamples::<T>::try_mutate(|samples| -> DispatchResult {
                    if samples.last() != Some(&sample) {
                        samples.try_push(sample).map_err(|_| Error::<T>::Overflow)?;
                    }
                    Ok(())
                })?;
                CandleSnapshots::<T>::insert(sample, winning.clone());
            }
        }
        Winning::<T>::put(winning);
        Self::deposit_event(Event::BidPlaced {
            bidder: bidder.clone(),
            amount,
            commitment,
        });
        Ok(())
    }

    /// The live bid a new bidder displaces from a full auction: the lowest amount, and at an
    /// equal amount one outside `winning` (the standing winning set without the new bid)
    /// before one in it, the last of `winning` among those. O(`MaxBidders`).
    pub(crate) fn lowest_standing_bid(winning: &WinningSet<T>) -> Option<(T::AccountId, Bid)> {
        let outside = Bids::<T>::iter()
            .filter(|(who, _)| !winning.iter().any(|w| w.bidder == *who))
            .min_by_key(|(_, bid)| bid.amount);
        let inside = winning.last().map(|w| (w.bidder.clone(), w.bid));
        match (outside, inside) {
            (Some(o), Some(i)) if i.1.amount < o.1.amount => Some(i),
            (Some(o), _) => Some(o),
            (None, i) => i,
        }
    }

    /// A closing sample in `0..samples`, drawn from the runtime's randomness.
    pub(crate) fn draw_closing_sample(samples: u32) -> u32 {
        let (seed, _) = T::Randomness::random(b"backstop/candle");
        let random = u32::decode(&mut TrailingZeroInput::new(seed.as_ref())).unwrap_or_default();
        random.checked_rem(samples).unwrap_or_default()
    }

    /// The winning set at the auction's close and the drawn closing sample (`None` when no bid
    /// was placed during the candle: the set then never changed).
    pub(crate) fn closing_set(
        epoch: &EpochInfo<BlockNumberFor<T>>,
    ) -> (WinningSet<T>, Option<u32>) {
        let Some(start) = CandleStart::<T>::get() else {
            return (Winning::<T>::get(), None);
        };
        let sample = Self::draw_closing_sample(epoch.params.candle_samples.max(1));
        let recorded = CandleSamples::<T>::get()
            .iter()
            .rev()
            .find(|s| **s <= sample)
            .copied();
        let set = match recorded {
            Some(s) => CandleSnapshots::<T>::get(s).unwrap_or_default(),
            None => start,
        };
        (set, Some(sample))
    }

    /// Settles the auction at the end of the running epoch and starts the next one: the old
    /// franchise's members get their commitments back, the winners pay the clearing price into
    /// the jar and take their seats, everyone else is released, and the jar starts streaming
    /// the ended epoch's income.
    pub(crate) fn settle_epoch(now: BlockNumberFor<T>) {
        let epoch = Self::current_epoch();
        let (closing, sample) = Self::closing_set(&epoch);
        let clearing = closing.last().map(|w| w.bid.amount).unwrap_or_default();

        // The ended franchise returns its members' commitments, with what they earned.
        for seat in Seats::<T>::take() {
            Self::pay_out(&seat.member, seat.available);
            Self::deposit_event(Event::CommitmentReturned {
                member: seat.member,
                amount: seat.available,
            });
        }

        let mut seats: BoundedVec<Seat<T::AccountId>, T::MaxSeats> = BoundedVec::new();
        let mut paid: Balance = 0;
        for winner in closing.iter() {
            let Some(current) = Bids::<T>::take(&winner.bidder) else {
                // Displaced since the close (refunded): the seat stays unsold.
                continue;
            };
            let held = current.amount.saturating_add(current.commitment);
            if current.amount < winner.bid.amount || current.commitment < winner.bid.commitment {
                // Displaced since the close and back with a lower bid: it no longer stands
                // as it did at the close, so it is released like a loser.
                Self::pay_out(&winner.bidder, held);
                Self::deposit_event(Event::BidReleased {
                    bidder: winner.bidder.clone(),
                    amount: held,
                });
                continue;
            }
            // Bids only rise, so the current reserve covers the bid as it stood at the close.
            let kept = clearing.saturating_add(winner.bid.commitment);
            Self::pay_out(&winner.bidder, held.saturating_sub(kept));
            paid = paid.saturating_add(clearing);
            if seats
                .try_push(Seat {
                    member: winner.bidder.clone(),
                    committed: winner.bid.commitment,
                    available: winner.bid.commitment,
                })
                .is_err()
            {
                // Cannot happen (the closing set has at most `MaxSeats` bids); never lose
                // the commitment if it did.
                Self::pay_out(&winner.bidder, winner.bid.commitment);
            }
        }
        for (bidder, bid) in Bids::<T>::drain() {
            let amount = bid.amount.saturating_add(bid.commitment);
            Self::pay_out(&bidder, amount);
            Self::deposit_event(Event::BidReleased { bidder, amount });
        }
        Self::add_income(paid);
        if !paid.is_zero() {
            Self::deposit_event(Event::JarFunded {
                source: IncomeSource::Auction,
                amount: paid,
            });
        }
        let winners: BoundedVec<T::AccountId, T::MaxSeats> =
            BoundedVec::truncate_from(seats.iter().map(|s| s.member.clone()).collect());
        Seats::<T>::put(seats);

        Winning::<T>::kill();
        BidderCount::<T>::kill();
        CandleStart::<T>::kill();
        CandleSamples::<T>::kill();
        let _ = CandleSnapshots::<T>::clear(T::MaxCandleSamples::get(), None);

        let next = Self::new_epoch(
            epoch.index.saturating_add(1),
            now,
            FranchiseParameters::<T>::get(),
        );
        Epoch::<T>::put(next);
        Self::roll_jar(now, next.end, next.index);
        Self::deposit_event(Event::AuctionSettled {
            epoch: next.index,
            closing_sample: sample,
            clearing_price: clearing,
            winners,
        });
        Self::deposit_event(Event::EpochStarted {
            epoch: next.index,
            start: next.start,
            end: next.end,
        });
    }

    /// Pays `amount` from the vault to `who`; if the transfer cannot be made now (e.g. below
    /// the asset's minimum balance for an empty account), books it in [`Refunds`] for
    /// [`withdraw_refund`](Pallet::withdraw_refund).
    pub(crate) fn pay_out(who: &T::AccountId, amount: Balance) {
        if amount.is_zero() {
            return;
        }
        let vault = Self::vault_account();
        let result = frame_support::storage::with_storage_layer(|| {
            T::Assets::transfer(
                T::StableAsset::get(),
                &vault,
                who,
                amount,
                Preservation::Expendable,
            )
            .map(|_| ())
        });
        if result.is_err() {
            Refunds::<T>::mutate(who, |owed| {
                *owed = Some(owed.unwrap_or_default().saturating_add(amount))
            });
            Self::deposit_event(Event::PayoutDeferred {
                who: who.clone(),
                amount,
            });
        }
    }

    /// Pays `who` what [`Refunds`] owes it.
    pub(crate) fn do_withdraw_refund(who: &T::AccountId) -> DispatchResult {
        let amount = Refunds::<T>::get(who).ok_or(Error::<T>::NoRefund)?;
        T::Assets::transfer(
            T::StableAsset::get(),
            &Self::vault_account(),
            who,
            amount,
            Preservation::Expendable,
        )?;
        Refunds::<T>::remove(who);
        Self::deposit_event(Event::RefundWithdrawn {
            who: who.clone(),
            amount,
        });
        Ok(())
    }

    /// Who may act on `position` in `market` now (see the module doc). Seats whose available
    /// commitment is below the position's market debt are skipped for it.
    pub fn assignment(
        market: MarketId,
        position: &T::AccountId,
    ) -> Assignment<T::AccountId, BlockNumberFor<T>> {
        let now = frame_system::Pallet::<T>::block_number();
        let epoch = Self::current_epoch();
        let params = epoch.params;
        let length = params.window_length.max(1);
        let offset: u32 = now.saturating_sub(epoch.start).saturated_into();
        let window = offset.checked_div(length).unwrap_or_default();
        let window_start = epoch
            .start
            .saturating_add(window.saturating_mul(length).into());
        let window_end = window_start
            .saturating_add(length.into())
            .min(epoch.end.max(window_start));
        let priority_end = window_start
            .saturating_add(params.priority_period.into())
            .min(window_end);
        let seats = Seats::<T>::get();
        let count = u64::try_from(seats.len()).unwrap_or_default();
        // A seat whose available commitment cannot fund the position's market debt (at least
        // one unit) is skipped for it: it could not act, and the pool would wait through its
        // priority for nothing.
        let need = if count > 0 {
            T::Lending::position(market, position)
                .map(|p| p.borrow_assets)
                .unwrap_or_default()
                .max(1)
        } else {
            1
        };
        let mut assignee = Assignee::Pool;
        if count > 0 {
            let hash =
                T::Hashing::hash_of(&(b"backstop/seat", market, position, epoch.index, window));
            let random =
                u64::decode(&mut TrailingZeroInput::new(hash.as_ref())).unwrap_or_default();
            let first = random.checked_rem(count).unwrap_or_default();
            for step in 0..count {
                let index = first
                    .saturating_add(step)
                    .checked_rem(count)
                    .unwrap_or_default();
                let seat = usize::try_from(index).ok().and_then(|i| seats.get(i));
                if let Some(seat) = seat.filter(|s| s.available >= need) {
                    assignee = Assignee::Member(seat.member.clone());
                    break;
                }
            }
        }
        Assignment {
            assignee,
            window,
            window_start,
            window_end,
            priority_end,
            priority_passed: now >= priority_end,
        }
    }

    /// `member`'s seat in the current franchise and its index.
    fn seat_of(member: &T::AccountId) -> Option<(usize, Seat<T::AccountId>)> {
        Seats::<T>::get()
            .into_iter()
            .enumerate()
            .find(|(_, s)| s.member == *member)
    }

    /// Pays `amount` of `member`'s committed liquidity to `to`.
    pub(crate) fn do_draw_commitment(
        member: &T::AccountId,
        amount: Balance,
        to: &T::AccountId,
    ) -> DispatchResult {
        ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
        let (index, seat) = Self::seat_of(member).ok_or(Error::<T>::NotMember)?;
        let available = seat
            .available
            .checked_sub(amount)
            .ok_or(Error::<T>::CommitmentExhausted)?;
        T::Assets::transfer(
            T::StableAsset::get(),
            &Self::vault_account(),
            to,
            amount,
            Preservation::Expendable,
        )?;
        Self::set_available(index, available)?;
        Self::deposit_event(Event::CommitmentDrawn {
            member: member.clone(),
            amount,
            available,
        });
        Ok(())
    }

    /// `from` pays `amount` back into `member`'s committed liquidity (or to `member` directly
    /// once its franchise is over).
    pub(crate) fn do_return_to_commitment(
        member: &T::AccountId,
        amount: Balance,
        from: &T::AccountId,
    ) -> DispatchResult {
        ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
        let stable = T::StableAsset::get();
        match Self::seat_of(member) {
            Some((index, seat)) => {
                let available = seat
                    .available
                    .checked_add(amount)
                    .ok_or(Error::<T>::Overflow)?;
                T::Assets::transfer(
                    stable,
                    from,
                    &Self::vault_account(),
                    amount,
                    Preservation::Expendable,
                )?;
                Self::set_available(index, available)?;
                Self::deposit_event(Event::CommitmentReplenished {
                    member: member.clone(),
                    amount,
                    available,
                });
            }
            None => {
                T::Assets::transfer(stable, from, member, amount, Preservation::Expendable)?;
                Self::deposit_event(Event::CommitmentReturned {
                    member: member.clone(),
                    amount,
                });
            }
        }
        Ok(())
    }

    fn set_available(index: usize, available: Balance) -> DispatchResult {
        Seats::<T>::try_mutate(|seats| -> DispatchResult {
            let seat = seats.get_mut(index).ok_or(Error::<T>::NotMember)?;
            seat.available = available;
            Ok(())
        })
    }

    /// The current franchise, for the runtime API.
    pub fn current_franchise() -> FranchiseView<T::AccountId, BlockNumberFor<T>> {
        let epoch = Self::current_epoch();
        FranchiseView {
            epoch: epoch.index,
            start: epoch.start,
            end: epoch.end,
            seats: Seats::<T>::get().into_inner(),
        }
    }

    /// The running auction for the next franchise, for the runtime API.
    pub fn next_franchise() -> AuctionView<T::AccountId, BlockNumberFor<T>> {
        let epoch = Self::current_epoch();
        let winning = Winning::<T>::get();
        AuctionView {
            epoch: epoch.index.saturating_add(1),
            seats: epoch.params.seats,
            ending_start: Self::ending_start(&epoch),
            settles_at: epoch.end,
            clearing_price: winning.last().map(|w| w.bid.amount).unwrap_or_default(),
            winning: winning.into_inner(),
        }
    }

    /// Checks new franchise parameters against their bounds.
    pub(crate) fn validate_franchise(params: &FranchiseParams) -> Result<(), DispatchError> {
        params
            .validate(T::MaxSeats::get(), T::MaxCandleSamples::get())
            .map_err(|e| Error::<T>::from(e).into())
    }
}
