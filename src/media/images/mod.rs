//! `upcycle media images`: Debian's netboot installer images for one release and
//! architecture, downloaded from the workshop's mirror (through its proxy), verified
//! along Debian's own chain and kept in a cache that `media usb` and `media netboot`
//! read when no `--images` folder is given.
//!
//! The chain: `dists/<codename>/InRelease`, checked by `gpgv` against Debian's archive
//! keyring (the text gpgv puts out is the only text read); in it, the SHA-256 of
//! `main/installer-<arch>/current/images/SHA256SUMS`; in that, the SHA-256 of
//! `netboot/netboot.tar.gz`, which is unpacked (within limits, never through a symlink)
//! into `<cache>/<release>/<arch>/text/`, the layout of the package
//! `debian-installer-<release>-netboot-<arch>`, so [`super::InstallerImages::locate`]
//! reads a cache like the package's folder.
//!
//! A cache entry (`<cache>/<release>/<arch>/`) is built in a temp dir and renamed into
//! place: it exists only complete and verified. It holds `InRelease`, `Release` (gpgv's
//! output), `SHA256SUMS`, `text/` and `upcycle-files.sha256` (every file and link of
//! `text/`, written from the verified tarball). [`check_entry`] verifies an entry again
//! without the network: the Release's hash of SHA256SUMS, every file against the list
//! and, where SHA256SUMS names a file, against Debian's hash too; with a keyring, gpgv
//! once more. A broken entry is never used: `media images` fetches it again, `media usb`
//! and `media netboot` say so and name the command.

pub mod archive;

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::catalog::Arch;
use crate::digest::{hex, sha256_hex};
use crate::l10n::{Lang, Localize, Said, say};

pub use archive::{Verdict, codename, has_installer};

/// Debian's archive keyring, from the package `debian-archive-keyring`.
pub const DEBIAN_KEYRING: &str = "/usr/share/keyrings/debian-archive-keyring.gpg";
/// The list of an entry's files, written when it is made.
pub const FILE_LIST: &str = "upcycle-files.sha256";
/// Limits: a Release file is about 150 KiB, SHA256SUMS about 80 KiB, netboot.tar.gz about
/// 40 MB, unpacked about 60 MB in 300 files.
const MAX_RELEASE: u64 = 16 << 20;
const MAX_SUMS: u64 = 4 << 20;
const MAX_TARBALL: u64 = 1 << 30;
const UNPACK_LIMITS: crate::capture::Limits = crate::capture::Limits {
    max_bytes: 2 << 30,
    max_entries: 20_000,
    max_depth: 32,
};

/// Where to download from: `http://<host><directory>` of the workshop's mirror, and its
/// HTTP proxy if it has one (else the `http_proxy` of the environment, as APT does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mirror {
    pub base: String,
    pub proxy: Option<String>,
}

impl Mirror {
    pub fn of(workshop: &crate::workshop::Workshop) -> Self {
        Mirror {
            base: format!(
                "http://{}/{}",
                workshop.mirror.host,
                workshop.mirror.directory.trim_matches('/')
            ),
            proxy: workshop.proxy.clone(),
        }
    }
}

/// What to fetch, and where the cache and the keyring are.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub release: &'a str,
    pub arch: Arch,
    pub cache: &'a Path,
    pub keyring: &'a Path,
    pub mirror: &'a Mirror,
}

/// What a verified cache entry holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub dir: PathBuf,
    /// The Release file's `Version` (`12.13`) and `Date`.
    pub release_version: String,
    pub release_date: String,
    /// `Installer build: ...` of the images' version.info.
    pub build: String,
    /// The SHA-256 of its SHA256SUMS: the same on the mirror means the same images.
    pub sums_sha256: String,
    pub files: usize,
    pub bytes: u64,
}

/// How [`fetch`] ended.
#[derive(Debug)]
pub enum Fetched {
    /// Downloaded and verified (`bytes` of the tarball); `replaced` says why an entry that
    /// was there is not kept (broken, or older than the mirror's).
    Downloaded {
        entry: Entry,
        bytes: u64,
        replaced: Option<Replaced>,
    },
    /// The cache has what the mirror's signed Release names: nothing downloaded but it.
    UpToDate(Entry),
    /// The mirror could not be reached; the verified cache entry stays in use.
    Offline { entry: Entry, why: ImagesError },
}

