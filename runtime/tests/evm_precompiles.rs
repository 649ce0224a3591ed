//! EVM contracts and EOAs use Backstop through the precompiles of `backstop-precompiles`
//! (`ILending`, `IBackstop`, `IAvatar`) and the assets' ERC-20 precompiles, on the runtime
//! with the `development` genesis: every call dispatches the pallet's own extrinsic with the
//! caller as signed origin, a failing call reverts with `"<Pallet>.<Error>"` and changes
//! nothing, a contract only ever acts as itself. The gas of the main calls is printed by
//! `gas_of_the_main_calls` (`cargo test --test evm_precompiles -- --nocapture`).

mod common;

use backstop_precompiles::{
    erc20_address, IAvatar, IBackstop, ILending, AVATAR_ADDRESS, BACKSTOP_ADDRESS, LENDING_ADDRESS,
};
use backstop_primitives::LendingMarket;
use backstop_runtime::{
    genesis_config_presets::{whole, BTC, ETH, ETH_USD_MARKET, USD},
    AccountId, Assets, Avatar, Backstop, Lending, Runtime, RuntimeOrigin, System,
};
use common::{account, dev_ext, feed_eth, run_block, run_blocks, usd, T0};
use frame_support::{assert_ok, dispatch::GetDispatchInfo};
use pallet_revive::{
    precompiles::alloy::{
        self,
        primitives::{Address, Bytes, B256, U256},
        sol_types::{Revert, SolCall, SolError, SolEvent},
    },
    test_utils::builder::{BareCallBuilder, BareInstantiateBuilder},
    AddressMapper, Code, TransactionLimits,
};
use sp_core::H160;
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie, Dave, Eve, Ferdie};

alloy::sol! {
    interface IForwarder {
        function exec(address target, bytes data) external returns (bytes memory);
        function execStatic(address target, bytes data) external view returns (bytes memory);
        function execDelegate(address target, bytes data) external returns (bool, bytes memory);
    }

    interface IVault {
        function deposit(uint256 assets, address receiver) external returns (uint256 shares);
        function redeem(uint256 shares, address receiver, address owner) external returns (uint256 assets);
        function totalAssets() external view returns (uint256);
        function totalSupply() external view returns (uint256);
        function balanceOf(address who) external view returns (uint256);
        function convertToAssets(uint256 shares) external view returns (uint256);
    }

    interface IKeeper {
        function liquidateAndBuy(
            uint32 market,
            address borrower,
            uint256 seized,
            uint32 collateral,
            uint256 stableIn,
            uint256 minOut
        ) external returns (uint256 received);
    }

    interface IERC20 {
        function totalSupply() external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function transfer(address to, uint256 value) external returns (bool);
        function allowance(address owner, address spender) external view returns (uint256);
        function approve(address spender, uint256 value) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function decimals() external view returns (uint8);
        function symbol() external view returns (string memory);
    }
}

const FORWARDER_BYTECODE: &str = include_str!("../../contracts/build/Forwarder.bin");
const VAULT_BYTECODE: &str = include_str!("../../contracts/build/BackstopVault.bin");
const KEEPER_BYTECODE: &str = include_str!("../../contracts/build/BackstopKeeper.bin");

const LENDING: H160 = H160(LENDING_ADDRESS);
const BACKSTOP: H160 = H160(BACKSTOP_ADDRESS);
const AVATAR: H160 = H160(AVATAR_ADDRESS);

fn erc20(asset: u32) -> H160 {
    H160(erc20_address(asset))
}

fn eth(n: u128) -> u128 {
    n * whole(18)
}

fn u(amount: u128) -> U256 {
    U256::from(amount)
}

/// The EVM address of an account (pallet-revive's mapping; every account is mapped).
fn addr(who: &AccountId) -> Address {
    Address::from(<Runtime as pallet_revive::Config>::AddressMapper::to_address(who).0)
}

/// Alith, an Ethereum dev key: an EOA whose account is its address and twelve `0xee` bytes.
fn alith() -> AccountId {
    let mut raw = [0xee_u8; 32];
    raw[..20].copy_from_slice(&hex::decode("f24ff3a9cf04c71dbc94d0b566f7a27b94566cac").unwrap());
    AccountId::from(raw)
}

fn limits() -> TransactionLimits<Runtime> {
    TransactionLimits::WeightAndDeposit {
        weight_limit: pallet_revive::test_utils::WEIGHT_LIMIT,
        deposit_limit: 100 * backstop_runtime::UNIT,
    }
}

/// What a call returned.
struct Outcome {
    data: Vec<u8>,
    reverted: bool,
    gas: u128,
    weight: frame_support::weights::Weight,
}

impl Outcome {
    /// The returned data of a call that must have succeeded.
    fn ok(self) -> Vec<u8> {
        assert!(
            !self.reverted,
            "call reverted: {:?}",
            Revert::abi_decode(&self.data).map(|r| r.reason)
        );
        self.data
    }

    /// The revert reason of a call that must have reverted with `Error(string)`.
    fn reason(&self) -> String {
        assert!(self.reverted, "call did not revert");
        Revert::abi_decode(&self.data)
            .expect("the revert data is Error(string)")
            .reason
    }
}

/// `who` calls `to` with `data` (as an EOA would; `who` may be a Substrate or an Ethereum
/// account).
fn call(who: &AccountId, to: H160, data: Vec<u8>) -> Outcome {
    let result = BareCallBuilder::<Runtime>::bare_call(RuntimeOrigin::signed(who.clone()), to)
        .data(data)
        .transaction_limits(limits())
        .build();
    let value = result
        .result
        .expect("the call executed (a revert is not a trap)");
    Outcome {
        reverted: value.did_revert(),
        data: value.data,
        gas: result.gas_consumed,
        weight: result.weight_consumed,
    }
}

/// `who` calls `to` and the call must revert with `reason` and change nothing.
fn assert_reverts(who: &AccountId, to: H160, data: Vec<u8>, reason: &str) {
    let root = state_root();
    let events = System::events().len();
    let outcome = call(who, to, data);
    assert_eq!(outcome.reason(), reason);
    assert_eq!(
        System::events().len(),
        events,
        "no event of a reverted call"
    );
    assert_eq!(state_root(), root, "a reverted call changes nothing");
}

/// Whether `contract` emitted a log whose first topic is `signature` in this block.
fn logged(contract: H160, signature: [u8; 32]) -> bool {
    System::events().into_iter().any(|r| {
        matches!(
            r.event,
            backstop_runtime::RuntimeEvent::Revive(pallet_revive::Event::ContractEmitted {
                contract: c,
                ref topics,
                ..
            }) if c == contract && topics.first().map(|t| t.0) == Some(signature)
        )
    })
}

/// The logs `contract` emitted in this block as event `E`, decoded, in order.
fn logs_of<E: SolEvent>(contract: H160) -> Vec<E> {
    System::events()
        .into_iter()
        .filter_map(|r| match r.event {
            backstop_runtime::RuntimeEvent::Revive(pallet_revive::Event::ContractEmitted {
                contract: c,
                data,
                topics,
            }) if c == contract && topics.first().map(|t| t.0) == Some(E::SIGNATURE_HASH.0) => {
                Some(
                    E::decode_raw_log(topics.iter().map(|t| B256::from(t.0)), &data)
                        .expect("the log decodes as its event"),
                )
            }
            _ => None,
        })
        .collect()
}

