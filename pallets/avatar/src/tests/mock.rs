//! Mock runtime with the real neighbours — pallet-balances, pallet-assets, pallet-timestamp,
//! pallet-oracle (fed as its own pallet account) and pallet-lending, whose liquidation
//! permission is this pallet (seen through [`QuotedLending`], which can skew one quote) — and
//! small explicit test implementations of the franchise side:
//! [`TestFranchise`] (seats, assignment, committed liquidity held in a vault account),
//! [`TestPool`] (the `POOL` account's stable, bookings recorded), [`TestScore`] (records every
//! report) and [`TestJar`] (an account). `ExtBuilder`'s
//! `build_and_execute` checks the avatar invariants after every test.

use crate::{self as pallet_avatar};
use backstop_primitives::{
    cross_price, AssetId, Assignee, Assignment, BackstopMembers, BackstopPool, Balance, MarketId,
    OraclePrice, PriceOracle, RewardJar, ScoreHook, Side,
};
use codec::Encode;
use core::cell::RefCell;
use frame_support::{
    assert_ok, derive_impl, parameter_types,
    storage::unhashed,
    traits::{
        fungibles::Mutate, tokens::Preservation, AsEnsureOriginWithArg, ConstU128, ConstU32,
        ConstU64, SortedMembers,
    },
    PalletId,
};
use frame_system::{EnsureRoot, EnsureSigned};
use pallet_lending::JumpRateModel;
use pallet_oracle::DataFeeder;
use sp_arithmetic::{traits::One, FixedU128, Perbill};
use sp_runtime::{BuildStorage, DispatchError, DispatchResult};
use std::collections::BTreeMap;

/// Wide enough that `PalletId` sub-accounts of different users differ (with `u64` the
/// truncation would drop the user entirely).
pub type AccountId = u128;
pub type BlockNumber = u64;

/// Borrowers.
/// The account the mock's `EmergencyOrigin` accepts (signed by it: tighten only).
pub const EMERGENCY: AccountId = 9_999;

frame_support::ord_parameter_types! {
    pub const EmergencyAccount: AccountId = EMERGENCY;
}

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
/// Lends the stable asset in the market.
pub const LENDER: AccountId = 3;
/// Calls pallet-lending directly to liquidate.
pub const OUTSIDER: AccountId = 4;
/// Franchise members.
pub const MEMBER_1: AccountId = 11;
pub const MEMBER_2: AccountId = 12;
/// Holds the members' committed liquidity.
pub const VAULT: AccountId = 90;
/// The reward jar.
pub const JAR: AccountId = 91;
/// The backstop pool's account.
pub const POOL: AccountId = 92;
/// Owner of the test assets.
pub const ADMIN: AccountId = 100;

/// The stable (loan) asset.
pub const USD: AssetId = 1;
/// The collateral.
pub const ETH: AssetId = 2;
/// Both assets have 6 decimals: one token is 10^6 units.
pub const DECIMALS: u8 = 6;
pub const UNIT: Balance = 1_000_000;
/// What every test account holds of each asset at genesis.
pub const INITIAL: Balance = 1_000_000 * UNIT;
/// Committed liquidity of each member at genesis.
pub const COMMITMENT: Balance = 100_000 * UNIT;
/// Genesis time, Unix ms.
pub const GENESIS_MS: u64 = 1_700_000_000_000;
/// The USD/ETH market (lltv 80 %, LIF 1/0.94) and a market lending ETH against USD.
pub const MARKET: MarketId = 0;
pub const ETH_LOAN_MARKET: MarketId = 1;
/// `ParamsDelay`.
pub const DELAY: BlockNumber = 10;

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
    pub type Avatar = pallet_avatar;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
    type AccountId = AccountId;
    type Lookup = sp_runtime::traits::IdentityLookup<AccountId>;
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
    pub const AvatarPalletId: PalletId = PalletId(*b"py/avatr");
    pub const StableAsset: AssetId = USD;
    /// The pallet's defaults, `big_position` at 1 000 000 USD of 6 decimals.
    pub DefaultParams: crate::AvatarParams = crate::AvatarParams {
        big_position: 1_000_000 * UNIT,
        ..Default::default()
    };
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

