//! Capture: copy exactly the files a probe read (with the symlinks on their way, such as
//! `sys/class/net/*` and PCI `driver` links) into a tree that `probe --root` reads back
//! to the same report. The capture is built in a temp dir and moved into place. Reading
//! an archive back (untrusted input) is [`unpack`]'s job.

mod unpack;

pub use unpack::{Limits, UnpackError, extract_tar_gz, parse_size, show_size, unpack};

use std::fs;
use std::io::{self, Read};
use std::os::unix::fs::{OpenOptionsExt, symlink};
use std::path::{Component, Path, PathBuf};

use crate::probe::root::{MAX_FILE_BYTES, normalize};
use crate::probe::{Access, SysRoot};
use crate::redact;

/// Recreate every recorded access of `root` below `dest` (an empty directory).
pub fn replicate(root: &SysRoot, dest: &Path, redact: Option<redact::Redaction>) -> io::Result<usize> {
    let mut copied = 0;
    for access in root.accesses() {
        let (rel, leaf) = match &access {
            Access::File(p) => (p, Leaf::File),
            Access::Dir(p) => (p, Leaf::Dir),
            Access::Link(p) | Access::Entry(p) => (p, Leaf::Link),
        };
        copied += copy_path(
            root.base(),
            dest,
            Path::new(rel.trim_start_matches('/')),
            leaf,
            redact,
            0,
        )?;
    }
    Ok(copied)
}

#[derive(Clone, Copy, PartialEq)]
enum Leaf {
    File,
    Dir,
    /// Copy the last component as it is (a symlink stays a symlink, even if dangling).
    Link,
}

/// Copy `rel` from `src` to `dst`, walking it component by component: a symlink on the
/// way is recreated with the same relative target and then followed. Missing paths are
/// skipped: the capture must show the same gaps the probe saw. Only regular files are
/// copied (the probe refuses FIFOs and devices, so the capture leaves them out too).
fn copy_path(
    src: &Path,
    dst: &Path,
    rel: &Path,
    leaf: Leaf,
    redact: Option<redact::Redaction>,
    depth: u32,
) -> io::Result<usize> {
    if depth > 40 {
        return Ok(0);
    }
    let comps: Vec<Component> = rel.components().collect();
    let mut cur = PathBuf::new();
    for (i, comp) in comps.iter().enumerate() {
        let last = i + 1 == comps.len();
        match comp {
            Component::Normal(name) => {
                let next = cur.join(name);
                let Ok(meta) = fs::symlink_metadata(src.join(&next)) else {
                    return Ok(0);
                };
                if meta.file_type().is_symlink() {
                    let target = fs::read_link(src.join(&next))?;
                    ensure_symlink(&target, &dst.join(&next))?;
                    if last && leaf == Leaf::Link {
                        return Ok(0);
                    }
                    let joined = if target.is_absolute() {
                        target.strip_prefix("/").map(Path::to_path_buf).unwrap_or_default()
                    } else {
                        cur.join(&target)
                    };
                    let rest: PathBuf = comps[i + 1..].iter().collect();
                    return copy_path(src, dst, &normalize(&joined).join(rest), leaf, redact, depth + 1);
                }
                if meta.is_dir() {
                    fs::create_dir_all(dst.join(&next))?;
                } else if last && meta.is_file() {
                    return copy_file(src, dst, &next, redact);
                } else {
                    return Ok(0);
                }
                cur = next;
            }
            Component::ParentDir => {
                cur.pop();
            }
            _ => {}
        }
    }
    Ok(0)
}

fn ensure_symlink(target: &Path, at: &Path) -> io::Result<()> {
    if fs::symlink_metadata(at).is_ok() {
        return Ok(());
    }
    if let Some(parent) = at.parent() {
        fs::create_dir_all(parent)?;
    }
    symlink(target, at)
}

fn copy_file(src: &Path, dst: &Path, rel: &Path, redact: Option<redact::Redaction>) -> io::Result<usize> {
    let out = dst.join(rel);
    if out.exists() {
        return Ok(0);
    }
    let mut bytes = Vec::new();
    // Like the probe: never wait on a FIFO that took the place of the checked file.
    let opened = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
        .open(src.join(rel));
    match opened {
        Ok(f) => {
            f.take(MAX_FILE_BYTES).read_to_end(&mut bytes)?;
        }
        // Unreadable (root-only) files stay absent, as the probe saw them.
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => return Ok(0),
        Err(e) => return Err(e),
    }
    if let Some(how) = redact
        && let Some(placeholder) = redact::file_with(&rel.to_string_lossy(), &String::from_utf8_lossy(&bytes), how)
    {
        bytes = placeholder.into_bytes();
    }
    if let Some(parent) = out.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(out, bytes)?;
    Ok(1)
}

/// Pack a capture directory into a `.tar.gz` at `out` (symlinks kept as symlinks).
pub fn write_tar_gz(dir: &Path, out: &mut impl io::Write) -> io::Result<()> {
    let gz = flate2::write::GzEncoder::new(out, flate2::Compression::default());
    let mut tar = tar::Builder::new(gz);
    tar.follow_symlinks(false);
    tar.mode(tar::HeaderMode::Deterministic);
    let mut entries: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .map(|e| e.into_path())
        .filter(|p| p != dir)
        .collect();
    entries.sort();
    for path in entries {
        let rel = path.strip_prefix(dir).expect("walkdir stays below its root");
        tar.append_path_with_name(&path, rel)?;
    }
    tar.into_inner()?.finish()?;
    Ok(())
}
