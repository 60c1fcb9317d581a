//! Stable placeholders for serial numbers, UUIDs and MAC addresses, so a report or a
//! capture can be shared or committed as a fixture. The same input always gives the same
//! placeholder; nothing of the original value is kept.

use crate::report::HardwareReport;

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

/// Redact a report in place.
pub fn report(r: &mut HardwareReport) {
    r.probe.redacted = true;
    if r.machine.serial.is_some() {
        r.machine.serial = Some(SERIAL.to_string());
    }
    for pack in &mut r.battery.packs {
        if pack.serial.is_some() {
            pack.serial = Some(SERIAL.to_string());
        }
    }
    for dev in &mut r.network {
        if dev.mac.is_some() {
            dev.mac = dev.interfaces.first().map(|i| mac_for(i));
        }
    }
}

/// The redacted content of a captured file, or `None` when the file is not sensitive.
/// `path` is the file's path inside the capture.
pub fn file(path: &str) -> Option<String> {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name {
        "product_serial" | "board_serial" | "chassis_serial" | "product_uuid" | "serial_number" | "serial" | "wwid"
        | "uuid" => Some(format!("{SERIAL}\n")),
        "address" if path.contains("/net/") => {
            let iface = path.rsplit('/').nth(1).unwrap_or("");
            Some(format!("{}\n", mac_for(iface)))
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
}
