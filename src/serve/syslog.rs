//! The installers' syslog, pure: what one UDP datagram says ([`parse`]), which install
//! stage a line marks ([`stage_of`]), and who may send at all ([`Nets::allows`]).
//!
//! d-i starts busybox syslogd with `-R log_host:log_port` when the boot line has them; once
//! the network is up it forwards every line as one datagram, `<PRI>Mon dd hh:mm:ss
//! prog[pid]: message` (RFC 3164, without the host name; relays add one). Everything in a
//! datagram is untrusted: any bytes, any length, several lines. [`parse`] keeps one line of
//! printable text, at most [`MAX_LINE`] characters; control characters become `?`, bytes
//! that are not UTF-8 become U+FFFD. It never fails: a datagram that is not syslog is kept
//! as text (it may still be a d-i line from another syslogd).

use std::net::{IpAddr, Ipv4Addr};

use crate::ledger::InstallStage;

/// The most characters of a line kept (the room page shows the last line).
pub const MAX_LINE: usize = 300;

/// Datagrams are read into a buffer this big; longer ones are cut by the kernel.
pub const MAX_DATAGRAM: usize = 8 * 1024;

/// One received line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// `prog[pid]: message` (or the whole text when it has no syslog head), cleaned.
    pub text: String,
}

/// Read one datagram. The `<PRI>` and the time stamp are dropped (the laptop's clock is
/// often wrong: serve's own time is recorded), as is a relay's host name.
pub fn parse(datagram: &[u8]) -> Line {
    let raw = String::from_utf8_lossy(&datagram[..datagram.len().min(MAX_DATAGRAM)]);
    // Several lines in one datagram: the first non-empty one counts (busybox sends one).
    let first = raw
        .split(['\n', '\r', '\0'])
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let mut rest = first.trim_start();
    if let Some(after) = rest.strip_prefix('<')
        && let Some((pri, tail)) = after.split_once('>')
        && !pri.is_empty()
        && pri.len() <= 3
        && pri.bytes().all(|b| b.is_ascii_digit())
    {
        rest = tail;
    }
    rest = strip_timestamp(rest);
    rest = strip_relay_host(rest);
    Line {
        text: clean(&mask_tokens(rest)),
    }
}

