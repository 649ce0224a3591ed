//! The market operations behind the calls and the [`LendingMarket`] implementation: market
//! creation, interest accrual, prices, supply, withdrawal, collateral, borrowing, repayment.
//!
//! Every operation checks everything before it moves assets or writes storage, so a failing
//! operation changes nothing even outside a transactional layer.
//!
//! [`LendingMarket`]: backstop_primitives::LendingMarket

use crate::{math, pallet::*, JumpRateModel, Market, Position};
use backstop_primitives::{AssetId, Balance, MarketId, Moment, OnPositionChanged, Shares};
use frame_support::{
    ensure,
    traits::{
        fungibles::{self, Inspect, Mutate},
        tokens::{Fortitude, Preservation},
        Get, UnixTime,
    },
};
use sp_arithmetic::{traits::Zero, FixedU128, Perbill};
use sp_runtime::{traits::AccountIdConversion, DispatchError, DispatchResult};

/// Smallest `lltv` governance may set.
pub const MIN_LLTV: Perbill = Perbill::from_percent(1);
/// Largest `lltv` governance may set.
pub const MAX_LLTV: Perbill = Perbill::from_percent(99);

impl<T: Config> Pallet<T> {
    /// The account that holds every market's assets.
    pub fn account_id() -> T::AccountId {
        T::PalletId::get().into_account_truncating()
    }

    /// Now, in Unix milliseconds.
    pub fn now_ms() -> Moment {
        u64::try_from(T::Time::now().as_millis()).unwrap_or(Moment::MAX)
    }

    /// Creates a market after checking its parameters; returns its id.
    pub(crate) fn do_create_market(
        loan_asset: AssetId,
        collateral_asset: AssetId,
        lltv: Perbill,
        irm: JumpRateModel,
    ) -> Result<MarketId, DispatchError> {
        Self::create_market_at(loan_asset, collateral_asset, lltv, irm, Self::now_ms())
    }

    /// Creates a market whose interest starts accruing at `now` (Unix ms).
    pub(crate) fn create_market_at(
        loan_asset: AssetId,
        collateral_asset: AssetId,
        lltv: Perbill,
        irm: JumpRateModel,
        now: Moment,
    ) -> Result<MarketId, DispatchError> {
        ensure!(loan_asset != collateral_asset, Error::<T>::SameAsset);
        ensure!(
            T::Assets::asset_exists(loan_asset) && T::Assets::asset_exists(collateral_asset),
            Error::<T>::UnknownAsset
        );
        ensure!(
            (MIN_LLTV..=MAX_LLTV).contains(&lltv),
            Error::<T>::LltvOutOfBounds
        );
        ensure!(irm.is_within_bounds(), Error::<T>::RateModelOutOfBounds);
        let id = NextMarketId::<T>::get();
        ensure!(id < T::MaxMarkets::get(), Error::<T>::TooManyMarkets);
        let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;

        // Every check passed: freeze the decimals of assets no market registered before.
        for asset in [loan_asset, collateral_asset] {
            if !AssetDecimals::<T>::contains_key(asset) {
                let decimals =
                    <T::Assets as fungibles::metadata::Inspect<T::AccountId>>::decimals(asset);
                AssetDecimals::<T>::insert(asset, decimals);
            }
        }

        if id == 0 {
            // The pallet account must exist to receive assets that are not sufficient; it holds
            // funds for as long as the chain lives, so this provider is never released.
            frame_system::Pallet::<T>::inc_providers(&Self::account_id());
        }
        let lif = math::liquidation_incentive_factor(lltv);
        Markets::<T>::insert(
            id,
            Market {
                loan_asset,
                collateral_asset,
                lltv,
                lif,
                irm,
                total_supply_assets: 0,
                total_supply_shares: 0,
                total_borrow_assets: 0,
                total_borrow_shares: 0,
                last_update: now,
            },
        );
        NextMarketId::<T>::put(next);
        Self::deposit_event(Event::MarketCreated {
            market: id,
            loan_asset,
            collateral_asset,
            lltv,
            lif,
            irm,
        });
        Ok(id)
    }

    /// `market` with interest accrued to `now`, and the interest and rate applied (not
    /// written).
    pub(crate) fn accrued(
        mut market: Market,
        now: Moment,
    ) -> Result<(Market, Balance, FixedU128), DispatchError> {
        let elapsed = now.saturating_sub(market.last_update);
        if elapsed == 0 {
            return Ok((market, 0, FixedU128::zero()));
        }
        let rate = market.irm.borrow_rate(math::utilisation(
            market.total_borrow_assets,
            market.total_supply_assets,
        ));
        let interest = math::accrued_interest(market.total_borrow_assets, rate, elapsed)
            .ok_or(Error::<T>::Overflow)?;
        market.total_borrow_assets = market
            .total_borrow_assets
            .checked_add(interest)
            .ok_or(Error::<T>::Overflow)?;
        market.total_supply_assets = market
            .total_supply_assets
            .checked_add(interest)
            .ok_or(Error::<T>::Overflow)?;
        market.last_update = now;
        Ok((market, interest, rate))
    }

