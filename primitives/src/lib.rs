//! Shared types of the Backstop chain and the traits its pallets talk through.
//!
//! Pallets never depend on each other's crates: the lending market, the avatar pallet and the
//! backstop pool meet here, and the runtime wires the concrete pallets together.
//!
//! - [`PriceOracle`]: the price of one smallest unit of an asset in smallest units of another,
//!   with the time it was last updated (consumers check staleness themselves).
//! - [`LendingMarket`]: everything a neighbour needs from an isolated lending market: market
//!   parameters, positions, health, the position-changing operations on behalf of an account,
//!   liquidation, and the liquidation index query.
//! - Hooks a lending market offers its neighbours: [`OnBadDebt`], [`LiquidationPermission`],
//!   [`OnPositionChanged`]. Each has a `()` implementation that does nothing (or allows all).
//!
//! All balances are in an asset's smallest unit; prices are `FixedU128`; times are Unix
//! milliseconds.
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]

extern crate alloc;

use alloc::vec::Vec;
use codec::{Decode, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_arithmetic::{FixedPointNumber, FixedU128, Perbill};
use sp_core::U256;
use sp_runtime::{DispatchError, DispatchResult};

/// Identifier of a fungible asset in pallet-assets (the stable asset and the collaterals).
pub type AssetId = u32;
/// Balances, in an asset's smallest unit.
pub type Balance = u128;
/// Identifier of an isolated lending market (one loan asset, one collateral asset).
pub type MarketId = u32;
/// A point in time or a duration, in milliseconds (Unix time for points in time).
pub type Moment = u64;
/// Supply or borrow shares of a lending market. Shares are an internal unit of account: a
/// position's assets are its shares times the market's assets-per-share, which grows as
/// interest accrues. Shares carry 6 more decimals than the loan asset (virtual shares).
pub type Shares = u128;

// ------------------------------------------------------------------------------------------
// Oracle
// ------------------------------------------------------------------------------------------

/// A price as an oracle reports it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct OraclePrice {
    /// Price of ONE SMALLEST UNIT of the base asset, in smallest units of the quote asset.
    pub price: FixedU128,
    /// When the price was last updated, in Unix milliseconds.
    pub updated_at: Moment,
}

impl OraclePrice {
    /// Milliseconds elapsed since the price was updated, at time `now` (Unix ms). A price
    /// stamped in the future has age zero.
    pub fn age(&self, now: Moment) -> Moment {
        now.saturating_sub(self.updated_at)
    }

    /// Whether the price is at most `max_age` milliseconds old at time `now` (Unix ms).
    pub fn is_fresh(&self, now: Moment, max_age: Moment) -> bool {
        self.age(now) <= max_age
    }
}

/// Source of asset prices for the pallets.
///
/// `price(base, quote)` is the value of one smallest unit of `base` in smallest units of
/// `quote` (so `amount_base · price` is the amount of `quote` it is worth), together with the
/// time the underlying feed was last updated. `None` when no price is known. The runtime
/// implements it over pallet-oracle's per-asset feeds, using [`cross_price`] to combine two
/// feeds quoted in a common unit and the assets' decimals.
///
/// Consumers check staleness themselves against their own `max_price_age` (see
/// [`OraclePrice::is_fresh`]).
pub trait PriceOracle<AssetId> {
    /// Price of one smallest unit of `base` in smallest units of `quote`, and when it was last
    /// updated; `None` if unknown.
    fn price(base: AssetId, quote: AssetId) -> Option<OraclePrice>;
}

/// No oracle: every price is unknown.
impl<AssetId> PriceOracle<AssetId> for () {
    fn price(_base: AssetId, _quote: AssetId) -> Option<OraclePrice> {
        None
    }
}

/// Combines two feeds quoted in a common unit (e.g. USD per WHOLE token) into the price of one
/// smallest unit of `base` in smallest units of `quote`:
///
/// `price = (base_per_token / quote_per_token) · 10^(quote_decimals − base_decimals)`.
///
/// Rounds down. `None` if `quote_per_token` is zero or the result overflows `FixedU128`.
pub fn cross_price(
    base_per_token: FixedU128,
    quote_per_token: FixedU128,
    base_decimals: u8,
    quote_decimals: u8,
) -> Option<FixedU128> {
    let ten_pow = |exp: u8| U256::from(10u8).checked_pow(U256::from(exp));
    let base = U256::from(base_per_token.into_inner());
    let quote = U256::from(quote_per_token.into_inner());
    let accuracy = U256::from(FixedU128::DIV);
    // inner = base · 10^(qd − bd) · DIV / quote, with the power moved to the divisor if negative.
    let (numerator, denominator) = if quote_decimals >= base_decimals {
        let scale = ten_pow(quote_decimals.checked_sub(base_decimals)?)?;
        (base.checked_mul(scale)?.checked_mul(accuracy)?, quote)
    } else {
        let scale = ten_pow(base_decimals.checked_sub(quote_decimals)?)?;
        (base.checked_mul(accuracy)?, quote.checked_mul(scale)?)
    };
    let inner = numerator.checked_div(denominator)?;
    (inner <= U256::from(u128::MAX)).then(|| FixedU128::from_inner(inner.low_u128()))
}

