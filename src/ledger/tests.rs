//! The ledger on temp files: numbering, recognition, conflicts, versions, damage.

use super::*;

fn id(kind: Kind, value: &str) -> Identifier {
    Identifier {
        kind,
        value: value.into(),
    }
}

fn intake<'a>(
    ids: &'a [Identifier],
    input: &'a str,
    claimed: &'a HashMap<i64, String>,
    rule: &'a dyn Fn(u32) -> String,
) -> Intake<'a> {
    Intake {
        identifiers: ids,
        model: Some("ThinkPad T40"),
        input,
        source: "test",
        hostname_for: rule,
        wanted_number: None,
        claimed,
    }
}

fn schule(n: u32) -> String {
    format!("schule-{n:03}")
}

#[test]
fn numbers_are_given_once_and_machines_recognised() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let none = HashMap::new();
    let mut l = Ledger::open_or_create(&path).unwrap();
    let a = [id(Kind::Serial, "AAA111"), id(Kind::Mac, "00:11:22:33:44:55")];
    let b = [id(Kind::Mac, "00:11:22:33:44:66")];
    let ra = l.record_intake(&intake(&a, "a.yaml", &none, &schule)).unwrap();
    let rb = l.record_intake(&intake(&b, "b.yaml", &none, &schule)).unwrap();
    assert_eq!((ra.machine.number, rb.machine.number), (1, 2));
    assert!(!ra.known);
    drop(l);
    // reopened: a's MAC alone finds a again
    let mut l = Ledger::open_existing(&path).unwrap();
    let again = l
        .record_intake(&intake(
            &[id(Kind::Mac, "00:11:22:33:44:55")],
            "a2.yaml",
            &none,
            &schule,
        ))
        .unwrap();
    assert!(again.known);
    assert_eq!(again.machine.hostname, "schule-001");
    let c = l
        .record_intake(&intake(&[id(Kind::Serial, "CCC")], "c.yaml", &none, &schule))
        .unwrap();
    assert_eq!(c.machine.number, 3);
    let room = l.room().unwrap();
    assert_eq!(room.len(), 3);
    assert_eq!(room[0].last_event.as_deref(), Some("intake"));
    assert_eq!(l.events_for(ra.machine.id).unwrap().len(), 2);
    // a rerun over the same input adds no event
    l.record_intake(&intake(&a, "a2.yaml", &none, &schule)).unwrap();
    assert_eq!(l.events_for(ra.machine.id).unwrap().len(), 2);
    assert_eq!(l.machine("schule-002").unwrap().unwrap().number, 2);
    assert_eq!(l.machine("2").unwrap().unwrap().hostname, "schule-002");
    assert_eq!(l.integrity_check().unwrap(), "ok");
}

#[test]
fn the_raw_values_are_never_stored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let mut l = Ledger::open_or_create(&path).unwrap();
    let none = HashMap::new();
    l.record_intake(&intake(
        &[id(Kind::Serial, "SECRET-SERIAL-42")],
        "a.yaml",
        &none,
        &schule,
    ))
    .unwrap();
    drop(l);
    // checkpointed on close: the whole database is in the main file
    let bytes = std::fs::read(&path).unwrap();
    assert!(!bytes.windows(16).any(|w| w == b"SECRET-SERIAL-42"));
}

#[test]
fn a_keyed_value_from_a_redaction_matches_the_raw_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open_or_create(&dir.path().join(FILE_NAME)).unwrap();
    let none = HashMap::new();
    let raw = l
        .record_intake(&intake(&[id(Kind::Serial, "R9-XYZ")], "raw.yaml", &none, &schule))
        .unwrap();
    let keyed = l.key().hide(Kind::Serial, "R9-XYZ");
    let redacted = l
        .record_intake(&intake(&[id(Kind::Serial, &keyed)], "redacted.yaml", &none, &schule))
        .unwrap();
    assert_eq!(raw.machine, redacted.machine);
}

