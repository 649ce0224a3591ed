//! The liquidation index: every borrower of a market, ordered by
//! `r = borrow_shares / collateral`, so that the positions liquidatable at a price are found
//! in time proportional to how many there are.
//!
//! ## Why `r`
//!
//! All positions of a market share one `assets_per_share`, so a position is liquidatable iff
//! `r > θ = price · lltv / assets_per_share` (computed exactly, see
//! [`math::LiquidationThreshold`]). Interest accrual changes `θ`, not `r`, so the order never
//! needs repair; only the position that an operation touches moves.
//!
//! ## Layout
//!
//! - **Keys.** `r` is mapped to a 56-bit key ([`math::ratio_key`]): a floating-point encoding
//!   (9 bits of exponent, 47 of mantissa) that is monotone in `r`. Positions with equal keys
//!   share a *bucket*; they agree on `r` to a relative `7·10^−15`.
//! - **Buckets** ([`IndexBuckets`]) are doubly linked lists of [`IndexNode`]s ([`IndexNodes`],
//!   one per borrower), appended at the tail, and are themselves linked in key order
//!   (`higher`/`lower`), with the highest key in [`IndexTop`].
//! - **Bitmap** ([`IndexBitmap`]): a 7-level, 256-ary bitmap of the non-empty keys, used only
//!   to find a new bucket's neighbour: the next non-empty key above it.
//!
//! Every storage item has a fixed size (`MaxEncodedLen`); no item holds a list, so there is no
//! per-bucket capacity that an attacker could fill to block someone else's borrow or
//! liquidation, and no `MaxPositionsPerBucket` is needed.
//!
//! ## Costs (storage operations; n = borrowers in the market, k = results)
//!
//! - Re-indexing a position whose key did not change: 1 read.
//! - Removing a node: O(1): its neighbours, its bucket, and when the bucket empties the
//!   neighbouring buckets, [`IndexTop`] and at most 7 bitmap words.
//! - Inserting into an existing bucket: O(1). Creating a bucket: the neighbour search reads at
//!   most 7 words up and 6 down the bitmap, then O(1) links and at most 7 words set. The bitmap
//!   has a fixed height, so this is O(1) in n (better than O(log n)).
//! - Query ([`Pallet::liquidatable_positions`]): starts at [`IndexTop`] and walks buckets from
//!   the highest key down, testing each position exactly (one read each); a bucket below
//!   `key(θ)` ends the walk. Cost: O(k + s + b + 1), where s counts the nodes liquidations
//!   left above their positions (see below) and b the boundary bucket's size — positions
//!   whose `r` agrees with θ to 47 bits.
//!
//! Within a bucket, positions come in insertion order; across buckets, highest `r` first.
//!
//! ## Lazy after liquidations
//!
//! Every operation of a position's owner re-keys it exactly. A liquidation does not: it
//! moves the node only when it raised the position's `r` (a partial liquidation of a position
//! worth less than `debt · LIF`); otherwise the node stays where it was, and a position
//! liquidated in full keeps its node although it has no debt. So a node's key is an **upper
//! bound** of its position's key, and every position with debt has a node. The query still
//! never misses a liquidatable position (a bucket below `key(θ)` holds only positions with
//! `r < θ`) and tests each position it walks exactly (one read, the position), so it never
//! returns a healthy one. What this buys: a liquidation touches one storage key per position
//! (the position), not its node, its neighbours, its bucket and the bitmap, which is what
//! lets a batch liquidate 1,500 positions in a block. [`Pallet::prune_index`] (run from
//! `on_idle`) brings the nodes liquidations left at the top back in line.

use crate::{math, pallet::*, BitmapWord, Bucket, IndexNode, Position};
use alloc::vec::Vec;
use backstop_primitives::{LiquidationPermission, MarketId};
use sp_arithmetic::FixedU128;
use sp_runtime::{DispatchError, DispatchResult};

/// Levels of the bucket bitmap: 7 levels of 8 bits cover the 56-bit keys.
pub const BITMAP_LEVELS: u8 = 7;
/// Bits of a key consumed per bitmap level (256 bits per word).
const BITS_PER_LEVEL: u32 = 8;

/// Where key `key` lives at bitmap `level`: the word's index and the bit within the word.
fn bitmap_position(key: u64, level: u8) -> (u64, u32) {
    let shift = u32::from(level).saturating_mul(BITS_PER_LEVEL);
    let at_level = key.checked_shr(shift).unwrap_or(0);
    let bit = u32::try_from(at_level & 0xff).unwrap_or(0);
    (at_level.checked_shr(BITS_PER_LEVEL).unwrap_or(0), bit)
}

