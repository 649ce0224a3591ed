//! Dispatch of the command line.

use crate::{
    chain_spec,
    cli::{Cli, Subcommand},
    service,
};
use backstop_runtime::Block;
use frame_benchmarking_cli::BenchmarkCmd;
use sc_cli::SubstrateCli;
use sp_runtime::traits::HashingFor;

impl SubstrateCli for Cli {
    fn impl_name() -> String {
        "Backstop Node".into()
    }

    fn impl_version() -> String {
        env!("SUBSTRATE_CLI_IMPL_VERSION").into()
    }

    fn description() -> String {
        env!("CARGO_PKG_DESCRIPTION").into()
    }

    fn author() -> String {
        env!("CARGO_PKG_AUTHORS").into()
    }

    fn support_url() -> String {
        "the project's issue tracker".into()
    }

    fn copyright_start_year() -> i32 {
        2026
    }

    fn load_spec(&self, id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
        Ok(match id {
            "" | "dev" => Box::new(chain_spec::development_chain_spec()?),
            "production" => Box::new(chain_spec::production_chain_spec()?),
            path => Box::new(chain_spec::ChainSpec::from_json_file(
                std::path::PathBuf::from(path),
            )?),
        })
    }
}

/// Parses the command line and runs it.
pub fn run() -> sc_cli::Result<()> {
    let cli = Cli::from_args();

    match &cli.subcommand {
        Some(Subcommand::Key(cmd)) => cmd.run(&cli),
        Some(Subcommand::ExportChainSpec(cmd)) => {
            let spec = cli.load_spec(&cmd.chain)?;
            cmd.run(spec)
        }
        Some(Subcommand::PurgeChain(cmd)) => {
            let runner = cli.create_runner(cmd)?;
            runner.sync_run(|config| cmd.run(config.database))
        }
        Some(Subcommand::Benchmark(cmd)) => match cmd {
            BenchmarkCmd::Pallet(cmd) => {
                let chain = cmd
                    .shared_params
                    .chain
                    .as_ref()
                    .map(|chain| cli.load_spec(chain))
                    .transpose()?;
                cmd.run_with_spec::<HashingFor<Block>, ()>(chain)
            }
            _ => Err("only `benchmark pallet` is supported by this node".into()),
        },
        None => {
            let runner = cli.create_runner(&cli.run)?;
            let block_time = cli.block_time;
            runner.run_node_until_exit(|config| async move {
                service::new_full(config, block_time).map_err(sc_cli::Error::Service)
            })
        }
    }
}
