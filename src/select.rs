//! Selection: report + catalog + workshop policy -> the stack to install, with reasons.
//!
//! Pure: no file system, no clock (the date is an argument). Every profile is checked
//! against its hard requirements (each pass or fail with a human reason); the ones that
//! pass are scored; the highest score wins, ties go to the profile id that sorts first.
//! Upgrade advice re-runs this same selection on a modified report.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalog::{
    App, Arch, Catalog, Family, InstallerFormat, KernelCondition, Lang, Localized, PciMatch, Profile, Quirk,
};
use crate::fwmap::FirmwareMap;
use crate::report::{HardwareReport, Transport};

pub const SCHEMA: &str = "upcycle.selection/v1";

/// Workshop choices that steer the selection (part of the workshop config).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Always choose this profile when it fits.
    #[serde(default)]
    pub pin: Option<String>,
    /// Never choose these profiles.
    #[serde(default)]
    pub forbid: Vec<String>,
    /// Never choose profiles of these families (e.g. `[ubuntu]`).
    #[serde(default)]
    pub forbid_families: Vec<Family>,
    /// Prefer these desktops (e.g. `[LXQt]`) among the profiles that fit.
    #[serde(default)]
    pub prefer_desktops: Vec<String>,
    /// Install only these app sets (default: every set the profile offers).
    #[serde(default)]
    pub app_sets: Option<Vec<String>>,
    /// Kernel for a Pentium M without the PAE flag on i386 profiles.
    #[serde(default)]
    pub pentium_m_kernel: PentiumMKernel,
    /// Advise a new battery from this wear on (percent).
    #[serde(default = "default_battery_wear")]
    pub battery_wear_percent: u8,
}

