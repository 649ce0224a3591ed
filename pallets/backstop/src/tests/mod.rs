//! Tests by topic. Every test runs through `ExtBuilder::build_and_execute`, which checks the
//! pool invariants (`Pallet::do_try_state`) afterwards.

mod assignment;
mod bad_inputs;
mod curve;
mod deposit;
mod emergency;
mod franchise;
mod keeper;
mod lending;
mod liquidate;
pub mod mock;
mod params;
mod rebalance;
mod scenarios;
mod score;
mod swap;
mod withdraw;

use mock::*;

/// The ETH price after the crash, in USD per ETH.
pub const CRASH_PRICE: u32 = 1_800;
/// Collateral the pool seizes per liquidation.
pub const SEIZED: u128 = 5 * UNIT;
/// What the market charges for `SEIZED` at `CRASH_PRICE`: `5 · 1 800 / LIF` with
/// `LIF = 1 / 0.94` stored rounded down (1.063829787234042553), so the charge rounds up to
/// one unit above 8 460 USD.
pub const REPAID: u128 = 8_460 * UNIT + 1;

/// `who` borrows 15 000 USD against 10 ETH (75 % of its value at 2 000 USD).
pub fn open_eth_position(who: AccountId) {
    open_position(who, ETH_MARKET, 10 * UNIT, 15_000 * UNIT);
}

/// With a 1 % caller fee, ALICE deposits 100 000 USD; BORROWER_1's ETH position becomes unhealthy at the crash
/// price and the pool (triggered by KEEPER) seizes `SEIZED` of it.
pub fn pool_holds_eth() {
    set_params(crate::PoolParams {
        caller_fee_bps: 100,
        ..Default::default()
    });
    deposit(ALICE, 100_000 * UNIT);
    open_eth_position(BORROWER_1);
    feed_usd(ETH, CRASH_PRICE);
    frame_support::assert_ok!(Backstop::liquidate(
        RuntimeOrigin::signed(KEEPER),
        ETH_MARKET,
        BORROWER_1,
        SEIZED
    ));
}
