//! The only module that touches the YAML crates: `serde_yaml` reads (deprecated
//! upstream; swapping it means changing this file alone), `serde-saphyr` writes.

mod limits;

use serde::Serialize;

use crate::l10n::Said;
use serde::de::DeserializeOwned;

pub use limits::{MAX_BYTES, MAX_DEPTH};

/// A YAML document that could not be read, with where it went wrong.
#[derive(Debug, thiserror::Error)]
#[error("{}{message}", location.map(|(l, c)| format!("line {l}, column {c}: ")).unwrap_or_default())]
pub struct YamlError {
    /// 1-based line and column, when the parser knows them.
    pub location: Option<(usize, usize)>,
    /// The parser's message; for unknown or missing fields it names the field.
    pub message: String,
}

impl crate::l10n::Localize for YamlError {
    fn localize(&self, lang: crate::l10n::Lang) -> String {
        crate::l10n::say(lang, &said_error(self))
    }
}

/// A whole parser error (`line 3, column 5: ...`) as something said.
pub fn said_error(e: &YamlError) -> Said {
    let message = said(&e.message);
    match e.location {
        Some((line, column)) => Said::new("err-yaml-at")
            .arg("line", line as u64)
            .arg("column", column as u64)
            .arg("error", message),
        None => message,
    }
}

/// A parser message (after its field path) as something said: unknown and missing fields
/// and unknown words have messages (the English one is serde's text); any other message
/// is said as it is, in English.
pub fn said(message: &str) -> Said {
    let (path, rest) = match message.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && !path.is_empty() => (Some(path), rest),
        _ => (None, message),
    };
    let Some(said) = said_serde(rest) else {
        return Said::verbatim(message);
    };
    match path {
        Some(path) => Said::new("err-field").arg("field", path).arg("error", said),
        None => said,
    }
}

fn said_serde(message: &str) -> Option<Said> {
    let quoted = |s: &str| -> Option<String> {
        let inner = s.strip_prefix('`')?.strip_suffix('`')?;
        (!inner.contains('`')).then(|| inner.to_string())
    };
    if let Some(name) = message.strip_prefix("missing field ") {
        return Some(Said::new("err-yaml-missing-field").arg("field", quoted(name)?));
    }
    if let Some(said) = crate::token::said_bad_token(message) {
        return Some(said);
    }
    if let Some(rest) = message.strip_prefix("wrong kind of value: ") {
        let (found, expected) = rest.rsplit_once(", expected ")?;
        return Some(
            Said::new("err-yaml-wrong-kind")
                .arg("found", kind_said(found))
                .arg("expected", expected_said(expected)),
        );
    }
    let (id, rest) = if let Some(rest) = message.strip_prefix("unknown field ") {
        ("err-yaml-unknown-field", rest)
    } else if let Some(rest) = message.strip_prefix("unknown variant ") {
        ("err-yaml-unknown-variant", rest)
    } else {
        return None;
    };
    let (name, expected) = rest.split_once(", ")?;
    let name = quoted(name)?;
    // serde's lists: `a` | `a` or `b` | one of `a`, `b`, `c` | there are no ...
    let names: Vec<String> = if expected.starts_with("there are no ") {
        Vec::new()
    } else if let Some(list) = expected.strip_prefix("expected one of ") {
        list.split(", ").map(quoted).collect::<Option<_>>()?
    } else {
        let list = expected.strip_prefix("expected ")?;
        list.split(" or ").map(quoted).collect::<Option<_>>()?
    };
    let shown: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    Some(
        Said::new(id)
            .arg("name", name)
            .arg("count", shown.len() as u64)
            .arg("first", shown.first().cloned().unwrap_or_default())
            .arg("last", shown.last().cloned().unwrap_or_default())
            .arg("names", shown.join(", ")),
    )
}

/// The kind of value serde found (after [`humane`]): `a list`, ``integer `5` ``, ...
fn kind_said(found: &str) -> Said {
    for (word, id) in [
        ("integer ", "yaml-kind-integer"),
        ("floating point ", "yaml-kind-float"),
        ("string ", "yaml-kind-string"),
        ("boolean ", "yaml-kind-boolean"),
    ] {
        if let Some(value) = found.strip_prefix(word) {
            return Said::new(id).arg("value", value);
        }
    }
    match found {
        "a list" => Said::new("yaml-kind-list"),
        "a mapping" => Said::new("yaml-kind-mapping"),
        "an empty value" => Said::new("yaml-kind-empty"),
        other => Said::verbatim(other),
    }
}