fn state_root() -> Vec<u8> {
    sp_io::storage::root(sp_runtime::StateVersion::V1)
}

fn deploy(hex_code: &str, deployer: &AccountId) -> (H160, AccountId) {
    let code = hex::decode(hex_code.trim()).expect("bytecode is hex");
    let contract = BareInstantiateBuilder::<Runtime>::bare_instantiate(
        RuntimeOrigin::signed(deployer.clone()),
        Code::Upload(code),
    )
    .transaction_limits(limits())
    .build_and_unwrap_contract();
    (contract.addr, contract.account_id)
}

/// A `Forwarder` contract that holds `usd_amount` USD and `eth_amount` ETH.
fn funded_forwarder(usd_amount: u128, eth_amount: u128) -> (H160, AccountId) {
    let (forwarder, account) = deploy(FORWARDER_BYTECODE, &account(Alice));
    for (asset, amount) in [(USD, usd_amount), (ETH, eth_amount)] {
        if amount > 0 {
            assert_ok!(Assets::transfer(
                RuntimeOrigin::signed(account_of_alice()),
                asset.into(),
                account.clone().into(),
                amount
            ));
        }
    }
    (forwarder, account)
}

fn account_of_alice() -> AccountId {
    account(Alice)
}

/// `data` for the forwarder to call `target` with as itself.
fn exec(target: H160, data: Vec<u8>) -> Vec<u8> {
    IForwarder::execCall {
        target: Address::from(target.0),
        data: Bytes::from(data),
    }
    .abi_encode()
}

fn decode_u256(data: &[u8]) -> u128 {
    u128::try_from(U256::from_be_slice(data.get(..32).expect("one word"))).expect("fits u128")
}

fn position(who: &AccountId) -> backstop_primitives::PositionInfo {
    <Lending as LendingMarket<_>>::position(ETH_USD_MARKET, who).expect("position")
}

#[test]
fn lending_through_the_precompile_from_eoas_and_a_contract() {
    dev_ext().execute_with(|| {
        run_block(1, T0);
        let (bob, charlie) = (account(Bob), alith());

        // A Substrate account supplies through the precompile: the market sees it supply.
        call(
            &bob,
            LENDING,
            ILending::supplyCall {
                market: ETH_USD_MARKET,
                assets: u(usd(100_000)),
            }
            .abi_encode(),
        )
        .ok();
        let p = position(&bob);
        assert!(p.supply_assets <= usd(100_000) && p.supply_assets + 1 >= usd(100_000));

        // The view returns what the pallet says.
        let view = call(
            &bob,
            LENDING,
            ILending::positionCall {
                market: ETH_USD_MARKET,
                who: addr(&bob),
            }
            .abi_encode(),
        )
        .ok();
        let view = ILending::positionCall::abi_decode_returns(&view).expect("position returns");
        assert_eq!(view.supplyShares, u(p.supply_shares));
        assert_eq!(view.supplyAssets, u(p.supply_assets));
        assert_eq!(view.borrowAssets, U256::ZERO);

        // An Ethereum EOA pledges 10 ETH and borrows 20 000 USD.
        let usd_before = Assets::balance(USD, &charlie);
        call(
            &charlie,
            LENDING,
            ILending::supplyCollateralCall {
                market: ETH_USD_MARKET,
                amount: u(eth(10)),
            }
            .abi_encode(),
        )
        .ok();
        call(
            &charlie,
            LENDING,
            ILending::borrowCall {
                market: ETH_USD_MARKET,
                assets: u(usd(20_000)),
            }
            .abi_encode(),
        )
        .ok();
        assert_eq!(Assets::balance(USD, &charlie), usd_before + usd(20_000));
        assert_eq!(position(&charlie).collateral, eth(10));

        // Health: 10 ETH at 3000 with lltv 77% carry 23 100 USD.
        let health = call(
            &bob,
            LENDING,
            ILending::healthCall {
                market: ETH_USD_MARKET,
                who: addr(&charlie),
            }
            .abi_encode(),
        )
        .ok();
        let health = ILending::healthCall::abi_decode_returns(&health).expect("health returns");
        assert_eq!(health.maxBorrow, u(usd(23_100)));
        assert!(health.debt >= u(usd(20_000)) && !health.liquidatable);

        // A module error reverts with its name and changes nothing.
        assert_reverts(
            &charlie,
            LENDING,
            ILending::borrowCall {
                market: ETH_USD_MARKET,
                assets: u(usd(3_101)),
            }
            .abi_encode(),
            "Lending.InsufficientCollateral",
        );
        assert_reverts(
            &charlie,
            LENDING,
            ILending::supplyCall {
                market: 7,
                assets: u(usd(1)),
            }
            .abi_encode(),
            "Lending.UnknownMarket",
        );
        assert_reverts(
            &charlie,
            LENDING,
            ILending::supplyCall {
                market: ETH_USD_MARKET,
                assets: U256::ZERO,
            }
            .abi_encode(),
            "Lending.ZeroAmount",
        );
        assert_reverts(
            &charlie,
            LENDING,
            ILending::supplyCall {
                market: ETH_USD_MARKET,
                assets: U256::MAX,
            }
            .abi_encode(),
            "Precompile.AmountTooLarge",
        );

        // A contract repays part of Charlie's debt with its own USD (repaying for anyone is
        // what the extrinsic allows); it cannot withdraw Bob's supply, only its own (none).
        let (forwarder, contract) = funded_forwarder(usd(5_000), 0);
        let debt_before = position(&charlie).borrow_assets;
        call(
            &bob,
            forwarder,
            exec(
                LENDING,
                ILending::repayCall {
                    market: ETH_USD_MARKET,
                    onBehalfOf: addr(&charlie),
                    assets: u(usd(1_000)),
                }
                .abi_encode(),
            ),
        )
        .ok();
        assert_eq!(position(&charlie).borrow_assets, debt_before - usd(1_000));
        assert_eq!(Assets::balance(USD, &contract), usd(4_000));
        let bob_supply = position(&bob);
        assert_reverts(
            &bob,
            forwarder,
            exec(
                LENDING,
                ILending::withdrawCall {
                    market: ETH_USD_MARKET,
                    assets: u(usd(1)),
                }
                .abi_encode(),
            ),
            "Lending.SupplyExceeded",
        );
        assert_eq!(position(&bob), bob_supply);

        // ETH falls to 2000: the position is liquidatable; the contract liquidates 1 ETH of it
        // and pays exactly the repayment the view quoted.
        run_block(2, T0 + 6_000);
        feed_eth(2_000);
        let repayment = call(
            &bob,
            LENDING,
            ILending::liquidationRepaymentCall {
                market: ETH_USD_MARKET,
                seizedCollateral: u(eth(1)),
            }
            .abi_encode(),
        )
        .ok();
        let repayment = decode_u256(&repayment);
        let debt_before = position(&charlie).borrow_assets;
        call(
            &bob,
            forwarder,
            exec(
                LENDING,
                ILending::liquidateCall {
                    market: ETH_USD_MARKET,
                    borrower: addr(&charlie),
                    seizedCollateral: u(eth(1)),
                }
                .abi_encode(),
            ),
        )
        .ok();
        assert_eq!(Assets::balance(ETH, &contract), eth(1));
        assert_eq!(Assets::balance(USD, &contract), usd(4_000) - repayment);
        assert!(logged(LENDING, ILending::Liquidated::SIGNATURE_HASH.0));
        assert_eq!(position(&charlie).borrow_assets, debt_before - repayment);
        assert_eq!(position(&charlie).collateral, eth(9));

        // The borrower withdraws part of its collateral back, as far as health allows, and
        // repays all of its debt with `type(uint128).max`.
        call(
            &charlie,
            LENDING,
            ILending::repayCall {
                market: ETH_USD_MARKET,
                onBehalfOf: addr(&charlie),
                assets: u(u128::MAX),
            }
            .abi_encode(),
        )
        .ok();
        assert_eq!(position(&charlie).borrow_assets, 0);
        call(
            &charlie,
            LENDING,
            ILending::withdrawCollateralCall {
                market: ETH_USD_MARKET,
                amount: u(eth(9)),
            }
            .abi_encode(),
        )
        .ok();
        assert_eq!(position(&charlie).collateral, 0);
        call(
            &bob,
            LENDING,
            ILending::withdrawCall {
                market: ETH_USD_MARKET,
                assets: u(usd(50_000)),
            }
            .abi_encode(),
        )
        .ok();
        assert!(position(&bob).supply_assets < usd(50_001));
    });
}

