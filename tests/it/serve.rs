//! `upcycle serve` as the installers meet it: the real binary on a free port of 127.0.0.1,
//! fetched by curl, by busybox wget (what the Debian installer runs) and by raw requests
//! that try to leave the served folder.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::support::{fixtures_dir, stderr, upcycle};

/// A room of two bundles: schule-001 (Debian 12 i386), schule-002 (Debian 13 amd64).
pub(super) fn room(tmp: &Path) -> PathBuf {
    let dir = tmp.join("room");
    for (machine, number) in [("ibm-thinkpad-t40", "1"), ("lenovo-thinkpad-t420-battery-wear", "2")] {
        let root = fixtures_dir().join(machine).join("root");
        let out = upcycle(&[
            "generate",
            root.to_str().unwrap(),
            "-o",
            dir.to_str().unwrap(),
            "--number",
            number,
            "--today",
            "2026-11-25",
        ]);
        assert!(out.status.success(), "generate {machine}: {}", stderr(&out));
    }
    assert!(dir.join("schule-001/preseed.cfg").is_file() && dir.join("schule-002/preseed.cfg").is_file());
    dir
}

/// The running server; killed when dropped, so a failing test leaves no process behind.
pub(super) struct Server {
    child: Child,
    pub(super) port: u16,
    log: Arc<Mutex<String>>,
}

