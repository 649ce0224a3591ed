//! Deposits, withdrawals, swaps and the pool's valuation.
//!
//! Every conversion rounds in the pool's favour: the value a deposit is priced at rounds up
//! (fewer shares), shares minted and assets paid out round down.

use crate::{curve, pallet::*, types::SHARE_SCALE};
use alloc::vec::Vec;
use backstop_primitives::{AssetId, Balance, LendingMarket, PriceOracle, Shares};
use frame_support::{
    ensure,
    pallet_prelude::Get,
    traits::{fungibles::Mutate, tokens::Preservation, UnixTime},
    BoundedVec,
};
use sp_arithmetic::{traits::Zero, FixedPointNumber, FixedU128, Rounding};
use sp_runtime::{traits::AccountIdConversion, DispatchError, DispatchResult};

pub(crate) use backstop_primitives::{mul_div, value_at};

impl<T: Config> Pallet<T> {
    /// The pool's account: holds its stable, collateral and lending supply.
    pub fn account_id() -> T::AccountId {
        T::PalletId::get().into_account_truncating()
    }

    /// Now, in Unix milliseconds.
    pub(crate) fn now_ms() -> u64 {
        u64::try_from(T::Time::now().as_millis()).unwrap_or(u64::MAX)
    }

    /// The oracle price of one unit of `asset` in stable units, if at most `max_price_age`
    /// old and non-zero.
    pub(crate) fn fresh_price(asset: AssetId) -> Result<FixedU128, Error<T>> {
        let quote =
            T::Oracle::price(asset, T::StableAsset::get()).ok_or(Error::<T>::PriceMissing)?;
        ensure!(!quote.price.is_zero(), Error::<T>::PriceMissing);
        ensure!(
            quote.is_fresh(Self::now_ms(), Params::<T>::get().max_price_age),
            Error::<T>::OracleStale
        );
        Ok(quote.price)
    }

    /// The withdrawable value of the stable the pool lends, in stable units (rounded down).
    pub fn lent_value() -> Result<Balance, DispatchError> {
        let shares = LentShares::<T>::get();
        if shares.is_zero() {
            return Ok(0);
        }
        let market = T::YieldMarket::get().ok_or(Error::<T>::UnknownMarket)?;
        T::Lending::supply_shares_value(market, shares)
    }

    /// All the pool's stable: idle plus the withdrawable value of what it lends.
    pub fn total_stable() -> Result<Balance, DispatchError> {
        StableReserve::<T>::get()
            .checked_add(Self::lent_value()?)
            .ok_or_else(|| Error::<T>::Overflow.into())
    }

    /// Pool value `S + Σ c_i · p_i` in stable units, at fresh oracle prices, rounded as asked.
    /// Fails with `OracleStale` / `PriceMissing` if any held collateral has no fresh price.
    pub fn pool_value_rounded(rounding: Rounding) -> Result<Balance, DispatchError> {
        let mut value = Self::total_stable()?;
        for (asset, amount) in Collaterals::<T>::get() {
            let price = Self::fresh_price(asset)?;
            let worth = value_at(amount, price, rounding).ok_or(Error::<T>::Overflow)?;
            value = value.checked_add(worth).ok_or(Error::<T>::Overflow)?;
        }
        Ok(value)
    }

    /// `who` deposits `amount` of stable; returns the shares minted.
    pub(crate) fn do_deposit(who: &T::AccountId, amount: Balance) -> Result<Shares, DispatchError> {
        ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
        let total = TotalShares::<T>::get();
        let pool = Self::account_id();
        let minted = if total.is_zero() {
            // First deposit: `amount · SHARE_SCALE`, of which `MinimumShares` stay locked.
            let minted = amount
                .checked_mul(SHARE_SCALE)
                .ok_or(Error::<T>::Overflow)?;
            let locked = T::MinimumShares::get();
            let minted = minted
                .checked_sub(locked)
                .ok_or(Error::<T>::DepositTooSmall)?;
            ensure!(!minted.is_zero(), Error::<T>::DepositTooSmall);
            Self::mint_shares(&pool, locked)?;
            minted
        } else {
            let value = Self::pool_value_rounded(Rounding::Up)?;
            ensure!(!value.is_zero(), Error::<T>::PoolValueZero);
            let minted =
                mul_div(total, amount, value, Rounding::Down).ok_or(Error::<T>::Overflow)?;
            ensure!(!minted.is_zero(), Error::<T>::DepositTooSmall);
            minted
        };
        T::Assets::transfer(
            T::StableAsset::get(),
            who,
            &pool,
            amount,
            Preservation::Expendable,
        )?;
        StableReserve::<T>::try_mutate(|s| -> DispatchResult {
            *s = s.checked_add(amount).ok_or(Error::<T>::Overflow)?;
            Ok(())
        })?;
        Self::mint_shares(who, minted)?;
        Self::deposit_event(Event::Deposited {
            who: who.clone(),
            amount,
            shares: minted,
        });
        Self::rebalance_lending();
        Ok(minted)
    }

