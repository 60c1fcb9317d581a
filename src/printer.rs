//! The one place that prints. Results go to stdout; status, warnings and (later)
//! progress bars go to stderr, and bars only show when stderr is a terminal.

use std::io::{IsTerminal, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

#[derive(Debug, Clone)]
pub struct Printer {
    pub verbosity: Verbosity,
    pub stderr_is_terminal: bool,
}

impl Printer {
    pub fn new(verbosity: Verbosity) -> Self {
        Printer {
            verbosity,
            stderr_is_terminal: std::io::stderr().is_terminal(),
        }
    }

    /// The command's result, always printed.
    pub fn out(&self, text: &str) {
        let mut stdout = std::io::stdout().lock();
        // A closed pipe (`upcycle probe | head`) is not an error worth a panic.
        let _ = stdout.write_all(text.as_bytes());
        let _ = stdout.flush();
    }

    /// A line of status for the person at the terminal.
    pub fn status(&self, text: &str) {
        if self.verbosity >= Verbosity::Normal {
            eprintln!("{text}");
        }
    }

    /// Detail only shown with `--verbose`.
    pub fn detail(&self, text: &str) {
        if self.verbosity >= Verbosity::Verbose {
            eprintln!("{text}");
        }
    }

    /// A progress bar on stderr; hidden when stderr is not a terminal or with --quiet.
    pub fn progress(&self, len: u64, what: &str) -> indicatif::ProgressBar {
        if !self.stderr_is_terminal || self.verbosity == Verbosity::Quiet {
            return indicatif::ProgressBar::hidden();
        }
        let bar = indicatif::ProgressBar::new(len);
        let style = indicatif::ProgressStyle::with_template(&format!("{{bar:40}} {{pos}}/{{len}} {what} {{msg}}"))
            .expect("the progress template is valid");
        bar.set_style(style);
        bar
    }

    /// An error chain, printed whatever the verbosity.
    pub fn error(&self, error: &anyhow::Error) {
        let mut msg = format!("error: {error}");
        for cause in error.chain().skip(1) {
            msg.push_str(&format!("\n  caused by: {cause}"));
        }
        eprintln!("{msg}");
    }
}
