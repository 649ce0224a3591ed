//! Governance parameters per market: bounded, changes that affect open positions announced
//! and applied after [`Config::ParamsDelay`] blocks.
//!
//! An announced change becomes the market's parameters at its activation block: every read
//! ([`Pallet::params`]) sees it from then on, and the first call that touches the market
//! writes it ([`Pallet::enact_due`], which emits `ParamsUpdated`).

use crate::{pallet::*, AvatarParams, PendingParams};
use backstop_primitives::{MarketId, Privilege, Tightening};
use frame_support::{ensure, pallet_prelude::Get};
use sp_runtime::{traits::Saturating, DispatchResult};

impl<T: Config> Pallet<T> {
    /// The parameters in force in `market` now (an announced change counts from its
    /// activation block).
    pub fn params(market: MarketId) -> AvatarParams {
        match Pending::<T>::get(market) {
            Some(pending) if pending.activation <= Self::now_block() => pending.params,
            _ => Params::<T>::get(market),
        }
    }

    /// Writes an announced change whose activation block has come.
    pub(crate) fn enact_due(market: MarketId) {
        if let Some(pending) = Pending::<T>::get(market) {
            if pending.activation <= Self::now_block() {
                let old = Params::<T>::get(market);
                Params::<T>::insert(market, pending.params);
                Pending::<T>::remove(market);
                Self::deposit_event(Event::ParamsUpdated {
                    market,
                    old,
                    new: pending.params,
                });
            }
        }
    }

    /// Sets `market`'s parameters: at once if only `min_topup`/`user_share` change, else
    /// announced for `now + ParamsDelay`. A new change replaces an announced one. With
    /// [`Privilege::TightenOnly`], `params` must be at least as safe as the parameters in
    /// force in every field (an announced change it replaces is not compared).
    pub(crate) fn do_set_params(
        market: MarketId,
        params: AvatarParams,
        privilege: Privilege,
    ) -> DispatchResult {
        let info = Self::market_info(market)?;
        params.validate().map_err(Error::<T>::from)?;
        ensure!(params.margin < info.lltv, Error::<T>::MarginOutOfBounds);
        ensure!(
            privilege == Privilege::Full || Self::params(market).tightened_by(&params),
            Error::<T>::EmergencyCannotLoosen
        );
        Self::enact_due(market);
        let old = Params::<T>::get(market);
        Pending::<T>::remove(market);
        if old.affects_open_positions(&params) {
            let activation = Self::now_block().saturating_add(T::ParamsDelay::get());
            Pending::<T>::insert(market, PendingParams { params, activation });
            Self::deposit_event(Event::ParamsScheduled {
                market,
                old,
                params,
                activation,
            });
        } else {
            Params::<T>::insert(market, params);
            Self::deposit_event(Event::ParamsUpdated {
                market,
                old,
                new: params,
            });
        }
        Ok(())
    }
}
