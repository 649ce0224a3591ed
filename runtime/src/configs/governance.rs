//! Governance: OpenGov (pallet-referenda, pallet-conviction-voting, pallet-scheduler,
//! pallet-preimage) with Backstop's two tracks, and pallet-tx-pause as the emergency brake.
//!
//! - [`origins`]: the track origins `BackstopParams` and `BackstopEmergency` and the
//!   `EnsureOrigin`s the pallets are configured with.
//! - [`tracks`]: the tracks, with production periods and the development chain's short
//!   ones.
//!
//! Who may do what:
//!
//! | action | origin |
//! |---|---|
//! | change a Backstop parameter (pallet-lending, -backstop, -avatar `GovernanceOrigin`) | `BackstopParams` or root |
//! | make a Backstop parameter safer only (the pallets' `EmergencyOrigin`: lower a cap, raise a margin, each parameter's doc says which way) | `BackstopEmergency` |
//! | pause a call (`txPause.pause`) | `BackstopEmergency` or root |
//! | unpause a call (`txPause.unpause`) | `BackstopParams` or root |
//! | submit a referendum | any signed account, with a deposit |
//!
//! Root stays accepted next to each track: root can replace the runtime, so refusing it here
//! would protect nothing, and the dev chain's `sudo` (absent from every other preset) and the
//! benchmark and test set-ups use it.
//!
//! Only the Backstop pallets' calls that open or grow risk can be paused (see
//! [`is_pausable`]): deposits, supplies, borrows, bids, swaps, top-ups and liquidations.
//! Withdrawals, repayments, claims and leaving (a user can always reduce risk and get out),
//! the parameter setters (a pause must not block the `BackstopParams` track), and every
//! call of every other pallet (system, timestamp, the oracle feed, balances, governance
//! itself) are never pausable.

pub mod origins;
pub mod tracks;

use crate::{
    AccountId, Balance, Balances, BlockNumber, OriginCaller, Preimage, Referenda, Runtime,
    RuntimeCall, RuntimeEvent, RuntimeHoldReason, RuntimeOrigin, MILLI_UNIT, UNIT,
};
use frame_support::{
    parameter_types,
    traits::{
        fungible::HoldConsideration, ConstU32, Contains, EitherOf, EqualPrivilegeOnly,
        LinearStoragePrice, TotalIssuanceOf,
    },
    weights::Weight,
};
use frame_system::{EnsureRoot, EnsureSigned};
use sp_runtime::Perbill;

/// Pallets whose calls the emergency track may pause (their names in the runtime).
pub const PAUSABLE_PALLETS: [&str; 3] = ["Lending", "Backstop", "Avatar"];

/// Calls of [`PAUSABLE_PALLETS`] that are never pausable, `(pallet, call)`: the ways out
/// (withdrawals, repayments, claims, leaving) and the governance setters.
pub const NEVER_PAUSABLE_CALLS: [(&str, &str); 20] = [
    // Ways out.
    ("Lending", "withdraw"),
    ("Lending", "withdraw_collateral"),
    ("Lending", "repay"),
    ("Backstop", "withdraw"),
    ("Backstop", "redeem"),
    ("Backstop", "claim"),
    ("Backstop", "withdraw_refund"),
    ("Avatar", "withdraw"),
    ("Avatar", "withdraw_collateral"),
    ("Avatar", "repay"),
    ("Avatar", "repay_all"),
    ("Avatar", "leave"),
    // Governance setters: the `BackstopParams` track must always reach them.
    ("Lending", "create_market"),
    ("Backstop", "set_params"),
    ("Backstop", "set_franchise_params"),
    ("Backstop", "set_sharing_params"),
    ("Backstop", "set_score_weight"),
    ("Backstop", "set_sweep_cap"),
    ("Backstop", "set_rebalance_params"),
    ("Avatar", "set_params"),
];

/// Whether the call `call` of the pallet named `pallet` may be paused.
pub fn is_pausable(pallet: &[u8], call: &[u8]) -> bool {
    PAUSABLE_PALLETS.iter().any(|p| p.as_bytes() == pallet)
        && !NEVER_PAUSABLE_CALLS
            .iter()
            .any(|(p, c)| p.as_bytes() == pallet && c.as_bytes() == call)
}

/// pallet-tx-pause's whitelist: every call that [`is_pausable`] refuses.
pub struct NeverPausable;

impl Contains<pallet_tx_pause::RuntimeCallNameOf<Runtime>> for NeverPausable {
    fn contains((pallet, call): &pallet_tx_pause::RuntimeCallNameOf<Runtime>) -> bool {
        !is_pausable(pallet, call)
    }
}

impl origins::Config for Runtime {}

