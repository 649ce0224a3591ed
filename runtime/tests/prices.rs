//! The prices the pallets see (`OraclePrices`) on the `development` preset:
//!
//! - issue 10: the decimals are frozen where an asset is registered for lending, so the
//!   asset's owner cannot reprice it by editing pallet-assets metadata;
//! - issue 11: the stable asset is priced from the oracle like any asset, refused when its fed
//!   price leaves the depeg band, and ages like any feed; genesis feeds it; presets other than
//!   `development` need at least two oracle feeders.

mod common;

use backstop_primitives::{cross_price, PriceOracle};
use backstop_runtime::{
    configs::prices::OraclePrices,
    genesis_config_presets::{self, whole, ETH, ETH_USD_MARKET, USD},
    Assets, Backstop, Lending, Oracle, Runtime, RuntimeOrigin,
};
use common::{account, dev_ext, run_block, usd, BLOCK_MS, T0};
use frame_support::{assert_noop, assert_ok, traits::fungibles::metadata::Inspect as _};
use sp_keyring::Sr25519Keyring::{Alice, Charlie, Eve};
use sp_runtime::{BoundedVec, FixedU128};

/// Alice, a feeder (and the owner of the dev assets), feeds `prices` (USD per whole unit) in
/// one call: a feeder may feed once per block.
fn feed(prices: &[(u32, FixedU128)]) {
    assert_ok!(Oracle::feed_values(
        RuntimeOrigin::signed(account(Alice)),
        BoundedVec::truncate_from(prices.to_vec()),
    ));
}

fn dollars(n: u32) -> FixedU128 {
    FixedU128::from_u32(n)
}

/// `percent` / 100 US dollars.
fn cents(percent: u128) -> FixedU128 {
    FixedU128::from_rational(percent, 100)
}

/// Charlie pledges 1 ETH and borrows `borrowed` whole USD in the ETH/USD market (after Eve
/// supplied 100 000 USD).
fn open_position(borrowed: u128) {
    assert_ok!(Lending::supply(
        RuntimeOrigin::signed(account(Eve)),
        ETH_USD_MARKET,
        usd(100_000)
    ));
    assert_ok!(Lending::supply_collateral(
        RuntimeOrigin::signed(account(Charlie)),
        ETH_USD_MARKET,
        whole(18)
    ));
    assert_ok!(Lending::borrow(
        RuntimeOrigin::signed(account(Charlie)),
        ETH_USD_MARKET,
        usd(borrowed)
    ));
}

// ---------------------------------------------------------------------------------------
// Issue 10: prices read frozen decimals.

#[test]
fn the_asset_owner_repricing_eth_with_set_metadata_does_not_change_the_price_the_pallets_see() {
    dev_ext().execute_with(|| {
        run_block(1, T0);
        let before = OraclePrices::price(ETH, USD).expect("ETH/USD");
        assert_eq!(before.price, dollars(3_000));

        // Alice owns ETH and USD in the dev preset: she rewrites their decimals, also by
        // clearing the metadata first.
        let alice = RuntimeOrigin::signed(account(Alice));
        assert_ok!(Assets::set_metadata(
            alice.clone(),
            ETH.into(),
            b"Ether".to_vec(),
            b"ETH".to_vec(),
            6
        ));
        assert_eq!(
            Assets::decimals(ETH),
            6,
            "pallet-assets took the new decimals"
        );
        assert_eq!(OraclePrices::price(ETH, USD), Some(before));
        assert_ok!(Assets::clear_metadata(alice.clone(), ETH.into()));
        assert_ok!(Assets::set_metadata(
            alice.clone(),
            USD.into(),
            b"US Dollar".to_vec(),
            b"USD".to_vec(),
            30
        ));
        assert_eq!(OraclePrices::price(ETH, USD), Some(before));

        // The market still lets 1 ETH at 3 000 carry at most 3 000 · 0.77 = 2 310 USD.
        assert_ok!(Lending::supply(
            RuntimeOrigin::signed(account(Eve)),
            ETH_USD_MARKET,
            usd(100_000)
        ));
        assert_ok!(Lending::supply_collateral(
            RuntimeOrigin::signed(account(Charlie)),
            ETH_USD_MARKET,
            whole(18)
        ));
        assert_noop!(
            Lending::borrow(
                RuntimeOrigin::signed(account(Charlie)),
                ETH_USD_MARKET,
                usd(2_311)
            ),
            pallet_lending::Error::<Runtime>::InsufficientCollateral
        );
        assert_ok!(Lending::borrow(
            RuntimeOrigin::signed(account(Charlie)),
            ETH_USD_MARKET,
            usd(2_310)
        ));
    });
}

