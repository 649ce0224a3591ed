//! Mock runtime with the real neighbours: pallet-balances, pallet-assets, pallet-timestamp,
//! pallet-oracle (fed as its own pallet account) and the real pallet-lending, plus an
//! `ExtBuilder` whose `build_and_execute` checks the pool invariants after every test.

use crate::{self as pallet_backstop, FranchiseParams, PoolParams, SharingParams};
use backstop_primitives::{cross_price, AssetId, Balance, MarketId, OraclePrice, PriceOracle};
use frame_support::{
    assert_ok, derive_impl, parameter_types,
    traits::{
        AsEnsureOriginWithArg, ConstU128, ConstU32, ConstU64, Hooks, Randomness, SortedMembers,
    },
    PalletId,
};
use frame_system::{EnsureRoot, EnsureSigned};
use pallet_lending::JumpRateModel;
use pallet_oracle::DataFeeder;
use sp_arithmetic::{FixedU128, Perbill};
use sp_core::H256;
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
/// A lender in the lending markets.
pub const EVE: AccountId = 5;
/// A keeper that triggers liquidations.
pub const KEEPER: AccountId = 6;
/// Borrowers.
pub const BORROWER_1: AccountId = 11;
pub const BORROWER_2: AccountId = 12;
pub const BORROWER_3: AccountId = 13;
/// Receives swap fees.
pub const FEE_ACCOUNT: AccountId = 99;
/// Owner of the test assets.
pub const ADMIN: AccountId = 100;

/// The stable asset (a USD stablecoin).
pub const USD: AssetId = 1;
/// Collaterals.
pub const ETH: AssetId = 2;
pub const BTC: AssetId = 3;
pub const SOL: AssetId = 4;
/// An asset with no oracle price.
pub const DOGE: AssetId = 5;
/// An 18-decimal asset, created by [`create_pepe_market`] (not at genesis).
pub const PEPE: AssetId = 6;
/// PEPE's decimals.
pub const PEPE_DECIMALS: u8 = 18;
/// Every asset has 6 decimals: one token is 10^6 units.
pub const DECIMALS: u8 = 6;
pub const UNIT: Balance = 1_000_000;
/// What every test account holds of each asset at genesis.
pub const INITIAL: Balance = 1_000_000_000 * UNIT;
/// Genesis time, Unix ms.
pub const GENESIS_MS: u64 = 1_700_000_000_000;
/// Shares the first deposit locks in the pool account.
pub const MINIMUM_SHARES: Balance = 1_000_000_000;

/// Lending markets created at genesis: USD against ETH (also the yield market), BTC, SOL,
/// and one lending ETH against USD (not a stable market).
pub const ETH_MARKET: MarketId = 0;
pub const BTC_MARKET: MarketId = 1;
pub const SOL_MARKET: MarketId = 2;
pub const ETH_LOAN_MARKET: MarketId = 3;

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
    #[runtime::pallet_index(6)]
    pub type Backstop = pallet_backstop;
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
    pub const BackstopPalletId: PalletId = PalletId(*b"py/bstop");
    /// The pool's yield market; a test may switch it off.
    pub static YieldMarket: Option<MarketId> = Some(ETH_MARKET);
    /// What [`TestRandomness`] answers: the candle's closing sample is this modulo the
    /// number of samples.
    pub static CandleSeed: u32 = 0;
}

/// Deterministic randomness the tests control through [`CandleSeed`]: the first four bytes
/// of the output are the seed, little-endian.
pub struct TestRandomness;
impl Randomness<H256, u64> for TestRandomness {
    fn random(_subject: &[u8]) -> (H256, u64) {
        let mut bytes = [0u8; 32];
        bytes[..4].copy_from_slice(&CandleSeed::get().to_le_bytes());
        (H256::from(bytes), System::block_number())
    }
}

/// Most seats, bidders, candle samples and score entries per user in the tests.
pub const MAX_SEATS: u32 = 6;
pub const MAX_BIDDERS: u32 = 10;
pub const MAX_CANDLE_SAMPLES: u32 = 24;
pub const MAX_USER_ENTRIES: u32 = 4;

