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
