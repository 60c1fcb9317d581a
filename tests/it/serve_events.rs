//! Events from the room against the real binary: fake laptops on loopback addresses of
//! their own (127.0.0.x) send d-i syslog lines over UDP, say hello and report "installed"
//! with the real commands of their preseed (run by busybox sh and busybox wget, as d-i
//! runs them); `upcycle status` and `upcycle log` show the stages. Wrong tokens, hostile
//! bodies and hostile datagrams are refused without harm; a batch writes the same ledger
//! meanwhile. The room page is looked at in headless Chromium.

use std::net::UdpSocket;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::inventory::{chromium, decode_png};
use super::serve::{Server, get, raw, room};
use super::support::{fixtures_dir, probe_dir, stderr, stdout, upcycle};

/// The room of tests/it/serve.rs plus a third laptop: three bundles and their ledger.
fn room_of_three(tmp: &Path) -> PathBuf {
    let dir = room(tmp);
    let root = fixtures_dir().join("dell-xps-15-9560-nvme-uefi/root");
    let out = upcycle(&[
        "generate",
        root.to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
        "--number",
        "3",
        "--today",
        "2026-11-25",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    dir
}

fn ledger(dir: &Path) -> upcycle::ledger::Ledger {
    upcycle::ledger::Ledger::open_existing(&dir.join(upcycle::ledger::FILE_NAME)).unwrap()
}

/// A machine's install token as its bundle carries it (read from the preseed, as the
/// installer has it), checked against the ledger's.
fn token_of(dir: &Path, asset: &str) -> String {
    let preseed = std::fs::read_to_string(dir.join(asset).join("preseed.cfg")).unwrap();
    let marker = format!("/_upcycle/hello/{asset}/");
    let at = preseed.find(&marker).expect("the preseed says hello") + marker.len();
    let token = preseed[at..at + 32].to_string();
    let l = ledger(dir);
    let m = l.machine(asset).unwrap().unwrap();
    assert_eq!(l.install_token(m.id).unwrap().unwrap().as_str(), token);
    token
}

/// A fake laptop: its own loopback address for UDP and (through curl) for HTTP.
struct Laptop {
    ip: String,
    udp: UdpSocket,
}

impl Laptop {
    fn new(n: u8) -> Laptop {
        let ip = format!("127.0.0.{n}");
        let udp = UdpSocket::bind((ip.as_str(), 0)).unwrap();
        Laptop { ip, udp }
    }

    fn syslog(&self, port: u16, datagram: &[u8]) {
        self.udp.send_to(datagram, ("127.0.0.1", port)).unwrap();
    }

    /// `curl --interface` from this laptop's address; (status, body).
    fn http(&self, port: u16, method: &str, path: &str, body: Option<&[u8]>) -> (u16, String) {
        let mut cmd = Command::new("curl");
        cmd.args([
            "-s",
            "-o",
            "-",
            "-w",
            "\n%{http_code}",
            "--interface",
            &self.ip,
            "-X",
            method,
        ])
        .arg(format!("http://127.0.0.1:{port}{path}"));
        let tmp = tempfile::NamedTempFile::new().unwrap();
        if let Some(body) = body {
            std::fs::write(tmp.path(), body).unwrap();
            cmd.arg("--data-binary").arg(format!("@{}", tmp.path().display()));
        }
        let out = cmd.output().expect("curl is installed");
        let text = stdout(&out);
        let (body, code) = text.rsplit_once('\n').unwrap();
        (code.parse().unwrap(), body.to_string())
    }
}

/// d-i's lines up to `stage_item` (a main-menu item), as busybox syslogd forwards them.
fn install_lines(items: &[&str]) -> Vec<String> {
    let mut lines = vec!["<13>Dec  6 09:12:01 udhcpc: lease of 10.0.2.15 obtained, lease time 86400".to_string()];
    for (i, item) in items.iter().enumerate() {
        lines.push(format!(
            "<14>Dec  6 09:{:02}:00 main-menu[242]: INFO: Menu item '{item}' selected",
            13 + i
        ));
        lines.push(format!("<13>Dec  6 09:{:02}:01 {item}: working on step {i}", 13 + i));
    }
    lines
}

fn status_json(dir: &Path) -> serde_json::Value {
    let out = upcycle(&["status", "--ledger", dir.to_str().unwrap(), "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// Wait (up to 15 s) until `check` holds for `upcycle status --format json`.
fn wait_for_status(dir: &Path, what: &str, check: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
    let start = Instant::now();
    loop {
        let status = status_json(dir);
        if check(&status) {
            return status;
        }
        assert!(start.elapsed() < Duration::from_secs(15), "{what}: {status:#}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn stages(status: &serde_json::Value) -> Vec<String> {
    status
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["stage"].as_str().unwrap_or("-").to_string())
        .collect()
}

/// Which `wget` the installer has.
#[derive(Clone, Copy, PartialEq)]
enum Wget {
    /// GNU wget: d-i 12 and 13 carry it (`wget-udeb`, /usr/bin/wget in the netboot initrds).
    Gnu,
    /// busybox wget without it: the applet of d-i 12's `busybox-udeb` (docs/serve.md).
    BusyboxNoPost,
}

/// Run the preseed's own command `question` (e.g. `preseed/late_command`) as d-i would: busybox
/// sh, with `debconf-get` answering `preseed/url` and `chroot` printing a package list.
fn run_preseed_command(dir: &Path, asset: &str, question: &str, url: &str, wget: Wget) -> std::process::Output {
    let bin = tempfile::tempdir().unwrap();
    let script = |name: &str, text: &str| {
        let path = bin.path().join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{text}\n")).unwrap();
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    };
    script("debconf-get", &format!("[ \"$1\" = preseed/url ] && echo '{url}'"));
    script(
        "chroot",
        "printf 'adduser\\t3.134\\nbase-files\\t12.4\\nlxde\\t11\\nlibc6:i386\\t2.36-9\\n'",
    );
    script("list-devices", "true");
    script("debconf-set", "true");
    // d-i 12's busybox lacks --post-file: then the wrapper refuses it as that busybox does
    match wget {
        Wget::Gnu => {
            let gnu = Command::new("wget")
                .arg("--version")
                .output()
                .expect("GNU wget (TEST_TOOLS)");
            assert!(stdout(&gnu).starts_with("GNU Wget"), "{}", stdout(&gnu));
            let path = Command::new("sh").args(["-c", "command -v wget"]).output().unwrap();
            std::os::unix::fs::symlink(stdout(&path).trim(), bin.path().join("wget")).unwrap();
        }
        Wget::BusyboxNoPost => script(
            "wget",
            "for a in \"$@\"; do case \"$a\" in --post-file*|--version) echo \"wget: unrecognized option '$a'\" >&2; exit 1;; esac; done; exec /bin/busybox wget \"$@\"",
        ),
    }
    for tool in ["sh", "cat", "sed", "cut", "wc", "sha256sum", "sleep", "grep"] {
        std::os::unix::fs::symlink("/bin/busybox", bin.path().join(tool)).unwrap();
    }
    let value = upcycle(&[
        "preseed-value",
        dir.join(asset).join("preseed.cfg").to_str().unwrap(),
        question,
    ]);
    assert!(value.status.success(), "{}", stderr(&value));
    let command = stdout(&value);
    let command = command.trim_end();
    assert!(command.contains("/_upcycle/"), "{command}");
    let out = Command::new("/bin/busybox")
        .args(["sh", "-c", &format!("{command}; wait")])
        .env("PATH", bin.path())
        .env_remove("http_proxy")
        .env_remove("HTTP_PROXY")
        .output()
        .unwrap();
    // the background hello has a moment to arrive
    std::thread::sleep(Duration::from_millis(300));
    out
}

#[test]
fn syslog_lines_from_several_laptops_become_stages_in_status_and_log() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = room_of_three(tmp.path());
    let server = Server::start(&dir, &[]);
    let port = server.port;
    server.wait_for_line("receiving the installers' syslog on UDP 127.0.0.1:");
    let laptops: Vec<Laptop> = (2..=4).map(Laptop::new).collect();

    // schule-001 fetched its preseed from 127.0.0.2 (route 2): that address is its own.
    let (code, _) = laptops[0].http(port, "GET", "/schule-001/preseed.cfg", None);
    assert_eq!(code, 200);
    // schule-002 (a stick: no fetch) sends before it says hello: its lines wait
    for line in install_lines(&["ethdetect", "download-installer"]) {
        laptops[1].syslog(port, line.as_bytes());
    }
    server.wait_for_line("syslog from 127.0.0.3: no laptop has said it is this address yet");
    // ... its preseed/early_command says hello, run as d-i runs it (with the most limited wget)
    let hello = run_preseed_command(
        &dir,
        "schule-002",
        "preseed/early_command",
        &format!("http://127.0.0.1:{port}/schule-002/preseed.cfg"),
        Wget::BusyboxNoPost,
    );
    assert!(hello.status.success(), "{}", stderr(&hello));
    // (the stub command ran from 127.0.0.1; the laptop's own address says hello too)
    let token2 = token_of(&dir, "schule-002");
    let (code, _) = laptops[1].http(port, "GET", &format!("/_upcycle/hello/schule-002/{token2}"), None);
    assert_eq!(code, 200);
    // schule-003 says hello, then fails in partman
    let token3 = token_of(&dir, "schule-003");
    let (code, body) = laptops[2].http(port, "GET", &format!("/_upcycle/hello/schule-003/{token3}"), None);
    assert_eq!((code, body.trim()), (200, "200 ok"));

    for line in install_lines(&[
        "ethdetect",
        "partman-base",
        "bootstrap-base",
        "apt-setup-udeb",
        "pkgsel",
    ]) {
        laptops[0].syslog(port, line.as_bytes());
    }
    for line in install_lines(&["partman-base"]) {
        laptops[1].syslog(port, line.as_bytes());
    }
    laptops[2].syslog(
        port,
        b"<12>Dec  6 09:20:00 main-menu[242]: WARNING **: Menu item 'partman-base' failed.",
    );
    let status = wait_for_status(&dir, "three stages", |s| {
        stages(s) == ["software", "partitioning", "failed"]
    });
    assert_eq!(status[0]["last_line"], "pkgsel: working on step 4");
    assert_eq!(status[0]["log_lines"], 11);
    // schule-002's lines from before its hello counted too
    assert_eq!(status[1]["log_lines"], 5 + 3);

    // schule-001's late command reports "installed" with its package list (POST --post-file, by
    // GNU wget as in d-i 12 and 13)
    let late = run_preseed_command(
        &dir,
        "schule-001",
        "preseed/late_command",
        &format!("http://127.0.0.1:{port}/schule-001/preseed.cfg"),
        Wget::Gnu,
    );
    assert!(late.status.success(), "{}", stderr(&late));
    server.wait_for_line("schule-001: installed, 4 packages");
    server.wait_for_line("POST /_upcycle/installed/schule-001/[token] 200");
    // schule-002's wget cannot POST (d-i 12's busybox applet): the GET form carries count and hash
    let late = run_preseed_command(
        &dir,
        "schule-002",
        "preseed/late_command",
        &format!("http://127.0.0.1:{port}/schule-002/preseed.cfg"),
        Wget::BusyboxNoPost,
    );
    assert!(late.status.success(), "{}", stderr(&late));
    server.wait_for_line("schule-002: installed, 4 packages");
    server.wait_for_line("GET /_upcycle/installed/schule-002/[token]");
    let _ = std::fs::remove_file("/tmp/upcycle-packages");
    let status = wait_for_status(&dir, "installed", |s| stages(s) == ["installed", "installed", "failed"]);
    assert_eq!(status[0]["last_event"], "installed");
    // postinstall.sh is fetched at the install's end: it starts nothing
    let (code, _) = laptops[0].http(port, "GET", "/schule-001/postinstall.sh", None);
    assert_eq!(code, 200);
    server.wait_for_line("schule-001 fetched its post-install script");
    assert_eq!(stages(&status_json(&dir)), ["installed", "installed", "failed"]);

    let text = upcycle(&["status", "--ledger", dir.to_str().unwrap()]);
    let text = stdout(&text);
    assert!(
        text.lines().next().unwrap().ends_with("install stage  erasure"),
        "{text}"
    );
    // (the erasure column last: never erased, "-")
    assert!(
        text.contains("schule-003")
            && text
                .lines()
                .nth(3)
                .unwrap()
                .trim_end_matches('-')
                .trim_end()
                .ends_with("failed"),
        "{text}"
    );

    let log = upcycle(&[
        "log",
        "schule-001",
        "--ledger",
        dir.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(log.status.success(), "{}", stderr(&log));
    let log_text = stdout(&log);
    for want in [
        "preseed-fetched",
        "\"started\"",
        "\"network\"",
        "\"partitioning\"",
        "\"base-system\"",
        "\"package-sources\"",
        "\"software\"",
        "\"installed\"",
        "serve from 127.0.0.2",
    ] {
        assert!(log_text.contains(want), "{want}: {log_text}");
    }
    let log_json: serde_json::Value = serde_json::from_str(&log_text).unwrap();
    let last = log_json["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["details"]["packages"], 4, "{last:#}");
    assert_eq!(last["details"]["list_sha256"].as_str().unwrap().len(), 64);
    // the token is in no output
    for token in [&token2, &token3] {
        assert!(!server.log().contains(token.as_str()), "{}", server.log());
        assert!(!log_text.contains(token.as_str()) && !text.contains(token.as_str()));
    }
}

#[test]
fn wrong_tokens_and_hostile_callbacks_are_refused_and_logged() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = room(tmp.path());
    // a body that never comes is answered after the read timeout
    let server = Server::start(&dir, &["--read-timeout", "2"]);
    let port = server.port;
    let t1 = token_of(&dir, "schule-001");
    let t2 = token_of(&dir, "schule-002");
    let list = b"adduser\t3.134\n";
    let post = |path: &str, headers: &str, body: &[u8]| {
        let mut request = format!("POST {path} HTTP/1.1\r\nHost: x\r\n{headers}\r\n").into_bytes();
        request.extend_from_slice(body);
        raw(port, &request).status
    };
    let with_len = |body: &[u8]| format!("Content-Length: {}\r\n", body.len());
    // the other bundle's token, a made-up one, none, a broken one
    assert_eq!(
        post(&format!("/_upcycle/installed/schule-001/{t2}"), &with_len(list), list),
        403
    );
    assert_eq!(
        post(
            &format!("/_upcycle/installed/schule-001/{}", "0".repeat(32)),
            &with_len(list),
            list
        ),
        403
    );
    assert_eq!(post("/_upcycle/installed/schule-001", &with_len(list), list), 404);
    assert_eq!(
        post("/_upcycle/installed/schule-001/x;reboot", &with_len(list), list),
        404
    );
    assert_eq!(get(port, &format!("/_upcycle/hello/schule-009/{t1}")).status, 403);
    assert_eq!(get(port, &format!("/_upcycle/hello/schule-002/{t1}")).status, 403);
    // oversized, no length, chunked, malformed, not a list
    let ok_path = format!("/_upcycle/installed/schule-001/{t1}");
    assert_eq!(post(&ok_path, "Content-Length: 999999999\r\n", b""), 413);
    assert_eq!(post(&ok_path, "", list), 411);
    assert_eq!(
        post(&ok_path, "Transfer-Encoding: chunked\r\n", b"5\r\nhello\r\n0\r\n\r\n"),
        411
    );
    assert_eq!(post(&ok_path, "Content-Length: -1\r\n", list), 400);
    assert_eq!(
        post(&ok_path, "Content-Length: 5\r\nContent-Length: 6\r\n", b"abcdef"),
        400
    );
    assert_eq!(post(&ok_path, &with_len(b"\xff\xfe\x00"), b"\xff\xfe\x00"), 400);
    assert_eq!(
        post(&ok_path, &with_len(b"<script>x</script>\n"), b"<script>x</script>\n"),
        400
    );
    assert_eq!(post(&ok_path, "Content-Length: 100\r\n", b"short"), 408);
    assert_eq!(get(port, &format!("{ok_path}?packages=99999999&sha256=zz")).status, 400);
    assert_eq!(
        raw(port, format!("PUT {ok_path} HTTP/1.1\r\n\r\n").as_bytes()).status,
        405
    );
    assert_eq!(get(port, &format!("/_upcycle/installed/schule-001/{t1}")).status, 405);
    // nothing was recorded; the server still answers; the refusals are logged without tokens
    let events = upcycle(&["log", "schule-001", "--ledger", dir.to_str().unwrap()]);
    assert!(!stdout(&events).contains("installed"), "{}", stdout(&events));
    assert_eq!(get(port, "/schule-001/boot.txt").status, 200);
    server.wait_for_line("refused: installed report for schule-001 from 127.0.0.1 without its install token");
    server.wait_for_line("refused: hello for schule-009");
    let log = server.log();
    assert!(!log.contains(&t1) && !log.contains(&t2), "{log}");
    assert!(log.contains("/_upcycle/installed/schule-001/[token] 413"), "{log}");
    // the right token is taken
    assert_eq!(post(&ok_path, &with_len(list), list), 200);
    server.wait_for_line("schule-001: installed, 1 package (from");
}

/// What a volunteer watches in serve's terminal is German by default (`--lang de` here,
/// as on a workshop PC without an English locale): the fetch, the hello, the report, the
/// refusal; the request lines stay the same in every language.
#[test]
fn the_log_a_volunteer_watches_is_german() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = room(tmp.path());
    let server = Server::start(&dir, &["--lang", "de"]);
    let port = server.port;
    let t1 = token_of(&dir, "schule-001");
    assert_eq!(get(port, "/schule-001/preseed.cfg").status, 200);
    assert_eq!(get(port, &format!("/_upcycle/hello/schule-001/{t1}")).status, 200);
    assert_eq!(get(port, &format!("/_upcycle/hello/schule-002/{t1}")).status, 403);
    let sha = "ab".repeat(32);
    let report = format!("/_upcycle/installed/schule-001/{t1}?packages=1&sha256={sha}");
    assert_eq!(get(port, &report).status, 200);
    server.wait_for_line("GET /schule-001/preseed.cfg 200");
    server.wait_for_line("schule-001 hat seine Antwortdatei (preseed.cfg) geholt (von 127.0.0.1)");
    server.wait_for_line("schule-001: sein Installer meldet sich (von 127.0.0.1)");
    server.wait_for_line("abgewiesen: eine Meldung für schule-002 von 127.0.0.1 ohne seinen Installationsschlüssel");
    server.wait_for_line("schule-001: installiert, 1 Paket (von 127.0.0.1)");
    // what a browser shows on a mistyped path: German, English with ?lang=en
    let folder = get(port, "/schule-001/");
    assert_eq!(folder.status, 403);
    assert_eq!(
        String::from_utf8(folder.body).unwrap(),
        "403 Ordner werden nicht aufgelistet\n"
    );
    let missing = get(port, "/schule-001/nope.txt?lang=en");
    assert_eq!(
        (missing.status, String::from_utf8(missing.body).unwrap()),
        (404, "404 no such file\n".to_string())
    );
    // the room page without `?lang=en`, and its refusal without a ledger, in German too
    let bare = tmp.path().join("bare");
    std::fs::create_dir(&bare).unwrap();
    let copied = Command::new("cp")
        .arg("-a")
        .arg(dir.join("schule-001"))
        .arg(&bare)
        .status()
        .unwrap();
    assert!(copied.success());
    let plain = Server::start(&bare, &["--lang", "de"]);
    let page = get(plain.port, "/room");
    assert_eq!(page.status, 404);
    assert_eq!(
        String::from_utf8(page.body).unwrap(),
        "404 Die Raumseite braucht das Werkstattbuch: den Ordner ausliefern, den `upcycle batch` geschrieben hat\n"
    );
    let page = get(plain.port, "/room?lang=en");
    assert!(
        String::from_utf8(page.body)
            .unwrap()
            .contains("needs the workshop ledger")
    );
}

#[test]
fn hostile_syslog_datagrams_neither_crash_serve_nor_reach_the_page_unescaped() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = room(tmp.path());
    let server = Server::start(&dir, &[]);
    let port = server.port;
    let laptop = Laptop::new(7);
    let token = token_of(&dir, "schule-001");
    assert_eq!(
        laptop
            .http(port, "GET", &format!("/_upcycle/hello/schule-001/{token}"), None)
            .0,
        200
    );
    let mut hostile: Vec<Vec<u8>> = vec![
        vec![b'A'; 65_000],
        vec![0xff; 2000],
        b"\x00\x00\x00".to_vec(),
        b"".to_vec(),
        b"<999999999999>Dec 99 99:99:99 \x1b[2J\x07main-menu[1]: INFO: Menu item 'pkgsel' selected".to_vec(),
        b"<14>Dec  6 09:00:00 main-menu[1]: INFO: Menu item 'pkgsel' selected\n<14>Dec  6 09:00:00 main-menu[1]: INFO: Menu item 'finish-install' selected".to_vec(),
    ];
    for i in 0..200u32 {
        hostile.push(format!("<{i}>{}", "\u{202e}\u{feff}ü".repeat((i % 50) as usize)).into_bytes());
    }
    hostile.push(
        b"<13>Dec  6 09:30:00 x: </td><script>alert(1)</script><img src=x onerror=alert(2)>\r\nforged line".to_vec(),
    );
    for d in &hostile {
        laptop.syslog(port, d);
    }
    let status = wait_for_status(&dir, "all datagrams counted", |s| {
        s[0]["log_lines"].as_u64() == Some(hostile.len() as u64)
    });
    // the two-line datagram counts as one line: its first (pkgsel), never the forged second
    assert_eq!(status[0]["stage"], "software");
    assert_eq!(
        status[0]["last_line"],
        "x: </td><script>alert(1)</script><img src=x onerror=alert(2)>"
    );
    let page = get(port, "/room");
    assert_eq!(page.status, 200);
    let html = String::from_utf8(page.body).unwrap();
    assert!(!html.contains("<script") && !html.contains("<img"), "{html}");
    assert!(
        html.contains("x: &lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    // still serving
    assert_eq!(get(port, "/schule-001/boot.txt").status, 200);
    let (code, _) = laptop.http(port, "GET", "/room?lang=en", None);
    assert_eq!(code, 200);
}

#[test]
fn a_batch_and_serve_write_the_ledger_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    // a batch folder: serve it while batch runs on it again with more machines
    let inputs = tmp.path().join("inputs");
    std::fs::create_dir_all(&inputs).unwrap();
    let report = |slug: &str, serial: &str| {
        let mut report = probe_dir(&fixtures_dir().join(slug).join("root"));
        report.machine.serial = Some(serial.into());
        std::fs::write(inputs.join(format!("{slug}.yaml")), upcycle::yaml::to_string(&report)).unwrap();
    };
    for (i, slug) in ["ibm-thinkpad-t40", "lenovo-thinkpad-x220", "dell-xps-m1530-nvidia"]
        .iter()
        .enumerate()
    {
        report(slug, &format!("SN-{i}"));
    }
    let dir = tmp.path().join("room");
    let batch = |args: &[&str]| {
        let mut all = vec![
            "batch",
            inputs.to_str().unwrap(),
            "-o",
            dir.to_str().unwrap(),
            "--today",
            "2026-11-25",
        ];
        all.extend_from_slice(args);
        upcycle(&all)
    };
    let first = batch(&[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let server = Server::start(&dir, &[]);
    let port = server.port;
    let laptops: Vec<Laptop> = (20..23).map(Laptop::new).collect();
    for (i, laptop) in laptops.iter().enumerate() {
        let asset = format!("schule-00{}", i + 1);
        let token = token_of(&dir, &asset);
        assert_eq!(
            laptop
                .http(port, "GET", &format!("/_upcycle/hello/{asset}/{token}"), None)
                .0,
            200
        );
    }
    // 3 x 2,000 lines while a batch over the same folder (and ledger) runs
    let sent = 2000;
    std::thread::scope(|s| {
        let senders: Vec<_> = laptops
            .iter()
            .map(|l| {
                s.spawn(move || {
                    for i in 0..sent {
                        l.syslog(port, format!("<13>Dec  6 09:00:00 debootstrap: line {i}").as_bytes());
                        if i % 200 == 0 {
                            std::thread::sleep(Duration::from_millis(5));
                        }
                    }
                })
            })
            .collect();
        report("asus-eeepc-1000h", "SN-NEW");
        let run = batch(&[]);
        assert!(run.status.success(), "{}", stderr(&run));
        for s in senders {
            s.join().unwrap();
        }
    });
    let status = wait_for_status(&dir, "every line of the three", |s| {
        (0..3).all(|i| s[i]["log_lines"].as_u64() == Some(sent))
    });
    assert!(status.as_array().unwrap().len() >= 3);
    assert_eq!(ledger(&dir).integrity_check().unwrap(), "ok");
}

#[test]
fn the_room_page_in_headless_chromium() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = room_of_three(tmp.path());
    let server = Server::start(&dir, &[]);
    let port = server.port;
    let laptops: Vec<Laptop> = (30..33).map(Laptop::new).collect();
    let items: [&[&str]; 3] = [
        &["ethdetect", "partman-base", "bootstrap-base", "pkgsel"],
        &["ethdetect", "partman-base"],
        &[
            "ethdetect",
            "partman-base",
            "bootstrap-base",
            "apt-setup-udeb",
            "pkgsel",
            "grub-installer",
            "finish-install",
        ],
    ];
    for (i, laptop) in laptops.iter().enumerate() {
        let asset = format!("schule-00{}", i + 1);
        let token = token_of(&dir, &asset);
        assert_eq!(
            laptop
                .http(port, "GET", &format!("/_upcycle/hello/{asset}/{token}"), None)
                .0,
            200
        );
        for line in install_lines(items[i]) {
            laptop.syslog(port, line.as_bytes());
        }
    }
    laptops[1].syslog(port, b"<13>Dec  6 09:30:00 partman: <b>bold</b> & \"quoted\"");
    let token = token_of(&dir, "schule-003");
    let (code, _) = laptops[2].http(
        port,
        "POST",
        &format!("/_upcycle/installed/schule-003/{token}"),
        Some(b"adduser\t3.134\nxfce4\t4.18\n"),
    );
    assert_eq!(code, 200);
    wait_for_status(&dir, "stages", |s| {
        stages(s) == ["software", "partitioning", "installed"]
    });

    let url = format!("http://127.0.0.1:{port}/room");
    let (dom, console) = chromium(&url, &["--dump-dom"]);
    assert!(console.is_empty(), "console: {console:?}");
    for want in [
        "Installationen im Raum",
        "Software wird installiert",
        "Festplatte wird eingeteilt",
        "Installiert",
        "partman: &lt;b&gt;bold&lt;/b&gt; &amp; \"quoted\"",
        "<meta http-equiv=\"refresh\" content=\"5\">",
    ] {
        assert!(dom.contains(want), "{want}: {dom}");
    }
    assert!(!dom.contains("<b>bold</b>"), "{dom}");
    let png = Path::new(env!("CARGO_TARGET_TMPDIR")).join("room-de.png");
    let _ = std::fs::remove_file(&png);
    let (_, console) = chromium(
        &url,
        &[&format!("--screenshot={}", png.display()), "--window-size=1280,720"],
    );
    assert!(console.is_empty(), "console: {console:?}");
    let (w, h, pixels) = decode_png(&std::fs::read(&png).unwrap());
    assert_eq!((w, h), (1280, 720));
    // the stage cells are painted: green for installed, yellow for running
    let green = pixels.iter().filter(|p| **p == [0xdf, 0xf0, 0xd8]).count();
    let yellow = pixels.iter().filter(|p| **p == [0xfc, 0xf8, 0xe3]).count();
    assert!(
        green > 1000 && yellow > 2000,
        "green {green}, yellow {yellow}: {}",
        png.display()
    );
    // the documentation's picture (docs/img/room-de.png) is this one, when asked for
    if std::env::var_os("UPCYCLE_UPDATE_DOC_IMAGES").is_some() {
        std::fs::copy(&png, Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/img/room-de.png")).unwrap();
    }
}
