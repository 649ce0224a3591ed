//! # Backstop pallet: the backstop pool and its rebalance curve
//!
//! A multi-collateral B.AMM. Depositors put the stable asset into one pool for shares
//! ([`deposit`](Pallet::deposit)); the pool pays the debt of unhealthy lending positions and
//! receives their collateral at the market's liquidation incentive
//! ([`liquidate`](Pallet::liquidate), open to any keeper, who may earn `caller_fee` of the
//! gain); arbitrageurs buy that collateral back for the stable asset at the oracle price minus
//! a discount given by an integer StableSwap curve ([`swap`](Pallet::swap), see [`curve`]):
//! the more of the pool is collateral, the larger the discount, capped at `max_discount`. The
//! gain of each liquidation stays in the pool, so the share price grows; depositors
//! [`withdraw`](Pallet::withdraw) pro rata *in kind* (stable and every collateral), which needs
//! no oracle and so works during an outage.
//!
//! ## Accounting
//!
//! The pool keeps its own books — idle stable ([`StableReserve`]), the lending supply shares
//! of the stable it lends ([`LentShares`]) and each collateral ([`Collaterals`], a bounded
//! map) — so assets sent to the pool account outside the pallet (donations) do not move the
//! share price. Pool value is `S + Σ c_i · p_i` at fresh oracle prices, with `S` the idle
//! stable plus the withdrawable value of the lent stable. The first deposit mints
//! `amount · SHARE_SCALE` shares of which [`Config::MinimumShares`] are locked forever in the
//! pool account, so the pool never holds value with zero shares and its share price cannot be
//! inflated cheaply. Every conversion rounds in the pool's favour: shares minted and assets
//! paid round down; the pool value used to price a deposit rounds up.
//!
//! ## Idle yield
//!
//! A governance-set fraction ([`PoolParams::lend_fraction`]) of the pool's stable is supplied
//! to the lending market [`Config::YieldMarket`]; it is recalled automatically when a
//! withdrawal or a liquidation needs it. If the market cannot pay it back (full
//! utilisation), the call fails with [`Error::LendingIlliquid`] and nothing changes.
//!
//! ## Parameters
//!
//! [`PoolParams`] (one storage value): `A` (20..=200, default 20), `fee_bps` (≤ 100, default
//! 0), `max_discount_bps` (≤ 1 000, default 400), `max_price_age` (1 min ..= 1 day, default
//! 1 h), `caller_fee_bps` (≤ 100), `lend_fraction` (≤ 90 %), set by
//! [`Config::GovernanceOrigin`] through [`set_params`](Pallet::set_params), each change an
//! event.
//!
//! ## Code map and tests
//!
//! `lib.rs` declares config, storage, events, errors and thin calls; [`curve`] is the pure
//! StableSwap math; `pool.rs` deposits, withdrawals, swaps and valuation; `liquidation.rs`
//! liquidations; `lending.rs` the idle-yield supply; `invariants.rs` the `try_state` checks;
//! [`runtime_api`] the runtime API. Tests are in `src/tests/` by topic (`curve` with the
//! vectors and property tests, `deposit`, `withdraw`, `swap`, `liquidate`, `lending`,
//! `params`, `scenarios` with the crash and the oracle outage), all run through
//! `ExtBuilder::build_and_execute`, which checks the invariants after every test.
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

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod curve;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
mod lending;
mod liquidation;
mod pool;
pub mod runtime_api;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

/// What the benchmarks need from the runtime that this pallet cannot do itself.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper {
    /// The `index`-th collateral asset the benchmarks may use (distinct from the stable asset).
    fn collateral_asset(index: u32) -> backstop_primitives::AssetId;
    /// Creates asset `id` (if it does not exist) so that any amount can be minted to any
    /// account, with a minimum balance of at most 1.
    fn create_asset(id: backstop_primitives::AssetId);
    /// Makes `T::Oracle` report `price` for one unit of `base` in units of `quote`, updated now.
    fn set_price(
        base: backstop_primitives::AssetId,
        quote: backstop_primitives::AssetId,
        price: sp_arithmetic::FixedU128,
    );
    /// Creates a lending market lending `loan` against `collateral` and returns its id.
    fn create_market(
        loan: backstop_primitives::AssetId,
        collateral: backstop_primitives::AssetId,
    ) -> backstop_primitives::MarketId;
}