/// `PriceOracle` over pallet-oracle: each asset is fed in USD per whole token.
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

impl pallet_lending::Config for Test {
    type Assets = Assets;
    type Oracle = UsdOracle;
    type Time = Timestamp;
    type GovernanceOrigin = EnsureRoot<AccountId>;
    type EmergencyOrigin = frame_system::EnsureSignedBy<EmergencyAccount, AccountId>;
    type OnBadDebt = ();
    type LiquidationPermission = Avatar;
    type OnPositionChanged = ();
    type PalletId = LendingPalletId;
    type MaxPriceAge = ConstU64<3_600_000>;
    type MaxMarkets = ConstU32<4>;
    type WeightInfo = ();
    #[cfg(feature = "runtime-benchmarks")]
    type BenchmarkHelper = BenchmarkHelper;
}

impl pallet_avatar::Config for Test {
    type Lending = QuotedLending;
    type Oracle = UsdOracle;
    type Time = Timestamp;
    type Members = TestFranchise;
    type Score = TestScore;
    type Jar = TestJar;
    type Pool = TestPool;
    type Assets = Assets;
    type StableAsset = StableAsset;
    type GovernanceOrigin = EnsureRoot<AccountId>;
    type EmergencyOrigin = frame_system::EnsureSignedBy<EmergencyAccount, AccountId>;
    type DefaultParams = DefaultParams;
    type ParamsDelay = ConstU64<DELAY>;
    type MaxPriceAge = ConstU64<3_600_000>;
    type MaxSeats = ConstU32<4>;
    type MaxMarkets = ConstU32<1>;
    type PalletId = AvatarPalletId;
    type MaxLiquidationBatch = ConstU32<8>;
    type WeightInfo = ();
    #[cfg(feature = "runtime-benchmarks")]
    type BenchmarkHelper = BenchmarkHelper;
}

