//! The user score: time-weighted balances per (market, side) and each user's share of the jar.
//!
//! ## Books and value
//!
//! Each (market, side) has a [`ScoreBook`] with a governance weight `w` (per stable unit of
//! value), a price `p` (what one smallest unit of the side's asset is worth in smallest units
//! of the stable asset: oracle price and decimals together, one for the stable asset itself),
//! the total counted balance `B` (smallest units of the asset) and its part `⌈r · B⌉` of the
//! global weighted total `W` ([`TotalWeighted`]), where `r = w · p` (rounded down) is the
//! book's *rate*. So a user's weighted balance is `balance · p · w`: the balance's value in
//! stable units times the weight, whatever the asset's decimals or unit price; one dollar of
//! an 18-decimal collateral weighs what one dollar of debt does at equal weights.
//!
//! Prices move; revaluing every user's balance at each move would be O(users). Instead the
//! *book* holds one price for all its balances, refreshed from the oracle (if fresh, at most
//! `max_price_age` old) whenever a balance in the book changes or governance sets its weight:
//! the book is first brought up to date at the old rate, then re-weighed at the new one, in
//! O(1), exactly like a weight change. Every balance of a book is valued at the same price at
//! every moment, so no user can pick a better price for itself; between touches the book lags
//! the market (an active market is touched often). Without a fresh price the book keeps its
//! last one; a book never priced has rate zero and scores nothing until it is.
//!
//! The jar raises the global reward per weighted unit `G` ([`RewardPerWeight`], see `jar.rs`);
//! a book turns it into reward per unit of its own balance, `I += r · ΔG` (rounded down), and
//! a user's entry earns `balance · (I − I_entry)` (rounded down). Score (`∫ w · value dt`, in
//! weight × stable units × blocks) is kept the same way with a per-book `∫ r dt` index. Every
//! update and claim touches one book per entry of one user: O(1) in the number of users.
//!
//! Rounding never pays more than was released: `Σ ⌈r·B⌉ · ΔG ≤ Δ`, and both index steps and
//! user payouts round down.
//!
//! ## Slashing
//!
//! The score counts `min(recorded, actual)`. When the avatar pallet reports a balance changed
//! outside the avatar ([`ScoreHook::on_outside_change`]: someone repaid the user's debt or
//! supplied for it directly in the market), by `d = |actual − recorded|` in either direction:
//!
//! - since the last sync the entry earns on `min(recorded, actual)` only: a fall's `d` stops
//!   earning from the last sync (what it would have earned goes back to the jar), a rise's
//!   `d` never earns retroactively;
//! - the user forfeits what `d` units earned since the epoch's start (up to the last sync),
//!   back to the jar, bounded by what the entry earned this epoch, by what is unclaimed, and
//!   by the value of `d` at the book's price, so the slash is never more than the outside
//!   change brought the user (a griefer pays at least what the victim loses);
//! - the entry then records `min(recorded, actual)`: a fall counts at once, a rise only from
//!   the next change reported through the avatar (`on_balance_changed`, which the avatar
//!   pallet makes after every action of the user).
//!
//! [`ScoreHook::on_outside_change`]: backstop_primitives::ScoreHook::on_outside_change

use crate::{pallet::*, pool::mul_div, types::*};
use backstop_primitives::{Balance, LendingMarket, MarketId, Side};
use frame_support::pallet_prelude::Get;
use sp_arithmetic::{
    traits::{One, SaturatedConversion, Saturating, Zero},
    FixedPointNumber, FixedU128, Rounding,
};
use sp_runtime::{DispatchError, DispatchResult};

/// The global state a book or an entry is brought up to.
pub(crate) struct ScoreClock {
    /// The global reward per weighted unit now.
    pub index: FixedU128,
    /// The current block, as `u32`.
    pub now: u32,
    /// The running epoch.
    pub epoch: u32,
    /// The global reward per weighted unit at the running epoch's first block.
    pub epoch_start_index: FixedU128,
}

/// `weight · gain`, rounded down (zero on overflow: never over-pay).
fn index_step(weight: FixedU128, gain: FixedU128) -> FixedU128 {
    FixedU128::from_inner(
        mul_div(
            weight.into_inner(),
            gain.into_inner(),
            FixedU128::DIV,
            Rounding::Down,
        )
        .unwrap_or_default(),
    )
}

