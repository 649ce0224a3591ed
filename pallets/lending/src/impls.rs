//! [`LendingMarket`] for the pallet: what the avatar pallet and the backstop pool use.
//!
//! Each operation runs in its own storage layer, so a failure changes nothing even when the
//! caller is not itself transactional.

use crate::{math, pallet::*};
use alloc::vec::Vec;
use backstop_primitives::{
    Balance, BatchLiquidation, LendingMarket, MarketId, MarketInfo, PositionHealth, PositionInfo,
    Shares,
};
use frame_support::storage::with_storage_layer;
use sp_arithmetic::FixedU128;
use sp_runtime::{DispatchError, DispatchResult};

impl<T: Config> Pallet<T> {
    /// Decimals of `asset` as recorded when the first market with it was created; `None` if
    /// no market lends it or takes it as collateral.
    pub fn asset_decimals(asset: backstop_primitives::AssetId) -> Option<u8> {
        AssetDecimals::<T>::get(asset)
    }

    /// `who`'s position in `id` valued with interest accrued to now.
    pub fn position_info(id: MarketId, who: &T::AccountId) -> Result<PositionInfo, DispatchError> {
        let market = Self::view_accrued(id)?;
        let position = Positions::<T>::get(id, who);
        let overflow = || DispatchError::from(Error::<T>::Overflow);
        Ok(PositionInfo {
            supply_shares: position.supply_shares,
            supply_assets: math::to_assets_down(
                position.supply_shares,
                market.total_supply_assets,
                market.total_supply_shares,
            )
            .ok_or_else(overflow)?,
            borrow_shares: position.borrow_shares,
            borrow_assets: math::to_assets_up(
                position.borrow_shares,
                market.total_borrow_assets,
                market.total_borrow_shares,
            )
            .ok_or_else(overflow)?,
            collateral: position.collateral,
        })
    }

    /// Health of `who`'s position in `id` at the current oracle price.
    pub fn position_health(
        id: MarketId,
        who: &T::AccountId,
    ) -> Result<PositionHealth, DispatchError> {
        let market = Self::view_accrued(id)?;
        let price = Self::collateral_price(&market)?;
        let position = Positions::<T>::get(id, who);
        let borrow_assets = math::to_assets_up(
            position.borrow_shares,
            market.total_borrow_assets,
            market.total_borrow_shares,
        )
        .ok_or(Error::<T>::Overflow)?;
        let liquidatable = math::LiquidationThreshold::new(
            price,
            market.lltv,
            market.total_borrow_assets,
            market.total_borrow_shares,
        )
        .and_then(|threshold| threshold.is_exceeded_by(position.borrow_shares, position.collateral))
        .ok_or(Error::<T>::Overflow)?;
        Ok(PositionHealth {
            borrow_assets,
            max_borrow: math::max_borrow(position.collateral, price, market.lltv),
            liquidatable,
        })
    }
}

impl<T: Config> LendingMarket<T::AccountId> for Pallet<T> {
    fn market(market: MarketId) -> Option<MarketInfo> {
        Markets::<T>::get(market).map(|m| m.info())
    }

    fn position(market: MarketId, who: &T::AccountId) -> Result<PositionInfo, DispatchError> {
        Self::position_info(market, who)
    }

    fn health(market: MarketId, who: &T::AccountId) -> Result<PositionHealth, DispatchError> {
        Self::position_health(market, who)
    }

    fn supply(
        payer: &T::AccountId,
        market: MarketId,
        on_behalf_of: &T::AccountId,
        assets: Balance,
    ) -> Result<Shares, DispatchError> {
        with_storage_layer(|| Self::do_supply(payer, market, on_behalf_of, assets))
    }

    fn withdraw(
        owner: &T::AccountId,
        market: MarketId,
        assets: Balance,
        receiver: &T::AccountId,
    ) -> Result<Shares, DispatchError> {
        with_storage_layer(|| Self::do_withdraw(owner, market, assets, receiver))
    }

    fn supply_collateral(
        payer: &T::AccountId,
        market: MarketId,
        on_behalf_of: &T::AccountId,
        amount: Balance,
    ) -> DispatchResult {
        with_storage_layer(|| Self::do_supply_collateral(payer, market, on_behalf_of, amount))
    }

    fn withdraw_collateral(
        owner: &T::AccountId,
        market: MarketId,
        amount: Balance,
        receiver: &T::AccountId,
    ) -> DispatchResult {
        with_storage_layer(|| Self::do_withdraw_collateral(owner, market, amount, receiver))
    }

    fn borrow(
        owner: &T::AccountId,
        market: MarketId,
        assets: Balance,
        receiver: &T::AccountId,
    ) -> Result<Shares, DispatchError> {
        with_storage_layer(|| Self::do_borrow(owner, market, assets, receiver))
    }

    fn repay(
        payer: &T::AccountId,
        market: MarketId,
        on_behalf_of: &T::AccountId,
        assets: Balance,
    ) -> Result<Balance, DispatchError> {
        with_storage_layer(|| Self::do_repay(payer, market, on_behalf_of, assets))
    }

    fn liquidation_repayment(
        market: MarketId,
        seized_collateral: Balance,
    ) -> Result<Balance, DispatchError> {
        let state = Self::view_accrued(market)?;
        let price = Self::collateral_price(&state)?;
        Self::repayment_for(&state, price, seized_collateral).map(|(_, assets)| assets)
    }

    fn liquidate(
        liquidator: &T::AccountId,
        market: MarketId,
        borrower: &T::AccountId,
        seized_collateral: Balance,
    ) -> Result<(Balance, Balance), DispatchError> {
        with_storage_layer(|| Self::do_liquidate(liquidator, market, borrower, seized_collateral))
            .map(|done| (done.repaid_assets, done.seized))
    }

    fn liquidate_many(
        liquidator: &T::AccountId,
        market: MarketId,
        borrowers: &[T::AccountId],
        budget: Balance,
    ) -> Result<BatchLiquidation<T::AccountId>, DispatchError> {
        with_storage_layer(|| Self::do_liquidate_many(liquidator, market, borrowers, budget))
    }

    fn supply_shares_value(market: MarketId, shares: Shares) -> Result<Balance, DispatchError> {
        let market = Self::view_accrued(market)?;
        math::to_assets_down(
            shares,
            market.total_supply_assets,
            market.total_supply_shares,
        )
        .ok_or_else(|| Error::<T>::Overflow.into())
    }

    fn available_liquidity(market: MarketId) -> Result<Balance, DispatchError> {
        Self::view_accrued(market).map(|m| m.liquidity())
    }

    fn liquidatable_positions(
        market: MarketId,
        price: FixedU128,
        max_count: u32,
    ) -> Result<Vec<T::AccountId>, DispatchError> {
        Pallet::<T>::liquidatable_positions(market, price, max_count)
    }

    fn liquidatable_positions_within(
        market: MarketId,
        price: FixedU128,
        max_count: u32,
        max_visits: u32,
    ) -> Result<Vec<T::AccountId>, DispatchError> {
        Pallet::<T>::liquidatable_positions_within(market, price, max_count, max_visits)
    }

    fn liquidatable_positions_for(
        market: MarketId,
        price: FixedU128,
        liquidator: &T::AccountId,
        max_count: u32,
        max_visits: u32,
    ) -> Result<Vec<T::AccountId>, DispatchError> {
        Pallet::<T>::liquidatable_positions_for(market, price, liquidator, max_count, max_visits)
    }
}
