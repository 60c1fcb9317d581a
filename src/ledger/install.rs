//! Where each laptop's installer is: its install token (made at its first intake, written
//! into its bundles), and the install state that `serve`'s events keep up to date (the
//! sender's address, the stage, the last syslog line, how many lines came).
//!
//! The events stay append-only: every change of stage, every preseed fetch and every
//! "installed" is an event. `install_state` is the one table that is updated in place: it
//! is a running summary (a line count and the last line, at up to a thousand lines a
//! second), never history, and `status` and the room page read it. See docs/ledger.md.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::Serialize;

use super::{EventKind, Ledger, LedgerError, Machine, classify, insert_event, machine_where, now};
use crate::token::InstallToken;

/// How far an installer is, from serve's events. The codes are stored in the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InstallStage {
    /// The preseed was fetched, or the installer said hello with its token.
    Started,
    /// d-i is finding the network (ethdetect, netcfg, the DHCP lease).
    Network,
    /// d-i loads its own components (choose-mirror, download-installer).
    Components,
    /// partman: the disk is partitioned and formatted.
    Partitioning,
    /// debootstrap: the base system is installed.
    BaseSystem,
    /// apt-setup: the package sources are set up.
    PackageSources,
    /// pkgsel/tasksel: the desktop and the apps are installed (the longest step).
    Software,
    /// grub-installer.
    BootLoader,
    /// finish-install (and the late command).
    Finishing,
    /// The late command reported the installed system and its package list.
    Installed,
    /// A step of the installer failed (`Menu item '...' failed`).
    Failed,
}

impl InstallStage {
    pub const ALL: [InstallStage; 11] = [
        InstallStage::Started,
        InstallStage::Network,
        InstallStage::Components,
        InstallStage::Partitioning,
        InstallStage::BaseSystem,
        InstallStage::PackageSources,
        InstallStage::Software,
        InstallStage::BootLoader,
        InstallStage::Finishing,
        InstallStage::Installed,
        InstallStage::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InstallStage::Started => "started",
            InstallStage::Network => "network",
            InstallStage::Components => "components",
            InstallStage::Partitioning => "partitioning",
            InstallStage::BaseSystem => "base-system",
            InstallStage::PackageSources => "package-sources",
            InstallStage::Software => "software",
            InstallStage::BootLoader => "boot-loader",
            InstallStage::Finishing => "finishing",
            InstallStage::Installed => "installed",
            InstallStage::Failed => "failed",
        }
    }

    pub fn parse(code: &str) -> Option<InstallStage> {
        InstallStage::ALL.into_iter().find(|s| s.as_str() == code)
    }
}

/// What serve received from one machine's installer since its last write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstallLines {
    pub machine: i64,
    /// The sender (`192.168.1.57`).
    pub address: String,
    /// Lines received.
    pub lines: u64,
    /// The last line (already cut to a bounded length by the receiver).
    pub last_line: String,
    pub last_time: String,
    /// Stage markers seen, in order: stage, the line that said so, its time.
    pub stages: Vec<(InstallStage, String, String)>,
}

/// A machine's install state as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstallState {
    pub address: Option<String>,
    pub stage: Option<String>,
    pub stage_since: Option<String>,
    pub lines: u64,
    pub last_line: Option<String>,
    pub last_time: Option<String>,
}

