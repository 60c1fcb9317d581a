use std::collections::BTreeSet;
use std::path::PathBuf;

use super::facts::{self, BatteryFacts, FirmwareVerdict, Panel, Wifi};
use super::*;
use crate::erase::tools::Smart;
use crate::probe::root::SysRoot;

fn t420() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/machines/lenovo-thinkpad-t420-battery-wear/root")
}

fn outcome(results: &[CheckResult], id: CheckId) -> Outcome {
    results
        .iter()
        .find(|r| r.check == id)
        .expect("every check is there")
        .outcome
}

fn codes(results: &[CheckResult], id: CheckId) -> Vec<String> {
    let r = results.iter().find(|r| r.check == id).unwrap();
    r.evidence.iter().map(|s| s.code.clone()).collect()
}

/// A laptop where everything is fine, to break one fact at a time.
fn good() -> Facts {
    Facts {
        wifi: vec![Wifi {
            interface: "wlp3s0".into(),
            driver: Some("iwlwifi".into()),
        }],
        kernel_log: Some(facts::KernelLog {
            source: "dmesg".into(),
            text: IWLWIFI_LOG.into(),
        }),
        scan: ToolFact::Got(7),
        sound_cards: Ok(vec!["HDA Intel PCH".into()]),
        cameras: vec!["Integrated Camera".into()],
        usb_video: true,
        batteries: vec![BatteryFacts {
            name: "BAT0".into(),
            health_percent: Some(79),
            full_wh: Some(38.7),
            design_wh: Some(48.84),
            status: Some("Charging".into()),
            capacity_percent: Some(60),
        }],
        ac_online: Some(true),
        disk: Some("sda".into()),
        smart: ToolFact::Got(Smart {
            passed: Some(true),
            power_on_hours: Some(9000),
            reallocated_sectors: Some(0),
            ..Smart::default()
        }),
        space: Some((20 << 30, 100 << 30)),
        wanted_packages: Some(vec!["firefox-esr".into(), "vlc".into()]),
        installed_packages: Ok(["firefox-esr", "vlc", "bash"].iter().map(|s| s.to_string()).collect()),
        panel: Some(Panel {
            connector: "LVDS-1".into(),
            native: Some((1600, 900)),
        }),
        current_mode: ToolFact::Got((1600, 900)),
    }
}

/// The kernel's own lines for an Intel 6205 (iwlwifi, drivers/net/wireless/intel/iwlwifi/
/// iwl-drv.c): it asks for the newest firmware API first, which Debian does not ship, then
/// loads the one it has.
const IWLWIFI_LOG: &str = "\
[    4.100118] iwlwifi 0000:03:00.0: can't disable ASPM; OS doesn't have ASPM control
[    4.120733] iwlwifi 0000:03:00.0: Direct firmware load for iwlwifi-6000g2a-6.ucode failed with error -2
[    4.131215] iwlwifi 0000:03:00.0: loaded firmware version 18.168.6.1 6000g2a-6.ucode op_mode iwldvm
[    4.398007] iwlwifi 0000:03:00.0: CONFIG_IWLWIFI_DEBUG disabled
";

#[test]
fn a_good_laptop_passes_every_check() {
    let results = evaluate(&good());
    assert_eq!(
        results.iter().map(|r| r.check).collect::<Vec<_>>(),
        CheckId::ALL.to_vec()
    );
    for r in &results {
        assert_eq!(r.outcome, Outcome::Pass, "{r:?}");
        assert!(!r.evidence.is_empty(), "{r:?}");
    }
    assert_eq!(
        codes(&results, CheckId::WifiFirmware),
        ["chk-ev-kernel-log", "chk-ev-firmware-loaded"]
    );
}

