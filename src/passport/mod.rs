//! What travels with a laptop: its state on the way from the donor to the school
//! ([`state`]), a person's verdict ([`mark`]), the hand-over, and its passport (a
//! versioned JSON document and a printable A4 page, German first). Everything here is
//! derived from the workshop ledger's events: the ledger stays the one truth, the views
//! are pure functions of it. See docs/passport.md.

pub mod document;
pub mod html;
pub mod impact;
pub mod state;
pub mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::ledger::{EventKind, Ledger, LedgerError, Machine, RoomRow};
pub use document::{Passport, build};
pub use state::{State, Verdict, state_of};

/// The cosmetic and functional grade a person gives (eReuse's A-E: A like new, E only
/// just usable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Grade {
    A,
    B,
    C,
    D,
    E,
}

/// A note is one line of at most this many characters (a volunteer's words, not a file).
pub const MAX_NOTE_CHARS: usize = 500;

/// A person's verdict on a laptop, as `upcycle mark` records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub verdict: Verdict,
    pub grade: Option<Grade>,
    /// What is to repair, or why it is kept for parts: made one line, cut to
    /// [`MAX_NOTE_CHARS`].
    pub note: Option<String>,
}

impl Mark {
    /// The `checked` event's details: `{"verdict": ..., "grade": ..., "note": ...}`.
    pub fn details(&self) -> serde_json::Value {
        let mut d = serde_json::json!({ "verdict": self.verdict.as_str() });
        if let Some(g) = self.grade {
            d["grade"] = serde_json::to_value(g).expect("a grade serialises");
        }
        if let Some(n) = &self.note {
            let line: String = crate::render::one_line(n).chars().take(MAX_NOTE_CHARS).collect();
            if !line.is_empty() {
                d["note"] = line.into();
            }
        }
        d
    }
}

/// Record a person's verdict on `machine`: one `checked` event (appended; a later verdict
/// replaces it in the state, the earlier stays in the history). Returns the new state.
pub fn mark(ledger: &mut Ledger, machine: &Machine, mark: &Mark) -> Result<State, LedgerError> {
    ledger.record_event(machine.id, EventKind::Checked, "mark", &mark.details())?;
    Ok(state_of(&ledger.events_for(machine.id)?))
}

/// The longest recipient's name kept (when the workshop keeps names at all).
pub const MAX_NAME_CHARS: usize = 128;

/// What a hand-over recorded: the event's details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandOver {
    /// The recipient's name, only when the workshop keeps names
    /// (`passport.keep_recipient_name`) and one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_name: Option<String>,
    /// What the hand-over removed from the ledger (`install-token`, `install-state`).
    pub removed: Vec<String>,
    /// What was given but not stored (`recipient-name`).
    pub not_stored: Vec<String>,
    /// The machine's state before, to see a hand-over of a laptop that was not ready.
    pub state_before: State,
    /// Whether an erasure of its disk was recorded as successful before.
    pub erased: bool,
}

/// Hand `machine` over: forget its workshop-only install data, keep the recipient's name
/// only if the workshop says so, and record what was removed and what was not stored.
/// One transaction. Returns the record and the state before (a laptop not erased or not
/// ready is handed over all the same: the command warns).
pub fn hand_over(
    ledger: &mut Ledger,
    machine: &Machine,
    recipient: Option<&str>,
    keep_recipient_name: bool,
) -> Result<HandOver, LedgerError> {
    let events = ledger.events_for(machine.id)?;
    let before = state_of(&events);
    let erased = events
        .iter()
        .any(|e| e.kind == "erased" && state::erasure_succeeded(&e.details));
    let name = recipient
        .map(|n| {
            crate::render::one_line(n)
                .chars()
                .take(MAX_NAME_CHARS)
                .collect::<String>()
        })
        .filter(|n| !n.is_empty());
    let record = |forgotten: &crate::ledger::Forgotten| {
        let mut removed = Vec::new();
        if forgotten.install_token {
            removed.push("install-token".to_string());
        }
        if forgotten.install_state {
            removed.push("install-state".to_string());
        }
        let (recipient_name, not_stored) = match (&name, keep_recipient_name) {
            (Some(n), true) => (Some(n.clone()), vec![]),
            (Some(_), false) => (None, vec!["recipient-name".to_string()]),
            (None, _) => (None, vec![]),
        };
        serde_json::to_value(HandOver {
            recipient_name,
            removed,
            not_stored,
            state_before: before,
            erased,
        })
        .expect("a hand-over serialises")
    };
    let details = ledger.record_handover(machine.id, "handover", record)?;
    Ok(serde_json::from_value(details).expect("the details just made"))
}