#[test]
fn an_asset_no_market_registered_has_no_price() {
    dev_ext().execute_with(|| {
        run_block(1, T0);
        // Asset 4 exists in pallet-assets with metadata and a fed price, but no market lends
        // it or takes it as collateral: its decimals are not frozen anywhere, so no price.
        let alice = RuntimeOrigin::signed(account(Alice));
        assert_ok!(Assets::create(
            alice.clone(),
            4.into(),
            account(Alice).into(),
            1
        ));
        assert_ok!(Assets::set_metadata(
            alice,
            4.into(),
            b"Doge".to_vec(),
            b"DOGE".to_vec(),
            8
        ));
        feed(&[(4, cents(10)), (USD, dollars(1))]);
        assert_eq!(OraclePrices::price(4, USD), None);
        assert!(OraclePrices::price(ETH, USD).is_some());
    });
}

// ---------------------------------------------------------------------------------------
// Issue 11: the stable is priced from the oracle, with a depeg guard.

#[test]
fn genesis_feeds_a_usd_price_that_ages_like_any_feed() {
    dev_ext().execute_with(|| {
        let fed = Oracle::get(&USD).expect("genesis feeds USD");
        assert_eq!(fed.value, dollars(1));
        run_block(1, T0);
        assert_eq!(Oracle::get(&USD).map(|p| p.timestamp), Some(T0));
        // USD in USD is 1, as old as the USD feed.
        run_block(2, T0 + BLOCK_MS);
        let usd_usd = OraclePrices::price(USD, USD).expect("USD/USD");
        assert_eq!((usd_usd.price, usd_usd.updated_at), (dollars(1), T0));
    });
}

#[test]
fn a_normal_usd_feed_prices_eth_against_the_fed_usd() {
    dev_ext().execute_with(|| {
        run_block(1, T0);
        run_block(2, T0 + BLOCK_MS);
        // USD at 1.02: one wei of ETH is worth 3000 / 1.02 smallest USD units.
        feed(&[(ETH, dollars(3_000)), (USD, cents(102))]);
        let price = OraclePrices::price(ETH, USD)
            .expect("within the band")
            .price;
        assert_eq!(Some(price), cross_price(dollars(3_000), cents(102), 18, 18));
        assert!(price > FixedU128::from_rational(294_117, 100) && price < cents(294_118));
        // USD per ETH inverts it.
        let inverse = OraclePrices::price(USD, ETH)
            .expect("within the band")
            .price;
        assert_eq!(
            Some(inverse),
            cross_price(cents(102), dollars(3_000), 18, 18)
        );

        // The band's edges are inside it: 0.95 and 1.05.
        for (n, edge) in [(3, cents(95)), (4, cents(105))] {
            run_block(n, T0 + u64::from(n) * BLOCK_MS);
            feed(&[(USD, edge)]);
            assert!(OraclePrices::price(ETH, USD).is_some(), "{edge:?}");
        }
        // A position is priced and liquidated as usual with USD at 1.05.
        open_position(2_000);
        run_block(5, T0 + 5 * BLOCK_MS);
        feed(&[(ETH, dollars(2_500)), (USD, cents(101))]);
        assert_ok!(Lending::liquidate(
            RuntimeOrigin::signed(account(Eve)),
            ETH_USD_MARKET,
            account(Charlie),
            whole(18) / 10
        ));
    });
}

