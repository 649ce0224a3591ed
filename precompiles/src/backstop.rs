//! `IBackstop`: the backstop pool (deposit, withdraw, swap, liquidate), the franchise (bid,
//! refunds) and the reward jar (claim), and their views.

use crate::{
    account_of, accounts_of, amount, caller, charge_view, dispatch, emit, guard, revert_of,
    Runtime, RuntimeCallOf, BACKSTOP_INDEX,
};
use alloc::vec::Vec;
use core::marker::PhantomData;
use frame_support::traits::{fungibles::Inspect, Get};
use pallet_revive::precompiles::{
    alloy::{self, primitives::U256, sol_types::SolCall},
    AddressMatcher, Error, Ext, Precompile,
};

alloy::sol!("../contracts/src/interfaces/IBackstop.sol");

use IBackstop::IBackstopCalls as Calls;

/// Database reads of a single storage item (shares, total shares, a refund).
const ITEM_READS: u64 = 1;
/// Database reads around a dispatch that returns what it minted or paid (before and after).
const AROUND_READS: u64 = 2;
/// Database reads of `quoteSwap`: holdings, parameters, the collateral's and the stable's
/// oracle price (value, timestamp, frozen decimals each), the pool's stable (idle balance,
/// its lent supply and the yield market).
const QUOTE_READS: u64 = 16;
/// Database reads of the pool's value, besides one price per collateral held: holdings,
/// total shares, the stable's price, idle and lent stable.
const POOL_VALUE_READS: u64 = 10;
/// Database reads of one collateral's price (value, timestamp, frozen decimals).
const PRICE_READS: u64 = 3;
/// Database reads of a user's score and claimable reward, besides one per score entry: the
/// jar, its stream and the user's record.
const SCORE_READS: u64 = 4;
/// Compute of a view, picoseconds (curve and share arithmetic).
const VIEW_COMPUTE: u64 = 50_000_000;

/// The precompile of pallet-backstop at [`crate::BACKSTOP_ADDRESS`].
pub struct BackstopPrecompile<T>(PhantomData<T>);

type Backstop<T> = pallet_backstop::Pallet<T>;
type Assets<T> = <T as pallet_backstop::Config>::Assets;

impl<T> BackstopPrecompile<T>
where
    T: Runtime,
    pallet_backstop::Call<T>: Into<RuntimeCallOf<T>>,
{
    /// Reads of the pool's value: [`POOL_VALUE_READS`] and a price per collateral it may hold.
    fn pool_value_reads() -> u64 {
        let collaterals = u64::from(<T as pallet_backstop::Config>::MaxCollaterals::get());
        POOL_VALUE_READS.saturating_add(PRICE_READS.saturating_mul(collaterals))
    }

    /// Reads of a user's score: [`SCORE_READS`] and one per score entry.
    fn score_reads() -> u64 {
        let entries = u64::from(<T as pallet_backstop::Config>::MaxUserEntries::get());
        SCORE_READS.saturating_add(entries)
    }
}

