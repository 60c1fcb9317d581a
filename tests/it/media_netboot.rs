//! `media netboot`: the network-install tree built from real bundles and Debian's real
//! netboot images, checked with the real tools: `dnsmasq --test` on the generated config,
//! then dnsmasq started with that config in a private network namespace, serving the
//! boot loaders, menus, kernels and initrds over TFTP to `curl`, byte for byte.
//!
//! Needs (apt): debian-installer-12-netboot-i386, debian-installer-12-netboot-amd64 (or
//! their images in `$UPCYCLE_TEST_IMAGES`, as scripts/test.sh fetches them),
//! dnsmasq-base, curl, iproute2, util-linux (unshare); root or unprivileged user
//! namespaces for `unshare`. A missing tool fails the test with its package name.
//!
//! The amd64 bundles install Debian 13, whose images are not packaged for bookworm: the
//! test's image folder names Debian 12's amd64 images as release 13 (same layout, real
//! files), so the amd64 half of the tree is built from real files too.

use std::collections::BTreeSet;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use upcycle::report::{HardwareReport, NetworkKind};

use crate::support::{fixtures_dir, installer_images, probe_dir, stderr, stdout, upcycle};

const MAC_T40: &str = "00:1a:6b:3c:4d:5e";
const MAC_T420: &str = "00:21:cc:aa:bb:01";
const HOSTILE_MODEL: &str = "T40\nLABEL evil\n\tAPPEND $(reboot) 'x' }\nmenuentry 'evil' { exit }";

struct Fixture {
    _tmp: tempfile::TempDir,
    /// Folder holding the bundles schule-001 (i386, Debian 12, MAC_T40, hostile model),
    /// schule-002 (amd64, Debian 13, MAC_T420), schule-003 (amd64, Debian 13, only a
    /// redaction placeholder MAC) and schule-004 (Ubuntu).
    bundles: PathBuf,
    /// `12` -> Debian's images, `13/amd64/text` -> Debian 12's amd64 images.
    images: PathBuf,
    /// Where each test writes its trees (mode 0755, so dnsmasq may read below it).
    work: PathBuf,
}

fn require(path: impl AsRef<Path>, package: &str) {
    let path = path.as_ref();
    assert!(
        path.exists(),
        "{} is missing: apt-get install {package}, or run scripts/test.sh, which installs it \
         (and fetches Debian 12's images where that package does not exist: UPCYCLE_TEST_IMAGES)",
        path.display()
    );
}

/// A report of a fixture machine with its wired MAC set (fixture reports have none).
fn report_with_mac(machine: &str, mac: &str, model: Option<&str>, out: &Path) -> PathBuf {
    let mut report: HardwareReport = probe_dir(&fixtures_dir().join(machine).join("root"));
    let eth = report
        .network
        .iter_mut()
        .find(|d| d.kind == NetworkKind::Ethernet)
        .expect("the fixture has a wired card");
    eth.mac = Some(mac.to_string());
    if let Some(model) = model {
        report.machine.model = Some(model.to_string());
    }
    let path = out.join(format!("{machine}.yaml"));
    std::fs::write(&path, upcycle::yaml::to_string(&report)).unwrap();
    path
}

