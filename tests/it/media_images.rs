//! `upcycle media images` with the real binary: the stand-in archive of
//! `tests/fixtures/installer/test-archive` (and Debian's real InRelease files) served
//! through a local HTTP proxy thread, so every check is driven offline: a good run, a
//! second run that downloads nothing, a changed byte at each link of the chain, a
//! damaged cache entry, the network gone, gpgv or the keyring missing; then `media usb`
//! and `media netboot` from the cache. One test asks the real archive, and says why it
//! skips when deb.debian.org cannot be reached.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::{fixtures_dir, generate, stderr, stdout, upcycle, upcycle_env};

fn installer_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/installer")
}

/// The stand-in archive's files by URL path (`/debian/dists/...`).
fn test_archive() -> BTreeMap<String, Vec<u8>> {
    archive_files("test-archive")
}

/// `test-archive` or `test-archive-newer` (a point release later, the same key).
fn archive_files(name: &str) -> BTreeMap<String, Vec<u8>> {
    let root = installer_fixtures().join(name);
    walkdir::WalkDir::new(root.join("debian"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(&root).unwrap().to_str().unwrap().to_string();
            (format!("/{rel}"), std::fs::read(e.path()).unwrap())
        })
        .collect()
}

const INRELEASE: &str = "/debian/dists/trixie/InRelease";
const SUMS: &str = "/debian/dists/trixie/main/installer-amd64/current/images/SHA256SUMS";
const TARBALL: &str = "/debian/dists/trixie/main/installer-amd64/current/images/netboot/netboot.tar.gz";

/// An HTTP proxy for `http://deb.debian.org/...` that serves `files` and logs each path asked.
struct Mirror {
    port: u16,
    files: Arc<Mutex<BTreeMap<String, Vec<u8>>>>,
    asked: Arc<Mutex<Vec<String>>>,
}

impl Mirror {
    fn start(files: BTreeMap<String, Vec<u8>>) -> Mirror {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let files = Arc::new(Mutex::new(files));
        let asked = Arc::new(Mutex::new(Vec::new()));
        let (f, a) = (files.clone(), asked.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (f, a) = (f.clone(), a.clone());
                std::thread::spawn(move || answer(stream, &f, &a));
            }
        });
        Mirror { port, files, asked }
    }

    fn change(&self, path: &str, edit: impl FnOnce(&mut Vec<u8>)) {
        edit(self.files.lock().unwrap().get_mut(path).unwrap());
    }

    fn asked(&self) -> Vec<String> {
        std::mem::take(&mut *self.asked.lock().unwrap())
    }

    /// A workshop file whose proxy is this server.
    fn workshop(&self, dir: &Path) -> PathBuf {
        let path = dir.join(format!("workshop-{}.yaml", self.port));
        let text = include_str!("../../data/workshop-default.yaml")
            .replace("proxy: null", &format!("proxy: \"http://127.0.0.1:{}/\"", self.port));
        std::fs::write(&path, text).unwrap();
        path
    }
}

fn answer(stream: TcpStream, files: &Mutex<BTreeMap<String, Vec<u8>>>, asked: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap() == 0 || header == "\r\n" {
            break;
        }
    }
    let target = line.split_whitespace().nth(1).unwrap_or("");
    let path = target
        .strip_prefix("http://deb.debian.org")
        .unwrap_or(target)
        .to_string();
    asked.lock().unwrap().push(path.clone());
    let body = files.lock().unwrap().get(&path).cloned();
    let mut out = stream;
    let _ = match body {
        Some(body) => out
            .write_all(
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                )
                .as_bytes(),
            )
            .and_then(|_| out.write_all(&body)),
        None => out.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
    };
}

fn keyring() -> String {
    installer_fixtures()
        .join("test-archive/keyring.gpg")
        .display()
        .to_string()
}

/// `media images --release 13 --arch amd64` through `mirror` into `cache`, with `keyring`.
fn fetch(mirror: &Mirror, cache: &Path, keyring: &str) -> Output {
    let workshop = mirror.workshop(cache.parent().unwrap());
    upcycle(&[
        "media",
        "images",
        "--release",
        "13",
        "--arch",
        "amd64",
        "--cache",
        cache.to_str().unwrap(),
        "--workshop",
        workshop.to_str().unwrap(),
        "--keyring",
        keyring,
    ])
}

