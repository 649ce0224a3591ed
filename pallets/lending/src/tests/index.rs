//! The liquidation index: order, maintenance on every position change, exact queries, and a
//! property test of random operations against a brute-force scan.

use super::mock::*;
use crate::{math, IndexBuckets, IndexNodes, Markets, Positions};
use frame_support::assert_ok;
use proptest::prelude::*;
use sp_arithmetic::{traits::One, FixedU128};

/// The index of market `id` as one list of borrowers, highest `r` first.
fn index_order(id: u32) -> Vec<AccountId> {
    Lending::index_buckets(id)
        .into_iter()
        .flat_map(|(_, members)| members)
        .collect()
}

/// Query at `usd` per ETH (USD is worth 1).
fn query(id: u32, usd: FixedU128, max: u32) -> Vec<AccountId> {
    Lending::liquidatable_positions(id, usd, max).unwrap()
}

fn open(id: u32, who: AccountId, collateral: u128, debt: u128) {
    assert_ok!(Lending::supply_collateral(
        RuntimeOrigin::signed(who),
        id,
        collateral
    ));
    assert_ok!(Lending::borrow(RuntimeOrigin::signed(who), id, debt));
}

/// ALICE lends 10 000 USD; debt per collateral: BOB 1.5, DAVE 1.25, CHARLIE 1.0, EVE 0.5.
fn four_borrowers() -> u32 {
    let id = create_market();
    assert_ok!(Lending::supply(
        RuntimeOrigin::signed(ALICE),
        id,
        10_000 * UNIT
    ));
    open(id, BOB, 100 * UNIT, 150 * UNIT);
    open(id, CHARLIE, 100 * UNIT, 100 * UNIT);
    open(id, DAVE, 200 * UNIT, 250 * UNIT);
    open(id, EVE, 100 * UNIT, 50 * UNIT);
    id
}

#[test]
fn borrowers_are_ordered_by_debt_per_collateral() {
    ExtBuilder::default().build_and_execute(|| {
        let id = four_borrowers();
        assert_eq!(index_order(id), vec![BOB, DAVE, CHARLIE, EVE]);
        // Lenders without debt are not indexed.
        assert!(!IndexNodes::<Test>::contains_key(id, ALICE));
        assert_eq!(IndexBuckets::<Test>::iter_prefix(id).count(), 4);
    });
}

#[test]
fn query_returns_exactly_the_liquidatable_positions_in_order() {
    ExtBuilder::default().build_and_execute(|| {
        let id = four_borrowers();
        let price = |num, den| FixedU128::from_rational(num, den);
        // Liquidatable iff debt / collateral > 0.8 · price.
        assert_eq!(query(id, price(2, 1), 10), Vec::<AccountId>::new());
        assert_eq!(query(id, price(18, 10), 10), vec![BOB]);
        assert_eq!(query(id, price(15, 10), 10), vec![BOB, DAVE]);
        // CHARLIE sits exactly on the limit at 1.25 (1.0 = 0.8 · 1.25): healthy, not returned;
        // one step of price lower he is liquidatable.
        assert_eq!(query(id, price(125, 100), 10), vec![BOB, DAVE]);
        let just_below = FixedU128::from_inner(price(125, 100).into_inner() - 1);
        assert_eq!(query(id, just_below, 10), vec![BOB, DAVE, CHARLIE]);
        assert_eq!(query(id, price(1, 2), 10), vec![BOB, DAVE, CHARLIE, EVE]);
        // Bounded by max_count, most liquidatable first.
        assert_eq!(query(id, price(1, 2), 2), vec![BOB, DAVE]);
        assert_eq!(query(id, price(1, 2), 0), Vec::<AccountId>::new());
    });
}

#[test]
fn query_agrees_with_the_health_check() {
    ExtBuilder::default().build_and_execute(|| {
        let id = four_borrowers();
        for tenths in 5..=25u128 {
            let price = FixedU128::from_rational(tenths, 10);
            feed_price(ETH, price);
            let found = query(id, price, 10);
            for who in [BOB, CHARLIE, DAVE, EVE] {
                let health = Lending::position_health(id, &who).unwrap();
                assert_eq!(
                    found.contains(&who),
                    health.liquidatable,
                    "{who} at {tenths}/10"
                );
                // The strict test users face is never looser than the liquidation test.
                if health.borrow_assets <= health.max_borrow {
                    assert!(!health.liquidatable);
                }
            }
        }
    });
}

