//! Governance on the `development` preset: a parameter changes only through a referendum on
//! the `backstop_params` track and only after its enactment delay; signed accounts and the
//! `backstop_emergency` track are refused; the emergency track pauses swaps at once and
//! cannot unpause them; withdrawals and repayments work while everything pausable is paused.
//! Also: the pause whitelist names real calls, and the `production` preset has no `sudo` and
//! the production track periods.

mod common;

use backstop_primitives::LendingMarket;
use backstop_runtime::{
    configs::governance::{
        is_pausable,
        origins::Origin,
        tracks::{
            DEVELOPMENT_TRACKS, EMERGENCY_TRACK, PARAMS_TRACK, PRODUCTION_TRACKS, ROOT_TRACK,
        },
        NEVER_PAUSABLE_CALLS, PAUSABLE_PALLETS,
    },
    genesis_config_presets::{self, whole, ETH, ETH_USD_MARKET, PRODUCTION_RUNTIME_PRESET, USD},
    Assets, Avatar, Backstop, Lending, OriginCaller, Runtime, RuntimeCall, RuntimeEvent,
    RuntimeOrigin, System, UNIT,
};
use codec::Encode;
use common::{account, dev_ext, feed_eth, preset_ext, run_block, usd, BLOCK_MS, T0};
use frame_support::{
    assert_noop, assert_ok,
    traits::{schedule::DispatchTime, Bounded, GetCallMetadata},
};
use pallet_conviction_voting::{AccountVote, Conviction, Vote};
use pallet_referenda::{ReferendumIndex, ReferendumInfo, TracksInfo};
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave, Eve, Ferdie};
use sp_runtime::{
    traits::{BlakeTwo256, Dispatchable, Hash},
    BoundedVec, DispatchError, Perbill,
};

type Tracks = <Runtime as pallet_referenda::Config>::Tracks;

fn eth(n: u128) -> u128 {
    n * whole(18)
}

/// Runs the next block (hooks and timestamp, as block production would).
fn next_block() -> u32 {
    let n = System::block_number() + 1;
    run_block(n, T0 + u64::from(n) * BLOCK_MS);
    n
}

fn signed(who: Sr25519Keyring) -> RuntimeOrigin {
    RuntimeOrigin::signed(account(who))
}

/// The origin a referendum of `track` dispatches with.
fn track_origin(track: Origin) -> RuntimeOrigin {
    RuntimeOrigin::from(OriginCaller::Origins(track))
}

/// Dispatches `call` as a transaction would: through the runtime's call filter.
fn dispatch(call: RuntimeCall, origin: RuntimeOrigin) -> Result<(), DispatchError> {
    call.dispatch(origin).map(|_| ()).map_err(|e| e.error)
}

fn call_filtered() -> DispatchError {
    frame_system::Error::<Runtime>::CallFiltered.into()
}

fn pause_call(pallet: &str, call: &str) -> RuntimeCall {
    RuntimeCall::TxPause(pallet_tx_pause::Call::pause {
        full_name: call_name(pallet, call),
    })
}

fn unpause_call(pallet: &str, call: &str) -> RuntimeCall {
    RuntimeCall::TxPause(pallet_tx_pause::Call::unpause {
        ident: call_name(pallet, call),
    })
}

fn call_name(pallet: &str, call: &str) -> pallet_tx_pause::RuntimeCallNameOf<Runtime> {
    (
        BoundedVec::truncate_from(pallet.as_bytes().to_vec()),
        BoundedVec::truncate_from(call.as_bytes().to_vec()),
    )
}

fn swap_call(stable_in: u128) -> RuntimeCall {
    RuntimeCall::Backstop(pallet_backstop::Call::swap {
        asset: ETH,
        stable_in,
        min_out: 0,
    })
}

/// New sharing parameters, different from the genesis ones in every field.
fn new_sharing() -> pallet_backstop::SharingParams {
    let old = pallet_backstop::SharingParameters::<Runtime>::get();
    let new = pallet_backstop::SharingParams {
        user_share: Perbill::from_percent(20),
        fee_share: Perbill::from_percent(30),
        debt_weight: sp_runtime::FixedU128::from_rational(6, 10),
        collateral_weight: sp_runtime::FixedU128::from_rational(3, 10),
        supply_weight: sp_runtime::FixedU128::from_rational(1, 10),
    };
    assert_ne!(old, new);
    new
}

