//! The doorway: parse the command line (its help in the terminal's language), run, exit
//! with the code `run` chose.

use clap::{CommandFactory, FromArgMatches};

fn main() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = upcycle::l10n::for_terminal_env(upcycle::l10n::flag_in_args(&args));
    let matches = upcycle::l10n::command(upcycle::cli::Cli::command(), lang).get_matches_from(args);
    let cli = upcycle::cli::Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    std::process::exit(upcycle::run(cli));
}