/// pallet-lending as the avatar pallet sees it, with a switch that makes the liquidation quote
/// differ from the charge by `QUOTE_SKEW` units (a faulty market), for the one error path no
/// real market reaches.
pub struct QuotedLending;
thread_local! {
    pub static QUOTE_SKEW: RefCell<i128> = const { RefCell::new(0) };
}
type Real = pallet_lending::Pallet<Test>;
impl backstop_primitives::LendingMarket<AccountId> for QuotedLending {
    fn market(market: MarketId) -> Option<backstop_primitives::MarketInfo> {
        <Real as backstop_primitives::LendingMarket<AccountId>>::market(market)
    }
    fn position(
        market: MarketId,
        who: &AccountId,
    ) -> Result<backstop_primitives::PositionInfo, DispatchError> {
        <Real as backstop_primitives::LendingMarket<AccountId>>::position(market, who)
    }
    fn health(
        market: MarketId,
        who: &AccountId,
    ) -> Result<backstop_primitives::PositionHealth, DispatchError> {
        <Real as backstop_primitives::LendingMarket<AccountId>>::health(market, who)
    }
    fn supply(
        payer: &AccountId,
        market: MarketId,
        on_behalf_of: &AccountId,
        assets: Balance,
    ) -> Result<backstop_primitives::Shares, DispatchError> {
        <Real as backstop_primitives::LendingMarket<AccountId>>::supply(
            payer,
            market,
            on_behalf_of,
            assets,
        )
    }
    fn withdraw(
        owner: &AccountId,
        market: MarketId,
        assets: Balance,
        receiver: &AccountId,
    ) -> Result<backstop_primitives::Shares, DispatchError> {
        <Real as backstop_primitives::LendingMarket<AccountId>>::withdraw(
            owner, market, assets, receiver,
        )
    }
    fn supply_collateral(
        payer: &AccountId,
        market: MarketId,
        on_behalf_of: &AccountId,
        amount: Balance,
    ) -> DispatchResult {
        <Real as backstop_primitives::LendingMarket<AccountId>>::supply_collateral(
            payer,
            market,
            on_behalf_of,
            amount,
        )
    }
    fn withdraw_collateral(
        owner: &AccountId,
        market: MarketId,
        amount: Balance,
        receiver: &AccountId,
    ) -> DispatchResult {
        <Real as backstop_primitives::LendingMarket<AccountId>>::withdraw_collateral(
            owner, market, amount, receiver,
        )
    }
    fn borrow(
        owner: &AccountId,
        market: MarketId,
        assets: Balance,
        receiver: &AccountId,
    ) -> Result<backstop_primitives::Shares, DispatchError> {
        <Real as backstop_primitives::LendingMarket<AccountId>>::borrow(
            owner, market, assets, receiver,
        )
    }
    fn repay(
        payer: &AccountId,
        market: MarketId,
        on_behalf_of: &AccountId,
        assets: Balance,
    ) -> Result<Balance, DispatchError> {
        <Real as backstop_primitives::LendingMarket<AccountId>>::repay(
            payer,
            market,
            on_behalf_of,
            assets,
        )
    }
    fn liquidation_repayment(
        market: MarketId,
        seized_collateral: Balance,
    ) -> Result<Balance, DispatchError> {
        let quote = <Real as backstop_primitives::LendingMarket<AccountId>>::liquidation_repayment(
            market,
            seized_collateral,
        )?;
        let skew = QUOTE_SKEW.with(|s| *s.borrow());
        Ok(quote.saturating_add_signed(skew))
    }
    fn liquidate_many(
        liquidator: &AccountId,
        market: MarketId,
        borrowers: &[AccountId],
        budget: Balance,
    ) -> Result<backstop_primitives::BatchLiquidation<AccountId>, DispatchError> {
        <Real as backstop_primitives::LendingMarket<AccountId>>::liquidate_many(
            liquidator, market, borrowers, budget,
        )
    }
    fn liquidate(
        liquidator: &AccountId,
        market: MarketId,
        borrower: &AccountId,
        seized_collateral: Balance,
    ) -> Result<(Balance, Balance), DispatchError> {
        <Real as backstop_primitives::LendingMarket<AccountId>>::liquidate(
            liquidator,
            market,
            borrower,
            seized_collateral,
        )
    }
    fn supply_shares_value(
        market: MarketId,
        shares: backstop_primitives::Shares,
    ) -> Result<Balance, DispatchError> {
        <Real as backstop_primitives::LendingMarket<AccountId>>::supply_shares_value(market, shares)
    }
    fn available_liquidity(market: MarketId) -> Result<Balance, DispatchError> {
        <Real as backstop_primitives::LendingMarket<AccountId>>::available_liquidity(market)
    }
    fn liquidatable_positions(
        market: MarketId,
        price: FixedU128,
        max_count: u32,
    ) -> Result<Vec<AccountId>, DispatchError> {
        <Real as backstop_primitives::LendingMarket<AccountId>>::liquidatable_positions(
            market, price, max_count,
        )
    }
    fn liquidatable_positions_within(
        market: MarketId,
        price: sp_arithmetic::FixedU128,
        max_count: u32,
        max_visits: u32,
    ) -> Result<Vec<AccountId>, DispatchError> {
        <Real as backstop_primitives::LendingMarket<AccountId>>::liquidatable_positions_within(
            market, price, max_count, max_visits,
        )
    }
    fn liquidatable_positions_for(
        market: MarketId,
        price: sp_arithmetic::FixedU128,
        liquidator: &AccountId,
        max_count: u32,
        max_visits: u32,
    ) -> Result<Vec<AccountId>, DispatchError> {
        <Real as backstop_primitives::LendingMarket<AccountId>>::liquidatable_positions_for(
            market, price, liquidator, max_count, max_visits,
        )
    }
}

// ------------------------------------------------------------------------------------------
// The franchise side, explicit test implementations (never in the runtime)
// ------------------------------------------------------------------------------------------

thread_local! {
    /// Seats of the current franchise, in order.
    pub static SEATS: RefCell<Vec<AccountId>> = const { RefCell::new(Vec::new()) };
    /// Who is assigned to each avatar; positions not listed go to the first seat (the pool
    /// without seats).
    pub static ASSIGNED: RefCell<BTreeMap<AccountId, Assignee<AccountId>>> = const { RefCell::new(BTreeMap::new()) };
    /// Whether the current assignment window's priority period has passed.
    pub static WINDOW_PRIORITY_PASSED: RefCell<bool> = const { RefCell::new(true) };
}

