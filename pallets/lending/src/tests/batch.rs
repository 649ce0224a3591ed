//! Batch liquidation (`LendingMarket::liquidate_many`): each liquidatable position in full,
//! skips with reasons, the budget, the same result as single liquidations, and the lazy index
//! it leaves behind (pruned later).

use super::mock::*;
use crate::{Error, Event, IndexNodes, Markets, Positions};
use backstop_primitives::{LendingMarket, MarketId, SkipReason};
use frame_support::{assert_ok, assert_storage_noop};
use sp_arithmetic::{FixedPointNumber, FixedU128};

const LIQUIDATOR: AccountId = 50;

/// ALICE lends 10 000 USD; BOB, CHARLIE, DAVE and EVE each pledge 100 ETH (2 USD each) and
/// borrow 150, 100, 140 and 155 USD.
fn market_with_borrowers() -> MarketId {
    let id = create_market();
    assert_ok!(Lending::supply(
        RuntimeOrigin::signed(ALICE),
        id,
        10_000 * UNIT
    ));
    for (who, debt) in [(BOB, 150), (CHARLIE, 100), (DAVE, 140), (EVE, 155)] {
        assert_ok!(Lending::supply_collateral(
            RuntimeOrigin::signed(who),
            id,
            100 * UNIT
        ));
        assert_ok!(Lending::borrow(RuntimeOrigin::signed(who), id, debt * UNIT));
    }
    id
}

fn batch(
    id: MarketId,
    borrowers: &[AccountId],
    budget: u128,
) -> backstop_primitives::BatchLiquidation<AccountId> {
    <Lending as LendingMarket<AccountId>>::liquidate_many(&LIQUIDATOR, id, borrowers, budget)
        .unwrap()
}

#[test]
fn a_batch_liquidates_each_liquidatable_position_in_full_and_skips_the_rest() {
    ExtBuilder::default()
        .with_accounts([LIQUIDATOR])
        .build_and_execute(|| {
            let id = market_with_borrowers();
            // At 1.8 USD: BOB (150 > 144), DAVE (140 ≤ 144: healthy) and EVE (155 > 144).
            feed_price(ETH, FixedU128::from_rational(18, 10));
            let done = batch(id, &[BOB, CHARLIE, DAVE, EVE, BOB, 77], u128::MAX);
            let liquidated: Vec<AccountId> = done.liquidated.iter().map(|l| l.0).collect();
            assert_eq!(liquidated, vec![BOB, EVE]);
            assert_eq!(
                done.skipped,
                vec![
                    (CHARLIE, SkipReason::Healthy),
                    (DAVE, SkipReason::Healthy),
                    (BOB, SkipReason::NoDebt),
                    (77, SkipReason::NoDebt),
                ]
            );
            // In full: no debt left, the collateral worth the debt times the LIF is gone.
            for who in [BOB, EVE] {
                let position = Positions::<Test>::get(id, who);
                assert_eq!(position.borrow_shares, 0);
                assert!(position.collateral > 0 && position.collateral < 100 * UNIT);
            }
            // The liquidator paid the sum of the repayments and received the sum of the
            // seizures, once each.
            let repaid: u128 = done.liquidated.iter().map(|l| l.1).sum();
            let seized: u128 = done.liquidated.iter().map(|l| l.2).sum();
            assert_eq!((done.repaid, done.seized), (repaid, seized));
            assert_eq!(balance(USD, LIQUIDATOR), INITIAL - repaid);
            assert_eq!(balance(ETH, LIQUIDATOR), INITIAL + seized);
            // Each repayment is at least the whole debt (rounded up) and the seizure is worth
            // at most the repayment times the LIF.
            assert!(repaid >= 305 * UNIT);
            let lif = Markets::<Test>::get(id).unwrap().lif;
            let worth = FixedU128::from_rational(18, 10).saturating_mul_int(seized);
            assert!(worth <= lif.saturating_mul_int(repaid));
        });
}

#[test]
fn the_budget_stops_what_the_liquidator_cannot_pay() {
    ExtBuilder::default()
        .with_accounts([LIQUIDATOR])
        .build_and_execute(|| {
            let id = market_with_borrowers();
            feed_price(ETH, FixedU128::from_rational(18, 10));
            // Enough for BOB's 150 USD, not for EVE's 155 as well.
            let done = batch(id, &[BOB, EVE], 200 * UNIT);
            assert_eq!(done.liquidated.len(), 1);
            assert_eq!(done.skipped, vec![(EVE, SkipReason::OverBudget)]);
            assert!(done.repaid <= 200 * UNIT);
            assert!(Positions::<Test>::get(id, EVE).borrow_shares > 0);
        });
}