    /// Loads `id` and accrues its interest to now (emitting `InterestAccrued`); the caller
    /// writes the market back.
    pub(crate) fn load_accrued(id: MarketId) -> Result<Market, DispatchError> {
        let market = Markets::<T>::get(id).ok_or(Error::<T>::UnknownMarket)?;
        let (market, interest, rate) = Self::accrued(market, Self::now_ms())?;
        if !interest.is_zero() {
            Self::deposit_event(Event::InterestAccrued {
                market: id,
                rate,
                interest,
            });
        }
        Ok(market)
    }

    /// `id` with interest accrued to now, for read-only queries.
    pub(crate) fn view_accrued(id: MarketId) -> Result<Market, DispatchError> {
        let market = Markets::<T>::get(id).ok_or(Error::<T>::UnknownMarket)?;
        Self::accrued(market, Self::now_ms()).map(|(market, _, _)| market)
    }

    /// The oracle price of one collateral unit in loan units; fails if missing, zero or older
    /// than `MaxPriceAge`.
    pub(crate) fn collateral_price(market: &Market) -> Result<FixedU128, DispatchError> {
        backstop_primitives::fresh_price::<T::Oracle>(
            market.collateral_asset,
            market.loan_asset,
            Self::now_ms(),
            T::MaxPriceAge::get(),
        )
        .map_err(|refusal| match refusal {
            backstop_primitives::PriceRefusal::Missing => Error::<T>::PriceUnavailable.into(),
            backstop_primitives::PriceRefusal::Stale => Error::<T>::PriceStale.into(),
        })
    }

    /// Fails with `InsufficientCollateral` unless `position` passes the strict health test
    /// (debt rounded up ≤ collateral · price · lltv rounded down). Needs no price without debt.
    pub(crate) fn ensure_healthy(market: &Market, position: &Position) -> DispatchResult {
        if position.borrow_shares == 0 {
            return Ok(());
        }
        let price = Self::collateral_price(market)?;
        let healthy = math::is_healthy_strict(
            position.borrow_shares,
            position.collateral,
            price,
            market.lltv,
            market.total_borrow_assets,
            market.total_borrow_shares,
        )
        .ok_or(Error::<T>::Overflow)?;
        ensure!(healthy, Error::<T>::InsufficientCollateral);
        Ok(())
    }

    /// Writes `position` (removing it when empty), re-indexes it if its debt or collateral may
    /// have changed, and tells `T::OnPositionChanged`.
    pub(crate) fn store_position(
        market: MarketId,
        who: &T::AccountId,
        position: &Position,
        reindex: bool,
    ) -> DispatchResult {
        if reindex {
            Self::index_update(market, who, position)?;
        }
        if position.is_empty() {
            Positions::<T>::remove(market, who);
        } else {
            Positions::<T>::insert(market, who, position);
        }
        T::OnPositionChanged::on_position_changed(market, who, &position.shares());
        Ok(())
    }

    /// Fails with `InsufficientBalance` unless `payer` can pay `amount` of `asset` (what it
    /// may transfer without being kept alive): checked before any arithmetic on the amount
    /// and before any transfer, so pallet-assets' `Token` and `Arithmetic` errors never reach
    /// the caller for an amount it does not hold.
    pub(crate) fn ensure_can_pay(
        payer: &T::AccountId,
        asset: AssetId,
        amount: Balance,
    ) -> DispatchResult {
        let payable =
            T::Assets::reducible_balance(asset, payer, Preservation::Expendable, Fortitude::Polite);
        ensure!(amount <= payable, Error::<T>::InsufficientBalance);
        Ok(())
    }

