//! Writing outputs so that nothing is ever half-written: files go to a temp file in the
//! target's directory and are renamed into place; trees are built in a temp dir beside
//! the target and renamed.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Write `bytes` to `path` atomically.
pub fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_file_parts(path, &[bytes])
}

/// Write the concatenation of `parts` to `path` atomically (without joining them in memory).
pub fn write_file_parts(path: &Path, parts: &[&[u8]]) -> io::Result<()> {
    let mut tmp = tempfile::NamedTempFile::new_in(parent_of(path))?;
    {
        let mut w = io::BufWriter::new(tmp.as_file_mut());
        for p in parts {
            w.write_all(p)?;
        }
        w.flush()?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A temp file beside `path`, to be filled and then [`tempfile::NamedTempFile::persist`]ed.
pub fn temp_file_for(path: &Path) -> io::Result<tempfile::NamedTempFile> {
    tempfile::NamedTempFile::new_in(parent_of(path))
}

/// A temp dir beside `path`, to be filled and then moved with [`publish_dir`].
pub fn temp_dir_for(path: &Path) -> io::Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix(".upcycle-tmp-")
        .tempdir_in(parent_of(path))
}

/// Move a finished temp dir to `path`. With `replace`, an existing `path` is swapped out
/// and removed only after the new tree is in place.
pub fn publish_dir(tmp: tempfile::TempDir, path: &Path, replace: bool) -> io::Result<()> {
    if replace && path.exists() {
        // Move the old tree into the temp area first, so a failure leaves one of the two.
        let old = tmp.path().with_extension("old");
        std::fs::rename(path, &old)?;
        let built = tmp.keep();
        if let Err(e) = std::fs::rename(&built, path) {
            let _ = std::fs::rename(&old, path);
            let _ = std::fs::remove_dir_all(&built);
            return Err(e);
        }
        std::fs::remove_dir_all(&old)
    } else {
        // On failure the TempDir is dropped and removes the half-built tree.
        std::fs::rename(tmp.path(), path)?;
        let _ = tmp.keep();
        Ok(())
    }
}