#[test]
fn interest_moves_the_threshold_not_the_order() {
    ExtBuilder::default().build_and_execute(|| {
        let id = four_borrowers();
        let price = FixedU128::from_rational(13, 10);
        // Threshold 1.04: only BOB and DAVE now.
        assert_eq!(query(id, price, 10), vec![BOB, DAVE]);
        // Utilisation is 5.5 %, about 2.55 %/year: after two years CHARLIE owes ~5 % more.
        advance_time(2 * math::YEAR_MS as u64);
        assert_eq!(index_order(id), vec![BOB, DAVE, CHARLIE, EVE]);
        assert_eq!(query(id, price, 10), vec![BOB, DAVE, CHARLIE]);
    });
}

#[test]
fn the_index_follows_every_position_change() {
    ExtBuilder::default().build_and_execute(|| {
        let id = four_borrowers();
        // More collateral lowers CHARLIE's r (100 / 300) below EVE's (0.5).
        assert_ok!(Lending::supply_collateral(
            RuntimeOrigin::signed(CHARLIE),
            id,
            200 * UNIT
        ));
        assert_eq!(index_order(id), vec![BOB, DAVE, EVE, CHARLIE]);
        // More debt raises EVE's r above everyone's.
        assert_ok!(Lending::borrow(RuntimeOrigin::signed(EVE), id, 105 * UNIT));
        assert_eq!(index_order(id), vec![EVE, BOB, DAVE, CHARLIE]);
        // Withdrawing collateral raises DAVE's r: 250 / 170 ≈ 1.47, still below BOB's 1.5,
        // then 250 / 165 ≈ 1.52, above it.
        assert_ok!(Lending::withdraw_collateral(
            RuntimeOrigin::signed(DAVE),
            id,
            30 * UNIT
        ));
        assert_eq!(index_order(id), vec![EVE, BOB, DAVE, CHARLIE]);
        assert_ok!(Lending::withdraw_collateral(
            RuntimeOrigin::signed(DAVE),
            id,
            5 * UNIT
        ));
        assert_eq!(index_order(id), vec![EVE, DAVE, BOB, CHARLIE]);
        // A partial repayment by someone else lowers BOB's r (0.3) below CHARLIE's (0.33).
        assert_ok!(Lending::repay(
            RuntimeOrigin::signed(ALICE),
            id,
            BOB,
            120 * UNIT
        ));
        assert_eq!(index_order(id), vec![EVE, DAVE, CHARLIE, BOB]);
        // Repaying everything leaves the index.
        assert_ok!(Lending::repay(
            RuntimeOrigin::signed(EVE),
            id,
            EVE,
            u128::MAX
        ));
        assert_eq!(index_order(id), vec![DAVE, CHARLIE, BOB]);
        // A liquidation that lowers the borrower's risk leaves its node where it was (an
        // upper bound of its key); pruning moves it down.
        feed_price(ETH, FixedU128::from_rational(15, 10));
        assert_eq!(query(id, FixedU128::from_rational(15, 10), 10), vec![DAVE]);
        assert_ok!(Lending::liquidate(
            RuntimeOrigin::signed(ALICE),
            id,
            DAVE,
            10 * UNIT
        ));
        assert!(IndexNodes::<Test>::contains_key(id, DAVE));
        assert_eq!(index_order(id), vec![DAVE, CHARLIE, BOB]);
        assert_eq!(Lending::prune_index(id, 8), Ok(3));
        assert_eq!(index_order(id).len(), 3);
    });
}

#[test]
fn equal_ratios_share_a_bucket_in_insertion_order() {
    ExtBuilder::default()
        .with_accounts([10, 11, 12, 13])
        .build_and_execute(|| {
            let id = create_market();
            assert_ok!(Lending::supply(
                RuntimeOrigin::signed(ALICE),
                id,
                10_000 * UNIT
            ));
            open(id, 10, 100 * UNIT, 100 * UNIT);
            open(id, 11, 300 * UNIT, 300 * UNIT);
            open(id, 12, 50 * UNIT, 50 * UNIT);
            open(id, BOB, 100 * UNIT, 150 * UNIT);
            let buckets = Lending::index_buckets(id);
            assert_eq!(buckets.len(), 2);
            assert_eq!(buckets[1].1, vec![10, 11, 12]);
            // Removing from the middle, the head and the tail keeps the list linked.
            assert_ok!(Lending::repay(RuntimeOrigin::signed(11), id, 11, u128::MAX));
            assert_eq!(index_order(id), vec![BOB, 10, 12]);
            Lending::do_try_state().unwrap();
            assert_ok!(Lending::repay(RuntimeOrigin::signed(10), id, 10, u128::MAX));
            assert_eq!(index_order(id), vec![BOB, 12]);
            Lending::do_try_state().unwrap();
            open(id, 13, 30 * UNIT, 30 * UNIT);
            assert_eq!(index_order(id), vec![BOB, 12, 13]);
            assert_ok!(Lending::repay(RuntimeOrigin::signed(13), id, 13, u128::MAX));
            assert_eq!(index_order(id), vec![BOB, 12]);
            // The whole bucket at 1.0 is returned at a price below 1.25, none above.
            assert_eq!(
                query(id, FixedU128::from_rational(12, 10), 10),
                vec![BOB, 12]
            );
            assert_eq!(query(id, FixedU128::from_rational(13, 10), 10), vec![BOB]);
        });
}

