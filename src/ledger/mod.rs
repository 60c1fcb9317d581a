//! The workshop ledger: every laptop keeps its identity, its inventory number, its host
//! name and its history, in one SQLite file beside the bundles (`upcycle-ledger.sqlite`).
//!
//! This is the only module that speaks SQL (docs/ARCHITECTURE.md, invariants). The schema
//! is versioned by `PRAGMA user_version` and grows by the forward migrations in
//! [`MIGRATIONS`]; a ledger from a newer upcycle is refused, a file that is not a ledger is
//! reported and never replaced. The file is opened in WAL mode with a busy timeout, so a
//! batch and a `serve` can write at once; every event is one transaction (a batch's intakes
//! and its bundle events go in groups: [`Ledger::intakes`], [`Ledger::record_bundles`]), and events are
//! only ever appended (triggers refuse UPDATE and DELETE). A number and a host name are
//! given to a machine once, when it first enters the ledger, and never change.
//! See docs/ledger.md.

pub mod erasure;
pub mod identity;
pub mod import;
pub mod install;

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

pub use erasure::{ErasureEvent, ErasureState, Owner};
pub use identity::{Identifier, Key, Kind};
pub use install::{Forgotten, InstallLines, InstallStage, InstallState};

use crate::token::InstallToken;

/// The ledger's file name in a workshop folder.
pub const FILE_NAME: &str = "upcycle-ledger.sqlite";

/// `PRAGMA application_id`: "upcy", so another program's SQLite file is told apart.
const APPLICATION_ID: i32 = 0x7570_6379;

/// How long a writer waits for another one (a batch and a serve at once).
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// One step of the schema: SQL, or Rust for a step that needs the ledger's key.
enum Migration {
    Sql(&'static str),
    Rust(fn(&rusqlite::Transaction<'_>, &Path) -> Result<(), LedgerError>),
}

/// The trigger that keeps events append-only against UPDATE (migration 0 -> 1 made it; a
/// Rust step that rewrites events drops and remakes it in its own transaction).
const NEVER_EDITED: &str = "CREATE TRIGGER events_are_never_edited BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'ledger events are append-only'); END;";

/// The forward migrations: entry n brings a ledger from version n to n + 1. Never edit one
/// that was released; add the next.
const MIGRATIONS: &[Migration] = &[
    // 0 -> 1: machines, their identifiers, their events, the ledger's own values.
    Migration::Sql(
        "CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value BLOB NOT NULL
    );
    CREATE TABLE machines (
        id INTEGER PRIMARY KEY,
        number INTEGER NOT NULL UNIQUE CHECK (number > 0),
        hostname TEXT NOT NULL UNIQUE,
        fingerprint TEXT NOT NULL,
        model TEXT,
        created TEXT NOT NULL
    );
    CREATE TABLE identifiers (
        kind TEXT NOT NULL CHECK (kind IN ('dmi-uuid', 'serial', 'mac', 'disk')),
        value TEXT NOT NULL,
        machine INTEGER NOT NULL REFERENCES machines(id),
        first_seen TEXT NOT NULL,
        PRIMARY KEY (kind, value, machine)
    ) WITHOUT ROWID;
    CREATE INDEX identifiers_by_machine ON identifiers(machine);
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        machine INTEGER NOT NULL REFERENCES machines(id),
        time TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('intake', 'bundle', 'media', 'preseed-fetched',
            'install-progress', 'installed', 'first-boot', 'erased', 'checked', 'handed-over')),
        source TEXT NOT NULL,
        details TEXT NOT NULL CHECK (json_valid(details))
    );
    CREATE INDEX events_by_machine ON events(machine, id);
    CREATE TRIGGER events_are_never_edited BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'ledger events are append-only'); END;
    CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'ledger events are append-only'); END;",
    ),
    // 1 -> 2: each machine's install token, and where its installer is (serve's events).
    Migration::Sql(
        "CREATE TABLE install_tokens (
        machine INTEGER PRIMARY KEY REFERENCES machines(id),
        token TEXT NOT NULL UNIQUE CHECK (length(token) = 32),
        created TEXT NOT NULL
    );
    CREATE TABLE install_state (
        machine INTEGER PRIMARY KEY REFERENCES machines(id),
        address TEXT,
        stage TEXT,
        stage_since TEXT,
        lines INTEGER NOT NULL DEFAULT 0,
        last_line TEXT,
        last_time TEXT
    );",
    ),
    // 2 -> 3: the inventory rows of bundle events held the laptop's serial in clear; they
    // hold its keyed form now, like the identifiers table (docs/de/datenschutz.md).
    Migration::Rust(key_bundle_serials),
];

