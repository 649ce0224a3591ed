//! Mock runtime with the real neighbours: pallet-balances, pallet-assets, pallet-timestamp and
//! pallet-oracle (fed as its own pallet account), plus an `ExtBuilder` whose
//! `build_and_execute` checks the lending invariants after every test.

use crate::{self as pallet_lending, JumpRateModel};
use backstop_primitives::{
    cross_price, AssetId, Balance, LiquidationPermission, MarketId, OnBadDebt, OraclePrice,
    PriceOracle,
};
use core::cell::RefCell;
use frame_support::{
    assert_ok, derive_impl, parameter_types,
    traits::{AsEnsureOriginWithArg, ConstU128, ConstU32, ConstU64, SortedMembers},
    PalletId,
};
use frame_system::{EnsureRoot, EnsureSigned};
use pallet_oracle::DataFeeder;
use sp_arithmetic::{traits::One, FixedU128, Perbill};
use sp_runtime::BuildStorage;

pub type AccountId = u64;

/// The account the mock's `EmergencyOrigin` accepts (signed by it: tighten only).
pub const EMERGENCY: AccountId = 9_999;

frame_support::ord_parameter_types! {
    pub const EmergencyAccount: AccountId = EMERGENCY;
}

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
pub const CHARLIE: AccountId = 3;
pub const DAVE: AccountId = 4;
pub const EVE: AccountId = 5;
/// Owner of the test assets.
pub const ADMIN: AccountId = 100;

/// The loan asset (a USD stablecoin).
pub const USD: AssetId = 1;
/// The collateral asset.
pub const ETH: AssetId = 2;
/// A third asset with no oracle price.
pub const DOGE: AssetId = 3;
/// Both priced assets have 6 decimals: one token is 10^6 units.
pub const DECIMALS: u8 = 6;
pub const UNIT: Balance = 1_000_000;
/// What every test account holds of each asset at genesis.
pub const INITIAL: Balance = 1_000_000_000 * UNIT;
/// Genesis time, Unix ms.
pub const GENESIS_MS: u64 = 1_700_000_000_000;
/// `MaxPriceAge`: one hour.
pub const MAX_PRICE_AGE: u64 = 3_600_000;

#[frame_support::runtime]
mod runtime {
    #[runtime::runtime]
    #[runtime::derive(
        RuntimeCall,
        RuntimeEvent,
        RuntimeError,
        RuntimeOrigin,
        RuntimeFreezeReason,
        RuntimeHoldReason,
        RuntimeSlashReason,
        RuntimeLockId,
        RuntimeTask,
        RuntimeViewFunction
    )]
    pub struct Test;

    #[runtime::pallet_index(0)]
    pub type System = frame_system;
    #[runtime::pallet_index(1)]
    pub type Timestamp = pallet_timestamp;
    #[runtime::pallet_index(2)]
    pub type Balances = pallet_balances;
    #[runtime::pallet_index(3)]
    pub type Assets = pallet_assets;
    #[runtime::pallet_index(4)]
    pub type Oracle = pallet_oracle;
    #[runtime::pallet_index(5)]
    pub type Lending = pallet_lending;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
    type Block = frame_system::mocking::MockBlock<Test>;
    type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
    type Balance = Balance;
    type ExistentialDeposit = ConstU128<1>;
    type AccountStore = System;
}

#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config for Test {
    type Balance = Balance;
    type AssetId = AssetId;
    type AssetIdParameter = AssetId;
    type Currency = Balances;
    type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
    type ForceOrigin = EnsureRoot<AccountId>;
}

/// The oracle has no external feeders in the tests: prices are fed as its pallet account.
pub struct NoFeeders;
impl SortedMembers<AccountId> for NoFeeders {
    fn sorted_members() -> Vec<AccountId> {
        Vec::new()
    }
}

parameter_types! {
    pub const OraclePalletId: PalletId = PalletId(*b"py/oracl");
    pub const LendingPalletId: PalletId = PalletId(*b"py/lendg");
}

