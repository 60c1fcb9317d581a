//! `upcycle log MACHINE`: one machine's history from the ledger.

use crate::exit::{Exit, Failure};
use crate::l10n::Said;
use crate::ledger::Ledger;
use crate::options::LogOptions;
use crate::printer::Printer;

pub fn run(opts: &LogOptions, printer: &Printer) -> Result<Exit, Failure> {
    let ledger = Ledger::open_existing(&opts.ledger)?;
    let Some(machine) = ledger.machine(&opts.machine)? else {
        return Err(Failure::new(
            Exit::BadInput,
            Said::new("err-log-no-machine")
                .arg("machine", format!("{:?}", opts.machine))
                .arg("path", opts.ledger.display().to_string()),
        ));
    };
    let events = ledger.events_for(machine.id)?;
    if opts.json {
        let all = serde_json::json!({ "machine": machine, "events": events });
        printer.out(&(serde_json::to_string_pretty(&all).expect("serialises") + "\n"));
        return Ok(Exit::Success);
    }
    let lang = printer.lang;
    let mut out = printer.format(
        "log-head",
        &[
            ("host", machine.hostname.as_str().into()),
            ("number", (machine.number as u64).into()),
            (
                "model",
                machine
                    .model
                    .as_deref()
                    .map(|m| format!(", {m}"))
                    .unwrap_or_default()
                    .into(),
            ),
            ("since", machine.created.as_str().into()),
        ],
    );
    out.push('\n');
    for e in &events {
        out.push_str(&format!(
            "  {}  {:<18} {:<10} {}\n",
            e.time,
            crate::l10n::code_text(lang, "event-", &e.kind),
            e.source,
            summary(&e.details, lang)
        ));
    }
    printer.out(&out);
    Ok(Exit::Success)
}

/// The details an event shows in a line: its input, profile, digest (short), line.
fn summary(details: &serde_json::Value, lang: crate::l10n::Lang) -> String {
    let f = |id: &str, k: &str, v: &str| crate::l10n::format(lang, id, &[(k, v.into())]);
    let get = |k: &str| details.get(k).and_then(|v| v.as_str());
    let mut parts = Vec::new();
    if let Some(i) = get("input") {
        parts.push(f("log-from", "input", i));
    }
    if details.get("new").and_then(|v| v.as_bool()) == Some(true) {
        parts.push(crate::l10n::text(lang, "log-new"));
    }
    if let Some(p) = get("profile") {
        parts.push(f("log-profile", "profile", p));
    }
    if let Some(d) = get("digest") {
        parts.push(format!("sha256 {}", &d[..d.len().min(12)]));
    }
    if let Some(s) = get("stage") {
        parts.push(format!("stage {s}:"));
    }
    if let Some(f) = get("file") {
        parts.push(format!("fetched {f}"));
    }
    if let Some(n) = details.get("packages").and_then(|v| v.as_u64()) {
        parts.push(format!("{n} packages"));
    }
    if let Some(d) = get("list_sha256") {
        parts.push(format!("list sha256 {}", &d[..d.len().min(12)]));
    }
    if let Some(v) = get("verdict") {
        parts.push(crate::l10n::code_text(lang, "state-", v));
    }
    if let Some(g) = get("grade") {
        parts.push(f("log-grade", "grade", g));
    }
    if let Some(n) = get("note") {
        parts.push(format!("\"{}\"", crate::render::one_line(n)));
    }
    if let Some(removed) = details.get("removed").and_then(|v| v.as_array()) {
        let what: Vec<String> = removed
            .iter()
            .filter_map(|r| r.as_str())
            .map(|r| crate::l10n::code_text(lang, "handover-removed-", r))
            .collect();
        if !what.is_empty() {
            parts.push(f("log-removed", "what", &what.join(", ")));
        }
    }
    if let Some(l) = get("line") {
        parts.push(crate::render::one_line(l));
    }
    if let Ok(e) = serde_json::from_value::<crate::ledger::ErasureEvent>(details.clone()) {
        parts.push(erasure(&e, lang));
    }
    parts.join(" ")
}

/// An `erased` event in a line: disk, result, method, check, record file and its hash.
fn erasure(e: &crate::ledger::ErasureEvent, lang: crate::l10n::Lang) -> String {
    let one = |s: &str| crate::render::one_line(s);
    let mut line = crate::l10n::format(
        lang,
        "log-erasure",
        &[
            ("disk", one(&e.disk.name).into()),
            (
                "result",
                crate::l10n::code_text(lang, "erasure-result-", &e.result).into(),
            ),
            ("method", one(&e.method).into()),
            ("category", one(&e.category).into()),
            (
                "check",
                crate::l10n::code_text(lang, "cert-result-", &e.verification.result).into(),
            ),
            ("file", one(&e.record_file).into()),
            ("sha", e.record_sha256.get(..12).unwrap_or(&e.record_sha256).into()),
        ],
    );
    if e.health == "replace" {
        line.push_str("; ");
        line.push_str(&crate::l10n::text(lang, "log-replace"));
    }
    line
}
