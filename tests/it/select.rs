//! The selector over the fixture machines and hand-made edge cases, its properties, and
//! the `select` command.

use chrono::NaiveDate;
use proptest::prelude::*;
use serde_json::Value;

use crate::support::{fixtures_dir, machines, probe_dir, stderr, stdout, upcycle};
use upcycle::catalog::{self, Catalog, Lang};
use upcycle::l10n::{self, Said};
use upcycle::report::HardwareReport;
use upcycle::select::{self, Inputs, PentiumMKernel, Policy, Selection};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

fn catalog() -> Catalog {
    catalog::load::load(None).expect("the embedded catalog loads").0
}

fn run(report: &HardwareReport, catalog: &Catalog, policy: &Policy) -> Selection {
    let inputs = Inputs {
        catalog,
        policy,
        today: today(),
        firmware: &select::embedded_firmware,
    };
    select::select(report, &inputs)
}

/// A reason, advice or assumption as an English reader sees it.
fn en(s: &Said) -> String {
    l10n::say(Lang::En, s)
}

fn machine(slug: &str) -> HardwareReport {
    probe_dir(&fixtures_dir().join(slug).join("root"))
}

/// A report of a plain machine to derive edge cases from: the T420 (64-bit, 4 GiB, HDD).
fn base() -> HardwareReport {
    machine("lenovo-thinkpad-t420-battery-wear")
}

fn with_ram(mut r: HardwareReport, mib: Option<u64>) -> HardwareReport {
    r.memory.installed_mib = mib;
    r.memory.mem_total_kib = mib.map(|m| m * 1024 * 95 / 100);
    r
}

fn thirty_two_bit(mut r: HardwareReport, pae: bool) -> HardwareReport {
    r.cpu.flags.lm = false;
    r.cpu.flags.pae = pae;
    r.cpu.flags.nx = false;
    r
}

/// What the installer must keep off a machine: every package of every app left out, the
/// catalog's `keep_out` of those apps and of the desktop; never a package that is chosen.
#[test]
fn keep_out_holds_what_was_left_out_and_nothing_chosen() {
    let catalog = catalog();
    let mut seen_drop = false;
    for (slug, dir) in machines() {
        let sel = run(&probe_dir(&dir.join("root")), &catalog, &Policy::default());
        let Some(c) = &sel.chosen else { continue };
        let keep: Vec<&str> = c.keep_out.iter().map(|p| p.as_str()).collect();
        let mut sorted = keep.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(keep, sorted, "{slug}: keep_out sorted, no duplicates");
        let chosen: Vec<&str> = c
            .apps
            .iter()
            .chain(&c.packages)
            .chain(&c.desktop_packages)
            .chain(&c.firmware_packages)
            .chain(std::iter::once(&c.kernel_flavour))
            .map(|p| p.as_str())
            .collect();
        for k in &keep {
            assert!(!chosen.contains(k), "{slug}: `{k}` is chosen and kept out");
        }
        let profile = catalog.profile(&c.profile).unwrap();
        for k in &profile.desktop.keep_out {
            assert!(
                keep.contains(&k.as_str()),
                "{slug}: the desktop's `{k}` is not kept out"
            );
        }
        for d in &sel.dropped_apps {
            seen_drop = true;
            let app = catalog.app_sets[&d.set].apps.iter().find(|a| a.id == d.app).unwrap();
            for p in app
                .packages_for(&c.codename)
                .unwrap_or_default()
                .iter()
                .chain(&app.keep_out)
            {
                assert!(
                    keep.contains(&p.as_str()) || chosen.contains(&p.as_str()),
                    "{slug}: `{p}` of the dropped app {} is not kept out",
                    d.app
                );
            }
        }
    }
    assert!(seen_drop, "some fixture has a dropped app");
    // The T40 (1 GiB, LXDE): LibreOffice with everything it depends on, and ConnMan.
    let t40 = run(&machine("ibm-thinkpad-t40"), &catalog, &Policy::default());
    let keep: Vec<String> = t40.chosen.unwrap().keep_out.iter().map(|p| p.to_string()).collect();
    for p in ["libreoffice-writer", "libreoffice-common", "connman", "gimp"] {
        assert!(keep.contains(&p.to_string()), "T40 keeps out {p}: {keep:?}");
    }
    // A machine with enough RAM for every app keeps out only the desktop's.
    let big = run(&with_ram(base(), Some(16384)), &catalog, &Policy::default());
    let c = big.chosen.unwrap();
    let desktop_keep = &catalog.profile(&c.profile).unwrap().desktop.keep_out;
    assert_eq!(&c.keep_out, desktop_keep, "{:?}", big.dropped_apps);
}

