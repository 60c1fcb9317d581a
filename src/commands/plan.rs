//! `upcycle plan`: the one-shot job on the laptop itself (probe, select, generate, tell).

use crate::cli::PlanArgs;
use crate::exit::{Exit, Failure};
use crate::printer::Printer;
use crate::summary;

pub fn run(args: &PlanArgs, printer: &Printer) -> Result<Exit, Failure> {
    let report = super::probe::probe_path(&args.root, false)?;
    let workshop = super::generate::read_workshop(args.workshop.as_deref())?;
    let (catalog, _) = crate::catalog::load::load(None)
        .map_err(|e| Failure::new(Exit::Internal, anyhow::anyhow!("the embedded catalog: {e}")))?;
    let templates = super::generate::load_templates(None)?;
    let today = super::select::today();
    let selection = super::generate::choose(&report, &catalog, &workshop.selection, today, workshop.language, None);
    let mut out = summary::report_text(&report);
    out.push('\n');
    let selection = match selection {
        Ok(s) => s,
        Err(failure) => {
            printer.out(&out);
            return Err(failure);
        }
    };
    out.push_str(&summary::selection_text(&selection, workshop.language));
    let hostname = workshop.hostname_for(1, report.machine.serial.as_deref());
    let bundle = super::generate::build(&templates, &report, &selection, &workshop, &hostname)?;
    bundle
        .write_to(&args.output, true)
        .map_err(|e| Failure::new(Exit::Internal, e))?;
    out.push_str(&format!(
        "\nBundle: {} (boot.txt says how to start the install)\n",
        args.output.join(&bundle.asset_id).display()
    ));
    printer.out(&out);
    Ok(Exit::Success)
}
