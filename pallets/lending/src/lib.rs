//! # Lending pallet
//!
//! Isolated lending markets in the style of Morpho Blue: the money market Backstop protects.
//!
//! ## Mechanism
//!
//! Governance creates a market (never [`Config::EmergencyOrigin`], which may only make the
//! system safer) for one loan asset and one collateral asset with a liquidation
//! loan-to-value `lltv` and a jump-rate interest model; the liquidation incentive factor is
//! derived, `LIF = min(1.15, 1 / (0.3 · lltv + 0.7))`. Lenders [`supply`](Pallet::supply) the
//! loan asset for supply shares and [`withdraw`](Pallet::withdraw) it; borrowers pledge
//! collateral ([`supply_collateral`](Pallet::supply_collateral),
//! [`withdraw_collateral`](Pallet::withdraw_collateral)), [`borrow`](Pallet::borrow) against it
//! for borrow shares and [`repay`](Pallet::repay) (anyone may repay for a borrower). Assets are
//! held by the pallet account and move through `fungibles::Mutate`.
//!
//! Interest accrues lazily, once per market and interaction: the total debt grows by
//! `debt · (x + x²/2 + x³/6)` with `x = rate · elapsed / year`, and the suppliers' total with
//! it; shares do not change. Shares are converted with Morpho's virtual shares and assets
//! (10^6 and 1) so a donation cannot inflate the share price; borrow shares round up, supply
//! shares round down, debt rounds up, withdrawable value rounds down.
//!
//! A position is healthy iff `debt ≤ collateral · price · lltv` with `price` the oracle price of
//! one collateral unit in loan units (`T::Oracle`, at most `T::MaxPriceAge` old). A user action
//! must leave the position healthy with every quantity rounded against the user; a position is
//! liquidatable iff the same inequality fails in exact arithmetic. A liquidator seizes
//! collateral and repays `seized · price / LIF`; if no collateral is left and debt remains, the
//! rest is bad debt: removed from the debt and from the suppliers' assets, and reported to
//! `T::OnBadDebt`. `T::LiquidationPermission` may reserve liquidations to someone (the avatar
//! pallet uses it for the backstop); the pallet itself allows everyone by default.
//!
//! ## Frozen decimals
//!
//! Creating a market records the decimals of both its assets from their pallet-assets metadata
//! in [`AssetDecimals`], once per asset: the first market with an asset fixes them and nothing
//! changes them afterwards, whatever the asset's owner does to its metadata. Prices per
//! smallest unit must be scaled by these (the runtime's price adapter reads
//! [`Pallet::asset_decimals`]), so an owner cannot reprice a market by powers of ten. Give an
//! asset its metadata before the first market with it is created.
//!
//! ## Amounts a payer cannot pay
//!
//! `supply`, `supply_collateral` and `repay` refuse an amount above what the payer can
//! transfer with [`Error::InsufficientBalance`] before any arithmetic on it and before any
//! transfer (`repay` checks what it would actually take: the whole debt when more is
//! offered, so `u128::MAX` still means "repay everything" to a payer who can).
//!
//! ## Liquidation index
//!
//! For one market `debt = borrow_shares · assets_per_share` and assets per share is common to
//! all positions, so liquidatability depends on a position only through
//! `r = borrow_shares / collateral`, which interest does not change: a position is liquidatable
//! iff `r > θ = price · lltv / assets_per_share`. The index keeps every borrower ordered by `r`
//! (see [`index`] for the layout and costs): updating a position is O(1) storage operations
//! (at most 2 × 7 bitmap words when a bucket is created), and
//! [`liquidatable_positions`](Pallet::liquidatable_positions) returns the `k` most
//! liquidatable positions in O(k + b + 1) reads (b: the positions sharing θ's key, whose `r`
//! agrees with θ to 47 bits). It is exact: it never misses a liquidatable position and never
//! returns a healthy one. Liquidations leave their positions' nodes in place (a node's key is
//! an upper bound of its position's), so a liquidation touches one storage key per position;
//! `on_idle` prunes what they leave at the top of the index ([`Pallet::prune_index`]).
//!
//! ## Batch liquidation
//!
//! [`LendingMarket::liquidate_many`](backstop_primitives::LendingMarket::liquidate_many)
//! liquidates a list of positions of one market in full (the whole debt for collateral worth
//! it times the LIF, or all the collateral and bad debt for the rest), reading the market,
//! its interest and the price once, paying and receiving once, and skipping with a reason
//! (no debt, healthy, not permitted, beyond the liquidator's budget) what it cannot
//! liquidate. The backstop pool's `liquidate_many` and its same-block sweep use it.
//!
//! ## Code map
//!
//! `lib.rs` (this file) declares config, storage, events, errors and thin calls; `math.rs` is
//! the pure arithmetic; `functions.rs` the market operations; `liquidation.rs` liquidation and
//! bad debt; `index.rs` the liquidation index; `impls.rs` the [`LendingMarket`] implementation;
//! `invariants.rs` the `try_state` checks. Tests are in `src/tests/`, one file per topic
//! (`markets`, `decimals`, `supply`, `amounts`, `borrow`, `interest`, `liquidation`, `index`,
//! `math`), all run through
//! `ExtBuilder::build_and_execute`, which checks the invariants after every test.
//!
//! [`LendingMarket`]: backstop_primitives::LendingMarket
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
mod functions;
mod impls;
pub mod index;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
mod liquidation;
pub mod math;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use functions::{MAX_LLTV, MIN_LLTV};

