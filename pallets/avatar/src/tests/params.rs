//! Governance parameters: bounds, immediate and delayed changes, events.

use super::mock::*;
use crate::{AvatarParams, Error, Event, Mode, Params, Pending};
use frame_support::{assert_noop, assert_ok};
use sp_arithmetic::Perbill;
use sp_runtime::DispatchError;

#[test]
fn parameters_are_bounded() {
    ExtBuilder::default().build_and_execute(|| {
        let root = RuntimeOrigin::root;
        let ok = AvatarParams::default();
        assert_noop!(
            Avatar::set_params(RuntimeOrigin::signed(ALICE), MARKET, ok),
            DispatchError::BadOrigin
        );
        assert_noop!(
            Avatar::set_params(root(), 9, ok),
            Error::<Test>::UnknownMarket
        );
        let cases = [
            (
                AvatarParams {
                    margin: Perbill::from_parts(4_999_999),
                    ..ok
                },
                Error::<Test>::MarginOutOfBounds,
            ),
            (
                AvatarParams {
                    margin: Perbill::from_percent(21),
                    ..ok
                },
                Error::<Test>::MarginOutOfBounds,
            ),
            (
                AvatarParams {
                    topup_band: Perbill::from_parts(9_999_999),
                    ..ok
                },
                Error::<Test>::TopupBandOutOfBounds,
            ),
            (
                AvatarParams {
                    topup_band: Perbill::from_percent(51),
                    ..ok
                },
                Error::<Test>::TopupBandOutOfBounds,
            ),
            (
                AvatarParams {
                    min_topup: Perbill::from_percent(51),
                    ..ok
                },
                Error::<Test>::MinTopupOutOfBounds,
            ),
            (
                AvatarParams {
                    big_position: 0,
                    ..ok
                },
                Error::<Test>::BigPositionOutOfBounds,
            ),
            (
                AvatarParams {
                    priority_window: 0,
                    ..ok
                },
                Error::<Test>::PriorityWindowOutOfBounds,
            ),
            (
                AvatarParams {
                    priority_window: AvatarParams::MAX_PRIORITY_WINDOW + 1,
                    ..ok
                },
                Error::<Test>::PriorityWindowOutOfBounds,
            ),
            (
                AvatarParams { pool_turn: 0, ..ok },
                Error::<Test>::PoolTurnOutOfBounds,
            ),
            (
                AvatarParams {
                    pool_turn: AvatarParams::MAX_PRIORITY_WINDOW + 1,
                    ..ok
                },
                Error::<Test>::PoolTurnOutOfBounds,
            ),
            (
                AvatarParams {
                    user_share: Some(AvatarParams::MAX_USER_SHARE + Perbill::from_parts(1)),
                    ..ok
                },
                Error::<Test>::UserShareOutOfBounds,
            ),
        ];
        for (params, error) in cases {
            assert_noop!(Avatar::set_params(root(), MARKET, params), error);
        }
        // The bounds themselves are accepted.
        let edge = AvatarParams {
            margin: AvatarParams::MAX_MARGIN,
            topup_band: AvatarParams::MAX_TOPUP_BAND,
            min_topup: AvatarParams::MAX_MIN_TOPUP,
            big_position: 1,
            priority_window: AvatarParams::MAX_PRIORITY_WINDOW,
            pool_turn: AvatarParams::MAX_PRIORITY_WINDOW,
            user_share: Some(AvatarParams::MAX_USER_SHARE),
            ..ok
        };
        assert_ok!(Avatar::set_params(root(), MARKET, edge));
    });
}

