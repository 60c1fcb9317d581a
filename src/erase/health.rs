//! The drive health gate: is this disk fit to go out with a refurbished laptop? Pure, from
//! the SMART facts of `smartctl -j -a`. Thresholds and their sources are in docs/erase.md;
//! a disk that fails them is flagged "replace before hand-over" in the plan and the record
//! (it is still erased: its data must go whatever happens to the disk).

use serde::{Deserialize, Serialize};

use super::tools::Smart;
use crate::l10n::Said;

/// Free Geek's eraser fails drives at 2,500 power-on days (60,000 hours).
pub const REPLACE_POWER_ON_HOURS: u64 = 2_500 * 24;
/// Free Geek's eraser fails drives with less than 400 days of estimated life left.
pub const REPLACE_REMAINING_DAYS: u64 = 400;
/// A warning long before: five years of power-on time.
pub const WATCH_POWER_ON_HOURS: u64 = 5 * 365 * 24;
/// The vendor's endurance estimate mostly used up.
pub const REPLACE_PERCENTAGE_USED: u64 = 90;
pub const WATCH_PERCENTAGE_USED: u64 = 70;
/// Reallocated sectors: any is a warning; this many is a disk that keeps losing sectors.
pub const REPLACE_REALLOCATED: u64 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// No SMART data (smartmontools not installed, or the drive or bridge gives none).
    Unknown,
    Good,
    /// Worth a look: usable, but note it on the laptop's sheet.
    Watch,
    /// Likely to fail soon: replace before hand-over.
    Replace,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Health {
    pub verdict: Verdict,
    /// Every finding that set the verdict (codes with arguments, `health-*`).
    pub reasons: Vec<Said>,
    pub power_on_hours: Option<u64>,
    /// Estimated days of life left from wear so far (only when wear is reported).
    pub estimated_days_left: Option<u64>,
}

impl Health {
    pub fn unknown(why: Said) -> Health {
        Health {
            verdict: Verdict::Unknown,
            reasons: vec![why],
            power_on_hours: None,
            estimated_days_left: None,
        }
    }
}

/// Days of life left if wear goes on at the same rate per power-on hour.
pub fn estimated_days_left(power_on_hours: u64, percentage_used: u64) -> Option<u64> {
    if percentage_used == 0 || power_on_hours == 0 {
        return None;
    }
    let left = 100u64.saturating_sub(percentage_used);
    Some(power_on_hours * left / percentage_used / 24)
}