/// Sets up a liquidatable 10 ETH / 20 000 USD position of Charlie's with the pool holding
/// 50 000 USD of Dave's, ETH at 2500 (block 2).
fn pool_scene() -> (AccountId, AccountId) {
    run_block(1, T0);
    let (borrower, depositor) = (account(Charlie), account(Dave));
    assert_ok!(Lending::supply(
        RuntimeOrigin::signed(account(Bob)),
        ETH_USD_MARKET,
        usd(100_000)
    ));
    assert_ok!(Lending::supply_collateral(
        RuntimeOrigin::signed(borrower.clone()),
        ETH_USD_MARKET,
        eth(10)
    ));
    assert_ok!(Lending::borrow(
        RuntimeOrigin::signed(borrower.clone()),
        ETH_USD_MARKET,
        usd(20_000)
    ));
    call(
        &depositor,
        BACKSTOP,
        IBackstop::depositCall {
            amount: u(usd(50_000)),
        }
        .abi_encode(),
    )
    .ok();
    run_block(2, T0 + 6_000);
    feed_eth(2_500);
    (borrower, depositor)
}

#[test]
fn the_backstop_pool_through_the_precompile() {
    dev_ext().execute_with(|| {
        let (borrower, depositor) = pool_scene();
        let shares = Backstop::shares_of(&depositor);
        assert!(shares > 0);
        let view = |data: Vec<u8>| decode_u256(&call(&depositor, BACKSTOP, data).ok());
        assert_eq!(
            view(IBackstop::sharesOfCall { who: addr(&depositor) }.abi_encode()),
            shares
        );
        assert_eq!(view(IBackstop::totalSharesCall {}.abi_encode()), pallet_backstop::TotalShares::<Runtime>::get());
        assert_eq!(
            view(IBackstop::poolValueCall {}.abi_encode()),
            Backstop::pool_value().unwrap()
        );
        assert_eq!(
            view(IBackstop::sharePriceCall {}.abi_encode()),
            Backstop::share_price().unwrap().into_inner()
        );
        assert_eq!(
            view(IBackstop::valueOfCall { who: addr(&depositor) }.abi_encode()),
            Backstop::value_of(&depositor).unwrap()
        );

        // The deposit returned the shares it minted and logged them.
        let logged = System::events().into_iter().any(|r| {
            matches!(
                r.event,
                backstop_runtime::RuntimeEvent::Revive(pallet_revive::Event::ContractEmitted { contract, ref topics, .. })
                    if contract == BACKSTOP && topics.first().map(|t| t.0) == Some(IBackstop::Deposited::SIGNATURE_HASH.0)
            )
        });
        assert!(logged, "Deposited log");
        let deposited = logs_of::<IBackstop::Deposited>(BACKSTOP);
        let deposited = deposited.last().expect("Deposited log");
        assert_eq!(deposited.who, addr(&depositor));
        assert_eq!(deposited.amount, u(usd(50_000)));
        assert_eq!(deposited.shares, u(shares));

        // A keeper contract has the pool liquidate 4 ETH of the position.
        let (keeper, keeper_account) = funded_forwarder(0, 0);
        call(
            &account(Eve),
            keeper,
            exec(
                BACKSTOP,
                IBackstop::liquidateCall {
                    market: ETH_USD_MARKET,
                    borrower: addr(&borrower),
                    seizedCollateral: u(eth(4)),
                }
                .abi_encode(),
            ),
        )
        .ok();
        assert_eq!(position(&borrower).collateral, eth(6));
        // Logged with the keeper contract (the precompile's caller) as the caller.
        let liquidated = logs_of::<IBackstop::Liquidated>(BACKSTOP);
        let liquidated = liquidated.last().expect("IBackstop.Liquidated log");
        assert_eq!(liquidated.caller, Address::from(keeper.0));
        assert_eq!(liquidated.market, ETH_USD_MARKET);
        assert_eq!(liquidated.borrower, addr(&borrower));
        assert_eq!(liquidated.seizedCollateral, u(eth(4)));
        let pool_eth = Assets::balance(ETH, Backstop::account_id());
        assert!(pool_eth > 0 && pool_eth <= eth(4));
        // The caller's fee, if any, went to the keeper contract (not to its caller).
        assert_eq!(Assets::balance(ETH, &keeper_account), eth(4) - pool_eth);

        // An arbitrageur quotes and swaps; a minimum above the quote reverts.
        let arbitrageur = account(Ferdie);
        let quote = call(
            &arbitrageur,
            BACKSTOP,
            IBackstop::quoteSwapCall {
                asset: ETH,
                stableIn: u(usd(3_000)),
            }
            .abi_encode(),
        )
        .ok();
        let quote = IBackstop::quoteSwapCall::abi_decode_returns(&quote).expect("quote");
        assert_reverts(
            &arbitrageur,
            BACKSTOP,
            IBackstop::swapCall {
                asset: ETH,
                stableIn: u(usd(3_000)),
                minOut: quote.out + U256::from(1),
            }
            .abi_encode(),
            "Backstop.Slippage",
        );
        assert_reverts(
            &arbitrageur,
            BACKSTOP,
            IBackstop::swapCall {
                asset: BTC,
                stableIn: u(usd(3_000)),
                minOut: U256::ZERO,
            }
            .abi_encode(),
            "Backstop.UnknownCollateral",
        );
        let eth_before = Assets::balance(ETH, &arbitrageur);
        let out = call(
            &arbitrageur,
            BACKSTOP,
            IBackstop::swapCall {
                asset: ETH,
                stableIn: u(usd(3_000)),
                minOut: quote.out,
            }
            .abi_encode(),
        )
        .ok();
        assert_eq!(u(decode_u256(&out)), quote.out);
        assert_eq!(u(Assets::balance(ETH, &arbitrageur) - eth_before), quote.out);
        let swapped = logs_of::<IBackstop::Swapped>(BACKSTOP);
        let swapped = swapped.last().expect("Swapped log");
        assert_eq!(swapped.who, addr(&arbitrageur));
        assert_eq!(swapped.asset, ETH);
        assert_eq!(swapped.stableIn, u(usd(3_000)));
        assert_eq!(swapped.out, quote.out);

        // Another account's shares cannot be withdrawn: the caller has none.
        assert_reverts(
            &arbitrageur,
            BACKSTOP,
            IBackstop::withdrawCall { shares: u(shares) }.abi_encode(),
            "Backstop.InsufficientShares",
        );
        // The depositor withdraws half, in kind.
        let (usd_before, eth_before) = (
            Assets::balance(USD, &depositor),
            Assets::balance(ETH, &depositor),
        );
        call(
            &depositor,
            BACKSTOP,
            IBackstop::withdrawCall {
                shares: u(shares / 2),
            }
            .abi_encode(),
        )
        .ok();
        assert_eq!(Backstop::shares_of(&depositor), shares - shares / 2);
        let withdrawn = logs_of::<IBackstop::Withdrawn>(BACKSTOP);
        let withdrawn = withdrawn.last().expect("Withdrawn log");
        assert_eq!(withdrawn.who, addr(&depositor));
        assert_eq!(withdrawn.shares, u(shares / 2));
        assert!(Assets::balance(USD, &depositor) > usd_before);
        assert!(Assets::balance(ETH, &depositor) > eth_before);
        // Nothing to redeem.
        assert_reverts(
            &depositor,
            BACKSTOP,
            IBackstop::redeemCall {}.abi_encode(),
            "Backstop.NoClaim",
        );
    });
}