#[test]
fn conflicts_name_both_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open_or_create(&dir.path().join(FILE_NAME)).unwrap();
    let none = HashMap::new();
    let fixed = |_: u32| "laptop-dacted".to_string();
    l.record_intake(&intake(&[id(Kind::Serial, "A1234")], "first.yaml", &none, &fixed))
        .unwrap();
    let e = l
        .record_intake(&intake(&[id(Kind::Serial, "B5678")], "second.yaml", &none, &fixed))
        .unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("first.yaml") && msg.contains("second.yaml") && msg.contains("laptop-dacted"),
        "{msg}"
    );
    assert_eq!(l.machine_count().unwrap(), 1, "nothing of the refused one is kept");

    // the same laptop twice in one run
    let first = l.machine("1").unwrap().unwrap();
    let claimed: HashMap<i64, String> = [(first.id, "first-in-run.yaml".to_string())].into();
    let e = l
        .record_intake(&intake(&[id(Kind::Serial, "A1234")], "copy.yaml", &claimed, &schule))
        .unwrap_err();
    assert!(matches!(e, LedgerError::Conflict(Conflict::Duplicate { .. })), "{e}");
    assert!(e.to_string().contains("first-in-run.yaml"), "{e}");
}

#[test]
fn same_disk_laptops_of_one_run_are_two_machines_and_stay_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open_or_create(&dir.path().join(FILE_NAME)).unwrap();
    let disk = [id(Kind::Disk, "HTS541010|100030242816")];
    for _ in 0..2 {
        let mut claimed = HashMap::new();
        let mut numbers = Vec::new();
        for input in ["a.yaml", "b.yaml"] {
            let r = l.record_intake(&intake(&disk, input, &claimed, &schule)).unwrap();
            claimed.insert(r.machine.id, input.to_string());
            numbers.push(r.machine.number);
        }
        assert_eq!(numbers, [1, 2]);
    }
}

#[test]
fn a_wanted_number_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open_or_create(&dir.path().join(FILE_NAME)).unwrap();
    let none = HashMap::new();
    let mut i = intake(&[], "a.yaml", &none, &schule);
    i.wanted_number = Some(12);
    assert_eq!(l.record_intake(&i).unwrap().machine.hostname, "schule-012");
    let ids = [id(Kind::Serial, "X1X1X1")];
    let mut j = intake(&ids, "b.yaml", &none, &schule);
    j.wanted_number = Some(12);
    assert!(matches!(
        l.record_intake(&j).unwrap_err(),
        LedgerError::Conflict(Conflict::NumberTaken { number: 12, .. })
    ));
    j.wanted_number = None;
    assert_eq!(l.record_intake(&j).unwrap().machine.number, 13);
}

#[test]
fn events_are_append_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open_or_create(&dir.path().join(FILE_NAME)).unwrap();
    let none = HashMap::new();
    l.record_intake(&intake(&[], "a.yaml", &none, &schule)).unwrap();
    assert!(l.conn.execute("UPDATE events SET kind = 'bundle'", []).is_err());
    assert!(l.conn.execute("DELETE FROM events", []).is_err());
}

#[test]
fn a_newer_ledger_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    drop(Ledger::open_or_create(&path).unwrap());
    {
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let e = Ledger::open_or_create(&path).unwrap_err();
    assert!(matches!(e, LedgerError::Newer { .. }), "{e}");
    assert!(e.to_string().contains("newer upcycle"), "{e}");
    assert!(e.is_bad_input());
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_file_that_is_not_a_ledger_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    std::fs::write(&path, b"inventory, not a database\n").unwrap();
    let e = Ledger::open_or_create(&path).unwrap_err();
    assert!(matches!(e, LedgerError::NotALedger { .. }), "{e}");
    assert_eq!(std::fs::read(&path).unwrap(), b"inventory, not a database\n");

    // another program's SQLite database
    let other = dir.path().join("other.sqlite");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let e = Ledger::open_or_create(&other).unwrap_err();
    assert!(matches!(e, LedgerError::NotALedger { .. }), "{e}");

    let e = Ledger::open_existing(&dir.path().join("missing.sqlite")).unwrap_err();
    assert!(matches!(e, LedgerError::Missing(_)), "{e}");
    assert!(!dir.path().join("missing.sqlite").exists());
}

