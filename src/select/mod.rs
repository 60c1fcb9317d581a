//! Selection: report + catalog + workshop policy -> the stack to install, with reasons.
//!
//! Pure: no file system, no clock (the date is an argument). Every profile is checked
//! against its hard requirements (each pass or fail with a human reason); the ones that
//! pass are scored; the highest score wins, ties go to the profile id that sorts first.
//! Upgrade advice re-runs this same selection on a modified report.
//!
//! `types.rs` is the selection format (the contract with render, media and the
//! inventory), `policy.rs` the workshop's choices, `facts.rs` what the selector reads from
//! a report, `fit.rs` requirements, score and the chosen stack, `upgrade.rs` the advice.

mod facts;
mod fit;
mod policy;
mod types;
mod upgrade;

pub use facts::ASSUMED_RAM_MIB;
pub use fit::SELF_CHECK_PACKAGES;
pub use policy::{PentiumMKernel, Policy};
pub use types::*;

use crate::catalog::{Catalog, Profile};
use crate::fwmap::FirmwareMap;
use crate::l10n::Said;
use crate::report::HardwareReport;
use chrono::NaiveDate;

/// v2: reasons, assumptions, upgrades and dropped-app reasons are codes with arguments
/// (`l10n::Said`), notes carry both languages; v1 sentences are still read.
pub const SCHEMA: &str = "upcycle.selection/v2";

/// Firmware data per Debian release, looked up by codename.
pub type FirmwareData<'a> = &'a dyn Fn(&str) -> Option<&'static FirmwareMap>;

/// Everything the selection needs besides the report.
pub struct Inputs<'a> {
    pub catalog: &'a Catalog,
    pub policy: &'a Policy,
    /// The day the selection is made (support lifetime is counted from it).
    pub today: NaiveDate,
    pub firmware: FirmwareData<'a>,
}

/// The embedded firmware data of a release (for [`Inputs::firmware`]).
pub fn embedded_firmware(codename: &str) -> Option<&'static FirmwareMap> {
    FirmwareMap::embedded(codename)
}

/// Select a stack for one machine.
pub fn select(report: &HardwareReport, inputs: &Inputs) -> Selection {
    let mut selection = select_without_upgrades(report, inputs);
    selection.upgrades = upgrade::upgrades(report, inputs, &selection);
    selection
}

pub(super) fn select_without_upgrades(report: &HardwareReport, inputs: &Inputs) -> Selection {
    let f = facts::facts(report);
    let mut rejected = Vec::new();
    let mut ranking: Vec<(u32, &Profile, Vec<Said>)> = Vec::new();
    for p in &inputs.catalog.profiles {
        let req = fit::requirements(p, &f, inputs.policy);
        if req.unmet.is_empty() {
            let (score, mut why) = fit::score(p, &f, inputs);
            why.splice(0..0, req.met);
            ranking.push((score, p, why));
        } else {
            rejected.push(Rejected {
                profile: p.id.clone(),
                reasons: req.unmet,
            });
        }
    }
    // Best score first; ties go to the id that sorts first.
    ranking.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));

    let mut notes = Vec::new();
    let mut dropped_apps = Vec::new();
    let chosen = ranking.first().map(|(score, p, reasons)| {
        let (chosen, dropped, quirk_notes) = fit::build_chosen(report, &f, p, *score, reasons.clone(), inputs);
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

/// What a selection on this report would choose, as far as the upgrade advice compares it:
/// the winning profile, its score and its apps. The same as [`select_without_upgrades`]'s
/// `chosen` (a test holds them equal) without building the rest of it (kernel, firmware,
/// quirks, reasons): the advice asks this once per RAM step.
pub(super) struct Pick<'c> {
    pub profile: &'c Profile,
    pub score: u32,
    pub apps: Vec<ChosenApp>,
}

pub(super) fn pick<'c>(report: &HardwareReport, inputs: &Inputs<'c>) -> Option<Pick<'c>> {
    let f = facts::facts(report);
    let mut best: Option<(u32, &'c Profile)> = None;
    for p in &inputs.catalog.profiles {
        if !fit::requirements(p, &f, inputs.policy).unmet.is_empty() {
            continue;
        }
        let (score, _) = fit::score(p, &f, inputs);
        // as the ranking: the best score, ties to the id that sorts first
        if best.is_none_or(|(s, b)| score > s || (score == s && p.id < b.id)) {
            best = Some((score, p));
        }
    }
    best.map(|(score, profile)| Pick {
        profile,
        score,
        apps: fit::choose_apps(profile, &f, inputs).list,
    })
}

#[cfg(test)]
mod tests {
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
