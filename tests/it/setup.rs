//! The set-up of a workshop PC (issue #17): `scripts/lib.sh`'s `install_or_tell`, which
//! `scripts/test.sh` and the e2e scripts use for what they need, on its three paths: as
//! root (apt-get directly), as a user whose `sudo -n` works (apt-get through it, never a
//! password prompt), and as a user without it (nothing installed, the one line to run
//! printed). apt-get, apt-cache, dpkg-query and sudo are stand-ins that log their calls;
//! the user is `nobody` (setpriv) when the tests run as root, else the tests' own user.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

struct Run {
    status: i32,
    stderr: String,
    calls: String,
}

/// Call `install_or_tell PKGS` from scripts/lib.sh with stand-ins first in PATH.
/// `sudo`: None = no sudo on the machine, Some(false) = `sudo -n` refuses (a password
/// would be needed), Some(true) = `sudo -n` runs the command.
fn install_or_tell(as_root: bool, sudo: Option<bool>, pkgs: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    fs::create_dir(&bin).unwrap();
    let log = dir.path().join("calls.log");
    fs::write(&log, "").unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(&log, fs::Permissions::from_mode(0o666)).unwrap();
    let tool = |name: &str, body: &str| {
        let path = bin.join(name);
        fs::write(&path, format!("#!/bin/bash\n{body}\n")).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    };
    let logged = format!("echo \"$(basename \"$0\") uid=$(id -u) $*\" >>{}", log.display());
    tool("apt-get", &logged);
    tool("apt-cache", &format!("{logged}\necho '  Candidate: 1.2-3'"));
    tool("dpkg-query", "echo 1.2-3");
    match sudo {
        None => {}
        Some(false) => tool(
            "sudo",
            &format!("{logged}\necho 'sudo: a password is required' >&2\nexit 1"),
        ),
        Some(true) => tool("sudo", &format!("{logged}\n[[ $1 == -n ]] && shift\nexec \"$@\"")),
    }
    // PATH: the stand-ins, then the machine's own tools without any sudo it may have
    let system = dir.path().join("system");
    fs::create_dir(&system).unwrap();
    for d in ["/usr/bin", "/bin"] {
        for e in fs::read_dir(d).unwrap().flatten() {
            let name = e.file_name();
            if name != "sudo" && !system.join(&name).exists() && !bin.join(&name).exists() {
                std::os::unix::fs::symlink(e.path(), system.join(&name)).unwrap();
            }
        }
    }
    let lib = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/lib.sh");
    let script = format!(". {}; install_or_tell \"$@\"", lib.display());
    let mut cmd = if as_root || !is_root() {
        Command::new("bash")
    } else {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "bash"]);
        c
    };
    let out = cmd
        .args(["-c", &script, "install_or_tell"])
        .args(pkgs)
        .env_clear()
        .env("PATH", format!("{}:{}", bin.display(), system.display()))
        .env("HOME", dir.path())
        .current_dir(dir.path())
        .output()
        .expect("bash and setpriv (util-linux)");
    Run {
        status: out.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        calls: fs::read_to_string(&log).unwrap(),
    }
}

fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

#[test]
fn as_root_apt_get_installs_directly_and_names_each_package() {
    if !is_root() {
        eprintln!("skipped: the root path needs root (CI and scripts/test.sh as root run it)");
        return;
    }
    let r = install_or_tell(true, Some(true), &["shellcheck", "jq"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert!(!r.calls.contains("sudo "), "root needs no sudo: {}", r.calls);
    let install = r.calls.lines().find(|l| l.contains(" install ")).expect(&r.calls);
    assert!(
        install.starts_with("apt-get uid=0 ") && install.ends_with("install shellcheck jq"),
        "{install}"
    );
    assert!(
        r.stderr.contains("installed: shellcheck 1.2-3") && r.stderr.contains("installed: jq 1.2-3"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_user_with_sudo_n_installs_through_it_without_a_password_prompt() {
    let r = install_or_tell(false, Some(true), &["shellcheck", "jq"]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    let uid = if is_root() {
        65534
    } else {
        nix::unistd::geteuid().as_raw()
    };
    // every apt-get that changes the system goes through `sudo -n`
    let sudo_install = r
        .calls
        .lines()
        .find(|l| l.starts_with("sudo ") && l.contains(" install "))
        .expect(&r.calls);
    assert!(
        sudo_install.starts_with(&format!("sudo uid={uid} -n ")),
        "{sudo_install}"
    );
    assert!(sudo_install.ends_with("install shellcheck jq"), "{sudo_install}");
    assert!(
        r.calls.lines().any(|l| l == format!("sudo uid={uid} -n true")),
        "{}",
        r.calls
    );
    assert!(
        r.stderr.contains("installing with sudo -n apt-get: shellcheck jq"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("installed: jq 1.2-3"), "{}", r.stderr);
}

#[test]
fn a_user_without_sudo_gets_the_one_line_to_run_and_nothing_is_installed() {
    for sudo in [None, Some(false)] {
        let r = install_or_tell(false, sudo, &["shellcheck", "jq"]);
        assert_eq!(r.status, 1, "sudo {sudo:?}: {}", r.stderr);
        assert!(
            !r.calls.contains("apt-get"),
            "sudo {sudo:?}: nothing may run apt-get: {}",
            r.calls
        );
        assert!(
            r.stderr.lines().any(|l| l == "sudo apt-get install shellcheck jq"),
            "sudo {sudo:?}: {}",
            r.stderr
        );
        assert!(r.stderr.contains("missing packages: shellcheck jq"), "{}", r.stderr);
    }
}

#[test]
fn nothing_missing_runs_nothing() {
    let r = install_or_tell(false, None, &[]);
    assert_eq!(r.status, 0, "{}", r.stderr);
    assert_eq!(r.calls, "");
    assert_eq!(r.stderr, "");
}
