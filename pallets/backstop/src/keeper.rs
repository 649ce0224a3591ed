//! The keeper worker: an offchain worker that liquidates what the same-block sweep could not
//! fit, with no human keeper.
//!
//! The sweep ([`Pallet::sweep`]) liquidates in the block's idle time, bounded by the spare
//! weight and [`SweepCap`](crate::SweepCap) per market. In a crash, a full block leaves
//! positions over. After each block, the worker reads the markets, the prices, the liquidation
//! index and the pool, and for each market where the pool could liquidate a position now it
//! submits an *authorized* transaction ([`keeper_sweep`](Pallet::keeper_sweep)), which
//! liquidates up to `MaxLiquidationBatch` positions of that market with the pool, in the next
//! block, as an ordinary transaction with its benchmarked weight.
//!
//! The worker is trusted for liveness, never for correctness: the transaction carries no
//! signature and no fee, so the chain checks everything again — in the transaction pool
//! ([`Pallet::authorize_keeper_sweep`]: a local or in-block transaction only, the same
//! checks as the worker's, one per market per block by its `provides` tag) and when it is
//! applied (the sweep itself re-reads the index and liquidates only what is liquidatable).
//! A transaction gossiped from another node is refused, so nobody can flood the pool with
//! free transactions. One run per block per node (an offchain storage record of the last block
//! handled), at most [`MAX_KEEPER_MARKETS`] markets per run. It runs only where the node runs
//! offchain workers as an authority (`sp_io::offchain::is_validator`); an operator switches
//! it off with the node's `--offchain-worker never`. Governance switches it off with the
//! sweep: a [`SweepCap`](crate::SweepCap) of zero stops both.
use crate::{pallet::*, StableReserve, SweepCap};
use backstop_primitives::{LendingMarket, MarketId};
use frame_support::pallet_prelude::*;
use frame_system::{
    offchain::{CreateAuthorizedTransaction, SubmitTransaction},
    pallet_prelude::BlockNumberFor,
};
use sp_runtime::{
    offchain::storage::{MutateStorageError, StorageValueRef},
    transaction_validity::TransactionValidityWithRefund,
};

/// Most markets one worker run looks at.
pub const MAX_KEEPER_MARKETS: MarketId = 64;

/// The offchain storage key of the last block the worker handled.
const LAST_RUN: &[u8] = b"backstop::keeper::last-run";

/// How many blocks a keeper transaction stays valid in the pool.
const KEEPER_LONGEVITY: u64 = 3;

impl<T: Config + CreateAuthorizedTransaction<Call<T>>> Pallet<T> {
    /// The worker's run after block `n` (see the module docs).
    pub(crate) fn keeper_worker(n: BlockNumberFor<T>) {
        if !sp_io::offchain::is_validator() {
            return;
        }
        // One run per block: a record of the last block handled, swapped atomically.
        let last = StorageValueRef::persistent(LAST_RUN);
        let claimed = last.mutate(
            |previous: Result<Option<BlockNumberFor<T>>, _>| match previous {
                Ok(Some(done)) if done >= n => Err(()),
                _ => Ok(n),
            },
        );
        if matches!(claimed, Err(MutateStorageError::ValueFunctionFailed(()))) {
            return;
        }
        for market in 0..MAX_KEEPER_MARKETS {
            if T::Lending::market(market).is_none() {
                break;
            }
            if !Self::keeper_sweep_due(market) {
                continue;
            }
            let call = Call::<T>::keeper_sweep { market };
            let xt = T::create_authorized_transaction(call.into());
            if SubmitTransaction::<T, Call<T>>::submit_transaction(xt).is_err() {
                log::debug!(
                    target: "runtime::backstop",
                    "keeper: the pool refused the sweep of market {market} (already queued?)"
                );
            }
        }
    }
}

impl<T: Config> Pallet<T> {
    /// Whether a keeper sweep of `market` would liquidate something now: the sweep is on,
    /// the market lends the stable asset at a fresh price, the index shows a position the
    /// pool may liquidate, and the pool's idle stable covers its debt.
    pub fn keeper_sweep_due(market: MarketId) -> bool {
        if SweepCap::<T>::get() == 0 {
            return false;
        }
        let Some(info) = T::Lending::market(market) else {
            return false;
        };
        let Ok((_, found)) = Self::pool_candidates(market, &info, 1) else {
            return false;
        };
        found.first().is_some_and(|who| {
            T::Lending::position(market, who)
                .is_ok_and(|p| p.borrow_assets <= StableReserve::<T>::get())
        })
    }

    /// The transaction pool's check of a [`keeper_sweep`](Pallet::keeper_sweep) without a
    /// signer: only from this node's worker or in a block (never gossiped from another node),
    /// only when due, one per market per block.
    pub(crate) fn authorize_keeper_sweep(
        source: TransactionSource,
        market: &MarketId,
    ) -> TransactionValidityWithRefund {
        if !matches!(
            source,
            TransactionSource::Local | TransactionSource::InBlock
        ) {
            return Err(InvalidTransaction::Call.into());
        }
        if !Self::keeper_sweep_due(*market) {
            return Err(InvalidTransaction::Stale.into());
        }
        ValidTransaction::with_tag_prefix("BackstopKeeper")
            .priority(TransactionPriority::MAX / 2)
            .and_provides((*market, frame_system::Pallet::<T>::block_number()))
            .longevity(KEEPER_LONGEVITY)
            .propagate(false)
            .build()
            .map(|validity| (validity, Weight::zero()))
    }
}
