//! Storage types of the backstop: the pool's, the franchise's and the sharing parameters
//! with their hard bounds, the auction and franchise records, and the score and jar books.

use backstop_primitives::{Balance, MarketId, Moment, Safer, Side, Tightening};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
    pallet_prelude::Get, BoundedVec, CloneNoBound, DebugNoBound, DefaultNoBound, EqNoBound,
    PartialEqNoBound,
};
use scale_info::TypeInfo;
use sp_arithmetic::{FixedU128, Perbill, Permill};

/// Scale of pool shares: the first deposit of `amount` stable units mints
/// `amount · SHARE_SCALE` shares (shares carry 6 more decimals than the stable asset).
pub const SHARE_SCALE: u128 = 1_000_000;

/// The pool's governance parameters, one storage value, each field bounded
/// (see [`PoolParams::validate`]). Each field's doc ends with what the emergency origin may
/// do to it ("tighten only", see [`Tightening`]).
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
pub struct PoolParams {
    /// StableSwap amplification `A` of the rebalance curve (`Ann = 2A`); 20..=200.
    /// Emergency: unchanged (it reshapes the price at which the pool sells, no side safer).
    pub amplification: u32,
    /// Swap fee, in basis points of the stable paid in, sent to the fee account; ≤ 100.
    /// Emergency: unchanged (it moves value between swappers, depositors and the jar).
    pub fee_bps: u32,
    /// Most a swap may pay above the oracle value, in basis points; ≤ 1 000.
    /// Emergency: may only lower it (the pool gives less value away per swap).
    pub max_discount_bps: u32,
    /// Oldest oracle price the pool trades or values at, in milliseconds; 1 minute ..= 1 day.
    /// Emergency: may only lower it (staler prices refused sooner; withdrawals need none).
    pub max_price_age: Moment,
    /// Share of a liquidation's gain paid (in collateral) to whoever triggered it, in basis
    /// points; ≤ 100. Emergency: unchanged (it moves value between keepers and depositors).
    pub caller_fee_bps: u32,
    /// Fraction of the pool's stable supplied to the lending market's stable market for
    /// yield (none while liquidations are coming, see
    /// [`PoolParams::LIQUIDATION_LOOKAHEAD`]); ≤ 90 %. Emergency: may only lower it (more
    /// of the pool stays liquid).
    pub lend_fraction: Perbill,
}

impl Tightening for PoolParams {
    fn tightened_by(&self, new: &Self) -> bool {
        Safer::Neither.allows(self.amplification, new.amplification)
            && Safer::Neither.allows(self.fee_bps, new.fee_bps)
            && Safer::Lower.allows(self.max_discount_bps, new.max_discount_bps)
            && Safer::Lower.allows(self.max_price_age, new.max_price_age)
            && Safer::Neither.allows(self.caller_fee_bps, new.caller_fee_bps)
            && Safer::Lower.allows(self.lend_fraction, new.lend_fraction)
    }
}

impl PoolParams {
    /// Smallest amplification.
    pub const MIN_AMPLIFICATION: u32 = 20;
    /// Largest amplification.
    pub const MAX_AMPLIFICATION: u32 = 200;
    /// Largest swap fee, basis points.
    pub const MAX_FEE_BPS: u32 = 100;
    /// Largest max_discount, basis points.
    pub const MAX_DISCOUNT_BPS: u32 = 1_000;
    /// Shortest accepted max_price_age: one minute, in ms.
    pub const MIN_PRICE_AGE: Moment = 60_000;
    /// Longest accepted max_price_age: one day, in ms.
    pub const MAX_PRICE_AGE: Moment = 86_400_000;
    /// Largest caller fee, basis points.
    pub const MAX_CALLER_FEE_BPS: u32 = 100;
    /// Largest lend fraction: 90 %.
    pub const MAX_LEND_FRACTION: Perbill = Perbill::from_percent(90);
    /// How far ahead the idle yield looks for liquidations: the pool lends nothing while the
    /// yield market has a position that would be liquidatable if its collateral's price fell
    /// by this fraction (10 %).
    pub const LIQUIDATION_LOOKAHEAD: Perbill = Perbill::from_percent(10);

