//! The user score and the reward jar: time-weighted balances against hand-computed
//! integrals, the jar's income streamed over the next epoch, weights, slashing, claims.
//!
//! Epochs are 100 blocks; epoch 0's income streams over epoch 1 (blocks 100..200). Default
//! weights: debt 0.8, collateral 0.2, supply 0, per USD unit of value (debt in USD counts one
//! for one; ETH collateral at 2 000 USD per unit, both with 6 decimals).

use super::mock::*;
use crate::{Error, Event, IncomeSource, Jar, ScoreBooks, TotalWeighted, UserScores};
use backstop_primitives::{RewardJar, ScoreHook, Side};
use frame_support::{assert_noop, assert_ok};
use sp_arithmetic::{FixedU128, Perbill};

pub fn set_balance(user: AccountId, market: u32, side: Side, amount: u128) {
    <Backstop as ScoreHook<AccountId>>::on_balance_changed(&user, market, side, amount);
}

fn outside_change(user: AccountId, market: u32, side: Side, actual: u128) {
    <Backstop as ScoreHook<AccountId>>::on_outside_change(&user, market, side, actual);
}

/// KEEPER pays `amount` into the jar.
pub fn income(amount: u128) {
    assert_ok!(<Backstop as RewardJar<AccountId>>::deposit_income(
        &KEEPER, amount
    ));
}

fn claim(who: AccountId) -> u128 {
    let before = balance(USD, who);
    assert_ok!(Backstop::claim(RuntimeOrigin::signed(who)));
    balance(USD, who) - before
}

#[test]
fn score_is_the_weighted_time_integral_of_the_balances() {
    ExtBuilder::default().build_and_execute(|| {
        run_to_block(10);
        set_balance(ALICE, ETH_MARKET, Side::Debt, 1_000);
        run_to_block(20);
        set_balance(BOB, ETH_MARKET, Side::Collateral, 500);
        run_to_block(30);
        set_balance(ALICE, ETH_MARKET, Side::Debt, 3_000);
        run_to_block(40);
        set_balance(ALICE, BTC_MARKET, Side::Supply, 7_000);
        run_to_block(50);
        // ALICE: 0.8 · (1 000 · 20 + 3 000 · 20); supply weighs nothing.
        assert_eq!(Backstop::score_of(&ALICE), 64_000);
        // BOB: 0.2 · (500 · 2 000 USD) · 30.
        assert_eq!(Backstop::score_of(&BOB), 6_000_000);
        // Past an epoch boundary the integral goes on; a zero balance stops it.
        run_to_block(150);
        set_balance(ALICE, ETH_MARKET, Side::Debt, 0);
        run_to_block(170);
        assert_eq!(Backstop::score_of(&ALICE), 64_000 + 2_400 * 100);
        assert_eq!(Backstop::score_of(&CHARLIE), 0);
    });
}

#[test]
fn the_jar_streams_an_epochs_income_over_the_next_by_weighted_balance() {
    ExtBuilder::default().build_and_execute(|| {
        set_balance(ALICE, ETH_MARKET, Side::Debt, 1_000);
        set_balance(BOB, BTC_MARKET, Side::Debt, 500);
        // Weighted: ALICE 800, BOB 400.
        assert_eq!(TotalWeighted::<Test>::get(), 1_200);
        income(1_200 * UNIT);
        assert_eq!(
            last_event(),
            Event::JarFunded {
                source: IncomeSource::Liquidation,
                amount: 1_200 * UNIT
            }
        );
        // Nothing streams during the epoch the income arrives in.
        run_to_block(99);
        assert_eq!(Backstop::claimable(&ALICE), 0);
        run_to_block(150);
        // Half released: ALICE 2/3 of 600, BOB 1/3.
        assert_eq!(Backstop::claimable(&ALICE), 400 * UNIT);
        assert_eq!(Backstop::claimable(&BOB), 200 * UNIT);
        set_balance(ALICE, ETH_MARKET, Side::Debt, 2_000);
        // Weighted: ALICE 1 600, BOB 400: ALICE 4/5 of the second 600.
        run_to_block(200);
        assert_eq!(Backstop::claimable(&ALICE), 880 * UNIT);
        assert_eq!(Backstop::claimable(&BOB), 320 * UNIT);
        assert_eq!(claim(ALICE), 880 * UNIT);
        assert_eq!(
            last_event(),
            Event::Claimed {
                who: ALICE,
                amount: 880 * UNIT
            }
        );
        assert_eq!(claim(BOB), 320 * UNIT);
        // Exactly the income: no dust with these numbers.
        assert_eq!(balance(USD, Backstop::vault_account()), 0);
        assert_noop!(
            Backstop::claim(RuntimeOrigin::signed(ALICE)),
            Error::<Test>::NothingToClaim
        );
        assert_noop!(
            Backstop::claim(RuntimeOrigin::signed(CHARLIE)),
            Error::<Test>::NothingToClaim
        );
    });
}

