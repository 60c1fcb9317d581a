//! Batch: a whole room of laptops at once. Inputs are found (sorted), numbered, checked
//! for duplicate serials, then selected, rendered, validated and written in parallel;
//! one broken input never stops the others. Re-running with the same inputs gives the
//! same bytes, and a bundle whose content did not change is not rewritten.

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
    /// YAML/JSON files without a `schema:` key: not reports, left alone.
    pub skipped: Vec<PathBuf>,
}

/// Is this YAML/JSON file meant as a report? Files that parse but have no `schema` key
/// (a workshop file, notes) are not; files that do not parse are, so their error shows.
fn mentions_schema(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return true;
    };
    match crate::yaml::from_str::<serde_json::Value>(&text) {
        Ok(serde_json::Value::Object(map)) => map.contains_key("schema"),
        Ok(_) => false,
        Err(_) => true,
    }
}

/// Find every report and capture below the given paths, sorted. A directory holding
/// `proc/` or `sys/` is a capture and is not walked into; hidden entries are skipped.
pub fn discover(paths: &[PathBuf]) -> Found {
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    let mut skipped = Vec::new();
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
                // Other YAML beside the captures (a workshop file, notes) is not a machine.
                if !mentions_schema(p) {
                    skipped.push(p.to_path_buf());
                    continue;
                }
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
    Found {
        inputs,
        problems,
        skipped,
    }
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

/// Process every input: number n is the input's place in the sorted list (1-based).
/// `progress` is called once per finished machine with its asset id.
pub fn run(inputs: &[Input], settings: &Settings, progress: &(dyn Fn(&str) + Sync)) -> Outcome {
    let jobs = settings.jobs.max(1).min(inputs.len().max(1));
    let next = AtomicUsize::new(0);
    let rows: Mutex<Vec<Option<Row>>> = Mutex::new(vec![None; inputs.len()]);
    let written = AtomicUsize::new(0);
    let unchanged = AtomicUsize::new(0);
    // Serial -> first input that had it, decided in input order below.
    let serials: Mutex<BTreeMap<String, usize>> = Mutex::new(BTreeMap::new());
    // Pass 1 keeps only each input's serial (or its error), not the report: memory must
    // not grow with the room. Pass 2 reads each input again and streams it to its row.
    let loaded: Mutex<Vec<Option<Result<Option<String>, String>>>> = Mutex::new(vec![None; inputs.len()]);
    let validated = Validated::default();

    // Loading runs in parallel; duplicate detection needs every serial, in input order.
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= inputs.len() {
                        break;
                    }
                    let result = load(&inputs[i]).map(|r| identifying_serial(&r));
                    loaded.lock().expect("no panics hold the lock")[i] = Some(result);
                }
            });
        }
    });
    let loaded: Vec<Result<Option<String>, String>> = loaded
        .into_inner()
        .expect("threads finished")
        .into_iter()
        .map(|r| r.expect("every input loaded"))
        .collect();
    let mut duplicate_of: Vec<Option<usize>> = vec![None; inputs.len()];
    {
        let mut seen = serials.lock().expect("single thread here");
        for (i, r) in loaded.iter().enumerate() {
            if let Ok(Some(serial)) = r {
                match seen.get(serial) {
                    Some(&first) => duplicate_of[i] = Some(first),
                    None => {
                        seen.insert(serial.clone(), i);
                    }
                }
            }
        }
    }

    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= inputs.len() {
                        break;
                    }
                    let source = inputs[i].path.display().to_string();
                    let report = loaded[i].as_ref().map_err(Clone::clone).and_then(|_| load(&inputs[i]));
                    let row = match (&report, duplicate_of[i]) {
                        (Err(e), _) => {
                            let asset = settings.workshop.hostname_for(i + 1, None);
                            Row::failed(&asset, &source, None, e)
                        }
                        (Ok(report), Some(first)) => {
                            let asset = settings.workshop.hostname_for(i + 1, report.machine.serial.as_deref());
                            let reason = format!(
                                "same serial as {} (duplicate machine? not written)",
                                inputs[first].path.display()
                            );
                            Row::failed(&asset, &source, Some(report), &reason)
                        }
                        (Ok(report), None) => {
                            process(report, i + 1, &source, settings, &validated, &written, &unchanged)
                        }
                    };
                    progress(&row.asset_id);
                    rows.lock().expect("no panics hold the lock")[i] = Some(row);
                }
            });
        }
    });
    Outcome {
        rows: rows
            .into_inner()
            .expect("threads finished")
            .into_iter()
            .map(|r| r.expect("every row set"))
            .collect(),
        written: written.into_inner(),
        unchanged: unchanged.into_inner(),
    }
}

