//! `IAvatar`: the user actions through an avatar, the members' top-up and liquidation, the
//! pool's and anyone's liquidation of avatar positions, and their views.

use crate::{
    account_of, accounts_of, address_of, amount, caller, charge_view, dispatch, emit, guard,
    revert_of, Runtime, RuntimeCallOf, AVATAR_INDEX,
};
use alloc::vec::Vec;
use backstop_primitives::Assignee;
use core::marker::PhantomData;
use frame_support::traits::Get;
use pallet_revive::precompiles::{
    alloy::{
        self,
        primitives::{Address, U256},
        sol_types::SolCall,
    },
    AddressMatcher, Error, Ext, Precompile,
};
use sp_runtime::SaturatedConversion;

alloy::sol!("../contracts/src/interfaces/IAvatar.sol");

use IAvatar::IAvatarCalls as Calls;

/// Database reads of `debtBackstopOf`: the avatar, its market position (market, clock,
/// position) and its cushion record.
const DEBT_READS: u64 = 6;
/// Database reads of `poolMayLiquidate`: the avatar, the market's parameters, the position's
/// episode and the franchise (epoch, seats).
const PRIORITY_READS: u64 = 8;
/// Database reads of `assigned`, besides one per seat: the avatar, the epoch, the seats and
/// the position's market debt (market, clock, position).
const ASSIGNED_READS: u64 = 6;
/// Compute of a view, picoseconds.
const VIEW_COMPUTE: u64 = 20_000_000;

/// `IAvatar.Liquidated`'s `route` of a member's liquidation (`liquidate`).
const ROUTE_MEMBER: u8 = 0;
/// `route` of the pool's liquidation (`poolLiquidate`).
const ROUTE_POOL: u8 = 1;
/// `route` of anyone's liquidation (`openLiquidate`).
const ROUTE_ANYONE: u8 = 2;

/// The precompile of pallet-avatar at [`crate::AVATAR_ADDRESS`].
pub struct AvatarPrecompile<T>(PhantomData<T>);

