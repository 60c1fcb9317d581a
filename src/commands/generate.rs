//! `upcycle generate`: one machine's install bundle, validated, written atomically.

use std::path::Path;

use crate::bundle::Bundle;
use crate::catalog;
use crate::exit::{Exit, Failure, OrExit};
use crate::options::GenerateOptions;
use crate::printer::Printer;
use crate::render::{self, RenderInput, Templates};
use crate::report::HardwareReport;
use crate::select::{self, Inputs, Policy, Selection};
use crate::validate;
use crate::workshop::Workshop;

pub fn run(opts: &GenerateOptions, printer: &Printer) -> Result<Exit, Failure> {
    let report = super::select::read_machine(&opts.report)?;
    let workshop = read_workshop(opts.workshop.as_deref())?;
    let (catalog, _) =
        catalog::load::load(opts.profiles.as_deref()).or_exit(Exit::BadInput, "the profile catalog is not usable")?;
    let templates = load_templates(opts.templates.as_deref())?;

    let mut policy = workshop.selection.clone();
    if let Some(id) = &opts.profile {
        if catalog.profile(id).is_none() {
            return Err(Failure::new(
                Exit::BadInput,
                anyhow::anyhow!("no profile `{id}`: see `upcycle profiles list`"),
            ));
        }
        policy.pin = Some(id.clone());
    }
    let selection = choose(
        &report,
        &catalog,
        &policy,
        opts.today,
        workshop.language,
        opts.profile.as_deref(),
    )?;
    let hostname = workshop.hostname_for(opts.number, report.machine.serial.as_deref());
    let bundle = build(&templates, &report, &selection, &workshop, &hostname)?;

    bundle.write_to(&opts.output, opts.force).map_err(|e| match e {
        crate::bundle::WriteError::Exists(_) => Failure::new(Exit::OutputExists, e),
        other => Failure::new(Exit::Internal, other),
    })?;
    let chosen = selection
        .chosen
        .as_ref()
        .expect("choose returns a selection with a profile");
    printer.status(&format!(
        "{}: {} -> {}",
        hostname,
        chosen.name.get(workshop.language),
        opts.output.join(&bundle.asset_id).display()
    ));
    Ok(Exit::Success)
}

/// Select, insisting on `wanted` when given.
pub fn choose(
    report: &HardwareReport,
    catalog: &catalog::Catalog,
    policy: &Policy,
    today: chrono::NaiveDate,
    lang: catalog::Lang,
    wanted: Option<&str>,
) -> Result<Selection, Failure> {
    let inputs = Inputs {
        catalog,
        policy,
        today,
        firmware: &select::embedded_firmware,
        lang,
    };
    let selection = select::select(report, &inputs);
    match (&selection.chosen, wanted) {
        (None, _) => {
            let why: Vec<String> = selection
                .rejected
                .iter()
                .map(|r| format!("  {}: {}", r.profile, r.reasons.join("; ")))
                .collect();
            Err(Failure::new(
                Exit::NoProfileFits,
                anyhow::anyhow!("no profile fits this machine:\n{}", why.join("\n")),
            ))
        }
        (Some(c), Some(w)) if c.profile != w => {
            let why = selection
                .rejected
                .iter()
                .find(|r| r.profile == w)
                .map(|r| r.reasons.join("; "))
                .unwrap_or_default();
            Err(Failure::new(
                Exit::NoProfileFits,
                anyhow::anyhow!("profile `{w}` does not fit this machine: {why}"),
            ))
        }
        _ => Ok(selection),
    }
}

/// Render and validate; a bundle that fails validation is never returned.
pub fn build(
    templates: &Templates,
    report: &HardwareReport,
    selection: &Selection,
    workshop: &Workshop,
    hostname: &str,
) -> Result<Bundle, Failure> {
    let input = RenderInput {
        report,
        selection,
        workshop,
        asset_id: hostname,
        hostname,
    };
    let bundle = render::render(templates, &input).map_err(|e| Failure::new(Exit::BadInput, e))?;
    let checked = validate::validate(&bundle);
    if !checked.ok() {
        return Err(Failure::new(
            Exit::ValidationFailed,
            anyhow::anyhow!(
                "the bundle for {hostname} failed validation, nothing was written:\n{}",
                validate::describe(&checked.errors)
            ),
        ));
    }
    if !checked.skipped.is_empty() {
        eprintln!(
            "warning: some checks could not run:\n{}",
            validate::describe(&checked.skipped)
        );
    }
    Ok(bundle)
}

pub fn read_workshop(path: Option<&Path>) -> Result<Workshop, Failure> {
    match path {
        None => Ok(Workshop::embedded()),
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .or_exit(Exit::BadInput, format!("cannot read the workshop file {}", p.display()))?;
            Workshop::parse(&text).map_err(|e| Failure::new(Exit::BadInput, anyhow::anyhow!("{}: {e}", p.display())))
        }
    }
}

pub fn load_templates(dir: Option<&Path>) -> Result<Templates, Failure> {
    match dir {
        None => Templates::embedded(),
        Some(d) => Templates::from_dir(d),
    }
    .map_err(|e| Failure::new(Exit::BadInput, e))
}
