//! A file in a tree ([`TreeFile`]) and the one writer of trees ([`write`], [`stage`]):
//! bundles, USB stick folders and network-boot trees are all lists of files planned in
//! memory by pure code, then written here in one step.
//!
//! A `TreeFile` says what its content is by its type parameter: a bundle's files are
//! `TreeFile<String>` (the validators read them as `&str`), a stick's files and the
//! initrd's are `TreeFile<Vec<u8>>`, a network-boot tree's are `TreeFile<Data>` (generated
//! text, or a copy of an installer image file made only when the tree is written, so tens
//! of MB of kernels never sit in memory).
//!
//! Writing: a temp dir `.upcycle-tmp-*` beside the target ([`atomic::temp_dir_for`]),
//! every file written with its mode and fsynced, folders 0755 and fsynced, then renamed
//! into place ([`atomic::publish_dir`]; with `replace` an existing tree goes only after the
//! new one is complete). A failure leaves the old tree or none, never half of one.

use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::atomic;

/// One file of a tree: a `/`-separated path relative to the tree's root, permission bits,
/// and its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeFile<D = Data> {
    pub path: String,
    pub mode: u32,
    pub data: D,
}

impl<D> TreeFile<D> {
    pub fn new(path: impl Into<String>, mode: u32, data: impl Into<D>) -> Self {
        TreeFile {
            path: path.into(),
            mode,
            data: data.into(),
        }
    }
}

impl TreeFile<String> {
    /// The text of a generated file.
    pub fn text(&self) -> &str {
        &self.data
    }
}

/// The content of a file of a tree that also holds copies of files on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Data {
    /// Generated text.
    Text(String),
    /// A copy of this file (of the installer images), made when the tree is written.
    Copy(PathBuf),
    /// A copy of this file followed by these bytes (an installer's `initrd.gz` and one more
    /// gzip member: the kernel unpacks both).
    CopyAndAppend(PathBuf, Vec<u8>),
}

impl From<String> for Data {
    fn from(text: String) -> Data {
        Data::Text(text)
    }
}

impl From<PathBuf> for Data {
    fn from(path: PathBuf) -> Data {
        Data::Copy(path)
    }
}

impl TreeFile<Data> {
    /// The text of a generated file; `None` for a copy.
    pub fn text(&self) -> Option<&str> {
        match &self.data {
            Data::Text(t) => Some(t),
            Data::Copy(_) | Data::CopyAndAppend(..) => None,
        }
    }
}

fn copy_from(from: &std::path::Path, file: &mut fs::File) -> Result<(), WriteError> {
    let source_error = |e| WriteError::Source {
        from: from.to_path_buf(),
        source: e,
    };
    let mut source = fs::File::open(from).map_err(source_error)?;
    io::copy(&mut source, file).map_err(source_error)?;
    Ok(())
}

/// What the writer can put into a file.
pub trait Content {
    /// Write the content into `file` (just created, empty).
    fn write_into(&self, file: &mut fs::File) -> Result<(), WriteError>;
}

impl Content for String {
    fn write_into(&self, file: &mut fs::File) -> Result<(), WriteError> {
        file.write_all(self.as_bytes()).map_err(WriteError::target)
    }
}

impl Content for Vec<u8> {
    fn write_into(&self, file: &mut fs::File) -> Result<(), WriteError> {
        file.write_all(self).map_err(WriteError::target)
    }
}

