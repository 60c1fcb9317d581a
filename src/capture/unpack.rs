//! Unpacking a `.tar.gz` capture, which is untrusted input: it may come from any laptop
//! or anyone's USB stick. What it may create is bounded ([`Limits`]: bytes, entries,
//! depth, checked before anything is written and again on the decompressed stream), only
//! regular files, directories and symlinks with plain relative paths are unpacked, and
//! nothing is ever written through a symlink. A symlink's target is kept as text: the
//! probe resolves it inside the capture (see `SysRoot`).

use std::cell::Cell;
use std::fs;
use std::io::{self, Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{OpenOptionsExt, symlink};
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use crate::l10n::{self, Lang, Localize, Said};

/// What unpacking one archive may create. A real capture is a few hundred entries, a few
/// KiB to a few MiB, at most about 15 directories deep; the defaults leave ample room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of file contents in all (`--max-unpacked`).
    pub max_bytes: u64,
    /// Files, directories and symlinks in all.
    pub max_entries: u64,
    /// Components of an entry's path.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 64 * 1024 * 1024,
            max_entries: 20_000,
            max_depth: 32,
        }
    }
}

/// Entry paths and symlink targets longer than this are refused (real ones are < 300).
const MAX_PATH_BYTES: usize = 1024;

/// Decompressed bytes an entry may add to its contents (header, long-name records,
/// padding), for the limit on the whole stream.
const OVERHEAD_PER_ENTRY: u64 = 4096;

/// Why an archive was not unpacked.
#[derive(Debug, thiserror::Error)]
pub enum UnpackError {
    /// The archive holds what a capture must not (too big, a device, `..`): bad input.
    #[error("{0}")]
    Refused(Said),
    /// Not a readable `.tar.gz` (not gzip, cut short): bad input.
    #[error("not a readable .tar.gz: {0}")]
    Unreadable(io::Error),
    /// Writing the unpacked files failed (disk full, no temp dir): the environment.
    #[error("cannot write the unpacked files (disk full? set TMPDIR to a folder with room): {0}")]
    Write(io::Error),
}

impl Localize for UnpackError {
    fn localize(&self, lang: Lang) -> String {
        let (id, error) = match self {
            UnpackError::Refused(said) => return said.localize(lang),
            UnpackError::Unreadable(e) => ("err-unpack-unreadable", e),
            UnpackError::Write(e) => ("err-unpack-write", e),
        };
        l10n::format(lang, id, &[("error", error.to_string().into())])
    }
}

impl UnpackError {
    /// True when the archive is to blame, false when the machine is (disk full).
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, UnpackError::Write(_))
    }
}

/// Unpack a `.tar.gz` capture into a new temp dir (in `TMPDIR`), removed when the
/// returned handle is dropped, and at once on any error.
pub fn unpack(archive: &Path, limits: &Limits) -> Result<tempfile::TempDir, UnpackError> {
    unpack_in(&std::env::temp_dir(), archive, limits)
}

/// [`unpack`] into a new directory below `parent`.
fn unpack_in(parent: &Path, archive: &Path, limits: &Limits) -> Result<tempfile::TempDir, UnpackError> {
    let dir = tempfile::Builder::new()
        .prefix("upcycle-capture-")
        .tempdir_in(parent)
        .map_err(UnpackError::Write)?;
    extract_tar_gz(archive, dir.path(), limits)?;
    Ok(dir)
}

