//! No keeper needed: on the `development` runtime, the block whose price feed makes positions
//! liquidatable liquidates them in its own idle time (the backstop's same-block sweep), each
//! in full, paid by the pool; avatar positions are liquidated by the avatar pallet's own idle
//! sweep once the members' priority is over; the cap spreads a larger crash over the following
//! blocks.

mod common;

use backstop_primitives::LendingMarket;
use backstop_runtime::{
    genesis_config_presets::{whole, ETH, ETH_USD_MARKET},
    AllPalletsWithSystem, Backstop, Lending, Runtime, RuntimeEvent, RuntimeOrigin, System,
};
use common::{account, dev_ext, feed_eth, run_block, usd, T0};
use frame_support::{assert_ok, traits::OnIdle};
use sp_keyring::Sr25519Keyring::{self, Bob, Charlie, Dave, Eve, Ferdie};

/// The idle hooks of block `n` with the block's whole normal-class weight to spare.
fn idle(n: u32) {
    let spare = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
    <AllPalletsWithSystem as OnIdle<u32>>::on_idle(n, spare);
}

fn debt(who: &backstop_runtime::AccountId) -> u128 {
    <Lending as LendingMarket<_>>::position(ETH_USD_MARKET, who)
        .expect("position")
        .borrow_assets
}

/// Bob lends 1 000 000 USD; each borrower pledges 10 ETH (30 000 USD at 3 000) and borrows 20 000 USD;
/// Dave backs the pool with 500 000 USD.
fn market(borrowers: &[Sr25519Keyring]) {
    run_block(1, T0);
    assert_ok!(Lending::supply(
        RuntimeOrigin::signed(account(Bob)),
        ETH_USD_MARKET,
        usd(1_000_000)
    ));
    for key in borrowers {
        let who = RuntimeOrigin::signed(account(*key));
        assert_ok!(Lending::supply_collateral(
            who.clone(),
            ETH_USD_MARKET,
            10 * whole(18)
        ));
        assert_ok!(Lending::borrow(who, ETH_USD_MARKET, usd(20_000)));
    }
    assert_ok!(Backstop::deposit(
        RuntimeOrigin::signed(account(Dave)),
        usd(500_000)
    ));
}

#[test]
fn the_block_that_feeds_the_crash_liquidates_in_its_idle_time() {
    dev_ext().execute_with(|| {
        market(&[Charlie, Eve]);
        idle(1);
        assert_eq!(debt(&account(Charlie)), usd(20_000));

        // Block 2: ETH falls to 2 500 (10 ETH carry 19 250 USD at 77 %): the same block's
        // idle time liquidates both, with no keeper and no other transaction.
        run_block(2, T0 + 6_000);
        feed_eth(2_500);
        idle(2);
        for who in [Charlie, Eve] {
            assert_eq!(debt(&account(who)), 0, "{who:?}");
        }
        let pool = Backstop::account_id();
        assert!(System::events().iter().any(|r| matches!(
            &r.event,
            RuntimeEvent::Backstop(pallet_backstop::Event::BatchLiquidated {
                caller, liquidated: 2, ..
            }) if *caller == pool
        )));
        // The pool holds the ETH now.
        assert!(pallet_backstop::Collaterals::<Runtime>::get().contains_key(&ETH));
    });
}

#[test]
fn a_crash_larger_than_the_cap_is_liquidated_over_the_next_blocks() {
    dev_ext().execute_with(|| {
        market(&[Charlie, Eve, Ferdie]);
        assert_ok!(Backstop::set_sweep_cap(RuntimeOrigin::root(), 2));
        run_block(2, T0 + 6_000);
        feed_eth(2_500);
        idle(2);
        let left = || {
            [Charlie, Eve, Ferdie]
                .into_iter()
                .filter(|w| debt(&account(*w)) > 0)
                .count()
        };
        assert_eq!(left(), 1);
        run_block(3, T0 + 12_000);
        idle(3);
        assert_eq!(left(), 0);
    });
}

#[test]
fn an_avatar_position_is_liquidated_by_the_pool_in_the_crash_block_when_no_member_holds_it() {
    dev_ext().execute_with(|| {
        market(&[Charlie]);
        // Ferdie borrows through his avatar: 1 ETH, 1 000 USD. No seat is sold at genesis, so
        // the pool is the member of last resort and need not wait.
        let ferdie = RuntimeOrigin::signed(account(Ferdie));
        assert_ok!(backstop_runtime::Avatar::supply_collateral(
            ferdie.clone(),
            ETH_USD_MARKET,
            whole(18)
        ));
        assert_ok!(backstop_runtime::Avatar::borrow(
            ferdie,
            ETH_USD_MARKET,
            common::usd(1_000)
        ));
        let avatar = backstop_runtime::Avatar::avatar_account(account(Ferdie));
        idle(1);
        assert_eq!(debt(&avatar), common::usd(1_000));

        // ETH falls to 1 200 (1 ETH carries 924 USD at 77 %): the backstop's sweep leaves the
        // avatar alone, the avatar's own idle sweep has the pool liquidate it, same block.
        run_block(2, T0 + 6_000);
        feed_eth(1_200);
        idle(2);
        assert_eq!(debt(&avatar), 0);
        assert!(System::events().iter().any(|r| matches!(
            &r.event,
            RuntimeEvent::Avatar(pallet_avatar::Event::Liquidated { user, .. })
                if *user == account(Ferdie)
        )));
    });
}
