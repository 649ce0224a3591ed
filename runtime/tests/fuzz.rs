//! Runtime-level random-operation harness (issue 16, item 1).
//!
//! Seeded, reproducible random sequences of every user extrinsic of pallet-lending,
//! pallet-backstop (pool and franchise), pallet-avatar and the DEX (pallet-asset-conversion),
//! by random dev accounts, with random price moves (crashes, recoveries, oracle silence past
//! the 1 h staleness) and block/time jumps across epochs and priority windows, on the real
//! runtime with the `development` preset. Every call is dispatched as a `RuntimeCall` with a
//! signed origin (FRAME dispatch is transactional: a failing call changes nothing). Errors are
//! expected; panics and invariant violations are failures. See [`invariants`] for what is
//! checked after every block and around every liquidation.
//!
//! On failure the harness prints the seed and the sequence, shrinks it (delta debugging:
//! drop chunks, re-run, keep while it still fails with the same kind of failure) and prints
//! the shortest failing sequence, replayable with `FUZZ_REPLAY`-free code: paste it into
//! [`replay`]'s caller or rerun the seed.
//!
//! - `fuzz_short_campaign` (CI): a few seeds, a few thousand operations.
//! - `fuzz_long_campaign` (`#[ignore]`, `scripts/fuzz N`): `FUZZ_OPS` operations in total,
//!   `FUZZ_SEED` the first seed (default: time-based, printed), `FUZZ_SEQ` operations per
//!   sequence (default 2 000: each sequence starts from genesis).
//!
//! Balances sum to the supply (strict again): the three leaks it found (a pallet account
//! reaped with dust: swap, jar claim, last pool withdrawal) are fixed in pallet-backstop.
//! Campaigns (FUZZ_SEQ=2000): FUZZ_SEED=1, seeds 1..=329, 658 000 operations, no violation;
//! seed 330 then failed `the pool can liquidate what it may` on a dust avatar position (one
//! BTC unit): whole collateral units are worth less than the rounding, so the pool refuses to
//! liquidate at a loss (`LiquidationAtALoss`/`DustAmount`) — by design; positions with debt
//! below 0.01 USD are exempt from that check (anyone may still `open_liquidate` them).
//! Then `scripts/fuzz 1000000` with FUZZ_SEED=330: seeds 330..830, 1 000 000 operations,
//! 690 977 blocks, 0 violations, 442 s (2 261 ops/s, debug build). Still report-only: the
//! harness's own jar-vault formula (it counts the stream and `claimable` twice between
//! updates; pallet-backstop's `try_state` counts the jar released up to now).

mod common;

use backstop_primitives::{Assignee, LendingMarket, PriceOracle, Side};
use backstop_runtime::{
    configs::prices::OraclePrices,
    genesis_config_presets::{dev_accounts, whole, BTC, ETH, USD},
    AccountId, AllPalletsWithSystem, Assets, Avatar, Backstop, Lending, Runtime, RuntimeCall,
    RuntimeOrigin, System, Timestamp,
};
use common::{dev_ext, T0};
use frame_support::{
    storage::{with_transaction, TransactionOutcome},
    traits::{
        fungible::NativeOrWithId,
        fungibles::{Inspect, Mutate},
        tokens::Preservation,
        OnFinalize, OnIdle, OnInitialize,
    },
};
use sp_runtime::Saturating;
use sp_runtime::{traits::Dispatchable, BoundedVec, DispatchError, FixedPointNumber, FixedU128};
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The spare weight the idle hooks get each block: a third of a block (the rest is taken by
/// the harness's extrinsics).
const SPARE_WEIGHT: frame_support::weights::Weight =
    frame_support::weights::Weight::from_parts(666_000_000_000, 1_700_000);
const BLOCK_MS: u64 = 6_000;
/// Accounts the harness acts with (the first ones of the preset's funded dev accounts).
const ACTORS: usize = 12;
/// Markets 0 (ETH/USD) and 1 (BTC/USD), and 7, an unknown market.
const MARKETS: [u32; 3] = [0, 1, 7];

// ------------------------------------------------------------------------------------------
// Randomness.

/// SplitMix64: small, fast, good enough to drive a fuzzer; reproducible from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

// ------------------------------------------------------------------------------------------
// Operations.

/// An amount, resolved against the state when the operation runs (so a sequence stays
/// meaningful when the shrinker removes operations before it).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Amt {
    Zero,
    One,
    Max,
    Pow127,
    /// A few smallest units.
    Raw(u32),
    /// Per mille of the operation's reference amount (a balance, a debt, ...); up to 1 100.
    Pm(u16),
}

