//! Property tests of the liquidation split: whatever the mode, the position, the cushion, the
//! interest accrued, the price, the amount and the liquidator (member or pool), a liquidation
//! the backstop's rule allows either goes through — never stopped by the market's own health
//! check, which is what the split between cushion and market debt exists to respect — or is
//! refused as dust; it removes what was asked (or, insolvent, everything); the avatar keeps no
//! funds; and the pallet's invariants hold.

use super::mock::*;
use crate::{Error, Event};
use frame_support::assert_ok;
use proptest::prelude::*;
use sp_arithmetic::FixedU128;

/// Sets ETH so that `debt` is `ratio_permille` ‰ of the capacity of `collateral` at
/// `ltv_percent` %.
fn price_for(debt: u128, collateral: u128, ltv_percent: u128, ratio_permille: u128) {
    // debt = collateral · price · ltv · ratio  ⇒  price = debt · 100 · 1000 / (collateral · ltv% · ratio‰)
    let price = FixedU128::from_rational(debt * 100_000, collateral * ltv_percent * ratio_permille);
    feed_price(USD, FixedU128::from_u32(1));
    feed_price(ETH, price);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn an_allowed_liquidation_is_never_stopped_by_the_market(
        collateral in 100_000u128..=10 * UNIT,
        debt_percent in 30u128..=75,
        topup_percent in 0u128..=45,
        days in 0u64..=400,
        ratio_permille in 1_001u128..=1_600,
        amount_permille in 1u128..=1_000,
        pool in any::<bool>(),
        margin_mode in any::<bool>(),
    ) {
        ExtBuilder::default().build_and_execute(|| {
            // Margin mode (3 pp): the backstop's line is 77 %, there is no cushion.
            let backstop_ltv = if margin_mode {
                let mut params = crate::Params::<Test>::get(MARKET);
                params.mode = crate::Mode::Margin;
                assert_ok!(Avatar::set_params(RuntimeOrigin::root(), MARKET, params));
                run_to_block(1 + DELAY);
                77
            } else {
                80
            };
            // Open at 3 000: `debt_percent` % of the market's capacity.
            let debt = collateral * 3_000 * 8 / 10 * debt_percent / 100;
            open_position(ALICE, collateral, debt);
            // Into the band (95 % of capacity) and an optional top-up by the assigned member
            // (at least the 2.5 % minimum, at most half the debt with two seats).
            if topup_percent >= 3 && !margin_mode {
                price_for(debt, collateral, 80, 950);
                assert_ok!(Avatar::top_up(
                    RuntimeOrigin::signed(MEMBER_1),
                    MARKET,
                    ALICE,
                    debt * topup_percent / 100
                ));
            }
            // Time passes (interest: shares no longer convert 1:1), then the price falls until
            // the backstop's debt is `ratio` of the capacity.
            Timestamp::set_timestamp(GENESIS_MS + days * 86_400_000);
            let backstop_debt = Avatar::debt_backstop(MARKET, &ALICE).unwrap();
            price_for(backstop_debt, collateral, backstop_ltv, ratio_permille);
            let amount = (backstop_debt * amount_permille / 1_000).max(1);
            let result = if pool {
                assign(ALICE, backstop_primitives::Assignee::Pool);
                Avatar::pool_liquidate(RuntimeOrigin::signed(OUTSIDER), MARKET, ALICE, amount)
            } else {
                Avatar::liquidate(RuntimeOrigin::signed(MEMBER_1), MARKET, ALICE, amount)
            }
            .map_err(|e| e.error);
            match result {
                Ok(_) => {
                    let Event::Liquidated { amount: done, repaid, cushion_used, .. } =
                        last_event() else { panic!("a liquidation event") };
                    assert_eq!(repaid + cushion_used, done);
                    let left = Avatar::debt_backstop(MARKET, &ALICE).unwrap();
                    if market_position(ALICE).collateral == 0 {
                        // Insolvent: all the collateral went for less than asked; the market
                        // realised what remained of its debt as bad debt and the cushion left
                        // was written off.
                        assert!(done <= amount);
                        assert_eq!(left, 0);
                    } else {
                        // What was liquidated is what was asked, never more (the market's own
                        // liquidation rounds down to whole collateral units, worth at most
                        // ~3 000 loan units here).
                        assert!(done <= amount && done + 4_000 >= amount, "{done} of {amount}");
                        assert_eq!(left, backstop_debt - done);
                    }
                    // The avatar keeps no funds.
                    let avatar = Avatar::avatar_of(&ALICE);
                    assert_eq!(balance(USD, avatar), 0);
                    assert_eq!(balance(ETH, avatar), 0);
                }
                Err(e) => assert_eq!(e, Error::<Test>::DustAmount.into()),
            }
        });
    }
}
