//! Amounts a payer cannot pay: `supply`, `supply_collateral` and `repay` refuse them with the
//! pallet's own `InsufficientBalance` before any transfer (pallet-assets' `Token` and
//! `Arithmetic` errors never reach the caller), both as calls and through [`LendingMarket`],
//! which is how the avatar pallet supplies and repays for its users.

use super::mock::*;
use crate::{Error, Positions};
use backstop_primitives::LendingMarket;
use frame_support::{assert_noop, assert_ok};

/// The amounts every call is tried with that the payer (holding `INITIAL`) cannot pay.
const BEYOND_BALANCE: [u128; 3] = [INITIAL + 1, 1 << 127, u128::MAX];

#[test]
fn supply_beyond_the_balance_is_insufficient_balance_not_a_token_error() {
    ExtBuilder::default().build_and_execute(|| {
        let id = create_market();
        assert_noop!(
            Lending::supply(RuntimeOrigin::signed(ALICE), id, 0),
            Error::<Test>::ZeroAmount
        );
        for amount in BEYOND_BALANCE {
            assert_noop!(
                Lending::supply(RuntimeOrigin::signed(ALICE), id, amount),
                Error::<Test>::InsufficientBalance
            );
            assert_noop!(
                <Lending as LendingMarket<AccountId>>::supply(&ALICE, id, &BOB, amount),
                Error::<Test>::InsufficientBalance
            );
        }
        // The whole balance is fine.
        assert_ok!(Lending::supply(RuntimeOrigin::signed(ALICE), id, INITIAL));
        assert_eq!(balance(USD, ALICE), 0);
    });
}

#[test]
fn supply_collateral_beyond_the_balance_is_insufficient_balance_not_an_underflow() {
    ExtBuilder::default().build_and_execute(|| {
        let id = create_market();
        assert_noop!(
            Lending::supply_collateral(RuntimeOrigin::signed(BOB), id, 0),
            Error::<Test>::ZeroAmount
        );
        for amount in BEYOND_BALANCE {
            assert_noop!(
                Lending::supply_collateral(RuntimeOrigin::signed(BOB), id, amount),
                Error::<Test>::InsufficientBalance
            );
            assert_noop!(
                <Lending as LendingMarket<AccountId>>::supply_collateral(&BOB, id, &ALICE, amount),
                Error::<Test>::InsufficientBalance
            );
        }
        assert_ok!(Lending::supply_collateral(
            RuntimeOrigin::signed(BOB),
            id,
            INITIAL
        ));
        assert_eq!(Positions::<Test>::get(id, BOB).collateral, INITIAL);
    });
}

#[test]
fn repay_beyond_the_balance_is_insufficient_balance_not_a_token_error() {
    ExtBuilder::default()
        .with_accounts([EVE + 1])
        .build_and_execute(|| {
            let id = create_market();
            assert_ok!(Lending::supply(
                RuntimeOrigin::signed(ALICE),
                id,
                1_000 * UNIT
            ));
            assert_ok!(Lending::supply_collateral(
                RuntimeOrigin::signed(BOB),
                id,
                1_000 * UNIT
            ));
            assert_ok!(Lending::borrow(RuntimeOrigin::signed(BOB), id, 500 * UNIT));
            // A payer holding 100 USD, less than the 500 owed.
            let poor = EVE + 1;
            assert_ok!(<Assets as frame_support::traits::fungibles::Mutate<
                AccountId,
            >>::transfer(
                USD,
                &poor,
                &CHARLIE,
                INITIAL - 100 * UNIT,
                frame_support::traits::tokens::Preservation::Expendable,
            ));
            assert_noop!(
                Lending::repay(RuntimeOrigin::signed(poor), id, BOB, 0),
                Error::<Test>::ZeroAmount
            );
            // More than it holds, and amounts that cap at the whole debt, which is more than
            // it holds as well.
            for amount in [100 * UNIT + 1, 1 << 127, u128::MAX] {
                assert_noop!(
                    Lending::repay(RuntimeOrigin::signed(poor), id, BOB, amount),
                    Error::<Test>::InsufficientBalance
                );
                assert_noop!(
                    <Lending as LendingMarket<AccountId>>::repay(&poor, id, &BOB, amount),
                    Error::<Test>::InsufficientBalance
                );
            }
            // What it holds it may pay.
            assert_ok!(Lending::repay(
                RuntimeOrigin::signed(poor),
                id,
                BOB,
                100 * UNIT
            ));
            // A payer who can cover the debt repays all of it with 2^127 or u128::MAX: the
            // amount is capped at the debt, and only the debt must be covered.
            assert_ok!(Lending::repay(
                RuntimeOrigin::signed(CHARLIE),
                id,
                BOB,
                1 << 127
            ));
            assert_eq!(Positions::<Test>::get(id, BOB).borrow_shares, 0);
            assert_ok!(Lending::borrow(RuntimeOrigin::signed(BOB), id, 10 * UNIT));
            let before = balance(USD, CHARLIE);
            assert_ok!(Lending::repay(
                RuntimeOrigin::signed(CHARLIE),
                id,
                BOB,
                u128::MAX
            ));
            assert_eq!(Positions::<Test>::get(id, BOB).borrow_shares, 0);
            // Debt rounds up: at most one unit above what was borrowed.
            let paid = before - balance(USD, CHARLIE);
            assert!((10 * UNIT..=10 * UNIT + 1).contains(&paid));
        });
}
