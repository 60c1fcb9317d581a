//! One erasure run, disk by disk: the facts and the plan, the ledger opened before any
//! disk, then per disk: refuse or confirm, erase (upcycle's overwrite or the drive's own
//! method), read back, record. Records before and after each step: the resume state before
//! the first byte and at every checkpoint, the record (and its certificate) after,
//! whatever the outcome. The command (`commands/erase.rs`) only prints and asks.

mod drive;
pub mod ledger;

use std::time::Instant;

use chrono::{SecondsFormat, Utc};

use crate::erase::overwrite::{self, Outcome, Target};
use crate::erase::plan::{self, DiskFacts, DiskPlan, Method, Policy};
use crate::erase::progress::{Phase, ProgressFile};
use crate::erase::record::{self, ErasureRecord, Media, Sanitization, Status, Verification, VerifyResult};
use crate::erase::text::{confirmation, gb, reasons};
use crate::erase::{facts, firmware, state, tools};
use crate::exit::{Exit, Failure, OrExit};
use crate::l10n::{self, Said};
use crate::ledger::{Identifier, Ledger, Owner};
use crate::options::EraseOptions;
use crate::printer::Printer;
use crate::probe::SysRoot;
use crate::token::DiskName;

/// What a run starts from: the disks named, every disk's facts, the plan, and the
/// identifiers of the machine erase runs on (for the ledger).
pub struct Prepared {
    pub names: Vec<DiskName>,
    pub facts: Vec<DiskFacts>,
    pub host: Vec<Identifier>,
    pub plan: plan::ErasePlan,
}

/// Read the facts and plan (pure): nothing is touched yet.
pub fn prepare(o: &EraseOptions) -> Result<Prepared, Failure> {
    let names = o
        .devices
        .iter()
        .map(|d| facts::disk_name(&o.root, d))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Failure::new(Exit::BadInput, anyhow::anyhow!(e)))?;
    let (all, host) = gather(o, &names)?;
    let policy = Policy {
        named: names.clone(),
        method: o.method,
        verify: o.verify,
        built_in_only: o.installer,
        ..Policy::default()
    };
    let mut plan = plan::plan(&all, &policy);
    if o.installer && o.method == plan::MethodChoice::Auto {
        for p in &mut plan.disks {
            if let Some(m) = p.method.filter(|m| missing_tool(*m).is_some()) {
                overwrite_instead(p, m);
            }
        }
    }
    Ok(Prepared {
        names,
        facts: all,
        host,
        plan,
    })
}

/// The first tool a method needs that is not installed.
fn missing_tool(method: Method) -> Option<tools::Tool> {
    firmware::steps(method, std::path::Path::new("/dev/x"))
        .iter()
        .filter(|s| !s.optional)
        .map(|s| s.tool)
        .find(|t| tools::find(*t).is_none())
}

/// The installer's step: a drive's own method whose tool the installer lacks (d-i has no
/// hdparm, nvme-cli, blkdiscard, mmc-utils) becomes upcycle's own overwrite, said in the
/// plan's advice, rather than an install stopped for a missing tool.
fn overwrite_instead(p: &mut DiskPlan, method: Method) {
    let tool = missing_tool(method).expect("called for a missing tool");
    p.advice.push(
        Said::new("advice-installer-overwrite")
            .arg("method", method.description())
            .arg("tool", tool.command)
            .arg("package", tool.package),
    );
    p.method = Some(Method::Overwrite);
    p.category = Some(Method::Overwrite.category(p.medium));
    p.description = Some(Method::Overwrite.description());
}

