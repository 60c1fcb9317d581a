//! The selection format: what `select` returns and `selection.yaml` holds (versioned by
//! [`super::SCHEMA`], documented in docs/selection-format.md).

use serde::{Deserialize, Serialize};

use crate::catalog::{Arch, Family, InstallerFormat, Localized};
use crate::l10n::Said;
use crate::token::{Codename, DiskName, KernelParam, PackageName, Release};

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
    pub assumptions: Vec<Said>,
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
    pub disk: Option<DiskName>,
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
    pub release: Release,
    pub codename: Codename,
    pub arch: Arch,
    pub installer: InstallerFormat,
    pub support_until: String,
    /// Kernel package, e.g. `linux-image-686`.
    pub kernel_flavour: PackageName,
    /// Extra kernel parameters for the installer and the installed system.
    pub boot_params: Vec<KernelParam>,
    pub desktop: String,
    pub desktop_tasks: Vec<PackageName>,
    pub desktop_packages: Vec<PackageName>,
    /// Subiquity source id (Ubuntu).
    pub desktop_source: Option<PackageName>,
    pub firmware_packages: Vec<PackageName>,
    /// Package names of every chosen app, sorted.
    pub apps: Vec<PackageName>,
    pub app_list: Vec<ChosenApp>,
    /// Packages of the profile and of hardware quirks (headers, boot loader).
    pub packages: Vec<PackageName>,
    /// Packages that must not be installed, sorted: those of the apps left out (with
    /// their `keep_out`) and the desktop's `keep_out`. The installer pins them to -1,
    /// so that no task's Recommends brings them back. Absent in older selections.
    #[serde(default)]
    pub keep_out: Vec<PackageName>,
    pub install_disk: Option<DiskName>,
    pub swap_mib: u64,
    pub zram: bool,
    pub score: u32,
    pub reasons: Vec<Said>,
    /// The recipient's aids (screen reader, magnifier, ...) and their packages, when the
    /// workshop asked for them; absent otherwise and in older selections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessibility: Option<crate::accessibility::Accessibility>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChosenApp {
    pub set: String,
    pub id: String,
    pub name: Localized,
    pub packages: Vec<PackageName>,
    /// The app this one stands in for, if it is an alternative.
    pub instead_of: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DroppedApp {
    pub set: String,
    pub app: String,
    pub name: Localized,
    pub reason: Said,
    /// The app installed instead, if one fits.
    pub alternative: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rejected {
    pub profile: String,
    pub reasons: Vec<Said>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ranked {
    pub profile: String,
    pub score: u32,
    pub reasons: Vec<Said>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Upgrade {
    pub change: Said,
    /// Rough cost (`cost-about`: amount and currency).
    pub cost: Option<Said>,
    pub unlocks: Vec<Said>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub id: String,
    /// The catalog's note, in both languages.
    pub text: Localized,
    pub source: String,
    /// To be done before the install (checklist and boot.txt print it first). Optional:
    /// absent means false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub before_install: bool,
}
