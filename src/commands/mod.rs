//! The I/O edge: one file per subcommand, each a thin wrapper that reads inputs, calls
//! the pure pipeline, and writes outputs atomically.

use std::path::Path;

use crate::exit::{Exit, Failure};
use crate::l10n::Said;

pub mod batch;
pub mod bundle_info;
pub mod capture;
pub mod check;
pub mod erase;
pub mod generate;
pub mod generate_assets;
pub mod handover;
pub mod hash_password;
pub mod ledger;
pub mod log;
pub mod mark;
pub mod media;
pub mod passport;
pub mod plan;
pub mod preseed_value;
pub mod probe;
pub mod profiles;
pub mod select;
pub mod serve;
pub mod status;
pub mod synthetic_reports;

/// `text` into the file `output` (atomically, with a line saying so: `what` names it), or
/// on stdout when there is none.
pub fn write_or_print(
    output: Option<&Path>,
    text: &str,
    what: &str,
    printer: &crate::printer::Printer,
) -> Result<(), Failure> {
    use crate::exit::OrExit;
    match output {
        Some(path) => {
            crate::atomic::write_file(path, text.as_bytes()).or_exit(
                Exit::Internal,
                Said::new("err-cannot-write").arg("path", path.display().to_string()),
            )?;
            printer.status(&printer.format(
                "msg-written-to",
                &[
                    ("what", printer.text(what).into()),
                    ("path", path.display().to_string().into()),
                ],
            ));
        }
        None => printer.out(text),
    }
    Ok(())
}

/// Check `-o FILE` before any work: a folder there, or a file where a folder of its path
/// should be, is a wrong command line (2); an existing file is replaced only with
/// `--force` (else 4), so no unrelated file is lost. `probe`, `select`, `capture`.
pub fn check_output_file(path: &Path, force: bool) -> Result<(), Failure> {
    if path.is_dir() {
        return Err(Failure::new(
            Exit::Usage,
            Said::new("err-output-is-folder")
                .arg("path", path.display().to_string())
                .arg("example", path.join("laptop.yaml").display().to_string()),
        ));
    }
    // the output is renamed into place: that would replace a device (`/dev/null`) or a
    // FIFO itself, even with --force
    if path
        .symlink_metadata()
        .is_ok_and(|m| !m.is_file() && !m.file_type().is_symlink())
    {
        return Err(Failure::new(
            Exit::Usage,
            Said::new("err-output-is-device").arg("path", path.display().to_string()),
        ));
    }
    check_new_entry(path, force)
}

/// Check `-o DIR` of `capture` (a capture folder, published whole): a file there is a
/// wrong command line (2); the rest as [`check_output_file`].
pub fn check_output_tree(path: &Path, force: bool) -> Result<(), Failure> {
    if path.exists() && !path.is_dir() {
        return Err(not_a_folder(path));
    }
    check_new_entry(path, force)
}

/// Check `-o DIR` of `generate`, `plan`, `batch` (a folder, made if missing, that gets
/// more files) before it is made: a file there or on its path is a wrong command line (2),
/// never an internal error.
pub fn check_output_dir(path: &Path) -> Result<(), Failure> {
    if path.exists() && !path.is_dir() {
        return Err(not_a_folder(path));
    }
    check_folders_on(path, path)
}

fn not_a_folder(path: &Path) -> Failure {
    Failure::new(
        Exit::Usage,
        Said::new("err-output-is-file").arg("path", path.display().to_string()),
    )
}

/// A file or folder to be made at `path`: its folder must exist, and `path` must not
/// unless `force`.
fn check_new_entry(path: &Path, force: bool) -> Result<(), Failure> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    check_folders_on(path, parent)?;
    if !parent.exists() {
        return Err(Failure::new(
            Exit::Usage,
            Said::new("err-output-no-folder")
                .arg("path", path.display().to_string())
                .arg("folder", parent.display().to_string()),
        ));
    }
    if path.symlink_metadata().is_ok() && !force {
        return Err(Failure::new(
            Exit::OutputExists,
            Said::new("err-output-exists").arg("path", path.display().to_string()),
        ));
    }
    Ok(())
}

/// The nearest existing ancestor of `dir` (itself included) must be a folder.
fn check_folders_on(output: &Path, dir: &Path) -> Result<(), Failure> {
    match dir.ancestors().find(|a| !a.as_os_str().is_empty() && a.exists()) {
        Some(a) if !a.is_dir() => Err(Failure::new(
            Exit::Usage,
            Said::new("err-output-file-on-path")
                .arg("path", output.display().to_string())
                .arg("file", a.display().to_string()),
        )),
        _ => Ok(()),
    }
}
