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

impl<C> frame_system::offchain::CreateAuthorizedTransaction<C> for Runtime
where
    RuntimeCall: From<C>,
{
    fn create_extension() -> TxExtension {
        (
            frame_system::AuthorizeCall::<Runtime>::new(),
            frame_system::CheckNonZeroSender::<Runtime>::new(),
            frame_system::CheckSpecVersion::<Runtime>::new(),
            frame_system::CheckTxVersion::<Runtime>::new(),
            frame_system::CheckGenesis::<Runtime>::new(),
            frame_system::CheckMortality::<Runtime>::from(generic::Era::Immortal),
            // Authorized transactions have no signer: nonce and fee do not apply to them.
            frame_system::CheckNonce::<Runtime>::from(0),
            frame_system::CheckWeight::<Runtime>::new(),
            pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
            pallet_revive::evm::tx_extension::SetOrigin::<Runtime>::default(),
            frame_system::WeightReclaim::<Runtime>::new(),
        )
    }
}
