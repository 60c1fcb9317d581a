//! `upcycle media usb`: the stick tree for a generated bundle, its boot menus parsed line
//! by line, the injected initrd read back with the real `cpio` and `bsdtar`, the disk
//! image read back with mtools, and the refusals (Ubuntu bundle, no images, existing
//! output, hostile --append) leaving nothing behind.
//!
//! Tools: cpio, gzip, bsdtar (libarchive-tools); for --image: dosfstools, mtools, syslinux,
//! syslinux-common; Debian's netboot images debian-installer-12-netboot-i386 for the test
//! on the real initrd (or those images in `$UPCYCLE_TEST_IMAGES`, as scripts/test.sh
//! fetches them).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::support::{fixtures_dir, generate, installer_images, stderr, stdout, upcycle};

/// Generate a bundle for a fixture machine into `out`; returns the bundle folder.
pub(crate) fn bundle(machine: &str, out: &Path, extra: &[&str]) -> PathBuf {
    let root = fixtures_dir().join(machine).join("root");
    let run = generate(&root, out, extra);
    assert!(run.status.success(), "generate: {}", stderr(&run));
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    assert_eq!(dirs.len(), 1);
    dirs.pop().unwrap()
}

/// The T40 bundle with the workshop's forcepae policy (Debian 12 i386, `forcepae`).
fn t40_forcepae(out: &Path) -> PathBuf {
    let workshop = out.join("workshop.yaml");
    let text = include_str!("../../data/workshop-default.yaml")
        .replace("pentium_m_kernel: non-pae", "pentium_m_kernel: pae-forcepae");
    std::fs::write(&workshop, text).unwrap();
    bundle(
        "ibm-thinkpad-t40",
        &out.join("bundles"),
        &["--workshop", workshop.to_str().unwrap()],
    )
}

