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
//! - What the backstop offers the avatar pallet: [`BackstopMembers`] (who may act on a
//!   position now, the members' committed liquidity), [`BackstopPool`] (the pool as the
//!   liquidator of last resort), [`ScoreHook`] (balance changes and slashing for the user
//!   score) and [`RewardJar`] (the users' share of liquidation gains).
//! - Governance: [`Privilege`] (full, or tighten-only for the emergency origin), [`Safer`]
//!   and [`Tightening`], which every pallet's parameters implement.
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
use sp_arithmetic::{
    helpers_128bit::multiply_by_rational_with_rounding, FixedPointNumber, FixedU128, Perbill,
    Rounding,
};
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

/// Why a price cannot be used (see [`fresh_price`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PriceRefusal {
    /// The oracle has no price for the pair, or a zero one.
    Missing,
    /// The price is older than the consumer accepts.
    Stale,
}

/// The one freshness rule every pallet applies to an oracle price: the price of one smallest
/// unit of `base` in smallest units of `quote` from `O`, if it is known, non-zero and at most
/// `max_age` milliseconds old at `now` (Unix ms). Each pallet maps the refusal to its own
/// error.
pub fn fresh_price<O: PriceOracle<AssetId>>(
    base: AssetId,
    quote: AssetId,
    now: Moment,
    max_age: Moment,
) -> Result<FixedU128, PriceRefusal> {
    let found = O::price(base, quote).ok_or(PriceRefusal::Missing)?;
    if found.price.into_inner() == 0 {
        return Err(PriceRefusal::Missing);
    }
    if !found.is_fresh(now, max_age) {
        return Err(PriceRefusal::Stale);
    }
    Ok(found.price)
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

/// `a · b / c` in 256-bit intermediate precision, rounded as asked; `None` on a zero divisor
/// or if the result does not fit `u128`. Every pallet's fixed-point conversions go through it.
pub fn mul_div(a: u128, b: u128, c: u128, rounding: Rounding) -> Option<u128> {
    if c == 0 {
        return None;
    }
    multiply_by_rational_with_rounding(a, b, c, rounding)
}

/// What `amount` smallest units are worth at `price` (see [`PriceOracle`]), in smallest units
/// of the quote asset, rounded as asked; `None` on overflow.
pub fn value_at(amount: Balance, price: FixedU128, rounding: Rounding) -> Option<Balance> {
    mul_div(amount, price.into_inner(), FixedU128::DIV, rounding)
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

    /// The loan-asset amount a liquidation seizing `seized_collateral` in `market` would repay
    /// now (exactly what [`Self::liquidate`] charges in the same block), changing nothing.
    fn liquidation_repayment(
        market: MarketId,
        seized_collateral: Balance,
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

    /// `liquidator` liquidates, in one pass, every position of `borrowers` in `market` that is
    /// liquidatable now, each in full: it seizes the collateral worth the whole debt times
    /// the LIF (all the collateral if that is less; the rest of the debt becomes bad debt)
    /// and repays what the seized collateral is worth divided by the LIF. The market, its
    /// interest, the price and the threshold are read once for the batch; the liquidator pays
    /// once for the batch and receives the collateral once. A position that cannot be
    /// liquidated is skipped with the reason, never failing the batch; the batch stops
    /// taking positions once their repayments would exceed `budget` (loan units). Fails only
    /// for batch-wide reasons (unknown market, missing or stale price), changing nothing.
    fn liquidate_many(
        liquidator: &AccountId,
        market: MarketId,
        borrowers: &[AccountId],
        budget: Balance,
    ) -> Result<BatchLiquidation<AccountId>, DispatchError>;

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

    /// [`Self::liquidatable_positions`] visiting at most `max_visits` index entries (a bounded
    /// walk for callers with a weight budget; may return fewer than exist, never a healthy
    /// one), whoever may liquidate them.
    fn liquidatable_positions_within(
        market: MarketId,
        price: FixedU128,
        max_count: u32,
        max_visits: u32,
    ) -> Result<Vec<AccountId>, DispatchError>;

    /// [`Self::liquidatable_positions`] that `liquidator` may liquidate (the market's
    /// liquidation permission), visiting at most `max_visits` index entries: a bounded walk
    /// for callers with a weight budget. May return fewer than exist; never a healthy one.
    fn liquidatable_positions_for(
        market: MarketId,
        price: FixedU128,
        liquidator: &AccountId,
        max_count: u32,
        max_visits: u32,
    ) -> Result<Vec<AccountId>, DispatchError>;
}

/// Why a batch liquidation left a position alone.
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    Debug,
    Encode,
    Decode,
    codec::DecodeWithMemTracking,
    MaxEncodedLen,
    TypeInfo,
)]
pub enum SkipReason {
    /// The position has no debt (never borrowed, repaid, or liquidated already).
    NoDebt,
    /// The position is healthy at the oracle price.
    Healthy,
    /// The market's liquidation permission reserves the position to someone else (an
    /// avatar's position, which the pool liquidates through the avatar pallet).
    NotPermitted,
    /// Its repayment would take the batch past what the liquidator can pay.
    OverBudget,
    /// Its seizure is below the collateral's minimum balance and the liquidator holds none of
    /// that collateral: the asset pallet would refuse to pay it (dust; anyone may take it
    /// with the market's own liquidation).
    Dust,
}

