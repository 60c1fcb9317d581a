//! The server around [`super`]'s decisions: one thread per connection (at most
//! [`MAX_CONNECTIONS`]), a deadline on reading the request head, a timeout on every write,
//! one request per connection (`Connection: close`), a log line per request.
//!
//! Why our own accept loop: the installers need only `GET /<asset-id>/<file>` (d-i's busybox
//! wget, cloud-init's nocloud-net), and what matters is that dead or slow laptops never tie
//! up the others. `httparse` parses the request head; the rest is short and ours.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::{
    Refusal, RequestLog, Target, content_type, fetch_note, index_text, installer_paths, log_line, parse_target, refuse,
    resolve,
};

/// Connections served at once; more get `503` at once (a room has 30 laptops).
pub const MAX_CONNECTIONS: usize = 256;
/// The request head (request line and headers) may not be longer.
pub const MAX_HEAD: usize = 16 * 1024;
/// Default time a client gets to send its whole request head.
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Time one write to a client may block (a laptop that vanished mid-download).
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(60);

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Where `serve` prints its log lines (the printer, or a test's buffer).
pub type LogSink = Arc<dyn Fn(&str) + Send + Sync>;

/// How the server behaves; [`Settings::new`] gives the defaults.
#[derive(Clone)]
pub struct Settings {
    /// The served folder, canonical.
    pub root: PathBuf,
    pub read_timeout: Duration,
    pub log: LogSink,
}

impl Settings {
    pub fn new(root: PathBuf, log: LogSink) -> Self {
        Settings {
            root,
            read_timeout: READ_TIMEOUT,
            log,
        }
    }
}

/// Accept connections forever, one thread each. Only returns on a fatal listener error.
pub fn serve(listener: TcpListener, settings: Settings) -> io::Result<()> {
    let active = Arc::new(AtomicUsize::new(0));
    loop {
        let (stream, peer) = match listener.accept() {
            Ok(conn) => conn,
            Err(e) if is_transient_accept_error(&e) => {
                (settings.log)(&format!("warning: accepting a connection failed: {e}"));
                // Out of file descriptors, say: give the running requests time to finish.
                std::thread::sleep(Duration::from_millis(100));
                continue;
            }
            Err(e) => return Err(e),
        };
        if active.fetch_add(1, Ordering::AcqRel) >= MAX_CONNECTIONS {
            active.fetch_sub(1, Ordering::AcqRel);
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
            let _ = respond_text(&stream, 503, "too many connections, try again\n", false);
            continue;
        }
        let guard = ActiveGuard(active.clone());
        let log = settings.log.clone();
        let settings = settings.clone();
        let spawned = std::thread::Builder::new()
            .name("serve-conn".into())
            // Small stacks: 256 threads stay cheap on a 32-bit workshop PC too.
            .stack_size(256 * 1024)
            .spawn(move || {
                let _guard = guard;
                handle_connection(stream, peer, &settings);
            });
        if let Err(e) = spawned {
            // The closure, with the stream and the guard, is dropped: the client sees a close.
            log(&format!("warning: no thread for a connection from {}: {e}", peer.ip()));
        }
    }
}

/// Errors of one connection or of a moment (out of file descriptors): keep accepting.
fn is_transient_accept_error(e: &io::Error) -> bool {
    use nix::libc::{EMFILE, ENFILE, ENOBUFS, ENOMEM};
    let kind = matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
            | io::ErrorKind::WouldBlock
            | io::ErrorKind::TimedOut
    );
    kind || e
        .raw_os_error()
        .is_some_and(|code| [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(&code))
}

struct ActiveGuard(Arc<AtomicUsize>);

impl Drop for ActiveGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The request head as far as we need it.
struct Head {
    method: String,
    target: String,
}

enum ReadFailure {
    /// Closed or timed out before sending anything: a port probe, not worth a log line.
    Silent,
    Status(u16, &'static str),
}

fn read_head(stream: &mut TcpStream, timeout: Duration) -> Result<Head, ReadFailure> {
    let deadline = Instant::now() + timeout;
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(timed_out(&buf));
        }
        let _ = stream.set_read_timeout(Some(left));
        let n = match stream.read(&mut chunk) {
            Ok(0) if buf.is_empty() => return Err(ReadFailure::Silent),
            Ok(0) => return Err(ReadFailure::Status(400, "the request ended early")),
            Ok(n) => n,
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                return Err(timed_out(&buf));
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return Err(ReadFailure::Silent),
        };
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut request = httparse::Request::new(&mut headers);
        match request.parse(&buf) {
            Ok(httparse::Status::Complete(_)) => {
                return Ok(Head {
                    method: request.method.unwrap_or("-").to_string(),
                    target: request.path.unwrap_or("-").to_string(),
                });
            }
            Ok(httparse::Status::Partial) if buf.len() > MAX_HEAD => {
                return Err(ReadFailure::Status(431, "the request head is too long"));
            }
            Ok(httparse::Status::Partial) => {}
            Err(httparse::Error::TooManyHeaders) => {
                return Err(ReadFailure::Status(431, "too many request headers"));
            }
            Err(_) => return Err(ReadFailure::Status(400, "not an HTTP/1 request")),
        }
    }
}