#[test]
fn each_broken_fact_fails_its_check_only() {
    type Break = fn(&mut Facts);
    let cases: [(CheckId, Break); 11] = [
        (CheckId::WifiDriver, |f| f.wifi[0].driver = None),
        (CheckId::WifiFirmware, |f| {
            f.kernel_log.as_mut().unwrap().text = "[ 4.1] iwlwifi 0000:03:00.0: no suitable firmware found!\n".into()
        }),
        (CheckId::WifiScan, |f| f.scan = ToolFact::Got(0)),
        (CheckId::Sound, |f| f.sound_cards = Ok(vec![])),
        (CheckId::Webcam, |f| f.cameras.clear()),
        (CheckId::Battery, |f| f.batteries[0].health_percent = Some(49)),
        (CheckId::BatteryCharging, |f| {
            f.batteries[0].status = Some("Discharging".into())
        }),
        (CheckId::DiskHealth, |f| {
            f.smart = ToolFact::Got(Smart {
                passed: Some(false),
                ..Smart::default()
            })
        }),
        (CheckId::DiskSpace, |f| f.space = Some((1 << 30, 100 << 30))),
        (CheckId::Packages, |f| {
            f.installed_packages = Ok(BTreeSet::from(["vlc".to_string()]))
        }),
        (CheckId::Display, |f| f.current_mode = ToolFact::Got((1024, 768))),
    ];
    for (id, break_it) in cases {
        let mut f = good();
        break_it(&mut f);
        let results = evaluate(&f);
        for r in &results {
            let want = if r.check == id { Outcome::Fail } else { Outcome::Pass };
            assert_eq!(r.outcome, want, "breaking {id:?}: {r:?}");
        }
    }
    let mut f = good();
    f.installed_packages = Ok(BTreeSet::new());
    f.wanted_packages = Some((0..30).map(|i| format!("p{i}")).collect());
    let r = &evaluate(&f)[CheckId::ALL.iter().position(|c| *c == CheckId::Packages).unwrap()];
    let names = r.evidence[0].args.get("names").unwrap();
    assert_eq!(names, &crate::l10n::Arg::Text("p0 p1 p2 p3 p4 p5 p6 p7 p8 p9".into()));
}

#[test]
fn what_cannot_be_told_is_not_a_pass() {
    let mut f = good();
    f.wifi.clear();
    f.batteries.clear();
    f.cameras.clear();
    f.usb_video = false;
    f.panel = None;
    let r = evaluate(&f);
    for id in [
        CheckId::WifiDriver,
        CheckId::WifiFirmware,
        CheckId::WifiScan,
        CheckId::Webcam,
        CheckId::Battery,
        CheckId::BatteryCharging,
        CheckId::Display,
    ] {
        assert_eq!(outcome(&r, id), Outcome::NotApplicable, "{id:?}");
    }
    let mut f = good();
    f.kernel_log = None;
    f.scan = ToolFact::NotLive;
    f.smart = ToolFact::Missing(
        Said::new("tool-missing")
            .arg("tool", "smartctl")
            .arg("package", "smartmontools"),
    );
    f.current_mode = ToolFact::Missing(Said::new("chk-ev-no-x"));
    f.batteries[0].status = Some("Not charging".into());
    f.wanted_packages = None;
    f.space = None;
    f.sound_cards = Err(Said::new("chk-ev-unreadable").arg("path", "x").arg("error", "y"));
    let r = evaluate(&f);
    assert_eq!(outcome(&r, CheckId::WifiFirmware), Outcome::NotChecked);
    assert_eq!(outcome(&r, CheckId::WifiScan), Outcome::NotChecked);
    assert_eq!(outcome(&r, CheckId::DiskHealth), Outcome::NotChecked);
    assert_eq!(codes(&r, CheckId::DiskHealth), ["chk-ev-disk", "tool-missing"]);
    assert_eq!(outcome(&r, CheckId::Display), Outcome::Unknown);
    assert_eq!(outcome(&r, CheckId::BatteryCharging), Outcome::Unknown);
    assert_eq!(outcome(&r, CheckId::Packages), Outcome::NotChecked);
    assert_eq!(outcome(&r, CheckId::DiskSpace), Outcome::Unknown);
    assert_eq!(outcome(&r, CheckId::Sound), Outcome::Unknown);
    // on battery without a charger: not checked; the charger plugged in: a failure
    let mut f = good();
    f.batteries[0].status = Some("Discharging".into());
    f.ac_online = Some(false);
    assert_eq!(outcome(&evaluate(&f), CheckId::BatteryCharging), Outcome::NotChecked);
}

