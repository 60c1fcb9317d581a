//! Device names from the pci.ids and usb.ids databases embedded in the binary (Debian's
//! `pci.ids` and `usb.ids` packages, see `data/ids/SOURCE.md`), so that a capture gives
//! the same names on any machine.

use std::sync::OnceLock;

// Trimmed by build.rs to vendor and device lines.
static PCI_IDS: &str = include_str!(concat!(env!("OUT_DIR"), "/pci.ids"));
static USB_IDS: &str = include_str!(concat!(env!("OUT_DIR"), "/usb.ids"));

/// A parsed-on-demand ids database: vendors are indexed on first use, devices are
/// found by scanning only the vendor's own block.
pub struct IdsDb {
    text: &'static str,
    /// (vendor id, byte offset of the vendor line) sorted by id.
    index: OnceLock<Vec<(u16, usize)>>,
}

impl IdsDb {
    pub const fn new(text: &'static str) -> Self {
        IdsDb {
            text,
            index: OnceLock::new(),
        }
    }

    fn index(&self) -> &[(u16, usize)] {
        self.index.get_or_init(|| {
            let mut index = Vec::new();
            let mut offset = 0;
            for line in self.text.split_inclusive('\n') {
                let b = line.as_bytes();
                // Vendor lines: four hex digits at column 0, then two spaces. The
                // device-class section at the end (`C 02 ...`) never matches.
                if b.len() > 6
                    && b[4] == b' '
                    && let Ok(id) = u16::from_str_radix(&line[..4], 16)
                {
                    index.push((id, offset));
                }
                offset += line.len();
            }
            index.sort_by_key(|e| e.0);
            index
        })
    }

    fn vendor_block(&self, vendor: &str) -> Option<(&'static str, &'static str)> {
        let id = u16::from_str_radix(vendor, 16).ok()?;
        let index = self.index();
        let pos = index.binary_search_by_key(&id, |e| e.0).ok()?;
        let start = index[pos].1;
        let text: &'static str = self.text;
        let rest = &text[start..];
        let (line, body) = rest.split_once('\n').unwrap_or((rest, ""));
        Some((line[4..].trim(), body))
    }

    pub fn vendor(&self, vendor: &str) -> Option<String> {
        self.vendor_block(vendor).map(|(name, _)| name.to_string())
    }

    pub fn device(&self, vendor: &str, device: &str) -> Option<String> {
        let (_, body) = self.vendor_block(vendor)?;
        let want = u16::from_str_radix(device, 16).ok()?;
        for line in body.lines() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let Some(dev) = line.strip_prefix('\t') else { break };
            if dev.starts_with('\t') {
                continue; // subsystem line
            }
            if dev.len() > 6 && u16::from_str_radix(&dev[..4], 16).ok() == Some(want) {
                return Some(dev[4..].trim().to_string());
            }
        }
        None
    }
}

static PCI: IdsDb = IdsDb::new(PCI_IDS);
static USB: IdsDb = IdsDb::new(USB_IDS);

/// Name lookups for the probe.
pub struct Names {
    pci: &'static IdsDb,
    usb: &'static IdsDb,
}

impl Names {
    pub fn embedded() -> Self {
        Names { pci: &PCI, usb: &USB }
    }

    pub fn pci_vendor(&self, v: &str) -> Option<String> {
        self.pci.vendor(v)
    }
    pub fn pci_device(&self, v: &str, d: &str) -> Option<String> {
        self.pci.device(v, d)
    }
    pub fn usb_vendor(&self, v: &str) -> Option<String> {
        self.usb.vendor(v)
    }
    pub fn usb_device(&self, v: &str, d: &str) -> Option<String> {
        self.usb.device(v, d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# comment\n8086  Intel Corporation\n\t1043  PRO/Wireless LAN 2100 3B Mini PCI Adapter\n\
\t\t8086 2561  Dell Latitude D800\n\t4222  PRO/Wireless 3945ABG [Golan] Network Connection\n\
80ee  InnoTek Systemberatung GmbH\n\tbeef  VirtualBox Graphics Adapter\nC 02  Network controller\n\t80  Network controller\n";

    #[test]
    fn looks_up_vendor_and_device_names() {
        static DB: IdsDb = IdsDb::new(SAMPLE);
        assert_eq!(DB.vendor("8086").as_deref(), Some("Intel Corporation"));
        assert_eq!(
            DB.device("8086", "4222").as_deref(),
            Some("PRO/Wireless 3945ABG [Golan] Network Connection")
        );
        assert_eq!(DB.device("8086", "2561"), None, "subsystem lines are not devices");
        assert_eq!(
            DB.device("80ee", "beef").as_deref(),
            Some("VirtualBox Graphics Adapter")
        );
        assert_eq!(DB.vendor("ffff"), None);
        assert_eq!(DB.vendor("zz"), None);
    }

    #[test]
    fn embedded_databases_know_old_laptop_chips() {
        let names = Names::embedded();
        assert_eq!(names.pci_vendor("8086").as_deref(), Some("Intel Corporation"));
        assert!(names.pci_device("1002", "4c57").unwrap().contains("Radeon 7500"));
        assert!(names.usb_vendor("0951").unwrap().contains("Kingston"));
    }
}
