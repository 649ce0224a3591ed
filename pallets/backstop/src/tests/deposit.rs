//! Deposits: share minting, first-deposit protection, donations, oracle checks.

use super::{mock::*, pool_holds_eth, CRASH_PRICE, REPAID, SEIZED};
use crate::{Collaterals, Error, Event, SharesOf, StableReserve, TotalShares};
use frame_support::{assert_noop, assert_ok, traits::fungibles::Mutate};
use sp_arithmetic::FixedPointNumber;

#[test]
fn first_deposit_mints_scaled_shares_and_locks_the_minimum() {
    ExtBuilder::default().build_and_execute(|| {
        assert_ok!(Backstop::deposit(
            RuntimeOrigin::signed(ALICE),
            1_000 * UNIT
        ));
        // 1 000 USD = 10^9 units · 10^6 = 10^15 shares, 10^9 of them locked in the pool.
        assert_eq!(TotalShares::<Test>::get(), 1_000_000_000_000_000);
        assert_eq!(
            Backstop::shares_of(&ALICE),
            1_000_000_000_000_000 - MINIMUM_SHARES
        );
        assert_eq!(Backstop::shares_of(&pool()), MINIMUM_SHARES);
        assert_eq!(StableReserve::<Test>::get(), 1_000 * UNIT);
        assert_eq!(balance(USD, pool()), 1_000 * UNIT);
        assert_eq!(balance(USD, ALICE), INITIAL - 1_000 * UNIT);
        assert_eq!(
            last_event(),
            Event::Deposited {
                who: ALICE,
                amount: 1_000 * UNIT,
                shares: 1_000_000_000_000_000 - MINIMUM_SHARES
            }
        );
    });
}

#[test]
fn later_deposits_mint_pro_rata() {
    ExtBuilder::default().build_and_execute(|| {
        deposit(ALICE, 1_000 * UNIT);
        deposit(BOB, 500 * UNIT);
        assert_eq!(Backstop::shares_of(&BOB), 500_000_000_000_000);
        assert_eq!(TotalShares::<Test>::get(), 1_500_000_000_000_000);
        assert_eq!(Backstop::pool_value(), Ok(1_500 * UNIT));
        // One share is worth 10^-6 USD units.
        assert_eq!(
            Backstop::share_price(),
            Ok(sp_arithmetic::FixedU128::from_rational(1, 1_000_000))
        );
        assert_eq!(Backstop::value_of(&BOB), Ok(500 * UNIT));
    });
}

#[test]
fn deposit_errors_change_nothing() {
    ExtBuilder::default().build_and_execute(|| {
        assert_noop!(
            Backstop::deposit(RuntimeOrigin::signed(ALICE), 0),
            Error::<Test>::ZeroAmount
        );
        // A first deposit must mint more than the locked minimum: 1 000 units mint exactly it.
        assert_noop!(
            Backstop::deposit(RuntimeOrigin::signed(ALICE), 1_000),
            Error::<Test>::DepositTooSmall
        );
        assert_noop!(
            Backstop::deposit(RuntimeOrigin::signed(ALICE), 999),
            Error::<Test>::DepositTooSmall
        );
        assert_noop!(
            Backstop::deposit(RuntimeOrigin::none(), UNIT),
            sp_runtime::DispatchError::BadOrigin
        );
    });
}

#[test]
fn a_donation_does_not_move_the_share_price() {
    ExtBuilder::default().build_and_execute(|| {
        deposit(ALICE, 1_000 * UNIT);
        let before = Backstop::share_price();
        // ALICE sends 1 000 000 USD straight to the pool account: the books ignore it.
        assert_ok!(<Assets as Mutate<AccountId>>::transfer(
            USD,
            &ALICE,
            &pool(),
            1_000_000 * UNIT,
            frame_support::traits::tokens::Preservation::Expendable
        ));
        assert_eq!(Backstop::share_price(), before);
        deposit(BOB, 1_001 * UNIT);
        assert_eq!(Backstop::shares_of(&BOB), 1_001 * UNIT * 1_000_000);
    });
}

#[test]
fn a_tiny_deposit_into_a_valuable_pool_is_refused() {
    ExtBuilder::default().build_and_execute(|| {
        pool_holds_eth();
        // Value ETH at 10^11 USD: the pool (about 5 · 10^17 units) is worth more than its
        // 10^17 shares, so one unit would mint zero shares.
        feed_price(
            ETH,
            sp_arithmetic::FixedU128::saturating_from_integer(100_000_000_000u128),
        );
        assert_noop!(
            Backstop::deposit(RuntimeOrigin::signed(BOB), 1),
            Error::<Test>::DepositTooSmall
        );
    });
}

