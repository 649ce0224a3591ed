//! `try_state` invariants of the pool, checked after every test and by try-runtime:
//!
//! 1. the shares of all holders sum to [`TotalShares`];
//! 2. a pool with shares has its locked [`Config::MinimumShares`]; a pool without shares holds
//!    nothing (no value without shares);
//! 3. the books are covered by balances: the pool account holds at least the booked idle
//!    stable and each booked collateral, and at least the booked lending supply shares plus
//!    the depositors' claims on them; the claims sum to [`TotalLentClaims`], none is zero;
//! 4. no collateral is booked at zero;
//! 5. the auction: [`BidderCount`] counts [`Bids`] (at most `MaxBidders`); the winning set is
//!    sorted highest first, within `seats`, without duplicates, and each of its bids is the
//!    bidder's live bid; before the candle every live bid is winning;
//! 6. the franchise: seats held by distinct members;
//! 7. the score: each book's total is the sum of its entries' balances, its weighted part is
//!    `⌈rate · total⌉` (rate = weight · price), [`TotalWeighted`] is their sum; entries are unique and non-zero;
//! 8. the vault covers its books: bids + available commitments + jar income + the unreleased
//!    stream + every user's claimable reward + deferred payouts.

use crate::{pallet::*, score::weighted_of};
use alloc::collections::btree_map::BTreeMap;
use backstop_primitives::{Balance, LendingMarket};
use frame_support::{ensure, pallet_prelude::Get, traits::fungibles::Inspect};
use sp_arithmetic::traits::Zero;
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
    /// Checks every invariant of the pool.
    pub fn do_try_state() -> Result<(), TryRuntimeError> {
        let total = TotalShares::<T>::get();
        let mut sum: Balance = 0;
        for (_, shares) in SharesOf::<T>::iter() {
            ensure!(!shares.is_zero(), "a zero share entry is stored");
            sum = sum.checked_add(shares).ok_or("share sum overflows")?;
        }
        ensure!(sum == total, "shares do not sum to TotalShares");

        let pool = Self::account_id();
        let collaterals = Collaterals::<T>::get();
        if total.is_zero() {
            ensure!(
                StableReserve::<T>::get().is_zero(),
                "stable held without shares"
            );
            ensure!(
                LentShares::<T>::get().is_zero(),
                "lent stable without shares"
            );
            ensure!(collaterals.is_empty(), "collateral held without shares");
        } else {
            ensure!(
                SharesOf::<T>::get(&pool).unwrap_or_default() >= T::MinimumShares::get(),
                "the locked minimum shares are missing"
            );
        }

        ensure!(
            T::Assets::balance(T::StableAsset::get(), &pool) >= StableReserve::<T>::get(),
            "booked stable exceeds the pool's balance"
        );
        for (asset, amount) in collaterals.iter() {
            ensure!(!amount.is_zero(), "a collateral is booked at zero");
            ensure!(
                T::Assets::balance(*asset, &pool) >= *amount,
                "booked collateral exceeds the pool's balance"
            );
        }
        let mut claimed: Balance = 0;
        for (_, claim) in LentClaims::<T>::iter() {
            ensure!(!claim.is_zero(), "a zero claim is stored");
            claimed = claimed.checked_add(claim).ok_or("claims overflow")?;
        }
        ensure!(
            claimed == TotalLentClaims::<T>::get(),
            "claims do not sum to TotalLentClaims"
        );
        let lent = LentShares::<T>::get()
            .checked_add(claimed)
            .ok_or("lent shares overflow")?;
        if !lent.is_zero() {
            let market = T::YieldMarket::get().ok_or("lent shares without a yield market")?;
            let position = T::Lending::position(market, &pool)
                .map_err(|_| "the yield market does not answer")?;
            ensure!(
                position.supply_shares >= lent,
                "booked lent shares and claims exceed the position"
            );
        }
        Self::franchise_try_state()?;
        Self::score_try_state()
    }

    fn franchise_try_state() -> Result<(), TryRuntimeError> {
        let mut count: u32 = 0;
        let mut held: Balance = 0;
        for (_, bid) in Bids::<T>::iter() {
            count = count.saturating_add(1);
            held = held
                .checked_add(bid.amount)
                .and_then(|h| h.checked_add(bid.commitment))
                .ok_or("bids overflow")?;
        }
        ensure!(count == BidderCount::<T>::get(), "BidderCount is off");
        ensure!(count <= T::MaxBidders::get(), "too many bidders");
        let winning = Winning::<T>::get();
        let epoch = Self::current_epoch();
        ensure!(
            winning.len() <= usize::try_from(epoch.params.seats).unwrap_or(usize::MAX),
            "more winners than seats"
        );
        for pair in winning.windows(2) {
            if let [a, b] = pair {
                ensure!(a.bid.amount >= b.bid.amount, "winning set not sorted");
            }
        }
        for (i, w) in winning.iter().enumerate() {
            ensure!(
                Bids::<T>::get(&w.bidder) == Some(w.bid),
                "a winning bid is not the bidder's live bid"
            );
            ensure!(
                !winning
                    .iter()
                    .skip(i.saturating_add(1))
                    .any(|o| o.bidder == w.bidder),
                "a bidder wins twice"
            );
        }
        if CandleStart::<T>::get().is_none() {
            ensure!(
                usize::try_from(count).unwrap_or(usize::MAX) == winning.len(),
                "a losing bid is held before the candle"
            );
        }
        let seats = Seats::<T>::get();
        let mut committed: Balance = 0;
        for (i, seat) in seats.iter().enumerate() {
            ensure!(
                !seats
                    .iter()
                    .skip(i.saturating_add(1))
                    .any(|o| o.member == seat.member),
                "a member holds two seats"
            );
            committed = committed
                .checked_add(seat.available)
                .ok_or("commitments overflow")?;
        }
        let mut refunds: Balance = 0;
        for (_, owed) in Refunds::<T>::iter() {
            ensure!(!owed.is_zero(), "a zero refund is stored");
            refunds = refunds.checked_add(owed).ok_or("refunds overflow")?;
        }
        // The jar released up to now, as the users' claimable rewards below are counted.
        let (jar, _) = Self::released(
            Jar::<T>::get(),
            RewardPerWeight::<T>::get(),
            TotalWeighted::<T>::get(),
            frame_system::Pallet::<T>::block_number(),
        );
        ensure!(
            jar.released <= jar.stream,
            "the jar released more than its stream"
        );
        let mut claimable: Balance = 0;
        for (who, _) in UserScores::<T>::iter() {
            claimable = claimable
                .checked_add(Self::claimable(&who))
                .ok_or("rewards overflow")?;
        }
        let owed = [
            held,
            committed,
            refunds,
            jar.income,
            jar.stream.saturating_sub(jar.released),
            claimable,
        ]
        .iter()
        .try_fold(0u128, |acc, x| acc.checked_add(*x))
        .ok_or("vault books overflow")?;
        ensure!(
            T::Assets::balance(T::StableAsset::get(), &Self::vault_account()) >= owed,
            "the vault does not cover its books"
        );
        Ok(())
    }

    fn score_try_state() -> Result<(), TryRuntimeError> {
        let mut totals: BTreeMap<
            (backstop_primitives::MarketId, backstop_primitives::Side),
            Balance,
        > = BTreeMap::new();
        for (_, score) in UserScores::<T>::iter() {
            for (i, entry) in score.entries.iter().enumerate() {
                ensure!(!entry.balance.is_zero(), "a zero score entry is stored");
                ensure!(
                    !score
                        .entries
                        .iter()
                        .skip(i.saturating_add(1))
                        .any(|o| o.market == entry.market && o.side == entry.side),
                    "a duplicate score entry"
                );
                let total = totals.entry((entry.market, entry.side)).or_default();
                *total = total
                    .checked_add(entry.balance)
                    .ok_or("score total overflows")?;
            }
        }
        let mut weighted: Balance = 0;
        for (key, book) in ScoreBooks::<T>::iter() {
            ensure!(
                totals.remove(&key).unwrap_or_default() == book.total,
                "a score book's total is not its entries' sum"
            );
            ensure!(
                book.weighted == weighted_of(book.rate(), book.total),
                "a score book's weighted part is off"
            );
            weighted = weighted
                .checked_add(book.weighted)
                .ok_or("weighted overflows")?;
        }
        ensure!(totals.is_empty(), "score entries without a book");
        ensure!(
            weighted == TotalWeighted::<T>::get(),
            "TotalWeighted is off"
        );
        Ok(())
    }
}