#[derive(Debug)]
pub enum Replaced {
    Broken(ImagesError),
    Older { version: String },
}

/// Why installer images could not be fetched or a cache entry not be used. Each kind has
/// its exit code (`exit.rs`): the network (13), a signature (14), a hash (15), a missing
/// tool or keyring (16), a release without an installer for the architecture (2).
#[derive(Debug, thiserror::Error)]
pub enum ImagesError {
    #[error("cannot reach {url}: {why}; check the network, the workshop's mirror and proxy")]
    Unreachable { url: String, why: String },
    #[error(
        "{url}: the mirror answers HTTP {status}; it may not carry the installer images (use another mirror in the workshop file)"
    )]
    Http { url: String, status: u16 },
    #[error("{url}: larger than {limit} bytes; not what Debian publishes there")]
    TooLarge { url: String, limit: u64 },
    #[error("{path}: BAD signature ({signer}): the file was changed after Debian signed it; nothing was kept")]
    BadSignature { path: String, signer: String },
    #[error("{path}: no good signature by a key of {keyring} (gpgv: {detail}); nothing was kept")]
    Untrusted {
        path: String,
        keyring: String,
        detail: String,
    },
    #[error("{path}: the signed Release is for {found}, not {expected}")]
    WrongRelease {
        path: String,
        expected: String,
        found: String,
    },
    #[error(
        "{path}: SHA-256 {found}, but {listed_in} says {expected}: the file is damaged or not Debian's; nothing was kept"
    )]
    Checksum {
        path: String,
        listed_in: String,
        expected: String,
        found: String,
    },
    #[error("{path}: no longer as {listed_in} lists it (damaged or changed since it was checked)")]
    Changed { path: String, listed_in: String },
    #[error("{path}: not listed in {listed_in}")]
    NotListed { path: String, listed_in: String },
    #[error("{path}: {what}")]
    Garbled { path: String, what: String },
    #[error("Debian {release} has no installer for {arch}")]
    NoInstaller { release: String, arch: String },
    #[error("{tool} is missing: install the package {package} (apt install {package})")]
    ToolMissing { tool: String, package: String },
    #[error("cannot unpack {path}: {why}")]
    Unpack { path: String, why: String },
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
}

impl ImagesError {
    fn io(path: &Path) -> impl FnOnce(io::Error) -> ImagesError + '_ {
        move |source| ImagesError::Io {
            path: path.display().to_string(),
            source,
        }
    }

    /// A problem of the cache entry itself (then it is fetched again), not of the network
    /// or the tools.
    pub fn is_broken_entry(&self) -> bool {
        matches!(
            self,
            ImagesError::BadSignature { .. }
                | ImagesError::Untrusted { .. }
                | ImagesError::WrongRelease { .. }
                | ImagesError::Checksum { .. }
                | ImagesError::Changed { .. }
                | ImagesError::NotListed { .. }
                | ImagesError::Garbled { .. }
                | ImagesError::Io { .. }
        )
    }
}