parameter_types! {
    /// Scheduled calls (enacted referenda) may use up to 80 % of a block.
    pub MaximumSchedulerWeight: Weight =
        Perbill::from_percent(80) * super::RuntimeBlockWeights::get().max_block;
}

impl pallet_scheduler::Config for Runtime {
    type RuntimeOrigin = RuntimeOrigin;
    type RuntimeEvent = RuntimeEvent;
    type PalletsOrigin = OriginCaller;
    type RuntimeCall = RuntimeCall;
    type MaximumWeight = MaximumSchedulerWeight;
    type ScheduleOrigin = EnsureRoot<AccountId>;
    type MaxScheduledPerBlock = ConstU32<50>;
    type WeightInfo = pallet_scheduler::weights::SubstrateWeight<Runtime>;
    type OriginPrivilegeCmp = EqualPrivilegeOnly;
    type Preimages = Preimage;
    type BlockNumberProvider = frame_system::Pallet<Runtime>;
}

parameter_types! {
    /// Deposit for noting a preimage: 1 BKS plus 1 mBKS per byte, held until it is removed.
    pub const PreimageBaseDeposit: Balance = UNIT;
    pub const PreimageByteDeposit: Balance = MILLI_UNIT;
    pub const PreimageHoldReason: RuntimeHoldReason =
        RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
}

impl pallet_preimage::Config for Runtime {
    type RuntimeEvent = RuntimeEvent;
    type WeightInfo = pallet_preimage::weights::SubstrateWeight<Runtime>;
    type Currency = Balances;
    type ManagerOrigin = EnsureRoot<AccountId>;
    type Consideration = HoldConsideration<
        AccountId,
        Balances,
        PreimageHoldReason,
        LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
    >;
}

parameter_types! {
    /// Votes with conviction 1x stay locked for a week after the referendum ends (2x for two
    /// weeks, and so on).
    pub const VoteLockingPeriod: BlockNumber = 7 * tracks::DAYS;
}

impl pallet_conviction_voting::Config for Runtime {
    type WeightInfo = pallet_conviction_voting::weights::SubstrateWeight<Runtime>;
    type RuntimeEvent = RuntimeEvent;
    type Currency = Balances;
    type Polls = Referenda;
    type MaxTurnout = TotalIssuanceOf<Balances, AccountId>;
    type MaxVotes = ConstU32<512>;
    type VoteLockingPeriod = VoteLockingPeriod;
    type BlockNumberProvider = frame_system::Pallet<Runtime>;
    type VotingHooks = ();
}

parameter_types! {
    /// Deposit for submitting a referendum, returned when it is decided.
    pub const SubmissionDeposit: Balance = 100 * UNIT;
    /// A referendum that has not started deciding two weeks after submission times out.
    pub const UndecidingTimeout: BlockNumber = 14 * tracks::DAYS;
}

impl pallet_referenda::Config for Runtime {
    type WeightInfo = pallet_referenda::weights::SubstrateWeight<Runtime>;
    type RuntimeCall = RuntimeCall;
    type RuntimeEvent = RuntimeEvent;
    type Scheduler = crate::Scheduler;
    type Currency = Balances;
    type SubmitOrigin = EnsureSigned<AccountId>;
    type CancelOrigin = EnsureRoot<AccountId>;
    type KillOrigin = EnsureRoot<AccountId>;
    type Slash = ();
    type Votes = pallet_conviction_voting::VotesOf<Runtime>;
    type Tally = pallet_conviction_voting::TallyOf<Runtime>;
    type SubmissionDeposit = SubmissionDeposit;
    type MaxQueued = ConstU32<100>;
    type UndecidingTimeout = UndecidingTimeout;
    type AlarmInterval = ConstU32<1>;
    type Tracks = tracks::BackstopTracks;
    type Preimages = Preimage;
    type BlockNumberProvider = frame_system::Pallet<Runtime>;
}

/// Pauses calls at once: the emergency track (or root).
pub type PauseOrigin = EitherOf<EnsureRoot<AccountId>, origins::BackstopEmergency>;
/// Lifts pauses, and changes Backstop parameters: the params track (or root).
pub type ParamsOrigin = EitherOf<EnsureRoot<AccountId>, origins::BackstopParams>;
/// Makes Backstop parameters safer only (the pallets' `EmergencyOrigin`, tighten only): the
/// emergency track.
pub type EmergencyOrigin = origins::BackstopEmergency;

impl pallet_tx_pause::Config for Runtime {
    type RuntimeEvent = RuntimeEvent;
    type RuntimeCall = RuntimeCall;
    type PauseOrigin = PauseOrigin;
    type UnpauseOrigin = ParamsOrigin;
    type WhitelistedCalls = NeverPausable;
    type MaxNameLen = ConstU32<256>;
    type WeightInfo = pallet_tx_pause::weights::SubstrateWeight<Runtime>;
}
