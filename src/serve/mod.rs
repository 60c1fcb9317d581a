//! `upcycle serve`: a read-only HTTP server that hands bundle files to the installers of a
//! workshop network, and tells the volunteers which laptop fetched what.
//!
//! This file decides, purely and unit-tested: which request paths can name a file at all
//! ([`parse_target`]), whether the file on disk is one to serve ([`resolve`]: inside the
//! served folder after following symlinks, not hidden, a regular file), its
//! [`content_type`], and what is printed ([`log_line`], [`fetch_note`], [`banner`]).
//! [`connection`] is the server around it: sockets, threads, timeouts; [`waiting`] decides
//! which connections still sending their head may stay when there are too many.
//! docs/serve.md is the user's side; docs/ARCHITECTURE.md says why not tiny_http.

pub mod connection;
pub mod events;
pub mod form;
pub mod room;
pub mod syslog;
pub mod waiting;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Component, Path, PathBuf};

use crate::media::valid_asset_id;

pub use connection::{Log, LogSink, Settings, serve};
pub use events::{Events, receive_syslog};

/// Longest request path accepted (bundle paths are short).
pub const MAX_PATH: usize = 512;

/// What a request path names, before the file system is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `/`: the list of bundles.
    Index,
    /// A file below the served folder, as path segments (each checked, none hidden).
    File(Vec<String>),
}

/// Why a request gets no file: the HTTP status and why, a message `http-*` said in the
/// body in the page's language (`page_lang`; German unless `?lang=en`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub reason: &'static str,
}

const fn refuse(status: u16, reason: &'static str) -> Refusal {
    Refusal { status, reason }
}

/// Which request paths can name a file at all. Bundle files are named with
/// `[A-Za-z0-9._-]`, so anything else is refused before the file system is asked: no
/// percent-encoding (so no `%2e%2e` or `%2f` tricks), no `.`/`..` segments, no hidden names,
/// no absolute-form (`http://host/...`) targets. A query string is ignored.
pub fn parse_target(raw: &str) -> Result<Target, Refusal> {
    if !raw.starts_with('/') {
        return Err(refuse(400, "http-only-paths-starting-with-are-served"));
    }
    let path = raw.split_once('?').map_or(raw, |(p, _)| p);
    if path.len() > MAX_PATH {
        return Err(refuse(400, "http-the-path-is-too-long"));
    }
    if path.contains('%') {
        return Err(refuse(400, "http-percent-encoded-paths-are-not-served-bundle-file"));
    }
    if !path.bytes().all(|b| b.is_ascii_alphanumeric() || b"/._~-".contains(&b)) {
        return Err(refuse(400, "http-only-the-characters-a-z-a-z-0-9-are-served"));
    }
    if path == "/" {
        return Ok(Target::Index);
    }
    let segments: Vec<&str> = path[1..].split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.iter().enumerate() {
        match *segment {
            "." | ".." => return Err(refuse(400, "http-and-are-not-allowed-in-paths")),
            "" if i == last => return Err(refuse(403, "http-folders-are-not-listed")),
            "" => return Err(refuse(400, "http-empty-path-segments-are-not-allowed")),
            s if s.starts_with('.') => return Err(refuse(403, "http-hidden-files-are-not-served")),
            s if is_ledger(s.as_bytes()) => return Err(refuse(403, "http-the-workshop-ledger-is-not-served")),
            _ => {}
        }
    }
    Ok(Target::File(segments.into_iter().map(str::to_string).collect()))
}

/// The workshop ledger and its WAL files: they hold every machine's identity (serials,
/// MACs, the redaction key), which the laptops on the network must never read, although the
/// ledger lies in the folder `batch` writes and `serve` serves.
fn is_ledger(name: &[u8]) -> bool {
    name.starts_with(crate::ledger::FILE_NAME.as_bytes())
}

