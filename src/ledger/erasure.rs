//! Erasures in the ledger: which machine an erased disk belongs to, the `erased` event
//! (`upcycle erase` writes one per disk and run, whatever its outcome), and what a machine's
//! erasures add up to for `status`, `log` and the inventory.
//!
//! A disk is the machine's that `erase` runs on when it is built in (the DMI UUID, serial
//! and MACs of that machine, as at intake), else the one machine the ledger knows by that
//! disk (`model|size`, kind `disk`). A disk that names several machines (a class set known
//! by its disks only) names none: an erasure is never written to a guessed laptop.

use std::collections::{BTreeMap, HashMap};

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::{EventKind, Identifier, Kind, Ledger, LedgerError, Machine, machine_from_row};

/// The details of an `erased` event: the record's essentials and where the record is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErasureEvent {
    /// The record's schema (`upcycle.erasure/v2`).
    pub schema: String,
    /// `erased`, `failed` or `interrupted`: only `erased` is an erased disk.
    pub result: String,
    /// `overwrite`, `nvme-sanitize-crypto-erase`, ...
    pub method: String,
    /// `clear` or `purge`.
    pub category: String,
    pub verification: ErasureCheck,
    /// The drive health gate's verdict (`good`, `watch`, `replace`, `unknown`).
    pub health: String,
    /// The disk as `erase` saw it (no serial: identifiers stay out of the ledger's events).
    pub disk: ErasedDisk,
    /// The record's file name and the SHA-256 of its bytes (as on the certificate).
    pub record_file: String,
    pub record_sha256: String,
    /// How the machine was found: `machine` (the laptop erase ran on), `disk`, or
    /// `installer` (the installer of the machine's bundle sent it to `serve`, with its
    /// install token).
    pub found_by: String,
    /// The whole record, as the record file holds it, but with the disk's serial as the
    /// ledger's keyed hash (the ledger keeps no identifier in clear). Absent in events of
    /// upcycle before 2026-12-07.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErasureCheck {
    /// The verification's code (`verify-full`, `verify-sample`, ...).
    pub method: String,
    /// `passed`, `failed` or `not-run`.
    pub result: String,
    pub bytes_read: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErasedDisk {
    /// `sda`, `nvme0n1`.
    pub name: String,
    pub model: Option<String>,
    pub size_bytes: u64,
    pub bus: String,
    pub medium: String,
}

/// Which machine of the ledger an erased disk belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// Found by the identity of the machine erase runs on.
    ByMachine(Machine),
    /// Found by the disk's `model|size`: the one machine known by it.
    ByDisk(Machine),
    /// The disk's identifier names several machines: none is chosen (their numbers).
    Ambiguous(Vec<u32>),
    /// Not in this ledger.
    Unknown,
}

/// What a machine's erasures add up to: one value per machine for `status` and the
/// inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureState {
    /// `erased` when the last run on every disk erased it; else the worst last result
    /// (`failed` before `interrupted`).
    pub result: String,
    /// When the last erasure run ended (the event's time).
    pub time: String,
    /// The disks, by name, with their last result.
    pub disks: BTreeMap<String, String>,
    /// A disk's last erasure found it likely to fail soon: replace before hand-over.
    pub replace: bool,
}

/// The state of a machine's erasures from its `erased` events (time, details), oldest
/// first; `None` without any. Pure.
pub fn state_of(events: &[(String, ErasureEvent)]) -> Option<ErasureState> {
    let mut last: BTreeMap<String, (&str, &ErasureEvent)> = BTreeMap::new();
    for (time, e) in events {
        last.insert(e.disk.name.clone(), (time, e));
    }
    let rank = |r: &str| match r {
        "erased" => 0,
        "interrupted" => 1,
        _ => 2,
    };
    let result = last
        .values()
        .map(|(_, e)| e.result.as_str())
        .max_by_key(|r| rank(r))?
        .to_string();
    Some(ErasureState {
        result,
        time: events.last().map(|(t, _)| t.clone()).unwrap_or_default(),
        disks: last.iter().map(|(d, (_, e))| (d.clone(), e.result.clone())).collect(),
        replace: last.values().any(|(_, e)| e.health == "replace"),
    })
}

