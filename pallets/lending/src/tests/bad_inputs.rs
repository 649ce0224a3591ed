//! The bad-input table (issue 16 item 2, mechanisms §8): every extrinsic of the pallet with
//! its bad inputs — zero, `u128::MAX`, 2^127, unknown market or asset, another account's
//! supply or collateral, the wrong origin, duplicates (withdraw or repay twice), stale prices,
//! amounts above what is owned or lent out — each with the specific error it must get and no
//! change to storage (state root before and after, which covers `System::events` too).
//!
//! Each row is `row(name, setup, call, expected)`, run on a fresh genesis with the USD/ETH
//! market (id 0, lltv 80 %, ETH at 2 USD): `setup` builds the state, then `call` must fail
//! with `expected` and leave the state root as it was.

use super::mock::*;
use crate::Error;
use frame_support::{
    assert_ok,
    traits::{fungibles::Mutate, tokens::Preservation},
};
use sp_arithmetic::{FixedU128, Perbill};
use sp_runtime::{DispatchError, DispatchResult, StateVersion};

/// 2^127.
const HALF: u128 = 1 << 127;
/// An account with nothing.
const NOBODY: AccountId = 999;
/// The USD/ETH market.
const MARKET: backstop_primitives::MarketId = 0;
/// A market id no market has.
const NO_MARKET: backstop_primitives::MarketId = 9;
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
        ExtBuilder::default()
            .with_market(USD, ETH, Perbill::from_percent(80))
            .build_and_execute(|| {
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
fn nothing() {}
/// BOB supplies 10 000 USD.
fn bob_supplies() {
    assert_ok!(Lending::supply(signed(BOB), MARKET, 10_000 * UNIT));
}
fn bob_withdrew_all() {
    bob_supplies();
    assert_ok!(Lending::withdraw(signed(BOB), MARKET, 10_000 * UNIT));
}
/// ALICE pledges 1 000 ETH (2 000 USD).
fn alice_pledges() {
    assert_ok!(Lending::supply_collateral(
        signed(ALICE),
        MARKET,
        1_000 * UNIT
    ));
}
/// BOB's liquidity; ALICE borrows 1 000 USD against 1 000 ETH.
fn position() {
    bob_supplies();
    alice_pledges();
    assert_ok!(Lending::borrow(signed(ALICE), MARKET, 1_000 * UNIT));
}
/// The oracle's prices are older than `MaxPriceAge`.
fn stale() {
    advance_time(MAX_PRICE_AGE + 1);
}
fn position_stale() {
    position();
    stale();
}
/// ETH at 1.2 USD: 1 000 > 1 000 · 1.2 · 0.8.
fn unhealthy() {
    position();
    feed_price(ETH, FixedU128::from_rational(12, 10));
}
fn unhealthy_stale() {
    unhealthy();
    stale();
}
fn unhealthy_barred() {
    unhealthy();
    BARRED_LIQUIDATORS.with(|b| b.borrow_mut().push(CHARLIE));
}
fn repaid_all() {
    position();
    assert_ok!(Lending::repay(signed(ALICE), MARKET, ALICE, u128::MAX));
}
/// Moves all of `who`'s `asset` to ADMIN.
fn drain(asset: backstop_primitives::AssetId, who: AccountId) {
    let all = balance(asset, who);
    assert_ok!(<Assets as Mutate<AccountId>>::transfer(
        asset,
        &who,
        &ADMIN,
        all,
        Preservation::Expendable
    ));
}
fn position_drained() {
    position();
    drain(USD, ALICE);
}
fn unhealthy_liquidator_drained() {
    unhealthy();
    drain(USD, CHARLIE);
}
/// `MaxMarkets` (3) markets.
fn markets_full() {
    for (loan, collateral) in [(USD, DOGE), (ETH, USD)] {
        assert_ok!(Lending::create_market(
            root(),
            loan,
            collateral,
            Perbill::from_percent(80),
            rate_model()
        ));
    }
}
fn lltv(percent: u32) -> Perbill {
    Perbill::from_percent(percent)
}
fn steep() -> crate::JumpRateModel {
    crate::JumpRateModel {
        slope2: FixedU128::from_u32(1_000_000),
        ..rate_model()
    }
}

// ------------------------------------------------------------------------------------------
// The table
// ------------------------------------------------------------------------------------------

#[rustfmt::skip]
fn cases() -> Vec<Case> {
    use DispatchError::BadOrigin;
    vec![
        // create_market
        row("create_market: signed", nothing, || Lending::create_market(signed(ALICE), USD, DOGE, lltv(80), rate_model()), BadOrigin),
        row("create_market: unsigned", nothing, || Lending::create_market(none(), USD, DOGE, lltv(80), rate_model()), BadOrigin),
        row("create_market: emergency origin", nothing, || Lending::create_market(signed(EMERGENCY), USD, DOGE, lltv(80), rate_model()), Error::<Test>::EmergencyCannotLoosen),
        row("create_market: unknown loan asset", nothing, || Lending::create_market(root(), NO_ASSET, ETH, lltv(80), rate_model()), Error::<Test>::UnknownAsset),
        row("create_market: unknown collateral", nothing, || Lending::create_market(root(), USD, NO_ASSET, lltv(80), rate_model()), Error::<Test>::UnknownAsset),
        row("create_market: same asset", nothing, || Lending::create_market(root(), USD, USD, lltv(80), rate_model()), Error::<Test>::SameAsset),
        row("create_market: lltv zero", nothing, || Lending::create_market(root(), USD, DOGE, lltv(0), rate_model()), Error::<Test>::LltvOutOfBounds),
        row("create_market: lltv 100 %", nothing, || Lending::create_market(root(), USD, DOGE, lltv(100), rate_model()), Error::<Test>::LltvOutOfBounds),
        row("create_market: rate model out of bounds", nothing, || Lending::create_market(root(), USD, DOGE, lltv(80), steep()), Error::<Test>::RateModelOutOfBounds),
        row("create_market: too many markets", markets_full, || Lending::create_market(root(), ETH, DOGE, lltv(80), rate_model()), Error::<Test>::TooManyMarkets),
        // supply
        row("supply: unsigned", nothing, || Lending::supply(none(), MARKET, UNIT), BadOrigin),
        row("supply: zero", nothing, || Lending::supply(signed(BOB), MARKET, 0), Error::<Test>::ZeroAmount),
        row("supply: unknown market", nothing, || Lending::supply(signed(BOB), NO_MARKET, UNIT), Error::<Test>::UnknownMarket),
        row("supply: u128::MAX", nothing, || Lending::supply(signed(BOB), MARKET, u128::MAX), Error::<Test>::InsufficientBalance),
        row("supply: 2^127", nothing, || Lending::supply(signed(BOB), MARKET, HALF), Error::<Test>::InsufficientBalance),
        row("supply: above balance", nothing, || Lending::supply(signed(BOB), MARKET, INITIAL + 1), Error::<Test>::InsufficientBalance),
        row("supply: nothing to pay with", nothing, || Lending::supply(signed(NOBODY), MARKET, UNIT), Error::<Test>::InsufficientBalance),
        // withdraw
        row("withdraw: unsigned", bob_supplies, || Lending::withdraw(none(), MARKET, UNIT), BadOrigin),
        row("withdraw: zero", bob_supplies, || Lending::withdraw(signed(BOB), MARKET, 0), Error::<Test>::ZeroAmount),
        row("withdraw: unknown market", bob_supplies, || Lending::withdraw(signed(BOB), NO_MARKET, UNIT), Error::<Test>::UnknownMarket),
        row("withdraw: nothing supplied", nothing, || Lending::withdraw(signed(BOB), MARKET, UNIT), Error::<Test>::SupplyExceeded),
        row("withdraw: above supply", bob_supplies, || Lending::withdraw(signed(BOB), MARKET, 10_000 * UNIT + 1), Error::<Test>::SupplyExceeded),
        row("withdraw: u128::MAX", bob_supplies, || Lending::withdraw(signed(BOB), MARKET, u128::MAX), Error::<Test>::SupplyExceeded),
        row("withdraw: 2^127", bob_supplies, || Lending::withdraw(signed(BOB), MARKET, HALF), Error::<Test>::SupplyExceeded),
        row("withdraw: another account's supply", bob_supplies, || Lending::withdraw(signed(ALICE), MARKET, UNIT), Error::<Test>::SupplyExceeded),
        row("withdraw: twice", bob_withdrew_all, || Lending::withdraw(signed(BOB), MARKET, UNIT), Error::<Test>::SupplyExceeded),
        row("withdraw: lent out", position, || Lending::withdraw(signed(BOB), MARKET, 10_000 * UNIT), Error::<Test>::InsufficientLiquidity),
        // supply_collateral
        row("supply_collateral: unsigned", nothing, || Lending::supply_collateral(none(), MARKET, UNIT), BadOrigin),
        row("supply_collateral: zero", nothing, || Lending::supply_collateral(signed(ALICE), MARKET, 0), Error::<Test>::ZeroAmount),
        row("supply_collateral: unknown market", nothing, || Lending::supply_collateral(signed(ALICE), NO_MARKET, UNIT), Error::<Test>::UnknownMarket),
        row("supply_collateral: u128::MAX", nothing, || Lending::supply_collateral(signed(ALICE), MARKET, u128::MAX), Error::<Test>::InsufficientBalance),
        row("supply_collateral: 2^127", nothing, || Lending::supply_collateral(signed(ALICE), MARKET, HALF), Error::<Test>::InsufficientBalance),
        row("supply_collateral: above balance", nothing, || Lending::supply_collateral(signed(ALICE), MARKET, INITIAL + 1), Error::<Test>::InsufficientBalance),
        // withdraw_collateral
        row("withdraw_collateral: unsigned", alice_pledges, || Lending::withdraw_collateral(none(), MARKET, UNIT), BadOrigin),
        row("withdraw_collateral: zero", alice_pledges, || Lending::withdraw_collateral(signed(ALICE), MARKET, 0), Error::<Test>::ZeroAmount),
        row("withdraw_collateral: unknown market", alice_pledges, || Lending::withdraw_collateral(signed(ALICE), NO_MARKET, UNIT), Error::<Test>::UnknownMarket),
        row("withdraw_collateral: above pledged", alice_pledges, || Lending::withdraw_collateral(signed(ALICE), MARKET, 1_000 * UNIT + 1), Error::<Test>::CollateralExceeded),
        row("withdraw_collateral: u128::MAX", alice_pledges, || Lending::withdraw_collateral(signed(ALICE), MARKET, u128::MAX), Error::<Test>::CollateralExceeded),
        row("withdraw_collateral: 2^127", alice_pledges, || Lending::withdraw_collateral(signed(ALICE), MARKET, HALF), Error::<Test>::CollateralExceeded),
        row("withdraw_collateral: another account's", alice_pledges, || Lending::withdraw_collateral(signed(BOB), MARKET, UNIT), Error::<Test>::CollateralExceeded),
        row("withdraw_collateral: leaves it unhealthy", position, || Lending::withdraw_collateral(signed(ALICE), MARKET, 500 * UNIT), Error::<Test>::InsufficientCollateral),
        row("withdraw_collateral: stale price", position_stale, || Lending::withdraw_collateral(signed(ALICE), MARKET, UNIT), Error::<Test>::PriceStale),
        // borrow
        row("borrow: unsigned", position, || Lending::borrow(none(), MARKET, UNIT), BadOrigin),
        row("borrow: zero", position, || Lending::borrow(signed(ALICE), MARKET, 0), Error::<Test>::ZeroAmount),
        row("borrow: unknown market", position, || Lending::borrow(signed(ALICE), NO_MARKET, UNIT), Error::<Test>::UnknownMarket),
        row("borrow: no collateral", bob_supplies, || Lending::borrow(signed(CHARLIE), MARKET, UNIT), Error::<Test>::InsufficientCollateral),
        row("borrow: above collateral", position, || Lending::borrow(signed(ALICE), MARKET, 600 * UNIT + 1), Error::<Test>::InsufficientCollateral),
        row("borrow: above liquidity", position, || Lending::borrow(signed(ALICE), MARKET, 9_000 * UNIT + 1), Error::<Test>::InsufficientLiquidity),
        row("borrow: u128::MAX", position, || Lending::borrow(signed(ALICE), MARKET, u128::MAX), Error::<Test>::InsufficientLiquidity),
        row("borrow: 2^127", position, || Lending::borrow(signed(ALICE), MARKET, HALF), Error::<Test>::InsufficientLiquidity),
        row("borrow: stale price", position_stale, || Lending::borrow(signed(ALICE), MARKET, UNIT), Error::<Test>::PriceStale),
        // repay
        row("repay: unsigned", position, || Lending::repay(none(), MARKET, ALICE, UNIT), BadOrigin),
        row("repay: zero", position, || Lending::repay(signed(ALICE), MARKET, ALICE, 0), Error::<Test>::ZeroAmount),
        row("repay: unknown market", position, || Lending::repay(signed(ALICE), NO_MARKET, ALICE, UNIT), Error::<Test>::UnknownMarket),
        row("repay: no debt", position, || Lending::repay(signed(BOB), MARKET, BOB, UNIT), Error::<Test>::NothingToRepay),
        row("repay: unknown account", position, || Lending::repay(signed(BOB), MARKET, NOBODY, UNIT), Error::<Test>::NothingToRepay),
        row("repay: twice", repaid_all, || Lending::repay(signed(ALICE), MARKET, ALICE, UNIT), Error::<Test>::NothingToRepay),
        row("repay: above balance", position_drained, || Lending::repay(signed(ALICE), MARKET, ALICE, 500 * UNIT), Error::<Test>::InsufficientBalance),
        row("repay: u128::MAX above balance", position_drained, || Lending::repay(signed(ALICE), MARKET, ALICE, u128::MAX), Error::<Test>::InsufficientBalance),
        row("repay: nothing to pay with", position, || Lending::repay(signed(NOBODY), MARKET, ALICE, UNIT), Error::<Test>::InsufficientBalance),
        // liquidate
        row("liquidate: unsigned", unhealthy, || Lending::liquidate(none(), MARKET, ALICE, UNIT), BadOrigin),
        row("liquidate: zero", unhealthy, || Lending::liquidate(signed(CHARLIE), MARKET, ALICE, 0), Error::<Test>::ZeroAmount),
        row("liquidate: unknown market", unhealthy, || Lending::liquidate(signed(CHARLIE), NO_MARKET, ALICE, UNIT), Error::<Test>::UnknownMarket),
        row("liquidate: unknown borrower", unhealthy, || Lending::liquidate(signed(CHARLIE), MARKET, NOBODY, UNIT), Error::<Test>::PositionHealthy),
        row("liquidate: healthy", position, || Lending::liquidate(signed(CHARLIE), MARKET, ALICE, UNIT), Error::<Test>::PositionHealthy),
        row("liquidate: above the collateral", unhealthy, || Lending::liquidate(signed(CHARLIE), MARKET, ALICE, 1_000 * UNIT + 1), Error::<Test>::SeizeExceedsCollateral),
        row("liquidate: u128::MAX", unhealthy, || Lending::liquidate(signed(CHARLIE), MARKET, ALICE, u128::MAX), Error::<Test>::SeizeExceedsCollateral),
        row("liquidate: 2^127", unhealthy, || Lending::liquidate(signed(CHARLIE), MARKET, ALICE, HALF), Error::<Test>::SeizeExceedsCollateral),
        row("liquidate: more than the debt", unhealthy, || Lending::liquidate(signed(CHARLIE), MARKET, ALICE, 900 * UNIT), Error::<Test>::RepayExceedsDebt),
        row("liquidate: not permitted", unhealthy_barred, || Lending::liquidate(signed(CHARLIE), MARKET, ALICE, UNIT), Error::<Test>::LiquidationNotPermitted),
        row("liquidate: stale price", unhealthy_stale, || Lending::liquidate(signed(CHARLIE), MARKET, ALICE, UNIT), Error::<Test>::PriceStale),
        row("liquidate: liquidator cannot pay", unhealthy_liquidator_drained, || Lending::liquidate(signed(CHARLIE), MARKET, ALICE, UNIT), Error::<Test>::InsufficientBalance),
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
        "create_market:",
        "supply:",
        "withdraw:",
        "supply_collateral:",
        "withdraw_collateral:",
        "borrow:",
        "repay:",
        "liquidate:",
    ] {
        assert!(
            names.iter().any(|n| n.starts_with(call)),
            "no bad input for {call}"
        );
    }
}
