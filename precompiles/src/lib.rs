//! # Backstop precompiles
//!
//! pallet-revive precompiles through which EVM contracts (and EOAs) use Backstop: the lending
//! markets ([`LendingPrecompile`], `ILending`), the backstop pool and franchise
//! ([`BackstopPrecompile`], `IBackstop`) and avatar accounts ([`AvatarPrecompile`],
//! `IAvatar`). Their Solidity interfaces are the files in `contracts/src/interfaces/`, read
//! here by `alloy`'s `sol!` so the precompiles and the interfaces developers compile against
//! cannot drift apart.
//!
//! ## How a call runs
//!
//! A state-changing function dispatches the pallet's own extrinsic (`pallet_lending::Call`,
//! ...) with `RawOrigin::Signed(caller)`, the caller being the contract or EOA that called the
//! precompile, mapped to its account by pallet-revive's `AddressMapper`. So every check of the
//! extrinsic applies, and no precompile lets a contract act for another account: accounts
//! passed as arguments are only ever the *object* of an extrinsic that allows it for any
//! signer (`repay` for someone, liquidate someone). `delegatecall`s are refused (they would
//! run with the delegating contract's caller), and so are state-changing calls in a static
//! context.
//!
//! Weight: before dispatching, the precompile charges the extrinsic's benchmarked weight
//! (`get_dispatch_info().call_weight`) to the contract's gas meter, and afterwards adjusts the
//! charge to the weight the dispatch reports it used (`PostDispatchInfo`). Reads a function
//! adds around the dispatch (shares or balances before and after, to return what was minted
//! or paid) and views are charged as database reads ([`view_cost`]).
//!
//! Errors: a failed dispatch reverts the call with `Error(string)`, the reason
//! `"<Pallet>.<Error>"` (`"Lending.InsufficientCollateral"`, `"Backstop.Slippage"`); the
//! extrinsic's storage layer and the reverted EVM frame both undo every change. pallet-revive
//! 0.20 encodes a precompile's revert only as `Error(string)` (or `Panic`), so the errors are
//! reason strings, not Solidity custom errors.
//!
//! Tests: `runtime/tests/evm_precompiles.rs` calls the precompiles on the runtime's
//! `development` genesis from EOAs and contracts: every function succeeds there except
//! `redeem` and `withdrawRefund`, whose error paths are tested (their successes need an
//! illiquid yield market, a displaced bid).
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]

extern crate alloc;

mod avatar;
mod backstop;
mod lending;

pub use avatar::{AvatarPrecompile, IAvatar};
pub use backstop::{BackstopPrecompile, IBackstop};
pub use lending::{ILending, LendingPrecompile};

use alloc::{format, string::String, vec::Vec};
use core::num::NonZero;
use frame_support::{
    dispatch::GetDispatchInfo,
    traits::{Get, PalletInfo},
    weights::Weight,
};
use frame_system::RawOrigin;
use pallet_revive::precompiles::{
    alloy::{
        primitives::{Address, IntoLogData, U256},
        sol_types::Revert,
    },
    AddressMapper, AddressMatcher, Error, Ext, RuntimeCosts, H160, H256,
};
use sp_runtime::{traits::Dispatchable, BoundedVec, DispatchError, ModuleError};

/// Index of [`LendingPrecompile`] (bytes 16-17 of its address).
pub const LENDING_INDEX: u16 = 0x0B01;
/// Index of [`BackstopPrecompile`].
pub const BACKSTOP_INDEX: u16 = 0x0B02;
/// Index of [`AvatarPrecompile`].
pub const AVATAR_INDEX: u16 = 0x0B03;
/// Prefix of the assets' ERC-20 precompiles (pallet-assets-precompiles' `InlineIdConfig`,
/// the asset id in bytes 0-3): the Asset Hub convention.
pub const ERC20_PREFIX: u16 = 0x0120;

/// `ILending`'s address, `0x000000000000000000000000000000000b010000`.
pub const LENDING_ADDRESS: [u8; 20] = fixed(LENDING_INDEX).base_address();
/// `IBackstop`'s address, `0x000000000000000000000000000000000b020000`.
pub const BACKSTOP_ADDRESS: [u8; 20] = fixed(BACKSTOP_INDEX).base_address();
/// `IAvatar`'s address, `0x000000000000000000000000000000000b030000`.
pub const AVATAR_ADDRESS: [u8; 20] = fixed(AVATAR_INDEX).base_address();

