//! Governance parameters: bounds, origin, events.

use super::mock::*;
use crate::{Error, Event, Params, PoolParams};
use frame_support::{assert_noop, assert_ok};
use sp_arithmetic::Perbill;

#[test]
fn defaults_are_the_spec_defaults() {
    ExtBuilder::default().build_and_execute(|| {
        let p = Params::<Test>::get();
        assert_eq!(
            (
                p.amplification,
                p.fee_bps,
                p.max_discount_bps,
                p.max_price_age,
                p.caller_fee_bps
            ),
            (20, 0, 400, 3_600_000, 0)
        );
        assert_eq!(p.lend_fraction, Perbill::zero());
    });
}

#[test]
fn governance_sets_params_within_bounds() {
    ExtBuilder::default().build_and_execute(|| {
        let new = PoolParams {
            amplification: 200,
            fee_bps: 100,
            max_discount_bps: 1_000,
            max_price_age: 86_400_000,
            caller_fee_bps: 100,
            lend_fraction: Perbill::from_percent(90),
        };
        assert_ok!(Backstop::set_params(RuntimeOrigin::root(), new));
        assert_eq!(Params::<Test>::get(), new);
        assert_eq!(
            last_event(),
            Event::ParamsUpdated {
                old: PoolParams::default(),
                new
            }
        );
        let low = PoolParams {
            amplification: 20,
            max_price_age: 60_000,
            ..new
        };
        assert_ok!(Backstop::set_params(RuntimeOrigin::root(), low));
        assert_eq!(Params::<Test>::get(), low);
    });
}

#[test]
fn out_of_bounds_params_are_refused() {
    ExtBuilder::default().build_and_execute(|| {
        let d = PoolParams::default();
        let cases = [
            (
                PoolParams {
                    amplification: 19,
                    ..d
                },
                Error::<Test>::AmplificationOutOfBounds,
            ),
            (
                PoolParams {
                    amplification: 201,
                    ..d
                },
                Error::<Test>::AmplificationOutOfBounds,
            ),
            (
                PoolParams { fee_bps: 101, ..d },
                Error::<Test>::FeeOutOfBounds,
            ),
            (
                PoolParams {
                    max_discount_bps: 1_001,
                    ..d
                },
                Error::<Test>::MaxDiscountOutOfBounds,
            ),
            (
                PoolParams {
                    max_price_age: 59_999,
                    ..d
                },
                Error::<Test>::PriceAgeOutOfBounds,
            ),
            (
                PoolParams {
                    max_price_age: 86_400_001,
                    ..d
                },
                Error::<Test>::PriceAgeOutOfBounds,
            ),
            (
                PoolParams {
                    caller_fee_bps: 101,
                    ..d
                },
                Error::<Test>::CallerFeeOutOfBounds,
            ),
            (
                PoolParams {
                    lend_fraction: Perbill::from_percent(91),
                    ..d
                },
                Error::<Test>::LendFractionOutOfBounds,
            ),
        ];
        for (params, error) in cases {
            assert_noop!(Backstop::set_params(RuntimeOrigin::root(), params), error);
        }
        assert_noop!(
            Backstop::set_params(RuntimeOrigin::signed(ALICE), d),
            sp_runtime::DispatchError::BadOrigin
        );
    });
}

#[test]
#[should_panic(expected = "backstop genesis parameters out of bounds")]
fn genesis_refuses_out_of_bounds_params() {
    ExtBuilder::default()
        .params(PoolParams {
            amplification: 1,
            ..Default::default()
        })
        .build();
}

mod franchise_and_sharing {
    use super::super::{franchise::bid, franchise::members};
    use crate::tests::mock::*;
    use crate::{
        Epoch, Error, Event, FranchiseParameters, FranchiseParams, SharingParameters, SharingParams,
    };
    use frame_support::{assert_noop, assert_ok};
    use sp_arithmetic::{FixedU128, Perbill};

    #[test]
    fn the_defaults_are_the_spec_defaults() {
        let f = FranchiseParams::default();
        // 7 days, 1 hour and 30 minutes of 6-second blocks; 4 seats.
        assert_eq!(
            (f.epoch_length, f.seats, f.window_length, f.priority_period),
            (100_800, 4, 600, 300)
        );
        assert_eq!(f.validate(4, 24), Ok(()));
        let s = SharingParams::default();
        assert_eq!(s.debt_weight, FixedU128::from_rational(80, 100));
        assert_eq!(s.collateral_weight, FixedU128::from_rational(20, 100));
        assert_eq!(s.validate(), Ok(()));
        ExtBuilder::default()
            .franchise(FranchiseParams::default())
            .sharing(s)
            .build_and_execute(|| {
                assert_eq!(
                    FranchiseParameters::<Test>::get(),
                    FranchiseParams::default()
                );
                assert_eq!(Epoch::<Test>::get().unwrap().end, 100_800);
            });
    }

