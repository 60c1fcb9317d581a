//! Block devices (`sys/block/*`): size, flash or spinning, transport, and the internal
//! disk to install on (a USB stick never is); and the PCI storage controllers with their
//! mode (a controller in RAID mode hides the disk from the installer).

use super::Facts;
use super::pci::PciDevice;
use crate::probe::ids::Names;
use crate::report::{ControllerMode, Disk, DiskKind, Storage, StorageController, Transport};
use crate::token::DiskName;

const BLOCK: &str = "sys/block";

pub fn probe(f: &mut Facts) -> Storage {
    let mut disks = Vec::new();
    for name in f.root.list(BLOCK) {
        if is_virtual(&name) {
            continue;
        }
        // A name that is not a plain kernel disk name (`cciss!c0d0`, or a hostile capture's
        // `sdz\`) can never be an install target: it would have to be written into the
        // installer's answers after `/dev/`.
        match DiskName::new(name.as_str()) {
            Ok(name) => disks.push(probe_disk(f, name)),
            Err(e) => f.warn(&format!("{BLOCK}/{}", name.escape_debug()), format!("skipped: {e}")),
        }
    }
    let install_target = install_target(&disks).map(|d| d.name.clone());
    Storage {
        disks,
        install_target,
        controllers: Vec::new(),
    }
}

/// The PCI mass-storage controllers (class 0x01) with their mode.
pub fn controllers(pci: &[PciDevice], names: &Names) -> Vec<StorageController> {
    pci.iter()
        .filter(|p| p.class() >> 16 == 0x01)
        .map(|p| StorageController {
            slot: p.slot.clone(),
            vendor: p.ids.vendor.clone(),
            device: p.ids.device.clone(),
            class: p.ids.class.clone().unwrap_or_default(),
            name: names.pci_device(&p.ids.vendor, &p.ids.device),
            mode: controller_mode(p.class()),
            driver: p.driver.clone(),
        })
        .collect()
}

/// The mode from the PCI class (`include/linux/pci_ids.h`: 0x0101 IDE, 0x0104 RAID,
/// 0x0106 SATA with interface 0x01 = AHCI, 0x0107 SAS, 0x0108 NVM Express).
pub fn controller_mode(class: u32) -> ControllerMode {
    match class >> 8 {
        0x0101 => ControllerMode::Ide,
        0x0104 => ControllerMode::Raid,
        0x0106 if class & 0xff == 0x01 => ControllerMode::Ahci,
        0x0108 => ControllerMode::Nvme,
        _ => ControllerMode::Other,
    }
}

fn probe_disk(f: &mut Facts, disk: DiskName) -> Disk {
    let name = disk.as_str();
    let dir = format!("{BLOCK}/{name}");
    let kind = if name.starts_with("sr") {
        DiskKind::Optical
    } else {
        DiskKind::Disk
    };
    let physical = f.root.resolve(&dir).unwrap_or_default();
    let mmc_type = if name.starts_with("mmcblk") {
        f.value(&format!("{dir}/device/type"))
    } else {
        None
    };
    let controller_class = ata_controller(&physical).and_then(|pci| f.value(&format!("{pci}/class")));
    let transport = transport(name, &physical, mmc_type.as_deref(), controller_class.as_deref());

    let size_bytes = f
        .parsed::<u64>(&format!("{dir}/size"))
        .map(|sectors| sectors.saturating_mul(512));
    if size_bytes.is_none() && kind == DiskKind::Disk {
        f.warn_once(&format!("{dir}/size"), "disk size unknown");
    }
    let rotational = match f.value(&format!("{dir}/queue/rotational")).as_deref() {
        Some("1") => Some(true),
        Some("0") => Some(false),
        Some(other) => {
            f.warn(
                &format!("{dir}/queue/rotational"),
                format!("unparsable value {other:?}"),
            );
            None
        }
        None => {
            if kind == DiskKind::Disk {
                f.warn(&format!("{dir}/queue/rotational"), "missing: HDD or SSD unknown");
            }
            None
        }
    };
    let removable = match f.value(&format!("{dir}/removable")).as_deref() {
        Some("1") => Some(true),
        Some("0") => Some(transport == Transport::Sd),
        _ => (transport == Transport::Sd || transport == Transport::Usb).then_some(true),
    };
    // SCSI/ATAPI devices keep the maker in `vendor` (`HL-DT-ST`); libata disks say `ATA`.
    let model = match (
        f.value(&format!("{dir}/device/vendor")),
        f.value(&format!("{dir}/device/model")),
    ) {
        (Some(v), Some(m)) if v != "ATA" && !m.starts_with(&v) => Some(format!("{v} {m}")),
        (_, m) => m,
    };
    Disk {
        name: disk.clone(),
        kind,
        size_bytes,
        rotational,
        model,
        transport,
        removable,
    }
}

