//! PCI devices (`sys/bus/pci/devices/*`) and, among them, the display controllers.

use super::{Facts, parse_hex_id};
use crate::fwmap::FirmwareMap;
use crate::probe::ids::Names;
use crate::report::{Bus, DeviceIds, GraphicsDevice};

const PCI: &str = "sys/bus/pci/devices";

/// One PCI function as read from sysfs.
#[derive(Debug, Clone)]
pub struct PciDevice {
    /// `0000:02:02.0`
    pub slot: String,
    pub ids: DeviceIds,
    pub driver: Option<String>,
}

impl PciDevice {
    /// The class as a number, e.g. 0x030000.
    pub fn class(&self) -> u32 {
        self.ids
            .class
            .as_deref()
            .and_then(|c| u32::from_str_radix(c, 16).ok())
            .unwrap_or(0)
    }
}

pub fn probe(f: &mut Facts) -> Vec<PciDevice> {
    f.root
        .list(PCI)
        .into_iter()
        .filter_map(|slot| probe_device(f, &slot))
        .collect()
}

fn probe_device(f: &mut Facts, slot: &str) -> Option<PciDevice> {
    let dir = format!("{PCI}/{slot}");
    let mut hex = |name: &str, digits: usize| -> Option<String> {
        let path = format!("{dir}/{name}");
        let raw = f.value(&path)?;
        let parsed = parse_hex_id(&raw, digits);
        if parsed.is_none() {
            f.warn(&path, format!("unparsable id {:?}", super::shorten(&raw)));
        }
        parsed
    };
    let vendor = hex("vendor", 4);
    let device = hex("device", 4);
    let subsystem_vendor = hex("subsystem_vendor", 4);
    let subsystem_device = hex("subsystem_device", 4);
    let class = hex("class", 6);
    let (Some(vendor), Some(device)) = (vendor, device) else {
        f.warn(&dir, "PCI device without readable vendor/device ids: skipped");
        return None;
    };
    let modalias = f.value(&format!("{dir}/modalias")).unwrap_or_else(|| {
        pci_modalias(
            &vendor,
            &device,
            subsystem_vendor.as_deref(),
            subsystem_device.as_deref(),
            class.as_deref(),
        )
    });
    let driver = f.root.link_name(&format!("{dir}/driver"));
    Some(PciDevice {
        slot: slot.to_string(),
        ids: DeviceIds {
            bus: Bus::Pci,
            vendor,
            device,
            subsystem_vendor,
            subsystem_device,
            class,
            modalias,
        },
        driver,
    })
}

/// The kernel's PCI modalias (`drivers/pci/pci-sysfs.c`):
/// `pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X`.
pub fn pci_modalias(vendor: &str, device: &str, sv: Option<&str>, sd: Option<&str>, class: Option<&str>) -> String {
    let n = |s: Option<&str>| s.and_then(|s| u32::from_str_radix(s, 16).ok()).unwrap_or(0);
    let class = n(class);
    format!(
        "pci:v{:08X}d{:08X}sv{:08X}sd{:08X}bc{:02X}sc{:02X}i{:02X}",
        n(Some(vendor)),
        n(Some(device)),
        n(sv),
        n(sd),
        class >> 16,
        (class >> 8) & 0xff,
        class & 0xff
    )
}

/// Display controllers (class 0x03xxxx). A secondary function of an integrated GPU
/// (class 0x0380 on the same bus and device as a VGA function) is the same chip and is
/// left out.
pub fn graphics(devices: &[PciDevice], names: &Names, fwmap: &FirmwareMap) -> Vec<GraphicsDevice> {
    let display: Vec<&PciDevice> = devices.iter().filter(|d| d.class() >> 16 == 0x03).collect();
    display
        .iter()
        .filter(|d| {
            !(d.class() >> 8 == 0x0380
                && display
                    .iter()
                    .any(|o| o.class() >> 8 == 0x0300 && same_device(&o.slot, &d.slot) && o.ids.vendor == d.ids.vendor))
        })
        .map(|d| GraphicsDevice {
            slot: d.slot.clone(),
            vendor_name: names.pci_vendor(&d.ids.vendor),
            device_name: names.pci_device(&d.ids.vendor, &d.ids.device),
            driver: d.driver.clone(),
            firmware: fwmap.lookup(&d.ids.modalias),
            ids: d.ids.clone(),
        })
        .collect()
}

/// `0000:00:02.0` and `0000:00:02.1` are functions of one device.
fn same_device(a: &str, b: &str) -> bool {
    a.rsplit_once('.').map(|x| x.0) == b.rsplit_once('.').map(|x| x.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modalias_matches_the_kernel_format() {
        // The real modalias of an Intel PRO/Wireless 2100 in an IBM ThinkPad T40.
        assert_eq!(
            pci_modalias("8086", "1043", Some("8086"), Some("2561"), Some("028000")),
            "pci:v00008086d00001043sv00008086sd00002561bc02sc80i00"
        );
        assert_eq!(
            pci_modalias("10de", "0407", None, None, None),
            "pci:v000010DEd00000407sv00000000sd00000000bc00sc00i00"
        );
    }

    #[test]
    fn functions_of_one_device() {
        assert!(same_device("0000:00:02.0", "0000:00:02.1"));
        assert!(!same_device("0000:00:02.0", "0000:00:03.0"));
    }
}
