//! Small helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use upcycle::fwmap::FirmwareMap;
use upcycle::probe::{self, SysRoot};
use upcycle::report::HardwareReport;

/// Debian 12's netboot images, the folder holding `12/i386/text/...` and
/// `12/amd64/text/...` (`upcycle media --images`): `$UPCYCLE_TEST_IMAGES` where
/// scripts/test.sh fetched and verified them into its cache (Debian 13, Ubuntu: no
/// debian-installer-12-netboot-* packages there), else the packages' own folder.
pub fn installer_images() -> PathBuf {
    std::env::var_os("UPCYCLE_TEST_IMAGES")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/lib/debian-installer/images"))
}

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

/// Run the real binary, speaking English on the terminal (`LANGUAGE=en`: a `LANG` the
/// machine has no locale for would make the validators' perl warn). Tests of German output
/// use [`upcycle_env`]; generated files follow the workshop config, German by default.
pub fn upcycle(args: &[&str]) -> Output {
    upcycle_env(&[("LANGUAGE", "en")], args)
}

/// The real binary as a `Command`, speaking English on the terminal like [`upcycle`].
pub fn upcycle_command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_upcycle"));
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        cmd.env_remove(var);
    }
    cmd.env("LANGUAGE", "en");
    cmd
}

/// Run the real binary with only these of the locale variables (`LANGUAGE`, `LC_ALL`,
/// `LC_MESSAGES`, `LANG`) set.
pub fn upcycle_env(vars: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_upcycle"));
    for var in ["LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"] {
        cmd.env_remove(var);
    }
    cmd.envs(vars.iter().copied())
        .args(args)
        .output()
        .expect("the upcycle binary runs")
}

/// `upcycle generate ROOT -o OUT --today 2026-11-25 EXTRA...`.
/// The install token the ledger in `out` gave machine number `number` (for snapshots,
/// which show it as `[token]`).
pub fn install_token(out: &Path, number: u32) -> String {
    let ledger = upcycle::ledger::Ledger::open_existing(&out.join(upcycle::ledger::FILE_NAME)).unwrap();
    let machine = ledger.machine(&number.to_string()).unwrap().unwrap();
    ledger.install_token(machine.id).unwrap().unwrap().to_string()
}

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

/// A copy of the project's templates/ in a temporary folder (for `--templates` tests
/// that change one template).
pub fn templates_copy() -> tempfile::TempDir {
    let templates = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates")).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, templates.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    templates
}
