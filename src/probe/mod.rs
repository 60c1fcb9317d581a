//! Probe: read a machine's facts from a (live or captured) `/proc` + `/sys` tree.
//!
//! Each section has its own file with a pure `parse_*` part tested on pasted real file
//! contents, and a small reading part that goes through [`SysRoot`]. Missing facts are
//! data: an absent or garbled file becomes `None` plus a [`Warning`]; the probe only
//! fails when the root itself is unusable. The probe never writes.

pub mod battery;
pub mod cpu;
pub mod display;
pub mod dmi;
pub mod firmware;
pub mod host;
pub mod ids;
pub mod memory;
pub mod network;
pub mod pci;
pub mod root;
pub mod storage;

use std::path::PathBuf;
use std::str::FromStr;

pub use root::{Access, ReadError, SysRoot};

use crate::fwmap::FirmwareMap;
use crate::l10n::Said;
use crate::report::{HardwareReport, ProbeInfo, ProbeSource, SCHEMA, Warning};

/// Why a probe could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    #[error("root {0} does not exist")]
    RootMissing(PathBuf),
    #[error("root {0} is not a directory")]
    RootNotDir(PathBuf),
    #[error("root {0} holds neither proc/ nor sys/: is it the top of a capture?")]
    RootEmpty(PathBuf),
}

impl ProbeError {
    /// The same error naming `root` instead of the folder probed (a capture's temp dir).
    pub fn naming(self, root: &std::path::Path) -> ProbeError {
        let root = root.to_path_buf();
        match self {
            ProbeError::RootMissing(_) => ProbeError::RootMissing(root),
            ProbeError::RootNotDir(_) => ProbeError::RootNotDir(root),
            ProbeError::RootEmpty(_) => ProbeError::RootEmpty(root),
        }
    }
}

impl crate::l10n::Localize for ProbeError {
    fn localize(&self, lang: crate::l10n::Lang) -> String {
        let (id, root) = match self {
            ProbeError::RootMissing(r) => ("err-probe-root-missing", r),
            ProbeError::RootNotDir(r) => ("err-probe-root-not-dir", r),
            ProbeError::RootEmpty(r) => ("err-probe-root-empty", r),
        };
        crate::l10n::format(lang, id, &[("root", root.display().to_string().into())])
    }
}

/// Probe the tree at `root` into a report.
pub fn probe(root: &SysRoot, fwmap: &FirmwareMap) -> Result<HardwareReport, ProbeError> {
    let base = root.base().to_path_buf();
    if !base.exists() {
        return Err(ProbeError::RootMissing(base));
    }
    if !base.is_dir() {
        return Err(ProbeError::RootNotDir(base));
    }
    // Inside the root: a capture whose `sys` is a symlink to the host's is empty.
    if !root.has_dir("proc") && !root.has_dir("sys") {
        return Err(ProbeError::RootEmpty(base));
    }

    let mut facts = Facts::new(root);
    let machine = dmi::probe(&mut facts);
    let cpu = cpu::probe(&mut facts);
    let firmware = firmware::probe(&mut facts, &cpu);
    let memory = memory::probe(&mut facts);
    let mut storage = storage::probe(&mut facts);
    let pci = pci::probe(&mut facts);
    let names = ids::Names::embedded();
    storage.controllers = storage::controllers(&pci, &names);
    let graphics = pci::graphics(&pci, &names, fwmap);
    let network = network::probe(&mut facts, &pci, &names, fwmap);
    let battery = battery::probe(&mut facts);
    let display = display::probe(&mut facts);
    let live = root.is_live().then(host::probe);

    Ok(HardwareReport {
        schema: SCHEMA.to_string(),
        probe: ProbeInfo {
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            source: if root.is_live() {
                ProbeSource::Live
            } else {
                ProbeSource::Captured
            },
            redacted: false,
            firmware_data: fwmap.release().to_string(),
        },
        machine,
        firmware,
        cpu,
        memory,
        storage,
        graphics,
        network,
        battery,
        display,
        live,
        warnings: facts.warnings,
    })
}

