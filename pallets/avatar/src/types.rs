//! Storage and parameter types of the avatar pallet: the per-market governance parameters
//! with their hard bounds, and the backstop's record of each avatar position.

use backstop_primitives::{Balance, PositionShares, Safer, Tightening};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::Get, BoundedVec, CloneNoBound, DebugNoBound, PartialEqNoBound};
use scale_info::TypeInfo;
use sp_arithmetic::Perbill;

/// How the backstop protects the avatar positions of a market.
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    Debug,
    Default,
    Encode,
    Decode,
    DecodeWithMemTracking,
    MaxEncodedLen,
    TypeInfo,
    serde::Serialize,
    serde::Deserialize,
)]
pub enum Mode {
    /// "Seamless": members top up positions near liquidation with a cushion; the backstop may
    /// liquidate once `debt + cushion > collateral · price · lltv`.
    #[default]
    Cushion,
    /// "Naive": no cushion; the avatar keeps positions below `lltv − margin` and the backstop
    /// may liquidate as soon as they cross it, before the market lets anyone else.
    Margin,
}

/// Governance parameters of one market, each bounded (see [`AvatarParams::validate`]). Each
/// field's doc ends with what the emergency origin may do to it ("tighten only", see
/// [`Tightening`]).
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
pub struct AvatarParams {
    /// Cushion or margin mode. Emergency: unchanged.
    pub mode: Mode,
    /// Margin mode: how far below the market's `lltv` the avatar keeps its positions
    /// (`lltv − margin`); 0.5 ..= 20 percentage points. Emergency: may only raise it (new
    /// borrows stop further from the market's limit; announced and delayed like any change).
    pub margin: Perbill,
    /// Cushion mode: a position may be topped up once
    /// `debt_backstop > collateral · price · lltv · (1 − topup_band)`; 1 % ..= 50 %.
    /// Emergency: may only raise it (members may cushion positions further from
    /// liquidation; the cushion is junior to the market's debt).
    pub topup_band: Perbill,
    /// Smallest top-up, as a fraction of `debt_backstop`; ≤ 50 %. Emergency: unchanged.
    pub min_topup: Perbill,
    /// Positions whose `debt_backstop` (loan units) is above this are split between all
    /// seats; at least 1. Emergency: unchanged.
    pub big_position: Balance,
    /// Blocks after a position became liquidatable during which only its assigned member(s)
    /// may liquidate; after it, the backstop pool. 1 ..= [`AvatarParams::MAX_PRIORITY_WINDOW`].
    /// Emergency: unchanged (it decides who liquidates, not whether).
    pub priority_window: u32,
    /// Blocks after the members' priority during which the backstop pool has the position
    /// to itself (with the members); after it, while the market itself sees the position
    /// unhealthy, anyone may liquidate it through the avatar
    /// ([`open_liquidate`](crate::Pallet::open_liquidate)), so no position is ever
    /// unliquidatable. 1 ..= [`AvatarParams::MAX_PRIORITY_WINDOW`]. Emergency: unchanged.
    pub pool_turn: u32,
    /// Share of a liquidator's gain (collateral value received minus debt removed) sent to
    /// the reward jar; ≤ [`AvatarParams::MAX_USER_SHARE`]. `None`: the jar's default share
    /// (pallet-backstop's `SharingParams::user_share`), so one governance call sets it for
    /// every market that has no reason to differ. Emergency: unchanged (it moves funds).
    pub user_share: Option<Perbill>,
}

impl Tightening for AvatarParams {
    fn tightened_by(&self, new: &Self) -> bool {
        self.mode == new.mode
            && Safer::Higher.allows(self.margin, new.margin)
            && Safer::Higher.allows(self.topup_band, new.topup_band)
            && Safer::Neither.allows(self.min_topup, new.min_topup)
            && Safer::Neither.allows(self.big_position, new.big_position)
            && Safer::Neither.allows(self.priority_window, new.priority_window)
            && Safer::Neither.allows(self.pool_turn, new.pool_turn)
            && self.user_share == new.user_share
    }
}

