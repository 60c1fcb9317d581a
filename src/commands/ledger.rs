//! `upcycle ledger import|export`, and the ledger steps that `generate`, `plan` and `batch`
//! share (open for writing, intake, bundle record).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::exit::{Exit, Failure, OrExit};
use crate::inventory::Row;
use crate::l10n::Said;
use crate::ledger::{self, BundleRecord, Intake, Ledger, Recognised};
use crate::ops::Prepared;
use crate::options::LedgerOptions;
use crate::printer::Printer;
use crate::report::HardwareReport;
use crate::workshop::Workshop;

pub fn run(opts: &LedgerOptions, printer: &Printer) -> Result<Exit, Failure> {
    match opts {
        LedgerOptions::Import { dir, ledger, workshop } => import(dir, ledger, workshop.as_deref(), printer),
        LedgerOptions::Export { ledger, json } => export(ledger, *json, printer),
    }
}

/// Open (or start) the ledger that a command writing into `out_dir` records into. A new
/// ledger beside bundles made before it is refused: they would lose their numbers.
pub fn open_for_writing(path: &Path, out_dir: &Path, printer: &Printer) -> Result<Ledger, Failure> {
    if !Ledger::exists(path) {
        let earlier = bundles_in(out_dir);
        if !earlier.is_empty() {
            let names: Vec<String> = earlier
                .iter()
                .take(5)
                .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .collect();
            return Err(Failure::new(
                Exit::BadInput,
                Said::new("err-ledger-earlier-bundles")
                    .arg("dir", out_dir.display().to_string())
                    .arg("n", earlier.len() as u64)
                    .arg(
                        "names",
                        format!("{}{}", names.join(", "), if earlier.len() > 5 { ", ..." } else { "" }),
                    )
                    .arg("path", path.display().to_string()),
            ));
        }
        printer.detail(&printer.format("msg-ledger-starting", &[("path", path.display().to_string().into())]));
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).or_exit(
            Exit::Internal,
            Said::new("err-cannot-create").arg("path", parent.display().to_string()),
        )?;
    }
    Ok(Ledger::open_or_create(path)?)
}

/// Bundle folders (a `selection.yaml` inside) directly in `dir`.
fn bundles_in(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.join("selection.yaml").is_file())
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

/// Recognise or enter one machine (generate, plan).
pub fn intake(
    ledger: &mut Ledger,
    report: &HardwareReport,
    input: &str,
    source: &str,
    workshop: &Workshop,
    wanted_number: Option<u32>,
) -> Result<Recognised, Failure> {
    let identifiers = ledger::identity::identifiers(report);
    let serial = report.machine.serial.as_deref();
    let rule = |n: u32| workshop.hostname_for(n as usize, serial);
    Ok(ledger.record_intake(&Intake {
        identifiers: &identifiers,
        model: report.machine.model.as_deref(),
        input,
        source,
        hostname_for: &rule,
        wanted_number,
        claimed: &HashMap::new(),
    })?)
}

/// The ledger's record of a written bundle.
pub fn bundle_record(made: &Prepared, row: &Row) -> BundleRecord {
    let (digest, files) = made.bundle.digests();
    BundleRecord {
        profile: made
            .selection
            .chosen
            .as_ref()
            .map(|c| c.profile.clone())
            .unwrap_or_default(),
        digest,
        files,
        row: serde_json::to_value(row).expect("a row serialises"),
    }
}

