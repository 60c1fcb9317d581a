//! `upcycle batch`: bundles, inventory and labels for a whole room of laptops.

use std::path::Path;

use crate::atomic;
use crate::batch::{self, Settings};
use crate::catalog;
use crate::exit::{Exit, Failure, OrExit};
use crate::inventory::{self, Row};
use crate::l10n::Said;
use crate::lock;
use crate::options::BatchOptions;
use crate::printer::Printer;

pub fn run(opts: &BatchOptions, printer: &Printer) -> Result<Exit, Failure> {
    crate::validate::require(&opts.skip)?;
    let workshop = super::generate::read_workshop(opts.workshop.as_deref())?;
    let (catalog, _) = catalog::load::load(opts.profiles.as_deref())?;
    let templates = super::generate::load_templates(opts.templates.as_deref())?;

    let found = batch::discover(&opts.inputs);
    let (inputs, mut problems) = (found.inputs, found.problems);
    let machines = batch::read(&inputs, opts.jobs, &opts.limits);
    for path in &machines.skipped {
        // found in a folder: a workshop file or notes beside the captures; named: a mistake
        if opts.inputs.contains(path) {
            problems.push((path.clone(), batch::not_a_report()));
        } else {
            printer.detail(&printer.format("msg-batch-skipped", &[("path", path.display().to_string().into())]));
        }
    }
    for (path, why) in &problems {
        printer.problem(&printer.format(
            "err-path",
            &[
                ("path", path.display().to_string().into()),
                ("error", why.clone().into()),
            ],
        ));
    }
    if machines.is_empty() {
        return Err(Failure::new(Exit::BadInput, Said::new("err-batch-no-inputs")));
    }
    super::check_output_dir(&opts.output)?;
    std::fs::create_dir_all(&opts.output).or_exit(
        Exit::Internal,
        Said::new("err-cannot-create").arg("path", opts.output.display().to_string()),
    )?;
    // held to the end: no other run writes into this folder meanwhile
    let _lock = lock_output(&opts.output, lock::Access::Exclusive)?;
    // under the exclusive lock, every temp left in the folder is a killed run's
    remove_stale_temps(&opts.output, None, printer);
    let ledger = std::sync::Mutex::new(super::ledger::open_for_writing(&opts.ledger, &opts.output, printer)?);

    let bar = printer.progress(machines.len() as u64, &printer.text("msg-machines"));
    let settings = Settings {
        catalog: &catalog,
        workshop: &workshop,
        templates: &templates,
        today: opts.today,
        out_dir: &opts.output,
        jobs: opts.jobs,
        validate_all: opts.validate_all,
        limits: opts.limits,
        skip: &opts.skip,
        ledger: &ledger,
    };
    let outcome = batch::run(&machines, &settings, &|asset| {
        bar.set_message(asset.to_string());
        bar.inc(1);
    })?;
    bar.finish_and_clear();

    let ledger = ledger.into_inner().expect("no panics hold the ledger");
    // Said before the inventory takes the run's rows.
    let said = summary(&outcome, problems.len(), &opts.output, printer.lang);
    let failed = outcome.failed() + problems.len();
    let rows = batch::inventory_rows(outcome.rows, &outcome.machines, &ledger, workshop.language)?;
    let link = Some(workshop.passport.link.as_str()).filter(|l| !l.is_empty());
    write_inventory(&opts.output, &rows, workshop.language, link)?;
    printer.status(&said);
    Ok(if failed == 0 {
        Exit::Success
    } else {
        Exit::PartialFailure
    })
}

/// Lock the output folder; [`Exit::Busy`] when another run holds it.
pub fn lock_output(out: &Path, access: lock::Access) -> Result<lock::FolderLock, Failure> {
    lock::lock_folder(out, access).map_err(|e| match e {
        lock::LockError::Busy(_) => Failure::new(Exit::Busy, e),
        other => Failure::new(Exit::Internal, other),
    })
}

