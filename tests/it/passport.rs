//! What travels with a laptop: its state from the ledger's events, a person's verdict
//! (`mark`), the hand-over and the passport, with the real binary on a ledger of every
//! fixture machine.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::support::{machines, probe_dir, stderr, stdout, upcycle};
use upcycle::inventory::Row;
use upcycle::l10n::Lang;
use upcycle::ledger::{self, Intake, Ledger};
use upcycle::render::Templates;
use upcycle::workshop::Workshop;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A ledger in `dir` with every fixture machine: its intake and, where a profile fits,
/// its bundle (as `batch` records them). Returns the ledger's path and each machine's
/// host name with its fixture's slug.
fn room(dir: &Path) -> (PathBuf, BTreeMap<String, String>) {
    let catalog = upcycle::catalog::load::load(None).unwrap().0;
    let templates = Templates::embedded().unwrap();
    let workshop = Workshop::embedded();
    let skip = BTreeSet::new();
    let inputs = upcycle::ops::Inputs {
        catalog: &catalog,
        templates: &templates,
        workshop: &workshop,
        today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        wanted: None,
        skip: &skip,
        lang: Lang::De,
    };
    let path = dir.join(ledger::FILE_NAME);
    let mut l = Ledger::open_or_create(&path).unwrap();
    let mut hosts = BTreeMap::new();
    for (slug, root) in machines() {
        let report = probe_dir(&root.join("root"));
        let ids = ledger::identity::identifiers(&report);
        let rule = |n: u32| workshop.hostname_for(n as usize, report.machine.serial.as_deref());
        let known = l
            .record_intake(&Intake {
                identifiers: &ids,
                model: report.machine.model.as_deref(),
                input: &slug,
                source: "test",
                hostname_for: &rule,
                wanted_number: None,
                claimed: &HashMap::new(),
            })
            .unwrap();
        let m = known.machine;
        if let Ok(prepared) = upcycle::ops::prepare(&report, &inputs, &m.hostname, &known.token) {
            let row = Row::ok(&m.hostname, &slug, &report, &prepared.selection, Lang::De);
            let record = upcycle::commands::ledger::bundle_record(&prepared, &row);
            l.record_bundle(m.id, "test", &record).unwrap();
        }
        hosts.insert(m.hostname, slug);
    }
    (path, hosts)
}

#[test]
fn mark_sets_the_state_status_shows() {
    let dir = tempfile::tempdir().unwrap();
    let (ledger, hosts) = room(dir.path());
    assert!(hosts.len() > 10, "{hosts:?}");
    let status = |lang: &str| {
        let out = upcycle(&["status", "--ledger", s(&ledger), "--format", "json", "--lang", lang]);
        assert!(out.status.success(), "{}", stderr(&out));
        let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout(&out)).unwrap();
        rows.into_iter()
            .map(|r| {
                (
                    r["hostname"].as_str().unwrap().to_string(),
                    r["state"].as_str().unwrap().to_string(),
                )
            })
            .collect::<BTreeMap<_, _>>()
    };
    assert!(status("de").values().all(|s| s == "intake"));

    let out = upcycle(&[
        "mark",
        "schule-003",
        "to-repair",
        "--note",
        "Scharnier\nlose",
        "--ledger",
        s(&ledger),
        "--lang",
        "de",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("zur Reparatur"), "{}", stderr(&out));
    let out = upcycle(&["mark", "2", "bereit", "--grade", "B", "--ledger", s(&ledger)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let states = status("de");
    assert_eq!(states["schule-002"], "ready");
    assert_eq!(states["schule-003"], "to-repair");
    assert_eq!(states["schule-001"], "intake");

    // a later verdict replaces the state; the history keeps both
    let out = upcycle(&["mark", "schule-003", "parts", "--ledger", s(&ledger)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(status("de")["schule-003"], "parts");
    let l = Ledger::open_existing(&ledger).unwrap();
    let m = l.machine("schule-003").unwrap().unwrap();
    let checked: Vec<_> = l
        .events_for(m.id)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "checked")
        .map(|e| e.details)
        .collect();
    assert_eq!(checked.len(), 2);
    assert_eq!(checked[0]["note"], "Scharnier lose");
    assert_eq!(checked[1]["verdict"], "parts");

    // the text table says the state in the terminal's language
    let out = upcycle(&["status", "--ledger", s(&ledger), "--lang", "de"]);
    let table = stdout(&out);
    assert!(table.contains("Zustand") && table.contains("Ersatzteile") && table.contains("bereit zur Übergabe"));
    let out = upcycle(&["status", "--ledger", s(&ledger), "--lang", "en"]);
    assert!(stdout(&out).contains("for parts"), "{}", stdout(&out));

    // an unknown machine is bad input, and nothing is recorded
    let out = upcycle(&["mark", "schule-999", "ready", "--ledger", s(&ledger)]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let out = upcycle(&["mark", "schule-001", "fertig", "--ledger", s(&ledger)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(status("de")["schule-001"], "intake");
}
