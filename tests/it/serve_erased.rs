//! The installer's erasure records reach the ledger through the real `upcycle serve`
//! (`POST /_upcycle/erased/<asset-id>/<token>`): a record becomes an `erased` event with
//! the whole record (its serial keyed), shown by `status`, `log` and the passport as an
//! erasure done on the workshop PC; a failed record is recorded as failed; a retry is not a
//! second erasure. Forged tokens and oversized, malformed or hostile records are refused
//! with their HTTP status and a German log line, and the ledger stays as it was.

use std::path::Path;

use super::serve::{Server, get, raw, room};
use super::support::{stderr, stdout, upcycle};

/// A record as `upcycle erase --installer` writes it (tests/fixtures/erasure/README.md).
fn record() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/erasure/installer-sda.yaml"))
        .unwrap()
}

fn token_of(dir: &Path, asset: &str) -> String {
    let l = upcycle::ledger::Ledger::open_existing(&dir.join(upcycle::ledger::FILE_NAME)).unwrap();
    let m = l.machine(asset).unwrap().unwrap();
    l.install_token(m.id).unwrap().unwrap().as_str().to_string()
}

/// Every event of `asset` as (kind, details).
fn events(dir: &Path, asset: &str) -> Vec<(String, serde_json::Value)> {
    let l = upcycle::ledger::Ledger::open_existing(&dir.join(upcycle::ledger::FILE_NAME)).unwrap();
    let m = l.machine(asset).unwrap().unwrap();
    l.events_for(m.id)
        .unwrap()
        .into_iter()
        .map(|e| (e.kind, e.details))
        .collect()
}

fn post(port: u16, path: &str, headers: &str, body: &[u8]) -> u16 {
    let mut request = format!("POST {path} HTTP/1.1\r\nHost: x\r\n{headers}\r\n").into_bytes();
    request.extend_from_slice(body);
    raw(port, &request).status
}

fn post_body(port: u16, path: &str, body: &[u8]) -> u16 {
    post(port, path, &format!("Content-Length: {}\r\n", body.len()), body)
}

