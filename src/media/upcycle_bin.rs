//! The static upcycle binary in the installer: bundles whose workshop erases the disk in
//! the installer (`erase: {before_install: true}`) need `upcycle` at `/upcycle/upcycle` in
//! d-i's initrd, for the architecture d-i runs (i686 musl for i386, x86_64 musl for amd64).
//! `media usb` injects it with the bundle, `media netboot` appends it to the tree's initrds.
//! Which bundle needs it, which file it is, and whether that file can run in d-i (a static
//! ELF of the right class and machine) are decided here; the command reads the files.

use std::path::{Path, PathBuf};

use crate::catalog::Arch;
use crate::tree::TreeFile;

/// Where the binary is in the initrd (the preseed's commands run `/upcycle/upcycle`).
pub const IN_INITRD: &str = "upcycle/upcycle";

/// What the preseed's `partman/early_command` runs when the workshop erases in the
/// installer (`templates/installer-commands.tera`, `erase_disk`).
const ERASE_COMMAND: &str = "/upcycle/upcycle erase --installer ";

/// Whether a bundle's preseed erases the disk in the installer.
pub fn erases_before_install(preseed: &str) -> bool {
    crate::preseed::value(preseed, "partman/early_command").is_some_and(|c| c.contains(ERASE_COMMAND))
}

/// The Rust target the static binary for `arch` is built for.
pub fn target(arch: Arch) -> &'static str {
    match arch {
        Arch::I386 => "i686-unknown-linux-musl",
        Arch::Amd64 => "x86_64-unknown-linux-musl",
    }
}

/// Where the binary for `arch` may be under `dir`, in the order looked at: cargo's layout
/// (`scripts/build-static.sh` with `dir` = `target`), then a plain one per target.
pub fn candidates(dir: &Path, arch: Arch) -> [PathBuf; 2] {
    let t = target(arch);
    [dir.join(t).join("release").join("upcycle"), dir.join(t).join("upcycle")]
}

/// Why `bytes` cannot run in d-i on `arch` (a message id of `errors.ftl`): not an ELF, the
/// wrong class or machine, or a dynamically linked program (d-i has no musl loader).
/// `None`: it can.
pub fn unfit(bytes: &[u8], arch: Arch) -> Option<&'static str> {
    if bytes.len() < 64 || &bytes[..4] != b"\x7fELF" {
        return Some("err-upcycle-not-elf");
    }
    let (class, machine) = match arch {
        Arch::I386 => (1, 3),
        Arch::Amd64 => (2, 62),
    };
    if bytes[5] != 1 {
        return Some("err-upcycle-not-elf");
    }
    let u16_at = |at: usize| u16::from_le_bytes([bytes[at], bytes[at + 1]]) as usize;
    let u32_at = |at: usize| u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]) as usize;
    if bytes[4] != class || u16_at(18) != machine {
        return Some("err-upcycle-wrong-arch");
    }
    let (phoff, phentsize, phnum) = if class == 1 {
        (u32_at(28), u16_at(42), u16_at(44))
    } else {
        let off = u64::from_le_bytes(bytes[32..40].try_into().expect("8 bytes"));
        (usize::try_from(off).unwrap_or(usize::MAX), u16_at(54), u16_at(56))
    };
    for i in 0..phnum {
        let at = phoff.saturating_add(i.saturating_mul(phentsize));
        if at.saturating_add(4) > bytes.len() {
            return Some("err-upcycle-damaged");
        }
        // PT_INTERP: it asks for a dynamic loader.
        if u32_at(at) == 3 {
            return Some("err-upcycle-dynamic");
        }
    }
    None
}

/// The initrd's files for the binary.
pub fn initrd_files(binary: &[u8]) -> Vec<TreeFile<Vec<u8>>> {
    vec![TreeFile::new(IN_INITRD, 0o755, binary.to_vec())]
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// The smallest ELF header `unfit` reads: class and machine of `arch`, and one program
    /// header, PT_INTERP when `dynamic`, else PT_LOAD.
    pub fn elf(arch: Arch, dynamic: bool) -> Vec<u8> {
        let mut b = vec![0u8; 256];
        b[..4].copy_from_slice(b"\x7fELF");
        b[5] = 1;
        let p_type: u32 = if dynamic { 3 } else { 1 };
        match arch {
            Arch::I386 => {
                b[4] = 1;
                b[18] = 3;
                b[28] = 64; // e_phoff
                b[42] = 32; // e_phentsize
                b[44] = 1; // e_phnum
            }
            Arch::Amd64 => {
                b[4] = 2;
                b[18] = 62;
                b[32] = 64;
                b[54] = 56;
                b[56] = 1;
            }
        }
        b[64..68].copy_from_slice(&p_type.to_le_bytes());
        b
    }

    #[test]
    fn only_a_static_program_of_the_installers_architecture_fits() {
        assert_eq!(unfit(&elf(Arch::I386, false), Arch::I386), None);
        assert_eq!(unfit(&elf(Arch::Amd64, false), Arch::Amd64), None);
        assert_eq!(
            unfit(&elf(Arch::Amd64, false), Arch::I386),
            Some("err-upcycle-wrong-arch")
        );
        assert_eq!(
            unfit(&elf(Arch::I386, false), Arch::Amd64),
            Some("err-upcycle-wrong-arch")
        );
        assert_eq!(unfit(&elf(Arch::Amd64, true), Arch::Amd64), Some("err-upcycle-dynamic"));
        assert_eq!(
            unfit(b"#!/bin/sh\necho hello\n", Arch::I386),
            Some("err-upcycle-not-elf")
        );
        let mut cut = elf(Arch::I386, false);
        cut[29] = 1; // e_phoff past the end
        assert_eq!(unfit(&cut, Arch::I386), Some("err-upcycle-damaged"));
    }

    #[test]
    fn the_binary_is_wanted_only_by_a_preseed_that_erases() {
        let on = "d-i partman/early_command string true; d=x; /upcycle/upcycle erase --installer --yes \"$d\"\n";
        assert!(erases_before_install(on));
        assert!(!erases_before_install("d-i partman/early_command string true\n"));
        // a comment is no answer
        assert!(!erases_before_install(
            "# d-i partman/early_command string /upcycle/upcycle erase --installer \n"
        ));
    }

    #[test]
    fn candidates_follow_cargos_layout_first() {
        let c = candidates(Path::new("/t"), Arch::I386);
        assert_eq!(c[0], Path::new("/t/i686-unknown-linux-musl/release/upcycle"));
        assert_eq!(c[1], Path::new("/t/i686-unknown-linux-musl/upcycle"));
    }
}