fn timed_out(buf: &[u8]) -> ReadFailure {
    if buf.is_empty() {
        ReadFailure::Silent
    } else {
        ReadFailure::Status(408, "the request was not sent in time")
    }
}

fn now_text() -> String {
    chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string()
}

fn handle_connection(mut stream: TcpStream, peer: SocketAddr, settings: &Settings) {
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let mut entry = RequestLog {
        time: String::new(),
        client: peer.ip(),
        method: "-".into(),
        path: "-".into(),
        status: 0,
        bytes: 0,
        error: None,
    };
    let sent = match read_head(&mut stream, settings.read_timeout) {
        Err(ReadFailure::Silent) => return,
        Err(ReadFailure::Status(status, reason)) => {
            entry.status = status;
            respond_text(&stream, status, &format!("{status} {reason}\n"), false)
        }
        Ok(head) => {
            entry.method = head.method;
            entry.path = head.target;
            let head_only = entry.method == "HEAD";
            match answer(&entry.method, &entry.path, &settings.root) {
                Answer::Text(status, body) => {
                    entry.status = status;
                    respond_text(&stream, status, &body, head_only)
                }
                Answer::File(path, file, len) => {
                    entry.status = 200;
                    respond_file(&stream, &path, file, len, head_only)
                }
            }
        }
    };
    match sent {
        Ok(bytes) => entry.bytes = bytes,
        Err((bytes, e)) => {
            entry.bytes = bytes;
            entry.error = Some(e.to_string());
        }
    }
    entry.time = now_text();
    (settings.log)(&log_line(&entry));
    if let Some(note) = fetch_note(&entry) {
        (settings.log)(&note);
    }
    linger_close(&mut stream);
}

enum Answer {
    Text(u16, String),
    File(PathBuf, File, u64),
}

/// Decide the response to a request that was read: method, path checks, the file.
fn answer(method: &str, target: &str, root: &Path) -> Answer {
    if method != "GET" && method != "HEAD" {
        return Answer::Text(405, "405 only GET and HEAD are served (read only)\n".into());
    }
    let refused = |r: Refusal| Answer::Text(r.status, format!("{} {}\n", r.status, r.reason));
    let segments = match parse_target(target) {
        Ok(Target::Index) => return Answer::Text(200, index_text(&installer_paths(root))),
        Ok(Target::File(segments)) => segments,
        Err(r) => return refused(r),
    };
    let path = match resolve(root, &segments) {
        Ok(p) => p,
        Err(r) => return refused(r),
    };
    // `resolve` checked a path free of symlinks and a regular file; should the folder change
    // in between, refuse a new final symlink and never block on a FIFO.
    let opened = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::libc::O_NOFOLLOW | nix::libc::O_NONBLOCK)
        .open(&path);
    let file = match opened {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            return refused(refuse(403, "this file is not readable by the server"));
        }
        Err(_) => return refused(refuse(404, "no such file")),
    };
    match file.metadata() {
        Ok(m) if m.is_file() => Answer::File(path, file, m.len()),
        _ => refused(refuse(403, "not a regular file")),
    }
}

type Sent = Result<u64, (u64, io::Error)>;

fn head_text(status: u16, content_type: &str, len: u64) -> String {
    let date = chrono::Utc::now().format("%a, %d %b %Y %H:%M:%S GMT");
    let allow = if status == 405 { "Allow: GET, HEAD\r\n" } else { "" };
    format!(
        "HTTP/1.1 {status} {}\r\nDate: {date}\r\nServer: upcycle\r\nContent-Type: {content_type}\r\n\
         Content-Length: {len}\r\n{allow}Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
         Connection: close\r\n\r\n",
        reason_phrase(status)
    )
}

fn respond_text(stream: &TcpStream, status: u16, body: &str, head_only: bool) -> Sent {
    let mut w = BufWriter::new(stream);
    let head = head_text(status, "text/plain; charset=utf-8", body.len() as u64);
    let body_bytes = if head_only { &[][..] } else { body.as_bytes() };
    w.write_all(head.as_bytes())
        .and_then(|_| w.write_all(body_bytes))
        .and_then(|_| w.flush())
        .map(|_| body_bytes.len() as u64)
        .map_err(|e| (0, e))
}

fn respond_file(stream: &TcpStream, path: &Path, file: File, len: u64, head_only: bool) -> Sent {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let mut w = BufWriter::with_capacity(64 * 1024, stream);
    let head = head_text(200, content_type(name), len);
    w.write_all(head.as_bytes()).map_err(|e| (0, e))?;
    if head_only {
        return w.flush().map(|_| 0).map_err(|e| (0, e));
    }
    let mut body = file.take(len);
    let mut sent = 0u64;
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match body.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err((sent, e)),
        };
        w.write_all(&chunk[..n]).map_err(|e| (sent, e))?;
        sent += n as u64;
    }
    w.flush().map_err(|e| (sent, e))?;
    if sent < len {
        return Err((sent, io::Error::other("the file got shorter while it was sent")));
    }
    Ok(sent)
}

/// Close without resetting: stop writing, then read what the client still sends (a POST
/// body) for a moment, so it sees the response instead of a reset connection.
fn linger_close(stream: &mut TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let mut sink = [0u8; 4096];
    let mut drained = 0usize;
    while drained < 256 * 1024 {
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
}
