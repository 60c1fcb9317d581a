//! The workshop configuration: locale, keyboard, mirror, host names, accounts, privacy
//! defaults and the selection policy. An embedded default fits a German school workshop
//! (`data/workshop-default.yaml`); `--workshop FILE` replaces it. Everything a person
//! writes here is validated before it can reach a generated file.

use serde::{Deserialize, Serialize};

use crate::accessibility::Aid;
use crate::catalog::Lang;
use crate::l10n::Said;
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
    #[serde(default)]
    pub accessibility: AccessibilityConfig,
    /// Where `upcycle serve` runs in the room, when it is always the same PC: the boot
    /// sheets then say its address instead of the `WORKSHOP-PC` placeholder.
    #[serde(default)]
    pub workshop_pc: Option<WorkshopPc>,
    /// How the laptops start their installer in this workshop: the start sheets
    /// (checklist, boot.txt) show that route only.
    #[serde(default)]
    pub install_route: InstallRoute,
    /// What the passport and the hand-over say and keep (docs/passport.md).
    #[serde(default)]
    pub passport: PassportConfig,
    /// The installer's erasure step (docs/erase.md, "In the installer"); off by default.
    #[serde(default)]
    pub erase: EraseConfig,
}

/// Erasure as an installer step: `upcycle erase --installer` on the install disk from
/// `partman/early_command`, before partitioning; a failed erasure stops the install.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EraseConfig {
    #[serde(default)]
    pub before_install: bool,
    #[serde(default)]
    pub method: InstallerEraseMethod,
    #[serde(default)]
    pub verify: InstallerVerify,
}

/// The methods the installer can run: d-i has none of the drives' tools (hdparm, nvme-cli,
/// mmc-utils), so `auto` is the drive's own method only where its tool is there, else
/// upcycle's overwrite.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InstallerEraseMethod {
    #[default]
    Auto,
    Overwrite,
}

/// The read-back after the installer's erasure (`upcycle erase --verify`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InstallerVerify {
    #[default]
    Full,
    Sample,
}

/// How a laptop starts its installer: from a stick of `upcycle media usb`, over the
/// network from `upcycle media netboot` + `upcycle serve`, or either (the default: the
/// sheet shows both).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InstallRoute {
    #[default]
    Both,
    Stick,
    Network,
}

/// The workshop PC's IPv4 address and serve's port (8080 unless said).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkshopPc {
    pub address: std::net::Ipv4Addr,
    #[serde(default = "default_serve_port")]
    pub port: u16,
}

fn default_serve_port() -> u16 {
    8080
}

impl Workshop {
    /// The host and port the boot lines name: the workshop PC's, else the placeholder
    /// `WORKSHOP-PC` that the sheet explains.
    pub fn serve_at(&self) -> (String, u16) {
        match self.workshop_pc {
            Some(pc) => (pc.address.to_string(), pc.port),
            None => ("WORKSHOP-PC".to_string(), 8080),
        }
    }
}

/// Barrierefreiheit: the aids every laptop gets (`all`), and those of single laptops by
/// host name (`machines`, replacing `all` for that laptop; `[]` for none).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessibilityConfig {
    #[serde(default)]
    pub all: Vec<Aid>,
    #[serde(default)]
    pub machines: std::collections::BTreeMap<String, Vec<Aid>>,
}

impl AccessibilityConfig {
    /// The aids of the laptop named `hostname`.
    pub fn for_host(&self, hostname: &str) -> &[Aid] {
        self.machines.get(hostname).unwrap_or(&self.all)
    }
}

