//! The server around [`super`]'s decisions: one thread accepts and reads the request heads of
//! all waiting connections ([`super::waiting`]), a thread per request to answer it (at most
//! [`MAX_CONNECTIONS`]), a deadline and a size limit on the head, a timeout on every write,
//! one request per connection (`Connection: close`), a log line per request.
//!
//! Why our own accept loop: the installers need only `GET /<asset-id>/<file>` (d-i's busybox
//! wget, cloud-init's nocloud-net), and what matters is that dead, slow or hostile clients
//! never tie up the others (docs/ARCHITECTURE.md, Choices). `httparse` parses the request
//! head; the rest is short and ours.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::events::{self, CALLBACK_PREFIX, Events};
use super::waiting::{MAX_WAITING, MAX_WAITING_PER_IP, WaitingRoom};
use super::{
    Refusal, RequestLog, Target, content_type, fetch_note, index_text, installer_paths, log_line, page_lang,
    parse_target, refuse, resolve,
};
use crate::l10n::{self, Lang, Localize};

/// Requests answered at once, a thread each; more get `503` (a room has 30 laptops).
pub const MAX_CONNECTIONS: usize = 256;
/// Of those, for one client address: a laptop fetches one file at a time, and a room of 30
/// behind one address (a NAT router, the VMs of a test) is still answered at once.
pub const MAX_CONNECTIONS_PER_IP: usize = 32;
/// The request head (request line and headers) may not be longer.
pub const MAX_HEAD: usize = 16 * 1024;
/// Default time a client gets to send its whole request head.
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time one write to a client may block (a laptop that vanished mid-download).
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(60);

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// The body of a refusal: the status and why (`reason`, a message `http-*`), in `lang`.
fn refusal_body(status: u16, reason: &str, lang: Lang) -> String {
    format!("{status} {}\n", l10n::text(lang, reason))
}

/// Where `serve` prints its log lines (the printer, or a test's buffer).
pub type LogSink = Arc<dyn Fn(&str) + Send + Sync>;

/// Serve's log: the sink and the language its lines are said in (the terminal's). The
/// request lines (time, client, method, path, status, bytes) are the same in every
/// language; what a volunteer watches for (a laptop fetched its preseed, said hello, is
/// installed; a warning) is a message of the catalogs.
#[derive(Clone)]
pub struct Log {
    sink: LogSink,
    pub lang: Lang,
}

impl Log {
    pub fn new(sink: LogSink, lang: Lang) -> Log {
        Log { sink, lang }
    }

    /// A line as it is.
    pub fn line(&self, line: &str) {
        (self.sink)(line)
    }

    /// A message of the catalogs, in the log's language.
    pub fn say(&self, id: &str, args: &[(&str, l10n::Arg)]) {
        (self.sink)(&l10n::format(self.lang, id, args))
    }

    /// A warning: a message of the catalogs, marked as the printer marks its warnings.
    pub fn warn(&self, id: &str, args: &[(&str, l10n::Arg)]) {
        let text = l10n::format(self.lang, id, args);
        (self.sink)(&l10n::format(self.lang, "msg-warning", &[("text", text.into())]))
    }
}

/// How the server behaves; [`Settings::new`] gives the defaults.
#[derive(Clone)]
pub struct Settings {
    /// The served folder, canonical.
    pub root: PathBuf,
    /// Time a client gets to send its whole request head.
    pub read_timeout: Duration,
    /// Time one write to a client may block.
    pub write_timeout: Duration,
    pub log: Log,
    /// The room's events and the ledger (`None`: no ledger in the served folder, so no room
    /// page and no callbacks).
    pub events: Option<Arc<Events>>,
}

impl Settings {
    pub fn new(root: PathBuf, log: Log) -> Self {
        Settings {
            root,
            read_timeout: READ_TIMEOUT,
            write_timeout: WRITE_TIMEOUT,
            log,
            events: None,
        }
    }
}

