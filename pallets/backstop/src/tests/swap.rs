//! Swaps: the curve's quote, the fee, slippage, stale prices, the inventory.

use super::{mock::*, pool_holds_eth, REPAID, SEIZED};
use crate::{Collaterals, Error, Event, PoolParams, StableReserve};
use frame_support::{assert_noop, assert_ok};

/// The pool after `pool_holds_eth`: 91 539.999999 USD and 4.997001 ETH at 1 800 USD.
const POOL_USD: u128 = 100_000 * UNIT - REPAID;
const POOL_ETH: u128 = SEIZED - 2_999;

#[test]
fn a_swap_pays_the_curve_quote() {
    ExtBuilder::default().build_and_execute(|| {
        pool_holds_eth();
        let (charlie_usd, charlie_eth) = (balance(USD, CHARLIE), balance(ETH, CHARLIE));
        // 1 800 USD is worth 1 ETH at the oracle; with 9 % of the pool in ETH and A = 20 the
        // curve pays 1.007788 ETH (worked out independently from mechanisms.md §3).
        assert_eq!(
            Backstop::quote_swap(ETH, 1_800 * UNIT).map(|q| (q.out, q.fee)),
            Ok((1_007_788, 0))
        );
        assert_ok!(Backstop::swap(
            RuntimeOrigin::signed(CHARLIE),
            ETH,
            1_800 * UNIT,
            1_007_788
        ));
        assert_eq!(balance(ETH, CHARLIE), charlie_eth + 1_007_788);
        assert_eq!(balance(USD, CHARLIE), charlie_usd - 1_800 * UNIT);
        assert_eq!(StableReserve::<Test>::get(), POOL_USD + 1_800 * UNIT);
        assert_eq!(
            Collaterals::<Test>::get().get(&ETH).copied(),
            Some(POOL_ETH - 1_007_788)
        );
        assert_eq!(
            last_event(),
            Event::Swapped {
                who: CHARLIE,
                asset: ETH,
                stable_in: 1_800 * UNIT,
                out: 1_007_788,
                fee: 0
            }
        );
    });
}

#[test]
fn a_larger_amplification_pays_less() {
    ExtBuilder::default().build_and_execute(|| {
        pool_holds_eth();
        set_params(PoolParams {
            amplification: 200,
            ..Default::default()
        });
        assert_eq!(
            Backstop::quote_swap(ETH, 1_800 * UNIT).map(|q| q.out),
            Ok(1_000_811)
        );
    });
}

#[test]
fn the_fee_goes_to_the_fee_account_and_the_jar() {
    ExtBuilder::default().build_and_execute(|| {
        pool_holds_eth();
        set_params(PoolParams {
            fee_bps: 100,
            ..Default::default()
        });
        let fees = balance(USD, FEE_ACCOUNT);
        let vault = balance(USD, Backstop::vault_account());
        assert_ok!(Backstop::swap(
            RuntimeOrigin::signed(CHARLIE),
            ETH,
            1_800 * UNIT,
            0
        ));
        // The 18 USD fee: half (the default `fee_share`) to the jar, half to the fee account.
        assert_eq!(balance(USD, FEE_ACCOUNT), fees + 9 * UNIT);
        assert_eq!(balance(USD, Backstop::vault_account()), vault + 9 * UNIT);
        assert_eq!(crate::Jar::<Test>::get().income, 9 * UNIT);
        assert_eq!(StableReserve::<Test>::get(), POOL_USD + 1_782 * UNIT);
        assert_eq!(
            Collaterals::<Test>::get().get(&ETH).copied(),
            Some(POOL_ETH - 1_007_788)
        );
    });
}

#[test]
fn buying_the_whole_inventory_empties_the_asset() {
    ExtBuilder::default().build_and_execute(|| {
        pool_holds_eth();
        // 20 000 USD would buy more than the pool holds: it gets all 4.997001 ETH.
        assert_ok!(Backstop::swap(
            RuntimeOrigin::signed(CHARLIE),
            ETH,
            20_000 * UNIT,
            0
        ));
        assert!(Collaterals::<Test>::get().is_empty());
        assert_eq!(balance(ETH, pool()), 0);
        assert_noop!(
            Backstop::swap(RuntimeOrigin::signed(CHARLIE), ETH, UNIT, 0),
            Error::<Test>::UnknownCollateral
        );
    });
}

