//! The one builder of installer boot lines: `boot.txt`'s two routes, the stick's
//! syslinux/GRUB entry (`media usb`) and the per-laptop netboot entries (`media netboot`).
//!
//! A Debian installer boot line is: the route's own words (`auto=true priority=critical`,
//! for route 2 also `url=`, `locale=`, `keymap=`), the workshop's installer-only words
//! (`--append`), the profile's parameters (`forcepae`), then Debian's `---` separator and
//! the profile's parameters again: d-i copies what follows `---` into the installed
//! system's boot loader. Every word is a [`KernelParam`], so nothing on the line can be a
//! blank, quote, `$` or `;` that ends a word, a syslinux `APPEND` or a GRUB `linux` line.

use crate::token::{BadToken, KernelParam};

/// Longest kernel command line we write (x86 allows 2048 bytes including what the boot
/// loader adds).
pub const MAX_CMDLINE: usize = 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BootLineError {
    #[error("kernel parameter: {0}")]
    Bad(#[from] BadToken),
    #[error("the kernel command line would be {0} characters; keep it under {MAX_CMDLINE}")]
    TooLong(usize),
}

/// The boot line's words. `route`: the route's own words (checked here), `append`:
/// installer-only words, `profile`: the profile's parameters (before and after `---`).
pub fn build(route: &[&str], append: &[KernelParam], profile: &[KernelParam]) -> Result<Vec<String>, BootLineError> {
    let mut words: Vec<String> = Vec::new();
    for w in route {
        let word = KernelParam::new(*w)?;
        // `--append log_host=...` (the e2e watcher's own syslog port) replaces the route's
        // word of that name: one value per name on the line, the one the user typed.
        let overridden = word
            .split_once('=')
            .is_some_and(|(name, _)| append.iter().any(|a| a.split_once('=').is_some_and(|(n, _)| n == name)));
        if !overridden {
            words.push(word.into());
        }
    }
    words.extend(append.iter().map(|p| p.to_string()));
    if !profile.is_empty() {
        words.extend(profile.iter().map(|p| p.to_string()));
        words.push("---".into());
        words.extend(profile.iter().map(|p| p.to_string()));
    }
    let len = words.join(" ").len();
    if len > MAX_CMDLINE {
        return Err(BootLineError::TooLong(len));
    }
    Ok(words)
}

/// The route-1 words: the preseed is in the initrd (`media usb`).
pub const INITRD_ROUTE: &[&str] = &["auto=true", "priority=critical"];

/// The words that make d-i send its syslog to `serve` (`log_host`, `log_port`: d-i's
/// busybox syslogd forwards every line over UDP once the network is up), and that tell the
/// late command where to report (the same host and port serve's HTTP). `host` is an IPv4
/// address or the `WORKSHOP-PC` placeholder of `boot.txt`; checked like every word by
/// [`build`]. Route words, so they go before `append`.
pub fn syslog_words(host: &str, port: u16) -> [String; 2] {
    [format!("log_host={host}"), format!("log_port={port}")]
}

/// The route-2 words: the preseed fetched from the workshop PC (`host`: an IPv4 address or
/// `boot.txt`'s `WORKSHOP-PC` placeholder) at `http://host:port/<asset>/preseed.cfg`, the
/// installer's language and keyboard, and its syslog to `serve` on the same host and port.
pub fn url_route(host: &str, port: u16, asset_id: &str, locale: &str, keymap: &str) -> Vec<String> {
    let [log_host, log_port] = syslog_words(host, port);
    vec![
        "auto=true".into(),
        "priority=critical".into(),
        format!("url=http://{host}:{port}/{asset_id}/preseed.cfg"),
        format!("locale={locale}"),
        format!("keymap={keymap}"),
        log_host,
        log_port,
    ]
}

/// Words typed by a person or given as `--append "a b"`: split at blanks, each checked.
pub fn parse_words(text: &str) -> Result<Vec<KernelParam>, BadToken> {
    text.split_whitespace().map(KernelParam::new).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(words: &[&str]) -> Vec<KernelParam> {
        words.iter().map(|w| KernelParam::new(*w).unwrap()).collect()
    }

    #[test]
    fn profile_params_are_repeated_after_the_separator_and_append_stays_before_it() {
        assert_eq!(
            build(INITRD_ROUTE, &[], &[]).unwrap().join(" "),
            "auto=true priority=critical"
        );
        assert_eq!(
            build(
                INITRD_ROUTE,
                &params(&["console=ttyS0,115200n8"]),
                &params(&["forcepae"])
            )
            .unwrap()
            .join(" "),
            "auto=true priority=critical console=ttyS0,115200n8 forcepae --- forcepae"
        );
    }

    #[test]
    fn hostile_route_words_and_overlong_lines_are_refused() {
        for bad in ["url=http://x/$(id)", "a b", "locale=de\nx", "---", ""] {
            assert!(matches!(build(&[bad], &[], &[]), Err(BootLineError::Bad(_))), "{bad:?}");
        }
        let long = params(&["a".repeat(250).as_str(); 5]);
        assert!(matches!(
            build(INITRD_ROUTE, &long, &[]),
            Err(BootLineError::TooLong(_))
        ));
    }

    #[test]
    fn syslog_words_are_route_words_before_append() {
        let [host, port] = syslog_words("192.168.1.10", 8080);
        let route = ["auto=true", "priority=critical", host.as_str(), port.as_str()];
        assert_eq!(
            build(&route, &params(&["nomodeset"]), &params(&["forcepae"]))
                .unwrap()
                .join(" "),
            "auto=true priority=critical log_host=192.168.1.10 log_port=8080 nomodeset forcepae --- forcepae"
        );
        // a word of the same name in `append` replaces the route's
        assert_eq!(
            build(&route, &params(&["log_host=10.0.2.2", "log_port=5514"]), &[])
                .unwrap()
                .join(" "),
            "auto=true priority=critical log_host=10.0.2.2 log_port=5514"
        );
        let [bad, _] = syslog_words("x;reboot", 1);
        assert!(build(&[bad.as_str()], &[], &[]).is_err());
    }

    #[test]
    fn typed_words_are_split_and_checked() {
        assert_eq!(
            parse_words(" nomodeset  vga=788 ").unwrap(),
            params(&["nomodeset", "vga=788"])
        );
        assert!(parse_words("nomodeset $(id)").is_err());
        assert!(parse_words("a --- b").is_err());
    }
}
