//! What the drive says about itself, from the ecosystem's tools: `hdparm -I` (ATA security
//! and sanitize), `hdparm -N` / `hdparm --dco-identify` (hidden areas), `nvme id-ctrl -o json`
//! (format and sanitize capabilities) and `smartctl -j -a` (identity and health). The parsers
//! are pure and tested on pasted real outputs (`testdata/`, sources in its README); [`run`]
//! calls a tool when it is installed and names its Debian package when it is not.

use std::path::Path;
use std::process::Command;

use serde::{Deserialize, Serialize};

use crate::l10n::Said;

/// The ATA Security and Sanitize state from `hdparm -I`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AtaSecurity {
    /// The Security feature set is supported.
    pub supported: bool,
    /// A user password is set (a security erase sets one for its duration).
    pub enabled: bool,
    /// Locked by a password: nothing can be written until unlocked.
    pub locked: bool,
    /// Frozen by the firmware at boot: no security command is accepted until a suspend to
    /// RAM and resume (or a hot-plug).
    pub frozen: bool,
    pub enhanced_erase_supported: bool,
    /// The drive's own estimate for SECURITY ERASE UNIT, in minutes.
    pub erase_minutes: Option<u32>,
    /// The drive's own estimate for ENHANCED SECURITY ERASE UNIT, in minutes.
    pub enhanced_erase_minutes: Option<u32>,
    /// The SANITIZE feature set (ACS-2 and later).
    pub sanitize_supported: bool,
    pub sanitize_block_erase: bool,
    pub sanitize_crypto_scramble: bool,
    pub sanitize_overwrite: bool,
    /// "Nominal Media Rotation Rate: Solid State Device".
    pub solid_state: Option<bool>,
    pub model: Option<String>,
    pub serial: Option<String>,
    pub firmware: Option<String>,
}

/// Parse `hdparm -I` output. `None` when the text holds no ATA identity at all (a USB bridge
/// that does not pass the command through, an NVMe disk).
pub fn parse_hdparm_identify(text: &str) -> Option<AtaSecurity> {
    let mut s = AtaSecurity::default();
    let mut seen = false;
    let mut in_security = false;
    for raw in text.lines() {
        let line = raw.trim();
        if let Some(v) = line.strip_prefix("Model Number:") {
            s.model = non_empty(v);
            seen = true;
        } else if let Some(v) = line.strip_prefix("Serial Number:") {
            s.serial = non_empty(v);
        } else if let Some(v) = line.strip_prefix("Firmware Revision:") {
            s.firmware = non_empty(v);
        } else if let Some(v) = line.strip_prefix("Nominal Media Rotation Rate:") {
            s.solid_state = Some(v.trim() == "Solid State Device");
        }
        if !raw.starts_with([' ', '\t']) {
            in_security = line.starts_with("Security:");
            continue;
        }
        // Feature lines: "*\tSANITIZE feature set" (enabled) or just the name (supported).
        let feature = line.trim_start_matches('*').trim();
        match feature {
            "SANITIZE feature set" => s.sanitize_supported = true,
            "BLOCK_ERASE_EXT command" => s.sanitize_block_erase = true,
            "CRYPTO_SCRAMBLE_EXT command" => s.sanitize_crypto_scramble = true,
            "OVERWRITE_EXT command" => s.sanitize_overwrite = true,
            _ => {}
        }
        if !in_security {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        let (negated, rest) = match words.first() {
            Some(&"not") => (true, &words[1..]),
            _ => (false, &words[..]),
        };
        match rest {
            ["supported"] => s.supported = !negated,
            ["enabled"] => s.enabled = !negated,
            ["locked"] => s.locked = !negated,
            ["frozen"] => s.frozen = !negated,
            ["supported:", "enhanced", "erase"] => s.enhanced_erase_supported = !negated,
            _ => {}
        }
        if line.contains("min for") {
            for part in line.split('.') {
                let part = part.trim();
                let minutes = part
                    .split("min for")
                    .next()
                    .and_then(|m| m.trim().trim_start_matches("more than ").parse::<u32>().ok());
                if part.ends_with("min for ENHANCED SECURITY ERASE UNIT") {
                    s.enhanced_erase_minutes = minutes;
                } else if part.ends_with("min for SECURITY ERASE UNIT") {
                    s.erase_minutes = minutes;
                }
            }
        }
    }
    seen.then_some(s)
}

/// `hdparm -N`: visible and native max sectors. An HPA hides `native - visible` sectors.
/// `None` for an answer that cannot be right (USB bridges print `0/1`).
pub fn parse_hdparm_max_sectors(text: &str) -> Option<(u64, u64)> {
    let rest = text.lines().find_map(|l| l.trim().strip_prefix("max sectors"))?;
    let rest = rest.trim_start().strip_prefix('=')?.trim();
    let numbers = rest.split([',', ' ']).next()?;
    let (visible, native) = numbers.split_once('/')?;
    let (visible, native) = (visible.parse::<u64>().ok()?, native.parse::<u64>().ok()?);
    (visible > 1 && native >= visible && !text.contains("seems invalid")).then_some((visible, native))
}

/// `hdparm --dco-identify`: the real max sectors a DCO may hide from the native max.
pub fn parse_hdparm_dco(text: &str) -> Option<u64> {
    text.lines()
        .find_map(|l| l.trim().strip_prefix("Real max sectors:"))
        .and_then(|v| v.trim().parse().ok())
}

/// What `nvme id-ctrl -o json` says about erasing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NvmeCaps {
    pub model: Option<String>,
    pub serial: Option<String>,
    pub firmware: Option<String>,
    /// OACS bit 1: the Format NVM command.
    pub format_supported: bool,
    /// FNA bit 2: Format NVM may do a cryptographic erase (SES=2).
    pub format_crypto_erase: bool,
    /// SANICAP bit 0.
    pub sanitize_crypto_erase: bool,
    /// SANICAP bit 1.
    pub sanitize_block_erase: bool,
    /// SANICAP bit 2.
    pub sanitize_overwrite: bool,
}

