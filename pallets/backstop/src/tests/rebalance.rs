//! Oracle-priced rebalancing on the (mock) DEX: a fair DEX is used, a manipulated one is
//! refused, a thin one gets a smaller sale, and the pool's value never drops by more than the
//! slippage bound of what it sells.

use super::*;
use crate::{Collaterals, Error, Event, RebalanceParameters, RebalanceParams, StableReserve};
use backstop_primitives::{Balance, LendingMarket};
use frame_support::{assert_noop, assert_ok, traits::Hooks, weights::Weight};
use sp_arithmetic::Perbill;
use sp_runtime::{DispatchError, StateVersion};

/// The ETH price after the crash, USD.
const CRASHED: u32 = 1_800;

fn idle() -> Weight {
    <Backstop as Hooks<u64>>::on_idle(System::block_number(), Weight::MAX)
}

/// ALICE deposits 40 000 USD; two ETH positions (15 000 USD against 10 ETH each) crash at
/// 1 800 and the block's sweep liquidates both: the pool holds about 17.7 ETH (31 900 USD)
/// against 10 000 USD, a collateral share of about 76 %.
fn crashed_pool() {
    deposit(ALICE, 40_000 * UNIT);
    open_eth_position(BORROWER_1);
    open_eth_position(BORROWER_2);
    feed_usd(ETH, CRASHED);
    idle();
    assert!(
        held_eth() > 17 * UNIT,
        "the sweep liquidated both positions"
    );
}

fn held_eth() -> Balance {
    Collaterals::<Test>::get()
        .get(&ETH)
        .copied()
        .unwrap_or_default()
}

fn collateral_share() -> Perbill {
    let eth = held_eth() * CRASHED as u128;
    Perbill::from_rational(eth, eth + StableReserve::<Test>::get())
}

fn rebalanced() -> Option<(Balance, Balance, Balance)> {
    backstop_events().into_iter().rev().find_map(|e| match e {
        Event::Rebalanced {
            asset: ETH,
            sold,
            received,
            oracle_value,
        } => Some((sold, received, oracle_value)),
        _ => None,
    })
}

/// A deep DEX at `usd` per ETH: 100 000 ETH against that many times `usd` USD.
fn deep_dex_at(usd: u128) {
    seed_dex(ETH, 100_000 * UNIT, 100_000 * usd * UNIT);
}

#[test]
fn a_fair_dex_buys_the_collateral_down_to_the_target_within_the_bound() {
    ExtBuilder::default().build_and_execute(|| {
        crashed_pool();
        deep_dex_at(CRASHED as u128);
        let value = Backstop::pool_value().unwrap();
        assert!(collateral_share() > Perbill::from_percent(50));
        assert_ok!(Backstop::rebalance(RuntimeOrigin::root(), ETH, u128::MAX));
        let (sold, received, oracle_value) = rebalanced().expect("a Rebalanced event");
        assert_eq!(oracle_value, sold * CRASHED as u128);
        assert!(received >= Perbill::from_percent(99).mul_ceil(oracle_value));
        // Down to the 25 % target of the value before the sale: the DEX's fee and depth cost
        // a little value, so the share after is a hair above it.
        let share = collateral_share();
        assert!(
            share <= Perbill::from_rational(2_505u32, 10_000)
                && share >= Perbill::from_rational(249u32, 1000),
            "{share:?}"
        );
        // The pool's value fell by the DEX's fee and depth, never by more than 1 % of the sale.
        let after = Backstop::pool_value().unwrap();
        assert!(value - after <= Perbill::from_percent(1).mul_ceil(oracle_value));
        // Books follow the DEX's transfers.
        assert_eq!(balance(ETH, DEX), 100_000 * UNIT + sold);
    });
}

