//! `media usb`: the files of a USB stick that installs one laptop with its bundle.
//!
//! The stick carries Debian's netboot kernel and an `initrd.gz` with the bundle injected
//! ([`super::cpio::inject`]), so the installer needs nothing typed and no server, only a
//! network cable for the packages. Two boot paths share those two files:
//! - BIOS: `syslinux.cfg` at the root (one entry, no `.c32` modules, so no version
//!   mismatch with whatever syslinux installs `ldlinux.sys`);
//! - UEFI: `EFI/BOOT/BOOTX64.EFI` (or `BOOTIA32.EFI`) is Debian's signed shim, which loads
//!   Debian's signed netboot GRUB beside it; that GRUB has `/debian-installer/<arch>/grub`
//!   built in as its prefix (on the device it was loaded from) and reads `grub.cfg` there;
//! - 32-bit UEFI on a 64-bit CPU (Bay Trail and Cherry Trail netbooks and tablets), amd64
//!   sticks only: `EFI/BOOT/BOOTIA32.EFI` is Debian's monolithic `grubia32.efi` (package
//!   grub-efi-ia32-bin, read on the workshop PC; unsigned: Secure Boot must be off). Its
//!   built-in config finds neither its prefix `/EFI/debian` nor `/.disk/info` nor
//!   `/boot/grub/` on the stick and sources `$cmdpath/grub.cfg`, so `EFI/BOOT/grub.cfg`
//!   carries the same menu; GRUB's i386-efi `linux` starts the 64-bit kernel (EFI mixed
//!   mode, as Debian's own amd64 media do), and d-i then installs grub-efi-ia32.
//!
//! Pure: everything is read by the command (the bundle's files as `TreeFile<Vec<u8>>`s);
//! [`build`] returns the files to write. Text
//! from the laptop (the model) reaches the menus only through [`one_line_ascii`]; kernel
//! parameters are validated `KernelParam`s, put together by [`crate::boot_line`].

use std::net::SocketAddrV4;

