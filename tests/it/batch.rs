//! Batch over the fixture machines plus broken inputs; idempotence; the CSV.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{fixtures_dir, probe_dir, stderr, upcycle};
use upcycle::inventory::{COLUMNS, Row};

const TODAY: &str = "2026-11-25";

/// Every file below `dir` with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// A room: five real machines as reports and captures, and the broken cases.
fn room(dir: &Path) {
    let machines = [
        "ibm-thinkpad-t40",
        "lenovo-thinkpad-x220",
        "dell-xps-m1530-nvidia",
        "asus-t100ta-baytrail-uefi32",
    ];
    for (i, slug) in machines.iter().enumerate() {
        let mut report = probe_dir(&fixtures_dir().join(slug).join("root"));
        report.machine.serial = Some(format!("SN-{i:04}"));
        std::fs::write(dir.join(format!("{slug}.yaml")), upcycle::yaml::to_string(&report)).unwrap();
    }
    // A capture folder, probed on the fly.
    let out = std::process::Command::new("cp")
        .args(["-a"])
        .arg(fixtures_dir().join("lenovo-thinkpad-t420-battery-wear/root"))
        .arg(dir.join("t420-capture"))
        .output()
        .unwrap();
    assert!(out.status.success());
    // Garbage YAML.
    std::fs::write(
        dir.join("garbage.yaml"),
        "schema: upcycle.report/v1\nmachine: [unclosed\n",
    )
    .unwrap();
    // A capture archive with nothing a probe can read.
    let empty = tempfile::tempdir().unwrap();
    std::fs::write(empty.path().join("README"), "not a capture").unwrap();
    let archive = std::fs::File::create(dir.join("no-root.tar.gz")).unwrap();
    let gz = flate2::write::GzEncoder::new(archive, flate2::Compression::default());
    let mut tar = tar::Builder::new(gz);
    tar.append_path_with_name(empty.path().join("README"), "README")
        .unwrap();
    tar.into_inner().unwrap().finish().unwrap();
    // A machine no profile fits: 32-bit with 256 MiB.
    let mut tiny = probe_dir(&fixtures_dir().join("dell-latitude-d620-coreduo/root"));
    tiny.memory.installed_mib = Some(256);
    tiny.memory.mem_total_kib = Some(250_000);
    tiny.machine.serial = Some("SN-TINY".into());
    std::fs::write(dir.join("tiny.yaml"), upcycle::yaml::to_string(&tiny)).unwrap();
    // The T40 again under another name: same serial.
    std::fs::copy(dir.join("ibm-thinkpad-t40.yaml"), dir.join("zz-t40-again.yaml")).unwrap();
    // A workshop file lying beside the captures is not a machine.
    std::fs::write(dir.join("workshop-notes.yaml"), "room: 12\nteacher: someone\n").unwrap();
}

fn batch(inputs: &Path, out: &Path) -> std::process::Output {
    upcycle(&[
        "batch",
        inputs.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--today",
        TODAY,
        "--jobs",
        "2",
    ])
}

fn rows(out: &Path) -> Vec<Row> {
    let mut reader = csv::Reader::from_path(out.join("inventory.csv")).unwrap();
    assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), COLUMNS);
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let f: Vec<String> = r.iter().map(String::from).collect();
            Row {
                asset_id: f[0].clone(),
                source: f[1].clone(),
                vendor: f[2].clone(),
                model: f[3].clone(),
                serial: f[4].clone(),
                year: f[5].clone(),
                cpu: f[6].clone(),
                cpu_64bit: f[7].clone(),
                ram_mib: f[8].clone(),
                disk: f[9].clone(),
                disk_type: f[10].clone(),
                battery_health: f[11].clone(),
                display: f[12].clone(),
                profile: f[13].clone(),
                dropped_apps: f[14].clone(),
                upgrades: f[15].clone(),
                firmware: f[16].clone(),
                status: f[17].clone(),
            }
        })
        .collect()
}

#[test]
fn a_room_with_broken_inputs() {
    let inputs = tempfile::tempdir().unwrap();
    room(inputs.path());
    let out = tempfile::tempdir().unwrap();
    let run = batch(inputs.path(), out.path());
    assert_eq!(run.status.code(), Some(7), "some failed: {}", stderr(&run));
    let rows = rows(out.path());
    assert_eq!(rows.len(), 9, "{rows:#?}");
    let by_source = |name: &str| {
        rows.iter()
            .find(|r| r.source.ends_with(name))
            .unwrap_or_else(|| panic!("{name} missing"))
    };
    for good in [
        "ibm-thinkpad-t40.yaml",
        "lenovo-thinkpad-x220.yaml",
        "dell-xps-m1530-nvidia.yaml",
        "asus-t100ta-baytrail-uefi32.yaml",
        "t420-capture",
    ] {
        let row = by_source(good);
        assert_eq!(row.status, "ok", "{good}");
        assert!(
            out.path().join(&row.asset_id).join("checklist.html").exists(),
            "{good}: no bundle"
        );
    }
    assert!(
        by_source("garbage.yaml").status.starts_with("failed: ") && by_source("garbage.yaml").status.contains("line")
    );
    assert!(
        by_source("no-root.tar.gz").status.contains("neither proc/ nor sys/"),
        "{}",
        by_source("no-root.tar.gz").status
    );
    assert!(by_source("tiny.yaml").status.contains("no profile fits"));
    let dup = by_source("zz-t40-again.yaml");
    assert!(
        dup.status.contains("same serial") && dup.status.contains("ibm-thinkpad-t40.yaml"),
        "{}",
        dup.status
    );
    assert!(!out.path().join(&dup.asset_id).exists(), "a duplicate is not written");
    assert!(!rows.iter().any(|r| r.source.ends_with("workshop-notes.yaml")));
    // The summary names the failures; nothing half-written is left.
    let err = stderr(&run);
    assert!(err.contains("FAILED") && err.contains("tiny.yaml"), "{err}");
    for name in std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
    {
        assert!(!name.starts_with('.'), "temp left behind: {name}");
    }
    // Host names follow the sorted input order, with the workshop's pattern.
    let mut ids: Vec<&str> = rows.iter().map(|r| r.asset_id.as_str()).collect();
    ids.sort();
    assert_eq!(ids.first(), Some(&"schule-001"));
}