/// Fuzz finding (runtime/tests/fuzz.rs, seed 35): a claim that left the vault account a
/// remainder below the minimum balance reaped the vault: the remainder vanished from every
/// account while the supply stayed. The vault now keeps the minimum balance; the part of the
/// reward it holds back stays claimable.
#[test]
fn a_claim_does_not_reap_the_vault_with_dust() {
    ExtBuilder::default().build_and_execute(|| {
        set_min_balance(USD, 1_000);
        set_balance(ALICE, ETH_MARKET, Side::Debt, 1_000);
        income(1_000 * UNIT);
        run_to_block(200);
        assert_eq!(Backstop::claimable(&ALICE), 1_000 * UNIT);
        // One unit more in the vault than its books (a donation, or rounding dust).
        assert_ok!(<Assets as frame_support::traits::fungibles::Mutate<
            AccountId,
        >>::transfer(
            USD,
            &CHARLIE,
            &Backstop::vault_account(),
            1,
            frame_support::traits::tokens::Preservation::Expendable
        ));
        assert_eq!(claim(ALICE), 1_000 * UNIT + 1 - 1_000);
        assert_balances_sum_to_supply(USD);
        assert_eq!(balance(USD, Backstop::vault_account()), 1_000);
        assert_eq!(Backstop::claimable(&ALICE), 999);
        // The rest is paid once the vault holds enough.
        income(UNIT);
        assert_eq!(claim(ALICE), 999);
        assert_balances_sum_to_supply(USD);
    });
}

#[test]
fn income_nobody_could_earn_is_streamed_again_next_epoch() {
    ExtBuilder::default().build_and_execute(|| {
        income(1_000 * UNIT);
        run_to_block(150);
        // Nobody scored during 100..150: that half goes back into the jar's income.
        set_balance(ALICE, ETH_MARKET, Side::Debt, 10);
        run_to_block(200);
        assert_eq!(Backstop::claimable(&ALICE), 500 * UNIT);
        assert_eq!(Jar::<Test>::get().stream, 500 * UNIT);
        run_to_block(300);
        assert_eq!(claim(ALICE), 1_000 * UNIT);
    });
}

#[test]
fn claims_sum_to_the_jars_income_minus_dust_that_stays_in_the_jar() {
    ExtBuilder::default().build_and_execute(|| {
        let users: Vec<AccountId> = (300..320).collect();
        let mut paid_in = 0u128;
        let mut seed = 7u128;
        let mut next = |m: u128| {
            seed = (seed * 6_364_136_223 + 1_442_695_040_888_963_407) % 4_294_967_291;
            seed % m
        };
        for block in 1..=450u64 {
            run_to_block(block);
            if block % 7 == 0 {
                let amount = 1 + next(10_000 * UNIT);
                income(amount);
                paid_in += amount;
            }
            let user = users[next(users.len() as u128) as usize];
            let market = [ETH_MARKET, BTC_MARKET][next(2) as usize];
            let side = [Side::Debt, Side::Collateral, Side::Supply][next(3) as usize];
            set_balance(user, market, side, next(1_000_000_000_000));
            if block % 50 == 0 {
                Backstop::do_try_state().expect("invariants hold mid-run");
            }
        }
        // Let every stream run out with nobody changing anything for two epochs.
        run_to_block(700);
        assert_eq!(Jar::<Test>::get().income, 0);
        let mut claimed = 0u128;
        for user in &users {
            if Backstop::claimable(user) > 0 {
                claimed += claim(*user);
            }
        }
        let dust = balance(USD, Backstop::vault_account());
        assert_eq!(claimed + dust, paid_in);
        assert!(claimed > 0);
        // Dust: at most a unit per index step and per settlement.
        assert!(dust <= 2_000, "dust {dust}");
    });
}

