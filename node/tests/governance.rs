//! Governance on a running node, over RPC only: a referendum on the dev chain's
//! `backstop_params` track (preimage, submission, decision deposit, votes, approval, the
//! enactment delay) changes the sharing parameters, which the `ParametersApi` runtime API
//! and the enactment block's events (`SharingParamsUpdated { old, new }`) show; and the node
//! starts a chain from the `production` preset (`--chain production`: no `sudo`, governance
//! only) and produces blocks on it.

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::{TcpListener, TcpStream},
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use backstop_runtime::{
    configs::governance::origins::Origin, parameters::Parameters, OriginCaller, Runtime,
    RuntimeCall, RuntimeEvent, SignedPayload, TxExtension, UncheckedExtrinsic, UNIT, VERSION,
};
use codec::{Decode, Encode};
use frame_support::traits::{schedule::DispatchTime, Bounded};
use serde_json::{json, Value};
use sp_core::{crypto::Pair, H256};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
    generic,
    traits::{BlakeTwo256, Hash},
    MultiAddress,
};

const NODE: &str = env!("CARGO_BIN_EXE_backstop-node");

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A running node, killed if the test fails half-way.
struct Node {
    child: Child,
    rpc_port: u16,
}

impl Node {
    /// Starts the node on `chain` (`--dev`, or `--chain <id>`) with `extra` arguments.
    fn start(chain: &[&str], base_path: &Path, extra: &[&str]) -> Node {
        let rpc_port = free_port();
        let p2p_port = free_port();
        let mut child = Command::new(NODE)
            .args(chain)
            .args(["--no-prometheus", "--no-telemetry", "--rpc-port"])
            .arg(rpc_port.to_string())
            .arg("--port")
            .arg(p2p_port.to_string())
            .arg("--base-path")
            .arg(base_path)
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the node starts");
        // Keep draining the log so the node never blocks on a full pipe; echo it for failures.
        let stderr = child.stderr.take().expect("stderr is piped");
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("[node] {line}");
            }
        });
        let mut node = Node { child, rpc_port };
        let start = Instant::now();
        // The node builds the genesis state in its wasm executor before it opens its RPC:
        // about 30 s on the 2-core reference machine, several times that while other builds
        // load it.
        while node.try_rpc("system_health", json!([])).is_err() {
            if let Some(exit) = node.child.try_wait().expect("wait") {
                panic!("the node exited before its RPC answered: {exit}");
            }
            assert!(
                start.elapsed() < Duration::from_secs(300),
                "RPC did not answer in 300 s"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        node
    }

    fn try_rpc(&self, method: &str, params: Value) -> Result<Value, String> {
        let body =
            json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string();
        let mut stream =
            TcpStream::connect(("127.0.0.1", self.rpc_port)).map_err(|e| e.to_string())?;
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .map_err(|e| e.to_string())?;
        // The host with its port: a non-development chain only accepts whitelisted hosts.
        write!(
            stream,
            "POST / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{}",
            self.rpc_port,
            body.len(),
            body
        )
        .map_err(|e| e.to_string())?;
        let mut response = String::new();
        stream
            .read_to_string(&mut response)
            .map_err(|e| e.to_string())?;
        let json_start = response.find("\r\n\r\n").ok_or("no HTTP body")? + 4;
        let reply: Value =
            serde_json::from_str(&response[json_start..]).map_err(|e| e.to_string())?;
        match reply.get("result") {
            Some(result) => Ok(result.clone()),
            None => Err(format!("{method}: {reply}")),
        }
    }

    fn rpc(&self, method: &str, params: Value) -> Value {
        self.try_rpc(method, params)
            .unwrap_or_else(|e| panic!("RPC {method} failed: {e}"))
    }

    fn wait_for<T>(&self, limit: Duration, what: &str, mut f: impl FnMut() -> Option<T>) -> T {
        let start = Instant::now();
        loop {
            if let Some(v) = f() {
                return v;
            }
            assert!(
                start.elapsed() < limit,
                "timed out after {limit:?} waiting for {what}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Submits `xt` and waits until a block after `after` includes it; that block's hash.
    fn submit_and_wait(&self, xt: &[u8], after: u64) -> H256 {
        let xt_hex = hex(xt);
        self.rpc("author_submitExtrinsic", json!([xt_hex]));
        self.wait_for(Duration::from_secs(60), "the extrinsic's block", || {
            let (best, _) = self.best();
            (after + 1..=best).find_map(|n| {
                let hash = self.rpc("chain_getBlockHash", json!([n]));
                let block = self.rpc("chain_getBlock", json!([hash]));
                let xts = block["block"]["extrinsics"].as_array()?.clone();
                xts.iter()
                    .any(|x| x.as_str() == Some(xt_hex.as_str()))
                    .then(|| hash_of(&hash))
            })
        })
    }

    /// The SCALE value stored under `key` at block `at`, if any.
    fn storage<T: Decode>(&self, key: Vec<u8>, at: H256) -> Option<T> {
        let raw = self.rpc("state_getStorage", json!([hex(&key), format!("{at:?}")]));
        let bytes = unhex(raw.as_str()?);
        Some(T::decode(&mut &bytes[..]).expect("the stored value decodes"))
    }

    fn best(&self) -> (u64, H256) {
        let header = self.rpc("chain_getHeader", json!([]));
        let number = header["number"].as_str().expect("number");
        let number = u64::from_str_radix(number.trim_start_matches("0x"), 16).expect("hex");
        let hash: H256 = hash_of(&self.rpc("chain_getBlockHash", json!([number])));
        (number, hash)
    }

    /// Stops the node with SIGINT, as Ctrl-C would, and checks it exits cleanly.
    fn stop(mut self) {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let start = Instant::now();
        loop {
            if let Some(exit) = self.child.try_wait().expect("wait") {
                assert!(exit.success(), "node exited with {exit}");
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "node did not stop on SIGINT"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn hex(bytes: &[u8]) -> String {
    format!(
        "0x{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

fn unhex(s: &str) -> Vec<u8> {
    let s = s.trim_start_matches("0x");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

fn hash_of(v: &Value) -> H256 {
    H256::from_slice(&unhex(v.as_str().expect("a hash")))
}

/// `call` from `from`, signed as a wallet signs it (immortal era).
fn signed(from: Sr25519Keyring, call: RuntimeCall, nonce: u32, genesis: H256) -> Vec<u8> {
    let extension: TxExtension = (
        frame_system::AuthorizeCall::<Runtime>::new(),
        frame_system::CheckNonZeroSender::<Runtime>::new(),
        frame_system::CheckSpecVersion::<Runtime>::new(),
        frame_system::CheckTxVersion::<Runtime>::new(),
        frame_system::CheckGenesis::<Runtime>::new(),
        frame_system::CheckEra::<Runtime>::from(generic::Era::Immortal),
        frame_system::CheckNonce::<Runtime>::from(nonce),
        frame_system::CheckWeight::<Runtime>::new(),
        pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
        pallet_revive::evm::tx_extension::SetOrigin::<Runtime>::default(),
        frame_system::WeightReclaim::<Runtime>::new(),
    );
    let implicit = (
        (),
        (),
        VERSION.spec_version,
        VERSION.transaction_version,
        genesis,
        genesis,
        (),
        (),
        (),
        (),
        (),
    );
    let payload = SignedPayload::from_raw(call.clone(), extension.clone(), implicit);
    let signature = payload.using_encoded(|bytes| from.pair().sign(bytes));
    let xt: UncheckedExtrinsic = generic::UncheckedExtrinsic::new_signed(
        call,
        MultiAddress::Id(from.to_account_id()),
        signature.into(),
        extension,
    )
    .into();
    xt.encode()
}

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
