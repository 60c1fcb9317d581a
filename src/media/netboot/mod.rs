//! `media netboot`: the network-install tree for the workshop PC, as a list of files.
//!
//! A laptop that boots from the network gets its boot loader from the workshop PC
//! (dnsmasq as proxy DHCP next to the school's router, plus TFTP), then a menu:
//! - BIOS: Debian's `pxelinux.0` reads `pxelinux.cfg/01-<mac>` (one per known laptop:
//!   its own install after a short countdown) or `pxelinux.cfg/default` (every bundle
//!   in a menu; the default entry boots the local disk).
//! - UEFI: Debian's signed shim (`bootnetx64.efi`) loads the signed network GRUB beside
//!   it, whose built-in config reads `$prefix/grub.cfg` = `debian-installer/<arch>/grub/grub.cfg`
//!   (GRUB 2.06 of Debian 12 has no per-MAC config search on that path), so one grub.cfg
//!   per architecture picks the laptop's entry by comparing `$net_default_mac`.
//!
//! An install entry boots the installer of the bundle's release and architecture with
//! boot.txt's route-2 line (`auto=true priority=critical url=... locale=... keymap=...`,
//! then the profile's parameters, `---` and them again); the installer then fetches
//! `preseed.cfg` over HTTP from `upcycle serve`. A machine that is not chosen never
//! installs anything: every menu's default without a known MAC is the local disk.
//!
//! Building the file list is pure ([`plan`]); the command reads the bundles and images
//! and writes the tree. Every value that reaches a config line is checked to a safe shape
//! first ([`check_inputs`]: asset ids, MACs, kernel parameters, locale and keymap) or
//! tamed by the templates' `tame` filter (titles); the texts come from the Tera templates
//! of `templates/netboot/` ([`render`]); the laptops' network is a [`Subnet`].

mod render;
mod subnet;

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

pub use subnet::Subnet;

use crate::catalog::Arch;
use crate::media::{BundleInfo, InstallerImages, valid_asset_id, valid_mac};
use crate::token::KernelParam;
use crate::tree::TreeFile;

/// Seconds a laptop with a known MAC waits before its install starts.
pub const AUTO_INSTALL_SECONDS: u32 = 10;
/// Seconds the shared menu waits before it boots the local disk.
pub const MENU_SECONDS: u32 = 30;

/// The syslinux modules the BIOS menu needs, all from Debian's `boot-screens/`
/// (vesamenu.c32 links against libcom32.c32 and libutil.c32; `readelf -d`).
const BIOS_MODULES: [&str; 4] = ["ldlinux.c32", "vesamenu.c32", "libcom32.c32", "libutil.c32"];

/// One bundle as the network tree needs it: the bundle plus the language and keyboard
/// its preseed sets (they must be on the boot line, the preseed loads only after the
/// network is up).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetbootBundle {
    pub info: BundleInfo,
    pub locale: String,
    pub keymap: String,
}
/// Everything [`plan`] needs, read and checked by the command.
#[derive(Debug, Clone)]
pub struct NetbootInput<'a> {
    /// Debian bundles only, sorted by asset id.
    pub bundles: &'a [NetbootBundle],
    /// One set of installer images per (release, arch) the bundles need.
    pub images: &'a [InstallerImages],
    pub server: Ipv4Addr,
    pub http_port: u16,
    pub subnet: Subnet,
    /// Absolute path of `DIR/tftp` on the workshop PC, for `tftp-root=`.
    pub tftp_root: String,
    /// Extra kernel parameters for every install entry (installer only, before `---`).
    pub append: &'a [KernelParam],
    /// The folder `upcycle serve` must serve (the bundles' common parent), if there is one.
    pub serve_dir: Option<String>,
    /// The files below each images' GRUB modules folder ([`grub_modules_dir`]) by
    /// (release, arch): relative `/`-separated paths, sorted (the command lists them).
    pub grub_modules: &'a GrubModules,
    /// The static upcycle per architecture: appended to the initrds of that architecture,
    /// for the erasure of the bundles that erase in the installer
    /// (`BundleInfo::erase_before_install`: the command needs one for them) and for every
    /// laptop's self-check (late_command copies it; taken when there is one).
    pub upcycle: &'a BTreeMap<Arch, Vec<u8>>,
    /// The language of README.txt (the terminal's: the person who runs the command reads it).
    pub lang: crate::l10n::Lang,
}