/// Accept connections forever. Only returns on a fatal listener error.
///
/// One thread (this one) accepts and reads the request heads of all waiting connections
/// (`poll`, non-blocking sockets, see [`super::waiting`]); a connection whose head is complete,
/// or refused, gets a thread of its own to be answered (at most [`MAX_CONNECTIONS`], at
/// most [`MAX_CONNECTIONS_PER_IP`] for one client address; more get 503).
pub fn serve(listener: TcpListener, settings: Settings) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    let answering = Answering::default();
    let mut room: WaitingRoom<Pending> = WaitingRoom::new(MAX_WAITING, MAX_WAITING_PER_IP);
    loop {
        let now = Instant::now();
        for pending in room.take_expired(now, settings.read_timeout) {
            let_go(pending, "http-the-request-was-not-sent-in-time", &answering, &settings);
        }
        let wait = room
            .next_deadline(settings.read_timeout)
            .map_or(POLL_AT_MOST, |d| d.saturating_duration_since(now))
            .min(POLL_AT_MOST);
        let (accept, ready) = wait_for_input(&listener, &room, wait)?;
        // From the back, so that removing one leaves the indices before it valid.
        for index in ready.into_iter().rev() {
            match read_some(room.get_mut(index)) {
                Progress::Waiting => {}
                Progress::Silent => drop(room.remove(index)),
                Progress::EndedEarly => refuse_now(room.remove(index), 400, "http-the-request-ended-early", &settings),
                Progress::Done(outcome) => dispatch(room.remove(index), outcome, &answering, &settings),
            }
        }
        if accept {
            accept_some(&listener, &mut room, &answering, &settings)?;
        }
    }
}

/// The waiting loop wakes at least this often (deadlines are checked when it wakes).
const POLL_AT_MOST: Duration = Duration::from_secs(1);
/// Connections accepted in one round, so that reading the waiting ones goes on under a flood.
const ACCEPT_AT_ONCE: usize = 64;

/// A connection still sending its request head.
struct Pending {
    stream: TcpStream,
    peer: SocketAddr,
    buf: Vec<u8>,
}

/// Wait up to `wait` for new connections (`true`) or bytes on waiting ones (their indices).
fn wait_for_input(
    listener: &TcpListener,
    room: &WaitingRoom<Pending>,
    wait: Duration,
) -> io::Result<(bool, Vec<usize>)> {
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
    use std::os::fd::AsFd;
    let mut fds: Vec<PollFd> = std::iter::once(listener.as_fd())
        .chain(room.iter().map(|p| p.stream.as_fd()))
        .map(|fd| PollFd::new(fd, PollFlags::POLLIN))
        .collect();
    let timeout = PollTimeout::try_from(wait).unwrap_or(PollTimeout::MAX);
    match poll(&mut fds, timeout) {
        Ok(_) => {}
        Err(nix::errno::Errno::EINTR) => return Ok((false, Vec::new())),
        Err(e) => return Err(e.into()),
    }
    let woken = |fd: &PollFd| fd.revents().is_some_and(|r| !r.is_empty());
    let ready = fds[1..].iter().enumerate().filter(|(_, fd)| woken(fd)).map(|(i, _)| i);
    Ok((woken(&fds[0]), ready.collect()))
}