/// `units · per_unit`, rounded down; `None` on overflow.
fn units_times(units: Balance, per_unit: FixedU128) -> Option<Balance> {
    mul_div(units, per_unit.into_inner(), FixedU128::DIV, Rounding::Down)
}

/// `⌈rate · total⌉`, a book's part of the global weighted total.
pub(crate) fn weighted_of(rate: FixedU128, total: Balance) -> Balance {
    mul_div(total, rate.into_inner(), FixedU128::DIV, Rounding::Up).unwrap_or(Balance::MAX)
}

impl ScoreBook {
    /// The book's rate `weight · price` (rounded down; zero on overflow): weighted units
    /// (weight × stable units) per smallest unit of balance.
    pub fn rate(&self) -> FixedU128 {
        index_step(self.weight, self.price)
    }
}

impl<T: Config> Pallet<T> {
    /// The clock after [`Self::accrue_jar`] wrote the jar.
    pub(crate) fn score_clock() -> ScoreClock {
        Self::clock_at(RewardPerWeight::<T>::get())
    }

    fn clock_at(index: FixedU128) -> ScoreClock {
        ScoreClock {
            index,
            now: frame_system::Pallet::<T>::block_number().saturated_into(),
            epoch: Self::current_epoch().index,
            epoch_start_index: EpochStartReward::<T>::get(),
        }
    }

    /// Brings `book` up to `clock` at its current rate.
    pub(crate) fn refresh_book(book: &mut ScoreBook, clock: &ScoreClock) {
        let rate = book.rate();
        if book.epoch < clock.epoch {
            // No update since before the epoch started, so the rate was constant since.
            let gain = clock.epoch_start_index.saturating_sub(book.global_at);
            book.epoch_start_index = book.reward_index.saturating_add(index_step(rate, gain));
            book.epoch = clock.epoch;
        }
        let gain = clock.index.saturating_sub(book.global_at);
        book.reward_index = book.reward_index.saturating_add(index_step(rate, gain));
        book.global_at = clock.index;
        let elapsed = clock.now.saturating_sub(book.updated_at);
        book.score_index = book
            .score_index
            .saturating_add(rate.saturating_mul(FixedU128::from_u32(elapsed)));
        book.updated_at = clock.now;
    }

    /// What one smallest unit of the asset (`market`, `side`) counts is worth in smallest
    /// units of the stable asset: one for the stable asset, else its fresh oracle price;
    /// `None` for an unknown market or without a fresh price.
    pub(crate) fn unit_value(market: MarketId, side: Side) -> Option<FixedU128> {
        let info = T::Lending::market(market)?;
        let asset = match side {
            Side::Collateral => info.collateral_asset,
            Side::Supply | Side::Debt => info.loan_asset,
        };
        if asset == T::StableAsset::get() {
            return Some(FixedU128::one());
        }
        Self::fresh_price(asset).ok()
    }

    /// Sets the (up to date) `book`'s price to the current unit value, if known; the caller
    /// re-weighs it with [`Self::set_book_total`].
    pub(crate) fn reprice_book(market: MarketId, side: Side, book: &mut ScoreBook) {
        if let Some(price) = Self::unit_value(market, side) {
            book.price = price;
        }
    }

    /// The book of (`market`, `side`) brought up to `clock` (a new one with the default
    /// weight if none exists).
    pub(crate) fn load_book(market: MarketId, side: Side, clock: &ScoreClock) -> ScoreBook {
        match ScoreBooks::<T>::get((market, side)) {
            Some(mut book) => {
                Self::refresh_book(&mut book, clock);
                book
            }
            None => ScoreBook {
                weight: SharingParameters::<T>::get().default_weight(side),
                global_at: clock.index,
                updated_at: clock.now,
                epoch: clock.epoch,
                ..Default::default()
            },
        }
    }

