//! The one place that prints. Results go to stdout; status, warnings and (later)
//! progress bars go to stderr, and bars only show when stderr is a terminal.

use std::io::{IsTerminal, Write};

use crate::l10n::{Lang, Localize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

#[derive(Debug, Clone)]
pub struct Printer {
    pub verbosity: Verbosity,
    pub stderr_is_terminal: bool,
    /// The language of everything printed (picked once by `l10n::for_terminal`).
    pub lang: Lang,
}

impl Printer {
    pub fn new(verbosity: Verbosity, lang: Lang) -> Self {
        Printer {
            verbosity,
            stderr_is_terminal: std::io::stderr().is_terminal(),
            lang,
        }
    }

    /// A message of the catalogs in the terminal's language.
    pub fn text(&self, id: &str) -> String {
        crate::l10n::text(self.lang, id)
    }

    /// A message with arguments in the terminal's language.
    pub fn format(&self, id: &str, args: &[(&str, crate::l10n::Arg)]) -> String {
        crate::l10n::format(self.lang, id, args)
    }

    /// The command's result, always printed.
    pub fn out(&self, text: &str) {
        let mut stdout = std::io::stdout().lock();
        // A closed pipe (`upcycle probe | head`) is not an error worth a panic.
        let _ = stdout.write_all(text.as_bytes());
        let _ = stdout.flush();
    }

    /// A line of status for the person at the terminal.
    pub fn status(&self, text: &str) {
        if self.verbosity >= Verbosity::Normal {
            eprintln!("{text}");
        }
    }

    /// Detail only shown with `--verbose`.
    pub fn detail(&self, text: &str) {
        if self.verbosity >= Verbosity::Verbose {
            eprintln!("{text}");
        }
    }

    /// A progress bar on stderr; hidden when stderr is not a terminal or with --quiet.
    pub fn progress(&self, len: u64, what: &str) -> indicatif::ProgressBar {
        if !self.stderr_is_terminal || self.verbosity == Verbosity::Quiet {
            return indicatif::ProgressBar::hidden();
        }
        let bar = indicatif::ProgressBar::new(len);
        let style = indicatif::ProgressStyle::with_template(&format!("{{bar:40}} {{pos}}/{{len}} {what} {{msg}}"))
            .expect("the progress template is valid");
        bar.set_style(style);
        bar
    }

    /// A progress bar over bytes (throughput and ETA) on stderr; hidden like [`Self::progress`].
    pub fn bytes_progress(&self, len: u64, what: &str) -> indicatif::ProgressBar {
        if !self.stderr_is_terminal || self.verbosity == Verbosity::Quiet {
            return indicatif::ProgressBar::hidden();
        }
        let bar = indicatif::ProgressBar::new(len);
        let style = indicatif::ProgressStyle::with_template(&format!(
            "{what} {{wide_bar}} {{binary_bytes}}/{{binary_total_bytes}} {{binary_bytes_per_sec}} ETA {{eta}}"
        ))
        .expect("the progress template is valid");
        bar.set_style(style);
        bar
    }

    /// A warning, printed unless --quiet.
    pub fn warn(&self, text: &str) {
        if self.verbosity >= Verbosity::Normal {
            eprintln!("{}", self.format("msg-warning", &[("text", text.into())]));
        }
    }

    /// A problem with one input that does not stop the command, printed whatever the
    /// verbosity.
    pub fn problem(&self, text: &str) {
        eprintln!("{}", self.format("msg-error", &[("text", text.into())]));
    }

    /// A prompt on stderr, without a line end.
    pub fn prompt(&self, text: &str) {
        let mut stderr = std::io::stderr().lock();
        let _ = stderr.write_all(text.as_bytes());
        let _ = stderr.flush();
    }

    /// End a line the terminal left open (after a prompt without echo).
    pub fn end_line(&self) {
        eprintln!();
    }

    /// An error chain, printed whatever the verbosity.
    pub fn error(&self, error: &anyhow::Error) {
        let (first, causes) = error_lines(error, self.lang);
        let mut msg = self.format("msg-error", &[("text", first.into())]);
        for cause in causes {
            msg.push_str("\n  ");
            msg.push_str(&self.format("msg-caused-by", &[("text", cause.into())]));
        }
        eprintln!("{msg}");
    }
}

/// An error's message and those of its causes that say something new (typed errors often
/// put their source into their own message: it is not printed a second time), each in
/// `lang` when it is an error that can say itself ([`error_text`]), else its `Display`.
pub fn error_lines(error: &anyhow::Error, lang: Lang) -> (String, Vec<String>) {
    // A `Said` given as context (`.context(said)`) is only found by anyhow's own downcast.
    let first = match error.downcast_ref::<crate::l10n::Said>() {
        Some(said) => crate::l10n::say(lang, said),
        None => error_text(error.as_ref(), lang),
    };
    let mut said = first.clone();
    let mut causes = Vec::new();
    for cause in error.chain().skip(1) {
        let cause = error_text(cause, lang);
        if !said.contains(&cause) {
            said.push('\n');
            said.push_str(&cause);
            causes.push(cause);
        }
    }
    (first, causes)
}

/// A command-line mistake (clap's error) in `lang`, with the help to read: `None` for the
/// kinds clap prints best itself (help, version) and for English, where clap's own words
/// are kept. clap has no translations, so the common kinds are said from its context.
pub fn usage_error(error: &clap::Error, lang: Lang) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if lang == Lang::En {
        return None;
    }
    let get = |kind| match error.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let f = |id: &str, args: &[(&str, crate::l10n::Arg)]| crate::l10n::format(lang, id, args);
    let what = match error.kind() {
        ErrorKind::UnknownArgument => f(
            "usage-unknown-argument",
            &[("arg", get(ContextKind::InvalidArg).into())],
        ),
        ErrorKind::InvalidSubcommand => f(
            "usage-unknown-command",
            &[("command", get(ContextKind::InvalidSubcommand).into())],
        ),
        ErrorKind::InvalidValue => f(
            "usage-invalid-value",
            &[
                ("value", get(ContextKind::InvalidValue).into()),
                ("arg", get(ContextKind::InvalidArg).into()),
                ("valid", get(ContextKind::ValidValue).into()),
            ],
        ),
        ErrorKind::MissingRequiredArgument => f(
            "usage-missing-argument",
            &[("arg", get(ContextKind::InvalidArg).into())],
        ),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            return None;
        }
        ErrorKind::ValueValidation => f(
            "usage-bad-value",
            &[
                ("value", get(ContextKind::InvalidValue).into()),
                ("arg", get(ContextKind::InvalidArg).into()),
                (
                    "why",
                    std::error::Error::source(error)
                        .map(|e| error_text(e, lang))
                        .unwrap_or_default()
                        .into(),
                ),
            ],
        ),
        _ => return None,
    };
    let mut text = f("msg-error", &[("text", what.into())]);
    let suggested = [get(ContextKind::SuggestedSubcommand), get(ContextKind::SuggestedArg)].join(" ");
    if !suggested.trim().is_empty() {
        text.push('\n');
        text.push_str(&f("usage-did-you-mean", &[("suggestion", suggested.trim().into())]));
    }
    let usage = get(ContextKind::Usage);
    let usage = usage
        .trim()
        .strip_prefix("Usage:")
        .unwrap_or(usage.trim())
        .trim()
        .to_string();
    text.push_str("\n\n");
    if !usage.is_empty() {
        text.push_str(&f("usage-usage", &[("usage", usage.into())]));
        text.push('\n');
    }
    text.push_str(&f("usage-more", &[]));
    Some(text)
}

