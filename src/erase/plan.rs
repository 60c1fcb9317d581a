//! The erase plan: for every disk, what would be done to it and why, or why not. Pure:
//! `plan(&[DiskFacts], &Policy) -> ErasePlan` reads nothing and changes nothing, so
//! `upcycle erase --plan` and the real run decide alike, and the decisions are unit-tested
//! on the disks of every fixture machine.

use serde::{Deserialize, Serialize};

use super::health::{Health, Verdict};
use super::tools::{AtaSecurity, NvmeCaps, Smart};
use crate::l10n::{Arg, Said};
use crate::report::{Disk, DiskKind, Transport};
use crate::token::DiskName;

/// How a disk is attached, as the erase methods care about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Bus {
    Sata,
    /// Parallel ATA, or SATA behind an IDE-mode controller.
    Pata,
    Nvme,
    Emmc,
    Sd,
    Usb,
    Virtio,
    /// A loop device (a file standing in for a disk: tests and benchmarks).
    Loop,
    Other,
}

impl Bus {
    pub fn from_transport(t: Transport) -> Bus {
        match t {
            Transport::Sata => Bus::Sata,
            Transport::Ata => Bus::Pata,
            Transport::Nvme => Bus::Nvme,
            Transport::Mmc => Bus::Emmc,
            Transport::Sd => Bus::Sd,
            Transport::Usb => Bus::Usb,
            Transport::Virtio => Bus::Virtio,
            Transport::Other => Bus::Other,
        }
    }

    fn is_ata(self) -> bool {
        matches!(self, Bus::Sata | Bus::Pata)
    }
}

/// What the storage medium is, for the choice of method and its category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Medium {
    Hdd,
    Ssd,
    /// eMMC or SD: flash behind a simple controller.
    Flash,
    Unknown,
}

/// Everything known about one disk before erasing it: the probe's report plus what the
/// drive's tools said, plus how the running system uses it. Reading them is
/// `super::facts`; this type is plain data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiskFacts {
    pub name: DiskName,
    pub bus: Bus,
    pub model: Option<String>,
    pub serial: Option<String>,
    pub size_bytes: Option<u64>,
    pub rotational: Option<bool>,
    pub removable: Option<bool>,
    /// `hdparm -I` (ATA disks, when hdparm is installed).
    pub ata: Option<AtaSecurity>,
    /// `hdparm -N` visible / native max sectors.
    pub max_sectors: Option<(u64, u64)>,
    /// `hdparm --dco-identify` real max sectors.
    pub dco_max_sectors: Option<u64>,
    /// `nvme id-ctrl` (NVMe disks, when nvme-cli is installed).
    pub nvme: Option<NvmeCaps>,
    /// `smartctl -j -a`, when smartmontools is installed.
    pub smart: Option<Smart>,
    /// The system runs from it (its root, /boot or the live medium is on it).
    pub boot: bool,
    /// How the running system uses it: mounted file systems, swap, holders (LVM, RAID).
    pub in_use: Vec<Said>,
    /// Facts that could not be read, each with why (a missing tool names its package).
    pub unknowns: Vec<Said>,
}

impl DiskFacts {
    /// A USB disk, an SD card or a removable disk: maybe not the laptop's own.
    pub fn external(&self) -> bool {
        matches!(self.bus, Bus::Usb | Bus::Sd) || self.removable == Some(true)
    }

    /// The facts a hardware report holds (no tools, no usage).
    pub fn from_report(disk: &Disk) -> DiskFacts {
        DiskFacts {
            name: disk.name.clone(),
            bus: Bus::from_transport(disk.transport),
            model: disk.model.clone(),
            serial: None,
            size_bytes: disk.size_bytes,
            rotational: disk.rotational,
            removable: disk.removable,
            ata: None,
            max_sectors: None,
            dco_max_sectors: None,
            nvme: None,
            smart: None,
            boot: false,
            in_use: Vec::new(),
            unknowns: Vec::new(),
        }
    }

    pub fn medium(&self) -> Medium {
        match self.bus {
            Bus::Emmc | Bus::Sd => return Medium::Flash,
            Bus::Nvme => return Medium::Ssd,
            _ => {}
        }
        match (self.rotational, self.ata.as_ref().and_then(|a| a.solid_state)) {
            (_, Some(true)) | (Some(false), None) => Medium::Ssd,
            (_, Some(false)) | (Some(true), None) => Medium::Hdd,
            (None, None) => Medium::Unknown,
        }
    }