/// Erase the named disks of a prepared run. `ask` shows a question and returns the line
/// the operator typed (asked only without `--yes`).
pub fn erase(
    o: &EraseOptions,
    printer: &Printer,
    prepared: &Prepared,
    ask: &dyn Fn(&str) -> Result<String, Failure>,
) -> Result<Exit, Failure> {
    // Opened before any disk is touched: a wrong --ledger stops the run, not the record.
    let mut ledger = ledger::open_ledger(o, printer)?;
    let mut worst = Exit::Success;
    for name in &prepared.names {
        let p = prepared
            .plan
            .disks
            .iter()
            .find(|d| &d.name == name)
            .expect("named disks are planned");
        let f = prepared
            .facts
            .iter()
            .find(|d| &d.name == name)
            .expect("named disks have facts");
        let exit = erase_one(o, printer, ask, p, f, ledger.as_mut(), &prepared.host)?;
        worst = worse(worst, exit);
        if exit == Exit::Interrupted {
            break;
        }
    }
    Ok(worst)
}

fn worse(a: Exit, b: Exit) -> Exit {
    let rank = |e: Exit| match e {
        Exit::Interrupted => 3,
        Exit::EraseFailed => 2,
        Exit::EraseRefused => 1,
        _ => 0,
    };
    if rank(b) > rank(a) { b } else { a }
}

/// The facts of every disk the probe finds, plus named ones it skips (loop devices); the
/// tools run only for the disks in scope (the named ones, or all for a plan of all). Also
/// the identifiers of the machine erase runs on (for the ledger).
fn gather(o: &EraseOptions, names: &[DiskName]) -> Result<(Vec<DiskFacts>, Vec<Identifier>), Failure> {
    let root = if o.root == std::path::Path::new("/") {
        SysRoot::live()
    } else {
        SysRoot::at(&o.root)
    };
    let map = crate::fwmap::FirmwareMap::embedded(crate::fwmap::DEFAULT_RELEASE)
        .expect("the default release's map is embedded");
    let report = crate::probe::probe(&root, map).or_exit(Exit::BadInput, "cannot read this machine's disks")?;
    let mut all = plan::facts_of_report(&report.storage.disks);
    for n in names {
        if !all.iter().any(|d| &d.name == n) {
            all.push(facts::minimal(&o.root, n));
        }
    }
    for d in all.iter_mut().filter(|d| names.is_empty() || names.contains(&d.name)) {
        facts::complete(&o.root, d);
    }
    Ok((all, crate::ledger::identity::identifiers(&report)))
}

pub(crate) fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Whether the operator confirmed erasing this disk: the answer typed is the one the
/// question asks for.
fn confirmed(
    printer: &Printer,
    ask: &dyn Fn(&str) -> Result<String, Failure>,
    p: &DiskPlan,
    method: Method,
    size: u64,
) -> Result<bool, Failure> {
    let (question, expected) = confirmation(printer.lang, p, method, size);
    let answer = ask(&question)?;
    Ok(answer.trim().eq_ignore_ascii_case(&expected))
}

