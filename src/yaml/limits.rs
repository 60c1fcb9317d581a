//! Limits checked before a document reaches the YAML parser. libyaml (under serde_yaml)
//! takes time quadratic in the nesting depth: 10,000 nested `[` took 48 s. So a cheap
//! scan measures the nesting first, flow collections (`[`, `{`) and block collections
//! (indentation, `- `, `key:`) together, and refuses a document deeper than
//! [`MAX_DEPTH`] or larger than [`MAX_BYTES`], naming the line and column.
//!
//! The scan follows the YAML tokens that decide what is structure: quoted scalars
//! (`'...'` with `''`, `"..."` with `\` escapes, both across lines) start only where a
//! node starts, so a `'` inside `can't` is text; block scalars (`|`, `>`) are skipped by
//! their indentation; a plain scalar continues on more-indented lines (libyaml's rule),
//! so a `"` or `[` there is text too; comments need a blank before `#`; line breaks are
//! `\n`, `\r`, `\r\n`, NEL, LS and PS, as libyaml has them. Where it cannot be exact it
//! counts more nesting than there is, never less; real documents (reports, workshops,
//! profiles) are nested less than 10 deep.

use super::YamlError;

/// The deepest nesting of collections accepted.
pub const MAX_DEPTH: usize = 64;

/// The largest document accepted: a report is a few KB, a workshop file at most 1 MiB.
pub const MAX_BYTES: usize = 4 * 1024 * 1024;

#[derive(Clone, Copy, PartialEq)]
enum Quote {
    Single,
    Double,
}

struct Scan {
    /// The open block collections, innermost last: column, and whether a sequence.
    indents: Vec<(usize, bool)>,
    /// Open flow collections.
    flow: usize,
    /// Inside a quoted scalar that continues on the next line.
    quote: Option<Quote>,
    /// Inside a block scalar: blank lines and lines indented more than this column belong
    /// to it (at the top level, column 0: libyaml wants its content indented by one).
    block_scalar: Option<usize>,
    /// A plain scalar ended its line: lines indented more than this column continue it.
    plain: Option<Option<usize>>,
    /// Flow context: the next token may start a node (after `[`, `{`, `,`, `:`, `?`).
    expect_node: bool,
}

/// Refuse `text` if it is larger than [`MAX_BYTES`] or nested deeper than [`MAX_DEPTH`].
pub fn check(text: &str) -> Result<(), YamlError> {
    if text.len() > MAX_BYTES {
        let cut = (0..=MAX_BYTES).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let line = lines(&text[..cut]).count();
        return Err(YamlError {
            location: Some((line, 1)),
            message: format!(
                "the document has {} bytes; at most {MAX_BYTES} (4 MiB) are read",
                text.len()
            ),
        });
    }
    let mut scan = Scan {
        indents: Vec::new(),
        flow: 0,
        quote: None,
        block_scalar: None,
        plain: None,
        expect_node: true,
    };
    for (n, line) in lines(text).enumerate() {
        let chars: Vec<char> = line.chars().collect();
        scan.line(&chars).map_err(|col| YamlError {
            location: Some((n + 1, col + 1)),
            message: format!("nested deeper than {MAX_DEPTH} levels"),
        })?;
    }
    Ok(())
}

/// The lines of `text`, split at every YAML line break.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let s = rest?;
        match s
            .char_indices()
            .find(|&(_, c)| matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}'))
        {
            None => {
                rest = None;
                Some(s)
            }
            Some((i, c)) => {
                let mut next = i + c.len_utf8();
                if c == '\r' && s[next..].starts_with('\n') {
                    next += 1;
                }
                rest = Some(&s[next..]);
                Some(&s[..i])
            }
        }
    })
}

fn blank(c: Option<&char>) -> bool {
    matches!(c, None | Some(' ' | '\t'))
}

impl Scan {
    fn depth(&self) -> usize {
        self.indents.len() + self.flow
    }

    /// The innermost block collection's column.
    fn parent(&self) -> Option<usize> {
        self.indents.last().map(|&(col, _)| col)
    }

