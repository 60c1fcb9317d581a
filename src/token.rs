//! Validated tokens: the values from laptops and catalog files that reach installer
//! answers, boot lines and shell scripts without a quoting filter.
//!
//! A report, a selection, a profile or a workshop file read from disk is untrusted. Every
//! value of it that a generated file uses as a *word* (a disk name after `/dev/`, a package
//! name in `pkgsel/include`, a kernel parameter on a boot line, a release codename) has a
//! type here whose only constructor accepts the safe shape. Deserialising a file goes
//! through that constructor (`serde(try_from)`), and so does the probe, so render cannot be
//! handed `sda\nd-i passwd/root-login boolean true` as a disk: the file that holds it is
//! refused where it is read, with its line and field.
//!
//! The types serialise as plain strings: reports and selections keep their format.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Serialize};

/// A value that does not have the shape its type needs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not {what}")]
pub struct BadToken {
    /// The refused value, cut to 80 characters so a hostile megabyte stays out of messages.
    pub value: String,
    /// What it should have been, e.g. `a kernel block device name such as sda or nvme0n1`.
    pub what: &'static str,
}

/// Each token type's description (`WHAT`) and the message that says it (`token-*`).
pub const WHATS: &[(&str, &str)] = &[
    (DiskName::WHAT, "token-disk-name"),
    (PackageName::WHAT, "token-package-name"),
    (Codename::WHAT, "token-codename"),
    (Release::WHAT, "token-release"),
    (KernelParam::WHAT, "token-kernel-param"),
    (InstallToken::WHAT, "token-install-token"),
];

/// `"x" is not <what>` (a [`BadToken`]'s text, also inside a YAML error) as something
/// said, when `what` is one of [`WHATS`].
pub fn said_bad_token(message: &str) -> Option<crate::l10n::Said> {
    let (value, what) = message.rsplit_once(" is not ")?;
    let (_, id) = WHATS.iter().find(|(w, _)| *w == what)?;
    Some(
        crate::l10n::Said::new("err-token")
            .arg("value", value)
            .arg("what", crate::l10n::Said::new(id)),
    )
}

impl crate::l10n::Localize for BadToken {
    fn localize(&self, lang: crate::l10n::Lang) -> String {
        let text = self.to_string();
        said_bad_token(&text).map_or(text, |s| crate::l10n::say(lang, &s))
    }
}

impl BadToken {
    fn new(value: &str, what: &'static str) -> Self {
        let value = match value.char_indices().nth(80) {
            Some((cut, _)) => format!("{}...", &value[..cut]),
            None => value.to_string(),
        };
        BadToken { value, what }
    }
}

