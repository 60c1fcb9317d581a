//! The state of a laptop, derived from its ledger events alone: a pure function, so the
//! ledger stays the one truth (events are appended, never edited) and `status`, the
//! passport and the inventory agree. The last event that says something about the state
//! decides: a laptop erased after it was installed is erased (its system is gone), a
//! laptop installed again after it was ready has to be checked again.

use serde::{Deserialize, Serialize};

use crate::ledger::Event;

/// Where a laptop is on its way from the donor to the school.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// In the ledger: read by batch, generate or plan (or imported).
    Intake,
    /// Its disk was erased and the erasure verified.
    Erased,
    /// Its system was installed (the installer's report, or its last step).
    Installed,
    /// Checked (a check without a person's verdict).
    Checked,
    /// A person found it ready to hand over.
    Ready,
    /// Given to its recipient.
    HandedOver,
    /// A person found something to repair first.
    ToRepair,
    /// Not to be handed over: kept for its parts.
    Parts,
}

impl State {
    pub const ALL: [State; 8] = [
        State::Intake,
        State::Erased,
        State::Installed,
        State::Checked,
        State::Ready,
        State::HandedOver,
        State::ToRepair,
        State::Parts,
    ];

    /// The code (`to-repair`), as in the JSON and the message ids (`state-to-repair`).
    pub fn as_str(self) -> &'static str {
        match self {
            State::Intake => "intake",
            State::Erased => "erased",
            State::Installed => "installed",
            State::Checked => "checked",
            State::Ready => "ready",
            State::HandedOver => "handed-over",
            State::ToRepair => "to-repair",
            State::Parts => "parts",
        }
    }

    /// The words for it (`state-<code>` in `locales/*/passport.ftl`).
    pub fn text(self, lang: crate::l10n::Lang) -> String {
        crate::l10n::text(lang, &format!("state-{}", self.as_str()))
    }

    /// Does this laptop go on to a person (the impact estimate counts it)?
    pub fn is_reused(self) -> bool {
        matches!(self, State::Ready | State::HandedOver)
    }
}

/// The verdict a person gives with `upcycle mark` (a `checked` event's `verdict`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Ready,
    ToRepair,
    Parts,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ready => "ready",
            Verdict::ToRepair => "to-repair",
            Verdict::Parts => "parts",
        }
    }

    pub fn state(self) -> State {
        match self {
            Verdict::Ready => State::Ready,
            Verdict::ToRepair => State::ToRepair,
            Verdict::Parts => State::Parts,
        }
    }

    /// A verdict from its code (`ready`, `to-repair`, `parts`).
    pub fn parse(code: &str) -> Option<Verdict> {
        match code {
            "ready" => Some(Verdict::Ready),
            "to-repair" => Some(Verdict::ToRepair),
            "parts" => Some(Verdict::Parts),
            _ => None,
        }
    }
}

/// The state one event leads to, if it says anything about the state. Details are read
/// tolerantly (they came from other upcycle versions, and some from the room's laptops):
/// an unknown verdict is a check without one; a failed or interrupted erasure changes
/// nothing.
pub fn state_after(event: &Event) -> Option<State> {
    let get = |k: &str| event.details.get(k).and_then(|v| v.as_str());
    match event.kind.as_str() {
        "intake" => Some(State::Intake),
        // per disk, in [`state_of`]
        "erased" => None,
        "installed" => Some(State::Installed),
        "install-progress" => (get("stage") == Some("installed")).then_some(State::Installed),
        "checked" => Some(
            get("verdict")
                .and_then(Verdict::parse)
                .map_or(State::Checked, Verdict::state),
        ),
        "handed-over" => Some(State::HandedOver),
        _ => None,
    }
}

/// A machine's state now: the state of its last event that says one (intake before any).
/// An `erased` event says `erased` when the last run on every disk of the machine erased
/// it; a run that failed or was interrupted says `intake` (the disk was touched: neither
/// erased nor holding an intact system any more).
pub fn state_of(events: &[Event]) -> State {
    let mut disks: std::collections::BTreeMap<String, bool> = std::collections::BTreeMap::new();
    let mut state = State::Intake;
    for e in events {
        if e.kind == "erased" {
            disks.insert(disk_of(&e.details), erasure_succeeded(&e.details));
            state = if disks.values().all(|ok| *ok) {
                State::Erased
            } else {
                State::Intake
            };
        } else if let Some(s) = state_after(e) {
            // A self-check after a person's verdict (the laptop booted again) leaves the
            // verdict standing.
            let verdict = matches!(state, State::Ready | State::ToRepair | State::Parts);
            if !(s == State::Checked && verdict) {
                state = s;
            }
        }
    }
    state
}

/// Which disk an `erased` event is about (`disk.name`, `sda`), empty when it does not say.
pub fn disk_of(details: &serde_json::Value) -> String {
    let d = details.get("disk");
    d.and_then(|d| d.get("name"))
        .or(d)
        .and_then(|n| n.as_str())
        .unwrap_or("")
        .to_string()
}

