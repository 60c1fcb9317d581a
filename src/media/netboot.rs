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
//! first (asset ids, MACs, kernel parameters, locale and keymap) or sanitized (titles).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::Ipv4Addr;
use std::path::PathBuf;

use crate::catalog::Arch;
use crate::media::{BundleInfo, InstallerImages, one_line_ascii, valid_asset_id, valid_mac};

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

/// An IPv4 network: where the laptops and the workshop PC are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subnet {
    pub network: Ipv4Addr,
    pub prefix: u8,
}

impl Subnet {
    /// The /`prefix` network holding `addr`.
    pub fn around(addr: Ipv4Addr, prefix: u8) -> Subnet {
        let mask = Self::mask_bits(prefix);
        Subnet {
            network: Ipv4Addr::from(u32::from(addr) & mask),
            prefix,
        }
    }

    /// `192.168.1.0/24`; the address part may be any address inside the network.
    pub fn parse(text: &str) -> Result<Subnet, String> {
        let (addr, prefix) = text
            .split_once('/')
            .ok_or_else(|| format!("'{text}' is not a network like 192.168.1.0/24"))?;
        let addr: Ipv4Addr = addr
            .parse()
            .map_err(|_| format!("'{addr}' is not an IPv4 address (like 192.168.1.0)"))?;
        let prefix: u8 = prefix
            .parse()
            .ok()
            .filter(|p| (8..=30).contains(p))
            .ok_or_else(|| format!("'/{prefix}': the prefix length must be 8 to 30"))?;
        Ok(Subnet::around(addr, prefix))
    }

    fn mask_bits(prefix: u8) -> u32 {
        if prefix == 0 {
            0
        } else {
            u32::MAX << (32 - u32::from(prefix))
        }
    }

    pub fn netmask(&self) -> Ipv4Addr {
        Ipv4Addr::from(Self::mask_bits(self.prefix))
    }

    pub fn contains(&self, addr: Ipv4Addr) -> bool {
        u32::from(addr) & Self::mask_bits(self.prefix) == u32::from(self.network)
    }
}

impl std::fmt::Display for Subnet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
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
    pub append: &'a [String],
    /// The folder `upcycle serve` must serve (the bundles' common parent), if there is one.
    pub serve_dir: Option<String>,
}

/// Where a file of the tree comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// A copy of a file of the installer images.
    Copy(PathBuf),
    /// A copy of a folder of the installer images (recursively), minus the named files.
    CopyDir { from: PathBuf, except: Vec<&'static str> },
    /// A generated text file.
    Text(String),
}

/// One file (or folder) of the tree, at a `/`-separated path relative to the tree's root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeFile {
    pub path: String,
    pub content: Content,
    pub executable: bool,
}

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
    #[error("--append: '{0}' cannot go on a boot line (allowed: letters, digits and . _ - + = , : / @)")]
    UnsafeAppend(String),
}

/// A kernel parameter, locale or keymap that is safe unquoted in pxelinux `APPEND`
/// and GRUB `linux` lines (no spaces, quotes, `$`, `;`, `#`, braces or backslashes).
pub fn safe_boot_word(word: &str) -> bool {
    !word.is_empty()
        && word.len() <= 200
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-+=,:/@".contains(&b))
}

/// The value of a `d-i KEY TYPE VALUE` line of a preseed (the last one wins, as in d-i).
pub fn preseed_value(preseed: &str, key: &str) -> Option<String> {
    preseed.lines().rev().find_map(|line| {
        let mut words = line.split_whitespace();
        if words.next() != Some("d-i") || words.next() != Some(key) {
            return None;
        }
        words.next(); // the type
        let value = words.collect::<Vec<_>>().join(" ");
        (!value.is_empty()).then_some(value)
    })
}

/// Where a release's kernel and initrd live in the tree: `debian/<release>/<arch>`.
pub fn kernel_dir(release: &str, arch: Arch) -> String {
    format!("debian/{release}/{}", arch.as_str())
}