fn generate(input: &Path, out: &Path, number: &str, extra: &[&str]) {
    let mut args = vec![
        "generate",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--today",
        "2026-11-25",
        "--number",
        number,
    ];
    args.extend_from_slice(extra);
    let o = upcycle(&args);
    assert!(o.status.success(), "generate: {}", stderr(&o));
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let real = installer_images();
        require(
            real.join("12/i386/text/debian-installer/i386/initrd.gz"),
            "debian-installer-12-netboot-i386",
        );
        require(
            real.join("12/amd64/text/debian-installer/amd64/initrd.gz"),
            "debian-installer-12-netboot-amd64",
        );
        // The fixture lives as long as the test process (a static is never dropped), so it
        // goes below cargo's own temp folder, not /tmp, and earlier runs' are removed here:
        // each is ~270 MB of trees.
        let parent = Path::new(env!("CARGO_TARGET_TMPDIR"));
        for old in std::fs::read_dir(parent).into_iter().flatten().flatten() {
            let stale = old
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > std::time::Duration::from_secs(3600)));
            if old.file_name().to_string_lossy().starts_with("media-netboot-") && stale {
                let _ = std::fs::remove_dir_all(old.path());
            }
        }
        let tmp = tempfile::Builder::new()
            .prefix("media-netboot-")
            .tempdir_in(parent)
            .unwrap();
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let reports = tmp.path().join("reports");
        let bundles = tmp.path().join("bundles");
        std::fs::create_dir(&reports).unwrap();
        let t40 = report_with_mac("ibm-thinkpad-t40", MAC_T40, Some(HOSTILE_MODEL), &reports);
        let t420 = report_with_mac("lenovo-thinkpad-t420-battery-wear", MAC_T420, None, &reports);
        let t420_root = fixtures_dir().join("lenovo-thinkpad-t420-battery-wear/root");
        generate(&t40, &bundles, "1", &[]);
        generate(&t420, &bundles, "2", &[]);
        generate(&t420_root, &bundles, "3", &[]);
        // the same laptop with another profile, as if it were a fourth one: its own ledger
        let other = tmp.path().join("other");
        generate(&t420_root, &other, "4", &["--profile", "ubuntu-24.04-desktop"]);
        std::fs::rename(other.join("schule-004"), bundles.join("schule-004")).unwrap();

        let images = tmp.path().join("images");
        std::fs::create_dir_all(images.join("13/amd64")).unwrap();
        std::os::unix::fs::symlink(real.join("12"), images.join("12")).unwrap();
        std::os::unix::fs::symlink(real.join("12/amd64/text"), images.join("13/amd64/text")).unwrap();
        let work = tmp.path().join("work");
        std::fs::create_dir(&work).unwrap();
        std::fs::set_permissions(&work, std::fs::Permissions::from_mode(0o755)).unwrap();
        Fixture {
            bundles,
            images,
            work,
            _tmp: tmp,
        }
    })
}

/// Run `media netboot` on `bundles` (names under the fixture's folder, or the folder
/// itself when empty) into a new folder of the fixture.
fn netboot(name: &str, bundles: &[&str], extra: &[&str]) -> (PathBuf, Output) {
    let f = fixture();
    let out = f.work.join(name);
    let paths: Vec<String> = if bundles.is_empty() {
        vec![f.bundles.display().to_string()]
    } else {
        bundles
            .iter()
            .map(|b| f.bundles.join(b).display().to_string())
            .collect()
    };
    let mut args = vec!["media", "netboot"];
    args.extend(paths.iter().map(String::as_str));
    let out_s = out.display().to_string();
    let images_s = f.images.display().to_string();
    args.extend(["-o", &out_s, "--images", &images_s]);
    if !extra.contains(&"--server") {
        args.extend(["--server", "192.168.1.10"]);
    }
    args.extend_from_slice(extra);
    let o = upcycle(&args);
    (out, o)
}

/// A pxelinux config: its global lines and its LABEL blocks (keyword, rest), with
/// TEXT HELP ... ENDTEXT blocks folded into one ("TEXT", text).
#[derive(Debug)]
struct Pxelinux {
    globals: Vec<(String, String)>,
    labels: Vec<(String, Vec<(String, String)>)>,
}

fn parse_pxelinux(text: &str) -> Pxelinux {
    let mut cfg = Pxelinux {
        globals: Vec::new(),
        labels: Vec::new(),
    };
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (kw, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let kw = kw.to_ascii_uppercase();
        let rest = rest.trim().to_string();
        let pair = if kw == "TEXT" {
            let body: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "ENDTEXT").collect();
            ("TEXT".to_string(), body.join("\n"))
        } else {
            (kw.clone(), rest.clone())
        };
        if kw == "LABEL" {
            cfg.labels.push((rest, Vec::new()));
        } else if let Some((_, body)) = cfg.labels.last_mut() {
            body.push(pair);
        } else {
            cfg.globals.push(pair);
        }
    }
    cfg
}