#[test]
fn a_new_serial_with_a_known_mac_is_another_laptop() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open_or_create(&dir.path().join(FILE_NAME)).unwrap();
    let none = HashMap::new();
    let a = [id(Kind::Serial, "SYN000001"), id(Kind::Mac, "00:11:22:33:44:55")];
    let b = [id(Kind::Serial, "SYN000002"), id(Kind::Mac, "00:11:22:33:44:55")];
    let ra = l.record_intake(&intake(&a, "a.yaml", &none, &schule)).unwrap();
    let rb = l.record_intake(&intake(&b, "b.yaml", &none, &schule)).unwrap();
    assert_ne!(ra.machine.id, rb.machine.id);
    // the MAC alone still finds the first (lowest number) it does not contradict
    let again = l
        .record_intake(&intake(&[id(Kind::Mac, "00:11:22:33:44:55")], "c.yaml", &none, &schule))
        .unwrap();
    assert_eq!(again.machine.id, ra.machine.id);
}

#[test]
fn install_tokens_are_made_once_and_checked_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let none = HashMap::new();
    let mut l = Ledger::open_or_create(&path).unwrap();
    let a = [id(Kind::Serial, "AAA111")];
    let first = l.record_intake(&intake(&a, "a.yaml", &none, &schule)).unwrap();
    let again = l.record_intake(&intake(&a, "a2.yaml", &none, &schule)).unwrap();
    assert_eq!(first.token, again.token, "a machine keeps its token");
    let b = l
        .record_intake(&intake(&[id(Kind::Serial, "BBB")], "b.yaml", &none, &schule))
        .unwrap();
    assert_ne!(first.token, b.token);
    assert_eq!(l.install_token(first.machine.id).unwrap(), Some(first.token.clone()));
    let found = l.machine_with_token("schule-001", first.token.as_str()).unwrap();
    assert_eq!(found.map(|m| m.number), Some(1));
    for (host, token) in [
        ("schule-001", b.token.as_str()),
        ("schule-002", first.token.as_str()),
        ("schule-001", ""),
        ("schule-001", &first.token[..31]),
        ("schule-009", first.token.as_str()),
    ] {
        assert_eq!(l.machine_with_token(host, token).unwrap(), None, "{host} {token}");
    }
    // never in what status and log show
    let shown = format!(
        "{:?}{}",
        l.room().unwrap(),
        serde_json::to_string(&l.events_for(first.machine.id).unwrap()).unwrap()
    );
    assert!(!shown.contains(first.token.as_str()), "{shown}");
}

#[test]
fn install_progress_is_recorded_by_stage_and_addresses_move() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let none = HashMap::new();
    let mut l = Ledger::open_or_create(&path).unwrap();
    let a = l
        .record_intake(&intake(&[id(Kind::Serial, "AAA")], "a.yaml", &none, &schule))
        .unwrap()
        .machine;
    let b = l
        .record_intake(&intake(&[id(Kind::Serial, "BBB")], "b.yaml", &none, &schule))
        .unwrap()
        .machine;
    let fetched = serde_json::json!({"file": "preseed.cfg"});
    l.record_contact(a.id, "10.0.0.5", EventKind::PreseedFetched, &fetched)
        .unwrap();
    let lines = |machine: i64, n: u64, stages: &[InstallStage]| InstallLines {
        machine,
        address: "10.0.0.5".into(),
        lines: n,
        last_line: format!("line {n}"),
        last_time: "2026-12-06T10:00:00Z".into(),
        stages: stages
            .iter()
            .map(|s| (*s, format!("marker {}", s.as_str()), "2026-12-06T10:00:00Z".to_string()))
            .collect(),
    };
    l.record_install_lines(&[lines(a.id, 10, &[InstallStage::Network, InstallStage::Network])])
        .unwrap();
    l.record_install_lines(&[lines(a.id, 5, &[InstallStage::Partitioning])])
        .unwrap();
    let state = l.install_state(a.id).unwrap().unwrap();
    assert_eq!(state.lines, 15);
    assert_eq!(state.stage.as_deref(), Some("partitioning"));
    assert_eq!(state.last_line.as_deref(), Some("line 5"));
    let kinds: Vec<String> = l
        .events_for(a.id)
        .unwrap()
        .iter()
        .map(|e| match e.details.get("stage") {
            Some(s) => format!("{}:{}", e.kind, s.as_str().unwrap()),
            None => e.kind.clone(),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "intake",
            "preseed-fetched",
            "install-progress:started",
            "install-progress:network",
            "install-progress:partitioning"
        ]
    );
    // a hello during the install does not move it back
    l.record_contact(a.id, "10.0.0.5", EventKind::InstallProgress, &serde_json::Value::Null)
        .unwrap();
    assert_eq!(
        l.install_state(a.id).unwrap().unwrap().stage.as_deref(),
        Some("partitioning")
    );
    // ... but it is in the machine's history, at the stage it came in
    let events = l.events_for(a.id).unwrap();
    let hello = events.last().unwrap();
    assert_eq!(hello.kind, "install-progress");
    assert_eq!(hello.details["line"], "hello");
    assert_eq!(hello.details["stage"], "partitioning");
    l.record_installed(a.id, "10.0.0.5", 1234, &"ab".repeat(32)).unwrap();
    // syslog lines written after the report never take it back
    l.record_install_lines(&[lines(a.id, 2, &[InstallStage::Finishing])])
        .unwrap();
    assert_eq!(
        l.install_state(a.id).unwrap().unwrap().stage.as_deref(),
        Some("installed")
    );
    let events = l.events_for(a.id).unwrap();
    let last = events.last().unwrap();
    assert_eq!(last.kind, "installed");
    assert_eq!(last.details["packages"], 1234);
    assert_eq!(last.source, "serve from 10.0.0.5");
    // the address goes to the machine that used it last
    l.record_contact(b.id, "10.0.0.5", EventKind::PreseedFetched, &fetched)
        .unwrap();
    assert_eq!(l.install_addresses().unwrap(), [("10.0.0.5".to_string(), b.id)]);
    let room = l.room().unwrap();
    assert_eq!(room[0].stage.as_deref(), Some("installed"));
    assert_eq!(room[1].stage.as_deref(), Some("started"));
}