/// The ERC-20 precompile address of pallet-assets asset `id`.
pub const fn erc20_address(id: u32) -> [u8; 20] {
    let mut address = [0u8; 20];
    let id = id.to_be_bytes();
    let prefix = ERC20_PREFIX.to_be_bytes();
    address[0] = id[0];
    address[1] = id[1];
    address[2] = id[2];
    address[3] = id[3];
    address[16] = prefix[0];
    address[17] = prefix[1];
    address
}

/// The matcher of a precompile at the fixed `index`.
const fn fixed(index: u16) -> AddressMatcher {
    match NonZero::new(index) {
        Some(index) => AddressMatcher::Fixed(index),
        None => panic!("a precompile index is not zero"),
    }
}

/// Everything the precompiles need of the runtime: pallet-revive and the three pallets.
pub trait Runtime:
    pallet_revive::Config + pallet_lending::Config + pallet_backstop::Config + pallet_avatar::Config
{
}

impl<T> Runtime for T where
    T: pallet_revive::Config
        + pallet_lending::Config
        + pallet_backstop::Config
        + pallet_avatar::Config
{
}

/// The runtime's call type as pallet-revive sees it.
pub type RuntimeCallOf<T> = <T as pallet_revive::Config>::RuntimeCall;

/// A revert with `reason` (`Error(string)`).
pub(crate) fn revert(reason: &str) -> Error {
    Error::Revert(Revert {
        reason: String::from(reason),
    })
}

/// The revert of a failed dispatch: `"<Pallet>.<Error>"` for a module error (the runtime's
/// pallet name; `"Module<index>"` for a pallet the precompiles do not know), the error's own
/// description otherwise (`"Funds are unavailable"`, ...).
pub(crate) fn revert_of<T: Runtime>(error: DispatchError) -> Error {
    let reason = match error {
        DispatchError::Module(ModuleError { index, message, .. }) => {
            let error = message.unwrap_or("Unknown");
            match pallet_name::<T>(index) {
                Some(pallet) => format!("{pallet}.{error}"),
                None => format!("Module{index}.{error}"),
            }
        }
        other => String::from(<&'static str>::from(other)),
    };
    Error::Revert(Revert { reason })
}

/// The runtime's name of the pallet at `index`, for the pallets the precompiles wrap (and
/// frame-system, whose `CallFiltered` refuses a paused call).
fn pallet_name<T: Runtime>(index: u8) -> Option<&'static str> {
    type Info<T> = <T as frame_system::Config>::PalletInfo;
    let index = Some(usize::from(index));
    if Info::<T>::index::<pallet_lending::Pallet<T>>() == index {
        Info::<T>::name::<pallet_lending::Pallet<T>>()
    } else if Info::<T>::index::<pallet_backstop::Pallet<T>>() == index {
        Info::<T>::name::<pallet_backstop::Pallet<T>>()
    } else if Info::<T>::index::<pallet_avatar::Pallet<T>>() == index {
        Info::<T>::name::<pallet_avatar::Pallet<T>>()
    } else if Info::<T>::index::<pallet_revive::Pallet<T>>() == index {
        Info::<T>::name::<pallet_revive::Pallet<T>>()
    } else if Info::<T>::index::<frame_system::Pallet<T>>() == index {
        Info::<T>::name::<frame_system::Pallet<T>>()
    } else {
        None
    }
}

/// Refuses what no function allows: a `delegatecall` (it would act with the delegating
/// contract's caller as origin), and a state change in a static context.
pub(crate) fn guard<T: Runtime>(env: &impl Ext<T = T>, mutates: bool) -> Result<(), Error> {
    if env.is_delegate_call() {
        return Err(Error::try_to_revert::<T>(
            pallet_revive::Error::<T>::PrecompileDelegateDenied.into(),
        ));
    }
    if mutates && env.is_read_only() {
        return Err(pallet_revive::Error::<T>::StateChangeDenied.into());
    }
    Ok(())
}

