// End to end, as a Solidity developer sees the dev chain: ethers over the Ethereum JSON-RPC
// proxy (eth-rpc) with the Ethereum dev keys the dev genesis funds. Alith deploys the example
// vault and keeper, deposits USD through the vault (approve on USD's ERC-20 precompile),
// Baltathar lends and Charleth borrows through the ILending precompile, the oracle feeders'
// Alice feeds an ETH crash (a Substrate extrinsic: the oracle has no precompile), the keeper
// has the pool liquidate Charleth and buys collateral back, and the vault's shares are worth
// the liquidation's gain. `scripts/e2e` starts the node and eth-rpc and sets the URLs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ethers } from "ethers";
import { ApiPromise, Keyring, WsProvider } from "@polkadot/api";

const ETH_RPC_URL = process.env.ETH_RPC_URL ?? "http://127.0.0.1:8545";
const NODE_WS = process.env.NODE_WS ?? "ws://127.0.0.1:9944";
const CHAIN_ID = 420420420n;

const build = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "contracts", "build");
const abi = (name) => JSON.parse(fs.readFileSync(path.join(build, `${name}.abi.json`), "utf8"));
const bytecode = (name) => "0x" + fs.readFileSync(path.join(build, `${name}.bin`), "utf8").trim();

// contracts/src/interfaces/BackstopAddresses.sol
const LENDING = "0x000000000000000000000000000000000B010000";
const BACKSTOP = "0x000000000000000000000000000000000B020000";
const AVATAR = "0x000000000000000000000000000000000B030000";
const USD_ERC20 = "0x0000000100000000000000000000000001200000";
const ETH_ERC20 = "0x0000000200000000000000000000000001200000";
const ETH_ASSET = 2;
const MARKET = 0; // lends USD against ETH, lltv 77 %

// The Ethereum dev keys (the same as eth-rpc's `--dev` accounts), funded by the dev genesis.
const KEYS = {
  alith: ["0x5fb92d6e98884f76de468fa3f6278f8807c48bebc13595d45af5bdc4da702133", "0xf24FF3a9CF04c71Dbc94D0b566f7A27B94566cac"],
  baltathar: ["0x8075991ce870b93a8870eca0c0f91913d12f47948ca0fd25b49c6fa7cdbeee8b", "0x3Cd0A705a2DC65e5b1E1205896BaA2be8A07c6e0"],
  charleth: ["0x0b6e18cafb6ed99687ec547bd28139cafdd2bffe70e6b688025de6b445aa5c5b", "0x798d4Ba9baf0064Ec19eB4F0a1a45785ae9D6DFc"],
  dorothy: ["0x39539ab1876910bbf3a223d84a29e28f1cb4e2e456503e7e91ed39b2e7223d68", "0x773539d4Ac0e786233D90A233654ccEE26a613D9"],
  ethan: ["0x7dce9bc8babb68fec1409be38c8e1a52650206a7ed90ff956ae8a6d15eeaaef4", "0xFf64d3F6efE2317EE2807d223a0Bdc4c0c49dfDB"],
};

const usd = (n) => ethers.parseUnits(String(n), 18);
const eth = (n) => ethers.parseUnits(String(n), 18);
const WAD = 10n ** 18n;

let provider;
let api;
const wallets = {};
const gas = {};

/// Sends a contract call, waits for its receipt, checks it succeeded, records its gas.
async function send(label, promise) {
  const tx = await promise;
  const receipt = await tx.wait();
  assert.equal(receipt.status, 1, `${label}: status`);
  gas[label] = receipt.gasUsed;
  return receipt;
}

/// The logs of `receipt` emitted by `address`, parsed with `iface`, named `name`.
function logsOf(receipt, address, iface, name) {
  return receipt.logs
    .filter((log) => log.address.toLowerCase() === address.toLowerCase())
    .map((log) => iface.parseLog(log))
    .filter((parsed) => parsed && parsed.name === name);
}

