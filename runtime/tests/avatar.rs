//! An avatar position on the dev chain, from opening to the backstop pool's liquidation:
//! members win seats, the assigned member tops the position up, nobody may liquidate it
//! around the avatar, the member lets its priority pass, and a keeper has the pool liquidate
//! it through the avatar pallet — the pool buys the cushion back from the member, repays the
//! market, pays the jar its (default) share of the gain and the keeper its fee, and books the
//! collateral. Every account's balance is checked against the formulas.

mod common;

use backstop_primitives::{Assignee, LendingMarket};
use backstop_runtime::{
    genesis_config_presets::{whole, ETH, ETH_USD_MARKET, USD},
    Assets, Avatar, Backstop, Lending, Runtime, RuntimeOrigin, System,
};
use common::{account, dev_ext, feed_eth, run_blocks, usd};
use frame_support::{assert_noop, assert_ok};
use sp_arithmetic::{
    helpers_128bit::multiply_by_rational_with_rounding, FixedPointNumber, Perbill, Rounding,
};
use sp_keyring::Sr25519Keyring::{Bob, Charlie, Dave, Eve, Ferdie};
use sp_runtime::FixedU128;

fn mul_div(a: u128, b: u128, c: u128, rounding: Rounding) -> u128 {
    multiply_by_rational_with_rounding(a, b, c, rounding).unwrap()
}

