//! What the self-check reads: files through the root (`sys/`, `proc/`, `etc/upcycle/`,
//! `var/lib/dpkg/status`, `var/log/kern.log`) and, only on the running system, a few
//! tools (`iw`, `smartctl`, `dmesg`, `xrandr`). Reading is apart from parsing: the
//! `parse_*` functions take text and are tested on real outputs.

use std::collections::BTreeSet;
use std::process::Command;

use super::ToolFact;
use crate::erase::tools::{self as drive_tools, Smart, Tool};
use crate::l10n::Said;
use crate::probe::root::{ReadError, SysRoot};

/// dpkg's status file of a desktop install is about 3 MB; a limit well above it.
pub const MAX_DPKG_STATUS: u64 = 64 * 1024 * 1024;
/// The kernel log read (its end, where this boot is).
pub const MAX_KERNEL_LOG: u64 = 16 * 1024 * 1024;
/// Where the installed laptop keeps what upcycle chose (written by postinstall.sh).
pub const SELECTION: &str = "etc/upcycle/selection.json";
/// The packages postinstall.sh installs, one a line (written by postinstall.sh).
pub const PACKAGES: &str = "etc/upcycle/packages";

/// One Wi-Fi interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wifi {
    pub interface: String,
    /// The driver bound to its device, if any.
    pub driver: Option<String>,
}

/// Kernel messages, and where they came from (`var/log/kern.log`, `dmesg`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KernelLog {
    pub source: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BatteryFacts {
    pub name: String,
    /// Capacity when full of the design capacity, in percent.
    pub health_percent: Option<u8>,
    pub full_wh: Option<f64>,
    pub design_wh: Option<f64>,
    /// `status`: Charging, Discharging, Full, Not charging, Unknown.
    pub status: Option<String>,
    /// `capacity`: the charge now, in percent.
    pub capacity_percent: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panel {
    pub connector: String,
    /// The first (preferred) mode of its connector.
    pub native: Option<(u32, u32)>,
}

/// Everything the checks decide on. Built by [`read`], or by hand in tests.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub wifi: Vec<Wifi>,
    pub kernel_log: Option<KernelLog>,
    /// Networks seen by `iw dev IF scan`.
    pub scan: ToolFact<usize>,
    /// Sound cards of `/proc/asound/cards`; Err when it cannot be told.
    pub sound_cards: Result<Vec<String>, Said>,
    /// `sys/class/video4linux/*/name`.
    pub cameras: Vec<String>,
    /// A USB video-class interface is there (a webcam, with or without its driver).
    pub usb_video: bool,
    pub batteries: Vec<BatteryFacts>,
    /// Whether a mains supply is online (none: no AC adapter entry).
    pub ac_online: Option<bool>,
    /// The system disk (`sda`).
    pub disk: Option<String>,
    pub smart: ToolFact<Smart>,
    /// Free (for users) and total bytes of the root file system.
    pub space: Option<(u64, u64)>,
    /// What upcycle installed here; none when the laptop has no record of it.
    pub wanted_packages: Option<Vec<String>>,
    /// Installed according to dpkg.
    pub installed_packages: Result<BTreeSet<String>, Said>,
    pub panel: Option<Panel>,
    /// The panel's current mode (`xrandr --current`).
    pub current_mode: ToolFact<(u32, u32)>,
}

const NET: &str = "sys/class/net";

