//! Tests, one file per topic. Every test runs through `ExtBuilder::build_and_execute`, which
//! checks the pallet's invariants (`do_try_state`) when the test ends.

pub mod mock;

mod avatar;
mod bad_inputs;
mod cushion;
mod idle;
mod life;
mod liquidate;
mod margin;
mod params;
mod pool;
mod properties;
mod sync;
mod value;