#[test]
fn the_t420_fixture_is_read_through_its_root() {
    let f = facts::read(&SysRoot::at(t420()));
    assert_eq!(
        f.wifi,
        [Wifi {
            interface: "wlp3s0".into(),
            driver: Some("iwlwifi".into())
        }]
    );
    // source.md of the fixture: 38.70 of 48.84 Wh, "Not charging" at 79 %, AC online
    assert_eq!(f.batteries.len(), 1);
    assert_eq!(f.batteries[0].health_percent, Some(79));
    assert_eq!(f.batteries[0].status.as_deref(), Some("Not charging"));
    assert_eq!(f.ac_online, Some(true));
    assert_eq!(f.disk.as_deref(), Some("sda"));
    assert_eq!(
        f.panel,
        Some(Panel {
            connector: "LVDS-1".into(),
            native: Some((1600, 900))
        })
    );
    // a captured tree: no tool runs
    assert_eq!(f.scan, ToolFact::NotLive);
    assert_eq!(f.smart, ToolFact::NotLive);
    let r = evaluate(&f);
    assert_eq!(outcome(&r, CheckId::WifiDriver), Outcome::Pass);
    assert_eq!(outcome(&r, CheckId::Battery), Outcome::Pass);
    assert_eq!(outcome(&r, CheckId::BatteryCharging), Outcome::Unknown);
    assert_eq!(outcome(&r, CheckId::DiskHealth), Outcome::NotChecked);
    assert_eq!(outcome(&r, CheckId::Packages), Outcome::NotChecked);
}

#[test]
fn parsers_read_real_outputs() {
    // /proc/asound/cards of a ThinkPad with a USB headset (format: sound/core/init.c)
    let cards = " 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n                      HDA Intel PCH at 0xf2520000 irq 47\n 1 [Headset        ]: USB-Audio - USB Headset\n                      Logitech USB Headset at usb-0000:00:1d.0-1.2, full speed\n";
    assert_eq!(facts::parse_asound_cards(cards), ["HDA Intel PCH", "USB Headset"]);
    assert!(facts::parse_asound_cards("--- no soundcards ---\n").is_empty());
    let status = "Package: vlc\nStatus: install ok installed\nArchitecture: amd64\nVersion: 3.0.21\n\n\
                  Package: libreoffice-core\nStatus: deinstall ok config-files\nArchitecture: amd64\n\n\
                  Package: libc6\nStatus: install ok installed\nMulti-Arch: same\nArchitecture: i386\n";
    let installed = facts::parse_dpkg_status(status);
    assert!(installed.contains("vlc") && installed.contains("libc6:i386"));
    assert!(!installed.contains("libreoffice-core"));
    assert_eq!(
        facts::firmware_verdict(IWLWIFI_LOG, &["iwlwifi"]),
        FirmwareVerdict::Loaded(
            "iwlwifi 0000:03:00.0: loaded firmware version 18.168.6.1 6000g2a-6.ucode op_mode iwldvm".into()
        )
    );
    let b43 = "[   12.5] b43-phy0: Broadcom 4312 WLAN found (core revision 15)\n[   12.9] b43-phy0 ERROR: Firmware file \"b43/ucode15.fw\" not found\n[   12.9] b43 ssb0:0: Direct firmware load for b43/ucode15.fw failed with error -2\n";
    assert!(
        matches!(facts::firmware_verdict(b43, &["b43"]), FirmwareVerdict::Failed(l) if l.starts_with("b43-phy0 ERROR"))
    );
    assert_eq!(
        facts::firmware_verdict(IWLWIFI_LOG, &["ath9k"]),
        FirmwareVerdict::NoFailure
    );
    let xrandr = "Screen 0: minimum 8 x 8, current 1366 x 768, maximum 32767 x 32767\n\
                  LVDS-1 connected primary 1366x768+0+0 (normal left inverted right x axis y axis) 344mm x 194mm\n   \
                  1366x768      60.00*+\n   1024x768      60.00\nVGA-1 disconnected (normal left inverted right x axis y axis)\n";
    assert_eq!(facts::parse_xrandr_current(xrandr), Some((1366, 768)));
    assert_eq!(facts::parse_xrandr_current("LVDS-1 connected (normal left)\n"), None);
    let scan = "BSS 00:11:22:33:44:55(on wlp3s0)\n\tfreq: 2412\n\tSSID: schule\nBSS 66:77:88:99:aa:bb(on wlp3s0)\n\tSSID: gast\n";
    assert_eq!(facts::parse_iw_scan(scan), 2);
    assert_eq!(
        facts::parse_package_lines("vlc\nfirefox-esr\n\nnot a package\nvlc\n"),
        ["firefox-esr", "vlc"]
    );
}