#[test]
fn changes_for_open_positions_are_announced_and_delayed() {
    ExtBuilder::default().build_and_execute(|| {
        let old = AvatarParams::default();
        // Without a share of its own, a market uses the jar's default (50 % in the mock).
        assert_eq!(Avatar::user_share(MARKET), Perbill::from_percent(50));
        let new = AvatarParams {
            mode: Mode::Margin,
            margin: Perbill::from_percent(4),
            ..old
        };
        assert_ok!(Avatar::set_params(RuntimeOrigin::root(), MARKET, new));
        assert_eq!(
            last_event(),
            Event::ParamsScheduled {
                market: MARKET,
                old,
                params: new,
                activation: 1 + DELAY
            }
        );
        assert_eq!(Avatar::params(MARKET), old);
        run_to_block(DELAY);
        assert_eq!(Avatar::params(MARKET), old);
        run_to_block(1 + DELAY);
        assert_eq!(Avatar::params(MARKET), new);
        // The first call touching the market writes it.
        assert!(Pending::<Test>::get(MARKET).is_some());
        assert_ok!(Avatar::supply(RuntimeOrigin::signed(ALICE), MARKET, UNIT));
        assert!(Pending::<Test>::get(MARKET).is_none());
        assert_eq!(Params::<Test>::get(MARKET), new);
        assert!(avatar_events().contains(&Event::ParamsUpdated {
            market: MARKET,
            old,
            new
        }));
    });
}

#[test]
fn min_topup_and_user_share_apply_at_once() {
    ExtBuilder::default().build_and_execute(|| {
        let old = AvatarParams::default();
        // Without a share of its own, a market uses the jar's default (50 % in the mock).
        assert_eq!(Avatar::user_share(MARKET), Perbill::from_percent(50));
        let new = AvatarParams {
            min_topup: Perbill::from_percent(10),
            user_share: Some(Perbill::from_percent(20)),
            ..old
        };
        assert_ok!(Avatar::set_params(RuntimeOrigin::root(), MARKET, new));
        assert_eq!(Params::<Test>::get(MARKET), new);
        assert_eq!(Avatar::user_share(MARKET), Perbill::from_percent(20));
        assert_eq!(
            last_event(),
            Event::ParamsUpdated {
                market: MARKET,
                old,
                new
            }
        );
        // The margin must stay below the market's lltv (80 %): always true within bounds.
        assert!(AvatarParams::MAX_MARGIN < Perbill::from_percent(80));
    });
}

/// The emergency origin (tighten only) may raise the margin and widen the top-up band, each
/// announced and delayed like any change to open positions, with the old and new values;
/// it may not lower them nor change any other field, each refused with
/// `EmergencyCannotLoosen` and nothing changed.
#[test]
fn emergency_only_tightens_and_its_changes_are_delayed_too() {
    ExtBuilder::default().build_and_execute(|| {
        let emergency = || RuntimeOrigin::signed(EMERGENCY);
        let old = Avatar::params(MARKET);
        let tight = AvatarParams {
            margin: old.margin + Perbill::from_percent(2),
            topup_band: old.topup_band + Perbill::from_percent(5),
            ..old
        };
        assert_ok!(Avatar::set_params(emergency(), MARKET, tight));
        assert_eq!(
            last_event(),
            Event::ParamsScheduled {
                market: MARKET,
                old,
                params: tight,
                activation: 1 + DELAY
            }
        );
        assert_eq!(Avatar::params(MARKET), old, "delayed for the emergency too");
        run_to_block(1 + DELAY);
        assert_eq!(Avatar::params(MARKET), tight);

        let refused: [fn(&mut AvatarParams); 8] = [
            |p| p.margin = p.margin - Perbill::from_parts(1),
            |p| p.topup_band = p.topup_band - Perbill::from_parts(1),
            |p| p.mode = Mode::Margin,
            |p| p.min_topup = p.min_topup + Perbill::from_parts(1),
            |p| p.big_position += 1,
            |p| p.priority_window += 1,
            |p| p.pool_turn -= 1,
            |p| p.user_share = Some(Perbill::from_percent(1)),
        ];
        for change in refused {
            let mut p = tight;
            change(&mut p);
            assert_noop!(
                Avatar::set_params(emergency(), MARKET, p),
                Error::<Test>::EmergencyCannotLoosen
            );
        }
        // Bounds first; governance loosens again.
        assert_noop!(
            Avatar::set_params(
                emergency(),
                MARKET,
                AvatarParams {
                    margin: Perbill::from_percent(21),
                    ..tight
                }
            ),
            Error::<Test>::MarginOutOfBounds
        );
        assert_ok!(Avatar::set_params(RuntimeOrigin::root(), MARKET, old));
        assert_eq!(
            last_event(),
            Event::ParamsScheduled {
                market: MARKET,
                old: tight,
                params: old,
                activation: System::block_number() + DELAY
            }
        );
    });
}
