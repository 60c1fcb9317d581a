//! `upcycle select`: read a report (or probe a capture), choose a stack, print it.

use std::path::Path;

use chrono::NaiveDate;

use crate::catalog::{self, Lang};
use crate::cli::{Format, LangArg};
use crate::exit::{Exit, Failure, OrExit};
use crate::options::SelectOptions;
use crate::printer::Printer;
use crate::report::{HardwareReport, SCHEMA};
use crate::select::{self, Inputs, Policy, Selection};
use crate::{atomic, summary, yaml};

pub fn run(opts: &SelectOptions, printer: &Printer) -> Result<Exit, Failure> {
    let report = read_machine(&opts.report)?;
    let (catalog, _) =
        catalog::load::load(opts.profiles.as_deref()).or_exit(Exit::BadInput, "the profile catalog is not usable")?;
    let policy = match &opts.policy {
        Some(path) => read_policy(path)?,
        None => Policy::default(),
    };
    if let Some(pin) = &policy.pin
        && catalog.profile(pin).is_none()
    {
        return Err(Failure::new(
            Exit::BadInput,
            anyhow::anyhow!("policy pins unknown profile `{pin}`: see `upcycle profiles list`"),
        ));
    }
    let lang = match opts.lang {
        LangArg::En => Lang::En,
        LangArg::De => Lang::De,
    };
    let inputs = Inputs {
        catalog: &catalog,
        policy: &policy,
        today: opts.today,
        firmware: &select::embedded_firmware,
        lang,
    };
    let selection = select::select(&report, &inputs);
    let text = format(&selection, opts.format, lang);
    match &opts.output {
        Some(path) => {
            atomic::write_file(path, text.as_bytes())
                .or_exit(Exit::Internal, format!("cannot write {}", path.display()))?;
            printer.status(&format!("selection written to {}", path.display()));
        }
        None => printer.out(&text),
    }
    Ok(if selection.chosen.is_some() {
        Exit::Success
    } else {
        Exit::NoProfileFits
    })
}

pub fn format(selection: &Selection, format: Format, lang: Lang) -> String {
    match format {
        Format::Text => summary::selection_text(selection, lang),
        Format::Yaml => yaml::to_string(selection),
        Format::Json => serde_json::to_string_pretty(selection).expect("selections serialise to JSON") + "\n",
    }
}

/// A report file (YAML or JSON), or a capture directory / `.tar.gz` probed on the fly.
pub fn read_machine(path: &Path) -> Result<HardwareReport, Failure> {
    if path.is_dir() || super::probe::is_tar_gz(path) {
        return super::probe::probe_path(path, false);
    }
    let text =
        std::fs::read_to_string(path).or_exit(Exit::BadInput, format!("cannot read the report {}", path.display()))?;
    parse_report(&text).map_err(|e| Failure::new(Exit::BadInput, anyhow::anyhow!("{}: {e}", path.display())))
}

/// Parse a report in YAML or JSON (JSON is YAML too) and check its schema.
pub fn parse_report(text: &str) -> Result<HardwareReport, String> {
    #[derive(serde::Deserialize)]
    struct Head {
        schema: Option<String>,
    }
    // JSON reports (what scripts and the batch benchmark write) go through serde_json,
    // which is much faster; JSON is YAML too, so YAML reads them as well.
    if text.trim_start().starts_with('{') {
        let head: Head = serde_json::from_str(text).map_err(|e| format!("not a JSON report: {e}"))?;
        check_schema(head.schema.as_deref())?;
        return serde_json::from_str(text).map_err(|e| e.to_string());
    }
    let head: Head = yaml::from_str(text).map_err(|e| format!("not a YAML or JSON report: {e}"))?;
    check_schema(head.schema.as_deref())?;
    yaml::from_str(text).map_err(|e| e.to_string())
}

fn check_schema(schema: Option<&str>) -> Result<(), String> {
    match schema {
        Some(SCHEMA) => Ok(()),
        Some(other) => Err(format!(
            "schema `{other}` is not supported (this upcycle reads {SCHEMA})"
        )),
        None => Err(format!("no `schema` field: not an upcycle report ({SCHEMA})")),
    }
}

fn read_policy(path: &Path) -> Result<Policy, Failure> {
    let text =
        std::fs::read_to_string(path).or_exit(Exit::BadInput, format!("cannot read the policy {}", path.display()))?;
    yaml::from_str(&text).map_err(|e| Failure::new(Exit::BadInput, anyhow::anyhow!("{}: {e}", path.display())))
}

/// Today's date for support lifetimes.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}
