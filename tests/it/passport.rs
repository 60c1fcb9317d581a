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
    let (path, hosts, _) = room_with_serials(dir);
    (path, hosts)
}

/// [`room`], and the serial number of each machine's report.
fn room_with_serials(dir: &Path) -> (PathBuf, BTreeMap<String, String>, Vec<String>) {
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
        accessibility: None,
    };
    let path = dir.join(ledger::FILE_NAME);
    let mut l = Ledger::open_or_create(&path).unwrap();
    let mut hosts = BTreeMap::new();
    let mut serials = Vec::new();
    for (slug, root) in machines() {
        let mut report = probe_dir(&root.join("root"));
        // a serial in clear, as an unredacted capture has it: the inventory row keeps it
        report.machine.serial = Some(format!("SN{}X{}", 4711 + serials.len(), slug.len()));
        serials.extend(report.machine.serial.clone());
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
    (path, hosts, serials)
}

/// Events of the erasure, install, check and hand-over steps for machine `n`, varied by
/// its number so that every kind of passport is among the fixtures: erased and ready,
/// an erasure that failed, nothing yet, erased and handed over.
fn history(l: &mut Ledger, hostname: &str) {
    use serde_json::json;
    use upcycle::ledger::EventKind;
    let m = l.machine(hostname).unwrap().unwrap();
    let erased_ok = json!({"method": "overwrite", "category": "clear", "status": "erased", "result": "passed",
        "verification": "full", "disk_model": "HTS548040M9AT00", "sha256": "ab".repeat(32)});
    let erased_failed = json!({"method": "overwrite", "category": "clear", "status": "failed", "result": "failed"});
    // the event as `upcycle erase` writes it
    let erased_real = upcycle::ledger::ErasureEvent {
        schema: "upcycle.erasure/v2".into(),
        result: "erased".into(),
        method: "ata-sanitize-block-erase".into(),
        category: "purge".into(),
        verification: upcycle::ledger::erasure::ErasureCheck {
            method: "verify-sample".into(),
            result: "passed".into(),
            bytes_read: 1 << 30,
        },
        health: "replace".into(),
        disk: upcycle::ledger::erasure::ErasedDisk {
            name: "sda".into(),
            model: Some("ST9160310AS".into()),
            size_bytes: 160_041_885_696,
            bus: "sata".into(),
            medium: "hdd".into(),
        },
        record_file: "erasure-20261206T100000Z-sda.yaml".into(),
        record_sha256: "cd".repeat(32),
        found_by: "machine".into(),
        record: None,
    };
    // the laptop's self-check as serve records it (docs/check.md), two checks failed
    let checks = [
        "wifi-driver",
        "wifi-firmware",
        "wifi-scan",
        "sound",
        "webcam",
        "battery",
        "battery-charging",
        "disk-health",
        "disk-space",
        "packages",
        "display",
    ];
    let results: Vec<serde_json::Value> = checks
        .iter()
        .map(|c| {
            let outcome = if ["battery", "packages"].contains(c) {
                "fail"
            } else {
                "pass"
            };
            json!({"check": c, "outcome": outcome, "evidence": []})
        })
        .collect();
    let self_check = json!({"schema": "upcycle.check/v1", "time": "2026-12-06T10:00:00Z", "results": results});
    match m.number % 4 {
        0 if m.number % 8 == 4 => {
            l.record_erasure(m.id, &erased_real).unwrap();
            l.record_event(
                m.id,
                EventKind::Installed,
                "serve from 192.168.1.57",
                &json!({"packages": 1234}),
            )
            .unwrap();
        }
        0 => {
            l.record_event(m.id, EventKind::Erased, "erase", &erased_ok).unwrap();
            l.record_event(
                m.id,
                EventKind::Installed,
                "serve from 192.168.1.57",
                &json!({"packages": 1234}),
            )
            .unwrap();
            // a person's check in the room's form, as serve records it (docs/check.md)
            l.record_event(
                m.id,
                EventKind::Checked,
                "room from 192.168.1.20",
                &json!({"verdict": "ready", "grade": "B", "note": "Deckel <b>zerkratzt</b>",
                    "manual": {"keyboard": "ok", "touchpad": "defect", "hinges": "ok", "screen": "not-checked"}}),
            )
            .unwrap();
            l.record_event(m.id, EventKind::Checked, "serve from 192.168.1.57", &self_check)
                .unwrap();
        }
        1 => l
            .record_event(m.id, EventKind::Erased, "erase", &erased_failed)
            .unwrap(),
        2 if m.number % 8 == 6 => {
            l.record_event(m.id, EventKind::Checked, "mark", &json!({"verdict": "parts"}))
                .unwrap();
        }
        2 => {}
        _ => {
            l.record_event(m.id, EventKind::Erased, "erase", &erased_failed)
                .unwrap();
            l.record_event(m.id, EventKind::Erased, "erase", &erased_ok).unwrap();
            l.record_event(m.id, EventKind::Checked, "serve from 192.168.1.57", &self_check)
                .unwrap();
            l.record_event(m.id, EventKind::HandedOver, "handover", &json!({}))
                .unwrap();
        }
    }
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

    // the history says the verdict and the grade
    let out = upcycle(&["log", "schule-002", "--ledger", s(&ledger), "--lang", "de"]);
    let log = stdout(&out);
    assert!(log.contains("bereit zur Übergabe Note B"), "{log}");

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

/// Every fixture machine's passport, in German and in English: the page holds no word of
/// the other language, says clearly whether the disk was erased, escapes every value, and
/// shows no serial number; the JSON document reads back as the same passport.
#[test]
fn every_fixture_gets_a_passport_in_both_languages() {
    use crate::l10n::{ENGLISH, GERMAN, foreign, visible, words_of};
    let dir = tempfile::tempdir().unwrap();
    let (ledger, hosts, serials) = room_with_serials(dir.path());
    {
        let mut l = Ledger::open_existing(&ledger).unwrap();
        for host in hosts.keys() {
            history(&mut l, host);
        }
    }
    assert_eq!(serials.len(), hosts.len());
    // the ledger's bundle records keep them only keyed since ledger schema 3 (main's
    // 6b5d65f, docs/ledger.md); the passport must not show them either way
    {
        let l = Ledger::open_existing(&ledger).unwrap();
        let rows = serde_json::to_string(
            &l.last_bundles()
                .unwrap()
                .values()
                .map(|(_, b)| &b.row)
                .collect::<Vec<_>>(),
        )
        .unwrap();
        assert!(!serials.iter().any(|s| rows.contains(s.as_str())), "{rows}");
    }
    let catalog = upcycle::catalog::load::load(None).unwrap().0;
    let workshop = Workshop::embedded();
    let l = Ledger::open_existing(&ledger).unwrap();
    let machines = upcycle::passport::machines(&l, &[]).unwrap();
    let passports = upcycle::passport::passports(&l, &machines, &catalog, &workshop).unwrap();
    assert_eq!(passports.len(), hosts.len());
    use upcycle::passport::State;
    let mut seen_states = BTreeSet::new();
    let mut seen_replace = false;
    let mut seen_self_check = false;
    let mut seen_manual = false;
    for p in &passports {
        let json = p.to_json();
        assert_eq!(&upcycle::passport::Passport::from_json(&json).unwrap(), p);
        seen_states.insert(p.state);
        let names = words_of(&serde_json::to_string(&p.identity).unwrap())
            .into_iter()
            .chain(words_of(
                p.hardware.as_ref().and_then(|h| h.cpu.as_deref()).unwrap_or(""),
            ))
            .chain(words_of("HTS548040M9AT00 upcycle"))
            .collect::<BTreeSet<_>>();
        for lang in Lang::ALL {
            let page = upcycle::passport::html::page(p, lang);
            let (other, other_name) = match lang {
                Lang::De => (ENGLISH, "English"),
                Lang::En => (GERMAN, "German"),
            };
            let found = foreign(&visible("passport.html", &page), other, &names);
            assert!(
                found.is_empty(),
                "{} in {lang:?} has {other_name} words {found:?}",
                p.identity.hostname
            );
            for serial in &serials {
                assert!(
                    !page.contains(serial.as_str()) && !json.contains(serial.as_str()),
                    "{serial} in {}",
                    p.identity.hostname
                );
            }
            let erased = p.erased;
            assert_eq!(
                erased,
                p.erasures.last().is_some_and(|e| e.succeeded),
                "{}",
                p.identity.hostname
            );
            if p.erasures.iter().any(|e| e.health.as_deref() == Some("replace")) {
                seen_replace = true;
                let (model, replace) = match lang {
                    Lang::De => ("ST9160310AS", "sollte ersetzt werden"),
                    Lang::En => ("ST9160310AS", "should be replaced"),
                };
                assert!(
                    page.contains(model) && page.contains(replace),
                    "{}",
                    p.identity.hostname
                );
                assert!(page.contains("Purge") && page.contains(&"cd".repeat(32)));
            }
            let (warning, ok) = match lang {
                Lang::De => ("NOCH NICHT GELÖSCHT", "gelöscht und geprüft"),
                Lang::En => ("NOT ERASED YET", "erased and verified"),
            };
            assert_eq!(page.contains(warning), !erased, "{} {lang:?}", p.identity.hostname);
            assert_eq!(page.contains(ok), erased, "{} {lang:?}", p.identity.hostname);
            // the estimate, said as one, for every laptop not kept for parts
            let estimate = upcycle::passport::impact::estimate(1).text(lang);
            assert!(estimate.starts_with("ca. "), "{estimate}");
            assert_eq!(
                page.contains(&estimate),
                p.state != State::Parts,
                "{}",
                p.identity.hostname
            );
            if p.check.as_ref().and_then(|c| c.note.as_deref()).is_some() {
                assert!(page.contains("Deckel &lt;b&gt;zerkratzt&lt;&#x2F;b&gt;"), "{page}");
                assert!(!page.contains("<b>zerkratzt"));
            }
            // the room form's four items, in the page's language
            if p.check.as_ref().is_some_and(|c| c.manual.is_some()) {
                let items = match lang {
                    Lang::De => [
                        "Tastatur: in Ordnung",
                        "Touchpad: <strong>defekt</strong>",
                        "Scharniere und Gehäuse: in Ordnung",
                        "Bildschirm: nicht geprüft",
                    ],
                    Lang::En => [
                        "Keyboard: fine",
                        "Touchpad: <strong>defective</strong>",
                        "Hinges and case: fine",
                        "Screen: not checked",
                    ],
                };
                for item in items {
                    assert!(page.contains(item), "{item} in {page}");
                }
                seen_manual = true;
            }
            // the self-check, one line beside the person's verdict (which it leaves standing)
            if let Some(c) = &p.self_check {
                assert_eq!(c.failed, ["battery", "packages"]);
                assert_ne!(p.state, State::Checked, "{}", p.identity.hostname);
                let line = match lang {
                    Lang::De => "9 Prüfungen in Ordnung; mit Fehler: Akku: Kapazität, Gewählte Pakete installiert",
                    Lang::En => "9 checks passed; failed: Battery: capacity, Chosen packages installed",
                };
                assert!(page.contains(line), "{page}");
                seen_self_check = true;
            }
        }
    }
    assert!(seen_replace, "no passport of a disk to replace");
    assert!(seen_self_check, "no passport with a self-check");
    assert!(seen_manual, "no passport with the room form's items");
    for s in [
        State::Ready,
        State::Intake,
        State::HandedOver,
        State::Parts,
        State::Installed,
    ] {
        assert!(seen_states.contains(&s), "{s:?} not among {seen_states:?}");
    }
}

/// The real binary: all passports, then again (unchanged), then after a change of state
/// the earlier page is kept under the next number and the new one takes the name.
#[test]
fn passports_are_written_and_earlier_ones_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (ledger, hosts) = room(dir.path());
    let out = dir.path().join("passports");
    let run = |extra: &[&str]| {
        let mut args = vec!["passport", "--ledger", s(&ledger), "-o", s(&out)];
        args.extend_from_slice(extra);
        let o = upcycle(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        o
    };
    run(&[]);
    for host in hosts.keys() {
        for ext in ["json", "html"] {
            assert!(out.join(format!("{host}.passport.{ext}")).is_file(), "{host}.{ext}");
        }
    }
    let page = |name: &str| std::fs::read_to_string(out.join(name)).unwrap();
    let before = page("schule-002.passport.html");
    assert!(before.contains("<html lang=\"de\">") && before.contains("Gerätepass"));
    let o = run(&["--lang", "de"]);
    assert!(stderr(&o).contains("unverändert"), "{}", stderr(&o));
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), hosts.len() * 2);

    let o = upcycle(&["mark", "schule-002", "ready", "--ledger", s(&ledger)]);
    assert!(o.status.success(), "{}", stderr(&o));
    run(&["schule-002", "--lang", "en"]);
    assert_eq!(page("schule-002.passport.1.html"), before);
    let after = page("schule-002.passport.html");
    assert!(after.contains("<html lang=\"en\">") && after.contains("ready to hand over"));
    let doc = upcycle::passport::Passport::from_json(&page("schule-002.passport.json")).unwrap();
    assert_eq!(doc.state, upcycle::passport::State::Ready);
    assert!(out.join("schule-002.passport.1.json").is_file());

    // an unknown machine: bad input, nothing written
    let o = upcycle(&[
        "passport",
        "schule-999",
        "--ledger",
        s(&ledger),
        "-o",
        s(&dir.path().join("none")),
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(!dir.path().join("none").exists());
}

/// Everything the ledger file and its write-ahead log hold, as text (to look for a name).
fn ledger_bytes(ledger: &Path) -> String {
    let mut all = Vec::new();
    for suffix in ["", "-wal"] {
        let mut p = ledger.as_os_str().to_owned();
        p.push(suffix);
        all.extend(std::fs::read(PathBuf::from(p)).unwrap_or_default());
    }
    String::from_utf8_lossy(&all).into_owned()
}

/// The hand-over: the install token and the installer's state are removed and the record
/// says so; the recipient's name is stored nowhere in the ledger unless the workshop
/// keeps names; a laptop not erased or not ready is handed over with warnings.
#[test]
fn handover_forgets_the_workshop_data_and_keeps_no_name_unless_told() {
    use upcycle::ledger::EventKind;
    let dir = tempfile::tempdir().unwrap();
    let (ledger, _) = room(dir.path());
    let (three, five) = {
        let mut l = Ledger::open_existing(&ledger).unwrap();
        let three = l.machine("schule-003").unwrap().unwrap();
        let five = l.machine("schule-005").unwrap().unwrap();
        l.record_contact(
            three.id,
            "192.168.1.57",
            EventKind::PreseedFetched,
            &serde_json::json!({"file": "preseed.cfg"}),
        )
        .unwrap();
        assert!(l.install_state(three.id).unwrap().is_some());
        l.record_event(
            three.id,
            EventKind::Erased,
            "erase",
            &serde_json::json!({"status": "erased"}),
        )
        .unwrap();
        l.record_event(
            three.id,
            EventKind::Checked,
            "mark",
            &serde_json::json!({"verdict": "ready"}),
        )
        .unwrap();
        (three, five)
    };
    let name = "Anna Quellmalz-Beispiel";
    let o = upcycle(&[
        "handover",
        "schule-003",
        "--recipient",
        name,
        "--ledger",
        s(&ledger),
        "--lang",
        "de",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("NICHT gespeichert") && err.contains("Installationsschlüssel"),
        "{err}"
    );
    assert!(!err.contains("keine gelungene Löschung"), "{err}");
    assert!(!ledger_bytes(&ledger).contains(name), "the name is in the ledger file");
    let l = Ledger::open_existing(&ledger).unwrap();
    assert!(l.install_token(three.id).unwrap().is_none());
    assert!(l.install_state(three.id).unwrap().is_none());
    let last = l.events_for(three.id).unwrap().pop().unwrap();
    assert_eq!(last.kind, "handed-over");
    let record: upcycle::passport::HandOver = serde_json::from_value(last.details).unwrap();
    assert_eq!(record.removed, ["install-token", "install-state"]);
    assert_eq!(record.not_stored, ["recipient-name"]);
    assert_eq!(record.recipient_name, None);
    assert_eq!(record.state_before, upcycle::passport::State::Ready);
    assert!(record.erased);
    assert_eq!(
        upcycle::passport::state_of(&l.events_for(three.id).unwrap()),
        upcycle::passport::State::HandedOver
    );
    // the other machines keep their tokens
    assert!(l.install_token(five.id).unwrap().is_some());
    drop(l);

    // a workshop that keeps names: stored, and said; a laptop not erased nor ready: warned
    let workshop = dir.path().join("werkstatt.yaml");
    std::fs::write(
        &workshop,
        include_str!("../../data/workshop-default.yaml")
            .replace("keep_recipient_name: false", "keep_recipient_name: true"),
    )
    .unwrap();
    let o = upcycle(&[
        "handover",
        "5",
        "--recipient",
        name,
        "--workshop",
        s(&workshop),
        "--ledger",
        s(&ledger),
        "--lang",
        "de",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("keine gelungene Löschung") && err.contains("aufgenommen"),
        "{err}"
    );
    let l = Ledger::open_existing(&ledger).unwrap();
    let record: upcycle::passport::HandOver =
        serde_json::from_value(l.events_for(five.id).unwrap().pop().unwrap().details).unwrap();
    assert_eq!(record.recipient_name.as_deref(), Some(name));
    assert!(record.not_stored.is_empty());
    // (so the look into the file above finds a name that is there)
    assert!(ledger_bytes(&ledger).contains(name));
    assert!(!record.erased);

    // and the passport says handed over, without the name
    let out = dir.path().join("p");
    let o = upcycle(&["passport", "5", "--ledger", s(&ledger), "-o", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = std::fs::read_to_string(out.join("schule-005.passport.html")).unwrap();
    assert!(page.contains("übergeben") && !page.contains("Quellmalz"));
}

/// Every fixture's passport, printed by headless Chromium as its print dialog would, in
/// German and in English: one A4 page each, no console errors (the longest passports have
/// two erasures, a check with a note, the impact and the milestones).
#[test]
fn every_passport_prints_on_one_a4_page() {
    let dir = tempfile::tempdir().unwrap();
    let (ledger, hosts) = room(dir.path());
    {
        let mut l = Ledger::open_existing(&ledger).unwrap();
        for host in hosts.keys() {
            history(&mut l, host);
        }
    }
    let workshop = dir.path().join("werkstatt.yaml");
    std::fs::write(
        &workshop,
        include_str!("../../data/workshop-default.yaml")
            .replace(
                "workshop_name: \"\"",
                "workshop_name: \"Medienwerkstatt Dortmund-Nord\"",
            )
            .replace(
                "help: \"\"",
                "help: \"dienstags 15–18 Uhr im Jugendzentrum, Tel. 0231 000000, hilfe@medienwerkstatt.example\"",
            ),
    )
    .unwrap();
    for lang in ["de", "en"] {
        let out = dir.path().join(lang);
        let o = upcycle(&[
            "passport",
            "--ledger",
            s(&ledger),
            "-o",
            s(&out),
            "--workshop",
            s(&workshop),
            "--lang",
            lang,
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        for host in hosts.keys() {
            let page = out.join(format!("{host}.passport.html"));
            let pages = crate::inventory::print_pages(&page, &out.join(format!("{host}.pdf")));
            assert_eq!(pages, [(210, 297)], "{host} in {lang}");
        }
    }
}
