//! `upcycle erase`: read the disks' facts, plan (pure), print the plan or carry it out
//! disk by disk: confirm, overwrite, read back, record. Records before and after each step:
//! the resume state before the first byte and at every checkpoint, the record (and its
//! certificate) after, whatever the outcome.

use std::io::BufRead;
use std::time::Instant;

use chrono::{SecondsFormat, Utc};

use crate::cli::Format;
use crate::erase::firmware::{self, Expect, SanitizeState};
use crate::erase::health::Verdict;
use crate::erase::overwrite::{self, Outcome, Target};
use crate::erase::plan::{self, Category, DiskFacts, DiskPlan, Method, Policy};
use crate::erase::record::{self, ErasureRecord, Media, Sanitization, Status, Verification, VerifyResult};
use crate::erase::{facts, state, tools};
use crate::exit::{Exit, Failure, OrExit};
use crate::l10n::{self, Arg, Lang, Said};
use crate::ledger::erasure::{ErasedDisk, ErasureCheck};
use crate::ledger::{ErasureEvent, Identifier, Ledger, Owner};
use crate::options::EraseOptions;
use crate::printer::Printer;
use crate::probe::SysRoot;
use crate::token::DiskName;

pub fn run(o: &EraseOptions, printer: &Printer) -> Result<Exit, Failure> {
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
        ..Policy::default()
    };
    let the_plan = plan::plan(&all, &policy);
    if o.plan_only {
        printer.out(&match o.format {
            Format::Json => serde_json::to_string_pretty(&the_plan).expect("the plan serialises") + "\n",
            Format::Yaml => crate::yaml::to_string(&the_plan),
            Format::Text => plan_text(&the_plan, printer.lang),
        });
        return Ok(Exit::Success);
    }
    // Opened before any disk is touched: a wrong --ledger stops the run, not the record.
    let mut ledger = open_ledger(o, printer)?;
    let mut worst = Exit::Success;
    for name in &names {
        let p = the_plan
            .disks
            .iter()
            .find(|d| &d.name == name)
            .expect("named disks are planned");
        let f = all.iter().find(|d| &d.name == name).expect("named disks have facts");
        let exit = erase_one(o, printer, p, f, ledger.as_mut(), &host)?;
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

/// The ledger the erasures go into: `--ledger` (it must exist: exit 3 otherwise, before
/// anything is erased), else the one in the record folder or the folder above it, if
/// there is one. erase never makes a ledger: a new one would know no laptop.
fn open_ledger(o: &EraseOptions, printer: &Printer) -> Result<Option<Ledger>, Failure> {
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

fn gb(lang: Lang, bytes: u64) -> String {
    format!("{} GB", l10n::decimal(lang, bytes as f64 / 1e9))
}

fn serial_tail(serial: &str) -> String {
    let chars: Vec<char> = serial.chars().filter(|c| !c.is_whitespace()).collect();
    chars[chars.len().saturating_sub(4)..].iter().collect()
}

fn duration(seconds: u64) -> String {
    if seconds >= 3600 {
        format!("{} h {} min", seconds / 3600, seconds % 3600 / 60)
    } else {
        format!("{} min", seconds.div_ceil(60))
    }
}

/// The plan for a person: one block per disk, in `lang`.
pub fn plan_text(p: &plan::ErasePlan, lang: Lang) -> String {
    let t = |id: &str| l10n::text(lang, id);
    let f = |id: &str, args: &[(&str, Arg)]| l10n::format(lang, id, args);
    let mut out = String::new();
    for d in &p.disks {
        out.push_str(&format!(
            "{}  {:?} {:?}  {}{}  {}\n",
            d.name,
            d.bus,
            d.medium,
            d.model.clone().unwrap_or_else(|| t("erase-unknown-model")),
            d.serial
                .as_deref()
                .map(|s| format!(" {}", f("plan-serial", &[("tail", serial_tail(s).into())])))
                .unwrap_or_default(),
            d.size_bytes
                .map(|b| gb(lang, b))
                .unwrap_or_else(|| t("refuse-size-unknown")),
        ));
        match (&d.refused, d.method) {
            (Some(r), _) => out.push_str(&format!(
                "    {}\n",
                f("plan-not-erased", &[("why", l10n::say(lang, r).into())])
            )),
            (None, Some(m)) => {
                let about = d
                    .estimated_seconds
                    .map(|s| f("plan-about", &[("time", duration(s).into())]))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "    {}\n",
                    f(
                        "plan-method",
                        &[
                            ("method", format!("{m:?}").into()),
                            (
                                "category",
                                format!("{:?}", d.category.unwrap_or(Category::Clear)).into()
                            ),
                            ("verify", format!("{:?}", d.verify).into()),
                            ("about", about.into()),
                        ]
                    )
                ));
            }
            (None, None) => {}
        }
        if let Some(s) = &d.security {
            let yes_no = |b: bool| t(if b { "plan-yes" } else { "plan-no" });
            let estimate = s
                .enhanced_erase_minutes
                .or(s.erase_minutes)
                .map(|m| f("plan-drive-estimate", &[("minutes", m.into())]))
                .unwrap_or_default();
            out.push_str(&format!(
                "    {}\n",
                f(
                    "plan-security",
                    &[
                        (
                            "supported",
                            t(if s.supported {
                                "plan-supported"
                            } else {
                                "plan-not-supported"
                            })
                            .into()
                        ),
                        (
                            "frozen",
                            t(if s.frozen { "plan-frozen" } else { "plan-not-frozen" }).into()
                        ),
                        ("enhanced", yes_no(s.enhanced_erase_supported).into()),
                        ("sanitize", yes_no(s.sanitize_supported).into()),
                        ("estimate", estimate.into()),
                    ]
                )
            ));
        }
        out.push_str(&format!(
            "    {}\n",
            f(
                "plan-hidden",
                &[
                    ("hpa", area(d.hidden.hpa, lang).into()),
                    ("dco", area(d.hidden.dco, lang).into())
                ]
            )
        ));
        let verdict = match d.health.verdict {
            Verdict::Replace => "plan-verdict-replace",
            Verdict::Watch => "plan-verdict-watch",
            Verdict::Good => "plan-verdict-good",
            Verdict::Unknown => "plan-verdict-unknown",
        };
        out.push_str("    ");
        out.push_str(&f("plan-health", &[("verdict", t(verdict).into())]));
        if !d.health.reasons.is_empty() {
            out.push_str(&format!(" ({})", reasons(lang, &d.health.reasons)));
        }
        out.push('\n');
        for a in &d.advice {
            out.push_str(&format!(
                "    {}\n",
                f("plan-advice", &[("advice", l10n::say(lang, a).into())])
            ));
        }
    }
    if p.disks.is_empty() {
        out.push_str(&t("plan-no-disks"));
        out.push('\n');
    }
    out
}

