//! The doorway: parse the command line (its help in the terminal's language; `--version`
//! with the data the binary carries), run, exit with the code `run` chose.

use clap::{CommandFactory, FromArgMatches};

/// See Cargo.toml: the glibc build allocates with mimalloc.
#[cfg(target_env = "gnu")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = upcycle::l10n::for_terminal_env(upcycle::l10n::flag_in_args(&args));
    let mut cmd = upcycle::l10n::command(upcycle::cli::Cli::command(), lang);
    if args.iter().any(|a| a == "--version") {
        // only then: it loads the embedded catalog
        cmd = cmd.long_version(upcycle::version::long_version(lang));
    }
    let matches = match cmd.try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => match upcycle::printer::usage_error(&e, lang) {
            Some(text) => {
                eprintln!("{text}");
                std::process::exit(e.exit_code());
            }
            None => e.exit(),
        },
    };
    let cli = upcycle::cli::Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    std::process::exit(upcycle::run(cli));
}
