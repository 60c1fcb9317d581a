//! Pure readers of what Debian's archive publishes about its installer images: the
//! `Release` file's `SHA256` section, an images folder's `SHA256SUMS`, and what `gpgv`
//! says about a signature (its `--status-fd` lines). Tested on real files saved in
//! `tests/fixtures/installer/`.

use std::collections::BTreeMap;

/// Debian's numbered releases that have netboot installer images, with their codenames.
pub const RELEASES: [(&str, &str); 2] = [("12", "bookworm"), ("13", "trixie")];

/// The codename of a release number (`12` -> `bookworm`).
pub fn codename(release: &str) -> Option<&'static str> {
    RELEASES.iter().find(|(n, _)| *n == release).map(|(_, c)| *c)
}

/// Whether Debian builds an installer for the release and architecture: Debian 13 has
/// none for i386 ("no official kernel and no Debian installer for i386", trixie's release
/// notes).
pub fn has_installer(release: &str, arch: &str) -> bool {
    codename(release).is_some() && !(release == "13" && arch == "i386")
}

/// The path of an architecture's `SHA256SUMS` below `dists/<codename>/`, as the Release
/// file lists it.
pub fn sums_path(arch: &str) -> String {
    format!("main/installer-{arch}/current/images/SHA256SUMS")
}

/// The netboot tarball's path in `SHA256SUMS` (without its `./`).
pub const NETBOOT_TARBALL: &str = "netboot/netboot.tar.gz";

/// One file the Release file lists: its SHA-256 (lower-case hex) and size in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub sha256: String,
    pub size: u64,
}

/// The parts of a Release file that matter here.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Release {
    pub codename: String,
    pub version: String,
    pub date: String,
    /// Path below `dists/<codename>/` -> its hash and size.
    pub sha256: BTreeMap<String, Listed>,
}

/// Why a Release or SHA256SUMS text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {what}")]
pub struct ParseError {
    pub line: usize,
    pub what: &'static str,
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Read a Release file (the text gpgv verified: one deb822 paragraph). A line of the
/// `SHA256` field is ` <hash> <size> <path>`; other fields' continuation lines are skipped.
pub fn parse_release(text: &str) -> Result<Release, ParseError> {
    let mut release = Release::default();
    let mut field = String::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            break; // a Release file is one paragraph
        }
        if line.starts_with(' ') || line.starts_with('\t') {
            if field != "SHA256" {
                continue;
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            let [hash, size, path] = words[..] else {
                return Err(ParseError {
                    line: line_no,
                    what: "a SHA256 line is not `hash size path`",
                });
            };
            let size = size.parse().map_err(|_| ParseError {
                line: line_no,
                what: "a SHA256 line's size is not a number",
            })?;
            if !is_sha256(hash) {
                return Err(ParseError {
                    line: line_no,
                    what: "a SHA256 line's hash is not 64 hex digits",
                });
            }
            release.sha256.insert(
                path.to_string(),
                Listed {
                    sha256: hash.to_ascii_lowercase(),
                    size,
                },
            );
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(ParseError {
                line: line_no,
                what: "a line is neither `Field: value` nor a continuation",
            });
        };
        field = name.to_string();
        let value = value.trim().to_string();
        match name {
            "Codename" => release.codename = value,
            "Version" => release.version = value,
            "Date" => release.date = value,
            _ => {}
        }
    }
    if release.codename.is_empty() {
        return Err(ParseError {
            line: 1,
            what: "no Codename field",
        });
    }
    Ok(release)
}

/// Read an images folder's `SHA256SUMS` (`<hash>  ./<path>` per line): path (without `./`)
/// -> lower-case hash.
pub fn parse_sha256sums(text: &str) -> Result<BTreeMap<String, String>, ParseError> {
    let mut sums = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |what| ParseError { line: i + 1, what };
        let (hash, path) = line.split_once(char::is_whitespace).ok_or(bad("not `hash  path`"))?;
        let path = path.trim_start().trim_start_matches('*');
        if !is_sha256(hash) || path.is_empty() {
            return Err(bad("not `hash  path` with a 64-digit hash"));
        }
        sums.insert(
            path.strip_prefix("./").unwrap_or(path).to_string(),
            hash.to_ascii_lowercase(),
        );
    }
    Ok(sums)
}

/// What gpgv said about a signed file, read from its `--status-fd` lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// At least one good signature by a key of the keyring and no bad one (as APT judges
    /// it); the signers' names.
    Good(Vec<String>),
    /// A signature that does not match the signed text: the file was changed.
    Bad(String),
    /// No good signature by a key of the keyring (only unknown, expired or revoked keys,
    /// or no signature at all).
    Untrusted,
}

