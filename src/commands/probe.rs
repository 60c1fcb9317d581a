//! `upcycle probe`: read a machine (or a capture) and print or write its report.

use crate::cli::Format;
use crate::exit::{Exit, Failure, OrExit};
use crate::fwmap::{DEFAULT_RELEASE, FirmwareMap};
use crate::options::ProbeOptions;
use crate::printer::Printer;
use crate::probe::{self, SysRoot};
use crate::report::HardwareReport;
use std::path::Path;

use crate::{atomic, capture, redact, summary, yaml};

pub fn run(opts: &ProbeOptions, printer: &Printer) -> Result<Exit, Failure> {
    // A `.tar.gz` capture is unpacked into a temp dir that lives until the probe is done.
    let unpacked;
    let root = if is_tar_gz(&opts.root) {
        unpacked = tempfile::tempdir().or_exit(Exit::Internal, "cannot create a temp dir")?;
        capture::extract_tar_gz(&opts.root, unpacked.path()).or_exit(
            Exit::BadInput,
            format!("cannot unpack the capture {}", opts.root.display()),
        )?;
        SysRoot::at(unpacked.path())
    } else {
        SysRoot::at(&opts.root)
    };
    let report = probe_root(&root, opts.redact)?;
    let text = format(&report, opts.format);
    match &opts.output {
        Some(path) => {
            atomic::write_file(path, text.as_bytes())
                .or_exit(Exit::Internal, format!("cannot write {}", path.display()))?;
            printer.status(&format!("report written to {}", path.display()));
        }
        None => printer.out(&text),
    }
    // The text summary names the warnings itself.
    if opts.format != Format::Text || opts.output.is_some() {
        report_warnings(&report, printer);
    }
    Ok(Exit::Success)
}

/// Probe a root directory or a `.tar.gz` capture (unpacked into a temp dir first).
pub fn probe_path(path: &Path, redact: bool) -> Result<HardwareReport, Failure> {
    if is_tar_gz(path) {
        let unpacked = tempfile::tempdir().or_exit(Exit::Internal, "cannot create a temp dir")?;
        capture::extract_tar_gz(path, unpacked.path())
            .or_exit(Exit::BadInput, format!("cannot unpack the capture {}", path.display()))?;
        // Errors name the archive, not the temp dir it was unpacked to.
        probe_root(&SysRoot::at(unpacked.path()), redact).map_err(|f| {
            let text =
                format!("{:#}", f.error).replace(&unpacked.path().display().to_string(), &path.display().to_string());
            Failure::new(f.exit, anyhow::anyhow!(text))
        })
    } else {
        probe_root(&SysRoot::at(path), redact)
    }
}

pub fn is_tar_gz(path: &Path) -> bool {
    let name = path.to_string_lossy();
    path.is_file() && (name.ends_with(".tar.gz") || name.ends_with(".tgz"))
}

/// Probe `root` with the default firmware data, redacting if asked.
pub fn probe_root(root: &SysRoot, redact: bool) -> Result<HardwareReport, Failure> {
    let fwmap = FirmwareMap::embedded(DEFAULT_RELEASE).expect("default firmware data is embedded");
    let mut report = probe::probe(root, fwmap).map_err(|e| Failure::new(Exit::BadInput, e))?;
    if redact {
        redact::report(&mut report);
    }
    Ok(report)
}

pub fn format(report: &HardwareReport, format: Format) -> String {
    match format {
        Format::Text => summary::report_text(report),
        Format::Yaml => yaml::to_string(report),
        Format::Json => serde_json::to_string_pretty(report).expect("reports serialise to JSON") + "\n",
    }
}

fn report_warnings(report: &HardwareReport, printer: &Printer) {
    if report.warnings.is_empty() {
        return;
    }
    printer.status(&format!(
        "{} fact(s) could not be read (use -v to list them)",
        report.warnings.len()
    ));
    for w in &report.warnings {
        printer.detail(&format!("  {}: {}", w.path, w.message));
    }
}