/// The tests' franchise: 100-block epochs, 3 seats, a 20-block candle in 4 samples of 5
/// blocks (blocks 80..85, 85..90, 90..95, 95..100 of epoch 0), 10-block windows with a
/// 4-block priority, bids and commitments of at least one token.
pub fn test_franchise() -> FranchiseParams {
    FranchiseParams {
        epoch_length: 100,
        seats: 3,
        ending_period: 20,
        candle_samples: 4,
        window_length: 10,
        priority_period: 4,
        min_bid: UNIT,
        min_commitment: UNIT,
    }
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
/// of one unit of `base` in units of `quote` is their ratio (every asset has 6 decimals but
/// [`PEPE`], which has 18).
pub struct UsdOracle;
impl PriceOracle<AssetId> for UsdOracle {
    fn price(base: AssetId, quote: AssetId) -> Option<OraclePrice> {
        let decimals = |asset: AssetId| {
            if asset == PEPE {
                PEPE_DECIMALS
            } else {
                DECIMALS
            }
        };
        let (base_decimals, quote_decimals) = (decimals(base), decimals(quote));
        let base = Oracle::get(&base)?;
        let quote = Oracle::get(&quote)?;
        Some(OraclePrice {
            price: cross_price(base.value, quote.value, base_decimals, quote_decimals)?,
            updated_at: base.timestamp.min(quote.timestamp),
        })
    }
}

#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_lending::BenchmarkHelper for BenchmarkHelper {
    fn create_asset(id: AssetId) {
        use frame_support::traits::fungibles::{Create, Inspect};
        if !<Assets as Inspect<AccountId>>::asset_exists(id) {
            assert_ok!(<Assets as Create<AccountId>>::create(id, ADMIN, true, 1));
        }
    }
    fn set_price(base: AssetId, quote: AssetId, price: FixedU128) {
        feed_price(quote, FixedU128::from_u32(1));
        feed_price(base, price);
    }
}
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper for BenchmarkHelper {
    fn collateral_asset(index: u32) -> AssetId {
        ETH + index
    }
    fn create_asset(id: AssetId) {
        <Self as pallet_lending::BenchmarkHelper>::create_asset(id)
    }
    fn set_price(base: AssetId, quote: AssetId, price: FixedU128) {
        <Self as pallet_lending::BenchmarkHelper>::set_price(base, quote, price)
    }
    fn create_market(loan: AssetId, collateral: AssetId) -> MarketId {
        let id = pallet_lending::NextMarketId::<Test>::get();
        assert_ok!(Lending::create_market(
            RuntimeOrigin::root(),
            loan,
            collateral,
            Perbill::from_percent(80),
            rate_model()
        ));
        id
    }
}

impl pallet_lending::Config for Test {
    type Assets = Assets;
    type Oracle = UsdOracle;
    type Time = Timestamp;
    type GovernanceOrigin = EnsureRoot<AccountId>;
    type EmergencyOrigin = frame_system::EnsureSignedBy<EmergencyAccount, AccountId>;
    type OnBadDebt = ();
    type LiquidationPermission = ();
    type OnPositionChanged = ();
    type PalletId = LendingPalletId;
    type MaxPriceAge = ConstU64<86_400_000>;
    type MaxMarkets = ConstU32<8>;
    type WeightInfo = ();
    #[cfg(feature = "runtime-benchmarks")]
    type BenchmarkHelper = BenchmarkHelper;
}

