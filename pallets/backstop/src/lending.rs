//! Idle yield: part of the pool's stable is supplied to the lending market's stable market
//! ([`Config::YieldMarket`]) and recalled when a withdrawal or a liquidation needs it.
//!
//! The pool keeps stable liquid for liquidations: it lends at most `lend_fraction` of its
//! stable (so at least 10 % stays idle), and nothing while the yield market's liquidation
//! index shows a position that becomes liquidatable if the collateral price falls by
//! [`PoolParams::LIQUIDATION_LOOKAHEAD`] (then it recalls what the market can pay).
//!
//! A withdrawal never waits for the market: the lent part the market cannot pay back now
//! stays lent as the depositor's claim — supply shares the pool holds for them
//! ([`LentClaims`]), earning the market's interest — which [`redeem`](Pallet::redeem) pays
//! out, in part or in whole, once the market has liquidity again.
//!
//! The lending market's operations run in their own storage layer, so a failed supply or
//! recall changes nothing.

use crate::pallet::*;
use backstop_primitives::{Balance, LendingMarket, MarketId, Shares};
use frame_support::{
    ensure,
    pallet_prelude::Get,
    traits::{fungibles::Mutate, tokens::Preservation},
};
use sp_arithmetic::{traits::Zero, FixedU128, PerThing};
use sp_runtime::{DispatchError, DispatchResult};

/// A withdrawal's part of the lent stable: `shares` supply shares, what they are worth and
/// what the market can pay back of it now.
#[derive(Default)]
pub(crate) struct LentPart {
    /// The yield market (`None` when nothing is lent).
    pub market: Option<MarketId>,
    /// What the shares are worth, in stable units (rounded down); `None` if the market
    /// cannot value them now.
    pub value: Option<Balance>,
    /// What the market can pay of it now, in stable units.
    pub recallable: Balance,
}