fn erase_one(
    o: &EraseOptions,
    printer: &Printer,
    ask: &dyn Fn(&str) -> Result<String, Failure>,
    p: &DiskPlan,
    f: &DiskFacts,
    ledger: Option<&mut Ledger>,
    host: &[Identifier],
) -> Result<Exit, Failure> {
    let name = &p.name;
    if let Some(r) = &p.refused {
        printer.problem(&printer.format(
            "erase-refused",
            &[
                ("name", name.as_str().into()),
                ("why", l10n::say(printer.lang, r).into()),
            ],
        ));
        return Ok(Exit::EraseRefused);
    }
    let method = p.method.expect("a disk not refused has a method");
    // A firmware method's tools are checked before anything happens (the package named).
    if let Some(missing) = missing_tool(method) {
        printer.problem(&printer.format(
            "erase-tool-missing",
            &[
                ("name", name.as_str().into()),
                ("method", format!("{method:?}").into()),
                ("tool", missing.command.into()),
                ("package", missing.package.into()),
            ],
        ));
        return Ok(Exit::EraseRefused);
    }
    if p.replace() {
        printer.warn(&printer.format(
            "erase-replace-anyway",
            &[
                ("name", name.as_str().into()),
                ("why", reasons(printer.lang, &p.health.reasons).into()),
            ],
        ));
    }
    let device = facts::device_path(&o.root, name);
    let target = match Target::open(&device) {
        Ok(t) => t,
        Err(e) if e.raw_os_error() == Some(libc::EBUSY) => {
            printer.problem(&printer.format("erase-busy", &[("name", name.as_str().into())]));
            return Ok(Exit::EraseRefused);
        }
        Err(e) => {
            return Err(Failure::new(
                Exit::BadInput,
                crate::l10n::Said::new("err-erase-cannot-open")
                    .arg("path", device.display().to_string())
                    .arg("why", crate::l10n::Localized::of(&e)),
            ));
        }
    };
    let owner = match &ledger {
        Some(l) => Some(ledger::owner(printer, l, host, p, f)?),
        None => None,
    };
    if !o.yes && !confirmed(printer, ask, p, method, target.size)? {
        printer.problem(&printer.format("erase-not-confirmed", &[("name", name.as_str().into())]));
        return Ok(Exit::EraseRefused);
    }
    overwrite::catch_interrupts();
    std::fs::create_dir_all(&o.record_dir).or_exit(
        Exit::Internal,
        Said::new("err-cannot-create").arg("path", o.record_dir.display().to_string()),
    )?;
    if method != Method::Overwrite {
        let rec = drive::firmware_erase(o, printer, p, f, method, &device, &target)?;
        return write_record(o, printer, &rec, ledger, owner.as_ref());
    }
    let device_text = device.display().to_string();
    let serial = f.serial().map(str::to_string);
    let pattern = 0u8;
    let state_path = state::path(&o.record_dir, name.as_str());
    let previous =
        state::load(&state_path).filter(|s| s.matches(&device_text, serial.as_deref(), target.size, pattern));
    let started = now();
    let clock = Instant::now();
    let mut st = previous.clone().unwrap_or(state::State {
        schema: state::SCHEMA.into(),
        device: device_text.clone(),
        serial: serial.clone(),
        size_bytes: target.size,
        pattern,
        done_bytes: 0,
        started: started.clone(),
        updated: started.clone(),
    });
    let resumed_from = st.done_bytes;
    let mut notes = Vec::new();
    if resumed_from > 0 {
        notes.push(
            Said::new("note-resumed")
                .arg("started", previous.as_ref().map(|s| s.started.as_str()).unwrap_or("?"))
                .arg("at", resumed_from),
        );
        printer.status(&printer.format(
            "erase-resuming",
            &[
                ("name", name.as_str().into()),
                ("done", gb(printer.lang, resumed_from).into()),
                ("size", gb(printer.lang, target.size).into()),
            ],
        ));
    }
    // Before the first byte: the state file says a run on this disk has begun.
    state::save(&state_path, &st).or_exit(
        Exit::Internal,
        Said::new("err-cannot-write").arg("path", state_path.display().to_string()),
    )?;

    let write_clock = Instant::now();
    let mut write_outcome = Outcome::Done;
    let mut write_direct = true;
    if resumed_from < target.size {
        let bar = printer.bytes_progress(
            target.size,
            &printer.format("erase-bar-overwrite", &[("name", name.as_str().into())]),
        );
        bar.set_position(resumed_from);
        let mut checkpoint = |done: u64| {
            st.done_bytes = done;
            st.updated = now();
            state::save(&state_path, &st)
        };
        let progress = ProgressFile::new(o.progress_file.as_deref());
        progress.report(Phase::Write, resumed_from, target.size);
        let (outcome, direct) = overwrite::overwrite(&target, pattern, resumed_from, &mut checkpoint, &|d| {
            bar.set_position(d);
            progress.report(Phase::Write, d, target.size);
        })
        .or_exit(
            Exit::Internal,
            Said::new("err-cannot-write").arg("path", device.display().to_string()),
        )?;
        bar.finish_and_clear();
        write_outcome = outcome;
        write_direct = direct;
    }
    let write_seconds = write_clock.elapsed().as_secs_f64();
    let done = match &write_outcome {
        Outcome::Done => target.size,
        Outcome::Interrupted { at } | Outcome::Failed { at, .. } | Outcome::Mismatch { at } => *at,
    };
    let mut verification = Verification {
        method: o.verify.description(),
        result: VerifyResult::NotRun,
        bytes_read: 0,
        direct_io: false,
        failed_at: None,
        seconds: 0.0,
    };
    let status = match &write_outcome {
        Outcome::Interrupted { .. } => Status::Interrupted,
        Outcome::Failed { at, error } => {
            notes.push(
                Said::new("note-write-failed")
                    .arg("at", *at)
                    .arg("error", error.to_string()),
            );
            Status::Failed
        }
        Outcome::Mismatch { .. } => Status::Failed,
        Outcome::Done => {
            let read_clock = Instant::now();
            let to_read = o.verify.bytes_read(target.size);
            let bar = printer.bytes_progress(
                to_read,
                &printer.format("erase-bar-verify", &[("name", name.as_str().into())]),
            );
            let progress = ProgressFile::new(o.progress_file.as_deref());
            progress.report(Phase::Verify, 0, to_read);
            let (outcome, read, direct) = overwrite::verify(&target, pattern, o.verify, &|d| {
                bar.set_position(d);
                progress.report(Phase::Verify, d, to_read);
            })
            .or_exit(
                Exit::Internal,
                Said::new("err-cannot-read").arg("path", device.display().to_string()),
            )?;
            bar.finish_and_clear();
            verification.bytes_read = read;
            verification.seconds = (read_clock.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
            verification.direct_io = direct;
            judge(outcome, &mut verification, &mut notes, "note-not-erased")
        }
    };
    common_notes(p, method, status, false, &mut notes);
    // A finished overwrite whose read-back failed starts again from 0 next time; an
    // interrupted one resumes; an erased disk needs no state.
    if status == Status::Erased || (status == Status::Failed && done == target.size) {
        let _ = std::fs::remove_file(&state_path);
    }
    let rec = record_of(
        Run {
            o,
            p,
            device: device_text,
            serial,
            size: target.size,
            started,
            clock,
        },
        status,
        Sanitization {
            method,
            category: method.category(p.medium),
            description: method.description(),
            tool: "upcycle".into(),
            tool_version: env!("CARGO_PKG_VERSION").into(),
            pattern,
            block_bytes: overwrite::BLOCK as u64,
            direct_io: write_direct,
            bytes_written: done.saturating_sub(resumed_from),
            resumed_from,
            bytes_done: done,
            seconds: (write_seconds * 1000.0).round() / 1000.0,
        },
        verification,
        notes,
    );
    write_record(o, printer, &rec, ledger, owner.as_ref())
}

/// What one disk's run knows besides its method's own fields: for [`record_of`].
pub(crate) struct Run<'a> {
    pub o: &'a EraseOptions,
    pub p: &'a DiskPlan,
    /// The device as opened (`/dev/sda`).
    pub device: String,
    pub serial: Option<String>,
    /// The bytes the run covers (the whole disk, hidden areas opened or not).
    pub size: u64,
    pub started: String,
    pub clock: Instant,
}

