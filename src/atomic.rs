//! Writing outputs so that nothing is ever half-written: files go to a temp file in the
//! target's directory and are renamed into place; trees are built in a temp dir beside
//! the target and renamed. Every temp file and dir is named `.upcycle-tmp-*`, so that the
//! ones a killed run left behind can be found and removed ([`remove_stale_temps`]).

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The name prefix of every temp file and dir this module makes.
pub const TEMP_PREFIX: &str = ".upcycle-tmp-";

fn temp_builder() -> tempfile::Builder<'static, 'static> {
    let mut b = tempfile::Builder::new();
    b.prefix(TEMP_PREFIX);
    b
}

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

/// Write `path` atomically with what `fill` writes (streamed to a temp file beside it).
/// When that is byte for byte the file already there, the old file stays as it was (and
/// its time) and `false` is returned; else it is replaced and `true` is returned.
pub fn write_file_with(path: &Path, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<bool> {
    let mut tmp = temp_builder().tempfile_in(parent_of(path))?;
    {
        let mut w = io::BufWriter::new(tmp.as_file_mut());
        fill(&mut w)?;
        w.flush()?;
    }
    if same_bytes(tmp.path(), path) {
        return Ok(false); // the temp file goes when dropped
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(true)
}

/// Whether two files hold the same bytes (false when either cannot be read).
fn same_bytes(a: &Path, b: &Path) -> bool {
    use std::io::Read;
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    if ma.len() != mb.len() || !mb.is_file() {
        return false;
    }
    let (Ok(fa), Ok(fb)) = (std::fs::File::open(a), std::fs::File::open(b)) else {
        return false;
    };
    let (mut ra, mut rb) = (io::BufReader::new(fa), io::BufReader::new(fb));
    let (mut ba, mut bb) = (vec![0u8; 64 * 1024], vec![0u8; 64 * 1024]);
    loop {
        let n = match ra.read(&mut ba) {
            Ok(n) => n,
            Err(_) => return false,
        };
        if n == 0 {
            return true;
        }
        if rb.read_exact(&mut bb[..n]).is_err() || ba[..n] != bb[..n] {
            return false;
        }
    }
}

/// Write the concatenation of `parts` to `path` atomically (without joining them in memory).
pub fn write_file_parts(path: &Path, parts: &[&[u8]]) -> io::Result<()> {
    let mut tmp = temp_builder().tempfile_in(parent_of(path))?;
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
    temp_builder().tempfile_in(parent_of(path))
}

/// A temp dir beside `path`, to be filled and then moved with [`publish_dir`].
pub fn temp_dir_for(path: &Path) -> io::Result<tempfile::TempDir> {
    temp_builder().tempdir_in(parent_of(path))
}

/// Remove the temp files and dirs (`.upcycle-tmp-*`) that runs killed half-way left in
/// `dir`, and only those: nothing of another name, no symlink's target. `min_age` spares
/// what is younger (it may belong to a run still going); `None` removes all, for a caller
/// that holds the folder's exclusive lock ([`crate::lock`]), under which none can be in
/// use. Returns what was removed and what could not be.
pub fn remove_stale_temps(dir: &Path, min_age: Option<Duration>) -> (Vec<PathBuf>, Vec<(PathBuf, io::Error)>) {
    let (mut removed, mut failed) = (Vec::new(), Vec::new());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (removed, failed);
    };
    let now = SystemTime::now();
    let mut stale: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(TEMP_PREFIX))
        .map(|e| e.path())
        .collect();
    stale.sort();
    for path in stale {
        // symlink_metadata: a link is removed as a link, never followed
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let age = meta.modified().ok().and_then(|m| now.duration_since(m).ok());
        if min_age.is_some_and(|min| age.is_none_or(|a| a < min)) {
            continue;
        }
        let result = if meta.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        match result {
            Ok(()) => removed.push(path),
            Err(e) => failed.push((path, e)),
        }
    }
    (removed, failed)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_streamed_file_replaces_only_a_different_one() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("labels.html");
        let fill = |text: &'static str| move |w: &mut dyn Write| w.write_all(text.as_bytes());
        assert!(write_file_with(&path, fill("eins")).unwrap());
        let inode = std::fs::metadata(&path).unwrap().ino();
        // the same bytes: the file stays (same inode), no temp file is left
        assert!(!write_file_with(&path, fill("eins")).unwrap());
        assert_eq!(std::fs::metadata(&path).unwrap().ino(), inode);
        // other bytes of the same length, and a longer text: replaced
        assert!(write_file_with(&path, fill("zwei")).unwrap());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "zwei");
        assert!(write_file_with(&path, fill("zwei drei")).unwrap());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "zwei drei");
        // a failing writer leaves the old file
        let failed = write_file_with(&path, |w| {
            w.write_all(b"halb")?;
            Err(io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "zwei drei");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temp file left");
    }

    /// A stale temp dir with files, a stale temp file and a link are removed; the user's
    /// own folder, even one named `.upcycle-tmp` without the dash, and a link's target stay.
    #[test]
    fn stale_temps_go_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join(".upcycle-tmp-abc/sub")).unwrap();
        std::fs::write(d.join(".upcycle-tmp-abc/sub/preseed.cfg"), "x").unwrap();
        std::fs::write(d.join(".upcycle-tmp-file"), "x").unwrap();
        let target = tempfile::tempdir().unwrap();
        std::fs::write(target.path().join("keep"), "x").unwrap();
        std::os::unix::fs::symlink(target.path(), d.join(".upcycle-tmp-link")).unwrap();
        for keep in ["my-notes", ".upcycle-tmp", "schule-001"] {
            std::fs::create_dir(d.join(keep)).unwrap();
            std::fs::write(d.join(keep).join("file"), "x").unwrap();
        }
        // too young to be stale for a run without the exclusive lock
        let (removed, failed) = remove_stale_temps(d, Some(Duration::from_secs(3600)));
        assert!(removed.is_empty() && failed.is_empty(), "{removed:?}");
        let (removed, failed) = remove_stale_temps(d, None);
        assert!(failed.is_empty(), "{failed:?}");
        assert_eq!(removed.len(), 3, "{removed:?}");
        let mut left: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".upcycle-tmp", "my-notes", "schule-001"]);
        assert!(target.path().join("keep").is_file(), "a link's target stays");
    }

    #[test]
    fn temp_files_carry_the_prefix() {
        let dir = tempfile::tempdir().unwrap();
        let f = temp_file_for(&dir.path().join("inventory.csv")).unwrap();
        assert!(f.path().file_name().unwrap().to_string_lossy().starts_with(TEMP_PREFIX));
    }
}