impl pallet_oracle::Config for Test {
    type OnNewData = ();
    type CombineData = pallet_oracle::DefaultCombineData<Self, ConstU32<1>, ConstU64<86_400_000>>;
    type Time = Timestamp;
    type OracleKey = AssetId;
    type OracleValue = FixedU128;
    type PalletId = OraclePalletId;
    type Members = NoFeeders;
    type WeightInfo = ();
    type MaxHasDispatchedSize = ConstU32<10>;
    type MaxFeedValues = ConstU32<10>;
    #[cfg(feature = "runtime-benchmarks")]
    type BenchmarkHelper = ();
}

/// `PriceOracle` over pallet-oracle: each asset is fed in USD per whole token, and the price
/// of one unit of `base` in units of `quote` is their ratio (both assets have 6 decimals).
pub struct UsdOracle;
impl PriceOracle<AssetId> for UsdOracle {
    fn price(base: AssetId, quote: AssetId) -> Option<OraclePrice> {
        let base = Oracle::get(&base)?;
        let quote = Oracle::get(&quote)?;
        Some(OraclePrice {
            price: cross_price(base.value, quote.value, DECIMALS, DECIMALS)?,
            updated_at: base.timestamp.min(quote.timestamp),
        })
    }
}

thread_local! {
    /// Bad debt reported through `OnBadDebt`: (market, borrower, amount).
    pub static BAD_DEBTS: RefCell<Vec<(MarketId, AccountId, Balance)>> = const { RefCell::new(Vec::new()) };
    /// Accounts the liquidation permission hook refuses as liquidators.
    pub static BARRED_LIQUIDATORS: RefCell<Vec<AccountId>> = const { RefCell::new(Vec::new()) };
}

pub struct RecordBadDebt;
impl OnBadDebt<AccountId> for RecordBadDebt {
    fn on_bad_debt(market: MarketId, borrower: &AccountId, amount: Balance) {
        BAD_DEBTS.with(|d| d.borrow_mut().push((market, *borrower, amount)));
    }
}

pub struct BarList;
impl LiquidationPermission<AccountId> for BarList {
    fn may_liquidate(_market: MarketId, _borrower: &AccountId, liquidator: &AccountId) -> bool {
        !BARRED_LIQUIDATORS.with(|b| b.borrow().contains(liquidator))
    }
}

#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper for BenchmarkHelper {
    fn create_asset(id: AssetId) {
        use frame_support::traits::fungibles::{Create, Inspect};
        if !<Assets as Inspect<AccountId>>::asset_exists(id) {
            assert_ok!(<Assets as Create<AccountId>>::create(id, ADMIN, true, 1));
        }
    }
    fn set_price(base: AssetId, quote: AssetId, price: FixedU128) {
        feed_price(quote, FixedU128::one());
        feed_price(base, price);
    }
}

impl pallet_lending::Config for Test {
    type Assets = Assets;
    type Oracle = UsdOracle;
    type Time = Timestamp;
    type GovernanceOrigin = EnsureRoot<AccountId>;
    type EmergencyOrigin = frame_system::EnsureSignedBy<EmergencyAccount, AccountId>;
    type OnBadDebt = RecordBadDebt;
    type LiquidationPermission = BarList;
    type OnPositionChanged = ();
    type PalletId = LendingPalletId;
    type MaxPriceAge = ConstU64<MAX_PRICE_AGE>;
    type MaxMarkets = ConstU32<3>;
    type WeightInfo = ();
    #[cfg(feature = "runtime-benchmarks")]
    type BenchmarkHelper = BenchmarkHelper;
}

/// Feeds `usd_per_token` for `asset` into pallet-oracle, stamped now.
pub fn feed_price(asset: AssetId, usd_per_token: FixedU128) {
    assert_ok!(
        <Oracle as DataFeeder<AssetId, FixedU128, AccountId>>::feed_value(
            None,
            asset,
            usd_per_token
        )
    );
}

/// Sets the clock to `ms` (Unix ms).
pub fn set_time(ms: u64) {
    Timestamp::set_timestamp(ms);
}

/// Moves the clock forward by `ms`.
pub fn advance_time(ms: u64) {
    set_time(pallet_timestamp::Now::<Test>::get() + ms);
}

/// The default test rate model: 2 % base, +10 % to the 80 % kink, +300 % above it.
pub fn rate_model() -> JumpRateModel {
    JumpRateModel {
        base_rate: FixedU128::from_rational(2, 100),
        slope1: FixedU128::from_rational(10, 100),
        kink: Perbill::from_percent(80),
        slope2: FixedU128::from_u32(3),
    }
}

