//! The Debian package's man pages and completions (`upcycle generate-assets`): made from
//! the real command line, valid for groff and man-db, one page per visible subcommand,
//! and a bash completion that completes subcommand names.

use std::path::Path;
use std::process::Command;

use clap::CommandFactory;

use crate::support::{stderr, upcycle};

fn generate_assets() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = upcycle(&["generate-assets", dir.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    dir
}

fn pages(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".1"))
        .collect();
    names.sort();
    names
}

/// What groff (`-ww`: every warning) and man-db say about a page: empty when it is valid.
fn roff_warnings(page: &Path) -> String {
    let mut said = String::new();
    for (tool, args) in [
        ("groff", &["-man", "-ww", "-z", "-Kutf8"][..]),
        ("man", &["--warnings", "-l"][..]),
    ] {
        let out = Command::new(tool)
            .args(args)
            .arg(page)
            .env("LC_ALL", "C.UTF-8")
            .env("MANWIDTH", "80")
            .output()
            .unwrap_or_else(|e| panic!("{tool} (groff-base, man-db) must be installed: {e}"));
        assert!(out.status.success(), "{tool} {}: {}", page.display(), stderr(&out));
        said += &String::from_utf8_lossy(&out.stderr);
    }
    said
}

#[test]
fn the_roff_check_catches_a_broken_page() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("broken.1");
    std::fs::write(&page, ".TH BROKEN 1\n.SH NAME\n.NOSUCHMACRO broken\n").unwrap();
    assert!(roff_warnings(&page).contains("NOSUCHMACRO"), "{}", roff_warnings(&page));
}

#[test]
fn man_pages_are_valid_for_groff_and_man_in_english_and_german() {
    let dir = generate_assets();
    for sub in ["man", "man/de"] {
        let folder = dir.path().join(sub);
        for name in pages(&folder) {
            let warnings = roff_warnings(&folder.join(&name));
            assert!(warnings.is_empty(), "{sub}/{name}:\n{warnings}");
        }
    }
    let en = std::fs::read_to_string(dir.path().join("man/upcycle-generate.1")).unwrap();
    let de = std::fs::read_to_string(dir.path().join("man/de/upcycle-generate.1")).unwrap();
    assert!(en.contains("install bundle"), "{en}");
    assert!(de.contains("Installationsb"), "{de}");
}

/// `upcycle-media-usb.1` for `upcycle media usb`, as git names its pages.
fn page_names(cmd: &clap::Command, prefix: &str, names: &mut Vec<String>) {
    let name = format!("{prefix}{}", cmd.get_name());
    names.push(format!("{name}.1"));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        page_names(sub, &format!("{name}-"), names);
    }
}

#[test]
fn every_visible_subcommand_has_a_page_and_hidden_ones_none() {
    let dir = generate_assets();
    let mut expected = Vec::new();
    page_names(&upcycle::cli::Cli::command(), "", &mut expected);
    expected.sort();
    assert!(expected.contains(&"upcycle-media-usb.1".to_string()));
    assert_eq!(pages(&dir.path().join("man")), expected);
    assert_eq!(pages(&dir.path().join("man/de")), expected);
    assert!(!dir.path().join("man/upcycle-generate-assets.1").exists());
}

/// The words bash's completion offers for the command line `words` (the cursor on the last).
fn bash_complete(script: &Path, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let cword = words.len() - 1;
    let prev = if cword > 0 { words[cword - 1] } else { "" };
    let line = format!(
        "source '{}' && COMP_WORDS=({}) && COMP_CWORD={cword} && _upcycle upcycle '{}' '{prev}' && printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        quoted.join(" "),
        words[cword],
    );
    let out = Command::new("bash").args(["--norc", "-c", &line]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completion_parses_and_completes_subcommands() {
    let dir = generate_assets();
    let script = dir.path().join("completions/upcycle.bash");
    let syntax = Command::new("bash").arg("-n").arg(&script).output().unwrap();
    assert!(syntax.status.success(), "{}", stderr(&syntax));
    assert!(bash_complete(&script, &["upcycle", "gen"]).contains(&"generate".to_string()));
    let media = bash_complete(&script, &["upcycle", "media", ""]);
    assert!(
        media.contains(&"usb".to_string()) && media.contains(&"netboot".to_string()),
        "{media:?}"
    );
    assert!(bash_complete(&script, &["upcycle", "select", "--for"]).contains(&"--format".to_string()));
    for other in ["_upcycle", "upcycle.fish"] {
        let text = std::fs::read_to_string(dir.path().join("completions").join(other)).unwrap();
        assert!(text.contains("media") && text.contains("netboot"), "{other}");
    }
}