#[test]
fn a_weight_change_applies_from_then_on() {
    ExtBuilder::default().build_and_execute(|| {
        set_balance(ALICE, ETH_MARKET, Side::Debt, 1_000);
        set_balance(BOB, BTC_MARKET, Side::Debt, 1_000);
        income(1_600 * UNIT);
        run_to_block(150);
        // Weighted 800 + 800: each earned 400 of the first 800.
        assert_ok!(Backstop::set_score_weight(
            RuntimeOrigin::root(),
            ETH_MARKET,
            Side::Debt,
            FixedU128::from_u32(0)
        ));
        assert_eq!(
            last_event(),
            Event::ScoreWeightSet {
                market: ETH_MARKET,
                side: Side::Debt,
                old: FixedU128::from_rational(8, 10),
                new: FixedU128::from_u32(0)
            }
        );
        assert_eq!(TotalWeighted::<Test>::get(), 800);
        run_to_block(200);
        assert_eq!(Backstop::claimable(&ALICE), 400 * UNIT);
        assert_eq!(Backstop::claimable(&BOB), 1_200 * UNIT);
        assert_noop!(
            Backstop::set_score_weight(
                RuntimeOrigin::root(),
                ETH_MARKET,
                Side::Debt,
                FixedU128::from_u32(1_000_001)
            ),
            Error::<Test>::WeightOutOfBounds
        );
        assert_noop!(
            Backstop::set_score_weight(
                RuntimeOrigin::signed(ALICE),
                ETH_MARKET,
                Side::Debt,
                FixedU128::from_u32(1)
            ),
            sp_runtime::DispatchError::BadOrigin
        );
    });
}

#[test]
fn a_fall_outside_the_avatar_is_slashed() {
    ExtBuilder::default().build_and_execute(|| {
        set_balance(ALICE, ETH_MARKET, Side::Debt, 1_000 * UNIT);
        set_balance(BOB, BTC_MARKET, Side::Debt, 500 * UNIT);
        income(1_200 * UNIT);
        // 12 tokens a block over weighted 1 200 tokens: 0.01 per weighted unit per block.
        run_to_block(120);
        set_balance(ALICE, ETH_MARKET, Side::Debt, 1_000 * UNIT); // a sync without change
        run_to_block(150);
        outside_change(ALICE, ETH_MARKET, Side::Debt, 400 * UNIT);
        // Since the sync (30 blocks) only 400 counted; the 600 lost what they earned since
        // the epoch's start (20 blocks): 600 · 0.8 · 0.2.
        assert_eq!(
            last_event(),
            Event::ScoreSlashed {
                user: ALICE,
                market: ETH_MARKET,
                side: Side::Debt,
                difference: 600 * UNIT,
                lost: 96 * UNIT
            }
        );
        // ALICE keeps what 400 earned all along: 400 · 0.8 · 0.5.
        assert_eq!(Backstop::claimable(&ALICE), 160 * UNIT);
        // The slashed reward and what the 600 would have earned since the sync go back to
        // the jar: 96 + 600 · 0.8 · 0.3.
        assert_eq!(Jar::<Test>::get().income, 96 * UNIT + 144 * UNIT);
        assert_eq!(
            ScoreBooks::<Test>::get((ETH_MARKET, Side::Debt))
                .unwrap()
                .total,
            400 * UNIT
        );
    });
}

#[test]
fn slashing_cannot_take_back_what_was_claimed() {
    ExtBuilder::default().build_and_execute(|| {
        set_balance(ALICE, ETH_MARKET, Side::Debt, 1_000);
        income(1_000 * UNIT);
        run_to_block(150);
        assert_eq!(claim(ALICE), 500 * UNIT);
        outside_change(ALICE, ETH_MARKET, Side::Debt, 0);
        assert_eq!(
            last_event(),
            Event::ScoreSlashed {
                user: ALICE,
                market: ETH_MARKET,
                side: Side::Debt,
                difference: 1_000,
                lost: 0
            }
        );
        assert!(UserScores::<Test>::get(ALICE).unwrap().entries.is_empty());
        // With nobody scoring, the rest of the stream goes back into the jar and streams
        // again over epoch 2.
        run_to_block(200);
        assert_eq!(Jar::<Test>::get().stream, 500 * UNIT);
    });
}