/// Creates the USD/ETH market with an 80 % lltv and the default rate model.
pub fn create_market() -> MarketId {
    let id = crate::NextMarketId::<Test>::get();
    assert_ok!(Lending::create_market(
        RuntimeOrigin::root(),
        USD,
        ETH,
        Perbill::from_percent(80),
        rate_model()
    ));
    id
}

/// The pallet's account.
pub fn pallet_account() -> AccountId {
    Lending::account_id()
}

/// `who`'s balance of `asset`.
pub fn balance(asset: AssetId, who: AccountId) -> Balance {
    pallet_assets::Pallet::<Test>::balance(asset, who)
}

/// The last event of the lending pallet.
pub fn last_lending_event() -> crate::Event<Test> {
    System::events()
        .into_iter()
        .rev()
        .find_map(|record| match record.event {
            RuntimeEvent::Lending(event) => Some(event),
            _ => None,
        })
        .expect("a lending event")
}

pub struct ExtBuilder {
    accounts: Vec<AccountId>,
    markets: Vec<(AssetId, AssetId, Perbill, JumpRateModel)>,
}

impl Default for ExtBuilder {
    fn default() -> Self {
        Self {
            accounts: vec![ALICE, BOB, CHARLIE, DAVE, EVE],
            markets: Vec::new(),
        }
    }
}

impl ExtBuilder {
    /// Adds accounts funded like the default ones.
    pub fn with_accounts(mut self, accounts: impl IntoIterator<Item = AccountId>) -> Self {
        self.accounts.extend(accounts);
        self
    }

    /// Adds a market to the lending pallet's genesis.
    pub fn with_market(mut self, loan: AssetId, collateral: AssetId, lltv: Perbill) -> Self {
        self.markets.push((loan, collateral, lltv, rate_model()));
        self
    }

    /// Genesis: assets USD, ETH, DOGE (sufficient, min balance 1), every account holding
    /// `INITIAL` of each; clock at `GENESIS_MS`; USD at 1 $ and ETH at 2 $.
    pub fn build(self) -> sp_io::TestExternalities {
        let mut storage = frame_system::GenesisConfig::<Test>::default()
            .build_storage()
            .unwrap();
        pallet_balances::GenesisConfig::<Test> {
            balances: self
                .accounts
                .iter()
                .map(|a| (*a, INITIAL))
                .chain([(ADMIN, INITIAL)])
                .collect(),
            ..Default::default()
        }
        .assimilate_storage(&mut storage)
        .unwrap();
        pallet_assets::GenesisConfig::<Test> {
            assets: vec![
                (USD, ADMIN, true, 1),
                (ETH, ADMIN, true, 1),
                (DOGE, ADMIN, true, 1),
            ],
            accounts: self
                .accounts
                .iter()
                .flat_map(|a| [(USD, *a, INITIAL), (ETH, *a, INITIAL), (DOGE, *a, INITIAL)])
                .collect(),
            ..Default::default()
        }
        .assimilate_storage(&mut storage)
        .unwrap();
        pallet_lending::GenesisConfig::<Test> {
            markets: self.markets,
            ..Default::default()
        }
        .assimilate_storage(&mut storage)
        .unwrap();
        let mut ext = sp_io::TestExternalities::new(storage);
        ext.execute_with(|| {
            System::set_block_number(1);
            set_time(GENESIS_MS);
            feed_price(USD, FixedU128::one());
            feed_price(ETH, FixedU128::from_u32(2));
            BAD_DEBTS.with(|d| d.borrow_mut().clear());
            BARRED_LIQUIDATORS.with(|b| b.borrow_mut().clear());
        });
        // Commit, so that the benchmark tests (which wipe uncommitted changes between runs)
        // keep the clock and the prices.
        ext.commit_all().unwrap();
        ext
    }

    /// Runs `test`, then checks every invariant of the pallet.
    pub fn build_and_execute(self, test: impl FnOnce()) {
        self.build().execute_with(|| {
            test();
            Lending::do_try_state().expect("invariants hold after the test");
        });
    }
}