/// Alice (a feeder, and the dev chain's sudo key) submits `call`; resolves with the events of
/// the block that includes it, after checking it did not fail and that eth-rpc has seen that
/// block (so that `latest` in the next `eth_call` includes it).
async function submitAsAlice(call) {
  const alice = new Keyring({ type: "sr25519" }).addFromUri("//Alice");
  const { events, blockHash } = await new Promise((resolve, reject) => {
    let unsub = () => {};
    call
      .signAndSend(alice, ({ status, events, dispatchError }) => {
        if (dispatchError) {
          unsub();
          reject(new Error(`extrinsic failed: ${dispatchError.toString()}`));
        } else if (status.isInBlock || status.isFinalized) {
          unsub();
          resolve({ events, blockHash: status.isInBlock ? status.asInBlock : status.asFinalized });
        } else if (status.isInvalid || status.isDropped || status.isUsurped) {
          unsub();
          reject(new Error(`extrinsic ${status.type}`));
        }
      })
      .then((u) => (unsub = u), reject);
  });
  const number = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
  const deadline = Date.now() + 30_000;
  while ((await provider.getBlockNumber()) < number) {
    assert.ok(Date.now() < deadline, `eth-rpc did not reach block ${number}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return events;
}

before(async () => {
  provider = new ethers.JsonRpcProvider(ETH_RPC_URL, undefined, { pollingInterval: 200, cacheTimeout: -1 });
  for (const [name, [key]] of Object.entries(KEYS)) {
    wallets[name] = new ethers.Wallet(key, provider);
  }
  api = await ApiPromise.create({ provider: new WsProvider(NODE_WS), noInitWarn: true });
});

after(async () => {
  await api?.disconnect();
  provider?.destroy();
  const rows = Object.entries(gas).map(([label, used]) => `  ${label}: ${used} gas`);
  console.log(`gas used (receipts over eth-rpc):\n${rows.join("\n")}`);
});

test("an EVM vault backs the pool and earns a keeper's liquidation over eth-rpc", async (t) => {
  const alith = wallets.alith;
  const baltathar = wallets.baltathar;
  const charleth = wallets.charleth;
  const lendingIface = new ethers.Interface(abi("ILending"));
  const poolIface = new ethers.Interface(abi("IBackstop"));
  const erc20Iface = new ethers.Interface(abi("IERC20"));
  const vaultIface = new ethers.Interface(abi("BackstopVault"));
  const keeperIface = new ethers.Interface(abi("BackstopKeeper"));
  const lending = (w) => new ethers.Contract(LENDING, lendingIface, w);
  const pool = new ethers.Contract(BACKSTOP, poolIface, provider);
  const usdToken = (w) => new ethers.Contract(USD_ERC20, erc20Iface, w);
  const ethToken = new ethers.Contract(ETH_ERC20, erc20Iface, provider);
  let vault;
  let keeper;
  let vaultShares;
  let sharePriceAtDeposit;

  await t.test("the proxy serves the dev chain and the dev keys are funded", async () => {
    const network = await provider.getNetwork();
    assert.equal(network.chainId, CHAIN_ID);
    for (const [name, [, address]] of Object.entries(KEYS)) {
      assert.equal(await wallets[name].getAddress(), address, `${name}'s address`);
      assert.ok((await provider.getBalance(address)) > 0n, `${name} holds the native token`);
      assert.equal(await usdToken(provider).balanceOf(address), usd(10_000_000), `${name}'s USD`);
    }
    assert.equal(await usdToken(provider).symbol(), "USD");
    assert.equal(await usdToken(provider).decimals(), 18n);
  });

  await t.test("Alith deploys the vault and the keeper", async () => {
    vault = await new ethers.ContractFactory(vaultIface, bytecode("BackstopVault"), alith).deploy();
    const vaultReceipt = await vault.deploymentTransaction().wait();
    gas["deploy BackstopVault"] = vaultReceipt.gasUsed;
    keeper = await new ethers.ContractFactory(keeperIface, bytecode("BackstopKeeper"), alith).deploy();
    const keeperReceipt = await keeper.deploymentTransaction().wait();
    gas["deploy BackstopKeeper"] = keeperReceipt.gasUsed;
    assert.notEqual(await provider.getCode(await vault.getAddress()), "0x");
    assert.equal(await vault.asset(), USD_ERC20);
    assert.equal(await vault.symbol(), "bvUSD");
    assert.equal(await keeper.owner(), KEYS.alith[1]);
  });

  await t.test("Baltathar lends and Charleth borrows through ILending", async () => {
    await send("ILending.supply", lending(baltathar).supply(MARKET, usd(100_000)));
    await send("ILending.supplyCollateral", lending(charleth).supplyCollateral(MARKET, eth(10)));
    await send("ILending.borrow", lending(charleth).borrow(MARKET, usd(20_000)));
    const position = await lending(provider).position(MARKET, KEYS.charleth[1]);
    assert.equal(position.collateral, eth(10));
    assert.ok(position.borrowAssets >= usd(20_000));
    const health = await lending(provider).health(MARKET, KEYS.charleth[1]);
    assert.equal(health.liquidatable, false, "healthy at 3000 USD/ETH");
  });

  await t.test("Alith deposits 50 000 USD through the vault", async () => {
    const vaultAddress = await vault.getAddress();
    const approve = await send("IERC20.approve (USD)", usdToken(alith).approve(vaultAddress, usd(50_000)));
    const [approval] = logsOf(approve, USD_ERC20, erc20Iface, "Approval");
    assert.equal(approval.args.spender, vaultAddress);
    assert.equal(await usdToken(provider).allowance(KEYS.alith[1], vaultAddress), usd(50_000));

    // The pool is empty: the preview is the first deposit's shares less the locked ones.
    assert.equal(await pool.totalShares(), 0n);
    const preview = await vault.previewDeposit(usd(50_000));
    assert.equal(preview, usd(50_000) * 10n ** 6n - 10n ** 9n);
    const receipt = await send("BackstopVault.deposit", vault.connect(alith).deposit(usd(50_000), KEYS.alith[1]));
    // The precompile's log: the pool saw the vault deposit.
    const [deposited] = logsOf(receipt, BACKSTOP, poolIface, "Deposited");
    assert.ok(deposited, "IBackstop.Deposited log");
    assert.equal(deposited.args.who, vaultAddress);
    assert.equal(deposited.args.amount, usd(50_000));
    assert.equal(deposited.args.shares, preview, "the preview was exact");
    // The USD moved from Alith to the vault (the ERC-20 precompile's Transfer log) ...
    const [transfer] = logsOf(receipt, USD_ERC20, erc20Iface, "Transfer");
    assert.equal(transfer.args.from, KEYS.alith[1]);
    assert.equal(transfer.args.to, vaultAddress);
    // ... and the vault minted as many shares to Alith.
    const [deposit] = logsOf(receipt, vaultAddress, vaultIface, "Deposit");
    assert.equal(deposit.args.shares, deposited.args.shares);
    vaultShares = await vault.balanceOf(KEYS.alith[1]);
    assert.equal(vaultShares, deposited.args.shares);
    assert.equal(await vault.totalSupply(), vaultShares);
    assert.equal(await pool.sharesOf(vaultAddress), vaultShares);
    // The vault holds every share but the few the pool locks forever at its first deposit,
    // so its value is the 50 000 USD (less a rounding unit or so).
    const totalShares = await pool.totalShares();
    assert.ok(totalShares >= vaultShares && totalShares - vaultShares < vaultShares / 10n ** 9n);
    const assets = await vault.totalAssets();
    assert.ok(assets <= usd(50_000) && usd(50_000) - assets < 10n ** 6n, `${assets}`);
    sharePriceAtDeposit = await pool.sharePrice();
    assert.ok(sharePriceAtDeposit > 0n);
  });

  await t.test("Alice turns the pool's automatic sweep off and feeds an ETH crash", async () => {
    // With the sweep on, the feed's own block would liquidate Charleth in its idle time; with
    // it off (governance; sudo on the dev chain) the liquidation is the keeper's to make.
    const sudoEvents = await submitAsAlice(api.tx.sudo.sudo(api.tx.backstop.setSweepCap(0)));
    const sudid = sudoEvents.find(({ event }) => event.section === "sudo" && event.method === "Sudid");
    assert.ok(sudid, "sudo.Sudid");
    assert.ok(sudid.event.data[0].isOk, `setSweepCap(0): ${sudid.event.data[0].toString()}`);

    const feed = [
      [1, WAD.toString()],
      [ETH_ASSET, (2_500n * WAD).toString()],
    ];
    await submitAsAlice(api.tx.oracle.feedValues(feed));
    const health = await lending(provider).health(MARKET, KEYS.charleth[1]);
    assert.equal(health.liquidatable, true, "liquidatable at 2500 USD/ETH");
    assert.ok(health.debt > health.maxBorrow);
    // Nobody liquidated it yet, and the pool, holding only stable, is worth what it was.
    assert.equal((await lending(provider).position(MARKET, KEYS.charleth[1])).collateral, eth(10));
    assert.equal(await pool.sharePrice(), sharePriceAtDeposit);
  });

  await t.test("the keeper liquidates through the pool and buys ETH back, with a minimum", async () => {
    const keeperAddress = await keeper.getAddress();
    await send("IERC20.transfer (USD)", usdToken(alith).transfer(keeperAddress, usd(5_000)));
    const args = (minOut) => [MARKET, KEYS.charleth[1], eth(4), ETH_ASSET, usd(3_000), minOut];

    // A minimum above what would come in reverts the whole round trip.
    await assert.rejects(keeper.connect(alith).liquidateAndBuy.staticCall(...args(eth(100))), (err) => {
      assert.equal(err.reason, "BackstopKeeper: below minimum");
      return true;
    });
    // Only its owner may use it.
    await assert.rejects(keeper.connect(baltathar).liquidateAndBuy.staticCall(...args(0n)), (err) => {
      assert.equal(err.reason, "BackstopKeeper: not the owner");
      return true;
    });

    const valueBefore = await vault.totalAssets();
    const poolValueBefore = await pool.poolValue();
    const repayment = await lending(provider).liquidationRepayment(MARKET, eth(4));
    const receipt = await send(
      "BackstopKeeper.liquidateAndBuy",
      keeper.connect(alith).liquidateAndBuy(...args(eth(12) / 10n)),
    );

    // The pool's precompile logged the liquidation and the swap, the keeper its round trip.
    const [liquidated] = logsOf(receipt, BACKSTOP, poolIface, "Liquidated");
    assert.ok(liquidated, "IBackstop.Liquidated log");
    assert.equal(liquidated.args.caller, keeperAddress);
    assert.equal(liquidated.args.market, BigInt(MARKET));
    assert.equal(liquidated.args.borrower, KEYS.charleth[1]);
    assert.equal(liquidated.args.seizedCollateral, eth(4));
    const [swapped] = logsOf(receipt, BACKSTOP, poolIface, "Swapped");
    assert.ok(swapped, "IBackstop.Swapped log");
    assert.equal(swapped.args.who, keeperAddress);
    assert.equal(swapped.args.stableIn, usd(3_000));
    const [roundTrip] = logsOf(receipt, keeperAddress, keeperIface, "RoundTrip");
    assert.equal(roundTrip.args.received, swapped.args.out);
    // 3 000 USD bought at least their oracle worth (1.2 ETH): the pool, heavy in ETH after
    // the liquidation, sells below the oracle price.
    assert.ok(swapped.args.out >= eth(12) / 10n, `${swapped.args.out}`);
    assert.equal(await ethToken.balanceOf(keeperAddress), swapped.args.out);
    assert.equal(await usdToken(provider).balanceOf(keeperAddress), usd(2_000));
    assert.equal((await lending(provider).position(MARKET, KEYS.charleth[1])).collateral, eth(6));

    // The vault's shares are worth the gain: 4 ETH at 2500 for `repayment` of debt, less what
    // the pool gave up selling ETH below the oracle price (no caller fee, no swap fee on the
    // dev chain). The vault holds every pool share, so it is all of the pool's value.
    const price = 2_500n * WAD;
    const liquidationGain = (eth(4) * price) / WAD - repayment;
    const swapCost = (swapped.args.out * price) / WAD - usd(3_000);
    const expected = liquidationGain - swapCost;
    const valueAfter = await vault.totalAssets();
    const poolValueAfter = await pool.poolValue();
    assert.ok(liquidationGain > usd(500), `liquidation gain ${ethers.formatUnits(liquidationGain, 18)} USD`);
    assert.ok(valueAfter > valueBefore, `${valueAfter} > ${valueBefore}`);
    const gained = valueAfter - valueBefore;
    const tolerance = 10n ** 9n; // rounding of shares and values, a billionth of a USD
    assert.ok(
      gained >= expected - tolerance && gained <= expected + tolerance,
      `vault gained ${gained}, expected ${expected}`,
    );
    assert.ok(poolValueAfter - poolValueBefore >= expected - tolerance);
    // The share price rose by the same proportion.
    const sharePrice = await pool.sharePrice();
    assert.ok(sharePrice > sharePriceAtDeposit, `share price ${sharePrice} > ${sharePriceAtDeposit}`);
    const rise = ((sharePrice - sharePriceAtDeposit) * 10n ** 9n) / sharePriceAtDeposit;
    const gainRatio = (gained * 10n ** 9n) / valueBefore;
    assert.ok(rise >= gainRatio - 1n && rise <= gainRatio + 1n, `share price +${rise} ppb, value +${gainRatio} ppb`);
    assert.equal(await vault.convertToAssets(vaultShares), (vaultShares * sharePrice) / WAD);
    console.log(
      `vault: ${ethers.formatUnits(valueBefore, 18)} -> ${ethers.formatUnits(valueAfter, 18)} USD; ` +
        `share price x${(Number(sharePrice) / Number(sharePriceAtDeposit)).toFixed(6)}`,
    );
  });

  await t.test("Alith redeems: USD and ETH in kind, worth more than she put in", async () => {
    const vaultAddress = await vault.getAddress();
    const usdBefore = await usdToken(provider).balanceOf(KEYS.alith[1]);
    const ethBefore = await ethToken.balanceOf(KEYS.alith[1]);
    const receipt = await send(
      "BackstopVault.redeem",
      vault.connect(alith).redeem(vaultShares, KEYS.alith[1], KEYS.alith[1]),
    );
    const [withdrawn] = logsOf(receipt, BACKSTOP, poolIface, "Withdrawn");
    assert.equal(withdrawn.args.who, vaultAddress);
    assert.equal(withdrawn.args.shares, vaultShares);
    const [paid] = logsOf(receipt, vaultAddress, vaultIface, "CollateralPaid");
    const usdIn = (await usdToken(provider).balanceOf(KEYS.alith[1])) - usdBefore;
    const ethIn = (await ethToken.balanceOf(KEYS.alith[1])) - ethBefore;
    assert.equal(paid.args.eth, ethIn);
    assert.ok(ethIn > 0n);
    assert.ok(usdIn + (ethIn * 2_500n) > usd(50_000), "worth more than the deposit at 2500 USD/ETH");
    assert.equal(await vault.totalSupply(), 0n);
    assert.equal(await pool.sharesOf(vaultAddress), 0n);
  });
});

