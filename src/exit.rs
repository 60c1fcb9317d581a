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
    /// The output folder is in use by another upcycle run (its lock is held); nothing was
    /// written. Wait and run again, or choose another folder.
    Busy = 8,
    /// The ledger refused: another machine has this host name or number, or the input is
    /// a machine the ledger knows under another number. Nothing was written.
    Conflict = 9,
    /// `erase`: a disk was not erased on purpose: the boot disk, in use, a USB disk not
    /// named, not confirmed, or a method this version does not run. Nothing was written to it.
    EraseRefused = 10,
    /// `erase`: the overwrite or the verification failed (an I/O error, a byte that is not
    /// erased); the record says where. The disk is NOT erased.
    EraseFailed = 11,
    /// `erase`: stopped by SIGINT/SIGTERM; the record says "interrupted". Run the same
    /// command again to resume where it stopped.
    Interrupted = 12,
    /// `media images`: the mirror (or its proxy) could not be reached, or did not serve a
    /// file the installer images need. Nothing in the cache was changed.
    Network = 13,
    /// `media images`: a signature of the archive is bad or made by no key of Debian's
    /// keyring (or the signed Release is another release's). Nothing was kept.
    BadSignature = 14,
    /// `media images`: a downloaded file does not have the SHA-256 the signed lists give it
    /// (a damaged or changed file, a mirror half-way through an update). Nothing was kept.
    BadChecksum = 15,
    /// `media images`: gpgv or Debian's archive keyring is not installed (the message
    /// names the package).
    ToolMissing = 16,
    /// `check`: at least one check failed (the table and the JSON say which).
    CheckFailed = 17,
    /// `check --post`: the result did not reach serve (unreachable, refused); it is kept
    /// on the laptop.
    NotPosted = 18,
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

/// Reading a machine: a full disk while unpacking is the environment's failure (1), every
/// other problem is the input's (3).
impl From<crate::machine::MachineError> for Failure {
    fn from(e: crate::machine::MachineError) -> Self {
        let exit = if e.is_environment() {
            Exit::Internal
        } else {
            Exit::BadInput
        };
        Failure::new(exit, e)
    }
}

/// The generate operation: 5 when no (or not the wanted) profile fits, 3 when rendering
/// refused an input, 6 when a file failed its validator.
impl From<crate::ops::GenerateError> for Failure {
    fn from(e: crate::ops::GenerateError) -> Self {
        use crate::ops::GenerateError as G;
        let exit = match &e {
            G::NoProfileFits { .. } | G::ProfileDoesNotFit { .. } => Exit::NoProfileFits,
            G::Render(_) => Exit::BadInput,
            G::Invalid { .. } => Exit::ValidationFailed,
        };
        Failure::new(exit, e)
    }
}

/// A validator that is neither installed nor skipped: the environment's failure (1).
impl From<crate::validate::MissingTools> for Failure {
    fn from(e: crate::validate::MissingTools) -> Self {
        Failure::new(Exit::Internal, e)
    }
}

/// A catalog that cannot be loaded (embedded or `--profiles DIR`): bad input (3), the same
/// in every command.
impl From<crate::catalog::LoadError> for Failure {
    fn from(e: crate::catalog::LoadError) -> Self {
        Failure::new(
            Exit::BadInput,
            anyhow::Error::new(e).context(crate::l10n::Said::new("err-catalog-unusable")),
        )
    }
}

/// The ledger: a file that is not a ledger, or one from a newer upcycle, is bad input (3);
/// busy (8); a name or number another machine has (9); the rest the environment's (1).
/// An unknown machine is bad input (3), an unwritable folder the environment's (1).
impl From<crate::passport::PassportError> for Failure {
    fn from(e: crate::passport::PassportError) -> Self {
        use crate::passport::PassportError as P;
        match e {
            P::Ledger(l) => l.into(),
            P::NoMachine { .. } => Failure::new(Exit::BadInput, e),
            P::Write { .. } => Failure::new(Exit::Internal, e),
        }
    }
}

impl From<crate::ledger::LedgerError> for Failure {
    fn from(e: crate::ledger::LedgerError) -> Self {
        use crate::ledger::LedgerError as L;
        let exit = match &e {
            _ if e.is_bad_input() => Exit::BadInput,
            L::Busy { .. } => Exit::Busy,
            L::Conflict(_) => Exit::Conflict,
            _ => Exit::Internal,
        };
        Failure::new(exit, e)
    }
}

/// Fetching installer images: the network (13), a signature (14), a hash (15), gpgv or
/// the keyring missing (16), a release without an installer for the architecture (2),
/// the rest the environment's (1).
impl From<crate::media::images::ImagesError> for Failure {
    fn from(e: crate::media::images::ImagesError) -> Self {
        use crate::media::images::ImagesError as I;
        let exit = match &e {
            I::Unreachable { .. } | I::Http { .. } | I::TooLarge { .. } => Exit::Network,
            I::BadSignature { .. } | I::Untrusted { .. } | I::WrongRelease { .. } => Exit::BadSignature,
            I::Checksum { .. } | I::Changed { .. } | I::NotListed { .. } | I::Garbled { .. } | I::Unpack { .. } => {
                Exit::BadChecksum
            }
            I::ToolMissing { .. } => Exit::ToolMissing,
            I::NoInstaller { .. } => Exit::Usage,
            I::Io { .. } => Exit::Internal,
        };
        Failure::new(exit, e)
    }
}