fn set_sharing_call(params: pallet_backstop::SharingParams) -> RuntimeCall {
    RuntimeCall::Backstop(pallet_backstop::Call::set_sharing_params { params })
}

/// A referendum as a dev-chain user runs it: Alice notes the call's preimage, submits it on
/// `track`, places the decision deposit; Bob and Charlie vote aye with 300 000 BKS each.
fn submit_referendum(track: Origin, call: RuntimeCall) -> ReferendumIndex {
    let encoded = call.encode();
    let hash = BlakeTwo256::hash(&encoded);
    // A call proposed before is noted already.
    match pallet_preimage::Pallet::<Runtime>::note_preimage(signed(Alice), encoded.clone()) {
        Ok(_) => {}
        Err(e) => assert_eq!(
            e.error,
            pallet_preimage::Error::<Runtime>::AlreadyNoted.into()
        ),
    }
    let index = pallet_referenda::ReferendumCount::<Runtime>::get();
    assert_ok!(pallet_referenda::Pallet::<Runtime>::submit(
        signed(Alice),
        Box::new(OriginCaller::Origins(track)),
        Bounded::Lookup {
            hash,
            len: encoded.len() as u32,
        },
        DispatchTime::After(0),
    ));
    assert_ok!(pallet_referenda::Pallet::<Runtime>::place_decision_deposit(
        signed(Alice),
        index
    ));
    for voter in [Bob, Charlie] {
        assert_ok!(pallet_conviction_voting::Pallet::<Runtime>::vote(
            signed(voter),
            index,
            AccountVote::Standard {
                vote: Vote {
                    aye: true,
                    conviction: Conviction::Locked1x,
                },
                balance: 300_000 * UNIT,
            },
        ));
    }
    index
}

/// Runs blocks until referendum `index` is approved; returns the block it was approved in.
fn run_until_approved(index: ReferendumIndex) -> u32 {
    for _ in 0..60 {
        let n = next_block();
        if let Some(ReferendumInfo::Approved(..)) =
            pallet_referenda::ReferendumInfoFor::<Runtime>::get(index)
        {
            return n;
        }
    }
    panic!("referendum {index} was not approved within 60 blocks");
}

/// The results of the referenda enacted so far: the scheduler's named tasks (the referenda's
/// own alarms are anonymous).
fn enacted_results() -> Vec<Result<(), DispatchError>> {
    System::events()
        .into_iter()
        .filter_map(|record| match record.event {
            RuntimeEvent::Scheduler(pallet_scheduler::Event::Dispatched {
                id: Some(_),
                result,
                ..
            }) => Some(result),
            _ => None,
        })
        .collect()
}

/// The development chain uses the short tracks.
fn dev_track(id: u16) -> pallet_referenda::TrackInfo<u128, u32> {
    Tracks::info(id).expect("track exists").into_owned()
}

#[test]
fn development_preset_uses_the_short_tracks_and_sudo() {
    dev_ext().execute_with(|| {
        let tracks: Vec<_> = Tracks::tracks().map(|t| t.into_owned()).collect();
        assert_eq!(tracks, DEVELOPMENT_TRACKS.to_vec());
        assert_eq!(
            pallet_sudo::Key::<Runtime>::get(),
            Some(account(Alice)),
            "the dev chain keeps sudo as a convenience"
        );
        // Each origin has its own track, root too; signed and none have none.
        let track_for = |o: OriginCaller| Tracks::track_for(&o);
        assert_eq!(
            track_for(OriginCaller::Origins(Origin::BackstopParams)),
            Ok(PARAMS_TRACK)
        );
        assert_eq!(
            track_for(OriginCaller::Origins(Origin::BackstopEmergency)),
            Ok(EMERGENCY_TRACK)
        );
        assert_eq!(
            track_for(OriginCaller::system(frame_system::RawOrigin::Root)),
            Ok(ROOT_TRACK)
        );
        assert_eq!(
            track_for(OriginCaller::system(frame_system::RawOrigin::Signed(
                account(Alice)
            ))),
            Err(())
        );
    });
}