    /// The first field out of its bounds, if any.
    pub fn validate(&self) -> Result<(), ParamError> {
        if !(Self::MIN_AMPLIFICATION..=Self::MAX_AMPLIFICATION).contains(&self.amplification) {
            return Err(ParamError::Amplification);
        }
        if self.fee_bps > Self::MAX_FEE_BPS {
            return Err(ParamError::Fee);
        }
        if self.max_discount_bps > Self::MAX_DISCOUNT_BPS {
            return Err(ParamError::MaxDiscount);
        }
        if !(Self::MIN_PRICE_AGE..=Self::MAX_PRICE_AGE).contains(&self.max_price_age) {
            return Err(ParamError::PriceAge);
        }
        if self.caller_fee_bps > Self::MAX_CALLER_FEE_BPS {
            return Err(ParamError::CallerFee);
        }
        if self.lend_fraction > Self::MAX_LEND_FRACTION {
            return Err(ParamError::LendFraction);
        }
        Ok(())
    }
}

impl Default for PoolParams {
    /// `A = 20`, no fee, 4 % max discount, prices at most 1 h old, no caller fee, nothing lent.
    fn default() -> Self {
        Self {
            amplification: 20,
            fee_bps: 0,
            max_discount_bps: 400,
            max_price_age: 3_600_000,
            caller_fee_bps: 0,
            lend_fraction: Perbill::zero(),
        }
    }
}

/// Which parameter is out of bounds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ParamError {
    /// `amplification` outside 20..=200.
    Amplification,
    /// `fee_bps` above 100.
    Fee,
    /// `max_discount_bps` above 1 000.
    MaxDiscount,
    /// `max_price_age` outside one minute ..= one day.
    PriceAge,
    /// `caller_fee_bps` above 100.
    CallerFee,
    /// `lend_fraction` above 90 %.
    LendFraction,
}

// ------------------------------------------------------------------------------------------
// Franchise auction and assignment
// ------------------------------------------------------------------------------------------

/// The franchise's governance parameters, one storage value, each field bounded (see
/// [`FranchiseParams::validate`]). Durations are in blocks; amounts in stable units. A change
/// takes effect from the next epoch: the running epoch keeps the values it started with (see
/// [`EpochInfo`]). The emergency origin may only raise `min_commitment` (members must
/// bring more liquidity); every other field decides who wins seats and when, no direction
/// of which is safer, so it must leave them unchanged (see [`Tightening`]).
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
pub struct FranchiseParams {
    /// Length of an epoch (one franchise, one auction), in blocks; 10 ..= 5 256 000.
    pub epoch_length: u32,
    /// Seats sold per auction; 1 ..= `Config::MaxSeats`.
    pub seats: u32,
    /// The auction's ending period (the candle), in blocks at the end of the epoch;
    /// 1 ..= half the epoch.
    pub ending_period: u32,
    /// Samples the ending period is cut into; the closing sample is drawn among them;
    /// 1 ..= min(`Config::MaxCandleSamples`, `ending_period`).
    pub candle_samples: u32,
    /// Length of an assignment window, in blocks; 1 ..= `epoch_length`.
    pub window_length: u32,
    /// Blocks at the start of each window during which only the assigned member may act;
    /// ≤ `window_length`.
    pub priority_period: u32,
    /// Smallest bid amount, in stable units; ≥ 1.
    pub min_bid: Balance,
    /// Smallest liquidity commitment, in stable units; ≥ 1. Emergency: may only raise it.
    pub min_commitment: Balance,
}

impl Tightening for FranchiseParams {
    fn tightened_by(&self, new: &Self) -> bool {
        let unchanged_but_commitment = FranchiseParams {
            min_commitment: self.min_commitment,
            ..*new
        };
        *self == unchanged_but_commitment
            && Safer::Higher.allows(self.min_commitment, new.min_commitment)
    }
}

