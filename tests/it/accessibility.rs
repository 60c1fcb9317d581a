//! Barrierefreiheit: a bundle with the recipient's aids installs their packages, turns
//! them on for every session and the first-boot wizard, says so on the checklist in
//! German, and every file still passes the real validators (validate.rs: shellcheck,
//! bash -n, debconf-set-selections -c; here also glib-compile-schemas --strict for the
//! gsettings defaults and desktop-file-validate for the autostart entries).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;

use crate::support::{fixtures_dir, generate, probe_dir, stderr, upcycle};
use upcycle::accessibility::Aid;
use upcycle::l10n::Lang;
use upcycle::render::Templates;
use upcycle::workshop::Workshop;
use upcycle::{ops, validate};

/// The text between `<<'MARK'` after `starts` and the line `MARK` (a heredoc of postinstall.sh).
fn heredoc(script: &str, starts: &str, mark: &str) -> String {
    let from = script
        .find(starts)
        .unwrap_or_else(|| panic!("no {starts:?} in postinstall.sh"));
    let body = &script[from..];
    let open = format!("<<'{mark}'\n");
    let start = body.find(&open).unwrap() + open.len();
    let end = body[start..].find(&format!("\n{mark}\n")).unwrap();
    body[start..start + end].to_string()
}

fn tool(cmd: &str, args: &[&str]) -> std::process::Output {
    Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} (scripts/test.sh installs it): {e}"))
}

/// One machine's bundle through the operation `generate` runs (select, render, the
/// in-process checks, then the real validators), with these aids.
fn bundle(slug: &str, profile: Option<&str>, aids: &[Aid], lang: Lang) -> ops::Prepared {
    let catalog = upcycle::catalog::load::load(None).unwrap().0;
    let templates = Templates::embedded().unwrap();
    let mut workshop = Workshop::embedded();
    workshop.language = lang;
    let skip = BTreeSet::new();
    let inputs = ops::Inputs {
        catalog: &catalog,
        templates: &templates,
        workshop: &workshop,
        today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        wanted: profile,
        skip: &skip,
        lang,
        accessibility: Some(aids),
    };
    let report = probe_dir(&fixtures_dir().join(slug).join("root"));
    let token = upcycle::token::InstallToken::generate();
    let made = ops::generate(&report, &inputs, "schule-001", &token).unwrap_or_else(|e| panic!("{slug}: {e}"));
    // validate.rs once more, on its own: every script and answer file passes.
    let checked = validate::validate_external(&made.bundle, &skip);
    assert!(checked.ok(), "{slug}: {}", validate::describe(&checked.errors));
    made
}

fn file<'a>(made: &'a ops::Prepared, name: &str) -> &'a str {
    made.bundle
        .files
        .iter()
        .find(|f| f.path == name)
        .unwrap_or_else(|| panic!("no {name} in the bundle"))
        .text()
}

