//! Reading a preseed file the way `debconf-set-selections` does, so that the netboot
//! tree, the e2e scripts (`upcycle preseed-value`) and the tests agree on what a
//! generated `preseed.cfg` answers. Pure: text in, answers out.
//!
//! The rules (debconf's `debconf-set-selections`, also what d-i applies): a line ending
//! in `\` continues on the next line (the backslash dropped, nothing else); blank lines
//! and lines starting with `#` (after blanks) are skipped; an answer is
//! `OWNER QUESTION TYPE [VALUE]`, the value being everything after the one blank that
//! follows the type; `seen` in the type place sets a flag, not a value; the last answer
//! to a question wins, whatever its owner (`d-i`, `tasksel`, a package).

/// One answer line of a preseed, continuation lines joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// Who asks it: `d-i`, `tasksel`, a package name.
    pub owner: String,
    /// The debconf question, e.g. `netcfg/get_hostname`.
    pub question: String,
    /// `string`, `select`, `multiselect`, `boolean`, `password`, `note`, ... or `seen`.
    pub kind: String,
    /// The answer; empty when the line has none.
    pub value: String,
}

impl Answer {
    /// The line as `debconf-set-selections` reads it back.
    pub fn line(&self) -> String {
        format!("{} {} {} {}", self.owner, self.question, self.kind, self.value)
    }
}

/// Every answer of a preseed, in file order (`seen` flag lines included).
pub fn answers(preseed: &str) -> Vec<Answer> {
    let mut out = Vec::new();
    let mut lines = preseed.lines().map(|l| l.strip_suffix('\r').unwrap_or(l)).peekable();
    while let Some(first) = lines.next() {
        let mut line = first.to_string();
        // A backslash on the last line stays, as in debconf-set-selections.
        while line.ends_with('\\') && lines.peek().is_some() {
            line.pop();
            line.push_str(lines.next().unwrap_or_default());
        }
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(answer) = parse_line(trimmed) {
            out.push(answer);
        }
    }
    out
}

/// `OWNER QUESTION TYPE[ VALUE]` of one joined line that starts with a non-blank.
fn parse_line(line: &str) -> Option<Answer> {
    let (owner, rest) = split_word(line)?;
    let (question, rest) = split_word(rest.trim_start())?;
    let (kind, rest) = split_word(rest.trim_start())?;
    // The value starts after exactly one blank, as in debconf-set-selections.
    let mut value = rest.chars();
    value.next();
    Some(Answer {
        owner: owner.to_string(),
        question: question.to_string(),
        kind: kind.to_string(),
        value: value.as_str().trim_end().to_string(),
    })
}

/// The first blank-separated word and what follows it (starting with the blank).
fn split_word(s: &str) -> Option<(&str, &str)> {
    let end = s.find(char::is_whitespace).unwrap_or(s.len());
    (end > 0).then(|| s.split_at(end))
}