// The pallet macros expand to `expect` on values they construct themselves (storage
// prefixes, error encodings); the calls and every function in the topic modules stay denied.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
    use super::*;
    use backstop_primitives::{AssetId, Balance, LendingMarket, MarketId, PriceOracle, Shares};
    use frame_support::{
        pallet_prelude::*,
        traits::{fungibles, UnixTime},
        PalletId,
    };
    use frame_system::pallet_prelude::*;

    #[pallet::pallet]
    pub struct Pallet<T>(_);

    #[pallet::config]
    pub trait Config: frame_system::Config {
        /// The stable asset and the collaterals.
        type Assets: fungibles::Mutate<Self::AccountId, AssetId = AssetId, Balance = Balance>;

        /// Price of one collateral unit in stable units.
        type Oracle: PriceOracle<AssetId>;

        /// The lending market the pool liquidates in and lends its idle stable to.
        type Lending: LendingMarket<Self::AccountId>;

        /// Wall-clock time, for price staleness.
        type Time: UnixTime;

        /// The origin that sets [`PoolParams`].
        type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

        /// The asset depositors bring and the pool pays debts in.
        #[pallet::constant]
        type StableAsset: Get<AssetId>;

        /// The lending market (lending [`Config::StableAsset`]) the idle stable is supplied
        /// to; `None` disables lending.
        #[pallet::constant]
        type YieldMarket: Get<Option<MarketId>>;

        /// Where swap fees go.
        type FeeAccount: Get<Self::AccountId>;

        /// The pool's account id, which holds its assets.
        #[pallet::constant]
        type PalletId: Get<PalletId>;

        /// Shares locked in the pool account by the first deposit (never withdrawable).
        #[pallet::constant]
        type MinimumShares: Get<Shares>;

        /// Most collateral assets the pool can hold at once.
        #[pallet::constant]
        type MaxCollaterals: Get<u32>;

        /// Weights of the calls.
        type WeightInfo: WeightInfo;

        /// Sets up assets, prices and markets for the benchmarks.
        #[cfg(feature = "runtime-benchmarks")]
        type BenchmarkHelper: crate::BenchmarkHelper;
    }

    /// The pool's governance parameters.
    #[pallet::storage]
    pub type Params<T> = StorageValue<_, PoolParams, ValueQuery>;

    /// Total pool shares (including the locked [`Config::MinimumShares`]).
    #[pallet::storage]
    pub type TotalShares<T> = StorageValue<_, Shares, ValueQuery>;

    /// Shares per depositor; absent when zero.
    #[pallet::storage]
    pub type SharesOf<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Shares>;

    /// Stable held idle in the pool account, in stable units (the pool's books).
    #[pallet::storage]
    pub type StableReserve<T> = StorageValue<_, Balance, ValueQuery>;

    /// Supply shares the pool holds in [`Config::YieldMarket`].
    #[pallet::storage]
    pub type LentShares<T> = StorageValue<_, Shares, ValueQuery>;

    /// Collateral held by the pool, by asset, in collateral units; assets with a zero balance
    /// are removed.
    #[pallet::storage]
    pub type Collaterals<T: Config> =
        StorageValue<_, BoundedBTreeMap<AssetId, Balance, T::MaxCollaterals>, ValueQuery>;

    #[pallet::genesis_config]
    #[derive(frame_support::DefaultNoBound)]
    pub struct GenesisConfig<T: Config> {
        /// Initial parameters (must be within bounds).
        pub params: PoolParams,
        #[serde(skip)]
        pub _config: core::marker::PhantomData<T>,
    }

    #[pallet::genesis_build]
    impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
        fn build(&self) {
            if self.params.validate().is_err() {
                panic!(
                    "backstop genesis parameters out of bounds: {:?}",
                    self.params
                );
            }
            Params::<T>::put(self.params);
            // The pool account exists for as long as the chain: it may hold non-sufficient
            // assets.
            frame_system::Pallet::<T>::inc_providers(&Pallet::<T>::account_id());
        }
    }

    #[pallet::event]
    #[pallet::generate_deposit(pub(super) fn deposit_event)]
    pub enum Event<T: Config> {
        /// `who` deposited `amount` of stable for `shares`.
        Deposited {
            who: T::AccountId,
            amount: Balance,
            shares: Shares,
        },
        /// `who` burnt `shares` for `stable` and `collateral` (asset, amount) in kind.
        Withdrawn {
            who: T::AccountId,
            shares: Shares,
            stable: Balance,
            collateral: BoundedVec<(AssetId, Balance), T::MaxCollaterals>,
        },
        /// `who` paid `stable_in` (of which `fee` to the fee account) for `out` of `asset`.
        Swapped {
            who: T::AccountId,
            asset: AssetId,
            stable_in: Balance,
            out: Balance,
            fee: Balance,
        },
        /// The pool liquidated `borrower` in `market`: paid `repaid` stable, received `seized`
        /// collateral, of which `caller_fee` went to `caller`.
        Liquidated {
            caller: T::AccountId,
            market: MarketId,
            borrower: T::AccountId,
            collateral_asset: AssetId,
            repaid: Balance,
            seized: Balance,
            caller_fee: Balance,
        },
        /// `amount` of stable supplied to the yield market for `shares`.
        Lent { amount: Balance, shares: Shares },
        /// `amount` of stable recalled from the yield market, burning `shares`.
        Recalled { amount: Balance, shares: Shares },
        /// Governance changed the parameters.
        ParamsUpdated { old: PoolParams, new: PoolParams },
    }

    #[pallet::error]
    pub enum Error<T> {
        /// A zero amount.
        ZeroAmount,
        /// The deposit would mint no shares (or, as the first deposit, not more than the
        /// locked minimum).
        DepositTooSmall,
        /// More shares than the caller holds.
        InsufficientShares,
        /// The withdrawal would pay nothing.
        NothingToWithdraw,
        /// The pool holds none of this asset.
        UnknownCollateral,
        /// No oracle price (or a zero price) for an asset the call needs.
        PriceMissing,
        /// The oracle price is older than `max_price_age`.
        OracleStale,
        /// The swap pays less than `min_out`.
        Slippage,
        /// The swap would pay nothing.
        SwapTooSmall,
        /// The curve has no answer for these balances.
        QuoteUnavailable,
        /// No such lending market.
        UnknownMarket,
        /// The market does not lend the pool's stable asset.
        NotStableMarket,
        /// The pool already holds `MaxCollaterals` collateral assets.
        TooManyCollaterals,
        /// The pool does not have enough stable (idle and lent) to pay.
        InsufficientStable,
        /// The yield market cannot pay back the lent stable the call needs (full
        /// utilisation).
        LendingIlliquid,
        /// The pool holds value only in assets it cannot price: its value is zero.
        PoolValueZero,
        /// `amplification` outside 20..=200.
        AmplificationOutOfBounds,
        /// `fee_bps` above 100.
        FeeOutOfBounds,
        /// `max_discount_bps` above 1 000.
        MaxDiscountOutOfBounds,
        /// `max_price_age` outside one minute ..= one day.
        PriceAgeOutOfBounds,
        /// `caller_fee_bps` above 100.
        CallerFeeOutOfBounds,
        /// `lend_fraction` above 90 %.
        LendFractionOutOfBounds,
        /// An arithmetic overflow (or the pool's books disagree with a neighbour's answer).
        Overflow,
    }

    impl<T> From<ParamError> for Error<T> {
        fn from(e: ParamError) -> Self {
            match e {
                ParamError::Amplification => Error::AmplificationOutOfBounds,
                ParamError::Fee => Error::FeeOutOfBounds,
                ParamError::MaxDiscount => Error::MaxDiscountOutOfBounds,
                ParamError::PriceAge => Error::PriceAgeOutOfBounds,
                ParamError::CallerFee => Error::CallerFeeOutOfBounds,
                ParamError::LendFraction => Error::LendFractionOutOfBounds,
            }
        }
    }

    #[pallet::hooks]
    impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
        #[cfg(feature = "try-runtime")]
        fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
            Self::do_try_state()
        }
    }

    #[pallet::call]
    impl<T: Config> Pallet<T> {
        /// Deposit `amount` of the stable asset for pool shares, priced at the pool's value
        /// (fresh oracle prices for every collateral held).
        #[pallet::call_index(0)]
        #[pallet::weight(T::WeightInfo::deposit(T::MaxCollaterals::get()))]
        pub fn deposit(origin: OriginFor<T>, amount: Balance) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_deposit(&who, amount).map(|_| ())
        }

        /// Burn `shares` for their pro-rata part of every pool asset, in kind. Needs no oracle.
        #[pallet::call_index(1)]
        #[pallet::weight(T::WeightInfo::withdraw(T::MaxCollaterals::get()))]
        pub fn withdraw(origin: OriginFor<T>, shares: Shares) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_withdraw(&who, shares)
        }

        /// Buy collateral `asset` with `stable_in` of the stable asset at the curve's quote;
        /// fails if it pays less than `min_out`.
        #[pallet::call_index(2)]
        #[pallet::weight(T::WeightInfo::swap(0))]
        pub fn swap(
            origin: OriginFor<T>,
            asset: AssetId,
            stable_in: Balance,
            min_out: Balance,
        ) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_swap(&who, asset, stable_in, min_out).map(|_| ())
        }

        /// Liquidate `seized_collateral` of `borrower`'s unhealthy position in `market`: the
        /// pool pays the debt and receives the collateral; the caller earns `caller_fee_bps`
        /// of the gain, in collateral.
        #[pallet::call_index(3)]
        #[pallet::weight(T::WeightInfo::liquidate(0))]
        pub fn liquidate(
            origin: OriginFor<T>,
            market: MarketId,
            borrower: T::AccountId,
            seized_collateral: Balance,
        ) -> DispatchResult {
            let caller = ensure_signed(origin)?;
            Self::do_liquidate(&caller, market, &borrower, seized_collateral)
        }

        /// Set the pool parameters (governance), each within its bounds.
        #[pallet::call_index(4)]
        #[pallet::weight(T::WeightInfo::set_params())]
        pub fn set_params(origin: OriginFor<T>, params: PoolParams) -> DispatchResult {
            T::GovernanceOrigin::ensure_origin(origin)?;
            params.validate().map_err(Error::<T>::from)?;
            let old = Params::<T>::get();
            Params::<T>::put(params);
            Self::rebalance_lending();
            Self::deposit_event(Event::ParamsUpdated { old, new: params });
            Ok(())
        }
    }
}