#[test]
fn every_aid_is_installed_and_on_from_the_first_boot_wizard_on() {
    for (slug, profile, desktop) in [
        ("ibm-thinkpad-t40", None, "LXDE"),
        ("lenovo-thinkpad-x220", None, "LXQt"),
        ("dell-xps-15-9560-nvme-uefi", Some("debian-13-xfce"), "Xfce"),
    ] {
        let made = bundle(slug, profile, &Aid::ALL, Lang::De);
        let chosen = made.selection.chosen.as_ref().unwrap();
        assert!(chosen.desktop.contains(desktop), "{slug}: {}", chosen.desktop);
        // the packages: in the installer's answers and in postinstall's list
        let preseed = file(&made, "preseed.cfg");
        let include = preseed
            .lines()
            .find(|l| l.starts_with("d-i pkgsel/include string "))
            .unwrap();
        let postinstall = file(&made, "postinstall.sh");
        for p in [
            "orca",
            "speech-dispatcher",
            "speech-dispatcher-espeak-ng",
            "espeak-ng-data",
            "at-spi2-core",
            "magnus",
        ] {
            assert!(include.split(' ').any(|w| w == p), "{slug}: {p} not in {include}");
            assert!(postinstall.contains(&format!("'{p}'")), "{slug}: {p} not in PACKAGES");
            assert!(!chosen.keep_out.iter().any(|k| k == p), "{slug}: {p} kept out");
        }
        // GNOME's settings, checked by GLib's own compiler against the real schemas
        let over = heredoc(postinstall, "90_upcycle-accessibility.gschema.override", "OVERRIDE");
        for line in [
            "screen-reader-enabled=true",
            "screen-magnifier-enabled=true",
            "high-contrast=true",
            "text-scaling-factor=1.5",
            "toolkit-accessibility=true",
        ] {
            assert!(over.lines().any(|l| l == line), "{slug}: {line} not in\n{over}");
        }
        let schemas = tempfile::tempdir().unwrap();
        for e in std::fs::read_dir("/usr/share/glib-2.0/schemas").unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "xml") {
                std::fs::copy(&p, schemas.path().join(p.file_name().unwrap())).unwrap();
            }
        }
        std::fs::write(schemas.path().join("90_upcycle-accessibility.gschema.override"), &over).unwrap();
        let dir = schemas.path().to_str().unwrap();
        let c = tool("glib-compile-schemas", &["--strict", "--dry-run", dir]);
        assert!(c.status.success(), "{slug}: {}", String::from_utf8_lossy(&c.stderr));
        // the autostart entries for desktops that do not read GNOME's settings
        for (name, exec) in [
            ("upcycle-orca.desktop", "Exec=orca --replace"),
            ("upcycle-magnifier.desktop", "Exec=magnus"),
        ] {
            let entry = heredoc(postinstall, &format!("/etc/xdg/autostart/{name}"), "DESKTOP");
            assert!(entry.lines().any(|l| l == exec), "{slug}: {entry}");
            let f = tempfile::tempdir().unwrap();
            let path = f.path().join(name);
            std::fs::write(&path, format!("{entry}\n")).unwrap();
            let v = tool("desktop-file-validate", &[path.to_str().unwrap()]);
            assert!(
                v.status.success() && v.stdout.is_empty(),
                "{slug} {name}: {}",
                String::from_utf8_lossy(&v.stdout)
            );
        }
        // the session's environment: plain sh, as Xsession and profile.d source it
        let env = heredoc(postinstall, "A11Y_ENV=$(cat", "ENV");
        for line in [
            "export GTK_THEME=HighContrast",
            "export GDK_DPI_SCALE=1.5",
            "export QT_ACCESSIBILITY=1",
        ] {
            assert!(env.lines().any(|l| l == line), "{slug}: {line} not in\n{env}");
        }
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(f.path(), format!("{env}\n")).unwrap();
        let sc = tool("shellcheck", &["-s", "sh", f.path().to_str().unwrap()]);
        assert!(sc.status.success(), "{}", String::from_utf8_lossy(&sc.stdout));
        for target in [
            "/etc/X11/Xsession.d/90upcycle-accessibility",
            "/etc/profile.d/upcycle-accessibility.sh",
        ] {
            assert!(
                postinstall.contains(&format!("printf '%s\\n' \"$A11Y_ENV\" | put_file {target}\n")),
                "{slug}: {target}"
            );
        }
        // the wizard waits for Orca before its first question
        let wizard = file(&made, "firstboot-wizard.sh");
        let orca = wizard.find("orca --replace").expect("the wizard starts Orca");
        assert!(orca < wizard.find("dialog \"${args[@]}\"").unwrap());
        // the sheet says it, in German
        for sheet in ["checklist.md", "checklist.html"] {
            let text = file(&made, sheet);
            for words in [
                "Barrierefreiheit",
                "Bildschirmleser Orca mit Sprachausgabe, Bildschirmlupe, große Schrift und hoher Kontrast",
                "Orca spricht beim ersten Start",
            ] {
                assert!(text.contains(words), "{slug} {sheet}: no {words:?}");
            }
        }
        assert!(chosen.reasons.iter().any(|r| r.code == "reason-accessibility"));
    }
}

#[test]
fn without_aids_nothing_changes() {
    let made = bundle("ibm-thinkpad-t40", None, &[], Lang::De);
    let chosen = made.selection.chosen.as_ref().unwrap();
    assert!(chosen.accessibility.is_none());
    for f in &made.bundle.files {
        for word in ["orca", "magnus", "Barrierefreiheit", "HighContrast", "accessibility"] {
            assert!(!f.text().contains(word), "{} holds {word}", f.path);
        }
    }
    // and the selection file stays as older upcycles wrote it
    assert!(!file(&made, "selection.yaml").contains("accessibility"));
}

#[test]
fn one_aid_brings_only_its_own() {
    let made = bundle("lenovo-thinkpad-x220", None, &[Aid::LargeText], Lang::En);
    let postinstall = file(&made, "postinstall.sh");
    assert!(postinstall.contains("export GDK_DPI_SCALE=1.5"));
    for absent in [
        "GTK_THEME",
        "orca",
        "magnus",
        "screen-reader-enabled",
        "high-contrast=true",
    ] {
        assert!(!postinstall.contains(absent), "{absent}");
    }
    assert!(!file(&made, "firstboot-wizard.sh").contains("orca"));
    let sheet = file(&made, "checklist.md");
    assert!(sheet.contains("| **Accessibility** | **large text** |"), "{sheet}");
    assert!(sheet.contains("Magnifier, text size and contrast as wanted"));
    assert!(!sheet.contains("Orca speaks"));
}