/// The answer to `question` (any owner; the last answer wins, as in d-i); `None` when
/// there is none or the last one is empty.
pub fn value(preseed: &str, question: &str) -> Option<String> {
    answers(preseed)
        .into_iter()
        .rev()
        .find(|a| a.question == question && a.kind != "seen")
        .map(|a| a.value)
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// From a bundle of `upcycle generate tests/fixtures/machines/ibm-thinkpad-t40/root
    /// --today 2026-11-25` (shortened).
    const T40: &str = "
# upcycle preseed for schule-001 (Debian 12 (32-bit) with LXDE)
# Machine: IBM ThinkPad T40 (237342G)

### Localisation
d-i debian-installer/locale string de_DE.UTF-8
d-i localechooser/supported-locales multiselect de_DE.UTF-8
d-i keyboard-configuration/xkb-keymap select de
d-i keyboard-configuration/variantcode string 

### Network
d-i netcfg/get_hostname string schule-001
d-i netcfg/get_domain string 
d-i netcfg/wireless_wep string

### Accounts
d-i passwd/user-fullname string Einrichtung
d-i passwd/user-password-crypted password !
d-i passwd/user-default-groups string audio cdrom video plugdev netdev bluetooth scanner lpadmin
d-i partman-auto/expert_recipe string upcycle :: \\
    8000 10000 -1 ext4 $primary{ } $bootable{ } method{ format } format{ } use_filesystem{ } filesystem{ ext4 } mountpoint{ / } . \\
    1024 1024 1024 linux-swap $primary{ } method{ swap } format{ } .
d-i partman-auto/choose_recipe select upcycle

### Base system
d-i base-installer/kernel/image string linux-image-686-pae

### Packages
tasksel tasksel/first multiselect standard, lxde-desktop
d-i pkgsel/include string abiword audacity firefox-esr firmware-ipw2x00
popularity-contest popularity-contest/participate boolean false
# firmware-ipw2x00 asks to accept Intel's licence before it installs.
firmware-ipw2x00 firmware-ipw2x00/license/accepted boolean true
d-i debian-installer/add-kernel-opts string forcepae
d-i finish-install/reboot_in_progress note
";

    #[test]
    fn values_of_a_generated_preseed() {
        let v = |q| value(T40, q);
        assert_eq!(v("debian-installer/locale").as_deref(), Some("de_DE.UTF-8"));
        assert_eq!(v("keyboard-configuration/xkb-keymap").as_deref(), Some("de"));
        assert_eq!(v("netcfg/get_hostname").as_deref(), Some("schule-001"));
        assert_eq!(v("passwd/user-password-crypted").as_deref(), Some("!"));
        assert_eq!(
            v("passwd/user-default-groups").as_deref(),
            Some("audio cdrom video plugdev netdev bluetooth scanner lpadmin")
        );
        assert_eq!(v("base-installer/kernel/image").as_deref(), Some("linux-image-686-pae"));
        // another owner than d-i
        assert_eq!(v("tasksel/first").as_deref(), Some("standard, lxde-desktop"));
        assert_eq!(v("firmware-ipw2x00/license/accepted").as_deref(), Some("true"));
        // empty answers, a line with no value, no line at all
        assert_eq!(v("netcfg/get_domain"), None);
        assert_eq!(v("keyboard-configuration/variantcode"), None);
        assert_eq!(v("finish-install/reboot_in_progress"), None);
        assert_eq!(v("mirror/suite"), None);
    }

    #[test]
    fn continuation_lines_are_joined_as_debconf_joins_them() {
        let recipe = value(T40, "partman-auto/expert_recipe").unwrap();
        assert!(
            !recipe.contains('\\') && recipe.ends_with("method{ swap } format{ } ."),
            "{recipe}"
        );
        // the backslash goes, the next line's indentation stays (debconf-set-selections)
        assert!(recipe.contains("upcycle ::     8000 10000 -1 ext4"), "{recipe}");
        let answers = answers(T40);
        let next = answers
            .iter()
            .position(|a| a.question == "partman-auto/expert_recipe")
            .unwrap()
            + 1;
        assert_eq!(answers[next].question, "partman-auto/choose_recipe");
    }

    #[test]
    fn the_last_answer_wins_even_when_empty() {
        let p = "d-i keyboard-configuration/xkb-keymap select de\n\
                 d-i keyboard-configuration/xkb-keymap select fr\n\
                 d-i netcfg/get_hostname string a\nd-i netcfg/get_hostname string\n\
                 d-i mirror/suite string bookworm\nd-i mirror/suite seen false\n";
        assert_eq!(value(p, "keyboard-configuration/xkb-keymap").as_deref(), Some("fr"));
        assert_eq!(value(p, "netcfg/get_hostname"), None);
        // a `seen` flag line is no answer
        assert_eq!(value(p, "mirror/suite").as_deref(), Some("bookworm"));
    }

    #[test]
    fn answer_lines_read_back_by_debconf() {
        let lines: Vec<String> = answers(T40)
            .iter()
            .filter(|a| a.owner != "d-i")
            .map(Answer::line)
            .collect();
        assert_eq!(
            lines,
            [
                "tasksel tasksel/first multiselect standard, lxde-desktop",
                "popularity-contest popularity-contest/participate boolean false",
                "firmware-ipw2x00 firmware-ipw2x00/license/accepted boolean true",
            ]
        );
    }

    #[test]
    fn odd_shapes() {
        // indented lines, tabs, CRLF, blanks inside a value (the first one after the
        // type separates), a comment, a backslash on the last line (kept)
        let p = "  d-i\tnetcfg/get_hostname  string  two  spaces \r\n\
                 # d-i mirror/suite string commented\n\
                 d-i pkgsel/include string a \\\n";
        assert_eq!(value(p, "netcfg/get_hostname").as_deref(), Some(" two  spaces"));
        assert_eq!(value(p, "mirror/suite"), None);
        assert_eq!(value(p, "pkgsel/include").as_deref(), Some("a \\"));
        assert!(answers("d-i\nd-i only/two\n\\\n").is_empty());
    }
}
