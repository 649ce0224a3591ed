//! Benchmarks of every call, each on its most expensive path, and of the liquidation index
//! query with `n` borrowers in the market and `k` of them liquidatable.

use super::*;
use crate::Pallet as Lending;
use alloc::vec::Vec;
use backstop_primitives::{AssetId, Balance, MarketId};
use frame_benchmarking::v2::*;
use frame_support::traits::{fungibles::Mutate, EnsureOrigin};
use frame_system::RawOrigin;
use sp_arithmetic::{traits::One, FixedU128, Perbill};

const SEED: u32 = 0;
/// Asset ids the benchmarks create (through `T::BenchmarkHelper`).
const LOAN: AssetId = 0x4c4f_414e;
const COLLATERAL: AssetId = 0x434f_4c4c;
/// One whole token: 10^12 smallest units.
const UNIT: Balance = 1_000_000_000_000;
/// What every benchmark account is minted of each asset.
const FUNDS: Balance = 1_000_000_000 * UNIT;

fn rate_model() -> JumpRateModel {
    JumpRateModel {
        base_rate: FixedU128::from_rational(2, 100),
        slope1: FixedU128::from_rational(10, 100),
        kink: Perbill::from_percent(80),
        slope2: FixedU128::from_u32(3),
    }
}

fn prepare_assets<T: Config>() {
    T::BenchmarkHelper::create_asset(LOAN);
    T::BenchmarkHelper::create_asset(COLLATERAL);
    T::BenchmarkHelper::set_price(COLLATERAL, LOAN, FixedU128::one());
}

/// A market with an 80 % lltv, collateral priced at one loan unit.
fn market<T: Config>() -> Result<MarketId, BenchmarkError> {
    prepare_assets::<T>();
    Ok(Lending::<T>::do_create_market(
        LOAN,
        COLLATERAL,
        Perbill::from_percent(80),
        rate_model(),
    )?)
}

fn funded<T: Config>(name: &'static str, index: u32) -> Result<T::AccountId, BenchmarkError> {
    let who: T::AccountId = account(name, index, SEED);
    T::Assets::mint_into(LOAN, &who, FUNDS)?;
    T::Assets::mint_into(COLLATERAL, &who, FUNDS)?;
    Ok(who)
}

/// A lender supplying `amount`.
fn lend<T: Config>(id: MarketId, amount: Balance) -> Result<T::AccountId, BenchmarkError> {
    let lender = funded::<T>("lender", 0)?;
    Lending::<T>::do_supply(&lender, id, &lender, amount)?;
    Ok(lender)
}

/// A borrower with `collateral` pledged and `debt` borrowed.
fn borrower<T: Config>(
    id: MarketId,
    index: u32,
    collateral: Balance,
    debt: Balance,
) -> Result<T::AccountId, BenchmarkError> {
    let who = funded::<T>("borrower", index)?;
    Lending::<T>::do_supply_collateral(&who, id, &who, collateral)?;
    Lending::<T>::do_borrow(&who, id, debt, &who)?;
    Ok(who)
}

/// A market with a lender and one borrower whose `borrow_shares / collateral` is 16 times the
/// one the benchmarked caller will have, so that indexing the caller searches the bitmap from
/// the bottom level to the top and back.
fn busy_market<T: Config>() -> Result<MarketId, BenchmarkError> {
    let id = market::<T>()?;
    lend::<T>(id, 1_000_000u128.saturating_mul(UNIT))?;
    borrower::<T>(
        id,
        999,
        100u128.saturating_mul(UNIT),
        70u128.saturating_mul(UNIT),
    )?;
    Ok(id)
}

#[benchmarks]
mod benchmarks {
    use super::*;

    #[benchmark]
    fn create_market() -> Result<(), BenchmarkError> {
        prepare_assets::<T>();
        let origin =
            T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
        let id = NextMarketId::<T>::get();

        #[extrinsic_call]
        _(
            origin as T::RuntimeOrigin,
            LOAN,
            COLLATERAL,
            Perbill::from_percent(80),
            rate_model(),
        );

        assert!(Markets::<T>::contains_key(id));
        Ok(())
    }

