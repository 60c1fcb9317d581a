//! German first for errors too (issue 16): the error a volunteer meets is said in the
//! terminal's language (German by default, English with `--lang en`), with the same exit
//! code in both.

use std::path::Path;
use std::process::Output;

use crate::support::{stderr, upcycle_env};

const GERMAN_TERMINAL: &[(&str, &str)] = &[("LANG", "de_DE.UTF-8")];

/// Run in German (`LANG=de_DE.UTF-8`) and in English (`--lang en`): both fail with `code`,
/// and stderr is exactly `de` and `en` (one line each, with the terminal's prefix).
fn says(args: &[&str], code: i32, de: &str, en: &str) {
    let german = upcycle_env(GERMAN_TERMINAL, args);
    assert_eq!(german.status.code(), Some(code), "{}", stderr(&german));
    assert_eq!(stderr(&german).trim_end(), de);
    let mut english_args = args.to_vec();
    english_args.extend(["--lang", "en"]);
    let english: Output = upcycle_env(GERMAN_TERMINAL, &english_args);
    assert_eq!(english.status.code(), Some(code), "{}", stderr(&english));
    assert_eq!(stderr(&english).trim_end(), en);
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn l10n_errors_a_missing_root_is_said_in_german() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("fehlt");
    says(
        &["probe", "--root", p(&root)],
        3,
        &format!("Fehler: Die Wurzel {} gibt es nicht", root.display()),
        &format!("error: root {} does not exist", root.display()),
    );
    let empty = tmp.path().join("leer");
    std::fs::create_dir(&empty).unwrap();
    says(
        &["probe", "--root", p(&empty)],
        3,
        &format!(
            "Fehler: Die Wurzel {} enthält weder proc/ noch sys/: Ist sie wirklich der oberste Ordner einer Erfassung?",
            empty.display()
        ),
        &format!(
            "error: root {} holds neither proc/ nor sys/: is it the top of a capture?",
            empty.display()
        ),
    );
}

#[test]
fn l10n_errors_a_bad_report_is_said_in_german() {
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("laptop.yaml");
    std::fs::write(&report, "schema: upcycle.report/v0\n").unwrap();
    says(
        &["select", p(&report)],
        3,
        &format!(
            "Fehler: {}: Das Schema `upcycle.report/v0` wird nicht unterstützt (dieses upcycle liest upcycle.report/v1)",
            report.display()
        ),
        &format!(
            "error: {}: schema `upcycle.report/v0` is not supported (this upcycle reads upcycle.report/v1)",
            report.display()
        ),
    );
    // serde's detail stays as it is; where it is, is said in German.
    std::fs::write(&report, "x: [\n").unwrap();
    let german = upcycle_env(GERMAN_TERMINAL, &["select", p(&report)]);
    assert_eq!(german.status.code(), Some(3));
    assert!(
        stderr(&german).starts_with(&format!(
            "Fehler: {}: kein Bericht in YAML oder JSON: Zeile 2, Spalte 1: ",
            report.display()
        )),
        "{}",
        stderr(&german)
    );
}

#[test]
fn l10n_errors_a_bad_capture_archive_is_said_in_german() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = tmp.path().join("laptop.tar.gz");
    // `..` in an entry: refused before anything is written
    let gz = flate2::write::GzEncoder::new(std::fs::File::create(&archive).unwrap(), flate2::Compression::fast());
    let mut b = tar::Builder::new(gz);
    let mut h = tar::Header::new_gnu();
    h.set_mode(0o644);
    h.set_size(0);
    let name = "sys/../../x";
    h.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
    h.set_cksum();
    b.append(&h, std::io::empty()).unwrap();
    b.into_inner().unwrap().finish().unwrap();
    says(
        &["probe", "--root", p(&archive)],
        3,
        &format!(
            "Fehler: Die Erfassung {} lässt sich nicht entpacken: Der Eintrag \"sys/../../x\" steigt mit `..` nach oben: nicht entpackt",
            archive.display()
        ),
        &format!(
            "error: cannot unpack the capture {}: entry \"sys/../../x\" climbs with `..`: not unpacked",
            archive.display()
        ),
    );
}
