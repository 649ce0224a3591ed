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

// ---------------------------------------------------------------------------------------------
// Batch liquidation
// ---------------------------------------------------------------------------------------------

mod batch {
    use super::*;
    use crate::{weights::WeightInfo, PoolParams};
    use backstop_primitives::SkipReason;
    use frame_support::{dispatch::PostDispatchInfo, BoundedVec};

    fn borrowers(list: &[AccountId]) -> BoundedVec<AccountId, frame_support::traits::ConstU32<64>> {
        BoundedVec::try_from(list.to_vec()).unwrap()
    }

    /// With a 1 % caller fee and ALICE's deposit of `pool` USD, BORROWER_1 and BORROWER_2
    /// owe 15 000 USD on 10 ETH each and BORROWER_3 owes 1 000 USD on 10 ETH; ETH crashes
    /// to 1 800 USD.
    fn crashed_market(pool: u128) {
        set_params(PoolParams {
            caller_fee_bps: 100,
            ..Default::default()
        });
        deposit(ALICE, pool);
        open_eth_position(BORROWER_1);
        open_eth_position(BORROWER_2);
        open_position(BORROWER_3, ETH_MARKET, 10 * UNIT, 1_000 * UNIT);
        feed_usd(ETH, 1_800);
    }

    #[test]
    fn a_batch_liquidates_the_liquidatable_in_full_and_skips_the_rest() {
        ExtBuilder::default().build_and_execute(|| {
            crashed_market(100_000 * UNIT);
            let value_before = Backstop::pool_value().unwrap();
            let keeper_eth = balance(ETH, KEEPER);
            let list = [BORROWER_1, BORROWER_3, BORROWER_2, KEEPER];
            let post = Backstop::liquidate_many(
                RuntimeOrigin::signed(KEEPER),
                ETH_MARKET,
                borrowers(&list),
            )
            .unwrap();
            for who in [BORROWER_1, BORROWER_2] {
                let position = Lending::position(ETH_MARKET, &who).unwrap();
                assert_eq!(position.borrow_assets, 0);
                // 15 000 · LIF / 1 800 = 8.865248 ETH seized of 10.
                assert_eq!(position.collateral, 10 * UNIT - 8_865_248);
            }
            assert_eq!(
                Lending::position(ETH_MARKET, &BORROWER_3)
                    .unwrap()
                    .borrow_assets,
                1_000 * UNIT
            );
            let events = backstop_events();
            let skipped: Vec<_> = events
                .iter()
                .filter_map(|e| match e {
                    Event::LiquidationSkipped {
                        borrower, reason, ..
                    } => Some((*borrower, *reason)),
                    _ => None,
                })
                .collect();
            assert_eq!(
                skipped,
                vec![
                    (BORROWER_3, SkipReason::Healthy),
                    (KEEPER, SkipReason::NoDebt)
                ]
            );
            let Some(Event::BatchLiquidated {
                liquidated,
                skipped,
                repaid,
                seized,
                caller_fee,
                ..
            }) = events.last().cloned()
            else {
                panic!("no BatchLiquidated event");
            };
            assert_eq!((liquidated, skipped), (2, 2));
            assert_eq!(seized, 2 * 8_865_248);
            // Each debt repaid in full (rounded up).
            assert!((30_000 * UNIT..=30_000 * UNIT + 2).contains(&repaid));
            assert_eq!(StableReserve::<Test>::get(), 100_000 * UNIT - repaid);
            assert_eq!(
                Collaterals::<Test>::get().get(&ETH).copied(),
                Some(seized - caller_fee)
            );
            assert!(caller_fee > 0);
            assert_eq!(balance(ETH, KEEPER), keeper_eth + caller_fee);
            // The pool gained (it bought at the LIF), net of the caller's fee.
            assert!(Backstop::pool_value().unwrap() > value_before);
            // Charged for four liquidations, refunded down to two liquidated and two skipped.
            let charged = <() as WeightInfo>::liquidate_many(4, 0);
            assert_eq!(
                post,
                PostDispatchInfo {
                    actual_weight: Some(<() as WeightInfo>::liquidate_many(2, 2)),
                    pays_fee: frame_support::dispatch::Pays::Yes,
                }
            );
            assert!(<() as WeightInfo>::liquidate_many(2, 2).ref_time() < charged.ref_time());
        });
    }

