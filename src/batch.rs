//! Batch: a whole room of laptops at once. Inputs are found (sorted) and read once in
//! parallel (serials for duplicate detection; YAML that is not a report is left out), then
//! numbered, selected, rendered and written in parallel; one broken input never stops the
//! others. The external validators run once per kind of file on a thread of their own,
//! over everything new since their last run at once; a bundle waits in memory (bounded)
//! until its kinds have their verdict. Re-running with the same inputs gives the same
//! bytes, and a bundle whose content did not change is not rewritten.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::NaiveDate;

use crate::bundle::Bundle;
use crate::catalog::Catalog;
use crate::inventory::Row;
use crate::render::{self, RenderInput, Templates};
use crate::report::HardwareReport;
use crate::select::{self, Inputs};
use crate::validate;
use crate::workshop::Workshop;

/// One machine to process: where it came from and what kind of input it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Input {
    pub path: PathBuf,
    pub kind: InputKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum InputKind {
    Report,
    CaptureDir,
    CaptureArchive,
}

/// What was found below the inputs.
#[derive(Debug, Default)]
pub struct Found {
    pub inputs: Vec<Input>,
    /// Paths that could not be read.
    pub problems: Vec<(PathBuf, String)>,
}

/// Is this YAML/JSON text, which is not a valid report, meant as one? Files that parse but
/// have no `schema` key (a workshop file, notes) are not; files that do not parse are, so
/// their error shows.
fn mentions_schema(text: &str) -> bool {
    match crate::yaml::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(map)) => map.contains_key("schema"),
        Ok(_) => false,
        Err(_) => true,
    }
}

/// What the first reading of an input found.
#[derive(Debug, Clone)]
enum Loaded {
    /// A report: its identifying serial, if it has one.
    Machine(Option<String>),
    /// Meant as a machine but unusable: why.
    Broken(String),
    /// YAML or JSON that is not a report at all (a workshop file, notes).
    NotAReport,
}

fn first_read(input: &Input) -> Loaded {
    if input.kind != InputKind::Report {
        return match load(input) {
            Ok(r) => Loaded::Machine(identifying_serial(&r)),
            Err(e) => Loaded::Broken(e),
        };
    }
    let text = match std::fs::read_to_string(&input.path) {
        Ok(t) => t,
        Err(e) => return Loaded::Broken(format!("cannot read: {e}")),
    };
    match crate::commands::select::parse_report(&text) {
        Ok(r) => Loaded::Machine(identifying_serial(&r)),
        Err(_) if !mentions_schema(&text) => Loaded::NotAReport,
        Err(e) => Loaded::Broken(e),
    }
}

/// Find every report and capture below the given paths, sorted. A directory holding
/// `proc/` or `sys/` is a capture and is not walked into; hidden entries are skipped.
pub fn discover(paths: &[PathBuf]) -> Found {
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        if !path.exists() {
            problems.push((path.clone(), "does not exist".to_string()));
            continue;
        }
        let mut walker = walkdir::WalkDir::new(path)
            .sort_by_file_name()
            .follow_links(false)
            .into_iter();
        while let Some(entry) = walker.next() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    problems.push((e.path().map(Path::to_path_buf).unwrap_or_default(), e.to_string()));
                    continue;
                }
            };
            let p = entry.path();
            let name = entry.file_name().to_string_lossy();
            if entry.depth() > 0 && name.starts_with('.') {
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
            if entry.file_type().is_dir() {
                if p.join("proc").is_dir() || p.join("sys").is_dir() {
                    inputs.push(Input {
                        path: p.to_path_buf(),
                        kind: InputKind::CaptureDir,
                    });
                    walker.skip_current_dir();
                }
                continue;
            }
            let kind = if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
                InputKind::CaptureArchive
            } else if name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json") {
                // Other YAML beside the captures (a workshop file, notes) is not a machine:
                // `run` decides that when it reads the file (in parallel, and only once).
                InputKind::Report
            } else {
                continue;
            };
            inputs.push(Input {
                path: p.to_path_buf(),
                kind,
            });
        }
    }
    inputs.sort();
    inputs.dedup();
    Found { inputs, problems }
}