/// What serde expected (after [`humane`]), or a type's own words (said as they are).
fn expected_said(expected: &str) -> Said {
    if let Some(max) = expected
        .strip_prefix("a whole number from 0 to ")
        .and_then(|n| n.parse::<u64>().ok())
    {
        return Said::new("yaml-expect-range").arg("max", max);
    }
    match expected {
        "a mapping (`key: value` lines)" => Said::new("yaml-expect-mapping"),
        "a list (`- item` lines)" => Said::new("yaml-expect-list"),
        "a single value" => Said::new("yaml-expect-single"),
        "an empty value" => Said::new("yaml-expect-empty"),
        "one of the allowed words" => Said::new("yaml-expect-word"),
        "true or false" => Said::new("yaml-expect-bool"),
        "a whole number of 0 or more" => Said::new("yaml-expect-unsigned"),
        "a whole number" => Said::new("yaml-expect-integer"),
        "a number" => Said::new("yaml-expect-number"),
        "a string" => Said::new("yaml-expect-string"),
        other => Said::verbatim(other),
    }
}

/// Our own data as YAML. Written by serde-saphyr (serde_yaml's emitter test-parsed every
/// string to choose its quoting: a tenth of a batch's CPU, docs/benchmarks.md), read back
/// by [`from_str`]. Every string is one scalar: a multi-line or long one is double-quoted
/// with escapes, never a block scalar (`|`, `>`), so a value from a laptop cannot start a
/// line of its own; strings that YAML 1.1 readers (PyYAML) would take for a boolean, a
/// number or a date (`no`, `0x1F`, `2028-06-30`) are quoted too.
pub fn to_string<T: Serialize>(value: &T) -> String {
    let mut options = serde_saphyr::SerializerOptions::default();
    options.prefer_block_scalars = false;
    // Serialising our own plain data types cannot fail (no maps with non-string keys).
    serde_saphyr::to_string_with_options(value, options).expect("our types serialise to YAML")
}

/// Parse `text`; documents larger than [`MAX_BYTES`] or nested deeper than [`MAX_DEPTH`]
/// are refused before the parser sees them (its time grows with the square of the depth).
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    limits::check(text)?;
    serde_yaml::from_str(text).map_err(|e| YamlError {
        location: e.location().map(|l| (l.line(), l.column())),
        message: humane(e.to_string().split(" at line ").next().unwrap_or_default()),
    })
}

