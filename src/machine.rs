//! Reading a machine: a report file (YAML or JSON), a capture directory, a `.tar.gz`
//! capture (unpacked within limits), or the live root. What `probe`, `select`, `generate`,
//! `plan` and `batch` all start from; errors are typed, and the command layer maps them to
//! exit codes (`exit.rs`).

use std::path::{Path, PathBuf};

use crate::capture::{self, Limits, UnpackError};
use crate::fwmap::{DEFAULT_RELEASE, FirmwareMap};
use crate::l10n::{self, Lang, Localize};
use crate::probe::{self, ProbeError, SysRoot};
use crate::report::{HardwareReport, SCHEMA};
use crate::{redact, yaml};

/// Why a report's text is not a report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("not a YAML or JSON report: {0}")]
    NotYamlOrJson(yaml::YamlError),
    #[error("no `schema` field: not an upcycle report ({SCHEMA})")]
    NoSchema,
    #[error("schema `{0}` is not supported (this upcycle reads {SCHEMA})")]
    OtherSchema(String),
    /// A field is missing, unknown, of the wrong type or of an unsafe shape; the message
    /// names line and field.
    #[error("{0}")]
    Invalid(yaml::YamlError),
}

/// A machine that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum MachineError {
    #[error("cannot read the report {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: {source}")]
    Report { path: PathBuf, source: ReportError },
    #[error("cannot unpack the capture {path}: {source}")]
    Unpack { path: PathBuf, source: UnpackError },
    #[error("{0}")]
    Probe(ProbeError),
}

impl MachineError {
    /// True when the environment failed (disk full while unpacking), not the input.
    pub fn is_environment(&self) -> bool {
        matches!(self, MachineError::Unpack { source, .. } if !source.is_bad_input())
    }
}

impl Localize for ReportError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            ReportError::NotYamlOrJson(e) => {
                l10n::format(lang, "err-report-not-yaml", &[("error", e.localize(lang).into())])
            }
            ReportError::NoSchema => l10n::format(lang, "err-report-no-schema", &[("schema", SCHEMA.into())]),
            ReportError::OtherSchema(other) => l10n::format(
                lang,
                "err-report-other-schema",
                &[("found", other.into()), ("schema", SCHEMA.into())],
            ),
            ReportError::Invalid(e) => e.localize(lang),
        }
    }
}

impl Localize for MachineError {
    fn localize(&self, lang: Lang) -> String {
        let path = |p: &Path| l10n::Arg::from(p.display().to_string());
        match self {
            MachineError::Read { path: p, source } => l10n::format(
                lang,
                "err-machine-read",
                &[
                    ("path", path(p)),
                    ("error", crate::l10n::Localize::localize(source, lang).into()),
                ],
            ),
            MachineError::Report { path: p, source } => l10n::format(
                lang,
                "err-machine-report",
                &[("path", path(p)), ("error", source.localize(lang).into())],
            ),
            MachineError::Unpack { path: p, source } => l10n::format(
                lang,
                "err-machine-unpack",
                &[("path", path(p)), ("error", source.localize(lang).into())],
            ),
            MachineError::Probe(e) => e.localize(lang),
        }
    }
}

/// Parse a report in YAML or JSON (JSON is YAML too) and check its schema.
pub fn parse_report(text: &str) -> Result<HardwareReport, ReportError> {
    #[derive(serde::Deserialize)]
    struct Head {
        schema: Option<String>,
    }
    // JSON reports (what scripts and the batch benchmark write) go through serde_json,
    // which is much faster; JSON is YAML too, so YAML reads them as well, and a JSON report
    // that fails is read again as YAML, whose errors name the field (`cpu.cores`).
    if text.trim_start().starts_with('{')
        && let Ok(head) = serde_json::from_str::<Head>(text)
    {
        check_schema(head.schema.as_deref())?;
        if let Ok(report) = serde_json::from_str(text) {
            return Ok(report);
        }
    }
    let head: Head = yaml::from_str(text).map_err(ReportError::NotYamlOrJson)?;
    check_schema(head.schema.as_deref())?;
    yaml::from_str(text).map_err(ReportError::Invalid)
}

fn check_schema(schema: Option<&str>) -> Result<(), ReportError> {
    match schema {
        Some(SCHEMA) => Ok(()),
        Some(other) => Err(ReportError::OtherSchema(other.to_string())),
        None => Err(ReportError::NoSchema),
    }
}

/// A report file.
pub fn read_report(path: &Path) -> Result<HardwareReport, MachineError> {
    let text = std::fs::read_to_string(path).map_err(|source| MachineError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse_report(&text).map_err(|source| MachineError::Report {
        path: path.to_path_buf(),
        source,
    })
}

/// A report file, or a capture directory / `.tar.gz` probed on the fly.
pub fn read(path: &Path, limits: &Limits) -> Result<HardwareReport, MachineError> {
    if path.is_dir() || is_tar_gz(path) {
        probe_path(path, false, limits)
    } else {
        read_report(path)
    }
}

/// Probe a root directory or a `.tar.gz` capture, unpacked within `limits` into a temp dir
/// that is removed when the probe is done (or unpacking failed).
pub fn probe_path(path: &Path, redact: bool, limits: &Limits) -> Result<HardwareReport, MachineError> {
    if !is_tar_gz(path) {
        return probe_root(&SysRoot::at(path), redact).map_err(MachineError::Probe);
    }
    let unpacked = capture::unpack(path, limits).map_err(|source| MachineError::Unpack {
        path: path.to_path_buf(),
        source,
    })?;
    // Errors name the archive, not the temp dir it was unpacked to.
    probe_root(&SysRoot::at(unpacked.path()), redact).map_err(|e| MachineError::Probe(e.naming(path)))
}

pub fn is_tar_gz(path: &Path) -> bool {
    let name = path.to_string_lossy();
    path.is_file() && (name.ends_with(".tar.gz") || name.ends_with(".tgz"))
}

/// Probe `root` with the default firmware data, redacting if asked.
pub fn probe_root(root: &SysRoot, redact: bool) -> Result<HardwareReport, ProbeError> {
    let fwmap = FirmwareMap::embedded(DEFAULT_RELEASE).expect("default firmware data is embedded");
    let mut report = probe::probe(root, fwmap)?;
    if redact {
        redact::report(&mut report);
    }
    Ok(report)
}