/// The schema version this upcycle writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// What happened to a machine. Serve's events (preseed fetched, install progress,
/// installed, first boot) and the erase/check/hand-over ones are written by later steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    Intake,
    Bundle,
    Media,
    PreseedFetched,
    InstallProgress,
    Installed,
    FirstBoot,
    Erased,
    Checked,
    HandedOver,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Intake => "intake",
            EventKind::Bundle => "bundle",
            EventKind::Media => "media",
            EventKind::PreseedFetched => "preseed-fetched",
            EventKind::InstallProgress => "install-progress",
            EventKind::Installed => "installed",
            EventKind::FirstBoot => "first-boot",
            EventKind::Erased => "erased",
            EventKind::Checked => "checked",
            EventKind::HandedOver => "handed-over",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error(
        "{path} was written by a newer upcycle (ledger schema {found}; this upcycle knows up to \
         {known}): update upcycle on this PC, the ledger is left as it is"
    )]
    Newer { path: PathBuf, found: i64, known: i64 },
    #[error(
        "{path} is not an upcycle ledger, or it is damaged ({why}); it is left as it is: \
         move it away (or restore a copy) and run again"
    )]
    NotALedger { path: PathBuf, why: String },
    #[error("there is no ledger at {0}: give the ledger file or the workshop folder holding {FILE_NAME} (--ledger)")]
    Missing(PathBuf),
    #[error("the ledger {path} stayed busy for {BUSY_TIMEOUT:?} (another upcycle run is writing): try again")]
    Busy { path: PathBuf },
    #[error("the ledger {path}: {source}")]
    Sql { path: PathBuf, source: rusqlite::Error },
    #[error(transparent)]
    Conflict(#[from] Conflict),
}

impl LedgerError {
    /// Bad input (3) for a file that is not a ledger or too new, busy (8), conflicts (9)
    /// and the rest the environment's (1): see docs/exit-codes.md.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            LedgerError::Newer { .. } | LedgerError::NotALedger { .. } | LedgerError::Missing(_)
        )
    }
}

impl crate::l10n::Localize for LedgerError {
    fn localize(&self, lang: crate::l10n::Lang) -> String {
        use crate::l10n::format;
        let shown = |p: &std::path::Path| crate::l10n::Arg::from(p.display().to_string());
        match self {
            LedgerError::Newer { path, found, known } => format(
                lang,
                "err-ledger-newer",
                &[
                    ("path", shown(path)),
                    ("found", crate::l10n::Arg::Int(*found)),
                    ("known", crate::l10n::Arg::Int(*known)),
                ],
            ),
            LedgerError::NotALedger { path, why } => format(
                lang,
                "err-ledger-not-a-ledger",
                &[("path", shown(path)), ("why", why.into())],
            ),
            LedgerError::Missing(path) => format(
                lang,
                "err-ledger-missing",
                &[("path", shown(path)), ("file", FILE_NAME.into())],
            ),
            LedgerError::Busy { path } => format(
                lang,
                "err-ledger-busy",
                &[("path", shown(path)), ("seconds", BUSY_TIMEOUT.as_secs().into())],
            ),
            LedgerError::Sql { path, source } => format(
                lang,
                "err-ledger-sql",
                &[("path", shown(path)), ("error", source.to_string().into())],
            ),
            LedgerError::Conflict(c) => c.localize(lang),
        }
    }
}

impl crate::l10n::Localize for Conflict {
    fn localize(&self, lang: crate::l10n::Lang) -> String {
        use crate::l10n::format;
        match self {
            Conflict::NameTaken {
                input,
                hostname,
                number,
                other_input,
            } => format(
                lang,
                "err-ledger-name-taken",
                &[
                    ("input", input.into()),
                    ("hostname", hostname.into()),
                    ("number", (*number).into()),
                    ("other", other_input.into()),
                ],
            ),
            Conflict::NumberTaken {
                number,
                hostname,
                other_input,
            } => format(
                lang,
                "err-ledger-number-taken",
                &[
                    ("number", (*number).into()),
                    ("hostname", hostname.into()),
                    ("other", other_input.into()),
                ],
            ),
            Conflict::Duplicate {
                input,
                other_input,
                hostname,
                kind,
            } => format(
                lang,
                "err-ledger-duplicate",
                &[
                    ("input", input.into()),
                    ("other", other_input.into()),
                    ("hostname", hostname.into()),
                    ("kind", (*kind).into()),
                ],
            ),
            Conflict::Renumber {
                input,
                hostname,
                number,
                wanted,
            } => format(
                lang,
                "err-ledger-renumber",
                &[
                    ("input", input.into()),
                    ("hostname", hostname.into()),
                    ("number", (*number).into()),
                    ("wanted", (*wanted).into()),
                ],
            ),
        }
    }
}

/// A refusal that protects the numbers and names already given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Conflict {
    #[error(
        "{input} would get the host name {hostname}, which is already number {number}'s (first from \
         {other_input}): two machines cannot share a name; change hostname.pattern (e.g. add {{n}}) \
         or capture without --redact, or with --redact --ledger"
    )]
    NameTaken {
        input: String,
        hostname: String,
        number: u32,
        other_input: String,
    },
    #[error(
        "number {number} is already {hostname}'s (first from {other_input}); choose another --number or leave it out"
    )]
    NumberTaken {
        number: u32,
        hostname: String,
        other_input: String,
    },
    #[error(
        "{input} is the same machine as {other_input} ({hostname}, the same {kind}): one of them \
         is a second capture of that laptop; not written"
    )]
    Duplicate {
        input: String,
        other_input: String,
        hostname: String,
        kind: &'static str,
    },
    #[error("{input} is {hostname} already (number {number}), not number {wanted}: a machine's number never changes")]
    Renumber {
        input: String,
        hostname: String,
        number: u32,
        wanted: u32,
    },
}