/// Accept what is there (at most [`ACCEPT_AT_ONCE`]) into the waiting room.
fn accept_some(
    listener: &TcpListener,
    room: &mut WaitingRoom<Pending>,
    answering: &Answering,
    settings: &Settings,
) -> io::Result<()> {
    for _ in 0..ACCEPT_AT_ONCE {
        let (stream, peer) = match listener.accept() {
            Ok(conn) => conn,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
            Err(e) if is_transient_accept_error(&e) => {
                settings
                    .log
                    .warn("serve-warn-accept", &[("why", e.localize(settings.log.lang).into())]);
                // Out of file descriptors, say: give the running requests time to finish.
                std::thread::sleep(Duration::from_millis(100));
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        if stream.set_nonblocking(true).is_err() {
            continue;
        }
        let pending = Pending {
            stream,
            peer,
            buf: Vec::new(),
        };
        if let Some(left) = room.admit(peer.ip(), Instant::now(), pending) {
            let_go(
                left,
                "http-the-request-was-not-sent-in-time-the-server-is-b",
                answering,
                settings,
            );
        }
    }
    Ok(())
}

enum Progress {
    /// The head is not complete yet.
    Waiting,
    /// Closed or reset before sending anything: a port probe, not worth a log line.
    Silent,
    /// Closed after part of a head: refused (400) here, without a place among those
    /// answered (a crowd of clients giving up at once must not fill them for the others).
    EndedEarly,
    /// A complete head, or the status that refuses it.
    Done(Result<Head, (u16, &'static str)>),
}

/// Read what a waiting connection has sent (without blocking) and see whether its head is complete.
fn read_some(pending: &mut Pending) -> Progress {
    let mut chunk = [0u8; 4096];
    loop {
        let n = match pending.stream.read(&mut chunk) {
            Ok(0) if pending.buf.is_empty() => return Progress::Silent,
            Ok(0) => return Progress::EndedEarly,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Progress::Waiting,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return Progress::Silent,
        };
        pending.buf.extend_from_slice(&chunk[..n]);
        // A head can only end, or go wrong, at a line end: a client sending one byte at a
        // time does not make us parse its head again for every byte.
        if !chunk[..n].contains(&b'\n') && pending.buf.len() <= MAX_HEAD {
            continue;
        }
        match parse_head(&pending.buf) {
            HeadState::Partial => {}
            HeadState::Complete(head) => return Progress::Done(Ok(head)),
            HeadState::Refused(status, reason) => return Progress::Done(Err((status, reason))),
        }
    }
}

/// A waiting connection whose time is up, or that made room for a newer one. What it sent
/// last is read first: a complete head is answered after all (a burst of connections can come
/// in before their heads are read). Else 408 if it sent anything (logged), or closed without
/// a word. Never blocks: the 408 fits the empty send buffer of a connection not yet answered.
fn let_go(mut pending: Pending, reason: &str, answering: &Answering, settings: &Settings) {
    match read_some(&mut pending) {
        Progress::Done(outcome) => return dispatch(pending, outcome, answering, settings),
        Progress::Silent => return,
        Progress::EndedEarly => return refuse_now(pending, 400, "http-the-request-ended-early", settings),
        Progress::Waiting if pending.buf.is_empty() => return,
        Progress::Waiting => {}
    }
    refuse_now(pending, 408, reason, settings);
}

/// Refuse a connection not yet answered on the accepting thread, without a place among
/// those answered: the short text fits its empty send buffer, so this never blocks; logged.
fn refuse_now(pending: Pending, status: u16, reason: &str, settings: &Settings) {
    let sent = respond_text(&pending.stream, status, &refusal_body(status, reason, Lang::De), false);
    let mut entry = RequestLog::unread(pending.peer, status);
    record(&mut entry, sent);
    settings.log.line(&log_line(&entry));
    let _ = pending.stream.shutdown(Shutdown::Write);
}

/// Requests being answered, in total and per client address.
#[derive(Clone, Default)]
struct Answering(Arc<Mutex<(usize, HashMap<IpAddr, usize>)>>);

/// One request's place among those answered; given back when dropped.
struct AnsweringGuard {
    answering: Answering,
    ip: IpAddr,
}

impl Answering {
    fn try_take(&self, ip: IpAddr) -> Option<AnsweringGuard> {
        let mut counts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let (total, per_ip) = &mut *counts;
        let mine = per_ip.entry(ip).or_insert(0);
        if *total >= MAX_CONNECTIONS || *mine >= MAX_CONNECTIONS_PER_IP {
            if *mine == 0 {
                per_ip.remove(&ip);
            }
            return None;
        }
        *mine += 1;
        *total += 1;
        Some(AnsweringGuard {
            answering: self.clone(),
            ip,
        })
    }
}

impl Drop for AnsweringGuard {
    fn drop(&mut self) {
        let mut counts = self.answering.0.lock().unwrap_or_else(|e| e.into_inner());
        let (total, per_ip) = &mut *counts;
        *total -= 1;
        if let Some(mine) = per_ip.get_mut(&self.ip) {
            *mine -= 1;
            if *mine == 0 {
                per_ip.remove(&self.ip);
            }
        }
    }
}

/// A connection whose head was read: answered on a thread of its own, or 503 when too many
/// are being answered (from everyone, or from its address).
fn dispatch(pending: Pending, outcome: Result<Head, (u16, &'static str)>, answering: &Answering, settings: &Settings) {
    let Some(guard) = answering.try_take(pending.peer.ip()) else {
        let sent = respond_text(
            &pending.stream,
            503,
            "503 too many requests at once, try again\n",
            false,
        );
        let mut entry = RequestLog::unread(pending.peer, 503);
        if let Ok(head) = outcome {
            entry.method = head.method;
            entry.path = head.target;
        }
        record(&mut entry, sent);
        settings.log.line(&log_line(&entry));
        let _ = pending.stream.shutdown(Shutdown::Write);
        return;
    };
    let peer = pending.peer;
    let log = settings.log.clone();
    let settings = settings.clone();
    let spawned = std::thread::Builder::new()
        .name("serve-conn".into())
        // Small stacks: 256 threads stay cheap on a 32-bit workshop PC too.
        .stack_size(256 * 1024)
        .spawn(move || {
            let _guard = guard;
            let _ = pending.stream.set_nonblocking(false);
            handle_request(pending.stream, pending.peer, outcome, &settings);
        });
    if let Err(e) = spawned {
        // The closure, with the stream and the guard, is dropped: the client sees a close.
        log.warn(
            "serve-warn-no-thread",
            &[
                ("ip", peer.ip().to_string().into()),
                ("why", e.localize(log.lang).into()),
            ],
        );
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
            | io::ErrorKind::TimedOut
    );
    kind || e
        .raw_os_error()
        .is_some_and(|code| [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(&code))
}

/// The request head as far as we need it.
#[derive(Debug)]
struct Head {
    method: String,
    target: String,
    /// `Content-Length`, if sent (the "installed" report's package list).
    content_length: Option<u64>,
    /// `Transfer-Encoding` was sent (not taken: bodies need a length).
    chunked: bool,
    /// `Origin` and `Host`, for the room form's same-origin check.
    origin: Option<String>,
    host: Option<String>,
    /// Bytes received after the head (the start of a body).
    rest: Vec<u8>,
}

/// What the bytes received so far make of a request head.
#[derive(Debug)]
enum HeadState {
    Complete(Head),
    /// Not complete yet, and still within [`MAX_HEAD`]: read on.
    Partial,
    Refused(u16, &'static str),
}

/// Parse the bytes received so far. A head longer than [`MAX_HEAD`] is refused whether it is
/// complete or not (the limit is for the head, not for one read of it).
fn parse_head(buf: &[u8]) -> HeadState {
    let too_long = HeadState::Refused(431, "http-the-request-head-is-too-long");
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut request = httparse::Request::new(&mut headers);
    match request.parse(buf) {
        Ok(httparse::Status::Complete(len)) if len > MAX_HEAD => too_long,
        Ok(httparse::Status::Complete(len)) => {
            let mut content_length = None;
            let mut chunked = false;
            let mut origin = None;
            let mut host = None;
            for h in request.headers.iter() {
                if h.name.eq_ignore_ascii_case("content-length") {
                    let value = std::str::from_utf8(h.value)
                        .ok()
                        .and_then(|v| v.trim().parse::<u64>().ok());
                    match value {
                        Some(n) if content_length.is_none_or(|c| c == n) => content_length = Some(n),
                        _ => return HeadState::Refused(400, "http-a-bad-content-length"),
                    }
                } else if h.name.eq_ignore_ascii_case("transfer-encoding") {
                    chunked = true;
                } else if h.name.eq_ignore_ascii_case("origin") {
                    origin = Some(String::from_utf8_lossy(h.value).trim().to_string());
                } else if h.name.eq_ignore_ascii_case("host") {
                    host = Some(String::from_utf8_lossy(h.value).trim().to_string());
                }
            }
            HeadState::Complete(Head {
                method: request.method.unwrap_or("-").to_string(),
                target: request.path.unwrap_or("-").to_string(),
                content_length,
                chunked,
                origin,
                host,
                rest: buf[len..].to_vec(),
            })
        }
        Ok(httparse::Status::Partial) if buf.len() > MAX_HEAD => too_long,
        Ok(httparse::Status::Partial) => HeadState::Partial,
        Err(httparse::Error::TooManyHeaders) => HeadState::Refused(431, "http-too-many-request-headers"),
        Err(_) => HeadState::Refused(400, "http-not-an-http-1-request"),
    }
}

fn now_text() -> String {
    chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Put what was sent into the log entry, and the time.
fn record(entry: &mut RequestLog, sent: Sent) {
    match sent {
        Ok(bytes) => entry.bytes = bytes,
        Err((bytes, e)) => {
            entry.bytes = bytes;
            entry.error = Some(e.to_string());
        }
    }
    entry.time = now_text();
}

/// Answer one request whose head was read (or refused), log it, close.
fn handle_request(
    mut stream: TcpStream,
    peer: SocketAddr,
    outcome: Result<Head, (u16, &'static str)>,
    settings: &Settings,
) {
    let _ = stream.set_write_timeout(Some(settings.write_timeout));
    let mut entry = RequestLog::unread(peer, 0);
    let sent = match outcome {
        Err((status, reason)) => {
            entry.status = status;
            // no request line to ask for a language: German, the workshop's
            respond_text(&stream, status, &refusal_body(status, reason, Lang::De), false)
        }
        Ok(head) => {
            let head_only = head.method == "HEAD";
            let reply = room_answer(&head, &mut stream, peer, settings)
                .unwrap_or_else(|| answer(&head.method, &head.target, &settings.root));
            entry.method = head.method;
            entry.path = head.target;
            match reply {
                Answer::Text(status, body) => {
                    entry.status = status;
                    respond_text(&stream, status, &body, head_only)
                }
                Answer::Html(status, body) => {
                    entry.status = status;
                    respond_body(&stream, status, "text/html; charset=utf-8", &body, head_only)
                }
                Answer::File(path, file, len) => {
                    entry.status = 200;
                    respond_file(&stream, &path, file, len, head_only)
                }
            }
        }
    };
    record(&mut entry, sent);
    if let Some(note) = fetch_note(&entry, settings.log.lang) {
        // The installer file starts an install; postinstall.sh comes at its end.
        if let Some(events) = &settings.events
            && let Some((asset_id, file)) = entry.path.trim_start_matches('/').split_once('/')
            && let file = file.split('?').next().unwrap_or(file)
            && matches!(file, "preseed.cfg" | "user-data")
        {
            events.preseed_fetched(asset_id, file, peer.ip());
        }
        settings.log.line(&log_line(&entry));
        settings.log.line(&note);
    } else {
        settings.log.line(&log_line(&entry));
    }
    linger_close(&mut stream);
}

enum Answer {
    Text(u16, String),
    Html(u16, String),
    File(PathBuf, File, u64),
}

/// The room page and the installers' callbacks; `None` for every other request.
fn room_answer(head: &Head, stream: &mut TcpStream, peer: SocketAddr, settings: &Settings) -> Option<Answer> {
    let path = head.target.split('?').next().unwrap_or("");
    let room = path == "/room";
    let form = path.strip_prefix(super::form::FORM_PREFIX);
    if !room && form.is_none() && !head.target.starts_with(CALLBACK_PREFIX) {
        return None;
    }
    // What a volunteer's browser shows: in the page's language.
    let lang = page_lang(&head.target);
    let text = |r: Refusal| Answer::Text(r.status, refusal_body(r.status, r.reason, lang));
    let said = |status: u16, id: &str| Answer::Text(status, format!("{status} {}\n", l10n::text(lang, id)));
    let Some(events) = &settings.events else {
        return Some(said(404, "serve-room-no-ledger"));
    };
    if let Some(asset_id) = form {
        return Some(form_answer(head, stream, peer, settings, events, asset_id, lang));
    }
    if room {
        if head.method != "GET" && head.method != "HEAD" {
            return Some(text(refuse(405, "http-only-get-and-head")));
        }
        let now = chrono::Local::now().fixed_offset();
        return Some(match events.room() {
            Ok(rows) => Answer::Html(200, super::room::room_page(&rows, now, lang)),
            Err(e) => {
                settings.log.warn(
                    "serve-warn-room-ledger",
                    &[("why", e.localize(settings.log.lang).into())],
                );
                said(503, "serve-room-busy")
            }
        });
    }
    let Some(call) = events::parse_callback(&head.target) else {
        return Some(text(refuse(404, "http-no-such-callback")));
    };
    let ip = peer.ip();
    let done = |r: Result<(), Refusal>| match r {
        Ok(()) => Answer::Text(200, "200 ok\n".into()),
        Err(r) => text(r),
    };
    Some(match (call.what, head.method.as_str(), call.query) {
        ("hello", "GET", _) => done(events.hello(call.asset_id, call.token, ip)),
        ("installed", "GET", Some(query)) => done(
            events::package_query(query).and_then(|(n, sha)| events.installed(call.asset_id, call.token, ip, n, &sha)),
        ),
        ("installed", "POST", _) => done(
            read_body(head, stream, settings, events::MAX_PACKAGE_LIST)
                .and_then(|body| events::package_list(&body))
                .and_then(|(n, sha)| events.installed(call.asset_id, call.token, ip, n, &sha)),
        ),
        ("checked", "POST", _) => done(
            read_body(head, stream, settings, events::MAX_CHECK_BODY)
                .and_then(|body| crate::check::CheckReport::from_untrusted(&body).map_err(|e| refuse(400, e.0)))
                .and_then(|report| events.checked(call.asset_id, call.token, ip, &report)),
        ),
        ("erased", "POST", _) => done(
            read_body(head, stream, settings, events::MAX_ERASURE_RECORD)
                .inspect_err(|r| events.refused_erasure(call.asset_id, ip, r.reason))
                .and_then(|body| events.erased(call.asset_id, call.token, ip, call.query, &body)),
        ),
        _ => text(refuse(405, "http-hello-is-get-installed-is-post-or-get-with-packa")),
    })
}

/// The manual checks form of one laptop: GET shows it, POST records it (same origin, the
/// run's form token, a bounded body parsed strictly). Refusals in the page's language.
fn form_answer(
    head: &Head,
    stream: &mut TcpStream,
    peer: SocketAddr,
    settings: &Settings,
    events: &Events,
    asset_id: &str,
    lang: Lang,
) -> Answer {
    use super::form;
    let text = |r: Refusal| Answer::Text(r.status, refusal_body(r.status, r.reason, lang));
    let said = |status: u16, id: &str| Answer::Text(status, format!("{status} {}\n", l10n::text(lang, id)));
    let busy = |e: &crate::ledger::LedgerError| {
        settings.log.warn(
            "serve-warn-room-ledger",
            &[("why", e.localize(settings.log.lang).into())],
        );
        said(503, "serve-room-busy")
    };
    let machine = match events.machine(asset_id) {
        Ok(Some(m)) => m,
        Ok(None) => return said(404, "room-check-err-no-laptop"),
        Err(e) => return busy(&e),
    };
    match head.method.as_str() {
        "GET" | "HEAD" => Answer::Html(
            200,
            form::form_page(&machine.hostname, machine.model.as_deref(), &events.form_token, lang),
        ),
        "POST" => {
            if form::cross_origin(head.origin.as_deref(), head.host.as_deref()) {
                settings.log.say(
                    "serve-refused-form",
                    &[
                        ("asset", machine.hostname.as_str().into()),
                        (
                            "origin",
                            super::escape_for_log(head.origin.as_deref().unwrap_or("-")).into(),
                        ),
                    ],
                );
                return said(403, "room-check-err-origin");
            }
            let body = match read_body(head, stream, settings, form::MAX_FORM_BODY) {
                Ok(b) => b,
                Err(r) => return text(r),
            };
            let check = match form::parse_form(&body, &events.form_token) {
                Ok(c) => c,
                Err(form::Refused(id)) => return said(400, id),
            };
            match events.manual_check(&machine, peer.ip(), &check) {
                Some(state) => Answer::Html(200, form::saved_page(&machine.hostname, state, lang)),
                None => said(503, "serve-room-busy"),
            }
        }
        _ => text(refuse(405, "http-the-check-form-is-get-and-post")),
    }
}

/// A request body of `Content-Length` bytes, at most `max`, within the read timeout.
fn read_body(head: &Head, stream: &mut TcpStream, settings: &Settings, max: u64) -> Result<Vec<u8>, Refusal> {
    if head.chunked {
        return Err(refuse(411, "http-send-the-body-with-a-content-length"));
    }
    let len = head
        .content_length
        .ok_or(refuse(411, "http-send-the-body-with-a-content-length"))?;
    if len > max {
        return Err(refuse(413, "http-the-body-is-too-long"));
    }
    let len = len as usize;
    let mut body = head.rest.clone();
    body.truncate(len);
    let deadline = Instant::now() + settings.read_timeout;
    let mut chunk = [0u8; 16 * 1024];
    while body.len() < len {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Err(refuse(408, "http-the-body-was-not-sent-in-time"));
        }
        match stream.read(&mut chunk) {
            Ok(0) => return Err(refuse(400, "http-the-body-ended-early")),
            Ok(n) => body.extend_from_slice(&chunk[..n.min(len - body.len())]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return Err(refuse(408, "http-the-body-was-not-sent-in-time")),
        }
    }
    Ok(body)
}

/// Decide the response to a request that was read: method, path checks, the file.
fn answer(method: &str, target: &str, root: &Path) -> Answer {
    let lang = page_lang(target);
    if method != "GET" && method != "HEAD" {
        return Answer::Text(405, refusal_body(405, "http-read-only", lang));
    }
    let refused = |r: Refusal| Answer::Text(r.status, refusal_body(r.status, r.reason, lang));
    let segments = match parse_target(target) {
        Ok(Target::Index) => {
            return Answer::Text(200, index_text(&installer_paths(root), lang));
        }
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
            return refused(refuse(403, "http-this-file-is-not-readable-by-the-server"));
        }
        Err(_) => return refused(refuse(404, "http-no-such-file")),
    };
    match file.metadata() {
        Ok(m) if m.is_file() => Answer::File(path, file, m.len()),
        _ => refused(refuse(403, "http-not-a-regular-file")),
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
    respond_body(stream, status, "text/plain; charset=utf-8", body, head_only)
}

fn respond_body(stream: &TcpStream, status: u16, content_type: &str, body: &str, head_only: bool) -> Sent {
    let mut w = BufWriter::new(stream);
    let head = head_text(status, content_type, body.len() as u64);
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
/// body) for a moment, so it sees the response instead of a reset connection. At most 2 s in
/// all: a client that keeps sending a byte now and then does not keep its thread.
fn linger_close(stream: &mut TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut sink = [0u8; 4096];
    let mut drained = 0usize;
    while drained < 256 * 1024 {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            break;
        }
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
}
