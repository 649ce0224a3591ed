//! `ILending`: pallet-lending's user calls and position views.

use crate::{
    account_of, address_of, amount, caller, charge_view, dispatch, emit, guard, revert_of, Runtime,
    RuntimeCallOf, LENDING_INDEX,
};
use alloc::vec::Vec;
use backstop_primitives::LendingMarket;
use core::marker::PhantomData;
use pallet_revive::precompiles::{
    alloy::{self, primitives::U256, sol_types::SolCall},
    AddressMatcher, Error, Ext, Precompile,
};

alloy::sol!("../contracts/src/interfaces/ILending.sol");

use ILending::ILendingCalls as Calls;

/// Database reads of `position` (market, its accrual clock, the position).
const POSITION_READS: u64 = 4;
/// Database reads of `health` and `liquidationRepayment`: `position`'s plus the oracle price
/// of both assets (value, timestamp, frozen decimals each).
const PRICED_READS: u64 = 12;
/// Compute of a view, picoseconds (share and price arithmetic).
const VIEW_COMPUTE: u64 = 20_000_000;

/// The precompile of pallet-lending at [`crate::LENDING_ADDRESS`].
pub struct LendingPrecompile<T>(PhantomData<T>);

impl<T> Precompile for LendingPrecompile<T>
where
    T: Runtime,
    pallet_lending::Call<T>: Into<RuntimeCallOf<T>>,
{
    type T = T;
    type Interface = Calls;
    const MATCHER: AddressMatcher = crate::fixed(LENDING_INDEX);
    const HAS_CONTRACT_INFO: bool = false;

    fn call(
        _address: &[u8; 20],
        input: &Self::Interface,
        env: &mut impl Ext<T = Self::T>,
    ) -> Result<Vec<u8>, Error> {
        let mutates = !matches!(
            input,
            Calls::position(_) | Calls::health(_) | Calls::liquidationRepayment(_)
        );
        guard(env, mutates)?;
        let call = match input {
            Calls::supply(c) => pallet_lending::Call::<T>::supply {
                market: c.market,
                assets: amount(&c.assets)?,
            },
            Calls::withdraw(c) => pallet_lending::Call::<T>::withdraw {
                market: c.market,
                assets: amount(&c.assets)?,
            },
            Calls::supplyCollateral(c) => pallet_lending::Call::<T>::supply_collateral {
                market: c.market,
                amount: amount(&c.amount)?,
            },
            Calls::withdrawCollateral(c) => pallet_lending::Call::<T>::withdraw_collateral {
                market: c.market,
                amount: amount(&c.amount)?,
            },
            Calls::borrow(c) => pallet_lending::Call::<T>::borrow {
                market: c.market,
                assets: amount(&c.assets)?,
            },
            Calls::repay(c) => pallet_lending::Call::<T>::repay {
                market: c.market,
                on_behalf_of: account_of::<T>(env, &c.onBehalfOf)?,
                assets: amount(&c.assets)?,
            },
            Calls::liquidate(c) => pallet_lending::Call::<T>::liquidate {
                market: c.market,
                borrower: account_of::<T>(env, &c.borrower)?,
                seized_collateral: amount(&c.seizedCollateral)?,
            },
            Calls::position(c) => {
                charge_view(env, POSITION_READS, VIEW_COMPUTE)?;
                let p = pallet_lending::Pallet::<T>::position_info(
                    c.market,
                    &account_of::<T>(env, &c.who)?,
                )
                .map_err(revert_of::<T>)?;
                return Ok(ILending::positionCall::abi_encode_returns(
                    &ILending::positionReturn {
                        supplyShares: U256::from(p.supply_shares),
                        supplyAssets: U256::from(p.supply_assets),
                        borrowShares: U256::from(p.borrow_shares),
                        borrowAssets: U256::from(p.borrow_assets),
                        collateral: U256::from(p.collateral),
                    },
                ));
            }
            Calls::health(c) => {
                charge_view(env, PRICED_READS, VIEW_COMPUTE)?;
                let h = pallet_lending::Pallet::<T>::position_health(
                    c.market,
                    &account_of::<T>(env, &c.who)?,
                )
                .map_err(revert_of::<T>)?;
                return Ok(ILending::healthCall::abi_encode_returns(
                    &ILending::healthReturn {
                        debt: U256::from(h.borrow_assets),
                        maxBorrow: U256::from(h.max_borrow),
                        liquidatable: h.liquidatable,
                    },
                ));
            }
            Calls::liquidationRepayment(c) => {
                charge_view(env, PRICED_READS, VIEW_COMPUTE)?;
                let repayment = <pallet_lending::Pallet<T> as LendingMarket<T::AccountId>>::liquidation_repayment(
                    c.market,
                    amount(&c.seizedCollateral)?,
                )
                .map_err(revert_of::<T>)?;
                return Ok(ILending::liquidationRepaymentCall::abi_encode_returns(
                    &U256::from(repayment),
                ));
            }
        };
        let who = caller(env)?;
        dispatch(env, who.clone(), call.into())?;
        if let Calls::liquidate(c) = input {
            emit(
                env,
                ILending::Liquidated {
                    liquidator: address_of::<T>(&who),
                    market: c.market,
                    borrower: c.borrower,
                    seizedCollateral: c.seizedCollateral,
                },
            )?;
        }
        Ok(Vec::new())
    }
}
