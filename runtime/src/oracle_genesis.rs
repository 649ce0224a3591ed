//! # Oracle genesis prices
//!
//! pallet-oracle 0.7 has no genesis configuration, so a chain cannot start with prices. This
//! small pallet fills that gap and nothing more: its genesis config lists `(asset, price)`
//! pairs, which it writes as pallet-oracle's aggregated values, and at the end of block 1 it
//! stamps them again with that block's timestamp (genesis has no time, so a price stamped at
//! genesis would be stale from the first block on). From then on prices only change when the
//! oracle feeders feed them, and they age like any fed price.
//!
//! The values are written as *aggregated* values only, with no raw value of any feeder, so
//! the first feed of any feeder replaces them under the oracle's usual median rule.
//!
//! Every asset the pallets price has a genesis price, the stable asset `USD` included: it is
//! priced from its feed like any asset (see `configs::prices`). [`check_oracle_feeders`] is
//! the rule that a chain other than the development chain starts with at least two feeders.

pub use pallet::*;

#[frame_support::pallet]
pub mod pallet {
    use crate::AssetId;
    use alloc::vec::Vec;
    use frame_support::{pallet_prelude::*, traits::Time};
    use frame_system::pallet_prelude::BlockNumberFor;
    use pallet_oracle::TimestampedValue;
    use sp_runtime::{
        traits::{One, Zero},
        FixedU128,
    };

    #[pallet::config]
    pub trait Config:
        frame_system::Config + pallet_oracle::Config<OracleKey = AssetId, OracleValue = FixedU128>
    {
        /// How many assets may have a genesis price.
        #[pallet::constant]
        type MaxPrices: Get<u32>;
    }

    #[pallet::pallet]
    pub struct Pallet<T>(_);

    /// The genesis prices, kept until they are stamped at the end of block 1.
    #[pallet::storage]
    pub type PendingPrices<T: Config> =
        StorageValue<_, BoundedVec<(AssetId, FixedU128), T::MaxPrices>, ValueQuery>;

    #[pallet::genesis_config]
    #[derive(frame_support::DefaultNoBound)]
    pub struct GenesisConfig<T: Config> {
        /// `(asset, US dollars per whole unit)` pairs the chain starts with.
        pub prices: Vec<(AssetId, FixedU128)>,
        #[serde(skip)]
        pub _config: core::marker::PhantomData<T>,
    }

    #[pallet::genesis_build]
    impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
        fn build(&self) {
            let prices: BoundedVec<_, T::MaxPrices> = self
                .prices
                .clone()
                .try_into()
                .expect("genesis: more prices than MaxPrices; shorten the list");
            Pallet::<T>::write_prices(&prices);
            PendingPrices::<T>::put(prices);
        }
    }

    #[pallet::hooks]
    impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
        fn on_initialize(n: BlockNumberFor<T>) -> Weight {
            if n == One::one() {
                // Read and cleared in `on_finalize`, plus one write per price.
                T::DbWeight::get().reads_writes(1, u64::from(T::MaxPrices::get()) + 1)
            } else {
                Weight::zero()
            }
        }

        fn on_finalize(n: BlockNumberFor<T>) {
            if n == One::one() {
                // Re-stamp only what is still the genesis value: a price fed during block 1
                // is newer and stays.
                let prices = PendingPrices::<T>::take();
                let unfed: alloc::vec::Vec<_> = prices
                    .into_iter()
                    .filter(|(asset, _)| {
                        pallet_oracle::Values::<T>::get(asset).is_none_or(|v| v.timestamp.is_zero())
                    })
                    .collect();
                Self::write_prices(&unfed);
            }
        }
    }

    impl<T: Config> Pallet<T> {
        /// Writes `prices` as the oracle's aggregated values, stamped with the current time
        /// (zero at genesis).
        fn write_prices(prices: &[(AssetId, FixedU128)]) {
            let timestamp = <T as pallet_oracle::Config>::Time::now();
            for (asset, price) in prices {
                pallet_oracle::Values::<T>::insert(
                    asset,
                    TimestampedValue {
                        value: *price,
                        timestamp,
                    },
                );
            }
        }
    }
}

/// Fewest oracle feeders a genesis preset other than `development` may start with: with one
/// feeder, that feeder alone moves every price, the stable asset's included.
pub const MIN_FEEDERS_OUTSIDE_DEVELOPMENT: usize = 2;

/// Checks the oracle quorum rule of genesis preset `preset` (its JSON patch over the default
/// genesis config): any preset but `development` must list at least
/// [`MIN_FEEDERS_OUTSIDE_DEVELOPMENT`] oracle feeders (`oracleFeeders.members`).
/// `genesis_config_presets::get_preset` refuses to build a preset that fails it.
pub fn check_oracle_feeders(preset: &str, patch: &serde_json::Value) -> Result<(), &'static str> {
    if preset == sp_genesis_builder::DEV_RUNTIME_PRESET {
        return Ok(());
    }
    let feeders = patch
        .get("oracleFeeders")
        .and_then(|feeders| feeders.get("members"))
        .and_then(|members| members.as_array())
        .map_or(0, |members| members.len());
    if feeders < MIN_FEEDERS_OUTSIDE_DEVELOPMENT {
        return Err("a preset other than `development` needs at least two oracle feeders");
    }
    Ok(())
}
