//! Events from the room: what `serve` hears from the installers goes into the workshop
//! ledger. Three sources, each untrusted:
//!
//! - a preseed fetch (`GET /<asset-id>/preseed.cfg`, route 2): this address is that laptop;
//! - the installer's hello and "installed" callbacks (`/_upcycle/hello|installed/<asset-id>/<token>`),
//!   accepted only with the bundle's install token; they also say which address is which
//!   laptop (a stick's installer fetches no preseed);
//! - the installed laptop's self-check (`/_upcycle/checked/<asset-id>/<token>`, POST, the
//!   same token), validated into typed values before it becomes a `checked` event;
//! - the installer's erasure records (`/_upcycle/erased/<asset-id>/<token>`, POST, the same
//!   token; `ErasureRecord::from_untrusted`), each an `erased` event with the whole record;
//! - the installers' syslog over UDP ([`receive_syslog`]), only from this PC's networks,
//!   counted for the laptop its address belongs to.
//!
//! One thread receives datagrams and only parses them; a writer thread collects them and
//! writes every [`FLUSH_EVERY`] one transaction for all laptops (a thousand lines a second
//! would otherwise be a thousand transactions). Lines from an address no laptop has claimed
//! yet wait (at most [`MAX_UNKNOWN`] addresses) until its hello maps it.

use std::collections::HashMap;
use std::net::{IpAddr, UdpSocket};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::syslog::{self, Nets};
use super::{Log, Refusal, refuse};
use crate::l10n::Localize;
use crate::ledger::{EventKind, InstallLines, InstallStage, Ledger, LedgerError, RoomRow};
use crate::token::InstallToken;

/// The writer writes what came in this often.
pub const FLUSH_EVERY: Duration = Duration::from_millis(250);
/// Lines waiting for the writer; more are dropped (and counted).
pub const QUEUE: usize = 200_000;
/// Addresses not (yet) known as a laptop whose lines are kept for when they are.
pub const MAX_UNKNOWN: usize = 1024;
/// The longest "installed" package list accepted (a desktop install lists ~2,000 packages,
/// about 80 KB).
pub const MAX_PACKAGE_LIST: u64 = 4 * 1024 * 1024;
/// The longest self-check document accepted (`upcycle check` sends about 4 KB).
pub const MAX_CHECK_BODY: u64 = 64 * 1024;

/// The longest erasure record accepted (a record is about 3 KiB).
pub const MAX_ERASURE_RECORD: u64 = crate::erase::record::MAX_UNTRUSTED_BYTES;

/// Counters, for the log and the benchmark.
#[derive(Debug, Default)]
pub struct Stats {
    pub received: AtomicU64,
    pub refused: AtomicU64,
    pub dropped: AtomicU64,
    pub recorded: AtomicU64,
}

/// One line as the receiver hands it to the writer.
struct Received {
    from: IpAddr,
    time: String,
    text: String,
    stage: Option<InstallStage>,
}

/// What serve knows of the room, shared by the HTTP threads, the receiver and the writer.
pub struct Events {
    /// For the HTTP side (callbacks, the room page); the writer has a connection of its own.
    ledger: Mutex<Ledger>,
    /// Which address is which machine (ledger id).
    addresses: Mutex<HashMap<IpAddr, i64>>,
    lines: SyncSender<Received>,
    log: Log,
    pub stats: Stats,
    /// What every manual checks form of this run carries back (against cross-site posts).
    pub form_token: super::form::FormToken,
}

impl Events {
    /// Open the ledger at `path` (twice: one connection for the writer thread), load the
    /// addresses known from earlier runs, start the writer.
    pub fn start(path: &Path, log: Log) -> Result<Arc<Events>, LedgerError> {
        let ledger = Ledger::open_existing(path)?;
        let mut writer_ledger = Ledger::open_existing(path)?;
        let addresses = ledger
            .install_addresses()?
            .into_iter()
            .filter_map(|(a, m)| Some((a.parse::<IpAddr>().ok()?, m)))
            .collect();
        let (tx, rx) = std::sync::mpsc::sync_channel(QUEUE);
        let events = Arc::new(Events {
            ledger: Mutex::new(ledger),
            addresses: Mutex::new(addresses),
            lines: tx,
            log,
            stats: Stats::default(),
            form_token: super::form::FormToken::generate(),
        });
        let weak = Arc::downgrade(&events);
        std::thread::Builder::new()
            .name("serve-events".into())
            .spawn(move || write_lines(rx, &weak, &mut writer_ledger))
            .map_err(|e| LedgerError::Sql {
                path: path.to_path_buf(),
                source: rusqlite::Error::ToSqlConversionFailure(Box::new(e)),
            })?;
        Ok(events)
    }