    /// A block collection at `col`: nested when more indented, or a sequence in the same
    /// column as its mapping's key (`key:` then `- item`).
    fn push_indent(&mut self, col: usize, seq: bool) -> Result<(), usize> {
        match self.indents.last() {
            Some(&(top, top_seq)) if col < top || col == top && (top_seq || !seq) => {}
            _ => self.indents.push((col, seq)),
        }
        if self.depth() > MAX_DEPTH { Err(col) } else { Ok(()) }
    }

    fn open_flow(&mut self, col: usize) -> Result<(), usize> {
        self.flow += 1;
        self.expect_node = true;
        if self.depth() > MAX_DEPTH { Err(col) } else { Ok(()) }
    }

    /// The end of a quoted scalar from `i` on this line, after its closing quote; `None`
    /// when it goes on on the next line.
    fn quoted_end(chars: &[char], mut i: usize, q: Quote) -> Option<usize> {
        while i < chars.len() {
            match (q, chars[i]) {
                (Quote::Double, '\\') => i += 2,
                (Quote::Double, '"') => return Some(i + 1),
                (Quote::Single, '\'') if chars.get(i + 1) == Some(&'\'') => i += 2,
                (Quote::Single, '\'') => return Some(i + 1),
                _ => i += 1,
            }
        }
        None
    }

