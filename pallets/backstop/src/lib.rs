//! # Backstop pallet: the backstop pool, the franchise, the user score and the reward jar
//!
//! A multi-collateral B.AMM. Depositors put the stable asset into one pool for shares
//! ([`deposit`](Pallet::deposit)); the pool pays the debt of unhealthy lending positions and
//! receives their collateral at the market's liquidation incentive
//! ([`liquidate`](Pallet::liquidate), open to any keeper, who may earn `caller_fee` of the
//! gain; avatar positions go through pallet-avatar's `pool_liquidate` once the members'
//! priority is over, which draws on the pool through
//! [`BackstopPool`](backstop_primitives::BackstopPool) and books the same way); arbitrageurs buy that collateral back for the stable asset at the oracle price minus
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
//! paid round down; the pool value used to price a deposit rounds up (the lent stable counts
//! one unit above its withdrawable value, which the market rounds down); a swap whose output
//! is clamped at the pool's whole holding pays only the curve's price of that holding
//! (rounded up) and the fee on it. A withdrawal's part that the depositor's account could
//! not receive (below the asset's minimum balance) stays in the pool, booked, for the
//! remaining depositors. Amounts above what the caller holds (or above the borrower's
//! collateral, for a liquidation) are refused with the pallet's own error before anything
//! moves.
//!
//! ## Idle yield
//!
//! A governance-set fraction ([`PoolParams::lend_fraction`], at most 90 %, so at least 10 %
//! stays liquid) of the pool's stable is supplied to the lending market
//! [`Config::YieldMarket`] — but nothing while that market's liquidation index shows a
//! position liquidatable within [`PoolParams::LIQUIDATION_LOOKAHEAD`] of the current price:
//! then the pool recalls what the market can pay, to keep stable liquid for liquidations.
//! A withdrawal always succeeds: the depositor's pro-rata part of the lent stable is recalled
//! as far as the market can pay now, and what it cannot pay (full utilisation) stays lent as
//! the depositor's claim ([`LentClaims`], supply shares held for them, earning the market's
//! interest, outside the pool's value), paid out by [`redeem`](Pallet::redeem) when liquidity
//! returns. A liquidation that needs more stable than is idle and recallable fails with
//! [`Error::LendingIlliquid`] and changes nothing.
//!
//! ## Parameters
//!
//! [`PoolParams`] (one storage value): `A` (20..=200, default 20), `fee_bps` (≤ 100, default
//! 0), `max_discount_bps` (≤ 1 000, default 400), `max_price_age` (1 min ..= 1 day, default
//! 1 h), `caller_fee_bps` (≤ 100), `lend_fraction` (≤ 90 %), set by
//! [`Config::GovernanceOrigin`] through [`set_params`](Pallet::set_params), each change an
//! event.
//!
//! The setters of the pool, sweep, franchise, sharing and score weights also accept
//! [`Config::EmergencyOrigin`], which may only make the pool safer
//! ("tighten only", see `governance.rs`): lower the sweep cap, `max_discount_bps`,
//! `max_price_age` and `lend_fraction`, raise the franchise's `min_commitment`; any other
//! change from it (a looser bound, a field with no safer direction, the sharing parameters
//! and score weights, which move proceeds) fails with [`Error::EmergencyCannotLoosen`]. Each
//! parameter's doc says its safer direction; the tests are in `tests/emergency.rs`. The
//! rebalance parameters and the governance sale decide when and at what price the pool's
//! funds are sold: only [`Config::GovernanceOrigin`] reaches them.
//!
//! ## No keeper needed
//!
//! The block's idle time liquidates what the index reports liquidatable (the same-block
//! sweep, [`Pallet::sweep`], up to [`SweepCap`] positions per market), then sells collateral
//! back to the stable asset on the DEX when it is too large a share of the pool, within
//! `max_slippage` of the oracle price ([`rebalance`]). What the sweep could not fit is finished
//! by the offchain [`keeper`] worker's authorized [`keeper_sweep`](Pallet::keeper_sweep) in
//! the next block.
//!
//! ## Franchise
//!
//! Time is cut into epochs (blocks). During each epoch an auction sells the seats of the
//! next one ([`bid`](Pallet::bid)): a bid reserves an amount and a liquidity commitment in
//! the stable asset, can only be raised, and must enter the winning set. An auction holds at
//! most [`Config::MaxBidders`] bids; when it is full (in the candle, which keeps outbid bids) a
//! new bid *displaces* the lowest standing bid if it beats it by at least
//! [`FranchiseParams::MIN_BID_INCREMENT`] (5 %), and the displaced reserve is booked for
//! [`withdraw_refund`](Pallet::withdraw_refund), so cheap bids cannot lock the auction. The
//! auction ends
//! with a *candle*: the closing sample of its ending period is drawn from
//! [`Config::Randomness`] at settlement (`on_initialize` of the epoch's last block + 1), so
//! a last-moment bid may come after the close and not count. Winners pay the lowest winning
//! bid into the reward jar; their commitments become the members' committed liquidity, which
//! the avatar pallet draws for top-ups and liquidations and returns with what it earned
//! (through [`BackstopMembers`](backstop_primitives::BackstopMembers)); at the franchise's
//! end what is left goes back to each member. Positions rotate among the members per window
//! (`seat = hash(market, position, epoch, window) mod seats`, exhausted members skipped, the
//! pool as the member of last resort). See [`franchise`].
//!
//! Reservation is a transfer into the keyless [vault](Pallet::vault_account) with explicit
//! books (pallet-assets has no holds by default); `try_state` checks the vault covers bids,
//! commitments, the jar, every unclaimed reward and deferred payouts.
//!
//! ## Score and reward jar
//!
//! The avatar pallet reports every balance change of its users through
//! [`ScoreHook`](backstop_primitives::ScoreHook). Per (market, side) a governance-set weight
//! turns the *value* of balances into score: a balance counts at its book's price (oracle
//! price and decimals, in stable units, refreshed whenever the book is touched), so a dollar
//! of any asset weighs a dollar times the weight; the jar's income of an epoch (auction
//! payments, `user_share`
//! of liquidation gains paid in through [`RewardJar`](backstop_primitives::RewardJar), and
//! `fee_share` of the pool's swap fees) is streamed over the next epoch by a reward-per-unit
//! accumulator, O(1) per update and per entry claimed ([`claim`](Pallet::claim)). A balance
//! changed outside the avatar (someone repaying or supplying for the user in the market) is
//! slashed either way: the changed part earns nothing since the last sync and forfeits what
//! that much earned since the epoch's start (never more than the change is worth), and a rise
//! counts only from the next change through the avatar. See [`score`] and `jar.rs`.
//!
//! [`SharingParams`] (`user_share` ≤ 50 %, `fee_share`, default weights ≤ 10^6) and
//! [`FranchiseParams`] (epoch, seats, candle, window, priority, minimum bid and commitment)
//! are each one storage value set by [`Config::GovernanceOrigin`], each change an event;
//! franchise changes apply from the next epoch. Per-pair weights are set with
//! [`set_score_weight`](Pallet::set_score_weight).
//!
//! ## Code map and tests
//!
//! `lib.rs` declares config, storage, events, errors and thin calls; [`curve`] is the pure
//! StableSwap math; `pool.rs` deposits, withdrawals, swaps and valuation; `liquidation.rs`
//! liquidations; `lending.rs` the idle-yield supply; [`franchise`] the auction, assignment
//! and commitments; [`score`] the score books and slashing; `jar.rs` the jar's stream and
//! claims; [`rebalance`] the DEX sales; [`keeper`] the offchain worker and its authorized
//! call; `impls.rs` the traits the pallet offers its neighbours; `invariants.rs` the `try_state` checks; [`runtime_api`] the runtime APIs. Tests
//! are in `src/tests/` by topic (`curve` with the vectors and property tests, `deposit`,
//! `withdraw`, `swap`, `liquidate`, `lending`, `params`, `scenarios` with the crash and the
//! oracle outage, `franchise`, `assignment`, `score`), all run through
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
pub mod franchise;
mod governance;
mod impls;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
mod jar;
pub mod keeper;
mod lending;
mod liquidation;
mod pool;
pub mod rebalance;
pub mod runtime_api;
pub mod score;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use liquidation::SWEEP_MARKETS;
pub use pallet::*;
pub use rebalance::{CollateralDex, RebalanceParams};
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
    use backstop_primitives::{
        AssetId, Balance, LendingMarket, MarketId, PriceOracle, Privilege, Safer, Shares, Side,
    };
    use frame_support::{
        pallet_prelude::*,
        traits::{fungibles, Randomness, UnixTime},
        PalletId,
    };
    use frame_system::pallet_prelude::*;
    use sp_arithmetic::FixedU128;

    #[pallet::pallet]
    pub struct Pallet<T>(_);

    #[pallet::config]
    pub trait Config:
        frame_system::Config + frame_system::offchain::CreateAuthorizedTransaction<Call<Self>>
    {
        /// The stable asset and the collaterals.
        type Assets: fungibles::Mutate<Self::AccountId, AssetId = AssetId, Balance = Balance>;

        /// Price of one collateral unit in stable units.
        type Oracle: PriceOracle<AssetId>;

        /// The lending market the pool liquidates in and lends its idle stable to.
        type Lending: LendingMarket<Self::AccountId>;

        /// Wall-clock time, for price staleness.
        type Time: UnixTime;

        /// The origin that sets every parameter ([`PoolParams`], [`SweepCap`],
        /// [`FranchiseParams`], [`SharingParams`], score weights) within its bounds.
        type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

        /// The origin that may only make parameters safer
        /// ([`Privilege::TightenOnly`](backstop_primitives::Privilege)): each parameter's
        /// doc says which way is safer; any other change from it fails with
        /// [`Error::EmergencyCannotLoosen`].
        type EmergencyOrigin: EnsureOrigin<Self::RuntimeOrigin>;

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

        /// On-chain randomness: draws the franchise auction's closing sample (the candle).
        /// `pallet-insecure-randomness-collective-flip` on the dev chain; a production chain
        /// should use a VRF-based source (BABE's or the relay chain's).
        type Randomness: Randomness<Self::Hash, BlockNumberFor<Self>>;

        /// Most seats a franchise can have (the bound of [`FranchiseParams::seats`]).
        #[pallet::constant]
        type MaxSeats: Get<u32>;

        /// Most bidders one auction can hold; bounds the settlement's cost.
        #[pallet::constant]
        type MaxBidders: Get<u32>;

        /// Most candle samples (the bound of [`FranchiseParams::candle_samples`]).
        #[pallet::constant]
        type MaxCandleSamples: Get<u32>;

        /// Most (market, side) score entries one user can have (at least three per lending
        /// market the avatar pallet scores); bounds `claim`'s cost.
        #[pallet::constant]
        type MaxUserEntries: Get<u32>;

        /// Most positions one [`liquidate_many`](Pallet::liquidate_many) call takes.
        #[pallet::constant]
        type MaxLiquidationBatch: Get<u32>;

        /// The DEX the pool sells collateral on to rebalance (see [`rebalance`]); `()` for
        /// none.
        type Dex: crate::CollateralDex<Self::AccountId>;

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

    /// Supply shares of [`Config::YieldMarket`] the pool holds for a former depositor whose
    /// withdrawal the market could not pay back in full (its claim, paid out by
    /// [`redeem`](Pallet::redeem)); absent when zero. Not part of the pool's value.
    #[pallet::storage]
    pub type LentClaims<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Shares>;

    /// Sum of [`LentClaims`], in supply shares.
    #[pallet::storage]
    pub type TotalLentClaims<T> = StorageValue<_, Shares, ValueQuery>;

    /// Collateral held by the pool, by asset, in collateral units; assets with a zero balance
    /// are removed.
    #[pallet::storage]
    pub type Collaterals<T: Config> =
        StorageValue<_, BoundedBTreeMap<AssetId, Balance, T::MaxCollaterals>, ValueQuery>;

    /// The most positions the same-block sweep liquidates per market and block (governance;
    /// at most [`Config::MaxLiquidationBatch`], zero turns the sweep off).
    #[pallet::storage]
    pub type SweepCap<T> = StorageValue<_, u32, ValueQuery, DefaultSweepCap>;

    /// The default [`SweepCap`]: 16 positions per market and block.
    #[pallet::type_value]
    pub fn DefaultSweepCap() -> u32 {
        16
    }

    /// The market the sweep looks at next.
    #[pallet::storage]
    pub type SweepCursor<T> = StorageValue<_, MarketId, ValueQuery>;

    /// When and how the pool sells collateral on the DEX (governance).
    #[pallet::storage]
    pub type RebalanceParameters<T> = StorageValue<_, crate::RebalanceParams, ValueQuery>;

    /// The franchise's governance parameters (a change applies from the next epoch).
    #[pallet::storage]
    pub type FranchiseParameters<T> = StorageValue<_, FranchiseParams, ValueQuery>;

    /// How the users share in the proceeds, and the default score weights.
    #[pallet::storage]
    pub type SharingParameters<T> = StorageValue<_, SharingParams, ValueQuery>;

    /// The running epoch.
    #[pallet::storage]
    pub type Epoch<T: Config> = StorageValue<_, EpochInfo<BlockNumberFor<T>>>;

    /// The live bids of the running auction (held in the vault), by bidder.
    #[pallet::storage]
    pub type Bids<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Bid>;

    /// Number of entries in [`Bids`] (at most [`Config::MaxBidders`]).
    #[pallet::storage]
    pub type BidderCount<T> = StorageValue<_, u32, ValueQuery>;

    /// The winning set of the running auction: at most `seats` bids, highest first.
    #[pallet::storage]
    pub type Winning<T: Config> = StorageValue<_, crate::franchise::WinningSet<T>, ValueQuery>;

    /// The winning set when the first bid of the ending period arrived (the close if the
    /// drawn sample precedes every recorded one); absent while no bid came in the candle.
    #[pallet::storage]
    pub type CandleStart<T: Config> = StorageValue<_, crate::franchise::WinningSet<T>>;

    /// The candle samples with a recorded winning set, ascending.
    #[pallet::storage]
    pub type CandleSamples<T: Config> =
        StorageValue<_, BoundedVec<u32, T::MaxCandleSamples>, ValueQuery>;

    /// The winning set at the end of each candle sample in which a bid was placed.
    #[pallet::storage]
    pub type CandleSnapshots<T: Config> =
        StorageMap<_, Twox64Concat, u32, crate::franchise::WinningSet<T>>;

    /// The seats of the running epoch's franchise, in seat order, with their committed
    /// liquidity (held in the vault).
    #[pallet::storage]
    pub type Seats<T: Config> =
        StorageValue<_, BoundedVec<Seat<T::AccountId>, T::MaxSeats>, ValueQuery>;

    /// Payouts (released bids, returned commitments) that could not be transferred when due,
    /// held in the vault until [`Pallet::withdraw_refund`].
    #[pallet::storage]
    pub type Refunds<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Balance>;

    /// The reward jar's books.
    #[pallet::storage]
    pub type Jar<T: Config> = StorageValue<_, JarState<BlockNumberFor<T>>, ValueQuery>;

    /// Reward released so far per weighted unit of score (stable units, rounded down).
    #[pallet::storage]
    pub type RewardPerWeight<T> = StorageValue<_, FixedU128, ValueQuery>;

    /// [`RewardPerWeight`] at the running epoch's first block (for slashing).
    #[pallet::storage]
    pub type EpochStartReward<T> = StorageValue<_, FixedU128, ValueQuery>;

    /// `Σ ⌈weight · total⌉` over all score books.
    #[pallet::storage]
    pub type TotalWeighted<T> = StorageValue<_, Balance, ValueQuery>;

    /// The score book of each (market, side).
    #[pallet::storage]
    pub type ScoreBooks<T> = StorageMap<_, Blake2_128Concat, (MarketId, Side), ScoreBook>;

    /// Each user's score entries and unclaimed reward.
    #[pallet::storage]
    pub type UserScores<T: Config> =
        StorageMap<_, Blake2_128Concat, T::AccountId, UserScore<T::MaxUserEntries>>;

    #[pallet::genesis_config]
    #[derive(frame_support::DefaultNoBound)]
    pub struct GenesisConfig<T: Config> {
        /// Initial parameters (must be within bounds).
        pub params: PoolParams,
        /// Initial franchise parameters (must be within bounds); epoch 0 starts at genesis.
        #[serde(default)]
        pub franchise: FranchiseParams,
        /// Initial sharing parameters (must be within bounds).
        #[serde(default)]
        pub sharing: SharingParams,
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
            if self
                .franchise
                .validate(T::MaxSeats::get(), T::MaxCandleSamples::get())
                .is_err()
            {
                panic!(
                    "backstop genesis franchise parameters out of bounds: {:?}",
                    self.franchise
                );
            }
            if self.sharing.validate().is_err() {
                panic!(
                    "backstop genesis sharing parameters out of bounds: {:?}",
                    self.sharing
                );
            }
            Params::<T>::put(self.params);
            FranchiseParameters::<T>::put(self.franchise);
            SharingParameters::<T>::put(self.sharing);
            Epoch::<T>::put(Pallet::<T>::new_epoch(
                0,
                frame_system::Pallet::<T>::block_number(),
                self.franchise,
            ));
            // The pool and the vault exist for as long as the chain: they may hold
            // non-sufficient assets.
            frame_system::Pallet::<T>::inc_providers(&Pallet::<T>::account_id());
            frame_system::Pallet::<T>::inc_providers(&Pallet::<T>::vault_account());
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
        /// `who` paid `stable_in` (of which `fee` went to the fee account and, `fee_share` of
        /// it, to the jar) for `out` of `asset`.
        Swapped {
            who: T::AccountId,
            asset: AssetId,
            stable_in: Balance,
            out: Balance,
            fee: Balance,
        },
        /// The pool liquidated `borrower` in `market` (directly, or an avatar position through
        /// the avatar pallet): paid `repaid` stable (for an avatar position: everything the
        /// liquidation cost, cushion bought back and the jar's share included), received
        /// `seized` collateral, of which `caller_fee` went to `caller`.
        Liquidated {
            caller: T::AccountId,
            market: MarketId,
            borrower: T::AccountId,
            collateral_asset: AssetId,
            repaid: Balance,
            seized: Balance,
            caller_fee: Balance,
        },
        /// A batch liquidation by `caller` in `market` liquidated `liquidated` positions in
        /// full (each also reported by the lending market's `Liquidated` event) and skipped
        /// `skipped` (each reported by [`Event::LiquidationSkipped`]): the pool paid `repaid`
        /// stable and received `seized` collateral, of which `caller_fee` went to `caller`.
        BatchLiquidated {
            caller: T::AccountId,
            market: MarketId,
            collateral_asset: AssetId,
            liquidated: u32,
            skipped: u32,
            repaid: Balance,
            seized: Balance,
            caller_fee: Balance,
        },
        /// Governance set the sweep's per-market, per-block cap from `old` to `new`.
        SweepCapSet { old: u32, new: u32 },
        /// A batch liquidation left `borrower`'s position in `market` alone, for `reason`.
        LiquidationSkipped {
            market: MarketId,
            borrower: T::AccountId,
            reason: backstop_primitives::SkipReason,
        },
        /// `amount` of stable supplied to the yield market for `shares`.
        Lent { amount: Balance, shares: Shares },
        /// `amount` of stable recalled from the yield market, burning `shares`.
        Recalled { amount: Balance, shares: Shares },
        /// A withdrawal left `shares` lent supply shares, which the yield market could not pay
        /// back now, as `who`'s claim.
        ClaimBooked { who: T::AccountId, shares: Shares },
        /// `who` redeemed `amount` stable of its claim (`shares` supply shares burnt); `left`
        /// shares stay claimed.
        ClaimRedeemed {
            who: T::AccountId,
            amount: Balance,
            shares: Shares,
            left: Shares,
        },
        /// Governance changed the parameters.
        ParamsUpdated { old: PoolParams, new: PoolParams },
        /// `bidder` bids `amount` for a seat of the next epoch, committing `commitment`.
        BidPlaced {
            bidder: T::AccountId,
            amount: Balance,
            commitment: Balance,
        },
        /// `bidder`'s bid (amount and commitment, `amount` in total) was released.
        BidReleased {
            bidder: T::AccountId,
            amount: Balance,
        },
        /// `bidder`'s bid was displaced from the full auction by `by`'s better bid; its
        /// reserve (`refund`, amount and commitment) waits in [`Refunds`].
        BidDisplaced {
            bidder: T::AccountId,
            by: T::AccountId,
            refund: Balance,
        },
        /// The auction for `epoch` closed at candle sample `closing_sample` (`None`: no bid
        /// in the candle); `winners` (seat order) each paid `clearing_price` into the jar.
        AuctionSettled {
            epoch: u32,
            closing_sample: Option<u32>,
            clearing_price: Balance,
            winners: BoundedVec<T::AccountId, T::MaxSeats>,
        },
        /// Epoch `epoch` runs over blocks `[start, end)`.
        EpochStarted {
            epoch: u32,
            start: BlockNumberFor<T>,
            end: BlockNumberFor<T>,
        },
        /// `amount` of `member`'s committed liquidity was paid out.
        CommitmentDrawn {
            member: T::AccountId,
            amount: Balance,
            available: Balance,
        },
        /// `amount` was paid back into `member`'s committed liquidity.
        CommitmentReplenished {
            member: T::AccountId,
            amount: Balance,
            available: Balance,
        },
        /// `amount` of committed liquidity went back to `member` (its franchise ended).
        CommitmentReturned {
            member: T::AccountId,
            amount: Balance,
        },
        /// A payout of `amount` to `who` could not be made; it waits in [`Refunds`].
        PayoutDeferred { who: T::AccountId, amount: Balance },
        /// `who` withdrew `amount` of deferred payouts.
        RefundWithdrawn { who: T::AccountId, amount: Balance },
        /// `amount` was paid into the jar.
        JarFunded {
            source: IncomeSource,
            amount: Balance,
        },
        /// The jar streams `amount` over epoch `epoch`.
        JarStreaming { epoch: u32, amount: Balance },
        /// `who` claimed `amount` of reward.
        Claimed { who: T::AccountId, amount: Balance },
        /// `user`'s balance in (`market`, `side`) fell by `difference` outside the avatar;
        /// `lost` of its reward went back to the jar.
        ScoreSlashed {
            user: T::AccountId,
            market: MarketId,
            side: Side,
            difference: Balance,
            lost: Balance,
        },
        /// `user` has no room for another score entry: (`market`, `side`) is not scored.
        ScoreEntriesFull {
            user: T::AccountId,
            market: MarketId,
            side: Side,
        },
        /// Governance changed the franchise parameters (effective from the next epoch).
        FranchiseParamsUpdated {
            old: FranchiseParams,
            new: FranchiseParams,
        },
        /// Governance changed the sharing parameters.
        SharingParamsUpdated {
            old: SharingParams,
            new: SharingParams,
        },
        /// Governance changed the score weight of (`market`, `side`).
        ScoreWeightSet {
            market: MarketId,
            side: Side,
            old: FixedU128,
            new: FixedU128,
        },
        /// The pool sold `sold` of `asset` on the DEX for `received` stable; at the oracle
        /// price it was worth `oracle_value`.
        Rebalanced {
            asset: AssetId,
            sold: Balance,
            received: Balance,
            oracle_value: Balance,
        },
        /// The idle-time rebalance was due but the DEX does not pay within `max_slippage` of
        /// the oracle price (or has no pool for the pair): nothing was sold.
        RebalanceRefused { error: DispatchError },
        /// Governance changed the rebalance parameters.
        RebalanceParamsUpdated {
            old: crate::RebalanceParams,
            new: crate::RebalanceParams,
        },
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
        /// The liquidation asks for more collateral than the borrower has pledged.
        SeizeExceedsCollateral,
        /// The account has no claim on lent stable.
        NoClaim,
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
        /// The emergency origin may only make parameters safer (each parameter's doc says
        /// which way): this change loosens one, or changes one no direction of which is safer.
        EmergencyCannotLoosen,
        /// An arithmetic overflow (or the pool's books disagree with a neighbour's answer).
        Overflow,
        /// The epoch is over and its auction awaits settlement.
        AuctionClosed,
        /// The bid is below `min_bid`.
        BidTooLow,
        /// The commitment is below `min_commitment`.
        CommitmentTooLow,
        /// A new bid must exceed both the old amount and commitment or one of them, lowering
        /// neither.
        BidNotRaised,
        /// The winning set is full and the bid does not beat its lowest bid.
        BidBelowWinning,
        /// The auction already holds `MaxBidders` bidders.
        TooManyBidders,
        /// The account holds no seat in the current franchise.
        NotMember,
        /// The member's available committed liquidity is less than asked.
        CommitmentExhausted,
        /// No deferred payout to withdraw.
        NoRefund,
        /// No reward to claim (or none the vault can pay and keep its minimum balance).
        NothingToClaim,
        /// `epoch_length` outside 10 ..= 5 256 000 blocks.
        EpochLengthOutOfBounds,
        /// `seats` outside 1 ..= `MaxSeats`.
        SeatsOutOfBounds,
        /// `ending_period` outside 1 ..= half the epoch.
        EndingPeriodOutOfBounds,
        /// `candle_samples` outside 1 ..= min(`MaxCandleSamples`, `ending_period`).
        CandleSamplesOutOfBounds,
        /// `window_length` outside 1 ..= `epoch_length`.
        WindowLengthOutOfBounds,
        /// `priority_period` above `window_length`.
        PriorityPeriodOutOfBounds,
        /// `min_bid` is zero.
        MinBidOutOfBounds,
        /// `min_commitment` is zero.
        MinCommitmentOutOfBounds,
        /// `user_share` above 50 %.
        UserShareOutOfBounds,
        /// A score weight above `SharingParams::MAX_WEIGHT`.
        WeightOutOfBounds,
        /// The auction holds `MaxBidders` bidders and the bid does not beat its lowest
        /// standing bid by [`FranchiseParams::MIN_BID_INCREMENT`].
        BidIncrementTooLow,
        /// The caller's balance of the asset cannot pay the amount.
        InsufficientBalance,
        /// An amount (or the sum of two) above the stable asset's total issuance: no account
        /// can hold it.
        AmountTooLarge,
        /// The sweep cap is above `MaxLiquidationBatch`.
        SweepCapOutOfBounds,
        /// The pool's collateral share is not above the rebalance trigger.
        RebalanceNotNeeded,
        /// The rebalance would sell nothing (the asset's excess is below one unit, or all of
        /// it must stay to keep the pool's account above the minimum balance).
        RebalanceTooSmall,
        /// The DEX does not pay within `max_slippage` of the oracle price (or has no pool).
        DexPriceOutOfBounds,
        /// The rebalance `trigger` is zero.
        RebalanceTriggerOutOfBounds,
        /// The rebalance `target` is above its `trigger`.
        RebalanceTargetOutOfBounds,
        /// The rebalance `max_slippage` is above 10 %.
        SlippageOutOfBounds,
        /// The sweep is off (its cap is zero): no keeper sweep either.
        SweepDisabled,
        /// The keeper sweep found no position the pool could liquidate.
        NothingToLiquidate,
    }

    impl<T> From<crate::rebalance::RebalanceParamError> for Error<T> {
        fn from(e: crate::rebalance::RebalanceParamError) -> Self {
            use crate::rebalance::RebalanceParamError as E;
            match e {
                E::Trigger => Error::RebalanceTriggerOutOfBounds,
                E::Target => Error::RebalanceTargetOutOfBounds,
                E::Slippage => Error::SlippageOutOfBounds,
            }
        }
    }

    impl<T> From<FranchiseParamError> for Error<T> {
        fn from(e: FranchiseParamError) -> Self {
            match e {
                FranchiseParamError::EpochLength => Error::EpochLengthOutOfBounds,
                FranchiseParamError::Seats => Error::SeatsOutOfBounds,
                FranchiseParamError::EndingPeriod => Error::EndingPeriodOutOfBounds,
                FranchiseParamError::CandleSamples => Error::CandleSamplesOutOfBounds,
                FranchiseParamError::WindowLength => Error::WindowLengthOutOfBounds,
                FranchiseParamError::PriorityPeriod => Error::PriorityPeriodOutOfBounds,
                FranchiseParamError::MinBid => Error::MinBidOutOfBounds,
                FranchiseParamError::MinCommitment => Error::MinCommitmentOutOfBounds,
            }
        }
    }

    impl<T> From<SharingParamError> for Error<T> {
        fn from(e: SharingParamError) -> Self {
            match e {
                SharingParamError::UserShare => Error::UserShareOutOfBounds,
                SharingParamError::Weight => Error::WeightOutOfBounds,
            }
        }
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
        /// At an epoch's end, settles its auction and starts the next franchise (bounded by
        /// `MaxBidders`); otherwise one read.
        fn on_initialize(now: BlockNumberFor<T>) -> Weight {
            match Epoch::<T>::get() {
                None => {
                    // No genesis epoch (the pallet was added by an upgrade): start now.
                    let params = FranchiseParameters::<T>::get();
                    Epoch::<T>::put(Self::new_epoch(0, now, params));
                    T::DbWeight::get().reads_writes(2, 1)
                }
                Some(epoch) if now >= epoch.end => {
                    let bidders = BidderCount::<T>::get();
                    Self::settle_epoch(now);
                    T::WeightInfo::settle_epoch(bidders)
                }
                Some(_) => T::DbWeight::get().reads(1),
            }
        }

        /// The same-block sweep: with the block's spare weight, the pool liquidates the
        /// positions the lending market's index reports liquidatable (see
        /// [`Pallet::sweep`]).
        fn on_idle(_n: BlockNumberFor<T>, remaining: Weight) -> Weight {
            Self::sweep(remaining)
        }

        /// The keeper worker: submits a [`keeper_sweep`](Pallet::keeper_sweep) for each
        /// market where positions the pool could liquidate are left after the block (see
        /// [`keeper`]).
        fn offchain_worker(n: BlockNumberFor<T>) {
            Self::keeper_worker(n);
        }

        fn integrity_test() {
            assert!(T::MaxSeats::get() >= 1, "MaxSeats must be at least 1");
            assert!(
                T::MaxBidders::get() >= T::MaxSeats::get(),
                "MaxBidders must be at least MaxSeats"
            );
            assert!(
                T::MaxCandleSamples::get() >= 1,
                "MaxCandleSamples must be at least 1"
            );
        }

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

        /// Redeem the caller's claim on lent stable (left by a withdrawal the yield market
        /// could not pay back in full): the market pays what it can of it now, the rest stays
        /// claimed.
        #[pallet::call_index(11)]
        #[pallet::weight(T::WeightInfo::withdraw(0))]
        pub fn redeem(origin: OriginFor<T>) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_redeem(&who).map(|_| ())
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

        /// Liquidate in full, in one pass, every position of `borrowers` in `market` that is
        /// liquidatable now: the pool pays each debt in the stable asset out of its idle
        /// reserve and receives the collateral worth it times the market's LIF; the caller
        /// earns `caller_fee_bps` of the batch's gain, in collateral. A position that cannot
        /// be liquidated (no debt, healthy, an avatar's, or beyond the pool's idle stable) is
        /// skipped with [`Event::LiquidationSkipped`], never failing the batch. The market,
        /// the price and the pool's books are read and written once per batch; each position
        /// costs one storage key. Charged for `borrowers.len()` liquidations; the unused part
        /// (skipped positions) is refunded.
        #[pallet::call_index(12)]
        #[pallet::weight(T::WeightInfo::liquidate_many(borrowers.len() as u32, 0))]
        pub fn liquidate_many(
            origin: OriginFor<T>,
            market: MarketId,
            borrowers: BoundedVec<T::AccountId, T::MaxLiquidationBatch>,
        ) -> DispatchResultWithPostInfo {
            let caller = ensure_signed(origin)?;
            let (liquidated, skipped) = Self::do_liquidate_many(&caller, market, &borrowers)?;
            Ok(Some(T::WeightInfo::liquidate_many(liquidated, skipped)).into())
        }

        /// Set the most positions the same-block sweep liquidates per market and block
        /// (governance; at most `MaxLiquidationBatch`; zero turns the sweep off). The
        /// emergency origin may only lower it (stop the automatic sweep; keepers can still
        /// liquidate with `liquidate_many`).
        #[pallet::call_index(13)]
        #[pallet::weight(T::WeightInfo::set_franchise_params())]
        pub fn set_sweep_cap(origin: OriginFor<T>, cap: u32) -> DispatchResult {
            let privilege = Self::ensure_governance(origin)?;
            ensure!(
                cap <= T::MaxLiquidationBatch::get(),
                Error::<T>::SweepCapOutOfBounds
            );
            let old = SweepCap::<T>::get();
            ensure!(
                privilege == Privilege::Full || Safer::Lower.allows(old, cap),
                Error::<T>::EmergencyCannotLoosen
            );
            SweepCap::<T>::put(cap);
            Self::deposit_event(Event::SweepCapSet { old, new: cap });
            Ok(())
        }

        /// Set the pool parameters (governance), each within its bounds; the emergency
        /// origin only in the safer direction of each (see [`PoolParams`]).
        #[pallet::call_index(4)]
        #[pallet::weight(T::WeightInfo::set_params())]
        pub fn set_params(origin: OriginFor<T>, params: PoolParams) -> DispatchResult {
            let privilege = Self::ensure_governance(origin)?;
            params.validate().map_err(Error::<T>::from)?;
            let old = Params::<T>::get();
            ensure!(
                privilege.allows(&old, &params),
                Error::<T>::EmergencyCannotLoosen
            );
            Params::<T>::put(params);
            Self::rebalance_lending();
            Self::deposit_event(Event::ParamsUpdated { old, new: params });
            Ok(())
        }

        /// Bid `amount` (stable) for a seat of the next epoch and commit `commitment` (stable)
        /// of liquidity for it; both are held until the auction settles. The whole new bid is
        /// given (not an increment): it must raise the bidder's previous bid and, if the
        /// winning set is full, beat its lowest bid.
        #[pallet::call_index(5)]
        #[pallet::weight(T::WeightInfo::bid(T::MaxBidders::get()))]
        pub fn bid(origin: OriginFor<T>, amount: Balance, commitment: Balance) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_bid(&who, amount, commitment)
        }

        /// Claim the caller's accrued reward, paid in the stable asset.
        #[pallet::call_index(6)]
        #[pallet::weight(T::WeightInfo::claim(T::MaxUserEntries::get()))]
        pub fn claim(origin: OriginFor<T>) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_claim(&who).map(|_| ())
        }

        /// Withdraw payouts that could not be transferred when due (see [`Refunds`]).
        #[pallet::call_index(7)]
        #[pallet::weight(T::WeightInfo::withdraw_refund())]
        pub fn withdraw_refund(origin: OriginFor<T>) -> DispatchResult {
            let who = ensure_signed(origin)?;
            Self::do_withdraw_refund(&who)
        }

        /// Set the franchise parameters (governance), each within its bounds; they apply from
        /// the next epoch. The emergency origin only in the safer direction of each (see
        /// [`FranchiseParams`]).
        #[pallet::call_index(8)]
        #[pallet::weight(T::WeightInfo::set_franchise_params())]
        pub fn set_franchise_params(
            origin: OriginFor<T>,
            params: FranchiseParams,
        ) -> DispatchResult {
            let privilege = Self::ensure_governance(origin)?;
            Self::validate_franchise(&params)?;
            let old = FranchiseParameters::<T>::get();
            ensure!(
                privilege.allows(&old, &params),
                Error::<T>::EmergencyCannotLoosen
            );
            FranchiseParameters::<T>::put(params);
            Self::deposit_event(Event::FranchiseParamsUpdated { old, new: params });
            Ok(())
        }

        /// Set the sharing parameters (governance), each within its bounds. The default
        /// weights apply to (market, side) pairs scored for the first time from now on; use
        /// [`set_score_weight`](Pallet::set_score_weight) for pairs already scored. They move
        /// the proceeds between accounts, so the emergency origin cannot change them.
        #[pallet::call_index(9)]
        #[pallet::weight(T::WeightInfo::set_sharing_params())]
        pub fn set_sharing_params(origin: OriginFor<T>, params: SharingParams) -> DispatchResult {
            let privilege = Self::ensure_governance(origin)?;
            Self::validate_sharing(&params)?;
            let old = SharingParameters::<T>::get();
            ensure!(
                privilege.allows(&old, &params),
                Error::<T>::EmergencyCannotLoosen
            );
            SharingParameters::<T>::put(params);
            Self::deposit_event(Event::SharingParamsUpdated { old, new: params });
            Ok(())
        }

        /// Set the score weight of (`market`, `side`) per stable unit of value (governance), at
        /// most `SharingParams::MAX_WEIGHT`, for a market that exists; it applies from now on.
        /// A weight moves the jar's income between users, so the emergency origin cannot
        /// change it.
        #[pallet::call_index(10)]
        #[pallet::weight(T::WeightInfo::set_score_weight())]
        pub fn set_score_weight(
            origin: OriginFor<T>,
            market: MarketId,
            side: Side,
            weight: FixedU128,
        ) -> DispatchResult {
            let privilege = Self::ensure_governance(origin)?;
            Self::do_set_score_weight(market, side, weight, privilege)
        }

        /// Sell up to `amount` of the pool's collateral `asset` for the stable asset on the
        /// DEX (governance; the block's idle time does the same by itself): only while the
        /// collateral share is above the trigger, down to the target, and only at a price
        /// within `max_slippage` of the oracle's (see [`rebalance`](crate::rebalance)). It
        /// moves the pool's funds, so the emergency origin cannot call it.
        #[pallet::call_index(20)]
        #[pallet::weight(Pallet::<T>::rebalance_weight())]
        pub fn rebalance(origin: OriginFor<T>, asset: AssetId, amount: Balance) -> DispatchResult {
            T::GovernanceOrigin::ensure_origin(origin)?;
            Self::do_rebalance(Some(asset), amount).map(|_| ())
        }

        /// Liquidate with the pool up to `MaxLiquidationBatch` positions of `market` that the
        /// liquidation index reports liquidatable (the sweep's step, with a larger cap; the pool
        /// is its own keeper, no caller fee). Submitted without a signer by the keeper worker
        /// (an authorized transaction, checked by
        /// [`authorize_keeper_sweep`](Pallet::authorize_keeper_sweep)), or by anyone signed.
        /// Fails with `SweepDisabled` while the sweep cap is zero and with
        /// `NothingToLiquidate` when nothing was found; charged for the positions found.
        #[pallet::call_index(22)]
        #[pallet::weight(T::WeightInfo::sweep_market(T::MaxLiquidationBatch::get()))]
        #[pallet::weight_of_authorize(T::WeightInfo::sweep_market(1))]
        #[pallet::authorize(Pallet::<T>::authorize_keeper_sweep)]
        pub fn keeper_sweep(origin: OriginFor<T>, market: MarketId) -> DispatchResultWithPostInfo {
            if frame_system::ensure_authorized(origin.clone()).is_err() {
                ensure_signed(origin)?;
            }
            ensure!(SweepCap::<T>::get() != 0, Error::<T>::SweepDisabled);
            let info = T::Lending::market(market).ok_or(Error::<T>::UnknownMarket)?;
            ensure!(
                info.loan_asset == T::StableAsset::get(),
                Error::<T>::NotStableMarket
            );
            let found = Self::sweep_market(market, &info, T::MaxLiquidationBatch::get())?;
            ensure!(found > 0, Error::<T>::NothingToLiquidate);
            Ok(Some(T::WeightInfo::sweep_market(found)).into())
        }

        /// Set the rebalance parameters (governance), each within its bounds. They decide
        /// when and at what price the pool's funds are sold, so the emergency origin cannot
        /// change them.
        #[pallet::call_index(21)]
        #[pallet::weight(T::WeightInfo::set_sharing_params())]
        pub fn set_rebalance_params(
            origin: OriginFor<T>,
            params: crate::RebalanceParams,
        ) -> DispatchResult {
            T::GovernanceOrigin::ensure_origin(origin)?;
            params.validate().map_err(Error::<T>::from)?;
            let old = RebalanceParameters::<T>::get();
            RebalanceParameters::<T>::put(params);
            Self::deposit_event(Event::RebalanceParamsUpdated { old, new: params });
            Ok(())
        }
    }
}
