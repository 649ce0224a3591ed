//! The node service: client, transaction pool, manual-seal authorship, offchain workers, RPC.

use std::{sync::Arc, time::Duration};

use backstop_runtime::{apis::RuntimeApi, opaque::Block, Hash};
use codec::Decode;
use futures::{channel::mpsc, FutureExt, StreamExt};
use sc_client_api::{Backend as _, StorageProvider};
use sc_consensus_manual_seal::EngineCommand;
use sc_network::{config::FullNetworkConfiguration, NotificationMetrics};
use sc_service::{error::Error as ServiceError, Configuration, TaskManager};
use sc_transaction_pool_api::{OffchainTransactionPoolFactory, TransactionPool};
use sp_core::storage::StorageKey;

/// The host functions the runtime may import: the standard ones, plus the benchmarking ones
/// when the runtime is built with `runtime-benchmarks` (as `scripts/run` builds it).
#[cfg(not(feature = "runtime-benchmarks"))]
type HostFunctions = sp_io::SubstrateHostFunctions;
#[cfg(feature = "runtime-benchmarks")]
type HostFunctions = (
    sp_io::SubstrateHostFunctions,
    frame_benchmarking::benchmarking::HostFunctions,
);

/// The wasm executor.
type Executor = sc_executor::WasmExecutor<HostFunctions>;
/// The full client of this node.
pub type FullClient = sc_service::TFullClient<Block, RuntimeApi, Executor>;

/// Milliseconds between the timestamps of two consecutive blocks, at least. The runtime's
/// `pallet_timestamp::MinimumPeriod` is half of it.
const MIN_BLOCK_INTERVAL_MS: u64 = 1_000;

