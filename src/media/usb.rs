//! `media usb`: the files of a USB stick that installs one laptop with its bundle.
//!
//! The stick carries Debian's netboot kernel and an `initrd.gz` with the bundle injected
//! ([`super::cpio::inject`]), so the installer needs nothing typed and no server, only a
//! network cable for the packages. Two boot paths share those two files:
//! - BIOS: `syslinux.cfg` at the root (one entry, no `.c32` modules, so no version
//!   mismatch with whatever syslinux installs `ldlinux.sys`);
//! - UEFI: `EFI/BOOT/BOOTX64.EFI` (or `BOOTIA32.EFI`) is Debian's signed shim, which loads
//!   Debian's signed netboot GRUB beside it; that GRUB has `/debian-installer/<arch>/grub`
//!   built in as its prefix (on the device it was loaded from) and reads `grub.cfg` there.
//!
//! Pure: everything is read by the command; [`build`] returns the files to write. Text
//! from the laptop (the model) reaches the menus only through [`one_line_ascii`]; kernel
//! parameters are checked token by token ([`valid_param`]).

use super::cpio::{self, InitrdFile};
use super::{BundleInfo, one_line_ascii};
use crate::catalog::Arch;

/// One file of the stick: a relative path with `/`, its mode and contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsbFile {
    pub path: String,
    pub mode: u32,
    pub data: Vec<u8>,
}

/// A file of the bundle folder, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleFile {
    pub name: String,
    pub mode: u32,
    pub data: Vec<u8>,
}

/// Debian's netboot files for the bundle's release and architecture, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstallerFiles {
    pub arch: Arch,
    pub kernel: Vec<u8>,
    pub initrd: Vec<u8>,
    /// `bootnetx64.efi` / `bootnetia32.efi` (signed shim).
    pub efi_shim: Vec<u8>,
    /// `grubx64.efi` / `grubia32.efi` (signed netboot GRUB).
    pub efi_grub: Vec<u8>,
    /// Files under `debian-installer/<arch>/grub/` (font, modules), relative paths.
    /// Any `grub.cfg` among them is dropped: Debian's would be read before ours.
    pub grub_files: Vec<(String, Vec<u8>)>,
    /// `version.info`, for the README.
    pub version_info: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UsbError {
    #[error(
        "kernel parameter {0:?} is not allowed: use letters, digits and . _ , : = / + @ - only \
         (no spaces, quotes, $ ; # or ---; the stick adds `---` itself)"
    )]
    BadParam(String),
    #[error("the kernel command line would be {0} characters; keep it under {MAX_CMDLINE}")]
    CmdlineTooLong(usize),
    #[error(
        "bundle file {0:?} has a name the stick cannot carry safely; keep to letters, digits, . _ - \
         (rename or remove it)"
    )]
    BadFileName(String),
    #[error("the bundle has no {0}")]
    MissingFile(&'static str),
    #[error("cannot build the initrd: {0}")]
    Initrd(#[from] cpio::CpioError),
}

/// Longest kernel command line we write (x86 allows 2048 bytes including what the
/// bootloader adds).
pub const MAX_CMDLINE: usize = 1024;

/// A kernel parameter that means the same to syslinux, GRUB and the kernel: no
/// whitespace, quoting, variables, comments or command separators, and not `---`.
pub fn valid_param(p: &str) -> bool {
    !p.is_empty()
        && p != "---"
        && p.len() <= 255
        && p.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._,:=/+@-".contains(&b))
}

/// The kernel parameters of the stick's one entry: the bundle's initrd-route boot line
/// (`auto=true priority=critical` + the profile's params, as boot.txt documents it),
/// with `append` (installer-only parameters) before Debian's `---` separator, after
/// which the profile's params are repeated for the installed system.
pub fn kernel_params(boot_params: &[String], append: &[String]) -> Result<Vec<String>, UsbError> {
    if let Some(bad) = boot_params.iter().chain(append).find(|p| !valid_param(p)) {
        return Err(UsbError::BadParam(bad.clone()));
    }
    let mut params: Vec<String> = vec!["auto=true".into(), "priority=critical".into()];
    params.extend(boot_params.iter().cloned());
    params.extend(append.iter().cloned());
    if !boot_params.is_empty() {
        params.push("---".into());
        params.extend(boot_params.iter().cloned());
    }
    let len = params.join(" ").len();
    if len > MAX_CMDLINE {
        return Err(UsbError::CmdlineTooLong(len));
    }
    Ok(params)
}

fn valid_file_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name.len() <= 100
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

/// The menu title: `upcycle <asset id>` and the model, tame (see [`one_line_ascii`]).
pub fn menu_title(bundle: &BundleInfo) -> String {
    let model = one_line_ascii(&bundle.model);
    if model.is_empty() {
        format!("upcycle {}", bundle.asset_id)
    } else {
        format!("upcycle {} ({model})", bundle.asset_id)
    }
}

/// Where the stick keeps its copy of the bundle (for the volunteer, not the installer).
pub fn bundle_dir_on_stick(bundle: &BundleInfo) -> String {
    format!("upcycle/{}", bundle.asset_id)
}

/// `syslinux.cfg` for BIOS boot: one entry, booted after 5 seconds.
pub fn syslinux_cfg(bundle: &BundleInfo, params: &[String]) -> String {
    let title = menu_title(bundle);
    format!(
        "# {title}: Debian {release} ({arch}) installer with this laptop's preseed inside initrd.gz.\n\
         # BIOS boot via syslinux (`syslinux --install` on the stick's FAT partition); made by upcycle.\n\
         SAY {title}\n\
         SAY Debian {release} ({arch}): installs automatically and ERASES the disk. Starts in 5 seconds.\n\
         DEFAULT upcycle\n\
         PROMPT 1\n\
         TIMEOUT 50\n\
         LABEL upcycle\n\
         \x20 LINUX /linux\n\
         \x20 INITRD /initrd.gz\n\
         \x20 APPEND {params}\n",
        release = bundle.release,
        arch = bundle.arch.as_str(),
        params = params.join(" "),
    )
}

/// `grub.cfg` for UEFI boot, read by Debian's netboot GRUB from its prefix.
pub fn grub_cfg(bundle: &BundleInfo, params: &[String]) -> String {
    let title = menu_title(bundle);
    format!(
        "# {title}: Debian {release} ({arch}) installer with this laptop's preseed inside initrd.gz.\n\
         # UEFI boot: EFI/BOOT/{shim} (Debian's signed shim) loads the signed netboot GRUB beside it,\n\
         # which reads this file from its built-in prefix /debian-installer/{arch}/grub; made by upcycle.\n\
         set default=0\n\
         set timeout=5\n\
         menuentry '{title}' {{\n\
         \x20   linux /linux {params}\n\
         \x20   initrd /initrd.gz\n\
         }}\n",
        release = bundle.release,
        arch = bundle.arch.as_str(),
        shim = efi_boot_name(bundle.arch),
        params = params.join(" "),
    )
}

/// The removable-media loader name UEFI firmware looks for.
pub fn efi_boot_name(arch: Arch) -> &'static str {
    match arch {
        Arch::Amd64 => "BOOTX64.EFI",
        Arch::I386 => "BOOTIA32.EFI",
    }
}

