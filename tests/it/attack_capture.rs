//! Hostile captures (issue #12): symlinks that point at the host, FIFOs and devices in the
//! tree, symlink loops, and archives that are bombs or try to write outside. The real
//! binary runs with a stdin pipe that is never closed, so a read of `/proc/self/fd/0`
//! would hang it: every run has a generous bound that detects a hang, not a speed.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::fixtures_dir;

/// A run that blocks on its open stdin (a capture's link to /proc/self/fd/0) never ends by
/// itself; this only tells such a hang from a slow run. Generous: unpacking the 20,001
/// entries of the entry-limit case took over 20 s on a loaded 2-core VM (CI beside it).
const HANG: Duration = Duration::from_secs(120);
const ENV_NAME: &str = "UPCYCLE_ATTACK_TEST_ENV";

/// A value unique to this test run (so that it cannot be in any fixture).
fn unique(what: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{what}-{}-{nanos}", std::process::id())
}

/// Run the real binary with `TMPDIR` set, `ENV_NAME` = `env_secret` and stdin an open pipe
/// nobody writes to or closes; kill it and fail if it runs past [`HANG`].
fn run(args: &[&str], tmpdir: &Path, env_secret: &str) -> Output {
    let mut child = crate::support::upcycle_command()
        .args(args)
        .env("TMPDIR", tmpdir)
        .env(ENV_NAME, env_secret)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take(); // held open until the child has ended
    // Read the pipes on threads so that a full pipe cannot stall the child.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_thread = std::thread::spawn(move || {
        let mut b = Vec::new();
        out.read_to_end(&mut b).unwrap();
        b
    });
    let err_thread = std::thread::spawn(move || {
        let mut b = Vec::new();
        err.read_to_end(&mut b).unwrap();
        b
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > HANG {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("upcycle {args:?} hung for {HANG:?} (stdin open)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    drop(stdin);
    Output {
        status,
        stdout: out_thread.join().unwrap(),
        stderr: err_thread.join().unwrap(),
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file below `dir` (outputs), with its text.
fn all_files(dir: &Path) -> Vec<(PathBuf, String)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), text(&std::fs::read(e.path()).unwrap())))
        .collect()
}

fn assert_absent(secrets: &[&str], what: &str, haystack: &str) {
    for s in secrets {
        assert!(!haystack.contains(s), "{what} holds the host's {s}:\n{haystack}");
    }
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).follow_links(false) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        let t = entry.file_type();
        if t.is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else if t.is_symlink() {
            std::os::unix::fs::symlink(std::fs::read_link(entry.path()).unwrap(), &dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

fn replace_with_link(at: &Path, target: &str) {
    std::fs::remove_file(at).unwrap();
    std::os::unix::fs::symlink(target, at).unwrap();
}

/// The T420 fixture with DMI files replaced by links that lead to the host:
/// (dmi dir, the warnings expected: (file, part of the message)).
fn linked_t420(root: &Path, host_file: &Path) -> Vec<(&'static str, &'static str)> {
    copy_tree(&fixtures_dir().join("lenovo-thinkpad-t420-battery-wear/root"), root);
    let dmi = root.join("sys/class/dmi/id");
    let host = host_file.to_str().unwrap();
    replace_with_link(&dmi.join("product_serial"), host);
    // Climbs far above the root, then down to the host file.
    replace_with_link(&dmi.join("product_family"), &format!("{}{host}", "../".repeat(20)));
    replace_with_link(&dmi.join("product_version"), "/proc/self/environ");
    replace_with_link(&dmi.join("product_name"), "/proc/self/fd/0");
    replace_with_link(&dmi.join("bios_vendor"), "bios_vendor");
    vec![
        ("product_serial", "leads out of the capture: not followed"),
        ("product_family", "leads out of the capture: not followed"),
        ("product_version", "leads out of the capture: not followed"),
        ("product_name", "leads out of the capture: not followed"),
        ("bios_vendor", "too many symlinks (a loop?): not followed"),
    ]
}

fn assert_warned(report_yaml: &str, expected: &[(&str, &str)]) {
    let report: upcycle::report::HardwareReport = upcycle::yaml::from_str(report_yaml).unwrap();
    for (file, message) in expected {
        let path = format!("sys/class/dmi/id/{file}");
        assert!(
            report
                .warnings
                .iter()
                .any(|w| w.path == path && w.message.contains(message)),
            "no warning {message:?} for {path}: {:#?}",
            report.warnings
        );
    }
}

/// A host file with a secret in it, outside every capture.
fn host_secret(dir: &Path) -> (PathBuf, String) {
    let secret = unique("HOST-SECRET");
    let path = dir.join("host-secret.txt");
    std::fs::write(&path, &secret).unwrap();
    (path, secret)
}

#[test]
fn links_fifos_and_devices_in_a_capture_dir_never_reach_the_report() {
    let tmp = tempfile::tempdir().unwrap();
    let (host_file, secret) = host_secret(tmp.path());
    let env_secret = unique("ENV-SECRET");
    let root = tmp.path().join("capture");
    let mut expected = linked_t420(&root, &host_file);
    let dmi = root.join("sys/class/dmi/id");
    // A FIFO nobody writes to: opening it for reading would wait forever.
    std::fs::remove_file(dmi.join("bios_version")).unwrap();
    let fifo = std::ffi::CString::new(dmi.join("bios_version").to_str().unwrap()).unwrap();
    // SAFETY: a valid C string; mkfifo only creates a file.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    expected.push(("bios_version", "a FIFO, not a regular file: not read"));
    // A device node (the null device) where a file should be: as root; else a socket.
    std::fs::remove_file(dmi.join("bios_date")).unwrap();
    let dev = std::ffi::CString::new(dmi.join("bios_date").to_str().unwrap()).unwrap();
    // SAFETY: a valid C string; mknod only creates a file.
    let made = unsafe { libc::mknod(dev.as_ptr(), libc::S_IFCHR | 0o644, libc::makedev(1, 3)) } == 0;
    let _socket;
    if made {
        expected.push(("bios_date", "a character device, not a regular file: not read"));
    } else {
        _socket = std::os::unix::net::UnixListener::bind(dmi.join("bios_date")).unwrap();
        expected.push(("bios_date", "a socket, not a regular file: not read"));
    }

    let scratch = tmp.path().join("tmp");
    std::fs::create_dir(&scratch).unwrap();
    let out = run(
        &["probe", "--root", root.to_str().unwrap(), "--format", "yaml"],
        &scratch,
        &env_secret,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let yaml = text(&out.stdout);
    assert_absent(&[&secret, &env_secret], "the report", &yaml);
    assert_warned(&yaml, &expected);

    // batch reads the same directory: no output holds the host's files.
    let bundles = tmp.path().join("out");
    let out = run(
        &[
            "batch",
            root.to_str().unwrap(),
            "-o",
            bundles.to_str().unwrap(),
            "--today",
            "2026-11-25",
        ],
        &scratch,
        &env_secret,
    );
    assert!(matches!(out.status.code(), Some(0 | 7)), "{}", text(&out.stderr));
    let files = all_files(&bundles);
    assert!(files.iter().any(|(p, _)| p.ends_with("inventory.csv")));
    for (path, content) in &files {
        assert_absent(&[&secret, &env_secret], &path.display().to_string(), content);
    }
    let report = files
        .iter()
        .find(|(p, _)| p.ends_with("report.yaml"))
        .expect("a bundle with report.yaml");
    assert_warned(&report.1, &expected);
}

#[test]
fn links_in_a_capture_archive_never_reach_the_batch_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let (host_file, secret) = host_secret(tmp.path());
    let env_secret = unique("ENV-SECRET");
    let root = tmp.path().join("capture");
    let expected = linked_t420(&root, &host_file);
    let inputs = tmp.path().join("inputs");
    std::fs::create_dir(&inputs).unwrap();
    let archive = inputs.join("t420.tar.gz");
    upcycle::capture::write_tar_gz(&root, &mut std::fs::File::create(&archive).unwrap()).unwrap();

    let scratch = tmp.path().join("tmp");
    std::fs::create_dir(&scratch).unwrap();
    let out = run(
        &["probe", "--root", archive.to_str().unwrap(), "--format", "yaml"],
        &scratch,
        &env_secret,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_absent(&[&secret, &env_secret], "the report", &text(&out.stdout));
    assert_warned(&text(&out.stdout), &expected);

    let bundles = tmp.path().join("out");
    let out = run(
        &[
            "batch",
            inputs.to_str().unwrap(),
            "-o",
            bundles.to_str().unwrap(),
            "--today",
            "2026-11-25",
        ],
        &scratch,
        &env_secret,
    );
    assert!(matches!(out.status.code(), Some(0 | 7)), "{}", text(&out.stderr));
    let files = all_files(&bundles);
    assert!(files.iter().any(|(p, _)| p.ends_with("inventory.csv")));
    for (path, content) in &files {
        assert_absent(&[&secret, &env_secret], &path.display().to_string(), content);
    }
    let report = files
        .iter()
        .find(|(p, _)| p.ends_with("report.yaml"))
        .expect("a bundle with report.yaml");
    assert_warned(&report.1, &expected);
    // Every unpacked temp dir is gone.
    assert_eq!(std::fs::read_dir(&scratch).unwrap().count(), 0);
}

/// One entry of a hostile archive.
enum E<'a> {
    File(&'a str, &'a [u8]),
    /// A regular file of `size` zero bytes (a bomb compresses ~1000:1).
    Zeros(&'a str, u64),
    Link(&'a str, &'a str),
    /// Any entry type under any raw name, unchecked by the tar crate.
    Raw(&'a str, tar::EntryType, &'a str),
}

fn hostile_archive(path: &Path, entries: &[E]) {
    let gz = flate2::write::GzEncoder::new(std::fs::File::create(path).unwrap(), flate2::Compression::fast());
    let mut b = tar::Builder::new(gz);
    for e in entries {
        let mut h = tar::Header::new_gnu();
        h.set_mode(0o644);
        match e {
            E::File(name, data) => {
                h.set_size(data.len() as u64);
                b.append_data(&mut h, name, *data).unwrap();
            }
            E::Zeros(name, size) => {
                h.set_size(*size);
                b.append_data(&mut h, name, std::io::repeat(0).take(*size)).unwrap();
            }
            E::Link(name, target) => {
                h.set_entry_type(tar::EntryType::Symlink);
                h.set_size(0);
                b.append_link(&mut h, name, target).unwrap();
            }
            E::Raw(name, kind, link) => {
                h.set_entry_type(*kind);
                h.set_size(0);
                h.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
                h.as_old_mut().linkname[..link.len()].copy_from_slice(link.as_bytes());
                h.set_cksum();
                b.append(&h, std::io::empty()).unwrap();
            }
        }
    }
    b.into_inner().unwrap().finish().unwrap();
}

/// `probe --root ARCHIVE EXTRA...` must refuse it as bad input (3), naming the archive and
/// `why`, leaving no temp dir; `select` too. Returns stderr.
fn refused(archive: &Path, extra: &[&str], why: &str) -> String {
    let scratch = archive.with_extension("tmpdir");
    std::fs::create_dir_all(&scratch).unwrap();
    let mut args = vec!["probe", "--root", archive.to_str().unwrap()];
    args.extend_from_slice(extra);
    let out = run(&args, &scratch, "x");
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains(&format!("cannot unpack the capture {}", archive.display())),
        "{err}"
    );
    assert!(err.contains(why), "{why:?} not in: {err}");
    assert!(out.stdout.is_empty());
    let mut args = vec!["select", archive.to_str().unwrap()];
    args.extend_from_slice(extra);
    let out = run(&args, &scratch, "x");
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_dir(&scratch).unwrap().count(), 0, "temp dirs removed");
    err
}

#[test]
fn an_archive_bomb_is_refused_by_probe_and_batch() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("inputs");
    std::fs::create_dir(&inputs).unwrap();
    let bomb = inputs.join("bomb.tar.gz");
    hostile_archive(
        &bomb,
        &[
            E::File("proc/cpuinfo", b"model name : x\n"),
            E::Zeros("sys/zero", 200 << 20),
        ],
    );
    assert!(std::fs::metadata(&bomb).unwrap().len() < 2 << 20, "a small archive");
    refused(&bomb, &[], "more than 64 MiB (the limit, --max-unpacked)");
    refused(
        &bomb,
        &["--max-unpacked", "1M"],
        "more than 1 MiB (the limit, --max-unpacked)",
    );

    // batch: the bomb is a failed machine with the reason, the good one gets its bundle.
    let good = fixtures_dir().join("lenovo-thinkpad-x220/root");
    upcycle::capture::write_tar_gz(&good, &mut std::fs::File::create(inputs.join("good.tar.gz")).unwrap()).unwrap();
    let scratch = tmp.path().join("tmp");
    std::fs::create_dir(&scratch).unwrap();
    let out_dir = tmp.path().join("out");
    let out = run(
        &[
            "batch",
            inputs.to_str().unwrap(),
            "-o",
            out_dir.to_str().unwrap(),
            "--today",
            "2026-11-25",
            "--max-unpacked",
            "1M",
        ],
        &scratch,
        "x",
    );
    assert_eq!(out.status.code(), Some(7), "{}", text(&out.stderr));
    let csv = std::fs::read_to_string(out_dir.join("inventory.csv")).unwrap();
    let bomb_row = csv
        .lines()
        .find(|l| l.contains("bomb.tar.gz"))
        .expect("a row for the bomb");
    assert!(
        bomb_row.contains("more than 1 MiB (the limit, --max-unpacked)"),
        "{bomb_row}"
    );
    assert!(
        csv.lines().any(|l| l.contains("good.tar.gz") && !l.contains("failed")),
        "{csv}"
    );
    assert_eq!(std::fs::read_dir(&scratch).unwrap().count(), 0, "temp dirs removed");
}

#[test]
fn an_archive_with_too_many_entries_or_too_deep_paths_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let many = tmp.path().join("many.tar.gz");
    let names: Vec<String> = (0..20_001).map(|i| format!("sys/f{i}")).collect();
    let entries: Vec<E> = names.iter().map(|n| E::File(n, b"")).collect();
    hostile_archive(&many, &entries);
    refused(&many, &[], "more than 20000 entries");

    let deep = tmp.path().join("deep.tar.gz");
    let path = format!("sys/{}x", "d/".repeat(32));
    hostile_archive(&deep, &[E::File(&path, b"x")]);
    refused(&deep, &[], "34 levels deep (the limit is 32)");
}

