//! The first-boot wizard of a generated bundle as the recipient meets it: the real
//! script under bash, with zenity, sudo, getent, id and systemctl replaced by stubs that
//! answer like the recipient and record what the wizard showed and did. And the
//! preseed's keep-out hook, run in a scratch directory.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{fixtures_dir, generate, stderr, stdout};

/// The T40's bundle (German workshop default): its directory inside `out`.
fn t40_bundle(out: &Path) -> PathBuf {
    let o = generate(&fixtures_dir().join("ibm-thinkpad-t40/root"), out, &[]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    out.join("schule-001")
}

/// The wizard's texts (`NAME='text'` lines of the rendered script).
fn texts(script: &str) -> BTreeMap<String, String> {
    script
        .lines()
        .filter_map(|l| {
            let (k, v) = l.split_once("='")?;
            let v = v.strip_suffix('\'')?;
            k.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                .then(|| (k.to_string(), v.to_string()))
        })
        .collect()
}

const STUBS: &[(&str, &str)] = &[
    (
        // one answer a call from $WZ/answers ("STATUS<TAB>TEXT" a line); each call is
        // logged as "KIND<TAB>TEXT<TAB>ENTRY-TEXT<TAB>hidden?"
        "zenity",
        r#"#!/bin/bash
kind=$1 text='' entry='' hide=''
for a in "$@"; do
    case $a in
        --text=*) text=${a#--text=} ;;
        --entry-text=*) entry=${a#--entry-text=} ;;
        --hide-text) hide=hidden ;;
    esac
done
printf '%s\t%s\t%s\t%s\n' "${kind#--}" "${text//$'\n'/ / }" "$entry" "$hide" >>"$WZ/calls"
sleep "${ZENITY_OPEN:-0}"
n=$(($(cat "$WZ/n" 2>/dev/null || echo 0) + 1))
echo "$n" >"$WZ/n"
line=$(sed -n "${n}p" "$WZ/answers")
[ -n "$line" ] || { echo "stub: no answer left" >>"$WZ/calls"; exit 99; }
[ -z "${line#*$'\t'}" ] || printf '%s\n' "${line#*$'\t'}"
exit "${line%%$'\t'*}"
"#,
    ),
    ("id", "#!/bin/sh\necho einrichtung\n"),
    (
        "getent",
        "#!/bin/sh\ncase \"$1 $2\" in\n'passwd root' | 'passwd einrichtung' | 'group audio') exit 0 ;;\nesac\nexit 2\n",
    ),
    (
        "sudo",
        "#!/bin/sh\nprintf 'sudo\\t%s\\n' \"$*\" >>\"$WZ/calls\"\ncat >\"$WZ/applied\"\nexit \"${APPLY_STATUS:-0}\"\n",
    ),
    (
        "systemctl",
        "#!/bin/sh\nprintf 'systemctl\\t%s\\n' \"$*\" >>\"$WZ/calls\"\n",
    ),
];

struct Run {
    status: i32,
    /// What the wizard showed and did, one entry a call.
    calls: Vec<String>,
    /// What it gave the apply script on standard input (None: never called).
    applied: Option<String>,
    /// The stubs' folder: kept while the run is looked at (the wizard's background
    /// work may still call them).
    stubs: tempfile::TempDir,
}

/// Run `script` with these answers to its dialogs (status, text), in order.
fn run_wizard(script: &Path, answers: &[(i32, &str)], apply_status: i32) -> Run {
    run_wizard_with(script, answers, apply_status, &[], &[])
}

