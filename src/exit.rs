//! Exit codes: one per kind of outcome, documented in `docs/exit-codes.md`, so scripts and
//! batch runs can tell a broken input from a broken tool.

use std::fmt::Display;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    /// A bug or an environment problem (disk full, permission denied on the output).
    Internal = 1,
    /// The command line was wrong (clap's own code).
    Usage = 2,
    /// An input file or tree is missing, unreadable or malformed.
    BadInput = 3,
    /// The output exists already and `--force` was not given.
    OutputExists = 4,
    /// No profile of the catalog fits the machine.
    NoProfileFits = 5,
    /// A generated file failed its validator; nothing was written.
    ValidationFailed = 6,
    /// `batch`: some machines failed (listed in the summary and the inventory), the
    /// others got their bundles.
    PartialFailure = 7,
}

impl Exit {
    pub fn code(self) -> i32 {
        self as i32
    }
}

/// A failed command: the error chain to print and the exit code it maps to.
#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub error: anyhow::Error,
}

impl Failure {
    pub fn new(exit: Exit, error: impl Into<anyhow::Error>) -> Self {
        Failure {
            exit,
            error: error.into(),
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Self {
        Failure {
            exit: Exit::Internal,
            error,
        }
    }
}

/// Attach an exit code and a context line to any error.
pub trait OrExit<T> {
    fn or_exit<C: Display + Send + Sync + 'static>(self, exit: Exit, context: C) -> Result<T, Failure>;
}

impl<T, E: Into<anyhow::Error>> OrExit<T> for Result<T, E> {
    fn or_exit<C: Display + Send + Sync + 'static>(self, exit: Exit, context: C) -> Result<T, Failure> {
        self.map_err(|e| Failure {
            exit,
            error: e.into().context(context),
        })
    }
}