pub fn parse_nvme_id_ctrl(json: &str) -> Option<NvmeCaps> {
    let v: serde_json::Value = serde_json::from_str(json).ok()?;
    let num = |k: &str| v.get(k).and_then(serde_json::Value::as_u64).unwrap_or(0);
    let text = |k: &str| v.get(k).and_then(serde_json::Value::as_str).and_then(non_empty);
    let (oacs, fna, sanicap) = (num("oacs"), num("fna"), num("sanicap"));
    Some(NvmeCaps {
        model: text("mn"),
        serial: text("sn"),
        firmware: text("fr"),
        format_supported: oacs & 0b10 != 0,
        format_crypto_erase: fna & 0b100 != 0,
        sanitize_crypto_erase: sanicap & 0b1 != 0,
        sanitize_block_erase: sanicap & 0b10 != 0,
        sanitize_overwrite: sanicap & 0b100 != 0,
    })
}

/// The health facts of `smartctl -j -a` (ATA attributes or the NVMe health log).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Smart {
    pub model: Option<String>,
    pub serial: Option<String>,
    pub firmware: Option<String>,
    /// smartctl's own version, e.g. `7.3`.
    pub smartctl_version: Option<String>,
    /// The drive's overall self-assessment (`smart_status.passed`).
    pub passed: Option<bool>,
    pub power_on_hours: Option<u64>,
    /// ATA attribute 5, raw.
    pub reallocated_sectors: Option<u64>,
    /// ATA attribute 197, raw.
    pub pending_sectors: Option<u64>,
    /// ATA attribute 198, raw.
    pub offline_uncorrectable: Option<u64>,
    /// NVMe (and some SATA SSDs' attribute 231/233 normalised): vendor estimate of life used.
    pub percentage_used: Option<u64>,
    pub available_spare: Option<u64>,
    pub available_spare_threshold: Option<u64>,
    pub critical_warning: Option<u64>,
    pub media_errors: Option<u64>,
}

pub fn parse_smartctl(json: &str) -> Option<Smart> {
    let v: serde_json::Value = serde_json::from_str(json).ok()?;
    let at = |path: &[&str]| path.iter().try_fold(&v, |v, k| v.get(k));
    let num = |path: &[&str]| at(path).and_then(serde_json::Value::as_u64);
    let text = |path: &[&str]| at(path).and_then(serde_json::Value::as_str).and_then(non_empty);
    let attribute = |id: u64| {
        at(&["ata_smart_attributes", "table"])
            .and_then(serde_json::Value::as_array)?
            .iter()
            .find(|a| a.get("id").and_then(serde_json::Value::as_u64) == Some(id))
            .and_then(|a| a.get("raw")?.get("value")?.as_u64())
    };
    let version = at(&["smartctl", "version"])
        .and_then(serde_json::Value::as_array)
        .map(|parts| {
            parts
                .iter()
                .filter_map(serde_json::Value::as_u64)
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(".")
        });
    let nvme = |k: &str| num(&["nvme_smart_health_information_log", k]);
    Some(Smart {
        model: text(&["model_name"]),
        serial: text(&["serial_number"]),
        firmware: text(&["firmware_version"]),
        smartctl_version: version,
        passed: at(&["smart_status", "passed"]).and_then(serde_json::Value::as_bool),
        power_on_hours: num(&["power_on_time", "hours"]).or_else(|| nvme("power_on_hours")),
        reallocated_sectors: attribute(5),
        pending_sectors: attribute(197),
        offline_uncorrectable: attribute(198),
        percentage_used: nvme("percentage_used"),
        available_spare: nvme("available_spare"),
        available_spare_threshold: nvme("available_spare_threshold"),
        critical_warning: nvme("critical_warning"),
        media_errors: nvme("media_errors"),
    })
}