/// The installer's kernel parameters for one bundle: boot.txt's route-2 line with this
/// server, then `append` (installer only), then the profile's parameters, `---` and
/// the profile's parameters again (kept for the installed system).
pub fn install_params(b: &NetbootBundle, server: Ipv4Addr, http_port: u16, append: &[String]) -> Vec<String> {
    let mut params = vec![
        "auto=true".to_string(),
        "priority=critical".to_string(),
        format!("url=http://{server}:{http_port}/{}/preseed.cfg", b.info.asset_id),
        format!("locale={}", b.locale),
        format!("keymap={}", b.keymap),
    ];
    params.extend(append.iter().cloned());
    if !b.info.boot_params.is_empty() {
        params.extend(b.info.boot_params.iter().cloned());
        params.push("---".to_string());
        params.extend(b.info.boot_params.iter().cloned());
    }
    params
}

fn check_inputs(input: &NetbootInput) -> Result<(), NetbootError> {
    if input.bundles.is_empty() {
        return Err(NetbootError::NoBundles);
    }
    if let Some(bad) = input.append.iter().find(|w| !safe_boot_word(w) || *w == "---") {
        return Err(NetbootError::UnsafeAppend(bad.clone()));
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
        if let Some(p) = b.info.boot_params.iter().find(|p| !safe_boot_word(p) || *p == "---") {
            return Err(unsafe_value("the boot parameter", p));
        }
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

/// `debian-installer/<arch>/bootnetx64.efi`: the path the DHCP answer names. The shim
/// loads `grubx64.efi` from its own folder, and that GRUB's prefix is
/// `/debian-installer/<arch>/grub` (built into Debian's image), so the layout is Debian's.
pub fn efi_boot_file(arch: Arch) -> String {
    format!("debian-installer/{}/{}", arch.as_str(), efi_shim_name(arch))
}

/// The title of a bundle's menu entry: host name, model (sanitized, at most 32
/// characters), system. Every part is checked or sanitized, so it is one tame line.
fn entry_title(b: &NetbootBundle) -> String {
    let model: String = one_line_ascii(&b.info.model).chars().take(32).collect();
    let model = match model.trim_end() {
        "" => "unknown model",
        m => m,
    };
    format!(
        "upcycle {} - {model} - Debian {} {}",
        b.info.asset_id,
        b.info.release,
        b.info.arch.as_str()
    )
}

/// The tree: boot loaders, kernels, menus, dnsmasq.conf, README.txt, start.sh.
pub fn plan(input: &NetbootInput) -> Result<Vec<TreeFile>, NetbootError> {
    check_inputs(input)?;
    let mut files = Vec::new();
    let copy = |path: String, from: PathBuf| TreeFile {
        path,
        content: Content::Copy(from),
        executable: false,
    };
    let text = |path: String, body: String| TreeFile {
        path,
        content: Content::Text(body),
        executable: false,
    };

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
        files.push(copy(format!("tftp/{dir}/initrd.gz"), images.initrd()));
    }

    // BIOS: one pxelinux for every architecture (it boots i386 and amd64 kernels alike),
    // from the newest images used; its modules from the same images (versions match).
    let bios = newest(&used, None).ok_or(NetbootError::NoBundles)?;
    files.push(copy("tftp/pxelinux.0".into(), bios.di_dir().join("pxelinux.0")));
    for module in BIOS_MODULES {
        files.push(copy(
            format!("tftp/{module}"),
            bios.di_dir().join("boot-screens").join(module),
        ));
    }
    files.push(text("tftp/pxelinux.cfg/default".into(), pxelinux_menu(input)));
    for b in input.bundles {
        for mac in &b.info.ethernet_macs {
            files.push(text(
                format!("tftp/pxelinux.cfg/01-{}", mac.replace(':', "-")),
                pxelinux_machine(input, b),
            ));
        }
    }

    // UEFI: per architecture the bundles use, the newest images' shim + GRUB + modules.
    let mut efi_arches: Vec<Arch> = used.iter().map(|i| i.arch).collect();
    efi_arches.sort();
    efi_arches.dedup();
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
        files.push(TreeFile {
            path: format!("{base}/grub/{}", grub_platform(*arch)),
            content: Content::CopyDir {
                from: images.di_dir().join("grub").join(grub_platform(*arch)),
                except: vec!["grub.cfg"],
            },
            executable: false,
        });
        files.push(text(format!("{base}/grub/grub.cfg"), grub_menu(input, *arch)));
    }

    files.push(text("dnsmasq.conf".into(), dnsmasq_conf(input, &efi_arches)));
    files.push(text("README.txt".into(), readme(input, bios, &efi_arches)));
    files.push(TreeFile {
        path: "start.sh".into(),
        content: Content::Text(start_sh(input)),
        executable: true,
    });
    Ok(files)
}

