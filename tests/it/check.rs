//! `upcycle check` with the real binary: an installed ThinkPad T420 (the machine fixture
//! with `tests/fixtures/check/t420-installed` over it), its table in German and English,
//! its JSON, its exit codes, and its result posted to a real `upcycle serve`: recorded
//! with the right install token, shown on the passport; a wrong token, garbage and an
//! oversized body refused while serve keeps serving.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::serve::{Server, get, raw, room};
use super::support::{fixtures_dir, install_token, stderr, stdout, upcycle, upcycle_env};

/// The T420 fixture as installed: its probe tree and the installed system's files.
fn installed_t420(tmp: &Path) -> PathBuf {
    let root = tmp.join("t420");
    std::fs::create_dir_all(&root).unwrap();
    let overlay = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check/t420-installed");
    for from in [fixtures_dir().join("lenovo-thinkpad-t420-battery-wear/root"), overlay] {
        let ok = Command::new("cp")
            .arg("-a")
            .arg(from.join("."))
            .arg(&root)
            .status()
            .unwrap()
            .success();
        assert!(ok, "cp -a {}", from.display());
    }
    root
}

fn outcomes(json: &serde_json::Value) -> Vec<(String, String)> {
    json["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["check"].as_str().unwrap().into(),
                r["outcome"].as_str().unwrap().into(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[test]
fn check_reads_an_installed_t420_and_says_it_in_german_and_english() {
    let tmp = tempfile::tempdir().unwrap();
    let root = installed_t420(tmp.path());
    let r = root.to_str().unwrap();
    let kept = tmp.path().join("kept/check.json");
    let out = upcycle(&["check", "--root", r, "--json", "-o", kept.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(17), "vlc is missing: {}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["schema"], "upcycle.check/v1");
    assert_eq!(
        outcomes(&json),
        pairs(&[
            ("wifi-driver", "pass"),
            ("wifi-firmware", "pass"),
            ("wifi-scan", "not-checked"),
            ("sound", "pass"),
            ("webcam", "pass"),
            ("battery", "pass"),
            ("battery-charging", "unknown"),
            ("disk-health", "not-checked"),
            ("disk-space", "pass"),
            ("packages", "fail"),
            ("display", "unknown"),
        ])
    );
    let packages = &json["results"][9]["evidence"][0];
    assert_eq!(packages["code"], "chk-ev-packages-missing");
    assert_eq!(packages["args"]["names"], "vlc");
    assert_eq!(packages["args"]["of"], 4);
    // kept as printed
    let kept_json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&kept).unwrap()).unwrap();
    assert_eq!(kept_json, json);

    // the table, German by default, English on request
    let de = upcycle_env(&[], &["check", "--root", r]);
    let de_out = stdout(&de);
    for said in [
        "WLAN: Treiber",
        "wlp3s0: Treiber iwlwifi",
        "Firmware geladen: ",
        "Soundkarte: HDA Intel PCH",
        "Kamera: Integrated Camera: Integrated C",
        "BAT0: 79 % der Nennkapazität",
        "FEHLER",
        "1 von 4 gewählten Paketen fehlen: vlc",
        "LVDS-1: native Auflösung 1600x900",
    ] {
        assert!(de_out.contains(said), "{said:?} in\n{de_out}");
    }
    let en = upcycle(&["check", "--root", r]);
    let en_out = stdout(&en);
    assert!(en_out.contains("Wi-Fi: driver") && en_out.contains("FAIL"), "{en_out}");
    assert!(!en_out.contains("FEHLER") && !de_out.contains("FAIL"));

    // everything installed: no failure, exit 0; nothing is kept with --root unless -o
    std::fs::write(root.join("etc/upcycle/packages"), "firefox-esr\nfirmware-iwlwifi\n").unwrap();
    let out = upcycle(&["check", "--root", r, "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!root.join("var/lib/upcycle").exists());

    // a camera whose driver did not bind fails; a root that is not there is bad input
    std::fs::remove_dir_all(root.join("sys/class/video4linux")).unwrap();
    let out = upcycle(&["check", "--root", r, "--json"]);
    assert_eq!(out.status.code(), Some(17));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["results"][4]["outcome"], "fail");
    assert_eq!(json["results"][4]["evidence"][0]["code"], "chk-ev-camera-no-driver");
    let out = upcycle(&["check", "--root", tmp.path().join("nothing").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn a_posted_check_is_recorded_by_serve_and_shown_on_the_passport() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = room(tmp.path());
    let root = installed_t420(tmp.path());
    let r = root.to_str().unwrap();
    let server = Server::start(&dir, &["--read-timeout", "2"]);
    let port = server.port;
    let t2 = install_token(&dir, 2);
    let t1 = install_token(&dir, 1);
    let conf = |token: &str| {
        std::fs::write(
            root.join("etc/upcycle/serve.conf"),
            format!("url=http://127.0.0.1:{port}\nasset_id=schule-002\ntoken={token}\n"),
        )
        .unwrap()
    };
    let d = dir.to_str().unwrap();
    let checked_events = || {
        let l = upcycle::ledger::Ledger::open_existing(&dir.join(upcycle::ledger::FILE_NAME)).unwrap();
        let m = l.machine("schule-002").unwrap().unwrap();
        l.events_for(m.id)
            .unwrap()
            .into_iter()
            .filter(|e| e.kind == "checked")
            .collect::<Vec<_>>()
    };

    // --post without serve.conf: bad input; a URL that is none: usage
    let out = upcycle(&["check", "--root", r, "--post"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("serve.conf"), "{}", stderr(&out));
    let out = upcycle(&["check", "--root", r, "--post", "ftp://x"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));

    // the other laptop's token: refused, nothing recorded, exit 18
    conf(&t1);
    let out = upcycle(&["check", "--root", r, "--post"]);
    assert_eq!(out.status.code(), Some(18), "{}", stderr(&out));
    assert!(stderr(&out).contains("refused"), "{}", stderr(&out));
    server.wait_for_line("refused: self-check for schule-002");

    // garbage, an oversized body, a body that is JSON but not a check: refused
    let path = format!("/_upcycle/checked/schule-002/{t2}");
    let post = |headers: &str, body: &[u8]| {
        let mut req = format!("POST {path} HTTP/1.1\r\nHost: x\r\n{headers}\r\n").into_bytes();
        req.extend_from_slice(body);
        raw(port, &req).status
    };
    let len = |b: &[u8]| format!("Content-Length: {}\r\n", b.len());
    assert_eq!(post(&len(b"\x00\xff garbage"), b"\x00\xff garbage"), 400);
    assert_eq!(post(&len(b"{}"), b"{}"), 400);
    assert_eq!(post("Content-Length: 10000000\r\n", b""), 413);
    assert_eq!(post("", b"{}"), 411);
    let evil = br#"{"schema":"upcycle.check/v1","time":"2026-12-06T10:00:00Z","tool_version":"0.1.0","results":[{"check":"sound","outcome":"pass","evidence":[{"code":"err-catalog-unusable"}]}]}"#;
    assert_eq!(post(&len(evil), evil), 400);
    assert_eq!(get(port, "/schule-001/boot.txt").status, 200, "serve keeps serving");
    assert!(checked_events().is_empty());

    // the right token: recorded, the state says checked, the passport shows it
    conf(&t2);
    let out = upcycle(&["check", "--root", r, "--post"]);
    assert_eq!(out.status.code(), Some(17), "posted, vlc missing: {}", stderr(&out));
    assert!(stderr(&out).contains("result sent to the workshop"), "{}", stderr(&out));
    server.wait_for_line("schule-002: self-check, 11 checks, 1 failed (from 127.0.0.1)");
    // serve says it before its ledger write is visible to another reader (seen once
    // under load): wait for the event, at most 10 s
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut events = checked_events();
    while events.is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
        events = checked_events();
    }
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].source, "serve from 127.0.0.1");
    assert_eq!(events[0].details["schema"], "upcycle.check/v1");
    assert_eq!(events[0].details["results"].as_array().unwrap().len(), 11);
    let status = upcycle(&["status", "--ledger", d, "--format", "json"]);
    let status: serde_json::Value = serde_json::from_str(&stdout(&status)).unwrap();
    let row = status
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["hostname"] == "schule-002")
        .unwrap();
    assert_eq!(row["state"], "checked");
    let pp = tmp.path().join("pp");
    let out = upcycle(&["passport", "schule-002", "--ledger", d, "-o", pp.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(pp.join("schule-002.passport.json")).unwrap()).unwrap();
    assert_eq!(doc["self_check"]["failed"], serde_json::json!(["packages"]));
    assert_eq!(doc["self_check"]["passed"], 6);
    assert!(doc["check"].is_null(), "no person's check yet");
    let html = std::fs::read_to_string(pp.join("schule-002.passport.html")).unwrap();
    assert!(
        html.contains("Selbstprüfung") && html.contains("mit Fehler: Gewählte Pakete installiert"),
        "{html}"
    );

    // a person's verdict afterwards, then the laptop checks itself again: still ready
    let out = upcycle(&["mark", "schule-002", "ready", "--grade", "B", "--ledger", d]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = upcycle(&["check", "--root", r, "--post", &format!("http://127.0.0.1:{port}/")]);
    assert_eq!(out.status.code(), Some(17), "{}", stderr(&out));
    assert_eq!(checked_events().len(), 3);
    let status = upcycle(&["status", "--ledger", d, "--format", "json"]);
    assert!(stdout(&status).contains("\"ready\""), "{}", stdout(&status));

    // serve gone: not sent, kept, exit 18
    drop(server);
    let out = upcycle(&["check", "--root", r, "--post"]);
    assert_eq!(out.status.code(), Some(18), "{}", stderr(&out));
    assert!(stderr(&out).contains("not reachable"), "{}", stderr(&out));
}

/// The part of a generated postinstall.sh that sets up the self-check, run under bash
/// twice in a scratch root (its absolute paths moved below it; `put_file` is the
/// script's own): serve's address from the installer's boot line, else the workshop PC;
/// a hostile boot line changes nothing; the second run changes nothing; `upcycle check`
/// reads what it wrote.
#[test]
fn postinstall_sets_up_the_first_boot_check_once_and_safely() {
    let tmp = tempfile::tempdir().unwrap();
    let default =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/workshop-default.yaml")).unwrap();
    let workshop = tmp.path().join("workshop.yaml");
    let text = default.replace("workshop_pc: null", "workshop_pc: {address: 192.168.1.10, port: 8081}");
    assert_ne!(text, default);
    std::fs::write(&workshop, &text).unwrap();
    let t420 = fixtures_dir().join("lenovo-thinkpad-t420-battery-wear/root");
    let bundles = tmp.path().join("b");
    let o = super::support::generate(&t420, &bundles, &["--workshop", workshop.to_str().unwrap()]);
    assert!(
        o.status.success(),
        "generate (with shellcheck and bash -n): {}",
        stderr(&o)
    );
    assert!(
        !bundles.join("schule-001/NOT-CHECKED.txt").exists(),
        "the validators ran on postinstall.sh"
    );
    let script = std::fs::read_to_string(bundles.join("schule-001/postinstall.sh")).unwrap();
    let token = install_token(&bundles, 1);
    // the unit runs the binary once, only when it is there
    for line in [
        "ConditionFileIsExecutable=/usr/local/sbin/upcycle",
        "ConditionPathExists=!/var/lib/upcycle/check-done",
        "ExecStart=-/usr/local/sbin/upcycle check --post --wait 120 --quiet",
        "WantedBy=multi-user.target",
    ] {
        assert!(script.contains(&format!("\n{line}\n")), "{line}");
    }
    let start = script.find("put_file() {").unwrap();
    let end = start + script[start..].find("\n}\n").unwrap() + 3;
    let put_file = &script[start..end];
    let packages = script.lines().find(|l| l.starts_with("PACKAGES=(")).unwrap();
    let from = script.find("# 10. The self-check").unwrap();
    let to = script.find("# 11. Checks").unwrap();
    let section = &script[from..to];
    let run = |root: &Path, cmdline: &str| -> String {
        std::fs::create_dir_all(root.join("proc")).unwrap();
        std::fs::write(root.join("proc/cmdline"), cmdline).unwrap();
        let moved = section
            .replace("/proc/cmdline", "\"$R\"/proc/cmdline")
            .replace(" /etc/", " \"$R\"/etc/")
            .replace("=/etc/", "=\"$R\"/etc/")
            .replace("!= /etc/", "!= \"$R\"/etc/");
        let body = format!(
            "set -euo pipefail\nshopt -s lastpipe\nR={}\nCHANGED=0\n{put_file}\n{packages}\n{moved}\necho \"changed $CHANGED\"\n",
            root.display()
        );
        let out = Command::new("bash").arg("-c").arg(&body).output().unwrap();
        assert!(out.status.success(), "{}\n{body}", stderr(&out));
        stdout(&out)
    };
    let conf = |root: &Path| std::fs::read_to_string(root.join("etc/upcycle/serve.conf")).unwrap();

    // route 2: the preseed's URL on the boot line
    let a = tmp.path().join("a");
    let first = run(
        &a,
        "BOOT_IMAGE=/linux auto=true url=http://10.0.0.5:8080/schule-001/preseed.cfg quiet\n",
    );
    assert!(first.contains("enabled upcycle-check.service"), "{first}");
    assert_eq!(
        conf(&a),
        format!("url=http://10.0.0.5:8080\nasset_id=schule-001\ntoken={token}\n")
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(a.join("etc/upcycle/serve.conf"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "the token is for root only");
    assert_eq!(
        std::fs::read_link(a.join("etc/systemd/system/multi-user.target.wants/upcycle-check.service")).unwrap(),
        a.join("etc/systemd/system/upcycle-check.service")
    );
    // again, on the installed laptop (no installer boot line): nothing changes
    let second = run(&a, "BOOT_IMAGE=/vmlinuz root=UUID=x ro quiet\n");
    assert!(second.trim_end().ends_with("changed 0"), "{second}");
    assert!(conf(&a).starts_with("url=http://10.0.0.5:8080\n"));
    // the check reads it as data
    let packages = std::fs::read_to_string(a.join("etc/upcycle/packages")).unwrap();
    assert!(packages.lines().any(|p| p == "firmware-iwlwifi"), "{packages}");
    let parsed = upcycle::check::post::parse_serve_conf(&conf(&a)).unwrap();
    assert_eq!(parsed.asset_id, "schule-001");

    // a stick with --server: log_host/log_port; none at all: the workshop PC
    let b = tmp.path().join("b-root");
    run(&b, "auto=true log_host=10.0.0.7 log_port=8080\n");
    assert!(conf(&b).starts_with("url=http://10.0.0.7:8080\n"), "{}", conf(&b));
    let c = tmp.path().join("c");
    run(&c, "quiet\n");
    assert!(conf(&c).starts_with("url=http://192.168.1.10:8081\n"), "{}", conf(&c));
    // a hostile boot line: no URL from it, nothing else written, nothing run
    let d = tmp.path().join("d");
    run(
        &d,
        "url=http://x$(touch${IFS}/tmp/pwned)y/a/preseed.cfg log_host=a;b log_port=1\nurl=http://next-line/a/preseed.cfg\n",
    );
    assert!(conf(&d).starts_with("url=http://192.168.1.10:8081\n"), "{}", conf(&d));
    assert_eq!(conf(&d).lines().count(), 3);
    assert!(!Path::new("/tmp/pwned").exists());
}

/// The room's manual checks form with a real serve: linked from the room page, German
/// first; a post with the page's token records the verdict, grade, note and items; one
/// without it, from another origin, or malformed is refused; the state and the passport
/// follow.
#[test]
fn the_room_form_records_a_persons_check() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = room(tmp.path());
    let d = dir.to_str().unwrap();
    let server = Server::start(&dir, &[]);
    let port = server.port;
    let room_page = String::from_utf8(get(port, "/room").body).unwrap();
    assert!(
        room_page.contains("schule-002 <a href=\"/room/check/schule-002\">prüfen</a>"),
        "{room_page}"
    );
    let form = get(port, "/room/check/schule-002");
    assert_eq!(form.status, 200);
    let form = String::from_utf8(form.body).unwrap();
    assert!(
        form.contains("Tastatur") && form.contains("bereit zur Übergabe"),
        "{form}"
    );
    let at = form.find("name=\"token\" value=\"").unwrap() + 20;
    let token = &form[at..at + 32];
    assert_eq!(get(port, "/room/check/schule-009").status, 404);
    assert_eq!(get(port, "/room/check/..%2fx").status, 404);

    let post = |headers: &str, body: &str| {
        let req = format!(
            "POST /room/check/schule-002 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{headers}Content-Length: {}\r\n\r\n{body}",
            body.len()
        );
        raw(port, req.as_bytes())
    };
    let good = format!(
        "token={token}&keyboard=ok&touchpad=defect&hinges=ok&screen=ok&grade=C&verdict=to-repair&note=Touchpad+klemmt+%3Cscript%3E"
    );
    assert_eq!(post("", &good.replace(token, &"0".repeat(32))).status, 400);
    assert_eq!(post("Origin: http://evil.example\r\n", &good).status, 403);
    assert_eq!(post("", &format!("{good}&verdict=ready")).status, 400);
    assert_eq!(post("", "garbage=%%%").status, 400);
    server.wait_for_line("refused: a check form for schule-002 from another page");
    let log = upcycle(&["log", "schule-002", "--ledger", d]);
    assert!(!stdout(&log).contains("checked"), "{}", stdout(&log));

    let saved = post(&format!("Origin: http://127.0.0.1:{port}\r\n"), &good);
    assert_eq!(saved.status, 200);
    let saved = String::from_utf8(saved.body).unwrap();
    assert!(saved.contains("schule-002 ist jetzt „zur Reparatur“"), "{saved}");
    server.wait_for_line("schule-002: checked by hand in the room, now \"to repair\"");
    let l = upcycle::ledger::Ledger::open_existing(&dir.join(upcycle::ledger::FILE_NAME)).unwrap();
    let m = l.machine("schule-002").unwrap().unwrap();
    let events = l.events_for(m.id).unwrap();
    let checked = events.iter().find(|e| e.kind == "checked").unwrap();
    assert_eq!(checked.details["manual"]["touchpad"], "defect");
    assert_eq!(checked.details["grade"], "C");
    assert_eq!(checked.source, "room from 127.0.0.1");
    let pp = tmp.path().join("pp");
    let out = upcycle(&[
        "passport",
        "schule-002",
        "--ledger",
        d,
        "-o",
        pp.to_str().unwrap(),
        "--lang",
        "en",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(pp.join("schule-002.passport.json")).unwrap()).unwrap();
    assert_eq!(doc["state"], "to-repair");
    assert_eq!(doc["check"]["grade"], "C");
    assert_eq!(doc["check"]["note"], "Touchpad klemmt <script>");
    let html = std::fs::read_to_string(pp.join("schule-002.passport.html")).unwrap();
    assert!(html.contains("Touchpad klemmt &lt;script&gt;") && !html.contains("klemmt <script>"));
}

/// The part of a generated postinstall.sh that keeps the SMART daemon off (smartctl is
/// for the self-check; smartd fails on an eMMC-only laptop), run under bash with the real
/// `systemctl --root` on a scratch root that has smartmontools' own unit, enabled as its
/// package enables it (the unit and its alias): the first run disables it, the second
/// changes nothing, and the script's own check of it passes.
#[test]
fn postinstall_keeps_the_smart_daemon_off() {
    let tmp = tempfile::tempdir().unwrap();
    let t40 = fixtures_dir().join("ibm-thinkpad-t40/root");
    let bundles = tmp.path().join("b");
    let o = super::support::generate(&t40, &bundles, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let script = std::fs::read_to_string(bundles.join("schule-001/postinstall.sh")).unwrap();
    let from = script.find("# 5b. The SMART daemon").expect("the section");
    let to = from + script[from..].find("\nfi\n").expect("its end") + 4;
    let section = &script[from..to];
    let check_line = script
        .lines()
        .find(|l| l.starts_with("check ") && l.contains("smartmontools.service"))
        .expect("the script checks it");

    let root = tmp.path().join("root");
    let units = root.join("lib/systemd/system");
    std::fs::create_dir_all(&units).unwrap();
    // smartmontools 7.3-1+b1 (Debian 12), lib/systemd/system/smartmontools.service
    std::fs::write(
        units.join("smartmontools.service"),
        "[Unit]\nDescription=Self Monitoring and Reporting Technology (SMART) Daemon\n\
         ConditionVirtualization=no\n\n[Service]\nType=notify\n\
         EnvironmentFile=-/etc/default/smartmontools\nExecStart=/usr/sbin/smartd -n $smartd_opts\n\
         ExecReload=/bin/kill -HUP $MAINPID\n\n[Install]\nWantedBy=multi-user.target\nAlias=smartd.service\n",
    )
    .unwrap();
    let wants = root.join("etc/systemd/system/multi-user.target.wants");
    std::fs::create_dir_all(&wants).unwrap();
    std::os::unix::fs::symlink(
        "/lib/systemd/system/smartmontools.service",
        wants.join("smartmontools.service"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        "/lib/systemd/system/smartmontools.service",
        root.join("etc/systemd/system/smartd.service"),
    )
    .unwrap();
    let run = |body: &str| -> String {
        let moved = body.replace("systemctl ", "systemctl --root=\"$R\" ");
        let script = format!(
            "set -euo pipefail\nR={}\nCHANGED=0\nFAILED=0\ncheck() {{ if \"$@\"; then echo \"ok: $*\"; else echo \"FAILED: $*\"; FAILED=$((FAILED + 1)); fi; }}\n{moved}\necho \"changed $CHANGED failed $FAILED\"\n",
            root.display()
        );
        let out = Command::new("bash").arg("-c").arg(&script).output().unwrap();
        assert!(out.status.success(), "{}\n{script}", stderr(&out));
        stdout(&out)
    };
    let before = run(check_line);
    assert!(before.ends_with("changed 0 failed 1\n"), "enabled at first: {before}");
    let first = run(section);
    assert!(first.contains("disabled smartmontools.service"), "{first}");
    assert!(!wants.join("smartmontools.service").exists(), "{first}");
    assert!(
        std::fs::symlink_metadata(root.join("etc/systemd/system/smartd.service")).is_err(),
        "the alias goes with it"
    );
    assert!(
        run(section).ends_with("changed 0 failed 0\n"),
        "the second run changes nothing"
    );
    assert!(run(check_line).ends_with("changed 0 failed 0\n"));
}