impl Localize for ImagesError {
    fn localize(&self, lang: Lang) -> String {
        use ImagesError as E;
        let said = match self {
            E::Unreachable { url, why } => Said::new("err-images-unreachable")
                .arg("url", url)
                .arg("why", Said::verbatim(why.as_str())),
            E::Http { url, status } => Said::new("err-images-http")
                .arg("url", url)
                .arg("status", u64::from(*status)),
            E::TooLarge { url, limit } => Said::new("err-images-too-large").arg("url", url).arg("limit", *limit),
            E::BadSignature { path, signer } => Said::new("err-images-bad-signature")
                .arg("path", path)
                .arg("signer", signer),
            E::Untrusted { path, keyring, detail } => Said::new("err-images-untrusted")
                .arg("path", path)
                .arg("keyring", keyring)
                .arg("detail", Said::verbatim(detail.as_str())),
            E::WrongRelease { path, expected, found } => Said::new("err-images-wrong-release")
                .arg("path", path)
                .arg("expected", expected)
                .arg("found", found),
            E::Checksum {
                path,
                listed_in,
                expected,
                found,
            } => Said::new("err-images-checksum")
                .arg("path", path)
                .arg("listed_in", listed_in)
                .arg("expected", expected)
                .arg("found", found),
            E::Changed { path, listed_in } => Said::new("err-images-changed")
                .arg("path", path)
                .arg("listed_in", listed_in),
            E::NotListed { path, listed_in } => Said::new("err-images-not-listed")
                .arg("path", path)
                .arg("listed_in", listed_in),
            E::Garbled { path, what } => Said::new("err-path")
                .arg("path", path)
                .arg("error", Said::verbatim(what.as_str())),
            E::NoInstaller { release, arch } => Said::new("err-images-no-installer")
                .arg("release", release)
                .arg("arch", arch),
            E::ToolMissing { tool, package } => Said::new("err-images-tool-missing")
                .arg("tool", tool)
                .arg("package", package),
            E::Unpack { path, why } => Said::new("err-images-unpack")
                .arg("path", path)
                .arg("why", Said::verbatim(why.as_str())),
            E::Io { path, source } => Said::new("err-path")
                .arg("path", path)
                .arg("error", source.localize(lang)),
        };
        say(lang, &said)
    }
}

/// `<cache>/<release>/<arch>`.
pub fn entry_dir(cache: &Path, release: &str, arch: Arch) -> PathBuf {
    cache.join(release).join(arch.as_str())
}

/// curl, gpgv and the keyring are there, or the package that brings the missing one.
pub fn check_tools(keyring: &Path) -> Result<(), ImagesError> {
    for tool in ["curl", "gpgv"] {
        let found = Command::new(tool)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok();
        if !found {
            return Err(ImagesError::ToolMissing {
                tool: tool.into(),
                package: tool.into(),
            });
        }
    }
    if !keyring.is_file() {
        return Err(ImagesError::ToolMissing {
            tool: keyring.display().to_string(),
            package: "debian-archive-keyring".into(),
        });
    }
    Ok(())
}

/// Check `signed` (an InRelease) with gpgv against `keyring`; the signed text gpgv puts
/// out, when a key of the keyring signed it and no signature is bad.
pub fn verify_signed(signed: &Path, keyring: &Path) -> Result<String, ImagesError> {
    // A keyring name without a slash would be looked up in ~/.gnupg.
    let keyring_arg = if keyring.is_absolute() {
        keyring.to_path_buf()
    } else {
        Path::new(".").join(keyring)
    };
    let out = Command::new("gpgv")
        .args(["--status-fd", "2", "--output", "-", "--keyring"])
        .arg(&keyring_arg)
        .arg(signed)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => ImagesError::ToolMissing {
                tool: "gpgv".into(),
                package: "gpgv".into(),
            },
            _ => ImagesError::io(Path::new("gpgv"))(e),
        })?;
    let status = String::from_utf8_lossy(&out.stderr);
    let path = signed.display().to_string();
    match archive::gpgv_verdict(&status) {
        Verdict::Good(_) if out.status.success() || !out.stdout.is_empty() => {
            String::from_utf8(out.stdout).map_err(|_| ImagesError::Garbled {
                path,
                what: "the signed text is not UTF-8".into(),
            })
        }
        Verdict::Bad(signer) => Err(ImagesError::BadSignature { path, signer }),
        _ => {
            let detail = status
                .lines()
                .filter(|l| !l.starts_with("[GNUPG:]"))
                .map(|l| l.trim_start_matches("gpgv: ").trim())
                .collect::<Vec<_>>()
                .join("; ");
            Err(ImagesError::Untrusted {
                path,
                keyring: keyring.display().to_string(),
                detail,
            })
        }
    }
}

fn sha256_file(path: &Path) -> io::Result<String> {
    let mut file = fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

fn parse_release_at(path: &Path, text: &str) -> Result<archive::Release, ImagesError> {
    archive::parse_release(text).map_err(|e| ImagesError::Garbled {
        path: path.display().to_string(),
        what: e.to_string(),
    })
}

/// The SHA256SUMS entry the Release names for `arch`; no installer when it names none.
fn sums_listing<'r>(
    release: &'r archive::Release,
    number: &str,
    arch: Arch,
) -> Result<&'r archive::Listed, ImagesError> {
    release
        .sha256
        .get(&archive::sums_path(arch.as_str()))
        .ok_or_else(|| ImagesError::NoInstaller {
            release: number.to_string(),
            arch: arch.as_str().to_string(),
        })
}