/// RAM disks, loop devices, compressed swap, device-mapper, RAID and network block
/// devices are not hardware; nor are the eMMC boot areas.
pub fn is_virtual(name: &str) -> bool {
    // eMMC boot and RPMB areas show up as block devices of their own.
    if name.starts_with("mmcblk") && (name.contains("boot") || name.contains("rpmb")) {
        return true;
    }
    ["ram", "loop", "zram", "dm-", "md", "nbd", "fd", "zd", "rbd", "drbd"]
        .iter()
        .any(|p| name.starts_with(p))
}

/// The PCI controller above a libata disk (`.../0000:00:1f.2/ata1/...`), if any.
fn ata_controller(physical: &str) -> Option<String> {
    let idx = physical.find("/ata")?;
    Some(physical[..idx].to_string())
}

/// How a disk is attached, from its physical path in the device tree.
pub fn transport(name: &str, physical: &str, mmc_type: Option<&str>, controller_class: Option<&str>) -> Transport {
    if physical.contains("/usb") {
        Transport::Usb
    } else if name.starts_with("nvme") || physical.contains("/nvme/") {
        Transport::Nvme
    } else if name.starts_with("mmcblk") || physical.contains("/mmc_host/") {
        match mmc_type {
            Some("SD") => Transport::Sd,
            _ => Transport::Mmc,
        }
    } else if name.starts_with("vd") || physical.contains("/virtio") {
        Transport::Virtio
    } else if physical.contains("/ata") {
        // AHCI controllers have PCI class 0x0106; IDE-mode (PATA, or SATA in legacy
        // mode) ones 0x0101.
        match controller_class.and_then(|c| super::parse_hex_id(c, 6)) {
            Some(c) if c.starts_with("0101") => Transport::Ata,
            _ => Transport::Sata,
        }
    } else {
        Transport::Other
    }
}

