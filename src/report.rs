//! The hardware report: the versioned contract between `probe` and every later stage.
//!
//! Everything here is plain data. The probe fills it, `select` and `generate` read it back
//! from YAML or JSON files written months earlier, so the format only grows: new optional
//! fields are fine, renaming or removing one needs a new `schema` version. Every field is
//! documented, with the file it comes from, in `docs/report-format.md`.

use serde::{Deserialize, Serialize};

use crate::token::{DiskName, PackageName};

/// The schema identifier written into every report.
pub const SCHEMA: &str = "upcycle.report/v1";

/// All facts about one machine that decide what it can become.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HardwareReport {
    /// Always [`SCHEMA`]; readers reject other values.
    pub schema: String,
    /// Which upcycle wrote the report, and whether it read a live system or a capture.
    pub probe: ProbeInfo,
    pub machine: Machine,
    pub firmware: Firmware,
    pub cpu: Cpu,
    pub memory: Memory,
    pub storage: Storage,
    pub graphics: Vec<GraphicsDevice>,
    pub network: Vec<NetworkDevice>,
    pub battery: Battery,
    pub display: Display,
    /// Facts only a running system has; absent when probing a captured tree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live: Option<Live>,
    /// Every fact that was missing or could not be parsed, with the path it came from.
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProbeInfo {
    /// Version of the upcycle binary that wrote this report.
    pub tool_version: String,
    /// `live` when the root was `/`, `captured` for any other root.
    pub source: ProbeSource,
    /// True when serials, UUIDs and MAC addresses were replaced by placeholders.
    pub redacted: bool,
    /// Debian release whose firmware data named the firmware packages.
    pub firmware_data: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProbeSource {
    Live,
    Captured,
}

/// DMI identity of the machine (`sys/class/dmi/id/*`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Machine {
    pub vendor: Option<String>,
    pub product: Option<String>,
    pub version: Option<String>,
    pub family: Option<String>,
    /// The name a person would use: Lenovo keeps the machine type in `product_name`
    /// and the marketing name in `product_version`, so those are swapped back.
    pub model: Option<String>,
    pub serial: Option<String>,
    /// `product_uuid` (root-only): with the serial, what tells one laptop from another of
    /// its model. Absent in reports older than this field, and when not readable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    /// SMBIOS chassis type code (`chassis_type`), e.g. 10 = notebook.
    pub chassis_type: Option<u8>,
    /// Lowercase name of the chassis type code, e.g. `notebook`.
    pub chassis: Option<String>,
    pub bios_vendor: Option<String>,
    pub bios_version: Option<String>,
    /// As the firmware stores it, usually `MM/DD/YYYY`.
    pub bios_date: Option<String>,
    /// Year from `bios_date`: the BIOS release, a lower bound of the machine's age.
    pub bios_year: Option<u16>,
}

/// How the machine booted the system that was probed (`sys/firmware/efi`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Firmware {
    pub boot_mode: BootMode,
    /// 32 or 64 from `sys/firmware/efi/fw_platform_size`; `null` on BIOS.
    pub uefi_bitness: Option<u8>,
    /// 32-bit UEFI on a 64-bit CPU: the installer needs a 32-bit (ia32) UEFI boot loader.
    pub needs_ia32_bootloader: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BootMode {
    Uefi,
    Bios,
}

/// The processor (`proc/cpuinfo`, `sys/devices/system/cpu/cpu*/cpufreq`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cpu {
    /// `vendor_id`, e.g. `GenuineIntel`.
    pub vendor: Option<String>,
    pub model_name: Option<String>,
    pub family: Option<u32>,
    pub model: Option<u32>,
    pub stepping: Option<u32>,
    /// Physical cores (distinct `physical id`/`core id` pairs).
    pub cores: Option<u32>,
    /// Logical CPUs (`processor` entries).
    pub threads: Option<u32>,
    /// Highest clock from cpufreq, else the clock in the model name.
    pub max_mhz: Option<u32>,
    pub flags: CpuFlags,
    /// A Pentium M (family 6, model 9 Banias or 13 Dothan) without the `pae` flag: PAE
    /// works but is not advertised, so a PAE kernel needs `forcepae` on its command line.
    pub forcepae: bool,
}

/// The CPU flags that decide which systems can be installed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CpuFlags {
    /// Long mode: the CPU runs 64-bit (amd64) systems.
    pub lm: bool,
    pub pae: bool,
    pub sse2: bool,
    pub nx: bool,
    /// Conditional moves (`cmov`), part of the i686 baseline every current system needs
    /// (Debian 12's 686 kernels refuse to start without it). `null` when unknown: no
    /// `flags` line, or a report written before upcycle recorded it.
    #[serde(default)]
    pub cmov: Option<bool>,
}

/// Main memory (`proc/meminfo`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Memory {
    /// `MemTotal` in KiB: what the kernel can use.
    pub mem_total_kib: Option<u64>,
    /// Estimated size of the installed modules in MiB (see docs/report-format.md).
    pub installed_mib: Option<u64>,
}

/// Block devices (`sys/block/*`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Storage {
    pub disks: Vec<Disk>,
    /// Name of the internal install target: the largest non-removable, non-USB disk.
    pub install_target: Option<DiskName>,
    /// PCI mass-storage controllers (class 0x01) and the mode they run in. Optional:
    /// reports of upcycle versions before it read as an empty list.
    #[serde(default)]
    pub controllers: Vec<StorageController>,
}

