//! The keeper worker: after a block whose sweep hit its cap, the offchain worker submits one
//! authorized `keeper_sweep` per market with positions left; the pool re-checks it; applied,
//! it liquidates the rest.

use super::*;
use crate::{Call, Error, Event};
use backstop_primitives::{Balance, LendingMarket};
use codec::Decode;
use frame_support::{
    assert_noop, assert_ok,
    traits::{Authorize, Hooks},
    weights::Weight,
};
use sp_core::offchain::{
    testing::{TestOffchainExt, TestTransactionPoolExt},
    OffchainDbExt, OffchainWorkerExt, TransactionPoolExt,
};
use sp_runtime::{
    traits::Dispatchable,
    transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
    DispatchError,
};

type Extrinsic = frame_system::mocking::MockUncheckedExtrinsic<Test>;

/// The transaction pool the worker submits to: what it holds, and emptying it.
struct Pool<'a> {
    submitted: &'a dyn Fn() -> Vec<RuntimeCall>,
    clear: &'a dyn Fn(),
}

/// A test externality with an offchain worker context and a transaction pool.
fn with_worker(test: impl FnOnce(Pool)) {
    let mut ext = ExtBuilder::default().build();
    let (offchain, _) = TestOffchainExt::new();
    let (pool, state) = TestTransactionPoolExt::new();
    ext.register_extension(OffchainDbExt::new(offchain.clone()));
    ext.register_extension(OffchainWorkerExt::new(offchain));
    ext.register_extension(TransactionPoolExt::new(pool));
    let submitted = || {
        state
            .read()
            .transactions
            .iter()
            .map(|tx| Extrinsic::decode(&mut &tx[..]).unwrap().function)
            .collect()
    };
    let clear = || state.write().transactions.clear();
    ext.execute_with(|| {
        test(Pool {
            submitted: &submitted,
            clear: &clear,
        });
        Backstop::do_try_state().expect("pool invariants hold after the test");
    });
}

/// The pool (100 000 USD) faces three ETH positions crashed at 1 800, with a sweep cap of
/// one: the block's idle time liquidates one.
fn crash_beyond_the_cap() {
    assert_ok!(Backstop::set_sweep_cap(RuntimeOrigin::root(), 1));
    deposit(ALICE, 100_000 * UNIT);
    for who in [BORROWER_1, BORROWER_2, BORROWER_3] {
        open_eth_position(who);
    }
    feed_usd(ETH, 1_800);
    <Backstop as Hooks<u64>>::on_idle(System::block_number(), Weight::MAX);
    assert_eq!(debts().iter().filter(|d| **d == 0).count(), 1);
}

fn debts() -> Vec<Balance> {
    [BORROWER_1, BORROWER_2, BORROWER_3]
        .iter()
        .map(|who| Lending::position(ETH_MARKET, who).unwrap().borrow_assets)
        .collect()
}

#[test]
fn the_worker_sweeps_what_the_block_left_and_the_chain_checks_it_again() {
    with_worker(|state| {
        crash_beyond_the_cap();
        Backstop::offchain_worker(System::block_number());
        let calls = (state.submitted)();
        assert_eq!(
            calls,
            vec![RuntimeCall::Backstop(Call::keeper_sweep {
                market: ETH_MARKET
            })]
        );
        // Once per block, however often the worker runs.
        Backstop::offchain_worker(System::block_number());
        assert_eq!((state.submitted)().len(), 1);

        // The pool accepts it from this node, not from the network.
        let call = calls[0].clone();
        assert!(matches!(
            call.authorize(TransactionSource::Local),
            Some(Ok(_))
        ));
        assert!(matches!(
            call.authorize(TransactionSource::External),
            Some(Err(TransactionValidityError::Invalid(
                InvalidTransaction::Call
            )))
        ));

        // Applied in the next block: both positions left, liquidated by the pool.
        System::set_block_number(System::block_number() + 1);
        let info = call
            .clone()
            .dispatch(frame_system::RawOrigin::Authorized.into())
            .unwrap();
        assert_eq!(debts(), vec![0, 0, 0]);
        use crate::weights::WeightInfo;
        assert_eq!(
            info.actual_weight,
            Some(<() as WeightInfo>::sweep_market(2))
        );
        assert!(backstop_events().iter().any(|e| matches!(
            e,
            Event::BatchLiquidated { caller, liquidated: 2, .. } if *caller == pool()
        )));
        // Nothing left: the same transaction is no longer valid, and the worker submits nothing.
        assert!(matches!(
            call.authorize(TransactionSource::InBlock),
            Some(Err(TransactionValidityError::Invalid(
                InvalidTransaction::Stale
            )))
        ));
        (state.clear)();
        Backstop::offchain_worker(System::block_number());
        assert!((state.submitted)().is_empty());
    });
}

#[test]
fn a_healthy_market_gets_no_transaction() {
    with_worker(|state| {
        deposit(ALICE, 100_000 * UNIT);
        open_eth_position(BORROWER_1);
        Backstop::offchain_worker(System::block_number());
        assert!((state.submitted)().is_empty());
    });
}

#[test]
fn a_pool_that_cannot_pay_gets_no_transaction() {
    with_worker(|state| {
        assert_ok!(Backstop::set_sweep_cap(RuntimeOrigin::root(), 1));
        deposit(ALICE, 10_000 * UNIT);
        open_eth_position(BORROWER_1);
        feed_usd(ETH, 1_800);
        Backstop::offchain_worker(System::block_number());
        assert!((state.submitted)().is_empty());
    });
}

#[test]
fn governance_turns_the_worker_off_with_the_sweep() {
    with_worker(|state| {
        crash_beyond_the_cap();
        assert_ok!(Backstop::set_sweep_cap(RuntimeOrigin::root(), 0));
        Backstop::offchain_worker(System::block_number());
        assert!((state.submitted)().is_empty());
        assert_noop!(
            Backstop::keeper_sweep(RuntimeOrigin::signed(KEEPER), ETH_MARKET),
            Error::<Test>::SweepDisabled
        );
    });
}

#[test]
fn anyone_signed_may_sweep_and_bad_input_gets_its_error() {
    ExtBuilder::default().build_and_execute(|| {
        crash_beyond_the_cap();
        assert_noop!(
            Backstop::keeper_sweep(RuntimeOrigin::none(), ETH_MARKET),
            DispatchError::BadOrigin
        );
        assert_noop!(
            Backstop::keeper_sweep(RuntimeOrigin::signed(KEEPER), 99),
            Error::<Test>::UnknownMarket
        );
        assert_noop!(
            Backstop::keeper_sweep(RuntimeOrigin::signed(KEEPER), ETH_LOAN_MARKET),
            Error::<Test>::NotStableMarket
        );
        assert_ok!(Backstop::keeper_sweep(
            RuntimeOrigin::signed(KEEPER),
            ETH_MARKET
        ));
        assert_eq!(debts(), vec![0, 0, 0]);
        assert_noop!(
            Backstop::keeper_sweep(RuntimeOrigin::signed(KEEPER), ETH_MARKET),
            Error::<Test>::NothingToLiquidate
        );
    });
}