fn non_empty(v: &str) -> Option<String> {
    let v = v.trim();
    (!v.is_empty()).then(|| v.to_string())
}

/// An external tool: its command and the Debian package that has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tool {
    pub command: &'static str,
    pub package: &'static str,
}

pub const HDPARM: Tool = Tool {
    command: "hdparm",
    package: "hdparm",
};
pub const NVME: Tool = Tool {
    command: "nvme",
    package: "nvme-cli",
};
pub const SMARTCTL: Tool = Tool {
    command: "smartctl",
    package: "smartmontools",
};

/// Where a tool is on `PATH` (and the sbin folders a live system's user PATH may lack).
pub fn find(tool: Tool) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin", "/usr/bin"].map(Into::into))
        .map(|dir: std::path::PathBuf| dir.join(tool.command))
        .find(|p| p.is_file())
}

/// Run a read-only query of `tool` and return its standard output. Err says why not: not
/// installed (naming the package), or it failed. smartctl's exit status is a bit mask of
/// findings (a failing drive sets bits); its JSON is read whatever the status.
/// Run a drive tool; what went wrong is said by a code (`tool-*`), the tool's own words
/// kept as they are.
pub fn run(tool: Tool, args: &[&str], device: &Path) -> Result<String, Said> {
    let Some(exe) = find(tool) else {
        return Err(Said::new("tool-missing")
            .arg("tool", tool.command)
            .arg("package", tool.package));
    };
    let out = Command::new(exe).args(args).arg(device).output().map_err(|e| {
        Said::new("tool-cannot-run")
            .arg("tool", tool.command)
            .arg("error", e.to_string())
    })?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let failed = match tool {
        SMARTCTL => smartctl_read_nothing(out.status.code(), &stdout),
        _ => (!out.status.success()).then(|| String::from_utf8_lossy(&out.stderr).trim().to_string()),
    };
    if let Some(err) = failed {
        return Err(Said::new("tool-failed")
            .arg("command", format!("{} {}", tool.command, args.join(" ")))
            .arg("error", err));
    }
    Ok(stdout)
}

