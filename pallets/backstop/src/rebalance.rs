//! Oracle-priced rebalancing: the pool sells collateral back to the stable asset on the
//! chain's DEX, but only at a price the oracle vouches for.
//!
//! The pool's own curve ([`crate::curve`]) sells collateral to arbitrageurs at a discount. When
//! nobody buys — in a crash, exactly when the pool keeps receiving collateral and needs stable
//! for the next liquidations — the pool sells on the DEX itself:
//!
//! - **Trigger.** Only while the collateral's share of the pool's value is above
//!   [`RebalanceParams::trigger`]; a sale brings it down to [`RebalanceParams::target`] at
//!   most (never more than the asset held, and never leaving the pool's account with dust).
//! - **Price bound.** The sale must pay at least the oracle value of what is sold less
//!   [`RebalanceParams::max_slippage`] (rounded up: the bound favours the pool). The DEX is
//!   quoted first; when its quote is below the bound, the size is halved (at most
//!   [`MAX_HALVINGS`] times: a thin DEX gets a smaller sale, a manipulated one gets none).
//!   The swap itself carries the bound as its minimum out, so a DEX that moved between the
//!   quote and the swap fails the sale and nothing changes. A rebalance can therefore lower
//!   the pool's value (at the oracle price) by at most `max_slippage` of what it sells.
//! - **Who.** The block's idle time does it by itself after the lending rebalance and before
//!   the sweep (so the sweep can pay with the proceeds in the same block); governance may
//!   also call [`rebalance`](crate::Pallet::rebalance) for a given asset and amount. Nobody
//!   else can: a permissionless call would let anyone sandwich the pool's sale within one
//!   block (push the DEX down, sell, push it back), taking up to `max_slippage` at no risk.
//! - **Stale prices** stop it: the pool's value needs every collateral's fresh price.
//!
//! The DEX is reached through [`CollateralDex`], which the runtime implements with
//! pallet-asset-conversion (`runtime/src/configs/defi.rs`).
use crate::weights::WeightInfo as _;
use crate::{pallet::*, pool::value_at, Collaterals};
use backstop_primitives::{AssetId, Balance};
use frame_support::{pallet_prelude::*, weights::Weight};
use sp_arithmetic::{traits::Saturating, FixedPointNumber, FixedU128, Perbill, Rounding};
use sp_runtime::traits::Zero;

/// Most times a rebalance halves its sale to find a size the DEX pays within the bound.
pub const MAX_HALVINGS: u32 = 8;

/// A DEX the pool can sell collateral on. `()` is no DEX (nothing is ever sold).
pub trait CollateralDex<AccountId> {
    /// What selling exactly `amount_in` of `asset_in` for `asset_out` pays now, fees
    /// included; `None` without a pool for the pair (or without liquidity).
    fn quote(asset_in: AssetId, asset_out: AssetId, amount_in: Balance) -> Option<Balance>;

    /// Sells exactly `amount_in` of `asset_in` held by `who` for at least `min_out` of
    /// `asset_out`, paid to `who`; returns what it paid. Atomic: on error nothing moved.
    fn sell(
        who: &AccountId,
        asset_in: AssetId,
        asset_out: AssetId,
        amount_in: Balance,
        min_out: Balance,
    ) -> Result<Balance, DispatchError>;

    /// The weight of one [`Self::sell`] plus up to `MAX_HALVINGS + 1` [`Self::quote`]s.
    fn sell_weight() -> Weight;
}

impl<AccountId> CollateralDex<AccountId> for () {
    fn quote(_: AssetId, _: AssetId, _: Balance) -> Option<Balance> {
        None
    }
    fn sell(
        _: &AccountId,
        _: AssetId,
        _: AssetId,
        _: Balance,
        _: Balance,
    ) -> Result<Balance, DispatchError> {
        Err(DispatchError::Other("no DEX"))
    }
    fn sell_weight() -> Weight {
        Weight::zero()
    }
}

/// When and how the pool sells collateral on the DEX (one storage value, set by governance).
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    Debug,
    Encode,
    Decode,
    DecodeWithMemTracking,
    MaxEncodedLen,
    TypeInfo,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct RebalanceParams {
    /// Collateral share of the pool's value above which the pool sells; above zero.
    /// 100 % turns rebalancing off (the share never exceeds it).
    pub trigger: Perbill,
    /// Collateral share a rebalance sells down to; at most `trigger`.
    pub target: Perbill,
    /// Most the DEX's price may fall short of the oracle's, as a fraction of the oracle value
    /// of what is sold; at most [`RebalanceParams::MAX_SLIPPAGE`].
    pub max_slippage: Perbill,
}

impl RebalanceParams {
    /// Largest accepted `max_slippage`: 10 %.
    pub const MAX_SLIPPAGE: Perbill = Perbill::from_percent(10);

    /// The first field out of its bounds, if any.
    pub fn validate(&self) -> Result<(), RebalanceParamError> {
        if self.trigger.is_zero() {
            return Err(RebalanceParamError::Trigger);
        }
        if self.target > self.trigger {
            return Err(RebalanceParamError::Target);
        }
        if self.max_slippage > Self::MAX_SLIPPAGE {
            return Err(RebalanceParamError::Slippage);
        }
        Ok(())
    }
}

impl Default for RebalanceParams {
    /// Sell when collateral is above half the pool, down to a quarter, within 1 % of the
    /// oracle price.
    fn default() -> Self {
        Self {
            trigger: Perbill::from_percent(50),
            target: Perbill::from_percent(25),
            max_slippage: Perbill::from_percent(1),
        }
    }
}

/// Which rebalance parameter is out of bounds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RebalanceParamError {
    /// `trigger` is zero.
    Trigger,
    /// `target` above `trigger`.
    Target,
    /// `max_slippage` above 10 %.
    Slippage,
}