#[test]
fn markets_have_separate_indexes() {
    ExtBuilder::default().build_and_execute(|| {
        let first = four_borrowers();
        let second = create_market();
        assert_ok!(Lending::supply(
            RuntimeOrigin::signed(ALICE),
            second,
            1_000 * UNIT
        ));
        open(second, EVE, 100 * UNIT, 140 * UNIT);
        assert_eq!(index_order(second), vec![EVE]);
        assert_eq!(index_order(first), vec![BOB, DAVE, CHARLIE, EVE]);
        assert_eq!(
            query(second, FixedU128::from_rational(15, 10), 10),
            vec![EVE]
        );
    });
}

// ------------------------------------------------------------------------------------------
// Property test: random operations keep the index exact.
// ------------------------------------------------------------------------------------------

const BORROWERS: [AccountId; 6] = [10, 11, 12, 13, 14, 15];

#[derive(Clone, Debug)]
enum Op {
    SupplyCollateral(usize, u128),
    WithdrawCollateral(usize, u128),
    Borrow(usize, u128),
    Repay(usize, u128),
    Liquidate(usize, u128),
    /// ETH price in hundredths of a USD.
    Price(u128),
    /// Milliseconds.
    Wait(u64),
}

fn op() -> impl Strategy<Value = Op> {
    let who = 0..BORROWERS.len();
    let amount = 1..2_000u128;
    prop_oneof![
        (who.clone(), amount.clone()).prop_map(|(w, a)| Op::SupplyCollateral(w, a * UNIT / 10)),
        (who.clone(), amount.clone()).prop_map(|(w, a)| Op::WithdrawCollateral(w, a * UNIT / 10)),
        (who.clone(), amount.clone()).prop_map(|(w, a)| Op::Borrow(w, a * UNIT / 10)),
        (who.clone(), amount.clone()).prop_map(|(w, a)| Op::Repay(w, a * UNIT / 10)),
        (who, amount).prop_map(|(w, a)| Op::Liquidate(w, a * UNIT / 100)),
        (50..300u128).prop_map(Op::Price),
        (1..30_000_000_000u64).prop_map(Op::Wait),
    ]
}

fn apply(id: u32, op: &Op) {
    // Operations may fail (unhealthy, healthy, over-liquidation...): failures must change
    // nothing, which the invariants after every step check.
    let _ = match *op {
        Op::SupplyCollateral(w, a) => {
            Lending::supply_collateral(RuntimeOrigin::signed(BORROWERS[w]), id, a)
        }
        Op::WithdrawCollateral(w, a) => {
            Lending::withdraw_collateral(RuntimeOrigin::signed(BORROWERS[w]), id, a)
        }
        Op::Borrow(w, a) => Lending::borrow(RuntimeOrigin::signed(BORROWERS[w]), id, a),
        Op::Repay(w, a) => Lending::repay(RuntimeOrigin::signed(ALICE), id, BORROWERS[w], a),
        Op::Liquidate(w, a) => {
            Lending::liquidate(RuntimeOrigin::signed(CHARLIE), id, BORROWERS[w], a)
        }
        Op::Price(cents) => {
            feed_price(ETH, FixedU128::from_rational(cents, 100));
            Ok(())
        }
        Op::Wait(ms) => {
            advance_time(ms);
            feed_price(USD, FixedU128::one());
            let eth = Oracle::get(&ETH).unwrap().value;
            feed_price(ETH, eth);
            Ok(())
        }
    };
}

