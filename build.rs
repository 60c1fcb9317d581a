//! Build step: embed trimmed copies of the pci.ids and usb.ids databases. The probe only
//! names vendors and devices, so subsystem lines and the class sections are dropped
//! (about 0.6 MB less in a binary that must stay small for old laptops).

use std::path::Path;

fn trim(text: &str) -> String {
    let mut out = String::with_capacity(text.len() / 2);
    for line in text.lines() {
        // The device-class sections (`C 02  Network controller`, ...) come last.
        if line.starts_with("C ") {
            break;
        }
        if line.starts_with('#') || line.starts_with("\t\t") || line.is_empty() {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for name in ["pci.ids", "usb.ids"] {
        let src = Path::new("data/ids").join(name);
        println!("cargo::rerun-if-changed={}", src.display());
        let bytes = std::fs::read(&src).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
        // usb.ids is ISO-8859-1 in places; keep it readable as UTF-8.
        let text = String::from_utf8_lossy(&bytes);
        // The database's own version (`# Version: 2023.04.10`) for `upcycle --version`.
        let version = text
            .lines()
            .take(40)
            .find_map(|l| l.trim_start_matches(['#', ' ', '\t']).strip_prefix("Version:"))
            .map(str::trim)
            .unwrap_or("?");
        let var = name.replace('.', "_").to_uppercase();
        println!("cargo::rustc-env=UPCYCLE_{var}_VERSION={version}");
        std::fs::write(Path::new(&out).join(name), trim(&text)).expect("OUT_DIR is writable");
    }
}
