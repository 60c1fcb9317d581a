//! `upcycle bundle-info DIR [--report]` (hidden): the chosen stack of a bundle (its
//! selection.yaml, read through the typed `Selection`) or, with `--report`, the machine it
//! is for (its report.yaml, read through the typed `HardwareReport`) as JSON, so that no
//! script parses the project's YAML (`jq -r .profile`, `jq -r .firmware.uefi_bitness`).

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
    printer.out(&(serde_json::to_string_pretty(&chosen).expect("selections serialise to JSON") + "\n"));
    Ok(Exit::Success)
}