    /// The serial as the operator reads it on the label: the tools' value first.
    pub fn serial(&self) -> Option<&str> {
        self.serial
            .as_deref()
            .or(self.ata.as_ref().and_then(|a| a.serial.as_deref()))
            .or(self.nvme.as_ref().and_then(|n| n.serial.as_deref()))
            .or(self.smart.as_ref().and_then(|s| s.serial.as_deref()))
    }

    pub fn model(&self) -> Option<&str> {
        self.ata
            .as_ref()
            .and_then(|a| a.model.as_deref())
            .or(self.nvme.as_ref().and_then(|n| n.model.as_deref()))
            .or(self.smart.as_ref().and_then(|s| s.model.as_deref()))
            .or(self.model.as_deref())
    }

    /// Hidden areas as far as known: an HPA (visible < native) and a DCO (real > native).
    pub fn hidden(&self) -> HiddenAreas {
        let hpa = match self.max_sectors {
            Some((visible, native)) if visible < native => AreaState::Present {
                sectors: native - visible,
            },
            Some(_) => AreaState::None,
            None => AreaState::Unknown,
        };
        let dco = match (self.dco_max_sectors, self.max_sectors) {
            (Some(real), Some((_, native))) if real > native => AreaState::Present { sectors: real - native },
            // A real max below the native max cannot be: hdparm decoded a DEVICE CONFIGURATION
            // IDENTIFY the drive aborted (QEMU's ATA disk: "Real max sectors: 1", exit 0).
            (Some(real), Some((_, native))) if real < native => AreaState::Unknown,
            (Some(_), Some(_)) => AreaState::None,
            _ => AreaState::Unknown,
        };
        HiddenAreas { hpa, dco }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "state")]
pub enum AreaState {
    None,
    Present {
        sectors: u64,
    },
    /// Not an ATA disk, hdparm not installed, or the bridge does not say.
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HiddenAreas {
    pub hpa: AreaState,
    pub dco: AreaState,
}

/// An erase method: upcycle's own overwrite, or a drive's own erase run through hdparm /
/// nvme-cli / blkdiscard + mmc-utils (`super::firmware`), each followed by upcycle's read-back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// One pass of zeros (or a pattern) over every visible sector, by upcycle itself.
    Overwrite,
    AtaSecureErase,
    AtaEnhancedSecureErase,
    AtaSanitizeBlockErase,
    AtaSanitizeCryptoScramble,
    /// Format NVM, Secure Erase Settings 1 (user data erase).
    NvmeFormatUserData,
    /// Format NVM, Secure Erase Settings 2 (cryptographic erase).
    NvmeFormatCrypto,
    NvmeSanitizeBlockErase,
    NvmeSanitizeCryptoErase,
    /// eMMC secure erase (or secure trim), then sanitize.
    EmmcSecureEraseSanitize,
}

impl Method {
    /// The NIST SP 800-88 / IEEE 2883 category this method reaches on this medium. Where
    /// the sources differ or a drive's implementation cannot be checked, the lower one.
    pub fn category(self, medium: Medium) -> Category {
        use Method as M;
        match self {
            // Overwriting reaches only the addressable sectors: flash keeps spare blocks.
            M::Overwrite => Category::Clear,
            M::AtaEnhancedSecureErase if medium == Medium::Hdd => Category::Purge,
            // Normal mode may skip reallocated sectors; on flash both modes are firmware-defined.
            M::AtaSecureErase | M::AtaEnhancedSecureErase => Category::Clear,
            M::AtaSanitizeBlockErase | M::AtaSanitizeCryptoScramble => Category::Purge,
            M::NvmeSanitizeBlockErase | M::NvmeSanitizeCryptoErase | M::NvmeFormatCrypto => Category::Purge,
            M::NvmeFormatUserData => Category::Clear,
            M::EmmcSecureEraseSanitize => Category::Clear,
        }
    }

