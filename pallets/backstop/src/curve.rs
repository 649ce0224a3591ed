//! The B.AMM rebalance curve: integer StableSwap for two coins, anchored on the oracle price.
//!
//! Pure functions, no storage. Every value is an integer in the stable asset's smallest unit
//! (collateral is converted to stable units at the oracle price before it reaches the curve).
//! Intermediate values are [`U256`]; any overflow, division by zero, negative result or a
//! Newton iteration that does not converge within [`MAX_ROUNDS`] rounds gives `None`, so a
//! caller can turn it into a specific error instead of trading at a wrong price.
//!
//! The formulas are `mechanisms.md` §3, reproduced to the unit against
//! `vectors/stableswap.md` (see `tests/curve.rs`).

use sp_core::U256;

/// Newton rounds allowed before [`get_sum`] / [`get_return`] give up.
pub const MAX_ROUNDS: u32 = 255;

/// 10^18: the scale of prices (stable units per collateral unit, 18 decimals).
pub const PRICE_SCALE: u128 = 1_000_000_000_000_000_000;

/// Basis points in one: 10 000.
pub const BPS: u128 = 10_000;

/// `|a − b| ≤ 1`.
fn close(a: U256, b: U256) -> bool {
    let one = U256::one();
    a <= b.saturating_add(one) && b <= a.saturating_add(one)
}

/// The StableSwap invariant `D` of a two-coin pool with balances `x`, `y` (stable units) and
/// amplification `a` (`Ann = 2a`), by Newton iteration (at most [`MAX_ROUNDS`] rounds).
///
/// `Some(0)` for an empty pool; `None` if `a == 0`, on overflow, or without convergence.
pub fn get_sum(x: u128, y: u128, a: u128) -> Option<u128> {
    get_sum_wide(U256::from(x), U256::from(y), U256::from(a)).and_then(|d| u128::try_from(d).ok())
}

fn get_sum_wide(x: U256, y: U256, a: U256) -> Option<U256> {
    if x.is_zero() && y.is_zero() {
        return Some(U256::zero());
    }
    let two = U256::from(2u8);
    let three = U256::from(3u8);
    let sum_xy = x.checked_add(y)?;
    let two_a = a.checked_mul(two)?;
    // (2A − 1): `None` for A == 0.
    let two_a_minus_one = two_a.checked_sub(U256::one())?;
    let x2p1 = x.checked_mul(two)?.checked_add(U256::one())?;
    let y2p1 = y.checked_mul(two)?.checked_add(U256::one())?;
    let mut d = sum_xy;
    for _ in 0..MAX_ROUNDS {
        // Dp = ((D·D / (2x + 1)) · D) / (2y + 1)
        let dp = d
            .checked_mul(d)?
            .checked_div(x2p1)?
            .checked_mul(d)?
            .checked_div(y2p1)?;
        // D' = (2A·(x + y) + 2·Dp) · D / ((2A − 1)·D + 3·Dp)
        let numerator = two_a
            .checked_mul(sum_xy)?
            .checked_add(dp.checked_mul(two)?)?
            .checked_mul(d)?;
        let denominator = two_a_minus_one
            .checked_mul(d)?
            .checked_add(dp.checked_mul(three)?)?;
        let next = numerator.checked_div(denominator)?;
        if close(next, d) {
            return Some(next);
        }
        d = next;
    }
    None
}

/// What the pool pays (in stable units of the `y` side) for `q` stable units put into the `x`
/// side of a StableSwap pool with balances `x`, `y` and amplification `a`:
/// `y − y* − 1`, where `y*` is the new `y` balance keeping the invariant.
///
/// `None` if the result would be negative, on a division by zero, overflow, or without
/// convergence.
pub fn get_return(q: u128, x: u128, y: u128, a: u128) -> Option<u128> {
    let (q, x, y, a) = (U256::from(q), U256::from(x), U256::from(y), U256::from(a));
    let two = U256::from(2u8);
    let four = U256::from(4u8);
    let d = get_sum_wide(x, y, a)?;
    let x_new = x.checked_add(q)?;
    // c = ((D·D / (2x')) · D) / (4A)
    let c = d
        .checked_mul(d)?
        .checked_div(x_new.checked_mul(two)?)?
        .checked_mul(d)?
        .checked_div(a.checked_mul(four)?)?;
    // b = x' + D / (2A)
    let b = x_new.checked_add(d.checked_div(a.checked_mul(two)?)?)?;
    let mut y_star = d;
    let mut converged = false;
    for _ in 0..MAX_ROUNDS {
        // y*' = (y*² + c) / (2y* + b − D)
        let numerator = y_star.checked_mul(y_star)?.checked_add(c)?;
        let denominator = y_star.checked_mul(two)?.checked_add(b)?.checked_sub(d)?;
        let next = numerator.checked_div(denominator)?;
        let done = close(next, y_star);
        y_star = next;
        if done {
            converged = true;
            break;
        }
    }
    if !converged {
        return None;
    }
    let out = y.checked_sub(y_star)?.checked_sub(U256::one())?;
    u128::try_from(out).ok()
}

