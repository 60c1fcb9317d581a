//! Validation of a rendered bundle with the real tools of the ecosystem, before anything
//! is written: `debconf-set-selections -c` for preseeds, `bash -n` and `shellcheck` for
//! scripts, the Subiquity autoinstall JSON schema for `user-data`, and a scan that no
//! clear-text password sneaked in.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::Path;
use std::process::Command;

use crate::bundle::Bundle;

static AUTOINSTALL_SCHEMA: &str = include_str!("../data/autoinstall-schema.json");

/// One finding about one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub file: String,
    pub tool: String,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Report {
    /// Failures: the bundle must not be written.
    pub errors: Vec<Finding>,
    /// Checks that could not run (tool missing).
    pub skipped: Vec<Finding>,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.errors.is_empty()
    }
}

/// An external validator, as named by `--skip-validator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tool {
    /// `debconf-set-selections -c` on preseeds.
    Debconf,
    /// `shellcheck` on scripts.
    Shellcheck,
    /// `bash -n` on scripts.
    Bash,
}

impl Tool {
    pub const ALL: [Tool; 3] = [Tool::Debconf, Tool::Shellcheck, Tool::Bash];

    /// The program that is run.
    pub fn program(self) -> &'static str {
        match self {
            Tool::Debconf => "debconf-set-selections",
            Tool::Shellcheck => "shellcheck",
            Tool::Bash => "bash",
        }
    }

    /// The name `--skip-validator` takes.
    pub fn name(self) -> &'static str {
        match self {
            Tool::Debconf => "debconf",
            Tool::Shellcheck => "shellcheck",
            Tool::Bash => "bash",
        }
    }

    /// The Debian package that has it.
    pub fn package(self) -> &'static str {
        match self {
            Tool::Debconf => "debconf",
            Tool::Shellcheck => "shellcheck",
            Tool::Bash => "bash",
        }
    }
}

/// Validators that are neither installed nor skipped.
#[derive(Debug, thiserror::Error)]
#[error(
    "{} not installed: install {} (apt-get install {}), or pass {} to write bundles that were not checked by it",
    names(.0), if .0.len() == 1 { "it" } else { "them" }, packages(.0),
    .0.iter().map(|t| format!("--skip-validator {}", t.name())).collect::<Vec<_>>().join(" ")
)]
pub struct MissingTools(pub Vec<Tool>);

impl crate::l10n::Localize for MissingTools {
    fn localize(&self, lang: crate::l10n::Lang) -> String {
        let programs: Vec<&str> = self.0.iter().map(|t| t.program()).collect();
        let flags: Vec<String> = self
            .0
            .iter()
            .map(|t| format!("--skip-validator {}", t.name()))
            .collect();
        crate::l10n::format(
            lang,
            "err-missing-tools",
            &[
                ("names", programs.join(", ").into()),
                ("n", (programs.len() as u64).into()),
                ("packages", packages(&self.0).into()),
                ("flags", flags.join(" ").into()),
            ],
        )
    }
}

fn names(tools: &[Tool]) -> String {
    let names: Vec<&str> = tools.iter().map(|t| t.program()).collect();
    match names.as_slice() {
        [one] => format!("{one} is"),
        more => format!("{} are", more.join(", ")),
    }
}

fn packages(tools: &[Tool]) -> String {
    let mut p: Vec<&str> = tools.iter().map(|t| t.package()).collect();
    p.dedup();
    p.join(" ")
}

/// Every validator that is not skipped must be installed: checked before anything is
/// rendered, so a missing tool never lets a bundle through unchecked.
pub fn require(skip: &BTreeSet<Tool>) -> Result<(), MissingTools> {
    let missing: Vec<Tool> = Tool::ALL
        .into_iter()
        .filter(|t| !skip.contains(t) && !on_path(t.program()))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(MissingTools(missing))
    }
}

