//! No silent gaps: a validator that is not installed stops `generate`, `plan` and `batch`
//! (exit 1, naming the package) unless the user skips it by name, and then every bundle
//! says it was not checked.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::{fixtures_dir, stderr};

/// A PATH with every program of /usr/bin and /bin except those in `without`.
fn path_without(dir: &Path, without: &[&str]) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for d in ["/usr/bin", "/bin"] {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let name = e.file_name();
            if without.iter().any(|w| name == **w) || bin.join(&name).exists() {
                continue;
            }
            let _ = std::os::unix::fs::symlink(e.path(), bin.join(&name));
        }
    }
    bin
}

fn run(path: &Path, args: &[&str]) -> Output {
    crate::support::upcycle_command()
        .args(args)
        .env("PATH", path)
        .output()
        .unwrap()
}

#[test]
fn a_missing_validator_stops_generate_and_batch_unless_skipped_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let path = path_without(tmp.path(), &["shellcheck"]);
    let t40 = fixtures_dir().join("ibm-thinkpad-t40/root");
    let t40 = t40.to_str().unwrap();
    let out = tmp.path().join("out");
    let out_s = out.to_str().unwrap();
    for args in [
        vec!["generate", t40, "-o", out_s, "--today", "2026-11-25"],
        vec!["batch", t40, "-o", out_s, "--today", "2026-11-25"],
    ] {
        let o = run(&path, &args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("shellcheck is not installed"), "{err}");
        assert!(err.contains("apt-get install shellcheck"), "{err}");
        assert!(err.contains("--skip-validator shellcheck"), "{err}");
        assert!(!out.exists(), "{args:?}: nothing written");
    }

    let o = run(
        &path,
        &[
            "generate",
            t40,
            "-o",
            out_s,
            "--today",
            "2026-11-25",
            "--skip-validator",
            "shellcheck",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let bundle = out.join("schule-001");
    let note = std::fs::read_to_string(bundle.join("NOT-CHECKED.txt")).unwrap();
    assert!(note.contains("shellcheck"), "{note}");
    // in the workshop's language (the default's German), as the bundle's other texts
    assert!(note.contains("OHNE diese Prüfungen"), "{note}");
    assert!(!note.contains("debconf"), "only the skipped tool is named: {note}");
    let sums = std::fs::read_to_string(bundle.join("SHA256SUMS")).unwrap();
    assert!(sums.contains("  NOT-CHECKED.txt\n"), "{sums}");
    let check = Command::new("sha256sum")
        .arg("-c")
        .arg("--quiet")
        .arg("SHA256SUMS")
        .current_dir(&bundle)
        .output()
        .unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));

    // The tools that are there still run: a batch that skips shellcheck still refuses a
    // preseed debconf rejects (here: none), and its bundles carry the note too.
    let room = tmp.path().join("room");
    let o = run(
        &path,
        &[
            "batch",
            t40,
            "-o",
            room.to_str().unwrap(),
            "--today",
            "2026-11-25",
            "--skip-validator",
            "shellcheck",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(room.join("schule-001/NOT-CHECKED.txt").exists());
}

#[test]
fn with_every_validator_installed_no_bundle_says_it_was_not_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = crate::support::generate(&fixtures_dir().join("ibm-thinkpad-t40/root"), &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!out.join("schule-001/NOT-CHECKED.txt").exists());
}

/// The external tools see one `postinstall.sh` per kind of text (`validate::kind_key`,
/// the machine's own values masked). Machines whose scripts differ only in catalog values
/// printed as plain words (the desktop's session name, the packages kept out, also when
/// there are none) are one kind; a line of its own is not.
#[test]
fn postinstall_scripts_that_differ_in_desktop_and_kept_out_packages_are_one_kind() {
    use upcycle::render::{self, RenderInput, Templates};
    use upcycle::select::{self, Inputs};
    use upcycle::workshop::Workshop;
    let catalog = upcycle::catalog::load::load(None).unwrap().0;
    let templates = Templates::embedded().unwrap();
    let workshop = Workshop::embedded();
    let token = upcycle::token::InstallToken::generate();
    let inputs = Inputs {
        catalog: &catalog,
        policy: &workshop.selection,
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        firmware: &select::embedded_firmware,
    };
    let mut scripts = Vec::new();
    for (n, machine) in [
        "ibm-thinkpad-t40",
        "lenovo-thinkpad-x220",
        "lenovo-thinkpad-t420-battery-wear",
        "dell-xps-15-9560-nvme-uefi",
    ]
    .into_iter()
    .enumerate()
    {
        let report = crate::support::probe_dir(&fixtures_dir().join(machine).join("root"));
        let selection = select::select(&report, &inputs);
        let hostname = workshop.hostname_for(n + 1, report.machine.serial.as_deref());
        let input = RenderInput {
            report: &report,
            selection: &selection,
            workshop: &workshop,
            asset_id: &hostname,
            hostname: &hostname,
            install_token: &token,
        };
        let bundle = render::render(&templates, &input).unwrap();
        let text = bundle
            .files
            .iter()
            .find(|f| f.path == "postinstall.sh")
            .unwrap()
            .text()
            .to_string();
        scripts.push((machine, text, bundle.machine_values));
    }
    // What the texts differ in (so the keys below are not equal for want of a difference):
    let session = |t: &str| {
        t.lines()
            .find(|l| l.contains("*) SESSION=$name"))
            .unwrap()
            .trim()
            .to_string()
    };
    let sessions: std::collections::BTreeSet<String> = scripts.iter().map(|(_, t, _)| session(t)).collect();
    assert!(sessions.len() >= 3, "{sessions:?}");
    assert!(scripts.iter().any(|(_, t, _)| t.contains("\nKEEP_OUT=()\n")));
    assert!(scripts.iter().any(|(_, t, _)| t.contains("\nKEEP_OUT=('")));
    let key = |t: &str, v: &[(&'static str, String)]| upcycle::validate::kind_key(t, v);
    let (first, text, values) = &scripts[0];
    for (machine, t, v) in &scripts[1..] {
        assert_eq!(key(t, v), key(text, values), "{machine} is another kind than {first}");
    }
    // A line more is another kind.
    let changed = text.replacen("set -euo pipefail", "set -euo pipefail\nrm -rf /tmp/x", 1);
    assert_ne!(key(&changed, values), key(text, values));
}