impl<T> Precompile for AvatarPrecompile<T>
where
    T: Runtime,
    pallet_avatar::Call<T>: Into<RuntimeCallOf<T>>,
{
    type T = T;
    type Interface = Calls;
    const MATCHER: AddressMatcher = crate::fixed(AVATAR_INDEX);
    const HAS_CONTRACT_INFO: bool = false;

    fn call(
        _address: &[u8; 20],
        input: &Self::Interface,
        env: &mut impl Ext<T = Self::T>,
    ) -> Result<Vec<u8>, Error> {
        let mutates = !matches!(
            input,
            Calls::avatarOf(_)
                | Calls::debtBackstopOf(_)
                | Calls::poolMayLiquidate(_)
                | Calls::assigned(_)
        );
        guard(env, mutates)?;
        type Avatar<T> = pallet_avatar::Call<T>;
        let call = match input {
            Calls::supply(c) => Avatar::<T>::supply {
                market: c.market,
                assets: amount(&c.assets)?,
            },
            Calls::supplyCollateral(c) => Avatar::<T>::supply_collateral {
                market: c.market,
                amount: amount(&c.amount)?,
            },
            Calls::borrow(c) => Avatar::<T>::borrow {
                market: c.market,
                assets: amount(&c.assets)?,
            },
            Calls::repay(c) => Avatar::<T>::repay {
                market: c.market,
                assets: amount(&c.assets)?,
            },
            Calls::repayAll(c) => Avatar::<T>::repay_all { market: c.market },
            Calls::withdraw(c) => Avatar::<T>::withdraw {
                market: c.market,
                assets: amount(&c.assets)?,
            },
            Calls::withdrawCollateral(c) => Avatar::<T>::withdraw_collateral {
                market: c.market,
                amount: amount(&c.amount)?,
            },
            Calls::leave(_) => Avatar::<T>::leave {},
            Calls::topUp(c) => Avatar::<T>::top_up {
                market: c.market,
                user: account_of::<T>(env, &c.user)?,
                amount: amount(&c.amount)?,
            },
            Calls::liquidate(c) => Avatar::<T>::liquidate {
                market: c.market,
                user: account_of::<T>(env, &c.user)?,
                amount: amount(&c.amount)?,
            },
            Calls::poolLiquidate(c) => Avatar::<T>::pool_liquidate {
                market: c.market,
                user: account_of::<T>(env, &c.user)?,
                amount: amount(&c.amount)?,
            },
            Calls::poolLiquidateMany(c) => Avatar::<T>::pool_liquidate_many {
                market: c.market,
                users: accounts_of::<T, <T as pallet_avatar::Config>::MaxLiquidationBatch>(
                    env, &c.users,
                )?,
            },
            Calls::openLiquidate(c) => Avatar::<T>::open_liquidate {
                market: c.market,
                user: account_of::<T>(env, &c.user)?,
                amount: amount(&c.amount)?,
            },
            Calls::sync(c) => Avatar::<T>::sync {
                market: c.market,
                user: account_of::<T>(env, &c.user)?,
            },
            Calls::avatarOf(c) => {
                charge_view(env, 0, VIEW_COMPUTE)?;
                let avatar = pallet_avatar::Pallet::<T>::avatar_of(&account_of::<T>(env, &c.user)?);
                return Ok(IAvatar::avatarOfCall::abi_encode_returns(&address_of::<T>(
                    &avatar,
                )));
            }
            Calls::debtBackstopOf(c) => {
                charge_view(env, DEBT_READS, VIEW_COMPUTE)?;
                let debt = pallet_avatar::Pallet::<T>::debt_backstop(
                    c.market,
                    &account_of::<T>(env, &c.user)?,
                )
                .map_err(revert_of::<T>)?;
                return Ok(IAvatar::debtBackstopOfCall::abi_encode_returns(
                    &U256::from(debt),
                ));
            }
            Calls::poolMayLiquidate(c) => {
                charge_view(env, PRIORITY_READS, VIEW_COMPUTE)?;
                let may = pallet_avatar::Pallet::<T>::priority_passed(
                    c.market,
                    &account_of::<T>(env, &c.user)?,
                );
                return Ok(IAvatar::poolMayLiquidateCall::abi_encode_returns(&may));
            }
            Calls::assigned(c) => {
                let seats = u64::from(<T as pallet_backstop::Config>::MaxSeats::get());
                charge_view(env, ASSIGNED_READS.saturating_add(seats), VIEW_COMPUTE)?;
                let avatar = pallet_avatar::Pallet::<T>::avatar_of(&account_of::<T>(env, &c.user)?);
                let a = pallet_backstop::Pallet::<T>::assignment(c.market, &avatar);
                let (member, pool) = match &a.assignee {
                    Assignee::Member(member) => (address_of::<T>(member), false),
                    Assignee::Pool => (Address::ZERO, true),
                };
                return Ok(IAvatar::assignedCall::abi_encode_returns(
                    &IAvatar::assignedReturn {
                        member,
                        pool,
                        window: a.window,
                        windowStart: a.window_start.saturated_into::<u64>(),
                        windowEnd: a.window_end.saturated_into::<u64>(),
                        priorityEnd: a.priority_end.saturated_into::<u64>(),
                        priorityPassed: a.priority_passed,
                    },
                ));
            }
        };
        let who = caller(env)?;
        dispatch(env, who.clone(), call.into())?;
        let liquidated = match input {
            Calls::liquidate(c) => Some((c.market, c.user, c.amount, ROUTE_MEMBER)),
            Calls::poolLiquidate(c) => Some((c.market, c.user, c.amount, ROUTE_POOL)),
            Calls::openLiquidate(c) => Some((c.market, c.user, c.amount, ROUTE_ANYONE)),
            _ => None,
        };
        if let Some((market, user, amount, route)) = liquidated {
            emit(
                env,
                IAvatar::Liquidated {
                    caller: address_of::<T>(&who),
                    market,
                    user,
                    amount,
                    route,
                },
            )?;
        }
        Ok(Vec::new())
    }
}