/// Check a SHA256SUMS text against the Release's listing and read it.
fn checked_sums(
    text: &[u8],
    listed: &archive::Listed,
    path: &Path,
    release_path: &Path,
) -> Result<BTreeMap<String, String>, ImagesError> {
    let found = sha256_hex(text);
    if found != listed.sha256 {
        return Err(ImagesError::Checksum {
            path: path.display().to_string(),
            listed_in: release_path.display().to_string(),
            expected: listed.sha256.clone(),
            found,
        });
    }
    let text = std::str::from_utf8(text).map_err(|_| ImagesError::Garbled {
        path: path.display().to_string(),
        what: "not UTF-8".into(),
    })?;
    archive::parse_sha256sums(text).map_err(|e| ImagesError::Garbled {
        path: path.display().to_string(),
        what: e.to_string(),
    })
}

/// One line of an entry's file list: a file with its hash, or a symlink with its target.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Listed {
    File(String),
    Link(String),
}

/// Every file and symlink below `text`, sorted, with its hash or target.
fn list_tree(text: &Path) -> Result<BTreeMap<String, Listed>, ImagesError> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(text).sort_by_file_name() {
        let entry = entry.map_err(|e| ImagesError::io(text)(e.into()))?;
        let rel = entry
            .path()
            .strip_prefix(text)
            .expect("walkdir stays below its root")
            .to_str()
            .ok_or_else(|| ImagesError::Garbled {
                path: entry.path().display().to_string(),
                what: "not a UTF-8 name".into(),
            })?
            .to_string();
        let kind = entry.file_type();
        if kind.is_symlink() {
            let target = fs::read_link(entry.path()).map_err(ImagesError::io(entry.path()))?;
            out.insert(rel, Listed::Link(target.to_string_lossy().into_owned()));
        } else if kind.is_file() {
            out.insert(
                rel,
                Listed::File(sha256_file(entry.path()).map_err(ImagesError::io(entry.path()))?),
            );
        }
    }
    Ok(out)
}

fn write_list(list: &BTreeMap<String, Listed>) -> String {
    list.iter()
        .map(|(path, l)| match l {
            Listed::File(hash) => format!("file\t{hash}\t{path}\n"),
            Listed::Link(target) => format!("link\t{target}\t{path}\n"),
        })
        .collect()
}

fn read_list(text: &str) -> Option<BTreeMap<String, Listed>> {
    text.lines()
        .map(|line| {
            let mut parts = line.splitn(3, '\t');
            let (kind, value, path) = (parts.next()?, parts.next()?, parts.next()?);
            let listed = match kind {
                "file" => Listed::File(value.to_string()),
                "link" => Listed::Link(value.to_string()),
                _ => return None,
            };
            Some((path.to_string(), listed))
        })
        .collect()
}