/// The index at level `level − 1` of bit `bit` of word `word` at `level`.
fn child_index(word: u64, bit: u32) -> Option<u64> {
    word.checked_mul(u64::from(BitmapWord::BITS))?
        .checked_add(u64::from(bit))
}

impl<T: Config> Pallet<T> {
    /// Brings `who`'s index entry in line with `position`: removes it if the position has no
    /// debt, moves it if its key changed.
    pub(crate) fn index_update(
        market: MarketId,
        who: &T::AccountId,
        position: &Position,
    ) -> DispatchResult {
        let new_key = if position.borrow_shares == 0 {
            None
        } else {
            Some(
                math::position_key(position.borrow_shares, position.collateral)
                    .ok_or(Error::<T>::Overflow)?,
            )
        };
        let old = IndexNodes::<T>::get(market, who);
        if old.as_ref().map(|node| node.key) == new_key {
            return Ok(());
        }
        if let Some(node) = old {
            Self::index_remove(market, who, node);
        }
        if let Some(key) = new_key {
            Self::index_insert(market, who, key)?;
        }
        Ok(())
    }

    /// Appends `who` to the bucket of `key`, creating the bucket if needed.
    pub(crate) fn index_insert(market: MarketId, who: &T::AccountId, key: u64) -> DispatchResult {
        if let Some(mut bucket) = IndexBuckets::<T>::get(market, key) {
            IndexNodes::<T>::mutate(market, &bucket.tail, |tail| {
                if let Some(tail) = tail {
                    tail.next = Some(who.clone());
                }
            });
            IndexNodes::<T>::insert(
                market,
                who,
                IndexNode {
                    key,
                    prev: Some(bucket.tail.clone()),
                    next: None,
                },
            );
            bucket.tail = who.clone();
            IndexBuckets::<T>::insert(market, key, bucket);
            return Ok(());
        }

        let higher = Self::bitmap_next_above(market, key)?;
        let lower = match higher {
            Some(higher) => IndexBuckets::<T>::get(market, higher).and_then(|b| b.lower),
            None => IndexTop::<T>::get(market),
        };
        match higher {
            Some(higher) => IndexBuckets::<T>::mutate(market, higher, |bucket| {
                if let Some(bucket) = bucket {
                    bucket.lower = Some(key);
                }
            }),
            None => IndexTop::<T>::insert(market, key),
        }
        if let Some(lower) = lower {
            IndexBuckets::<T>::mutate(market, lower, |bucket| {
                if let Some(bucket) = bucket {
                    bucket.higher = Some(key);
                }
            });
        }
        IndexBuckets::<T>::insert(
            market,
            key,
            Bucket {
                head: who.clone(),
                tail: who.clone(),
                higher,
                lower,
            },
        );
        IndexNodes::<T>::insert(
            market,
            who,
            IndexNode {
                key,
                prev: None,
                next: None,
            },
        );
        Self::bitmap_set(market, key);
        Ok(())
    }

    /// Unlinks `who` (whose node is `node`) and drops its bucket if it empties.
    pub(crate) fn index_remove(
        market: MarketId,
        who: &T::AccountId,
        node: IndexNode<T::AccountId>,
    ) {
        IndexNodes::<T>::remove(market, who);
        let Some(mut bucket) = IndexBuckets::<T>::get(market, node.key) else {
            return;
        };
        match &node.prev {
            Some(prev) => IndexNodes::<T>::mutate(market, prev, |n| {
                if let Some(n) = n {
                    n.next = node.next.clone();
                }
            }),
            None => {
                if let Some(next) = &node.next {
                    bucket.head = next.clone();
                }
            }
        }
        match &node.next {
            Some(next) => IndexNodes::<T>::mutate(market, next, |n| {
                if let Some(n) = n {
                    n.prev = node.prev.clone();
                }
            }),
            None => {
                if let Some(prev) = &node.prev {
                    bucket.tail = prev.clone();
                }
            }
        }
        if node.prev.is_some() || node.next.is_some() {
            IndexBuckets::<T>::insert(market, node.key, bucket);
            return;
        }

        // The bucket is now empty: unlink it from its neighbours and the bitmap.
        IndexBuckets::<T>::remove(market, node.key);
        match bucket.higher {
            Some(higher) => IndexBuckets::<T>::mutate(market, higher, |b| {
                if let Some(b) = b {
                    b.lower = bucket.lower;
                }
            }),
            None => match bucket.lower {
                Some(lower) => IndexTop::<T>::insert(market, lower),
                None => IndexTop::<T>::remove(market),
            },
        }
        if let Some(lower) = bucket.lower {
            IndexBuckets::<T>::mutate(market, lower, |b| {
                if let Some(b) = b {
                    b.higher = bucket.higher;
                }
            });
        }
        Self::bitmap_clear(market, node.key);
    }

