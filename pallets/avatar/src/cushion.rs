//! The cushion: top-ups by the assigned member and the untop before user actions.
//!
//! Amounts are in loan units (the backstop's stable asset). Rounding favours the protocol:
//! the minimum top-up rounds up.

use crate::{pallet::*, Mode};
use backstop_primitives::{BackstopMembers, Balance, LendingMarket, MarketId};
use frame_support::{ensure, storage::with_storage_layer};
use sp_arithmetic::{
    traits::{Saturating, Zero},
    Perbill,
};
use sp_runtime::{DispatchError, DispatchResult};

impl<T: Config> Pallet<T> {
    /// Returns the whole cushion to its providers: the avatar borrows it back from the market
    /// (the position must be able to carry it) and pays each provider its part.
    pub(crate) fn untop(
        market: MarketId,
        user: &T::AccountId,
        avatar: &T::AccountId,
        position: &mut PositionOf<T>,
    ) -> DispatchResult {
        let total = position.total_cushion();
        if total.is_zero() {
            return Ok(());
        }
        T::Lending::borrow(avatar, market, total, avatar)?;
        for (member, amount) in position.cushion.iter() {
            T::Members::return_to_commitment(member, *amount, avatar)?;
            Self::deposit_event(Event::Untopped {
                market,
                user: user.clone(),
                member: member.clone(),
                amount: *amount,
            });
        }
        position.cushion = Default::default();
        Cushions::<T>::try_mutate(market, |t| -> DispatchResult {
            t.returned = t.returned.checked_add(total).ok_or(Error::<T>::Overflow)?;
            Ok(())
        })
    }

    /// [`Self::untop`] if the position can carry its cushion as market debt; otherwise the
    /// cushion stays (used after actions that only add to the position).
    pub(crate) fn try_untop(
        market: MarketId,
        user: &T::AccountId,
        avatar: &T::AccountId,
        position: &mut PositionOf<T>,
    ) {
        let mut attempt = position.clone();
        let done = with_storage_layer(|| Self::untop(market, user, avatar, &mut attempt));
        if done.is_ok() {
            *position = attempt;
        }
    }

    /// The user repays `amount`: the cushion's providers first (in the order they topped
    /// up), the rest to the market (capped at the market debt). Returns what was paid.
    pub(crate) fn repay_cushion_first(
        market: MarketId,
        user: &T::AccountId,
        avatar: &T::AccountId,
        position: &mut PositionOf<T>,
        amount: Balance,
    ) -> Result<Balance, DispatchError> {
        let mut left = amount;
        let mut to_members: Balance = 0;
        let mut cushion = position.cushion.clone();
        for (member, part) in cushion.iter_mut() {
            if left.is_zero() {
                break;
            }
            let pay = left.min(*part);
            T::Members::return_to_commitment(member, pay, user)?;
            *part = part.saturating_sub(pay);
            left = left.saturating_sub(pay);
            to_members = to_members.saturating_add(pay);
            Self::deposit_event(Event::Untopped {
                market,
                user: user.clone(),
                member: member.clone(),
                amount: pay,
            });
        }
        cushion.retain(|(_, part)| !part.is_zero());
        position.cushion = cushion;
        if !to_members.is_zero() {
            Cushions::<T>::try_mutate(market, |t| -> DispatchResult {
                t.returned = t
                    .returned
                    .checked_add(to_members)
                    .ok_or(Error::<T>::Overflow)?;
                Ok(())
            })?;
        }
        let debt = T::Lending::position(market, avatar)?.borrow_assets;
        let mut repaid = 0;
        if !left.is_zero() && !debt.is_zero() {
            repaid = T::Lending::repay(user, market, avatar, left)?;
        }
        let paid = to_members.checked_add(repaid).ok_or(Error::<T>::Overflow)?;
        ensure!(!paid.is_zero(), Error::<T>::NoDebt);
        Ok(paid)
    }

    /// `member` tops up `user`'s position with `amount` of its committed liquidity.
    pub(crate) fn do_top_up(
        member: &T::AccountId,
        market: MarketId,
        user: &T::AccountId,
        amount: Balance,
    ) -> DispatchResult {
        ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
        let info = Self::market_info(market)?;
        Self::enact_due(market);
        let params = Self::params(market);
        ensure!(params.mode == Mode::Cushion, Error::<T>::NotCushionMode);
        Self::ensure_stable(&info)?;
        let avatar = Self::existing_avatar(user)?;
        let (mut position, market_position) = Self::synced(market, user, &avatar)?;
        let debt_market = market_position.borrow_assets;
        ensure!(!debt_market.is_zero(), Error::<T>::NoDebt);
        let debt = crate::functions::debt_backstop::<T>(&market_position, &position)?;

        // Inside the band: debt_backstop > collateral · price · lltv · (1 − band).
        let price = Self::collateral_price(&info)?;
        let band_ratio = info
            .lltv
            .saturating_mul(Perbill::one().saturating_sub(params.topup_band));
        let band_start = crate::functions::capacity(market_position.collateral, price, band_ratio)
            .ok_or(Error::<T>::Overflow)?;
        ensure!(debt > band_start, Error::<T>::NotInTopupBand);

        let big = debt > params.big_position;
        ensure!(
            Self::is_assigned(market, &avatar, member, big),
            Error::<T>::NotAssignedMember
        );
        ensure!(
            amount >= params.min_topup.mul_ceil(debt),
            Error::<T>::TopupTooSmall
        );
        let per_seat = debt.checked_div(Self::seats()).unwrap_or(0);
        // Saturating: a sum that overflows is above `per_seat` anyway.
        let after = position.cushion_of(member).saturating_add(amount);
        ensure!(
            after <= per_seat && amount <= debt_market,
            Error::<T>::TopupTooLarge
        );
        ensure!(
            T::Members::available_commitment(member) >= amount,
            Error::<T>::InsufficientCommitment
        );

        T::Members::draw_commitment(member, amount, &avatar)?;
        T::Lending::repay(&avatar, market, &avatar, amount)?;
        match position.cushion.iter_mut().find(|(m, _)| m == member) {
            Some((_, c)) => *c = after,
            None => position
                .cushion
                .try_push((member.clone(), amount))
                .map_err(|_| Error::<T>::TooManyProviders)?,
        }
        Cushions::<T>::try_mutate(market, |t| -> DispatchResult {
            t.paid_in = t.paid_in.checked_add(amount).ok_or(Error::<T>::Overflow)?;
            Ok(())
        })?;
        let cushion = position.total_cushion();
        Self::store(market, user, &avatar, &info, position)?;
        Self::deposit_event(Event::ToppedUp {
            market,
            user: user.clone(),
            member: member.clone(),
            amount,
            cushion,
        });
        Ok(())
    }
}
