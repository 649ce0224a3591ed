//! The backstop's liquidation of avatar positions: by the assigned member during its
//! priority, by the backstop pool after it.
//!
//! A liquidation removes `amount` of the position's `debt_backstop` and pays the liquidator
//! collateral worth `amount · LIF` at the oracle price (rounded down, at most all of it);
//! `user_share` of the liquidator's gain (collateral value received minus `amount`, the jar's
//! part rounded up) goes to the reward jar. `amount` is covered in this order:
//!
//! 1. the liquidating member's own cushion (it already paid that debt: it is simply repaid in
//!    collateral);
//! 2. the other providers' cushion, bought back at par by the liquidator (the pool has no
//!    cushion of its own, so for the pool every cushion is another's);
//! 3. market debt.
//!
//! The cushion is junior to the market's debt: collateral may only leave the market position
//! while the market still sees it healthy. So the split moves from cushion to market debt as
//! far as needed to keep the market position healthy (`repaid ≥ debt_market −
//! capacity_after`, with two units of headroom for the market's share rounding); if the market already sees the position liquidatable and `amount` does
//! not cover the whole market debt, the market part is done through the market's own
//! liquidation (the avatar liquidates itself, which only this pallet can do) and no cushion is
//! consumed. Either way a member's part of a big position can always be liquidated on its own.
//!
//! **Insolvency: the pool never overpays, the cushion is junior.** When `amount · LIF` is
//! worth more than all the position's collateral, the collateral cannot pay for `amount`:
//! the position is *wound down* instead. The liquidator takes all the collateral and pays
//! what it is worth at the incentive, `covered = value / LIF` (rounded down), never more.
//! The market's debt is senior: if `covered` does not reach it, the avatar liquidates itself
//! in the market for all the collateral, and the market realises the rest of its debt as
//! bad debt through its bad-debt hook; the whole cushion is written off. Otherwise the market
//! debt is repaid in full and the cushion recovers what is left of `covered`, pro rata per
//! provider; the rest of the cushion is written off (the members' loss, before the pool's).
//! On every route the pool's payment (debt, cushion bought, the jar's share) is checked
//! against what the collateral it receives is worth at the oracle price: a liquidation that
//! would leave the pool poorer (only possible for amounts of the order of one collateral
//! unit) is refused with `LiquidationAtALoss`.
//!
//! **Who may liquidate when.** The assigned member during the members' priority (and any
//! member after it); the pool once the priority is over; and, once the pool's turn
//! (`pool_turn` blocks after the priority window) has passed too and the market itself sees
//! the position unhealthy, anyone ([`Pallet::open_liquidate`](crate::Pallet::open_liquidate)),
//! paying from its own stable. No position is ever unliquidatable: with the pool out of
//! stable and no member acting, the market's own liquidators take it, through the avatar so
//! the cushion ledger stays right.
//!
//! The liquidator pays from its committed liquidity (a member, through
//! [`Config::Members`]), from the pool's stable ([`Config::Pool`]), which also books the
//! collateral and pays the keeper that triggered it, or from its own stable (anyone).

use crate::{
    functions::{capacity, debt_backstop},
    pallet::*,
};
use alloc::vec::Vec;
use backstop_primitives::{
    mul_div, value_at, Assignee, BackstopMembers, BackstopPool, Balance, LendingMarket, MarketId,
    MarketInfo, RewardJar,
};
use frame_support::{
    ensure,
    traits::{
        fungibles::{Inspect, Mutate},
        tokens::{Fortitude, Preservation},
        Get,
    },
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_arithmetic::{
    traits::{Saturating, Zero},
    FixedPointNumber, FixedU128, Perbill, Rounding,
};
use sp_runtime::{DispatchError, DispatchResult};

/// Who liquidates an avatar position, and pays for it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) enum Liquidator<AccountId> {
    /// A franchise member, from its committed liquidity; the collateral is paid to it.
    Member(AccountId),
    /// The backstop pool, triggered by `keeper`; the collateral is paid to the pool.
    Pool { keeper: AccountId },
    /// Anyone, once the members' priority and the pool's turn are over and the market itself
    /// sees the position unhealthy: pays from its own stable and receives the collateral.
    Anyone(AccountId),
}

/// Loan units of headroom the split keeps below the market's limit when collateral leaves a
/// position the market sees healthy: a repayment cancels borrow shares rounded down and the
/// market counts the remaining shares rounded up, so its debt can end up to two units above
/// `debt − repaid`.
const MARKET_ROUNDING_MARGIN: Balance = 2;

