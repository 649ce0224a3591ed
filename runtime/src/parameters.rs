//! Every governed parameter of Backstop in one answer: the runtime API [`ParametersApi`]
//! (`ParametersApi_parameters` over `state_call`), for front ends, voters checking a
//! referendum's effect, and monitoring.
//!
//! One call returns the pool's parameters, the sweep cap, the franchise and sharing
//! parameters, every per-pair score weight, for every lending market its own parameters
//! (which never change once created) with the avatar parameters in force and any announced
//! change, and the calls paused by governance (pallet-tx-pause).

use crate::{BlockNumber, Runtime};
use alloc::vec::Vec;
use backstop_primitives::{AssetId, MarketId, Side};
use codec::{Decode, Encode};
use scale_info::TypeInfo;
use sp_runtime::{FixedU128, Perbill};

/// One lending market's parameters and the avatar parameters that govern its positions.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct MarketParameters {
    /// The market's id.
    pub market: MarketId,
    /// The asset it lends.
    pub loan_asset: AssetId,
    /// The asset it takes as collateral.
    pub collateral_asset: AssetId,
    /// Liquidation loan-to-value.
    pub lltv: Perbill,
    /// Liquidation incentive factor.
    pub lif: FixedU128,
    /// Interest rate model.
    pub irm: pallet_lending::JumpRateModel,
    /// The avatar parameters in force now (an announced change counts from its activation
    /// block).
    pub avatar: pallet_avatar::AvatarParams,
    /// An announced avatar parameter change that is not in force yet: the parameters and
    /// their activation block.
    pub avatar_pending: Option<(pallet_avatar::AvatarParams, BlockNumber)>,
}

/// Every governed parameter of Backstop, as [`ParametersApi::parameters`] returns it.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo)]
pub struct Parameters {
    /// The pool's parameters (pallet-backstop `Params`).
    pub pool: pallet_backstop::PoolParams,
    /// The sweep's positions per market and block (pallet-backstop `SweepCap`).
    pub sweep_cap: u32,
    /// When and at what price the pool sells collateral on the DEX (pallet-backstop
    /// `RebalanceParameters`).
    pub rebalance: pallet_backstop::RebalanceParams,
    /// The franchise's parameters, from the next epoch (pallet-backstop
    /// `FranchiseParameters`).
    pub franchise: pallet_backstop::FranchiseParams,
    /// The parameters the running epoch uses (frozen at its start).
    pub franchise_in_epoch: Option<pallet_backstop::FranchiseParams>,
    /// How users share in the proceeds (pallet-backstop `SharingParameters`).
    pub sharing: pallet_backstop::SharingParams,
    /// The score weight of every (market, side) pair scored so far; other pairs use the
    /// default weights of `sharing`.
    pub score_weights: Vec<(MarketId, Side, FixedU128)>,
    /// Every lending market, in id order.
    pub markets: Vec<MarketParameters>,
    /// The calls paused by governance, `(pallet, call)` names (pallet-tx-pause).
    pub paused: Vec<(Vec<u8>, Vec<u8>)>,
}

/// The current [`Parameters`].
pub fn current() -> Parameters {
    let mut score_weights: Vec<_> = pallet_backstop::ScoreBooks::<Runtime>::iter()
        .map(|((market, side), book)| (market, side, book.weight))
        .collect();
    score_weights.sort_by_key(|(market, side, _)| (*market, *side));
    let pending = |market| {
        pallet_avatar::Pending::<Runtime>::get(market)
            .filter(|p| p.activation > frame_system::Pallet::<Runtime>::block_number())
            .map(|p| (p.params, p.activation))
    };
    let markets = (0..pallet_lending::NextMarketId::<Runtime>::get())
        .filter_map(|market| {
            let m = pallet_lending::Markets::<Runtime>::get(market)?;
            Some(MarketParameters {
                market,
                loan_asset: m.loan_asset,
                collateral_asset: m.collateral_asset,
                lltv: m.lltv,
                lif: m.lif,
                irm: m.irm,
                avatar: pallet_avatar::Pallet::<Runtime>::params(market),
                avatar_pending: pending(market),
            })
        })
        .collect();
    let mut paused: Vec<_> = pallet_tx_pause::PausedCalls::<Runtime>::iter_keys()
        .map(|(pallet, call)| (pallet.into_inner(), call.into_inner()))
        .collect();
    paused.sort();
    Parameters {
        pool: pallet_backstop::Params::<Runtime>::get(),
        sweep_cap: pallet_backstop::SweepCap::<Runtime>::get(),
        rebalance: pallet_backstop::RebalanceParameters::<Runtime>::get(),
        franchise: pallet_backstop::FranchiseParameters::<Runtime>::get(),
        franchise_in_epoch: pallet_backstop::Epoch::<Runtime>::get().map(|e| e.params),
        sharing: pallet_backstop::SharingParameters::<Runtime>::get(),
        score_weights,
        markets,
        paused,
    }
}

sp_api::decl_runtime_apis! {
    /// Every governed parameter of Backstop in one call (see the module docs).
    pub trait ParametersApi {
        /// The parameters of the pool, the franchise, the sharing, every market and its
        /// avatars, and the paused calls, as they are now.
        fn parameters() -> Parameters;
    }
}
