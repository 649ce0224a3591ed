//! Governance on a running node, over RPC only: a referendum on the dev chain's
//! `backstop_params` track (preimage, submission, decision deposit, votes, approval, the
//! enactment delay) changes the sharing parameters, which the `ParametersApi` runtime API
//! and the enactment block's events (`SharingParamsUpdated { old, new }`) show; and the node
//! starts a chain from the `production` preset (`--chain production`: no `sudo`, governance
//! only) and produces blocks on it.

use std::time::Duration;

use backstop_runtime::{
    configs::governance::origins::Origin, parameters::Parameters, OriginCaller, Runtime,
    RuntimeCall, RuntimeEvent, UNIT,
};
use codec::{Decode, Encode};
use frame_support::traits::{schedule::DispatchTime, Bounded};
use serde_json::json;
use sp_core::H256;
use sp_keyring::Sr25519Keyring;
use sp_runtime::traits::{BlakeTwo256, Hash};

mod common;
use common::*;

/// The node's `ParametersApi` answer at block `at`, over `state_call`.
fn parameters(node: &Node, at: H256) -> Parameters {
    let raw = node.rpc(
        "state_call",
        json!(["ParametersApi_parameters", "0x", format!("{at:?}")]),
    );
    Parameters::decode(&mut &unhex(raw.as_str().expect("hex"))[..]).expect("Parameters decode")
}

/// The events of block `at`.
fn events(node: &Node, at: H256) -> Vec<RuntimeEvent> {
    // `frame_system::Events` (private): twox128("System") ++ twox128("Events").
    let key = [
        sp_io::hashing::twox_128(b"System"),
        sp_io::hashing::twox_128(b"Events"),
    ]
    .concat();
    node.storage::<Vec<frame_system::EventRecord<RuntimeEvent, H256>>>(key, at)
        .unwrap_or_default()
        .into_iter()
        .map(|record| record.event)
        .collect()
}