/// Why smartctl read nothing of the disk, or `None` when it did. Its exit status is a bit
/// mask (smartctl(8), EXIT STATUS): bit 0 (its command line) and bit 1 (the device could
/// not be opened or identified) mean nothing was read, and its JSON then holds only its own
/// header (read as an empty result, a disk that was not there showed as "no SMART"); the
/// higher bits are the disk's own problems, which the JSON says.
pub fn smartctl_read_nothing(code: Option<i32>, json: &str) -> Option<String> {
    let code = code?;
    if code & 0b11 == 0 {
        return None;
    }
    let said: Vec<String> = serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| v.pointer("/smartctl/messages")?.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|m| m.get("string")?.as_str().map(crate::render::one_line))
        .collect();
    Some(if said.is_empty() {
        format!("exit status {code}")
    } else {
        said.join("; ")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smartctl_that_read_nothing_is_a_failure_not_an_empty_result() {
        let missing = include_str!("testdata/smartctl-no-such-device.json");
        assert_eq!(
            smartctl_read_nothing(Some(2), missing).as_deref(),
            Some("Smartctl open device: /dev/sdzz failed: No such device")
        );
        assert_eq!(smartctl_read_nothing(Some(1), "").as_deref(), Some("exit status 1"));
        // the disk's own problems (bit 2: a SMART command failed, bit 3: "failing", ...)
        // leave a report to read
        let ata = include_str!("testdata/smartctl-ata-wd140edfz.json");
        for code in [0, 4, 8, 64] {
            assert_eq!(smartctl_read_nothing(Some(code), ata), None, "exit status {code}");
        }
        assert_eq!(smartctl_read_nothing(None, ata), None);
    }

    #[test]
    fn hdparm_identify_of_a_sata_ssd_with_sanitize_not_frozen() {
        // WDC WDS400T2B0A (4 TB SATA SSD), posted by Damien Le Moal on linux-ide, see
        // testdata/README.md.
        let s = parse_hdparm_identify(include_str!("testdata/hdparm-I-wds400t2b0a.txt")).unwrap();
        assert_eq!(s.model.as_deref(), Some("WDC  WDS400T2B0A-00SM50"));
        assert_eq!(s.serial.as_deref(), Some("2113CN420743"));
        assert_eq!(s.solid_state, Some(true));
        assert!(s.supported && !s.enabled && !s.locked && !s.frozen);
        assert!(s.enhanced_erase_supported);
        assert_eq!((s.erase_minutes, s.enhanced_erase_minutes), (Some(2), Some(2)));
        assert!(s.sanitize_supported && s.sanitize_block_erase);
        assert!(!s.sanitize_crypto_scramble && !s.sanitize_overwrite);
    }

    #[test]
    fn hdparm_identify_of_a_frozen_laptop_hdd() {
        // Seagate Momentus ST9500325AS (500 GB, 5400 rpm) in a Sony VAIO, Ubuntu forums 2013.
        let s = parse_hdparm_identify(include_str!("testdata/hdparm-I-st9500325as-frozen.txt")).unwrap();
        assert_eq!(s.model.as_deref(), Some("ST9500325AS"));
        assert_eq!(s.solid_state, Some(false));
        assert!(s.supported && s.frozen && !s.locked);
        assert_eq!((s.erase_minutes, s.enhanced_erase_minutes), (Some(132), Some(132)));
        assert!(!s.sanitize_supported);
    }

    #[test]
    fn hdparm_identify_of_nothing_is_none() {
        assert_eq!(parse_hdparm_identify(""), None);
        assert_eq!(
            parse_hdparm_identify("/dev/sdb:\nSG_IO: bad/missing sense data\n"),
            None
        );
    }

    #[test]
    fn hidden_areas_from_hdparm_n_and_dco() {
        // hdparm 9.43 on a 160 GB drive, from a blog post on making an HPA.
        let text = "\n/dev/sdc:\n max sectors   = 312581808/312581808, HPA is disabled\n";
        assert_eq!(parse_hdparm_max_sectors(text), Some((312581808, 312581808)));
        let hpa = " max sectors   = 310484656/312581808, HPA is enabled\n";
        assert_eq!(parse_hdparm_max_sectors(hpa), Some((310484656, 312581808)));
        // A USB stick's bridge (a forum post): not an answer.
        assert_eq!(parse_hdparm_max_sectors(" max sectors   = 0/1, HPA is enabled\n"), None);
        assert_eq!(
            parse_hdparm_max_sectors(" max sectors   = 5/9, HPA setting seems invalid (buggy kernel device driver?)"),
            None
        );
        // hdparm --dco-identify on a 3 TB drive (a forum post).
        let dco = "\n/dev/sdh:\nDCO Checksum verified.\nDCO Revision: 0x0002\nThe following features can be selectively disabled via DCO:\n\tTransfer modes:\n\t\t mdma0 mdma1 mdma2\n\t\t udma0 udma1 udma2 udma3 udma4 udma5 udma6\n\tReal max sectors: 5860533168\n\tATA command/feature sets:\n\t\t SMART self_test error_log security HPA\n";
        assert_eq!(parse_hdparm_dco(dco), Some(5860533168));
    }

    #[test]
    fn nvme_id_ctrl_of_a_wd_sn730() {
        // WDC PC SN730 256 GB, as pasted in OpenStack ironic-python-agent's test samples.
        let c = parse_nvme_id_ctrl(include_str!("testdata/nvme-id-ctrl-sn730.json")).unwrap();
        assert_eq!(c.model.as_deref(), Some("WDC PC SN730 SDBQNTY-256G-1001"));
        assert_eq!(c.serial.as_deref(), Some("1951B3444502"));
        assert!(c.format_supported && c.format_crypto_erase);
        assert!(c.sanitize_crypto_erase && c.sanitize_block_erase && !c.sanitize_overwrite);
        assert_eq!(parse_nvme_id_ctrl("not json"), None);
    }

    #[test]
    fn smartctl_json_of_an_ata_hdd_and_an_nvme_ssd() {
        // scrutiny's test data (AnalogJ/scrutiny), real drives, see testdata/README.md.
        let ata = parse_smartctl(include_str!("testdata/smartctl-ata-wd140edfz.json")).unwrap();
        assert_eq!(ata.model.as_deref(), Some("WDC WD140EDFZ-11A0VA0"));
        assert_eq!(ata.smartctl_version.as_deref(), Some("7.0"));
        assert_eq!(ata.passed, Some(true));
        assert_eq!(ata.power_on_hours, Some(1730));
        assert_eq!(
            (ata.reallocated_sectors, ata.pending_sectors, ata.offline_uncorrectable),
            (Some(0), Some(0), Some(0))
        );
        assert_eq!(ata.percentage_used, None);
        let nvme = parse_smartctl(include_str!("testdata/smartctl-nvme-intel-660p.json")).unwrap();
        assert_eq!(nvme.model.as_deref(), Some("INTEL SSDPEKNW010T8"));
        assert_eq!(nvme.power_on_hours, Some(2401));
        assert_eq!(nvme.percentage_used, Some(0));
        assert_eq!(
            (nvme.available_spare, nvme.available_spare_threshold),
            (Some(100), Some(10))
        );
        assert_eq!(nvme.critical_warning, Some(0));
        assert_eq!(nvme.reallocated_sectors, None);
    }
}
