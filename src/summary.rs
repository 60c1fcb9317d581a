//! The short human summary of a report (`probe --format text`): what a volunteer reads
//! at the workshop table. Pure: report in, text out.

use std::fmt::Write;

use crate::report::{BootMode, DiskKind, HardwareReport, NetworkKind, Transport};

pub fn report_text(r: &HardwareReport) -> String {
    let mut s = String::new();
    let mut row = |label: &str, value: String| push_row(&mut s, 10, label, &value);

    let m = &r.machine;
    let mut machine = vendor_model(m.vendor.as_deref(), m.model.as_deref());
    if machine.is_empty() {
        machine = "unknown (no DMI data)".into();
    }
    if let Some(c) = &m.chassis {
        machine.push_str(&format!(", {c}"));
    }
    if let Some(y) = m.bios_year {
        machine.push_str(&format!(", BIOS from {y}"));
    }
    if let Some(serial) = &m.serial {
        machine.push_str(&format!("\nserial {}", clean(serial)));
    }
    row("Machine", machine);

    let c = &r.cpu;
    let mut cpu = c
        .model_name
        .as_deref()
        .map(clean)
        .unwrap_or_else(|| "unknown CPU".into());
    let mut details = Vec::new();
    if let (Some(cores), Some(threads)) = (c.cores, c.threads) {
        details.push(format!(
            "{cores} core{} / {threads} thread{}",
            plural(cores),
            plural(threads)
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
        cpu.push_str(if c.flags.lm {
            "64-bit (amd64)"
        } else {
            "32-bit only (i386)"
        });
        if c.forcepae {
            cpu.push_str("; Pentium M without the PAE flag: a PAE kernel needs `forcepae`");
        } else if !c.flags.pae {
            cpu.push_str("; no PAE: needs a non-PAE (686) kernel");
        }
    }
    row("CPU", cpu);

    row(
        "Memory",
        match (r.memory.installed_mib, r.memory.mem_total_kib) {
            (Some(mib), Some(kib)) => format!("{} installed (the system sees {} MiB)", gib(mib), kib / 1024),
            _ => "unknown".into(),
        },
    );

    row(
        "Firmware",
        match (r.firmware.boot_mode, r.firmware.uefi_bitness) {
            (BootMode::Bios, _) => "BIOS (legacy boot)".into(),
            (BootMode::Uefi, Some(b)) if r.firmware.needs_ia32_bootloader => {
                format!("UEFI {b}-bit on a 64-bit CPU: needs a 32-bit UEFI boot loader (grub-efi-ia32)")
            }
            (BootMode::Uefi, Some(b)) => format!("UEFI {b}-bit"),
            (BootMode::Uefi, None) => "UEFI".into(),
        },
    );

    let disks: Vec<String> = r
        .storage
        .disks
        .iter()
        .map(|d| {
            let kind = match (d.kind, d.transport, d.rotational) {
                (DiskKind::Optical, _, _) => "optical",
                // USB sticks often claim to be rotational.
                (_, Transport::Usb, _) => "USB disk",
                (_, _, Some(true)) => "HDD",
                (_, _, Some(false)) => "SSD/flash",
                (_, _, None) => "disk",
            };
            let size = match (d.kind, d.size_bytes) {
                (DiskKind::Optical, Some(0)) => "no disc".to_string(),
                (_, Some(b)) => gb(b),
                (_, None) => "size unknown".to_string(),
            };
            let mut line = format!("{:<8} {:<10} {:<9} {}", d.name, size, kind, transport(d.transport));
            if let Some(model) = &d.model {
                line.push_str(&format!("  {}", clean(model)));
            }
            if r.storage.install_target.as_deref() == Some(&d.name) {
                line.push_str("  <- install here");
            }
            line
        })
        .collect();
    row(
        "Disks",
        if disks.is_empty() {
            "none found".into()
        } else {
            disks.join("\n")
        },
    );
    if r.storage.install_target.is_none() {
        row("", "no internal disk to install on".into());
    }

    let gpus: Vec<String> = r
        .graphics
        .iter()
        .map(|g| {
            device_line(
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
        "Graphics",
        if gpus.is_empty() {
            "none found".into()
        } else {
            gpus.join("\n")
        },
    );

    let nets: Vec<String> = r
        .network
        .iter()
        .map(|n| {
            let kind = match n.kind {
                NetworkKind::Wifi => "Wi-Fi",
                NetworkKind::Ethernet => "Ethernet",
                NetworkKind::Other => "other",
            };
            let mut line = format!(
                "{kind}: {}",
                device_line(
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
        "Network",
        if nets.is_empty() {
            "none found".into()
        } else {
            nets.join("\n")
        },
    );

    let batteries: Vec<String> = r
        .battery
        .packs
        .iter()
        .map(|b| {
            let mut line = clean(&b.name);
            match (b.design_wh, b.full_wh, b.wear_percent) {
                (Some(d), Some(f), Some(w)) => line.push_str(&format!(": {f} of {d} Wh left, {w} % worn")),
                (_, _, Some(w)) => line.push_str(&format!(": {w} % worn")),
                _ => line.push_str(": capacity unknown"),
            }
            // Many batteries report 0 when they do not count cycles.
            if let Some(c) = b.cycle_count.filter(|c| *c > 0) {
                line.push_str(&format!(", {c} cycles"));
            }
            line
        })
        .collect();
    row(
        "Battery",
        if batteries.is_empty() {
            "none".into()
        } else {
            batteries.join("\n")
        },
    );

    if let Some(p) = &r.display.panel {
        row("Display", format!("{}x{} ({})", p.width, p.height, p.connector));
    }
    if let Some(live) = &r.live {
        let parts: Vec<&str> = [live.os.as_deref(), live.kernel.as_deref(), live.hostname.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        row("Running", clean(&parts.join(", ")));
    }
    if !r.warnings.is_empty() {
        row(
            "Warnings",
            format!(
                "{} fact{} missing or unreadable (see `warnings` in --format yaml)",
                r.warnings.len(),
                plural(r.warnings.len() as u32)
            ),
        );
    }
    s
}

fn device_line(
    vendor: Option<&str>,
    device: Option<&str>,
    vid: &str,
    did: &str,
    driver: Option<&str>,
    firmware: Option<(&str, bool)>,
) -> String {
    let name = match (vendor, device) {
        (Some(v), Some(d)) => format!("{} {}", clean(v), clean(d)),
        (Some(v), None) => format!("{} device", clean(v)),
        _ => "unknown device".into(),
    };
    let mut line = format!("{name} [{vid}:{did}]");
    match driver {
        Some(d) => line.push_str(&format!(", driver {}", clean(d))),
        None => line.push_str(", no driver"),
    }
    match firmware {
        Some((f, true)) => line.push_str(&format!(", needs {f}")),
        // Debian names this package for every GPU of the vendor.
        Some((f, false)) => line.push_str(&format!(", may need {f}")),
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

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn gib(mib: u64) -> String {
    if mib % 1024 == 0 {
        format!("{} GiB", mib / 1024)
    } else {
        format!("{mib} MiB")
    }
}

fn gb(bytes: u64) -> String {
    format!("{:.1} GB", bytes as f64 / 1e9)
}

fn transport(t: Transport) -> &'static str {
    match t {
        Transport::Sata => "SATA",
        Transport::Ata => "ATA/IDE",
        Transport::Nvme => "NVMe",
        Transport::Mmc => "eMMC",
        Transport::Sd => "SD card",
        Transport::Usb => "USB",
        Transport::Virtio => "virtio",
        Transport::Other => "other",
    }
}

/// The short human text of a selection (`select --format text`).
pub fn selection_text(sel: &crate::select::Selection, lang: crate::catalog::Lang) -> String {
    use crate::catalog::Lang;
    let de = lang == Lang::De;
    let t = |en: &'static str, de_text: &'static str| if de { de_text } else { en };
    let mut s = String::new();
    let mut row = |label: &str, value: String| push_row(&mut s, 14, label, &value);
    let m = &sel.machine;
    let mut machine = vendor_model(m.vendor.as_deref(), m.model.as_deref());
    if machine.is_empty() {
        machine = t("unknown model", "unbekanntes Modell").into();
    }
    let mut facts = vec![if m.cpu_64bit { "64-bit" } else { "32-bit" }.to_string()];
    if let Some(r) = m.ram_mib {
        facts.push(format!("{} RAM", crate::select::mib_text(r)));
    }
    if let (Some(b), Some(ssd)) = (m.disk_bytes, m.disk_ssd) {
        facts.push(format!("{} {}", gb(b), if ssd { "SSD" } else { "HDD" }));
    }
    row(t("Machine", "Gerät"), format!("{machine}: {}", facts.join(", ")));

    match &sel.chosen {
        Some(c) => {
            let mut install = format!("{} [{}]", c.name.get(lang), c.profile);
            install.push_str(&format!("\nkernel {}", c.kernel_flavour));
            if !c.boot_params.is_empty() {
                install.push_str(&format!(
                    ", {} {}",
                    t("boot parameters", "Boot-Parameter"),
                    c.boot_params.join(" ")
                ));
            }
            if !c.firmware_packages.is_empty() {
                install.push_str(&format!("\nfirmware: {}", c.firmware_packages.join(", ")));
            }
            let apps: Vec<String> = c.app_list.iter().map(|a| a.name.clone()).collect();
            install.push_str(&format!("\n{}: {}", t("apps", "Programme"), apps.join(", ")));
            row(t("Install", "Installieren"), install);
            row(t("Why", "Warum"), c.reasons.join("\n"));
        }
        None => row(
            t("Install", "Installieren"),
            t("no profile fits this machine", "kein Profil passt zu diesem Gerät").into(),
        ),
    }
    if !sel.dropped_apps.is_empty() {
        let lines: Vec<String> = sel
            .dropped_apps
            .iter()
            .map(|d| match &d.alternative {
                Some(alt) => format!("{}: {} ({} {alt})", d.name, d.reason, t("instead:", "stattdessen:")),
                None => format!("{}: {}", d.name, d.reason),
            })
            .collect();
        row(t("Left out", "Weggelassen"), lines.join("\n"));
    }
    if !sel.upgrades.is_empty() {
        let lines: Vec<String> = sel
            .upgrades
            .iter()
            .map(|u| {
                let cost = u.cost.as_deref().map(|c| format!(" ({c})")).unwrap_or_default();
                format!("{}{cost}: {}", u.change, u.unlocks.join(", "))
            })
            .collect();
        row(t("Upgrades", "Aufrüsten"), lines.join("\n"));
    }
    if !sel.rejected.is_empty() {
        let lines: Vec<String> = sel
            .rejected
            .iter()
            .map(|r| format!("{}: {}", r.profile, r.reasons.join("; ")))
            .collect();
        row(t("Not chosen", "Nicht gewählt"), lines.join("\n"));
    }
    if !sel.notes.is_empty() {
        row(
            t("Notes", "Hinweise"),
            sel.notes.iter().map(|n| n.text.clone()).collect::<Vec<_>>().join("\n"),
        );
    }
    if !sel.assumptions.is_empty() {
        row(t("Assumed", "Angenommen"), sel.assumptions.join("\n"));
    }
    s
}
