//! `upcycle select`: read a report (or probe a capture), choose a stack, print it.

use std::path::Path;

use super::write_or_print;
use crate::catalog;
use crate::cli::Format;
use crate::exit::{Exit, Failure, OrExit};
use crate::l10n::Lang;
use crate::l10n::Said;
use crate::options::SelectOptions;
use crate::printer::Printer;
use crate::select::{self, Inputs, Policy, Selection};
use crate::{summary, yaml};

pub fn run(opts: &SelectOptions, printer: &Printer) -> Result<Exit, Failure> {
    if let Some(path) = &opts.output {
        super::check_output_file(path, opts.force)?;
    }
    let report = crate::machine::read(&opts.report, &opts.limits)?;
    let (catalog, _) = catalog::load::load(opts.profiles.as_deref())?;
    let policy = match &opts.policy {
        Some(path) => read_policy(path)?,
        None => Policy::default(),
    };
    if let Some(pin) = &policy.pin
        && catalog.profile(pin).is_none()
    {
        return Err(Failure::new(
            Exit::BadInput,
            Said::new("err-policy-unknown-pin").arg("profile", pin.as_str()),
        ));
    }
    let lang = printer.lang;
    let inputs = Inputs {
        catalog: &catalog,
        policy: &policy,
        today: opts.today,
        firmware: &select::embedded_firmware,
    };
    let selection = select::select(&report, &inputs);
    let text = format(&selection, &catalog, opts.format, lang);
    write_or_print(opts.output.as_deref(), &text, "msg-selection", printer)?;
    Ok(if selection.chosen.is_some() {
        Exit::Success
    } else {
        Exit::NoProfileFits
    })
}

pub fn format(selection: &Selection, catalog: &crate::catalog::Catalog, format: Format, lang: Lang) -> String {
    match format {
        Format::Text => summary::selection_text(selection, catalog, lang),
        Format::Yaml => yaml::to_string(selection),
        Format::Json => serde_json::to_string_pretty(selection).expect("selections serialise to JSON") + "\n",
    }
}

fn read_policy(path: &Path) -> Result<Policy, Failure> {
    let text = std::fs::read_to_string(path).or_exit(
        Exit::BadInput,
        Said::new("err-policy-read").arg("path", path.display().to_string()),
    )?;
    yaml::from_str(&text).map_err(|e| {
        Failure::new(
            Exit::BadInput,
            Said::new("err-path")
                .arg("path", path.display().to_string())
                .arg("error", yaml::said_error(&e)),
        )
    })
}