    fn ledger(&self) -> std::sync::MutexGuard<'_, Ledger> {
        self.ledger.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn map(&self, ip: IpAddr, machine: i64) {
        let mut map = self.addresses.lock().unwrap_or_else(|e| e.into_inner());
        map.retain(|a, m| *a == ip || *m != machine);
        map.insert(ip, machine);
    }

    /// `asset_id` fetched its preseed (or user-data) from `ip`.
    pub fn preseed_fetched(&self, asset_id: &str, file: &str, ip: IpAddr) {
        let ip = ip.to_canonical();
        let result = {
            let mut ledger = self.ledger();
            ledger.machine(asset_id).and_then(|m| match m {
                None => Ok(None),
                Some(m) => ledger
                    .record_contact(
                        m.id,
                        &ip.to_string(),
                        EventKind::PreseedFetched,
                        &serde_json::json!({ "file": file }),
                    )
                    .map(|_| Some(m.id)),
            })
        };
        match result {
            Ok(Some(id)) => self.map(ip, id),
            Ok(None) => {}
            Err(e) => self.ledger_refused("fetch", asset_id, &e),
        }
    }

    /// The machine `asset_id` if `token` is its install token; else the refusal (logged).
    fn check(&self, what: &str, asset_id: &str, token: &str, ip: IpAddr) -> Result<i64, Refusal> {
        let found = self.ledger().machine_with_token(asset_id, token);
        match found {
            Ok(Some(m)) => Ok(m.id),
            Ok(None) => {
                self.log.say(
                    "serve-refused-token",
                    &[
                        ("what", what.into()),
                        ("asset", super::escape_for_log(asset_id).into()),
                        ("ip", ip.to_string().into()),
                    ],
                );
                Err(refuse(403, "http-not-this-bundle-s-install-token"))
            }
            Err(e) => {
                self.log.warn(
                    "serve-warn-token-check",
                    &[("what", what.into()), ("why", e.localize(self.log.lang).into())],
                );
                Err(refuse(503, "http-the-ledger-is-busy-try-again"))
            }
        }
    }

    /// The installer's hello: from now on `ip` is this laptop.
    pub fn hello(&self, asset_id: &str, token: &str, ip: IpAddr) -> Result<(), Refusal> {
        let ip = ip.to_canonical();
        let machine = self.check("hello", asset_id, token, ip)?;
        self.map(ip, machine);
        let recorded = self.ledger().record_contact(
            machine,
            &ip.to_string(),
            EventKind::InstallProgress,
            &serde_json::Value::Null,
        );
        recorded.map_err(|e| {
            self.ledger_refused("hello", asset_id, &e);
            refuse(503, "http-the-ledger-is-busy-try-again")
        })?;
        self.log.say(
            "serve-hello",
            &[("asset", asset_id.into()), ("ip", ip.to_string().into())],
        );
        Ok(())
    }

    /// The late command's report: `packages` installed, the list's SHA-256.
    pub fn installed(
        &self,
        asset_id: &str,
        token: &str,
        ip: IpAddr,
        packages: usize,
        sha256: &str,
    ) -> Result<(), Refusal> {
        let ip = ip.to_canonical();
        let machine = self.check("installed", asset_id, token, ip)?;
        self.map(ip, machine);
        let recorded = self
            .ledger()
            .record_installed(machine, &ip.to_string(), packages, sha256);
        recorded.map_err(|e| {
            self.ledger_refused("installed", asset_id, &e);
            refuse(503, "http-the-ledger-is-busy-try-again")
        })?;
        self.log.say(
            "serve-installed",
            &[
                ("asset", asset_id.into()),
                ("packages", (packages as u64).into()),
                ("ip", ip.to_string().into()),
            ],
        );
        Ok(())
    }