impl Amt {
    fn gen(rng: &mut Rng) -> Self {
        match rng.below(100) {
            0..=1 => Amt::Zero,
            2 => Amt::One,
            3 => Amt::Max,
            4 => Amt::Pow127,
            5..=7 => Amt::Raw(rng.range(1, 1_000_000) as u32),
            8..=37 => Amt::Pm(1_000),
            _ => Amt::Pm(rng.range(1, 1_100) as u16),
        }
    }
    fn of(self, reference: u128) -> u128 {
        match self {
            Amt::Zero => 0,
            Amt::One => 1,
            Amt::Max => u128::MAX,
            Amt::Pow127 => 1 << 127,
            Amt::Raw(n) => n.into(),
            Amt::Pm(p) => backstop_primitives::mul_div(
                reference,
                p.into(),
                1_000,
                sp_arithmetic::Rounding::Down,
            )
            .unwrap_or(u128::MAX),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    // pallet-lending, directly.
    LSupply,
    LWithdraw,
    LSupplyCollateral,
    LWithdrawCollateral,
    LBorrow,
    LRepay,
    LLiquidate,
    // pallet-backstop: the pool and the franchise.
    PDeposit,
    PWithdraw,
    PSwap,
    PLiquidate,
    PBid,
    PClaim,
    PWithdrawRefund,
    PLiquidateMany,
    PKeeperSweep,
    // pallet-avatar.
    ASupply,
    ASupplyCollateral,
    ABorrow,
    ARepay,
    AWithdraw,
    AWithdrawCollateral,
    ALeave,
    ATopUp,
    ALiquidate,
    APoolLiquidate,
    AOpenLiquidate,
    ASync,
    ARepayAll,
    // The DEX; an attacker's donation of tokens to a pallet or avatar account.
    DexSwap,
    Donate,
}

const KINDS: [(Kind, u64); 31] = [
    (Kind::LSupply, 4),
    (Kind::LWithdraw, 3),
    (Kind::LSupplyCollateral, 4),
    (Kind::LWithdrawCollateral, 2),
    (Kind::LBorrow, 5),
    (Kind::LRepay, 3),
    (Kind::LLiquidate, 3),
    (Kind::PDeposit, 5),
    (Kind::PWithdraw, 2),
    (Kind::PSwap, 4),
    (Kind::PLiquidate, 4),
    (Kind::PBid, 3),
    (Kind::PClaim, 2),
    (Kind::PWithdrawRefund, 1),
    (Kind::PLiquidateMany, 2),
    (Kind::PKeeperSweep, 2),
    (Kind::ASupply, 3),
    (Kind::ASupplyCollateral, 6),
    (Kind::ABorrow, 7),
    (Kind::ARepay, 3),
    (Kind::AWithdraw, 2),
    (Kind::AWithdrawCollateral, 3),
    (Kind::ALeave, 1),
    (Kind::ATopUp, 5),
    (Kind::ALiquidate, 5),
    (Kind::APoolLiquidate, 5),
    (Kind::AOpenLiquidate, 3),
    (Kind::ASync, 3),
    (Kind::ARepayAll, 2),
    (Kind::DexSwap, 3),
    (Kind::Donate, 1),
];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    /// `who` calls `kind`; `target` is the other user an operation may aim at (the
    /// attacker's victim, the borrower being liquidated, ...), `sel` picks a market, an asset
    /// or a direction, `a`/`b` are amounts.
    Call {
        kind: Kind,
        who: u8,
        target: u8,
        sel: u8,
        a: Amt,
        b: Amt,
    },
    /// A feeder moves the price of ETH (`asset` 0), BTC (1) or both (2) to `permille` of its
    /// current value and feeds the other at its current value (keeping it fresh).
    Price { asset: u8, permille: u16 },
    /// Close the block and run `blocks` more (hooks included); the first new block comes
    /// `gap_ms` after the last one (`gap_ms` > 1 h: the oracle goes stale).
    Advance { blocks: u8, gap_ms: u64 },
    /// A keeper syncs every avatar position and has the pool liquidate whatever it may.
    Sweep,
}

fn gen_op(rng: &mut Rng) -> Op {
    match rng.below(100) {
        0..=6 => {
            let permille = match rng.below(10) {
                0 => rng.range(200, 600),     // crash
                1..=2 => rng.range(800, 970), // dip
                3..=5 => rng.range(980, 1_020),
                6..=7 => rng.range(1_030, 1_300), // rally
                8 => rng.range(1_300, 3_000),     // recovery after a crash
                _ => 1_000,                       // re-feed (fresh)
            } as u16;
            Op::Price {
                asset: rng.below(3) as u8,
                permille,
            }
        }
        7..=14 => {
            let blocks = match rng.below(10) {
                0..=6 => 1,
                7..=8 => rng.range(2, 12),
                _ => rng.range(13, 120),
            } as u8;
            let gap_ms = if rng.chance(6) {
                rng.range(3_600_001, 7_200_000)
            } else {
                BLOCK_MS
            };
            Op::Advance { blocks, gap_ms }
        }
        15..=16 => Op::Sweep,
        _ => {
            let total: u64 = KINDS.iter().map(|(_, w)| w).sum();
            let mut pick = rng.below(total);
            let mut kind = KINDS[0].0;
            for (k, w) in KINDS {
                if pick < w {
                    kind = k;
                    break;
                }
                pick -= w;
            }
            Op::Call {
                kind,
                who: rng.below(ACTORS as u64) as u8,
                target: rng.below(ACTORS as u64) as u8,
                sel: rng.below(256) as u8,
                a: Amt::gen(rng),
                b: Amt::gen(rng),
            }
        }
    }
}

fn gen_sequence(seed: u64, len: usize) -> Vec<Op> {
    let mut rng = Rng(seed);
    (0..len).map(|_| gen_op(&mut rng)).collect()
}

// ------------------------------------------------------------------------------------------
// Running a sequence.

/// Why a sequence failed; the shrinker keeps a candidate only if it fails the same way.
#[derive(Clone, Debug, PartialEq)]
struct Failure {
    /// Index of the operation after which the failure was seen.
    at: usize,
    /// Which check (or "panic").
    check: String,
    detail: String,
}

/// Counts of what the operations did, for the campaign's coverage report.
#[derive(Default)]
struct Stats {
    ok: BTreeMap<String, u64>,
    err: BTreeMap<String, BTreeMap<String, u64>>,
    blocks: u64,
    ops: u64,
    /// Report-only findings (checks of known defects being fixed), first occurrence each.
    reported: BTreeMap<String, (u64, String)>,
}

impl Stats {
    fn record(&mut self, kind: &str, result: &Result<(), DispatchError>) {
        match result {
            Ok(()) => *self.ok.entry(kind.into()).or_default() += 1,
            Err(e) => {
                *self
                    .err
                    .entry(kind.into())
                    .or_default()
                    .entry(error_name(e))
                    .or_default() += 1
            }
        }
    }
    fn merge(&mut self, other: Stats) {
        for (k, v) in other.ok {
            *self.ok.entry(k).or_default() += v;
        }
        for (k, m) in other.err {
            let e = self.err.entry(k).or_default();
            for (n, v) in m {
                *e.entry(n).or_default() += v;
            }
        }
        self.blocks += other.blocks;
        self.ops += other.ops;
        for (k, (n, d)) in other.reported {
            let e = self.reported.entry(k).or_insert((0, d));
            e.0 += n;
        }
    }
    fn print(&self) {
        println!("operation                ok      errors (most frequent first)");
        let mut kinds: Vec<&String> = self.ok.keys().chain(self.err.keys()).collect();
        kinds.sort();
        kinds.dedup();
        for k in kinds {
            let ok = self.ok.get(k).copied().unwrap_or(0);
            let mut errs: Vec<(&String, &u64)> = self
                .err
                .get(k)
                .map(|m| m.iter().collect())
                .unwrap_or_default();
            errs.sort_by(|a, b| b.1.cmp(a.1));
            let errs: Vec<String> = errs
                .iter()
                .take(4)
                .map(|(n, c)| format!("{n} {c}"))
                .collect();
            println!("{k:<22} {ok:>6}   {}", errs.join(", "));
        }
        for (check, (n, detail)) in &self.reported {
            println!("REPORT-ONLY {check}: {n} times; first: {detail}");
        }
    }
}

fn error_name(e: &DispatchError) -> String {
    match e {
        DispatchError::Module(m) => m.message.unwrap_or("module error").to_string(),
        other => format!("{other:?}"),
    }
}

fn actors() -> Vec<AccountId> {
    dev_accounts().into_iter().take(ACTORS).collect()
}

struct Runner {
    actors: Vec<AccountId>,
    /// Issuance of each asset at genesis: nothing in the runtime mints or burns them.
    genesis_supply: BTreeMap<u32, u128>,
    /// Per avatar position in a liquidation episode: the last block at which the pool could
    /// liquidate it (or the block the members' priority window ended).
    pool_ok: BTreeMap<(u32, AccountId), u32>,
    stats: Stats,
}

impl Runner {
    fn new() -> Self {
        let genesis_supply = [USD, ETH, BTC]
            .into_iter()
            .map(|a| (a, Assets::total_issuance(a)))
            .collect();
        Runner {
            actors: actors(),
            genesis_supply,
            pool_ok: BTreeMap::new(),
            stats: Stats::default(),
        }
    }