/// Where the avatar pays stable it was funded with during a liquidation.
enum Payout<AccountId> {
    /// Back to a cushion provider's commitment.
    Provider(AccountId),
    /// Into the reward jar.
    Jar,
    /// Repaying market debt.
    Market,
    /// The market's own liquidation, seizing this much collateral.
    MarketLiquidation(Balance),
}

/// The prices of a liquidation: the oracle price of one collateral unit in loan units, and the
/// jar's share of the liquidator's gain.
struct Terms {
    price: FixedU128,
    share: Perbill,
}

/// What a liquidation did, in loan units (`seized` in collateral units).
struct Outcome {
    /// `debt_backstop` removed.
    amount: Balance,
    /// Market debt repaid.
    repaid: Balance,
    /// Collateral paid to the liquidator.
    seized: Balance,
    /// Paid into the reward jar.
    to_jar: Balance,
    /// Everything the liquidator paid: market debt, the others' cushion and the jar's part.
    cost: Balance,
    /// Whether the market's own liquidation did it (the heavier route).
    in_market: bool,
}

/// Which way a liquidation went, for the weight it is charged: the market's own liquidation
/// (the avatar liquidating itself) or the avatar's split (cushion, market debt repaid,
/// collateral withdrawn).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Route {
    /// Through the avatar's split or wind-down: repayment and collateral withdrawal.
    Split,
    /// Through the market's own liquidation.
    InMarket,
}

/// What an executed liquidation did, the liquidator's own cushion it used (consumed) and what
/// each other cushion provider was paid (returned).
type Executed<AccountId> = (Outcome, Balance, Vec<(AccountId, Balance)>);

impl<T: Config> Pallet<T> {
    /// Whether the members' priority on the position of avatar `avatar` in `market`, in a
    /// liquidation episode that started at block `since`, is over: the franchise assigns the
    /// position to the pool, or the market's priority `window` (blocks) has run since `since`
    /// and the current assignment window's priority period has passed too.
    pub(crate) fn priority_over(
        market: MarketId,
        avatar: &T::AccountId,
        since: BlockNumberFor<T>,
        window: u32,
    ) -> bool {
        let assignment = T::Members::assigned(market, avatar);
        if assignment.assignee == Assignee::Pool {
            return true;
        }
        assignment.priority_passed && since.saturating_add(window.into()) <= Self::now_block()
    }

    /// The share of a liquidation's gain that goes to the jar in `market`: the market's own
    /// `user_share` if governance set one, else the jar's default.
    pub fn user_share(market: MarketId) -> Perbill {
        Self::share_of(&Self::params(market))
    }

    /// The jar's share under `params`.
    fn share_of(params: &crate::AvatarParams) -> Perbill {
        params.user_share.unwrap_or_else(T::Jar::user_share)
    }

    /// Collateral worth `amount · LIF` at `price`, rounded down, at most `collateral`.
    fn collateral_for(
        info: &MarketInfo,
        amount: Balance,
        price: FixedU128,
        collateral: Balance,
    ) -> Result<Balance, DispatchError> {
        let with_incentive = mul_div(
            amount,
            info.lif.into_inner(),
            FixedU128::DIV,
            Rounding::Down,
        )
        .ok_or(Error::<T>::Overflow)?;
        let seized = mul_div(
            with_incentive,
            FixedU128::DIV,
            price.into_inner(),
            Rounding::Down,
        )
        .ok_or(Error::<T>::Overflow)?;
        Ok(seized.min(collateral))
    }

    /// The jar's `share` of the gain of `seized` collateral received for `paid` at `price`,
    /// rounded up.
    fn jar_part(terms: &Terms, seized: Balance, paid: Balance) -> Result<Balance, DispatchError> {
        let value = value_at(seized, terms.price, Rounding::Down).ok_or(Error::<T>::Overflow)?;
        Ok(terms.share.mul_ceil(value.saturating_sub(paid)))
    }

