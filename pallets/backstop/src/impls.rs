//! What pallet-backstop offers its neighbours through the traits of `backstop-primitives`:
//! the franchise's members ([`BackstopMembers`]), the pool as the liquidator of last resort
//! for avatar positions ([`BackstopPool`]), the user score ([`ScoreHook`]) and the reward jar
//! ([`RewardJar`]). Each forwards to the topic module that implements it.

use crate::{pallet::*, IncomeSource};
use alloc::vec::Vec;
use backstop_primitives::{
    Assignment, BackstopMembers, BackstopPool, Balance, MarketId, RewardJar, ScoreHook, Side,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{DispatchError, DispatchResult};

impl<T: Config> BackstopMembers<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
    fn assigned(
        market: MarketId,
        position: &T::AccountId,
    ) -> Assignment<T::AccountId, BlockNumberFor<T>> {
        Self::assignment(market, position)
    }
    fn members() -> Vec<T::AccountId> {
        Seats::<T>::get().into_iter().map(|s| s.member).collect()
    }
    fn available_commitment(member: &T::AccountId) -> Balance {
        Seats::<T>::get()
            .into_iter()
            .find(|s| s.member == *member)
            .map(|s| s.available)
            .unwrap_or_default()
    }
    fn draw_commitment(
        member: &T::AccountId,
        amount: Balance,
        to: &T::AccountId,
    ) -> DispatchResult {
        Self::do_draw_commitment(member, amount, to)
    }
    fn return_to_commitment(
        member: &T::AccountId,
        amount: Balance,
        from: &T::AccountId,
    ) -> DispatchResult {
        Self::do_return_to_commitment(member, amount, from)
    }
}

impl<T: Config> BackstopPool<T::AccountId> for Pallet<T> {
    fn account() -> T::AccountId {
        Self::account_id()
    }
    fn draw_stable(amount: Balance, to: &T::AccountId) -> DispatchResult {
        Self::draw_for_liquidation(amount, to)
    }
    fn return_stable(from: &T::AccountId, amount: Balance) -> DispatchResult {
        Self::return_from_liquidation(from, amount)
    }
    fn book_liquidation(
        caller: &T::AccountId,
        market: MarketId,
        borrower: &T::AccountId,
        paid: Balance,
        seized: Balance,
    ) -> Result<Balance, DispatchError> {
        Self::book_liquidation(caller, market, borrower, paid, seized)
    }
}

impl<T: Config> ScoreHook<T::AccountId> for Pallet<T> {
    fn on_balance_changed(user: &T::AccountId, market: MarketId, side: Side, new_balance: Balance) {
        Self::update_balance(user, market, side, new_balance, false)
    }
    fn on_outside_change(user: &T::AccountId, market: MarketId, side: Side, actual: Balance) {
        Self::update_balance(user, market, side, actual, true)
    }
}

impl<T: Config> RewardJar<T::AccountId> for Pallet<T> {
    fn user_share() -> sp_arithmetic::Perbill {
        SharingParameters::<T>::get().user_share
    }
    fn deposit_income(from: &T::AccountId, amount: Balance) -> DispatchResult {
        Self::do_deposit_income(from, amount, IncomeSource::Liquidation)
    }
}