    fn now(&self) -> u32 {
        System::block_number()
    }

    fn dispatch(&mut self, who: &AccountId, call: RuntimeCall) -> Result<(), DispatchError> {
        call.dispatch(RuntimeOrigin::signed(who.clone()))
            .map(|_| ())
            .map_err(|e| e.error)
    }

    /// Closes the current block and opens `blocks` new ones, checking the per-block
    /// invariants after each and the full set after the last.
    fn advance(&mut self, blocks: u8, gap_ms: u64) -> Result<(), (String, String)> {
        for i in 0..blocks.max(1) {
            let n = self.now();
            let last_ms = pallet_timestamp::Now::<Runtime>::get();
            // The block's spare weight goes to the idle hooks, as block production would
            // give it: the backstop's same-block sweep and the lending index pruning.
            <AllPalletsWithSystem as OnIdle<u32>>::on_idle(n, SPARE_WEIGHT);
            <AllPalletsWithSystem as OnFinalize<u32>>::on_finalize(n);
            System::reset_events();
            let n = n + 1;
            System::set_block_number(n);
            <AllPalletsWithSystem as OnInitialize<u32>>::on_initialize(n);
            Timestamp::set_timestamp(last_ms + if i == 0 { gap_ms } else { BLOCK_MS });
            self.stats.blocks += 1;
            invariants::priority_bound(self)?;
        }
        invariants::all(self)
    }

    fn price_move(&mut self, asset: u8, permille: u16) {
        let mut values = Vec::new();
        for (i, id) in [ETH, BTC].into_iter().enumerate() {
            let current = pallet_oracle::Pallet::<Runtime>::get(&id)
                .map(|f| f.value)
                .unwrap_or(FixedU128::from_u32(1_000));
            let moved = if asset == 2 || usize::from(asset) == i {
                current
                    .saturating_mul(FixedU128::from_rational(permille.into(), 1_000))
                    .max(FixedU128::from_rational(1, 100))
            } else {
                current
            };
            values.push((id, moved));
        }
        // Each feeder may feed once per block: the first of the three that may, does.
        for feeder in 0..3 {
            let call = RuntimeCall::Oracle(pallet_oracle::Call::feed_values {
                values: BoundedVec::truncate_from(values.clone()),
            });
            let who = self.actors[feeder].clone();
            let r = self.dispatch(&who, call);
            self.stats.record("Price", &r);
            if r.is_ok() {
                break;
            }
        }
    }

    fn run_op(&mut self, op: &Op) -> Result<(), (String, String)> {
        self.stats.ops += 1;
        match *op {
            Op::Price { asset, permille } => {
                self.price_move(asset, permille);
                Ok(())
            }
            Op::Advance { blocks, gap_ms } => self.advance(blocks, gap_ms),
            Op::Sweep => self.sweep(),
            Op::Call {
                kind,
                who,
                target,
                sel,
                a,
                b,
            } => self.call(kind, who, target, sel, a, b),
        }
    }

    /// A keeper: sync every avatar position; the pool liquidates what it may; then every
    /// liquidatable plain lending position.
    fn sweep(&mut self) -> Result<(), (String, String)> {
        let keeper = self.actors[ACTORS - 1].clone();
        let users: Vec<AccountId> = pallet_avatar::AvatarOf::<Runtime>::iter_keys().collect();
        for user in users {
            for market in [0u32, 1] {
                let r = self.dispatch(
                    &keeper,
                    RuntimeCall::Avatar(pallet_avatar::Call::sync {
                        market,
                        user: user.clone(),
                    }),
                );
                self.stats.record("Sweep:sync", &r);
                if Avatar::pool_may_liquidate(market, user.clone()) {
                    let debt = Avatar::debt_backstop(market, &user).unwrap_or(0);
                    let call = RuntimeCall::Avatar(pallet_avatar::Call::pool_liquidate {
                        market,
                        user: user.clone(),
                        amount: debt,
                    });
                    self.liquidation("Sweep:pool_liquidate", &keeper, call)?;
                }
            }
        }
        for market in [0u32, 1] {
            let borrowers: Vec<AccountId> =
                pallet_lending::Positions::<Runtime>::iter_prefix(market)
                    .filter(|(who, p)| {
                        p.borrow_shares > 0 && !pallet_avatar::UserOf::<Runtime>::contains_key(who)
                    })
                    .map(|(who, _)| who)
                    .collect();
            for borrower in borrowers {
                if Lending::is_liquidatable(market, &borrower).unwrap_or(false) {
                    let collateral = Lending::position(market, &borrower)
                        .map(|p| p.collateral)
                        .unwrap_or(0);
                    let call = RuntimeCall::Backstop(pallet_backstop::Call::liquidate {
                        market,
                        borrower,
                        seized_collateral: collateral,
                    });
                    self.liquidation("Sweep:pool_liquidate_market", &keeper, call)?;
                }
            }
        }
        Ok(())
    }