#[test]
fn a_manipulated_dex_is_refused_and_nothing_changes() {
    ExtBuilder::default().build_and_execute(|| {
        crashed_pool();
        // Someone pushed the DEX 5 % below the oracle.
        deep_dex_at(1_710);
        let root = sp_io::storage::root(StateVersion::V1);
        assert_noop!(
            Backstop::rebalance(RuntimeOrigin::root(), ETH, u128::MAX),
            Error::<Test>::DexPriceOutOfBounds
        );
        assert_eq!(sp_io::storage::root(StateVersion::V1), root);
        // The idle hook refuses too, and says so.
        let held = held_eth();
        idle();
        assert_eq!(held_eth(), held);
        assert!(matches!(
            last_event(),
            Event::RebalanceRefused { error } if error == Error::<Test>::DexPriceOutOfBounds.into()
        ));
    });
}

#[test]
fn a_thin_dex_gets_a_smaller_sale_within_the_bound() {
    ExtBuilder::default().build_and_execute(|| {
        crashed_pool();
        // 1 000 ETH deep: selling the whole excess (≈ 11.9 ETH) would move it 1.2 % plus the
        // 0.3 % fee; half of it stays within 1 %.
        seed_dex(ETH, 1_000 * UNIT, 1_800_000 * UNIT);
        let value = Backstop::pool_value().unwrap();
        assert_ok!(Backstop::rebalance(RuntimeOrigin::root(), ETH, u128::MAX));
        let (sold, received, oracle_value) = rebalanced().unwrap();
        assert!(sold < 10 * UNIT && sold > 2 * UNIT, "{sold}");
        assert!(received >= Perbill::from_percent(99).mul_ceil(oracle_value));
        assert!(value - Backstop::pool_value().unwrap() <= oracle_value / 100 + 1);
        // Still above the trigger: the next block sells more.
        assert!(collateral_share() > Perbill::from_percent(50));
    });
}

#[test]
fn what_the_pool_cannot_pay_waits_one_block_for_the_rebalance() {
    ExtBuilder::default().build_and_execute(|| {
        crashed_pool();
        // A third position, healthy at 1 800, crashes at 1 500; the pool's idle stable alone
        // cannot pay its 25 000 USD debt.
        open_position(BORROWER_3, ETH_MARKET, 20 * UNIT, 25_000 * UNIT);
        assert!(StableReserve::<Test>::get() < 25_000 * UNIT);
        feed_usd(ETH, 1_500);
        deep_dex_at(1_500);
        // This block: the batch skips it (nothing half-done), then the pool sells its ETH.
        idle();
        assert!(backstop_events().iter().any(|e| matches!(
            e,
            Event::LiquidationSkipped {
                borrower: BORROWER_3,
                reason: backstop_primitives::SkipReason::OverBudget,
                ..
            }
        )));
        assert_eq!(
            Lending::position(ETH_MARKET, &BORROWER_3)
                .unwrap()
                .borrow_assets,
            25_000 * UNIT
        );
        assert!(rebalanced().is_some());
        assert!(StableReserve::<Test>::get() >= 25_000 * UNIT);
        // The next block's sweep pays with the proceeds.
        idle();
        assert_eq!(
            Lending::position(ETH_MARKET, &BORROWER_3)
                .unwrap()
                .borrow_assets,
            0
        );
    });
}

#[test]
fn below_the_trigger_there_is_nothing_to_sell() {
    ExtBuilder::default().build_and_execute(|| {
        pool_holds_eth();
        deep_dex_at(CRASH_PRICE as u128);
        assert_noop!(
            Backstop::rebalance(RuntimeOrigin::root(), ETH, u128::MAX),
            Error::<Test>::RebalanceNotNeeded
        );
        let events = backstop_events().len();
        idle();
        assert!(!backstop_events()[events..]
            .iter()
            .any(|e| matches!(e, Event::Rebalanced { .. } | Event::RebalanceRefused { .. })));
    });
}

#[test]
fn a_stale_price_stops_the_rebalance() {
    ExtBuilder::default().build_and_execute(|| {
        crashed_pool();
        deep_dex_at(CRASHED as u128);
        advance_time(crate::PoolParams::default().max_price_age + 1);
        assert_noop!(
            Backstop::rebalance(RuntimeOrigin::root(), ETH, u128::MAX),
            Error::<Test>::OracleStale
        );
        let held = held_eth();
        idle();
        assert_eq!(held_eth(), held);
    });
}