#[test]
fn a_ledger_of_schema_1_is_brought_forward() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    {
        let conn = Connection::open(&path).unwrap();
        let Migration::Sql(first) = MIGRATIONS[0] else {
            panic!("0 -> 1 is SQL")
        };
        conn.execute_batch(first).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO machines (number, hostname, fingerprint, created) VALUES (1, 'schule-001', 'serial:x', 'now')",
            [],
        )
        .unwrap();
    }
    let l = Ledger::open_existing(&path).unwrap();
    let version: i64 = l.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let room = l.room().unwrap();
    assert_eq!((room.len(), room[0].stage.clone()), (1, None));
    assert_eq!(l.install_token(1).unwrap(), None, "a token comes with the next intake");
}

#[test]
fn intakes_in_one_transaction_keep_the_others_when_one_conflicts_and_nothing_before_commit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let none = HashMap::new();
    let mut l = Ledger::open_or_create(&path).unwrap();
    let a = [id(Kind::Serial, "AAA111")];
    let b = [id(Kind::Serial, "BBB222")];
    let c = [id(Kind::Serial, "CCC333")];
    // every machine gets the same host name: the second one conflicts
    let same = |_: u32| "schule-x".to_string();
    {
        let mut session = l.intakes().unwrap();
        session.record(&intake(&a, "a.yaml", &none, &same)).unwrap();
        let err = session.record(&intake(&b, "b.yaml", &none, &same)).unwrap_err();
        assert!(matches!(err, LedgerError::Conflict(_)), "{err}");
        session.record(&intake(&c, "c.yaml", &none, &schule)).unwrap();
        // dropped without commit: nothing is in the ledger
    }
    assert_eq!(l.room().unwrap().len(), 0);
    let mut session = l.intakes().unwrap();
    let ra = session.record(&intake(&a, "a.yaml", &none, &same)).unwrap();
    assert!(session.record(&intake(&b, "b.yaml", &none, &same)).is_err());
    let rc = session.record(&intake(&c, "c.yaml", &none, &schule)).unwrap();
    session.commit().unwrap();
    // the conflict left nothing behind (b's serial is unknown), the others are in
    let room = l.room().unwrap();
    assert_eq!(room.len(), 2);
    assert_eq!((ra.machine.number, rc.machine.number), (1, 2));
    let rb = l.record_intake(&intake(&b, "b.yaml", &none, &schule)).unwrap();
    assert!(!rb.known);
    assert_eq!(rb.machine.number, 3);
    // a group of bundle records is one transaction: all are there
    let record = |p: &str| BundleRecord {
        profile: p.into(),
        digest: format!("d-{p}"),
        files: BTreeMap::new(),
        row: serde_json::json!({}),
    };
    let (r1, r2) = (record("one"), record("two"));
    l.record_bundles("test", &[(ra.machine.id, &r1), (rc.machine.id, &r2)])
        .unwrap();
    assert_eq!(l.last_bundle_digest(ra.machine.id).unwrap().as_deref(), Some("d-one"));
    assert_eq!(l.last_bundle_digest(rc.machine.id).unwrap().as_deref(), Some("d-two"));
    assert_eq!(l.integrity_check().unwrap(), "ok");
}

