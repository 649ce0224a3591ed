//! Liquidation and bad debt.
//!
//! A liquidator names the collateral it seizes; it repays `seized · price / LIF` (rounded up,
//! then converted to borrow shares rounded up). A position may be liquidated only when the
//! exact test says it is unhealthy (the same test the liquidation index uses) and
//! `T::LiquidationPermission` allows the liquidator. When the position is left without
//! collateral but with debt, the debt is bad debt: it leaves the borrow totals and is taken
//! from the suppliers' total (socialised), and `T::OnBadDebt` is told.

use crate::{math, pallet::*, types::Market, Position};
use backstop_primitives::{
    Balance, BatchLiquidation, LiquidationPermission, MarketId, OnBadDebt, Shares, SkipReason,
};
use frame_support::{
    ensure,
    traits::{fungibles::Mutate, tokens::Preservation},
};
use sp_arithmetic::{traits::Zero, FixedPointNumber, FixedU128, Rounding};
use sp_runtime::{DispatchError, DispatchResult};

/// What a liquidation did, in loan units (assets), borrow shares and collateral units.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Liquidation {
    /// Loan assets the liquidator paid.
    pub repaid_assets: Balance,
    /// Borrow shares those assets cancelled.
    pub repaid_shares: Shares,
    /// Collateral the liquidator received.
    pub seized: Balance,
    /// Debt realised as bad debt (loan units).
    pub bad_debt: Balance,
}

impl<T: Config> Pallet<T> {
    /// What a liquidation seizing `seized` collateral of `market` at `price` repays:
    /// `seized · price / LIF` in loan units, then converted to borrow shares and back, every
    /// step rounded up (against the liquidator). Returns `(shares, assets)`.
    pub(crate) fn repayment_for(
        market: &Market,
        price: FixedU128,
        seized: Balance,
    ) -> Result<(Shares, Balance), DispatchError> {
        let seized_value = math::value_up(seized, price).ok_or(Error::<T>::Overflow)?;
        let repaid_value = math::mul_div(
            seized_value,
            FixedU128::DIV,
            market.lif.into_inner(),
            Rounding::Up,
        )
        .ok_or(Error::<T>::Overflow)?;
        let repaid_shares = math::to_shares_up(
            repaid_value,
            market.total_borrow_assets,
            market.total_borrow_shares,
        )
        .ok_or(Error::<T>::Overflow)?;
        let repaid_assets = math::to_assets_up(
            repaid_shares,
            market.total_borrow_assets,
            market.total_borrow_shares,
        )
        .ok_or(Error::<T>::Overflow)?;
        Ok((repaid_shares, repaid_assets))
    }

    /// The market state every liquidation of a call works from, read once per call: the
    /// market with interest accrued, the collateral's fresh price and the threshold.
    pub(crate) fn liquidation_context(id: MarketId) -> Result<LiquidationContext, DispatchError> {
        let market = Self::load_accrued(id)?;
        let price = Self::collateral_price(&market)?;
        let threshold = math::LiquidationThreshold::new(
            price,
            market.lltv,
            market.total_borrow_assets,
            market.total_borrow_shares,
        )
        .ok_or(Error::<T>::Overflow)?;
        Ok(LiquidationContext {
            market,
            price,
            threshold,
        })
    }

