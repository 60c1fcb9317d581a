//! Small helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use upcycle::fwmap::FirmwareMap;
use upcycle::probe::{self, SysRoot};
use upcycle::report::HardwareReport;

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/machines")
}

/// Every fixture machine: (slug, machine dir), sorted.
pub fn machines() -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures/machines exists")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("root").is_dir())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    out.sort();
    assert!(out.len() >= 7, "expected the fixture machines, found {}", out.len());
    out
}

pub fn probe_with(root: &Path, release: &str) -> HardwareReport {
    let map = FirmwareMap::embedded(release).unwrap();
    probe::probe(&SysRoot::at(root), map).unwrap_or_else(|e| panic!("probe {}: {e}", root.display()))
}

pub fn probe_dir(root: &Path) -> HardwareReport {
    probe_with(root, upcycle::fwmap::DEFAULT_RELEASE)
}

/// Run the real binary.
pub fn upcycle(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_upcycle"))
        .args(args)
        .output()
        .expect("the upcycle binary runs")
}

/// `upcycle generate ROOT -o OUT --today 2026-11-25 EXTRA...`.
pub fn generate(root: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "generate",
        root.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--today",
        "2026-11-25",
    ];
    args.extend_from_slice(extra);
    upcycle(&args)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
