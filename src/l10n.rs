//! The one way upcycle speaks: every user-facing text is a Fluent message in
//! `locales/<lang>/*.ftl` (German first, English second), embedded in the binary, and
//! this is the only module that picks the language.
//!
//! - Files a volunteer prints or reads on the laptop (checklists, `boot.txt`, inventory,
//!   labels, READMEs) speak the workshop's language: [`for_files`].
//! - The terminal speaks `--lang`, else `LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`, else
//!   German: [`for_terminal`].
//! - Machine data (reports, selections, the ledger) stay language-neutral: they hold a
//!   [`Said`] (a message id plus named arguments) that is turned into words at the edge
//!   with [`say`].
//!
//! Sizes and decimals are formatted by the functions `MIB()` and `DEC()` inside the
//! messages (`1,5 GiB` in German, `1.5 GiB` in English); plurals by Fluent's selectors
//! (`{ $n -> [one] … *[other] … }`), with the CLDR plural rules of each language.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};

/// A language upcycle speaks. German is the default: the workshops are in Germany.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    De,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::De, Lang::En];

    /// The language code (`de`, `en`), as in `<html lang>` and `locales/<code>/`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    /// `de`, `de_DE.UTF-8`, `en-GB`, ... -> the language; `None` for any other.
    pub fn from_locale(s: &str) -> Option<Lang> {
        let lang = s.split(['_', '-', '.', '@']).next()?.to_ascii_lowercase();
        match lang.as_str() {
            "de" => Some(Lang::De),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// The catalogs, embedded: (language, file name, text). A test checks this lists every
/// file of `locales/`.
pub const CATALOGS: &[(Lang, &str, &str)] = &[
    (Lang::De, "main.ftl", include_str!("../locales/de/main.ftl")),
    (Lang::En, "main.ftl", include_str!("../locales/en/main.ftl")),
    (Lang::De, "select.ftl", include_str!("../locales/de/select.ftl")),
    (Lang::En, "select.ftl", include_str!("../locales/en/select.ftl")),
    (Lang::De, "bundle.ftl", include_str!("../locales/de/bundle.ftl")),
    (Lang::En, "bundle.ftl", include_str!("../locales/en/bundle.ftl")),
    (Lang::De, "inventory.ftl", include_str!("../locales/de/inventory.ftl")),
    (Lang::En, "inventory.ftl", include_str!("../locales/en/inventory.ftl")),
    (Lang::De, "erase.ftl", include_str!("../locales/de/erase.ftl")),
    (Lang::En, "erase.ftl", include_str!("../locales/en/erase.ftl")),
    (Lang::De, "help.ftl", include_str!("../locales/de/help.ftl")),
    (Lang::En, "messages.ftl", include_str!("../locales/en/messages.ftl")),
    (Lang::De, "media.ftl", include_str!("../locales/de/media.ftl")),
    (Lang::En, "media.ftl", include_str!("../locales/en/media.ftl")),
    (Lang::De, "messages.ftl", include_str!("../locales/de/messages.ftl")),
    (Lang::En, "help.ftl", include_str!("../locales/en/help.ftl")),
    (Lang::De, "passport.ftl", include_str!("../locales/de/passport.ftl")),
    (Lang::En, "passport.ftl", include_str!("../locales/en/passport.ftl")),
    (Lang::De, "errors.ftl", include_str!("../locales/de/errors.ftl")),
    (Lang::En, "errors.ftl", include_str!("../locales/en/errors.ftl")),
    (Lang::De, "check.ftl", include_str!("../locales/de/check.ftl")),
    (Lang::En, "check.ftl", include_str!("../locales/en/check.ftl")),
];

/// The language of generated files: the workshop config's (German in the shipped default).
pub fn for_files(workshop_language: Lang) -> Lang {
    workshop_language
}

/// The language of the terminal: `--lang`, else the first of `LANGUAGE` (a `:` list: its
/// first entry we speak), `LC_ALL`, `LC_MESSAGES`, `LANG` that is set, else German.
/// A locale that names no language (`C`, `POSIX`) leaves German; one that names another
/// language (`fr_FR.UTF-8`) gets English, the second language.
pub fn for_terminal(flag: Option<Lang>, env: &dyn Fn(&str) -> Option<String>) -> Lang {
    if let Some(lang) = flag {
        return lang;
    }
    if let Some(list) = env("LANGUAGE") {
        if let Some(lang) = list.split(':').find_map(Lang::from_locale) {
            return lang;
        }
    }
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|v| env(v))
        .find(|v| !v.is_empty());
    match locale.as_deref() {
        None | Some("C" | "POSIX") => Lang::De,
        Some(l) if l.starts_with("C.") => Lang::De,
        Some(l) => Lang::from_locale(l).unwrap_or(Lang::En),
    }
}

/// The terminal language from this process's environment (see [`for_terminal`]).
pub fn for_terminal_env(flag: Option<Lang>) -> Lang {
    for_terminal(flag, &|name| std::env::var(name).ok())
}

/// The language a document without a workshop config is written in (the erasure
/// certificate): `--lang`, else German.
pub fn for_document(flag: Option<Lang>) -> Lang {
    flag.unwrap_or_default()
}

/// `--lang X` or `--lang=X` among the raw arguments (for `--help`, which clap prints
/// before anything is resolved).
pub fn flag_in_args<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Option<Lang> {
    let mut iter = args.iter().map(|a| a.as_ref().to_string_lossy().into_owned());
    while let Some(a) = iter.next() {
        if a == "--" {
            break;
        }
        if a == "--lang" {
            return iter.next().and_then(|v| Lang::from_locale(&v));
        }
        if let Some(v) = a.strip_prefix("--lang=") {
            return Lang::from_locale(v);
        }
    }
    None
}

type Bundle = FluentBundle<FluentResource>;

fn bundles() -> &'static [Bundle; 2] {
    static BUNDLES: OnceLock<[Bundle; 2]> = OnceLock::new();
    BUNDLES.get_or_init(|| [bundle(Lang::De), bundle(Lang::En)])
}

