//! `upcycle check`, the self-check of an installed laptop: does what the workshop set up
//! work here (Wi-Fi, sound, webcam, battery, disk, packages, display)? Each check gives an
//! [`Outcome`] with its evidence, said as codes with arguments (like the ledger and the
//! selection: the words come from the catalogs). Facts are read through one root
//! ([`facts::read`], a captured or fixture tree in tests); [`evaluate`] is pure; the
//! result is a versioned document ([`SCHEMA`]) kept on the laptop and posted to `serve`
//! ([`post`]), which reads it back as untrusted input ([`CheckReport::from_untrusted`]).
//! See docs/check.md.

pub mod facts;
pub mod post;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::erase::health::{self, Verdict as HealthVerdict};
use crate::l10n::{Arg, Said};
pub use facts::Facts;

/// The document's schema; readers refuse other values.
pub const SCHEMA: &str = "upcycle.check/v1";

/// Where the laptop keeps its last result (`check -o` for another place).
pub const KEEP_PATH: &str = "/var/lib/upcycle/check.json";
/// A battery that holds less than this share of its design capacity fails (the selector
/// advises a new battery from 50 % wear on, `select::Policy::battery_wear_percent`).
pub const MIN_BATTERY_HEALTH_PERCENT: u8 = 50;
/// Less free space than this on `/` fails: updates need room (a kernel update alone
/// unpacks about 300 MB).
pub const MIN_FREE_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// Missing packages named in the evidence (the rest counted).
pub const MAX_NAMED_PACKAGES: usize = 10;

/// What a check is about. The codes are stable: they are in the ledger and on `serve`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckId {
    WifiDriver,
    WifiFirmware,
    WifiScan,
    Sound,
    Webcam,
    Battery,
    BatteryCharging,
    DiskHealth,
    DiskSpace,
    Packages,
    Display,
}

impl CheckId {
    pub const ALL: [CheckId; 11] = [
        CheckId::WifiDriver,
        CheckId::WifiFirmware,
        CheckId::WifiScan,
        CheckId::Sound,
        CheckId::Webcam,
        CheckId::Battery,
        CheckId::BatteryCharging,
        CheckId::DiskHealth,
        CheckId::DiskSpace,
        CheckId::Packages,
        CheckId::Display,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CheckId::WifiDriver => "wifi-driver",
            CheckId::WifiFirmware => "wifi-firmware",
            CheckId::WifiScan => "wifi-scan",
            CheckId::Sound => "sound",
            CheckId::Webcam => "webcam",
            CheckId::Battery => "battery",
            CheckId::BatteryCharging => "battery-charging",
            CheckId::DiskHealth => "disk-health",
            CheckId::DiskSpace => "disk-space",
            CheckId::Packages => "packages",
            CheckId::Display => "display",
        }
    }

    /// Its name in the table (`chk-name-*`).
    pub fn name_id(self) -> String {
        format!("chk-name-{}", self.code())
    }
}

/// A check's result. `NotChecked`: upcycle did not try (not the live system, a tool
/// missing); `Unknown`: it tried and cannot tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Pass,
    Fail,
    NotApplicable,
    NotChecked,
    Unknown,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::NotApplicable => "not-applicable",
            Outcome::NotChecked => "not-checked",
            Outcome::Unknown => "unknown",
        }
    }

    /// Its word in the table (`chk-outcome-*`).
    pub fn text_id(self) -> String {
        format!("chk-outcome-{}", self.code())
    }
}

/// One check: what, the outcome, and the evidence (`chk-ev-*`, `health-*`, `tool-*` codes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckResult {
    pub check: CheckId,
    pub outcome: Outcome,
    pub evidence: Vec<Said>,
}

/// The self-check's document (`check.json` on the laptop, the body posted to serve).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckReport {
    pub schema: String,
    /// When it ran (UTC, RFC 3339, the laptop's clock).
    pub time: String,
    /// Which upcycle ran it.
    pub tool_version: String,
    pub results: Vec<CheckResult>,
}

impl CheckReport {
    pub fn new(time: String, results: Vec<CheckResult>) -> CheckReport {
        CheckReport {
            schema: SCHEMA.to_string(),
            time,
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            results,
        }
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a check report serialises");
        s.push('\n');
        s
    }

    /// The worst outcome: any fail makes the laptop's check failed.
    pub fn failed(&self) -> bool {
        self.results.iter().any(|r| r.outcome == Outcome::Fail)
    }

