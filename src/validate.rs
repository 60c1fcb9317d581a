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
    // Only scripts and preseeds go to external tools; they need files on disk.
    let external: Vec<&crate::bundle::BundleFile> = bundle
        .files
        .iter()
        .filter(|f| (f.name.ends_with(".cfg") || f.name.ends_with(".sh")) && !skip(f))
        .collect();
    if external.is_empty() {
        return report;
    }
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => {
            report.errors.push(Finding {
                file: "-".into(),
                tool: "tempdir".into(),
                message: e.to_string(),
            });
            return report;
        }
    };
    // Write every file, then run the tools side by side: debconf-set-selections and one
    // shellcheck over all scripts as child processes, `bash -n` meanwhile.
    let mut cfgs: Vec<(&str, std::path::PathBuf)> = Vec::new();
    let mut scripts: Vec<(&str, std::path::PathBuf)> = Vec::new();
    for f in external {
        let path = dir.path().join(&f.name);
        if let Err(e) = std::fs::write(&path, &f.contents) {
            report.errors.push(Finding {
                file: f.name.clone(),
                tool: "write".into(),
                message: e.to_string(),
            });
            continue;
        }
        if f.name.ends_with(".cfg") {
            cfgs.push((&f.name, path));
        } else {
            scripts.push((&f.name, path));
        }
    }
    let rc = debconf_private_config(dir.path());
    let mut running: Vec<Running> = Vec::new();
    for (name, path) in &cfgs {
        let mut cmd = Command::new("debconf-set-selections");
        cmd.arg("-c").arg(path).env("DEBCONF_SYSTEMRC", &rc);
        running.push((vec![(*name, path.as_path())], "debconf-set-selections", spawn(cmd)));
    }
    if !scripts.is_empty() {
        let mut cmd = Command::new("shellcheck");
        cmd.args(["-s", "bash", "-S", "warning"]);
        cmd.args(scripts.iter().map(|(_, p)| p));
        let files = scripts.iter().map(|(n, p)| (*n, p.as_path())).collect();
        running.push((files, "shellcheck", spawn(cmd)));
    }
    for (name, path) in &scripts {
        let mut cmd = Command::new("bash");
        cmd.arg("-n").arg(path);
        let out = spawn(cmd).and_then(|c| c.wait_with_output());
        record(&mut report, &[(*name, path.as_path())], "bash", out);
    }
    for (files, tool, child) in running {
        record(&mut report, &files, tool, child.and_then(|c| c.wait_with_output()));
    }
    report
}

/// A tool started on some files: (file name, temp path) pairs, the tool, the child.
type Running<'a> = (
    Vec<(&'a str, &'a Path)>,
    &'static str,
    std::io::Result<std::process::Child>,
);

fn spawn(mut cmd: Command) -> std::io::Result<std::process::Child> {
    cmd.stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
}

/// Turn a tool's outcome on `files` into findings: temp paths replaced by file names;
/// a finding names the files the tool's output mentions (all of them if none).
fn record(report: &mut Report, files: &[(&str, &Path)], tool: &str, out: std::io::Result<std::process::Output>) {
    let all = || files.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ");
    match out {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => report.skipped.push(Finding {
            file: all(),
            tool: tool.into(),
            message: format!("{tool} is not installed (apt-get install {})", package_of(tool)),
        }),
        Err(e) => report.errors.push(Finding {
            file: all(),
            tool: tool.into(),
            message: e.to_string(),
        }),
        Ok(out) if !out.status.success() || (tool == "debconf-set-selections" && !out.stderr.is_empty()) => {
            let mut text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            let mut named = Vec::new();
            for (name, path) in files {
                let p = path.display().to_string();
                if text.contains(&p) {
                    named.push(*name);
                    text = text.replace(&p, name);
                }
            }
            report.errors.push(Finding {
                file: if named.is_empty() { all() } else { named.join(", ") },
                tool: tool.into(),
                message: text.trim().to_string(),
            });
        }
        Ok(_) => {}
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
    for line in text.lines() {
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
        let shellcheck = by_tool("shellcheck");
        assert_eq!(shellcheck.len(), 1, "{:?}", report.errors);
        assert!(
            shellcheck[0].contains("bad.sh") && !shellcheck[0].contains("good.sh"),
            "{shellcheck:?}"
        );
        assert!(by_tool("debconf-set-selections").is_empty(), "{:?}", report.errors);
        assert!(
            report.errors.iter().all(|f| !f.message.contains("/tmp")),
            "{:?}",
            report.errors
        );
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