fn pxelinux_entry(out: &mut String, input: &NetbootInput, b: &NetbootBundle, label: &str) {
    let dir = kernel_dir(&b.info.release, b.info.arch);
    let params = install_params(b, input.server, input.http_port, input.append).join(" ");
    let _ = write!(
        out,
        "LABEL {label}\n\
         \tMENU LABEL {title}\n\
         \tTEXT HELP\n\
         \tInstalls Debian {release} ({codename}) {arch} as {id}: ERASES the internal disk.\n\
         \tENDTEXT\n\
         \tLINUX {dir}/linux\n\
         \tINITRD {dir}/initrd.gz\n\
         \tAPPEND {params}\n",
        title = entry_title(b),
        release = b.info.release,
        codename = one_line_ascii(&b.info.codename),
        arch = b.info.arch.as_str(),
        id = b.info.asset_id,
    );
}

const PXELINUX_LOCAL: &str = "LABEL local\n\tMENU LABEL Boot from the local disk\n\tLOCALBOOT 0\n";

/// `pxelinux.cfg/default`: every bundle; the default is the local disk.
fn pxelinux_menu(input: &NetbootInput) -> String {
    let mut out = format!(
        "# upcycle network install: the menu for every machine without its own entry.\n\
         # Generated by `upcycle media netboot`; nothing here starts an install by itself:\n\
         # after {MENU_SECONDS} seconds the machine boots from its own disk.\n\
         UI vesamenu.c32\n\
         MENU TITLE upcycle network install ({n} machines)\n\
         PROMPT 0\n\
         TIMEOUT {timeout}\n\
         DEFAULT local\n\
         {PXELINUX_LOCAL}",
        n = input.bundles.len(),
        timeout = MENU_SECONDS * 10,
    );
    for b in input.bundles {
        pxelinux_entry(&mut out, input, b, &format!("install-{}", b.info.asset_id));
    }
    out
}

/// `pxelinux.cfg/01-<mac>`: this laptop's install after a countdown, or its disk, or the
/// shared menu.
fn pxelinux_machine(input: &NetbootInput, b: &NetbootBundle) -> String {
    let mut out = format!(
        "# upcycle network install for {id} (this file is chosen by its MAC address).\n\
         # Generated by `upcycle media netboot`: the install starts after {AUTO_INSTALL_SECONDS} seconds.\n\
         UI vesamenu.c32\n\
         MENU TITLE upcycle: {id} installs in {AUTO_INSTALL_SECONDS} s (ERASES the disk)\n\
         PROMPT 0\n\
         TIMEOUT {timeout}\n\
         DEFAULT install-{id}\n",
        id = b.info.asset_id,
        timeout = AUTO_INSTALL_SECONDS * 10,
    );
    pxelinux_entry(&mut out, input, b, &format!("install-{}", b.info.asset_id));
    out.push_str(PXELINUX_LOCAL);
    out.push_str("LABEL menu\n\tMENU LABEL All machines ...\n\tCONFIG pxelinux.cfg/default\n");
    out
}