#[test]
fn an_archive_that_writes_outside_or_holds_links_and_devices_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    let outside_abs = format!("{}/planted", outside.display());
    let cases: Vec<(&str, Vec<E>, String)> = vec![
        (
            "absolute",
            vec![E::Raw(&outside_abs, tar::EntryType::Regular, "")],
            "is absolute".into(),
        ),
        (
            "dotdot",
            vec![E::Raw("sys/../../../planted", tar::EntryType::Regular, "")],
            "climbs with `..`".into(),
        ),
        (
            "hardlink",
            vec![E::Raw("sys/shadow", tar::EntryType::Link, "/etc/shadow")],
            "sys/shadow is a hard link".into(),
        ),
        (
            "chardev",
            vec![E::Raw("sys/mem", tar::EntryType::Char, "")],
            "sys/mem is a character device".into(),
        ),
        (
            "fifo",
            vec![E::Raw("sys/fifo", tar::EntryType::Fifo, "")],
            "sys/fifo is a FIFO".into(),
        ),
        (
            "through-symlink",
            vec![
                E::Link("sys", outside.to_str().unwrap()),
                E::File("sys/planted", b"written through a link"),
            ],
            "sys is a file or symlink in the archive, not a directory".into(),
        ),
    ];
    for (name, entries, why) in cases {
        let archive = tmp.path().join(format!("{name}.tar.gz"));
        hostile_archive(&archive, &entries);
        refused(&archive, &[], &why);
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0, "{name}: wrote outside");
    }
}

