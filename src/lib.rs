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

pub mod atomic;
pub mod batch;
pub mod bundle;
pub mod capture;
pub mod catalog;
pub mod cli;
pub mod commands;
pub mod exit;
pub mod fwmap;
pub mod inventory;
pub mod media;
pub mod options;
pub mod password;
pub mod printer;
pub mod probe;
pub mod redact;
pub mod render;
pub mod report;
pub mod select;
pub mod serve;
pub mod summary;
pub mod validate;
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
    let printer = Printer::new(verbosity);
    let result = match cli.command {
        Command::Probe(args) => commands::probe::run(&options::ProbeOptions::from_args(args), &printer),
        Command::Capture(args) => commands::capture::run(&options::CaptureOptions::from_args(args), &printer),
        Command::Select(args) => {
            options::SelectOptions::from_args(args).and_then(|o| commands::select::run(&o, &printer))
        }
        Command::Profiles(cmd) => commands::profiles::run(&cmd, &printer),
        Command::Generate(args) => {
            options::GenerateOptions::from_args(args).and_then(|o| commands::generate::run(&o, &printer))
        }
        Command::HashPassword => commands::hash_password::run(&printer),
        Command::Batch(args) => options::BatchOptions::from_args(args).and_then(|o| commands::batch::run(&o, &printer)),
        Command::Plan(args) => commands::plan::run(&args, &printer),
        Command::Media(cmd) => commands::media::run(&cmd, &printer),
        Command::Serve(args) => commands::serve::run(&args, &printer),
    };
    match result {
        Ok(exit) => exit.code(),
        Err(failure) => {
            printer.error(&failure.error);
            failure.exit.code()
        }
    }
}
