//! Genesis presets. `development` is a chain a newcomer can use at once: funded dev
//! accounts, the stable asset `USD` and the collaterals `ETH` and `BTC` with metadata and
//! balances, oracle feeders and prices (USD 1, ETH 3000, BTC 60000 USD), a USD/ETH pool on the
//! DEX with liquidity at the oracle price, the lending markets ETH/USD (lltv 77%) and
//! BTC/USD (lltv 86%), and the backstop pool with its default parameters and a franchise
//! with 10-minute epochs; `sudo` (Alice) and referenda tracks that decide in a few blocks.
//!
//! `production` is the shape of a real chain's genesis: no `sudo` key (parameters change
//! only by referendum on the `backstop_params` track, pauses by the `backstop_emergency`
//! track), the production track periods (days, see `configs::governance::tracks`), weekly
//! franchise epochs, three oracle feeders, the assets and markets without any balances or
//! DEX liquidity, and the assets administered by no key. Its accounts (the well-known dev
//! keys as the initial native holders and feeders) are placeholders a launch replaces.

use crate::{
    AccountId, AssetConversionConfig, AssetId, AssetsConfig, BackstopConfig, Balance,
    BalancesConfig, LendingConfig, OracleFeedersConfig, OracleGenesisConfig, OriginsConfig,
    RuntimeGenesisConfig, SudoConfig, UNIT,
};
use alloc::{vec, vec::Vec};
use frame_support::{build_struct_json_patch, traits::fungible::NativeOrWithId, PalletId};
use pallet_lending::JumpRateModel;
use serde_json::Value;
use sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::AccountIdConversion, FixedU128, Perbill};

/// The name of the production-style preset.
pub const PRODUCTION_RUNTIME_PRESET: &str = "production";

/// The stable asset: US dollars, 18 decimals.
pub const USD: AssetId = 1;
/// Collateral: ether, 18 decimals.
pub const ETH: AssetId = 2;
/// Collateral: bitcoin, 8 decimals.
pub const BTC: AssetId = 3;

/// `(id, name, symbol, decimals, smallest balance an account may hold)` of the dev assets.
pub const DEV_ASSETS: [(AssetId, &str, &str, u8, Balance); 3] = [
    (USD, "US Dollar", "USD", 18, 1_000_000),
    (ETH, "Ether", "ETH", 18, 1_000_000),
    (BTC, "Bitcoin", "BTC", 8, 1),
];

/// Initial oracle prices: one whole unit of the asset in US dollars. The stable asset is fed
/// like any asset (at its peg, 1 USD) and ages like any feed.
pub const DEV_PRICES: [(AssetId, u32); 3] = [(USD, 1), (ETH, 3_000), (BTC, 60_000)];

/// Lending market 0: lends USD against ETH.
pub const ETH_USD_MARKET: backstop_primitives::MarketId = 0;
/// Lending market 1: lends USD against BTC.
pub const BTC_USD_MARKET: backstop_primitives::MarketId = 1;

/// `(loan asset, collateral asset, lltv)` of the dev lending markets, in market-id order.
pub fn dev_markets() -> [(AssetId, AssetId, Perbill); 2] {
    [
        (USD, ETH, Perbill::from_percent(77)),
        (USD, BTC, Perbill::from_percent(86)),
    ]
}

/// The dev markets' interest: 2%/year at zero utilisation, +10% up to 80% utilisation, then
/// +300% per unit of utilisation above it.
pub fn dev_rate_model() -> JumpRateModel {
    JumpRateModel {
        base_rate: FixedU128::from_rational(2, 100),
        slope1: FixedU128::from_rational(10, 100),
        kink: Perbill::from_percent(80),
        slope2: FixedU128::from_rational(300, 100),
    }
}

/// The dev chain's franchise: short enough that a newcomer sees seats within minutes
/// (blocks come every 6 s with `scripts/run`, and at once for each transaction): 10-minute
/// epochs (100 blocks) with 4 seats, a 2-minute candle in 5 samples, 1-minute assignment
/// windows whose first half is the member's priority; bids of at least 1 USD and commitments
/// of at least 100 USD. A production chain uses the pallet's defaults (weekly epochs).
pub fn dev_franchise_params() -> pallet_backstop::FranchiseParams {
    pallet_backstop::FranchiseParams {
        epoch_length: 100,
        seats: 4,
        ending_period: 20,
        candle_samples: 5,
        window_length: 10,
        priority_period: 5,
        min_bid: whole(18),
        min_commitment: 100 * whole(18),
    }
}