#[test]
fn selection_matrix_over_the_fixture_machines() {
    let catalog = catalog();
    for (slug, dir) in machines() {
        let sel = run(&probe_dir(&dir.join("root")), &catalog, &Policy::default());
        insta::assert_snapshot!(format!("select-{slug}"), upcycle::yaml::to_string(&sel));
    }
}

#[test]
fn the_fixture_machines_get_what_a_workshop_would_expect() {
    let catalog = catalog();
    let chosen = |slug: &str| {
        run(&machine(slug), &catalog, &Policy::default())
            .chosen
            .map(|c| c.profile)
    };
    // 32-bit Pentium M and Core Duo: only Debian 12 i386 remains.
    assert!(chosen("ibm-thinkpad-t40").unwrap().starts_with("debian-12-i386"));
    assert!(
        chosen("dell-latitude-d620-coreduo")
            .unwrap()
            .starts_with("debian-12-i386")
    );
    // 64-bit machines never get an i386 system.
    for slug in [
        "lenovo-thinkpad-t420-battery-wear",
        "dell-xps-15-9560-nvme-uefi",
        "asus-t100ta-baytrail-uefi32",
    ] {
        assert!(chosen(slug).unwrap().starts_with("debian-13"), "{slug}");
    }
}

#[test]
fn a_pentium_m_gets_the_non_pae_kernel_unless_the_workshop_wants_forcepae() {
    let catalog = catalog();
    let t40 = with_ram(machine("ibm-thinkpad-t40"), Some(2048));
    let sel = run(&t40, &catalog, &Policy::default());
    let c = sel.chosen.unwrap();
    assert_eq!(
        (c.arch.as_str(), c.kernel_flavour.as_str()),
        ("i386", "linux-image-686")
    );
    assert!(c.boot_params.is_empty());
    assert!(sel.notes.iter().any(|n| n.id == "pentium-m-without-pae-flag"));

    let policy = Policy {
        pentium_m_kernel: PentiumMKernel::PaeForcepae,
        ..Policy::default()
    };
    let c = run(&t40, &catalog, &policy).chosen.unwrap();
    assert_eq!(c.kernel_flavour, "linux-image-686-pae");
    assert_eq!(c.boot_params, vec!["forcepae".to_string()]);
}