    /// The liquidator pays `amount` of stable to `to`.
    fn fund(
        liquidator: &Liquidator<T::AccountId>,
        amount: Balance,
        to: &T::AccountId,
    ) -> DispatchResult {
        if amount.is_zero() {
            return Ok(());
        }
        match liquidator {
            Liquidator::Member(member) => {
                ensure!(
                    T::Members::available_commitment(member) >= amount,
                    Error::<T>::InsufficientCommitment
                );
                T::Members::draw_commitment(member, amount, to)
            }
            Liquidator::Pool { .. } => T::Pool::draw_stable(amount, to),
            Liquidator::Anyone(who) => {
                let stable = info_stable::<T>();
                ensure!(
                    T::Assets::reducible_balance(
                        stable,
                        who,
                        Preservation::Expendable,
                        Fortitude::Polite
                    ) >= amount,
                    Error::<T>::InsufficientBalance
                );
                T::Assets::transfer(stable, who, to, amount, Preservation::Expendable).map(|_| ())
            }
        }
    }

    /// Collateral worth `amount · LIF` at `price`, rounded down, whether or not the position
    /// has that much: more than it has means `amount` cannot be paid for by its collateral.
    fn collateral_wanted(
        info: &MarketInfo,
        amount: Balance,
        price: FixedU128,
    ) -> Result<Balance, DispatchError> {
        Self::collateral_for(info, amount, price, Balance::MAX)
    }

    /// `liquidator` liquidates `amount` of `user`'s `debt_backstop` in `market` (all of it
    /// for `None`; see the module doc). Returns the route it took.
    pub(crate) fn do_liquidate(
        liquidator: Liquidator<T::AccountId>,
        market: MarketId,
        user: &T::AccountId,
        amount: Option<Balance>,
    ) -> Result<Route, DispatchError> {
        ensure!(amount != Some(0), Error::<T>::ZeroAmount);
        let info = Self::market_info(market)?;
        Self::enact_due(market);
        let params = Self::params(market);
        Self::ensure_stable(&info)?;
        let avatar = Self::existing_avatar(user)?;
        let (mut position, market_position) = Self::synced(market, user, &avatar)?;
        Self::refresh_episode(market, user, &info, &mut position, &market_position, true)?;
        let debt = debt_backstop::<T>(&market_position, &position)?;
        let episode = position
            .episode
            .clone()
            .ok_or(Error::<T>::PositionHealthy)?;
        // `None`: the whole `debt_backstop`.
        let amount = amount.unwrap_or(debt);
        ensure!(amount <= debt, Error::<T>::AmountExceedsDebt);

        // Who may, and who receives the collateral.
        let big = episode.debt_at_start > params.big_position;
        let (member, receiver) = match &liquidator {
            Liquidator::Member(member) => {
                ensure!(
                    Self::is_assigned(market, &avatar, member, big),
                    Error::<T>::NotAssignedMember
                );
                (Some(member.clone()), member.clone())
            }
            Liquidator::Pool { .. } => {
                ensure!(
                    Self::priority_over(market, &avatar, episode.since, params.priority_window),
                    Error::<T>::PriorityNotPassed
                );
                (None, T::Pool::account())
            }
            Liquidator::Anyone(who) => {
                let open_at = episode
                    .since
                    .saturating_add(params.priority_window.into())
                    .saturating_add(params.pool_turn.into());
                ensure!(
                    Self::priority_over(market, &avatar, episode.since, params.priority_window)
                        && open_at <= Self::now_block(),
                    Error::<T>::PoolTurnNotPassed
                );
                ensure!(
                    T::Lending::is_liquidatable(market, &avatar)?,
                    Error::<T>::MarketSeesHealthy
                );
                (None, who.clone())
            }
        };

        // The split between cushion and market debt.
        let price = Self::collateral_price(&info)?;
        let terms = Terms {
            price,
            share: Self::share_of(&params),
        };
        let debt_market = market_position.borrow_assets;
        let collateral = market_position.collateral;
        let (outcome, own_used, others) =
            if Self::collateral_wanted(&info, amount, price)? > collateral {
                // More than the collateral can pay for at the incentive: the position is
                // wound down (all its collateral, paid for at what it is worth).
                Self::wind_down(
                    &liquidator,
                    market,
                    &info,
                    &avatar,
                    &position,
                    member.as_ref(),
                    &terms,
                    debt_market,
                    collateral,
                    &receiver,
                )?
            } else {
                Self::split_and_execute(
                    &liquidator,
                    market,
                    &info,
                    &avatar,
                    &position,
                    member.as_ref(),
                    &terms,
                    (debt_market, collateral),
                    amount,
                    &receiver,
                )?
            };
        let others_used = others
            .iter()
            .fold(0, |s: Balance, (_, a)| s.saturating_add(*a));
        // The pool never pays more than what it receives is worth at the oracle price.
        if matches!(liquidator, Liquidator::Pool { .. }) {
            let worth =
                value_at(outcome.seized, price, Rounding::Down).ok_or(Error::<T>::Overflow)?;
            ensure!(worth >= outcome.cost, Error::<T>::LiquidationAtALoss);
        }

        // Books: the cushion, the market totals, the member's part of the episode.
        let mut cushion = position.cushion.clone();
        for (provider, part) in cushion.iter_mut() {
            let used = if Some(&*provider) == member.as_ref() {
                own_used
            } else {
                others
                    .iter()
                    .find(|(p, _)| p == provider)
                    .map_or(0, |(_, a)| *a)
            };
            *part = part.saturating_sub(used);
        }
        cushion.retain(|(_, part)| !part.is_zero());
        position.cushion = cushion;
        if !own_used.is_zero() || !others_used.is_zero() {
            Cushions::<T>::try_mutate(market, |t| -> DispatchResult {
                t.consumed = t
                    .consumed
                    .checked_add(own_used)
                    .ok_or(Error::<T>::Overflow)?;
                t.returned = t
                    .returned
                    .checked_add(others_used)
                    .ok_or(Error::<T>::Overflow)?;
                Ok(())
            })?;
        }
        if let (Some(member), Some(episode)) = (member.as_ref(), position.episode.as_mut()) {
            let done = episode
                .liquidated
                .iter()
                .find(|(m, _)| m == member)
                .map_or(0, |(_, d)| *d)
                .checked_add(outcome.amount)
                .ok_or(Error::<T>::Overflow)?;
            if big {
                let part = episode
                    .debt_at_start
                    .checked_div(Self::seats())
                    .unwrap_or(0);
                ensure!(done <= part, Error::<T>::ExceedsSeatPart);
            }
            match episode.liquidated.iter_mut().find(|(m, _)| m == member) {
                Some((_, d)) => *d = done,
                None => episode
                    .liquidated
                    .try_push((member.clone(), done))
                    .map_err(|_| Error::<T>::TooManyProviders)?,
            }
        }
        if let Liquidator::Pool { keeper } = &liquidator {
            T::Pool::book_liquidation(keeper, market, &avatar, outcome.cost, outcome.seized)?;
        }
        Self::store(market, user, &avatar, &info, position)?;
        Self::deposit_event(Event::Liquidated {
            market,
            user: user.clone(),
            liquidator: receiver,
            amount: outcome.amount,
            cushion_used: own_used.saturating_add(others_used),
            repaid: outcome.repaid,
            seized: outcome.seized,
            to_jar: outcome.to_jar,
        });
        Ok(if outcome.in_market {
            Route::InMarket
        } else {
            Route::Split
        })
    }