/// Judge gpgv's status lines (`[GNUPG:] GOODSIG <keyid> <name>`, `BADSIG`, `VALIDSIG`,
/// `ERRSIG`, `NO_PUBKEY`, `EXPKEYSIG`, `REVKEYSIG`). A signature by a key the keyring
/// lacks (Ubuntu 24.04's older keyring has no key of Debian 13) is no bad signature.
pub fn gpgv_verdict(status: &str) -> Verdict {
    let mut good = Vec::new();
    let mut valid = 0;
    for line in status.lines() {
        let Some(rest) = line.strip_prefix("[GNUPG:] ") else {
            continue;
        };
        let (keyword, args) = rest.split_once(' ').unwrap_or((rest, ""));
        match keyword {
            "BADSIG" => {
                let name = args.split_once(' ').map_or(args, |(_, n)| n);
                return Verdict::Bad(name.to_string());
            }
            "GOODSIG" => good.push(args.split_once(' ').map_or(args, |(_, n)| n).to_string()),
            "VALIDSIG" => valid += 1,
            _ => {}
        }
    }
    if good.is_empty() || valid == 0 {
        Verdict::Untrusted
    } else {
        Verdict::Good(good)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/installer");

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!("{FIXTURES}/{name}")).unwrap()
    }

    /// The verified text of a real InRelease: what lies between the clearsign armour
    /// lines (for the parser test only; the program reads gpgv's output).
    fn signed_text(inrelease: &str) -> String {
        let body = inrelease.split_once("\n\n").unwrap().1;
        body.split_once("\n-----BEGIN PGP SIGNATURE-----")
            .unwrap()
            .0
            .to_string()
    }

    #[test]
    fn real_release_files_list_the_installer_sums() {
        let r = parse_release(&signed_text(&fixture("bookworm/InRelease"))).unwrap();
        assert_eq!(r.codename, "bookworm");
        assert!(r.version.starts_with("12."), "{}", r.version);
        let amd64 = &r.sha256[&sums_path("amd64")];
        assert_eq!(amd64.sha256.len(), 64);
        assert_eq!(
            amd64.size,
            std::fs::metadata(format!("{FIXTURES}/bookworm/installer-amd64/SHA256SUMS"))
                .unwrap()
                .len()
        );
        assert!(r.sha256.contains_key(&sums_path("i386")));
        let t = parse_release(&signed_text(&fixture("trixie/InRelease"))).unwrap();
        assert_eq!(t.codename, "trixie");
        assert!(t.sha256.contains_key(&sums_path("amd64")));
        assert!(
            !t.sha256.contains_key(&sums_path("i386")),
            "trixie has no i386 installer"
        );
    }

    #[test]
    fn real_sha256sums_name_the_netboot_tarball_and_kernel() {
        let sums = parse_sha256sums(&fixture("bookworm/installer-amd64/SHA256SUMS")).unwrap();
        assert!(sums.contains_key(NETBOOT_TARBALL));
        assert!(sums.contains_key("netboot/debian-installer/amd64/linux"));
        assert!(sums.values().all(|h| is_sha256(h)));
    }

    #[test]
    fn garbled_files_are_refused_with_the_line() {
        let e = parse_release("Codename: x\nSHA256:\n abc 12 main/x\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(parse_release("Suite: stable\n").is_err());
        assert!(parse_sha256sums("nothash  ./x\n").is_err());
        assert!(parse_sha256sums(&format!("{}\n", "a".repeat(64))).is_err());
    }

    #[test]
    fn gpgv_status_judged_as_apt_does() {
        let good = "[GNUPG:] NEWSIG\n[GNUPG:] GOODSIG 6ED0E7B82643E131 Debian Archive Automatic Signing Key (12/bookworm) <ftpmaster@debian.org>\n[GNUPG:] VALIDSIG 4CB5 2026-07-11\n[GNUPG:] NEWSIG\n[GNUPG:] ERRSIG 78DBA3BC47EF2265 1 8 01 1795252581 9 -\n[GNUPG:] NO_PUBKEY 78DBA3BC47EF2265\n";
        assert_eq!(
            gpgv_verdict(good),
            Verdict::Good(vec![
                "Debian Archive Automatic Signing Key (12/bookworm) <ftpmaster@debian.org>".into()
            ])
        );
        let bad = "[GNUPG:] NEWSIG\n[GNUPG:] BADSIG 6ED0E7B82643E131 Debian Archive Automatic Signing Key (12/bookworm) <ftpmaster@debian.org>\n";
        assert!(matches!(gpgv_verdict(bad), Verdict::Bad(n) if n.contains("12/bookworm")));
        assert_eq!(
            gpgv_verdict("[GNUPG:] ERRSIG 78DBA3BC47EF2265 1 8 01 1795252581 9 -\n"),
            Verdict::Untrusted
        );
        assert_eq!(gpgv_verdict("[GNUPG:] EXPKEYSIG 1 old key\n"), Verdict::Untrusted);
        assert_eq!(gpgv_verdict(""), Verdict::Untrusted);
    }

    #[test]
    fn releases_and_installers() {
        assert_eq!(codename("12"), Some("bookworm"));
        assert_eq!(codename("13"), Some("trixie"));
        assert_eq!(codename("24.04"), None);
        assert!(has_installer("12", "i386") && has_installer("13", "amd64"));
        assert!(!has_installer("13", "i386"));
    }
}