#[test]
fn a_params_referendum_changes_the_sharing_parameters_only_after_the_enactment_delay() {
    dev_ext().execute_with(|| {
        run_block(1, T0);
        let old = pallet_backstop::SharingParameters::<Runtime>::get();
        let new = new_sharing();
        let index = submit_referendum(Origin::BackstopParams, set_sharing_call(new));

        let approved_at = run_until_approved(index);
        let delay = dev_track(PARAMS_TRACK).min_enactment_period;
        assert!(delay >= 2, "the params track has an enactment delay");
        assert_eq!(pallet_backstop::SharingParameters::<Runtime>::get(), old);
        // Approved, but nothing changes until the delay has run.
        while System::block_number() < approved_at + delay - 1 {
            next_block();
            assert_eq!(
                pallet_backstop::SharingParameters::<Runtime>::get(),
                old,
                "changed before the enactment delay ran (block {})",
                System::block_number()
            );
        }
        assert!(enacted_results().is_empty());

        next_block();
        assert_eq!(System::block_number(), approved_at + delay);
        assert_eq!(pallet_backstop::SharingParameters::<Runtime>::get(), new);
        assert_eq!(enacted_results(), vec![Ok(())]);
        // The change says what it was and what it is.
        System::assert_has_event(RuntimeEvent::Backstop(
            pallet_backstop::Event::SharingParamsUpdated { old, new },
        ));
    });
}

#[test]
fn a_parameter_change_from_a_signed_account_or_the_emergency_track_is_refused() {
    dev_ext().execute_with(|| {
        run_block(1, T0);
        let old = pallet_backstop::SharingParameters::<Runtime>::get();
        let new = new_sharing();

        // Every Backstop setter refuses a signed account (bad origin) and, for a change
        // that loosens a bound or moves funds, the emergency origin (the pallet's own
        // `EmergencyCannotLoosen`), changing nothing.
        let backstop_refusal: DispatchError =
            pallet_backstop::Error::<Runtime>::EmergencyCannotLoosen.into();
        let pool = pallet_backstop::Params::<Runtime>::get();
        let franchise = pallet_backstop::FranchiseParameters::<Runtime>::get();
        let avatar = Avatar::params(ETH_USD_MARKET);
        let setters = [
            (set_sharing_call(new), backstop_refusal),
            (
                RuntimeCall::Backstop(pallet_backstop::Call::set_params {
                    params: pallet_backstop::PoolParams {
                        max_discount_bps: pool.max_discount_bps + 1,
                        ..pool
                    },
                }),
                backstop_refusal,
            ),
            (
                RuntimeCall::Backstop(pallet_backstop::Call::set_franchise_params {
                    params: pallet_backstop::FranchiseParams {
                        min_bid: franchise.min_bid + 1,
                        ..franchise
                    },
                }),
                backstop_refusal,
            ),
            (
                RuntimeCall::Backstop(pallet_backstop::Call::set_sweep_cap {
                    cap: pallet_backstop::SweepCap::<Runtime>::get() + 1,
                }),
                backstop_refusal,
            ),
            (
                RuntimeCall::Backstop(pallet_backstop::Call::set_score_weight {
                    market: ETH_USD_MARKET,
                    side: backstop_primitives::Side::Debt,
                    weight: sp_runtime::FixedU128::from_u32(1),
                }),
                backstop_refusal,
            ),
            (
                RuntimeCall::Lending(pallet_lending::Call::create_market {
                    loan_asset: USD,
                    collateral_asset: ETH,
                    lltv: Perbill::from_percent(50),
                    irm: genesis_config_presets::dev_rate_model(),
                }),
                pallet_lending::Error::<Runtime>::EmergencyCannotLoosen.into(),
            ),
            (
                RuntimeCall::Avatar(pallet_avatar::Call::set_params {
                    market: ETH_USD_MARKET,
                    params: pallet_avatar::AvatarParams {
                        margin: avatar.margin - Perbill::from_parts(1),
                        ..avatar
                    },
                }),
                pallet_avatar::Error::<Runtime>::EmergencyCannotLoosen.into(),
            ),
        ];
        for (call, emergency_refusal) in setters {
            assert_eq!(
                dispatch(call.clone(), signed(Alice)),
                Err(DispatchError::BadOrigin),
                "{call:?}"
            );
            let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
            assert_eq!(
                dispatch(call.clone(), track_origin(Origin::BackstopEmergency)),
                Err(emergency_refusal),
                "{call:?}"
            );
            assert_eq!(
                sp_io::storage::root(sp_runtime::StateVersion::V1),
                root,
                "{call:?} changed nothing"
            );
        }
        // The params track's origin is the one they accept.
        assert_ok!(dispatch(
            set_sharing_call(new),
            track_origin(Origin::BackstopParams)
        ));
        assert_ok!(dispatch(
            set_sharing_call(old),
            track_origin(Origin::BackstopParams)
        ));

        // A referendum on the emergency track passes, but its enactment is refused.
        let index = submit_referendum(Origin::BackstopEmergency, set_sharing_call(new));
        run_until_approved(index);
        for _ in 0..dev_track(EMERGENCY_TRACK).min_enactment_period {
            next_block();
        }
        assert_eq!(enacted_results(), vec![Err(backstop_refusal)]);
        assert_eq!(pallet_backstop::SharingParameters::<Runtime>::get(), old);
    });
}

