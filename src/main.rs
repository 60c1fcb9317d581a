//! The doorway: parse the command line, run, exit with the code `run` chose.

use clap::Parser;

fn main() {
    let cli = upcycle::cli::Cli::parse();
    std::process::exit(upcycle::run(cli));
}
