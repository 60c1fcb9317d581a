//! The shipped catalog passes `profiles check`; broken catalogs are rejected with file,
//! line and field.

use std::path::Path;

use crate::support::{stderr, stdout, upcycle};
use upcycle::catalog::CatalogFile;
use upcycle::catalog::load;
use upcycle::commands::profiles::check_files;

#[test]
fn the_shipped_catalog_has_no_problems() {
    let problems = check_files(&load::embedded_files());
    assert!(
        problems.is_empty(),
        "{}",
        problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n")
    );
    let out = upcycle(&["profiles", "check"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
}

/// The embedded catalog written to a directory, with one file replaced.
fn broken_catalog(dir: &Path, file: &str, edit: impl Fn(&str) -> String) {
    for f in load::embedded_files() {
        let path = dir.join(&f.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let text = if f.path == file { edit(&f.text) } else { f.text.clone() };
        std::fs::write(path, text).unwrap();
    }
}

fn problems_of(file: &str, edit: impl Fn(&str) -> String) -> Vec<String> {
    let files: Vec<CatalogFile> = load::embedded_files()
        .into_iter()
        .map(|f| {
            if f.path == file {
                CatalogFile {
                    text: edit(&f.text),
                    ..f
                }
            } else {
                f
            }
        })
        .collect();
    check_files(&files).iter().map(|p| p.to_string()).collect()
}

#[test]
fn broken_profiles_are_reported_with_file_line_and_field() {
    let xfce = "debian-13-xfce.yaml";
    // An unknown key (a typo).
    let p = problems_of(xfce, |t| t.replace("  tasks: [xfce-desktop]", "  taks: [xfce-desktop]"));
    assert!(
        p.iter().any(|x| x.starts_with("debian-13-xfce.yaml:")
            && x.contains("desktop")
            && x.contains("unknown field `taks`")),
        "{p:?}"
    );
    // An unknown app set.
    let p = problems_of(xfce, |t| {
        t.replace("app_sets: [school-basics,", "app_sets: [schol-basics,")
    });
    assert!(
        p.iter().any(|x| x.contains("debian-13-xfce.yaml:")
            && x.contains("app_sets")
            && x.contains("unknown app set `schol-basics`")),
        "{p:?}"
    );
    // A package that trixie does not have.
    let p = problems_of(xfce, |t| {
        t.replace(
            "packages: [unattended-upgrades, zram-tools]",
            "packages: [unattended-upgrades, zram-tools, scratch]",
        )
    });
    assert!(
        p.iter()
            .any(|x| x.contains("debian-13-xfce.yaml:")
                && x.contains("`scratch` does not exist in debian-13-trixie-amd64")),
        "{p:?}"
    );
    // A package to keep out that the release does not have, in an app and a desktop.
    let p = problems_of("apps/school-basics.yaml", |t| {
        t.replace("keep_out: [libreoffice-common]", "keep_out: [libreoffice-commen]")
    });
    assert!(
        p.iter().any(|x| x.starts_with("apps/school-basics.yaml:")
            && x.contains("apps.keep_out")
            && x.contains("`libreoffice-commen` does not exist in debian-12-bookworm-i386")),
        "{p:?}"
    );
    let lxde = "debian-12-i386-lxde.yaml";
    let p = problems_of(lxde, |t| t.replace("keep_out: [connman]", "keep_out: [connmann]"));
    assert!(
        p.iter().any(|x| x.starts_with("debian-12-i386-lxde.yaml:")
            && x.contains("desktop.keep_out")
            && x.contains("`connmann` does not exist")),
        "{p:?}"
    );
    // Kept out and installed at once.
    let p = problems_of(lxde, |t| {
        t.replace("keep_out: [connman]", "keep_out: [connman, network-manager-gnome]")
    });
    assert!(
        p.iter().any(|x| x.starts_with("debian-12-i386-lxde.yaml:")
            && x.contains("desktop.keep_out")
            && x.contains("`network-manager-gnome` is kept out and installed at the same time")),
        "{p:?}"
    );
    // Impossible requirements.
    let p = problems_of(xfce, |t| t.replace("min_ram_mib: 1024", "min_ram_mib: 4096"));
    assert!(
        p.iter()
            .any(|x| x.contains("requires.min_ram_mib") && x.contains("above the recommended")),
        "{p:?}"
    );
    let p = problems_of(xfce, |t| t.replace("  cpu_64bit: true\n", ""));
    assert!(
        p.iter().any(|x| x.contains("amd64 profile must require a 64-bit CPU")),
        "{p:?}"
    );
    // A duplicate id.
    let p = problems_of(xfce, |t| t.replace("id: debian-13-xfce", "id: debian-13-lxqt"));
    assert!(
        p.iter()
            .filter(|x| x.contains("duplicate profile id `debian-13-lxqt`"))
            .count()
            == 2,
        "{p:?}"
    );
    // A misspelt app field in an app set.
    let p = problems_of("apps/media-lab.yaml", |t| {
        t.replacen("alternative: image-light", "alternativ: image-light", 1)
    });
    assert!(
        p.iter()
            .any(|x| x.starts_with("apps/media-lab.yaml:") && x.contains("unknown field `alternativ`")),
        "{p:?}"
    );
    // A line number that points at the problem.
    let p = problems_of(xfce, |t| t.replace("min_disk_gb: 10", "min_disk_gb: ten"));
    let line = load::embedded_files()
        .iter()
        .find(|f| f.path == xfce)
        .unwrap()
        .text
        .lines()
        .position(|l| l.contains("min_disk_gb"))
        .unwrap()
        + 1;
    assert!(
        p.iter().any(|x| x.starts_with(&format!("debian-13-xfce.yaml:{line}:"))),
        "{p:?} (want line {line})"
    );
}

#[test]
fn profiles_check_and_select_refuse_a_broken_directory() {
    let tmp = tempfile::tempdir().unwrap();
    broken_catalog(tmp.path(), "debian-13-lxqt.yaml", |t| {
        t.replace("cores: 1", "cores: one")
    });
    let out = upcycle(&["profiles", "check", tmp.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stdout(&out).contains("debian-13-lxqt.yaml:") && stdout(&out).contains("recommended.cores"),
        "{}",
        stdout(&out)
    );
    let root = crate::support::fixtures_dir().join("ibm-thinkpad-t40/root");
    let out = upcycle(&[
        "select",
        root.to_str().unwrap(),
        "--profiles",
        tmp.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("debian-13-lxqt.yaml"), "{}", stderr(&out));
}

#[test]
fn profiles_list_and_show() {
    let list = stdout(&upcycle(&["profiles", "list"]));
    for id in [
        "debian-13-xfce",
        "debian-13-lxqt",
        "debian-13-medialab",
        "debian-12-i386-xfce",
        "debian-12-i386-lxde",
        "ubuntu-24.04-desktop",
    ] {
        assert!(list.contains(id), "{id} missing from\n{list}");
    }
    let show = upcycle(&["profiles", "show", "debian-12-i386-lxde"]);
    let p: upcycle::catalog::Profile = upcycle::yaml::from_str(&stdout(&show)).unwrap();
    assert_eq!(p.distribution.arch, upcycle::catalog::Arch::I386);
    assert_eq!(upcycle(&["profiles", "show", "nope"]).status.code(), Some(3));
}

#[test]
fn catalog_problems_are_said_in_the_terminals_language() {
    let xfce = "debian-13-xfce.yaml";
    let text = &load::embedded_files()
        .into_iter()
        .find(|f| f.path == xfce)
        .unwrap()
        .text;
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let run = |dir: &Path, lang: &str| {
        let out = crate::support::upcycle_env(
            &[("LANG", "de_DE.UTF-8")],
            &["profiles", "check", dir.to_str().unwrap(), "--lang", lang],
        );
        assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
        (stdout(&out), stderr(&out))
    };

    // A check of meaning: impossible requirements and a bad date.
    let tmp = tempfile::tempdir().unwrap();
    broken_catalog(tmp.path(), xfce, |t| {
        let date = t.lines().find(|l| l.contains("support_until:")).unwrap();
        t.replace("min_ram_mib: 1024", "min_ram_mib: 4096")
            .replace(date, "  support_until: bald")
    });
    let (ram, date) = (line_of("min_ram_mib"), line_of("support_until"));
    let (de, de_err) = run(tmp.path(), "de");
    assert!(
        de.contains(&format!(
            "{xfce}:{ram}: requires.min_ram_mib: Mindest-RAM 4096 MiB liegt über den empfohlenen "
        )),
        "{de}"
    );
    assert!(
        de.contains(&format!(
            "{xfce}:{date}: distribution.support_until: `bald` ist kein Datum der Form JJJJ-MM-TT"
        )),
        "{de}"
    );
    assert!(!de.contains("above") && !de.contains("is not a"), "{de}");
    assert!(de_err.contains(": 2 Probleme"), "{de_err}");
    let (en, en_err) = run(tmp.path(), "en");
    assert!(
        en.contains(&format!(
            "{xfce}:{ram}: requires.min_ram_mib: minimum RAM 4096 MiB is above the recommended "
        )),
        "{en}"
    );
    assert!(
        en.contains(&format!(
            "{xfce}:{date}: distribution.support_until: `bald` is not a YYYY-MM-DD date"
        )),
        "{en}"
    );
    assert!(en_err.contains(": 2 problem(s)"), "{en_err}");

    // A parser problem (a misspelt field): serde's details said too.
    let tmp = tempfile::tempdir().unwrap();
    broken_catalog(tmp.path(), xfce, |t| {
        t.replace("  tasks: [xfce-desktop]", "  taks: [xfce-desktop]")
    });
    let taks = line_of("  tasks: [xfce-desktop]");
    let (de, _) = run(tmp.path(), "de");
    assert!(
        de.starts_with(&format!(
            "{xfce}:{taks}: desktop: unbekanntes Feld `taks`, erwartet wird "
        )),
        "{de}"
    );
    let (en, _) = run(tmp.path(), "en");
    assert!(
        en.starts_with(&format!("{xfce}:{taks}: desktop: unknown field `taks`, expected ")),
        "{en}"
    );

    // Loading the catalog for another command says the problems in German too.
    let root = crate::support::fixtures_dir().join("ibm-thinkpad-t40/root");
    let out = crate::support::upcycle_env(
        &[("LANG", "de_DE.UTF-8")],
        &[
            "select",
            root.to_str().unwrap(),
            "--profiles",
            tmp.path().to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains(&format!("{xfce}:{taks}: desktop: unbekanntes Feld `taks`")),
        "{}",
        stderr(&out)
    );
}