/// A machine of the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Machine {
    #[serde(skip)]
    pub id: i64,
    pub number: u32,
    pub hostname: String,
    pub model: Option<String>,
    /// The strongest identifier when the machine entered, keyed: `serial:keyed-...`.
    pub fingerprint: String,
    pub created: String,
}

/// One event of a machine's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub time: String,
    pub kind: String,
    /// Who recorded it (`batch`, `plan`, `generate`, `import`, `serve from 192.168.1.57`).
    pub source: String,
    pub details: serde_json::Value,
}

/// A machine coming in: what the ledger needs to recognise it or number it.
pub struct Intake<'a> {
    pub identifiers: &'a [Identifier],
    pub model: Option<&'a str>,
    /// The input it was read from, named in conflicts and kept in the intake event.
    pub input: &'a str,
    /// Who records it (`batch`, `generate`, `plan`).
    pub source: &'a str,
    /// The host name of number n (the workshop's pattern).
    pub hostname_for: &'a dyn Fn(u32) -> String,
    /// `generate --number N`: this number for a new machine.
    pub wanted_number: Option<u32>,
    /// Machines already taken by earlier inputs of this run, with those inputs: a strong
    /// match to one is a duplicate capture; a disk-only match looks for the next machine
    /// with that disk.
    pub claimed: &'a HashMap<i64, String>,
}

/// What an intake found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recognised {
    pub machine: Machine,
    /// False when it entered the ledger now.
    pub known: bool,
    /// Its install token (made at its first intake; written into its bundles).
    pub token: InstallToken,
}

/// One row of `status`: a machine and its last event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoomRow {
    pub number: u32,
    pub hostname: String,
    pub model: Option<String>,
    pub last_event: Option<String>,
    pub since: Option<String>,
    /// Where its installer is ([`InstallStage`] code), from serve's events.
    pub stage: Option<String>,
    /// Since when it is at that stage.
    pub stage_since: Option<String>,
    /// The installer's last syslog line as received (untrusted text: escape it to show it).
    pub last_line: Option<String>,
    /// When that line came.
    pub last_line_time: Option<String>,
    /// Syslog lines received from its installer, in all.
    pub log_lines: u64,
    /// What its erasures add up to (`upcycle erase`), when it was erased at all.
    pub erasure: Option<ErasureState>,
}

/// A bundle as the ledger records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BundleRecord {
    pub profile: String,
    /// SHA-256 of the bundle's `SHA256SUMS`: one value for the whole bundle.
    pub digest: String,
    /// Each file's SHA-256.
    pub files: BTreeMap<String, String>,
    /// The machine's inventory row when the bundle was made (inventory of later runs
    /// without this machine).
    pub row: serde_json::Value,
}

/// An open ledger.
pub struct Ledger {
    conn: Connection,
    key: Key,
    path: PathBuf,
}

#[cfg(test)]
impl Ledger {
    /// SQL run on the ledger's connection, for tests that make it fail (a temp trigger).
    pub(crate) fn execute_for_tests(&self, sql: &str) {
        self.conn.execute_batch(sql).unwrap();
    }
}

impl std::fmt::Debug for Ledger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ledger")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// The ledger file for a `--ledger` value: a folder means its `upcycle-ledger.sqlite`.
pub fn resolve(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join(FILE_NAME)
    } else {
        path.to_path_buf()
    }
}