#[test]
fn events_by_machine_is_each_machines_history_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let none = HashMap::new();
    let mut l = Ledger::open_or_create(&dir.path().join(FILE_NAME)).unwrap();
    let a = l
        .record_intake(&intake(&[id(Kind::Serial, "A1")], "a.yaml", &none, &schule))
        .unwrap()
        .machine;
    let b = l
        .record_intake(&intake(&[id(Kind::Serial, "B1")], "b.yaml", &none, &schule))
        .unwrap()
        .machine;
    l.record_event(
        a.id,
        EventKind::Checked,
        "test",
        &serde_json::json!({"verdict": "ready"}),
    )
    .unwrap();
    l.record_event(b.id, EventKind::HandedOver, "test", &serde_json::json!({}))
        .unwrap();
    l.record_event(a.id, EventKind::Erased, "test", &serde_json::json!({"n": 2}))
        .unwrap();
    let all = l.events_by_machine().unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[&a.id], l.events_for(a.id).unwrap());
    assert_eq!(all[&b.id], l.events_for(b.id).unwrap());
    let kinds: Vec<&str> = all[&a.id].iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["intake", "checked", "erased"]);
}

fn erasure(disk: &str, result: &str, health: &str) -> ErasureEvent {
    ErasureEvent {
        schema: "upcycle.erasure/v2".into(),
        result: result.into(),
        method: "overwrite".into(),
        category: "clear".into(),
        verification: erasure::ErasureCheck {
            method: "verify-full".into(),
            result: if result == "erased" { "passed" } else { "not-run" }.into(),
            bytes_read: 1 << 20,
        },
        health: health.into(),
        disk: erasure::ErasedDisk {
            name: disk.into(),
            model: Some("ST9160310AS".into()),
            size_bytes: 160_041_885_696,
            bus: "sata".into(),
            medium: "hdd".into(),
        },
        record_file: format!("erasure-20261206T100000Z-{disk}.yaml"),
        record_sha256: "ab".repeat(32),
        found_by: "machine".into(),
        record: None,
    }
}

#[test]
fn an_erased_disk_is_found_by_the_machine_it_is_built_into_or_by_a_disk_only_one_machine_has() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open_or_create(&dir.path().join(FILE_NAME)).unwrap();
    let none = HashMap::new();
    let known = l
        .record_intake(&intake(
            &[id(Kind::Serial, "R9-T40"), id(Kind::Mac, "00:11:22:33:44:55")],
            "t40.yaml",
            &none,
            &schule,
        ))
        .unwrap()
        .machine;
    // two laptops of a class set known by their disks only, and one with a disk of its own
    // (one run: the second is told apart from the first, as batch does)
    let mut claimed = HashMap::new();
    let mut class: Vec<Machine> = Vec::new();
    for input in ["a.yaml", "b.yaml"] {
        let m = l
            .record_intake(&intake(
                &[id(Kind::Disk, "HTS541010G9SA00|100030242816")],
                input,
                &claimed,
                &schule,
            ))
            .unwrap()
            .machine;
        claimed.insert(m.id, input.to_string());
        class.push(m);
    }
    assert_ne!(class[0].id, class[1].id);
    let alone = l
        .record_intake(&intake(
            &[id(Kind::Disk, "ST9160310AS|160041885696")],
            "c.yaml",
            &none,
            &schule,
        ))
        .unwrap()
        .machine;

    // the machine erase runs on, by its MAC (the serial read differently)
    let host = [id(Kind::Mac, "00:11:22:33:44:55")];
    assert_eq!(
        l.owner_of_disk(&host, true, Some("ST9160310AS|160041885696")).unwrap(),
        Owner::ByMachine(known.clone())
    );
    // a disk on a USB bridge is not the host's: only its own identifier counts
    assert_eq!(
        l.owner_of_disk(&host, false, Some("ST9160310AS|160041885696")).unwrap(),
        Owner::ByDisk(alone)
    );
    // the host's disk identifier alone never stands for the host
    assert_eq!(
        l.owner_of_disk(&[id(Kind::Disk, "ST9160310AS|160041885696")], true, None)
            .unwrap(),
        Owner::Unknown
    );
    // a class set's disk names two machines: none is chosen
    assert_eq!(
        l.owner_of_disk(&[], true, Some("HTS541010G9SA00|100030242816"))
            .unwrap(),
        Owner::Ambiguous(vec![class[0].number, class[1].number])
    );
    // an unknown laptop with an unknown disk
    assert_eq!(
        l.owner_of_disk(&[id(Kind::Serial, "OTHER")], true, Some("X|1"))
            .unwrap(),
        Owner::Unknown
    );
    // a new serial with the known MAC is another laptop (as at intake)
    assert_eq!(
        l.owner_of_disk(
            &[id(Kind::Serial, "NEW"), id(Kind::Mac, "00:11:22:33:44:55")],
            true,
            None
        )
        .unwrap(),
        Owner::Unknown
    );
    // looking up writes nothing
    assert_eq!(l.events_for(known.id).unwrap().len(), 1);
}

