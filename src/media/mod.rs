//! Getting bundles onto laptops: a USB stick folder ([`usb`]) or a network-install tree
//! ([`netboot`]). Both start from bundle folders written by `generate`/`plan`/`batch`
//! ([`BundleInfo`]) and Debian's netboot installer images ([`InstallerImages`]).
//!
//! Building a tree is pure (a list of [`crate::tree::TreeFile`]s from inputs already
//! read); the commands read the inputs and write the tree with [`crate::tree::write`].

pub mod cpio;
pub mod disk_image;
pub mod images;
pub mod netboot;
pub mod upcycle_bin;
pub mod usb;

use std::fs;
use std::path::{Path, PathBuf};

use crate::catalog::{Arch, Family, InstallerFormat};
use crate::report::{HardwareReport, NetworkKind};
use crate::select::Selection;
use crate::token::KernelParam;

/// What the media commands need to know about one bundle folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleInfo {
    pub dir: PathBuf,
    /// The folder name: the machine's host name / asset id (checked: `[a-z0-9-]`).
    pub asset_id: String,
    pub family: Family,
    pub installer: InstallerFormat,
    /// `12`, `13`, `24.04`.
    pub release: String,
    pub codename: String,
    pub arch: Arch,
    /// Extra kernel parameters the profile needs (e.g. `forcepae`), validated when the
    /// bundle's selection.yaml was read.
    pub boot_params: Vec<KernelParam>,
    /// MAC addresses of the machine's wired network cards, lower case; empty when the
    /// report was redacted or names none.
    pub ethernet_macs: Vec<String>,
    /// Model for menus ("IBM ThinkPad T40 (237342G)"), one line, untrusted text.
    pub model: String,
    /// The preseed erases the disk in the installer: the initrd needs the static upcycle.
    pub erase_before_install: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("{path}: not a bundle folder (no selection.yaml); give folders made by `upcycle generate` or `batch`")]
    NotABundle { path: String },
    #[error("{path}: no bundle folders in it (folders with a selection.yaml)")]
    NoBundles { path: String },
    #[error("{path}: {message}")]
    BadBundle { path: String, message: String },
    #[error(
        "{asset_id}: {what} needs a Debian bundle; this one installs {release} with Ubuntu's autoinstall \
         (use Ubuntu's own ISO with the bundle's user-data, see its boot.txt)"
    )]
    NotDebian {
        asset_id: String,
        release: String,
        what: &'static str,
    },
    #[error(
        "no Debian {release} {arch} installer images under {dir}: install them with \
         `apt install debian-installer-{release}-netboot-{arch}` (or download that package and \
         unpack it with dpkg-deb -x, then pass --images <unpacked>/usr/lib/debian-installer/images)"
    )]
    NoImages { dir: String, release: String, arch: String },
    #[error(
        "no Debian {release} {arch} installer images: run `upcycle media images --release {release} --arch {arch}` \
         (downloads and checks them into {cache}), or install the package debian-installer-{release}-netboot-{arch} \
         where this system has it"
    )]
    NoImagesAnywhere {
        release: String,
        arch: String,
        cache: String,
    },
    #[error("cannot read {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error(
        "{asset_id} erases the disk in the installer and needs the static upcycle for {arch}: \
         none under {dir} (build it with scripts/build-static.sh, then pass --upcycle-static target)"
    )]
    NoUpcycle {
        asset_id: String,
        arch: String,
        dir: String,
    },
    #[error(
        "{path}: cannot run in the {arch} installer: {}",
        crate::l10n::text(crate::l10n::Lang::En, why)
    )]
    BadUpcycle {
        path: String,
        arch: String,
        why: &'static str,
    },
}

