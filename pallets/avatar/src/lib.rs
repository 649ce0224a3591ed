//! # Avatar pallet: per-user avatars over the lending market, with backstop priority
//!
//! Every user acts on the lending market through one keyless *avatar* account, the
//! [`Config::PalletId`] sub-account of a hash of the user's account, created on first use (and
//! kept in a reverse map avatar → user). [`supply`](Pallet::supply),
//! [`supply_collateral`](Pallet::supply_collateral), [`borrow`](Pallet::borrow),
//! [`repay`](Pallet::repay), [`withdraw`](Pallet::withdraw) and
//! [`withdraw_collateral`](Pallet::withdraw_collateral) are forwarded to [`Config::Lending`] as
//! the avatar; the user pays and receives the assets. [`leave`](Pallet::leave) closes the
//! avatar once it has no debt and no cushion.
//!
//! ## The backstop view of a position
//!
//! For each avatar position the pallet records `debt_backstop = debt_market + cushion`, the
//! cushion being recorded per providing member. Each market runs in one of two modes
//! ([`AvatarParams`], set by [`Config::GovernanceOrigin`], or only made safer by
//! [`Config::EmergencyOrigin`] — a higher margin or top-up band —, changes that affect open
//! positions delayed by [`Config::ParamsDelay`] blocks and announced by event):
//!
//! - **Cushion mode.** When `debt_backstop > collateral · price · lltv · (1 − topup_band)`, the
//!   member the franchise assigns to the position for the current window
//!   ([`Config::Members`]) may [`top_up`](Pallet::top_up): between `min_topup · debt_backstop`
//!   and `debt_backstop / seats` (per member), paid from its committed liquidity, it repays
//!   market debt and becomes cushion. The market then sees a healthier position than the
//!   backstop does. Before any user action the cushion is returned to its providers
//!   (*untop*): a repayment pays the providers first; other actions borrow the cushion back
//!   (which the position must be able to carry) and pay it to the providers. When
//!   `debt_backstop > collateral · price · lltv` the position is liquidatable by the backstop
//!   (see *Liquidation* below).
//! - **Margin mode.** The avatar refuses borrows and collateral withdrawals that leave
//!   `debt > collateral · price · (lltv − margin)`, and the backstop may liquidate as soon as
//!   a position crosses that line, before the market lets anyone else.
//!
//! ## Liquidation
//!
//! The first call that finds a position liquidatable by the backstop's rule (any action, or
//! the permissionless [`sync`](Pallet::sync)) starts its *episode*. During the members'
//! priority only the member the franchise assigns to the position now ([`Config::Members`];
//! for positions above `big_position`, every seat up to `debt_at_start / seats` each) may
//! [`liquidate`](Pallet::liquidate), paying from its committed liquidity. The priority is
//! over once the market's `priority_window` has run since the episode started *and* the
//! franchise's current assignment window has passed its own priority period (so a member that
//! rotated in is never pre-empted at once), or at once when the franchise assigns the
//! position to the pool (no seat sold, every commitment exhausted). Then any keeper may have
//! the backstop pool ([`Config::Pool`]) liquidate it with
//! [`pool_liquidate`](Pallet::pool_liquidate); the members may still act too.
//!
//! A liquidation of `amount` covers the liquidator's own cushion, then the other providers'
//! (bought back at par: the pool has none of its own), then market debt, as far as the market
//! position stays healthy (the cushion is junior to the market's debt); when the market
//! already sees the position unhealthy and `amount` does not cover its debt, the market part
//! goes through the market's own liquidation. The liquidator receives collateral worth
//! `amount · LIF` at the oracle price and pays `user_share` of its gain into the reward jar
//! ([`Config::Jar`]; the market's own share, or the jar's default). A cushion left on a
//! position with no collateral and no debt is written off.
//!
//! When the collateral cannot pay for `amount` at the incentive, the position is wound down:
//! the liquidator takes all the collateral for what it is worth divided by the LIF, never
//! more; the market's debt is paid first, the cushion recovers what is left (pro rata) and
//! absorbs the loss, and what the collateral cannot cover of the market's debt is the
//! market's bad debt. The pool never pays more than what it receives is worth. Once the
//! pool's turn (`pool_turn` blocks after the members' priority) has passed and the market
//! sees the position unhealthy, anyone may liquidate it through the avatar
//! ([`open_liquidate`](Pallet::open_liquidate)): no position is ever unliquidatable. See
//! `liquidation.rs`.
//!
//! The pallet implements [`LiquidationPermission`] for pallet-lending: positions that are not
//! avatars may be liquidated by anyone; an avatar position only by the avatar itself, which
//! only this pallet can make happen, so every liquidation of an avatar keeps the cushion
//! ledger and pays the jar. [`repay_all`](Pallet::repay_all) repays a position to the last
//! unit of interest so the user can [`leave`](Pallet::leave).
//!
//! ## Score and slashing
//!
//! Every change of an avatar position made through the pallet is reported to
//! [`Config::Score`] (supply, collateral and `debt_backstop`). Each action starts with a sync:
//! if the market position's shares differ from those the avatar recorded after its own last
//! change, the change was made outside the avatar. A loss of collateral is a liquidation in
//! the market (reported as an ordinary change); anything else (a repayment on the avatar's
//! behalf, a supply to it) is reported through `on_outside_change`, which slashes.
//!
//! ## Code map and tests
//!
//! `lib.rs` declares config, storage, events, errors and thin calls; `types.rs` the
//! parameters and the position record; `functions.rs` avatars, sync, health and the
//! forwarded user actions; `cushion.rs` top-up and untop; `liquidation.rs` the members' and
//! the pool's liquidations; `params.rs` governance; `permission.rs` the [`LiquidationPermission`] implementation;
//! `invariants.rs` the `try_state` checks (cushions recorded = paid in − returned −
//! consumed − written off; every avatar maps to one user and back). Tests are in
//! `src/tests/` by topic (`avatar`, `cushion`, `liquidate`, `pool`, `margin`, `params`,
//! `sync`, `life` with the whole life of a position in both modes against hand-computed
//! balances), all run through
//! `ExtBuilder::build_and_execute`, which checks the invariants after every test.
//!
//! [`LiquidationPermission`]: backstop_primitives::LiquidationPermission
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
mod cushion;
mod functions;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
mod liquidation;
mod params;
mod permission;
pub mod sweep;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use liquidation::Route;
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