/// Is `program` an executable file in a directory of `PATH` (or `/usr/sbin`, `/sbin`,
/// where Debian keeps some tools that a user's PATH may lack)?
fn on_path(program: &str) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin".into(), "/sbin".into()])
        .any(|dir| {
            std::fs::metadata(dir.join(program)).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// Run every validator that applies to the bundle's files.
pub fn validate(bundle: &Bundle) -> Report {
    let mut report = validate_external(bundle, &BTreeSet::new());
    report.errors.extend(in_process(bundle));
    report
}

/// The external validators (not those in `skip`) on the bundle's files.
pub fn validate_external(bundle: &Bundle, skip: &BTreeSet<Tool>) -> Report {
    let mut report = Report::default();
    let files: Vec<Labelled> = bundle
        .files
        .iter()
        .filter(|f| needs_tools(&f.path))
        .map(|f| Labelled {
            label: 0,
            name: &f.path,
            contents: f.text(),
            values: &bundle.machine_values,
        })
        .collect();
    let (errors, skipped) = external(&files, skip, &mut CheckedCommands::default());
    report.errors.extend(errors.into_iter().map(|(_, f)| f));
    report.skipped.extend(skipped.into_iter().map(|(_, f)| f));
    report
}

/// Which files share one verdict of the external tools: the SHA-256 of the file's text with
/// each of the machine's own values (from render) replaced by a placeholder naming its role.
///
/// Two files with the same key are the same text except at the placeholders, where each
/// holds one of its machine's values: validated tokens (host name, disk, packages), numbers,
/// or free text that reached the file through its format's filter (`preseed`, `sh`). The
/// key is taken from the rendered text, so every template branch, whatever variable it
/// depends on, shows in it. A value is masked only when it cannot be mistaken for template
/// words: at least 4 characters and at least one that is not a letter (a host name such as
/// `fi` is left as it is, which only means more runs of the tools).
pub fn kind_key(text: &str, machine_values: &[(&'static str, String)]) -> String {
    Masker::new(machine_values).kind_key(text)
}

/// One machine's values, ready to mask in each of its files ([`kind_key`]): built once
/// per bundle (a searcher per value), it hashes each file's masked text piece by piece,
/// without writing it out.
pub struct Masker<'a> {
    /// (role, value, a searcher for the value's first [`Masker::PREFIX`] bytes) of the
    /// values worth masking.
    values: Vec<(&'static str, &'a str, memchr::memmem::Finder<'a>)>,
}

impl<'a> Masker<'a> {
    /// How much of a value is searched for: a searcher for all of a long one (the
    /// selection, ~10 KB) costs more to build than the search; the rest is compared.
    const PREFIX: usize = 64;

    pub fn new(machine_values: &'a [(&'static str, String)]) -> Self {
        let values = machine_values
            .iter()
            .filter(|(_, v)| v.chars().count() >= 4 && v.chars().any(|c| !c.is_ascii_alphabetic()))
            .map(|(role, v)| {
                let prefix = &v.as_bytes()[..v.len().min(Self::PREFIX)];
                (*role, v.as_str(), memchr::memmem::Finder::new(prefix))
            })
            .collect();
        Masker { values }
    }

    /// The [`kind_key`] of `text`.
    pub fn kind_key(&self, text: &str) -> String {
        crate::digest::sha256_hex_of_parts(self.masked(text))
    }

    /// `text` in pieces, each value replaced by its role in private-use brackets. Left to
    /// right, the longest value that starts at a place (then the first role by name): a
    /// value that contains another is masked whole, and the placeholder names the role,
    /// so it is the same for every machine.
    fn masked<'t>(&'t self, text: &'t str) -> Vec<&'t [u8]> {
        let hay = text.as_bytes();
        // (start, end, role) of every whole occurrence of every value
        let mut hits: Vec<(usize, usize, &str)> = Vec::new();
        for (role, value, finder) in &self.values {
            let mut from = 0;
            while let Some(i) = finder.find(&hay[from..]) {
                let at = from + i;
                if hay[at..].starts_with(value.as_bytes()) {
                    hits.push((at, at + value.len(), role));
                }
                from = at + 1;
            }
        }
        hits.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)));
        let mut pieces: Vec<&[u8]> = Vec::with_capacity(4 * hits.len() + 1);
        let mut copied = 0;
        for (start, end, role) in hits {
            if start < copied {
                continue; // inside a value already masked
            }
            pieces.extend([
                &hay[copied..start],
                "\u{e000}".as_bytes(),
                role.as_bytes(),
                "\u{e001}".as_bytes(),
            ]);
            copied = end;
        }
        pieces.push(&hay[copied..]);
        pieces
    }
}

/// Does a file with this name go to the external tools (preseeds and scripts)?
pub fn needs_tools(name: &str) -> bool {
    name.ends_with(".cfg") || name.ends_with(".sh")
}

/// A file for the external tools, with a label saying what it stands for (a bundle, a
/// kind of file): findings come back with the label of the file they are about.
pub struct Labelled<'a> {
    pub label: usize,
    pub name: &'a str,
    pub contents: &'a str,
    /// The machine's own values in `contents` ([`kind_key`]); empty when unknown.
    pub values: &'a [(&'static str, String)],
}

/// Labelled findings: (errors, checks that could not run).
pub type LabelledFindings = (Vec<(usize, Finding)>, Vec<(usize, Finding)>);

/// The preseeds' shell commands already checked, by kind ([`kind_key`]), kept from one run
/// of [`external`] to the next (a batch runs the tools again for every new kind of
/// preseed, and the commands are mostly the same): shellcheck's findings on each, with the
/// name the findings were said about. A command whose check could not run is not kept.
#[derive(Debug, Default)]
pub struct CheckedCommands(HashMap<String, (String, Vec<Finding>)>);

