//! The binary as a volunteer runs it: formats, files, exit codes, help.

use std::os::unix::fs::FileTypeExt;

use crate::support::{fixtures_dir, stderr, stdout, upcycle};
use upcycle::report::HardwareReport;

fn t40() -> String {
    fixtures_dir()
        .join("ibm-thinkpad-t40/root")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn probe_prints_yaml_json_and_text() {
    let yaml = upcycle(&["probe", "--root", &t40(), "--format", "yaml"]);
    assert!(yaml.status.success(), "{}", stderr(&yaml));
    let from_yaml: HardwareReport = upcycle::yaml::from_str(&stdout(&yaml)).unwrap();
    assert!(from_yaml.cpu.forcepae);

    let json = upcycle(&["probe", "--root", &t40(), "--format", "json"]);
    let from_json: HardwareReport = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(from_json, from_yaml);

    let text = upcycle(&["probe", "--root", &t40(), "--format", "text"]);
    let text = stdout(&text);
    assert!(
        text.lines().any(|l| l.starts_with("CPU") && l.contains("Pentium(R) M")),
        "{text}"
    );
    assert!(text.contains("forcepae"), "{text}");
}

#[test]
fn probe_writes_a_file_and_defaults_to_yaml_when_piped() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("t40.yaml");
    let run = upcycle(&["probe", "--root", &t40(), "-o", out.to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(stdout(&run).is_empty());
    let written: HardwareReport = upcycle::yaml::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    // stdout is a pipe here, so the default is YAML too.
    let piped: HardwareReport = upcycle::yaml::from_str(&stdout(&upcycle(&["probe", "--root", &t40()]))).unwrap();
    assert_eq!(written, piped);
    // Nothing but the report is left in the directory (no temp files).
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
}

/// `-o` at a folder, below a file or in a missing folder is a wrong command line (2), not an
/// internal error (1); an existing file is replaced only with `--force` (4), as `capture`
/// does; the file is left as it was.
#[test]
fn outputs_that_cannot_be_written_are_refused_before_any_work() {
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("t40.yaml");
    assert!(
        upcycle(&["probe", "--root", &t40(), "-o", report.to_str().unwrap()])
            .status
            .success()
    );
    let notes = tmp.path().join("notes.txt");
    std::fs::write(&notes, "Raum 12: 14 Laptops\n").unwrap();
    let folder = tmp.path().join("folder");
    std::fs::create_dir(&folder).unwrap();
    let (notes_s, folder_s) = (notes.to_str().unwrap(), folder.to_str().unwrap());
    let below_file = format!("{notes_s}/x.yaml");
    let missing = tmp.path().join("missing/x.yaml");
    let missing = missing.to_str().unwrap();
    let report_s = report.to_str().unwrap();
    let root = t40();
    let probe = |o: &str, extra: &[&str]| {
        let mut args = vec!["probe", "--root", &root, "-o", o];
        args.extend(extra);
        upcycle(&args)
    };
    let select = |o: &str, extra: &[&str]| {
        let mut args = vec!["select", report_s, "--today", "2026-11-25", "-o", o];
        args.extend(extra);
        upcycle(&args)
    };
    for (name, run) in [
        ("probe", &probe as &dyn Fn(&str, &[&str]) -> std::process::Output),
        ("select", &select),
    ] {
        for (out, code, says) in [
            (
                notes_s,
                4,
                "exists already: choose another name or add --force".to_string(),
            ),
            (folder_s, 2, format!("-o {folder_s} is a folder")),
            (below_file.as_str(), 2, format!("{notes_s} is a file, not a folder")),
            (missing, 2, "does not exist".to_string()),
        ] {
            let r = run(out, &[]);
            assert_eq!(r.status.code(), Some(code), "{name} -o {out}: {}", stderr(&r));
            assert!(stderr(&r).contains(&says), "{name} -o {out}: {}", stderr(&r));
            assert_eq!(std::fs::read_to_string(&notes).unwrap(), "Raum 12: 14 Laptops\n");
        }
        // --force replaces the file with the output
        let forced = run(notes_s, &["--force"]);
        assert!(forced.status.success(), "{name}: {}", stderr(&forced));
        assert!(std::fs::read_to_string(&notes).unwrap().starts_with("schema: upcycle."));
        std::fs::write(&notes, "Raum 12: 14 Laptops\n").unwrap();
    }
    // a pipe (like /dev/null, a device) would be replaced by the rename: never, even forced
    let fifo = tmp.path().join("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for run in [&probe as &dyn Fn(&str, &[&str]) -> std::process::Output, &select] {
        let r = run(fifo.to_str().unwrap(), &["--force"]);
        assert_eq!(r.status.code(), Some(2), "{}", stderr(&r));
        assert!(stderr(&r).contains("is a device or a pipe"), "{}", stderr(&r));
        assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    }
    // capture: a .tar.gz below a file or at a folder; a capture folder at a file
    let r = upcycle(&["capture", "--root", &root, "-o", &format!("{notes_s}/x.tar.gz")]);
    assert_eq!(r.status.code(), Some(2), "{}", stderr(&r));
    std::fs::create_dir(tmp.path().join("f.tar.gz")).unwrap();
    let r = upcycle(&[
        "capture",
        "--root",
        &root,
        "-o",
        tmp.path().join("f.tar.gz").to_str().unwrap(),
    ]);
    assert_eq!(r.status.code(), Some(2), "{}", stderr(&r));
    let r = upcycle(&["capture", "--root", &root, "-o", notes_s, "--force"]);
    assert_eq!(r.status.code(), Some(2), "{}", stderr(&r));
    assert!(stderr(&r).contains("is a file, not a folder"), "{}", stderr(&r));
    // folders of bundles: a file there or on the way
    for cmd in ["generate", "batch"] {
        for out in [notes_s, below_file.as_str()] {
            let r = upcycle(&[cmd, report_s, "-o", out, "--skip-validator", "shellcheck"]);
            assert_eq!(r.status.code(), Some(2), "{cmd} -o {out}: {}", stderr(&r));
            assert!(stderr(&r).contains("is a file, not a folder"), "{cmd}: {}", stderr(&r));
        }
    }
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "Raum 12: 14 Laptops\n");
}

#[test]
fn a_missing_root_is_bad_input_with_a_clear_message() {
    let run = upcycle(&["probe", "--root", "/nonexistent/capture"]);
    assert_eq!(run.status.code(), Some(3));
    assert!(
        stderr(&run).contains("/nonexistent/capture does not exist"),
        "{}",
        stderr(&run)
    );
    let tmp = tempfile::tempdir().unwrap();
    let run = upcycle(&["probe", "--root", tmp.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(3));
    assert!(stderr(&run).contains("neither proc/ nor sys/"), "{}", stderr(&run));
}

#[test]
fn usage_errors_exit_2_and_help_teaches() {
    assert_eq!(upcycle(&["probe", "--format", "xml"]).status.code(), Some(2));
    let help = stdout(&upcycle(&["probe", "--help"]));
    assert!(help.contains("--root") && help.contains("Examples"), "{help}");
    let top = stdout(&upcycle(&["--help"]));
    assert!(top.contains("probe") && top.contains("capture"), "{top}");
}

/// `--version` names the data the binary carries (the profiles, the firmware maps, the id
/// databases, the package lists), in the terminal's language; `-V` only the version.
#[test]
fn version_names_the_data_it_carries() {
    let long = upcycle(&["--version"]);
    assert_eq!(long.status.code(), Some(0));
    let text = stdout(&long);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], format!("upcycle {}", env!("CARGO_PKG_VERSION")), "{text}");
    let profiles = std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "yaml"))
        .count();
    assert!(lines[1].starts_with(&format!("{profiles} profiles: ")), "{text}");
    assert!(
        text.contains("firmware map trixie (Debian 13): made on 2026-"),
        "{text}"
    );
    assert!(text.contains("firmware map bookworm (Debian 12)"), "{text}");
    assert!(
        text.contains("pci.ids 20") && text.contains("debian-12-bookworm-i386"),
        "{text}"
    );
    let german = crate::support::upcycle_env(&[("LANG", "de_DE.UTF-8")], &["--version"]);
    assert!(
        stdout(&german).contains(&format!("{profiles} Profile: ")),
        "{}",
        stdout(&german)
    );
    let short = stdout(&upcycle(&["-V"]));
    assert_eq!(short.trim(), format!("upcycle {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn redact_replaces_serials_and_macs() {
    let tmp = tempfile::tempdir().unwrap();
    let net = tmp.path().join("sys/devices/pci0000:00/0000:00:19.0/net/eth0");
    std::fs::create_dir_all(&net).unwrap();
    std::fs::create_dir_all(tmp.path().join("sys/class/net")).unwrap();
    std::fs::create_dir_all(tmp.path().join("sys/bus/pci/devices")).unwrap();
    std::os::unix::fs::symlink(
        "../../devices/pci0000:00/0000:00:19.0/net/eth0",
        tmp.path().join("sys/class/net/eth0"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        "../../../devices/pci0000:00/0000:00:19.0",
        tmp.path().join("sys/bus/pci/devices/0000:00:19.0"),
    )
    .unwrap();
    std::os::unix::fs::symlink("../../../0000:00:19.0", net.join("device")).unwrap();
    let pci = tmp.path().join("sys/devices/pci0000:00/0000:00:19.0");
    for (f, v) in [("vendor", "0x8086"), ("device", "0x1502"), ("class", "0x020000")] {
        std::fs::write(pci.join(f), format!("{v}\n")).unwrap();
    }
    std::fs::write(net.join("address"), "f0:de:f1:12:34:56\n").unwrap();
    let dmi = tmp.path().join("sys/class/dmi/id");
    std::fs::create_dir_all(&dmi).unwrap();
    std::fs::write(dmi.join("product_serial"), "R9-ABCDE\n").unwrap();

    let root = tmp.path().to_str().unwrap();
    let plain = stdout(&upcycle(&["probe", "--root", root, "--format", "json"]));
    assert!(
        plain.contains("f0:de:f1:12:34:56") && plain.contains("R9-ABCDE"),
        "{plain}"
    );
    let redacted = stdout(&upcycle(&["probe", "--root", root, "--format", "json", "--redact"]));
    assert!(
        !redacted.contains("f0:de:f1:12:34:56") && !redacted.contains("R9-ABCDE"),
        "{redacted}"
    );
    let report: HardwareReport = serde_json::from_str(&redacted).unwrap();
    assert!(report.probe.redacted);
    assert_eq!(
        report.network[0].mac.as_deref(),
        Some(upcycle::redact::mac_for("eth0").as_str())
    );
}

/// Reports nested 10,000 deep (libyaml took 48 s on one) and larger than 4 MiB are refused
/// at once with exit code 3 and the line; a hang detector, not a speed test.
#[test]
fn deeply_nested_and_huge_reports_are_refused_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "flow.yaml",
            format!(
                "schema: upcycle.report/v1\nmachine: {}{}\n",
                "[".repeat(10_000),
                "]".repeat(10_000)
            ),
            "line 2, column 73: nested deeper than 64 levels",
        ),
        (
            "block.yaml",
            format!("schema: upcycle.report/v1\nmachine:\n  {}x\n", "- ".repeat(10_000)),
            "line 3, column 129: nested deeper than 64 levels",
        ),
        (
            "huge.yaml",
            format!(
                "schema: upcycle.report/v1\nmachine: {{model: {}}}\n",
                "x".repeat(5 << 20)
            ),
            "at most 4194304 (4 MiB)",
        ),
    ];
    for (name, text, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let started = std::time::Instant::now();
        let run = upcycle(&["select", path.to_str().unwrap(), "--today", "2026-11-25"]);
        assert!(started.elapsed().as_secs() < 30, "{name} took {:?}", started.elapsed());
        assert_eq!(run.status.code(), Some(3), "{name}: {}", stderr(&run));
        assert!(stderr(&run).contains(expected), "{name}: {}", stderr(&run));
    }
}
