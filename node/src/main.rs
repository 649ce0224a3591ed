//! # backstop-node
//!
//! A lean dev node for the Backstop runtime: blocks are sealed by
//! `sc-consensus-manual-seal` (instantly for every transaction, and optionally on a fixed
//! timer), offchain workers run with HTTP enabled, state lives in ParityDb (no RocksDB), RPC
//! serves the system, transaction-payment and manual-seal methods, and
//! `backstop-node benchmark pallet` measures weights from the same binary.
//!
//! The parachain path (collator, Aura) is a later step; this node has no peers.

// The node returns `sc_cli::Error` and `sc_service::Error`, as sc-cli's runner requires; both
// are large upstream types we cannot box without wrapping the whole Substrate CLI API.
#![allow(clippy::result_large_err)]

mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
    command::run()
}