impl AvatarParams {
    /// Smallest margin: 0.5 percentage points.
    pub const MIN_MARGIN: Perbill = Perbill::from_parts(5_000_000);
    /// Largest margin: 20 percentage points.
    pub const MAX_MARGIN: Perbill = Perbill::from_percent(20);
    /// Narrowest top-up band: 1 %.
    pub const MIN_TOPUP_BAND: Perbill = Perbill::from_percent(1);
    /// Widest top-up band: 50 %.
    pub const MAX_TOPUP_BAND: Perbill = Perbill::from_percent(50);
    /// Largest `min_topup`: 50 % of the debt.
    pub const MAX_MIN_TOPUP: Perbill = Perbill::from_percent(50);
    /// Longest priority window, in blocks (one week of 6 s blocks).
    pub const MAX_PRIORITY_WINDOW: u32 = 100_800;
    /// Largest `user_share`: 50 % of the liquidator's gain (the bound pallet-backstop puts on
    /// its default).
    pub const MAX_USER_SHARE: Perbill = Perbill::from_percent(50);

    /// Checks every field against its hard bound.
    pub fn validate(&self) -> Result<(), ParamError> {
        if !(Self::MIN_MARGIN..=Self::MAX_MARGIN).contains(&self.margin) {
            return Err(ParamError::Margin);
        }
        if !(Self::MIN_TOPUP_BAND..=Self::MAX_TOPUP_BAND).contains(&self.topup_band) {
            return Err(ParamError::TopupBand);
        }
        if self.min_topup > Self::MAX_MIN_TOPUP {
            return Err(ParamError::MinTopup);
        }
        if self.big_position == 0 {
            return Err(ParamError::BigPosition);
        }
        if !(1..=Self::MAX_PRIORITY_WINDOW).contains(&self.priority_window) {
            return Err(ParamError::PriorityWindow);
        }
        if !(1..=Self::MAX_PRIORITY_WINDOW).contains(&self.pool_turn) {
            return Err(ParamError::PoolTurn);
        }
        if self.user_share.is_some_and(|s| s > Self::MAX_USER_SHARE) {
            return Err(ParamError::UserShare);
        }
        Ok(())
    }

    /// Whether changing `self` into `new` touches a parameter that affects open positions
    /// (mode, margin, band, big-position threshold, priority window): such changes are
    /// delayed; `min_topup` and `user_share` apply at once.
    pub fn affects_open_positions(&self, new: &Self) -> bool {
        self.mode != new.mode
            || self.margin != new.margin
            || self.topup_band != new.topup_band
            || self.big_position != new.big_position
            || self.priority_window != new.priority_window
            || self.pool_turn != new.pool_turn
    }
}

impl Default for AvatarParams {
    /// Cushion mode, 3 pp margin, 10 % band, 2.5 % minimum top-up, big above 10^12 loan units
    /// (one million tokens of 6 decimals: a runtime sets its own default through
    /// [`Config::DefaultParams`](crate::Config::DefaultParams) in its stable asset's
    /// decimals), 600-block priority window and 600-block pool turn (1 h each of 6 s
    /// blocks), the jar's default `user_share`.
    fn default() -> Self {
        Self {
            mode: Mode::Cushion,
            margin: Perbill::from_percent(3),
            topup_band: Perbill::from_percent(10),
            min_topup: Perbill::from_parts(25_000_000),
            big_position: 1_000_000_000_000,
            priority_window: 600,
            pool_turn: 600,
            user_share: None,
        }
    }
}

/// Which bound an [`AvatarParams`] field violates.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ParamError {
    /// `margin` outside 0.5 ..= 20 pp.
    Margin,
    /// `topup_band` outside 1 % ..= 50 %.
    TopupBand,
    /// `min_topup` above 50 %.
    MinTopup,
    /// `big_position` zero.
    BigPosition,
    /// `priority_window` outside 1 ..= `MAX_PRIORITY_WINDOW`.
    PriorityWindow,
    /// `pool_turn` outside 1 ..= `MAX_PRIORITY_WINDOW`.
    PoolTurn,
    /// `user_share` above `MAX_USER_SHARE`.
    UserShare,
}

/// A parameter change waiting for its activation block.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct PendingParams<BlockNumber> {
    /// The parameters that will apply.
    pub params: AvatarParams,
    /// The first block at which they apply.
    pub activation: BlockNumber,
}