/// A row of `status`: the room's row and the machine's state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatusRow {
    #[serde(flatten)]
    pub row: RoomRow,
    pub state: State,
}

/// The room with every machine's state (`upcycle status`).
pub fn room_with_states(ledger: &Ledger) -> Result<Vec<StatusRow>, LedgerError> {
    let events = ledger.events_by_machine()?;
    let by_number: BTreeMap<u32, i64> = ledger.machines()?.into_iter().map(|m| (m.number, m.id)).collect();
    Ok(ledger
        .room()?
        .into_iter()
        .map(|row| {
            let state = by_number
                .get(&row.number)
                .and_then(|id| events.get(id))
                .map_or(State::Intake, |e| state_of(e));
            StatusRow { row, state }
        })
        .collect())
}

/// Why passports could not be made or written.
#[derive(Debug, thiserror::Error)]
pub enum PassportError {
    #[error("no machine {name:?} in {path}: give its number or host name (see `upcycle status`)")]
    NoMachine { name: String, path: PathBuf },
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error("cannot write the passport {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
}

impl crate::l10n::Localize for PassportError {
    fn localize(&self, lang: crate::l10n::Lang) -> String {
        use crate::l10n::format;
        match self {
            PassportError::NoMachine { name, path } => format(
                lang,
                "err-log-no-machine",
                &[
                    ("machine", format!("{name:?}").into()),
                    ("path", path.display().to_string().into()),
                ],
            ),
            PassportError::Ledger(e) => e.localize(lang),
            PassportError::Write { path, source } => format(
                lang,
                "err-passport-write",
                &[
                    ("path", path.display().to_string().into()),
                    ("error", source.to_string().into()),
                ],
            ),
        }
    }
}

/// The machines `names` name (numbers or host names), in the order given; all of them, by
/// number, when none is named. An unknown name is an error before anything is made.
pub fn machines(ledger: &Ledger, names: &[String]) -> Result<Vec<Machine>, PassportError> {
    if names.is_empty() {
        return Ok(ledger.machines()?);
    }
    names
        .iter()
        .map(|n| {
            ledger.machine(n)?.ok_or_else(|| PassportError::NoMachine {
                name: n.clone(),
                path: ledger.path().to_path_buf(),
            })
        })
        .collect()
}

/// The passports of `machines` from the ledger's events.
pub fn passports(
    ledger: &Ledger,
    machines: &[Machine],
    catalog: &crate::catalog::Catalog,
    workshop: &crate::workshop::Workshop,
) -> Result<Vec<Passport>, PassportError> {
    let events = ledger.events_by_machine()?;
    Ok(machines
        .iter()
        .map(|m| build(m, events.get(&m.id).map_or(&[][..], Vec::as_slice), catalog, workshop))
        .collect())
}

/// The two files of one passport written into `dir`, and what happened to each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Files {
    pub json: (PathBuf, write::Written),
    pub html: (PathBuf, write::Written),
}

/// Write a passport's JSON document and its page (in `lang`) into `dir`, keeping any
/// different file of the same name ([`write::write_keeping`]).
pub fn write_passport(dir: &Path, passport: &Passport, lang: crate::l10n::Lang) -> Result<Files, PassportError> {
    let stem = write::file_stem(&passport.identity.hostname, passport.identity.number);
    let one = |ext: &str, bytes: &[u8]| {
        let name = format!("{stem}.{ext}");
        write::write_keeping(dir, &name, bytes)
            .map(|w| (dir.join(&name), w))
            .map_err(|source| PassportError::Write {
                path: dir.join(&name),
                source,
            })
    };
    Ok(Files {
        json: one("json", passport.to_json().as_bytes())?,
        html: one("html", html::page(passport, lang).as_bytes())?,
    })
}
