//! The workshop configuration: locale, keyboard, mirror, host names, accounts, privacy
//! defaults and the selection policy. An embedded default fits a German school workshop
//! (`data/workshop-default.yaml`); `--workshop FILE` replaces it. Everything a person
//! writes here is validated before it can reach a generated file.

use serde::{Deserialize, Serialize};

use crate::catalog::Lang;
use crate::select::Policy;
use crate::yaml;

static DEFAULT: &str = include_str!("../data/workshop-default.yaml");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workshop {
    pub locale: String,
    pub keyboard: Keyboard,
    pub timezone: String,
    pub language: Lang,
    pub mirror: Mirror,
    #[serde(default)]
    pub proxy: Option<String>,
    pub hostname: HostnameRule,
    pub accounts: Accounts,
    #[serde(default)]
    pub extra_packages: Vec<String>,
    pub privacy: Privacy,
    #[serde(default)]
    pub selection: Policy,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Keyboard {
    pub layout: String,
    #[serde(default)]
    pub variant: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mirror {
    pub host: String,
    pub directory: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostnameRule {
    pub pattern: String,
    #[serde(default = "default_digits")]
    pub digits: usize,
    #[serde(default)]
    pub domain: String,
}

fn default_digits() -> usize {
    3
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AccountMode {
    /// A one-time setup account lets the recipient create their own account.
    FirstBoot,
    /// Named accounts with password hashes from the config.
    Fixed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accounts {
    pub mode: AccountMode,
    #[serde(default = "default_setup_user")]
    pub setup_user: String,
    #[serde(default = "yes")]
    pub recipient_is_admin: bool,
    #[serde(default)]
    pub users: Vec<User>,
}

fn default_setup_user() -> String {
    "einrichtung".into()
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    pub name: String,
    #[serde(default)]
    pub full_name: String,
    /// SHA-512 crypt hash (`$6$...`), never a clear-text password.
    pub password_hash: String,
    #[serde(default)]
    pub admin: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Privacy {
    pub popularity_contest: bool,
    pub browser_policies: bool,
    pub search_engine: String,
    pub automatic_security_updates: bool,
}

/// A problem in a workshop file: the field and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{field}: {message}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
pub struct WorkshopError {
    pub line: Option<usize>,
    pub field: String,
    pub message: String,
}

impl Workshop {
    /// The embedded default.
    pub fn embedded() -> Workshop {
        Workshop::parse(DEFAULT).expect("the embedded workshop default is valid")
    }

    /// Parse and validate a workshop file's text.
    pub fn parse(text: &str) -> Result<Workshop, WorkshopError> {
        let w: Workshop = yaml::from_str(text).map_err(|e| {
            let (field, message) = match e.message.split_once(": ") {
                Some((f, m)) if !f.contains(' ') => (f.to_string(), m.to_string()),
                _ => (String::new(), e.message.clone()),
            };
            WorkshopError {
                line: e.location.map(|l| l.0),
                field,
                message,
            }
        })?;
        let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).map(|i| i + 1);
        if let Err((field, message)) = w.validate() {
            let key = field.rsplit('.').next().unwrap_or(&field).to_string();
            return Err(WorkshopError {
                line: line_of(&format!("{key}:")),
                field,
                message,
            });
        }
        Ok(w)
    }

    /// Every value that reaches a generated file must have a safe shape.
    pub fn validate(&self) -> Result<(), (String, String)> {
        let err = |f: &str, m: String| Err((f.to_string(), m));
        if !is_token(&self.locale, ".-_@") || !self.locale.contains('_') {
            return err(
                "locale",
                format!("{:?} is not a locale such as de_DE.UTF-8", self.locale),
            );
        }
        if !is_token(&self.keyboard.layout, "-_") || self.keyboard.layout.is_empty() {
            return err(
                "keyboard.layout",
                format!("{:?} is not a keyboard layout such as de", self.keyboard.layout),
            );
        }
        if !self.keyboard.variant.is_empty() && !is_token(&self.keyboard.variant, "-_") {
            return err(
                "keyboard.variant",
                format!(
                    "{:?} is not a keyboard variant such as nodeadkeys",
                    self.keyboard.variant
                ),
            );
        }
        if !is_token(&self.timezone, "/_-+") || !self.timezone.contains('/') && self.timezone != "UTC" {
            return err(
                "timezone",
                format!("{:?} is not a time zone such as Europe/Berlin", self.timezone),
            );
        }
        if !is_hostname(&self.mirror.host) {
            return err("mirror.host", format!("{:?} is not a host name", self.mirror.host));
        }
        if !self.mirror.directory.starts_with('/') || !is_token(&self.mirror.directory, "/-_.~") {
            return err(
                "mirror.directory",
                format!("{:?} is not a path such as /debian", self.mirror.directory),
            );
        }
        if let Some(proxy) = &self.proxy
            && !is_http_url(proxy)
        {
            return err(
                "proxy",
                format!("{proxy:?} is not an http:// URL such as http://192.168.1.10:3142/"),
            );
        }
        let sample = self.hostname_for(1, Some("ABC123XYZ"));
        if !sample.contains(|c: char| c.is_ascii_alphanumeric())
            || !self.hostname.pattern.contains("{n}") && !self.hostname.pattern.contains("{serial}")
        {
            return err(
                "hostname.pattern",
                "needs {n} (running number) or {serial} so every laptop gets its own name".into(),
            );
        }
        if !self.hostname.domain.is_empty() && !is_hostname(&self.hostname.domain) {
            return err(
                "hostname.domain",
                format!("{:?} is not a domain name", self.hostname.domain),
            );
        }
        if !is_username(&self.accounts.setup_user) {
            return err(
                "accounts.setup_user",
                format!("{:?} is not a user name (a-z, 0-9, -, _)", self.accounts.setup_user),
            );
        }
        if self.accounts.mode == AccountMode::Fixed && self.accounts.users.is_empty() {
            return err("accounts.users", "mode fixed needs at least one user".into());
        }
        for u in &self.accounts.users {
            if !is_username(&u.name) {
                return err(
                    "accounts.users.name",
                    format!("{:?} is not a user name (a-z, 0-9, -, _)", u.name),
                );
            }
            if !is_sha512_crypt(&u.password_hash) {
                return err(
                    "accounts.users.password_hash",
                    format!(
                        "the hash of {} is not a SHA-512 crypt hash ($6$...): make one with `upcycle hash-password`",
                        u.name
                    ),
                );
            }
            if u.full_name.chars().any(|c| c.is_control() || c == ':' || c == ',') {
                return err(
                    "accounts.users.full_name",
                    format!("the full name of {} holds control characters, ':' or ','", u.name),
                );
            }
        }
        for p in &self.extra_packages {
            if !is_package_name(p) {
                return err("extra_packages", format!("{p:?} is not a Debian package name"));
            }
        }
        if !self
            .privacy
            .search_engine
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
        {
            return err("privacy.search_engine", "only letters, digits, blanks and '-'".into());
        }
        Ok(())
    }

    /// The host name of machine number `n`: the pattern filled in, then cut to what a
    /// host name may hold (a-z, 0-9, '-', at most 63 characters).
    pub fn hostname_for(&self, n: usize, serial: Option<&str>) -> String {
        let serial: String = serial
            .unwrap_or("")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .take(6)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let serial = if serial.is_empty() {
            "noserial".to_string()
        } else {
            serial
        };
        let raw = self
            .hostname
            .pattern
            .replace("{n}", &format!("{n:0width$}", width = self.hostname.digits.min(9)))
            .replace("{serial}", &serial);
        sanitize_hostname(&raw)
    }
}

/// Lowercase, `[a-z0-9-]` only, no leading or trailing '-', at most 63 characters.
pub fn sanitize_hostname(raw: &str) -> String {
    let mapped: String = raw
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let trimmed = mapped.trim_matches('-');
    let cut: String = trimmed.chars().take(63).collect();
    let cut = cut.trim_end_matches('-').to_string();
    if cut.is_empty() { "laptop".to_string() } else { cut }
}

fn is_token(s: &str, extra: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || extra.contains(c))
}

pub fn is_hostname(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.')
            .all(|l| !l.is_empty() && l.len() <= 63 && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

fn is_username(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && s.len() <= 32
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

fn is_http_url(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("http://") else {
        return false;
    };
    let (hostport, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = hostport.rsplit_once(':').map_or(hostport, |(h, p)| {
        if p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty() {
            h
        } else {
            ""
        }
    });
    is_hostname(host) && path.chars().all(|c| c.is_ascii_alphanumeric() || "/-_.~".contains(c))
}

/// `$6$[rounds=N$]salt$hash` with crypt's base-64 alphabet.
pub fn is_sha512_crypt(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("$6$") else {
        return false;
    };
    let parts: Vec<&str> = rest.split('$').collect();
    let b64 = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '/');
    match parts.as_slice() {
        [salt, hash] => b64(salt) && salt.len() <= 16 && b64(hash) && hash.len() == 86,
        [rounds, salt, hash] => {
            rounds.strip_prefix("rounds=").is_some_and(|n| n.parse::<u32>().is_ok())
                && b64(salt)
                && salt.len() <= 16
                && b64(hash)
                && hash.len() == 86
        }
        _ => false,
    }
}

pub fn is_package_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.len() >= 2
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "+-.".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_a_german_school_workshop() {
        let w = Workshop::embedded();
        assert_eq!(w.locale, "de_DE.UTF-8");
        assert_eq!(w.keyboard.layout, "de");
        assert_eq!(w.timezone, "Europe/Berlin");
        assert_eq!(w.accounts.mode, AccountMode::FirstBoot);
        assert_eq!(w.hostname_for(7, None), "schule-007");
    }

    #[test]
    fn host_names_are_cleaned() {
        assert_eq!(sanitize_hostname("Schule_$(reboot)\n-01"), "schule---reboot---01");
        assert_eq!(sanitize_hostname("---"), "laptop");
        assert_eq!(sanitize_hostname(&"a".repeat(80)).len(), 63);
        let mut w = Workshop::embedded();
        w.hostname.pattern = "lab-{serial}".into();
        assert_eq!(w.hostname_for(1, Some("CN-0X$(id)123456\n")), "lab-123456");
    }

    #[test]
    fn bad_values_are_refused_with_their_field() {
        let text = DEFAULT.replace("timezone: Europe/Berlin", "timezone: \"Europe/Berlin; rm -rf /\"");
        let e = Workshop::parse(&text).unwrap_err();
        assert_eq!(e.field, "timezone");
        assert!(e.line.is_some());
        let e = Workshop::parse(&DEFAULT.replace("proxy: null", "proxy: \"http://x/$(id)\"")).unwrap_err();
        assert_eq!(e.field, "proxy");
        let e =
            Workshop::parse(&DEFAULT.replace("locale: de_DE.UTF-8", "locale: de_DE.UTF-8\ncolour: blue")).unwrap_err();
        assert!(e.message.contains("unknown field `colour`"), "{e}");
        let fixed = DEFAULT.replace("mode: first-boot", "mode: fixed");
        assert_eq!(Workshop::parse(&fixed).unwrap_err().field, "accounts.users");
        let clear = fixed.replace("users: []", "users: [{name: schueler, password_hash: geheim}]");
        assert_eq!(
            Workshop::parse(&clear).unwrap_err().field,
            "accounts.users.password_hash"
        );
    }

    #[test]
    fn sha512_crypt_shape() {
        let h = "$6$rBXnL8bQ3nXz9Ct4$ZcOc6rPc0Tcj8.0rZkxB7uZcwCS3Lk1TrJ0jQ2.gGJXQ6mE8kI0y9JnOv6e1x8Yt8y8pV1dM9CaXNmwZf6uDm.";
        assert_eq!(h.rsplit('$').next().unwrap().len(), 86);
        assert!(is_sha512_crypt(h));
        assert!(!is_sha512_crypt("$5$abc$def"));
        assert!(!is_sha512_crypt("$6$salt$short"));
        assert!(!is_sha512_crypt(
            "$6$sa\nlt$ZcOc6rPc0Tcj8.0rZkxB7uZcwCS3Lk1TrJ0jQ2.gGJXQ6mE8kI0y9JnOv6e1x8Yt8y8pV1dM9CaXNmwZf6uDm."
        ));
    }
}
