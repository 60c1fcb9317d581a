//! `upcycle generate`: one machine's install bundle, validated, written atomically.

use std::path::Path;

use crate::catalog;
use crate::exit::{Exit, Failure, OrExit};
use crate::l10n::Said;
use crate::lock;
use crate::options::GenerateOptions;
use crate::printer::Printer;
use crate::render::Templates;
use crate::workshop::{self, MAX_FILE_BYTES, Workshop};
use crate::{ops, validate};

pub fn run(opts: &GenerateOptions, printer: &Printer) -> Result<Exit, Failure> {
    validate::require(&opts.skip)?;
    let report = crate::machine::read(&opts.report, &opts.limits)?;
    let workshop = read_workshop(opts.workshop.as_deref())?;
    let (catalog, _) = catalog::load::load(opts.profiles.as_deref())?;
    let templates = load_templates(opts.templates.as_deref())?;
    if let Some(id) = &opts.profile
        && catalog.profile(id).is_none()
    {
        return Err(Failure::new(
            Exit::BadInput,
            Said::new("err-no-profile").arg("profile", id.as_str()),
        ));
    }
    let inputs = ops::Inputs {
        catalog: &catalog,
        templates: &templates,
        workshop: &workshop,
        today: opts.today,
        wanted: opts.profile.as_deref(),
        skip: &opts.skip,
        lang: printer.lang,
        accessibility: opts.accessibility.as_deref(),
    };
    super::check_output_dir(&opts.output)?;
    std::fs::create_dir_all(&opts.output).or_exit(
        Exit::Internal,
        Said::new("err-cannot-create").arg("path", opts.output.display().to_string()),
    )?;
    // shared: generates beside each other are fine, a batch on the folder is not
    let _lock = super::batch::lock_output(&opts.output, lock::Access::Shared)?;
    // others may be writing beside us: only temps an hour old are surely stale
    super::batch::remove_stale_temps(&opts.output, Some(STALE_AFTER), printer);
    let mut ledger = super::ledger::open_for_writing(&opts.ledger, &opts.output, printer)?;
    let input = opts.report.display().to_string();
    let crate::ledger::Recognised { machine, token, .. } =
        super::ledger::intake(&mut ledger, &report, &input, "generate", &workshop, opts.number)?;
    let made = ops::generate(&report, &inputs, &machine.hostname, &token)?;
    made.bundle.write_to(&opts.output, opts.force).map_err(|e| match e {
        crate::bundle::WriteError::Exists(_) => Failure::new(Exit::OutputExists, e),
        other => Failure::new(Exit::Internal, other),
    })?;
    let row = crate::inventory::Row::ok(&made.hostname, &input, &report, &made.selection, workshop.language);
    ledger.record_bundle(machine.id, "generate", &super::ledger::bundle_record(&made, &row))?;
    let chosen = made
        .selection
        .chosen
        .as_ref()
        .expect("ops::generate returns a chosen profile");
    printer.status(&format!(
        "{}: {} -> {}",
        made.hostname,
        chosen.name.get(workshop.language),
        opts.output.join(&made.bundle.asset_id).display()
    ));
    Ok(Exit::Success)
}

/// The age from which a temp in the output folder is a killed run's for `generate`, which
/// holds only a shared lock (another generate's bundle takes seconds to write).
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

pub fn read_workshop(path: Option<&Path>) -> Result<Workshop, Failure> {
    match path {
        None => Ok(Workshop::embedded()),
        Some(p) => {
            // read no more than the limit and one byte: a huge file is refused unread
            use std::io::Read as _;
            let mut bytes = Vec::new();
            std::fs::File::open(p)
                .and_then(|f| f.take(MAX_FILE_BYTES as u64 + 1).read_to_end(&mut bytes))
                .or_exit(
                    Exit::BadInput,
                    Said::new("err-workshop-read").arg("path", p.display().to_string()),
                )?;
            if bytes.len() > MAX_FILE_BYTES {
                let len = std::fs::metadata(p).map_or(bytes.len() as u64, |m| m.len());
                return Err(Failure::new(
                    Exit::BadInput,
                    Said::new("err-path")
                        .arg("path", p.display().to_string())
                        .arg("error", workshop::too_big(len)),
                ));
            }
            let text = String::from_utf8(bytes).or_exit(
                Exit::BadInput,
                Said::new("err-workshop-read").arg("path", p.display().to_string()),
            )?;
            Workshop::parse(&text).map_err(|e| {
                Failure::new(
                    Exit::BadInput,
                    Said::new("err-path")
                        .arg("path", p.display().to_string())
                        .arg("error", e.said()),
                )
            })
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