/// What a batch liquidation ([`LendingMarket::liquidate_many`]) did.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct BatchLiquidation<AccountId> {
    /// The positions liquidated, in batch order, with the loan units repaid and the
    /// collateral seized for each.
    pub liquidated: Vec<(AccountId, Balance, Balance)>,
    /// The positions left alone, in batch order, and why.
    pub skipped: Vec<(AccountId, SkipReason)>,
    /// Loan units the liquidator paid for the whole batch.
    pub repaid: Balance,
    /// Collateral units the liquidator received for the whole batch.
    pub seized: Balance,
}

impl<AccountId> Default for BatchLiquidation<AccountId> {
    fn default() -> Self {
        Self {
            liquidated: Vec::new(),
            skipped: Vec::new(),
            repaid: 0,
            seized: 0,
        }
    }
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

// ------------------------------------------------------------------------------------------
// Backstop franchise, score and reward jar (implemented by pallet-backstop)
// ------------------------------------------------------------------------------------------

/// Who may act on a position during the current assignment window.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub enum Assignee<AccountId> {
    /// A franchise member (the holder of the seat the position hashes to this window).
    Member(AccountId),
    /// The backstop pool, the member of last resort: no seat was sold for this epoch, or every
    /// member's committed liquidity is exhausted.
    Pool,
}

/// The answer to "who may act on this position now" (see [`BackstopMembers::assigned`]).
///
/// Times are block numbers. A franchise epoch is cut into windows of equal length counted
/// from the epoch's first block; the position's seat for a window is
/// `hash(market, position, window) mod seats`, skipping members whose committed liquidity is
/// exhausted. The assigned member alone may act during the window's first `priority` blocks
/// (up to `priority_end`); after that the pool may act as well. The avatar pallet combines this
/// with its per-market liquidation clock: the pool may liquidate an avatar position once the
/// position has been liquidatable for the market's priority window *and* the current window's
/// priority has passed (so a member that just rotated in is never pre-empted at once), or at
/// once when the assignee is [`Assignee::Pool`].
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Assignment<AccountId, BlockNumber> {
    /// The member assigned to the position for this window, or the pool.
    pub assignee: Assignee<AccountId>,
    /// Index of the window within the franchise epoch (0 for the epoch's first window).
    pub window: u32,
    /// First block of the window.
    pub window_start: BlockNumber,
    /// First block after the window (the next window, or the next epoch, starts here).
    pub window_end: BlockNumber,
    /// First block at which the assigned member's priority is over and the pool may act.
    pub priority_end: BlockNumber,
    /// Whether the current block is at or after `priority_end`.
    pub priority_passed: bool,
}