    /// Applies a liquidation seizing `seized` of `position` to the position and to the
    /// market totals in `ctx`, in memory: no storage, no transfer. The position must be
    /// liquidatable (checked by the caller). Realises bad debt when no collateral is left.
    /// A repayment above the whole debt fails with `RepayExceedsDebt` unless `full`: a full
    /// liquidation ([`Self::full_seizure`]) repays exactly the whole debt when collateral is
    /// left (its seizure, rounded down, is worth at most the debt times the LIF, so the
    /// repayment it would buy can fall a few units short of the debt or round one share
    /// above it), and at most the whole debt when it takes all the collateral.
    pub(crate) fn apply_liquidation(
        ctx: &mut LiquidationContext,
        position: &mut Position,
        seized: Balance,
        full: bool,
    ) -> Result<Liquidation, DispatchError> {
        position.collateral = position
            .collateral
            .checked_sub(seized)
            .ok_or(Error::<T>::SeizeExceedsCollateral)?;
        let market = &mut ctx.market;
        let (mut repaid_shares, mut repaid_assets) =
            Self::repayment_for(market, ctx.price, seized)?;
        let whole_debt = full && !position.collateral.is_zero();
        if whole_debt || (full && repaid_shares > position.borrow_shares) {
            repaid_shares = position.borrow_shares;
            repaid_assets = math::to_assets_up(
                repaid_shares,
                market.total_borrow_assets,
                market.total_borrow_shares,
            )
            .ok_or(Error::<T>::Overflow)?;
        }
        position.borrow_shares = position
            .borrow_shares
            .checked_sub(repaid_shares)
            .ok_or(Error::<T>::RepayExceedsDebt)?;
        market.total_borrow_shares = market
            .total_borrow_shares
            .checked_sub(repaid_shares)
            .ok_or(Error::<T>::Overflow)?;
        market.total_borrow_assets = market.total_borrow_assets.saturating_sub(repaid_assets);

        let mut bad_debt = 0;
        if position.collateral.is_zero() && !position.borrow_shares.is_zero() {
            let owed = math::to_assets_up(
                position.borrow_shares,
                market.total_borrow_assets,
                market.total_borrow_shares,
            )
            .ok_or(Error::<T>::Overflow)?;
            bad_debt = owed.min(market.total_borrow_assets);
            market.total_borrow_assets = market
                .total_borrow_assets
                .checked_sub(bad_debt)
                .ok_or(Error::<T>::Overflow)?;
            market.total_supply_assets = market
                .total_supply_assets
                .checked_sub(bad_debt)
                .ok_or(Error::<T>::Overflow)?;
            market.total_borrow_shares = market
                .total_borrow_shares
                .checked_sub(position.borrow_shares)
                .ok_or(Error::<T>::Overflow)?;
            position.borrow_shares = 0;
        }
        // The totals moved (by rounding, and by bad debt): the next position of the call is
        // judged against them, exactly as a liquidation in a call of its own would be.
        ctx.threshold = math::LiquidationThreshold::new(
            ctx.price,
            market.lltv,
            market.total_borrow_assets,
            market.total_borrow_shares,
        )
        .ok_or(Error::<T>::Overflow)?;
        Ok(Liquidation {
            repaid_assets,
            repaid_shares,
            seized,
            bad_debt,
        })
    }

    /// The collateral a full liquidation of `position` seizes: what the whole debt is worth
    /// times the LIF, in collateral units (rounded down, against the liquidator) but never
    /// less than the debt at par (rounded up), or all the collateral if that is less; at
    /// least one unit (a debt worth less than one collateral unit is still liquidated). Its repayment is the
    /// whole debt ([`Self::apply_liquidation`] with `full`).
    pub(crate) fn full_seizure(
        ctx: &LiquidationContext,
        position: &Position,
    ) -> Result<Balance, DispatchError> {
        let market = &ctx.market;
        let debt = math::to_assets_up(
            position.borrow_shares,
            market.total_borrow_assets,
            market.total_borrow_shares,
        )
        .ok_or(Error::<T>::Overflow)?;
        // debt · LIF / price, rounded down.
        let with_incentive = math::mul_div(
            debt,
            market.lif.into_inner(),
            FixedU128::DIV,
            Rounding::Down,
        )
        .ok_or(Error::<T>::Overflow)?;
        let worth = math::mul_div(
            with_incentive,
            FixedU128::DIV,
            ctx.price.into_inner(),
            Rounding::Down,
        )
        .ok_or(Error::<T>::Overflow)?;
        // Never less than the debt is worth at par (rounded up): for a debt of a few
        // collateral units, rounding the incentive down could otherwise hand the liquidator
        // less than it repays.
        let at_par = math::mul_div(debt, FixedU128::DIV, ctx.price.into_inner(), Rounding::Up)
            .ok_or(Error::<T>::Overflow)?;
        Ok(worth.max(at_par).max(1).min(position.collateral))
    }

