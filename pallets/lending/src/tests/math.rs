//! The pure arithmetic: known vectors and properties.

use crate::{math::*, BitmapWord};
use proptest::prelude::*;
use sp_arithmetic::{
    traits::{One, Zero},
    FixedPointNumber, FixedU128, Perbill,
};
use sp_core::U512;

#[test]
fn shares_convert_at_the_virtual_rate_and_round_as_documented() {
    // Empty market: one asset is 10^6 shares.
    assert_eq!(to_shares_down(5, 0, 0), Some(5_000_000));
    assert_eq!(to_assets_down(5_000_000, 0, 0), Some(5));
    // 3 assets backed by 2·10^6 shares: (2·10^6 + 10^6) / (3 + 1) = 750 000 shares per asset.
    assert_eq!(to_shares_down(1, 3, 2_000_000), Some(750_000));
    // 1 share = 4 / 3 000 000 assets: down 0, up 1.
    assert_eq!(to_assets_down(1, 3, 2_000_000), Some(0));
    assert_eq!(to_assets_up(1, 3, 2_000_000), Some(1));
    // 7 assets · 3 000 000 / 4 = 5 250 000 exactly: both roundings agree.
    assert_eq!(to_shares_up(7, 3, 2_000_000), Some(5_250_000));
    assert_eq!(to_shares_down(7, 3, 2_000_000), Some(5_250_000));
    // 1 asset in a market of 10 assets and 10^6 shares: 2·10^6 / 11 = 181 818.18…
    assert_eq!(to_shares_down(1, 10, 1_000_000), Some(181_818));
    assert_eq!(to_shares_up(1, 10, 1_000_000), Some(181_819));
    assert_eq!(to_shares_down(u128::MAX, 0, u128::MAX), None);
}

#[test]
fn compound_factor_follows_the_taylor_expansion() {
    // 10 %/year for a year: 0.1 + 0.005 + 0.000166666666666666.
    assert_eq!(
        compound_factor(FixedU128::from_rational(1, 10), YEAR_MS as u64),
        Some(FixedU128::from_inner(105_166_666_666_666_666))
    );
    assert_eq!(
        accrued_interest(
            1_000_000_000_000,
            FixedU128::from_rational(1, 10),
            YEAR_MS as u64
        ),
        Some(105_166_666_666)
    );
    assert_eq!(
        compound_factor(FixedU128::from_u32(12), 0),
        Some(FixedU128::zero())
    );
    // One millisecond at 100 %/year: x = 1 / 31 536 000 000 (rounded down at 18 decimals).
    assert_eq!(
        compound_factor(FixedU128::one(), 1),
        Some(FixedU128::from_inner(31_709_791))
    );
}

#[test]
fn lif_is_morphos_formula_capped_at_115_percent() {
    let lif = |percent| liquidation_incentive_factor(Perbill::from_percent(percent));
    // 1 / (0.3 · 0.8 + 0.7) = 1 / 0.94
    assert_eq!(lif(80), FixedU128::from_inner(1_063_829_787_234_042_553));
    // 1 / (0.3 · 0.99 + 0.7) = 1 / 0.997
    assert_eq!(lif(99), FixedU128::from_inner(1_003_009_027_081_243_731));
    // 1 / 0.9835
    assert_eq!(
        liquidation_incentive_factor(Perbill::from_rational(945u32, 1000)),
        FixedU128::from_inner(1_016_776_817_488_561_260)
    );
    // 1 / 0.85 = 1.176… is capped; the cap binds up to lltv ≈ 56.5 %.
    assert_eq!(lif(50), MAX_LIF);
    assert_eq!(lif(1), MAX_LIF);
    assert!(lif(57) < MAX_LIF && lif(56) == MAX_LIF);
}

#[test]
fn max_borrow_and_strict_health() {
    // 100 collateral at 1.5 with 80 %: 120.
    let price = FixedU128::from_rational(3, 2);
    assert_eq!(max_borrow(100, price, Perbill::from_percent(80)), 120);
    // 120 assets of debt in a market of 120 assets / 120·10^6 shares is exactly 120.
    assert_eq!(
        is_healthy_strict(
            120_000_000,
            100,
            price,
            Perbill::from_percent(80),
            120,
            120_000_000
        ),
        Some(true)
    );
    assert_eq!(
        is_healthy_strict(
            120_000_001,
            100,
            price,
            Perbill::from_percent(80),
            120,
            120_000_000
        ),
        Some(false)
    );
    assert_eq!(
        is_healthy_strict(0, 0, price, Perbill::from_percent(80), 0, 0),
        Some(true)
    );
}

#[test]
fn ratio_keys_encode_exponent_and_mantissa() {
    let key = |n: u128, d: u128| ratio_key(U512::from(n), U512::from(d)).unwrap();
    let one = 256u64 << KEY_MANTISSA_BITS;
    assert_eq!(key(1, 1), one);
    assert_eq!(key(7, 7), one);
    assert_eq!(key(3, 2), one + (1 << (KEY_MANTISSA_BITS - 1)));
    assert_eq!(key(2, 1), one + (1 << KEY_MANTISSA_BITS));
    assert_eq!(key(1, 2), one - (1 << KEY_MANTISSA_BITS));
    assert_eq!(key(0, 5), 0);
    assert_eq!(key(5, 0), INFINITE_KEY);
    assert!(key(u128::MAX, 1) < MAX_FINITE_KEY);
    assert!(key(1, u128::MAX) > 0);
    // Ratios beyond the exponent range are clamped (θ can be that large).
    let huge = U512::from(u128::MAX).pow(U512::from(3));
    assert_eq!(ratio_key(huge, U512::one()), Some(MAX_FINITE_KEY));
    assert_eq!(ratio_key(U512::one(), huge), Some(0));
}

