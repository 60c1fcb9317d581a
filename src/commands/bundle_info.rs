//! `upcycle bundle-info DIR [--report]` (hidden): the chosen stack of a bundle (its
//! selection.yaml, read through the typed `Selection`) or, with `--report`, the machine it
//! is for (its report.yaml, read through the typed `HardwareReport`) as JSON, so that no
//! script parses the project's YAML (`jq -r .profile`, `jq -r .firmware.uefi_bitness`).
//! The chosen stack carries two facts of its profile besides: `min_ram_mib` and
//! `min_disk_gb`, the smallest RAM and disk the profile is for (from the embedded catalog;
//! null for a profile not in it), what a test machine gets when the report does not know
//! the laptop's.

use std::path::Path;

use crate::exit::{Exit, Failure, OrExit};
use crate::printer::Printer;
use crate::select::Selection;
use crate::yaml;

pub fn run(dir: &Path, report: bool, printer: &Printer) -> Result<Exit, Failure> {
    if report {
        let path = dir.join("report.yaml");
        let text = std::fs::read_to_string(&path).or_exit(Exit::BadInput, format!("cannot read {}", path.display()))?;
        let report = crate::machine::parse_report(&text)
            .map_err(|e| Failure::new(Exit::BadInput, anyhow::anyhow!("{}: {e}", path.display())))?;
        printer.out(&(serde_json::to_string_pretty(&report).expect("reports serialise to JSON") + "\n"));
        return Ok(Exit::Success);
    }
    let path = dir.join("selection.yaml");
    let text = std::fs::read_to_string(&path).or_exit(Exit::BadInput, format!("cannot read {}", path.display()))?;
    let selection: Selection =
        yaml::from_str(&text).map_err(|e| Failure::new(Exit::BadInput, anyhow::anyhow!("{}: {e}", path.display())))?;
    let Some(chosen) = selection.chosen else {
        return Err(Failure::new(
            Exit::BadInput,
            anyhow::anyhow!("{}: no chosen profile: not a bundle's selection", path.display()),
        ));
    };
    let (catalog, _) = crate::catalog::load::load(None).or_exit(Exit::Internal, "the embedded catalog")?;
    let requires = catalog.profile(&chosen.profile).map(|p| &p.requires);
    let mut json = serde_json::to_value(&chosen).expect("selections serialise to JSON");
    json["min_ram_mib"] = serde_json::json!(requires.map(|r| r.min_ram_mib));
    json["min_disk_gb"] = serde_json::json!(requires.map(|r| r.min_disk_gb));
    printer.out(&(serde_json::to_string_pretty(&json).expect("JSON values serialise") + "\n"));
    Ok(Exit::Success)
}
