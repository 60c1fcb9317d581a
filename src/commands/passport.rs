//! `upcycle passport [MACHINE...] -o DIR`: each laptop's passport (JSON + A4 page) from
//! the ledger.

use crate::exit::{Exit, Failure};
use crate::l10n::Said;
use crate::ledger::Ledger;
use crate::options::PassportOptions;
use crate::passport::write::Written;
use crate::printer::Printer;

pub fn run(opts: &PassportOptions, printer: &Printer) -> Result<Exit, Failure> {
    super::check_output_dir(&opts.output)?;
    let workshop = super::generate::read_workshop(opts.workshop.as_deref())?;
    let (catalog, _) = crate::catalog::load::load(opts.catalog.as_deref())?;
    let ledger = Ledger::open_existing(&opts.ledger)?;
    let machines = crate::passport::machines(&ledger, &opts.machines)?;
    let passports = crate::passport::passports(&ledger, &machines, &catalog, &workshop)?;
    let lang = opts.lang.unwrap_or(workshop.language);
    std::fs::create_dir_all(&opts.output).map_err(|e| {
        Failure::new(
            Exit::Internal,
            Said::new("err-passport-write")
                .arg("path", opts.output.display().to_string())
                .arg("error", e.to_string()),
        )
    })?;
    for p in &passports {
        let files = crate::passport::write_passport(&opts.output, p, lang)?;
        for (path, written) in [&files.json, &files.html] {
            let shown = path.display().to_string();
            let line = match written {
                Written::New => printer.format("msg-passport-new", &[("path", shown.into())]),
                Written::Unchanged => printer.format("msg-passport-unchanged", &[("path", shown.into())]),
                Written::Replaced { kept } => printer.format(
                    "msg-passport-replaced",
                    &[("path", shown.into()), ("kept", kept.display().to_string().into())],
                ),
            };
            printer.status(&line);
        }
    }
    printer.out(&printer.format(
        "msg-passport-done",
        &[
            ("n", (passports.len() as u64).into()),
            ("path", opts.output.display().to_string().into()),
        ],
    ));
    printer.out("\n");
    Ok(Exit::Success)
}