#[test]
fn edge_cases() {
    let catalog = catalog();
    let policy = Policy::default();

    // 256 MiB: nothing fits; the advice says which RAM would.
    let tiny = with_ram(thirty_two_bit(base(), true), Some(256));
    let sel = run(&tiny, &catalog, &policy);
    assert!(sel.chosen.is_none());
    assert!(
        sel.rejected
            .iter()
            .all(|r| r.reasons.iter().any(|x| en(x).contains("RAM"))),
        "{:?}",
        sel.rejected
    );
    assert!(
        sel.upgrades.iter().any(|u| en(&u.change).starts_with("RAM to 512 MiB")
            && u.unlocks.iter().any(|x| x.code == "unlocks-profile"
                && x.args.get("profile") == Some(&l10n::Arg::Text("debian-12-i386-lxde".into()))
                && en(x).contains("Debian 12 (32-bit) with LXDE"))),
        "{:?}",
        sel.upgrades
    );

    // A 32-bit CPU without PAE (not a Pentium M): the non-PAE 686 kernel, no forcepae.
    let mut no_pae = thirty_two_bit(with_ram(base(), Some(1024)), false);
    no_pae.cpu.family = Some(6);
    no_pae.cpu.model = Some(8);
    no_pae.cpu.forcepae = false;
    let c = run(&no_pae, &catalog, &policy).chosen.unwrap();
    assert_eq!((c.kernel_flavour.as_str(), c.boot_params.len()), ("linux-image-686", 0));

    // 32-bit with PAE and 2 GiB: the PAE kernel and Xfce.
    let c = run(&thirty_two_bit(with_ram(base(), Some(2048)), true), &catalog, &policy)
        .chosen
        .unwrap();
    assert_eq!(
        (c.profile.as_str(), c.kernel_flavour.as_str()),
        ("debian-12-i386-xfce", "linux-image-686-pae")
    );

    // 32-bit UEFI on a 64-bit CPU: amd64 with the ia32 boot loader.
    let mut uefi32 = base();
    uefi32.firmware.boot_mode = upcycle::report::BootMode::Uefi;
    uefi32.firmware.uefi_bitness = Some(32);
    uefi32.firmware.needs_ia32_bootloader = true;
    let sel = run(&uefi32, &catalog, &policy);
    let c = sel.chosen.unwrap();
    assert_eq!(c.arch.as_str(), "amd64");
    assert!(c.packages.iter().any(|p| p == "grub-efi-ia32"));
    assert!(sel.notes.iter().any(|n| n.id == "ia32-uefi-on-64bit-cpu"));

    // No disk: nothing fits, and every profile says why.
    let mut no_disk = base();
    no_disk.storage.disks.clear();
    no_disk.storage.install_target = None;
    let sel = run(&no_disk, &catalog, &policy);
    assert!(sel.chosen.is_none());
    assert!(
        sel.rejected
            .iter()
            .all(|r| r.reasons.iter().any(|x| en(x).contains("no internal disk")))
    );

    // A huge disk changes nothing but is fine.
    let mut huge = base();
    for d in &mut huge.storage.disks {
        d.size_bytes = Some(16_000_000_000_000);
    }
    assert_eq!(
        run(&huge, &catalog, &policy).chosen.unwrap().profile,
        run(&base(), &catalog, &policy).chosen.unwrap().profile
    );

    // Unknown RAM: decided explicitly and said so.
    let sel = run(&with_ram(base(), None), &catalog, &policy);
    assert!(sel.assumptions.iter().any(|a| en(a).contains("RAM size unknown")));
    assert!(sel.chosen.is_some());

    // A small disk rules out the media lab.
    let mut small = with_ram(base(), Some(8192));
    for d in &mut small.storage.disks {
        d.size_bytes = Some(32_000_000_000);
    }
    let sel = run(&small, &catalog, &policy);
    assert!(
        sel.rejected
            .iter()
            .any(|r| r.profile == "debian-13-medialab" && r.reasons.iter().any(|x| en(x).contains("40 GB")))
    );
}

/// The selection facts a fixture's expected.yaml states under `selection:`.
#[test]
fn fixtures_get_the_selection_their_expected_yaml_states() {
    let catalog = catalog();
    let mut checked = 0;
    for (slug, dir) in machines() {
        let Ok(text) = std::fs::read_to_string(dir.join("expected.yaml")) else {
            continue;
        };
        let e: Value = upcycle::yaml::from_str(&text).unwrap();
        let want = &e["selection"];
        if want.is_null() {
            continue;
        }
        checked += 1;
        let sel = run(&probe_dir(&dir.join("root")), &catalog, &Policy::default());
        if want.get("chosen").is_some_and(Value::is_null) {
            assert!(sel.chosen.is_none(), "{slug}: {:?}", sel.chosen.map(|c| c.profile));
        }
        if let Some(word) = want["every_profile_rejected_for"].as_str() {
            assert_eq!(sel.rejected.len(), catalog.profiles.len(), "{slug}");
            for r in &sel.rejected {
                assert!(r.reasons.iter().any(|x| en(x).contains(word)), "{slug}: {r:?}");
            }
            assert!(
                sel.upgrades.iter().all(|u| !en(&u.change).starts_with("RAM")),
                "{slug}: {:?}",
                sel.upgrades
            );
        }
        for id in want["notes_before_install"].as_array().cloned().unwrap_or_default() {
            let id = id.as_str().unwrap();
            assert!(
                sel.notes.iter().any(|n| n.id == id && n.before_install),
                "{slug}: {:?}",
                sel.notes
            );
        }
        if want["no_wifi_stick_advice"].as_bool() == Some(true) {
            assert!(
                sel.upgrades.iter().all(|u| !en(&u.change).contains("USB Wi-Fi stick")),
                "{slug}: {:?}",
                sel.upgrades
            );
        }
    }
    assert!(checked >= 3, "{checked}");
}

