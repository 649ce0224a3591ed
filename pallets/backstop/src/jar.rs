//! The reward jar: what the users earn, streamed by score.
//!
//! Income (auction payments, `user_share` of liquidation gains paid in by the avatar pallet,
//! `fee_share` of the pool's swap fees, slashed rewards) is collected during an epoch in
//! [`JarState::income`] and streamed at a constant rate over the next epoch: by block `t` of a
//! stream of `S` over `[start, end)`, `S · (t − start) / (end − start)` (rounded down) is
//! released. A release of `Δ` raises the global reward per weighted unit by
//! `Δ / total_weighted` (rounded down; weighted units are weight × stable units of value, see
//! [`score`](crate::score)); while nobody has a score the release goes back into
//! `income` and is streamed again next epoch. Every step is O(1) in the number of users.
//!
//! All of it sits in the [vault](Pallet::vault_account); what the rounding leaves behind
//! (dust) stays there, never owed to anyone.

use crate::{pallet::*, pool::mul_div, types::*};
use backstop_primitives::Balance;
use frame_support::{
    ensure,
    pallet_prelude::Get,
    traits::{fungibles::Mutate, tokens::Preservation},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_arithmetic::{
    traits::{SaturatedConversion, Saturating, Zero},
    FixedPointNumber, FixedU128, Rounding,
};
use sp_runtime::{DispatchError, DispatchResult};

impl<T: Config> Pallet<T> {
    /// Books `amount` (already in the vault) as income of the running epoch.
    pub(crate) fn add_income(amount: Balance) {
        if amount.is_zero() {
            return;
        }
        Jar::<T>::mutate(|jar| jar.income = jar.income.saturating_add(amount));
    }

    /// `from` pays `amount` of the stable asset into the jar.
    pub(crate) fn do_deposit_income(
        from: &T::AccountId,
        amount: Balance,
        source: IncomeSource,
    ) -> DispatchResult {
        ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
        T::Assets::transfer(
            T::StableAsset::get(),
            from,
            &Self::vault_account(),
            amount,
            Preservation::Expendable,
        )?;
        Self::add_income(amount);
        Self::deposit_event(Event::JarFunded { source, amount });
        Ok(())
    }

    /// `jar` and the global reward per weighted unit `index`, released up to block `now`
    /// over `total_weighted` weighted units.
    pub(crate) fn released(
        mut jar: JarState<BlockNumberFor<T>>,
        mut index: FixedU128,
        total_weighted: Balance,
        now: BlockNumberFor<T>,
    ) -> (JarState<BlockNumberFor<T>>, FixedU128) {
        let until = now.min(jar.stream_end);
        if until <= jar.updated_at {
            return (jar, index);
        }
        let length: u128 = jar
            .stream_end
            .saturating_sub(jar.stream_start)
            .saturated_into();
        let elapsed: u128 = until.saturating_sub(jar.stream_start).saturated_into();
        let released = if length.is_zero() {
            jar.stream
        } else {
            mul_div(jar.stream, elapsed, length, Rounding::Down).unwrap_or(jar.released)
        };
        let delta = released.saturating_sub(jar.released);
        jar.released = jar.released.saturating_add(delta);
        jar.updated_at = until;
        if !delta.is_zero() {
            let step = if total_weighted.is_zero() {
                None
            } else {
                mul_div(delta, FixedU128::DIV, total_weighted, Rounding::Down)
            };
            match step.filter(|s| !s.is_zero()) {
                Some(step) => index = index.saturating_add(FixedU128::from_inner(step)),
                // Nobody to pay (or too little to move the index): stream it again.
                None => jar.income = jar.income.saturating_add(delta),
            }
        }
        (jar, index)
    }

    /// Releases the stream up to now into [`RewardPerWeight`].
    pub(crate) fn accrue_jar() {
        let now = frame_system::Pallet::<T>::block_number();
        let (jar, index) = Self::released(
            Jar::<T>::get(),
            RewardPerWeight::<T>::get(),
            TotalWeighted::<T>::get(),
            now,
        );
        Jar::<T>::put(jar);
        RewardPerWeight::<T>::put(index);
    }

    /// At an epoch's first block: releases what is left of the ended stream and starts
    /// streaming the ended epoch's income over `[now, end)`.
    pub(crate) fn roll_jar(now: BlockNumberFor<T>, end: BlockNumberFor<T>, epoch: u32) {
        Self::accrue_jar();
        let mut jar = Jar::<T>::get();
        let leftover = jar.stream.saturating_sub(jar.released);
        jar.stream = jar.income.saturating_add(leftover);
        jar.income = 0;
        jar.released = 0;
        jar.stream_start = now;
        jar.stream_end = end;
        jar.updated_at = now;
        Jar::<T>::put(jar);
        EpochStartReward::<T>::put(RewardPerWeight::<T>::get());
        Self::deposit_event(Event::JarStreaming {
            epoch,
            amount: jar.stream,
        });
    }

    /// Pays `who` its accrued reward; returns the amount.
    pub(crate) fn do_claim(who: &T::AccountId) -> Result<Balance, DispatchError> {
        let mut score = UserScores::<T>::get(who).ok_or(Error::<T>::NothingToClaim)?;
        Self::accrue_jar();
        let clock = Self::score_clock();
        Self::settle_user(&mut score, &clock, true);
        // The vault keeps the minimum balance rather than be reaped with dust; the part held
        // back stays accrued, claimable once the vault holds more.
        let stable = T::StableAsset::get();
        let vault = Self::vault_account();
        let amount = Self::payable_without_dust(stable, &vault, score.accrued);
        ensure!(!amount.is_zero(), Error::<T>::NothingToClaim);
        T::Assets::transfer(stable, &vault, who, amount, Preservation::Expendable)?;
        score.accrued = score
            .accrued
            .checked_sub(amount)
            .ok_or(Error::<T>::Overflow)?;
        UserScores::<T>::insert(who, score);
        Self::deposit_event(Event::Claimed {
            who: who.clone(),
            amount,
        });
        Ok(amount)
    }

    /// What `who` could claim now, in stable units.
    pub fn claimable(who: &T::AccountId) -> Balance {
        Self::settled_view(who)
            .map(|s| s.accrued)
            .unwrap_or_default()
    }

    /// `who`'s score so far: `Σ ∫ weight · value dt` (weight × stable units × blocks).
    pub fn score_of(who: &T::AccountId) -> u128 {
        Self::settled_view(who).map(|s| s.score).unwrap_or_default()
    }

    /// Swap fees: the jar's `fee_share` of `fee`, if the vault can receive it.
    pub(crate) fn jar_cut_of_fee(fee: Balance) -> Balance {
        use frame_support::traits::{
            fungibles::Inspect,
            tokens::{DepositConsequence, Provenance},
        };
        let cut = SharingParameters::<T>::get().fee_share.mul_floor(fee);
        if cut.is_zero()
            || T::Assets::can_deposit(
                T::StableAsset::get(),
                &Self::vault_account(),
                cut,
                Provenance::Extant,
            ) != DepositConsequence::Success
        {
            return 0;
        }
        cut
    }
}