#[test]
fn ubuntu_gets_gnome_s_own_magnifier_and_orca() {
    let made = bundle(
        "dell-xps-15-9560-nvme-uefi",
        Some("ubuntu-24.04-desktop"),
        &[Aid::ScreenReader, Aid::Magnifier],
        Lang::De,
    );
    let user_data = file(&made, "user-data");
    let doc: serde_json::Value = upcycle::yaml::from_str(user_data).unwrap();
    let packages: Vec<&str> = doc["autoinstall"]["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(packages.contains(&"orca"), "{packages:?}");
    assert!(!packages.contains(&"magnus"), "GNOME zooms itself: {packages:?}");
    let postinstall = file(&made, "postinstall.sh");
    assert!(postinstall.contains("screen-magnifier-enabled=true"));
    assert!(!postinstall.contains("upcycle-magnifier.desktop"));
}

/// The workshop file: `all` for every laptop, `machines` for one by host name; the
/// command line's `--accessibility` over both.
#[test]
fn the_workshop_chooses_for_all_and_for_single_laptops() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("workshop.yaml");
    std::fs::write(
        &ws,
        include_str!("../../data/workshop-default.yaml").replace(
            "  all: []\n  machines: {}\n",
            "  all: [large-text]\n  machines:\n    schule-002: [screen-reader, high-contrast]\n    schule-003: []\n",
        ),
    )
    .unwrap();
    let ws = ws.to_str().unwrap();
    let out = dir.path().join("out");
    let sheets = |machine: &str, extra: &[&str]| {
        let mut args = vec!["--workshop", ws];
        args.extend_from_slice(extra);
        let run = generate(&fixtures_dir().join(machine).join("root"), &out, &args);
        assert!(run.status.success(), "{}", stderr(&run));
        run
    };
    sheets("ibm-thinkpad-t40", &[]);
    sheets("lenovo-thinkpad-x220", &[]);
    sheets("asus-eeepc-1000h", &[]);
    sheets(
        "dell-latitude-d620-coreduo",
        &["--accessibility", "magnifier,screen-reader"],
    );
    let sheet = |host: &str| std::fs::read_to_string(out.join(host).join("checklist.md")).unwrap();
    let row = |host: &str| {
        sheet(host)
            .lines()
            .find(|l| l.contains("Barrierefreiheit"))
            .map(str::to_string)
    };
    assert_eq!(
        row("schule-001").as_deref(),
        Some("| **Barrierefreiheit** | **große Schrift** |")
    );
    assert_eq!(
        row("schule-002").as_deref(),
        Some("| **Barrierefreiheit** | **Bildschirmleser Orca mit Sprachausgabe und hoher Kontrast** |")
    );
    assert_eq!(row("schule-003"), None, "an empty list is no aid");
    assert_eq!(
        row("schule-004").as_deref(),
        Some("| **Barrierefreiheit** | **Bildschirmleser Orca mit Sprachausgabe und Bildschirmlupe** |")
    );
    // a word that is no aid is refused by the command line, in German
    let run = crate::support::upcycle_env(
        &[("LANG", "de_DE.UTF-8")],
        &[
            "generate",
            fixtures_dir().join("ibm-thinkpad-t40/root").to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--accessibility",
            "braille",
        ],
    );
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(stderr(&run).contains("screen-reader"), "{}", stderr(&run));
}

#[test]
fn a_machine_key_that_is_no_host_name_is_refused() {
    for key in ["Schule-002", "schule 2", "\"$(reboot)\"", "schüle-2"] {
        let text = include_str!("../../data/workshop-default.yaml").replace(
            "  machines: {}\n",
            &format!("  machines:\n    {key}: [screen-reader]\n"),
        );
        let e = Workshop::parse(&text).unwrap_err();
        assert_eq!(e.field, "accessibility.machines", "{key}: {e}");
        assert!(e.line.is_some(), "{key}");
        assert!(
            upcycle::l10n::say(Lang::De, &e.said()).contains("ist kein Rechnername"),
            "{key}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.yaml");
    std::fs::write(
        &ws,
        include_str!("../../data/workshop-default.yaml").replace("  all: []\n", "  all: [braille]\n"),
    )
    .unwrap();
    let run = upcycle(&[
        "generate",
        fixtures_dir().join("ibm-thinkpad-t40/root").to_str().unwrap(),
        "-o",
        dir.path().join("out").to_str().unwrap(),
        "--workshop",
        ws.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(3), "{}", stderr(&run));
    assert!(Path::new(&dir.path().join("out")).read_dir().is_err() || !dir.path().join("out/schule-001").exists());
}

/// `plan` (the one-shot job on the laptop) takes `--accessibility` like `generate`.
#[test]
fn plan_takes_the_aids_too() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = upcycle(&[
        "plan",
        "--root",
        fixtures_dir().join("asus-eeepc-1000h/root").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--accessibility",
        "screen-reader",
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let bundle = out.join("schule-001");
    let sheet = std::fs::read_to_string(bundle.join("checklist.md")).unwrap();
    assert!(
        sheet.contains("| **Barrierefreiheit** | **Bildschirmleser Orca mit Sprachausgabe** |"),
        "{sheet}"
    );
    let preseed = std::fs::read_to_string(bundle.join("preseed.cfg")).unwrap();
    assert!(preseed.contains(" orca "), "{preseed}");
    assert!(
        std::fs::read_to_string(bundle.join("postinstall.sh"))
            .unwrap()
            .contains("/etc/xdg/autostart/upcycle-orca.desktop")
    );
}