/// The passport's workshop lines and the hand-over's privacy choice.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PassportConfig {
    /// The workshop's name, printed on every passport (`Medienwerkstatt Dortmund-Nord`).
    #[serde(default)]
    pub workshop_name: String,
    /// Where the recipient gets help: a phone number, an e-mail or web address, opening
    /// hours (one line).
    #[serde(default)]
    pub help: String,
    /// Where a label's QR code leads: the passport's file name or URL, `{host}` standing
    /// for the laptop's host name (`https://werkstatt.example/paesse/{host}.passport.html`);
    /// empty: the code holds the host name alone.
    #[serde(default)]
    pub link: String,
    /// Keep the recipient's name in the ledger at the hand-over (`handover --recipient`).
    /// Off: a name given is not stored, and the record says so.
    #[serde(default)]
    pub keep_recipient_name: bool,
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
/// Its `Display` is English (`line 3: proxy: ...`), [`WorkshopError::said`] says it in any
/// language (serde's detail of a YAML error stays English).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", self.said())]
pub struct WorkshopError {
    pub line: Option<usize>,
    pub field: String,
    pub message: Said,
}

impl WorkshopError {
    /// `line L: FIELD: MESSAGE`, as something said.
    pub fn said(&self) -> Said {
        let mut said = self.message.clone();
        if !self.field.is_empty() {
            said = Said::new("err-field")
                .arg("field", self.field.as_str())
                .arg("error", said);
        }
        if let Some(line) = self.line {
            said = Said::new("err-at-line").arg("line", line as u64).arg("error", said);
        }
        said
    }
}

impl crate::l10n::Localize for WorkshopError {
    fn localize(&self, lang: crate::l10n::Lang) -> String {
        crate::l10n::say(lang, &self.said())
    }
}

/// A message about a value: `"x" is not a ...` (the value quoted).
fn about(id: &str, value: &str) -> Said {
    Said::new(id).arg("value", format!("{value:?}"))
}

impl Workshop {
    /// The embedded default.
    pub fn embedded() -> Workshop {
        Workshop::parse(DEFAULT).expect("the embedded workshop default is valid")
    }

