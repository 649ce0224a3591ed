//! The `development` preset gives a newcomer a usable chain: funded accounts, assets with
//! metadata, oracle prices and a DEX pool with liquidity.

mod common;

use backstop_runtime::{
    genesis_config_presets::{
        dev_accounts, dev_asset_endowment, dev_dex_liquidity, dev_oracle_feeders, whole, BTC,
        DEV_NATIVE_ENDOWMENT, ETH, USD,
    },
    AssetConversion, Assets, Balances, Oracle, OracleFeeders, Runtime, RuntimeOrigin, System,
    Timestamp,
};
use common::{account, dev_ext, run_block};
use frame_support::{
    assert_noop, assert_ok,
    traits::{
        fungible::{Inspect as _, NativeOrWithId},
        fungibles::{metadata::Inspect as _, Inspect as _},
        OnFinalize, OnInitialize,
    },
};
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie, Dave};
use sp_runtime::{BoundedVec, FixedPointNumber, FixedU128};

#[test]
fn dev_accounts_are_funded_with_native_and_assets() {
    dev_ext().execute_with(|| {
        let accounts = dev_accounts();
        // 12 Substrate well-known keys (with stashes) and 5 Ethereum dev keys.
        assert!(accounts.len() >= 10);
        let (dex_usd, dex_eth) = dev_dex_liquidity();
        for who in &accounts {
            assert_eq!(Balances::total_balance(who), DEV_NATIVE_ENDOWMENT);
            for (asset, amount) in dev_asset_endowment() {
                let expected = match (who == &account(Alice), asset) {
                    // Alice provided the DEX liquidity.
                    (true, USD) => amount - dex_usd,
                    (true, ETH) => amount - dex_eth,
                    _ => amount,
                };
                assert_eq!(Assets::balance(asset, who), expected, "asset {asset}");
            }
        }
        assert_eq!(Assets::balance(BTC, account(Bob)), 500 * whole(8));
    });
}

#[test]
fn assets_have_metadata() {
    dev_ext().execute_with(|| {
        let expect = [
            (USD, "US Dollar", "USD", 18u8),
            (ETH, "Ether", "ETH", 18),
            (BTC, "Bitcoin", "BTC", 8),
        ];
        for (id, name, symbol, decimals) in expect {
            assert!(Assets::asset_exists(id));
            assert_eq!(Assets::name(id), name.as_bytes().to_vec());
            assert_eq!(Assets::symbol(id), symbol.as_bytes().to_vec());
            assert_eq!(Assets::decimals(id), decimals);
        }
        // Asset ids created later do not collide with the dev assets.
        assert_eq!(
            pallet_assets::NextAssetId::<Runtime, pallet_assets::Instance1>::get(),
            Some(4)
        );
    });
}

#[test]
fn oracle_starts_with_prices_that_are_stamped_in_block_one() {
    dev_ext().execute_with(|| {
        let eth = Oracle::get(&ETH).expect("ETH has a genesis price");
        let btc = Oracle::get(&BTC).expect("BTC has a genesis price");
        assert_eq!(eth.value, FixedU128::from_u32(3_000));
        assert_eq!(btc.value, FixedU128::from_u32(60_000));
        assert_eq!(eth.timestamp, 0, "genesis has no time");

        // A feeder moves ETH during block 1: the genesis re-stamp leaves that feed alone.
        let block_one_time = 1_800_000_000_000;
        System::set_block_number(1);
        <backstop_runtime::AllPalletsWithSystem as OnInitialize<u32>>::on_initialize(1);
        Timestamp::set_timestamp(block_one_time);
        assert_ok!(Oracle::feed_values(
            RuntimeOrigin::signed(account(Alice)),
            BoundedVec::truncate_from(vec![(ETH, FixedU128::from_u32(2_900))]),
        ));
        <backstop_runtime::AllPalletsWithSystem as OnFinalize<u32>>::on_finalize(1);
        assert_eq!(
            Oracle::get(&ETH).map(|p| p.value),
            Some(FixedU128::from_u32(2_900))
        );
        assert_eq!(Oracle::get(&ETH).map(|p| p.timestamp), Some(block_one_time));
        assert_eq!(
            Oracle::get(&BTC).map(|p| (p.value, p.timestamp)),
            Some((FixedU128::from_u32(60_000), block_one_time))
        );

        // Later blocks leave the prices alone.
        run_block(2, block_one_time + 6_000);
        assert_eq!(Oracle::get(&ETH).map(|p| p.timestamp), Some(block_one_time));
    });
}