use super::cpio;
use super::{BundleInfo, one_line_ascii};
use crate::boot_line::{self, BootLineError};
use crate::catalog::Arch;
use crate::l10n::{self, Lang};
use crate::token::KernelParam;
use crate::tree::TreeFile;

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
    /// For amd64: Debian's monolithic 32-bit UEFI GRUB (`grubia32.efi` of
    /// grub-efi-ia32-bin), when the workshop PC has it.
    pub efi_ia32_grub: Option<Vec<u8>>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UsbError {
    #[error(transparent)]
    BootLine(#[from] BootLineError),
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

/// The kernel parameters of the stick's one entry: route 1 of boot.txt (the preseed is
/// in the initrd), with `log_host`/`log_port` when the workshop PC's address is known
/// (`server`), `append` (installer only) and the profile's parameters, built by the one
/// [`boot_line::build`].
pub fn kernel_params(
    boot_params: &[KernelParam],
    server: Option<SocketAddrV4>,
    append: &[KernelParam],
) -> Result<Vec<String>, UsbError> {
    let syslog = server.map(|s| boot_line::syslog_words(&s.ip().to_string(), s.port()));
    let mut route: Vec<&str> = boot_line::INITRD_ROUTE.to_vec();
    route.extend(syslog.iter().flatten().map(String::as_str));
    Ok(boot_line::build(&route, append, boot_params)?)
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

/// `syslinux.cfg` for BIOS boot: one entry, booted after 5 seconds; what it says on the
/// screen in `lang` (ASCII: syslinux shows no umlauts).
pub fn syslinux_cfg(bundle: &BundleInfo, params: &[String], lang: Lang) -> String {
    let title = menu_title(bundle);
    let say = l10n::format(
        lang,
        "boot-menu-usb-say",
        &[
            ("release", bundle.release.to_string().into()),
            ("arch", bundle.arch.as_str().into()),
        ],
    );
    format!(
        "# {title}: Debian {release} ({arch}) installer with this laptop's preseed inside initrd.gz.\n\
         # BIOS boot via syslinux (`syslinux --install` on the stick's FAT partition); made by upcycle.\n\
         SAY {title}\n\
         SAY {say}\n\
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

/// The same menu for 32-bit UEFI, read by Debian's monolithic `grubia32.efi` from its
/// own folder (`$cmdpath/grub.cfg`); only the comment differs.
pub fn grub_cfg_ia32(bundle: &BundleInfo, params: &[String]) -> String {
    let menu = grub_cfg(bundle, params);
    let body: String = menu
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    format!(
        "# {title}: the same menu for 32-bit UEFI on a 64-bit CPU: EFI/BOOT/BOOTIA32.EFI is Debian's\n\
         # grubia32.efi (grub-efi-ia32-bin), which reads this file beside it and starts the 64-bit\n\
         # kernel in EFI mixed mode (Secure Boot off); made by upcycle.\n{body}",
        title = menu_title(bundle),
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

fn readme(bundle: &BundleInfo, installer: &InstallerFiles, params: &[String], lang: Lang) -> String {
    let unknown = l10n::text(lang, "usb-unknown");
    let version = installer
        .version_info
        .as_deref()
        .map(|v| v.lines().map(str::trim).collect::<Vec<_>>().join("; "))
        .unwrap_or_else(|| unknown.clone());
    let model = if bundle.model.is_empty() {
        unknown
    } else {
        bundle.model.clone()
    };
    let args: Vec<(&str, l10n::Arg)> = vec![
        ("id", bundle.asset_id.as_str().into()),
        ("underline", "=".repeat(22 + bundle.asset_id.len()).into()),
        ("model", model.into()),
        ("release", bundle.release.as_str().into()),
        ("arch", bundle.arch.as_str().into()),
        ("version", version.into()),
        ("title", menu_title(bundle).into()),
        ("params", params.join(" ").into()),
        ("efi", format!("{:<17}", efi_boot_name(installer.arch)).into()),
        ("bundle_dir", bundle_dir_on_stick(bundle).into()),
    ];
    let mut text = l10n::format(lang, "usb-readme", &args) + "\n";
    if installer.arch == Arch::Amd64 && installer.efi_ia32_grub.is_some() {
        text.push('\n');
        text.push_str(&l10n::text(lang, "usb-readme-ia32"));
        text.push('\n');
    }
    text
}

/// The files the initrd gets: `preseed.cfg` at its root (d-i reads it there) and the
/// whole bundle under `upcycle/` (the late_command copies `/upcycle/postinstall.sh`).
pub fn initrd_files(bundle_files: &[TreeFile<Vec<u8>>]) -> Result<Vec<TreeFile<Vec<u8>>>, UsbError> {
    let preseed = bundle_files
        .iter()
        .find(|f| f.path == "preseed.cfg")
        .ok_or(UsbError::MissingFile("preseed.cfg"))?;
    if !bundle_files.iter().any(|f| f.path == "postinstall.sh") {
        return Err(UsbError::MissingFile("postinstall.sh"));
    }
    let mut files = vec![TreeFile::new("preseed.cfg", 0o600, preseed.data.clone())];
    for f in bundle_files {
        if !valid_file_name(&f.path) {
            return Err(UsbError::BadFileName(f.path.clone()));
        }
        files.push(TreeFile::new(
            format!("upcycle/{}", f.path),
            f.mode & 0o755,
            f.data.clone(),
        ));
    }
    Ok(files)
}

/// Every file of the stick, sorted by path. `bundle_files` are the bundle folder's files
/// (paths are their names).
/// `upcycle`: the static binary for the installer's architecture, put into the initrd as
/// `/upcycle/upcycle` (for a bundle that erases the disk in the installer).
pub fn build(
    bundle: &BundleInfo,
    bundle_files: &[TreeFile<Vec<u8>>],
    installer: &InstallerFiles,
    upcycle: Option<&[u8]>,
    server: Option<SocketAddrV4>,
    append: &[KernelParam],
    lang: Lang,
) -> Result<Vec<TreeFile<Vec<u8>>>, UsbError> {
    let params = kernel_params(&bundle.boot_params, server, append)?;
    let mut in_initrd = initrd_files(bundle_files)?;
    if let Some(binary) = upcycle {
        in_initrd.extend(super::upcycle_bin::initrd_files(binary));
    }
    let initrd = cpio::inject(&installer.initrd, &in_initrd)?;
    let arch = installer.arch.as_str();
    let file = |path: String, mode: u32, data: Vec<u8>| TreeFile { path, mode, data };
    let mut files = vec![
        file(
            "README.txt".into(),
            0o644,
            readme(bundle, installer, &params, lang).into_bytes(),
        ),
        file(
            "syslinux.cfg".into(),
            0o644,
            syslinux_cfg(bundle, &params, lang).into_bytes(),
        ),
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
    if let (Arch::Amd64, Some(grub)) = (installer.arch, &installer.efi_ia32_grub) {
        files.push(file("EFI/BOOT/BOOTIA32.EFI".into(), 0o644, grub.clone()));
        files.push(file(
            "EFI/BOOT/grub.cfg".into(),
            0o644,
            grub_cfg_ia32(bundle, &params).into_bytes(),
        ));
    }
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
        files.push(file(format!("{dir}/{}", f.path), f.mode & 0o755, f.data.clone()));
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
            boot_params: kparams(params),
            ethernet_macs: vec![],
            model: model.into(),
            erase_before_install: false,
        }
    }

    fn kparams(v: &[&str]) -> Vec<KernelParam> {
        v.iter().map(|s| KernelParam::new(*s).unwrap()).collect()
    }

    #[test]
    fn params_follow_boot_txt_with_append_before_the_separator() {
        assert_eq!(
            kernel_params(&[], None, &[]).unwrap().join(" "),
            "auto=true priority=critical"
        );
        assert_eq!(
            kernel_params(&kparams(&["forcepae"]), None, &kparams(&["console=ttyS0,115200n8"]))
                .unwrap()
                .join(" "),
            "auto=true priority=critical console=ttyS0,115200n8 forcepae --- forcepae"
        );
    }

    #[test]
    fn hostile_params_cannot_even_be_made_and_long_lines_are_refused() {
        for bad in [
            "a b", "x;reboot", "$(x)", "'q'", "\"q\"", "---", "a#b", "{x}", "ü", "a\nb", "",
        ] {
            assert!(KernelParam::new(bad).is_err(), "{bad:?}");
        }
        let long: Vec<String> = (0..200).map(|i| format!("p{i}=xxxx")).collect();
        let long: Vec<&str> = long.iter().map(String::as_str).collect();
        assert!(matches!(
            kernel_params(&[], None, &kparams(&long)),
            Err(UsbError::BootLine(BootLineError::TooLong(_)))
        ));
    }

    #[test]
    fn menus_carry_tame_titles_only() {
        let b = bundle(&["forcepae"], "IBM ThinkPad T40 } \n menuentry 'x' { reboot");
        let params = kernel_params(&b.boot_params, None, &[]).unwrap();
        let grub = grub_cfg(&b, &params);
        assert!(grub.contains("menuentry 'upcycle schule-001 (IBM ThinkPad T40 menuentry x reboot)' {\n"));
        let code: String = grub.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(code.matches('{').count(), 1, "{grub}");
        assert_eq!(code.matches('\'').count(), 2, "{grub}");
        let sys = syslinux_cfg(&b, &params, Lang::De);
        assert!(
            sys.contains("\nSAY Debian 12 (i386): installiert von selbst und LOESCHT die Festplatte."),
            "{sys}"
        );
        let labels: Vec<&str> = sys.lines().filter(|l| l.trim_start().starts_with("LABEL")).collect();
        assert_eq!(labels, ["LABEL upcycle"]);
        assert!(sys.contains("\n  APPEND auto=true priority=critical forcepae --- forcepae\n"));
        assert_eq!(menu_title(&bundle(&[], "")), "upcycle schule-001");
    }

    fn installer() -> InstallerFiles {
        use flate2::write::GzEncoder;
        use std::io::Write;
        let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&cpio::archive(&[TreeFile::new("init", 0o755, "#!/bin/sh\n")]).unwrap())
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
            efi_ia32_grub: Some(b"grubia32".to_vec()),
        }
    }

    fn bundle_files() -> Vec<TreeFile<Vec<u8>>> {
        ["preseed.cfg", "postinstall.sh", "boot.txt"]
            .iter()
            .map(|n| {
                let mode = if n.ends_with(".sh") { 0o755 } else { 0o644 };
                TreeFile::new(*n, mode, format!("content of {n}\n").into_bytes())
            })
            .collect()
    }

    #[test]
    fn the_tree() {
        let files = build(
            &bundle(&[], "IBM ThinkPad T40"),
            &bundle_files(),
            &installer(),
            None,
            None,
            &[],
            Lang::En,
        )
        .unwrap();
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

    /// An amd64 stick boots 64-bit UEFI through shim and 32-bit UEFI through Debian's
    /// grubia32.efi, both with the same menu; without grubia32.efi, 64-bit UEFI only.
    #[test]
    fn amd64_sticks_carry_a_32_bit_uefi_loader_with_the_same_menu() {
        let mut b = bundle(&[], "ASUS T100TA");
        b.arch = Arch::Amd64;
        let mut inst = installer();
        inst.arch = Arch::Amd64;
        let files = build(&b, &bundle_files(), &inst, None, None, &[], Lang::En).unwrap();
        let get = |p: &str| &files.iter().find(|f| f.path == p).unwrap_or_else(|| panic!("{p}")).data;
        assert_eq!(get("EFI/BOOT/BOOTX64.EFI"), b"shim");
        assert_eq!(get("EFI/BOOT/grubx64.efi"), b"grub");
        assert_eq!(get("EFI/BOOT/BOOTIA32.EFI"), b"grubia32");
        let menu = |p: &str| {
            String::from_utf8_lossy(get(p))
                .lines()
                .filter(|l| !l.starts_with('#'))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(menu("EFI/BOOT/grub.cfg"), menu("debian-installer/amd64/grub/grub.cfg"));
        assert!(menu("EFI/BOOT/grub.cfg").contains("linux /linux auto=true priority=critical"));

        inst.efi_ia32_grub = None;
        let files = build(&b, &bundle_files(), &inst, None, None, &[], Lang::En).unwrap();
        assert!(
            !files
                .iter()
                .any(|f| f.path == "EFI/BOOT/BOOTIA32.EFI" || f.path == "EFI/BOOT/grub.cfg")
        );
        // an i386 stick's BOOTIA32.EFI stays Debian's signed shim
        let files = build(
            &bundle(&[], "T40"),
            &bundle_files(),
            &installer(),
            None,
            None,
            &[],
            Lang::En,
        )
        .unwrap();
        assert!(!files.iter().any(|f| f.path == "EFI/BOOT/grub.cfg"));
    }

    #[test]
    fn the_readme_speaks_the_language_asked_for() {
        let readme = |lang| {
            let files = build(
                &bundle(&[], "IBM ThinkPad T40"),
                &bundle_files(),
                &installer(),
                None,
                None,
                &[],
                lang,
            )
            .unwrap();
            String::from_utf8(files.iter().find(|f| f.path == "README.txt").unwrap().data.clone()).unwrap()
        };
        let de = readme(Lang::De);
        assert!(
            de.starts_with("upcycle-USB-Stick für schule-001\n================================\n"),
            "{de}"
        );
        assert!(de.contains("So geht es\n1. Ein Netzwerkkabel"), "{de}");
        assert!(
            de.contains("der Bildschirm zeigt die Zeile\n     upcycle schule-001"),
            "{de}"
        );
        assert!(de.ends_with("neu machen.\n"), "{de}");
        let en = readme(Lang::En);
        assert!(en.contains("How to use it\n1. Plug in a network cable"), "{en}");
        assert!(en.contains("  EFI/BOOT/BOOTIA32.EFI     UEFI boot"), "{en}");
    }

    #[test]
    fn odd_bundles_are_refused() {
        let mut files = bundle_files();
        files.push(TreeFile::new("a b;c", 0o644, vec![]));
        assert_eq!(
            build(&bundle(&[], ""), &files, &installer(), None, None, &[], Lang::En),
            Err(UsbError::BadFileName("a b;c".into()))
        );
        let no_preseed: Vec<TreeFile<Vec<u8>>> =
            bundle_files().into_iter().filter(|f| f.path != "preseed.cfg").collect();
        assert_eq!(
            build(&bundle(&[], ""), &no_preseed, &installer(), None, None, &[], Lang::En),
            Err(UsbError::MissingFile("preseed.cfg"))
        );
    }

    #[test]
    fn the_workshop_pc_gets_the_installer_log_when_known() {
        let server: SocketAddrV4 = "192.168.1.10:8080".parse().unwrap();
        assert_eq!(
            kernel_params(&kparams(&["forcepae"]), Some(server), &kparams(&["vga=788"]))
                .unwrap()
                .join(" "),
            "auto=true priority=critical log_host=192.168.1.10 log_port=8080 vga=788 forcepae --- forcepae"
        );
    }
}