/// The machine's token, made now if it has none (inside the intake's transaction).
pub(super) fn token_in(conn: &Connection, machine: i64, now: &str) -> rusqlite::Result<InstallToken> {
    conn.prepare_cached("INSERT OR IGNORE INTO install_tokens (machine, token, created) VALUES (?1, ?2, ?3)")?
        .execute(params![machine, InstallToken::generate().as_str(), now])?;
    let token: String = conn
        .prepare_cached("SELECT token FROM install_tokens WHERE machine = ?1")?
        .query_row([machine], |r| r.get(0))?;
    InstallToken::new(token).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

/// Set a machine's stage (and since when) when it changed, with an `install-progress`
/// event; always note the sender's address. `address` moves: no other machine keeps it.
fn move_to(
    conn: &Connection,
    machine: i64,
    address: &str,
    change: Option<(InstallStage, &str, &str)>,
    source: &str,
    from_syslog: bool,
) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE install_state SET address = NULL WHERE address = ?1 AND machine != ?2")?
        .execute(params![address, machine])?;
    conn.prepare_cached(
        "INSERT INTO install_state (machine, address) VALUES (?1, ?2)
         ON CONFLICT (machine) DO UPDATE SET address = excluded.address",
    )?
    .execute(params![machine, address])?;
    if let Some((stage, line, time)) = change {
        let current: Option<String> = conn
            .prepare_cached("SELECT stage FROM install_state WHERE machine = ?1")?
            .query_row([machine], |r| r.get(0))?;
        // The late command's report can overtake the last syslog lines (they are written
        // every 250 ms): a line never takes an installed machine back; a new install
        // starts with its preseed fetch or hello.
        let installed = current.as_deref() == Some(InstallStage::Installed.as_str());
        if installed && from_syslog {
            return Ok(());
        }
        if current.as_deref() != Some(stage.as_str()) {
            conn.prepare_cached("UPDATE install_state SET stage = ?2, stage_since = ?3 WHERE machine = ?1")?
                .execute(params![machine, stage.as_str(), time])?;
            let details = serde_json::json!({ "stage": stage.as_str(), "line": line });
            insert_event(conn, machine, time, EventKind::InstallProgress, source, &details)?;
        }
    }
    Ok(())
}

impl Ledger {
    /// The machine named `hostname` if `presented` is its install token (constant-time
    /// comparison). `None` for an unknown name, a machine without a token, a wrong token.
    pub fn machine_with_token(&self, hostname: &str, presented: &str) -> Result<Option<Machine>, LedgerError> {
        let Some(machine) = machine_where(&self.conn, "hostname = ?1", &hostname).map_err(|e| self.sql(e))? else {
            return Ok(None);
        };
        let token: Option<String> = self
            .conn
            .prepare_cached("SELECT token FROM install_tokens WHERE machine = ?1")
            .and_then(|mut st| st.query_row([machine.id], |r| r.get(0)).optional())
            .map_err(|e| self.sql(e))?;
        let ok = token
            .and_then(|t| InstallToken::new(t).ok())
            .is_some_and(|t| t.matches(presented));
        Ok(ok.then_some(machine))
    }

    /// A machine's install token, if it has one (tests, and the bundles' own check).
    pub fn install_token(&self, machine: i64) -> Result<Option<InstallToken>, LedgerError> {
        let token: Option<String> = self
            .conn
            .prepare_cached("SELECT token FROM install_tokens WHERE machine = ?1")
            .and_then(|mut st| st.query_row([machine], |r| r.get(0)).optional())
            .map_err(|e| self.sql(e))?;
        Ok(token.and_then(|t| InstallToken::new(t).ok()))
    }

