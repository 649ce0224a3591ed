//! # Governance origins
//!
//! The two origins a referendum of Backstop's tracks dispatches with (see
//! [`tracks`](super::tracks)), in the style of the `pallet_custom_origins` of the Polkadot
//! runtimes:
//!
//! - [`Origin::BackstopParams`]: changes pool, franchise, sharing, avatar and market
//!   parameters and lifts pauses; its track has an enactment delay, so depositors and
//!   members can leave before a change bites.
//! - [`Origin::BackstopEmergency`]: pauses calls at once (pallet-tx-pause) and is the
//!   pallets' `EmergencyOrigin`, which may only make a parameter safer (lower a cap, raise
//!   a margin; each parameter's doc says which way, and the pallets refuse anything else
//!   with `EmergencyCannotLoosen`); it cannot unpause, loosen a bound or move funds.
//!
//! The pallet also records, at genesis, which timing the tracks use:
//! [`DevelopmentTracks`] is set by the `development` preset only, so the dev chain and the
//! runtime tests run a referendum in a few blocks while any other preset gets the
//! production periods from the same runtime code.

pub use pallet::*;

#[frame_support::pallet]
pub mod pallet {
    use frame_support::pallet_prelude::*;

    #[pallet::config]
    pub trait Config: frame_system::Config {}

    #[pallet::pallet]
    pub struct Pallet<T>(_);

    /// The origins of Backstop's referenda tracks.
    #[derive(
        PartialEq, Eq, Clone, MaxEncodedLen, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug,
    )]
    #[pallet::origin]
    pub enum Origin {
        /// A referendum of the `backstop_params` track passed and its enactment delay ran.
        BackstopParams,
        /// A referendum of the `backstop_emergency` track passed.
        BackstopEmergency,
    }

    /// Whether the referenda tracks use the development periods (a few blocks) instead of
    /// the production ones. Set at genesis only; no call changes it.
    #[pallet::storage]
    pub type DevelopmentTracks<T: Config> = StorageValue<_, bool, ValueQuery>;

    #[pallet::genesis_config]
    #[derive(frame_support::DefaultNoBound)]
    pub struct GenesisConfig<T: Config> {
        /// `true` only for the development chain: tracks decide in a few blocks.
        pub development_tracks: bool,
        #[serde(skip)]
        pub _config: core::marker::PhantomData<T>,
    }

    #[pallet::genesis_build]
    impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
        fn build(&self) {
            DevelopmentTracks::<T>::put(self.development_tracks);
        }
    }
}

/// Declares an `EnsureOrigin` that accepts exactly one [`Origin`] variant.
macro_rules! ensure_track_origin {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        pub struct $name;

        impl<O: Into<Result<Origin, O>> + From<Origin>> frame_support::traits::EnsureOrigin<O>
            for $name
        {
            type Success = ();

            fn try_origin(o: O) -> Result<Self::Success, O> {
                o.into().and_then(|o| match o {
                    Origin::$name => Ok(()),
                    other => Err(O::from(other)),
                })
            }

            #[cfg(feature = "runtime-benchmarks")]
            fn try_successful_origin() -> Result<O, ()> {
                Ok(O::from(Origin::$name))
            }
        }
    };
}

ensure_track_origin!(
    /// Accepts [`Origin::BackstopParams`] only.
    BackstopParams
);
ensure_track_origin!(
    /// Accepts [`Origin::BackstopEmergency`] only.
    BackstopEmergency
);