/// The franchise as the avatar pallet sees it: who may act on a position now, and the
/// members' committed liquidity that top-ups and member liquidations are paid from.
///
/// Amounts are in smallest units of the backstop's stable asset. The committed liquidity is
/// held by the backstop pallet; `draw_commitment` pays out of it and `return_to_commitment`
/// pays back into it (a cushion repaid by the user, with whatever it earned). A member whose
/// available commitment is zero is skipped by [`Self::assigned`].
pub trait BackstopMembers<AccountId, BlockNumber> {
    /// Who may act on `position` (an avatar account) in `market` now, and the window's times.
    fn assigned(market: MarketId, position: &AccountId) -> Assignment<AccountId, BlockNumber>;

    /// The members of the current franchise, in seat order (empty if no seat was sold).
    fn members() -> Vec<AccountId>;

    /// The committed liquidity `member` has left in the current franchise (zero for a
    /// non-member), in stable units.
    fn available_commitment(member: &AccountId) -> Balance;

    /// Pays `amount` of `member`'s committed liquidity to `to` (e.g. the account that repays
    /// a position's debt for a top-up). Fails, changing nothing, if `member` holds no seat in
    /// the current franchise or has less than `amount` available.
    fn draw_commitment(member: &AccountId, amount: Balance, to: &AccountId) -> DispatchResult;

    /// `from` pays `amount` back to `member`'s committed liquidity (an untopped cushion, with
    /// what it earned). If `member` no longer holds a seat (its franchise ended), the amount
    /// is paid to `member` directly.
    fn return_to_commitment(
        member: &AccountId,
        amount: Balance,
        from: &AccountId,
    ) -> DispatchResult;
}

/// No franchise: the pool is always assigned, the window is the current block, and no
/// commitment can be drawn.
impl<AccountId, BlockNumber: Default> BackstopMembers<AccountId, BlockNumber> for () {
    fn assigned(_market: MarketId, _position: &AccountId) -> Assignment<AccountId, BlockNumber> {
        Assignment {
            assignee: Assignee::Pool,
            window: 0,
            window_start: BlockNumber::default(),
            window_end: BlockNumber::default(),
            priority_end: BlockNumber::default(),
            priority_passed: true,
        }
    }
    fn members() -> Vec<AccountId> {
        Vec::new()
    }
    fn available_commitment(_member: &AccountId) -> Balance {
        0
    }
    fn draw_commitment(_member: &AccountId, _amount: Balance, _to: &AccountId) -> DispatchResult {
        Err(DispatchError::Other("no backstop franchise"))
    }
    fn return_to_commitment(
        _member: &AccountId,
        _amount: Balance,
        _from: &AccountId,
    ) -> DispatchResult {
        Err(DispatchError::Other("no backstop franchise"))
    }
}

/// The backstop pool as the avatar pallet sees it: the liquidator of last resort for avatar
/// positions once the members' priority is over. The avatar pallet runs the liquidation (it
/// keeps the cushion ledger); the pool pays in the stable asset and books the collateral.
///
/// Amounts are in smallest units: `draw_stable`/`return_stable` in the backstop's stable
/// asset, `seized` in the collateral asset. Calls happen inside the avatar pallet's
/// dispatchable, so a failure anywhere rolls every step back.
pub trait BackstopPool<AccountId> {
    /// The pool's account: collateral a pool liquidation seizes is paid to it.
    fn account() -> AccountId;

    /// The pool pays `amount` of its stable asset to `to` for a liquidation (recalling stable
    /// it lent out first if its idle reserve is short). Fails, changing nothing, if the pool
    /// holds less.
    fn draw_stable(amount: Balance, to: &AccountId) -> DispatchResult;

    /// `from` pays back `amount` of stable drawn with [`Self::draw_stable`] and not spent.
    fn return_stable(from: &AccountId, amount: Balance) -> DispatchResult;

    /// The pool's account received `seized` of `borrower`'s collateral in `market` for `paid`
    /// stable (everything the liquidation cost the pool). Books the collateral in the pool's
    /// holdings and pays `caller`, the keeper that triggered the liquidation, its fee out of
    /// the gain. Returns the fee paid, in collateral units.
    fn book_liquidation(
        caller: &AccountId,
        market: MarketId,
        borrower: &AccountId,
        paid: Balance,
        seized: Balance,
    ) -> Result<Balance, DispatchError>;
}