test("avatars and the franchise over eth-rpc", async (t) => {
  const dorothy = wallets.dorothy;
  const ethan = wallets.ethan;
  const avatarIface = new ethers.Interface(abi("IAvatar"));
  const lendingIface = new ethers.Interface(abi("ILending"));
  const poolIface = new ethers.Interface(abi("IBackstop"));
  const erc20Iface = new ethers.Interface(abi("IERC20"));
  const avatar = (w) => new ethers.Contract(AVATAR, avatarIface, w);
  const lending = new ethers.Contract(LENDING, lendingIface, provider);
  const usdToken = new ethers.Contract(USD_ERC20, erc20Iface, provider);

  await t.test("Dorothy borrows through her avatar: the market sees the avatar's account", async () => {
    // Prices must be fresh: Alice feeds ETH at 2 500 again.
    await submitAsAlice(
      api.tx.oracle.feedValues([
        [1, WAD.toString()],
        [ETH_ASSET, (2_500n * WAD).toString()],
      ]),
    );
    await send("IAvatar.supplyCollateral", avatar(dorothy).supplyCollateral(MARKET, eth(1)));
    await send("IAvatar.borrow", avatar(dorothy).borrow(MARKET, usd(500)));
    const account = await avatar(provider).avatarOf(KEYS.dorothy[1]);
    assert.notEqual(account, ethers.ZeroAddress);
    const position = await lending.position(MARKET, account);
    assert.equal(position.collateral, eth(1));
    assert.ok(position.borrowAssets >= usd(500));
    const debt = await avatar(provider).debtBackstopOf(MARKET, KEYS.dorothy[1]);
    assert.ok(debt >= usd(500) && debt - usd(500) < usd(1), `${debt}`);
    // Nothing is owed by Dorothy's own address in the market: the avatar holds the position.
    assert.equal((await lending.position(MARKET, KEYS.dorothy[1])).borrowAssets, 0n);
    // She repays all of it and leaves: her ETH comes back.
    await send("IAvatar.repayAll", avatar(dorothy).repayAll(MARKET));
    assert.equal(await avatar(provider).debtBackstopOf(MARKET, KEYS.dorothy[1]), 0n);
  });

  await t.test("Ethan bids for a franchise seat: bid and commitment are held by the pool", async () => {
    const before = await usdToken.balanceOf(KEYS.ethan[1]);
    await send("IBackstop.bid", new ethers.Contract(BACKSTOP, poolIface, ethan).bid(usd(10), usd(1_000)));
    assert.equal(before - (await usdToken.balanceOf(KEYS.ethan[1])), usd(1_010));
    // A bid below the minimum reverts with the pallet's error, nothing taken.
    await assert.rejects(
      new ethers.Contract(BACKSTOP, poolIface, ethan).bid.staticCall(usd(20), 1n),
      (err) => err.data !== undefined || /revert/i.test(String(err.message)),
    );
    assert.equal(before - (await usdToken.balanceOf(KEYS.ethan[1])), usd(1_010));
  });
});