fn import(dir: &Path, path: &Path, workshop: Option<&Path>, printer: &Printer) -> Result<Exit, Failure> {
    if !dir.is_dir() {
        return Err(Failure::new(
            Exit::BadInput,
            Said::new("err-not-a-folder").arg("path", dir.display().to_string()),
        ));
    }
    if Ledger::exists(path) {
        return Err(Failure::new(
            Exit::OutputExists,
            Said::new("err-ledger-import-exists").arg("path", path.display().to_string()),
        ));
    }
    let workshop = super::generate::read_workshop(workshop)?;
    let (items, problems) = ledger::import::read(dir, &workshop);
    for (p, why) in &problems {
        printer.problem(&printer.format(
            "msg-not-imported",
            &[
                ("path", p.display().to_string().into()),
                ("why", why.to_string().into()),
            ],
        ));
    }
    if items.is_empty() {
        return Err(Failure::new(
            Exit::BadInput,
            Said::new("err-ledger-import-empty").arg("path", dir.display().to_string()),
        ));
    }
    let _lock = super::batch::lock_output(dir, crate::lock::Access::Exclusive)?;
    let mut ledger = Ledger::open_or_create(path)?;
    // numbered ones first, so the next free numbers come after all of them
    let (numbered, rest): (Vec<_>, Vec<_>) = items.iter().partition(|i| i.number.is_some());
    let mut failed = problems.len();
    for item in numbered.into_iter().chain(rest) {
        let input = item.dir.display().to_string();
        let number = match item.number {
            Some(n) => n,
            None => ledger.machines()?.iter().map(|m| m.number).max().unwrap_or(0) + 1,
        };
        let machine =
            match ledger.import_machine(number, &item.hostname, &item.identifiers, item.model.as_deref(), &input) {
                Ok(m) => m,
                Err(ledger::LedgerError::Conflict(c)) => {
                    printer.problem(&printer.format(
                        "msg-not-imported",
                        &[
                            ("path", item.dir.display().to_string().into()),
                            ("why", c.to_string().into()),
                        ],
                    ));
                    failed += 1;
                    continue;
                }
                Err(e) => return Err(e.into()),
            };
        if let Some(digest) = &item.digest {
            let record = BundleRecord {
                profile: item.profile.clone().unwrap_or_default(),
                digest: digest.clone(),
                files: item.files.clone(),
                row: serde_json::Value::Null,
            };
            ledger.record_bundle(machine.id, "import", &record)?;
        }
        printer.detail(&printer.format(
            "msg-ledger-number",
            &[
                ("host", machine.hostname.as_str().into()),
                ("number", (machine.number as u64).into()),
            ],
        ));
    }
    printer.status(&printer.format(
        "msg-ledger-imported",
        &[
            ("imported", (ledger.machine_count()? as u64).into()),
            ("total", ((items.len() + problems.len()) as u64).into()),
            ("path", path.display().to_string().into()),
        ],
    ));
    Ok(if failed == 0 {
        Exit::Success
    } else {
        Exit::PartialFailure
    })
}

/// One machine of the export.
#[derive(serde::Serialize)]
struct Exported {
    number: u32,
    hostname: String,
    model: String,
    fingerprint: String,
    created: String,
    last_event: String,
    since: String,
    profile: String,
}

const EXPORT_COLUMNS: &[&str] = &[
    "number",
    "hostname",
    "model",
    "fingerprint",
    "created",
    "last_event",
    "since",
    "profile",
];

fn export(path: &Path, json: bool, printer: &Printer) -> Result<Exit, Failure> {
    let ledger = Ledger::open_existing(path)?;
    let room = ledger.room()?;
    let machines = ledger.machines()?;
    let bundles = ledger.last_bundles()?;
    let rows: Vec<Exported> = machines
        .iter()
        .zip(&room)
        .map(|(m, r)| Exported {
            number: m.number,
            hostname: m.hostname.clone(),
            model: m.model.clone().unwrap_or_default(),
            fingerprint: m.fingerprint.split(':').next().unwrap_or("").to_string(),
            created: m.created.clone(),
            last_event: r.last_event.clone().unwrap_or_default(),
            since: r.since.clone().unwrap_or_default(),
            profile: bundles.get(&m.id).map(|(_, b)| b.profile.clone()).unwrap_or_default(),
        })
        .collect();
    if json {
        printer.out(&(serde_json::to_string_pretty(&rows).expect("serialises") + "\n"));
    } else {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        w.write_record(EXPORT_COLUMNS).expect("writing to memory");
        for r in &rows {
            let cells = [
                r.number.to_string(),
                r.hostname.clone(),
                r.model.clone(),
                r.fingerprint.clone(),
                r.created.clone(),
                r.last_event.clone(),
                r.since.clone(),
                r.profile.clone(),
            ];
            w.write_record(cells.iter().map(|c| crate::inventory::csv_cell(c).into_owned()))
                .expect("writing to memory");
        }
        printer.out(&String::from_utf8(w.into_inner().expect("in memory")).expect("UTF-8"));
    }
    Ok(Exit::Success)
}
