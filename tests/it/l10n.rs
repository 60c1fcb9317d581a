//! German first, in one language at a time: every text a volunteer reads (the selection
//! summary, checklists, boot.txt, the first-boot wizard, inventory and labels) is rendered
//! for every fixture machine in German and in English, and holds no word of the other
//! language; every code a selection holds has a message.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::support::{machines, probe_dir, upcycle_env};
use upcycle::inventory::Row;
use upcycle::l10n::{self, Arg, Lang, Said};
use upcycle::render::Templates;
use upcycle::workshop::Workshop;
use upcycle::{ops, summary};

/// English words that have no place in a German text (whole words, case-sensitive), and
/// German ones for an English text. Words of the laptops' own strings (DMI, CPU names)
/// are left out: those are names, not language.
pub(crate) const ENGLISH: &[&str] = &[
    "the",
    "and",
    "needs",
    "years",
    "left",
    "unknown",
    "Machine",
    "instead",
    "about",
    "if",
    "worn",
    "Why",
    "Install",
    "minimum",
    "fit",
    "cores",
    "core",
    "Before",
    "Check",
    "Checked",
    "Date",
    "Disk",
    "Battery",
    "Accounts",
    "Notes",
    "Upgrades",
    "upgrade",
    "ready",
    "failed",
    "machines",
    "Serial",
    "nothing",
    "press",
    "erases",
    "remove",
    "Installer image",
    "Network",
    "Stick made",
    "Welcome",
    "Password",
    "Repeat",
    // common words of any English sentence
    "The",
    "not",
    "with",
    "will",
    "is",
    "are",
    "this",
    "This",
    "from",
    "for",
    "of",
    "to",
    "has",
    "have",
    "can",
    "cannot",
    "which",
    "you",
    "your",
    "when",
    "only",
    "there",
];
pub(crate) const GERMAN: &[&str] = &[
    "und",
    "braucht",
    "Jahre",
    "Jahr",
    "unbekannt",
    "Gerät",
    "stattdessen",
    "etwa",
    "wenn",
    "verschlissen",
    "Warum",
    "Installieren",
    "mindestens",
    "Eignung",
    "Kerne",
    "Kern",
    "Vor",
    "Prüfen",
    "Geprüft",
    "Datum",
    "Festplatte",
    "Akku",
    "Konten",
    "Hinweise",
    "Aufrüsten",
    "bereit",
    "fehlgeschlagen",
    "Geräte",
    "Seriennummer",
    "nichts",
    "drücken",
    "löscht",
    "Installationsabbild",
    "Netzwerk",
    "Willkommen",
    "Passwort",
    "mit",
    "für",
    "noch",
    "Sicherheitsupdates",
    // common words of any German sentence
    "nicht",
    "wird",
    "werden",
    "ist",
    "sind",
    "der",
    "Der",
    "das",
    "Das",
    "ein",
    "eine",
    "Eine",
    "kein",
    "keine",
    "Keine",
    "von",
    "zu",
    "auf",
    "oder",
    "nur",
    "dem",
    "den",
    "sich",
    "auch",
    "bei",
    "nach",
    "Laptop wird",
];

pub(crate) fn words_of(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The words of `list` found in `text`, leaving out the words of `names` (values from the
/// laptop, which are the same in both languages).
pub(crate) fn foreign(text: &str, list: &[&str], names: &BTreeSet<String>) -> Vec<String> {
    let words = words_of(text);
    let mut found: Vec<String> = list
        .iter()
        .filter(|w| {
            if w.contains(' ') {
                text.contains(*w)
            } else {
                words.contains(**w) && !names.contains(**w)
            }
        })
        .map(|w| w.to_string())
        .collect();
    found.sort();
    found
}

/// What a reader sees: without a page's style sheet, script and tags, and of a shell
/// script only the quoted texts of its `NAME='text'` lines; a German quotation („…“, a
/// kernel's message) is a quote, not the text's language.
pub(crate) fn visible(file: &str, text: &str) -> String {
    let mut text = text.to_string();
    while let Some(i) = text.find('„') {
        let end = text[i..]
            .find('“')
            .map(|j| i + j + '“'.len_utf8())
            .unwrap_or(text.len());
        text.replace_range(i..end, "");
    }
    let text = text.as_str();
    if file.ends_with(".sh") {
        return text
            .lines()
            .filter_map(|l| l.split_once("='").map(|(_, v)| v.trim_end_matches('\'')))
            .collect::<Vec<_>>()
            .join("\n");
    }
    let mut rest = text.to_string();
    for (open, close) in [("<style>", "</style>"), ("<script>", "</script>")] {
        while let Some(i) = rest.find(open) {
            let end = rest[i..].find(close).map(|j| i + j + close.len()).unwrap_or(rest.len());
            rest.replace_range(i..end, "");
        }
    }
    let mut plain = String::new();
    let mut in_tag = false;
    for c in rest.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                plain.push(' ');
            }
            c if !in_tag => plain.push(c),
            _ => {}
        }
    }
    plain
}

