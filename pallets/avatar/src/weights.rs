//! Weights for `pallet_avatar`.
//!
//! PLACEHOLDER VALUES, TO BE REGENERATED with the node's `benchmark pallet` command
//! (`--pallet pallet_avatar --extrinsic '*' --steps 50 --repeat 20 --output
//! pallets/avatar/src/weights.rs --template benchmarking/frame-weight-template.hbs`).
//! The shape (trait, `SubstrateWeight<T>`, `()`) is the standard polkadot-sdk template's; the
//! numbers below are conservative estimates of each call's worst path: the sync (market
//! position read), the lending market's own reads and writes, the oracle, the franchise
//! (assignment, commitment) and the score hooks.
//!
//! `leave` carries the component `m`, the number of markets the avatar has positions in.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]
#![allow(dead_code)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_avatar`.
pub trait WeightInfo {
	fn supply() -> Weight;
	fn supply_collateral() -> Weight;
	fn borrow() -> Weight;
	fn repay() -> Weight;
	fn withdraw() -> Weight;
	fn withdraw_collateral() -> Weight;
	fn top_up() -> Weight;
	fn liquidate() -> Weight;
	fn sync() -> Weight;
	fn set_params() -> Weight;
	fn leave(m: u32, ) -> Weight;
}

/// Weights for `pallet_avatar` using the Substrate node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn supply() -> Weight {
		Weight::from_parts(110_000_000, 14_000)
			.saturating_add(T::DbWeight::get().reads(9_u64))
			.saturating_add(T::DbWeight::get().writes(7_u64))
	}
	fn supply_collateral() -> Weight {
		Weight::from_parts(120_000_000, 14_000)
			.saturating_add(T::DbWeight::get().reads(12_u64))
			.saturating_add(T::DbWeight::get().writes(9_u64))
	}
	fn borrow() -> Weight {
		Weight::from_parts(160_000_000, 16_000)
			.saturating_add(T::DbWeight::get().reads(16_u64))
			.saturating_add(T::DbWeight::get().writes(11_u64))
	}
	fn repay() -> Weight {
		Weight::from_parts(150_000_000, 16_000)
			.saturating_add(T::DbWeight::get().reads(16_u64))
			.saturating_add(T::DbWeight::get().writes(11_u64))
	}
	fn withdraw() -> Weight {
		Weight::from_parts(150_000_000, 16_000)
			.saturating_add(T::DbWeight::get().reads(14_u64))
			.saturating_add(T::DbWeight::get().writes(9_u64))
	}
	fn withdraw_collateral() -> Weight {
		Weight::from_parts(160_000_000, 16_000)
			.saturating_add(T::DbWeight::get().reads(16_u64))
			.saturating_add(T::DbWeight::get().writes(11_u64))
	}
	fn top_up() -> Weight {
		Weight::from_parts(170_000_000, 18_000)
			.saturating_add(T::DbWeight::get().reads(18_u64))
			.saturating_add(T::DbWeight::get().writes(12_u64))
	}
	fn liquidate() -> Weight {
		Weight::from_parts(220_000_000, 20_000)
			.saturating_add(T::DbWeight::get().reads(22_u64))
			.saturating_add(T::DbWeight::get().writes(15_u64))
	}
	fn sync() -> Weight {
		Weight::from_parts(60_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn set_params() -> Weight {
		Weight::from_parts(25_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// The range of component `m` is `[1, 8]`.
	fn leave(m: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 6_000)
			.saturating_add(Weight::from_parts(140_000_000, 0).saturating_mul(m.into()))
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().reads((14_u64).saturating_mul(m.into())))
			.saturating_add(T::DbWeight::get().writes(4_u64))
			.saturating_add(T::DbWeight::get().writes((10_u64).saturating_mul(m.into())))
			.saturating_add(Weight::from_parts(0, 12_000).saturating_mul(m.into()))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn supply() -> Weight {
		Weight::from_parts(110_000_000, 14_000)
			.saturating_add(RocksDbWeight::get().reads(9_u64))
			.saturating_add(RocksDbWeight::get().writes(7_u64))
	}
	fn supply_collateral() -> Weight {
		Weight::from_parts(120_000_000, 14_000)
			.saturating_add(RocksDbWeight::get().reads(12_u64))
			.saturating_add(RocksDbWeight::get().writes(9_u64))
	}
	fn borrow() -> Weight {
		Weight::from_parts(160_000_000, 16_000)
			.saturating_add(RocksDbWeight::get().reads(16_u64))
			.saturating_add(RocksDbWeight::get().writes(11_u64))
	}
	fn repay() -> Weight {
		Weight::from_parts(150_000_000, 16_000)
			.saturating_add(RocksDbWeight::get().reads(16_u64))
			.saturating_add(RocksDbWeight::get().writes(11_u64))
	}
	fn withdraw() -> Weight {
		Weight::from_parts(150_000_000, 16_000)
			.saturating_add(RocksDbWeight::get().reads(14_u64))
			.saturating_add(RocksDbWeight::get().writes(9_u64))
	}
	fn withdraw_collateral() -> Weight {
		Weight::from_parts(160_000_000, 16_000)
			.saturating_add(RocksDbWeight::get().reads(16_u64))
			.saturating_add(RocksDbWeight::get().writes(11_u64))
	}
	fn top_up() -> Weight {
		Weight::from_parts(170_000_000, 18_000)
			.saturating_add(RocksDbWeight::get().reads(18_u64))
			.saturating_add(RocksDbWeight::get().writes(12_u64))
	}
	fn liquidate() -> Weight {
		Weight::from_parts(220_000_000, 20_000)
			.saturating_add(RocksDbWeight::get().reads(22_u64))
			.saturating_add(RocksDbWeight::get().writes(15_u64))
	}
	fn sync() -> Weight {
		Weight::from_parts(60_000_000, 8_000)
			.saturating_add(RocksDbWeight::get().reads(8_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn set_params() -> Weight {
		Weight::from_parts(25_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	/// The range of component `m` is `[1, 8]`.
	fn leave(m: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 6_000)
			.saturating_add(Weight::from_parts(140_000_000, 0).saturating_mul(m.into()))
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().reads((14_u64).saturating_mul(m.into())))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
			.saturating_add(RocksDbWeight::get().writes((10_u64).saturating_mul(m.into())))
			.saturating_add(Weight::from_parts(0, 12_000).saturating_mul(m.into()))
	}
}