/// Health reasons in one line.
fn reasons(lang: Lang, reasons: &[l10n::Said]) -> String {
    reasons
        .iter()
        .map(|r| l10n::say(lang, r))
        .collect::<Vec<_>>()
        .join("; ")
}

fn area(a: plan::AreaState, lang: Lang) -> String {
    match a {
        plan::AreaState::None => l10n::text(lang, "plan-area-none"),
        plan::AreaState::Present { sectors } => l10n::format(lang, "plan-area-present", &[("sectors", sectors.into())]),
        plan::AreaState::Unknown => l10n::text(lang, "unknown"),
    }
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Ask the operator to type the serial's last characters (or the device name).
fn confirm(printer: &Printer, p: &DiskPlan, method: Method, size: u64) -> Result<bool, Failure> {
    let expected = match p.serial.as_deref().map(serial_tail).filter(|s| !s.is_empty()) {
        Some(tail) => tail,
        None => p.name.to_string(),
    };
    let question = printer.format(
        "erase-prompt",
        &[
            ("name", p.name.as_str().into()),
            (
                "model",
                p.model
                    .clone()
                    .unwrap_or_else(|| printer.text("erase-unknown-model"))
                    .into(),
            ),
            (
                "serial",
                p.serial
                    .as_deref()
                    .map(|s| printer.format("erase-prompt-serial", &[("tail", serial_tail(s).into())]))
                    .unwrap_or_default()
                    .into(),
            ),
            ("size", gb(printer.lang, size).into()),
            ("method", format!("{method:?}").into()),
            ("category", format!("{:?}", method.category(p.medium)).into()),
        ],
    );
    let type_it = if p.serial.is_some() {
        "erase-type-serial"
    } else {
        "erase-type-name"
    };
    printer.prompt(&format!(
        "{question}\n{}",
        printer.format(type_it, &[("expected", expected.as_str().into())])
    ));
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .or_exit(Exit::Internal, "cannot read the confirmation")?;
    Ok(line.trim().eq_ignore_ascii_case(&expected))
}

/// Which machine of the ledger the disk belongs to, said to the operator before erasing.
fn owner(
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

/// The `erased` event of a record written to `file` with these bytes.
fn erasure_event(rec: &ErasureRecord, file: &str, bytes: &[u8], found_by: &str) -> ErasureEvent {
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
    }
}

/// After the record is on disk: the `erased` event for its machine, or why there is none.
/// The record stays whatever happens here.
fn record_in_ledger(
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

fn erase_one(
    o: &EraseOptions,
    printer: &Printer,
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
    if let Some(missing) = firmware::steps(method, std::path::Path::new("/dev/x"))
        .iter()
        .filter(|s| !s.optional)
        .map(|s| s.tool)
        .find(|t| tools::find(*t).is_none())
    {
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
                anyhow::anyhow!("{}: {e}", device.display()),
            ));
        }
    };
    let owner = match &ledger {
        Some(l) => Some(owner(printer, l, host, p, f)?),
        None => None,
    };
    if !o.yes && !confirm(printer, p, method, target.size)? {
        printer.problem(&printer.format("erase-not-confirmed", &[("name", name.as_str().into())]));
        return Ok(Exit::EraseRefused);
    }
    overwrite::catch_interrupts();
    std::fs::create_dir_all(&o.record_dir)
        .or_exit(Exit::Internal, format!("cannot create {}", o.record_dir.display()))?;
    if method != Method::Overwrite {
        let rec = firmware_erase(o, printer, p, f, method, &device, &target)?;
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
    state::save(&state_path, &st).or_exit(Exit::Internal, format!("cannot write {}", state_path.display()))?;

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
        let (outcome, direct) = overwrite::overwrite(&target, pattern, resumed_from, &mut checkpoint, &|d| {
            bar.set_position(d)
        })
        .or_exit(Exit::Internal, format!("cannot write {}", device.display()))?;
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
            let bar = printer.bytes_progress(
                o.verify.bytes_read(target.size),
                &printer.format("erase-bar-verify", &[("name", name.as_str().into())]),
            );
            let (outcome, read, direct) = overwrite::verify(&target, pattern, o.verify, &|d| bar.set_position(d))
                .or_exit(Exit::Internal, format!("cannot read {}", device.display()))?;
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
    let rec = ErasureRecord {
        schema: record::SCHEMA.into(),
        status,
        media: Media {
            device: device_text,
            name: name.clone(),
            model: p.model.clone(),
            serial,
            bus: p.bus,
            medium: p.medium,
            size_bytes: target.size,
        },
        hidden_areas: p.hidden,
        sanitization: Sanitization {
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
        health: p.health.clone(),
        started,
        ended: now(),
        duration_seconds: clock.elapsed().as_secs(),
        operator: o.operator.clone(),
        workshop: o.workshop.clone(),
        destination: "reuse".into(),
        notes,
    };
    write_record(o, printer, &rec, ledger, owner.as_ref())
}

/// Notes every record gets: an interruption, hidden areas, what an overwrite of flash
/// cannot reach.
/// `firmware_ran`: a drive's own erase ran to its end (an interruption came after it).
fn common_notes(p: &DiskPlan, method: Method, status: Status, firmware_ran: bool, notes: &mut Vec<Said>) {
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
        format!("cannot write the record into {}", o.record_dir.display()),
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
        record_in_ledger(printer, ledger, owner, rec, &path, yaml.as_bytes());
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

/// How often a running sanitize is asked how it is doing, and how many answers of "not
/// started" are taken before it counts as not started at all.
const POLL_EVERY: std::time::Duration = std::time::Duration::from_secs(2);
const IDLE_ANSWERS: u32 = 30;

/// A drive's own erase: its tool calls (sanitizes followed to their end), then upcycle's
/// read-back. Where the result is not defined as zeros, a fingerprint of the sampled slices
/// is taken before and compared after. The record says what ran and what was verified.
fn firmware_erase(
    o: &EraseOptions,
    printer: &Printer,
    p: &DiskPlan,
    f: &DiskFacts,
    method: Method,
    device: &std::path::Path,
    target: &Target,
) -> Result<ErasureRecord, Failure> {
    let name = p.name.as_str();
    let started = now();
    let clock = Instant::now();
    let mut notes = Vec::new();
    let steps = firmware::steps(method, device);
    let expect = firmware::expect(method);
    let mut verification = Verification {
        method: o.verify.description(),
        result: VerifyResult::NotRun,
        bytes_read: 0,
        direct_io: false,
        failed_at: None,
        seconds: 0.0,
    };
    // Before: the sampled slices' SHA-256, for a result that is the vendor's.
    let mut before = Vec::new();
    let mut status = None;
    if expect == Expect::ZerosOrChanged {
        let (outcome, slices) =
            overwrite::fingerprint(target).or_exit(Exit::Internal, format!("cannot read {}", device.display()))?;
        match outcome {
            Outcome::Done => before = slices,
            Outcome::Interrupted { .. } => status = Some(Status::Interrupted),
            Outcome::Failed { at, error } => {
                notes.push(Said::new("note-read-failed").arg("at", at).arg("error", error));
                status = Some(Status::Failed);
            }
            // (a fingerprint takes every slice)
            Outcome::Mismatch { .. } => status = Some(Status::Failed),
        }
    }
    let write_clock = Instant::now();
    let before_failed = status.is_some();
    let mut ran_all = !before_failed;
    if status.is_none() {
        for step in &steps {
            if step.optional && tools::find(step.tool).is_none() {
                notes.push(
                    Said::new("note-tool-skipped")
                        .arg("tool", step.tool.command)
                        .arg("package", step.tool.package)
                        .arg("command", step.command_line()),
                );
                continue;
            }
            printer.status(&printer.format(
                "erase-firmware-running",
                &[("name", name.into()), ("command", step.command_line().into())],
            ));
            notes.push(Said::new("note-firmware-command").arg("command", step.command_line()));
            if let Err(why) = firmware::run_step(step) {
                notes.push(why);
                notes.push(Said::new("note-try-overwrite"));
                if method == Method::AtaSecureErase || method == Method::AtaEnhancedSecureErase {
                    notes.push(
                        Said::new("note-ata-password")
                            .arg("password", firmware::ATA_PASSWORD)
                            .arg("name", name),
                    );
                }
                ran_all = false;
                break;
            }
            if let Some(poll) = step.poll
                && let Err(why) = follow(printer, poll, device, name)
            {
                notes.push(why);
                ran_all = false;
                break;
            }
        }
        if !ran_all {
            status = Some(Status::Failed);
        }
    }
    let write_seconds = write_clock.elapsed().as_secs_f64();
    // After: upcycle's own read-back.
    if status.is_none() {
        let read_clock = Instant::now();
        let bar = printer.bytes_progress(
            o.verify.bytes_read(target.size),
            &printer.format("erase-bar-verify", &[("name", name.into())]),
        );
        let (outcome, read, direct) = overwrite::verify(target, 0, o.verify, &|d| bar.set_position(d))
            .or_exit(Exit::Internal, format!("cannot read {}", device.display()))?;
        bar.finish_and_clear();
        verification.bytes_read = read;
        verification.direct_io = direct;
        status = Some(match outcome {
            Outcome::Done => {
                verification.result = VerifyResult::Passed;
                Status::Erased
            }
            Outcome::Interrupted { .. } => Status::Interrupted,
            Outcome::Mismatch { at } if expect == Expect::ZerosOrChanged => {
                // Not zeros, which this method does not promise: the old content must be gone.
                notes.push(Said::new("note-not-zeros").arg("at", at));
                let compared = overwrite::compare(target, &before)
                    .or_exit(Exit::Internal, format!("cannot read {}", device.display()))?;
                verification.bytes_read += before.iter().map(|s| s.len).sum::<u64>();
                verification.method = Said::new("verify-changed")
                    .arg("slices", before.len() as u64)
                    .arg("edge", plan::SAMPLE_EDGE / plan::MIB)
                    .arg("slice", plan::SAMPLE_SLICE / plan::MIB)
                    .arg("stride", plan::SAMPLE_STRIDE / plan::MIB);
                judge(compared, &mut verification, &mut notes, "note-old-content")
            }
            other => judge(other, &mut verification, &mut notes, "note-not-erased"),
        });
        verification.seconds = (read_clock.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
    }
    let status = status.unwrap_or(Status::Failed);
    common_notes(p, method, status, ran_all, &mut notes);
    let tool = steps.first().map(|s| s.tool).expect("a firmware method has steps");
    Ok(ErasureRecord {
        schema: record::SCHEMA.into(),
        status,
        media: Media {
            device: device.display().to_string(),
            name: p.name.clone(),
            model: p.model.clone(),
            serial: f.serial().map(str::to_string),
            bus: p.bus,
            medium: p.medium,
            size_bytes: target.size,
        },
        hidden_areas: p.hidden,
        sanitization: Sanitization {
            method,
            category: method.category(p.medium),
            description: method.description(),
            tool: format!("{} (upcycle {})", tool.command, env!("CARGO_PKG_VERSION")),
            tool_version: firmware::tool_version(tool).unwrap_or_else(|| "?".into()),
            pattern: 0,
            block_bytes: 0,
            direct_io: false,
            bytes_written: 0,
            resumed_from: 0,
            // what the drive's own erase covered, by its account: every sector, when it ran
            bytes_done: if ran_all { target.size } else { 0 },
            seconds: (write_seconds * 1000.0).round() / 1000.0,
        },
        verification,
        health: p.health.clone(),
        started,
        ended: now(),
        duration_seconds: clock.elapsed().as_secs(),
        operator: o.operator.clone(),
        workshop: o.workshop.clone(),
        destination: "reuse".into(),
        notes,
    })
}

/// Follow a background sanitize to its end, with a progress bar of its percentage. Err:
/// why it did not succeed (failed, frozen, never started, the tool's own error).
fn follow(printer: &Printer, poll: firmware::Poll, device: &std::path::Path, name: &str) -> Result<(), Said> {
    let bar = printer.progress(100, &printer.format("erase-bar-sanitize", &[("name", name.into())]));
    let mut idle = 0;
    let result = loop {
        match firmware::poll(poll, device)? {
            Some(SanitizeState::Succeeded) => break Ok(()),
            Some(SanitizeState::InProgress(percent)) => {
                idle = 0;
                bar.set_position(percent.unwrap_or(0).into());
            }
            Some(SanitizeState::Failed) => break Err(Said::new("note-sanitize-failed")),
            Some(SanitizeState::Frozen) => break Err(Said::new("advice-frozen")),
            Some(SanitizeState::Idle) | None => {
                idle += 1;
                if idle >= IDLE_ANSWERS {
                    break Err(Said::new("note-sanitize-not-started"));
                }
            }
        }
        std::thread::sleep(POLL_EVERY);
    };
    bar.finish_and_clear();
    result
}

/// A read-back's outcome as the disk's status: the verification's result, where it failed,
/// and the note that says why (`mismatch`: the note for a byte that is not as it should be).
fn judge(outcome: Outcome, verification: &mut Verification, notes: &mut Vec<Said>, mismatch: &str) -> Status {
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
