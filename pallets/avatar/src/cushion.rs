//! The cushion: top-ups by the assigned member, the untop before user actions, and the
//! backstop's liquidation of avatar positions.
//!
//! Amounts are in loan units (the backstop's stable asset) unless said otherwise. Rounding
//! favours the protocol: the minimum top-up rounds up, the collateral paid to a liquidator
//! rounds down, the jar's part of the gain rounds up.

use crate::{functions::mul_div, pallet::*, Mode};
use backstop_primitives::{BackstopMembers, Balance, LendingMarket, MarketId, RewardJar};
use frame_support::{ensure, storage::with_storage_layer};
use sp_arithmetic::{
    traits::{Saturating, Zero},
    FixedPointNumber, FixedU128, Perbill, Rounding,
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
        let after = position
            .cushion_of(member)
            .checked_add(amount)
            .ok_or(Error::<T>::Overflow)?;
        ensure!(
            after <= per_seat && amount <= debt_market,
            Error::<T>::TopupTooLarge
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

    /// `member` liquidates `amount` of `user`'s `debt_backstop`: its own cushion first, then
    /// the other providers' (paid back to them), then market debt; it receives collateral
    /// worth `amount · LIF` and pays `user_share` of its gain to the jar, all from its
    /// committed liquidity.
    pub(crate) fn do_liquidate(
        member: &T::AccountId,
        market: MarketId,
        user: &T::AccountId,
        amount: Balance,
    ) -> DispatchResult {
        ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
        let info = Self::market_info(market)?;
        Self::enact_due(market);
        let params = Self::params(market);
        Self::ensure_stable(&info)?;
        let avatar = Self::existing_avatar(user)?;
        let (mut position, market_position) = Self::synced(market, user, &avatar)?;
        Self::refresh_episode(market, user, &info, &mut position, &market_position, true)?;
        let debt = crate::functions::debt_backstop::<T>(&market_position, &position)?;
        let episode = position
            .episode
            .clone()
            .ok_or(Error::<T>::PositionHealthy)?;
        ensure!(amount <= debt, Error::<T>::AmountExceedsDebt);

        let big = episode.debt_at_start > params.big_position;
        ensure!(
            Self::is_assigned(market, &avatar, member, big),
            Error::<T>::NotAssignedMember
        );
        let done_before = position.liquidated_by(member);
        let done_after = done_before
            .checked_add(amount)
            .ok_or(Error::<T>::Overflow)?;
        if big {
            let part = episode
                .debt_at_start
                .checked_div(Self::seats())
                .unwrap_or(0);
            ensure!(done_after <= part, Error::<T>::ExceedsSeatPart);
        }

        // Split: own cushion, the others' cushion (in order), market debt.
        let own_used = amount.min(position.cushion_of(member));
        let mut left = amount.saturating_sub(own_used);
        let mut others: alloc::vec::Vec<(T::AccountId, Balance)> = alloc::vec::Vec::new();
        for (provider, part) in position.cushion.iter() {
            if provider == member || left.is_zero() {
                continue;
            }
            let take = left.min(*part);
            left = left.saturating_sub(take);
            others.push((provider.clone(), take));
        }
        let others_used = others
            .iter()
            .fold(0, |s: Balance, (_, a)| s.saturating_add(*a));
        let repaid = left;
        let cushion_used = own_used.saturating_add(others_used);

        // Collateral worth amount · LIF at the oracle price, rounded down, at most all of it.
        let price = Self::collateral_price(&info)?;
        let value_with_incentive = mul_div(
            amount,
            info.lif.into_inner(),
            FixedU128::DIV,
            Rounding::Down,
        )
        .ok_or(Error::<T>::Overflow)?;
        let seized = mul_div(
            value_with_incentive,
            FixedU128::DIV,
            price.into_inner(),
            Rounding::Down,
        )
        .ok_or(Error::<T>::Overflow)?
        .min(market_position.collateral);
        let seized_value = mul_div(seized, price.into_inner(), FixedU128::DIV, Rounding::Down)
            .ok_or(Error::<T>::Overflow)?;
        let gain = seized_value.saturating_sub(amount);
        let to_jar = params.user_share.mul_ceil(gain);

        // Pay: the member's commitment covers the market debt, the others' cushion and the
        // jar's share; the avatar passes them on.
        let draw = repaid
            .checked_add(others_used)
            .and_then(|d| d.checked_add(to_jar))
            .ok_or(Error::<T>::Overflow)?;
        if !draw.is_zero() {
            T::Members::draw_commitment(member, draw, &avatar)?;
        }
        for (provider, take) in others.iter() {
            T::Members::return_to_commitment(provider, *take, &avatar)?;
        }
        if !repaid.is_zero() {
            T::Lending::repay(&avatar, market, &avatar, repaid)?;
        }
        if !seized.is_zero() {
            T::Lending::withdraw_collateral(&avatar, market, seized, member)?;
        }
        if !to_jar.is_zero() {
            T::Jar::deposit_income(&avatar, to_jar)?;
        }

        // Books: the cushion, the market totals, the member's part of the episode.
        let mut cushion = position.cushion.clone();
        for (provider, part) in cushion.iter_mut() {
            let used = if provider == member {
                own_used
            } else {
                others
                    .iter()
                    .find(|(p, _)| p == provider)
                    .map(|(_, a)| *a)
                    .unwrap_or(0)
            };
            *part = part.saturating_sub(used);
        }
        cushion.retain(|(_, part)| !part.is_zero());
        position.cushion = cushion;
        Cushions::<T>::try_mutate(market, |t| -> DispatchResult {
            t.consumed = t
                .consumed
                .checked_add(own_used)
                .ok_or(Error::<T>::Overflow)?;
            t.returned = t
                .returned
                .checked_add(others_used)
                .ok_or(Error::<T>::Overflow)?;
            Ok(())
        })?;
        if let Some(episode) = position.episode.as_mut() {
            match episode.liquidated.iter_mut().find(|(m, _)| m == member) {
                Some((_, done)) => *done = done_after,
                None => episode
                    .liquidated
                    .try_push((member.clone(), done_after))
                    .map_err(|_| Error::<T>::TooManyProviders)?,
            }
        }
        Self::store(market, user, &avatar, &info, position)?;
        Self::deposit_event(Event::Liquidated {
            market,
            user: user.clone(),
            liquidator: member.clone(),
            amount,
            cushion_used,
            repaid,
            seized,
            to_jar,
        });
        Ok(())
    }
}