/// d-i logs each preseed command it runs (`preseed: running preseed command
/// preseed/early_command: ...`), so the hello's and the late command's URLs come back
/// here with the install token in them. The token never reaches the ledger or the room
/// page: `/_upcycle/hello/schule-003/[token]`, as in serve's own log.
fn mask_tokens(text: &str) -> std::borrow::Cow<'_, str> {
    const PREFIX: &str = "/_upcycle/";
    if !text.contains(PREFIX) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(PREFIX) {
        let (before, from) = rest.split_at(at + PREFIX.len());
        out.push_str(before);
        // `hello/ASSET/TOKEN` or `installed/ASSET/TOKEN`: the third segment goes
        let word = |t: &str| {
            t.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(t.len())
        };
        let kind = word(from);
        let after_kind = &from[kind..];
        let asset = after_kind.strip_prefix('/').map(word);
        match asset {
            Some(asset) if kind > 0 && after_kind[1 + asset..].starts_with('/') => {
                let head = &from[..kind + 1 + asset + 1];
                let tail = &from[head.len()..];
                let token = tail.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(tail.len());
                out.push_str(head);
                out.push_str("[token]");
                rest = &tail[token..];
            }
            _ => rest = from,
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// `Mon dd hh:mm:ss ` (RFC 3164's time stamp), if the text starts with one.
fn strip_timestamp(text: &str) -> &str {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let b = text.as_bytes();
    if b.len() < 16 || !MONTHS.iter().any(|m| text.starts_with(m)) || b[3] != b' ' {
        return text;
    }
    let day_ok = (b[4] == b' ' || b[4].is_ascii_digit()) && b[5].is_ascii_digit() && b[6] == b' ';
    let time = &b[7..15];
    let time_ok = time.iter().enumerate().all(|(i, c)| {
        if i == 2 || i == 5 {
            *c == b':'
        } else {
            c.is_ascii_digit()
        }
    });
    if day_ok && time_ok && b[15] == b' ' {
        &text[16..]
    } else {
        text
    }
}

/// A relay's host name before `prog[pid]:` (`laptop1 main-menu[242]: ...`): one word without
/// a colon, followed by a word ending in `:`. d-i's own lines have none.
fn strip_relay_host(text: &str) -> &str {
    let Some((first, tail)) = text.split_once(' ') else {
        return text;
    };
    let second = tail.split(' ').next().unwrap_or("");
    let is_prog = |w: &str| w.ends_with(':') && w.len() > 1;
    if !first.contains(':') && !first.is_empty() && is_prog(second) {
        tail
    } else {
        text
    }
}

/// One line of printable text: control characters as `?`, at most [`MAX_LINE`] characters
/// (then `…`), blanks at the ends trimmed.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_LINE + 3));
    for (i, c) in text.trim().chars().enumerate() {
        if i == MAX_LINE {
            out.push('…');
            break;
        }
        out.push(if c.is_control() { '?' } else { c });
    }
    out
}

/// The install stage a d-i line marks, if any. The markers are main-menu's `Menu item 'X'
/// selected` (X is the udeb that runs the step: `partman-base`, `bootstrap-base`, `pkgsel`,
/// `grub-installer`, `finish-install`, ...), `Menu item 'X' failed`, and the DHCP lease
/// (the first line d-i can send: syslogd forwards only once the network is up).
pub fn stage_of(text: &str) -> Option<InstallStage> {
    if text.starts_with("udhcpc") && text.contains("lease of") {
        return Some(InstallStage::Network);
    }
    if !text.starts_with("main-menu") {
        return None;
    }
    let item = |tail: &str| {
        let start = text.find("Menu item '")? + "Menu item '".len();
        let (name, rest) = text[start..].split_once('\'')?;
        rest.trim_start().starts_with(tail).then_some(name)
    };
    if item("failed").is_some() {
        return Some(InstallStage::Failed);
    }
    let stage = match item("selected")? {
        "ethdetect" | "netcfg" | "netcfg-static" => InstallStage::Network,
        "choose-mirror" | "download-installer" => InstallStage::Components,
        "partman-base" => InstallStage::Partitioning,
        "bootstrap-base" => InstallStage::BaseSystem,
        "apt-setup-udeb" => InstallStage::PackageSources,
        "pkgsel" => InstallStage::Software,
        "grub-installer" => InstallStage::BootLoader,
        "finish-install" => InstallStage::Finishing,
        _ => return None,
    };
    Some(stage)
}

/// The networks whose senders may post syslog lines: this PC's own (each interface's
/// address and netmask) and loopback. Anything else is refused: serve is for the workshop
/// LAN, and a line from elsewhere could only be made up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Nets(Vec<(IpAddr, u8)>);

impl Nets {
    pub fn new(nets: Vec<(IpAddr, u8)>) -> Nets {
        // Each as its network (`192.168.1.10/24` is `192.168.1.0/24`).
        let mut nets: Vec<(IpAddr, u8)> = nets
            .into_iter()
            .map(|(ip, len)| match ip {
                IpAddr::V4(a) => {
                    let len = len.min(32);
                    let mask = u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0);
                    (IpAddr::V4(Ipv4Addr::from(u32::from(a) & mask)), len)
                }
                IpAddr::V6(a) => {
                    let len = len.min(128);
                    let mask = u128::MAX.checked_shl(128 - u32::from(len)).unwrap_or(0);
                    (IpAddr::V6(std::net::Ipv6Addr::from(u128::from(a) & mask)), len)
                }
            })
            .collect();
        nets.push((IpAddr::V4(Ipv4Addr::new(127, 0, 0, 0)), 8));
        nets.push((IpAddr::V6(std::net::Ipv6Addr::LOCALHOST), 128));
        nets.sort();
        nets.dedup();
        Nets(nets)
    }

    pub fn allows(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|(net, len)| match (net, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from((*len).min(32))).unwrap_or(0);
                u32::from(*n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from((*len).min(128))).unwrap_or(0);
                u128::from(*n) & mask == u128::from(a) & mask
            }
            _ => false,
        })
    }

    /// `192.168.1.0/24, 127.0.0.0/8` for the start-up lines.
    pub fn describe(&self) -> String {
        self.0
            .iter()
            .map(|(net, len)| format!("{net}/{len}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Lines as d-i's busybox syslogd sends them: docs/e2e.md's markers (d-i 12, QEMU runs)
    // and lines of public d-i syslogs, with the `<PRI>` syslogd puts in front.
    const REAL: &[(&str, Option<InstallStage>)] = &[
        (
            "<13>Nov 26 00:21:10 udhcpc: lease of 10.0.2.15 obtained, lease time 86400",
            Some(InstallStage::Network),
        ),
        ("<14>Nov 26 00:21:12 netcfg[1021]: DEBUG: Network config complete", None),
        (
            "<14>Nov 26 00:21:20 main-menu[242]: INFO: Menu item 'download-installer' selected",
            Some(InstallStage::Components),
        ),
        (
            "<14>Sep  6 10:52:40 main-menu[321]: INFO: Menu item 'partman-base' selected",
            Some(InstallStage::Partitioning),
        ),
        (
            "<14>Dec 22 20:19:56 main-menu[330]: INFO: Menu item 'bootstrap-base' selected",
            Some(InstallStage::BaseSystem),
        ),
        (
            "<13>Dec 22 20:19:56 debootstrap: /usr/sbin/debootstrap --components=main --debian-installer --resolve-deps bookworm /target http://deb.debian.org/debian/",
            None,
        ),
        (
            "<14>Nov  8 17:47:31 main-menu[421]: INFO: Menu item 'apt-setup-udeb' selected",
            Some(InstallStage::PackageSources),
        ),
        (
            "<14>Nov  8 17:47:31 main-menu[421]: INFO: Menu item 'pkgsel' selected",
            Some(InstallStage::Software),
        ),
        (
            "<14>Nov  8 17:47:31 main-menu[421]: INFO: Menu item 'grub-installer' selected",
            Some(InstallStage::BootLoader),
        ),
        (
            "<14>Nov  8 17:47:31 main-menu[421]: INFO: Menu item 'finish-install' selected",
            Some(InstallStage::Finishing),
        ),
        (
            "<12>Nov  3 15:21:09 main-menu[2345]: WARNING **: Menu item 'live-installer' failed.",
            Some(InstallStage::Failed),
        ),
        (
            "<14>Nov 26 00:20:44 main-menu[242]: INFO: Menu item 'localechooser' selected",
            None,
        ),
        (
            "<13>Nov 26 00:21:21 anna[1322]: DEBUG: retrieving libcrypto3-udeb 3.0.15-1~deb12u1",
            None,
        ),
    ];

    #[test]
    fn real_d_i_lines_give_their_stage() {
        for (datagram, stage) in REAL {
            let line = parse(datagram.as_bytes());
            assert!(!line.text.starts_with('<') && !line.text.starts_with("Nov"), "{line:?}");
            assert_eq!(stage_of(&line.text), *stage, "{datagram}");
        }
        assert_eq!(
            parse(b"<14>Nov 26 00:21:20 main-menu[242]: INFO: Menu item 'download-installer' selected\n").text,
            "main-menu[242]: INFO: Menu item 'download-installer' selected"
        );
        // a relay's host name, and a line without any head
        assert_eq!(
            parse(b"<14>Nov  8 17:47:31 schule-003 main-menu[421]: INFO: Menu item 'pkgsel' selected").text,
            "main-menu[421]: INFO: Menu item 'pkgsel' selected"
        );
        assert_eq!(parse(b"hello there").text, "hello there");
        // a program named like a marker elsewhere in the line is no marker
        assert_eq!(stage_of("anna[1]: Menu item 'pkgsel' selected"), None);
        assert_eq!(stage_of("main-menu[1]: INFO: Menu item 'pkgsel"), None);
    }

    #[test]
    fn install_tokens_in_lines_are_masked() {
        let token = "16aa378153f0f037608a37d79745a9f1";
        // wget's report of the hello, as main-menu logs the output of what it runs (the line
        // of the real d-i 12 with the preseed's URL, netboot-boot.sh)
        let line = format!(
            "<14>Dec  6 10:28:40 main-menu[262]: (process:576): 2026-12-06 10:28:41 \
             URL:http://10.0.2.2:41381/_upcycle/hello/schule-001/{token} [7/7] -> \"/dev/null\" [1]"
        );
        let text = parse(line.as_bytes()).text;
        assert!(!text.contains(token), "{text}");
        assert!(text.contains("/_upcycle/hello/schule-001/[token] [7/7]"), "{text}");
        // d-i's own line for the command, both callbacks, a query after the token
        let line = format!(
            "<13>Dec  6 10:28:40 preseed: running preseed command preseed/late_command: u=\"$srv/_upcycle/installed/schule-001/{token}\"; \
             wget \"$u?packages=3\" /_upcycle/hello/x/{token}?a=1 /_upcycle/ /_upcycle/room"
        );
        let text = parse(line.as_bytes()).text;
        assert!(!text.contains(token), "{text}");
        assert_eq!(text.matches("[token]").count(), 2, "{text}");
        assert!(
            text.ends_with("/_upcycle/hello/x/[token]?a=1 /_upcycle/ /_upcycle/room"),
            "{text}"
        );
        // lines without a callback are kept as they are
        assert_eq!(parse(b"<13>x: GET /_upcycle/hello").text, "x: GET /_upcycle/hello");
    }

    #[test]
    fn hostile_datagrams_become_one_short_printable_line() {
        let huge = vec![b'A'; 70_000];
        assert_eq!(parse(&huge).text.chars().count(), MAX_LINE + 1);
        let lines = parse(b"<13>Nov  8 17:47:31 x: first\nDec  1 00:00:00 forged: second\n");
        assert_eq!(lines.text, "x: first");
        let controls = parse(b"<13>prog: a\x1b[2Jb\x07c\td");
        assert_eq!(controls.text, "prog: a?[2Jb?c?d");
        let binary = parse(&[0x3c, 0x31, 0x3e, 0xff, 0xfe, b'x', 0x00, b'y']);
        assert_eq!(binary.text, "\u{fffd}\u{fffd}x");
        assert_eq!(parse(b"").text, "");
        assert_eq!(parse(b"\n\n\r").text, "");
        assert_eq!(parse(b"<99999>x").text, "<99999>x");
        assert_eq!(parse(b"<>x").text, "<>x");
        assert!(parse("<1>Nov".as_bytes()).text == "Nov");
        // a page's markup stays text here; the page escapes it
        assert_eq!(
            parse(b"<13>p: <script>alert(1)</script>").text,
            "p: <script>alert(1)</script>"
        );
    }

    #[test]
    fn only_local_networks_may_send() {
        let nets = Nets::new(vec![
            ("192.168.1.10".parse().unwrap(), 24),
            ("10.0.0.2".parse().unwrap(), 8),
        ]);
        for ok in [
            "192.168.1.57",
            "192.168.1.255",
            "10.200.0.1",
            "127.0.0.1",
            "127.5.5.5",
            "::1",
            "::ffff:192.168.1.9",
        ] {
            assert!(nets.allows(ok.parse().unwrap()), "{ok}");
        }
        for bad in ["192.168.2.1", "8.8.8.8", "11.0.0.1", "2001:db8::1", "::ffff:8.8.8.8"] {
            assert!(!nets.allows(bad.parse().unwrap()), "{bad}");
        }
        let all = Nets::new(vec![("0.0.0.0".parse().unwrap(), 0)]);
        assert!(all.allows("8.8.8.8".parse().unwrap()));
        assert_eq!(Nets::new(vec![]).describe(), "127.0.0.0/8, ::1/128");
        assert_eq!(
            Nets::new(vec![
                ("192.168.1.10".parse().unwrap(), 24),
                ("127.0.0.1".parse().unwrap(), 8)
            ])
            .describe(),
            "127.0.0.0/8, 192.168.1.0/24, ::1/128"
        );
    }
}