/// A sale the DEX pays within the bound: `amount` of `asset` for at least `min_out` stable,
/// worth `oracle_value` stable at the oracle price.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct SalePlan {
    pub asset: AssetId,
    pub amount: Balance,
    pub oracle_value: Balance,
    pub min_out: Balance,
}

impl<T: Config> Pallet<T> {
    /// The sale a rebalance would make now: of `asset` (or, with `None`, of the collateral
    /// the pool holds most value of), at most `max_amount`, bringing the collateral share down
    /// to the target, sized so the DEX's quote meets the price bound.
    pub fn rebalance_plan(
        asset: Option<AssetId>,
        max_amount: Balance,
    ) -> Result<SalePlan, DispatchError> {
        ensure!(!max_amount.is_zero(), Error::<T>::ZeroAmount);
        let params = RebalanceParameters::<T>::get();
        let collaterals = Collaterals::<T>::get();
        ensure!(!collaterals.is_empty(), Error::<T>::UnknownCollateral);
        // Every collateral's value at its oracle price, and the chosen one.
        let mut collateral_value: Balance = 0;
        let mut chosen: Option<(AssetId, Balance, FixedU128, Balance)> = None;
        for (id, held) in collaterals.iter() {
            let price = Self::fresh_price(*id)?;
            let worth = value_at(*held, price, Rounding::Down).ok_or(Error::<T>::Overflow)?;
            collateral_value = collateral_value
                .checked_add(worth)
                .ok_or(Error::<T>::Overflow)?;
            let better = match (asset, chosen) {
                (Some(wanted), _) => wanted == *id,
                (None, None) => true,
                (None, Some((_, _, _, best))) => worth > best,
            };
            if better {
                chosen = Some((*id, *held, price, worth));
            }
        }
        let (asset, held, price, worth) = chosen.ok_or(Error::<T>::UnknownCollateral)?;
        // The pool's value rounded down, as `pool_value` computes it, from the prices read
        // above (each read once).
        let value = Self::total_stable()?
            .checked_add(collateral_value)
            .ok_or(Error::<T>::Overflow)?;
        ensure!(
            collateral_value > params.trigger.mul_floor(value),
            Error::<T>::RebalanceNotNeeded
        );
        // Value to sell: down to the target share, at most what this asset is worth.
        let excess = collateral_value.saturating_sub(params.target.mul_ceil(value));
        let sell_value = excess.min(worth);
        let mut amount = backstop_primitives::mul_div(
            sell_value,
            FixedU128::DIV,
            price.into_inner(),
            Rounding::Down,
        )
        .ok_or(Error::<T>::Overflow)?
        .min(held)
        .min(max_amount);
        amount = Self::payable_without_dust(asset, &Self::account_id(), amount);
        let stable = T::StableAsset::get();
        for _ in 0..=MAX_HALVINGS {
            ensure!(!amount.is_zero(), Error::<T>::RebalanceTooSmall);
            let oracle_value = value_at(amount, price, Rounding::Up).ok_or(Error::<T>::Overflow)?;
            let min_out = Perbill::one()
                .saturating_sub(params.max_slippage)
                .mul_ceil(oracle_value);
            if !min_out.is_zero()
                && T::Dex::quote(asset, stable, amount).is_some_and(|out| out >= min_out)
            {
                return Ok(SalePlan {
                    asset,
                    amount,
                    oracle_value,
                    min_out,
                });
            }
            amount /= 2;
        }
        Err(Error::<T>::DexPriceOutOfBounds.into())
    }

    /// Plans and makes the sale (see [`Self::rebalance_plan`]); returns the stable received.
    pub(crate) fn do_rebalance(
        asset: Option<AssetId>,
        max_amount: Balance,
    ) -> Result<Balance, DispatchError> {
        let plan = Self::rebalance_plan(asset, max_amount)?;
        let pool = Self::account_id();
        let stable = T::StableAsset::get();
        let received = T::Dex::sell(&pool, plan.asset, stable, plan.amount, plan.min_out)?;
        // The DEX enforces `min_out`; a DEX that did not is refused here (all undone).
        ensure!(received >= plan.min_out, Error::<T>::DexPriceOutOfBounds);
        Self::take_collateral(plan.asset, plan.amount)?;
        StableReserve::<T>::try_mutate(|s| -> DispatchResult {
            *s = s.checked_add(received).ok_or(Error::<T>::Overflow)?;
            Ok(())
        })?;
        Self::deposit_event(Event::Rebalanced {
            asset: plan.asset,
            sold: plan.amount,
            received,
            oracle_value: plan.oracle_value,
        });
        Ok(received)
    }

    /// The weight of one rebalance: the pool's valuation and books (as a pool swap, which
    /// reads and writes the same) plus the DEX's sale and quotes.
    pub fn rebalance_weight() -> Weight {
        T::WeightInfo::swap(0).saturating_add(T::Dex::sell_weight())
    }

    /// The idle-time rebalance: sells on the DEX if the collateral share calls for it and the
    /// DEX pays within the bound (in its own storage layer: a failure leaves nothing). A DEX
    /// out of the bound is reported with [`Event::RebalanceRefused`]. Returns the weight
    /// used (nothing if `remaining` cannot hold a rebalance).
    pub(crate) fn rebalance_idle(remaining: Weight) -> Weight {
        let weight = Self::rebalance_weight();
        if remaining.any_lt(weight) {
            return Weight::zero();
        }
        let result =
            frame_support::storage::with_storage_layer(|| Self::do_rebalance(None, Balance::MAX));
        if let Err(error) = result {
            if error == Error::<T>::DexPriceOutOfBounds.into() {
                Self::deposit_event(Event::RebalanceRefused { error });
            }
        }
        weight
    }
}