impl<T> Precompile for BackstopPrecompile<T>
where
    T: Runtime,
    pallet_backstop::Call<T>: Into<RuntimeCallOf<T>>,
{
    type T = T;
    type Interface = Calls;
    const MATCHER: AddressMatcher = crate::fixed(BACKSTOP_INDEX);
    const HAS_CONTRACT_INFO: bool = false;

    fn call(
        _address: &[u8; 20],
        input: &Self::Interface,
        env: &mut impl Ext<T = Self::T>,
    ) -> Result<Vec<u8>, Error> {
        let mutates = matches!(
            input,
            Calls::deposit(_)
                | Calls::withdraw(_)
                | Calls::redeem(_)
                | Calls::swap(_)
                | Calls::liquidate(_)
                | Calls::liquidateMany(_)
                | Calls::bid(_)
                | Calls::claim(_)
                | Calls::withdrawRefund(_)
        );
        guard(env, mutates)?;
        match input {
            Calls::deposit(c) => {
                let who = caller(env)?;
                let deposited = amount(&c.amount)?;
                charge_view(env, AROUND_READS, 0)?;
                let before = Backstop::<T>::shares_of(&who);
                let call = pallet_backstop::Call::<T>::deposit { amount: deposited };
                dispatch(env, who.clone(), call.into())?;
                let shares = U256::from(Backstop::<T>::shares_of(&who).saturating_sub(before));
                emit(
                    env,
                    IBackstop::Deposited {
                        who: crate::address_of::<T>(&who),
                        amount: c.amount,
                        shares,
                    },
                )?;
                Ok(IBackstop::depositCall::abi_encode_returns(&shares))
            }
            Calls::withdraw(c) => {
                let who = caller(env)?;
                let call = pallet_backstop::Call::<T>::withdraw {
                    shares: amount(&c.shares)?,
                };
                dispatch(env, who.clone(), call.into())?;
                emit(
                    env,
                    IBackstop::Withdrawn {
                        who: crate::address_of::<T>(&who),
                        shares: c.shares,
                    },
                )?;
                Ok(Vec::new())
            }
            Calls::redeem(_) => {
                let who = caller(env)?;
                dispatch(env, who, pallet_backstop::Call::<T>::redeem {}.into())?;
                Ok(Vec::new())
            }
            Calls::swap(c) => {
                let who = caller(env)?;
                let call = pallet_backstop::Call::<T>::swap {
                    asset: c.asset,
                    stable_in: amount(&c.stableIn)?,
                    min_out: amount(&c.minOut)?,
                };
                charge_view(env, AROUND_READS, 0)?;
                let before = Assets::<T>::balance(c.asset, &who);
                dispatch(env, who.clone(), call.into())?;
                let out = U256::from(Assets::<T>::balance(c.asset, &who).saturating_sub(before));
                emit(
                    env,
                    IBackstop::Swapped {
                        who: crate::address_of::<T>(&who),
                        asset: c.asset,
                        stableIn: c.stableIn,
                        out,
                    },
                )?;
                Ok(IBackstop::swapCall::abi_encode_returns(&out))
            }
            Calls::liquidate(c) => {
                let who = caller(env)?;
                let call = pallet_backstop::Call::<T>::liquidate {
                    market: c.market,
                    borrower: account_of::<T>(env, &c.borrower)?,
                    seized_collateral: amount(&c.seizedCollateral)?,
                };
                dispatch(env, who.clone(), call.into())?;
                emit(
                    env,
                    IBackstop::Liquidated {
                        caller: crate::address_of::<T>(&who),
                        market: c.market,
                        borrower: c.borrower,
                        seizedCollateral: c.seizedCollateral,
                    },
                )?;
                Ok(Vec::new())
            }
            Calls::liquidateMany(c) => {
                let who = caller(env)?;
                let borrowers = accounts_of::<
                    T,
                    <T as pallet_backstop::Config>::MaxLiquidationBatch,
                >(env, &c.borrowers)?;
                let call = pallet_backstop::Call::<T>::liquidate_many {
                    market: c.market,
                    borrowers,
                };
                dispatch(env, who, call.into())?;
                Ok(Vec::new())
            }
            Calls::bid(c) => {
                let who = caller(env)?;
                let call = pallet_backstop::Call::<T>::bid {
                    amount: amount(&c.amount)?,
                    commitment: amount(&c.commitment)?,
                };
                dispatch(env, who, call.into())?;
                Ok(Vec::new())
            }
            Calls::claim(_) => {
                let who = caller(env)?;
                let stable = <T as pallet_backstop::Config>::StableAsset::get();
                charge_view(env, AROUND_READS, 0)?;
                let before = Assets::<T>::balance(stable, &who);
                dispatch(
                    env,
                    who.clone(),
                    pallet_backstop::Call::<T>::claim {}.into(),
                )?;
                let paid = U256::from(Assets::<T>::balance(stable, &who).saturating_sub(before));
                Ok(IBackstop::claimCall::abi_encode_returns(&paid))
            }
            Calls::withdrawRefund(_) => {
                let who = caller(env)?;
                dispatch(
                    env,
                    who,
                    pallet_backstop::Call::<T>::withdraw_refund {}.into(),
                )?;
                Ok(Vec::new())
            }
            Calls::quoteSwap(c) => {
                charge_view(env, QUOTE_READS, VIEW_COMPUTE)?;
                let quote = Backstop::<T>::quote_swap(c.asset, amount(&c.stableIn)?)
                    .map_err(revert_of::<T>)?;
                Ok(IBackstop::quoteSwapCall::abi_encode_returns(
                    &IBackstop::quoteSwapReturn {
                        out: U256::from(quote.out),
                        fee: U256::from(quote.fee),
                    },
                ))
            }
            Calls::poolValue(_) => {
                charge_view(env, Self::pool_value_reads(), VIEW_COMPUTE)?;
                let value = Backstop::<T>::pool_value().map_err(revert_of::<T>)?;
                Ok(IBackstop::poolValueCall::abi_encode_returns(&U256::from(
                    value,
                )))
            }
            Calls::sharePrice(_) => {
                charge_view(env, Self::pool_value_reads(), VIEW_COMPUTE)?;
                let price = Backstop::<T>::share_price().map_err(revert_of::<T>)?;
                Ok(IBackstop::sharePriceCall::abi_encode_returns(&U256::from(
                    price.into_inner(),
                )))
            }
            Calls::totalShares(_) => {
                charge_view(env, ITEM_READS, 0)?;
                let total = pallet_backstop::TotalShares::<T>::get();
                Ok(IBackstop::totalSharesCall::abi_encode_returns(&U256::from(
                    total,
                )))
            }
            Calls::sharesOf(c) => {
                charge_view(env, ITEM_READS, 0)?;
                let shares = Backstop::<T>::shares_of(&account_of::<T>(env, &c.who)?);
                Ok(IBackstop::sharesOfCall::abi_encode_returns(&U256::from(
                    shares,
                )))
            }
            Calls::valueOf(c) => {
                charge_view(
                    env,
                    Self::pool_value_reads().saturating_add(1),
                    VIEW_COMPUTE,
                )?;
                let value = Backstop::<T>::value_of(&account_of::<T>(env, &c.who)?)
                    .map_err(revert_of::<T>)?;
                Ok(IBackstop::valueOfCall::abi_encode_returns(&U256::from(
                    value,
                )))
            }
            Calls::scoreOf(c) => {
                charge_view(env, Self::score_reads(), VIEW_COMPUTE)?;
                let score = Backstop::<T>::score_of(&account_of::<T>(env, &c.who)?);
                Ok(IBackstop::scoreOfCall::abi_encode_returns(&U256::from(
                    score,
                )))
            }
            Calls::claimable(c) => {
                charge_view(env, Self::score_reads(), VIEW_COMPUTE)?;
                let claimable = Backstop::<T>::claimable(&account_of::<T>(env, &c.who)?);
                Ok(IBackstop::claimableCall::abi_encode_returns(&U256::from(
                    claimable,
                )))
            }
            Calls::refundOf(c) => {
                charge_view(env, ITEM_READS, 0)?;
                let refund =
                    pallet_backstop::Refunds::<T>::get(account_of::<T>(env, &c.who)?).unwrap_or(0);
                Ok(IBackstop::refundOfCall::abi_encode_returns(&U256::from(
                    refund,
                )))
            }
        }
    }
}