#[test]
fn the_franchise_and_the_jar_through_the_precompile() {
    dev_ext().execute_with(|| {
        run_block(1, T0);
        let (bidder, other) = (alith(), account(Eve));
        let usd_before = Assets::balance(USD, &bidder);
        call(
            &bidder,
            BACKSTOP,
            IBackstop::bidCall {
                amount: u(usd(30)),
                commitment: u(usd(2_000)),
            }
            .abi_encode(),
        )
        .ok();
        // Bid and commitment are held until the auction settles.
        assert_eq!(
            Assets::balance(USD, &bidder),
            usd_before - usd(30) - usd(2_000)
        );
        let winning = Backstop::next_franchise().winning;
        assert!(winning.iter().any(|b| b.bidder == bidder));
        assert_reverts(
            &other,
            BACKSTOP,
            IBackstop::bidCall {
                amount: U256::ZERO,
                commitment: u(usd(500)),
            }
            .abi_encode(),
            "Backstop.BidTooLow",
        );
        assert_reverts(
            &other,
            BACKSTOP,
            IBackstop::claimCall {}.abi_encode(),
            "Backstop.NothingToClaim",
        );
        assert_reverts(
            &other,
            BACKSTOP,
            IBackstop::withdrawRefundCall {}.abi_encode(),
            "Backstop.NoRefund",
        );
        let view = |data: Vec<u8>| decode_u256(&call(&other, BACKSTOP, data).ok());
        assert_eq!(
            view(IBackstop::scoreOfCall { who: addr(&other) }.abi_encode()),
            Backstop::score_of(&other)
        );
        assert_eq!(
            view(IBackstop::claimableCall { who: addr(&other) }.abi_encode()),
            Backstop::claimable(&other)
        );
        assert_eq!(
            view(IBackstop::refundOfCall { who: addr(&other) }.abi_encode()),
            0
        );
    });
}

#[test]
fn avatars_through_the_precompile() {
    dev_ext().execute_with(|| {
        run_block(1, T0);
        let (user, keeper) = (alith(), account(Eve));
        assert_ok!(Lending::supply(
            RuntimeOrigin::signed(account(Bob)),
            ETH_USD_MARKET,
            usd(100_000)
        ));
        assert_ok!(Backstop::deposit(
            RuntimeOrigin::signed(account(Dave)),
            usd(50_000)
        ));
        call(
            &user,
            AVATAR,
            IAvatar::supplyCollateralCall {
                market: ETH_USD_MARKET,
                amount: u(eth(1)),
            }
            .abi_encode(),
        )
        .ok();
        call(
            &user,
            AVATAR,
            IAvatar::borrowCall {
                market: ETH_USD_MARKET,
                assets: u(usd(1_000)),
            }
            .abi_encode(),
        )
        .ok();
        let avatar = Avatar::avatar_account(user.clone());
        assert_eq!(position(&avatar).collateral, eth(1));

        let view = |data: Vec<u8>| call(&keeper, AVATAR, data).ok();
        let avatar_view = view(IAvatar::avatarOfCall { user: addr(&user) }.abi_encode());
        assert_eq!(
            IAvatar::avatarOfCall::abi_decode_returns(&avatar_view).unwrap(),
            addr(&avatar)
        );
        let debt = decode_u256(&view(
            IAvatar::debtBackstopOfCall {
                market: ETH_USD_MARKET,
                user: addr(&user),
            }
            .abi_encode(),
        ));
        assert_eq!(debt, Avatar::debt_backstop(ETH_USD_MARKET, &user).unwrap());
        assert!(debt >= usd(1_000));
        // No seat is sold: the pool is the member of last resort.
        let assigned = view(
            IAvatar::assignedCall {
                market: ETH_USD_MARKET,
                user: addr(&user),
            }
            .abi_encode(),
        );
        let assigned = IAvatar::assignedCall::abi_decode_returns(&assigned).unwrap();
        assert!(assigned.pool && assigned.member == Address::ZERO);

        // A top-up of a position outside the top-up band is refused.
        assert_reverts(
            &keeper,
            AVATAR,
            IAvatar::topUpCall {
                market: ETH_USD_MARKET,
                user: addr(&user),
                amount: u(usd(100)),
            }
            .abi_encode(),
            "Avatar.NotInTopupBand",
        );
        // Healthy: no member, the pool or anyone else may liquidate it.
        assert_reverts(
            &keeper,
            AVATAR,
            IAvatar::liquidateCall {
                market: ETH_USD_MARKET,
                user: addr(&user),
                amount: u(usd(100)),
            }
            .abi_encode(),
            "Avatar.PositionHealthy",
        );
        assert_reverts(
            &keeper,
            AVATAR,
            IAvatar::openLiquidateCall {
                market: ETH_USD_MARKET,
                user: addr(&user),
                amount: u(usd(100)),
            }
            .abi_encode(),
            "Avatar.PositionHealthy",
        );
        assert_reverts(
            &keeper,
            AVATAR,
            IAvatar::poolLiquidateCall {
                market: ETH_USD_MARKET,
                user: addr(&user),
                amount: u(usd(100)),
            }
            .abi_encode(),
            "Avatar.PositionHealthy",
        );

        // ETH falls to 1200: a keeper contract has the pool liquidate the whole debt.
        run_block(2, T0 + 6_000);
        feed_eth(1_200);
        call(
            &keeper,
            AVATAR,
            IAvatar::syncCall {
                market: ETH_USD_MARKET,
                user: addr(&user),
            }
            .abi_encode(),
        )
        .ok();
        let may = view(
            IAvatar::poolMayLiquidateCall {
                market: ETH_USD_MARKET,
                user: addr(&user),
            }
            .abi_encode(),
        );
        assert_eq!(
            IAvatar::poolMayLiquidateCall::abi_decode_returns(&may).unwrap(),
            Avatar::pool_may_liquidate(ETH_USD_MARKET, user.clone())
        );
        let debt = Avatar::debt_backstop(ETH_USD_MARKET, &user).unwrap();
        // Liquidatable now, but not by a non-member as a member, nor by anyone before the
        // pool's turn is over.
        assert_reverts(
            &keeper,
            AVATAR,
            IAvatar::liquidateCall {
                market: ETH_USD_MARKET,
                user: addr(&user),
                amount: u(debt),
            }
            .abi_encode(),
            "Avatar.NotAssignedMember",
        );
        assert_reverts(
            &keeper,
            AVATAR,
            IAvatar::openLiquidateCall {
                market: ETH_USD_MARKET,
                user: addr(&user),
                amount: u(debt),
            }
            .abi_encode(),
            "Avatar.PoolTurnNotPassed",
        );
        let (forwarder, _) = funded_forwarder(0, 0);
        call(
            &keeper,
            forwarder,
            exec(
                AVATAR,
                IAvatar::poolLiquidateCall {
                    market: ETH_USD_MARKET,
                    user: addr(&user),
                    amount: u(debt),
                }
                .abi_encode(),
            ),
        )
        .ok();
        // The pool took over the whole debt: nothing is left to repay.
        assert_eq!(Avatar::debt_backstop(ETH_USD_MARKET, &user).unwrap(), 0);
        assert!(logged(AVATAR, IAvatar::Liquidated::SIGNATURE_HASH.0));
        assert!(Assets::balance(ETH, Backstop::account_id()) > 0);
        assert_reverts(
            &user,
            AVATAR,
            IAvatar::repayAllCall {
                market: ETH_USD_MARKET,
            }
            .abi_encode(),
            "Avatar.NoDebt",
        );

        // The user closes the avatar; what is left of the collateral comes back.
        let eth_before = Assets::balance(ETH, &user);
        call(&user, AVATAR, IAvatar::leaveCall {}.abi_encode()).ok();
        assert_eq!(position(&avatar), Default::default());
        assert!(Assets::balance(ETH, &user) > eth_before);
        assert_reverts(
            &user,
            AVATAR,
            IAvatar::leaveCall {}.abi_encode(),
            "Avatar.NoAvatar",
        );
    });
}

