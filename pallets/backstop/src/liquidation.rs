//! The pool liquidates lending positions: it pays the debt in the stable asset (recalling
//! lent stable first if needed) and receives the collateral at the market's liquidation
//! incentive. The keeper that triggered it earns `caller_fee_bps` of the gain, in collateral.
//!
//! [`liquidate_many`](Pallet::liquidate_many) is the hot path: a batch of positions of one
//! market, each liquidated in full, read and booked once per batch, paid out of the idle
//! reserve only (no recall and no re-lending inside the batch), one storage key per
//! position (the market's position; the lending market's index is lazy on liquidation and
//! the avatar check needs no storage for ordinary accounts).
//!
//! Two paths share the books: [`liquidate`](Pallet::liquidate) for positions the market lets
//! anyone liquidate (every position that is not an avatar's), and the avatar pallet's pool
//! liquidation of avatar positions after the members' priority, through
//! [`BackstopPool`](backstop_primitives::BackstopPool): the avatar pallet draws the stable it
//! needs ([`Pallet::draw_for_liquidation`]), runs the liquidation (it keeps the cushion
//! ledger) and hands the collateral back to be booked ([`Pallet::book_liquidation`]).

use crate::{curve::BPS, pallet::*, pool::mul_div, weights::WeightInfo};

/// Most markets the same-block sweep visits per block.
pub const SWEEP_MARKETS: u32 = 4;
use backstop_primitives::{Balance, LendingMarket, MarketId};
use frame_support::{
    ensure,
    pallet_prelude::{Get, Weight},
    traits::{
        fungibles::{Inspect, Mutate},
        tokens::{DepositConsequence, Preservation, Provenance},
    },
};
use sp_arithmetic::{traits::Zero, FixedPointNumber, FixedU128, Rounding};
use sp_runtime::{DispatchError, DispatchResult};

impl<T: Config> Pallet<T> {
    /// The pool seizes `seized` collateral of `borrower`'s unhealthy position in `market`.
    pub(crate) fn do_liquidate(
        caller: &T::AccountId,
        market: MarketId,
        borrower: &T::AccountId,
        seized: Balance,
    ) -> DispatchResult {
        ensure!(!seized.is_zero(), Error::<T>::ZeroAmount);
        let info = T::Lending::market(market).ok_or(Error::<T>::UnknownMarket)?;
        ensure!(
            info.loan_asset == T::StableAsset::get(),
            Error::<T>::NotStableMarket
        );
        let pledged = T::Lending::position(market, borrower)?.collateral;
        ensure!(seized <= pledged, Error::<T>::SeizeExceedsCollateral);
        let price = Self::fresh_price(info.collateral_asset)?;
        Self::ensure_collateral_slot(info.collateral_asset)?;

        // What the market will charge (its own quote), made idle first.
        let expected = T::Lending::liquidation_repayment(market, seized)?;
        ensure!(
            expected <= Self::total_stable()?,
            Error::<T>::InsufficientStable
        );
        Self::ensure_idle(expected)?;

        let pool = Self::account_id();
        let (repaid, seized) = T::Lending::liquidate(&pool, market, borrower, seized)?;
        Self::debit_reserve(repaid)?;
        Self::book(caller, market, borrower, &info, price, repaid, seized)?;
        Ok(())
    }

    /// The pool liquidates in full every liquidatable position of `borrowers` in `market`,
    /// paying out of its idle reserve (no recall from the yield market on this path: the
    /// lending rule keeps part of the stable idle and recalls it when liquidations come
    /// near, outside the batch). Reads the market, the price, the parameters and the books
    /// once, books the batch once and pays the caller one fee on the batch's gain. Returns
    /// how many positions were liquidated and how many skipped.
    pub(crate) fn do_liquidate_many(
        caller: &T::AccountId,
        market: MarketId,
        borrowers: &[T::AccountId],
    ) -> Result<(u32, u32), DispatchError> {
        let info = T::Lending::market(market).ok_or(Error::<T>::UnknownMarket)?;
        ensure!(
            info.loan_asset == T::StableAsset::get(),
            Error::<T>::NotStableMarket
        );
        let price = Self::fresh_price(info.collateral_asset)?;
        Self::liquidate_batch(caller, market, &info, price, borrowers)
    }

