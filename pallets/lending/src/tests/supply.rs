//! Supplying and withdrawing the loan asset: shares at the virtual rate, rounding, liquidity.

use super::mock::*;
use crate::{Error, Event, Markets, Positions};
use backstop_primitives::LendingMarket;
use frame_support::{assert_noop, assert_ok};

#[test]
fn supply_mints_shares_at_the_virtual_rate() {
    ExtBuilder::default().build_and_execute(|| {
        let id = create_market();
        assert_ok!(Lending::supply(
            RuntimeOrigin::signed(ALICE),
            id,
            100 * UNIT
        ));
        // Empty market: shares = assets · (0 + 10^6) / (0 + 1).
        assert_eq!(
            Positions::<Test>::get(id, ALICE).supply_shares,
            100 * UNIT * 1_000_000
        );
        let market = Markets::<Test>::get(id).unwrap();
        assert_eq!(market.total_supply_assets, 100 * UNIT);
        assert_eq!(market.total_supply_shares, 100 * UNIT * 1_000_000);
        assert_eq!(balance(USD, ALICE), INITIAL - 100 * UNIT);
        assert_eq!(balance(USD, pallet_account()), 100 * UNIT);
        assert_eq!(
            last_lending_event(),
            Event::Supplied {
                market: id,
                payer: ALICE,
                on_behalf_of: ALICE,
                assets: 100 * UNIT,
                shares: 100 * UNIT * 1_000_000,
            }
        );
        assert_eq!(
            Lending::position_info(id, &ALICE).unwrap().supply_assets,
            100 * UNIT
        );
    });
}

#[test]
fn supply_on_behalf_of_another_account() {
    ExtBuilder::default().build_and_execute(|| {
        let id = create_market();
        let shares =
            <Lending as LendingMarket<AccountId>>::supply(&ALICE, id, &BOB, 5 * UNIT).unwrap();
        assert_eq!(shares, 5 * UNIT * 1_000_000);
        assert_eq!(Positions::<Test>::get(id, BOB).supply_shares, shares);
        assert!(!Positions::<Test>::contains_key(id, ALICE));
        assert_eq!(balance(USD, ALICE), INITIAL - 5 * UNIT);
        assert_eq!(balance(USD, BOB), INITIAL);
    });
}

#[test]
fn supply_rejects_bad_input() {
    ExtBuilder::default().build_and_execute(|| {
        let id = create_market();
        assert_noop!(
            Lending::supply(RuntimeOrigin::signed(ALICE), id, 0),
            Error::<Test>::ZeroAmount
        );
        assert_noop!(
            Lending::supply(RuntimeOrigin::signed(ALICE), id, INITIAL + 1),
            Error::<Test>::InsufficientBalance
        );
    });
}

#[test]
fn withdraw_burns_shares_rounded_up() {
    ExtBuilder::default().build_and_execute(|| {
        let id = create_market();
        assert_ok!(Lending::supply(
            RuntimeOrigin::signed(ALICE),
            id,
            100 * UNIT
        ));
        assert_ok!(Lending::withdraw(
            RuntimeOrigin::signed(ALICE),
            id,
            40 * UNIT
        ));
        assert_eq!(
            Positions::<Test>::get(id, ALICE).supply_shares,
            60 * UNIT * 1_000_000
        );
        assert_eq!(balance(USD, ALICE), INITIAL - 60 * UNIT);
        assert_eq!(
            last_lending_event(),
            Event::Withdrawn {
                market: id,
                owner: ALICE,
                receiver: ALICE,
                assets: 40 * UNIT,
                shares: 40 * UNIT * 1_000_000,
            }
        );
        // Withdrawing everything removes the position.
        assert_ok!(Lending::withdraw(
            RuntimeOrigin::signed(ALICE),
            id,
            60 * UNIT
        ));
        assert!(!Positions::<Test>::contains_key(id, ALICE));
        assert_eq!(balance(USD, ALICE), INITIAL);
    });
}

#[test]
fn withdraw_to_another_receiver_through_the_trait() {
    ExtBuilder::default().build_and_execute(|| {
        let id = create_market();
        assert_ok!(Lending::supply(RuntimeOrigin::signed(ALICE), id, 10 * UNIT));
        assert_ok!(<Lending as LendingMarket<AccountId>>::withdraw(
            &ALICE,
            id,
            3 * UNIT,
            &BOB
        ));
        assert_eq!(balance(USD, BOB), INITIAL + 3 * UNIT);
        assert_eq!(
            <Lending as LendingMarket<AccountId>>::supply_shares_value(
                id,
                Positions::<Test>::get(id, ALICE).supply_shares
            ),
            Ok(7 * UNIT)
        );
    });
}

#[test]
fn withdraw_rejects_bad_input() {
    ExtBuilder::default().build_and_execute(|| {
        let id = create_market();
        assert_ok!(Lending::supply(
            RuntimeOrigin::signed(ALICE),
            id,
            100 * UNIT
        ));
        assert_ok!(Lending::supply(
            RuntimeOrigin::signed(CHARLIE),
            id,
            100 * UNIT
        ));
        assert_noop!(
            Lending::withdraw(RuntimeOrigin::signed(ALICE), id, 0),
            Error::<Test>::ZeroAmount
        );
        // More than one's own supply, though the market holds it.
        assert_noop!(
            Lending::withdraw(RuntimeOrigin::signed(ALICE), id, 100 * UNIT + 1),
            Error::<Test>::SupplyExceeded
        );
        assert_noop!(
            Lending::withdraw(RuntimeOrigin::signed(BOB), id, 1),
            Error::<Test>::SupplyExceeded
        );
        // Borrowed liquidity cannot be withdrawn.
        assert_ok!(Lending::supply_collateral(
            RuntimeOrigin::signed(BOB),
            id,
            1_000 * UNIT
        ));
        assert_ok!(Lending::borrow(RuntimeOrigin::signed(BOB), id, 150 * UNIT));
        assert_eq!(
            <Lending as LendingMarket<AccountId>>::available_liquidity(id),
            Ok(50 * UNIT)
        );
        assert_noop!(
            Lending::withdraw(RuntimeOrigin::signed(ALICE), id, 51 * UNIT),
            Error::<Test>::InsufficientLiquidity
        );
        assert_ok!(Lending::withdraw(
            RuntimeOrigin::signed(ALICE),
            id,
            50 * UNIT
        ));
    });
}

#[test]
fn a_donation_does_not_inflate_the_share_price() {
    ExtBuilder::default().build_and_execute(|| {
        let id = create_market();
        // The attacker supplies one unit, then donates a lot to the pallet account directly.
        assert_ok!(Lending::supply(RuntimeOrigin::signed(EVE), id, 1));
        assert_ok!(<Assets as frame_support::traits::fungibles::Mutate<
            AccountId,
        >>::transfer(
            USD,
            &EVE,
            &pallet_account(),
            1_000 * UNIT,
            frame_support::traits::tokens::Preservation::Expendable
        ));
        // The donation is not counted: the victim still gets 10^6 shares per unit.
        assert_ok!(Lending::supply(RuntimeOrigin::signed(ALICE), id, 10 * UNIT));
        assert_eq!(
            Positions::<Test>::get(id, ALICE).supply_shares,
            10 * UNIT * 1_000_000
        );
        assert_eq!(
            Lending::position_info(id, &ALICE).unwrap().supply_assets,
            10 * UNIT
        );
    });
}