    /// A liquidation of `amount` the position's collateral can pay for: the split between
    /// the liquidator's own cushion, the others' cushion (bought back at par) and market
    /// debt (see the module doc), executed. Returns what was done, the liquidator's own
    /// cushion used and what each other provider was paid.
    #[allow(clippy::too_many_arguments)]
    fn split_and_execute(
        liquidator: &Liquidator<T::AccountId>,
        market: MarketId,
        info: &MarketInfo,
        avatar: &T::AccountId,
        position: &PositionOf<T>,
        member: Option<&T::AccountId>,
        terms: &Terms,
        (debt_market, collateral): (Balance, Balance),
        amount: Balance,
        receiver: &T::AccountId,
    ) -> Result<Executed<T::AccountId>, DispatchError> {
        let through_market = amount < debt_market && T::Lending::is_liquidatable(market, avatar)?;
        // Collateral worth `amount · LIF` (the market's own liquidation recomputes it).
        let seized = Self::collateral_for(info, amount, terms.price, collateral)?;
        let repaid_target = if amount >= debt_market {
            debt_market
        } else if through_market {
            amount
        } else {
            let capacity_after =
                capacity(collateral.saturating_sub(seized), terms.price, info.lltv)
                    .ok_or(Error::<T>::Overflow)?;
            debt_market
                .saturating_add(MARKET_ROUNDING_MARGIN)
                .saturating_sub(capacity_after)
                .max(amount.saturating_sub(position.total_cushion()))
                .min(amount)
        };
        let from_cushion = amount.saturating_sub(repaid_target);
        let own_used = member.map_or(0, |m| from_cushion.min(position.cushion_of(m)));
        let mut left = from_cushion.saturating_sub(own_used);
        let mut others: Vec<(T::AccountId, Balance)> = Vec::new();
        for (provider, part) in position.cushion.iter() {
            if Some(provider) == member || left.is_zero() {
                continue;
            }
            let take = left.min(*part);
            left = left.saturating_sub(take);
            others.push((provider.clone(), take));
        }
        let others_used = others
            .iter()
            .fold(0, |s: Balance, (_, a)| s.saturating_add(*a));

        if through_market {
            let outcome =
                Self::liquidate_in_market(liquidator, market, info, avatar, amount, seized, terms)?;
            // The market's own liquidation consumes no cushion.
            return Ok((outcome, 0, Vec::new()));
        }
        Self::ensure_not_dust(info, seized)?;
        let to_jar = Self::jar_part(terms, seized, amount)?;
        let cost = repaid_target
            .checked_add(others_used)
            .and_then(|c| c.checked_add(to_jar))
            .ok_or(Error::<T>::Overflow)?;
        Self::fund(liquidator, cost, avatar)?;
        let mut payouts: Vec<(Balance, Payout<T::AccountId>)> = others
            .iter()
            .map(|(provider, take)| (*take, Payout::Provider(provider.clone())))
            .collect();
        payouts.push((to_jar, Payout::Jar));
        payouts.push((repaid_target, Payout::Market));
        Self::pay_out(market, avatar, payouts)?;
        T::Lending::withdraw_collateral(avatar, market, seized, receiver)?;
        let outcome = Outcome {
            amount,
            repaid: repaid_target,
            seized,
            to_jar,
            cost,
            in_market: false,
        };
        Ok((outcome, own_used, others))
    }

