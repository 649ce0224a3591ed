//! Runtime API of the backstop pool: what a front end or a keeper reads without a transaction.
//!
//! The runtime implements it by calling [`Pallet::pool_value`](crate::Pallet::pool_value),
//! [`Pallet::share_price`](crate::Pallet::share_price),
//! [`Pallet::quote_swap`](crate::Pallet::quote_swap),
//! [`Pallet::shares_of`](crate::Pallet::shares_of) and
//! [`Pallet::value_of`](crate::Pallet::value_of).
// The `decl_runtime_apis` macro expands to code these lints flag.
#![allow(clippy::too_many_arguments, clippy::unnecessary_mut_passed)]

use backstop_primitives::{AssetId, Balance, Shares};
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
}