/// Read one input into a report.
pub fn load(input: &Input) -> Result<HardwareReport, String> {
    match input.kind {
        InputKind::Report => {
            let text = std::fs::read_to_string(&input.path).map_err(|e| format!("cannot read: {e}"))?;
            crate::commands::select::parse_report(&text)
        }
        InputKind::CaptureDir | InputKind::CaptureArchive => {
            crate::commands::probe::probe_path(&input.path, false).map_err(|f| format!("{:#}", f.error))
        }
    }
}

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
}

/// The outcome of a batch.
#[derive(Debug)]
pub struct Outcome {
    pub rows: Vec<Row>,
    /// Bundles written (new or changed) and left as they were.
    pub written: usize,
    pub unchanged: usize,
}

impl Outcome {
    pub fn failed(&self) -> usize {
        self.rows.iter().filter(|r| !r.is_ok()).count()
    }
}

/// A serial that identifies a machine (placeholders and redacted ones do not).
fn identifying_serial(report: &HardwareReport) -> Option<String> {
    let s = report.machine.serial.as_deref()?.trim();
    let junk = s.is_empty()
        || s == crate::redact::SERIAL
        || crate::probe::dmi::is_placeholder(s)
        || s.chars().all(|c| c == '0');
    (!junk).then(|| s.to_string())
}

/// The inputs after a first reading: the machines (in input order, with what the first
/// reading found) and the YAML/JSON files that are not reports.
pub struct Machines<'a> {
    machines: Vec<(&'a Input, Loaded)>,
    /// YAML/JSON files without a `schema:` key: not reports, left alone.
    pub skipped: Vec<PathBuf>,
}

impl Machines<'_> {
    pub fn len(&self) -> usize {
        self.machines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.machines.is_empty()
    }
}

/// Pass 1: read every input on `jobs` threads, keeping only each machine's serial (or its
/// error), not the report: memory must not grow with the room.
pub fn read(inputs: &[Input], jobs: usize) -> Machines<'_> {
    let loaded = in_parallel(jobs, inputs.len(), |i| first_read(&inputs[i]));
    let mut machines = Vec::new();
    let mut skipped = Vec::new();
    for (input, l) in inputs.iter().zip(loaded) {
        match l {
            Loaded::NotAReport => skipped.push(input.path.clone()),
            l => machines.push((input, l)),
        }
    }
    Machines { machines, skipped }
}

