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
            let rc = debconf_private_config(dir.path());
            run_env(
                &mut report,
                &f.name,
                "debconf-set-selections",
                &["-c"],
                &path,
                Some(("DEBCONF_SYSTEMRC", &rc)),
            );
        }
        if f.name.ends_with(".sh") {
            run(&mut report, &f.name, "bash", &["-n"], &path);
            run(
                &mut report,
                &f.name,
                "shellcheck",
                &["-s", "bash", "-S", "warning"],
                &path,
            );
        }
    }
    report
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

fn run(report: &mut Report, file: &str, tool: &str, args: &[&str], path: &Path) {
    run_env(report, file, tool, args, path, None)
}

fn run_env(report: &mut Report, file: &str, tool: &str, args: &[&str], path: &Path, env: Option<(&str, &Path)>) {
    let mut cmd = Command::new(tool);
    cmd.args(args).arg(path);
    if let Some((k, v)) = env {
        cmd.env(k, v);
    }
    match cmd.output() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => report.skipped.push(Finding {
            file: file.into(),
            tool: tool.into(),
            message: format!("{tool} is not installed (apt-get install {})", package_of(tool)),
        }),
        Err(e) => report.errors.push(Finding {
            file: file.into(),
            tool: tool.into(),
            message: e.to_string(),
        }),
        Ok(out) if !out.status.success() || (tool == "debconf-set-selections" && !out.stderr.is_empty()) => {
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            let text = text.replace(&path.display().to_string(), file);
            report.errors.push(Finding {
                file: file.into(),
                tool: tool.into(),
                message: text.trim().to_string(),
            });
        }
        Ok(_) => {}
    }
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
    let schema: serde_json::Value = serde_json::from_str(AUTOINSTALL_SCHEMA).expect("embedded schema is JSON");
    let validator = jsonschema::validator_for(&schema).map_err(|e| format!("schema: {e}"))?;
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
