//! Rendering: report + selection + workshop config -> a [`Bundle`] of install files, via
//! the Tera templates in `templates/` (embedded, or `--templates DIR`). Pure: templates
//! are compiled once into [`Templates`]; rendering reads no files. Escaping is done by
//! filters named for where the value lands: `sh` (shell single quotes), `preseed` and
//! `oneline` (one line, no control characters), `md` (Markdown), `json_encode` (YAML,
//! as JSON is YAML) and Tera's HTML auto-escaping for `.html` templates.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use base64::Engine;
use include_dir::{Dir, include_dir};
use serde::Serialize;
use tera::{Context, Tera, Value};

use crate::boot_line;
use crate::bundle::Bundle;
use crate::catalog::{Family, InstallerFormat};
use crate::l10n::{self, Lang};
use crate::report::{BootMode, DiskKind, HardwareReport};
use crate::select::{Chosen, Selection};
use crate::token::InstallToken;
use crate::workshop::{AccountMode, Workshop};
use crate::yaml;

static EMBEDDED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// The templates every bundle needs (file name in the bundle = template name).
pub const TEMPLATES: &[&str] = &[
    "preseed.cfg",
    "user-data",
    "meta-data",
    "postinstall.sh",
    "firstboot-apply.sh",
    "firstboot-wizard.sh",
    "boot.txt",
    "checklist.md",
    "checklist.html",
];

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("template {name}: {message}")]
    Template { name: String, message: String },
    #[error("cannot read templates from {path}: {message}")]
    Io { path: String, message: String },
    #[error("no selection to render: no profile fits this machine")]
    NothingChosen,
    #[error("the machine has no internal disk to install on")]
    NoDisk,
    #[error("boot line: {0}")]
    BootLine(#[from] crate::boot_line::BootLineError),
}

/// Compiled templates, made once per run: one set per language, each with the `t()` and
/// `say()` functions of `l10n` bound to it.
pub struct Templates {
    tera: [Tera; 2],
    /// Whether a template names `selection` (the whole selection in the context): the
    /// embedded ones do not, so their context leaves it out (serialising it into every
    /// bundle's context was ~2 % of a batch); custom templates that use it get it.
    uses_selection: bool,
}

impl Templates {
    pub fn embedded() -> Result<Templates, RenderError> {
        let mut sources = Vec::new();
        for f in EMBEDDED.files() {
            let name = f.path().to_string_lossy().into_owned();
            if let Some(stem) = name.strip_suffix(".tera") {
                sources.push((stem.to_string(), String::from_utf8_lossy(f.contents()).into_owned()));
            }
        }
        Templates::compile(sources)
    }

    /// Templates from a directory (every `*.tera` file; all of [`TEMPLATES`] required).
    pub fn from_dir(dir: &Path) -> Result<Templates, RenderError> {
        let io = |e: std::io::Error| RenderError::Io {
            path: dir.display().to_string(),
            message: e.to_string(),
        };
        let mut sources = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let entry = entry.map_err(io)?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(stem) = name.strip_suffix(".tera") {
                sources.push((stem.to_string(), std::fs::read_to_string(entry.path()).map_err(io)?));
            }
        }
        Templates::compile(sources)
    }

    fn compile(mut sources: Vec<(String, String)>) -> Result<Templates, RenderError> {
        sources.sort();
        for required in TEMPLATES {
            if !sources.iter().any(|(n, _)| n == required) {
                return Err(RenderError::Template {
                    name: required.to_string(),
                    message: "missing".into(),
                });
            }
        }
        let mut tera = Tera::default();
        tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| RenderError::Template {
                name: "templates".into(),
                message: error_chain(&e),
            })?;
        tera.register_filter("sh", filter_sh);
        tera.register_filter("sh_answer", filter_sh_answer);
        tera.register_filter("preseed", filter_oneline);
        tera.register_filter("oneline", filter_oneline);
        tera.register_filter("md", filter_md);
        let tera = Lang::ALL.map(|lang| {
            let mut t = tera.clone();
            l10n::register_tera(&mut t, lang);
            t
        });
        let uses_selection = sources.iter().any(|(_, text)| names_variable(text, "selection"));
        Ok(Templates { tera, uses_selection })
    }

    fn render(&self, name: &str, context: &Context, lang: Lang) -> Result<String, RenderError> {
        self.tera[lang as usize]
            .render(name, context)
            .map_err(|e| RenderError::Template {
                name: name.to_string(),
                message: error_chain(&e),
            })
    }
}

