//! The emergency origin (tighten only): it may lower the sweep cap, the discount, the price
//! age and the lend fraction, and raise the members' minimum commitment, each change an event
//! with the old and new values; it may not loosen any of them, nor change a parameter that
//! has no safer direction (sharing, score weights, the curve, fees, the franchise's shape),
//! each refused with `EmergencyCannotLoosen` and nothing changed. The governance origin
//! still sets anything within the bounds.

use super::mock::*;
use crate::{
    Error, Event, FranchiseParameters, Params, PoolParams, SharingParameters, SharingParams,
    SweepCap,
};
use backstop_primitives::Side;
use frame_support::{assert_noop, assert_ok};
use sp_arithmetic::{FixedU128, Perbill};

fn emergency() -> RuntimeOrigin {
    RuntimeOrigin::signed(EMERGENCY)
}

#[test]
fn emergency_lowers_the_sweep_cap_and_cannot_raise_it() {
    ExtBuilder::default().build_and_execute(|| {
        assert_eq!(SweepCap::<Test>::get(), 16);
        assert_ok!(Backstop::set_sweep_cap(emergency(), 4));
        assert_eq!(last_event(), Event::SweepCapSet { old: 16, new: 4 });
        assert_ok!(Backstop::set_sweep_cap(emergency(), 0));
        assert_eq!(last_event(), Event::SweepCapSet { old: 4, new: 0 });
        // Unchanged is allowed; up is not.
        assert_ok!(Backstop::set_sweep_cap(emergency(), 0));
        assert_noop!(
            Backstop::set_sweep_cap(emergency(), 1),
            Error::<Test>::EmergencyCannotLoosen
        );
        // Bounds come first, for the emergency origin too.
        assert_noop!(
            Backstop::set_sweep_cap(emergency(), 65),
            Error::<Test>::SweepCapOutOfBounds
        );
        // Governance turns it back on.
        assert_ok!(Backstop::set_sweep_cap(RuntimeOrigin::root(), 16));
        assert_eq!(SweepCap::<Test>::get(), 16);
    });
}

#[test]
fn emergency_tightens_pool_params_in_their_safer_direction_only() {
    let start = PoolParams {
        lend_fraction: Perbill::from_percent(50),
        ..PoolParams::default()
    };
    ExtBuilder::default().params(start).build_and_execute(|| {
        // Lower discount, shorter price age, less lent: all at once.
        let tight = PoolParams {
            max_discount_bps: 200,
            max_price_age: 600_000,
            lend_fraction: Perbill::from_percent(10),
            ..start
        };
        assert_ok!(Backstop::set_params(emergency(), tight));
        assert_eq!(Params::<Test>::get(), tight);
        assert_eq!(
            last_event(),
            Event::ParamsUpdated {
                old: start,
                new: tight
            }
        );
        // Each loosening, and each change of a field with no safer direction, is refused.
        let refused: [fn(&mut PoolParams); 6] = [
            |p| p.max_discount_bps = 201,
            |p| p.max_price_age = 600_001,
            |p| p.lend_fraction = Perbill::from_percent(11),
            |p| p.amplification = 21,
            |p| p.fee_bps = 1,
            |p| p.caller_fee_bps = 1,
        ];
        for change in refused {
            let mut p = tight;
            change(&mut p);
            assert_noop!(
                Backstop::set_params(emergency(), p),
                Error::<Test>::EmergencyCannotLoosen
            );
        }
        // One field tighter does not buy another looser.
        assert_noop!(
            Backstop::set_params(
                emergency(),
                PoolParams {
                    max_discount_bps: 100,
                    lend_fraction: Perbill::from_percent(20),
                    ..tight
                }
            ),
            Error::<Test>::EmergencyCannotLoosen
        );
        // Out of bounds is out of bounds first.
        assert_noop!(
            Backstop::set_params(
                emergency(),
                PoolParams {
                    max_price_age: 1,
                    ..tight
                }
            ),
            Error::<Test>::PriceAgeOutOfBounds
        );
        // Governance loosens again.
        assert_ok!(Backstop::set_params(RuntimeOrigin::root(), start));
        assert_eq!(Params::<Test>::get(), start);
    });
}

#[test]
fn emergency_raises_the_minimum_commitment_and_changes_nothing_else_of_the_franchise() {
    ExtBuilder::default().build_and_execute(|| {
        let old = FranchiseParameters::<Test>::get();
        let new = crate::FranchiseParams {
            min_commitment: old.min_commitment * 10,
            ..old
        };
        assert_ok!(Backstop::set_franchise_params(emergency(), new));
        assert_eq!(last_event(), Event::FranchiseParamsUpdated { old, new });
        let refused: [fn(&mut crate::FranchiseParams); 8] = [
            |p| p.min_commitment -= 1,
            |p| p.min_bid += 1,
            |p| p.seats -= 1,
            |p| p.epoch_length += 1,
            |p| p.ending_period -= 1,
            |p| p.candle_samples -= 1,
            |p| p.window_length -= 1,
            |p| p.priority_period -= 1,
        ];
        for change in refused {
            let mut p = new;
            change(&mut p);
            assert_noop!(
                Backstop::set_franchise_params(emergency(), p),
                Error::<Test>::EmergencyCannotLoosen
            );
        }
    });
}

#[test]
fn emergency_cannot_move_the_proceeds() {
    ExtBuilder::default().build_and_execute(|| {
        let old = SharingParameters::<Test>::get();
        let changes: [fn(&mut SharingParams); 5] = [
            |p| p.user_share = Perbill::from_percent(1),
            |p| p.fee_share = Perbill::from_percent(1),
            |p| p.debt_weight = FixedU128::from_u32(1),
            |p| p.collateral_weight = FixedU128::from_u32(1),
            |p| p.supply_weight = FixedU128::from_u32(1),
        ];
        for change in changes {
            let mut p = old;
            change(&mut p);
            assert_noop!(
                Backstop::set_sharing_params(emergency(), p),
                Error::<Test>::EmergencyCannotLoosen
            );
        }
        let weight = old.default_weight(Side::Debt);
        assert_noop!(
            Backstop::set_score_weight(
                emergency(),
                ETH_MARKET,
                Side::Debt,
                weight + FixedU128::from_u32(1)
            ),
            Error::<Test>::EmergencyCannotLoosen
        );
        assert_noop!(
            Backstop::set_score_weight(
                emergency(),
                ETH_MARKET,
                Side::Debt,
                FixedU128::from_inner(0)
            ),
            Error::<Test>::EmergencyCannotLoosen
        );
        // Setting what is in force changes nothing and is allowed (an event says so).
        assert_ok!(Backstop::set_sharing_params(emergency(), old));
        assert_eq!(last_event(), Event::SharingParamsUpdated { old, new: old });
        assert_ok!(Backstop::set_score_weight(
            emergency(),
            ETH_MARKET,
            Side::Debt,
            weight
        ));
        // Other signed accounts are not the emergency origin.
        assert_noop!(
            Backstop::set_sweep_cap(RuntimeOrigin::signed(ALICE), 0),
            sp_runtime::DispatchError::BadOrigin
        );
    });
}
