//! The estimated CO2e and e-waste a reused laptop avoids: the manufacturing and transport
//! share of a new laptop's product carbon footprint (the new one that need not be made),
//! and the old laptop's mass (not thrown away). Published figures and the method are in
//! docs/passport.md ("Impact"); the result is always said as an estimate ("ca.").

use serde::{Deserialize, Serialize};

use crate::l10n::{self, Lang};

/// kg CO2e of making and shipping a comparable new laptop, rounded down from the
/// published figures in docs/passport.md (Apple 13" MacBook Air 2011: 221 of 320 kg;
/// Apple 14" MacBook Pro 2021: 209 kg; EY for 3stepIT: 225 + 25 kg; Dell Latitude
/// E6400: about half of 300-400 kg).
pub const CO2E_KG_PER_LAPTOP: u32 = 200;

/// Grams of e-waste a reused laptop avoids: a 14-15" laptop of the years workshops get,
/// about 2 kg (docs/passport.md).
pub const EWASTE_G_PER_LAPTOP: u32 = 2000;

/// The estimate for some laptops.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Impact {
    /// How many laptops it counts.
    pub laptops: u32,
    /// kg CO2e avoided (estimate).
    pub co2e_kg: u32,
    /// kg e-waste avoided (estimate), in grams to stay exact.
    pub ewaste_g: u32,
}

/// The estimate for `laptops` reused laptops.
pub fn estimate(laptops: u32) -> Impact {
    Impact {
        laptops,
        co2e_kg: laptops.saturating_mul(CO2E_KG_PER_LAPTOP),
        ewaste_g: laptops.saturating_mul(EWASTE_G_PER_LAPTOP),
    }
}

/// A mass in kg as a person reads it: up to 999 kg in kg, from 1 t in tonnes with one
/// decimal (`1,2 t` in German).
pub fn mass_text(lang: Lang, kg: f64) -> String {
    let number = |n: f64| {
        if n.fract() == 0.0 {
            format!("{n:.0}")
        } else {
            l10n::decimal(lang, n)
        }
    };
    if kg >= 1000.0 {
        format!("{} t", number((kg / 100.0).round() / 10.0))
    } else {
        format!("{} kg", number((kg * 10.0).round() / 10.0))
    }
}

impl Impact {
    /// "ca. 200 kg CO₂e und ca. 2 kg Elektroschrott" in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        l10n::format(
            lang,
            "impact-amounts",
            &[
                ("co2e", mass_text(lang, self.co2e_kg as f64).into()),
                ("ewaste", mass_text(lang, self.ewaste_g as f64 / 1000.0).into()),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_estimate_grows_with_the_laptops_and_reads_as_one() {
        let one = estimate(1);
        assert_eq!(
            one,
            Impact {
                laptops: 1,
                co2e_kg: CO2E_KG_PER_LAPTOP,
                ewaste_g: EWASTE_G_PER_LAPTOP
            }
        );
        let room = estimate(13);
        assert_eq!(room.co2e_kg, 13 * one.co2e_kg);
        assert_eq!(room.ewaste_g, 13 * one.ewaste_g);
        assert_eq!(estimate(u32::MAX).co2e_kg, u32::MAX);
        assert_eq!(mass_text(Lang::De, 200.0), "200 kg");
        assert_eq!(mass_text(Lang::De, 2600.0), "2,6 t");
        assert_eq!(mass_text(Lang::En, 2600.0), "2.6 t");
        assert_eq!(mass_text(Lang::De, 2.5), "2,5 kg");
        let de = room.text(Lang::De);
        assert!(
            de.starts_with("ca. ") && de.contains(&mass_text(Lang::De, room.co2e_kg as f64)),
            "{de}"
        );
        assert!(de.contains("26 kg"), "{de}");
    }
}
