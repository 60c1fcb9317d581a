//! `upcycle profiles list | show | check`.

use crate::catalog::load;
use crate::catalog::{CatalogFile, Problem};
use crate::catalog::{check, packages};
use crate::exit::{Exit, Failure, OrExit};
use crate::options::ProfilesOptions;
use crate::printer::Printer;
use crate::yaml;

pub fn run(cmd: &ProfilesOptions, printer: &Printer) -> Result<Exit, Failure> {
    match cmd {
        ProfilesOptions::List { catalog } => {
            let (catalog, _) = load::load(catalog.as_deref())?;
            let mut out = String::new();
            for p in &catalog.profiles {
                let d = &p.distribution;
                out.push_str(&format!(
                    "{:<24} {:<6} {:<10} {:<6} {:<6} {:<12} {}\n",
                    p.id,
                    format!("{:?}", d.family).to_lowercase(),
                    format!("{} {}", d.release, d.codename),
                    d.arch.as_str(),
                    p.desktop.name,
                    printer.format(
                        "msg-profiles-from",
                        &[(
                            "ram",
                            crate::l10n::mib_text(printer.lang, p.requires.min_ram_mib).into()
                        )]
                    ),
                    p.name.get(printer.lang)
                ));
            }
            printer.out(&out);
            Ok(Exit::Success)
        }
        ProfilesOptions::Show { id, catalog } => {
            let (catalog, _) = load::load(catalog.as_deref())?;
            let Some(p) = catalog.profile(id) else {
                let ids: Vec<&str> = catalog.profiles.iter().map(|p| p.id.as_str()).collect();
                return Err(Failure::new(
                    Exit::BadInput,
                    crate::l10n::Said::new("err-profile-unknown")
                        .arg("profile", id.as_str())
                        .arg("known", ids.join(", ")),
                ));
            };
            printer.out(&yaml::to_string(p));
            Ok(Exit::Success)
        }
        ProfilesOptions::Check { catalog: dir } => {
            let files = match dir {
                Some(d) => load::read_dir(d).or_exit(Exit::BadInput, "cannot read the catalog")?,
                None => load::embedded_files(),
            };
            let problems = check_files(&files);
            let name = dir
                .as_ref()
                .map(|d| d.display().to_string())
                .unwrap_or_else(|| printer.text("msg-catalog-embedded"));
            if problems.is_empty() {
                printer.out(&format!(
                    "{}\n",
                    printer.format(
                        "msg-catalog-ok",
                        &[("name", name.into()), ("n", (files.len() as u64).into())]
                    )
                ));
                Ok(Exit::Success)
            } else {
                let mut out = String::new();
                for p in &problems {
                    out.push_str(&format!("{}\n", p.say(printer.lang)));
                }
                printer.out(&out);
                Err(Failure::new(
                    Exit::BadInput,
                    crate::l10n::Said::new("catalog-check-failed")
                        .arg("name", name)
                        .arg("n", problems.len() as u64),
                ))
            }
        }
    }
}

/// Every problem of a catalog: syntax and fields, then meaning, then packages.
pub fn check_files(files: &[CatalogFile]) -> Vec<Problem> {
    match load::parse_catalog(files) {
        Err(problems) => problems,
        Ok(catalog) => {
            let mut problems = check::semantic(&catalog, files);
            problems.extend(check::packages(&catalog, files, &packages::embedded));
            problems
        }
    }
}
