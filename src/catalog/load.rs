//! Turning catalog files (embedded or from `--profiles DIR`) into a [`Catalog`]. Parsing
//! is pure: files come in as text, problems go out with file, line and field.

use std::path::Path;

use include_dir::{Dir, include_dir};

use super::file::{CatalogFile, FileKind, Problem, kind_of, yaml_problem};
use super::{AppSet, Catalog, Profile, QuirkFile};
use crate::yaml;

static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/profiles");

/// The catalog could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read the catalog at {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("the catalog has {} problem(s):\n{}", .0.len(), .0.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Problem>),
}

/// The frame and the problems' messages in the terminal's language.
impl crate::l10n::Localize for LoadError {
    fn localize(&self, lang: crate::l10n::Lang) -> String {
        match self {
            LoadError::Io { path, source } => crate::l10n::format(
                lang,
                "err-catalog-read",
                &[
                    ("path", path.into()),
                    ("error", crate::l10n::Localize::localize(source, lang).into()),
                ],
            ),
            LoadError::Invalid(problems) => {
                let mut text =
                    crate::l10n::format(lang, "err-catalog-problems", &[("n", (problems.len() as u64).into())]);
                for p in problems {
                    text.push_str(&format!("\n  {}", p.say(lang)));
                }
                text
            }
        }
    }
}

/// The catalog shipped in the binary.
pub fn embedded_files() -> Vec<CatalogFile> {
    let mut files = Vec::new();
    collect_embedded(&EMBEDDED, &mut files);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

fn collect_embedded(dir: &Dir<'static>, out: &mut Vec<CatalogFile>) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().into_owned();
        if is_yaml(&path) {
            out.push(CatalogFile {
                path,
                text: String::from_utf8_lossy(file.contents()).into_owned(),
            });
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, out);
    }
}

/// The YAML files below `dir`, sorted by path.
pub fn read_dir(dir: &Path) -> Result<Vec<CatalogFile>, LoadError> {
    let io = |e: std::io::Error| LoadError::Io {
        path: dir.display().to_string(),
        source: e,
    };
    if !dir.is_dir() {
        return Err(io(std::io::Error::new(std::io::ErrorKind::NotFound, "not a directory")));
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| io(e.into()))?;
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .into_owned();
        if entry.file_type().is_file() && is_yaml(&rel) {
            let bytes = std::fs::read(entry.path()).map_err(io)?;
            files.push(CatalogFile {
                path: rel,
                text: String::from_utf8_lossy(&bytes).into_owned(),
            });
        }
    }
    Ok(files)
}

fn is_yaml(path: &str) -> bool {
    path.ends_with(".yaml") || path.ends_with(".yml")
}

/// Parse every file; the catalog, or every problem found (syntax, unknown or missing
/// fields, wrong types). Semantic checks are in [`super::check`].
pub fn parse_catalog(files: &[CatalogFile]) -> Result<Catalog, Vec<Problem>> {
    let mut catalog = Catalog::default();
    let mut problems = Vec::new();
    for file in files {
        let result = match kind_of(&file.path) {
            FileKind::Profile => yaml::from_str::<Profile>(&file.text).map(|p| catalog.profiles.push(p)),
            FileKind::AppSet => yaml::from_str::<AppSet>(&file.text).map(|s| {
                catalog.app_sets.insert(s.id.clone(), s);
            }),
            FileKind::Quirks => yaml::from_str::<QuirkFile>(&file.text).map(|q| {
                catalog.quirks.extend(q.quirks);
                catalog.upgrade_costs = catalog.upgrade_costs.take().or(q.upgrade_costs);
            }),
        };
        if let Err(e) = result {
            problems.push(yaml_problem(&file.path, &e));
        }
    }
    catalog.profiles.sort_by(|a, b| a.id.cmp(&b.id));
    if problems.is_empty() {
        Ok(catalog)
    } else {
        Err(problems)
    }
}

/// Load the catalog from `dir`, or the embedded one: parsed and semantically checked.
pub fn load(dir: Option<&Path>) -> Result<(Catalog, Vec<CatalogFile>), LoadError> {
    let files = match dir {
        Some(d) => read_dir(d)?,
        None => embedded_files(),
    };
    let catalog = parse_catalog(&files).map_err(LoadError::Invalid)?;
    let problems = super::check::semantic(&catalog, &files);
    if !problems.is_empty() {
        return Err(LoadError::Invalid(problems));
    }
    Ok((catalog, files))
}