    /// An installer made contact from `address`: it fetched its preseed (a
    /// `preseed-fetched` event) or said hello with its token (an `install-progress` event).
    /// Either way it is now at [`InstallStage::Started`] (a new install of a machine that was
    /// installed before starts again), and its address is its own. One transaction.
    pub fn record_contact(
        &mut self,
        machine: i64,
        address: &str,
        kind: EventKind,
        details: &serde_json::Value,
    ) -> Result<(), LedgerError> {
        let path = self.path.clone();
        let sql = |e| classify(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        let time = now();
        let source = format!("serve from {address}");
        if kind == EventKind::PreseedFetched {
            insert_event(&tx, machine, &time, kind, &source, details).map_err(sql)?;
        }
        let what = if kind == EventKind::PreseedFetched {
            "preseed fetched"
        } else {
            "hello"
        };
        // A hello never moves a running install back.
        let current: Option<String> = tx
            .prepare_cached("SELECT stage FROM install_state WHERE machine = ?1")
            .and_then(|mut st| st.query_row([machine], |r| r.get(0)).optional())
            .map_err(sql)?
            .flatten();
        let restart = kind == EventKind::PreseedFetched
            || matches!(current.as_deref(), None | Some("installed") | Some("failed"));
        let change = restart.then_some((InstallStage::Started, what, time.as_str()));
        move_to(&tx, machine, address, change, &source, false).map_err(sql)?;
        if !restart {
            // A hello during an install (route 2: right after the preseed fetch) moves no
            // stage, but `upcycle log` shows that the laptop's installer proved its token.
            let details = serde_json::json!({ "stage": current, "line": what });
            insert_event(&tx, machine, &time, EventKind::InstallProgress, &source, &details).map_err(sql)?;
        }
        tx.commit().map_err(sql)
    }

    /// Record what serve's syslog receiver collected, every machine in one transaction:
    /// the line counts and last lines, and an `install-progress` event per change of stage.
    pub fn record_install_lines(&mut self, batch: &[InstallLines]) -> Result<(), LedgerError> {
        let path = self.path.clone();
        let sql = |e| classify(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        for b in batch {
            let source = format!("serve from {}", b.address);
            move_to(&tx, b.machine, &b.address, None, &source, true).map_err(sql)?;
            for (stage, line, time) in &b.stages {
                move_to(&tx, b.machine, &b.address, Some((*stage, line, time)), &source, true).map_err(sql)?;
            }
            tx.prepare_cached(
                "UPDATE install_state SET lines = lines + ?2, last_line = ?3, last_time = ?4 WHERE machine = ?1",
            )
            .and_then(|mut st| st.execute(params![b.machine, b.lines as i64, b.last_line, b.last_time]))
            .map_err(sql)?;
        }
        tx.commit().map_err(sql)
    }

    /// The late command's report: the `installed` event (package count and the list's
    /// SHA-256) and the stage. One transaction.
    pub fn record_installed(
        &mut self,
        machine: i64,
        address: &str,
        packages: usize,
        list_sha256: &str,
    ) -> Result<(), LedgerError> {
        let path = self.path.clone();
        let sql = |e| classify(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        let time = now();
        let source = format!("serve from {address}");
        let details = serde_json::json!({ "packages": packages, "list_sha256": list_sha256 });
        let line = format!("{packages} packages installed");
        // The stage first (an install-progress event), then the `installed` event with the
        // package list, which stays the machine's last event.
        move_to(
            &tx,
            machine,
            address,
            Some((InstallStage::Installed, &line, &time)),
            &source,
            false,
        )
        .map_err(sql)?;
        insert_event(&tx, machine, &time, EventKind::Installed, &source, &details).map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// Each machine's last known installer address (serve keeps its map across restarts).
    pub fn install_addresses(&self) -> Result<Vec<(String, i64)>, LedgerError> {
        let mut stmt = self
            .conn
            .prepare("SELECT address, machine FROM install_state WHERE address IS NOT NULL ORDER BY machine")
            .map_err(|e| self.sql(e))?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.sql(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.sql(e))
    }

    /// A machine's install state (`None` before serve heard of it).
    pub fn install_state(&self, machine: i64) -> Result<Option<InstallState>, LedgerError> {
        self.conn
            .prepare_cached(
                "SELECT address, stage, stage_since, lines, last_line, last_time FROM install_state WHERE machine = ?1",
            )
            .and_then(|mut st| {
                st.query_row([machine], |r| {
                    Ok(InstallState {
                        address: r.get(0)?,
                        stage: r.get(1)?,
                        stage_since: r.get(2)?,
                        lines: r.get::<_, i64>(3)? as u64,
                        last_line: r.get(4)?,
                        last_time: r.get(5)?,
                    })
                })
                .optional()
            })
            .map_err(|e| self.sql(e))
    }

    /// A hand-over: forget the machine's install data (its install token, which no
    /// installer needs any more, and its install state: the installer's last address and
    /// syslog line) and append a `handed-over` event whose details `details` makes from
    /// what was removed, all in one transaction. Events stay as they are (append-only).
    pub fn record_handover(
        &mut self,
        machine: i64,
        source: &str,
        details: impl FnOnce(&Forgotten) -> serde_json::Value,
    ) -> Result<serde_json::Value, LedgerError> {
        let path = self.path.clone();
        let sql = |e| classify(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        let forgotten = Forgotten {
            install_token: tx
                .execute("DELETE FROM install_tokens WHERE machine = ?1", [machine])
                .map_err(sql)?
                > 0,
            install_state: tx
                .execute("DELETE FROM install_state WHERE machine = ?1", [machine])
                .map_err(sql)?
                > 0,
        };
        let details = details(&forgotten);
        insert_event(&tx, machine, &now(), EventKind::HandedOver, source, &details).map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(details)
    }
}

/// What a hand-over removed from the ledger ([`Ledger::record_handover`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forgotten {
    /// The machine had an install token.
    pub install_token: bool,
    /// The machine had an install state (its installer's address, last line).
    pub install_state: bool,
}
