//! # Price feeder: an offchain worker that feeds pallet-oracle from HTTP sources
//!
//! pallet-oracle takes prices from permissioned feeders (`feed_values`) but has no offchain
//! worker. A parachain operator whose collator is a feeder runs this one instead of a separate
//! bot. It is optional and off until configured:
//!
//! - **Configuration** lives in the node's offchain *persistent local storage* under
//!   [`CONFIG_KEY`] (`backstop::feeder::config`), as JSON, set by the operator with the node's
//!   `offchain_localStorageSet` RPC (see the README):
//!   `{"every": 10, "max_deviation_percent": 5, "sources": [{"asset": 2, "url":
//!   "https://…", "pointer": "/ethereum/usd"}, …]}` — each source an asset id, a URL that
//!   answers JSON, and a JSON pointer (RFC 6901) to the price in USD per whole token (a number
//!   or a decimal string).
//! - **Signing**: with a key of type [`KEY_TYPE`] (`bsfd`, sr25519) in the node's keystore
//!   (`author_insertKey`), whose account must be one of the oracle's feeders: the chain checks
//!   that, as for any feeder. No key, no feed.
//! - **Aggregation**, per asset: the median of the sources that answered; a source more than
//!   `max_deviation_percent` away from that median is refused (logged) and the median of the
//!   rest is fed. One `oracle.feed_values` with every asset, every `every` blocks (a record in
//!   offchain storage, so a block seen twice feeds once).
//!
//! The worker is trusted for nothing on chain: the oracle's own rules (membership, one feed
//! per block, its combine step) apply to what it submits.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::{string::String, vec::Vec};
use backstop_primitives::AssetId;
use sp_arithmetic::FixedU128;
use sp_core::crypto::KeyTypeId;

pub use pallet::*;

/// The keystore key type of the feeder's signing key.
pub const KEY_TYPE: KeyTypeId = KeyTypeId(*b"bsfd");

/// The offchain persistent local storage key of the JSON configuration.
pub const CONFIG_KEY: &[u8] = b"backstop::feeder::config";

/// The offchain storage key of the last block fed.
const LAST_FEED: &[u8] = b"backstop::feeder::last-feed";

/// How long one HTTP request may take, in milliseconds.
const HTTP_DEADLINE_MS: u64 = 3_000;

/// The feeder's signing key (sr25519 under [`KEY_TYPE`]).
pub mod crypto {
    use super::KEY_TYPE;
    use sp_runtime::{
        app_crypto::{app_crypto, sr25519},
        MultiSignature, MultiSigner,
    };
    app_crypto!(sr25519, KEY_TYPE);

    /// The feeder key as a signer of runtime transactions.
    pub struct FeederId;

    impl frame_system::offchain::AppCrypto<MultiSigner, MultiSignature> for FeederId {
        type RuntimeAppPublic = Public;
        type GenericSignature = sp_core::sr25519::Signature;
        type GenericPublic = sp_core::sr25519::Public;
    }
}

/// The operator's configuration (JSON in offchain local storage).
#[derive(Clone, PartialEq, Eq, Debug, serde::Deserialize)]
pub struct FeederConfig {
    /// Feed every so many blocks (at least 1).
    #[serde(default = "default_every")]
    pub every: u32,
    /// Refuse a source this many percent away from the median of its asset's sources.
    #[serde(default = "default_deviation")]
    pub max_deviation_percent: u32,
    /// Where the prices come from.
    pub sources: Vec<Source>,
}

fn default_every() -> u32 {
    10
}

fn default_deviation() -> u32 {
    5
}

/// One price source.
#[derive(Clone, PartialEq, Eq, Debug, serde::Deserialize)]
pub struct Source {
    /// The asset priced (its oracle key).
    pub asset: AssetId,
    /// A URL answering JSON.
    pub url: String,
    /// A JSON pointer (RFC 6901) to the price, USD per whole token.
    pub pointer: String,
}

/// A decimal number (`"2500"`, `"2500.125"`, `2500.5`) as a `FixedU128`: at most 18 fraction
/// digits are kept (the rest truncated); no sign, exponent or other characters.
pub fn parse_decimal(text: &str) -> Option<FixedU128> {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let int: u128 = int.parse().ok()?;
    let mut inner = int.checked_mul(10u128.pow(18))?;
    let mut scale = 10u128.pow(17);
    for digit in frac.bytes().take(18) {
        inner = inner.checked_add(u128::from(digit - b'0').checked_mul(scale)?)?;
        scale /= 10;
    }
    Some(FixedU128::from_inner(inner))
}