fn get<'a>(pairs: &'a [(String, String)], kw: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == kw).map(|(_, v)| v.as_str())
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every keyword a generated pxelinux config may use: a title that broke out of its
/// line would show up as another keyword or label.
fn assert_tame_pxelinux(cfg: &Pxelinux, labels: &[&str]) {
    let global_kws = ["UI", "MENU", "PROMPT", "TIMEOUT", "DEFAULT"];
    let label_kws = ["MENU", "TEXT", "LINUX", "INITRD", "APPEND", "LOCALBOOT", "CONFIG"];
    for (k, v) in &cfg.globals {
        assert!(global_kws.contains(&k.as_str()), "unexpected global {k} {v}");
    }
    let names: Vec<&str> = cfg.labels.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, labels);
    for (name, body) in &cfg.labels {
        for (k, v) in body {
            assert!(label_kws.contains(&k.as_str()), "{name}: unexpected {k} {v}");
        }
    }
}

fn append_tokens(body: &[(String, String)]) -> Vec<String> {
    get(body, "APPEND")
        .expect("an APPEND line")
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// boot.txt's route-2 words with the server and port of the test (8080), the installer's
/// syslog to the same PC and port, then `extra`; a `name=` in `extra` replaces the route's.
fn expected_tokens(id: &str, extra: &[&str]) -> Vec<String> {
    let mut t: Vec<String> = [
        "auto=true",
        "priority=critical",
        &format!("url=http://192.168.1.10:8080/{id}/preseed.cfg"),
        "locale=de_DE.UTF-8",
        "keymap=de",
        "log_host=192.168.1.10",
        "log_port=8080",
    ]
    .iter()
    .map(|s| s.to_string())
    .filter(|w| {
        let name = w.split('=').next().unwrap();
        !extra.iter().any(|e| e.starts_with(&format!("{name}=")))
    })
    .collect();
    t.extend(extra.iter().map(|s| s.to_string()));
    t
}

fn files_under(dir: &Path) -> BTreeSet<String> {
    walk(dir, dir)
}

fn walk(root: &Path, dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let rel = p.strip_prefix(root).unwrap().display().to_string();
        if rel.ends_with("-efi") {
            out.insert(format!("{rel}/"));
        } else if p.is_dir() {
            out.extend(walk(root, &p));
        } else {
            out.insert(rel);
        }
    }
    out
}