/// The emergency track tightens at once, in the pallets' safer direction only: a referendum
/// lowering the sweep cap and the pool's lend fraction is enacted the block after its
/// approval (old and new in the events); one raising the cap again is refused on enactment.
#[test]
fn the_emergency_track_tightens_parameters_at_once_and_cannot_loosen_them() {
    dev_ext().execute_with(|| {
        run_block(1, T0);
        let old_cap = pallet_backstop::SweepCap::<Runtime>::get();
        assert!(old_cap > 2);
        let index = submit_referendum(
            Origin::BackstopEmergency,
            RuntimeCall::Backstop(pallet_backstop::Call::set_sweep_cap { cap: 2 }),
        );
        let approved_at = run_until_approved(index);
        assert_eq!(dev_track(EMERGENCY_TRACK).min_enactment_period, 1);
        next_block();
        assert_eq!(System::block_number(), approved_at + 1);
        assert_eq!(enacted_results(), vec![Ok(())]);
        assert_eq!(pallet_backstop::SweepCap::<Runtime>::get(), 2);
        System::assert_has_event(RuntimeEvent::Backstop(
            pallet_backstop::Event::SweepCapSet {
                old: old_cap,
                new: 2,
            },
        ));

        // Raising it back needs the params track: the emergency track's enactment fails.
        System::reset_events();
        let index = submit_referendum(
            Origin::BackstopEmergency,
            RuntimeCall::Backstop(pallet_backstop::Call::set_sweep_cap { cap: old_cap }),
        );
        run_until_approved(index);
        next_block();
        assert_eq!(
            enacted_results(),
            vec![Err(
                pallet_backstop::Error::<Runtime>::EmergencyCannotLoosen.into()
            )]
        );
        assert_eq!(pallet_backstop::SweepCap::<Runtime>::get(), 2);
    });
}

/// Bob lends, Charlie borrows against ETH, Dave backs the pool; ETH falls to 2500 and Eve
/// has the pool liquidate 4 ETH of Charlie's position, so the pool holds ETH to sell.
fn pool_holds_eth() {
    assert_ok!(Lending::supply(signed(Bob), ETH_USD_MARKET, usd(100_000)));
    assert_ok!(Lending::supply_collateral(
        signed(Charlie),
        ETH_USD_MARKET,
        eth(10)
    ));
    assert_ok!(Lending::borrow(
        signed(Charlie),
        ETH_USD_MARKET,
        usd(20_000)
    ));
    assert_ok!(Backstop::deposit(signed(Dave), usd(50_000)));
    feed_eth(2_500);
    assert_ok!(Backstop::liquidate(
        signed(Eve),
        ETH_USD_MARKET,
        account(Charlie),
        eth(4)
    ));
    assert_eq!(Assets::balance(ETH, Backstop::account_id()), eth(4));
}

