//! A batch's inputs: finding reports and captures below the given paths (sorted), and
//! the first reading of each, in parallel (its identifiers, for the ledger and duplicates;
//! a capture's report, so an archive is unpacked once, and the first [`KEEP_REPORTS`]
//! report files' reports, so they are parsed once; YAML that is not a report is left out).

use crate::l10n::Said;
use std::borrow::Cow;
use std::path::{Path, PathBuf};

use super::in_parallel;
use crate::capture::Limits;
use crate::report::HardwareReport;

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

/// Why a file named as an input is not one.
pub fn not_a_report() -> Said {
    Said::new("err-batch-not-a-report")
}

/// What was found below the inputs.
#[derive(Debug, Default)]
pub struct Found {
    pub inputs: Vec<Input>,
    /// Paths that could not be read.
    pub problems: Vec<(PathBuf, Said)>,
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
#[derive(Debug)]
enum Loaded {
    Machine(Box<Read>),
    /// Meant as a machine but unusable: why.
    Broken(String),
    /// YAML or JSON that is not a report at all (a workshop file, notes).
    NotAReport,
}

/// Report files whose report is kept from the first reading, at most: the first ones in
/// input order (a room is a few dozen). A report takes ~6 KiB in memory: these ~3 MiB;
/// the reports of a larger batch are read again when their machine's turn comes, so that
/// memory does not grow with the inputs (10,000 reports: ≤ 100 MiB, docs/benchmarks.md;
/// keeping 1,024 left 3 MiB of room). Parsing a report a second time was ~4 % of a
/// batch's CPU.
pub const KEEP_REPORTS: usize = 512;

/// A machine's input, read: what the ledger needs of it, and its report when kept. A
/// capture's is always kept (a few KiB), so that an archive, untrusted and possibly large,
/// is unpacked once and its temp dir removed at once; a report file's up to
/// [`KEEP_REPORTS`].
#[derive(Debug)]
pub(super) struct Read {
    pub identity: Identity,
    report: Option<HardwareReport>,
}

impl Read {
    fn of(report: HardwareReport, keep: bool) -> Box<Read> {
        Box::new(Read {
            identity: Identity::of(&report),
            report: keep.then_some(report),
        })
    }

    /// The machine's report: kept, or read again from `input`.
    pub fn report(&self, input: &Input, limits: &Limits) -> Result<Cow<'_, HardwareReport>, String> {
        match &self.report {
            Some(r) => Ok(Cow::Borrowed(r)),
            None => load(input, limits).map(Cow::Owned),
        }
    }
}

fn first_read(input: &Input, limits: &Limits, keep: bool) -> Loaded {
    if input.kind != InputKind::Report {
        return match load(input, limits) {
            Ok(r) => Loaded::Machine(Read::of(r, true)),
            Err(e) => Loaded::Broken(e),
        };
    }
    let text = match std::fs::read_to_string(&input.path) {
        Ok(t) => t,
        Err(e) => return Loaded::Broken(format!("cannot read: {e}")),
    };
    match crate::machine::parse_report(&text) {
        Ok(r) => Loaded::Machine(Read::of(r, keep)),
        Err(_) if !mentions_schema(&text) => Loaded::NotAReport,
        Err(e) => Loaded::Broken(e.to_string()),
    }
}

/// Find every report and capture below the given paths, sorted. A directory holding
/// `proc/` or `sys/` is a capture and is not walked into; hidden entries are skipped.
pub fn discover(paths: &[PathBuf]) -> Found {
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        if !path.exists() {
            problems.push((path.clone(), Said::new("err-batch-input-missing")));
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
                    problems.push((
                        e.path().map(Path::to_path_buf).unwrap_or_default(),
                        Said::verbatim(e.to_string()),
                    ));
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
            } else if entry.depth() == 0 {
                // named on the command line: never left out silently
                problems.push((p.to_path_buf(), not_a_report()));
                continue;
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

/// Read one input into a report (a `.tar.gz` unpacked within `limits`).
fn load(input: &Input, limits: &Limits) -> Result<HardwareReport, String> {
    match input.kind {
        InputKind::Report => {
            let text = std::fs::read_to_string(&input.path).map_err(|e| format!("cannot read: {e}"))?;
            crate::machine::parse_report(&text).map_err(|e| e.to_string())
        }
        InputKind::CaptureDir | InputKind::CaptureArchive => {
            crate::machine::probe_path(&input.path, false, limits).map_err(|e| e.to_string())
        }
    }
}

/// What the ledger needs of a machine.
#[derive(Debug, Clone)]
pub(super) struct Identity {
    pub identifiers: Vec<crate::ledger::Identifier>,
    pub model: Option<String>,
    /// For a `{serial}` host-name pattern.
    pub serial: Option<String>,
}

impl Identity {
    fn of(report: &HardwareReport) -> Identity {
        Identity {
            identifiers: crate::ledger::identity::identifiers(report),
            model: report.machine.model.clone(),
            serial: report.machine.serial.clone(),
        }
    }
}

/// The inputs after their reading: the machines (in input order, each read or why it
/// could not be) and the YAML/JSON files that are not reports.
pub struct Machines<'a> {
    pub(super) machines: Vec<(&'a Input, Result<Box<Read>, String>)>,
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

/// Pass 1: read every input on `jobs` threads: each machine's identity and report (kept
/// as [`Read`] says), or its error.
pub fn read<'a>(inputs: &'a [Input], jobs: usize, limits: &Limits) -> Machines<'a> {
    read_keeping(inputs, jobs, limits, KEEP_REPORTS)
}

/// [`read`], keeping the reports of the first `keep` inputs.
pub(super) fn read_keeping<'a>(inputs: &'a [Input], jobs: usize, limits: &Limits, keep: usize) -> Machines<'a> {
    let loaded = in_parallel(jobs, inputs.len(), |i| first_read(&inputs[i], limits, i < keep));
    let mut machines = Vec::new();
    let mut skipped = Vec::new();
    for (input, l) in inputs.iter().zip(loaded) {
        match l {
            Loaded::NotAReport => skipped.push(input.path.clone()),
            Loaded::Machine(read) => machines.push((input, Ok(read))),
            Loaded::Broken(e) => machines.push((input, Err(e))),
        }
    }
    Machines { machines, skipped }
}