impl crate::l10n::Localize for MediaError {
    fn localize(&self, lang: crate::l10n::Lang) -> String {
        use crate::l10n::{Said, say};
        let said = match self {
            MediaError::NotABundle { path } => Said::new("err-media-not-a-bundle").arg("path", path),
            MediaError::NoBundles { path } => Said::new("err-media-no-bundles").arg("path", path),
            MediaError::BadBundle { path, message } => Said::new("err-path")
                .arg("path", path)
                .arg("error", Said::verbatim(message.as_str())),
            MediaError::NotDebian {
                asset_id,
                release,
                what,
            } => {
                let what = match *what {
                    "a USB stick" => Said::new("err-media-for-usb"),
                    "a network install" => Said::new("err-media-for-netboot"),
                    other => Said::verbatim(other),
                };
                Said::new("err-media-not-debian")
                    .arg("asset", asset_id)
                    .arg("release", release)
                    .arg("what", what)
            }
            MediaError::NoImages { dir, release, arch } => Said::new("err-media-no-images")
                .arg("dir", dir)
                .arg("release", release)
                .arg("arch", arch),
            MediaError::NoUpcycle { asset_id, arch, dir } => Said::new("err-media-no-upcycle")
                .arg("asset", asset_id)
                .arg("arch", arch)
                .arg("dir", dir),
            MediaError::BadUpcycle { path, arch, why } => Said::new("err-media-bad-upcycle")
                .arg("path", path)
                .arg("arch", arch)
                .arg("why", Said::new(why)),
            MediaError::NoImagesAnywhere { release, arch, cache } => Said::new("err-media-no-images-anywhere")
                .arg("release", release)
                .arg("arch", arch)
                .arg("cache", cache),
            MediaError::Io { path, source } => Said::new("err-media-read")
                .arg("path", path)
                .arg("error", crate::l10n::Localize::localize(source, lang)),
        };
        say(lang, &said)
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> MediaError + '_ {
    move |source| MediaError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// True when `dir` is a bundle folder.
pub fn is_bundle(dir: &Path) -> bool {
    dir.join("selection.yaml").is_file()
}

/// Bundle folders named by the user: each path is a bundle folder or a folder whose
/// direct subfolders are bundles (a `batch` output). Sorted by asset id within a folder.
pub fn find_bundles(paths: &[PathBuf]) -> Result<Vec<PathBuf>, MediaError> {
    let mut found = Vec::new();
    for path in paths {
        if is_bundle(path) {
            found.push(path.clone());
            continue;
        }
        if !path.is_dir() {
            return Err(MediaError::NotABundle {
                path: path.display().to_string(),
            });
        }
        let mut inner: Vec<PathBuf> = fs::read_dir(path)
            .map_err(io_err(path))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| is_bundle(p))
            .collect();
        if inner.is_empty() {
            return Err(MediaError::NoBundles {
                path: path.display().to_string(),
            });
        }
        inner.sort();
        found.extend(inner);
    }
    Ok(found)
}

/// Read a bundle folder's `selection.yaml` and `report.yaml`.
pub fn read_bundle(dir: &Path) -> Result<BundleInfo, MediaError> {
    let bad = |message: String| MediaError::BadBundle {
        path: dir.display().to_string(),
        message,
    };
    let asset_id = dir
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| valid_asset_id(n))
        .ok_or_else(|| bad("the folder name must be the machine's host name (a-z, 0-9, -)".into()))?
        .to_string();
    let read = |name: &str| -> Result<String, MediaError> {
        let path = dir.join(name);
        fs::read_to_string(&path).map_err(io_err(&path))
    };
    let selection: Selection =
        crate::yaml::from_str(&read("selection.yaml")?).map_err(|e| bad(format!("selection.yaml: {e}")))?;
    let report: HardwareReport =
        crate::yaml::from_str(&read("report.yaml")?).map_err(|e| bad(format!("report.yaml: {e}")))?;
    let chosen = selection
        .chosen
        .ok_or_else(|| bad("selection.yaml: no profile was chosen for this machine".into()))?;
    let ethernet_macs = if report.probe.redacted {
        Vec::new()
    } else {
        let mut macs: Vec<String> = report
            .network
            .iter()
            .filter(|d| d.kind == NetworkKind::Ethernet)
            .filter_map(|d| d.mac.as_deref())
            .map(str::to_ascii_lowercase)
            .filter(|m| valid_mac(m) && !is_placeholder_mac(m))
            .collect();
        macs.sort();
        macs.dedup();
        macs
    };
    let model = [selection.machine.vendor.as_deref(), selection.machine.model.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    Ok(BundleInfo {
        dir: dir.to_path_buf(),
        asset_id,
        family: chosen.family,
        installer: chosen.installer,
        release: chosen.release.into(),
        codename: chosen.codename.into(),
        arch: chosen.arch,
        boot_params: chosen.boot_params,
        ethernet_macs,
        model: one_line_ascii(&model),
        erase_before_install: chosen.installer == InstallerFormat::Preseed
            && upcycle_bin::erases_before_install(&read("preseed.cfg")?),
    })
}

/// The static upcycle for `arch` under `dir` (see [`upcycle_bin::candidates`]), checked to
/// run in d-i; `asset_id` names the bundle that needs it.
pub fn read_upcycle(dir: &Path, arch: Arch, asset_id: &str) -> Result<Vec<u8>, MediaError> {
    let path = upcycle_bin::candidates(dir, arch)
        .into_iter()
        .find(|p| p.is_file())
        .ok_or_else(|| MediaError::NoUpcycle {
            asset_id: asset_id.to_string(),
            arch: arch.as_str().to_string(),
            dir: dir.display().to_string(),
        })?;
    let bytes = fs::read(&path).map_err(io_err(&path))?;
    match upcycle_bin::unfit(&bytes, arch) {
        None => Ok(bytes),
        Some(why) => Err(MediaError::BadUpcycle {
            path: path.display().to_string(),
            arch: arch.as_str().to_string(),
            why,
        }),
    }
}

impl BundleInfo {
    /// Error unless the bundle installs Debian with a preseed (what d-i images boot).
    pub fn require_debian(&self, what: &'static str) -> Result<(), MediaError> {
        if self.family == Family::Debian && self.installer == InstallerFormat::Preseed {
            Ok(())
        } else {
            Err(MediaError::NotDebian {
                asset_id: self.asset_id.clone(),
                release: self.release.clone(),
                what,
            })
        }
    }
}

/// Host-name-like ids only: they go into boot menus, file names and URLs unquoted.
pub fn valid_asset_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 63
        && !id.starts_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `aa:bb:cc:dd:ee:ff`, lower case.
pub fn valid_mac(mac: &str) -> bool {
    let parts: Vec<&str> = mac.split(':').collect();
    parts.len() == 6
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        && mac != "00:00:00:00:00:00"
}

/// `02:00:00:...`: the locally administered range `redact` puts in place of real MACs.
/// A report probed from a redacted capture carries these without `redacted: true`; no
/// laptop's card has one, so no boot entry is made for it.
pub fn is_placeholder_mac(mac: &str) -> bool {
    mac.starts_with("02:00:00:")
}

/// Untrusted text for a boot menu title: printable ASCII only, no config syntax
/// characters, at most 60 characters.
pub fn one_line_ascii(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || " .,()_+/-".contains(c) {
                c
            } else {
                ' '
            }
        })
        .collect();
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    words.join(" ").chars().take(60).collect()
}