/// Whether the last erasure of every disk succeeded (and there was one).
pub fn all_disks_erased(events: &[Event]) -> bool {
    let mut disks = std::collections::BTreeMap::new();
    for e in events.iter().filter(|e| e.kind == "erased") {
        disks.insert(disk_of(&e.details), erasure_succeeded(&e.details));
    }
    !disks.is_empty() && disks.values().all(|ok| *ok)
}

/// Did the erasure an `erased` event records succeed? Its `status` (the record's:
/// `erased`, `interrupted`, `failed`) or `result` says so; an event that says neither is
/// taken at its kind's word.
pub fn erasure_succeeded(details: &serde_json::Value) -> bool {
    const GOOD: &[&str] = &["erased", "passed", "ok", "success", "succeeded"];
    let said = |k: &str| {
        details.get(k).and_then(|v| {
            v.as_str()
                .map(str::to_string)
                .or_else(|| v.get("result")?.as_str().map(str::to_string))
        })
    };
    match (said("status"), said("result")) {
        (None, None) => true,
        (status, result) => {
            status.is_none_or(|s| GOOD.contains(&s.as_str())) && result.is_none_or(|r| GOOD.contains(&r.as_str()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ev(kind: &str, details: serde_json::Value) -> Event {
        Event {
            time: "2026-12-06T10:00:00Z".into(),
            kind: kind.into(),
            source: "test".into(),
            details,
        }
    }

    fn states(events: &[Event]) -> Vec<State> {
        (1..=events.len()).map(|n| state_of(&events[..n])).collect()
    }

    #[test]
    fn the_last_event_that_says_a_state_decides() {
        use State::*;
        let events = [
            ev("intake", json!({"input": "a.yaml", "new": true})),
            ev("bundle", json!({"profile": "debian-13-xfce"})),
            ev(
                "erased",
                json!({"method": "overwrite", "category": "clear", "result": "passed"}),
            ),
            ev("preseed-fetched", json!({"file": "preseed.cfg"})),
            ev("install-progress", json!({"stage": "software"})),
            ev("install-progress", json!({"stage": "installed"})),
            ev("installed", json!({"packages": 1200})),
            ev("first-boot", json!({})),
            ev("checked", json!({"results": []})),
            ev("checked", json!({"verdict": "to-repair", "note": "Scharnier"})),
            ev("checked", json!({"verdict": "ready", "grade": "B"})),
            ev("checked", json!({"results": []})),
            ev("handed-over", json!({})),
            ev("intake", json!({"input": "back.yaml"})),
            ev("checked", json!({"verdict": "parts"})),
        ];
        assert_eq!(
            states(&events),
            [
                Intake, Intake, Erased, Erased, Erased, Installed, Installed, Installed, Checked, ToRepair, Ready,
                Ready, HandedOver, Intake, Parts
            ]
        );
    }

    #[test]
    fn no_events_is_intake_and_unknown_kinds_change_nothing() {
        assert_eq!(state_of(&[]), State::Intake);
        let events = [
            ev("installed", json!({})),
            ev("media", json!({})),
            ev("something-newer", json!({"verdict": "parts"})),
        ];
        assert_eq!(state_of(&events), State::Installed);
    }

    #[test]
    fn every_disk_must_be_erased_by_its_last_run() {
        use State::*;
        let disk = |name: &str, result: &str| ev("erased", json!({"result": result, "disk": {"name": name}}));
        let events = [
            ev("installed", json!({})),
            disk("sda", "erased"),
            disk("sdb", "failed"),
            disk("sdb", "erased"),
            disk("sda", "interrupted"),
        ];
        assert_eq!(states(&events), [Installed, Erased, Intake, Erased, Intake]);
        assert!(!all_disks_erased(&events));
        assert!(all_disks_erased(&events[..4]));
        assert!(!all_disks_erased(&events[..1]));
    }

    #[test]
    fn a_failed_or_interrupted_erasure_is_not_an_erasure() {
        let installed = ev("installed", json!({}));
        for details in [
            json!({"status": "failed"}),
            json!({"status": "interrupted", "result": "not-run"}),
            json!({"result": "failed"}),
            json!({"status": "erased", "verification": {"result": "failed"}, "result": "failed"}),
            json!({"verification": {"result": "failed"}, "status": "erased", "result": "not-run"}),
        ] {
            let events = [installed.clone(), ev("erased", details.clone())];
            assert_eq!(state_of(&events), State::Intake, "{details}");
        }
        for details in [
            json!({"status": "erased"}),
            json!({"result": "passed"}),
            json!({"status": "erased", "result": "passed"}),
            json!({"method": "overwrite"}),
            json!({"result": {"result": "passed"}}),
        ] {
            let events = [installed.clone(), ev("erased", details.clone())];
            assert_eq!(state_of(&events), State::Erased, "{details}");
        }
    }

    #[test]
    fn an_unknown_verdict_is_a_check_without_one() {
        let events = [ev("checked", json!({"verdict": "<script>"}))];
        assert_eq!(state_of(&events), State::Checked);
        let events = [ev("checked", json!({"verdict": 3}))];
        assert_eq!(state_of(&events), State::Checked);
    }

    #[test]
    fn every_state_has_its_words_in_both_languages() {
        for s in State::ALL {
            assert!(crate::l10n::has(&format!("state-{}", s.as_str())), "{s:?}");
        }
    }
}