    #[benchmark]
    fn supply() -> Result<(), BenchmarkError> {
        let id = busy_market::<T>()?;
        let caller = funded::<T>("caller", 0)?;
        Lending::<T>::do_supply(&caller, id, &caller, UNIT)?;

        #[extrinsic_call]
        _(RawOrigin::Signed(caller.clone()), id, UNIT);

        assert!(Positions::<T>::get(id, &caller).supply_shares > 0);
        Ok(())
    }

    #[benchmark]
    fn withdraw() -> Result<(), BenchmarkError> {
        let id = busy_market::<T>()?;
        let caller = funded::<T>("caller", 0)?;
        Lending::<T>::do_supply(&caller, id, &caller, 10u128.saturating_mul(UNIT))?;

        #[extrinsic_call]
        _(RawOrigin::Signed(caller.clone()), id, UNIT);

        assert!(Positions::<T>::get(id, &caller).supply_shares > 0);
        Ok(())
    }

    #[benchmark]
    fn supply_collateral() -> Result<(), BenchmarkError> {
        let id = busy_market::<T>()?;
        // The caller's r is half the other borrower's; supplying 1 400 more makes it 16 times
        // smaller: a new bucket far from the only other one.
        let caller = borrower::<T>(
            id,
            0,
            200u128.saturating_mul(UNIT),
            70u128.saturating_mul(UNIT),
        )?;

        #[extrinsic_call]
        _(
            RawOrigin::Signed(caller.clone()),
            id,
            1_400u128.saturating_mul(UNIT),
        );

        assert_eq!(
            Positions::<T>::get(id, &caller).collateral,
            1_600u128.saturating_mul(UNIT)
        );
        Ok(())
    }

    #[benchmark]
    fn withdraw_collateral() -> Result<(), BenchmarkError> {
        let id = busy_market::<T>()?;
        let caller = borrower::<T>(
            id,
            0,
            1_600u128.saturating_mul(UNIT),
            70u128.saturating_mul(UNIT),
        )?;

        #[extrinsic_call]
        _(
            RawOrigin::Signed(caller.clone()),
            id,
            1_400u128.saturating_mul(UNIT),
        );

        assert_eq!(
            Positions::<T>::get(id, &caller).collateral,
            200u128.saturating_mul(UNIT)
        );
        Ok(())
    }

    #[benchmark]
    fn borrow() -> Result<(), BenchmarkError> {
        let id = busy_market::<T>()?;
        let caller = borrower::<T>(
            id,
            0,
            1_600u128.saturating_mul(UNIT),
            70u128.saturating_mul(UNIT),
        )?;

        #[extrinsic_call]
        _(
            RawOrigin::Signed(caller.clone()),
            id,
            1_000u128.saturating_mul(UNIT),
        );

        assert!(IndexNodes::<T>::contains_key(id, &caller));
        Ok(())
    }

    #[benchmark]
    fn repay() -> Result<(), BenchmarkError> {
        let id = busy_market::<T>()?;
        let caller = borrower::<T>(
            id,
            0,
            1_600u128.saturating_mul(UNIT),
            1_070u128.saturating_mul(UNIT),
        )?;
        let payer = funded::<T>("payer", 0)?;

        #[extrinsic_call]
        _(
            RawOrigin::Signed(payer),
            id,
            caller.clone(),
            1_000u128.saturating_mul(UNIT),
        );

        assert!(IndexNodes::<T>::contains_key(id, &caller));
        Ok(())
    }