#[test]
fn a_user_has_a_bounded_number_of_entries() {
    ExtBuilder::default().build_and_execute(|| {
        let pairs = [
            (ETH_MARKET, Side::Debt),
            (ETH_MARKET, Side::Collateral),
            (BTC_MARKET, Side::Debt),
            (BTC_MARKET, Side::Collateral),
        ];
        for (market, side) in pairs {
            set_balance(ALICE, market, side, 100);
        }
        set_balance(ALICE, SOL_MARKET, Side::Debt, 100);
        assert_eq!(
            last_event(),
            Event::ScoreEntriesFull {
                user: ALICE,
                market: SOL_MARKET,
                side: Side::Debt
            }
        );
        assert_eq!(
            UserScores::<Test>::get(ALICE).unwrap().entries.len(),
            MAX_USER_ENTRIES as usize
        );
        assert_eq!(ScoreBooks::<Test>::get((SOL_MARKET, Side::Debt)), None);
        // Dropping one to zero frees a slot.
        set_balance(ALICE, ETH_MARKET, Side::Debt, 0);
        set_balance(ALICE, SOL_MARKET, Side::Debt, 100);
        assert_eq!(
            ScoreBooks::<Test>::get((SOL_MARKET, Side::Debt))
                .unwrap()
                .total,
            100
        );
    });
}

#[test]
fn the_avatar_reads_the_user_share_and_pays_income_through_the_jar_trait() {
    ExtBuilder::default().build_and_execute(|| {
        assert_eq!(
            <Backstop as RewardJar<AccountId>>::user_share(),
            Perbill::from_percent(10)
        );
        assert_noop!(
            <Backstop as RewardJar<AccountId>>::deposit_income(&KEEPER, 0),
            Error::<Test>::ZeroAmount
        );
        assert_noop!(
            <Backstop as RewardJar<AccountId>>::deposit_income(&KEEPER, INITIAL + 1),
            sp_runtime::TokenError::FundsUnavailable
        );
    });
}

/// Issue 10, item 7: default weights per smallest unit made one dollar of a cheap 18-decimal
/// collateral score like 10^15 dollars of debt. Books weigh value in stable units (oracle
/// price and decimals), not units.
#[test]
fn one_dollar_of_an_18_decimal_collateral_scores_like_one_dollar_of_debt() {
    ExtBuilder::default().build_and_execute(|| {
        // 0.001 USD per PEPE: one USD is 1 000 PEPE, 10^21 of its smallest units.
        let pepe = create_pepe_market(FixedU128::from_rational(1, 1_000));
        for (market, side) in [(pepe, Side::Collateral), (ETH_MARKET, Side::Debt)] {
            assert_ok!(Backstop::set_score_weight(
                RuntimeOrigin::root(),
                market,
                side,
                FixedU128::from_u32(1)
            ));
        }
        set_balance(ALICE, pepe, Side::Collateral, 10u128.pow(21));
        set_balance(BOB, ETH_MARKET, Side::Debt, UNIT);
        // One USD each, weight 1: one USD of weighted balance each.
        assert_eq!(TotalWeighted::<Test>::get(), 2 * UNIT);
        income(1_000 * UNIT);
        run_to_block(150);
        assert_eq!(Backstop::score_of(&ALICE), 149 * UNIT);
        assert_eq!(Backstop::score_of(&BOB), 149 * UNIT);
        assert_eq!(Backstop::claimable(&ALICE), 250 * UNIT);
        assert_eq!(Backstop::claimable(&BOB), 250 * UNIT);
    });
}

/// A book is valued at its price of the last time it was touched: a price move reaches every
/// balance in the book at the next change in it (O(1): one book, not every user).
#[test]
fn a_books_price_is_refreshed_when_the_book_is_touched() {
    ExtBuilder::default().build_and_execute(|| {
        // ETH at 2 000 USD: 10 ETH of collateral is 20 000 USD, weighted 0.2.
        set_balance(ALICE, ETH_MARKET, Side::Collateral, 10 * UNIT);
        assert_eq!(TotalWeighted::<Test>::get(), 4_000 * UNIT);
        feed_usd(ETH, 1_000);
        // Untouched, the book keeps its price.
        assert_eq!(TotalWeighted::<Test>::get(), 4_000 * UNIT);
        set_balance(BOB, ETH_MARKET, Side::Collateral, 10 * UNIT);
        assert_eq!(TotalWeighted::<Test>::get(), 4_000 * UNIT);
        // Without a fresh price the book keeps the last one.
        advance_time(2 * 3_600_000);
        set_balance(BOB, ETH_MARKET, Side::Collateral, 20 * UNIT);
        assert_eq!(TotalWeighted::<Test>::get(), 6_000 * UNIT);
        // A new book without a fresh price scores nothing until it has one: ETH debt (in
        // the market lending ETH) ...
        set_balance(CHARLIE, ETH_LOAN_MARKET, Side::Debt, 10 * UNIT);
        assert_eq!(TotalWeighted::<Test>::get(), 6_000 * UNIT);
        // ... until ETH is priced again and the book is touched: 10 ETH at 1 000, weight 0.8.
        feed_usd(ETH, 1_000);
        feed_usd(USD, 1);
        set_balance(CHARLIE, ETH_LOAN_MARKET, Side::Debt, 10 * UNIT);
        assert_eq!(TotalWeighted::<Test>::get(), 14_000 * UNIT);
    });
}

