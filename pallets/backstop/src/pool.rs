//! Deposits, withdrawals, swaps and the pool's valuation.
//!
//! Every conversion rounds in the pool's favour: the value a deposit is priced at rounds up
//! (fewer shares), the lent stable's value included; shares minted and assets paid out round
//! down; a swap whose output is clamped at the pool's holding charges the curve's price of
//! that output, rounded up.
//!
//! A withdrawal is pro rata in kind and always succeeds: idle stable, the lent stable the
//! yield market can pay back now, every collateral; what the market cannot pay back stays
//! lent as the depositor's claim ([`LentClaims`], redeemed with
//! [`redeem`](Pallet::redeem)); a part the depositor's account cannot receive (below the
//! asset's minimum balance) stays in the pool for the remaining depositors.

use crate::{curve, pallet::*, types::SHARE_SCALE};
use alloc::vec::Vec;
use backstop_primitives::{AssetId, Balance, LendingMarket, Shares};
use frame_support::{
    ensure,
    pallet_prelude::Get,
    traits::{
        fungibles::{Inspect, Mutate},
        tokens::{DepositConsequence, Fortitude, Preservation, Provenance, WithdrawConsequence},
        UnixTime,
    },
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
        backstop_primitives::fresh_price::<T::Oracle>(
            asset,
            T::StableAsset::get(),
            Self::now_ms(),
            Params::<T>::get().max_price_age,
        )
        .map_err(|refusal| match refusal {
            backstop_primitives::PriceRefusal::Missing => Error::<T>::PriceMissing,
            backstop_primitives::PriceRefusal::Stale => Error::<T>::OracleStale,
        })
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
    /// Rounded up, the lent stable counts one unit above its withdrawable value (the market
    /// rounds that down), so the result is never below the exact value.
    /// Fails with `OracleStale` / `PriceMissing` if any held collateral has no fresh price.
    pub fn pool_value_rounded(rounding: Rounding) -> Result<Balance, DispatchError> {
        let mut value = Self::total_stable()?;
        if matches!(rounding, Rounding::Up) && !LentShares::<T>::get().is_zero() {
            value = value.checked_add(1).ok_or(Error::<T>::Overflow)?;
        }
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
        Self::ensure_can_pay(who, amount)?;
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

    /// Fails with `InsufficientBalance` unless `who` can pay `amount` of the stable asset.
    pub(crate) fn ensure_can_pay(who: &T::AccountId, amount: Balance) -> DispatchResult {
        let spendable = T::Assets::reducible_balance(
            T::StableAsset::get(),
            who,
            Preservation::Expendable,
            Fortitude::Polite,
        );
        ensure!(amount <= spendable, Error::<T>::InsufficientBalance);
        Ok(())
    }

    /// Whether `amount` of `asset` can move from the pool to `who` without either account
    /// falling below the asset's minimum balance (dust the pool keeps instead).
    fn can_pay_out(asset: AssetId, who: &T::AccountId, amount: Balance) -> bool {
        T::Assets::can_deposit(asset, who, amount, Provenance::Extant)
            == DepositConsequence::Success
            && T::Assets::can_withdraw(asset, &Self::account_id(), amount)
                == WithdrawConsequence::Success
    }

    /// `who` burns `shares` for its pro-rata part of every asset, in kind: the idle stable, the
    /// lent stable (recalled as far as the market can pay now, the rest kept lent as `who`'s
    /// claim) and every collateral. A part `who`'s account cannot receive stays in the pool.
    pub(crate) fn do_withdraw(who: &T::AccountId, shares: Shares) -> DispatchResult {
        ensure!(!shares.is_zero(), Error::<T>::ZeroAmount);
        let held = SharesOf::<T>::get(who).unwrap_or_default();
        ensure!(shares <= held, Error::<T>::InsufficientShares);
        let total = TotalShares::<T>::get();
        let stable = T::StableAsset::get();

        // The stable part: idle now, lent recalled now, lent the market cannot pay (a claim).
        let idle_out = mul_div(StableReserve::<T>::get(), shares, total, Rounding::Down)
            .ok_or(Error::<T>::Overflow)?;
        // The pool's account keeps the minimum balance rather than be reaped with the locked
        // shares' dust (the recalled stable arrives and leaves again: it changes nothing).
        let idle_out = Self::payable_without_dust(stable, &Self::account_id(), idle_out);
        let lent_out = mul_div(LentShares::<T>::get(), shares, total, Rounding::Down)
            .ok_or(Error::<T>::Overflow)?;
        let lent = Self::lent_part(lent_out)?;
        let payable = idle_out
            .checked_add(lent.recallable)
            .ok_or(Error::<T>::Overflow)?;
        // (The pool's side needs no check: the recalled stable arrives in its account first.)
        let pay_stable = !payable.is_zero()
            && T::Assets::can_deposit(stable, who, payable, Provenance::Extant)
                == DepositConsequence::Success;
        // Stable dust `who` cannot receive stays idle; the lent part then all becomes the claim.
        let (idle_out, recall) = if pay_stable {
            (idle_out, lent.recallable)
        } else {
            (0, 0)
        };

        let mut collaterals = Collaterals::<T>::get();
        let mut paid: Vec<(AssetId, Balance)> = Vec::new();
        for (asset, amount) in collaterals.iter_mut() {
            let out =
                mul_div(*amount, shares, total, Rounding::Down).ok_or(Error::<T>::Overflow)?;
            // The locked shares' dust is never reaped with the pool's account.
            let out = Self::payable_without_dust(*asset, &Self::account_id(), out);
            if !out.is_zero() && Self::can_pay_out(*asset, who, out) {
                *amount = amount.checked_sub(out).ok_or(Error::<T>::Overflow)?;
                paid.push((*asset, out));
            }
        }
        let claims = lent.leaves_claim(recall);
        ensure!(
            !idle_out.is_zero() || !recall.is_zero() || !paid.is_empty() || claims,
            Error::<T>::NothingToWithdraw
        );
        collaterals.retain(|_, amount| !amount.is_zero());

        let pool = Self::account_id();
        let mut burnt = 0;
        if let (Some(market), false) = (lent.market, recall.is_zero()) {
            burnt = Self::recall(market, recall)?;
        }
        let claim = if claims {
            let claim = lent_out.checked_sub(burnt).ok_or(Error::<T>::Overflow)?;
            Self::book_claim(who, claim)?;
            claim
        } else {
            0
        };
        let stable_out = idle_out.checked_add(recall).ok_or(Error::<T>::Overflow)?;
        if !stable_out.is_zero() {
            T::Assets::transfer(stable, &pool, who, stable_out, Preservation::Expendable)?;
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
        if !claim.is_zero() {
            Self::deposit_event(Event::ClaimBooked {
                who: who.clone(),
                shares: claim,
            });
        }
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

    /// What a swap of up to `stable_in` against `asset` charges and pays: `stable_in` and its
    /// quote, or, when the quote is clamped at the pool's whole holding (or short of it, so the
    /// pool's account keeps the minimum balance), only the curve's price of what it pays
    /// ([`curve::input_for`]) with the fee on it.
    pub fn charge_swap(
        asset: AssetId,
        stable_in: Balance,
    ) -> Result<(Balance, curve::Quote), DispatchError> {
        let quote = Self::quote_swap(asset, stable_in)?;
        let held = Collaterals::<T>::get()
            .get(&asset)
            .copied()
            .ok_or(Error::<T>::UnknownCollateral)?;
        // The pool's account pays at most its booked holding, and never so much that it is
        // left with a remainder below the minimum balance (pallet-assets would reap the
        // account and the remainder with it, e.g. donated dust).
        let out = Self::payable_without_dust(asset, &Self::account_id(), quote.out.min(held));
        if out == quote.out && quote.out < held {
            return Ok((stable_in, quote));
        }
        ensure!(!out.is_zero(), Error::<T>::SwapTooSmall);
        let price = Self::fresh_price(asset)?;
        let params = Params::<T>::get();
        let charged = curve::input_for(
            out,
            Self::total_stable()?,
            held,
            price.into_inner(),
            u128::from(params.amplification),
            u128::from(params.max_discount_bps),
            stable_in,
        )
        .ok_or(Error::<T>::QuoteUnavailable)?;
        let fee = mul_div(
            charged,
            u128::from(params.fee_bps),
            curve::BPS,
            Rounding::Down,
        )
        .ok_or(Error::<T>::Overflow)?;
        Ok((charged, curve::Quote { out, fee }))
    }

    /// What `from` (a pallet account) may pay of `amount` of `asset`: all of it when that
    /// leaves nothing or at least the asset's minimum balance, else what leaves exactly the
    /// minimum balance. pallet-assets reaps an account left below its minimum balance and the
    /// remainder vanishes without lowering the supply; the dust stays with the pallet instead.
    /// (An `amount` above the balance is returned as is: the transfer names that problem.)
    pub(crate) fn payable_without_dust(
        asset: AssetId,
        from: &T::AccountId,
        amount: Balance,
    ) -> Balance {
        let balance = T::Assets::balance(asset, from);
        match balance.checked_sub(amount) {
            Some(rest) if !rest.is_zero() && rest < T::Assets::minimum_balance(asset) => {
                balance.saturating_sub(T::Assets::minimum_balance(asset))
            }
            _ => amount,
        }
    }

    /// `who` pays up to `stable_in` for collateral `asset` at the curve's quote (only the
    /// curve's price of the pool's whole holding when that is all it gets); returns the
    /// collateral paid out.
    pub(crate) fn do_swap(
        who: &T::AccountId,
        asset: AssetId,
        stable_in: Balance,
        min_out: Balance,
    ) -> Result<Balance, DispatchError> {
        ensure!(!stable_in.is_zero(), Error::<T>::ZeroAmount);
        Self::ensure_can_pay(who, stable_in)?;
        let (stable_in, curve::Quote { out, fee }) = Self::charge_swap(asset, stable_in)?;
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
