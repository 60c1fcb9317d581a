//! The other language's detector over everything a volunteer reads, through the real
//! binary: every command's output and errors, every file of a bundle (with the aids of
//! Barrierefreiheit on, and one with a skipped validator), the room's inventory, labels,
//! status and log, the stick's and the netboot tree's texts, and serve's pages; each in
//! German and in English, with the word lists of `l10n.rs` applied to the visible text
//! (`l10n::visible`: no tags, of a shell script only its `NAME='text'` lines).
//!
//! Allowed, on purpose (the list is short and each entry says why):
//! - words of the laptops' own strings (DMI names, CPU models) and of paths: names;
//! - the shell scripts' comments and log lines (`postinstall.sh` prints to /var/log for
//!   a technician): not read by a volunteer;
//! - the line `listening on ADDR` that scripts read: for programs, not people (serve's
//!   HTTP refusals are messages in the page's language: tests/it/serve_events.rs).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::l10n::{ENGLISH, GERMAN, foreign, visible, words_of};
use crate::support::{fixtures_dir, installer_images, machines, probe_dir, upcycle_env};
use upcycle::l10n::Lang;

/// The names that are not language: every string of every fixture's machine, CPU, disks,
/// graphics and network devices ("Broadcom Inc. and subsidiaries"), and the temporary and
/// fixture paths; longest first. They are cut out of a text before its words are looked at,
/// so that a name's "and" is never mistaken for the text's, nor hides the text's own.
fn names(tmp: &Path) -> Vec<String> {
    fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) if s.chars().count() >= 3 => out.push(s.clone()),
            serde_json::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
            serde_json::Value::Object(o) => o.values().for_each(|v| strings(v, out)),
            _ => {}
        }
    }
    let mut names = vec![tmp.display().to_string(), fixtures_dir().display().to_string()];
    for (_, root) in machines() {
        let report = probe_dir(&root.join("root"));
        for part in [
            serde_json::to_value(&report.machine).unwrap(),
            serde_json::to_value(&report.cpu).unwrap(),
            serde_json::to_value(&report.storage).unwrap(),
            serde_json::to_value(&report.graphics).unwrap(),
            serde_json::to_value(&report.network).unwrap(),
        ] {
            strings(&part, &mut names);
        }
    }
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names.dedup();
    names
}

struct Check {
    lang: Lang,
    names: Vec<String>,
    found: Vec<String>,
    checked: usize,
}

impl Check {
    fn text(&mut self, what: &str, file: &str, text: &str) {
        let other = match self.lang {
            Lang::De => ENGLISH,
            Lang::En => GERMAN,
        };
        let mut shown = visible(file, text);
        for name in &self.names {
            if shown.contains(name.as_str()) {
                shown = shown.replace(name.as_str(), " ");
            }
        }
        let mut words = foreign(&shown, other, &BTreeSet::new());
        // Umlauts and ß have no place in English
        if self.lang == Lang::En {
            words.extend(
                words_of(&shown)
                    .into_iter()
                    .filter(|w| w.contains(['ä', 'ö', 'ü', 'Ä', 'Ö', 'Ü', 'ß'])),
            );
        }
        self.checked += 1;
        if !words.is_empty() {
            self.found.push(format!(
                "{:?} {what}: {words:?}\n    {}",
                self.lang,
                text.replace('\n', "\n    ")
            ));
        }
    }

    fn run(&mut self, what: &str, args: &[&str]) -> Output {
        let locale = match self.lang {
            Lang::De => "de_DE.UTF-8",
            Lang::En => "en_US.UTF-8",
        };
        let out = upcycle_env(&[("LANG", locale)], args);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        self.text(what, "terminal", &text);
        out
    }

    fn file(&mut self, path: &Path) {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        self.text(&path.display().to_string(), &name, &text);
    }
}

