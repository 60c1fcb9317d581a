//! `upcycle serve`: serve a bundles folder over HTTP to the installers.

use crate::cli::ServeArgs;
use crate::exit::{Exit, Failure};
use crate::printer::Printer;

pub fn run(_args: &ServeArgs, _printer: &Printer) -> Result<Exit, Failure> {
    Err(Failure::new(
        Exit::Internal,
        anyhow::anyhow!("`upcycle serve` is not written yet"),
    ))
}