#[test]
fn the_emergency_track_pauses_swaps_at_once_and_cannot_unpause_them() {
    dev_ext().execute_with(|| {
        run_block(1, T0);
        pool_holds_eth();
        assert_ok!(dispatch(swap_call(usd(1_000)), signed(Ferdie)));

        // The emergency referendum: approved, then enacted in the next block.
        let submitted_at = System::block_number();
        let index = submit_referendum(Origin::BackstopEmergency, pause_call("Backstop", "swap"));
        let approved_at = run_until_approved(index);
        next_block();
        assert_eq!(enacted_results(), vec![Ok(())]);
        let params = dev_track(PARAMS_TRACK);
        let emergency = dev_track(EMERGENCY_TRACK);
        assert!(emergency.min_enactment_period < params.min_enactment_period);
        assert!(
            System::block_number() - submitted_at
                <= emergency.prepare_period + emergency.confirm_period + 2,
            "paused {} blocks after submission",
            System::block_number() - submitted_at
        );
        assert!(approved_at + 1 == System::block_number());
        feed_eth(2_500);
        assert_eq!(
            dispatch(swap_call(usd(1_000)), signed(Ferdie)),
            Err(call_filtered())
        );
        assert!(pallet_tx_pause::PausedCalls::<Runtime>::contains_key(
            call_name("Backstop", "swap")
        ));

        // The emergency origin cannot unpause, directly or by referendum.
        assert_eq!(
            dispatch(
                unpause_call("Backstop", "swap"),
                track_origin(Origin::BackstopEmergency)
            ),
            Err(DispatchError::BadOrigin)
        );
        let index = submit_referendum(Origin::BackstopEmergency, unpause_call("Backstop", "swap"));
        run_until_approved(index);
        next_block();
        assert_eq!(
            enacted_results(),
            vec![Ok(()), Err(DispatchError::BadOrigin)]
        );
        feed_eth(2_500);
        assert_eq!(
            dispatch(swap_call(usd(1_000)), signed(Ferdie)),
            Err(call_filtered())
        );
        // Nor pause what is never pausable.
        assert_noop!(
            pallet_tx_pause::Pallet::<Runtime>::pause(
                track_origin(Origin::BackstopEmergency),
                call_name("Backstop", "withdraw")
            ),
            pallet_tx_pause::Error::<Runtime>::Unpausable
        );

        // The params track unpauses, after its enactment delay.
        let index = submit_referendum(Origin::BackstopParams, unpause_call("Backstop", "swap"));
        let approved_at = run_until_approved(index);
        while System::block_number() < approved_at + params.min_enactment_period {
            feed_eth(2_500);
            assert_eq!(
                dispatch(swap_call(usd(1_000)), signed(Ferdie)),
                Err(call_filtered())
            );
            next_block();
        }
        assert_eq!(enacted_results().last(), Some(&Ok(())));
        feed_eth(2_500);
        assert_ok!(dispatch(swap_call(usd(1_000)), signed(Ferdie)));
    });
}