    /// Marks `key` non-empty in the bitmap, level by level until a word was already non-empty.
    fn bitmap_set(market: MarketId, key: u64) {
        for level in 0..BITMAP_LEVELS {
            let (word_index, bit) = bitmap_position(key, level);
            let was_empty = IndexBitmap::<T>::mutate((market, level, word_index), |word| {
                let was_empty = word.is_empty();
                word.set(bit);
                was_empty
            });
            if !was_empty {
                break;
            }
        }
    }

    /// Marks `key` empty in the bitmap, clearing upper levels while words become empty.
    fn bitmap_clear(market: MarketId, key: u64) {
        for level in 0..BITMAP_LEVELS {
            let (word_index, bit) = bitmap_position(key, level);
            let storage_key = (market, level, word_index);
            let mut word = IndexBitmap::<T>::get(storage_key);
            word.clear(bit);
            if !word.is_empty() {
                IndexBitmap::<T>::insert(storage_key, word);
                break;
            }
            IndexBitmap::<T>::remove(storage_key);
        }
    }

    /// The smallest non-empty key strictly above `key`, if any.
    pub(crate) fn bitmap_next_above(
        market: MarketId,
        key: u64,
    ) -> Result<Option<u64>, DispatchError> {
        for level in 0..BITMAP_LEVELS {
            let (word_index, bit) = bitmap_position(key, level);
            let word = IndexBitmap::<T>::get((market, level, word_index));
            let Some(found) = word.lowest_from(bit.saturating_add(1)) else {
                continue;
            };
            // Descend, taking the lowest set bit at each level below.
            let mut index = child_index(word_index, found).ok_or(Error::<T>::Overflow)?;
            for lower_level in (0..level).rev() {
                let word = IndexBitmap::<T>::get((market, lower_level, index));
                let lowest = word.lowest_from(0).ok_or(Error::<T>::Overflow)?;
                index = child_index(index, lowest).ok_or(Error::<T>::Overflow)?;
            }
            return Ok(Some(index));
        }
        Ok(None)
    }

    /// Up to `max_count` borrowers of `id` whose positions are liquidatable when one
    /// collateral unit is worth `price` loan units (interest accrued to now), highest
    /// `borrow_shares / collateral` first. Exact: all and only liquidatable positions, until
    /// `max_count` is reached. Cost O(k + s + b + 1), see the module docs (s: nodes left
    /// above their positions by liquidations and not pruned yet).
    pub fn liquidatable_positions(
        id: MarketId,
        price: FixedU128,
        max_count: u32,
    ) -> Result<Vec<T::AccountId>, DispatchError> {
        Self::walk_liquidatable(id, price, max_count, u32::MAX, None)
    }

    /// [`Self::liquidatable_positions`] with a bounded walk: visiting at most `max_visits`
    /// index nodes (what lies beyond waits for the next call), whoever may liquidate them.
    pub fn liquidatable_positions_within(
        id: MarketId,
        price: FixedU128,
        max_count: u32,
        max_visits: u32,
    ) -> Result<Vec<T::AccountId>, DispatchError> {
        Self::walk_liquidatable(id, price, max_count, max_visits, None)
    }

    /// [`Self::liquidatable_positions`] for one liquidator and with a bounded walk: only the
    /// positions `T::LiquidationPermission` lets `liquidator` liquidate, visiting at most
    /// `max_visits` index nodes (what lies beyond waits for the next call). For callers with
    /// a weight budget, such as the backstop's sweep.
    pub fn liquidatable_positions_for(
        id: MarketId,
        price: FixedU128,
        liquidator: &T::AccountId,
        max_count: u32,
        max_visits: u32,
    ) -> Result<Vec<T::AccountId>, DispatchError> {
        Self::walk_liquidatable(id, price, max_count, max_visits, Some(liquidator))
    }

