//! `ledger import`: what bundle folders and an `inventory.csv` of runs before the ledger
//! say about their machines (read here, recorded by [`super::Ledger::import_machine`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::identity::{self, Identifier};
use crate::report::HardwareReport;
use crate::select::Selection;
use crate::workshop::Workshop;

/// One earlier bundle.
#[derive(Debug)]
pub struct Item {
    pub dir: PathBuf,
    pub hostname: String,
    /// Where its number came from decides it; `None`: the next free one.
    pub number: Option<u32>,
    pub identifiers: Vec<Identifier>,
    pub model: Option<String>,
    pub profile: Option<String>,
    /// `SHA256SUMS`'s SHA-256 and the files' (when the folder has one).
    pub digest: Option<String>,
    pub files: BTreeMap<String, String>,
}

/// The bundle folders of `dir` (sorted), with their numbers: from `inventory.csv` (row n
/// of a batch was machine n), else from the host name and the workshop's `{n}` pattern.
/// Folders that cannot be read are returned with their reason.
pub fn read(dir: &Path, workshop: &Workshop) -> (Vec<Item>, Vec<(PathBuf, String)>) {
    let numbers_from_inventory = inventory_numbers(&dir.join("inventory.csv"));
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.join("selection.yaml").is_file() && p.join("report.yaml").is_file())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    let mut items = Vec::new();
    let mut problems = Vec::new();
    for d in dirs {
        match read_one(&d) {
            Ok(mut item) => {
                item.number = numbers_from_inventory
                    .get(&item.hostname)
                    .copied()
                    .or_else(|| number_in(&item.hostname, &workshop.hostname.pattern, workshop.hostname.digits));
                items.push(item);
            }
            Err(why) => problems.push((d, why)),
        }
    }
    (items, problems)
}

fn read_one(dir: &Path) -> Result<Item, String> {
    let hostname = dir
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| crate::workshop::is_hostname(n) && !n.contains('.'))
        .ok_or("the folder name is not a host name")?
        .to_string();
    let text = |name: &str| std::fs::read_to_string(dir.join(name)).map_err(|e| format!("{name}: {e}"));
    let report: HardwareReport = crate::machine::parse_report(&text("report.yaml")?).map_err(|e| e.to_string())?;
    let selection: Selection =
        crate::yaml::from_str(&text("selection.yaml")?).map_err(|e| format!("selection.yaml: {e}"))?;
    let (digest, files) = match std::fs::read_to_string(dir.join("SHA256SUMS")) {
        Ok(sums) => (
            crate::bundle::digest_on_disk(dir),
            sums.lines()
                .filter_map(|l| l.split_once("  "))
                .map(|(h, n)| (n.to_string(), h.to_string()))
                .collect(),
        ),
        Err(_) => (None, BTreeMap::new()),
    };
    Ok(Item {
        dir: dir.to_path_buf(),
        hostname,
        number: None,
        identifiers: identity::identifiers(&report),
        model: report.machine.model.clone(),
        profile: selection.chosen.map(|c| c.profile),
        digest,
        files,
    })
}

/// Row n of an earlier batch's inventory was machine n (failed rows took numbers too).
fn inventory_numbers(path: &Path) -> BTreeMap<String, u32> {
    let Ok(mut reader) = csv::Reader::from_path(path) else {
        return BTreeMap::new();
    };
    let mut out = BTreeMap::new();
    for (i, record) in reader.records().enumerate() {
        if let Ok(r) = record
            && let Some(asset) = r.get(0)
        {
            out.entry(asset.to_string()).or_insert(i as u32 + 1);
        }
    }
    out
}

/// The n of `hostname` under a `{n}` pattern without `{serial}` (`schule-{n}`: `schule-012`
/// is 12).
pub fn number_in(hostname: &str, pattern: &str, digits: usize) -> Option<u32> {
    if pattern.contains("{serial}") {
        return None;
    }
    let (before, after) = pattern.split_once("{n}")?;
    // the pattern's text as hostname_for cleans it, without the trimming at the ends
    let (before, after) = (
        crate::workshop::hostname_letters(before),
        crate::workshop::hostname_letters(after),
    );
    let middle = hostname
        .strip_prefix(before.trim_start_matches('-'))?
        .strip_suffix(after.trim_end_matches('-'))?;
    (middle.len() >= digits.min(9) && middle.bytes().all(|b| b.is_ascii_digit()))
        .then(|| middle.parse().ok())
        .flatten()
        .filter(|n| *n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_from_host_names() {
        assert_eq!(number_in("schule-012", "schule-{n}", 3), Some(12));
        assert_eq!(number_in("lab-0007-x", "lab-{n}-x", 4), Some(7));
        assert_eq!(number_in("schule-abc", "schule-{n}", 3), None);
        assert_eq!(number_in("gruen-schule-004", "Grün Schule-{n}", 3), Some(4));
        assert_eq!(number_in("other-012", "schule-{n}", 3), None);
        assert_eq!(number_in("laptop-abc123", "laptop-{serial}", 3), None);
    }
}
