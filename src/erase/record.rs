//! The proof: an erasure record per disk and run (schema `upcycle.erasure/v1`), with the
//! fields of NIST SP 800-88's certificate of sanitization plus hidden areas and bytes
//! written, and a printable certificate (German first, or English) that shows the record's
//! SHA-256. A record file is never replaced: each run writes a new one. It is plain data, so
//! the ledger can store it as it is later.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::health::Health;
use super::plan::{Bus, Category, HiddenAreas, Medium, Method};
use crate::l10n::Said;
use crate::token::DiskName;

/// v2: descriptions, health reasons and notes are codes with arguments (`l10n::Said`),
/// said in the certificate's language.
pub const SCHEMA: &str = "upcycle.erasure/v2";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Written and verified: every byte read back was the pattern.
    Erased,
    /// Stopped by the operator (SIGINT/SIGTERM) or a crash: NOT erased. Run again to resume.
    Interrupted,
    /// A write or read failed, or the verification found a byte that is not the pattern:
    /// NOT erased.
    Failed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Media {
    /// `/dev/sda` at the time of the run.
    pub device: String,
    pub name: DiskName,
    pub model: Option<String>,
    pub serial: Option<String>,
    pub bus: Bus,
    pub medium: Medium,
    pub size_bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sanitization {
    pub method: Method,
    /// NIST SP 800-88 / IEEE 2883.
    pub category: Category,
    pub description: Said,
    pub tool: String,
    pub tool_version: String,
    /// The byte written (0 = zeros).
    pub pattern: u8,
    pub block_bytes: u64,
    /// `O_DIRECT` writes (past the page cache).
    pub direct_io: bool,
    /// Bytes written by this run.
    pub bytes_written: u64,
    /// Where this run started: more than 0 when it resumed an interrupted one.
    pub resumed_from: u64,
    /// Bytes of the disk overwritten so far, over all runs.
    pub bytes_done: u64,
    /// Time this run spent writing (and syncing), in seconds.
    pub seconds: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verification {
    pub method: Said,
    pub result: VerifyResult,
    pub bytes_read: u64,
    /// `O_DIRECT` reads (from the device, not the page cache).
    pub direct_io: bool,
    /// The first byte that was not the pattern, or where reading failed.
    pub failed_at: Option<u64>,
    /// Time the read-back took, in seconds.
    pub seconds: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VerifyResult {
    Passed,
    Failed,
    NotRun,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErasureRecord {
    pub schema: String,
    pub status: Status,
    pub media: Media,
    pub hidden_areas: HiddenAreas,
    pub sanitization: Sanitization,
    pub verification: Verification,
    pub health: Health,
    /// RFC 3339, UTC.
    pub started: String,
    pub ended: String,
    pub duration_seconds: u64,
    pub operator: Option<String>,
    pub workshop: Option<String>,
    /// What happens to the medium next (NIST: post-sanitization destination).
    pub destination: String,
    /// Errors and what the operator should know (hidden areas not reached, resumed runs).
    pub notes: Vec<Said>,
}

impl ErasureRecord {
    pub fn to_yaml(&self) -> String {
        crate::yaml::to_string(self)
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Write `bytes` to a new file `dir/stem.ext` (or `stem-2.ext`, ...), atomically, never
/// replacing an existing file (a temp file renamed with `RENAME_NOREPLACE` semantics).
pub fn write_new(dir: &Path, stem: &str, ext: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    for n in 1..1000 {
        let name = if n == 1 {
            format!("{stem}.{ext}")
        } else {
            format!("{stem}-{n}.{ext}")
        };
        let path = dir.join(name);
        let mut tmp = crate::atomic::temp_file_for(&path)?;
        tmp.write_all(bytes)?;
        tmp.as_file().sync_all()?;
        match tmp.persist_noclobber(&path) {
            Ok(_) => {
                if let Ok(d) = std::fs::File::open(dir) {
                    let _ = d.sync_all();
                }
                return Ok(path);
            }
            Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e.error),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "1000 records of this name",
    ))
}

/// The longest erasure record `serve` takes from an installer (a record is about 3 KiB).
pub const MAX_UNTRUSTED_BYTES: u64 = 64 * 1024;
/// Characters of one text field (model, serial, operator, ...) of an untrusted record.
pub const MAX_TEXT_CHARS: usize = 200;
/// Notes, or health reasons, of an untrusted record, at most.
pub const MAX_NOTES: usize = 64;

/// Why a record from the network was refused: an `http-*` message id (the installer is told
/// it with a 400, serve's log says it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused(pub &'static str);

impl ErasureRecord {
    /// A record as an installer sent it (`/_upcycle/erased/...`), read as untrusted input:
    /// UTF-8 YAML or JSON of this schema (unknown fields refused), every text one line of
    /// at most [`MAX_TEXT_CHARS`], every description and note a message of the catalogs,
    /// times RFC 3339, numbers finite, and a result that agrees with its read-back (an
    /// `erased` record without a passed read-back is refused: it was not erased).
    pub fn from_untrusted(body: &[u8]) -> Result<ErasureRecord, Refused> {
        if body.len() as u64 > MAX_UNTRUSTED_BYTES {
            return Err(Refused("http-the-body-is-too-long"));
        }
        let text = std::str::from_utf8(body).map_err(|_| Refused("http-the-erasure-record-is-not-utf-8-text"))?;
        let r: ErasureRecord = crate::yaml::from_str(text).map_err(|_| Refused("http-not-an-erasure-record"))?;
        if r.schema != SCHEMA {
            return Err(Refused("http-not-an-erasure-record-of-this-version"));
        }
        let bad_text = Refused("http-the-erasure-record-has-a-bad-text");
        let texts = [
            Some(&r.media.device),
            r.media.model.as_ref(),
            r.media.serial.as_ref(),
            Some(&r.sanitization.tool),
            Some(&r.sanitization.tool_version),
            Some(&r.destination),
            r.operator.as_ref(),
            r.workshop.as_ref(),
        ];
        if !texts.into_iter().flatten().all(|t| plain_text(t)) {
            return Err(bad_text);
        }
        if r.media.device != format!("/dev/{}", r.media.name) {
            return Err(bad_text);
        }
        let rfc3339 = |t: &str| chrono::DateTime::parse_from_rfc3339(t).is_ok();
        if !rfc3339(&r.started) || !rfc3339(&r.ended) {
            return Err(Refused("http-the-erasure-record-has-a-bad-time"));
        }
        let said = [&r.sanitization.description, &r.verification.method]
            .into_iter()
            .chain(&r.health.reasons)
            .chain(&r.notes);
        if r.notes.len() > MAX_NOTES || r.health.reasons.len() > MAX_NOTES || !said.into_iter().all(|s| known(s, 0)) {
            return Err(Refused("http-the-erasure-record-has-an-unknown-message"));
        }
        let seconds = [r.sanitization.seconds, r.verification.seconds];
        let done = [
            r.sanitization.bytes_written,
            r.sanitization.bytes_done,
            r.sanitization.resumed_from,
            r.verification.bytes_read,
        ];
        if r.media.size_bytes == 0
            || !seconds.iter().all(|s| s.is_finite() && *s >= 0.0)
            || done.iter().any(|b| *b > r.media.size_bytes)
        {
            return Err(Refused("http-the-erasure-record-has-a-bad-number"));
        }
        let proven = r.verification.result == VerifyResult::Passed && r.verification.failed_at.is_none();
        if r.status == Status::Erased && !proven {
            return Err(Refused(
                "http-the-erasure-record-says-erased-without-a-passed-read-back",
            ));
        }
        Ok(r)
    }
}

/// One line of printable text, at most [`MAX_TEXT_CHARS`] characters.
fn plain_text(s: &str) -> bool {
    s.chars().count() <= MAX_TEXT_CHARS && !s.chars().any(char::is_control)
}

/// A message of the catalogs (never a v1 sentence) whose arguments are plain numbers,
/// plain texts or, one level deep, such messages.
fn known(s: &Said, depth: u8) -> bool {
    use crate::l10n::Arg;
    s.code != "verbatim"
        && crate::l10n::has(&s.code)
        && s.args.len() <= 8
        && s.args.iter().all(|(k, v)| {
            k.len() <= 32
                && k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                && match v {
                    Arg::Int(_) => true,
                    Arg::Float(f) => f.is_finite(),
                    Arg::Text(t) => plain_text(t),
                    Arg::List(l) => depth == 0 && l.len() <= 8 && l.iter().all(|s| known(s, depth + 1)),
                    Arg::Both(_) => false,
                }
        })
}

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates/erase");

pub use crate::l10n::Lang;

/// The certificate of one record as a print-ready A4 HTML page. `record_yaml` is the record
/// file's exact text: the page shows its SHA-256, so a printout can be matched to the file.
pub fn certificate(record: &ErasureRecord, record_yaml: &str, record_file: &str, lang: Lang) -> String {
    let template = TEMPLATES
        .get_file("certificate.html.tera")
        .and_then(|f| f.contents_utf8())
        .expect("templates/erase/certificate.html.tera is embedded");
    let mut tera = tera::Tera::default();
    crate::l10n::register_tera(&mut tera, lang);
    tera.add_raw_template("certificate.html", template)
        .expect("the certificate template compiles (tested)");
    let texts = texts(lang);
    let mut ctx = tera::Context::new();
    ctx.insert("t", &texts);
    ctx.insert("lang", &lang);
    ctx.insert("r", record);
    ctx.insert("sha256", &sha256_hex(record_yaml.as_bytes()));
    ctx.insert("record_file", record_file);
    ctx.insert("size_gb", &format!("{:.1}", record.media.size_bytes as f64 / 1e9));
    ctx.insert("method", &format!("{:?}", record.sanitization.method));
    tera.render("certificate.html", &ctx)
        .expect("the certificate renders from a record (tested)")
}

/// The certificate's texts, by key (the template's `t.key`): the catalogs' `cert-*` messages.
const TEXT_KEYS: &[&str] = &[
    "title",
    "subtitle",
    "status_erased",
    "status_interrupted",
    "status_failed",
    "media",
    "model",
    "serial",
    "bus",
    "medium",
    "size",
    "device",
    "hidden",
    "sanitization",
    "method",
    "category",
    "tool",
    "written",
    "resumed",
    "verification",
    "verify_method",
    "verify_result",
    "read",
    "health",
    "time",
    "start",
    "end",
    "people",
    "operator",
    "workshop",
    "destination",
    "notes",
    "signature",
    "record",
    "sha",
    "unknown",
];

fn texts(lang: Lang) -> std::collections::BTreeMap<&'static str, String> {
    TEXT_KEYS
        .iter()
        .map(|k| (*k, crate::l10n::text(lang, &format!("cert-{}", k.replace('_', "-")))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::erase::health::Verdict;
    use crate::erase::plan::AreaState;

    pub(crate) fn sample() -> ErasureRecord {
        ErasureRecord {
            schema: SCHEMA.into(),
            status: Status::Erased,
            media: Media {
                device: "/dev/sda".into(),
                name: DiskName::new("sda").unwrap(),
                model: Some("<b>WDC</b> WD1200BEVE".into()),
                serial: Some("WD-WXE1234".into()),
                bus: Bus::Pata,
                medium: Medium::Hdd,
                size_bytes: 120_034_123_776,
            },
            hidden_areas: HiddenAreas {
                hpa: AreaState::None,
                dco: AreaState::Unknown,
            },
            sanitization: Sanitization {
                method: Method::Overwrite,
                category: Category::Clear,
                description: Method::Overwrite.description(),
                tool: "upcycle".into(),
                tool_version: "0.1.0".into(),
                pattern: 0,
                block_bytes: 4 << 20,
                direct_io: true,
                bytes_written: 120_034_123_776,
                resumed_from: 0,
                bytes_done: 120_034_123_776,
                seconds: 1500.25,
            },
            verification: Verification {
                method: crate::erase::plan::VerifyMode::Full.description(),
                result: VerifyResult::Passed,
                bytes_read: 120_034_123_776,
                direct_io: true,
                failed_at: None,
                seconds: 900.5,
            },
            health: Health {
                verdict: Verdict::Replace,
                reasons: vec![Said::new("health-pending").arg("n", 8u64)],
                power_on_hours: Some(12000),
                estimated_days_left: None,
            },
            started: "2026-12-01T09:00:00Z".into(),
            ended: "2026-12-01T09:40:00Z".into(),
            duration_seconds: 2400,
            operator: Some("Ayşe & Jonas".into()),
            workshop: Some("Repair-Café Dortmund".into()),
            destination: "reuse".into(),
            notes: vec![],
        }
    }

    #[test]
    fn the_record_reads_back_and_the_certificate_escapes_and_shows_the_hash() {
        let r = sample();
        let yaml = r.to_yaml();
        let back: ErasureRecord = crate::yaml::from_str(&yaml).unwrap();
        assert_eq!(back, r);
        for lang in [Lang::De, Lang::En] {
            let html = certificate(&r, &yaml, "erasure-x.yaml", lang);
            assert!(html.contains(&sha256_hex(yaml.as_bytes())));
            assert!(html.contains("&lt;b&gt;WDC&lt;&#x2F;b&gt;") || html.contains("&lt;b&gt;WDC&lt;/b&gt;"));
            assert!(!html.contains("<b>WDC"));
            assert!(html.contains("WD-WXE1234"));
            assert!(html.contains("size: A4"));
        }
        let de = certificate(&r, &yaml, "x", Lang::De);
        assert!(de.contains("GELÖSCHT und geprüft") && de.contains("lang=\"de\""));
        let en = certificate(&r, &yaml, "x", Lang::En);
        assert!(en.contains("ERASED and verified") && en.contains("lang=\"en\""));
        let mut failed = r;
        failed.status = Status::Interrupted;
        assert!(certificate(&failed, &yaml, "x", Lang::De).contains("NICHT gelöscht"));
    }

    #[test]
    fn records_are_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let a = write_new(dir.path(), "erasure-1-sda", "yaml", b"a").unwrap();
        let b = write_new(dir.path(), "erasure-1-sda", "yaml", b"b").unwrap();
        assert_ne!(a, b);
        assert_eq!(std::fs::read(&a).unwrap(), b"a");
        assert_eq!(b.file_name().unwrap(), "erasure-1-sda-2.yaml");
    }
}