/// Read every fact through `root`; tools run only when `root` is the running system.
pub fn read(root: &SysRoot) -> Facts {
    let live = root.is_live();
    let wifi = read_wifi(root);
    let kernel_log = read_kernel_log(root, live);
    let scan = match wifi.first() {
        _ if !live => ToolFact::NotLive,
        None => ToolFact::NotLive,
        Some(w) => run_tool(IW, &["dev", &w.interface, "scan"]).map(|out| parse_iw_scan(&out)),
    };
    let mut pf = crate::probe::Facts::new(root);
    let battery = crate::probe::battery::probe(&mut pf);
    let display = crate::probe::display::probe(&mut pf);
    let batteries = battery
        .packs
        .iter()
        .map(|p| {
            let dir = format!("sys/class/power_supply/{}", p.name);
            BatteryFacts {
                name: p.name.clone(),
                health_percent: p.wear_percent.map(|w| 100u8.saturating_sub(w)),
                full_wh: p.full_wh,
                design_wh: p.design_wh,
                status: value(root, &format!("{dir}/status")),
                capacity_percent: value(root, &format!("{dir}/capacity")).and_then(|c| c.parse().ok()),
            }
        })
        .collect();
    let selection = root
        .read(SELECTION)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t.text).ok());
    let disk = selection
        .as_ref()
        .and_then(|s| s.pointer("/chosen/install_disk")?.as_str().map(str::to_string))
        .filter(|d| crate::token::DiskName::is_valid(d))
        .or_else(|| first_disk(root));
    let smart = match &disk {
        _ if !live => ToolFact::NotLive,
        None => ToolFact::NotLive,
        Some(d) => {
            match drive_tools::run(
                drive_tools::SMARTCTL,
                &["-H", "-A", "--json"],
                std::path::Path::new(&format!("/dev/{d}")),
            ) {
                Err(s) if s.code == "tool-missing" => ToolFact::Missing(s),
                Err(s) => ToolFact::Failed(s),
                Ok(out) => match drive_tools::parse_smartctl(&out) {
                    Some(smart) => ToolFact::Got(smart),
                    None => ToolFact::Failed(Said::new("chk-ev-tool-output").arg("tool", "smartctl")),
                },
            }
        }
    };
    let current_mode = if !live {
        ToolFact::NotLive
    } else if std::env::var_os("DISPLAY").is_none() {
        ToolFact::Missing(Said::new("chk-ev-no-x"))
    } else {
        match run_tool(XRANDR, &["--current"]) {
            ToolFact::Got(out) => match parse_xrandr_current(&out) {
                Some(m) => ToolFact::Got(m),
                None => ToolFact::Failed(Said::new("chk-ev-tool-output").arg("tool", "xrandr")),
            },
            ToolFact::Missing(s) => ToolFact::Missing(s),
            ToolFact::Failed(s) => ToolFact::Failed(s),
            ToolFact::NotLive => ToolFact::NotLive,
        }
    };
    Facts {
        scan,
        kernel_log,
        sound_cards: read_sound(root),
        cameras: read_cameras(root),
        usb_video: read_usb_video(root),
        batteries,
        ac_online: read_ac(root),
        disk,
        smart,
        space: space(root),
        wanted_packages: read_wanted(root, selection.as_ref()),
        installed_packages: read_installed(root),
        panel: display.panel.map(|p| Panel {
            connector: p.connector,
            native: Some((p.width, p.height)),
        }),
        current_mode,
        wifi,
    }
}

fn value(root: &SysRoot, rel: &str) -> Option<String> {
    root.read(rel)
        .ok()
        .map(|t| t.text.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn read_wifi(root: &SysRoot) -> Vec<Wifi> {
    root.list(NET)
        .into_iter()
        .filter(|n| root.exists(&format!("{NET}/{n}/device")))
        .filter(|n| {
            root.has_dir(&format!("{NET}/{n}/wireless"))
                || root.exists(&format!("{NET}/{n}/phy80211"))
                || root
                    .read(&format!("{NET}/{n}/uevent"))
                    .is_ok_and(|t| crate::probe::network::is_wlan_uevent(&t.text))
        })
        .map(|n| Wifi {
            driver: root.link_name(&format!("{NET}/{n}/device/driver")),
            interface: n,
        })
        .collect()
}

fn read_kernel_log(root: &SysRoot, live: bool) -> Option<KernelLog> {
    if let Ok(t) = root.read_up_to("var/log/kern.log", MAX_KERNEL_LOG) {
        return Some(KernelLog {
            source: "/var/log/kern.log".into(),
            text: t.text,
        });
    }
    if !live {
        return None;
    }
    match run_tool(DMESG, &[]) {
        ToolFact::Got(text) => Some(KernelLog {
            source: "dmesg".into(),
            text,
        }),
        _ => None,
    }
}

/// What the kernel log says of the Wi-Fi drivers' firmware.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FirmwareVerdict {
    /// A line says it was loaded (drivers like iwlwifi try newer files first, which fail).
    Loaded(String),
    /// A line says it failed, and none that it loaded.
    Failed(String),
    NoFailure,
}

/// Look at the lines of `log` that name one of `drivers` and speak of firmware.
pub fn firmware_verdict(log: &str, drivers: &[&str]) -> FirmwareVerdict {
    let mut failed = None;
    let mut loaded = None;
    for line in log.lines() {
        let lower = line.to_ascii_lowercase();
        if !lower.contains("firmware") || !drivers.iter().any(|d| !d.is_empty() && line.contains(d)) {
            continue;
        }
        let text = clean_line(line);
        if lower.contains("loaded firmware") || lower.contains("firmware version") {
            loaded = Some(text);
        } else if lower.contains("failed") || lower.contains("no suitable firmware") || lower.contains("error") {
            failed.get_or_insert(text);
        }
    }
    match (loaded, failed) {
        (Some(l), _) => FirmwareVerdict::Loaded(l),
        (None, Some(f)) => FirmwareVerdict::Failed(f),
        (None, None) => FirmwareVerdict::NoFailure,
    }
}

/// A log line without its time stamp, one line, at most 160 characters.
fn clean_line(line: &str) -> String {
    let line = line.trim();
    let line = match line.strip_prefix('[') {
        Some(rest) => rest.split_once(']').map_or(line, |(_, r)| r.trim_start()),
        None => line,
    };
    crate::render::one_line(line).chars().take(160).collect()
}

/// `iw dev IF scan`: one `BSS xx:xx:...` line per network seen.
pub fn parse_iw_scan(out: &str) -> usize {
    out.lines().filter(|l| l.starts_with("BSS ")).count()
}

fn read_sound(root: &SysRoot) -> Result<Vec<String>, Said> {
    match root.read("proc/asound/cards") {
        Ok(t) => Ok(parse_asound_cards(&t.text)),
        // No ALSA card at all: the sound core is not even loaded.
        Err(ReadError::Missing) if root.has_dir("proc") => Ok(Vec::new()),
        Err(e) => Err(Said::new("chk-ev-unreadable")
            .arg("path", "/proc/asound/cards")
            .arg("error", e.describe())),
    }
}

/// `/proc/asound/cards`: ` 0 [PCH            ]: HDA-Intel - HDA Intel PCH` -> `HDA Intel PCH`.
pub fn parse_asound_cards(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            let (number, rest) = l.trim_start().split_once(' ')?;
            number.parse::<u32>().ok()?;
            let (_, name) = rest.split_once("]: ")?;
            let name = name.split_once(" - ").map_or(name, |(_, n)| n).trim();
            (!name.is_empty()).then(|| name.chars().take(80).collect())
        })
        .collect()
}