fn codes(said: &Said, out: &mut Vec<String>) {
    out.push(said.code.clone());
    for arg in said.args.values() {
        if let Arg::List(list) = arg {
            list.iter().for_each(|s| codes(s, out));
        }
    }
}

#[test]
fn every_text_a_volunteer_reads_is_in_one_language() {
    let catalog = upcycle::catalog::load::load(None).unwrap().0;
    let templates = Templates::embedded().unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let skip = BTreeSet::new();
    let mut checked = 0;
    for lang in Lang::ALL {
        let (other, other_name) = match lang {
            Lang::De => (ENGLISH, "English"),
            Lang::En => (GERMAN, "German"),
        };
        let mut workshop = Workshop::embedded();
        workshop.language = lang;
        let inputs = ops::Inputs {
            catalog: &catalog,
            templates: &templates,
            workshop: &workshop,
            today,
            wanted: None,
            skip: &skip,
            lang,
            accessibility: None,
        };
        let mut rows = Vec::new();
        for (slug, root) in machines() {
            let report = probe_dir(&root.join("root"));
            // Names from the laptop are not language.
            let mut names = words_of(&upcycle::yaml::to_string(&report.machine));
            names.extend(words_of(report.cpu.model_name.as_deref().unwrap_or("")));
            let erase_plan = upcycle::erase::plan::plan(
                &upcycle::erase::plan::facts_of_report(&report.storage.disks),
                &upcycle::erase::plan::Policy::default(),
            );
            let mut texts: Vec<(String, String)> = vec![
                ("probe text".into(), summary::report_text(&report, lang)),
                ("erase plan".into(), upcycle::erase::text::plan_text(&erase_plan, lang)),
            ];
            match ops::prepare(
                &report,
                &inputs,
                "schule-001",
                &upcycle::token::InstallToken::generate(),
            ) {
                Ok(prepared) => {
                    let sel = &prepared.selection;
                    let mut all = Vec::new();
                    let chosen = sel.chosen.iter().flat_map(|c| c.reasons.iter());
                    let rejected = sel.rejected.iter().flat_map(|r| r.reasons.iter());
                    let upgrades = sel
                        .upgrades
                        .iter()
                        .flat_map(|u| std::iter::once(&u.change).chain(u.cost.iter()).chain(u.unlocks.iter()));
                    let dropped = sel.dropped_apps.iter().map(|d| &d.reason);
                    for s in chosen
                        .chain(rejected)
                        .chain(upgrades)
                        .chain(dropped)
                        .chain(&sel.assumptions)
                    {
                        codes(s, &mut all);
                    }
                    for code in all {
                        assert!(l10n::has(&code), "{slug}: no message for `{code}`");
                    }
                    texts.push(("select text".into(), summary::selection_text(sel, &catalog, lang)));
                    for file in ["checklist.md", "checklist.html", "boot.txt", "firstboot-wizard.sh"] {
                        if let Some(f) = prepared.bundle.files.iter().find(|f| f.path == file) {
                            texts.push((file.into(), f.data.clone()));
                        }
                    }
                    rows.push(Row::ok("schule-001", &slug, &report, sel, lang));
                }
                Err(e) => texts.push(("error".into(), e.to_string())),
            }
            for (what, text) in texts {
                let found = foreign(&visible(&what, &text), other, &names);
                assert!(
                    found.is_empty(),
                    "{slug} {what} in {lang:?} has {other_name} words {found:?}:\n{text}"
                );
                checked += 1;
            }
        }
        for (what, page) in [
            ("inventory.html", upcycle::inventory::html::inventory_page(&rows, lang)),
            ("labels.html", upcycle::inventory::html::labels_page(&rows, lang)),
        ] {
            // Only the page's own words: the rows quote the machines.
            let mut names = BTreeSet::new();
            for r in &rows {
                for field in r.fields() {
                    names.extend(words_of(field));
                }
            }
            let found = foreign(&visible(what, &page), other, &names);
            assert!(found.is_empty(), "{what} in {lang:?} has {other_name} words {found:?}");
            checked += 1;
        }
    }
    assert!(checked > 50, "{checked} texts checked");
}

