//! Oracle-priced rebalancing on the `development` runtime, against the chain's own DEX
//! (pallet-asset-conversion, USD/ETH seeded at genesis): after a crash leaves the pool mostly
//! ETH, the block's idle time sells it back to USD on the DEX while the DEX pays within
//! `max_slippage` (1 %) of the oracle, and refuses a DEX pushed further from it.

mod common;

use backstop_runtime::{
    genesis_config_presets::{whole, ETH, ETH_USD_MARKET, USD},
    AllPalletsWithSystem, AssetConversion, Backstop, Lending, Runtime, RuntimeEvent, RuntimeOrigin,
    System,
};
use common::{account, dev_ext, feed_eth, run_block, usd, T0};
use frame_support::{
    assert_ok,
    traits::{fungible::NativeOrWithId, OnIdle},
};
use sp_arithmetic::Perbill;
use sp_keyring::Sr25519Keyring::{Bob, Charlie, Dave, Eve, Ferdie};

fn idle(n: u32) {
    let spare = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
    <AllPalletsWithSystem as OnIdle<u32>>::on_idle(n, spare);
}

fn held_eth() -> u128 {
    pallet_backstop::Collaterals::<Runtime>::get()
        .get(&ETH)
        .copied()
        .unwrap_or_default()
}

/// The pool's collateral share at `price` USD per ETH.
fn share(price: u128) -> Perbill {
    let eth = held_eth() * price;
    Perbill::from_rational(eth, eth + pallet_backstop::StableReserve::<Runtime>::get())
}

fn rebalances() -> Vec<(u128, u128, u128)> {
    System::events()
        .into_iter()
        .filter_map(|r| match r.event {
            RuntimeEvent::Backstop(pallet_backstop::Event::Rebalanced {
                asset: ETH,
                sold,
                received,
                oracle_value,
            }) => Some((sold, received, oracle_value)),
            _ => None,
        })
        .collect()
}

fn refused() -> bool {
    System::events().iter().any(|r| {
        matches!(
            r.event,
            RuntimeEvent::Backstop(pallet_backstop::Event::RebalanceRefused { .. })
        )
    })
}

/// Bob lends 1 000 000 USD; Charlie and Eve each borrow 20 000 USD against 10 ETH; Dave backs
/// the pool with 45 000 USD. Block 2 feeds ETH at 2 500 and its idle time liquidates both:
/// the pool pays 40 000 USD and holds about 17 ETH (≈ 42 500 USD) against 5 000 USD.
fn crashed_pool() {
    run_block(1, T0);
    assert_ok!(Lending::supply(
        RuntimeOrigin::signed(account(Bob)),
        ETH_USD_MARKET,
        usd(1_000_000)
    ));
    for key in [Charlie, Eve] {
        let who = RuntimeOrigin::signed(account(key));
        assert_ok!(Lending::supply_collateral(
            who.clone(),
            ETH_USD_MARKET,
            10 * whole(18)
        ));
        assert_ok!(Lending::borrow(who, ETH_USD_MARKET, usd(20_000)));
    }
    assert_ok!(Backstop::deposit(
        RuntimeOrigin::signed(account(Dave)),
        usd(45_000)
    ));
    run_block(2, T0 + 6_000);
    feed_eth(2_500);
}

/// Ferdie sells `eth` whole ETH into the DEX's USD/ETH pool (an arbitrageur or an attacker).
fn dump_on_dex(eth: u128) {
    assert_ok!(AssetConversion::swap_exact_tokens_for_tokens(
        RuntimeOrigin::signed(account(Ferdie)),
        vec![
            Box::new(NativeOrWithId::WithId(ETH)),
            Box::new(NativeOrWithId::WithId(USD))
        ],
        eth * whole(18),
        1,
        account(Ferdie),
        false,
    ));
}

/// An arbitrageur (Ferdie) buys ETH on the DEX with USD until it prices ETH at about
/// `price` USD again (it only ever moves the DEX up: the pool's sales push it down).
fn arbitrage_up_to(price: u128) {
    let (usd_reserve, eth_reserve) =
        AssetConversion::get_reserves(NativeOrWithId::WithId(USD), NativeOrWithId::WithId(ETH))
            .unwrap();
    // Constant product: at the target, U' = sqrt(U · E · price).
    let k = sp_core::U256::from(usd_reserve) * sp_core::U256::from(eth_reserve);
    let target = (k * sp_core::U256::from(price)).integer_sqrt().as_u128();
    if target <= usd_reserve + usd(1) {
        return;
    }
    assert_ok!(AssetConversion::swap_exact_tokens_for_tokens(
        RuntimeOrigin::signed(account(Ferdie)),
        vec![
            Box::new(NativeOrWithId::WithId(USD)),
            Box::new(NativeOrWithId::WithId(ETH))
        ],
        target - usd_reserve,
        1,
        account(Ferdie),
        false,
    ));
}