/// The dev chain end to end over RPC, as the README's governance walkthrough: Alice notes the
/// call `backstop.setSharingParams(new)`, submits it on the `backstop_params` track and places
/// the decision deposit; Bob and Charlie vote aye with 300 000 BKS each. The referendum is
/// approved, the change waits for the track's enactment delay, and then the sharing
/// parameters are the new ones: in storage, in the `ParametersApi` answer and in the
/// enactment block's `SharingParamsUpdated { old, new }`.
#[test]
fn a_referendum_changes_a_parameter_on_the_dev_node() {
    let base = std::env::temp_dir().join(format!("backstop-governance-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    // Blocks every 500 ms (and at once for each transaction): the dev tracks count blocks.
    let node = Node::start(&["--dev"], &base, &["--block-time", "500"]);
    let genesis = hash_of(&node.rpc("chain_getBlockHash", json!([0])));
    let (_, start) = node.best();
    let old = parameters(&node, start).sharing;
    let new = pallet_backstop::SharingParams {
        user_share: sp_runtime::Perbill::from_percent(20),
        ..old
    };
    assert_ne!(old, new);

    let call = RuntimeCall::Backstop(pallet_backstop::Call::set_sharing_params { params: new });
    let encoded = call.encode();
    let index: u32 = node
        .storage(
            pallet_referenda::ReferendumCount::<Runtime>::hashed_key().to_vec(),
            start,
        )
        .unwrap_or_default();
    let alice = Sr25519Keyring::Alice;
    let steps = [
        (
            alice,
            RuntimeCall::Preimage(pallet_preimage::Call::note_preimage {
                bytes: encoded.clone(),
            }),
            0,
        ),
        (
            alice,
            RuntimeCall::Referenda(pallet_referenda::Call::submit {
                proposal_origin: Box::new(OriginCaller::Origins(Origin::BackstopParams)),
                proposal: Bounded::Lookup {
                    hash: BlakeTwo256::hash(&encoded),
                    len: encoded.len() as u32,
                },
                enactment_moment: DispatchTime::After(0),
            }),
            1,
        ),
        (
            alice,
            RuntimeCall::Referenda(pallet_referenda::Call::place_decision_deposit { index }),
            2,
        ),
    ];
    let vote = |who| {
        (
            who,
            RuntimeCall::ConvictionVoting(pallet_conviction_voting::Call::vote {
                poll_index: index,
                vote: pallet_conviction_voting::AccountVote::Standard {
                    vote: pallet_conviction_voting::Vote {
                        aye: true,
                        conviction: pallet_conviction_voting::Conviction::Locked1x,
                    },
                    balance: 300_000 * UNIT,
                },
            }),
            0,
        )
    };
    let mut last = start;
    for (who, call, nonce) in steps
        .into_iter()
        .chain([vote(Sr25519Keyring::Bob), vote(Sr25519Keyring::Charlie)])
    {
        let (now, _) = node.best();
        last = node.submit_and_wait(&signed(who, call, nonce, genesis), now);
    }
    assert_eq!(parameters(&node, last).sharing, old, "not before enactment");

    // Approved within a few blocks, then enacted after the track's delay.
    let info_key = pallet_referenda::ReferendumInfoFor::<Runtime>::hashed_key_for(index);
    let approved_at = node.wait_for(Duration::from_secs(120), "the approval", || {
        let (n, hash) = node.best();
        let info: pallet_referenda::ReferendumInfoOf<Runtime, ()> =
            node.storage(info_key.clone(), hash)?;
        matches!(info, pallet_referenda::ReferendumInfo::Approved(..)).then_some(n)
    });
    let enacted = node.wait_for(Duration::from_secs(120), "the enactment", || {
        let (n, hash) = node.best();
        (parameters(&node, hash).sharing == new).then_some(n)
    });
    let delay = backstop_runtime::configs::governance::tracks::DEVELOPMENT_TRACKS[0]
        .info
        .min_enactment_period;
    assert!(
        u64::from(delay) >= 2 && enacted >= approved_at + u64::from(delay) - 1,
        "enacted at {enacted}, approved at {approved_at}, delay {delay}"
    );
    // The enactment block says what changed.
    let updated = (approved_at..=enacted).find_map(|n| {
        let hash = hash_of(&node.rpc("chain_getBlockHash", json!([n])));
        events(&node, hash).into_iter().find_map(|e| match e {
            RuntimeEvent::Backstop(pallet_backstop::Event::SharingParamsUpdated { old, new }) => {
                Some((n, old, new))
            }
            _ => None,
        })
    });
    let (at, event_old, event_new) = updated.expect("a SharingParamsUpdated event");
    assert_eq!((event_old, event_new), (old, new));
    assert!(at > approved_at, "enacted after the approval block");
    let stored: pallet_backstop::SharingParams = node
        .storage(
            pallet_backstop::SharingParameters::<Runtime>::hashed_key().to_vec(),
            node.best().1,
        )
        .expect("stored");
    assert_eq!(stored, new);
    node.stop();
    let _ = std::fs::remove_dir_all(&base);
}

/// `--chain production` starts a chain from the `production` preset: it produces blocks,
/// has no `sudo` key, and its governance runs on the production periods (the tracks'
/// genesis flag is off).
#[test]
fn the_node_starts_a_production_chain_without_sudo() {
    let base = std::env::temp_dir().join(format!("backstop-production-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let node = Node::start(&["--chain", "production"], &base, &["--block-time", "500"]);
    node.wait_for(Duration::from_secs(60), "3 blocks", || {
        (node.best().0 >= 3).then_some(())
    });
    let (_, at) = node.best();
    let sudo: Option<backstop_runtime::AccountId> =
        node.storage(pallet_sudo::Key::<Runtime>::hashed_key().to_vec(), at);
    assert_eq!(sudo, None, "no sudo key on the production chain");
    let dev_tracks: Option<bool> = node.storage(
        backstop_runtime::configs::governance::origins::DevelopmentTracks::<Runtime>::hashed_key()
            .to_vec(),
        at,
    );
    assert_ne!(dev_tracks, Some(true), "production track periods");
    // The pallets' production defaults, read in one call.
    let p = parameters(&node, at);
    assert_eq!(p.franchise, pallet_backstop::FranchiseParams::default());
    assert_eq!(p.markets.len(), 2);
    node.stop();
    let _ = std::fs::remove_dir_all(&base);
}