/// `debian-installer/<arch>/grub/grub.cfg`: the bundles of this architecture; a laptop
/// whose MAC is known starts its own entry after a countdown, any other one waits and
/// then leaves to the firmware (next boot device).
fn grub_menu(input: &NetbootInput, arch: Arch) -> String {
    let bundles: Vec<&NetbootBundle> = input.bundles.iter().filter(|b| b.info.arch == arch).collect();
    let mut out = format!(
        "# upcycle network install, UEFI {arch} (read by Debian's network GRUB over TFTP).\n\
         # Generated by `upcycle media netboot`. A laptop whose MAC address is below starts\n\
         # its own install after {AUTO_INSTALL_SECONDS} seconds; any other machine boots from its disk\n\
         # after {MENU_SECONDS} seconds unless someone chooses an entry.\n\
         set timeout={MENU_SECONDS}\n\
         set default=local\n",
        arch = arch.as_str(),
    );
    for b in &bundles {
        for mac in &b.info.ethernet_macs {
            let _ = write!(
                out,
                "if [ \"$net_default_mac\" = \"{mac}\" ]; then\n\
                 \tset default=install-{id}\n\
                 \tset timeout={AUTO_INSTALL_SECONDS}\n\
                 fi\n",
                id = b.info.asset_id,
            );
        }
    }
    out.push_str("menuentry 'Boot from the local disk' --id=local {\n\texit\n}\n");
    for b in &bundles {
        let dir = kernel_dir(&b.info.release, b.info.arch);
        let params = install_params(b, input.server, input.http_port, input.append).join(" ");
        let _ = write!(
            out,
            "menuentry '{title} (ERASES the disk)' --id=install-{id} {{\n\
             \techo 'Loading the installer of {id} ...'\n\
             \tlinux /{dir}/linux {params}\n\
             \tinitrd /{dir}/initrd.gz\n\
             }}\n",
            title = entry_title(b),
            id = b.info.asset_id,
        );
    }
    out
}

/// dnsmasq as proxy DHCP (the school's router keeps giving out addresses) and TFTP.
fn dnsmasq_conf(input: &NetbootInput, efi_arches: &[Arch]) -> String {
    let mut out = format!(
        "# upcycle network install: dnsmasq as proxy DHCP + TFTP for {subnet}.\n\
         # Generated by `upcycle media netboot`. Start it on the workshop PC ({server}) with\n\
         #   sudo dnsmasq --no-daemon --conf-file={conf}\n\
         # (or ./start.sh). It gives out no addresses and answers no DNS: the network's own\n\
         # DHCP server (the router) keeps doing that; dnsmasq only adds the boot files.\n\
         port=0\n\
         dhcp-range={network},proxy,{netmask}\n\
         enable-tftp\n\
         tftp-root={root}\n\
         log-dhcp\n\
         pxe-service=x86PC,\"upcycle network install (BIOS)\",pxelinux.0\n",
        subnet = input.subnet,
        server = input.server,
        conf = dnsmasq_quote(&format!("{}/dnsmasq.conf", tree_dir(&input.tftp_root))),
        network = input.subnet.network,
        netmask = input.subnet.netmask(),
        root = dnsmasq_quote(&input.tftp_root),
    );
    for arch in efi_arches {
        let file = efi_boot_file(*arch);
        match arch {
            // x86-64 firmware sends client architecture 7 (dnsmasq: x86-64_EFI), some
            // older firmware 9 (BC_EFI); both get the 64-bit shim.
            Arch::Amd64 => {
                let _ = writeln!(out, "pxe-service=x86-64_EFI,\"upcycle network install (UEFI)\",{file}");
                let _ = writeln!(out, "pxe-service=BC_EFI,\"upcycle network install (UEFI)\",{file}");
            }
            Arch::I386 => {
                let _ = writeln!(
                    out,
                    "pxe-service=IA32_EFI,\"upcycle network install (32-bit UEFI)\",{file}"
                );
            }
        }
    }
    out
}

/// The tree's folder: `tftp_root` without its last component.
fn tree_dir(tftp_root: &str) -> &str {
    tftp_root.strip_suffix("/tftp").unwrap_or(tftp_root)
}

/// A path as a dnsmasq option value: quoted when it holds spaces. The command refuses
/// paths with characters dnsmasq cannot take (`,`, `"`, `\`, `#`, control characters).
fn dnsmasq_quote(path: &str) -> String {
    if path.contains(' ') {
        format!("\"{path}\"")
    } else {
        path.to_string()
    }
}

