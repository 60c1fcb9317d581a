//! The workshop's choices that steer the selection (the `selection:` part of the workshop
//! config).

use serde::{Deserialize, Serialize};

use crate::catalog::Family;

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
