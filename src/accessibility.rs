//! Barrierefreiheit: the aids a laptop's recipient gets from the first start on (a screen
//! reader, a magnifier, large text, high contrast), chosen by the workshop for every
//! laptop or for some (`accessibility` in the workshop file, `--accessibility` of
//! `generate` and `plan`). Pure: which packages each aid needs per family, and how a
//! selection records them (`chosen.accessibility`, with a reason the checklist prints).
//! What the installed system does with them is `templates/postinstall.sh.tera` and the
//! first-boot wizard (docs/first-boot.md).

use serde::{Deserialize, Serialize};

use crate::catalog::Family;
use crate::l10n::Said;
use crate::select::Selection;
use crate::token::PackageName;

/// One aid for the recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Aid {
    /// Orca reads the screen aloud (speech-dispatcher with eSpeak NG), the first-boot
    /// wizard included.
    ScreenReader,
    /// A screen magnifier (Magnus on Xfce, LXQt and LXDE; GNOME's own zoom on Ubuntu).
    Magnifier,
    /// Text half as large again (GTK 3, Qt and GNOME).
    LargeText,
    /// The high-contrast theme (GTK 3 and GNOME).
    HighContrast,
}

impl Aid {
    pub const ALL: [Aid; 4] = [Aid::ScreenReader, Aid::Magnifier, Aid::LargeText, Aid::HighContrast];

    /// The word in files and on the command line (`screen-reader`).
    pub fn code(self) -> &'static str {
        match self {
            Aid::ScreenReader => "screen-reader",
            Aid::Magnifier => "magnifier",
            Aid::LargeText => "large-text",
            Aid::HighContrast => "high-contrast",
        }
    }

    /// Its name, to be said (`a11y-screen-reader`).
    pub fn said(self) -> Said {
        Said::new(&format!("a11y-{}", self.code()))
    }

    /// The packages it needs on a system of `family` (every name exists in each release
    /// the catalog installs: tested against the embedded package lists). The German voice
    /// is eSpeak NG's (`espeak-ng-data` holds every language); the speech follows the
    /// system's locale. Large text and high contrast need no package: GTK 3 has the
    /// `HighContrast` theme built in.
    pub fn packages(self, family: Family) -> &'static [&'static str] {
        match (self, family) {
            (Aid::ScreenReader, _) => &[
                "orca",
                "speech-dispatcher",
                "speech-dispatcher-espeak-ng",
                "espeak-ng-data",
                "at-spi2-core",
            ],
            (Aid::Magnifier, Family::Debian) => &["magnus"],
            // GNOME's own zoom (the same gsettings key turns it on).
            (Aid::Magnifier, Family::Ubuntu) => &[],
            (Aid::LargeText | Aid::HighContrast, _) => &[],
        }
    }
}

/// What a selection records of the aids (`chosen.accessibility`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accessibility {
    /// The aids, sorted, each once.
    pub aids: Vec<Aid>,
    /// The packages they need on this system, sorted.
    pub packages: Vec<PackageName>,
}

/// Give the chosen system `aids`: their packages (never kept out), and a reason that says
/// they are on. Nothing changes when `aids` is empty or nothing was chosen.
pub fn apply(selection: &mut Selection, aids: &[Aid]) {
    let Some(chosen) = selection.chosen.as_mut() else {
        return;
    };
    let mut aids = aids.to_vec();
    aids.sort();
    aids.dedup();
    if aids.is_empty() {
        return;
    }
    let mut packages: Vec<PackageName> = aids
        .iter()
        .flat_map(|a| a.packages(chosen.family))
        .map(|p| PackageName::new(*p).expect("the aids' package names are valid"))
        .collect();
    packages.sort();
    packages.dedup();
    chosen.keep_out.retain(|p| !packages.contains(p));
    chosen
        .reasons
        .push(Said::new("reason-accessibility").arg("aids", aids.iter().map(|a| a.said()).collect::<Vec<_>>()));
    chosen.accessibility = Some(Accessibility { aids, packages });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::packages;

    #[test]
    fn every_aid_package_exists_in_every_release_we_install() {
        let keys = packages::embedded_keys();
        assert!(keys.len() >= 4, "{keys:?}");
        for key in keys {
            let family = if key.starts_with("ubuntu") {
                Family::Ubuntu
            } else {
                Family::Debian
            };
            let index = packages::embedded(&key).unwrap();
            for aid in Aid::ALL {
                for p in aid.packages(family) {
                    assert!(index.contains(p), "{p} ({}) is not in {key}", aid.code());
                }
            }
        }
    }

    #[test]
    fn codes_are_the_serde_and_command_line_words() {
        use clap::ValueEnum;
        for aid in Aid::ALL {
            assert_eq!(crate::yaml::to_string(&aid).trim(), aid.code());
            assert_eq!(aid.to_possible_value().unwrap().get_name(), aid.code());
            assert!(crate::l10n::has(&aid.said().code), "{}", aid.said().code);
        }
    }
}