fn status_row(dir: &Path, asset: &str) -> serde_json::Value {
    let out = upcycle(&["status", "--ledger", dir.to_str().unwrap(), "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout(&out)).unwrap();
    rows.into_iter()
        .find(|r| r["hostname"] == asset)
        .expect("the machine is in status")
}

#[test]
fn an_installers_erasure_record_becomes_an_erased_event_shown_like_one_from_the_workshop_pc() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = room(tmp.path());
    let server = Server::start(&dir, &["--lang", "de"]);
    let port = server.port;
    let t1 = token_of(&dir, "schule-001");
    let path = format!("/_upcycle/erased/schule-001/{t1}?file=erasure-20261206T233727Z-sda.yaml");
    let body = record();
    let sha = upcycle::erase::record::sha256_hex(body.as_bytes());

    assert_eq!(post_body(port, &path, body.as_bytes()), 200);
    let line = server.wait_for_line("Löschprotokoll des Installers");
    assert!(
        line.contains(&format!(
            "schule-001: Löschprotokoll des Installers für sda: gelöscht und geprüft (SHA-256 {}…, von 127.0.0.1), im Werkstattbuch",
            &sha[..12]
        )),
        "{line}"
    );
    let erased: Vec<_> = events(&dir, "schule-001")
        .into_iter()
        .filter(|(k, _)| k == "erased")
        .collect();
    assert_eq!(erased.len(), 1);
    let d = &erased[0].1;
    assert_eq!(d["record_sha256"], sha.as_str());
    assert_eq!(d["result"], "erased");
    assert_eq!(d["found_by"], "installer");
    assert_eq!(d["disk"]["name"], "sda");
    assert_eq!(d["verification"]["result"], "passed");
    // the whole record, with the NIST fields, its serial keyed
    assert_eq!(
        d["record"]["operator"],
        "Debian-Installer, unbeaufsichtigt (schule-001)"
    );
    assert_eq!(d["record"]["workshop"], "Schul-Werkstatt Dortmund");
    assert_eq!(d["record"]["sanitization"]["bytes_written"], 16_777_216);
    let serial = d["record"]["media"]["serial"].as_str().unwrap();
    assert!(serial != "QM00001" && serial.len() > 20, "{serial}");
    let mut stored = Vec::new();
    for f in std::fs::read_dir(&dir).unwrap() {
        let f = f.unwrap().path();
        if f.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(upcycle::ledger::FILE_NAME)
        {
            stored.extend(std::fs::read(&f).unwrap());
        }
    }
    assert!(
        !stored.windows(7).any(|w| w == b"QM00001"),
        "the ledger holds no serial in clear"
    );

    // status, log and the passport say it as for an erasure on the workshop PC
    let row = status_row(&dir, "schule-001");
    assert_eq!(row["erasure"]["result"], "erased", "{row:#}");
    let log = upcycle(&["log", "schule-001", "--ledger", dir.to_str().unwrap()]);
    assert!(
        stdout(&log).contains(&format!(
            "erased             serve from 127.0.0.1 sda: erased by overwrite (clear), check passed, record erasure-20261206T233727Z-sda.yaml (sha256 {})",
            &sha[..12]
        )),
        "{}",
        stdout(&log)
    );
    assert_eq!(d["record_file"], "erasure-20261206T233727Z-sda.yaml");
    let out = tmp.path().join("passports");
    let p = upcycle(&[
        "passport",
        "schule-001",
        "--ledger",
        dir.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(p.status.success(), "{}", stderr(&p));
    let doc =
        upcycle::passport::Passport::from_json(&std::fs::read_to_string(out.join("schule-001.passport.json")).unwrap())
            .unwrap();
    assert!(doc.erased);
    assert_eq!(doc.erasures.len(), 1);
    assert_eq!(doc.erasures[0].record_sha256.as_deref(), Some(sha.as_str()));
    assert_eq!(doc.erasures[0].disk.as_deref(), Some("QEMU HARDDISK"));

    // the installer's retry (wget's second try): taken, not a second erasure
    assert_eq!(post_body(port, &path, body.as_bytes()), 200);
    server.wait_for_line("dasselbe Löschprotokoll für sda noch einmal");
    let n = events(&dir, "schule-001").iter().filter(|(k, _)| k == "erased").count();
    assert_eq!(n, 1);

    // a failed erasure is recorded as failed, never as erased
    let failed = body
        .replace("status: erased", "status: failed")
        .replace("  result: passed", "  result: failed")
        .replace("  failed_at: null", "  failed_at: 8388608")
        .replace("notes: []", "notes:\n- code: note-read-failed\n  args:\n    offset: 8388608\n    error: Input/output error (os error 5)");
    assert_ne!(failed, body);
    assert_eq!(post_body(port, &path, failed.as_bytes()), 200, "{}", server.log());
    server.wait_for_line("sda: fehlgeschlagen, NICHT gelöscht");
    let row = status_row(&dir, "schule-001");
    assert_eq!(row["erasure"]["result"], "failed", "{row:#}");
    let last = events(&dir, "schule-001")
        .into_iter()
        .rfind(|(k, _)| k == "erased")
        .unwrap()
        .1;
    assert_eq!(
        (last["result"].as_str(), last["record"]["status"].as_str()),
        (Some("failed"), Some("failed"))
    );
}

#[test]
fn forged_oversized_malformed_and_hostile_erasure_records_are_refused_and_the_ledger_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = room(tmp.path());
    let server = Server::start(&dir, &["--lang", "de", "--read-timeout", "2"]);
    let port = server.port;
    let t1 = token_of(&dir, "schule-001");
    let t2 = token_of(&dir, "schule-002");
    let before = (events(&dir, "schule-001"), events(&dir, "schule-002"));
    let body = record();
    let path = format!("/_upcycle/erased/schule-001/{t1}");

    // the other bundle's token, a made-up one: 403, said without the token
    assert_eq!(
        post_body(port, &format!("/_upcycle/erased/schule-001/{t2}"), body.as_bytes()),
        403
    );
    assert_eq!(
        post_body(
            port,
            &format!("/_upcycle/erased/schule-002/{}", "0".repeat(32)),
            body.as_bytes()
        ),
        403
    );
    server.wait_for_line(
        "abgewiesen: ein Löschprotokoll für schule-001 von 127.0.0.1 ohne seinen Installationsschlüssel",
    );
    // not a callback of ours, the wrong method, no length, chunked, too long, too slow
    assert_eq!(
        post_body(port, &format!("/_upcycle/erased/schule-001/{t1}/x"), b"x"),
        404
    );
    assert_eq!(get(port, &path).status, 405);
    assert_eq!(post(port, &path, "", body.as_bytes()), 411);
    assert_eq!(
        post(
            port,
            &path,
            "Transfer-Encoding: chunked\r\n",
            b"5\r\nhello\r\n0\r\n\r\n"
        ),
        411
    );
    assert_eq!(post(port, &path, "Content-Length: 65537\r\n", b""), 413);
    server.wait_for_line("abgewiesen: ein Löschprotokoll für schule-001 von 127.0.0.1: der Inhalt ist zu lang");
    assert_eq!(post(port, &path, "Content-Length: 100\r\n", b"short"), 408);

    // bodies that are not a record, or a record that lies or carries hostile values
    let long = "x".repeat(300);
    let nested = format!("{}1{}", "[".repeat(200), "]".repeat(200));
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n".to_string();
    let cases: Vec<(&str, String, &str)> = vec![
        ("not YAML", "{{{".into(), "kein Löschprotokoll (YAML"),
        (
            "a check document",
            r#"{"schema":"upcycle.check/v1","time":"x","tool_version":"1","results":[]}"#.into(),
            "kein Löschprotokoll (YAML",
        ),
        ("nested", nested, "kein Löschprotokoll (YAML"),
        ("an alias bomb", bomb, "kein Löschprotokoll (YAML"),
        (
            "an unknown field",
            body.replace("destination: reuse", "destination: reuse\nowner: x"),
            "kein Löschprotokoll (YAML",
        ),
        (
            "another schema",
            body.replace("upcycle.erasure/v2", "upcycle.erasure/v9"),
            "dieser Version",
        ),
        (
            "a hostile disk name",
            body.replace("name: sda", "name: sda;reboot"),
            "kein Löschprotokoll (YAML",
        ),
        (
            "another device",
            body.replace("device: /dev/sda", "device: /etc/passwd"),
            "passt nicht zum Gerät",
        ),
        (
            "escapes in the model",
            body.replace("model: QEMU HARDDISK", "model: \"\\e[2J\\e[31mQEMU\""),
            "Steuerzeichen",
        ),
        (
            "a line break in the operator",
            body.replace("operator: Debian", "operator: \"x\\nDebian"),
            "Steuerzeichen",
        ),
        (
            "a long workshop",
            body.replace("workshop: Schul-Werkstatt Dortmund", &format!("workshop: {long}")),
            "zu lang",
        ),
        (
            "a bad time",
            body.replace("started: 2026", "started: yesterday 2026"),
            "RFC-3339",
        ),
        (
            "an unknown message",
            body.replace("code: method-overwrite", "code: serve-room-busy-not-there"),
            "unbekannte Meldung",
        ),
        (
            "a sentence, not a code",
            body.replace(
                "  description:\n    code: method-overwrite",
                "  description: all gone, trust me",
            ),
            "unbekannte Meldung",
        ),
        (
            "a hostile argument",
            body.replace(
                "notes: []",
                "notes:\n- code: note-read-failed\n  args:\n    error: \"\\e]0;owned\\a\"",
            ),
            "unbekannte Meldung",
        ),
        (
            "not finite",
            body.replace("seconds: 0.062", "seconds: .nan"),
            "unmöglich",
        ),
        (
            "more than the disk",
            body.replace("bytes_done: 16777216", "bytes_done: 99999999999"),
            "unmöglich",
        ),
        (
            "erased, read-back failed",
            body.replace("  result: passed", "  result: failed"),
            "ohne bestandene Prüfung",
        ),
        (
            "erased, read-back not run",
            body.replace("  result: passed", "  result: not-run"),
            "ohne bestandene Prüfung",
        ),
    ];
    for (what, hostile, said) in &cases {
        assert_eq!(post_body(port, &path, hostile.as_bytes()), 400, "{what}");
        let line = server.wait_for_line(said);
        assert!(
            line.contains("abgewiesen: ein Löschprotokoll für schule-001 von 127.0.0.1: "),
            "{what}: {line}"
        );
    }
    assert_eq!(post_body(port, &path, b"\xff\xfe\x00"), 400);
    server.wait_for_line("schule-001 von 127.0.0.1: das Löschprotokoll ist kein UTF-8-Text");
    // the refusal's body is German too, and names no token; serve still answers
    let r = raw(
        port,
        format!("POST {path} HTTP/1.1\r\nContent-Length: 3\r\n\r\n{{{{{{").as_bytes(),
    );
    assert_eq!(r.status, 400);
    assert_eq!(
        String::from_utf8(r.body).unwrap(),
        "400 kein Löschprotokoll (YAML oder JSON nach upcycle.erasure/v2)\n"
    );
    let log = server.log();
    assert!(!log.contains(&t1) && !log.contains(&t2), "{log}");
    assert!(log.contains("/_upcycle/erased/schule-001/[token] 413"), "{log}");
    assert_eq!(get(port, "/schule-001/boot.txt").status, 200);
    assert_eq!(
        (events(&dir, "schule-001"), events(&dir, "schule-002")),
        before,
        "the ledger is as it was"
    );
}
