//! Storage and parameter types of the lending market.

use backstop_primitives::{AssetId, Balance, MarketInfo, Moment, PositionShares, Shares};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_arithmetic::{traits::Saturating, FixedU128, Perbill};

/// Jump-rate interest rate model. Rates are per year; the borrow rate at utilisation `U` is
/// `base_rate + slope1 · min(U, kink) + slope2 · max(U − kink, 0)`.
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
pub struct JumpRateModel {
    /// Borrow rate at zero utilisation, per year (0.02 = 2 %/year). At most [`Self::MAX_BASE_RATE`].
    pub base_rate: FixedU128,
    /// Rate added per unit of utilisation up to the kink, per year. At most [`Self::MAX_SLOPE1`].
    pub slope1: FixedU128,
    /// Utilisation at which the slope jumps, in `[MIN_KINK, 100 %]`.
    pub kink: Perbill,
    /// Rate added per unit of utilisation above the kink, per year. At most [`Self::MAX_SLOPE2`].
    pub slope2: FixedU128,
}

impl JumpRateModel {
    /// Hard bound of `base_rate`: 100 %/year.
    pub const MAX_BASE_RATE: FixedU128 = FixedU128::from_inner(1_000_000_000_000_000_000);
    /// Hard bound of `slope1`: 100 %/year.
    pub const MAX_SLOPE1: FixedU128 = FixedU128::from_inner(1_000_000_000_000_000_000);
    /// Hard bound of `slope2`: 1 000 %/year.
    pub const MAX_SLOPE2: FixedU128 = FixedU128::from_inner(10_000_000_000_000_000_000);
    /// Smallest kink: 1 % utilisation.
    pub const MIN_KINK: Perbill = Perbill::from_percent(1);

    /// Whether every parameter lies within its hard bound.
    pub fn is_within_bounds(&self) -> bool {
        self.base_rate <= Self::MAX_BASE_RATE
            && self.slope1 <= Self::MAX_SLOPE1
            && self.slope2 <= Self::MAX_SLOPE2
            && self.kink >= Self::MIN_KINK
    }

    /// Borrow rate per year at `utilisation`. Saturating (cannot overflow within the bounds).
    pub fn borrow_rate(&self, utilisation: Perbill) -> FixedU128 {
        let below = utilisation.min(self.kink);
        let above = utilisation.saturating_sub(self.kink);
        self.base_rate
            .saturating_add(FixedU128::from_inner(
                below.mul_floor(self.slope1.into_inner()),
            ))
            .saturating_add(FixedU128::from_inner(
                above.mul_floor(self.slope2.into_inner()),
            ))
    }
}

/// An isolated market: its immutable parameters and its running totals.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Market {
    /// The asset lenders supply and borrowers borrow.
    pub loan_asset: AssetId,
    /// The asset borrowers pledge.
    pub collateral_asset: AssetId,
    /// Liquidation loan-to-value.
    pub lltv: Perbill,
    /// Liquidation incentive factor, `min(1.15, 1/(0.3·lltv + 0.7))`.
    pub lif: FixedU128,
    /// Interest rate model.
    pub irm: JumpRateModel,
    /// Loan assets owed to suppliers (principal plus interest), in loan-asset units.
    pub total_supply_assets: Balance,
    /// Supply shares outstanding.
    pub total_supply_shares: Shares,
    /// Loan assets owed by borrowers (principal plus interest), in loan-asset units.
    pub total_borrow_assets: Balance,
    /// Borrow shares outstanding.
    pub total_borrow_shares: Shares,
    /// When interest was last accrued, Unix ms.
    pub last_update: Moment,
}

impl Market {
    /// The parameters neighbours see.
    pub fn info(&self) -> MarketInfo {
        MarketInfo {
            loan_asset: self.loan_asset,
            collateral_asset: self.collateral_asset,
            lltv: self.lltv,
            lif: self.lif,
        }
    }

