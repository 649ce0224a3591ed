//! Pure arithmetic of the lending market: share conversion, interest, the liquidation
//! incentive factor, the health tests and the liquidation-index key. No storage access; every
//! function is total (returns `None` on overflow or division by zero, never panics), and every
//! rounding direction is chosen in the protocol's favour.

use backstop_primitives::{Balance, Moment, Shares};
use sp_arithmetic::{FixedPointNumber, FixedU128, PerThing, Perbill, Rounding};
use sp_core::U512;

/// Virtual shares added to every share total (Morpho Blue's defence against share-price
/// inflation: an empty market behaves as if 10^6 shares were backed by [`VIRTUAL_ASSETS`]).
pub const VIRTUAL_SHARES: u128 = 1_000_000;
/// Virtual assets added to every asset total (see [`VIRTUAL_SHARES`]).
pub const VIRTUAL_ASSETS: u128 = 1;
/// Milliseconds per year (365 days), the unit of the rate model's rates.
pub const YEAR_MS: u128 = 365 * 24 * 60 * 60 * 1000;
/// Upper bound of the liquidation incentive factor (1.15).
pub const MAX_LIF: FixedU128 = FixedU128::from_inner(1_150_000_000_000_000_000);

pub use backstop_primitives::{mul_div, value_at};

/// Shares worth `assets` in a market with the given totals, rounded down (supply, repay).
pub fn to_shares_down(
    assets: Balance,
    total_assets: Balance,
    total_shares: Shares,
) -> Option<Shares> {
    mul_div(
        assets,
        total_shares.checked_add(VIRTUAL_SHARES)?,
        total_assets.checked_add(VIRTUAL_ASSETS)?,
        Rounding::Down,
    )
}

/// Shares worth `assets`, rounded up (withdraw, borrow, liquidation repay).
pub fn to_shares_up(
    assets: Balance,
    total_assets: Balance,
    total_shares: Shares,
) -> Option<Shares> {
    mul_div(
        assets,
        total_shares.checked_add(VIRTUAL_SHARES)?,
        total_assets.checked_add(VIRTUAL_ASSETS)?,
        Rounding::Up,
    )
}

/// Assets `shares` are worth, rounded down (what a supplier may take out).
pub fn to_assets_down(
    shares: Shares,
    total_assets: Balance,
    total_shares: Shares,
) -> Option<Balance> {
    mul_div(
        shares,
        total_assets.checked_add(VIRTUAL_ASSETS)?,
        total_shares.checked_add(VIRTUAL_SHARES)?,
        Rounding::Down,
    )
}

/// Assets `shares` are worth, rounded up (what a borrower owes).
pub fn to_assets_up(
    shares: Shares,
    total_assets: Balance,
    total_shares: Shares,
) -> Option<Balance> {
    mul_div(
        shares,
        total_assets.checked_add(VIRTUAL_ASSETS)?,
        total_shares.checked_add(VIRTUAL_SHARES)?,
        Rounding::Up,
    )
}

/// `borrowed / supplied`, saturating at 100 %; zero when nothing is supplied.
pub fn utilisation(borrowed: Balance, supplied: Balance) -> Perbill {
    if supplied == 0 {
        return Perbill::zero();
    }
    Perbill::from_rational(borrowed, supplied)
}

/// Growth factor of a debt over `elapsed_ms` at `rate_per_year`, minus one: the first three
/// terms of `e^x − 1 = x + x²/2 + x³/6` with `x = rate · elapsed / year` (Morpho Blue's
/// `wTaylorCompounded`). Each term rounds down.
pub fn compound_factor(rate_per_year: FixedU128, elapsed_ms: Moment) -> Option<FixedU128> {
    let one = FixedU128::DIV;
    let first = mul_div(
        rate_per_year.into_inner(),
        u128::from(elapsed_ms),
        YEAR_MS,
        Rounding::Down,
    )?;
    let second = mul_div(first, first, one.checked_mul(2)?, Rounding::Down)?;
    let third = mul_div(second, first, one.checked_mul(3)?, Rounding::Down)?;
    Some(FixedU128::from_inner(
        first.checked_add(second)?.checked_add(third)?,
    ))
}

/// Interest owed on `total_borrow` after `elapsed_ms` at `rate_per_year`, rounded down.
pub fn accrued_interest(
    total_borrow: Balance,
    rate_per_year: FixedU128,
    elapsed_ms: Moment,
) -> Option<Balance> {
    let factor = compound_factor(rate_per_year, elapsed_ms)?;
    mul_div(
        total_borrow,
        factor.into_inner(),
        FixedU128::DIV,
        Rounding::Down,
    )
}