/// Which balance of a position a score entry counts.
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Debug,
    Encode,
    Decode,
    codec::DecodeWithMemTracking,
    MaxEncodedLen,
    TypeInfo,
)]
pub enum Side {
    /// Loan asset supplied (lent), in loan-asset units.
    Supply,
    /// Collateral pledged, in collateral-asset units.
    Collateral,
    /// Debt owed (as the backstop sees it, cushion included), in loan-asset units.
    Debt,
}

/// The user score: told about every change of a user's balances that routes through the
/// system (the avatar pallet calls it). Balances are in the smallest unit of the asset the
/// side counts (see [`Side`]); the score weights each (market, side) by a governance-set
/// weight. Infallible and O(1) in the number of users.
pub trait ScoreHook<AccountId> {
    /// `user`'s `side` balance in `market` is now `new_balance`, changed through the avatar.
    fn on_balance_changed(user: &AccountId, market: MarketId, side: Side, new_balance: Balance);

    /// A sync found `user`'s `side` balance in `market` changed outside the avatar (someone
    /// repaid its debt or supplied for it directly in the market): it is `actual` now. In
    /// either direction the changed part is slashed: it does not earn since the last sync and
    /// the user loses what it earned since the epoch's start, bounded by the value of the
    /// change (so outside help cannot farm the jar). A rise counts only from the next change
    /// made through the avatar.
    fn on_outside_change(user: &AccountId, market: MarketId, side: Side, actual: Balance);
}

impl<AccountId> ScoreHook<AccountId> for () {
    fn on_balance_changed(_user: &AccountId, _market: MarketId, _side: Side, _balance: Balance) {}
    fn on_outside_change(_user: &AccountId, _market: MarketId, _side: Side, _actual: Balance) {}
}

/// The users' reward jar: where the avatar pallet pays the users' share of a liquidation's
/// gain. Amounts are in smallest units of the backstop's stable asset.
pub trait RewardJar<AccountId> {
    /// The governance-set share of a liquidation's gain that goes to the jar (the default for
    /// markets that do not set their own).
    fn user_share() -> Perbill;

    /// `from` pays `amount` of the stable asset into the jar; it is streamed to the users by
    /// score over the next epoch.
    fn deposit_income(from: &AccountId, amount: Balance) -> DispatchResult;
}

impl<AccountId> RewardJar<AccountId> for () {
    fn user_share() -> Perbill {
        Perbill::from_percent(0)
    }
    fn deposit_income(_from: &AccountId, _amount: Balance) -> DispatchResult {
        Err(DispatchError::Other("no reward jar"))
    }
}

// ------------------------------------------------------------------------------------------
// Governance
// ------------------------------------------------------------------------------------------

/// What the origin of a parameter setter may do: every pallet's setters accept their
/// `GovernanceOrigin` ([`Privilege::Full`]) and their `EmergencyOrigin`
/// ([`Privilege::TightenOnly`]), and refuse the latter any change that is not
/// [`Tightening`] with the pallet's own error.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Privilege {
    /// Any change within the parameters' bounds (the `backstop_params` track, root).
    Full,
    /// Only changes that make the system safer, each parameter in its documented direction
    /// (the `backstop_emergency` track).
    TightenOnly,
}

impl Privilege {
    /// `Full` if `origin` passes `Governance`, else `TightenOnly` if it passes `Emergency`,
    /// else `BadOrigin`.
    pub fn of<O, Governance, Emergency>(origin: O) -> Result<Self, sp_runtime::traits::BadOrigin>
    where
        Governance: frame_support::traits::EnsureOrigin<O>,
        Emergency: frame_support::traits::EnsureOrigin<O>,
    {
        match Governance::try_origin(origin) {
            Ok(_) => Ok(Privilege::Full),
            Err(origin) => Emergency::try_origin(origin)
                .map(|_| Privilege::TightenOnly)
                .map_err(|_| sp_runtime::traits::BadOrigin),
        }
    }