    /// [`Self::do_liquidate_many`] with the market's parameters (a stable market) and the
    /// collateral's fresh price already read, as the sweep has them.
    fn liquidate_batch(
        caller: &T::AccountId,
        market: MarketId,
        info: &backstop_primitives::MarketInfo,
        price: FixedU128,
        borrowers: &[T::AccountId],
    ) -> Result<(u32, u32), DispatchError> {
        Self::ensure_collateral_slot(info.collateral_asset)?;
        let budget = StableReserve::<T>::get();
        let pool = Self::account_id();
        let done = T::Lending::liquidate_many(&pool, market, borrowers, budget)?;
        for (borrower, reason) in &done.skipped {
            Self::deposit_event(Event::LiquidationSkipped {
                market,
                borrower: borrower.clone(),
                reason: *reason,
            });
        }
        let liquidated = u32::try_from(done.liquidated.len()).unwrap_or(u32::MAX);
        let skipped = u32::try_from(done.skipped.len()).unwrap_or(u32::MAX);
        let caller_fee = if done.liquidated.is_empty() {
            0
        } else {
            Self::debit_reserve(done.repaid)?;
            let caller_fee = Self::pay_caller_fee(caller, info, price, done.repaid, done.seized)?;
            let kept = done
                .seized
                .checked_sub(caller_fee)
                .ok_or(Error::<T>::Overflow)?;
            Self::credit_collateral(info.collateral_asset, kept)?;
            caller_fee
        };
        Self::deposit_event(Event::BatchLiquidated {
            caller: caller.clone(),
            market,
            collateral_asset: info.collateral_asset,
            liquidated,
            skipped,
            repaid: done.repaid,
            seized: done.seized,
            caller_fee,
        });
        Ok((liquidated, skipped))
    }

    /// The same-block sweep (`on_idle`): the pool first rebalances its idle yield (recalling
    /// the lent stable when liquidations are coming), then liquidates, with at most `remaining`
    /// weight, what the lending market's liquidation index reports liquidatable and open to
    /// the pool (avatar positions go through the avatar pallet), [`SweepCap`] positions per
    /// market, up to [`SWEEP_MARKETS`] markets per block, starting at [`SweepCursor`]. A
    /// market whose price is stale or that lends another asset is passed over; a market that
    /// filled the cap is visited first again next block. The pool is its own keeper (no
    /// caller fee). Returns the weight used, charged from the `sweep_market` benchmark per
    /// market visited.
    pub fn sweep(remaining: Weight) -> Weight {
        let db = T::DbWeight::get();
        // The cap and the cursor read, the cursor written.
        let mut used = db.reads_writes(2, 1);
        if remaining.any_lt(used) {
            return Weight::zero();
        }
        let cap = SweepCap::<T>::get();
        if cap == 0 {
            return db.reads(1);
        }
        // First the idle yield: with liquidations coming, the lent stable is recalled, so the
        // batches below can pay from it (they pay from the idle reserve only). Charged as
        // `set_params`, whose benchmark is this rebalance plus one write.
        let rebalance = T::WeightInfo::set_params();
        if remaining.any_lt(used.saturating_add(rebalance)) {
            return used;
        }
        Self::rebalance_lending();
        used = used.saturating_add(rebalance);
        let mut id = SweepCursor::<T>::get();
        let mut wrapped = false;
        for _ in 0..SWEEP_MARKETS {
            let step = T::WeightInfo::sweep_market(cap);
            if remaining.any_lt(used.saturating_add(step)) {
                break;
            }
            let Some(info) = T::Lending::market(id) else {
                // Past the last market: back to the first, once per block.
                if wrapped || id == 0 {
                    break;
                }
                wrapped = true;
                id = 0;
                used = used.saturating_add(db.reads(1));
                continue;
            };
            used = used.saturating_add(step);
            let full =
                frame_support::storage::with_storage_layer(|| Self::sweep_market(id, &info, cap))
                    .is_ok_and(|found| found >= cap);
            if full {
                // More may be waiting here: this market again first next block.
                break;
            }
            id = id.saturating_add(1);
        }
        SweepCursor::<T>::put(id);
        // Last, the collateral the pool holds (including what this block's batches brought
        // in): sold on the DEX within the oracle bound when it is too large a share of the
        // pool, so the next block's batches can pay for what this one had to skip.
        used.saturating_add(Self::rebalance_idle(remaining.saturating_sub(used)))
    }

