//! Prices for the pallets: [`OraclePrices`] implements the pallets' `PriceOracle` over
//! pallet-oracle's feeds, which quote one *whole* unit of each asset in US dollars.
//!
//! - **Every asset is fed, the stable asset too.** `USD` is priced from its feed like any
//!   asset and ages like any feed: a price is as old as the older of its two feeds. The
//!   stable's fed price must stay within [`STABLE_DEPEG_BOUND`] (5 %) of one US dollar, the
//!   band's edges included ([`within_peg`]). Outside the band every price that involves the
//!   stable is *refused* (`None`), not clamped: a clamped price would be wrong by the excess,
//!   and a liquidation or a pool swap at that price would transfer the error to whoever is on
//!   the other side. Refused, the pallets stop where they need the price (pallet-lending:
//!   `PriceUnavailable`; the pool: `PriceMissing`) while repayments and the pool's in-kind
//!   withdrawals, which need no price, keep working. Prices that do not involve the stable
//!   (ETH in BTC) are unaffected.
//! - **Decimals are frozen.** A price per smallest unit is the cross of two feeds scaled by
//!   the assets' decimals as pallet-lending recorded them when the first market with the asset
//!   was created ([`pallet_lending::AssetDecimals`]), never by pallet-assets' live metadata:
//!   the asset's owner may rewrite that at will (`set_metadata`; and in pallet-assets 54
//!   `clear_metadata` ignores the `is_frozen` flag `force_set_metadata` sets, so freezing the
//!   metadata would not stop a repricing). An asset no market has registered has no price;
//!   every asset the pallets price (market assets, the pool's stable and the collaterals it
//!   gets from liquidations) is registered.

use crate::{genesis_config_presets::USD, AssetId, Lending, Oracle};
use backstop_primitives::{cross_price, Moment, OraclePrice, PriceOracle};
use sp_runtime::{
    traits::{One, Saturating},
    FixedU128, Permill,
};

/// How far the stable asset's fed price may be from one US dollar, either way, before prices
/// involving it are refused: 5 %.
pub const STABLE_DEPEG_BOUND: Permill = Permill::from_percent(5);

/// Whether `usd_per_stable`, the stable asset's fed price, is within [`STABLE_DEPEG_BOUND`]
/// of one US dollar (edges included).
pub fn within_peg(usd_per_stable: FixedU128) -> bool {
    let one = FixedU128::one();
    let deviation = if usd_per_stable >= one {
        usd_per_stable.saturating_sub(one)
    } else {
        one.saturating_sub(usd_per_stable)
    };
    deviation <= FixedU128::from(STABLE_DEPEG_BOUND)
}

/// The runtime's price source (see the module docs).
pub struct OraclePrices;

impl OraclePrices {
    /// US dollars per whole unit of `asset` and when that was fed; `None` without a feed, or
    /// for the stable asset outside its peg band.
    fn usd_per_token(asset: AssetId) -> Option<(FixedU128, Moment)> {
        let fed = Oracle::get(&asset)?;
        if asset == USD && !within_peg(fed.value) {
            return None;
        }
        Some((fed.value, fed.timestamp))
    }
}

impl PriceOracle<AssetId> for OraclePrices {
    fn price(base: AssetId, quote: AssetId) -> Option<OraclePrice> {
        let (base_usd, base_at) = Self::usd_per_token(base)?;
        let (quote_usd, quote_at) = Self::usd_per_token(quote)?;
        let price = cross_price(
            base_usd,
            quote_usd,
            Lending::asset_decimals(base)?,
            Lending::asset_decimals(quote)?,
        )?;
        Some(OraclePrice {
            price,
            updated_at: base_at.min(quote_at),
        })
    }
}