/// The largest non-removable, non-USB, non-SD disk with a known, non-zero size; if no
/// candidate has a known size, the first candidate by name. Ties go to the first name.
pub fn install_target(disks: &[Disk]) -> Option<&Disk> {
    let candidates: Vec<&Disk> = disks
        .iter()
        .filter(|d| d.kind == DiskKind::Disk)
        .filter(|d| !matches!(d.transport, Transport::Usb | Transport::Sd))
        .filter(|d| d.removable != Some(true))
        .filter(|d| d.size_bytes != Some(0))
        .collect();
    let sized = candidates
        .iter()
        .filter(|d| d.size_bytes.is_some())
        .max_by(|a, b| a.size_bytes.cmp(&b.size_bytes).then_with(|| b.name.cmp(&a.name)));
    sized
        .or_else(|| candidates.iter().min_by(|a, b| a.name.cmp(&b.name)))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn disk(name: &str, size: Option<u64>, transport: Transport, removable: Option<bool>) -> Disk {
        Disk {
            name: DiskName::new(name).unwrap(),
            kind: DiskKind::Disk,
            size_bytes: size,
            rotational: None,
            model: None,
            transport,
            removable,
        }
    }

    #[test]
    fn transports_from_real_device_paths() {
        let t = |n, p, m, c| transport(n, p, m, c);
        assert_eq!(
            t(
                "sda",
                "sys/devices/pci0000:00/0000:00:11.0/ata1/host0/target0:0:0/0:0:0:0/block/sda",
                None,
                Some("0x010601")
            ),
            Transport::Sata
        );
        assert_eq!(
            t(
                "sda",
                "sys/devices/pci0000:00/0000:00:1f.1/ata1/host0/target0:0:0/0:0:0:0/block/sda",
                None,
                Some("0x01018a")
            ),
            Transport::Ata
        );
        assert_eq!(
            t(
                "sdb",
                "sys/devices/pci0000:00/0000:00:10.0/usb2/2-1/2-1:1.0/host2/target2:0:0/2:0:0:0/block/sdb",
                None,
                None
            ),
            Transport::Usb
        );
        assert_eq!(
            t(
                "nvme0n1",
                "sys/devices/pci0000:00/0000:00:1d.0/0000:3d:00.0/nvme/nvme0/nvme0n1",
                None,
                None
            ),
            Transport::Nvme
        );
        assert_eq!(
            t(
                "mmcblk0",
                "sys/devices/pci0000:00/0000:00:17.0/mmc_host/mmc0/mmc0:0001/block/mmcblk0",
                Some("MMC"),
                None
            ),
            Transport::Mmc
        );
        assert_eq!(
            t(
                "mmcblk1",
                "sys/devices/pci0000:00/0000:00:12.0/mmc_host/mmc1/mmc1:aaaa/block/mmcblk1",
                Some("SD"),
                None
            ),
            Transport::Sd
        );
        assert_eq!(
            t(
                "vda",
                "sys/devices/pci0000:00/0000:00:04.0/virtio1/block/vda",
                None,
                None
            ),
            Transport::Virtio
        );
        assert_eq!(t("sda", "", None, None), Transport::Other);
    }

    #[test]
    fn controller_modes_from_real_classes() {
        // lspci -nn: Intel 82801 Mobile SATA Controller [RAID mode] [8086:282a] is
        // "RAID bus controller [0104]"; ICH7-M IDE 0x01018a; ICH9M AHCI 0x010601;
        // Samsung NVMe 0x010802; an Intel C600 SAS controller 0x010700.
        assert_eq!(controller_mode(0x010400), ControllerMode::Raid);
        assert_eq!(controller_mode(0x01018a), ControllerMode::Ide);
        assert_eq!(controller_mode(0x010601), ControllerMode::Ahci);
        assert_eq!(controller_mode(0x010600), ControllerMode::Other);
        assert_eq!(controller_mode(0x010802), ControllerMode::Nvme);
        assert_eq!(controller_mode(0x010700), ControllerMode::Other);
        assert_eq!(controller_mode(0x018000), ControllerMode::Other);
    }

    #[test]
    fn install_target_is_never_a_usb_stick() {
        let disks = vec![
            disk("sda", Some(120_000_000_000), Transport::Ata, None),
            disk("sdb", Some(500_000_000_000), Transport::Usb, Some(true)),
            disk("sdc", Some(64_000_000_000), Transport::Sata, Some(false)),
        ];
        assert_eq!(install_target(&disks).map(|d| d.name.as_str()), Some("sda"));
        let only_usb = vec![disk("sdb", Some(8_000_000_000), Transport::Usb, Some(true))];
        assert_eq!(install_target(&only_usb), None);
        let unknown_sizes = vec![
            disk("sdb", None, Transport::Sata, None),
            disk("sda", None, Transport::Sata, None),
        ];
        assert_eq!(install_target(&unknown_sizes).map(|d| d.name.as_str()), Some("sda"));
        let tie = vec![
            disk("sdb", Some(1), Transport::Sata, None),
            disk("sda", Some(1), Transport::Sata, None),
        ];
        assert_eq!(install_target(&tie).map(|d| d.name.as_str()), Some("sda"));
    }
}
