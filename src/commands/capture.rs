//! `upcycle capture`: copy the files the probe reads into a tree or `.tar.gz`.

use anyhow::Context;

use crate::atomic;
use crate::capture;
use crate::exit::{Exit, Failure, OrExit};
use crate::l10n::Said;
use crate::options::{CaptureFormat, CaptureOptions};
use crate::printer::Printer;
use crate::probe::SysRoot;

pub fn run(opts: &CaptureOptions, printer: &Printer) -> Result<Exit, Failure> {
    match opts.format {
        CaptureFormat::TarGz => super::check_output_file(&opts.output, opts.force)?,
        CaptureFormat::Dir => super::check_output_tree(&opts.output, opts.force)?,
    }
    let root = SysRoot::at(&opts.root).recording();
    // The probe decides what is read; capture copies exactly that.
    let report = crate::machine::probe_root(&root, false).map_err(|e| Failure::new(Exit::BadInput, e))?;

    let tmp =
        atomic::temp_dir_for(&opts.output).or_exit(Exit::Internal, "cannot create a temp dir beside the output")?;
    let ledger = if opts.redact {
        super::probe::redaction_ledger(opts.ledger.as_deref(), printer)?
    } else {
        None
    };
    let how = opts.redact.then_some(crate::redact::Redaction {
        key: ledger.as_ref().map(|l| l.key()),
    });
    let files =
        capture::replicate(&root, tmp.path(), how).with_context(|| format!("copying from {}", opts.root.display()))?;
    match opts.format {
        CaptureFormat::Dir => {
            atomic::publish_dir(tmp, &opts.output, opts.force).or_exit(
                Exit::Internal,
                Said::new("err-capture-move").arg("path", opts.output.display().to_string()),
            )?;
        }
        CaptureFormat::TarGz => {
            let mut file = atomic::temp_file_for(&opts.output).or_exit(Exit::Internal, "cannot create a temp file")?;
            capture::write_tar_gz(tmp.path(), file.as_file_mut()).context("packing the capture")?;
            file.persist(&opts.output).map_err(|e| e.error).or_exit(
                Exit::Internal,
                Said::new("err-cannot-write").arg("path", opts.output.display().to_string()),
            )?;
        }
    }
    let model = match report.machine.model.as_deref() {
        Some(m) => m.to_string(),
        None => printer.text("msg-unknown-model"),
    };
    printer.status(&printer.format(
        "msg-captured",
        &[
            ("files", (files as u64).into()),
            ("model", model.into()),
            ("redacted", if opts.redact { "yes" } else { "no" }.into()),
            ("path", opts.output.display().to_string().into()),
        ],
    ));
    Ok(Exit::Success)
}