/// The account of the precompile's caller (a contract or an EOA).
pub(crate) fn caller<T: Runtime>(env: &impl Ext<T = T>) -> Result<T::AccountId, Error> {
    env.caller()
        .account_id()
        .cloned()
        .map_err(|_| revert("Precompile.RootCaller"))
}

/// The account an EVM address stands for (pallet-revive's address mapping, one storage read,
/// charged).
pub(crate) fn account_of<T: Runtime>(
    env: &mut impl Ext<T = T>,
    address: &Address,
) -> Result<T::AccountId, Error> {
    charge_view(env, 1, 0)?;
    Ok(<T as pallet_revive::Config>::AddressMapper::to_account_id(
        &H160::from(address.into_array()),
    ))
}

/// The accounts of a batch of addresses, at most `S` of them (more revert with
/// `"Precompile.BatchTooLarge"` before any is mapped).
pub(crate) fn accounts_of<T: Runtime, S: Get<u32>>(
    env: &mut impl Ext<T = T>,
    addresses: &[Address],
) -> Result<BoundedVec<T::AccountId, S>, Error> {
    let too_large = || revert("Precompile.BatchTooLarge");
    if u32::try_from(addresses.len()).map_or(true, |len| len > S::get()) {
        return Err(too_large());
    }
    let accounts = addresses
        .iter()
        .map(|address| account_of::<T>(env, address))
        .collect::<Result<Vec<_>, _>>()?;
    BoundedVec::try_from(accounts).map_err(|_| too_large())
}

/// The EVM address of an account.
pub(crate) fn address_of<T: Runtime>(account: &T::AccountId) -> Address {
    Address::from(<T as pallet_revive::Config>::AddressMapper::to_address(account).0)
}

/// An amount of the ABI's `uint256` as the chain's `u128` balance.
pub(crate) fn amount(value: &U256) -> Result<u128, Error> {
    u128::try_from(*value).map_err(|_| revert("Precompile.AmountTooLarge"))
}

/// Dispatches `call` with the signed origin `who`: charges the call's benchmarked weight
/// first, adjusts the charge to the weight the dispatch reports after; a failed dispatch
/// reverts with its error (see [`revert_of`]).
pub(crate) fn dispatch<T: Runtime>(
    env: &mut impl Ext<T = T>,
    who: T::AccountId,
    call: RuntimeCallOf<T>,
) -> Result<(), Error> {
    let info = call.get_dispatch_info();
    let charged = env.charge(info.call_weight)?;
    let result = call.dispatch(RawOrigin::Signed(who).into());
    let post_info = match &result {
        Ok(post_info) => *post_info,
        Err(e) => e.post_info,
    };
    env.adjust_gas(charged, post_info.calc_actual_weight(&info));
    result.map(|_| ()).map_err(|e| revert_of::<T>(e.error))
}

/// What a view (or the reads around a dispatch) is charged: `reads` database reads and
/// `compute` picoseconds of work. Views have no benchmark of their own; the read counts are
/// upper bounds of the storage items each one reads (see the callers).
pub fn view_cost<T: Runtime>(reads: u64, compute: u64) -> Weight {
    <T as frame_system::Config>::DbWeight::get()
        .reads(reads)
        .saturating_add(Weight::from_parts(compute, 0))
}

/// Charges [`view_cost`].
pub(crate) fn charge_view<T: Runtime>(
    env: &mut impl Ext<T = T>,
    reads: u64,
    compute: u64,
) -> Result<(), Error> {
    env.charge(view_cost::<T>(reads, compute))?;
    Ok(())
}

/// Emits `event` as an EVM log of the precompile's address, charged like a contract's log.
pub(crate) fn emit<T: Runtime>(
    env: &mut impl Ext<T = T>,
    event: impl IntoLogData,
) -> Result<(), Error> {
    let (topics, data) = event.into_log_data().split();
    let topics = topics.into_iter().map(|t| H256(t.0)).collect::<Vec<_>>();
    env.frame_meter_mut()
        .charge_weight_token(RuntimeCosts::DepositEvent {
            num_topic: u32::try_from(topics.len()).unwrap_or(u32::MAX),
            len: u32::try_from(data.len()).unwrap_or(u32::MAX),
        })?;
    env.deposit_event(topics, data.to_vec());
    Ok(())
}