    /// Winds down a position whose collateral cannot pay for what is asked: the liquidator
    /// takes all of it and pays what it is worth at the incentive, `covered = value / LIF`
    /// (rounded down), never more. The market's debt is senior: if `covered` does not reach
    /// it, the market's own liquidation takes all the collateral for what it is worth and
    /// realises the rest of its debt as bad debt (its bad-debt hook), and the whole cushion is
    /// written off. Otherwise the market debt is repaid in full and the cushion, junior,
    /// recovers what is left of `covered`, pro rata per provider (rounded down); the rest of
    /// the cushion is written off when the position is stored. Returns what was done, the
    /// liquidator's own cushion recovered and what each other provider was paid.
    #[allow(clippy::too_many_arguments)]
    fn wind_down(
        liquidator: &Liquidator<T::AccountId>,
        market: MarketId,
        info: &MarketInfo,
        avatar: &T::AccountId,
        position: &PositionOf<T>,
        member: Option<&T::AccountId>,
        terms: &Terms,
        debt_market: Balance,
        collateral: Balance,
        receiver: &T::AccountId,
    ) -> Result<Executed<T::AccountId>, DispatchError> {
        Self::ensure_not_dust(info, collateral)?;
        let value =
            value_at(collateral, terms.price, Rounding::Down).ok_or(Error::<T>::Overflow)?;
        let covered = mul_div(value, FixedU128::DIV, info.lif.into_inner(), Rounding::Down)
            .ok_or(Error::<T>::Overflow)?;
        // The market's own liquidation of all the collateral, for what it charges.
        if covered < debt_market
            && T::Lending::is_liquidatable(market, avatar)?
            && T::Lending::liquidation_repayment(market, collateral)? < debt_market
        {
            let outcome = Self::liquidate_in_market(
                liquidator,
                market,
                info,
                avatar,
                debt_market,
                collateral,
                terms,
            )?;
            return Ok((outcome, 0, Vec::new()));
        }
        let total_cushion = position.total_cushion();
        let recovery = covered.saturating_sub(debt_market).min(total_cushion);
        let mut own = 0;
        let mut others: Vec<(T::AccountId, Balance)> = Vec::new();
        if !recovery.is_zero() {
            for (provider, part) in position.cushion.iter() {
                let share = mul_div(recovery, *part, total_cushion, Rounding::Down)
                    .ok_or(Error::<T>::Overflow)?;
                if Some(provider) == member {
                    own = share;
                } else if !share.is_zero() {
                    others.push((provider.clone(), share));
                }
            }
        }
        let others_paid = others
            .iter()
            .fold(0, |s: Balance, (_, a)| s.saturating_add(*a));
        let paid_for = debt_market
            .checked_add(others_paid)
            .and_then(|p| p.checked_add(own))
            .ok_or(Error::<T>::Overflow)?;
        let to_jar = Self::jar_part(terms, collateral, paid_for)?;
        let cost = debt_market
            .checked_add(others_paid)
            .and_then(|c| c.checked_add(to_jar))
            .ok_or(Error::<T>::Overflow)?;
        Self::fund(liquidator, cost, avatar)?;
        let mut payouts: Vec<(Balance, Payout<T::AccountId>)> = others
            .iter()
            .map(|(provider, take)| (*take, Payout::Provider(provider.clone())))
            .collect();
        payouts.push((to_jar, Payout::Jar));
        payouts.push((debt_market, Payout::Market));
        Self::pay_out(market, avatar, payouts)?;
        T::Lending::withdraw_collateral(avatar, market, collateral, receiver)?;
        let outcome = Outcome {
            amount: paid_for,
            repaid: debt_market,
            seized: collateral,
            to_jar,
            cost,
            in_market: false,
        };
        Ok((outcome, own, others))
    }

