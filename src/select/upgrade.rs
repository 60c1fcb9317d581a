//! Upgrade advice: cheap changes (RAM, an SSD, a battery, a USB Wi-Fi stick) that would
//! unlock a better profile, more apps or free Wi-Fi; RAM and SSD found by selecting again
//! on a modified report.

use std::collections::BTreeSet;

use super::facts::ASSUMED_RAM_MIB;
use super::{Inputs, Pick, Selection, Upgrade, pick};
use crate::l10n::Said;
use crate::report::{HardwareReport, NetworkDevice, NetworkKind};

/// Firmware packages that mean a Wi-Fi card has no working free software in Debian:
/// Broadcom's proprietary `wl` driver (built by DKMS, non-free) and the b43/b43legacy
/// firmware, which the installer packages (contrib) download from Broadcom at install
/// time (shared/reference distros-and-packages.md §4.4).
const NON_FREE_WIFI: &[&str] = &[
    "broadcom-sta-dkms",
    "firmware-b43-installer",
    "firmware-b43legacy-installer",
];

/// RAM totals to try for the advice, in MiB.
const RAM_STEPS: &[u64] = &[512, 1024, 1536, 2048, 3072, 4096, 6144, 8192, 16384];

/// Cheap changes that would unlock a better profile or more apps, found by selecting
/// again on a modified report.
pub(super) fn upgrades(report: &HardwareReport, inputs: &Inputs, base: &Selection) -> Vec<Upgrade> {
    advice(report, inputs, base, ram_saturation_mib(inputs.catalog))
}