    /// Stores a liquidated position. The liquidation index is lazy here: a node's key is an
    /// upper bound of its position's key (see [`crate::index`]), so the node moves only when
    /// the liquidation raised the position's `borrow_shares / collateral` (a partial
    /// liquidation of a position worth less than `debt · LIF`); a position liquidated in full
    /// keeps its node until its owner next acts or [`Self::prune_index`] removes it. This is
    /// what keeps a batch at one storage key per position.
    pub(crate) fn store_liquidated(
        id: MarketId,
        who: &T::AccountId,
        before: &Position,
        after: &Position,
    ) -> DispatchResult {
        let risk_rose = !after.borrow_shares.is_zero()
            && math::position_key(after.borrow_shares, after.collateral)
                > math::position_key(before.borrow_shares, before.collateral);
        Self::store_position(id, who, after, risk_rose)
    }

    /// `liquidator` seizes `seized` collateral of `borrower`'s unhealthy position in `id`.
    pub(crate) fn do_liquidate(
        liquidator: &T::AccountId,
        id: MarketId,
        borrower: &T::AccountId,
        seized: Balance,
    ) -> Result<Liquidation, DispatchError> {
        ensure!(!seized.is_zero(), Error::<T>::ZeroAmount);
        let mut ctx = Self::liquidation_context(id)?;
        let before = Positions::<T>::get(id, borrower);
        ensure!(!before.borrow_shares.is_zero(), Error::<T>::PositionHealthy);
        let liquidatable = ctx
            .threshold
            .is_exceeded_by(before.borrow_shares, before.collateral)
            .ok_or(Error::<T>::Overflow)?;
        ensure!(liquidatable, Error::<T>::PositionHealthy);
        ensure!(
            T::LiquidationPermission::may_liquidate(id, borrower, liquidator),
            Error::<T>::LiquidationNotPermitted
        );
        ensure!(
            seized <= before.collateral,
            Error::<T>::SeizeExceedsCollateral
        );
        // The liquidator's payment is checked before any transfer, so a liquidator that
        // cannot pay gets this pallet's error, not the asset pallet's.
        let (_, repaid_assets) = Self::repayment_for(&ctx.market, ctx.price, seized)?;
        Self::ensure_can_pay(liquidator, ctx.market.loan_asset, repaid_assets)?;
        let mut after = before;
        let done = Self::apply_liquidation(&mut ctx, &mut after, seized, false)?;
        Self::settle(liquidator, &ctx, done.repaid_assets, done.seized)?;
        Markets::<T>::insert(id, ctx.market);
        Self::store_liquidated(id, borrower, &before, &after)?;
        Self::record(liquidator, id, borrower, &done);
        Ok(done)
    }

