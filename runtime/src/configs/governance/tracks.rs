//! # Referenda tracks
//!
//! Three tracks, one per [`Origin`](super::origins::Origin) and one for root:
//!
//! | track | id | origin | what it may do |
//! |---|---|---|---|
//! | `root` | 2 | root | anything, notably a runtime upgrade (`system.setCode`), so no chain needs `sudo` |
//! | `backstop_params` | 0 | `BackstopParams` | set any Backstop parameter, unpause calls |
//! | `backstop_emergency` | 1 | `BackstopEmergency` | pause calls (pallet-tx-pause) and tighten parameters (the pallets' tighten-only `EmergencyOrigin`), at once |
//!
//! Production periods, with 6-second blocks:
//!
//! | track | decision deposit | prepare | decide within | confirm | enactment at least |
//! |---|---|---|---|---|---|
//! | `backstop_params` | 10 000 BKS | 2 h | 14 days | 1 day | 2 days |
//! | `backstop_emergency` | 50 000 BKS | 10 min | 2 days | 1 h | 1 block |
//! | `root` | 100 000 BKS | 2 h | 28 days | 1 day | 1 day |
//!
//! A parameter change waits two days after its approval, so depositors and members who
//! disagree can leave first. A pause only makes the system safer and is enacted in the
//! next block; it asks for a larger deposit, a two-thirds approval floor and more support.
//! The root track decides one referendum at a time and asks for the most: the largest
//! deposit, a two-thirds approval floor and the emergency track's support.
//!
//! Development periods ([`DevelopmentTracks`](super::origins::DevelopmentTracks), set by
//! the `development` preset): prepare 1 block, decide within 50, confirm 2 (params) or 1
//! (emergency), enactment at least 5 blocks (params, root) or 1 (emergency); the support needed
//! is a flat 1 % of the issuance, so one dev account voting 200 000 BKS passes a
//! referendum. The choice is a genesis-set storage value rather than a compile-time
//! constant because one runtime (one wasm) serves both presets: a constant would give the
//! production preset the dev periods, or the dev chain two-week referenda.

use super::origins::{DevelopmentTracks, Origin};
use crate::OriginCaller;
use crate::{Balance, BlockNumber, Runtime, RuntimeOrigin, UNIT};
use alloc::borrow::Cow;
use frame_support::traits::OriginTrait;
use pallet_referenda::{Curve, Track, TrackInfo};
use sp_runtime::{str_array as name, Perbill};

/// Blocks per minute at 6-second blocks.
pub const MINUTES: BlockNumber = 10;
/// Blocks per hour.
pub const HOURS: BlockNumber = 60 * MINUTES;
/// Blocks per day.
pub const DAYS: BlockNumber = 24 * HOURS;

/// Track id of `backstop_params`.
pub const PARAMS_TRACK: u16 = 0;
/// Track id of `backstop_emergency`.
pub const EMERGENCY_TRACK: u16 = 1;
/// Track id of `root`.
pub const ROOT_TRACK: u16 = 2;

/// Approval (conviction-weighted ayes over all votes) of `backstop_params`: from 100 %
/// down to a simple majority over the decision period.
const PARAMS_APPROVAL: Curve = Curve::LinearDecreasing {
    length: Perbill::from_percent(100),
    floor: Perbill::from_percent(50),
    ceil: Perbill::from_percent(100),
};
/// Support (ayes without conviction over the issuance) of `backstop_params`: 25 % down
/// to 1 %.
const PARAMS_SUPPORT: Curve = Curve::LinearDecreasing {
    length: Perbill::from_percent(100),
    floor: Perbill::from_percent(1),
    ceil: Perbill::from_percent(25),
};
/// Approval of `backstop_emergency`: from 100 % down to two thirds.
const EMERGENCY_APPROVAL: Curve = Curve::LinearDecreasing {
    length: Perbill::from_percent(100),
    floor: Perbill::from_percent(66),
    ceil: Perbill::from_percent(100),
};
/// Support of `backstop_emergency`: 50 % down to 5 %.
const EMERGENCY_SUPPORT: Curve = Curve::LinearDecreasing {
    length: Perbill::from_percent(100),
    floor: Perbill::from_percent(5),
    ceil: Perbill::from_percent(50),
};
/// Support of both tracks on the development chain: a flat 1 %.
const DEV_SUPPORT: Curve = Curve::LinearDecreasing {
    length: Perbill::from_percent(100),
    floor: Perbill::from_percent(1),
    ceil: Perbill::from_percent(1),
};