/// A shell word: as it is when it is plain, else single-quoted.
fn sh_quote(text: &str) -> String {
    if !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-+=:@".contains(&b))
    {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

fn start_sh(input: &NetbootInput) -> String {
    let dir = tree_dir(&input.tftp_root);
    format!(
        "#!/bin/sh\n\
         # Start the network install server of this tree (dnsmasq: proxy DHCP + TFTP).\n\
         # Generated by `upcycle media netboot`; the tree must stay at {dir}\n\
         # (dnsmasq.conf names it); run `upcycle media netboot` again after moving it.\n\
         # In a second terminal: {serve}\n\
         set -eu\n\
         here=$(cd \"$(dirname \"$0\")\" && pwd)\n\
         if [ \"$here\" != {qdir} ]; then\n\
         \techo \"start.sh: this tree was written for {dir}, not $here: run upcycle media netboot again\" >&2\n\
         \texit 1\n\
         fi\n\
         exec dnsmasq --no-daemon --conf-file=\"$here/dnsmasq.conf\"\n",
        serve = serve_command(input),
        qdir = sh_quote(dir),
    )
}

fn serve_command(input: &NetbootInput) -> String {
    match &input.serve_dir {
        Some(dir) => format!("upcycle serve {} --listen 0.0.0.0:{}", sh_quote(dir), input.http_port),
        None => format!(
            "upcycle serve BUNDLES --listen 0.0.0.0:{} (copy the bundle folders into one folder first)",
            input.http_port
        ),
    }
}

fn readme(input: &NetbootInput, bios: &InstallerImages, efi_arches: &[Arch]) -> String {
    let dir = tree_dir(&input.tftp_root);
    let mut machines = String::new();
    for b in input.bundles {
        let macs = if b.info.ethernet_macs.is_empty() {
            "no MAC known: choose it in the menu".to_string()
        } else {
            format!("starts by itself: {}", b.info.ethernet_macs.join(", "))
        };
        let _ = writeln!(machines, "  {}  ({macs})", entry_title(b));
    }
    let uefi = if efi_arches.is_empty() {
        "none".to_string()
    } else {
        efi_arches
            .iter()
            .map(|a| format!("{} ({})", a.as_str(), efi_boot_file(*a)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "upcycle network install\n\
         =======================\n\
         \n\
         This folder installs laptops over the network from the workshop PC ({server}).\n\
         \n\
         1. Connect the workshop PC and the laptops to the same wired network ({subnet})\n\
         \x20  that has a DHCP server (the school's router). Do not move this folder.\n\
         2. Terminal 1:  sudo {dir_q}/start.sh\n\
         \x20  (runs: sudo dnsmasq --no-daemon --conf-file={dir}/dnsmasq.conf)\n\
         3. Terminal 2:  {serve}\n\
         4. On each laptop open the one-time boot menu (F12 on most ThinkPads) and choose\n\
         \x20  the network card. A laptop listed below with its MAC address starts its own\n\
         \x20  install after {AUTO_INSTALL_SECONDS} seconds; any other laptop shows the menu, where you choose\n\
         \x20  its entry. Without a choice the menu boots the laptop's own disk after {MENU_SECONDS} seconds.\n\
         \x20  Do not put the network first in the laptop's permanent boot order: after its\n\
         \x20  install it would boot from the network again and reinstall itself.\n\
         \n\
         Machines ({n}):\n\
         {machines}\n\
         Boot files: BIOS pxelinux.0 from Debian {bios_release} ({bios_arch} images; it boots the\n\
         kernels of every architecture), UEFI: {uefi}.\n\
         Installers fetch http://{server}:{port}/<host name>/preseed.cfg from `upcycle serve`.\n",
        server = input.server,
        subnet = input.subnet,
        dir_q = sh_quote(dir),
        serve = serve_command(input),
        n = input.bundles.len(),
        bios_release = bios.release,
        bios_arch = bios.arch.as_str(),
        port = input.http_port,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Family, InstallerFormat};

    fn bundle(id: &str, arch: Arch, release: &str, macs: &[&str], params: &[&str]) -> NetbootBundle {
        NetbootBundle {
            info: BundleInfo {
                dir: PathBuf::from(format!("/b/{id}")),
                asset_id: id.into(),
                family: Family::Debian,
                installer: InstallerFormat::Preseed,
                release: release.into(),
                codename: "bookworm".into(),
                arch,
                boot_params: params.iter().map(|s| s.to_string()).collect(),
                ethernet_macs: macs.iter().map(|s| s.to_string()).collect(),
                model: "IBM ThinkPad T40".into(),
            },
            locale: "de_DE.UTF-8".into(),
            keymap: "de".into(),
        }
    }

    fn images(release: &str, arch: Arch) -> InstallerImages {
        InstallerImages {
            text_dir: PathBuf::from(format!("/img/{release}/{}/text", arch.as_str())),
            release: release.into(),
            arch,
        }
    }

    fn input<'a>(bundles: &'a [NetbootBundle], imgs: &'a [InstallerImages]) -> NetbootInput<'a> {
        NetbootInput {
            bundles,
            images: imgs,
            server: Ipv4Addr::new(192, 168, 1, 10),
            http_port: 8080,
            subnet: Subnet::around(Ipv4Addr::new(192, 168, 1, 10), 24),
            tftp_root: "/srv/nb/tftp".into(),
            append: &[],
            serve_dir: Some("/srv/room".into()),
        }
    }

    fn text_of<'a>(files: &'a [TreeFile], path: &str) -> &'a str {
        match &files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("{path}"))
            .content
        {
            Content::Text(t) => t,
            other => panic!("{path}: {other:?}"),
        }
    }

    #[test]
    fn boot_line_is_boot_txt_route_two() {
        let b = bundle("schule-001", Arch::I386, "12", &[], &["forcepae"]);
        assert_eq!(
            install_params(&b, Ipv4Addr::new(10, 0, 2, 2), 8080, &["nomodeset".into()]).join(" "),
            "auto=true priority=critical url=http://10.0.2.2:8080/schule-001/preseed.cfg \
             locale=de_DE.UTF-8 keymap=de nomodeset forcepae --- forcepae"
        );
        let b = bundle("schule-002", Arch::Amd64, "13", &[], &[]);
        assert!(!install_params(&b, Ipv4Addr::new(10, 0, 2, 2), 80, &[]).contains(&"---".to_string()));
    }

    #[test]
    fn subnets() {
        let s = Subnet::parse("10.1.2.3/16").unwrap();
        assert_eq!(s.to_string(), "10.1.0.0/16");
        assert_eq!(s.netmask(), Ipv4Addr::new(255, 255, 0, 0));
        assert!(s.contains(Ipv4Addr::new(10, 1, 200, 1)));
        assert!(!s.contains(Ipv4Addr::new(10, 2, 0, 1)));
        assert!(Subnet::parse("10.1.2.3").is_err());
        assert!(Subnet::parse("10.1.2.3/33").is_err());
        assert!(Subnet::parse("x/24").is_err());
    }

    #[test]
    fn preseed_values() {
        let p = "# c\nd-i debian-installer/locale string de_DE.UTF-8\n\
                 d-i keyboard-configuration/xkb-keymap select de\nd-i keyboard-configuration/xkb-keymap select fr\n";
        assert_eq!(
            preseed_value(p, "debian-installer/locale").as_deref(),
            Some("de_DE.UTF-8")
        );
        assert_eq!(
            preseed_value(p, "keyboard-configuration/xkb-keymap").as_deref(),
            Some("fr")
        );
        assert_eq!(preseed_value(p, "netcfg/get_hostname"), None);
    }

    #[test]
    fn hostile_values_are_refused() {
        let imgs = [images("12", Arch::I386)];
        let mut b = bundle("schule-001", Arch::I386, "12", &[], &[]);
        b.keymap = "de\nLABEL evil".into();
        assert!(matches!(
            plan(&input(&[b], &imgs)),
            Err(NetbootError::UnsafeValue { what: "the keymap", .. })
        ));
        let b = bundle("schule-001", Arch::I386, "12", &[], &["a;reboot"]);
        assert!(plan(&input(&[b], &imgs)).is_err());
        let b = bundle("schule-001", Arch::I386, "12", &[], &["---"]);
        assert!(plan(&input(&[b], &imgs)).is_err());
        let b = bundle("schule-001", Arch::I386, "12", &[], &[]);
        let append = ["$(reboot)".to_string()];
        let mut i = input(std::slice::from_ref(&b), &imgs);
        i.append = &append;
        assert_eq!(plan(&i), Err(NetbootError::UnsafeAppend("$(reboot)".into())));
    }

    #[test]
    fn duplicates_are_refused() {
        let imgs = [images("12", Arch::I386)];
        let a = bundle("schule-001", Arch::I386, "12", &["00:1a:2b:3c:4d:5e"], &[]);
        let b = bundle("schule-002", Arch::I386, "12", &["00:1a:2b:3c:4d:5e"], &[]);
        assert!(matches!(
            plan(&input(&[a.clone(), b], &imgs)),
            Err(NetbootError::DuplicateMac { .. })
        ));
        assert!(matches!(
            plan(&input(&[a.clone(), a], &imgs)),
            Err(NetbootError::DuplicateAssetId { .. })
        ));
    }

    #[test]
    fn missing_images_are_named() {
        let imgs = [images("12", Arch::I386)];
        let b = bundle("schule-002", Arch::Amd64, "13", &[], &[]);
        assert_eq!(
            plan(&input(&[b], &imgs)),
            Err(NetbootError::MissingImages {
                release: "13".into(),
                arch: "amd64".into(),
                asset_id: "schule-002".into()
            })
        );
    }

    #[test]
    fn loaders_come_from_the_newest_images_of_their_arch() {
        let imgs = [
            images("12", Arch::I386),
            images("12", Arch::Amd64),
            images("13", Arch::Amd64),
        ];
        let bundles = [
            bundle("a", Arch::I386, "12", &[], &[]),
            bundle("b", Arch::Amd64, "12", &[], &[]),
            bundle("c", Arch::Amd64, "13", &[], &[]),
        ];
        let files = plan(&input(&bundles, &imgs)).unwrap();
        let src = |path: &str| match &files.iter().find(|f| f.path == path).unwrap().content {
            Content::Copy(p) => p.display().to_string(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            src("tftp/pxelinux.0"),
            "/img/13/amd64/text/debian-installer/amd64/pxelinux.0"
        );
        assert_eq!(
            src("tftp/vesamenu.c32"),
            "/img/13/amd64/text/debian-installer/amd64/boot-screens/vesamenu.c32"
        );
        assert_eq!(
            src("tftp/debian-installer/amd64/grubx64.efi"),
            "/img/13/amd64/text/debian-installer/amd64/grubx64.efi"
        );
        assert_eq!(
            src("tftp/debian-installer/i386/bootnetia32.efi"),
            "/img/12/i386/text/debian-installer/i386/bootnetia32.efi"
        );
        assert_eq!(
            src("tftp/debian/12/amd64/linux"),
            "/img/12/amd64/text/debian-installer/amd64/linux"
        );
        // the amd64 GRUB lists only amd64 bundles, the BIOS menu all
        let grub = text_of(&files, "tftp/debian-installer/amd64/grub/grub.cfg");
        assert!(grub.contains("--id=install-b") && grub.contains("--id=install-c") && !grub.contains("install-a"));
        let menu = text_of(&files, "tftp/pxelinux.cfg/default");
        assert_eq!(menu.matches("\nLABEL install-").count(), 3);
    }

    #[test]
    fn unused_images_are_not_copied() {
        let imgs = [images("12", Arch::I386), images("12", Arch::Amd64)];
        let bundles = [bundle("a", Arch::I386, "12", &[], &[])];
        let files = plan(&input(&bundles, &imgs)).unwrap();
        assert!(files.iter().all(|f| !f.path.contains("amd64")), "{files:#?}");
        let conf = text_of(&files, "dnsmasq.conf");
        assert!(conf.contains("pxe-service=IA32_EFI,") && !conf.contains("x86-64_EFI"));
    }

    #[test]
    fn paths_with_spaces_are_quoted() {
        let imgs = [images("12", Arch::I386)];
        let bundles = [bundle("a", Arch::I386, "12", &[], &[])];
        let mut i = input(&bundles, &imgs);
        i.tftp_root = "/media/USB STICK/nb/tftp".into();
        i.serve_dir = Some("/media/it's/room".into());
        let files = plan(&i).unwrap();
        assert!(text_of(&files, "dnsmasq.conf").contains("tftp-root=\"/media/USB STICK/nb/tftp\"\n"));
        assert!(text_of(&files, "start.sh").contains("if [ \"$here\" != '/media/USB STICK/nb' ]"));
        assert!(text_of(&files, "start.sh").contains("upcycle serve '/media/it'\\''s/room'"));
    }
}