#[test]
fn a_barred_liquidator_is_skipped_not_failed() {
    ExtBuilder::default()
        .with_accounts([LIQUIDATOR])
        .build_and_execute(|| {
            let id = market_with_borrowers();
            feed_price(ETH, FixedU128::from_rational(18, 10));
            BARRED_LIQUIDATORS.with(|b| b.borrow_mut().push(LIQUIDATOR));
            let done = batch(id, &[BOB, EVE], u128::MAX);
            assert!(done.liquidated.is_empty());
            assert_eq!(
                done.skipped,
                vec![
                    (BOB, SkipReason::NotPermitted),
                    (EVE, SkipReason::NotPermitted)
                ]
            );
            assert_eq!(balance(USD, LIQUIDATOR), INITIAL);
        });
}

#[test]
fn a_batch_wide_failure_changes_nothing() {
    ExtBuilder::default()
        .with_accounts([LIQUIDATOR])
        .build_and_execute(|| {
            let id = market_with_borrowers();
            feed_price(ETH, FixedU128::from_rational(18, 10));
            advance_time(MAX_PRICE_AGE + 1);
            assert_storage_noop!(assert_eq!(
                <Lending as LendingMarket<AccountId>>::liquidate_many(
                    &LIQUIDATOR,
                    id,
                    &[BOB],
                    u128::MAX
                ),
                Err(Error::<Test>::PriceStale.into())
            ));
            assert_storage_noop!(assert_eq!(
                <Lending as LendingMarket<AccountId>>::liquidate_many(
                    &LIQUIDATOR,
                    99,
                    &[BOB],
                    u128::MAX
                ),
                Err(Error::<Test>::UnknownMarket.into())
            ));
        });
}

/// 30 days of interest, then ETH at 1.5 USD: every borrower but CHARLIE is liquidatable;
/// BOB's and EVE's collateral is worth less than their debt times the LIF (insolvent), DAVE's
/// more (140 · 1.0638 < 150).
fn crashed() -> MarketId {
    let id = market_with_borrowers();
    advance_time(30 * 24 * 3_600_000);
    feed_price(USD, FixedU128::from_u32(1));
    feed_price(ETH, FixedU128::from_rational(15, 10));
    id
}

#[test]
fn a_batch_ends_where_single_liquidations_of_the_same_seizures_end() {
    let mut batched = None;
    ExtBuilder::default()
        .with_accounts([LIQUIDATOR])
        .build_and_execute(|| {
            let id = crashed();
            let done = batch(id, &[BOB, EVE], u128::MAX);
            assert_eq!(done.liquidated.len(), 2);
            batched = Some((
                Markets::<Test>::get(id),
                [BOB, EVE].map(|w| Positions::<Test>::get(id, w)),
                done.liquidated,
            ));
        });
    let (market, positions, liquidated) = batched.unwrap();
    // The same seizures (all the collateral), one call each, from the same start.
    ExtBuilder::default()
        .with_accounts([LIQUIDATOR])
        .build_and_execute(|| {
            let id = crashed();
            for (who, repaid, seized) in &liquidated {
                assert_eq!(*seized, 100 * UNIT);
                assert_ok!(Lending::liquidate(
                    RuntimeOrigin::signed(LIQUIDATOR),
                    id,
                    *who,
                    *seized
                ));
                match last_lending_event() {
                    Event::Liquidated {
                        borrower,
                        repaid_assets,
                        seized: taken,
                        bad_debt,
                        ..
                    } => {
                        assert_eq!((borrower, repaid_assets, taken), (*who, *repaid, *seized));
                        assert!(bad_debt > 0);
                    }
                    other => panic!("unexpected event {other:?}"),
                }
            }
            assert_eq!(Markets::<Test>::get(id), market);
            assert_eq!([BOB, EVE].map(|w| Positions::<Test>::get(id, w)), positions);
        });
}

#[test]
fn a_solvent_position_is_repaid_in_full_for_at_most_its_debt_times_the_lif() {
    ExtBuilder::default()
        .with_accounts([LIQUIDATOR])
        .build_and_execute(|| {
            let id = crashed();
            let debt = Lending::position_info(id, &DAVE).unwrap().borrow_assets;
            let done = batch(id, &[DAVE], u128::MAX);
            let (_, repaid, seized) = done.liquidated[0];
            // The whole debt, nothing more, and no bad debt.
            assert_eq!(repaid, debt);
            assert_eq!(Positions::<Test>::get(id, DAVE).borrow_shares, 0);
            assert!(BAD_DEBTS.with(|d| d.borrow().is_empty()));
            // The collateral seized is worth the debt times the LIF, less than one unit of
            // collateral of rounding (against the liquidator).
            let price = FixedU128::from_rational(15, 10);
            let lif = Markets::<Test>::get(id).unwrap().lif;
            let worth = price.saturating_mul_int(seized);
            let due = lif.saturating_mul_int(debt);
            assert!(worth <= due && due - worth <= price.saturating_mul_int(1) + 1);
            assert_eq!(
                Positions::<Test>::get(id, DAVE).collateral,
                100 * UNIT - seized
            );
        });
}