    /// `payer` supplies `assets` for `on_behalf_of`; returns the shares minted.
    pub(crate) fn do_supply(
        payer: &T::AccountId,
        id: MarketId,
        on_behalf_of: &T::AccountId,
        assets: Balance,
    ) -> Result<Shares, DispatchError> {
        ensure!(!assets.is_zero(), Error::<T>::ZeroAmount);
        let mut market = Self::load_accrued(id)?;
        Self::ensure_can_pay(payer, market.loan_asset, assets)?;
        let shares = math::to_shares_down(
            assets,
            market.total_supply_assets,
            market.total_supply_shares,
        )
        .ok_or(Error::<T>::Overflow)?;
        ensure!(!shares.is_zero(), Error::<T>::ZeroShares);
        let mut position = Positions::<T>::get(id, on_behalf_of);
        position.supply_shares = position
            .supply_shares
            .checked_add(shares)
            .ok_or(Error::<T>::Overflow)?;
        market.total_supply_shares = market
            .total_supply_shares
            .checked_add(shares)
            .ok_or(Error::<T>::Overflow)?;
        market.total_supply_assets = market
            .total_supply_assets
            .checked_add(assets)
            .ok_or(Error::<T>::Overflow)?;

        T::Assets::transfer(
            market.loan_asset,
            payer,
            &Self::account_id(),
            assets,
            Preservation::Expendable,
        )?;
        Markets::<T>::insert(id, market);
        Self::store_position(id, on_behalf_of, &position, false)?;
        Self::deposit_event(Event::Supplied {
            market: id,
            payer: payer.clone(),
            on_behalf_of: on_behalf_of.clone(),
            assets,
            shares,
        });
        Ok(shares)
    }

    /// `owner` withdraws `assets` of its supply to `receiver`; returns the shares burnt.
    pub(crate) fn do_withdraw(
        owner: &T::AccountId,
        id: MarketId,
        assets: Balance,
        receiver: &T::AccountId,
    ) -> Result<Shares, DispatchError> {
        ensure!(!assets.is_zero(), Error::<T>::ZeroAmount);
        let mut market = Self::load_accrued(id)?;
        // No one's supply exceeds the market's: named before the share conversion, which
        // would overflow for amounts near `u128::MAX`.
        ensure!(
            assets <= market.total_supply_assets,
            Error::<T>::SupplyExceeded
        );
        let shares = math::to_shares_up(
            assets,
            market.total_supply_assets,
            market.total_supply_shares,
        )
        .ok_or(Error::<T>::Overflow)?;
        let mut position = Positions::<T>::get(id, owner);
        position.supply_shares = position
            .supply_shares
            .checked_sub(shares)
            .ok_or(Error::<T>::SupplyExceeded)?;
        market.total_supply_shares = market
            .total_supply_shares
            .checked_sub(shares)
            .ok_or(Error::<T>::SupplyExceeded)?;
        market.total_supply_assets = market
            .total_supply_assets
            .checked_sub(assets)
            .ok_or(Error::<T>::InsufficientLiquidity)?;
        ensure!(
            market.total_borrow_assets <= market.total_supply_assets,
            Error::<T>::InsufficientLiquidity
        );

        T::Assets::transfer(
            market.loan_asset,
            &Self::account_id(),
            receiver,
            assets,
            Preservation::Expendable,
        )?;
        Markets::<T>::insert(id, market);
        Self::store_position(id, owner, &position, false)?;
        Self::deposit_event(Event::Withdrawn {
            market: id,
            owner: owner.clone(),
            receiver: receiver.clone(),
            assets,
            shares,
        });
        Ok(shares)
    }

    /// `payer` pledges `amount` of collateral to `on_behalf_of`'s position.
    pub(crate) fn do_supply_collateral(
        payer: &T::AccountId,
        id: MarketId,
        on_behalf_of: &T::AccountId,
        amount: Balance,
    ) -> DispatchResult {
        ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
        let market = Markets::<T>::get(id).ok_or(Error::<T>::UnknownMarket)?;
        Self::ensure_can_pay(payer, market.collateral_asset, amount)?;
        let mut position = Positions::<T>::get(id, on_behalf_of);
        position.collateral = position
            .collateral
            .checked_add(amount)
            .ok_or(Error::<T>::Overflow)?;

        T::Assets::transfer(
            market.collateral_asset,
            payer,
            &Self::account_id(),
            amount,
            Preservation::Expendable,
        )?;
        Self::store_position(id, on_behalf_of, &position, true)?;
        Self::deposit_event(Event::CollateralSupplied {
            market: id,
            payer: payer.clone(),
            on_behalf_of: on_behalf_of.clone(),
            amount,
        });
        Ok(())
    }

    /// `owner` withdraws `amount` of collateral to `receiver`, staying healthy.
    pub(crate) fn do_withdraw_collateral(
        owner: &T::AccountId,
        id: MarketId,
        amount: Balance,
        receiver: &T::AccountId,
    ) -> DispatchResult {
        ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
        let market = Self::load_accrued(id)?;
        let mut position = Positions::<T>::get(id, owner);
        position.collateral = position
            .collateral
            .checked_sub(amount)
            .ok_or(Error::<T>::CollateralExceeded)?;
        Self::ensure_healthy(&market, &position)?;

        T::Assets::transfer(
            market.collateral_asset,
            &Self::account_id(),
            receiver,
            amount,
            Preservation::Expendable,
        )?;
        Markets::<T>::insert(id, market);
        Self::store_position(id, owner, &position, true)?;
        Self::deposit_event(Event::CollateralWithdrawn {
            market: id,
            owner: owner.clone(),
            receiver: receiver.clone(),
            amount,
        });
        Ok(())
    }

