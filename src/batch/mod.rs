//! Batch: a whole room of laptops at once. Inputs are found (sorted) and read once in
//! parallel (with each machine's identifiers for the ledger and, for a room, its report;
//! YAML that is not a report is left out), then recognised or numbered by the workshop ledger in one thread
//! (one intake each, in input order) while the workers select and render each machine
//! whose intake is done; bundles are written once the intake is committed. One broken
//! input never stops the others. Every bundle written is recorded in the ledger after it
//! is on disk. The external validators run once per kind of file on a thread of their
//! own, over everything new since their last run at once; a bundle waits in memory
//! (bounded) until its kinds have their verdict. Re-running with the same inputs gives the
//! same bytes, and a bundle whose content did not change is not rewritten.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::NaiveDate;

use crate::bundle::Bundle;
use crate::capture::Limits;
use crate::catalog::Catalog;
use crate::inventory::Row;
use crate::l10n::{self, Lang};
use crate::ledger::{self, Intake, Ledger, LedgerError};
use crate::ops;
use crate::token::InstallToken;
use in_order::{EndOnDrop, InOrder};
use verdicts::{FinishOnDrop, Verdicts};

mod in_order;
mod inputs;
mod verdicts;

use crate::render::Templates;
use crate::report::HardwareReport;
use crate::validate::{self, Tool};
use crate::workshop::Workshop;
use inputs::Read;
pub use inputs::{Found, Input, InputKind, Machines, discover, not_a_report, read};

/// What a batch needs besides its inputs.
pub struct Settings<'a> {
    pub catalog: &'a Catalog,
    pub workshop: &'a Workshop,
    pub templates: &'a Templates,
    pub today: NaiveDate,
    pub out_dir: &'a Path,
    pub jobs: usize,
    /// Run the external validators on every bundle, not once per kind of bundle.
    pub validate_all: bool,
    /// For unpacking `.tar.gz` captures.
    pub limits: Limits,
    /// Validators the user chose to skip (`--skip-validator`).
    pub skip: &'a BTreeSet<Tool>,
    /// The workshop ledger: numbers and names, and a record of every bundle written.
    pub ledger: &'a Mutex<Ledger>,
}

/// The outcome of a batch.
#[derive(Debug)]
pub struct Outcome {
    pub rows: Vec<Row>,
    /// Each row's machine in the ledger (`None`: the input was refused before).
    pub machines: Vec<Option<ledger::Machine>>,
    /// Bundles written (new or changed) and left as they were.
    pub written: usize,
    pub unchanged: usize,
}

impl Outcome {
    pub fn failed(&self) -> usize {
        self.rows.iter().filter(|r| !r.is_ok()).count()
    }
}