    /// Scan one line; `Err(column)` where the nesting went too deep.
    fn line(&mut self, chars: &[char]) -> Result<(), usize> {
        let mut i = 0;
        if let Some(q) = self.quote {
            match Self::quoted_end(chars, 0, q) {
                None => return Ok(()),
                Some(end) => {
                    self.quote = None;
                    self.expect_node = false;
                    i = end;
                }
            }
        }
        let indent = chars.iter().take_while(|&&c| c == ' ').count();
        let empty = chars[indent..].iter().all(|c| c.is_whitespace());
        let marker = |s: &str| chars.starts_with(&s.chars().collect::<Vec<_>>()) && blank(chars.get(3));
        let document = marker("---") || marker("...");
        if let Some(parent) = self.block_scalar {
            if empty || indent > parent {
                return Ok(());
            }
            self.block_scalar = None;
        }
        let mut node_start = true;
        if i == 0 && self.flow == 0 {
            if empty {
                return Ok(());
            }
            if let Some(parent) = self.plain {
                if chars[indent] == '#' {
                    self.plain = None;
                    return Ok(());
                }
                if parent.is_none_or(|p| indent > p) && !document {
                    return Ok(());
                }
                self.plain = None;
            }
            if chars[0] == '%' {
                return Ok(());
            }
            if document {
                self.indents.clear();
                i = 3;
            } else {
                while self.parent().is_some_and(|p| p > indent) {
                    self.indents.pop();
                }
                // a sequence in its key's column ends at the next line that is no item
                let item = chars[indent] == '-' && blank(chars.get(indent + 1));
                let len = self.indents.len();
                if !item && len >= 2 && self.indents[len - 1] == (indent, true) && self.indents[len - 2].0 == indent {
                    self.indents.pop();
                }
                i = indent;
            }
        } else if i > 0 {
            node_start = false;
        }
        // the column where the last scalar of the line started: a key if `:` follows
        let mut scalar_col = i;
        while i < chars.len() {
            let c = chars[i];
            let next = chars.get(i + 1);
            if c == ' ' || c == '\t' {
                i += 1;
                continue;
            }
            if c == '#' && (i == 0 || blank(chars.get(i - 1))) {
                return Ok(());
            }
            if self.flow > 0 {
                match c {
                    '[' | '{' => self.open_flow(i)?,
                    ']' | '}' => {
                        self.flow = self.flow.saturating_sub(1);
                        self.expect_node = false;
                        if self.flow == 0 {
                            node_start = false;
                        }
                    }
                    ',' => self.expect_node = true,
                    ':' | '?' => self.expect_node = true,
                    '"' | '\'' if self.expect_node => {
                        let q = if c == '"' { Quote::Double } else { Quote::Single };
                        match Self::quoted_end(chars, i + 1, q) {
                            None => {
                                self.quote = Some(q);
                                return Ok(());
                            }
                            Some(end) => {
                                self.expect_node = false;
                                i = end;
                                continue;
                            }
                        }
                    }
                    '&' | '!' if self.expect_node => {
                        while i < chars.len() && !blank(chars.get(i)) && !",[]{}".contains(chars[i]) {
                            i += 1;
                        }
                        continue;
                    }
                    _ => {
                        // a plain scalar: up to a flow indicator, `: ` or ` #`
                        self.expect_node = false;
                        while i < chars.len() {
                            let d = chars[i];
                            if ",[]{}".contains(d)
                                || d == ':' && (blank(chars.get(i + 1)) || ",[]{}".contains(chars[i + 1]))
                                || d == '#' && blank(chars.get(i.wrapping_sub(1)))
                            {
                                break;
                            }
                            i += 1;
                        }
                        continue;
                    }
                }
                i += 1;
                continue;
            }
            // block context
            if !node_start {
                // after a quoted scalar, an alias or a flow collection: a key or nothing
                if c == ':' && blank(next) {
                    self.push_indent(scalar_col, false)?;
                    node_start = true;
                }
                i += 1;
                continue;
            }
            match c {
                '-' | '?' | ':' if blank(next) => {
                    self.push_indent(i, c == '-')?;
                    i += 1;
                }
                '[' | '{' => {
                    scalar_col = i;
                    self.open_flow(i)?;
                    i += 1;
                }
                '"' | '\'' => {
                    scalar_col = i;
                    let q = if c == '"' { Quote::Double } else { Quote::Single };
                    match Self::quoted_end(chars, i + 1, q) {
                        None => {
                            self.quote = Some(q);
                            return Ok(());
                        }
                        Some(end) => {
                            node_start = false;
                            i = end;
                        }
                    }
                }
                '|' | '>' => {
                    self.block_scalar = Some(self.parent().unwrap_or(0));
                    return Ok(());
                }
                '&' | '!' => {
                    while i < chars.len() && !blank(chars.get(i)) {
                        i += 1;
                    }
                }
                '*' => {
                    scalar_col = i;
                    node_start = false;
                    while i < chars.len() && !blank(chars.get(i)) {
                        i += 1;
                    }
                }
                _ => {
                    // a plain scalar: a key if `: ` follows on this line, else it may go
                    // on over the next, more indented lines
                    scalar_col = i;
                    loop {
                        if i >= chars.len() {
                            self.plain = Some(self.parent());
                            return Ok(());
                        }
                        if chars[i] == ':' && blank(chars.get(i + 1)) {
                            self.push_indent(scalar_col, false)?;
                            i += 1;
                            break;
                        }
                        if chars[i] == '#' && blank(chars.get(i - 1)) {
                            return Ok(());
                        }
                        i += 1;
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    /// `check` on `text`, which must not take long (a hang detector, not a speed test).
    fn checked(text: &str) -> Result<(), YamlError> {
        let started = Instant::now();
        let result = check(text);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "took {:?}",
            started.elapsed()
        );
        result
    }

    fn refused_at(text: &str, line: usize) {
        let e = checked(text).unwrap_err();
        assert_eq!(e.location.map(|l| l.0), Some(line), "{e}");
        assert!(e.message.contains("nested deeper than 64"), "{e}");
    }

    #[test]
    fn deep_flow_nesting_is_refused() {
        let n = 10_000;
        let e = checked(&format!("{}{}", "[".repeat(n), "]".repeat(n))).unwrap_err();
        assert_eq!(e.location, Some((1, 65)));
        refused_at(&format!("a: {}1{}\n", "{a: ".repeat(n), "}".repeat(n)), 1);
        refused_at(&format!("a:\n{}\n", "[\n".repeat(n)), 65);
        // 64 levels are fine
        assert!(checked(&format!("{}{}", "[".repeat(64), "]".repeat(64))).is_ok());
    }

    #[test]
    fn deep_block_nesting_is_refused() {
        // 10,000 deep in 20 KB
        refused_at(&format!("{}x\n", "- ".repeat(10_000)), 1);
        // by indentation: 2,000 deep is 2 MB already (10,000 would be refused for its size)
        let n = 2_000;
        let mapping: String = (0..n).map(|i| format!("{}a:\n", " ".repeat(i))).collect();
        refused_at(&mapping, 65);
        let mixed: String = (0..n).map(|i| format!("{}- a:\n", "  ".repeat(i))).collect();
        refused_at(&mixed, 33);
        let ok: String = (0..64).map(|i| format!("{}a:\n", " ".repeat(i))).collect();
        assert!(checked(&ok).is_ok());
    }

    #[test]
    fn text_is_not_structure() {
        let deep = "[".repeat(1000);
        for doc in [
            format!("a: \"{deep}\"\n"),
            format!("a: '{deep} it''s'\n"),
            format!("a: \"x\\\"{deep}\"\n"),
            format!("a: \"first line\n  {deep}\n  last\"\nb: 1\n"),
            format!("a: |\n  {deep} \"can't\n  {deep}\nb: 1\n"),
            format!("- >-\n  {deep}\n- b\n"),
            format!("a: foo{deep} # and {deep}\n"),
            format!("model: can't {deep}\nserial: x\n"),
            format!("# {deep}\na: 1\n"),
            format!("a: plain\n  continued {deep} \"\nb: 1\n"),
            format!("a: [x, \"{deep}\", 'y{deep}', it's]\n"),
            format!("--- |\n {deep}\n \"\n"),
            format!("|\n {deep}\n\n \"\n"),
        ] {
            assert!(checked(&doc).is_ok(), "{doc}");
        }
    }

    /// Text that only looks like a quote to a careless scanner must not hide structure.
    #[test]
    fn structure_is_not_hidden_as_text() {
        let deep = "[".repeat(10_000);
        // a plain scalar's continuation line starting with `"` is text, not a quote
        refused_at(&format!("k: a\n  \"b\nx: {deep}\ny: \"\n"), 3);
        // `'` inside a plain word opens nothing
        refused_at(&format!("k: can't\nx: {deep}\ny: '\n"), 2);
        // bare CR is a line break for libyaml: the comment ends there
        refused_at(&format!("k: 1 # \"\rx: {deep}\ry: \"\n"), 2);
        // a block scalar ends at a less-indented line
        refused_at(&format!("--- |\n text \"\n{deep}\n"), 3);
        refused_at(&format!("a:\n  b: |\n    text \"\n  c: {deep}\n"), 4);
        refused_at(&format!("- a: |\n    text '\n  b: {deep}\n"), 3);
    }

    #[test]
    fn large_documents_are_refused() {
        let doc = format!("a: {}\n", "x".repeat(MAX_BYTES));
        let e = checked(&doc).unwrap_err();
        assert!(e.message.contains("at most 4194304 (4 MiB)"), "{e}");
        assert_eq!(e.location, Some((1, 1)));
        assert!(checked(&"a: 1\n".repeat(100_000)).is_ok());
    }

    /// Every YAML file of the project passes (profiles, fixtures, the workshop default,
    /// the insta snapshots), and so do serde_yaml's own nested sequences up to the limit.
    #[test]
    fn real_documents_pass() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut seen = 0;
        for dir in ["profiles", "data", "tests/fixtures", "tests/it/snapshots"] {
            for e in walkdir::WalkDir::new(root.join(dir)).into_iter().filter_map(Result::ok) {
                let name = e.file_name().to_string_lossy();
                if [".yaml", ".yml", ".snap"].iter().any(|x| name.ends_with(x)) {
                    let text = std::fs::read_to_string(e.path()).unwrap();
                    checked(&text).unwrap_or_else(|err| panic!("{}: {err}", e.path().display()));
                    seen += 1;
                }
            }
        }
        assert!(seen > 20, "{seen} files");
        let nested = |depth: usize| {
            (0..depth).fold(serde_yaml::Value::from("x"), |v, _| {
                serde_yaml::Value::Sequence(vec![v, serde_yaml::Value::from(1)])
            })
        };
        for depth in [1, 10, MAX_DEPTH] {
            let text = serde_yaml::to_string(&nested(depth)).unwrap();
            checked(&text).unwrap_or_else(|e| panic!("{depth}: {e}\n{text}"));
        }
        assert!(checked(&serde_yaml::to_string(&nested(MAX_DEPTH + 1)).unwrap()).is_err());
    }

    #[test]
    fn lines_break_as_libyaml_breaks_them() {
        let split: Vec<&str> = lines("a\nb\r\nc\rd\u{85}e\u{2028}f\u{2029}g").collect();
        assert_eq!(split, ["a", "b", "c", "d", "e", "f", "g"]);
    }
}
