//! What the node tests share: starting a node on a free port (killed if a test fails
//! half-way), JSON-RPC over plain HTTP, waiting for blocks, reading storage, and signing
//! extrinsics as a wallet does.
#![allow(dead_code)]

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::{TcpListener, TcpStream},
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use backstop_runtime::{
    AccountId, Balance, Runtime, RuntimeCall, SignedPayload, TxExtension, UncheckedExtrinsic,
    VERSION,
};
use codec::{Decode, Encode};
use serde_json::{json, Value};
use sp_core::{crypto::Pair, H256};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{generic, MultiAddress};

const NODE: &str = env!("CARGO_BIN_EXE_backstop-node");

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A running node, killed if the test fails half-way.
pub struct Node {
    child: Child,
    rpc_port: u16,
}

impl Node {
    /// Starts the dev node (`--dev`) with `extra` arguments.
    pub fn dev(base_path: &Path, extra: &[&str]) -> Node {
        Node::start(&["--dev"], base_path, extra)
    }

    /// Starts the node on `chain` (`--dev`, or `--chain <id>`) with `extra` arguments.
    pub fn start(chain: &[&str], base_path: &Path, extra: &[&str]) -> Node {
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

    pub fn try_rpc(&self, method: &str, params: Value) -> Result<Value, String> {
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

    pub fn rpc(&self, method: &str, params: Value) -> Value {
        self.try_rpc(method, params)
            .unwrap_or_else(|e| panic!("RPC {method} failed: {e}"))
    }

    pub fn wait_for<T>(&self, limit: Duration, what: &str, mut f: impl FnMut() -> Option<T>) -> T {
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
    pub fn submit_and_wait(&self, xt: &[u8], after: u64) -> H256 {
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
    pub fn storage<T: Decode>(&self, key: Vec<u8>, at: H256) -> Option<T> {
        let raw = self.rpc("state_getStorage", json!([hex(&key), format!("{at:?}")]));
        let bytes = unhex(raw.as_str()?);
        Some(T::decode(&mut &bytes[..]).expect("the stored value decodes"))
    }

    pub fn best(&self) -> (u64, H256) {
        let header = self.rpc("chain_getHeader", json!([]));
        let number = header["number"].as_str().expect("number");
        let number = u64::from_str_radix(number.trim_start_matches("0x"), 16).expect("hex");
        let hash: H256 = hash_of(&self.rpc("chain_getBlockHash", json!([number])));
        (number, hash)
    }

    pub fn free_balance(&self, who: &AccountId, at: H256) -> Balance {
        self.account(who, at).data.free
    }

    pub fn account(
        &self,
        who: &AccountId,
        at: H256,
    ) -> frame_system::AccountInfo<u32, pallet_balances::AccountData<Balance>> {
        let key = frame_system::Account::<Runtime>::hashed_key_for(who);
        let raw = self.rpc("state_getStorage", json!([hex(&key), format!("{at:?}")]));
        let bytes = unhex(raw.as_str().expect("the account exists"));
        frame_system::AccountInfo::<u32, pallet_balances::AccountData<Balance>>::decode(
            &mut &bytes[..],
        )
        .expect("AccountInfo decodes")
    }

    /// Kills the node with SIGKILL, mid-work: no shutdown code runs.
    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL is delivered");
        self.child.wait().expect("the killed node is reaped");
    }

    /// Stops the node with SIGINT, as Ctrl-C would, and checks it exits cleanly.
    pub fn stop(mut self) {
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

pub fn hex(bytes: &[u8]) -> String {
    format!(
        "0x{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

pub fn unhex(s: &str) -> Vec<u8> {
    let s = s.trim_start_matches("0x");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

pub fn hash_of(v: &Value) -> H256 {
    H256::from_slice(&unhex(v.as_str().expect("a hash")))
}

/// `call` from `from`, signed as a wallet signs it (immortal era).
pub fn signed(from: Sr25519Keyring, call: RuntimeCall, nonce: u32, genesis: H256) -> Vec<u8> {
    let extension: TxExtension = backstop_runtime::configs::offchain::tx_extension(nonce);
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
