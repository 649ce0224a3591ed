//! Decimals are frozen where an asset is registered: creating a market records both assets'
//! decimals from pallet-assets' metadata, and nothing the asset's owner does afterwards
//! (`set_metadata`, `clear_metadata`) changes what the pallet recorded, which is what the
//! runtime's price adapter reads.

use super::mock::*;
use crate::{AssetDecimals, Error};
use frame_support::{assert_noop, assert_ok};
use sp_arithmetic::Perbill;

/// The asset owner gives `asset` metadata with `decimals`.
fn set_decimals(asset: u32, decimals: u8) {
    assert_ok!(Assets::set_metadata(
        RuntimeOrigin::signed(ADMIN),
        asset,
        b"name".to_vec(),
        b"SYM".to_vec(),
        decimals
    ));
}

#[test]
fn create_market_records_the_decimals_of_both_assets() {
    ExtBuilder::default().build_and_execute(|| {
        set_decimals(USD, 6);
        set_decimals(ETH, 18);
        assert_eq!(AssetDecimals::<Test>::get(USD), None);
        create_market();
        assert_eq!(AssetDecimals::<Test>::get(USD), Some(6));
        assert_eq!(AssetDecimals::<Test>::get(ETH), Some(18));
        assert_eq!(Lending::asset_decimals(ETH), Some(18));
        // An asset in no market has none.
        assert_eq!(Lending::asset_decimals(DOGE), None);
    });
}

#[test]
fn the_asset_owner_cannot_change_the_recorded_decimals_with_set_metadata() {
    ExtBuilder::default().build_and_execute(|| {
        set_decimals(USD, 6);
        set_decimals(ETH, 18);
        create_market();
        // The owner reprices ETH by twelve powers of ten in pallet-assets' metadata...
        set_decimals(ETH, 6);
        assert_ok!(Assets::clear_metadata(RuntimeOrigin::signed(ADMIN), ETH));
        set_decimals(ETH, 30);
        // ...but the market keeps what it recorded, also when another market registers ETH.
        assert_eq!(AssetDecimals::<Test>::get(ETH), Some(18));
        assert_ok!(Lending::create_market(
            RuntimeOrigin::root(),
            ETH,
            DOGE,
            Perbill::from_percent(50),
            rate_model()
        ));
        assert_eq!(AssetDecimals::<Test>::get(ETH), Some(18));
        assert_eq!(AssetDecimals::<Test>::get(DOGE), Some(0));
    });
}

#[test]
fn genesis_markets_record_decimals_and_a_refused_market_records_none() {
    ExtBuilder::default()
        .with_market(USD, ETH, Perbill::from_percent(80))
        .build_and_execute(|| {
            // The mock's assets have no metadata: zero decimals, recorded at genesis.
            assert_eq!(AssetDecimals::<Test>::get(USD), Some(0));
            assert_eq!(AssetDecimals::<Test>::get(ETH), Some(0));
            assert_noop!(
                Lending::create_market(
                    RuntimeOrigin::root(),
                    DOGE,
                    DOGE,
                    Perbill::from_percent(50),
                    rate_model()
                ),
                Error::<Test>::SameAsset
            );
            assert_eq!(AssetDecimals::<Test>::get(DOGE), None);
        });
}