/// Verify a cache entry again without the network: its Release's hash of SHA256SUMS,
/// every file and link of `text/` against the entry's list (nothing missing, nothing
/// added), and every file SHA256SUMS names against Debian's hash. With `keyring`, also
/// gpgv on the InRelease, whose text must be the entry's Release.
pub fn check_entry(dir: &Path, release: &str, arch: Arch, keyring: Option<&Path>) -> Result<Entry, ImagesError> {
    let read = |name: &str| {
        let path = dir.join(name);
        fs::read(&path).map_err(ImagesError::io(&path))
    };
    let release_path = dir.join("Release");
    let release_text = String::from_utf8(read("Release")?).map_err(|_| ImagesError::Garbled {
        path: release_path.display().to_string(),
        what: "not UTF-8".into(),
    })?;
    if let Some(keyring) = keyring {
        let signed = verify_signed(&dir.join("InRelease"), keyring)?;
        if signed != release_text {
            return Err(ImagesError::Garbled {
                path: release_path.display().to_string(),
                what: "not the text of the signed InRelease beside it".into(),
            });
        }
    }
    let parsed = parse_release_at(&release_path, &release_text)?;
    let expected = codename(release).unwrap_or_default();
    if parsed.codename != expected {
        return Err(ImagesError::WrongRelease {
            path: release_path.display().to_string(),
            expected: expected.to_string(),
            found: parsed.codename,
        });
    }
    let listed = sums_listing(&parsed, release, arch)?.clone();
    let sums_path = dir.join("SHA256SUMS");
    let sums_bytes = read("SHA256SUMS")?;
    let sums = checked_sums(&sums_bytes, &listed, &sums_path, &release_path)?;
    let list_path = dir.join(FILE_LIST);
    let list = String::from_utf8(read(FILE_LIST)?)
        .ok()
        .and_then(|t| read_list(&t))
        .ok_or_else(|| ImagesError::Garbled {
            path: list_path.display().to_string(),
            what: "not a list of upcycle's".into(),
        })?;
    let text = dir.join("text");
    let found = list_tree(&text)?;
    for (rel, want) in &list {
        let path = text.join(rel);
        match (found.get(rel), want) {
            (Some(got), _) if got == want => {}
            (Some(_), _) => {
                return Err(ImagesError::Changed {
                    path: path.display().to_string(),
                    listed_in: list_path.display().to_string(),
                });
            }
            _ => {
                return Err(ImagesError::NotListed {
                    path: path.display().to_string(),
                    listed_in: list_path.display().to_string(),
                });
            }
        }
        if let (Listed::File(got), Some(debian)) = (want, sums.get(&format!("netboot/{rel}")))
            && got != debian
        {
            return Err(ImagesError::Changed {
                path: path.display().to_string(),
                listed_in: sums_path.display().to_string(),
            });
        }
    }
    if let Some(extra) = found.keys().find(|k| !list.contains_key(*k)) {
        return Err(ImagesError::NotListed {
            path: text.join(extra).display().to_string(),
            listed_in: list_path.display().to_string(),
        });
    }
    let version_info = fs::read_to_string(text.join("version.info")).unwrap_or_default();
    let build = version_info
        .lines()
        .find_map(|l| l.strip_prefix("Installer build:"))
        .map(|b| b.trim().to_string())
        .unwrap_or_default();
    let bytes = list
        .keys()
        .filter_map(|k| fs::symlink_metadata(text.join(k)).ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();
    Ok(Entry {
        dir: dir.to_path_buf(),
        release_version: parsed.version,
        release_date: parsed.date,
        build,
        sums_sha256: listed.sha256,
        files: list.len(),
        bytes,
    })
}

/// Downloads go through curl (package `curl`): it speaks to an HTTP proxy as APT does
/// (absolute-form requests, which apt-cacher-ng and squid serve; ureq, the pure-Rust
/// client considered, sends CONNECT, which both refuse for port 80 by default), follows
/// redirects and the `http_proxy` environment when the workshop names no proxy.
/// `limit` bounds the file; `dest` gets exactly the bytes of a 2xx answer.
fn download(mirror: &Mirror, url: &str, limit: u64, dest: &Path) -> Result<u64, ImagesError> {
    let mut cmd = Command::new("curl");
    cmd.args(["--silent", "--show-error", "--fail", "--location", "--max-redirs", "5"])
        .args(["--connect-timeout", "20", "--speed-limit", "1", "--speed-time", "120"])
        .arg("--max-filesize")
        .arg(limit.to_string())
        .args(["--write-out", "%{http_code}", "--output"])
        .arg(dest)
        .stdin(Stdio::null());
    if let Some(proxy) = &mirror.proxy {
        cmd.arg("--proxy").arg(proxy);
    }
    let out = cmd.arg("--").arg(url).output().map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => ImagesError::ToolMissing {
            tool: "curl".into(),
            package: "curl".into(),
        },
        _ => ImagesError::io(Path::new("curl"))(e),
    })?;
    let status: u16 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or(0);
    match out.status.code() {
        Some(0) => {}
        // 22: an HTTP status of 400 or more
        Some(22) => {
            return Err(ImagesError::Http {
                url: url.to_string(),
                status,
            });
        }
        // 63: over --max-filesize
        Some(63) => {
            return Err(ImagesError::TooLarge {
                url: url.to_string(),
                limit,
            });
        }
        // 23: the file could not be written
        Some(23) => {
            return Err(ImagesError::Io {
                path: dest.display().to_string(),
                source: io::Error::other(String::from_utf8_lossy(&out.stderr).trim().to_string()),
            });
        }
        _ => {
            let why = String::from_utf8_lossy(&out.stderr);
            let why = why.trim().trim_start_matches("curl: ");
            return Err(ImagesError::Unreachable {
                url: url.to_string(),
                why: why.to_string(),
            });
        }
    }
    let len = fs::metadata(dest).map_err(ImagesError::io(dest))?.len();
    if len > limit {
        return Err(ImagesError::TooLarge {
            url: url.to_string(),
            limit,
        });
    }
    Ok(len)
}

