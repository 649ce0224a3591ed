//! Who may set the parameters: [`Config::GovernanceOrigin`] any change within the bounds,
//! [`Config::EmergencyOrigin`] only changes that make the pool safer (tighten only, each
//! parameter's safer direction documented on it and checked by its
//! [`Tightening`](backstop_primitives::Tightening) implementation in [`crate::types`]).

use crate::pallet::*;
use backstop_primitives::Privilege;
use frame_system::pallet_prelude::OriginFor;
use sp_runtime::traits::BadOrigin;

impl<T: Config> Pallet<T> {
    /// The privilege of a setter's `origin`: [`Privilege::Full`] for the governance origin,
    /// [`Privilege::TightenOnly`] for the emergency origin, else `BadOrigin`.
    pub(crate) fn ensure_governance(origin: OriginFor<T>) -> Result<Privilege, BadOrigin> {
        Privilege::of::<_, T::GovernanceOrigin, T::EmergencyOrigin>(origin)
    }
}
