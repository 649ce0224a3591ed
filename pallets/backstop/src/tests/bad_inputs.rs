//! The bad-input table (issue 16 item 2, mechanisms §8): every extrinsic of the pallet with
//! its bad inputs — zero, `u128::MAX`, 2^127, unknown market, asset or account, another
//! user's shares, reward or refund, the wrong origin, duplicates (bid twice lower, claim
//! twice, withdraw_refund twice), stale prices, amounts above what is owned, `min_out` above
//! the quote — each with the specific error it must get and no change to storage (state root
//! before and after, which covers `System::events` too).
//!
//! Each row is `row(name, setup, call, expected)`, run on a fresh genesis: `setup` builds the
//! state, then `call` must fail with `expected` and leave the state root as it was.

use super::{mock::*, open_eth_position, pool_holds_eth};
use crate::{Error, FranchiseParams, PoolParams, RebalanceParams, SharesOf, SharingParams};
use backstop_primitives::{RewardJar, ScoreHook, Side};
use frame_support::assert_ok;
use pallet_lending::Error as LendingError;
use sp_arithmetic::{FixedU128, Perbill};
use sp_runtime::{DispatchError, DispatchResult, StateVersion};

/// 2^127.
const HALF: u128 = 1 << 127;
/// An account with nothing.
const NOBODY: AccountId = 999;
/// A market id no market has.
const NO_MARKET: backstop_primitives::MarketId = 99;
/// An asset id no asset has.
const NO_ASSET: backstop_primitives::AssetId = 77;

/// One bad input: a short name, the state it needs, the call and the error it must get.
pub struct Case {
    name: &'static str,
    setup: fn(),
    call: fn() -> DispatchResult,
    expected: DispatchError,
}

fn row(
    name: &'static str,
    setup: fn(),
    call: fn() -> DispatchResult,
    expected: impl Into<DispatchError>,
) -> Case {
    Case {
        name,
        setup,
        call,
        expected: expected.into(),
    }
}

/// Runs `call`: it must fail with `expected` and leave the state root unchanged (the
/// `Err` says how it did not).
pub fn assert_rejected(
    call: impl FnOnce() -> DispatchResult,
    expected: DispatchError,
) -> Result<(), String> {
    let before = sp_io::storage::root(StateVersion::V1);
    let result = call();
    let after = sp_io::storage::root(StateVersion::V1);
    if result != Err(expected) {
        return Err(format!("expected {expected:?}, got {result:?}"));
    }
    if before != after {
        return Err("storage changed".into());
    }
    Ok(())
}