/// The record of one disk's run, whichever method ran (upcycle's overwrite or the drive's
/// own erase): the medium, its hidden areas and health, the times, operator and workshop
/// are filled the same way for both; the method gives its sanitization and verification.
pub(crate) fn record_of(
    run: Run,
    status: Status,
    sanitization: Sanitization,
    verification: Verification,
    notes: Vec<Said>,
) -> ErasureRecord {
    let p = run.p;
    ErasureRecord {
        schema: record::SCHEMA.into(),
        status,
        media: Media {
            device: run.device,
            name: p.name.clone(),
            model: p.model.clone(),
            serial: run.serial,
            bus: p.bus,
            medium: p.medium,
            size_bytes: run.size,
        },
        hidden_areas: p.hidden,
        sanitization,
        verification,
        health: p.health.clone(),
        started: run.started,
        ended: now(),
        duration_seconds: run.clock.elapsed().as_secs(),
        operator: run.o.operator.clone(),
        workshop: run.o.workshop.clone(),
        destination: "reuse".into(),
        notes,
    }
}

/// Notes every record gets: an interruption, hidden areas, what an overwrite of flash
/// cannot reach.
/// `firmware_ran`: a drive's own erase ran to its end (an interruption came after it).
pub(crate) fn common_notes(p: &DiskPlan, method: Method, status: Status, firmware_ran: bool, notes: &mut Vec<Said>) {
    if status == Status::Interrupted {
        notes.push(Said::new(if firmware_ran {
            "note-interrupted-firmware"
        } else {
            "note-interrupted"
        }));
    }
    let (hpa, dco) = if method == Method::Overwrite {
        ("note-hpa", "note-dco")
    } else {
        ("note-hpa-firmware", "note-dco-firmware")
    };
    if let plan::AreaState::Present { sectors } = p.hidden.hpa {
        notes.push(Said::new(hpa).arg("sectors", sectors));
    }
    if let plan::AreaState::Present { sectors } = p.hidden.dco {
        notes.push(Said::new(dco).arg("sectors", sectors));
    }
    if method == Method::Overwrite && matches!(p.medium, plan::Medium::Ssd | plan::Medium::Flash) {
        notes.push(Said::new("note-flash"));
    }
}