/// Run the external tools over many files at once, side by side: one
/// `debconf-set-selections -c` over every preseed (it reads them as one stream, so only
/// when it complains is each preseed run alone, to say which), one `shellcheck` over every
/// script, and `bash -n` per script. Each tool start costs ~0.1 s, which is what a batch of
/// a thousand machines spends its time on.
pub fn external(files: &[Labelled], skip: &BTreeSet<Tool>, checked: &mut CheckedCommands) -> LabelledFindings {
    let mut found: LabelledFindings = (Vec::new(), Vec::new());
    if files.is_empty() {
        return found;
    }
    let run = |t: Tool| !skip.contains(&t);
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => {
            for f in files {
                found.0.push((f.label, finding(f.name, "tempdir", e.to_string())));
            }
            return found;
        }
    };
    // Each file at <n>/<name>, so files of the same name from different bundles can meet.
    let mut cfgs: Vec<(&Labelled, std::path::PathBuf)> = Vec::new();
    let mut scripts: Vec<(&Labelled, std::path::PathBuf)> = Vec::new();
    for (n, f) in files.iter().enumerate() {
        let path = dir.path().join(n.to_string()).join(f.name);
        let written =
            std::fs::create_dir_all(dir.path().join(n.to_string())).and_then(|_| std::fs::write(&path, f.contents));
        match written {
            Err(e) => found.0.push((f.label, finding(f.name, "write", e.to_string()))),
            Ok(()) if f.name.ends_with(".cfg") => cfgs.push((f, path)),
            Ok(()) => scripts.push((f, path)),
        }
    }
    // The shell commands d-i runs from the preseeds (early/late commands), each as a
    // script of its own with `#!/bin/sh` for shellcheck (d-i's shell is busybox sh). A
    // command of the same kind in several preseeds (the same text once each preseed's
    // machine values are masked, see `kind_key`: most are the same in every preseed but
    // for the install token) is checked once, and its findings go to every preseed that
    // has it.
    let mut commands: Vec<(String, std::path::PathBuf)> = Vec::new();
    let mut command_owners: Vec<Vec<(usize, String)>> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (f, _) in &cfgs {
        let masker = Masker::new(f.values);
        for (key, value) in preseed_commands(f.contents) {
            let owner = (f.label, format!("{} ({key})", f.name));
            let script = format!("#!/bin/sh\n{value}\n");
            let key = masker.kind_key(&script);
            if let Some((said_as, findings)) = checked.0.get(&key) {
                for found_before in findings {
                    let message = found_before.message.replace(said_as.as_str(), &owner.1);
                    found.0.push((owner.0, finding(&owner.1, &found_before.tool, message)));
                }
                continue;
            }
            if let Some(&i) = seen.get(&key) {
                command_owners[i].push(owner);
                continue;
            }
            let path = dir.path().join(format!("cmd-{}.sh", commands.len()));
            match std::fs::write(&path, &script) {
                Ok(()) => {
                    seen.insert(key, commands.len());
                    commands.push((script, path));
                    command_owners.push(vec![owner]);
                }
                Err(e) => found.0.push((f.label, finding(f.name, "write", e.to_string()))),
            }
        }
    }
    // Each unique command once, labelled by its index; its findings are copied to its
    // owners after the run.
    let command_files: Vec<Labelled> = commands
        .iter()
        .zip(&command_owners)
        .enumerate()
        .map(|(i, ((script, _), owners))| Labelled {
            label: i,
            name: &owners[0].1,
            contents: script,
            values: &[],
        })
        .collect();
    let rc = debconf_private_config(dir.path());
    let debconf = |paths: &[&std::path::PathBuf]| {
        let mut cmd = Command::new("debconf-set-selections");
        cmd.arg("-c").args(paths).env("DEBCONF_SYSTEMRC", &rc);
        spawn(cmd)
    };
    let all_cfgs =
        (!cfgs.is_empty() && run(Tool::Debconf)).then(|| debconf(&cfgs.iter().map(|(_, p)| p).collect::<Vec<_>>()));
    // One shellcheck over the scripts and the preseeds' commands (a start costs ~0.1 s):
    // each file's shebang says its shell (`#!/bin/bash` scripts, `#!/bin/sh` commands).
    let shellcheck = (!(scripts.is_empty() && commands.is_empty()) && run(Tool::Shellcheck)).then(|| {
        let mut cmd = Command::new("shellcheck");
        cmd.args(["-S", "warning", "-f", "gcc"]);
        cmd.args(scripts.iter().map(|(_, p)| p));
        cmd.args(commands.iter().map(|(_, p)| p));
        spawn(cmd)
    });
    for (f, path) in scripts.iter().filter(|_| run(Tool::Bash)) {
        let mut cmd = Command::new("bash");
        cmd.arg("-n").arg(path);
        record(
            &mut found,
            &[(f, path)],
            "bash",
            spawn(cmd).and_then(|c| c.wait_with_output()),
        );
    }
    if let Some(child) = all_cfgs {
        let out = child.and_then(|c| c.wait_with_output());
        match out {
            Ok(o) if cfgs.len() > 1 && !debconf_passed(&o) => {
                for (f, path) in &cfgs {
                    let out = debconf(&[path]).and_then(|c| c.wait_with_output());
                    record(&mut found, &[(f, path)], "debconf-set-selections", out);
                }
            }
            out => {
                let all: Vec<_> = cfgs.iter().map(|(f, p)| (*f, p)).collect();
                record(&mut found, &all, "debconf-set-selections", out);
            }
        }
    }
    if let Some(child) = shellcheck {
        // Labels in one run: scripts by position, then the unique commands after them.
        let relabelled: Vec<Labelled> = scripts
            .iter()
            .enumerate()
            .map(|(i, (f, _))| Labelled {
                label: i,
                name: f.name,
                contents: f.contents,
                values: &[],
            })
            .chain(command_files.iter().map(|c| Labelled {
                label: scripts.len() + c.label,
                name: c.name,
                contents: c.contents,
                values: &[],
            }))
            .collect();
        let all: Vec<_> = relabelled
            .iter()
            .zip(scripts.iter().map(|(_, p)| p).chain(commands.iter().map(|(_, p)| p)))
            .collect();
        let mut run: LabelledFindings = (Vec::new(), Vec::new());
        record(&mut run, &all, "shellcheck", child.and_then(|c| c.wait_with_output()));
        // Remember each command's verdict for the next run (not when shellcheck could not run).
        let could_not_run: BTreeSet<usize> = run.1.iter().map(|(i, _)| *i).collect();
        for (key, &c) in &seen {
            let i = scripts.len() + c;
            if !could_not_run.contains(&i) {
                let findings = run.0.iter().filter(|(l, _)| *l == i).map(|(_, f)| f.clone()).collect();
                checked
                    .0
                    .insert(key.clone(), (relabelled[i].name.to_string(), findings));
            }
        }
        let owners = |i: usize| -> Vec<(usize, String)> {
            match i.checked_sub(scripts.len()) {
                None => vec![(scripts[i].0.label, scripts[i].0.name.to_string())],
                Some(c) => command_owners[c].clone(),
            }
        };
        for (into, from) in [(&mut found.0, run.0), (&mut found.1, run.1)] {
            for (i, f) in from {
                for (label, name) in owners(i) {
                    let message = f.message.replace(relabelled[i].name, &name);
                    into.push((label, finding(&name, &f.tool, message)));
                }
            }
        }
    }
    found
}

