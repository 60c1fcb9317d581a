//! Machine identity from DMI (`sys/class/dmi/id/*`), with the vendor quirks that make a
//! model name readable.

use super::Facts;
use crate::report::Machine;

const DMI: &str = "sys/class/dmi/id";

pub fn probe(f: &mut Facts) -> Machine {
    if !f.root.exists(DMI) {
        f.warn(DMI, "no DMI data: vendor, model and BIOS are unknown");
        return Machine::default();
    }
    let mut get = |name: &str| f.wanted(&format!("{DMI}/{name}"));
    let vendor = get("sys_vendor");
    let product = get("product_name");
    let version = get("product_version");
    let family = f.value(&format!("{DMI}/product_family"));
    let serial = f.wanted(&format!("{DMI}/product_serial"));
    // root-only like the serial, but no warning: reports of non-root probes would all carry one
    let uuid = f.value(&format!("{DMI}/product_uuid"));
    let chassis_type = f.parsed::<u8>(&format!("{DMI}/chassis_type"));
    let bios_vendor = f.wanted(&format!("{DMI}/bios_vendor"));
    let bios_version = f.wanted(&format!("{DMI}/bios_version"));
    let bios_date = f.wanted(&format!("{DMI}/bios_date"));
    Machine {
        model: model_name(vendor.as_deref(), product.as_deref(), version.as_deref()),
        chassis: chassis_type.and_then(chassis_name).map(str::to_string),
        bios_year: bios_date.as_deref().and_then(parse_bios_year),
        vendor,
        product,
        version,
        family,
        serial,
        uuid,
        chassis_type,
        bios_vendor,
        bios_version,
        bios_date,
    }
}

/// Values firmware vendors leave in unset DMI fields.
pub fn is_placeholder(s: &str) -> bool {
    const JUNK: &[&str] = &[
        "",
        "to be filled by o.e.m.",
        "to be filled by oem",
        "system product name",
        "system manufacturer",
        "system version",
        "not available",
        "not applicable",
        "not specified",
        "none",
        "default string",
        "o.e.m.",
        "oem",
        "0123456789",
        "123456789",
        "x.x",
    ];
    JUNK.contains(&s.trim().to_ascii_lowercase().as_str())
}

/// Serials and UUIDs firmware leaves unset: the placeholders above and more (`Not
/// Specified`, `$(DEFAULT_STRING)`, `System Serial Number`), a redaction's `REDACTED`, one
/// character repeated (`0000000000`, `FFFFFFFF-FFFF-...`), and AMI's placeholder UUID.
pub fn is_real_identifier(s: &str) -> bool {
    const JUNK: &[&str] = &[
        "$(default_string)",
        "system serial number",
        "chassis serial number",
        "serial number",
        "serial",
        "n/a",
        "na",
        "unknown",
        "invalid",
        "xxxxxxxxxx",
        "1234567890",
        "03000200-0400-0500-0006-000700080009",
        "redacted",
    ];
    let t = s.trim().to_ascii_lowercase();
    let mut chars = t.chars().filter(|c| *c != '-' && *c != ' ');
    let one_char = match chars.next() {
        Some(first) => chars.all(|c| c == first),
        None => true,
    };
    !(is_placeholder(&t) || JUNK.contains(&t.as_str()) || one_char || t.len() < 3)
}

/// The model a person would name. IBM and Lenovo store the machine type (`2373-42G`,
/// `4286CTO`) in `product_name` and the marketing name in `product_version`.
pub fn model_name(vendor: Option<&str>, product: Option<&str>, version: Option<&str>) -> Option<String> {
    let useful = |s: Option<&str>| s.map(str::trim).filter(|s| !is_placeholder(s)).map(str::to_string);
    let vendor_uc = vendor.unwrap_or("").trim().to_ascii_uppercase();
    if (vendor_uc == "LENOVO" || vendor_uc == "IBM")
        && let Some(v) = useful(version)
    {
        return Some(match useful(product) {
            Some(p) if vendor_uc == "IBM" => format!("{v} ({p})"),
            _ => v,
        });
    }
    useful(product)
}

