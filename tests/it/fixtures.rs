//! The probe against every captured real machine: facts from the public dumps
//! (`expected.yaml`, written from the dumps, not from our output) must come out, and the
//! whole report is snapshotted so any change is reviewed.

use serde_json::Value;

use crate::support::{machines, probe_dir, probe_with};
use upcycle::report::{BootMode, DiskKind, HardwareReport, NetworkKind};

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn str_of(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

/// Compare a report with the ground truth; returns every disagreement.
/// Firmware packages in expected.yaml are Debian 12 knowledge, so the report compared
/// here is probed with the bookworm firmware data.
fn disagreements(r: &HardwareReport, e: &Value) -> Vec<String> {
    let mut bad = Vec::new();
    let mut check = |what: &str, ok: bool, detail: String| {
        if !ok {
            bad.push(format!("{what}: {detail}"));
        }
    };
    if let Some(v) = str_of(&e["vendor"]) {
        check(
            "vendor",
            r.machine.vendor.as_deref() == Some(v.trim()),
            format!("{:?} vs {v:?}", r.machine.vendor),
        );
    }
    if let Some(v) = str_of(&e["model"]) {
        check(
            "model",
            r.machine.model.as_deref() == Some(v.as_str()),
            format!("{:?} vs {v:?}", r.machine.model),
        );
    }
    if let Some(v) = str_of(&e["cpu_model"]) {
        let got = r.cpu.model_name.as_deref().map(squash);
        check(
            "cpu_model",
            got.as_deref() == Some(squash(&v).as_str()),
            format!("{got:?} vs {v:?}"),
        );
    }
    for (key, got) in [
        ("cpu_64bit", r.cpu.flags.lm),
        ("cpu_pae", r.cpu.flags.pae),
        ("pentium_m_forcepae", r.cpu.forcepae),
    ] {
        if let Some(want) = e[key].as_bool() {
            check(key, got == want, format!("{got} vs {want}"));
        }
    }
    if let Some(want) = e["cpu_cmov"].as_bool() {
        check(
            "cpu_cmov",
            r.cpu.flags.cmov == Some(want),
            format!("{:?} vs {want}", r.cpu.flags.cmov),
        );
    }
    for (key, got) in [("cpu_cores", r.cpu.cores), ("cpu_threads", r.cpu.threads)] {
        if let Some(want) = e[key].as_u64() {
            check(key, got == Some(want as u32), format!("{got:?} vs {want}"));
        }
    }
    if let Some(want) = e["mem_total_kib"].as_u64() {
        check(
            "mem_total_kib",
            r.memory.mem_total_kib == Some(want),
            format!("{:?}", r.memory.mem_total_kib),
        );
    }
    if let (Some(want), Some(_)) = (e["ram_mib"].as_u64(), r.memory.mem_total_kib) {
        check(
            "ram_mib",
            r.memory.installed_mib == Some(want),
            format!("{:?} vs {want}", r.memory.installed_mib),
        );
    }
    if let Some(want) = e["uefi"].as_bool() {
        check(
            "uefi",
            (r.firmware.boot_mode == BootMode::Uefi) == want,
            format!("{:?}", r.firmware.boot_mode),
        );
    }
    if let Some(want) = e["uefi_bitness"].as_u64() {
        check(
            "uefi_bitness",
            r.firmware.uefi_bitness == Some(want as u8),
            format!("{:?}", r.firmware.uefi_bitness),
        );
    }

    // Graphics: the same devices, and the firmware package Debian 12 names.
    let gpus = e["gpu"].as_array().cloned().unwrap_or_default();
    check(
        "gpu count",
        gpus.len() == r.graphics.len(),
        format!("{} vs {}", r.graphics.len(), gpus.len()),
    );
    for g in &gpus {
        let id = str_of(&g["pci_id"]).unwrap_or_default();
        let found = r
            .graphics
            .iter()
            .find(|d| format!("{}:{}", d.ids.vendor, d.ids.device) == id);
        check("gpu", found.is_some(), format!("{id} not found"));
        if let (Some(d), Some(pkg)) = (found, str_of(&g["debian_firmware_package"])) {
            // Debian names a package for every GPU of some vendors (`d*` globs); only a
            // rule for this very device is a claim the dump can contradict.
            let got = d.firmware.as_ref().filter(|f| f.exact || pkg != "none");
            let got = got.map(|f| f.package.to_string()).unwrap_or_else(|| "none".into());
            check("gpu firmware", got == pkg, format!("{id}: {got} vs {pkg}"));
        }
    }

    // Network: every Wi-Fi and Ethernet device of the dump, of the right kind.
    for (list, kind) in [("wifi", NetworkKind::Wifi), ("ethernet", NetworkKind::Ethernet)] {
        for n in e[list].as_array().cloned().unwrap_or_default() {
            let id = ["pci_or_usb_id", "pci_id", "usb_id", "sdio_id"]
                .iter()
                .find_map(|k| str_of(&n[*k]))
                .unwrap_or_default();
            let found = r
                .network
                .iter()
                .find(|d| format!("{}:{}", d.ids.vendor, d.ids.device) == id);
            check(
                list,
                found.map(|d| d.kind) == Some(kind),
                format!("{id}: {:?}", found.map(|d| d.kind)),
            );
            if let (Some(d), Some(pkg)) = (found, str_of(&n["debian_firmware_package"])) {
                let got = d
                    .firmware
                    .as_ref()
                    .map(|f| f.package.to_string())
                    .unwrap_or_else(|| "none".into());
                check("network firmware", got == pkg, format!("{id}: {got} vs {pkg}"));
            }
            if let (Some(d), Some(driver)) = (found, str_of(&n["driver"])) {
                if d.driver.is_some() {
                    check(
                        "driver",
                        d.driver.as_deref() == Some(driver.as_str()),
                        format!("{id}: {:?}", d.driver),
                    );
                }
            }
        }
    }
    for v in e["virtual_net_interfaces"].as_array().cloned().unwrap_or_default() {
        let name = str_of(&v).unwrap_or_default();
        check(
            "virtual interface",
            !r.network.iter().any(|d| d.interfaces.contains(&name)),
            name,
        );
    }

    // Disks.
    for d in e["disks"].as_array().cloned().unwrap_or_default() {
        let dev = str_of(&d["dev"]).unwrap_or_default();
        let Some(disk) = r.storage.disks.iter().find(|x| x.name == dev) else {
            check("disk", false, format!("{dev} not found"));
            continue;
        };
        check("disk kind", disk.kind == DiskKind::Disk, dev.clone());
        if let (Some(want), Some(got)) = (str_of(&d["model"]), &disk.model) {
            check(
                "disk model",
                want.starts_with(got.trim()),
                format!("{dev}: {got:?} vs {want:?}"),
            );
        }
        if let Some(gb) = d["size_gb"].as_f64() {
            let got = disk.size_bytes.map(|b| (b as f64 / 1e7).round() / 100.0);
            check("disk size", got == Some(gb), format!("{dev}: {got:?} vs {gb}"));
        }
        if let Some(want) = d["rotational"].as_bool() {
            check(
                "rotational",
                disk.rotational == Some(want),
                format!("{dev}: {:?}", disk.rotational),
            );
        }
        if let Some(want) = d["removable"].as_bool() {
            check(
                "removable",
                disk.removable == Some(want),
                format!("{dev}: {:?}", disk.removable),
            );
        }
        if let Some(want) = str_of(&d["transport"]) {
            let got = serde_json::to_value(disk.transport).unwrap();
            check("transport", got == want.as_str(), format!("{dev}: {got} vs {want}"));
        }
        if let Some(internal) = d["internal"].as_bool() {
            let is_target = r.storage.install_target.as_deref() == Some(dev.as_str());
            check(
                "install target",
                is_target == internal,
                format!("{dev}: target {:?}", r.storage.install_target),
            );
        }
    }
    for c in e["storage_controllers"].as_array().cloned().unwrap_or_default() {
        let slot = str_of(&c["slot"]).unwrap_or_default();
        let Some(found) = r.storage.controllers.iter().find(|x| x.slot == slot) else {
            check("storage controller", false, format!("{slot} not found"));
            continue;
        };
        if let Some(want) = str_of(&c["mode"]) {
            let got = serde_json::to_value(found.mode).unwrap();
            check(
                "controller mode",
                got == want.as_str(),
                format!("{slot}: {got} vs {want}"),
            );
        }
        if let Some(want) = str_of(&c["class"]) {
            check(
                "controller class",
                found.class == want,
                format!("{slot}: {} vs {want}", found.class),
            );
        }
    }
    for o in e["optical"].as_array().cloned().unwrap_or_default() {
        let dev = str_of(&o["dev"]).unwrap_or_default();
        let found = r.storage.disks.iter().find(|x| x.name == dev);
        check("optical", found.map(|d| d.kind) == Some(DiskKind::Optical), dev.clone());
        if let (Some(want), Some(got)) = (str_of(&o["model"]), found.and_then(|d| d.model.clone())) {
            check(
                "optical model",
                squash(&want).ends_with(&squash(&got)),
                format!("{got:?} vs {want:?}"),
            );
        }
    }

    // Battery.
    match &e["battery"] {
        Value::Null => check("battery", !r.battery.present, "a battery was reported".into()),
        b => {
            let pack = r.battery.packs.first();
            for (key, got) in [
                ("design_wh", pack.and_then(|p| p.design_wh)),
                ("full_wh", pack.and_then(|p| p.full_wh)),
            ] {
                if let Some(want) = b[key].as_f64() {
                    check(
                        key,
                        got.is_some_and(|g| (g - want).abs() <= 0.1),
                        format!("{got:?} vs {want}"),
                    );
                }
            }
            if let Some(want) = b["wear_percent"].as_u64() {
                let got = pack.and_then(|p| p.wear_percent);
                check("wear_percent", got == Some(want as u8), format!("{got:?} vs {want}"));
            }
            if let Some(want) = b["cycle_count"].as_u64() {
                let got = pack.and_then(|p| p.cycle_count);
                check("cycle_count", got == Some(want as u32), format!("{got:?} vs {want}"));
            }
        }
    }
    if let (Some(w), Some(h)) = (e["panel"]["width"].as_u64(), e["panel"]["height"].as_u64()) {
        let got = r.display.panel.as_ref().map(|p| (p.width as u64, p.height as u64));
        check("panel", got == Some((w, h)), format!("{got:?}"));
    }
    bad
}

#[test]
fn every_fixture_matches_the_facts_of_its_dump() {
    let mut failures = Vec::new();
    for (slug, dir) in machines() {
        let expected_path = dir.join("expected.yaml");
        let Ok(text) = std::fs::read_to_string(&expected_path) else {
            continue;
        };
        let expected: Value = upcycle::yaml::from_str(&text).unwrap_or_else(|e| panic!("{slug}/expected.yaml: {e}"));
        let report = probe_with(&dir.join("root"), "bookworm");
        for d in disagreements(&report, &expected) {
            failures.push(format!("{slug}: {d}"));
        }
    }
    assert!(
        failures.is_empty(),
        "probe disagrees with the dumps:\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_checker_notices_a_wrong_report() {
    // Guard against a checker that cannot fail: a damaged report must be caught.
    let (slug, dir) = machines().into_iter().find(|(s, _)| s == "ibm-thinkpad-t40").unwrap();
    let text = std::fs::read_to_string(dir.join("expected.yaml")).unwrap();
    let expected: Value = upcycle::yaml::from_str(&text).unwrap();
    let mut report = probe_with(&dir.join("root"), "bookworm");
    assert!(disagreements(&report, &expected).is_empty(), "{slug} should match");
    report.cpu.forcepae = false;
    report.storage.install_target = Some(upcycle::token::DiskName::new("sdb").unwrap());
    report.network.clear();
    let bad = disagreements(&report, &expected);
    assert!(bad.iter().any(|b| b.starts_with("pentium_m_forcepae")), "{bad:?}");
    assert!(bad.iter().any(|b| b.starts_with("install target")), "{bad:?}");
    assert!(bad.iter().any(|b| b.starts_with("wifi")), "{bad:?}");
}

#[test]
fn report_snapshots() {
    for (slug, dir) in machines() {
        let mut report = probe_dir(&dir.join("root"));
        report.probe.tool_version = "[version]".into();
        insta::assert_snapshot!(slug.clone(), upcycle::yaml::to_string(&report));
    }
}

#[test]
fn text_summary_snapshots() {
    for (slug, dir) in machines() {
        let report = probe_dir(&dir.join("root"));
        insta::assert_snapshot!(
            format!("{slug}-text"),
            upcycle::summary::report_text(&report, upcycle::l10n::Lang::En)
        );
    }
}

#[test]
fn reports_read_back_unchanged_from_yaml_and_json() {
    for (slug, dir) in machines() {
        let report = probe_dir(&dir.join("root"));
        let yaml: HardwareReport = upcycle::yaml::from_str(&upcycle::yaml::to_string(&report)).unwrap();
        assert_eq!(yaml, report, "{slug} via YAML");
        let json: HardwareReport = serde_json::from_str(&serde_json::to_string(&report).unwrap()).unwrap();
        assert_eq!(json, report, "{slug} via JSON");
    }
}