/// The shell commands of a preseed: `(key, command)` of every `*/early_command` and
/// `*/late_command` answer (`partman/early_command`, `preseed/late_command`, ...).
pub fn preseed_commands(preseed: &str) -> Vec<(String, String)> {
    preseed
        .lines()
        // A comment that starts like an answer (`# partman/early_command tells ...`) is none.
        .filter(|line| !line.trim_start().starts_with('#'))
        .filter_map(|line| {
            let mut words = line.splitn(4, ' ');
            let (_owner, key, _type, value) = (words.next()?, words.next()?, words.next()?, words.next()?);
            (key.ends_with("/early_command") || key.ends_with("/late_command"))
                .then(|| (key.to_string(), value.to_string()))
        })
        .collect()
}

fn finding(file: &str, tool: &str, message: String) -> Finding {
    Finding {
        file: file.to_string(),
        tool: tool.to_string(),
        message,
    }
}

fn spawn(mut cmd: Command) -> std::io::Result<std::process::Child> {
    // The tools judge the files, not the user's locale: a German volunteer's
    // `LANG=de_DE.UTF-8` on a PC without that locale made perl (debconf-set-selections)
    // warn on stderr, which reads as a finding. C.UTF-8 is always there and keeps UTF-8
    // (shellcheck refuses non-ASCII text under plain C).
    cmd.env("LC_ALL", "C.UTF-8").env_remove("LANGUAGE");
    cmd.stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
}

/// `debconf-set-selections` exits 0 on some parse errors; anything on stderr is a finding.
fn debconf_passed(out: &std::process::Output) -> bool {
    out.status.success() && out.stderr.is_empty()
}

/// Turn a tool's outcome on `files` into findings: temp paths replaced by file names. A
/// tool's output lines that start with a file's path (shellcheck's gcc format, bash's
/// messages) go to that file; output naming no file goes to every file of the run.
fn record(
    found: &mut LabelledFindings,
    files: &[(&Labelled, &std::path::PathBuf)],
    tool: &str,
    out: std::io::Result<std::process::Output>,
) {
    let for_all = |found: &mut Vec<(usize, Finding)>, message: &str| {
        for (f, _) in files {
            found.push((f.label, finding(f.name, tool, message.to_string())));
        }
    };
    let out = match out {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let message = format!("{tool} is not installed (apt-get install {})", package_of(tool));
            return for_all(&mut found.1, &message);
        }
        Err(e) => return for_all(&mut found.0, &e.to_string()),
        Ok(out) => out,
    };
    let passed = if tool == "debconf-set-selections" {
        debconf_passed(&out)
    } else {
        out.status.success()
    };
    if passed {
        return;
    }
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut unclaimed = Vec::new();
    let mut per_file: Vec<Vec<String>> = vec![Vec::new(); files.len()];
    for line in text.lines() {
        let owner = files.iter().position(|(_, p)| line.contains(&*p.to_string_lossy()));
        match owner {
            Some(i) => per_file[i].push(line.replace(&*files[i].1.to_string_lossy(), files[i].0.name)),
            None => unclaimed.push(line),
        }
    }
    let mut any = false;
    for ((f, _), lines) in files.iter().zip(&per_file) {
        if !lines.is_empty() {
            any = true;
            found.0.push((f.label, finding(f.name, tool, lines.join("\n"))));
        }
    }
    if !any {
        for_all(&mut found.0, text.trim());
    }
}

/// The checks that need no external tool: the autoinstall schema and the password scan.
pub fn in_process(bundle: &Bundle) -> Vec<Finding> {
    let mut errors = Vec::new();
    for f in &bundle.files {
        if f.path == "user-data"
            && let Err(message) = check_user_data(f.text())
        {
            errors.push(Finding {
                file: f.path.clone(),
                tool: "autoinstall schema".into(),
                message,
            });
        }
        if f.path.ends_with(".cfg")
            && let Some(key) = repeated_preseed_key(f.text())
        {
            errors.push(Finding {
                file: f.path.clone(),
                tool: "preseed keys".into(),
                message: format!("{key} is answered twice: debconf keeps only the last answer"),
            });
        }
        if f.path.ends_with(".cfg")
            && let Some(key) = backslash_in_command(f.text())
        {
            errors.push(Finding {
                file: f.path.clone(),
                tool: "preseed commands".into(),
                message: format!(
                    "{key} holds a backslash: d-i's debconf reads \\n as a line break and runs only the first line"
                ),
            });
        }
        if let Some(line) = clear_text_password(f.text()) {
            errors.push(Finding {
                file: f.path.clone(),
                tool: "password scan".into(),
                message: format!("a password that is not a SHA-512 crypt hash: {line}"),
            });
        }
    }
    errors
}

/// The first `owner key` a preseed answers twice (`d-i preseed/early_command` twice: the
/// first command would never run).
pub fn repeated_preseed_key(preseed: &str) -> Option<String> {
    let mut seen = std::collections::HashSet::new();
    preseed
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            Some((w.next()?, w.next()?))
        })
        .find(|k| !seen.insert(*k))
        .map(|(owner, key)| format!("{owner} {key}"))
}