/// What the benchmarks need from the runtime that this pallet cannot do itself.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
    /// The `index`-th market (`index < MaxMarkets`) lending [`Config::StableAsset`] against
    /// a collateral with an oracle price, with at least 10^12 loan units of liquidity to
    /// borrow; and its collateral asset.
    fn market(index: u32) -> (backstop_primitives::MarketId, backstop_primitives::AssetId);
    /// Gives `who` `amount` of `asset`.
    fn fund(
        asset: backstop_primitives::AssetId,
        who: &AccountId,
        amount: backstop_primitives::Balance,
    );
    /// Sets the oracle price of one unit of `collateral`, in stable units.
    fn set_collateral_price(
        collateral: backstop_primitives::AssetId,
        price: sp_arithmetic::FixedU128,
    );
    /// Makes `who` the member assigned to every position, with `commitment` of committed
    /// liquidity.
    fn make_assigned_member(who: &AccountId, commitment: backstop_primitives::Balance);
    /// Gives the backstop pool `amount` of the stable asset it may pay liquidations with.
    fn fund_pool(amount: backstop_primitives::Balance);
    /// Moves to a block at least `blocks` after the current one at which the franchise
    /// window's priority period for `position` in `market` has passed.
    fn pass_window_priority(
        market: backstop_primitives::MarketId,
        position: &AccountId,
        blocks: u32,
    );
}