/// Find the file a checked target names under `root` (canonical). Refuses what leaves the
/// root through symlinks, what resolves to a hidden name, folders and special files.
pub fn resolve(root: &Path, segments: &[String]) -> Result<PathBuf, Refusal> {
    let joined = segments.iter().fold(root.to_path_buf(), |p, s| p.join(s));
    if joined.symlink_metadata().is_err() {
        return Err(refuse(404, "http-no-such-file"));
    }
    let real = joined
        .canonicalize()
        .map_err(|_| refuse(404, "http-no-such-file-a-broken-link"))?;
    let inside = real
        .strip_prefix(root)
        .map_err(|_| refuse(403, "http-the-link-leads-out-of-the-served-folder"))?;
    let hidden = inside.components().any(|c| match c {
        Component::Normal(name) => name.as_encoded_bytes().starts_with(b"."),
        _ => true,
    });
    if hidden {
        return Err(refuse(403, "http-the-link-leads-to-a-hidden-file"));
    }
    if real.file_name().is_some_and(|n| is_ledger(n.as_encoded_bytes())) {
        return Err(refuse(403, "http-the-workshop-ledger-is-not-served"));
    }
    let meta = real.metadata().map_err(|_| refuse(404, "http-no-such-file"))?;
    if meta.is_dir() {
        return Err(refuse(403, "http-folders-are-not-listed"));
    }
    if !meta.is_file() {
        return Err(refuse(403, "http-not-a-regular-file"));
    }
    Ok(real)
}

/// Content type by file name: text for what the installers and people read.
pub fn content_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "html" | "htm" => "text/html; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "json" => "application/json",
        "gz" => "application/gzip",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "cfg" | "sh" | "txt" | "yaml" | "yml" | "md" | "log" | "conf" => "text/plain; charset=utf-8",
        _ if matches!(name, "SHA256SUMS" | "user-data" | "meta-data" | "vendor-data") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// One served request, as logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLog {
    /// Local time, `YYYY-MM-DD HH:MM:SS`.
    pub time: String,
    pub client: IpAddr,
    /// `-` when the request could not be read.
    pub method: String,
    /// The raw request target (untrusted: escaped when printed).
    pub path: String,
    pub status: u16,
    /// Body bytes sent.
    pub bytes: u64,
    /// Why sending stopped early (client gone, timeout).
    pub error: Option<String>,
}

impl RequestLog {
    /// A request from `client` whose head is not (yet) known: `- -`, no time yet.
    pub fn unread(client: SocketAddr, status: u16) -> Self {
        RequestLog {
            time: String::new(),
            client: client.ip(),
            method: "-".into(),
            path: "-".into(),
            status,
            bytes: 0,
            error: None,
        }
    }
}