#[test]
fn wifi_without_free_software_gets_the_usb_stick_advice() {
    let catalog = catalog();
    let policy = Policy::default();
    // BCM4312 on b43 (firmware downloaded from Broadcom): advise a stick, with its cost.
    let sel = run(&machine("dell-xps-m1530-nvidia"), &catalog, &policy);
    let stick: Vec<_> = sel
        .upgrades
        .iter()
        .filter(|u| en(&u.change).contains("USB Wi-Fi stick"))
        .collect();
    assert_eq!(stick.len(), 1, "{:?}", sel.upgrades);
    assert!(en(&stick[0].change).contains("AR9271") && en(&stick[0].change).contains("firmware-b43-installer"));
    assert_eq!(stick[0].cost.as_ref().map(en).as_deref(), Some("about 8 EUR"));
    // The same laptop with an AR9271 stick plugged in: nothing to advise.
    let sel = run(&machine("dell-xps-m1530-usb-wifi-stick"), &catalog, &policy);
    assert!(sel.upgrades.iter().all(|u| !en(&u.change).contains("USB Wi-Fi stick")));
    // Intel Wi-Fi with a free driver: nothing to advise.
    let sel = run(&machine("lenovo-thinkpad-x220"), &catalog, &policy);
    assert!(sel.upgrades.iter().all(|u| !en(&u.change).contains("USB Wi-Fi stick")));
    // A card on the proprietary wl driver, and a card with no driver at all.
    let mut wl = machine("dell-xps-m1530-nvidia");
    for n in wl
        .network
        .iter_mut()
        .filter(|n| n.kind == upcycle::report::NetworkKind::Wifi)
    {
        n.driver = Some("wl".into());
        n.firmware = None;
    }
    let sel = run(&wl, &catalog, &policy);
    assert!(
        sel.upgrades
            .iter()
            .any(|u| en(&u.change).contains("non-free wl driver")),
        "{:?}",
        sel.upgrades
    );
    let mut none = machine("lenovo-thinkpad-x220");
    for n in none.network.iter_mut() {
        if n.kind == upcycle::report::NetworkKind::Wifi {
            n.driver = None;
            n.interfaces.clear();
            n.firmware = None;
        } else {
            n.driver = Some("e1000e".into());
        }
    }
    let sel = run(&none, &catalog, &policy);
    assert!(
        sel.upgrades.iter().any(|u| en(&u.change).contains("has no driver")),
        "{:?}",
        sel.upgrades
    );
    // Without a cost in the catalog the advice still comes, without a price.
    let mut no_cost = catalog.clone();
    if let Some(c) = no_cost.upgrade_costs.as_mut() {
        c.wifi_stick = None;
    }
    let sel = run(&machine("dell-xps-m1530-nvidia"), &no_cost, &policy);
    assert!(
        sel.upgrades
            .iter()
            .any(|u| en(&u.change).contains("USB Wi-Fi stick") && u.cost.is_none())
    );
}