fn entry(cache: &Path) -> PathBuf {
    cache.join("13/amd64")
}

/// Nothing in the cache's release folder but (maybe) the finished entry: no temp left.
fn only_entry(cache: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(cache.join("13"))
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn fetches_checks_and_caches_and_a_second_run_downloads_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let mirror = Mirror::start(test_archive());
    let run = fetch(&mirror, &cache, &keyring());
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(mirror.asked(), [INRELEASE, SUMS, TARBALL]);
    assert!(
        stdout(&run).contains("installer 20250803+deb13u99 (test archive) (release 13.99) downloaded and checked"),
        "{}",
        stdout(&run)
    );
    let text = entry(&cache).join("text");
    assert_eq!(
        std::fs::read(text.join("debian-installer/amd64/linux")).unwrap(),
        b"kernel"
    );
    assert_eq!(
        std::fs::read_link(text.join("pxelinux.0")).unwrap(),
        Path::new("debian-installer/amd64/pxelinux.0")
    );
    for name in ["InRelease", "Release", "SHA256SUMS", "upcycle-files.sha256"] {
        assert!(entry(&cache).join(name).is_file(), "{name}");
    }
    assert!(
        !entry(&cache).join("netboot.tar.gz").exists(),
        "the tarball is not kept"
    );
    assert_eq!(only_entry(&cache), ["amd64"]);

    // Again: the signed Release names the same SHA256SUMS, so only it is asked for.
    let again = fetch(&mirror, &cache, &keyring());
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(mirror.asked(), [INRELEASE]);
    assert!(stdout(&again).contains("is current and checked"), "{}", stdout(&again));
}

#[test]
fn a_changed_byte_anywhere_in_the_chain_is_refused_and_nothing_is_kept() {
    let flip = |at: usize| move |b: &mut Vec<u8>| b[at] ^= 0x01;
    // (what is changed, exit code, words of the error)
    let cases: [(&str, usize, i32, &str); 3] = [
        (INRELEASE, 120, 14, "BAD signature"),
        (SUMS, 10, 15, "SHA-256"),
        (TARBALL, 200, 15, "SHA-256"),
    ];
    for (path, at, code, words) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let cache = tmp.path().join("cache");
        let mirror = Mirror::start(test_archive());
        mirror.change(path, flip(at));
        let run = fetch(&mirror, &cache, &keyring());
        assert_eq!(run.status.code(), Some(code), "{path}: {}", stderr(&run));
        assert!(stderr(&run).contains(words), "{path}: {}", stderr(&run));
        assert!(!entry(&cache).exists(), "{path}: no entry after a refusal");
        assert!(only_entry(&cache).is_empty(), "{path}: {:?}", only_entry(&cache));
    }
}

#[test]
fn debians_own_files_a_changed_release_and_a_stale_sha256sums_are_refused() {
    let real = |name: &str| std::fs::read(installer_fixtures().join(name)).unwrap();
    let debian_keyring = "/usr/share/keyrings/debian-archive-keyring.gpg";
    if !Path::new(debian_keyring).is_file() {
        eprintln!("skipped: {debian_keyring} is missing (package debian-archive-keyring)");
        return;
    }
    // Debian's real InRelease with `Version: 13.8` changed to 13.9: a BAD signature.
    let tmp = tempfile::tempdir().unwrap();
    let mut files = BTreeMap::new();
    let mut changed = real("trixie/InRelease");
    let at = changed.windows(13).position(|w| w == b"Version: 13.8").unwrap();
    changed[at + 12] = b'9';
    files.insert(INRELEASE.to_string(), changed);
    files.insert(SUMS.to_string(), real("trixie/installer-amd64/SHA256SUMS"));
    let mirror = Mirror::start(files);
    let run = fetch(&mirror, &tmp.path().join("cache"), debian_keyring);
    assert_eq!(run.status.code(), Some(14), "{}", stderr(&run));
    assert!(stderr(&run).contains("BAD signature"), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("Debian Archive Automatic Signing Key"),
        "{}",
        stderr(&run)
    );
    // Unchanged, it verifies; the SHA256SUMS that mirror served that day did not match it.
    mirror.change(INRELEASE, |b| *b = real("trixie/InRelease"));
    let run = fetch(&mirror, &tmp.path().join("cache"), debian_keyring);
    assert_eq!(run.status.code(), Some(15), "{}", stderr(&run));
    assert!(stderr(&run).contains("cf5f674acf58a239e6273527cf61aa863e31e5444b048ae6a9ba3dc69a15c4c1"));
    // Signed by keys the keyring lacks: no good signature (14), not a bad one.
    let run = fetch(&mirror, &tmp.path().join("cache"), &keyring());
    assert_eq!(run.status.code(), Some(14), "{}", stderr(&run));
    assert!(stderr(&run).contains("no good signature"), "{}", stderr(&run));
}