    /// Read a document sent by a laptop: bytes from the network, so every value is checked
    /// into its type before anything is kept. The schema must be ours, each check known and
    /// given once, each evidence code one of the catalogs' (`chk-ev-*`, `health-*`,
    /// `tool-*`) with at most [`MAX_ARGS`] arguments of plain text (one line, at most
    /// [`MAX_ARG_CHARS`]) or numbers.
    pub fn from_untrusted(body: &[u8]) -> Result<CheckReport, Invalid> {
        let text = std::str::from_utf8(body).map_err(|_| Invalid("the body is not UTF-8 text"))?;
        let wire: wire::Report = serde_json::from_str(text).map_err(|_| Invalid("not a check document (JSON)"))?;
        if wire.schema != SCHEMA {
            return Err(Invalid("not upcycle.check/v1"));
        }
        if wire.results.is_empty() || wire.results.len() > CheckId::ALL.len() {
            return Err(Invalid("no results, or too many"));
        }
        let mut seen = std::collections::BTreeSet::new();
        let mut results = Vec::new();
        for r in wire.results {
            if !seen.insert(r.check) {
                return Err(Invalid("a check is given twice"));
            }
            if r.evidence.len() > MAX_EVIDENCE {
                return Err(Invalid("too much evidence"));
            }
            let evidence = r.evidence.into_iter().map(said_of).collect::<Result<_, _>>()?;
            results.push(CheckResult {
                check: r.check,
                outcome: r.outcome,
                evidence,
            });
        }
        Ok(CheckReport {
            schema: SCHEMA.to_string(),
            time: clean_time(&wire.time).ok_or(Invalid("the time is not an RFC 3339 time"))?,
            tool_version: clean_text(&wire.tool_version, 32).ok_or(Invalid("a bad tool version"))?,
            results,
        })
    }

    /// The `checked` event's details: `{"schema": ..., "time": ..., "results": [...]}`.
    pub fn details(&self) -> serde_json::Value {
        serde_json::json!({
            "schema": self.schema,
            "time": self.time,
            "results": self.results,
        })
    }
}

/// Arguments of one piece of evidence, at most.
pub const MAX_ARGS: usize = 8;
/// Characters of one text argument, at most.
pub const MAX_ARG_CHARS: usize = 200;
/// Pieces of evidence of one check, at most.
pub const MAX_EVIDENCE: usize = 16;

/// Why a posted document was refused (said to the laptop as a 400).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invalid(pub &'static str);

