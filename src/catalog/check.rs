//! `profiles check`: everything wrong with a catalog, each problem with file, line and
//! field. Pure: files and package indexes in, problems out.

use std::collections::{BTreeMap, BTreeSet};

use super::file::{CatalogFile, FileKind, Problem, kind_of, line_of};
use super::packages::PackageIndex;
use super::{Arch, Catalog, Family, InstallerFormat};

/// Semantic problems: duplicate ids, unknown app sets and alternatives, impossible
/// requirements, kernel rules that can never all apply, bad dates.
pub fn semantic(catalog: &Catalog, files: &[CatalogFile]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let file_of = |id: &str, kind: FileKind| {
        files
            .iter()
            .find(|f| kind_of(&f.path) == kind && line_of(&f.text, &["id:", id]).is_some())
    };
    let problem = |file: Option<&CatalogFile>, needles: &[&str], field: &str, message: String| {
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
                    format!("duplicate profile id `{id}` ({n} files use it)"),
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
                format!("duplicate quirk id `{}`", q.id),
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
                    format!("unknown app set `{set}` (known: {})", known(catalog.app_sets.keys())),
                ));
            }
        }
        let d = &p.distribution;
        if d.arch == Arch::Amd64 && !p.requires.cpu_64bit {
            problems.push(problem(
                f,
                &["arch:"],
                "requires.cpu_64bit",
                "an amd64 profile must require a 64-bit CPU".into(),
            ));
        }
        if d.arch == Arch::I386 && p.requires.cpu_64bit {
            problems.push(problem(
                f,
                &["cpu_64bit"],
                "requires.cpu_64bit",
                "an i386 profile cannot require a 64-bit CPU".into(),
            ));
        }
        if p.requires.cpu_64bit && p.requires.cpu_32bit_only {
            problems.push(problem(
                f,
                &["cpu_32bit_only"],
                "requires",
                "cpu_64bit and cpu_32bit_only exclude each other".into(),
            ));
        }
        if p.requires.min_ram_mib > p.recommended.ram_mib {
            problems.push(problem(
                f,
                &["min_ram_mib"],
                "requires.min_ram_mib",
                format!(
                    "minimum RAM {} MiB is above the recommended {} MiB",
                    p.requires.min_ram_mib, p.recommended.ram_mib
                ),
            ));
        }
        if p.requires.min_ram_mib == 0 || p.requires.min_disk_gb == 0 {
            problems.push(problem(
                f,
                &["requires:"],
                "requires",
                "minimum RAM and disk must be above 0".into(),
            ));
        }
        match (d.family, d.installer) {
            (Family::Debian, InstallerFormat::Autoinstall) | (Family::Ubuntu, InstallerFormat::Preseed) => problems
                .push(problem(
                    f,
                    &["installer:"],
                    "distribution.installer",
                    "Debian installs with preseed, Ubuntu with autoinstall".into(),
                )),
            _ => {}
        }
        if chrono::NaiveDate::parse_from_str(&d.support_until, "%Y-%m-%d").is_err() {
            problems.push(problem(
                f,
                &["support_until"],
                "distribution.support_until",
                format!("`{}` is not a YYYY-MM-DD date", d.support_until),
            ));
        }
        match p.kernel.split_last() {
            None => problems.push(problem(
                f,
                &["kernel"],
                "kernel",
                "at least one kernel rule is needed".into(),
            )),
            Some((last, rest)) => {
                if last.when.is_some() {
                    problems.push(problem(
                        f,
                        &["kernel"],
                        "kernel",
                        "the last kernel rule must have no `when`, so every CPU gets a kernel".into(),
                    ));
                }
                if let Some(r) = rest.iter().find(|r| r.when.is_none()) {
                    problems.push(problem(
                        f,
                        &[&r.package],
                        "kernel",
                        format!("rule `{}` has no `when`: the rules after it never apply", r.package),
                    ));
                }
            }
        }
        if d.family == Family::Ubuntu && p.desktop.source.is_none() {
            problems.push(problem(
                f,
                &["desktop:"],
                "desktop.source",
                "an Ubuntu profile needs the Subiquity source id".into(),
            ));
        }
        if d.family == Family::Debian && p.desktop.tasks.is_empty() && p.desktop.packages.is_empty() {
            problems.push(problem(
                f,
                &["desktop:"],
                "desktop",
                "a Debian profile needs desktop tasks or packages".into(),
            ));
        }
        for name in &p.desktop.keep_out {
            if p.desktop.packages.contains(name) || p.packages.contains(name) {
                problems.push(problem(
                    f,
                    &["keep_out"],
                    "desktop.keep_out",
                    format!("`{name}` is kept out and installed at the same time: remove it from one of the lists"),
                ));
            }
        }
        let s = &p.tuning.swap;
        if s.min_mib > s.max_mib {
            problems.push(problem(f, &["swap"], "tuning.swap", "min_mib is above max_mib".into()));
        }
    }

    for set in catalog.app_sets.values() {
        let f = files
            .iter()
            .find(|f| kind_of(&f.path) == FileKind::AppSet && line_of(&f.text, &["id:", &set.id]).is_some());
        let ids: BTreeSet<&str> = set.apps.iter().map(|a| a.id.as_str()).collect();
        if ids.len() != set.apps.len() {
            problems.push(problem(f, &["apps:"], "apps", "two apps share an id".into()));
        }
        for app in &set.apps {
            if let Some(alt) = &app.alternative {
                if !ids.contains(alt.as_str()) {
                    problems.push(problem(
                        f,
                        &["alternative:", alt],
                        "apps.alternative",
                        format!("`{}`: unknown alternative `{alt}`", app.id),
                    ));
                } else if alt == &app.id {
                    problems.push(problem(
                        f,
                        &["alternative:", alt],
                        "apps.alternative",
                        format!("`{}` is its own alternative", app.id),
                    ));
                }
            }
            if app.packages.is_empty() {
                problems.push(problem(
                    f,
                    &["id:", &app.id],
                    "apps.packages",
                    format!("`{}` names no packages for any release", app.id),
                ));
            }
        }
    }
    problems.sort();
    problems
}

fn problems_push(problems: &mut Vec<Problem>, file: &str, line: usize, field: &str, message: String) {
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
                    format!("no package list `{key}` to check against (see scripts/gen-package-lists.sh)")
                } else {
                    format!("no package list `{key}`: this upcycle was built without package lists (a static build)")
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
                    message: format!(
                        "package `{name}` does not exist in {key} (needed by profile `{}`)",
                        p.id
                    ),
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