#[test]
fn tree_layout_menus_and_boot_lines() {
    let (out, o) = netboot("tree", &[], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning: skipping schule-004"),
        "the Ubuntu bundle is skipped with a warning: {}",
        stderr(&o)
    );
    assert!(stdout(&o).contains("network install tree for 3 machines (2 start by their MAC address)"));

    let expected: BTreeSet<String> = [
        "README.txt",
        "dnsmasq.conf",
        "start.sh",
        "tftp/pxelinux.0",
        "tftp/ldlinux.c32",
        "tftp/vesamenu.c32",
        "tftp/libcom32.c32",
        "tftp/libutil.c32",
        "tftp/pxelinux.cfg/default",
        "tftp/pxelinux.cfg/01-00-1a-6b-3c-4d-5e",
        "tftp/pxelinux.cfg/01-00-21-cc-aa-bb-01",
        "tftp/debian/12/i386/linux",
        "tftp/debian/12/i386/initrd.gz",
        "tftp/debian/13/amd64/linux",
        "tftp/debian/13/amd64/initrd.gz",
        "tftp/debian-installer/amd64/bootnetx64.efi",
        "tftp/debian-installer/amd64/grubx64.efi",
        "tftp/debian-installer/amd64/grub/grub.cfg",
        "tftp/debian-installer/amd64/grub/x86_64-efi/",
        "tftp/debian-installer/i386/bootnetia32.efi",
        "tftp/debian-installer/i386/grubia32.efi",
        "tftp/debian-installer/i386/grub/grub.cfg",
        "tftp/debian-installer/i386/grub/i386-efi/",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(files_under(&out), expected);

    // Copies are Debian's files, world-readable (dnsmasq serves nothing else).
    let di = |rel: &str| installer_images().join("12").join(rel);
    for (tree, image) in [
        ("tftp/pxelinux.0", di("amd64/text/debian-installer/amd64/pxelinux.0")),
        (
            "tftp/debian/12/i386/initrd.gz",
            di("i386/text/debian-installer/i386/initrd.gz"),
        ),
        (
            "tftp/debian-installer/amd64/bootnetx64.efi",
            di("amd64/text/debian-installer/amd64/bootnetx64.efi"),
        ),
        (
            "tftp/debian-installer/i386/grub/i386-efi/linux.mod",
            di("i386/text/debian-installer/i386/grub/i386-efi/linux.mod"),
        ),
    ] {
        assert!(
            std::fs::read(out.join(tree)).unwrap() == std::fs::read(&image).unwrap(),
            "{tree}"
        );
        assert_eq!(
            std::fs::metadata(out.join(tree)).unwrap().permissions().mode() & 0o777,
            0o644
        );
    }
    // Debian's CD-layout grub.cfg in the modules folder would win over ours.
    assert!(
        !out.join("tftp/debian-installer/amd64/grub/x86_64-efi/grub.cfg")
            .exists()
    );
    assert!(
        out.join("tftp/debian-installer/amd64/grub/x86_64-efi/command.lst")
            .exists()
    );
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o755);
    assert_eq!(
        std::fs::metadata(out.join("start.sh")).unwrap().permissions().mode() & 0o777,
        0o755
    );

    // The shared menu: every Debian bundle, and the default boots the local disk.
    let menu = parse_pxelinux(&read(&out.join("tftp/pxelinux.cfg/default")));
    assert_tame_pxelinux(
        &menu,
        &[
            "local",
            "install-schule-001",
            "install-schule-002",
            "install-schule-003",
        ],
    );
    assert_eq!(get(&menu.globals, "DEFAULT"), Some("local"));
    assert_eq!(get(&menu.globals, "UI"), Some("vesamenu.c32"));
    assert_eq!(get(&menu.labels[0].1, "LOCALBOOT"), Some("0"));
    assert!(menu.labels[0].1.iter().all(|(k, _)| k != "APPEND" && k != "LINUX"));
    assert_eq!(append_tokens(&menu.labels[3].1), expected_tokens("schule-003", &[]));

    // The T40's own file: its install by default, after a countdown; the hostile model
    // name is one tame title line.
    let t40 = parse_pxelinux(&read(&out.join("tftp/pxelinux.cfg/01-00-1a-6b-3c-4d-5e")));
    assert_tame_pxelinux(&t40, &["install-schule-001", "local", "menu"]);
    assert_eq!(get(&t40.globals, "DEFAULT"), Some("install-schule-001"));
    assert_eq!(get(&t40.globals, "TIMEOUT"), Some("100"));
    let entry = &t40.labels[0].1;
    assert_eq!(get(entry, "LINUX"), Some("debian/12/i386/linux"));
    assert_eq!(get(entry, "INITRD"), Some("debian/12/i386/initrd.gz"));
    assert_eq!(append_tokens(entry), expected_tokens("schule-001", &[]));
    assert_eq!(
        get(entry, "MENU"),
        Some("LABEL upcycle schule-001 - IBM T40 LABEL evil APPEND (reboo - Debian 12 i386")
    );
    assert_eq!(get(&t40.labels[2].1, "CONFIG"), Some("pxelinux.cfg/default"));

    // UEFI amd64: only the amd64 bundles; MAC_T420 picks its entry, others stay local.
    let grub = read(&out.join("tftp/debian-installer/amd64/grub/grub.cfg"));
    let code: Vec<&str> = grub.lines().map(str::trim).filter(|l| !l.starts_with('#')).collect();
    assert_eq!(code[..2], ["set timeout=30", "set default=local"]);
    assert_eq!(
        code[2..6],
        [
            format!("if [ \"$net_default_mac\" = \"{MAC_T420}\" ]; then").as_str(),
            "set default=install-schule-002",
            "set timeout=10",
            "fi"
        ]
    );
    let entries: Vec<&str> = code.iter().copied().filter(|l| l.starts_with("menuentry ")).collect();
    assert_eq!(entries.len(), 3, "{grub}");
    assert_eq!(entries[0], "menuentry 'Boot from the local disk' --id=local {");
    assert!(entries[1].ends_with("' --id=install-schule-002 {") && entries[2].ends_with("--id=install-schule-003 {"));
    let linux: Vec<&str> = code.iter().copied().filter(|l| l.starts_with("linux ")).collect();
    let tokens: Vec<String> = linux[0].split_whitespace().skip(2).map(str::to_string).collect();
    assert_eq!(linux[0].split_whitespace().nth(1), Some("/debian/13/amd64/linux"));
    assert_eq!(tokens, expected_tokens("schule-002", &[]));
    assert_eq!(
        code.iter().filter(|l| l.contains('{')).count(),
        code.iter().filter(|l| **l == "}").count()
    );
    // UEFI i386: the T40 entry, the hostile name tamed inside single quotes.
    let grub32 = read(&out.join("tftp/debian-installer/i386/grub/grub.cfg"));
    assert!(grub32.contains(&format!(
        "if [ \"$net_default_mac\" = \"{MAC_T40}\" ]; then\n\tset default=install-schule-001\n"
    )));
    let titles: Vec<&str> = grub32.lines().filter(|l| l.starts_with("menuentry ")).collect();
    assert_eq!(titles.len(), 2);
    assert_eq!(titles[1].matches('\'').count(), 2, "{}", titles[1]);

    // dnsmasq accepts the config.
    let conf = read(&out.join("dnsmasq.conf"));
    assert!(conf.contains(&format!("tftp-root={}/tftp\n", out.display())));
    assert!(conf.contains("\ndhcp-range=192.168.1.0,proxy,255.255.255.0\n") && conf.contains("\nport=0\n"));
    let test = Command::new(dnsmasq())
        .args(["--test", &format!("--conf-file={}", out.join("dnsmasq.conf").display())])
        .output()
        .unwrap();
    assert!(test.status.success(), "dnsmasq --test: {}", stderr(&test));
    let sh = Command::new("sh").arg("-n").arg(out.join("start.sh")).output().unwrap();
    assert!(sh.status.success(), "{}", stderr(&sh));
    let check = Command::new("shellcheck")
        .args(["-s", "sh"])
        .arg(out.join("start.sh"))
        .output()
        .expect("shellcheck runs (apt-get install shellcheck)");
    assert!(check.status.success(), "shellcheck start.sh: {}", stdout(&check));
}