/// Unpack a `.tar.gz` capture into `dest` (an existing, empty directory) within `limits`.
/// On error `dest` may hold part of the archive: unpack into a temp dir (see [`unpack`]).
pub fn extract_tar_gz(archive: &Path, dest: &Path, limits: &Limits) -> Result<(), UnpackError> {
    let file = fs::File::open(archive).map_err(UnpackError::Unreadable)?;
    let over = Rc::new(Cell::new(false));
    let budget = limits
        .max_bytes
        .saturating_add(limits.max_entries.saturating_mul(OVERHEAD_PER_ENTRY))
        .saturating_add(64 * 1024);
    let stream = Budget {
        inner: flate2::read::GzDecoder::new(io::BufReader::new(file)),
        left: budget,
        over: over.clone(),
    };
    let too_big = || UnpackError::Refused(Said::new("err-unpack-too-big").arg("limit", show_size(limits.max_bytes)));
    // Errors of the decompressed stream: the limit, or a broken archive.
    let unreadable = |e: io::Error| {
        if over.get() {
            too_big()
        } else {
            UnpackError::Unreadable(e)
        }
    };

    let mut tar = tar::Archive::new(stream);
    let mut entries = 0u64;
    let mut bytes = 0u64;
    for entry in tar.entries().map_err(unreadable)? {
        let mut entry = entry.map_err(unreadable)?;
        let Some(rel) = checked_path(&entry.path_bytes(), limits)? else {
            continue; // `./`, the archive's top
        };
        entries += 1;
        if entries > limits.max_entries {
            return Err(UnpackError::Refused(
                Said::new("err-unpack-too-many").arg("limit", limits.max_entries),
            ));
        }
        let shown = rel.display();
        let out = dest.join(&rel);
        match entry.header().entry_type() {
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                let size = entry.size();
                bytes = bytes.saturating_add(size);
                if bytes > limits.max_bytes {
                    return Err(too_big());
                }
                make_parents(dest, &rel)?;
                let mut file = fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o644)
                    .open(&out)
                    .map_err(|e| existing(e, &rel))?;
                let mut buf = [0u8; 64 * 1024];
                loop {
                    let n = entry.read(&mut buf).map_err(unreadable)?;
                    if n == 0 {
                        break;
                    }
                    file.write_all(&buf[..n]).map_err(UnpackError::Write)?;
                }
            }
            tar::EntryType::Directory => {
                make_parents(dest, &rel)?;
                match fs::symlink_metadata(&out) {
                    Ok(m) if m.is_dir() => {}
                    Ok(_) => return Err(twice(&rel)),
                    Err(_) => fs::create_dir(&out).map_err(UnpackError::Write)?,
                }
            }
            tar::EntryType::Symlink => {
                let target = entry.link_name_bytes().unwrap_or_default();
                if target.is_empty() || target.len() > MAX_PATH_BYTES || target.contains(&0) {
                    return Err(UnpackError::Refused(
                        Said::new("err-unpack-bad-symlink").arg("entry", shown.to_string()),
                    ));
                }
                let target = PathBuf::from(std::ffi::OsStr::from_bytes(&target));
                make_parents(dest, &rel)?;
                symlink(&target, &out).map_err(|e| existing(e, &rel))?;
            }
            other => {
                return Err(UnpackError::Refused(
                    Said::new("err-unpack-kind")
                        .arg("entry", shown.to_string())
                        .arg("kind", Said::new(kind_name(other))),
                ));
            }
        }
    }
    Ok(())
}

/// The entry's path as a relative path of plain names (`./` dropped), or a refusal.
/// `None` for the archive's top directory itself.
fn checked_path(raw: &[u8], limits: &Limits) -> Result<Option<PathBuf>, UnpackError> {
    let shown = String::from_utf8_lossy(raw);
    let refuse = |why: Said| {
        Err(UnpackError::Refused(
            Said::new("err-unpack-entry")
                .arg("entry", format!("{shown:?}"))
                .arg("why", why),
        ))
    };
    if raw.len() > MAX_PATH_BYTES {
        return refuse(Said::new("err-unpack-entry-long").arg("limit", MAX_PATH_BYTES as u64));
    }
    if raw.contains(&0) {
        return refuse(Said::new("err-unpack-entry-nul"));
    }
    let path = Path::new(std::ffi::OsStr::from_bytes(raw));
    let mut rel = PathBuf::new();
    for comp in path.components() {
        match comp {
            Component::Normal(name) => rel.push(name),
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return refuse(Said::new("err-unpack-entry-absolute")),
            Component::ParentDir => return refuse(Said::new("err-unpack-entry-climbs")),
        }
    }
    let depth = rel.components().count();
    if depth > limits.max_depth {
        return refuse(
            Said::new("err-unpack-entry-deep")
                .arg("depth", depth as u64)
                .arg("limit", limits.max_depth as u64),
        );
    }
    Ok((depth > 0).then_some(rel))
}

/// Create the directories above `rel` below `dest`, refusing to pass through anything
/// that is not a directory (a symlink from an earlier entry must not be written through).
fn make_parents(dest: &Path, rel: &Path) -> Result<(), UnpackError> {
    let mut cur = dest.to_path_buf();
    let Some(parent) = rel.parent() else {
        return Ok(());
    };
    for comp in parent.components() {
        cur.push(comp);
        match fs::symlink_metadata(&cur) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(UnpackError::Refused(
                    Said::new("err-unpack-not-dir")
                        .arg("entry", rel.display().to_string())
                        .arg("parent", cur.strip_prefix(dest).unwrap_or(&cur).display().to_string()),
                ));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => fs::create_dir(&cur).map_err(UnpackError::Write)?,
            Err(e) => return Err(UnpackError::Write(e)),
        }
    }
    Ok(())
}