/// The current time as the ledger writes it (UTC, RFC 3339, seconds).
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Ledger {
    /// Open the ledger at `path`, creating it (and its key) when there is no file.
    pub fn open_or_create(path: &Path) -> Result<Ledger, LedgerError> {
        Self::open_with(path, true)
    }

    /// Open an existing ledger ([`LedgerError::Missing`] when there is none).
    pub fn open_existing(path: &Path) -> Result<Ledger, LedgerError> {
        Self::open_with(path, false)
    }

    /// Whether opening `path` would create a new ledger.
    pub fn exists(path: &Path) -> bool {
        path.exists()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The key for keyed hashes (`--redact` with this ledger). Never printed.
    pub fn key(&self) -> &Key {
        &self.key
    }

    fn open_with(path: &Path, create: bool) -> Result<Ledger, LedgerError> {
        let path = path.to_path_buf();
        let not_a_ledger = |why: String| LedgerError::NotALedger {
            path: path.clone(),
            why,
        };
        match std::fs::metadata(&path) {
            Ok(m) if !m.is_file() => return Err(not_a_ledger("not a regular file".into())),
            Ok(m) if m.len() > 0 => {
                // SQLite would refuse it too, but say plainly what it is, and never let
                // anything be written into a file that is not ours.
                let mut head = [0u8; 16];
                let read = std::fs::File::open(&path).and_then(|mut f| f.read_exact(&mut head));
                if read.is_err() || &head != b"SQLite format 3\0" {
                    return Err(not_a_ledger("the file does not start as an SQLite database".into()));
                }
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if !create {
                    return Err(LedgerError::Missing(path));
                }
            }
            Err(e) => {
                return Err(LedgerError::Sql {
                    path,
                    source: rusqlite::Error::ToSqlConversionFailure(Box::new(e)),
                });
            }
        }
        let flags = if create {
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE
        } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let sql = |source: rusqlite::Error| classify(&path, source);
        let conn = Connection::open_with_flags(&path, flags).map_err(sql)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
        let app: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(sql)?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(sql)?;
        if app != 0 && app != APPLICATION_ID {
            return Err(not_a_ledger(format!(
                "an SQLite database of another program (application_id {app:#x})"
            )));
        }
        if version > SCHEMA_VERSION {
            return Err(LedgerError::Newer {
                path,
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        if version > 0 && app != APPLICATION_ID {
            return Err(not_a_ledger("an SQLite database of another program".into()));
        }
        if version == 0 {
            let tables: i64 = conn
                .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
                .map_err(sql)?;
            if tables > 0 {
                return Err(not_a_ledger("an SQLite database of another program".into()));
            }
        }
        // WAL: readers never wait for the writer, and a killed writer leaves the last
        // committed state. NORMAL: a commit does not wait for the disk; a power cut may
        // lose the last events, never the file's consistency.
        conn.pragma_update(None, "journal_mode", "WAL").map_err(sql)?;
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(sql)?;
        conn.pragma_update(None, "foreign_keys", true).map_err(sql)?;
        let mut ledger = Ledger {
            conn,
            key: Key::from_bytes(&[0; 32]).expect("32 bytes"),
            path,
        };
        ledger.migrate()?;
        ledger.key = ledger.load_or_make_key()?;
        Ok(ledger)
    }

    fn sql(&self, source: rusqlite::Error) -> LedgerError {
        classify(&self.path, source)
    }

    /// Bring the schema to [`SCHEMA_VERSION`], each step one transaction.
    fn migrate(&mut self) -> Result<(), LedgerError> {
        loop {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(|e| classify(&self.path, e))?;
            let version: i64 = tx
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .map_err(|e| classify(&self.path, e))?;
            if version >= SCHEMA_VERSION {
                return Ok(());
            }
            match &MIGRATIONS[version as usize] {
                Migration::Sql(sql) => tx.execute_batch(sql).map_err(|e| classify(&self.path, e))?,
                Migration::Rust(step) => step(&tx, &self.path)?,
            }
            tx.pragma_update(None, "application_id", APPLICATION_ID)
                .map_err(|e| classify(&self.path, e))?;
            tx.pragma_update(None, "user_version", version + 1)
                .map_err(|e| classify(&self.path, e))?;
            tx.commit().map_err(|e| classify(&self.path, e))?;
        }
    }

    fn load_or_make_key(&mut self) -> Result<Key, LedgerError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(&self.path, e))?;
        let stored: Option<Vec<u8>> = tx
            .query_row("SELECT value FROM meta WHERE key = 'hmac-key'", [], |r| r.get(0))
            .optional()
            .map_err(|e| classify(&self.path, e))?;
        let key = match stored {
            Some(bytes) => Key::from_bytes(&bytes).ok_or_else(|| LedgerError::NotALedger {
                path: self.path.clone(),
                why: "its key is damaged".into(),
            })?,
            None => {
                let key = Key::random();
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES ('hmac-key', ?1), ('created', ?2)",
                    params![key.bytes().as_slice(), now()],
                )
                .map_err(|e| classify(&self.path, e))?;
                key
            }
        };
        tx.commit().map_err(|e| classify(&self.path, e))?;
        Ok(key)
    }

    /// How many machines the ledger holds.
    pub fn machine_count(&self) -> Result<usize, LedgerError> {
        self.conn
            .query_row("SELECT count(*) FROM machines", [], |r| r.get::<_, i64>(0))
            .map(|n| n as usize)
            .map_err(|e| self.sql(e))
    }

    /// Recognise the machine of `intake`, or give it the next free number (or the wanted
    /// one) and its host name; record an intake event unless the machine's last one was
    /// from the same input (a rerun). One transaction.
    pub fn record_intake(&mut self, intake: &Intake) -> Result<Recognised, LedgerError> {
        let mut session = self.intakes()?;
        let recognised = session.record(intake)?;
        session.commit()?;
        Ok(recognised)
    }

    /// Many intakes in one transaction (`batch`: one per input would write the same pages
    /// a thousand times). Each intake is a savepoint of its own, so a conflict leaves the
    /// others; nothing is in the ledger before [`Intakes::commit`], and a run killed
    /// before it leaves the ledger as it was.
    pub fn intakes(&mut self) -> Result<Intakes<'_>, LedgerError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(&self.path, e))?;
        Ok(Intakes {
            tx,
            key: &self.key,
            path: &self.path,
        })
    }

    /// Enter a machine with the number and host name it had before the ledger (`ledger
    /// import`), with an intake event naming where it came from. One transaction.
    pub fn import_machine(
        &mut self,
        number: u32,
        hostname: &str,
        identifiers: &[Identifier],
        model: Option<&str>,
        input: &str,
    ) -> Result<Machine, LedgerError> {
        let hostname_owned = hostname.to_string();
        let rule = move |_: u32| hostname_owned.clone();
        // Every machine counts as taken: a strong match is a duplicate, a disk-only match
        // another laptop of the same class set.
        let all: HashMap<i64, String> = {
            let mut stmt = self
                .conn
                .prepare(
                    "SELECT m.id, coalesce((SELECT json_extract(details, '$.input') FROM events
                     WHERE machine = m.id AND kind = 'intake' ORDER BY id LIMIT 1), 'an earlier run')
                     FROM machines m",
                )
                .map_err(|e| self.sql(e))?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(|e| self.sql(e))?
                .collect::<Result<_, _>>()
                .map_err(|e| self.sql(e))?
        };
        self.record_intake(&Intake {
            identifiers,
            model,
            input,
            source: "import",
            hostname_for: &rule,
            wanted_number: Some(number),
            claimed: &all,
        })
        .map(|r| r.machine)
    }

    /// Record a bundle written for `machine` (one transaction).
    pub fn record_bundle(&mut self, machine: i64, source: &str, bundle: &BundleRecord) -> Result<(), LedgerError> {
        self.record_bundles(source, &[(machine, bundle)])
    }

    /// Record bundles written, each for its machine, in one transaction: all or none.
    pub fn record_bundles(&mut self, source: &str, bundles: &[(i64, &BundleRecord)]) -> Result<(), LedgerError> {
        let path = &self.path;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(path, e))?;
        let now = now();
        for (machine, bundle) in bundles {
            let mut details = serde_json::to_value(bundle).expect("a bundle record serialises");
            key_row_serial(&mut details, &self.key);
            insert_event(&tx, *machine, &now, EventKind::Bundle, source, &details).map_err(|e| classify(path, e))?;
        }
        tx.commit().map_err(|e| classify(path, e))
    }

    /// Append one event (one transaction). Serve's events come through here.
    pub fn record_event(
        &mut self,
        machine: i64,
        kind: EventKind,
        source: &str,
        details: &serde_json::Value,
    ) -> Result<(), LedgerError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(&path, e))?;
        insert_event(&tx, machine, &now(), kind, source, details).map_err(|e| classify(&path, e))?;
        tx.commit().map_err(|e| classify(&path, e))
    }

    /// The digest of the last bundle recorded for `machine`.
    pub fn last_bundle_digest(&self, machine: i64) -> Result<Option<String>, LedgerError> {
        self.conn
            .prepare_cached(
                "SELECT json_extract(details, '$.digest') FROM events
                 WHERE machine = ?1 AND kind = 'bundle' ORDER BY id DESC LIMIT 1",
            )
            .and_then(|mut st| st.query_row([machine], |r| r.get(0)).optional())
            .map(Option::flatten)
            .map_err(|e| self.sql(e))
    }

    /// A machine by its number (`12`) or host name (`schule-012`).
    pub fn machine(&self, name: &str) -> Result<Option<Machine>, LedgerError> {
        let name = name.trim();
        let found = match name.parse::<u32>() {
            Ok(n) => machine_where(&self.conn, "number = ?1", &n),
            Err(_) => machine_where(&self.conn, "hostname = ?1", &name.to_ascii_lowercase()),
        };
        found.map_err(|e| self.sql(e))
    }

    /// Every machine, by number.
    pub fn machines(&self) -> Result<Vec<Machine>, LedgerError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, number, hostname, model, fingerprint, created FROM machines ORDER BY number")
            .map_err(|e| self.sql(e))?;
        stmt.query_map([], machine_from_row)
            .map_err(|e| self.sql(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.sql(e))
    }

    /// A machine's history, oldest first.
    pub fn events_for(&self, machine: i64) -> Result<Vec<Event>, LedgerError> {
        let mut stmt = self
            .conn
            .prepare("SELECT time, kind, source, details FROM events WHERE machine = ?1 ORDER BY id")
            .map_err(|e| self.sql(e))?;
        stmt.query_map([machine], |r| {
            let details: String = r.get(3)?;
            Ok(Event {
                time: r.get(0)?,
                kind: r.get(1)?,
                source: r.get(2)?,
                details: serde_json::from_str(&details).unwrap_or(serde_json::Value::Null),
            })
        })
        .map_err(|e| self.sql(e))?
        .collect::<Result<_, _>>()
        .map_err(|e| self.sql(e))
    }

    /// Every machine's history, oldest first, by machine id: one query for a whole room
    /// (states in `status`, passports of every machine).
    pub fn events_by_machine(&self) -> Result<BTreeMap<i64, Vec<Event>>, LedgerError> {
        let mut stmt = self
            .conn
            .prepare("SELECT machine, time, kind, source, details FROM events ORDER BY id")
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([], |r| {
                let details: String = r.get(4)?;
                Ok((
                    r.get::<_, i64>(0)?,
                    Event {
                        time: r.get(1)?,
                        kind: r.get(2)?,
                        source: r.get(3)?,
                        details: serde_json::from_str(&details).unwrap_or(serde_json::Value::Null),
                    },
                ))
            })
            .map_err(|e| self.sql(e))?;
        let mut out: BTreeMap<i64, Vec<Event>> = BTreeMap::new();
        for row in rows {
            let (machine, event) = row.map_err(|e| self.sql(e))?;
            out.entry(machine).or_default().push(event);
        }
        Ok(out)
    }

    /// The room: every machine with its last event, by number.
    pub fn room(&self) -> Result<Vec<RoomRow>, LedgerError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT m.number, m.hostname, m.model, e.kind, e.time,
                        s.stage, s.stage_since, s.last_line, s.last_time, coalesce(s.lines, 0), m.id FROM machines m
                 LEFT JOIN events e ON e.id = (SELECT max(id) FROM events WHERE machine = m.id)
                 LEFT JOIN install_state s ON s.machine = m.id
                 ORDER BY m.number",
            )
            .map_err(|e| self.sql(e))?;
        let mut erasures = self.erasure_states()?;
        stmt.query_map([], |r| {
            Ok(RoomRow {
                number: r.get(0)?,
                hostname: r.get(1)?,
                model: r.get(2)?,
                last_event: r.get(3)?,
                since: r.get(4)?,
                stage: r.get(5)?,
                stage_since: r.get(6)?,
                last_line: r.get(7)?,
                last_line_time: r.get(8)?,
                log_lines: r.get::<_, i64>(9)? as u64,
                erasure: erasures.remove(&r.get::<_, i64>(10)?),
            })
        })
        .map_err(|e| self.sql(e))?
        .collect::<Result<_, _>>()
        .map_err(|e| self.sql(e))
    }

    /// Each machine's last bundle record, by machine id (for the inventory of machines
    /// that are not among a run's inputs).
    pub fn last_bundles(&self) -> Result<BTreeMap<i64, (String, BundleRecord)>, LedgerError> {
        self.last_bundles_of(|_| true)
    }

    /// [`Ledger::last_bundles`] of the machines `wanted` says yes to: the others' records
    /// are not parsed (a batch's inventory needs only the machines not in the run, and
    /// 10,000 records held at once were most of a large batch's memory).
    pub fn last_bundles_of(
        &self,
        wanted: impl Fn(i64) -> bool,
    ) -> Result<BTreeMap<i64, (String, BundleRecord)>, LedgerError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT machine, time, details FROM events WHERE id IN
                 (SELECT max(id) FROM events WHERE kind = 'bundle' GROUP BY machine)",
            )
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
            })
            .map_err(|e| self.sql(e))?;
        let mut out = BTreeMap::new();
        for row in rows {
            let (machine, time, details) = row.map_err(|e| self.sql(e))?;
            if !wanted(machine) {
                continue;
            }
            if let Ok(record) = serde_json::from_str::<BundleRecord>(&details) {
                out.insert(machine, (time, record));
            }
        }
        Ok(out)
    }

    /// `PRAGMA integrity_check`: `ok`, or what is wrong.
    pub fn integrity_check(&self) -> Result<String, LedgerError> {
        self.conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| self.sql(e))
    }
}