/// Pass 2: process every machine: number n is its place in the sorted list (1-based).
/// Each is read again and streamed to its row. `progress` is called once per finished
/// machine with its asset id.
pub fn run(machines: &Machines, settings: &Settings, progress: &(dyn Fn(&str) + Sync)) -> Outcome {
    let machines = &machines.machines;
    // Duplicate detection needs every serial, in input order.
    let mut duplicate_of: Vec<Option<usize>> = vec![None; machines.len()];
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, (_, l)) in machines.iter().enumerate() {
        if let Loaded::Machine(Some(serial)) = l {
            match seen.get(serial.as_str()) {
                Some(&first) => duplicate_of[i] = Some(first),
                None => {
                    seen.insert(serial, i);
                }
            }
        }
    }

    let written = AtomicUsize::new(0);
    let unchanged = AtomicUsize::new(0);
    let kinds = Kinds::default();
    let counters = Counters {
        written: &written,
        unchanged: &unchanged,
    };
    let rows: Vec<Option<Row>> = std::thread::scope(|s| {
        let validator = s.spawn(|| kinds.validate_until_finished(settings.out_dir, &counters));
        // The validator ends when told no more bundles come, also if a worker panicked.
        let _finish = FinishOnDrop(&kinds);
        let mut rows = in_parallel(settings.jobs, machines.len(), |i| {
            let (input, first) = &machines[i];
            let source = input.path.display().to_string();
            let report = match first {
                Loaded::Broken(e) => Err(e.clone()),
                _ => load(input),
            };
            let row = match (&report, duplicate_of[i]) {
                (Err(e), _) => {
                    let asset = settings.workshop.hostname_for(i + 1, None);
                    Some(Row::failed(&asset, &source, None, e))
                }
                (Ok(report), Some(first)) => {
                    let asset = settings.workshop.hostname_for(i + 1, report.machine.serial.as_deref());
                    let reason = format!(
                        "same serial as {} (duplicate machine? not written)",
                        machines[first].0.path.display()
                    );
                    Some(Row::failed(&asset, &source, Some(report), &reason))
                }
                (Ok(report), None) => match process(report, i, &source, settings) {
                    Err(row) => Some(*row),
                    Ok(bundle) if settings.validate_all => Some(bundle.finish_now(settings, &counters)),
                    Ok(bundle) => {
                        // A parked bundle counts as done here; the validator decides its row.
                        progress(&bundle.ok.asset_id);
                        return kinds.check_or_park(i, bundle, settings.out_dir, &counters);
                    }
                },
            };
            progress(&row.as_ref().expect("set above").asset_id);
            row
        });
        kinds.finish();
        for (i, row) in validator.join().expect("the validator does not panic") {
            rows[i] = Some(row);
        }
        rows
    });
    Outcome {
        rows: rows
            .into_iter()
            .map(|r| r.expect("every machine has its row"))
            .collect(),
        written: written.into_inner(),
        unchanged: unchanged.into_inner(),
    }
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
}

/// Select, render and run the in-process checks for machine `index` (0-based): the bundle
/// for the external tools, or the row of a machine that failed before them.
fn process(
    report: &HardwareReport,
    index: usize,
    source: &str,
    settings: &Settings,
) -> Result<Box<Rendered>, Box<Row>> {
    let w = settings.workshop;
    let hostname = w.hostname_for(index + 1, report.machine.serial.as_deref());
    let inputs = Inputs {
        catalog: settings.catalog,
        policy: &w.selection,
        today: settings.today,
        firmware: &select::embedded_firmware,
        lang: w.language,
    };
    let selection = select::select(report, &inputs);
    let Some(chosen) = &selection.chosen else {
        let why: Vec<String> = selection
            .rejected
            .iter()
            .map(|r| format!("{}: {}", r.profile, r.reasons.join(", ")))
            .collect();
        return Err(Box::new(Row::failed(
            &hostname,
            source,
            Some(report),
            &format!("no profile fits ({})", why.join("; ")),
        )));
    };
    let input = RenderInput {
        report,
        selection: &selection,
        workshop: w,
        asset_id: &hostname,
        hostname: &hostname,
    };
    let bundle = match render::render(settings.templates, &input) {
        Ok(b) => b,
        Err(e) => return Err(Box::new(Row::failed(&hostname, source, Some(report), &e.to_string()))),
    };
    let in_process = validate::in_process(&bundle);
    if !in_process.is_empty() {
        let why = format!("validation failed: {}", validate::describe(&in_process).trim());
        return Err(Box::new(Row::failed(&hostname, source, Some(report), &why)));
    }
    // The external validators take ~0.1 s a run. Without --validate-all they run once per
    // kind of file in a run: a kind is what decides which template branches ran. Values
    // that differ within a kind (host name, disk, package names) are validated tokens.
    // In-process checks (autoinstall schema, password scan) ran above on every file.
    let b43 = chosen.firmware_packages.iter().any(|p| p == "firmware-b43-installer");
    let kinds: Vec<(String, String)> = bundle
        .files
        .iter()
        .filter(|f| validate::needs_tools(&f.name))
        .map(|f| {
            let kind = match f.name.as_str() {
                "preseed.cfg" => format!(
                    "{}|{:?}|{}|{}",
                    chosen.profile,
                    report.firmware.boot_mode,
                    b43,
                    chosen.boot_params.is_empty()
                ),
                "postinstall.sh" => format!("{}|{}", chosen.profile, chosen.boot_params.is_empty()),
                // Everything else: by exact content.
                _ => hex(&digest(&f.contents)),
            };
            (f.name.clone(), kind)
        })
        .collect();
    Ok(Box::new(Rendered {
        bundle,
        kinds,
        ok: Row::ok(&hostname, source, report, &selection),
        failed: Row::failed(&hostname, source, Some(report), ""),
    }))
}