#[test]
fn avatar_supply_withdraw_and_repay_through_the_precompile() {
    dev_ext().execute_with(|| {
        run_block(1, T0);
        let user = account(Ferdie);
        assert_ok!(Lending::supply(
            RuntimeOrigin::signed(account(Bob)),
            ETH_USD_MARKET,
            usd(100_000)
        ));
        for data in [
            IAvatar::supplyCall {
                market: ETH_USD_MARKET,
                assets: u(usd(1_000)),
            }
            .abi_encode(),
            IAvatar::supplyCollateralCall {
                market: ETH_USD_MARKET,
                amount: u(eth(2)),
            }
            .abi_encode(),
            IAvatar::borrowCall {
                market: ETH_USD_MARKET,
                assets: u(usd(500)),
            }
            .abi_encode(),
            IAvatar::repayCall {
                market: ETH_USD_MARKET,
                assets: u(usd(200)),
            }
            .abi_encode(),
            IAvatar::withdrawCall {
                market: ETH_USD_MARKET,
                assets: u(usd(400)),
            }
            .abi_encode(),
            IAvatar::withdrawCollateralCall {
                market: ETH_USD_MARKET,
                amount: u(eth(1)),
            }
            .abi_encode(),
        ] {
            call(&user, AVATAR, data).ok();
        }
        let p = position(&Avatar::avatar_account(user.clone()));
        assert_eq!(p.collateral, eth(1));
        assert!(p.borrow_assets >= usd(300) && p.borrow_assets < usd(300) + 1_000);
        assert!(p.supply_assets + 1 >= usd(600) && p.supply_assets <= usd(600));
        assert_reverts(
            &user,
            AVATAR,
            IAvatar::withdrawCollateralCall {
                market: ETH_USD_MARKET,
                amount: u(eth(1)),
            }
            .abi_encode(),
            "Lending.InsufficientCollateral",
        );
        assert_reverts(
            &user,
            AVATAR,
            IAvatar::leaveCall {}.abi_encode(),
            "Avatar.HasDebt",
        );
        // Repay everything, interest included, then close the avatar: supply and collateral
        // come back.
        let eth_before = Assets::balance(ETH, &user);
        call(
            &user,
            AVATAR,
            IAvatar::repayAllCall {
                market: ETH_USD_MARKET,
            }
            .abi_encode(),
        )
        .ok();
        assert_eq!(Avatar::debt_backstop(ETH_USD_MARKET, &user).unwrap(), 0);
        call(&user, AVATAR, IAvatar::leaveCall {}.abi_encode()).ok();
        assert_eq!(Assets::balance(ETH, &user), eth_before + eth(1));
        assert_eq!(
            position(&Avatar::avatar_account(user.clone())),
            Default::default()
        );
    });
}

#[test]
fn static_and_delegate_calls_cannot_change_state() {
    dev_ext().execute_with(|| {
        run_block(1, T0);
        let (forwarder, contract) = funded_forwarder(usd(1_000), 0);
        let supply = ILending::supplyCall {
            market: ETH_USD_MARKET,
            assets: u(usd(100)),
        }
        .abi_encode();

        // A state change in a static context traps the precompile: the forwarder reverts
        // (without data) and nothing changes.
        let root = state_root();
        let outcome = call(
            &account(Bob),
            forwarder,
            IForwarder::execStaticCall {
                target: Address::from(LENDING.0),
                data: Bytes::from(supply.clone()),
            }
            .abi_encode(),
        );
        assert!(outcome.reverted && outcome.data.is_empty());
        assert_eq!(state_root(), root);
        // A view works in a static context.
        let view = call(
            &account(Bob),
            forwarder,
            IForwarder::execStaticCall {
                target: Address::from(BACKSTOP.0),
                data: Bytes::from(IBackstop::totalSharesCall {}.abi_encode()),
            }
            .abi_encode(),
        )
        .ok();
        assert_eq!(view.len(), 32 * 3, "bytes of one word");

        // Under `delegatecall` the precompile would see the forwarder's caller as its caller:
        // it refuses, and Bob's account supplies nothing.
        let outcome = call(
            &account(Bob),
            forwarder,
            IForwarder::execDelegateCall {
                target: Address::from(LENDING.0),
                data: Bytes::from(supply),
            }
            .abi_encode(),
        )
        .ok();
        let returned =
            IForwarder::execDelegateCall::abi_decode_returns(&outcome).expect("(bool, bytes)");
        assert!(!returned._0);
        assert_eq!(
            Revert::abi_decode(&returned._1).unwrap().reason,
            "illegal to call this pre-compile via delegate call"
        );
        assert_eq!(position(&account(Bob)).supply_shares, 0);
        assert_eq!(position(&contract).supply_shares, 0);
    });
}

