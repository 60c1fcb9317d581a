//! upcycle: turn old laptops into school computers.
//!
//! The pipeline, each stage a module:
//! 1. [`probe`] reads a machine's facts through a [`probe::SysRoot`] into a
//!    [`report::HardwareReport`] (the versioned contract between stages);
//!    [`capture`] copies what the probe read so it can be probed again elsewhere.
//! 2. [`select`]: report + catalog -> selection.
//! 3. [`render`]: selection + workshop -> install bundle; [`batch`] does it for a room.
//! 4. [`media`] and [`serve`]: getting bundles onto the laptops (USB stick, network).
//!
//! `main.rs` only parses the command line and calls [`run`]; [`commands`] are the I/O
//! edge; everything else is a library that tests call directly.

pub mod accessibility;
pub mod assets;
pub mod atomic;
pub mod batch;
pub mod boot_line;
pub mod bundle;
pub mod capture;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod commands;
pub mod digest;
pub mod erase;
pub mod exit;
pub mod fwmap;
pub mod inventory;
pub mod l10n;
pub mod ledger;
pub mod lock;
pub mod machine;
pub mod media;
pub mod ops;
pub mod options;
pub mod passport;
pub mod password;
pub mod preseed;
pub mod printer;
pub mod probe;
pub mod redact;
pub mod render;
pub mod report;
pub mod select;
pub mod serve;
pub mod summary;
pub mod token;
pub mod tree;
pub mod validate;
pub mod version;
pub mod workshop;
pub mod yaml;

use cli::{Cli, Command};
use printer::{Printer, Verbosity};

/// Run a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let verbosity = if cli.quiet {
        Verbosity::Quiet
    } else if cli.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    let printer = Printer::new(verbosity, l10n::for_terminal_env(cli.lang));
    let result = match cli.command {
        Command::Probe(args) => commands::probe::run(&options::ProbeOptions::from_args(args), &printer),
        Command::Capture(args) => commands::capture::run(&options::CaptureOptions::from_args(args), &printer),
        Command::Select(args) => {
            options::SelectOptions::from_args(args).and_then(|o| commands::select::run(&o, &printer))
        }
        Command::Profiles(cmd) => commands::profiles::run(&options::ProfilesOptions::from_args(cmd), &printer),
        Command::Generate(args) => {
            options::GenerateOptions::from_args(args).and_then(|o| commands::generate::run(&o, &printer))
        }
        Command::Erase(args) => {
            options::EraseOptions::from_args(args, cli.lang).and_then(|o| commands::erase::run(&o, &printer))
        }
        Command::HashPassword => commands::hash_password::run(&printer),
        Command::Batch(args) => options::BatchOptions::from_args(args).and_then(|o| commands::batch::run(&o, &printer)),
        Command::Plan(args) => commands::plan::run(&options::PlanOptions::from_args(args), &printer),
        Command::Media(cmd) => options::MediaOptions::from_args(cmd).and_then(|o| commands::media::run(&o, &printer)),
        Command::Serve(args) => commands::serve::run(&options::ServeOptions::from_args(args), &printer),
        Command::Status(args) => commands::status::run(&options::StatusOptions::from_args(args), &printer),
        Command::Log(args) => commands::log::run(&options::LogOptions::from_args(args), &printer),
        Command::Mark(args) => commands::mark::run(&options::MarkOptions::from_args(args), &printer),
        Command::Handover(args) => commands::handover::run(&options::HandoverOptions::from_args(args), &printer),
        Command::Passport(args) => {
            commands::passport::run(&options::PassportOptions::from_args(args, cli.lang), &printer)
        }
        Command::Check(args) => {
            options::SelfCheckOptions::from_args(args).and_then(|o| commands::check::run(&o, &printer))
        }
        Command::Ledger(cmd) => commands::ledger::run(&options::LedgerOptions::from_args(cmd), &printer),
        Command::PreseedValue(args) => commands::preseed_value::run(&args, &printer),
        Command::SyntheticReports(args) => commands::synthetic_reports::run(&args, &printer),
        Command::BundleInfo(args) => commands::bundle_info::run(&args.dir, args.report, &printer),
        Command::GenerateAssets(args) => commands::generate_assets::run(&args.dir, &printer),
    };
    match result {
        Ok(exit) => exit.code(),
        Err(failure) => {
            printer.error(&failure.error);
            failure.exit.code()
        }
    }
}
