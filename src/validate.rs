//! Validation of a rendered bundle with the real tools of the ecosystem, before anything
//! is written: `debconf-set-selections -c` for preseeds, `bash -n` and `shellcheck` for
//! scripts, the Subiquity autoinstall JSON schema for `user-data`, and a scan that no
//! clear-text password sneaked in.

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

/// Run every validator that applies to the bundle's files.
pub fn validate(bundle: &Bundle) -> Report {
    validate_except(bundle, &|_| false)
}

/// Like [`validate`], but files for which `skip` is true get only the in-process checks
/// (e.g. a file whose exact content passed the external tools before).
pub fn validate_except(bundle: &Bundle, skip: &dyn Fn(&crate::bundle::BundleFile) -> bool) -> Report {
    let mut report = Report::default();
    report.errors.extend(in_process(bundle));
    let files: Vec<Labelled> = bundle
        .files
        .iter()
        .filter(|f| needs_tools(&f.name) && !skip(f))
        .map(|f| Labelled {
            label: 0,
            name: &f.name,
            contents: &f.contents,
        })
        .collect();
    let (errors, skipped) = external(&files);
    report.errors.extend(errors.into_iter().map(|(_, f)| f));
    report.skipped.extend(skipped.into_iter().map(|(_, f)| f));
    report
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
}

/// Labelled findings: (errors, checks that could not run).
pub type LabelledFindings = (Vec<(usize, Finding)>, Vec<(usize, Finding)>);

/// Run the external tools over many files at once, side by side: one
/// `debconf-set-selections -c` over every preseed (it reads them as one stream, so only
/// when it complains is each preseed run alone, to say which), one `shellcheck` over every
/// script, and `bash -n` per script. Each tool start costs ~0.1 s, which is what a batch of
/// a thousand machines spends its time on.
pub fn external(files: &[Labelled]) -> LabelledFindings {
    let mut found: LabelledFindings = (Vec::new(), Vec::new());
    if files.is_empty() {
        return found;
    }
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
    let rc = debconf_private_config(dir.path());
    let debconf = |paths: &[&std::path::PathBuf]| {
        let mut cmd = Command::new("debconf-set-selections");
        cmd.arg("-c").args(paths).env("DEBCONF_SYSTEMRC", &rc);
        spawn(cmd)
    };
    let all_cfgs = (!cfgs.is_empty()).then(|| debconf(&cfgs.iter().map(|(_, p)| p).collect::<Vec<_>>()));
    let shellcheck = (!scripts.is_empty()).then(|| {
        let mut cmd = Command::new("shellcheck");
        cmd.args(["-s", "bash", "-S", "warning", "-f", "gcc"]);
        cmd.args(scripts.iter().map(|(_, p)| p));
        spawn(cmd)
    });
    for (f, path) in &scripts {
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
        let all: Vec<_> = scripts.iter().map(|(f, p)| (*f, p)).collect();
        record(&mut found, &all, "shellcheck", child.and_then(|c| c.wait_with_output()));
    }
    found
}

fn finding(file: &str, tool: &str, message: String) -> Finding {
    Finding {
        file: file.to_string(),
        tool: tool.to_string(),
        message,
    }
}

fn spawn(mut cmd: Command) -> std::io::Result<std::process::Child> {
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
        if f.name == "user-data"
            && let Err(message) = check_user_data(&f.contents)
        {
            errors.push(Finding {
                file: f.name.clone(),
                tool: "autoinstall schema".into(),
                message,
            });
        }
        if let Some(line) = clear_text_password(&f.contents) {
            errors.push(Finding {
                file: f.name.clone(),
                tool: "password scan".into(),
                message: format!("a password that is not a SHA-512 crypt hash: {line}"),
            });
        }
    }
    errors
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
    for line in text.lines().filter(|l| l.contains("password")) {
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
        let labelled: Vec<Labelled> = files
            .iter()
            .map(|&(label, name, contents)| Labelled { label, name, contents })
            .collect();
        let (errors, skipped) = external(&labelled);
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
}