/// A swap quote: stable in, collateral out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quote {
    /// Collateral paid out, in the collateral's smallest unit.
    pub out: u128,
    /// Fee, in stable units, taken out of the stable paid in and sent to the fee account.
    pub fee: u128,
}

/// The pool's quote for `q` stable units against collateral.
///
/// - `stable`: the pool's stable `S` (stable units, idle plus its withdrawable lent amount);
/// - `collateral`: the pool's balance `c` of this collateral (collateral units);
/// - `price`: stable units per collateral unit, scaled by [`PRICE_SCALE`] (18 decimals);
/// - `a`: amplification; `max_discount_bps`: the cap on the discount below the oracle price;
/// - `fee_bps`: the swap fee in basis points of `q`.
///
/// `out = min(get_return(q, S, S + 2·c·p) / p, c, (q / p)·(1 + max_discount))`, every division
/// rounded down (in the pool's favour); `fee = q·fee_bps / 10 000`. `None` for a zero price,
/// on overflow, or where the curve has no answer.
pub fn quote(
    stable: u128,
    collateral: u128,
    price: u128,
    a: u128,
    max_discount_bps: u128,
    fee_bps: u128,
    q: u128,
) -> Option<Quote> {
    let scale = U256::from(PRICE_SCALE);
    let p = U256::from(price);
    if p.is_zero() {
        return None;
    }
    let collateral_value = U256::from(collateral).checked_mul(p)?.checked_div(scale)?;
    let y = U256::from(stable).checked_add(collateral_value.checked_mul(U256::from(2u8))?)?;
    let y = u128::try_from(y).ok()?;
    let out_value = get_return(q, stable, y, a)?;
    let curve_out = U256::from(out_value).checked_mul(scale)?.checked_div(p)?;
    let fair_out = U256::from(q).checked_mul(scale)?.checked_div(p)?;
    let cap = fair_out
        .checked_mul(U256::from(BPS).checked_add(U256::from(max_discount_bps))?)?
        .checked_div(U256::from(BPS))?;
    let out = curve_out.min(U256::from(collateral)).min(cap);
    let fee = U256::from(q)
        .checked_mul(U256::from(fee_bps))?
        .checked_div(U256::from(BPS))?;
    Some(Quote {
        out: u128::try_from(out).ok()?,
        fee: u128::try_from(fee).ok()?,
    })
}

/// The least stable input `q ≤ q_max` whose [`quote`] (without fee) pays at least `out`
/// collateral units, found by bisection: what a swap whose output is clamped at the pool's
/// holding charges, so the buyer pays the curve's price for what it receives. Rounds in the
/// pool's favour: `q − 1` would buy less than `out`. Arguments as for [`quote`].
///
/// `None` if `out` is zero, if even `q_max` does not pay `out`, or where the curve has no
/// answer.
pub fn input_for(
    out: u128,
    stable: u128,
    collateral: u128,
    price: u128,
    a: u128,
    max_discount_bps: u128,
    q_max: u128,
) -> Option<u128> {
    let pays = |q: u128| {
        quote(stable, collateral, price, a, max_discount_bps, 0, q).is_some_and(|x| x.out >= out)
    };
    if out == 0 || !pays(q_max) {
        return None;
    }
    // Invariant: `pays(high)`, and `low` pays less than `out` (zero pays nothing).
    let (mut low, mut high) = (0u128, q_max);
    while high.checked_sub(low)? > 1 {
        let middle = low.checked_add(high.checked_sub(low)?.checked_div(2)?)?;
        if pays(middle) {
            high = middle;
        } else {
            low = middle;
        }
    }
    Some(high)
}