/// Fuzz finding (runtime/tests/fuzz.rs, seed 1006): ETH dust donated to the pool account and
/// a swap buying the whole booked holding. The pool's account was left below the minimum
/// balance and reaped: the dust vanished from every account while the supply stayed.
#[test]
fn a_swap_does_not_reap_the_pool_account_with_donated_dust() {
    ExtBuilder::default().build_and_execute(|| {
        pool_holds_eth();
        set_min_balance(ETH, 1_000);
        assert_ok!(<Assets as frame_support::traits::fungibles::Mutate<
            AccountId,
        >>::transfer(
            ETH,
            &CHARLIE,
            &pool(),
            400,
            frame_support::traits::tokens::Preservation::Expendable
        ));
        let (charlie_usd, charlie_eth) = (balance(USD, CHARLIE), balance(ETH, CHARLIE));
        assert_ok!(Backstop::swap(
            RuntimeOrigin::signed(CHARLIE),
            ETH,
            20_000 * UNIT,
            0
        ));
        assert_balances_sum_to_supply(ETH);
        // The pool keeps the minimum balance: 400 donated and 600 of its booked holding.
        assert_eq!(balance(ETH, pool()), 1_000);
        assert_eq!(Collaterals::<Test>::get().get(&ETH).copied(), Some(600));
        assert_eq!(balance(ETH, CHARLIE), charlie_eth + POOL_ETH - 600);
        // Charged the curve's price of what it bought: within the offer, and at least its
        // oracle value less the maximum discount (4 %).
        let paid = charlie_usd - balance(USD, CHARLIE);
        assert!(paid < 20_000 * UNIT);
        assert!(paid >= (POOL_ETH - 600) * 1_800 * 96 / 100, "paid {paid}");
    });
}

#[test]
fn swap_errors_change_nothing() {
    ExtBuilder::default().build_and_execute(|| {
        pool_holds_eth();
        let origin = || RuntimeOrigin::signed(CHARLIE);
        assert_noop!(
            Backstop::swap(origin(), ETH, 1_800 * UNIT, 1_007_789),
            Error::<Test>::Slippage
        );
        assert_noop!(
            Backstop::swap(origin(), ETH, 0, 0),
            Error::<Test>::ZeroAmount
        );
        // One USD unit buys less than one ETH unit.
        assert_noop!(
            Backstop::swap(origin(), ETH, 1, 0),
            Error::<Test>::SwapTooSmall
        );
        assert_noop!(
            Backstop::swap(origin(), BTC, UNIT, 0),
            Error::<Test>::UnknownCollateral
        );
        assert_noop!(
            Backstop::swap(RuntimeOrigin::signed(ADMIN), ETH, 1_800 * UNIT, 0),
            Error::<Test>::InsufficientBalance
        );
        assert_noop!(
            Backstop::swap(RuntimeOrigin::none(), ETH, 1_800 * UNIT, 0),
            sp_runtime::DispatchError::BadOrigin
        );
        advance_time(3_600_001);
        feed_usd(USD, 1);
        assert_noop!(
            Backstop::swap(origin(), ETH, 1_800 * UNIT, 0),
            Error::<Test>::OracleStale
        );
    });
}

#[test]
fn an_asset_without_a_price_has_none() {
    ExtBuilder::default().build_and_execute(|| {
        assert!(matches!(
            Backstop::fresh_price(DOGE),
            Err(Error::<Test>::PriceMissing)
        ));
        assert!(Backstop::fresh_price(ETH).is_ok());
    });
}

#[test]
fn swap_amounts_beyond_the_balance_get_the_pallets_own_error() {
    ExtBuilder::default().build_and_execute(|| {
        pool_holds_eth();
        let origin = || RuntimeOrigin::signed(CHARLIE);
        assert_noop!(
            Backstop::swap(origin(), ETH, 0, 0),
            Error::<Test>::ZeroAmount
        );
        for amount in [INITIAL + 1, 1u128 << 127, u128::MAX] {
            assert_noop!(
                Backstop::swap(origin(), ETH, amount, 0),
                Error::<Test>::InsufficientBalance
            );
        }
    });
}