/// The price a JSON `body` gives at `pointer`, if it is a positive decimal.
pub fn price_at(body: &[u8], pointer: &str) -> Option<FixedU128> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let price = match value.pointer(pointer)? {
        serde_json::Value::Number(n) => parse_decimal(&alloc::format!("{n}")),
        serde_json::Value::String(s) => parse_decimal(s),
        _ => None,
    }?;
    (price.into_inner() > 0).then_some(price)
}

/// The median of `prices` (the mean of the two middle ones for an even count), rounded down.
pub fn median(prices: &mut [FixedU128]) -> Option<FixedU128> {
    prices.sort();
    let n = prices.len();
    let upper = *prices.get(n / 2)?;
    if n % 2 == 1 {
        return Some(upper);
    }
    let lower = *prices.get(n / 2 - 1)?;
    Some(FixedU128::from_inner(
        lower.into_inner() / 2
            + upper.into_inner() / 2
            + (lower.into_inner() % 2 + upper.into_inner() % 2) / 2,
    ))
}

/// The price to feed from one asset's source prices: the median of those within
/// `max_deviation_percent` of the median of all of them; `None` when none answered.
pub fn aggregate(prices: &[FixedU128], max_deviation_percent: u32) -> Option<FixedU128> {
    let mut all = prices.to_vec();
    let centre = median(&mut all)?.into_inner();
    let mut kept: Vec<FixedU128> = prices
        .iter()
        .copied()
        .filter(|p| {
            let gap = p.into_inner().abs_diff(centre);
            // gap / centre ≤ max / 100, without overflow: compare gap · 100 with centre · max.
            gap.saturating_mul(100) <= centre.saturating_mul(u128::from(max_deviation_percent))
        })
        .collect();
    median(&mut kept)
}

#[frame_support::pallet]
pub mod pallet {
    use super::*;
    use frame_support::pallet_prelude::*;
    use frame_system::{
        offchain::{AppCrypto, CreateSignedTransaction, SendSignedTransaction, Signer},
        pallet_prelude::*,
    };
    use sp_runtime::offchain::{
        http,
        storage::{MutateStorageError, StorageValueRef},
        Duration, StorageKind,
    };
    use sp_runtime::traits::Saturating;

    #[pallet::pallet]
    pub struct Pallet<T>(_);

    #[pallet::config]
    pub trait Config:
        frame_system::Config
        + pallet_oracle::Config<OracleKey = AssetId, OracleValue = FixedU128>
        + CreateSignedTransaction<pallet_oracle::Call<Self>>
    {
        /// The key the feeds are signed with (found in the node's keystore).
        type AuthorityId: AppCrypto<Self::Public, Self::Signature>;
    }

