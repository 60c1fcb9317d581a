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

/// The shipped workshop file with one line changed.
fn workshop_with(dir: &Path, from: &str, to: &str) -> std::path::PathBuf {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/workshop-default.yaml")).unwrap();
    assert!(text.contains(from), "{from}");
    let path = dir.join("kaputt.yaml");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

#[test]
fn l10n_errors_a_bad_workshop_file_is_said_in_german() {
    let tmp = tempfile::tempdir().unwrap();
    let report = crate::support::fixtures_dir().join("ibm-thinkpad-t40/root");
    let out = tmp.path().join("raum");
    let run = |workshop: &Path| {
        vec![
            "batch".to_string(),
            p(&report).to_string(),
            "-o".into(),
            p(&out).to_string(),
            "--workshop".into(),
            p(workshop).to_string(),
        ]
    };
    let says_for = |workshop: &Path, de: &str, en: &str| {
        let args = run(workshop);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        says(
            &args,
            3,
            &format!("Fehler: {}: {de}", workshop.display()),
            &format!("error: {}: {en}", workshop.display()),
        );
    };
    let proxy = workshop_with(tmp.path(), "proxy: null", "proxy: \"192.168.1.10:3142\"");
    says_for(
        &proxy,
        "Zeile 17: proxy: \"192.168.1.10:3142\" ist keine http://-Adresse wie http://192.168.1.10:3142/",
        "line 17: proxy: \"192.168.1.10:3142\" is not an http:// URL such as http://192.168.1.10:3142/",
    );
    // serde's unknown field, said in German with the same list
    let unknown = workshop_with(tmp.path(), "language: de", "sprache: de");
    let fields = "`locale`, `keyboard`, `timezone`, `language`, `mirror`, `proxy`, `hostname`, `accounts`, `extra_packages`, `privacy`, `selection`, `accessibility`, `workshop_pc`, `install_route`, `passport`, `erase`";
    says_for(
        &unknown,
        &format!("Zeile 10: unbekanntes Feld `sprache`, erwartet wird eines von {fields}"),
        &format!("line 10: unknown field `sprache`, expected one of {fields}"),
    );
    let mode = workshop_with(tmp.path(), "mode: first-boot", "mode: fest");
    says_for(
        &mode,
        "Zeile 31: accounts.mode: unbekanntes Wort `fest`, erwartet wird `first-boot` oder `fixed`",
        "line 31: accounts.mode: unknown variant `fest`, expected `first-boot` or `fixed`",
    );
    // a missing file: the context in German, the system's cause as it is
    let missing = tmp.path().join("fehlt.yaml");
    let args = run(&missing);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let german = upcycle_env(GERMAN_TERMINAL, &args);
    assert_eq!(german.status.code(), Some(3));
    assert!(
        stderr(&german).starts_with(&format!(
            "Fehler: Die Werkstattdatei {} lässt sich nicht lesen\n  Ursache: ",
            missing.display()
        )),
        "{}",
        stderr(&german)
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn l10n_errors_an_unusable_catalog_is_said_in_german() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("x.yaml"), "name: [\n").unwrap();
    let report = crate::support::fixtures_dir().join("ibm-thinkpad-t40/root");
    says(
        &["select", p(&report), "--profiles", p(tmp.path())],
        3,
        "Fehler: Der Profilkatalog ist nicht brauchbar\n  Ursache: Der Katalog hat 1 Problem:\n  x.yaml:1: name: falsche Art von Wert: eine Liste, erwartet eine Zuordnung (Zeilen `Schlüssel: Wert`)",
        "error: the profile catalog is not usable\n  caused by: the catalog has 1 problem(s):\n  x.yaml:1: name: wrong kind of value: a list, expected a mapping (`key: value` lines)",
    );
}

#[test]
fn l10n_errors_a_missing_or_foreign_ledger_is_said_in_german() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nix");
    says(
        &["status", "--ledger", p(&missing)],
        3,
        &format!(
            "Fehler: Unter {} gibt es kein Werkstattbuch: die Werkstattbuch-Datei angeben oder den Werkstattordner, der upcycle-ledger.sqlite enthält (--ledger)",
            missing.display()
        ),
        &format!(
            "error: there is no ledger at {}: give the ledger file or the workshop folder holding upcycle-ledger.sqlite (--ledger)",
            missing.display()
        ),
    );
    let foreign = tmp.path().join("fremd.sqlite");
    std::fs::write(&foreign, "kein Werkstattbuch\n").unwrap();
    let german = upcycle_env(GERMAN_TERMINAL, &["status", "--ledger", p(&foreign)]);
    assert_eq!(german.status.code(), Some(3));
    assert!(
        stderr(&german).starts_with(&format!(
            "Fehler: {} ist kein Werkstattbuch von upcycle oder ist beschädigt (",
            foreign.display()
        )),
        "{}",
        stderr(&german)
    );
    assert_eq!(
        std::fs::read_to_string(&foreign).unwrap(),
        "kein Werkstattbuch\n",
        "left as it is"
    );
}

