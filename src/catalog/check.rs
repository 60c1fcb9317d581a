//! `profiles check`: everything wrong with a catalog, each problem with file, line and
//! field. Pure: files and package indexes in, problems out.

use std::collections::{BTreeMap, BTreeSet};

use super::file::{CatalogFile, FileKind, Problem, kind_of, line_of};
use super::packages::PackageIndex;
use super::{Arch, Catalog, Family, InstallerFormat};
use crate::l10n::Said;

/// Semantic problems: duplicate ids, unknown app sets and alternatives, impossible
/// requirements, kernel rules that can never all apply, bad dates.
pub fn semantic(catalog: &Catalog, files: &[CatalogFile]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let file_of = |id: &str, kind: FileKind| {
        files
            .iter()
            .find(|f| kind_of(&f.path) == kind && line_of(&f.text, &["id:", id]).is_some())
    };
    let problem = |file: Option<&CatalogFile>, needles: &[&str], field: &str, message: Said| {
        let (path, line) = match file {
            Some(f) => (f.path.clone(), line_of(&f.text, needles)),
            None => ("?".to_string(), None),
        };
        Problem {
            file: path,
            line,
            field: Some(field.to_string()),
            message,
        }
    };

    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &catalog.profiles {
        *seen.entry(&p.id).or_default() += 1;
    }
    for (id, n) in seen.iter().filter(|(_, n)| **n > 1) {
        for f in files.iter().filter(|f| kind_of(&f.path) == FileKind::Profile) {
            if let Some(line) = f.text.lines().position(|l| l.trim() == format!("id: {id}")) {
                problems_push(
                    &mut problems,
                    &f.path,
                    line + 1,
                    "id",
                    Said::new("catalog-duplicate-profile")
                        .arg("id", *id)
                        .arg("n", *n as u64),
                );
            }
        }
    }
    let mut quirk_ids = BTreeSet::new();
    for q in &catalog.quirks {
        if !quirk_ids.insert(q.id.as_str()) {
            let f = files.iter().find(|f| kind_of(&f.path) == FileKind::Quirks);
            problems.push(problem(
                f,
                &["id:", &q.id],
                "quirks.id",
                Said::new("catalog-duplicate-quirk").arg("id", &q.id),
            ));
        }
    }

    for p in &catalog.profiles {
        let f = file_of(&p.id, FileKind::Profile);
        for set in &p.app_sets {
            if !catalog.app_sets.contains_key(set) {
                problems.push(problem(
                    f,
                    &[set],
                    "app_sets",
                    Said::new("catalog-unknown-app-set")
                        .arg("set", set)
                        .arg("known", known(catalog.app_sets.keys())),
                ));
            }
        }
        let d = &p.distribution;
        if d.arch == Arch::Amd64 && !p.requires.cpu_64bit {
            problems.push(problem(
                f,
                &["arch:"],
                "requires.cpu_64bit",
                Said::new("catalog-amd64-needs-64bit"),
            ));
        }
        if d.arch == Arch::I386 && p.requires.cpu_64bit {
            problems.push(problem(
                f,
                &["cpu_64bit"],
                "requires.cpu_64bit",
                Said::new("catalog-i386-no-64bit"),
            ));
        }
        if p.requires.cpu_64bit && p.requires.cpu_32bit_only {
            problems.push(problem(
                f,
                &["cpu_32bit_only"],
                "requires",
                Said::new("catalog-cpu-exclusive"),
            ));
        }
        if p.requires.min_ram_mib > p.recommended.ram_mib {
            problems.push(problem(
                f,
                &["min_ram_mib"],
                "requires.min_ram_mib",
                Said::new("catalog-ram-above-recommended")
                    .arg("min", p.requires.min_ram_mib)
                    .arg("recommended", p.recommended.ram_mib),
            ));
        }
        if p.requires.min_ram_mib == 0 || p.requires.min_disk_gb == 0 {
            problems.push(problem(
                f,
                &["requires:"],
                "requires",
                Said::new("catalog-requires-zero"),
            ));
        }
        match (d.family, d.installer) {
            (Family::Debian, InstallerFormat::Autoinstall) | (Family::Ubuntu, InstallerFormat::Preseed) => problems
                .push(problem(
                    f,
                    &["installer:"],
                    "distribution.installer",
                    Said::new("catalog-installer-mismatch"),
                )),
            _ => {}
        }
        if chrono::NaiveDate::parse_from_str(&d.support_until, "%Y-%m-%d").is_err() {
            problems.push(problem(
                f,
                &["support_until"],
                "distribution.support_until",
                Said::new("catalog-bad-date").arg("value", &d.support_until),
            ));
        }
        match p.kernel.split_last() {
            None => problems.push(problem(f, &["kernel"], "kernel", Said::new("catalog-no-kernel-rule"))),
            Some((last, rest)) => {
                if last.when.is_some() {
                    problems.push(problem(
                        f,
                        &["kernel"],
                        "kernel",
                        Said::new("catalog-last-kernel-rule-when"),
                    ));
                }
                if let Some(r) = rest.iter().find(|r| r.when.is_none()) {
                    problems.push(problem(
                        f,
                        &[&r.package],
                        "kernel",
                        Said::new("catalog-kernel-rule-shadows").arg("package", r.package.as_str()),
                    ));
                }
            }
        }
        if d.family == Family::Ubuntu && p.desktop.source.is_none() {
            problems.push(problem(
                f,
                &["desktop:"],
                "desktop.source",
                Said::new("catalog-ubuntu-needs-source"),
            ));
        }
        if d.family == Family::Debian && p.desktop.tasks.is_empty() && p.desktop.packages.is_empty() {
            problems.push(problem(
                f,
                &["desktop:"],
                "desktop",
                Said::new("catalog-debian-needs-desktop"),
            ));
        }
        for name in &p.desktop.keep_out {
            if p.desktop.packages.contains(name) || p.packages.contains(name) {
                problems.push(problem(
                    f,
                    &["keep_out"],
                    "desktop.keep_out",
                    Said::new("catalog-kept-out-and-installed").arg("name", name.as_str()),
                ));
            }
        }
        let s = &p.tuning.swap;
        if s.min_mib > s.max_mib {
            problems.push(problem(
                f,
                &["swap"],
                "tuning.swap",
                Said::new("catalog-swap-min-above-max"),
            ));
        }
    }

    for set in catalog.app_sets.values() {
        let f = files
            .iter()
            .find(|f| kind_of(&f.path) == FileKind::AppSet && line_of(&f.text, &["id:", &set.id]).is_some());
        let ids: BTreeSet<&str> = set.apps.iter().map(|a| a.id.as_str()).collect();
        if ids.len() != set.apps.len() {
            problems.push(problem(f, &["apps:"], "apps", Said::new("catalog-duplicate-app")));
        }
        for app in &set.apps {
            if let Some(alt) = &app.alternative {
                if !ids.contains(alt.as_str()) {
                    problems.push(problem(
                        f,
                        &["alternative:", alt],
                        "apps.alternative",
                        Said::new("catalog-unknown-alternative")
                            .arg("app", &app.id)
                            .arg("alternative", alt),
                    ));
                } else if alt == &app.id {
                    problems.push(problem(
                        f,
                        &["alternative:", alt],
                        "apps.alternative",
                        Said::new("catalog-own-alternative").arg("app", &app.id),
                    ));
                }
            }
            if app.packages.is_empty() {
                problems.push(problem(
                    f,
                    &["id:", &app.id],
                    "apps.packages",
                    Said::new("catalog-app-no-packages").arg("app", &app.id),
                ));
            }
        }
    }
    problems.sort();
    problems
}

