//! Value-flow rules of a liquidation (issue 10, items 1 and 2): the pool never pays more for
//! an avatar position than the collateral it receives is worth at the incentive, a members'
//! cushion absorbs losses before the pool, what collateral cannot cover is the market's bad
//! debt, and no position stays unliquidatable once the members' priority and the pool's turn
//! have passed.

use super::mock::*;
use crate::{Cushions, Error, Event, Params};
use backstop_primitives::{Assignee, LendingMarket};
use frame_support::{assert_noop, assert_ok, traits::fungibles::Mutate};
use proptest::prelude::*;
use sp_arithmetic::{FixedPointNumber, FixedU128};

/// LIF of the test market (lltv 80 %): 1 / (0.3 · 0.8 + 0.7) = 1 / 0.94.
fn lif() -> FixedU128 {
    FixedU128::from_rational(100, 94)
}

/// The pool's value in USD units at an ETH price of `eth_usd` (both assets have 6 decimals).
fn pool_value(eth_usd: FixedU128) -> u128 {
    balance(USD, POOL) + eth_usd.saturating_mul_int(balance(ETH, POOL))
}

/// The lending market's bad debt events so far (loan units).
fn bad_debt() -> u128 {
    System::events()
        .into_iter()
        .filter_map(|r| match r.event {
            RuntimeEvent::Lending(pallet_lending::Event::Liquidated { bad_debt, .. }) => {
                Some(bad_debt)
            }
            _ => None,
        })
        .sum()
}

#[test]
fn the_pool_does_not_overpay_for_an_insolvent_position() {
    ExtBuilder::default().build_and_execute(|| {
        // 1 ETH against 1 000 USD; ETH falls to 900: the collateral is worth 900, and at the
        // incentive it pays for 900 / LIF = 846 of debt.
        open_position(ALICE, UNIT, 1_000 * UNIT);
        set_eth_price(900);
        assign(ALICE, Assignee::Pool);
        let price = FixedU128::from_u32(900);
        let before = pool_value(price);
        let debt = Avatar::debt_backstop(MARKET, &ALICE).unwrap();
        assert_ok!(Avatar::pool_liquidate(
            RuntimeOrigin::signed(OUTSIDER),
            MARKET,
            ALICE,
            debt
        ));
        // The pool took all the collateral and paid at most its worth at the incentive (plus
        // the jar's share of the gain): never below its value before.
        assert_eq!(balance(ETH, POOL), INITIAL + UNIT);
        let paid = INITIAL - balance(USD, POOL);
        let covered = lif().reciprocal().unwrap().saturating_mul_int(900 * UNIT);
        let to_jar = (900 * UNIT - covered).div_ceil(2);
        assert!(paid <= covered + to_jar + 1, "paid {paid}");
        assert!(pool_value(price) >= before);
        // The rest of the market debt is the market's bad debt; nothing is owed any more.
        assert!(bad_debt() >= 1_000 * UNIT - covered - 1);
        assert_eq!(market_position(ALICE).borrow_assets, 0);
        assert_eq!(market_position(ALICE).collateral, 0);
        assert_eq!(Avatar::debt_backstop(MARKET, &ALICE).unwrap(), 0);
    });
}

#[test]
fn a_cushion_absorbs_an_insolvent_positions_loss_before_the_pool() {
    ExtBuilder::default().build_and_execute(|| {
        // 1 ETH, 1 000 USD; at 1 300 both members top up 200: market debt 600, cushion 400.
        open_position(ALICE, UNIT, 1_000 * UNIT);
        set_eth_price(1300);
        for member in [MEMBER_1, MEMBER_2] {
            assign(ALICE, Assignee::Member(member));
            assert_ok!(Avatar::top_up(
                RuntimeOrigin::signed(member),
                MARKET,
                ALICE,
                200 * UNIT
            ));
        }
        // ETH crashes to 800: 1 ETH pays for 800 / LIF = 752 of the 1 000: the market's 600
        // first, then 152 for the cushions (76 each); 248 of cushion is lost.
        set_eth_price(800);
        assign(ALICE, Assignee::Pool);
        let price = FixedU128::from_u32(800);
        let before = pool_value(price);
        assert_ok!(Avatar::pool_liquidate(
            RuntimeOrigin::signed(OUTSIDER),
            MARKET,
            ALICE,
            1_000 * UNIT
        ));
        assert!(pool_value(price) >= before, "the pool lost value");
        let covered = lif().reciprocal().unwrap().saturating_mul_int(800 * UNIT);
        let recovered = covered - 600 * UNIT;
        for member in [MEMBER_1, MEMBER_2] {
            let back = committed(member) - (COMMITMENT - 200 * UNIT);
            assert!(back <= recovered / 2 && back + 1 >= recovered / 2, "{back}");
        }
        // No bad debt for the market (the cushion took the loss), the cushion is gone.
        assert_eq!(bad_debt(), 0);
        assert_eq!(cushion(ALICE), 0);
        let totals = Cushions::<Test>::get(MARKET);
        assert_eq!(totals.paid_in, 400 * UNIT);
        assert_eq!(
            totals.returned + totals.consumed + totals.written_off,
            400 * UNIT
        );
        assert!(totals.written_off >= 400 * UNIT - recovered);
        assert!(avatar_events()
            .iter()
            .any(|e| matches!(e, Event::CushionWrittenOff { .. })));
    });
}