/// Builds and starts the full dev node. `block_time`: also seal a block every so many ms.
pub fn new_full(
    mut config: Configuration,
    block_time: Option<u64>,
) -> Result<TaskManager, ServiceError> {
    let executor = sc_service::new_wasm_executor::<HostFunctions>(&config.executor);
    let (client, backend, keystore_container, mut task_manager) =
        sc_service::new_full_parts::<Block, RuntimeApi, _>(&config, None, executor, Vec::new())?;
    let client = Arc::new(client);

    let transaction_pool = Arc::from(
        sc_transaction_pool::Builder::new(
            task_manager.spawn_essential_handle(),
            client.clone(),
            config.role.is_authority().into(),
        )
        .with_options(config.transaction_pool.clone())
        .with_prometheus(config.prometheus_registry())
        .build(),
    );

    let import_queue = sc_consensus_manual_seal::import_queue(
        Box::new(client.clone()),
        &task_manager.spawn_essential_handle(),
        config.prometheus_registry(),
    );

    // A dev node: no peers.
    config.network.default_peers_set.in_peers = 0;
    config.network.default_peers_set.out_peers = 0;
    let net_config = FullNetworkConfiguration::<
        Block,
        <Block as sp_runtime::traits::Block>::Hash,
        sc_network::Litep2pNetworkBackend,
    >::new(&config.network, config.prometheus_registry().cloned());
    let metrics = NotificationMetrics::new(config.prometheus_registry());

    let (network, system_rpc_tx, tx_handler_controller, sync_service, _bitswap) =
        sc_service::build_network(sc_service::BuildNetworkParams {
            config: &config,
            client: client.clone(),
            transaction_pool: transaction_pool.clone(),
            spawn_handle: task_manager.spawn_handle(),
            spawn_essential_handle: task_manager.spawn_essential_handle(),
            import_queue,
            net_config,
            block_announce_validator_builder: None,
            warp_sync_config: None,
            block_relay: None,
            metrics,
            gap_sync_body_policy: None,
        })?;

    if config.offchain_worker.enabled {
        let offchain_workers =
            sc_offchain::OffchainWorkers::new(sc_offchain::OffchainWorkerOptions {
                runtime_api_provider: client.clone(),
                keystore: Some(keystore_container.keystore()),
                offchain_db: backend.offchain_storage(),
                transaction_pool: Some(OffchainTransactionPoolFactory::new(
                    transaction_pool.clone(),
                )),
                network_provider: Arc::new(network.clone()),
                is_validator: config.role.is_authority(),
                enable_http_requests: true,
                custom_extensions: |_| vec![],
            })?;
        task_manager.spawn_handle().spawn(
            "offchain-workers-runner",
            "offchain-work",
            offchain_workers
                .run(client.clone(), task_manager.spawn_handle())
                .boxed(),
        );
    }

    // Sealing: a block for every imported transaction, a block on every RPC request, and, with
    // `--block-time`, a block on a timer.
    let (seal_sink, rpc_commands) = mpsc::channel::<EngineCommand<Hash>>(1024);
    let on_transaction =
        transaction_pool
            .import_notification_stream()
            .map(|_| EngineCommand::SealNewBlock {
                create_empty: false,
                finalize: true,
                parent_hash: None,
                sender: None,
            });
    let mut commands = futures::stream::select(rpc_commands, on_transaction).boxed();
    if let Some(ms) = block_time {
        let timer = futures::stream::unfold((), move |()| async move {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            Some((
                EngineCommand::SealNewBlock {
                    create_empty: true,
                    finalize: true,
                    parent_hash: None,
                    sender: None,
                },
                (),
            ))
        });
        commands = futures::stream::select(commands, timer).boxed();
    }

    let proposer = sc_basic_authorship::ProposerFactory::new(
        task_manager.spawn_handle(),
        client.clone(),
        transaction_pool.clone(),
        config.prometheus_registry(),
        None,
    );

    let timestamp_client = client.clone();
    let create_inherent_data_providers = move |parent: Hash, ()| {
        let parent_timestamp = parent_timestamp(&timestamp_client, parent);
        async move {
            Ok(sp_timestamp::InherentDataProvider::new(
                next_timestamp(parent_timestamp).into(),
            ))
        }
    };

    task_manager.spawn_essential_handle().spawn_blocking(
        "manual-seal",
        None,
        sc_consensus_manual_seal::run_manual_seal(sc_consensus_manual_seal::ManualSealParams {
            block_import: client.clone(),
            env: proposer,
            client: client.clone(),
            pool: transaction_pool.clone(),
            select_chain: sc_consensus::LongestChain::new(backend.clone()),
            commands_stream: commands,
            consensus_data_provider: None,
            create_inherent_data_providers,
        }),
    );

    let rpc_builder = {
        let client = client.clone();
        let pool = transaction_pool.clone();
        Box::new(move |_| {
            crate::rpc::create_full(client.clone(), pool.clone(), seal_sink.clone())
                .map_err(ServiceError::Application)
        })
    };

    sc_service::spawn_tasks(sc_service::SpawnTasksParams {
        network,
        client,
        keystore: keystore_container.keystore(),
        task_manager: &mut task_manager,
        transaction_pool,
        rpc_builder,
        backend,
        system_rpc_tx,
        tx_handler_controller,
        sync_service,
        config,
        telemetry: None,
        tracing_execute_block: None,
    })?;

    Ok(task_manager)
}

/// The `pallet_timestamp::Now` of block `at` (ms), zero when unset (genesis).
fn parent_timestamp(client: &FullClient, at: Hash) -> u64 {
    let key = StorageKey(
        [
            sp_io::hashing::twox_128(b"Timestamp"),
            sp_io::hashing::twox_128(b"Now"),
        ]
        .concat()
        .to_vec(),
    );
    client
        .storage(at, &key)
        .ok()
        .flatten()
        .and_then(|data| u64::decode(&mut &data.0[..]).ok())
        .unwrap_or_default()
}

/// The timestamp of the next block: the wall clock, but at least
/// [`MIN_BLOCK_INTERVAL_MS`] after the parent's, so that blocks sealed in quick succession
/// (instant seal) and restarts keep the runtime's timestamp rule.
fn next_timestamp(parent_ms: u64) -> u64 {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or_default();
    now_ms.max(parent_ms.saturating_add(MIN_BLOCK_INTERVAL_MS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_timestamp_advances_past_the_parent() {
        let far_future = 10_000_000_000_000u64;
        assert_eq!(
            next_timestamp(far_future),
            far_future + MIN_BLOCK_INTERVAL_MS
        );
        let now = next_timestamp(0);
        assert!(
            now > 1_700_000_000_000,
            "wall clock is used when it is ahead"
        );
    }
}
