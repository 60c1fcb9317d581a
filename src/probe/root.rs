//! `SysRoot`: the one door through which the probe reads `/proc` and `/sys`.
//!
//! Every probe function takes a `&SysRoot` and a path relative to it
//! (`sys/class/dmi/id/sys_vendor`), so tests point the probe at a captured tree and the
//! literal `/` appears only in [`SysRoot::live`]. The root can also record every path the
//! probe touched: `capture` replays that log to copy exactly those files.

use std::cell::RefCell;
use std::collections::{BTreeSet, VecDeque};
use std::ffi::OsString;
use std::fs;
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
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
    /// A FIFO, device, socket or directory where a file was expected: never opened for
    /// reading, so that it cannot block or have effects.
    NotRegular(&'static str),
    /// A symlink on the way points out of a captured tree (to this target) and there is
    /// nothing at that place inside it: the host's file is not read.
    OutsideRoot(String),
    /// More than [`MAX_SYMLINKS`] symlinks on the way (a loop).
    TooManyLinks,
    Other(String),
}

impl ReadError {
    pub fn describe(&self) -> String {
        match self {
            ReadError::Missing => "missing".to_string(),
            ReadError::PermissionDenied => "not readable (needs root?)".to_string(),
            ReadError::NotRegular(kind) => format!("{kind}, not a regular file: not read"),
            ReadError::OutsideRoot(target) => format!("symlink to {target} leads out of the capture: not followed"),
            ReadError::TooManyLinks => "too many symlinks (a loop?): not followed".to_string(),
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

    /// Read a text file, cut at [`MAX_FILE_BYTES`], invalid UTF-8 replaced. Only a regular
    /// file inside the root is read: symlinks are resolved within it, and FIFOs, devices,
    /// sockets and directories are refused without being opened for reading.
    pub fn read(&self, rel: &str) -> Result<Text, ReadError> {
        self.read_up_to(rel, MAX_FILE_BYTES)
    }

    /// [`read`](Self::read) with another limit, for the few files of an installed system
    /// that are larger than anything in `/sys` (dpkg's status file: 3 MB on a desktop).
    pub fn read_up_to(&self, rel: &str, max_bytes: u64) -> Result<Text, ReadError> {
        self.note(Access::File(rel.to_string()));
        let path = self.inside(rel)?;
        let meta = fs::symlink_metadata(&path).map_err(io_to_read_error)?;
        if !meta.file_type().is_file() {
            return Err(ReadError::NotRegular(file_kind(&meta.file_type())));
        }
        // O_NONBLOCK: should the file have turned into a FIFO since the check, opening it
        // does not wait for a writer; O_NOFOLLOW: nor into a symlink.
        let file = fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
            .open(&path)
            .map_err(io_to_read_error)?;
        let meta = file.metadata().map_err(io_to_read_error)?;
        if !meta.file_type().is_file() {
            return Err(ReadError::NotRegular(file_kind(&meta.file_type())));
        }
        let mut bytes = Vec::new();
        file.take(max_bytes + 1)
            .read_to_end(&mut bytes)
            .map_err(io_to_read_error)?;
        let truncated = bytes.len() as u64 > max_bytes;
        if truncated {
            bytes.truncate(max_bytes as usize);
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

    /// Names in a directory (inside the root), sorted; empty when it does not exist.
    pub fn list(&self, rel: &str) -> Vec<String> {
        self.note(Access::Dir(rel.to_string()));
        let Ok(path) = self.inside(rel) else {
            return Vec::new();
        };
        if !fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
            return Vec::new();
        }
        let Ok(entries) = fs::read_dir(path) else {
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

    /// Does this path exist inside the root (symlinks followed within it)?
    pub fn exists(&self, rel: &str) -> bool {
        self.note(Access::Dir(rel.to_string()));
        self.inside(rel).is_ok()
    }

    /// Is this a directory inside the root? Not recorded: for the check that a root is
    /// the top of a tree at all.
    pub fn has_dir(&self, rel: &str) -> bool {
        self.inside(rel)
            .is_ok_and(|p| fs::symlink_metadata(p).is_ok_and(|m| m.is_dir()))
    }

    /// The last component of a symlink's target, e.g. the driver name of `.../driver`.
    /// The link itself is looked up inside the root; its target is only text here.
    pub fn link_name(&self, rel: &str) -> Option<String> {
        self.note(Access::Link(rel.to_string()));
        let rel = Path::new(rel.trim_start_matches('/'));
        let name = rel.file_name()?;
        let parent = resolve_in(&self.base, rel.parent().unwrap_or(Path::new(""))).ok()?;
        let target = fs::read_link(self.base.join(parent).join(name)).ok()?;
        target.file_name().and_then(|n| n.to_str()).map(str::to_string)
    }

    /// The physical path (relative to the root, symlinks resolved) of a path, if it
    /// exists and stays inside the root. Used to see where a device sits in the tree.
    pub fn resolve(&self, rel: &str) -> Option<String> {
        self.note(Access::Dir(rel.to_string()));
        resolve_in(&self.base, Path::new(rel.trim_start_matches('/')))
            .ok()
            .map(|p| p.to_string_lossy().into_owned())
    }

    /// The real path of `rel` below the base, every symlink on the way resolved inside it.
    fn inside(&self, rel: &str) -> Result<PathBuf, ReadError> {
        match resolve_in(&self.base, Path::new(rel.trim_start_matches('/'))) {
            Ok(p) => Ok(self.base.join(p)),
            Err(Unresolved::Missing { outside: None }) => Err(ReadError::Missing),
            Err(Unresolved::Missing { outside: Some(target) }) if !self.is_live() => {
                Err(ReadError::OutsideRoot(target.to_string_lossy().into_owned()))
            }
            Err(Unresolved::Missing { .. }) => Err(ReadError::Missing),
            Err(Unresolved::TooManyLinks) => Err(ReadError::TooManyLinks),
        }
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

/// What a non-regular file is, for messages.
fn file_kind(t: &fs::FileType) -> &'static str {
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_symlink() {
        "a symlink"
    } else {
        "not a regular file"
    }
}

/// Symlinks followed at most while resolving one path (the kernel's limit too).
pub const MAX_SYMLINKS: u32 = 40;

/// Why a path could not be resolved inside a root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    /// A component does not exist (or is not a directory). `outside` is the first
    /// symlink target on the way that pointed out of the root (absolute, or `..` past
    /// the top), clamped to the root and then not found there.
    Missing { outside: Option<PathBuf> },
    /// More than [`MAX_SYMLINKS`] symlinks on the way: a loop, or a trap.
    TooManyLinks,
}

/// Resolve `rel` inside `base` without ever leaving it: symlinks are followed one
/// component at a time, absolute targets count from `base`, `..` stops at `base`. At most
/// [`MAX_SYMLINKS`] links are followed in all, so loops and link bombs end quickly.
/// Returns the path relative to `base`; every component of it exists and none is a
/// symlink.
pub fn resolve_in(base: &Path, rel: &Path) -> Result<PathBuf, Unresolved> {
    let mut pending: VecDeque<Step> = steps(rel).collect();
    let mut cur = PathBuf::new();
    let mut links = 0;
    let mut outside: Option<PathBuf> = None;
    while let Some(step) = pending.pop_front() {
        let name = match step {
            Step::Name(name) => name,
            Step::Up => {
                cur.pop();
                continue;
            }
        };
        let next = cur.join(name);
        let missing = |outside: &Option<PathBuf>| Unresolved::Missing {
            outside: outside.clone(),
        };
        let meta = fs::symlink_metadata(base.join(&next)).map_err(|_| missing(&outside))?;
        if !meta.file_type().is_symlink() {
            cur = next;
            continue;
        }
        links += 1;
        if links > MAX_SYMLINKS {
            return Err(Unresolved::TooManyLinks);
        }
        let target = fs::read_link(base.join(&next)).map_err(|_| missing(&outside))?;
        // The target is taken lexically from the link's directory (as `capture` copies it).
        let (joined, escaped) = if target.is_absolute() {
            (normalize(&target), true)
        } else {
            normalize_counting(&cur.join(&target))
        };
        if escaped && outside.is_none() {
            outside = Some(target);
        }
        for step in steps(&joined).collect::<Vec<_>>().into_iter().rev() {
            pending.push_front(step);
        }
        cur = PathBuf::new();
    }
    Ok(cur)
}

/// One step of a path walk.
enum Step {
    Name(OsString),
    Up,
}

fn steps(path: &Path) -> impl Iterator<Item = Step> + '_ {
    path.components().filter_map(|c| match c {
        Component::Normal(n) => Some(Step::Name(n.to_os_string())),
        Component::ParentDir => Some(Step::Up),
        Component::CurDir | Component::RootDir | Component::Prefix(_) => None,
    })
}

/// Remove `.` and `..` lexically, never climbing above the start.
pub fn normalize(path: &Path) -> PathBuf {
    normalize_counting(path).0
}

/// [`normalize`], and whether a `..` tried to climb above the start.
fn normalize_counting(path: &Path) -> (PathBuf, bool) {
    let mut out = PathBuf::new();
    let mut escaped = false;
    for comp in path.components() {
        match comp {
            Component::Normal(n) => out.push(n),
            Component::ParentDir => {
                escaped |= !out.pop();
            }
            _ => {}
        }
    }
    (out, escaped)
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

    /// A captured tree with one real file, `sys/class/dmi/id/sys_vendor`.
    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("sys/class/dmi/id")).unwrap();
        fs::write(dir.path().join("sys/class/dmi/id/sys_vendor"), "LENOVO\n").unwrap();
        dir
    }

    fn link(target: &str, at: &Path) {
        std::os::unix::fs::symlink(target, at).unwrap();
    }

    #[test]
    fn symlinks_out_of_the_root_are_not_followed() {
        let dir = tree();
        let id = dir.path().join("sys/class/dmi/id");
        // A host file that certainly exists, by absolute path and by climbing.
        let host = std::env::current_exe().unwrap();
        let host = host.to_str().unwrap();
        link(host, &id.join("product_serial"));
        link(&format!("../../../../../../../../..{host}"), &id.join("product_name"));
        link("/proc/self/environ", &id.join("product_version"));
        link("/proc/self/fd/0", &id.join("board_name"));
        // `sys` (up one) and the root's own directory: clamped, so still inside.
        link(
            "../../../../../../sys/class/dmi/id/sys_vendor",
            &id.join("board_vendor"),
        );
        link("/sys/class/dmi/id/sys_vendor", &id.join("chassis_vendor"));
        link("/etc", &dir.path().join("sys/etc"));
        let root = SysRoot::at(dir.path());
        for name in ["product_serial", "product_name", "product_version", "board_name"] {
            let rel = format!("sys/class/dmi/id/{name}");
            match root.read(&rel) {
                Err(ReadError::OutsideRoot(target)) => assert!(target.contains('/'), "{name}: {target}"),
                other => panic!("{name}: {other:?}"),
            }
            assert!(!root.exists(&rel), "{name}");
            assert_eq!(root.resolve(&rel), None, "{name}");
        }
        assert_eq!(root.read("sys/class/dmi/id/board_vendor").unwrap().text, "LENOVO\n");
        assert_eq!(root.read("sys/class/dmi/id/chassis_vendor").unwrap().text, "LENOVO\n");
        assert_eq!(root.list("sys/etc"), Vec::<String>::new());
        assert!(!root.exists("sys/etc/passwd"));
        assert!(!root.has_dir("sys/etc"));
        assert!(root.has_dir("sys"));
    }

    #[test]
    fn link_name_looks_the_link_up_inside_the_root() {
        let dir = tree();
        let dev = dir.path().join("sys/devices/pci0000:00/0000:00:19.0");
        fs::create_dir_all(&dev).unwrap();
        link("../../../bus/pci/drivers/e1000e", &dev.join("driver"));
        // The host's /sys may have this path; it must not be read through an outside link.
        link("/sys/bus/pci/devices", &dir.path().join("sys/pcidevs"));
        let root = SysRoot::at(dir.path());
        assert_eq!(
            root.link_name("sys/devices/pci0000:00/0000:00:19.0/driver").as_deref(),
            Some("e1000e")
        );
        let host_devices = fs::read_dir("/sys/bus/pci/devices")
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name()).collect::<Vec<_>>())
            .unwrap_or_default();
        for name in host_devices {
            let rel = format!("sys/pcidevs/{}/driver", name.to_string_lossy());
            assert_eq!(root.link_name(&rel), None, "{rel}");
        }
    }