fn bundle(lang: Lang) -> Bundle {
    let id: unic_langid::LanguageIdentifier = lang.code().parse().expect("a valid language code");
    let mut b = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks around arguments: the texts go to terminals, shell
    // comments and Markdown, not to mixed-direction UIs.
    b.set_use_isolating(false);
    for (l, name, text) in CATALOGS.iter().filter(|(l, _, _)| *l == lang) {
        let res = FluentResource::try_new(text.to_string())
            .unwrap_or_else(|(_, e)| panic!("locales/{}/{name} does not parse: {e:?}", l.code()));
        b.add_resource(res)
            .unwrap_or_else(|e| panic!("locales/{}/{name}: {e:?}", l.code()));
    }
    b.add_function("MIB", move |pos, _| match pos.first() {
        Some(FluentValue::Number(n)) => FluentValue::from(mib_text(lang, n.value as u64)),
        Some(other) => other.clone(),
        None => FluentValue::None,
    })
    .expect("MIB is defined once");
    b.add_function("DEC", move |pos, _| match pos.first() {
        Some(FluentValue::Number(n)) => FluentValue::from(decimal(lang, n.value)),
        Some(other) => other.clone(),
        None => FluentValue::None,
    })
    .expect("DEC is defined once");
    b
}

/// `1024` -> `1 GiB`, `1536` -> `1,5 GiB` (German) / `1.5 GiB`, `512` -> `512 MiB`.
pub fn mib_text(lang: Lang, mib: u64) -> String {
    if mib >= 1024 && mib % 512 == 0 {
        let gib = mib as f64 / 1024.0;
        if gib.fract() == 0.0 {
            format!("{gib:.0} GiB")
        } else {
            format!("{} GiB", decimal(lang, gib))
        }
    } else {
        format!("{mib} MiB")
    }
}

/// A number with one decimal, with the language's decimal mark (`3,6` / `3.6`).
pub fn decimal(lang: Lang, n: f64) -> String {
    let s = format!("{n:.1}");
    match lang {
        Lang::De => s.replace('.', ","),
        Lang::En => s,
    }
}