/// The first installer command (`*/early_command`, `*/late_command`) of a preseed that
/// holds a backslash. d-i's debconf turns `\n` in an answer into a line break, and the
/// installer runs only an answer's first line (docs/e2e.md, finding 12).
pub fn backslash_in_command(preseed: &str) -> Option<String> {
    preseed_commands(preseed)
        .into_iter()
        .find(|(_, command)| command.contains('\\'))
        .map(|(key, _)| key)
}

/// A debconf configuration with its own databases in `dir`: `debconf-set-selections`
/// locks the system's database and fails silently when another run holds it.
pub fn debconf_private_config(dir: &Path) -> std::path::PathBuf {
    let rc = dir.join("debconf.conf");
    let text = format!(
        "Config: configdb\nTemplates: templatedb\n\nName: configdb\nDriver: File\nFilename: {0}/config.dat\n\nName: templatedb\nDriver: File\nFilename: {0}/templates.dat\n",
        dir.display()
    );
    let _ = std::fs::write(&rc, text);
    rc
}

fn package_of(tool: &str) -> &str {
    match tool {
        "debconf-set-selections" => "debconf",
        other => other,
    }
}

/// `#cloud-config` first, then an `autoinstall` mapping valid against the schema.
pub fn check_user_data(text: &str) -> Result<(), String> {
    if text.lines().next() != Some("#cloud-config") {
        return Err("the first line must be #cloud-config, or Subiquity ignores the file".into());
    }
    let doc: serde_json::Value = crate::yaml::from_str(text).map_err(|e| format!("not YAML: {e}"))?;
    let Some(autoinstall) = doc.get("autoinstall") else {
        return Err("no top-level `autoinstall:` key".into());
    };
    // Compiled once per process: a batch checks every Ubuntu bundle against it.
    static VALIDATOR: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    let validator = VALIDATOR.get_or_init(|| {
        let schema: serde_json::Value = serde_json::from_str(AUTOINSTALL_SCHEMA).expect("embedded schema is JSON");
        jsonschema::validator_for(&schema).expect("the embedded autoinstall schema compiles")
    });
    let errors: Vec<String> = validator
        .iter_errors(autoinstall)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("; "))
    }
}

/// A line that sets a password in clear text (preseed `password` values that are not
/// `$6$` hashes or `!`, `password:` keys in YAML with other values).
fn clear_text_password(text: &str) -> Option<String> {
    // Both forms below hold the word; most files hold it on a few lines or none.
    if !text.contains("password") {
        return None;
    }
    for line in lines_with(text, "password") {
        let t = line.trim();
        if t.starts_with('#') {
            continue;
        }
        if let Some(rest) = t.strip_prefix("d-i ").or_else(|| t.strip_prefix("user-setup-udeb "))
            && rest.contains("password")
        {
            let mut parts = rest.split_whitespace();
            let (key, kind, value) = (
                parts.next().unwrap_or(""),
                parts.next().unwrap_or(""),
                parts.next().unwrap_or(""),
            );
            if kind == "password"
                && !(key.ends_with("-crypted") && (crate::workshop::is_sha512_crypt(value) || value == "!"))
            {
                return Some(format!("{key} {kind} ..."));
            }
        }
        if let Some(value) = t.strip_prefix("password:") {
            let v = value.trim().trim_matches('"');
            if !crate::workshop::is_sha512_crypt(v) {
                return Some("password: ...".into());
            }
        }
    }
    None
}

/// The lines of `text` (as `str::lines` gives them) that hold `word`, each once, found by
/// one search over the whole text instead of a search per line.
fn lines_with<'t>(text: &'t str, word: &str) -> impl Iterator<Item = &'t str> {
    let finder = memchr::memmem::Finder::new(word.as_bytes()).into_owned();
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = from + finder.find(&text.as_bytes()[from..])?;
        let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        from = (end + 1).min(text.len());
        let line = &text[start..end];
        // `lines` drops a `\r` only before a `\n`
        Some(if end < text.len() {
            line.strip_suffix('\r').unwrap_or(line)
        } else {
            line
        })
    })
}

