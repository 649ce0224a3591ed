//! Benchmarks of every call, on their worst paths: deposits priced over `c` held collaterals,
//! withdrawals paying `c` collaterals from a yield market that can pay back only part of the
//! lent stable (a recall and a claim), swaps clamped at the pool's whole holding (the curve
//! inverted by bisection), `redeem` of a claim, and swaps and liquidations measured with `d`
//! depositors set up first — their weight must not grow with `d`.
//!
//! Franchise, score and jar: `bid(b)` with `b` bidders already held in the candle and a full
//! winning set; `settle_epoch(b)` (the epoch-boundary `on_initialize`) releasing `b` bidders,
//! with `MaxSeats` winners, every candle sample recorded and a full old franchise to pay
//! back; `claim(e)` over `e` score entries; the score hooks on a user with a full set of
//! entries (the slashing path for `on_outside_change`); `assigned` walking past every
//! exhausted seat. None of them reads anything per user or per bidder beyond these bounds.

use super::*;
use crate::pallet::*;
use alloc::vec::Vec;
use backstop_primitives::{AssetId, Balance, LendingMarket};
use backstop_primitives::{BackstopMembers, MarketId, ScoreHook, Side};
use frame_benchmarking::v2::*;
use frame_support::{
    pallet_prelude::Get,
    traits::{fungibles::Mutate, EnsureOrigin, Hooks},
    BoundedBTreeMap, BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_arithmetic::{traits::Saturating, FixedU128, Perbill};

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

/// Borrows all but `UNIT` of the yield market's liquidity, if the market exists: a recall
/// then pays only part of the lent stable. Returns the borrower.
fn drain_yield_market<T: Config>() -> Option<T::AccountId> {
    let market = T::YieldMarket::get()?;
    let info = T::Lending::market(market)?;
    let available = T::Lending::available_liquidity(market).unwrap_or_default();
    let borrow = available.saturating_sub(UNIT);
    if borrow == 0 {
        return None;
    }
    let collateral = info.collateral_asset;
    T::BenchmarkHelper::create_asset(collateral);
    T::BenchmarkHelper::set_price(collateral, stable::<T>(), FixedU128::from_u32(2));
    let borrower: T::AccountId = account("borrower", 0, 0);
    let pledged = borrow.saturating_mul(10);
    assert!(T::Assets::mint_into(collateral, &borrower, pledged).is_ok());
    assert!(T::Lending::supply_collateral(&borrower, market, &borrower, pledged).is_ok());
    assert!(T::Lending::borrow(&borrower, market, borrow, &borrower).is_ok());
    Some(borrower)
}

/// Worst-case franchise parameters: every seat and every candle sample, ten blocks a sample.
fn worst_franchise<T: Config>() -> FranchiseParams {
    let samples = T::MaxCandleSamples::get();
    let ending = samples.saturating_mul(10).max(10);
    FranchiseParams {
        epoch_length: ending.saturating_mul(4),
        seats: T::MaxSeats::get(),
        ending_period: ending,
        candle_samples: samples,
        window_length: 10,
        priority_period: 5,
        min_bid: 1,
        min_commitment: 1,
    }
}

fn block<T: Config>(n: BlockNumberFor<T>) {
    frame_system::Pallet::<T>::set_block_number(n);
}

/// Starts an epoch at the current block with the worst-case parameters; returns it.
fn worst_epoch<T: Config>() -> EpochInfo<BlockNumberFor<T>> {
    let params = worst_franchise::<T>();
    FranchiseParameters::<T>::put(params);
    let epoch = Pallet::<T>::new_epoch(0, frame_system::Pallet::<T>::block_number(), params);
    Epoch::<T>::put(epoch);
    epoch
}

/// The first block of candle sample `sample` of `epoch`.
fn sample_block<T: Config>(epoch: &EpochInfo<BlockNumberFor<T>>, sample: u32) -> BlockNumberFor<T> {
    Pallet::<T>::ending_start(epoch).saturating_add(sample.saturating_mul(10).into())
}

/// `b` bidders bid in the candle, in rising amounts, spread over its samples.
fn candle_bidders<T: Config>(epoch: &EpochInfo<BlockNumberFor<T>>, b: u32) {
    let samples = epoch.params.candle_samples;
    for i in 0..b {
        block::<T>(sample_block::<T>(epoch, i.min(samples.saturating_sub(1))));
        let who = funded::<T>("bidder", i);
        let amount = UNIT.saturating_mul(u128::from(i).saturating_add(1));
        assert!(Pallet::<T>::do_bid(&who, amount, UNIT).is_ok());
    }
}

/// A full franchise whose seats all hold `UNIT` except the last, which holds `last`; the
/// vault holds the commitments.
fn full_franchise<T: Config>(last: Balance) -> Vec<T::AccountId> {
    let seats = T::MaxSeats::get();
    let mut members = Vec::new();
    let mut books = BoundedVec::<Seat<T::AccountId>, T::MaxSeats>::new();
    for i in 0..seats {
        let member = funded::<T>("member", i);
        let available = if i.saturating_add(1) == seats {
            last
        } else {
            0
        };
        assert!(books
            .try_push(Seat {
                member: member.clone(),
                committed: UNIT,
                available,
            })
            .is_ok());
        members.push(member);
    }
    Seats::<T>::put(books);
    T::BenchmarkHelper::create_asset(stable::<T>());
    assert!(T::Assets::mint_into(stable::<T>(), &Pallet::<T>::vault_account(), last).is_ok());
    members
}

/// A stream of `UNIT · 1 000` over the next 100 blocks, held in the vault.
fn streaming_jar<T: Config>() {
    let now = frame_system::Pallet::<T>::block_number();
    let stream = UNIT.saturating_mul(1_000);
    T::BenchmarkHelper::create_asset(stable::<T>());
    assert!(T::Assets::mint_into(stable::<T>(), &Pallet::<T>::vault_account(), stream).is_ok());
    Jar::<T>::put(JarState {
        income: 0,
        stream,
        released: 0,
        stream_start: now,
        stream_end: now.saturating_add(100u32.into()),
        updated_at: now,
    });
}

/// The `i`-th (market, side) pair.
fn pair(i: u32) -> (MarketId, Side) {
    let side = match i % 3 {
        0 => Side::Debt,
        1 => Side::Collateral,
        _ => Side::Supply,
    };
    (i / 3, side)
}

/// `who` holds `e` score entries of 1 000 units each, all weighing 1.
fn scored<T: Config>(who: &T::AccountId, e: u32) {
    SharingParameters::<T>::mutate(|p| {
        p.debt_weight = FixedU128::from_u32(1);
        p.collateral_weight = FixedU128::from_u32(1);
        p.supply_weight = FixedU128::from_u32(1);
    });
    ensure_markets::<T>(pair(e.saturating_sub(1)).0);
    for i in 0..e {
        let (market, side) = pair(i);
        Pallet::<T>::update_balance(who, market, side, UNIT, false);
    }
}

/// Makes lending markets `0..=last` exist where the runtime has none (each lending the stable
/// asset against a benchmark collateral), with the benchmark collaterals priced: score books
/// read their market and, for collateral, the oracle.
fn ensure_markets<T: Config>(last: MarketId) {
    T::BenchmarkHelper::create_asset(stable::<T>());
    for market in 0..=last {
        let collateral = T::BenchmarkHelper::collateral_asset(market);
        T::BenchmarkHelper::create_asset(collateral);
        T::BenchmarkHelper::set_price(collateral, stable::<T>(), FixedU128::from_u32(2));
        if T::Lending::market(market).is_none() {
            // A runtime at its market bound leaves the pair unpriced (a lighter path).
            let _ = T::BenchmarkHelper::create_market(stable::<T>(), collateral);
        }
    }
}

fn advance<T: Config>(blocks: u32) {
    let now = frame_system::Pallet::<T>::block_number();
    block::<T>(now.saturating_add(blocks.into()));
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
        let drained = drain_yield_market::<T>().is_some();

        #[extrinsic_call]
        _(RawOrigin::Signed(caller.clone()), shares);

        assert!(SharesOf::<T>::get(&caller).is_none());
        assert_eq!(LentClaims::<T>::get(&caller).is_some(), drained);
    }

    #[benchmark]
    fn redeem() -> Result<(), BenchmarkError> {
        lend_max::<T>();
        seed_depositors::<T>(1);
        let caller = funded::<T>("caller", 0);
        assert!(Pallet::<T>::do_deposit(&caller, DEPOSIT).is_ok());
        let shares = Pallet::<T>::shares_of(&caller);
        let borrower = drain_yield_market::<T>().ok_or(BenchmarkError::Weightless)?;
        assert!(Pallet::<T>::do_withdraw(&caller, shares).is_ok());
        // The borrower repays: the claim is paid in full.
        let market = T::YieldMarket::get().ok_or(BenchmarkError::Weightless)?;
        assert!(T::Assets::mint_into(stable::<T>(), &borrower, 1_000_000 * UNIT).is_ok());
        assert!(T::Lending::repay(&borrower, market, &borrower, Balance::MAX).is_ok());

        #[extrinsic_call]
        _(RawOrigin::Signed(caller.clone()));

        assert!(LentClaims::<T>::get(&caller).is_none());
        Ok(())
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

        // Offers far more than the whole holding costs: the output is clamped and the charge
        // found by bisection over the curve.
        #[extrinsic_call]
        _(RawOrigin::Signed(caller), asset, 100_000 * UNIT, 1);

        let held_after = Collaterals::<T>::get()
            .get(&asset)
            .copied()
            .unwrap_or_default();
        assert!(held_before > 0 && held_after == 0);
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

    /// `n` positions liquidated in full (each with bad debt, in its own index bucket, at the
    /// top of an index with a healthy neighbour below) and `s` healthy ones skipped, the
    /// caller's fee on.
    #[benchmark]
    fn liquidate_many(
        // Each up to half the bound, so that every combination fits one batch.
        n: Linear<1, { T::MaxLiquidationBatch::get().saturating_div(2) }>,
        s: Linear<0, { T::MaxLiquidationBatch::get().saturating_div(2) }>,
    ) {
        Params::<T>::mutate(|p| {
            p.lend_fraction = Perbill::zero();
            p.caller_fee_bps = PoolParams::MAX_CALLER_FEE_BPS;
        });
        let depositor = funded::<T>("depositor", 0);
        assert!(Pallet::<T>::do_deposit(&depositor, 500_000 * UNIT).is_ok());
        let collateral = T::BenchmarkHelper::collateral_asset(0);
        T::BenchmarkHelper::create_asset(collateral);
        T::BenchmarkHelper::set_price(collateral, stable::<T>(), FixedU128::from_u32(2));
        let market = T::BenchmarkHelper::create_market(stable::<T>(), collateral);
        let lender = funded::<T>("lender", 0);
        assert!(T::Lending::supply(&lender, market, &lender, 500_000 * UNIT).is_ok());
        let open = |name: &'static str, i: u32, debt: Balance| -> T::AccountId {
            let who: T::AccountId = account(name, i, 0);
            assert!(T::Assets::mint_into(collateral, &who, 1_000 * UNIT).is_ok());
            assert!(T::Lending::supply_collateral(&who, market, &who, 1_000 * UNIT).is_ok());
            assert!(T::Lending::borrow(&who, market, debt, &who).is_ok());
            who
        };
        // The neighbour below the batch, then the batch (owing 1000 + i: one bucket each),
        // then the healthy positions the batch skips.
        open("neighbour", 0, 900 * UNIT);
        let mut borrowers = Vec::new();
        for i in 0..n {
            borrowers.push(open(
                "borrower",
                i,
                1_000u128
                    .saturating_add(Balance::from(i))
                    .saturating_mul(UNIT),
            ));
        }
        for i in 0..s {
            borrowers.push(open("healthy", i, 10 * UNIT));
        }
        // Halve the price: the batch's positions owe more than their collateral is worth.
        T::BenchmarkHelper::set_price(collateral, stable::<T>(), FixedU128::from_u32(1));
        let caller = funded::<T>("keeper", 0);
        let borrowers: BoundedVec<_, T::MaxLiquidationBatch> =
            borrowers.try_into().unwrap_or_default();
        let reserve_before = StableReserve::<T>::get();

        #[extrinsic_call]
        _(RawOrigin::Signed(caller), market, borrowers);

        assert!(StableReserve::<T>::get() < reserve_before);
        assert!(Collaterals::<T>::get().contains_key(&collateral));
    }

    /// One market of the same-block sweep with `n` liquidatable positions (each in its own
    /// bucket): the index query and the batch liquidation of all `n`.
    #[benchmark]
    fn sweep_market(n: Linear<1, { T::MaxLiquidationBatch::get() }>) {
        Params::<T>::mutate(|p| p.lend_fraction = Perbill::zero());
        SweepCap::<T>::put(n);
        let depositor = funded::<T>("depositor", 0);
        assert!(Pallet::<T>::do_deposit(&depositor, 500_000 * UNIT).is_ok());
        let collateral = T::BenchmarkHelper::collateral_asset(0);
        T::BenchmarkHelper::create_asset(collateral);
        T::BenchmarkHelper::set_price(collateral, stable::<T>(), FixedU128::from_u32(2));
        let market = T::BenchmarkHelper::create_market(stable::<T>(), collateral);
        let lender = funded::<T>("lender", 0);
        assert!(T::Lending::supply(&lender, market, &lender, 500_000 * UNIT).is_ok());
        let mut borrowers = Vec::new();
        for i in 0..n {
            let who: T::AccountId = account("borrower", i, 0);
            assert!(T::Assets::mint_into(collateral, &who, 1_000 * UNIT).is_ok());
            assert!(T::Lending::supply_collateral(&who, market, &who, 1_000 * UNIT).is_ok());
            let debt = 1_000u128
                .saturating_add(Balance::from(i))
                .saturating_mul(UNIT);
            assert!(T::Lending::borrow(&who, market, debt, &who).is_ok());
            borrowers.push(who);
        }
        T::BenchmarkHelper::set_price(collateral, stable::<T>(), FixedU128::from_u32(1));

        #[block]
        {
            assert_eq!(
                Pallet::<T>::sweep_one(market, n),
                Ok(n >= SweepCap::<T>::get())
            );
        }

        for who in &borrowers {
            assert!(T::Lending::position(market, who).map(|p| p.borrow_assets) == Ok(0));
        }
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

    #[benchmark]
    fn bid(b: Linear<1, { T::MaxBidders::get() }>) {
        let epoch = worst_epoch::<T>();
        candle_bidders::<T>(&epoch, b);
        // The new bid lands in the last sample, beats the whole set and drops its lowest; at
        // `b = MaxBidders` the auction is full and it displaces the lowest standing bid (the
        // worst case: every live bid is read).
        let last = epoch.params.candle_samples.saturating_sub(1);
        block::<T>(sample_block::<T>(&epoch, last).saturating_add(1u32.into()));
        let caller = funded::<T>("caller", 0);
        let amount = UNIT.saturating_mul(1_000);

        #[extrinsic_call]
        _(RawOrigin::Signed(caller.clone()), amount, UNIT);

        assert_eq!(
            Winning::<T>::get().first().map(|w| w.bidder.clone()),
            Some(caller)
        );
        if b == T::MaxBidders::get() {
            let lowest: T::AccountId = account("bidder", 0, 0);
            assert!(Refunds::<T>::get(&lowest).is_some());
        }
    }

    #[benchmark]
    fn settle_epoch(b: Linear<0, { T::MaxBidders::get() }>) {
        let epoch = worst_epoch::<T>();
        full_franchise::<T>(UNIT);
        candle_bidders::<T>(&epoch, b);
        // Every sample recorded, so settlement clears them all.
        let winning = Winning::<T>::get();
        let samples: Vec<u32> = (0..epoch.params.candle_samples).collect();
        for sample in samples.iter() {
            CandleSnapshots::<T>::insert(sample, winning.clone());
        }
        CandleSamples::<T>::put(BoundedVec::truncate_from(samples));
        CandleStart::<T>::put(winning);
        streaming_jar::<T>();
        block::<T>(epoch.end);

        #[block]
        {
            Pallet::<T>::on_initialize(epoch.end);
        }

        assert_eq!(Epoch::<T>::get().map(|e| e.index), Some(1));
        assert_eq!(BidderCount::<T>::get(), 0);
    }

    #[benchmark]
    fn claim(e: Linear<1, { T::MaxUserEntries::get() }>) {
        worst_epoch::<T>();
        let caller = funded::<T>("caller", 0);
        scored::<T>(&caller, e);
        streaming_jar::<T>();
        advance::<T>(50);

        #[extrinsic_call]
        _(RawOrigin::Signed(caller.clone()));

        assert_eq!(UserScores::<T>::get(&caller).map(|s| s.accrued), Some(0));
    }

    #[benchmark]
    fn withdraw_refund() {
        let caller = funded::<T>("caller", 0);
        assert!(T::Assets::mint_into(stable::<T>(), &Pallet::<T>::vault_account(), UNIT).is_ok());
        Refunds::<T>::insert(&caller, UNIT);

        #[extrinsic_call]
        _(RawOrigin::Signed(caller.clone()));

        assert!(Refunds::<T>::get(&caller).is_none());
    }

    #[benchmark]
    fn set_franchise_params() -> Result<(), BenchmarkError> {
        let params = worst_franchise::<T>();
        let origin =
            T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

        #[extrinsic_call]
        _(origin as T::RuntimeOrigin, params);

        assert_eq!(FranchiseParameters::<T>::get(), params);
        Ok(())
    }

    #[benchmark]
    fn set_sharing_params() -> Result<(), BenchmarkError> {
        let params = SharingParams {
            user_share: SharingParams::MAX_USER_SHARE,
            ..Default::default()
        };
        let origin =
            T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

        #[extrinsic_call]
        _(origin as T::RuntimeOrigin, params);

        assert_eq!(SharingParameters::<T>::get(), params);
        Ok(())
    }

    #[benchmark]
    fn set_score_weight() -> Result<(), BenchmarkError> {
        worst_epoch::<T>();
        let user = funded::<T>("user", 0);
        scored::<T>(&user, 2);
        streaming_jar::<T>();
        advance::<T>(50);
        let origin =
            T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
        // The collateral side: its price is read from the oracle.
        let (market, side) = pair(1);

        #[extrinsic_call]
        _(
            origin as T::RuntimeOrigin,
            market,
            side,
            FixedU128::from_u32(2),
        );

        assert_eq!(
            ScoreBooks::<T>::get((market, side)).map(|b| b.weight),
            Some(FixedU128::from_u32(2))
        );
        Ok(())
    }

    #[benchmark]
    fn on_balance_changed() {
        worst_epoch::<T>();
        let user = funded::<T>("user", 0);
        let e = T::MaxUserEntries::get();
        scored::<T>(&user, e);
        streaming_jar::<T>();
        advance::<T>(50);
        let (market, side) = pair(e.saturating_sub(1));

        #[block]
        {
            <Pallet<T> as ScoreHook<T::AccountId>>::on_balance_changed(
                &user,
                market,
                side,
                UNIT.saturating_mul(2),
            );
        }

        assert_eq!(
            ScoreBooks::<T>::get((market, side)).map(|b| b.total),
            Some(UNIT.saturating_mul(2))
        );
    }

    #[benchmark]
    fn on_outside_change() {
        worst_epoch::<T>();
        let user = funded::<T>("user", 0);
        let e = T::MaxUserEntries::get();
        scored::<T>(&user, e);
        streaming_jar::<T>();
        advance::<T>(50);
        let (market, side) = pair(e.saturating_sub(1));
        // A sync half way, then the fall outside the avatar: the slashing path.
        Pallet::<T>::update_balance(&user, market, side, UNIT, false);
        advance::<T>(25);

        #[block]
        {
            <Pallet<T> as ScoreHook<T::AccountId>>::on_outside_change(&user, market, side, 1);
        }

        assert_eq!(
            ScoreBooks::<T>::get((market, side)).map(|b| b.total),
            Some(1)
        );
    }

    #[benchmark]
    fn draw_commitment() {
        let members = full_franchise::<T>(UNIT);
        let member = members
            .last()
            .cloned()
            .unwrap_or_else(|| account("none", 0, 0));
        let to: T::AccountId = account("to", 0, 0);

        #[block]
        {
            assert!(
                <Pallet<T> as BackstopMembers<T::AccountId, BlockNumberFor<T>>>::draw_commitment(
                    &member, UNIT, &to
                )
                .is_ok()
            );
        }

        assert_eq!(Seats::<T>::get().last().map(|s| s.available), Some(0));
    }

    #[benchmark]
    fn return_to_commitment() {
        let members = full_franchise::<T>(UNIT);
        let member = members
            .last()
            .cloned()
            .unwrap_or_else(|| account("none", 0, 0));
        let from = funded::<T>("from", 0);

        #[block]
        {
            assert!(
                <Pallet<T> as BackstopMembers<T::AccountId, BlockNumberFor<T>>>::return_to_commitment(
                    &member, UNIT, &from
                )
                .is_ok()
            );
        }

        assert_eq!(
            Seats::<T>::get().last().map(|s| s.available),
            Some(UNIT.saturating_mul(2))
        );
    }

    #[benchmark]
    fn assigned() {
        worst_epoch::<T>();
        // Every seat but the last is exhausted: the walk visits them all for some positions.
        full_franchise::<T>(UNIT);
        let position: T::AccountId = account("position", 0, 0);
        let result;

        #[block]
        {
            result = Pallet::<T>::assignment(0, &position);
        }

        assert!(matches!(
            result.assignee,
            backstop_primitives::Assignee::Member(_)
        ));
    }

    #[benchmark]
    fn deposit_income() {
        let from = funded::<T>("from", 0);

        #[block]
        {
            assert!(Pallet::<T>::do_deposit_income(&from, UNIT, IncomeSource::Liquidation).is_ok());
        }

        assert_eq!(Jar::<T>::get().income, UNIT);
    }

    impl_benchmark_test_suite!(
        Pallet,
        crate::tests::mock::new_bench_ext(),
        crate::tests::mock::Test
    );
}
