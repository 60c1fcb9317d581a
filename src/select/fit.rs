//! Does a profile fit (hard requirements), how well (score), and what exactly is installed
//! on this machine (kernel, apps and their alternatives, firmware, quirks).

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::facts::MachineFacts;
use super::{Chosen, ChosenApp, DroppedApp, Inputs, Note, PentiumMKernel, Policy};
use crate::catalog::{App, Family, KernelCondition, PciMatch, Profile, Quirk};
use crate::l10n::{Arg, Said};
use crate::report::HardwareReport;
use crate::token::{KernelParam, PackageName};

/// A profile's hard requirements on a machine, each said by a code.
pub(super) struct Requirements {
    /// What the machine lacks (or the policy forbids): the profile does not fit.
    pub(super) unmet: Vec<Said>,
    /// What the machine has: the first reasons of a profile that fits.
    pub(super) met: Vec<Said>,
}

/// Check a profile's hard requirements against the machine and the policy.
pub(super) fn requirements(p: &Profile, f: &MachineFacts, policy: &Policy) -> Requirements {
    let mut fail = Vec::new();
    let mut pass = Vec::new();
    let req = &p.requires;
    if policy.forbid.contains(&p.id) {
        fail.push(Said::new("reject-forbidden"));
    }
    if policy.forbid_families.contains(&p.distribution.family) {
        fail.push(Said::new("reject-family-forbidden").arg("family", format!("{:?}", p.distribution.family)));
    }
    if f.disk.is_none() {
        fail.push(Said::new("reject-no-disk"));
    }
    if req.cpu_64bit {
        if f.lm {
            pass.push(Said::new("reason-64bit"));
        } else {
            fail.push(Said::new("reject-needs-64bit"));
        }
    }
    if req.cpu_32bit_only && f.lm {
        fail.push(Said::new("reject-32bit-only"));
    }
    if req.pae && !f.pae && !f.forcepae {
        fail.push(Said::new("reject-needs-pae"));
    }
    if req.cmov && !f.cmov {
        fail.push(Said::new("reject-needs-cmov"));
    }
    if req.sse2 && !f.sse2 {
        fail.push(Said::new("reject-needs-sse2"));
    }
    if f.ram_mib < req.min_ram_mib {
        fail.push(
            Said::new("reject-ram")
                .arg("min_mib", req.min_ram_mib)
                .arg("ram_mib", f.ram_mib),
        );
    } else {
        pass.push(
            Said::new("reason-ram")
                .arg("ram_mib", f.ram_mib)
                .arg("min_mib", req.min_ram_mib),
        );
    }
    if let Some(gb) = f.disk_gb {
        if gb < req.min_disk_gb {
            fail.push(Said::new("reject-disk").arg("min_gb", req.min_disk_gb).arg("gb", gb));
        }
    }
    Requirements { unmet: fail, met: pass }
}

/// Score a profile that fits, in tenths of a point; the reasons say what counted.
pub(super) fn score(p: &Profile, f: &MachineFacts, inputs: &Inputs) -> (u32, Vec<Said>) {
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
    let percent = |fit: f64| Arg::Int((fit * 100.0).round() as i64);
    let mut reasons = vec![
        Said::new("reason-fit")
            .arg("ram", percent(ram_fit))
            .arg("cpu", percent(cpu_fit))
            .arg("cores", percent(cores_fit))
            .arg("wants_ssd", if rec.ssd && !f.ssd { "yes" } else { "no" })
            // Tenths of a year, as shown.
            .arg("years", (support_years * 10.0).round() / 10.0),
    ];
    if inputs
        .policy
        .prefer_desktops
        .iter()
        .any(|d| d.eq_ignore_ascii_case(&p.desktop.name))
    {
        points += 25.0;
        reasons.push(Said::new("reason-preferred").arg("desktop", &p.desktop.name));
    }
    if inputs.policy.pin.as_deref() == Some(p.id.as_str()) {
        points += 1000.0;
        reasons.push(Said::new("reason-pinned"));
    }
    ((points * 10.0).round() as u32, reasons)
}

/// The packages every installed laptop gets for its self-check (`upcycle check`): the
/// disk-health check needs `smartctl` (docs/check.md). Said in the selection's reasons.
pub const SELF_CHECK_PACKAGES: [&str; 1] = ["smartmontools"];