/// Pass 2: the ledger recognises or numbers every machine (in input order, one intake
/// each, in one thread), and every machine's report (read in pass 1) is processed and
/// streamed to its row: a machine as soon as its intake is done, its bundle written once
/// the whole intake is in the ledger. `progress` is called once per finished machine with
/// its asset id. An error of the ledger itself (not a conflict) stops the run, before any
/// bundle is written.
pub fn run(machines: &Machines, settings: &Settings, progress: &(dyn Fn(&str) + Sync)) -> Result<Outcome, LedgerError> {
    let machines = &machines.machines;
    let assigned: InOrder<Result<Assigned, String>> = InOrder::new(machines.len());

    let written = AtomicUsize::new(0);
    let unchanged = AtomicUsize::new(0);
    let verdicts: Verdicts<Box<Rendered>> = Verdicts::default();
    let counters = Written {
        written: &written,
        unchanged: &unchanged,
        pending: Mutex::default(),
        unrecorded: Mutex::default(),
        intake: &assigned,
    };
    let (rows, intake): (Vec<Option<Row>>, _) = std::thread::scope(|s| {
        let intake = s.spawn(|| {
            let _end = EndOnDrop(&assigned);
            intake_all(machines, settings, &assigned)
        });
        let validator = s.spawn(|| {
            let mut rows = Vec::new();
            let mut checked = validate::CheckedCommands::default();
            verdicts.check_until_finished(
                |queue| run_tools(queue, settings.skip, &mut checked),
                |i, rendered, verdict| rows.push((i, rendered.finish(verdict, settings, &counters))),
            );
            rows
        });
        // The validator ends when told no more bundles come, also if a worker panicked.
        let _finish = FinishOnDrop(&verdicts);
        let mut rows = in_parallel(settings.jobs, machines.len(), |i| {
            let (input, first) = &machines[i];
            let source = input.path.display().to_string();
            let report = match first {
                Ok(read) => read.report(input, &settings.limits),
                Err(e) => Err(e.clone()),
            };
            let report = report.as_deref();
            // None: the intake failed (the run stops; nothing is written)
            let row = match (&report, assigned.wait(i)?) {
                (Err(e), _) => Some(Row::failed("", &source, None, e)),
                (Ok(report), Err(why)) => Some(Row::failed("", &source, Some(*report), why)),
                (Ok(report), Ok((machine, token))) => {
                    match catch_bug(
                        || process(report, machine, token, &source, settings),
                        settings.workshop.language,
                    ) {
                        Err(why) => Some(Row::failed(&machine.hostname, &source, Some(*report), &why)),
                        Ok(Err(row)) => Some(*row),
                        Ok(Ok(bundle)) if settings.validate_all => Some(bundle.finish_now(settings, &counters)),
                        Ok(Ok(bundle)) => {
                            // A parked bundle counts as done here; the validator decides its row.
                            progress(&bundle.ok.asset_id);
                            return verdicts
                                .decide_or_park(i, bundle)
                                .map(|(bundle, verdict)| bundle.finish(verdict, settings, &counters));
                        }
                    }
                }
            };
            progress(&row.as_ref().expect("set above").asset_id);
            row
        });
        verdicts.finish();
        for (i, row) in validator.join().expect("the validator does not panic") {
            rows[i] = Some(row);
        }
        (rows, intake.join())
    });
    match intake {
        Ok(result) => result?,
        Err(panic) => std::panic::resume_unwind(panic),
    }
    counters.queue(None, true, settings);
    let mut rows: Vec<Row> = rows
        .into_iter()
        .map(|r| r.expect("every machine has its row"))
        .collect();
    // A group the ledger refused: its bundles are written but not recorded.
    let unrecorded: HashMap<i64, String> = counters
        .unrecorded
        .into_inner()
        .expect("no panics hold the records")
        .into_iter()
        .collect();
    let assigned = assigned.into_vec().expect("a finished intake assigned every machine");
    for (row, assigned) in rows.iter_mut().zip(&assigned) {
        if let Ok((machine, _)) = assigned
            && let Some(e) = unrecorded.get(&machine.id)
        {
            let why = l10n::format(
                settings.workshop.language,
                "row-not-recorded",
                &[("error", e.clone().into())],
            );
            row.status = format!("failed: {}", crate::render::one_line(&why));
        }
    }
    Ok(Outcome {
        rows,
        machines: assigned.into_iter().map(|a| a.ok().map(|(m, _)| m)).collect(),
        written: written.into_inner(),
        unchanged: unchanged.into_inner(),
    })
}

/// A machine as the ledger gave it to an input, with its install token.
type Assigned = (ledger::Machine, InstallToken);