/// The files of the GRUB modules folder of each (release, arch) of installer images.
pub type GrubModules = BTreeMap<(String, Arch), Vec<String>>;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NetbootError {
    #[error("{asset_id}: {what} '{value}' cannot go on a boot line (allowed: letters, digits and . _ - + = , : / @)")]
    UnsafeValue {
        asset_id: String,
        what: &'static str,
        value: String,
    },
    #[error("two bundles are called {asset_id} ({first} and {second}); give each laptop once")]
    DuplicateAssetId {
        asset_id: String,
        first: String,
        second: String,
    },
    #[error(
        "the MAC address {mac} is in the reports of {first} and {second}; a network card can start only one install (remove the older bundle)"
    )]
    DuplicateMac { mac: String, first: String, second: String },
    #[error("no installer images given for Debian {release} {arch} (needed by {asset_id})")]
    MissingImages {
        release: String,
        arch: String,
        asset_id: String,
    },
    #[error("no Debian bundles to boot")]
    NoBundles,
    #[error("{asset_id}: {source}")]
    BootLine {
        asset_id: String,
        source: crate::boot_line::BootLineError,
    },
    /// An embedded template failed (a bug of upcycle, caught by the tests).
    #[error("netboot template {name}: {message}")]
    Template { name: String, message: String },
}

/// A locale, keymap or release that is safe unquoted on pxelinux `APPEND` and GRUB
/// `linux` lines: the shape of a [`KernelParam`] (the one boot-word validator).
pub fn safe_boot_word(word: &str) -> bool {
    KernelParam::is_valid(word)
}

/// Where a release's kernel and initrd live in the tree: `debian/<release>/<arch>`.
pub fn kernel_dir(release: &str, arch: Arch) -> String {
    format!("debian/{release}/{}", arch.as_str())
}

/// The installer's kernel parameters for one bundle: boot.txt's route-2 line with this
/// server, then `append` (installer only), then the profile's parameters, `---` and
/// the profile's parameters again (kept for the installed system).
pub fn install_params(
    b: &NetbootBundle,
    server: Ipv4Addr,
    http_port: u16,
    append: &[KernelParam],
) -> Result<Vec<String>, NetbootError> {
    let route = crate::boot_line::url_route(&server.to_string(), http_port, &b.info.asset_id, &b.locale, &b.keymap);
    let route: Vec<&str> = route.iter().map(String::as_str).collect();
    crate::boot_line::build(&route, append, &b.info.boot_params).map_err(|source| NetbootError::BootLine {
        asset_id: b.info.asset_id.clone(),
        source,
    })
}

