//! `upcycle erase` on real block devices: file-backed loop devices filled with a pattern and
//! a file system, erased by the real binary, then proven empty by an independent reader
//! (`cmp` against /dev/zero). Needs root and loop devices: if they cannot be made, the
//! tests fail loudly (CI runs as root on a machine with loop devices). Also the plan's
//! decisions for the disks of every fixture machine.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use upcycle::erase::plan::{self, Policy};

use crate::support::{machines, probe_dir, stderr, stdout, upcycle, upcycle_env};

/// A loop device over a file, detached (and unmounted) when dropped, whatever happens.
pub(crate) struct Loop {
    pub(crate) dev: PathBuf,
    mount: Option<PathBuf>,
}

impl Loop {
    pub(crate) fn new(file: &Path, mib: u64) -> Loop {
        let f = std::fs::File::create(file).unwrap();
        f.set_len(mib << 20).unwrap();
        drop(f);
        let out = Command::new("losetup")
            .args(["--find", "--show"])
            .arg(file)
            .output()
            .expect("losetup runs (util-linux; the tests need root and loop devices)");
        assert!(
            out.status.success(),
            "cannot make a loop device (the erase tests need root and /dev/loop*): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Loop {
            dev: PathBuf::from(String::from_utf8(out.stdout).unwrap().trim()),
            mount: None,
        }
    }
    pub(crate) fn path(&self) -> &str {
        self.dev.to_str().unwrap()
    }
}

impl Drop for Loop {
    fn drop(&mut self) {
        if let Some(m) = &self.mount {
            let _ = Command::new("umount").arg(m).status();
        }
        let _ = Command::new("losetup").arg("-d").arg(&self.dev).status();
    }
}

/// Fill the device with a known pattern and put a file system with a file on it.
pub(crate) fn fill(l: &Loop) {
    let pattern: Vec<u8> = b"old owner's data ".iter().copied().cycle().take(1 << 20).collect();
    {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new().write(true).open(&l.dev).unwrap();
        let total = device_size(&l.dev);
        let mut written = 0;
        while written < total {
            let n = (total - written).min(pattern.len() as u64) as usize;
            f.write_all(&pattern[..n]).unwrap();
            written += n as u64;
        }
        f.sync_all().unwrap();
    }
    if Path::new("/sbin/mkfs.ext4").exists() || Path::new("/usr/sbin/mkfs.ext4").exists() {
        let ok = Command::new("mkfs.ext4")
            .args(["-q", "-F", "-E", "nodiscard"])
            .arg(&l.dev)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(ok.success());
    }
    assert!(!is_zero(&l.dev), "the device holds data before erasing");
}

fn device_size(dev: &Path) -> u64 {
    use std::io::Seek;
    std::fs::File::open(dev)
        .unwrap()
        .seek(std::io::SeekFrom::End(0))
        .unwrap()
}

/// The independent reader: `cmp` against /dev/zero over the device's whole size.
pub(crate) fn is_zero(dev: &Path) -> bool {
    let size = device_size(dev);
    Command::new("cmp")
        .arg("-n")
        .arg(size.to_string())
        .arg(dev)
        .arg("/dev/zero")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap()
        .success()
}

pub(crate) fn record_in(dir: &Path) -> Vec<(PathBuf, serde_json::Value)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let v: serde_json::Value = upcycle::yaml::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            (p, v)
        })
        .collect()
}