/// A text the catalog's author wrote in both languages (profile names, hardware notes):
/// data, not program text, so it lives in `profiles/`, and a workshop's own catalog
/// (`--profiles DIR`) brings its own. Only [`Localized::get`] picks one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    pub de: String,
    pub en: String,
}

impl Localized {
    /// An error said in both languages, to be an argument of a message that is said later
    /// (`why` of a `Said`): the system's reason in the reader's words.
    pub fn of(error: &dyn Localize) -> Localized {
        Localized {
            de: error.localize(Lang::De),
            en: error.localize(Lang::En),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::De => &self.de,
            Lang::En => &self.en,
        }
    }
}

/// An argument of a message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Arg {
    Int(i64),
    Float(f64),
    Text(String),
    /// Messages said one after the other (`A, B and C`).
    List(Vec<Said>),
    /// A catalog text in both languages.
    Both(Localized),
}

impl From<u64> for Arg {
    fn from(n: u64) -> Arg {
        Arg::Int(n as i64)
    }
}
impl From<u32> for Arg {
    fn from(n: u32) -> Arg {
        Arg::Int(n as i64)
    }
}
impl From<u8> for Arg {
    fn from(n: u8) -> Arg {
        Arg::Int(n as i64)
    }
}
impl From<f64> for Arg {
    fn from(n: f64) -> Arg {
        Arg::Float(n)
    }
}
impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Text(s.clone())
    }
}
impl From<Localized> for Arg {
    fn from(l: Localized) -> Arg {
        Arg::Both(l)
    }
}
impl From<Said> for Arg {
    fn from(s: Said) -> Arg {
        Arg::List(vec![s])
    }
}
impl From<Vec<Said>> for Arg {
    fn from(l: Vec<Said>) -> Arg {
        Arg::List(l)
    }
}

/// Something said, language-neutral: a message id and its named arguments. This is what
/// machine data (selections) hold; [`say`] turns it into words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "SaidRepr")]
pub struct Said {
    pub code: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<String, Arg>,
}

/// A selection written before codes (`upcycle.selection/v1`) holds sentences: they are
/// read as [`Said::verbatim`].
#[derive(Deserialize)]
#[serde(untagged)]
enum SaidRepr {
    Text(String),
    Coded(Coded),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Coded {
    code: String,
    #[serde(default)]
    args: BTreeMap<String, Arg>,
}

impl From<SaidRepr> for Said {
    fn from(r: SaidRepr) -> Said {
        match r {
            SaidRepr::Text(t) => Said::verbatim(t),
            SaidRepr::Coded(c) => Said {
                code: c.code,
                args: c.args,
            },
        }
    }
}

impl Said {
    pub fn new(code: &str) -> Said {
        Said {
            code: code.to_string(),
            args: BTreeMap::new(),
        }
    }

    /// Add a named argument.
    pub fn arg(mut self, name: &str, value: impl Into<Arg>) -> Said {
        self.args.insert(name.to_string(), value.into());
        self
    }

    /// A text that is not a message (from an older file): said as it is.
    pub fn verbatim(text: impl Into<String>) -> Said {
        Said::new("verbatim").arg("text", text.into())
    }
}

/// Something said used as an error (a check of the command line, an output path): its
/// `Display` is the English text (logs, tests), the printer says it in the terminal's
/// language.
impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&say(Lang::En, self))
    }
}

impl std::error::Error for Said {}

/// An error that can say itself in a language: each variant is a message `err-*` of the
/// catalogs with its fields as arguments (the English message is the error's `Display`).
/// The printer says every error of a chain it knows this way (`printer::error_text`).
pub trait Localize {
    fn localize(&self, lang: Lang) -> String;
}

impl Localize for Said {
    fn localize(&self, lang: Lang) -> String {
        say(lang, self)
    }
}