    /// What upcycle runs for it (tool and arguments), in words for the plan.
    /// What the method does, said in the catalogs' words (`method-*`).
    pub fn description(self) -> Said {
        use Method as M;
        Said::new(match self {
            M::Overwrite => "method-overwrite",
            M::AtaSecureErase => "method-ata-secure-erase",
            M::AtaEnhancedSecureErase => "method-ata-enhanced-secure-erase",
            M::AtaSanitizeBlockErase => "method-ata-sanitize-block-erase",
            M::AtaSanitizeCryptoScramble => "method-ata-sanitize-crypto-scramble",
            M::NvmeFormatUserData => "method-nvme-format-user-data",
            M::NvmeFormatCrypto => "method-nvme-format-crypto",
            M::NvmeSanitizeBlockErase => "method-nvme-sanitize-block-erase",
            M::NvmeSanitizeCryptoErase => "method-nvme-sanitize-crypto-erase",
            M::EmmcSecureEraseSanitize => "method-emmc-secure-erase-sanitize",
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Clear,
    Purge,
}

/// What the operator asked for on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MethodChoice {
    /// The default per medium (see [`plan`]).
    Auto,
    Overwrite,
    AtaSecureErase,
    AtaSanitize,
    NvmeFormat,
    NvmeSanitize,
    EmmcSanitize,
}

/// How the erased disk is read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VerifyMode {
    /// Every byte.
    Full,
    /// The first and last [`SAMPLE_EDGE`] bytes, and [`SAMPLE_SLICE`] bytes at the start of
    /// every [`SAMPLE_STRIDE`] bytes between them.
    Sample,
}

pub const MIB: u64 = 1024 * 1024;
pub const SAMPLE_EDGE: u64 = 64 * MIB;
pub const SAMPLE_STRIDE: u64 = 32 * MIB;
pub const SAMPLE_SLICE: u64 = MIB;

impl VerifyMode {
    /// Bytes a verification of a disk of `size` reads.
    pub fn bytes_read(self, size: u64) -> u64 {
        match self {
            VerifyMode::Full => size,
            VerifyMode::Sample => super::overwrite::sample_ranges(size)
                .iter()
                .map(|r| r.end - r.start)
                .sum(),
        }
    }

    /// The verification as the record names it.
    pub fn description(self) -> Said {
        match self {
            VerifyMode::Full => Said::new("verify-full"),
            VerifyMode::Sample => Said::new("verify-sample")
                .arg("edge", SAMPLE_EDGE / MIB)
                .arg("slice", SAMPLE_SLICE / MIB)
                .arg("stride", SAMPLE_STRIDE / MIB),
        }
    }
}

/// The workshop's choices for a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Disks the operator named. When not empty, only these are planned; a USB disk is
    /// erased only when named.
    pub named: Vec<DiskName>,
    pub method: MethodChoice,
    pub verify: VerifyMode,
    /// Assumed sustained speeds for the time estimates, in bytes per second.
    pub hdd_bytes_per_s: u64,
    pub ssd_bytes_per_s: u64,
    pub nvme_bytes_per_s: u64,
    /// Only built-in disks, even when named (the installer's step: a USB disk, an SD card
    /// or a removable disk is never the laptop's own).
    #[serde(default)]
    pub built_in_only: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            named: Vec::new(),
            method: MethodChoice::Auto,
            verify: VerifyMode::Full,
            // A 2008 laptop HDD reads about 60-100 MB/s (docs/erase.md).
            hdd_bytes_per_s: 70_000_000,
            ssd_bytes_per_s: 250_000_000,
            nvme_bytes_per_s: 800_000_000,
            built_in_only: false,
        }
    }
}

/// The plan for one disk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiskPlan {
    pub name: DiskName,
    pub bus: Bus,
    pub medium: Medium,
    pub model: Option<String>,
    pub serial: Option<String>,
    pub size_bytes: Option<u64>,
    pub hidden: HiddenAreas,
    /// The ATA security state, when hdparm read it.
    pub security: Option<AtaSecurity>,
    /// What would be done; `None` when refused.
    pub method: Option<Method>,
    pub category: Option<Category>,
    pub description: Option<Said>,
    /// Estimated seconds for the method and the verification.
    pub estimated_seconds: Option<u64>,
    pub verify: VerifyMode,
    /// Why this disk is not erased (the boot medium, an unnamed USB disk, in use...).
    pub refused: Option<Said>,
    /// What the operator could do better (unfreeze, install a tool, a stronger method).
    pub advice: Vec<Said>,
    pub health: Health,
}