    /// `who` burns `shares` for its pro-rata part of every asset, in kind.
    pub(crate) fn do_withdraw(who: &T::AccountId, shares: Shares) -> DispatchResult {
        ensure!(!shares.is_zero(), Error::<T>::ZeroAmount);
        let held = SharesOf::<T>::get(who).unwrap_or_default();
        ensure!(shares <= held, Error::<T>::InsufficientShares);
        let total = TotalShares::<T>::get();
        let stable_out = mul_div(Self::total_stable()?, shares, total, Rounding::Down)
            .ok_or(Error::<T>::Overflow)?;
        let mut collaterals = Collaterals::<T>::get();
        let mut paid: Vec<(AssetId, Balance)> = Vec::new();
        for (asset, amount) in collaterals.iter_mut() {
            let out =
                mul_div(*amount, shares, total, Rounding::Down).ok_or(Error::<T>::Overflow)?;
            if !out.is_zero() {
                *amount = amount.checked_sub(out).ok_or(Error::<T>::Overflow)?;
                paid.push((*asset, out));
            }
        }
        ensure!(
            !stable_out.is_zero() || !paid.is_empty(),
            Error::<T>::NothingToWithdraw
        );
        collaterals.retain(|_, amount| !amount.is_zero());

        let pool = Self::account_id();
        Self::ensure_idle(stable_out)?;
        if !stable_out.is_zero() {
            T::Assets::transfer(
                T::StableAsset::get(),
                &pool,
                who,
                stable_out,
                Preservation::Expendable,
            )?;
            StableReserve::<T>::try_mutate(|s| -> DispatchResult {
                *s = s.checked_sub(stable_out).ok_or(Error::<T>::Overflow)?;
                Ok(())
            })?;
        }
        for (asset, out) in paid.iter() {
            T::Assets::transfer(*asset, &pool, who, *out, Preservation::Expendable)?;
        }
        Collaterals::<T>::put(collaterals);
        Self::burn_shares(who, shares)?;
        let collateral = BoundedVec::try_from(paid).map_err(|_| Error::<T>::Overflow)?;
        Self::deposit_event(Event::Withdrawn {
            who: who.clone(),
            shares,
            stable: stable_out,
            collateral,
        });
        Self::rebalance_lending();
        Ok(())
    }

    /// The quote for `stable_in` against `asset` at the current oracle price.
    pub fn quote_swap(asset: AssetId, stable_in: Balance) -> Result<curve::Quote, DispatchError> {
        ensure!(!stable_in.is_zero(), Error::<T>::ZeroAmount);
        let held = Collaterals::<T>::get()
            .get(&asset)
            .copied()
            .ok_or(Error::<T>::UnknownCollateral)?;
        let price = Self::fresh_price(asset)?;
        let params = Params::<T>::get();
        curve::quote(
            Self::total_stable()?,
            held,
            price.into_inner(),
            u128::from(params.amplification),
            u128::from(params.max_discount_bps),
            u128::from(params.fee_bps),
            stable_in,
        )
        .ok_or_else(|| Error::<T>::QuoteUnavailable.into())
    }