/// Whether a template's tags (`{{ }}`, `{% %}`) name the variable `name` as a word of its
/// own (`selection.upgrades`, `selection | json_encode`; not `selection_json_base64`, not
/// `chosen.selection`, not the text outside the tags). A false "yes" only costs time.
fn names_variable(template: &str, name: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut rest = template;
    while let Some(open) = rest.find(['{']) {
        let after = &rest[open + 1..];
        let close = match after.chars().next() {
            Some('{') => "}}",
            Some('%') => "%}",
            _ => {
                rest = after;
                continue;
            }
        };
        let tag = &after[1..];
        let end = tag.find(close).unwrap_or(tag.len());
        let body = &tag[..end];
        let mut from = 0;
        while let Some(i) = body[from..].find(name) {
            let at = from + i;
            let before = body[..at].chars().next_back();
            let next = body[at + name.len()..].chars().next();
            if !before.is_some_and(|c| word(c) || c == '.') && !next.is_some_and(word) {
                return true;
            }
            from = at + name.len();
        }
        rest = &tag[end..];
    }
    false
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Shell single quoting: `it's` -> `'it'\''s'`. Safe for any byte string.
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// One line without control characters (newlines, tabs, escapes become blanks): every run
/// of blanks (Unicode white space, controls) is one space, none at either end.
pub fn one_line(s: &str) -> String {
    let blank = |c: char| c.is_whitespace() || c.is_control();
    // Most values (ids, base64, package lists, German sentences) are one line already:
    // they are copied as they are, without building a new string char by char. ASCII
    // (most of them, and the long ones) is checked byte by byte: its blanks are the
    // space, the controls and DEL.
    let mut previous_space = true; // no blank at the start
    let plain = if s.is_ascii() {
        s.bytes().all(|b| {
            let ok = if b == b' ' {
                !previous_space
            } else {
                b > 0x1f && b != 0x7f
            };
            previous_space = b == b' ';
            ok
        })
    } else {
        s.chars().all(|c| {
            let ok = if c == ' ' { !previous_space } else { !blank(c) };
            previous_space = c == ' ';
            ok
        })
    } && !previous_space;
    if plain || s.is_empty() {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if blank(c) {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

fn filter_sh(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    Ok(Value::String(shell_quote(&value_text(v))))
}

fn filter_sh_answer(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    Ok(Value::String(answer_quote(&value_text(v))))
}

/// Shell single quoting for a command in a d-i answer, which must hold no backslash
/// (debconf reads `\n` as a line break, `validate` refuses one): `it's` -> `'it'"'"'s'`;
/// one line (controls become blanks), a backslash becomes `/`.
pub fn answer_quote(s: &str) -> String {
    format!("'{}'", one_line(s).replace('\\', "/").replace('\'', r#"'"'"'"#))
}

fn filter_oneline(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    Ok(Value::String(one_line(&value_text(v))))
}

fn filter_md(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let line = one_line(&value_text(v));
    let special = |c: char| matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|');
    if !line.contains(special) {
        return Ok(Value::String(line));
    }
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        if special(c) {
            out.push('\\');
        }
        out.push(c);
    }
    Ok(Value::String(out))
}

/// How the recipient's account comes to be (`account_mode` in the templates): the workshop's
/// fixed accounts, upcycle's first-boot wizard (Debian), or GNOME's own first-boot setup
/// (Ubuntu, where the workshop asked for first-boot).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
enum AccountSetup {
    Fixed,
    FirstBoot,
    GnomeInitialSetup,
}

/// What the templates see (documented in templates/README.md).
#[derive(Debug, Serialize)]
struct RenderContext<'a> {
    tool_version: &'static str,
    asset_id: &'a str,
    hostname: &'a str,
    /// Validated hex (`token::InstallToken`): a word in shell and preseed without quoting.
    install_token: &'a str,
    lang: &'static str,
    account_mode: AccountSetup,
    machine: MachineView,
    chosen: &'a Chosen,
    /// Only when a template names it ([`Templates::uses_selection`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    selection: Option<&'a Selection>,
    workshop: &'a Workshop,
    install: InstallView,
    boot_line_initrd: String,
    boot_line_url: String,
    netboot_package: String,
    accounts_text: String,
    check_items: Vec<String>,
    /// Why this system (`chosen.reasons`), one line each, in the workshop's language: said
    /// once here for both checklists.
    reasons: Vec<String>,
    /// The upgrade advice, one line each, in the workshop's language.
    upgrades: Vec<String>,
    /// The apps left out, one line each (name, why, the app instead), in that language.
    dropped: Vec<String>,
    browser_policies: String,
    selection_json_base64: String,
    /// The recipient's aids (`chosen.accessibility`), as switches for the templates.
    a11y: A11yView,
}

/// Which aids are on, and their names in the workshop's language (for the checklist).
#[derive(Debug, Default, Serialize)]
struct A11yView {
    on: bool,
    screen_reader: bool,
    magnifier: bool,
    large_text: bool,
    high_contrast: bool,
    /// "Bildschirmleser Orca mit Sprachausgabe, Bildschirmlupe und große Schrift".
    text: String,
}

fn a11y_view(chosen: &Chosen, lang: Lang) -> A11yView {
    use crate::accessibility::Aid;
    let Some(a) = &chosen.accessibility else {
        return A11yView::default();
    };
    let has = |aid| a.aids.contains(&aid);
    A11yView {
        on: !a.aids.is_empty(),
        screen_reader: has(Aid::ScreenReader),
        magnifier: has(Aid::Magnifier),
        large_text: has(Aid::LargeText),
        high_contrast: has(Aid::HighContrast),
        text: l10n::say_list(lang, &a.aids.iter().map(|a| a.said()).collect::<Vec<_>>()),
    }
}

#[derive(Debug, Serialize)]
struct MachineView {
    title: String,
    serial: String,
    cpu: String,
    ram: String,
    disk: String,
    battery: String,
}

#[derive(Debug, Serialize)]
struct InstallView {
    disk: DiskView,
    uefi: bool,
    ia32_uefi: bool,
    root_min_mb: u64,
    tasks: String,
    include: Vec<String>,
    all_packages: Vec<String>,
    /// The selection's `keep_out`, pinned to -1 for APT (preseed hook, postinstall.sh);
    /// empty when the workshop's `extra_packages` name one of them: the workshop's wish
    /// wins, and a pin of what its package depends on would break the install.
    keep_out: Vec<String>,
    kernel_opts: String,
    first_user: FirstUser,
    has_b43: bool,
    /// Hardware notes to act on before the install (e.g. switch SATA to AHCI), in the
    /// selection's language; printed first on the checklist and in boot.txt.
    notes_before: Vec<String>,
    /// The other hardware notes.
    notes_other: Vec<String>,
}

#[derive(Debug, Serialize)]
struct DiskView {
    device: String,
    /// 512-byte sectors, for the installer's disk finder (`installer-commands.tera`).
    sectors: Option<u64>,
    size_text: String,
    model: Option<String>,
}

#[derive(Debug, Serialize)]
struct FirstUser {
    name: String,
    full_name: String,
    password_hash: String,
    admin: bool,
}

/// Everything `render` needs for one machine.
pub struct RenderInput<'a> {
    pub report: &'a HardwareReport,
    pub selection: &'a Selection,
    pub workshop: &'a Workshop,
    pub asset_id: &'a str,
    pub hostname: &'a str,
    /// The machine's install token from the ledger: the installer presents it to `serve`.
    pub install_token: &'a InstallToken,
}

/// Render the bundle of one machine. Pure: no file system.
pub fn render(templates: &Templates, input: &RenderInput) -> Result<Bundle, RenderError> {
    let chosen = input.selection.chosen.as_ref().ok_or(RenderError::NothingChosen)?;
    let ctx = build_context(input, chosen, templates.uses_selection)?;
    let lang = l10n::for_files(input.workshop.language);
    let mut context = Context::from_serialize(&ctx).map_err(|e| RenderError::Template {
        name: "context".into(),
        message: e.to_string(),
    })?;

    let mut bundle = Bundle {
        asset_id: input.asset_id.to_string(),
        files: Vec::new(),
        machine_values: machine_values(&ctx),
    };
    // Helper scripts are rendered first and embedded into postinstall.sh.
    // (Into the one context: no other template names these keys, and a copy of the
    // context per bundle cost more than rendering two templates.)
    let apply = templates.render("firstboot-apply.sh", &context, lang)?;
    let wizard = templates.render("firstboot-wizard.sh", &context, lang)?;
    context.insert("firstboot_apply", apply.trim_end());
    context.insert("firstboot_wizard", wizard.trim_end());

    match chosen.installer {
        InstallerFormat::Preseed => bundle.add("preseed.cfg", templates.render("preseed.cfg", &context, lang)?, 0o600),
        InstallerFormat::Autoinstall => {
            bundle.add("user-data", templates.render("user-data", &context, lang)?, 0o600);
            bundle.add("meta-data", templates.render("meta-data", &context, lang)?, 0o644);
        }
    }
    bundle.add(
        "postinstall.sh",
        templates.render("postinstall.sh", &context, lang)?,
        0o755,
    );
    if ctx.account_mode == AccountSetup::FirstBoot {
        // Installed by postinstall.sh; here so they can be read and checked on their own.
        bundle.add("firstboot-apply.sh", apply, 0o644);
        bundle.add("firstboot-wizard.sh", wizard, 0o644);
    }
    bundle.add("boot.txt", templates.render("boot.txt", &context, lang)?, 0o644);
    bundle.add("checklist.md", templates.render("checklist.md", &context, lang)?, 0o644);
    bundle.add(
        "checklist.html",
        templates.render("checklist.html", &context, lang)?,
        0o644,
    );
    bundle.add("report.yaml", yaml::to_string(input.report), 0o644);
    bundle.add("selection.yaml", yaml::to_string(input.selection), 0o644);
    let sums = bundle.sha256sums();
    bundle.add("SHA256SUMS", sums, 0o644);
    Ok(bundle)
}

fn build_context<'a>(
    input: &'a RenderInput,
    chosen: &'a Chosen,
    with_selection: bool,
) -> Result<RenderContext<'a>, RenderError> {
    let r = input.report;
    let w = input.workshop;
    let lang = l10n::for_files(w.language);
    let t = |id: &str| l10n::text(lang, id);
    let debian = chosen.family == Family::Debian;

    let disk_name = chosen.install_disk.clone().ok_or(RenderError::NoDisk)?;
    let disk = r.storage.disks.iter().find(|d| d.name == disk_name);
    let sectors = disk.and_then(|d| d.size_bytes).map(|b| b / 512);
    let size_text = disk
        .and_then(|d| d.size_bytes)
        .map(|b| format!("{} GB", l10n::decimal(lang, b as f64 / 1e9)))
        .unwrap_or_else(|| t("bundle-size-unknown"));
    let device = format!("/dev/{disk_name}");
    let (account_mode, first_user) = match (w.accounts.mode, debian) {
        (AccountMode::Fixed, _) => {
            let u = &w.accounts.users[0];
            (
                AccountSetup::Fixed,
                FirstUser {
                    name: u.name.clone(),
                    full_name: u.full_name.clone(),
                    password_hash: u.password_hash.clone(),
                    admin: u.admin,
                },
            )
        }
        (AccountMode::FirstBoot, true) => (
            AccountSetup::FirstBoot,
            // Locked password: the account is only ever used through automatic login.
            FirstUser {
                name: w.accounts.setup_user.clone(),
                full_name: t("bundle-setup-account-name"),
                password_hash: "!".into(),
                admin: false,
            },
        ),
        (AccountMode::FirstBoot, false) => (
            AccountSetup::GnomeInitialSetup,
            FirstUser {
                name: String::new(),
                full_name: String::new(),
                password_hash: String::new(),
                admin: false,
            },
        ),
    };

    // Every package name here is a validated `PackageName` (catalog, report, workshop).
    let mut include: BTreeSet<&str> = BTreeSet::new();
    include.extend(chosen.desktop_packages.iter().map(|p| p.as_str()));
    include.extend(chosen.apps.iter().map(|p| p.as_str()));
    include.extend(chosen.packages.iter().map(|p| p.as_str()));
    include.extend(w.extra_packages.iter().map(String::as_str));
    if debian {
        include.extend(chosen.firmware_packages.iter().map(|p| p.as_str()));
    }
    if let Some(a) = &chosen.accessibility {
        include.extend(a.packages.iter().map(|p| p.as_str()));
    }
    if account_mode == AccountSetup::FirstBoot {
        include.insert("zenity");
        // the wizard's dialogs get the keyboard through the window manager (EWMH)
        include.insert("wmctrl");
        include.insert("sudo");
    }
    let mut all_packages: BTreeSet<String> = include.iter().map(|p| p.to_string()).collect();
    all_packages.insert(chosen.kernel_flavour.to_string());
    all_packages.extend(chosen.desktop_tasks.iter().map(|t| format!("task-{t}")));
    if let Some(src) = &chosen.desktop_source {
        all_packages.insert(src.to_string());
    }

    let tasks = std::iter::once("standard")
        .chain(chosen.desktop_tasks.iter().map(|t| t.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let params = chosen
        .boot_params
        .iter()
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    // Route 1 (preseed in the initrd) and route 2 (preseed from the workshop PC), built by
    // the one boot-line builder that `media usb` and `media netboot` use too.
    let route_line = |route: &[&str]| boot_line::build(route, &[], &chosen.boot_params).map(|words| words.join(" "));
    let boot_line_initrd = route_line(boot_line::INITRD_ROUTE)?;
    let boot_line_url = match chosen.installer {
        InstallerFormat::Preseed => {
            let (host, port) = w.serve_at();
            let route = boot_line::url_route(&host, port, input.asset_id, &w.locale, &w.keyboard.layout);
            route_line(&route.iter().map(String::as_str).collect::<Vec<_>>())?
        }
        InstallerFormat::Autoinstall => {
            let (host, port) = w.serve_at();
            format!(
                "autoinstall \"ds=nocloud-net;s=http://{host}:{port}/{}/\"",
                input.asset_id
            )
        }
    };

    // One line: read by `upcycle check` on the laptop (`jq .` shows it to a person); pretty
    // printing made postinstall.sh a third longer for every tool and hash that reads it.
    let selection_json = serde_json::to_string(input.selection).expect("selections serialise to JSON");
    let user_names = w
        .accounts
        .users
        .iter()
        .map(|u| u.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let accounts_text = match account_mode {
        AccountSetup::Fixed => l10n::format(lang, "bundle-accounts-fixed", &[("users", user_names.into())]),
        AccountSetup::FirstBoot => l10n::format(
            lang,
            "bundle-accounts-first-boot",
            &[("setup_user", w.accounts.setup_user.as_str().into())],
        ),
        AccountSetup::GnomeInitialSetup => t("bundle-accounts-gnome"),
    };
    let check_items = CHECK_ITEMS.iter().map(|id| t(id)).collect();

    Ok(RenderContext {
        tool_version: env!("CARGO_PKG_VERSION"),
        asset_id: input.asset_id,
        hostname: input.hostname,
        install_token: input.install_token.as_str(),
        lang: lang.code(),
        account_mode,
        machine: machine_view(r, lang),
        chosen,
        selection: with_selection.then_some(input.selection),
        workshop: w,
        install: InstallView {
            disk: DiskView {
                device,
                sectors,
                size_text,
                model: disk.and_then(|d| d.model.clone()),
            },
            uefi: r.firmware.boot_mode == BootMode::Uefi,
            ia32_uefi: r.firmware.needs_ia32_bootloader,
            root_min_mb: 8000,
            tasks,
            keep_out: if chosen.keep_out.iter().any(|p| all_packages.contains(p.as_str())) {
                Vec::new()
            } else {
                chosen.keep_out.iter().map(|p| p.to_string()).collect()
            },
            include: include.into_iter().map(str::to_string).collect(),
            all_packages: all_packages.into_iter().collect(),
            kernel_opts: params,
            first_user,
            has_b43: chosen.firmware_packages.iter().any(|p| p == "firmware-b43-installer"),
            notes_before: {
                let mut notes = notes_where(input.selection, true, lang);
                // The workshop erases in the installer, but only d-i's preseed can (docs/erase.md).
                if w.erase.before_install && chosen.installer != InstallerFormat::Preseed {
                    notes.push(l10n::text(lang, "note-erase-not-in-installer"));
                }
                notes
            },
            notes_other: notes_where(input.selection, false, lang),
        },
        boot_line_initrd,
        boot_line_url,
        netboot_package: format!("debian-installer-{}-netboot-{}", chosen.release, chosen.arch.as_str()),
        accounts_text,
        check_items,
        reasons: chosen.reasons.iter().map(|r| l10n::say(lang, r)).collect(),
        upgrades: input
            .selection
            .upgrades
            .iter()
            .map(|u| crate::summary::upgrade_text(lang, u))
            .collect(),
        dropped: input
            .selection
            .dropped_apps
            .iter()
            .map(|d| crate::summary::dropped_text(lang, input.selection, d))
            .collect(),
        browser_policies: browser_policies(&w.privacy.search_engine),
        selection_json_base64: base64::engine::general_purpose::STANDARD.encode(selection_json),
        a11y: a11y_view(chosen, lang),
    })
}

/// The texts of the selection's notes that are (or are not) to be acted on before the install.
fn notes_where(selection: &Selection, before_install: bool, lang: Lang) -> Vec<String> {
    selection
        .notes
        .iter()
        .filter(|n| n.before_install == before_install)
        .map(|n| n.text.get(lang).to_string())
        .collect()
}

/// What to check after the install (the checklist's tick boxes), in order.
const CHECK_ITEMS: &[&str] = &[
    "check-starts",
    "check-wifi",
    "check-sound",
    "check-webcam",
    "check-keys",
    "check-touchpad",
    "check-display",
    "check-battery",
    "check-usb",
    "check-login",
];

/// The values in the context that are this machine's own, with their roles, as the
/// templates may print them (raw and through the one-line filter).
fn machine_values(ctx: &RenderContext) -> Vec<(&'static str, String)> {
    let m = &ctx.machine;
    let d = &ctx.install.disk;
    let mut values: Vec<(&'static str, String)> = vec![
        ("asset_id", ctx.asset_id.to_string()),
        ("hostname", ctx.hostname.to_string()),
        ("install_token", ctx.install_token.to_string()),
        ("selection", ctx.selection_json_base64.clone()),
        ("boot_line_url", ctx.boot_line_url.clone()),
        ("disk", d.device.clone()),
        ("disk_size", d.size_text.clone()),
        ("sectors", d.sectors.map(|n| n.to_string()).unwrap_or_default()),
        ("swap", ctx.chosen.swap_mib.to_string()),
        ("title", m.title.clone()),
        ("serial", m.serial.clone()),
        ("cpu", m.cpu.clone()),
        ("ram", m.ram.clone()),
        ("disk_text", m.disk.clone()),
        ("battery", m.battery.clone()),
        // The system's name (a catalog value, printed only in comments, one line): without
        // it every profile's postinstall.sh would be a kind of its own for the tools.
        ("system", ctx.chosen.name.en.clone()),
        ("system", ctx.chosen.name.de.clone()),
    ];
    values.extend(d.model.iter().map(|v| ("disk_model", v.clone())));
    // Package lists as the templates print them, whole (validated package names, so any
    // such list is the same to the tools): `pkgsel/include` and postinstall's PACKAGES.
    values.push(("include", ctx.install.include.join(" ")));
    values.push((
        "packages",
        ctx.install
            .all_packages
            .iter()
            .map(|p| shell_quote(p))
            .collect::<Vec<_>>()
            .join(" "),
    ));
    // The packages kept out (validated names too): postinstall's KEEP_OUT (quoted words),
    // the preseed hook's list (one quoted string) and its comment. The whole KEEP_OUT line
    // too, so an empty list (`KEEP_OUT=()`, which the script's loops skip) is the same kind
    // as a full one.
    let quoted: Vec<String> = ctx.install.keep_out.iter().map(|p| shell_quote(p)).collect();
    values.push(("keep_out_array", format!("KEEP_OUT=({})", quoted.join(" "))));
    if !ctx.install.keep_out.is_empty() {
        values.push(("keep_out", quoted.join(" ")));
        values.push(("keep_out_words", ctx.install.keep_out.join(" ")));
    }
    // The desktop's session name as postinstall.sh matches it (one quoted word of the
    // catalog): without it each desktop's postinstall.sh would be a kind of its own.
    values.push(("desktop", shell_quote(&ctx.chosen.desktop.to_lowercase())));
    values.push(("kernel", ctx.chosen.kernel_flavour.to_string()));
    let filtered: Vec<(&'static str, String)> = values
        .iter()
        .map(|(role, v)| (*role, one_line(v)))
        .filter(|(role, v)| !values.iter().any(|(r, w)| r == role && w == v))
        .collect();
    values.extend(filtered);
    values
}

fn machine_view(r: &HardwareReport, lang: Lang) -> MachineView {
    let unknown = l10n::text(lang, "unknown");
    let m = &r.machine;
    let title = [m.vendor.as_deref(), m.model.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let cpu = match &r.cpu.model_name {
        Some(name) => {
            let bits = l10n::text(lang, if r.cpu.flags.lm { "bits-64" } else { "bits-32" });
            match r.cpu.cores {
                Some(c) => format!("{name} ({bits}, {})", l10n::format(lang, "cores", &[("n", c.into())])),
                None => format!("{name} ({bits})"),
            }
        }
        None => unknown.clone(),
    };
    let target = r
        .storage
        .install_target
        .as_ref()
        .and_then(|t| r.storage.disks.iter().find(|d| &d.name == t));
    let disk = match target {
        Some(d) => format!(
            "{} {} ({})",
            d.size_bytes
                .map(|b| format!("{:.0} GB", b as f64 / 1e9))
                .unwrap_or_else(|| unknown.clone()),
            match (d.kind, d.rotational) {
                (DiskKind::Disk, Some(false)) => "SSD",
                (DiskKind::Disk, Some(true)) => "HDD",
                _ => "",
            },
            d.name
        ),
        None => l10n::text(lang, "bundle-no-disk"),
    };
    let battery = match r.battery.packs.first() {
        None => l10n::text(lang, "bundle-no-battery"),
        Some(b) => match (b.wear_percent, b.full_wh, b.design_wh) {
            (Some(w), Some(f), Some(d)) => l10n::format(
                lang,
                "bundle-battery-worn-wh",
                &[("wear", w.into()), ("full", f.into()), ("design", d.into())],
            ),
            (Some(w), _, _) => l10n::format(lang, "bundle-battery-worn", &[("wear", w.into())]),
            _ => unknown.clone(),
        },
    };
    MachineView {
        // Says why, and is not a single word: a title is masked in `validate::kind_key`
        // only when it cannot be mistaken for a template word, so a bare "unbekannt" would
        // make every machine without a name a kind of file of its own.
        title: if title.is_empty() {
            l10n::text(lang, "unknown-title")
        } else {
            title
        },
        serial: m.serial.clone().unwrap_or_else(|| unknown.clone()),
        cpu,
        ram: match r.memory.installed_mib {
            Some(mib) => l10n::mib_text(lang, mib),
            None => l10n::format(
                lang,
                "bundle-ram-assumed",
                &[("mib", crate::select::ASSUMED_RAM_MIB.into())],
            ),
        },
        disk,
        battery,
    }
}

/// Firefox enterprise policies: no telemetry, no studies, the workshop's search engine.
fn browser_policies(search_engine: &str) -> String {
    let policies = serde_json::json!({
        "policies": {
            "DisableTelemetry": true,
            "DisableFirefoxStudies": true,
            "DisablePocket": true,
            "DontCheckDefaultBrowser": true,
            "SearchEngines": { "Default": search_engine },
            "UserMessaging": { "ExtensionRecommendations": false, "FeatureRecommendations": false, "SkipOnboarding": true }
        }
    });
    serde_json::to_string_pretty(&policies).expect("policies serialise")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_template_names_the_selection_only_in_its_tags_as_a_word() {
        for (t, want) in [
            ("{{ selection.upgrades | length }}", true),
            ("{% for u in selection.upgrades %}x{% endfor %}", true),
            ("{{selection|json_encode}}", true),
            ("{% set s = selection %}", true),
            ("{{ selection_json_base64 | sh }}", false),
            ("{{ chosen.selection }}", false),
            ("keep_out in /etc/upcycle/selection.json {{ packages }}", false),
            ("{ selection } {x} {{ a }}", false),
            ("{# selection #}", false),
        ] {
            assert_eq!(super::names_variable(t, "selection"), want, "{t}");
        }
        // the embedded templates do not name it (so their context leaves it out)
        assert!(!super::Templates::embedded().unwrap().uses_selection);
    }

    #[test]
    fn an_answer_word_is_one_shell_word_without_a_backslash() {
        for (s, want) in [
            ("Werkstatt K\u{f6}ln", "Werkstatt K\u{f6}ln"),
            ("it's $(reboot) `x` \\n", "it's $(reboot) `x` /n"),
            ("a\nb;c", "a b;c"),
        ] {
            let quoted = super::answer_quote(s);
            assert!(!quoted.contains('\\'), "{quoted}");
            let out = std::process::Command::new("sh")
                .args(["-c", &format!("printf %s {quoted}")])
                .output()
                .unwrap();
            assert_eq!(String::from_utf8(out.stdout).unwrap(), want, "{s:?}");
        }
    }

    #[test]
    fn one_line_takes_its_short_cut_only_where_the_long_way_gives_the_same() {
        let long_way = |s: &str| {
            let mapped: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
            mapped.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        for s in [
            "",
            "schule-001",
            "a b c",
            "a  b",
            " a",
            "a ",
            "a\tb",
            "a\nb",
            "\x1b[1mX",
            "M\u{fc}ller  Str.",
            "x\u{a0}y",
            "Debian 12 (32-bit) with Xfce",
            "'firefox-esr' 'vlc'",
            "a\u{7f}b",
            "\u{2028}",
            "Passt: 1,5 GiB RAM reichen für „LXDE“ – gut",
            "Stra\u{df}e \u{a0}x",
            "\u{a0}",
            " ",
            "\u{3000}Ende\u{2003}",
            "\t",
            "x\u{85}y",
            "a \u{1b}",
            "a\x0bb",
            "a\x0cb",
            "a\rb",
            "a\x1fb",
            "\x7f",
            "a~b",
        ] {
            assert_eq!(one_line(s), long_way(s), "{s:?}");
        }
        // and any string at all, with blanks and controls of every kind mixed in
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        // (the second: ASCII only, which is checked byte by byte)
        for pattern in [
            "([ \\t\\n\\x{a0}\\x{85}\\x{1b}\\x{2028}\\x{3000}a\\x{fc}\\x{201e}-]|\\PC){0,24}",
            "[ \\t\\n\\r\\x{0b}\\x{0c}\\x{1b}\\x{1f}\\x{7f}a~-]{0,24}",
        ] {
            let strings = proptest::string::string_regex(pattern).unwrap();
            runner
                .run(&strings, |s| {
                    proptest::prop_assert_eq!(one_line(&s), long_way(&s), "{:?}", s);
                    Ok(())
                })
                .unwrap();
        }
    }

    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("it's $(x)"), r"'it'\''s $(x)'");
        assert_eq!(one_line("a\nb\t c\u{1b}[31m"), "a b c [31m");
    }
}