    /// The laptop's self-check (`upcycle check --post`), validated: a `checked` event
    /// with its results.
    pub fn checked(
        &self,
        asset_id: &str,
        token: &str,
        ip: IpAddr,
        report: &crate::check::CheckReport,
    ) -> Result<(), Refusal> {
        let ip = ip.to_canonical();
        let machine = self.check("checked", asset_id, token, ip)?;
        let recorded = self.ledger().record_event(
            machine,
            EventKind::Checked,
            &format!("serve from {ip}"),
            &report.details(),
        );
        recorded.map_err(|e| {
            self.ledger_refused("checked", asset_id, &e);
            refuse(503, "http-the-ledger-is-busy-try-again")
        })?;
        let failed = report
            .results
            .iter()
            .filter(|r| r.outcome == crate::check::Outcome::Fail)
            .count();
        self.log.say(
            "serve-self-check",
            &[
                ("asset", asset_id.into()),
                ("n", (report.results.len() as u64).into()),
                ("failed", (failed as u64).into()),
                ("ip", ip.to_string().into()),
            ],
        );
        Ok(())
    }

    /// An erasure record the installer sent (`body`, untrusted): with the bundle's token, an
    /// `erased` event with the whole record, as `upcycle erase` writes one on the workshop
    /// PC (`found_by: installer`); the same record again is taken but not written twice.
    /// A refusal after the token (a record that is not one) is said in the log.
    pub fn erased(
        &self,
        asset_id: &str,
        token: &str,
        ip: IpAddr,
        query: Option<&str>,
        body: &[u8],
    ) -> Result<(), Refusal> {
        use crate::erase::record::ErasureRecord;
        let ip = ip.to_canonical();
        let machine = self.check("erased", asset_id, token, ip)?;
        let record = ErasureRecord::from_untrusted(body).map_err(|e| {
            self.refused_erasure(asset_id, ip, e.0);
            refuse(400, e.0)
        })?;
        let file = record_file_of(query).unwrap_or_else(|| format!("erasure-installer-{}.yaml", record.media.name));
        let event = crate::erase::run::ledger::erasure_event(&record, &file, body, "installer");
        let recorded = self
            .ledger()
            .record_sent_erasure(machine, &event, &format!("serve from {ip}"));
        let new = recorded.map_err(|e| {
            self.ledger_refused("erased", asset_id, &e);
            refuse(503, "http-the-ledger-is-busy-try-again")
        })?;
        self.log.say(
            if new { "serve-erased" } else { "serve-erased-again" },
            &[
                ("asset", asset_id.into()),
                ("disk", record.media.name.to_string().into()),
                ("result", event.result.clone().into()),
                ("sha", event.record_sha256[..12].to_string().into()),
                ("ip", ip.to_string().into()),
            ],
        );
        Ok(())
    }

    /// An installer's erasure record refused (`reason`: an `http-*` message id), said in
    /// the log: a volunteer watching serve sees that the proof did not arrive.
    pub fn refused_erasure(&self, asset_id: &str, ip: IpAddr, reason: &str) {
        self.log.say(
            "serve-refused-erasure",
            &[
                ("asset", super::escape_for_log(asset_id).into()),
                ("ip", ip.to_canonical().to_string().into()),
                ("why", crate::l10n::text(self.log.lang, reason).into()),
            ],
        );
    }

    /// The machine a form names (by its asset id), for the form page.
    pub fn machine(&self, asset_id: &str) -> Result<Option<crate::ledger::Machine>, LedgerError> {
        if !crate::media::valid_asset_id(asset_id) {
            return Ok(None);
        }
        self.ledger().machine(asset_id)
    }

    /// A person's check from the room's form: a `checked` event with the verdict, grade,
    /// note and the items. The machine's state after it; `None` when the ledger did not
    /// take it (said in the log).
    pub fn manual_check(
        &self,
        machine: &crate::ledger::Machine,
        ip: IpAddr,
        check: &super::form::ManualCheck,
    ) -> Option<crate::passport::State> {
        let ip = ip.to_canonical();
        let asset_id = machine.hostname.as_str();
        let mut ledger = self.ledger();
        let recorded = ledger
            .record_event(
                machine.id,
                EventKind::Checked,
                &format!("room from {ip}"),
                &check.details(),
            )
            .and_then(|_| ledger.events_for(machine.id));
        drop(ledger);
        let events = recorded.map_err(|e| self.ledger_refused("form", asset_id, &e)).ok()?;
        let state = crate::passport::state_of(&events);
        self.log.say(
            "serve-room-checked",
            &[
                ("asset", asset_id.into()),
                ("state", state.text(self.log.lang).into()),
                ("ip", ip.to_string().into()),
            ],
        );
        Some(state)
    }