#[test]
fn plan_and_select_speak_the_terminal_language() {
    let root = crate::support::fixtures_dir().join("ibm-thinkpad-t40/root");
    let root = root.to_str().unwrap();
    let de = upcycle_env(
        &[("LANG", "de_DE.UTF-8")],
        &["select", root, "--format", "text", "--today", "2026-11-25"],
    );
    let text = String::from_utf8_lossy(&de.stdout);
    assert!(text.contains("Warum") && text.contains("Eignung: RAM"), "{text}");
    assert!(text.contains("1,5 GiB"), "German decimal mark: {text}");
    // "Nicht gewählt" names each profile left out as the chosen one is named: its German
    // name, then its id (the same selection, read as YAML, says which were left out).
    let yaml = upcycle_env(
        &[("LANG", "de_DE.UTF-8")],
        &["select", root, "--format", "yaml", "--today", "2026-11-25"],
    );
    let selection: upcycle::select::Selection =
        upcycle::yaml::from_str(&String::from_utf8_lossy(&yaml.stdout)).expect("the selection as YAML");
    assert!(!selection.rejected.is_empty(), "the T40 leaves profiles out");
    let catalog = upcycle::catalog::load::load(None).unwrap().0;
    let not_chosen = text.split("Nicht gewählt").nth(1).expect("a \"Nicht gewählt\" row");
    for r in &selection.rejected {
        let name = catalog
            .profile(&r.profile)
            .expect("a profile of the catalog")
            .name
            .get(Lang::De);
        assert!(
            not_chosen.contains(&format!("{name} [{}]: ", r.profile)),
            "{} not named: {not_chosen}",
            r.profile
        );
    }
    let names = words_of("IBM ThinkPad T40 237342G Intel R Pentium M processor");
    assert!(
        foreign(&text, ENGLISH, &names).is_empty(),
        "{:?} in {text}",
        foreign(&text, ENGLISH, &names)
    );
    let en = upcycle_env(
        &[("LANGUAGE", "en")],
        &["select", root, "--format", "text", "--today", "2026-11-25"],
    );
    let text = String::from_utf8_lossy(&en.stdout);
    assert!(
        text.contains("Why") && text.contains("fit: RAM") && text.contains("1.5 GiB"),
        "{text}"
    );
    // --lang wins over the environment.
    let flag = upcycle_env(
        &[("LANG", "en_US.UTF-8")],
        &[
            "select",
            root,
            "--format",
            "text",
            "--today",
            "2026-11-25",
            "--lang",
            "de",
        ],
    );
    assert!(String::from_utf8_lossy(&flag.stdout).contains("Warum"));
}

/// Every command's path as typed (`[]` for `upcycle` itself).
fn command_paths() -> Vec<Vec<String>> {
    use clap::CommandFactory;
    fn walk(c: &clap::Command, path: Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(path.clone());
        for s in c.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut p = path.clone();
            p.push(s.get_name().to_string());
            walk(s, p, out);
        }
    }
    let mut out = Vec::new();
    walk(&upcycle::cli::Cli::command(), Vec::new(), &mut out);
    out
}

#[test]
fn every_help_is_in_the_terminal_language() {
    // The dd example's `if=` and `of=` are dd's words; `mark`'s verdicts are codes typed
    // on the command line (German aliases exist: bereit, reparatur, ersatzteile).
    let names = words_of("if of bs conv ready");
    let paths = command_paths();
    assert!(paths.len() > 20, "{paths:?}");
    for path in &paths {
        for (locale, other, other_name, own) in [
            ("de_DE.UTF-8", ENGLISH, "English", "Aufruf:"),
            ("en_US.UTF-8", GERMAN, "German", "Usage:"),
        ] {
            let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
            args.push("--help");
            let out = upcycle_env(&[("LANG", locale)], &args);
            assert!(out.status.success(), "{args:?}");
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(text.contains(own), "{args:?} under {locale}:\n{text}");
            let found = foreign(&visible("help", &text), other, &names);
            assert!(
                found.is_empty(),
                "{args:?} under {locale} has {other_name} words {found:?}:\n{text}"
            );
        }
    }
    // `upcycle help media` (clap's help command) too.
    let out = upcycle_env(&[("LANG", "de_DE.UTF-8")], &["help", "media"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(foreign(&text, ENGLISH, &names).is_empty(), "{text}");
}

#[test]
fn every_command_and_argument_has_its_help_in_both_catalogs() {
    use clap::CommandFactory;
    fn walk(c: &clap::Command, path: &str, missing: &mut Vec<String>) {
        let about = format!("help-{path}");
        if !l10n::has(&about) {
            missing.push(about);
        }
        for a in c.get_arguments() {
            let id = l10n::arg_help_id(path, a.get_id().as_str());
            if !l10n::has(&id) {
                missing.push(id);
            }
        }
        for s in c.get_subcommands().filter(|s| s.get_name() != "help") {
            let p = if path == "upcycle" {
                s.get_name().to_string()
            } else {
                format!("{path}-{}", s.get_name())
            };
            walk(s, &p, missing);
        }
    }
    let mut cmd = upcycle::cli::Cli::command();
    cmd.build();
    let mut missing = Vec::new();
    walk(&cmd, "upcycle", &mut missing);
    assert!(
        missing.is_empty(),
        "messages missing in locales/*/help.ftl: {missing:?}"
    );
}

#[test]
fn a_german_terminal_gets_its_bundle_whatever_locales_the_pc_has() {
    // The validators run under C.UTF-8: a LANG this PC may not have (perl warns then)
    // does not turn into a validation failure.
    let out = tempfile::tempdir().unwrap();
    let root = crate::support::fixtures_dir().join("ibm-thinkpad-t40/root");
    let run = upcycle_env(
        &[("LANG", "de_DE.UTF-8"), ("LC_ALL", "de_DE.UTF-8")],
        &[
            "generate",
            root.to_str().unwrap(),
            "-o",
            out.path().to_str().unwrap(),
            "--today",
            "2026-11-25",
        ],
    );
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(said.contains("schule-001: Debian 12 (32 Bit) mit LXDE"), "{said}");
}