    /// Settles `entry` against its (up to date) `book`, counting `counted` units since the
    /// last settlement; returns `(reward, score)` earned.
    pub(crate) fn settle_entry(
        entry: &mut ScoreEntry,
        book: &ScoreBook,
        counted: Balance,
        clock: &ScoreClock,
    ) -> (Balance, u128) {
        let gain = book.reward_index.saturating_sub(entry.reward_index);
        let reward = units_times(counted, gain).unwrap_or_default();
        let epoch_from = entry.reward_index.max(book.epoch_start_index);
        let epoch_reward = units_times(counted, book.reward_index.saturating_sub(epoch_from))
            .unwrap_or_default()
            .min(reward);
        if entry.epoch < clock.epoch {
            entry.epoch = clock.epoch;
            entry.epoch_accrued = 0;
        }
        entry.epoch_accrued = entry.epoch_accrued.saturating_add(epoch_reward);
        let score = units_times(counted, book.score_index.saturating_sub(entry.score_index))
            .unwrap_or(u128::MAX);
        entry.reward_index = book.reward_index;
        entry.score_index = book.score_index;
        (reward, score)
    }

    /// Sets `book`'s total and its part of [`TotalWeighted`] (at its current rate).
    pub(crate) fn set_book_total(book: &mut ScoreBook, total: Balance) {
        let weighted = weighted_of(book.rate(), total);
        TotalWeighted::<T>::mutate(|w| {
            *w = w.saturating_sub(book.weighted).saturating_add(weighted)
        });
        book.total = total;
        book.weighted = weighted;
    }

    /// Settles every entry of `score` up to `clock`; with `write`, stores the refreshed books.
    pub(crate) fn settle_user(
        score: &mut UserScore<T::MaxUserEntries>,
        clock: &ScoreClock,
        write: bool,
    ) {
        let mut reward_sum: Balance = 0;
        let mut score_sum: u128 = 0;
        for entry in score.entries.iter_mut() {
            let key = (entry.market, entry.side);
            let book = Self::load_book(entry.market, entry.side, clock);
            let balance = entry.balance;
            let (reward, gained) = Self::settle_entry(entry, &book, balance, clock);
            reward_sum = reward_sum.saturating_add(reward);
            score_sum = score_sum.saturating_add(gained);
            if write {
                ScoreBooks::<T>::insert(key, book);
            }
        }
        score.accrued = score.accrued.saturating_add(reward_sum);
        score.score = score.score.saturating_add(score_sum);
    }

    /// `who`'s score settled up to now, without writing anything.
    pub(crate) fn settled_view(who: &T::AccountId) -> Option<UserScore<T::MaxUserEntries>> {
        let mut score = UserScores::<T>::get(who)?;
        let (_, index) = Self::released(
            Jar::<T>::get(),
            RewardPerWeight::<T>::get(),
            TotalWeighted::<T>::get(),
            frame_system::Pallet::<T>::block_number(),
        );
        let clock = Self::clock_at(index);
        Self::settle_user(&mut score, &clock, false);
        Some(score)
    }