    /// Parse and validate a workshop file's text.
    pub fn parse(text: &str) -> Result<Workshop, WorkshopError> {
        if text.len() > MAX_FILE_BYTES {
            return Err(WorkshopError {
                line: None,
                field: String::new(),
                message: too_big(text.len() as u64),
            });
        }
        let w: Workshop = yaml::from_str(text).map_err(|e| {
            let (field, message) = match e.message.split_once(": ") {
                Some((f, m)) if !f.contains(' ') => (f.to_string(), yaml::said(m)),
                _ => (String::new(), yaml::said(&e.message)),
            };
            WorkshopError {
                line: e.location.map(|l| l.0),
                field,
                message,
            }
        })?;
        // the first line with `key:` as a key (not `hostname:` for `name:`)
        let line_of = |needle: &str| {
            text.lines()
                .position(|l| {
                    l.match_indices(needle).any(|(i, _)| {
                        l[..i]
                            .chars()
                            .next_back()
                            .is_none_or(|c| c.is_whitespace() || "{,-".contains(c))
                    })
                })
                .map(|i| i + 1)
        };
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
    pub fn validate(&self) -> Result<(), (String, Said)> {
        let err = |f: &str, m: Said| Err((f.to_string(), m));
        self.check_sizes()?;
        if !is_token(&self.locale, ".-_@") || !self.locale.contains('_') {
            return err("locale", about("err-workshop-locale", &self.locale));
        }
        if !is_token(&self.keyboard.layout, "-_") || self.keyboard.layout.is_empty() {
            return err("keyboard.layout", about("err-workshop-layout", &self.keyboard.layout));
        }
        if !self.keyboard.variant.is_empty() && !is_token(&self.keyboard.variant, "-_") {
            return err(
                "keyboard.variant",
                about("err-workshop-variant", &self.keyboard.variant),
            );
        }
        if !is_token(&self.timezone, "/_-+") || !self.timezone.contains('/') && self.timezone != "UTC" {
            return err("timezone", about("err-workshop-timezone", &self.timezone));
        }
        if !is_hostname(&self.mirror.host) {
            return err("mirror.host", about("err-workshop-host", &self.mirror.host));
        }
        if !self.mirror.directory.starts_with('/') || !is_token(&self.mirror.directory, "/-_.~") {
            return err(
                "mirror.directory",
                about("err-workshop-directory", &self.mirror.directory),
            );
        }
        if let Some(proxy) = &self.proxy
            && !is_http_url(proxy)
        {
            return err("proxy", about("err-workshop-proxy", proxy));
        }
        if let Some(c) = self
            .hostname
            .pattern
            .chars()
            .find(|c| c.is_alphabetic() && !c.is_ascii() && hostname_letters(&c.to_string()) == "-")
        {
            return err(
                "hostname.pattern",
                Said::new("err-workshop-pattern-letter").arg("letter", c.to_string()),
            );
        }
        let sample = self.hostname_for(1, Some("ABC123XYZ"));
        if !sample.contains(|c: char| c.is_ascii_alphanumeric())
            || !self.hostname.pattern.contains("{n}") && !self.hostname.pattern.contains("{serial}")
        {
            return err("hostname.pattern", Said::new("err-workshop-pattern-number"));
        }
        if !self.hostname.domain.is_empty() && !is_hostname(&self.hostname.domain) {
            return err("hostname.domain", about("err-workshop-domain", &self.hostname.domain));
        }
        if !is_username(&self.accounts.setup_user) {
            return err(
                "accounts.setup_user",
                about("err-workshop-user-name", &self.accounts.setup_user),
            );
        }
        if is_system_account(&self.accounts.setup_user) {
            return err(
                "accounts.setup_user",
                about("err-workshop-setup-system", &self.accounts.setup_user),
            );
        }
        if self.accounts.mode == AccountMode::Fixed && self.accounts.users.is_empty() {
            return err("accounts.users", Said::new("err-workshop-no-users"));
        }
        for u in &self.accounts.users {
            if !is_username(&u.name) {
                return err("accounts.users.name", about("err-workshop-user-name", &u.name));
            }
            if is_system_account(&u.name) {
                return err("accounts.users.name", about("err-workshop-user-system", &u.name));
            }
            if !is_sha512_crypt(&u.password_hash) {
                return err(
                    "accounts.users.password_hash",
                    Said::new("err-workshop-hash").arg("name", u.name.as_str()),
                );
            }
            if u.full_name.chars().any(|c| c.is_control() || c == ':' || c == ',') {
                return err(
                    "accounts.users.full_name",
                    Said::new("err-workshop-full-name").arg("name", u.name.as_str()),
                );
            }
        }
        if let Some(host) = self
            .accessibility
            .machines
            .keys()
            .find(|h| h.len() > 63 || sanitize_hostname(h) != **h)
        {
            return err("accessibility.machines", about("err-workshop-a11y-host", host));
        }
        for p in &self.extra_packages {
            if !is_package_name(p) {
                return err("extra_packages", about("err-workshop-package", p));
            }
        }
        for (field, value) in [
            ("passport.workshop_name", &self.passport.workshop_name),
            ("passport.help", &self.passport.help),
        ] {
            if value.chars().any(char::is_control) {
                return err(field, Said::new("err-workshop-one-line"));
            }
        }
        let link = &self.passport.link;
        if !link.is_empty()
            && (!link.contains("{host}")
                || link.replace("{host}", "").contains(['{', '}'])
                || link.chars().any(|c| c.is_control() || c.is_whitespace()))
        {
            return err("passport.link", Said::new("err-workshop-link"));
        }
        if !self
            .privacy
            .search_engine
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
        {
            return err("privacy.search_engine", Said::new("err-workshop-search-engine"));
        }
        Ok(())
    }

    /// Every text value within the longest length that makes sense for its meaning, and
    /// every list within a count: a 50 MB full name would otherwise reach the generated
    /// files and the validators (shellcheck took 7.2 GB on one).
    fn check_sizes(&self) -> Result<(), (String, Said)> {
        let s = &self.selection;
        let mut texts: Vec<(&str, &str, usize)> = vec![
            ("locale", &self.locale, 64),
            ("keyboard.layout", &self.keyboard.layout, 32),
            ("keyboard.variant", &self.keyboard.variant, 64),
            ("timezone", &self.timezone, 64),
            ("mirror.host", &self.mirror.host, 253),
            ("mirror.directory", &self.mirror.directory, 255),
            ("proxy", self.proxy.as_deref().unwrap_or(""), 512),
            ("hostname.pattern", &self.hostname.pattern, 128),
            ("hostname.domain", &self.hostname.domain, 253),
            ("accounts.setup_user", &self.accounts.setup_user, 32),
            ("privacy.search_engine", &self.privacy.search_engine, 64),
            ("selection.pin", s.pin.as_deref().unwrap_or(""), 64),
            ("passport.workshop_name", &self.passport.workshop_name, 200),
            ("passport.help", &self.passport.help, 500),
            ("passport.link", &self.passport.link, 300),
        ];
        for u in &self.accounts.users {
            texts.push(("accounts.users.name", &u.name, 32));
            texts.push(("accounts.users.full_name", &u.full_name, 128));
            texts.push(("accounts.users.password_hash", &u.password_hash, 128));
        }
        // (field, entries, most entries, longest entry)
        let lists: [(&str, &[String], usize, usize); 4] = [
            ("extra_packages", &self.extra_packages, 500, 128),
            ("selection.forbid", &s.forbid, 100, 64),
            ("selection.prefer_desktops", &s.prefer_desktops, 100, 64),
            ("selection.app_sets", s.app_sets.as_deref().unwrap_or(&[]), 100, 64),
        ];
        for (field, values, max_count, max_len) in lists {
            if values.len() > max_count {
                return Err((
                    field.to_string(),
                    Said::new("err-workshop-entries")
                        .arg("n", values.len() as u64)
                        .arg("max", max_count as u64),
                ));
            }
            texts.extend(values.iter().map(|v| (field, v.as_str(), max_len)));
        }
        if self.accessibility.machines.len() > MAX_MACHINES {
            return Err((
                "accessibility.machines".into(),
                Said::new("err-workshop-entries")
                    .arg("n", self.accessibility.machines.len() as u64)
                    .arg("max", MAX_MACHINES as u64),
            ));
        }
        if self.accounts.users.len() > MAX_USERS {
            return Err((
                "accounts.users".into(),
                Said::new("err-workshop-users")
                    .arg("n", self.accounts.users.len() as u64)
                    .arg("max", MAX_USERS as u64),
            ));
        }
        for (field, value, max) in texts {
            let n = value.chars().count();
            if n > max {
                return Err((
                    field.to_string(),
                    Said::new("err-workshop-length")
                        .arg("n", n as u64)
                        .arg("max", max as u64),
                ));
            }
        }
        if self.hostname.digits > 9 {
            return Err((
                "hostname.digits".into(),
                Said::new("err-workshop-digits").arg("n", self.hostname.digits as u64),
            ));
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

/// The largest workshop file read: the default is 2 KB, a workshop with many fixed
/// accounts and extra packages a few more.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// The most laptops with aids of their own (a ledger numbers at most 10^9; a room has a
/// few dozen).
const MAX_MACHINES: usize = 10_000;

/// The most fixed accounts on one laptop.
const MAX_USERS: usize = 50;

/// The message for a file over [`MAX_FILE_BYTES`].
pub fn too_big(len: u64) -> Said {
    Said::new("err-workshop-too-big")
        .arg("len", len)
        .arg("max", MAX_FILE_BYTES as u64)
}

/// Lowercase, `[a-z0-9-]` only, no leading or trailing '-', at most 63 characters;
/// German and other Latin letters written as Germans write them without their marks
/// (`Müller` -> `mueller`, `Straße` -> `strasse`, `Café` -> `cafe`).
pub fn sanitize_hostname(raw: &str) -> String {
    let mapped = hostname_letters(raw);
    let trimmed = mapped.trim_matches('-');
    let cut: String = trimmed.chars().take(63).collect();
    let cut = cut.trim_end_matches('-').to_string();
    if cut.is_empty() { "laptop".to_string() } else { cut }
}

/// `raw` in host name letters: lowercase a-z and 0-9, letters of [`TRANSLITERATION`]
/// spelled out, anything else '-' (no trimming, no cut: [`sanitize_hostname`] does that).
pub fn hostname_letters(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        let lower = c.to_lowercase().next().unwrap_or(c);
        if lower.is_ascii_alphanumeric() {
            out.push(lower.to_ascii_lowercase());
        } else if let Some((_, spelled)) = TRANSLITERATION.iter().find(|(l, _)| *l == lower || *l == c) {
            out.push_str(spelled);
        } else {
            out.push('-');
        }
    }
    out
}

/// Letters a host name cannot hold, as they are written without their marks (DIN 5007-2
/// for the German ones: ä ae, ö oe, ü ue, ß ss).
const TRANSLITERATION: &[(char, &str)] = &[
    ('ä', "ae"),
    ('ö', "oe"),
    ('ü', "ue"),
    ('ß', "ss"),
    ('ẞ', "ss"),
    ('à', "a"),
    ('á', "a"),
    ('â', "a"),
    ('å', "a"),
    ('æ', "ae"),
    ('ç', "c"),
    ('è', "e"),
    ('é', "e"),
    ('ê', "e"),
    ('ë', "e"),
    ('ì', "i"),
    ('í', "i"),
    ('î', "i"),
    ('ï', "i"),
    ('ñ', "n"),
    ('ò', "o"),
    ('ó', "o"),
    ('ô', "o"),
    ('ø', "oe"),
    ('œ', "oe"),
    ('ù', "u"),
    ('ú', "u"),
    ('û', "u"),
    ('ý', "y"),
    ('ÿ', "y"),
];

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

/// Names of system accounts and groups, which no account of a person may take: the
/// installer would fail or, worse, the first-boot wizard would later remove the "setup
/// account" with `userdel -r`. Sources: Debian's base-passwd 3.6 (the users of
/// `/usr/share/base-passwd/passwd.master` and the groups of `group.master`, since adduser
/// makes a group of each new user's name; `gnats` from older releases), then the system
/// users that packages of our desktop profiles create when installed (`adduser --system`
/// in their maintainer scripts or `sysusers.d`: dbus, OpenSSH, the display managers,
/// Avahi, polkit, PulseAudio/PipeWire's rtkit, colord, usbmuxd, SANE, GeoClue, CUPS,
/// speech-dispatcher, NetworkManager's VPN plugins, fwupd, ...) and Ubuntu's.
#[rustfmt::skip]
const SYSTEM_ACCOUNTS: &[&str] = &[
    // base-passwd: passwd.master
    "root", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news", "uucp", "proxy",
    "www-data", "backup", "list", "irc", "gnats", "nobody",
    // base-passwd: group.master
    "adm", "tty", "disk", "kmem", "dialout", "fax", "voice", "cdrom", "floppy", "tape", "sudo", "audio",
    "dip", "operator", "src", "shadow", "utmp", "video", "sasl", "plugdev", "staff", "users", "nogroup",
    // created by packages of the desktops we install (Debian and Ubuntu)
    "messagebus", "sshd", "lightdm", "sddm", "gdm", "polkitd", "avahi", "avahi-autoipd", "pulse", "pipewire",
    "rtkit", "colord", "usbmux", "saned", "geoclue", "cups-pk-helper", "cups-browsed", "speech-dispatcher",
    "dnsmasq", "tss", "uuidd", "tcpdump", "hplip", "kernoops", "whoopsie", "nm-openvpn", "nm-openconnect",
    "fwupd-refresh", "ntp", "ntpsec", "statd", "postfix", "dhcpcd", "syslog", "gnome-initial-setup",
    "gnome-remote-desktop", "xrdp", "netdev", "lpadmin", "bluetooth", "scanner", "input", "render", "kvm",
    "sgx", "crontab", "ssl-cert", "admin", "wheel",
];

/// Prefixes of system accounts: systemd's own (`systemd-network`, `systemd-timesync`, ...)
/// and Debian's (`debian-tor`; new system users are named `_apt`, `_chrony`, which
/// [`is_username`] refuses already).
const SYSTEM_ACCOUNT_PREFIXES: &[&str] = &["systemd-", "debian-", "_"];

/// A system account's or group's name (see [`SYSTEM_ACCOUNTS`]).
pub fn is_system_account(name: &str) -> bool {
    SYSTEM_ACCOUNTS.contains(&name) || SYSTEM_ACCOUNT_PREFIXES.iter().any(|p| name.starts_with(p))
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
        assert_eq!(
            sanitize_hostname("Müller-Straße Ärztehaus ÖZ-Übung Café"),
            "mueller-strasse-aerztehaus-oez-uebung-cafe"
        );
        assert_eq!(sanitize_hostname("GROẞ"), "gross");
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
        assert!(e.message.to_string().contains("unknown field `colour`"), "{e}");
        let fixed = DEFAULT.replace("mode: first-boot", "mode: fixed");
        assert_eq!(Workshop::parse(&fixed).unwrap_err().field, "accounts.users");
        let clear = fixed.replace("users: []", "users: [{name: schueler, password_hash: geheim}]");
        assert_eq!(
            Workshop::parse(&clear).unwrap_err().field,
            "accounts.users.password_hash"
        );
    }

    #[test]
    fn system_accounts_are_refused() {
        for name in [
            "root",
            "daemon",
            "www-data",
            "nobody",
            "sudo",
            "messagebus",
            "systemd-network",
            "lightdm",
        ] {
            let setup = DEFAULT.replace("setup_user: einrichtung", &format!("setup_user: {name}"));
            let e = Workshop::parse(&setup).unwrap_err();
            assert_eq!(e.field, "accounts.setup_user", "{name}");
            assert!(e.message.to_string().contains("system account"), "{e}");
            assert_eq!(
                e.line,
                setup.lines().position(|l| l.contains("setup_user:")).map(|i| i + 1)
            );
            let fixed = DEFAULT.replace("mode: first-boot", "mode: fixed").replace(
                "users: []",
                &format!("users: [{{name: {name}, password_hash: \"{HASH}\"}}]"),
            );
            let e = Workshop::parse(&fixed).unwrap_err();
            assert_eq!(e.field, "accounts.users.name", "{name}");
            assert_eq!(e.line, fixed.lines().position(|l| l.contains("users:")).map(|i| i + 1));
            assert!(e.message.to_string().contains("system account"), "{e}");
        }
        for name in ["einrichtung", "schueler", "anna", "lp2", "rooter"] {
            assert!(!is_system_account(name), "{name}");
            let setup = DEFAULT.replace("setup_user: einrichtung", &format!("setup_user: {name}"));
            assert!(Workshop::parse(&setup).is_ok(), "{name}");
        }
    }

    #[test]
    fn the_passport_lines_are_one_line_each() {
        let named = DEFAULT
            .replace(
                "workshop_name: \"\"",
                "workshop_name: \"Medienwerkstatt Dortmund-Nord\"",
            )
            .replace("help: \"\"", "help: \"Di 15-18 Uhr, Tel. 0231 123456\"");
        let w = Workshop::parse(&named).unwrap();
        assert_eq!(w.passport.workshop_name, "Medienwerkstatt Dortmund-Nord");
        assert!(!w.passport.keep_recipient_name);
        for (from, to, field) in [
            (
                "workshop_name: \"\"",
                "workshop_name: \"a\\nb\"",
                "passport.workshop_name",
            ),
            ("help: \"\"", "help: \"x\\u0007\"", "passport.help"),
        ] {
            let e = Workshop::parse(&DEFAULT.replace(from, to)).unwrap_err();
            assert_eq!(e.field, field);
        }
        let linked = |link: &str| Workshop::parse(&DEFAULT.replace("link: \"\"", &format!("link: \"{link}\"")));
        assert!(linked("https://werkstatt.example/paesse/{host}.passport.html").is_ok());
        assert!(linked("{host}.passport.html").is_ok());
        for bad in [
            "https://x.example/pass.html",
            "https://x/{host}/{name}.html",
            "a b/{host}",
            "{host}\\t",
        ] {
            assert_eq!(linked(bad).unwrap_err().field, "passport.link", "{bad}");
        }
        // an older workshop file without the section is still read
        let old = &DEFAULT[..DEFAULT.find("# The device passport").unwrap()];
        assert_eq!(Workshop::parse(old).unwrap().passport, PassportConfig::default());
    }

    #[test]
    fn every_text_value_has_a_length_limit() {
        let long = "x".repeat(100_000);
        let fixed = DEFAULT.replace("mode: first-boot", "mode: fixed").replace(
            "users: []",
            &format!("users: [{{name: anna, full_name: Anna, password_hash: \"{HASH}\"}}]"),
        );
        assert!(Workshop::parse(&fixed).is_ok());
        for (from, to, field) in [
            ("locale: de_DE.UTF-8", format!("locale: de_{long}"), "locale"),
            ("layout: de", format!("layout: {long}"), "keyboard.layout"),
            ("variant: \"\"", format!("variant: {long}"), "keyboard.variant"),
            (
                "timezone: Europe/Berlin",
                format!("timezone: Europe/{long}"),
                "timezone",
            ),
            ("host: deb.debian.org", format!("host: {long}"), "mirror.host"),
            ("directory: /debian", format!("directory: /{long}"), "mirror.directory"),
            ("proxy: null", format!("proxy: http://proxy/{long}"), "proxy"),
            (
                "pattern: \"schule-{n}\"",
                format!("pattern: \"{long}-{{n}}\""),
                "hostname.pattern",
            ),
            ("domain: \"\"", format!("domain: {long}"), "hostname.domain"),
            (
                "setup_user: einrichtung",
                format!("setup_user: {long}"),
                "accounts.setup_user",
            ),
            ("name: anna", format!("name: {long}"), "accounts.users.name"),
            (
                "full_name: Anna",
                format!("full_name: {long}"),
                "accounts.users.full_name",
            ),
            (
                "password_hash: \"$6$",
                format!("password_hash: \"$6$rounds={long}1$"),
                "accounts.users.password_hash",
            ),
            (
                "extra_packages: []",
                format!("extra_packages: [{long}]"),
                "extra_packages",
            ),
            (
                "search_engine: DuckDuckGo",
                format!("search_engine: {long}"),
                "privacy.search_engine",
            ),
            ("pentium_m_kernel: non-pae", format!("pin: {long}"), "selection.pin"),
            (
                "pentium_m_kernel: non-pae",
                format!("forbid: [{long}]"),
                "selection.forbid",
            ),
            (
                "pentium_m_kernel: non-pae",
                format!("prefer_desktops: [{long}]"),
                "selection.prefer_desktops",
            ),
            (
                "pentium_m_kernel: non-pae",
                format!("app_sets: [{long}]"),
                "selection.app_sets",
            ),
            ("digits: 3", "digits: 1000000".to_string(), "hostname.digits"),
            (
                "workshop_name: \"\"",
                format!("workshop_name: {long}"),
                "passport.workshop_name",
            ),
            ("help: \"\"", format!("help: {long}"), "passport.help"),
        ] {
            assert!(fixed.contains(from), "{from}");
            let text = fixed.replacen(from, &to, 1);
            let started = std::time::Instant::now();
            let e = Workshop::parse(&text).unwrap_err();
            assert_eq!(e.field, field, "{e}");
            assert!(e.message.to_string().contains("at most"), "{e}");
            assert!(e.line.is_some(), "{e}");
            assert!(started.elapsed().as_secs() < 10, "{field} took {:?}", started.elapsed());
        }
        let many = fixed.replace(
            "extra_packages: []",
            &format!("extra_packages: [{}]", vec!["vim"; 501].join(", ")),
        );
        assert_eq!(Workshop::parse(&many).unwrap_err().field, "extra_packages");
        let huge = format!("{DEFAULT}# {}\n", "x".repeat(MAX_FILE_BYTES));
        let e = Workshop::parse(&huge).unwrap_err();
        assert!(e.message.to_string().contains("at most 1 MiB"), "{e}");
    }

    /// A hash of the SHA-512 crypt shape.
    const HASH: &str =
        "$6$rBXnL8bQ3nXz9Ct4$ZcOc6rPc0Tcj8.0rZkxB7uZcwCS3Lk1TrJ0jQ2.gGJXQ6mE8kI0y9JnOv6e1x8Yt8y8pV1dM9CaXNmwZf6uDm.";

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
