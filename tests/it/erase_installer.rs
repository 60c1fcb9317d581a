//! Erasure as an installer step (workshop `erase: {before_install: true}`): the preseed with
//! it on and off (validated by the real `debconf-set-selections -c` and `shellcheck` when
//! `generate` writes it), the workshop file's bad values, the static binary in the stick's
//! initrd (read back with GNU cpio) and in the netboot tree's initrds, and the preseed's
//! own `partman/early_command` run by busybox sh with stand-ins for d-i's debconf tools:
//! it erases the disk partman-auto/disk names (a real loop device, proven zero by `cmp`)
//! and, when the erasure fails, shows the error template and ends with 1 (d-i stops).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::erase::{Loop, fill, is_zero, record_in};
use crate::media_usb::{bundle, fake_images, tool, unpack_injected, usb};
use crate::support::{fixtures_dir, generate, install_token, stderr, upcycle, upcycle_env};

/// The default workshop file with `erase:` replaced by `erase` (YAML text).
fn workshop(dir: &Path, erase: &str) -> PathBuf {
    let default = include_str!("../../data/workshop-default.yaml");
    let at = default.find("\nerase:\n").expect("the default names erase:");
    let text = format!("{}\n{erase}\n", &default[..at]);
    let path = dir.join("workshop.yaml");
    std::fs::write(&path, text).unwrap();
    path
}

/// The T40's bundle (schule-001) generated with `workshop` (None: the embedded default)
/// into a new folder of `dir` (with its ledger); the folder.
fn t40_bundle(dir: &Path, workshop: Option<&Path>) -> PathBuf {
    let out = dir.join(format!("out-{}", std::fs::read_dir(dir).unwrap().count()));
    let root = fixtures_dir().join("ibm-thinkpad-t40").join("root");
    let mut extra = Vec::new();
    if let Some(w) = workshop {
        extra = vec!["--workshop", w.to_str().unwrap()];
    }
    let run = generate(&root, &out, &extra);
    assert!(run.status.success(), "generate: {}", stderr(&run));
    out
}

/// The T40's preseed generated with `workshop` (None: the embedded default), the install
/// token masked.
fn t40_preseed(dir: &Path, workshop: Option<&Path>) -> String {
    let out = t40_bundle(dir, workshop);
    let token = install_token(&out, 1);
    std::fs::read_to_string(out.join("schule-001/preseed.cfg"))
        .unwrap()
        .replace(&token, "[token]")
}