/// [`upgrades`], trying no RAM step beyond the first at or above `saturated` MiB.
fn advice(report: &HardwareReport, inputs: &Inputs, base: &Selection, saturated: u64) -> Vec<Upgrade> {
    let costs = inputs.catalog.upgrade_costs.as_ref();
    let mut out = Vec::new();
    let current_ram = report.memory.installed_mib.unwrap_or(ASSUMED_RAM_MIB);
    // 32-bit systems see at most 4 GiB; laptops of the 64-bit era rarely take over 16.
    let max_ram = if report.cpu.flags.lm { 16384 } else { 4096 };
    let mut unlocked: Vec<Said> = Vec::new();
    // `gains` compares profiles and apps only: each step asks only for those (`pick`).
    let mut modified = report.clone();
    // Above the largest RAM figure the catalog compares with, more RAM changes nothing
    // (every requirement met, every RAM fit full): one step there is enough, the next
    // ones would select the same and unlock nothing new.
    let mut steps = RAM_STEPS
        .iter()
        .filter(|&&t| t > current_ram && t <= max_ram)
        .peekable();
    while let Some(&target) = steps.next_if(|_| modified.memory.installed_mib.is_none_or(|m| m < saturated)) {
        modified.memory.installed_mib = Some(target);
        modified.memory.mem_total_kib = Some(target * 1024 * 95 / 100);
        let gains: Vec<Said> = gains(base, pick(&modified, inputs))
            .into_iter()
            .filter(|g| !unlocked.contains(g))
            .collect();
        if gains.is_empty() {
            continue;
        }
        unlocked.extend(gains.iter().cloned());
        let added_gib = (target - current_ram) as f64 / 1024.0;
        out.push(Upgrade {
            change: Said::new("upgrade-ram")
                .arg("target_mib", target)
                .arg("added_mib", target - current_ram),
            cost: costs.map(|c| about((added_gib * c.ram_per_gib as f64).ceil() as u32, &c.currency)),
            unlocks: gains,
        });
    }
    let target = report.storage.install_target.as_ref();
    let hdd = target
        .and_then(|t| report.storage.disks.iter().find(|d| &d.name == t))
        .is_some_and(|d| d.rotational != Some(false));
    if hdd {
        modified.memory = report.memory.clone();
        for d in modified.storage.disks.iter_mut().filter(|d| Some(&d.name) == target) {
            d.rotational = Some(false);
        }
        let gains = gains(base, pick(&modified, inputs));
        if !gains.is_empty() {
            out.push(Upgrade {
                change: Said::new("upgrade-ssd"),
                cost: costs.map(|c| about(c.ssd, &c.currency)),
                unlocks: gains,
            });
        }
    }
    // Wi-Fi: only worth it for a machine that gets (or with the advice above would get) a
    // system, and only when no Wi-Fi device of the machine works with free software.
    if base.chosen.is_some() || !out.is_empty() {
        if let Some(why) = wifi_needs_a_stick(report) {
            out.push(Upgrade {
                change: Said::new("upgrade-wifi-stick").arg("why", why),
                cost: costs.and_then(|c| c.wifi_stick.map(|n| about(n, &c.currency))),
                unlocks: vec![Said::new("unlocks-wifi")],
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
            change: Said::new("upgrade-battery").arg("wear", wear),
            cost: costs.map(|c| about(c.battery, &c.currency)),
            unlocks: vec![Said::new("unlocks-mains")],
        });
    }
    out
}

/// The largest RAM size the selection compares a machine's RAM with: a profile's minimum
/// or recommended RAM, an app's minimum.
fn ram_saturation_mib(catalog: &crate::catalog::Catalog) -> u64 {
    let profiles = catalog
        .profiles
        .iter()
        .flat_map(|p| [p.requires.min_ram_mib, p.recommended.ram_mib]);
    let apps = catalog
        .app_sets
        .values()
        .flat_map(|s| s.apps.iter().map(|a| a.needs.min_ram_mib));
    profiles.chain(apps).max().unwrap_or(0)
}

/// A rough cost: `about 8 EUR`.
fn about(amount: u32, currency: &str) -> Said {
    Said::new("cost-about").arg("amount", amount).arg("currency", currency)
}

/// Why the machine's Wi-Fi needs a USB stick, or `None` when it has Wi-Fi that works with
/// free software (or no Wi-Fi device at all: a desktop, or a card the capture missed).
fn wifi_needs_a_stick(r: &HardwareReport) -> Option<Vec<Said>> {
    let wifi: Vec<&NetworkDevice> = r.network.iter().filter(|n| n.kind == NetworkKind::Wifi).collect();
    // "No driver" only counts where the capture shows drivers at all (a hand-built tree
    // from `lspci -nn` has none anywhere).
    let drivers_known = r.network.iter().any(|n| n.driver.is_some());
    let problem = |n: &NetworkDevice| -> Option<Said> {
        let name = n
            .device_name
            .clone()
            .unwrap_or_else(|| format!("{}:{}", n.ids.vendor, n.ids.device));
        if n.driver.as_deref() == Some("wl") {
            return Some(Said::new("wifi-wl").arg("name", name));
        }
        if let Some(fw) = n
            .firmware
            .as_ref()
            .filter(|f| NON_FREE_WIFI.contains(&f.package.as_str()))
        {
            return Some(
                Said::new("wifi-needs")
                    .arg("name", name)
                    .arg("package", fw.package.as_str()),
            );
        }
        if drivers_known && n.driver.is_none() && n.interfaces.is_empty() && n.firmware.is_none() {
            return Some(Said::new("wifi-no-driver").arg("name", name));
        }
        None
    };
    let problems: Vec<Said> = wifi.iter().filter_map(|n| problem(n)).collect();
    (!problems.is_empty() && problems.len() == wifi.len()).then_some(problems)
}

/// What `after` has that `before` lacks: a different (better) profile, or more apps.
fn gains(before: &Selection, after: Option<Pick>) -> Vec<Said> {
    let mut out = Vec::new();
    let Some(new) = after else { return out };
    match &before.chosen {
        Some(old) if old.profile == new.profile.id => {}
        Some(old) if new.score <= old.score => {}
        _ => out.push(
            Said::new("unlocks-profile")
                .arg("profile", &new.profile.id)
                .arg("name", new.profile.name.clone()),
        ),
    }
    let had: BTreeSet<&str> = before
        .chosen
        .iter()
        .flat_map(|c| c.app_list.iter().map(|a| a.id.as_str()))
        .collect();
    for app in new.apps.iter().filter(|a| !had.contains(a.id.as_str())) {
        if before.chosen.is_some() {
            out.push(Said::new("unlocks-app").arg("app", app.name.clone()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::{Inputs, Policy, embedded_firmware, select_without_upgrades};

    /// Every fixture machine's report (those that probe) at each of these RAM sizes.
    fn fixtures_at(rams: &[Option<u64>]) -> Vec<crate::report::HardwareReport> {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/machines");
        let mut out = Vec::new();
        for entry in std::fs::read_dir(fixtures).unwrap() {
            let root = crate::probe::SysRoot::at(entry.unwrap().path().join("root"));
            let Ok(report) = crate::probe::probe(&root, crate::fwmap::FirmwareMap::embedded("bookworm").unwrap())
            else {
                continue;
            };
            for ram in rams {
                let mut r = report.clone();
                r.memory.installed_mib = *ram;
                out.push(r);
            }
        }
        out
    }

    /// `pick` (what the advice asks at each step) chooses what the whole selection chooses:
    /// the same profile, score and apps, for every fixture machine at every RAM size, and
    /// with a policy that prefers a desktop and one that pins a profile.
    #[test]
    fn the_advices_pick_is_what_the_selection_chooses() {
        let (catalog, _) = crate::catalog::load::load(None).unwrap();
        let policies = [
            Policy::default(),
            Policy {
                prefer_desktops: vec!["LXQt".to_string()],
                ..Default::default()
            },
            Policy {
                pin: Some("debian-12-i386-xfce".to_string()),
                ..Default::default()
            },
        ];
        let reports = fixtures_at(&[
            None,
            Some(256),
            Some(512),
            Some(1024),
            Some(1536),
            Some(2048),
            Some(4096),
            Some(16384),
        ]);
        let (mut compared, mut chosen, mut profiles) = (0, 0, std::collections::BTreeSet::new());
        for policy in &policies {
            let inputs = Inputs {
                catalog: &catalog,
                policy,
                today: chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
                firmware: &embedded_firmware,
            };
            for r in &reports {
                let ram = r.memory.installed_mib;
                let whole = select_without_upgrades(r, &inputs).chosen;
                let picked = super::super::pick(r, &inputs);
                let key = |profile: &str, score: u32, apps: &[crate::select::ChosenApp]| {
                    (profile.to_string(), score, apps.to_vec())
                };
                assert_eq!(
                    picked.map(|p| key(&p.profile.id, p.score, &p.apps)),
                    whole.as_ref().map(|c| key(&c.profile, c.score, &c.app_list)),
                    "{:?} at {ram:?} MiB",
                    r.machine.model
                );
                compared += 1;
                if let Some(c) = whole {
                    chosen += 1;
                    profiles.insert(c.profile);
                }
            }
        }
        assert!(
            compared >= 250 && chosen >= 150,
            "{compared} compared, {chosen} with a profile"
        );
        assert!(profiles.len() >= 4, "{profiles:?}");
    }

    /// Stopping at the catalog's largest RAM figure gives the same advice as trying every
    /// RAM step: every fixture machine, at every RAM size from 256 MiB up and unknown,
    /// 32- and 64-bit.
    #[test]
    fn the_ram_steps_above_the_catalogs_largest_figure_change_nothing() {
        let (catalog, _) = crate::catalog::load::load(None).unwrap();
        let saturated = super::ram_saturation_mib(&catalog);
        assert!(
            (4096..16384).contains(&saturated),
            "the catalog's largest RAM figure: {saturated}"
        );
        let policy = Policy::default();
        let inputs = Inputs {
            catalog: &catalog,
            policy: &policy,
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            firmware: &embedded_firmware,
        };
        let mut compared = 0;
        let mut with_ram_advice = 0;
        for r in fixtures_at(&[
            None,
            Some(256),
            Some(512),
            Some(1024),
            Some(2048),
            Some(3072),
            Some(4096),
            Some(8192),
        ]) {
            let ram = r.memory.installed_mib;
            let base = select_without_upgrades(&r, &inputs);
            let short = super::advice(&r, &inputs, &base, saturated);
            assert_eq!(
                short,
                super::advice(&r, &inputs, &base, u64::MAX),
                "{:?} at {ram:?} MiB",
                r.machine.model
            );
            with_ram_advice += short.iter().filter(|u| u.change.code == "upgrade-ram").count();
            compared += 1;
        }
        assert!(compared >= 80, "{compared} machines compared");
        assert!(
            with_ram_advice > 20,
            "only {with_ram_advice} RAM upgrades advised: the test proves little"
        );
    }
}