/// A template branch that only the i386 machines take writes a script shellcheck rejects:
/// those machines fail with shellcheck's finding, the others are written, in both modes.
#[test]
fn a_template_branch_that_fails_validation_fails_only_its_machines() {
    let inputs = tempfile::tempdir().unwrap();
    room(inputs.path());
    let templates = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, templates.path().join(p.file_name().unwrap())).unwrap();
    }
    let post = templates.path().join("postinstall.sh.tera");
    let text = std::fs::read_to_string(&post).unwrap().replacen(
        "set -euo pipefail",
        "set -euo pipefail\n{% if chosen.arch == \"i386\" %}rm -rf \"$OLD_HOME\"/*{% endif %}",
        1,
    );
    std::fs::write(&post, text).unwrap();
    for extra in [&[][..], &["--validate-all"][..]] {
        let out = tempfile::tempdir().unwrap();
        let mut args = vec![
            "batch",
            inputs.path().to_str().unwrap(),
            "-o",
            out.path().to_str().unwrap(),
            "--today",
            TODAY,
            "--templates",
            templates.path().to_str().unwrap(),
        ];
        args.extend(extra);
        let run = upcycle(&args);
        assert_eq!(run.status.code(), Some(7), "{extra:?}: {}", stderr(&run));
        let rows = rows(out.path());
        let (mut rejected, mut written) = (0, 0);
        for row in &rows {
            let dir = out.path().join(&row.asset_id);
            if row.status.contains("validation failed") {
                rejected += 1;
                assert!(row.profile.is_empty(), "{extra:?}: {row:?}");
                assert!(
                    row.status.contains("postinstall.sh") && row.status.contains("SC2115"),
                    "{extra:?}: {}",
                    row.status
                );
                assert!(!dir.exists(), "{extra:?}: {} written although it failed", row.asset_id);
            } else if row.is_ok() {
                written += 1;
                let script = std::fs::read_to_string(dir.join("postinstall.sh")).unwrap();
                assert!(!script.contains("OLD_HOME"), "{extra:?}: {}", row.asset_id);
            }
        }
        // The room has i386 machines (T40) and amd64 ones (X220, T420, ...).
        assert!(
            rejected >= 1 && written >= 2,
            "{extra:?}: {rejected} rejected, {written} written: {rows:#?}"
        );
    }
}

#[test]
fn runs_are_idempotent_and_one_change_changes_one_bundle() {
    let inputs = tempfile::tempdir().unwrap();
    room(inputs.path());
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    batch(inputs.path(), a.path());
    batch(inputs.path(), b.path());
    let (fa, fb) = (files(a.path()), files(b.path()));
    let differ: Vec<&String> = fa
        .keys()
        .chain(fb.keys())
        .filter(|k| fa.get(*k) != fb.get(*k))
        .collect();
    assert!(differ.is_empty(), "two runs differ in {differ:?}");

    // Rerun into the same folder: nothing changes.
    let before = files(a.path());
    let run = batch(inputs.path(), a.path());
    assert!(stderr(&run).contains("0 written"), "{}", stderr(&run));
    let now = files(a.path());
    let changed: Vec<&String> = now
        .keys()
        .chain(before.keys())
        .filter(|k| now.get(*k) != before.get(*k))
        .collect();
    assert!(changed.is_empty(), "a rerun changed {changed:?}");

    // The X220 got more RAM: only its bundle and the inventory change.
    let x220 = inputs.path().join("lenovo-thinkpad-x220.yaml");
    let mut report: upcycle::report::HardwareReport =
        upcycle::yaml::from_str(&std::fs::read_to_string(&x220).unwrap()).unwrap();
    report.memory.installed_mib = Some(8192);
    report.memory.mem_total_kib = Some(8_000_000);
    std::fs::write(&x220, upcycle::yaml::to_string(&report)).unwrap();
    batch(inputs.path(), a.path());
    let after = files(a.path());
    let asset = rows(a.path())
        .into_iter()
        .find(|r| r.source.ends_with("lenovo-thinkpad-x220.yaml"))
        .unwrap()
        .asset_id;
    let changed: Vec<&String> = after.keys().filter(|k| before.get(*k) != after.get(*k)).collect();
    assert!(!changed.is_empty());
    for k in &changed {
        assert!(
            k.starts_with(&format!("{asset}/")) || k.starts_with("inventory.") || k.starts_with("labels."),
            "{k} changed"
        );
    }
}

#[test]
fn the_csv_reads_back_to_the_same_rows() {
    let report = probe_dir(&fixtures_dir().join("ibm-thinkpad-t40/root"));
    let mut rows = vec![Row::failed(
        "x-001",
        "a \"quoted\", path\nwith newline",
        Some(&report),
        "reason, with \"quotes\"",
    )];
    rows[0].model = "Model, \"with\" quotes\nand a newline".into();
    rows.push(Row::failed("x-002", "b", None, "r"));
    let text = upcycle::inventory::to_csv(&rows);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let back: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(back.len(), 2);
    for (row, fields) in rows.iter().zip(&back) {
        assert_eq!(row.fields().iter().map(|s| s.to_string()).collect::<Vec<_>>(), *fields);
    }
}