#[test]
fn dev_feeders_move_prices_and_others_cannot() {
    dev_ext().execute_with(|| {
        let mut members = OracleFeeders::members().into_inner();
        members.sort();
        let mut expected = dev_oracle_feeders();
        expected.sort();
        assert_eq!(members, expected);

        run_block(1, 1_800_000_000_000);
        run_block(2, 1_800_000_006_000);
        let feed = |price: u32| -> BoundedVec<_, _> {
            BoundedVec::truncate_from(vec![(ETH, FixedU128::from_u32(price))])
        };
        // One feeder moves the price on the dev chain (minimum count 1).
        assert_ok!(Oracle::feed_values(
            RuntimeOrigin::signed(account(Charlie)),
            feed(2_000)
        ));
        let eth = Oracle::get(&ETH).expect("price");
        assert_eq!(
            (eth.value, eth.timestamp),
            (FixedU128::from_u32(2_000), 1_800_000_006_000)
        );

        assert_noop!(
            Oracle::feed_values(RuntimeOrigin::signed(account(Dave)), feed(1)),
            pallet_oracle::Error::<Runtime>::NoPermission
        );
    });
}

#[test]
fn dex_has_a_usd_eth_pool_priced_at_the_oracle() {
    dev_ext().execute_with(|| {
        let usd = NativeOrWithId::WithId(USD);
        let eth = NativeOrWithId::WithId(ETH);
        let (dex_usd, dex_eth) = dev_dex_liquidity();
        assert_eq!(
            AssetConversion::get_reserves(usd.clone(), eth.clone()).ok(),
            Some((dex_usd, dex_eth))
        );

        // Selling 1 ETH: constant product with a 0.3% fee, computed by hand (in U256).
        let one_eth = whole(18);
        let in_after_fee = sp_core::U256::from(one_eth) * sp_core::U256::from(997u32);
        let expected_out = (in_after_fee * sp_core::U256::from(dex_usd)
            / (sp_core::U256::from(dex_eth) * sp_core::U256::from(1000u32) + in_after_fee))
            .as_u128();
        let quoted = AssetConversion::quote_price_exact_tokens_for_tokens(
            eth.clone(),
            usd.clone(),
            one_eth,
            true,
        )
        .expect("quote");
        assert_eq!(quoted, expected_out);
        // About 2988 USD: 3000 less the 0.3% fee and 0.1% price impact.
        assert!(quoted > 2_987 * whole(18) && quoted < 2_989 * whole(18));

        let bob = account(Bob);
        let usd_before = Assets::balance(USD, &bob);
        assert_ok!(AssetConversion::swap_exact_tokens_for_tokens(
            RuntimeOrigin::signed(bob.clone()),
            vec![Box::new(eth), Box::new(usd)],
            one_eth,
            quoted,
            bob.clone(),
            false,
        ));
        assert_eq!(Assets::balance(USD, &bob), usd_before + quoted);
    });
}

#[test]
fn pallets_see_prices_per_smallest_unit_with_decimals_applied() {
    use backstop_primitives::PriceOracle;
    use backstop_runtime::configs::prices::OraclePrices;
    dev_ext().execute_with(|| {
        run_block(1, 1_800_000_000_000);
        // 1 wei of ETH (18 decimals) is worth 3000 · 1e18 / 1e18 = 3000 smallest USD units.
        let eth = OraclePrices::price(ETH, USD).expect("ETH/USD");
        assert_eq!(eth.price, FixedU128::from_u32(3_000));
        assert_eq!(eth.updated_at, 1_800_000_000_000);
        // 1 satoshi (8 decimals) is worth 60000 · 1e18 / 1e8 = 6e14 smallest USD units.
        let btc = OraclePrices::price(BTC, USD).expect("BTC/USD");
        assert_eq!(
            btc.price,
            FixedU128::saturating_from_integer(600_000_000_000_000u128)
        );
        // ETH in BTC: 1 wei = 0.05 BTC / 1e18 · 1e8 = 5e-12 satoshi.
        let eth_btc = OraclePrices::price(ETH, BTC).expect("ETH/BTC");
        assert_eq!(
            eth_btc.price,
            FixedU128::from_rational(5, 1_000_000_000_000)
        );
        // USD is the unit of account.
        assert_eq!(
            OraclePrices::price(USD, USD).map(|p| p.price),
            Some(FixedU128::from_u32(1))
        );
        // No feed, no price.
        assert_eq!(OraclePrices::price(99, USD), None);
    });
}