#[test]
fn erasures_are_events_and_add_up_per_machine() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open_or_create(&dir.path().join(FILE_NAME)).unwrap();
    let none = HashMap::new();
    let m = l
        .record_intake(&intake(&[id(Kind::Serial, "R9-T40")], "t40.yaml", &none, &schule))
        .unwrap()
        .machine;
    let other = l
        .record_intake(&intake(&[id(Kind::Serial, "R9-T41")], "t41.yaml", &none, &schule))
        .unwrap()
        .machine;
    assert!(l.room().unwrap().iter().all(|r| r.erasure.is_none()));

    l.record_erasure(m.id, &erasure("sda", "interrupted", "good")).unwrap();
    let state = |l: &Ledger| l.room().unwrap().into_iter().find(|r| r.number == m.number).unwrap();
    assert_eq!(state(&l).erasure.unwrap().result, "interrupted");
    assert_eq!(state(&l).last_event.as_deref(), Some("erased"));
    // the rerun erased it; a second disk failed
    l.record_erasure(m.id, &erasure("sda", "erased", "replace")).unwrap();
    assert_eq!(state(&l).erasure.unwrap().result, "erased");
    l.record_erasure(m.id, &erasure("sdb", "failed", "good")).unwrap();
    let s = state(&l).erasure.unwrap();
    assert_eq!(s.result, "failed", "{s:?}");
    assert!(s.replace, "sda's health said replace");
    assert_eq!(
        s.disks,
        [
            ("sda".to_string(), "erased".to_string()),
            ("sdb".to_string(), "failed".to_string())
        ]
        .into()
    );
    l.record_erasure(m.id, &erasure("sdb", "erased", "good")).unwrap();
    assert_eq!(state(&l).erasure.unwrap().result, "erased");
    // the other machine is untouched
    assert!(
        l.room()
            .unwrap()
            .iter()
            .find(|r| r.number == other.number)
            .unwrap()
            .erasure
            .is_none()
    );
    // the events hold the record's essentials, and they are never edited
    let events = l.events_for(m.id).unwrap();
    let last = events.last().unwrap();
    assert_eq!(last.kind, "erased");
    assert_eq!(last.source, "erase");
    assert_eq!(last.details["record_sha256"], "ab".repeat(32));
    assert_eq!(last.details["record_file"], "erasure-20261206T100000Z-sdb.yaml");
    assert!(
        l.conn
            .execute("UPDATE events SET details = '{}' WHERE kind = 'erased'", [])
            .is_err()
    );
}

