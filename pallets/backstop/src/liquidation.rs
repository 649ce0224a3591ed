//! The pool liquidates lending positions: it pays the debt in the stable asset (recalling
//! lent stable first if needed) and receives the collateral at the market's liquidation
//! incentive. The keeper that triggered it earns `caller_fee_bps` of the gain, in collateral.

use crate::{
    curve::BPS,
    pallet::*,
    pool::{collateral_value, mul_div},
};
use backstop_primitives::{Balance, LendingMarket, MarketId};
use frame_support::{
    ensure,
    pallet_prelude::Get,
    traits::{
        fungibles::{Inspect, Mutate},
        tokens::{DepositConsequence, Preservation, Provenance},
    },
};
use sp_arithmetic::{traits::Zero, FixedPointNumber, FixedU128, Rounding};
use sp_runtime::DispatchResult;

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
        let asset = info.collateral_asset;
        let price = Self::fresh_price(asset)?;
        let mut collaterals = Collaterals::<T>::get();
        let capacity = usize::try_from(T::MaxCollaterals::get()).unwrap_or(usize::MAX);
        ensure!(
            collaterals.contains_key(&asset) || collaterals.len() < capacity,
            Error::<T>::TooManyCollaterals
        );

        // The market charges `seized · price / LIF`, rounded up; its share rounding may add
        // a unit, so make a little more idle when the pool has it.
        let seized_value =
            collateral_value(seized, price, Rounding::Up).ok_or(Error::<T>::Overflow)?;
        let expected = mul_div(
            seized_value,
            FixedU128::DIV,
            info.lif.into_inner(),
            Rounding::Up,
        )
        .ok_or(Error::<T>::Overflow)?;
        let total_stable = Self::total_stable()?;
        ensure!(expected <= total_stable, Error::<T>::InsufficientStable);
        Self::ensure_idle(expected.saturating_add(2).min(total_stable))?;

        let pool = Self::account_id();
        let (repaid, seized) = T::Lending::liquidate(&pool, market, borrower, seized)?;
        StableReserve::<T>::try_mutate(|s| -> DispatchResult {
            *s = s
                .checked_sub(repaid)
                .ok_or(Error::<T>::InsufficientStable)?;
            Ok(())
        })?;

        // Gain, in collateral units: what was seized minus what was paid (rounded up).
        let paid_in_collateral = mul_div(repaid, FixedU128::DIV, price.into_inner(), Rounding::Up)
            .ok_or(Error::<T>::Overflow)?;
        let gain = seized.saturating_sub(paid_in_collateral);
        let fee_bps = u128::from(Params::<T>::get().caller_fee_bps);
        let mut caller_fee = mul_div(gain, fee_bps, BPS, Rounding::Down).unwrap_or_default();
        // A fee the caller's account cannot receive (below the asset's minimum) is not paid:
        // the liquidation itself matters more.
        if caller_fee.is_zero()
            || *caller == pool
            || T::Assets::can_deposit(asset, caller, caller_fee, Provenance::Extant)
                != DepositConsequence::Success
        {
            caller_fee = 0;
        } else {
            T::Assets::transfer(asset, &pool, caller, caller_fee, Preservation::Expendable)?;
        }
        let kept = seized.checked_sub(caller_fee).ok_or(Error::<T>::Overflow)?;
        let held = collaterals.get(&asset).copied().unwrap_or_default();
        let held = held.checked_add(kept).ok_or(Error::<T>::Overflow)?;
        if !held.is_zero() {
            collaterals
                .try_insert(asset, held)
                .map_err(|_| Error::<T>::TooManyCollaterals)?;
        }
        Collaterals::<T>::put(collaterals);
        Self::deposit_event(Event::Liquidated {
            caller: caller.clone(),
            market,
            borrower: borrower.clone(),
            collateral_asset: asset,
            repaid,
            seized,
            caller_fee,
        });
        Self::rebalance_lending();
        Ok(())
    }
}