    /// The ledger did not take `what` (`fetch`, `hello`, `installed`, `checked`, `form`) of
    /// `asset_id`.
    fn ledger_refused(&self, what: &str, asset_id: &str, e: &LedgerError) {
        self.log.warn(
            "serve-warn-ledger",
            &[
                ("what", what.into()),
                ("asset", asset_id.into()),
                ("why", e.localize(self.log.lang).into()),
            ],
        );
    }

    /// The room as the ledger has it now.
    pub fn room(&self) -> Result<Vec<RoomRow>, LedgerError> {
        self.ledger().room()
    }

    /// One datagram from `from` (already allowed): parsed and queued for the writer.
    fn take(&self, from: IpAddr, datagram: &[u8]) {
        let line = syslog::parse(datagram);
        self.stats.received.fetch_add(1, Ordering::Relaxed);
        let received = Received {
            from: from.to_canonical(),
            time: crate::ledger::now(),
            stage: syslog::stage_of(&line.text),
            text: line.text,
        };
        match self.lines.try_send(received) {
            Ok(()) => {}
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                self.stats.dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

/// Parse an "installed" report: a package list, one package a line (`dpkg-query -W`:
/// name, tab, version). The count and the SHA-256 of the list as sent.
pub fn package_list(body: &[u8]) -> Result<(usize, String), Refusal> {
    let text = std::str::from_utf8(body).map_err(|_| refuse(400, "http-the-package-list-is-not-utf-8-text"))?;
    let mut count = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let name = line.split(['\t', ' ']).next().unwrap_or("");
        let name = name.split(':').next().unwrap_or("");
        if !crate::token::PackageName::is_valid(name) {
            return Err(refuse(400, "http-a-line-of-the-package-list-names-no-package"));
        }
        count += 1;
    }
    if count == 0 {
        return Err(refuse(400, "http-the-package-list-is-empty"));
    }
    Ok((count, crate::digest::sha256_hex(body)))
}

/// The record's file name as the installer has it (`?file=erasure-20261207T001500Z-sda.yaml`):
/// `erasure-` + letters, digits and `-` + `.yaml`, at most 100 characters; else none.
pub fn record_file_of(query: Option<&str>) -> Option<String> {
    let file = query?.split('&').find_map(|p| p.strip_prefix("file="))?;
    let stem = file.strip_prefix("erasure-")?.strip_suffix(".yaml")?;
    let plain = !stem.is_empty() && stem.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    (plain && file.len() <= 100).then(|| file.to_string())
}

/// The GET form of the report (`?packages=N&sha256=HEX`, when the installer's wget cannot
/// POST): the count and the digest, checked.
pub fn package_query(query: &str) -> Result<(usize, String), Refusal> {
    let mut packages = None;
    let mut sha256 = None;
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("packages", n)) => packages = n.parse::<usize>().ok().filter(|n| (1..=100_000).contains(n)),
            Some(("sha256", h)) if h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()) => {
                sha256 = Some(h.to_ascii_lowercase())
            }
            _ => {}
        }
    }
    match (packages, sha256) {
        (Some(n), Some(h)) => Ok((n, h)),
        _ => Err(refuse(400, "http-give-packages-n-1-to-100000-and-sha256-64-hex-di")),
    }
}

/// What a callback path names: `/_upcycle/<what>/<asset-id>/<token>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callback<'a> {
    pub what: &'a str,
    pub asset_id: &'a str,
    pub token: &'a str,
    pub query: Option<&'a str>,
}

/// The prefix of the installers' callbacks; no bundle is named `_upcycle`.
pub const CALLBACK_PREFIX: &str = "/_upcycle/";

