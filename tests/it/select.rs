//! The selector over the fixture machines and hand-made edge cases, its properties, and
//! the `select` command.

use chrono::NaiveDate;
use proptest::prelude::*;
use serde_json::Value;

use crate::support::{fixtures_dir, machines, probe_dir, stderr, stdout, upcycle};
use upcycle::catalog::{self, Catalog, Lang};
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
        lang: Lang::En,
    };
    select::select(report, &inputs)
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
        sel.rejected.iter().all(|r| r.reasons.iter().any(|x| x.contains("RAM"))),
        "{:?}",
        sel.rejected
    );
    assert!(
        sel.upgrades
            .iter()
            .any(|u| u.change.starts_with("RAM to 512 MiB")
                && u.unlocks.iter().any(|x| x.contains("debian-12-i386-lxde"))),
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
    assert!(c.packages.contains(&"grub-efi-ia32".to_string()));
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
            .all(|r| r.reasons.iter().any(|x| x.contains("no internal disk")))
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
    assert!(sel.assumptions.iter().any(|a| a.contains("RAM size unknown")));
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
            .any(|r| r.profile == "debian-13-medialab" && r.reasons.iter().any(|x| x.contains("40 GB")))
    );
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
            .any(|x| x.profile == "debian-13-xfce" && x.reasons[0].contains("forbidden"))
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