/// The record and its certificate written (a new file each), the ledger told, the outcome
/// said: the end of every run on a disk.
fn write_record(
    o: &EraseOptions,
    printer: &Printer,
    rec: &ErasureRecord,
    ledger: Option<&mut Ledger>,
    owner: Option<&Owner>,
) -> Result<Exit, Failure> {
    let name = &rec.media.name;
    let status = rec.status;
    let yaml = rec.to_yaml();
    let stem = format!("erasure-{}-{name}", Utc::now().format("%Y%m%dT%H%M%SZ"));
    let path = record::write_new(&o.record_dir, &stem, "yaml", yaml.as_bytes()).or_exit(
        Exit::Internal,
        Said::new("err-erase-record-write").arg("path", o.record_dir.display().to_string()),
    )?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let html = record::certificate(rec, &yaml, &file_name, o.lang);
    let cert_stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or(stem);
    if let (Some(ledger), Some(owner)) = (ledger, owner) {
        ledger::record_in_ledger(printer, ledger, owner, rec, &path, yaml.as_bytes());
    }
    let cert = record::write_new(&o.record_dir, &cert_stem, "html", html.as_bytes())
        .or_exit(Exit::Internal, "cannot write the certificate")?;
    let (exit, word) = match status {
        Status::Erased => (Exit::Success, "erase-done-erased"),
        Status::Interrupted => (Exit::Interrupted, "erase-done-interrupted"),
        Status::Failed => (Exit::EraseFailed, "erase-done-failed"),
    };
    printer.status(&printer.format(
        "erase-done",
        &[
            ("name", name.as_str().into()),
            ("word", printer.text(word).into()),
            ("record", path.display().to_string().into()),
            ("certificate", cert.display().to_string().into()),
        ],
    ));
    printer.out(&format!("{}\n", path.display()));
    Ok(exit)
}

/// A read-back's outcome as the disk's status: the verification's result, where it failed,
/// and the note that says why (`mismatch`: the note for a byte that is not as it should be).
pub(crate) fn judge(
    outcome: Outcome,
    verification: &mut Verification,
    notes: &mut Vec<Said>,
    mismatch: &str,
) -> Status {
    match outcome {
        Outcome::Done => {
            verification.result = VerifyResult::Passed;
            Status::Erased
        }
        Outcome::Interrupted { .. } => Status::Interrupted,
        Outcome::Mismatch { at } => {
            verification.result = VerifyResult::Failed;
            verification.failed_at = Some(at);
            notes.push(Said::new(mismatch).arg("at", at));
            Status::Failed
        }
        Outcome::Failed { at, error } => {
            verification.result = VerifyResult::Failed;
            verification.failed_at = Some(at);
            notes.push(Said::new("note-read-failed").arg("at", at).arg("error", error));
            Status::Failed
        }
    }
}