#[test]
fn a_disk_replaced_and_erased_again_counts_its_last_run() {
    let t = |s: &str| format!("2026-12-06T10:0{s}:00Z");
    let s = erasure::state_of(&[
        (t("1"), erasure("sda", "erased", "replace")),
        (t("2"), erasure("sda", "erased", "good")),
    ])
    .unwrap();
    assert!(!s.replace, "the last run's health counts");
    assert_eq!(s.time, t("2"));
    assert_eq!(erasure::state_of(&[]), None);
    let s = erasure::state_of(&[
        (t("1"), erasure("sda", "failed", "good")),
        (t("2"), erasure("sdb", "interrupted", "good")),
    ])
    .unwrap();
    assert_eq!(s.result, "failed", "failed is worse than interrupted");
}

#[test]
fn bundle_events_keep_the_serial_only_keyed() {
    let dir = tempfile::tempdir().unwrap();
    let none = HashMap::new();
    let mut l = Ledger::open_or_create(&dir.path().join(FILE_NAME)).unwrap();
    let m = l
        .record_intake(&intake(&[id(Kind::Serial, "R9-0ABCD")], "a.yaml", &none, &schule))
        .unwrap()
        .machine;
    let record = |serial: &str| BundleRecord {
        profile: "p".into(),
        digest: "d".into(),
        files: BTreeMap::new(),
        row: serde_json::json!({"asset_id": "schule-001", "serial": serial, "model": "T40"}),
    };
    let keyed = l.key().hide(Kind::Serial, "R9-0ABCD");
    for (given, stored) in [
        ("R9-0ABCD", keyed.as_str()),
        (keyed.as_str(), keyed.as_str()),
        ("To Be Filled By O.E.M.", "To Be Filled By O.E.M."),
        ("", ""),
    ] {
        l.record_bundle(m.id, "test", &record(given)).unwrap();
        let last = l.events_for(m.id).unwrap().pop().unwrap();
        assert_eq!(last.details["row"]["serial"], stored, "{given}");
        assert_eq!(last.details["row"]["model"], "T40", "the rest of the row is kept");
    }
    let text: String = l
        .conn
        .query_row("SELECT group_concat(details) FROM events", [], |r| r.get(0))
        .unwrap();
    assert!(!text.contains("R9-0ABCD"), "{text}");
}

#[test]
fn a_ledger_of_schema_2_gets_its_bundle_serials_keyed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let key = Key::random();
    {
        let conn = Connection::open(&path).unwrap();
        for m in &MIGRATIONS[..2] {
            let Migration::Sql(sql) = m else {
                panic!("0 -> 2 are SQL")
            };
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "application_id", APPLICATION_ID).unwrap();
        conn.pragma_update(None, "user_version", 2).unwrap();
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('hmac-key', ?1)",
            [key.bytes().as_slice()],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO machines (number, hostname, fingerprint, created) VALUES (1, 'schule-001', 'serial:x', 'now')",
            [],
        )
        .unwrap();
        for details in [
            r#"{"profile":"p","row":{"serial":"CLEAR-SN-42","model":"T40"}}"#,
            r#"{"profile":"p","row":{"serial":"REDACTED"}}"#,
            r#"{"profile":"p","row":null}"#,
            r#"{"input":"CLEAR-SN-42.yaml"}"#,
        ] {
            let kind = if details.contains("input") { "intake" } else { "bundle" };
            conn.execute(
                "INSERT INTO events (machine, time, kind, source, details) VALUES (1, 'now', ?1, 'old', ?2)",
                [kind, details],
            )
            .unwrap();
        }
    }
    let l = Ledger::open_existing(&path).unwrap();
    let version: i64 = l.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let events = l.events_for(1).unwrap();
    let details: Vec<&serde_json::Value> = events.iter().map(|e| &e.details).collect();
    assert_eq!(details[0]["row"]["serial"], key.hide(Kind::Serial, "CLEAR-SN-42"));
    assert_eq!(details[0]["row"]["model"], "T40");
    assert_eq!(details[1]["row"]["serial"], "REDACTED");
    assert_eq!(details[2]["row"], serde_json::Value::Null);
    assert_eq!(details[3]["input"], "CLEAR-SN-42.yaml", "other kinds are not touched");
    // still append-only afterwards
    let edit = l.conn.execute("UPDATE events SET details = '{}'", []);
    assert!(edit.unwrap_err().to_string().contains("append-only"));
    assert_eq!(l.integrity_check().unwrap(), "ok");
}