/// Write findings for a person.
pub fn describe(findings: &[Finding]) -> String {
    let mut out = Vec::new();
    for f in findings {
        let _ = writeln!(out, "  {} ({}): {}", f.file, f.tool, f.message.replace('\n', "\n    "));
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_name_the_files_the_tools_complain_about() {
        let mut bundle = Bundle::default();
        bundle.add("good.sh", "#!/bin/bash\necho \"$1\"\n".into(), 0o755);
        bundle.add("bad.sh", "#!/bin/bash\ncd $1\nrm -rf \"$2\"/*\n".into(), 0o755);
        bundle.add("broken.sh", "#!/bin/bash\nif then fi\n".into(), 0o755);
        bundle.add(
            "preseed.cfg",
            "d-i debian-installer/locale string de_DE.UTF-8\n".into(),
            0o644,
        );
        let report = validate(&bundle);
        let by_tool = |tool: &str| -> Vec<String> {
            report
                .errors
                .iter()
                .filter(|f| f.tool == tool)
                .map(|f| f.file.clone())
                .collect()
        };
        assert_eq!(by_tool("bash"), ["broken.sh"], "{:?}", report.errors);
        // One shellcheck ran over all three scripts; each finding is about one of them.
        assert_eq!(by_tool("shellcheck"), ["bad.sh", "broken.sh"], "{:?}", report.errors);
        let bad = report.errors.iter().find(|f| f.file == "bad.sh").unwrap();
        assert!(
            bad.message.contains("SC2164") && !bad.message.contains("broken.sh"),
            "{bad:?}"
        );
        assert!(by_tool("debconf-set-selections").is_empty(), "{:?}", report.errors);
        assert!(
            report.errors.iter().all(|f| !f.message.contains("/tmp")),
            "{:?}",
            report.errors
        );
    }

    #[test]
    fn the_preseeds_shell_commands_are_shellchecked_as_sh() {
        let mut bundle = Bundle::default();
        bundle.add(
            "preseed.cfg",
            "d-i partman/early_command string for d in $(list-devices disk); do echo \"$d\"; done\n\
             d-i preseed/late_command string if [ -f /x ]; then cp /x /target/x\n"
                .into(),
            0o644,
        );
        let report = validate(&bundle);
        let files: Vec<&str> = report.errors.iter().map(|f| f.file.as_str()).collect();
        assert_eq!(files, ["preseed.cfg (preseed/late_command)"], "{:?}", report.errors);
        assert_eq!(report.errors[0].tool, "shellcheck");
        // The same preseed without the broken command passes.
        let mut bundle = Bundle::default();
        bundle.add(
            "preseed.cfg",
            "d-i partman/early_command string for d in $(list-devices disk); do echo \"$d\"; done\n".into(),
            0o644,
        );
        assert!(validate(&bundle).ok(), "{:?}", validate(&bundle).errors);
        assert_eq!(
            preseed_commands(
                "# partman/early_command tells `serve` (a comment)\nd-i preseed/late_command string a; b\nd-i x/y string z\n"
            ),
            [("preseed/late_command".to_string(), "a; b".to_string())]
        );
    }

    #[test]
    fn a_preseed_command_checked_in_one_run_is_not_given_to_shellcheck_again() {
        // Two preseeds of two machines (different host names) with the same broken late
        // command; the second run's shellcheck is skipped, so its finding can only come
        // from what the first run kept, said about the second preseed.
        let preseed = |host: &str| {
            format!(
                "d-i netcfg/get_hostname string {host}\n\
                 d-i preseed/late_command string echo {host}; if [ -f /x ]; then cp /x /target/x\n"
            )
        };
        let (first, second) = (preseed("schule-001"), preseed("schule-002"));
        let values_1 = [("hostname", "schule-001".to_string())];
        let values_2 = [("hostname", "schule-002".to_string())];
        let mut checked = CheckedCommands::default();
        let run_1 = [Labelled {
            label: 7,
            name: "preseed.cfg",
            contents: &first,
            values: &values_1,
        }];
        let (errors, _) = external(&run_1, &BTreeSet::from([Tool::Debconf]), &mut checked);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].0, 7);
        let run_2 = [Labelled {
            label: 8,
            name: "preseed-2.cfg",
            contents: &second,
            values: &values_2,
        }];
        let (errors, skipped) = external(&run_2, &BTreeSet::from([Tool::Debconf, Tool::Shellcheck]), &mut checked);
        assert!(skipped.is_empty(), "{skipped:?}");
        assert_eq!(errors.len(), 1, "{errors:?}");
        let (label, found) = &errors[0];
        assert_eq!((*label, found.tool.as_str()), (8, "shellcheck"));
        assert_eq!(found.file, "preseed-2.cfg (preseed/late_command)");
        assert!(
            found.message.contains("preseed-2.cfg (preseed/late_command)"),
            "{}",
            found.message
        );
        // A command nobody checked yet is not passed on the strength of the memory: with
        // shellcheck skipped it gets no verdict at all.
        let third = "d-i preseed/late_command string if [ -f /y ]; then cp /y /target/y\n";
        let run_3 = [Labelled {
            label: 9,
            name: "preseed.cfg",
            contents: third,
            values: &[],
        }];
        let (errors, _) = external(&run_3, &BTreeSet::from([Tool::Debconf, Tool::Shellcheck]), &mut checked);
        assert!(errors.is_empty(), "{errors:?}");
    }

    /// (label, file name, text) as files for [`external`], with no machine values.
    fn without_values<'a>(files: &'a [(usize, &'a str, &'a str)]) -> Vec<Labelled<'a>> {
        files
            .iter()
            .map(|&(label, name, contents)| Labelled {
                label,
                name,
                contents,
                values: &[],
            })
            .collect()
    }

    #[test]
    fn a_command_shared_by_preseeds_is_checked_once_and_reported_for_each() {
        let bad = "d-i preseed/late_command string if [ -f /x ]; then cp /x /target/x\n";
        let other = "d-i partman/early_command string cd $1\n";
        let second = format!("d-i debian-installer/locale string de_DE.UTF-8\n{bad}");
        let files = [
            (1, "preseed.cfg", bad),
            (2, "preseed.cfg", second.as_str()),
            (3, "preseed.cfg", other),
            (4, "preseed.cfg", "d-i debian-installer/locale string de_DE.UTF-8\n"),
        ];
        let labelled = without_values(&files);
        let (errors, skipped) = external(&labelled, &BTreeSet::new(), &mut CheckedCommands::default());
        assert!(skipped.is_empty(), "{skipped:?}");
        let mut got: Vec<(usize, &str)> = errors.iter().map(|(l, f)| (*l, f.file.as_str())).collect();
        got.sort();
        assert_eq!(
            got,
            [
                (1, "preseed.cfg (preseed/late_command)"),
                (2, "preseed.cfg (preseed/late_command)"),
                (3, "preseed.cfg (partman/early_command)"),
            ],
            "{errors:?}"
        );
        // Each finding names the preseed's command, never the temp file, and the shared
        // command's finding is the same for both preseeds.
        assert!(
            errors
                .iter()
                .all(|(_, f)| !f.message.contains("/tmp") && !f.message.contains("cmd-"))
        );
        assert_eq!(
            errors.iter().find(|(l, _)| *l == 1).unwrap().1.message,
            errors.iter().find(|(l, _)| *l == 2).unwrap().1.message
        );
    }

    #[test]
    fn commands_that_differ_only_in_their_machines_values_are_one_kind() {
        let cmd = |token: &str| format!("d-i preseed/late_command string T={token}; if [ -f /x ]; then cp /x /y\n");
        let (a, b) = (cmd("0a1b2c3d4e5f"), cmd("9f8e7d6c5b4a"));
        let va = vec![("install_token", "0a1b2c3d4e5f".to_string())];
        let vb = vec![("install_token", "9f8e7d6c5b4a".to_string())];
        let files = [(1, a.as_str(), &va), (2, b.as_str(), &vb)];
        let labelled: Vec<Labelled> = files
            .iter()
            .map(|(label, contents, values)| Labelled {
                label: *label,
                name: "preseed.cfg",
                contents,
                values: values.as_slice(),
            })
            .collect();
        let (errors, _) = external(&labelled, &BTreeSet::new(), &mut CheckedCommands::default());
        let mut labels: Vec<usize> = errors.iter().map(|(l, _)| *l).collect();
        labels.sort();
        assert_eq!(labels, [1, 2], "{errors:?}");
        // Without the values they are two texts, checked apart: the same findings.
        let bare: Vec<Labelled> = labelled.iter().map(|l| Labelled { values: &[], ..*l }).collect();
        let (errors, _) = external(&bare, &BTreeSet::new(), &mut CheckedCommands::default());
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(kind_key(&a, &va), kind_key(&b, &vb));
        assert_ne!(kind_key(&a, &[]), kind_key(&b, &[]));
    }

    #[test]
    fn a_backslash_in_an_installer_command_is_refused() {
        let printf = "d-i preseed/early_command string printf 'a\\nb' >/tmp/x\nd-i x/y string a\\b\n";
        assert_eq!(backslash_in_command(printf), Some("preseed/early_command".into()));
        let late = "d-i preseed/early_command string echo a\nd-i preseed/late_command string sed 's/\\(x\\)/y/'\n";
        assert_eq!(backslash_in_command(late), Some("preseed/late_command".into()));
        // Only commands: another answer may hold one, and a comment is no answer.
        let other =
            "d-i preseed/early_command string echo a\nd-i x/y string a\\b\n# d-i preseed/late_command string a\\b\n";
        assert_eq!(backslash_in_command(other), None);
    }

    #[test]
    fn a_preseed_key_answered_twice_is_an_error() {
        let twice = "d-i preseed/early_command string a\n# d-i x/y string z\nd-i preseed/early_command string b\n";
        assert_eq!(
            repeated_preseed_key(twice).as_deref(),
            Some("d-i preseed/early_command")
        );
        let mut bundle = Bundle::default();
        bundle.add("preseed.cfg", twice.into(), 0o644);
        let found = in_process(&bundle);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].tool, "preseed keys");
        // Comments and different owners of one key are not repeats.
        assert_eq!(
            repeated_preseed_key("d-i a/b string 1\n#d-i a/b string 2\ntasksel a/b string 3\n"),
            None
        );
    }

    #[test]
    fn files_of_many_bundles_checked_together_keep_their_labels() {
        let good_cfg = "d-i debian-installer/locale string de_DE.UTF-8\n";
        let bad_cfg = "d-i debian-installer/locale\n";
        let good_sh = "#!/bin/bash\necho \"$1\"\n";
        let bad_sh = "#!/bin/bash\ncd $1\n";
        let files = [
            (10, "preseed.cfg", good_cfg),
            (11, "preseed.cfg", bad_cfg),
            (12, "preseed.cfg", good_cfg),
            (20, "postinstall.sh", good_sh),
            (21, "postinstall.sh", bad_sh),
        ];
        let labelled = without_values(&files);
        let (errors, skipped) = external(&labelled, &BTreeSet::new(), &mut CheckedCommands::default());
        assert!(skipped.is_empty(), "{skipped:?}");
        let mut labels: Vec<(usize, &str)> = errors.iter().map(|(l, f)| (*l, f.tool.as_str())).collect();
        labels.sort();
        // The one debconf run over three preseeds complained; run alone, only 11 fails.
        assert_eq!(
            labels,
            [(11, "debconf-set-selections"), (21, "shellcheck")],
            "{errors:?}"
        );
        assert!(errors.iter().all(|(_, f)| !f.message.contains("/tmp")), "{errors:?}");
    }

    #[test]
    fn lines_with_a_word_are_the_lines_that_hold_it() {
        for text in [
            "",
            "password",
            "a\npassword x\nb password password\n\npassword",
            "x\r\npassword\r\ny\r\n",
            "passwordpassword\npasswor\nd password\n",
            "ä password ö\n",
            "a\npassword\r",
        ] {
            let want: Vec<&str> = text.lines().filter(|l| l.contains("password")).collect();
            assert_eq!(lines_with(text, "password").collect::<Vec<_>>(), want, "{text:?}");
        }
    }

    #[test]
    fn clear_text_passwords_are_found() {
        assert!(clear_text_password("d-i passwd/user-password password geheim\n").is_some());
        assert!(clear_text_password("d-i passwd/user-password-crypted password geheim\n").is_some());
        assert!(clear_text_password("d-i passwd/user-password-crypted password !\n").is_none());
        assert!(clear_text_password("    password: \"hunter2\"\n").is_some());
        assert!(clear_text_password("# d-i passwd/user-password password x\n").is_none());
    }

    #[test]
    fn user_data_needs_the_header_and_a_valid_autoinstall() {
        assert!(check_user_data("autoinstall:\n  version: 1\n").is_err());
        assert!(check_user_data("#cloud-config\nautoinstall:\n  version: 1\n").is_ok());
        let bad =
            check_user_data("#cloud-config\nautoinstall:\n  version: 1\n  identity: {username: a}\n").unwrap_err();
        assert!(bad.contains("identity"), "{bad}");
    }

    #[test]
    fn each_value_is_masked_by_its_role_longest_first() {
        let masked = |text: &str, values: &[(&'static str, String)]| -> String {
            let m = Masker::new(values);
            String::from_utf8(m.masked(text).concat())
                .unwrap()
                .replace(['\u{e000}', '\u{e001}'], "|")
        };
        let v = |pairs: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
            pairs.iter().map(|(r, v)| (*r, v.to_string())).collect()
        };
        // Every occurrence, in any file position; none: the text as it is.
        assert_eq!(
            masked("a-b x a-b", &v(&[("host", "a-b1"), ("disk", "/dev/sda")])),
            "a-b x a-b"
        );
        assert_eq!(
            masked(
                "H=a-b1 D=/dev/sda H=a-b1",
                &v(&[("host", "a-b1"), ("disk", "/dev/sda")])
            ),
            "H=|host| D=|disk| H=|host|"
        );
        // A value that contains another is masked whole; the other elsewhere.
        let nested = v(&[("disk", "/dev/sda"), ("part", "/dev/sda1")]);
        assert_eq!(masked("/dev/sda1 /dev/sda", &nested), "|part| |disk|");
        // Two roles with the same value: the first role by name, in every file alike.
        let same = v(&[("hostname", "schule-001"), ("asset_id", "schule-001")]);
        assert_eq!(masked("x schule-001", &same), "x |asset_id|");
        // Overlapping values: the one that starts first.
        let overlap = v(&[("a", "12-34"), ("b", "34-56")]);
        assert_eq!(masked("12-34-56", &overlap), "|a|-56");
        // Non-ASCII text and values.
        assert_eq!(masked("ä-ö ä-ö!", &v(&[("t", "ö ä-ö")])), "ä-|t|!");
        // A long value (found by its first bytes) that shares those bytes with another
        // and with text where neither is whole.
        let long: String = "QUJ+".repeat(40);
        let longer = format!("{long}x");
        let text = format!("{} {long} {longer} {}", &long[..100], &long[..Masker::PREFIX]);
        let both = v(&[("sel", &long), ("sel2", &longer)]);
        assert_eq!(
            masked(&text, &both),
            format!("{} |sel| |sel2| {}", &long[..100], &long[..Masker::PREFIX])
        );
        // A prefix hit that is not the whole hides no whole value starting inside it.
        let needle = format!("{}b", "1".repeat(70));
        assert_eq!(masked(&format!("{}b", "1".repeat(71)), &v(&[("n", &needle)])), "1|n|");
        // The key is the hash of the masked text.
        let values = v(&[("host", "a-b1")]);
        assert_eq!(
            kind_key("H=a-b1\n", &values),
            crate::digest::sha256_hex("H=\u{e000}host\u{e001}\n".as_bytes())
        );
    }

    fn values(host: &str, disk: &str) -> Vec<(&'static str, String)> {
        vec![("hostname", host.to_string()), ("disk", disk.to_string())]
    }

    #[test]
    fn files_that_differ_only_in_their_machines_values_share_a_key() {
        let a = kind_key("HOST=schule-001\nDISK=/dev/sda\n", &values("schule-001", "/dev/sda"));
        let b = kind_key(
            "HOST=schule-002\nDISK=/dev/nvme0n1\n",
            &values("schule-002", "/dev/nvme0n1"),
        );
        assert_eq!(a, b);
    }

    #[test]
    fn any_other_difference_gives_another_key() {
        let base = kind_key("HOST=schule-001\n", &values("schule-001", "/dev/sda"));
        // A template branch that printed one more line for this machine.
        let branch = kind_key("HOST=schule-002\nrm -rf /\n", &values("schule-002", "/dev/sda"));
        assert_ne!(base, branch);
        // A value printed where the other machine's was not.
        let twice = kind_key("HOST=schule-002 schule-002\n", &values("schule-002", "/dev/sda"));
        assert_ne!(base, twice);
    }

    #[test]
    fn a_whole_list_of_packages_is_one_value() {
        let one = vec![("packages", "'a' 'firmware-iwlwifi' 'zz'".to_string())];
        let two = vec![(
            "packages",
            "'a' 'firmware-amd-graphics' 'firmware-ipw2x00' 'zz'".to_string(),
        )];
        let a = kind_key("P=('a' 'firmware-iwlwifi' 'zz')\n", &one);
        let b = kind_key("P=('a' 'firmware-amd-graphics' 'firmware-ipw2x00' 'zz')\n", &two);
        assert_eq!(a, b);
    }

    #[test]
    fn short_or_alphabetic_values_are_not_masked() {
        // `fi` as a host name must not mask the shell keyword in the template.
        let a = kind_key("if x; then y; fi\nH=fi\n", &values("fi", "/dev/sda"));
        let b = kind_key("if x; then y; fi\nH=do\n", &values("do", "/dev/sda"));
        assert_ne!(a, b);
        let a = kind_key("H=schule\n", &values("schule", "/dev/sda"));
        let b = kind_key("H=school\n", &values("school", "/dev/sda"));
        assert_ne!(a, b);
    }
}