// ------------------------------------------------------------------------------------------
// Lending market
// ------------------------------------------------------------------------------------------

/// The parameters of an isolated lending market that its neighbours need.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct MarketInfo {
    /// The asset lenders supply and borrowers borrow.
    pub loan_asset: AssetId,
    /// The asset borrowers pledge as collateral.
    pub collateral_asset: AssetId,
    /// Liquidation loan-to-value: a position is healthy while
    /// `borrowed ≤ collateral · price · lltv`.
    pub lltv: Perbill,
    /// Liquidation incentive factor (≥ 1): a liquidator receives collateral worth
    /// `repaid · lif` at the oracle price.
    pub lif: FixedU128,
}

/// One account's position in one market, with interest accrued up to now.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct PositionInfo {
    /// Supply shares held.
    pub supply_shares: Shares,
    /// What the supply shares are worth, in loan-asset units (rounded down).
    pub supply_assets: Balance,
    /// Borrow shares owed.
    pub borrow_shares: Shares,
    /// What the borrow shares owe, in loan-asset units (rounded up).
    pub borrow_assets: Balance,
    /// Collateral pledged, in collateral-asset units.
    pub collateral: Balance,
}

/// Health of a position at the current oracle price.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct PositionHealth {
    /// Debt, in loan-asset units (interest accrued, rounded up).
    pub borrow_assets: Balance,
    /// `collateral · price · lltv`, in loan-asset units (rounded down): the debt the position
    /// may carry.
    pub max_borrow: Balance,
    /// Whether anyone may liquidate the position now (the market's exact liquidation test,
    /// the same one its liquidation index uses).
    pub liquidatable: bool,
}

/// What a lending market offers to the pallets built over it (the avatar pallet, the backstop
/// pool). Every operation acts on behalf of an account without a signed origin; the caller is
/// responsible for having authorised it. Errors are the market pallet's own specific errors.
///
/// Amounts are in the smallest unit of the market's loan asset (`supply`, `withdraw`,
/// `borrow`, `repay`) or collateral asset (`supply_collateral`, `withdraw_collateral`,
/// `seized_collateral`).
pub trait LendingMarket<AccountId> {
    /// The market's parameters, `None` if it does not exist.
    fn market(market: MarketId) -> Option<MarketInfo>;

    /// `who`'s position in `market` with interest accrued up to now (all zero if none).
    fn position(market: MarketId, who: &AccountId) -> Result<PositionInfo, DispatchError>;

    /// Health of `who`'s position at the current oracle price. Fails if the market is unknown
    /// or the price is missing or stale.
    fn health(market: MarketId, who: &AccountId) -> Result<PositionHealth, DispatchError>;

    /// Whether `who`'s position may be liquidated now (see [`Self::health`]).
    fn is_liquidatable(market: MarketId, who: &AccountId) -> Result<bool, DispatchError> {
        Self::health(market, who).map(|h| h.liquidatable)
    }

    /// `payer` supplies `assets` of the loan asset; `on_behalf_of` receives the supply shares.
    /// Returns the shares minted (rounded down).
    fn supply(
        payer: &AccountId,
        market: MarketId,
        on_behalf_of: &AccountId,
        assets: Balance,
    ) -> Result<Shares, DispatchError>;

    /// `owner` withdraws `assets` of the loan asset from its supply; `receiver` gets them.
    /// Returns the shares burnt (rounded up).
    fn withdraw(
        owner: &AccountId,
        market: MarketId,
        assets: Balance,
        receiver: &AccountId,
    ) -> Result<Shares, DispatchError>;

    /// `payer` pledges `amount` of the collateral asset to `on_behalf_of`'s position.
    fn supply_collateral(
        payer: &AccountId,
        market: MarketId,
        on_behalf_of: &AccountId,
        amount: Balance,
    ) -> DispatchResult;

    /// `owner` withdraws `amount` of collateral to `receiver`; the position must stay healthy.
    fn withdraw_collateral(
        owner: &AccountId,
        market: MarketId,
        amount: Balance,
        receiver: &AccountId,
    ) -> DispatchResult;

    /// `owner` borrows `assets` of the loan asset, paid to `receiver`; the position must stay
    /// healthy. Returns the borrow shares added (rounded up).
    fn borrow(
        owner: &AccountId,
        market: MarketId,
        assets: Balance,
        receiver: &AccountId,
    ) -> Result<Shares, DispatchError>;

    /// `payer` repays up to `assets` of `on_behalf_of`'s debt (capped at the whole debt).
    /// Returns the loan-asset amount actually paid.
    fn repay(
        payer: &AccountId,
        market: MarketId,
        on_behalf_of: &AccountId,
        assets: Balance,
    ) -> Result<Balance, DispatchError>;

    /// `liquidator` seizes `seized_collateral` from `borrower`'s unhealthy position and repays
    /// its value at the oracle price divided by the market's LIF. Returns
    /// `(repaid loan assets, seized collateral)`. Any debt left without collateral is realised
    /// as bad debt.
    fn liquidate(
        liquidator: &AccountId,
        market: MarketId,
        borrower: &AccountId,
        seized_collateral: Balance,
    ) -> Result<(Balance, Balance), DispatchError>;