impl LentPart {
    /// Whether recalling `recalled` of it leaves value in the market: the rest of the shares
    /// become the depositor's claim (otherwise they are dust worth nothing and stay the
    /// pool's).
    pub fn leaves_claim(&self, recalled: Balance) -> bool {
        self.market.is_some() && self.value.is_none_or(|value| recalled < value)
    }
}

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
        Self::recall(market, shortfall).map(|_| ())
    }

    /// What `shares` of the pool's lent supply shares are worth and what of it the market can
    /// pay back now. Never fails for a market that cannot answer: its part is all claim.
    pub(crate) fn lent_part(shares: Shares) -> Result<LentPart, DispatchError> {
        if shares.is_zero() {
            return Ok(LentPart::default());
        }
        let market = T::YieldMarket::get().ok_or(Error::<T>::UnknownMarket)?;
        let value = T::Lending::supply_shares_value(market, shares).ok();
        let available = T::Lending::available_liquidity(market).unwrap_or_default();
        Ok(LentPart {
            market: Some(market),
            value,
            recallable: value.unwrap_or_default().min(available),
        })
    }

    /// Moves `shares` of the pool's lent supply shares to `who`'s claim.
    pub(crate) fn book_claim(who: &T::AccountId, shares: Shares) -> DispatchResult {
        if shares.is_zero() {
            return Ok(());
        }
        LentShares::<T>::try_mutate(|s| -> DispatchResult {
            *s = s.checked_sub(shares).ok_or(Error::<T>::Overflow)?;
            Ok(())
        })?;
        TotalLentClaims::<T>::try_mutate(|s| -> DispatchResult {
            *s = s.checked_add(shares).ok_or(Error::<T>::Overflow)?;
            Ok(())
        })?;
        LentClaims::<T>::try_mutate(who, |claim| -> DispatchResult {
            let held = claim
                .unwrap_or_default()
                .checked_add(shares)
                .ok_or(Error::<T>::Overflow)?;
            *claim = Some(held);
            Ok(())
        })
    }

    /// `who` redeems its claim on lent stable: the market pays what it can of the claim's
    /// value now (the rest stays claimed). Returns the stable paid.
    pub(crate) fn do_redeem(who: &T::AccountId) -> Result<Balance, DispatchError> {
        let claim = LentClaims::<T>::get(who).ok_or(Error::<T>::NoClaim)?;
        let market = T::YieldMarket::get().ok_or(Error::<T>::UnknownMarket)?;
        let value = T::Lending::supply_shares_value(market, claim)?;
        ensure!(!value.is_zero(), Error::<T>::NothingToWithdraw);
        let amount = value.min(T::Lending::available_liquidity(market)?);
        ensure!(!amount.is_zero(), Error::<T>::LendingIlliquid);
        let pool = Self::account_id();
        let burnt = T::Lending::withdraw(&pool, market, amount, &pool)?;
        let left = claim.checked_sub(burnt).ok_or(Error::<T>::Overflow)?;
        // Paid in full: shares left over by the market's rounding are dust, the pool's.
        let (kept, to_pool) = if amount == value {
            (0, left)
        } else {
            (left, 0)
        };
        T::Assets::transfer(
            T::StableAsset::get(),
            &pool,
            who,
            amount,
            Preservation::Expendable,
        )?;
        LentShares::<T>::try_mutate(|s| -> DispatchResult {
            *s = s.checked_add(to_pool).ok_or(Error::<T>::Overflow)?;
            Ok(())
        })?;
        TotalLentClaims::<T>::try_mutate(|s| -> DispatchResult {
            *s = s
                .checked_sub(claim.checked_sub(kept).ok_or(Error::<T>::Overflow)?)
                .ok_or(Error::<T>::Overflow)?;
            Ok(())
        })?;
        LentClaims::<T>::set(who, (!kept.is_zero()).then_some(kept));
        Self::deposit_event(Event::ClaimRedeemed {
            who: who.clone(),
            amount,
            shares: burnt,
            left: kept,
        });
        Ok(amount)
    }

    /// Whether the yield market's liquidation index shows a position that is liquidatable now
    /// or would be if its collateral's price fell by [`PoolParams::LIQUIDATION_LOOKAHEAD`].
    /// A market or price that cannot answer counts as yes (the safe side: keep stable liquid).
    pub(crate) fn liquidations_coming(market: MarketId) -> bool {
        let Some(info) = T::Lending::market(market) else {
            return true;
        };
        let Ok(price) = Self::fresh_price(info.collateral_asset) else {
            return true;
        };
        let stressed = FixedU128::from_inner(
            crate::PoolParams::LIQUIDATION_LOOKAHEAD
                .left_from_one()
                .mul_floor(price.into_inner()),
        );
        T::Lending::liquidatable_positions(market, stressed, 1)
            .map(|positions| !positions.is_empty())
            .unwrap_or(true)
    }

    /// Withdraws `amount` of stable from `market` into the pool's idle reserve; returns the
    /// supply shares burnt.
    pub(crate) fn recall(market: MarketId, amount: Balance) -> Result<Shares, DispatchError> {
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
        Ok(burnt)
    }

    /// Supplies `amount` of idle stable to `market`.
    fn lend(market: MarketId, amount: Balance) -> DispatchResult {
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

    /// How far the lent amount should move towards its target in `market`: `lend_fraction`
    /// of the pool's stable, or nothing while liquidations are coming
    /// ([`Self::liquidations_coming`]). `(to_lend, to_recall)`, at most one non-zero. Moves
    /// smaller than 1 % of the stable are skipped so that every trade does not churn the
    /// market (each move loses a unit or two to the market's rounding).
    pub(crate) fn lending_target_gap(
        market: MarketId,
    ) -> Result<(Balance, Balance), DispatchError> {
        let idle = StableReserve::<T>::get();
        let lent = Self::lent_value()?;
        let total = idle.checked_add(lent).ok_or(Error::<T>::Overflow)?;
        let target = if Self::liquidations_coming(market) {
            0
        } else {
            Params::<T>::get().lend_fraction.mul_floor(total)
        };
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
        let Ok((to_lend, to_recall)) = Self::lending_target_gap(market) else {
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
            frame_support::storage::with_storage_layer(|| Self::recall(market, amount).map(|_| ()))
        } else {
            Ok(())
        };
        if let Err(error) = result {
            log::debug!(target: "runtime::backstop", "idle-yield rebalance skipped: {error:?}");
        }
    }
}