#[test]
fn a_damaged_cache_entry_is_never_used_and_fetched_again() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let mirror = Mirror::start(test_archive());
    assert!(fetch(&mirror, &cache, &keyring()).status.success());
    mirror.asked();
    let kernel = entry(&cache).join("text/debian-installer/amd64/linux");
    std::fs::write(&kernel, "kernex").unwrap();

    // media usb refuses it (unless the system has Debian's package for 13 amd64).
    let bundle = t420_bundle(tmp.path());
    let stick = tmp.path().join("stick");
    let usb = media_usb(&bundle, &stick, &cache);
    if !Path::new("/usr/lib/debian-installer/images/13/amd64/text").is_dir() {
        assert_eq!(usb.status.code(), Some(3), "{}", stderr(&usb));
        assert!(stderr(&usb).contains("are damaged and not used"), "{}", stderr(&usb));
        assert!(
            stderr(&usb).contains("upcycle media images --release 13 --arch amd64"),
            "{}",
            stderr(&usb)
        );
        assert!(!stick.exists());
    }

    // media images sees it, says so and fetches it again.
    let run = fetch(&mirror, &cache, &keyring());
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(stderr(&run).contains("was damaged"), "{}", stderr(&run));
    assert!(stderr(&run).contains("linux"), "{}", stderr(&run));
    assert_eq!(mirror.asked(), [INRELEASE, SUMS, TARBALL]);
    assert_eq!(std::fs::read(&kernel).unwrap(), b"kernel");
    // A file added by hand is no part of Debian's images either.
    std::fs::write(entry(&cache).join("text/extra"), "x").unwrap();
    let run = fetch(&mirror, &cache, &keyring());
    assert!(stderr(&run).contains("not listed"), "{}", stderr(&run));
    assert!(!entry(&cache).join("text/extra").exists());
}

#[test]
fn a_point_release_replaces_the_cache_and_a_failed_download_keeps_the_checked_one() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let mirror = Mirror::start(test_archive());
    assert!(fetch(&mirror, &cache, &keyring()).status.success());
    mirror.asked();
    // The mirror moves on, but its images cannot be downloaded: the old ones stay.
    let mut newer = archive_files("test-archive-newer");
    newer.remove(TARBALL);
    *mirror.files.lock().unwrap() = newer;
    let run = fetch(&mirror, &cache, &keyring());
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(stderr(&run).contains("HTTP 404"), "{}", stderr(&run));
    assert!(stdout(&run).contains("(release 13.99), checked"), "{}", stdout(&run));
    // Now they can: replaced, said why.
    *mirror.files.lock().unwrap() = archive_files("test-archive-newer");
    let run = fetch(&mirror, &cache, &keyring());
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("the mirror has newer images than those of release 13.99"),
        "{}",
        stderr(&run)
    );
    assert!(
        stdout(&run).contains("installer 20250803+deb13u100 (test archive) (release 13.100) downloaded"),
        "{}",
        stdout(&run)
    );
    assert_eq!(only_entry(&cache), ["amd64"]);
}

