//! Weights for `pallet_backstop`.
//!
//! PLACEHOLDER VALUES, TO BE REGENERATED with the node's `benchmark pallet` command
//! (`--pallet pallet_backstop --extrinsic '*' --steps 50 --repeat 20 --output
//! pallets/backstop/src/weights.rs --template benchmarking/frame-weight-template.hbs`).
//! The shape (trait, `SubstrateWeight<T>`, `()`) is the standard polkadot-sdk template's; the
//! numbers below are conservative estimates of the storage accesses of each call's worst path
//! (including the lending market's supply/withdraw and an oracle read per collateral).
//!
//! `swap` and `liquidate` carry the benchmarks' `d` component (number of depositors): the
//! benchmarks show the cost does not depend on it, so the calls pass 0.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]
#![allow(dead_code)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_backstop`.
pub trait WeightInfo {
	fn deposit(c: u32, ) -> Weight;
	fn withdraw(c: u32, ) -> Weight;
	fn swap(d: u32, ) -> Weight;
	fn liquidate(d: u32, ) -> Weight;
	fn set_params() -> Weight;
}

/// Weights for `pallet_backstop` using the Substrate node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// The range of component `c` is `[0, 8]`.
	fn deposit(c: u32, ) -> Weight {
		Weight::from_parts(120_000_000, 12_000)
			.saturating_add(Weight::from_parts(15_000_000, 0).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads(16_u64))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(c.into())))
			.saturating_add(T::DbWeight::get().writes(10_u64))
			.saturating_add(Weight::from_parts(0, 2_600).saturating_mul(c.into()))
	}
	/// The range of component `c` is `[0, 8]`.
	fn withdraw(c: u32, ) -> Weight {
		Weight::from_parts(130_000_000, 12_000)
			.saturating_add(Weight::from_parts(25_000_000, 0).saturating_mul(c.into()))
			.saturating_add(T::DbWeight::get().reads(16_u64))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(c.into())))
			.saturating_add(T::DbWeight::get().writes(10_u64))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(c.into())))
			.saturating_add(Weight::from_parts(0, 2_600).saturating_mul(c.into()))
	}
	/// The range of component `d` is `[1, 100]`.
	fn swap(_d: u32, ) -> Weight {
		Weight::from_parts(150_000_000, 14_000)
			.saturating_add(T::DbWeight::get().reads(16_u64))
			.saturating_add(T::DbWeight::get().writes(10_u64))
	}
	/// The range of component `d` is `[1, 100]`.
	fn liquidate(_d: u32, ) -> Weight {
		Weight::from_parts(250_000_000, 20_000)
			.saturating_add(T::DbWeight::get().reads(28_u64))
			.saturating_add(T::DbWeight::get().writes(16_u64))
	}
	fn set_params() -> Weight {
		Weight::from_parts(60_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	/// The range of component `c` is `[0, 8]`.
	fn deposit(c: u32, ) -> Weight {
		Weight::from_parts(120_000_000, 12_000)
			.saturating_add(Weight::from_parts(15_000_000, 0).saturating_mul(c.into()))
			.saturating_add(RocksDbWeight::get().reads(16_u64))
			.saturating_add(RocksDbWeight::get().reads((2_u64).saturating_mul(c.into())))
			.saturating_add(RocksDbWeight::get().writes(10_u64))
			.saturating_add(Weight::from_parts(0, 2_600).saturating_mul(c.into()))
	}
	/// The range of component `c` is `[0, 8]`.
	fn withdraw(c: u32, ) -> Weight {
		Weight::from_parts(130_000_000, 12_000)
			.saturating_add(Weight::from_parts(25_000_000, 0).saturating_mul(c.into()))
			.saturating_add(RocksDbWeight::get().reads(16_u64))
			.saturating_add(RocksDbWeight::get().reads((2_u64).saturating_mul(c.into())))
			.saturating_add(RocksDbWeight::get().writes(10_u64))
			.saturating_add(RocksDbWeight::get().writes((2_u64).saturating_mul(c.into())))
			.saturating_add(Weight::from_parts(0, 2_600).saturating_mul(c.into()))
	}
	/// The range of component `d` is `[1, 100]`.
	fn swap(_d: u32, ) -> Weight {
		Weight::from_parts(150_000_000, 14_000)
			.saturating_add(RocksDbWeight::get().reads(16_u64))
			.saturating_add(RocksDbWeight::get().writes(10_u64))
	}
	/// The range of component `d` is `[1, 100]`.
	fn liquidate(_d: u32, ) -> Weight {
		Weight::from_parts(250_000_000, 20_000)
			.saturating_add(RocksDbWeight::get().reads(28_u64))
			.saturating_add(RocksDbWeight::get().writes(16_u64))
	}
	fn set_params() -> Weight {
		Weight::from_parts(60_000_000, 8_000)
			.saturating_add(RocksDbWeight::get().reads(8_u64))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
	}
}
