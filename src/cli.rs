//! Command-line types (clap derive). No logic here: `options.rs` resolves them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// upcycle turns old laptops into school computers: it reads what a laptop has, picks a
/// free-software system that fits it, and writes the files that install it unattended.
#[derive(Debug, Parser)]
#[command(name = "upcycle", version, propagate_version = true)]
pub struct Cli {
    /// Print less (only errors and the result).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more (every warning in full).
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read this laptop's hardware (or a captured copy of it) and print the report.
    ///
    /// Examples:
    ///   upcycle probe                         summary of this machine
    ///   upcycle probe -o t40.yaml             full report as YAML
    ///   upcycle probe --root ./t40-capture    report of a captured laptop
    #[command(verbatim_doc_comment)]
    Probe(ProbeArgs),
    /// Copy exactly the files the probe reads, to analyse a laptop later elsewhere.
    ///
    /// `upcycle probe --root <capture>` then gives the same report as on the laptop.
    /// Examples:
    ///   upcycle capture -o t40.tar.gz --redact   on the laptop, onto the USB stick
    ///   tar xzf t40.tar.gz -C t40 && upcycle probe --root t40
    #[command(verbatim_doc_comment)]
    Capture(CaptureArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A short summary for a person.
    Text,
    /// The full report (the format later steps read).
    Yaml,
    /// The full report for scripts.
    Json,
}

#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// Directory holding `proc/` and `sys/` (a capture), or a `.tar.gz` made by
    /// `upcycle capture`; `/` is this machine.
    #[arg(long, value_name = "DIR|FILE.tar.gz", default_value = "/")]
    pub root: PathBuf,
    /// Output format [default: text on a terminal, yaml otherwise or with -o].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace serial numbers, UUIDs and MAC addresses with placeholders.
    #[arg(long)]
    pub redact: bool,
}

#[derive(Debug, Args)]
pub struct CaptureArgs {
    /// Directory holding `proc/` and `sys/`; `/` is this machine.
    #[arg(long, value_name = "DIR", default_value = "/")]
    pub root: PathBuf,
    /// Where to write: a `.tar.gz` file, or a directory that must not exist yet.
    #[arg(short, long, value_name = "FILE.tar.gz|DIR")]
    pub output: PathBuf,
    /// Replace serial numbers, UUIDs and MAC addresses with placeholders (for sharing).
    #[arg(long)]
    pub redact: bool,
    /// Replace an existing output.
    #[arg(long)]
    pub force: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }
}