fn process(
    report: &HardwareReport,
    number: usize,
    source: &str,
    settings: &Settings,
    validated: &Validated,
    written: &AtomicUsize,
    unchanged: &AtomicUsize,
) -> Row {
    let w = settings.workshop;
    let hostname = w.hostname_for(number, report.machine.serial.as_deref());
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
        return Row::failed(
            &hostname,
            source,
            Some(report),
            &format!("no profile fits ({})", why.join("; ")),
        );
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
        Err(e) => return Row::failed(&hostname, source, Some(report), &e.to_string()),
    };
    // The external validators take ~0.1 s a file. Without --validate-all they run once per
    // kind of file in a run: a kind is what decides which template branches ran. Values
    // that differ within a kind (host name, disk, package names) are validated tokens.
    // In-process checks (autoinstall schema, password scan) always run on every file.
    let b43 = chosen.firmware_packages.iter().any(|p| p == "firmware-b43-installer");
    let kinds: Vec<(String, String)> = bundle
        .files
        .iter()
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
    let check = full_check(&bundle, &kinds, validated, settings.validate_all);
    if let Err(e) = check {
        return Row::failed(&hostname, source, Some(report), &format!("validation failed: {e}"));
    }
    match write_if_changed(&bundle, settings.out_dir) {
        Ok(true) => {
            written.fetch_add(1, Ordering::SeqCst);
        }
        Ok(false) => {
            unchanged.fetch_add(1, Ordering::SeqCst);
        }
        Err(e) => return Row::failed(&hostname, source, Some(report), &e.to_string()),
    }
    Row::ok(&hostname, source, report, &selection)
}

/// The (file, kind) pairs that passed the external validators in this run, and those a
/// worker is validating now (another worker meeting one of them waits for its result
/// instead of running the same tools again).
#[derive(Default)]
struct Validated {
    ok: Mutex<std::collections::HashSet<(String, String)>>,
    in_flight: Mutex<std::collections::HashSet<(String, String)>>,
    done: std::sync::Condvar,
}

fn digest(text: &str) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes()).to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Validate a bundle, skipping the external tools for files whose kind already passed
/// (unless `all`); record the kinds that pass.
fn full_check(bundle: &Bundle, kinds: &[(String, String)], validated: &Validated, all: bool) -> Result<(), String> {
    // Claim the kinds nobody has validated yet; wait for those another worker is on.
    let mut claimed = Vec::new();
    if !all {
        let mut in_flight = validated.in_flight.lock().expect("no panics hold the lock");
        loop {
            let busy = kinds
                .iter()
                .any(|k| in_flight.contains(k) && !validated.ok.lock().expect("no panics hold the lock").contains(k));
            if !busy {
                break;
            }
            in_flight = validated.done.wait(in_flight).expect("no panics hold the lock");
        }
        let ok = validated.ok.lock().expect("no panics hold the lock");
        for k in kinds {
            if !ok.contains(k) && in_flight.insert(k.clone()) {
                claimed.push(k.clone());
            }
        }
    }
    let result = validate_claimed(bundle, kinds, validated, all);
    if !claimed.is_empty() {
        let mut in_flight = validated.in_flight.lock().expect("no panics hold the lock");
        for k in &claimed {
            in_flight.remove(k);
        }
        validated.done.notify_all();
    }
    result
}

fn validate_claimed(
    bundle: &Bundle,
    kinds: &[(String, String)],
    validated: &Validated,
    all: bool,
) -> Result<(), String> {
    let known = |f: &crate::bundle::BundleFile| {
        !all && kinds
            .iter()
            .find(|(name, _)| name == &f.name)
            .is_some_and(|k| validated.ok.lock().expect("no panics hold the lock").contains(k))
    };
    let report = validate::validate_except(bundle, &known);
    if !report.ok() {
        return Err(validate::describe(&report.errors).trim().to_string());
    }
    validated
        .ok
        .lock()
        .expect("no panics hold the lock")
        .extend(kinds.iter().cloned());
    Ok(())
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
