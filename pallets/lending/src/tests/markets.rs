//! Market creation: governance only, bounded parameters, the derived LIF.

use super::mock::*;
use crate::{Error, Event, JumpRateModel, Markets, NextMarketId};
use frame_support::{assert_noop, assert_ok};
use sp_arithmetic::{FixedU128, Perbill};
use sp_runtime::DispatchError;

#[test]
fn governance_creates_a_market() {
    ExtBuilder::default().build_and_execute(|| {
        assert_ok!(Lending::create_market(
            RuntimeOrigin::root(),
            USD,
            ETH,
            Perbill::from_percent(80),
            rate_model()
        ));
        let market = Markets::<Test>::get(0).unwrap();
        assert_eq!((market.loan_asset, market.collateral_asset), (USD, ETH));
        assert_eq!(market.lltv, Perbill::from_percent(80));
        // 1 / (0.3 · 0.8 + 0.7) = 1 / 0.94, rounded down.
        assert_eq!(market.lif, FixedU128::from_inner(1_063_829_787_234_042_553));
        assert_eq!(market.last_update, GENESIS_MS);
        assert_eq!(market.total_supply_assets + market.total_borrow_shares, 0);
        assert_eq!(NextMarketId::<Test>::get(), 1);
        assert_eq!(
            last_lending_event(),
            Event::MarketCreated {
                market: 0,
                loan_asset: USD,
                collateral_asset: ETH,
                lltv: Perbill::from_percent(80),
                lif: FixedU128::from_inner(1_063_829_787_234_042_553),
                irm: rate_model(),
            }
        );
        // A second market gets the next id; a low lltv caps the LIF at 1.15.
        assert_ok!(Lending::create_market(
            RuntimeOrigin::root(),
            ETH,
            USD,
            Perbill::from_percent(50),
            rate_model()
        ));
        assert_eq!(
            Markets::<Test>::get(1).unwrap().lif,
            FixedU128::from_rational(115, 100)
        );
    });
}

#[test]
fn genesis_creates_markets() {
    ExtBuilder::default()
        .with_market(USD, ETH, Perbill::from_percent(80))
        .with_market(ETH, USD, Perbill::from_percent(50))
        .build_and_execute(|| {
            assert_eq!(NextMarketId::<Test>::get(), 2);
            let market = Markets::<Test>::get(1).unwrap();
            assert_eq!((market.loan_asset, market.collateral_asset), (ETH, USD));
            assert_eq!(market.last_update, 0);
            // The first interaction starts the clock; no debt, so no interest.
            assert_ok!(Lending::supply(RuntimeOrigin::signed(ALICE), 0, UNIT));
            let market = Markets::<Test>::get(0).unwrap();
            assert_eq!(market.last_update, GENESIS_MS);
            assert_eq!(market.total_supply_assets, UNIT);
        });
}

#[test]
#[should_panic(expected = "invalid genesis market")]
fn genesis_rejects_invalid_markets() {
    ExtBuilder::default()
        .with_market(USD, USD, Perbill::from_percent(80))
        .build();
}

#[test]
fn only_governance_creates_markets() {
    ExtBuilder::default().build_and_execute(|| {
        assert_noop!(
            Lending::create_market(
                RuntimeOrigin::signed(ALICE),
                USD,
                ETH,
                Perbill::from_percent(80),
                rate_model()
            ),
            DispatchError::BadOrigin
        );
    });
}

/// The emergency origin may only make the system safer; a new market only adds risk (and a
/// market's parameters never change), so it can do nothing here.
#[test]
fn the_emergency_origin_cannot_create_a_market() {
    ExtBuilder::default().build_and_execute(|| {
        assert_noop!(
            Lending::create_market(
                RuntimeOrigin::signed(EMERGENCY),
                USD,
                ETH,
                Perbill::from_percent(80),
                rate_model()
            ),
            Error::<Test>::EmergencyCannotLoosen
        );
    });
}

