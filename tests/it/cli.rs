//! The binary as a volunteer runs it: formats, files, exit codes, help.

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