/// SQLite's "not a database" and "corrupt" are the file's problem; "busy" another run's.
fn classify(path: &Path, source: rusqlite::Error) -> LedgerError {
    use rusqlite::ErrorCode;
    match source.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => LedgerError::NotALedger {
            path: path.to_path_buf(),
            why: source.to_string(),
        },
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => LedgerError::Busy {
            path: path.to_path_buf(),
        },
        _ => LedgerError::Sql {
            path: path.to_path_buf(),
            source,
        },
    }
}

enum Found {
    None,
    Machine(Machine),
    /// A strong identifier names a machine an earlier input of this run took.
    Claimed {
        machine: Machine,
        kind: Kind,
    },
}

/// Intakes in one transaction ([`Ledger::intakes`]).
pub struct Intakes<'a> {
    tx: rusqlite::Transaction<'a>,
    key: &'a Key,
    path: &'a Path,
}

impl Intakes<'_> {
    /// One intake (as [`Ledger::record_intake`]), in a savepoint of its own.
    pub fn record(&mut self, intake: &Intake) -> Result<Recognised, LedgerError> {
        let path = self.path;
        let sql = |e| classify(path, e);
        let hidden: Vec<(Kind, String)> = intake
            .identifiers
            .iter()
            .map(|i| (i.kind, self.key.hide(i.kind, &i.value)))
            .collect();
        let tx = self.tx.savepoint().map_err(sql)?;
        let found = find_machine(&tx, &hidden, intake.claimed).map_err(sql)?;
        let now = now();
        let (machine, known) = match found {
            Found::Claimed { machine, kind } => {
                let other_input = match intake.claimed.get(&machine.id) {
                    Some(input) => input.clone(),
                    None => first_input(&tx, machine.id).map_err(sql)?,
                };
                return Err(Conflict::Duplicate {
                    input: intake.input.to_string(),
                    other_input,
                    hostname: machine.hostname,
                    kind: kind.as_str(),
                }
                .into());
            }
            Found::Machine(machine) => {
                if let Some(wanted) = intake.wanted_number
                    && wanted != machine.number
                {
                    return Err(Conflict::Renumber {
                        input: intake.input.to_string(),
                        hostname: machine.hostname,
                        number: machine.number,
                        wanted,
                    }
                    .into());
                }
                (machine, true)
            }
            Found::None => {
                let number = match intake.wanted_number {
                    Some(n) => {
                        if let Some(other) = machine_where(&tx, "number = ?1", &n).map_err(sql)? {
                            let other_input = first_input(&tx, other.id).map_err(sql)?;
                            return Err(Conflict::NumberTaken {
                                number: n,
                                hostname: other.hostname,
                                other_input,
                            }
                            .into());
                        }
                        n
                    }
                    None => tx
                        .prepare_cached("SELECT coalesce(max(number), 0) + 1 FROM machines")
                        .and_then(|mut st| st.query_row([], |r| r.get::<_, u32>(0)))
                        .map_err(sql)?,
                };
                let hostname = (intake.hostname_for)(number);
                if let Some(other) = machine_where(&tx, "hostname = ?1", &hostname).map_err(sql)? {
                    let other_input = first_input(&tx, other.id).map_err(sql)?;
                    return Err(Conflict::NameTaken {
                        input: intake.input.to_string(),
                        hostname,
                        number: other.number,
                        other_input,
                    }
                    .into());
                }
                let fingerprint = hidden
                    .first()
                    .map(|(k, v)| format!("{}:{v}", k.as_str()))
                    .unwrap_or_else(|| format!("none:{}", intake.input));
                tx.prepare_cached(
                    "INSERT INTO machines (number, hostname, fingerprint, model, created) VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .and_then(|mut st| st.execute(params![number, hostname, fingerprint, intake.model, now]))
                .map_err(sql)?;
                let machine = Machine {
                    id: tx.last_insert_rowid(),
                    number,
                    hostname,
                    model: intake.model.map(str::to_string),
                    fingerprint,
                    created: now.clone(),
                };
                (machine, false)
            }
        };
        for (kind, value) in &hidden {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO identifiers (kind, value, machine, first_seen) VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut st| st.execute(params![kind.as_str(), value, machine.id, now]))
            .map_err(sql)?;
        }
        // A rerun over the same input is no news (it would bury the machine's last real
        // event in `status`); a new capture of a known laptop is.
        let rerun = known
            && tx
                .prepare_cached(
                    "SELECT json_extract(details, '$.input') FROM events
                     WHERE machine = ?1 AND kind = 'intake' ORDER BY id DESC LIMIT 1",
                )
                .and_then(|mut st| st.query_row([machine.id], |r| r.get::<_, Option<String>>(0)).optional())
                .map_err(sql)?
                .flatten()
                .is_some_and(|last| last == intake.input);
        if !rerun {
            let details = serde_json::json!({
                "input": intake.input,
                "identifiers": hidden.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
                "new": !known,
            });
            insert_event(&tx, machine.id, &now, EventKind::Intake, intake.source, &details).map_err(sql)?;
        }
        let token = install::token_in(&tx, machine.id, &now).map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(Recognised { machine, known, token })
    }

    /// Write every intake recorded into the ledger.
    pub fn commit(self) -> Result<(), LedgerError> {
        self.tx.commit().map_err(|e| classify(self.path, e))
    }
}