    #[test]
    fn non_regular_files_are_refused_without_blocking() {
        let dir = tree();
        let id = dir.path().join("sys/class/dmi/id");
        let fifo = std::ffi::CString::new(id.join("product_serial").to_str().unwrap()).unwrap();
        // SAFETY: a valid C string; mkfifo only creates a file.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        let _socket = std::os::unix::net::UnixListener::bind(id.join("product_name")).unwrap();
        fs::create_dir(id.join("product_version")).unwrap();
        // A FIFO reached through a symlink is refused all the same.
        link("product_serial", &id.join("board_serial"));
        let root = SysRoot::at(dir.path());
        assert_eq!(
            root.read("sys/class/dmi/id/product_serial"),
            Err(ReadError::NotRegular("a FIFO"))
        );
        assert_eq!(
            root.read("sys/class/dmi/id/board_serial"),
            Err(ReadError::NotRegular("a FIFO"))
        );
        assert_eq!(
            root.read("sys/class/dmi/id/product_name"),
            Err(ReadError::NotRegular("a socket"))
        );
        assert_eq!(
            root.read("sys/class/dmi/id/product_version"),
            Err(ReadError::NotRegular("a directory"))
        );
        assert!(root.list("sys/class/dmi/id/product_serial").is_empty());
    }

    #[test]
    fn symlink_loops_end() {
        let dir = tree();
        let id = dir.path().join("sys/class/dmi/id");
        link("b", &id.join("a"));
        link("a", &id.join("b"));
        link("self", &id.join("self"));
        // A link bomb: each level names the next one twice (2^30 steps without a total
        // limit on the links followed).
        for level in 0..30 {
            link(&format!("l{0}/l{0}", level + 1), &id.join(format!("l{level}")));
        }
        link(".", &id.join("l30"));
        let root = SysRoot::at(dir.path());
        for name in ["a", "b", "self", "l0", "l0/sys_vendor"] {
            assert_eq!(
                root.read(&format!("sys/class/dmi/id/{name}")),
                Err(ReadError::TooManyLinks),
                "{name}"
            );
        }
        assert_eq!(
            resolve_in(dir.path(), Path::new("sys/class/dmi/id/a")),
            Err(Unresolved::TooManyLinks)
        );
    }
}
