//! A drive's own erase as one run: its tools' commands (a sanitize followed to its end),
//! then upcycle's read-back, into the disk's record.

use std::time::Instant;

use super::{common_notes, judge, now};
use crate::erase::firmware::{self, Expect, SanitizeState};
use crate::erase::overwrite::{self, Outcome, Target};
use crate::erase::plan::{self, DiskFacts, DiskPlan, Method};
use crate::erase::record::{ErasureRecord, Sanitization, Status, Verification, VerifyResult};
use crate::erase::tools;
use crate::exit::{Exit, Failure, OrExit};
use crate::l10n::Said;
use crate::options::EraseOptions;
use crate::printer::Printer;

/// How often a running sanitize is asked how it is doing, and how many answers of "not
/// started" are taken before it counts as not started at all.
const POLL_EVERY: std::time::Duration = std::time::Duration::from_secs(2);
const IDLE_ANSWERS: u32 = 30;

/// A drive's own erase: its tool calls (sanitizes followed to their end), then upcycle's
/// read-back. Where the result is not defined as zeros, a fingerprint of the sampled slices
/// is taken before and compared after. The record says what ran and what was verified.
pub fn firmware_erase(
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
        let (outcome, slices) = overwrite::fingerprint(target).or_exit(
            Exit::Internal,
            Said::new("err-cannot-read").arg("path", device.display().to_string()),
        )?;
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
        let to_read = o.verify.bytes_read(target.size);
        let bar = printer.bytes_progress(to_read, &printer.format("erase-bar-verify", &[("name", name.into())]));
        let progress = crate::erase::progress::ProgressFile::new(o.progress_file.as_deref());
        let phase = crate::erase::progress::Phase::Verify;
        progress.report(phase, 0, to_read);
        let (outcome, read, direct) = overwrite::verify(target, 0, o.verify, &|d| {
            bar.set_position(d);
            progress.report(phase, d, to_read);
        })
        .or_exit(
            Exit::Internal,
            Said::new("err-cannot-read").arg("path", device.display().to_string()),
        )?;
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
                let compared = overwrite::compare(target, &before).or_exit(
                    Exit::Internal,
                    Said::new("err-cannot-read").arg("path", device.display().to_string()),
                )?;
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
    Ok(super::record_of(
        super::Run {
            o,
            p,
            device: device.display().to_string(),
            serial: f.serial().map(str::to_string),
            size: target.size,
            started,
            clock,
        },
        status,
        Sanitization {
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
        notes,
    ))
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