/// Refuse what cannot go into the tree: no bundles, a value of a bundle that is not safe
/// on a boot line, two bundles of one host name or MAC, images missing.
pub fn check_inputs(input: &NetbootInput) -> Result<(), NetbootError> {
    if input.bundles.is_empty() {
        return Err(NetbootError::NoBundles);
    }
    let mut ids: BTreeMap<&str, &NetbootBundle> = BTreeMap::new();
    let mut macs: BTreeMap<&str, &NetbootBundle> = BTreeMap::new();
    for b in input.bundles {
        let id = b.info.asset_id.as_str();
        let unsafe_value = |what: &'static str, value: &str| NetbootError::UnsafeValue {
            asset_id: id.to_string(),
            what,
            value: value.to_string(),
        };
        if !valid_asset_id(id) {
            return Err(unsafe_value("the host name", id));
        }
        if !safe_boot_word(&b.locale) {
            return Err(unsafe_value("the locale", &b.locale));
        }
        if !safe_boot_word(&b.keymap) {
            return Err(unsafe_value("the keymap", &b.keymap));
        }
        install_params(b, input.server, input.http_port, input.append)?;
        if !safe_boot_word(&b.info.release) {
            return Err(unsafe_value("the release", &b.info.release));
        }
        if let Some(first) = ids.insert(id, b) {
            return Err(NetbootError::DuplicateAssetId {
                asset_id: id.to_string(),
                first: first.info.dir.display().to_string(),
                second: b.info.dir.display().to_string(),
            });
        }
        for mac in &b.info.ethernet_macs {
            if !valid_mac(mac) {
                return Err(unsafe_value("the MAC address", mac));
            }
            if let Some(first) = macs.insert(mac, b) {
                if first.info.asset_id != b.info.asset_id {
                    return Err(NetbootError::DuplicateMac {
                        mac: mac.clone(),
                        first: first.info.asset_id.clone(),
                        second: b.info.asset_id.clone(),
                    });
                }
            }
        }
        if !input
            .images
            .iter()
            .any(|i| i.release == b.info.release && i.arch == b.info.arch)
        {
            return Err(NetbootError::MissingImages {
                release: b.info.release.clone(),
                arch: b.info.arch.as_str().to_string(),
                asset_id: id.to_string(),
            });
        }
    }
    Ok(())
}

/// Release numbers compared as numbers where they are (`9` < `12` < `13`).
fn release_key(release: &str) -> (u32, String) {
    let major = release.split('.').next().and_then(|m| m.parse().ok()).unwrap_or(0);
    (major, release.to_string())
}

/// The newest images of `arch`, if any (boot loaders come from there).
fn newest<'a>(images: &[&'a InstallerImages], arch: Option<Arch>) -> Option<&'a InstallerImages> {
    images
        .iter()
        .copied()
        .filter(|i| arch.is_none_or(|a| i.arch == a))
        .max_by_key(|i| (release_key(&i.release), std::cmp::Reverse(i.arch)))
}

fn efi_shim_name(arch: Arch) -> &'static str {
    match arch {
        Arch::Amd64 => "bootnetx64.efi",
        Arch::I386 => "bootnetia32.efi",
    }
}

fn grub_platform(arch: Arch) -> &'static str {
    match arch {
        Arch::Amd64 => "x86_64-efi",
        Arch::I386 => "i386-efi",
    }
}

/// `debian-installer/<arch>/grub/x86_64-efi` (or `i386-efi`) of the images: GRUB's
/// modules, copied into the tree.
pub fn grub_modules_dir(images: &InstallerImages) -> std::path::PathBuf {
    images.di_dir().join("grub").join(grub_platform(images.arch))
}