impl FranchiseParams {
    /// Shortest epoch, blocks.
    pub const MIN_EPOCH: u32 = 10;
    /// Longest epoch: a year of 6-second blocks.
    pub const MAX_EPOCH: u32 = 5_256_000;
    /// Least a bid must beat the lowest standing bid by to displace it from a full auction
    /// (a fraction of that bid's amount, rounded up, at least one unit): 5 %. Fixed rather
    /// than a field so the runtime's parameter presets stay as they are.
    pub const MIN_BID_INCREMENT: Permill = Permill::from_percent(5);

    /// The first field out of its bounds, if any, for a runtime with `max_seats` seats and
    /// `max_samples` candle samples at most.
    pub fn validate(&self, max_seats: u32, max_samples: u32) -> Result<(), FranchiseParamError> {
        use FranchiseParamError as E;
        if !(Self::MIN_EPOCH..=Self::MAX_EPOCH).contains(&self.epoch_length) {
            return Err(E::EpochLength);
        }
        if !(1..=max_seats).contains(&self.seats) {
            return Err(E::Seats);
        }
        if !(1..=self.epoch_length / 2).contains(&self.ending_period) {
            return Err(E::EndingPeriod);
        }
        if !(1..=max_samples.min(self.ending_period)).contains(&self.candle_samples) {
            return Err(E::CandleSamples);
        }
        if !(1..=self.epoch_length).contains(&self.window_length) {
            return Err(E::WindowLength);
        }
        if self.priority_period > self.window_length {
            return Err(E::PriorityPeriod);
        }
        if self.min_bid == 0 {
            return Err(E::MinBid);
        }
        if self.min_commitment == 0 {
            return Err(E::MinCommitment);
        }
        Ok(())
    }
}

impl Default for FranchiseParams {
    /// For 6-second blocks: 7-day epochs (100 800 blocks), 4 seats, a 1-day candle in 24
    /// hourly samples, 1-hour windows (600 blocks) of which the first 30 minutes are the
    /// member's priority; bids and commitments of at least one unit.
    fn default() -> Self {
        Self {
            epoch_length: 100_800,
            seats: 4,
            ending_period: 14_400,
            candle_samples: 24,
            window_length: 600,
            priority_period: 300,
            min_bid: 1,
            min_commitment: 1,
        }
    }
}

/// Which franchise parameter is out of bounds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FranchiseParamError {
    /// `epoch_length` outside 10 ..= 5 256 000.
    EpochLength,
    /// `seats` outside 1 ..= `MaxSeats`.
    Seats,
    /// `ending_period` outside 1 ..= `epoch_length / 2`.
    EndingPeriod,
    /// `candle_samples` outside 1 ..= min(`MaxCandleSamples`, `ending_period`).
    CandleSamples,
    /// `window_length` outside 1 ..= `epoch_length`.
    WindowLength,
    /// `priority_period` above `window_length`.
    PriorityPeriod,
    /// `min_bid` is zero.
    MinBid,
    /// `min_commitment` is zero.
    MinCommitment,
}

/// The running epoch: its number, its blocks, and the franchise parameters it started with.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct EpochInfo<BlockNumber> {
    /// Epoch number (0 from genesis).
    pub index: u32,
    /// First block of the epoch.
    pub start: BlockNumber,
    /// First block of the next epoch: the auction settles and the franchise changes here.
    pub end: BlockNumber,
    /// The parameters frozen for this epoch (its windows and its auction).
    pub params: FranchiseParams,
}

/// A bid in the franchise auction: both amounts are held in the franchise account.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Bid {
    /// What the bidder offers to pay for a seat, in stable units.
    pub amount: Balance,
    /// The liquidity the bidder commits for top-ups and liquidations, in stable units.
    pub commitment: Balance,
}

/// A bid among the winning set.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct WinningBid<AccountId> {
    /// The bidder.
    pub bidder: AccountId,
    /// The bid.
    pub bid: Bid,
}

