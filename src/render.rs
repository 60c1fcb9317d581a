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

use crate::bundle::Bundle;
use crate::catalog::{Family, InstallerFormat, Lang};
use crate::report::{BootMode, DiskKind, HardwareReport};
use crate::select::{Chosen, Selection, mib_text};
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
    #[error("kernel parameter {0:?} has characters a kernel command line cannot carry safely")]
    BadKernelParam(String),
}

/// Compiled templates, made once per run.
pub struct Templates {
    tera: Tera,
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
        tera.register_filter("preseed", filter_oneline);
        tera.register_filter("oneline", filter_oneline);
        tera.register_filter("md", filter_md);
        Ok(Templates { tera })
    }

    fn render(&self, name: &str, context: &Context) -> Result<String, RenderError> {
        self.tera.render(name, context).map_err(|e| RenderError::Template {
            name: name.to_string(),
            message: error_chain(&e),
        })
    }
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

/// One line without control characters (newlines, tabs, escapes become blanks).
pub fn one_line(s: &str) -> String {
    let mapped: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn filter_sh(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    Ok(Value::String(shell_quote(&value_text(v))))
}

fn filter_oneline(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    Ok(Value::String(one_line(&value_text(v))))
}

fn filter_md(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let mut out = String::new();
    for c in one_line(&value_text(v)).chars() {
        if "\\`*_[]<>|".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    Ok(Value::String(out))
}

/// What the templates see (documented in templates/README.md).
#[derive(Debug, Serialize)]
struct RenderContext<'a> {
    tool_version: &'static str,
    asset_id: &'a str,
    hostname: &'a str,
    lang: &'static str,
    account_mode: &'static str,
    machine: MachineView,
    chosen: &'a Chosen,
    selection: &'a Selection,
    workshop: &'a Workshop,
    install: InstallView,
    boot_line_initrd: String,
    boot_line_url: String,
    netboot_package: String,
    accounts_text: String,
    check_items: Vec<&'static str>,
    browser_policies: String,
    selection_json_base64: String,
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
    disk_finder: String,
    uefi: bool,
    ia32_uefi: bool,
    root_min_mb: u64,
    tasks: String,
    include: Vec<String>,
    all_packages: Vec<String>,
    kernel_opts: String,
    late_command: String,
    first_user: FirstUser,
    has_b43: bool,
}

#[derive(Debug, Serialize)]
struct DiskView {
    device: String,
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
}

/// Render the bundle of one machine. Pure: no file system.
pub fn render(templates: &Templates, input: &RenderInput) -> Result<Bundle, RenderError> {
    let chosen = input.selection.chosen.as_ref().ok_or(RenderError::NothingChosen)?;
    for p in &chosen.boot_params {
        if p.is_empty() || !p.chars().all(|c| c.is_ascii_alphanumeric() || "_.,=:-".contains(c)) {
            return Err(RenderError::BadKernelParam(p.clone()));
        }
    }
    let ctx = build_context(input, chosen)?;
    let mut context = Context::from_serialize(&ctx).map_err(|e| RenderError::Template {
        name: "context".into(),
        message: e.to_string(),
    })?;

    let mut bundle = Bundle {
        asset_id: input.asset_id.to_string(),
        files: Vec::new(),
    };
    // Helper scripts are rendered first and embedded into postinstall.sh.
    // (Into the one context: no other template names these keys, and a copy of the
    // context per bundle cost more than rendering two templates.)
    let apply = templates.render("firstboot-apply.sh", &context)?;
    let wizard = templates.render("firstboot-wizard.sh", &context)?;
    context.insert("firstboot_apply", apply.trim_end());
    context.insert("firstboot_wizard", wizard.trim_end());

    match chosen.installer {
        InstallerFormat::Preseed => bundle.add("preseed.cfg", templates.render("preseed.cfg", &context)?, 0o600),
        InstallerFormat::Autoinstall => {
            bundle.add("user-data", templates.render("user-data", &context)?, 0o600);
            bundle.add("meta-data", templates.render("meta-data", &context)?, 0o644);
        }
    }
    bundle.add("postinstall.sh", templates.render("postinstall.sh", &context)?, 0o755);
    if ctx.account_mode == "first-boot" {
        // Installed by postinstall.sh; here so they can be read and checked on their own.
        bundle.add("firstboot-apply.sh", apply, 0o644);
        bundle.add("firstboot-wizard.sh", wizard, 0o644);
    }
    bundle.add("boot.txt", templates.render("boot.txt", &context)?, 0o644);
    bundle.add("checklist.md", templates.render("checklist.md", &context)?, 0o644);
    bundle.add("checklist.html", templates.render("checklist.html", &context)?, 0o644);
    bundle.add("report.yaml", yaml::to_string(input.report), 0o644);
    bundle.add("selection.yaml", yaml::to_string(input.selection), 0o644);
    let sums = bundle.sha256sums();
    bundle.add("SHA256SUMS", sums, 0o644);
    Ok(bundle)
}

fn build_context<'a>(input: &'a RenderInput, chosen: &'a Chosen) -> Result<RenderContext<'a>, RenderError> {
    let r = input.report;
    let w = input.workshop;
    let lang = w.language;
    let de = lang == Lang::De;
    let debian = chosen.family == Family::Debian;

    let disk_name = chosen.install_disk.clone().ok_or(RenderError::NoDisk)?;
    let disk = r.storage.disks.iter().find(|d| d.name == disk_name);
    let sectors = disk.and_then(|d| d.size_bytes).map(|b| b / 512);
    let size_text = disk
        .and_then(|d| d.size_bytes)
        .map(|b| format!("{:.1} GB", b as f64 / 1e9))
        .unwrap_or_else(|| "size unknown".into());
    let device = format!("/dev/{disk_name}");
    // Kernel names can differ between the probe and the installer: find the disk of the
    // probed size that is not removable, and point partman and grub at it.
    let disk_finder = match sectors {
        Some(n) => format!(
            "for d in $(list-devices disk); do b=${{d##*/}}; if [ \"$(cat /sys/block/$b/size)\" = {n} ] && [ \"$(cat /sys/block/$b/removable)\" != 1 ]; then debconf-set partman-auto/disk \"$d\"; debconf-set grub-installer/bootdev \"$d\"; break; fi; done"
        ),
        None => "true".to_string(),
    };

    let (account_mode, first_user) = match (w.accounts.mode, debian) {
        (AccountMode::Fixed, _) => {
            let u = &w.accounts.users[0];
            (
                "fixed",
                FirstUser {
                    name: u.name.clone(),
                    full_name: u.full_name.clone(),
                    password_hash: u.password_hash.clone(),
                    admin: u.admin,
                },
            )
        }
        (AccountMode::FirstBoot, true) => (
            "first-boot",
            // Locked password: the account is only ever used through automatic login.
            FirstUser {
                name: w.accounts.setup_user.clone(),
                full_name: if de { "Einrichtung".into() } else { "Setup".into() },
                password_hash: "!".into(),
                admin: false,
            },
        ),
        (AccountMode::FirstBoot, false) => (
            "gnome-initial-setup",
            FirstUser {
                name: String::new(),
                full_name: String::new(),
                password_hash: String::new(),
                admin: false,
            },
        ),
    };

    let mut include: BTreeSet<String> = BTreeSet::new();
    include.extend(chosen.desktop_packages.iter().cloned());
    include.extend(chosen.apps.iter().cloned());
    include.extend(chosen.packages.iter().cloned());
    include.extend(w.extra_packages.iter().cloned());
    if debian {
        include.extend(chosen.firmware_packages.iter().cloned());
    }
    if account_mode == "first-boot" {
        include.insert("zenity".into());
        include.insert("sudo".into());
    }
    let mut all_packages = include.clone();
    all_packages.insert(chosen.kernel_flavour.clone());
    all_packages.extend(chosen.desktop_tasks.iter().map(|t| format!("task-{t}")));
    if let Some(src) = &chosen.desktop_source {
        all_packages.insert(src.clone());
    }

    let tasks = std::iter::once("standard".to_string())
        .chain(chosen.desktop_tasks.iter().cloned())
        .collect::<Vec<_>>()
        .join(", ");
    let params = chosen.boot_params.join(" ");
    let late_command = if debian {
        "if [ -f /upcycle/postinstall.sh ]; then cp /upcycle/postinstall.sh /target/root/upcycle-postinstall.sh; \
else u=\"$(debconf-get preseed/url)\"; if [ -n \"$u\" ]; then wget -q -O /target/root/upcycle-postinstall.sh \"${u%/*}/postinstall.sh\"; fi; fi; \
if [ -s /target/root/upcycle-postinstall.sh ]; then in-target bash /root/upcycle-postinstall.sh --installer; fi"
            .to_string()
    } else {
        "u=\"$(sed -n 's/.*s=\\([^ ;]*\\).*/\\1/p' /proc/cmdline)\"; if [ -f /cdrom/upcycle/postinstall.sh ]; then cp /cdrom/upcycle/postinstall.sh /target/root/upcycle-postinstall.sh; \
elif [ -n \"$u\" ]; then wget -q -O /target/root/upcycle-postinstall.sh \"${u%/}/postinstall.sh\"; fi; \
if [ -s /target/root/upcycle-postinstall.sh ]; then curtin in-target -- bash /root/upcycle-postinstall.sh --installer; fi"
            .to_string()
    };

    let locale_args = format!("locale={} keymap={}", w.locale, w.keyboard.layout);
    let with_params = |line: String| {
        if params.is_empty() {
            line
        } else {
            format!("{line} {params} --- {params}")
        }
    };
    let boot_line_initrd = with_params("auto=true priority=critical".to_string());
    let boot_line_url = match chosen.installer {
        InstallerFormat::Preseed => with_params(format!(
            "auto=true priority=critical url=http://WORKSHOP-PC:8080/{}/preseed.cfg {locale_args}",
            input.asset_id
        )),
        InstallerFormat::Autoinstall => {
            format!(
                "autoinstall \"ds=nocloud-net;s=http://WORKSHOP-PC:8080/{}/\"",
                input.asset_id
            )
        }
    };

    let selection_json = serde_json::to_string_pretty(input.selection).expect("selections serialise to JSON");
    let user_names = w
        .accounts
        .users
        .iter()
        .map(|u| u.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let accounts_text = match (account_mode, de) {
        ("fixed", true) => format!("Feste Konten: {user_names}"),
        ("fixed", false) => format!("fixed accounts: {user_names}"),
        ("first-boot", true) => format!(
            "Beim ersten Start legt die neue Besitzerin / der neue Besitzer ein eigenes Konto an (Einrichtungskonto „{}“ meldet sich automatisch an und wird danach gelöscht)",
            w.accounts.setup_user
        ),
        ("first-boot", false) => format!(
            "At first start the new owner creates their own account (the setup account \"{}\" logs in automatically and is removed afterwards)",
            w.accounts.setup_user
        ),
        (_, true) => "Beim ersten Start fragt GNOME nach dem Konto der neuen Besitzerin / des neuen Besitzers".into(),
        (_, false) => "At first start GNOME asks the new owner to create their account".into(),
    };
    let check_items = if de {
        vec![
            "Startet ohne Fehlermeldung",
            "WLAN verbindet sich",
            "Ton (Lautsprecher und Kopfhörer)",
            "Webcam",
            "Alle Tasten der Tastatur",
            "Touchpad",
            "Bildschirm ohne Pixelfehler",
            "Akku lädt und hält",
            "USB-Anschlüsse",
            "Anmeldung / Einrichtung klappt",
        ]
    } else {
        vec![
            "Starts without an error",
            "Wi-Fi connects",
            "Sound (speakers and headphones)",
            "Webcam",
            "Every key of the keyboard",
            "Touchpad",
            "Display without dead pixels",
            "Battery charges and holds",
            "USB ports",
            "Login / setup works",
        ]
    };

    Ok(RenderContext {
        tool_version: env!("CARGO_PKG_VERSION"),
        asset_id: input.asset_id,
        hostname: input.hostname,
        lang: if de { "de" } else { "en" },
        account_mode,
        machine: machine_view(r, de),
        chosen,
        selection: input.selection,
        workshop: w,
        install: InstallView {
            disk: DiskView {
                device,
                size_text,
                model: disk.and_then(|d| d.model.clone()),
            },
            disk_finder,
            uefi: r.firmware.boot_mode == BootMode::Uefi,
            ia32_uefi: r.firmware.needs_ia32_bootloader,
            root_min_mb: 8000,
            tasks,
            include: include.into_iter().collect(),
            all_packages: all_packages.into_iter().collect(),
            kernel_opts: params,
            late_command,
            first_user,
            has_b43: chosen.firmware_packages.iter().any(|p| p == "firmware-b43-installer"),
        },
        boot_line_initrd,
        boot_line_url,
        netboot_package: format!("debian-installer-{}-netboot-{}", chosen.release, chosen.arch.as_str()),
        accounts_text,
        check_items,
        browser_policies: browser_policies(&w.privacy.search_engine),
        selection_json_base64: base64::engine::general_purpose::STANDARD.encode(selection_json),
    })
}

fn machine_view(r: &HardwareReport, de: bool) -> MachineView {
    let unknown = if de { "unbekannt" } else { "unknown" };
    let m = &r.machine;
    let title = [m.vendor.as_deref(), m.model.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let cpu = match &r.cpu.model_name {
        Some(name) => format!(
            "{name} ({}{})",
            if r.cpu.flags.lm { "64-bit" } else { "32-bit" },
            r.cpu
                .cores
                .map(|c| format!(", {c} {}", if de { "Kerne" } else { "cores" }))
                .unwrap_or_default()
        ),
        None => unknown.to_string(),
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
                .unwrap_or_else(|| unknown.to_string()),
            match (d.kind, d.rotational) {
                (DiskKind::Disk, Some(false)) => "SSD",
                (DiskKind::Disk, Some(true)) => "HDD",
                _ => "",
            },
            d.name
        ),
        None => {
            if de {
                "keine interne Festplatte".into()
            } else {
                "no internal disk".into()
            }
        }
    };
    let battery = match r.battery.packs.first() {
        None => {
            if de {
                "keiner".into()
            } else {
                "none".into()
            }
        }
        Some(b) => match (b.wear_percent, b.full_wh, b.design_wh) {
            (Some(w), Some(f), Some(d)) => format!("{w} % {} ({f} / {d} Wh)", if de { "verschlissen" } else { "worn" }),
            (Some(w), _, _) => format!("{w} % {}", if de { "verschlissen" } else { "worn" }),
            _ => unknown.to_string(),
        },
    };
    MachineView {
        title: if title.is_empty() { unknown.to_string() } else { title },
        serial: m.serial.clone().unwrap_or_else(|| unknown.to_string()),
        cpu,
        ram: r
            .memory
            .installed_mib
            .map(mib_text)
            .unwrap_or_else(|| unknown.to_string()),
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
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("it's $(x)"), r"'it'\''s $(x)'");
        assert_eq!(one_line("a\nb\t c\u{1b}[31m"), "a b c [31m");
    }
}