/// Every input's machine in the ledger, or why it has none: unreadable, a second capture
/// of a machine an earlier input is, or a host name another machine has.
/// Each one pushed to `out` as it is done, in input order; `out` is finished once they
/// are committed (bundles are written only then).
fn intake_all(
    machines: &[(&Input, Result<Box<Read>, String>)],
    settings: &Settings,
    out: &InOrder<Result<Assigned, String>>,
) -> Result<(), LedgerError> {
    let mut ledger = settings.ledger.lock().expect("no panics hold the ledger");
    let mut intakes = ledger.intakes()?;
    let mut claimed = HashMap::new();
    for (input, loaded) in machines {
        let Ok(read) = loaded else {
            out.push(Err(String::new()));
            continue;
        };
        let identity = &read.identity;
        let serial = identity.serial.as_deref();
        let rule = |n: u32| settings.workshop.hostname_for(n as usize, serial);
        let source = input.path.display().to_string();
        let intake = Intake {
            identifiers: &identity.identifiers,
            model: identity.model.as_deref(),
            input: &source,
            source: "batch",
            hostname_for: &rule,
            wanted_number: None,
            claimed: &claimed,
        };
        match intakes.record(&intake) {
            Ok(r) => {
                claimed.insert(r.machine.id, source.clone());
                out.push(Ok((r.machine, r.token)));
            }
            Err(LedgerError::Conflict(c)) => out.push(Err(format!("{c}"))),
            Err(e) => return Err(e),
        }
    }
    intakes.commit()?;
    out.finish();
    Ok(())
}

/// The inventory as the ledger sees it, by number: this run's rows, and every machine of
/// the ledger that was not among the inputs, with the row of its last bundle (or only its
/// model) and a status that says it is not current; inputs the ledger refused come last.
/// The statuses are said in `lang` (the workshop's, as the inventory). Takes the run's
/// rows (an [`Outcome`]'s, with its `machines`) instead of copying them.
pub fn inventory_rows(
    rows: Vec<Row>,
    machines: &[Option<ledger::Machine>],
    ledger: &Ledger,
    lang: Lang,
) -> Result<Vec<Row>, LedgerError> {
    let present: HashSet<i64> = machines.iter().flatten().map(|m| m.id).collect();
    let bundles = ledger.last_bundles_of(|m| !present.contains(&m))?;
    let erasures = ledger.erasure_states()?;
    let mut numbered: Vec<(u32, Row)> = Vec::new();
    let mut refused = Vec::new();
    for (mut row, machine) in rows.into_iter().zip(machines) {
        match machine {
            Some(m) => {
                row.set_erasure(erasures.get(&m.id));
                numbered.push((m.number, row));
            }
            None => refused.push(row),
        }
    }
    for m in ledger.machines()? {
        if present.contains(&m.id) {
            continue;
        }
        let last = bundles.get(&m.id);
        let mut row = last
            .and_then(|(_, b)| serde_json::from_value::<Row>(b.row.clone()).ok())
            .unwrap_or_else(|| {
                let mut r = Row::failed(&m.hostname, "", None, "");
                r.model = m.model.clone().unwrap_or_default();
                r
            });
        row.asset_id = m.hostname.clone();
        row.status = match last {
            Some((time, _)) => l10n::format(lang, "row-not-in-run", &[("date", time[..time.len().min(10)].into())]),
            None => l10n::text(lang, "row-not-in-run-no-bundle"),
        };
        row.set_erasure(erasures.get(&m.id));
        numbered.push((m.number, row));
    }
    numbered.sort_by_key(|(n, _)| *n);
    Ok(numbered.into_iter().map(|(_, r)| r).chain(refused).collect())
}

/// Run one machine's work; a panic (a bug) becomes that machine's failure instead of
/// ending the batch, so the other machines' bundles and the inventory are still written.
/// (Release builds unwind for this: see "Choices" in docs/ARCHITECTURE.md.)
fn catch_bug<T>(work: impl FnOnce() -> T, lang: Lang) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).map_err(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        l10n::format(lang, "row-bug", &[("what", what.into())])
    })
}

/// `f(0) .. f(n-1)` on `jobs` threads (each takes the next index when it is free), in
/// index order.
fn in_parallel<T: Send>(jobs: usize, n: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<T>>> = Mutex::new((0..n).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..jobs.clamp(1, n.max(1)) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= n {
                        break;
                    }
                    let value = f(i);
                    results.lock().expect("no panics hold the lock")[i] = Some(value);
                }
            });
        }
    });
    results
        .into_inner()
        .expect("threads finished")
        .into_iter()
        .map(|r| r.expect("every index done"))
        .collect()
}