#[test]
fn withdrawals_and_repayments_work_while_everything_pausable_is_paused() {
    dev_ext().execute_with(|| {
        run_block(1, T0);
        pool_holds_eth();
        // Eve borrows through her avatar.
        assert_ok!(Avatar::supply_collateral(
            signed(Eve),
            ETH_USD_MARKET,
            eth(1)
        ));
        assert_ok!(Avatar::borrow(signed(Eve), ETH_USD_MARKET, usd(1_000)));
        next_block();
        feed_eth(2_500);

        // The emergency origin pauses every call it may pause.
        let emergency = track_origin(Origin::BackstopEmergency);
        let mut paused = 0;
        for pallet in PAUSABLE_PALLETS {
            for call in RuntimeCall::get_call_names(pallet) {
                if is_pausable(pallet.as_bytes(), call.as_bytes()) {
                    assert_ok!(dispatch(pause_call(pallet, call), emergency.clone()));
                    paused += 1;
                } else {
                    assert_noop!(
                        pallet_tx_pause::Pallet::<Runtime>::pause(
                            emergency.clone(),
                            call_name(pallet, call)
                        ),
                        pallet_tx_pause::Error::<Runtime>::Unpausable
                    );
                }
            }
        }
        assert!(paused >= 10, "only {paused} calls paused");

        // Nothing new: no supply, borrow, deposit, swap or bid.
        let refused = [
            (
                RuntimeCall::Lending(pallet_lending::Call::supply {
                    market: ETH_USD_MARKET,
                    assets: usd(1),
                }),
                Bob,
            ),
            (
                RuntimeCall::Lending(pallet_lending::Call::borrow {
                    market: ETH_USD_MARKET,
                    assets: usd(1),
                }),
                Charlie,
            ),
            (
                RuntimeCall::Backstop(pallet_backstop::Call::deposit { amount: usd(1) }),
                Dave,
            ),
            (swap_call(usd(1_000)), Ferdie),
            (
                RuntimeCall::Backstop(pallet_backstop::Call::bid {
                    amount: usd(10),
                    commitment: usd(1_000),
                }),
                Ferdie,
            ),
            (
                RuntimeCall::Avatar(pallet_avatar::Call::borrow {
                    market: ETH_USD_MARKET,
                    assets: usd(1),
                }),
                Eve,
            ),
        ];
        for (call, who) in refused {
            assert_eq!(
                dispatch(call.clone(), signed(who)),
                Err(call_filtered()),
                "{call:?}"
            );
        }

        // Every way out still works, as ordinary transactions.
        let charlie_debt =
            <Lending as LendingMarket<_>>::position(ETH_USD_MARKET, &account(Charlie))
                .expect("Charlie has a position")
                .borrow_assets;
        assert!(charlie_debt > 0);
        let ways_out = [
            // Charlie repays all he owes and takes his collateral back.
            (
                RuntimeCall::Lending(pallet_lending::Call::repay {
                    market: ETH_USD_MARKET,
                    on_behalf_of: account(Charlie),
                    assets: charlie_debt,
                }),
                Charlie,
            ),
            (
                RuntimeCall::Lending(pallet_lending::Call::withdraw_collateral {
                    market: ETH_USD_MARKET,
                    amount: eth(5),
                }),
                Charlie,
            ),
            // Dave leaves the pool.
            (
                RuntimeCall::Backstop(pallet_backstop::Call::withdraw {
                    shares: Backstop::shares_of(&account(Dave)),
                }),
                Dave,
            ),
            // Eve settles her avatar and closes it.
            (
                RuntimeCall::Avatar(pallet_avatar::Call::repay_all {
                    market: ETH_USD_MARKET,
                }),
                Eve,
            ),
            (RuntimeCall::Avatar(pallet_avatar::Call::leave {}), Eve),
            // Bob withdraws what he lent (the market has it back from the repayments).
            (
                RuntimeCall::Lending(pallet_lending::Call::withdraw {
                    market: ETH_USD_MARKET,
                    assets: usd(50_000),
                }),
                Bob,
            ),
        ];
        for (call, who) in ways_out {
            assert_ok!(dispatch(call, signed(who)));
        }
        assert_eq!(Backstop::shares_of(&account(Dave)), 0);
        assert_eq!(
            Assets::balance(ETH, Avatar::avatar_account(account(Eve))),
            0
        );
    });
}

#[test]
fn the_pause_whitelist_names_real_calls_and_keeps_the_ways_out() {
    let pallets = RuntimeCall::get_module_names();
    for pallet in PAUSABLE_PALLETS {
        assert!(pallets.contains(&pallet), "no pallet {pallet}");
    }
    for (pallet, call) in NEVER_PAUSABLE_CALLS {
        assert!(
            RuntimeCall::get_call_names(pallet).contains(&call),
            "{pallet} has no call {call}"
        );
        assert!(!is_pausable(pallet.as_bytes(), call.as_bytes()));
    }
    // Exactly these calls can be paused: what opens or grows risk, and liquidations. A new
    // call of the Backstop pallets fails here until it is put on one side or the other.
    let mut pausable: Vec<(&str, &str)> = PAUSABLE_PALLETS
        .iter()
        .flat_map(|pallet| {
            RuntimeCall::get_call_names(pallet)
                .iter()
                .filter(|call| is_pausable(pallet.as_bytes(), call.as_bytes()))
                .map(|call| (*pallet, *call))
        })
        .collect();
    pausable.sort();
    let mut expected = vec![
        ("Lending", "supply"),
        ("Lending", "supply_collateral"),
        ("Lending", "borrow"),
        ("Lending", "liquidate"),
        ("Backstop", "deposit"),
        ("Backstop", "swap"),
        ("Backstop", "bid"),
        ("Backstop", "liquidate"),
        ("Backstop", "liquidate_many"),
        // Governance's own sale of pool collateral on the DEX: the emergency track may stop it.
        ("Backstop", "rebalance"),
        ("Backstop", "keeper_sweep"),
        ("Avatar", "supply"),
        ("Avatar", "supply_collateral"),
        ("Avatar", "borrow"),
        ("Avatar", "top_up"),
        ("Avatar", "sync"),
        ("Avatar", "liquidate"),
        ("Avatar", "pool_liquidate"),
        ("Avatar", "pool_liquidate_many"),
        ("Avatar", "open_liquidate"),
    ];
    expected.sort();
    assert_eq!(pausable, expected);
    // Nothing outside the Backstop pallets: not the system, the clock, the oracle feed,
    // balances or governance itself.
    for pallet in pallets {
        if PAUSABLE_PALLETS.contains(pallet) {
            continue;
        }
        for call in RuntimeCall::get_call_names(pallet) {
            assert!(
                !is_pausable(pallet.as_bytes(), call.as_bytes()),
                "{pallet}.{call}"
            );
        }
    }
}