macro_rules! token {
    ($(#[$doc:meta])* $name:ident, $what:literal, $check:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(into = "String")]
        pub struct $name(String);

        // By hand rather than `serde(try_from)`: the check runs inside the deserializer's
        // visit of the scalar, so YAML errors name the field itself (`kernel[0].package`),
        // not the struct around it.
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($what)
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        $name::new(v).map_err(E::custom)
                    }
                }
                d.deserialize_str(V)
            }
        }

        impl $name {
            /// What a valid value looks like (for messages).
            pub const WHAT: &'static str = $what;

            pub fn new(value: impl Into<String>) -> Result<Self, BadToken> {
                let value = value.into();
                let check: fn(&str) -> bool = $check;
                if check(&value) { Ok($name(value)) } else { Err(BadToken::new(&value, $what)) }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Is `value` of this shape?
            pub fn is_valid(value: &str) -> bool {
                let check: fn(&str) -> bool = $check;
                check(value)
            }
        }

        impl TryFrom<String> for $name {
            type Error = BadToken;
            fn try_from(value: String) -> Result<Self, BadToken> {
                $name::new(value)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = BadToken;
            fn try_from(value: &str) -> Result<Self, BadToken> {
                $name::new(value)
            }
        }

        impl From<$name> for String {
            fn from(t: $name) -> String {
                t.0
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

token!(
    /// A kernel block device name as it appears in `/sys/block` and after `/dev/`: `sda`,
    /// `hda`, `nvme0n1`, `mmcblk0`, `vda`, `dm-0`. Lowercase letter first, then lowercase
    /// letters, digits and `-`, at most 32 bytes. Names with `!` (old Compaq/HP Smart Array
    /// `cciss!c0d0`, a subdirectory under `/dev`) are refused: the probe warns and skips them.
    DiskName,
    "a kernel block device name such as sda or nvme0n1",
    |s| {
        let mut chars = s.chars();
        matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
            && s.len() <= 32
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    }
);

token!(
    /// A Debian package name (Debian Policy 5.6.1): lowercase letters, digits, `+`, `-`,
    /// `.`, at least two characters, starting with a letter or digit; at most 128 bytes.
    /// tasksel task names (`xfce-desktop`) and Ubuntu's installer source ids
    /// (`ubuntu-desktop-minimal`) have the same shape and use this type too.
    PackageName,
    "a Debian package name (a-z, 0-9, +, -, .)",
    |s| {
        let mut chars = s.chars();
        matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
            && (2..=128).contains(&s.len())
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "+-.".contains(c))
    }
);

token!(
    /// A release codename such as `bookworm` or `noble`: 2 to 32 lowercase letters.
    Codename,
    "a release codename such as bookworm (a-z only)",
    |s| (2..=32).contains(&s.len()) && s.chars().all(|c| c.is_ascii_lowercase())
);

token!(
    /// A release number such as `12` or `24.04`: digits and dots, at most 16 bytes.
    Release,
    "a release number such as 12 or 24.04",
    |s| {
        (1..=16).contains(&s.len())
            && s.chars().all(|c| c.is_ascii_digit() || c == '.')
            && !s.starts_with('.')
            && !s.ends_with('.')
    }
);

token!(
    /// One kernel command-line parameter (`forcepae`, `acpi_backlight=vendor`,
    /// `b43.allhwcrypto=1`): ASCII letters, digits and `._,:=/+@-`, at most 256 bytes, not
    /// the `---` separator. No blank, quote, `$`, `;` or backslash: such a word could end
    /// a boot line, a preseed value or a shell word. The one validator for every boot line
    /// (preseed `add-kernel-opts`, `boot.txt`, the stick's menus, the netboot entries).
    KernelParam,
    "a kernel parameter (letters, digits and ._,:=/+@- only)",
    |s| {
        !s.is_empty()
            && s.len() <= 256
            && s != "---"
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"._,:=/+@-".contains(&b))
    }
);

token!(
    /// A bundle's install token: 32 lowercase hex digits (128 random bits), made by the
    /// ledger when the machine's bundle is generated and written into its installer answers.
    /// The installer presents it to `serve` (the hello and the "installed" callback), so only
    /// the bundle's own laptop can say where it is. Safe as a URL path segment, a preseed
    /// value and a shell word without quoting. Never printed by `status`, `log` or `export`.
    InstallToken,
    "an install token (32 lowercase hex digits)",
    |s| s.len() == 32 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
);

impl InstallToken {
    /// A new random token.
    pub fn generate() -> InstallToken {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).expect("the system has a random source");
        InstallToken(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// Compare with a presented value in constant time (the length is public).
    pub fn matches(&self, presented: &str) -> bool {
        let (a, b) = (self.0.as_bytes(), presented.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disk_names_of_every_bus_pass_and_hostile_ones_do_not() {
        for ok in ["sda", "hda", "nvme0n1", "mmcblk0", "vda", "xvda", "sr0", "dm-0"] {
            assert!(DiskName::new(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "sda\nd-i passwd/root-login boolean true",
            "sdz\\",
            "sdz $(touch /tmp/x)",
            "cciss!c0d0",
            "../sda",
            "Sda",
            "0sda",
            &"a".repeat(33),
        ] {
            assert!(DiskName::new(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn package_names_follow_debian_policy() {
        for ok in [
            "linux-image-686-pae",
            "g++",
            "libreoffice-l10n-de",
            "0ad",
            "xfce-desktop",
        ] {
            assert!(PackageName::new(ok).is_ok(), "{ok}");
        }
        for bad in [
            "a",
            "-x",
            "Foo",
            "a b",
            "linux-image-amd64\nd-i passwd/root-login boolean true",
            "a;b",
            "a_b",
        ] {
            assert!(PackageName::new(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn kernel_params_refuse_what_ends_a_word_or_a_line() {
        for ok in [
            "forcepae",
            "acpi_backlight=vendor",
            "b43.allhwcrypto=1",
            "video=LVDS-1:d",
        ] {
            assert!(KernelParam::new(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "---",
            "a b",
            "a\nb",
            "x=$(id)",
            "a;b",
            "a\\",
            "'",
            "\"",
            &"a".repeat(257),
        ] {
            assert!(KernelParam::new(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn releases_and_codenames() {
        assert!(Release::new("24.04").is_ok() && Release::new("12").is_ok());
        assert!(Release::new("12\nx").is_err() && Release::new(".1").is_err() && Release::new("").is_err());
        assert!(Codename::new("bookworm").is_ok());
        assert!(Codename::new("book worm").is_err() && Codename::new("Bookworm").is_err());
    }

    #[test]
    fn serde_goes_through_the_constructor_and_keeps_the_plain_format() {
        let d: DiskName = serde_json::from_str("\"sda\"").unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"sda\"");
        let err = serde_json::from_str::<DiskName>("\"sda\\nd-i x\"").unwrap_err();
        assert!(err.to_string().contains("is not a kernel block device name"), "{err}");
        // said in German through the catalogs, the English text unchanged
        use crate::l10n::{Lang, Localize};
        let bad = DiskName::new("sda; rm").unwrap_err();
        assert_eq!(bad.localize(Lang::En), bad.to_string());
        assert_eq!(
            bad.localize(Lang::De),
            "\"sda; rm\" ist kein Name eines Blockgeräts wie sda oder nvme0n1"
        );
        for (what, id) in WHATS {
            assert!(crate::l10n::has(id), "{id}");
            let said = said_bad_token(&format!("\"x\" is not {what}")).unwrap();
            assert_eq!(crate::l10n::say(Lang::En, &said), format!("\"x\" is not {what}"));
        }
    }

    #[test]
    fn messages_cut_long_values() {
        let err = PackageName::new("X".repeat(100_000)).unwrap_err();
        assert!(err.to_string().len() < 200, "{}", err.to_string().len());
    }

    #[test]
    fn install_tokens_are_random_hex_and_compared_whole() {
        let a = InstallToken::generate();
        let b = InstallToken::generate();
        assert_ne!(a, b);
        assert!(InstallToken::is_valid(&a) && a.len() == 32, "{a}");
        assert!(a.matches(a.as_str()));
        assert!(!a.matches(b.as_str()));
        assert!(!a.matches(&a[..31]));
        assert!(!a.matches(""));
        for bad in [
            "",
            "ABCDEF0123456789abcdef0123456789",
            "0123456789abcdef0123456789abcde",
            "0123456789abcdef0123456789abcdefg",
            "0123456789abcdef0123456789abcde;",
        ] {
            assert!(InstallToken::new(bad).is_err(), "{bad:?}");
        }
    }
}
