//! Network devices: every interface in `sys/class/net` that sits on a PCI or USB device,
//! plus PCI network controllers without a driver (a Wi-Fi card whose firmware is missing
//! often has no interface at all on a live system).

use std::collections::BTreeMap;

use super::Facts;
use super::pci::PciDevice;
use crate::fwmap::FirmwareMap;
use crate::probe::ids::Names;
use crate::report::{Bus, DeviceIds, NetworkDevice, NetworkKind};

const NET: &str = "sys/class/net";

/// USB network drivers of mobile-broadband modems (not Ethernet, not Wi-Fi).
const WWAN_DRIVERS: &[&str] = &[
    "qmi_wwan",
    "cdc_mbim",
    "huawei_cdc_ncm",
    "sierra_net",
    "rndis_host",
    "option",
];

struct Found {
    ids: DeviceIds,
    interfaces: Vec<String>,
    wireless: bool,
    driver: Option<String>,
    mac: Option<String>,
}

pub fn probe(f: &mut Facts, pci: &[PciDevice], names: &Names, fwmap: &FirmwareMap) -> Vec<NetworkDevice> {
    let mut found: BTreeMap<String, Found> = BTreeMap::new();
    for ifname in f.root.list(NET) {
        let dir = format!("{NET}/{ifname}");
        let Some(physical) = f.root.resolve(&format!("{dir}/device")) else {
            continue; // virtual: lo, bridges, tunnels, containers
        };
        let last = physical.rsplit('/').next().unwrap_or_default().to_string();
        let (slot, ids) = if let Some(p) = pci.iter().find(|p| p.slot == last) {
            (p.slot.clone(), p.ids.clone())
        } else if let Some((port, ids)) = usb_ids(f, &physical) {
            (port, ids)
        } else if let Some(ids) = sdio_ids(f, &physical) {
            (last.clone(), ids)
        } else if let Some(p) = pci_ancestor(&physical, pci) {
            // e.g. virtio: `.../0000:00:03.0/virtio2`
            (p.slot.clone(), p.ids.clone())
        } else {
            f.warn(
                &dir,
                format!("network interface on a bus the probe does not read ({physical})"),
            );
            continue;
        };
        // cfg80211 gives every Wi-Fi interface `phy80211` and `DEVTYPE=wlan` in its
        // uevent (net/wireless/core.c); `wireless/` is the older wireless-extensions one.
        let wireless = f.root.exists(&format!("{dir}/wireless"))
            || f.root.exists(&format!("{dir}/phy80211"))
            || f.file(&format!("{dir}/uevent")).is_some_and(|u| is_wlan_uevent(&u));
        let driver = f.root.link_name(&format!("{dir}/device/driver"));
        let mac = f.value(&format!("{dir}/address"));
        let entry = found.entry(slot).or_insert(Found {
            ids,
            interfaces: Vec::new(),
            wireless: false,
            driver: None,
            mac: None,
        });
        entry.interfaces.push(ifname.clone());
        entry.wireless |= wireless;
        entry.driver = entry.driver.take().or(driver);
        entry.mac = entry.mac.take().or(mac);
    }
    for p in pci.iter().filter(|p| p.class() >> 16 == 0x02) {
        found.entry(p.slot.clone()).or_insert(Found {
            ids: p.ids.clone(),
            interfaces: Vec::new(),
            wireless: false,
            driver: p.driver.clone(),
            mac: None,
        });
    }

    found
        .into_iter()
        .map(|(slot, d)| {
            let class = d.ids.class.as_deref().and_then(|c| u32::from_str_radix(c, 16).ok());
            let kind = classify(d.ids.bus, class, d.wireless, d.driver.as_deref());
            let (vendor_name, device_name) = match d.ids.bus {
                Bus::Pci => (
                    names.pci_vendor(&d.ids.vendor),
                    names.pci_device(&d.ids.vendor, &d.ids.device),
                ),
                Bus::Usb => (
                    names.usb_vendor(&d.ids.vendor),
                    names.usb_device(&d.ids.vendor, &d.ids.device),
                ),
                // No SDIO ids database is shipped; the kernel's sdio_ids.h is not packaged.
                Bus::Sdio => (None, None),
            };
            NetworkDevice {
                slot,
                kind,
                interfaces: d.interfaces,
                vendor_name,
                device_name,
                driver: d.driver,
                mac: d.mac,
                firmware: fwmap.lookup(&d.ids.modalias),
                ids: d.ids,
            }
        })
        .collect()
}

