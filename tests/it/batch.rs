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
        // the ledger holds times and its own random key: compared by tests/it/ledger.rs
        .filter(|e| !e.file_name().to_string_lossy().starts_with(upcycle::ledger::FILE_NAME))
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// [`files`] with each machine's install token (from the folder's ledger) as `[token N]`,
/// and without `SHA256SUMS` (the hashes of files holding the token).
fn without_tokens(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let ledger = upcycle::ledger::Ledger::open_existing(&dir.join(upcycle::ledger::FILE_NAME)).unwrap();
    let tokens: Vec<(String, u32)> = ledger
        .machines()
        .unwrap()
        .iter()
        .filter_map(|m| Some((ledger.install_token(m.id).unwrap()?.to_string(), m.number)))
        .collect();
    assert!(!tokens.is_empty());
    files(dir)
        .into_iter()
        .filter(|(name, _)| !name.ends_with("SHA256SUMS"))
        .map(|(name, bytes)| {
            let mut text = String::from_utf8_lossy(&bytes).into_owned();
            for (token, n) in &tokens {
                text = text.replace(token.as_str(), &format!("[token {n}]"));
            }
            (name, text.into_bytes())
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
                // not in the CSV (it keeps the id)
                system: String::new(),
                dropped_apps: f[14].clone(),
                upgrades: f[15].clone(),
                firmware: f[16].clone(),
                status: f[17].clone(),
                erasure: f[18].clone(),
                erased_on: f[19].clone(),
                replace_disk: f[20].clone(),
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
    // The inventory speaks the workshop's language (German by default).
    assert!(
        by_source("tiny.yaml").status.contains("kein Profil passt"),
        "{}",
        by_source("tiny.yaml").status
    );
    let dup = by_source("zz-t40-again.yaml");
    assert!(
        dup.status.contains("same machine") && dup.status.contains("ibm-thinkpad-t40.yaml"),
        "{}",
        dup.status
    );
    assert!(dup.asset_id.is_empty(), "a duplicate gets no name of its own");
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
    let mut ids: Vec<&str> = rows
        .iter()
        .map(|r| r.asset_id.as_str())
        .filter(|id| !id.is_empty())
        .collect();
    ids.sort();
    assert_eq!(ids.first(), Some(&"schule-001"));
}

/// A file that is not a report is left alone when found in a folder, but named on the
/// command line it is an error naming it (a workshop file passed as an input, a typo): the
/// other machines still get their bundles (7); named alone, nothing is done (3).
#[test]
fn a_named_file_that_is_not_a_report_is_an_error_naming_it() {
    let inputs = tempfile::tempdir().unwrap();
    let t40 = inputs.path().join("t40.yaml");
    let report = probe_dir(&fixtures_dir().join("ibm-thinkpad-t40/root"));
    std::fs::write(&t40, upcycle::yaml::to_string(&report)).unwrap();
    let notes = inputs.path().join("our-workshop.yaml");
    std::fs::write(&notes, "hostname:\n  pattern: \"lab-{n}\"\n").unwrap();
    let text = inputs.path().join("list.txt");
    std::fs::write(&text, "schule-001\n").unwrap();
    let run_with = |named: &[&Path], out: &Path| {
        let mut args = vec!["batch"];
        args.extend(named.iter().map(|p| p.to_str().unwrap()));
        args.extend(["-o", out.to_str().unwrap(), "--today", TODAY]);
        upcycle(&args)
    };
    // in a folder: skipped, the room is fine
    let out = tempfile::tempdir().unwrap();
    let run = run_with(&[inputs.path()], out.path());
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    // named: each is an error naming its file, the T40 still gets its bundle
    let out = tempfile::tempdir().unwrap();
    let run = run_with(&[&t40, &notes, &text], out.path());
    assert_eq!(run.status.code(), Some(7), "{}", stderr(&run));
    for named in [&notes, &text] {
        let line = format!("error: {}: not an upcycle report", named.display());
        assert!(stderr(&run).contains(&line), "{line} in {}", stderr(&run));
    }
    // The summary agrees with the exit code: the two files count as failed.
    assert!(
        stderr(&run).contains(
            "3 machines: 1 bundle (1 written, 0 unchanged), 2 failed (2 of them inputs not read: see the errors above)"
        ),
        "{}",
        stderr(&run)
    );
    assert!(
        out.path().join("schule-001/checklist.html").exists(),
        "{}",
        stderr(&run)
    );
    // named alone: bad input, nothing written
    let out = tempfile::tempdir().unwrap();
    let run = run_with(&[&notes], &out.path().join("room"));
    assert_eq!(run.status.code(), Some(3), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("our-workshop.yaml: not an upcycle report"),
        "{}",
        stderr(&run)
    );
    assert!(!out.path().join("room").exists());
}

/// A template branch that only the i386 machines take writes a script shellcheck rejects:
/// those machines fail with shellcheck's finding, the others are written, in both modes.
#[test]
fn a_template_branch_that_fails_validation_fails_only_its_machines() {
    // The room has i386 machines (T40) and amd64 ones (X220, T420, ...).
    let rejected = rejected_by_a_bad_branch("chosen.arch == \"i386\"");
    assert!(!rejected.is_empty() && rejected.len() <= 2, "{rejected:?}");
    // A branch on a value of one machine, which no list of "kinds" names: the key of the
    // external tools' verdicts comes from the rendered text, so exactly that machine fails.
    assert_eq!(rejected_by_a_bad_branch("hostname == \"schule-002\""), ["schule-002"]);
}

/// Run a batch of the room with templates whose postinstall.sh gets a line shellcheck
/// refuses (SC2115) under `condition`, with and without --validate-all; the asset ids of the
/// machines that failed (the same in both modes), after checking that the others were
/// written without the line and the failed ones not at all.
fn rejected_by_a_bad_branch(condition: &str) -> Vec<String> {
    let inputs = tempfile::tempdir().unwrap();
    room(inputs.path());
    let templates = crate::support::templates_copy();
    let post = templates.path().join("postinstall.sh.tera");
    let text = std::fs::read_to_string(&post).unwrap().replacen(
        "set -euo pipefail",
        &format!("set -euo pipefail\n{{% if {condition} %}}rm -rf \"$OLD_HOME\"/*{{% endif %}}"),
        1,
    );
    std::fs::write(&post, text).unwrap();
    let mut per_mode = Vec::new();
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
        let (mut rejected, mut written) = (Vec::new(), 0);
        for row in &rows {
            let dir = out.path().join(&row.asset_id);
            // The inventory speaks the workshop's language (German by default).
            if row.status.contains("Prüfung fehlgeschlagen") {
                rejected.push(row.asset_id.clone());
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
        assert!(written >= 2, "{extra:?}: {written} written: {rows:#?}");
        per_mode.push(rejected);
    }
    assert_eq!(
        per_mode[0], per_mode[1],
        "the same machines fail with and without --validate-all"
    );
    per_mode.remove(0)
}

#[test]
fn runs_are_idempotent_and_one_change_changes_one_bundle() {
    let inputs = tempfile::tempdir().unwrap();
    room(inputs.path());
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    batch(inputs.path(), a.path());
    batch(inputs.path(), b.path());
    // Two workshops (two ledgers) give each laptop its own install token; all else is the
    // same, byte for byte (SHA256SUMS hashes the preseeds, so it is compared with them).
    let (fa, fb) = (without_tokens(a.path()), without_tokens(b.path()));
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

/// Reports whose DMI strings are spreadsheet formulas: in `inventory.csv` each such cell
/// starts with `'` (no spreadsheet runs it), the rest of the value as it was.
#[test]
fn hostile_dmi_strings_stay_text_in_the_csv() {
    let inputs = tempfile::tempdir().unwrap();
    let report = probe_dir(&fixtures_dir().join("lenovo-thinkpad-x220/root"));
    let models = ["=HYPERLINK(\"http://x\",\"y\")", "@SUM(1)", "+1", "-1+2"];
    for (i, model) in models.iter().enumerate() {
        let mut r = report.clone();
        r.machine.model = Some(model.to_string());
        r.machine.serial = Some(format!("SN-{i}"));
        std::fs::write(inputs.path().join(format!("m{i}.yaml")), upcycle::yaml::to_string(&r)).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let run = batch(inputs.path(), out.path());
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let rows = rows(out.path());
    for (row, model) in rows.iter().zip(models) {
        assert_eq!(row.model, format!("'{model}"));
        assert_eq!(row.status, "ok");
    }
}

/// Whether some process holds a `flock` on `file` (from `/proc/locks`, without taking one).
fn flocked(file: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = std::fs::metadata(file) else {
        return false;
    };
    let needle = format!(":{} ", meta.ino());
    std::fs::read_to_string("/proc/locks")
        .unwrap()
        .lines()
        .any(|l| l.contains("FLOCK") && l.contains(&needle))
}

fn workshop_file(dir: &Path, language: &str) -> std::path::PathBuf {
    let path = dir.join(format!("workshop-{language}.yml"));
    let text =
        include_str!("../../data/workshop-default.yaml").replace("language: de", &format!("language: {language}"));
    std::fs::write(&path, text).unwrap();
    path
}

/// Two batches into one folder at once, German and English: the second stops at once
/// with exit code 8 and the folder's name, the first finishes; the pages are German only.
#[test]
fn a_second_batch_into_a_busy_folder_stops_at_once() {
    let inputs = tempfile::tempdir().unwrap();
    room(inputs.path());
    let config = tempfile::tempdir().unwrap();
    let (de, en) = (workshop_file(config.path(), "de"), workshop_file(config.path(), "en"));
    let out = tempfile::tempdir().unwrap();
    let args = |workshop: &Path| {
        vec![
            "batch".to_string(),
            inputs.path().display().to_string(),
            "-o".into(),
            out.path().display().to_string(),
            "--today".into(),
            TODAY.into(),
            "--workshop".into(),
            workshop.display().to_string(),
        ]
    };
    let mut first = crate::support::upcycle_command()
        .args(args(&de))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !flocked(out.path()) {
        assert!(
            first.try_wait().unwrap().is_none(),
            "the first batch ended before its lock was seen"
        );
        assert!(std::time::Instant::now() < deadline, "the first batch took no lock");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let args_en = args(&en);
    let second = upcycle(&args_en.iter().map(String::as_str).collect::<Vec<_>>());
    let err = stderr(&second);
    assert_eq!(second.status.code(), Some(8), "{err}");
    assert!(
        err.contains(&out.path().display().to_string()) && err.contains("in use by another upcycle run"),
        "{err}"
    );
    assert!(
        first.try_wait().unwrap().is_none(),
        "the first batch was still running when the second stopped"
    );
    assert_eq!(first.wait().unwrap().code(), Some(7));
    let page = std::fs::read_to_string(out.path().join("inventory.html")).unwrap();
    assert!(page.contains("<html lang=\"de\">"), "German page");
}

/// A batch killed half-way left temp folders: the next batch removes them (it holds the
/// folder's exclusive lock, so none is in use), and nothing else.
#[test]
fn a_rerun_removes_what_a_killed_run_left() {
    let inputs = tempfile::tempdir().unwrap();
    let mut report = probe_dir(&fixtures_dir().join("lenovo-thinkpad-x220/root"));
    report.machine.serial = Some("SN-1".into());
    std::fs::write(inputs.path().join("x220.yaml"), upcycle::yaml::to_string(&report)).unwrap();
    let out = tempfile::tempdir().unwrap();
    let stale = out.path().join(".upcycle-tmp-abc");
    std::fs::create_dir_all(stale.join("sub")).unwrap();
    std::fs::write(stale.join("sub/preseed.cfg"), "half").unwrap();
    std::fs::write(out.path().join(".upcycle-tmp-Xy12ab"), "half an inventory").unwrap();
    let mine = out.path().join("my-notes");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("room-12.txt"), "keep").unwrap();
    let run = batch(inputs.path(), out.path());
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(!stale.exists(), "the stale temp dir is gone");
    assert!(
        !out.path().join(".upcycle-tmp-Xy12ab").exists(),
        "the stale temp file is gone"
    );
    assert_eq!(std::fs::read_to_string(mine.join("room-12.txt")).unwrap(), "keep");
}

/// `generate` holds only a shared lock (generates beside each other are fine): it removes
/// temps older than an hour and leaves younger ones, which may be another run's; and it
/// stops with exit code 8 while a batch holds the folder.
#[test]
fn generate_removes_old_temps_and_waits_for_no_batch() {
    let out = tempfile::tempdir().unwrap();
    let (old, young) = (
        out.path().join(".upcycle-tmp-old"),
        out.path().join(".upcycle-tmp-young"),
    );
    for d in [&old, &young] {
        std::fs::create_dir(d).unwrap();
        std::fs::write(d.join("preseed.cfg"), "half").unwrap();
    }
    let touched = std::process::Command::new("touch")
        .args(["-d", "2 hours ago"])
        .arg(&old)
        .status()
        .unwrap();
    assert!(touched.success());
    let x220 = fixtures_dir().join("lenovo-thinkpad-x220/root");
    let run = crate::support::generate(&x220, out.path(), &[]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(!old.exists() && young.exists());

    // a batch (here: this test) holds the folder
    let held = upcycle::lock::lock_folder(out.path(), upcycle::lock::Access::Exclusive).unwrap();
    let run = crate::support::generate(&x220, out.path(), &["--force"]);
    assert_eq!(run.status.code(), Some(8), "{}", stderr(&run));
    drop(held);
}

/// A bug (a panic) while one machine is processed fails that machine's row; the others get
/// their bundles and the inventory is written (exit 7, not a crash).
#[test]
fn a_bug_in_one_machine_fails_that_machine_only() {
    let inputs = tempfile::tempdir().unwrap();
    room(inputs.path());
    let out = tempfile::tempdir().unwrap();
    let run = crate::support::upcycle_command()
        .args([
            "batch",
            inputs.path().to_str().unwrap(),
            "-o",
            out.path().to_str().unwrap(),
            "--today",
            TODAY,
        ])
        .env(upcycle::batch::PANIC_FOR_TESTS, "lenovo-thinkpad-x220")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(7), "{}", stderr(&run));
    let rows = rows(out.path());
    // The room holds broken inputs of its own; the bug fails exactly the X220 (its row in
    // the workshop's language, German by default).
    let failed: Vec<&Row> = rows.iter().filter(|r| r.status.contains("interner Fehler")).collect();
    assert_eq!(failed.len(), 1, "{rows:#?}");
    assert!(
        failed[0].source.ends_with("lenovo-thinkpad-x220.yaml"),
        "{:?}",
        failed[0]
    );
    assert!(
        failed[0]
            .status
            .contains("interner Fehler, ein Programmfehler in upcycle"),
        "{}",
        failed[0].status
    );
    assert!(!out.path().join(&failed[0].asset_id).exists());
    assert!(rows.iter().filter(|r| r.is_ok()).count() >= 3, "{rows:#?}");
}