/// Committed liquidity left per member (the tokens sit in `VAULT`) and the score reports
/// live in storage, so that a failed call rolls them back like everything else.
fn committed_key(member: &AccountId) -> Vec<u8> {
    (b"test/committed", member).encode()
}
const SCORE_KEY: &[u8] = b"test/score";

/// Sets `member`'s committed liquidity.
pub fn set_committed(member: AccountId, amount: Balance) {
    unhashed::put(&committed_key(&member), &amount);
}

/// The franchise for the tests: seats in `SEATS`, assignments in `ASSIGNED`, commitments in
/// storage (the tokens sit in `VAULT`).
pub struct TestFranchise;
impl BackstopMembers<AccountId, BlockNumber> for TestFranchise {
    fn assigned(_market: MarketId, position: &AccountId) -> Assignment<AccountId, BlockNumber> {
        let assignee = ASSIGNED
            .with(|a| a.borrow().get(position).cloned())
            .or_else(|| SEATS.with(|s| s.borrow().first().copied().map(Assignee::Member)))
            .unwrap_or(Assignee::Pool);
        let now = System::block_number();
        Assignment {
            assignee,
            window: 0,
            window_start: now,
            window_end: now + 600,
            priority_end: now,
            priority_passed: WINDOW_PRIORITY_PASSED.with(|p| *p.borrow()),
        }
    }
    fn members() -> Vec<AccountId> {
        SEATS.with(|s| s.borrow().clone())
    }
    fn available_commitment(member: &AccountId) -> Balance {
        unhashed::get_or_default(&committed_key(member))
    }
    fn draw_commitment(member: &AccountId, amount: Balance, to: &AccountId) -> DispatchResult {
        if !Self::members().contains(member) {
            return Err(DispatchError::Other("not a member"));
        }
        let left = Self::available_commitment(member)
            .checked_sub(amount)
            .ok_or(DispatchError::Other("commitment exhausted"))?;
        <Assets as Mutate<AccountId>>::transfer(USD, &VAULT, to, amount, Preservation::Expendable)?;
        set_committed(*member, left);
        Ok(())
    }
    fn return_to_commitment(
        member: &AccountId,
        amount: Balance,
        from: &AccountId,
    ) -> DispatchResult {
        if !Self::members().contains(member) {
            <Assets as Mutate<AccountId>>::transfer(
                USD,
                from,
                member,
                amount,
                Preservation::Expendable,
            )?;
            return Ok(());
        }
        <Assets as Mutate<AccountId>>::transfer(
            USD,
            from,
            &VAULT,
            amount,
            Preservation::Expendable,
        )?;
        set_committed(*member, Self::available_commitment(member) + amount);
        Ok(())
    }
}

const POOL_BOOKINGS_KEY: &[u8] = b"test/pool_bookings";

/// The pool: its stable is the `POOL` account's USD; each booking is recorded (in storage).
pub struct TestPool;
impl BackstopPool<AccountId> for TestPool {
    fn account() -> AccountId {
        POOL
    }
    fn draw_stable(amount: Balance, to: &AccountId) -> DispatchResult {
        <Assets as Mutate<AccountId>>::transfer(USD, &POOL, to, amount, Preservation::Expendable)
            .map(|_| ())
    }
    fn return_stable(from: &AccountId, amount: Balance) -> DispatchResult {
        <Assets as Mutate<AccountId>>::transfer(USD, from, &POOL, amount, Preservation::Expendable)
            .map(|_| ())
    }
    fn book_liquidation(
        caller: &AccountId,
        market: MarketId,
        borrower: &AccountId,
        paid: Balance,
        seized: Balance,
    ) -> Result<Balance, DispatchError> {
        let mut bookings = pool_bookings();
        bookings.push((*caller, market, *borrower, paid, seized));
        unhashed::put(POOL_BOOKINGS_KEY, &bookings);
        Ok(0)
    }
}

/// The pool's bookings so far: `(keeper, market, avatar, paid, seized)`.
pub fn pool_bookings() -> Vec<(AccountId, MarketId, AccountId, Balance, Balance)> {
    unhashed::get_or_default(POOL_BOOKINGS_KEY)
}

