//! `upcycle status`: the room, one line per machine of the ledger.

use crate::exit::{Exit, Failure};
use crate::ledger::Ledger;
use crate::options::StatusOptions;
use crate::passport::StatusRow;
use crate::printer::Printer;

pub fn run(opts: &StatusOptions, printer: &Printer) -> Result<Exit, Failure> {
    let ledger = Ledger::open_existing(&opts.ledger)?;
    let room = crate::passport::room_with_states(&ledger)?;
    if opts.json {
        printer.out(&(serde_json::to_string_pretty(&room).expect("serialises") + "\n"));
    } else {
        printer.out(&table(&room, printer.lang));
    }
    Ok(Exit::Success)
}

/// The room as a text table: number, host name, model, state, last event, since when,
/// and the install stage serve heard of (`-` before any).
pub fn table(room: &[StatusRow], lang: crate::l10n::Lang) -> String {
    let cell = |s: &Option<String>| s.as_deref().map(crate::render::one_line).unwrap_or_else(|| "-".into());
    let rows: Vec<[String; 8]> = room
        .iter()
        .map(|StatusRow { row: r, state }| {
            [
                r.number.to_string(),
                r.hostname.clone(),
                cell(&r.model),
                state.text(lang),
                r.last_event
                    .as_deref()
                    .map(|k| crate::l10n::code_text(lang, "event-", k))
                    .unwrap_or_else(|| "-".into()),
                cell(&r.since),
                r.stage
                    .as_deref()
                    .map(|k| crate::l10n::code_text(lang, "stage-", k))
                    .unwrap_or_else(|| "-".into()),
                r.erasure
                    .as_ref()
                    .map(|e| erasure_text(e, lang))
                    .unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    let header = [
        "msg-status-number",
        "msg-status-host",
        "msg-status-model",
        "msg-status-state",
        "msg-status-event",
        "msg-status-since",
        "msg-status-stage",
        "msg-status-erasure",
    ]
    .map(|id| crate::l10n::text(lang, id));
    let mut widths = header.clone().map(|h| h.chars().count());
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::with_capacity(rows.len() * 80);
    for r in std::iter::once(&header).chain(&rows) {
        let line: Vec<String> = r.iter().zip(widths).map(|(c, w)| format!("{c:<w$}")).collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out.push_str(&crate::l10n::format(
        lang,
        "msg-status-count",
        &[("n", (rows.len() as u64).into())],
    ));
    out.push('\n');
    out
}

/// A machine's erasures in a cell: `gelöscht 2026-12-06`, and "replace the disk before
/// hand-over" when the health gate said so.
pub fn erasure_text(e: &crate::ledger::ErasureState, lang: crate::l10n::Lang) -> String {
    crate::l10n::format(
        lang,
        "msg-status-erasure-cell",
        &[
            (
                "result",
                crate::l10n::code_text(lang, "erasure-result-", &e.result).into(),
            ),
            ("date", e.time.get(..10).unwrap_or(&e.time).into()),
            ("replace", if e.replace { "yes" } else { "no" }.into()),
        ],
    )
}