/// An entry whose place is taken already appears twice (bad input); other errors are
/// the environment's.
fn existing(e: io::Error, rel: &Path) -> UnpackError {
    if e.kind() == io::ErrorKind::AlreadyExists {
        twice(rel)
    } else {
        UnpackError::Write(e)
    }
}

fn twice(rel: &Path) -> UnpackError {
    UnpackError::Refused(Said::new("err-unpack-twice").arg("entry", rel.display().to_string()))
}

fn kind_name(t: tar::EntryType) -> &'static str {
    match t {
        tar::EntryType::Link => "err-unpack-kind-hard-link",
        tar::EntryType::Char => "err-unpack-kind-char",
        tar::EntryType::Block => "err-unpack-kind-block",
        tar::EntryType::Fifo => "err-unpack-kind-fifo",
        tar::EntryType::GNUSparse => "err-unpack-kind-sparse",
        _ => "err-unpack-kind-other",
    }
}

/// The decompressed stream, cut off after `left` bytes (`over` is set then): long-name
/// records and other headers that the tar crate reads into memory are bounded too.
struct Budget<R> {
    inner: R,
    left: u64,
    over: Rc<Cell<bool>>,
}

impl<R: Read> Read for Budget<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            // Only an error if there is more to come.
            let mut probe = [0u8; 1];
            if self.inner.read(&mut probe)? == 0 {
                return Ok(0);
            }
            self.over.set(true);
            return Err(io::Error::other("the archive unpacks to more than its limit"));
        }
        let max = buf.len().min(self.left.min(usize::MAX as u64) as usize);
        let n = self.inner.read(&mut buf[..max])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// Parse a size such as `64M`, `1G`, `500K` or `1048576` (bytes); K, M, G are powers of
/// 1024, an optional `iB` or `B` after them is allowed.
///
/// The error is something said (`err-size-*`): clap's usage error says it in the
/// terminal's language (`printer::usage_error`).
pub fn parse_size(text: &str) -> Result<u64, crate::l10n::Said> {
    let not_a_size = || crate::l10n::Said::new("err-size-invalid").arg("value", format!("{text:?}"));
    let t = text.trim();
    let t = t.strip_suffix("iB").or_else(|| t.strip_suffix('B')).unwrap_or(t);
    let (digits, unit) = match t.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => t.split_at(i),
        None => (t, ""),
    };
    let factor: u64 = match unit.trim() {
        "" => 1,
        "K" | "k" => 1 << 10,
        "M" | "m" => 1 << 20,
        "G" | "g" => 1 << 30,
        _ => return Err(not_a_size()),
    };
    let n: u64 = digits.parse().map_err(|_| not_a_size())?;
    n.checked_mul(factor)
        .ok_or_else(|| crate::l10n::Said::new("err-size-too-large").arg("value", format!("{text:?}")))
}