    #[test]
    fn what_the_idle_reserve_cannot_pay_is_skipped_not_failed() {
        ExtBuilder::default().build_and_execute(|| {
            // 20 000 USD idle: BORROWER_1's 15 000 fits, BORROWER_2's does not as well.
            crashed_market(20_000 * UNIT);
            assert_ok!(Backstop::liquidate_many(
                RuntimeOrigin::signed(KEEPER),
                ETH_MARKET,
                borrowers(&[BORROWER_1, BORROWER_2]),
            ));
            assert_eq!(
                Lending::position(ETH_MARKET, &BORROWER_1)
                    .unwrap()
                    .borrow_assets,
                0
            );
            assert_eq!(
                Lending::position(ETH_MARKET, &BORROWER_2)
                    .unwrap()
                    .borrow_assets,
                15_000 * UNIT
            );
            assert!(backstop_events().contains(&Event::LiquidationSkipped {
                market: ETH_MARKET,
                borrower: BORROWER_2,
                reason: SkipReason::OverBudget,
            }));
        });
    }

    #[test]
    fn a_batch_of_nothing_to_do_books_nothing() {
        ExtBuilder::default().build_and_execute(|| {
            crashed_market(100_000 * UNIT);
            let reserve = StableReserve::<Test>::get();
            assert_ok!(Backstop::liquidate_many(
                RuntimeOrigin::signed(KEEPER),
                ETH_MARKET,
                borrowers(&[BORROWER_3]),
            ));
            assert_eq!(StableReserve::<Test>::get(), reserve);
            assert!(Collaterals::<Test>::get().is_empty());
        });
    }

    #[test]
    fn batch_wide_errors_change_nothing() {
        ExtBuilder::default().build_and_execute(|| {
            crashed_market(100_000 * UNIT);
            let list = || borrowers(&[BORROWER_1]);
            assert_noop!(
                Backstop::liquidate_many(RuntimeOrigin::signed(KEEPER), 99, list()),
                Error::<Test>::UnknownMarket
            );
            assert_noop!(
                Backstop::liquidate_many(RuntimeOrigin::root(), ETH_MARKET, list()),
                sp_runtime::DispatchError::BadOrigin
            );
            // A stale price stops the whole batch.
            advance_time(crate::Params::<Test>::get().max_price_age + 1);
            assert_noop!(
                Backstop::liquidate_many(RuntimeOrigin::signed(KEEPER), ETH_MARKET, list()),
                Error::<Test>::OracleStale
            );
        });
    }
}

// ---------------------------------------------------------------------------------------------
// The same-block sweep (on_idle)
// ---------------------------------------------------------------------------------------------

mod sweep {
    use super::*;
    use crate::{PoolParams, SweepCap, SweepCursor};
    use frame_support::{traits::Hooks, weights::Weight};

    fn crash() {
        deposit(ALICE, 100_000 * UNIT);
        open_eth_position(BORROWER_1);
        open_eth_position(BORROWER_2);
        open_position(BORROWER_3, ETH_MARKET, 10 * UNIT, 1_000 * UNIT);
        feed_usd(ETH, 1_800);
    }

    fn idle(weight: Weight) -> Weight {
        <Backstop as Hooks<u64>>::on_idle(System::block_number(), weight)
    }

    #[test]
    fn the_block_that_crashes_the_price_liquidates_with_its_spare_weight() {
        ExtBuilder::default().build_and_execute(|| {
            crash();
            let used = idle(Weight::MAX);
            // Both unhealthy positions, in full, by the pool as its own keeper; the healthy
            // one is not touched.
            for who in [BORROWER_1, BORROWER_2] {
                assert_eq!(
                    Lending::position(ETH_MARKET, &who).unwrap().borrow_assets,
                    0
                );
            }
            assert_eq!(
                Lending::position(ETH_MARKET, &BORROWER_3)
                    .unwrap()
                    .borrow_assets,
                1_000 * UNIT
            );
            assert!(backstop_events().iter().any(|e| matches!(
                e,
                Event::BatchLiquidated { caller, market: ETH_MARKET, liquidated: 2, caller_fee: 0, .. }
                    if *caller == pool()
            )));
            // Charged per market visited from the benchmark, within what was offered.
            use crate::weights::WeightInfo;
            assert!(used.all_gte(<() as WeightInfo>::sweep_market(16)));
            // Nothing left: the next block's sweep liquidates nothing.
            let before = backstop_events().len();
            idle(Weight::MAX);
            assert!(!backstop_events()[before..]
                .iter()
                .any(|e| matches!(e, Event::BatchLiquidated { .. })));
        });
    }