    /// What `shares` supply shares of `market` are worth now, in loan-asset units (rounded
    /// down): the amount a withdrawal of those shares pays, liquidity permitting.
    fn supply_shares_value(market: MarketId, shares: Shares) -> Result<Balance, DispatchError>;

    /// Loan assets the market can pay out now (supplied minus borrowed).
    fn available_liquidity(market: MarketId) -> Result<Balance, DispatchError>;

    /// The positions of `market` that are liquidatable when one collateral unit is worth
    /// `price` loan-asset units, highest `borrow_shares / collateral` first, at most
    /// `max_count` of them. Exact: never misses a liquidatable position, never returns a
    /// healthy one.
    fn liquidatable_positions(
        market: MarketId,
        price: FixedU128,
        max_count: u32,
    ) -> Result<Vec<AccountId>, DispatchError>;
}

// ------------------------------------------------------------------------------------------
// Hooks
// ------------------------------------------------------------------------------------------

/// Told when a liquidation leaves a borrower without collateral but with debt: the debt is
/// realised as a loss of the market's suppliers.
pub trait OnBadDebt<AccountId> {
    /// `amount` of loan-asset units of `borrower`'s debt in `market` became bad debt.
    fn on_bad_debt(market: MarketId, borrower: &AccountId, amount: Balance);
}

impl<AccountId> OnBadDebt<AccountId> for () {
    fn on_bad_debt(_market: MarketId, _borrower: &AccountId, _amount: Balance) {}
}

/// Decides who may liquidate a position. A lending market asks it before every liquidation
/// (after checking the position is unhealthy). `()` allows everyone.
pub trait LiquidationPermission<AccountId> {
    /// Whether `liquidator` may liquidate `borrower`'s position in `market` now.
    fn may_liquidate(market: MarketId, borrower: &AccountId, liquidator: &AccountId) -> bool;
}

impl<AccountId> LiquidationPermission<AccountId> for () {
    fn may_liquidate(_market: MarketId, _borrower: &AccountId, _liquidator: &AccountId) -> bool {
        true
    }
}

/// The raw, interest-independent state of a position, as reported to [`OnPositionChanged`].
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct PositionShares {
    /// Supply shares held.
    pub supply_shares: Shares,
    /// Borrow shares owed.
    pub borrow_shares: Shares,
    /// Collateral pledged, in collateral-asset units.
    pub collateral: Balance,
}

/// Told after every change of a position (supply, withdrawal, collateral, borrow, repayment,
/// liquidation), with the position's new state.
pub trait OnPositionChanged<AccountId> {
    /// `who`'s position in `market` is now `position`.
    fn on_position_changed(market: MarketId, who: &AccountId, position: &PositionShares);
}

impl<AccountId> OnPositionChanged<AccountId> for () {
    fn on_position_changed(_market: MarketId, _who: &AccountId, _position: &PositionShares) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use sp_arithmetic::traits::{One, Zero};

    #[test]
    fn cross_price_scales_by_decimals() {
        // ETH at 3000 USD (18 decimals) in USDC at 1 USD (6 decimals): one wei is 3e-9 µUSDC.
        let p = cross_price(FixedU128::from_u32(3000), FixedU128::from_u32(1), 18, 6).unwrap();
        assert_eq!(p, FixedU128::from_rational(3, 1_000_000_000));
        // The other way round: one µUSDC is 1/3000 · 1e12 wei.
        let q = cross_price(FixedU128::from_u32(1), FixedU128::from_u32(3000), 6, 18).unwrap();
        assert_eq!(
            q,
            FixedU128::from_inner(333_333_333_333_333_333_333_333_333)
        );
        // Same decimals: a plain ratio.
        let r = cross_price(FixedU128::from_u32(2), FixedU128::from_u32(4), 6, 6).unwrap();
        assert_eq!(r, FixedU128::from_rational(1, 2));
    }

    #[test]
    fn cross_price_rejects_zero_quote_and_overflow() {
        assert_eq!(cross_price(FixedU128::one(), FixedU128::zero(), 6, 6), None);
        assert_eq!(
            cross_price(FixedU128::from_u32(1_000_000), FixedU128::one(), 0, 38),
            None
        );
    }

    #[test]
    fn price_age_and_freshness() {
        let p = OraclePrice {
            price: FixedU128::one(),
            updated_at: 1_000,
        };
        assert_eq!(p.age(4_000), 3_000);
        assert!(p.is_fresh(4_000, 3_000));
        assert!(!p.is_fresh(4_001, 3_000));
        // A price from the future is fresh (age zero).
        assert_eq!(p.age(500), 0);
    }

    #[test]
    fn unit_hooks_do_the_neutral_thing() {
        assert!(<() as LiquidationPermission<u64>>::may_liquidate(0, &1, &2));
        assert_eq!(<() as PriceOracle<AssetId>>::price(1, 2), None);
    }
}