    /// `owner` borrows `assets`, paid to `receiver`, staying healthy; returns the shares owed.
    pub(crate) fn do_borrow(
        owner: &T::AccountId,
        id: MarketId,
        assets: Balance,
        receiver: &T::AccountId,
    ) -> Result<Shares, DispatchError> {
        ensure!(!assets.is_zero(), Error::<T>::ZeroAmount);
        let mut market = Self::load_accrued(id)?;
        // Named before the share conversion, which would overflow for amounts near
        // `u128::MAX`.
        ensure!(
            assets
                <= market
                    .total_supply_assets
                    .saturating_sub(market.total_borrow_assets),
            Error::<T>::InsufficientLiquidity
        );
        let shares = math::to_shares_up(
            assets,
            market.total_borrow_assets,
            market.total_borrow_shares,
        )
        .ok_or(Error::<T>::Overflow)?;
        let mut position = Positions::<T>::get(id, owner);
        position.borrow_shares = position
            .borrow_shares
            .checked_add(shares)
            .ok_or(Error::<T>::Overflow)?;
        market.total_borrow_shares = market
            .total_borrow_shares
            .checked_add(shares)
            .ok_or(Error::<T>::Overflow)?;
        market.total_borrow_assets = market
            .total_borrow_assets
            .checked_add(assets)
            .ok_or(Error::<T>::Overflow)?;
        ensure!(
            market.total_borrow_assets <= market.total_supply_assets,
            Error::<T>::InsufficientLiquidity
        );
        Self::ensure_healthy(&market, &position)?;

        T::Assets::transfer(
            market.loan_asset,
            &Self::account_id(),
            receiver,
            assets,
            Preservation::Expendable,
        )?;
        Markets::<T>::insert(id, market);
        Self::store_position(id, owner, &position, true)?;
        Self::deposit_event(Event::Borrowed {
            market: id,
            owner: owner.clone(),
            receiver: receiver.clone(),
            assets,
            shares,
        });
        Ok(shares)
    }

    /// `payer` repays up to `assets` of `on_behalf_of`'s debt; returns the amount paid.
    pub(crate) fn do_repay(
        payer: &T::AccountId,
        id: MarketId,
        on_behalf_of: &T::AccountId,
        assets: Balance,
    ) -> Result<Balance, DispatchError> {
        ensure!(!assets.is_zero(), Error::<T>::ZeroAmount);
        let mut market = Self::load_accrued(id)?;
        let mut position = Positions::<T>::get(id, on_behalf_of);
        ensure!(
            !position.borrow_shares.is_zero(),
            Error::<T>::NothingToRepay
        );
        let debt = math::to_assets_up(
            position.borrow_shares,
            market.total_borrow_assets,
            market.total_borrow_shares,
        )
        .ok_or(Error::<T>::Overflow)?;
        let (paid, shares) = if assets >= debt {
            (debt, position.borrow_shares)
        } else {
            let shares = math::to_shares_down(
                assets,
                market.total_borrow_assets,
                market.total_borrow_shares,
            )
            .ok_or(Error::<T>::Overflow)?;
            (assets, shares)
        };
        ensure!(!shares.is_zero(), Error::<T>::ZeroShares);
        // Only what is actually paid (the debt, when more is offered) must be covered.
        Self::ensure_can_pay(payer, market.loan_asset, paid)?;
        position.borrow_shares = position
            .borrow_shares
            .checked_sub(shares)
            .ok_or(Error::<T>::Overflow)?;
        market.total_borrow_shares = market
            .total_borrow_shares
            .checked_sub(shares)
            .ok_or(Error::<T>::Overflow)?;
        // The debt rounded up may exceed the total by rounding dust: floor at zero.
        market.total_borrow_assets = market.total_borrow_assets.saturating_sub(paid);

        T::Assets::transfer(
            market.loan_asset,
            payer,
            &Self::account_id(),
            paid,
            Preservation::Expendable,
        )?;
        Markets::<T>::insert(id, market);
        Self::store_position(id, on_behalf_of, &position, true)?;
        Self::deposit_event(Event::Repaid {
            market: id,
            payer: payer.clone(),
            on_behalf_of: on_behalf_of.clone(),
            assets: paid,
            shares,
        });
        Ok(paid)
    }
}