#[test]
fn the_preseed_erases_only_when_the_workshop_asks_and_is_unchanged_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let default = t40_preseed(dir.path(), None);
    let off_dir = dir.path().join("off");
    std::fs::create_dir(&off_dir).unwrap();
    let off = t40_preseed(
        dir.path(),
        Some(&workshop(&off_dir, "erase: {before_install: false, method: overwrite}")),
    );
    let none_dir = dir.path().join("none");
    std::fs::create_dir(&none_dir).unwrap();
    let none = t40_preseed(dir.path(), Some(&workshop(&none_dir, "")));
    // Off, said or not: byte for byte the same preseed (bundle_snapshots holds it too); it
    // erases nothing, and its late_command only copies upcycle when the installer has it
    // (for the laptop's self-check)
    assert_eq!(off, default);
    assert_eq!(none, default);
    assert!(!default.contains("upcycle erase") && !default.contains("/var/lib/upcycle/erasure"));
    let default_late = upcycle::preseed::value(&default, "preseed/late_command").unwrap();
    assert!(
        default_late.starts_with(
            "if [ -x /upcycle/upcycle ]; then mkdir -p /target/usr/local/sbin; cp /upcycle/upcycle /target/usr/local/sbin/upcycle; chmod 755 /target/usr/local/sbin/upcycle; fi; "
        ),
        "{default_late}"
    );

    let on_dir = dir.path().join("on");
    std::fs::create_dir(&on_dir).unwrap();
    let on = t40_preseed(
        dir.path(),
        Some(&workshop(&on_dir, "erase: {before_install: true, verify: sample}")),
    );
    // generate wrote it, so debconf-set-selections -c and shellcheck passed it.
    let early = upcycle::preseed::value(&on, "partman/early_command").unwrap();
    let finder = upcycle::preseed::value(&default, "partman/early_command").unwrap();
    assert!(
        early.starts_with(&format!("{finder}; ")),
        "the disk finder first: {early}"
    );
    assert!(
        early.contains(
            "(/upcycle/upcycle erase --installer --yes --method auto --verify sample --operator 'Debian-Installer, unbeaufsichtigt (schule-001)' --record /var/lib/upcycle/erasure --progress-file \"$p\" \"$d\"; echo \"$?\" >/tmp/upcycle-erase.rc) </dev/null 3>&- & "
        ),
        "{early}"
    );
    assert!(early.contains("d=\"$(debconf-get partman-auto/disk)\""));
    // German first: the workshop speaks German.
    assert!(
        early.contains("Loeschen fehlgeschlagen: die Installation haelt an"),
        "{early}"
    );
    // ASCII only: d-i's screen shows <ERR> from the first umlaut on before its language is set.
    assert!(early.is_ascii(), "{early}");
    // who erased, for the record: the installer, unattended; the workshop only when named
    assert!(!early.contains("--workshop-name"), "{early}");
    // every record to d-i's syslog and to serve, erased or not, before the failure stops d-i
    let post = early
        .find("/_upcycle/erased/schule-001/[token]?file=${f##*/}")
        .expect(&early);
    assert!(early[..post].contains("logger -t upcycle \"erasure record $(sha256sum \"$f\")\"; "));
    assert!(post < early.find("if [ \"$rc\" != 0 ]").unwrap(), "{early}");
    assert!(early.ends_with("db_input critical upcycle/erase-failed; db_go); exit 1; fi"));
    assert!(
        !early.contains('\\'),
        "no backslash: d-i's debconf reads \\n as a line break"
    );
    let late = upcycle::preseed::value(&on, "preseed/late_command").unwrap();
    assert_eq!(
        late,
        format!(
            "if [ -d /var/lib/upcycle/erasure ]; then mkdir -p /target/var/lib/upcycle; cp -a /var/lib/upcycle/erasure /target/var/lib/upcycle/; fi; {default_late}"
        )
    );
    // Everything else as before.
    let other = |p: &str| {
        p.lines()
            .filter(|l| {
                !l.contains("partman/early_command") && !l.contains("preseed/late_command") && !l.starts_with("# ...")
            })
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(other(&on), other(&default));
    // The shell commands pass shellcheck as d-i's sh runs them (again, here, on their own).
    let script = dir.path().join("early.sh");
    std::fs::write(&script, format!("#!/bin/sh\n{early}\n")).unwrap();
    let sc = Command::new("shellcheck")
        .args(["-S", "warning", "-s", "sh"])
        .arg(&script)
        .output()
        .unwrap();
    assert!(sc.status.success(), "{}", String::from_utf8_lossy(&sc.stdout));
}

#[test]
fn a_bad_erase_value_names_the_file_the_line_and_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let root = fixtures_dir().join("ibm-thinkpad-t40").join("root");
    for (erase, field, said) in [
        (
            "erase:\n  before_install: true\n  method: nvme-format",
            "erase.method",
            "nvme-format",
        ),
        ("erase:\n  before_install: ja", "erase.before_install", "ja"),
        ("erase:\n  before_install: true\n  verfy: full", "erase", "verfy"),
    ] {
        let case = dir.path().join(field.replace('.', "-") + &said.len().to_string());
        std::fs::create_dir(&case).unwrap();
        let w = workshop(&case, erase);
        let lines = std::fs::read_to_string(&w).unwrap();
        let line = lines.lines().position(|l| l.contains(said)).unwrap() + 1;
        let run = generate(&root, &case.join("out"), &["--workshop", w.to_str().unwrap()]);
        let err = stderr(&run);
        assert_eq!(run.status.code(), Some(3), "{erase}: {err}");
        assert!(err.contains(w.to_str().unwrap()), "{err}");
        assert!(
            err.contains(&format!("line {line}: {field}")),
            "{erase}: line {line}: {err}"
        );
        assert!(err.contains(said), "{err}");
        assert!(!case.join("out").exists(), "nothing written");
        // German first: the volunteer's terminal without a language set.
        let out = case.join("out");
        let args = [
            "generate",
            root.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--workshop",
            w.to_str().unwrap(),
        ];
        let run = upcycle_env(&[], &args);
        assert_eq!(run.status.code(), Some(3));
        assert!(
            stderr(&run).contains(&format!("Zeile {line}: {field}")),
            "{}",
            stderr(&run)
        );
    }
}

