//! The dev chain's money market and backstop pool, used with ordinary calls: a lender
//! supplies, a borrower borrows against ETH, the oracle feeders drop the price, the backstop
//! pool liquidates the position, an arbitrageur buys the collateral from the pool, and the
//! depositor withdraws; then the README's avatar walkthrough, step by step.

mod common;

use backstop_primitives::{LendingMarket, PriceOracle};
use backstop_runtime::{
    configs::prices::OraclePrices,
    genesis_config_presets::{whole, ETH, ETH_USD_MARKET, USD},
    Assets, Avatar, Backstop, Lending, Runtime, RuntimeOrigin,
};
use common::{account, dev_ext, feed_eth, run_block, usd, T0};
use frame_support::{assert_noop, assert_ok};
use sp_keyring::Sr25519Keyring::{Bob, Charlie, Dave, Eve, Ferdie};

fn eth(n: u128) -> u128 {
    n * whole(18)
}

#[test]
fn supply_borrow_price_drop_pool_liquidates_arbitrageur_buys_depositor_withdraws() {
    dev_ext().execute_with(|| {
        let (lender, borrower, depositor, keeper, arbitrageur) = (
            account(Bob),
            account(Charlie),
            account(Dave),
            account(Eve),
            account(Ferdie),
        );
        run_block(1, T0);

        // A lender and a borrower use the ETH/USD market.
        assert_ok!(Lending::supply(
            RuntimeOrigin::signed(lender.clone()),
            ETH_USD_MARKET,
            usd(100_000)
        ));
        assert_ok!(Lending::supply_collateral(
            RuntimeOrigin::signed(borrower.clone()),
            ETH_USD_MARKET,
            eth(10)
        ));
        // 10 ETH at 3000 with lltv 77% carry at most 23 100 USD.
        assert_noop!(
            Lending::borrow(
                RuntimeOrigin::signed(borrower.clone()),
                ETH_USD_MARKET,
                usd(23_101)
            ),
            pallet_lending::Error::<Runtime>::InsufficientCollateral
        );
        let usd_before = Assets::balance(USD, &borrower);
        assert_ok!(Lending::borrow(
            RuntimeOrigin::signed(borrower.clone()),
            ETH_USD_MARKET,
            usd(20_000)
        ));
        assert_eq!(Assets::balance(USD, &borrower), usd_before + usd(20_000));

        // A depositor backs the pool.
        assert_ok!(Backstop::deposit(
            RuntimeOrigin::signed(depositor.clone()),
            usd(50_000)
        ));
        let deposited_value = Backstop::value_of(&depositor).expect("value");
        assert!(deposited_value <= usd(50_000) && deposited_value > usd(49_999));

        // Healthy: nobody may liquidate.
        assert_noop!(
            Backstop::liquidate(
                RuntimeOrigin::signed(keeper.clone()),
                ETH_USD_MARKET,
                borrower.clone(),
                eth(1)
            ),
            pallet_lending::Error::<Runtime>::PositionHealthy
        );

        // ETH falls to 2500: 10 ETH now carry 19 250 USD < 20 000 of debt.
        run_block(2, T0 + 6_000);
        feed_eth(2_500);
        let price = OraclePrices::price(ETH, USD).expect("fresh price").price;
        assert_eq!(
            <Lending as LendingMarket<_>>::liquidatable_positions(ETH_USD_MARKET, price, 10),
            Ok(vec![borrower.clone()])
        );

        // A keeper has the pool liquidate 4 ETH of the position.
        let debt_before = <Lending as LendingMarket<_>>::position(ETH_USD_MARKET, &borrower)
            .expect("position")
            .borrow_assets;
        assert_ok!(Backstop::liquidate(
            RuntimeOrigin::signed(keeper.clone()),
            ETH_USD_MARKET,
            borrower.clone(),
            eth(4)
        ));
        let after =
            <Lending as LendingMarket<_>>::position(ETH_USD_MARKET, &borrower).expect("position");
        assert_eq!(after.collateral, eth(6));
        // Repaid = 4 ETH · 2500 / LIF, LIF = 1 / (0.3 · 0.77 + 0.7) ≈ 1.0741: about 9 310 USD.
        let repaid = debt_before - after.borrow_assets;
        assert!(
            repaid > usd(9_309) && repaid < usd(9_311),
            "repaid {repaid}"
        );
        let pool = Backstop::account_id();
        assert_eq!(Assets::balance(ETH, &pool), eth(4));
        // The pool bought 10 000 USD of ETH for ~9 310 USD: its value rose.
        let value_after_liquidation = Backstop::pool_value().expect("pool value");
        assert!(
            value_after_liquidation > usd(50_000) + usd(680),
            "{value_after_liquidation}"
        );

        // An arbitrageur buys ETH from the pool with 3000 USD, at least at the oracle price.
        let quote = Backstop::quote_swap(ETH, usd(3_000)).expect("quote");
        assert!(
            quote.out >= eth(3_000) / 2_500,
            "never worse than the oracle price"
        );
        let eth_before = Assets::balance(ETH, &arbitrageur);
        assert_ok!(Backstop::swap(
            RuntimeOrigin::signed(arbitrageur.clone()),
            ETH,
            usd(3_000),
            quote.out
        ));
        assert_eq!(Assets::balance(ETH, &arbitrageur), eth_before + quote.out);

        // The depositor leaves with everything: the pool's USD and its remaining ETH, in kind.
        let shares = Backstop::shares_of(&depositor);
        let (usd_before, eth_before) = (
            Assets::balance(USD, &depositor),
            Assets::balance(ETH, &depositor),
        );
        let pool_usd = Assets::balance(USD, &pool);
        let pool_eth = Assets::balance(ETH, &pool);
        assert_ok!(Backstop::withdraw(
            RuntimeOrigin::signed(depositor.clone()),
            shares
        ));
        let got_usd = Assets::balance(USD, &depositor) - usd_before;
        let got_eth = Assets::balance(ETH, &depositor) - eth_before;
        // All but the locked minimum shares' part (dust): the pool's account keeps at least
        // the asset's minimum balance, 10^6 (reaped, the dust would vanish from the supply).
        assert!(pool_usd - got_usd <= 1_000_000 && got_usd > 0);
        assert!(Assets::balance(USD, &pool) >= 1_000_000);
        // (ETH: the pool's account keeps at least the asset's minimum balance, 10^6.)
        assert!(pool_eth - got_eth <= 1_000_000 && got_eth > 0);
        assert_eq!(Backstop::shares_of(&depositor), 0);

        // The README's avatar walkthrough. 0: the depositor backs the pool again.
        assert_ok!(Backstop::deposit(
            RuntimeOrigin::signed(depositor.clone()),
            usd(50_000)
        ));
        // 1: Eve opens 1 ETH / 1 000 USD through her avatar, created by her first call.
        let eve = keeper.clone();
        assert_ok!(Avatar::supply_collateral(
            RuntimeOrigin::signed(eve.clone()),
            ETH_USD_MARKET,
            eth(1)
        ));
        assert_ok!(Avatar::borrow(
            RuntimeOrigin::signed(eve.clone()),
            ETH_USD_MARKET,
            usd(1_000)
        ));
        let avatar = Avatar::avatar_account(eve.clone());
        // The market sees the avatar's debt (1 000 USD, rounded up to whole borrow shares).
        let debt = <Lending as LendingMarket<_>>::position(ETH_USD_MARKET, &avatar)
            .expect("position")
            .borrow_assets;
        assert!(debt >= usd(1_000) && debt < usd(1_000) + 1_000, "{debt}");
        // 2: ETH at 1 200 (next block); only the avatar pallet may liquidate the avatar.
        run_block(3, T0 + 12_000);
        feed_eth(1_200);
        assert_noop!(
            Lending::liquidate(
                RuntimeOrigin::signed(arbitrageur.clone()),
                ETH_USD_MARKET,
                avatar.clone(),
                eth(1) / 10
            ),
            pallet_lending::Error::<Runtime>::LiquidationNotPermitted
        );
        assert_noop!(
            Backstop::liquidate(
                RuntimeOrigin::signed(arbitrageur.clone()),
                ETH_USD_MARKET,
                avatar.clone(),
                eth(1) / 10
            ),
            pallet_lending::Error::<Runtime>::LiquidationNotPermitted
        );
        // 3: no seat is sold, so the pool may liquidate at once, the whole debt the view
        // function reports.
        let pool_eth = Assets::balance(ETH, &pool);
        let whole_debt = Avatar::debt_backstop_of(ETH_USD_MARKET, eve.clone()).expect("debt");
        assert!(whole_debt >= debt, "interest accrues");
        assert_ok!(Avatar::pool_liquidate(
            RuntimeOrigin::signed(arbitrageur.clone()),
            ETH_USD_MARKET,
            eve.clone(),
            whole_debt
        ));
        let left =
            <Lending as LendingMarket<_>>::position(ETH_USD_MARKET, &avatar).expect("position");
        assert_eq!(left.borrow_assets, 0);
        assert_eq!(
            Assets::balance(ETH, &pool),
            pool_eth + eth(1) - left.collateral
        );
        // 4: Eve closes her avatar and gets the rest of her ETH back.
        let eve_eth = Assets::balance(ETH, &eve);
        assert_ok!(Avatar::leave(RuntimeOrigin::signed(eve.clone())));
        assert_eq!(Assets::balance(ETH, &eve), eve_eth + left.collateral);
    });
}

