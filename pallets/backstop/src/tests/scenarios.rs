//! End-to-end stories: a price crash the pool absorbs, and an oracle outage.
//!
//! The crash numbers were worked out by hand (a Python re-implementation of the spec's
//! formulas with integer arithmetic, every rounding as the spec states): see the comments.

use super::{mock::*, open_eth_position, pool_holds_eth, REPAID};
use crate::{Collaterals, Error, PoolParams, StableReserve, TotalShares};
use frame_support::{assert_noop, assert_ok};

#[test]
fn crash_liquidations_arbitrage_and_withdrawals() {
    ExtBuilder::default().build_and_execute(|| {
        set_params(PoolParams {
            caller_fee_bps: 100,
            ..Default::default()
        });
        // Two depositors: 100 000 and 50 000 USD.
        deposit(ALICE, 100_000 * UNIT);
        deposit(BOB, 50_000 * UNIT);
        let alice = 100_000 * UNIT * 1_000_000 - MINIMUM_SHARES;
        let bob = 50_000 * UNIT * 1_000_000;
        assert_eq!(
            (Backstop::shares_of(&ALICE), Backstop::shares_of(&BOB)),
            (alice, bob)
        );
        let total = TotalShares::<Test>::get();
        assert_eq!(total, 150_000 * UNIT * 1_000_000);

        // Three borrowers owe 15 000 USD each against 10 ETH; ETH falls from 2 000 to 1 800.
        for who in [BORROWER_1, BORROWER_2, BORROWER_3] {
            open_eth_position(who);
        }
        feed_usd(ETH, 1_800);
        // The pool liquidates 5 ETH of each: pays 8 460.000001 USD each, the keeper earns
        // 0.002999 ETH each (1 % of the 0.299999 ETH gain).
        let keeper_eth = balance(ETH, KEEPER);
        for who in [BORROWER_1, BORROWER_2, BORROWER_3] {
            assert_ok!(Backstop::liquidate(
                RuntimeOrigin::signed(KEEPER),
                ETH_MARKET,
                who,
                5 * UNIT
            ));
        }
        assert_eq!(balance(ETH, KEEPER), keeper_eth + 3 * 2_999);
        assert_eq!(StableReserve::<Test>::get(), 150_000 * UNIT - 3 * REPAID);
        assert_eq!(StableReserve::<Test>::get(), 124_619_999_997);
        assert_eq!(
            Collaterals::<Test>::get().get(&ETH).copied(),
            Some(14_991_003)
        );
        // Value: 124 619.999997 + 14.991003 · 1 800 = 151 603.805397 USD: the depositors
        // gained 1 603.805397 USD, shared by their shares.
        assert_eq!(Backstop::pool_value(), Ok(151_603_805_397));
        assert_eq!(Backstop::value_of(&ALICE), Ok(101_069_202_587));
        assert_eq!(Backstop::value_of(&BOB), Ok(50_534_601_799));

        // An arbitrageur buys ETH back: 9 000 USD (5 ETH at the oracle) buys 5.074135 ETH.
        assert_ok!(Backstop::swap(
            RuntimeOrigin::signed(CHARLIE),
            ETH,
            9_000 * UNIT,
            5 * UNIT
        ));
        assert_eq!(StableReserve::<Test>::get(), 133_619_999_997);
        assert_eq!(
            Collaterals::<Test>::get().get(&ETH).copied(),
            Some(9_916_868)
        );
        // The discount the arbitrageur took costs the pool 133.443 USD of oracle value.
        assert_eq!(Backstop::pool_value(), Ok(151_470_362_397));
        assert_eq!(Backstop::value_of(&ALICE), Ok(100_980_240_588));
        assert_eq!(Backstop::value_of(&BOB), Ok(50_490_120_799));

        // A late depositor pays the post-crash share price: 10 000 USD buys
        // 150 000 · 10^12 · 10 000 / 151 470.362397 shares (rounded down).
        deposit(DAVE, 10_000 * UNIT);
        assert_eq!(Backstop::shares_of(&DAVE), 9_902_927_386_339_367);

        // The first two withdraw everything, in kind.
        let (alice_usd, alice_eth) = (balance(USD, ALICE), balance(ETH, ALICE));
        assert_ok!(Backstop::withdraw(RuntimeOrigin::signed(ALICE), alice));
        assert_eq!(balance(USD, ALICE), alice_usd + 89_816_991_413);
        assert_eq!(balance(ETH, ALICE), alice_eth + 6_201_805);
        let (bob_usd, bob_eth) = (balance(USD, BOB), balance(ETH, BOB));
        assert_ok!(Backstop::withdraw(RuntimeOrigin::signed(BOB), bob));
        assert_eq!(balance(USD, BOB), bob_usd + 44_908_496_156);
        assert_eq!(balance(ETH, BOB), bob_eth + 3_100_902);

        // What is left belongs to DAVE and the locked minimum; DAVE's part is worth his
        // 10 000 USD (plus the rounding the pool kept).
        assert_eq!(StableReserve::<Test>::get(), 8_894_512_428);
        assert_eq!(Collaterals::<Test>::get().get(&ETH).copied(), Some(614_161));
        assert_eq!(
            TotalShares::<Test>::get(),
            9_902_927_386_339_367 + MINIMUM_SHARES
        );
        assert_eq!(Backstop::value_of(&DAVE), Ok(10_000_001_218));
    });
}

#[test]
fn an_oracle_outage_stops_swaps_and_deposits_but_not_withdrawals() {
    ExtBuilder::default().build_and_execute(|| {
        pool_holds_eth();
        deposit(BOB, 10_000 * UNIT);
        // Two hours without a price update.
        advance_time(7_200_000);
        assert_noop!(
            Backstop::deposit(RuntimeOrigin::signed(CHARLIE), 1_000 * UNIT),
            Error::<Test>::OracleStale
        );
        assert_noop!(
            Backstop::swap(RuntimeOrigin::signed(CHARLIE), ETH, 1_800 * UNIT, 0),
            Error::<Test>::OracleStale
        );
        assert_eq!(
            Backstop::pool_value(),
            Err(Error::<Test>::OracleStale.into())
        );
        assert_eq!(
            Backstop::quote_swap(ETH, UNIT),
            Err(Error::<Test>::OracleStale.into())
        );
        // Withdrawals still pay in kind.
        let bob_eth = balance(ETH, BOB);
        let shares = Backstop::shares_of(&BOB);
        assert_ok!(Backstop::withdraw(RuntimeOrigin::signed(BOB), shares));
        assert!(balance(ETH, BOB) > bob_eth);
        // Prices return, trading resumes.
        feed_usd(USD, 1);
        feed_usd(ETH, 1_800);
        assert_ok!(Backstop::swap(
            RuntimeOrigin::signed(CHARLIE),
            ETH,
            1_800 * UNIT,
            0
        ));
        assert_ok!(Backstop::deposit(
            RuntimeOrigin::signed(CHARLIE),
            1_000 * UNIT
        ));
    });
}