fn dnsmasq() -> &'static str {
    require("/usr/sbin/dnsmasq", "dnsmasq-base");
    "/usr/sbin/dnsmasq"
}

/// Start dnsmasq with the tree's own config in a new network namespace (only `lo`) and
/// fetch `paths` over TFTP with curl; returns the fetched files' bytes.
fn tftp_fetch(tree: &Path, paths: &[&str]) -> Vec<Vec<u8>> {
    require("/usr/bin/curl", "curl");
    let dnsmasq = dnsmasq();
    let got = tempfile::tempdir().unwrap();
    let mut script = format!(
        "set -e\nip link set lo up\n\
         {dnsmasq} --no-daemon --conf-file={conf} --log-facility=- --pid-file= &\n\
         pid=$!\ntrap 'kill $pid' EXIT\n\
         for _ in $(seq 50); do ss -lun 2>/dev/null | grep -q ':69 ' && break; sleep 0.1; done\n",
        conf = tree.join("dnsmasq.conf").display(),
    );
    for (i, p) in paths.iter().enumerate() {
        script.push_str(&format!(
            "curl -sS --tftp-blksize 1468 -o {}/{i} tftp://127.0.0.1/{p}\n",
            got.path().display()
        ));
    }
    // As root a network namespace needs nothing more; otherwise a user namespace too.
    let userns: &[&str] = if nix_is_root() { &[] } else { &["-r"] };
    let o = Command::new("unshare")
        .args(userns)
        .args(["-n", "sh", "-c", &script])
        .output()
        .expect("unshare (util-linux) runs");
    assert!(
        o.status.success(),
        "TFTP fetch in a network namespace failed (needs root or user namespaces, iproute2, curl):\n{}{}",
        stdout(&o),
        stderr(&o)
    );
    (0..paths.len())
        .map(|i| std::fs::read(got.path().join(i.to_string())).unwrap())
        .collect()
}

fn nix_is_root() -> bool {
    let o = Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&o.stdout).trim() == "0"
}