/// Split a callback path; `None` when it is not one of ours (`hello`, `installed`,
/// `checked`, `erased`) or a
/// part has the wrong shape (asset id, token).
pub fn parse_callback(target: &str) -> Option<Callback<'_>> {
    let rest = target.strip_prefix(CALLBACK_PREFIX)?;
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    let mut parts = path.split('/');
    let (what, asset_id, token) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !matches!(what, "hello" | "installed" | "checked" | "erased") {
        return None;
    }
    if !crate::media::valid_asset_id(asset_id) || !InstallToken::is_valid(token) {
        return None;
    }
    Some(Callback {
        what,
        asset_id,
        token,
        query,
    })
}

/// Receive datagrams forever on `socket`, from senders `nets` allows; the others are
/// counted, and logged once per address a minute.
pub fn receive_syslog(socket: UdpSocket, events: Arc<Events>, nets: Nets) {
    let mut buf = vec![0u8; syslog::MAX_DATAGRAM];
    let mut told: HashMap<IpAddr, Instant> = HashMap::new();
    loop {
        let (n, from) = match socket.recv_from(&mut buf) {
            Ok(got) => got,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                events.log.warn(
                    "serve-warn-syslog-stopped",
                    &[("why", e.localize(events.log.lang).into())],
                );
                return;
            }
        };
        let ip = from.ip().to_canonical();
        if !nets.allows(ip) {
            events.stats.refused.fetch_add(1, Ordering::Relaxed);
            let now = Instant::now();
            if told.len() > 4096 {
                told.retain(|_, t| now.duration_since(*t) < Duration::from_secs(60));
            }
            if told
                .get(&ip)
                .is_none_or(|t| now.duration_since(*t) >= Duration::from_secs(60))
            {
                told.insert(ip, now);
                events.log.say(
                    "serve-refused-syslog",
                    &[("ip", ip.to_string().into()), ("nets", nets.describe().into())],
                );
            }
            continue;
        }
        events.take(ip, &buf[..n]);
    }
}

/// What came from one address since the last write.
#[derive(Default)]
struct Pending {
    lines: u64,
    last_line: String,
    last_time: String,
    stages: Vec<(InstallStage, String, String)>,
    first: Option<Instant>,
}

