//! Storage types of the backstop pool: its governance parameters and their hard bounds.

use backstop_primitives::Moment;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_arithmetic::Perbill;

/// Scale of pool shares: the first deposit of `amount` stable units mints
/// `amount · SHARE_SCALE` shares (shares carry 6 more decimals than the stable asset).
pub const SHARE_SCALE: u128 = 1_000_000;

/// The pool's governance parameters, one storage value, each field bounded
/// (see [`PoolParams::validate`]).
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
    pub amplification: u32,
    /// Swap fee, in basis points of the stable paid in, sent to the fee account; ≤ 100.
    pub fee_bps: u32,
    /// Most a swap may pay above the oracle value, in basis points; ≤ 1 000.
    pub max_discount_bps: u32,
    /// Oldest oracle price the pool trades or values at, in milliseconds; 1 minute ..= 1 day.
    pub max_price_age: Moment,
    /// Share of a liquidation's gain paid (in collateral) to whoever triggered it, in basis
    /// points; ≤ 100.
    pub caller_fee_bps: u32,
    /// Fraction of the pool's stable supplied to the lending market's stable market for
    /// yield; ≤ 90 %.
    pub lend_fraction: Perbill,
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