#[test]
fn deposits_are_priced_at_the_value_rounded_up() {
    ExtBuilder::default().build_and_execute(|| {
        pool_holds_eth();
        let total = TotalShares::<Test>::get();
        let eth = Collaterals::<Test>::get().get(&ETH).copied().unwrap();
        let keeper_fee = SEIZED - eth;
        // Gain 5 − 8 460.000001 / 1 800 = 0.299999 ETH (rounded against the keeper), 1 %.
        assert_eq!(keeper_fee, 2_999);
        let stable = 100_000 * UNIT - REPAID;
        assert_eq!(StableReserve::<Test>::get(), stable);
        // ETH value 4.997001 · 1 800 = 8 994.6018 USD exactly.
        let value = stable + eth * u128::from(CRASH_PRICE);
        assert_eq!(Backstop::pool_value(), Ok(value));
        deposit(BOB, 10_000 * UNIT);
        assert_eq!(Backstop::shares_of(&BOB), total * (10_000 * UNIT) / value);
    });
}

#[test]
fn deposits_need_fresh_prices_for_held_collateral() {
    ExtBuilder::default().build_and_execute(|| {
        pool_holds_eth();
        advance_time(3_600_001);
        // USD is fed again, ETH is not: its price is an hour and a millisecond old.
        feed_usd(USD, 1);
        assert_noop!(
            Backstop::deposit(RuntimeOrigin::signed(BOB), 1_000 * UNIT),
            Error::<Test>::OracleStale
        );
        feed_usd(ETH, CRASH_PRICE);
        assert_ok!(Backstop::deposit(RuntimeOrigin::signed(BOB), 1_000 * UNIT));
        assert!(SharesOf::<Test>::get(BOB).is_some());
    });
}

#[test]
fn deposit_amounts_beyond_the_balance_get_the_pallets_own_error() {
    ExtBuilder::default().build_and_execute(|| {
        let origin = || RuntimeOrigin::signed(ALICE);
        // Into an empty pool (the first deposit) and into a pool with shares.
        for _ in 0..2 {
            assert_noop!(Backstop::deposit(origin(), 0), Error::<Test>::ZeroAmount);
            for amount in [INITIAL + 1, 1u128 << 127, u128::MAX] {
                assert_noop!(
                    Backstop::deposit(origin(), amount),
                    Error::<Test>::InsufficientBalance
                );
            }
            deposit(BOB, 1_000 * UNIT);
        }
    });
}

/// The exact value of the pool's lent stable in 10^-6 units (rounded down), from the market's
/// own conversion of a million times the shares.
fn lent_value_micro() -> u128 {
    use backstop_primitives::LendingMarket;
    Lending::supply_shares_value(ETH_MARKET, crate::LentShares::<Test>::get() * 1_000_000).unwrap()
}

#[test]
fn a_deposit_with_lent_stable_rounds_its_value_up() {
    ExtBuilder::default().build_and_execute(|| {
        set_params(crate::PoolParams {
            lend_fraction: sp_arithmetic::Perbill::from_percent(50),
            ..Default::default()
        });
        deposit(ALICE, 100_000 * UNIT);
        // Interest makes the lent stable worth a fraction of a unit more than a whole number.
        open_position(BORROWER_1, ETH_MARKET, 10 * UNIT, 12_000 * UNIT);
        advance_time(86_400_000 + 12_345);
        feed_usd(USD, 1);
        feed_usd(ETH, 2_000);
        let micro = lent_value_micro();
        assert_ne!(micro % 1_000_000, 0, "the lent value must have a fraction");
        let idle = StableReserve::<Test>::get();
        let total = TotalShares::<Test>::get();
        let amount = 100_000 * UNIT;
        deposit(BOB, amount);
        let minted = Backstop::shares_of(&BOB);
        // The pool's exact value (in 10^-6 units) is at least `idle · 10^6 + micro`: BOB's
        // shares may not be worth more than he paid at it.
        use sp_core::U256;
        let exact_value = U256::from(idle) * U256::from(1_000_000u128) + U256::from(micro);
        assert!(
            U256::from(minted) * exact_value
                <= U256::from(total) * U256::from(amount) * U256::from(1_000_000u128),
            "the deposit was priced below the pool's value"
        );
    });
}