impl DiskPlan {
    /// "replace before hand-over".
    pub fn replace(&self) -> bool {
        self.health.verdict == Verdict::Replace
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErasePlan {
    pub schema: String,
    pub disks: Vec<DiskPlan>,
}

/// v2: refusals, advice and health reasons are codes with arguments (`l10n::Said`).
pub const PLAN_SCHEMA: &str = "upcycle.erase-plan/v2";

/// Plan every disk (or only the named ones). Optical drives are not disks to erase.
pub fn plan(disks: &[DiskFacts], policy: &Policy) -> ErasePlan {
    let mut planned: Vec<DiskPlan> = disks
        .iter()
        .filter(|d| policy.named.is_empty() || policy.named.contains(&d.name))
        .map(|d| plan_disk(d, policy))
        .collect();
    planned.sort_by(|a, b| a.name.cmp(&b.name));
    ErasePlan {
        schema: PLAN_SCHEMA.to_string(),
        disks: planned,
    }
}

/// Facts of the report's disks (optical drives left out).
pub fn facts_of_report(disks: &[Disk]) -> Vec<DiskFacts> {
    disks
        .iter()
        .filter(|d| d.kind == DiskKind::Disk)
        .map(DiskFacts::from_report)
        .collect()
}

fn plan_disk(d: &DiskFacts, policy: &Policy) -> DiskPlan {
    let medium = d.medium();
    let named = policy.named.contains(&d.name);
    let mut advice = Vec::new();
    let health = match &d.smart {
        Some(s) => super::health::assess(s),
        None => Health::unknown(
            d.unknowns
                .iter()
                .find(|u| u.args.get("what") == Some(&Arg::List(vec![Said::new("fact-health")])))
                .cloned()
                .unwrap_or_else(|| Said::new("health-not-read")),
        ),
    };
    let refused = refusal(d, named, policy.built_in_only);
    let chosen = match refused {
        Some(_) => Err(Said::new("refuse-boot")),
        None => choose(d, medium, policy.method, &mut advice),
    };
    let (method, refused) = match (refused, chosen) {
        (Some(r), _) => (None, Some(r)),
        (None, Ok(m)) => (Some(m), None),
        (None, Err(why)) => (None, Some(why)),
    };
    if method.is_some() {
        for u in &d.unknowns {
            advice.push(u.clone());
        }
    }
    let bytes_per_s = match (d.bus, medium) {
        (Bus::Nvme, _) => policy.nvme_bytes_per_s,
        (_, Medium::Hdd | Medium::Unknown) => policy.hdd_bytes_per_s,
        _ => policy.ssd_bytes_per_s,
    };
    let estimated_seconds = method.and_then(|m| estimate(d, m, policy.verify, bytes_per_s));
    DiskPlan {
        name: d.name.clone(),
        bus: d.bus,
        medium,
        model: d.model().map(str::to_string),
        serial: d.serial().map(str::to_string),
        size_bytes: d.size_bytes,
        hidden: d.hidden(),
        security: d.ata.clone(),
        category: method.map(|m| m.category(medium)),
        description: method.map(|m| m.description()),
        method,
        estimated_seconds,
        verify: policy.verify,
        refused,
        advice,
        health,
    }
}

/// Why a disk must not be touched at all, whatever the method. `built_in_only`: an
/// external disk is refused even when named (the installer's step).
fn refusal(d: &DiskFacts, named: bool, built_in_only: bool) -> Option<Said> {
    if d.boot {
        return Some(Said::new("refuse-boot"));
    }
    if built_in_only && d.external() {
        return Some(Said::new("refuse-installer-external").arg("name", d.name.as_str()));
    }
    if !d.in_use.is_empty() {
        return Some(Said::new("refuse-in-use").arg("uses", d.in_use.clone()));
    }
    if matches!(d.bus, Bus::Usb | Bus::Sd) && !named {
        let code = if d.bus == Bus::Usb { "refuse-usb" } else { "refuse-sd" };
        return Some(Said::new(code).arg("name", d.name.as_str()));
    }
    if d.removable == Some(true) && !named {
        return Some(Said::new("refuse-removable").arg("name", d.name.as_str()));
    }
    match d.size_bytes {
        None => return Some(Said::new("refuse-size-unknown")),
        Some(0) => return Some(Said::new("refuse-no-medium")),
        Some(_) => {}
    }
    if d.ata.as_ref().is_some_and(|a| a.locked) {
        return Some(Said::new("refuse-locked"));
    }
    None
}

/// The method for a disk that may be erased: the operator's choice when the drive can do
/// it, else the default for its medium.
fn choose(d: &DiskFacts, medium: Medium, choice: MethodChoice, advice: &mut Vec<Said>) -> Result<Method, Said> {
    let ata = d.ata.as_ref().filter(|_| d.bus.is_ata());
    let frozen = ata.is_some_and(|a| a.frozen);
    let ata_sanitize = ata.and_then(|a| {
        if !a.sanitize_supported || a.frozen {
            None
        } else if a.sanitize_crypto_scramble {
            Some(Method::AtaSanitizeCryptoScramble)
        } else if a.sanitize_block_erase {
            Some(Method::AtaSanitizeBlockErase)
        } else {
            None
        }
    });
    let ata_secure = ata.and_then(|a| {
        if !a.supported || a.frozen {
            None
        } else if a.enhanced_erase_supported {
            Some(Method::AtaEnhancedSecureErase)
        } else {
            Some(Method::AtaSecureErase)
        }
    });
    let nvme = d.nvme.as_ref().filter(|_| d.bus == Bus::Nvme);
    let nvme_sanitize = nvme.and_then(|n| {
        if n.sanitize_crypto_erase {
            Some(Method::NvmeSanitizeCryptoErase)
        } else if n.sanitize_block_erase {
            Some(Method::NvmeSanitizeBlockErase)
        } else {
            None
        }
    });
    let nvme_format = nvme.filter(|n| n.format_supported).map(|n| {
        if n.format_crypto_erase {
            Method::NvmeFormatCrypto
        } else {
            Method::NvmeFormatUserData
        }
    });
    if frozen {
        advice.push(Said::new("advice-frozen"));
    }
    if matches!(d.bus, Bus::Usb) {
        // Firmware commands through a USB bridge get lost or half-translated.
        return match choice {
            MethodChoice::Auto | MethodChoice::Overwrite => Ok(Method::Overwrite),
            _ => Err(Said::new("refuse-usb-bridge")),
        };
    }
    let unavailable = |what: &str| {
        Err(Said::new("refuse-unavailable")
            .arg("what", what)
            .arg("frozen", if frozen { "yes" } else { "no" }))
    };
    // Not known because the tool is missing: say that (it names the package), not "not
    // available".
    let unknown_because = |what: &str, known: bool| {
        d.unknowns
            .iter()
            .find(|u| !known && u.args.get("what") == Some(&Arg::List(vec![Said::new(what)])))
            .cloned()
    };
    let ata_or = |m: Option<Method>, what: &str| match (m, unknown_because("fact-ata-security", ata.is_some())) {
        (Some(m), _) => Ok(m),
        (None, Some(why)) if d.bus.is_ata() => Err(why),
        (None, _) => unavailable(what),
    };
    let nvme_or = |m: Option<Method>, what: &str| match (m, unknown_because("fact-nvme", nvme.is_some())) {
        (Some(m), _) => Ok(m),
        (None, Some(why)) if d.bus == Bus::Nvme => Err(why),
        (None, _) => unavailable(what),
    };
    match choice {
        MethodChoice::Overwrite => Ok(Method::Overwrite),
        MethodChoice::AtaSecureErase => ata_or(ata_secure, "ATA Secure Erase"),
        MethodChoice::AtaSanitize => ata_or(ata_sanitize, "ATA Sanitize"),
        MethodChoice::NvmeFormat => nvme_or(nvme_format, "NVMe Format NVM"),
        MethodChoice::NvmeSanitize => nvme_or(nvme_sanitize, "NVMe Sanitize"),
        MethodChoice::EmmcSanitize if d.bus == Bus::Emmc => Ok(Method::EmmcSecureEraseSanitize),
        MethodChoice::EmmcSanitize => unavailable("eMMC sanitize"),
        MethodChoice::Auto => Ok(match (d.bus, medium) {
            (Bus::Nvme, _) => nvme_sanitize.or(nvme_format).unwrap_or_else(|| {
                if nvme.is_none() {
                    advice.push(Said::new("advice-nvme-unknown"));
                }
                Method::Overwrite
            }),
            (Bus::Emmc, _) => Method::EmmcSecureEraseSanitize,
            (_, Medium::Ssd) if d.bus.is_ata() => ata_sanitize.or(ata_secure).unwrap_or_else(|| {
                if ata.is_none() {
                    advice.push(Said::new("advice-ata-unknown"));
                }
                Method::Overwrite
            }),
            (_, Medium::Hdd) if d.bus.is_ata() => {
                // One verified overwrite pass is the default for hard disks (Clear); the
                // drive's own Purge methods are offered, not chosen (docs/erase.md).
                if let Some(m) = ata_sanitize.or(ata_secure) {
                    advice.push(Said::new("advice-purge").arg("method", m.description()));
                }
                Method::Overwrite
            }
            _ => Method::Overwrite,
        }),
    }
}

/// Seconds for method + verification; `None` when the firmware's time is not known.
fn estimate(d: &DiskFacts, method: Method, verify: VerifyMode, bytes_per_s: u64) -> Option<u64> {
    let size = d.size_bytes?;
    let read = verify.bytes_read(size) / bytes_per_s.max(1);
    let ata = d.ata.as_ref();
    let erase = match method {
        Method::Overwrite => Some(size / bytes_per_s.max(1)),
        Method::AtaSecureErase => ata.and_then(|a| a.erase_minutes).map(|m| u64::from(m) * 60),
        Method::AtaEnhancedSecureErase => ata.and_then(|a| a.enhanced_erase_minutes).map(|m| u64::from(m) * 60),
        // Crypto erases take seconds; block erases on flash about a minute per 100 GB.
        Method::AtaSanitizeCryptoScramble | Method::NvmeSanitizeCryptoErase | Method::NvmeFormatCrypto => Some(60),
        Method::AtaSanitizeBlockErase
        | Method::NvmeSanitizeBlockErase
        | Method::NvmeFormatUserData
        | Method::EmmcSecureEraseSanitize => None,
    }?;
    Some(erase + read)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a plan says, as an English reader reads it.
    fn en(s: &Said) -> String {
        crate::l10n::say(crate::l10n::Lang::En, s)
    }
    use crate::erase::tools::{parse_hdparm_identify, parse_nvme_id_ctrl};

    fn disk(name: &str, bus: Bus, rotational: Option<bool>) -> DiskFacts {
        DiskFacts {
            name: DiskName::new(name).unwrap(),
            bus,
            model: Some("Test Disk".into()),
            serial: Some("SN0001234".into()),
            size_bytes: Some(500_107_862_016),
            rotational,
            removable: Some(false),
            ata: None,
            max_sectors: None,
            dco_max_sectors: None,
            nvme: None,
            smart: None,
            boot: false,
            in_use: Vec::new(),
            unknowns: Vec::new(),
        }
    }

    fn one(d: DiskFacts, policy: &Policy) -> DiskPlan {
        plan(&[d], policy).disks.remove(0)
    }

    #[test]
    fn a_frozen_hdd_is_overwritten_with_suspend_advice() {
        let mut d = disk("sda", Bus::Sata, Some(true));
        d.ata = parse_hdparm_identify(include_str!("testdata/hdparm-I-st9500325as-frozen.txt"));
        let p = one(d.clone(), &Policy::default());
        assert_eq!(p.method, Some(Method::Overwrite));
        assert_eq!(p.category, Some(Category::Clear));
        assert!(
            p.advice.iter().any(|a| en(a).contains("suspend to RAM")),
            "{:?}",
            p.advice
        );
        // Asking for Secure Erase while frozen is refused with the reason.
        let asked = Policy {
            method: MethodChoice::AtaSecureErase,
            ..Policy::default()
        };
        let p = one(d.clone(), &asked);
        assert_eq!(p.method, None);
        assert!(en(p.refused.as_ref().unwrap()).contains("frozen"), "{:?}", p.refused);
        // Unfrozen (after a suspend), enhanced erase is Purge on an HDD, in the drive's 132 min.
        d.ata.as_mut().unwrap().frozen = false;
        let p = one(d.clone(), &asked);
        assert_eq!(p.method, Some(Method::AtaEnhancedSecureErase));
        assert_eq!(p.category, Some(Category::Purge));
        let read = 500_107_862_016 / Policy::default().hdd_bytes_per_s;
        assert_eq!(p.estimated_seconds, Some(132 * 60 + read));
        // By default it is still the overwrite, with the Purge method offered.
        let p = one(d, &Policy::default());
        assert_eq!(p.method, Some(Method::Overwrite));
        assert!(p.advice.iter().any(|a| en(a).contains("for Purge")), "{:?}", p.advice);
    }

    #[test]
    fn a_sata_ssd_with_sanitize_gets_sanitize() {
        let mut d = disk("sda", Bus::Sata, Some(false));
        d.ata = parse_hdparm_identify(include_str!("testdata/hdparm-I-wds400t2b0a.txt"));
        let p = one(d.clone(), &Policy::default());
        assert_eq!(p.method, Some(Method::AtaSanitizeBlockErase));
        assert_eq!(p.category, Some(Category::Purge));
        assert_eq!(p.serial.as_deref(), Some("SN0001234"));
        // It runs as planned: no advice to fall back to the overwrite.
        assert!(p.advice.is_empty(), "{:?}", p.advice);
        // Without sanitize: enhanced secure erase, only Clear on flash.
        let a = d.ata.as_mut().unwrap();
        a.sanitize_supported = false;
        let p = one(d.clone(), &Policy::default());
        assert_eq!(p.method, Some(Method::AtaEnhancedSecureErase));
        assert_eq!(p.category, Some(Category::Clear));
        // Unknown state (no hdparm): overwrite, and the advice says what to install.
        d.ata = None;
        let p = one(d, &Policy::default());
        assert_eq!(p.method, Some(Method::Overwrite));
        assert!(
            p.advice.iter().any(|a| en(a).contains("apt install hdparm")),
            "{:?}",
            p.advice
        );
    }

    #[test]
    fn nvme_prefers_sanitize_then_format() {
        let mut d = disk("nvme0n1", Bus::Nvme, Some(false));
        d.nvme = parse_nvme_id_ctrl(include_str!("testdata/nvme-id-ctrl-sn730.json"));
        let p = one(d.clone(), &Policy::default());
        assert_eq!(p.method, Some(Method::NvmeSanitizeCryptoErase));
        assert_eq!(p.category, Some(Category::Purge));
        let n = d.nvme.as_mut().unwrap();
        n.sanitize_crypto_erase = false;
        n.sanitize_block_erase = false;
        let p = one(d.clone(), &Policy::default());
        assert_eq!(p.method, Some(Method::NvmeFormatCrypto));
        d.nvme.as_mut().unwrap().format_crypto_erase = false;
        let p = one(d.clone(), &Policy::default());
        assert_eq!(
            (p.method, p.category),
            (Some(Method::NvmeFormatUserData), Some(Category::Clear))
        );
        let asked = Policy {
            method: MethodChoice::NvmeSanitize,
            ..Policy::default()
        };
        assert!(en(&one(d, &asked).refused.unwrap()).contains("NVMe Sanitize is not available"));
    }

    #[test]
    fn a_firmware_method_whose_tool_is_missing_is_refused_naming_the_package() {
        let mut d = disk("nvme0n1", Bus::Nvme, Some(false));
        d.unknowns
            .push(Said::new("erase-unknown").arg("what", Said::new("fact-nvme")).arg(
                "error",
                Said::new("tool-missing").arg("tool", "nvme").arg("package", "nvme-cli"),
            ));
        let asked = Policy {
            method: MethodChoice::NvmeFormat,
            ..Policy::default()
        };
        let why = en(&one(d.clone(), &asked).refused.unwrap());
        assert!(why.contains("apt install nvme-cli"), "{why}");
        let why = crate::l10n::say(crate::l10n::Lang::De, &one(d.clone(), &asked).refused.unwrap());
        assert!(why.contains("nicht installiert (apt install nvme-cli)"), "{why}");
        // auto: the overwrite, with the same words as advice
        let p = one(d, &Policy::default());
        assert_eq!(p.method, Some(Method::Overwrite));
        assert!(
            p.advice.iter().any(|a| en(a).contains("apt install nvme-cli")),
            "{:?}",
            p.advice
        );
        // an ATA disk the same with hdparm
        let mut s = disk("sda", Bus::Sata, Some(false));
        s.unknowns.push(
            Said::new("erase-unknown")
                .arg("what", Said::new("fact-ata-security"))
                .arg(
                    "error",
                    Said::new("tool-missing").arg("tool", "hdparm").arg("package", "hdparm"),
                ),
        );
        let asked = Policy {
            method: MethodChoice::AtaSecureErase,
            ..Policy::default()
        };
        assert!(en(&one(s, &asked).refused.unwrap()).contains("apt install hdparm"));
    }

    #[test]
    fn boot_in_use_usb_and_locked_disks_are_refused_with_reasons() {
        let mut boot = disk("sda", Bus::Sata, Some(true));
        boot.boot = true;
        let mut mounted = disk("sdb", Bus::Sata, Some(true));
        mounted.in_use = vec![Said::new("use-mounted").arg("device", "sdb1").arg("at", "/mnt")];
        let usb = disk("sdc", Bus::Usb, None);
        let mut locked = disk("sdd", Bus::Sata, Some(true));
        locked.ata = Some(AtaSecurity {
            supported: true,
            enabled: true,
            locked: true,
            ..AtaSecurity::default()
        });
        let p = plan(&[usb.clone(), mounted, boot, locked], &Policy::default());
        let reasons: Vec<String> = p.disks.iter().map(|d| en(d.refused.as_ref().unwrap())).collect();
        assert!(reasons[0].contains("booted from"));
        assert!(reasons[1].contains("in use: sdb1 mounted at /mnt"));
        assert!(reasons[2].contains("USB disk: erased only when named"));
        assert!(reasons[3].contains("locked"));
        // A USB disk named explicitly is overwritten, never sent firmware commands.
        let named = Policy {
            named: vec![usb.name.clone()],
            ..Policy::default()
        };
        let p = plan(std::slice::from_ref(&usb), &named);
        assert_eq!(p.disks[0].method, Some(Method::Overwrite));
        let p = plan(
            &[usb],
            &Policy {
                method: MethodChoice::AtaSanitize,
                ..named
            },
        );
        assert!(en(p.disks[0].refused.as_ref().unwrap()).contains("USB bridge"));
    }

    #[test]
    fn the_installer_step_erases_built_in_disks_only_even_when_named() {
        let usb = disk("sdc", Bus::Usb, None);
        let sd = disk("mmcblk1", Bus::Sd, None);
        let mut removable = disk("sdd", Bus::Sata, Some(true));
        removable.removable = Some(true);
        let built_in = disk("sda", Bus::Sata, Some(true));
        let all = [usb, sd, removable, built_in];
        let policy = Policy {
            named: all.iter().map(|d| d.name.clone()).collect(),
            built_in_only: true,
            ..Policy::default()
        };
        let p = plan(&all, &policy);
        let refused: Vec<(&str, Option<String>)> = p
            .disks
            .iter()
            .map(|d| (d.name.as_str(), d.refused.as_ref().map(en)))
            .collect();
        for (name, why) in &refused {
            if *name == "sda" {
                assert_eq!(why, &None);
            } else {
                assert!(
                    why.as_deref()
                        .unwrap()
                        .contains("the installer erases only the built-in disk"),
                    "{name}: {why:?}"
                );
            }
        }
    }

    #[test]
    fn hidden_areas_are_reported() {
        let mut d = disk("sda", Bus::Sata, Some(true));
        assert_eq!(d.hidden().hpa, AreaState::Unknown);
        d.max_sectors = Some((310_484_656, 312_581_808));
        d.dco_max_sectors = Some(312_581_808);
        let h = d.hidden();
        assert_eq!(h.hpa, AreaState::Present { sectors: 2_097_152 });
        assert_eq!(h.dco, AreaState::None);
    }

    #[test]
    fn an_aborted_dco_identify_is_unknown_not_none() {
        // QEMU 7.2's ide-hd aborts DEVICE CONFIGURATION IDENTIFY; hdparm 9.65 exits 0 and
        // prints "Real max sectors: 1" (scripts/e2e/erase-failing.sh, docs/e2e.md).
        let mut d = disk("sda", Bus::Sata, Some(true));
        d.max_sectors = Some((131_072, 131_072));
        d.dco_max_sectors = Some(1);
        let h = d.hidden();
        assert_eq!(h.hpa, AreaState::None);
        assert_eq!(h.dco, AreaState::Unknown);
    }

    #[test]
    fn emmc_is_clear_only() {
        let d = disk("mmcblk0", Bus::Emmc, Some(false));
        let p = one(d, &Policy::default());
        assert_eq!(
            (p.method, p.category),
            (Some(Method::EmmcSecureEraseSanitize), Some(Category::Clear))
        );
    }
}