/// Remove what killed runs left in `out` (see [`atomic::remove_stale_temps`]), saying so.
pub fn remove_stale_temps(out: &Path, min_age: Option<std::time::Duration>, printer: &Printer) {
    let (removed, failed) = atomic::remove_stale_temps(out, min_age);
    for path in removed {
        printer.detail(&printer.format("msg-stale-removed", &[("path", path.display().to_string().into())]));
    }
    for (path, e) in failed {
        printer.warn(&printer.format(
            "msg-stale-not-removed",
            &[
                ("path", path.display().to_string().into()),
                ("error", e.to_string().into()),
            ],
        ));
    }
}

/// `inventory.csv`, `inventory.html` and `labels.html`, each written atomically (and not
/// touched when its bytes did not change); one at a time, so that only one is in memory.
/// `link`: the workshop's `passport.link`, for the labels' QR codes.
pub fn write_inventory(out: &Path, rows: &[Row], lang: catalog::Lang, link: Option<&str>) -> Result<(), Failure> {
    write_parts(&out.join("inventory.csv"), &[inventory::to_csv(rows)])?;
    write_parts(
        &out.join("inventory.html"),
        &[inventory::html::inventory_page(rows, lang)],
    )?;
    // Streamed as it is drawn: 10,000 labels are ~18 MB.
    write_streamed(&out.join("labels.html"), |w| {
        inventory::html::write_labels_page(w, rows, lang, link)
    })
}

/// Write the concatenation of `parts` to `path` atomically, unless the file holds exactly it.
fn write_parts(path: &Path, parts: &[String]) -> Result<(), Failure> {
    write_streamed(path, |w| parts.iter().try_for_each(|p| w.write_all(p.as_bytes())))
}

/// Write `path` atomically with what `fill` writes, unless the file holds exactly that.
fn write_streamed(
    path: &Path,
    fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), Failure> {
    atomic::write_file_with(path, fill).map(|_| ()).or_exit(
        Exit::Internal,
        Said::new("err-cannot-write").arg("path", path.display().to_string()),
    )
}

/// The table a volunteer reads at the end: profiles chosen, failures with reasons;
/// `unread` inputs (named files that are not reports, unreadable folders) were reported
/// as errors above and count as failed, so the line agrees with the exit code.
pub fn summary(outcome: &batch::Outcome, unread: usize, out: &Path, lang: crate::l10n::Lang) -> String {
    use crate::l10n::format as f;
    let ok = outcome.rows.iter().filter(|r| r.is_ok()).count();
    let path = out.display().to_string();
    let mut s = f(
        lang,
        "msg-batch-summary",
        &[
            // every input counts, also one that was not read: ok + failed = machines
            ("machines", ((outcome.rows.len() + unread) as u64).into()),
            ("ok", (ok as u64).into()),
            ("written", (outcome.written as u64).into()),
            ("unchanged", (outcome.unchanged as u64).into()),
            ("failed", ((outcome.failed() + unread) as u64).into()),
            ("unread", (unread as u64).into()),
            ("path", path.as_str().into()),
        ],
    );
    s.push('\n');
    let mut per_profile: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for r in outcome.rows.iter().filter(|r| r.is_ok()) {
        *per_profile.entry(r.profile.as_str()).or_default() += 1;
    }
    for (profile, n) in per_profile {
        s.push_str(&format!("  {n:>4}  {profile}\n"));
    }
    for r in outcome.rows.iter().filter(|r| !r.is_ok()) {
        let line = f(
            lang,
            "msg-batch-failed",
            &[
                ("asset", r.asset_id.as_str().into()),
                ("source", r.source.as_str().into()),
                ("why", r.status.trim_start_matches("failed: ").into()),
            ],
        );
        s.push_str(&format!("  {line}\n"));
    }
    s.push_str(&f(lang, "msg-batch-files", &[("path", path.as_str().into())]));
    s
}
