//! The StableSwap curve against `vectors/stableswap.md` (to the unit) and its properties.

use crate::curve::{get_return, get_sum, quote, Quote, PRICE_SCALE};
use proptest::prelude::*;

const E18: u128 = PRICE_SCALE;

/// `vectors/stableswap.md`, first table: (q, x, y, A, get_sum, get_return).
const SUM_AND_RETURN: [(u128, u128, u128, u128, u128, u128); 7] = [
    (
        105000000000000000000,
        6000000000000000000000,
        14357999999999999994750,
        20,
        20261101593018394234233,
        110767581618441948666,
    ),
    (
        105000000000000000000,
        6000000000000000000000,
        14357999999999999994750,
        200,
        20347749287925345762502,
        105606112389147960726,
    ),
    (
        1000000000000000000,
        990000000000000000000000,
        1010000000000000000000000,
        20,
        1999995237652210088372357,
        1000952962087571152,
    ),
    (
        1000000000000000000,
        500000000000000000000000,
        1500000000000000000000000,
        20,
        1984484956863152229201303,
        1083222651963865423,
    ),
    (
        1000000000000000000,
        500000000000000000000000,
        1500000000000000000000000,
        200,
        1998345726703727282921083,
        1008827692573678944,
    ),
    (
        50000000000000000000000,
        900000000000000000000000,
        1100000000000000000000000,
        20,
        1999519337983028135428735,
        50362180104636349727664,
    ),
    (1000, 1000000, 3000000, 50, 3987053, 1034),
];

#[test]
fn get_sum_and_get_return_match_the_vectors() {
    for (q, x, y, a, sum, ret) in SUM_AND_RETURN {
        assert_eq!(get_sum(x, y, a), Some(sum), "get_sum({x}, {y}, {a})");
        assert_eq!(
            get_return(q, x, y, a),
            Some(ret),
            "get_return({q}, {x}, {y}, {a})"
        );
    }
}

#[test]
fn quote_matches_the_vectors() {
    let (s, c, p) = (
        6000000000000000000000,
        39799999999999999975,
        105000000000000000000,
    );
    // A = 20: the curve would pay more than the cap, the max_discount cap binds.
    assert_eq!(
        quote(s, c, p, 20, 400, 100, 105000000000000000000),
        Some(Quote {
            out: 1040000000000000000,
            fee: 1050000000000000000
        })
    );
    // A = 200: priced by the curve.
    assert_eq!(
        quote(s, c, p, 200, 400, 100, 105000000000000000000),
        Some(Quote {
            out: 1005772498944266292,
            fee: 1050000000000000000
        })
    );
}

/// Premium of a 1-unit trade in thousandths of a percent, rounded half up to 3 decimals of a
/// percent, for a 1 000 000 pool of which `share_pct` percent is collateral.
fn premium_milli_pct(share_pct: u128, a: u128) -> u128 {
    let total = 1_000_000 * E18;
    let v = total / 100 * share_pct;
    let s = total - v;
    let ret = get_return(E18, s, s + 2 * v, a).expect("the curve answers for these inputs");
    let premium = ret - E18;
    (premium * 100_000 + E18 / 2) / E18
}

#[test]
fn premium_table_matches_the_vectors() {
    // (collateral share %, [A = 20, 50, 100, 200]) in thousandths of a percent.
    let table: [(u128, [u128; 4]); 7] = [
        (1, [95, 39, 20, 10]),
        (5, [480, 197, 100, 50]),
        (10, [975, 401, 202, 102]),
        (20, [2074, 852, 430, 216]),
        (30, [3452, 1421, 717, 360]),
        (50, [8322, 3460, 1754, 883]),
        (70, [23924, 10242, 5247, 2657]),
    ];
    for (share, row) in table {
        for (a, expected) in [20, 50, 100, 200].into_iter().zip(row) {
            assert_eq!(
                premium_milli_pct(share, a),
                expected,
                "share {share}%, A = {a}"
            );
        }
    }
}

