//! A machine's identity: the facts that survive re-capture and redaction (pure, no SQL).
//!
//! In order of strength: the DMI product UUID and serial where they are real (not a
//! firmware placeholder), the wired and Wi-Fi MAC addresses, and, only when none of those
//! is known, the internal disk's model and size. The ledger never stores a raw value: every
//! identifier is kept as its keyed hash (HMAC-SHA256 with the ledger's own key), and
//! `--redact` with a ledger writes that same keyed form into the report or capture, so a
//! redacted and an unredacted capture of one laptop give the same identifiers.

use hmac::{KeyInit, Mac};

use crate::digest::hex;
use crate::probe::dmi;
use crate::report::{Bus, HardwareReport, NetworkKind};

/// What an identifier is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    DmiUuid,
    Serial,
    Mac,
    Disk,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::DmiUuid => "dmi-uuid",
            Kind::Serial => "serial",
            Kind::Mac => "mac",
            Kind::Disk => "disk",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        [Kind::DmiUuid, Kind::Serial, Kind::Mac, Kind::Disk]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    /// UUID, serial and MAC name one machine; a disk model and size may be shared by a
    /// whole class set of laptops.
    pub fn is_strong(self) -> bool {
        self != Kind::Disk
    }
}

/// One identifying fact as read from a report: a raw value, or one already keyed by a
/// redaction with a ledger's key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Identifier {
    pub kind: Kind,
    pub value: String,
}

/// The prefix of a keyed serial, UUID or disk identifier.
pub const KEYED: &str = "keyed-";
/// The first byte of a keyed MAC address: locally administered, unicast, and unlike the
/// `02:00:00:` placeholders of a redaction without a key.
pub const KEYED_MAC: &str = "06:";

/// The identifying facts of a report, strongest first: DMI UUID, serial, the MACs of
/// built-in (PCI, SDIO) wired and Wi-Fi cards; the disk only when none of those is known. Placeholders are left out; the disk
/// only when nothing stronger is known.
pub fn identifiers(report: &HardwareReport) -> Vec<Identifier> {
    let mut out = Vec::new();
    let m = &report.machine;
    if let Some(uuid) = m.uuid.as_deref().map(str::trim)
        && dmi::is_real_identifier(uuid)
    {
        out.push(Identifier {
            kind: Kind::DmiUuid,
            value: uuid.to_ascii_lowercase(),
        });
    }
    if let Some(serial) = m.serial.as_deref().map(str::trim)
        && dmi::is_real_identifier(serial)
    {
        out.push(Identifier {
            kind: Kind::Serial,
            value: serial.to_string(),
        });
    }
    let mut macs: Vec<String> = report
        .network
        .iter()
        .filter(|d| matches!(d.kind, NetworkKind::Ethernet | NetworkKind::Wifi))
        // a USB adapter goes from laptop to laptop (one dongle for a whole room's captures)
        .filter(|d| d.ids.bus != Bus::Usb)
        .filter_map(|d| d.mac.as_deref())
        .map(|m| m.trim().to_ascii_lowercase())
        .filter(|m| is_identifying_mac(m))
        .collect();
    macs.sort();
    macs.dedup();
    out.extend(macs.into_iter().map(|value| Identifier { kind: Kind::Mac, value }));
    if out.is_empty()
        && let Some(disk) = internal_disk(report)
    {
        out.push(Identifier {
            kind: Kind::Disk,
            value: disk,
        });
    }
    out
}

/// `model|size` of the install target, when either is known.
fn internal_disk(report: &HardwareReport) -> Option<String> {
    let target = report.storage.install_target.as_ref()?;
    let disk = report.storage.disks.iter().find(|d| &d.name == target)?;
    disk_value(disk.model.as_deref(), disk.size_bytes)
}

/// A disk's identifier value, `model|size` (the ledger's [`Kind::Disk`]), when either is
/// known: the same for the install target of a report and for a disk `erase` reads.
pub fn disk_value(model: Option<&str>, size_bytes: Option<u64>) -> Option<String> {
    let model = model.map(str::trim).unwrap_or("");
    if model.is_empty() && size_bytes.is_none() {
        return None;
    }
    Some(format!(
        "{}|{}",
        model,
        size_bytes.map(|s| s.to_string()).unwrap_or_default()
    ))
}

