//! [`LiquidationPermission`] for pallet-lending: how the avatar pallet reserves the
//! liquidation of avatar positions to the backstop.
//!
//! A position that is not an avatar's may be liquidated by anyone the market allows. An
//! avatar position may be liquidated directly in the market only by the backstop pool
//! ([`Config::PoolAccount`]) and only once the member's priority is over: the franchise
//! assigns the position to the pool, or `priority_window` blocks have passed since the
//! backstop first saw the position liquidatable. Members liquidate through
//! [`Pallet::liquidate`](crate::Pallet::liquidate), which keeps the cushion ledger; anyone
//! else is refused.

use crate::pallet::*;
use backstop_primitives::{Assignee, BackstopMembers, LiquidationPermission, MarketId};
use frame_support::pallet_prelude::Get;
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
    /// Whether the member's priority on `user`'s position (avatar `avatar`) is over now.
    pub fn priority_passed(market: MarketId, user: &T::AccountId, avatar: &T::AccountId) -> bool {
        if T::Members::assigned(market, avatar).assignee == Assignee::Pool {
            return true;
        }
        let window = Self::params(market).priority_window;
        Positions::<T>::get(market, user)
            .and_then(|p| p.episode)
            .is_some_and(|e| e.since.saturating_add(window.into()) <= Self::now_block())
    }
}

impl<T: Config> LiquidationPermission<T::AccountId> for Pallet<T> {
    fn may_liquidate(market: MarketId, borrower: &T::AccountId, liquidator: &T::AccountId) -> bool {
        let Some(user) = UserOf::<T>::get(borrower) else {
            return true;
        };
        *liquidator == T::PoolAccount::get() && Self::priority_passed(market, &user, borrower)
    }
}