/// Checks the query at `price` against a scan of every position.
fn check_query(id: u32, price: FixedU128, max: u32) {
    let market = Lending::view_accrued(id).unwrap();
    let threshold = math::LiquidationThreshold::new(
        price,
        market.lltv,
        market.total_borrow_assets,
        market.total_borrow_shares,
    )
    .unwrap();
    let key_of = |who: &AccountId| {
        let p = Positions::<Test>::get(id, who);
        math::position_key(p.borrow_shares, p.collateral).unwrap()
    };
    let liquidatable: Vec<AccountId> = Positions::<Test>::iter_prefix(id)
        .filter(|(_, p)| {
            threshold
                .is_exceeded_by(p.borrow_shares, p.collateral)
                .unwrap()
        })
        .map(|(who, _)| who)
        .collect();
    let found = query(id, price, max);
    assert_eq!(found.len(), liquidatable.len().min(max as usize));
    for who in &found {
        assert!(liquidatable.contains(who), "{who} returned but healthy");
    }
    // Highest r first: keys never increase, and distinct keys mean strictly decreasing r.
    for pair in found.windows(2) {
        let (a, b) = (
            Positions::<Test>::get(id, pair[0]),
            Positions::<Test>::get(id, pair[1]),
        );
        assert!(key_of(&pair[0]) >= key_of(&pair[1]));
        if key_of(&pair[0]) != key_of(&pair[1]) {
            assert!(a.borrow_shares * b.collateral > b.borrow_shares * a.collateral);
        }
    }
    // What was cut off by `max` is no more liquidatable than what was returned.
    if let Some(lowest) = found.iter().map(key_of).min() {
        for who in liquidatable.iter().filter(|w| !found.contains(w)) {
            assert!(key_of(who) <= lowest);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_operations_keep_the_index_exact(
        ops in prop::collection::vec(op(), 1..40),
        queries in prop::collection::vec((1..400u128, 0..8u32), 1..6),
    ) {
        ExtBuilder::default().with_accounts(BORROWERS).build_and_execute(|| {
            let id = create_market();
            assert_ok!(Lending::supply(RuntimeOrigin::signed(ALICE), id, 1_000_000 * UNIT));
            for op in &ops {
                apply(id, op);
                Lending::do_try_state().unwrap();
            }
            for (cents, max) in &queries {
                check_query(id, FixedU128::from_rational(*cents, 100), *max);
            }
            assert!(Markets::<Test>::get(id).is_some());
        });
    }
}

// ------------------------------------------------------------------------------------------
// Property test: the bucket list and the bitmap under keys that share bitmap words.
// ------------------------------------------------------------------------------------------

/// Keys in clusters that share bitmap words at every level: bases differing in one byte,
/// plus small offsets.
fn clustered_key() -> impl Strategy<Value = u64> {
    (0..7u32, 0..600u64, any::<bool>()).prop_map(|(level, offset, far)| {
        let base = if far {
            0x00ab_cdef_0123_4500u64
        } else {
            0x0012_3456_789a_bc00
        };
        (base ^ (1u64 << (8 * level))) + offset
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn buckets_stay_sorted_and_the_bitmap_finds_successors(
        ops in prop::collection::vec((clustered_key(), 0..3u64), 1..80),
        probes in prop::collection::vec(clustered_key(), 1..20),
    ) {
        ExtBuilder::default().build_and_execute(|| {
            const MARKET: u32 = 9;
            let mut expected: std::collections::BTreeMap<AccountId, u64> = Default::default();
            for (i, (key, action)) in ops.iter().enumerate() {
                let who = 1_000 + (*key % 5) * 100 + (i as u64 % 3);
                if let Some(node) = IndexNodes::<Test>::get(MARKET, who) {
                    Lending::index_remove(MARKET, &who, node);
                    expected.remove(&who);
                }
                if *action != 0 {
                    Lending::index_insert(MARKET, &who, *key).unwrap();
                    expected.insert(who, *key);
                }
            }
            let mut keys: Vec<u64> = expected.values().copied().collect();
            keys.sort_unstable_by(|a, b| b.cmp(a));
            keys.dedup();
            let buckets = Lending::index_buckets(MARKET);
            assert_eq!(buckets.iter().map(|(k, _)| *k).collect::<Vec<_>>(), keys);
            for (key, members) in &buckets {
                for who in members {
                    assert_eq!(expected.get(who), Some(key));
                }
            }
            assert_eq!(buckets.iter().map(|(_, m)| m.len()).sum::<usize>(), expected.len());
            for probe in &probes {
                let successor = keys.iter().rev().find(|k| **k > *probe).copied();
                assert_eq!(Lending::bitmap_next_above(MARKET, *probe).unwrap(), successor);
            }
        });
    }
}
