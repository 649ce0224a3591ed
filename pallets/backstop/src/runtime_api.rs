//! Runtime API of the backstop pool: what a front end or a keeper reads without a transaction.
//!
//! The runtime implements it by calling [`Pallet::pool_value`](crate::Pallet::pool_value),
//! [`Pallet::share_price`](crate::Pallet::share_price),
//! [`Pallet::quote_swap`](crate::Pallet::quote_swap),
//! [`Pallet::shares_of`](crate::Pallet::shares_of) and
//! [`Pallet::value_of`](crate::Pallet::value_of); [`FranchiseApi`] by calling
//! [`Pallet::current_franchise`](crate::Pallet::current_franchise),
//! [`Pallet::next_franchise`](crate::Pallet::next_franchise),
//! [`Pallet::assignment`](crate::Pallet::assignment),
//! [`Pallet::score_of`](crate::Pallet::score_of) and
//! [`Pallet::claimable`](crate::Pallet::claimable).
// The `decl_runtime_apis` macro expands to code these lints flag.
#![allow(clippy::too_many_arguments, clippy::unnecessary_mut_passed)]

use crate::types::{AuctionView, FranchiseView};
use backstop_primitives::{AssetId, Assignment, Balance, MarketId, Shares};
use codec::Codec;
use sp_arithmetic::FixedU128;
use sp_runtime::DispatchError;

sp_api::decl_runtime_apis! {
    /// Read-only queries of the backstop pool. Values are in stable units at fresh oracle
    /// prices (rounded down) and fail with the pallet's error (`OracleStale`, `PriceMissing`,
    /// ...) when a price the answer needs is missing or stale.
    pub trait BackstopApi<AccountId> where AccountId: Codec {
        /// Pool value `S + Σ c_i · p_i`, in stable units.
        fn pool_value() -> Result<Balance, DispatchError>;
        /// Value of one pool share, in stable units (zero for an empty pool).
        fn share_price() -> Result<FixedU128, DispatchError>;
        /// What `swap(asset, stable_in, _)` would pay now: `(collateral out, fee in stable)`.
        fn quote_swap(asset: AssetId, stable_in: Balance) -> Result<(Balance, Balance), DispatchError>;
        /// `who`'s pool shares.
        fn shares_of(who: AccountId) -> Shares;
        /// What `who`'s shares are worth, in stable units.
        fn value_of(who: AccountId) -> Result<Balance, DispatchError>;
    }

    /// Read-only queries of the franchise, the user score and the reward jar. Block numbers
    /// are the chain's; amounts are in stable units.
    pub trait FranchiseApi<AccountId, BlockNumber> where AccountId: Codec, BlockNumber: Codec {
        /// The running epoch's franchise: its blocks and its seats with their committed
        /// liquidity (no seats: the pool is the member of last resort).
        fn current_franchise() -> FranchiseView<AccountId, BlockNumber>;
        /// The auction for the next franchise: its candle, the winning set and the price
        /// every winner would pay if it closed now.
        fn next_franchise() -> AuctionView<AccountId, BlockNumber>;
        /// Who may act on `position` in `market` now, and the window's blocks.
        fn assigned(market: MarketId, position: AccountId) -> Assignment<AccountId, BlockNumber>;
        /// `who`'s score so far (`Σ ∫ weight · balance dt`, weight × units × blocks).
        fn score_of(who: AccountId) -> u128;
        /// What `who` could claim now.
        fn claimable(who: AccountId) -> Balance;
    }
}
