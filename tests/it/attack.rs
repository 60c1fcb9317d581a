//! The attack run's reproductions (issue #12), each against the real binary: a laptop's data
//! or a catalog file must never change the meaning of an installer answer.

use std::path::{Path, PathBuf};

use crate::support::{fixtures_dir, generate, probe_dir, stderr, upcycle};

const HOSTILE_DISK: &str = "sda\nd-i partman/early_command string touch /tmp/PWNED\nd-i passwd/root-login boolean true";

fn t420() -> PathBuf {
    fixtures_dir().join("lenovo-thinkpad-t420-battery-wear/root")
}

/// The T420's report with `edit` applied to its JSON form, written as YAML to `path`.
fn edited_report(path: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let mut value = serde_json::to_value(probe_dir(&t420())).unwrap();
    edit(&mut value);
    std::fs::write(path, upcycle::yaml::to_string(&value)).unwrap();
}

fn hostile_disk_report(path: &Path) {
    edited_report(path, |v| {
        v["storage"]["disks"][0]["name"] = HOSTILE_DISK.into();
        v["storage"]["install_target"] = HOSTILE_DISK.into();
    });
}

/// Every file below `dir`, as text (lossy), with its path.
fn all_text(dir: &Path) -> Vec<(PathBuf, String)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let text = String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned();
            (e.path().to_path_buf(), text)
        })
        .collect()
}

#[test]
fn a_disk_name_with_installer_answers_is_refused_where_the_report_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("t420.yaml");
    hostile_disk_report(&report);
    let out = tmp.path().join("bundles");
    let o = generate(&report, &out, &[]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("t420.yaml"), "names the file: {err}");
    assert!(err.contains("storage.disks[0].name"), "names the field: {err}");
    assert!(err.contains("line "), "names the line: {err}");
    assert!(err.contains("is not a kernel block device name"), "{err}");
    assert!(!out.exists(), "nothing written");
}

#[test]
fn batch_refuses_the_same_disk_name_and_writes_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    hostile_disk_report(&inputs.join("a-hostile.yaml"));
    edited_report(&inputs.join("b-good.yaml"), |_| {});
    let out = tmp.path().join("out");
    let o = upcycle(&[
        "batch",
        inputs.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--today",
        "2026-11-25",
    ]);
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    let csv = std::fs::read_to_string(out.join("inventory.csv")).unwrap();
    let failed: Vec<&str> = csv.lines().filter(|l| l.contains("a-hostile.yaml")).collect();
    assert_eq!(failed.len(), 1, "{csv}");
    assert!(failed[0].contains("is not a kernel block device name"), "{}", failed[0]);
    let preseeds: Vec<_> = all_text(&out)
        .into_iter()
        .filter(|(p, _)| p.ends_with("preseed.cfg"))
        .collect();
    assert_eq!(preseeds.len(), 1, "only the good machine has a bundle");
    // The inventory names the refused value (escaped, cut); no bundle file carries it.
    for (path, text) in all_text(&out) {
        let name = path.file_name().unwrap().to_string_lossy();
        if !name.starts_with("inventory.") && name != "labels.html" {
            assert!(!text.contains("PWNED"), "{} carries the hostile value", path.display());
        }
    }
}

/// A capture's block device named to join or break preseed lines is skipped with a warning;
/// the real disk next to it is still found and is the only one the installer is told about.
#[test]
fn hostile_block_device_names_in_a_capture_never_reach_the_preseed() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    copy_tree(&t420(), &root);
    let block = root.join("sys/block");
    let target = std::fs::read_link(block.join("sda")).unwrap();
    for name in ["sdz\\", "sdz $(touch PWNED)", "sdy\nd-i netcfg"] {
        std::os::unix::fs::symlink(&target, block.join(name)).unwrap();
    }
    let o = upcycle(&["probe", "--root", root.to_str().unwrap(), "--format", "yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: upcycle::report::HardwareReport = upcycle::yaml::from_str(&String::from_utf8_lossy(&o.stdout)).unwrap();
    let names: Vec<&str> = report.storage.disks.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["sda", "sr0"]);
    let skipped = report
        .warnings
        .iter()
        .filter(|w| w.message.starts_with("skipped:"))
        .count();
    assert_eq!(skipped, 3, "{:?}", report.warnings);

    let out = tmp.path().join("bundles");
    let o = generate(&root, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let preseed = std::fs::read_to_string(out.join("schule-001/preseed.cfg")).unwrap();
    let values = |key: &str| -> Vec<String> {
        preseed
            .lines()
            .filter_map(|l| l.strip_prefix(&format!("d-i {key} ")))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(values("partman-auto/disk"), ["string /dev/sda"]);
    assert_eq!(values("grub-installer/bootdev"), ["string /dev/sda"]);
    assert_eq!(values("passwd/root-login"), ["boolean false"]);
    assert!(!preseed.contains("PWNED") && !preseed.contains("sdz"));
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).follow_links(false) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        let ft = entry.file_type();
        if ft.is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else if ft.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(entry.path()).unwrap(), &dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A `--profiles DIR` goes through the same checks as `profiles check`: hostile package
/// names, tasks, codenames and kernel packages are refused by `generate` and `batch` too,
/// with the file, line and field.
#[test]
fn hostile_catalog_values_are_refused_by_every_command_that_reads_a_catalog() {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles");
    let cases: [(&str, &str, &str); 4] = [
        (
            "package: linux-image-amd64",
            "package: \"linux-image-amd64\\nd-i passwd/root-login boolean true\"",
            "kernel[0].package",
        ),
        (
            "codename: trixie",
            "codename: \"trixie\\nd-i passwd/root-login boolean true\"",
            "distribution.codename",
        ),
        (
            "tasks: [xfce-desktop]",
            "tasks: [\"xfce-desktop $(reboot)\"]",
            "desktop.tasks[0]",
        ),
        (
            "packages: [unattended-upgrades,",
            "packages: [\"unattended-upgrades\\nd-i x y\",",
            "packages[0]",
        ),
    ];
    for (i, (from, to, field)) in cases.iter().enumerate() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("profiles");
        copy_tree(&shipped, &dir);
        let file = dir.join("debian-13-xfce.yaml");
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains(from), "case {i}: the shipped profile has `{from}`");
        std::fs::write(&file, text.replacen(from, to, 1)).unwrap();
        let out = tmp.path().join("bundles");
        let dir_s = dir.to_str().unwrap();
        let runs = [
            ("profiles check", upcycle(&["profiles", "check", dir_s])),
            ("generate", generate(&t420(), &out, &["--profiles", dir_s])),
            (
                "batch",
                upcycle(&[
                    "batch",
                    t420().to_str().unwrap(),
                    "-o",
                    out.to_str().unwrap(),
                    "--profiles",
                    dir_s,
                ]),
            ),
        ];
        for (cmd, o) in runs {
            let err = format!("{}{}", crate::support::stdout(&o), stderr(&o));
            assert_eq!(o.status.code(), Some(3), "case {i} {cmd}: {err}");
            assert!(
                err.contains("debian-13-xfce.yaml:"),
                "case {i} {cmd} names the file and line: {err}"
            );
            assert!(err.contains(field), "case {i} {cmd} names {field}: {err}");
        }
        assert!(!out.exists(), "case {i}: nothing written");
    }
}
