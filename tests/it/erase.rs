//! `upcycle erase` on real block devices: file-backed loop devices filled with a pattern and
//! a file system, erased by the real binary, then proven empty by an independent reader
//! (`cmp` against /dev/zero). Needs root and loop devices: if they cannot be made, the
//! tests fail loudly (CI runs as root on a machine with loop devices). Also the plan's
//! decisions for the disks of every fixture machine.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use upcycle::erase::plan::{self, Policy};

use crate::support::{machines, probe_dir, stderr, stdout, upcycle};

/// A loop device over a file, detached (and unmounted) when dropped, whatever happens.
struct Loop {
    dev: PathBuf,
    mount: Option<PathBuf>,
}

impl Loop {
    fn new(file: &Path, mib: u64) -> Loop {
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
    fn path(&self) -> &str {
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
fn fill(l: &Loop) {
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
fn is_zero(dev: &Path) -> bool {
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

fn record_in(dir: &Path) -> Vec<(PathBuf, serde_json::Value)> {
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