/// The machine `hidden` names: the first identifier (strongest first) that a machine has,
/// unless that machine has a stronger kind of identifier that the report has too, with
/// another value (a new serial with an old MAC is another laptop: cards move, and
/// identical class sets come with consecutive serials). With only a disk, the
/// lowest-numbered machine known by its disk only that no earlier input of this run took
/// (a disk never stands for a machine the ledger knows by more).
fn find_machine(
    conn: &Connection,
    hidden: &[(Kind, String)],
    claimed: &HashMap<i64, String>,
) -> rusqlite::Result<Found> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.id, m.number, m.hostname, m.model, m.fingerprint, m.created
         FROM identifiers i JOIN machines m ON m.id = i.machine
         WHERE i.kind = ?1 AND i.value = ?2 ORDER BY m.number",
    )?;
    let mut of_kind = conn.prepare_cached("SELECT value FROM identifiers WHERE machine = ?1 AND kind = ?2")?;
    let mut strong = conn.prepare_cached("SELECT count(*) FROM identifiers WHERE machine = ?1 AND kind != 'disk'")?;
    let mut contradicts = |m: &Machine, weaker_than: Kind| -> rusqlite::Result<bool> {
        for (kind, value) in hidden.iter().filter(|(k, _)| *k < weaker_than) {
            let values: Vec<String> = of_kind
                .query_map(params![m.id, kind.as_str()], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            if !values.is_empty() && !values.contains(value) {
                return Ok(true);
            }
        }
        Ok(false)
    };
    for (kind, value) in hidden {
        let machines: Vec<Machine> = stmt
            .query_map(params![kind.as_str(), value], machine_from_row)?
            .collect::<Result<_, _>>()?;
        for m in machines {
            if contradicts(&m, *kind)? {
                continue;
            }
            if kind.is_strong() {
                return Ok(if claimed.contains_key(&m.id) {
                    Found::Claimed {
                        machine: m,
                        kind: *kind,
                    }
                } else {
                    Found::Machine(m)
                });
            }
            let known_by_more: i64 = strong.query_row([m.id], |r| r.get(0))?;
            if known_by_more == 0 && !claimed.contains_key(&m.id) {
                return Ok(Found::Machine(m));
            }
        }
    }
    Ok(Found::None)
}

