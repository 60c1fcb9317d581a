//! `upcycle bundle-info DIR` (hidden): the chosen stack of a bundle (its selection.yaml,
//! read through the typed `Selection`) as JSON, so that no script parses the project's YAML
//! (`jq -r .profile`).

use std::path::Path;

use crate::exit::{Exit, Failure, OrExit};
use crate::printer::Printer;
use crate::select::Selection;
use crate::yaml;

pub fn run(dir: &Path, printer: &Printer) -> Result<Exit, Failure> {
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