#[test]
fn the_amount_caps_the_sale_and_only_governance_may_call() {
    ExtBuilder::default().build_and_execute(|| {
        crashed_pool();
        deep_dex_at(CRASHED as u128);
        assert_noop!(
            Backstop::rebalance(RuntimeOrigin::signed(KEEPER), ETH, UNIT),
            DispatchError::BadOrigin
        );
        assert_noop!(
            Backstop::rebalance(RuntimeOrigin::signed(EMERGENCY), ETH, UNIT),
            DispatchError::BadOrigin
        );
        assert_ok!(Backstop::rebalance(RuntimeOrigin::root(), ETH, UNIT));
        assert_eq!(rebalanced().unwrap().0, UNIT);
        assert_noop!(
            Backstop::rebalance(RuntimeOrigin::root(), BTC, UNIT),
            Error::<Test>::UnknownCollateral
        );
        assert_noop!(
            Backstop::rebalance(RuntimeOrigin::root(), ETH, 0),
            Error::<Test>::ZeroAmount
        );
    });
}

#[test]
fn the_parameters_are_bounded_and_each_change_says_old_and_new() {
    ExtBuilder::default().build_and_execute(|| {
        let ok = RebalanceParams {
            trigger: Perbill::from_percent(60),
            target: Perbill::from_percent(30),
            max_slippage: Perbill::from_percent(2),
        };
        for (bad, error) in [
            (
                RebalanceParams {
                    trigger: Perbill::zero(),
                    target: Perbill::zero(),
                    ..ok
                },
                Error::<Test>::RebalanceTriggerOutOfBounds,
            ),
            (
                RebalanceParams {
                    target: Perbill::from_percent(61),
                    ..ok
                },
                Error::<Test>::RebalanceTargetOutOfBounds,
            ),
            (
                RebalanceParams {
                    max_slippage: Perbill::from_rational(101u32, 1000),
                    ..ok
                },
                Error::<Test>::SlippageOutOfBounds,
            ),
        ] {
            assert_noop!(
                Backstop::set_rebalance_params(RuntimeOrigin::root(), bad),
                error
            );
        }
        assert_noop!(
            Backstop::set_rebalance_params(RuntimeOrigin::signed(EMERGENCY), ok),
            DispatchError::BadOrigin
        );
        assert_ok!(Backstop::set_rebalance_params(RuntimeOrigin::root(), ok));
        assert_eq!(RebalanceParameters::<Test>::get(), ok);
        assert_eq!(
            last_event(),
            Event::RebalanceParamsUpdated {
                old: RebalanceParams::default(),
                new: ok
            }
        );
    });
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Whatever the DEX's depth and price, a rebalance either changes nothing or sells at
        /// no worse than `max_slippage` below the oracle: the pool's value falls by at most
        /// that much of what it sold, and the books match the pool's holdings (try_state).
        #[test]
        fn the_pool_never_loses_more_than_the_slippage_bound(
            depth in 1u128..100_000,
            price_permille in 900u128..1_100,
            slippage_permille in 0u32..=100,
            amount in 1u128..30,
        ) {
            ExtBuilder::default().build_and_execute(|| {
                crashed_pool();
                let max_slippage = Perbill::from_rational(slippage_permille, 1000);
                assert_ok!(Backstop::set_rebalance_params(
                    RuntimeOrigin::root(),
                    RebalanceParams { max_slippage, ..Default::default() }
                ));
                seed_dex(ETH, depth * UNIT, depth * CRASHED as u128 * price_permille / 1000 * UNIT);
                let value = Backstop::pool_value().unwrap();
                match Backstop::rebalance(RuntimeOrigin::root(), ETH, amount * UNIT) {
                    Ok(()) => {
                        let (sold, received, oracle_value) = rebalanced().unwrap();
                        assert!(sold <= amount * UNIT);
                        assert!(received >= (Perbill::one() - max_slippage).mul_ceil(oracle_value));
                        let after = Backstop::pool_value().unwrap();
                        assert!(value.saturating_sub(after) <= max_slippage.mul_floor(oracle_value) + 1);
                    }
                    Err(e) => assert_eq!(e, Error::<Test>::DexPriceOutOfBounds.into()),
                }
            });
        }
    }
}