/// A seat of the current franchise and its committed liquidity (stable units).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Seat<AccountId> {
    /// The member holding the seat.
    pub member: AccountId,
    /// What it committed when the franchise started.
    pub committed: Balance,
    /// What is left to draw (committed − drawn + returned).
    pub available: Balance,
}

/// The current franchise, for the runtime API.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct FranchiseView<AccountId, BlockNumber> {
    /// Epoch number.
    pub epoch: u32,
    /// First block of the epoch.
    pub start: BlockNumber,
    /// First block of the next epoch.
    pub end: BlockNumber,
    /// The seats in order (empty: the pool is the member of last resort).
    pub seats: alloc::vec::Vec<Seat<AccountId>>,
}

/// The auction for the next franchise, for the runtime API.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct AuctionView<AccountId, BlockNumber> {
    /// The epoch whose seats are sold.
    pub epoch: u32,
    /// Seats sold.
    pub seats: u32,
    /// First block of the ending period (the candle).
    pub ending_start: BlockNumber,
    /// Block at which the auction settles (the next epoch's first block).
    pub settles_at: BlockNumber,
    /// The winning set now, highest first (winners if the auction closed now).
    pub winning: alloc::vec::Vec<WinningBid<AccountId>>,
    /// The lowest winning bid: what every winner would pay if the auction closed now.
    pub clearing_price: Balance,
}

// ------------------------------------------------------------------------------------------
// Score and reward jar
// ------------------------------------------------------------------------------------------

/// How the users share in the system's proceeds: one storage value, each field bounded (see
/// [`SharingParams::validate`]). Every field moves proceeds between accounts, so the
/// emergency origin must leave all of them unchanged (see [`Tightening`]).
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
pub struct SharingParams {
    /// Share of a liquidation's gain paid into the jar (read by the avatar pallet through
    /// `RewardJar::user_share`); ≤ 50 %.
    pub user_share: Perbill,
    /// Share of the pool's swap fees paid into the jar instead of the fee account; ≤ 100 %.
    pub fee_share: Perbill,
    /// Default score weight of a debt balance (per stable unit of its value), for (market,
    /// side) pairs without their own weight; ≤ [`SharingParams::MAX_WEIGHT`].
    pub debt_weight: FixedU128,
    /// Default score weight of a collateral balance; ≤ [`SharingParams::MAX_WEIGHT`].
    pub collateral_weight: FixedU128,
    /// Default score weight of a supply balance; ≤ [`SharingParams::MAX_WEIGHT`].
    pub supply_weight: FixedU128,
}

impl Tightening for SharingParams {
    fn tightened_by(&self, new: &Self) -> bool {
        self == new
    }
}

impl SharingParams {
    /// Largest user share: 50 %.
    pub const MAX_USER_SHARE: Perbill = Perbill::from_percent(50);
    /// Largest score weight per stable unit of value (balances are valued at the oracle
    /// price, so weights only express preference between sides and markets).
    pub const MAX_WEIGHT: FixedU128 = FixedU128::from_u32(1_000_000);

    /// The first field out of its bounds, if any.
    pub fn validate(&self) -> Result<(), SharingParamError> {
        if self.user_share > Self::MAX_USER_SHARE {
            return Err(SharingParamError::UserShare);
        }
        for weight in [self.debt_weight, self.collateral_weight, self.supply_weight] {
            if weight > Self::MAX_WEIGHT {
                return Err(SharingParamError::Weight);
            }
        }
        Ok(())
    }

    /// The default weight of `side`.
    pub fn default_weight(&self, side: Side) -> FixedU128 {
        match side {
            Side::Supply => self.supply_weight,
            Side::Collateral => self.collateral_weight,
            Side::Debt => self.debt_weight,
        }
    }
}

impl Default for SharingParams {
    /// 10 % of liquidation gains and half the swap fees to the jar; debt weighs 0.8,
    /// collateral 0.2, supply nothing.
    fn default() -> Self {
        Self {
            user_share: Perbill::from_percent(10),
            fee_share: Perbill::from_percent(50),
            debt_weight: FixedU128::from_rational(8, 10),
            collateral_weight: FixedU128::from_rational(2, 10),
            supply_weight: FixedU128::from_u32(0),
        }
    }
}