fn record_score(report: (AccountId, MarketId, Side, Balance, bool)) {
    let mut reports = score_reports();
    reports.push(report);
    unhashed::put(SCORE_KEY, &reports);
}

/// Records every score report (in storage).
pub struct TestScore;
impl ScoreHook<AccountId> for TestScore {
    fn on_balance_changed(user: &AccountId, market: MarketId, side: Side, new_balance: Balance) {
        record_score((*user, market, side, new_balance, false));
    }
    fn on_outside_change(user: &AccountId, market: MarketId, side: Side, actual: Balance) {
        record_score((*user, market, side, actual, true));
    }
}

/// The jar is the `JAR` account.
pub struct TestJar;
impl RewardJar<AccountId> for TestJar {
    fn user_share() -> Perbill {
        Perbill::from_percent(50)
    }
    fn deposit_income(from: &AccountId, amount: Balance) -> DispatchResult {
        <Assets as Mutate<AccountId>>::transfer(USD, from, &JAR, amount, Preservation::Expendable)
            .map(|_| ())
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
        feed_price(quote, FixedU128::one());
        feed_price(base, price);
    }
}
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for BenchmarkHelper {
    fn market(_index: u32) -> (MarketId, AssetId) {
        (MARKET, ETH)
    }
    fn fund(asset: AssetId, who: &AccountId, amount: Balance) {
        assert_ok!(<Assets as Mutate<AccountId>>::mint_into(asset, who, amount));
    }
    fn set_collateral_price(collateral: AssetId, price: FixedU128) {
        feed_price(USD, FixedU128::one());
        feed_price(collateral, price);
    }
    fn make_assigned_member(who: &AccountId, commitment: Balance) {
        set_seats(&[*who]);
        set_committed(*who, commitment);
        assert_ok!(<Assets as Mutate<AccountId>>::mint_into(
            USD, &VAULT, commitment
        ));
    }
    fn fund_pool(amount: Balance) {
        assert_ok!(<Assets as Mutate<AccountId>>::mint_into(USD, &POOL, amount));
    }
    fn pass_window_priority(_market: MarketId, _position: &AccountId, blocks: u32) {
        run_to_block(System::block_number() + BlockNumber::from(blocks));
        WINDOW_PRIORITY_PASSED.with(|p| *p.borrow_mut() = true);
    }
}

// ------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------

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

/// Sets the ETH price in USD per ETH.
pub fn set_eth_price(usd: u32) {
    feed_price(ETH, FixedU128::from_u32(usd));
}

/// Replaces the franchise seats (the first seat is assigned to every position by default).
pub fn set_seats(seats: &[AccountId]) {
    SEATS.with(|s| *s.borrow_mut() = seats.to_vec());
}

/// Assigns `user`'s avatar position to `assignee`.
pub fn assign(user: AccountId, assignee: Assignee<AccountId>) {
    ASSIGNED.with(|a| a.borrow_mut().insert(Avatar::avatar_of(&user), assignee));
}

/// A member's committed liquidity left.
pub fn committed(member: AccountId) -> Balance {
    TestFranchise::available_commitment(&member)
}

/// Score reports so far.
pub fn score_reports() -> Vec<(AccountId, MarketId, Side, Balance, bool)> {
    unhashed::get_or_default(SCORE_KEY)
}

/// `who`'s balance of `asset`.
pub fn balance(asset: AssetId, who: AccountId) -> Balance {
    pallet_assets::Pallet::<Test>::balance(asset, who)
}

/// The lending pallet's account.
pub fn market_account() -> AccountId {
    Lending::account_id()
}

/// `user`'s market position (as its avatar).
pub fn market_position(user: AccountId) -> backstop_primitives::PositionInfo {
    Lending::position_info(MARKET, &Avatar::avatar_of(&user)).unwrap()
}

/// `user`'s total cushion.
pub fn cushion(user: AccountId) -> Balance {
    crate::Positions::<Test>::get(MARKET, user)
        .map(|p| p.total_cushion())
        .unwrap_or(0)
}