fn default_battery_wear() -> u8 {
    50
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PentiumMKernel {
    /// The non-PAE `686` kernel: supported, no kernel parameter needed.
    #[default]
    NonPae,
    /// The PAE kernel with `forcepae` on the command line (taints the kernel).
    PaeForcepae,
}

/// The outcome for one machine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    pub schema: String,
    pub machine: MachineSummary,
    /// `null` when no profile fits (the command then exits with its own code).
    pub chosen: Option<Chosen>,
    pub dropped_apps: Vec<DroppedApp>,
    pub rejected: Vec<Rejected>,
    /// Every profile that fits, best first, with its score.
    pub ranking: Vec<Ranked>,
    pub upgrades: Vec<Upgrade>,
    /// How unknown facts were decided.
    pub assumptions: Vec<String>,
    /// Hardware notes for the volunteer, each with a source.
    pub notes: Vec<Note>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MachineSummary {
    pub vendor: Option<String>,
    pub model: Option<String>,
    pub serial: Option<String>,
    pub cpu: Option<String>,
    pub cpu_64bit: bool,
    pub ram_mib: Option<u64>,
    pub disk: Option<String>,
    pub disk_bytes: Option<u64>,
    pub disk_ssd: Option<bool>,
    pub battery_wear_percent: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chosen {
    pub profile: String,
    pub name: Localized,
    pub family: Family,
    pub release: String,
    pub codename: String,
    pub arch: Arch,
    pub installer: InstallerFormat,
    pub support_until: String,
    /// Kernel package, e.g. `linux-image-686`.
    pub kernel_flavour: String,
    /// Extra kernel parameters for the installer and the installed system.
    pub boot_params: Vec<String>,
    pub desktop: String,
    pub desktop_tasks: Vec<String>,
    pub desktop_packages: Vec<String>,
    /// Subiquity source id (Ubuntu).
    pub desktop_source: Option<String>,
    pub firmware_packages: Vec<String>,
    /// Package names of every chosen app, sorted.
    pub apps: Vec<String>,
    pub app_list: Vec<ChosenApp>,
    /// Packages of the profile and of hardware quirks (headers, boot loader).
    pub packages: Vec<String>,
    pub install_disk: Option<String>,
    pub swap_mib: u64,
    pub zram: bool,
    pub score: u32,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChosenApp {
    pub set: String,
    pub id: String,
    pub name: String,
    pub packages: Vec<String>,
    /// The app this one stands in for, if it is an alternative.
    pub instead_of: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DroppedApp {
    pub set: String,
    pub app: String,
    pub name: String,
    pub reason: String,
    /// The app installed instead, if one fits.
    pub alternative: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rejected {
    pub profile: String,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ranked {
    pub profile: String,
    pub score: u32,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Upgrade {
    pub change: String,
    /// Rough cost, e.g. `about 8 EUR`.
    pub cost: Option<String>,
    pub unlocks: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub id: String,
    pub text: String,
    pub source: String,
}

/// Firmware data per Debian release, looked up by codename.
pub type FirmwareData<'a> = &'a dyn Fn(&str) -> Option<&'static FirmwareMap>;

/// Everything the selection needs besides the report.
pub struct Inputs<'a> {
    pub catalog: &'a Catalog,
    pub policy: &'a Policy,
    /// The day the selection is made (support lifetime is counted from it).
    pub today: NaiveDate,
    pub firmware: FirmwareData<'a>,
    pub lang: Lang,
}

/// The embedded firmware data of a release (for [`Inputs::firmware`]).
pub fn embedded_firmware(codename: &str) -> Option<&'static FirmwareMap> {
    FirmwareMap::embedded(codename)
}

/// The facts the selection uses, with unknowns decided.
#[derive(Debug, Clone)]
struct Facts {
    ram_mib: u64,
    lm: bool,
    pae: bool,
    sse2: bool,
    forcepae: bool,
    cores: u32,
    mhz: Option<u32>,
    disk: Option<String>,
    disk_gb: Option<u64>,
    ssd: bool,
    assumptions: Vec<String>,
}

const ASSUMED_RAM_MIB: u64 = 1024;

fn facts(r: &HardwareReport) -> Facts {
    let mut assumptions = Vec::new();
    let ram_mib = r.memory.installed_mib.unwrap_or_else(|| {
        assumptions.push(format!(
            "RAM size unknown (no readable proc/meminfo): assumed {} to be safe; check the sticker or BIOS and re-run",
            mib_text(ASSUMED_RAM_MIB)
        ));
        ASSUMED_RAM_MIB
    });
    if r.cpu.threads.is_none() {
        assumptions.push("CPU unknown (no readable proc/cpuinfo): assumed 32-bit without PAE and SSE2".into());
    }
    if r.cpu.max_mhz.is_none() && r.cpu.threads.is_some() {
        assumptions.push("CPU clock unknown: counted as half the recommended clock".into());
    }
    let target = r
        .storage
        .install_target
        .as_ref()
        .and_then(|t| r.storage.disks.iter().find(|d| &d.name == t));
    let disk_gb = target.and_then(|d| d.size_bytes).map(|b| b / 1_000_000_000);
    if target.is_some() && disk_gb.is_none() {
        assumptions.push("disk size unknown: assumed big enough".into());
    }
    let ssd = match target.map(|d| (d.rotational, d.transport)) {
        Some((Some(false), _)) | Some((None, Transport::Nvme | Transport::Mmc)) => true,
        Some((Some(true), _)) => false,
        Some((None, _)) => {
            assumptions.push("disk type unknown: assumed a spinning hard disk".into());
            false
        }
        None => false,
    };
    Facts {
        ram_mib,
        lm: r.cpu.flags.lm,
        pae: r.cpu.flags.pae,
        sse2: r.cpu.flags.sse2,
        forcepae: r.cpu.forcepae,
        cores: r.cpu.cores.unwrap_or(1).max(1),
        mhz: r.cpu.max_mhz,
        disk: target.map(|d| d.name.clone()),
        disk_gb,
        ssd,
        assumptions,
    }
}

/// Select a stack for one machine.
pub fn select(report: &HardwareReport, inputs: &Inputs) -> Selection {
    let mut selection = select_without_upgrades(report, inputs);
    selection.upgrades = upgrades(report, inputs, &selection);
    selection
}

fn select_without_upgrades(report: &HardwareReport, inputs: &Inputs) -> Selection {
    let f = facts(report);
    let mut rejected = Vec::new();
    let mut ranking: Vec<(u32, &Profile, Vec<String>)> = Vec::new();
    for p in &inputs.catalog.profiles {
        let (pass, reasons) = check_requirements(p, &f, inputs.policy);
        if pass.is_empty() {
            let (score, mut why) = score(p, &f, inputs);
            why.splice(0..0, reasons);
            ranking.push((score, p, why));
        } else {
            rejected.push(Rejected {
                profile: p.id.clone(),
                reasons: pass,
            });
        }
    }
    // Best score first; ties go to the id that sorts first.
    ranking.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));

    let mut notes = Vec::new();
    let mut dropped_apps = Vec::new();
    let chosen = ranking.first().map(|(score, p, reasons)| {
        let (chosen, dropped, quirk_notes) = build_chosen(report, &f, p, *score, reasons.clone(), inputs);
        dropped_apps = dropped;
        notes = quirk_notes;
        chosen
    });
    Selection {
        schema: SCHEMA.to_string(),
        machine: MachineSummary {
            vendor: report.machine.vendor.clone(),
            model: report.machine.model.clone(),
            serial: report.machine.serial.clone(),
            cpu: report.cpu.model_name.clone(),
            cpu_64bit: f.lm,
            ram_mib: report.memory.installed_mib,
            disk: f.disk.clone(),
            disk_bytes: f.disk_gb.map(|g| g * 1_000_000_000),
            disk_ssd: f.disk.as_ref().map(|_| f.ssd),
            battery_wear_percent: report.battery.packs.iter().filter_map(|p| p.wear_percent).max(),
        },
        chosen,
        dropped_apps,
        rejected,
        ranking: ranking
            .into_iter()
            .map(|(score, p, reasons)| Ranked {
                profile: p.id.clone(),
                score,
                reasons,
            })
            .collect(),
        upgrades: Vec::new(),
        assumptions: f.assumptions,
        notes,
    }
}

/// Hard requirements: (failures, passes), each a sentence.
fn check_requirements(p: &Profile, f: &Facts, policy: &Policy) -> (Vec<String>, Vec<String>) {
    let mut fail = Vec::new();
    let mut pass = Vec::new();
    let req = &p.requires;
    if policy.forbid.contains(&p.id) {
        fail.push("forbidden by the workshop policy".to_string());
    }
    if policy.forbid_families.contains(&p.distribution.family) {
        fail.push(format!(
            "{:?} systems are forbidden by the workshop policy",
            p.distribution.family
        ));
    }
    if f.disk.is_none() {
        fail.push("no internal disk to install on (USB sticks and SD cards are never used)".into());
    }
    if req.cpu_64bit {
        if f.lm {
            pass.push("64-bit CPU".into());
        } else {
            fail.push("needs a 64-bit CPU; this one is 32-bit only".into());
        }
    }
    if req.cpu_32bit_only && f.lm {
        fail.push("for 32-bit-only CPUs; this CPU runs 64-bit systems, which Debian recommends for it".into());
    }
    if req.pae && !f.pae && !f.forcepae {
        fail.push("needs PAE; this CPU has none".into());
    }
    if req.sse2 && !f.sse2 {
        fail.push("needs SSE2; this CPU has none".into());
    }
    if f.ram_mib < req.min_ram_mib {
        fail.push(format!(
            "needs at least {} RAM; this machine has {}",
            mib_text(req.min_ram_mib),
            mib_text(f.ram_mib)
        ));
    } else {
        pass.push(format!(
            "{} RAM (minimum {})",
            mib_text(f.ram_mib),
            mib_text(req.min_ram_mib)
        ));
    }
    if let Some(gb) = f.disk_gb {
        if gb < req.min_disk_gb {
            fail.push(format!(
                "needs a disk of at least {} GB; this one has {gb} GB",
                req.min_disk_gb
            ));
        }
    }
    (fail, pass)
}

/// Score a profile that fits, in tenths of a point; the reasons say what counted.
fn score(p: &Profile, f: &Facts, inputs: &Inputs) -> (u32, Vec<String>) {
    let rec = &p.recommended;
    let ram_fit = (f.ram_mib as f64 / rec.ram_mib.max(1) as f64).min(1.0);
    let cpu_fit = f
        .mhz
        .map(|m| (m as f64 / rec.cpu_mhz.max(1) as f64).min(1.0))
        .unwrap_or(0.5);
    let cores_fit = (f.cores as f64 / rec.cores.max(1) as f64).min(1.0);
    let disk_fit = if rec.ssd && !f.ssd { 0.0 } else { 1.0 };
    let support_years = NaiveDate::parse_from_str(&p.distribution.support_until, "%Y-%m-%d")
        .map(|end| ((end - inputs.today).num_days() as f64 / 365.25).clamp(0.0, 5.0))
        .unwrap_or(0.0);
    // A machine that meets a richer profile's recommendation should get it.
    let richness = if ram_fit >= 1.0 {
        (rec.ram_mib as f64 / 1024.0).log2() + 1.0
    } else {
        0.0
    };
    let mut points =
        40.0 * ram_fit + 15.0 * cpu_fit + 5.0 * cores_fit + 10.0 * disk_fit + 4.0 * support_years + 10.0 * richness;
    let mut reasons = vec![format!(
        "fit: RAM {:.0} %, CPU {:.0} %, cores {:.0} %{}; {:.1} years of security support left",
        ram_fit * 100.0,
        cpu_fit * 100.0,
        cores_fit * 100.0,
        if rec.ssd && !f.ssd { ", wants an SSD" } else { "" },
        support_years
    )];
    if inputs
        .policy
        .prefer_desktops
        .iter()
        .any(|d| d.eq_ignore_ascii_case(&p.desktop.name))
    {
        points += 25.0;
        reasons.push(format!("the workshop prefers {}", p.desktop.name));
    }
    if inputs.policy.pin.as_deref() == Some(p.id.as_str()) {
        points += 1000.0;
        reasons.push("pinned by the workshop policy".into());
    }
    ((points * 10.0).round() as u32, reasons)
}

fn build_chosen(
    report: &HardwareReport,
    f: &Facts,
    p: &Profile,
    score: u32,
    mut reasons: Vec<String>,
    inputs: &Inputs,
) -> (Chosen, Vec<DroppedApp>, Vec<Note>) {
    let d = &p.distribution;
    // Kernel: the first rule whose condition holds.
    let cond_holds = |c: Option<KernelCondition>| match c {
        None => true,
        Some(KernelCondition::Pae) => f.pae,
        Some(KernelCondition::Forcepae) => f.forcepae,
    };
    let mut rule = p.kernel.iter().find(|r| cond_holds(r.when)).cloned();
    if f.forcepae && inputs.policy.pentium_m_kernel == PentiumMKernel::PaeForcepae {
        if let Some(pae_rule) = p.kernel.iter().find(|r| r.when == Some(KernelCondition::Pae)) {
            let mut r = pae_rule.clone();
            r.boot_params.push("forcepae".into());
            r.reason = Some("workshop policy: PAE kernel with `forcepae` for this Pentium M".into());
            rule = Some(r);
        }
    }
    let rule = rule.unwrap_or_else(|| p.kernel.last().expect("profiles check ensures a kernel rule").clone());
    if let Some(why) = &rule.reason {
        reasons.push(format!("kernel {}: {why}", rule.package));
    }
    let mut boot_params = rule.boot_params.clone();

    // Apps.
    let wanted_sets: Vec<&String> = p
        .app_sets
        .iter()
        .filter(|s| inputs.policy.app_sets.as_ref().is_none_or(|only| only.contains(s)))
        .collect();
    let mut app_list = Vec::new();
    let mut dropped = Vec::new();
    for set_id in wanted_sets {
        let Some(set) = inputs.catalog.app_sets.get(set_id) else {
            continue;
        };
        for app in set.apps.iter().filter(|a| !a.only_as_alternative) {
            match app_fit(app, f, &d.codename) {
                Ok(packages) => app_list.push(ChosenApp {
                    set: set.id.clone(),
                    id: app.id.clone(),
                    name: app.name.clone(),
                    packages,
                    instead_of: None,
                }),
                Err(reason) => {
                    let mut alternative = None;
                    let mut next = app.alternative.as_deref();
                    let mut seen = BTreeSet::new();
                    while let Some(alt_id) = next {
                        if !seen.insert(alt_id) {
                            break;
                        }
                        let Some(alt) = set.apps.iter().find(|a| a.id == alt_id) else {
                            break;
                        };
                        if let Ok(packages) = app_fit(alt, f, &d.codename) {
                            app_list.push(ChosenApp {
                                set: set.id.clone(),
                                id: alt.id.clone(),
                                name: alt.name.clone(),
                                packages,
                                instead_of: Some(app.id.clone()),
                            });
                            alternative = Some(alt.id.clone());
                            break;
                        }
                        next = alt.alternative.as_deref();
                    }
                    dropped.push(DroppedApp {
                        set: set.id.clone(),
                        app: app.id.clone(),
                        name: app.name.clone(),
                        reason,
                        alternative,
                    });
                }
            }
        }
    }
    let apps: BTreeSet<String> = app_list.iter().flat_map(|a| a.packages.iter().cloned()).collect();

    // Firmware: Debian's data for this release; Ubuntu installs linux-firmware anyway.
    let mut firmware = BTreeSet::new();
    if d.family == Family::Debian {
        if let Some(map) = (inputs.firmware)(&d.codename) {
            let aliases = report
                .graphics
                .iter()
                .map(|g| &g.ids.modalias)
                .chain(report.network.iter().map(|n| &n.ids.modalias));
            for alias in aliases {
                if let Some(need) = map.lookup(alias) {
                    firmware.insert(need.package);
                }
            }
        }
    }

    // Hardware quirks.
    let mut packages: BTreeSet<String> = p.packages.iter().cloned().collect();
    let mut notes = Vec::new();
    for q in inputs
        .catalog
        .quirks
        .iter()
        .filter(|q| quirk_matches(q, report, &firmware))
    {
        notes.push(Note {
            id: q.id.clone(),
            text: q.note.get(inputs.lang).to_string(),
            source: q.source.clone(),
        });
        if q.applies_to(p) {
            packages.extend(q.packages.iter().cloned());
            boot_params.extend(q.boot_params.iter().cloned());
            if q.kernel_headers {
                packages.insert(rule.package.replacen("linux-image-", "linux-headers-", 1));
            }
        }
    }
    boot_params.dedup();
    // Firmware packages named by quirks belong with the firmware.
    for pkg in packages.clone() {
        if pkg.starts_with("firmware-") {
            packages.remove(&pkg);
            if d.family == Family::Debian {
                firmware.insert(pkg);
            }
        }
    }

    let chosen = Chosen {
        profile: p.id.clone(),
        name: p.name.clone(),
        family: d.family,
        release: d.release.clone(),
        codename: d.codename.clone(),
        arch: d.arch,
        installer: d.installer,
        support_until: d.support_until.clone(),
        kernel_flavour: rule.package.clone(),
        boot_params,
        desktop: p.desktop.name.clone(),
        desktop_tasks: p.desktop.tasks.clone(),
        desktop_packages: p.desktop.packages.clone(),
        desktop_source: p.desktop.source.clone(),
        firmware_packages: firmware.into_iter().collect(),
        apps: apps.into_iter().collect(),
        app_list,
        packages: packages.into_iter().collect(),
        install_disk: f.disk.clone(),
        swap_mib: p.tuning.swap.size_mib(f.ram_mib),
        zram: p.tuning.zram,
        score,
        reasons,
    };
    (chosen, dropped, notes)
}

/// The app's packages for this release if the machine can run it, else why not.
fn app_fit(app: &App, f: &Facts, codename: &str) -> Result<Vec<String>, String> {
    let Some(packages) = app.packages_for(codename) else {
        return Err(format!("not packaged in {codename}"));
    };
    let n = &app.needs;
    let mut missing = Vec::new();
    if f.ram_mib < n.min_ram_mib {
        missing.push(format!("{} RAM", mib_text(n.min_ram_mib)));
    }
    if n.cpu_64bit && !f.lm {
        missing.push("a 64-bit CPU".into());
    }
    if f.cores < n.min_cores {
        missing.push(format!("{} CPU cores", n.min_cores));
    }
    if missing.is_empty() {
        Ok(packages.to_vec())
    } else {
        Err(format!("needs {}", missing.join(" and ")))
    }
}

fn quirk_matches(q: &Quirk, r: &HardwareReport, firmware: &BTreeSet<String>) -> bool {
    let w = &q.when;
    let mut any = false;
    if let Some(v) = w.cpu_forcepae {
        if r.cpu.forcepae != v {
            return false;
        }
        any = true;
    }
    if let Some(v) = w.ia32_uefi {
        if r.firmware.needs_ia32_bootloader != v {
            return false;
        }
        any = true;
    }
    if let Some(m) = &w.pci {
        if !r
            .graphics
            .iter()
            .map(|g| &g.ids)
            .chain(r.network.iter().map(|n| &n.ids))
            .any(|ids| pci_matches(m, ids))
        {
            return false;
        }
        any = true;
    }
    if let Some(pkg) = &w.firmware_package {
        let in_report = r
            .graphics
            .iter()
            .filter_map(|g| g.firmware.as_ref())
            .chain(r.network.iter().filter_map(|n| n.firmware.as_ref()))
            .any(|fw| &fw.package == pkg);
        if !in_report && !firmware.contains(pkg) {
            return false;
        }
        any = true;
    }
    any
}

fn pci_matches(m: &PciMatch, ids: &crate::report::DeviceIds) -> bool {
    if ids.bus != crate::report::Bus::Pci || !ids.vendor.eq_ignore_ascii_case(&m.vendor) {
        return false;
    }
    if let Some(class) = &m.class {
        if !ids.class.as_deref().is_some_and(|c| c.starts_with(class.as_str())) {
            return false;
        }
    }
    if !m.devices.is_empty() && !m.devices.iter().any(|d| d.eq_ignore_ascii_case(&ids.device)) {
        return false;
    }
    if let Some(below) = &m.device_below {
        let (Ok(dev), Ok(limit)) = (u32::from_str_radix(&ids.device, 16), u32::from_str_radix(below, 16)) else {
            return false;
        };
        if dev >= limit {
            return false;
        }
    }
    true
}

/// RAM totals to try for the advice, in MiB.
const RAM_STEPS: &[u64] = &[512, 1024, 1536, 2048, 3072, 4096, 6144, 8192, 16384];

/// Cheap changes that would unlock a better profile or more apps, found by selecting
/// again on a modified report.
fn upgrades(report: &HardwareReport, inputs: &Inputs, base: &Selection) -> Vec<Upgrade> {
    let costs = inputs.catalog.upgrade_costs.as_ref();
    let mut out = Vec::new();
    let current_ram = report.memory.installed_mib.unwrap_or(ASSUMED_RAM_MIB);
    // 32-bit systems see at most 4 GiB; laptops of the 64-bit era rarely take over 16.
    let max_ram = if report.cpu.flags.lm { 16384 } else { 4096 };
    let mut unlocked: BTreeSet<String> = BTreeSet::new();
    // `gains` compares profiles and apps only: the re-selections skip the firmware lookup.
    let no_firmware = |_: &str| None;
    let inputs = &Inputs {
        firmware: &no_firmware,
        ..*inputs
    };
    for &target in RAM_STEPS.iter().filter(|&&t| t > current_ram && t <= max_ram) {
        let mut modified = report.clone();
        modified.memory.installed_mib = Some(target);
        modified.memory.mem_total_kib = Some(target * 1024 * 95 / 100);
        let gains: Vec<String> = gains(base, &select_without_upgrades(&modified, inputs))
            .into_iter()
            .filter(|g| !unlocked.contains(g))
            .collect();
        if gains.is_empty() {
            continue;
        }
        unlocked.extend(gains.iter().cloned());
        let added_gib = (target - current_ram) as f64 / 1024.0;
        out.push(Upgrade {
            change: format!(
                "RAM to {} (+{}), if the mainboard takes it",
                mib_text(target),
                mib_text(target - current_ram)
            ),
            cost: costs.map(|c| {
                format!(
                    "about {} {}",
                    (added_gib * c.ram_per_gib as f64).ceil() as u32,
                    c.currency
                )
            }),
            unlocks: gains,
        });
    }
    let target = report.storage.install_target.as_ref();
    let hdd = target
        .and_then(|t| report.storage.disks.iter().find(|d| &d.name == t))
        .is_some_and(|d| d.rotational != Some(false));
    if hdd {
        let mut modified = report.clone();
        for d in modified.storage.disks.iter_mut().filter(|d| Some(&d.name) == target) {
            d.rotational = Some(false);
        }
        let gains = gains(base, &select_without_upgrades(&modified, inputs));
        if !gains.is_empty() {
            out.push(Upgrade {
                change: "SSD instead of the hard disk".into(),
                cost: costs.map(|c| format!("about {} {}", c.ssd, c.currency)),
                unlocks: gains,
            });
        }
    }
    // The battery changes nothing in the selection: a worn one only limits unplugged use.
    if let Some(wear) = base
        .machine
        .battery_wear_percent
        .filter(|w| *w >= inputs.policy.battery_wear_percent)
    {
        out.push(Upgrade {
            change: format!("new battery (this one is {wear} % worn)"),
            cost: costs.map(|c| format!("about {} {}", c.battery, c.currency)),
            unlocks: vec!["use away from the mains".into()],
        });
    }
    out
}

/// What `after` has that `before` lacks: a different (better) profile, or more apps.
fn gains(before: &Selection, after: &Selection) -> Vec<String> {
    let mut out = Vec::new();
    let Some(new) = &after.chosen else { return out };
    match &before.chosen {
        Some(old) if old.profile == new.profile => {}
        Some(old) if new.score <= old.score => {}
        _ => out.push(format!("profile {} ({})", new.profile, new.name.en)),
    }
    let had: BTreeSet<&str> = before
        .chosen
        .iter()
        .flat_map(|c| c.app_list.iter().map(|a| a.id.as_str()))
        .collect();
    for app in new.app_list.iter().filter(|a| !had.contains(a.id.as_str())) {
        if before.chosen.is_some() {
            out.push(format!("app {}", app.name));
        }
    }
    out
}

/// `1024` -> `1 GiB`, `1536` -> `1.5 GiB`, `512` -> `512 MiB`.
pub fn mib_text(mib: u64) -> String {
    if mib >= 1024 && mib % 512 == 0 {
        let gib = mib as f64 / 1024.0;
        if gib.fract() == 0.0 {
            format!("{gib:.0} GiB")
        } else {
            format!("{gib:.1} GiB")
        }
    } else {
        format!("{mib} MiB")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_sizes_read_well() {
        assert_eq!(mib_text(1024), "1 GiB");
        assert_eq!(mib_text(1536), "1.5 GiB");
        assert_eq!(mib_text(512), "512 MiB");
        assert_eq!(mib_text(1000), "1000 MiB");
    }

    #[test]
    fn swap_rule_clamps() {
        let rule = crate::catalog::SwapRule {
            percent_of_ram: 100,
            min_mib: 1024,
            max_mib: 4096,
        };
        assert_eq!(rule.size_mib(512), 1024);
        assert_eq!(rule.size_mib(2048), 2048);
        assert_eq!(rule.size_mib(16384), 4096);
    }
}
