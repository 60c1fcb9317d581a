//! The catalog's files and what can be wrong in them, with file, line and field: shared by
//! loading (`load.rs`) and checking (`check.rs`), which both depend on this and not on each
//! other.

use std::fmt;

use crate::yaml;

/// One catalog file: its path relative to the catalog root, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogFile {
    pub path: String,
    pub text: String,
}

/// Something wrong in a catalog file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub file: String,
    pub line: Option<usize>,
    /// The field, as a path: `requires.min_ram_mib`, `apps[2].packages`.
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// What a file holds, from where it lies: `apps/*` app sets, `hardware/quirks.yaml`
/// quirks, anything else at the top a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Profile,
    AppSet,
    Quirks,
}

pub fn kind_of(path: &str) -> FileKind {
    if path.starts_with("apps/") {
        FileKind::AppSet
    } else if path.starts_with("hardware/") {
        FileKind::Quirks
    } else {
        FileKind::Profile
    }
}

/// A parser error as a problem: serde_yaml messages start with the field path
/// (`desktop: unknown field ...`).
pub fn yaml_problem(file: &str, e: &yaml::YamlError) -> Problem {
    let (field, message) = match e.message.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && !path.is_empty() => (Some(path.to_string()), rest.to_string()),
        _ => (None, e.message.clone()),
    };
    Problem {
        file: file.to_string(),
        line: e.location.map(|l| l.0),
        field,
        message,
    }
}

/// The first line (1-based) that contains every needle, for pointing at a value.
pub fn line_of(text: &str, needles: &[&str]) -> Option<usize> {
    text.lines()
        .position(|l| needles.iter().all(|n| l.contains(n)))
        .map(|i| i + 1)
}