/// The writer: collect lines, write them every [`FLUSH_EVERY`] in one transaction. Ends
/// when serve ends (the sender goes with [`Events`]).
fn write_lines(rx: Receiver<Received>, events: &std::sync::Weak<Events>, ledger: &mut Ledger) {
    let mut pending: HashMap<IpAddr, Pending> = HashMap::new();
    let mut last_flush = Instant::now();
    let mut told_unknown: HashMap<IpAddr, Instant> = HashMap::new();
    loop {
        match rx.recv_timeout(FLUSH_EVERY) {
            Ok(r) => {
                add(&mut pending, r);
                while let Ok(r) = rx.try_recv() {
                    add(&mut pending, r);
                    if pending.len() > MAX_UNKNOWN * 2 {
                        break;
                    }
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        if last_flush.elapsed() < FLUSH_EVERY {
            continue;
        }
        last_flush = Instant::now();
        let Some(events) = events.upgrade() else { return };
        flush(&mut pending, &events, ledger, &mut told_unknown);
    }
}

fn add(pending: &mut HashMap<IpAddr, Pending>, r: Received) {
    let p = pending.entry(r.from).or_default();
    p.first.get_or_insert_with(Instant::now);
    p.lines += 1;
    if let Some(stage) = r.stage
        && p.stages.last().is_none_or(|(s, _, _)| *s != stage)
    {
        p.stages.push((stage, r.text.clone(), r.time.clone()));
    }
    p.last_line = r.text;
    p.last_time = r.time;
}

fn flush(
    pending: &mut HashMap<IpAddr, Pending>,
    events: &Events,
    ledger: &mut Ledger,
    told_unknown: &mut HashMap<IpAddr, Instant>,
) {
    let map = events.addresses.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let mut batch = Vec::new();
    pending.retain(|ip, p| match map.get(ip) {
        Some(machine) => {
            batch.push(InstallLines {
                machine: *machine,
                address: ip.to_string(),
                lines: p.lines,
                last_line: std::mem::take(&mut p.last_line),
                last_time: std::mem::take(&mut p.last_time),
                stages: std::mem::take(&mut p.stages),
            });
            false
        }
        None => true,
    });
    for ip in pending.keys() {
        if !told_unknown.contains_key(ip) && told_unknown.len() < MAX_UNKNOWN {
            told_unknown.insert(*ip, Instant::now());
            events.log.say("serve-syslog-unknown", &[("ip", ip.to_string().into())]);
        }
    }
    // Too many unknown senders: the oldest go (and their lines count as dropped).
    while pending.len() > MAX_UNKNOWN {
        let oldest = pending
            .iter()
            .min_by_key(|(_, p)| p.first)
            .map(|(ip, p)| (*ip, p.lines));
        if let Some((ip, lines)) = oldest {
            pending.remove(&ip);
            events.stats.dropped.fetch_add(lines, Ordering::Relaxed);
        }
    }
    if batch.is_empty() {
        return;
    }
    let lines: u64 = batch.iter().map(|b| b.lines).sum();
    match ledger.record_install_lines(&batch) {
        Ok(()) => {
            events.stats.recorded.fetch_add(lines, Ordering::Relaxed);
        }
        Err(e) => {
            events.stats.dropped.fetch_add(lines, Ordering::Relaxed);
            events.log.warn(
                "serve-warn-lines-lost",
                &[("n", lines.into()), ("why", e.localize(events.log.lang).into())],
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callbacks_are_parsed_strictly() {
        let t = "0123456789abcdef0123456789abcdef";
        assert_eq!(
            parse_callback(&format!("/_upcycle/hello/schule-003/{t}")),
            Some(Callback {
                what: "hello",
                asset_id: "schule-003",
                token: t,
                query: None
            })
        );
        assert_eq!(
            parse_callback(&format!("/_upcycle/installed/schule-003/{t}?packages=3&sha256=x")).map(|c| c.query),
            Some(Some("packages=3&sha256=x"))
        );
        for bad in [
            format!("/_upcycle/erase/schule-003/{t}"),
            format!("/_upcycle/hello/schule-003/{t}/x"),
            format!("/_upcycle/hello/../{t}"),
            "/_upcycle/hello/schule-003/short".to_string(),
            format!("/_upcycle/hello/schule-003/{}", t.to_uppercase()),
            "/_upcycle/hello/schule-003".to_string(),
            format!("/_upcycle/hello/Evil$(x)/{t}"),
        ] {
            assert_eq!(parse_callback(&bad), None, "{bad}");
        }
    }

    #[test]
    fn a_record_file_name_is_taken_only_in_its_shape() {
        let ok = "erasure-20261207T001500Z-sda-2.yaml";
        assert_eq!(record_file_of(Some(&format!("file={ok}"))).as_deref(), Some(ok));
        assert_eq!(record_file_of(Some(&format!("x=1&file={ok}"))).as_deref(), Some(ok));
        for bad in [
            "",
            "file=",
            "file=../../etc/passwd",
            "file=erasure-.yaml",
            "file=erasure-a/b.yaml",
            "file=erasure-a%2fb.yaml",
            "file=erasure-<b>.yaml",
            "file=erasure-x.yml",
            &format!("file=erasure-{}.yaml", "a".repeat(100)),
        ] {
            assert_eq!(record_file_of(Some(bad)), None, "{bad}");
        }
        assert_eq!(record_file_of(None), None);
    }

    #[test]
    fn package_lists_are_counted_and_hashed() {
        let list = b"adduser\t3.134\nlibc6:i386\t2.36-9\nxfce4\t4.18\n";
        let (n, hash) = package_list(list).unwrap();
        assert_eq!(n, 3);
        assert_eq!(hash.len(), 64);
        for bad in [
            &b""[..],
            b"\n\n",
            b"Bad Name\t1\n",
            b"\xff\xfe",
            b"ok\t1\n<script>\t1\n",
        ] {
            assert_eq!(package_list(bad).map_err(|r| r.status), Err(400), "{bad:?}");
        }
        assert_eq!(
            package_query(&format!("packages=1234&sha256={}", "AB".repeat(32))),
            Ok((1234, "ab".repeat(32)))
        );
        for bad in [
            "",
            "packages=0&sha256=",
            "packages=x",
            &format!("packages=1&sha256={}", "g".repeat(64)),
        ] {
            assert!(package_query(bad).is_err(), "{bad}");
        }
    }
}