fn machine_from_row(r: &rusqlite::Row) -> rusqlite::Result<Machine> {
    Ok(Machine {
        id: r.get(0)?,
        number: r.get(1)?,
        hostname: r.get(2)?,
        model: r.get(3)?,
        fingerprint: r.get(4)?,
        created: r.get(5)?,
    })
}

fn machine_where(conn: &Connection, condition: &str, value: &dyn rusqlite::ToSql) -> rusqlite::Result<Option<Machine>> {
    conn.prepare_cached(&format!(
        "SELECT id, number, hostname, model, fingerprint, created FROM machines WHERE {condition}"
    ))?
    .query_row([value], machine_from_row)
    .optional()
}

/// The input of a machine's first intake, to name it in a conflict.
fn first_input(conn: &Connection, machine: i64) -> rusqlite::Result<String> {
    conn.prepare_cached(
        "SELECT coalesce(json_extract(details, '$.input'), source) FROM events
         WHERE machine = ?1 AND kind = 'intake' ORDER BY id LIMIT 1",
    )?
    .query_row([machine], |r| r.get(0))
    .optional()
    .map(|o| o.unwrap_or_else(|| "an earlier run".into()))
}

/// Replace the serial of a bundle event's inventory row by its keyed form (the ledger keeps
/// identifiers only keyed). Placeholders ("To Be Filled By O.E.M.", `REDACTED`) and keyed
/// values stay as they are. Whether it changed anything.
fn key_row_serial(details: &mut serde_json::Value, key: &Key) -> bool {
    let Some(serial) = details.pointer_mut("/row/serial") else {
        return false;
    };
    let Some(text) = serial.as_str() else {
        return false;
    };
    if !crate::probe::dmi::is_real_identifier(text.trim()) || identity::is_keyed(Kind::Serial, text.trim()) {
        return false;
    }
    *serial = serde_json::Value::String(key.hide(Kind::Serial, text));
    true
}

