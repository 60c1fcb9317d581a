//! `upcycle probe`: read a machine (or a capture) and print or write its report.

use super::write_or_print;
use crate::cli::Format;
use crate::exit::{Exit, Failure};
use crate::options::ProbeOptions;
use crate::printer::Printer;
use crate::report::HardwareReport;

use crate::{machine, summary, yaml};

pub fn run(opts: &ProbeOptions, printer: &Printer) -> Result<Exit, Failure> {
    if let Some(path) = &opts.output {
        super::check_output_file(path, opts.force)?;
    }
    let mut report = machine::probe_path(&opts.root, false, &opts.limits)?;
    if opts.redact {
        let ledger = redaction_ledger(opts.ledger.as_deref(), printer)?;
        let key = ledger.as_ref().map(|l| l.key());
        crate::redact::report_with(&mut report, crate::redact::Redaction { key });
    }
    let text = format(&report, opts.format, printer.lang);
    write_or_print(opts.output.as_deref(), &text, "msg-report", printer)?;
    // The text summary names the warnings itself.
    if opts.format != Format::Text || opts.output.is_some() {
        report_warnings(&report, printer);
    }
    Ok(Exit::Success)
}

pub fn format(report: &HardwareReport, format: Format, lang: crate::l10n::Lang) -> String {
    match format {
        Format::Text => summary::report_text(report, lang),
        Format::Yaml => yaml::to_string(report),
        Format::Json => serde_json::to_string_pretty(report).expect("reports serialise to JSON") + "\n",
    }
}

fn report_warnings(report: &HardwareReport, printer: &Printer) {
    if report.warnings.is_empty() {
        return;
    }
    // the hint to show them all only where they are not shown
    let id = if printer.verbosity >= crate::printer::Verbosity::Verbose {
        "msg-facts-unreadable-shown"
    } else {
        "msg-facts-unreadable"
    };
    printer.status(&printer.format(id, &[("n", (report.warnings.len() as u64).into())]));
    for w in &report.warnings {
        let said = crate::probe::warning_said(&w.message);
        printer.detail(&format!("  {}: {}", w.path, crate::l10n::say(printer.lang, &said)));
    }
}

/// The ledger whose key `--redact` uses (made when missing), or the warning that without
/// one a redacted laptop is known by its disk only.
pub fn redaction_ledger(
    path: Option<&std::path::Path>,
    printer: &Printer,
) -> Result<Option<crate::ledger::Ledger>, Failure> {
    match path {
        Some(p) => {
            if !p.exists() {
                printer.status(&printer.format(
                    "msg-ledger-starting-redact",
                    &[("path", p.display().to_string().into())],
                ));
            }
            Ok(Some(crate::ledger::Ledger::open_or_create(p)?))
        }
        None => {
            printer.warn(&printer.text("msg-redact-without-ledger"));
            Ok(None)
        }
    }
}