/// Wi-Fi when the interface has `wireless/` or `phy80211`, or the PCI class is 0x0280
/// (some Wi-Fi cards report 0x0200, so the class alone is not enough).
pub fn classify(bus: Bus, class: Option<u32>, wireless: bool, driver: Option<&str>) -> NetworkKind {
    if wireless || class.map(|c| c >> 8) == Some(0x0280) {
        NetworkKind::Wifi
    } else if bus == Bus::Usb {
        if driver.is_some_and(|d| WWAN_DRIVERS.contains(&d)) {
            NetworkKind::Other
        } else {
            NetworkKind::Ethernet
        }
    } else if class.map(|c| c >> 8) == Some(0x0200) {
        NetworkKind::Ethernet
    } else {
        NetworkKind::Other
    }
}

/// A network interface's uevent that says it is Wi-Fi (`DEVTYPE=wlan`).
pub fn is_wlan_uevent(text: &str) -> bool {
    text.lines().any(|l| l.trim() == "DEVTYPE=wlan")
}

/// The nearest PCI device above a device path.
fn pci_ancestor<'a>(physical: &str, pci: &'a [PciDevice]) -> Option<&'a PciDevice> {
    physical
        .rsplit('/')
        .find_map(|component| pci.iter().find(|p| p.slot == component))
}

/// An SDIO function (`.../mmc_host/mmc0/mmc0:0001/mmc0:0001:1`) with its ids.
fn sdio_ids(f: &mut Facts, physical: &str) -> Option<DeviceIds> {
    if !physical.contains("/mmc_host/") {
        return None;
    }
    let vendor = super::parse_hex_id(&f.value(&format!("{physical}/vendor"))?, 4)?;
    let device = super::parse_hex_id(&f.value(&format!("{physical}/device"))?, 4)?;
    let modalias = f.value(&format!("{physical}/modalias")).unwrap_or_else(|| {
        format!(
            "sdio:c00v{}d{}",
            vendor.to_ascii_uppercase(),
            device.to_ascii_uppercase()
        )
    });
    Some(DeviceIds {
        bus: Bus::Sdio,
        vendor,
        device,
        subsystem_vendor: None,
        subsystem_device: None,
        class: None,
        modalias,
    })
}

/// The USB device above a USB interface directory (`.../usb1/1-1/1-1:2.0`).
fn usb_ids(f: &mut Facts, physical: &str) -> Option<(String, DeviceIds)> {
    let (device_dir, interface) = physical.rsplit_once('/')?;
    if !interface.contains(':') {
        return None;
    }
    let port = device_dir.rsplit('/').next()?.to_string();
    let vendor = super::parse_hex_id(&f.value(&format!("{device_dir}/idVendor"))?, 4)?;
    let device = super::parse_hex_id(&f.value(&format!("{device_dir}/idProduct"))?, 4)?;
    let modalias = f
        .value(&format!("{physical}/modalias"))
        .unwrap_or_else(|| usb_modalias(&vendor, &device));
    Some((
        port,
        DeviceIds {
            bus: Bus::Usb,
            vendor,
            device,
            subsystem_vendor: None,
            subsystem_device: None,
            class: None,
            modalias,
        },
    ))
}

/// A USB modalias for a capture without `modalias` files: device release and classes
/// unknown (zero), which still matches the `d*dc*...` globs firmware packages use.
pub fn usb_modalias(vendor: &str, device: &str) -> String {
    format!(
        "usb:v{}p{}d0000dc00dsc00dp00ic00isc00ip00in00",
        vendor.to_ascii_uppercase(),
        device.to_ascii_uppercase()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wifi_is_found_by_interface_or_class() {
        assert_eq!(
            classify(Bus::Pci, Some(0x020000), true, Some("ath5k")),
            NetworkKind::Wifi
        );
        assert_eq!(classify(Bus::Pci, Some(0x028000), false, None), NetworkKind::Wifi);
        assert_eq!(
            classify(Bus::Pci, Some(0x020000), false, Some("sky2")),
            NetworkKind::Ethernet
        );
        assert_eq!(classify(Bus::Usb, None, false, Some("rndis_host")), NetworkKind::Other);
        assert_eq!(classify(Bus::Usb, None, false, Some("r8152")), NetworkKind::Ethernet);
        assert_eq!(classify(Bus::Pci, Some(0x0d1100), false, None), NetworkKind::Other);
        // A USB stick (no PCI class) is Wi-Fi by its interface, whatever its driver.
        assert_eq!(classify(Bus::Usb, None, true, Some("ath9k_htc")), NetworkKind::Wifi);
        assert_eq!(classify(Bus::Usb, None, true, Some("rtl8xxxu")), NetworkKind::Wifi);
    }

    #[test]
    fn wlan_uevent() {
        // `cat /sys/class/net/wlan0/uevent` of a cfg80211 interface.
        assert!(is_wlan_uevent("DEVTYPE=wlan\nINTERFACE=wlan0\nIFINDEX=3\n"));
        assert!(!is_wlan_uevent("INTERFACE=eth0\nIFINDEX=2\n"));
        assert!(!is_wlan_uevent("DEVTYPE=wwan\nINTERFACE=wwan0\n"));
    }
}
