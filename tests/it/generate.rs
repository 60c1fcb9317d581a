//! Bundles: every fixture machine gets one that the real validators accept; hostile
//! strings from the laptop change the meaning of nothing; same input, same bytes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{fixtures_dir, generate, install_token, machines, probe_dir, stderr, stdout, upcycle};

/// Run `upcycle generate` for a machine root into `out`; returns the bundle dir.
fn bundle_dir(out: &Path) -> PathBuf {
    let dirs: Vec<PathBuf> = std::fs::read_dir(out)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    dirs[0].clone()
}

fn tool_ok(cmd: &str, args: &[&str], file: &Path) {
    let db = tempfile::tempdir().unwrap();
    let out = Command::new(cmd)
        .args(args)
        .arg(file)
        .env("DEBCONF_SYSTEMRC", upcycle::validate::debconf_private_config(db.path()))
        .output()
        .unwrap_or_else(|e| panic!("{cmd} must be installed: {e}"));
    assert!(
        out.status.success() && (cmd != "debconf-set-selections" || out.stderr.is_empty()),
        "{cmd} {}: {}{}",
        file.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The real validators, run by the test itself on what was written.
fn validate_with_real_tools(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".cfg") {
            tool_ok("debconf-set-selections", &["-c"], &path);
        }
        if name.ends_with(".sh") {
            tool_ok("bash", &["-n"], &path);
            tool_ok("shellcheck", &["-s", "bash"], &path);
        }
        if name == "user-data" {
            let text = std::fs::read_to_string(&path).unwrap();
            upcycle::validate::check_user_data(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
    }
    // SHA256SUMS matches the files.
    let out = Command::new("sha256sum")
        .arg("-c")
        .arg("--quiet")
        .arg("SHA256SUMS")
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

fn tree(dir: &Path) -> BTreeMap<String, (Vec<u8>, u32)> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                (std::fs::read(&p).unwrap(), mode),
            )
        })
        .collect()
}

/// A fixture whose expected.yaml says no profile fits (`selection: {chosen: null}`).
fn no_profile_fits(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("expected.yaml"))
        .ok()
        .and_then(|t| upcycle::yaml::from_str::<serde_json::Value>(&t).ok())
        .is_some_and(|e| e["selection"].get("chosen").is_some_and(|c| c.is_null()))
}

#[test]
fn every_fixture_gets_a_bundle_the_real_validators_accept() {
    for (slug, dir) in machines() {
        let out = tempfile::tempdir().unwrap();
        let run = generate(&dir.join("root"), out.path(), &[]);
        if no_profile_fits(&dir) {
            // e.g. a CPU without cmov: exit 5, the reason on stderr, no bundle.
            assert_eq!(run.status.code(), Some(5), "{slug}: {}", stderr(&run));
            assert!(stderr(&run).contains("cmov"), "{slug}: {}", stderr(&run));
            assert!(not_ledger(out.path()).is_empty(), "{slug}: no bundle");
            continue;
        }
        assert!(run.status.success(), "{slug}: {}", stderr(&run));
        let bundle = bundle_dir(out.path());
        validate_with_real_tools(&bundle);
        let files = tree(&bundle);
        assert!(
            files.contains_key("preseed.cfg") || files.contains_key("user-data"),
            "{slug}"
        );
        for name in [
            "postinstall.sh",
            "boot.txt",
            "checklist.md",
            "checklist.html",
            "report.yaml",
            "selection.yaml",
            "SHA256SUMS",
        ] {
            assert!(files.contains_key(name), "{slug}: {name} missing");
        }
        assert_eq!(files["postinstall.sh"].1, 0o755);
        if let Some((_, mode)) = files.get("preseed.cfg") {
            assert_eq!(*mode, 0o600, "{slug}: the preseed may hold password hashes");
        }
    }
}