/// A machine's bundle, rendered and checked in process, waiting for the external tools.
struct Rendered {
    bundle: Bundle,
    /// (file name, kind) of each file: see [`process`].
    kinds: Vec<(String, String)>,
    ok: Row,
    /// The row if validation fails, its reason still to be added.
    failed: Row,
    /// The machine's id in the ledger.
    machine: i64,
    profile: String,
}

/// Select, render and run the in-process checks for machine `index` (0-based): the bundle
/// for the external tools, or the row of a machine that failed before them.
fn process(
    report: &HardwareReport,
    machine: &ledger::Machine,
    token: &InstallToken,
    source: &str,
    settings: &Settings,
) -> Result<Box<Rendered>, Box<Row>> {
    // How the tests (and scripts/test-static.sh on the release binary) make a bug happen.
    if std::env::var_os(PANIC_FOR_TESTS).is_some_and(|v| !v.is_empty() && source.contains(&*v.to_string_lossy())) {
        panic!("{PANIC_FOR_TESTS} names {source}");
    }
    let inputs = ops::Inputs {
        catalog: settings.catalog,
        templates: settings.templates,
        workshop: settings.workshop,
        today: settings.today,
        wanted: None,
        skip: settings.skip,
        lang: settings.workshop.language,
        accessibility: None,
    };
    let ops::Prepared {
        hostname,
        selection,
        bundle,
    } = match ops::prepare(report, &inputs, &machine.hostname, token) {
        Ok(p) => p,
        Err(e) => {
            return Err(Box::new(Row::failed(
                &machine.hostname,
                source,
                Some(report),
                &row_reason(&e),
            )));
        }
    };
    // The external validators take ~0.1 s a run. Without --validate-all they run once per
    // kind of file in a run: files whose text is the same once this machine's own values
    // are masked (see `validate::kind_key`). In-process checks (autoinstall schema, password
    // scan) ran above on every file.
    let masker = validate::Masker::new(&bundle.machine_values);
    let kinds: Vec<(String, String)> = bundle
        .files
        .iter()
        .filter(|f| validate::needs_tools(&f.path))
        .map(|f| (f.path.clone(), masker.kind_key(f.text())))
        .collect();
    let profile = selection.chosen.as_ref().map(|c| c.profile.clone()).unwrap_or_default();
    Ok(Box::new(Rendered {
        bundle,
        kinds,
        ok: Row::ok(&hostname, source, report, &selection, settings.workshop.language),
        failed: Row::failed(&hostname, source, Some(report), ""),
        machine: machine.id,
        profile,
    }))
}

/// Set to part of an input's path, this makes processing that input panic: the tests'
/// way to show that one bug fails one machine, not the batch.
pub const PANIC_FOR_TESTS: &str = "UPCYCLE_TEST_PANIC";