#[test]
fn the_assets_are_erc20s() {
    dev_ext().execute_with(|| {
        run_block(1, T0);
        let (bob, charlie) = (account(Bob), account(Charlie));
        let balance = |who: &AccountId, asset| {
            decode_u256(
                &call(
                    who,
                    erc20(asset),
                    IERC20::balanceOfCall { account: addr(who) }.abi_encode(),
                )
                .ok(),
            )
        };
        for asset in [USD, ETH, BTC] {
            assert_eq!(balance(&bob, asset), Assets::balance(asset, &bob));
        }
        let decimals = call(&bob, erc20(BTC), IERC20::decimalsCall {}.abi_encode()).ok();
        assert_eq!(
            IERC20::decimalsCall::abi_decode_returns(&decimals).unwrap(),
            8
        );

        // Bob sends USD to a contract, which sends part of it on to Charlie.
        let (forwarder, contract) = deploy(FORWARDER_BYTECODE, &bob);
        call(
            &bob,
            erc20(USD),
            IERC20::transferCall {
                to: Address::from(forwarder.0),
                value: u(usd(500)),
            }
            .abi_encode(),
        )
        .ok();
        assert_eq!(Assets::balance(USD, &contract), usd(500));
        let charlie_before = Assets::balance(USD, &charlie);
        call(
            &bob,
            forwarder,
            exec(
                erc20(USD),
                IERC20::transferCall {
                    to: addr(&charlie),
                    value: u(usd(200)),
                }
                .abi_encode(),
            ),
        )
        .ok();
        assert_eq!(Assets::balance(USD, &contract), usd(300));
        assert_eq!(Assets::balance(USD, &charlie), charlie_before + usd(200));
    });
}

#[test]
fn a_vault_pools_users_usd_into_the_backstop() {
    dev_ext().execute_with(|| {
        let (borrower, _) = pool_scene();
        let (vault, vault_account) = deploy(VAULT_BYTECODE, &account(Alice));
        let user = account(Bob);

        // Bob approves the vault on USD's ERC-20 and deposits 10 000 USD.
        call(
            &user,
            erc20(USD),
            IERC20::approveCall {
                spender: Address::from(vault.0),
                value: u(usd(10_000)),
            }
            .abi_encode(),
        )
        .ok();
        let deposit = call(
            &user,
            vault,
            IVault::depositCall {
                assets: u(usd(10_000)),
                receiver: addr(&user),
            }
            .abi_encode(),
        );
        println!(
            "| BackstopVault.deposit (contract: ERC20.transferFrom + IBackstop.deposit) | {} | {} | {} |",
            deposit.gas,
            deposit.weight.ref_time(),
            deposit.weight.proof_size()
        );
        let deposited = deposit.ok();
        let shares = decode_u256(&deposited);
        assert!(shares > 0);
        // The vault holds the pool shares; Bob holds as many vault shares.
        assert_eq!(Backstop::shares_of(&vault_account), shares);
        assert_eq!(Backstop::shares_of(&user), 0);
        let vault_view = |data: Vec<u8>| decode_u256(&call(&user, vault, data).ok());
        assert_eq!(
            vault_view(IVault::balanceOfCall { who: addr(&user) }.abi_encode()),
            shares
        );
        let assets_before = vault_view(IVault::totalAssetsCall {}.abi_encode());
        assert_eq!(assets_before, Backstop::value_of(&vault_account).unwrap());

        // The pool liquidates at a gain: the vault's shares are worth more.
        assert_ok!(Backstop::liquidate(
            RuntimeOrigin::signed(account(Eve)),
            ETH_USD_MARKET,
            borrower.clone(),
            eth(4)
        ));
        let assets_after = vault_view(IVault::totalAssetsCall {}.abi_encode());
        assert!(
            assets_after > assets_before,
            "{assets_after} > {assets_before}"
        );

        // Another account cannot redeem Bob's shares.
        let eve = account(Eve);
        let outcome = call(
            &eve,
            vault,
            IVault::redeemCall {
                shares: u(shares),
                receiver: addr(&eve),
                owner: addr(&user),
            }
            .abi_encode(),
        );
        assert_eq!(outcome.reason(), "BackstopVault: not the owner");

        // Bob redeems everything: USD and ETH in kind, worth about what the shares were.
        let (usd_before, eth_before) = (Assets::balance(USD, &user), Assets::balance(ETH, &user));
        call(
            &user,
            vault,
            IVault::redeemCall {
                shares: u(shares),
                receiver: addr(&user),
                owner: addr(&user),
            }
            .abi_encode(),
        )
        .ok();
        assert_eq!(Backstop::shares_of(&vault_account), 0);
        assert!(Assets::balance(USD, &user) > usd_before);
        assert!(Assets::balance(ETH, &user) > eth_before);
        assert_eq!(vault_view(IVault::totalSupplyCall {}.abi_encode()), 0);
    });
}

#[test]
fn gas_of_the_main_calls() {
    dev_ext().execute_with(|| {
        let (borrower, depositor) = pool_scene();
        let mut table = Vec::new();
        let mut measure = |name: &str, who: &AccountId, to: H160, data: Vec<u8>| {
            let outcome = call(who, to, data);
            assert!(!outcome.reverted, "{name} reverted: {:?}", outcome.reason());
            assert!(outcome.gas > 0);
            table.push((name.to_string(), outcome.gas, outcome.weight));
        };
        measure(
            "IBackstop.deposit (EOA)",
            &depositor,
            BACKSTOP,
            IBackstop::depositCall {
                amount: u(usd(1_000)),
            }
            .abi_encode(),
        );
        measure(
            "ILending.supply (EOA)",
            &account(Bob),
            LENDING,
            ILending::supplyCall {
                market: ETH_USD_MARKET,
                assets: u(usd(1_000)),
            }
            .abi_encode(),
        );
        measure(
            "ILending.health (EOA)",
            &account(Bob),
            LENDING,
            ILending::healthCall {
                market: ETH_USD_MARKET,
                who: addr(&borrower),
            }
            .abi_encode(),
        );
        measure(
            "ILending.liquidate (EOA)",
            &account(Bob),
            LENDING,
            ILending::liquidateCall {
                market: ETH_USD_MARKET,
                borrower: addr(&borrower),
                seizedCollateral: u(eth(1)),
            }
            .abi_encode(),
        );
        measure(
            "IBackstop.liquidate (EOA)",
            &account(Eve),
            BACKSTOP,
            IBackstop::liquidateCall {
                market: ETH_USD_MARKET,
                borrower: addr(&borrower),
                seizedCollateral: u(eth(4)),
            }
            .abi_encode(),
        );
        measure(
            "IBackstop.quoteSwap (EOA)",
            &account(Ferdie),
            BACKSTOP,
            IBackstop::quoteSwapCall {
                asset: ETH,
                stableIn: u(usd(1_000)),
            }
            .abi_encode(),
        );
        measure(
            "IBackstop.swap (EOA)",
            &account(Ferdie),
            BACKSTOP,
            IBackstop::swapCall {
                asset: ETH,
                stableIn: u(usd(1_000)),
                minOut: U256::ZERO,
            }
            .abi_encode(),
        );
        measure(
            "IBackstop.withdraw (EOA)",
            &depositor,
            BACKSTOP,
            IBackstop::withdrawCall {
                shares: u(Backstop::shares_of(&depositor) / 4),
            }
            .abi_encode(),
        );
        measure(
            "IAvatar.supplyCollateral (EOA)",
            &account(Ferdie),
            AVATAR,
            IAvatar::supplyCollateralCall {
                market: ETH_USD_MARKET,
                amount: u(eth(1)),
            }
            .abi_encode(),
        );
        measure(
            "IAvatar.borrow (EOA)",
            &account(Ferdie),
            AVATAR,
            IAvatar::borrowCall {
                market: ETH_USD_MARKET,
                assets: u(usd(500)),
            }
            .abi_encode(),
        );
        measure(
            "ERC20.transfer (EOA)",
            &account(Bob),
            erc20(USD),
            IERC20::transferCall {
                to: addr(&account(Charlie)),
                value: u(usd(1)),
            }
            .abi_encode(),
        );
        // Each call was charged at least its extrinsic's benchmarked weight.
        let weight_of = |name: &str| {
            table
                .iter()
                .find(|(n, _, _)| n == name)
                .map(|(_, _, w)| *w)
                .unwrap()
        };
        let supply = pallet_lending::Call::<Runtime>::supply {
            market: ETH_USD_MARKET,
            assets: usd(1_000),
        }
        .get_dispatch_info()
        .call_weight;
        assert!(weight_of("ILending.supply (EOA)").all_gte(supply));
        let deposit = pallet_backstop::Call::<Runtime>::deposit { amount: usd(1_000) }
            .get_dispatch_info()
            .call_weight;
        assert!(weight_of("IBackstop.deposit (EOA)").all_gte(deposit));
        println!("| call | gas | ref_time (ps) | proof_size (B) |");
        println!("|---|---|---|---|");
        for (name, gas, weight) in &table {
            println!(
                "| {name} | {gas} | {} | {} |",
                weight.ref_time(),
                weight.proof_size()
            );
        }
        assert_eq!(table.len(), 11);
    });
}