/// [`run_wizard`] with more stubs and environment variables.
fn run_wizard_with(
    script: &Path,
    answers: &[(i32, &str)],
    apply_status: i32,
    stubs: &[(&str, &str)],
    env: &[(&str, &str)],
) -> Run {
    let wz = tempfile::tempdir().unwrap();
    let bin = wz.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    for (name, body) in STUBS.iter().chain(stubs) {
        let p = bin.join(name);
        std::fs::write(&p, body).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let lines: String = answers.iter().map(|(s, t)| format!("{s}\t{t}\n")).collect();
    std::fs::write(wz.path().join("answers"), lines).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let out = Command::new("timeout")
        .args(["20", "bash"])
        .arg(script)
        .env("PATH", path)
        .env("WZ", wz.path())
        .env("APPLY_STATUS", apply_status.to_string())
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let calls = std::fs::read_to_string(wz.path().join("calls")).unwrap_or_default();
    Run {
        status: out.status.code().unwrap_or(-1),
        calls: calls.lines().map(str::to_string).collect(),
        applied: std::fs::read_to_string(wz.path().join("applied")).ok(),
        stubs: wz,
    }
}

/// A dialog line as the zenity stub logs it.
fn dialog(kind: &str, text: &str, entry: &str, hidden: bool) -> String {
    format!("{kind}\t{text}\t{entry}\t{}", if hidden { "hidden" } else { "" })
}

#[test]
fn every_wrong_answer_gets_a_german_message_and_the_question_again() {
    let out = tempfile::tempdir().unwrap();
    let bundle = t40_bundle(out.path());
    let script = bundle.join("firstboot-wizard.sh");
    let t = texts(&std::fs::read_to_string(&script).unwrap());
    let tx = |k: &str| t.get(k).unwrap_or_else(|| panic!("no {k} in the wizard")).clone();
    // German, as the workshop's language says
    assert_eq!(tx("E_MATCH"), "Die Passwörter sind verschieden. Bitte noch einmal.");
    assert_eq!(tx("E_NAME"), "Bitte gib deinen Namen ein.");
    let q_name = format!("{} /  / {}", tx("INTRO"), tx("Q_NAME"));
    let ok = (0, "");
    let run = run_wizard(
        &script,
        &[
            (0, ""), // empty name
            ok,
            (0, "Lena, Schulz"), // a comma would break /etc/passwd's GECOS field
            ok,
            (0, "Lena Müller-Schulz"),
            (0, "Lena"), // upper case
            ok,
            (0, "root"), // a system account
            ok,
            (0, "audio"), // a system group
            ok,
            (0, "einrichtung"), // the setup account itself
            ok,
            (0, "lena"),
            (0, "kurz"), // 4 characters
            ok,
            (0, "Sonne-2026z"),
            (0, "Mond-2026x"), // differs
            ok,
            (0, "Sonne-2026z"),
            (0, "Sonne-2026z"),
            ok, // "done"
        ],
        0,
    );
    let e = |k: &str| dialog("error", &tx(k), "", false);
    let expected = vec![
        dialog("entry", &q_name, "", false),
        e("E_NAME"),
        dialog("entry", &q_name, "", false),
        e("E_NAME_CHARS"),
        dialog("entry", &q_name, "Lena, Schulz", false),
        dialog("entry", &tx("Q_USER"), "", false),
        e("E_USER"),
        dialog("entry", &tx("Q_USER"), "Lena", false),
        e("E_TAKEN"),
        dialog("entry", &tx("Q_USER"), "root", false),
        e("E_TAKEN"),
        dialog("entry", &tx("Q_USER"), "audio", false),
        e("E_TAKEN"),
        dialog("entry", &tx("Q_USER"), "einrichtung", false),
        dialog("entry", &tx("Q_PASS"), "", true),
        e("E_SHORT"),
        dialog("entry", &tx("Q_PASS"), "", true),
        dialog("entry", &tx("Q_PASS2"), "", true),
        e("E_MATCH"),
        // both passwords again
        dialog("entry", &tx("Q_PASS"), "", true),
        dialog("entry", &tx("Q_PASS2"), "", true),
        "sudo\t-n /usr/local/sbin/upcycle-firstboot-apply".to_string(),
        dialog("info", &tx("DONE"), "", false),
        "systemctl\treboot".to_string(),
    ];
    assert_eq!(run.calls, expected);
    assert_eq!(run.status, 0);
    // only the right answers reach the apply script, once, at the end
    assert_eq!(run.applied.as_deref(), Some("lena\nLena Müller-Schulz\nSonne-2026z\n"));
    // every question is zenity's entry dialog, whose OK is the default button: Enter
    // goes on (the --forms dialog has no default button, docs/e2e.md B6)
    let kinds = ["entry\t", "error\t", "info\t", "question\t", "sudo\t", "systemctl\t"];
    assert!(
        run.calls.iter().all(|c| kinds.iter().any(|k| c.starts_with(k))),
        "{:?}",
        run.calls
    );
}

#[test]
fn cancel_asks_later_and_later_leaves_the_setup_account() {
    let out = tempfile::tempdir().unwrap();
    let script = t40_bundle(out.path()).join("firstboot-wizard.sh");
    let t = texts(&std::fs::read_to_string(&script).unwrap());
    let q_name = format!("{} /  / {}", t["INTRO"], t["Q_NAME"]);
    let later = dialog("question", &t["LATER"], "", false);
    let run = run_wizard(
        &script,
        &[
            (0, "Lena Müller-Schulz"),
            (1, ""), // cancel at the user name
            (1, ""), // not later: the same question again
            (0, "lena"),
            (1, ""), // cancel at the password
            (0, ""), // later
        ],
        0,
    );
    assert_eq!(
        run.calls,
        vec![
            dialog("entry", &q_name, "", false),
            dialog("entry", &t["Q_USER"], "", false),
            later.clone(),
            dialog("entry", &t["Q_USER"], "", false),
            dialog("entry", &t["Q_PASS"], "", true),
            later,
        ]
    );
    // nothing applied, no restart: the setup account stays and the wizard comes back
    // at the next start (its autostart entry and the account are untouched)
    assert_eq!(run.applied, None);
    assert_eq!(run.status, 0);
}

#[test]
fn a_failed_apply_says_so_and_asks_for_the_user_name_again() {
    let out = tempfile::tempdir().unwrap();
    let script = t40_bundle(out.path()).join("firstboot-wizard.sh");
    let t = texts(&std::fs::read_to_string(&script).unwrap());
    let run = run_wizard(
        &script,
        &[
            (0, "Lena Müller-Schulz"),
            (0, "lena"),
            (0, "Sonne-2026z"),
            (0, "Sonne-2026z"),
            (0, ""), // the message
            (1, ""), // cancel at the user name
            (0, ""), // later
        ],
        3,
    );
    let n = run.calls.len();
    assert!(n >= 4, "{:?}", run.calls);
    assert_eq!(
        run.calls[n - 4..],
        [
            "sudo\t-n /usr/local/sbin/upcycle-firstboot-apply".to_string(),
            dialog("error", &t["E_FAIL"], "", false),
            dialog("entry", &t["Q_USER"], "lena", false),
            dialog("question", &t["LATER"], "", false),
        ]
    );
    assert!(
        !run.calls.iter().any(|c| c.starts_with("systemctl")),
        "no restart: {:?}",
        run.calls
    );
}

/// The preseed's early_command, run with its absolute paths moved into a scratch
/// directory: it leaves a pre-pkgsel hook that writes an APT pin of -1 for exactly the
/// selection's keep_out into the target.
#[test]
fn the_preseeds_keep_out_hook_pins_what_the_selection_keeps_out() {
    let out = tempfile::tempdir().unwrap();
    let bundle = t40_bundle(out.path());
    let preseed = std::fs::read_to_string(bundle.join("preseed.cfg")).unwrap();
    let cmd = preseed
        .lines()
        .find_map(|l| l.strip_prefix("d-i preseed/early_command string "))
        .expect("the T40's preseed has an early_command");
    let info = Command::new(env!("CARGO_BIN_EXE_upcycle"))
        .arg("bundle-info")
        .arg(&bundle)
        .output()
        .unwrap();
    let chosen: serde_json::Value = serde_json::from_slice(&info.stdout).unwrap();
    let keep: Vec<&str> = chosen["keep_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        keep.contains(&"libreoffice-common") && keep.contains(&"connman"),
        "{keep:?}"
    );

    let scratch = tempfile::tempdir().unwrap();
    let s = scratch.path().display().to_string();
    // (through placeholders: the scratch path itself may hold /tmp/)
    let moved = cmd
        .replace("/usr/lib/pre-pkgsel.d", "@DI@/usr/lib/pre-pkgsel.d")
        .replace("/tmp/", "@DI@/tmp/")
        .replace("/target/", "@TARGET@/")
        .replace("@DI@", &format!("{s}/di"))
        .replace("@TARGET@", &format!("{s}/target"));
    assert_ne!(moved, cmd);
    std::fs::create_dir_all(scratch.path().join("di/tmp")).unwrap();
    let o = Command::new("sh").arg("-c").arg(&moved).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // pkgsel runs every file of the directory
    let hooks: Vec<PathBuf> = std::fs::read_dir(scratch.path().join("di/usr/lib/pre-pkgsel.d"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(hooks.len(), 1, "{hooks:?}");
    let o = Command::new(&hooks[0]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pref = std::fs::read_to_string(
        scratch
            .path()
            .join("target/etc/apt/preferences.d/upcycle-keep-out.pref"),
    )
    .unwrap();
    let package_line = pref.lines().find_map(|l| l.strip_prefix("Package: ")).unwrap();
    assert_eq!(package_line.split(' ').collect::<Vec<_>>(), keep);
    assert!(pref.contains("\nPin: release *\nPin-Priority: -1\n"), "{pref}");
    // postinstall.sh keeps the same file (no change on the installer's run)
    let post = std::fs::read_to_string(bundle.join("postinstall.sh")).unwrap();
    assert!(post.contains("put_file /etc/apt/preferences.d/upcycle-keep-out.pref"));
}

/// A workshop that asks for a package the selection left out gets it: then nothing is
/// pinned (a pin of what it depends on, `libreoffice-common`, would break the install).
#[test]
fn a_workshop_extra_package_that_was_left_out_turns_the_pin_off() {
    let out = tempfile::tempdir().unwrap();
    let workshop = out.path().join("workshop.yaml");
    let text =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/workshop-default.yaml"))
            .unwrap()
            .replace("extra_packages: []", "extra_packages: [libreoffice-writer]");
    assert!(text.contains("[libreoffice-writer]"));
    std::fs::write(&workshop, text).unwrap();
    let o = generate(
        &fixtures_dir().join("ibm-thinkpad-t40/root"),
        &out.path().join("b"),
        &["--workshop", workshop.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let preseed = std::fs::read_to_string(out.path().join("b/schule-001/preseed.cfg")).unwrap();
    assert!(preseed.contains("libreoffice-writer"), "the extra package is installed");
    // No pin: the early_command is only the hello to serve, no pre-pkgsel hook.
    assert!(preseed.contains("preseed/early_command"), "{preseed}");
    assert!(!preseed.contains("pre-pkgsel.d"), "{preseed}");
    let post = std::fs::read_to_string(out.path().join("b/schule-001/postinstall.sh")).unwrap();
    // postinstall.sh keeps nothing out (and removes a pin an earlier profile left).
    assert!(post.contains("\nKEEP_OUT=()\n"), "{post}");
}

/// With the screen reader on, the wizard makes sure Orca runs before its first question
/// (a window shown before Orca listens is never read aloud); without it, Orca is never
/// started by the wizard.
#[test]
fn the_wizard_starts_the_screen_reader_before_its_first_question() {
    let stubs: &[(&str, &str)] = &[
        // Orca logs its arguments and how many dialogs were shown before it started
        (
            "orca",
            "#!/bin/sh\nprintf '%s %s\\n' \"$*\" \"$(cat \"$WZ/calls\" 2>/dev/null | wc -l)\" >>\"$ORCA_LOG\"\n",
        ),
        // not running yet (the autostart entry may be late)
        ("pgrep", "#!/bin/sh\nexit 1\n"),
    ];
    let answers = [
        (0, "Lena Schmidt"),
        (0, "lena"),
        (0, "geheim123"),
        (0, "geheim123"),
        (0, ""),
    ];
    for (aids, started) in [(&["--accessibility", "screen-reader"][..], true), (&[][..], false)] {
        let out = tempfile::tempdir().unwrap();
        let o = generate(&fixtures_dir().join("ibm-thinkpad-t40/root"), out.path(), aids);
        assert!(o.status.success(), "{}", stderr(&o));
        let script = out.path().join("schule-001/firstboot-wizard.sh");
        let log = out.path().join("orca.log");
        let env = [("UPCYCLE_SCREEN_READER_WAIT", "1"), ("ORCA_LOG", log.to_str().unwrap())];
        let run = run_wizard_with(&script, &answers, 0, stubs, &env);
        assert_eq!(run.status, 0, "{:?}", run.calls);
        assert!(run.applied.is_some(), "the account is made: {:?}", run.calls);
        let orca = std::fs::read_to_string(&log).ok();
        if started {
            assert_eq!(orca.as_deref(), Some("--replace 0\n"), "Orca once, before any dialog");
        } else {
            assert_eq!(orca, None, "no Orca without the aid");
        }
    }
}

/// Every dialog of the wizard keeps the keyboard while it is open: when its window (the
/// window of its zenity process) is not the active one, the wizard asks the window
/// manager to activate it (wmctrl -i -a), and leaves it alone while it is. Debian 12's
/// xfwm4 left the first question unfocused, and took the focus away again after one
/// activation, so typed answers went nowhere (docs/e2e.md B19).
#[test]
fn every_dialog_keeps_the_keyboard_while_it_is_open() {
    let out = tempfile::tempdir().unwrap();
    let script = t40_bundle(out.path()).join("firstboot-wizard.sh");
    // a window manager: one window per zenity process (its id the pid), the active one
    // in $WZ/active
    let wmctrl = r#"#!/bin/bash
case "$1 $2" in
"-l -p") for p in $(pgrep -x zenity); do printf '0x%08x 0 %s host Willkommen\n' "$p" "$p"; done ;;
"-i -a") printf 'activate %s\n' "$3" >>"$WZ/focus"; printf '%s\n' "$3" >"$WZ/active" ;;
*) exit 1 ;;
esac
"#;
    let xprop = r#"#!/bin/bash
printf '_NET_ACTIVE_WINDOW(WINDOW): window id # %s, 0x0\n' "$(cat "$WZ/active" 2>/dev/null || echo 0x0)"
"#;
    let run = run_wizard_with(
        &script,
        &[
            (0, "Lena Müller-Schulz"),
            (0, "lena"),
            (1, ""), // cancel at the password: the "later?" question
            (1, ""), // not later
            (0, "Sonne-2026z"),
            (0, "Sonne-2026z"),
            (0, ""), // "Fertig!"
        ],
        0,
        &[("wmctrl", wmctrl), ("xprop", xprop)],
        &[("UPCYCLE_FOCUS_INTERVAL", "0.05"), ("ZENITY_OPEN", "1")],
    );
    assert_eq!(run.status, 0, "{:?}", run.calls);
    let dialogs = run
        .calls
        .iter()
        .filter(|c| !c.starts_with("sudo\t") && !c.starts_with("systemctl\t"))
        .count();
    assert_eq!(dialogs, 7, "{:?}", run.calls);
    // each dialog's window activated once: its own id, then never again while it had
    // the focus (the last dialog's loop ends when its zenity does)
    std::thread::sleep(std::time::Duration::from_millis(500));
    let focus = std::fs::read_to_string(run.stubs.path().join("focus")).unwrap();
    let ids: Vec<&str> = focus.lines().map(|l| l.strip_prefix("activate ").unwrap()).collect();
    assert_eq!(ids.len(), dialogs, "{focus}");
    let distinct: std::collections::BTreeSet<&&str> = ids.iter().collect();
    assert_eq!(distinct.len(), dialogs, "one window per dialog: {focus}");
}
