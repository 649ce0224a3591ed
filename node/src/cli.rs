//! Command-line interface.

/// The node's command line: `backstop-node --dev [--block-time MS]`, or a subcommand.
#[derive(Debug, clap::Parser)]
pub struct Cli {
    #[command(subcommand)]
    pub subcommand: Option<Subcommand>,

    #[command(flatten)]
    pub run: sc_cli::RunCmd,

    /// Also seal a block every MS milliseconds, even when it would be empty. Without it the
    /// node seals instantly: one block as soon as a transaction arrives, none while idle.
    /// Either way blocks can be requested over RPC (`engine_createBlock`).
    #[arg(long, value_name = "MS", value_parser = clap::value_parser!(u64).range(100..))]
    pub block_time: Option<u64>,
}

/// Subcommands.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
    /// Key management.
    #[command(subcommand)]
    Key(sc_cli::KeySubcommand),

    /// Export the chain specification (for example `--chain dev --raw`).
    ExportChainSpec(sc_cli::ExportChainSpecCmd),

    /// Remove the whole chain.
    PurgeChain(sc_cli::PurgeChainCmd),

    /// Benchmarks: `benchmark pallet --runtime <wasm> --genesis-builder-preset development ...`
    /// regenerates a pallet's weights.
    #[command(subcommand)]
    Benchmark(frame_benchmarking_cli::BenchmarkCmd),
}