    /// Whether this privilege may change a parameter set from `old` to `new`.
    pub fn allows<P: Tightening>(self, old: &P, new: &P) -> bool {
        match self {
            Privilege::Full => true,
            Privilege::TightenOnly => old.tightened_by(new),
        }
    }
}

/// The direction in which a parameter makes the system safer.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Safer {
    /// A lower value is safer (a cap, a fraction lent out, an accepted price age).
    Lower,
    /// A higher value is safer (a margin, a required commitment).
    Higher,
    /// No direction is safer (the value moves funds or shifts who earns what): the
    /// emergency origin must leave it as it is.
    Neither,
}

impl Safer {
    /// Whether moving a parameter from `old` to `new` keeps it or moves it this way.
    pub fn allows<V: PartialOrd>(self, old: V, new: V) -> bool {
        match self {
            Safer::Lower => new <= old,
            Safer::Higher => new >= old,
            Safer::Neither => new == old,
        }
    }
}

/// Parameters that know which changes make the system safer (see [`Privilege::TightenOnly`]).
pub trait Tightening {
    /// Whether `new` is at least as safe as `self` in every field (an unchanged field is).
    fn tightened_by(&self, new: &Self) -> bool;
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
    fn mul_div_rounds_as_asked_and_refuses_zero_and_overflow() {
        assert_eq!(mul_div(7, 3, 2, Rounding::Down), Some(10));
        assert_eq!(mul_div(7, 3, 2, Rounding::Up), Some(11));
        assert_eq!(mul_div(1, 1, 0, Rounding::Down), None);
        assert_eq!(mul_div(u128::MAX, 2, 1, Rounding::Down), None);
        let p = FixedU128::from_rational(3, 2);
        assert_eq!(value_at(3, p, Rounding::Down), Some(4));
        assert_eq!(value_at(3, p, Rounding::Up), Some(5));
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

    struct OneOracle;
    impl PriceOracle<AssetId> for OneOracle {
        fn price(base: AssetId, _quote: AssetId) -> Option<OraclePrice> {
            match base {
                1 => Some(OraclePrice {
                    price: FixedU128::from_u32(2),
                    updated_at: 1_000,
                }),
                2 => Some(OraclePrice {
                    price: FixedU128::zero(),
                    updated_at: 1_000,
                }),
                _ => None,
            }
        }
    }

    #[test]
    fn the_freshness_rule_refuses_missing_zero_and_stale_prices() {
        let fresh = |base, now| fresh_price::<OneOracle>(base, 0, now, 500);
        assert_eq!(fresh(1, 1_500), Ok(FixedU128::from_u32(2)));
        assert_eq!(fresh(1, 1_501), Err(PriceRefusal::Stale));
        assert_eq!(fresh(2, 1_000), Err(PriceRefusal::Missing));
        assert_eq!(fresh(3, 1_000), Err(PriceRefusal::Missing));
    }

    #[test]
    fn tighten_only_accepts_unchanged_and_safer_values_only() {
        assert!(Safer::Lower.allows(5, 5) && Safer::Lower.allows(5, 4));
        assert!(!Safer::Lower.allows(5, 6));
        assert!(Safer::Higher.allows(5, 6) && !Safer::Higher.allows(5, 4));
        assert!(Safer::Neither.allows(5, 5));
        assert!(!Safer::Neither.allows(5, 4) && !Safer::Neither.allows(5, 6));
        struct Cap(u32);
        impl Tightening for Cap {
            fn tightened_by(&self, new: &Self) -> bool {
                Safer::Lower.allows(self.0, new.0)
            }
        }
        assert!(Privilege::Full.allows(&Cap(1), &Cap(2)));
        assert!(Privilege::TightenOnly.allows(&Cap(2), &Cap(1)));
        assert!(!Privilege::TightenOnly.allows(&Cap(1), &Cap(2)));
    }

    #[test]
    fn unit_hooks_do_the_neutral_thing() {
        assert!(<() as LiquidationPermission<u64>>::may_liquidate(0, &1, &2));
        assert_eq!(<() as PriceOracle<AssetId>>::price(1, 2), None);
    }
}