    /// `liquidator` liquidates in full every liquidatable position of `borrowers` in `id`,
    /// reading the market and the price once and paying once; see
    /// [`LendingMarket::liquidate_many`](backstop_primitives::LendingMarket::liquidate_many).
    pub(crate) fn do_liquidate_many(
        liquidator: &T::AccountId,
        id: MarketId,
        borrowers: &[T::AccountId],
        budget: Balance,
    ) -> Result<BatchLiquidation<T::AccountId>, DispatchError> {
        let mut ctx = Self::liquidation_context(id)?;
        let mut outcome = BatchLiquidation::default();
        let mut left = budget;
        let receivable = Self::receivable_by(liquidator, ctx.market.collateral_asset);
        for borrower in borrowers {
            let before = Positions::<T>::get(id, borrower);
            let skip = if before.borrow_shares.is_zero() {
                Some(SkipReason::NoDebt)
            } else if !ctx
                .threshold
                .is_exceeded_by(before.borrow_shares, before.collateral)
                .ok_or(Error::<T>::Overflow)?
            {
                Some(SkipReason::Healthy)
            } else if !T::LiquidationPermission::may_liquidate(id, borrower, liquidator) {
                Some(SkipReason::NotPermitted)
            } else {
                None
            };
            if let Some(reason) = skip {
                outcome.skipped.push((borrower.clone(), reason));
                continue;
            }
            let seized = Self::full_seizure(&ctx, &before)?;
            let mut after = before;
            // Applied to a copy first: a position beyond the budget leaves no trace.
            let mut next = ctx.clone();
            let done = Self::apply_liquidation(&mut next, &mut after, seized, true)?;
            if done.repaid_assets > left || seized.is_zero() {
                outcome
                    .skipped
                    .push((borrower.clone(), SkipReason::OverBudget));
                continue;
            }
            // Each liquidated position brings at least the minimum balance (or the liquidator
            // already holds the asset), so the batch's one transfer can always be paid: dust
            // never fails the batch.
            if !receivable(seized) {
                outcome.skipped.push((borrower.clone(), SkipReason::Dust));
                continue;
            }
            ctx = next;
            left = left.saturating_sub(done.repaid_assets);
            outcome.repaid = outcome
                .repaid
                .checked_add(done.repaid_assets)
                .ok_or(Error::<T>::Overflow)?;
            outcome.seized = outcome
                .seized
                .checked_add(done.seized)
                .ok_or(Error::<T>::Overflow)?;
            Self::store_liquidated(id, borrower, &before, &after)?;
            Self::record(liquidator, id, borrower, &done);
            outcome
                .liquidated
                .push((borrower.clone(), done.repaid_assets, done.seized));
        }
        if !outcome.liquidated.is_empty() {
            Self::ensure_can_pay(liquidator, ctx.market.loan_asset, outcome.repaid)?;
            Self::settle(liquidator, &ctx, outcome.repaid, outcome.seized)?;
        }
        // The accrued interest is written even when nothing was liquidated (as every call
        // that loads the market does).
        Markets::<T>::insert(id, ctx.market);
        Ok(outcome)
    }

    /// Whether `liquidator` can receive a seizure of `asset`: an account that holds none of
    /// it only receives at least the asset's minimum balance (pallet-assets refuses less).
    pub(crate) fn receivable_by(
        liquidator: &T::AccountId,
        asset: backstop_primitives::AssetId,
    ) -> impl Fn(Balance) -> bool {
        use frame_support::traits::fungibles::Inspect;
        let holds = !T::Assets::balance(asset, liquidator).is_zero();
        let minimum = T::Assets::minimum_balance(asset);
        move |seized| holds || seized >= minimum
    }

    /// Moves the assets of liquidations: `seized` collateral to the liquidator, `repaid`
    /// loan units from it.
    fn settle(
        liquidator: &T::AccountId,
        ctx: &LiquidationContext,
        repaid: Balance,
        seized: Balance,
    ) -> DispatchResult {
        let pallet_account = Self::account_id();
        if !seized.is_zero() {
            T::Assets::transfer(
                ctx.market.collateral_asset,
                &pallet_account,
                liquidator,
                seized,
                Preservation::Expendable,
            )?;
        }
        if !repaid.is_zero() {
            T::Assets::transfer(
                ctx.market.loan_asset,
                liquidator,
                &pallet_account,
                repaid,
                Preservation::Expendable,
            )?;
        }
        Ok(())
    }

    /// Tells the bad-debt hook and emits the event of one liquidation.
    fn record(
        liquidator: &T::AccountId,
        id: MarketId,
        borrower: &T::AccountId,
        done: &Liquidation,
    ) {
        if !done.bad_debt.is_zero() {
            T::OnBadDebt::on_bad_debt(id, borrower, done.bad_debt);
        }
        Self::deposit_event(Event::Liquidated {
            market: id,
            liquidator: liquidator.clone(),
            borrower: borrower.clone(),
            repaid_assets: done.repaid_assets,
            repaid_shares: done.repaid_shares,
            seized: done.seized,
            bad_debt: done.bad_debt,
        });
    }
}

/// What every liquidation of one call reads once: the market (interest accrued, totals
/// updated in memory as the call goes), the collateral's price, and the liquidation threshold
/// at that price and the current totals (recomputed after each liquidation).
#[derive(Clone)]
pub(crate) struct LiquidationContext {
    /// The market, written back once at the end of the call.
    pub market: Market,
    /// One collateral unit in loan units.
    pub price: FixedU128,
    /// The liquidation test at `price`.
    pub threshold: math::LiquidationThreshold,
}
