//! The pallet's invariants, checked by `try_state` (and after every test):
//!
//! 1. per market, the supply and borrow share totals equal the sums over positions, no empty
//!    position is stored, and borrowed assets never exceed supplied assets;
//! 2. the pallet account holds, per asset, at least what the markets owe in it: supplied minus
//!    borrowed of every market lending it, plus the collateral of every market taking it;
//! 3. the liquidation index holds every position with debt, each under a key at least that of
//!    its current `borrow_shares / collateral` (liquidations leave nodes in place; positions
//!    without debt may keep a node until pruned); the bucket lists are well linked, in strictly
//!    decreasing key order, reach every node once, and the bitmap marks exactly the non-empty
//!    buckets;
//! 4. both assets of every market have their decimals recorded in `AssetDecimals`.

use crate::{math, pallet::*, BitmapWord};
use alloc::{collections::BTreeMap, vec::Vec};
use backstop_primitives::{AssetId, Balance, MarketId};
use frame_support::{ensure, traits::fungibles::Inspect};
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
    /// Checks every invariant; see the module docs.
    pub(crate) fn do_try_state() -> Result<(), TryRuntimeError> {
        let mut owed: BTreeMap<AssetId, Balance> = BTreeMap::new();
        for (id, market) in Markets::<T>::iter() {
            ensure!(
                AssetDecimals::<T>::contains_key(market.loan_asset)
                    && AssetDecimals::<T>::contains_key(market.collateral_asset),
                "a market's asset has no recorded decimals"
            );
            let mut supply_shares: u128 = 0;
            let mut borrow_shares: u128 = 0;
            let mut collateral: Balance = 0;
            let mut borrowers: usize = 0;
            for (who, position) in Positions::<T>::iter_prefix(id) {
                ensure!(!position.is_empty(), "an empty position is stored");
                supply_shares = supply_shares
                    .checked_add(position.supply_shares)
                    .ok_or("overflow")?;
                borrow_shares = borrow_shares
                    .checked_add(position.borrow_shares)
                    .ok_or("overflow")?;
                collateral = collateral
                    .checked_add(position.collateral)
                    .ok_or("overflow")?;
                // Liquidations leave nodes in place (the index is lazy there): a node's key
                // is an upper bound of its position's key, and a position without debt may
                // keep a node until it is pruned.
                if position.borrow_shares != 0 {
                    let node = IndexNodes::<T>::get(id, &who)
                        .ok_or("a borrower is missing from the liquidation index")?;
                    let exact = math::position_key(position.borrow_shares, position.collateral)
                        .ok_or("overflow")?;
                    ensure!(
                        node.key >= exact,
                        "an index node is below its position's key"
                    );
                    borrowers = borrowers.saturating_add(1);
                }
            }
            ensure!(
                supply_shares == market.total_supply_shares,
                "supply shares differ from the sum over positions"
            );
            ensure!(
                borrow_shares == market.total_borrow_shares,
                "borrow shares differ from the sum over positions"
            );
            ensure!(
                market.total_borrow_assets <= market.total_supply_assets,
                "borrowed assets exceed supplied assets"
            );
            Self::check_index(id, borrowers)?;

            let loan = owed.entry(market.loan_asset).or_default();
            *loan = loan.checked_add(market.liquidity()).ok_or("overflow")?;
            let pledged = owed.entry(market.collateral_asset).or_default();
            *pledged = pledged.checked_add(collateral).ok_or("overflow")?;
        }
        let account = Self::account_id();
        for (asset, amount) in owed {
            ensure!(
                T::Assets::balance(asset, &account) >= amount,
                "the pallet account holds less than the markets owe"
            );
        }
        Ok(())
    }

    /// Invariant 3 for market `id`, which has `borrowers` positions with debt.
    fn check_index(id: MarketId, borrowers: usize) -> Result<(), TryRuntimeError> {
        let nodes = IndexNodes::<T>::iter_prefix(id).count();
        ensure!(nodes >= borrowers, "a borrower has no node");
        let buckets = Self::index_buckets(id);
        ensure!(
            IndexBuckets::<T>::iter_prefix(id).count() == buckets.len(),
            "a bucket is not linked from the top"
        );
        let mut walked: usize = 0;
        let mut higher: Option<u64> = None;
        for (key, members) in &buckets {
            ensure!(
                higher.is_none_or(|h| h > *key),
                "index buckets are out of order"
            );
            let bucket = IndexBuckets::<T>::get(id, key).ok_or("a linked bucket is missing")?;
            ensure!(bucket.higher == higher, "a bucket's upward link is wrong");
            ensure!(
                bucket.lower.is_none_or(|l| l < *key),
                "a bucket's downward link is wrong"
            );
            ensure!(!members.is_empty(), "an empty bucket is linked");
            ensure!(
                members.last() == Some(&bucket.tail),
                "a bucket's tail is wrong"
            );
            let mut previous: Option<&T::AccountId> = None;
            for who in members {
                let node = IndexNodes::<T>::get(id, who).ok_or("a bucket member has no node")?;
                ensure!(node.key == *key, "a node is in the wrong bucket");
                ensure!(
                    node.prev.as_ref() == previous,
                    "a node's backward link is wrong"
                );
                previous = Some(who);
            }
            walked = walked.saturating_add(members.len());
            higher = Some(*key);
        }
        ensure!(
            walked == nodes,
            "the bucket lists do not reach every node exactly once"
        );

        // The bitmap: level 0 marks exactly the bucket keys; a bit above marks exactly the
        // non-empty words below.
        let mut words: Vec<(u8, u64, BitmapWord)> = IndexBitmap::<T>::iter_prefix((id,))
            .map(|((level, index), word)| (level, index, word))
            .collect();
        words.sort_by_key(|(level, index, _)| (*level, *index));
        let mut level0_bits: usize = 0;
        for (level, index, word) in &words {
            ensure!(!word.is_empty(), "an empty bitmap word is stored");
            for bit in 0..BitmapWord::BITS {
                if !word.get(bit) {
                    continue;
                }
                let child = index
                    .checked_mul(u64::from(BitmapWord::BITS))
                    .and_then(|i| i.checked_add(u64::from(bit)))
                    .ok_or("overflow")?;
                match level.checked_sub(1) {
                    None => {
                        ensure!(
                            IndexBuckets::<T>::contains_key(id, child),
                            "the bitmap marks an empty bucket"
                        );
                        level0_bits = level0_bits.saturating_add(1);
                    }
                    Some(below) => ensure!(
                        IndexBitmap::<T>::contains_key((id, below, child)),
                        "the bitmap marks an empty word"
                    ),
                }
            }
        }
        ensure!(level0_bits == buckets.len(), "the bitmap misses a bucket");
        for level in 1..crate::index::BITMAP_LEVELS {
            let below = words
                .iter()
                .filter(|(l, _, _)| l.checked_add(1) == Some(level))
                .count();
            let marks: usize = words
                .iter()
                .filter(|(l, _, _)| *l == level)
                .map(|(_, _, w)| (0..BitmapWord::BITS).filter(|b| w.get(*b)).count())
                .sum();
            ensure!(marks == below, "the bitmap misses a word");
        }
        Ok(())
    }
}
