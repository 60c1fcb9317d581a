//! `upcycle plan`: the one-shot job on the laptop itself (probe, select, generate, tell).

use crate::exit::{Exit, Failure, OrExit};
use crate::l10n::Said;
use crate::options::PlanOptions;
use crate::printer::Printer;
use crate::{ops, summary, validate};

pub fn run(opts: &PlanOptions, printer: &Printer) -> Result<Exit, Failure> {
    validate::require(&opts.skip)?;
    let report = crate::machine::probe_path(&opts.root, false, &opts.limits)?;
    let workshop = super::generate::read_workshop(opts.workshop.as_deref())?;
    let (catalog, _) = crate::catalog::load::load(None)?;
    let templates = super::generate::load_templates(None)?;
    let inputs = ops::Inputs {
        catalog: &catalog,
        templates: &templates,
        workshop: &workshop,
        today: opts.today,
        wanted: None,
        skip: &opts.skip,
        lang: printer.lang,
        accessibility: opts.accessibility.as_deref(),
    };
    let mut out = summary::report_text(&report, printer.lang);
    out.push('\n');
    super::check_output_dir(&opts.output)?;
    std::fs::create_dir_all(&opts.output).or_exit(
        Exit::Internal,
        Said::new("err-cannot-create").arg("path", opts.output.display().to_string()),
    )?;
    let _lock = super::batch::lock_output(&opts.output, crate::lock::Access::Shared)?;
    let mut ledger = super::ledger::open_for_writing(&opts.ledger, &opts.output, printer)?;
    let input = opts.root.display().to_string();
    let crate::ledger::Recognised { machine, token, .. } =
        super::ledger::intake(&mut ledger, &report, &input, "plan", &workshop, None)?;
    let made = match ops::generate(&report, &inputs, &machine.hostname, &token) {
        Ok(made) => made,
        Err(e) => {
            // What was found is worth showing even when nothing fits.
            printer.out(&out);
            return Err(e.into());
        }
    };
    out.push_str(&summary::selection_text(&made.selection, &catalog, printer.lang));
    // the ledger gave this machine its own name: the folder, if there, is its own bundle
    made.bundle
        .write_to(&opts.output, true)
        .map_err(|e| Failure::new(Exit::Internal, e))?;
    let row = crate::inventory::Row::ok(&made.hostname, &input, &report, &made.selection, workshop.language);
    ledger.record_bundle(machine.id, "plan", &super::ledger::bundle_record(&made, &row))?;
    out.push('\n');
    out.push_str(&printer.format(
        "msg-plan-bundle",
        &[
            (
                "path",
                opts.output.join(&made.bundle.asset_id).display().to_string().into(),
            ),
            ("number", (machine.number as u64).into()),
        ],
    ));
    out.push('\n');
    printer.out(&out);
    Ok(Exit::Success)
}
