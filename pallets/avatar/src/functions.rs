//! Avatars, the sync with the market, the backstop's health tests and the forwarded user
//! actions.
//!
//! Every call runs in the dispatchable's storage layer: a call that fails part-way changes
//! nothing.

use crate::{pallet::*, Episode, Mode};
use backstop_primitives::{
    value_at, AssetId, BackstopMembers, Balance, LendingMarket, MarketId, MarketInfo, PositionInfo,
    PositionShares, ScoreHook, Side,
};
use frame_support::{
    ensure,
    pallet_prelude::Get,
    traits::{
        fungibles::Inspect,
        tokens::{Fortitude, Preservation},
        UnixTime,
    },
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_arithmetic::{
    traits::{Saturating, Zero},
    FixedU128, Perbill, Rounding,
};
use sp_runtime::{
    traits::{AccountIdConversion, BlakeTwo256, Hash},
    DispatchError, DispatchResult,
};

/// `collateral · price · ratio` in loan units, rounded down: the debt a position may carry at
/// `ratio` (rounding down makes the backstop's tests stricter, in the protocol's favour).
pub(crate) fn capacity(collateral: Balance, price: FixedU128, ratio: Perbill) -> Option<Balance> {
    Some(ratio.mul_floor(value_at(collateral, price, Rounding::Down)?))
}

/// `debt_market + cushion` of a position, in loan units.
pub(crate) fn debt_backstop<T: Config>(
    info: &PositionInfo,
    position: &PositionOf<T>,
) -> Result<Balance, DispatchError> {
    info.borrow_assets
        .checked_add(position.total_cushion())
        .ok_or_else(|| Error::<T>::Overflow.into())
}

impl<T: Config> Pallet<T> {
    /// `user`'s avatar account: the keyless `PalletId` sub-account of
    /// `blake2_256(("avatar", user))`. Hashing first keeps every byte of the user's id in the
    /// part that survives truncation to the account id's length (with 32-byte ids, 20 bytes
    /// of the hash follow `"modl"` and the pallet id).
    pub fn avatar_of(user: &T::AccountId) -> T::AccountId {
        let entropy = BlakeTwo256::hash_of(&(b"avatar", user));
        T::PalletId::get().into_sub_account_truncating(entropy.0)
    }

    /// `user`'s avatar, created (with a provider reference, so it may hold any asset) on
    /// first use.
    pub(crate) fn ensure_avatar(user: &T::AccountId) -> Result<T::AccountId, DispatchError> {
        if let Some(avatar) = AvatarOf::<T>::get(user) {
            return Ok(avatar);
        }
        let avatar = Self::avatar_of(user);
        // Two users' truncated hashes could in principle meet: refuse rather than share.
        ensure!(
            !UserOf::<T>::contains_key(&avatar),
            Error::<T>::AvatarCollision
        );
        frame_system::Pallet::<T>::inc_providers(&avatar);
        AvatarOf::<T>::insert(user, &avatar);
        UserOf::<T>::insert(&avatar, user);
        Self::deposit_event(Event::AvatarCreated {
            user: user.clone(),
            avatar: avatar.clone(),
        });
        Ok(avatar)
    }

    /// `user`'s existing avatar.
    pub(crate) fn existing_avatar(user: &T::AccountId) -> Result<T::AccountId, DispatchError> {
        AvatarOf::<T>::get(user).ok_or_else(|| Error::<T>::NoAvatar.into())
    }

    /// Now, in Unix milliseconds.
    pub(crate) fn now_ms() -> u64 {
        u64::try_from(T::Time::now().as_millis()).unwrap_or(u64::MAX)
    }

    /// The current block.
    pub(crate) fn now_block() -> BlockNumberFor<T> {
        frame_system::Pallet::<T>::block_number()
    }

    /// The market's parameters, or `UnknownMarket`.
    pub(crate) fn market_info(market: MarketId) -> Result<MarketInfo, DispatchError> {
        T::Lending::market(market).ok_or_else(|| Error::<T>::UnknownMarket.into())
    }

    /// The oracle price of one collateral unit in loan units: present, non-zero and at most
    /// `MaxPriceAge` old.
    pub(crate) fn collateral_price(info: &MarketInfo) -> Result<FixedU128, DispatchError> {
        backstop_primitives::fresh_price::<T::Oracle>(
            info.collateral_asset,
            info.loan_asset,
            Self::now_ms(),
            T::MaxPriceAge::get(),
        )
        .map_err(|refusal| match refusal {
            backstop_primitives::PriceRefusal::Missing => Error::<T>::PriceUnavailable.into(),
            backstop_primitives::PriceRefusal::Stale => Error::<T>::PriceStale.into(),
        })
    }

    /// The ratio of collateral value the backstop lets a position's `debt_backstop` reach
    /// before it may liquidate: `lltv` in cushion mode, `lltv − margin` in margin mode.
    pub(crate) fn liquidation_ratio(info: &MarketInfo, market: MarketId) -> Perbill {
        let params = Self::params(market);
        match params.mode {
            Mode::Cushion => info.lltv,
            Mode::Margin => info.lltv.saturating_sub(params.margin),
        }
    }

    /// Whether `debt` against `collateral` is liquidatable by the backstop's rule at the
    /// current price (no debt: never, and no price needed).
    pub(crate) fn is_liquidatable(
        info: &MarketInfo,
        market: MarketId,
        debt: Balance,
        collateral: Balance,
    ) -> Result<bool, DispatchError> {
        if debt.is_zero() {
            return Ok(false);
        }
        let price = Self::collateral_price(info)?;
        let limit = capacity(collateral, price, Self::liquidation_ratio(info, market))
            .ok_or(Error::<T>::Overflow)?;
        Ok(debt > limit)
    }

    /// `user`'s `debt_backstop` in `market`, in loan units (zero without an avatar).
    pub fn debt_backstop(market: MarketId, user: &T::AccountId) -> Result<Balance, DispatchError> {
        let Some(avatar) = AvatarOf::<T>::get(user) else {
            return Ok(0);
        };
        let info = T::Lending::position(market, &avatar)?;
        let position = Positions::<T>::get(market, user).unwrap_or_default();
        debt_backstop::<T>(&info, &position)
    }

    /// Loads `user`'s record in `market` and compares it with the market: a difference in
    /// shares is a change made outside the avatar, reported to the score (a loss of
    /// collateral is a liquidation in the market: an ordinary change; anything else:
    /// `on_outside_change`, which slashes). Returns the record (with the market's state as
    /// `recorded`, not yet written) and the market position.
    pub(crate) fn synced(
        market: MarketId,
        user: &T::AccountId,
        avatar: &T::AccountId,
    ) -> Result<(PositionOf<T>, PositionInfo), DispatchError> {
        let mut position = Positions::<T>::get(market, user).unwrap_or_default();
        let info = T::Lending::position(market, avatar)?;
        let actual = shares_of(&info);
        let recorded = position.recorded;
        if actual != recorded {
            let liquidation = actual.collateral < recorded.collateral;
            let debt = debt_backstop::<T>(&info, &position)?;
            let sides = [
                (
                    Side::Supply,
                    recorded.supply_shares != actual.supply_shares,
                    info.supply_assets,
                ),
                (
                    Side::Collateral,
                    recorded.collateral != actual.collateral,
                    info.collateral,
                ),
                (
                    Side::Debt,
                    recorded.borrow_shares != actual.borrow_shares,
                    debt,
                ),
            ];
            for (side, changed, balance) in sides {
                if liquidation {
                    T::Score::on_balance_changed(user, market, side, balance);
                } else if changed {
                    T::Score::on_outside_change(user, market, side, balance);
                }
            }
            Self::deposit_event(Event::OutsideChange {
                market,
                user: user.clone(),
                recorded: recorded.into(),
                actual: actual.into(),
                liquidation,
            });
            position.recorded = actual;
        }
        Ok((position, info))
    }

    /// Starts the position's liquidation episode if it is liquidatable by the backstop's
    /// rule and none is running; ends it if it is not. With `strict` a missing or stale
    /// price is an error; without, the episode is left as it is.
    pub(crate) fn refresh_episode(
        market: MarketId,
        user: &T::AccountId,
        info: &MarketInfo,
        position: &mut PositionOf<T>,
        market_position: &PositionInfo,
        strict: bool,
    ) -> DispatchResult {
        let debt = debt_backstop::<T>(market_position, position)?;
        let liquidatable =
            match Self::is_liquidatable(info, market, debt, market_position.collateral) {
                Ok(l) => l,
                Err(e) if strict => return Err(e),
                Err(_) => return Ok(()),
            };
        match (&position.episode, liquidatable) {
            (None, true) => {
                let since = Self::now_block();
                position.episode = Some(Episode {
                    since,
                    debt_at_start: debt,
                    liquidated: Default::default(),
                });
                Self::deposit_event(Event::EpisodeStarted {
                    market,
                    user: user.clone(),
                    since,
                    debt,
                });
            }
            (Some(_), false) => {
                position.episode = None;
                Self::deposit_event(Event::EpisodeEnded {
                    market,
                    user: user.clone(),
                });
            }
            _ => {}
        }
        Ok(())
    }

    /// Writes `position` after a change made through the avatar: records the market's state
    /// (so the next sync sees no outside change), refreshes the episode and reports the new
    /// balances to the score.
    pub(crate) fn store(
        market: MarketId,
        user: &T::AccountId,
        avatar: &T::AccountId,
        info: &MarketInfo,
        mut position: PositionOf<T>,
    ) -> DispatchResult {
        let market_position = T::Lending::position(market, avatar)?;
        position.recorded = shares_of(&market_position);
        Self::write_off_stranded_cushion(market, user, &market_position, &mut position)?;
        Self::refresh_episode(market, user, info, &mut position, &market_position, false)?;
        let debt = debt_backstop::<T>(&market_position, &position)?;
        T::Score::on_balance_changed(user, market, Side::Supply, market_position.supply_assets);
        T::Score::on_balance_changed(user, market, Side::Collateral, market_position.collateral);
        T::Score::on_balance_changed(user, market, Side::Debt, debt);
        Self::track_market(user, market)?;
        Positions::<T>::insert(market, user, position);
        Ok(())
    }

    /// A cushion on a position with no collateral and no market debt can never be repaid (a
    /// liquidation took all the collateral): it is written off, the providers' loss.
    fn write_off_stranded_cushion(
        market: MarketId,
        user: &T::AccountId,
        market_position: &PositionInfo,
        position: &mut PositionOf<T>,
    ) -> DispatchResult {
        let total = position.total_cushion();
        if total.is_zero()
            || !market_position.collateral.is_zero()
            || !market_position.borrow_shares.is_zero()
        {
            return Ok(());
        }
        for (member, amount) in position.cushion.iter() {
            Self::deposit_event(Event::CushionWrittenOff {
                market,
                user: user.clone(),
                member: member.clone(),
                amount: *amount,
            });
        }
        position.cushion = Default::default();
        Cushions::<T>::try_mutate(market, |t| -> DispatchResult {
            t.written_off = t
                .written_off
                .checked_add(total)
                .ok_or(Error::<T>::Overflow)?;
            Ok(())
        })
    }

    /// Adds `market` to the markets `user`'s avatar has a record in.
    fn track_market(user: &T::AccountId, market: MarketId) -> DispatchResult {
        MarketsOf::<T>::try_mutate(user, |markets| -> DispatchResult {
            if !markets.contains(&market) {
                markets
                    .try_push(market)
                    .map_err(|_| Error::<T>::TooManyMarkets)?;
            }
            Ok(())
        })
    }

    /// Margin mode: fails with `MarginExceeded` if `debt_backstop` exceeds
    /// `collateral · price · (lltv − margin)`.
    pub(crate) fn ensure_within_margin(
        market: MarketId,
        info: &MarketInfo,
        avatar: &T::AccountId,
        position: &PositionOf<T>,
    ) -> DispatchResult {
        if Self::params(market).mode != Mode::Margin {
            return Ok(());
        }
        let market_position = T::Lending::position(market, avatar)?;
        let debt = debt_backstop::<T>(&market_position, position)?;
        let over = Self::is_liquidatable(info, market, debt, market_position.collateral)?;
        ensure!(!over, Error::<T>::MarginExceeded);
        Ok(())
    }

    /// A user action forwarded to the market as the avatar, after the sync and the untop.
    pub(crate) fn do_user_action(
        user: &T::AccountId,
        market: MarketId,
        action: UserAction,
        amount: Balance,
    ) -> DispatchResult {
        ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
        let info = Self::market_info(market)?;
        match action {
            UserAction::Supply => Self::ensure_can_pay(user, info.loan_asset, amount)?,
            UserAction::SupplyCollateral => {
                Self::ensure_can_pay(user, info.collateral_asset, amount)?
            }
            _ => {}
        }
        Self::enact_due(market);
        let avatar = Self::ensure_avatar(user)?;
        let (mut position, market_position) = Self::synced(market, user, &avatar)?;
        let done = match action {
            UserAction::Supply => {
                T::Lending::supply(user, market, &avatar, amount)?;
                Self::try_untop(market, user, &avatar, &mut position);
                amount
            }
            UserAction::SupplyCollateral => {
                T::Lending::supply_collateral(user, market, &avatar, amount)?;
                Self::try_untop(market, user, &avatar, &mut position);
                amount
            }
            UserAction::Borrow => {
                Self::untop(market, user, &avatar, &mut position)?;
                T::Lending::borrow(&avatar, market, amount, user)?;
                Self::ensure_within_margin(market, &info, &avatar, &position)?;
                amount
            }
            UserAction::Repay => {
                // What the repayment takes (at most the whole `debt_backstop`), checked before
                // any transfer: the providers are paid first, from the user.
                let due = amount.min(debt_backstop::<T>(&market_position, &position)?);
                Self::ensure_can_pay(user, info.loan_asset, due)?;
                Self::repay_cushion_first(market, user, &avatar, &mut position, amount)?
            }
            UserAction::Withdraw => {
                Self::untop(market, user, &avatar, &mut position)?;
                T::Lending::withdraw(&avatar, market, amount, user)?;
                amount
            }
            UserAction::WithdrawCollateral => {
                Self::untop(market, user, &avatar, &mut position)?;
                T::Lending::withdraw_collateral(&avatar, market, amount, user)?;
                Self::ensure_within_margin(market, &info, &avatar, &position)?;
                amount
            }
        };
        Self::store(market, user, &avatar, &info, position)?;
        Self::deposit_event(Event::Forwarded {
            user: user.clone(),
            market,
            action,
            amount: done,
        });
        Ok(())
    }

    /// The permissionless sync: outside changes and the liquidation episode (needs a fresh
    /// price).
    pub(crate) fn do_sync(market: MarketId, user: &T::AccountId) -> DispatchResult {
        let info = Self::market_info(market)?;
        Self::enact_due(market);
        let avatar = Self::existing_avatar(user)?;
        let known = Positions::<T>::contains_key(market, user);
        let (mut position, market_position) = Self::synced(market, user, &avatar)?;
        // Nothing to sync where the avatar has no record and the market no position: a sync
        // must not create records (anyone may call it, for any user and market).
        ensure!(
            known || shares_of(&market_position) != PositionShares::default(),
            Error::<T>::NoPosition
        );
        Self::refresh_episode(market, user, &info, &mut position, &market_position, true)?;
        if !known {
            // A position opened in the market on the avatar's behalf from outside.
            Self::track_market(user, market)?;
        }
        Positions::<T>::insert(market, user, position);
        Ok(())
    }

    /// Repays the whole `debt_backstop` of `user`'s position in `market` as it stands in
    /// this block (interest accrued), cushion first.
    pub(crate) fn do_repay_all(user: &T::AccountId, market: MarketId) -> DispatchResult {
        Self::market_info(market)?;
        Self::existing_avatar(user)?;
        let debt = Self::debt_backstop(market, user)?;
        ensure!(!debt.is_zero(), Error::<T>::NoDebt);
        Self::do_user_action(user, market, UserAction::Repay, debt)
    }

    /// Fails with `InsufficientBalance` unless `who` can pay `amount` of `asset` (checked
    /// before any transfer, so the caller gets this pallet's error, not the asset pallet's).
    fn ensure_can_pay(who: &T::AccountId, asset: AssetId, amount: Balance) -> DispatchResult {
        let spendable =
            T::Assets::reducible_balance(asset, who, Preservation::Expendable, Fortitude::Polite);
        ensure!(spendable >= amount, Error::<T>::InsufficientBalance);
        Ok(())
    }

    /// Closes `user`'s avatar: every position must be free of debt and cushion; remaining
    /// supply and collateral are paid to the user.
    pub(crate) fn do_leave(user: &T::AccountId) -> DispatchResult {
        let avatar = Self::existing_avatar(user)?;
        for market in MarketsOf::<T>::get(user) {
            let (position, info) = Self::synced(market, user, &avatar)?;
            ensure!(position.total_cushion().is_zero(), Error::<T>::HasCushion);
            ensure!(info.borrow_shares.is_zero(), Error::<T>::HasDebt);
            if !info.supply_assets.is_zero() {
                T::Lending::withdraw(&avatar, market, info.supply_assets, user)?;
            }
            if !info.collateral.is_zero() {
                T::Lending::withdraw_collateral(&avatar, market, info.collateral, user)?;
            }
            T::Score::on_balance_changed(user, market, Side::Supply, 0);
            T::Score::on_balance_changed(user, market, Side::Collateral, 0);
            T::Score::on_balance_changed(user, market, Side::Debt, 0);
            Positions::<T>::remove(market, user);
        }
        MarketsOf::<T>::remove(user);
        frame_system::Pallet::<T>::dec_providers(&avatar).map_err(|_| Error::<T>::AvatarInUse)?;
        AvatarOf::<T>::remove(user);
        UserOf::<T>::remove(&avatar);
        Self::deposit_event(Event::AvatarClosed {
            user: user.clone(),
            avatar,
        });
        Ok(())
    }

    /// Whether `who` may act for the backstop on `avatar`'s position now: the assigned
    /// member, or (for a big position) any member.
    pub(crate) fn is_assigned(
        market: MarketId,
        avatar: &T::AccountId,
        who: &T::AccountId,
        big: bool,
    ) -> bool {
        if big {
            return T::Members::members().contains(who);
        }
        matches!(
            T::Members::assigned(market, avatar).assignee,
            backstop_primitives::Assignee::Member(ref m) if m == who
        )
    }

    /// The number of franchise seats (at least 1).
    pub(crate) fn seats() -> u128 {
        u128::try_from(T::Members::members().len())
            .unwrap_or(u128::MAX)
            .max(1)
    }

    /// The loan asset of a market must be the backstop's stable asset.
    pub(crate) fn ensure_stable(info: &MarketInfo) -> DispatchResult {
        ensure!(
            info.loan_asset == <T::StableAsset as Get<AssetId>>::get(),
            Error::<T>::NotStableMarket
        );
        Ok(())
    }
}

/// The share state of a market position.
pub(crate) fn shares_of(info: &PositionInfo) -> PositionShares {
    PositionShares {
        supply_shares: info.supply_shares,
        borrow_shares: info.borrow_shares,
        collateral: info.collateral,
    }
}