/// Untrusted text for one log line: printable ASCII, others as `\xNN`, at most 200 bytes.
pub(crate) fn escape_for_log(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes().take(200) {
        if (0x21..0x7f).contains(&b) && b != b'\\' {
            out.push(b as char);
        } else {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    if text.len() > 200 {
        out.push_str("...");
    }
    out
}

fn client_ip(ip: IpAddr) -> IpAddr {
    ip.to_canonical()
}

/// A request path as logged: an installer callback's token (and its query) never shows,
/// `/_upcycle/installed/schule-003/[token]`.
fn shown_path(path: &str) -> String {
    let Some(rest) = path.strip_prefix(events::CALLBACK_PREFIX) else {
        return escape_for_log(path);
    };
    let (path_part, query) = rest.split_once('?').map_or((rest, false), |(p, _)| (p, true));
    let mut parts: Vec<&str> = path_part.splitn(3, '/').collect();
    if parts.len() == 3 {
        parts[2] = "[token]";
    }
    let mut shown = format!("{}{}", events::CALLBACK_PREFIX, parts.join("/"));
    if query {
        shown.push_str("?[...]");
    }
    escape_for_log(&shown)
}

/// The log line of one request: time, client, method, path, status, bytes.
pub fn log_line(entry: &RequestLog) -> String {
    let mut line = format!(
        "{} {} {} {} {} {}",
        entry.time,
        client_ip(entry.client),
        escape_for_log(&entry.method),
        shown_path(&entry.path),
        entry.status,
        entry.bytes
    );
    if let Some(error) = &entry.error {
        line.push_str(&format!(" (stopped: {})", escape_for_log(error)));
    }
    line
}

/// The language of a page or text a browser asks for: German first, `?lang=en` in English
/// (the room page, the index, the room's refusals).
pub fn page_lang(target: &str) -> crate::l10n::Lang {
    let query = target.split_once('?').map_or("", |(_, q)| q);
    if query.split('&').any(|pair| pair == "lang=en") {
        crate::l10n::Lang::En
    } else {
        crate::l10n::Lang::De
    }
}

/// The line a volunteer watches for: which laptop fetched its install file, e.g.
/// `schule-003 hat seine Preseed-Datei geholt (von 192.168.1.57)`. Only for complete GETs.
pub fn fetch_note(entry: &RequestLog, lang: crate::l10n::Lang) -> Option<String> {
    if entry.method != "GET" || entry.status != 200 || entry.error.is_some() {
        return None;
    }
    let path = entry.path.split_once('?').map_or(entry.path.as_str(), |(p, _)| p);
    let (asset_id, file) = path.strip_prefix('/')?.split_once('/')?;
    if !valid_asset_id(asset_id) {
        return None;
    }
    let what = match file {
        "preseed.cfg" => "preseed",
        "user-data" => "user-data",
        "postinstall.sh" => "postinstall",
        _ => return None,
    };
    Some(crate::l10n::format(
        lang,
        "serve-fetched",
        &[
            ("asset", asset_id.into()),
            ("file", what.into()),
            ("ip", client_ip(entry.client).to_string().into()),
        ],
    ))
}

/// A bundle as announced at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedBundle {
    pub asset_id: String,
    /// "Debian 12 i386".
    pub system: String,
    /// Debian preseed (true) or Ubuntu autoinstall (false).
    pub preseed: bool,
}

/// The host part of the installers' URLs: the listen address, or this machine's addresses
/// when it listens on all of them.
pub fn url_hosts(listen: SocketAddr, machine_addrs: &[Ipv4Addr]) -> Vec<String> {
    match listen.ip() {
        ip if ip.is_unspecified() => machine_addrs.iter().map(|a| a.to_string()).collect(),
        IpAddr::V4(ip) => vec![ip.to_string()],
        IpAddr::V6(ip) => vec![format!("[{ip}]")],
    }
}

/// What the volunteer reads at start: the risk, and the kernel parameters per laptop.
pub fn banner(
    dir: &Path,
    listen: SocketAddr,
    machine_addrs: &[Ipv4Addr],
    bundles: &[ServedBundle],
    lang: crate::l10n::Lang,
) -> String {
    use crate::l10n::{format as f, text as t};
    let hosts = url_hosts(listen, machine_addrs);
    let port = listen.port();
    let mut out = f(
        lang,
        "serve-warning",
        &[
            ("listen", listen.to_string().into()),
            ("dir", dir.display().to_string().into()),
        ],
    ) + "\n";
    let host = match hosts.as_slice() {
        [] => {
            out.push_str(&(t(lang, "serve-no-address") + "\n"));
            t(lang, "serve-this-pc")
        }
        [one] => one.clone(),
        [first, ..] => {
            out.push_str(&f(
                lang,
                "serve-addresses",
                &[("addrs", hosts.join(", ").into()), ("first", first.as_str().into())],
            ));
            out.push('\n');
            first.clone()
        }
    };
    out.push_str(&f(lang, "serve-serving", &[("n", (bundles.len() as u64).into())]));
    out.push('\n');
    let width = bundles.iter().map(|b| b.asset_id.len()).max().unwrap_or(0);
    for b in bundles {
        let param = if b.preseed {
            format!("url=http://{host}:{port}/{}/preseed.cfg", b.asset_id)
        } else {
            format!("\"ds=nocloud-net;s=http://{host}:{port}/{}/\"", b.asset_id)
        };
        out.push_str(&format!("  {:width$}  {:16}  {param}\n", b.asset_id, b.system));
    }
    out.push_str(&t(lang, "serve-log-below"));
    out.push('\n');
    out
}

/// The page at `/`: the installer file of each bundle, one path a line. Plain text, from
/// names that passed [`valid_asset_id`], so a volunteer can check the server from a browser.
pub fn index_text(installer_paths: &[String], lang: crate::l10n::Lang) -> String {
    let mut out = crate::l10n::format(lang, "serve-index", &[("n", (installer_paths.len() as u64).into())]);
    out.push('\n');
    for path in installer_paths {
        out.push_str(path);
        out.push('\n');
    }
    out
}

/// Bundle folder names directly under `root`, sorted: valid asset ids holding a
/// `selection.yaml`. Hidden folders (`batch`'s temp dirs) are never bundles.
pub fn bundle_ids(root: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| valid_asset_id(name) && crate::media::is_bundle(&root.join(name)))
        .collect();
    ids.sort();
    ids
}