#[test]
fn a_cpu_without_cmov_gets_no_system_and_no_ram_advice() {
    let catalog = catalog();
    let policy = Policy::default();
    // A 32-bit machine with plenty of RAM that Debian 12 i386 would otherwise take.
    let mut no_cmov = thirty_two_bit(with_ram(base(), Some(512)), false);
    no_cmov.cpu.flags.cmov = Some(false);
    no_cmov.cpu.flags.sse2 = false;
    let sel = run(&no_cmov, &catalog, &policy);
    assert!(sel.chosen.is_none());
    assert_eq!(sel.rejected.len(), catalog.profiles.len());
    assert!(
        sel.rejected.iter().all(|r| r
            .reasons
            .iter()
            .any(|x| en(x).contains("lacks it") && en(x).contains("cmov"))),
        "{:?}",
        sel.rejected
    );
    // More RAM or an SSD cannot make it start: no advice to spend money on.
    assert!(
        sel.upgrades.iter().all(|u| !en(&u.change).starts_with("RAM")),
        "{:?}",
        sel.upgrades
    );
    assert!(
        sel.upgrades.iter().all(|u| !en(&u.change).starts_with("SSD")),
        "{:?}",
        sel.upgrades
    );

    // The same machine with cmov gets Debian 12 i386.
    no_cmov.cpu.flags.cmov = Some(true);
    assert!(run(&no_cmov, &catalog, &policy).chosen.is_some());

    // An older report without the field: cmov assumed present, and said so for 32-bit.
    no_cmov.cpu.flags.cmov = None;
    let sel = run(&no_cmov, &catalog, &policy);
    assert!(sel.chosen.is_some());
    assert!(
        sel.assumptions.iter().any(|a| en(a).contains("cmov")),
        "{:?}",
        sel.assumptions
    );
    let mut old_64 = base();
    old_64.cpu.flags.cmov = None;
    assert!(
        run(&old_64, &catalog, &policy)
            .assumptions
            .iter()
            .all(|a| !en(a).contains("cmov"))
    );

    // Such a report still reads: the field is optional.
    let yaml = upcycle::yaml::to_string(&base()).replace("    cmov: true\n", "");
    assert!(!yaml.contains("cmov"));
    let old: HardwareReport = upcycle::yaml::from_str(&yaml).expect("a report without cmov reads");
    assert_eq!(old.cpu.flags.cmov, None);
}

/// Every profile gives its laptops what their self-check needs (smartmontools: the
/// disk-health check reads SMART with smartctl), as a chosen package that the selection
/// says why it is there, never kept out; the generated installers install it.
#[test]
fn every_profile_installs_what_the_self_check_needs() {
    let catalog = catalog();
    assert_eq!(select::SELF_CHECK_PACKAGES, ["smartmontools"]);
    let mut seen = 0;
    for p in &catalog.profiles {
        let r = match p.distribution.arch {
            catalog::Arch::I386 => with_ram(thirty_two_bit(base(), true), Some(2048)),
            catalog::Arch::Amd64 => with_ram(base(), Some(8192)),
        };
        let pin = Policy {
            pin: Some(p.id.clone()),
            ..Policy::default()
        };
        let c = run(&r, &catalog, &pin).chosen.unwrap();
        assert_eq!(c.profile, p.id, "the pinned profile fits its test machine");
        let packages: Vec<&str> = c.packages.iter().map(|x| x.as_str()).collect();
        assert!(packages.contains(&"smartmontools"), "{}: {packages:?}", p.id);
        assert!(!c.keep_out.iter().any(|k| k.as_str() == "smartmontools"), "{}", p.id);
        let why: Vec<String> = c.reasons.iter().map(en).collect();
        assert!(
            why.iter()
                .any(|w| w.contains("self-check") && w.contains("smartmontools")),
            "{}: {why:?}",
            p.id
        );
        seen += 1;
    }
    assert_eq!(seen, catalog.profiles.len());
}

#[test]
fn workshop_policy_pins_forbids_and_prefers() {
    let catalog = catalog();
    let r = base();
    let pinned = Policy {
        pin: Some("debian-13-lxqt".into()),
        ..Policy::default()
    };
    assert_eq!(run(&r, &catalog, &pinned).chosen.unwrap().profile, "debian-13-lxqt");
    let lxqt = Policy {
        prefer_desktops: vec!["lxqt".into()],
        ..Policy::default()
    };
    assert_eq!(run(&r, &catalog, &lxqt).chosen.unwrap().profile, "debian-13-lxqt");
    let no_debian = Policy {
        forbid_families: vec![catalog::Family::Debian],
        ..Policy::default()
    };
    let sel = run(&with_ram(r.clone(), Some(8192)), &catalog, &no_debian);
    assert_eq!(sel.chosen.unwrap().profile, "ubuntu-24.04-desktop");
    let forbid = Policy {
        forbid: vec!["debian-13-xfce".into()],
        ..Policy::default()
    };
    let sel = run(&r, &catalog, &forbid);
    assert_ne!(sel.chosen.unwrap().profile, "debian-13-xfce");
    assert!(
        sel.rejected
            .iter()
            .any(|x| x.profile == "debian-13-xfce" && en(&x.reasons[0]).contains("forbidden"))
    );
    let school_only = Policy {
        app_sets: Some(vec!["school-basics".into()]),
        ..Policy::default()
    };
    let c = run(&r, &catalog, &school_only).chosen.unwrap();
    assert!(c.app_list.iter().all(|a| a.set == "school-basics"));
}