impl Ledger {
    /// The machine an erased disk belongs to: by `machine` (the identifiers of the
    /// laptop erase runs on; only the strong ones count), when `built_in`; else by `disk`
    /// (its `model|size`), when exactly one machine has it. Reads only.
    pub fn owner_of_disk(
        &self,
        machine: &[Identifier],
        built_in: bool,
        disk: Option<&str>,
    ) -> Result<Owner, LedgerError> {
        if built_in {
            let hidden: Vec<(Kind, String)> = machine
                .iter()
                .filter(|i| i.kind.is_strong())
                .map(|i| (i.kind, self.key.hide(i.kind, &i.value)))
                .collect();
            if !hidden.is_empty()
                && let super::Found::Machine(m) =
                    super::find_machine(&self.conn, &hidden, &HashMap::new()).map_err(|e| self.sql(e))?
            {
                return Ok(Owner::ByMachine(m));
            }
        }
        let Some(disk) = disk else { return Ok(Owner::Unknown) };
        let value = self.key.hide(Kind::Disk, disk);
        let mut stmt = self
            .conn
            .prepare(
                "SELECT m.id, m.number, m.hostname, m.model, m.fingerprint, m.created
                 FROM identifiers i JOIN machines m ON m.id = i.machine
                 WHERE i.kind = 'disk' AND i.value = ?1 ORDER BY m.number",
            )
            .map_err(|e| self.sql(e))?;
        let mut found: Vec<Machine> = stmt
            .query_map(params![value], machine_from_row)
            .map_err(|e| self.sql(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.sql(e))?;
        Ok(match found.len() {
            0 => Owner::Unknown,
            1 => Owner::ByDisk(found.remove(0)),
            _ => Owner::Ambiguous(found.iter().map(|m| m.number).collect()),
        })
    }

    /// Append an `erased` event for `machine` (one transaction).
    pub fn record_erasure(&mut self, machine: i64, event: &ErasureEvent) -> Result<(), LedgerError> {
        let details = self.erasure_details(event);
        self.record_event(machine, EventKind::Erased, "erase", &details)
    }

    /// Append the `erased` event an installer sent to `serve` (`source`: `serve from IP`),
    /// unless `machine` has one of the same record (its SHA-256) already: an installer's
    /// retry is not a second erasure. Whether it was appended. One transaction.
    pub fn record_sent_erasure(
        &mut self,
        machine: i64,
        event: &ErasureEvent,
        source: &str,
    ) -> Result<bool, LedgerError> {
        let details = self.erasure_details(event);
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| super::classify(&path, e))?;
        let known: Option<i64> = rusqlite::OptionalExtension::optional(tx.query_row(
            "SELECT id FROM events WHERE machine = ?1 AND kind = 'erased'
             AND json_extract(details, '$.record_sha256') = ?2 LIMIT 1",
            params![machine, event.record_sha256],
            |r| r.get(0),
        ))
        .map_err(|e| super::classify(&path, e))?;
        if known.is_some() {
            return Ok(false);
        }
        super::insert_event(&tx, machine, &super::now(), EventKind::Erased, source, &details)
            .map_err(|e| super::classify(&path, e))?;
        tx.commit().map_err(|e| super::classify(&path, e))?;
        Ok(true)
    }

    /// The event's details as stored: the record's serial (`record.media.serial`) keyed.
    fn erasure_details(&self, event: &ErasureEvent) -> serde_json::Value {
        let mut details = serde_json::to_value(event).expect("an erasure event serialises");
        if let Some(serial) = details.pointer_mut("/record/media/serial")
            && let Some(clear) = serial.as_str().filter(|s| !s.trim().is_empty())
        {
            *serial = self.key.hide(Kind::Serial, clear).into();
        }
        details
    }

    /// Every machine's erasure state, by machine id (machines never erased are absent).
    pub fn erasure_states(&self) -> Result<BTreeMap<i64, ErasureState>, LedgerError> {
        let mut stmt = self
            .conn
            .prepare("SELECT machine, time, details FROM events WHERE kind = 'erased' ORDER BY id")
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
            })
            .map_err(|e| self.sql(e))?;
        let mut by_machine: BTreeMap<i64, Vec<(String, ErasureEvent)>> = BTreeMap::new();
        for row in rows {
            let (machine, time, details) = row.map_err(|e| self.sql(e))?;
            // An event this upcycle cannot read (a newer one's) is left out, not guessed.
            if let Ok(e) = serde_json::from_str::<ErasureEvent>(&details) {
                by_machine.entry(machine).or_default().push((time, e));
            }
        }
        Ok(by_machine
            .into_iter()
            .filter_map(|(m, events)| state_of(&events).map(|s| (m, s)))
            .collect())
    }
}
