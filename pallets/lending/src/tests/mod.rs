//! Tests, one file per topic. Every test runs through `ExtBuilder::build_and_execute`, which
//! checks the pallet's invariants (`do_try_state`) when the test ends.

pub mod mock;

mod amounts;
mod bad_inputs;
mod batch;
mod borrow;
mod decimals;
mod index;
mod interest;
mod liquidation;
mod markets;
mod math;
mod supply;
