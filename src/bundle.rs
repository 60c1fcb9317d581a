//! A bundle: the install files of one machine, in memory until `write_to` puts them on
//! disk in one step ([`tree::write`]: temp dir beside the target, then rename). Files
//! with password hashes are mode 0600; scripts 0755. The files are text
//! (`TreeFile<String>`), so the validators read them as `&str`.

use std::io;
use std::path::Path;

use crate::digest::sha256_hex;

use crate::tree::{self, TreeFile};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bundle {
    /// Directory name inside the output directory (the asset id).
    pub asset_id: String,
    pub files: Vec<TreeFile<String>>,
    /// The values of this machine that render put into the files, each with its role
    /// (`hostname`, `disk`, `serial`, `firmware`, ...): batch masks them to see which files
    /// are the same text apart from them (see `validate::kind_key`). Not written anywhere.
    pub machine_values: Vec<(&'static str, String)>,
}

/// The SHA-256 of a bundle folder's `SHA256SUMS` on disk (what [`Bundle::digests`] gives
/// for the bundle that was written there).
pub fn digest_on_disk(dir: &Path) -> Option<String> {
    std::fs::read(dir.join("SHA256SUMS")).ok().map(|b| sha256_hex(&b))
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{0} exists already: add --force to replace it")]
    Exists(String),
    #[error("cannot write the bundle to {path}: {source}")]
    Io { path: String, source: io::Error },
}

impl crate::l10n::Localize for WriteError {
    fn localize(&self, lang: crate::l10n::Lang) -> String {
        match self {
            WriteError::Exists(path) => crate::l10n::format(lang, "err-bundle-exists", &[("path", path.into())]),
            WriteError::Io { path, source } => crate::l10n::format(
                lang,
                "err-bundle-write",
                &[
                    ("path", path.into()),
                    ("error", crate::l10n::Localize::localize(source, lang).into()),
                ],
            ),
        }
    }
}

impl Bundle {
    pub fn add(&mut self, name: &str, contents: String, mode: u32) {
        self.files.push(TreeFile::new(name, mode, contents));
    }

    pub fn get(&self, name: &str) -> Option<&TreeFile<String>> {
        self.files.iter().find(|f| f.path == name)
    }

    /// `SHA256SUMS` of every file, in the `sha256sum -c` format, sorted by name.
    pub fn sha256sums(&self) -> String {
        let mut files: Vec<&TreeFile<String>> = self.files.iter().filter(|f| f.path != "SHA256SUMS").collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
            .iter()
            .map(|f| format!("{}  {}\n", sha256_hex(f.data.as_bytes()), f.path))
            .collect()
    }

    /// The bundle as the ledger records it: the SHA-256 of its `SHA256SUMS` (one value for
    /// the whole bundle) and each file's SHA-256.
    pub fn digests(&self) -> (String, std::collections::BTreeMap<String, String>) {
        let sums = match self.get("SHA256SUMS") {
            Some(f) => f.data.clone(),
            None => self.sha256sums(),
        };
        let files = sums
            .lines()
            .filter_map(|l| l.split_once("  "))
            .map(|(hash, name)| (name.to_string(), hash.to_string()))
            .collect();
        (sha256_hex(sums.as_bytes()), files)
    }

    /// Record that the external validators in `skipped` did not check this bundle
    /// (`--skip-validator`): a `NOT-CHECKED.txt` that says which and what to do, counted in
    /// `SHA256SUMS`.
    pub fn note_unchecked(
        &mut self,
        skipped: &std::collections::BTreeSet<crate::validate::Tool>,
        lang: crate::l10n::Lang,
    ) {
        use crate::l10n::{format, text as said};
        let mut text = said(lang, "bundle-not-checked-title") + "\n\n";
        for t in skipped {
            text.push_str(&format(
                lang,
                "bundle-not-checked-tool",
                &[("program", t.program().into()), ("package", t.package().into())],
            ));
            text.push('\n');
        }
        text.push('\n');
        text.push_str(&said(lang, "bundle-not-checked-todo"));
        text.push('\n');
        self.files
            .retain(|f| f.path != "NOT-CHECKED.txt" && f.path != "SHA256SUMS");
        self.add("NOT-CHECKED.txt", text, 0o644);
        let sums = self.sha256sums();
        self.add("SHA256SUMS", sums, 0o644);
    }

    /// Write to `out_dir/<asset_id>/`: all files or none.
    pub fn write_to(&self, out_dir: &Path, force: bool) -> Result<(), WriteError> {
        let target = out_dir.join(&self.asset_id);
        if target.exists() && !force {
            return Err(WriteError::Exists(target.display().to_string()));
        }
        tree::write(&target, &self.files, force).map_err(|e| WriteError::Io {
            path: target.display().to_string(),
            source: match e {
                tree::WriteError::Target { source, .. } => source,
                other => other.into(),
            },
        })
    }
}
