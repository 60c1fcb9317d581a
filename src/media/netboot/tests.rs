//! `plan` on fixed inputs: boot lines, refusals, where each file comes from.

use super::*;
use crate::catalog::{Family, InstallerFormat};
use crate::tree::Data;
use std::path::PathBuf;

static NO_MODULES: GrubModules = BTreeMap::new();
static NO_UPCYCLE: BTreeMap<Arch, Vec<u8>> = BTreeMap::new();

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
            boot_params: params.iter().map(|s| KernelParam::new(*s).unwrap()).collect(),
            ethernet_macs: macs.iter().map(|s| s.to_string()).collect(),
            model: "IBM ThinkPad T40".into(),
            erase_before_install: false,
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
        grub_modules: &NO_MODULES,
        upcycle: &NO_UPCYCLE,
        lang: crate::l10n::Lang::En,
    }
}

fn text_of<'a>(files: &'a [TreeFile], path: &str) -> &'a str {
    let file = files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path}"));
    file.text().unwrap_or_else(|| panic!("{path}: {file:?}"))
}

#[test]
fn boot_line_is_boot_txt_route_two() {
    let b = bundle("schule-001", Arch::I386, "12", &[], &["forcepae"]);
    assert_eq!(
        install_params(
            &b,
            Ipv4Addr::new(10, 0, 2, 2),
            8080,
            &[KernelParam::new("nomodeset").unwrap()]
        )
        .unwrap()
        .join(" "),
        "auto=true priority=critical url=http://10.0.2.2:8080/schule-001/preseed.cfg \
         locale=de_DE.UTF-8 keymap=de log_host=10.0.2.2 log_port=8080 nomodeset forcepae --- forcepae"
    );
    let b = bundle("schule-002", Arch::Amd64, "13", &[], &[]);
    assert!(
        !install_params(&b, Ipv4Addr::new(10, 0, 2, 2), 80, &[])
            .unwrap()
            .contains(&"---".to_string())
    );
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
    // Boot parameters and --append words are `KernelParam`s: `a;reboot`, `---` or
    // `$(reboot)` cannot be made (token.rs, boot_line.rs). What is left is the length.
    let b = bundle("schule-001", Arch::I386, "12", &[], &[]);
    let long: Vec<KernelParam> = (0..200)
        .map(|i| KernelParam::new(format!("p{i}=xxxx")).unwrap())
        .collect();
    let mut i = input(std::slice::from_ref(&b), &imgs);
    i.append = &long;
    assert!(matches!(plan(&i), Err(NetbootError::BootLine { .. })));
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
    let src = |path: &str| match &files.iter().find(|f| f.path == path).unwrap().data {
        Data::Copy(p) => p.display().to_string(),
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