fn efi_grub_name(arch: Arch) -> &'static str {
    match arch {
        Arch::Amd64 => "grubx64.efi",
        Arch::I386 => "grubia32.efi",
    }
}

fn readme(bundle: &BundleInfo, installer: &InstallerFiles, params: &[String]) -> String {
    let version = installer
        .version_info
        .as_deref()
        .map(|v| v.lines().map(str::trim).collect::<Vec<_>>().join("; "))
        .unwrap_or_else(|| "unknown".into());
    format!(
        "upcycle USB stick for {id}\n\
         {underline}\n\
         \n\
         Machine:   {model}\n\
         Installs:  Debian {release} ({arch}), fully automatic\n\
         Installer: Debian netboot images ({version})\n\
         \n\
         WARNING: booting this stick ERASES the laptop's disk and installs Debian on it.\n\
         Use it only on the laptop {id}.\n\
         \n\
         How to use it\n\
         1. Plug in a network cable (the installer downloads the packages).\n\
         2. Plug in the stick, switch on and open the boot menu (ThinkPad: F12; others: F9,\n\
         \x20  F10, F11 or Esc). Choose the USB stick.\n\
         3. Old BIOS: the screen shows the line\n\
         \x20    {title}\n\
         \x20  and a boot: prompt; it starts after 5 seconds.\n\
         \x20  UEFI: a menu with that entry starts after 5 seconds.\n\
         4. Nothing to type. When the installer has finished it restarts the laptop:\n\
         \x20  remove the stick then, and follow the checklist (upcycle/{id}/checklist.html).\n\
         \n\
         Kernel parameters: {params}\n\
         \n\
         On this stick\n\
         \x20 linux, initrd.gz          Debian's installer; initrd.gz holds the preseed and postinstall.sh\n\
         \x20 syslinux.cfg              BIOS boot (needs syslinux installed on the stick)\n\
         \x20 EFI/BOOT/{efi:<17}UEFI boot (Debian's signed shim + GRUB, as on Debian's own media)\n\
         \x20 debian-installer/{arch}/grub/grub.cfg   the UEFI menu\n\
         \x20 {bundle_dir}/         the bundle: checklist.html, boot.txt, report.yaml, ...\n\
         \n\
         If an old laptop does not start from the stick in BIOS mode, syslinux was not installed\n\
         on it: see docs/media-usb.md of upcycle (or write the ready image made with --image).\n\
         If it stops at \"No kernel modules were found\", the installer images are older or newer\n\
         than the kernel packages on the mirror: make the stick again with current images.\n",
        id = bundle.asset_id,
        underline = "=".repeat(22 + bundle.asset_id.len()),
        model = if bundle.model.is_empty() {
            "unknown"
        } else {
            &bundle.model
        },
        release = bundle.release,
        arch = bundle.arch.as_str(),
        title = menu_title(bundle),
        params = params.join(" "),
        efi = efi_boot_name(installer.arch),
        bundle_dir = bundle_dir_on_stick(bundle),
    )
}