    #[test]
    fn the_cap_spreads_a_crash_over_blocks_and_the_cursor_stays_on_the_market() {
        ExtBuilder::default().build_and_execute(|| {
            crash();
            assert_ok!(Backstop::set_sweep_cap(RuntimeOrigin::root(), 1));
            idle(Weight::MAX);
            let left = [BORROWER_1, BORROWER_2]
                .iter()
                .filter(|w| Lending::position(ETH_MARKET, w).unwrap().borrow_assets > 0)
                .count();
            assert_eq!(left, 1);
            assert_eq!(SweepCursor::<Test>::get(), ETH_MARKET);
            idle(Weight::MAX);
            for who in [BORROWER_1, BORROWER_2] {
                assert_eq!(
                    Lending::position(ETH_MARKET, &who).unwrap().borrow_assets,
                    0
                );
            }
        });
    }

    #[test]
    fn no_spare_weight_no_cap_or_a_stale_price_liquidates_nothing() {
        ExtBuilder::default().build_and_execute(|| {
            crash();
            // Shares, not assets: interest accrues while the clock moves.
            let shares = || {
                Lending::position(ETH_MARKET, &BORROWER_1)
                    .unwrap()
                    .borrow_shares
            };
            let start = shares();
            let unchanged = || shares() == start;
            use crate::weights::WeightInfo;
            // Less than one market's step to spare: nothing is looked at.
            let short = <() as WeightInfo>::sweep_market(16) - Weight::from_parts(1, 0);
            assert!(idle(short).all_lte(short));
            assert!(unchanged());
            assert_ok!(Backstop::set_sweep_cap(RuntimeOrigin::root(), 0));
            idle(Weight::MAX);
            assert!(unchanged());
            assert_ok!(Backstop::set_sweep_cap(RuntimeOrigin::root(), 16));
            advance_time(PoolParams::default().max_price_age + 1);
            idle(Weight::MAX);
            assert!(unchanged());
        });
    }

    #[test]
    fn the_sweep_recalls_the_lent_stable_before_it_liquidates() {
        ExtBuilder::default().build_and_execute(|| {
            // Two positions 25 % from liquidation, so the pool lends 90 % of its stable.
            open_position(BORROWER_1, ETH_MARKET, 10 * UNIT, 12_000 * UNIT);
            open_position(BORROWER_2, ETH_MARKET, 10 * UNIT, 12_000 * UNIT);
            set_params(PoolParams {
                lend_fraction: sp_arithmetic::Perbill::from_percent(90),
                ..Default::default()
            });
            deposit(ALICE, 100_000 * UNIT);
            assert_eq!(crate::StableReserve::<Test>::get(), 10_000 * UNIT);
            // ETH at 1 400: both liquidatable, 24 000 USD of debt against 10 000 idle. The
            // idle time recalls the lent stable first, then liquidates both.
            feed_usd(ETH, 1_400);
            idle(Weight::MAX);
            for who in [BORROWER_1, BORROWER_2] {
                assert_eq!(
                    Lending::position(ETH_MARKET, &who).unwrap().borrow_assets,
                    0
                );
            }
            assert!(backstop_events()
                .iter()
                .any(|e| matches!(e, Event::Recalled { .. })));
        });
    }

    #[test]
    fn the_sweep_cap_is_governance_set_and_bounded() {
        ExtBuilder::default().build_and_execute(|| {
            assert_eq!(SweepCap::<Test>::get(), 16);
            assert_noop!(
                Backstop::set_sweep_cap(RuntimeOrigin::signed(ALICE), 8),
                sp_runtime::DispatchError::BadOrigin
            );
            assert_noop!(
                Backstop::set_sweep_cap(RuntimeOrigin::root(), 65),
                Error::<Test>::SweepCapOutOfBounds
            );
            assert_ok!(Backstop::set_sweep_cap(RuntimeOrigin::root(), 64));
            assert_eq!(last_event(), Event::SweepCapSet { old: 16, new: 64 });
        });
    }
}
