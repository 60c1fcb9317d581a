//! The workshop ledger's side of an erasure: which ledger (never a new one), whose disk
//! it is (said before the erase), and the `erased` event after the record is on disk.

use crate::erase::plan::{self, DiskFacts, DiskPlan};
use crate::erase::record::{self, ErasureRecord};
use crate::exit::Failure;
use crate::ledger::erasure::{ErasedDisk, ErasureCheck};
use crate::ledger::{ErasureEvent, Identifier, Ledger, Owner};
use crate::options::EraseOptions;
use crate::printer::Printer;

/// The ledger the erasures go into: `--ledger` (it must exist: exit 3 otherwise, before
/// anything is erased), else the one in the record folder or the folder above it, if
/// there is one. erase never makes a ledger: a new one would know no laptop.
pub fn open_ledger(o: &EraseOptions, printer: &Printer) -> Result<Option<Ledger>, Failure> {
    let path = match &o.ledger {
        Some(p) => p.clone(),
        None => {
            let above = o
                .record_dir
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            match [o.record_dir.as_path(), above]
                .iter()
                .map(|d| d.join(crate::ledger::FILE_NAME))
                .find(|p| p.is_file())
            {
                Some(p) => p,
                None => {
                    printer.detail(&printer.text("erase-ledger-none"));
                    return Ok(None);
                }
            }
        }
    };
    Ok(Some(Ledger::open_existing(&path)?))
}

/// Which machine of the ledger the disk belongs to, said to the operator before erasing.
pub fn owner(
    printer: &Printer,
    ledger: &Ledger,
    host: &[Identifier],
    p: &DiskPlan,
    f: &DiskFacts,
) -> Result<Owner, Failure> {
    // A disk on a USB bridge or an SD card may come from any laptop: only its own
    // identifier counts. Built-in disks (and loop devices) are the running machine's.
    let built_in = !matches!(f.bus, plan::Bus::Usb | plan::Bus::Sd) && f.removable != Some(true);
    let disk = crate::ledger::identity::disk_value(f.model.as_deref(), f.size_bytes);
    let owner = ledger.owner_of_disk(host, built_in, disk.as_deref())?;
    let name = p.name.as_str();
    let path = ledger.path().display().to_string();
    match &owner {
        Owner::ByMachine(m) | Owner::ByDisk(m) => printer.status(&printer.format(
            "erase-ledger-machine",
            &[
                ("name", name.into()),
                ("host", m.hostname.as_str().into()),
                ("number", (m.number as u64).into()),
                ("path", path.into()),
            ],
        )),
        Owner::Ambiguous(numbers) => printer.warn(
            &printer.format(
                "erase-ledger-ambiguous",
                &[
                    ("name", name.into()),
                    (
                        "numbers",
                        numbers
                            .iter()
                            .map(|n| n.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                            .into(),
                    ),
                    ("path", path.into()),
                ],
            ),
        ),
        Owner::Unknown => {
            printer.warn(&printer.format("erase-ledger-unknown", &[("name", name.into()), ("path", path.into())]))
        }
    }
    Ok(owner)
}

/// The kebab-case code of a serialised enum (`overwrite`, `purge`, `passed`).
fn code<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The `erased` event of a record written to `file` with these bytes (the whole record in
/// it; the ledger keys its serial). `found_by`: `machine`, `disk` or `installer`.
pub fn erasure_event(rec: &ErasureRecord, file: &str, bytes: &[u8], found_by: &str) -> ErasureEvent {
    ErasureEvent {
        schema: rec.schema.clone(),
        result: code(&rec.status),
        method: code(&rec.sanitization.method),
        category: code(&rec.sanitization.category),
        verification: ErasureCheck {
            method: rec.verification.method.code.clone(),
            result: code(&rec.verification.result),
            bytes_read: rec.verification.bytes_read,
        },
        health: code(&rec.health.verdict),
        disk: ErasedDisk {
            name: rec.media.name.to_string(),
            model: rec.media.model.clone(),
            size_bytes: rec.media.size_bytes,
            bus: code(&rec.media.bus),
            medium: code(&rec.media.medium),
        },
        record_file: file.to_string(),
        record_sha256: record::sha256_hex(bytes),
        found_by: found_by.to_string(),
        record: serde_json::to_value(rec).ok(),
    }
}

/// After the record is on disk: the `erased` event for its machine, or why there is none.
/// The record stays whatever happens here.
pub fn record_in_ledger(
    printer: &Printer,
    ledger: &mut Ledger,
    owner: &Owner,
    rec: &ErasureRecord,
    record_path: &std::path::Path,
    bytes: &[u8],
) {
    let path = ledger.path().display().to_string();
    let record_shown = record_path.display().to_string();
    let (machine, found_by) = match owner {
        Owner::ByMachine(m) => (m, "machine"),
        Owner::ByDisk(m) => (m, "disk"),
        Owner::Ambiguous(_) | Owner::Unknown => {
            printer.warn(&printer.format(
                "erase-ledger-not-recorded",
                &[("record", record_shown.into()), ("path", path.into())],
            ));
            return;
        }
    };
    let file = record_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match ledger.record_erasure(machine.id, &erasure_event(rec, &file, bytes, found_by)) {
        Ok(()) => printer.status(&printer.format(
            "erase-ledger-recorded",
            &[
                ("host", machine.hostname.as_str().into()),
                ("number", (machine.number as u64).into()),
                ("path", path.into()),
            ],
        )),
        Err(e) => printer.problem(&printer.format(
            "erase-ledger-failed",
            &[
                ("path", path.into()),
                ("error", crate::l10n::Localize::localize(&e, printer.lang).into()),
                ("record", record_shown.into()),
            ],
        )),
    }
}