#[test]
fn an_insolvent_position_is_wound_down_whatever_amount_is_asked() {
    ExtBuilder::default().build_and_execute(|| {
        open_position(ALICE, UNIT, 1_000 * UNIT);
        set_eth_price(900);
        assign(ALICE, Assignee::Pool);
        let price = FixedU128::from_u32(900);
        let before = pool_value(price);
        // 900 of debt would need 900 · LIF / 900 = 1.06 ETH: more than the position has.
        assert_ok!(Avatar::pool_liquidate(
            RuntimeOrigin::signed(OUTSIDER),
            MARKET,
            ALICE,
            900 * UNIT
        ));
        assert!(pool_value(price) >= before);
        assert_eq!(market_position(ALICE).collateral, 0);
        assert_eq!(Avatar::debt_backstop(MARKET, &ALICE).unwrap(), 0);
    });
}

/// Sets ETH so that `debt` is `ratio_permille` ‰ of the capacity of `collateral` at lltv 80 %.
fn eth_price_for(debt: u128, collateral: u128, ratio_permille: u128) -> FixedU128 {
    let price = FixedU128::from_rational(debt * 100_000, collateral * 80 * ratio_permille);
    feed_price(USD, FixedU128::from_u32(1));
    feed_price(ETH, price);
    price
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Whatever the position, the cushions, the price, the amount and who calls, a pool
    /// liquidation never leaves the pool worse off at the oracle price.
    #[test]
    fn a_pool_liquidation_never_lowers_the_pools_value(
        collateral in 10_000u128..=10 * UNIT,
        debt_percent in 40u128..=75,
        topup_1 in 0u128..=45,
        topup_2 in 0u128..=45,
        days in 0u64..=300,
        ratio_permille in 1_001u128..=2_500,
        amount_permille in 1u128..=1_000,
    ) {
        ExtBuilder::default().build_and_execute(|| {
            let debt = collateral * 3_000 * 8 / 10 * debt_percent / 100;
            open_position(ALICE, collateral, debt);
            eth_price_for(debt, collateral, 950);
            for (member, percent) in [(MEMBER_1, topup_1), (MEMBER_2, topup_2)] {
                if percent >= 3 {
                    assign(ALICE, Assignee::Member(member));
                    let _ = Avatar::top_up(
                        RuntimeOrigin::signed(member),
                        MARKET,
                        ALICE,
                        debt * percent / 100,
                    );
                }
            }
            Timestamp::set_timestamp(GENESIS_MS + days * 86_400_000);
            let backstop_debt = Avatar::debt_backstop(MARKET, &ALICE).unwrap();
            let price = eth_price_for(backstop_debt, collateral, ratio_permille);
            assign(ALICE, Assignee::Pool);
            let amount = (backstop_debt * amount_permille / 1_000).max(1);
            let before = pool_value(price);
            match Avatar::pool_liquidate(RuntimeOrigin::signed(OUTSIDER), MARKET, ALICE, amount)
                .map_err(|e| e.error)
            {
                Ok(_) => assert!(
                    pool_value(price) >= before,
                    "pool value {} < {}", pool_value(price), before
                ),
                Err(e) => assert!(
                    e == Error::<Test>::DustAmount.into()
                        || e == Error::<Test>::LiquidationAtALoss.into(),
                    "{e:?}"
                ),
            }
            let avatar = Avatar::avatar_of(&ALICE);
            assert_eq!(balance(USD, avatar), 0);
            assert_eq!(balance(ETH, avatar), 0);
        });
    }
}

