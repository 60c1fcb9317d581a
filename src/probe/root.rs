//! `SysRoot`: the one door through which the probe reads `/proc` and `/sys`.
//!
//! Every probe function takes a `&SysRoot` and a path relative to it
//! (`sys/class/dmi/id/sys_vendor`), so tests point the probe at a captured tree and the
//! literal `/` appears only in [`SysRoot::live`]. The root can also record every path the
//! probe touched: `capture` replays that log to copy exactly those files.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// Files larger than this are cut: no real `/proc` or `/sys` file the probe reads comes
/// close, and a hostile or broken capture must not make the probe read gigabytes.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// How a path was used, so that `capture` knows what to recreate.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    /// File contents were read.
    File(String),
    /// A directory was listed or tested for existence.
    Dir(String),
    /// A symlink's target was read (the target itself need not exist, e.g. `driver`).
    Link(String),
    /// A directory entry was seen in a listing.
    Entry(String),
}

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    Missing,
    PermissionDenied,
    Other(String),
}

impl ReadError {
    pub fn describe(&self) -> String {
        match self {
            ReadError::Missing => "missing".to_string(),
            ReadError::PermissionDenied => "not readable (needs root?)".to_string(),
            ReadError::Other(e) => e.clone(),
        }
    }
}

/// A file's text, with a note when it was not clean UTF-8 or was cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub text: String,
    pub lossy: bool,
    pub truncated: bool,
}

/// The root of a (live or captured) file system tree.
#[derive(Debug)]
pub struct SysRoot {
    base: PathBuf,
    log: Option<RefCell<BTreeSet<Access>>>,
}

impl SysRoot {
    /// The running system.
    pub fn live() -> Self {
        SysRoot {
            base: PathBuf::from("/"),
            log: None,
        }
    }

    /// A tree at `base` (a capture, or `/`).
    pub fn at(base: impl Into<PathBuf>) -> Self {
        SysRoot {
            base: base.into(),
            log: None,
        }
    }

    /// Record every access from now on (for `capture`).
    pub fn recording(mut self) -> Self {
        self.log = Some(RefCell::new(BTreeSet::new()));
        self
    }

    pub fn base(&self) -> &Path {
        &self.base
    }

    /// True when this is the running system's own root.
    pub fn is_live(&self) -> bool {
        self.base == Path::new("/")
    }

    /// Every access so far, sorted.
    pub fn accesses(&self) -> Vec<Access> {
        self.log
            .as_ref()
            .map(|l| l.borrow().iter().cloned().collect())
            .unwrap_or_default()
    }

    fn note(&self, access: Access) {
        if let Some(log) = &self.log {
            log.borrow_mut().insert(access);
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.base.join(rel.trim_start_matches('/'))
    }

    /// Read a text file, cut at [`MAX_FILE_BYTES`], invalid UTF-8 replaced.
    pub fn read(&self, rel: &str) -> Result<Text, ReadError> {
        self.note(Access::File(rel.to_string()));
        let file = fs::File::open(self.path(rel)).map_err(io_to_read_error)?;
        let mut bytes = Vec::new();
        file.take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(io_to_read_error)?;
        let truncated = bytes.len() as u64 > MAX_FILE_BYTES;
        if truncated {
            bytes.truncate(MAX_FILE_BYTES as usize);
        }
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Text {
                text,
                lossy: false,
                truncated,
            }),
            Err(e) => Ok(Text {
                text: String::from_utf8_lossy(e.as_bytes()).into_owned(),
                lossy: true,
                truncated,
            }),
        }
    }

    /// Names in a directory, sorted; empty when it does not exist.
    pub fn list(&self, rel: &str) -> Vec<String> {
        self.note(Access::Dir(rel.to_string()));
        let Ok(entries) = fs::read_dir(self.path(rel)) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| !n.starts_with('.'))
            .collect();
        names.sort();
        for name in &names {
            self.note(Access::Entry(format!("{}/{}", rel.trim_end_matches('/'), name)));
        }
        names
    }

    /// Does this path exist (following symlinks)?
    pub fn exists(&self, rel: &str) -> bool {
        self.note(Access::Dir(rel.to_string()));
        self.path(rel).exists()
    }

    /// The last component of a symlink's target, e.g. the driver name of `.../driver`.
    pub fn link_name(&self, rel: &str) -> Option<String> {
        self.note(Access::Link(rel.to_string()));
        let target = fs::read_link(self.path(rel)).ok()?;
        target.file_name().and_then(|n| n.to_str()).map(str::to_string)
    }

    /// The physical path (relative to the root, symlinks resolved) of a path, if it
    /// exists and stays inside the root. Used to see where a device sits in the tree.
    pub fn resolve(&self, rel: &str) -> Option<String> {
        self.note(Access::Dir(rel.to_string()));
        resolve_within(&self.base, Path::new(rel.trim_start_matches('/')), 0).map(|p| p.to_string_lossy().into_owned())
    }
}