/// The warnings the probe writes, as a report holds them (English, a line of a log that
/// stays the same in every language) and the message that says each in the terminal's
/// language: `{}` stands for the value the message quotes. A new `warn` text needs its
/// line here (a test probes every fixture and the hostile captures and finds no warning
/// said as it is).
const WARNINGS: &[(&str, &str)] = &[
    ("missing", "warn-missing"),
    ("missing: CPU facts are unknown", "warn-cpu-missing"),
    ("no processor entries could be parsed", "warn-cpu-unparsable"),
    ("no DMI data: vendor, model and BIOS are unknown", "warn-dmi-missing"),
    (
        "UEFI bitness unknown (kernels before 4.6 lack this file)",
        "warn-uefi-bitness",
    ),
    ("missing: installed RAM is unknown", "warn-ram-missing"),
    ("no parsable MemTotal line", "warn-ram-unparsable"),
    ("not valid UTF-8: invalid bytes replaced", "warn-not-utf8"),
    ("file too large: only the first 4 MiB were read", "warn-too-large"),
    ("unparsable value {}", "warn-unparsable-value"),
    ("unparsable id {}", "warn-unparsable-id"),
    (
        "PCI device without readable vendor/device ids: skipped",
        "warn-pci-no-ids",
    ),
    ("skipped: {}", "warn-disk-skipped"),
    ("disk size unknown", "warn-disk-size"),
    ("missing: HDD or SSD unknown", "warn-rotational-missing"),
    (
        "battery capacity unknown (no energy_full/charge_full with a design value)",
        "warn-battery-capacity",
    ),
    (
        "network interface on a bus the probe does not read ({})",
        "warn-network-bus",
    ),
    ("not readable (needs root?)", "warn-permission"),
    (
        "a directory, not a regular file: not read",
        "warn-not-regular-directory",
    ),
    ("a FIFO, not a regular file: not read", "warn-not-regular-fifo"),
    (
        "a character device, not a regular file: not read",
        "warn-not-regular-char",
    ),
    ("a block device, not a regular file: not read", "warn-not-regular-block"),
    ("a socket, not a regular file: not read", "warn-not-regular-socket"),
    ("a symlink, not a regular file: not read", "warn-not-regular-symlink"),
    (
        "not a regular file, not a regular file: not read",
        "warn-not-regular-other",
    ),
    (
        "symlink to {} leads out of the capture: not followed",
        "warn-outside-root",
    ),
    ("too many symlinks (a loop?): not followed", "warn-too-many-links"),
];

/// A report's warning message (see [`WARNINGS`]) as something said; a message of another
/// probe (a newer upcycle's report, an operating system's error text) is said as it is.
pub fn warning_said(message: &str) -> Said {
    for (pattern, id) in WARNINGS {
        match pattern.split_once("{}") {
            None if message == *pattern => return Said::new(id),
            Some((before, after))
                if message.len() >= before.len() + after.len()
                    && message.starts_with(before)
                    && message.ends_with(after) =>
            {
                let value = &message[before.len()..message.len() - after.len()];
                return Said::new(id).arg("value", value);
            }
            _ => {}
        }
    }
    Said::verbatim(message)
}

/// Reads values through the root and collects warnings about the ones that failed.
pub struct Facts<'a> {
    pub root: &'a SysRoot,
    pub warnings: Vec<Warning>,
}

impl<'a> Facts<'a> {
    pub fn new(root: &'a SysRoot) -> Self {
        Facts {
            root,
            warnings: Vec::new(),
        }
    }