/// Index nodes per market that `on_idle` brings back in line per block, at most.
pub const PRUNE_STEPS: u32 = 8;
pub use liquidation::Liquidation;
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

/// What the benchmarks need from the runtime that this pallet cannot do itself.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper {
    /// Creates asset `id` (if it does not exist) so that any amount can be minted to any
    /// account, with a minimum balance of at most 1.
    fn create_asset(id: backstop_primitives::AssetId);
    /// Makes `T::Oracle` report `price` for one unit of `base` in units of `quote`, updated now.
    fn set_price(
        base: backstop_primitives::AssetId,
        quote: backstop_primitives::AssetId,
        price: sp_arithmetic::FixedU128,
    );
}

// The FRAME macros expand code that uses `expect` (on values they have just constructed); the
// hand-written code in this module is declarations and calls that only hand over.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
    use super::*;
    use alloc::vec::Vec;
    use backstop_primitives::{
        AssetId, Balance, LiquidationPermission, MarketId, Moment, OnBadDebt, OnPositionChanged,
        PriceOracle, Privilege, Shares,
    };
    use frame_support::{
        pallet_prelude::*,
        traits::{fungibles, UnixTime},
        PalletId,
    };
    use frame_system::pallet_prelude::*;
    use sp_arithmetic::{FixedU128, Perbill};

    #[pallet::pallet]
    pub struct Pallet<T>(_);

    #[pallet::config]
    pub trait Config: frame_system::Config {
        /// The assets markets lend and take as collateral; their metadata gives the decimals
        /// recorded in [`AssetDecimals`] when a market is created.
        type Assets: fungibles::Mutate<Self::AccountId, AssetId = AssetId, Balance = Balance>
            + fungibles::metadata::Inspect<Self::AccountId>;

        /// Price of one collateral unit in loan units (see [`PriceOracle`]).
        type Oracle: PriceOracle<AssetId>;

        /// Wall-clock time, for interest accrual and price staleness.
        type Time: UnixTime;

        /// The origin that creates markets.
        type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

        /// The origin that may only make the system safer (tighten only). A market's
        /// parameters never change once it is created, and creating a market opens new risk,
        /// so this origin can do nothing here: [`create_market`](Pallet::create_market) refuses
        /// it with [`Error::EmergencyCannotLoosen`]. (It pauses calls through the runtime's
        /// pallet-tx-pause instead.)
        type EmergencyOrigin: EnsureOrigin<Self::RuntimeOrigin>;

        /// Told about bad debt when a liquidation realises it.
        type OnBadDebt: OnBadDebt<Self::AccountId>;

        /// Decides who may liquidate a position (`()` allows everyone).
        type LiquidationPermission: LiquidationPermission<Self::AccountId>;

        /// Told after every change of a position.
        type OnPositionChanged: OnPositionChanged<Self::AccountId>;

        /// The pallet's account id, which holds every market's assets.
        #[pallet::constant]
        type PalletId: Get<PalletId>;

        /// Oldest oracle price the pallet accepts, in milliseconds.
        #[pallet::constant]
        type MaxPriceAge: Get<Moment>;

        /// Most markets that can ever be created.
        #[pallet::constant]
        type MaxMarkets: Get<u32>;

        /// Weights of the calls.
        type WeightInfo: WeightInfo;

        /// Sets up assets and prices for the benchmarks.
        #[cfg(feature = "runtime-benchmarks")]
        type BenchmarkHelper: crate::BenchmarkHelper;
    }

    /// The id the next market gets (= number of markets created).
    #[pallet::storage]
    pub type NextMarketId<T> = StorageValue<_, MarketId, ValueQuery>;

    /// Every market, by id.
    #[pallet::storage]
    pub type Markets<T> = StorageMap<_, Twox64Concat, MarketId, Market>;

    /// Positions by market and account; removed when empty.
    #[pallet::storage]
    pub type Positions<T: Config> = StorageDoubleMap<
        _,
        Twox64Concat,
        MarketId,
        Blake2_128Concat,
        T::AccountId,
        Position,
        ValueQuery,
    >;

    /// Decimals of every asset a market lends or takes as collateral, recorded from the
    /// asset's pallet-assets metadata when the first market with the asset is created and
    /// never changed afterwards: the asset's owner may edit its metadata at will, so prices
    /// must be scaled by these, not by the live metadata (see the runtime's price adapter).
    #[pallet::storage]
    pub type AssetDecimals<T> = StorageMap<_, Twox64Concat, AssetId, u8>;

    /// Liquidation index: the node of every borrower (positions with borrow shares).
    #[pallet::storage]
    pub type IndexNodes<T: Config> = StorageDoubleMap<
        _,
        Twox64Concat,
        MarketId,
        Blake2_128Concat,
        T::AccountId,
        IndexNode<T::AccountId>,
    >;

    /// Liquidation index: the non-empty buckets, by market and key.
    #[pallet::storage]
    pub type IndexBuckets<T: Config> =
        StorageDoubleMap<_, Twox64Concat, MarketId, Twox64Concat, u64, Bucket<T::AccountId>>;

    /// Liquidation index: the key of each market's highest non-empty bucket.
    #[pallet::storage]
    pub type IndexTop<T> = StorageMap<_, Twox64Concat, MarketId, u64>;

    /// Liquidation index: the bitmap of non-empty buckets, by (market, level, word); words
    /// that are all zero are absent.
    #[pallet::storage]
    pub type IndexBitmap<T> = StorageNMap<
        _,
        (
            NMapKey<Twox64Concat, MarketId>,
            NMapKey<Twox64Concat, u8>,
            NMapKey<Twox64Concat, u64>,
        ),
        BitmapWord,
        ValueQuery,
    >;

    #[pallet::event]
    #[pallet::generate_deposit(pub(super) fn deposit_event)]
    pub enum Event<T: Config> {
        /// Governance created a market.
        MarketCreated {
            market: MarketId,
            loan_asset: AssetId,
            collateral_asset: AssetId,
            lltv: Perbill,
            lif: FixedU128,
            irm: JumpRateModel,
        },
        /// Interest accrued on a market: `interest` loan units at `rate` per year.
        InterestAccrued {
            market: MarketId,
            rate: FixedU128,
            interest: Balance,
        },
        /// `payer` supplied `assets` for `on_behalf_of`, who received `shares`.
        Supplied {
            market: MarketId,
            payer: T::AccountId,
            on_behalf_of: T::AccountId,
            assets: Balance,
            shares: Shares,
        },
        /// `owner` withdrew `assets` (burning `shares`) to `receiver`.
        Withdrawn {
            market: MarketId,
            owner: T::AccountId,
            receiver: T::AccountId,
            assets: Balance,
            shares: Shares,
        },
        /// `payer` pledged `amount` of collateral for `on_behalf_of`.
        CollateralSupplied {
            market: MarketId,
            payer: T::AccountId,
            on_behalf_of: T::AccountId,
            amount: Balance,
        },
        /// `owner` withdrew `amount` of collateral to `receiver`.
        CollateralWithdrawn {
            market: MarketId,
            owner: T::AccountId,
            receiver: T::AccountId,
            amount: Balance,
        },
        /// `owner` borrowed `assets` (owing `shares`), paid to `receiver`.
        Borrowed {
            market: MarketId,
            owner: T::AccountId,
            receiver: T::AccountId,
            assets: Balance,
            shares: Shares,
        },
        /// `payer` repaid `assets` (`shares`) of `on_behalf_of`'s debt.
        Repaid {
            market: MarketId,
            payer: T::AccountId,
            on_behalf_of: T::AccountId,
            assets: Balance,
            shares: Shares,
        },
        /// `liquidator` seized `seized` collateral of `borrower` for `repaid_assets`
        /// (`repaid_shares`); `bad_debt` loan units were realised as bad debt.
        Liquidated {
            market: MarketId,
            liquidator: T::AccountId,
            borrower: T::AccountId,
            repaid_assets: Balance,
            repaid_shares: Shares,
            seized: Balance,
            bad_debt: Balance,
        },
    }

    #[pallet::error]
    pub enum Error<T> {
        /// The amount is zero.
        ZeroAmount,
        /// The amount is too small to be worth one share (dust).
        ZeroShares,
        /// No market has this id.
        UnknownMarket,
        /// The asset does not exist.
        UnknownAsset,
        /// Loan and collateral asset are the same.
        SameAsset,
        /// `lltv` is outside `[MIN_LLTV, MAX_LLTV]`.
        LltvOutOfBounds,
        /// An interest rate model parameter is outside its bound.
        RateModelOutOfBounds,
        /// `MaxMarkets` markets exist already.
        TooManyMarkets,
        /// The withdrawal exceeds the account's supply.
        SupplyExceeded,
        /// The withdrawal exceeds the collateral pledged.
        CollateralExceeded,
        /// The market has not enough unborrowed assets.
        InsufficientLiquidity,
        /// The position would be unhealthy after the action.
        InsufficientCollateral,
        /// The account has no debt in this market.
        NothingToRepay,
        /// The oracle has no price for the market's assets (or a zero price).
        PriceUnavailable,
        /// The oracle price is older than `MaxPriceAge`.
        PriceStale,
        /// The position is healthy and cannot be liquidated.
        PositionHealthy,
        /// The liquidation permission hook refused this liquidator.
        LiquidationNotPermitted,
        /// The liquidation seizes more collateral than the position has.
        SeizeExceedsCollateral,
        /// The liquidation would repay more than the position owes (over-liquidation).
        RepayExceedsDebt,
        /// An amount overflowed.
        Overflow,
        /// The payer holds less of the asset than it would have to pay (checked before any
        /// transfer).
        InsufficientBalance,
        /// The emergency origin may only make the system safer; creating a market opens risk.
        EmergencyCannotLoosen,
    }

    #[pallet::genesis_config]
    #[derive(frame_support::DefaultNoBound)]
    pub struct GenesisConfig<T: Config> {
        /// Markets created at genesis, in id order: loan asset, collateral asset, lltv, rate
        /// model. The assets must exist (pallet-assets builds its genesis first).
        pub markets: Vec<(AssetId, AssetId, Perbill, JumpRateModel)>,
        #[serde(skip)]
        pub _config: core::marker::PhantomData<T>,
    }

    #[pallet::genesis_build]
    impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
        fn build(&self) {
            for (loan, collateral, lltv, irm) in &self.markets {
                // Interest starts at the first interaction (no clock at genesis, no debt yet).
                if let Err(e) = Pallet::<T>::create_market_at(*loan, *collateral, *lltv, *irm, 0) {
                    panic!("invalid genesis market {loan}/{collateral}: {e:?}");
                }
            }
        }
    }

    #[pallet::hooks]
    impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
        /// With the block's spare weight, brings the nodes liquidations left at the top of each
        /// market's liquidation index back in line ([`Pallet::prune_index`], at most
        /// [`PRUNE_STEPS`] nodes per market and block).
        fn on_idle(_n: BlockNumberFor<T>, remaining: Weight) -> Weight {
            let per_market = T::WeightInfo::prune_index(PRUNE_STEPS);
            let mut used = T::DbWeight::get().reads(1);
            if remaining.any_lt(used) {
                return Weight::zero();
            }
            for id in 0..NextMarketId::<T>::get() {
                let next = used.saturating_add(per_market);
                if remaining.any_lt(next) {
                    break;
                }
                // A market that cannot be pruned now (overflow) is left for later.
                let _ = Self::prune_index(id, PRUNE_STEPS);
                used = next;
            }
            used
        }

        #[cfg(feature = "try-runtime")]
        fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
            Self::do_try_state()
        }
    }

    #[pallet::call]
    impl<T: Config> Pallet<T> {
        /// Create a market lending `loan_asset` against `collateral_asset` (governance only;
        /// the emergency origin is refused: a new market only adds risk).
        #[pallet::call_index(0)]
        #[pallet::weight(T::WeightInfo::create_market())]
        pub fn create_market(
            origin: OriginFor<T>,
            loan_asset: AssetId,
            collateral_asset: AssetId,
            lltv: Perbill,
            irm: JumpRateModel,
        ) -> DispatchResult {
            let privilege = Privilege::of::<_, T::GovernanceOrigin, T::EmergencyOrigin>(origin)?;
            ensure!(
                privilege == Privilege::Full,
                Error::<T>::EmergencyCannotLoosen
            );
            Self::do_create_market(loan_asset, collateral_asset, lltv, irm).map(|_| ())
        }

        /// Supply `assets` of the loan asset for supply shares.
        #[pallet::call_index(1)]
        #[pallet::weight(T::WeightInfo::supply())]
        pub fn supply(origin: OriginFor<T>, market: MarketId, assets: Balance) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_supply(&who, market, &who, assets).map(|_| ())
        }

        /// Withdraw `assets` of the loan asset from the caller's supply.
        #[pallet::call_index(2)]
        #[pallet::weight(T::WeightInfo::withdraw())]
        pub fn withdraw(origin: OriginFor<T>, market: MarketId, assets: Balance) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_withdraw(&who, market, assets, &who).map(|_| ())
        }

        /// Pledge `amount` of the collateral asset.
        #[pallet::call_index(3)]
        #[pallet::weight(T::WeightInfo::supply_collateral())]
        pub fn supply_collateral(
            origin: OriginFor<T>,
            market: MarketId,
            amount: Balance,
        ) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_supply_collateral(&who, market, &who, amount)
        }

        /// Withdraw `amount` of collateral; the position must stay healthy.
        #[pallet::call_index(4)]
        #[pallet::weight(T::WeightInfo::withdraw_collateral())]
        pub fn withdraw_collateral(
            origin: OriginFor<T>,
            market: MarketId,
            amount: Balance,
        ) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_withdraw_collateral(&who, market, amount, &who)
        }

        /// Borrow `assets` of the loan asset; the position must stay healthy.
        #[pallet::call_index(5)]
        #[pallet::weight(T::WeightInfo::borrow())]
        pub fn borrow(origin: OriginFor<T>, market: MarketId, assets: Balance) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_borrow(&who, market, assets, &who).map(|_| ())
        }

        /// Repay up to `assets` of `on_behalf_of`'s debt (capped at the whole debt).
        #[pallet::call_index(6)]
        #[pallet::weight(T::WeightInfo::repay())]
        pub fn repay(
            origin: OriginFor<T>,
            market: MarketId,
            on_behalf_of: T::AccountId,
            assets: Balance,
        ) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_repay(&who, market, &on_behalf_of, assets).map(|_| ())
        }

        /// Seize `seized_collateral` of `borrower`'s unhealthy position, repaying its value at
        /// the oracle price divided by the market's LIF.
        #[pallet::call_index(7)]
        #[pallet::weight(T::WeightInfo::liquidate())]
        pub fn liquidate(
            origin: OriginFor<T>,
            market: MarketId,
            borrower: T::AccountId,
            seized_collateral: Balance,
        ) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_liquidate(&who, market, &borrower, seized_collateral).map(|_| ())
        }
    }

    #[pallet::view_functions]
    impl<T: Config> Pallet<T> {
        /// `who`'s position in `market` with interest accrued to now.
        pub fn position_of(
            market: MarketId,
            who: T::AccountId,
        ) -> Result<backstop_primitives::PositionInfo, DispatchError> {
            Self::position_info(market, &who)
        }

        /// Up to `max_count` positions of `market` liquidatable at `price`, most liquidatable
        /// first.
        pub fn liquidatable_at(
            market: MarketId,
            price: FixedU128,
            max_count: u32,
        ) -> Result<Vec<T::AccountId>, DispatchError> {
            Self::liquidatable_positions(market, price, max_count)
        }
    }
}