/// Migration 2 -> 3: key the serials that bundle events recorded in clear. Events are
/// append-only: the trigger is dropped for this one rewrite and made again, in the
/// migration's transaction (all or nothing).
fn key_bundle_serials(tx: &rusqlite::Transaction<'_>, path: &Path) -> Result<(), LedgerError> {
    let sql = |e| classify(path, e);
    let stored: Option<Vec<u8>> = tx
        .query_row("SELECT value FROM meta WHERE key = 'hmac-key'", [], |r| r.get(0))
        .optional()
        .map_err(sql)?;
    // A ledger without a key has no events yet (the key is made when it is first opened).
    let Some(bytes) = stored else { return Ok(()) };
    let key = Key::from_bytes(&bytes).ok_or_else(|| LedgerError::NotALedger {
        path: path.to_path_buf(),
        why: "its key is damaged".into(),
    })?;
    let events: Vec<(i64, String)> = tx
        .prepare("SELECT id, details FROM events WHERE kind = 'bundle'")
        .and_then(|mut st| {
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()
        })
        .map_err(sql)?;
    let mut changed = Vec::new();
    for (id, text) in events {
        let Ok(mut details) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        if key_row_serial(&mut details, &key) {
            changed.push((id, details.to_string()));
        }
    }
    if changed.is_empty() {
        return Ok(());
    }
    tx.execute_batch("DROP TRIGGER events_are_never_edited").map_err(sql)?;
    for (id, details) in &changed {
        tx.execute("UPDATE events SET details = ?1 WHERE id = ?2", params![details, id])
            .map_err(sql)?;
    }
    tx.execute_batch(NEVER_EDITED).map_err(sql)
}

fn insert_event(
    conn: &Connection,
    machine: i64,
    time: &str,
    kind: EventKind,
    source: &str,
    details: &serde_json::Value,
) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT INTO events (machine, time, kind, source, details) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![machine, time, kind.as_str(), source, details.to_string()])?;
    Ok(())
}

#[cfg(test)]
mod tests;