fn get_small(mirror: &Mirror, url: &str, limit: u64, dest: &Path) -> Result<Vec<u8>, ImagesError> {
    download(mirror, url, limit, dest)?;
    fs::read(dest).map_err(ImagesError::io(dest))
}

/// Fetch the installer images of `req.release`/`req.arch` into the cache, or confirm the
/// cache has the mirror's current ones. `status` hears of the long step (the tarball).
pub fn fetch(req: &Request, status: &dyn Fn(&Said)) -> Result<Fetched, ImagesError> {
    let number = req.release;
    let arch = req.arch;
    let Some(codename) = codename(number).filter(|_| has_installer(number, arch.as_str())) else {
        return Err(ImagesError::NoInstaller {
            release: number.to_string(),
            arch: arch.as_str().to_string(),
        });
    };
    check_tools(req.keyring)?;
    let entry_path = entry_dir(req.cache, number, arch);
    let parent = entry_path.parent().expect("an entry has a parent");
    fs::create_dir_all(parent).map_err(ImagesError::io(parent))?;
    crate::atomic::remove_stale_temps(parent, Some(Duration::from_secs(3600)));

    // What the cache has, verified (signature included) before anything is fetched.
    let mut replaced = None;
    let cached = if entry_path.exists() {
        match check_entry(&entry_path, number, arch, Some(req.keyring)) {
            Ok(entry) => Some(entry),
            Err(e @ ImagesError::ToolMissing { .. }) => return Err(e),
            Err(e) => {
                replaced = Some(Replaced::Broken(e));
                None
            }
        }
    } else {
        None
    };

    let dists = format!("{}/dists/{codename}", req.mirror.base);
    let work = crate::atomic::temp_dir_for(&entry_path).map_err(ImagesError::io(parent))?;
    let inrelease_url = format!("{dists}/InRelease");
    let inrelease_path = work.path().join("InRelease");
    match download(req.mirror, &inrelease_url, MAX_RELEASE, &inrelease_path) {
        Ok(_) => {}
        Err(e @ (ImagesError::Unreachable { .. } | ImagesError::Http { .. })) => {
            return match cached {
                Some(entry) => Ok(Fetched::Offline { entry, why: e }),
                None => Err(e),
            };
        }
        Err(e) => return Err(e),
    }
    let shown = |name: &str| format!("{dists}/{name}");
    let release_text = verify_signed(&inrelease_path, req.keyring).map_err(|e| match e {
        ImagesError::BadSignature { signer, .. } => ImagesError::BadSignature {
            path: inrelease_url.clone(),
            signer,
        },
        ImagesError::Untrusted { keyring, detail, .. } => ImagesError::Untrusted {
            path: inrelease_url.clone(),
            keyring,
            detail,
        },
        other => other,
    })?;
    let release = parse_release_at(Path::new(&inrelease_url), &release_text)?;
    if release.codename != codename {
        return Err(ImagesError::WrongRelease {
            path: inrelease_url,
            expected: codename.to_string(),
            found: release.codename,
        });
    }
    let listed = sums_listing(&release, number, arch)?;
    // Newer images on the mirror: the checked older ones stay in use if they cannot be
    // downloaded (the network's errors only; a wrong hash is said as such).
    let mut older = None;
    if let Some(entry) = cached {
        if entry.sums_sha256 == listed.sha256 {
            return Ok(Fetched::UpToDate(entry));
        }
        replaced = Some(Replaced::Older {
            version: entry.release_version.clone(),
        });
        older = Some(entry);
    }
    let keep_older = |e: ImagesError, older: Option<Entry>| match (e, older) {
        (why @ (ImagesError::Unreachable { .. } | ImagesError::Http { .. }), Some(entry)) => {
            Ok(Fetched::Offline { entry, why })
        }
        (e, _) => Err(e),
    };

    let images_url = shown(&format!("main/installer-{}/current/images", arch.as_str()));
    let sums_url = format!("{images_url}/SHA256SUMS");
    let sums_bytes = match get_small(req.mirror, &sums_url, MAX_SUMS, &work.path().join("SHA256SUMS")) {
        Ok(bytes) => bytes,
        Err(e) => return keep_older(e, older),
    };
    let sums = checked_sums(&sums_bytes, listed, Path::new(&sums_url), Path::new(&inrelease_url))?;
    let tarball_url = format!("{images_url}/{}", archive::NETBOOT_TARBALL);
    let expected = sums
        .get(archive::NETBOOT_TARBALL)
        .ok_or_else(|| ImagesError::NotListed {
            path: tarball_url.clone(),
            listed_in: sums_url.clone(),
        })?
        .clone();
    let tarball = work.path().join("netboot.tar.gz");
    status(&Said::new("images-downloading").arg("url", tarball_url.as_str()));
    let bytes = match download(req.mirror, &tarball_url, MAX_TARBALL, &tarball) {
        Ok(bytes) => bytes,
        Err(e) => return keep_older(e, older),
    };
    let found = sha256_file(&tarball).map_err(ImagesError::io(&tarball))?;
    if found != expected {
        return Err(ImagesError::Checksum {
            path: tarball_url,
            listed_in: sums_url,
            expected,
            found,
        });
    }

    // Verified: unpack, list, and publish the entry.
    let text = work.path().join("text");
    fs::create_dir(&text).map_err(ImagesError::io(&text))?;
    crate::capture::extract_tar_gz(&tarball, &text, &UNPACK_LIMITS).map_err(|e| ImagesError::Unpack {
        path: tarball_url.clone(),
        why: e.to_string(),
    })?;
    fs::remove_file(&tarball).map_err(ImagesError::io(&tarball))?;
    let list = list_tree(&text)?;
    for (name, data) in [
        ("Release", release_text.as_bytes()),
        (FILE_LIST, write_list(&list).as_bytes()),
    ] {
        let path = work.path().join(name);
        fs::write(&path, data).map_err(ImagesError::io(&path))?;
    }
    let entry = check_entry(work.path(), number, arch, None)?;
    set_modes(work.path())?;
    crate::atomic::publish_dir(work, &entry_path, true).map_err(ImagesError::io(&entry_path))?;
    Ok(Fetched::Downloaded {
        entry: Entry {
            dir: entry_path,
            ..entry
        },
        bytes,
        replaced,
    })
}