#[test]
fn the_threshold_is_exact() {
    // price 1.25, lltv 80 %, 100 assets / 10^8 shares borrowed: θ = 1.25 · 0.8 · (10^8 + 10^6)
    // / 101 = 10^6 shares per collateral unit.
    let theta = LiquidationThreshold::new(
        FixedU128::from_rational(5, 4),
        Perbill::from_percent(80),
        100,
        100_000_000,
    )
    .unwrap();
    assert_eq!(theta.is_exceeded_by(1_000_000, 1), Some(false));
    assert_eq!(theta.is_exceeded_by(1_000_001, 1), Some(true));
    assert_eq!(theta.is_exceeded_by(10_000_000_000, 10_000), Some(false));
    assert_eq!(theta.is_exceeded_by(10_000_000_001, 10_000), Some(true));
    assert_eq!(theta.is_exceeded_by(0, 0), Some(false));
    assert_eq!(theta.is_exceeded_by(1, 0), Some(true));
    assert_eq!(
        theta.key(),
        Some(ratio_key(U512::from(1_000_000u32), U512::one()).unwrap())
    );
}

#[test]
fn bitmap_words_find_the_lowest_bit_from_a_position() {
    let mut word = BitmapWord::default();
    assert!(word.is_empty());
    assert_eq!(word.lowest_from(0), None);
    for bit in [3, 127, 128, 200, 255] {
        word.set(bit);
    }
    assert!(word.get(127) && word.get(128) && !word.get(129));
    assert_eq!(word.lowest_from(0), Some(3));
    assert_eq!(word.lowest_from(4), Some(127));
    assert_eq!(word.lowest_from(128), Some(128));
    assert_eq!(word.lowest_from(129), Some(200));
    assert_eq!(word.lowest_from(255), Some(255));
    assert_eq!(word.lowest_from(256), None);
    word.clear(128);
    assert_eq!(word.lowest_from(128), Some(200));
    for bit in [3, 127, 200, 255] {
        word.clear(bit);
    }
    assert!(word.is_empty());
}

/// `a/b < c/d` for positive denominators, exactly.
fn less(a: u128, b: u128, c: u128, d: u128) -> bool {
    U512::from(a) * U512::from(d) < U512::from(c) * U512::from(b)
}

proptest! {
    #[test]
    fn ratio_key_is_monotone(a in 1..u128::MAX, b in 1..u128::MAX, c in 1..u128::MAX, d in 1..u128::MAX) {
        let (k1, k2) = (position_key(a, b).unwrap(), position_key(c, d).unwrap());
        if less(a, b, c, d) {
            prop_assert!(k1 <= k2);
        } else if less(c, d, a, b) {
            prop_assert!(k2 <= k1);
        } else {
            prop_assert_eq!(k1, k2);
        }
    }

    #[test]
    fn ratio_key_is_monotone_for_close_ratios(a in 1..u64::MAX as u128, b in 1..u64::MAX as u128, step in 1..1_000u128) {
        // Ratios that differ in the last bits: a/b < (a·s + 1)/(b·s).
        let (c, d) = (a * step + 1, b * step);
        prop_assert!(position_key(a, b).unwrap() <= position_key(c, d).unwrap());
    }

    #[test]
    fn keys_decide_everything_but_the_threshold_bucket(
        borrow_shares in 1..u128::MAX / 2,
        collateral in 0..u128::MAX / 2,
        price in 1..u128::MAX / 2,
        lltv in 1..1_000_000_000u32,
        total_assets in 0..u128::MAX / 2,
        total_shares in 0..u128::MAX / 2,
    ) {
        let threshold = LiquidationThreshold::new(
            FixedU128::from_inner(price),
            Perbill::from_parts(lltv),
            total_assets,
            total_shares,
        ).unwrap();
        let exceeded = threshold.is_exceeded_by(borrow_shares, collateral).unwrap();
        let key = position_key(borrow_shares, collateral).unwrap();
        let threshold_key = threshold.key().unwrap();
        if key > threshold_key {
            prop_assert!(exceeded);
        }
        if key < threshold_key {
            prop_assert!(!exceeded);
        }
    }

    #[test]
    fn strict_health_implies_not_liquidatable(
        borrow_shares in 1..u64::MAX as u128,
        collateral in 0..u64::MAX as u128,
        price in 1..(1_000_000u128 * FixedU128::DIV),
        lltv in 1..1_000_000_000u32,
        total_assets in 0..u64::MAX as u128,
        extra_shares in 0..u64::MAX as u128,
    ) {
        let lltv = Perbill::from_parts(lltv);
        let price = FixedU128::from_inner(price);
        let total_shares = borrow_shares + extra_shares;
        if is_healthy_strict(borrow_shares, collateral, price, lltv, total_assets, total_shares).unwrap() {
            let threshold = LiquidationThreshold::new(price, lltv, total_assets, total_shares).unwrap();
            prop_assert!(!threshold.is_exceeded_by(borrow_shares, collateral).unwrap());
        }
    }

    #[test]
    fn shares_round_in_the_protocols_favour(
        assets in 0..u64::MAX as u128,
        total_assets in 0..u64::MAX as u128,
        total_shares in 0..u64::MAX as u128,
    ) {
        let down = to_shares_down(assets, total_assets, total_shares).unwrap();
        let up = to_shares_up(assets, total_assets, total_shares).unwrap();
        prop_assert!(up >= down && up - down <= 1);
        // Minting then redeeming never gives back more than was paid.
        prop_assert!(to_assets_down(down, total_assets, total_shares).unwrap() <= assets);
        // Borrowing then repaying never costs less than was borrowed.
        prop_assert!(to_assets_up(up, total_assets, total_shares).unwrap() >= assets);
    }
}