fn problems_push(problems: &mut Vec<Problem>, file: &str, line: usize, field: &str, message: Said) {
    problems.push(Problem {
        file: file.to_string(),
        line: Some(line),
        field: Some(field.to_string()),
        message,
    });
}

fn known<'a>(names: impl Iterator<Item = &'a String>) -> String {
    names.map(String::as_str).collect::<Vec<_>>().join(", ")
}

/// Every package a profile names (kernel, desktop task and packages, its own packages,
/// the apps of its sets for its release, quirk packages for its family) must be in the
/// package list of its release and architecture. `index` gives the list for a key.
pub fn packages(
    catalog: &Catalog,
    files: &[CatalogFile],
    index: &dyn Fn(&str) -> Option<PackageIndex>,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    for p in &catalog.profiles {
        let key = p.distribution.index_key();
        let file = files
            .iter()
            .find(|f| kind_of(&f.path) == FileKind::Profile && line_of(&f.text, &["id:", &p.id]).is_some());
        let path = file.map(|f| f.path.clone()).unwrap_or_else(|| "?".into());
        let Some(idx) = index(&key) else {
            problems.push(Problem {
                file: path,
                line: file.and_then(|f| line_of(&f.text, &["codename:"])),
                field: Some("distribution".into()),
                message: if cfg!(feature = "package-lists") {
                    Said::new("catalog-no-package-list").arg("key", &key)
                } else {
                    Said::new("catalog-no-package-lists-built").arg("key", &key)
                },
            });
            continue;
        };
        let mut check = |name: &str, in_file: Option<&CatalogFile>, field: &str| {
            if !idx.contains(name) {
                let (f, line) = match in_file {
                    Some(f) => (f.path.clone(), line_of(&f.text, &[name])),
                    None => (path.clone(), None),
                };
                problems.push(Problem {
                    file: f,
                    line,
                    field: Some(field.to_string()),
                    message: Said::new("catalog-unknown-package")
                        .arg("name", name)
                        .arg("key", &key)
                        .arg("profile", &p.id),
                });
            }
        };
        for k in &p.kernel {
            check(&k.package, file, "kernel.package");
        }
        for t in &p.desktop.tasks {
            check(&format!("task-{t}"), file, "desktop.tasks");
        }
        for name in p.desktop.packages.iter().chain(&p.packages) {
            check(name, file, "packages");
        }
        for name in &p.desktop.keep_out {
            check(name, file, "desktop.keep_out");
        }
        for set_id in &p.app_sets {
            let Some(set) = catalog.app_sets.get(set_id) else {
                continue;
            };
            let set_file = files
                .iter()
                .find(|f| kind_of(&f.path) == FileKind::AppSet && line_of(&f.text, &["id:", set_id]).is_some());
            for app in &set.apps {
                let Some(packages) = app.packages_for(&p.distribution.codename) else {
                    continue;
                };
                for name in packages {
                    check(name, set_file, "apps.packages");
                }
                for name in &app.keep_out {
                    check(name, set_file, "apps.keep_out");
                }
            }
        }
        let quirk_file = files.iter().find(|f| kind_of(&f.path) == FileKind::Quirks);
        for q in catalog.quirks.iter().filter(|q| q.applies_to(p)) {
            for name in &q.packages {
                check(name, quirk_file, "quirks.packages");
            }
        }
    }
    problems.sort();
    problems.dedup();
    problems
}