/// Native tokens each dev account starts with.
pub const DEV_NATIVE_ENDOWMENT: Balance = 1_000_000 * UNIT;

/// One whole unit of an asset with `decimals` decimals, in its smallest unit.
pub const fn whole(decimals: u8) -> Balance {
    10u128.pow(decimals as u32)
}

/// `(asset, amount)` each dev account starts with: 10 million USD, 10 000 ETH, 500 BTC.
pub fn dev_asset_endowment() -> [(AssetId, Balance); 3] {
    [
        (USD, 10_000_000 * whole(18)),
        (ETH, 10_000 * whole(18)),
        (BTC, 500 * whole(8)),
    ]
}

/// Liquidity of the USD/ETH pool on the DEX: 3 million USD and 1000 ETH (3000 USD per ETH).
pub fn dev_dex_liquidity() -> (Balance, Balance) {
    (3_000_000 * whole(18), 1_000 * whole(18))
}

/// The dev accounts: the Substrate well-known keys (Alice, Bob, ...) and the Ethereum dev
/// keys (Alith, Baltathar, Charleth, Dorothy, Ethan) as pallet-revive maps them (the 20-byte
/// address followed by twelve `0xee` bytes).
pub fn dev_accounts() -> Vec<AccountId> {
    let eth_dev: [[u8; 20]; 5] = [
        hex20("f24ff3a9cf04c71dbc94d0b566f7a27b94566cac"),
        hex20("3cd0a705a2dc65e5b1e1205896baa2be8a07c6e0"),
        hex20("798d4ba9baf0064ec19eb4f0a1a45785ae9d6dfc"),
        hex20("773539d4ac0e786233d90a233654ccee26a613d9"),
        hex20("ff64d3f6efe2317ee2807d223a0bdc4c0c49dfdb"),
    ];
    Sr25519Keyring::iter()
        .map(|k| k.to_account_id())
        .chain(eth_dev.into_iter().map(|h160| {
            let mut raw = [0xee_u8; 32];
            raw[..20].copy_from_slice(&h160);
            AccountId::from(raw)
        }))
        .collect()
}

/// The accounts that feed oracle prices on the dev chain: Alice, Bob and Charlie.
pub fn dev_oracle_feeders() -> Vec<AccountId> {
    [
        Sr25519Keyring::Alice,
        Sr25519Keyring::Bob,
        Sr25519Keyring::Charlie,
    ]
    .into_iter()
    .map(|k| k.to_account_id())
    .collect()
}

const fn hex_digit(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => panic!("not a lowercase hex digit"),
    }
}

const fn hex20(s: &str) -> [u8; 20] {
    let b = s.as_bytes();
    let mut out = [0u8; 20];
    let mut i = 0;
    while i < 20 {
        out[i] = hex_digit(b[2 * i]) * 16 + hex_digit(b[2 * i + 1]);
        i += 1;
    }
    out
}