    /// One market of the sweep, by id (for the benchmark): [`Self::sweep`]'s step.
    #[cfg(feature = "runtime-benchmarks")]
    pub(crate) fn sweep_one(id: MarketId, cap: u32) -> Result<bool, DispatchError> {
        let info = T::Lending::market(id).ok_or(Error::<T>::UnknownMarket)?;
        Ok(Self::sweep_market(id, &info, cap)? >= cap)
    }

    /// One market of the sweep: liquidates up to `cap` positions the pool may liquidate.
    /// Returns how many it found (`cap`: more may be waiting).
    pub(crate) fn sweep_market(
        id: MarketId,
        info: &backstop_primitives::MarketInfo,
        cap: u32,
    ) -> Result<u32, DispatchError> {
        let (price, found) = Self::pool_candidates(id, info, cap)?;
        if found.is_empty() {
            return Ok(0);
        }
        let count = u32::try_from(found.len()).unwrap_or(u32::MAX);
        Self::liquidate_batch(&Self::account_id(), id, info, price, &found)?;
        Ok(count)
    }

    /// Up to `cap` positions of market `id` the pool may liquidate now, highest risk first,
    /// with the collateral price they were found at; none for a market that does not lend the
    /// stable asset. Fails on a stale or missing price.
    pub(crate) fn pool_candidates(
        id: MarketId,
        info: &backstop_primitives::MarketInfo,
        cap: u32,
    ) -> Result<(FixedU128, alloc::vec::Vec<T::AccountId>), DispatchError> {
        if info.loan_asset != T::StableAsset::get() {
            return Ok((FixedU128::zero(), alloc::vec::Vec::new()));
        }
        let price = Self::fresh_price(info.collateral_asset)?;
        // Nodes liquidations left behind are walked too: a few per position found.
        let visits = cap.saturating_mul(4).saturating_add(16);
        let found =
            T::Lending::liquidatable_positions_for(id, price, &Self::account_id(), cap, visits)?;
        Ok((price, found))
    }

    /// Pays `caller` its fee, `caller_fee_bps` of the gain of liquidations that cost `paid`
    /// stable and brought `seized` collateral at `price` (in collateral, rounded down; not
    /// paid when the caller's account could not receive it, or is the pool). Returns it.
    fn pay_caller_fee(
        caller: &T::AccountId,
        info: &backstop_primitives::MarketInfo,
        price: FixedU128,
        paid: Balance,
        seized: Balance,
    ) -> Result<Balance, DispatchError> {
        let asset = info.collateral_asset;
        // Gain, in collateral units: what was seized minus what was paid (rounded up).
        let paid_in_collateral = mul_div(paid, FixedU128::DIV, price.into_inner(), Rounding::Up)
            .ok_or(Error::<T>::Overflow)?;
        let gain = seized.saturating_sub(paid_in_collateral);
        let fee_bps = u128::from(Params::<T>::get().caller_fee_bps);
        let caller_fee = mul_div(gain, fee_bps, BPS, Rounding::Down).unwrap_or_default();
        let pool = Self::account_id();
        // A fee the caller's account cannot receive (below the asset's minimum) is not paid:
        // the liquidation itself matters more.
        if caller_fee.is_zero()
            || *caller == pool
            || T::Assets::can_deposit(asset, caller, caller_fee, Provenance::Extant)
                != DepositConsequence::Success
        {
            return Ok(0);
        }
        T::Assets::transfer(asset, &pool, caller, caller_fee, Preservation::Expendable)?;
        Ok(caller_fee)
    }