/// What CHARLIE pays for the whole inventory when offering `offered`: (stable paid, fee).
fn buy_everything(offered: u128, fee_bps: u32) -> (u128, u128) {
    let mut paid = (0, 0);
    ExtBuilder::default().build_and_execute(|| {
        pool_holds_eth();
        set_params(PoolParams {
            fee_bps,
            ..Default::default()
        });
        let (usd, eth) = (balance(USD, CHARLIE), balance(ETH, CHARLIE));
        assert_ok!(Backstop::swap(
            RuntimeOrigin::signed(CHARLIE),
            ETH,
            offered,
            0
        ));
        assert_eq!(balance(ETH, CHARLIE), eth + POOL_ETH);
        assert!(Collaterals::<Test>::get().is_empty());
        let fee = match last_event() {
            Event::Swapped {
                stable_in,
                out,
                fee,
                ..
            } => {
                assert_eq!(out, POOL_ETH);
                assert_eq!(stable_in, usd - balance(USD, CHARLIE));
                fee
            }
            other => panic!("{other:?}"),
        };
        paid = (usd - balance(USD, CHARLIE), fee);
    });
    paid
}

#[test]
fn a_clamped_swap_charges_only_what_the_inventory_costs() {
    // 100 000 USD offered for 4.997001 ETH worth 8 994.6018 USD at 1 800.
    let (paid, _) = buy_everything(100_000 * UNIT, 0);
    let worth = POOL_ETH * 1_800;
    assert_eq!(worth, 8_994_601_800);
    // At most the oracle value, at least that value less the 4 % max discount.
    assert!(paid <= worth, "{paid}");
    assert!(paid * 10_400 >= worth * 10_000, "{paid}");
    // Exactly the curve's price: one unit less buys less than the whole inventory, what was
    // charged buys all of it, and offering exactly that charges the same.
    ExtBuilder::default().build_and_execute(|| {
        pool_holds_eth();
        assert_eq!(Backstop::quote_swap(ETH, paid).map(|q| q.out), Ok(POOL_ETH));
        assert!(Backstop::quote_swap(ETH, paid - 1).unwrap().out < POOL_ETH);
    });
    assert_eq!(buy_everything(paid, 0).0, paid);
}

#[test]
fn a_clamped_swap_takes_the_fee_on_the_charged_part() {
    let (paid, fee) = buy_everything(100_000 * UNIT, 100);
    assert!(paid < 9_000 * UNIT, "{paid}");
    assert_eq!(fee, paid / 100);
    assert_eq!(buy_everything(paid, 0).0, paid);
}

mod clamped_charge {
    use crate::curve::{input_for, quote};
    use proptest::prelude::*;

    const E18: u128 = 1_000_000_000_000_000_000;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// What a clamped swap charges buys the whole holding, one unit less does not, and it
        /// is never more than what was offered.
        #[test]
        fn the_clamped_charge_is_the_least_input_that_buys_the_holding(
            s in 1_000_000u128..100_000_000_000_000,
            c in 1u128..1_000_000_000_000,
            p_milli in 1u128..10_000_000,
            a in 20u128..=200,
            max_discount in 0u128..=1_000,
            q_max in 1u128..1_000_000_000_000_000,
        ) {
            let p = p_milli * E18 / 1_000;
            let buys = |q: u128| quote(s, c, p, a, max_discount, 0, q).map(|x| x.out);
            match input_for(c, s, c, p, a, max_discount, q_max) {
                Some(q) => {
                    prop_assert!(q <= q_max);
                    prop_assert_eq!(buys(q), Some(c));
                    prop_assert!(buys(q - 1).is_none_or(|out| out < c));
                    // Never below the holding's value at the largest discount.
                    let floor = c * p / E18 * 10_000 / (10_000 + max_discount);
                    prop_assert!(q >= floor, "{q} < {floor}");
                }
                None => prop_assert!(buys(q_max).is_none_or(|out| out < c)),
            }
        }
    }
}