/// A size for messages: `64 MiB`, `500 KiB`, `1000 bytes`.
pub fn show_size(bytes: u64) -> String {
    for (unit, factor) in [("GiB", 1u64 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] {
        if bytes >= factor && bytes % factor == 0 {
            return format!("{} {unit}", bytes / factor);
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One entry of a test archive.
    enum E<'a> {
        File(&'a str, &'a [u8]),
        /// A file header declaring `size` bytes of zeros.
        Zeros(&'a str, u64),
        Dir(&'a str),
        Link(&'a str, &'a str),
        /// Any header type with this raw name (no checks by the tar crate).
        Raw(&'a [u8], tar::EntryType, &'a str),
    }

    fn archive(dir: &Path, entries: &[E]) -> PathBuf {
        let path = dir.join("test.tar.gz");
        let gz = flate2::write::GzEncoder::new(fs::File::create(&path).unwrap(), flate2::Compression::fast());
        let mut b = tar::Builder::new(gz);
        for e in entries {
            let mut h = tar::Header::new_gnu();
            h.set_mode(0o644);
            match e {
                E::File(name, data) => {
                    h.set_size(data.len() as u64);
                    b.append_data(&mut h, name, *data).unwrap();
                }
                E::Zeros(name, size) => {
                    h.set_size(*size);
                    b.append_data(&mut h, name, io::repeat(0).take(*size)).unwrap();
                }
                E::Dir(name) => {
                    h.set_entry_type(tar::EntryType::Directory);
                    h.set_size(0);
                    b.append_data(&mut h, name, io::empty()).unwrap();
                }
                E::Link(name, target) => {
                    h.set_entry_type(tar::EntryType::Symlink);
                    h.set_size(0);
                    b.append_link(&mut h, name, target).unwrap();
                }
                E::Raw(name, kind, link) => {
                    h.set_entry_type(*kind);
                    h.set_size(0);
                    h.as_old_mut().name[..name.len()].copy_from_slice(name);
                    h.as_old_mut().linkname[..link.len()].copy_from_slice(link.as_bytes());
                    if *kind == tar::EntryType::GNUSparse {
                        h.as_gnu_mut().unwrap().realsize.copy_from_slice(b"00000000000\0");
                    }
                    h.set_cksum();
                    b.append(&h, io::empty()).unwrap();
                }
            }
        }
        b.into_inner().unwrap().finish().unwrap();
        path
    }

    fn small() -> Limits {
        Limits {
            max_bytes: 1024 * 1024,
            max_entries: 10,
            max_depth: 4,
        }
    }

    /// Unpack into a fresh dir; the error's text if refused (panics on other errors).
    fn refused(entries: &[E], limits: &Limits) -> String {
        let tmp = tempfile::tempdir().unwrap();
        let a = archive(tmp.path(), entries);
        let parent = tmp.path().join("parent");
        fs::create_dir(&parent).unwrap();
        let err = unpack_in(&parent, &a, limits).expect_err("refused");
        assert!(err.is_bad_input(), "{err}");
        // Nothing left behind, nothing written beside.
        assert_eq!(fs::read_dir(&parent).unwrap().count(), 0, "temp dir removed");
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            2,
            "only the archive and parent"
        );
        err.to_string()
    }

    #[test]
    fn a_capture_unpacks_with_long_paths_and_symlinks() {
        let tmp = tempfile::tempdir().unwrap();
        let long = format!(
            "sys/devices/{}/vendor",
            "pci0000:00/0000:00:1c.1/0000:03:00.0/".repeat(4)
        );
        let a = archive(
            tmp.path(),
            &[
                E::Dir("./"),
                E::Dir("./proc"),
                E::File("./proc/cpuinfo", b"model name : x\n"),
                E::File(&long, b"0x8086\n"),
                E::Link("sys/class/net/eth0", "../../devices/pci0000:00/net/eth0"),
                E::Link("sys/abs", "/sys/devices"),
            ],
        );
        let dir = unpack(&a, &Limits::default()).unwrap();
        assert_eq!(fs::read(dir.path().join("proc/cpuinfo")).unwrap(), b"model name : x\n");
        assert_eq!(fs::read(dir.path().join(&long)).unwrap(), b"0x8086\n");
        assert_eq!(
            fs::read_link(dir.path().join("sys/class/net/eth0")).unwrap(),
            Path::new("../../devices/pci0000:00/net/eth0")
        );
        assert_eq!(
            fs::read_link(dir.path().join("sys/abs")).unwrap(),
            Path::new("/sys/devices")
        );
        let path = dir.path().to_path_buf();
        drop(dir);
        assert!(!path.exists(), "removed when dropped");
    }

    #[test]
    fn a_bomb_is_refused_before_it_is_written() {
        // 64 MiB of zeros compress to about 64 KiB; refused from the header, at once.
        let err = refused(
            &[E::File("proc/cpuinfo", b"x"), E::Zeros("sys/zero", 64 << 20)],
            &small(),
        );
        assert!(
            err.contains("more than 1 MiB") && err.contains("--max-unpacked"),
            "{err}"
        );
        // Many files each under the limit add up.
        let half = 600 * 1024;
        let err = refused(&[E::Zeros("a", half), E::Zeros("b", half)], &small());
        assert!(err.contains("more than 1 MiB"), "{err}");
    }

    #[test]
    fn long_name_records_are_bounded_too() {
        // A GNU long-name record is read into memory by the tar crate before we see its
        // entry: the stream budget cuts it.
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("test.tar.gz");
        let gz = flate2::write::GzEncoder::new(fs::File::create(&path).unwrap(), flate2::Compression::fast());
        let mut b = tar::Builder::new(gz);
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::GNULongName);
        h.as_gnu_mut().unwrap().name[..13].copy_from_slice(b"././@LongLink");
        h.set_size(8 << 20);
        h.set_cksum();
        b.append(&h, io::repeat(b'a').take(8 << 20)).unwrap();
        b.into_inner().unwrap().finish().unwrap();
        let parent = tmp.path().join("parent");
        fs::create_dir(&parent).unwrap();
        let err = unpack_in(&parent, &path, &small()).unwrap_err();
        assert!(err.is_bad_input());
        assert!(err.to_string().contains("more than 1 MiB"), "{err}");
        assert_eq!(fs::read_dir(&parent).unwrap().count(), 0);
    }

    #[test]
    fn too_many_entries_or_too_deep_are_refused() {
        let names: Vec<String> = (0..11).map(|i| format!("f{i}")).collect();
        let files: Vec<E> = names.iter().map(|n| E::File(n, b"")).collect();
        let err = refused(&files, &small());
        assert!(err.contains("more than 10 entries"), "{err}");
        let err = refused(&[E::File("a/b/c/d/e", b"")], &small());
        assert!(err.contains("5 levels deep (the limit is 4)"), "{err}");
        // Four levels are fine.
        let tmp = tempfile::tempdir().unwrap();
        let a = archive(tmp.path(), &[E::File("a/b/c/d", b"ok")]);
        unpack(&a, &small()).unwrap();
    }

    #[test]
    fn paths_out_of_the_archive_are_refused() {
        for (name, why) in [
            (&b"/etc/cron.d/x"[..], "is absolute"),
            (b"../../x", "climbs with `..`"),
            (b"sys/../../x", "climbs with `..`"),
        ] {
            let err = refused(&[E::Raw(name, tar::EntryType::Regular, "")], &small());
            assert!(err.contains(why), "{err}");
        }
        // Writing through a symlink of the archive itself.
        let err = refused(&[E::Link("sys", "/tmp"), E::File("sys/evil", b"x")], &small());
        assert!(err.contains("not a directory"), "{err}");
        let err = refused(&[E::Link("sys", "/tmp"), E::Dir("sys/evil")], &small());
        assert!(err.contains("not a directory"), "{err}");
        // A file where a symlink was: not written through it either.
        let err = refused(&[E::Link("x", "/tmp/upcycle-x"), E::File("x", b"x")], &small());
        assert!(err.contains("appears twice"), "{err}");
        assert!(!Path::new("/tmp/upcycle-x").exists());
    }

    #[test]
    fn only_files_dirs_and_symlinks_are_unpacked() {
        for (kind, what) in [
            (tar::EntryType::Link, "a hard link"),
            (tar::EntryType::Char, "a character device"),
            (tar::EntryType::Block, "a block device"),
            (tar::EntryType::Fifo, "a FIFO"),
            (tar::EntryType::GNUSparse, "a sparse file"),
        ] {
            let err = refused(&[E::Raw(b"sys/x", kind, "/etc/shadow")], &small());
            assert!(err.contains(&format!("sys/x is {what}")), "{err}");
        }
    }

    #[test]
    fn a_write_failure_is_the_environment_not_the_archive() {
        let tmp = tempfile::tempdir().unwrap();
        let a = archive(tmp.path(), &[E::File("proc/cpuinfo", b"x")]);
        // The destination vanished (as when the temp dir's disk fails).
        let err = extract_tar_gz(&a, &tmp.path().join("gone"), &small()).unwrap_err();
        assert!(!err.is_bad_input(), "{err}");
        assert!(err.to_string().contains("TMPDIR"), "{err}");
        // Not gzip at all: the archive's fault.
        fs::write(&a, "not gzip").unwrap();
        let err = extract_tar_gz(&a, tmp.path(), &small()).unwrap_err();
        assert!(err.is_bad_input(), "{err}");
    }

    #[test]
    fn sizes_parse_and_show() {
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        assert_eq!(parse_size("500k"), Ok(500 << 10));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("12T").is_err());
        assert!(parse_size("99999999999999G").is_err());
        assert_eq!(show_size(64 << 20), "64 MiB");
        assert_eq!(show_size(1000), "1000 bytes");
    }
}