#[test]
fn the_pool_sells_its_eth_on_a_fair_dex_within_the_bound_with_no_transaction() {
    dev_ext().execute_with(|| {
        crashed_pool();
        // Arbitrageurs bring the DEX (3 000 000 USD / 1 000 ETH) to the oracle's 2 500:
        // 95.4 ETH sold into it.
        dump_on_dex(95);
        let value = Backstop::pool_value().unwrap();
        idle(2);
        // Both liquidated in the same block, and the ETH partly sold back.
        assert!(held_eth() > 0);
        let sales = rebalances();
        assert!(!sales.is_empty(), "the idle hook rebalanced");
        for (_, received, oracle_value) in &sales {
            assert!(*received >= Perbill::from_percent(99).mul_ceil(*oracle_value));
        }
        // Each sale pushes the DEX down; arbitrageurs bring it back between blocks, and the
        // later blocks keep selling until the share is under the trigger.
        for n in 3..12u32 {
            run_block(n, T0 + u64::from(n) * 6_000);
            feed_eth(2_500);
            arbitrage_up_to(2_500);
            idle(n);
        }
        assert!(
            share(2_500) <= Perbill::from_percent(50),
            "{:?}",
            share(2_500)
        );
        // The pool lost at most 1 % of what it sold (it gained the liquidations' discount).
        let sold_value: u128 = rebalances().iter().map(|s| s.2).sum();
        let after = Backstop::pool_value().unwrap();
        assert!(
            after + sold_value / 100 >= value,
            "{after} {value} {sold_value}"
        );
    });
}

#[test]
fn a_dex_pushed_below_the_oracle_is_refused() {
    dev_ext().execute_with(|| {
        crashed_pool();
        // Someone dumps 200 ETH: the DEX pays about 2 080 USD per ETH, 17 % under the oracle.
        dump_on_dex(200);
        idle(2);
        assert!(rebalances().is_empty());
        assert!(refused());
        assert!(held_eth() > 16 * whole(18));
        // Governance cannot force it either.
        assert!(Backstop::rebalance(RuntimeOrigin::root(), ETH, u128::MAX).is_err());
        assert!(share(2_500) > Perbill::from_percent(50));
    });
}

/// The pool out of stable: the crash block's sweep pays what its idle stable covers and skips
/// the rest (nothing half-done), its idle time then sells ETH on the DEX, and the next block's
/// sweep liquidates what was skipped. No transaction but the price feed.
#[test]
fn a_pool_out_of_stable_skips_sells_on_the_dex_and_liquidates_next_block() {
    dev_ext().execute_with(|| {
        run_block(1, T0);
        assert_ok!(Lending::supply(
            RuntimeOrigin::signed(account(Bob)),
            ETH_USD_MARKET,
            usd(1_000_000)
        ));
        for key in [Charlie, Eve, Ferdie] {
            let who = RuntimeOrigin::signed(account(key));
            assert_ok!(Lending::supply_collateral(
                who.clone(),
                ETH_USD_MARKET,
                10 * whole(18)
            ));
            assert_ok!(Lending::borrow(who, ETH_USD_MARKET, usd(20_000)));
        }
        // 50 000 USD: two of the three 20 000 USD debts.
        assert_ok!(Backstop::deposit(
            RuntimeOrigin::signed(account(Dave)),
            usd(50_000)
        ));
        run_block(2, T0 + 6_000);
        feed_eth(2_500);
        // Arbitrageurs have brought the DEX to the oracle's price.
        dump_on_dex(95);
        idle(2);
        let debt = |key: sp_keyring::Sr25519Keyring| {
            <Lending as backstop_primitives::LendingMarket<_>>::position(
                ETH_USD_MARKET,
                &account(key),
            )
            .unwrap()
            .borrow_assets
        };
        let left: Vec<_> = [Charlie, Eve, Ferdie]
            .into_iter()
            .filter(|k| debt(*k) > 0)
            .collect();
        assert_eq!(left.len(), 1, "one position waits for stable");
        assert!(System::events().iter().any(|r| matches!(
            r.event,
            RuntimeEvent::Backstop(pallet_backstop::Event::LiquidationSkipped {
                reason: backstop_primitives::SkipReason::OverBudget,
                ..
            })
        )));
        assert!(!rebalances().is_empty(), "the same idle time sold ETH");
        assert!(pallet_backstop::StableReserve::<Runtime>::get() >= usd(20_001));

        // Block 3: the sweep pays with the DEX's stable.
        run_block(3, T0 + 12_000);
        feed_eth(2_500);
        idle(3);
        assert_eq!(debt(left[0]), 0);
    });
}