/// `/<asset-id>/preseed.cfg` (or `user-data`) of each bundle under `root`.
pub(crate) fn installer_paths(root: &Path) -> Vec<String> {
    bundle_ids(root)
        .into_iter()
        .filter_map(|id| {
            ["preseed.cfg", "user-data"]
                .into_iter()
                .find(|f| root.join(&id).join(f).is_file())
                .map(|f| format!("/{id}/{f}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::l10n::Lang;

    fn file(segments: &[&str]) -> Result<Target, Refusal> {
        Ok(Target::File(segments.iter().map(|s| s.to_string()).collect()))
    }

    fn status(raw: &str) -> u16 {
        parse_target(raw).map(|_| 200).unwrap_or_else(|r| r.status)
    }

    #[test]
    fn targets_that_name_bundle_files() {
        assert_eq!(parse_target("/"), Ok(Target::Index));
        assert_eq!(
            parse_target("/schule-003/preseed.cfg"),
            file(&["schule-003", "preseed.cfg"])
        );
        assert_eq!(
            parse_target("/schule-003/user-data?x=1"),
            file(&["schule-003", "user-data"])
        );
        assert_eq!(parse_target("/inventory.csv"), file(&["inventory.csv"]));
        assert_eq!(parse_target("/a/b~c_d-e.f"), file(&["a", "b~c_d-e.f"]));
    }

    #[test]
    fn targets_that_try_to_leave_or_peek_are_refused() {
        for (raw, want) in [
            ("/..", 400),
            ("/../etc/passwd", 400),
            ("/schule-001/../../etc/passwd", 400),
            ("/./preseed.cfg", 400),
            ("/%2e%2e/etc/passwd", 400),
            ("/..%2f..%2fetc/passwd", 400),
            ("/schule-001%2fpreseed.cfg", 400),
            ("/%2E%2E/x", 400),
            ("http://127.0.0.1/etc/passwd", 400),
            ("//etc/passwd", 400),
            ("/a//b", 400),
            ("*", 400),
            ("etc/passwd", 400),
            ("/..\\etc\\passwd", 400),
            ("/a b", 400),
            ("/caf\u{e9}", 400),
            ("/x\x1b[2J", 400),
            ("/.git/config", 403),
            ("/schule-001/.hidden", 403),
            ("/.upcycle-tmp-x/preseed.cfg", 403),
            ("/schule-001/", 403),
        ] {
            assert_eq!(status(raw), want, "{raw:?}");
        }
        let long = format!("/{}", "a".repeat(MAX_PATH));
        assert_eq!(status(&long), 400);
    }

    #[test]
    fn resolve_stays_inside_the_root() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("room");
        std::fs::create_dir_all(root.join("schule-001/sub")).unwrap();
        std::fs::write(tmp.path().join("outside.txt"), "outside").unwrap();
        std::fs::write(root.join("schule-001/preseed.cfg"), "d-i").unwrap();
        std::fs::write(root.join("schule-001/.secret"), "s").unwrap();
        symlink("/etc/passwd", root.join("schule-001/passwd")).unwrap();
        symlink("../../outside.txt", root.join("schule-001/out")).unwrap();
        symlink(".secret", root.join("schule-001/peek")).unwrap();
        symlink("preseed.cfg", root.join("schule-001/alias.cfg")).unwrap();
        symlink("missing", root.join("schule-001/broken")).unwrap();
        let root = root.canonicalize().unwrap();
        let seg = |s: &str| s.split('/').map(str::to_string).collect::<Vec<_>>();
        let status = |s: &str| resolve(&root, &seg(s)).map(|_| 200).unwrap_or_else(|r| r.status);
        assert_eq!(
            resolve(&root, &seg("schule-001/preseed.cfg")),
            Ok(root.join("schule-001/preseed.cfg"))
        );
        assert_eq!(
            resolve(&root, &seg("schule-001/alias.cfg")),
            Ok(root.join("schule-001/preseed.cfg"))
        );
        assert_eq!(status("schule-001/passwd"), 403);
        assert_eq!(status("schule-001/out"), 403);
        assert_eq!(status("schule-001/peek"), 403);
        assert_eq!(status("schule-001/broken"), 404);
        assert_eq!(status("schule-001/nothing"), 404);
        assert_eq!(status("schule-001/sub"), 403);
        assert_eq!(status("schule-001"), 403);
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("preseed.cfg"), "text/plain; charset=utf-8");
        assert_eq!(content_type("postinstall.sh"), "text/plain; charset=utf-8");
        assert_eq!(content_type("report.yaml"), "text/plain; charset=utf-8");
        assert_eq!(content_type("user-data"), "text/plain; charset=utf-8");
        assert_eq!(content_type("SHA256SUMS"), "text/plain; charset=utf-8");
        assert_eq!(content_type("inventory.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("inventory.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("initrd.gz"), "application/gzip");
        assert_eq!(content_type("linux"), "application/octet-stream");
    }

    fn entry(method: &str, path: &str, status: u16) -> RequestLog {
        RequestLog {
            time: "2026-11-25 09:14:03".into(),
            client: "192.168.1.57".parse().unwrap(),
            method: method.into(),
            path: path.into(),
            status,
            bytes: 4123,
            error: None,
        }
    }

    #[test]
    fn log_lines() {
        assert_eq!(
            log_line(&entry("GET", "/schule-003/preseed.cfg", 200)),
            "2026-11-25 09:14:03 192.168.1.57 GET /schule-003/preseed.cfg 200 4123"
        );
        let mut e = entry("GET", "/x\n2026-11-25 fake line\x1b[2J", 400);
        e.client = "::ffff:10.0.0.5".parse().unwrap();
        e.bytes = 0;
        e.error = Some("Broken pipe (os error 32)".into());
        assert_eq!(
            log_line(&e),
            "2026-11-25 09:14:03 10.0.0.5 GET /x\\x0a2026-11-25\\x20fake\\x20line\\x1b[2J 400 0 \
             (stopped: Broken\\x20pipe\\x20(os\\x20error\\x2032))"
        );
        let long = entry("GET", &format!("/{}", "a".repeat(500)), 400);
        assert!(log_line(&long).len() < 260);
        // an installer's token never reaches the log
        let token = "0123456789abcdef0123456789abcdef";
        for path in [
            format!("/_upcycle/hello/schule-003/{token}"),
            format!("/_upcycle/installed/schule-003/{token}?packages=12&sha256=ab"),
            format!("/_upcycle/x/y/{token}/{token}"),
        ] {
            let line = log_line(&entry("GET", &path, 200));
            assert!(!line.contains(token) && line.contains("[token]"), "{line}");
        }
    }

    #[test]
    fn fetch_notes_name_the_laptop() {
        let note = |method: &str, path: &str, status: u16, lang: Lang| fetch_note(&entry(method, path, status), lang);
        assert_eq!(
            note("GET", "/schule-003/preseed.cfg", 200, Lang::En).as_deref(),
            Some("schule-003 fetched its preseed (from 192.168.1.57)")
        );
        assert_eq!(
            note("GET", "/schule-003/preseed.cfg", 200, Lang::De).as_deref(),
            Some("schule-003 hat seine Antwortdatei (preseed.cfg) geholt (von 192.168.1.57)")
        );
        assert_eq!(
            note("GET", "/schule-007/user-data", 200, Lang::En).as_deref(),
            Some("schule-007 fetched its autoinstall user-data (from 192.168.1.57)")
        );
        assert!(
            note("GET", "/schule-003/postinstall.sh", 200, Lang::En)
                .unwrap()
                .starts_with("schule-003 fetched its post-install script")
        );
        assert!(
            note("GET", "/schule-003/postinstall.sh", 200, Lang::De)
                .unwrap()
                .starts_with("schule-003 hat sein Nachinstallationsskript geholt")
        );
        assert_eq!(note("HEAD", "/schule-003/preseed.cfg", 200, Lang::De), None);
        assert_eq!(note("GET", "/schule-003/preseed.cfg", 404, Lang::De), None);
        assert_eq!(note("GET", "/schule-003/boot.txt", 200, Lang::De), None);
        assert_eq!(note("GET", "/Evil$(x)/preseed.cfg", 200, Lang::De), None);
        assert_eq!(note("GET", "/a/b/preseed.cfg", 200, Lang::De), None);
        let mut cut = entry("GET", "/schule-003/preseed.cfg", 200);
        cut.error = Some("Broken pipe".into());
        assert_eq!(fetch_note(&cut, Lang::De), None);
    }

    #[test]
    fn pages_are_german_unless_lang_en_is_asked_for() {
        assert_eq!(page_lang("/room"), Lang::De);
        assert_eq!(page_lang("/room?lang=en"), Lang::En);
        assert_eq!(page_lang("/?x=1&lang=en"), Lang::En);
        assert_eq!(page_lang("/room?lang=english"), Lang::De);
        assert_eq!(page_lang("/lang=en/room"), Lang::De, "only the query decides");
    }

    fn bundles() -> Vec<ServedBundle> {
        vec![
            ServedBundle {
                asset_id: "schule-001".into(),
                system: "Debian 12 i386".into(),
                preseed: true,
            },
            ServedBundle {
                asset_id: "schule-12".into(),
                system: "Ubuntu 24.04 amd64".into(),
                preseed: false,
            },
        ]
    }

    #[test]
    fn banner_names_the_urls() {
        let any: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        let addrs: Vec<Ipv4Addr> = vec!["192.168.1.10".parse().unwrap(), "10.0.0.2".parse().unwrap()];
        let text = banner(Path::new("room-12"), any, &addrs, &bundles(), Lang::En);
        assert_eq!(
            text,
            "WARNING: anyone who can reach 0.0.0.0:8080 can now read room-12 (preseed files hold password hashes).\n\
             Run this only on the workshop network, only on install day, and stop it with Ctrl-C.\n\
             This PC's addresses: 192.168.1.10, 10.0.0.2 (use the one on the laptops' network; below: 192.168.1.10)\n\
             Serving 2 bundles; each installer's kernel line needs (boot.txt has the whole line):\n  \
             schule-001  Debian 12 i386    url=http://192.168.1.10:8080/schule-001/preseed.cfg\n  \
             schule-12   Ubuntu 24.04 amd64  \"ds=nocloud-net;s=http://192.168.1.10:8080/schule-12/\"\n\
             Each request is logged below: time, client, method, path, status, bytes.\n"
        );
        let one: SocketAddr = "192.168.1.10:9000".parse().unwrap();
        let text = banner(Path::new("room-12"), one, &addrs, &bundles()[..1], Lang::En);
        assert!(text.contains("Serving 1 bundle;"), "{text}");
        assert!(
            text.contains("url=http://192.168.1.10:9000/schule-001/preseed.cfg"),
            "{text}"
        );
        assert!(!text.contains("10.0.0.2"), "{text}");
        let text = banner(Path::new("room-12"), any, &[], &bundles()[..1], Lang::En);
        assert!(
            text.contains("url=http://<this PC's address>:8080/schule-001/preseed.cfg"),
            "{text}"
        );
        // German first: the same banner for a German terminal.
        let text = banner(Path::new("room-12"), any, &addrs, &bundles()[..1], Lang::De);
        assert!(
            text.starts_with("ACHTUNG: Wer 0.0.0.0:8080 erreicht, kann jetzt room-12 lesen"),
            "{text}"
        );
        assert!(text.contains("1 Bündel wird ausgeliefert;"), "{text}");
        assert!(
            text.contains("url=http://192.168.1.10:8080/schule-001/preseed.cfg"),
            "{text}"
        );
    }

    #[test]
    fn index_lists_bundles() {
        assert_eq!(
            index_text(
                &["/schule-001/preseed.cfg".into(), "/schule-002/user-data".into()],
                crate::l10n::Lang::En
            ),
            "upcycle serve: 2 bundles\n/schule-001/preseed.cfg\n/schule-002/user-data\n"
        );
        assert_eq!(
            index_text(&["/schule-001/preseed.cfg".into()], crate::l10n::Lang::De),
            "upcycle serve: 1 Bündel\n/schule-001/preseed.cfg\n"
        );
    }
}
