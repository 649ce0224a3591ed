//! Transactions built inside the runtime: offchain workers submit *authorized* general
//! transactions (`#[pallet::authorize]`), which carry the runtime's transaction extensions
//! but no signature.

use crate::{Runtime, RuntimeCall, TxExtension, UncheckedExtrinsic};
use sp_runtime::generic;

impl<C> frame_system::offchain::CreateTransactionBase<C> for Runtime
where
    RuntimeCall: From<C>,
{
    type Extrinsic = UncheckedExtrinsic;
    type RuntimeCall = RuntimeCall;
}

impl<C> frame_system::offchain::CreateTransaction<C> for Runtime
where
    RuntimeCall: From<C>,
{
    type Extension = TxExtension;

    fn create_transaction(call: RuntimeCall, extension: TxExtension) -> UncheckedExtrinsic {
        generic::UncheckedExtrinsic::new_transaction(call, extension).into()
    }
}

/// The runtime's transaction extensions as a wallet sets them: immortal, `nonce`, no tip.
/// Used for the transactions built inside the runtime and by the node's tests.
pub fn tx_extension(nonce: crate::Nonce) -> TxExtension {
    (
        frame_system::AuthorizeCall::<Runtime>::new(),
        frame_system::CheckNonZeroSender::<Runtime>::new(),
        frame_system::CheckSpecVersion::<Runtime>::new(),
        frame_system::CheckTxVersion::<Runtime>::new(),
        frame_system::CheckGenesis::<Runtime>::new(),
        frame_system::CheckMortality::<Runtime>::from(generic::Era::Immortal),
        frame_system::CheckNonce::<Runtime>::from(nonce),
        frame_system::CheckWeight::<Runtime>::new(),
        pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
        pallet_revive::evm::tx_extension::SetOrigin::<Runtime>::default(),
        frame_system::WeightReclaim::<Runtime>::new(),
    )
}

impl frame_system::offchain::SigningTypes for Runtime {
    type Public = <crate::Signature as sp_runtime::traits::Verify>::Signer;
    type Signature = crate::Signature;
}

/// Signed transactions built in the offchain worker (the price feeder's `oracle.feed_values`),
/// with the same extensions as a wallet's: immortal, the given nonce, no tip.
impl<C> frame_system::offchain::CreateSignedTransaction<C> for Runtime
where
    RuntimeCall: From<C>,
{
    fn create_signed_transaction<
        S: frame_system::offchain::AppCrypto<Self::Public, Self::Signature>,
    >(
        call: RuntimeCall,
        public: Self::Public,
        account: crate::AccountId,
        nonce: crate::Nonce,
    ) -> Option<UncheckedExtrinsic> {
        let extension = tx_extension(nonce);
        let payload = crate::SignedPayload::new(call, extension).ok()?;
        let signature = codec::Encode::using_encoded(&payload, |bytes| S::sign(bytes, public))?;
        let (call, extension, _) = payload.deconstruct();
        let address = sp_runtime::MultiAddress::Id(account);
        Some(generic::UncheckedExtrinsic::new_signed(call, address, signature, extension).into())
    }
}

impl<C> frame_system::offchain::CreateAuthorizedTransaction<C> for Runtime
where
    RuntimeCall: From<C>,
{
    fn create_extension() -> TxExtension {
        // Authorized transactions have no signer: nonce and fee do not apply to them.
        tx_extension(0)
    }
}

/// The optional offchain price feeder (see `pallet-price-feeder`): signs with a `bsfd` key
/// from the node's keystore, whose account must be an oracle feeder.
impl pallet_price_feeder::Config for Runtime {
    type AuthorityId = pallet_price_feeder::crypto::FeederId;
}
