//! Liquidations by the pool: what it pays and receives, the caller fee, every error.

use super::{mock::*, open_eth_position, pool_holds_eth, REPAID, SEIZED};
use crate::{Collaterals, Error, Event, StableReserve};
use backstop_primitives::LendingMarket;
use frame_support::{assert_noop, assert_ok};

#[test]
fn the_pool_pays_the_debt_and_receives_the_collateral() {
    ExtBuilder::default().build_and_execute(|| {
        let keeper_eth = balance(ETH, KEEPER);
        pool_holds_eth();
        // Gain: 5 ETH − 8 460.000001 USD / 1 800 = 0.299999 ETH (rounded against the keeper);
        // the keeper earns 1 % of it, rounded down.
        let caller_fee = 2_999;
        assert_eq!(StableReserve::<Test>::get(), 100_000 * UNIT - REPAID);
        assert_eq!(balance(USD, pool()), 100_000 * UNIT - REPAID);
        assert_eq!(
            Collaterals::<Test>::get().get(&ETH).copied(),
            Some(SEIZED - caller_fee)
        );
        assert_eq!(balance(ETH, pool()), SEIZED - caller_fee);
        assert_eq!(balance(ETH, KEEPER), keeper_eth + caller_fee);
        let position = Lending::position(ETH_MARKET, &BORROWER_1).unwrap();
        assert_eq!(position.collateral, 5 * UNIT);
        assert_eq!(position.borrow_assets, 15_000 * UNIT - REPAID);
        assert_eq!(
            last_event(),
            Event::Liquidated {
                caller: KEEPER,
                market: ETH_MARKET,
                borrower: BORROWER_1,
                collateral_asset: ETH,
                repaid: REPAID,
                seized: SEIZED,
                caller_fee,
            }
        );
        // The pool gained: 100 000 − 8 460.000001 + 4.997001 · 1 800 = 100 534.601799 USD.
        assert_eq!(Backstop::pool_value(), Ok(100_534_601_799));
    });
}

#[test]
fn without_a_caller_fee_the_pool_keeps_all_the_collateral() {
    ExtBuilder::default().build_and_execute(|| {
        deposit(ALICE, 100_000 * UNIT);
        open_eth_position(BORROWER_1);
        feed_usd(ETH, 1_800);
        assert_ok!(Backstop::liquidate(
            RuntimeOrigin::signed(KEEPER),
            ETH_MARKET,
            BORROWER_1,
            SEIZED
        ));
        assert_eq!(Collaterals::<Test>::get().get(&ETH).copied(), Some(SEIZED));
    });
}

#[test]
fn liquidation_errors_change_nothing() {
    ExtBuilder::default().build_and_execute(|| {
        open_eth_position(BORROWER_1);
        feed_usd(ETH, 1_800);
        // An empty pool cannot pay.
        assert_noop!(
            Backstop::liquidate(
                RuntimeOrigin::signed(KEEPER),
                ETH_MARKET,
                BORROWER_1,
                SEIZED
            ),
            Error::<Test>::InsufficientStable
        );
        deposit(ALICE, 100_000 * UNIT);
        let origin = || RuntimeOrigin::signed(KEEPER);
        assert_noop!(
            Backstop::liquidate(origin(), ETH_MARKET, BORROWER_1, 0),
            Error::<Test>::ZeroAmount
        );
        assert_noop!(
            Backstop::liquidate(origin(), 42, BORROWER_1, SEIZED),
            Error::<Test>::UnknownMarket
        );
        assert_noop!(
            Backstop::liquidate(origin(), ETH_LOAN_MARKET, BORROWER_1, SEIZED),
            Error::<Test>::NotStableMarket
        );
        // A healthy position: the market refuses.
        open_position(BORROWER_2, ETH_MARKET, 10 * UNIT, 1_000 * UNIT);
        assert_noop!(
            Backstop::liquidate(origin(), ETH_MARKET, BORROWER_2, SEIZED),
            pallet_lending::Error::<Test>::PositionHealthy
        );
        assert_noop!(
            Backstop::liquidate(RuntimeOrigin::none(), ETH_MARKET, BORROWER_1, SEIZED),
            sp_runtime::DispatchError::BadOrigin
        );
        // A stale price.
        advance_time(3_600_001);
        feed_usd(USD, 1);
        assert_noop!(
            Backstop::liquidate(origin(), ETH_MARKET, BORROWER_1, SEIZED),
            Error::<Test>::OracleStale
        );
    });
}

#[test]
fn liquidation_amounts_beyond_the_collateral_get_the_pallets_own_error() {
    ExtBuilder::default().build_and_execute(|| {
        deposit(ALICE, 1_000_000 * UNIT);
        open_eth_position(BORROWER_1);
        feed_usd(ETH, 1_800);
        let origin = || RuntimeOrigin::signed(KEEPER);
        assert_noop!(
            Backstop::liquidate(origin(), ETH_MARKET, BORROWER_1, 0),
            Error::<Test>::ZeroAmount
        );
        for seized in [10 * UNIT + 1, 1u128 << 127, u128::MAX] {
            assert_noop!(
                Backstop::liquidate(origin(), ETH_MARKET, BORROWER_1, seized),
                Error::<Test>::SeizeExceedsCollateral
            );
        }
    });
}

#[test]
fn the_pool_holds_at_most_max_collaterals_assets() {
    ExtBuilder::default().build_and_execute(|| {
        pool_holds_eth();
        // BTC: 1 BTC against 20 000 USD; at 24 000 USD it may carry only 19 200.
        open_position(BORROWER_2, BTC_MARKET, UNIT, 20_000 * UNIT);
        feed_usd(BTC, 24_000);
        assert_ok!(Backstop::liquidate(
            RuntimeOrigin::signed(KEEPER),
            BTC_MARKET,
            BORROWER_2,
            UNIT / 10
        ));
        assert_eq!(Collaterals::<Test>::get().len(), 2);
        // SOL: 200 SOL against 15 000 USD; at 90 USD it may carry only 14 400.
        open_position(BORROWER_3, SOL_MARKET, 200 * UNIT, 15_000 * UNIT);
        feed_usd(SOL, 90);
        assert_noop!(
            Backstop::liquidate(
                RuntimeOrigin::signed(KEEPER),
                SOL_MARKET,
                BORROWER_3,
                10 * UNIT
            ),
            Error::<Test>::TooManyCollaterals
        );
        // More of an asset already held is fine.
        feed_usd(ETH, 2_000);
        open_eth_position(DAVE);
        feed_usd(ETH, 1_800);
        assert_ok!(Backstop::liquidate(
            RuntimeOrigin::signed(KEEPER),
            ETH_MARKET,
            DAVE,
            SEIZED
        ));
        assert_eq!(
            Collaterals::<Test>::get().get(&ETH).copied(),
            Some(2 * SEIZED - 2 * 2_999)
        );
    });
}