impl pallet_backstop::Config for Test {
    type Assets = Assets;
    type Oracle = UsdOracle;
    type Lending = Lending;
    type Time = Timestamp;
    type GovernanceOrigin = EnsureRoot<AccountId>;
    type EmergencyOrigin = frame_system::EnsureSignedBy<EmergencyAccount, AccountId>;
    type StableAsset = ConstU32<USD>;
    type YieldMarket = YieldMarket;
    type FeeAccount = ConstU64<FEE_ACCOUNT>;
    type PalletId = BackstopPalletId;
    type MinimumShares = ConstU128<MINIMUM_SHARES>;
    type MaxCollaterals = ConstU32<2>;
    type MaxLiquidationBatch = ConstU32<64>;
    type Randomness = TestRandomness;
    type MaxSeats = ConstU32<MAX_SEATS>;
    type MaxBidders = ConstU32<MAX_BIDDERS>;
    type MaxCandleSamples = ConstU32<MAX_CANDLE_SAMPLES>;
    type MaxUserEntries = ConstU32<MAX_USER_ENTRIES>;
    type Dex = MockDex;
    type WeightInfo = ();
    #[cfg(feature = "runtime-benchmarks")]
    type BenchmarkHelper = BenchmarkHelper;
}

impl<C> frame_system::offchain::CreateTransactionBase<C> for Test
where
    RuntimeCall: From<C>,
{
    type Extrinsic = frame_system::mocking::MockUncheckedExtrinsic<Test>;
    type RuntimeCall = RuntimeCall;
}

impl<C> frame_system::offchain::CreateTransaction<C> for Test
where
    RuntimeCall: From<C>,
{
    type Extension = ();

    fn create_transaction(call: RuntimeCall, extension: ()) -> Self::Extrinsic {
        sp_runtime::generic::UncheckedExtrinsic::new_transaction(call, extension)
    }
}

impl<C> frame_system::offchain::CreateAuthorizedTransaction<C> for Test
where
    RuntimeCall: From<C>,
{
    fn create_extension() {}
}

/// The mock DEX's account: it holds the reserves of every pair (see [`MockDex`]).
pub const DEX: AccountId = 9_000;

/// A constant-product DEX (0.3 % fee) whose reserves are [`DEX`]'s balances: a pair has a
/// pool once [`DEX`] holds both assets (see [`seed_dex`]); moving its balances moves its price.
pub struct MockDex;

impl crate::CollateralDex<AccountId> for MockDex {
    fn quote(asset_in: AssetId, asset_out: AssetId, amount_in: Balance) -> Option<Balance> {
        let reserve_in = balance(asset_in, DEX);
        let reserve_out = balance(asset_out, DEX);
        if reserve_in == 0 || reserve_out == 0 || amount_in == 0 {
            return None;
        }
        let in_after_fee = amount_in.checked_mul(997)? / 1000;
        backstop_primitives::mul_div(
            in_after_fee,
            reserve_out,
            reserve_in.checked_add(in_after_fee)?,
            sp_arithmetic::Rounding::Down,
        )
    }

    fn sell(
        who: &AccountId,
        asset_in: AssetId,
        asset_out: AssetId,
        amount_in: Balance,
        min_out: Balance,
    ) -> Result<Balance, sp_runtime::DispatchError> {
        use frame_support::traits::{fungibles::Mutate, tokens::Preservation};
        let out = Self::quote(asset_in, asset_out, amount_in)
            .ok_or(sp_runtime::DispatchError::Other("no pool"))?;
        if out < min_out {
            return Err(sp_runtime::DispatchError::Other("below min out"));
        }
        <Assets as Mutate<AccountId>>::transfer(
            asset_in,
            who,
            &DEX,
            amount_in,
            Preservation::Expendable,
        )?;
        <Assets as Mutate<AccountId>>::transfer(
            asset_out,
            &DEX,
            who,
            out,
            Preservation::Expendable,
        )?;
        Ok(out)
    }

    fn sell_weight() -> frame_support::weights::Weight {
        frame_support::weights::Weight::from_parts(1_000_000, 1_000)
    }
}