/// Liquidation incentive factor of a market: `min(1.15, 1 / (0.3 · lltv + 0.7))` (Morpho
/// Blue's formula), rounded down so the liquidator's premium is never overstated.
pub fn liquidation_incentive_factor(lltv: Perbill) -> FixedU128 {
    // 1 / (0.3·l + 0.7) with l = parts / 10^9:  = 10^10 / (3·parts + 7·10^9).
    let parts = u128::from(lltv.deconstruct());
    let denominator = parts.saturating_mul(3).saturating_add(7_000_000_000);
    let inner = mul_div(FixedU128::DIV, 10_000_000_000, denominator, Rounding::Down)
        .unwrap_or(MAX_LIF.into_inner());
    FixedU128::from_inner(inner).min(MAX_LIF)
}

/// `amount · price`, rounded down, saturating at `u128::MAX`.
pub fn value_down(amount: Balance, price: FixedU128) -> Balance {
    value_at(amount, price, Rounding::Down).unwrap_or(u128::MAX)
}

/// `amount · price`, rounded up. `None` on overflow.
pub fn value_up(amount: Balance, price: FixedU128) -> Option<Balance> {
    value_at(amount, price, Rounding::Up)
}

/// `collateral · price · lltv` in loan units, each step rounded down: the most a position may
/// owe when a user acts on it (borrow, withdraw collateral).
pub fn max_borrow(collateral: Balance, price: FixedU128, lltv: Perbill) -> Balance {
    lltv.mul_floor(value_down(collateral, price))
}

/// The strict health test used when a user acts: the debt rounded up must not exceed
/// [`max_borrow`]. It implies the exact test ([`LiquidationThreshold`]) says "healthy".
pub fn is_healthy_strict(
    borrow_shares: Shares,
    collateral: Balance,
    price: FixedU128,
    lltv: Perbill,
    total_borrow_assets: Balance,
    total_borrow_shares: Shares,
) -> Option<bool> {
    if borrow_shares == 0 {
        return Some(true);
    }
    let borrowed = to_assets_up(borrow_shares, total_borrow_assets, total_borrow_shares)?;
    Some(borrowed <= max_borrow(collateral, price, lltv))
}

// ------------------------------------------------------------------------------------------
// The liquidation threshold and the index key
// ------------------------------------------------------------------------------------------

/// The exact liquidation test of a market at a price, as the rational
/// `θ = numerator / denominator = price · lltv · (total_borrow_shares + V_S) /
/// (total_borrow_assets + V_A)`.
///
/// A position with `r = borrow_shares / collateral` is liquidatable iff `r > θ`, i.e. iff its
/// debt `borrow_shares · assets_per_share` exceeds `collateral · price · lltv`, computed
/// exactly (512-bit integers, no intermediate rounding). Because the test depends on the
/// position only through `r`, positions ordered by `r` are ordered by liquidatability, which
/// is what makes the liquidation index exact.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct LiquidationThreshold {
    /// `P · L · (TS + V_S)` with `P` the price's inner value and `L` lltv's parts.
    pub numerator: U512,
    /// `10^18 · 10^9 · (TA + V_A)`.
    pub denominator: U512,
}

impl LiquidationThreshold {
    /// The threshold of a market with the given borrow totals at `price`.
    pub fn new(
        price: FixedU128,
        lltv: Perbill,
        total_borrow_assets: Balance,
        total_borrow_shares: Shares,
    ) -> Option<Self> {
        let shares = U512::from(total_borrow_shares).checked_add(U512::from(VIRTUAL_SHARES))?;
        let assets = U512::from(total_borrow_assets).checked_add(U512::from(VIRTUAL_ASSETS))?;
        let numerator = U512::from(price.into_inner())
            .checked_mul(U512::from(lltv.deconstruct()))?
            .checked_mul(shares)?;
        let scale = U512::from(FixedU128::DIV).checked_mul(U512::from(Perbill::ACCURACY))?;
        let denominator = scale.checked_mul(assets)?;
        Some(Self {
            numerator,
            denominator,
        })
    }

    /// Whether a position with these shares and collateral is liquidatable: `r > θ`.
    pub fn is_exceeded_by(&self, borrow_shares: Shares, collateral: Balance) -> Option<bool> {
        if borrow_shares == 0 {
            return Some(false);
        }
        // bs / c > num / den  ⇔  bs · den > c · num   (c = 0 means r = ∞)
        let lhs = U512::from(borrow_shares).checked_mul(self.denominator)?;
        let rhs = U512::from(collateral).checked_mul(self.numerator)?;
        Some(lhs > rhs)
    }