pub(crate) fn tool(cmd: &str, args: &[&str], stdin: Option<&[u8]>, dir: Option<&Path>) -> Vec<u8> {
    let mut c = Command::new(cmd);
    c.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(d) = dir {
        c.current_dir(d);
    }
    let mut child = c.spawn().unwrap_or_else(|e| panic!("{cmd} must be installed: {e}"));
    let mut input = child.stdin.take().unwrap();
    let data = stdin.unwrap_or_default().to_vec();
    let writer = std::thread::spawn(move || input.write_all(&data));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A small stand-in for Debian's netboot images: the same layout, an initrd made by the
/// real GNU cpio + gzip, so every test but one runs without the 40 MB originals.
pub(crate) fn fake_images(root: &Path, release: &str, arch: &str) -> PathBuf {
    let images = root.join("images");
    let di = images.join(release).join(arch).join("text/debian-installer").join(arch);
    let efi = if arch == "amd64" { "x86_64-efi" } else { "i386-efi" };
    std::fs::create_dir_all(di.join("grub").join(efi)).unwrap();
    let src = root.join("initrd-src");
    std::fs::create_dir_all(src.join("bin")).unwrap();
    std::fs::write(src.join("init"), "#!/bin/sh\n").unwrap();
    std::fs::write(src.join("bin/sh"), "stand-in").unwrap();
    let cpio = tool(
        "cpio",
        &["-o", "-H", "newc", "--quiet"],
        Some(b"init\nbin\nbin/sh\n"),
        Some(&src),
    );
    let gz = tool("gzip", &["-9n"], Some(&cpio), None);
    std::fs::write(di.join("initrd.gz"), gz).unwrap();
    std::fs::write(di.join("linux"), "kernel").unwrap();
    let (shim, grub) = if arch == "amd64" {
        ("bootnetx64.efi", "grubx64.efi")
    } else {
        ("bootnetia32.efi", "grubia32.efi")
    };
    std::fs::write(di.join(shim), "signed shim").unwrap();
    std::fs::write(di.join(grub), "signed grub").unwrap();
    std::fs::write(di.join("grub/grub.cfg"), "menuentry 'Install' {}").unwrap();
    std::fs::write(di.join("grub").join(efi).join("grub.cfg"), "source /boot/grub/grub.cfg").unwrap();
    std::fs::write(di.join("grub").join(efi).join("linux.mod"), "module").unwrap();
    std::fs::write(di.join("grub/font.pf2"), "font").unwrap();
    std::fs::write(
        images.join(release).join(arch).join("text/version.info"),
        "Debian version:  12\n",
    )
    .unwrap();
    images
}

pub(crate) fn usb(bundle: &Path, out: &Path, images: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "media",
        "usb",
        bundle.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--images",
        images.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    upcycle(&args)
}

/// Every file below `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

/// The tokens of the first line starting with `key` (after indentation), without `key`.
fn directive(text: &str, key: &str) -> Vec<String> {
    let line = text
        .lines()
        .map(str::trim_start)
        .find(|l| l.split_whitespace().next() == Some(key))
        .unwrap_or_else(|| panic!("no {key} line in:\n{text}"));
    line.split_whitespace().skip(1).map(str::to_string).collect()
}

/// Split the stick's initrd.gz at the end of the stock one, check the stock part is
/// unchanged, and unpack the appended member with `gzip -dc | cpio -idm` into a dir.
/// Also list it with bsdtar. Returns (unpack dir, `cpio -tv` listing, bsdtar listing).
pub(crate) fn unpack_injected(stick_initrd: &Path, stock_initrd: &Path, into: &Path) -> (String, String) {
    let all = std::fs::read(stick_initrd).unwrap();
    let stock = std::fs::read(stock_initrd).unwrap();
    assert!(
        all.len() > stock.len() && all[..stock.len()] == stock[..],
        "the stock initrd comes first, unchanged"
    );
    let member = &all[stock.len()..];
    assert_eq!(&member[..2], &[0x1f, 0x8b], "a gzip member follows");
    let cpio = tool("gzip", &["-dc"], Some(member), None);
    std::fs::create_dir_all(into).unwrap();
    tool(
        "cpio",
        &["-idm", "--quiet", "--no-absolute-filenames"],
        Some(&cpio),
        Some(into),
    );
    let listing = String::from_utf8(tool("cpio", &["-tv", "--quiet"], Some(&cpio), None)).unwrap();
    let bsdtar = String::from_utf8(tool("bsdtar", &["-tvf", "-"], Some(member), None)).unwrap();
    (listing, bsdtar)
}

#[test]
fn t40_stick_with_forcepae_on_the_real_installer_images() {
    let real = installer_images();
    let di = real.join("12/i386/text/debian-installer/i386");
    assert!(
        di.join("initrd.gz").is_file(),
        "this test needs Debian's netboot images in {}: apt install debian-installer-12-netboot-i386, \
         or run scripts/test.sh (it fetches them where that package does not exist)",
        real.display()
    );
    let tmp = tempfile::tempdir().unwrap();
    let b = t40_forcepae(tmp.path());
    let stick = tmp.path().join("stick");
    let append = "console=ttyS0,115200n8 log_host=10.0.2.2 log_port=5140";
    let run = usb(&b, &stick, &real, &["--append", append]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(
        stdout(&run).contains("schule-001: USB stick files in"),
        "{}",
        stdout(&run)
    );

    // The tree: Debian's files byte for byte, ours beside them.
    let files = tree(&stick);
    for f in [
        "README.txt",
        "syslinux.cfg",
        "linux",
        "initrd.gz",
        "EFI/BOOT/BOOTIA32.EFI",
        "EFI/BOOT/grubia32.efi",
        "debian-installer/i386/grub/grub.cfg",
        "debian-installer/i386/grub/font.pf2",
        "upcycle/schule-001/preseed.cfg",
        "upcycle/schule-001/postinstall.sh",
        "upcycle/schule-001/checklist.html",
    ] {
        assert!(files.contains(&f.to_string()), "{f} missing in {files:?}");
    }
    assert!(
        !files.iter().any(|f| f.ends_with("i386-efi/grub.cfg")),
        "Debian's i386-efi/grub.cfg would be read before ours"
    );
    assert!(files.iter().any(|f| f.ends_with("i386-efi/linux.mod")));
    let same = |a: &str, b: PathBuf| {
        assert!(
            std::fs::read(stick.join(a)).unwrap() == std::fs::read(&b).unwrap(),
            "{a}"
        )
    };
    same("linux", di.join("linux"));
    same("EFI/BOOT/BOOTIA32.EFI", di.join("bootnetia32.efi"));
    same("EFI/BOOT/grubia32.efi", di.join("grubia32.efi"));
    for name in ["preseed.cfg", "postinstall.sh", "SHA256SUMS"] {
        same(&format!("upcycle/schule-001/{name}"), b.join(name));
    }

    // Both menus start the same kernel line: boot.txt's initrd route + --append before `---`.
    let expected: Vec<String> = format!("auto=true priority=critical {append} forcepae --- forcepae")
        .split(' ')
        .map(String::from)
        .collect();
    let boot_txt = std::fs::read_to_string(b.join("boot.txt")).unwrap();
    assert!(boot_txt.contains("auto=true priority=critical forcepae --- forcepae"));
    let sys = std::fs::read_to_string(stick.join("syslinux.cfg")).unwrap();
    assert_eq!(directive(&sys, "APPEND"), expected);
    assert_eq!(directive(&sys, "LINUX"), ["/linux"]);
    assert_eq!(directive(&sys, "INITRD"), ["/initrd.gz"]);
    assert_eq!(directive(&sys, "DEFAULT"), ["upcycle"]);
    assert_eq!(directive(&sys, "LABEL"), ["upcycle"]);
    assert_eq!(sys.lines().filter(|l| l.trim_start().starts_with("LABEL")).count(), 1);
    assert!(!sys.contains(".c32"), "no syslinux modules: no version mismatch");
    let grub = std::fs::read_to_string(stick.join("debian-installer/i386/grub/grub.cfg")).unwrap();
    let linux = directive(&grub, "linux");
    assert_eq!(linux[0], "/linux");
    assert_eq!(linux[1..], expected[..]);
    assert_eq!(directive(&grub, "initrd"), ["/initrd.gz"]);
    assert_eq!(
        directive(&grub, "menuentry").join(" "),
        "'upcycle schule-001 (IBM ThinkPad T40 (237342G))' {"
    );

    // The initrd: stock + our archive, read back with the real tools.
    let unpacked = tmp.path().join("unpacked");
    let (listing, bsdtar) = unpack_injected(&stick.join("initrd.gz"), &di.join("initrd.gz"), &unpacked);
    for (name, mode) in [("preseed.cfg", "-rw-------"), ("upcycle/postinstall.sh", "-rwxr-xr-x")] {
        for (tool, list) in [("cpio", &listing), ("bsdtar", &bsdtar)] {
            let line = list
                .lines()
                .find(|l| l.ends_with(&format!(" {name}")))
                .unwrap_or_else(|| panic!("{tool}: no {name} in\n{list}"));
            let fields: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(fields[0], mode, "{tool}: {line}");
            assert!(
                ["root", "0"].contains(&fields[2]) && ["root", "0"].contains(&fields[3]),
                "{tool}: owned by root: {line}"
            );
        }
    }
    assert_eq!(
        std::fs::read(unpacked.join("preseed.cfg")).unwrap(),
        std::fs::read(b.join("preseed.cfg")).unwrap()
    );
    assert_eq!(tree(&unpacked.join("upcycle")), tree(&b));
    for f in tree(&b) {
        assert_eq!(
            std::fs::read(unpacked.join("upcycle").join(&f)).unwrap(),
            std::fs::read(b.join(&f)).unwrap(),
            "{f}"
        );
    }
    // What the late_command looks for is there.
    let preseed = std::fs::read_to_string(b.join("preseed.cfg")).unwrap();
    assert!(preseed.contains("if [ -f /upcycle/postinstall.sh ]"));

    // Same inputs, same stick.
    let again = tmp.path().join("again");
    assert!(usb(&b, &again, &real, &["--append", append]).status.success());
    for f in &files {
        assert!(
            std::fs::read(stick.join(f)).unwrap() == std::fs::read(again.join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn amd64_stick_boots_with_shim_as_bootx64() {
    let tmp = tempfile::tempdir().unwrap();
    let b = bundle("lenovo-thinkpad-t420-battery-wear", &tmp.path().join("bundles"), &[]);
    let images = fake_images(tmp.path(), "13", "amd64");
    let stick = tmp.path().join("stick");
    let run = usb(&b, &stick, &images, &["--grub-ia32", "/nonexistent/grubia32.efi"]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(
        std::fs::read(stick.join("EFI/BOOT/BOOTX64.EFI")).unwrap(),
        b"signed shim"
    );
    assert_eq!(
        std::fs::read(stick.join("EFI/BOOT/grubx64.efi")).unwrap(),
        b"signed grub"
    );
    let grub = std::fs::read_to_string(stick.join("debian-installer/amd64/grub/grub.cfg")).unwrap();
    assert_eq!(directive(&grub, "linux"), ["/linux", "auto=true", "priority=critical"]);
    assert!(!stick.join("debian-installer/amd64/grub/x86_64-efi/grub.cfg").exists());
    assert!(stick.join("debian-installer/amd64/grub/x86_64-efi/linux.mod").is_file());
    // the initrd made by GNU cpio is kept, ours follows
    let stock = images.join("13/amd64/text/debian-installer/amd64/initrd.gz");
    let (listing, _) = unpack_injected(&stick.join("initrd.gz"), &stock, &tmp.path().join("u"));
    assert!(listing.contains(" preseed.cfg\n"), "{listing}");
    // without Debian's grubia32.efi: 64-bit UEFI only, and the volunteer is told
    assert!(!stick.join("EFI/BOOT/BOOTIA32.EFI").exists());
    assert!(stderr(&run).contains("grub-efi-ia32-bin"), "{}", stderr(&run));
}

/// 32-bit UEFI on a 64-bit CPU (the T100TA): the amd64 stick carries Debian's
/// grubia32.efi as EFI/BOOT/BOOTIA32.EFI with the same menu beside it, in the folder and
/// in the disk image alike.
#[test]
fn amd64_stick_boots_32_bit_uefi_with_grubia32_and_the_same_menu() {
    let tmp = tempfile::tempdir().unwrap();
    let b = bundle("asus-t100ta-baytrail-uefi32", &tmp.path().join("bundles"), &[]);
    let images = fake_images(tmp.path(), "13", "amd64");
    let grubia32 = tmp.path().join("grubia32.efi");
    std::fs::write(&grubia32, "debian grubia32").unwrap();
    let stick = tmp.path().join("stick");
    let img = tmp.path().join("stick.img");
    let run = usb(
        &b,
        &stick,
        &images,
        &[
            "--grub-ia32",
            grubia32.to_str().unwrap(),
            "--image",
            img.to_str().unwrap(),
        ],
    );
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(!stderr(&run).contains("grub-efi-ia32-bin"), "{}", stderr(&run));
    assert_eq!(
        std::fs::read(stick.join("EFI/BOOT/BOOTIA32.EFI")).unwrap(),
        b"debian grubia32"
    );
    assert_eq!(
        std::fs::read(stick.join("EFI/BOOT/BOOTX64.EFI")).unwrap(),
        b"signed shim"
    );
    let menu = |p: &str| {
        std::fs::read_to_string(stick.join(p))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(menu("EFI/BOOT/grub.cfg"), menu("debian-installer/amd64/grub/grub.cfg"));
    assert!(
        std::fs::read_to_string(stick.join("README.txt"))
            .unwrap()
            .contains("Secure Boot")
    );
    // the image's FAT holds the same two files (mtype from mtools reads them)
    for path in ["EFI/BOOT/BOOTIA32.EFI", "EFI/BOOT/grub.cfg"] {
        let out = Command::new("mtype")
            .env("MTOOLS_SKIP_CHECK", "1")
            .args(["-i", &format!("{}@@1M", img.display()), &format!("::/{path}")])
            .output()
            .expect("mtype (mtools) runs");
        assert!(out.status.success(), "{path}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.stdout, std::fs::read(stick.join(path)).unwrap(), "{path}");
    }
}

#[test]
fn disk_image_holds_the_same_files_and_syslinux() {
    let tmp = tempfile::tempdir().unwrap();
    let b = t40_forcepae(tmp.path());
    let images = fake_images(tmp.path(), "12", "i386");
    let stick = tmp.path().join("stick");
    let img = tmp.path().join("stick.img");
    let run = usb(&b, &stick, &images, &["--image", img.to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(stdout(&run).contains("dd if="), "{}", stdout(&run));

    let bytes = std::fs::read(&img).unwrap();
    let mbr_code = std::fs::read("/usr/lib/syslinux/mbr/mbr.bin").unwrap();
    assert_eq!(&bytes[..440], &mbr_code[..], "syslinux's MBR code");
    assert_eq!(&bytes[510..512], &[0x55, 0xaa]);
    let entry = &bytes[446..462];
    assert_eq!((entry[0], entry[4]), (0x80, 0x0c), "active FAT32 partition");
    let start = u32::from_le_bytes(entry[8..12].try_into().unwrap()) as usize;
    let sectors = u32::from_le_bytes(entry[12..16].try_into().unwrap()) as usize;
    assert_eq!(start, 2048);
    assert_eq!(bytes.len(), (start + sectors) * 512, "the partition fills the image");
    assert_eq!(&bytes[start * 512 + 82..start * 512 + 87], b"FAT32");

    let at = format!("{}@@1M", img.display());
    let mtools = |cmd: &str, args: &[&str]| {
        let out = Command::new(cmd)
            .env("MTOOLS_SKIP_CHECK", "1")
            .arg("-i")
            .arg(&at)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{cmd} (mtools) must be installed: {e}"));
        assert!(out.status.success(), "{cmd}: {}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    let root = String::from_utf8(mtools("mdir", &["-a", "-b", "::/"])).unwrap();
    for f in [
        "ldlinux.sys",
        "ldlinux.c32",
        "syslinux.cfg",
        "initrd.gz",
        "linux",
        "README.txt",
    ] {
        assert!(root.lines().any(|l| l == format!("::/{f}")), "{f} not in\n{root}");
    }
    for f in tree(&stick) {
        assert_eq!(
            mtools("mtype", &[&format!("::/{f}")]),
            std::fs::read(stick.join(&f)).unwrap(),
            "{f} differs in the image"
        );
    }
}

#[test]
fn ubuntu_bundle_is_refused_with_exit_3() {
    let tmp = tempfile::tempdir().unwrap();
    let b = bundle(
        "lenovo-thinkpad-t420-battery-wear",
        &tmp.path().join("bundles"),
        &["--profile", "ubuntu-24.04-desktop"],
    );
    let stick = tmp.path().join("stick");
    let run = usb(&b, &stick, &fake_images(tmp.path(), "12", "amd64"), &[]);
    assert_eq!(run.status.code(), Some(3), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("needs a Debian bundle") && stderr(&run).contains("Ubuntu"),
        "{}",
        stderr(&run)
    );
    assert!(!stick.exists());
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        3,
        "only bundles, images, initrd-src"
    );
}

#[test]
fn missing_images_name_the_package() {
    let tmp = tempfile::tempdir().unwrap();
    let b = bundle("ibm-thinkpad-t40", &tmp.path().join("bundles"), &[]);
    let stick = tmp.path().join("stick");
    let run = usb(&b, &stick, &tmp.path().join("no-images"), &[]);
    assert_eq!(run.status.code(), Some(3), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("apt install debian-installer-12-netboot-i386"),
        "{}",
        stderr(&run)
    );
    assert!(!stick.exists());
}

#[test]
fn not_a_bundle_is_bad_input() {
    let tmp = tempfile::tempdir().unwrap();
    let run = usb(tmp.path(), &tmp.path().join("stick"), tmp.path(), &[]);
    assert_eq!(run.status.code(), Some(3), "{}", stderr(&run));
    assert!(stderr(&run).contains("not a bundle folder"), "{}", stderr(&run));
}

#[test]
fn existing_output_needs_force_and_nothing_is_half_written() {
    let tmp = tempfile::tempdir().unwrap();
    let b = bundle("ibm-thinkpad-t40", &tmp.path().join("bundles"), &[]);
    let images = fake_images(tmp.path(), "12", "i386");
    let stick = tmp.path().join("stick");
    std::fs::create_dir(&stick).unwrap();
    std::fs::write(stick.join("keep.txt"), "mine").unwrap();
    let run = usb(&b, &stick, &images, &[]);
    assert_eq!(run.status.code(), Some(4), "{}", stderr(&run));
    assert!(stderr(&run).contains("--force"), "{}", stderr(&run));
    assert_eq!(tree(&stick), ["keep.txt"]);

    // An existing image also needs --force, and stops before the folder is written.
    let img = tmp.path().join("s.img");
    std::fs::write(&img, "old").unwrap();
    let other = tmp.path().join("other");
    let run = usb(&b, &other, &images, &["--image", img.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(4), "{}", stderr(&run));
    assert!(!other.exists());
    assert_eq!(std::fs::read(&img).unwrap(), b"old");

    let run = usb(&b, &stick, &images, &["--force"]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(!stick.join("keep.txt").exists());
    assert!(stick.join("syslinux.cfg").is_file());
    let leftovers: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".upcycle-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn hostile_append_and_bundle_files_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let b = bundle("ibm-thinkpad-t40", &tmp.path().join("bundles"), &[]);
    let images = fake_images(tmp.path(), "12", "i386");
    let stick = tmp.path().join("stick");
    for bad in ["x; reboot", "a $(id)", "}", "'q'", "--- rescue", "x#y"] {
        let run = usb(&b, &stick, &images, &["--append", bad]);
        assert_eq!(run.status.code(), Some(2), "{bad}: {}", stderr(&run));
        assert!(stderr(&run).contains("cannot go on a boot line"), "{}", stderr(&run));
        assert!(!stick.exists());
    }
    std::fs::write(b.join("notes; rm -rf.txt"), "x").unwrap();
    let run = usb(&b, &stick, &images, &[]);
    assert_eq!(run.status.code(), Some(3), "{}", stderr(&run));
    assert!(stderr(&run).contains("notes; rm -rf.txt"), "{}", stderr(&run));
    assert!(!stick.exists());
}

/// Issue 16: `-o` at an unrelated file is a wrong command line (2), never replaced by the
/// stick's folder, not even with `--force`; a folder at `--image` likewise; said in German.
#[test]
fn a_file_at_the_folders_place_is_a_usage_error_and_stays() {
    let tmp = tempfile::tempdir().unwrap();
    let b = bundle("ibm-thinkpad-t40", &tmp.path().join("bundles"), &[]);
    let images = fake_images(tmp.path(), "12", "i386");
    let notes = tmp.path().join("notes.txt");
    std::fs::write(&notes, "mine").unwrap();
    for extra in [&[][..], &["--force"][..]] {
        let run = usb(&b, &notes, &images, extra);
        assert_eq!(run.status.code(), Some(2), "{extra:?}: {}", stderr(&run));
        assert!(stderr(&run).contains("is a file, not a folder"), "{}", stderr(&run));
        assert_eq!(std::fs::read(&notes).unwrap(), b"mine");
    }
    let stick = tmp.path().join("stick");
    let run = usb(
        &b,
        &stick,
        &images,
        &["--image", tmp.path().to_str().unwrap(), "--force"],
    );
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(!stick.exists());
    let de = crate::support::upcycle_env(
        &[("LANG", "de_DE.UTF-8")],
        &[
            "media",
            "usb",
            b.to_str().unwrap(),
            "-o",
            notes.to_str().unwrap(),
            "--images",
            images.to_str().unwrap(),
        ],
    );
    assert_eq!(de.status.code(), Some(2));
    assert!(stderr(&de).contains("ist eine Datei, kein Ordner"), "{}", stderr(&de));
}
