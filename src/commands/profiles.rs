//! `upcycle profiles list | show | check`.

use crate::catalog::load::{self, Problem};
use crate::catalog::{check, packages};
use crate::cli::ProfilesCommand;
use crate::exit::{Exit, Failure, OrExit};
use crate::printer::Printer;
use crate::select::mib_text;
use crate::yaml;

pub fn run(cmd: &ProfilesCommand, printer: &Printer) -> Result<Exit, Failure> {
    match cmd {
        ProfilesCommand::List(args) => {
            let (catalog, _) =
                load::load(args.profiles.as_deref()).or_exit(Exit::BadInput, "the profile catalog is not usable")?;
            let mut out = String::new();
            for p in &catalog.profiles {
                let d = &p.distribution;
                out.push_str(&format!(
                    "{:<24} {:<6} {:<10} {:<6} {:<6} from {:<8} {}\n",
                    p.id,
                    format!("{:?}", d.family).to_lowercase(),
                    format!("{} {}", d.release, d.codename),
                    d.arch.as_str(),
                    p.desktop.name,
                    mib_text(p.requires.min_ram_mib),
                    p.name.en
                ));
            }
            printer.out(&out);
            Ok(Exit::Success)
        }
        ProfilesCommand::Show { id, catalog: args } => {
            let (catalog, _) =
                load::load(args.profiles.as_deref()).or_exit(Exit::BadInput, "the profile catalog is not usable")?;
            let Some(p) = catalog.profile(id) else {
                let ids: Vec<&str> = catalog.profiles.iter().map(|p| p.id.as_str()).collect();
                return Err(Failure::new(
                    Exit::BadInput,
                    anyhow::anyhow!("no profile `{id}`; known: {}", ids.join(", ")),
                ));
            };
            printer.out(&yaml::to_string(p));
            Ok(Exit::Success)
        }
        ProfilesCommand::Check { dir } => {
            let files = match dir {
                Some(d) => load::read_dir(d).or_exit(Exit::BadInput, "cannot read the catalog")?,
                None => load::embedded_files(),
            };
            let problems = check_files(&files);
            let name = dir
                .as_ref()
                .map(|d| d.display().to_string())
                .unwrap_or_else(|| "embedded catalog".into());
            if problems.is_empty() {
                printer.out(&format!("{name}: {} files, no problems\n", files.len()));
                Ok(Exit::Success)
            } else {
                let mut out = String::new();
                for p in &problems {
                    out.push_str(&format!("{p}\n"));
                }
                printer.out(&out);
                Err(Failure::new(
                    Exit::BadInput,
                    anyhow::anyhow!("{name}: {} problem(s)", problems.len()),
                ))
            }
        }
    }
}

/// Every problem of a catalog: syntax and fields, then meaning, then packages.
pub fn check_files(files: &[load::CatalogFile]) -> Vec<Problem> {
    match load::parse_catalog(files) {
        Err(problems) => problems,
        Ok(catalog) => {
            let mut problems = check::semantic(&catalog, files);
            problems.extend(check::packages(&catalog, files, &packages::embedded));
            problems
        }
    }
}
