//! `upcycle capture`: copy the files the probe reads into a tree or `.tar.gz`.

use anyhow::Context;

use crate::atomic;
use crate::capture;
use crate::exit::{Exit, Failure, OrExit};
use crate::options::{CaptureFormat, CaptureOptions};
use crate::printer::Printer;
use crate::probe::SysRoot;

pub fn run(opts: &CaptureOptions, printer: &Printer) -> Result<Exit, Failure> {
    if opts.output.exists() && !opts.force {
        return Err(Failure::new(
            Exit::OutputExists,
            anyhow::anyhow!(
                "{} exists already: choose another name or add --force",
                opts.output.display()
            ),
        ));
    }
    let root = SysRoot::at(&opts.root).recording();
    // The probe decides what is read; capture copies exactly that.
    let report = super::probe::probe_root(&root, false)?;

    let tmp =
        atomic::temp_dir_for(&opts.output).or_exit(Exit::Internal, "cannot create a temp dir beside the output")?;
    let files = capture::replicate(&root, tmp.path(), opts.redact)
        .with_context(|| format!("copying from {}", opts.root.display()))?;
    match opts.format {
        CaptureFormat::Dir => {
            atomic::publish_dir(tmp, &opts.output, opts.force).or_exit(
                Exit::Internal,
                format!("cannot move the capture to {}", opts.output.display()),
            )?;
        }
        CaptureFormat::TarGz => {
            let mut file = atomic::temp_file_for(&opts.output).or_exit(Exit::Internal, "cannot create a temp file")?;
            capture::write_tar_gz(tmp.path(), file.as_file_mut()).context("packing the capture")?;
            file.persist(&opts.output)
                .map_err(|e| e.error)
                .or_exit(Exit::Internal, format!("cannot write {}", opts.output.display()))?;
        }
    }
    let what = report.machine.model.as_deref().unwrap_or("unknown model");
    printer.status(&format!(
        "captured {files} files of {what}{} to {}",
        if opts.redact { " (redacted)" } else { "" },
        opts.output.display()
    ));
    Ok(Exit::Success)
}
