//! The pool liquidates lending positions: it pays the debt in the stable asset (recalling
//! lent stable first if needed) and receives the collateral at the market's liquidation
//! incentive. The keeper that triggered it earns `caller_fee_bps` of the gain, in collateral.
//!
//! Two paths share the books: [`liquidate`](Pallet::liquidate) for positions the market lets
//! anyone liquidate (every position that is not an avatar's), and the avatar pallet's pool
//! liquidation of avatar positions after the members' priority, through
//! [`BackstopPool`](backstop_primitives::BackstopPool): the avatar pallet draws the stable it
//! needs ([`Pallet::draw_for_liquidation`]), runs the liquidation (it keeps the cushion
//! ledger) and hands the collateral back to be booked ([`Pallet::book_liquidation`]).

use crate::{curve::BPS, pallet::*, pool::mul_div};
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
    /// when the caller's account could not receive it), books the rest and re-balances the
    /// idle yield. Returns the fee.
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
        // Gain, in collateral units: what was seized minus what was paid (rounded up).
        let paid_in_collateral = mul_div(paid, FixedU128::DIV, price.into_inner(), Rounding::Up)
            .ok_or(Error::<T>::Overflow)?;
        let gain = seized.saturating_sub(paid_in_collateral);
        let fee_bps = u128::from(Params::<T>::get().caller_fee_bps);
        let mut caller_fee = mul_div(gain, fee_bps, BPS, Rounding::Down).unwrap_or_default();
        let pool = Self::account_id();
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
        let mut collaterals = Collaterals::<T>::get();
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
            repaid: paid,
            seized,
            caller_fee,
        });
        Self::rebalance_lending();
        Ok(caller_fee)
    }
}