    /// Adds `kept` of `asset` to the pool's collateral books.
    fn credit_collateral(asset: backstop_primitives::AssetId, kept: Balance) -> DispatchResult {
        let mut collaterals = Collaterals::<T>::get();
        let held = collaterals.get(&asset).copied().unwrap_or_default();
        let held = held.checked_add(kept).ok_or(Error::<T>::Overflow)?;
        if !held.is_zero() {
            collaterals
                .try_insert(asset, held)
                .map_err(|_| Error::<T>::TooManyCollaterals)?;
        }
        Collaterals::<T>::put(collaterals);
        Ok(())
    }

    /// Fails with `TooManyCollaterals` if the pool cannot hold one more collateral asset
    /// and does not hold `asset` yet.
    fn ensure_collateral_slot(asset: backstop_primitives::AssetId) -> DispatchResult {
        let collaterals = Collaterals::<T>::get();
        let capacity = usize::try_from(T::MaxCollaterals::get()).unwrap_or(usize::MAX);
        ensure!(
            collaterals.contains_key(&asset) || collaterals.len() < capacity,
            Error::<T>::TooManyCollaterals
        );
        Ok(())
    }

    /// Takes `amount` out of the idle stable the pool's books hold.
    fn debit_reserve(amount: Balance) -> DispatchResult {
        StableReserve::<T>::try_mutate(|s| -> DispatchResult {
            *s = s
                .checked_sub(amount)
                .ok_or(Error::<T>::InsufficientStable)?;
            Ok(())
        })
    }

    /// Pays `amount` of the pool's stable to `to` for an avatar liquidation, recalling lent
    /// stable first if the idle reserve is short.
    pub fn draw_for_liquidation(amount: Balance, to: &T::AccountId) -> DispatchResult {
        ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
        ensure!(
            amount <= Self::total_stable()?,
            Error::<T>::InsufficientStable
        );
        Self::ensure_idle(amount)?;
        T::Assets::transfer(
            T::StableAsset::get(),
            &Self::account_id(),
            to,
            amount,
            Preservation::Expendable,
        )?;
        Self::debit_reserve(amount)
    }

    /// `from` pays back `amount` of stable drawn for a liquidation and not spent.
    pub fn return_from_liquidation(from: &T::AccountId, amount: Balance) -> DispatchResult {
        ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
        T::Assets::transfer(
            T::StableAsset::get(),
            from,
            &Self::account_id(),
            amount,
            Preservation::Expendable,
        )?;
        StableReserve::<T>::try_mutate(|s| -> DispatchResult {
            *s = s.checked_add(amount).ok_or(Error::<T>::Overflow)?;
            Ok(())
        })
    }

    /// The pool account received `seized` of `borrower`'s collateral in `market` for `paid`
    /// stable: pays `caller` its fee out of the gain (in collateral, rounded down; not paid
    /// when the caller's account could not receive it) and books the rest (the idle yield is
    /// rebalanced outside the liquidation path). Returns the fee.
    pub fn book_liquidation(
        caller: &T::AccountId,
        market: MarketId,
        borrower: &T::AccountId,
        paid: Balance,
        seized: Balance,
    ) -> Result<Balance, DispatchError> {
        let info = T::Lending::market(market).ok_or(Error::<T>::UnknownMarket)?;
        let price = Self::fresh_price(info.collateral_asset)?;
        Self::book(caller, market, borrower, &info, price, paid, seized)
    }

    /// [`Self::book_liquidation`] with the market's parameters and the collateral's fresh
    /// price already at hand.
    fn book(
        caller: &T::AccountId,
        market: MarketId,
        borrower: &T::AccountId,
        info: &backstop_primitives::MarketInfo,
        price: FixedU128,
        paid: Balance,
        seized: Balance,
    ) -> Result<Balance, DispatchError> {
        let asset = info.collateral_asset;
        let caller_fee = Self::pay_caller_fee(caller, info, price, paid, seized)?;
        let kept = seized.checked_sub(caller_fee).ok_or(Error::<T>::Overflow)?;
        Self::credit_collateral(asset, kept)?;
        Self::deposit_event(Event::Liquidated {
            caller: caller.clone(),
            market,
            borrower: borrower.clone(),
            collateral_asset: asset,
            repaid: paid,
            seized,
            caller_fee,
        });
        // No re-lending here: the idle yield is rebalanced outside the liquidation path (by
        // the next pool operation or the block's idle time, see `sweep`).
        Ok(caller_fee)
    }
}