/// A MAC that names a card: six hex pairs, not all zeros or all ones, and either
/// universally administered (the maker's) or keyed by a redaction. Other locally
/// administered ones are a redaction's `02:00:00:` placeholders or random addresses.
pub fn is_identifying_mac(mac: &str) -> bool {
    let parts: Vec<&str> = mac.split(':').collect();
    let hex = parts.len() == 6
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_hexdigit()));
    if !hex || mac == "00:00:00:00:00:00" || mac.eq_ignore_ascii_case("ff:ff:ff:ff:ff:ff") {
        return false;
    }
    let first = u8::from_str_radix(parts[0], 16).unwrap_or(0);
    first & 0x02 == 0 || mac.starts_with(KEYED_MAC)
}

/// The ledger's secret for keyed hashes: 32 random bytes made when the ledger is created,
/// kept in it, never printed (no `Debug` of the bytes).
#[derive(Clone)]
pub struct Key([u8; 32]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(..)")
    }
}

impl Key {
    pub fn random() -> Key {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).expect("the system has a random source");
        Key(bytes)
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Key> {
        Some(Key(bytes.try_into().ok()?))
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    fn mac_of(&self, kind: Kind, value: &str) -> Vec<u8> {
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&self.0).expect("any key length");
        mac.update(kind.as_str().as_bytes());
        mac.update(b":");
        mac.update(value.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }

    /// The keyed form of a value: what the ledger stores and what `--redact` with this
    /// ledger writes. A value that is keyed already is kept as it is.
    pub fn hide(&self, kind: Kind, value: &str) -> String {
        let value = value.trim();
        if is_keyed(kind, value) {
            return value.to_ascii_lowercase();
        }
        match kind {
            Kind::Mac => {
                let h = self.mac_of(kind, &value.to_ascii_lowercase());
                format!(
                    "{KEYED_MAC}{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
                    h[0], h[1], h[2], h[3], h[4]
                )
            }
            Kind::DmiUuid => format!("{KEYED}{}", hex(&self.mac_of(kind, &value.to_ascii_lowercase())[..12])),
            Kind::Serial | Kind::Disk => format!("{KEYED}{}", hex(&self.mac_of(kind, value)[..12])),
        }
    }
}

/// Whether `value` is the keyed form of its kind already.
pub fn is_keyed(kind: Kind, value: &str) -> bool {
    match kind {
        Kind::Mac => value.to_ascii_lowercase().starts_with(KEYED_MAC),
        _ => value.starts_with(KEYED) && value.len() == KEYED.len() + 24,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyed_values_are_stable_per_key_and_kept_when_keyed_already() {
        let a = Key::from_bytes(&[1; 32]).unwrap();
        let b = Key::from_bytes(&[2; 32]).unwrap();
        let s = a.hide(Kind::Serial, "R9-ABC123");
        assert_eq!(s, a.hide(Kind::Serial, " R9-ABC123\n"));
        assert_ne!(s, b.hide(Kind::Serial, "R9-ABC123"));
        assert!(s.starts_with(KEYED) && !s.contains("ABC"));
        assert_eq!(a.hide(Kind::Serial, &s), s, "keyed twice is keyed once");
        let mac = a.hide(Kind::Mac, "00:1A:2B:3C:4D:5E");
        assert_eq!(mac, a.hide(Kind::Mac, "00:1a:2b:3c:4d:5e"));
        assert!(mac.starts_with(KEYED_MAC) && is_identifying_mac(&mac), "{mac}");
        assert_eq!(a.hide(Kind::Mac, &mac), mac);
        assert_eq!(format!("{a:?}"), "Key(..)");
    }

    #[test]
    fn placeholder_macs_do_not_identify() {
        assert!(is_identifying_mac("00:1a:2b:3c:4d:5e"));
        assert!(!is_identifying_mac("02:00:00:12:34:56"), "redaction placeholder");
        assert!(!is_identifying_mac("da:a1:19:00:00:01"), "random address");
        assert!(!is_identifying_mac("00:00:00:00:00:00"));
        assert!(!is_identifying_mac("ff:ff:ff:ff:ff:ff"));
        assert!(!is_identifying_mac("nonsense"));
    }
}