fn io_to_read_error(e: std::io::Error) -> ReadError {
    match e.kind() {
        // A path through a regular file (`size/x`) is as missing as an absent one.
        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory => ReadError::Missing,
        std::io::ErrorKind::PermissionDenied => ReadError::PermissionDenied,
        _ => ReadError::Other(e.to_string()),
    }
}

/// Resolve `rel` inside `base` without ever leaving it: symlinks are followed one
/// component at a time, absolute targets count from `base`, `..` stops at `base`.
pub fn resolve_within(base: &Path, rel: &Path, depth: u32) -> Option<PathBuf> {
    if depth > 40 {
        return None;
    }
    let mut cur = PathBuf::new();
    let comps: Vec<Component> = rel.components().collect();
    for (i, comp) in comps.iter().enumerate() {
        match comp {
            Component::Normal(name) => {
                let next = cur.join(name);
                let meta = fs::symlink_metadata(base.join(&next)).ok()?;
                if meta.file_type().is_symlink() {
                    let target = fs::read_link(base.join(&next)).ok()?;
                    let joined = if target.is_absolute() {
                        target.strip_prefix("/").ok()?.to_path_buf()
                    } else {
                        cur.join(&target)
                    };
                    let rest: PathBuf = comps[i + 1..].iter().collect();
                    let resolved = resolve_within(base, &normalize(&joined), depth + 1)?;
                    return resolve_within(base, &resolved.join(rest), depth + 1);
                }
                cur = next;
            }
            Component::ParentDir => {
                cur.pop();
            }
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    Some(cur)
}

/// Remove `.` and `..` lexically, never climbing above the start.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for comp in path.components() {
        match comp {
            Component::Normal(n) => out.push(n),
            Component::ParentDir => {
                out.pop();
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_follows_relative_links_and_stays_inside() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path();
        fs::create_dir_all(base.join("sys/devices/pci0000:00/0000:00:1f.2/block/sda")).unwrap();
        fs::create_dir_all(base.join("sys/block")).unwrap();
        std::os::unix::fs::symlink(
            "../devices/pci0000:00/0000:00:1f.2/block/sda",
            base.join("sys/block/sda"),
        )
        .unwrap();
        std::os::unix::fs::symlink("../../../../../../etc", base.join("sys/block/evil")).unwrap();
        let root = SysRoot::at(base);
        assert_eq!(
            root.resolve("sys/block/sda").as_deref(),
            Some("sys/devices/pci0000:00/0000:00:1f.2/block/sda")
        );
        // `..` beyond the root stops at the root, so this lands on `etc` inside it,
        // which does not exist in the tree.
        assert_eq!(root.resolve("sys/block/evil"), None);
    }

    #[test]
    fn read_cuts_huge_files_and_replaces_bad_utf8() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("junk"), [b'a', 0xff, 0xfe, b'b']).unwrap();
        let big = vec![b'x'; (MAX_FILE_BYTES + 10) as usize];
        fs::write(dir.path().join("big"), big).unwrap();
        let root = SysRoot::at(dir.path());
        let junk = root.read("junk").unwrap();
        assert!(junk.lossy);
        assert_eq!(junk.text, "a\u{fffd}\u{fffd}b");
        let big = root.read("big").unwrap();
        assert!(big.truncated);
        assert_eq!(big.text.len() as u64, MAX_FILE_BYTES);
        assert_eq!(root.read("nope"), Err(ReadError::Missing));
    }
}