/// The operating system's reasons (`No such file or directory (os error 2)`) in the
/// reader's words: the common kinds have a message (`os-*` in errors.ftl) with the
/// system's number kept for a search; an error upcycle made itself, or a rare kind, says
/// its own text. English keeps the system's text as it is.
impl Localize for std::io::Error {
    fn localize(&self, lang: Lang) -> String {
        use std::io::ErrorKind as K;
        let id = match self.kind() {
            K::NotFound => "os-not-found",
            K::PermissionDenied => "os-permission-denied",
            K::AlreadyExists => "os-already-exists",
            K::IsADirectory => "os-is-a-directory",
            K::NotADirectory => "os-not-a-directory",
            K::DirectoryNotEmpty => "os-directory-not-empty",
            K::StorageFull => "os-storage-full",
            K::ReadOnlyFilesystem => "os-read-only",
            K::ResourceBusy => "os-busy",
            K::AddrInUse => "os-address-in-use",
            K::AddrNotAvailable => "os-address-not-available",
            K::ConnectionRefused => "os-connection-refused",
            K::TimedOut => "os-timed-out",
            K::UnexpectedEof => "os-unexpected-eof",
            _ => return self.to_string(),
        };
        match (lang, self.raw_os_error()) {
            (Lang::En, _) | (_, None) => self.to_string(),
            (_, Some(code)) => format(lang, id, &[("code", code.to_string().into())]),
        }
    }
}

/// The words of a message without arguments.
pub fn text(lang: Lang, id: &str) -> String {
    format(lang, id, &[])
}

/// The words of a message with arguments.
pub fn format(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    let map: BTreeMap<String, Arg> = args.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    format_map(lang, id, &map)
}

/// The words of something said.
pub fn say(lang: Lang, said: &Said) -> String {
    format_map(lang, &said.code, &said.args)
}

/// Several things said, as one list (`A, B and C`).
pub fn say_list(lang: Lang, list: &[Said]) -> String {
    let words: Vec<String> = list.iter().map(|s| say(lang, s)).collect();
    match words.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format(
            lang,
            "list-and",
            &[("first", Arg::Text(rest.join(", "))), ("last", Arg::Text(last.clone()))],
        ),
    }
}

/// The words of a code that may have a message (`event-<kind>`, ...): the message, else
/// the code itself (a newer file's code stays readable).
pub fn code_text(lang: Lang, prefix: &str, code: &str) -> String {
    let id = format!("{prefix}{code}");
    if has(&id) { text(lang, &id) } else { code.to_string() }
}

/// Is there a message with this id in every language?
pub fn has(id: &str) -> bool {
    bundles().iter().all(|b| b.has_message(id))
}

fn format_map(lang: Lang, id: &str, args: &BTreeMap<String, Arg>) -> String {
    let bundle = &bundles()[lang as usize];
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        // Never lose what was meant: a missing message shows its id (tests keep the
        // catalogs complete, so only a newer file's code can land here).
        return id.to_string();
    };
    let mut fargs = FluentArgs::new();
    for (k, v) in args {
        let value: FluentValue = match v {
            Arg::Int(n) => FluentValue::from(*n),
            Arg::Float(n) => FluentValue::from(*n),
            Arg::Text(t) => FluentValue::from(t.clone()),
            Arg::List(l) => FluentValue::from(say_list(lang, l)),
            Arg::Both(l) => FluentValue::from(l.get(lang).to_string()),
        };
        fargs.set(k.clone(), value);
    }
    let mut errors = Vec::new();
    let out = bundle.format_pattern(pattern, Some(&fargs), &mut errors);
    debug_assert!(errors.is_empty(), "message {id}: {errors:?}");
    out.into_owned()
}

