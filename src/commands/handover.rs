//! `upcycle handover MACHINE`: the laptop goes to its recipient; the ledger forgets the
//! workshop-only data and records what it removed.

use crate::exit::{Exit, Failure};
use crate::ledger::Ledger;
use crate::options::HandoverOptions;
use crate::passport::State;
use crate::printer::Printer;

pub fn run(opts: &HandoverOptions, printer: &Printer) -> Result<Exit, Failure> {
    let workshop = super::generate::read_workshop(opts.workshop.as_deref())?;
    let mut ledger = Ledger::open_existing(&opts.ledger)?;
    let machine = super::mark::find(&ledger, &opts.machine, &opts.ledger)?;
    let keep = workshop.passport.keep_recipient_name;
    let record = crate::passport::hand_over(&mut ledger, &machine, opts.recipient.as_deref(), keep)?;
    let lang = printer.lang;
    if !record.erased {
        printer.warn(&printer.text("msg-handover-not-erased"));
    }
    if !matches!(record.state_before, State::Ready | State::HandedOver) {
        printer.warn(&printer.format(
            "msg-handover-not-ready",
            &[("state", record.state_before.text(lang).into())],
        ));
    }
    printer.status(&printer.format(
        "msg-handover-done",
        &[
            ("host", machine.hostname.as_str().into()),
            ("number", (machine.number as u64).into()),
        ],
    ));
    let removed: Vec<String> = record
        .removed
        .iter()
        .map(|r| crate::l10n::code_text(lang, "handover-removed-", r))
        .collect();
    printer.status(&if removed.is_empty() {
        printer.text("msg-handover-removed-nothing")
    } else {
        printer.format("msg-handover-removed", &[("what", removed.join(", ").into())])
    });
    if record.not_stored.iter().any(|n| n == "recipient-name") {
        printer.status(&printer.text("msg-handover-name-not-stored"));
    } else if record.recipient_name.is_some() {
        printer.status(&printer.text("msg-handover-name-stored"));
    }
    Ok(Exit::Success)
}
