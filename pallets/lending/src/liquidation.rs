//! Liquidation and bad debt.
//!
//! A liquidator names the collateral it seizes; it repays `seized · price / LIF` (rounded up,
//! then converted to borrow shares rounded up). A position may be liquidated only when the
//! exact test says it is unhealthy (the same test the liquidation index uses) and
//! `T::LiquidationPermission` allows the liquidator. When the position is left without
//! collateral but with debt, the debt is bad debt: it leaves the borrow totals and is taken
//! from the suppliers' total (socialised), and `T::OnBadDebt` is told.

use crate::{math, pallet::*, types::Market};
use backstop_primitives::{Balance, LiquidationPermission, MarketId, OnBadDebt, Shares};
use frame_support::{
    ensure,
    traits::{fungibles::Mutate, tokens::Preservation},
};
use sp_arithmetic::{traits::Zero, FixedPointNumber, FixedU128, Rounding};
use sp_runtime::DispatchError;

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

    /// `liquidator` seizes `seized` collateral of `borrower`'s unhealthy position in `id`.
    pub(crate) fn do_liquidate(
        liquidator: &T::AccountId,
        id: MarketId,
        borrower: &T::AccountId,
        seized: Balance,
    ) -> Result<Liquidation, DispatchError> {
        ensure!(!seized.is_zero(), Error::<T>::ZeroAmount);
        let mut market = Self::load_accrued(id)?;
        let mut position = Positions::<T>::get(id, borrower);
        ensure!(
            !position.borrow_shares.is_zero(),
            Error::<T>::PositionHealthy
        );
        let price = Self::collateral_price(&market)?;
        let threshold = math::LiquidationThreshold::new(
            price,
            market.lltv,
            market.total_borrow_assets,
            market.total_borrow_shares,
        )
        .ok_or(Error::<T>::Overflow)?;
        let liquidatable = threshold
            .is_exceeded_by(position.borrow_shares, position.collateral)
            .ok_or(Error::<T>::Overflow)?;
        ensure!(liquidatable, Error::<T>::PositionHealthy);
        ensure!(
            T::LiquidationPermission::may_liquidate(id, borrower, liquidator),
            Error::<T>::LiquidationNotPermitted
        );
        position.collateral = position
            .collateral
            .checked_sub(seized)
            .ok_or(Error::<T>::SeizeExceedsCollateral)?;

        let (repaid_shares, repaid_assets) = Self::repayment_for(&market, price, seized)?;
        // The liquidator's payment is checked before any transfer, so a liquidator that
        // cannot pay gets this pallet's error, not the asset pallet's.
        Self::ensure_can_pay(liquidator, market.loan_asset, repaid_assets)?;
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

        let (collateral_asset, loan_asset) = (market.collateral_asset, market.loan_asset);
        let pallet_account = Self::account_id();
        T::Assets::transfer(
            collateral_asset,
            &pallet_account,
            liquidator,
            seized,
            Preservation::Expendable,
        )?;
        T::Assets::transfer(
            loan_asset,
            liquidator,
            &pallet_account,
            repaid_assets,
            Preservation::Expendable,
        )?;
        Markets::<T>::insert(id, market);
        Self::store_position(id, borrower, &position, true)?;
        if !bad_debt.is_zero() {
            T::OnBadDebt::on_bad_debt(id, borrower, bad_debt);
        }
        Self::deposit_event(Event::Liquidated {
            market: id,
            liquidator: liquidator.clone(),
            borrower: borrower.clone(),
            repaid_assets,
            repaid_shares,
            seized,
            bad_debt,
        });
        Ok(Liquidation {
            repaid_assets,
            repaid_shares,
            seized,
            bad_debt,
        })
    }
}
