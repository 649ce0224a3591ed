//! `try_state` checks of the avatar pallet.
//!
//! - Every avatar maps to one user and back: `UserOf[AvatarOf[u]] = u`, the avatar is the
//!   user's derived sub-account, and both maps have the same size.
//! - Per market, the cushions recorded on positions add up to the cushion paid in minus what
//!   was returned, what liquidations consumed and what was written off.
//! - Every position record belongs to a user with an avatar, is listed in its `MarketsOf`,
//!   and has no provider with a zero cushion.

use crate::pallet::*;
use alloc::collections::btree_map::BTreeMap;
use backstop_primitives::{Balance, MarketId};
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
    /// Checks every invariant; the first violated one is the error.
    pub fn do_try_state() -> Result<(), TryRuntimeError> {
        let mut avatars: u32 = 0;
        for (user, avatar) in AvatarOf::<T>::iter() {
            avatars = avatars.saturating_add(1);
            if UserOf::<T>::get(&avatar).as_ref() != Some(&user) {
                return Err("avatar does not map back to its user".into());
            }
            if avatar != Self::avatar_of(&user) {
                return Err("avatar is not the user's derived account".into());
            }
        }
        if u32::try_from(UserOf::<T>::iter().count()).unwrap_or(u32::MAX) != avatars {
            return Err("reverse map has avatars without a user".into());
        }

        let mut recorded: BTreeMap<MarketId, Balance> = BTreeMap::new();
        for (market, user, position) in Positions::<T>::iter() {
            if !AvatarOf::<T>::contains_key(&user) {
                return Err("position record without an avatar".into());
            }
            if !MarketsOf::<T>::get(&user).contains(&market) {
                return Err("position record not listed in MarketsOf".into());
            }
            if position.cushion.iter().any(|(_, c)| *c == 0) {
                return Err("zero cushion entry".into());
            }
            let sum = recorded.entry(market).or_default();
            *sum = sum.saturating_add(position.total_cushion());
        }
        for (market, totals) in Cushions::<T>::iter() {
            let expected = totals
                .paid_in
                .checked_sub(totals.returned)
                .and_then(|x| x.checked_sub(totals.consumed))
                .and_then(|x| x.checked_sub(totals.written_off))
                .ok_or("more cushion returned, consumed and written off than paid in")?;
            if recorded.remove(&market).unwrap_or(0) != expected {
                return Err(
                    "cushions recorded differ from paid in − returned − consumed − written off"
                        .into(),
                );
            }
        }
        if recorded.values().any(|c| *c != 0) {
            return Err("cushion recorded in a market without cushion flows".into());
        }
        Ok(())
    }
}