fn ok(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every file under `dir` whose name ends in one of `ends`.
fn files(dir: &Path, ends: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if ends.iter().any(|e| p.to_string_lossy().ends_with(e)) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_path_a_volunteer_reads_is_in_one_language() {
    let mut all = Vec::new();
    let mut checked = 0;
    for lang in Lang::ALL {
        let tmp = tempfile::tempdir().unwrap();
        let t = tmp.path();
        let mut c = Check {
            lang,
            names: names(t),
            found: Vec::new(),
            checked: 0,
        };
        let ws = t.join("workshop.yaml");
        std::fs::write(
            &ws,
            include_str!("../../data/workshop-default.yaml")
                .replace("language: de", &format!("language: {}", lang.code())),
        )
        .unwrap();
        let ws = ws.to_str().unwrap();
        let fx = |m: &str| fixtures_dir().join(m).join("root").to_string_lossy().into_owned();
        let room = t.join("room");
        let room_s = room.to_str().unwrap();
        let today = ["--today", "2026-11-25"];

        // a bundle with every aid on, and one with a validator skipped
        let t40 = fx("ibm-thinkpad-t40");
        let mut args = vec!["generate", &t40, "-o", room_s, "--workshop", ws];
        args.extend(today);
        args.extend(["--accessibility", "screen-reader,magnifier,large-text,high-contrast"]);
        ok(&c.run("generate", &args), "generate");
        let skipped = t.join("skipped");
        let o = c.run(
            "generate --skip-validator",
            &[
                "generate",
                &fx("asus-eeepc-1000h"),
                "-o",
                skipped.to_str().unwrap(),
                "--workshop",
                ws,
                "--skip-validator",
                "shellcheck",
                "--today",
                "2026-11-25",
            ],
        );
        ok(&o, "generate --skip-validator");
        // a room: two more laptops and a file that is no report
        let junk = t.join("notes.yaml");
        std::fs::write(&junk, "shopping: [milk, bread]\n").unwrap();
        let x220 = fx("lenovo-thinkpad-x220");
        let d620 = fx("dell-latitude-d620-coreduo");
        c.run(
            "batch",
            &[
                "batch",
                &x220,
                &d620,
                junk.to_str().unwrap(),
                "-o",
                room_s,
                "--workshop",
                ws,
                "--today",
                "2026-11-25",
            ],
        );
        for f in files(
            &room,
            &[
                ".md",
                ".html",
                ".txt",
                "firstboot-wizard.sh",
                "firstboot-apply.sh",
                "postinstall.sh",
            ],
        ) {
            c.file(&f);
        }
        for f in files(&skipped, &[".md", ".html", "boot.txt", "NOT-CHECKED.txt"]) {
            c.file(&f);
        }
        c.run("status", &["status", "--ledger", room_s]);
        c.run(
            "ledger export",
            &["ledger", "export", "--ledger", room_s, "--format", "csv"],
        );
        c.run("profiles list", &["profiles", "list"]);
        c.run("profiles check", &["profiles", "check"]);
        let planned = t.join("planned");
        let o = c.run(
            "plan",
            &[
                "plan",
                "--root",
                &fx("asus-eeepc-1000h"),
                "-o",
                planned.to_str().unwrap(),
                "--workshop",
                ws,
            ],
        );
        ok(&o, "plan");
        let cap = t.join("capture.tar.gz");
        ok(
            &c.run(
                "capture",
                &["capture", "--root", &t40, "-o", cap.to_str().unwrap(), "--redact"],
            ),
            "capture",
        );
        c.run("log", &["log", "schule-001", "--ledger", room_s]);
        c.run("select", &["select", &t40, "--format", "text", "--today", "2026-11-25"]);
        c.run(
            "probe text",
            &["probe", "--root", &fx("broken-rootonly"), "--format", "text"],
        );
        let broken = t.join("broken.yaml");
        let o = c.run(
            "probe -v -o",
            &[
                "-v",
                "probe",
                "--root",
                &fx("broken-rootonly"),
                "-o",
                broken.to_str().unwrap(),
            ],
        );
        // every unreadable fact listed, in the language, without the hint to list them
        let said = String::from_utf8_lossy(&o.stderr).into_owned();
        let (listed, hint, missing) = match lang {
            Lang::De => (
                "4 Angaben waren nicht lesbar:\n",
                "mit -v",
                "proc/meminfo: fehlt: eingebauter Arbeitsspeicher unbekannt",
            ),
            Lang::En => (
                "4 facts could not be read:\n",
                "use -v",
                "proc/meminfo: missing: installed RAM is unknown",
            ),
        };
        assert!(
            said.contains(listed) && !said.contains(hint) && said.contains(missing),
            "{said}"
        );
        // the stick and the network tree
        let usb = t.join("usb");
        let images = installer_images();
        let images = images.to_str().unwrap();
        let b1 = room.join("schule-001");
        ok(
            &c.run(
                "media usb",
                &[
                    "media",
                    "usb",
                    b1.to_str().unwrap(),
                    "-o",
                    usb.to_str().unwrap(),
                    "--images",
                    images,
                ],
            ),
            "media usb",
        );
        for f in files(&usb, &[".txt", ".md"]) {
            c.file(&f);
        }
        let nb = t.join("netboot");
        ok(
            &c.run(
                "media netboot",
                &[
                    "media",
                    "netboot",
                    b1.to_str().unwrap(),
                    "-o",
                    nb.to_str().unwrap(),
                    "--server",
                    "10.0.0.1",
                    "--images",
                    images,
                ],
            ),
            "media netboot",
        );
        for f in files(&nb, &["README.txt", "start.sh"]) {
            c.file(&f);
        }
        // mistakes
        let missing = t.join("no-such-report.yaml");
        // a report whose values have the wrong kind or shape (Rust's type names never show)
        let probed = t.join("t40.yaml");
        ok(
            &c.run("probe -o", &["probe", "--root", &t40, "-o", probed.to_str().unwrap()]),
            "probe -o",
        );
        let report = std::fs::read_to_string(&probed).unwrap();
        let wrong_kind = t.join("wrong-kind.yaml");
        std::fs::write(&wrong_kind, report.replacen("\nprobe:", "\nprobe: 5\nx:", 1)).unwrap();
        let bad_disk = t.join("bad-disk.yaml");
        assert!(report.contains("- name: sda\n"));
        std::fs::write(&bad_disk, report.replacen("- name: sda\n", "- name: \"sda; rm\"\n", 1)).unwrap();
        let ws_kind = t.join("ws-kind.yaml");
        std::fs::write(&ws_kind, "keyboard: 5\n").unwrap();
        let bad_ws = t.join("bad.yaml");
        std::fs::write(&bad_ws, "locale: de_DE.UTF-8\nsprache: de\n").unwrap();
        for (what, args) in [
            (
                "no such report",
                vec!["generate", missing.to_str().unwrap(), "-o", room_s],
            ),
            (
                "bad workshop",
                vec!["generate", &t40, "-o", room_s, "--workshop", bad_ws.to_str().unwrap()],
            ),
            ("number 0", vec!["generate", &t40, "--number", "0"]),
            ("bad size", vec!["generate", &t40, "--max-unpacked", "12X"]),
            ("bad aid", vec!["generate", &t40, "--accessibility", "braille"]),
            ("unknown command", vec!["frobnicate"]),
            ("unknown machine", vec!["log", "schule-999", "--ledger", room_s]),
            ("not a report", vec!["select", junk.to_str().unwrap()]),
            ("output is a file", vec!["generate", &t40, "-o", junk.to_str().unwrap()]),
            ("wrong kind", vec!["select", wrong_kind.to_str().unwrap()]),
            ("no jobs", vec!["batch", &t40, "-o", room_s, "--jobs", "0"]),
            ("serve no bundles", vec!["serve", t.to_str().unwrap()]),
            ("serve one bundle", vec!["serve", b1.to_str().unwrap()]),
            (
                "bad server",
                vec![
                    "media",
                    "netboot",
                    room_s,
                    "-o",
                    "nb2",
                    "--server",
                    "192.168.1.300",
                    "--images",
                    images,
                ],
            ),
            ("unknown profile", vec!["profiles", "show", "debian-99"]),
            (
                "no installer",
                vec!["media", "images", "--release", "13", "--arch", "i386"],
            ),
            (
                "bad boot word",
                vec![
                    "media",
                    "usb",
                    b1.to_str().unwrap(),
                    "-o",
                    "x",
                    "--images",
                    images,
                    "--append",
                    "a;b",
                ],
            ),
            ("bad disk name", vec!["select", bad_disk.to_str().unwrap()]),
            ("bad today", vec!["select", &t40, "--today", "morgen"]),
            (
                "workshop kind",
                vec!["generate", &t40, "-o", room_s, "--workshop", ws_kind.to_str().unwrap()],
            ),
            (
                "stick over a file",
                vec![
                    "media",
                    "usb",
                    b1.to_str().unwrap(),
                    "-o",
                    junk.to_str().unwrap(),
                    "--images",
                    images,
                ],
            ),
        ] {
            let o = c.run(what, &args);
            assert!(!o.status.success(), "{what} succeeded");
        }
        // serve: the banner, the index and the room page
        let bundles = [upcycle::serve::ServedBundle {
            asset_id: "schule-001".into(),
            system: "Debian 12 i386".into(),
            preseed: true,
        }];
        let banner = upcycle::serve::banner(
            &room,
            "0.0.0.0:8080".parse().unwrap(),
            &["192.168.1.10".parse().unwrap()],
            &bundles,
            lang,
        );
        c.text("serve banner", "terminal", &banner);
        c.text(
            "serve index",
            "terminal",
            &upcycle::serve::index_text(&["/schule-001/preseed.cfg".into()], lang),
        );
        let ledger = upcycle::ledger::Ledger::open_existing(&room.join(upcycle::ledger::FILE_NAME)).unwrap();
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-25T10:00:00+01:00").unwrap();
        let page = upcycle::serve::room::room_page(&ledger.room().unwrap(), now, lang);
        c.text("room page", "room.html", &page);
        let token = upcycle::serve::form::FormToken::generate();
        let form = upcycle::serve::form::form_page("schule-001", None, &token, lang);
        c.text("room check form", "form.html", &form);
        let saved = upcycle::serve::form::saved_page("schule-001", upcycle::passport::State::ToRepair, lang);
        c.text("room check saved", "saved.html", &saved);
        // the self-check of an installed laptop (a fixture root: the tools say "not checked")
        let t420 = fixtures_dir().join("lenovo-thinkpad-t420-battery-wear/root");
        let t420 = t420.to_str().unwrap();
        c.run("check", &["check", "--root", t420]);
        c.run("check --post without serve.conf", &["check", "--root", t420, "--post"]);

        assert!(c.checked > 30, "{} texts checked", c.checked);
        checked += c.checked;
        all.extend(c.found);
    }
    assert!(
        all.is_empty(),
        "{} of {checked} texts hold the other language's words:\n{}",
        all.len(),
        all.join("\n")
    );
}
