//! [`LiquidationPermission`] for pallet-lending: how the avatar pallet reserves the
//! liquidation of avatar positions to the backstop.
//!
//! A position that is not an avatar's may be liquidated by anyone the market allows. An
//! avatar position may be liquidated in the market only by the avatar itself, which only this
//! pallet can make happen (the account is keyless): every liquidation of an avatar position
//! goes through [`Pallet::liquidate`](crate::Pallet::liquidate) (the assigned member) or
//! [`Pallet::pool_liquidate`](crate::Pallet::pool_liquidate) (the backstop pool after the
//! members' priority) or [`Pallet::open_liquidate`](crate::Pallet::open_liquidate) (anyone,
//! after the pool's turn, while the market sees the position unhealthy), which keep the
//! cushion ledger and pay the jar. A direct liquidation in the market by anyone else, the
//! pool's own included, is refused.

use crate::pallet::*;
use backstop_primitives::{LiquidationPermission, MarketId};
use codec::Encode;
use frame_support::traits::Get;

impl<T: Config> Pallet<T> {
    /// Whether `account` is an avatar. Avatars are keyless sub-accounts of this pallet's
    /// `PalletId` (see [`Pallet::avatar_of`]), so an account whose encoding does not start
    /// with `"modl"` and the pallet id is not one, known without reading storage: a batch
    /// liquidation of ordinary positions reads no avatar storage at all.
    pub fn is_avatar(account: &T::AccountId) -> bool {
        let id = T::PalletId::get().0;
        // `"modl"` then the pallet id; an account id shorter than that holds only its start.
        let may_be = account.using_encoded(|bytes| {
            b"modl"
                .iter()
                .chain(id.iter())
                .zip(bytes)
                .all(|(want, have)| want == have)
        });
        may_be && UserOf::<T>::contains_key(account)
    }

    /// Whether the members' priority on `user`'s position in `market` is over now, so the
    /// backstop pool may liquidate it: `false` while the position is not in a liquidation
    /// episode (see [`Pallet::sync`](crate::Pallet::sync)).
    pub fn priority_passed(market: MarketId, user: &T::AccountId) -> bool {
        let Some(avatar) = AvatarOf::<T>::get(user) else {
            return false;
        };
        let window = Self::params(market).priority_window;
        Positions::<T>::get(market, user)
            .and_then(|p| p.episode)
            .is_some_and(|e| Self::priority_over(market, &avatar, e.since, window))
    }
}

impl<T: Config> LiquidationPermission<T::AccountId> for Pallet<T> {
    fn may_liquidate(
        _market: MarketId,
        borrower: &T::AccountId,
        liquidator: &T::AccountId,
    ) -> bool {
        liquidator == borrower || !Self::is_avatar(borrower)
    }
}