// ------------------------------------------------------------------------------------------
// Item 2: no position stays unliquidatable
// ------------------------------------------------------------------------------------------

/// ALICE's position, liquidatable in the market's own eyes (ETH at 1 200: 1 000 > 960), with
/// its episode started at block 1, the pool out of stable and no member acting.
fn stuck_position() {
    open_position(ALICE, UNIT, 1_000 * UNIT);
    set_eth_price(1200);
    assert_ok!(Avatar::sync(RuntimeOrigin::signed(OUTSIDER), MARKET, ALICE));
    let pool_usd = balance(USD, POOL);
    assert_ok!(<Assets as Mutate<AccountId>>::burn_from(
        USD,
        &POOL,
        pool_usd,
        frame_support::traits::tokens::Preservation::Expendable,
        frame_support::traits::tokens::Precision::Exact,
        frame_support::traits::tokens::Fortitude::Force,
    ));
}

#[test]
fn an_avatar_position_is_not_unliquidatable_forever() {
    ExtBuilder::default().build_and_execute(|| {
        stuck_position();
        let avatar = Avatar::avatar_of(&ALICE);
        run_to_block(100_000);
        // The market refuses a direct liquidation (the cushion ledger must stay right) ...
        assert_noop!(
            Lending::liquidate(RuntimeOrigin::signed(OUTSIDER), MARKET, avatar, UNIT / 2),
            pallet_lending::Error::<Test>::LiquidationNotPermitted
        );
        // ... the pool cannot pay ...
        assert!(
            Avatar::pool_liquidate(RuntimeOrigin::signed(OUTSIDER), MARKET, ALICE, 500 * UNIT)
                .is_err()
        );
        // ... and anyone may liquidate through the avatar, paying from its own stable.
        let eth_before = balance(ETH, OUTSIDER);
        assert_ok!(Avatar::open_liquidate(
            RuntimeOrigin::signed(OUTSIDER),
            MARKET,
            ALICE,
            500 * UNIT
        ));
        assert!(balance(ETH, OUTSIDER) > eth_before);
        assert!(market_position(ALICE).borrow_assets < 600 * UNIT);
    });
}

#[test]
fn outsiders_wait_for_the_members_priority_and_the_pools_turn() {
    ExtBuilder::default().build_and_execute(|| {
        stuck_position();
        let params = Params::<Test>::get(MARKET);
        let open_at = 1 + u64::from(params.priority_window) + u64::from(params.pool_turn);
        run_to_block(open_at - 1);
        assert_noop!(
            Avatar::open_liquidate(RuntimeOrigin::signed(OUTSIDER), MARKET, ALICE, 500 * UNIT),
            Error::<Test>::PoolTurnNotPassed
        );
        run_to_block(open_at);
        assert_ok!(Avatar::open_liquidate(
            RuntimeOrigin::signed(OUTSIDER),
            MARKET,
            ALICE,
            500 * UNIT
        ));
    });
}

#[test]
fn outsiders_may_not_liquidate_what_the_market_sees_healthy() {
    ExtBuilder::default().build_and_execute(|| {
        // Cushioned: the backstop sees 1 000 > 960 at 1 200, the market sees 800 ≤ 960.
        open_position(ALICE, UNIT, 1_000 * UNIT);
        set_eth_price(1300);
        assign(ALICE, Assignee::Member(MEMBER_1));
        assert_ok!(Avatar::top_up(
            RuntimeOrigin::signed(MEMBER_1),
            MARKET,
            ALICE,
            200 * UNIT
        ));
        set_eth_price(1200);
        assert_ok!(Avatar::sync(RuntimeOrigin::signed(OUTSIDER), MARKET, ALICE));
        run_to_block(100_000);
        assert!(!<Lending as LendingMarket<AccountId>>::is_liquidatable(
            MARKET,
            &Avatar::avatar_of(&ALICE)
        )
        .unwrap());
        assert_noop!(
            Avatar::open_liquidate(RuntimeOrigin::signed(OUTSIDER), MARKET, ALICE, 100 * UNIT),
            Error::<Test>::MarketSeesHealthy
        );
    });
}