/// The tracks of a production chain.
pub static PRODUCTION_TRACKS: [Track<u16, Balance, BlockNumber>; 3] = [
    Track {
        id: PARAMS_TRACK,
        info: TrackInfo {
            name: name("backstop_params"),
            max_deciding: 10,
            decision_deposit: 10_000 * UNIT,
            prepare_period: 2 * HOURS,
            decision_period: 14 * DAYS,
            confirm_period: DAYS,
            min_enactment_period: 2 * DAYS,
            min_approval: PARAMS_APPROVAL,
            min_support: PARAMS_SUPPORT,
        },
    },
    Track {
        id: EMERGENCY_TRACK,
        info: TrackInfo {
            name: name("backstop_emergency"),
            max_deciding: 5,
            decision_deposit: 50_000 * UNIT,
            prepare_period: 10 * MINUTES,
            decision_period: 2 * DAYS,
            confirm_period: HOURS,
            min_enactment_period: 1,
            min_approval: EMERGENCY_APPROVAL,
            min_support: EMERGENCY_SUPPORT,
        },
    },
    Track {
        id: ROOT_TRACK,
        info: TrackInfo {
            name: name("root"),
            max_deciding: 1,
            decision_deposit: 100_000 * UNIT,
            prepare_period: 2 * HOURS,
            decision_period: 28 * DAYS,
            confirm_period: DAYS,
            min_enactment_period: DAYS,
            min_approval: EMERGENCY_APPROVAL,
            min_support: EMERGENCY_SUPPORT,
        },
    },
];

/// The tracks of the development chain: the same shape, decided in a few blocks.
pub static DEVELOPMENT_TRACKS: [Track<u16, Balance, BlockNumber>; 3] = [
    Track {
        id: PARAMS_TRACK,
        info: TrackInfo {
            name: name("backstop_params"),
            max_deciding: 10,
            decision_deposit: 10_000 * UNIT,
            prepare_period: 1,
            decision_period: 50,
            confirm_period: 2,
            min_enactment_period: 5,
            min_approval: PARAMS_APPROVAL,
            min_support: DEV_SUPPORT,
        },
    },
    Track {
        id: EMERGENCY_TRACK,
        info: TrackInfo {
            name: name("backstop_emergency"),
            max_deciding: 5,
            decision_deposit: 50_000 * UNIT,
            prepare_period: 1,
            decision_period: 50,
            confirm_period: 1,
            min_enactment_period: 1,
            min_approval: EMERGENCY_APPROVAL,
            min_support: DEV_SUPPORT,
        },
    },
    Track {
        id: ROOT_TRACK,
        info: TrackInfo {
            name: name("root"),
            max_deciding: 1,
            decision_deposit: 100_000 * UNIT,
            prepare_period: 1,
            decision_period: 50,
            confirm_period: 2,
            min_enactment_period: 5,
            min_approval: EMERGENCY_APPROVAL,
            min_support: DEV_SUPPORT,
        },
    },
];

/// Backstop's referenda tracks (see the module docs).
pub struct BackstopTracks;

impl pallet_referenda::TracksInfo<Balance, BlockNumber> for BackstopTracks {
    type Id = u16;
    type RuntimeOrigin = <RuntimeOrigin as OriginTrait>::PalletsOrigin;

    fn tracks() -> impl Iterator<Item = Cow<'static, Track<Self::Id, Balance, BlockNumber>>> {
        let tracks = if DevelopmentTracks::<Runtime>::get() {
            &DEVELOPMENT_TRACKS
        } else {
            &PRODUCTION_TRACKS
        };
        tracks.iter().map(Cow::Borrowed)
    }

    fn track_for(origin: &Self::RuntimeOrigin) -> Result<Self::Id, ()> {
        if let OriginCaller::system(frame_system::RawOrigin::Root) = origin {
            return Ok(ROOT_TRACK);
        }
        match Origin::try_from(origin.clone()) {
            Ok(Origin::BackstopParams) => Ok(PARAMS_TRACK),
            Ok(Origin::BackstopEmergency) => Ok(EMERGENCY_TRACK),
            Err(_) => Err(()),
        }
    }
}