#[test]
fn a_depegged_usd_stops_liquidation_pricing() {
    dev_ext().execute_with(|| {
        run_block(1, T0);
        open_position(2_000);
        // ETH falls to 2 500 (2 000 > 2 500 · 0.77 = 1 925: liquidatable) while USD trades
        // at 0.90: every price involving USD is refused.
        run_block(2, T0 + BLOCK_MS);
        feed(&[(ETH, dollars(2_500)), (USD, cents(90))]);
        assert_eq!(OraclePrices::price(ETH, USD), None);
        assert_eq!(OraclePrices::price(USD, ETH), None);
        assert_eq!(OraclePrices::price(USD, USD), None);
        // ETH against BTC does not involve USD.
        assert!(OraclePrices::price(ETH, genesis_config_presets::BTC).is_some());
        assert_noop!(
            Lending::liquidate(
                RuntimeOrigin::signed(account(Eve)),
                ETH_USD_MARKET,
                account(Charlie),
                whole(18) / 10
            ),
            pallet_lending::Error::<Runtime>::PriceUnavailable
        );
        assert!(Backstop::liquidate(
            RuntimeOrigin::signed(account(Eve)),
            ETH_USD_MARKET,
            account(Charlie),
            whole(18) / 10
        )
        .is_err());
        // Above the peg as well: 1.0501.
        run_block(3, T0 + 2 * BLOCK_MS);
        feed(&[(USD, FixedU128::from_rational(10_501, 10_000))]);
        assert_eq!(OraclePrices::price(ETH, USD), None);
        // Just below the band: 0.9499.
        run_block(4, T0 + 3 * BLOCK_MS);
        feed(&[(USD, FixedU128::from_rational(9_499, 10_000))]);
        assert_eq!(OraclePrices::price(ETH, USD), None);

        // USD back at 1: the liquidation goes through.
        run_block(5, T0 + 4 * BLOCK_MS);
        feed(&[(USD, dollars(1))]);
        assert_ok!(Lending::liquidate(
            RuntimeOrigin::signed(account(Eve)),
            ETH_USD_MARKET,
            account(Charlie),
            whole(18) / 10
        ));
    });
}

#[test]
fn a_stale_usd_feed_is_stale() {
    dev_ext().execute_with(|| {
        run_block(1, T0);
        open_position(1_000);
        // More than an hour later ETH is fed again, USD is not.
        let later = T0 + 3_600_001;
        run_block(2, later);
        feed(&[(ETH, dollars(3_000))]);
        let price = OraclePrices::price(ETH, USD).expect("a price, if old");
        assert_eq!(price.updated_at, T0, "as old as the USD feed");
        assert_noop!(
            Lending::borrow(
                RuntimeOrigin::signed(account(Charlie)),
                ETH_USD_MARKET,
                usd(1)
            ),
            pallet_lending::Error::<Runtime>::PriceStale
        );
        // Fed again, USD is fresh: the price is as old as the older feed now, ETH's.
        run_block(3, later + BLOCK_MS);
        feed(&[(USD, dollars(1))]);
        assert_eq!(
            OraclePrices::price(ETH, USD).map(|p| p.updated_at),
            Some(later)
        );
        assert_ok!(Lending::borrow(
            RuntimeOrigin::signed(account(Charlie)),
            ETH_USD_MARKET,
            usd(1)
        ));
    });
}

#[test]
fn presets_other_than_development_need_at_least_two_oracle_feeders() {
    use backstop_runtime::oracle_genesis::check_oracle_feeders;
    let with_feeders = |n: usize| {
        serde_json::json!({
            "oracleFeeders": { "members": vec![serde_json::json!("5Grw"); n] }
        })
    };
    // The development preset may run with one feeder.
    assert_eq!(
        check_oracle_feeders(sp_genesis_builder::DEV_RUNTIME_PRESET, &with_feeders(1)),
        Ok(())
    );
    // Any other preset needs two or more.
    for n in [0, 1] {
        assert!(check_oracle_feeders("production", &with_feeders(n)).is_err());
    }
    assert!(check_oracle_feeders("production", &serde_json::json!({})).is_err());
    assert_eq!(check_oracle_feeders("production", &with_feeders(2)), Ok(()));
    // Every preset the runtime offers passes, the development one with its three feeders.
    for id in genesis_config_presets::preset_names() {
        let preset = genesis_config_presets::get_preset(&id).expect("offered presets exist");
        let patch: serde_json::Value = serde_json::from_slice(&preset).expect("JSON");
        assert_eq!(
            patch["oracleFeeders"]["members"]
                .as_array()
                .map(|m| m.len()),
            Some(3)
        );
        assert_eq!(check_oracle_feeders(id.as_ref(), &patch), Ok(()));
    }
}
