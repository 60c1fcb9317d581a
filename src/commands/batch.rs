//! `upcycle batch`: bundles, inventory and labels for a whole room of laptops.

use std::path::Path;

use crate::atomic;
use crate::batch::{self, Settings};
use crate::catalog;
use crate::exit::{Exit, Failure, OrExit};
use crate::inventory::{self, Row};
use crate::options::BatchOptions;
use crate::printer::Printer;

pub fn run(opts: &BatchOptions, printer: &Printer) -> Result<Exit, Failure> {
    let workshop = super::generate::read_workshop(opts.workshop.as_deref())?;
    let (catalog, _) =
        catalog::load::load(opts.profiles.as_deref()).or_exit(Exit::BadInput, "the profile catalog is not usable")?;
    let templates = super::generate::load_templates(opts.templates.as_deref())?;

    let found = batch::discover(&opts.inputs);
    let (inputs, problems) = (found.inputs, found.problems);
    for (path, why) in &problems {
        eprintln!("error: {}: {why}", path.display());
    }
    let machines = batch::read(&inputs, opts.jobs);
    for path in &machines.skipped {
        printer.detail(&format!("skipped {} (not an upcycle report)", path.display()));
    }
    if machines.is_empty() {
        return Err(Failure::new(
            Exit::BadInput,
            anyhow::anyhow!("no reports (.yaml, .json) or captures (.tar.gz, folders with proc/ or sys/) found"),
        ));
    }
    std::fs::create_dir_all(&opts.output)
        .or_exit(Exit::Internal, format!("cannot create {}", opts.output.display()))?;

    let bar = printer.progress(machines.len() as u64, "machines");
    let settings = Settings {
        catalog: &catalog,
        workshop: &workshop,
        templates: &templates,
        today: opts.today,
        out_dir: &opts.output,
        jobs: opts.jobs,
        validate_all: opts.validate_all,
    };
    let outcome = batch::run(&machines, &settings, &|asset| {
        bar.set_message(asset.to_string());
        bar.inc(1);
    });
    bar.finish_and_clear();

    write_inventory(&opts.output, &outcome.rows, workshop.language)?;
    printer.status(&summary(&outcome, &opts.output));
    let failed = outcome.failed() + problems.len();
    Ok(if failed == 0 {
        Exit::Success
    } else {
        Exit::PartialFailure
    })
}

/// `inventory.csv`, `inventory.html` and `labels.html`, each written atomically (and not
/// touched when its bytes did not change); one at a time, so that only one is in memory.
pub fn write_inventory(out: &Path, rows: &[Row], lang: catalog::Lang) -> Result<(), Failure> {
    write_parts(&out.join("inventory.csv"), &[inventory::to_csv(rows)])?;
    write_parts(
        &out.join("inventory.html"),
        &[inventory::html::inventory_page(rows, lang)],
    )?;
    write_parts(
        &out.join("labels.html"),
        &inventory::html::labels_page_parts(rows, lang),
    )
}

/// Write the concatenation of `parts` to `path` atomically, unless the file holds exactly it.
fn write_parts(path: &Path, parts: &[String]) -> Result<(), Failure> {
    let len: usize = parts.iter().map(String::len).sum();
    let unchanged = std::fs::metadata(path).is_ok_and(|m| m.len() == len as u64)
        && std::fs::read(path).is_ok_and(|old| {
            let mut rest = old.as_slice();
            parts.iter().all(|p| match rest.strip_prefix(p.as_bytes()) {
                Some(r) => {
                    rest = r;
                    true
                }
                None => false,
            })
        });
    if unchanged {
        return Ok(());
    }
    let bytes: Vec<&[u8]> = parts.iter().map(|p| p.as_bytes()).collect();
    atomic::write_file_parts(path, &bytes).or_exit(Exit::Internal, format!("cannot write {}", path.display()))
}

/// The table a volunteer reads at the end: profiles chosen, failures with reasons.
pub fn summary(outcome: &batch::Outcome, out: &Path) -> String {
    let ok = outcome.rows.iter().filter(|r| r.is_ok()).count();
    let mut s = format!(
        "{} machines: {ok} bundles ({} written, {} unchanged), {} failed -> {}\n",
        outcome.rows.len(),
        outcome.written,
        outcome.unchanged,
        outcome.failed(),
        out.display()
    );
    let mut per_profile: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for r in outcome.rows.iter().filter(|r| r.is_ok()) {
        *per_profile.entry(r.profile.as_str()).or_default() += 1;
    }
    for (profile, n) in per_profile {
        s.push_str(&format!("  {n:>4}  {profile}\n"));
    }
    for r in outcome.rows.iter().filter(|r| !r.is_ok()) {
        s.push_str(&format!(
            "  FAILED {} ({}): {}\n",
            r.asset_id,
            r.source,
            r.status.trim_start_matches("failed: ")
        ));
    }
    s.push_str(&format!(
        "inventory: {0}/inventory.csv, {0}/inventory.html; labels: {0}/labels.html",
        out.display()
    ));
    s
}