#[test]
fn market_parameters_are_checked() {
    ExtBuilder::default().build_and_execute(|| {
        let create = |loan, collateral, lltv, irm| {
            Lending::create_market(RuntimeOrigin::root(), loan, collateral, lltv, irm)
        };
        let lltv = Perbill::from_percent(80);
        assert_noop!(
            create(USD, USD, lltv, rate_model()),
            Error::<Test>::SameAsset
        );
        assert_noop!(
            create(USD, 99, lltv, rate_model()),
            Error::<Test>::UnknownAsset
        );
        assert_noop!(
            create(99, ETH, lltv, rate_model()),
            Error::<Test>::UnknownAsset
        );
        assert_noop!(
            create(USD, ETH, Perbill::zero(), rate_model()),
            Error::<Test>::LltvOutOfBounds
        );
        assert_noop!(
            create(USD, ETH, Perbill::one(), rate_model()),
            Error::<Test>::LltvOutOfBounds
        );
        let too_steep = JumpRateModel {
            slope2: JumpRateModel::MAX_SLOPE2 + FixedU128::from_inner(1),
            ..rate_model()
        };
        assert_noop!(
            create(USD, ETH, lltv, too_steep),
            Error::<Test>::RateModelOutOfBounds
        );
        let no_kink = JumpRateModel {
            kink: Perbill::zero(),
            ..rate_model()
        };
        assert_noop!(
            create(USD, ETH, lltv, no_kink),
            Error::<Test>::RateModelOutOfBounds
        );
        let high_base = JumpRateModel {
            base_rate: FixedU128::from_u32(2),
            ..rate_model()
        };
        assert_noop!(
            create(USD, ETH, lltv, high_base),
            Error::<Test>::RateModelOutOfBounds
        );
        // The bounds themselves are accepted.
        let steepest = JumpRateModel {
            base_rate: JumpRateModel::MAX_BASE_RATE,
            slope1: JumpRateModel::MAX_SLOPE1,
            kink: Perbill::one(),
            slope2: JumpRateModel::MAX_SLOPE2,
        };
        assert_ok!(create(USD, ETH, crate::MAX_LLTV, steepest));
        assert_ok!(create(USD, ETH, crate::MIN_LLTV, rate_model()));
    });
}

#[test]
fn market_count_is_bounded() {
    ExtBuilder::default().build_and_execute(|| {
        for _ in 0..3 {
            create_market();
        }
        assert_noop!(
            Lending::create_market(
                RuntimeOrigin::root(),
                USD,
                ETH,
                Perbill::from_percent(80),
                rate_model()
            ),
            Error::<Test>::TooManyMarkets
        );
    });
}

#[test]
fn unknown_markets_are_rejected_everywhere() {
    ExtBuilder::default().build_and_execute(|| {
        let who = RuntimeOrigin::signed(ALICE);
        assert_noop!(
            Lending::supply(who.clone(), 7, UNIT),
            Error::<Test>::UnknownMarket
        );
        assert_noop!(
            Lending::withdraw(who.clone(), 7, UNIT),
            Error::<Test>::UnknownMarket
        );
        assert_noop!(
            Lending::supply_collateral(who.clone(), 7, UNIT),
            Error::<Test>::UnknownMarket
        );
        assert_noop!(
            Lending::withdraw_collateral(who.clone(), 7, UNIT),
            Error::<Test>::UnknownMarket
        );
        assert_noop!(
            Lending::borrow(who.clone(), 7, UNIT),
            Error::<Test>::UnknownMarket
        );
        assert_noop!(
            Lending::repay(who.clone(), 7, BOB, UNIT),
            Error::<Test>::UnknownMarket
        );
        assert_noop!(
            Lending::liquidate(who, 7, BOB, UNIT),
            Error::<Test>::UnknownMarket
        );
        assert_eq!(
            Lending::liquidatable_positions(7, FixedU128::from_u32(1), 10),
            Err(Error::<Test>::UnknownMarket.into())
        );
    });
}