/// The shapes a laptop may send, before validation.
mod wire {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Report {
        pub schema: String,
        pub time: String,
        pub tool_version: String,
        pub results: Vec<Result>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Result {
        pub check: super::CheckId,
        pub outcome: super::Outcome,
        pub evidence: Vec<Evidence>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Evidence {
        pub code: String,
        #[serde(default)]
        pub args: BTreeMap<String, Value>,
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    pub enum Value {
        Int(i64),
        Float(f64),
        Text(String),
    }
}

fn said_of(e: wire::Evidence) -> Result<Said, Invalid> {
    let known_prefix = ["chk-ev-", "health-", "tool-"].iter().any(|p| e.code.starts_with(p));
    if !known_prefix || !crate::l10n::has(&e.code) {
        return Err(Invalid("an unknown evidence code"));
    }
    if e.args.len() > MAX_ARGS {
        return Err(Invalid("too many arguments"));
    }
    let mut args = BTreeMap::new();
    for (k, v) in e.args {
        if k.is_empty() || k.len() > 32 || !k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            return Err(Invalid("a bad argument name"));
        }
        let arg = match v {
            wire::Value::Int(n) => Arg::Int(n),
            wire::Value::Float(f) if f.is_finite() => Arg::Float(f),
            wire::Value::Float(_) => return Err(Invalid("a number that is not finite")),
            wire::Value::Text(t) => Arg::Text(clean_text(&t, MAX_ARG_CHARS).ok_or(Invalid("an argument too long"))?),
        };
        args.insert(k, arg);
    }
    Ok(Said { code: e.code, args })
}

/// One line of at most `max` characters, or `None` when longer.
fn clean_text(s: &str, max: usize) -> Option<String> {
    let line = crate::render::one_line(s);
    (line.chars().count() <= max).then_some(line)
}

fn clean_time(s: &str) -> Option<String> {
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc).format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// Every check over the facts, in [`CheckId::ALL`]'s order. Pure.
pub fn evaluate(f: &Facts) -> Vec<CheckResult> {
    let (wifi_driver, wifi_firmware, wifi_scan) = wifi(f);
    vec![
        wifi_driver,
        wifi_firmware,
        wifi_scan,
        sound(f),
        webcam(f),
        battery(f),
        charging(f),
        disk_health(f),
        disk_space(f),
        packages(f),
        display(f),
    ]
}

fn result(check: CheckId, outcome: Outcome, evidence: Vec<Said>) -> CheckResult {
    CheckResult {
        check,
        outcome,
        evidence,
    }
}

/// What a tool gave, or why it was not run.
#[derive(Debug, Clone, PartialEq)]
pub enum ToolFact<T> {
    /// Not the running system (a captured tree): nothing run.
    NotLive,
    /// Not installed: the reason says the tool and its package.
    Missing(Said),
    /// It ran and failed, or its output was not understood.
    Failed(Said),
    Got(T),
}

/// The result of a check whose tool was not run: not checked, saying why.
fn not_checked<T>(fact: &ToolFact<T>, check: CheckId) -> Option<CheckResult> {
    let why = match fact {
        ToolFact::NotLive => Said::new("chk-ev-not-live"),
        ToolFact::Missing(s) => s.clone(),
        _ => return None,
    };
    Some(result(check, Outcome::NotChecked, vec![why]))
}

fn wifi(f: &Facts) -> (CheckResult, CheckResult, CheckResult) {
    let none = |check| result(check, Outcome::NotApplicable, vec![Said::new("chk-ev-no-wifi")]);
    if f.wifi.is_empty() {
        return (
            none(CheckId::WifiDriver),
            none(CheckId::WifiFirmware),
            none(CheckId::WifiScan),
        );
    }
    // Driver: every Wi-Fi interface has one bound.
    let mut ev = Vec::new();
    let mut all_bound = true;
    for w in &f.wifi {
        match &w.driver {
            Some(d) => ev.push(
                Said::new("chk-ev-driver")
                    .arg("interface", w.interface.as_str())
                    .arg("driver", d.as_str()),
            ),
            None => {
                all_bound = false;
                ev.push(Said::new("chk-ev-no-driver").arg("interface", w.interface.as_str()));
            }
        }
    }
    let driver = result(
        CheckId::WifiDriver,
        if all_bound { Outcome::Pass } else { Outcome::Fail },
        ev,
    );
    // Firmware: the kernel log says nothing failed for the Wi-Fi drivers (or loaded it after).
    let firmware = match &f.kernel_log {
        None => result(
            CheckId::WifiFirmware,
            Outcome::NotChecked,
            vec![Said::new("chk-ev-no-kernel-log")],
        ),
        Some(log) => {
            let drivers: Vec<&str> = f.wifi.iter().filter_map(|w| w.driver.as_deref()).collect();
            let verdict = facts::firmware_verdict(&log.text, &drivers);
            let source = Said::new("chk-ev-kernel-log").arg("source", log.source.as_str());
            match verdict {
                facts::FirmwareVerdict::Failed(line) => result(
                    CheckId::WifiFirmware,
                    Outcome::Fail,
                    vec![source, Said::new("chk-ev-firmware-failed").arg("line", line)],
                ),
                facts::FirmwareVerdict::Loaded(line) => result(
                    CheckId::WifiFirmware,
                    Outcome::Pass,
                    vec![source, Said::new("chk-ev-firmware-loaded").arg("line", line)],
                ),
                facts::FirmwareVerdict::NoFailure => result(
                    CheckId::WifiFirmware,
                    Outcome::Pass,
                    vec![source, Said::new("chk-ev-firmware-no-failure")],
                ),
            }
        }
    };
    let scan = match &f.scan {
        ToolFact::Got(n) if *n > 0 => result(
            CheckId::WifiScan,
            Outcome::Pass,
            vec![Said::new("chk-ev-networks").arg("n", *n as u64)],
        ),
        ToolFact::Got(_) => result(CheckId::WifiScan, Outcome::Fail, vec![Said::new("chk-ev-no-networks")]),
        ToolFact::Failed(why) => result(CheckId::WifiScan, Outcome::Unknown, vec![why.clone()]),
        other => not_checked(other, CheckId::WifiScan).expect("not live or missing"),
    };
    (driver, firmware, scan)
}

fn sound(f: &Facts) -> CheckResult {
    match &f.sound_cards {
        Err(why) => result(CheckId::Sound, Outcome::Unknown, vec![why.clone()]),
        Ok(cards) if cards.is_empty() => result(CheckId::Sound, Outcome::Fail, vec![Said::new("chk-ev-no-sound")]),
        Ok(cards) => result(
            CheckId::Sound,
            Outcome::Pass,
            cards
                .iter()
                .map(|c| Said::new("chk-ev-sound-card").arg("card", c.as_str()))
                .collect(),
        ),
    }
}

fn webcam(f: &Facts) -> CheckResult {
    if !f.cameras.is_empty() {
        return result(
            CheckId::Webcam,
            Outcome::Pass,
            f.cameras
                .iter()
                .map(|c| Said::new("chk-ev-camera").arg("camera", c.as_str()))
                .collect(),
        );
    }
    if f.usb_video {
        return result(
            CheckId::Webcam,
            Outcome::Fail,
            vec![Said::new("chk-ev-camera-no-driver")],
        );
    }
    result(
        CheckId::Webcam,
        Outcome::NotApplicable,
        vec![Said::new("chk-ev-no-camera")],
    )
}

fn battery(f: &Facts) -> CheckResult {
    if f.batteries.is_empty() {
        return result(
            CheckId::Battery,
            Outcome::NotApplicable,
            vec![Said::new("chk-ev-no-battery")],
        );
    }
    let mut outcome = Outcome::Pass;
    let mut ev = Vec::new();
    for b in &f.batteries {
        match b.health_percent {
            Some(h) => {
                if h < MIN_BATTERY_HEALTH_PERCENT {
                    outcome = Outcome::Fail;
                }
                ev.push(
                    Said::new("chk-ev-battery-health")
                        .arg("battery", b.name.as_str())
                        .arg("percent", h as u64)
                        .arg("min", MIN_BATTERY_HEALTH_PERCENT as u64),
                );
                if let (Some(full), Some(design)) = (b.full_wh, b.design_wh) {
                    ev.push(
                        Said::new("chk-ev-battery-wh")
                            .arg("battery", b.name.as_str())
                            .arg("full", full)
                            .arg("design", design),
                    );
                }
            }
            None => {
                if outcome == Outcome::Pass {
                    outcome = Outcome::Unknown;
                }
                ev.push(Said::new("chk-ev-battery-unmeasured").arg("battery", b.name.as_str()));
            }
        }
    }
    result(CheckId::Battery, outcome, ev)
}

fn charging(f: &Facts) -> CheckResult {
    if f.batteries.is_empty() {
        return result(
            CheckId::BatteryCharging,
            Outcome::NotApplicable,
            vec![Said::new("chk-ev-no-battery")],
        );
    }
    let mut worst = Outcome::Pass;
    let mut ev = Vec::new();
    for b in &f.batteries {
        let status = b.status.as_deref().unwrap_or("");
        let (o, code) = match (status, f.ac_online) {
            ("Charging" | "Full", _) => (Outcome::Pass, "chk-ev-charging"),
            ("Discharging", Some(true)) => (Outcome::Fail, "chk-ev-not-charging-on-ac"),
            ("Discharging", _) => (Outcome::NotChecked, "chk-ev-on-battery"),
            ("Not charging", _) => (Outcome::Unknown, "chk-ev-not-charging"),
            _ => (Outcome::Unknown, "chk-ev-charge-status-unknown"),
        };
        // The kernel's word stays in the data (`status`); the message says it in words.
        ev.push(
            Said::new(code)
                .arg("battery", b.name.as_str())
                .arg("status", if status.is_empty() { "?" } else { status }),
        );
        if let Some(c) = b.capacity_percent {
            ev.push(
                Said::new("chk-ev-charge-level")
                    .arg("battery", b.name.as_str())
                    .arg("percent", c as u64),
            );
        }
        worst = worse(worst, o);
    }
    result(CheckId::BatteryCharging, worst, ev)
}

/// The outcome that says more is wrong: fail over unknown over not checked over pass.
fn worse(a: Outcome, b: Outcome) -> Outcome {
    let rank = |o| match o {
        Outcome::Fail => 4,
        Outcome::Unknown => 3,
        Outcome::NotChecked => 2,
        Outcome::NotApplicable => 1,
        Outcome::Pass => 0,
    };
    if rank(b) > rank(a) { b } else { a }
}

fn disk_health(f: &Facts) -> CheckResult {
    let Some(disk) = &f.disk else {
        return result(CheckId::DiskHealth, Outcome::Unknown, vec![Said::new("chk-ev-no-disk")]);
    };
    let on = Said::new("chk-ev-disk").arg("disk", disk.as_str());
    match &f.smart {
        ToolFact::Got(smart) => {
            let h = health::assess(smart);
            let outcome = match h.verdict {
                HealthVerdict::Good | HealthVerdict::Watch => Outcome::Pass,
                HealthVerdict::Replace => Outcome::Fail,
                HealthVerdict::Unknown => Outcome::Unknown,
            };
            let mut ev = vec![on];
            if let Some(m) = &smart.model {
                ev.push(Said::new("chk-ev-disk-model").arg("model", m.as_str()));
            }
            ev.push(Said::new("chk-ev-smart-verdict").arg("verdict", verdict_code(h.verdict)));
            if let Some(hours) = h.power_on_hours {
                ev.push(Said::new("chk-ev-power-on").arg("hours", hours));
            }
            ev.extend(h.reasons);
            result(CheckId::DiskHealth, outcome, ev)
        }
        ToolFact::Failed(why) => result(CheckId::DiskHealth, Outcome::Unknown, vec![on, why.clone()]),
        other => {
            let mut r = not_checked(other, CheckId::DiskHealth).expect("not live or missing");
            r.evidence.insert(0, on);
            r
        }
    }
}

fn verdict_code(v: HealthVerdict) -> &'static str {
    match v {
        HealthVerdict::Unknown => "unknown",
        HealthVerdict::Good => "good",
        HealthVerdict::Watch => "watch",
        HealthVerdict::Replace => "replace",
    }
}

fn disk_space(f: &Facts) -> CheckResult {
    match f.space {
        None => result(
            CheckId::DiskSpace,
            Outcome::Unknown,
            vec![Said::new("chk-ev-space-unknown")],
        ),
        Some((avail, total)) => result(
            CheckId::DiskSpace,
            if avail < MIN_FREE_BYTES {
                Outcome::Fail
            } else {
                Outcome::Pass
            },
            vec![
                Said::new("chk-ev-space")
                    .arg("free", gib(avail))
                    .arg("total", gib(total))
                    .arg("min", gib(MIN_FREE_BYTES)),
            ],
        ),
    }
}

fn gib(bytes: u64) -> f64 {
    (bytes as f64 / (1024.0 * 1024.0 * 1024.0) * 10.0).round() / 10.0
}

fn packages(f: &Facts) -> CheckResult {
    let wanted = match &f.wanted_packages {
        None => {
            return result(
                CheckId::Packages,
                Outcome::NotChecked,
                vec![Said::new("chk-ev-no-selection")],
            );
        }
        Some(w) => w,
    };
    let installed = match &f.installed_packages {
        Err(why) => return result(CheckId::Packages, Outcome::Unknown, vec![why.clone()]),
        Ok(i) => i,
    };
    let missing: Vec<&String> = wanted.iter().filter(|p| !installed.contains(p.as_str())).collect();
    if missing.is_empty() {
        return result(
            CheckId::Packages,
            Outcome::Pass,
            vec![Said::new("chk-ev-packages-installed").arg("n", wanted.len() as u64)],
        );
    }
    let named: Vec<&str> = missing.iter().take(MAX_NAMED_PACKAGES).map(|p| p.as_str()).collect();
    result(
        CheckId::Packages,
        Outcome::Fail,
        vec![
            Said::new("chk-ev-packages-missing")
                .arg("n", missing.len() as u64)
                .arg("of", wanted.len() as u64)
                .arg("names", named.join(" ")),
        ],
    )
}

fn display(f: &Facts) -> CheckResult {
    let Some(panel) = &f.panel else {
        return result(
            CheckId::Display,
            Outcome::NotApplicable,
            vec![Said::new("chk-ev-no-panel")],
        );
    };
    let Some((w, h)) = panel.native else {
        return result(
            CheckId::Display,
            Outcome::Unknown,
            vec![Said::new("chk-ev-panel-no-modes").arg("connector", panel.connector.as_str())],
        );
    };
    let native = Said::new("chk-ev-panel-native")
        .arg("connector", panel.connector.as_str())
        .arg("mode", format!("{w}x{h}"));
    match &f.current_mode {
        ToolFact::Got((cw, ch)) => {
            let current = Said::new("chk-ev-panel-current").arg("mode", format!("{cw}x{ch}"));
            let outcome = if (*cw, *ch) == (w, h) {
                Outcome::Pass
            } else {
                Outcome::Fail
            };
            result(CheckId::Display, outcome, vec![native, current])
        }
        ToolFact::Failed(why) | ToolFact::Missing(why) => {
            result(CheckId::Display, Outcome::Unknown, vec![native, why.clone()])
        }
        ToolFact::NotLive => result(
            CheckId::Display,
            Outcome::Unknown,
            vec![native, Said::new("chk-ev-not-live")],
        ),
    }
}

#[cfg(test)]
mod tests;