/// A full disk while unpacking is the environment's failure (exit 1, with the hint to set
/// TMPDIR), not the archive's (3); nothing is left behind. The disk is a 1 MiB tmpfs in a
/// mount namespace of its own (the tests run as root here and in CI).
#[test]
fn a_full_disk_while_unpacking_is_exit_1_not_3() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("big.tar.gz");
    // 3 MiB of contents: under the 64 MiB limit, over the 1 MiB disk.
    hostile_archive(
        &archive,
        &[
            E::File("sys/class/dmi/id/sys_vendor", b"LENOVO\n"),
            E::Zeros("proc/cpuinfo", 3 << 20),
        ],
    );
    let small = tmp.path().join("small-disk");
    std::fs::create_dir(&small).unwrap();
    let script = format!(
        "mount -t tmpfs -o size=1m tmpfs '{small}' && TMPDIR='{small}' '{bin}' probe --root '{archive}'; rc=$?; \
         n=$(ls -A '{small}' | wc -l); echo \"left=$n\" >&2; exit $rc",
        small = small.display(),
        bin = env!("CARGO_BIN_EXE_upcycle"),
        archive = archive.display()
    );
    let out = std::process::Command::new("unshare")
        .env("LANGUAGE", "en")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .args(["-m", "sh", "-c", &script])
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("TMPDIR"), "says what to do: {err}");
    assert!(err.contains("left=0"), "no temp dir left on the full disk: {err}");
}