    pub fn warn(&mut self, path: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            path: path.to_string(),
            message: message.into(),
        });
    }

    /// Warn unless this path already has a warning (e.g. "unparsable" says it all).
    pub fn warn_once(&mut self, path: &str, message: impl Into<String>) {
        if !self.warnings.iter().any(|w| w.path == path) {
            self.warn(path, message);
        }
    }

    /// A whole file, or `None`. A missing file is silent (many files are optional);
    /// an unreadable, cut or non-UTF-8 one is a warning.
    pub fn file(&mut self, rel: &str) -> Option<String> {
        match self.root.read(rel) {
            Ok(t) => {
                if t.lossy {
                    self.warn(rel, "not valid UTF-8: invalid bytes replaced");
                }
                if t.truncated {
                    self.warn(rel, "file too large: only the first 4 MiB were read");
                }
                Some(t.text)
            }
            Err(ReadError::Missing) => None,
            Err(e) => {
                self.warn(rel, e.describe());
                None
            }
        }
    }

    /// A one-line sysfs value, trimmed; empty counts as absent.
    pub fn value(&mut self, rel: &str) -> Option<String> {
        let text = self.file(rel)?;
        let v = text.trim();
        (!v.is_empty()).then(|| v.to_string())
    }

    /// Like [`Facts::value`], but a missing file is a warning too.
    pub fn wanted(&mut self, rel: &str) -> Option<String> {
        match self.root.read(rel) {
            Err(ReadError::Missing) => {
                self.warn(rel, "missing");
                None
            }
            _ => self.value(rel),
        }
    }

    /// A value parsed as `T`; unparsable text is a warning.
    pub fn parsed<T: FromStr>(&mut self, rel: &str) -> Option<T> {
        let v = self.value(rel)?;
        match v.parse() {
            Ok(x) => Some(x),
            Err(_) => {
                self.warn(rel, format!("unparsable value {:?}", shorten(&v)));
                None
            }
        }
    }
}

/// At most 60 characters of a value, for messages.
pub fn shorten(s: &str) -> String {
    if s.chars().count() <= 60 {
        s.to_string()
    } else {
        s.chars().take(57).collect::<String>() + "..."
    }
}

/// Parse a sysfs hex value such as `0x8086` into four (or six) lowercase digits.
pub fn parse_hex_id(s: &str, digits: usize) -> Option<String> {
    let t = s.trim();
    let t = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")).unwrap_or(t);
    let n = u32::from_str_radix(t, 16).ok()?;
    if digits < 8 && n >= 1 << (4 * digits) {
        return None;
    }
    Some(format!("{:0width$x}", n, width = digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_ids() {
        assert_eq!(parse_hex_id("0x8086\n", 4).as_deref(), Some("8086"));
        assert_eq!(parse_hex_id("0x028000\n", 6).as_deref(), Some("028000"));
        assert_eq!(parse_hex_id("14E4", 4).as_deref(), Some("14e4"));
        assert_eq!(parse_hex_id("0x123456", 4), None);
        assert_eq!(parse_hex_id("junk", 4), None);
    }

    #[test]
    fn every_warning_is_said_in_both_languages() {
        use crate::l10n::{Lang, has, say};
        use root::ReadError;
        for (pattern, id) in WARNINGS {
            assert!(has(id), "{id}");
            let message = pattern.replace("{}", "\"x\"");
            let said = warning_said(&message);
            assert_eq!(said.code, *id, "{message}");
            // English says what the report holds, German something else
            assert_eq!(say(Lang::En, &said), message);
            assert_ne!(say(Lang::De, &said), message);
        }
        // every reason a file was not read
        for e in [
            ReadError::PermissionDenied,
            ReadError::NotRegular("a directory"),
            ReadError::NotRegular("a FIFO"),
            ReadError::NotRegular("a character device"),
            ReadError::NotRegular("a socket"),
            ReadError::OutsideRoot("/etc/shadow".into()),
            ReadError::TooManyLinks,
        ] {
            assert_ne!(warning_said(&e.describe()).code, "verbatim", "{e:?}");
        }
        assert_eq!(
            say(
                Lang::De,
                &warning_said("symlink to /etc/shadow leads out of the capture: not followed")
            ),
            "symbolische Verknüpfung nach /etc/shadow führt aus der Erfassung hinaus: nicht gefolgt"
        );
        // another probe's words stay as they are
        assert_eq!(
            say(Lang::De, &warning_said("Input/output error (os error 5)")),
            "Input/output error (os error 5)"
        );
    }
}