    /// The index key of θ (see [`ratio_key`]).
    pub fn key(&self) -> Option<u64> {
        ratio_key(self.numerator, self.denominator)
    }
}

/// Bits of the mantissa in an index key.
pub const KEY_MANTISSA_BITS: u32 = 47;
/// Bits of an index key in total (9 of exponent, 47 of mantissa).
pub const KEY_BITS: u32 = 56;
/// `2^47`: one unit of the exponent field in a key.
const MANTISSA_SCALE: u64 = 1 << KEY_MANTISSA_BITS;
/// Bias added to the binary exponent of `r` in the key's exponent field.
const EXPONENT_BIAS: i64 = 256;
/// Largest exponent field of a finite ratio; the field value above it marks `r = ∞`.
const MAX_FINITE_EXPONENT_FIELD: i64 = 510;
/// Key of an infinite ratio (debt without collateral): above every finite key.
pub const INFINITE_KEY: u64 = (1 << KEY_BITS) - 1;
/// Largest key of a finite ratio.
pub const MAX_FINITE_KEY: u64 = (511 << KEY_MANTISSA_BITS) - 1;

/// `2^exp` as a 512-bit integer.
fn pow2(exp: u32) -> Option<U512> {
    U512::from(2u8).checked_pow(U512::from(exp))
}

/// `⌊num · 2^shift / den⌋`, with a negative shift applied to the divisor.
fn scaled_quotient(num: U512, den: U512, shift: i64) -> Option<U512> {
    if shift >= 0 {
        num.checked_mul(pow2(u32::try_from(shift).ok()?)?)?
            .checked_div(den)
    } else {
        num.checked_div(den.checked_mul(pow2(u32::try_from(shift.checked_neg()?).ok()?)?)?)
    }
}

/// The index key of the ratio `num / den`: a 56-bit floating-point encoding of the ratio,
/// monotone non-decreasing in its value (`a < b ⇒ key(a) ≤ key(b)`).
///
/// With `e = ⌊log2(num/den)⌋` and `m = ⌊(num/den) · 2^(47 − e)⌋ − 2^47` (47 mantissa bits),
/// `key = (e + 256) · 2^47 + m`, the exponent field clamped to `[0, 510]` (ratios below
/// `2^−256` get key 0, ratios at or above `2^255` share [`MAX_FINITE_KEY`]). `num = 0` gives 0,
/// `den = 0` (with `num > 0`) gives [`INFINITE_KEY`]. Two ratios share a key only if they
/// agree to a relative `2^−47 ≈ 7·10^−15` (or are both clamped).
///
/// Monotonicity gives the index its exactness: `key(r) > key(θ) ⇒ r > θ` and
/// `key(r) < key(θ) ⇒ r < θ`, so only positions whose key equals `key(θ)` need the exact test.
/// `None` only if an input exceeds `2^460` (impossible for 128-bit balances and prices).
pub fn ratio_key(num: U512, den: U512) -> Option<u64> {
    if num.is_zero() {
        return Some(0);
    }
    if den.is_zero() {
        return Some(INFINITE_KEY);
    }
    let num_log = i64::try_from(num.bits()).ok()?.checked_sub(1)?;
    let den_log = i64::try_from(den.bits()).ok()?.checked_sub(1)?;
    // ⌊log2(num/den)⌋ is num_log − den_log or one less.
    let mantissa_bits = i64::from(KEY_MANTISSA_BITS);
    let mut exponent = num_log.checked_sub(den_log)?;
    let mut scaled = scaled_quotient(num, den, mantissa_bits.checked_sub(exponent)?)?;
    let unit = U512::from(MANTISSA_SCALE);
    if scaled < unit {
        exponent = exponent.checked_sub(1)?;
        scaled = scaled_quotient(num, den, mantissa_bits.checked_sub(exponent)?)?;
    }
    let field = exponent.checked_add(EXPONENT_BIAS)?;
    if field < 0 {
        return Some(0);
    }
    if field > MAX_FINITE_EXPONENT_FIELD {
        return Some(MAX_FINITE_KEY);
    }
    // scaled ∈ [2^47, 2^48): the mantissa is what lies above the leading one.
    let mantissa = scaled.checked_sub(unit)?;
    if mantissa >= unit {
        return None;
    }
    u64::try_from(field)
        .ok()?
        .checked_mul(MANTISSA_SCALE)?
        .checked_add(mantissa.low_u64())
}

/// The index key of a position: the key of `r = borrow_shares / collateral`.
pub fn position_key(borrow_shares: Shares, collateral: Balance) -> Option<u64> {
    ratio_key(U512::from(borrow_shares), U512::from(collateral))
}