    #[test]
    fn franchise_params_are_bounded_and_apply_from_the_next_epoch() {
        ExtBuilder::default().build_and_execute(|| {
            let d = test_franchise();
            let cases = [
                (
                    FranchiseParams {
                        epoch_length: 9,
                        ..d
                    },
                    Error::<Test>::EpochLengthOutOfBounds,
                ),
                (
                    FranchiseParams {
                        epoch_length: 5_256_001,
                        ..d
                    },
                    Error::<Test>::EpochLengthOutOfBounds,
                ),
                (
                    FranchiseParams { seats: 0, ..d },
                    Error::<Test>::SeatsOutOfBounds,
                ),
                (
                    FranchiseParams {
                        seats: MAX_SEATS + 1,
                        ..d
                    },
                    Error::<Test>::SeatsOutOfBounds,
                ),
                (
                    FranchiseParams {
                        ending_period: 0,
                        ..d
                    },
                    Error::<Test>::EndingPeriodOutOfBounds,
                ),
                (
                    FranchiseParams {
                        ending_period: 51,
                        ..d
                    },
                    Error::<Test>::EndingPeriodOutOfBounds,
                ),
                (
                    FranchiseParams {
                        candle_samples: 0,
                        ..d
                    },
                    Error::<Test>::CandleSamplesOutOfBounds,
                ),
                (
                    FranchiseParams {
                        candle_samples: 21,
                        ..d
                    },
                    Error::<Test>::CandleSamplesOutOfBounds,
                ),
                (
                    FranchiseParams {
                        epoch_length: 1_000,
                        ending_period: 100,
                        candle_samples: MAX_CANDLE_SAMPLES + 1,
                        ..d
                    },
                    Error::<Test>::CandleSamplesOutOfBounds,
                ),
                (
                    FranchiseParams {
                        window_length: 0,
                        ..d
                    },
                    Error::<Test>::WindowLengthOutOfBounds,
                ),
                (
                    FranchiseParams {
                        window_length: 101,
                        ..d
                    },
                    Error::<Test>::WindowLengthOutOfBounds,
                ),
                (
                    FranchiseParams {
                        priority_period: 11,
                        ..d
                    },
                    Error::<Test>::PriorityPeriodOutOfBounds,
                ),
                (
                    FranchiseParams { min_bid: 0, ..d },
                    Error::<Test>::MinBidOutOfBounds,
                ),
                (
                    FranchiseParams {
                        min_commitment: 0,
                        ..d
                    },
                    Error::<Test>::MinCommitmentOutOfBounds,
                ),
            ];
            for (params, error) in cases {
                assert_noop!(
                    Backstop::set_franchise_params(RuntimeOrigin::root(), params),
                    error
                );
            }
            assert_noop!(
                Backstop::set_franchise_params(RuntimeOrigin::signed(ALICE), d),
                sp_runtime::DispatchError::BadOrigin
            );
            let new = FranchiseParams {
                seats: 2,
                epoch_length: 50,
                ..d
            };
            assert_ok!(Backstop::set_franchise_params(RuntimeOrigin::root(), new));
            assert_eq!(last_event(), Event::FranchiseParamsUpdated { old: d, new });
            // The running auction still sells three seats and ends at block 100.
            bid(ALICE, 30, 10);
            bid(BOB, 20, 10);
            bid(CHARLIE, 10, 10);
            run_to_block(100);
            assert_eq!(members(), vec![ALICE, BOB, CHARLIE]);
            // Epoch 1 is 50 blocks and its auction sells two seats.
            let epoch = Epoch::<Test>::get().unwrap();
            assert_eq!((epoch.start, epoch.end, epoch.params.seats), (100, 150, 2));
            bid(DAVE, 30, 10);
            bid(EVE, 20, 10);
            assert_noop!(
                Backstop::bid(RuntimeOrigin::signed(KEEPER), 10 * UNIT, 10 * UNIT),
                Error::<Test>::BidBelowWinning
            );
            run_to_block(150);
            assert_eq!(members(), vec![DAVE, EVE]);
        });
    }

    #[test]
    fn sharing_params_are_bounded() {
        ExtBuilder::default().build_and_execute(|| {
            let d = SharingParams::default();
            let cases = [
                (
                    SharingParams {
                        user_share: Perbill::from_percent(51),
                        ..d
                    },
                    Error::<Test>::UserShareOutOfBounds,
                ),
                (
                    SharingParams {
                        debt_weight: FixedU128::from_u32(1_000_001),
                        ..d
                    },
                    Error::<Test>::WeightOutOfBounds,
                ),
                (
                    SharingParams {
                        collateral_weight: FixedU128::from_u32(1_000_001),
                        ..d
                    },
                    Error::<Test>::WeightOutOfBounds,
                ),
                (
                    SharingParams {
                        supply_weight: FixedU128::from_u32(1_000_001),
                        ..d
                    },
                    Error::<Test>::WeightOutOfBounds,
                ),
            ];
            for (params, error) in cases {
                assert_noop!(
                    Backstop::set_sharing_params(RuntimeOrigin::root(), params),
                    error
                );
            }
            assert_noop!(
                Backstop::set_sharing_params(RuntimeOrigin::signed(ALICE), d),
                sp_runtime::DispatchError::BadOrigin
            );
            let new = SharingParams {
                user_share: Perbill::from_percent(50),
                fee_share: Perbill::from_percent(100),
                debt_weight: FixedU128::from_u32(1_000_000),
                collateral_weight: FixedU128::from_u32(0),
                supply_weight: FixedU128::from_u32(1),
            };
            assert_ok!(Backstop::set_sharing_params(RuntimeOrigin::root(), new));
            assert_eq!(SharingParameters::<Test>::get(), new);
            assert_eq!(last_event(), Event::SharingParamsUpdated { old: d, new });
            // New default weights apply to pairs scored for the first time.
            super::super::score::set_balance(
                ALICE,
                ETH_MARKET,
                backstop_primitives::Side::Supply,
                5,
            );
            assert_eq!(crate::TotalWeighted::<Test>::get(), 5);
        });
    }
}
