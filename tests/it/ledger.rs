//! The workshop ledger with the real binary: the three failures of issue #13 (numbers
//! that moved, host names that collided, `plan` that replaced another laptop's bundle),
//! re-captures recognised through `--redact --ledger`, status/log/import/export, and
//! reliability (two writers at once, `kill -9` mid-batch, newer and damaged ledgers).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{fixtures_dir, probe_dir, stderr, stdout, upcycle};
use upcycle::ledger::{self, Ledger};

const TODAY: &str = "2026-11-25";

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A report of fixture `slug` with serial `serial`, written to `dir/name`.
fn report(dir: &Path, name: &str, slug: &str, serial: &str) -> PathBuf {
    let mut r = probe_dir(&fixtures_dir().join(slug).join("root"));
    r.machine.serial = Some(serial.to_string());
    let path = dir.join(name);
    std::fs::write(&path, upcycle::yaml::to_string(&r)).unwrap();
    path
}

fn batch(inputs: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["batch", s(inputs), "-o", s(out), "--today", TODAY, "--jobs", "2"];
    args.extend_from_slice(extra);
    upcycle(&args)
}

/// (asset id, source file name, status) of each inventory row, in order.
fn inventory(out: &Path) -> Vec<(String, String, String)> {
    let mut reader = csv::Reader::from_path(out.join("inventory.csv")).unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let source = Path::new(&r[1])
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (r[0].to_string(), source, r[17].to_string())
        })
        .collect()
}

fn asset_of(out: &Path, source: &str) -> String {
    inventory(out)
        .into_iter()
        .find(|(_, src, _)| src == source)
        .unwrap_or_else(|| panic!("{source} not in the inventory"))
        .0
}

/// The bundle folders of `out` (not the hidden temps a killed run leaves for the next).
fn bundle_dirs(out: &Path) -> Vec<String> {
    let mut dirs: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().join("selection.yaml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    dirs.sort();
    dirs
}

/// Failure (a) of the issue: one more capture renamed the T40 from schule-002 to
/// schule-003. Now numbers stay; a smaller room keeps the old folders, and the inventory
/// says which machines were not in the run.
#[test]
fn adding_a_capture_renumbers_nobody_and_fewer_inputs_lose_nothing() {
    let inputs = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    report(inputs.path(), "b-x220.yaml", "lenovo-thinkpad-x220", "SN-X220");
    report(inputs.path(), "c-t40.yaml", "ibm-thinkpad-t40", "SN-T40");
    report(inputs.path(), "d-m1530.yaml", "dell-xps-m1530-nvidia", "SN-M1530");
    let run = batch(inputs.path(), out.path(), &[]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(asset_of(out.path(), "c-t40.yaml"), "schule-002");

    // a new laptop whose capture sorts first
    report(
        inputs.path(),
        "a-t420.yaml",
        "lenovo-thinkpad-t420-battery-wear",
        "SN-T420",
    );
    let run = batch(inputs.path(), out.path(), &[]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(
        asset_of(out.path(), "c-t40.yaml"),
        "schule-002",
        "the T40 keeps its number"
    );
    assert_eq!(asset_of(out.path(), "b-x220.yaml"), "schule-001");
    assert_eq!(asset_of(out.path(), "d-m1530.yaml"), "schule-003");
    assert_eq!(
        asset_of(out.path(), "a-t420.yaml"),
        "schule-004",
        "the new one gets the next free number"
    );
    assert!(stderr(&run).contains("1 written, 3 unchanged"), "{}", stderr(&run));

    // two laptops leave the room
    std::fs::remove_file(inputs.path().join("b-x220.yaml")).unwrap();
    std::fs::remove_file(inputs.path().join("d-m1530.yaml")).unwrap();
    let run = batch(inputs.path(), out.path(), &[]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(
        bundle_dirs(out.path()),
        ["schule-001", "schule-002", "schule-003", "schule-004"],
        "no folder is deleted"
    );
    let rows = inventory(out.path());
    let ids: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        ids,
        ["schule-001", "schule-002", "schule-003", "schule-004"],
        "the ledger's view, by number"
    );
    for (id, _, status) in &rows {
        if id == "schule-001" || id == "schule-003" {
            // in the workshop's language (the default's German)
            assert!(
                status.starts_with("nicht in diesem Lauf: sein Bündelordner vom "),
                "{id}: {status}"
            );
        } else {
            assert_eq!(status, "ok", "{id}");
        }
    }
    // the rows of the laptops that left come from the ledger: their serials keyed, never
    // in clear (the run that read them had them; the ledger keeps only the keyed form)
    let serials: std::collections::BTreeMap<String, String> = csv::Reader::from_path(out.path().join("inventory.csv"))
        .unwrap()
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[4].to_string())
        })
        .collect();
    assert_eq!(serials["schule-002"], "SN-T40", "{serials:?}");
    for left in ["schule-001", "schule-003"] {
        let serial = &serials[left];
        assert!(serial.starts_with("keyed-") && serial.len() == 30, "{left}: {serial}");
    }
    let mut file = std::fs::read(out.path().join("upcycle-ledger.sqlite")).unwrap();
    file.extend(std::fs::read(out.path().join("upcycle-ledger.sqlite-wal")).unwrap_or_default());
    for clear in ["SN-X220", "SN-M1530", "SN-T40", "SN-T420"] {
        assert!(
            !file.windows(clear.len()).any(|w| w == clear.as_bytes()),
            "{clear} in clear in the ledger file"
        );
    }
    // the status table says the same
    let status = upcycle(&["status", "--ledger", s(out.path())]);
    assert_eq!(status.status.code(), Some(0), "{}", stderr(&status));
    let text = stdout(&status);
    assert!(text.contains("schule-004") && text.contains("4 machine(s)"), "{text}");
}