/// Folders 0755 (a temp dir is 0700), so `media netboot`'s copies and other users can read.
fn set_modes(dir: &Path) -> Result<(), ImagesError> {
    use std::os::unix::fs::PermissionsExt;
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.map_err(|e| ImagesError::io(dir)(e.into()))?;
        if entry.file_type().is_dir() {
            fs::set_permissions(entry.path(), fs::Permissions::from_mode(0o755))
                .map_err(ImagesError::io(entry.path()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_lists_read_back() {
        let mut list = BTreeMap::new();
        list.insert("linux".to_string(), Listed::File("ab".repeat(32)));
        list.insert(
            "pxelinux.0".to_string(),
            Listed::Link("debian-installer/amd64/pxelinux.0".into()),
        );
        assert_eq!(read_list(&write_list(&list)), Some(list));
        assert_eq!(read_list("what\tever\tx\n"), None);
        assert_eq!(read_list("file\tonly-two\n"), None);
    }

    #[test]
    fn the_mirror_url_comes_from_the_workshop() {
        let mut w = crate::workshop::Workshop::embedded();
        assert_eq!(Mirror::of(&w).base, "http://deb.debian.org/debian");
        w.proxy = Some("http://10.0.0.1:3142/".into());
        assert_eq!(Mirror::of(&w).proxy.as_deref(), Some("http://10.0.0.1:3142/"));
    }
}