impl Content for Data {
    fn write_into(&self, file: &mut fs::File) -> Result<(), WriteError> {
        match self {
            Data::Text(t) => t.write_into(file),
            Data::Copy(from) => copy_from(from, file),
            Data::CopyAndAppend(from, tail) => {
                copy_from(from, file)?;
                tail.write_into(file)
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A file to be copied could not be read (the installer images are incomplete).
    #[error("cannot read {}: {source}", from.display())]
    Source { from: PathBuf, source: io::Error },
    /// The tree could not be written (disk full, permissions, ...).
    #[error("{}{source}", path.as_ref().map(|p| format!("cannot write {}: ", p.display())).unwrap_or_default())]
    Target { path: Option<PathBuf>, source: io::Error },
    /// A path that is not plain and relative (`/x`, `a/../b`, `a//b`, empty).
    #[error("{0:?}: not a plain relative path for a file of the tree")]
    BadPath(String),
}

impl WriteError {
    fn target(source: io::Error) -> WriteError {
        WriteError::Target { path: None, source }
    }

    fn at(self, path: &Path) -> WriteError {
        match self {
            WriteError::Target { path: None, source } => WriteError::Target {
                path: Some(path.to_path_buf()),
                source,
            },
            other => other,
        }
    }
}

impl From<WriteError> for io::Error {
    fn from(e: WriteError) -> io::Error {
        let kind = match &e {
            WriteError::Source { source, .. } | WriteError::Target { source, .. } => source.kind(),
            WriteError::BadPath(_) => io::ErrorKind::InvalidInput,
        };
        io::Error::new(kind, e.to_string())
    }
}

/// `a/b/c`: no leading `/`, no empty, `.` or `..` parts.
pub fn valid_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != ".." && !part.contains('\0'))
}

/// A tree written in a temp dir beside its target, not yet in place: [`Staged::publish`]
/// moves it there; dropping it removes it.
#[derive(Debug)]
pub struct Staged {
    tmp: tempfile::TempDir,
    target: PathBuf,
}

impl Staged {
    /// Where the tree is now (to read it before publishing, e.g. into a disk image).
    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// Rename the tree into place; with `replace` an existing target is swapped out and
    /// removed only after the new tree is in place. The parent folder is fsynced.
    pub fn publish(self, replace: bool) -> Result<(), WriteError> {
        atomic::publish_dir(self.tmp, &self.target, replace).map_err(|e| WriteError::target(e).at(&self.target))?;
        let parent = match self.target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        sync_dir(parent).map_err(|e| WriteError::target(e).at(parent))
    }
}

/// Write `files` as the tree `target` in one step: see [`stage`] and [`Staged::publish`].
pub fn write<D: Content>(target: &Path, files: &[TreeFile<D>], replace: bool) -> Result<(), WriteError> {
    stage(target, files)?.publish(replace)
}

/// Write `files` into a new temp dir beside `target` (created with its parents): each
/// file with its mode, folders 0755, everything fsynced. Nothing is at `target` yet.
pub fn stage<D: Content>(target: &Path, files: &[TreeFile<D>]) -> Result<Staged, WriteError> {
    if let Some(bad) = files.iter().find(|f| !valid_path(&f.path)) {
        return Err(WriteError::BadPath(bad.path.clone()));
    }
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|e| WriteError::target(e).at(parent))?;
    }
    let tmp = atomic::temp_dir_for(target).map_err(|e| WriteError::target(e).at(target))?;
    let root = tmp.path().to_path_buf();
    fs::set_permissions(&root, fs::Permissions::from_mode(0o755)).map_err(|e| WriteError::target(e).at(&root))?;
    let mut dirs = vec![root.clone()];
    for f in files {
        let path = root.join(&f.path);
        let parent = path.parent().expect("a tree file is below the root");
        create_dirs(&root, parent, &mut dirs).map_err(|e| WriteError::target(e).at(parent))?;
        write_file(&path, f).map_err(|e| e.at(&path))?;
    }
    // Deepest first, so each folder's entries are on disk before its parent's.
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in &dirs {
        sync_dir(d).map_err(|e| WriteError::target(e).at(d))?;
    }
    Ok(Staged {
        tmp,
        target: target.to_path_buf(),
    })
}

fn write_file<D: Content>(path: &Path, f: &TreeFile<D>) -> Result<(), WriteError> {
    // create_new: two files of the same path are an error, not a silent overwrite
    // `open` gives the file its mode when the umask masks none of its bits (022 and 0644,
    // 0755, 0600); else it is created 0600 and set explicitly.
    let exact = umask().is_some_and(|m| f.mode & m == 0);
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(if exact { f.mode } else { 0o600 })
        .open(path)
        .map_err(WriteError::target)?;
    f.data.write_into(&mut file)?;
    if !exact {
        file.set_permissions(fs::Permissions::from_mode(f.mode))
            .map_err(WriteError::target)?;
    }
    file.sync_all().map_err(WriteError::target)
}

