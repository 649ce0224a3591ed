//! Idle yield: the lent fraction, its value, recalls, and a market that cannot pay.

use super::{mock::*, open_eth_position};
use crate::{Error, Event, LentClaims, LentShares, PoolParams, StableReserve, TotalLentClaims};
use backstop_primitives::LendingMarket;
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
        // Pro rata: her idle half from the reserve, her lent half recalled from the market.
        assert!(backstop_events().contains(&Event::Recalled {
            amount: 49_999_999_500,
            shares: 49_999_999_500_000_000
        }));
        assert_eq!(Backstop::total_stable(), Ok(1_000));
    });
}

#[test]
fn a_withdrawal_at_full_utilisation_still_succeeds_with_full_value() {
    ExtBuilder::default()
        .lender_supply(0)
        .build_and_execute(|| {
            lend(50);
            deposit(ALICE, 100_000 * UNIT);
            // The pool is the only supplier; a borrower takes all 50 000 USD.
            open_position(BORROWER_1, ETH_MARKET, 40 * UNIT, 50_000 * UNIT);
            let value = Backstop::value_of(&ALICE).unwrap();
            let usd = balance(USD, ALICE);
            let shares = Backstop::shares_of(&ALICE);
            assert_ok!(Backstop::withdraw(RuntimeOrigin::signed(ALICE), shares));
            // ALICE gets her idle half in stable now and keeps her lent half as a claim.
            let paid = balance(USD, ALICE) - usd;
            let claim = LentClaims::<Test>::get(ALICE).unwrap();
            let claim_value = Lending::supply_shares_value(ETH_MARKET, claim).unwrap();
            assert_eq!(paid, 49_999_999_500);
            assert_eq!(claim_value, 49_999_999_500);
            // Full value, short of the exact value only by rounding in the pool's favour.
            assert!(paid + claim_value <= value && paid + claim_value + 2 >= value);
            assert!(backstop_events().contains(&Event::ClaimBooked {
                who: ALICE,
                shares: claim
            }));
            // The claim is not the pool's: the locked minimum alone is left, at its value.
            assert_eq!(Backstop::pool_value(), Ok(1_000));
            assert_eq!(TotalLentClaims::<Test>::get(), claim);
            assert_noop!(
                Backstop::redeem(RuntimeOrigin::signed(ALICE)),
                Error::<Test>::LendingIlliquid
            );
            assert_noop!(
                Backstop::redeem(RuntimeOrigin::signed(BOB)),
                Error::<Test>::NoClaim
            );
            // Liquidity returns in part: the borrower repays 20 000 USD; ALICE redeems that.
            assert_ok!(Lending::repay(
                RuntimeOrigin::signed(BORROWER_1),
                ETH_MARKET,
                BORROWER_1,
                20_000 * UNIT
            ));
            assert_ok!(Backstop::redeem(RuntimeOrigin::signed(ALICE)));
            assert_eq!(balance(USD, ALICE), usd + paid + 20_000 * UNIT);
            let left = LentClaims::<Test>::get(ALICE).unwrap();
            let left_value = Lending::supply_shares_value(ETH_MARKET, left).unwrap();
            // The market burns the shares of 20 000 USD rounded up: at most a unit less left.
            assert!(left_value + 1 >= claim_value - 20_000 * UNIT);
            assert!(left_value <= claim_value - 20_000 * UNIT);
            // Then in full: ALICE has received everything her shares were worth.
            assert_ok!(Lending::repay(
                RuntimeOrigin::signed(BORROWER_1),
                ETH_MARKET,
                BORROWER_1,
                30_000 * UNIT
            ));
            assert_ok!(Backstop::redeem(RuntimeOrigin::signed(ALICE)));
            assert_eq!(balance(USD, ALICE), usd + paid + 20_000 * UNIT + left_value);
            assert!(paid + 20_000 * UNIT + left_value + 3 >= value);
            assert_eq!(LentClaims::<Test>::get(ALICE), None);
            assert_eq!(TotalLentClaims::<Test>::get(), 0);
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

#[test]
fn the_pool_does_not_lend_while_liquidations_are_coming() {
    ExtBuilder::default().build_and_execute(|| {
        // 15 000 USD against 10 ETH: liquidatable below 1 875 USD, within 10 % of 2 000.
        open_eth_position(BORROWER_1);
        lend(90);
        deposit(ALICE, 100_000 * UNIT);
        assert_eq!(LentShares::<Test>::get(), 0);
        assert_eq!(StableReserve::<Test>::get(), 100_000 * UNIT);
    });
    ExtBuilder::default().build_and_execute(|| {
        // 12 000 USD against 10 ETH: liquidatable below 1 500 USD, 25 % away: the pool lends.
        open_position(BORROWER_1, ETH_MARKET, 10 * UNIT, 12_000 * UNIT);
        lend(90);
        deposit(ALICE, 100_000 * UNIT);
        assert_eq!(StableReserve::<Test>::get(), 10_000 * UNIT);
        // ETH falls to 1 650: the position comes within 10 % of liquidation, and the next pool
        // operation recalls the lent stable.
        feed_usd(ETH, 1_650);
        deposit(BOB, UNIT);
        assert_eq!(LentShares::<Test>::get(), 0);
        assert_eq!(Backstop::lent_value(), Ok(0));
    });
}