/// The Tera functions of a template set in one language: `t(id="…", name=value…)` says a
/// message, `say(m=said)` something said (a [`Said`] from the context).
pub fn register_tera(tera: &mut tera::Tera, lang: Lang) {
    // A message without arguments says the same every time: formatted once (a batch
    // renders the same headings for every laptop).
    let plain: std::sync::Arc<std::sync::RwLock<std::collections::HashMap<String, tera::Value>>> = Default::default();
    tera.register_function("t", move |args: &std::collections::HashMap<String, tera::Value>| {
        let id = args
            .get("id")
            .and_then(|v| v.as_str())
            .ok_or_else(|| tera::Error::msg("t() needs id=\"message-id\""))?;
        if args.len() == 1 {
            if let Some(said) = plain.read().expect("no panic holds the lock").get(id) {
                return Ok(said.clone());
            }
        }
        if !bundles()[lang as usize].has_message(id) {
            return Err(tera::Error::msg(format!(
                "no message `{id}` in locales/{}",
                lang.code()
            )));
        }
        let mut map = BTreeMap::new();
        for (k, v) in args.iter().filter(|(k, _)| k.as_str() != "id") {
            map.insert(k.clone(), arg_from_json(v)?);
        }
        let said = tera::Value::String(format_map(lang, id, &map));
        if args.len() == 1 {
            plain
                .write()
                .expect("no panic holds the lock")
                .insert(id.to_string(), said.clone());
        }
        Ok(said)
    });
    tera.register_function("say", move |args: &std::collections::HashMap<String, tera::Value>| {
        let v = args.get("m").ok_or_else(|| tera::Error::msg("say() needs m=…"))?;
        let said: Said = serde_json::from_value(v.clone()).map_err(|e| tera::Error::msg(format!("say(): {e}")))?;
        Ok(tera::Value::String(say(lang, &said)))
    });
}

fn arg_from_json(v: &tera::Value) -> tera::Result<Arg> {
    Ok(match v {
        tera::Value::Number(n) => match n.as_i64() {
            Some(i) => Arg::Int(i),
            None => Arg::Float(n.as_f64().unwrap_or_default()),
        },
        tera::Value::String(s) => Arg::Text(s.clone()),
        tera::Value::Bool(b) => Arg::Text(b.to_string()),
        tera::Value::Null => Arg::Text(String::new()),
        other => serde_json::from_value(other.clone()).map_err(|e| tera::Error::msg(e.to_string()))?,
    })
}

/// The command line in `lang`: clap has no localisation, so the built command's texts are
/// replaced from the catalogs' `help-*` messages: a command's about (`help-<path>`, path
/// `upcycle`, `select`, `media-usb`, ...) and long about (`help-<path>-long`), its
/// arguments' help (`help-<path>-arg-<id>`, else `help-arg-<id>`), the headings, the
/// default and possible values, the help/version flags and the `help` command. A test
/// checks that every command and argument has its messages.
pub fn command(mut cmd: clap::Command, lang: Lang) -> clap::Command {
    cmd.build();
    localize(cmd, "upcycle", "help-upcycle", lang)
}

/// The message id of an argument's help in the command at `path`.
pub fn arg_help_id(path: &str, arg: &str) -> String {
    match arg {
        "help" | "version" => format!("help-arg-{arg}"),
        _ if has(&format!("help-{path}-arg-{arg}")) => format!("help-{path}-arg-{arg}"),
        _ => format!("help-arg-{arg}"),
    }
}

fn localize(mut cmd: clap::Command, path: &str, about_id: &str, lang: Lang) -> clap::Command {
    let t = |id: &str| has(id).then(|| text(lang, id));
    if let Some(about) = t(about_id) {
        cmd = cmd.about(about);
    }
    if let Some(long) = t(&format!("{about_id}-long")) {
        cmd = cmd.long_about(long);
    }
    cmd = cmd
        .help_template(format!(
            "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            text(lang, "help-heading-usage")
        ))
        .subcommand_help_heading(text(lang, "help-heading-commands"));
    let ids: Vec<String> = cmd.get_arguments().map(|a| a.get_id().to_string()).collect();
    for id in ids {
        let help_id = arg_help_id(path, &id);
        cmd = cmd.mut_arg(&id, |a| {
            let heading = if a.is_positional() {
                "help-heading-arguments"
            } else {
                "help-heading-options"
            };
            let mut help = t(&help_id).unwrap_or_else(|| a.get_help().map(|h| h.to_string()).unwrap_or_default());
            let values: Vec<String> = a
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_string())
                .collect();
            let defaults: Vec<String> = a
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            if !defaults.is_empty()
                && !a.is_hide_default_value_set()
                && a.get_num_args().is_none_or(|n| n.takes_values())
            {
                help.push(' ');
                help.push_str(&format(lang, "help-default", &[("value", defaults.join(", ").into())]));
            }
            if !values.is_empty()
                && !a.is_hide_possible_values_set()
                && a.get_num_args().is_none_or(|n| n.takes_values())
            {
                help.push(' ');
                help.push_str(&format(
                    lang,
                    "help-possible-values",
                    &[("values", values.join(", ").into())],
                ));
            }
            let mut a = a
                .help_heading(text(lang, heading))
                .hide_default_value(true)
                .hide_possible_values(true)
                .help(help);
            if a.get_long_help().is_some() {
                if let Some(long) = t(&format!("{help_id}-long")) {
                    a = a.long_help(long);
                }
            }
            a
        });
    }
    let subs: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in subs {
        let sub_path = if path == "upcycle" {
            name.clone()
        } else {
            format!("{path}-{name}")
        };
        if name == "help" {
            // clap's `help` command: its own about, and its children mirror the commands.
            cmd = cmd.mut_subcommand(&name, |s| localize_help(s, path, lang));
        } else {
            let about = format!("help-{sub_path}");
            cmd = cmd.mut_subcommand(&name, |s| localize(s, &sub_path, &about, lang));
        }
    }
    cmd
}

