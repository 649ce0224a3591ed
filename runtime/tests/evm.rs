//! EVM bytecode deploys and runs on pallet-revive (`AllowEVMBytecode`): the Solidity
//! contract `contracts/src/Store.sol`, compiled by `contracts/compile.js`, stores and returns
//! a number.

mod common;

use backstop_runtime::{Revive, Runtime, RuntimeEvent, RuntimeOrigin, System};
use common::{account, dev_ext, run_block};
use frame_support::assert_ok;
use pallet_revive::{
    test_utils::builder::{BareCallBuilder, BareInstantiateBuilder},
    Code, TransactionLimits,
};
use sp_core::{H160, U256};
use sp_io::hashing::keccak_256;
use sp_keyring::Sr25519Keyring::{Alice, Bob};

const STORE_BYTECODE: &str = include_str!("../../contracts/build/Store.bin");

fn selector(signature: &str) -> Vec<u8> {
    keccak_256(signature.as_bytes())[..4].to_vec()
}

fn set_calldata(value: u64) -> Vec<u8> {
    let mut data = selector("set(uint256)");
    data.extend_from_slice(&U256::from(value).to_big_endian());
    data
}

/// Enough weight and storage deposit (in the native token) for the tests' calls.
fn limits() -> TransactionLimits<Runtime> {
    TransactionLimits::WeightAndDeposit {
        weight_limit: pallet_revive::test_utils::WEIGHT_LIMIT,
        deposit_limit: 100 * backstop_runtime::UNIT,
    }
}

fn deploy_store() -> H160 {
    let code = hex::decode(STORE_BYTECODE.trim()).expect("build/Store.bin is hex");
    assert_eq!(code.first(), Some(&0x60), "EVM init code starts with PUSH1");
    BareInstantiateBuilder::<Runtime>::bare_instantiate(
        RuntimeOrigin::signed(account(Alice)),
        Code::Upload(code),
    )
    .transaction_limits(limits())
    .build_and_unwrap_contract()
    .addr
}

fn get(contract: H160) -> U256 {
    let result =
        BareCallBuilder::<Runtime>::bare_call(RuntimeOrigin::signed(account(Bob)), contract)
            .data(selector("get()"))
            .transaction_limits(limits())
            .build_and_unwrap_result();
    assert!(!result.did_revert());
    U256::from_big_endian(&result.data)
}

#[test]
fn evm_contract_deploys_stores_and_returns_a_value() {
    dev_ext().execute_with(|| {
        run_block(1, 1_800_000_000_000);
        let contract = deploy_store();
        assert_eq!(get(contract), U256::zero());

        // A user stores 42 with the `call` extrinsic, as a wallet would.
        assert_ok!(Revive::call(
            RuntimeOrigin::signed(account(Bob)),
            contract,
            0,
            frame_support::weights::Weight::from_parts(10_000_000_000, 1_000_000),
            u128::MAX,
            set_calldata(42),
        ));
        assert_eq!(get(contract), U256::from(42));

        // The contract's `Stored(42)` event came out through the runtime.
        let emitted = System::events().into_iter().any(|record| {
			matches!(
				record.event,
				RuntimeEvent::Revive(pallet_revive::Event::ContractEmitted { contract: c, ref data, .. })
					if c == contract && U256::from_big_endian(data) == U256::from(42)
			)
		});
        assert!(emitted, "Stored(42) was emitted");
    });
}

#[test]
fn evm_revert_is_reported_and_changes_nothing() {
    dev_ext().execute_with(|| {
        run_block(1, 1_800_000_000_000);
        let contract = deploy_store();
        // An unknown selector: the Solidity dispatcher reverts.
        let result =
            BareCallBuilder::<Runtime>::bare_call(RuntimeOrigin::signed(account(Bob)), contract)
                .data(selector("nope()"))
                .transaction_limits(limits())
                .build_and_unwrap_result();
        assert!(result.did_revert());
        assert_eq!(get(contract), U256::zero());
    });
}
