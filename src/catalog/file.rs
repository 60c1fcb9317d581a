//! The catalog's files and what can be wrong in them, with file, line and field: shared by
//! loading (`load.rs`) and checking (`check.rs`), which both depend on this and not on each
//! other.

use std::cmp::Ordering;
use std::fmt;

use crate::l10n::{self, Lang, Said};
use crate::yaml;

/// One catalog file: its path relative to the catalog root, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogFile {
    pub path: String,
    pub text: String,
}

/// Something wrong in a catalog file. The message is said (a `catalog-*` message of
/// `locales/*/errors.ftl`, or serde's details through [`yaml::said`]) in the reader's
/// language by [`Problem::say`]; `Display` is the English text (logs, tests). Nothing
/// machine-readable holds a problem: `profiles check` prints them for people only.
#[derive(Debug, Clone)]
pub struct Problem {
    pub file: String,
    pub line: Option<usize>,
    /// The field, as a path: `requires.min_ram_mib`, `apps[2].packages`.
    pub field: Option<String>,
    pub message: Said,
}

impl Problem {
    /// `file:line: field: message`, the message in `lang` (file, line and field are the
    /// catalog's own words).
    pub fn say(&self, lang: Lang) -> String {
        let mut out = self.file.clone();
        if let Some(l) = self.line {
            out.push_str(&format!(":{l}"));
        }
        if let Some(field) = &self.field {
            out.push_str(&format!(": {field}"));
        }
        out.push_str(": ");
        out.push_str(&l10n::say(lang, &self.message));
        out
    }

    /// What problems are sorted and told apart by: where, then the English words (the
    /// order `profiles check` always printed).
    fn key(&self) -> (&str, Option<usize>, Option<&str>, String) {
        (
            &self.file,
            self.line,
            self.field.as_deref(),
            l10n::say(Lang::En, &self.message),
        )
    }
}

impl PartialEq for Problem {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Problem {}

impl PartialOrd for Problem {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Problem {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.say(Lang::En))
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
/// (`desktop: unknown field ...`); the rest is said by [`yaml::said`] (serde's English
/// text where it has no message).
pub fn yaml_problem(file: &str, e: &yaml::YamlError) -> Problem {
    let (field, message) = match e.message.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && !path.is_empty() => (Some(path.to_string()), yaml::said(rest)),
        _ => (None, yaml::said(&e.message)),
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