#[test]
fn the_production_preset_has_no_sudo_and_production_tracks() {
    assert!(genesis_config_presets::preset_names()
        .iter()
        .any(|p| AsRef::<str>::as_ref(p) == PRODUCTION_RUNTIME_PRESET));
    preset_ext(PRODUCTION_RUNTIME_PRESET).execute_with(|| {
        assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
        let tracks: Vec<_> = Tracks::tracks().map(|t| t.into_owned()).collect();
        assert_eq!(tracks, PRODUCTION_TRACKS.to_vec());
        let params = Tracks::info(PARAMS_TRACK).expect("params track");
        // Days, not blocks: an enactment delay of at least a day at 6-second blocks.
        assert!(params.min_enactment_period >= 14_400);
        assert!(params.decision_period >= 7 * 14_400);
        // Runtime upgrades go through the root track: a day's enactment delay, one at a time.
        let root = Tracks::info(ROOT_TRACK).expect("root track");
        assert!(root.min_enactment_period >= 14_400);
        assert_eq!(root.max_deciding, 1);
        // Parameters are the pallets' production defaults (weekly franchise epochs).
        assert_eq!(
            pallet_backstop::FranchiseParameters::<Runtime>::get(),
            pallet_backstop::FranchiseParams::default()
        );
        // A signed account cannot change a parameter here either, and nobody holds root.
        assert_noop!(
            Backstop::set_sharing_params(signed(Alice), pallet_backstop::SharingParams::default()),
            DispatchError::BadOrigin
        );
    });
}

/// One runtime API call returns every governed parameter of the three pallets, the
/// announced avatar changes and the paused calls, and follows their changes.
#[test]
fn one_runtime_api_call_returns_every_parameter() {
    use backstop_runtime::{
        parameters::{runtime_decl_for_parameters_api::ParametersApiV1, Parameters},
        Block,
    };
    dev_ext().execute_with(|| {
        run_block(1, T0);
        let get = <Runtime as ParametersApiV1<Block>>::parameters;
        let p: Parameters = get();
        assert_eq!(p.pool, pallet_backstop::Params::<Runtime>::get());
        assert_eq!(p.sweep_cap, pallet_backstop::SweepCap::<Runtime>::get());
        assert_eq!(p.rebalance, pallet_backstop::RebalanceParams::default());
        assert_eq!(
            p.franchise,
            pallet_backstop::FranchiseParameters::<Runtime>::get()
        );
        assert_eq!(p.franchise_in_epoch, Some(p.franchise));
        assert_eq!(
            p.sharing,
            pallet_backstop::SharingParameters::<Runtime>::get()
        );
        assert!(p.paused.is_empty());
        // The dev chain's two markets, with their avatar parameters.
        assert_eq!(p.markets.len(), 2);
        let eth = &p.markets[usize::try_from(ETH_USD_MARKET).unwrap()];
        let market = pallet_lending::Markets::<Runtime>::get(ETH_USD_MARKET).unwrap();
        assert_eq!(
            (eth.market, eth.loan_asset, eth.collateral_asset, eth.lltv),
            (ETH_USD_MARKET, USD, ETH, market.lltv)
        );
        assert_eq!((eth.lif, eth.irm), (market.lif, market.irm));
        assert_eq!(eth.avatar, Avatar::params(ETH_USD_MARKET));
        assert_eq!(eth.avatar_pending, None);

        // Changes show at once: a pause, a tighter sweep cap, a score weight, an announced
        // avatar change.
        let params = track_origin(Origin::BackstopParams);
        assert_ok!(dispatch(
            pause_call("Backstop", "swap"),
            track_origin(Origin::BackstopEmergency)
        ));
        assert_ok!(dispatch(
            RuntimeCall::Backstop(pallet_backstop::Call::set_sweep_cap { cap: 3 }),
            track_origin(Origin::BackstopEmergency)
        ));
        let weight = sp_runtime::FixedU128::from_u32(2);
        assert_ok!(dispatch(
            RuntimeCall::Backstop(pallet_backstop::Call::set_score_weight {
                market: ETH_USD_MARKET,
                side: backstop_primitives::Side::Debt,
                weight,
            }),
            params.clone()
        ));
        let margin = pallet_avatar::AvatarParams {
            margin: eth.avatar.margin + Perbill::from_percent(1),
            ..eth.avatar
        };
        assert_ok!(dispatch(
            RuntimeCall::Avatar(pallet_avatar::Call::set_params {
                market: ETH_USD_MARKET,
                params: margin,
            }),
            params
        ));
        let q = get();
        assert_eq!(q.paused, vec![(b"Backstop".to_vec(), b"swap".to_vec())]);
        assert_eq!(q.sweep_cap, 3);
        assert_eq!(
            q.score_weights,
            vec![(ETH_USD_MARKET, backstop_primitives::Side::Debt, weight)]
        );
        let eth = &q.markets[usize::try_from(ETH_USD_MARKET).unwrap()];
        let (pending, activation) = eth.avatar_pending.expect("announced");
        assert_eq!(pending, margin);
        assert!(activation > System::block_number());
        assert_eq!(
            eth.avatar,
            p.markets[usize::try_from(ETH_USD_MARKET).unwrap()].avatar,
            "not in force yet"
        );
        // The same answer through the encoded API, as a client decodes it.
        assert_eq!(
            <Parameters as codec::Decode>::decode(&mut &q.encode()[..]),
            Ok(q)
        );
    });
}

