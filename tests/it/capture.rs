//! `capture` then `probe --root` gives the same report as probing directly.

use std::path::Path;

use crate::support::{machines, probe_dir, stderr, upcycle};
use upcycle::fwmap::{DEFAULT_RELEASE, FirmwareMap};
use upcycle::probe::{self, SysRoot};
use upcycle::report::ProbeSource;

fn capture_lib(root: &Path, dest: &Path, redact: bool) -> usize {
    let map = FirmwareMap::embedded(DEFAULT_RELEASE).unwrap();
    let rec = SysRoot::at(root).recording();
    probe::probe(&rec, map).unwrap();
    let how = redact.then_some(upcycle::redact::Redaction { key: None });
    upcycle::capture::replicate(&rec, dest, how).unwrap()
}

#[test]
fn capture_of_every_fixture_probes_the_same() {
    for (slug, dir) in machines() {
        let tmp = tempfile::tempdir().unwrap();
        let files = capture_lib(&dir.join("root"), tmp.path(), false);
        assert!(files > 5, "{slug}: only {files} files captured");
        assert_eq!(probe_dir(tmp.path()), probe_dir(&dir.join("root")), "{slug}");
    }
}

#[test]
fn capture_of_this_machine_probes_like_the_live_probe() {
    let tmp = tempfile::tempdir().unwrap();
    capture_lib(Path::new("/"), tmp.path(), false);
    let mut live = probe_dir(Path::new("/"));
    let captured = probe_dir(tmp.path());
    assert_eq!(live.probe.source, ProbeSource::Live);
    assert!(live.live.is_some());
    live.live = None;
    live.probe.source = ProbeSource::Captured;
    assert_eq!(captured, live);
}

#[test]
fn tar_gz_capture_through_the_cli_round_trips_and_redacts() {
    let dir = crate::support::fixtures_dir().join("lenovo-thinkpad-x220/root");
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("x220.tar.gz");
    let out = upcycle(&[
        "capture",
        "--root",
        dir.to_str().unwrap(),
        "-o",
        archive.to_str().unwrap(),
        "--redact",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let unpacked = tmp.path().join("unpacked");
    std::fs::create_dir(&unpacked).unwrap();
    upcycle::capture::extract_tar_gz(&archive, &unpacked, &upcycle::capture::Limits::default()).unwrap();

    let mut direct = probe_dir(&dir);
    upcycle::redact::report(&mut direct);
    let mut from_capture = probe_dir(&unpacked);
    upcycle::redact::report(&mut from_capture);
    assert_eq!(from_capture, direct);
    // Redacted on disk too: no MAC of the fixture survives in the capture.
    for entry in walkdir::WalkDir::new(&unpacked).into_iter().filter_map(|e| e.ok()) {
        if entry.file_name() == "address" {
            let mac = std::fs::read_to_string(entry.path()).unwrap();
            assert!(mac.starts_with("02:00:00:"), "{}: {mac}", entry.path().display());
        }
    }
    // Symlinks stay symlinks.
    let link = std::fs::symlink_metadata(unpacked.join("sys/class/net/wlp3s0")).unwrap();
    assert!(link.file_type().is_symlink());

    // probe reads the archive directly too.
    let direct_json = crate::support::stdout(&upcycle(&[
        "probe",
        "--root",
        archive.to_str().unwrap(),
        "--format",
        "json",
        "--redact",
    ]));
    let from_archive: upcycle::report::HardwareReport = serde_json::from_str(&direct_json).unwrap();
    assert_eq!(from_archive, direct);

    // An existing output is not overwritten without --force.
    let again = upcycle(&[
        "capture",
        "--root",
        dir.to_str().unwrap(),
        "-o",
        archive.to_str().unwrap(),
    ]);
    assert_eq!(again.status.code(), Some(4), "{}", stderr(&again));
    let forced = upcycle(&[
        "capture",
        "--root",
        dir.to_str().unwrap(),
        "-o",
        archive.to_str().unwrap(),
        "--force",
    ]);
    assert!(forced.status.success(), "{}", stderr(&forced));
}

#[test]
fn redacted_capture_hides_serials() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    let dmi = src.path().join("sys/class/dmi/id");
    std::fs::create_dir_all(&dmi).unwrap();
    std::fs::write(dmi.join("product_serial"), "SECRET-123\n").unwrap();
    std::fs::write(dmi.join("sys_vendor"), "LENOVO\n").unwrap();
    capture_lib(src.path(), tmp.path(), true);
    let serial = std::fs::read_to_string(tmp.path().join("sys/class/dmi/id/product_serial")).unwrap();
    assert_eq!(serial, "REDACTED\n");
    let report = probe_dir(tmp.path());
    assert_eq!(report.machine.serial.as_deref(), Some("REDACTED"));
    assert_eq!(report.machine.vendor.as_deref(), Some("LENOVO"));
}