/// Runs every case on a fresh genesis and reports all failures at once.
fn run(cases: Vec<Case>) {
    let total = cases.len();
    let mut failures = Vec::new();
    for case in cases {
        ExtBuilder::default().build_and_execute(|| {
            (case.setup)();
            if let Err(e) = assert_rejected(case.call, case.expected) {
                failures.push(format!("{}: {e}", case.name));
            }
        });
    }
    assert!(
        failures.is_empty(),
        "{} of {total} bad-input cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ------------------------------------------------------------------------------------------
// States
// ------------------------------------------------------------------------------------------

fn signed(who: AccountId) -> RuntimeOrigin {
    RuntimeOrigin::signed(who)
}
fn none() -> RuntimeOrigin {
    RuntimeOrigin::none()
}
fn root() -> RuntimeOrigin {
    RuntimeOrigin::root()
}
/// The mock's emergency origin (tighten only).
fn emergency() -> RuntimeOrigin {
    RuntimeOrigin::signed(EMERGENCY)
}
fn nothing() {}

/// The sweep (and with it the keeper worker) switched off by governance.
fn sweep_off() {
    assert_ok!(Backstop::set_sweep_cap(root(), 0));
}

/// The default rebalance parameters, changed by `f`.
fn rebalance(f: impl FnOnce(&mut RebalanceParams)) -> RebalanceParams {
    let mut params = RebalanceParams::default();
    f(&mut params);
    params
}

/// The pool holds 5 ETH; a trigger of 1 % makes that too much (no DEX pool for ETH).
fn pool_over_trigger() {
    pool_holds_eth();
    assert_ok!(Backstop::set_rebalance_params(
        root(),
        rebalance(|p| {
            p.trigger = Perbill::from_percent(1);
            p.target = Perbill::zero();
        })
    ));
}

/// [`pool_over_trigger`], a fair DEX, and then the ETH price goes stale.
fn stale_pool_over_trigger() {
    pool_over_trigger();
    seed_dex(ETH, 1_000 * UNIT, 1_800_000 * UNIT);
    advance_time(PoolParams::default().max_price_age + 1);
}
/// A batch of positions for `liquidate_many`.
fn batch(
    list: &[AccountId],
) -> frame_support::BoundedVec<AccountId, frame_support::traits::ConstU32<64>> {
    frame_support::BoundedVec::truncate_from(list.to_vec())
}
/// A call's result without its post-dispatch info (the table compares errors only).
fn no_info(result: frame_support::dispatch::DispatchResultWithPostInfo) -> DispatchResult {
    result.map(|_| ()).map_err(|e| e.error)
}
/// ALICE's pool shares.
fn shares(who: AccountId) -> u128 {
    SharesOf::<Test>::get(who).unwrap_or_default()
}
fn alice_deposits() {
    deposit(ALICE, 100_000 * UNIT);
}
fn withdrew_all() {
    alice_deposits();
    assert_ok!(Backstop::withdraw(signed(ALICE), shares(ALICE)));
}
/// The pool's prices are older than `max_price_age`.
fn stale() {
    advance_time(PoolParams::default().max_price_age + 1);
}
fn holds_eth_stale() {
    pool_holds_eth();
    stale();
}
/// BORROWER_1's ETH position unhealthy (ETH at 1 800), the pool funded.
fn unhealthy() {
    alice_deposits();
    open_eth_position(BORROWER_1);
    feed_usd(ETH, super::CRASH_PRICE);
}
fn unhealthy_no_stable() {
    open_eth_position(BORROWER_1);
    feed_usd(ETH, super::CRASH_PRICE);
}
fn unhealthy_stale() {
    unhealthy();
    stale();
}
fn healthy() {
    alice_deposits();
    open_eth_position(BORROWER_1);
}
fn alice_bids() {
    assert_ok!(Backstop::bid(signed(ALICE), 10 * UNIT, 10 * UNIT));
}
/// Three seats taken by bids of 10.
fn seats_full() {
    for who in [ALICE, BOB, CHARLIE] {
        assert_ok!(Backstop::bid(signed(who), 10 * UNIT, 10 * UNIT));
    }
}
/// The epoch's last block has passed and the auction awaits settlement.
fn auction_over() {
    System::set_block_number(100);
}
/// ALICE has a claimable reward (income streamed over epoch 1).
fn alice_earns() {
    <Backstop as ScoreHook<AccountId>>::on_balance_changed(&ALICE, ETH_MARKET, Side::Debt, 1_000);
    assert_ok!(<Backstop as RewardJar<AccountId>>::deposit_income(
        &KEEPER,
        1_000 * UNIT
    ));
    run_to_block(200);
}
fn alice_claimed() {
    alice_earns();
    assert_ok!(Backstop::claim(signed(ALICE)));
}
/// ALICE's release, outbid while her account was blocked, waits in `Refunds`.
fn alice_has_refund() {
    for (who, amount) in [(ALICE, 10), (BOB, 20), (CHARLIE, 30)] {
        assert_ok!(Backstop::bid(signed(who), amount * UNIT, 10 * UNIT));
    }
    assert_ok!(Assets::block(signed(ADMIN), USD, ALICE));
    assert_ok!(Backstop::bid(signed(DAVE), 40 * UNIT, 10 * UNIT));
    assert_ok!(Assets::thaw(signed(ADMIN), USD, ALICE));
}
fn refund_withdrawn() {
    alice_has_refund();
    assert_ok!(Backstop::withdraw_refund(signed(ALICE)));
}
fn pool(change: fn(&mut PoolParams)) -> PoolParams {
    let mut p = PoolParams::default();
    change(&mut p);
    p
}
fn franchise(change: fn(&mut FranchiseParams)) -> FranchiseParams {
    let mut p = test_franchise();
    change(&mut p);
    p
}
fn sharing(change: fn(&mut SharingParams)) -> SharingParams {
    let mut p = SharingParams::default();
    change(&mut p);
    p
}
fn too_heavy() -> FixedU128 {
    SharingParams::MAX_WEIGHT + FixedU128::from_inner(1)
}

// ------------------------------------------------------------------------------------------
// The table
// ------------------------------------------------------------------------------------------

#[rustfmt::skip]
fn cases() -> Vec<Case> {
    use DispatchError::BadOrigin;
    vec![
        // deposit
        row("deposit: unsigned", nothing, || Backstop::deposit(none(), UNIT), BadOrigin),
        row("deposit: root", nothing, || Backstop::deposit(root(), UNIT), BadOrigin),
        row("deposit: zero", nothing, || Backstop::deposit(signed(ALICE), 0), Error::<Test>::ZeroAmount),
        row("deposit: u128::MAX", nothing, || Backstop::deposit(signed(ALICE), u128::MAX), Error::<Test>::InsufficientBalance),
        row("deposit: 2^127", nothing, || Backstop::deposit(signed(ALICE), HALF), Error::<Test>::InsufficientBalance),
        row("deposit: above balance", nothing, || Backstop::deposit(signed(ALICE), INITIAL + 1), Error::<Test>::InsufficientBalance),
        row("deposit: nothing to pay with", nothing, || Backstop::deposit(signed(NOBODY), UNIT), Error::<Test>::InsufficientBalance),
        row("deposit: first deposit below the locked minimum", nothing, || Backstop::deposit(signed(ALICE), 1), Error::<Test>::DepositTooSmall),
        row("deposit: stale collateral price", holds_eth_stale, || Backstop::deposit(signed(BOB), 1_000 * UNIT), Error::<Test>::OracleStale),
        // withdraw
        row("withdraw: unsigned", alice_deposits, || Backstop::withdraw(none(), UNIT), BadOrigin),
        row("withdraw: zero", alice_deposits, || Backstop::withdraw(signed(ALICE), 0), Error::<Test>::ZeroAmount),
        row("withdraw: no shares", alice_deposits, || Backstop::withdraw(signed(BOB), UNIT), Error::<Test>::InsufficientShares),
        row("withdraw: another user's shares", alice_deposits, || Backstop::withdraw(signed(BOB), shares(ALICE)), Error::<Test>::InsufficientShares),
        row("withdraw: above held", alice_deposits, || Backstop::withdraw(signed(ALICE), shares(ALICE) + 1), Error::<Test>::InsufficientShares),
        row("withdraw: u128::MAX", alice_deposits, || Backstop::withdraw(signed(ALICE), u128::MAX), Error::<Test>::InsufficientShares),
        row("withdraw: 2^127", alice_deposits, || Backstop::withdraw(signed(ALICE), HALF), Error::<Test>::InsufficientShares),
        row("withdraw: twice", withdrew_all, || Backstop::withdraw(signed(ALICE), UNIT), Error::<Test>::InsufficientShares),
        row("withdraw: dust shares", alice_deposits, || Backstop::withdraw(signed(ALICE), 1), Error::<Test>::NothingToWithdraw),
        // redeem
        row("redeem: unsigned", nothing, || Backstop::redeem(none()), BadOrigin),
        row("redeem: no claim", alice_deposits, || Backstop::redeem(signed(ALICE)), Error::<Test>::NoClaim),
        // swap
        row("swap: unsigned", pool_holds_eth, || Backstop::swap(none(), ETH, 1_000 * UNIT, 0), BadOrigin),
        row("swap: zero", pool_holds_eth, || Backstop::swap(signed(BOB), ETH, 0, 0), Error::<Test>::ZeroAmount),
        row("swap: u128::MAX", pool_holds_eth, || Backstop::swap(signed(BOB), ETH, u128::MAX, 0), Error::<Test>::InsufficientBalance),
        row("swap: 2^127", pool_holds_eth, || Backstop::swap(signed(BOB), ETH, HALF, 0), Error::<Test>::InsufficientBalance),
        row("swap: above balance", pool_holds_eth, || Backstop::swap(signed(BOB), ETH, INITIAL + 1, 0), Error::<Test>::InsufficientBalance),
        row("swap: unknown asset", pool_holds_eth, || Backstop::swap(signed(BOB), NO_ASSET, 1_000 * UNIT, 0), Error::<Test>::UnknownCollateral),
        row("swap: asset the pool does not hold", pool_holds_eth, || Backstop::swap(signed(BOB), BTC, 1_000 * UNIT, 0), Error::<Test>::UnknownCollateral),
        row("swap: the stable asset", pool_holds_eth, || Backstop::swap(signed(BOB), USD, 1_000 * UNIT, 0), Error::<Test>::UnknownCollateral),
        row("swap: min_out above the quote", pool_holds_eth, || Backstop::swap(signed(BOB), ETH, 1_000 * UNIT, UNIT), Error::<Test>::Slippage),
        row("swap: min_out u128::MAX", pool_holds_eth, || Backstop::swap(signed(BOB), ETH, 1_000 * UNIT, u128::MAX), Error::<Test>::Slippage),
        row("swap: dust", pool_holds_eth, || Backstop::swap(signed(BOB), ETH, 1, 0), Error::<Test>::SwapTooSmall),
        row("swap: stale price", holds_eth_stale, || Backstop::swap(signed(BOB), ETH, 1_000 * UNIT, 0), Error::<Test>::OracleStale),
        // liquidate
        row("liquidate: unsigned", unhealthy, || Backstop::liquidate(none(), ETH_MARKET, BORROWER_1, super::SEIZED), BadOrigin),
        row("liquidate: zero", unhealthy, || Backstop::liquidate(signed(KEEPER), ETH_MARKET, BORROWER_1, 0), Error::<Test>::ZeroAmount),
        row("liquidate: unknown market", unhealthy, || Backstop::liquidate(signed(KEEPER), NO_MARKET, BORROWER_1, super::SEIZED), Error::<Test>::UnknownMarket),
        row("liquidate: market not lending stable", unhealthy, || Backstop::liquidate(signed(KEEPER), ETH_LOAN_MARKET, BORROWER_1, super::SEIZED), Error::<Test>::NotStableMarket),
        row("liquidate: unknown borrower", unhealthy, || Backstop::liquidate(signed(KEEPER), ETH_MARKET, NOBODY, super::SEIZED), Error::<Test>::SeizeExceedsCollateral),
        row("liquidate: above the collateral", unhealthy, || Backstop::liquidate(signed(KEEPER), ETH_MARKET, BORROWER_1, 10 * UNIT + 1), Error::<Test>::SeizeExceedsCollateral),
        row("liquidate: u128::MAX", unhealthy, || Backstop::liquidate(signed(KEEPER), ETH_MARKET, BORROWER_1, u128::MAX), Error::<Test>::SeizeExceedsCollateral),
        row("liquidate: 2^127", unhealthy, || Backstop::liquidate(signed(KEEPER), ETH_MARKET, BORROWER_1, HALF), Error::<Test>::SeizeExceedsCollateral),
        row("liquidate: healthy", healthy, || Backstop::liquidate(signed(KEEPER), ETH_MARKET, BORROWER_1, super::SEIZED), LendingError::<Test>::PositionHealthy),
        row("liquidate: pool without stable", unhealthy_no_stable, || Backstop::liquidate(signed(KEEPER), ETH_MARKET, BORROWER_1, super::SEIZED), Error::<Test>::InsufficientStable),
        row("liquidate: stale price", unhealthy_stale, || Backstop::liquidate(signed(KEEPER), ETH_MARKET, BORROWER_1, super::SEIZED), Error::<Test>::OracleStale),
        // liquidate_many: only batch-wide reasons fail it (a position that cannot be
        // liquidated is skipped, see tests/liquidate.rs)
        row("liquidate_many: unsigned", unhealthy, || no_info(Backstop::liquidate_many(none(), ETH_MARKET, batch(&[BORROWER_1]))), BadOrigin),
        row("liquidate_many: unknown market", unhealthy, || no_info(Backstop::liquidate_many(signed(KEEPER), NO_MARKET, batch(&[BORROWER_1]))), Error::<Test>::UnknownMarket),
        row("liquidate_many: market not lending stable", unhealthy, || no_info(Backstop::liquidate_many(signed(KEEPER), ETH_LOAN_MARKET, batch(&[BORROWER_1]))), Error::<Test>::NotStableMarket),
        row("liquidate_many: stale price", unhealthy_stale, || no_info(Backstop::liquidate_many(signed(KEEPER), ETH_MARKET, batch(&[BORROWER_1]))), Error::<Test>::OracleStale),
        // set_sweep_cap
        row("set_sweep_cap: signed", nothing, || Backstop::set_sweep_cap(signed(ALICE), 8), BadOrigin),
        row("set_sweep_cap: unsigned", nothing, || Backstop::set_sweep_cap(none(), 8), BadOrigin),
        row("set_sweep_cap: above MaxLiquidationBatch", nothing, || Backstop::set_sweep_cap(root(), 65), Error::<Test>::SweepCapOutOfBounds),
        row("set_sweep_cap: u32::MAX", nothing, || Backstop::set_sweep_cap(root(), u32::MAX), Error::<Test>::SweepCapOutOfBounds),
        row("set_sweep_cap: emergency raises it", nothing, || Backstop::set_sweep_cap(emergency(), 17), Error::<Test>::EmergencyCannotLoosen),
        row("set_sweep_cap: emergency above MaxLiquidationBatch", nothing, || Backstop::set_sweep_cap(emergency(), 65), Error::<Test>::SweepCapOutOfBounds),
        // set_params
        row("set_params: signed", nothing, || Backstop::set_params(signed(ALICE), PoolParams::default()), BadOrigin),
        row("set_params: unsigned", nothing, || Backstop::set_params(none(), PoolParams::default()), BadOrigin),
        row("set_params: amplification too low", nothing, || Backstop::set_params(root(), pool(|p| p.amplification = 19)), Error::<Test>::AmplificationOutOfBounds),
        row("set_params: amplification too high", nothing, || Backstop::set_params(root(), pool(|p| p.amplification = 201)), Error::<Test>::AmplificationOutOfBounds),
        row("set_params: fee too high", nothing, || Backstop::set_params(root(), pool(|p| p.fee_bps = 101)), Error::<Test>::FeeOutOfBounds),
        row("set_params: fee u32::MAX", nothing, || Backstop::set_params(root(), pool(|p| p.fee_bps = u32::MAX)), Error::<Test>::FeeOutOfBounds),
        row("set_params: discount too high", nothing, || Backstop::set_params(root(), pool(|p| p.max_discount_bps = 1_001)), Error::<Test>::MaxDiscountOutOfBounds),
        row("set_params: price age too short", nothing, || Backstop::set_params(root(), pool(|p| p.max_price_age = 59_999)), Error::<Test>::PriceAgeOutOfBounds),
        row("set_params: price age too long", nothing, || Backstop::set_params(root(), pool(|p| p.max_price_age = 86_400_001)), Error::<Test>::PriceAgeOutOfBounds),
        row("set_params: caller fee too high", nothing, || Backstop::set_params(root(), pool(|p| p.caller_fee_bps = 101)), Error::<Test>::CallerFeeOutOfBounds),
        row("set_params: lend fraction too high", nothing, || Backstop::set_params(root(), pool(|p| p.lend_fraction = Perbill::from_percent(91))), Error::<Test>::LendFractionOutOfBounds),
        row("set_params: emergency raises the discount", nothing, || Backstop::set_params(emergency(), pool(|p| p.max_discount_bps += 1)), Error::<Test>::EmergencyCannotLoosen),
        row("set_params: emergency lengthens the price age", nothing, || Backstop::set_params(emergency(), pool(|p| p.max_price_age += 1)), Error::<Test>::EmergencyCannotLoosen),
        row("set_params: emergency lends more", nothing, || Backstop::set_params(emergency(), pool(|p| p.lend_fraction = Perbill::from_percent(1))), Error::<Test>::EmergencyCannotLoosen),
        row("set_params: emergency changes amplification", nothing, || Backstop::set_params(emergency(), pool(|p| p.amplification = 21)), Error::<Test>::EmergencyCannotLoosen),
        row("set_params: emergency changes the fee", nothing, || Backstop::set_params(emergency(), pool(|p| p.fee_bps = 1)), Error::<Test>::EmergencyCannotLoosen),
        row("set_params: emergency changes the caller fee", nothing, || Backstop::set_params(emergency(), pool(|p| p.caller_fee_bps = 1)), Error::<Test>::EmergencyCannotLoosen),
        row("set_params: emergency out of bounds", nothing, || Backstop::set_params(emergency(), pool(|p| p.max_discount_bps = 1_001)), Error::<Test>::MaxDiscountOutOfBounds),
        // bid
        row("bid: unsigned", nothing, || Backstop::bid(none(), 10 * UNIT, 10 * UNIT), BadOrigin),
        row("bid: zero amount", nothing, || Backstop::bid(signed(ALICE), 0, 10 * UNIT), Error::<Test>::BidTooLow),
        row("bid: zero commitment", nothing, || Backstop::bid(signed(ALICE), 10 * UNIT, 0), Error::<Test>::CommitmentTooLow),
        row("bid: u128::MAX", nothing, || Backstop::bid(signed(ALICE), u128::MAX, 10 * UNIT), Error::<Test>::AmountTooLarge),
        row("bid: u128::MAX commitment", nothing, || Backstop::bid(signed(ALICE), 10 * UNIT, u128::MAX), Error::<Test>::AmountTooLarge),
        row("bid: 2^127 twice", nothing, || Backstop::bid(signed(ALICE), HALF, HALF), Error::<Test>::AmountTooLarge),
        row("bid: above balance", nothing, || Backstop::bid(signed(ALICE), INITIAL, UNIT), Error::<Test>::InsufficientBalance),
        row("bid: nothing to pay with", nothing, || Backstop::bid(signed(NOBODY), 10 * UNIT, 10 * UNIT), Error::<Test>::InsufficientBalance),
        row("bid: twice, lower", alice_bids, || Backstop::bid(signed(ALICE), 9 * UNIT, 10 * UNIT), Error::<Test>::BidNotRaised),
        row("bid: twice, the same", alice_bids, || Backstop::bid(signed(ALICE), 10 * UNIT, 10 * UNIT), Error::<Test>::BidNotRaised),
        row("bid: twice, commitment lowered", alice_bids, || Backstop::bid(signed(ALICE), 20 * UNIT, 9 * UNIT), Error::<Test>::BidNotRaised),
        row("bid: below the winning set", seats_full, || Backstop::bid(signed(DAVE), 5 * UNIT, 10 * UNIT), Error::<Test>::BidBelowWinning),
        row("bid: auction closed", auction_over, || Backstop::bid(signed(ALICE), 10 * UNIT, 10 * UNIT), Error::<Test>::AuctionClosed),
        // claim
        row("claim: unsigned", alice_earns, || Backstop::claim(none()), BadOrigin),
        row("claim: no score", nothing, || Backstop::claim(signed(ALICE)), Error::<Test>::NothingToClaim),
        row("claim: another user's reward", alice_earns, || Backstop::claim(signed(BOB)), Error::<Test>::NothingToClaim),
        row("claim: twice", alice_claimed, || Backstop::claim(signed(ALICE)), Error::<Test>::NothingToClaim),
        // withdraw_refund
        row("withdraw_refund: unsigned", alice_has_refund, || Backstop::withdraw_refund(none()), BadOrigin),
        row("withdraw_refund: none", nothing, || Backstop::withdraw_refund(signed(ALICE)), Error::<Test>::NoRefund),
        row("withdraw_refund: another user's refund", alice_has_refund, || Backstop::withdraw_refund(signed(BOB)), Error::<Test>::NoRefund),
        row("withdraw_refund: twice", refund_withdrawn, || Backstop::withdraw_refund(signed(ALICE)), Error::<Test>::NoRefund),
        // set_franchise_params
        row("set_franchise_params: signed", nothing, || Backstop::set_franchise_params(signed(ALICE), test_franchise()), BadOrigin),
        row("set_franchise_params: epoch too short", nothing, || Backstop::set_franchise_params(root(), franchise(|p| p.epoch_length = 9)), Error::<Test>::EpochLengthOutOfBounds),
        row("set_franchise_params: epoch u32::MAX", nothing, || Backstop::set_franchise_params(root(), franchise(|p| p.epoch_length = u32::MAX)), Error::<Test>::EpochLengthOutOfBounds),
        row("set_franchise_params: no seats", nothing, || Backstop::set_franchise_params(root(), franchise(|p| p.seats = 0)), Error::<Test>::SeatsOutOfBounds),
        row("set_franchise_params: too many seats", nothing, || Backstop::set_franchise_params(root(), franchise(|p| p.seats = MAX_SEATS + 1)), Error::<Test>::SeatsOutOfBounds),
        row("set_franchise_params: no ending period", nothing, || Backstop::set_franchise_params(root(), franchise(|p| p.ending_period = 0)), Error::<Test>::EndingPeriodOutOfBounds),
        row("set_franchise_params: no candle samples", nothing, || Backstop::set_franchise_params(root(), franchise(|p| p.candle_samples = 0)), Error::<Test>::CandleSamplesOutOfBounds),
        row("set_franchise_params: no window", nothing, || Backstop::set_franchise_params(root(), franchise(|p| p.window_length = 0)), Error::<Test>::WindowLengthOutOfBounds),
        row("set_franchise_params: priority above window", nothing, || Backstop::set_franchise_params(root(), franchise(|p| p.priority_period = p.window_length + 1)), Error::<Test>::PriorityPeriodOutOfBounds),
        row("set_franchise_params: zero min_bid", nothing, || Backstop::set_franchise_params(root(), franchise(|p| p.min_bid = 0)), Error::<Test>::MinBidOutOfBounds),
        row("set_franchise_params: zero min_commitment", nothing, || Backstop::set_franchise_params(root(), franchise(|p| p.min_commitment = 0)), Error::<Test>::MinCommitmentOutOfBounds),
        row("set_franchise_params: emergency lowers min_commitment", nothing, || Backstop::set_franchise_params(emergency(), franchise(|p| p.min_commitment -= 1)), Error::<Test>::EmergencyCannotLoosen),
        row("set_franchise_params: emergency changes seats", nothing, || Backstop::set_franchise_params(emergency(), franchise(|p| p.seats -= 1)), Error::<Test>::EmergencyCannotLoosen),
        row("set_franchise_params: emergency changes min_bid", nothing, || Backstop::set_franchise_params(emergency(), franchise(|p| p.min_bid += 1)), Error::<Test>::EmergencyCannotLoosen),
        // set_sharing_params
        row("set_sharing_params: signed", nothing, || Backstop::set_sharing_params(signed(ALICE), SharingParams::default()), BadOrigin),
        row("set_sharing_params: user_share too high", nothing, || Backstop::set_sharing_params(root(), sharing(|p| p.user_share = Perbill::from_percent(51))), Error::<Test>::UserShareOutOfBounds),
        row("set_sharing_params: weight too high", nothing, || Backstop::set_sharing_params(root(), sharing(|p| p.debt_weight = too_heavy())), Error::<Test>::WeightOutOfBounds),
        row("set_sharing_params: emergency changes user_share", nothing, || Backstop::set_sharing_params(emergency(), sharing(|p| p.user_share = Perbill::from_percent(1))), Error::<Test>::EmergencyCannotLoosen),
        row("set_sharing_params: emergency changes fee_share", nothing, || Backstop::set_sharing_params(emergency(), sharing(|p| p.fee_share = Perbill::from_percent(1))), Error::<Test>::EmergencyCannotLoosen),
        // set_score_weight
        row("set_score_weight: signed", nothing, || Backstop::set_score_weight(signed(ALICE), ETH_MARKET, Side::Debt, FixedU128::from_u32(1)), BadOrigin),
        row("set_score_weight: unknown market", nothing, || Backstop::set_score_weight(root(), NO_MARKET, Side::Debt, FixedU128::from_u32(1)), Error::<Test>::UnknownMarket),
        row("set_score_weight: weight too high", nothing, || Backstop::set_score_weight(root(), ETH_MARKET, Side::Debt, too_heavy()), Error::<Test>::WeightOutOfBounds),
        row("set_score_weight: emergency changes it", nothing, || Backstop::set_score_weight(emergency(), ETH_MARKET, Side::Debt, FixedU128::from_u32(7)), Error::<Test>::EmergencyCannotLoosen),
        // rebalance (the pool holds 5 ETH against 91 540 USD: under the trigger)
        row("rebalance: signed", pool_holds_eth, || Backstop::rebalance(signed(ALICE), ETH, UNIT), BadOrigin),
        row("rebalance: emergency", pool_holds_eth, || Backstop::rebalance(emergency(), ETH, UNIT), BadOrigin),
        row("rebalance: zero", pool_holds_eth, || Backstop::rebalance(root(), ETH, 0), Error::<Test>::ZeroAmount),
        row("rebalance: nothing held", nothing, || Backstop::rebalance(root(), ETH, UNIT), Error::<Test>::UnknownCollateral),
        row("rebalance: unknown asset", pool_holds_eth, || Backstop::rebalance(root(), DOGE, UNIT), Error::<Test>::UnknownCollateral),
        row("rebalance: under the trigger", pool_holds_eth, || Backstop::rebalance(root(), ETH, u128::MAX), Error::<Test>::RebalanceNotNeeded),
        row("rebalance: no DEX pool", pool_over_trigger, || Backstop::rebalance(root(), ETH, u128::MAX), Error::<Test>::DexPriceOutOfBounds),
        row("rebalance: stale price", stale_pool_over_trigger, || Backstop::rebalance(root(), ETH, u128::MAX), Error::<Test>::OracleStale),
        // keeper_sweep
        row("keeper_sweep: unsigned", nothing, || Backstop::keeper_sweep(none(), ETH_MARKET).map(|_| ()).map_err(|e| e.error), BadOrigin),
        row("keeper_sweep: unknown market", nothing, || Backstop::keeper_sweep(signed(KEEPER), NO_MARKET).map(|_| ()).map_err(|e| e.error), Error::<Test>::UnknownMarket),
        row("keeper_sweep: market lends another asset", nothing, || Backstop::keeper_sweep(signed(KEEPER), ETH_LOAN_MARKET).map(|_| ()).map_err(|e| e.error), Error::<Test>::NotStableMarket),
        row("keeper_sweep: nothing liquidatable", nothing, || Backstop::keeper_sweep(signed(KEEPER), ETH_MARKET).map(|_| ()).map_err(|e| e.error), Error::<Test>::NothingToLiquidate),
        row("keeper_sweep: sweep off", sweep_off, || Backstop::keeper_sweep(signed(KEEPER), ETH_MARKET).map(|_| ()).map_err(|e| e.error), Error::<Test>::SweepDisabled),
        // set_rebalance_params
        row("set_rebalance_params: signed", nothing, || Backstop::set_rebalance_params(signed(ALICE), RebalanceParams::default()), BadOrigin),
        row("set_rebalance_params: emergency", nothing, || Backstop::set_rebalance_params(emergency(), rebalance(|p| p.trigger = Perbill::one())), BadOrigin),
        row("set_rebalance_params: zero trigger", nothing, || Backstop::set_rebalance_params(root(), rebalance(|p| { p.trigger = Perbill::zero(); p.target = Perbill::zero() })), Error::<Test>::RebalanceTriggerOutOfBounds),
        row("set_rebalance_params: target above trigger", nothing, || Backstop::set_rebalance_params(root(), rebalance(|p| p.target = Perbill::from_percent(51))), Error::<Test>::RebalanceTargetOutOfBounds),
        row("set_rebalance_params: slippage above 10 %", nothing, || Backstop::set_rebalance_params(root(), rebalance(|p| p.max_slippage = Perbill::from_percent(11))), Error::<Test>::SlippageOutOfBounds),
    ]
}

#[test]
fn every_bad_input_gets_its_error_and_changes_nothing() {
    run(cases());
}

#[test]
fn the_table_covers_every_call() {
    let names: Vec<&str> = cases().iter().map(|c| c.name).collect();
    for call in [
        "deposit:",
        "withdraw:",
        "redeem:",
        "swap:",
        "liquidate:",
        "set_params:",
        "bid:",
        "claim:",
        "withdraw_refund:",
        "set_franchise_params:",
        "set_sharing_params:",
        "set_score_weight:",
        "rebalance:",
        "keeper_sweep:",
        "set_rebalance_params:",
    ] {
        assert!(
            names.iter().any(|n| n.starts_with(call)),
            "no bad input for {call}"
        );
    }
}