/// Nothing needs `sudo`: a referendum on the root track authorizes a runtime upgrade
/// (`system.authorizeUpgrade`; anyone may then apply the authorized code with
/// `system.applyAuthorizedUpgrade`). On the dev chain it passes in a few blocks, as on the
/// production preset in its longer periods.
#[test]
fn a_root_track_referendum_authorizes_a_runtime_upgrade() {
    dev_ext().execute_with(|| {
        run_block(1, T0);
        let code_hash = BlakeTwo256::hash(b"the next runtime");
        let call = RuntimeCall::System(frame_system::Call::authorize_upgrade { code_hash });
        // Not from a signed account, nor from Backstop's tracks.
        for origin in [
            signed(Alice),
            track_origin(Origin::BackstopParams),
            track_origin(Origin::BackstopEmergency),
        ] {
            assert_eq!(
                dispatch(call.clone(), origin),
                Err(DispatchError::BadOrigin)
            );
        }
        let encoded = call.encode();
        assert_ok!(pallet_preimage::Pallet::<Runtime>::note_preimage(
            signed(Alice),
            encoded.clone()
        ));
        let index = pallet_referenda::ReferendumCount::<Runtime>::get();
        assert_ok!(pallet_referenda::Pallet::<Runtime>::submit(
            signed(Alice),
            Box::new(OriginCaller::system(frame_system::RawOrigin::Root)),
            Bounded::Lookup {
                hash: BlakeTwo256::hash(&encoded),
                len: encoded.len() as u32,
            },
            DispatchTime::After(0),
        ));
        assert_eq!(
            pallet_referenda::ReferendumInfoFor::<Runtime>::get(index).and_then(
                |info| match info {
                    ReferendumInfo::Ongoing(status) => Some(status.track),
                    _ => None,
                }
            ),
            Some(ROOT_TRACK)
        );
        assert_ok!(pallet_referenda::Pallet::<Runtime>::place_decision_deposit(
            signed(Alice),
            index
        ));
        for voter in [Bob, Charlie] {
            assert_ok!(pallet_conviction_voting::Pallet::<Runtime>::vote(
                signed(voter),
                index,
                AccountVote::Standard {
                    vote: Vote {
                        aye: true,
                        conviction: Conviction::Locked1x,
                    },
                    balance: 300_000 * UNIT,
                },
            ));
        }
        run_until_approved(index);
        for _ in 0..dev_track(ROOT_TRACK).min_enactment_period {
            next_block();
        }
        assert_eq!(enacted_results(), vec![Ok(())]);
        System::assert_has_event(RuntimeEvent::System(
            frame_system::Event::UpgradeAuthorized {
                code_hash,
                check_version: true,
            },
        ));
    });
}