/// Gives the mock DEX `asset` and `usd` reserves (on top of what it holds): a pool for the
/// pair, priced `usd / asset`.
pub fn seed_dex(asset: AssetId, amount: Balance, usd: Balance) {
    use frame_support::traits::fungibles::Mutate;
    assert_ok!(Assets::mint_into(asset, &DEX, amount));
    assert_ok!(Assets::mint_into(USD, &DEX, usd));
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

/// Feeds a whole-dollar price.
pub fn feed_usd(asset: AssetId, usd: u32) {
    feed_price(asset, FixedU128::from_u32(usd));
}

/// Moves the clock forward by `ms`.
pub fn advance_time(ms: u64) {
    Timestamp::set_timestamp(pallet_timestamp::Now::<Test>::get() + ms);
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

/// The pool's account.
pub fn pool() -> AccountId {
    Backstop::account_id()
}

/// `who`'s balance of `asset`.
pub fn balance(asset: AssetId, who: AccountId) -> Balance {
    pallet_assets::Pallet::<Test>::balance(asset, who)
}

/// `who` pledges `collateral` in `market` and borrows `debt` USD.
pub fn open_position(who: AccountId, market: MarketId, collateral: Balance, debt: Balance) {
    assert_ok!(Lending::supply_collateral(
        RuntimeOrigin::signed(who),
        market,
        collateral
    ));
    assert_ok!(Lending::borrow(RuntimeOrigin::signed(who), market, debt));
}

/// `who` deposits `amount` into the pool.
pub fn deposit(who: AccountId, amount: Balance) {
    assert_ok!(Backstop::deposit(RuntimeOrigin::signed(who), amount));
}

/// Sets the pool parameters (as root).
pub fn set_params(params: PoolParams) {
    assert_ok!(Backstop::set_params(RuntimeOrigin::root(), params));
}

/// The last event of the backstop pallet.
pub fn last_event() -> crate::Event<Test> {
    backstop_events().pop().expect("a backstop event")
}

/// Every backstop event so far.
pub fn backstop_events() -> Vec<crate::Event<Test>> {
    System::events()
        .into_iter()
        .filter_map(|record| match record.event {
            RuntimeEvent::Backstop(event) => Some(event),
            _ => None,
        })
        .collect()
}

/// Runs the blocks after the current one up to `n`, each with the pallet's `on_initialize`.
pub fn run_to_block(n: u64) {
    while System::block_number() < n {
        let next = System::block_number() + 1;
        System::set_block_number(next);
        Backstop::on_initialize(next);
    }
}

pub struct ExtBuilder {
    params: PoolParams,
    franchise: FranchiseParams,
    sharing: SharingParams,
    lender_supply: Balance,
}

impl Default for ExtBuilder {
    fn default() -> Self {
        Self {
            params: PoolParams::default(),
            franchise: test_franchise(),
            sharing: SharingParams::default(),
            lender_supply: 10_000_000 * UNIT,
        }
    }
}

impl ExtBuilder {
    /// Genesis pool parameters.
    pub fn params(mut self, params: PoolParams) -> Self {
        self.params = params;
        self
    }

    /// Genesis franchise parameters.
    pub fn franchise(mut self, franchise: FranchiseParams) -> Self {
        self.franchise = franchise;
        self
    }

    /// Genesis sharing parameters.
    pub fn sharing(mut self, sharing: SharingParams) -> Self {
        self.sharing = sharing;
        self
    }

    /// What EVE supplies to each stable market at genesis (the markets' liquidity).
    pub fn lender_supply(mut self, amount: Balance) -> Self {
        self.lender_supply = amount;
        self
    }

    /// Genesis: assets USD, ETH, BTC, SOL, DOGE (sufficient, min balance 1), every account
    /// holding `INITIAL` of each; clock at `GENESIS_MS`; USD 1 $, ETH 2 000 $, BTC 30 000 $,
    /// SOL 100 $ (DOGE unpriced); the four lending markets (80 % lltv), EVE supplying the
    /// stable markets.
    pub fn build(self) -> sp_io::TestExternalities {
        let accounts = [
            ALICE,
            BOB,
            CHARLIE,
            DAVE,
            EVE,
            KEEPER,
            BORROWER_1,
            BORROWER_2,
            BORROWER_3,
            FEE_ACCOUNT,
        ];
        let assets = [USD, ETH, BTC, SOL, DOGE];
        let mut storage = frame_system::GenesisConfig::<Test>::default()
            .build_storage()
            .unwrap();
        pallet_balances::GenesisConfig::<Test> {
            balances: accounts
                .iter()
                .map(|a| (*a, INITIAL))
                .chain([(ADMIN, INITIAL)])
                .collect(),
            ..Default::default()
        }
        .assimilate_storage(&mut storage)
        .unwrap();
        pallet_assets::GenesisConfig::<Test> {
            assets: assets.iter().map(|id| (*id, ADMIN, true, 1)).collect(),
            accounts: accounts
                .iter()
                .flat_map(|a| assets.iter().map(|id| (*id, *a, INITIAL)))
                .collect(),
            ..Default::default()
        }
        .assimilate_storage(&mut storage)
        .unwrap();
        pallet_backstop::GenesisConfig::<Test> {
            params: self.params,
            franchise: self.franchise,
            sharing: self.sharing,
            ..Default::default()
        }
        .assimilate_storage(&mut storage)
        .unwrap();
        let mut ext = sp_io::TestExternalities::new(storage);
        ext.execute_with(|| {
            CandleSeed::set(0);
            System::set_block_number(1);
            Timestamp::set_timestamp(GENESIS_MS);
            feed_usd(USD, 1);
            feed_usd(ETH, 2_000);
            feed_usd(BTC, 30_000);
            feed_usd(SOL, 100);
            let lltv = Perbill::from_percent(80);
            for (loan, collateral) in [(USD, ETH), (USD, BTC), (USD, SOL), (ETH, USD)] {
                assert_ok!(Lending::create_market(
                    RuntimeOrigin::root(),
                    loan,
                    collateral,
                    lltv,
                    rate_model()
                ));
            }
            if self.lender_supply > 0 {
                for market in [ETH_MARKET, BTC_MARKET, SOL_MARKET] {
                    assert_ok!(Lending::supply(
                        RuntimeOrigin::signed(EVE),
                        market,
                        self.lender_supply
                    ));
                }
            }
            System::reset_events();
        });
        ext
    }

    /// Runs `test`, then checks every invariant of the pool.
    pub fn build_and_execute(self, test: impl FnOnce()) {
        self.build().execute_with(|| {
            test();
            Backstop::do_try_state().expect("pool invariants hold after the test");
        });
    }
}

/// The externalities the benchmark test suite runs in.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_bench_ext() -> sp_io::TestExternalities {
    ExtBuilder::default().build()
}

/// Mints `amount` of USD to `who` (as the asset's owner).
pub fn fund(who: AccountId, amount: Balance) {
    assert_ok!(Assets::mint(RuntimeOrigin::signed(ADMIN), USD, who, amount));
}

/// Creates [`PEPE`] (18 decimals, priced `usd_per_token`) and a market lending USD against
/// it; returns the market.
pub fn create_pepe_market(usd_per_token: FixedU128) -> MarketId {
    assert_ok!(Assets::force_create(
        RuntimeOrigin::root(),
        PEPE,
        ADMIN,
        true,
        1
    ));
    feed_price(PEPE, usd_per_token);
    let id = pallet_lending::NextMarketId::<Test>::get();
    assert_ok!(Lending::create_market(
        RuntimeOrigin::root(),
        USD,
        PEPE,
        Perbill::from_percent(80),
        rate_model()
    ));
    id
}

/// Sets `asset`'s minimum balance (the mock's assets have 1; the dev chain's 10⁶).
pub fn set_min_balance(asset: backstop_primitives::AssetId, min: u128) {
    pallet_assets::Asset::<Test>::mutate(asset, |details| {
        if let Some(details) = details {
            details.min_balance = min;
        }
    });
}

/// Nothing destroyed: the accounts' balances of `asset` sum to its supply.
pub fn assert_balances_sum_to_supply(asset: backstop_primitives::AssetId) {
    let sum: u128 = pallet_assets::Account::<Test>::iter_prefix(asset)
        .map(|(_, a)| a.balance)
        .sum();
    let supply = pallet_assets::Asset::<Test>::get(asset).map(|d| d.supply);
    assert_eq!(
        Some(sum),
        supply,
        "asset {asset}: balances sum to the supply"
    );
}