    /// Loan assets the market holds and may pay out: supplied minus borrowed.
    pub fn liquidity(&self) -> Balance {
        self.total_supply_assets
            .saturating_sub(self.total_borrow_assets)
    }
}

/// One account's position in one market.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Position {
    /// Supply shares held.
    pub supply_shares: Shares,
    /// Borrow shares owed.
    pub borrow_shares: Shares,
    /// Collateral pledged, in collateral-asset units.
    pub collateral: Balance,
}

impl Position {
    /// Whether the position holds nothing (and can be removed from storage).
    pub fn is_empty(&self) -> bool {
        self.supply_shares == 0 && self.borrow_shares == 0 && self.collateral == 0
    }

    /// The position as reported to hooks.
    pub fn shares(&self) -> PositionShares {
        PositionShares {
            supply_shares: self.supply_shares,
            borrow_shares: self.borrow_shares,
            collateral: self.collateral,
        }
    }
}

/// A position's entry in its market's liquidation index: a node of its bucket's list.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct IndexNode<AccountId> {
    /// The bucket: the key of the position's `borrow_shares / collateral`.
    pub key: u64,
    /// The borrower before this one in the bucket (inserted earlier).
    pub prev: Option<AccountId>,
    /// The borrower after this one in the bucket.
    pub next: Option<AccountId>,
}

/// A non-empty bucket of the liquidation index: the positions sharing one key, as a linked
/// list, itself linked to the neighbouring non-empty buckets.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct Bucket<AccountId> {
    /// First borrower of the bucket.
    pub head: AccountId,
    /// Last borrower of the bucket.
    pub tail: AccountId,
    /// The next non-empty bucket with a higher key, if any.
    pub higher: Option<u64>,
    /// The next non-empty bucket with a lower key, if any.
    pub lower: Option<u64>,
}

/// 256 bits of the index's bucket bitmap: bit `b` of word `w` at level `l` says whether any
/// key `k` with `k >> 8l = 256·w + b` has a non-empty bucket.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct BitmapWord {
    /// Bits 0..128.
    pub low: u128,
    /// Bits 128..256.
    pub high: u128,
}

impl BitmapWord {
    /// Bits per word.
    pub const BITS: u32 = 256;

    /// Whether no bit is set.
    pub fn is_empty(&self) -> bool {
        self.low == 0 && self.high == 0
    }

    /// Whether bit `bit` (< 256) is set.
    pub fn get(&self, bit: u32) -> bool {
        let (low, high) = Self::mask(bit);
        (self.low & low) != 0 || (self.high & high) != 0
    }

    /// Sets bit `bit` (< 256).
    pub fn set(&mut self, bit: u32) {
        let (low, high) = Self::mask(bit);
        self.low |= low;
        self.high |= high;
    }

    /// Clears bit `bit` (< 256).
    pub fn clear(&mut self, bit: u32) {
        let (low, high) = Self::mask(bit);
        self.low &= !low;
        self.high &= !high;
    }

    /// The lowest set bit at or above `from`, if any.
    pub fn lowest_from(&self, from: u32) -> Option<u32> {
        // Bits at or above `from`, in each half.
        let low_mask = u128::MAX.checked_shl(from).unwrap_or(0);
        let high_mask = if from <= 128 {
            u128::MAX
        } else {
            u128::MAX.checked_shl(from.saturating_sub(128)).unwrap_or(0)
        };
        let low = self.low & low_mask;
        if low != 0 {
            return Some(low.trailing_zeros());
        }
        let high = self.high & high_mask;
        (high != 0).then(|| high.trailing_zeros().saturating_add(128))
    }

    /// The single-bit masks of `bit` in the two halves (both zero if `bit ≥ 256`).
    fn mask(bit: u32) -> (u128, u128) {
        if bit < 128 {
            (1u128.checked_shl(bit).unwrap_or(0), 0)
        } else {
            (0, 1u128.checked_shl(bit.saturating_sub(128)).unwrap_or(0))
        }
    }
}