#[test]
fn a_paused_call_is_paused_through_the_precompile_too() {
    dev_ext().execute_with(|| {
        run_block(1, T0);
        let supply = ILending::supplyCall {
            market: ETH_USD_MARKET,
            assets: u(usd(100)),
        }
        .abi_encode();
        let name = (
            b"Lending".to_vec().try_into().unwrap(),
            b"supply".to_vec().try_into().unwrap(),
        );
        assert_ok!(pallet_tx_pause::Pallet::<Runtime>::pause(
            RuntimeOrigin::root(),
            name
        ));
        // The precompile dispatches through the runtime's call filter.
        assert_reverts(&account(Bob), LENDING, supply, "System.CallFiltered");
        assert_eq!(position(&account(Bob)).supply_shares, 0);
    });
}

#[test]
fn batch_liquidations_through_the_precompiles() {
    dev_ext().execute_with(|| {
        let (borrower, _) = pool_scene();
        let keeper = account(Eve);
        // An avatar position, opened while ETH is at 2500.
        let user = account(Ferdie);
        for data in [
            IAvatar::supplyCollateralCall {
                market: ETH_USD_MARKET,
                amount: u(eth(1)),
            }
            .abi_encode(),
            IAvatar::borrowCall {
                market: ETH_USD_MARKET,
                assets: u(usd(1_000)),
            }
            .abi_encode(),
        ] {
            call(&user, AVATAR, data).ok();
        }

        // More positions than `MaxLiquidationBatch` revert before anything is read.
        assert_reverts(
            &keeper,
            BACKSTOP,
            IBackstop::liquidateManyCall {
                market: ETH_USD_MARKET,
                borrowers: vec![addr(&borrower); 65],
            }
            .abi_encode(),
            "Precompile.BatchTooLarge",
        );
        // The pool liquidates the unhealthy position in full and skips the healthy one (Bob
        // has no debt) and the avatar's (only the avatar pallet may liquidate it).
        let outcome = call(
            &keeper,
            BACKSTOP,
            IBackstop::liquidateManyCall {
                market: ETH_USD_MARKET,
                borrowers: vec![
                    addr(&borrower),
                    addr(&account(Bob)),
                    addr(&Avatar::avatar_account(user.clone())),
                ],
            }
            .abi_encode(),
        );
        println!(
            "| IBackstop.liquidateMany (1 liquidated, 2 skipped) | {} | {} | {} |",
            outcome.gas,
            outcome.weight.ref_time(),
            outcome.weight.proof_size()
        );
        // Charged for three liquidations, refunded for the two skipped: the call used less
        // than the extrinsic's pre-dispatch weight (EVM overhead included).
        let charged = pallet_backstop::Call::<Runtime>::liquidate_many {
            market: ETH_USD_MARKET,
            borrowers: vec![borrower.clone(); 3].try_into().unwrap(),
        }
        .get_dispatch_info()
        .call_weight;
        assert!(
            outcome.weight.ref_time() < charged.ref_time(),
            "{} < {}",
            outcome.weight.ref_time(),
            charged.ref_time()
        );
        outcome.ok();
        assert_eq!(position(&borrower).borrow_assets, 0);
        assert!(position(&borrower).collateral > 0);
        assert!(Assets::balance(ETH, Backstop::account_id()) > 0);
        let avatar_debt = Avatar::debt_backstop(ETH_USD_MARKET, &user).unwrap();
        assert!(avatar_debt >= usd(1_000));

        // ETH at 1200: the avatar position is liquidatable; the pool takes all of it.
        run_block(3, T0 + 12_000);
        feed_eth(1_200);
        call(
            &keeper,
            AVATAR,
            IAvatar::syncCall {
                market: ETH_USD_MARKET,
                user: addr(&user),
            }
            .abi_encode(),
        )
        .ok();
        assert_reverts(
            &keeper,
            AVATAR,
            IAvatar::poolLiquidateManyCall {
                market: ETH_USD_MARKET,
                users: vec![addr(&user); 65],
            }
            .abi_encode(),
            "Precompile.BatchTooLarge",
        );
        call(
            &keeper,
            AVATAR,
            IAvatar::poolLiquidateManyCall {
                market: ETH_USD_MARKET,
                users: vec![addr(&user), addr(&account(Bob))],
            }
            .abi_encode(),
        )
        .ok();
        assert_eq!(Avatar::debt_backstop(ETH_USD_MARKET, &user).unwrap(), 0);
    });
}

