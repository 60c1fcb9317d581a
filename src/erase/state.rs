//! The resume point of an overwrite: a small JSON file beside the records, written before
//! the first byte and after each checkpoint (sync). A rerun on the same disk (same device,
//! serial, size and pattern) continues where the last one stopped; any other disk starts
//! from 0. Removed once the overwrite and its verification have passed.

use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub const SCHEMA: &str = "upcycle.erase-state/v1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    pub schema: String,
    pub device: String,
    pub serial: Option<String>,
    pub size_bytes: u64,
    pub pattern: u8,
    /// Bytes from 0 that are written and synced.
    pub done_bytes: u64,
    /// When the first run on this disk started (RFC 3339).
    pub started: String,
    pub updated: String,
}

impl State {
    /// Same disk, same pattern: the resume point applies.
    pub fn matches(&self, device: &str, serial: Option<&str>, size: u64, pattern: u8) -> bool {
        self.schema == SCHEMA
            && self.device == device
            && self.serial.as_deref() == serial
            && self.size_bytes == size
            && self.pattern == pattern
            && self.done_bytes <= size
    }
}

/// `DIR/.erase-state-<name>.json`.
pub fn path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!(".erase-state-{name}.json"))
}

/// The saved state, if any and readable (a garbled one is ignored: the overwrite starts at 0).
pub fn load(path: &Path) -> Option<State> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

pub fn save(path: &Path, state: &State) -> io::Result<()> {
    let json = serde_json::to_string_pretty(state).expect("the state serialises");
    crate::atomic::write_file(path, json.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_round_trips_and_matches_only_its_disk() {
        let dir = tempfile::tempdir().unwrap();
        let p = path(dir.path(), "sda");
        let s = State {
            schema: SCHEMA.into(),
            device: "/dev/sda".into(),
            serial: Some("X1".into()),
            size_bytes: 100,
            pattern: 0,
            done_bytes: 40,
            started: "2026-12-01T09:00:00Z".into(),
            updated: "2026-12-01T09:01:00Z".into(),
        };
        save(&p, &s).unwrap();
        let back = load(&p).unwrap();
        assert_eq!(back, s);
        assert!(back.matches("/dev/sda", Some("X1"), 100, 0));
        assert!(!back.matches("/dev/sda", Some("X2"), 100, 0));
        assert!(!back.matches("/dev/sda", Some("X1"), 200, 0));
        assert!(!back.matches("/dev/sda", Some("X1"), 100, 0xff));
        std::fs::write(&p, "{garbled").unwrap();
        assert_eq!(load(&p), None);
    }
}