/// SMBIOS 3.x chassis type codes (DSP0134, table "System Enclosure or Chassis Types").
pub fn chassis_name(code: u8) -> Option<&'static str> {
    Some(match code {
        1 => "other",
        2 => "unknown",
        3 => "desktop",
        4 => "low profile desktop",
        5 => "pizza box",
        6 => "mini tower",
        7 => "tower",
        8 => "portable",
        9 => "laptop",
        10 => "notebook",
        11 => "hand held",
        12 => "docking station",
        13 => "all in one",
        14 => "sub notebook",
        15 => "space-saving",
        16 => "lunch box",
        17 => "main server chassis",
        18 => "expansion chassis",
        19 => "subchassis",
        20 => "bus expansion chassis",
        21 => "peripheral chassis",
        22 => "raid chassis",
        23 => "rack mount chassis",
        24 => "sealed-case pc",
        25 => "multi-system chassis",
        26 => "compact pci",
        27 => "advanced tca",
        28 => "blade",
        29 => "blade enclosure",
        30 => "tablet",
        31 => "convertible",
        32 => "detachable",
        33 => "iot gateway",
        34 => "embedded pc",
        35 => "mini pc",
        36 => "stick pc",
        _ => return None,
    })
}

/// The year of a BIOS date: `MM/DD/YYYY` (the kernel's form), `MM/DD/YY`, or `YYYY-MM-DD`.
pub fn parse_bios_year(date: &str) -> Option<u16> {
    let d = date.trim();
    let year = if let Some((y, _)) = d.split_once('-') {
        y.parse::<u16>().ok()?
    } else {
        let y = d.rsplit('/').next()?;
        let n = y.parse::<u16>().ok()?;
        match y.len() {
            4 => n,
            2 if n < 70 => 2000 + n,
            2 => 1900 + n,
            _ => return None,
        }
    };
    (1985..=2100).contains(&year).then_some(year)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thinkpad_names_come_from_the_version_field() {
        assert_eq!(
            model_name(Some("LENOVO"), Some("4286CTO"), Some("ThinkPad X220")).as_deref(),
            Some("ThinkPad X220")
        );
        assert_eq!(
            model_name(Some("IBM"), Some("237342G"), Some("ThinkPad T40 ")).as_deref(),
            Some("ThinkPad T40 (237342G)")
        );
        assert_eq!(
            model_name(Some("Dell Inc."), Some("Latitude D620                   "), Some("")).as_deref(),
            Some("Latitude D620")
        );
        assert_eq!(
            model_name(Some("LENOVO"), Some("20AN"), Some("Not Available")).as_deref(),
            Some("20AN")
        );
        assert_eq!(model_name(None, Some("To Be Filled By O.E.M."), None), None);
    }

    #[test]
    fn placeholder_identifiers_are_not_real() {
        for junk in [
            "To be filled by O.E.M.",
            "0123456789",
            "$(DEFAULT_STRING)",
            "Not Specified",
            "00000000-0000-0000-0000-000000000000",
            "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
            "03000200-0400-0500-0006-000700080009",
            "REDACTED",
            "System Serial Number",
            "  ",
        ] {
            assert!(!is_real_identifier(junk), "{junk}");
        }
        assert!(is_real_identifier("R9-0ABCD 08/11"));
        assert!(is_real_identifier("4C4C4544-0042-3010-8034-B4C04F4E3132"));
    }

    #[test]
    fn bios_years() {
        assert_eq!(parse_bios_year("07/18/2013"), Some(2013));
        assert_eq!(parse_bios_year("10/21/09"), Some(2009));
        assert_eq!(parse_bios_year("2004-05-06"), Some(2004));
        assert_eq!(parse_bios_year("garbage"), None);
        assert_eq!(parse_bios_year("01/01/1900"), None);
    }

    #[test]
    fn chassis_codes() {
        assert_eq!(chassis_name(10), Some("notebook"));
        assert_eq!(chassis_name(31), Some("convertible"));
        assert_eq!(chassis_name(200), None);
    }
}
