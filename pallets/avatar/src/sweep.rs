//! The avatar sweep: no keeper needed for avatar positions either.
//!
//! The backstop's same-block sweep leaves avatar positions alone (only the avatar may
//! liquidate them in the market, so the cushion ledger stays right). In the block's idle time,
//! after the backstop's sweep, this pallet asks each market's liquidation index for the
//! positions liquidatable at the current price (a bounded walk), and for each avatar among them
//! does what a keeper would: once the members' priority is over, the pool's liquidation of the
//! whole `debt_backstop` (as
//! [`pool_liquidate_many`](Pallet::pool_liquidate_many), the pool as its own keeper), or,
//! while it cannot be liquidated yet, [`sync`](Pallet::sync) (which starts the liquidation
//! episode, and with it the members' priority window). Each
//! step runs in its own storage layer: a position that cannot be liquidated yet (priority, a
//! loss for the pool, the pool out of stable) is left as it was for the next block or a
//! member. Bounded by [`SWEEP_MARKETS`] markets and [`SWEEP_POSITIONS`] positions per market
//! and by the block's spare weight; charged per position at a sync plus the heavier pool
//! route, and per market for the index walk.
//!
//! The index orders positions by the market's own threshold (lltv): a position liquidatable
//! for the backstop only through the avatar's margin (below lltv) is not seen here; the
//! assigned member and `pool_liquidate` reach it.
use crate::weights::WeightInfo as _;
use crate::{liquidation::Liquidator, pallet::*, UserOf};
use backstop_primitives::{BackstopPool, LendingMarket, MarketId};
use frame_support::{pallet_prelude::*, storage::with_storage_layer};

/// Most markets the avatar sweep looks at per block.
pub const SWEEP_MARKETS: MarketId = 8;
/// Most liquidatable positions the avatar sweep takes from one market's index per block.
pub const SWEEP_POSITIONS: u32 = 8;
/// Most index nodes one market's walk visits.
const SWEEP_VISITS: u32 = 4 * SWEEP_POSITIONS + 16;

impl<T: Config> Pallet<T> {
    /// The weight of one market's index walk: the market, its interest, the price and the
    /// nodes visited.
    fn walk_weight() -> Weight {
        T::DbWeight::get().reads(u64::from(SWEEP_VISITS) + 6)
    }

    /// The weight of one avatar position: a sync and the heavier pool route.
    fn position_weight() -> Weight {
        T::WeightInfo::sync().saturating_add(
            T::WeightInfo::pool_liquidate().max(T::WeightInfo::pool_liquidate_in_market()),
        )
    }

    /// The avatar sweep with `remaining` weight (see the module docs); returns what it used.
    pub(crate) fn sweep(remaining: Weight) -> Weight {
        let mut used = Weight::zero();
        let keeper = T::Pool::account();
        for market in 0..SWEEP_MARKETS {
            let step = Self::walk_weight().saturating_add(Self::position_weight());
            if remaining.any_lt(used.saturating_add(step)) {
                break;
            }
            let Ok(info) = Self::market_info(market) else {
                break;
            };
            used = used.saturating_add(Self::walk_weight());
            if Self::ensure_stable(&info).is_err() {
                continue;
            }
            let Ok(price) = Self::collateral_price(&info) else {
                continue;
            };
            let Ok(found) = T::Lending::liquidatable_positions_within(
                market,
                price,
                SWEEP_POSITIONS,
                SWEEP_VISITS,
            ) else {
                continue;
            };
            for avatar in found {
                // Ordinary positions are the backstop sweep's.
                let Some(user) = UserOf::<T>::get(&avatar) else {
                    continue;
                };
                if remaining.any_lt(used.saturating_add(Self::position_weight())) {
                    return used;
                }
                used = used.saturating_add(Self::position_weight());
                // The liquidation syncs the position itself; only when it cannot happen yet
                // (the members' priority) is the sync kept, to start the episode's clock.
                let liquidated = with_storage_layer(|| {
                    Self::do_liquidate(
                        Liquidator::Pool {
                            keeper: keeper.clone(),
                        },
                        market,
                        &user,
                        None,
                    )
                });
                if liquidated.is_err() {
                    let _ = with_storage_layer(|| Self::do_sync(market, &user));
                }
            }
        }
        used
    }
}
