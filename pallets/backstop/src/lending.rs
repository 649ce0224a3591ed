//! Idle yield: part of the pool's stable is supplied to the lending market's stable market
//! ([`Config::YieldMarket`]) and recalled when a withdrawal or a liquidation needs it.
//!
//! The lending market's operations run in their own storage layer, so a failed supply or
//! recall changes nothing.

use crate::pallet::*;
use backstop_primitives::{Balance, LendingMarket};
use frame_support::{ensure, pallet_prelude::Get};
use sp_arithmetic::traits::Zero;
use sp_runtime::{DispatchError, DispatchResult};

impl<T: Config> Pallet<T> {
    /// Makes at least `needed` stable idle in the pool account, recalling the shortfall from
    /// the yield market. Fails with `InsufficientStable` if the pool does not have it at all,
    /// and with `LendingIlliquid` if the market cannot pay it back now.
    pub(crate) fn ensure_idle(needed: Balance) -> DispatchResult {
        let idle = StableReserve::<T>::get();
        let Some(shortfall) = needed.checked_sub(idle).filter(|s| !s.is_zero()) else {
            return Ok(());
        };
        let market = match T::YieldMarket::get() {
            Some(market) if !LentShares::<T>::get().is_zero() => market,
            _ => return Err(Error::<T>::InsufficientStable.into()),
        };
        ensure!(
            Self::lent_value()? >= shortfall,
            Error::<T>::InsufficientStable
        );
        ensure!(
            T::Lending::available_liquidity(market)? >= shortfall,
            Error::<T>::LendingIlliquid
        );
        Self::recall(market, shortfall)
    }

    /// Withdraws `amount` of stable from `market` into the pool's idle reserve.
    fn recall(market: backstop_primitives::MarketId, amount: Balance) -> DispatchResult {
        let pool = Self::account_id();
        let burnt = T::Lending::withdraw(&pool, market, amount, &pool)?;
        LentShares::<T>::try_mutate(|s| -> DispatchResult {
            *s = s.checked_sub(burnt).ok_or(Error::<T>::Overflow)?;
            Ok(())
        })?;
        StableReserve::<T>::try_mutate(|s| -> DispatchResult {
            *s = s.checked_add(amount).ok_or(Error::<T>::Overflow)?;
            Ok(())
        })?;
        Self::deposit_event(Event::Recalled {
            amount,
            shares: burnt,
        });
        Ok(())
    }

    /// Supplies `amount` of idle stable to `market`.
    fn lend(market: backstop_primitives::MarketId, amount: Balance) -> DispatchResult {
        let pool = Self::account_id();
        let minted = T::Lending::supply(&pool, market, &pool, amount)?;
        LentShares::<T>::try_mutate(|s| -> DispatchResult {
            *s = s.checked_add(minted).ok_or(Error::<T>::Overflow)?;
            Ok(())
        })?;
        StableReserve::<T>::try_mutate(|s| -> DispatchResult {
            *s = s.checked_sub(amount).ok_or(Error::<T>::Overflow)?;
            Ok(())
        })?;
        Self::deposit_event(Event::Lent {
            amount,
            shares: minted,
        });
        Ok(())
    }

    /// How far the lent amount should move towards `lend_fraction` of the pool's stable:
    /// `(to_lend, to_recall)`, at most one non-zero. Moves smaller than 1 % of the stable are
    /// skipped so that every trade does not churn the market (each move loses a unit or two
    /// to the market's rounding).
    pub(crate) fn lending_target_gap() -> Result<(Balance, Balance), DispatchError> {
        let idle = StableReserve::<T>::get();
        let lent = Self::lent_value()?;
        let total = idle.checked_add(lent).ok_or(Error::<T>::Overflow)?;
        let target = Params::<T>::get().lend_fraction.mul_floor(total);
        let band = sp_arithmetic::Perbill::from_percent(1).mul_floor(total);
        if target > lent.saturating_add(band) {
            Ok((target.saturating_sub(lent).min(idle), 0))
        } else if lent > target.saturating_add(band) {
            Ok((0, lent.saturating_sub(target)))
        } else {
            Ok((0, 0))
        }
    }

    /// Moves the lent stable towards `lend_fraction` of the pool's stable, as far as the
    /// market allows. Best effort: a market that refuses (paused, illiquid, missing) leaves
    /// everything as it was, and the move is retried after the next pool operation.
    pub(crate) fn rebalance_lending() {
        let Some(market) = T::YieldMarket::get() else {
            return;
        };
        let Ok((to_lend, to_recall)) = Self::lending_target_gap() else {
            return;
        };
        let result = if !to_lend.is_zero() {
            frame_support::storage::with_storage_layer(|| Self::lend(market, to_lend))
        } else if !to_recall.is_zero() {
            let available = T::Lending::available_liquidity(market).unwrap_or_default();
            let amount = to_recall.min(available);
            if amount.is_zero() {
                return;
            }
            frame_support::storage::with_storage_layer(|| Self::recall(market, amount))
        } else {
            Ok(())
        };
        if let Err(error) = result {
            log::debug!(target: "runtime::backstop", "idle-yield rebalance skipped: {error:?}");
        }
    }
}