/// One error in `lang`: the errors that can say themselves ([`Localize`]) are listed here,
/// the one place that knows them; any other error says its `Display` (English).
pub fn error_text(error: &(dyn std::error::Error + 'static), lang: Lang) -> String {
    fn said<E: Localize + std::error::Error + 'static>(
        error: &(dyn std::error::Error + 'static),
        lang: Lang,
    ) -> Option<String> {
        error.downcast_ref::<E>().map(|e| e.localize(lang))
    }
    said::<crate::l10n::Said>(error, lang)
        .or_else(|| said::<crate::probe::ProbeError>(error, lang))
        .or_else(|| said::<crate::machine::MachineError>(error, lang))
        .or_else(|| said::<crate::machine::ReportError>(error, lang))
        .or_else(|| said::<crate::capture::UnpackError>(error, lang))
        .or_else(|| said::<crate::yaml::YamlError>(error, lang))
        .or_else(|| said::<crate::token::BadToken>(error, lang))
        .or_else(|| said::<crate::workshop::WorkshopError>(error, lang))
        .or_else(|| said::<crate::catalog::LoadError>(error, lang))
        .or_else(|| said::<crate::ledger::LedgerError>(error, lang))
        .or_else(|| said::<crate::ledger::Conflict>(error, lang))
        .or_else(|| said::<crate::passport::PassportError>(error, lang))
        .or_else(|| said::<crate::lock::LockError>(error, lang))
        .or_else(|| said::<crate::bundle::WriteError>(error, lang))
        .or_else(|| said::<crate::validate::MissingTools>(error, lang))
        .or_else(|| said::<crate::media::MediaError>(error, lang))
        .or_else(|| said::<crate::media::images::ImagesError>(error, lang))
        .or_else(|| said::<std::io::Error>(error, lang))
        .unwrap_or_else(|| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_systems_reasons_are_said_in_german_with_their_number_and_kept_in_english() {
        let missing = std::io::Error::from_raw_os_error(2);
        assert_eq!(error_text(&missing, Lang::De), "gibt es nicht (Systemfehler 2)");
        assert_eq!(error_text(&missing, Lang::En), missing.to_string());
        let denied = std::io::Error::from_raw_os_error(13);
        assert!(error_text(&denied, Lang::De).starts_with("keine Berechtigung"));
        // An error upcycle made itself says its own words, in any language.
        let own = std::io::Error::new(std::io::ErrorKind::NotFound, "no bundle here");
        assert_eq!(error_text(&own, Lang::De), "no bundle here");
        // As the cause of a typed error: said once, in German.
        let typed = crate::machine::MachineError::Read {
            path: "/x.yaml".into(),
            source: std::io::Error::from_raw_os_error(2),
        };
        let (first, causes) = error_lines(&anyhow::Error::new(typed), Lang::De);
        assert!(first.ends_with("gibt es nicht (Systemfehler 2)"), "{first}");
        assert!(causes.is_empty(), "{causes:?}");
    }

    #[test]
    fn a_cause_already_in_the_message_is_said_once() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file or directory");
        let typed = crate::machine::MachineError::Read {
            path: "/x.yaml".into(),
            source: io,
        };
        let (first, causes) = error_lines(&anyhow::Error::new(typed), Lang::En);
        assert_eq!(first, "cannot read the report /x.yaml: No such file or directory");
        assert!(causes.is_empty(), "{causes:?}");
        // A cause the message does not say is still printed.
        let e = anyhow::anyhow!("disk full").context("cannot write bundles/schule-001");
        assert_eq!(
            error_lines(&e, Lang::En),
            (
                "cannot write bundles/schule-001".to_string(),
                vec!["disk full".to_string()]
            )
        );
    }

    /// The English message of every error that says itself is its `Display`: logs, tests
    /// and `--lang en` read the same words.
    #[test]
    fn english_is_the_display_of_every_error_that_says_itself() {
        use crate::ledger::{Conflict, LedgerError};
        let io = || std::io::Error::new(std::io::ErrorKind::NotFound, "No such file or directory");
        let yaml = crate::yaml::from_str::<crate::report::HardwareReport>("x: [").unwrap_err();
        let errors: Vec<anyhow::Error> = vec![
            crate::probe::ProbeError::RootMissing("/r".into()).into(),
            crate::probe::ProbeError::RootNotDir("/r".into()).into(),
            crate::probe::ProbeError::RootEmpty("/r".into()).into(),
            crate::machine::MachineError::Read {
                path: "/x.yaml".into(),
                source: io(),
            }
            .into(),
            crate::machine::MachineError::Report {
                path: "/x.yaml".into(),
                source: crate::machine::ReportError::NotYamlOrJson(yaml),
            }
            .into(),
            crate::machine::ReportError::NoSchema.into(),
            crate::machine::ReportError::OtherSchema("v0".into()).into(),
            crate::machine::MachineError::Unpack {
                path: "/c.tar.gz".into(),
                source: crate::capture::UnpackError::Write(io()),
            }
            .into(),
            crate::capture::UnpackError::Unreadable(io()).into(),
            crate::capture::UnpackError::Refused(
                crate::l10n::Said::new("err-unpack-entry").arg("entry", "\"a\"").arg(
                    "why",
                    crate::l10n::Said::new("err-unpack-entry-deep")
                        .arg("depth", 40u64)
                        .arg("limit", 32u64),
                ),
            )
            .into(),
            LedgerError::Newer {
                path: "/l".into(),
                found: 9,
                known: 3,
            }
            .into(),
            LedgerError::NotALedger {
                path: "/l".into(),
                why: "file is not a database".into(),
            }
            .into(),
            LedgerError::Missing("/l".into()).into(),
            LedgerError::Busy { path: "/l".into() }.into(),
            LedgerError::Conflict(Conflict::NameTaken {
                input: "a".into(),
                hostname: "schule-001".into(),
                number: 1,
                other_input: "b".into(),
            })
            .into(),
            Conflict::NumberTaken {
                number: 1,
                hostname: "schule-001".into(),
                other_input: "b".into(),
            }
            .into(),
            Conflict::Duplicate {
                input: "a".into(),
                other_input: "b".into(),
                hostname: "schule-001".into(),
                kind: "serial",
            }
            .into(),
            Conflict::Renumber {
                input: "a".into(),
                hostname: "schule-001".into(),
                number: 1,
                wanted: 2,
            }
            .into(),
            crate::lock::LockError::Busy("/raum".into()).into(),
            crate::lock::LockError::Io {
                path: "/raum".into(),
                source: io(),
            }
            .into(),
            crate::workshop::Workshop::parse("sprache: de\n").unwrap_err().into(),
            crate::bundle::WriteError::Exists("raum/schule-001".into()).into(),
            crate::validate::MissingTools(vec![crate::validate::Tool::Shellcheck]).into(),
            crate::media::MediaError::NotABundle { path: "raum-12".into() }.into(),
            crate::media::MediaError::NoBundles { path: "raum-12".into() }.into(),
            crate::media::MediaError::NotDebian {
                asset_id: "schule-001".into(),
                release: "24.04".into(),
                what: "a USB stick",
            }
            .into(),
            crate::media::MediaError::NotDebian {
                asset_id: "schule-001".into(),
                release: "24.04".into(),
                what: "a network install",
            }
            .into(),
            crate::media::MediaError::NoImages {
                dir: "/usr/lib/debian-installer/images".into(),
                release: "13".into(),
                arch: "amd64".into(),
            }
            .into(),
            crate::media::MediaError::Io {
                path: "raum-12".into(),
                source: io(),
            }
            .into(),
            crate::validate::MissingTools(crate::validate::Tool::ALL.to_vec()).into(),
            crate::bundle::WriteError::Io {
                path: "raum/schule-001".into(),
                source: io(),
            }
            .into(),
        ];
        for e in &errors {
            assert_eq!(error_lines(e, Lang::En).0, e.to_string());
            let german = error_lines(e, Lang::De).0;
            assert_ne!(german, e.to_string(), "not said in German: {e}");
        }
    }
}
