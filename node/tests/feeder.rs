//! The optional price feeder on a running node: an operator puts a `bsfd` key in the keystore
//! (`author_insertKey`, here Alice's, an oracle feeder on the dev chain) and a JSON
//! configuration in offchain local storage (`offchain_localStorageSet`); the node's offchain
//! worker then reads three HTTP sources served by this test, refuses the one far from the
//! others, and feeds the median of the rest to pallet-oracle, signed by that key.

mod common;
use common::*;

use std::{
    io::{BufRead, BufReader, Write},
    net::TcpListener,
    time::Duration,
};

use backstop_runtime::{genesis_config_presets::ETH, Runtime};
use serde_json::json;
use sp_core::crypto::Pair;
use sp_keyring::Sr25519Keyring;
use sp_runtime::FixedU128;

/// Serves `GET /a`, `/b` and `/c` with JSON prices (USD per ETH) on a free local port:
/// 2 600.5 (a string), 2 601.5 (a number) and 1 000 (an outlier, 60 % off).
fn price_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("address").port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut line = String::new();
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            // Drain the headers.
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let body = match line.split_whitespace().nth(1) {
                Some("/a") => r#"{"ethereum": {"usd": "2600.5"}}"#,
                Some("/b") => r#"{"ethereum": {"usd": 2601.5}}"#,
                Some("/c") => r#"{"ethereum": {"usd": 1000}}"#,
                _ => r#"{}"#,
            };
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}

#[test]
fn the_feeder_feeds_the_median_of_its_sources_signed_by_the_keystore_key() {
    let port = price_server();
    let base = std::env::temp_dir().join(format!("backstop-feeder-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let node = Node::dev(&base, &["--block-time", "500"]);

    // The operator's two steps, over RPC.
    let alice = Sr25519Keyring::Alice;
    node.rpc(
        "author_insertKey",
        json!(["bsfd", "//Alice", hex(alice.pair().public().as_ref())]),
    );
    let config = json!({
        "every": 1,
        "max_deviation_percent": 5,
        "sources": [
            {"asset": ETH, "url": format!("http://127.0.0.1:{port}/a"), "pointer": "/ethereum/usd"},
            {"asset": ETH, "url": format!("http://127.0.0.1:{port}/b"), "pointer": "/ethereum/usd"},
            {"asset": ETH, "url": format!("http://127.0.0.1:{port}/c"), "pointer": "/ethereum/usd"},
        ]
    })
    .to_string();
    node.rpc(
        "offchain_localStorageSet",
        json!([
            "PERSISTENT",
            hex(pallet_price_feeder::CONFIG_KEY),
            hex(config.as_bytes())
        ]),
    );

    // Alice's raw feed of ETH becomes the median of the two sources that agree: 2 601.
    let key = pallet_oracle::RawValues::<Runtime>::hashed_key_for(alice.to_account_id(), ETH);
    let fed = node.wait_for(Duration::from_secs(90), "the feeder's feed", || {
        let (_, best) = node.best();
        node.storage::<pallet_oracle::TimestampedValue<FixedU128, u64>>(key.clone(), best)
            .filter(|v| v.value == FixedU128::from_u32(2_601))
    });
    assert_eq!(fed.value, FixedU128::from_u32(2_601));
    node.stop();
    let _ = std::fs::remove_dir_all(&base);
}