    /// `who` pays `stable_in` for collateral `asset` at the curve's quote; returns the
    /// collateral paid out.
    pub(crate) fn do_swap(
        who: &T::AccountId,
        asset: AssetId,
        stable_in: Balance,
        min_out: Balance,
    ) -> Result<Balance, DispatchError> {
        let curve::Quote { out, fee } = Self::quote_swap(asset, stable_in)?;
        ensure!(!out.is_zero(), Error::<T>::SwapTooSmall);
        ensure!(out >= min_out, Error::<T>::Slippage);
        let kept = stable_in.checked_sub(fee).ok_or(Error::<T>::Overflow)?;
        let pool = Self::account_id();
        let stable = T::StableAsset::get();
        T::Assets::transfer(stable, who, &pool, kept, Preservation::Expendable)?;
        // `fee_share` of the fee goes to the users' jar, the rest to the fee account.
        let to_jar = Self::jar_cut_of_fee(fee);
        let to_fee_account = fee.checked_sub(to_jar).ok_or(Error::<T>::Overflow)?;
        if !to_fee_account.is_zero() {
            T::Assets::transfer(
                stable,
                who,
                &T::FeeAccount::get(),
                to_fee_account,
                Preservation::Expendable,
            )?;
        }
        if !to_jar.is_zero() {
            Self::do_deposit_income(who, to_jar, crate::IncomeSource::SwapFee)?;
        }
        T::Assets::transfer(asset, &pool, who, out, Preservation::Expendable)?;
        StableReserve::<T>::try_mutate(|s| -> DispatchResult {
            *s = s.checked_add(kept).ok_or(Error::<T>::Overflow)?;
            Ok(())
        })?;
        Self::take_collateral(asset, out)?;
        Self::deposit_event(Event::Swapped {
            who: who.clone(),
            asset,
            stable_in,
            out,
            fee,
        });
        Self::rebalance_lending();
        Ok(out)
    }

    /// Removes `amount` of `asset` from the books (dropping the asset at zero).
    pub(crate) fn take_collateral(asset: AssetId, amount: Balance) -> DispatchResult {
        Collaterals::<T>::try_mutate(|collaterals| -> DispatchResult {
            let held = collaterals
                .get_mut(&asset)
                .ok_or(Error::<T>::UnknownCollateral)?;
            *held = held.checked_sub(amount).ok_or(Error::<T>::Overflow)?;
            if held.is_zero() {
                collaterals.remove(&asset);
            }
            Ok(())
        })
    }

    fn mint_shares(who: &T::AccountId, shares: Shares) -> DispatchResult {
        TotalShares::<T>::try_mutate(|t| -> DispatchResult {
            *t = t.checked_add(shares).ok_or(Error::<T>::Overflow)?;
            Ok(())
        })?;
        SharesOf::<T>::try_mutate(who, |s| -> DispatchResult {
            let held = s
                .unwrap_or_default()
                .checked_add(shares)
                .ok_or(Error::<T>::Overflow)?;
            *s = (!held.is_zero()).then_some(held);
            Ok(())
        })
    }

    fn burn_shares(who: &T::AccountId, shares: Shares) -> DispatchResult {
        TotalShares::<T>::try_mutate(|t| -> DispatchResult {
            *t = t.checked_sub(shares).ok_or(Error::<T>::Overflow)?;
            Ok(())
        })?;
        SharesOf::<T>::try_mutate(who, |s| -> DispatchResult {
            let held = s
                .unwrap_or_default()
                .checked_sub(shares)
                .ok_or(Error::<T>::InsufficientShares)?;
            *s = (!held.is_zero()).then_some(held);
            Ok(())
        })
    }

    /// Pool value in stable units at fresh prices (rounded down), for the runtime API.
    pub fn pool_value() -> Result<Balance, DispatchError> {
        Self::pool_value_rounded(Rounding::Down)
    }

    /// Value of one share in stable units (rounded down); zero for an empty pool.
    pub fn share_price() -> Result<FixedU128, DispatchError> {
        let total = TotalShares::<T>::get();
        if total.is_zero() {
            return Ok(FixedU128::zero());
        }
        let value = Self::pool_value()?;
        let inner =
            mul_div(value, FixedU128::DIV, total, Rounding::Down).ok_or(Error::<T>::Overflow)?;
        Ok(FixedU128::from_inner(inner))
    }

    /// `who`'s shares.
    pub fn shares_of(who: &T::AccountId) -> Shares {
        SharesOf::<T>::get(who).unwrap_or_default()
    }

    /// What `who`'s shares are worth in stable units at fresh prices (rounded down).
    pub fn value_of(who: &T::AccountId) -> Result<Balance, DispatchError> {
        let shares = Self::shares_of(who);
        if shares.is_zero() {
            return Ok(0);
        }
        let value = Self::pool_value()?;
        mul_div(value, shares, TotalShares::<T>::get(), Rounding::Down)
            .ok_or_else(|| Error::<T>::Overflow.into())
    }
}