#[test]
fn liquidated_nodes_stay_until_pruned_and_the_query_skips_them() {
    ExtBuilder::default()
        .with_accounts([LIQUIDATOR])
        .build_and_execute(|| {
            let id = market_with_borrowers();
            feed_price(ETH, FixedU128::from_rational(18, 10));
            batch(id, &[BOB, EVE], u128::MAX);
            // The nodes stay (one key per position in the batch) ...
            assert!(IndexNodes::<Test>::contains_key(id, BOB));
            assert!(IndexNodes::<Test>::contains_key(id, EVE));
            // ... the query tests each position exactly, so it returns neither ...
            let price = FixedU128::from_rational(18, 10);
            assert_eq!(Lending::liquidatable_positions(id, price, 10), Ok(vec![]));
            // ... and a lower price finds DAVE below them.
            let lower = FixedU128::from_rational(17, 10);
            assert_eq!(
                Lending::liquidatable_positions(id, lower, 10),
                Ok(vec![DAVE])
            );
            // Pruning removes them (on_idle does this with the block's spare weight).
            assert_eq!(Lending::prune_index(id, 8), Ok(4));
            assert!(!IndexNodes::<Test>::contains_key(id, BOB));
            assert!(!IndexNodes::<Test>::contains_key(id, EVE));
            assert!(IndexNodes::<Test>::contains_key(id, DAVE));
        });
}

/// A keeper holding none of the collateral can only receive a seizure of at least the asset's
/// minimum balance: a batch skips dust with `Dust` instead of failing as a whole, and the
/// bounded walk a keeper's sweep uses passes dust over, so a crowd of dust positions cannot
/// fill its batches.
#[test]
fn dust_a_keeper_could_not_receive_is_skipped_not_fatal_and_not_listed() {
    use frame_support::traits::fungibles::Mutate;
    const FRESH: AccountId = 51;
    ExtBuilder::default().build_and_execute(|| {
        let id = market_with_borrowers();
        assert_ok!(<Assets as Mutate<AccountId>>::mint_into(
            USD,
            &FRESH,
            1_000 * UNIT
        ));
        feed_price(ETH, FixedU128::from_rational(18, 10));
        let price = FixedU128::from_rational(18, 10);
        // ETH's minimum balance above any seizure here (BOB's and EVE's are under 100 ETH).
        pallet_assets::Asset::<Test>::mutate(ETH, |d| {
            d.as_mut().expect("ETH exists").min_balance = 100 * UNIT
        });
        let walk = || {
            <Lending as LendingMarket<AccountId>>::liquidatable_positions_for(
                id, price, &FRESH, 10, 100,
            )
            .unwrap()
        };
        assert_eq!(walk(), Vec::<AccountId>::new());
        let done = <Lending as LendingMarket<AccountId>>::liquidate_many(
            &FRESH,
            id,
            &[BOB, EVE],
            u128::MAX,
        )
        .expect("dust does not fail the batch");
        assert!(done.liquidated.is_empty());
        assert_eq!(
            done.skipped,
            vec![(BOB, SkipReason::Dust), (EVE, SkipReason::Dust)]
        );
        assert!(Positions::<Test>::get(id, BOB).borrow_shares > 0);
        // Once the keeper holds the collateral, the same positions are its to take.
        pallet_assets::Asset::<Test>::mutate(ETH, |d| {
            d.as_mut().expect("ETH exists").min_balance = 1
        });
        assert_ok!(<Assets as Mutate<AccountId>>::mint_into(ETH, &FRESH, UNIT));
        pallet_assets::Asset::<Test>::mutate(ETH, |d| {
            d.as_mut().expect("ETH exists").min_balance = 100 * UNIT
        });
        let mut listed = walk();
        listed.sort();
        assert_eq!(listed, vec![BOB, EVE]);
        let done = <Lending as LendingMarket<AccountId>>::liquidate_many(
            &FRESH,
            id,
            &[BOB, EVE],
            u128::MAX,
        )
        .unwrap();
        assert_eq!(done.liquidated.len(), 2);
    });
}
