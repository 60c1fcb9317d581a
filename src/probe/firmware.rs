//! Boot firmware: UEFI or BIOS, and the UEFI bitness (`sys/firmware/efi`).

use super::Facts;
use crate::report::{BootMode, Cpu, Firmware};

const EFI: &str = "sys/firmware/efi";

pub fn probe(f: &mut Facts, cpu: &Cpu) -> Firmware {
    if !f.root.exists(EFI) {
        return Firmware {
            boot_mode: BootMode::Bios,
            uefi_bitness: None,
            needs_ia32_bootloader: false,
        };
    }
    let size_path = format!("{EFI}/fw_platform_size");
    let bitness = f.parsed::<u8>(&size_path).filter(|b| *b == 32 || *b == 64);
    if bitness.is_none() {
        f.warn(&size_path, "UEFI bitness unknown (kernels before 4.6 lack this file)");
    }
    Firmware {
        boot_mode: BootMode::Uefi,
        uefi_bitness: bitness,
        needs_ia32_bootloader: bitness == Some(32) && cpu.flags.lm,
    }
}