#[test]
fn a_loop_device_with_a_file_system_is_erased_verified_and_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let l = Loop::new(&dir.path().join("disk.img"), 48);
    fill(&l);
    let records = dir.path().join("records");
    let out = upcycle(&[
        "erase",
        "--yes",
        l.path(),
        "--method",
        "overwrite",
        "--verify",
        "full",
        "--record",
        records.to_str().unwrap(),
        "--operator",
        "Test Person",
        "--workshop-name",
        "Werkstatt <Dortmund>",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(is_zero(&l.dev), "cmp finds a non-zero byte after the erase");
    let recs = record_in(&records);
    assert_eq!(recs.len(), 1);
    let (path, r) = &recs[0];
    assert_eq!(stdout(&out).trim(), path.to_str().unwrap());
    assert_eq!(r["schema"], "upcycle.erasure/v2");
    assert_eq!(r["status"], "erased");
    assert_eq!(r["verification"]["result"], "passed");
    assert_eq!(r["verification"]["bytes_read"], 48u64 << 20);
    assert_eq!(r["sanitization"]["bytes_written"], 48u64 << 20);
    assert_eq!(r["sanitization"]["category"], "clear");
    assert_eq!(r["operator"], "Test Person");
    // The certificate shows the record's SHA-256 and escapes what the operator typed.
    let yaml = std::fs::read(path).unwrap();
    let html = std::fs::read_to_string(path.with_extension("html")).unwrap();
    assert!(html.contains(&upcycle::erase::record::sha256_hex(&yaml)));
    assert!(html.contains("Werkstatt &lt;Dortmund&gt;"));
    assert!(html.contains("GELÖSCHT"));
    // Said in German, from the record's codes: the method and the read-back.
    assert_eq!(r["sanitization"]["description"]["code"], "method-overwrite");
    assert!(
        html.contains("ein Durchgang Nullen über jeden sichtbaren Sektor"),
        "{html}"
    );
    assert!(
        html.contains("vollständig: jedes Byte zurückgelesen und verglichen"),
        "{html}"
    );
    assert!(html.contains("<strong>bestanden</strong>"), "{html}");
    // A second run writes a second record, never over the first.
    let again = upcycle(&[
        "erase",
        "--yes",
        l.path(),
        "--record",
        records.to_str().unwrap(),
        "--verify",
        "sample",
    ]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    let recs = record_in(&records);
    assert_eq!(recs.len(), 2);
    // Both runs may fall in the same second: the second record is then `<stem>-2.yaml`,
    // which sorts before `<stem>.yaml`. Tell them apart by path, not by order.
    let second = recs.iter().find(|(p, _)| p != path).expect("a second record");
    assert_eq!(
        second.1["verification"]["method"]["code"], "verify-sample",
        "{:?}",
        second.1
    );
    assert_eq!(&std::fs::read(path).unwrap(), &yaml);
}

#[test]
fn a_mounted_loop_device_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Loop::new(&dir.path().join("disk.img"), 32);
    fill(&l);
    let mnt = dir.path().join("mnt");
    std::fs::create_dir(&mnt).unwrap();
    let ok = Command::new("mount").arg(&l.dev).arg(&mnt).status().unwrap();
    assert!(ok.success(), "mount the loop device");
    l.mount = Some(mnt.clone());
    let records = dir.path().join("records");
    let out = upcycle(&["erase", "--yes", l.path(), "--record", records.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(10), "{}", stderr(&out));
    assert!(stderr(&out).contains("mounted at"), "{}", stderr(&out));
    assert!(!records.exists(), "nothing was recorded: nothing was done");
    // The plan says the same, and changes nothing.
    let plan = upcycle(&["erase", "--plan", l.path(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&plan.stdout).unwrap();
    // The plan is data: the refusal is a code with its arguments.
    assert_eq!(v["disks"][0]["refused"]["code"], "refuse-in-use", "{v}");
    assert!(!is_zero(&l.dev));
}

#[test]
fn the_boot_disk_and_a_partition_are_refused() {
    // The disk holding / on this machine.
    let plan = upcycle(&["erase", "--plan", "--format", "json"]);
    assert_eq!(plan.status.code(), Some(0), "{}", stderr(&plan));
    let v: serde_json::Value = serde_json::from_slice(&plan.stdout).unwrap();
    let boot: Vec<_> = v["disks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["refused"]["code"] == "refuse-boot")
        .collect();
    assert_eq!(boot.len(), 1, "exactly one boot disk: {v}");
    let name = boot[0]["name"].as_str().unwrap();
    let out = upcycle(&["erase", "--yes", &format!("/dev/{name}")]);
    assert_eq!(out.status.code(), Some(10), "{}", stderr(&out));
    assert!(stderr(&out).contains("booted from"));
    // --yes needs devices; a partition is not a disk.
    assert_eq!(upcycle(&["erase", "--yes"]).status.code(), Some(2));
    let dir = tempfile::tempdir().unwrap();
    let l = Loop::new(&dir.path().join("disk.img"), 16);
    let out = upcycle(&["erase", "--yes", &format!("{}p1", l.path())]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
}

#[test]
fn an_interrupted_overwrite_is_recorded_as_such_and_a_rerun_resumes() {
    let dir = tempfile::tempdir().unwrap();
    // Big enough that the overwrite is still running when the signal comes.
    let l = Loop::new(&dir.path().join("disk.img"), 1536);
    {
        let mut f = std::fs::OpenOptions::new().write(true).open(&l.dev).unwrap();
        use std::io::Write;
        f.write_all(&[0xAB; 1 << 20]).unwrap();
        // And data at the very end.
        use std::io::Seek;
        f.seek(std::io::SeekFrom::End(-(1 << 20))).unwrap();
        f.write_all(&[0xCD; 1 << 20]).unwrap();
        f.sync_all().unwrap();
    }
    let records = dir.path().join("records");
    let mut child = crate::support::upcycle_command()
        .args(["erase", "--yes", l.path(), "--record", records.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the first checkpoint (the state file past 0), then interrupt.
    let state = records.join(format!(
        ".erase-state-{}.json",
        l.dev.file_name().unwrap().to_str().unwrap()
    ));
    let start = Instant::now();
    loop {
        let done = std::fs::read_to_string(&state)
            .ok()
            .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
            .and_then(|v| v["done_bytes"].as_u64())
            .unwrap_or(0);
        if done > 0 {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the erase ended before it could be interrupted"
        );
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no checkpoint within 2 minutes"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(12), "{}", String::from_utf8_lossy(&out.stderr));
    let recs = record_in(&records);
    assert_eq!(recs.len(), 1);
    let r = &recs[0].1;
    assert_eq!(r["status"], "interrupted");
    assert_eq!(r["verification"]["result"], "not-run");
    let stopped_at = r["sanitization"]["bytes_done"].as_u64().unwrap();
    assert!(stopped_at > 0 && stopped_at < 1536 << 20, "{stopped_at}");
    assert!(!is_zero(&l.dev), "the end of the disk still holds data");
    let html = std::fs::read_to_string(recs[0].0.with_extension("html")).unwrap();
    assert!(html.contains("NICHT gelöscht"));

    // The rerun resumes where the first stopped, and finishes.
    let out = upcycle(&["erase", "--yes", l.path(), "--record", records.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let first = recs[0].0.clone();
    let recs = record_in(&records);
    assert_eq!(recs.len(), 2);
    let r = &recs.iter().find(|(p, _)| *p != first).expect("a second record").1;
    assert_eq!(r["status"], "erased");
    let resumed = r["sanitization"]["resumed_from"].as_u64().unwrap();
    assert!(
        resumed > 0 && resumed <= stopped_at,
        "resumed at {resumed}, stopped at {stopped_at}"
    );
    assert_eq!(
        r["sanitization"]["bytes_written"].as_u64().unwrap(),
        (1536u64 << 20) - resumed
    );
    assert!(is_zero(&l.dev));
    assert!(!state.exists(), "the state file goes once the disk is erased");
}

/// A ledger with one other laptop, and (when `with_disk`) the laptop whose disk is `l`,
/// known by that disk alone (`model|size`, as intake keeps a laptop without UUID, serial
/// or MAC). Returns that laptop's number.
fn ledger_with(path: &Path, l: &Loop, with_disk: bool) -> Option<u32> {
    use std::collections::HashMap;
    use upcycle::ledger::{Identifier, Intake, Kind, Ledger};
    let mut ledger = Ledger::open_or_create(path).unwrap();
    let rule = |n: u32| format!("schule-{n:03}");
    let none = HashMap::new();
    let mut enter = |kind: Kind, value: String, input: &str| {
        let ids = [Identifier { kind, value }];
        ledger
            .record_intake(&Intake {
                identifiers: &ids,
                model: Some("ThinkPad T40"),
                input,
                source: "test",
                hostname_for: &rule,
                wanted_number: None,
                claimed: &none,
            })
            .unwrap()
            .machine
            .number
    };
    enter(Kind::Serial, "ANOTHER-LAPTOP".into(), "other.yaml");
    with_disk.then(|| {
        let name = l.dev.file_name().unwrap().to_str().unwrap();
        let backing = std::fs::read_to_string(format!("/sys/block/{name}/loop/backing_file")).unwrap();
        let disk = upcycle::ledger::identity::disk_value(
            Some(&format!("loop device on {}", backing.trim())),
            Some(device_size(&l.dev)),
        )
        .unwrap();
        enter(Kind::Disk, disk, "this.yaml")
    })
}

fn erased_events(ledger: &Path) -> Vec<(u32, upcycle::ledger::Event)> {
    let l = upcycle::ledger::Ledger::open_existing(ledger).unwrap();
    l.machines()
        .unwrap()
        .into_iter()
        .flat_map(|m| {
            l.events_for(m.id)
                .unwrap()
                .into_iter()
                .filter(|e| e.kind == "erased")
                .map(move |e| (m.number, e))
        })
        .collect()
}

#[test]
fn an_erasure_goes_into_the_ledger_of_the_laptop_its_disk_belongs_to() {
    let dir = tempfile::tempdir().unwrap();
    let l = Loop::new(&dir.path().join("disk.img"), 16);
    fill(&l);
    let room = dir.path().join("room-12");
    std::fs::create_dir(&room).unwrap();
    let ledger = room.join("upcycle-ledger.sqlite");
    let number = ledger_with(&ledger, &l, true).unwrap();
    // Records in a folder of the workshop folder: its ledger is found without --ledger.
    let records = room.join("erasure");
    let out = upcycle_env(
        &[("LANGUAGE", "de")],
        &[
            "erase",
            "--yes",
            l.path(),
            "--verify",
            "sample",
            "--record",
            records.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(is_zero(&l.dev));
    assert!(
        stderr(&out).contains(&format!("gehört zu schule-{number:03} (Nummer {number})")),
        "{}",
        stderr(&out)
    );
    let recs = record_in(&records);
    assert_eq!(recs.len(), 1);
    let (path, record) = &recs[0];
    let events = erased_events(&ledger);
    assert_eq!(events.len(), 1, "{events:?}");
    let (n, e) = &events[0];
    assert_eq!(*n, number, "the event is the laptop's, not the other one's");
    assert_eq!(e.source, "erase");
    let d = &e.details;
    assert_eq!(d["result"], "erased");
    assert_eq!(d["schema"], record["schema"]);
    assert_eq!(d["method"], "overwrite");
    assert_eq!(d["category"], "clear");
    assert_eq!(d["verification"]["method"], "verify-sample");
    assert_eq!(d["verification"]["result"], "passed");
    assert_eq!(d["health"], record["health"]["verdict"]);
    assert_eq!(d["found_by"], "disk");
    assert_eq!(d["record_file"], path.file_name().unwrap().to_str().unwrap());
    assert_eq!(
        d["record_sha256"],
        upcycle::erase::record::sha256_hex(&std::fs::read(path).unwrap())
    );
    assert!(d.get("serial").is_none() && !d.to_string().contains("old owner"));

    // status and log show it
    let status = upcycle_env(&[("LANGUAGE", "de")], &["status", "--ledger", room.to_str().unwrap()]);
    assert_eq!(status.status.code(), Some(0), "{}", stderr(&status));
    let line = stdout(&status)
        .lines()
        .find(|l| l.starts_with(&number.to_string()))
        .unwrap()
        .to_string();
    assert!(line.contains("gelöscht"), "{}", stdout(&status));
    let other = stdout(&status)
        .lines()
        .find(|l| l.starts_with('1'))
        .unwrap()
        .to_string();
    assert!(number == 1 || !other.contains("gelöscht"), "{}", stdout(&status));
    let json = upcycle(&["status", "--ledger", room.to_str().unwrap(), "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let row = rows.as_array().unwrap().iter().find(|r| r["number"] == number).unwrap();
    assert_eq!(row["erasure"]["result"], "erased", "{row}");
    let log = upcycle_env(
        &[("LANGUAGE", "de")],
        &["log", &number.to_string(), "--ledger", room.to_str().unwrap()],
    );
    assert!(
        stdout(&log).contains(path.file_name().unwrap().to_str().unwrap()),
        "{}",
        stdout(&log)
    );
}

#[test]
fn a_laptop_not_in_the_ledger_keeps_its_record_and_a_missing_ledger_stops_before_erasing() {
    let dir = tempfile::tempdir().unwrap();
    let l = Loop::new(&dir.path().join("disk.img"), 16);
    fill(&l);
    let ledger = dir.path().join("room.sqlite");
    ledger_with(&ledger, &l, false);
    let records = dir.path().join("records");
    let out = upcycle_env(
        &[("LANGUAGE", "de")],
        &[
            "erase",
            "--yes",
            l.path(),
            "--verify",
            "sample",
            "--record",
            records.to_str().unwrap(),
            "--ledger",
            ledger.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(is_zero(&l.dev));
    assert!(
        stderr(&out).contains("dieser Laptop steht nicht im Werkstattbuch"),
        "{}",
        stderr(&out)
    );
    let recs = record_in(&records);
    assert_eq!(recs.len(), 1, "the record is kept");
    assert!(stderr(&out).contains(recs[0].0.to_str().unwrap()), "{}", stderr(&out));
    assert!(erased_events(&ledger).is_empty());

    // A --ledger that is not there: nothing is erased, no record.
    fill(&l);
    let out = upcycle(&[
        "erase",
        "--yes",
        l.path(),
        "--record",
        dir.path().join("more").to_str().unwrap(),
        "--ledger",
        dir.path().join("typo.sqlite").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(!is_zero(&l.dev), "nothing was erased");
    assert!(!dir.path().join("more").exists());
}

#[test]
fn the_plan_for_the_disks_of_every_fixture_machine() {
    // Reports alone: no tools, no usage. The decisions per disk, one line each.
    let mut lines = Vec::new();
    for (slug, dir) in machines() {
        let report = probe_dir(&dir.join("root"));
        let facts = plan::facts_of_report(&report.storage.disks);
        let p = plan::plan(&facts, &Policy::default());
        for d in &p.disks {
            lines.push(format!(
                "{slug}: {} {:?}/{:?} -> {}",
                d.name,
                d.bus,
                d.medium,
                match (&d.refused, d.method) {
                    (Some(r), _) => format!("refused: {}", upcycle::l10n::say(upcycle::l10n::Lang::En, r)),
                    (None, Some(m)) => format!(
                        "{m:?} ({:?}), {}",
                        d.category.unwrap(),
                        d.estimated_seconds
                            .map_or("time unknown".to_string(), |s| format!("~{s}s"))
                    ),
                    (None, None) => unreachable!(),
                }
            ));
        }
    }
    insta::assert_snapshot!(lines.join("\n"));
}

/// A stand-in for nvme-cli (`nvme`), as a drive with crypto-erase sanitize answers: its
/// identity (a real `id-ctrl` output), the sanitize (in `crypto` mode the disk's bytes become
/// random, in `lying` mode nothing happens but success is reported), and the sanitize log
/// (in progress once, then done).
const FAKE_NVME: &str = r#"#!/bin/sh
state="$FAKE_NVME_STATE"
case "$1" in
  version) echo "nvme version 2.3 (stand-in)" ;;
  id-ctrl) cat "$FAKE_NVME_ID" ;;
  sanitize)
    echo "$*" >> "$state/commands"
    if [ "$FAKE_NVME_MODE" = crypto ]; then
      head -c "$(stat -c %s "$3")" /dev/urandom > "$state/new" && cat "$state/new" > "$3"
    fi
    echo 0 > "$state/polls" ;;
  sanitize-log)
    echo "$*" >> "$state/commands"
    n=$(cat "$state/polls"); echo $((n + 1)) > "$state/polls"
    if [ "$n" -lt 1 ]; then
      printf '{"nvme0n1":{"sprog":32768,"sstat":{"global_erased":0,"no_cmplted_passes":0,"status":"(2) Sanitize in Progress."}}}\n'
    else
      printf '{"nvme0n1":{"sprog":65535,"sstat":{"global_erased":1,"no_cmplted_passes":0,"status":"(1) The most recent sanitize operation completed successfully."}}}\n'
    fi ;;
  *) echo "unexpected: $*" >&2; exit 1 ;;
esac
"#;

/// The NVMe fixture laptop as a test root, its disk a file with the old owner's data, and
/// a bin folder with the stand-in `nvme`.
fn nvme_machine(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let root = dir.join("root");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/machines/dell-xps-15-9560-nvme-uefi/root");
    assert!(
        Command::new("cp")
            .arg("-a")
            .arg(&fixture)
            .arg(&root)
            .status()
            .unwrap()
            .success()
    );
    std::fs::create_dir(root.join("dev")).unwrap();
    let disk = root.join("dev/nvme0n1");
    let data: Vec<u8> = b"old owner's data ".iter().copied().cycle().take(8 << 20).collect();
    std::fs::write(&disk, &data).unwrap();
    let bin = dir.join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::fs::write(bin.join("nvme"), FAKE_NVME).unwrap();
    std::fs::set_permissions(bin.join("nvme"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let state = dir.join("state");
    std::fs::create_dir(&state).unwrap();
    (root, bin, state)
}

fn erase_nvme(dir: &Path, mode: &str) -> (std::process::Output, Vec<(PathBuf, serde_json::Value)>, String) {
    let (root, bin, state) = nvme_machine(dir);
    let records = dir.join("records");
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let out = crate::support::upcycle_command()
        .env("PATH", path)
        .env("FAKE_NVME_STATE", &state)
        .env("FAKE_NVME_MODE", mode)
        .env(
            "FAKE_NVME_ID",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("src/erase/testdata/nvme-id-ctrl-sn730.json"),
        )
        .args(["erase", "--yes", "/dev/nvme0n1", "--record"])
        .arg(&records)
        .arg("--root")
        .arg(&root)
        .output()
        .unwrap();
    let commands = std::fs::read_to_string(state.join("commands")).unwrap_or_default();
    (out, record_in(&records), commands)
}

#[test]
fn an_nvme_sanitize_is_run_followed_to_its_end_and_the_old_content_proven_gone() {
    let dir = tempfile::tempdir().unwrap();
    let (out, recs, commands) = erase_nvme(dir.path(), "crypto");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let disk = dir.path().join("root/dev/nvme0n1");
    // The plan chose the drive's crypto erase (its id-ctrl says it can), nvme-cli ran it on
    // the disk, and the sanitize log was asked until it said done.
    assert_eq!(
        commands.lines().next(),
        Some(format!("sanitize --sanact=4 {}", disk.display()).as_str()),
        "{commands}"
    );
    assert_eq!(
        commands.lines().filter(|l| l.starts_with("sanitize-log")).count(),
        2,
        "{commands}"
    );
    let (_, r) = &recs[0];
    assert_eq!(r["status"], "erased", "{r}");
    assert_eq!(r["sanitization"]["method"], "nvme-sanitize-crypto-erase");
    assert_eq!(r["sanitization"]["category"], "purge");
    assert_eq!(r["sanitization"]["tool_version"], "nvme version 2.3 (stand-in)");
    // Random bytes are not zeros: the record says it compared the samples instead.
    assert_eq!(r["verification"]["result"], "passed");
    assert_eq!(r["verification"]["method"]["code"], "verify-changed", "{r}");
    let notes = r["notes"].to_string();
    assert!(
        notes.contains("note-not-zeros") && notes.contains("note-firmware-command"),
        "{notes}"
    );
    assert!(
        !std::fs::read(&disk)
            .unwrap()
            .windows(17)
            .any(|w| w == b"old owner's data ")
    );
    // The certificate names the command and writes no "bytes written" (the drive wrote them).
    let (path, _) = &recs[0];
    let html = std::fs::read_to_string(path.with_extension("html")).unwrap();
    assert!(html.contains("nvme sanitize --sanact=4"), "{html}");
    assert!(
        html.contains("Stichproben") && !html.contains("Geschriebene Bytes"),
        "{html}"
    );
}

#[test]
fn a_drive_that_reports_a_sanitize_it_did_not_do_fails_the_erase() {
    let dir = tempfile::tempdir().unwrap();
    let (out, recs, _) = erase_nvme(dir.path(), "lying");
    assert_eq!(out.status.code(), Some(11), "{}", stderr(&out));
    let (_, r) = &recs[0];
    assert_eq!(r["status"], "failed", "{r}");
    assert_eq!(r["verification"]["result"], "failed");
    assert_eq!(r["verification"]["failed_at"], 0);
    assert!(r["notes"].to_string().contains("note-old-content"), "{r}");
}

/// A stand-in for hdparm, as a SATA SSD with SANITIZE (block erase) and enhanced Secure
/// Erase answers: `-I` is a real drive's output (WDC WDS400T2B0A, not frozen); a block erase
/// leaves ones (0xff, as many SSDs read after it), an enhanced Secure Erase zeros; the
/// sanitize status is in progress once, then done, in hdparm's words.
const FAKE_HDPARM: &str = r#"#!/bin/sh
state="$FAKE_HDPARM_STATE"
for last; do :; done
echo "$*" >> "$state/commands"
case "$1" in
  -V) echo "hdparm v9.65 (stand-in)" ;;
  -I) cat "$FAKE_HDPARM_ID" ;;
  -N|--dco-identify) echo "SG_IO: bad/missing sense data" >&2; exit 5 ;;
  --yes-i-know-what-i-am-doing)
    size=$(stat -c %s "$last")
    head -c "$size" /dev/zero | tr '\0' '\377' > "$state/new" && cat "$state/new" > "$last"
    echo 0 > "$state/polls" ;;
  --sanitize-status)
    n=$(cat "$state/polls"); echo $((n + 1)) > "$state/polls"
    printf '\n%s:\nIssuing SANITIZE_STATUS command\nSanitize status:\n' "$last"
    if [ "$n" -lt 1 ]; then
      printf '    State:    SD2 Sanitize operation In Process\n    Progress: 0x8000 (50%%)\n'
    else
      printf '    State:    SD0 Sanitize Idle\n    Last Sanitize Operation Completed Without Error\n'
    fi ;;
  --user-master)
    case "$3" in
      --security-set-pass) echo "Issuing SECURITY_SET_PASS command, password=\"$4\", user=user, mode=high" ;;
      --security-erase-enhanced) head -c "$(stat -c %s "$last")" /dev/zero > "$state/new" && cat "$state/new" > "$last" ;;
      *) echo "unexpected: $*" >&2; exit 1 ;;
    esac ;;
  *) echo "unexpected: $*" >&2; exit 1 ;;
esac
"#;

fn erase_sata_ssd(dir: &Path, method: &str) -> (std::process::Output, Vec<(PathBuf, serde_json::Value)>, String) {
    use std::os::unix::fs::PermissionsExt;
    let root = dir.join("root");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/machines/lenovo-thinkpad-x220/root");
    assert!(
        Command::new("cp")
            .arg("-a")
            .arg(&fixture)
            .arg(&root)
            .status()
            .unwrap()
            .success()
    );
    // the capture has no size: 8 MiB, as the disk file below
    std::fs::write(root.join("sys/block/sda/size"), "16384\n").unwrap();
    std::fs::create_dir(root.join("dev")).unwrap();
    let disk = root.join("dev/sda");
    let data: Vec<u8> = b"old owner's data ".iter().copied().cycle().take(8 << 20).collect();
    std::fs::write(&disk, &data).unwrap();
    let bin = dir.join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::fs::write(bin.join("hdparm"), FAKE_HDPARM).unwrap();
    std::fs::set_permissions(bin.join("hdparm"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let state = dir.join("state");
    std::fs::create_dir(&state).unwrap();
    let records = dir.join("records");
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let out = crate::support::upcycle_command()
        .env("PATH", path)
        .env("FAKE_HDPARM_STATE", &state)
        .env(
            "FAKE_HDPARM_ID",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("src/erase/testdata/hdparm-I-wds400t2b0a.txt"),
        )
        .args(["erase", "--yes", "/dev/sda", "--method", method, "--record"])
        .arg(&records)
        .arg("--root")
        .arg(&root)
        .output()
        .unwrap();
    let commands = std::fs::read_to_string(state.join("commands")).unwrap_or_default();
    (out, record_in(&records), commands)
}

#[test]
fn an_ata_sanitize_and_an_enhanced_secure_erase_run_through_hdparm() {
    let dir = tempfile::tempdir().unwrap();
    let (out, recs, commands) = erase_sata_ssd(dir.path(), "auto");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let disk = dir.path().join("root/dev/sda");
    let disk = disk.display();
    // the default for this SSD: its SANITIZE block erase, followed to its end
    assert!(
        commands.contains(&format!("--yes-i-know-what-i-am-doing --sanitize-block-erase {disk}\n")),
        "{commands}"
    );
    assert_eq!(commands.matches("--sanitize-status").count(), 2, "{commands}");
    let (_, r) = &recs[0];
    assert_eq!(r["status"], "erased", "{r}");
    assert_eq!(r["sanitization"]["method"], "ata-sanitize-block-erase");
    assert_eq!(r["sanitization"]["category"], "purge");
    assert_eq!(r["sanitization"]["tool_version"], "hdparm v9.65 (stand-in)");
    // ones, not zeros: passed by the compared samples
    assert_eq!(r["verification"]["method"]["code"], "verify-changed", "{r}");

    // asked for: the enhanced Secure Erase, with its temporary password
    let dir = tempfile::tempdir().unwrap();
    let (out, recs, commands) = erase_sata_ssd(dir.path(), "ata-secure-erase");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let disk = dir.path().join("root/dev/sda");
    let disk = disk.display();
    let set = commands
        .find(&format!("--user-master u --security-set-pass upcycle {disk}"))
        .expect("the password is set");
    let erase = commands
        .find(&format!("--user-master u --security-erase-enhanced upcycle {disk}"))
        .expect("the erase runs");
    assert!(set < erase, "{commands}");
    let (_, r) = &recs[0];
    assert_eq!(r["status"], "erased", "{r}");
    assert_eq!(r["sanitization"]["method"], "ata-enhanced-secure-erase");
    // on flash only Clear (docs/erase.md); zeros: the plain read-back passed
    assert_eq!(r["sanitization"]["category"], "clear");
    assert_eq!(r["verification"]["method"]["code"], "verify-full", "{r}");
}

/// Stand-ins for util-linux's blkdiscard and mmc-utils' mmc: a secure discard that leaves
/// zeros (or, in `unsupported` mode, the kernel's answer for an eMMC without it), and a
/// sanitize that has nothing left to do.
const FAKE_BLKDISCARD: &str = r#"#!/bin/sh
for last; do :; done
echo "blkdiscard $*" >> "$FAKE_STATE/commands"
case "$1" in
  --version) echo "blkdiscard from util-linux 2.38.1 (stand-in)" ;;
  --secure)
    if [ "$FAKE_MODE" = unsupported ]; then
      echo "blkdiscard: $last: BLKSECDISCARD ioctl failed: Operation not supported" >&2; exit 1
    fi
    head -c "$(stat -c %s "$last")" /dev/zero > "$FAKE_STATE/new" && cat "$FAKE_STATE/new" > "$last" ;;
  *) exit 1 ;;
esac
"#;
const FAKE_MMC: &str = r#"#!/bin/sh
echo "mmc $*" >> "$FAKE_STATE/commands"
[ "$1" = sanitize ] || exit 1
"#;

#[test]
fn an_emmc_is_securely_discarded_then_sanitized_and_a_refusing_one_fails_with_advice() {
    use std::os::unix::fs::PermissionsExt;
    let run = |mode: &str| {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        let fixture =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/machines/asus-t100ta-baytrail-uefi32/root");
        assert!(
            Command::new("cp")
                .arg("-a")
                .arg(&fixture)
                .arg(&root)
                .status()
                .unwrap()
                .success()
        );
        std::fs::create_dir(root.join("dev")).unwrap();
        let disk = root.join("dev/mmcblk2");
        let data: Vec<u8> = b"old owner's data ".iter().copied().cycle().take(8 << 20).collect();
        std::fs::write(&disk, &data).unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        for (name, text) in [("blkdiscard", FAKE_BLKDISCARD), ("mmc", FAKE_MMC)] {
            std::fs::write(bin.join(name), text).unwrap();
            std::fs::set_permissions(bin.join(name), std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let records = dir.path().join("records");
        let out = crate::support::upcycle_command()
            .env(
                "PATH",
                format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default()),
            )
            .env("FAKE_STATE", dir.path())
            .env("FAKE_MODE", mode)
            .args(["erase", "--yes", "/dev/mmcblk2", "--record"])
            .arg(&records)
            .arg("--root")
            .arg(&root)
            .output()
            .unwrap();
        let commands = std::fs::read_to_string(dir.path().join("commands")).unwrap_or_default();
        let disk = disk.display().to_string();
        (out, record_in(&records), commands.replace(&disk, "DEV"), dir)
    };
    let (out, recs, commands, _dir) = run("secure");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        commands
            .lines()
            .filter(|l| !l.ends_with("--version"))
            .collect::<Vec<_>>(),
        ["blkdiscard --secure DEV", "mmc sanitize DEV"]
    );
    let (_, r) = &recs[0];
    assert_eq!(r["status"], "erased", "{r}");
    assert_eq!(r["sanitization"]["method"], "emmc-secure-erase-sanitize");
    assert_eq!(r["sanitization"]["category"], "clear");
    assert_eq!(r["verification"]["method"]["code"], "verify-full");

    let (out, recs, commands, _dir) = run("unsupported");
    assert_eq!(out.status.code(), Some(11), "{}", stderr(&out));
    assert!(!commands.contains("mmc sanitize"), "{commands}");
    let (_, r) = &recs[0];
    assert_eq!(r["status"], "failed", "{r}");
    let notes = r["notes"].to_string();
    assert!(
        notes.contains("Operation not supported") && notes.contains("note-try-overwrite"),
        "{notes}"
    );
}
