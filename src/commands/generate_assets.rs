//! `upcycle generate-assets DIR` (hidden): writes the man pages and shell completions of
//! [`crate::assets`] into DIR, for `scripts/build-deb.sh`.

use std::path::Path;

use clap::CommandFactory;

use crate::exit::{Exit, Failure, OrExit};
use crate::printer::Printer;

pub fn run(dir: &Path, printer: &Printer) -> Result<Exit, Failure> {
    for (name, content) in crate::assets::all(&crate::cli::Cli::command()) {
        let path = dir.join(name);
        let parent = path.parent().expect("asset paths are relative files");
        std::fs::create_dir_all(parent).or_exit(Exit::BadInput, format!("cannot create {}", parent.display()))?;
        std::fs::write(&path, content).or_exit(Exit::BadInput, format!("cannot write {}", path.display()))?;
        printer.out(&format!("{}\n", path.display()));
    }
    Ok(Exit::Success)
}