/// The process's umask, read once from /proc/self/status (setting it to read it would race
/// with other threads creating files); `None` when it cannot be read.
fn umask() -> Option<u32> {
    static UMASK: std::sync::OnceLock<Option<u32>> = std::sync::OnceLock::new();
    *UMASK.get_or_init(|| {
        let status = fs::read_to_string("/proc/self/status").ok()?;
        let value = status.lines().find_map(|l| l.strip_prefix("Umask:"))?;
        u32::from_str_radix(value.trim(), 8).ok()
    })
}

/// `create_dir_all` below `root` with mode 0755 on every folder it makes (recorded in
/// `made`, to be fsynced).
fn create_dirs(root: &Path, dir: &Path, made: &mut Vec<PathBuf>) -> io::Result<()> {
    if dir == root || dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent().filter(|p| p.starts_with(root) && *p != root) {
        create_dirs(root, parent, made)?;
    }
    fs::DirBuilder::new().mode(0o755).create(dir)?;
    // DirBuilder's mode is masked by the umask
    fs::set_permissions(dir, fs::Permissions::from_mode(0o755))?;
    made.push(dir.to_path_buf());
    Ok(())
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(p: &Path) -> u32 {
        fs::metadata(p).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn writes_modes_folders_and_copies() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("kernel");
        fs::write(&source, b"\x7fELF").unwrap();
        let target = dir.path().join("out/tree");
        let files: Vec<TreeFile> = vec![
            TreeFile::new("start.sh", 0o755, "#!/bin/sh\n".to_string()),
            TreeFile::new("tftp/debian/12/i386/linux", 0o644, source.clone()),
            TreeFile::new("secret", 0o600, "x".to_string()),
        ];
        write(&target, &files, false).unwrap();
        assert_eq!(fs::read(target.join("start.sh")).unwrap(), b"#!/bin/sh\n");
        assert_eq!(fs::read(target.join("tftp/debian/12/i386/linux")).unwrap(), b"\x7fELF");
        assert_eq!(mode(&target.join("start.sh")), 0o755);
        assert_eq!(mode(&target.join("secret")), 0o600);
        assert_eq!(mode(&target.join("tftp/debian/12/i386/linux")), 0o644);
        for d in ["", "tftp", "tftp/debian", "tftp/debian/12", "tftp/debian/12/i386"] {
            assert_eq!(mode(&target.join(d)), 0o755, "{d}");
        }
        let left: Vec<_> = fs::read_dir(dir.path().join("out")).unwrap().collect();
        assert_eq!(left.len(), 1, "no temp dir is left");
    }

    #[test]
    fn replace_swaps_and_refusals_leave_the_old_tree() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("b");
        write(
            &target,
            &[TreeFile::<String>::new("old", 0o644, "1".to_string())],
            false,
        )
        .unwrap();
        // without replace, an existing target stays
        assert!(
            write(
                &target,
                &[TreeFile::<String>::new("new", 0o644, "2".to_string())],
                false
            )
            .is_err()
        );
        assert!(target.join("old").is_file() && !target.join("new").exists());
        // a missing source: the error names it, the old tree stays, no temp is left
        let missing: Vec<TreeFile> = vec![TreeFile::new("linux", 0o644, dir.path().join("nope"))];
        match write(&target, &missing, true) {
            Err(WriteError::Source { from, .. }) => assert_eq!(from, dir.path().join("nope")),
            other => panic!("{other:?}"),
        }
        for bad in ["/etc/passwd", "../x", "a/../b", "a//b", ""] {
            assert!(matches!(
                write(&target, &[TreeFile::<Vec<u8>>::new(bad, 0o644, vec![])], true),
                Err(WriteError::BadPath(_))
            ));
        }
        let twice = [
            TreeFile::<Vec<u8>>::new("a", 0o644, vec![1]),
            TreeFile::<Vec<u8>>::new("a", 0o644, vec![2]),
        ];
        assert!(write(&target, &twice, true).is_err());
        assert!(target.join("old").is_file());
        write(&target, &[TreeFile::<String>::new("new", 0o644, "2".to_string())], true).unwrap();
        assert!(!target.join("old").exists() && target.join("new").is_file());
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["b"], "no .upcycle-tmp-* left behind");
    }
}