    /// The heaviest path: a partial liquidation of a position worth less than its debt times
    /// the LIF raises its `borrow_shares / collateral`, so its index node moves to a new
    /// bucket (a liquidation that lowers it, or closes the debt, leaves the node in place).
    #[benchmark]
    fn liquidate() -> Result<(), BenchmarkError> {
        let id = busy_market::<T>()?;
        let victim = borrower::<T>(
            id,
            0,
            1_000u128.saturating_mul(UNIT),
            790u128.saturating_mul(UNIT),
        )?;
        T::BenchmarkHelper::set_price(COLLATERAL, LOAN, FixedU128::from_rational(1, 2));
        let liquidator = funded::<T>("liquidator", 0)?;
        let key_before = IndexNodes::<T>::get(id, &victim).map(|node| node.key);

        #[extrinsic_call]
        _(
            RawOrigin::Signed(liquidator),
            id,
            victim.clone(),
            500u128.saturating_mul(UNIT),
        );

        let key_after = IndexNodes::<T>::get(id, &victim).map(|node| node.key);
        assert!(key_after > key_before);
        Ok(())
    }

    /// `n` nodes that full liquidations left at the top of the index, each alone in its
    /// bucket above a live borrower: pruning them removes every one (each removal empties a
    /// bucket and clears bitmap bits).
    #[benchmark]
    fn prune_index(n: Linear<1, { crate::PRUNE_STEPS }>) -> Result<(), BenchmarkError> {
        let id = busy_market::<T>()?;
        let mut liquidated = Vec::new();
        for i in 0..n {
            // Borrower i pledges 100 units and owes 71 + i: each in its own bucket above the
            // busy market's borrower (70 owed).
            let debt = 71u128.saturating_add(u128::from(i)).saturating_mul(UNIT);
            liquidated.push(borrower::<T>(id, i, 100u128.saturating_mul(UNIT), debt)?);
        }
        T::BenchmarkHelper::set_price(COLLATERAL, LOAN, FixedU128::from_rational(1, 2));
        let liquidator = funded::<T>("liquidator", 0)?;
        let done = Lending::<T>::do_liquidate_many(&liquidator, id, &liquidated, Balance::MAX)?;
        assert_eq!(done.liquidated.len(), liquidated.len());
        T::BenchmarkHelper::set_price(COLLATERAL, LOAN, FixedU128::one());
        let visited;

        #[block]
        {
            visited = Lending::<T>::prune_index(id, n)?;
        }

        assert_eq!(visited, n);
        for who in &liquidated {
            assert!(!IndexNodes::<T>::contains_key(id, who));
        }
        Ok(())
    }

    /// `k` liquidatable borrowers above `n` healthy ones, every borrower in its own bucket:
    /// the cost grows with `k`, not with `n`. (The two components are independent: a
    /// benchmark that capped `k` at `n` would charge `k`'s work to `n` at small `n`.)
    #[benchmark]
    fn liquidatable_positions(n: Linear<1, 500>, k: Linear<0, 100>) -> Result<(), BenchmarkError> {
        let id = market::<T>()?;
        let debt = 70u128.saturating_mul(UNIT);
        let total = n.saturating_add(k);
        lend::<T>(id, debt.saturating_mul(u128::from(total)))?;
        // Borrower i pledges 100 + i units and owes 70: r decreases with i.
        let collateral_of = |i: u32| 100u128.saturating_add(u128::from(i)).saturating_mul(UNIT);
        for i in 0..total {
            borrower::<T>(id, i, collateral_of(i), debt)?;
        }
        // Liquidatable iff 70 > c · p · 0.8  ⇔  c < 87.5 / p. With p = 87.5 / (100 + k − ½),
        // exactly the borrowers i < k are.
        let boundary = collateral_of(k).saturating_sub(UNIT.saturating_div(2));
        let price =
            FixedU128::from_rational(875u128.saturating_mul(UNIT).saturating_div(10), boundary);
        let found: Vec<T::AccountId>;

        #[block]
        {
            found = Lending::<T>::liquidatable_positions(id, price, 100)?;
        }

        assert_eq!(found.len(), k as usize);
        Ok(())
    }

    impl_benchmark_test_suite!(
        Lending,
        crate::tests::mock::ExtBuilder::default().build(),
        crate::tests::mock::Test
    );
}