#[test]
fn dnsmasq_serves_the_tree_over_tftp() {
    let (out, o) = netboot("tftp", &["schule-001", "schule-002"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    // What a BIOS laptop with MAC_T40 fetches, in order, then a UEFI one with MAC_T420.
    let paths = [
        "pxelinux.0",
        "ldlinux.c32",
        "pxelinux.cfg/01-00-1a-6b-3c-4d-5e",
        "vesamenu.c32",
        "libcom32.c32",
        "libutil.c32",
        "debian/12/i386/linux",
        "debian/12/i386/initrd.gz",
        "debian-installer/amd64/bootnetx64.efi",
        "debian-installer/amd64/grubx64.efi",
        "debian-installer/amd64/grub/grub.cfg",
        "debian/13/amd64/linux",
    ];
    let fetched = tftp_fetch(&out, &paths);
    for (path, bytes) in paths.iter().zip(&fetched) {
        let want = std::fs::read(out.join("tftp").join(path)).unwrap();
        assert!(
            bytes == &want,
            "{path}: {} bytes over TFTP, {} in the tree",
            bytes.len(),
            want.len()
        );
    }
    // The paths the menus name are the ones that exist (fetched above).
    let t40 = parse_pxelinux(&String::from_utf8_lossy(&fetched[2]));
    assert_eq!(get(&t40.labels[0].1, "LINUX"), Some(paths[6]));
    assert_eq!(get(&t40.labels[0].1, "INITRD"), Some(paths[7]));
    assert!(String::from_utf8_lossy(&fetched[10]).contains(&format!("linux /{} ", paths[11])));
}

#[test]
fn append_and_subnet() {
    let (out, o) = netboot(
        "append",
        &["schule-001"],
        &[
            "--append",
            "nomodeset log_host=10.0.2.2",
            "--subnet",
            "192.168.0.0/16",
            "--http-port",
            "80",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let t40 = parse_pxelinux(&read(&out.join("tftp/pxelinux.cfg/01-00-1a-6b-3c-4d-5e")));
    let mut want = expected_tokens("schule-001", &["nomodeset", "log_host=10.0.2.2"]);
    want[2] = "url=http://192.168.1.10:80/schule-001/preseed.cfg".into();
    want[5] = "log_port=80".into();
    assert_eq!(append_tokens(&t40.labels[0].1), want);
    assert!(read(&out.join("dnsmasq.conf")).contains("\ndhcp-range=192.168.0.0,proxy,255.255.0.0\n"));
    // i386 only: no amd64 files, no 64-bit UEFI service
    assert!(!out.join("tftp/debian-installer/amd64").exists());
    assert!(!read(&out.join("dnsmasq.conf")).contains("x86-64_EFI"));

    let (_, o) = netboot("append-bad", &["schule-001"], &["--append", "$(reboot)"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--append: \"$(reboot)\" cannot go on a boot line"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn errors_and_exit_codes() {
    // Not an IPv4 address: usage error.
    let (_, o) = netboot("bad-server", &["schule-001"], &["--server", "workshop.local"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--server 'workshop.local' is not an IPv4 address"),
        "{}",
        stderr(&o)
    );
    let (_, o) = netboot("bad-subnet", &["schule-001"], &["--subnet", "10.0.0.0/8"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));

    // Only Ubuntu: bad input, saying why.
    let (out, o) = netboot("ubuntu", &["schule-004"], &[]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("schule-004: a network install needs a Debian bundle"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());

    // Missing images: bad input naming the package.
    let f = fixture();
    let empty = tempfile::tempdir().unwrap();
    let out = f.work.join("no-images");
    let o = upcycle(&[
        "media",
        "netboot",
        f.bundles.join("schule-001").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--server",
        "192.168.1.10",
        "--images",
        empty.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("apt install debian-installer-12-netboot-i386"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());

    // Existing output: 4, then --force replaces it. In a folder of its own: the other
    // tests' trees are being written beside f.work's entries at the same time.
    let own = f.work.join("exists-here");
    std::fs::create_dir(&own).unwrap();
    std::fs::set_permissions(&own, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (out, o) = netboot("exists-here/exists", &["schule-001"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(out.join("stale"), "x").unwrap();
    let (_, o) = netboot("exists-here/exists", &["schule-001"], &[]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(out.join("stale").exists());
    let (_, o) = netboot("exists-here/exists", &["schule-001"], &["--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.join("stale").exists() && out.join("tftp/pxelinux.0").exists());
    let leftovers: Vec<_> = std::fs::read_dir(&own)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".upcycle-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Every generated text file of two trees, byte for byte, from `netboot::plan` with fixed
/// inputs: two bundles (i386 Debian 12 with `forcepae` and a hostile model, amd64 Debian 13)
/// with MACs and `--append`; and a menu-only bundle under a path with spaces and no
/// common serve folder. Guards the move of the texts into templates.
#[test]
fn media_netboot_text_files_snapshot() {
    use sha2::Digest;
    use std::net::Ipv4Addr;
    use upcycle::catalog::{Arch, Family, InstallerFormat};
    use upcycle::media::netboot::{self, GrubModules, NetbootBundle, NetbootInput, Subnet};
    use upcycle::media::{BundleInfo, InstallerImages};
    use upcycle::token::KernelParam;

    let params = |v: &[&str]| -> Vec<KernelParam> { v.iter().map(|s| KernelParam::new(*s).unwrap()).collect() };
    let bundle = |id: &str, arch: Arch, release: &str, macs: &[&str], boot: &[&str], model: &str| NetbootBundle {
        info: BundleInfo {
            dir: PathBuf::from(format!("/srv/room/{id}")),
            asset_id: id.into(),
            family: Family::Debian,
            installer: InstallerFormat::Preseed,
            release: release.into(),
            codename: if release == "12" { "bookworm" } else { "trixie" }.into(),
            arch,
            boot_params: params(boot),
            ethernet_macs: macs.iter().map(|s| s.to_string()).collect(),
            model: model.into(),
            erase_before_install: false,
        },
        locale: "de_DE.UTF-8".into(),
        keymap: "de".into(),
    };
    let images = |release: &str, arch: Arch| InstallerImages {
        text_dir: PathBuf::from(format!("/img/{release}/{}/text", arch.as_str())),
        release: release.into(),
        arch,
    };
    let server = Ipv4Addr::new(192, 168, 1, 10);
    let append = params(&["nomodeset", "log_host=10.0.2.2"]);
    let two = [
        bundle("schule-001", Arch::I386, "12", &[MAC_T40], &["forcepae"], HOSTILE_MODEL),
        bundle(
            "schule-002",
            Arch::Amd64,
            "13",
            &[MAC_T420],
            &[],
            "LENOVO ThinkPad T420 (4236AB1)",
        ),
    ];
    let two_images = [images("12", Arch::I386), images("13", Arch::Amd64)];
    let one = [bundle("schule-003", Arch::Amd64, "13", &[], &[], "")];
    let one_images = [images("13", Arch::Amd64)];
    let no_modules = GrubModules::new();
    let no_upcycle = std::collections::BTreeMap::new();
    let cases = [
        (
            "two",
            NetbootInput {
                bundles: &two,
                images: &two_images,
                server,
                http_port: 8080,
                subnet: Subnet::around(server, 24),
                tftp_root: "/srv/netboot/tftp".into(),
                append: &append,
                serve_dir: Some("/srv/room".into()),
                grub_modules: &no_modules,
                upcycle: &no_upcycle,
                lang: upcycle::l10n::Lang::En,
            },
        ),
        (
            "spaces",
            NetbootInput {
                bundles: &one,
                images: &one_images,
                server,
                http_port: 80,
                subnet: Subnet::parse("192.168.0.0/16").unwrap(),
                tftp_root: "/media/USB STICK/net boot/tftp".into(),
                append: &[],
                serve_dir: None,
                grub_modules: &no_modules,
                upcycle: &no_upcycle,
                lang: upcycle::l10n::Lang::En,
            },
        ),
    ];
    for (case, input) in &cases {
        let files = netboot::plan(input).unwrap();
        let mut texts: Vec<(&str, &str)> = files
            .iter()
            .filter_map(|f| Some((f.path.as_str(), f.text()?)))
            .collect();
        texts.sort();
        // insta trims the ends of a snapshot: the digests hold every byte
        let digests: Vec<String> = texts
            .iter()
            .map(|(p, t)| {
                let hex: String = sha2::Sha256::digest(t.as_bytes())
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                format!("{hex}  {p}")
            })
            .collect();
        insta::assert_snapshot!(format!("netboot-{case}-files"), digests.join("\n"));
        for (path, text) in texts {
            insta::assert_snapshot!(format!("netboot-{case}-{}", path.replace('/', "_")), text);
        }
    }
}