    /// Dispatches a liquidation and checks the pool is no worse off at the oracle price (its
    /// value with the same prices, before and after; shares unchanged).
    fn liquidation(
        &mut self,
        label: &str,
        who: &AccountId,
        call: RuntimeCall,
    ) -> Result<(), (String, String)> {
        let before = Backstop::pool_value();
        let shares = pallet_backstop::TotalShares::<Runtime>::get();
        let r = self.dispatch(who, call.clone());
        self.stats.record(label, &r);
        if r.is_ok() {
            let after = Backstop::pool_value();
            if let (Ok(v0), Ok(v1)) = (before, after) {
                if v1 < v0 || pallet_backstop::TotalShares::<Runtime>::get() != shares {
                    return Err((
                        "liquidation left the pool worse off".into(),
                        format!(
                            "{label}: pool value {v0} -> {v1} (lost {})",
                            v0 - v1.min(v0)
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    fn member_or(&self, who: u8, market: u32, user: &AccountId) -> AccountId {
        let seats = Backstop::current_franchise().seats;
        match who % 3 {
            0 => match Backstop::assignment(market, &Avatar::avatar_account(user.clone())).assignee
            {
                Assignee::Member(m) => m,
                Assignee::Pool => self.actors[usize::from(who)].clone(),
            },
            1 if !seats.is_empty() => seats[usize::from(who) % seats.len()].member.clone(),
            _ => self.actors[usize::from(who)].clone(),
        }
    }

    fn call(
        &mut self,
        kind: Kind,
        who: u8,
        target: u8,
        sel: u8,
        a: Amt,
        b: Amt,
    ) -> Result<(), (String, String)> {
        let me = self.actors[usize::from(who)].clone();
        let other = self.actors[usize::from(target)].clone();
        // Mostly real markets, sometimes the unknown one.
        let market = if sel % 32 == 31 {
            MARKETS[2]
        } else {
            MARKETS[usize::from(sel % 2)]
        };
        let collateral_asset = if market == 1 { BTC } else { ETH };
        let bal = |asset: u32, who: &AccountId| Assets::balance(asset, who);
        let pos = |who: &AccountId| Lending::position(market, who).unwrap_or_default();
        let avatar = |u: &AccountId| Avatar::avatar_account(u.clone());
        let headroom = |who: &AccountId| {
            Lending::health(market, who)
                .map(|h| h.max_borrow.saturating_sub(h.borrow_assets))
                .unwrap_or(0)
        };
        let debt_backstop = |u: &AccountId| Avatar::debt_backstop(market, u).unwrap_or(0);
        use pallet_avatar::Call as A;
        use pallet_backstop::Call as P;
        use pallet_lending::Call as L;
        let (caller, call) = match kind {
            Kind::LSupply => (
                me.clone(),
                RuntimeCall::Lending(L::supply {
                    market,
                    assets: a.of(bal(USD, &me) / 100),
                }),
            ),
            Kind::LWithdraw => (
                me.clone(),
                RuntimeCall::Lending(L::withdraw {
                    market,
                    assets: a.of(pos(&me).supply_assets),
                }),
            ),
            Kind::LSupplyCollateral => (
                me.clone(),
                RuntimeCall::Lending(L::supply_collateral {
                    market,
                    amount: a.of(bal(collateral_asset, &me) / 100),
                }),
            ),
            Kind::LWithdrawCollateral => (
                me.clone(),
                RuntimeCall::Lending(L::withdraw_collateral {
                    market,
                    amount: a.of(pos(&me).collateral),
                }),
            ),
            Kind::LBorrow => (
                me.clone(),
                RuntimeCall::Lending(L::borrow {
                    market,
                    assets: a.of(headroom(&me)),
                }),
            ),
            Kind::LRepay => {
                // Repay one's own debt, another user's, or (attacker) an avatar's directly in
                // the market, which the avatar detects at its next sync.
                let on_behalf_of = match sel % 3 {
                    0 => me.clone(),
                    1 => other.clone(),
                    _ => avatar(&other),
                };
                let debt = pos(&on_behalf_of).borrow_assets;
                (
                    me.clone(),
                    RuntimeCall::Lending(L::repay {
                        market,
                        on_behalf_of,
                        assets: a.of(debt),
                    }),
                )
            }
            Kind::LLiquidate => {
                // A plain borrower, or (attacker) an avatar around the avatar pallet.
                let borrower = if sel.is_multiple_of(4) {
                    avatar(&other)
                } else {
                    other.clone()
                };
                let collateral = pos(&borrower).collateral;
                let call = RuntimeCall::Lending(L::liquidate {
                    market,
                    borrower,
                    seized_collateral: a.of(collateral),
                });
                return self.liquidation("LLiquidate", &me, call);
            }
            Kind::PDeposit => (
                me.clone(),
                RuntimeCall::Backstop(P::deposit {
                    amount: a.of(bal(USD, &me) / 50),
                }),
            ),
            Kind::PWithdraw => (
                me.clone(),
                RuntimeCall::Backstop(P::withdraw {
                    shares: a.of(Backstop::shares_of(&me)),
                }),
            ),
            Kind::PSwap => {
                let asset = if sel % 32 == 30 {
                    USD
                } else {
                    collateral_asset
                };
                let held = pallet_backstop::Collaterals::<Runtime>::get()
                    .get(&asset)
                    .copied()
                    .unwrap_or(0);
                let price = OraclePrices::price(asset, USD)
                    .map(|p| p.price)
                    .unwrap_or(FixedU128::from_u32(1));
                let value = price.saturating_mul_int(held).max(whole(18));
                let stable_in = a.of(value);
                let quoted = Backstop::quote_swap(asset, stable_in)
                    .map(|q| q.out)
                    .unwrap_or(0);
                let min_out = match b {
                    Amt::Zero | Amt::One => 0,
                    Amt::Max | Amt::Pow127 => quoted.saturating_add(1),
                    _ => quoted,
                };
                (
                    me.clone(),
                    RuntimeCall::Backstop(P::swap {
                        asset,
                        stable_in,
                        min_out,
                    }),
                )
            }
            Kind::PLiquidate => {
                let borrower = if sel.is_multiple_of(4) {
                    avatar(&other)
                } else {
                    other.clone()
                };
                let collateral = pos(&borrower).collateral;
                let call = RuntimeCall::Backstop(P::liquidate {
                    market,
                    borrower,
                    seized_collateral: a.of(collateral),
                });
                return self.liquidation("PLiquidate", &me, call);
            }
            Kind::PBid => (
                me.clone(),
                RuntimeCall::Backstop(P::bid {
                    amount: a.of(whole(18) * 50),
                    commitment: b.of(whole(18) * 5_000),
                }),
            ),
            Kind::PClaim => (me.clone(), RuntimeCall::Backstop(P::claim {})),
            Kind::PWithdrawRefund => (me.clone(), RuntimeCall::Backstop(P::withdraw_refund {})),
            // A batch naming the target, its avatar (always skipped) and the caller.
            Kind::PLiquidateMany => (
                me.clone(),
                RuntimeCall::Backstop(P::liquidate_many {
                    market,
                    borrowers: sp_runtime::BoundedVec::truncate_from(vec![
                        other.clone(),
                        avatar(&other),
                        me.clone(),
                    ]),
                }),
            ),
            // Anyone may have the pool sweep a market (the keeper worker's call, signed).
            Kind::PKeeperSweep => (
                me.clone(),
                RuntimeCall::Backstop(P::keeper_sweep { market }),
            ),
            Kind::ASupply => (
                me.clone(),
                RuntimeCall::Avatar(A::supply {
                    market,
                    assets: a.of(bal(USD, &me) / 100),
                }),
            ),
            Kind::ASupplyCollateral => (
                me.clone(),
                RuntimeCall::Avatar(A::supply_collateral {
                    market,
                    amount: a.of(bal(collateral_asset, &me) / 200),
                }),
            ),
            Kind::ABorrow => (
                me.clone(),
                RuntimeCall::Avatar(A::borrow {
                    market,
                    assets: a.of(headroom(&avatar(&me))),
                }),
            ),
            Kind::ARepay => (
                me.clone(),
                RuntimeCall::Avatar(A::repay {
                    market,
                    assets: a.of(debt_backstop(&me)),
                }),
            ),
            Kind::AWithdraw => (
                me.clone(),
                RuntimeCall::Avatar(A::withdraw {
                    market,
                    assets: a.of(pos(&avatar(&me)).supply_assets),
                }),
            ),
            Kind::AWithdrawCollateral => (
                me.clone(),
                RuntimeCall::Avatar(A::withdraw_collateral {
                    market,
                    amount: a.of(pos(&avatar(&me)).collateral),
                }),
            ),
            Kind::ALeave => (me.clone(), RuntimeCall::Avatar(A::leave {})),
            Kind::ATopUp => {
                let member = self.member_or(who, market, &other);
                let debt = debt_backstop(&other);
                let seats = Backstop::current_franchise().seats.len().max(1) as u128;
                (
                    member,
                    RuntimeCall::Avatar(A::top_up {
                        market,
                        user: other.clone(),
                        amount: a.of(debt / seats),
                    }),
                )
            }
            Kind::ALiquidate => {
                let member = self.member_or(who, market, &other);
                let call = RuntimeCall::Avatar(A::liquidate {
                    market,
                    user: other.clone(),
                    amount: a.of(debt_backstop(&other)),
                });
                return self.liquidation("ALiquidate", &member, call);
            }
            Kind::APoolLiquidate => {
                let call = RuntimeCall::Avatar(A::pool_liquidate {
                    market,
                    user: other.clone(),
                    amount: a.of(debt_backstop(&other)),
                });
                return self.liquidation("APoolLiquidate", &me, call);
            }
            Kind::AOpenLiquidate => {
                let call = RuntimeCall::Avatar(A::open_liquidate {
                    market,
                    user: other.clone(),
                    amount: a.of(debt_backstop(&other)),
                });
                return self.liquidation("AOpenLiquidate", &me, call);
            }
            Kind::ASync => (
                me.clone(),
                RuntimeCall::Avatar(A::sync {
                    market,
                    user: other.clone(),
                }),
            ),
            Kind::ARepayAll => (me.clone(), RuntimeCall::Avatar(A::repay_all { market })),
            Kind::DexSwap => {
                let usd_in = sel.is_multiple_of(2);
                let (from, to, reference) = if usd_in {
                    (USD, ETH, whole(18) * 100_000)
                } else {
                    (ETH, USD, whole(18) * 30)
                };
                let path = vec![
                    Box::new(NativeOrWithId::WithId(from)),
                    Box::new(NativeOrWithId::WithId(to)),
                ];
                let call = if sel % 4 < 2 {
                    pallet_asset_conversion::Call::swap_exact_tokens_for_tokens {
                        path,
                        amount_in: a.of(reference),
                        amount_out_min: b.of(1),
                        send_to: me.clone(),
                        keep_alive: false,
                    }
                } else {
                    pallet_asset_conversion::Call::swap_tokens_for_exact_tokens {
                        path,
                        amount_out: a.of(reference / 3_000),
                        amount_in_max: u128::MAX,
                        send_to: me.clone(),
                        keep_alive: false,
                    }
                };
                (me.clone(), RuntimeCall::AssetConversion(call))
            }
            Kind::Donate => {
                // The attacker sends tokens to the pool, the vault, the market or a victim's
                // avatar, to skew books that read balances.
                let to = match sel % 4 {
                    0 => Backstop::account_id(),
                    1 => Backstop::vault_account(),
                    2 => Lending::account_id(),
                    _ => avatar(&other),
                };
                let asset = [USD, ETH, BTC][usize::from(target) % 3];
                let amount = a.of(whole(12)).min(bal(asset, &me));
                let r = with_transaction(|| {
                    let r = <Assets as Mutate<AccountId>>::transfer(
                        asset,
                        &me,
                        &to,
                        amount,
                        Preservation::Expendable,
                    )
                    .map(|_| ());
                    if r.is_ok() {
                        TransactionOutcome::Commit(Ok(r))
                    } else {
                        TransactionOutcome::Rollback(Ok(r))
                    }
                })
                .unwrap_or_else(|e: DispatchError| Err(e));
                self.stats.record("Donate", &r);
                return Ok(());
            }
        };
        let r = self.dispatch(&caller, call);
        self.stats.record(&format!("{kind:?}"), &r);
        Ok(())
    }
}

/// Runs `ops` from genesis: `Ok(stats)` or the first failure (a panic included).
// The failure carries its sequence statistics for the report; a test helper, not hot code.
#[allow(clippy::result_large_err)]
fn run_sequence(ops: &[Op]) -> Result<Stats, (Failure, Stats)> {
    let current = std::cell::Cell::new(0usize);
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let mut ext = dev_ext();
        ext.execute_with(|| {
            System::set_block_number(1);
            <AllPalletsWithSystem as OnInitialize<u32>>::on_initialize(1);
            Timestamp::set_timestamp(T0);
            let mut runner = Runner::new();
            let mut result = Ok(());
            for (i, op) in ops.iter().enumerate() {
                current.set(i);
                if let Err((check, detail)) = runner.run_op(op) {
                    result = Err(Failure {
                        at: i,
                        check,
                        detail,
                    });
                    break;
                }
            }
            if result.is_ok() {
                if let Err((check, detail)) = runner.advance(1, BLOCK_MS) {
                    result = Err(Failure {
                        at: ops.len(),
                        check,
                        detail,
                    });
                }
            }
            (result, std::mem::take(&mut runner.stats))
        })
    }));
    match outcome {
        Ok((Ok(()), stats)) => Ok(stats),
        Ok((Err(f), stats)) => Err((f, stats)),
        Err(panic) => {
            let detail = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panic".into());
            Err((
                Failure {
                    at: current.get(),
                    check: "panic".into(),
                    detail,
                },
                Stats::default(),
            ))
        }
    }
}

/// Delta debugging: drop chunks of operations (halves, quarters, ... single ones) while the
/// sequence still fails the same check.
fn shrink(ops: &[Op], failure: &Failure) -> Vec<Op> {
    let fails_same = |candidate: &[Op]| -> bool {
        matches!(run_sequence(candidate), Err((f, _)) if f.check == failure.check)
    };
    let mut current: Vec<Op> = if failure.at < ops.len() {
        ops[..=failure.at].to_vec()
    } else {
        ops.to_vec()
    };
    let mut chunk = current.len().div_ceil(2).max(1);
    let mut runs = 0usize;
    loop {
        let mut removed_any = false;
        let mut start = 0;
        while start < current.len() && runs < 4_000 {
            let end = (start + chunk).min(current.len());
            let mut candidate = current[..start].to_vec();
            candidate.extend_from_slice(&current[end..]);
            runs += 1;
            if !candidate.is_empty() && fails_same(&candidate) {
                current = candidate;
                removed_any = true;
            } else {
                start = end;
            }
        }
        if chunk == 1 && !removed_any || runs >= 4_000 {
            break;
        }
        if !removed_any {
            chunk = (chunk / 2).max(1);
        }
    }
    current
}

/// Runs one seed's sequence; on failure prints the seed, the sequence, the shrunk sequence
/// and panics.
fn check_seed(seed: u64, len: usize, total: &mut Stats) {
    let ops = gen_sequence(seed, len);
    match run_sequence(&ops) {
        Ok(stats) => total.merge(stats),
        Err((failure, stats)) => {
            total.merge(stats);
            println!("FUZZ FAILURE seed={seed} len={len}: {failure:?}");
            let upto = failure.at.min(ops.len().saturating_sub(1));
            println!("sequence up to the failure ({} ops):", upto + 1);
            for (i, op) in ops.iter().enumerate().take(upto + 1) {
                println!("  {i:>5}: {op:?}");
            }
            let hook = std::panic::take_hook();
            std::panic::set_hook(Box::new(|_| {}));
            let shrunk = shrink(&ops, &failure);
            std::panic::set_hook(hook);
            let again = run_sequence(&shrunk).err().map(|(f, _)| f);
            println!(
                "shortest failing sequence ({} ops): {again:?}",
                shrunk.len()
            );
            println!("vec![");
            for op in &shrunk {
                println!("    {op:?},");
            }
            println!("]");
            panic!(
                "fuzz: seed {seed} fails `{}`: {} (shrunk to {} ops, printed above)",
                failure.check,
                failure.detail,
                shrunk.len()
            );
        }
    }
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

fn campaign(first_seed: u64, total_ops: u64, seq_len: usize) {
    let start = std::time::Instant::now();
    let mut stats = Stats::default();
    let mut seed = first_seed;
    let mut done = 0u64;
    while done < total_ops {
        let len = seq_len.min((total_ops - done) as usize);
        check_seed(seed, len, &mut stats);
        done += len as u64;
        seed = seed.wrapping_add(1);
    }
    let secs = start.elapsed().as_secs_f64();
    stats.print();
    println!(
        "fuzz: seeds {first_seed}..{seed} ({} sequences of ≤ {seq_len}), {} operations, {} blocks, \
         0 violations, {secs:.1} s, {:.0} ops/s",
        seed.wrapping_sub(first_seed),
        stats.ops,
        stats.blocks,
        stats.ops as f64 / secs.max(1e-9)
    );
}

/// The CI campaign: fixed seeds, so a failure is reproducible from the log.
#[test]
fn fuzz_short_campaign() {
    let ops = env_u64("FUZZ_CI_OPS").unwrap_or(20_000);
    campaign(1, ops, 1_500);
}

/// The long campaign: `scripts/fuzz N` (see the module docs).
#[test]
#[ignore]
fn fuzz_long_campaign() {
    let ops = env_u64("FUZZ_OPS").unwrap_or(100_000);
    let seed = env_u64("FUZZ_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    });
    let seq = env_u64("FUZZ_SEQ").unwrap_or(2_000) as usize;
    println!("fuzz: FUZZ_SEED={seed} FUZZ_OPS={ops} FUZZ_SEQ={seq}");
    campaign(seed, ops, seq);
}

/// Replays a sequence printed by a failure (paste it here to debug).
#[allow(dead_code)]
fn replay(ops: Vec<Op>) {
    if let Err((f, _)) = run_sequence(&ops) {
        panic!("{f:?}");
    }
}

// ------------------------------------------------------------------------------------------
// Invariants.

mod invariants {
    use super::*;

    type Check = Result<(), (String, String)>;

    fn fail(check: &str, detail: impl Into<String>) -> Check {
        Err((check.into(), detail.into()))
    }

    /// A check of a known defect being fixed elsewhere: counted and printed, not failed on.
    fn report(r: &mut Runner, check: &str, detail: String) {
        let e = r.stats.reported.entry(check.into()).or_insert((0, detail));
        e.0 += 1;
    }

    /// Everything checked after a block (an `Advance`).
    pub fn all(r: &mut Runner) -> Check {
        #[cfg(feature = "try-runtime")]
        {
            use frame_support::traits::{TryState, TryStateSelect};
            if let Err(e) = <AllPalletsWithSystem as TryState<u32>>::try_state(
                System::block_number(),
                TryStateSelect::All,
            ) {
                return fail("try_state", format!("{e:?}"));
            }
        }
        issuance(r)?;
        lending()?;
        pool(r)?;
        avatar()?;
        pool_can_act(r)
    }

    /// Per asset: the accounts' balances sum to the issuance, and the issuance of the dev
    /// assets is what genesis created (nothing in the runtime mints or burns them). The same
    /// for the DEX's liquidity tokens and the native token.
    fn issuance(r: &mut Runner) -> Check {
        for (id, details) in pallet_assets::Asset::<Runtime, pallet_assets::Instance1>::iter() {
            let sum: u128 =
                pallet_assets::Account::<Runtime, pallet_assets::Instance1>::iter_prefix(id)
                    .map(|(_, a)| a.balance)
                    .sum();
            if sum != details.supply {
                // A pallet account left below the asset's minimum balance is reaped by
                // pallet-assets and its remainder vanishes without lowering the supply (found
                // here: seed 1006 a swap after donated dust, seed 35 a jar claim, seed 179 the
                // last pool withdrawal); the pallets now keep the minimum balance instead.
                return fail(
                    "asset balances sum to supply",
                    format!("asset {id}: Σ {sum} ≠ supply {}", details.supply),
                );
            }
            if let Some(g) = r.genesis_supply.get(&id) {
                if *g != details.supply {
                    return fail(
                        "no asset created or destroyed",
                        format!("asset {id}: {g} -> {}", details.supply),
                    );
                }
            }
        }
        for (id, details) in pallet_assets::Asset::<Runtime, pallet_assets::Instance2>::iter() {
            let sum: u128 =
                pallet_assets::Account::<Runtime, pallet_assets::Instance2>::iter_prefix(id)
                    .map(|(_, a)| a.balance)
                    .sum();
            if sum != details.supply {
                return fail(
                    "LP token balances sum to supply",
                    format!("lp {id}: Σ {sum} ≠ {}", details.supply),
                );
            }
        }
        let native: u128 = frame_system::Account::<Runtime>::iter()
            .map(|(_, a)| a.data.free + a.data.reserved)
            .sum();
        let issued = pallet_balances::TotalIssuance::<Runtime>::get();
        if native != issued {
            return fail(
                "native balances sum to issuance",
                format!("Σ {native} ≠ {issued}"),
            );
        }
        Ok(())
    }

    /// pallet-lending's books (its `try_state`, which the test build does not compile):
    /// share totals are the sums over positions, borrowed ≤ supplied, the index holds every
    /// borrower at or above its current key, and the pallet account covers what it owes.
    fn lending() -> Check {
        let mut owed: BTreeMap<u32, u128> = BTreeMap::new();
        for (id, market) in pallet_lending::Markets::<Runtime>::iter() {
            let (mut ss, mut bs, mut col) = (0u128, 0u128, 0u128);
            for (who, p) in pallet_lending::Positions::<Runtime>::iter_prefix(id) {
                if p.is_empty() {
                    return fail("lending: no empty position stored", format!("{id}"));
                }
                ss += p.supply_shares;
                bs += p.borrow_shares;
                col += p.collateral;
                // Liquidations leave index nodes in place (pruned on_idle): a borrower's node
                // key is at least its exact key, and a position without debt may keep one.
                let node = pallet_lending::IndexNodes::<Runtime>::get(id, &who);
                if p.borrow_shares != 0 {
                    let key = pallet_lending::math::position_key(p.borrow_shares, p.collateral);
                    if node.map(|n| n.key) < key {
                        return fail(
                            "lending: every borrower indexed at or above its key",
                            format!("market {id} {who:?}"),
                        );
                    }
                }
            }
            if ss != market.total_supply_shares || bs != market.total_borrow_shares {
                return fail("lending: share totals", format!("market {id}"));
            }
            if market.total_borrow_assets > market.total_supply_assets {
                return fail("lending: borrowed ≤ supplied", format!("market {id}"));
            }
            *owed.entry(market.loan_asset).or_default() += market.liquidity();
            *owed.entry(market.collateral_asset).or_default() += col;
        }
        let account = Lending::account_id();
        for (asset, amount) in owed {
            let held = Assets::balance(asset, &account);
            if held < amount {
                return fail(
                    "lending: account covers its books",
                    format!("asset {asset}: holds {held} < owes {amount}"),
                );
            }
        }
        Ok(())
    }

    /// pallet-backstop's books (its `try_state`, mirrored): shares, the locked minimum, the
    /// pool's books covered by its holdings, the auction's bookkeeping, the score books and the
    /// vault (the jar covers what it owes).
    fn pool(r: &mut Runner) -> Check {
        use pallet_backstop::*;
        let total = TotalShares::<Runtime>::get();
        let sum: u128 = SharesOf::<Runtime>::iter().map(|(_, s)| s).sum();
        if sum != total || SharesOf::<Runtime>::iter().any(|(_, s)| s == 0) {
            return fail(
                "pool: shares sum to TotalShares",
                format!("Σ {sum} ≠ {total}"),
            );
        }
        let pool = Backstop::account_id();
        let collaterals = Collaterals::<Runtime>::get();
        if total == 0 {
            if StableReserve::<Runtime>::get() != 0
                || LentShares::<Runtime>::get() != 0
                || !collaterals.is_empty()
            {
                return fail("pool: no value without shares", "");
            }
        } else if SharesOf::<Runtime>::get(&pool).unwrap_or_default() < 1_000_000_000 {
            return fail("pool: locked minimum shares", "");
        }
        let reserve = StableReserve::<Runtime>::get();
        if Assets::balance(USD, &pool) < reserve {
            return fail(
                "pool: books covered by holdings",
                format!(
                    "stable booked {reserve} > held {}",
                    Assets::balance(USD, &pool)
                ),
            );
        }
        for (asset, amount) in collaterals.iter() {
            if *amount == 0 || Assets::balance(*asset, &pool) < *amount {
                return fail(
                    "pool: books covered by holdings",
                    format!(
                        "collateral {asset}: booked {amount}, held {}",
                        Assets::balance(*asset, &pool)
                    ),
                );
            }
        }
        let lent = LentShares::<Runtime>::get();
        if lent > 0
            && Lending::position(0, &pool)
                .map(|p| p.supply_shares)
                .unwrap_or(0)
                < lent
        {
            return fail("pool: lent shares covered", format!("{lent}"));
        }
        // The auction and the vault.
        let mut count = 0u32;
        let mut held = 0u128;
        for (_, bid) in Bids::<Runtime>::iter() {
            count += 1;
            held += bid.amount + bid.commitment;
        }
        if count != BidderCount::<Runtime>::get() {
            return fail("franchise: BidderCount", format!("{count}"));
        }
        let committed: u128 = Seats::<Runtime>::get().iter().map(|s| s.available).sum();
        let refunds: u128 = Refunds::<Runtime>::iter().map(|(_, r)| r).sum();
        let jar = Jar::<Runtime>::get();
        if jar.released > jar.stream {
            return fail("jar: released ≤ stream", "");
        }
        let claimable: u128 = UserScores::<Runtime>::iter_keys()
            .map(|w| Backstop::claimable(&w))
            .sum();
        // What the vault surely owes: bids, commitments, refunds and the jar's income.
        let firm = held + committed + refunds + jar.income;
        let vault = Assets::balance(USD, Backstop::vault_account());
        if vault < firm {
            return fail(
                "jar: the vault covers what it owes",
                format!("vault {vault} < bids {held} + commitments {committed} + refunds {refunds} + income {}", jar.income),
            );
        }
        // REPORT-ONLY (pallet-backstop's own `franchise_try_state` formula): adding the
        // unreleased stream and every user's claimable reward double-counts, because
        // `Jar.released` is only brought up to date lazily (`accrue_jar`) while `claimable()`
        // already includes the release since then (seed 1: bid, 94 blocks, any avatar
        // action). Reported to the franchise/jar fixes of issue 10; not failed on.
        let owed = firm + (jar.stream - jar.released) + claimable;
        if vault < owed {
            report(
                r,
                "jar: vault ≥ books + unreleased stream + claimable (try_state formula)",
                format!(
                    "vault {vault} < {owed}: stream {} released {} claimable {claimable}",
                    jar.stream, jar.released
                ),
            );
        }
        // The score books.
        let mut totals: BTreeMap<(u32, Side), u128> = BTreeMap::new();
        for (_, score) in UserScores::<Runtime>::iter() {
            for e in score.entries.iter() {
                if e.balance == 0 {
                    return fail("score: no zero entry", "");
                }
                *totals.entry((e.market, e.side)).or_default() += e.balance;
            }
        }
        let mut weighted = 0u128;
        for (key, book) in ScoreBooks::<Runtime>::iter() {
            if totals.remove(&key).unwrap_or_default() != book.total {
                return fail("score: book total is its entries' sum", format!("{key:?}"));
            }
            weighted += book.weighted;
        }
        if !totals.is_empty() || weighted != TotalWeighted::<Runtime>::get() {
            return fail("score: TotalWeighted", "");
        }
        Ok(())
    }

    /// pallet-avatar's books (its `try_state`, mirrored): the avatar maps and the cushion
    /// ledger (recorded cushions = paid in − returned − consumed − written off).
    fn avatar() -> Check {
        use pallet_avatar::*;
        for (user, av) in AvatarOf::<Runtime>::iter() {
            if UserOf::<Runtime>::get(&av).as_ref() != Some(&user) {
                return fail("avatar: maps agree", "");
            }
        }
        let mut recorded: BTreeMap<u32, u128> = BTreeMap::new();
        for (market, user, p) in Positions::<Runtime>::iter() {
            if !AvatarOf::<Runtime>::contains_key(&user)
                || !MarketsOf::<Runtime>::get(&user).contains(&market)
            {
                return fail("avatar: position records belong to avatars", "");
            }
            if p.cushion.iter().any(|(_, c)| *c == 0) {
                return fail("avatar: no zero cushion entry", "");
            }
            *recorded.entry(market).or_default() += p.total_cushion();
        }
        for (market, t) in Cushions::<Runtime>::iter() {
            let expected = t
                .paid_in
                .checked_sub(t.returned)
                .and_then(|x| x.checked_sub(t.consumed))
                .and_then(|x| x.checked_sub(t.written_off));
            if expected != Some(recorded.remove(&market).unwrap_or(0)) {
                return fail("avatar: cushion ledger", format!("market {market}: {t:?}"));
            }
        }
        if recorded.values().any(|c| *c != 0) {
            return fail("avatar: cushion ledger", "cushion without flows");
        }
        Ok(())
    }

    /// Per block: a position in a liquidation episode whose members' priority window has run
    /// does not wait more than one assignment window (plus one block) for a block in which
    /// the pool may liquidate it (every window ends its member's priority period).
    pub fn priority_bound(r: &mut Runner) -> Check {
        let now = System::block_number();
        let window = pallet_backstop::FranchiseParameters::<Runtime>::get().window_length;
        let mut live = BTreeMap::new();
        for (market, user, p) in pallet_avatar::Positions::<Runtime>::iter() {
            let Some(episode) = p.episode else { continue };
            let open = episode.since + Avatar::params(market).priority_window;
            if now < open {
                continue;
            }
            let key = (market, user.clone());
            let last = r.pool_ok.get(&key).copied().unwrap_or(open).max(open);
            let last = if Avatar::pool_may_liquidate(market, user.clone()) {
                now
            } else {
                last
            };
            if now.saturating_sub(last) > window + 1 {
                return fail(
                    "priority bound",
                    format!("market {market} user {user:?}: episode since {}, window {}, pool may not liquidate since block {last} (now {now})", episode.since, window),
                );
            }
            live.insert(key, last);
        }
        r.pool_ok = live;
        Ok(())
    }

    /// A position the pool may liquidate, liquidatable by the backstop's rule, with the pool
    /// holding enough stable, can be liquidated by the pool (tried and rolled back).
    fn pool_can_act(r: &mut Runner) -> Check {
        let keeper = r.actors[ACTORS - 1].clone();
        let stable = Backstop::total_stable().unwrap_or(0);
        let positions: Vec<(u32, AccountId)> = pallet_avatar::Positions::<Runtime>::iter()
            .filter(|(_, _, p)| p.episode.is_some())
            .map(|(m, u, _)| (m, u))
            .collect();
        for (market, user) in positions {
            if !Avatar::pool_may_liquidate(market, user.clone()) {
                continue;
            }
            let Ok(debt) = Avatar::debt_backstop(market, &user) else {
                continue;
            };
            if debt == 0 || stable < debt.saturating_mul(2) {
                continue;
            }
            if !backstop_liquidatable(market, &user, debt) {
                continue;
            }
            let amount = debt;
            let result = with_transaction(|| {
                let r = RuntimeCall::Avatar(pallet_avatar::Call::pool_liquidate {
                    market,
                    user: user.clone(),
                    amount,
                })
                .dispatch(RuntimeOrigin::signed(keeper.clone()))
                .map(|_| ())
                .map_err(|e| e.error);
                TransactionOutcome::Rollback(Ok::<_, DispatchError>(r))
            })
            .unwrap_or_else(Err);
            if let Err(e) = result {
                let name = error_name(&e);
                // A stale or missing price stops every liquidation; that is not a liveness
                // failure of the backstop.
                // Dust (debt below 0.01 USD, e.g. one satoshi of BTC): whole collateral units
                // are worth less than the rounding, so the pool refuses to pay more than it
                // gets (`LiquidationAtALoss`/`DustAmount`); anyone may still `open_liquidate`.
                let dust = debt < 10u128.pow(16)
                    && matches!(name.as_str(), "LiquidationAtALoss" | "DustAmount");
                if !dust
                    && !matches!(
                        name.as_str(),
                        "PriceStale" | "PriceUnavailable" | "OracleStale"
                    )
                {
                    return fail(
                        "the pool can liquidate what it may",
                        format!("market {market} user {user:?} debt {debt}: pool_liquidate failed: {name}"),
                    );
                }
            }
        }
        Ok(())
    }

    /// `debt_backstop > collateral · price · ratio` (cushion: lltv; margin: lltv − margin),
    /// the avatar's liquidation rule; false without a fresh price.
    fn backstop_liquidatable(market: u32, user: &AccountId, debt: u128) -> bool {
        let Some(info) = Lending::market(market) else {
            return false;
        };
        let Some(price) = OraclePrices::price(info.collateral_asset, info.loan_asset) else {
            return false;
        };
        let now = pallet_timestamp::Now::<Runtime>::get();
        if !price.is_fresh(
            now,
            backstop_runtime::configs::defi::LENDING_MAX_PRICE_AGE_MS,
        ) {
            return false;
        }
        let params = Avatar::params(market);
        let ratio = match params.mode {
            pallet_avatar::Mode::Cushion => info.lltv,
            pallet_avatar::Mode::Margin => info.lltv.saturating_sub(params.margin),
        };
        let collateral = Lending::position(market, &Avatar::avatar_account(user.clone()))
            .map(|p| p.collateral)
            .unwrap_or(0);
        let value = price.price.saturating_mul_int(collateral);
        debt > ratio * value
    }
}