/// Where bundles are counted as they are written.
struct Counters<'a> {
    written: &'a AtomicUsize,
    unchanged: &'a AtomicUsize,
}

impl Rendered {
    /// `--validate-all`: every tool on every file of this bundle, then write it.
    fn finish_now(self, settings: &Settings, counters: &Counters) -> Row {
        let report = validate::validate(&self.bundle);
        let verdict = if report.ok() {
            Ok(())
        } else {
            Err(validate::describe(&report.errors).trim().to_string())
        };
        self.finish(verdict, settings.out_dir, counters)
    }

    /// Write the bundle if validation passed; the row either way.
    fn finish(self, verdict: Result<(), String>, out_dir: &Path, counters: &Counters) -> Row {
        let fail = |mut row: Row, why: &str| {
            row.status = format!("failed: {}", crate::render::one_line(why));
            row
        };
        if let Err(e) = verdict {
            return fail(self.failed, &format!("validation failed: {e}"));
        }
        match write_if_changed(&self.bundle, out_dir) {
            Ok(true) => counters.written.fetch_add(1, Ordering::SeqCst),
            Ok(false) => counters.unchanged.fetch_add(1, Ordering::SeqCst),
            Err(e) => return fail(self.failed, &e),
        };
        self.ok
    }
}

/// Calls [`Kinds::finish`] when dropped.
struct FinishOnDrop<'a>(&'a Kinds);

impl Drop for FinishOnDrop<'_> {
    fn drop(&mut self) {
        self.0.finish();
    }
}

/// Bundles waiting for their kinds' verdicts at most; a worker that would park more waits.
const MAX_PARKED: usize = 256;

/// The external tools' verdicts on kinds of files, for a batch without --validate-all.
/// Workers hand in bundles; a bundle whose kinds all passed is written at once, one with a
/// kind nobody has checked yet is parked (in memory) and its new kinds queued. One thread
/// runs the tools on everything queued since its last run in one go (one
/// `debconf-set-selections`, one `shellcheck`), then writes or fails the parked bundles
/// that now have all their verdicts. Workers never wait for the tools, only when
/// `MAX_PARKED` bundles are waiting.
#[derive(Default)]
struct Kinds {
    state: Mutex<KindState>,
    changed: std::sync::Condvar,
}

#[derive(Default)]
struct KindState {
    /// Every kind met: `None` while it is queued or being checked.
    verdicts: std::collections::HashMap<(String, String), Option<Result<(), String>>>,
    /// Kinds to check next, with one file of that kind.
    queue: Vec<((String, String), String)>,
    parked: Vec<(usize, Box<Rendered>)>,
    /// No more bundles will come.
    finished: bool,
}

impl KindState {
    /// The verdict on all of a bundle's kinds, if every one has one.
    fn verdict(&self, kinds: &[(String, String)]) -> Option<Result<(), String>> {
        let mut errors = Vec::new();
        for k in kinds {
            match self.verdicts.get(k) {
                Some(Some(Ok(()))) => {}
                Some(Some(Err(e))) => errors.push(e.clone()),
                _ => return None,
            }
        }
        Some(if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.join("\n"))
        })
    }
}