    fn walk_liquidatable(
        id: MarketId,
        price: FixedU128,
        max_count: u32,
        max_visits: u32,
        liquidator: Option<&T::AccountId>,
    ) -> Result<Vec<T::AccountId>, DispatchError> {
        let market = Self::view_accrued(id)?;
        let threshold = math::LiquidationThreshold::new(
            price,
            market.lltv,
            market.total_borrow_assets,
            market.total_borrow_shares,
        )
        .ok_or(Error::<T>::Overflow)?;
        let threshold_key = threshold.key().ok_or(Error::<T>::Overflow)?;
        let limit = usize::try_from(max_count).unwrap_or(usize::MAX);
        let mut visits: u32 = 0;
        let mut found = Vec::new();
        // For a liquidator, dust it could not receive (see `liquidate_many`) is passed over:
        // a crowd of dust positions must not fill its batches.
        let dust_check = liquidator.map(|l| {
            (
                Self::receivable_by(l, market.collateral_asset),
                crate::liquidation::LiquidationContext {
                    market,
                    price,
                    threshold,
                },
            )
        });
        let mut next_bucket = IndexTop::<T>::get(id);
        'walk: while let Some(key) = next_bucket {
            if key < threshold_key || found.len() >= limit {
                break;
            }
            let Some(bucket) = IndexBuckets::<T>::get(id, key) else {
                break;
            };
            let mut cursor = Some(bucket.head);
            while let Some(who) = cursor {
                if found.len() >= limit || visits >= max_visits {
                    break 'walk;
                }
                visits = visits.saturating_add(1);
                let Some(node) = IndexNodes::<T>::get(id, &who) else {
                    break;
                };
                // A node's key is an upper bound (liquidations leave nodes in place), so
                // every position is tested exactly.
                let position = Positions::<T>::get(id, &who);
                let liquidatable = threshold
                    .is_exceeded_by(position.borrow_shares, position.collateral)
                    .ok_or(Error::<T>::Overflow)?;
                cursor = node.next;
                let permitted =
                    liquidator.is_none_or(|l| T::LiquidationPermission::may_liquidate(id, &who, l));
                let receivable = match (&dust_check, liquidatable && permitted) {
                    (Some((receivable, ctx)), true) => {
                        receivable(Self::full_seizure(ctx, &position)?)
                    }
                    _ => true,
                };
                if liquidatable && permitted && receivable {
                    found.push(who);
                }
            }
            next_bucket = bucket.lower;
        }
        Ok(found)
    }

    /// Brings up to `max_steps` nodes at the top of `id`'s index in line with their positions
    /// (a node a full liquidation left behind is removed, one a partial liquidation left
    /// above its position's key moves down), walking from the highest key down and skipping
    /// nodes that are in line. Returns the nodes visited. Liquidations leave their nodes at
    /// the top, where the walk starts, so a few steps per block keep the index tight.
    pub fn prune_index(id: MarketId, max_steps: u32) -> Result<u32, DispatchError> {
        let mut visited: u32 = 0;
        let mut next_bucket = IndexTop::<T>::get(id);
        let mut stale = Vec::new();
        'walk: while let Some(key) = next_bucket {
            let Some(bucket) = IndexBuckets::<T>::get(id, key) else {
                break;
            };
            let mut cursor = Some(bucket.head);
            while let Some(who) = cursor {
                if visited >= max_steps {
                    break 'walk;
                }
                visited = visited.saturating_add(1);
                let Some(node) = IndexNodes::<T>::get(id, &who) else {
                    break 'walk;
                };
                let position = Positions::<T>::get(id, &who);
                let exact = if position.borrow_shares == 0 {
                    None
                } else {
                    math::position_key(position.borrow_shares, position.collateral)
                };
                if exact != Some(node.key) {
                    stale.push((who.clone(), position));
                }
                cursor = node.next;
            }
            next_bucket = bucket.lower;
        }
        // Re-indexed after the walk, so the walk never follows a link it just changed.
        for (who, position) in stale {
            Self::index_update(id, &who, &position)?;
        }
        Ok(visited)
    }

    /// The index of `id` from the highest key down, as `(key, borrowers in bucket order)`.
    /// For tests, invariants and benchmarks; costs O(n).
    #[cfg(any(test, feature = "try-runtime", feature = "runtime-benchmarks"))]
    /// Stops after as many entries as there are nodes, so a corrupted (cyclic) list ends.
    pub fn index_buckets(id: MarketId) -> Vec<(u64, Vec<T::AccountId>)> {
        let mut budget = IndexNodes::<T>::iter_prefix(id).count();
        let mut buckets = Vec::new();
        let mut next_bucket = IndexTop::<T>::get(id);
        while let Some(key) = next_bucket {
            if budget == 0 {
                break;
            }
            let Some(bucket) = IndexBuckets::<T>::get(id, key) else {
                break;
            };
            let mut members = Vec::new();
            let mut cursor = Some(bucket.head);
            while let Some(who) = cursor {
                if budget == 0 {
                    break;
                }
                budget = budget.saturating_sub(1);
                cursor = IndexNodes::<T>::get(id, &who).and_then(|node| node.next);
                members.push(who);
            }
            buckets.push((key, members));
            next_bucket = bucket.lower;
        }
        buckets
    }
}