fn workshop_with_pattern(dir: &Path, pattern: &str) -> PathBuf {
    let text = upcycle::yaml::to_string(&upcycle::workshop::Workshop::embedded());
    let mut w: serde_json::Value = upcycle::yaml::from_str(&text).unwrap();
    w["hostname"]["pattern"] = pattern.into();
    let path = dir.join("workshop.yaml");
    std::fs::write(&path, upcycle::yaml::to_string(&w)).unwrap();
    path
}

/// A German school's name in the pattern: its umlauts and ß are written out in the host
/// name (Grüne Straße -> gruene-strasse), on the folder, the inventory and the ledger, and
/// `ledger import` reads the numbers back; a letter that cannot be written out is
/// refused, naming the field, before anything is written.
#[test]
fn host_name_patterns_with_umlauts_are_written_out() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    report(&inputs, "a.yaml", "ibm-thinkpad-t40", "SERIALA1");
    report(&inputs, "b.yaml", "lenovo-thinkpad-x220", "SERIALB2");
    let workshop = workshop_with_pattern(tmp.path(), "Grüne Straße-{n}");
    let out = tmp.path().join("room");
    let run = batch(&inputs, &out, &["--workshop", s(&workshop)]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(bundle_dirs(&out), ["gruene-strasse-001", "gruene-strasse-002"]);
    assert_eq!(asset_of(&out, "b.yaml"), "gruene-strasse-002");
    // a bundle folder from before the ledger (no inventory.csv) keeps its number on import:
    // read from the host name under the pattern
    for gone in [ledger::FILE_NAME, "inventory.csv"] {
        std::fs::remove_file(out.join(gone)).unwrap();
    }
    std::fs::remove_dir_all(out.join("gruene-strasse-001")).unwrap();
    let import = upcycle(&["ledger", "import", s(&out), "--workshop", s(&workshop)]);
    assert!(import.status.success(), "{}", stderr(&import));
    let status = stdout(&upcycle(&["status", "--ledger", s(&out), "--format", "json"]));
    let status: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert_eq!(status[0]["number"], 2, "{status}");
    assert_eq!(status[0]["hostname"], "gruene-strasse-002", "{status}");

    let workshop = workshop_with_pattern(tmp.path(), "Łódź-{n}");
    let out = tmp.path().join("room-2");
    let run = batch(&inputs, &out, &["--workshop", s(&workshop)]);
    assert_eq!(run.status.code(), Some(3), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("hostname.pattern: `Ł` cannot be written in a host name"),
        "{}",
        stderr(&run)
    );
    assert!(!out.exists());
}

