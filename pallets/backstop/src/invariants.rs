//! `try_state` invariants of the pool, checked after every test and by try-runtime:
//!
//! 1. the shares of all holders sum to [`TotalShares`];
//! 2. a pool with shares has its locked [`Config::MinimumShares`]; a pool without shares holds
//!    nothing (no value without shares);
//! 3. the books are covered by balances: the pool account holds at least the booked idle
//!    stable and each booked collateral, and at least the booked lending supply shares;
//! 4. no collateral is booked at zero.

use crate::pallet::*;
use backstop_primitives::{Balance, LendingMarket};
use frame_support::{ensure, pallet_prelude::Get, traits::fungibles::Inspect};
use sp_arithmetic::traits::Zero;
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
    /// Checks every invariant of the pool.
    pub fn do_try_state() -> Result<(), TryRuntimeError> {
        let total = TotalShares::<T>::get();
        let mut sum: Balance = 0;
        for (_, shares) in SharesOf::<T>::iter() {
            ensure!(!shares.is_zero(), "a zero share entry is stored");
            sum = sum.checked_add(shares).ok_or("share sum overflows")?;
        }
        ensure!(sum == total, "shares do not sum to TotalShares");

        let pool = Self::account_id();
        let collaterals = Collaterals::<T>::get();
        if total.is_zero() {
            ensure!(
                StableReserve::<T>::get().is_zero(),
                "stable held without shares"
            );
            ensure!(
                LentShares::<T>::get().is_zero(),
                "lent stable without shares"
            );
            ensure!(collaterals.is_empty(), "collateral held without shares");
        } else {
            ensure!(
                SharesOf::<T>::get(&pool).unwrap_or_default() >= T::MinimumShares::get(),
                "the locked minimum shares are missing"
            );
        }

        ensure!(
            T::Assets::balance(T::StableAsset::get(), &pool) >= StableReserve::<T>::get(),
            "booked stable exceeds the pool's balance"
        );
        for (asset, amount) in collaterals.iter() {
            ensure!(!amount.is_zero(), "a collateral is booked at zero");
            ensure!(
                T::Assets::balance(*asset, &pool) >= *amount,
                "booked collateral exceeds the pool's balance"
            );
        }
        let lent = LentShares::<T>::get();
        if !lent.is_zero() {
            let market = T::YieldMarket::get().ok_or("lent shares without a yield market")?;
            let position = T::Lending::position(market, &pool)
                .map_err(|_| "the yield market does not answer")?;
            ensure!(
                position.supply_shares >= lent,
                "booked lent shares exceed the position"
            );
        }
        Ok(())
    }
}