/// Debian's netboot images for one release and architecture, as installed by
/// `debian-installer-<release>-netboot-<arch>` under `/usr/lib/debian-installer/images`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstallerImages {
    /// `<root>/<release>/<arch>/text`: holds `pxelinux.0`, `ldlinux.c32` and
    /// `debian-installer/<arch>/`.
    pub text_dir: PathBuf,
    pub release: String,
    pub arch: Arch,
}

impl InstallerImages {
    pub fn locate(root: &Path, release: &str, arch: Arch) -> Result<Self, MediaError> {
        let text_dir = root.join(release).join(arch.as_str()).join("text");
        let images = InstallerImages {
            text_dir,
            release: release.to_string(),
            arch,
        };
        if images.kernel().is_file() && images.initrd().is_file() {
            Ok(images)
        } else {
            Err(MediaError::NoImages {
                dir: root.display().to_string(),
                release: release.to_string(),
                arch: arch.as_str().to_string(),
            })
        }
    }

    /// `debian-installer/<arch>/`: kernel, initrd, EFI loaders, grub modules.
    pub fn di_dir(&self) -> PathBuf {
        self.text_dir.join("debian-installer").join(self.arch.as_str())
    }
    pub fn kernel(&self) -> PathBuf {
        self.di_dir().join("linux")
    }
    pub fn initrd(&self) -> PathBuf {
        self.di_dir().join("initrd.gz")
    }
    /// The signed shim (`bootnetx64.efi` / `bootnetia32.efi`), which loads the grub beside it.
    pub fn efi_shim(&self) -> PathBuf {
        self.di_dir().join(match self.arch {
            Arch::Amd64 => "bootnetx64.efi",
            Arch::I386 => "bootnetia32.efi",
        })
    }
    /// Debian's signed network grub (`grubx64.efi` / `grubia32.efi`).
    pub fn efi_grub(&self) -> PathBuf {
        self.di_dir().join(match self.arch {
            Arch::Amd64 => "grubx64.efi",
            Arch::I386 => "grubia32.efi",
        })
    }
    /// The name firmware looks for on removable media: `BOOTX64.EFI` / `BOOTIA32.EFI`.
    pub fn efi_removable_name(&self) -> &'static str {
        match self.arch {
            Arch::Amd64 => "BOOTX64.EFI",
            Arch::I386 => "BOOTIA32.EFI",
        }
    }
    /// The `version.info` line, e.g. `Debian version:  12 (bookworm)` + build date.
    pub fn version_info(&self) -> Option<String> {
        fs::read_to_string(self.text_dir.join("version.info")).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_macs() {
        assert!(valid_asset_id("schule-001"));
        assert!(!valid_asset_id("schule 001"));
        assert!(!valid_asset_id("../x"));
        assert!(!valid_asset_id("-a"));
        assert!(!valid_asset_id("a$(reboot)"));
        assert!(valid_mac("00:1a:2b:3c:4d:5e"));
        assert!(!valid_mac("00:1A:2B:3C:4D:5E"));
        assert!(!valid_mac("00:00:00:00:00:00"));
        assert!(!valid_mac("00:1a:2b:3c:4d"));
    }

    #[test]
    fn menu_titles_are_tame() {
        assert_eq!(
            one_line_ascii("IBM\nThinkPad $(reboot) \"T40\""),
            "IBM ThinkPad (reboot) T40"
        );
        assert_eq!(one_line_ascii(&"x".repeat(100)).len(), 60);
    }
}
