//! Prices for the pallets: [`OraclePrices`] implements the pallets' `PriceOracle` over
//! pallet-oracle's feeds, which quote one *whole* unit of each asset in US dollars.
//!
//! The stable asset `USD` is the unit of account: its price is 1 by definition and never
//! ages. Every other price is the cross of two feeds, scaled by the assets' decimals from
//! pallet-assets' metadata, and is as old as the older of the two feeds.

use crate::{genesis_config_presets::USD, AssetId, Assets, Oracle};
use backstop_primitives::{cross_price, Moment, OraclePrice, PriceOracle};
use frame_support::traits::fungibles::metadata::Inspect as MetadataInspect;
use sp_runtime::{traits::One, FixedU128};

/// The runtime's price source (see the module docs).
pub struct OraclePrices;

impl OraclePrices {
    /// US dollars per whole unit of `asset`, and when that was fed (`Moment::MAX` for the
    /// stable asset, which is always fresh).
    fn usd_per_token(asset: AssetId) -> Option<(FixedU128, Moment)> {
        if asset == USD {
            return Some((FixedU128::one(), Moment::MAX));
        }
        Oracle::get(&asset).map(|fed| (fed.value, fed.timestamp))
    }
}

impl PriceOracle<AssetId> for OraclePrices {
    fn price(base: AssetId, quote: AssetId) -> Option<OraclePrice> {
        let (base_usd, base_at) = Self::usd_per_token(base)?;
        let (quote_usd, quote_at) = Self::usd_per_token(quote)?;
        let price = cross_price(
            base_usd,
            quote_usd,
            Assets::decimals(base),
            Assets::decimals(quote),
        )?;
        let updated_at = base_at.min(quote_at);
        // Both sides are the stable asset: the price is 1 and its "feed" is now.
        let updated_at = if updated_at == Moment::MAX {
            pallet_timestamp::Now::<crate::Runtime>::get()
        } else {
            updated_at
        };
        Some(OraclePrice { price, updated_at })
    }
}
