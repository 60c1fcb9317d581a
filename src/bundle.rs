//! A bundle: the install files of one machine, in memory until `write_to` puts them on
//! disk in one step (temp dir beside the target, then rename). Files with password
//! hashes are mode 0600; scripts 0755.

use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::atomic;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleFile {
    pub name: String,
    pub contents: String,
    pub mode: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bundle {
    /// Directory name inside the output directory (the asset id).
    pub asset_id: String,
    pub files: Vec<BundleFile>,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{0} exists already: add --force to replace it")]
    Exists(String),
    #[error("cannot write the bundle to {path}: {source}")]
    Io { path: String, source: io::Error },
}

impl Bundle {
    pub fn add(&mut self, name: &str, contents: String, mode: u32) {
        self.files.push(BundleFile {
            name: name.to_string(),
            contents,
            mode,
        });
    }

    pub fn get(&self, name: &str) -> Option<&BundleFile> {
        self.files.iter().find(|f| f.name == name)
    }

    /// `SHA256SUMS` of every file, in the `sha256sum -c` format, sorted by name.
    pub fn sha256sums(&self) -> String {
        let mut files: Vec<&BundleFile> = self.files.iter().filter(|f| f.name != "SHA256SUMS").collect();
        files.sort_by(|a, b| a.name.cmp(&b.name));
        files
            .iter()
            .map(|f| {
                let digest = Sha256::digest(f.contents.as_bytes());
                let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
                format!("{hex}  {}\n", f.name)
            })
            .collect()
    }

    /// Write to `out_dir/<asset_id>/`: all files or none.
    pub fn write_to(&self, out_dir: &Path, force: bool) -> Result<(), WriteError> {
        let target = out_dir.join(&self.asset_id);
        let io_err = |e: io::Error| WriteError::Io {
            path: target.display().to_string(),
            source: e,
        };
        if target.exists() && !force {
            return Err(WriteError::Exists(target.display().to_string()));
        }
        fs::create_dir_all(out_dir).map_err(io_err)?;
        let tmp = atomic::temp_dir_for(&target).map_err(io_err)?;
        for f in &self.files {
            let path = tmp.path().join(&f.name);
            fs::write(&path, &f.contents).map_err(io_err)?;
            fs::set_permissions(&path, fs::Permissions::from_mode(f.mode)).map_err(io_err)?;
        }
        fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755)).map_err(io_err)?;
        atomic::publish_dir(tmp, &target, force).map_err(io_err)
    }
}
