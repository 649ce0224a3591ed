//! Idle yield: the lent fraction, its value, recalls, and a market that cannot pay.

use super::{mock::*, open_eth_position};
use crate::{Error, Event, LentShares, PoolParams, StableReserve};
use frame_support::{assert_noop, assert_ok};
use sp_arithmetic::Perbill;

fn lend(percent: u32) {
    set_params(PoolParams {
        lend_fraction: Perbill::from_percent(percent),
        ..Default::default()
    });
}

#[test]
fn the_lend_fraction_of_the_stable_is_supplied_and_counted() {
    ExtBuilder::default().build_and_execute(|| {
        lend(50);
        deposit(ALICE, 100_000 * UNIT);
        assert_eq!(StableReserve::<Test>::get(), 50_000 * UNIT);
        // No interest has accrued: the market converts at 10^6 shares per unit.
        assert_eq!(LentShares::<Test>::get(), 50_000 * UNIT * 1_000_000);
        assert_eq!(Backstop::lent_value(), Ok(50_000 * UNIT));
        assert_eq!(Backstop::pool_value(), Ok(100_000 * UNIT));
        assert_eq!(balance(USD, pool()), 50_000 * UNIT);
        assert!(backstop_events().contains(&Event::Lent {
            amount: 50_000 * UNIT,
            shares: 50_000 * UNIT * 1_000_000
        }));
        // Lent stable earns: a day of interest on the borrowers' debt raises its value.
        open_eth_position(BORROWER_1);
        advance_time(86_400_000);
        feed_usd(USD, 1);
        feed_usd(ETH, 2_000);
        assert!(Backstop::lent_value().unwrap() > 50_000 * UNIT);
        assert!(Backstop::pool_value().unwrap() > 100_000 * UNIT);
    });
}

#[test]
fn a_withdrawal_recalls_lent_stable() {
    ExtBuilder::default().build_and_execute(|| {
        lend(50);
        deposit(ALICE, 100_000 * UNIT);
        let shares = Backstop::shares_of(&ALICE);
        assert_ok!(Backstop::withdraw(RuntimeOrigin::signed(ALICE), shares));
        // Everything but the locked minimum's 1 000 units.
        assert_eq!(balance(USD, ALICE), INITIAL - 1_000);
        assert!(backstop_events().contains(&Event::Recalled {
            amount: 49_999_999_000,
            shares: 49_999_999_000_000_000
        }));
        assert_eq!(Backstop::total_stable(), Ok(1_000));
    });
}

#[test]
fn a_market_at_full_utilisation_blocks_the_recall_and_nothing_is_lost() {
    ExtBuilder::default()
        .lender_supply(0)
        .build_and_execute(|| {
            lend(50);
            deposit(ALICE, 100_000 * UNIT);
            // The pool is the only supplier; a borrower takes all 50 000 USD.
            open_position(BORROWER_1, ETH_MARKET, 40 * UNIT, 50_000 * UNIT);
            let shares = Backstop::shares_of(&ALICE);
            assert_noop!(
                Backstop::withdraw(RuntimeOrigin::signed(ALICE), shares),
                Error::<Test>::LendingIlliquid
            );
            // What the idle stable covers still works.
            assert_ok!(Backstop::withdraw(
                RuntimeOrigin::signed(ALICE),
                shares / 10
            ));
            assert_eq!(Backstop::lent_value(), Ok(50_000 * UNIT));
        });
}

#[test]
fn a_liquidation_recalls_what_it_needs() {
    ExtBuilder::default().build_and_execute(|| {
        lend(90);
        deposit(ALICE, 100_000 * UNIT);
        assert_eq!(StableReserve::<Test>::get(), 10_000 * UNIT);
        // 100 ETH against 150 000 USD; at 1 800 the pool seizes 20 ETH for about 33 840 USD.
        feed_usd(ETH, 2_000);
        open_position(BORROWER_1, ETH_MARKET, 100 * UNIT, 150_000 * UNIT);
        feed_usd(ETH, 1_800);
        assert_ok!(Backstop::liquidate(
            RuntimeOrigin::signed(KEEPER),
            ETH_MARKET,
            BORROWER_1,
            20 * UNIT
        ));
        let events = backstop_events();
        let repaid = events
            .iter()
            .find_map(|e| match e {
                Event::Liquidated { repaid, .. } => Some(*repaid),
                _ => None,
            })
            .unwrap();
        assert_eq!(repaid, 33_840 * UNIT + 1);
        assert!(events.iter().any(|e| matches!(e, Event::Recalled { .. })));
        assert_eq!(Backstop::total_stable(), Ok(100_000 * UNIT - repaid));
    });
}

#[test]
fn lowering_the_fraction_recalls_and_no_market_means_no_lending() {
    ExtBuilder::default().build_and_execute(|| {
        lend(50);
        deposit(ALICE, 100_000 * UNIT);
        lend(0);
        assert_eq!(LentShares::<Test>::get(), 0);
        assert_eq!(StableReserve::<Test>::get(), 100_000 * UNIT);
    });
    ExtBuilder::default().build_and_execute(|| {
        YieldMarket::set(None);
        lend(50);
        deposit(ALICE, 100_000 * UNIT);
        assert_eq!(LentShares::<Test>::get(), 0);
        assert_eq!(StableReserve::<Test>::get(), 100_000 * UNIT);
    });
}