/// `debian-installer/<arch>/bootnetx64.efi`: the path the DHCP answer names. The shim
/// loads `grubx64.efi` from its own folder, and that GRUB's prefix is
/// `/debian-installer/<arch>/grub` (built into Debian's image), so the layout is Debian's.
pub fn efi_boot_file(arch: Arch) -> String {
    format!("debian-installer/{}/{}", arch.as_str(), efi_shim_name(arch))
}
/// The tree: boot loaders, kernels, menus, dnsmasq.conf, README.txt, start.sh.
/// Folders are 0755 and files 0644 (dnsmasq's TFTP serves only world-readable files),
/// start.sh 0755.
pub fn plan(input: &NetbootInput) -> Result<Vec<TreeFile>, NetbootError> {
    check_inputs(input)?;
    let mut files = Vec::new();
    let copy = |path: String, from: std::path::PathBuf| TreeFile::new(path, 0o644, from);
    let text = |path: String, body: String| TreeFile::new(path, 0o644, body);

    // Kernels and initrds, for the (release, arch) pairs the bundles use.
    let mut used: Vec<&InstallerImages> = input
        .images
        .iter()
        .filter(|i| {
            input
                .bundles
                .iter()
                .any(|b| b.info.release == i.release && b.info.arch == i.arch)
        })
        .collect();
    used.sort_by_key(|i| (release_key(&i.release), i.arch));
    used.dedup_by_key(|i| (i.release.clone(), i.arch));
    for images in &used {
        let dir = kernel_dir(&images.release, images.arch);
        files.push(copy(format!("tftp/{dir}/linux"), images.kernel()));
        // upcycle in the installer: for the erasure of the bundles that erase, and for every
        // laptop's self-check (late_command copies it onto the installed system)
        match input.upcycle.get(&images.arch) {
            // d-i's initrd and one more gzip member with /upcycle/upcycle (the kernel unpacks both)
            Some(binary) => files.push(TreeFile::new(
                format!("tftp/{dir}/initrd.gz"),
                0o644,
                crate::tree::Data::CopyAndAppend(
                    images.initrd(),
                    crate::media::cpio::inject(&[], &crate::media::upcycle_bin::initrd_files(binary))
                        .expect("one file with a fixed name makes an archive"),
                ),
            )),
            None => files.push(copy(format!("tftp/{dir}/initrd.gz"), images.initrd())),
        }
    }

    // BIOS: one pxelinux for every architecture (it boots i386 and amd64 kernels alike),
    // from the newest images used; its modules from the same images (versions match).
    let bios = newest(&used, None).ok_or(NetbootError::NoBundles)?;
    // UEFI: per architecture the bundles use, the newest images' shim + GRUB + modules.
    let mut efi_arches: Vec<Arch> = used.iter().map(|i| i.arch).collect();
    efi_arches.sort();
    efi_arches.dedup();
    let texts = render::Texts::new(input, bios, &efi_arches)?;

    files.push(copy("tftp/pxelinux.0".into(), bios.di_dir().join("pxelinux.0")));
    for module in BIOS_MODULES {
        files.push(copy(
            format!("tftp/{module}"),
            bios.di_dir().join("boot-screens").join(module),
        ));
    }
    files.push(text("tftp/pxelinux.cfg/default".into(), texts.pxelinux_menu()?));
    for b in input.bundles {
        for mac in &b.info.ethernet_macs {
            files.push(text(
                format!("tftp/pxelinux.cfg/01-{}", mac.replace(':', "-")),
                texts.pxelinux_machine(b)?,
            ));
        }
    }

    for arch in &efi_arches {
        let images = newest(&used, Some(*arch)).expect("an arch in use has images");
        let base = format!("tftp/debian-installer/{}", arch.as_str());
        files.push(copy(format!("{base}/{}", efi_shim_name(*arch)), images.efi_shim()));
        let grub_name = images
            .efi_grub()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        files.push(copy(format!("{base}/{grub_name}"), images.efi_grub()));
        // Debian's modules folder holds a grub.cfg for its CD layout (`source
        // /boot/grub/grub.cfg`); GRUB's built-in config prefers that file to ours when
        // it exists, so it is left out.
        let modules = input
            .grub_modules
            .get(&(images.release.clone(), *arch))
            .map(Vec::as_slice)
            .unwrap_or_default();
        let from = grub_modules_dir(images);
        for rel in modules {
            if rel.rsplit('/').next() != Some("grub.cfg") {
                files.push(copy(
                    format!("{base}/grub/{}/{rel}", grub_platform(*arch)),
                    from.join(rel),
                ));
            }
        }
        files.push(text(format!("{base}/grub/grub.cfg"), texts.grub_menu(*arch)?));
    }

    files.push(text("dnsmasq.conf".into(), texts.dnsmasq_conf()?));
    files.push(text("README.txt".into(), texts.readme()?));
    files.push(TreeFile::new("start.sh", 0o755, texts.start_sh()?));
    Ok(files)
}

#[cfg(test)]
mod tests;