/// A copy of a fixture root with real-looking serial, UUID and wired MAC.
fn laptop(dir: &Path, slug: &str, serial: &str, mac: &str) -> PathBuf {
    let root = dir.join(format!("{slug}-{serial}"));
    let out = Command::new("cp")
        .arg("-a")
        .arg(fixtures_dir().join(slug).join("root"))
        .arg(&root)
        .output()
        .unwrap();
    assert!(out.status.success());
    let dmi = root.join("sys/class/dmi/id");
    if dmi.is_dir() {
        std::fs::write(dmi.join("product_serial"), format!("{serial}\n")).unwrap();
        std::fs::write(
            dmi.join("product_uuid"),
            format!("4C4C4544-0042-3010-8034-{serial:0>12}\n"),
        )
        .unwrap();
    }
    for entry in walkdir::WalkDir::new(root.join("sys/devices"))
        .into_iter()
        .filter_map(|e| e.ok())
    {
        if entry.file_name() == "address" && entry.path().to_string_lossy().contains("/net/") {
            std::fs::write(entry.path(), format!("{mac}\n")).unwrap();
        }
    }
    root
}

/// Failure (b): `laptop-{serial}` with redacted captures gave 12 machines 2 folders and
/// overwrote bundles with exit 0. Without a key the collisions are refused, naming both
/// inputs; with `--redact --ledger` every laptop keeps its own name, and a second capture
/// of a laptop is recognised.
#[test]
fn serial_host_names_with_redacted_captures_never_share_a_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let workshop = workshop_with_pattern(tmp.path(), "laptop-{serial}");
    let slugs = [
        "ibm-thinkpad-t40",
        "lenovo-thinkpad-x220",
        "dell-xps-m1530-nvidia",
        "lenovo-thinkpad-t420-battery-wear",
    ];
    let roots: Vec<PathBuf> = slugs
        .iter()
        .enumerate()
        .map(|(i, slug)| {
            laptop(
                tmp.path(),
                slug,
                &format!("R9SN{i:04}"),
                &format!("00:1a:2b:3c:4d:{i:02x}"),
            )
        })
        .collect();

    // redacted without a key: every serial is REDACTED
    let plain = tmp.path().join("plain");
    std::fs::create_dir(&plain).unwrap();
    for (i, root) in roots.iter().enumerate() {
        let o = upcycle(&[
            "capture",
            "--root",
            s(root),
            "-o",
            s(&plain.join(format!("{i}.tar.gz"))),
            "--redact",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(stderr(&o).contains("without --ledger"), "{}", stderr(&o));
    }
    let out = tmp.path().join("out-plain");
    let run = batch(&plain, &out, &["--workshop", s(&workshop)]);
    assert_ne!(run.status.code(), Some(0), "collisions are failures");
    let rows = inventory(&out);
    let ok: Vec<_> = rows.iter().filter(|r| r.2 == "ok").collect();
    assert_eq!(
        ok.len(),
        bundle_dirs(&out).len(),
        "one folder per written machine: {rows:#?}"
    );
    assert_eq!(bundle_dirs(&out), ["laptop-dacted"]);
    let refused: Vec<_> = rows.iter().filter(|r| r.2.contains("laptop-dacted")).collect();
    assert_eq!(refused.len(), 3, "{rows:#?}");
    for r in &refused {
        assert!(
            r.2.contains("0.tar.gz") && r.2.contains(&r.1),
            "both inputs named: {r:?}"
        );
    }

    // redacted with the room's ledger: keyed serials, one name each
    let out = tmp.path().join("room");
    std::fs::create_dir(&out).unwrap();
    let keyed = tmp.path().join("keyed");
    std::fs::create_dir(&keyed).unwrap();
    for (i, root) in roots.iter().enumerate() {
        let o = upcycle(&[
            "capture",
            "--root",
            s(root),
            "-o",
            s(&keyed.join(format!("{i}.tar.gz"))),
            "--redact",
            "--ledger",
            s(&out),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    // nothing of the serials or MACs is in the captures
    for i in 0..roots.len() {
        let unpacked = tmp.path().join(format!("look-{i}"));
        std::fs::create_dir(&unpacked).unwrap();
        let tar = Command::new("tar")
            .args(["xzf", s(&keyed.join(format!("{i}.tar.gz"))), "-C", s(&unpacked)])
            .output()
            .unwrap();
        assert!(tar.status.success());
        let grep = Command::new("grep")
            .args(["-rl", "-e", "R9SN", "-e", "00:1a:2b", s(&unpacked)])
            .output()
            .unwrap();
        assert!(stdout(&grep).is_empty(), "found in {}", stdout(&grep));
    }
    let run = batch(&keyed, &out, &["--workshop", s(&workshop)]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let names = bundle_dirs(&out);
    assert_eq!(names.len(), 4, "{names:?}");
    assert!(
        names.iter().all(|n| n.starts_with("laptop-") && n != "laptop-dacted"),
        "{names:?}"
    );

    // the T40 captured again (unredacted this time, another file): the same machine
    let again = tmp.path().join("again");
    std::fs::create_dir(&again).unwrap();
    std::fs::rename(keyed.join("0.tar.gz"), again.join("t40-monday.tar.gz")).unwrap();
    let o = upcycle(&[
        "capture",
        "--root",
        s(&roots[0]),
        "-o",
        s(&again.join("t40-tuesday.tar.gz")),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let l = Ledger::open_existing(&out.join(ledger::FILE_NAME)).unwrap();
    assert_eq!(l.machine_count().unwrap(), 4);
    drop(l);
    // two captures of one laptop in one run: the second is refused as a duplicate
    let run = batch(&again, &out, &["--workshop", s(&workshop)]);
    assert_eq!(run.status.code(), Some(7), "{}", stderr(&run));
    let rows = inventory(&out);
    let monday = rows.iter().find(|r| r.1 == "t40-monday.tar.gz").unwrap();
    let tuesday = rows.iter().find(|r| r.1 == "t40-tuesday.tar.gz").unwrap();
    assert_eq!(monday.2, "ok");
    assert!(
        tuesday.2.contains("same machine") && tuesday.2.contains("t40-monday.tar.gz"),
        "{tuesday:?}"
    );
    assert_eq!(
        Ledger::open_existing(&out.join(ledger::FILE_NAME))
            .unwrap()
            .machine_count()
            .unwrap(),
        4
    );
}

/// Failure (b), its other half: machines without a serial were all `laptop-noserial` and
/// overwrote each other's bundle with exit 0. Now the first keeps the name, the others are
/// failed rows naming both inputs, and a rerun changes nothing.
#[test]
fn serial_host_names_for_machines_without_a_serial_are_refused_not_shared() {
    let tmp = tempfile::tempdir().unwrap();
    let workshop = workshop_with_pattern(tmp.path(), "laptop-{serial}");
    let inputs = tmp.path().join("inputs");
    std::fs::create_dir(&inputs).unwrap();
    for (name, slug) in [
        ("a-t40.yaml", "ibm-thinkpad-t40"),
        ("b-x220.yaml", "lenovo-thinkpad-x220"),
        ("c-m1530.yaml", "dell-xps-m1530-nvidia"),
    ] {
        let mut r = probe_dir(&fixtures_dir().join(slug).join("root"));
        r.machine.serial = None;
        std::fs::write(inputs.join(name), upcycle::yaml::to_string(&r)).unwrap();
    }
    let out = tmp.path().join("room");
    let run = batch(&inputs, &out, &["--workshop", s(&workshop)]);
    assert_eq!(run.status.code(), Some(7), "{}", stderr(&run));
    assert_eq!(bundle_dirs(&out), ["laptop-noserial"]);
    let preseed = std::fs::read(out.join("laptop-noserial/preseed.cfg")).unwrap();
    let rows = inventory(&out);
    assert_eq!(asset_of(&out, "a-t40.yaml"), "laptop-noserial", "{rows:#?}");
    for other in ["b-x220.yaml", "c-m1530.yaml"] {
        let row = rows.iter().find(|r| r.1 == other).unwrap();
        assert!(row.0.is_empty(), "a refused input gets no asset id: {row:?}");
        assert!(
            row.2.contains("laptop-noserial") && row.2.contains("a-t40.yaml") && row.2.contains(other),
            "both inputs named: {row:?}"
        );
    }
    let l = Ledger::open_existing(&out.join(ledger::FILE_NAME)).unwrap();
    assert_eq!(l.machine_count().unwrap(), 1, "refused inputs get no entry");
    drop(l);
    // the same run again: still one folder, the T40's bundle untouched
    let run = batch(&inputs, &out, &["--workshop", s(&workshop)]);
    assert_eq!(run.status.code(), Some(7), "{}", stderr(&run));
    assert_eq!(bundle_dirs(&out), ["laptop-noserial"]);
    assert_eq!(std::fs::read(out.join("laptop-noserial/preseed.cfg")).unwrap(), preseed);
}

/// Failure (c): `plan` always named the laptop schule-001 and replaced whatever bundle was
/// there. With one ledger, two laptops get two numbers, and neither bundle is replaced.
#[test]
fn plan_on_two_laptops_with_one_ledger_gives_two_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let stick = tmp.path().join("stick");
    let t40 = fixtures_dir().join("ibm-thinkpad-t40/root");
    let x220 = fixtures_dir().join("lenovo-thinkpad-x220/root");
    let first = upcycle(&["plan", "--root", s(&t40), "-o", s(&stick)]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(stdout(&first).contains("number 1"), "{}", stdout(&first));
    let before = std::fs::read(stick.join("schule-001/preseed.cfg")).unwrap();
    let second = upcycle(&["plan", "--root", s(&x220), "-o", s(&stick)]);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert!(stdout(&second).contains("schule-002"), "{}", stdout(&second));
    assert_eq!(std::fs::read(stick.join("schule-001/preseed.cfg")).unwrap(), before);
    assert_eq!(bundle_dirs(&stick), ["schule-001", "schule-002"]);
    // the T40 again: its own number, its own folder
    let again = upcycle(&["plan", "--root", s(&t40), "-o", s(&stick)]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(stdout(&again).contains("schule-001"), "{}", stdout(&again));
    assert_eq!(bundle_dirs(&stick), ["schule-001", "schule-002"]);

    // its history
    let log = upcycle(&["log", "1", "--ledger", s(&stick)]);
    assert_eq!(log.status.code(), Some(0), "{}", stderr(&log));
    let text = stdout(&log);
    // the second plan of the T40 read the same root: no second intake
    assert_eq!(text.matches(" intake ").count(), 1, "{text}");
    assert_eq!(text.matches(" bundle ").count(), 2, "{text}");
    let json = upcycle(&["status", "--ledger", s(&stick), "--format", "json"]);
    let room: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(room[1]["hostname"], "schule-002");
    assert_eq!(room[1]["last_event"], "bundle");
    let missing = upcycle(&["log", "schule-009", "--ledger", s(&stick)]);
    assert_eq!(missing.status.code(), Some(3));
}

/// `generate` records into the ledger of its folder: a second machine gets the next number,
/// a wanted number that is taken is refused (9), and a folder of bundles from before the
/// ledger must be imported first.
#[test]
fn generate_numbers_through_the_ledger() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("bundles");
    let a = report(tmp.path(), "a.yaml", "ibm-thinkpad-t40", "SN-A");
    let b = report(tmp.path(), "b.yaml", "lenovo-thinkpad-x220", "SN-B");
    let generate = |r: &Path, extra: &[&str]| {
        let mut args = vec!["generate", s(r), "-o", s(&out), "--today", TODAY];
        args.extend_from_slice(extra);
        upcycle(&args)
    };
    assert_eq!(generate(&a, &[]).status.code(), Some(0));
    let taken = generate(&b, &["--number", "1"]);
    assert_eq!(taken.status.code(), Some(9), "{}", stderr(&taken));
    assert!(stderr(&taken).contains("a.yaml"), "{}", stderr(&taken));
    assert_eq!(generate(&b, &[]).status.code(), Some(0));
    assert_eq!(bundle_dirs(&out), ["schule-001", "schule-002"]);
    // the same machine again: its bundle exists (4), with --force replaced
    assert_eq!(generate(&a, &[]).status.code(), Some(4));
    assert_eq!(generate(&a, &["--force"]).status.code(), Some(0));

    // bundles without a ledger
    std::fs::remove_file(out.join(ledger::FILE_NAME)).unwrap();
    let _ = std::fs::remove_file(out.join(format!("{}-wal", ledger::FILE_NAME)));
    let _ = std::fs::remove_file(out.join(format!("{}-shm", ledger::FILE_NAME)));
    let refused = generate(&b, &["--force"]);
    assert_eq!(refused.status.code(), Some(3), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("ledger import"), "{}", stderr(&refused));
}

/// `ledger import` of a batch made before the ledger keeps its numbers (from
/// inventory.csv), and `ledger export` lists the machines.
#[test]
fn import_keeps_the_numbers_of_earlier_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    report(&inputs, "a.yaml", "lenovo-thinkpad-x220", "SN-1");
    report(&inputs, "b.yaml", "ibm-thinkpad-t40", "SN-2");
    report(&inputs, "c.yaml", "dell-xps-m1530-nvidia", "SN-3");
    let out = tmp.path().join("room");
    assert_eq!(batch(&inputs, &out, &[]).status.code(), Some(0));
    // as if made before the ledger: no ledger, and the T40 was number 7 back then
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(out.join(format!("{}{suffix}", ledger::FILE_NAME)));
    }
    std::fs::rename(out.join("schule-002"), out.join("schule-007")).unwrap();
    let csv = std::fs::read_to_string(out.join("inventory.csv")).unwrap();
    std::fs::write(out.join("inventory.csv"), csv.replace("schule-002", "schule-007x")).unwrap();
    let run = batch(&inputs, &out, &[]);
    assert_eq!(
        run.status.code(),
        Some(3),
        "a new ledger beside old bundles: {}",
        stderr(&run)
    );

    let import = upcycle(&["ledger", "import", s(&out)]);
    assert_eq!(import.status.code(), Some(0), "{}", stderr(&import));
    let again = upcycle(&["ledger", "import", s(&out)]);
    assert_eq!(again.status.code(), Some(4), "import starts a new ledger only");
    let run = batch(&inputs, &out, &[]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(
        asset_of(&out, "b.yaml"),
        "schule-007",
        "the number from the folder name"
    );
    assert_eq!(asset_of(&out, "a.yaml"), "schule-001", "the number from inventory.csv");
    // Bundles from before the ledger carry no install token of its own: all three are
    // written again with theirs (and the T40's now says schule-007 inside); a rerun then
    // changes nothing.
    assert!(stderr(&run).contains("3 written, 0 unchanged"), "{}", stderr(&run));
    let preseed = std::fs::read_to_string(out.join("schule-007/preseed.cfg")).unwrap();
    assert!(preseed.contains("d-i netcfg/hostname string schule-007"), "{preseed}");
    let rerun = batch(&inputs, &out, &[]);
    assert!(stderr(&rerun).contains("0 written, 3 unchanged"), "{}", stderr(&rerun));

    let export = upcycle(&["ledger", "export", "--ledger", s(&out), "--format", "csv"]);
    assert_eq!(export.status.code(), Some(0), "{}", stderr(&export));
    let text = stdout(&export);
    assert!(text.starts_with("number,hostname,model,"), "{text}");
    assert!(text.contains("7,schule-007,ThinkPad T40"), "{text}");
    let json = upcycle(&["ledger", "export", "--ledger", s(&out), "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 3);
    assert!(!stdout(&json).contains("hmac"), "the key is never printed");
}

/// Machines with bundle events have exactly that bundle on disk; every bundle folder
/// belongs to a machine of the ledger; numbers and names are unique.
fn check_consistent(out: &Path) -> (usize, usize) {
    let l = Ledger::open_existing(&out.join(ledger::FILE_NAME)).unwrap();
    assert_eq!(l.integrity_check().unwrap(), "ok");
    let machines = l.machines().unwrap();
    let bundles = l.last_bundles().unwrap();
    let names: BTreeMap<&str, u32> = machines.iter().map(|m| (m.hostname.as_str(), m.number)).collect();
    assert_eq!(names.len(), machines.len());
    for m in &machines {
        if let Some((_, record)) = bundles.get(&m.id) {
            let dir = out.join(&m.hostname);
            assert_eq!(
                upcycle::bundle::digest_on_disk(&dir).as_deref(),
                Some(record.digest.as_str()),
                "{}: the recorded bundle is the one on disk",
                m.hostname
            );
        }
    }
    let dirs = bundle_dirs(out);
    for d in &dirs {
        assert!(names.contains_key(d.as_str()), "{d} is on disk but not in the ledger");
    }
    (machines.len(), bundles.len())
}

fn synthetic(dir: &Path, n: usize) {
    let o = upcycle(&["synthetic-reports", s(&fixtures_dir()), s(dir), &n.to_string()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// `kill -9` of a real batch half-way: the ledger opens, passes integrity_check and agrees
/// with the bundles on disk; the next run finishes the room with the same numbers.
#[test]
fn a_batch_killed_half_way_leaves_a_consistent_ledger() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("in");
    synthetic(&inputs, 200);
    let out = tmp.path().join("out");
    let mut child = crate::support::upcycle_command()
        .args([
            "batch",
            s(&inputs),
            "-o",
            s(&out),
            "--today",
            TODAY,
            "--jobs",
            "2",
            "-q",
        ])
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(240);
    // kill once some bundles are written, before all are
    loop {
        let written = std::fs::read_dir(&out).map(|d| d.count()).unwrap_or(0);
        if written > 20 {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the batch ended before it was killed"
        );
        assert!(std::time::Instant::now() < deadline, "no bundles appeared");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let (machines, bundles) = check_consistent(&out);
    assert!(bundles < 200, "killed before the end ({bundles} bundles)");
    let numbers_before: Vec<(u32, String)> = Ledger::open_existing(&out.join(ledger::FILE_NAME))
        .unwrap()
        .machines()
        .unwrap()
        .into_iter()
        .map(|m| (m.number, m.hostname))
        .collect();
    assert_eq!(numbers_before.len(), machines);

    let run = batch(&inputs, &out, &[]);
    // some synthetic machines fit no profile (7), as in a real room
    assert_eq!(run.status.code(), Some(7), "{}", stderr(&run));
    let (machines, bundles) = check_consistent(&out);
    let ok = inventory(&out).iter().filter(|r| r.2 == "ok").count();
    assert_eq!((machines, bundles), (200, ok));
    let after: Vec<(u32, String)> = Ledger::open_existing(&out.join(ledger::FILE_NAME))
        .unwrap()
        .machines()
        .unwrap()
        .into_iter()
        .map(|m| (m.number, m.hostname))
        .collect();
    assert_eq!(
        &after[..numbers_before.len()],
        &numbers_before[..],
        "numbers never change"
    );
}

/// A batch and another process writing the same ledger at once (a loop of `plan` into
/// another folder with `--ledger`): no busy errors, no damage.
#[test]
fn two_processes_writing_at_once_never_corrupt_the_ledger() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("in");
    synthetic(&inputs, 80);
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let ledger_path = out.join(ledger::FILE_NAME);
    let stop = std::sync::atomic::AtomicBool::new(false);
    let plans = std::thread::scope(|scope| {
        let looping = scope.spawn(|| {
            let mut runs = 0;
            let t40 = fixtures_dir().join("ibm-thinkpad-t40/root");
            let stick = tmp.path().join("stick");
            while !stop.load(std::sync::atomic::Ordering::SeqCst) || runs < 3 {
                let o = upcycle(&["plan", "--root", s(&t40), "-o", s(&stick), "--ledger", s(&ledger_path)]);
                assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
                runs += 1;
            }
            runs
        });
        let run = batch(&inputs, &out, &[]);
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        // some synthetic machines fit no profile (7); the ledger was never busy (8)
        assert_eq!(run.status.code(), Some(7), "{}", stderr(&run));
        looping.join().unwrap()
    });
    let l = Ledger::open_existing(&ledger_path).unwrap();
    assert_eq!(l.integrity_check().unwrap(), "ok");
    assert_eq!(l.machine_count().unwrap(), 81);
    let t40 = l
        .machines()
        .unwrap()
        .into_iter()
        .find(|m| m.model.as_deref().is_some_and(|m| m.contains("T40")) && m.fingerprint.starts_with("disk:"))
        .expect("the plan's T40");
    let events = l.events_for(t40.id).unwrap();
    assert_eq!(
        events.len(),
        1 + plans,
        "one intake (the same root each time), every plan's bundle"
    );
}

/// A ledger from a newer upcycle, and a file that is not a ledger: refused with exit 3,
/// left exactly as they were.
#[test]
fn newer_and_damaged_ledgers_are_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    report(&inputs, "a.yaml", "ibm-thinkpad-t40", "SN-A");
    let out = tmp.path().join("out");
    assert_eq!(batch(&inputs, &out, &[]).status.code(), Some(0));
    let path = out.join(ledger::FILE_NAME);
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", ledger::SCHEMA_VERSION + 1)
            .unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let run = batch(&inputs, &out, &[]);
    assert_eq!(run.status.code(), Some(3), "{}", stderr(&run));
    assert!(stderr(&run).contains("newer upcycle"), "{}", stderr(&run));
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let status = upcycle(&["status", "--ledger", s(&out)]);
    assert_eq!(status.status.code(), Some(3));

    // damaged: the first page overwritten
    let mut bytes = before.clone();
    bytes[..100].copy_from_slice(&[0x41; 100]);
    std::fs::write(&path, &bytes).unwrap();
    for args in [
        vec!["status", "--ledger", s(&out)],
        vec!["batch", s(&inputs), "-o", s(&out), "--today", TODAY],
        vec![
            "generate",
            s(&inputs.join("a.yaml")),
            "-o",
            s(&out),
            "--today",
            TODAY,
            "--force",
        ],
    ] {
        let o = upcycle(&args);
        assert_eq!(o.status.code(), Some(3), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("not an upcycle ledger"), "{}", stderr(&o));
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{args:?} left it as it was");
    }
}