impl Kinds {
    /// Write (or fail) machine `index`'s bundle now if its kinds are all decided, or park
    /// it: `None` then, its row comes from [`Kinds::validate_until_finished`].
    fn check_or_park(&self, index: usize, rendered: Box<Rendered>, out_dir: &Path, counters: &Counters) -> Option<Row> {
        let mut state = self.state.lock().expect("no panics hold the lock");
        if let Some(verdict) = state.verdict(&rendered.kinds) {
            drop(state);
            return Some(rendered.finish(verdict, out_dir, counters));
        }
        for (file, kind) in &rendered.kinds {
            let key = (file.clone(), kind.clone());
            if !state.verdicts.contains_key(&key) {
                state.verdicts.insert(key.clone(), None);
                let contents = rendered
                    .bundle
                    .get(file)
                    .map(|f| f.contents.clone())
                    .unwrap_or_default();
                state.queue.push((key, contents));
            }
        }
        state.parked.push((index, rendered));
        self.changed.notify_all();
        while state.parked.len() > MAX_PARKED {
            state = self.changed.wait(state).expect("no panics hold the lock");
        }
        None
    }

    /// No more bundles: the validator finishes what is queued and returns.
    fn finish(&self) {
        // Also called while a panicking worker unwinds: a poisoned lock must not panic again.
        self.state.lock().unwrap_or_else(|e| e.into_inner()).finished = true;
        self.changed.notify_all();
    }

    /// The validator thread: run the tools on what is queued until [`Kinds::finish`];
    /// returns the rows of the bundles that were parked.
    fn validate_until_finished(&self, out_dir: &Path, counters: &Counters) -> Vec<(usize, Row)> {
        let mut rows = Vec::new();
        loop {
            let queue = {
                let mut state = self.state.lock().expect("no panics hold the lock");
                while state.queue.is_empty() && !state.finished {
                    state = self.changed.wait(state).expect("no panics hold the lock");
                }
                if state.queue.is_empty() {
                    break;
                }
                std::mem::take(&mut state.queue)
            };
            let files: Vec<validate::Labelled> = queue
                .iter()
                .enumerate()
                .map(|(label, ((name, _), contents))| validate::Labelled { label, name, contents })
                .collect();
            let (errors, _missing_tools) = validate::external(&files);
            let ready = {
                let mut state = self.state.lock().expect("no panics hold the lock");
                for (label, (key, _)) in queue.iter().enumerate() {
                    let mine: Vec<validate::Finding> = errors
                        .iter()
                        .filter(|(l, _)| *l == label)
                        .map(|(_, f)| f.clone())
                        .collect();
                    let verdict = if mine.is_empty() {
                        Ok(())
                    } else {
                        Err(validate::describe(&mine).trim().to_string())
                    };
                    state.verdicts.insert(key.clone(), Some(verdict));
                }
                let parked = std::mem::take(&mut state.parked);
                let (ready, waiting): (Vec<_>, Vec<_>) =
                    parked.into_iter().partition(|(_, r)| state.verdict(&r.kinds).is_some());
                state.parked = waiting;
                ready
                    .into_iter()
                    .map(|(i, r)| {
                        let verdict = state.verdict(&r.kinds).expect("partitioned on it");
                        (i, r, verdict)
                    })
                    .collect::<Vec<_>>()
            };
            self.changed.notify_all();
            for (i, rendered, verdict) in ready {
                rows.push((i, rendered.finish(verdict, out_dir, counters)));
            }
        }
        rows
    }
}

fn digest(text: &str) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes()).to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Write the bundle unless the directory already holds exactly these files.
fn write_if_changed(bundle: &Bundle, out_dir: &Path) -> Result<bool, String> {
    let dir = out_dir.join(&bundle.asset_id);
    if dir.is_dir() {
        let same = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0) == bundle.files.len()
            && bundle
                .files
                .iter()
                .all(|f| std::fs::read(dir.join(&f.name)).is_ok_and(|b| b == f.contents.as_bytes()));
        if same {
            return Ok(false);
        }
    }
    bundle.write_to(out_dir, true).map_err(|e| e.to_string())?;
    Ok(true)
}