#[test]
fn a_keeper_liquidates_and_buys_the_collateral_back_with_a_minimum() {
    dev_ext().execute_with(|| {
        let (borrower, _) = pool_scene();
        let owner = account(Alice);
        let (keeper, keeper_account) = deploy(KEEPER_BYTECODE, &owner);
        assert_ok!(Assets::transfer(
            RuntimeOrigin::signed(owner.clone()),
            USD.into(),
            keeper_account.clone().into(),
            usd(5_000)
        ));
        let round_trip = |min_out: u128| {
            IKeeper::liquidateAndBuyCall {
                market: ETH_USD_MARKET,
                borrower: addr(&borrower),
                seized: u(eth(4)),
                collateral: ETH,
                stableIn: u(usd(3_000)),
                minOut: u(min_out),
            }
            .abi_encode()
        };

        // A minimum above what comes in undoes the liquidation and the purchase.
        assert_reverts(
            &owner,
            keeper,
            round_trip(eth(100)),
            "BackstopKeeper: below minimum",
        );
        assert_eq!(position(&borrower).collateral, eth(10));
        // Only the owner may use it.
        assert_reverts(
            &account(Eve),
            keeper,
            round_trip(0),
            "BackstopKeeper: not the owner",
        );

        // 3 000 USD buy at least their oracle worth at 2500 USD/ETH (1.2 ETH): the pool,
        // heavy in ETH after the liquidation, sells below the oracle price.
        let received = decode_u256(&call(&owner, keeper, round_trip(eth(12) / 10)).ok());
        assert!(received >= eth(12) / 10, "{received}");
        assert_eq!(Assets::balance(ETH, &keeper_account), received);
        assert_eq!(Assets::balance(USD, &keeper_account), usd(2_000));
        assert_eq!(position(&borrower).collateral, eth(6));
    });
}

#[test]
fn a_contract_wins_a_seat_tops_up_and_liquidates_as_a_member() {
    dev_ext().execute_with(|| {
        run_blocks(1, 2, 3_000, 50);
        let (user, depositor) = (account(Dave), account(Ferdie));
        assert_ok!(Lending::supply(
            RuntimeOrigin::signed(account(Eve)),
            ETH_USD_MARKET,
            usd(100_000)
        ));
        assert_ok!(Backstop::deposit(
            RuntimeOrigin::signed(depositor),
            usd(50_000)
        ));
        // The contract bids 30 USD for a seat and commits 3 000 USD: the only bidder, it wins.
        let (member, member_account) = funded_forwarder(usd(5_000), 0);
        call(
            &account(Bob),
            member,
            exec(
                BACKSTOP,
                IBackstop::bidCall {
                    amount: u(usd(30)),
                    commitment: u(usd(3_000)),
                }
                .abi_encode(),
            ),
        )
        .ok();
        let epoch = backstop_runtime::genesis_config_presets::dev_franchise_params().epoch_length;
        run_blocks(3, epoch + 1, 3_000, 50);
        let seats = Backstop::current_franchise().seats;
        assert_eq!(seats.len(), 1);
        assert_eq!(seats[0].member, member_account);

        // ETH at 3 000: the user opens 1 ETH / 1 000 USD; at 1 400 it is in the top-up band.
        for data in [
            IAvatar::supplyCollateralCall {
                market: ETH_USD_MARKET,
                amount: u(eth(1)),
            }
            .abi_encode(),
            IAvatar::borrowCall {
                market: ETH_USD_MARKET,
                assets: u(usd(1_000)),
            }
            .abi_encode(),
        ] {
            call(&user, AVATAR, data).ok();
        }
        feed_eth(1_400);
        let assigned = call(
            &user,
            AVATAR,
            IAvatar::assignedCall {
                market: ETH_USD_MARKET,
                user: addr(&user),
            }
            .abi_encode(),
        )
        .ok();
        let assigned = IAvatar::assignedCall::abi_decode_returns(&assigned).unwrap();
        assert!(!assigned.pool);
        assert_eq!(assigned.member, Address::from(member.0));

        // The member contract tops the position up with 100 USD of its commitment.
        call(
            &account(Bob),
            member,
            exec(
                AVATAR,
                IAvatar::topUpCall {
                    market: ETH_USD_MARKET,
                    user: addr(&user),
                    amount: u(usd(100)),
                }
                .abi_encode(),
            ),
        )
        .ok();
        let avatar = Avatar::avatar_account(user.clone());
        assert_eq!(position(&avatar).borrow_assets, usd(900));
        assert_eq!(
            Avatar::debt_backstop(ETH_USD_MARKET, &user).unwrap(),
            usd(1_000)
        );
        assert_eq!(Backstop::current_franchise().seats[0].available, usd(2_900));

        // ETH at 1 150: the position is unsafe counting the cushion; the member contract
        // liquidates 500 USD of it and receives the collateral.
        let now = System::block_number();
        run_blocks(now + 1, now + 1, 1_150, 50);
        feed_eth(1_150);
        let debt_before = Avatar::debt_backstop(ETH_USD_MARKET, &user).unwrap();
        call(
            &account(Bob),
            member,
            exec(
                AVATAR,
                IAvatar::liquidateCall {
                    market: ETH_USD_MARKET,
                    user: addr(&user),
                    amount: u(usd(500)),
                }
                .abi_encode(),
            ),
        )
        .ok();
        assert!(Assets::balance(ETH, &member_account) > 0);
        let debt_after = Avatar::debt_backstop(ETH_USD_MARKET, &user).unwrap();
        // 500 USD of it, up to a few units of share rounding.
        let reduction = debt_before - debt_after;
        assert!(
            reduction <= usd(500) && reduction + 1_000 >= usd(500),
            "{reduction}"
        );
    });
}

#[test]
fn an_evm_user_earns_score_through_its_avatar_and_claims_the_jar() {
    dev_ext().execute_with(|| {
        let epoch = backstop_runtime::genesis_config_presets::dev_franchise_params().epoch_length;
        run_blocks(1, 2, 3_000, 100);
        // An Ethereum EOA borrows through its avatar: its avatar's position earns score.
        let user = alith();
        assert_ok!(Lending::supply(
            RuntimeOrigin::signed(account(Eve)),
            ETH_USD_MARKET,
            usd(100_000)
        ));
        for data in [
            IAvatar::supplyCollateralCall {
                market: ETH_USD_MARKET,
                amount: u(eth(1)),
            }
            .abi_encode(),
            IAvatar::borrowCall {
                market: ETH_USD_MARKET,
                assets: u(usd(1_000)),
            }
            .abi_encode(),
        ] {
            call(&user, AVATAR, data).ok();
        }
        // Two bidders win seats and pay 20 USD each into the jar, which streams it over the
        // next epoch to the users by score.
        for (bidder, amount) in [(account(Bob), usd(30)), (account(Charlie), usd(20))] {
            call(
                &bidder,
                BACKSTOP,
                IBackstop::bidCall {
                    amount: u(amount),
                    commitment: u(usd(2_000)),
                }
                .abi_encode(),
            )
            .ok();
        }
        run_blocks(3, 3 * epoch + 2, 3_000, 100);

        let view = |data: Vec<u8>| decode_u256(&call(&user, BACKSTOP, data).ok());
        let score = view(IBackstop::scoreOfCall { who: addr(&user) }.abi_encode());
        assert!(score > 0);
        assert_eq!(score, Backstop::score_of(&user));
        let claimable = view(IBackstop::claimableCall { who: addr(&user) }.abi_encode());
        assert_eq!(claimable, Backstop::claimable(&user));
        assert!(claimable > usd(40) - 1_000_000 && claimable <= usd(40));

        // The claim pays (all but the vault's minimum balance) and returns what it paid.
        let before = Assets::balance(USD, &user);
        let paid = decode_u256(&call(&user, BACKSTOP, IBackstop::claimCall {}.abi_encode()).ok());
        assert_eq!(Assets::balance(USD, &user) - before, paid);
        assert!(paid > claimable - 1_000_000 && paid <= claimable, "{paid}");
        assert_eq!(Backstop::claimable(&user), claimable - paid);
    });
}