pub fn assess(smart: &Smart) -> Health {
    let mut replace = Vec::new();
    let mut watch = Vec::new();
    if smart.passed == Some(false) {
        replace.push(Said::new("health-smart-failed"));
    }
    if let Some(h) = smart.power_on_hours {
        if h >= REPLACE_POWER_ON_HOURS {
            replace.push(
                Said::new("health-power-on")
                    .arg("hours", h)
                    .arg("limit", REPLACE_POWER_ON_HOURS),
            );
        } else if h >= WATCH_POWER_ON_HOURS {
            watch.push(
                Said::new("health-power-on")
                    .arg("hours", h)
                    .arg("limit", WATCH_POWER_ON_HOURS),
            );
        }
    }
    if let Some(n) = smart.pending_sectors.filter(|&n| n > 0) {
        replace.push(Said::new("health-pending").arg("n", n));
    }
    if let Some(n) = smart.offline_uncorrectable.filter(|&n| n > 0) {
        replace.push(Said::new("health-offline").arg("n", n));
    }
    match smart.reallocated_sectors {
        Some(n) if n >= REPLACE_REALLOCATED => replace.push(Said::new("health-reallocated").arg("n", n)),
        Some(n) if n > 0 => watch.push(Said::new("health-reallocated").arg("n", n)),
        _ => {}
    }
    if let Some(w) = smart.critical_warning.filter(|&w| w != 0) {
        replace.push(Said::new("health-nvme-critical").arg("code", format!("0x{w:02x}")));
    }
    // NVMe's own rule (the SMART / Health log, critical warning bit 0): worn out when the
    // available spare has fallen *below* its threshold; at the threshold it is not (QEMU's
    // emulated NVMe reports 0 % of a 0 % threshold).
    if let (Some(spare), Some(threshold)) = (smart.available_spare, smart.available_spare_threshold) {
        if spare < threshold {
            replace.push(
                Said::new("health-spare")
                    .arg("spare", spare)
                    .arg("threshold", threshold),
            );
        }
    }
    if let Some(n) = smart.media_errors.filter(|&n| n > 0) {
        watch.push(Said::new("health-media-errors").arg("n", n));
    }
    let days_left = smart
        .percentage_used
        .zip(smart.power_on_hours)
        .and_then(|(used, hours)| estimated_days_left(hours, used));
    if let Some(used) = smart.percentage_used {
        if used >= REPLACE_PERCENTAGE_USED {
            replace.push(Said::new("health-endurance").arg("used", used));
        } else if used >= WATCH_PERCENTAGE_USED {
            watch.push(Said::new("health-endurance").arg("used", used));
        }
    }
    if let Some(days) = days_left.filter(|&d| d < REPLACE_REMAINING_DAYS) {
        replace.push(
            Said::new("health-days-left")
                .arg("days", days)
                .arg("limit", REPLACE_REMAINING_DAYS),
        );
    }
    let has_data = smart.passed.is_some() || smart.power_on_hours.is_some();
    let verdict = if !replace.is_empty() {
        Verdict::Replace
    } else if !watch.is_empty() {
        Verdict::Watch
    } else if has_data {
        Verdict::Good
    } else {
        Verdict::Unknown
    };
    let mut reasons = replace;
    reasons.extend(watch);
    if verdict == Verdict::Unknown {
        reasons.push(Said::new("health-no-smart"));
    }
    Health {
        verdict,
        reasons,
        power_on_hours: smart.power_on_hours,
        estimated_days_left: days_left,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::erase::tools::parse_smartctl;

    fn check(smart: Smart, verdict: Verdict, reason: &str) {
        let h = assess(&smart);
        assert_eq!(h.verdict, verdict, "{:?}", h.reasons);
        assert!(
            h.reasons
                .iter()
                .any(|r| crate::l10n::say(crate::l10n::Lang::En, r).contains(reason)),
            "{reason:?} not in {:?}",
            h.reasons
        );
    }

    #[test]
    fn real_healthy_drives_are_good() {
        let ata = parse_smartctl(include_str!("testdata/smartctl-ata-wd140edfz.json")).unwrap();
        assert_eq!(assess(&ata).verdict, Verdict::Good);
        let nvme = parse_smartctl(include_str!("testdata/smartctl-nvme-intel-660p.json")).unwrap();
        let h = assess(&nvme);
        assert_eq!(h.verdict, Verdict::Good);
        assert_eq!(h.estimated_days_left, None, "0% used: no rate to extrapolate");
    }

    #[test]
    fn each_threshold_flags_its_disk() {
        let base = Smart {
            passed: Some(true),
            power_on_hours: Some(8_000),
            ..Smart::default()
        };
        check(
            Smart {
                pending_sectors: Some(8),
                ..base.clone()
            },
            Verdict::Replace,
            "8 pending",
        );
        check(
            Smart {
                reallocated_sectors: Some(3),
                ..base.clone()
            },
            Verdict::Watch,
            "3 reallocated",
        );
        check(
            Smart {
                reallocated_sectors: Some(250),
                ..base.clone()
            },
            Verdict::Replace,
            "250 reallocated",
        );
        check(
            Smart {
                power_on_hours: Some(60_000),
                ..base.clone()
            },
            Verdict::Replace,
            "60000 power-on hours",
        );
        check(
            Smart {
                power_on_hours: Some(45_000),
                ..base.clone()
            },
            Verdict::Watch,
            "45000 power-on hours",
        );
        check(
            Smart {
                passed: Some(false),
                ..base.clone()
            },
            Verdict::Replace,
            "self-assessment failed",
        );
        // 8,000 h for 95% used: 421 hours (17 days) left at that rate.
        check(
            Smart {
                percentage_used: Some(95),
                ..base.clone()
            },
            Verdict::Replace,
            "17 power-on days",
        );
        // 8,000 h for 50% used: 333 days left at that rate: under Free Geek's 400.
        check(
            Smart {
                percentage_used: Some(50),
                ..base.clone()
            },
            Verdict::Replace,
            "333 power-on days",
        );
        check(
            Smart {
                available_spare: Some(5),
                available_spare_threshold: Some(10),
                ..base.clone()
            },
            Verdict::Replace,
            "available spare 5%",
        );
        for spare in [10, 0] {
            let at_threshold = Smart {
                available_spare: Some(spare),
                available_spare_threshold: Some(spare),
                ..base.clone()
            };
            assert_ne!(
                assess(&at_threshold).verdict,
                Verdict::Replace,
                "spare {spare}% at its threshold is not below it"
            );
        }
        check(Smart::default(), Verdict::Unknown, "no SMART data");
    }
}