fn localize_help(mut cmd: clap::Command, parent: &str, lang: Lang) -> clap::Command {
    cmd = cmd.about(text(lang, "help-help"));
    let subs: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in subs {
        let path = if parent == "upcycle" {
            name.clone()
        } else {
            format!("{parent}-{name}")
        };
        let id = if name == "help" {
            "help-help".to_string()
        } else {
            format!("help-{path}")
        };
        cmd = cmd.mut_subcommand(&name, |s| {
            let s = match has(&id) {
                true => s.about(text(lang, &id)),
                false => s,
            };
            localize_help_children(s, &path, lang)
        });
    }
    cmd
}

fn localize_help_children(mut cmd: clap::Command, path: &str, lang: Lang) -> clap::Command {
    let subs: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in subs {
        let sub_path = format!("{path}-{name}");
        let id = if name == "help" {
            "help-help".to_string()
        } else {
            format!("help-{sub_path}")
        };
        cmd = cmd.mut_subcommand(&name, |s| {
            let s = if has(&id) { s.about(text(lang, &id)) } else { s };
            localize_help_children(s, &sub_path, lang)
        });
    }
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Boot menus (pxelinux, GRUB's text console, syslinux, a firmware's PXE list) show no
    /// umlauts: their messages are ASCII in every catalog.
    #[test]
    fn boot_menu_messages_are_ascii() {
        let mut seen = 0;
        for (lang, file, text) in CATALOGS {
            let mut id = "";
            for line in text.lines() {
                if let Some((name, _)) = line.split_once(" =")
                    && !name.starts_with([' ', '#'])
                    && !name.is_empty()
                {
                    id = name;
                }
                if id.starts_with("boot-menu-") && !line.starts_with('#') {
                    seen += 1;
                    assert!(line.is_ascii(), "{lang:?} {file}: {id}: {line}");
                }
            }
        }
        assert!(seen >= 2 * 12, "the boot menu messages are there ({seen} lines)");
        // and so is what they say
        assert_eq!(text(Lang::De, "boot-menu-local"), "Von der eigenen Festplatte starten");
        assert_eq!(
            format(Lang::De, "boot-menu-title", &[("n", 1u32.into())]),
            "upcycle-Netzwerkinstallation (1 Geraet)"
        );
    }

    fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    }

    #[test]
    fn the_terminal_language_follows_flag_then_language_then_locale_then_german() {
        assert_eq!(for_terminal(None, &env(&[])), Lang::De);
        assert_eq!(for_terminal(Some(Lang::En), &env(&[("LANG", "de_DE.UTF-8")])), Lang::En);
        assert_eq!(for_terminal(None, &env(&[("LANG", "en_US.UTF-8")])), Lang::En);
        assert_eq!(for_terminal(None, &env(&[("LANG", "de_AT.UTF-8")])), Lang::De);
        assert_eq!(
            for_terminal(None, &env(&[("LANG", "de_DE.UTF-8"), ("LC_MESSAGES", "en_GB.UTF-8")])),
            Lang::En
        );
        assert_eq!(
            for_terminal(None, &env(&[("LC_ALL", "de_DE.UTF-8"), ("LC_MESSAGES", "en_GB.UTF-8")])),
            Lang::De
        );
        assert_eq!(
            for_terminal(None, &env(&[("LANGUAGE", "fr:en:de"), ("LANG", "de_DE.UTF-8")])),
            Lang::En
        );
        // LANGUAGE without a language we speak is passed over.
        assert_eq!(
            for_terminal(None, &env(&[("LANGUAGE", "fr"), ("LANG", "de_DE.UTF-8")])),
            Lang::De
        );
        // C names no language: German stays; another language gets English.
        assert_eq!(for_terminal(None, &env(&[("LANG", "C.UTF-8")])), Lang::De);
        assert_eq!(for_terminal(None, &env(&[("LC_ALL", "POSIX")])), Lang::De);
        assert_eq!(for_terminal(None, &env(&[("LANG", "fr_FR.UTF-8")])), Lang::En);
        assert_eq!(for_terminal(None, &env(&[("LANG", "")])), Lang::De);
    }

    #[test]
    fn the_lang_flag_is_found_in_raw_arguments() {
        assert_eq!(flag_in_args(&["upcycle", "--lang", "en", "--help"]), Some(Lang::En));
        assert_eq!(flag_in_args(&["upcycle", "plan", "--lang=de"]), Some(Lang::De));
        assert_eq!(flag_in_args(&["upcycle", "--", "--lang=en"]), None);
        assert_eq!(flag_in_args(&["upcycle", "--help"]), None);
    }

    #[test]
    fn sizes_decimals_and_plurals_follow_the_language() {
        assert_eq!(mib_text(Lang::De, 1536), "1,5 GiB");
        assert_eq!(mib_text(Lang::En, 1536), "1.5 GiB");
        assert_eq!(mib_text(Lang::En, 1024), "1 GiB");
        assert_eq!(mib_text(Lang::De, 512), "512 MiB");
        assert_eq!(mib_text(Lang::De, 1000), "1000 MiB");
        let cores = |lang, n: u64| format(lang, "cores", &[("n", n.into())]);
        assert_eq!(cores(Lang::De, 1), "1 Kern");
        assert_eq!(cores(Lang::De, 2), "2 Kerne");
        assert_eq!(cores(Lang::En, 1), "1 core");
        assert_eq!(cores(Lang::En, 4), "4 cores");
    }

    #[test]
    fn said_things_round_trip_and_old_sentences_are_read_verbatim() {
        let s = Said::new("cores").arg("n", 2u32);
        let yaml = crate::yaml::to_string(&s);
        assert_eq!(crate::yaml::from_str::<Said>(&yaml).unwrap(), s);
        let old: Said = crate::yaml::from_str("\"64-bit CPU\"").unwrap();
        assert_eq!(say(Lang::De, &old), "64-bit CPU");
        let list = vec![
            Said::new("cores").arg("n", 1u32),
            Said::verbatim("x"),
            Said::verbatim("y"),
        ];
        assert_eq!(say_list(Lang::De, &list), "1 Kern, x und y");
        assert_eq!(say_list(Lang::En, &list), "1 core, x and y");
        assert_eq!(say(Lang::De, &Said::new("no-such-message")), "no-such-message");
    }

    /// Every message of a catalog with the variables it uses (in its value, every
    /// variant, and inside function calls), read by Fluent's own parser.
    fn messages(lang: Lang) -> BTreeMap<String, std::collections::BTreeSet<String>> {
        use fluent_syntax::ast;
        fn inline(e: &ast::InlineExpression<&str>, vars: &mut std::collections::BTreeSet<String>) {
            match e {
                ast::InlineExpression::VariableReference { id } => {
                    vars.insert(id.name.to_string());
                }
                ast::InlineExpression::FunctionReference { arguments, .. } => {
                    arguments.positional.iter().for_each(|a| inline(a, vars));
                    arguments.named.iter().for_each(|a| inline(&a.value, vars));
                }
                ast::InlineExpression::Placeable { expression } => expr(expression, vars),
                _ => {}
            }
        }
        fn expr(e: &ast::Expression<&str>, vars: &mut std::collections::BTreeSet<String>) {
            match e {
                ast::Expression::Inline(i) => inline(i, vars),
                ast::Expression::Select { selector, variants } => {
                    inline(selector, vars);
                    variants.iter().for_each(|v| pattern(&v.value, vars));
                }
            }
        }
        fn pattern(p: &ast::Pattern<&str>, vars: &mut std::collections::BTreeSet<String>) {
            for el in &p.elements {
                if let ast::PatternElement::Placeable { expression } = el {
                    expr(expression, vars);
                }
            }
        }
        let mut out = BTreeMap::new();
        for (_, name, text) in CATALOGS.iter().filter(|(l, _, _)| *l == lang) {
            let res = fluent_syntax::parser::parse(*text)
                .unwrap_or_else(|(_, e)| panic!("locales/{}/{name}: {e:?}", lang.code()));
            for entry in &res.body {
                match entry {
                    ast::Entry::Message(m) => {
                        let mut vars = std::collections::BTreeSet::new();
                        if let Some(v) = &m.value {
                            pattern(v, &mut vars);
                        }
                        assert!(
                            out.insert(m.id.name.to_string(), vars).is_none(),
                            "locales/{}/{name}: `{}` twice",
                            lang.code(),
                            m.id.name
                        );
                    }
                    ast::Entry::Junk { content } => panic!("locales/{}/{name}: junk {content:?}", lang.code()),
                    _ => {}
                }
            }
        }
        out
    }

    #[test]
    fn both_catalogs_have_every_message_with_the_same_placeholders() {
        let de = messages(Lang::De);
        let en = messages(Lang::En);
        let only_de: Vec<&String> = de.keys().filter(|k| !en.contains_key(*k)).collect();
        let only_en: Vec<&String> = en.keys().filter(|k| !de.contains_key(*k)).collect();
        assert!(
            only_de.is_empty() && only_en.is_empty(),
            "only German: {only_de:?}; only English: {only_en:?}"
        );
        for (id, vars) in &de {
            assert_eq!(vars, &en[id], "message `{id}` uses other placeholders in de and en");
        }
        assert!(de.len() > 100, "{} messages", de.len());
        // Every message formats in both languages without an error (functions, selectors).
        for id in de.keys() {
            let args: Vec<(&str, Arg)> = de[id].iter().map(|v| (v.as_str(), Arg::Int(2))).collect();
            for lang in Lang::ALL {
                let map = args.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
                let bundle = &bundles()[lang as usize];
                let pattern = bundle.get_message(id).and_then(|m| m.value()).expect("a value");
                let mut errors = Vec::new();
                let mut fargs = FluentArgs::new();
                for (k, v) in &map as &BTreeMap<String, Arg> {
                    if let Arg::Int(n) = v {
                        fargs.set(k.clone(), *n);
                    }
                }
                let text = bundle.format_pattern(pattern, Some(&fargs), &mut errors);
                assert!(errors.is_empty(), "{}: `{id}`: {errors:?}", lang.code());
                assert!(
                    !text.trim().is_empty() || id == "verbatim",
                    "{}: `{id}` is empty",
                    lang.code()
                );
            }
        }
    }

    #[test]
    fn the_localized_command_line_is_still_valid() {
        use clap::CommandFactory;
        for lang in Lang::ALL {
            command(crate::cli::Cli::command(), lang).debug_assert();
        }
    }

    #[test]
    fn every_catalog_file_is_embedded() {
        for lang in Lang::ALL {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("locales")
                .join(lang.code());
            let mut files: Vec<String> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            files.sort();
            let mut embedded: Vec<String> = CATALOGS
                .iter()
                .filter(|(l, _, _)| *l == lang)
                .map(|(_, n, _)| n.to_string())
                .collect();
            embedded.sort();
            assert_eq!(files, embedded, "locales/{}", lang.code());
        }
    }
}