#[test]
fn l10n_errors_a_wrong_output_path_is_said_in_german() {
    let tmp = tempfile::tempdir().unwrap();
    let root = crate::support::fixtures_dir().join("ibm-thinkpad-t40/root");
    let existing = tmp.path().join("x220.yaml");
    std::fs::write(&existing, "schon da\n").unwrap();
    says(
        &["probe", "--root", p(&root), "-o", p(&existing)],
        4,
        &format!(
            "Fehler: {} gibt es schon: einen anderen Namen wählen oder --force angeben",
            existing.display()
        ),
        &format!(
            "error: {} exists already: choose another name or add --force",
            existing.display()
        ),
    );
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "schon da\n");
    says(
        &["probe", "--root", p(&root), "-o", p(tmp.path())],
        2,
        &format!(
            "Fehler: -o {} ist ein Ordner: einen Dateinamen darin angeben, z. B. -o {}",
            tmp.path().display(),
            tmp.path().join("laptop.yaml").display()
        ),
        &format!(
            "error: -o {} is a folder: give a file name in it, e.g. -o {}",
            tmp.path().display(),
            tmp.path().join("laptop.yaml").display()
        ),
    );
    let nowhere = tmp.path().join("nix/x.yaml");
    says(
        &["select", p(&root), "-o", p(&nowhere)],
        2,
        &format!(
            "Fehler: -o {}: den Ordner {} gibt es nicht: ihn zuerst anlegen oder ein anderes -o wählen",
            nowhere.display(),
            tmp.path().join("nix").display()
        ),
        &format!(
            "error: -o {}: the folder {} does not exist: create it first or choose another -o",
            nowhere.display(),
            tmp.path().join("nix").display()
        ),
    );
    says(
        &["batch", p(&root), "-o", p(&existing)],
        2,
        &format!(
            "Fehler: -o {} ist eine Datei, kein Ordner: ein anderes -o wählen",
            existing.display()
        ),
        &format!(
            "error: -o {} is a file, not a folder: choose another -o",
            existing.display()
        ),
    );
}

#[test]
fn l10n_errors_a_missing_validator_is_said_in_german() {
    let tmp = tempfile::tempdir().unwrap();
    // a PATH with bash and debconf-set-selections only, if this PC has them
    let bin = tmp.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    for tool in ["bash", "debconf-set-selections"] {
        if let Some(found) = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .map(|d| d.join(tool))
            .find(|p| p.is_file())
        {
            std::os::unix::fs::symlink(found, bin.join(tool)).unwrap();
        }
    }
    let root = crate::support::fixtures_dir().join("ibm-thinkpad-t40/root");
    let out = tmp.path().join("raum");
    let args = [
        "generate",
        p(&root),
        "-o",
        p(&out),
        "--skip-validator",
        "debconf",
        "--skip-validator",
        "bash",
    ];
    let path = bin.to_str().unwrap();
    let german = upcycle_env(&[("LANG", "de_DE.UTF-8"), ("PATH", path)], &args);
    assert_eq!(german.status.code(), Some(1), "{}", stderr(&german));
    assert_eq!(
        stderr(&german).trim_end(),
        "Fehler: shellcheck ist nicht installiert: es installieren (apt-get install shellcheck) oder --skip-validator shellcheck angeben, um Bündel zu schreiben, die damit nicht geprüft wurden"
    );
    let english = upcycle_env(
        &[("LANG", "de_DE.UTF-8"), ("PATH", path)],
        &[&args[..], &["--lang", "en"]].concat(),
    );
    assert_eq!(english.status.code(), Some(1));
    assert_eq!(
        stderr(&english).trim_end(),
        "error: shellcheck is not installed: install it (apt-get install shellcheck), or pass --skip-validator shellcheck to write bundles that were not checked by it"
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn l10n_errors_a_folder_that_is_no_bundle_is_said_in_german() {
    let tmp = tempfile::tempdir().unwrap();
    let room = tmp.path().join("raum-12");
    std::fs::create_dir(&room).unwrap();
    let stick = tmp.path().join("stick-001");
    says(
        &["media", "usb", p(&room), "-o", p(&stick)],
        3,
        &format!(
            "Fehler: {}: kein Bündel-Ordner (keine selection.yaml); Ordner angeben, die `upcycle generate` oder `batch` erzeugt hat",
            room.display()
        ),
        &format!(
            "error: {}: not a bundle folder (no selection.yaml); give folders made by `upcycle generate` or `batch`",
            room.display()
        ),
    );
}

/// clap says command-line mistakes in English only: upcycle says the common ones in German,
/// with clap's exit code (2), the suggestion and the usage; English keeps clap's own words.
#[test]
fn l10n_errors_command_line_mistakes_are_said_in_german() {
    let german = upcycle_env(GERMAN_TERMINAL, &["probe", "--rot", "x"]);
    assert_eq!(german.status.code(), Some(2), "{}", stderr(&german));
    assert_eq!(
        stderr(&german).trim_end(),
        "Fehler: unbekannte Option --rot\nGemeint: --root?\n\n\
         Aufruf: upcycle probe --root <DIR|FILE.tar.gz>\n\
         Mehr dazu: upcycle --help, oder --help hinter dem Befehl"
    );
    let value = upcycle_env(GERMAN_TERMINAL, &["probe", "--format", "xml"]);
    assert_eq!(value.status.code(), Some(2), "{}", stderr(&value));
    assert!(
        stderr(&value)
            .starts_with("Fehler: „xml“ ist kein möglicher Wert für --format <FORMAT> (möglich: text, yaml, json)\n"),
        "{}",
        stderr(&value)
    );
    let command = upcycle_env(GERMAN_TERMINAL, &["prob"]);
    assert_eq!(command.status.code(), Some(2), "{}", stderr(&command));
    assert!(
        stderr(&command).starts_with("Fehler: unbekannter Befehl „prob“\n"),
        "{}",
        stderr(&command)
    );
    // English: clap's own message
    let english = upcycle_env(GERMAN_TERMINAL, &["probe", "--rot", "x", "--lang", "en"]);
    assert_eq!(english.status.code(), Some(2), "{}", stderr(&english));
    assert!(
        stderr(&english).contains("unexpected argument '--rot' found"),
        "{}",
        stderr(&english)
    );
    // help is still help, in German
    let help = upcycle_env(GERMAN_TERMINAL, &["probe", "--help"]);
    assert_eq!(help.status.code(), Some(0), "{}", stderr(&help));
}
