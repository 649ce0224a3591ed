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
//!
//! Franchise, score and jar (part 2; PLACEHOLDERS too, to be regenerated): `bid(b)` and
//! `settle_epoch(b)` carry `b`, the auction's bidders (≤ `MaxBidders`); `claim(e)` carries `e`,
//! the claimer's score entries (≤ `MaxUserEntries`). The score hooks, commitment transfers,
//! `assigned` and `deposit_income` are O(1) in users and bidders; they are benchmarked so the
//! avatar pallet can charge them inside its own calls.

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
	fn bid(b: u32, ) -> Weight;
	fn settle_epoch(b: u32, ) -> Weight;
	fn claim(e: u32, ) -> Weight;
	fn withdraw_refund() -> Weight;
	fn set_franchise_params() -> Weight;
	fn set_sharing_params() -> Weight;
	fn set_score_weight() -> Weight;
	fn on_balance_changed() -> Weight;
	fn on_outside_change() -> Weight;
	fn draw_commitment() -> Weight;
	fn return_to_commitment() -> Weight;
	fn assigned() -> Weight;
	fn deposit_income() -> Weight;
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
	/// The range of component `b` is `[1, MaxBidders - 1]`.
	fn bid(b: u32, ) -> Weight {
		Weight::from_parts(70_000_000, 9_000)
			.saturating_add(Weight::from_parts(50_000, 0).saturating_mul(b.into()))
			.saturating_add(T::DbWeight::get().reads(9_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	/// The range of component `b` is `[0, MaxBidders]`.
	fn settle_epoch(b: u32, ) -> Weight {
		Weight::from_parts(150_000_000, 20_000)
			.saturating_add(Weight::from_parts(30_000_000, 0).saturating_mul(b.into()))
			.saturating_add(T::DbWeight::get().reads(16_u64))
			.saturating_add(T::DbWeight::get().reads((3_u64).saturating_mul(b.into())))
			.saturating_add(T::DbWeight::get().writes(16_u64))
			.saturating_add(T::DbWeight::get().writes((3_u64).saturating_mul(b.into())))
			.saturating_add(Weight::from_parts(0, 2_600).saturating_mul(b.into()))
	}
	/// The range of component `e` is `[1, MaxUserEntries]`.
	fn claim(e: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 8_000)
			.saturating_add(Weight::from_parts(8_000_000, 0).saturating_mul(e.into()))
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(e.into())))
			.saturating_add(T::DbWeight::get().writes(6_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(e.into())))
			.saturating_add(Weight::from_parts(0, 2_600).saturating_mul(e.into()))
	}
	fn withdraw_refund() -> Weight {
		Weight::from_parts(40_000_000, 6_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn set_franchise_params() -> Weight {
		Weight::from_parts(15_000_000, 1_500)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn set_sharing_params() -> Weight {
		Weight::from_parts(15_000_000, 1_500)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn set_score_weight() -> Weight {
		Weight::from_parts(40_000_000, 5_000)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn on_balance_changed() -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(9_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	fn on_outside_change() -> Weight {
		Weight::from_parts(55_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(9_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	fn draw_commitment() -> Weight {
		Weight::from_parts(45_000_000, 6_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn return_to_commitment() -> Weight {
		Weight::from_parts(45_000_000, 6_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn assigned() -> Weight {
		Weight::from_parts(15_000_000, 3_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
	}
	fn deposit_income() -> Weight {
		Weight::from_parts(40_000_000, 6_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
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
	/// The range of component `b` is `[1, MaxBidders - 1]`.
	fn bid(b: u32, ) -> Weight {
		Weight::from_parts(70_000_000, 9_000)
			.saturating_add(Weight::from_parts(50_000, 0).saturating_mul(b.into()))
			.saturating_add(RocksDbWeight::get().reads(9_u64))
			.saturating_add(RocksDbWeight::get().writes(8_u64))
	}
	/// The range of component `b` is `[0, MaxBidders]`.
	fn settle_epoch(b: u32, ) -> Weight {
		Weight::from_parts(150_000_000, 20_000)
			.saturating_add(Weight::from_parts(30_000_000, 0).saturating_mul(b.into()))
			.saturating_add(RocksDbWeight::get().reads(16_u64))
			.saturating_add(RocksDbWeight::get().reads((3_u64).saturating_mul(b.into())))
			.saturating_add(RocksDbWeight::get().writes(16_u64))
			.saturating_add(RocksDbWeight::get().writes((3_u64).saturating_mul(b.into())))
			.saturating_add(Weight::from_parts(0, 2_600).saturating_mul(b.into()))
	}
	/// The range of component `e` is `[1, MaxUserEntries]`.
	fn claim(e: u32, ) -> Weight {
		Weight::from_parts(60_000_000, 8_000)
			.saturating_add(Weight::from_parts(8_000_000, 0).saturating_mul(e.into()))
			.saturating_add(RocksDbWeight::get().reads(8_u64))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(e.into())))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(e.into())))
			.saturating_add(Weight::from_parts(0, 2_600).saturating_mul(e.into()))
	}
	fn withdraw_refund() -> Weight {
		Weight::from_parts(40_000_000, 6_000)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn set_franchise_params() -> Weight {
		Weight::from_parts(15_000_000, 1_500)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn set_sharing_params() -> Weight {
		Weight::from_parts(15_000_000, 1_500)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn set_score_weight() -> Weight {
		Weight::from_parts(40_000_000, 5_000)
			.saturating_add(RocksDbWeight::get().reads(8_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn on_balance_changed() -> Weight {
		Weight::from_parts(50_000_000, 8_000)
			.saturating_add(RocksDbWeight::get().reads(9_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
	fn on_outside_change() -> Weight {
		Weight::from_parts(55_000_000, 8_000)
			.saturating_add(RocksDbWeight::get().reads(9_u64))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
	}
	fn draw_commitment() -> Weight {
		Weight::from_parts(45_000_000, 6_000)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn return_to_commitment() -> Weight {
		Weight::from_parts(45_000_000, 6_000)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn assigned() -> Weight {
		Weight::from_parts(15_000_000, 3_000)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
	}
	fn deposit_income() -> Weight {
		Weight::from_parts(40_000_000, 6_000)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
}