/// A PCI mass-storage controller (class 0x01xxxx).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StorageController {
    /// PCI slot, e.g. `0000:00:1f.2`.
    pub slot: String,
    /// Four lowercase hex digits each.
    pub vendor: String,
    pub device: String,
    /// PCI class as six hex digits, e.g. `010400`.
    pub class: String,
    /// Device name from the embedded pci.ids.
    pub name: Option<String>,
    pub mode: ControllerMode,
    /// Kernel driver bound to the controller, if any.
    pub driver: Option<String>,
}

/// How a storage controller presents its disks, from its PCI class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ControllerMode {
    /// Class 0x0101: PATA, or SATA in legacy IDE mode.
    Ide,
    /// Class 0x0106 with interface 0x01: SATA in AHCI mode.
    Ahci,
    /// Class 0x0104: RAID mode (Intel RST "RAID On", Intel VMD, AMD RAID): the
    /// installer may not see the disk; switch to AHCI in the firmware setup.
    Raid,
    /// Class 0x0108: an NVMe controller.
    Nvme,
    /// Any other mass-storage class (SCSI 0x0100, SAS 0x0107, other 0x0180, ...).
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disk {
    /// Kernel name, e.g. `sda`, `nvme0n1`, `mmcblk0` (a validated [`DiskName`]).
    pub name: DiskName,
    pub kind: DiskKind,
    pub size_bytes: Option<u64>,
    /// True for a spinning hard disk, false for flash (`queue/rotational`).
    pub rotational: Option<bool>,
    pub model: Option<String>,
    pub transport: Transport,
    pub removable: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DiskKind {
    Disk,
    Optical,
}

/// How a disk is attached, from its place in the device tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    /// libata behind an AHCI (SATA) controller.
    Sata,
    /// libata behind an IDE-mode controller (PATA, or SATA in legacy mode).
    Ata,
    Nvme,
    /// eMMC soldered on the board.
    Mmc,
    /// SD card in a reader slot.
    Sd,
    Usb,
    Virtio,
    Other,
}

/// A PCI display controller (class 0x03xx).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GraphicsDevice {
    pub slot: String,
    pub ids: DeviceIds,
    pub vendor_name: Option<String>,
    pub device_name: Option<String>,
    /// Kernel driver bound to the device, if any.
    pub driver: Option<String>,
    /// Firmware package this device needs, from Debian's data.
    pub firmware: Option<FirmwareNeed>,
}

/// Bus identity of a device, with the kernel modalias it is matched by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceIds {
    pub bus: Bus,
    /// Four lowercase hex digits.
    pub vendor: String,
    pub device: String,
    pub subsystem_vendor: Option<String>,
    pub subsystem_device: Option<String>,
    /// PCI class as six hex digits, e.g. `030000`; `null` for USB and SDIO.
    pub class: Option<String>,
    /// Read from `modalias`, or built from the ids when the file is missing.
    pub modalias: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Bus {
    Pci,
    Usb,
    /// SDIO functions, e.g. Wi-Fi soldered on Bay Trail tablets.
    Sdio,
}

/// An Ethernet, Wi-Fi or other network device, with or without a bound driver.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetworkDevice {
    /// PCI slot (`0000:02:02.0`), USB port (`1-1`) or SDIO function (`mmc0:0001:1`).
    pub slot: String,
    pub kind: NetworkKind,
    /// Interface names from `sys/class/net` (empty when no driver is bound).
    pub interfaces: Vec<String>,
    pub ids: DeviceIds,
    pub vendor_name: Option<String>,
    pub device_name: Option<String>,
    pub driver: Option<String>,
    pub mac: Option<String>,
    pub firmware: Option<FirmwareNeed>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NetworkKind {
    Ethernet,
    Wifi,
    /// A network interface that is neither (e.g. a USB LTE modem).
    Other,
}

/// A Debian package that ships firmware a device needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FirmwareNeed {
    pub package: PackageName,
    /// Where the mapping came from: `debian-metainfo` or `curated`.
    pub source: String,
    /// True when the data names this very device; false when it names every device of
    /// the vendor and class (e.g. all Intel GPUs): the package may then not be needed.
    pub exact: bool,
    /// Why, for curated rows (e.g. the alternative driver).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Batteries (`sys/class/power_supply/*` of type `Battery`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Battery {
    pub present: bool,
    pub packs: Vec<BatteryPack>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatteryPack {
    pub name: String,
    pub technology: Option<String>,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub serial: Option<String>,
    /// Design capacity in Wh (from `energy_full_design`, or charge x design voltage).
    pub design_wh: Option<f64>,
    /// Capacity when full today, in Wh.
    pub full_wh: Option<f64>,
    /// Design capacity in mAh when the battery reports charge instead of energy.
    pub design_mah: Option<f64>,
    pub full_mah: Option<f64>,
    /// Lost capacity in percent: 100 - full / design x 100, rounded, never below 0.
    pub wear_percent: Option<u8>,
    pub cycle_count: Option<u32>,
}

/// The built-in panel (`sys/class/drm/card*-{eDP,LVDS}-*`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Display {
    pub panel: Option<Panel>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Panel {
    pub connector: String,
    pub width: u32,
    pub height: u32,
}

/// Facts of the running system (only with root `/`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Live {
    pub hostname: Option<String>,
    pub kernel: Option<String>,
    pub os: Option<String>,
}

/// A fact that could not be read, with the path it should have come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Warning {
    pub path: String,
    pub message: String,
}
