//! Writing passports into a folder without losing anything: a passport file that is
//! already there with the same bytes is left alone; one with other bytes (an earlier
//! state of the laptop, or a file a person changed) is kept as `NAME.1.EXT` (the next
//! free number, never replacing one) before the new one takes its name. So the current
//! passport always has the same name (the one a label's QR code can point to), and no
//! earlier one is lost. Every file is written atomically (temp file, then rename).

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// There was none: written.
    New,
    /// The same bytes were there: nothing written.
    Unchanged,
    /// Other bytes were there: kept as this file, then the new one written.
    Replaced { kept: PathBuf },
}

/// The largest existing file compared (a passport page is a few KiB).
const MAX_COMPARED: u64 = 16 * 1024 * 1024;

/// The file name of a machine's passport: its host name when it is a plain host name
/// (`schule-003.passport.json`), else its number (`machine-3.passport.json`).
pub fn file_stem(hostname: &str, number: u32) -> String {
    let plain = !hostname.is_empty()
        && hostname.len() <= 63
        && hostname
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !hostname.starts_with('-');
    if plain {
        format!("{hostname}.passport")
    } else {
        format!("machine-{number}.passport")
    }
}

/// Write `bytes` as `dir/name` (`stem.ext`), keeping a different file that is there.
pub fn write_keeping(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<Written> {
    let path = dir.join(name);
    let outcome = match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Written::New,
        Err(e) => return Err(e),
        Ok(m) if !m.is_file() => {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} is not a regular file", path.display()),
            ));
        }
        Ok(m) => {
            let mut old = Vec::new();
            std::fs::File::open(&path)?
                .take(MAX_COMPARED + 1)
                .read_to_end(&mut old)?;
            if old == bytes && m.len() == bytes.len() as u64 {
                return Ok(Written::Unchanged);
            }
            // the whole old file, however long, goes to the kept copy
            let kept = keep(dir, name, &path)?;
            Written::Replaced { kept }
        }
    };
    crate::atomic::write_file(&path, bytes)?;
    Ok(outcome)
}

/// Copy `path` to `dir/stem.N.ext` (the first N free), created new, synced.
fn keep(dir: &Path, name: &str, path: &Path) -> io::Result<PathBuf> {
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) => (s, format!(".{e}")),
        None => (name, String::new()),
    };
    for n in 1..10_000 {
        let candidate = dir.join(format!("{stem}.{n}{ext}"));
        let mut out = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        };
        let copied = io::copy(&mut std::fs::File::open(path)?, &mut out)
            .and_then(|_| out.flush())
            .and_then(|_| out.sync_all());
        if let Err(e) = copied {
            let _ = std::fs::remove_file(&candidate);
            return Err(e);
        }
        return Ok(candidate);
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("{stem}.1{ext} to {stem}.9999{ext} all exist"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_bytes_are_left_and_other_bytes_kept() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        assert_eq!(write_keeping(d, "a.passport.json", b"one").unwrap(), Written::New);
        assert_eq!(write_keeping(d, "a.passport.json", b"one").unwrap(), Written::Unchanged);
        let w = write_keeping(d, "a.passport.json", b"two").unwrap();
        assert_eq!(
            w,
            Written::Replaced {
                kept: d.join("a.passport.1.json")
            }
        );
        // a person's edit of the current file is kept too, under the next number
        std::fs::write(d.join("a.passport.json"), b"two, with a note").unwrap();
        let w = write_keeping(d, "a.passport.json", b"three").unwrap();
        assert_eq!(
            w,
            Written::Replaced {
                kept: d.join("a.passport.2.json")
            }
        );
        let read = |n: &str| std::fs::read_to_string(d.join(n)).unwrap();
        assert_eq!(read("a.passport.json"), "three");
        assert_eq!(read("a.passport.1.json"), "one");
        assert_eq!(read("a.passport.2.json"), "two, with a note");
    }

    #[test]
    fn a_folder_in_the_way_is_an_error_and_stays() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("a.passport.html")).unwrap();
        assert!(write_keeping(dir.path(), "a.passport.html", b"x").is_err());
        assert!(dir.path().join("a.passport.html").is_dir());
    }

    #[test]
    fn only_plain_host_names_name_files() {
        assert_eq!(file_stem("schule-003", 3), "schule-003.passport");
        for odd in ["", "../x", "a/b", "Schule", "-x", "a b", "ä"] {
            assert_eq!(file_stem(odd, 7), "machine-7.passport", "{odd}");
        }
    }
}
