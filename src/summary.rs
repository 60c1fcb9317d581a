//! The short human texts of a report (`probe --format text`) and a selection (`select
//! --format text`): what a volunteer reads at the workshop table, in the terminal's
//! language. Pure: data in, text out.

use std::fmt::Write;

use crate::l10n::{self, Arg, Lang, Said};
use crate::report::{BootMode, ControllerMode, DiskKind, HardwareReport, NetworkKind, Transport};

/// The labels of [`report_text`]'s rows.
const REPORT_LABELS: &[&str] = &[
    "rep-machine",
    "rep-memory",
    "rep-disks",
    "rep-graphics",
    "rep-network",
    "rep-battery",
    "rep-display",
    "rep-running",
    "rep-warnings",
];

/// The short human text of a report (`probe --format text`, `plan`), in `lang`.
pub fn report_text(r: &HardwareReport, lang: Lang) -> String {
    let t = |id: &str| l10n::text(lang, id);
    let f = |id: &str, args: &[(&str, Arg)]| l10n::format(lang, id, args);
    // The labels' column fits the longest label of the language.
    let width = REPORT_LABELS
        .iter()
        .map(|id| t(id).chars().count() + 2)
        .max()
        .unwrap_or(0)
        .max(10);
    let mut s = String::new();
    let mut row = |label: &str, value: String| push_row(&mut s, width, label, &value);

    let m = &r.machine;
    let mut machine = vendor_model(m.vendor.as_deref(), m.model.as_deref());
    if machine.is_empty() {
        machine = t("rep-unknown-machine");
    }
    if let Some(c) = &m.chassis {
        machine.push_str(", ");
        machine.push_str(&l10n::code_text(lang, "chassis-", &c.replace(' ', "-")));
    }
    if let Some(y) = m.bios_year {
        machine.push_str(", ");
        machine.push_str(&f("rep-bios-from", &[("year", Arg::Int(y as i64))]));
    }
    if let Some(serial) = &m.serial {
        machine.push('\n');
        machine.push_str(&f("rep-serial", &[("serial", clean(serial).into())]));
    }
    row(&t("rep-machine"), machine);

    let c = &r.cpu;
    let mut cpu = c
        .model_name
        .as_deref()
        .map(clean)
        .unwrap_or_else(|| t("rep-unknown-cpu"));
    let mut details = Vec::new();
    if let (Some(cores), Some(threads)) = (c.cores, c.threads) {
        details.push(f(
            "rep-cores-threads",
            &[("cores", cores.into()), ("threads", threads.into())],
        ));
    }
    if let Some(mhz) = c.max_mhz {
        details.push(format!("{mhz} MHz"));
    }
    if !details.is_empty() {
        cpu.push_str(&format!(" ({})", details.join(", ")));
    }
    if c.threads.is_some() {
        cpu.push('\n');
        cpu.push_str(&t(if c.flags.lm { "rep-64bit" } else { "rep-32bit" }));
        if c.flags.cmov == Some(false) {
            cpu.push_str(&t("rep-no-cmov"));
        } else if c.forcepae {
            cpu.push_str(&t("rep-forcepae"));
        } else if !c.flags.pae {
            cpu.push_str(&t("rep-no-pae"));
        }
    }
    row("CPU", cpu);

    row(
        &t("rep-memory"),
        match (r.memory.installed_mib, r.memory.mem_total_kib) {
            (Some(mib), Some(kib)) => f(
                "rep-memory-value",
                &[("mib", mib.into()), ("seen", (kib / 1024).into())],
            ),
            _ => t("unknown"),
        },
    );

    row(
        "Firmware",
        match (r.firmware.boot_mode, r.firmware.uefi_bitness) {
            (BootMode::Bios, _) => t("rep-bios"),
            (BootMode::Uefi, Some(b)) if r.firmware.needs_ia32_bootloader => f("rep-uefi-ia32", &[("bits", b.into())]),
            (BootMode::Uefi, Some(b)) => f("rep-uefi-bits", &[("bits", b.into())]),
            (BootMode::Uefi, None) => "UEFI".into(),
        },
    );

    let kind_width = ["rep-disk-optical", "rep-disk-usb", "rep-disk-ssd", "rep-disk-disk"]
        .iter()
        .map(|id| t(id).chars().count())
        .max()
        .unwrap_or(0)
        .max(9);
    let disks: Vec<String> = r
        .storage
        .disks
        .iter()
        .map(|d| {
            let kind = match (d.kind, d.transport, d.rotational) {
                (DiskKind::Optical, _, _) => t("rep-disk-optical"),
                // USB sticks often claim to be rotational.
                (_, Transport::Usb, _) => t("rep-disk-usb"),
                (_, _, Some(true)) => "HDD".into(),
                (_, _, Some(false)) => t("rep-disk-ssd"),
                (_, _, None) => t("rep-disk-disk"),
            };
            let size = match (d.kind, d.size_bytes) {
                (DiskKind::Optical, Some(0)) => t("rep-no-disc"),
                (_, Some(b)) => gb(lang, b),
                (_, None) => t("bundle-size-unknown"),
            };
            let mut line = format!(
                "{:<8} {:<10} {:<kind_width$} {}",
                d.name,
                size,
                kind,
                transport(lang, d.transport)
            );
            if let Some(model) = &d.model {
                line.push_str(&format!("  {}", clean(model)));
            }
            if r.storage.install_target.as_deref() == Some(&d.name) {
                line.push_str("  ");
                line.push_str(&t("rep-install-here"));
            }
            line
        })
        .collect();
    row(
        &t("rep-disks"),
        if disks.is_empty() {
            t("rep-none-found")
        } else {
            disks.join("\n")
        },
    );
    if r.storage.install_target.is_none() {
        row("", t("rep-no-internal-disk"));
    }
    for c in r.storage.controllers.iter().filter(|c| c.mode == ControllerMode::Raid) {
        row("", f("rep-raid", &[("slot", c.slot.as_str().into())]));
    }

    let gpus: Vec<String> = r
        .graphics
        .iter()
        .map(|g| {
            device_line(
                lang,
                g.vendor_name.as_deref(),
                g.device_name.as_deref(),
                &g.ids.vendor,
                &g.ids.device,
                g.driver.as_deref(),
                g.firmware.as_ref().map(|f| (f.package.as_str(), f.exact)),
            )
        })
        .collect();
    row(
        &t("rep-graphics"),
        if gpus.is_empty() {
            t("rep-none-found")
        } else {
            gpus.join("\n")
        },
    );

    let nets: Vec<String> = r
        .network
        .iter()
        .map(|n| {
            let kind = match n.kind {
                NetworkKind::Wifi => t("rep-wifi"),
                NetworkKind::Ethernet => "Ethernet".into(),
                NetworkKind::Other => t("rep-other"),
            };
            let mut line = format!(
                "{kind}: {}",
                device_line(
                    lang,
                    n.vendor_name.as_deref(),
                    n.device_name.as_deref(),
                    &n.ids.vendor,
                    &n.ids.device,
                    n.driver.as_deref(),
                    n.firmware.as_ref().map(|f| (f.package.as_str(), f.exact))
                )
            );
            if !n.interfaces.is_empty() {
                line.push_str(&format!(" ({})", n.interfaces.join(", ")));
            }
            line
        })
        .collect();
    row(
        &t("rep-network"),
        if nets.is_empty() {
            t("rep-none-found")
        } else {
            nets.join("\n")
        },
    );

    let batteries: Vec<String> = r
        .battery
        .packs
        .iter()
        .map(|b| {
            let name: Arg = clean(&b.name).into();
            let mut line = match (b.design_wh, b.full_wh, b.wear_percent) {
                (Some(d), Some(full), Some(w)) => f(
                    "rep-battery-wh",
                    &[
                        ("name", name),
                        ("full", full.into()),
                        ("design", d.into()),
                        ("wear", w.into()),
                    ],
                ),
                (_, _, Some(w)) => f("rep-battery-worn", &[("name", name), ("wear", w.into())]),
                _ => f("rep-battery-unknown", &[("name", name)]),
            };
            // Many batteries report 0 when they do not count cycles.
            if let Some(c) = b.cycle_count.filter(|c| *c > 0) {
                line.push_str(", ");
                line.push_str(&f("rep-cycles", &[("n", c.into())]));
            }
            line
        })
        .collect();
    row(
        &t("rep-battery"),
        if batteries.is_empty() {
            t("bundle-no-battery")
        } else {
            batteries.join("\n")
        },
    );

    if let Some(p) = &r.display.panel {
        row(&t("rep-display"), format!("{}x{} ({})", p.width, p.height, p.connector));
    }
    if let Some(live) = &r.live {
        let parts: Vec<&str> = [live.os.as_deref(), live.kernel.as_deref(), live.hostname.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        row(&t("rep-running"), clean(&parts.join(", ")));
    }
    if !r.warnings.is_empty() {
        row(
            &t("rep-warnings"),
            f("rep-warnings-value", &[("n", (r.warnings.len() as u64).into())]),
        );
    }
    s
}

fn device_line(
    lang: Lang,
    vendor: Option<&str>,
    device: Option<&str>,
    vid: &str,
    did: &str,
    driver: Option<&str>,
    firmware: Option<(&str, bool)>,
) -> String {
    let f = |id: &str, args: &[(&str, Arg)]| l10n::format(lang, id, args);
    let name = match (vendor, device) {
        (Some(v), Some(d)) => format!("{} {}", clean(v), clean(d)),
        (Some(v), None) => f("rep-vendor-device", &[("vendor", clean(v).into())]),
        _ => l10n::text(lang, "rep-unknown-device"),
    };
    let mut line = format!("{name} [{vid}:{did}], ");
    match driver {
        Some(d) => line.push_str(&f("rep-driver", &[("driver", clean(d).into())])),
        None => line.push_str(&l10n::text(lang, "rep-no-driver")),
    }
    match firmware {
        Some((p, true)) => line.push_str(&format!(", {}", f("rep-needs-firmware", &[("package", p.into())]))),
        // Debian names this package for every GPU of the vendor.
        Some((p, false)) => line.push_str(&format!(", {}", f("rep-may-need-firmware", &[("package", p.into())]))),
        None => {}
    }
    line
}

/// Values from the machine may hold control characters: show them on one line.
/// A labelled row; continuation lines are indented under the first.
fn push_row(s: &mut String, width: usize, label: &str, value: &str) {
    for (i, line) in value.lines().enumerate() {
        let _ = writeln!(s, "{:<width$}{}", if i == 0 { label } else { "" }, line);
    }
}

/// `vendor model`, each cleaned of control characters; empty when both are unknown.
fn vendor_model(vendor: Option<&str>, model: Option<&str>) -> String {
    [vendor, model]
        .into_iter()
        .flatten()
        .map(clean)
        .collect::<Vec<_>>()
        .join(" ")
}

fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

fn gb(lang: Lang, bytes: u64) -> String {
    format!("{} GB", l10n::decimal(lang, bytes as f64 / 1e9))
}

fn transport(lang: Lang, t: Transport) -> String {
    match t {
        Transport::Sata => "SATA".into(),
        Transport::Ata => "ATA/IDE".into(),
        Transport::Nvme => "NVMe".into(),
        Transport::Mmc => "eMMC".into(),
        Transport::Sd => l10n::text(lang, "rep-sd-card"),
        Transport::Usb => "USB".into(),
        Transport::Virtio => "virtio".into(),
        Transport::Other => l10n::text(lang, "rep-other"),
    }
}

/// The short human text of a selection (`select --format text`, `plan`), in `lang`.
pub fn selection_text(sel: &crate::select::Selection, catalog: &crate::catalog::Catalog, lang: Lang) -> String {
    let t = |id: &str| l10n::text(lang, id);
    let say_lines = |list: &[Said]| list.iter().map(|r| l10n::say(lang, r)).collect::<Vec<_>>().join("\n");
    let mut s = String::new();
    let mut row = |label: &str, value: String| push_row(&mut s, 15, label, &value);
    let m = &sel.machine;
    let mut machine = vendor_model(m.vendor.as_deref(), m.model.as_deref());
    if machine.is_empty() {
        machine = t("sel-unknown-model");
    }
    let mut facts = vec![t(if m.cpu_64bit { "bits-64" } else { "bits-32" })];
    if let Some(r) = m.ram_mib {
        facts.push(format!("{} RAM", l10n::mib_text(lang, r)));
    }
    if let (Some(b), Some(ssd)) = (m.disk_bytes, m.disk_ssd) {
        facts.push(format!(
            "{} GB {}",
            l10n::decimal(lang, b as f64 / 1e9),
            if ssd { "SSD" } else { "HDD" }
        ));
    }
    row(&t("sel-machine"), format!("{machine}: {}", facts.join(", ")));

    match &sel.chosen {
        Some(c) => {
            let mut install = format!("{} [{}]", c.name.get(lang), c.profile);
            install.push('\n');
            install.push_str(&l10n::format(
                lang,
                "sel-kernel",
                &[("package", c.kernel_flavour.as_str().into())],
            ));
            if !c.boot_params.is_empty() {
                let params = c.boot_params.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(" ");
                install.push_str(&l10n::format(lang, "sel-boot-params", &[("params", params.into())]));
            }
            if !c.firmware_packages.is_empty() {
                let fw = c
                    .firmware_packages
                    .iter()
                    .map(|p| p.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                install.push('\n');
                install.push_str(&l10n::format(lang, "sel-firmware", &[("packages", fw.into())]));
            }
            let apps: Vec<&str> = c.app_list.iter().map(|a| a.name.get(lang)).collect();
            install.push('\n');
            install.push_str(&l10n::format(lang, "sel-apps", &[("apps", apps.join(", ").into())]));
            row(&t("sel-install"), install);
            row(&t("sel-why"), say_lines(&c.reasons));
        }
        None => row(&t("sel-install"), t("sel-nothing-fits")),
    }
    if !sel.dropped_apps.is_empty() {
        let lines: Vec<String> = sel.dropped_apps.iter().map(|d| dropped_text(lang, sel, d)).collect();
        row(&t("sel-left-out"), lines.join("\n"));
    }
    if !sel.upgrades.is_empty() {
        let lines: Vec<String> = sel.upgrades.iter().map(|u| upgrade_text(lang, u)).collect();
        row(&t("sel-upgrades"), lines.join("\n"));
    }
    if !sel.rejected.is_empty() {
        let lines: Vec<String> = sel
            .rejected
            .iter()
            .map(|r| {
                // The profile's name as the chosen one is shown (a selection made with another
                // catalog may name a profile this one lacks: then only its id).
                let name = match catalog.profile(&r.profile) {
                    Some(p) => format!("{} [{}]", p.name.get(lang), r.profile),
                    None => r.profile.clone(),
                };
                format!("{name}: {}", crate::ops::reasons_text(lang, &r.reasons, "; "))
            })
            .collect();
        row(&t("sel-not-chosen"), lines.join("\n"));
    }
    if !sel.notes.is_empty() {
        row(
            &t("sel-notes"),
            sel.notes
                .iter()
                .map(|n| n.text.get(lang).to_string())
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    if !sel.assumptions.is_empty() {
        row(&t("sel-assumed"), say_lines(&sel.assumptions));
    }
    s
}

/// An app left out, in one line: its name, why, and the app installed instead (by name).
pub fn dropped_text(lang: Lang, sel: &crate::select::Selection, d: &crate::select::DroppedApp) -> String {
    let reason = l10n::say(lang, &d.reason);
    let name = d.name.get(lang);
    match &d.alternative {
        Some(alt) => {
            let alt_name = sel
                .chosen
                .iter()
                .flat_map(|c| c.app_list.iter())
                .find(|a| &a.id == alt)
                .map(|a| a.name.get(lang))
                .unwrap_or(alt);
            l10n::format(
                lang,
                "sel-dropped-instead",
                &[
                    ("app", name.into()),
                    ("reason", reason.into()),
                    ("alternative", alt_name.into()),
                ],
            )
        }
        None => format!("{name}: {reason}"),
    }
}

/// One upgrade in one line: what, (cost), and what it unlocks.
pub fn upgrade_text(lang: Lang, u: &crate::select::Upgrade) -> String {
    let cost = u
        .cost
        .as_ref()
        .map(|c| format!(" ({})", l10n::say(lang, c)))
        .unwrap_or_default();
    let unlocks = u
        .unlocks
        .iter()
        .map(|x| l10n::say(lang, x))
        .collect::<Vec<_>>()
        .join(", ");
    format!("{}{cost}: {unlocks}", l10n::say(lang, &u.change))
}