/// serde's words for kinds of values, as a person writing YAML or JSON knows them: no Rust
/// type names (`expected struct Head`, `expected u32`) reach the user.
fn humane(message: &str) -> String {
    // (serde's words, ours); longer phrases first, whole words only
    const WORDS: &[(&str, &str)] = &[
        ("invalid type: ", "wrong kind of value: "),
        ("expected struct ", "expected a mapping (`key: value` lines)"),
        ("expected tuple struct ", "expected a single value"),
        ("expected newtype struct ", "expected a single value"),
        ("expected unit struct ", "expected an empty value"),
        ("expected enum ", "expected one of the allowed words"),
        ("expected a sequence", "expected a list (`- item` lines)"),
        ("expected a map", "expected a mapping (`key: value` lines)"),
        ("expected a boolean", "expected true or false"),
        ("expected unit", "expected an empty value"),
        ("expected u8", "expected a whole number from 0 to 255"),
        ("expected u16", "expected a whole number from 0 to 65535"),
        ("expected u32", "expected a whole number from 0 to 4294967295"),
        ("expected u64", "expected a whole number of 0 or more"),
        ("expected usize", "expected a whole number of 0 or more"),
        ("expected i32", "expected a whole number"),
        ("expected i64", "expected a whole number"),
        ("expected f32", "expected a number"),
        ("expected f64", "expected a number"),
        ("wrong kind of value: sequence", "wrong kind of value: a list"),
        ("wrong kind of value: map", "wrong kind of value: a mapping"),
        ("wrong kind of value: unit value", "wrong kind of value: an empty value"),
    ];
    let mut out = message.to_string();
    for (from, to) in WORDS {
        let mut done = String::new();
        let mut rest = out.as_str();
        while let Some(at) = rest.find(from) {
            let after = &rest[at + from.len()..];
            // a Rust type name follows the `struct`/`enum` phrases: drop it
            let name_len = if from.ends_with(' ') && from.starts_with("expected") {
                after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len())
            } else {
                0
            };
            let whole_word = from.ends_with(' ')
                || after[name_len..]
                    .chars()
                    .next()
                    .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'));
            done.push_str(&rest[..at]);
            if whole_word {
                done.push_str(to);
            } else {
                done.push_str(from);
            }
            rest = if whole_word { &after[name_len..] } else { after };
        }
        done.push_str(rest);
        out = done;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, Serialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        name: String,
        size: u32,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Outer {
        #[allow(dead_code)]
        doc: Doc,
        #[allow(dead_code)]
        list: Vec<u8>,
        #[allow(dead_code)]
        flag: bool,
    }

    #[test]
    fn serde_messages_are_said_in_both_languages_and_unchanged_in_english() {
        use crate::l10n::{Lang, say};
        for (message, de) in [
            (
                "unknown field `sprache`, expected one of `locale`, `keyboard`, `language`",
                "unbekanntes Feld `sprache`, erwartet wird eines von `locale`, `keyboard`, `language`",
            ),
            (
                "keyboard: unknown field `x`, expected `layout` or `variant`",
                "keyboard: unbekanntes Feld `x`, erwartet wird `layout` oder `variant`",
            ),
            (
                "unknown field `x`, expected `a`",
                "unbekanntes Feld `x`, erwartet wird `a`",
            ),
            (
                "unknown field `x`, there are no fields",
                "unbekanntes Feld `x`, hier ist kein Feld erlaubt",
            ),
            (
                "mode: unknown variant `fest`, expected `first-boot` or `fixed`",
                "mode: unbekanntes Wort `fest`, erwartet wird `first-boot` oder `fixed`",
            ),
            ("missing field `name`", "das Feld `name` fehlt"),
            ("wrong kind of value: a list", "wrong kind of value: a list"),
            (
                "doc: wrong kind of value: integer `5`, expected a mapping (`key: value` lines)",
                "doc: falsche Art von Wert: die Zahl `5`, erwartet eine Zuordnung (Zeilen `Schlüssel: Wert`)",
            ),
            (
                "doc.size: wrong kind of value: a list, expected a whole number from 0 to 4294967295",
                "doc.size: falsche Art von Wert: eine Liste, erwartet eine ganze Zahl von 0 bis 4294967295",
            ),
            (
                "flag: wrong kind of value: string \"ja\", expected true or false",
                "flag: falsche Art von Wert: der Text \"ja\", erwartet true oder false",
            ),
            (
                "wrong kind of value: a mapping, expected a list (`- item` lines)",
                "falsche Art von Wert: eine Zuordnung, erwartet eine Liste (Zeilen `- Eintrag`)",
            ),
            // a type's own words stay as they are, in the German frame
            (
                "wrong kind of value: an empty value, expected a disk name",
                "falsche Art von Wert: ein leerer Wert, erwartet a disk name",
            ),
        ] {
            assert_eq!(say(Lang::En, &said(message)), message);
            assert_eq!(say(Lang::De, &said(message)), de);
        }
    }

    #[test]
    fn errors_speak_of_yaml_not_of_rust_types() {
        let cases = [
            (
                "- a\n",
                "wrong kind of value: a list, expected a mapping (`key: value` lines)",
            ),
            (
                "doc: 5\n",
                "doc: wrong kind of value: integer `5`, expected a mapping (`key: value` lines)",
            ),
            (
                "doc: {name: a, size: -1}\n",
                "doc.size: wrong kind of value: integer `-1`, expected a whole number from 0 to 4294967295",
            ),
            (
                "doc: {name: a, size: [1]}\n",
                "doc.size: wrong kind of value: a list, expected a whole number",
            ),
            (
                "doc: {name: a, size: 1}\nlist: 5\n",
                "list: wrong kind of value: integer `5`, expected a list (`- item` lines)",
            ),
            (
                "doc: {name: a, size: 1}\nlist: [300]\n",
                "list[0]: invalid value: integer `300`, expected a whole number from 0 to 255",
            ),
            (
                "doc: {name: a, size: 1}\nlist: []\nflag: 3\n",
                "flag: wrong kind of value: integer `3`, expected true or false",
            ),
        ];
        for (text, want) in cases {
            let err = from_str::<Outer>(text).unwrap_err();
            assert!(err.message.starts_with(want), "{text:?}: {}", err.message);
            for rust in ["struct", "Outer", "Doc", "u32", "u8", "sequence"] {
                assert!(!err.message.contains(rust), "{text:?}: {}", err.message);
            }
        }
        let err = from_str::<std::collections::BTreeMap<String, u8>>("- 1\n").unwrap_err();
        assert_eq!(
            err.message,
            "wrong kind of value: a list, expected a mapping (`key: value` lines)"
        );
        // words that only look like serde's stay
        assert_eq!(humane("expected structure `x`"), "expected structure `x`");
        assert_eq!(
            humane("unknown field `u32x`, expected u32"),
            "unknown field `u32x`, expected a whole number from 0 to 4294967295"
        );
    }

    #[test]
    fn errors_name_line_and_field() {
        let err = from_str::<Doc>("name: a\nsize: 1\ncolour: red\n").unwrap_err();
        assert_eq!(err.location.map(|l| l.0), Some(3));
        assert!(err.message.contains("unknown field `colour`"), "{}", err.message);
        let err = from_str::<Doc>("name: a\nsize: big\n").unwrap_err();
        assert_eq!(err.location.map(|l| l.0), Some(2));
        let doc = Doc {
            name: "x: $(y)\n".into(),
            size: 3,
        };
        assert_eq!(from_str::<Doc>(&to_string(&doc)).unwrap(), doc);
    }

    /// Strings a laptop or a config file can hold, written by [`to_string`], are the same
    /// strings for our reader and for a YAML 1.1 reader (PyYAML, as scripts and other tools
    /// read our files): nothing becomes a boolean, a number, a date, a null, a second key
    /// or a second line.
    #[test]
    fn hostile_strings_stay_the_same_strings_for_every_reader() {
        #[derive(Debug, serde::Deserialize, Serialize, PartialEq)]
        struct Texts {
            texts: Vec<String>,
            keyed: std::collections::BTreeMap<String, String>,
        }
        let mut texts: Vec<String> = [
            "",
            " ",
            "  lead",
            "trail  ",
            "a  b",
            "\ttab",
            "\t",
            "x\ny",
            "\n",
            "x\n",
            "\nx",
            "a\r\nb",
            "x\n\n",
            "  x\n  y",
            "- item",
            "-",
            "--- ",
            "---",
            "...",
            "? q",
            "?",
            ": v",
            "k: v",
            "k:v",
            "a #b",
            "#c",
            "a# b",
            "x'y",
            "'",
            "\"",
            "\"q\"",
            "\\",
            "$(reboot)",
            "`id`",
            "${HOME}",
            "*alias",
            "&anchor",
            "!tag",
            "!!str",
            "%YAML 1.2",
            "@at",
            "|",
            ">",
            "|-",
            "> x",
            "{a: 1}",
            "[1, 2]",
            "{",
            "]",
            ",",
            "a, b",
            "no",
            "No",
            "NO",
            "yes",
            "y",
            "n",
            "Y",
            "on",
            "off",
            "true",
            "False",
            "null",
            "Null",
            "~",
            "NULL",
            "0",
            "012",
            "0x1F",
            "0o17",
            "0b101",
            "1_000",
            "1:20",
            "190:20:30",
            "1e3",
            "1.5",
            "-1",
            "+1",
            ".5",
            ".inf",
            "-.Inf",
            ".NaN",
            "2028-06-30",
            "2001-12-14t21:59:43.10-05:00",
            "=",
            "<<",
            "\u{feff}bom",
            "\u{85}nel",
            "a\u{2028}b",
            "a\u{2029}b",
            "\u{7f}",
            "\u{0}",
            "\u{1b}[31mred",
            "\u{e9}t\u{e9}",
            "\u{201e}deutsch\u{201c}",
            "\u{1f4bb}",
            &"long text with spaces ".repeat(12),
            &format!("{}x", " ".repeat(90)),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // every ASCII character alone and between two letters
        for c in (0u8..128).map(char::from) {
            texts.push(c.to_string());
            texts.push(format!("a{c}b"));
            texts.push(format!("{c} x"));
        }
        let keyed = texts
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("{t}{i}"), t.clone()))
            .collect();
        let doc = Texts { texts, keyed };
        let yaml = to_string(&doc);
        assert_eq!(from_str::<Texts>(&yaml).unwrap(), doc);
        // one line per string: `texts:`, `keyed:` and one for each item
        assert_eq!(yaml.lines().count(), 2 + doc.texts.len() + doc.keyed.len(), "{yaml}");
        // PyYAML reads YAML 1.1 (`no` is false there, `1:20` a number)
        let mut python = std::process::Command::new("python3")
            .args([
                "-c",
                "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)",
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3 (scripts/test.sh installs it with python3-yaml)");
        std::io::Write::write_all(&mut python.stdin.take().unwrap(), yaml.as_bytes()).unwrap();
        let out = python.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "PyYAML could not read it (python3-yaml installed?)"
        );
        let read: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(read, serde_json::to_value(&doc).unwrap());
    }
}