/// The files the initrd gets: `preseed.cfg` at its root (d-i reads it there) and the
/// whole bundle under `upcycle/` (the late_command copies `/upcycle/postinstall.sh`).
pub fn initrd_files(bundle_files: &[BundleFile]) -> Result<Vec<InitrdFile>, UsbError> {
    let preseed = bundle_files
        .iter()
        .find(|f| f.name == "preseed.cfg")
        .ok_or(UsbError::MissingFile("preseed.cfg"))?;
    if !bundle_files.iter().any(|f| f.name == "postinstall.sh") {
        return Err(UsbError::MissingFile("postinstall.sh"));
    }
    let mut files = vec![InitrdFile::new("preseed.cfg", 0o600, preseed.data.clone())];
    for f in bundle_files {
        if !valid_file_name(&f.name) {
            return Err(UsbError::BadFileName(f.name.clone()));
        }
        files.push(InitrdFile::new(
            format!("upcycle/{}", f.name),
            f.mode & 0o755,
            f.data.clone(),
        ));
    }
    Ok(files)
}

/// Every file of the stick, sorted by path.
pub fn build(
    bundle: &BundleInfo,
    bundle_files: &[BundleFile],
    installer: &InstallerFiles,
    append: &[String],
) -> Result<Vec<UsbFile>, UsbError> {
    let params = kernel_params(&bundle.boot_params, append)?;
    let initrd = cpio::inject(&installer.initrd, &initrd_files(bundle_files)?)?;
    let arch = installer.arch.as_str();
    let file = |path: String, mode: u32, data: Vec<u8>| UsbFile { path, mode, data };
    let mut files = vec![
        file(
            "README.txt".into(),
            0o644,
            readme(bundle, installer, &params).into_bytes(),
        ),
        file("syslinux.cfg".into(), 0o644, syslinux_cfg(bundle, &params).into_bytes()),
        file("linux".into(), 0o644, installer.kernel.clone()),
        file("initrd.gz".into(), 0o644, initrd),
        file(
            format!("EFI/BOOT/{}", efi_boot_name(installer.arch)),
            0o644,
            installer.efi_shim.clone(),
        ),
        file(
            format!("EFI/BOOT/{}", efi_grub_name(installer.arch)),
            0o644,
            installer.efi_grub.clone(),
        ),
        file(
            format!("debian-installer/{arch}/grub/grub.cfg"),
            0o644,
            grub_cfg(bundle, &params).into_bytes(),
        ),
    ];
    for (rel, data) in &installer.grub_files {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        if name == "grub.cfg" {
            continue;
        }
        files.push(file(format!("debian-installer/{arch}/grub/{rel}"), 0o644, data.clone()));
    }
    let dir = bundle_dir_on_stick(bundle);
    for f in bundle_files {
        // names were checked by initrd_files
        files.push(file(format!("{dir}/{}", f.name), f.mode & 0o755, f.data.clone()));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Family, InstallerFormat};
    use std::path::PathBuf;

    fn bundle(params: &[&str], model: &str) -> BundleInfo {
        BundleInfo {
            dir: PathBuf::from("b/schule-001"),
            asset_id: "schule-001".into(),
            family: Family::Debian,
            installer: InstallerFormat::Preseed,
            release: "12".into(),
            codename: "bookworm".into(),
            arch: Arch::I386,
            boot_params: params.iter().map(|s| s.to_string()).collect(),
            ethernet_macs: vec![],
            model: model.into(),
        }
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn params_follow_boot_txt_with_append_before_the_separator() {
        assert_eq!(
            kernel_params(&[], &[]).unwrap().join(" "),
            "auto=true priority=critical"
        );
        assert_eq!(
            kernel_params(&strings(&["forcepae"]), &strings(&["console=ttyS0,115200n8"]))
                .unwrap()
                .join(" "),
            "auto=true priority=critical forcepae console=ttyS0,115200n8 --- forcepae"
        );
    }

    #[test]
    fn hostile_params_are_refused() {
        for bad in [
            "a b", "x;reboot", "$(x)", "'q'", "\"q\"", "---", "a#b", "{x}", "ü", "a\nb", "",
        ] {
            assert_eq!(
                kernel_params(&[], &strings(&[bad])),
                Err(UsbError::BadParam(bad.into())),
                "{bad:?}"
            );
            assert!(kernel_params(&strings(&[bad]), &[]).is_err());
        }
        let long: Vec<String> = (0..200).map(|i| format!("p{i}=xxxx")).collect();
        assert!(matches!(kernel_params(&[], &long), Err(UsbError::CmdlineTooLong(_))));
    }

    #[test]
    fn menus_carry_tame_titles_only() {
        let b = bundle(&["forcepae"], "IBM ThinkPad T40 } \n menuentry 'x' { reboot");
        let params = kernel_params(&b.boot_params, &[]).unwrap();
        let grub = grub_cfg(&b, &params);
        assert!(grub.contains("menuentry 'upcycle schule-001 (IBM ThinkPad T40 menuentry x reboot)' {\n"));
        let code: String = grub.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(code.matches('{').count(), 1, "{grub}");
        assert_eq!(code.matches('\'').count(), 2, "{grub}");
        let sys = syslinux_cfg(&b, &params);
        let labels: Vec<&str> = sys.lines().filter(|l| l.trim_start().starts_with("LABEL")).collect();
        assert_eq!(labels, ["LABEL upcycle"]);
        assert!(sys.contains("\n  APPEND auto=true priority=critical forcepae --- forcepae\n"));
        assert_eq!(menu_title(&bundle(&[], "")), "upcycle schule-001");
    }

    fn installer() -> InstallerFiles {
        use flate2::write::GzEncoder;
        use std::io::Write;
        let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&cpio::archive(&[InitrdFile::new("init", 0o755, "#!/bin/sh\n")]).unwrap())
            .unwrap();
        InstallerFiles {
            arch: Arch::I386,
            kernel: b"kernel".to_vec(),
            initrd: gz.finish().unwrap(),
            efi_shim: b"shim".to_vec(),
            efi_grub: b"grub".to_vec(),
            grub_files: vec![
                ("font.pf2".into(), b"font".to_vec()),
                ("i386-efi/grub.cfg".into(), b"source /boot/grub/grub.cfg".to_vec()),
                ("i386-efi/linux.mod".into(), b"mod".to_vec()),
            ],
            version_info: Some("Debian version:  12 (bookworm)\n".into()),
        }
    }

    fn bundle_files() -> Vec<BundleFile> {
        ["preseed.cfg", "postinstall.sh", "boot.txt"]
            .iter()
            .map(|n| BundleFile {
                name: n.to_string(),
                mode: if n.ends_with(".sh") { 0o755 } else { 0o644 },
                data: format!("content of {n}\n").into_bytes(),
            })
            .collect()
    }

    #[test]
    fn the_tree() {
        let files = build(&bundle(&[], "IBM ThinkPad T40"), &bundle_files(), &installer(), &[]).unwrap();
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "EFI/BOOT/BOOTIA32.EFI",
                "EFI/BOOT/grubia32.efi",
                "README.txt",
                "debian-installer/i386/grub/font.pf2",
                "debian-installer/i386/grub/grub.cfg",
                "debian-installer/i386/grub/i386-efi/linux.mod",
                "initrd.gz",
                "linux",
                "syslinux.cfg",
                "upcycle/schule-001/boot.txt",
                "upcycle/schule-001/postinstall.sh",
                "upcycle/schule-001/preseed.cfg",
            ]
        );
        let get = |p: &str| &files.iter().find(|f| f.path == p).unwrap().data;
        assert_eq!(get("EFI/BOOT/BOOTIA32.EFI"), b"shim");
        assert!(String::from_utf8_lossy(get("debian-installer/i386/grub/grub.cfg")).contains("linux /linux "));
    }

    #[test]
    fn odd_bundles_are_refused() {
        let mut files = bundle_files();
        files.push(BundleFile {
            name: "a b;c".into(),
            mode: 0o644,
            data: vec![],
        });
        assert_eq!(
            build(&bundle(&[], ""), &files, &installer(), &[]),
            Err(UsbError::BadFileName("a b;c".into()))
        );
        let no_preseed: Vec<BundleFile> = bundle_files().into_iter().filter(|f| f.name != "preseed.cfg").collect();
        assert_eq!(
            build(&bundle(&[], ""), &no_preseed, &installer(), &[]),
            Err(UsbError::MissingFile("preseed.cfg"))
        );
    }
}