/// A folder of static binaries as `scripts/build-static.sh` leaves them under target/:
/// stand-ins with the ELF header of each architecture (the binary only travels here).
fn static_dir(dir: &Path) -> PathBuf {
    let root = dir.join("target");
    for (target, class, machine) in [
        ("i686-unknown-linux-musl", 1u8, 3u8),
        ("x86_64-unknown-linux-musl", 2, 62),
    ] {
        let mut elf = vec![0u8; 128];
        elf[..4].copy_from_slice(b"\x7fELF");
        elf[4] = class;
        elf[5] = 1;
        elf[18] = machine;
        elf.extend_from_slice(target.as_bytes());
        let path = root.join(target).join("release");
        std::fs::create_dir_all(&path).unwrap();
        std::fs::write(path.join("upcycle"), elf).unwrap();
    }
    root
}

#[test]
fn the_stick_of_a_workshop_that_erases_carries_the_static_upcycle_in_its_initrd() {
    let dir = tempfile::tempdir().unwrap();
    let w = workshop(dir.path(), "erase: {before_install: true}");
    let b = bundle(
        "lenovo-thinkpad-t420-battery-wear",
        &dir.path().join("bundles"),
        &["--workshop", w.to_str().unwrap()],
    );
    let images = fake_images(dir.path(), "13", "amd64");
    // Without the binary: a clear refusal, nothing written.
    let stick = dir.path().join("stick");
    let empty = dir.path().join("empty");
    let run = usb(&b, &stick, &images, &["--upcycle-static", empty.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(3), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("erases the disk in the installer and needs the static upcycle for amd64: none under"),
        "{}",
        stderr(&run)
    );
    assert!(!stick.exists());
    let args = [
        "media",
        "usb",
        b.to_str().unwrap(),
        "-o",
        stick.to_str().unwrap(),
        "--images",
        images.to_str().unwrap(),
        "--upcycle-static",
        empty.to_str().unwrap(),
    ];
    let run = upcycle_env(&[], &args);
    assert!(
        stderr(&run).contains("löscht die Festplatte im Installer und braucht dafür das statische upcycle für amd64"),
        "{}",
        stderr(&run)
    );
    // The wrong architecture is refused too.
    let statics = static_dir(dir.path());
    let wrong = dir.path().join("wrong");
    std::fs::create_dir_all(wrong.join("x86_64-unknown-linux-musl")).unwrap();
    std::fs::copy(
        statics.join("i686-unknown-linux-musl/release/upcycle"),
        wrong.join("x86_64-unknown-linux-musl/upcycle"),
    )
    .unwrap();
    let run = usb(&b, &stick, &images, &["--upcycle-static", wrong.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(3), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("a program for another architecture"),
        "{}",
        stderr(&run)
    );

    let run = usb(&b, &stick, &images, &["--upcycle-static", statics.to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    let stock = images.join("13/amd64/text/debian-installer/amd64/initrd.gz");
    let unpacked = dir.path().join("u");
    let (listing, _) = unpack_injected(&stick.join("initrd.gz"), &stock, &unpacked);
    assert!(listing.contains(" upcycle/upcycle\n"), "{listing}");
    assert!(
        listing
            .lines()
            .any(|l| l.starts_with("-rwxr-xr-x") && l.ends_with(" upcycle/upcycle"))
    );
    assert_eq!(
        std::fs::read(unpacked.join("upcycle/upcycle")).unwrap(),
        std::fs::read(statics.join("x86_64-unknown-linux-musl/release/upcycle")).unwrap()
    );

    // A bundle that does not erase needs no binary: without one the stick is made all the
    // same, without it; with one it gets it too (late_command copies it onto the laptop
    // for the self-check at the first boot).
    let plain = bundle("lenovo-thinkpad-t420-battery-wear", &dir.path().join("plain"), &[]);
    let stick2 = dir.path().join("stick2");
    let run = usb(&plain, &stick2, &images, &["--upcycle-static", empty.to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    let (listing, _) = unpack_injected(&stick2.join("initrd.gz"), &stock, &dir.path().join("u2"));
    assert!(!listing.contains("upcycle/upcycle"), "{listing}");
    let stick3 = dir.path().join("stick3");
    let run = usb(
        &plain,
        &stick3,
        &images,
        &["--upcycle-static", statics.to_str().unwrap()],
    );
    assert!(run.status.success(), "{}", stderr(&run));
    let (listing, _) = unpack_injected(&stick3.join("initrd.gz"), &stock, &dir.path().join("u3"));
    assert!(listing.contains(" upcycle/upcycle\n"), "{listing}");
    // and a wrong one is no reason to refuse a stick that does not need it
    let stick4 = dir.path().join("stick4");
    let run = usb(&plain, &stick4, &images, &["--upcycle-static", wrong.to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    let (listing, _) = unpack_injected(&stick4.join("initrd.gz"), &stock, &dir.path().join("u4"));
    assert!(!listing.contains("upcycle/upcycle"), "{listing}");
}

#[test]
fn the_netboot_tree_appends_the_static_upcycle_to_the_initrd_of_an_erasing_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let w = workshop(dir.path(), "erase: {before_install: true}");
    let bundles = dir.path().join("bundles");
    bundle(
        "lenovo-thinkpad-t420-battery-wear",
        &bundles,
        &["--workshop", w.to_str().unwrap()],
    );
    let images = fake_images(dir.path(), "13", "amd64");
    // what a netboot tree also takes from the images
    let di = images.join("13/amd64/text/debian-installer/amd64");
    std::fs::write(di.join("pxelinux.0"), "pxelinux").unwrap();
    std::fs::create_dir_all(di.join("boot-screens")).unwrap();
    for m in ["ldlinux.c32", "vesamenu.c32", "libcom32.c32", "libutil.c32"] {
        std::fs::write(di.join("boot-screens").join(m), m).unwrap();
    }
    let statics = static_dir(dir.path());
    let tree = dir.path().join("tree");
    let run = upcycle(&[
        "media",
        "netboot",
        bundles.to_str().unwrap(),
        "-o",
        tree.to_str().unwrap(),
        "--server",
        "192.168.1.10",
        "--images",
        images.to_str().unwrap(),
        "--upcycle-static",
        statics.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let (listing, _) = unpack_injected(
        &tree.join("tftp/debian/13/amd64/initrd.gz"),
        &di.join("initrd.gz"),
        &dir.path().join("u"),
    );
    assert!(listing.contains(" upcycle/upcycle\n"), "{listing}");
    // the whole initrd as the kernel reads it: both members, one after the other
    let all = tool(
        "gzip",
        &["-dc"],
        Some(&std::fs::read(tree.join("tftp/debian/13/amd64/initrd.gz")).unwrap()),
        None,
    );
    let names = String::from_utf8(tool("cpio", &["-t", "--quiet"], Some(&all), None)).unwrap();
    assert!(names.contains("init\n"), "{names}");
}

/// Stand-ins for d-i's tools on PATH, logging to `log`: `list-devices` (no disks: the
/// finder leaves the preseeded disk), `debconf-get` (`$UPCYCLE_TEST_URL` for preseed/url,
/// `$UPCYCLE_TEST_DISK` for partman-auto/disk), `debconf-set`, `debconf-loadtemplate` (the template's text),
/// `logger`, and a confmodule whose db_* calls are logged.
fn stand_ins(dir: &Path, log: &Path) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = log.display();
    for (name, body) in [
        ("list-devices", "exit 0".to_string()),
        (
            "debconf-get",
            "case \"$1\" in preseed/url) echo \"$UPCYCLE_TEST_URL\";; *) echo \"$UPCYCLE_TEST_DISK\";; esac"
                .to_string(),
        ),
        ("debconf-set", format!("echo \"set $*\" >>{log}")),
        ("logger", format!("echo \"logger $*\" >>{log}")),
        (
            "debconf-loadtemplate",
            format!("echo \"loadtemplate $1\" >>{log}; cat \"$2\" >>{log}"),
        ),
    ] {
        let p = bin.join(name);
        std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&p, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    }
    std::fs::write(
        dir.join("confmodule"),
        format!(
            "db_subst() {{ echo \"subst $*\" >>{log}; }}\ndb_input() {{ echo \"input $*\" >>{log}; }}\ndb_go() {{ echo go >>{log}; }}\ndb_progress() {{ echo \"progress $*\" >>{log}; }}\n"
        ),
    )
    .unwrap();
    bin
}

/// The preseed's partman/early_command as d-i's busybox sh runs it, with upcycle at
/// `binary` instead of /upcycle/upcycle and the records in `records`; the disk partman
/// would take is `disk`; the preseed came from `url` (serve's, or none). Returns the exit
/// code and the stand-ins' log.
fn run_early_command(
    dir: &Path,
    early: &str,
    binary: &str,
    records: &Path,
    disk: &str,
    url: &str,
) -> (Option<i32>, String) {
    let log = dir.join("log");
    let bin = stand_ins(dir, &log);
    let command = early
        .replace("/upcycle/upcycle", binary)
        .replace(
            "/usr/share/debconf/confmodule",
            dir.join("confmodule").to_str().unwrap(),
        )
        .replace("/var/lib/upcycle/erasure", records.to_str().unwrap())
        .replace("/tmp/upcycle-erase", dir.join("upcycle-erase").to_str().unwrap());
    let out = Command::new("busybox")
        .args(["sh", "-c", &command])
        .env("PATH", format!("{}:/usr/sbin:/usr/bin:/sbin:/bin", bin.display()))
        .env("UPCYCLE_TEST_DISK", disk)
        .env("UPCYCLE_TEST_URL", url)
        .env_remove("http_proxy")
        .output()
        .expect("busybox is installed (d-i's shell)");
    let log = std::fs::read_to_string(&log).unwrap_or_default();
    (
        out.status.code(),
        format!("{log}\n--- stderr:\n{}", String::from_utf8_lossy(&out.stderr)),
    )
}

#[test]
fn the_installers_command_erases_the_install_disk_or_stops_the_install() {
    let dir = tempfile::tempdir().unwrap();
    let w = workshop(dir.path(), "erase: {before_install: true, method: overwrite}");
    let named = std::fs::read_to_string(&w).unwrap().replace(
        "  workshop_name: \"\"",
        "  workshop_name: \"Schul-Werkstatt K\u{f6}ln 'Nord'\"",
    );
    assert!(named.contains("K\u{f6}ln"));
    std::fs::write(&w, named).unwrap();
    let bundles = t40_bundle(dir.path(), Some(&w));
    let preseed = std::fs::read_to_string(bundles.join("schule-001/preseed.cfg")).unwrap();
    let early = upcycle::preseed::value(&preseed, "partman/early_command").unwrap();
    let binary = env!("CARGO_BIN_EXE_upcycle");
    // the workshop's serve, where the preseed came from (route 2: url=)
    let server = crate::serve::Server::start(&bundles, &["--lang", "de"]);
    let url = format!("http://127.0.0.1:{}/schule-001/preseed.cfg", server.port);

    // The disk partman would take: erased, recorded, the record in serve's ledger.
    let l = Loop::new(&dir.path().join("disk.img"), 32);
    fill(&l);
    let ok = dir.path().join("ok");
    std::fs::create_dir(&ok).unwrap();
    let records = ok.join("records");
    // upcycle, then 3 s more: the screen's loop (every 2 s) sees the last progress line
    let slow = dir.path().join("slow-upcycle");
    std::fs::write(&slow, format!("#!/bin/sh\n{binary} \"$@\"; r=$?; sleep 3; exit $r\n")).unwrap();
    std::fs::set_permissions(&slow, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let (code, log) = run_early_command(&ok, &early, slow.to_str().unwrap(), &records, l.path(), &url);
    assert_eq!(code, Some(0), "{log}");
    assert!(is_zero(&l.dev), "the install disk reads as zeros");
    let recs = record_in(&records);
    assert_eq!(recs.len(), 1, "{log}");
    assert_eq!(recs[0].1["status"], "erased");
    // who and where, for the record (NIST): from the workshop file the bundle was made with
    assert_eq!(recs[0].1["operator"], "Debian-Installer, unbeaufsichtigt (schule-001)");
    assert_eq!(recs[0].1["workshop"], "Schul-Werkstatt K\u{f6}ln 'Nord'");
    assert!(!log.contains("upcycle/erase-failed"), "{log}");
    // d-i's progress bar, fed from upcycle's progress file: German, ASCII, the disk named
    assert!(
        log.contains("Template: upcycle/erase-progress\nType: text\nDescription: Festplatte ${DISK} wird geloescht"),
        "{log}"
    );
    assert!(
        log.contains("Description: Ueberschreiben mit Nullen: ${DONE} von ${TOTAL} MiB"),
        "{log}"
    );
    assert!(
        log.contains(&format!(
            "subst upcycle/erase-progress DISK {}\nprogress START 0 1000 upcycle/erase-progress\n",
            l.path()
        )),
        "{log}"
    );
    assert!(
        log.contains(
            "progress SET 1000\nsubst upcycle/erase-progress-verify DONE 32\nsubst upcycle/erase-progress-verify TOTAL 32\nprogress INFO upcycle/erase-progress-verify\n"
        ),
        "{log}"
    );
    assert!(log.contains("progress STOP"), "{log}");
    // one bar over both phases, never back (the overwrite is its first half: verify full)
    let set: Vec<u32> = log
        .lines()
        .filter_map(|l| l.strip_prefix("progress SET ")?.parse().ok())
        .collect();
    assert!(
        set.windows(2).all(|w| w[0] <= w[1]) && set.last() == Some(&1000),
        "{set:?}"
    );
    // the record's SHA-256 to d-i's syslog (and so to serve, when it gets the log)
    let bytes = std::fs::read(&recs[0].0).unwrap();
    let sha = upcycle::erase::record::sha256_hex(&bytes);
    let file = recs[0].0.file_name().unwrap().to_str().unwrap().to_string();
    assert!(
        log.contains(&format!(
            "logger -t upcycle erasure record {sha}  {}",
            recs[0].0.display()
        )),
        "{log}"
    );
    assert!(
        log.contains(&format!(
            "logger -t upcycle erasure record sent to upcycle serve: {}",
            recs[0].0.display()
        )),
        "{log}"
    );
    // ... and the whole record to serve: an `erased` event, as `status` and `log` show it
    server.wait_for_line("schule-001: Löschprotokoll des Installers für");
    let ledger = upcycle::ledger::Ledger::open_existing(&bundles.join(upcycle::ledger::FILE_NAME)).unwrap();
    let m = ledger.machine("schule-001").unwrap().unwrap();
    let erased: Vec<_> = ledger
        .events_for(m.id)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "erased")
        .collect();
    assert_eq!(erased.len(), 1);
    let d = &erased[0].details;
    assert_eq!(
        (
            d["record_sha256"].as_str(),
            d["record_file"].as_str(),
            d["result"].as_str()
        ),
        (Some(sha.as_str()), Some(file.as_str()), Some("erased"))
    );
    assert_eq!(d["record"]["workshop"], "Schul-Werkstatt K\u{f6}ln 'Nord'");
    let status = crate::support::upcycle(&["status", "--ledger", bundles.to_str().unwrap(), "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(rows[0]["erasure"]["result"], "erased", "{rows:#}");

    // serve not there: the record stays (late_command copies it), the syslog says so
    drop(server);
    let l3 = Loop::new(&dir.path().join("disk3.img"), 8);
    fill(&l3);
    let away = dir.path().join("away");
    std::fs::create_dir(&away).unwrap();
    let (code, log) = run_early_command(&away, &early, binary, &away.join("records"), l3.path(), &url);
    assert_eq!(code, Some(0), "{log}");
    assert_eq!(record_in(&away.join("records")).len(), 1);
    assert!(
        log.contains("logger -t upcycle erasure record not sent to upcycle serve: "),
        "{log}"
    );

    // No such disk: the error on the screen, exit 1 (d-i stops before partitioning).
    let bad = dir.path().join("bad");
    std::fs::create_dir(&bad).unwrap();
    let (code, log) = run_early_command(
        &bad,
        &early,
        binary,
        &bad.join("records"),
        "/dev/upcycle-no-such-disk",
        "",
    );
    assert_eq!(code, Some(1), "{log}");
    assert!(log.contains("loadtemplate upcycle"), "{log}");
    assert!(
        log.contains("Template: upcycle/erase-failed\nType: error\nDescription: Loeschen fehlgeschlagen"),
        "{log}"
    );
    assert!(
        log.contains("subst upcycle/erase-failed DISK /dev/upcycle-no-such-disk"),
        "{log}"
    );
    assert!(log.contains("input critical upcycle/erase-failed\ngo"), "{log}");

    // No upcycle in the initrd: the same, with code 127.
    let missing = dir.path().join("missing");
    std::fs::create_dir(&missing).unwrap();
    let l2 = Loop::new(&dir.path().join("disk2.img"), 8);
    fill(&l2);
    let (code, log) = run_early_command(
        &missing,
        &early,
        "/nonexistent/upcycle",
        &missing.join("r"),
        l2.path(),
        "",
    );
    assert_eq!(code, Some(1), "{log}");
    assert!(log.contains("subst upcycle/erase-failed CODE 127"), "{log}");
    assert!(!is_zero(&l2.dev), "nothing erased");
}

#[test]
fn an_ubuntu_bundle_of_an_erasing_workshop_says_it_does_not_erase() {
    let dir = tempfile::tempdir().unwrap();
    let w = workshop(dir.path(), "erase: {before_install: true}");
    let root = fixtures_dir().join("lenovo-thinkpad-t420-battery-wear").join("root");
    let out = dir.path().join("out");
    let run = generate(
        &root,
        &out,
        &["--workshop", w.to_str().unwrap(), "--profile", "ubuntu-24.04-desktop"],
    );
    assert!(run.status.success(), "{}", stderr(&run));
    for name in ["boot.txt", "checklist.md"] {
        let text = std::fs::read_to_string(out.join("schule-001").join(name)).unwrap();
        assert!(
            text.contains("Diese Installation (Ubuntu) löscht die Festplatte nicht vorher"),
            "{name}: {text}"
        );
    }
    let user_data = std::fs::read_to_string(out.join("schule-001/user-data")).unwrap();
    assert!(!user_data.contains("upcycle erase"));
}

#[test]
fn a_hostile_workshop_name_stays_one_word_of_the_erasure_command() {
    let dir = tempfile::tempdir().unwrap();
    let w = workshop(dir.path(), "erase: {before_install: true}");
    let hostile = std::fs::read_to_string(&w).unwrap().replace(
        "  workshop_name: \"\"",
        "  workshop_name: \"x' ; reboot ; echo '$(id) `id` \\\\n\"",
    );
    std::fs::write(&w, hostile).unwrap();
    // generate wrote it: debconf-set-selections -c and shellcheck passed, no backslash
    let preseed = t40_preseed(dir.path(), Some(&w));
    let early = upcycle::preseed::value(&preseed, "partman/early_command").unwrap();
    assert!(!early.contains('\\'), "{early}");
    let at = early.find("--workshop-name ").unwrap() + "--workshop-name ".len();
    let word = &early[at..at + early[at..].find(" --record ").unwrap()];
    // the shell reads it as the one word it was (a backslash as /), nothing runs
    let out = Command::new("busybox")
        .args(["sh", "-c", &format!("printf %s {word}")])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "x' ; reboot ; echo '$(id) `id` /n",
        "{word}"
    );
}