/// Issue 10, item 8: slashing was one-sided. A rise outside the avatar (someone supplying or
/// repaying for the user) does not earn retroactively, counts only from the next change
/// through the avatar, and forfeits what the changed part would have earned this epoch.
#[test]
fn a_rise_outside_the_avatar_is_slashed_and_does_not_earn_retroactively() {
    ExtBuilder::default().build_and_execute(|| {
        set_balance(ALICE, ETH_MARKET, Side::Debt, 1_000 * UNIT);
        set_balance(BOB, BTC_MARKET, Side::Debt, 500 * UNIT);
        // Weighted 800 + 400 tokens; 12 tokens a block: 0.01 per weighted unit per block.
        income(1_200 * UNIT);
        run_to_block(120);
        set_balance(ALICE, ETH_MARKET, Side::Debt, 1_000 * UNIT); // a sync without change
        run_to_block(150);
        outside_change(ALICE, ETH_MARKET, Side::Debt, 1_600 * UNIT);
        // The 600 lose what that much earned since the epoch's start (20 blocks):
        // 600 · 0.8 · 0.2.
        assert_eq!(
            last_event(),
            Event::ScoreSlashed {
                user: ALICE,
                market: ETH_MARKET,
                side: Side::Debt,
                difference: 600 * UNIT,
                lost: 96 * UNIT
            }
        );
        // Since the sync only the recorded 1 000 counted: 1 000 · 0.8 · 0.5, less the slash.
        assert_eq!(Backstop::claimable(&ALICE), 400 * UNIT - 96 * UNIT);
        assert_eq!(Jar::<Test>::get().income, 96 * UNIT);
        // The rise is not counted until the next change through the avatar.
        assert_eq!(
            ScoreBooks::<Test>::get((ETH_MARKET, Side::Debt))
                .unwrap()
                .total,
            1_000 * UNIT
        );
        assert_eq!(TotalWeighted::<Test>::get(), 1_200 * UNIT);
        set_balance(ALICE, ETH_MARKET, Side::Debt, 1_600 * UNIT);
        assert_eq!(
            ScoreBooks::<Test>::get((ETH_MARKET, Side::Debt))
                .unwrap()
                .total,
            1_600 * UNIT
        );
        // A user with no entry gains nothing from a rise outside the avatar.
        outside_change(CHARLIE, ETH_MARKET, Side::Debt, 100 * UNIT);
        assert_eq!(UserScores::<Test>::get(CHARLIE), None);
    });
}

/// Whatever the reward per unit, an outside change never costs the user more than the
/// change brought (its value in stable units at the book's price).
#[test]
fn an_outside_slash_never_exceeds_the_value_of_the_change() {
    ExtBuilder::default().build_and_execute(|| {
        // 1 000 units of debt share 1 000 tokens: 10 000 units per unit of debt per block.
        set_balance(ALICE, ETH_MARKET, Side::Debt, 1_000);
        income(1_000 * UNIT);
        run_to_block(120);
        set_balance(ALICE, ETH_MARKET, Side::Debt, 1_000);
        run_to_block(150);
        // One unit repaid (or supplied) outside: worth one unit of USD.
        outside_change(ALICE, ETH_MARKET, Side::Debt, 999);
        assert_eq!(
            last_event(),
            Event::ScoreSlashed {
                user: ALICE,
                market: ETH_MARKET,
                side: Side::Debt,
                difference: 1,
                lost: 1
            }
        );
        outside_change(ALICE, ETH_MARKET, Side::Debt, 1_000);
        assert_eq!(
            last_event(),
            Event::ScoreSlashed {
                user: ALICE,
                market: ETH_MARKET,
                side: Side::Debt,
                difference: 1,
                lost: 1
            }
        );
    });
}

/// Issue 10, item 15: a weight for a market that does not exist created a score book.
#[test]
fn setting_the_weight_of_an_unknown_market_is_refused() {
    ExtBuilder::default().build_and_execute(|| {
        assert_noop!(
            Backstop::set_score_weight(
                RuntimeOrigin::root(),
                42,
                Side::Debt,
                FixedU128::from_u32(1)
            ),
            Error::<Test>::UnknownMarket
        );
        assert_eq!(ScoreBooks::<Test>::get((42, Side::Debt)), None);
    });
}