#[test]
fn preseeds_answer_what_an_unattended_install_needs() {
    let out = tempfile::tempdir().unwrap();
    let t40 = fixtures_dir().join("ibm-thinkpad-t40/root");
    let run = generate(&t40, out.path(), &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    let preseed = std::fs::read_to_string(bundle_dir(out.path()).join("preseed.cfg")).unwrap();
    let value = |key: &str| -> Option<String> {
        preseed.lines().find_map(|l| {
            let mut parts = l.splitn(4, ' ');
            let (_, k, _, v) = (parts.next()?, parts.next()?, parts.next()?, parts.next().unwrap_or(""));
            (k == key).then(|| v.to_string())
        })
    };
    for key in [
        "debian-installer/locale",
        "keyboard-configuration/xkb-keymap",
        "netcfg/get_hostname",
        "mirror/http/hostname",
        "passwd/root-login",
        "time/zone",
        "partman-auto/disk",
        "partman/confirm_nooverwrite",
        "grub-installer/bootdev",
        "base-installer/kernel/image",
        "apt-setup/non-free-firmware",
        "pkgsel/include",
        "preseed/late_command",
    ] {
        assert!(value(key).is_some(), "{key} is not answered");
    }
    // The T40's internal PATA disk, never its USB stick (sdb).
    assert_eq!(value("partman-auto/disk").as_deref(), Some("/dev/sda"));
    assert_eq!(value("grub-installer/bootdev").as_deref(), Some("/dev/sda"));
    assert_eq!(value("base-installer/kernel/image").as_deref(), Some("linux-image-686"));
    assert!(value("pkgsel/include").unwrap().contains("firmware-ipw2x00"));
    // What the first boot's self-check needs (smartctl for disk-health).
    assert!(
        value("pkgsel/include")
            .unwrap()
            .split(' ')
            .any(|p| p == "smartmontools")
    );
    // Its licence question would stop the install (found by scripts/e2e/packages.sh).
    assert!(preseed.contains("firmware-ipw2x00 firmware-ipw2x00/license/accepted boolean true\n"));
    assert_eq!(value("passwd/root-login").as_deref(), Some("false"));

    // With the forcepae policy, the PAE kernel and forcepae for installer and system.
    let workshop = tempfile::NamedTempFile::new().unwrap();
    let text = include_str!("../../data/workshop-default.yaml")
        .replace("pentium_m_kernel: non-pae", "pentium_m_kernel: pae-forcepae");
    std::fs::write(workshop.path(), text).unwrap();
    let out2 = tempfile::tempdir().unwrap();
    let run = generate(&t40, out2.path(), &["--workshop", workshop.path().to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    let dir = bundle_dir(out2.path());
    let preseed = std::fs::read_to_string(dir.join("preseed.cfg")).unwrap();
    assert!(preseed.contains("d-i base-installer/kernel/image string linux-image-686-pae\n"));
    assert!(preseed.contains("d-i debian-installer/add-kernel-opts string forcepae\n"));
    let boot = std::fs::read_to_string(dir.join("boot.txt")).unwrap();
    assert!(
        boot.contains("auto=true priority=critical forcepae --- forcepae"),
        "{boot}"
    );
}

#[test]
fn the_same_input_gives_byte_identical_bundles() {
    let root = fixtures_dir().join("dell-xps-15-9560-nvme-uefi/root");
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    assert!(generate(&root, a.path(), &[]).status.success());
    // The same workshop: its ledger knows the machine, its number and its install token.
    let ledger = a.path().join(upcycle::ledger::FILE_NAME);
    assert!(
        generate(&root, b.path(), &["--ledger", ledger.to_str().unwrap()])
            .status
            .success()
    );
    assert_eq!(tree(&bundle_dir(a.path())), tree(&bundle_dir(b.path())));
    // Another workshop's ledger gives the laptop another token, and nothing else changes.
    let c = tempfile::tempdir().unwrap();
    assert!(generate(&root, c.path(), &[]).status.success());
    let (ta, tc) = (install_token(a.path(), 1), install_token(c.path(), 1));
    assert_ne!(ta, tc);
    let shown = |dir: &Path, token: &str| {
        tree(&bundle_dir(dir))
            .into_iter()
            .filter(|(name, _)| name != "SHA256SUMS")
            .map(|(name, (bytes, mode))| (name, String::from_utf8_lossy(&bytes).replace(token, "[token]"), mode))
            .collect::<Vec<_>>()
    };
    assert_eq!(shown(a.path(), &ta), shown(c.path(), &tc));
}

#[test]
fn existing_bundles_are_kept_unless_forced() {
    let root = fixtures_dir().join("asus-eeepc-1000h/root");
    let out = tempfile::tempdir().unwrap();
    assert!(generate(&root, out.path(), &[]).status.success());
    let again = generate(&root, out.path(), &[]);
    assert_eq!(again.status.code(), Some(4), "{}", stderr(&again));
    assert!(stderr(&again).contains("--force"));
    assert!(generate(&root, out.path(), &["--force"]).status.success());
    // Nothing but the bundle (and the ledger) is left behind (no temp dirs).
    assert_eq!(not_ledger(out.path()).len(), 1);
}

#[test]
fn a_bundle_that_fails_validation_is_not_written() {
    // A template that renders a broken shell script.
    let templates = crate::support::templates_copy();
    let post = templates.path().join("postinstall.sh.tera");
    let text =
        std::fs::read_to_string(&post)
            .unwrap()
            .replacen("set -euo pipefail", "set -euo pipefail\nif then fi", 1);
    std::fs::write(&post, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = generate(
        &fixtures_dir().join("asus-eeepc-1000h/root"),
        out.path(),
        &["--templates", templates.path().to_str().unwrap()],
    );
    assert_eq!(run.status.code(), Some(6), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("postinstall.sh") && stderr(&run).contains("nothing was written"),
        "{}",
        stderr(&run)
    );
    assert_eq!(
        not_ledger(out.path()).len(),
        0,
        "nothing may be written (the ledger has the laptop's intake)"
    );
}

/// A custom template that names the whole `selection` (templates/README.md) still gets
/// it, though the embedded ones do without it.
#[test]
fn a_custom_template_sees_the_whole_selection() {
    let templates = crate::support::templates_copy();
    let boot = templates.path().join("boot.txt.tera");
    let text = std::fs::read_to_string(&boot).unwrap()
        + "\nschema={{ selection.schema }} rejected={{ selection.rejected | length }}\n";
    std::fs::write(&boot, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = generate(
        &fixtures_dir().join("asus-eeepc-1000h/root"),
        out.path(),
        &["--templates", templates.path().to_str().unwrap()],
    );
    assert!(run.status.success(), "{}", stderr(&run));
    let boot_txt = std::fs::read_to_string(out.path().join("schule-001/boot.txt")).unwrap();
    let selection = std::fs::read_to_string(out.path().join("schule-001/selection.yaml")).unwrap();
    let rejected = selection
        .lines()
        .skip_while(|l| !l.starts_with("rejected:"))
        .skip(1)
        .take_while(|l| l.starts_with(' ') || l.starts_with('-'))
        .filter(|l| l.starts_with("- profile:"))
        .count();
    assert!(rejected > 0, "the Eee PC rejects some profiles: {selection}");
    assert!(
        boot_txt.contains(&format!("schema=upcycle.selection/v2 rejected={rejected}")),
        "{boot_txt}"
    );
}

/// A copy of the T420 whose DMI strings try to break out of every file format.
fn hostile_machine() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new("cp")
        .arg("-a")
        .arg(fixtures_dir().join("lenovo-thinkpad-t420-battery-wear/root"))
        .arg(tmp.path().join("root"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let dmi = tmp.path().join("root/sys/class/dmi/id");
    let evil = "X'\"`$(touch /tmp/upcycle-pwned)`\n\nd-i passwd/root-login boolean true\n#!</td><script>alert(1)</script>|*_\\";
    for f in [
        "sys_vendor",
        "product_name",
        "product_version",
        "product_serial",
        "bios_version",
    ] {
        std::fs::write(dmi.join(f), format!("{evil}\n")).unwrap();
    }
    tmp
}

#[test]
fn hostile_dmi_strings_change_the_meaning_of_no_file() {
    let machine = hostile_machine();
    let root = machine.path().join("root");
    for workshop in [None, Some("fixed")] {
        let out = tempfile::tempdir().unwrap();
        let mut extra = vec![];
        let wfile = tempfile::NamedTempFile::new().unwrap();
        if workshop.is_some() {
            let hash = upcycle::password::hash("schule123").unwrap();
            let text = include_str!("../../data/workshop-default.yaml")
                .replace("mode: first-boot", "mode: fixed")
                .replace("users: []", &format!("users:\n    - {{name: schueler, full_name: \"Schüler\", password_hash: \"{hash}\", admin: true}}"));
            std::fs::write(wfile.path(), text).unwrap();
            extra = vec!["--workshop", wfile.path().to_str().unwrap()];
        }
        let run = generate(&root, out.path(), &extra);
        assert!(run.status.success(), "{}", stderr(&run));
        let dir = bundle_dir(out.path());
        validate_with_real_tools(&dir);

        // Preseed: every line is a comment, blank, a continuation or an answer of ours;
        // the injected answer does not exist.
        let preseed = std::fs::read_to_string(dir.join("preseed.cfg")).unwrap();
        for line in preseed.lines() {
            let t = line.trim_start();
            assert!(
                t.is_empty()
                    || t.starts_with('#')
                    || line.starts_with("    ")
                    || ["d-i ", "tasksel ", "popularity-contest ", "b43-fwcutter "]
                        .iter()
                        .any(|p| t.starts_with(p)),
                "unexpected preseed line: {line:?}"
            );
        }
        assert!(preseed.contains("d-i passwd/root-login boolean false\n"));
        assert!(
            !preseed
                .lines()
                .any(|l| l.starts_with("d-i passwd/root-login boolean true"))
        );

        // Scripts: the payload only ever appears on comment lines; shellcheck passed above.
        for name in ["postinstall.sh"] {
            let script = std::fs::read_to_string(dir.join(name)).unwrap();
            for line in script.lines().filter(|l| l.contains("upcycle-pwned")) {
                assert!(
                    line.trim_start().starts_with('#'),
                    "{name}: payload outside a comment: {line}"
                );
            }
        }
        // HTML: escaped; Markdown: escaped.
        let html = std::fs::read_to_string(dir.join("checklist.html")).unwrap();
        assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"));
        let md = std::fs::read_to_string(dir.join("checklist.md")).unwrap();
        assert!(!md.contains("<script>"));
        // The report in the bundle keeps the real value.
        let report: upcycle::report::HardwareReport =
            upcycle::yaml::from_str(&std::fs::read_to_string(dir.join("report.yaml")).unwrap()).unwrap();
        assert!(report.machine.vendor.unwrap().contains("$(touch /tmp/upcycle-pwned)"));
        if workshop.is_some() {
            assert!(preseed.contains("d-i passwd/username string schueler\n"));
            assert!(preseed.contains("d-i passwd/user-password-crypted password $6$"));
            assert!(!preseed.contains("schule123"), "clear-text password in the preseed");
        }
    }
}

#[test]
fn ubuntu_bundles_are_valid_autoinstall() {
    let out = tempfile::tempdir().unwrap();
    let root = fixtures_dir().join("dell-xps-15-9560-nvme-uefi/root");
    let run = generate(&root, out.path(), &["--profile", "ubuntu-24.04-desktop"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let dir = bundle_dir(out.path());
    validate_with_real_tools(&dir);
    let user_data = std::fs::read_to_string(dir.join("user-data")).unwrap();
    let doc: serde_json::Value = upcycle::yaml::from_str(&user_data).unwrap();
    let ai = &doc["autoinstall"];
    assert_eq!(ai["version"], 1);
    assert_eq!(ai["interactive-sections"], serde_json::json!([]));
    assert_eq!(ai["source"]["id"], "ubuntu-desktop-minimal");
    // What the self-check needs (smartctl for disk-health), by hand on Ubuntu too.
    assert!(
        ai["packages"].as_array().unwrap().iter().any(|p| p == "smartmontools"),
        "{}",
        ai["packages"]
    );
    assert!(
        ai.get("identity").is_none(),
        "first-boot mode leaves the account to GNOME Initial Setup"
    );
    assert!(dir.join("meta-data").exists());
    assert!(!dir.join("preseed.cfg").exists());
    // A profile that does not fit is refused with exit code 5.
    let t40 = fixtures_dir().join("ibm-thinkpad-t40/root");
    let run = generate(&t40, out.path(), &["--profile", "ubuntu-24.04-desktop"]);
    assert_eq!(run.status.code(), Some(5), "{}", stderr(&run));
}

#[test]
fn bad_workshop_files_name_the_field() {
    let wfile = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        wfile.path(),
        include_str!("../../data/workshop-default.yaml")
            .replace("timezone: Europe/Berlin", "timezone: \"Europe/Berlin$(reboot)\""),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = generate(
        &fixtures_dir().join("asus-eeepc-1000h/root"),
        out.path(),
        &["--workshop", wfile.path().to_str().unwrap()],
    );
    assert_eq!(run.status.code(), Some(3));
    assert!(
        stderr(&run).contains("timezone") && stderr(&run).contains("line"),
        "{}",
        stderr(&run)
    );
    // the first-boot wizard would run `userdel -r root`
    std::fs::write(
        wfile.path(),
        include_str!("../../data/workshop-default.yaml").replace("setup_user: einrichtung", "setup_user: root"),
    )
    .unwrap();
    let run = generate(
        &fixtures_dir().join("asus-eeepc-1000h/root"),
        out.path(),
        &["--workshop", wfile.path().to_str().unwrap()],
    );
    assert_eq!(run.status.code(), Some(3));
    assert!(
        stderr(&run).contains("line 32: accounts.setup_user: \"root\" is a system account"),
        "{}",
        stderr(&run)
    );
    // a file of the wrong shape: no empty field name, no Rust type
    for (text, says) in [
        (
            "- locale: de_DE.UTF-8\n",
            "line 1: wrong kind of value: a list, expected a mapping (`key: value` lines)",
        ),
        (
            "hostname: 5\n",
            "line 1: hostname: wrong kind of value: integer `5`, expected a mapping",
        ),
    ] {
        std::fs::write(wfile.path(), text).unwrap();
        let run = generate(
            &fixtures_dir().join("asus-eeepc-1000h/root"),
            out.path(),
            &["--workshop", wfile.path().to_str().unwrap()],
        );
        assert_eq!(run.status.code(), Some(3));
        let err = stderr(&run);
        assert!(err.contains(says), "{says} in {err}");
        assert!(!err.contains(": :") && !err.contains("struct"), "{err}");
    }
    assert!(
        std::fs::read_dir(out.path()).unwrap().next().is_none(),
        "nothing written"
    );
}

/// A 50 MB full name (shellcheck once took 7.2 GB on such a bundle) is refused at once,
/// unread: the workshop file is larger than 1 MiB. A long value in a small file names
/// its field.
#[test]
fn huge_workshop_values_are_refused_quickly() {
    let default = include_str!("../../data/workshop-default.yaml");
    let wfile = tempfile::NamedTempFile::new().unwrap();
    let out = tempfile::tempdir().unwrap();
    let eeepc = fixtures_dir().join("asus-eeepc-1000h/root");
    let huge = "x".repeat(50_000_000);
    for (text, expected) in [
        (
            default.replace("search_engine: DuckDuckGo", &format!("search_engine: {huge}")),
            "a workshop file is at most 1 MiB".to_string(),
        ),
        (
            default.replace(
                "search_engine: DuckDuckGo",
                &format!("search_engine: {}", &huge[..5000]),
            ),
            "privacy.search_engine: 5000 characters long; at most 64".to_string(),
        ),
    ] {
        std::fs::write(wfile.path(), text).unwrap();
        let started = std::time::Instant::now();
        let run = generate(&eeepc, out.path(), &["--workshop", wfile.path().to_str().unwrap()]);
        // a hang detector, not a speed test
        assert!(started.elapsed().as_secs() < 30, "took {:?}", started.elapsed());
        assert_eq!(run.status.code(), Some(3), "{}", stderr(&run));
        let err = stderr(&run);
        assert!(
            err.contains(&expected) && err.contains(wfile.path().to_str().unwrap()),
            "{err}"
        );
    }
    assert!(
        std::fs::read_dir(out.path()).unwrap().next().is_none(),
        "nothing written"
    );
}

#[test]
fn hash_password_matches_openssl() {
    let mut child = crate::support::upcycle_command()
        .arg("hash-password")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Kr\xc3\xa4he 'n $(x)\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let hash = stdout(&out).trim().to_string();
    assert!(upcycle::workshop::is_sha512_crypt(&hash), "{hash}");
    let salt = hash.split('$').nth(2).unwrap();
    let openssl = Command::new("openssl")
        .args(["passwd", "-6", "-salt", salt, "Krähe 'n $(x)"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&openssl.stdout).trim(), hash);
}

#[test]
fn bundle_snapshots() {
    for slug in [
        "ibm-thinkpad-t40",
        "asus-t100ta-baytrail-uefi32",
        "lenovo-thinkpad-t420-battery-wear",
    ] {
        let out = tempfile::tempdir().unwrap();
        let run = generate(&fixtures_dir().join(slug).join("root"), out.path(), &[]);
        assert!(run.status.success(), "{}", stderr(&run));
        let dir = bundle_dir(out.path());
        let token = install_token(out.path(), 1);
        for (name, (bytes, _)) in tree(&dir) {
            if ["report.yaml", "SHA256SUMS"].contains(&name.as_str()) {
                continue;
            }
            let text = String::from_utf8(bytes)
                .unwrap()
                .replace(env!("CARGO_PKG_VERSION"), "[version]")
                .replace(&token, "[token]");
            insta::assert_snapshot!(format!("bundle-{slug}-{name}"), text);
        }
    }
}

#[test]
fn a_raid_mode_controller_puts_switch_to_ahci_first_on_the_checklist_and_in_boot_txt() {
    let out = tempfile::tempdir().unwrap();
    let root = fixtures_dir().join("dell-latitude-e5540-rst-raid").join("root");
    let run = generate(&root, out.path(), &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    let files = tree(&bundle_dir(out.path()));
    let text = |name: &str| String::from_utf8(files[name].0.clone()).unwrap();
    for name in ["boot.txt", "checklist.md"] {
        insta::assert_snapshot!(
            format!("raid-mode-{name}"),
            text(name).replace(env!("CARGO_PKG_VERSION"), "[version]")
        );
    }
    let md = text("checklist.md");
    // The default workshop speaks German.
    let before = md.find("## Vor der Installation").expect("a before-install section");
    assert!(before < md.find("## Warum dieses System").unwrap());
    assert!(md.contains("- [ ] Der Festplatten-Controller läuft im RAID-Modus"));
    // Said once: not again under "Firmware und Hinweise".
    assert_eq!(md.matches("SATA auf AHCI umstellen").count(), 1, "{md}");
    let html = text("checklist.html");
    assert!(html.contains("<ul class=\"checks before\"><li>Der Festplatten-Controller läuft im RAID-Modus"));
    assert!(text("boot.txt").contains("VOR DEM START: Der Festplatten-Controller läuft im RAID-Modus"));
}

/// The entries of `dir` other than the workshop ledger's files.
fn not_ledger(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with(upcycle::ledger::FILE_NAME))
        .collect()
}

/// The start sheets (the checklist's start section and boot.txt) show the route the
/// workshop uses: a stick workshop's no network line, a network workshop's (with its PC's
/// address) no stick; both numbered when both; a bad value is bad input naming the field.
#[test]
fn the_start_sheets_show_the_route_the_workshop_uses() {
    let out = tempfile::tempdir().unwrap();
    let default =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/workshop-default.yaml")).unwrap();
    let t40 = fixtures_dir().join("ibm-thinkpad-t40/root");
    let sheets = |name: &str, route: &str| {
        let workshop = out.path().join(format!("{name}.yaml"));
        let text = default
            .replace("install_route: both", &format!("install_route: {route}"))
            .replace("workshop_pc: null", "workshop_pc: {address: 192.168.1.10}");
        std::fs::write(&workshop, text).unwrap();
        let o = generate(
            &t40,
            &out.path().join(name),
            &["--workshop", workshop.to_str().unwrap()],
        );
        assert!(o.status.success(), "{route}: {}{}", stdout(&o), stderr(&o));
        let read = |f: &str| std::fs::read_to_string(out.path().join(name).join("schule-001").join(f)).unwrap();
        // the HTML as a browser shows it (Tera escapes `/` as `&#x2F;`)
        (
            read("boot.txt"),
            read("checklist.md"),
            read("checklist.html").replace("&#x2F;", "/"),
        )
    };
    let stick_line = "„upcycle media usb“";
    let network_line = "url=http://192.168.1.10:8080/schule-001/preseed.cfg";
    let (boot, md, html) = sheets("stick", "stick");
    for text in [&boot, &md, &html] {
        assert!(text.contains(stick_line) && !text.contains(network_line), "{text}");
        assert!(!text.contains("„upcycle media netboot“"), "{text}");
    }
    assert!(!boot.contains("1. Stick"), "one route, no number: {boot}");
    let (boot, md, html) = sheets("network", "network");
    for text in [&boot, &md, &html] {
        assert!(!text.contains(stick_line) && text.contains(network_line), "{text}");
    }
    assert!(html.contains("<h2>So startet die Installation</h2>"), "{html}");
    let (boot, md, _) = sheets("both", "both");
    assert!(boot.contains("1. Stick") && boot.contains("2. Netzwerk") && boot.contains(network_line));
    assert!(md.contains(stick_line) && md.contains(network_line), "{md}");
    // a route that is not one: exit 3, the field named, nothing written
    let workshop = out.path().join("bad.yaml");
    std::fs::write(&workshop, default.replace("install_route: both", "install_route: taxi")).unwrap();
    let o = generate(
        &t40,
        &out.path().join("bad"),
        &["--workshop", workshop.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(3), "{}{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("install_route"), "{}", stderr(&o));
    assert!(!out.path().join("bad/schule-001").exists());
}

/// A workshop that names its PC gets boot sheets with that address, not the placeholder;
/// a value that is not an IPv4 address is refused as bad input naming the field.
#[test]
fn the_boot_sheet_names_the_workshop_pc_when_the_workshop_does() {
    let out = tempfile::tempdir().unwrap();
    let default =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/workshop-default.yaml")).unwrap();
    let workshop = out.path().join("workshop.yaml");
    let text = default.replace("workshop_pc: null", "workshop_pc: {address: 192.168.1.10, port: 8081}");
    assert_ne!(text, default);
    std::fs::write(&workshop, &text).unwrap();
    let t40 = fixtures_dir().join("ibm-thinkpad-t40/root");
    let o = generate(&t40, &out.path().join("b"), &["--workshop", workshop.to_str().unwrap()]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let boot = std::fs::read_to_string(out.path().join("b/schule-001/boot.txt")).unwrap();
    assert!(
        boot.contains(" url=http://192.168.1.10:8081/schule-001/preseed.cfg "),
        "{boot}"
    );
    assert!(boot.contains(" log_host=192.168.1.10 log_port=8081"), "{boot}");
    assert!(!boot.contains("WORKSHOP-PC"), "{boot}");
    // Without it: the placeholder and the line that explains it.
    let o = generate(&t40, &out.path().join("c"), &[]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let boot = std::fs::read_to_string(out.path().join("c/schule-001/boot.txt")).unwrap();
    assert!(boot.contains("url=http://WORKSHOP-PC:8080/"), "{boot}");
    assert!(boot.contains("(WORKSHOP-PC ist die Adresse"), "{boot}");
    // Not an address: exit 3 (bad input), the field named, nothing written.
    std::fs::write(
        &workshop,
        default.replace("workshop_pc: null", "workshop_pc: {address: '$(reboot)'}"),
    )
    .unwrap();
    let o = generate(&t40, &out.path().join("d"), &["--workshop", workshop.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3), "{}{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("workshop_pc"), "{}", stderr(&o));
    assert!(!out.path().join("d/schule-001").exists());
}

/// `bundle-info --report` gives the scripts the machine a bundle is for (boot-installed.sh
/// reads the firmware's word size, RAM and install disk from it) through the typed report,
/// and names the file when it is not a report.
#[test]
fn bundle_info_gives_the_bundles_machine_as_json() {
    let out = tempfile::tempdir().unwrap();
    let o = generate(
        &fixtures_dir().join("asus-t100ta-baytrail-uefi32/root"),
        out.path(),
        &[],
    );
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let bundle = out.path().join("schule-001");
    let o = upcycle(&["bundle-info", "--report", bundle.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let probed = serde_json::to_value(probe_dir(&fixtures_dir().join("asus-t100ta-baytrail-uefi32/root"))).unwrap();
    for field in [
        "/firmware/uefi_bitness",
        "/memory/mem_total_kib",
        "/storage/install_target",
    ] {
        assert_eq!(report.pointer(field), probed.pointer(field), "{field}");
    }
    assert_eq!(report["firmware"]["uefi_bitness"], 32);
    // the chosen stack with its profile's smallest RAM (the VM's RAM when the report
    // has none), the catalog's number
    let o = upcycle(&["bundle-info", bundle.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let chosen: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let profile = chosen["profile"].as_str().unwrap();
    let shown = stdout(&upcycle(&["profiles", "show", profile]));
    for key in ["min_ram_mib", "min_disk_gb"] {
        let number = shown
            .lines()
            .find_map(|l| {
                l.trim()
                    .strip_prefix(key)
                    .and_then(|rest| rest.strip_prefix(':'))
                    .map(|v| v.trim().parse::<u64>().unwrap())
            })
            .unwrap_or_else(|| panic!("the profile names its {key}"));
        assert_eq!(chosen[key], number, "{profile}: {key}");
    }
    std::fs::write(bundle.join("report.yaml"), "cpu: [\n").unwrap();
    let o = upcycle(&["bundle-info", "--report", bundle.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("report.yaml"), "{}", stderr(&o));
}

/// Every file of a bundle has its mode whatever the umask: the writer gives `open` the
/// mode only where the umask masks none of its bits, and sets it explicitly elsewhere.
#[test]
fn bundle_files_have_their_modes_under_any_umask() {
    let t40 = fixtures_dir().join("ibm-thinkpad-t40/root");
    for umask in ["022", "077", "000", "027"] {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let run = Command::new("sh")
            .arg("-c")
            .arg(format!("umask {umask} && exec \"$@\""))
            .arg("sh")
            .arg(env!("CARGO_BIN_EXE_upcycle"))
            .args([
                "generate",
                t40.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
                "--today",
                "2026-11-25",
            ])
            .env("LANGUAGE", "en")
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(0), "umask {umask}: {}", stderr(&run));
        let modes = tree(&bundle_dir(&out));
        for (file, want) in [
            ("preseed.cfg", 0o600),
            ("postinstall.sh", 0o755),
            ("checklist.html", 0o644),
            ("SHA256SUMS", 0o644),
        ] {
            assert_eq!(modes[file].1, want, "umask {umask}: {file} is {:o}", modes[file].1);
        }
    }
}