/// The `development` preset as a JSON patch over the default genesis config.
pub fn development_config_genesis() -> Value {
    let accounts = dev_accounts();
    let alice = Sr25519Keyring::Alice.to_account_id();
    let (dex_usd, dex_eth) = dev_dex_liquidity();

    let assets = DEV_ASSETS
        .iter()
        .map(|(id, _, _, _, min)| (*id, alice.clone(), true, *min))
        .collect::<Vec<_>>();
    let metadata = DEV_ASSETS
        .iter()
        .map(|(id, name, symbol, decimals, _)| {
            (
                *id,
                name.as_bytes().to_vec(),
                symbol.as_bytes().to_vec(),
                *decimals,
            )
        })
        .collect::<Vec<_>>();
    let asset_accounts = accounts
        .iter()
        .flat_map(|who| {
            dev_asset_endowment()
                .into_iter()
                .map(move |(id, amount)| (id, who.clone(), amount))
        })
        .collect::<Vec<_>>();

    build_struct_json_patch!(RuntimeGenesisConfig {
        balances: BalancesConfig {
            balances: accounts
                .iter()
                .cloned()
                .map(|a| (a, DEV_NATIVE_ENDOWMENT))
                .collect(),
        },
        sudo: SudoConfig {
            key: Some(alice.clone())
        },
        assets: AssetsConfig {
            assets,
            metadata,
            accounts: asset_accounts,
            next_asset_id: Some(DEV_ASSETS.len() as AssetId + 1),
        },
        asset_conversion: AssetConversionConfig {
            pools: vec![(
                NativeOrWithId::WithId(USD),
                NativeOrWithId::WithId(ETH),
                alice.clone(),
                dex_usd,
                dex_eth,
            )],
        },
        oracle_feeders: OracleFeedersConfig {
            members: dev_oracle_feeders()
                .try_into()
                .expect("3 feeders fit MaxMembers (16)"),
        },
        oracle_genesis: OracleGenesisConfig {
            prices: DEV_PRICES
                .iter()
                .map(|(asset, usd)| (*asset, FixedU128::from_u32(*usd)))
                .collect(),
        },
        lending: LendingConfig {
            markets: dev_markets()
                .into_iter()
                .map(|(loan, collateral, lltv)| (loan, collateral, lltv, dev_rate_model()))
                .collect(),
        },
        backstop: BackstopConfig {
            params: pallet_backstop::PoolParams::default(),
            franchise: dev_franchise_params(),
        },
        origins: OriginsConfig {
            development_tracks: true,
        },
    })
}

/// The `production` preset as a JSON patch over the default genesis config: no `sudo` key,
/// production track periods, the pallets' default (production) parameters.
pub fn production_config_genesis() -> Value {
    // Keyless: no one can mint or manage the assets outside governance's force calls.
    let asset_admin: AccountId = PalletId(*b"bs/asset").into_account_truncating();
    let assets = DEV_ASSETS
        .iter()
        .map(|(id, _, _, _, min)| (*id, asset_admin.clone(), true, *min))
        .collect::<Vec<_>>();
    let metadata = DEV_ASSETS
        .iter()
        .map(|(id, name, symbol, decimals, _)| {
            (
                *id,
                name.as_bytes().to_vec(),
                symbol.as_bytes().to_vec(),
                *decimals,
            )
        })
        .collect::<Vec<_>>();

    build_struct_json_patch!(RuntimeGenesisConfig {
        balances: BalancesConfig {
            balances: Sr25519Keyring::iter()
                .map(|k| (k.to_account_id(), DEV_NATIVE_ENDOWMENT))
                .collect(),
        },
        assets: AssetsConfig {
            assets,
            metadata,
            next_asset_id: Some(DEV_ASSETS.len() as AssetId + 1),
        },
        oracle_feeders: OracleFeedersConfig {
            members: dev_oracle_feeders()
                .try_into()
                .expect("3 feeders fit MaxMembers (16)"),
        },
        oracle_genesis: OracleGenesisConfig {
            prices: DEV_PRICES
                .iter()
                .map(|(asset, usd)| (*asset, FixedU128::from_u32(*usd)))
                .collect(),
        },
        lending: LendingConfig {
            markets: dev_markets()
                .into_iter()
                .map(|(loan, collateral, lltv)| (loan, collateral, lltv, dev_rate_model()))
                .collect(),
        },
        backstop: BackstopConfig {
            params: pallet_backstop::PoolParams::default(),
            franchise: pallet_backstop::FranchiseParams::default(),
        },
        origins: OriginsConfig {
            development_tracks: false,
        },
    })
}

/// The preset named `id`, as JSON.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
    let patch = match id.as_ref() {
        DEV_RUNTIME_PRESET => development_config_genesis(),
        PRODUCTION_RUNTIME_PRESET => production_config_genesis(),
        _ => return None,
    };
    // Genesis-build assertion: a preset other than `development` needs two oracle feeders.
    let name: &str = id.as_ref();
    if let Err(rule) = crate::oracle_genesis::check_oracle_feeders(name, &patch) {
        panic!("genesis preset {name}: {rule}");
    }
    Some(
        serde_json::to_string(&patch)
            .expect("serialization to json is expected to work. qed.")
            .into_bytes(),
    )
}

/// The presets this runtime offers.
pub fn preset_names() -> Vec<PresetId> {
    vec![
        PresetId::from(DEV_RUNTIME_PRESET),
        PresetId::from(PRODUCTION_RUNTIME_PRESET),
    ]
}
