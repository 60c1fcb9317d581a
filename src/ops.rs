//! The generate operation: select -> render -> check, the one pipeline that `generate`,
//! `plan` and `batch` call (cargo's `ops` idea). [`prepare`] selects, renders and runs the
//! in-process checks; [`check`] runs the ecosystem's validators on one bundle. `generate`
//! and `plan` call both ([`generate`]); `batch` calls `prepare` on many machines in
//! parallel and runs the validators once per kind of file (`validate::kind_key`).
//!
//! Invariant: no bundle leaves here, or is written by batch, unless every file passed its
//! validator, or the user named the validator with `--skip-validator` and the bundle says
//! so in `NOT-CHECKED.txt`. A validator that is not installed is an error.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::accessibility::{self, Aid};
use crate::bundle::Bundle;
use crate::catalog::Catalog;
use crate::l10n::{self, Lang};
use crate::render::{self, RenderError, RenderInput, Templates};
use crate::report::HardwareReport;
use crate::select::{self, Inputs as SelectInputs, Rejected, Selection};
use crate::token::InstallToken;
use crate::validate::{self, Tool};
use crate::workshop::Workshop;

/// Everything the operation needs besides the machine.
pub struct Inputs<'a> {
    pub catalog: &'a Catalog,
    pub templates: &'a Templates,
    pub workshop: &'a Workshop,
    pub today: NaiveDate,
    /// Insist on this profile (`--profile`): an error when it does not fit.
    pub wanted: Option<&'a str>,
    /// Validators the user chose to skip (`--skip-validator`).
    pub skip: &'a BTreeSet<Tool>,
    /// The language errors are said in (the terminal's; batch: the inventory's).
    pub lang: Lang,
    /// The recipient's aids for this run (`--accessibility`), instead of the workshop's
    /// (`accessibility.all`, or the machine's own under `accessibility.machines`).
    pub accessibility: Option<&'a [Aid]>,
}

/// One machine's selection and bundle, rendered and checked in process.
#[derive(Debug)]
pub struct Prepared {
    pub hostname: String,
    pub selection: Selection,
    pub bundle: Bundle,
}

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("{}", describe_rejected(rejected, *lang))]
    NoProfileFits { rejected: Vec<Rejected>, lang: Lang },
    #[error("{}", l10n::format(*lang, "error-profile-does-not-fit", &[("profile", wanted.as_str().into()), ("why", why.as_str().into())]))]
    ProfileDoesNotFit { wanted: String, why: String, lang: Lang },
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error("{}\n{findings}", l10n::format(*lang, "error-invalid", &[("host", hostname.as_str().into())]))]
    Invalid {
        hostname: String,
        findings: String,
        lang: Lang,
    },
}

fn describe_rejected(rejected: &[Rejected], lang: Lang) -> String {
    let mut out = l10n::text(lang, "error-no-profile-fits");
    for r in rejected {
        out.push_str(&format!("\n  {}: {}", r.profile, reasons_text(lang, &r.reasons, "; ")));
    }
    out
}

/// Reasons in one line, joined by `sep`.
pub fn reasons_text(lang: Lang, reasons: &[l10n::Said], sep: &str) -> String {
    reasons.iter().map(|r| l10n::say(lang, r)).collect::<Vec<_>>().join(sep)
}

/// Select for `report`, insisting on `inputs.wanted` when given.
pub fn choose(report: &HardwareReport, inputs: &Inputs) -> Result<Selection, GenerateError> {
    let mut policy = inputs.workshop.selection.clone();
    if let Some(w) = inputs.wanted {
        policy.pin = Some(w.to_string());
    }
    let select_inputs = SelectInputs {
        catalog: inputs.catalog,
        policy: &policy,
        today: inputs.today,
        firmware: &select::embedded_firmware,
    };
    let selection = select::select(report, &select_inputs);
    match (&selection.chosen, inputs.wanted) {
        (None, _) => Err(GenerateError::NoProfileFits {
            rejected: selection.rejected.clone(),
            lang: inputs.lang,
        }),
        (Some(c), Some(w)) if c.profile != w => {
            let why = selection
                .rejected
                .iter()
                .find(|r| r.profile == w)
                .map(|r| reasons_text(inputs.lang, &r.reasons, "; "))
                .unwrap_or_default();
            Err(GenerateError::ProfileDoesNotFit {
                wanted: w.to_string(),
                why,
                lang: inputs.lang,
            })
        }
        _ => Ok(selection),
    }
}

/// Select, render and run the in-process checks (autoinstall schema, password scan) for
/// the machine the ledger named `hostname`, with its install token.
pub fn prepare(
    report: &HardwareReport,
    inputs: &Inputs,
    hostname: &str,
    install_token: &InstallToken,
) -> Result<Prepared, GenerateError> {
    let mut selection = choose(report, inputs)?;
    let aids = inputs
        .accessibility
        .unwrap_or_else(|| inputs.workshop.accessibility.for_host(hostname));
    accessibility::apply(&mut selection, aids);
    let hostname = hostname.to_string();
    let input = RenderInput {
        report,
        selection: &selection,
        workshop: inputs.workshop,
        asset_id: &hostname,
        hostname: &hostname,
        install_token,
    };
    let mut bundle = render::render(inputs.templates, &input)?;
    let findings = validate::in_process(&bundle);
    if !findings.is_empty() {
        return Err(GenerateError::Invalid {
            hostname,
            findings: validate::describe(&findings),
            lang: inputs.lang,
        });
    }
    if !inputs.skip.is_empty() {
        bundle.note_unchecked(inputs.skip, inputs.workshop.language);
    }
    Ok(Prepared {
        hostname,
        selection,
        bundle,
    })
}

/// The ecosystem's validators on one bundle (those not skipped).
pub fn check(prepared: &Prepared, skip: &BTreeSet<Tool>, lang: Lang) -> Result<(), GenerateError> {
    let report = validate::validate_external(&prepared.bundle, skip);
    if report.ok() {
        Ok(())
    } else {
        Err(GenerateError::Invalid {
            hostname: prepared.hostname.clone(),
            findings: validate::describe(&report.errors),
            lang,
        })
    }
}

/// [`prepare`] and [`check`]: a bundle that may be written.
pub fn generate(
    report: &HardwareReport,
    inputs: &Inputs,
    hostname: &str,
    install_token: &InstallToken,
) -> Result<Prepared, GenerateError> {
    let prepared = prepare(report, inputs, hostname, install_token)?;
    check(&prepared, inputs.skip, inputs.lang)?;
    Ok(prepared)
}