pub(super) fn build_chosen(
    report: &HardwareReport,
    f: &MachineFacts,
    p: &Profile,
    score: u32,
    mut reasons: Vec<Said>,
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
    let mut why: Option<Arg> = rule.as_ref().and_then(|r| r.reason.clone()).map(Arg::Both);
    if f.forcepae && inputs.policy.pentium_m_kernel == PentiumMKernel::PaeForcepae {
        if let Some(pae_rule) = p.kernel.iter().find(|r| r.when == Some(KernelCondition::Pae)) {
            let mut r = pae_rule.clone();
            r.boot_params
                .push(KernelParam::new("forcepae").expect("a valid kernel parameter"));
            why = Some(Said::new("kernel-policy-forcepae").into());
            rule = Some(r);
        }
    }
    let rule = rule.unwrap_or_else(|| {
        let last = p.kernel.last().expect("profiles check ensures a kernel rule").clone();
        why = last.reason.clone().map(Arg::Both);
        last
    });
    if let Some(why) = why {
        reasons.push(
            Said::new("reason-kernel")
                .arg("package", rule.package.as_str())
                .arg("why", why),
        );
    }
    let mut boot_params = rule.boot_params.clone();

    // Apps.
    let AppChoice {
        list: app_list,
        dropped,
        keep_out: apps_kept_out,
    } = choose_apps(p, f, inputs);
    let mut keep_out: BTreeSet<PackageName> = p.desktop.keep_out.iter().cloned().collect();
    keep_out.extend(apps_kept_out);
    let apps: BTreeSet<PackageName> = app_list.iter().flat_map(|a| a.packages.iter().cloned()).collect();

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
    let mut packages: BTreeSet<PackageName> = p.packages.iter().cloned().collect();
    let mut notes = Vec::new();
    for q in inputs
        .catalog
        .quirks
        .iter()
        .filter(|q| quirk_matches(q, report, &firmware))
    {
        notes.push(Note {
            id: q.id.clone(),
            text: q.note.clone(),
            source: q.source.clone(),
            before_install: q.before_install,
        });
        if q.applies_to(p) {
            packages.extend(q.packages.iter().cloned());
            boot_params.extend(q.boot_params.iter().cloned());
            if q.kernel_headers {
                let headers = rule.package.replacen("linux-image-", "linux-headers-", 1);
                packages.insert(PackageName::new(headers).expect("a package name with one prefix swapped is one"));
            }
        }
    }
    boot_params.dedup();
    // What the laptop's own self-check needs (`upcycle check`, docs/check.md), on every
    // laptop: its disk-health check reads SMART through smartctl.
    for pkg in SELF_CHECK_PACKAGES {
        packages.insert(PackageName::new(pkg).expect("a valid package name"));
    }
    reasons.push(Said::new("reason-self-check").arg("packages", SELF_CHECK_PACKAGES.join(", ")));
    // Firmware packages named by quirks belong with the firmware.
    for pkg in packages.clone() {
        if pkg.starts_with("firmware-") {
            packages.remove(&pkg);
            if d.family == Family::Debian {
                firmware.insert(pkg);
            }
        }
    }

    // What is chosen is never kept out (an alternative may share a package).
    for installed in apps
        .iter()
        .chain(&packages)
        .chain(&firmware)
        .chain(&p.desktop.packages)
        .chain(std::iter::once(&rule.package))
    {
        keep_out.remove(installed);
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
        keep_out: keep_out.into_iter().collect(),
        install_disk: f.disk.clone(),
        swap_mib: p.tuning.swap.size_mib(f.ram_mib),
        zram: p.tuning.zram,
        score,
        reasons,
        accessibility: None,
    };
    (chosen, dropped, notes)
}

/// The apps of a profile's sets (those the policy wants) that this machine can run, an
/// alternative for each one it cannot (where the set names one that fits), the apps left
/// out with why, and the packages to keep off (those of the apps left out).
pub(super) struct AppChoice {
    pub list: Vec<ChosenApp>,
    pub dropped: Vec<DroppedApp>,
    pub keep_out: BTreeSet<PackageName>,
}

pub(super) fn choose_apps(p: &Profile, f: &MachineFacts, inputs: &Inputs) -> AppChoice {
    let codename = &p.distribution.codename;
    let wanted_sets: Vec<&String> = p
        .app_sets
        .iter()
        .filter(|s| inputs.policy.app_sets.as_ref().is_none_or(|only| only.contains(s)))
        .collect();
    let mut app_list = Vec::new();
    let mut dropped = Vec::new();
    let mut keep_out = BTreeSet::new();
    for set_id in wanted_sets {
        let Some(set) = inputs.catalog.app_sets.get(set_id) else {
            continue;
        };
        for app in set.apps.iter().filter(|a| !a.only_as_alternative) {
            match app_fit(app, f, codename) {
                Ok(packages) => app_list.push(ChosenApp {
                    set: set.id.clone(),
                    id: app.id.clone(),
                    name: app.name.clone(),
                    packages,
                    instead_of: None,
                }),
                Err(reason) => {
                    keep_out.extend(app.packages_for(codename).unwrap_or_default().iter().cloned());
                    keep_out.extend(app.keep_out.iter().cloned());
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
                        if let Ok(packages) = app_fit(alt, f, codename) {
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
    AppChoice {
        list: app_list,
        dropped,
        keep_out,
    }
}

/// The app's packages for this release if the machine can run it, else why not.
fn app_fit(app: &App, f: &MachineFacts, codename: &str) -> Result<Vec<PackageName>, Said> {
    let Some(packages) = app.packages_for(codename) else {
        return Err(Said::new("app-not-packaged").arg("release", codename));
    };
    let n = &app.needs;
    let mut missing = Vec::new();
    if f.ram_mib < n.min_ram_mib {
        missing.push(Said::new("need-ram").arg("mib", n.min_ram_mib));
    }
    if n.cpu_64bit && !f.lm {
        missing.push(Said::new("need-64bit"));
    }
    if f.cores < n.min_cores {
        missing.push(Said::new("need-cores").arg("n", n.min_cores));
    }
    if missing.is_empty() {
        Ok(packages.to_vec())
    } else {
        Err(Said::new("app-needs").arg("what", missing))
    }
}

fn quirk_matches(q: &Quirk, r: &HardwareReport, firmware: &BTreeSet<PackageName>) -> bool {
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
    if let Some(mode) = w.storage_mode {
        if !r.storage.controllers.iter().any(|c| c.mode == mode) {
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