#[test]
fn stale_prices_stop_borrowing_and_deposits_but_not_pool_withdrawals() {
    dev_ext().execute_with(|| {
        run_block(1, T0);
        let borrower = account(Charlie);
        assert_ok!(Lending::supply(
            RuntimeOrigin::signed(account(Bob)),
            ETH_USD_MARKET,
            usd(10_000)
        ));
        assert_ok!(Lending::supply_collateral(
            RuntimeOrigin::signed(borrower.clone()),
            ETH_USD_MARKET,
            eth(1)
        ));
        assert_ok!(Backstop::deposit(
            RuntimeOrigin::signed(account(Dave)),
            usd(1_000)
        ));
        // Seed the pool with collateral so its value depends on the ETH price.
        assert_ok!(Lending::borrow(
            RuntimeOrigin::signed(borrower.clone()),
            ETH_USD_MARKET,
            usd(2_300)
        ));
        run_block(2, T0 + 6_000);
        feed_eth(2_900);
        assert_ok!(Backstop::liquidate(
            RuntimeOrigin::signed(account(Eve)),
            ETH_USD_MARKET,
            borrower.clone(),
            eth(1) / 10
        ));

        // More than an hour without a feed.
        run_block(3, T0 + 6_000 + 3_600_001);
        assert_noop!(
            Lending::borrow(
                RuntimeOrigin::signed(borrower.clone()),
                ETH_USD_MARKET,
                usd(1)
            ),
            pallet_lending::Error::<Runtime>::PriceStale
        );
        assert_noop!(
            Backstop::deposit(RuntimeOrigin::signed(account(Ferdie)), usd(1_000)),
            pallet_backstop::Error::<Runtime>::OracleStale
        );
        let shares = Backstop::shares_of(&account(Dave));
        assert_ok!(Backstop::withdraw(
            RuntimeOrigin::signed(account(Dave)),
            shares
        ));
    });
}