#[test]
fn no_network_is_exit_13_unless_the_cache_has_them() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    // A proxy that is not there: connection refused.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let gone = Mirror {
        port,
        files: Default::default(),
        asked: Default::default(),
    };
    let run = fetch(&gone, &cache, &keyring());
    assert_eq!(run.status.code(), Some(13), "{}", stderr(&run));
    assert!(stderr(&run).contains("cannot reach http://deb.debian.org/debian/dists/trixie/InRelease"));
    // A 404 from the mirror (one without installer images) is the network's kind too.
    let empty = Mirror::start(BTreeMap::new());
    let run = fetch(&empty, &cache, &keyring());
    assert_eq!(run.status.code(), Some(13), "{}", stderr(&run));
    assert!(stderr(&run).contains("HTTP 404"), "{}", stderr(&run));

    let mirror = Mirror::start(test_archive());
    assert!(fetch(&mirror, &cache, &keyring()).status.success());
    let run = fetch(&gone, &cache, &keyring());
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("the checked images in the cache stay in use"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn missing_gpgv_or_keyring_is_exit_16_naming_the_package() {
    let tmp = tempfile::tempdir().unwrap();
    let mirror = Mirror::start(test_archive());
    let run = fetch(
        &mirror,
        &tmp.path().join("cache"),
        "/nonexistent/debian-archive-keyring.gpg",
    );
    assert_eq!(run.status.code(), Some(16), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("apt install debian-archive-keyring"),
        "{}",
        stderr(&run)
    );
    assert!(mirror.asked().is_empty(), "nothing is fetched without the tools");

    // A PATH without gpgv (curl only), then one without either.
    let workshop = mirror.workshop(tmp.path());
    let cache = tmp.path().join("cache");
    let bin = tmp.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let curl = ["/usr/bin/curl", "/bin/curl"]
        .into_iter()
        .find(|p| Path::new(p).exists());
    let args = [
        "media",
        "images",
        "--release",
        "13",
        "--arch",
        "amd64",
        "--cache",
        cache.to_str().unwrap(),
        "--workshop",
        workshop.to_str().unwrap(),
        "--keyring",
        &keyring(),
    ];
    if let Some(curl) = curl {
        std::os::unix::fs::symlink(curl, bin.join("curl")).unwrap();
        let run = upcycle_env(&[("LANGUAGE", "de"), ("PATH", bin.to_str().unwrap())], &args);
        assert_eq!(run.status.code(), Some(16), "{}", stderr(&run));
        assert!(
            stderr(&run).contains("gpgv fehlt: das Paket gpgv installieren"),
            "{}",
            stderr(&run)
        );
        std::fs::remove_file(bin.join("curl")).unwrap();
    }
    let run = upcycle_env(&[("LANGUAGE", "de"), ("PATH", bin.to_str().unwrap())], &args);
    assert_eq!(run.status.code(), Some(16), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("curl fehlt: das Paket curl installieren"),
        "{}",
        stderr(&run)
    );
    assert!(mirror.asked().is_empty());
}

#[test]
fn debian_13_has_no_i386_installer() {
    let run = upcycle(&["media", "images", "--release", "13", "--arch", "i386"]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(stderr(&run).contains("Debian 13 has no installer for i386"));
    // `--arch i386` alone means Debian 12's (here: no proxy there, so the network's 13)
    let tmp = tempfile::tempdir().unwrap();
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let workshop = tmp.path().join("w.yaml");
    std::fs::write(
        &workshop,
        include_str!("../../data/workshop-default.yaml")
            .replace("proxy: null", &format!("proxy: \"http://127.0.0.1:{port}/\"")),
    )
    .unwrap();
    let run = upcycle(&[
        "media",
        "images",
        "--arch",
        "i386",
        "--cache",
        tmp.path().join("c").to_str().unwrap(),
        "--workshop",
        workshop.to_str().unwrap(),
        "--keyring",
        &keyring(),
    ]);
    assert_eq!(run.status.code(), Some(13), "{}", stderr(&run));
    assert!(stderr(&run).contains("Debian 12 i386"), "{}", stderr(&run));
}

fn t420_bundle(dir: &Path) -> PathBuf {
    let out = dir.join("bundles");
    let root = fixtures_dir().join("lenovo-thinkpad-t420-battery-wear/root");
    let run = generate(&root, &out, &[]);
    assert!(run.status.success(), "{}", stderr(&run));
    let bundle = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir())
        .unwrap();
    let selection = std::fs::read_to_string(bundle.join("selection.yaml")).unwrap();
    assert!(selection.contains("codename: trixie"), "a Debian 13 amd64 bundle");
    bundle
}

fn media_usb(bundle: &Path, stick: &Path, cache: &Path) -> Output {
    upcycle(&[
        "media",
        "usb",
        bundle.to_str().unwrap(),
        "-o",
        stick.to_str().unwrap(),
        "--cache",
        cache.to_str().unwrap(),
    ])
}

#[test]
fn media_usb_and_netboot_take_the_images_from_the_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let bundle = t420_bundle(tmp.path());

    // Neither the cache nor (here) the package: the volunteer is told the command.
    if !Path::new("/usr/lib/debian-installer/images/13/amd64/text").is_dir() {
        let run = upcycle_env(
            &[("LANGUAGE", "de")],
            &[
                "media",
                "usb",
                bundle.to_str().unwrap(),
                "-o",
                tmp.path().join("s0").to_str().unwrap(),
                "--cache",
                cache.to_str().unwrap(),
            ],
        );
        assert_eq!(run.status.code(), Some(3), "{}", stderr(&run));
        assert!(
            stderr(&run).contains("Keine Installationsabbilder für Debian 13 amd64: `upcycle media images --release 13 --arch amd64` ausführen"),
            "{}",
            stderr(&run)
        );
    }

    let mirror = Mirror::start(test_archive());
    assert!(fetch(&mirror, &cache, &keyring()).status.success());
    let stick = tmp.path().join("stick");
    let run = media_usb(&bundle, &stick, &cache);
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(
        std::fs::read(stick.join("EFI/BOOT/BOOTX64.EFI")).unwrap(),
        b"signed shim"
    );
    assert_eq!(std::fs::read(stick.join("linux")).unwrap(), b"kernel");
    let readme = std::fs::read_to_string(stick.join("README.txt")).unwrap();
    assert!(readme.contains("20250803+deb13u99 (test archive)"), "{readme}");

    let tree = tmp.path().join("netboot");
    let run = upcycle(&[
        "media",
        "netboot",
        bundle.to_str().unwrap(),
        "-o",
        tree.to_str().unwrap(),
        "--server",
        "192.168.1.10",
        "--cache",
        cache.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(
        std::fs::read(tree.join("tftp/debian-installer/amd64/bootnetx64.efi")).unwrap(),
        b"signed shim"
    );
    assert_eq!(std::fs::read(tree.join("tftp/pxelinux.0")).unwrap(), b"pxelinux");
}

/// Whether deb.debian.org answers on port 80 (directly, or the `http_proxy` does), as the
/// one online test needs; `UPCYCLE_OFFLINE=1` says no without trying.
fn archive_reachable() -> Result<(), String> {
    if std::env::var_os("UPCYCLE_OFFLINE").is_some_and(|v| v == "1") {
        return Err("UPCYCLE_OFFLINE=1".into());
    }
    let host = std::env::var("http_proxy")
        .ok()
        .and_then(|p| {
            let rest = p.strip_prefix("http://")?.trim_end_matches('/').to_string();
            Some(if rest.contains(':') { rest } else { format!("{rest}:80") })
        })
        .unwrap_or_else(|| "deb.debian.org:80".into());
    let addr = host
        .to_socket_addrs()
        .map_err(|e| format!("{host}: {e}"))?
        .next()
        .ok_or_else(|| format!("{host}: no address"))?;
    TcpStream::connect_timeout(&addr, Duration::from_secs(5))
        .map(drop)
        .map_err(|e| format!("{host}: {e}"))
}

/// Debian 12 amd64 from the real archive with Debian's keyring: the whole chain, or, on a
/// mirror that serves the signed indexes but not the images (this project's build machine
/// answers 404 for them, as for udebs: tests/fixtures/installer/README.md), the 404 of
/// netboot.tar.gz, which is asked for only after InRelease's signature and SHA256SUMS's
/// hash were checked.
#[test]
fn the_real_archive_when_it_can_be_reached() {
    if let Err(why) = archive_reachable() {
        eprintln!("skipped: the real archive cannot be reached ({why})");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let run = upcycle(&[
        "media",
        "images",
        "--release",
        "12",
        "--arch",
        "amd64",
        "--cache",
        cache.to_str().unwrap(),
    ]);
    match run.status.code() {
        Some(0) => {
            let text = cache.join("12/amd64/text");
            assert!(text.join("debian-installer/amd64/linux").is_file());
            assert!(text.join("debian-installer/amd64/grubx64.efi").is_file());
            assert!(stdout(&run).contains("downloaded and checked"), "{}", stdout(&run));
        }
        Some(13) if stderr(&run).contains("netboot/netboot.tar.gz: the mirror answers HTTP 404") => {
            eprintln!(
                "the mirror checked out (InRelease signed, SHA256SUMS matching) but serves no installer images: {}",
                stderr(&run).trim()
            );
            assert!(!cache.join("12/amd64").exists());
        }
        other => panic!("exit {other:?}: {}", stderr(&run)),
    }
}

/// Every text `media images` and the media commands' new errors show, in German and in
/// English, free of the other language's words (the detector of `l10n_paths.rs`; paths,
/// URLs and gpgv's signer names cut out first, as names are there).
#[test]
fn every_text_is_in_the_language_asked_for() {
    use crate::l10n::{ENGLISH, GERMAN, foreign, words_of};
    let tmp = tempfile::tempdir().unwrap();
    let bundle = t420_bundle(tmp.path());
    for (lang, other) in [("de", ENGLISH), ("en", GERMAN)] {
        let dir = tmp.path().join(lang);
        std::fs::create_dir(&dir).unwrap();
        let cache = dir.join("cache");
        let mirror = Mirror::start(test_archive());
        let workshop = mirror.workshop(&dir);
        let run = |extra: &[&str]| {
            let mut args = vec![
                "media",
                "images",
                "--release",
                "13",
                "--arch",
                "amd64",
                "--cache",
                cache.to_str().unwrap(),
            ];
            let k = keyring();
            if !extra.contains(&"--keyring") {
                args.extend(["--keyring", k.as_str()]);
            }
            args.extend_from_slice(extra);
            let o = upcycle_env(&[("LANGUAGE", lang)], &args);
            format!("{}{}", stdout(&o), stderr(&o))
        };
        let w = ["--workshop", workshop.to_str().unwrap()];
        let mut texts = vec![
            run(&["--help"]),
            run(&w),
            run(&w),
            run(&[
                "--workshop",
                Mirror::start(BTreeMap::new()).workshop(&dir).to_str().unwrap(),
            ]),
        ];
        std::fs::write(cache.join("13/amd64/text/extra"), "x").unwrap();
        let usb = upcycle_env(
            &[("LANGUAGE", lang)],
            &[
                "media",
                "usb",
                bundle.to_str().unwrap(),
                "-o",
                dir.join("stick").to_str().unwrap(),
                "--cache",
                cache.to_str().unwrap(),
            ],
        );
        texts.push(stderr(&usb));
        texts.push(run(&w));
        mirror.change(TARBALL, |b| b[100] ^= 1);
        mirror.change(INRELEASE, |b| b[120] ^= 1);
        std::fs::remove_dir_all(&cache).unwrap();
        texts.push(run(&w));
        mirror.change(INRELEASE, |b| b[120] ^= 1);
        texts.push(run(&w));
        texts.push(run(&["--keyring", "/nonexistent.gpg"]));
        let no_images = upcycle_env(
            &[("LANGUAGE", lang)],
            &[
                "media",
                "usb",
                bundle.to_str().unwrap(),
                "-o",
                dir.join("stick").to_str().unwrap(),
                "--cache",
                dir.join("empty").to_str().unwrap(),
            ],
        );
        texts.push(stderr(&no_images));
        texts.push(stderr(&upcycle_env(
            &[("LANGUAGE", lang)],
            &["media", "images", "--release", "13", "--arch", "i386"],
        )));
        for text in texts {
            // names: paths, URLs, hashes and the signers' names
            let shown: String = text
                .split_whitespace()
                .filter(|w| !w.contains('/') && !w.contains("http") && w.len() < 40)
                .collect::<Vec<_>>()
                .join(" ")
                .replace("upcycle test archive (tests only)", " ");
            let mut words = foreign(&shown, other, &Default::default());
            if lang == "en" {
                words.extend(
                    words_of(&shown)
                        .into_iter()
                        .filter(|w| w.contains(['ä', 'ö', 'ü', 'ß'])),
                );
            }
            assert!(words.is_empty(), "{lang}: {words:?} in\n{text}");
        }
    }
}