#[test]
fn the_document_round_trips_and_every_code_is_said_in_both_languages() {
    let mut all = evaluate(&good());
    let mut f = good();
    f.wifi[0].driver = None;
    f.batteries[0].status = Some("Unknown".into());
    f.smart = ToolFact::Failed(Said::new("chk-ev-tool-output").arg("tool", "smartctl"));
    all.extend(evaluate(&f));
    let report = CheckReport::new("2026-12-06T10:00:00Z".into(), evaluate(&good()));
    let json = report.to_json();
    assert!(json.contains("\"schema\": \"upcycle.check/v1\""));
    assert_eq!(CheckReport::from_untrusted(json.as_bytes()).unwrap(), report);
    for r in &all {
        for lang in [crate::l10n::Lang::De, crate::l10n::Lang::En] {
            assert!(crate::l10n::has(&r.check.name_id()) && crate::l10n::has(&r.outcome.text_id()));
            for s in &r.evidence {
                let said = crate::l10n::say(lang, s);
                assert!(!said.contains('{') && !said.is_empty(), "{}: {said}", s.code);
            }
        }
    }
}

#[test]
fn untrusted_documents_are_checked_into_types() {
    let good = CheckReport::new("2026-12-06T10:00:00+01:00".into(), evaluate(&good())).to_json();
    let read = CheckReport::from_untrusted(good.as_bytes()).unwrap();
    assert_eq!(read.time, "2026-12-06T09:00:00Z");
    let edit = |from: &str, to: &str| {
        assert!(good.contains(from), "{from}");
        good.replacen(from, to, 1)
    };
    let bad = [
        b"\xff\xfe".to_vec(),
        b"not json".to_vec(),
        b"{}".to_vec(),
        edit("upcycle.check/v1", "upcycle.check/v2").into_bytes(),
        edit("\"wifi-driver\"", "\"wifi-magic\"").into_bytes(),
        edit("\"wifi-firmware\"", "\"wifi-driver\"").into_bytes(),
        edit("\"pass\"", "\"great\"").into_bytes(),
        edit("\"chk-ev-driver\"", "\"err-catalog-unusable\"").into_bytes(),
        edit("\"chk-ev-driver\"", "\"chk-ev-nonsense\"").into_bytes(),
        edit(
            "\"interface\": \"wlp3s0\"",
            &format!("\"interface\": \"{}\"", "x".repeat(201)),
        )
        .into_bytes(),
        edit("\"interface\": \"wlp3s0\"", "\"Interface\": \"wlp3s0\"").into_bytes(),
        edit("\"interface\": \"wlp3s0\"", "\"interface\": [1, 2]").into_bytes(),
        edit("\"interface\": \"wlp3s0\"", "\"interface\": {\"code\": \"x\"}").into_bytes(),
        edit("\"time\": ", "\"extra\": 1, \"time\": ").into_bytes(),
        edit("2026-12-06T10:00:00+01:00", "yesterday").into_bytes(),
        br#"{"schema":"upcycle.check/v1","time":"2026-12-06T10:00:00Z","tool_version":"0.1.0","results":[]}"#.to_vec(),
    ];
    for b in bad {
        assert!(
            CheckReport::from_untrusted(&b).is_err(),
            "{}",
            String::from_utf8_lossy(&b)
        );
    }
    // a line break in a value is made one line, not refused
    let multi = edit("\"interface\": \"wlp3s0\"", "\"interface\": \"wlp\\n<b>3s0\"");
    let r = CheckReport::from_untrusted(multi.as_bytes()).unwrap();
    let arg = r.results[0].evidence[0].args.get("interface").unwrap();
    assert!(matches!(arg, crate::l10n::Arg::Text(t) if !t.contains('\n')));
}

mod untrusted_bytes {
    use proptest::prelude::*;

    use super::super::*;

    fn valid() -> String {
        CheckReport::new("2026-12-06T10:00:00Z".into(), evaluate(&super::good())).to_json()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Whatever a laptop (or anyone with its token) sends: no panic, and what is taken
        /// reads back the same when it is written again.
        #[test]
        fn never_panics_and_what_is_taken_is_stable(
            bytes in proptest::collection::vec(any::<u8>(), 0..512),
            cut in 0usize..4000,
            junk in "[\\PC]{0,8}",
        ) {
            let _ = CheckReport::from_untrusted(&bytes);
            let v = valid();
            let at = v.char_indices().map(|(i, _)| i).find(|i| *i >= cut.min(v.len())).unwrap_or(v.len());
            let mutated = format!("{}{junk}{}", &v[..at], &v[at..]);
            if let Ok(r) = CheckReport::from_untrusted(mutated.as_bytes()) {
                prop_assert_eq!(CheckReport::from_untrusted(r.to_json().as_bytes()).unwrap(), r);
            }
        }
    }
}
