//! Benchmarks of every call, on their worst paths: deposits priced over `c` held collaterals,
//! withdrawals paying `c` collaterals and recalling lent stable, and swaps and liquidations
//! measured with `d` depositors set up first — their weight must not grow with `d`.

use super::*;
use crate::pallet::*;
use alloc::vec::Vec;
use backstop_primitives::{AssetId, Balance, LendingMarket};
use frame_benchmarking::v2::*;
use frame_support::{
    pallet_prelude::Get,
    traits::{fungibles::Mutate, EnsureOrigin},
    BoundedBTreeMap,
};
use frame_system::RawOrigin;
use sp_arithmetic::{FixedU128, Perbill};

/// A large unit, so amounts stay far above any asset's minimum balance.
const UNIT: Balance = 1_000_000_000_000;
/// What each depositor puts in.
const DEPOSIT: Balance = 1_000 * UNIT;

fn stable<T: Config>() -> AssetId {
    T::StableAsset::get()
}

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
    let who: T::AccountId = account(name, index, 0);
    T::BenchmarkHelper::create_asset(stable::<T>());
    assert!(T::Assets::mint_into(stable::<T>(), &who, 1_000_000 * UNIT).is_ok());
    who
}

/// `d` depositors, each depositing `DEPOSIT`.
fn seed_depositors<T: Config>(d: u32) {
    for i in 0..d {
        let who = funded::<T>("depositor", i);
        assert!(Pallet::<T>::do_deposit(&who, DEPOSIT).is_ok());
    }
}

/// Makes the pool hold `c` collaterals (priced at 2 stable per unit), as if liquidated.
fn hold_collaterals<T: Config>(c: u32) -> Vec<AssetId> {
    let pool = Pallet::<T>::account_id();
    let mut held = BoundedBTreeMap::<AssetId, Balance, T::MaxCollaterals>::new();
    let mut assets = Vec::new();
    for i in 0..c {
        let asset = T::BenchmarkHelper::collateral_asset(i);
        T::BenchmarkHelper::create_asset(asset);
        T::BenchmarkHelper::set_price(asset, stable::<T>(), FixedU128::from_u32(2));
        assert!(T::Assets::mint_into(asset, &pool, 100 * UNIT).is_ok());
        assert!(held.try_insert(asset, 100 * UNIT).is_ok());
        assets.push(asset);
    }
    Collaterals::<T>::put(held);
    assets
}

/// Lends as much as the bounds allow when the yield market exists (the recall path).
fn lend_max<T: Config>() {
    let exists = T::YieldMarket::get().and_then(T::Lending::market).is_some();
    if exists {
        Params::<T>::mutate(|p| p.lend_fraction = PoolParams::MAX_LEND_FRACTION);
    }
}

#[benchmarks]
mod benchmarks {
    use super::*;

    #[benchmark]
    fn deposit(c: Linear<0, { T::MaxCollaterals::get() }>) {
        seed_depositors::<T>(1);
        hold_collaterals::<T>(c);
        lend_max::<T>();
        let caller = funded::<T>("caller", 0);

        #[extrinsic_call]
        _(RawOrigin::Signed(caller.clone()), DEPOSIT);

        assert!(SharesOf::<T>::get(&caller).is_some());
    }

    #[benchmark]
    fn withdraw(c: Linear<0, { T::MaxCollaterals::get() }>) {
        lend_max::<T>();
        seed_depositors::<T>(1);
        hold_collaterals::<T>(c);
        let caller = funded::<T>("caller", 0);
        assert!(Pallet::<T>::do_deposit(&caller, DEPOSIT).is_ok());
        let shares = Pallet::<T>::shares_of(&caller);

        #[extrinsic_call]
        _(RawOrigin::Signed(caller.clone()), shares);

        assert!(SharesOf::<T>::get(&caller).is_none());
    }

    #[benchmark]
    fn swap(d: Linear<1, 100>) {
        seed_depositors::<T>(d);
        let assets = hold_collaterals::<T>(1);
        let asset = assets.first().copied().unwrap_or_default();
        let caller = funded::<T>("caller", 0);
        let held_before = Collaterals::<T>::get()
            .get(&asset)
            .copied()
            .unwrap_or_default();

        #[extrinsic_call]
        _(RawOrigin::Signed(caller), asset, 10 * UNIT, 1);

        let held_after = Collaterals::<T>::get()
            .get(&asset)
            .copied()
            .unwrap_or_default();
        assert!(held_after < held_before);
    }

    #[benchmark]
    fn liquidate(d: Linear<1, 100>) {
        seed_depositors::<T>(d);
        lend_max::<T>();
        let collateral = T::BenchmarkHelper::collateral_asset(0);
        T::BenchmarkHelper::create_asset(collateral);
        T::BenchmarkHelper::set_price(collateral, stable::<T>(), FixedU128::from_u32(2));
        let market = T::BenchmarkHelper::create_market(stable::<T>(), collateral);
        let lender = funded::<T>("lender", 0);
        assert!(T::Lending::supply(&lender, market, &lender, 100_000 * UNIT).is_ok());
        let borrower = funded::<T>("borrower", 0);
        assert!(T::Assets::mint_into(collateral, &borrower, 1_000 * UNIT).is_ok());
        assert!(T::Lending::supply_collateral(&borrower, market, &borrower, 1_000 * UNIT).is_ok());
        // Borrow at half the collateral's value, then halve the price: unhealthy.
        assert!(T::Lending::borrow(&borrower, market, 1_000 * UNIT, &borrower).is_ok());
        T::BenchmarkHelper::set_price(collateral, stable::<T>(), FixedU128::from_u32(1));
        Params::<T>::mutate(|p| p.caller_fee_bps = PoolParams::MAX_CALLER_FEE_BPS);
        let caller = funded::<T>("keeper", 0);

        #[extrinsic_call]
        _(RawOrigin::Signed(caller), market, borrower, 100 * UNIT);

        assert!(Collaterals::<T>::get().contains_key(&collateral));
    }

    #[benchmark]
    fn set_params() -> Result<(), BenchmarkError> {
        seed_depositors::<T>(1);
        let exists = T::YieldMarket::get().and_then(T::Lending::market).is_some();
        let lend_fraction = if exists {
            PoolParams::MAX_LEND_FRACTION
        } else {
            Perbill::zero()
        };
        let params = PoolParams {
            amplification: 100,
            fee_bps: 30,
            lend_fraction,
            ..Default::default()
        };
        let origin =
            T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

        #[extrinsic_call]
        _(origin as T::RuntimeOrigin, params);

        assert_eq!(Params::<T>::get(), params);
        Ok(())
    }

    impl_benchmark_test_suite!(
        Pallet,
        crate::tests::mock::new_bench_ext(),
        crate::tests::mock::Test
    );
}