fn read_cameras(root: &SysRoot) -> Vec<String> {
    root.list("sys/class/video4linux")
        .into_iter()
        .filter(|n| n.starts_with("video"))
        .map(|n| value(root, &format!("sys/class/video4linux/{n}/name")).unwrap_or(n))
        .map(|n| n.chars().take(80).collect::<String>())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// A USB interface of class 0e (video): a webcam, whether or not a driver took it.
fn read_usb_video(root: &SysRoot) -> bool {
    root.list("sys/bus/usb/devices")
        .into_iter()
        .filter(|n| n.contains(':'))
        .any(|n| value(root, &format!("sys/bus/usb/devices/{n}/bInterfaceClass")).as_deref() == Some("0e"))
}

fn read_ac(root: &SysRoot) -> Option<bool> {
    let mut found = None;
    for name in root.list("sys/class/power_supply") {
        let dir = format!("sys/class/power_supply/{name}");
        if value(root, &format!("{dir}/type")).as_deref() == Some("Mains") {
            let online = value(root, &format!("{dir}/online")).as_deref() == Some("1");
            found = Some(found.unwrap_or(false) || online);
        }
    }
    found
}

/// The first disk of `sys/block` that is not a loop, RAM, optical, zram or mapper device.
fn first_disk(root: &SysRoot) -> Option<String> {
    root.list("sys/block").into_iter().find(|n| {
        !["loop", "ram", "sr", "zram", "dm-", "md", "fd"]
            .iter()
            .any(|p| n.starts_with(p))
            && value(root, &format!("sys/block/{n}/removable")).as_deref() != Some("1")
    })
}

fn space(root: &SysRoot) -> Option<(u64, u64)> {
    let s = nix::sys::statvfs::statvfs(root.base()).ok()?;
    let unit = s.fragment_size() as u64;
    Some((s.blocks_available() as u64 * unit, s.blocks() as u64 * unit))
}

fn read_wanted(root: &SysRoot, selection: Option<&serde_json::Value>) -> Option<Vec<String>> {
    if let Ok(t) = root.read(PACKAGES) {
        return Some(parse_package_lines(&t.text));
    }
    let chosen = selection?.get("chosen")?;
    let mut names = BTreeSet::new();
    for key in ["desktop_packages", "apps", "packages", "firmware_packages"] {
        for p in chosen.get(key).and_then(|v| v.as_array()).into_iter().flatten() {
            names.extend(p.as_str().map(str::to_string));
        }
    }
    names.extend(
        chosen
            .get("kernel_flavour")
            .and_then(|v| v.as_str())
            .map(str::to_string),
    );
    Some(
        names
            .into_iter()
            .filter(|n| crate::token::PackageName::is_valid(n))
            .collect(),
    )
}

/// One package name a line; anything that is not a package name is skipped.
pub fn parse_package_lines(text: &str) -> Vec<String> {
    let names: BTreeSet<String> = text
        .lines()
        .map(str::trim)
        .filter(|n| crate::token::PackageName::is_valid(n))
        .map(str::to_string)
        .collect();
    names.into_iter().collect()
}

fn read_installed(root: &SysRoot) -> Result<BTreeSet<String>, Said> {
    match root.read_up_to("var/lib/dpkg/status", MAX_DPKG_STATUS) {
        Ok(t) if t.truncated => Err(Said::new("chk-ev-dpkg-too-big")),
        Ok(t) => Ok(parse_dpkg_status(&t.text)),
        Err(e) => Err(Said::new("chk-ev-unreadable")
            .arg("path", "/var/lib/dpkg/status")
            .arg("error", e.describe())),
    }
}

/// The packages dpkg's status file says are installed (`Status: install ok installed`;
/// a multi-arch package also under `name:arch`).
pub fn parse_dpkg_status(text: &str) -> BTreeSet<String> {
    let mut installed = BTreeSet::new();
    for para in text.split("\n\n") {
        let mut name = None;
        let mut arch = None;
        let mut ok = false;
        for line in para.lines() {
            if let Some(v) = line.strip_prefix("Package:") {
                name = Some(v.trim());
            } else if let Some(v) = line.strip_prefix("Architecture:") {
                arch = Some(v.trim());
            } else if let Some(v) = line.strip_prefix("Status:") {
                ok = v.split_whitespace().last() == Some("installed");
            }
        }
        if let (Some(n), true) = (name, ok) {
            installed.insert(n.to_string());
            if let Some(a) = arch {
                installed.insert(format!("{n}:{a}"));
            }
        }
    }
    installed
}

/// `xrandr --current`: the mode of the connected built-in output (`eDP-1`, `LVDS1`, ...),
/// from its geometry `1366x768+0+0`.
pub fn parse_xrandr_current(out: &str) -> Option<(u32, u32)> {
    out.lines().find_map(|l| {
        let mut words = l.split_whitespace();
        let output = words.next()?;
        if !["eDP", "LVDS", "DSI"].iter().any(|p| output.starts_with(p)) || words.next()? != "connected" {
            return None;
        }
        let geometry = words.find(|w| w.contains('x') && w.contains('+'))?;
        let (w, rest) = geometry.split_once('x')?;
        let h = rest.split('+').next()?;
        Some((w.parse().ok()?, h.parse().ok()?))
    })
}

const IW: Tool = Tool {
    command: "iw",
    package: "iw",
};
const DMESG: Tool = Tool {
    command: "dmesg",
    package: "util-linux",
};
const XRANDR: Tool = Tool {
    command: "xrandr",
    package: "x11-xserver-utils",
};

/// Run a read-only tool; its output, or why not (missing: naming its package).
fn run_tool(tool: Tool, args: &[&str]) -> ToolFact<String> {
    let Some(exe) = drive_tools::find(tool) else {
        return ToolFact::Missing(
            Said::new("tool-missing")
                .arg("tool", tool.command)
                .arg("package", tool.package),
        );
    };
    match Command::new(exe).args(args).output() {
        Err(e) => ToolFact::Failed(
            Said::new("tool-cannot-run")
                .arg("tool", tool.command)
                .arg("error", e.to_string()),
        ),
        Ok(out) if !out.status.success() => ToolFact::Failed(
            Said::new("tool-failed")
                .arg("command", format!("{} {}", tool.command, args.join(" ")))
                .arg("error", clean_line(&String::from_utf8_lossy(&out.stderr))),
        ),
        Ok(out) => ToolFact::Got(String::from_utf8_lossy(&out.stdout).into_owned()),
    }
}

impl<T> ToolFact<T> {
    fn map<U>(self, f: impl FnOnce(T) -> U) -> ToolFact<U> {
        match self {
            ToolFact::NotLive => ToolFact::NotLive,
            ToolFact::Missing(s) => ToolFact::Missing(s),
            ToolFact::Failed(s) => ToolFact::Failed(s),
            ToolFact::Got(t) => ToolFact::Got(f(t)),
        }
    }
}