#[test]
fn edge_cases_give_none_or_zero() {
    // Empty pool: D = 0.
    assert_eq!(get_sum(0, 0, 20), Some(0));
    // A = 0 has no curve (2A − 1 would be negative).
    assert_eq!(get_sum(1_000, 1_000, 0), None);
    assert_eq!(get_return(1, 1_000, 1_000, 0), None);
    // x' = 0: a division by zero.
    assert_eq!(get_return(0, 0, 0, 20), None);
    // Nothing to pay out: y − y* − 1 would be negative.
    assert_eq!(get_return(0, 1_000, 1_000, 20), None);
    // Zero price.
    assert_eq!(quote(1_000, 1_000, 0, 20, 400, 0, 10), None);
    // Values too large for the 256-bit intermediates give None rather than a wrong number.
    assert_eq!(get_sum(u128::MAX, u128::MAX, 200), None);
    // A balanced pool with no collateral pays nothing.
    assert_eq!(
        quote(1_000 * E18, 0, E18, 20, 400, 0, E18).map(|q| q.out),
        Some(0)
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// More stable in never buys less collateral.
    #[test]
    fn quote_is_monotone_in_q(
        s in 1_000u128..1_000_000_000,
        c in 1u128..1_000_000,
        p_milli in 1u128..100_000,
        a in 20u128..=200,
        q1 in 1u128..1_000_000_000,
        dq in 0u128..1_000_000_000,
    ) {
        let (s, c, q1, dq) = (s * E18, c * E18, q1 * 1_000_000_000, dq * 1_000_000_000);
        let p = p_milli * E18 / 1_000;
        let lo = quote(s, c, p, a, 400, 30, q1);
        let hi = quote(s, c, p, a, 400, 30, q1 + dq);
        if let (Some(lo), Some(hi)) = (lo, hi) {
            prop_assert!(lo.out <= hi.out, "{lo:?} > {hi:?}");
            prop_assert!(lo.fee <= hi.fee);
        }
    }

    /// The pool never pays more collateral than it holds, nor more than the max_discount cap.
    #[test]
    fn quote_is_bounded_by_inventory_and_cap(
        s in 0u128..1_000_000_000,
        c in 0u128..1_000_000,
        p_milli in 1u128..100_000,
        a in 20u128..=200,
        max_discount in 0u128..=1_000,
        q in 1u128..1_000_000_000_000,
    ) {
        let (s, c, q) = (s * E18, c * E18, q * 1_000_000);
        let p = p_milli * E18 / 1_000;
        if let Some(Quote { out, fee }) = quote(s, c, p, a, max_discount, 100, q) {
            prop_assert!(out <= c);
            let fair = q * E18 / p;
            prop_assert!(out <= fair * (10_000 + max_discount) / 10_000);
            prop_assert!(fee <= q / 100);
        }
    }

    /// For a pool of fixed value, the more of it is collateral, the more a trade pays.
    #[test]
    fn discount_grows_with_imbalance(
        total in 1_000u128..1_000_000_000,
        share1 in 0u128..=900,
        dshare in 0u128..=99,
        a in 20u128..=200,
    ) {
        let total = total * E18;
        let share2 = share1 + dshare;
        let v1 = total / 1_000 * share1;
        let v2 = total / 1_000 * share2;
        let q = total / 10_000;
        let r1 = get_return(q, total - v1, total + v1, a);
        let r2 = get_return(q, total - v2, total + v2, a);
        prop_assert!(r1.is_some() && r2.is_some());
        prop_assert!(r1 <= r2, "share {share1} pays {r1:?}, share {share2} pays {r2:?}");
    }

    /// A larger amplification flattens the curve: the premium shrinks as A grows.
    #[test]
    fn discount_shrinks_with_a(
        s in 1_000u128..1_000_000_000,
        v in 0u128..1_000_000_000,
        a1 in 20u128..=200,
        da in 0u128..=180,
    ) {
        let (s, v) = (s * E18, v * E18);
        let a2 = (a1 + da).min(200);
        let q = E18;
        let r1 = get_return(q, s, s + 2 * v, a1);
        let r2 = get_return(q, s, s + 2 * v, a2);
        prop_assert!(r1.is_some() && r2.is_some());
        prop_assert!(r1 >= r2, "A = {a1} pays {r1:?}, A = {a2} pays {r2:?}");
    }

    /// The curve never panics, whatever the input.
    #[test]
    fn curve_never_panics(x: u128, y: u128, a: u128, q: u128, p: u128) {
        let _ = get_sum(x, y, a);
        let _ = get_return(q, x, y, a);
        let _ = quote(x, y, p, a, 1_000, 100, q);
    }
}
