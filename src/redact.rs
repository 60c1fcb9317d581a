//! Stable placeholders for serial numbers, UUIDs and MAC addresses, so a report or a
//! capture can be shared or committed as a fixture. The same input always gives the same
//! placeholder; nothing of the original value is kept.
//!
//! With a ledger's key (`--redact --ledger PATH`) the machine's identifiers (DMI serial and
//! UUID, wired and Wi-Fi MACs) become their keyed hash instead (`ledger::identity`): still
//! nothing of the value is readable, but the ledger that holds the key recognises the
//! laptop when it is captured again. Placeholders that firmware left stay placeholders.

use crate::ledger::identity::{self, Key, Kind};
use crate::probe::dmi;
use crate::report::HardwareReport;

/// How to redact: with placeholders only (`key: None`), or keeping identity with a
/// ledger's key.
#[derive(Debug, Clone, Copy)]
pub struct Redaction<'a> {
    pub key: Option<&'a Key>,
}

/// What replaces a serial number or UUID.
pub const SERIAL: &str = "REDACTED";

/// A locally administered MAC that depends only on the interface name.
pub fn mac_for(interface: &str) -> String {
    // FNV-1a: tiny, stable across versions and platforms.
    let mut h: u32 = 0x811c9dc5;
    for b in interface.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x01000193);
    }
    let [a, b, c, _] = h.to_be_bytes();
    format!("02:00:00:{a:02x}:{b:02x}:{c:02x}")
}

/// Redact a report in place, with placeholders only.
pub fn report(r: &mut HardwareReport) {
    report_with(r, Redaction { key: None });
}

/// A serial or UUID: its keyed hash when there is a key and the value is real, else the
/// placeholder.
fn identifier(kind: Kind, value: &str, how: Redaction) -> String {
    match how.key {
        Some(key) if dmi::is_real_identifier(value) => key.hide(kind, value),
        _ => SERIAL.to_string(),
    }
}

/// A MAC address: its keyed form when there is a key and it names a card, else the
/// interface's placeholder.
fn mac(value: &str, interface: &str, how: Redaction) -> String {
    let value = value.trim().to_ascii_lowercase();
    match how.key {
        Some(key) if identity::is_identifying_mac(&value) => key.hide(Kind::Mac, &value),
        _ => mac_for(interface),
    }
}

/// Redact a report in place.
pub fn report_with(r: &mut HardwareReport, how: Redaction) {
    r.probe.redacted = true;
    if let Some(s) = &r.machine.serial {
        r.machine.serial = Some(identifier(Kind::Serial, s, how));
    }
    if let Some(u) = &r.machine.uuid {
        r.machine.uuid = Some(identifier(Kind::DmiUuid, u, how));
    }
    for pack in &mut r.battery.packs {
        if pack.serial.is_some() {
            pack.serial = Some(SERIAL.to_string());
        }
    }
    for dev in &mut r.network {
        if let Some(m) = &dev.mac {
            dev.mac = dev.interfaces.first().map(|i| mac(m, i, how));
        }
    }
}

/// The redacted content of a captured file (placeholders only), or `None` when the file
/// is not sensitive. `path` is the file's path inside the capture.
pub fn file(path: &str) -> Option<String> {
    file_with(path, "", Redaction { key: None })
}

/// The redacted content of a captured file whose content was `content`, or `None` when
/// the file is not sensitive.
pub fn file_with(path: &str, content: &str, how: Redaction) -> Option<String> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let in_dmi = path.contains("dmi/id/");
    match name {
        "product_serial" if in_dmi => Some(format!("{}\n", identifier(Kind::Serial, content, how))),
        "product_uuid" if in_dmi => Some(format!("{}\n", identifier(Kind::DmiUuid, content, how))),
        "product_serial" | "board_serial" | "chassis_serial" | "product_uuid" | "serial_number" | "serial" | "wwid"
        | "uuid" => Some(format!("{SERIAL}\n")),
        "address" if path.contains("/net/") => {
            let iface = path.rsplit('/').nth(1).unwrap_or("");
            Some(format!("{}\n", mac(content, iface, how)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_stable_and_local() {
        assert_eq!(mac_for("wlan0"), mac_for("wlan0"));
        assert_ne!(mac_for("wlan0"), mac_for("eth0"));
        assert!(mac_for("eth0").starts_with("02:00:00:"));
        assert_eq!(file("sys/class/dmi/id/product_serial").as_deref(), Some("REDACTED\n"));
        assert_eq!(
            file("sys/devices/pci0000:00/0000:00:19.0/net/eth0/address"),
            Some(format!("{}\n", mac_for("eth0")))
        );
        assert_eq!(file("sys/class/dmi/id/product_name"), None);
        assert_eq!(file("sys/devices/virtual/dmi/id/address"), None);
    }

    #[test]
    fn a_key_keeps_identity_but_not_the_value() {
        let key = Key::from_bytes(&[7; 32]).unwrap();
        let how = Redaction { key: Some(&key) };
        let serial = file_with("sys/class/dmi/id/product_serial", "R9-ABC123\n", how).unwrap();
        assert_eq!(serial, format!("{}\n", key.hide(Kind::Serial, "R9-ABC123")));
        assert!(!serial.contains("ABC"));
        // a placeholder stays one: keyed, it would make every such laptop one machine
        let oem = file_with("sys/class/dmi/id/product_serial", "To be filled by O.E.M.\n", how).unwrap();
        assert_eq!(oem, "REDACTED\n");
        let mac = file_with("sys/class/net/eth0/address", "00:1a:2b:3c:4d:5e\n", how).unwrap();
        assert_eq!(mac.trim(), key.hide(Kind::Mac, "00:1a:2b:3c:4d:5e"));
        let board = file_with("sys/class/dmi/id/board_serial", "XYZ\n", how).unwrap();
        assert_eq!(board, "REDACTED\n");
    }
}