impl Server {
    pub(super) fn start(dir: &Path, extra: &[&str]) -> Server {
        let mut child = crate::support::upcycle_command()
            .args(["serve", dir.to_str().unwrap(), "--listen", "127.0.0.1:0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("upcycle serve starts");
        let mut reader = BufReader::new(child.stderr.take().unwrap());
        let mut first = String::new();
        reader.read_line(&mut first).unwrap();
        let port = match first.trim_end().strip_prefix("listening on 127.0.0.1:") {
            Some(port) => port.parse().unwrap(),
            None => {
                let mut rest = String::new();
                let _ = reader.read_to_string(&mut rest);
                let _ = child.kill();
                let _ = child.wait();
                panic!("first line is not `listening on 127.0.0.1:PORT`: {first}{rest}");
            }
        };
        let log = Arc::new(Mutex::new(String::new()));
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in reader.lines().map_while(Result::ok) {
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        Server { child, port, log }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub(super) fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Wait (up to 10 s) for a line containing `needle` on the server's stderr.
    pub(super) fn wait_for_line(&self, needle: &str) -> String {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if let Some(line) = self.log().lines().find(|l| l.contains(needle)) {
                return line.to_string();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("no line with {needle:?} in the server's log:\n{}", self.log());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
pub(super) struct Response {
    pub(super) status: u16,
    pub(super) head: String,
    pub(super) body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// Send `request` as written (no client in between to normalise the path) and read the
/// whole answer; the server closes every connection after one response.
pub(super) fn raw(port: u16, request: &[u8]) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    stream.write_all(request).unwrap();
    let mut all = Vec::new();
    stream.read_to_end(&mut all).unwrap();
    let split = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP head in {:?}", String::from_utf8_lossy(&all)));
    let head = String::from_utf8(all[..split].to_vec()).unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    Response {
        status,
        head,
        body: all[split + 4..].to_vec(),
    }
}

pub(super) fn get(port: u16, target: &str) -> Response {
    raw(
        port,
        format!("GET {target} HTTP/1.1\r\nHost: workshop\r\n\r\n").as_bytes(),
    )
}

/// Run a command that must end by itself (a start-up error); kill it after 10 s.
fn run_briefly(args: &[&str]) -> Output {
    let mut child = crate::support::upcycle_command()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!("upcycle {args:?} still runs after 10 s: {}", stderr(&out));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn bundle_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 8, "{files:?}");
    files
}

#[test]
fn bundle_files_are_served_byte_identical_and_fetches_are_logged() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = room(tmp.path());
    let server = Server::start(&dir, &[]);
    let port = server.port;

    // The start-up lines name the installers' URL of each bundle and warn.
    let banner = server.wait_for_line("schule-002");
    assert!(
        banner.ends_with(&format!("url=http://127.0.0.1:{port}/schule-002/preseed.cfg")),
        "{banner}"
    );
    assert!(server.log().contains("WARNING: anyone who can reach 127.0.0.1:"));

    for id in ["schule-001", "schule-002"] {
        for path in bundle_files(&dir.join(id)) {
            let name = path.file_name().unwrap().to_str().unwrap();
            let want = std::fs::read(&path).unwrap();
            let got = get(port, &format!("/{id}/{name}"));
            assert_eq!(got.status, 200, "{id}/{name}: {}", got.head);
            assert!(got.body == want, "{id}/{name} differs from the file");
            assert_eq!(
                got.header("content-length"),
                Some(want.len().to_string()),
                "{id}/{name}"
            );
        }
    }
    let preseed = dir.join("schule-001/preseed.cfg");
    let want = std::fs::read(&preseed).unwrap();
    let got = get(port, "/schule-001/preseed.cfg");
    assert_eq!(got.header("content-type").as_deref(), Some("text/plain; charset=utf-8"));
    assert_eq!(
        get(port, "/schule-001/checklist.html")
            .header("content-type")
            .as_deref(),
        Some("text/html; charset=utf-8")
    );

    // Real clients: curl, and busybox wget as the installer's preseed fetch runs it.
    let curl_out = tmp.path().join("curl.cfg");
    let out = Command::new("curl")
        .args([
            "-sS",
            "--fail",
            "-o",
            curl_out.to_str().unwrap(),
            &server.url("/schule-001/preseed.cfg"),
        ])
        .output()
        .expect("curl is installed (apt-get install curl)");
    assert!(out.status.success(), "curl: {}", stderr(&out));
    assert!(std::fs::read(&curl_out).unwrap() == want);
    let wget_out = tmp.path().join("wget.cfg");
    let out = Command::new("busybox")
        .args([
            "wget",
            "-q",
            "-O",
            wget_out.to_str().unwrap(),
            &server.url("/schule-002/preseed.cfg"),
        ])
        .output()
        .expect("busybox is installed (apt-get install busybox)");
    assert!(out.status.success(), "busybox wget: {}", stderr(&out));
    assert!(std::fs::read(&wget_out).unwrap() == std::fs::read(dir.join("schule-002/preseed.cfg")).unwrap());

    // The index names the installer files, German first (as the room page).
    let index = String::from_utf8(get(port, "/").body).unwrap();
    assert_eq!(
        index,
        "upcycle serve: 2 Bündel\n/schule-001/preseed.cfg\n/schule-002/preseed.cfg\n"
    );
    let index = String::from_utf8(get(port, "/?lang=en").body).unwrap();
    assert_eq!(
        index,
        "upcycle serve: 2 bundles\n/schule-001/preseed.cfg\n/schule-002/preseed.cfg\n"
    );

    // One log line per request, and the line volunteers watch for.
    let line = server.wait_for_line("GET /schule-001/preseed.cfg 200");
    assert!(line.contains(" 127.0.0.1 GET /schule-001/preseed.cfg 200 "), "{line}");
    assert!(line.ends_with(&format!(" {}", want.len())), "{line}");
    server.wait_for_line("schule-001 fetched its preseed (from 127.0.0.1)");
    server.wait_for_line("schule-002 fetched its preseed (from 127.0.0.1)");
    server.wait_for_line("schule-001 fetched its post-install script");
}

#[test]
fn escapes_are_refused_and_never_show_the_file() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let dir = room(tmp.path());
    std::fs::write(tmp.path().join("outside.txt"), "OUTSIDE-SECRET").unwrap();
    std::fs::write(dir.join("schule-001/.hidden"), "HIDDEN-SECRET").unwrap();
    std::fs::create_dir(dir.join(".git")).unwrap();
    std::fs::write(dir.join(".git/config"), "GIT-SECRET").unwrap();
    symlink("/etc/passwd", dir.join("schule-001/passwd")).unwrap();
    symlink("../../outside.txt", dir.join("schule-001/leak")).unwrap();
    symlink(tmp.path(), dir.join("up")).unwrap();
    symlink(".hidden", dir.join("schule-001/peek")).unwrap();
    // The workshop ledger lies in the folder batch writes; it must never reach the LAN.
    std::fs::write(dir.join(upcycle::ledger::FILE_NAME), "LEDGER-SECRET").unwrap();
    std::fs::write(dir.join(format!("{}-wal", upcycle::ledger::FILE_NAME)), "LEDGER-SECRET").unwrap();
    symlink(
        format!("../{}", upcycle::ledger::FILE_NAME),
        dir.join("schule-001/notes.txt"),
    )
    .unwrap();
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap();
    assert!(
        passwd.contains("root:"),
        "the check below needs /etc/passwd to name root"
    );
    let server = Server::start(&dir, &[]);

    for (target, status) in [
        ("/../outside.txt", 400),
        ("/schule-001/../../outside.txt", 400),
        ("/schule-001/../../../../../../etc/passwd", 400),
        ("/%2e%2e/outside.txt", 400),
        ("/%2E%2E/%2E%2E/etc/passwd", 400),
        ("/..%2foutside.txt", 400),
        ("/schule-001/..%2f..%2foutside.txt", 400),
        ("/schule-001%2fpreseed.cfg", 400),
        ("/..\\outside.txt", 400),
        ("http://127.0.0.1/etc/passwd", 400),
        ("http://127.0.0.1/schule-001/../../outside.txt", 400),
        ("//etc/passwd", 400),
        ("/etc/passwd", 404),
        ("/schule-001/passwd", 403),
        ("/schule-001/leak", 403),
        ("/up/outside.txt", 403),
        ("/schule-001/.hidden", 403),
        ("/schule-001/peek", 403),
        ("/.git/config", 403),
        ("/schule-001/", 403),
        ("/schule-001", 403),
        ("/upcycle-ledger.sqlite", 403),
        ("/upcycle-ledger.sqlite-wal", 403),
        ("/schule-001/notes.txt", 403),
    ] {
        let got = get(server.port, target);
        let body = String::from_utf8_lossy(&got.body);
        assert_eq!(got.status, status, "{target}: {}\n{body}", got.head);
        for secret in [
            "root:",
            "OUTSIDE-SECRET",
            "HIDDEN-SECRET",
            "GIT-SECRET",
            "LEDGER-SECRET",
            "d-i ",
        ] {
            assert!(!body.contains(secret), "{target} showed {secret}: {body}");
        }
    }
    // curl keeps `..` when told to: the same answer from a real client.
    let out = Command::new("curl")
        .args([
            "-sS",
            "--path-as-is",
            "-w",
            "%{http_code}",
            &server.url("/../../etc/passwd"),
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.ends_with("400") && !text.contains("root:"), "{text}");
    // The server still serves after all that.
    assert_eq!(get(server.port, "/schule-001/boot.txt").status, 200);
    server.wait_for_line("GET /.git/config 403");
}

#[test]
fn only_get_and_head_and_head_has_no_body() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = room(tmp.path());
    let server = Server::start(&dir, &[]);
    let post = raw(
        server.port,
        b"POST /schule-001/preseed.cfg HTTP/1.1\r\nHost: w\r\nContent-Length: 11\r\n\r\nhello=world",
    );
    assert_eq!(post.status, 405, "{}", post.head);
    assert_eq!(post.header("allow").as_deref(), Some("GET, HEAD"));
    for method in ["PUT", "DELETE", "OPTIONS", "PROPFIND"] {
        let got = raw(
            server.port,
            format!("{method} /schule-001/preseed.cfg HTTP/1.1\r\n\r\n").as_bytes(),
        );
        assert_eq!(got.status, 405, "{method}");
    }
    let len = std::fs::metadata(dir.join("schule-001/postinstall.sh")).unwrap().len();
    let head = raw(
        server.port,
        b"HEAD /schule-001/postinstall.sh HTTP/1.1\r\nHost: w\r\n\r\n",
    );
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), Some(len.to_string()));
    assert!(head.body.is_empty(), "HEAD sent {} body bytes", head.body.len());
    let missing = raw(server.port, b"HEAD /schule-009/preseed.cfg HTTP/1.0\r\n\r\n");
    assert_eq!(missing.status, 404);
    assert!(missing.body.is_empty());
    // Not HTTP at all.
    assert_eq!(
        raw(server.port, b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n").status,
        400
    );
    server.wait_for_line("POST /schule-001/preseed.cfg 405");
    assert!(!server.log().contains("fetched its post-install"), "a HEAD is no fetch");
}

#[test]
fn twenty_laptops_at_once_while_one_stalls() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = room(tmp.path());
    let server = Server::start(&dir, &[]);
    // A laptop that connected and went silent (half a request line) must not block the room.
    let mut stalled = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stalled.write_all(b"GET /schule-0").unwrap();
    let files: Vec<(String, Vec<u8>)> = ["schule-001", "schule-002"]
        .iter()
        .flat_map(|id| {
            bundle_files(&dir.join(id)).into_iter().map(move |p| {
                let name = p.file_name().unwrap().to_str().unwrap().to_string();
                (format!("/{id}/{name}"), std::fs::read(&p).unwrap())
            })
        })
        .collect();
    let start = Instant::now();
    let port = server.port;
    let handles: Vec<_> = (0..20)
        .map(|i| {
            let (target, want) = files[i % files.len()].clone();
            std::thread::spawn(move || {
                let got = get(port, &target);
                assert_eq!(got.status, 200, "{target}");
                assert!(got.body == want, "{target} differs");
            })
        })
        .collect();
    for h in handles {
        h.join().expect("every client got its file");
    }
    // Well under the 10 s read timeout that would free the stalled connection.
    assert!(start.elapsed() < Duration::from_secs(5), "took {:?}", start.elapsed());
    let mut buf = [0u8; 1];
    stalled.set_nonblocking(true).unwrap();
    assert!(
        matches!(stalled.read(&mut buf), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "the stalled connection is still open (not answered yet)"
    );
}

#[test]
fn a_stalled_client_gets_408_after_the_read_timeout() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = room(tmp.path());
    let server = Server::start(&dir, &["--read-timeout", "1"]);
    let start = Instant::now();
    // Bytes trickle in, but the head never completes: the deadline is for the whole head.
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    for part in [&b"GET /schule-001/"[..], b"preseed.cfg HTTP/1.1\r\n", b"Host: w\r\n"] {
        let _ = stream.write_all(part); // the server may answer 408 before the last part
        std::thread::sleep(Duration::from_millis(400));
    }
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
    let took = start.elapsed();
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(5),
        "took {took:?}"
    );
    server.wait_for_line("127.0.0.1 - - 408");
}

#[test]
fn start_up_errors_say_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = room(tmp.path());
    let path = |p: &Path| p.to_str().unwrap().to_string();

    let missing = run_briefly(&["serve", &path(&tmp.path().join("nope"))]);
    assert_eq!(missing.status.code(), Some(3), "{}", stderr(&missing));
    assert!(
        stderr(&missing).contains("nope: no such folder"),
        "{}",
        stderr(&missing)
    );

    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let out = run_briefly(&["serve", &path(&empty)]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("holds no bundle folders"), "{}", stderr(&out));

    let out = run_briefly(&["serve", &path(&dir.join("schule-001"))]);
    assert_eq!(out.status.code(), Some(3));
    let want = format!(
        "serve the folder that holds it (`upcycle serve {}`)",
        dir.canonicalize().unwrap().display()
    );
    assert!(stderr(&out).contains(&want), "{}", stderr(&out));

    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let out = run_briefly(&["serve", &path(&dir), "--listen", &format!("127.0.0.1:{port}")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("port {port} is in use")) && stderr(&out).contains("pass --listen 127.0.0.1:"),
        "{}",
        stderr(&out)
    );

    let out = run_briefly(&["serve", &path(&dir), "--listen", "workshop-pc"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}