/// Why no profile fits, each reason once with the profiles it holds for (`a, b: reason;
/// c: other reason`), in the order first met: a reason most profiles share (a CPU without
/// cmov: all of them) is one long sentence, said once instead of once per profile.
fn rejections_text(lang: Lang, rejected: &[crate::select::Rejected]) -> String {
    let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
    for r in rejected {
        for reason in &r.reasons {
            let said = l10n::say(lang, reason);
            match groups.iter_mut().find(|(text, _)| *text == said) {
                Some((_, profiles)) => profiles.push(&r.profile),
                None => groups.push((said, vec![&r.profile])),
            }
        }
    }
    groups
        .iter()
        .map(|(text, profiles)| format!("{}: {text}", profiles.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A failed machine's reason in the inventory: one line, as the volunteer reads it.
fn row_reason(e: &ops::GenerateError) -> String {
    match e {
        ops::GenerateError::NoProfileFits { rejected, lang } => l10n::format(
            *lang,
            "row-no-profile-fits",
            &[("why", rejections_text(*lang, rejected).into())],
        ),
        ops::GenerateError::Invalid { findings, lang, .. } => {
            l10n::format(*lang, "row-invalid", &[("findings", findings.trim().into())])
        }
        other => other.to_string(),
    }
}

impl verdicts::Waiting for Box<Rendered> {
    fn kinds(&self) -> &[verdicts::Kind] {
        &self.kinds
    }

    type Sample = Sample;

    fn sample_of(&self, file: &str) -> Sample {
        Sample {
            text: self.bundle.get(file).map(|f| f.data.clone()).unwrap_or_default(),
            values: self.bundle.machine_values.clone(),
        }
    }
}

/// One file of a kind for the tools: its text and its machine's own values (so that the
/// preseed's commands, which hold them too, are checked once per kind of command).
pub struct Sample {
    text: String,
    values: Vec<(&'static str, String)>,
}

/// The external tools over files of many bundles at once: one verdict per queued kind.
fn run_tools(
    queue: &[(verdicts::Kind, Sample)],
    skip: &BTreeSet<Tool>,
    checked: &mut validate::CheckedCommands,
) -> Vec<verdicts::Verdict> {
    let files: Vec<validate::Labelled> = queue
        .iter()
        .enumerate()
        .map(|(label, ((name, _), sample))| validate::Labelled {
            label,
            name,
            contents: &sample.text,
            values: &sample.values,
        })
        .collect();
    // Missing tools were refused before the batch started (`validate::require`); skipped
    // ones are not run and the bundles say so (NOT-CHECKED.txt).
    let (errors, _) = validate::external(&files, skip, checked);
    (0..queue.len())
        .map(|label| {
            let mine: Vec<validate::Finding> = errors
                .iter()
                .filter(|(l, _)| *l == label)
                .map(|(_, f)| f.clone())
                .collect();
            if mine.is_empty() {
                Ok(())
            } else {
                Err(validate::describe(&mine).trim().to_string())
            }
        })
        .collect()
}

/// Bundle records that wait for their transaction: one transaction per bundle would write
/// the same pages of the ledger once per machine. A run killed before a group is recorded
/// leaves its bundles on disk unrecorded; the next run records them (`Rendered::record`).
const RECORDS_PER_TRANSACTION: usize = 128;

/// What written bundles leave: their counts, and their ledger records waiting for their group.
struct Written<'a> {
    written: &'a AtomicUsize,
    unchanged: &'a AtomicUsize,
    pending: Mutex<Vec<(i64, ledger::BundleRecord)>>,
    /// Machines whose bundle was written but whose group the ledger refused, and why.
    unrecorded: Mutex<Vec<(i64, String)>>,
    /// The intake: a bundle is written only after all of it is in the ledger.
    intake: &'a InOrder<Result<Assigned, String>>,
}

impl Written<'_> {
    /// Queue a record; record the group when it is full (or `all`: whatever waits).
    fn queue(&self, record: Option<(i64, ledger::BundleRecord)>, all: bool, settings: &Settings) {
        let group = {
            let mut pending = self.pending.lock().expect("no panics hold the records");
            pending.extend(record);
            if pending.is_empty() || (!all && pending.len() < RECORDS_PER_TRANSACTION) {
                return;
            }
            std::mem::take(&mut *pending)
        };
        let refs: Vec<(i64, &ledger::BundleRecord)> = group.iter().map(|(m, r)| (*m, r)).collect();
        let result = settings
            .ledger
            .lock()
            .expect("no panics hold the ledger")
            .record_bundles("batch", &refs);
        if let Err(e) = result {
            let why = e.to_string();
            let mut unrecorded = self.unrecorded.lock().expect("no panics hold the records");
            unrecorded.extend(group.iter().map(|(m, _)| (*m, why.clone())));
        }
    }
}

impl Rendered {
    /// `--validate-all`: every tool on every file of this bundle, then write it.
    fn finish_now(self, settings: &Settings, counters: &Written) -> Row {
        let report = validate::validate_external(&self.bundle, settings.skip);
        let verdict = if report.ok() {
            Ok(())
        } else {
            Err(validate::describe(&report.errors).trim().to_string())
        };
        self.finish(verdict, settings, counters)
    }

    /// Write the bundle if validation passed, then record it in the ledger; the row
    /// either way.
    fn finish(self, verdict: Result<(), String>, settings: &Settings, counters: &Written) -> Row {
        let fail = |mut row: Row, why: &str| {
            row.status = format!("failed: {}", crate::render::one_line(why));
            row
        };
        let lang = settings.workshop.language;
        if let Err(e) = verdict {
            return fail(
                self.failed,
                &l10n::format(lang, "row-invalid", &[("findings", e.into())]),
            );
        }
        if !counters.intake.wait_end() {
            // the ledger failed: the run stops with its error, this row is not shown
            return fail(self.failed, "");
        }
        let written = match write_if_changed(&self.bundle, settings.out_dir) {
            Ok(w) => w,
            Err(e) => return fail(self.failed, &e),
        };
        // after the bundle is on disk: a bundle event always names a bundle that exists
        match self.record(written, settings) {
            Ok(record) => counters.queue(record, false, settings),
            Err(e) => {
                return fail(
                    self.failed,
                    &l10n::format(lang, "row-not-recorded", &[("error", e.to_string().into())]),
                );
            }
        }
        let counter = if written { counters.written } else { counters.unchanged };
        counter.fetch_add(1, Ordering::SeqCst);
        self.ok
    }

    /// The bundle's record for the ledger: when written, or unchanged but not recorded
    /// yet (a run killed between writing and recording).
    fn record(&self, written: bool, settings: &Settings) -> Result<Option<(i64, ledger::BundleRecord)>, LedgerError> {
        let (digest, files) = self.bundle.digests();
        if !written {
            let ledger = settings.ledger.lock().expect("no panics hold the ledger");
            if ledger.last_bundle_digest(self.machine)?.as_deref() == Some(digest.as_str()) {
                return Ok(None);
            }
        }
        let record = ledger::BundleRecord {
            profile: self.profile.clone(),
            digest,
            files,
            row: serde_json::to_value(&self.ok).expect("a row serialises"),
        };
        Ok(Some((self.machine, record)))
    }
}

/// Write the bundle unless the directory already holds exactly these files.
fn write_if_changed(bundle: &Bundle, out_dir: &Path) -> Result<bool, String> {
    let dir = out_dir.join(&bundle.asset_id);
    if dir.is_dir() {
        let same = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0) == bundle.files.len()
            && bundle
                .files
                .iter()
                .all(|f| std::fs::read(dir.join(&f.path)).is_ok_and(|b| b == f.data.as_bytes()));
        if same {
            return Ok(false);
        }
    }
    bundle.write_to(out_dir, true).map_err(|e| e.to_string())?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_several_profiles_share_is_said_once_with_their_names() {
        use crate::l10n::Said;
        use crate::select::Rejected;
        let cmov = || Said::new("reject-needs-cmov");
        let rejected = vec![
            Rejected {
                profile: "a".into(),
                reasons: vec![cmov()],
            },
            Rejected {
                profile: "b".into(),
                reasons: vec![Said::new("reject-needs-64bit"), cmov()],
            },
            Rejected {
                profile: "c".into(),
                reasons: vec![cmov(), Said::new("reject-needs-64bit")],
            },
        ];
        let cmov_text = l10n::say(Lang::De, &cmov());
        let bits_text = l10n::say(Lang::De, &Said::new("reject-needs-64bit"));
        assert_eq!(
            rejections_text(Lang::De, &rejected),
            format!("a, b, c: {cmov_text}; b, c: {bits_text}")
        );
    }

    /// The embedded catalog, workshop and templates, for [`Settings`].
    struct Fixed {
        catalog: Catalog,
        workshop: Workshop,
        templates: Templates,
    }

    impl Fixed {
        fn embedded() -> Fixed {
            Fixed {
                catalog: crate::catalog::load::load(None).unwrap().0,
                workshop: Workshop::embedded(),
                templates: Templates::embedded().unwrap(),
            }
        }

        /// One job, every validator run unless skipped.
        fn settings<'a>(&'a self, out: &'a Path, skip: &'a BTreeSet<Tool>, ledger: &'a Mutex<Ledger>) -> Settings<'a> {
            Settings {
                catalog: &self.catalog,
                workshop: &self.workshop,
                templates: &self.templates,
                today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
                out_dir: out,
                jobs: 1,
                validate_all: false,
                limits: Limits::default(),
                skip,
                ledger,
            }
        }
    }

    /// `n` report files in `dir` (`00.json` ..), one Eee PC 1000H with its own serial each.
    fn eeepc_reports(dir: &Path, n: usize) -> Vec<Input> {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/machines/asus-eeepc-1000h/root");
        let mut report = crate::machine::probe_path(&fixture, false, &Limits::default()).unwrap();
        std::fs::create_dir(dir).unwrap();
        for i in 0..n {
            report.machine.serial = Some(format!("SER{i:04}"));
            std::fs::write(
                dir.join(format!("{i:02}.json")),
                serde_json::to_string(&report).unwrap(),
            )
            .unwrap();
        }
        discover(&[dir.to_path_buf()]).inputs
    }

    #[test]
    fn reports_beyond_the_kept_ones_are_read_again() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("in");
        let inputs = eeepc_reports(&dir, 3);
        let machines = inputs::read_keeping(&inputs, 1, &Limits::default(), 1);
        // the first report was kept; the others are read again, and the last one is gone
        std::fs::remove_file(dir.join("00.json")).unwrap();
        std::fs::remove_file(dir.join("02.json")).unwrap();
        let fixed = Fixed::embedded();
        let out = tmp.path().join("out");
        let ledger = Mutex::new(Ledger::open_or_create(&tmp.path().join("ledger.sqlite")).unwrap());
        let skip: BTreeSet<Tool> = Tool::ALL.into();
        let outcome = run(&machines, &fixed.settings(&out, &skip, &ledger), &|_| {}).unwrap();
        let ok: Vec<bool> = outcome.rows.iter().map(Row::is_ok).collect();
        assert_eq!(ok, [true, true, false]);
        assert!(
            outcome.rows[2].status.contains("cannot read"),
            "{}",
            outcome.rows[2].status
        );
    }

    #[test]
    fn a_ledger_that_fails_during_the_intake_stops_the_run_before_any_bundle() {
        let tmp = tempfile::tempdir().unwrap();
        let inputs = eeepc_reports(&tmp.path().join("in"), 12);
        let machines = read(&inputs, 2, &Limits::default());
        let fixed = Fixed::embedded();
        let out = tmp.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let ledger = Ledger::open_or_create(&tmp.path().join("ledger.sqlite")).unwrap();
        // The ledger breaks at the tenth machine: the first nine are rendered meanwhile.
        ledger.execute_for_tests(
            "CREATE TEMP TRIGGER broken BEFORE INSERT ON machines WHEN NEW.number = 10
             BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;",
        );
        let ledger = Mutex::new(ledger);
        let skip: BTreeSet<Tool> = Tool::ALL.into();
        let settings = Settings {
            jobs: 2,
            ..fixed.settings(&out, &skip, &ledger)
        };
        let e = run(&machines, &settings, &|_| {}).unwrap_err();
        assert!(e.to_string().contains("disk I/O error"), "{e}");
        assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0, "a bundle was written");
        assert!(
            ledger.lock().unwrap().machines().unwrap().is_empty(),
            "the intake was not rolled back"
        );

        // The same ledger, mended: the run goes through, each machine numbered in input order.
        ledger.lock().unwrap().execute_for_tests("DROP TRIGGER broken;");
        let outcome = run(&machines, &settings, &|_| {}).unwrap();
        let hosts: Vec<&str> = outcome.rows.iter().map(|r| r.asset_id.as_str()).collect();
        let want: Vec<String> = (1..=12).map(|n| fixed.workshop.hostname_for(n, None)).collect();
        assert_eq!(hosts, want);
        assert!(outcome.rows.iter().all(Row::is_ok));
        assert_eq!(outcome.written, 12);
    }

    #[test]
    fn every_input_is_read_once() {
        let tmp = tempfile::tempdir().unwrap();
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/machines");
        let archive = tmp.path().join("x220.tar.gz");
        crate::capture::write_tar_gz(
            &fixtures.join("lenovo-thinkpad-x220/root"),
            &mut std::fs::File::create(&archive).unwrap(),
        )
        .unwrap();
        let report = tmp.path().join("z-eeepc.json");
        let probed =
            crate::machine::probe_path(&fixtures.join("asus-eeepc-1000h/root"), false, &Limits::default()).unwrap();
        std::fs::write(&report, serde_json::to_string(&probed).unwrap()).unwrap();
        let inputs = discover(&[tmp.path().to_path_buf()]).inputs;
        let kinds: Vec<InputKind> = inputs.iter().map(|i| i.kind).collect();
        assert_eq!(kinds, [InputKind::CaptureArchive, InputKind::Report]);
        let machines = read(&inputs, 1, &Limits::default());
        // Gone after the first reading: pass 2 must not open (let alone unpack) them again.
        std::fs::remove_file(&archive).unwrap();
        std::fs::remove_file(&report).unwrap();

        let fixed = Fixed::embedded();
        let out = tmp.path().join("out");
        let ledger = Mutex::new(Ledger::open_or_create(&tmp.path().join("ledger.sqlite")).unwrap());
        let skip = BTreeSet::new();
        let settings = fixed.settings(&out, &skip, &ledger);
        let outcome = run(&machines, &settings, &|_| {}).unwrap();
        assert_eq!(outcome.rows.len(), 2);
        for row in &outcome.rows {
            assert!(row.is_ok(), "{}: {}", row.source, row.status);
        }

        // The inventory shows what `upcycle erase` recorded for the machine since.
        let inventory = || {
            inventory_rows(
                outcome.rows.clone(),
                &outcome.machines,
                &ledger.lock().unwrap(),
                Lang::De,
            )
        };
        let rows = inventory().unwrap();
        assert_eq!((rows[0].erasure.as_str(), rows[0].replace_disk.as_str()), ("", ""));
        let machine = outcome.machines[0].as_ref().unwrap().id;
        let event: crate::ledger::ErasureEvent = serde_json::from_value(serde_json::json!({
            "schema": "upcycle.erasure/v2", "result": "erased", "method": "overwrite",
            "category": "clear", "health": "replace", "record_file": "erasure-x-sda.yaml",
            "record_sha256": "00", "found_by": "machine",
            "verification": {"method": "verify-full", "result": "passed", "bytes_read": 1},
            "disk": {"name": "sda", "model": null, "size_bytes": 1, "bus": "sata", "medium": "hdd"},
        }))
        .unwrap();
        ledger.lock().unwrap().record_erasure(machine, &event).unwrap();
        let rows = inventory().unwrap();
        assert_eq!(
            (rows[0].erasure.as_str(), rows[0].replace_disk.as_str()),
            ("erased", "yes")
        );
        assert_eq!(rows[0].erased_on, crate::ledger::now()[..10]);
        let csv = crate::inventory::to_csv(&rows);
        assert!(
            csv.lines().next().unwrap().ends_with(",erasure,erased_on,replace_disk"),
            "{csv}"
        );
    }
}
