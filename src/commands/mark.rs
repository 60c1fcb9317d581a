//! `upcycle mark MACHINE STATE`: a person's verdict into the ledger.

use crate::exit::{Exit, Failure};
use crate::ledger::{Ledger, Machine};
use crate::options::MarkOptions;
use crate::printer::Printer;

pub fn run(opts: &MarkOptions, printer: &Printer) -> Result<Exit, Failure> {
    let mut ledger = Ledger::open_existing(&opts.ledger)?;
    let machine = find(&ledger, &opts.machine, &opts.ledger)?;
    let state = crate::passport::mark(&mut ledger, &machine, &opts.mark)?;
    printer.status(&printer.format(
        "msg-marked",
        &[
            ("host", machine.hostname.as_str().into()),
            ("number", (machine.number as u64).into()),
            ("state", state.text(printer.lang).into()),
        ],
    ));
    Ok(Exit::Success)
}

/// The machine a command names (number or host name), or bad input (3) saying how to
/// name one.
pub fn find(ledger: &Ledger, name: &str, path: &std::path::Path) -> Result<Machine, Failure> {
    ledger.machine(name)?.ok_or_else(|| {
        Failure::new(
            Exit::BadInput,
            crate::l10n::Said::new("err-log-no-machine")
                .arg("machine", format!("{name:?}"))
                .arg("path", path.display().to_string()),
        )
    })
}
