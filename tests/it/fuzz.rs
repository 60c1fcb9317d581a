//! Random and hostile input never panics the probe: parsers get random text, and whole
//! trees get random bytes, empty files, binary junk and huge files in every file the
//! probe reads.

use std::fs;
use std::path::Path;

use proptest::prelude::*;
use upcycle::probe::{battery, cpu, display, dmi, memory};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn text_parsers_never_panic(s in ".{0,400}") {
        let _ = cpu::parse_cpuinfo(&s);
        let _ = cpu::mhz_from_model_name(&s);
        let _ = memory::parse_mem_total(&s);
        let _ = dmi::parse_bios_year(&s);
        let _ = dmi::model_name(Some(&s), Some(&s), Some(&s));
        let _ = display::parse_first_mode(&s);
        let _ = upcycle::probe::parse_hex_id(&s, 4);
        let _ = upcycle::fwmap::glob_match(s.as_bytes(), s.as_bytes());
    }

    #[test]
    fn cpuinfo_shaped_noise_never_panics(lines in proptest::collection::vec(
        ("(processor|model name|flags|cpu family|model|stepping|physical id|core id|cpu cores|siblings)", "[ -~]{0,40}"), 0..40)) {
        let text: String = lines.iter().map(|(k, v)| format!("{k}\t: {v}\n")).collect();
        let parsed = cpu::parse_cpuinfo(&text);
        if let (Some(cores), Some(threads)) = (parsed.cores, parsed.threads) {
            prop_assert!(threads >= 1 && cores >= 1);
        }
    }

    #[test]
    fn wear_is_always_a_percentage(design in 0.0f64..200.0, full in 0.0f64..400.0) {
        let cap = battery::capacity(&battery::RawCapacity { energy_design: Some(design), energy_full: Some(full), ..Default::default() });
        if let Some(w) = cap.wear_percent { prop_assert!(w <= 100); }
    }

    #[test]
    fn estimated_ram_is_never_below_mem_total(kib in 0u64..(1u64 << 40)) {
        let mib = memory::estimate_installed_mib(kib);
        prop_assert!(mib * 1024 >= kib);
    }

    #[test]
    fn trees_of_random_bytes_never_panic(contents in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..64), 12)) {
        let tmp = tempfile::tempdir().unwrap();
        write_tree(tmp.path(), &contents);
        let report = crate::support::probe_dir(tmp.path());
        // Whatever the bytes, the report serialises and reads back.
        let text = upcycle::yaml::to_string(&report);
        prop_assert_eq!(upcycle::yaml::from_str::<upcycle::report::HardwareReport>(&text).unwrap(), report);
    }
}

/// The files the probe reads, filled with the given bytes (cycled).
fn write_tree(root: &Path, contents: &[Vec<u8>]) {
    let files = [
        "proc/cpuinfo",
        "proc/meminfo",
        "sys/class/dmi/id/sys_vendor",
        "sys/class/dmi/id/product_name",
        "sys/class/dmi/id/chassis_type",
        "sys/class/dmi/id/bios_date",
        "sys/firmware/efi/fw_platform_size",
        "sys/devices/x/block/sda/size",
        "sys/devices/x/block/sda/queue/rotational",
        "sys/class/power_supply/BAT0/energy_full",
        "sys/class/power_supply/BAT0/energy_full_design",
        "sys/class/drm/card0-eDP-1/modes",
    ];
    for (i, f) in files.iter().enumerate() {
        let p = root.join(f);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, &contents[i % contents.len()]).unwrap();
    }
    fs::write(root.join("sys/class/power_supply/BAT0/type"), "Battery\n").unwrap();
    fs::create_dir_all(root.join("sys/block")).unwrap();
    let _ = std::os::unix::fs::symlink("../devices/x/block/sda", root.join("sys/block/sda"));
}

#[test]
fn empty_huge_and_binary_files_are_warnings_not_crashes() {
    let tmp = tempfile::tempdir().unwrap();
    write_tree(tmp.path(), &[Vec::new()]);
    let empty = crate::support::probe_dir(tmp.path());
    assert!(
        empty.warnings.iter().any(|w| w.path == "proc/cpuinfo"),
        "{:?}",
        empty.warnings
    );
    assert_eq!(empty.memory.mem_total_kib, None);

    // 6 MiB of cpuinfo: cut at 4 MiB and said so.
    let huge = "processor\t: 0\nflags\t\t: lm pae\n\n".repeat(200_000);
    fs::write(tmp.path().join("proc/cpuinfo"), huge).unwrap();
    fs::write(
        tmp.path().join("sys/class/dmi/id/product_name"),
        [0xff, 0xfe, b'X', 0x00, b'\n'],
    )
    .unwrap();
    let report = crate::support::probe_dir(tmp.path());
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.path == "proc/cpuinfo" && w.message.contains("too large"))
    );
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.path.ends_with("product_name") && w.message.contains("UTF-8"))
    );
    assert!(report.cpu.flags.lm);
}

#[test]
fn a_symlink_loop_or_escape_does_not_hang_or_leave_the_root() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    fs::create_dir_all(root.join("sys/block")).unwrap();
    fs::create_dir_all(root.join("sys/class/net")).unwrap();
    std::os::unix::fs::symlink("sda", root.join("sys/block/sdb")).unwrap();
    std::os::unix::fs::symlink("sdb", root.join("sys/block/sda")).unwrap();
    std::os::unix::fs::symlink("/../../../../etc", root.join("sys/class/net/eth0")).unwrap();
    let report = crate::support::probe_dir(root);
    assert!(report.network.is_empty());
}