/// Which sharing parameter is out of bounds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SharingParamError {
    /// `user_share` above 50 %.
    UserShare,
    /// A weight above `MAX_WEIGHT`.
    Weight,
}

/// The reward jar's books, in stable units (the jar account holds at least the sum of what
/// they and the users' unclaimed rewards add up to).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct JarState<BlockNumber> {
    /// Income collected during the running epoch (plus what could not be distributed): it is
    /// streamed over the next epoch.
    pub income: Balance,
    /// The amount being streamed during the running epoch.
    pub stream: Balance,
    /// How much of `stream` has been released so far (into the reward index, or back into
    /// `income` while nobody had a score).
    pub released: Balance,
    /// First block of the stream.
    pub stream_start: BlockNumber,
    /// Block at which the stream is fully released.
    pub stream_end: BlockNumber,
    /// Block up to which the stream has been released.
    pub updated_at: BlockNumber,
}

/// The score books of one (market, side): its weight, its total balance and its indexes.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct ScoreBook {
    /// Score weight per stable unit of value (governance).
    pub weight: FixedU128,
    /// Sum of the users' counted balances, in smallest units.
    pub total: Balance,
    /// `rate · total`, rounded up: this book's part of the global weighted total.
    pub weighted: Balance,
    /// Reward per unit of balance accrued so far (stable units per unit, rounded down).
    pub reward_index: FixedU128,
    /// The global reward per weighted unit when `reward_index` was last brought up to date.
    pub global_at: FixedU128,
    /// Score per unit of balance: `∫ rate dt`, blocks × rate.
    pub score_index: FixedU128,
    /// Block at which `score_index` was last brought up to date.
    pub updated_at: u32,
    /// The epoch `epoch_start_index` belongs to.
    pub epoch: u32,
    /// `reward_index` at that epoch's first block (for slashing).
    pub epoch_start_index: FixedU128,
    /// What one smallest unit of the side's asset is worth in smallest units of the stable
    /// asset (oracle price and decimals), as last refreshed (zero: never priced). The book's
    /// rate is `weight · price`.
    pub price: FixedU128,
}

/// One user's balance in one (market, side) and its indexes.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct ScoreEntry {
    /// The market.
    pub market: MarketId,
    /// The side.
    pub side: Side,
    /// The counted balance, in smallest units.
    pub balance: Balance,
    /// The book's `reward_index` when this entry was last settled.
    pub reward_index: FixedU128,
    /// The book's `score_index` when this entry was last settled.
    pub score_index: FixedU128,
    /// The epoch `epoch_accrued` belongs to.
    pub epoch: u32,
    /// Reward this entry accrued during that epoch, in stable units (what slashing can take).
    pub epoch_accrued: Balance,
}

/// A user's score entries and unclaimed reward.
#[derive(
    CloneNoBound,
    PartialEqNoBound,
    EqNoBound,
    DebugNoBound,
    DefaultNoBound,
    Encode,
    Decode,
    MaxEncodedLen,
    TypeInfo,
)]
#[scale_info(skip_type_params(MaxEntries))]
pub struct UserScore<MaxEntries: Get<u32>> {
    /// One entry per (market, side) with a balance.
    pub entries: BoundedVec<ScoreEntry, MaxEntries>,
    /// Reward accrued and not yet claimed, in stable units.
    pub accrued: Balance,
    /// Score accrued so far: `Σ ∫ weight · value dt`, weight × stable units × blocks (rounded
    /// down).
    pub score: u128,
}

/// Where a payment into the jar came from.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub enum IncomeSource {
    /// The franchise auction's payments.
    Auction,
    /// `user_share` of a liquidation's gain (paid by the avatar pallet).
    Liquidation,
    /// `fee_share` of a pool swap's fee.
    SwapFee,
}
