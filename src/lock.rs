//! Locks on output folders, so that two runs never write into one folder at once (two
//! batches with German and English workshop files would mix their languages). A run
//! that writes a whole folder (`batch`) holds an exclusive lock for all its time; runs that
//! only add to it (`generate`) or read it (`serve`, later the ledger) may share one.
//! The lock is `flock(2)` on the folder itself (opened read-only), not on a lock file in
//! it: nothing is added to the user's folder (a `generate -o .` would otherwise leave a
//! hidden file in the working directory), and there is no file whose removal could let
//! two runs lock two different files. The kernel drops the lock when the process ends,
//! however it ends (`kill -9` too), so a stale lock is impossible.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use nix::errno::Errno;
use nix::fcntl::{Flock, FlockArg};

/// Who else may hold the folder's lock at the same time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No one: the holder rewrites the folder as a whole.
    Exclusive,
    /// Other shared holders, no exclusive one.
    Shared,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "{0} is in use by another upcycle run (a batch, generate or serve on the same folder): \
         wait until it has finished, or choose another output folder"
    )]
    Busy(PathBuf),
    #[error("cannot lock {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

impl crate::l10n::Localize for LockError {
    fn localize(&self, lang: crate::l10n::Lang) -> String {
        match self {
            LockError::Busy(path) => {
                crate::l10n::format(lang, "err-lock-busy", &[("path", path.display().to_string().into())])
            }
            LockError::Io { path, source } => crate::l10n::format(
                lang,
                "err-lock-io",
                &[
                    ("path", path.display().to_string().into()),
                    ("error", crate::l10n::Localize::localize(source, lang).into()),
                ],
            ),
        }
    }
}

/// A held lock; dropping it unlocks.
#[derive(Debug)]
pub struct FolderLock {
    _lock: Flock<File>,
}

/// Lock the existing folder `dir` without waiting: [`LockError::Busy`] when another
/// process holds a lock that excludes `access`.
pub fn lock_folder(dir: &Path, access: Access) -> Result<FolderLock, LockError> {
    let io_err = |source: io::Error| LockError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let file = File::open(dir).map_err(io_err)?;
    let arg = match access {
        Access::Exclusive => FlockArg::LockExclusiveNonblock,
        Access::Shared => FlockArg::LockSharedNonblock,
    };
    match Flock::lock(file, arg) {
        Ok(lock) => Ok(FolderLock { _lock: lock }),
        Err((_, Errno::EWOULDBLOCK)) => Err(LockError::Busy(dir.to_path_buf())),
        Err((_, errno)) => Err(io_err(io::Error::from(errno))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // flock locks belong to the open file, so two opens in one process exclude each
    // other as two processes do (tests/it/batch.rs runs two real processes)
    #[test]
    fn exclusive_excludes_all_shared_shares() {
        let dir = tempfile::tempdir().unwrap();
        let first = lock_folder(dir.path(), Access::Exclusive).unwrap();
        for access in [Access::Exclusive, Access::Shared] {
            let e = lock_folder(dir.path(), access).unwrap_err();
            assert!(matches!(e, LockError::Busy(_)), "{e}");
            assert!(e.to_string().contains(&dir.path().display().to_string()), "{e}");
        }
        drop(first);
        let a = lock_folder(dir.path(), Access::Shared).unwrap();
        let b = lock_folder(dir.path(), Access::Shared).unwrap();
        assert!(matches!(
            lock_folder(dir.path(), Access::Exclusive),
            Err(LockError::Busy(_))
        ));
        drop((a, b));
        lock_folder(dir.path(), Access::Exclusive).unwrap();
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "nothing added to the folder"
        );
    }

    #[test]
    fn a_missing_folder_is_an_io_error() {
        let dir = tempfile::tempdir().unwrap();
        let e = lock_folder(&dir.path().join("nope"), Access::Shared).unwrap_err();
        assert!(matches!(e, LockError::Io { .. }), "{e}");
    }
}
