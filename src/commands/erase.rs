//! `upcycle erase`: read the disks' facts, plan (pure), print the plan or carry it out
//! disk by disk: confirm, overwrite, read back, record. Records before and after each step:
//! the resume state before the first byte and at every checkpoint, the record (and its
//! certificate) after, whatever the outcome.

use std::io::BufRead;
use std::time::Instant;

use chrono::{SecondsFormat, Utc};

use crate::cli::Format;
use crate::erase::health::Verdict;
use crate::erase::overwrite::{self, Outcome, Target};
use crate::erase::plan::{self, Category, DiskFacts, DiskPlan, Method, Policy};
use crate::erase::record::{self, ErasureRecord, Media, Sanitization, Status, Verification, VerifyResult};
use crate::erase::{facts, state};
use crate::exit::{Exit, Failure, OrExit};
use crate::l10n::{self, Arg, Lang, Said};
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
    let all = gather(o, &names)?;
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
    let mut worst = Exit::Success;
    for name in &names {
        let p = the_plan
            .disks
            .iter()
            .find(|d| &d.name == name)
            .expect("named disks are planned");
        let f = all.iter().find(|d| &d.name == name).expect("named disks have facts");
        let exit = erase_one(o, printer, p, f)?;
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
/// tools run only for the disks in scope (the named ones, or all for a plan of all).
fn gather(o: &EraseOptions, names: &[DiskName]) -> Result<Vec<DiskFacts>, Failure> {
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
    Ok(all)
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

fn erase_one(o: &EraseOptions, printer: &Printer, p: &DiskPlan, f: &DiskFacts) -> Result<Exit, Failure> {
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
    if !method.runnable() {
        printer.problem(&printer.format(
            "erase-not-runnable",
            &[("name", name.as_str().into()), ("method", format!("{method:?}").into())],
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
    if !o.yes && !confirm(printer, p, method, target.size)? {
        printer.problem(&printer.format("erase-not-confirmed", &[("name", name.as_str().into())]));
        return Ok(Exit::EraseRefused);
    }
    overwrite::catch_interrupts();
    std::fs::create_dir_all(&o.record_dir)
        .or_exit(Exit::Internal, format!("cannot create {}", o.record_dir.display()))?;
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
            match outcome {
                Outcome::Done => {
                    verification.result = VerifyResult::Passed;
                    Status::Erased
                }
                Outcome::Interrupted { .. } => Status::Interrupted,
                Outcome::Mismatch { at } => {
                    verification.result = VerifyResult::Failed;
                    verification.failed_at = Some(at);
                    notes.push(Said::new("note-not-erased").arg("at", at));
                    Status::Failed
                }
                Outcome::Failed { at, error } => {
                    verification.result = VerifyResult::Failed;
                    verification.failed_at = Some(at);
                    notes.push(
                        Said::new("note-read-failed")
                            .arg("at", at)
                            .arg("error", error.to_string()),
                    );
                    Status::Failed
                }
            }
        }
    };
    if status == Status::Interrupted {
        notes.push(Said::new("note-interrupted"));
    }
    if let plan::AreaState::Present { sectors } = p.hidden.hpa {
        notes.push(Said::new("note-hpa").arg("sectors", sectors));
    }
    if let plan::AreaState::Present { sectors } = p.hidden.dco {
        notes.push(Said::new("note-dco").arg("sectors", sectors));
    }
    if matches!(p.medium, plan::Medium::Ssd | plan::Medium::Flash) {
        notes.push(Said::new("note-flash"));
    }
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
    let html = record::certificate(&rec, &yaml, &file_name, o.lang);
    let cert_stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or(stem);
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