#[test]
fn the_pool_liquidates_a_cushioned_avatar_position_after_the_member_lets_its_priority_pass() {
    dev_ext().execute_with(|| {
        let (bob, charlie, user, keeper, depositor) = (
            account(Bob),
            account(Charlie),
            account(Dave),
            account(Eve),
            account(Ferdie),
        );
        run_blocks(1, 2, 3_000, 50);

        // Governance: a 50-block liquidation priority for the ETH/USD market (announced,
        // in force 100 blocks later) and a 0.5 % keeper fee for the pool.
        let mut params = pallet_avatar::Params::<Runtime>::get(ETH_USD_MARKET);
        params.priority_window = 50;
        assert_ok!(Avatar::set_params(
            RuntimeOrigin::root(),
            ETH_USD_MARKET,
            params
        ));
        let mut pool_params = pallet_backstop::Params::<Runtime>::get();
        pool_params.caller_fee_bps = 50;
        assert_ok!(Backstop::set_params(RuntimeOrigin::root(), pool_params));

        // Lenders, bidders, a pool depositor.
        assert_ok!(Lending::supply(
            RuntimeOrigin::signed(keeper.clone()),
            ETH_USD_MARKET,
            usd(100_000)
        ));
        assert_ok!(Backstop::bid(
            RuntimeOrigin::signed(bob.clone()),
            usd(30),
            usd(1_000)
        ));
        assert_ok!(Backstop::bid(
            RuntimeOrigin::signed(charlie.clone()),
            usd(20),
            usd(1_000)
        ));
        assert_ok!(Backstop::deposit(
            RuntimeOrigin::signed(depositor),
            usd(50_000)
        ));
        let epoch = backstop_runtime::genesis_config_presets::dev_franchise_params().epoch_length;
        run_blocks(3, epoch + 1, 3_000, 50);
        assert_eq!(Backstop::current_franchise().seats.len(), 2);

        // ETH at 3 000: the user opens 1 ETH / 1 000 USD through its avatar.
        assert_ok!(Avatar::supply_collateral(
            RuntimeOrigin::signed(user.clone()),
            ETH_USD_MARKET,
            whole(18)
        ));
        assert_ok!(Avatar::borrow(
            RuntimeOrigin::signed(user.clone()),
            ETH_USD_MARKET,
            usd(1_000)
        ));
        let avatar = Avatar::avatar_account(user.clone());

        // ETH at 1 400: 1 000 > 1 400 · 0.77 · 0.9 = 970.2, in the band. The assigned member
        // tops up 100 from its committed liquidity.
        feed_eth(1_400);
        let Assignee::Member(member) = Backstop::assignment(ETH_USD_MARKET, &avatar).assignee
        else {
            panic!("a member is assigned");
        };
        assert_ok!(Avatar::top_up(
            RuntimeOrigin::signed(member.clone()),
            ETH_USD_MARKET,
            user.clone(),
            usd(100)
        ));
        let seat = |who: &sp_runtime::AccountId32| {
            Backstop::current_franchise()
                .seats
                .into_iter()
                .find(|s| &s.member == who)
                .unwrap()
        };
        assert_eq!(seat(&member).available, usd(900));
        assert_eq!(
            Lending::position(ETH_USD_MARKET, &avatar)
                .unwrap()
                .borrow_assets,
            usd(900)
        );
        assert_eq!(
            Avatar::debt_backstop(ETH_USD_MARKET, &user).unwrap(),
            usd(1_000)
        );

        // ETH at 1 150: the market itself sees 900 > 885.5, yet nobody may liquidate the
        // avatar in the market, the pool's own `liquidate` included.
        let now = System::block_number();
        run_blocks(now + 1, now + 1, 1_150, 50);
        feed_eth(1_150);
        assert!(Lending::is_liquidatable(ETH_USD_MARKET, &avatar).unwrap());
        assert_noop!(
            Backstop::liquidate(
                RuntimeOrigin::signed(keeper.clone()),
                ETH_USD_MARKET,
                avatar.clone(),
                whole(18) / 10
            ),
            pallet_lending::Error::<Runtime>::LiquidationNotPermitted
        );
        // A keeper syncs the position: the members' priority starts; the pool must wait.
        assert_ok!(Avatar::sync(
            RuntimeOrigin::signed(keeper.clone()),
            ETH_USD_MARKET,
            user.clone()
        ));
        assert_noop!(
            Avatar::pool_liquidate(
                RuntimeOrigin::signed(keeper.clone()),
                ETH_USD_MARKET,
                user.clone(),
                usd(1_000)
            ),
            pallet_avatar::Error::<Runtime>::PriorityNotPassed
        );

        // The member does nothing for 50 blocks, and then until the current assignment
        // window's priority period is over as well.
        let since = System::block_number();
        run_blocks(since + 1, since + 50, 1_150, 50);
        let mut n = since + 50;
        while !Avatar::pool_may_liquidate(ETH_USD_MARKET, user.clone()) {
            n += 1;
            run_blocks(n, n, 1_150, 50);
        }
        assert!(n < epoch * 2, "still in the members' epoch");
        feed_eth(1_150);

        // The keeper has the pool liquidate all of it: 1 000 and the interest the market debt
        // accrued since the top-up; the member's 100 of cushion bought back at par, the
        // market debt repaid, for `amount · LIF` of collateral at 1 150.
        let amount = Avatar::debt_backstop(ETH_USD_MARKET, &user).unwrap();
        assert!(amount > usd(1_000) && amount < usd(1_001));
        let lif = Lending::market(ETH_USD_MARKET).unwrap().lif;
        let seized = mul_div(amount, lif.into_inner(), FixedU128::DIV, Rounding::Down) / 1_150;
        let gain = seized * 1_150 - amount;
        let to_jar = Perbill::from_percent(10).mul_ceil(gain);
        let cost = amount + to_jar;
        let pool_gain = seized - cost.div_ceil(1_150);
        let fee = pool_gain * 50 / 10_000;
        let reserve = pallet_backstop::StableReserve::<Runtime>::get();
        let jar = pallet_backstop::Jar::<Runtime>::get().income;
        let keeper_eth = Assets::balance(ETH, &keeper);
        let market_usd = Assets::balance(USD, Lending::account_id());
        assert_ok!(Avatar::pool_liquidate(
            RuntimeOrigin::signed(keeper.clone()),
            ETH_USD_MARKET,
            user.clone(),
            amount
        ));

        // Member: its 100 back in its committed liquidity.
        assert_eq!(seat(&member).available, usd(1_000));
        // Pool: paid the cost out of its reserve, holds the collateral minus the keeper fee.
        assert_eq!(
            pallet_backstop::StableReserve::<Runtime>::get(),
            reserve - cost
        );
        assert_eq!(
            pallet_backstop::Collaterals::<Runtime>::get()
                .get(&ETH)
                .copied(),
            Some(seized - fee)
        );
        assert_eq!(Assets::balance(ETH, &keeper), keeper_eth + fee);
        assert!(fee > 0);
        // Jar: the default 10 % of the gain (no market-specific share).
        assert_eq!(
            Avatar::user_share(ETH_USD_MARKET),
            Perbill::from_percent(10)
        );
        assert_eq!(pallet_backstop::Jar::<Runtime>::get().income, jar + to_jar);
        // Market: repaid its debt; the user keeps 1 − seized ETH pledged and owes nothing.
        assert_eq!(
            Assets::balance(USD, Lending::account_id()),
            market_usd + amount - usd(100)
        );
        let position = Lending::position(ETH_USD_MARKET, &avatar).unwrap();
        assert_eq!(position.borrow_assets, 0);
        assert_eq!(position.collateral, whole(18) - seized);
        assert_eq!(Avatar::debt_backstop(ETH_USD_MARKET, &user).unwrap(), 0);
        assert!(System::events().iter().any(|r| matches!(
            &r.event,
            backstop_runtime::RuntimeEvent::Backstop(pallet_backstop::Event::Liquidated {
                caller, repaid, seized: s, caller_fee, ..
            }) if caller == &keeper && *repaid == cost && *s == seized && *caller_fee == fee
        )));
    });
}