    /// `user`'s `side` balance in `market` is now `balance`; `outside` when the change was
    /// made outside the avatar (the score then counts `min(recorded, balance)` and slashes
    /// the difference, either way: see the module doc).
    pub(crate) fn update_balance(
        user: &T::AccountId,
        market: MarketId,
        side: Side,
        balance: Balance,
        outside: bool,
    ) {
        Self::accrue_jar();
        let clock = Self::score_clock();
        let mut score = UserScores::<T>::get(user).unwrap_or_default();
        let position = score
            .entries
            .iter()
            .position(|e| e.market == market && e.side == side);
        let recorded = position
            .and_then(|i| score.entries.get(i))
            .map(|e| e.balance)
            .unwrap_or_default();
        // Through the avatar the new balance counts at once; outside it, only what was
        // recorded and is still there (a rise waits for the next change through the avatar).
        let next = if outside {
            recorded.min(balance)
        } else {
            balance
        };
        if position.is_none() {
            if next.is_zero() {
                return;
            }
            let capacity = usize::try_from(T::MaxUserEntries::get()).unwrap_or(usize::MAX);
            if score.entries.len() >= capacity {
                Self::deposit_event(Event::ScoreEntriesFull {
                    user: user.clone(),
                    market,
                    side,
                });
                return;
            }
        }
        let mut book = Self::load_book(market, side, &clock);
        Self::reprice_book(market, side, &mut book);
        let mut entry = position
            .and_then(|i| score.entries.get(i).copied())
            .unwrap_or(ScoreEntry {
                market,
                side,
                balance: 0,
                reward_index: book.reward_index,
                score_index: book.score_index,
                epoch: clock.epoch,
                epoch_accrued: 0,
            });
        let counted = if outside { next } else { recorded };
        let index_before = entry.reward_index;
        let (reward, gained) = Self::settle_entry(&mut entry, &book, counted, &clock);
        score.accrued = score.accrued.saturating_add(reward);
        score.score = score.score.saturating_add(gained);

        let difference = if outside {
            recorded.abs_diff(balance)
        } else {
            0
        };
        if !difference.is_zero() {
            // A fall: what the difference would have earned since the last sync was released
            // for it but never paid. A rise never counted, so nothing was released for it.
            let unearned = if balance < recorded {
                units_times(difference, book.reward_index.saturating_sub(index_before))
                    .unwrap_or_default()
            } else {
                0
            };
            // What that many units earned since the epoch's start (before the last sync) is
            // taken back, never more than the change is worth.
            let lost = units_times(
                difference,
                index_before.saturating_sub(book.epoch_start_index),
            )
            .unwrap_or(Balance::MAX)
            .min(entry.epoch_accrued)
            .min(score.accrued)
            .min(units_times(difference, book.price).unwrap_or(Balance::MAX));
            entry.epoch_accrued = entry.epoch_accrued.saturating_sub(lost);
            score.accrued = score.accrued.saturating_sub(lost);
            Self::add_income(unearned.saturating_add(lost));
            Self::deposit_event(Event::ScoreSlashed {
                user: user.clone(),
                market,
                side,
                difference,
                lost,
            });
        }

        let total = book.total.saturating_sub(recorded).saturating_add(next);
        Self::set_book_total(&mut book, total);
        entry.balance = next;
        match position {
            Some(i) if next.is_zero() => {
                score.entries.remove(i);
            }
            Some(i) => {
                if let Some(slot) = score.entries.get_mut(i) {
                    *slot = entry;
                }
            }
            None => {
                // Capacity was checked above.
                let _ = score.entries.try_push(entry);
            }
        }
        ScoreBooks::<T>::insert((market, side), book);
        if score.entries.is_empty() && score.accrued.is_zero() && score.score.is_zero() {
            UserScores::<T>::remove(user);
        } else {
            UserScores::<T>::insert(user, score);
        }
    }

    /// Governance sets the weight of (`market`, `side`) from now on.
    pub(crate) fn do_set_score_weight(
        market: MarketId,
        side: Side,
        weight: FixedU128,
        privilege: backstop_primitives::Privilege,
    ) -> DispatchResult {
        frame_support::ensure!(
            weight <= SharingParams::MAX_WEIGHT,
            Error::<T>::WeightOutOfBounds
        );
        frame_support::ensure!(
            T::Lending::market(market).is_some(),
            Error::<T>::UnknownMarket
        );
        // A weight moves the jar's income between users: no direction is safer, so the
        // emergency origin may only set the weight in force.
        let in_force = || {
            ScoreBooks::<T>::get((market, side)).map_or_else(
                || SharingParameters::<T>::get().default_weight(side),
                |book| book.weight,
            )
        };
        frame_support::ensure!(
            privilege == backstop_primitives::Privilege::Full
                || backstop_primitives::Safer::Neither.allows(in_force(), weight),
            Error::<T>::EmergencyCannotLoosen
        );
        Self::accrue_jar();
        let clock = Self::score_clock();
        let mut book = Self::load_book(market, side, &clock);
        Self::reprice_book(market, side, &mut book);
        let old = book.weight;
        book.weight = weight;
        let total = book.total;
        // `set_book_total` swaps the old weighted part for the new one (new weight and price).
        Self::set_book_total(&mut book, total);
        ScoreBooks::<T>::insert((market, side), book);
        Self::deposit_event(Event::ScoreWeightSet {
            market,
            side,
            old,
            new: weight,
        });
        Ok(())
    }

    /// Checks new sharing parameters against their bounds.
    pub(crate) fn validate_sharing(params: &SharingParams) -> Result<(), DispatchError> {
        params.validate().map_err(|e| Error::<T>::from(e).into())
    }
}