/// The avatar events so far.
pub fn avatar_events() -> Vec<crate::Event<Test>> {
    System::events()
        .into_iter()
        .filter_map(|record| match record.event {
            RuntimeEvent::Avatar(event) => Some(event),
            _ => None,
        })
        .collect()
}

/// The last avatar event.
pub fn last_event() -> crate::Event<Test> {
    avatar_events().pop().expect("an avatar event")
}

/// Moves to block `n`.
pub fn run_to_block(n: BlockNumber) {
    System::set_block_number(n);
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

/// `user` pledges `collateral` ETH units and borrows `debt` USD units through its avatar.
pub fn open_position(user: AccountId, collateral: Balance, debt: Balance) {
    assert_ok!(Avatar::supply_collateral(
        RuntimeOrigin::signed(user),
        MARKET,
        collateral
    ));
    assert_ok!(Avatar::borrow(RuntimeOrigin::signed(user), MARKET, debt));
}

pub struct ExtBuilder {
    seats: Vec<AccountId>,
}

impl Default for ExtBuilder {
    fn default() -> Self {
        Self {
            seats: vec![MEMBER_1, MEMBER_2],
        }
    }
}

impl ExtBuilder {
    /// Sets the franchise seats (each gets `COMMITMENT`).
    pub fn with_seats(mut self, seats: &[AccountId]) -> Self {
        self.seats = seats.to_vec();
        self
    }

    /// Genesis: USD and ETH (sufficient, min balance 1), every account holding `INITIAL` of
    /// each, the vault holding every commitment; markets USD/ETH (lltv 80 %) and ETH/USD;
    /// ETH at 3 000 USD; `LENDER` supplies 100 000 USD to the USD/ETH market.
    pub fn build(self) -> sp_io::TestExternalities {
        let accounts = [
            ALICE, BOB, LENDER, OUTSIDER, MEMBER_1, MEMBER_2, POOL, ADMIN,
        ];
        let mut storage = frame_system::GenesisConfig::<Test>::default()
            .build_storage()
            .unwrap();
        pallet_balances::GenesisConfig::<Test> {
            balances: accounts.iter().map(|a| (*a, INITIAL)).collect(),
            ..Default::default()
        }
        .assimilate_storage(&mut storage)
        .unwrap();
        let vault = COMMITMENT * self.seats.len() as Balance;
        pallet_assets::GenesisConfig::<Test> {
            assets: vec![(USD, ADMIN, true, 1), (ETH, ADMIN, true, 1)],
            accounts: accounts
                .iter()
                .flat_map(|a| [(USD, *a, INITIAL), (ETH, *a, INITIAL)])
                .chain((vault > 0).then_some((USD, VAULT, vault)))
                .collect(),
            ..Default::default()
        }
        .assimilate_storage(&mut storage)
        .unwrap();
        pallet_lending::GenesisConfig::<Test> {
            markets: vec![
                (USD, ETH, Perbill::from_percent(80), rate_model()),
                (ETH, USD, Perbill::from_percent(80), rate_model()),
            ],
            ..Default::default()
        }
        .assimilate_storage(&mut storage)
        .unwrap();
        let seats = self.seats;
        let mut ext = sp_io::TestExternalities::new(storage);
        ext.execute_with(|| {
            System::set_block_number(1);
            Timestamp::set_timestamp(GENESIS_MS);
            feed_price(USD, FixedU128::one());
            set_eth_price(3000);
            set_seats(&seats);
            for seat in &seats {
                set_committed(*seat, COMMITMENT);
            }
            ASSIGNED.with(|a| a.borrow_mut().clear());
            WINDOW_PRIORITY_PASSED.with(|p| *p.borrow_mut() = true);
            QUOTE_SKEW.with(|s| *s.borrow_mut() = 0);
            assert_ok!(Lending::supply(
                RuntimeOrigin::signed(LENDER),
                MARKET,
                100_000 * UNIT
            ));
        });
        ext.commit_all().unwrap();
        ext
    }

    /// Runs `test`, then checks the avatar pallet's invariants.
    pub fn build_and_execute(self, test: impl FnOnce()) {
        self.build().execute_with(|| {
            test();
            Avatar::do_try_state().expect("avatar invariants hold after the test");
        });
    }
}