// The FRAME macros expand code that uses `expect` (on values they have just constructed); the
// hand-written code in this module is declarations and calls that only hand over.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
    use super::*;
    use backstop_primitives::{
        AssetId, BackstopMembers, BackstopPool, Balance, LendingMarket, MarketId, Moment,
        PriceOracle, Privilege, RewardJar, ScoreHook,
    };
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
        /// The lending market the avatars act in.
        type Lending: LendingMarket<Self::AccountId>;

        /// Price of one collateral unit in loan units.
        type Oracle: PriceOracle<AssetId>;

        /// Wall-clock time, for price staleness.
        type Time: UnixTime;

        /// The franchise: who may act on a position now, and the members' committed liquidity.
        type Members: BackstopMembers<Self::AccountId, BlockNumberFor<Self>>;

        /// The user score, told about every change of an avatar position.
        type Score: ScoreHook<Self::AccountId>;

        /// The reward jar that receives `user_share` of a liquidation's gain.
        type Jar: RewardJar<Self::AccountId>;

        /// The backstop pool: the liquidator of avatar positions once the members' priority
        /// is over.
        type Pool: BackstopPool<Self::AccountId>;

        /// The assets the market's positions are made of: an avatar that liquidates itself
        /// through the market passes the collateral on with it.
        type Assets: fungibles::Mutate<Self::AccountId, AssetId = AssetId, Balance = Balance>;

        /// The backstop's stable asset: members' commitments are in it, so top-ups and member
        /// liquidations are only possible in markets that lend it.
        #[pallet::constant]
        type StableAsset: Get<AssetId>;

        /// The origin that sets [`AvatarParams`].
        type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

        /// The origin that may only make [`AvatarParams`] safer (tighten only: each field's
        /// doc says which way); any other change from it fails with
        /// [`Error::EmergencyCannotLoosen`]. Its changes are announced and delayed like any.
        type EmergencyOrigin: EnsureOrigin<Self::RuntimeOrigin>;

        /// The parameters of a market governance never set. Thresholds in loan units
        /// (`big_position`) must suit the stable asset's decimals, so the runtime sets them.
        type DefaultParams: Get<AvatarParams>;

        /// Blocks between the announcement of a parameter change that affects open positions
        /// and its activation.
        #[pallet::constant]
        type ParamsDelay: Get<BlockNumberFor<Self>>;

        /// Oldest oracle price the pallet accepts, in milliseconds.
        #[pallet::constant]
        type MaxPriceAge: Get<Moment>;

        /// Most franchise seats: bounds the cushion providers of one position and the members
        /// that liquidate it in one episode.
        #[pallet::constant]
        type MaxSeats: Get<u32>;

        /// Most markets one avatar can hold positions in.
        #[pallet::constant]
        type MaxMarkets: Get<u32>;

        /// The avatar accounts are sub-accounts of this id.
        #[pallet::constant]
        type PalletId: Get<PalletId>;

        /// Most users one [`pool_liquidate_many`](Pallet::pool_liquidate_many) call takes.
        #[pallet::constant]
        type MaxLiquidationBatch: Get<u32>;

        /// Weights of the calls.
        type WeightInfo: WeightInfo;

        /// Sets up markets, prices and members for the benchmarks.
        #[cfg(feature = "runtime-benchmarks")]
        type BenchmarkHelper: crate::BenchmarkHelper<Self::AccountId>;
    }

    /// The record of one avatar position, by market and avatar account.
    pub type PositionOf<T> = AvatarPosition<
        <T as frame_system::Config>::AccountId,
        BlockNumberFor<T>,
        <T as Config>::MaxSeats,
    >;

    /// Each user's avatar account, once created.
    #[pallet::storage]
    pub type AvatarOf<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, T::AccountId>;

    /// The user of each avatar account (the reverse of [`AvatarOf`]).
    #[pallet::storage]
    pub type UserOf<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, T::AccountId>;

    /// The markets each user's avatar has a position record in.
    #[pallet::storage]
    pub type MarketsOf<T: Config> = StorageMap<
        _,
        Blake2_128Concat,
        T::AccountId,
        BoundedVec<MarketId, T::MaxMarkets>,
        ValueQuery,
    >;

    /// The backstop's record of each avatar position, by market and user.
    #[pallet::storage]
    pub type Positions<T: Config> = StorageDoubleMap<
        _,
        Twox64Concat,
        MarketId,
        Blake2_128Concat,
        T::AccountId,
        PositionOf<T>,
        OptionQuery,
    >;

    /// The parameters in force per market (defaults for markets governance never set).
    #[pallet::storage]
    pub type Params<T: Config> =
        StorageMap<_, Twox64Concat, MarketId, AvatarParams, ValueQuery, T::DefaultParams>;

    /// Announced parameter changes, by market, with their activation block.
    #[pallet::storage]
    pub type Pending<T: Config> =
        StorageMap<_, Twox64Concat, MarketId, PendingParams<BlockNumberFor<T>>>;

    /// Cumulative cushion flows per market, in loan units.
    #[pallet::storage]
    pub type Cushions<T> = StorageMap<_, Twox64Concat, MarketId, CushionTotals, ValueQuery>;

    #[pallet::event]
    #[pallet::generate_deposit(pub(super) fn deposit_event)]
    pub enum Event<T: Config> {
        /// `user`'s avatar account `avatar` was created.
        AvatarCreated {
            user: T::AccountId,
            avatar: T::AccountId,
        },
        /// `user` closed its avatar `avatar`.
        AvatarClosed {
            user: T::AccountId,
            avatar: T::AccountId,
        },
        /// `user`'s avatar performed `action` for `amount` (loan or collateral units) in
        /// `market`.
        Forwarded {
            user: T::AccountId,
            market: MarketId,
            action: UserAction,
            amount: Balance,
        },
        /// `user`'s position in `market` has no collateral and no market debt left: `amount`
        /// of `member`'s cushion cannot be repaid and is written off.
        CushionWrittenOff {
            market: MarketId,
            user: T::AccountId,
            member: T::AccountId,
            amount: Balance,
        },
        /// `member` topped up `user`'s position with `amount`; the position's cushion is now
        /// `cushion` (loan units).
        ToppedUp {
            market: MarketId,
            user: T::AccountId,
            member: T::AccountId,
            amount: Balance,
            cushion: Balance,
        },
        /// `amount` of `member`'s cushion on `user`'s position was returned to it.
        Untopped {
            market: MarketId,
            user: T::AccountId,
            member: T::AccountId,
            amount: Balance,
        },
        /// `liquidator` liquidated `amount` of `user`'s `debt_backstop`: `cushion_used` of
        /// cushion and `repaid` of market debt, for `seized` collateral; `to_jar` stable went
        /// to the reward jar.
        Liquidated {
            market: MarketId,
            user: T::AccountId,
            liquidator: T::AccountId,
            amount: Balance,
            cushion_used: Balance,
            repaid: Balance,
            seized: Balance,
            to_jar: Balance,
        },
        /// A pool batch liquidation in `market` left `user`'s position alone: liquidating it
        /// in full failed with `error` (healthy, priority not over, the pool short of stable,
        /// ...) and changed nothing.
        PoolLiquidationSkipped {
            market: MarketId,
            user: T::AccountId,
            error: DispatchError,
        },
        /// A sync found `user`'s position changed outside the avatar, from `recorded` to
        /// `actual`; `liquidation` if collateral was taken (a liquidation in the market).
        OutsideChange {
            market: MarketId,
            user: T::AccountId,
            recorded: SharesSnapshot,
            actual: SharesSnapshot,
            liquidation: bool,
        },
        /// The backstop saw `user`'s position liquidatable at `since` with `debt_backstop`
        /// `debt`; the member's priority window runs from there.
        EpisodeStarted {
            market: MarketId,
            user: T::AccountId,
            since: BlockNumberFor<T>,
            debt: Balance,
        },
        /// `user`'s position is no longer liquidatable by the backstop's rule.
        EpisodeEnded {
            market: MarketId,
            user: T::AccountId,
        },
        /// Governance announced `params` for `market`, in force from `activation`, instead
        /// of `old` (the parameters in force when it was announced).
        ParamsScheduled {
            market: MarketId,
            old: AvatarParams,
            params: AvatarParams,
            activation: BlockNumberFor<T>,
        },
        /// `market`'s parameters changed from `old` to `new`.
        ParamsUpdated {
            market: MarketId,
            old: AvatarParams,
            new: AvatarParams,
        },
    }

    #[pallet::error]
    pub enum Error<T> {
        /// The amount is zero.
        ZeroAmount,
        /// No lending market has this id.
        UnknownMarket,
        /// The user has no avatar.
        NoAvatar,
        /// The avatar already has positions in `MaxMarkets` markets.
        TooManyMarkets,
        /// Top-ups and member liquidations need a market lending the backstop's stable asset.
        NotStableMarket,
        /// The market is in margin mode: there are no top-ups.
        NotCushionMode,
        /// The position is not within the top-up band.
        NotInTopupBand,
        /// The caller is not the member assigned to this position now (or, for a big
        /// position, not a member).
        NotAssignedMember,
        /// The top-up is below `min_topup · debt_backstop`.
        TopupTooSmall,
        /// The top-up would take the member's cushion above `debt_backstop / seats`, or
        /// repay more than the market debt.
        TopupTooLarge,
        /// The position already has `MaxSeats` cushion providers (or liquidators this episode).
        TooManyProviders,
        /// The position has no debt.
        NoDebt,
        /// The position is not liquidatable by the backstop's rule.
        PositionHealthy,
        /// The liquidation exceeds the position's `debt_backstop`.
        AmountExceedsDebt,
        /// The liquidation exceeds the member's part of a big position.
        ExceedsSeatPart,
        /// Margin mode: the action would leave `debt > collateral · price · (lltv − margin)`.
        MarginExceeded,
        /// The avatar cannot be closed while it has debt.
        HasDebt,
        /// The avatar cannot be closed while a position has cushion.
        HasCushion,
        /// The oracle has no (or a zero) price for the market's assets.
        PriceUnavailable,
        /// The oracle price is older than `MaxPriceAge`.
        PriceStale,
        /// The avatar account is still referenced and cannot be closed.
        AvatarInUse,
        /// The user's derived avatar account is already another user's avatar.
        AvatarCollision,
        /// `margin` outside 0.5 ..= 20 percentage points, or not below the market's `lltv`.
        MarginOutOfBounds,
        /// `topup_band` outside 1 % ..= 50 %.
        TopupBandOutOfBounds,
        /// `min_topup` above 50 %.
        MinTopupOutOfBounds,
        /// `big_position` is zero.
        BigPositionOutOfBounds,
        /// `priority_window` outside 1 ..= `MAX_PRIORITY_WINDOW` blocks.
        PriorityWindowOutOfBounds,
        /// `user_share` above `MAX_USER_SHARE`.
        UserShareOutOfBounds,
        /// The members' priority on the position is not over: the pool may not liquidate it
        /// yet.
        PriorityNotPassed,
        /// The pool's turn on the position is not over: outsiders may not liquidate it yet.
        PoolTurnNotPassed,
        /// The market sees the position healthy: outsiders may only liquidate what the
        /// market itself would let anyone liquidate.
        MarketSeesHealthy,
        /// The pool would pay more than the collateral it receives is worth at the oracle
        /// price (a liquidation too small for the rounding of whole collateral units).
        LiquidationAtALoss,
        /// `pool_turn` outside 1 ..= `MAX_PRIORITY_WINDOW` blocks.
        PoolTurnOutOfBounds,
        /// The emergency origin may only make parameters safer (each field's doc says which
        /// way): this change loosens one, or changes one no direction of which is safer.
        EmergencyCannotLoosen,
        /// The user has no position in this market.
        NoPosition,
        /// The caller holds less of the asset than the action needs.
        InsufficientBalance,
        /// The member's committed liquidity left is below what the top-up or liquidation
        /// needs from it (checked before any transfer).
        InsufficientCommitment,
        /// The liquidation is too small: the collateral it pays is below the collateral
        /// asset's minimum balance.
        DustAmount,
        /// The market charged a liquidation differently from its own quote (a bug in the
        /// market); nothing was done.
        MarketMismatch,
        /// An arithmetic overflow.
        Overflow,
    }

    impl<T> From<ParamError> for Error<T> {
        fn from(e: ParamError) -> Self {
            match e {
                ParamError::Margin => Error::MarginOutOfBounds,
                ParamError::TopupBand => Error::TopupBandOutOfBounds,
                ParamError::MinTopup => Error::MinTopupOutOfBounds,
                ParamError::BigPosition => Error::BigPositionOutOfBounds,
                ParamError::PriorityWindow => Error::PriorityWindowOutOfBounds,
                ParamError::PoolTurn => Error::PoolTurnOutOfBounds,
                ParamError::UserShare => Error::UserShareOutOfBounds,
            }
        }
    }

    #[pallet::hooks]
    impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
        /// The avatar sweep: in the block's spare time, syncs the avatar positions the index
        /// reports liquidatable and has the pool liquidate those whose members' priority is
        /// over (see [`sweep`]).
        fn on_idle(_n: BlockNumberFor<T>, remaining: Weight) -> Weight {
            Self::sweep(remaining)
        }

        #[cfg(feature = "try-runtime")]
        fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
            Self::do_try_state()
        }
    }

    #[pallet::call]
    impl<T: Config> Pallet<T> {
        /// Supply `assets` of the loan asset through the caller's avatar.
        #[pallet::call_index(0)]
        #[pallet::weight(T::WeightInfo::supply())]
        pub fn supply(origin: OriginFor<T>, market: MarketId, assets: Balance) -> DispatchResult {
            let user = ensure_signed(origin)?;
            Self::do_user_action(&user, market, UserAction::Supply, assets)
        }

        /// Pledge `amount` of collateral through the caller's avatar.
        #[pallet::call_index(1)]
        #[pallet::weight(T::WeightInfo::supply_collateral())]
        pub fn supply_collateral(
            origin: OriginFor<T>,
            market: MarketId,
            amount: Balance,
        ) -> DispatchResult {
            let user = ensure_signed(origin)?;
            Self::do_user_action(&user, market, UserAction::SupplyCollateral, amount)
        }

        /// Borrow `assets` through the caller's avatar (after returning any cushion).
        #[pallet::call_index(2)]
        #[pallet::weight(T::WeightInfo::borrow())]
        pub fn borrow(origin: OriginFor<T>, market: MarketId, assets: Balance) -> DispatchResult {
            let user = ensure_signed(origin)?;
            Self::do_user_action(&user, market, UserAction::Borrow, assets)
        }

        /// Repay `assets` of the avatar's `debt_backstop`: the cushion's providers first, then
        /// the market debt.
        #[pallet::call_index(3)]
        #[pallet::weight(T::WeightInfo::repay())]
        pub fn repay(origin: OriginFor<T>, market: MarketId, assets: Balance) -> DispatchResult {
            let user = ensure_signed(origin)?;
            Self::do_user_action(&user, market, UserAction::Repay, assets)
        }

        /// Withdraw `assets` of the avatar's supply (after returning any cushion).
        #[pallet::call_index(4)]
        #[pallet::weight(T::WeightInfo::withdraw())]
        pub fn withdraw(origin: OriginFor<T>, market: MarketId, assets: Balance) -> DispatchResult {
            let user = ensure_signed(origin)?;
            Self::do_user_action(&user, market, UserAction::Withdraw, assets)
        }

        /// Withdraw `amount` of the avatar's collateral (after returning any cushion).
        #[pallet::call_index(5)]
        #[pallet::weight(T::WeightInfo::withdraw_collateral())]
        pub fn withdraw_collateral(
            origin: OriginFor<T>,
            market: MarketId,
            amount: Balance,
        ) -> DispatchResult {
            let user = ensure_signed(origin)?;
            Self::do_user_action(&user, market, UserAction::WithdrawCollateral, amount)
        }

        /// Close the caller's avatar: no debt and no cushion may remain; remaining supply and
        /// collateral are withdrawn to the caller.
        #[pallet::call_index(6)]
        #[pallet::weight(T::WeightInfo::leave(T::MaxMarkets::get()))]
        pub fn leave(origin: OriginFor<T>) -> DispatchResult {
            let user = ensure_signed(origin)?;
            Self::do_leave(&user)
        }

        /// Top up `user`'s position in `market` with `amount` of the caller's committed
        /// liquidity (the assigned member, inside the top-up band).
        #[pallet::call_index(7)]
        #[pallet::weight(T::WeightInfo::top_up())]
        pub fn top_up(
            origin: OriginFor<T>,
            market: MarketId,
            user: T::AccountId,
            amount: Balance,
        ) -> DispatchResult {
            let member = ensure_signed(origin)?;
            Self::do_top_up(&member, market, &user, amount)
        }

        /// Liquidate `amount` (loan units) of `user`'s `debt_backstop` in `market` as the
        /// assigned member, paid from the caller's committed liquidity, for collateral at the
        /// market's LIF. Charged for the heavier route; the lighter one is refunded.
        #[pallet::call_index(8)]
        #[pallet::weight(T::WeightInfo::liquidate().max(T::WeightInfo::liquidate_in_market()))]
        pub fn liquidate(
            origin: OriginFor<T>,
            market: MarketId,
            user: T::AccountId,
            amount: Balance,
        ) -> DispatchResultWithPostInfo {
            let member = ensure_signed(origin)?;
            let route = Self::do_liquidate(
                liquidation::Liquidator::Member(member),
                market,
                &user,
                Some(amount),
            )?;
            Ok(Some(match route {
                Route::Split => T::WeightInfo::liquidate(),
                Route::InMarket => T::WeightInfo::liquidate_in_market(),
            })
            .into())
        }

        /// Sync `user`'s position in `market` (anyone): report changes made outside the
        /// avatar, and start or end its liquidation episode.
        #[pallet::call_index(9)]
        #[pallet::weight(T::WeightInfo::sync())]
        pub fn sync(origin: OriginFor<T>, market: MarketId, user: T::AccountId) -> DispatchResult {
            ensure_signed(origin)?;
            Self::do_sync(market, &user)
        }

        /// Set `market`'s parameters (governance), each within its bounds. Changes to the mode,
        /// margin, band, big-position threshold or priority window are announced and apply
        /// after [`Config::ParamsDelay`] blocks; the others apply at once. The emergency origin
        /// only in the safer direction of each field (see [`AvatarParams`]), compared with the
        /// parameters in force.
        #[pallet::call_index(10)]
        #[pallet::weight(T::WeightInfo::set_params())]
        pub fn set_params(
            origin: OriginFor<T>,
            market: MarketId,
            params: AvatarParams,
        ) -> DispatchResult {
            let privilege = Privilege::of::<_, T::GovernanceOrigin, T::EmergencyOrigin>(origin)?;
            Self::do_set_params(market, params, privilege)
        }

        /// Have the backstop pool liquidate `amount` (loan units) of `user`'s `debt_backstop`
        /// in `market` once the members' priority is over (anyone may call: the caller is the
        /// keeper and earns the pool's `caller_fee` of the gain). The pool buys back the whole
        /// cushion it consumes at par, repays market debt, pays the jar's share and receives
        /// collateral worth `amount · LIF`.
        #[pallet::call_index(11)]
        #[pallet::weight(
            T::WeightInfo::pool_liquidate().max(T::WeightInfo::pool_liquidate_in_market())
        )]
        pub fn pool_liquidate(
            origin: OriginFor<T>,
            market: MarketId,
            user: T::AccountId,
            amount: Balance,
        ) -> DispatchResultWithPostInfo {
            let keeper = ensure_signed(origin)?;
            let route = Self::do_liquidate(
                liquidation::Liquidator::Pool { keeper },
                market,
                &user,
                Some(amount),
            )?;
            Ok(Some(match route {
                Route::Split => T::WeightInfo::pool_liquidate(),
                Route::InMarket => T::WeightInfo::pool_liquidate_in_market(),
            })
            .into())
        }

        /// Have the backstop pool liquidate in full the position of each of `users` in
        /// `market` whose members' priority is over (anyone may call: the caller is the
        /// keeper of each). Each position goes through the same path as
        /// [`pool_liquidate`](Pallet::pool_liquidate) for its whole `debt_backstop`, in its
        /// own storage layer: one that cannot be liquidated is skipped with
        /// [`Event::PoolLiquidationSkipped`] and never fails the batch. Charged per user at
        /// the heavier route; each liquidated position is refunded to the route it took.
        #[pallet::call_index(14)]
        #[pallet::weight(
            T::WeightInfo::pool_liquidate()
                .max(T::WeightInfo::pool_liquidate_in_market())
                .saturating_mul(users.len() as u64)
        )]
        pub fn pool_liquidate_many(
            origin: OriginFor<T>,
            market: MarketId,
            users: BoundedVec<T::AccountId, T::MaxLiquidationBatch>,
        ) -> DispatchResultWithPostInfo {
            let keeper = ensure_signed(origin)?;
            let heavier =
                T::WeightInfo::pool_liquidate().max(T::WeightInfo::pool_liquidate_in_market());
            let mut used = Weight::zero();
            for user in users {
                let attempt = frame_support::storage::with_storage_layer(|| {
                    Self::do_liquidate(
                        liquidation::Liquidator::Pool {
                            keeper: keeper.clone(),
                        },
                        market,
                        &user,
                        None,
                    )
                });
                used = used.saturating_add(match attempt {
                    Ok(Route::Split) => T::WeightInfo::pool_liquidate(),
                    Ok(Route::InMarket) => T::WeightInfo::pool_liquidate_in_market(),
                    Err(error) => {
                        Self::deposit_event(Event::PoolLiquidationSkipped {
                            market,
                            user,
                            error,
                        });
                        heavier
                    }
                });
            }
            Ok(Some(used).into())
        }

        /// Liquidate `amount` (loan units) of `user`'s `debt_backstop` in `market` as anyone,
        /// paying from the caller's own stable for collateral at the market's LIF: allowed
        /// once the members' priority and the pool's turn (`pool_turn` blocks after it) have
        /// passed and the market itself sees the position unhealthy. Goes through the avatar
        /// like every liquidation of an avatar position, so the cushion ledger stays right.
        #[pallet::call_index(12)]
        #[pallet::weight(T::WeightInfo::liquidate().max(T::WeightInfo::liquidate_in_market()))]
        pub fn open_liquidate(
            origin: OriginFor<T>,
            market: MarketId,
            user: T::AccountId,
            amount: Balance,
        ) -> DispatchResultWithPostInfo {
            let liquidator = ensure_signed(origin)?;
            let route = Self::do_liquidate(
                liquidation::Liquidator::Anyone(liquidator),
                market,
                &user,
                Some(amount),
            )?;
            Ok(Some(match route {
                Route::Split => T::WeightInfo::liquidate(),
                Route::InMarket => T::WeightInfo::liquidate_in_market(),
            })
            .into())
        }

        /// Repay the whole `debt_backstop` of the caller's position in `market` (the
        /// cushion's providers first, then every borrow share of the market debt, interest
        /// up to this block included), so the position can be closed with
        /// [`leave`](Pallet::leave) without a remainder.
        #[pallet::call_index(13)]
        #[pallet::weight(T::WeightInfo::repay())]
        pub fn repay_all(origin: OriginFor<T>, market: MarketId) -> DispatchResult {
            let user = ensure_signed(origin)?;
            Self::do_repay_all(&user, market)
        }
    }

    #[pallet::view_functions]
    impl<T: Config> Pallet<T> {
        /// `user`'s avatar account (whether or not it exists yet).
        pub fn avatar_account(user: T::AccountId) -> T::AccountId {
            Self::avatar_of(&user)
        }

        /// Whether the backstop pool may liquidate `user`'s position in `market` now (the
        /// members' priority is over).
        pub fn pool_may_liquidate(market: MarketId, user: T::AccountId) -> bool {
            Self::priority_passed(market, &user)
        }

        /// `user`'s `debt_backstop` in `market` (market debt plus cushion), in loan units.
        pub fn debt_backstop_of(
            market: MarketId,
            user: T::AccountId,
        ) -> Result<Balance, DispatchError> {
            Self::debt_backstop(market, &user)
        }
    }

    /// A user action forwarded to the lending market.
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
    )]
    pub enum UserAction {
        /// Supply the loan asset.
        Supply,
        /// Pledge collateral.
        SupplyCollateral,
        /// Borrow the loan asset.
        Borrow,
        /// Repay debt (cushion first).
        Repay,
        /// Withdraw supplied loan asset.
        Withdraw,
        /// Withdraw collateral.
        WithdrawCollateral,
    }
}