/// The hard requirements, checked independently of the selector's own code.
fn meets(p: &catalog::Profile, r: &HardwareReport) -> bool {
    let ram = r.memory.installed_mib.unwrap_or(1024);
    let disk = r
        .storage
        .install_target
        .as_ref()
        .and_then(|t| r.storage.disks.iter().find(|d| &d.name == t));
    disk.is_some()
        && (!p.requires.cpu_64bit || r.cpu.flags.lm)
        && (!p.requires.cpu_32bit_only || !r.cpu.flags.lm)
        && ram >= p.requires.min_ram_mib
        && disk
            .and_then(|d| d.size_bytes)
            .is_none_or(|b| b / 1_000_000_000 >= p.requires.min_disk_gb)
}

fn variant(ram: u64, lm: bool, pae: bool, cores: u32, mhz: u32, disk_gb: u64, ssd: bool) -> HardwareReport {
    let mut r = with_ram(base(), Some(ram));
    r.cpu.flags.lm = lm;
    r.cpu.flags.pae = pae || lm;
    r.cpu.cores = Some(cores);
    r.cpu.max_mhz = Some(mhz);
    let target = r.storage.install_target.clone();
    for d in r.storage.disks.iter_mut().filter(|d| Some(&d.name) == target.as_ref()) {
        d.size_bytes = Some(disk_gb * 1_000_000_000);
        d.rotational = Some(!ssd);
    }
    r
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn chosen_profiles_meet_their_hard_requirements(
        ram in 128u64..20000, lm: bool, pae: bool, cores in 1u32..8, mhz in 600u32..3500, disk in 4u64..2000, ssd: bool
    ) {
        let catalog = catalog();
        let r = variant(ram, lm, pae, cores, mhz, disk, ssd);
        let sel = run(&r, &catalog, &Policy::default());
        if let Some(c) = &sel.chosen {
            prop_assert!(meets(catalog.profile(&c.profile).unwrap(), &r), "{} chosen for {ram} MiB, lm={lm}", c.profile);
        } else {
            prop_assert!(catalog.profiles.iter().all(|p| !meets(p, &r)));
        }
        // Everything that fits is ranked, everything else rejected.
        prop_assert_eq!(sel.ranking.len() + sel.rejected.len(), catalog.profiles.len());
    }

    #[test]
    fn more_ram_never_makes_the_choice_worse(
        ram in 128u64..16000, extra in 1u64..8192, lm: bool, cores in 1u32..8, mhz in 600u32..3500, ssd: bool
    ) {
        let catalog = catalog();
        let less = run(&variant(ram, lm, true, cores, mhz, 500, ssd), &catalog, &Policy::default());
        let more = run(&variant(ram + extra, lm, true, cores, mhz, 500, ssd), &catalog, &Policy::default());
        let best = |s: &Selection| s.ranking.first().map(|r| r.score);
        prop_assert!(best(&more) >= best(&less), "{:?} < {:?}", best(&more), best(&less));
        for r in &less.ranking {
            prop_assert!(more.ranking.iter().any(|m| m.profile == r.profile && m.score >= r.score), "{} got worse", r.profile);
        }
        let apps = |s: &Selection| s.chosen.as_ref().map(|c| c.app_list.len()).unwrap_or(0);
        if less.chosen.as_ref().map(|c| &c.profile) == more.chosen.as_ref().map(|c| &c.profile) {
            prop_assert!(apps(&more) >= apps(&less));
        }
    }

    #[test]
    fn the_order_of_catalog_files_does_not_matter(seed in any::<u64>()) {
        let mut files = catalog::load::embedded_files();
        // A deterministic shuffle from the seed.
        let mut state = seed | 1;
        for i in (1..files.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            files.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let shuffled = catalog::parse_catalog(&files).unwrap();
        let r = base();
        prop_assert_eq!(run(&r, &shuffled, &Policy::default()), run(&r, &catalog(), &Policy::default()));
    }
}

#[test]
fn select_cli_prints_the_documented_json_and_exit_codes() {
    let root = fixtures_dir().join("ibm-thinkpad-t40/root");
    let out = upcycle(&[
        "select",
        root.to_str().unwrap(),
        "--format",
        "json",
        "--today",
        "2026-11-25",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["chosen"]["arch"], "i386");
    assert_eq!(v["chosen"]["release"], "12");
    for key in ["profile", "kernel_flavour", "boot_params", "firmware_packages", "apps"] {
        assert!(!v["chosen"][key].is_null(), "chosen.{key} missing");
    }
    assert!(
        v["chosen"]["apps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "firefox-esr")
    );
    assert!(
        v["chosen"]["firmware_packages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "firmware-ipw2x00")
    );
    for key in ["dropped_apps", "rejected", "upgrades"] {
        assert!(v[key].is_array(), "{key} missing");
    }

    // A report file works too, and a machine that fits nothing exits 5.
    let tmp = tempfile::tempdir().unwrap();
    let mut tiny = with_ram(thirty_two_bit(base(), true), Some(256));
    tiny.probe.tool_version = "test".into();
    let path = tmp.path().join("tiny.yaml");
    std::fs::write(&path, upcycle::yaml::to_string(&tiny)).unwrap();
    let out = upcycle(&["select", path.to_str().unwrap(), "--format", "text"]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(stdout(&out).contains("no profile fits"), "{}", stdout(&out));

    // A broken report is bad input naming the file and line.
    let bad = tmp.path().join("bad.yaml");
    std::fs::write(&bad, "schema: upcycle.report/v1\nprobe: [oops\n").unwrap();
    let out = upcycle(&["select", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("bad.yaml") && stderr(&out).contains("line"),
        "{}",
        stderr(&out)
    );
    let other = tmp.path().join("other.json");
    std::fs::write(&other, r#"{"schema": "something/v9"}"#).unwrap();
    let out = upcycle(&["select", other.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("something/v9"), "{}", stderr(&out));
}

/// A report with a value of the wrong kind names the field and says what a person writing
/// YAML or JSON knows (a list, a mapping, a whole number), never a Rust type (`struct
/// Head`, `u32`); a JSON report names the field as a YAML one does.
#[test]
fn broken_reports_name_the_field_in_words_not_rust_types() {
    let tmp = tempfile::tempdir().unwrap();
    let good = serde_json::to_value(probe_dir(&fixtures_dir().join("ibm-thinkpad-t40/root"))).unwrap();
    let with = |pointer: &str, value: Value| {
        let mut v = good.clone();
        *v.pointer_mut(pointer).unwrap() = value;
        v
    };
    let cases = [
        (
            "list",
            serde_json::json!(["a", "b"]),
            "wrong kind of value: a list, expected a mapping",
        ),
        (
            "probe",
            with("/probe", serde_json::json!(5)),
            "probe: wrong kind of value: integer `5`, expected a mapping",
        ),
        (
            "cores",
            with("/cpu/cores", serde_json::json!("many")),
            "cpu.cores: wrong kind of value: string \"many\", expected a whole number",
        ),
        (
            "disks",
            with("/storage/disks", serde_json::json!({"sda": 1})),
            "storage.disks: wrong kind of value: a mapping, expected a list",
        ),
    ];
    for (name, value, says) in cases {
        let as_yaml = tmp.path().join(format!("{name}.yaml"));
        std::fs::write(&as_yaml, upcycle::yaml::to_string(&value)).unwrap();
        let as_json = tmp.path().join(format!("{name}.json"));
        std::fs::write(&as_json, serde_json::to_string_pretty(&value).unwrap()).unwrap();
        for path in [as_yaml, as_json] {
            let out = upcycle(&["select", path.to_str().unwrap()]);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(3), "{err}");
            assert!(err.contains(&format!("{}: ", path.display())), "{err}");
            assert!(err.contains("line ") && err.contains(says), "{name}: {err}");
            for rust in ["struct", "Head", "ProbeInfo", "u32", "sequence", "expected map"] {
                assert!(!err.contains(rust), "{name}: {rust} in {err}");
            }
        }
    }
}