    #[pallet::hooks]
    impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
        /// Feeds the configured prices every `every` blocks (see the crate docs).
        fn offchain_worker(n: BlockNumberFor<T>) {
            Self::feed(n);
        }
    }

    impl<T: Config> Pallet<T> {
        /// The configuration in offchain local storage, if set and valid JSON.
        pub fn config() -> Option<FeederConfig> {
            let raw = sp_io::offchain::local_storage_get(StorageKind::PERSISTENT, CONFIG_KEY)?;
            match serde_json::from_slice::<FeederConfig>(&raw) {
                Ok(config) => Some(config),
                Err(_) => {
                    log::warn!(target: "runtime::feeder", "the feeder configuration is not valid JSON");
                    None
                }
            }
        }

        fn feed(n: BlockNumberFor<T>) {
            let Some(config) = Self::config() else {
                return;
            };
            let signer = Signer::<T, T::AuthorityId>::any_account();
            if !signer.can_sign() {
                log::warn!(target: "runtime::feeder", "configured, but no `bsfd` key in the keystore");
                return;
            }
            // Every `every` blocks, once: a record of the last block fed, swapped atomically.
            let every: BlockNumberFor<T> = config.every.max(1).into();
            let claimed = StorageValueRef::persistent(LAST_FEED).mutate(
                |last: Result<Option<BlockNumberFor<T>>, _>| match last {
                    Ok(Some(fed)) if fed.saturating_add(every) > n => Err(()),
                    _ => Ok(n),
                },
            );
            if matches!(claimed, Err(MutateStorageError::ValueFunctionFailed(()))) {
                return;
            }
            let mut by_asset: Vec<(AssetId, Vec<FixedU128>)> = Vec::new();
            for source in &config.sources {
                let Some(price) =
                    Self::fetch(&source.url).and_then(|b| price_at(&b, &source.pointer))
                else {
                    log::warn!(target: "runtime::feeder", "no price from {}", source.url);
                    continue;
                };
                match by_asset.iter_mut().find(|(a, _)| *a == source.asset) {
                    Some((_, prices)) => prices.push(price),
                    None => by_asset.push((source.asset, alloc::vec![price])),
                }
            }
            let values: Vec<(AssetId, FixedU128)> = by_asset
                .iter()
                .filter_map(|(asset, prices)| {
                    aggregate(prices, config.max_deviation_percent).map(|p| (*asset, p))
                })
                .collect();
            if values.is_empty() {
                return;
            }
            let Ok(values) = BoundedVec::<_, T::MaxFeedValues>::try_from(values) else {
                log::warn!(target: "runtime::feeder", "more assets than one feed holds");
                return;
            };
            let sent = signer.send_signed_transaction(|_| pallet_oracle::Call::feed_values {
                values: values.clone(),
            });
            if !matches!(sent, Some((_, Ok(())))) {
                log::warn!(target: "runtime::feeder", "the feed was not accepted by the pool");
            }
        }

        /// The body of a `GET url` that answered 200 within the deadline.
        fn fetch(url: &str) -> Option<Vec<u8>> {
            let deadline =
                sp_io::offchain::timestamp().add(Duration::from_millis(HTTP_DEADLINE_MS));
            let pending = http::Request::get(url).deadline(deadline).send().ok()?;
            let response = pending.try_wait(deadline).ok()?.ok()?;
            (response.code == 200).then(|| response.body().collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(s: &str) -> FixedU128 {
        parse_decimal(s).unwrap()
    }

    #[test]
    fn decimals_parse_exactly_and_refuse_anything_else() {
        assert_eq!(fixed("2500"), FixedU128::from_u32(2500));
        assert_eq!(fixed("2500.125"), FixedU128::from_rational(2_500_125, 1000));
        assert_eq!(fixed("0.000000000000000001"), FixedU128::from_inner(1));
        // Beyond 18 fraction digits: truncated.
        assert_eq!(
            fixed("1.0000000000000000019"),
            FixedU128::from_inner(10u128.pow(18) + 1)
        );
        for bad in [
            "",
            ".5",
            "-1",
            "1e3",
            "1.2.3",
            "abc",
            "1 ",
            "340282366920938463464",
        ] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_price_is_read_at_its_json_pointer_as_a_number_or_a_string() {
        let body = br#"{"ethereum": {"usd": 2500.5}, "btc": "60000.25", "zero": 0, "neg": -1}"#;
        assert_eq!(price_at(body, "/ethereum/usd"), Some(fixed("2500.5")));
        assert_eq!(price_at(body, "/btc"), Some(fixed("60000.25")));
        assert_eq!(price_at(body, "/zero"), None);
        assert_eq!(price_at(body, "/neg"), None);
        assert_eq!(price_at(body, "/missing"), None);
        assert_eq!(price_at(b"not json", "/x"), None);
    }

    #[test]
    fn the_median_of_the_sources_within_the_deviation_is_fed() {
        let p = |s: &[&str]| s.iter().map(|x| fixed(x)).collect::<Vec<_>>();
        assert_eq!(aggregate(&p(&["2500"]), 5), Some(fixed("2500")));
        assert_eq!(aggregate(&p(&["2500", "2510"]), 5), Some(fixed("2505")));
        // An outlier 40 % off is refused; the median of the rest is fed.
        assert_eq!(
            aggregate(&p(&["2500", "2510", "1500", "2490"]), 5),
            Some(fixed("2500"))
        );
        assert_eq!(aggregate(&[], 5), None);
    }

    #[test]
    fn the_configuration_is_json_with_defaults() {
        let config: FeederConfig = serde_json::from_str(
            r#"{"sources": [{"asset": 2, "url": "http://127.0.0.1:8000/eth", "pointer": "/p"}]}"#,
        )
        .unwrap();
        assert_eq!(config.every, 10);
        assert_eq!(config.max_deviation_percent, 5);
        assert_eq!(config.sources[0].asset, 2);
    }
}