/// The liquidation episode of a position: from the block the backstop first saw it
/// liquidatable until it is healthy again (by the avatar's rule).
#[derive(CloneNoBound, PartialEqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxSeats))]
#[codec(mel_bound(AccountId: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Episode<AccountId, BlockNumber, MaxSeats: Get<u32>>
where
    AccountId: Clone + PartialEq + core::fmt::Debug,
    BlockNumber: Clone + PartialEq + core::fmt::Debug,
{
    /// The block the position was first seen liquidatable; the priority window runs from it.
    pub since: BlockNumber,
    /// `debt_backstop` when the episode started, in loan units: a big position's per-seat
    /// part is this divided by the number of seats.
    pub debt_at_start: Balance,
    /// What each member liquidated during the episode, in loan units (`debt_backstop`
    /// removed).
    pub liquidated: BoundedVec<(AccountId, Balance), MaxSeats>,
}

/// The backstop's record of one avatar position.
#[derive(CloneNoBound, PartialEqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxSeats))]
#[codec(mel_bound(AccountId: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct AvatarPosition<AccountId, BlockNumber, MaxSeats: Get<u32>>
where
    AccountId: Clone + PartialEq + core::fmt::Debug,
    BlockNumber: Clone + PartialEq + core::fmt::Debug,
{
    /// The market position as the avatar last saw it (after its own last change): a
    /// difference at the next sync is a change made outside the avatar.
    pub recorded: PositionShares,
    /// Cushion per providing member, in loan units: debt the members repaid for the user,
    /// which the user still owes them. `debt_backstop = debt_market + Σ cushion`.
    pub cushion: BoundedVec<(AccountId, Balance), MaxSeats>,
    /// The current liquidation episode, if the position was seen liquidatable.
    pub episode: Option<Episode<AccountId, BlockNumber, MaxSeats>>,
}

impl<AccountId, BlockNumber, MaxSeats> Default for AvatarPosition<AccountId, BlockNumber, MaxSeats>
where
    AccountId: Clone + PartialEq + core::fmt::Debug,
    BlockNumber: Clone + PartialEq + core::fmt::Debug,
    MaxSeats: Get<u32>,
{
    fn default() -> Self {
        Self {
            recorded: PositionShares::default(),
            cushion: BoundedVec::default(),
            episode: None,
        }
    }
}

impl<AccountId, BlockNumber, MaxSeats> AvatarPosition<AccountId, BlockNumber, MaxSeats>
where
    AccountId: Clone + PartialEq + core::fmt::Debug,
    BlockNumber: Clone + PartialEq + core::fmt::Debug,
    MaxSeats: Get<u32>,
{
    /// Total cushion, in loan units (saturating; bounded by the debt it repaid).
    pub fn total_cushion(&self) -> Balance {
        self.cushion
            .iter()
            .fold(0, |sum: Balance, (_, c)| sum.saturating_add(*c))
    }

    /// The cushion `member` provided, in loan units.
    pub fn cushion_of(&self, member: &AccountId) -> Balance {
        self.cushion
            .iter()
            .find(|(m, _)| m == member)
            .map(|(_, c)| *c)
            .unwrap_or(0)
    }

    /// What `member` liquidated in the current episode, in loan units.
    pub fn liquidated_by(&self, member: &AccountId) -> Balance {
        self.episode
            .as_ref()
            .and_then(|e| e.liquidated.iter().find(|(m, _)| m == member))
            .map(|(_, a)| *a)
            .unwrap_or(0)
    }
}

/// The share state of a market position, as reported in events.
#[derive(
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Debug,
    Encode,
    Decode,
    DecodeWithMemTracking,
    MaxEncodedLen,
    TypeInfo,
)]
pub struct SharesSnapshot {
    /// Supply shares held.
    pub supply_shares: backstop_primitives::Shares,
    /// Borrow shares owed.
    pub borrow_shares: backstop_primitives::Shares,
    /// Collateral pledged, in collateral units.
    pub collateral: Balance,
}

impl From<PositionShares> for SharesSnapshot {
    fn from(p: PositionShares) -> Self {
        Self {
            supply_shares: p.supply_shares,
            borrow_shares: p.borrow_shares,
            collateral: p.collateral,
        }
    }
}

/// Cumulative cushion flows of one market, in loan units: what the `try_state` check
/// "cushions recorded = paid in − returned − consumed" is made of.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct CushionTotals {
    /// Paid in by members' top-ups.
    pub paid_in: Balance,
    /// Returned to members (untop, or repaid by a liquidator that was not the provider).
    pub returned: Balance,
    /// Consumed by liquidations (paid to the liquidator in collateral).
    pub consumed: Balance,
    /// Written off: cushion left on a position that has no collateral and no market debt
    /// (the providers' loss, like a market's bad debt).
    pub written_off: Balance,
}
