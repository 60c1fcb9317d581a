//! The catalog: profiles (a distribution + desktop + app sets), app sets, and hardware
//! quirks, as data a media educator can read and extend (`profiles/`, embedded in the
//! binary, replaced as a whole by `--profiles DIR`). Types and parsing live here; the
//! command layer decides where the files come from.

pub mod check;
pub mod file;
pub mod load;
pub mod packages;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::token::{Codename, KernelParam, PackageName, Release};

pub use file::{CatalogFile, Problem};
pub use load::{LoadError, parse_catalog};

pub use crate::l10n::{Lang, Localized};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    Debian,
    Ubuntu,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Arch {
    Amd64,
    I386,
}

impl Arch {
    pub fn as_str(self) -> &'static str {
        match self {
            Arch::Amd64 => "amd64",
            Arch::I386 => "i386",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InstallerFormat {
    /// Debian installer preseed.
    Preseed,
    /// Ubuntu Subiquity autoinstall.
    Autoinstall,
}

/// One installable stack: a distribution release, a desktop, app sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub id: String,
    pub name: Localized,
    pub description: Localized,
    pub distribution: Distribution,
    /// Kernel rules, first match wins; the last one has no `when`.
    pub kernel: Vec<KernelRule>,
    pub desktop: Desktop,
    pub requires: Requirements,
    pub recommended: Recommended,
    pub tuning: Tuning,
    pub app_sets: Vec<String>,
    /// Packages every machine with this profile gets (besides desktop and apps).
    #[serde(default)]
    pub packages: Vec<PackageName>,
    /// Where the facts in this file come from.
    #[serde(default)]
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Distribution {
    pub family: Family,
    /// `12`, `13`, `24.04`.
    pub release: Release,
    /// `bookworm`, `trixie`, `noble`.
    pub codename: Codename,
    pub arch: Arch,
    pub installer: InstallerFormat,
    /// Last day of security support, `YYYY-MM-DD`.
    pub support_until: String,
}

impl Distribution {
    /// Name of the package list this release/arch is checked against
    /// (`data/packages/<key>.txt.gz`).
    pub fn index_key(&self) -> String {
        let family = match self.family {
            Family::Debian => "debian",
            Family::Ubuntu => "ubuntu",
        };
        format!("{family}-{}-{}-{}", self.release, self.codename, self.arch.as_str())
    }
}

/// A CPU condition for a kernel rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KernelCondition {
    /// The CPU shows the `pae` flag.
    Pae,
    /// A Pentium M that supports PAE without showing the flag.
    Forcepae,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KernelRule {
    #[serde(default)]
    pub when: Option<KernelCondition>,
    /// The kernel package, e.g. `linux-image-686-pae`.
    pub package: PackageName,
    /// Extra kernel parameters for the installed system.
    #[serde(default)]
    pub boot_params: Vec<KernelParam>,
    /// Why, for the selection's reasons.
    #[serde(default)]
    pub reason: Option<Localized>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Desktop {
    pub name: String,
    /// tasksel tasks (Debian), e.g. `xfce-desktop` (package `task-xfce-desktop`).
    #[serde(default)]
    pub tasks: Vec<PackageName>,
    #[serde(default)]
    pub packages: Vec<PackageName>,
    /// Subiquity source id (Ubuntu), e.g. `ubuntu-desktop-minimal`.
    #[serde(default)]
    pub source: Option<PackageName>,
    /// Packages the tasks would bring through their Recommends that this profile does
    /// not want (Debian), e.g. `connman` where the profile's network manager is
    /// NetworkManager. The installer is told never to install them (APT pin -1).
    #[serde(default)]
    pub keep_out: Vec<PackageName>,
}

/// Hard requirements: a machine that misses one cannot run the profile.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirements {
    #[serde(default)]
    pub cpu_64bit: bool,
    /// Only for CPUs that cannot run 64-bit systems (i386 profiles).
    #[serde(default)]
    pub cpu_32bit_only: bool,
    #[serde(default)]
    pub pae: bool,
    #[serde(default)]
    pub sse2: bool,
    /// Conditional moves (`cmov`): the i686 baseline. Debian 12's i386 kernels (686,
    /// 686-pae) and userland need it; every 64-bit CPU has it.
    #[serde(default)]
    pub cmov: bool,
    pub min_ram_mib: u64,
    pub min_disk_gb: u64,
}

/// Values at which the profile runs well; used for scoring, never to reject.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recommended {
    pub ram_mib: u64,
    pub cpu_mhz: u32,
    pub cores: u32,
    #[serde(default)]
    pub ssd: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tuning {
    /// Compressed swap in RAM (zram).
    pub zram: bool,
    pub swap: SwapRule,
}

/// Swap partition size: a share of the RAM, clamped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SwapRule {
    pub percent_of_ram: u64,
    pub min_mib: u64,
    pub max_mib: u64,
}

impl SwapRule {
    pub fn size_mib(&self, ram_mib: u64) -> u64 {
        (ram_mib * self.percent_of_ram / 100).clamp(self.min_mib, self.max_mib.max(self.min_mib))
    }
}

/// A named group of apps (`profiles/apps/*.yaml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppSet {
    pub id: String,
    pub name: Localized,
    pub apps: Vec<App>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct App {
    pub id: String,
    pub name: Localized,
    /// Packages per release codename, with `default` for all others. A release with no
    /// entry and no default does not package the app.
    pub packages: BTreeMap<String, Vec<PackageName>>,
    #[serde(default)]
    pub needs: AppNeeds,
    /// Another app of the same set to offer when this one does not fit.
    #[serde(default)]
    pub alternative: Option<String>,
    /// Offered only in place of another app.
    #[serde(default)]
    pub only_as_alternative: bool,
    /// Besides its own packages, what must stay off a machine that cannot run the app:
    /// packages that would still come through other packages' Recommends (e.g.
    /// `libreoffice-common`, which every LibreOffice part depends on, for the office app).
    #[serde(default)]
    pub keep_out: Vec<PackageName>,
}

impl App {
    /// The packages for a release, or `None` when the release does not have the app.
    pub fn packages_for(&self, codename: &str) -> Option<&[PackageName]> {
        self.packages
            .get(codename)
            .or_else(|| self.packages.get("default"))
            .map(Vec::as_slice)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppNeeds {
    #[serde(default)]
    pub min_ram_mib: u64,
    #[serde(default)]
    pub cpu_64bit: bool,
    #[serde(default)]
    pub min_cores: u32,
}

/// Old-hardware knowledge (`profiles/hardware/quirks.yaml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuirkFile {
    pub quirks: Vec<Quirk>,
    /// Rough prices for the upgrade advice.
    #[serde(default)]
    pub upgrade_costs: Option<UpgradeCosts>,
}

/// Rough second-hand prices a workshop pays, for the upgrade advice (edit for your region).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpgradeCosts {
    pub currency: String,
    pub ram_per_gib: u32,
    pub ssd: u32,
    pub battery: u32,
    /// A USB Wi-Fi stick with a free driver (optional: older catalogs have none).
    #[serde(default)]
    pub wifi_stick: Option<u32>,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quirk {
    pub id: String,
    pub when: QuirkMatch,
    #[serde(default)]
    pub packages: Vec<PackageName>,
    #[serde(default)]
    pub boot_params: Vec<KernelParam>,
    /// Install the headers of the chosen kernel (for DKMS drivers).
    #[serde(default)]
    pub kernel_headers: bool,
    /// Only for these families / architectures (empty: all).
    #[serde(default)]
    pub families: Vec<Family>,
    #[serde(default)]
    pub archs: Vec<Arch>,
    pub note: Localized,
    pub source: String,
    /// The note is something to do before the install (e.g. a firmware setting): it is
    /// printed first on the checklist and in boot.txt.
    #[serde(default)]
    pub before_install: bool,
}

impl Quirk {
    /// Do this quirk's packages and parameters apply to systems of this profile?
    pub fn applies_to(&self, p: &Profile) -> bool {
        (self.families.is_empty() || self.families.contains(&p.distribution.family))
            && (self.archs.is_empty() || self.archs.contains(&p.distribution.arch))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuirkMatch {
    #[serde(default)]
    pub cpu_forcepae: Option<bool>,
    #[serde(default)]
    pub ia32_uefi: Option<bool>,
    #[serde(default)]
    pub pci: Option<PciMatch>,
    #[serde(default)]
    pub firmware_package: Option<PackageName>,
    /// A PCI storage controller runs in this mode (e.g. `raid`).
    #[serde(default)]
    pub storage_mode: Option<crate::report::ControllerMode>,
}

/// A PCI device: vendor id, class prefix, and either a list of device ids or an upper
/// bound (device ids below it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PciMatch {
    pub vendor: String,
    #[serde(default)]
    pub class: Option<String>,
    #[serde(default)]
    pub devices: Vec<String>,
    #[serde(default)]
    pub device_below: Option<String>,
}

/// The whole catalog, sorted by id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Catalog {
    pub profiles: Vec<Profile>,
    pub app_sets: BTreeMap<String, AppSet>,
    pub quirks: Vec<Quirk>,
    pub upgrade_costs: Option<UpgradeCosts>,
}

impl Catalog {
    pub fn profile(&self, id: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.id == id)
    }
}