    /// Refuses a liquidation whose collateral is below the collateral asset's minimum
    /// balance (no account could receive it).
    fn ensure_not_dust(info: &MarketInfo, seized: Balance) -> DispatchResult {
        ensure!(
            !seized.is_zero() && seized >= T::Assets::minimum_balance(info.collateral_asset),
            Error::<T>::DustAmount
        );
        Ok(())
    }

    /// The avatar pays out what the liquidator funded, smallest payment first, so that what
    /// it holds in between is always at least the largest payment: no remainder below the
    /// stable asset's minimum balance is ever left to be reaped.
    fn pay_out(
        market: MarketId,
        avatar: &T::AccountId,
        mut payouts: Vec<(Balance, Payout<T::AccountId>)>,
    ) -> DispatchResult {
        payouts.sort_by_key(|(amount, _)| *amount);
        for (amount, payout) in payouts {
            if amount.is_zero() {
                continue;
            }
            match payout {
                Payout::Provider(provider) => {
                    T::Members::return_to_commitment(&provider, amount, avatar)?
                }
                Payout::Jar => T::Jar::deposit_income(avatar, amount)?,
                Payout::Market => {
                    T::Lending::repay(avatar, market, avatar, amount)?;
                }
                Payout::MarketLiquidation(seized) => {
                    // The quote is the market's own computation in the same block; refuse
                    // rather than strand funds in the avatar if they ever differ.
                    let (repaid, _) = T::Lending::liquidate(avatar, market, avatar, seized)?;
                    ensure!(repaid == amount, Error::<T>::MarketMismatch);
                }
            }
        }
        Ok(())
    }

    /// The market part through the market's own liquidation, the avatar liquidating itself:
    /// `seized`, the collateral worth `amount · LIF`, is taken for what the market charges
    /// (quoted before; at most `amount` unless one collateral unit is worth less than the
    /// market's rounding), then passed on to the liquidator.
    fn liquidate_in_market(
        liquidator: &Liquidator<T::AccountId>,
        market: MarketId,
        info: &MarketInfo,
        avatar: &T::AccountId,
        amount: Balance,
        mut seized: Balance,
        terms: &Terms,
    ) -> Result<Outcome, DispatchError> {
        let mut repaid = T::Lending::liquidation_repayment(market, seized)?;
        // The market rounds its charge up (value, incentive, shares, assets): when that
        // takes it above `amount`, seize one unit less.
        if repaid > amount && seized > 1 {
            seized = seized.saturating_sub(1);
            repaid = T::Lending::liquidation_repayment(market, seized)?;
        }
        Self::ensure_not_dust(info, seized)?;
        let to_jar = Self::jar_part(terms, seized, repaid)?;
        let cost = repaid.checked_add(to_jar).ok_or(Error::<T>::Overflow)?;
        Self::fund(liquidator, cost, avatar)?;
        Self::pay_out(
            market,
            avatar,
            alloc::vec![
                (to_jar, Payout::Jar),
                (repaid, Payout::MarketLiquidation(seized)),
            ],
        )?;
        let receiver = match liquidator {
            Liquidator::Member(member) => member.clone(),
            Liquidator::Pool { .. } => T::Pool::account(),
            Liquidator::Anyone(who) => who.clone(),
        };
        T::Assets::transfer(
            info.collateral_asset,
            avatar,
            &receiver,
            seized,
            Preservation::Expendable,
        )?;
        Ok(Outcome {
            amount: repaid,
            repaid,
            seized,
            to_jar,
            cost,
            in_market: true,
        })
    }
}

/// The backstop's stable asset.
fn info_stable<T: Config>() -> backstop_primitives::AssetId {
    T::StableAsset::get()
}
