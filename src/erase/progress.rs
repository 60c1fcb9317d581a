//! Progress for a screen that is not a terminal (`--progress-file`): the Debian installer
//! shows no indicatif bar, so its shell command reads this file every few seconds and
//! feeds d-i's own progress bar (`db_progress`, templates/installer-commands.tera). One
//! line, machine-readable, never half-written (a temp file renamed over it):
//!
//! ```text
//! upcycle-progress/v1 PHASE PERMILLE DONE_MIB TOTAL_MIB
//! ```
//!
//! `PHASE` is `write` (the overwrite) or `verify` (the read-back); `PERMILLE` 0..=1000 of
//! that phase (the shell needs no arithmetic on 64-bit byte counts); sizes in whole MiB.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The line's first word: a reader refuses lines of another version.
pub const VERSION: &str = "upcycle-progress/v1";
/// At most one rewrite this often (the installer reads every 2 s); a phase's end always.
pub const EVERY: Duration = Duration::from_millis(500);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Write,
    Verify,
}

impl Phase {
    fn word(self) -> &'static str {
        match self {
            Phase::Write => "write",
            Phase::Verify => "verify",
        }
    }
}

/// The line for `done` of `total` bytes of `phase`. Pure.
pub fn line(phase: Phase, done: u64, total: u64) -> String {
    let done = done.min(total);
    let permille = if total == 0 {
        1000
    } else {
        (u128::from(done) * 1000 / u128::from(total)) as u64
    };
    format!("{VERSION} {} {permille} {} {}\n", phase.word(), done >> 20, total >> 20)
}

/// Where the progress goes; nowhere without `--progress-file`. Writing errors are ignored:
/// progress must never stop an erasure.
pub struct ProgressFile {
    path: Option<PathBuf>,
    last: Mutex<Option<Instant>>,
}

impl ProgressFile {
    pub fn new(path: Option<&Path>) -> ProgressFile {
        ProgressFile {
            path: path.map(Path::to_path_buf),
            last: Mutex::new(None),
        }
    }

    /// `done` of `total` bytes of `phase`: written when [`EVERY`] has passed since the last
    /// write, or when the phase is complete.
    pub fn report(&self, phase: Phase, done: u64, total: u64) {
        let Some(path) = &self.path else { return };
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let due = done >= total || last.is_none_or(|t| t.elapsed() >= EVERY);
        if !due {
            return;
        }
        *last = Some(Instant::now());
        let mut tmp = path.clone().into_os_string();
        tmp.push(".upcycle-tmp");
        let tmp = PathBuf::from(tmp);
        if std::fs::write(&tmp, line(phase, done, total)).is_ok() {
            let _ = std::fs::rename(&tmp, path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_says_the_phase_in_permille_and_mib_without_overflow() {
        assert_eq!(line(Phase::Write, 0, 256 << 20), "upcycle-progress/v1 write 0 0 256\n");
        assert_eq!(
            line(Phase::Write, 128 << 20, 256 << 20),
            "upcycle-progress/v1 write 500 128 256\n"
        );
        assert_eq!(
            line(Phase::Verify, 256 << 20, 256 << 20),
            "upcycle-progress/v1 verify 1000 256 256\n"
        );
        // a 2 TB disk: done * 1000 does not overflow
        let big = 2_000_398_934_016u64;
        assert_eq!(
            line(Phase::Write, big / 3, big),
            format!("upcycle-progress/v1 write 333 {} {}\n", (big / 3) >> 20, big >> 20)
        );
        assert_eq!(
            line(Phase::Write, u64::MAX, u64::MAX),
            format!("upcycle-progress/v1 write 1000 {} {}\n", u64::MAX >> 20, u64::MAX >> 20)
        );
        assert_eq!(line(Phase::Verify, 5, 0), "upcycle-progress/v1 verify 1000 0 0\n");
    }

    #[test]
    fn the_file_holds_one_whole_line_and_is_rewritten_at_most_every_half_second() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("progress");
        let p = ProgressFile::new(Some(&path));
        p.report(Phase::Write, 1 << 20, 100 << 20);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "upcycle-progress/v1 write 10 1 100\n"
        );
        // too soon: not written; the phase's end: written
        p.report(Phase::Write, 2 << 20, 100 << 20);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "upcycle-progress/v1 write 10 1 100\n"
        );
        p.report(Phase::Write, 100 << 20, 100 << 20);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "upcycle-progress/v1 write 1000 100 100\n"
        );
        std::thread::sleep(EVERY);
        p.report(Phase::Verify, 50 << 20, 100 << 20);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "upcycle-progress/v1 verify 500 50 100\n"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temp file left");
        // none asked for: nothing written, nothing fails
        ProgressFile::new(None).report(Phase::Write, 1, 2);
        // a folder that is not there: ignored
        ProgressFile::new(Some(&dir.path().join("no/such/progress"))).report(Phase::Write, 1, 1);
    }
}
