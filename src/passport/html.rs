//! The passport as a printable A4 page, in German (the default) or English: the words
//! come from the catalogs' `pp-*` messages, the values from the [`Passport`]; every value
//! is HTML-escaped by Tera (the template's name ends in `.html`). Pure and deterministic.

use chrono::NaiveDate;
use include_dir::{Dir, include_dir};
use serde::Serialize;

use super::document::Passport;
use crate::l10n::{self, Lang};

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates/passport");

/// What the page shows, said in one language (the template only places it).
#[derive(Debug, Serialize)]
struct View {
    model: String,
    state: String,
    as_of: String,
    year: Option<String>,
    hardware: Option<HardwareView>,
    erasures: Vec<ErasureView>,
    /// No erasure recorded, or none that succeeded.
    not_erased: bool,
    any_failed: bool,
    /// The last erasure's health gate said: replace the disk.
    replace_disk: bool,
    system: Option<SystemView>,
    check: Option<CheckView>,
    /// The laptop's last self-check, one line.
    self_check: Option<String>,
    for_you: Vec<String>,
    impact: Option<String>,
    dates: Vec<(String, String)>,
}

#[derive(Debug, Serialize)]
struct HardwareView {
    when: String,
    cpu: String,
    ram: String,
    disk: String,
    battery: String,
    display: String,
}

#[derive(Debug, Serialize)]
struct ErasureView {
    date: String,
    disk: String,
    method: String,
    verification: String,
    result: String,
    ok: bool,
    sha256: Option<String>,
    /// The drive health gate said: replace it.
    replace: bool,
    /// A failed attempt in one line.
    attempt: String,
}

#[derive(Debug, Serialize)]
struct SystemView {
    name: String,
    installed: String,
    support_until: Option<String>,
    packages: Option<String>,
}

#[derive(Debug, Serialize)]
struct CheckView {
    date: String,
    verdict: Option<String>,
    grade: Option<String>,
    note: Option<String>,
    /// The room form's items (keyboard, touchpad, hinges, screen) that the check says.
    manual: Vec<ItemView>,
}

/// One item a person checked by hand: its name and result in the page's language.
#[derive(Debug, Serialize)]
struct ItemView {
    name: String,
    result: String,
    defect: bool,
}

/// A ledger time (`2026-12-06T10:00:00Z`) as a day: `06.12.2026` in German, `2026-12-06`
/// in English; anything else as it is.
pub fn day(lang: Lang, time: &str) -> String {
    let date = time
        .get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    match (date, lang) {
        (Some(d), Lang::De) => d.format("%d.%m.%Y").to_string(),
        (Some(d), Lang::En) => d.format("%Y-%m-%d").to_string(),
        (None, _) => time.to_string(),
    }
}

fn view(p: &Passport, lang: Lang) -> View {
    let unknown = || l10n::text(lang, "pp-unknown");
    let or_unknown = |v: &Option<String>| v.clone().unwrap_or_else(unknown);
    let model = match (&p.identity.vendor, &p.identity.model) {
        (Some(v), Some(m)) if !m.to_lowercase().starts_with(&v.to_lowercase()) => format!("{v} {m}"),
        (_, Some(m)) => m.clone(),
        (Some(v), None) => v.clone(),
        (None, None) => unknown(),
    };
    let hardware = p.hardware.as_ref().map(|h| HardwareView {
        when: l10n::format(lang, "pp-hardware-when", &[("date", day(lang, &h.recorded).into())]),
        cpu: match (&h.cpu, h.cpu_64bit) {
            (Some(c), Some(b)) => format!("{c} ({})", l10n::text(lang, if b { "pp-cpu-64" } else { "pp-cpu-32" })),
            (c, _) => or_unknown(c),
        },
        ram: h.ram_mib.map_or_else(unknown, |m| l10n::mib_text(lang, m)),
        disk: match (&h.disk, &h.disk_type) {
            (Some(d), Some(t)) => format!("{d} {t}"),
            (Some(d), None) => d.clone(),
            (None, _) => unknown(),
        },
        battery: match (h.battery, h.battery_health_percent) {
            (Some(false), _) => l10n::text(lang, "pp-battery-none"),
            (_, Some(n)) => l10n::format(lang, "pp-battery-health", &[("percent", (n as u64).into())]),
            (Some(true), None) => l10n::text(lang, "pp-battery-unknown"),
            (None, None) => unknown(),
        },
        display: or_unknown(&h.display),
    });
    let erasures: Vec<ErasureView> = p
        .erasures
        .iter()
        .map(|e| {
            let date = day(lang, &e.time);
            let disk = or_unknown(&e.disk);
            let method = e
                .method
                .as_deref()
                .map_or_else(unknown, |m| l10n::code_text(lang, "method-", m));
            let category = e.category.as_deref().map(|c| {
                let mut c = c.to_string();
                if let Some(f) = c.get_mut(..1) {
                    f.make_ascii_uppercase();
                }
                c
            });
            let result = l10n::text(
                lang,
                if e.succeeded {
                    "pp-result-ok"
                } else {
                    "pp-result-not-ok"
                },
            );
            ErasureView {
                attempt: l10n::format(
                    lang,
                    "pp-erasure-attempt",
                    &[
                        ("date", date.as_str().into()),
                        ("disk", disk.as_str().into()),
                        ("result", result.as_str().into()),
                    ],
                ),
                method: match category {
                    Some(c) => l10n::format(
                        lang,
                        "pp-method-category",
                        &[("method", method.into()), ("category", c.into())],
                    ),
                    None => method,
                },
                verification: match e.verification.as_deref() {
                    Some("full" | "verify-full") => l10n::text(lang, "pp-verify-full"),
                    Some("sample" | "verify-sample") => l10n::text(lang, "pp-verify-sample"),
                    v => v.map_or_else(unknown, str::to_string),
                },
                date,
                disk,
                result,
                ok: e.succeeded,
                sha256: e.record_sha256.clone(),
                replace: e.health.as_deref() == Some("replace"),
            }
        })
        .collect();
    let not_erased = !p.erased;
    let system = p.system.as_ref().map(|s| SystemView {
        name: s
            .name
            .as_ref()
            .map_or_else(|| s.profile.clone(), |n| n.get(lang).to_string()),
        installed: match &p.dates.installed {
            Some(t) => l10n::format(lang, "pp-installed-on", &[("date", day(lang, t).into())]),
            None => l10n::text(lang, "pp-not-installed"),
        },
        support_until: s.support_until.as_deref().map(|d| day(lang, d)),
        packages: s
            .packages
            .map(|n| l10n::format(lang, "pp-packages", &[("n", n.into())])),
    });
    let check = p.check.as_ref().map(|c| CheckView {
        date: day(lang, &c.time),
        verdict: c.verdict.as_deref().map(|v| l10n::code_text(lang, "state-", v)),
        grade: c.grade.clone(),
        note: c.note.clone(),
        manual: c.manual.as_ref().map_or_else(Vec::new, |m| {
            m.items()
                .iter()
                .filter_map(|(item, r)| {
                    let r = (*r)?;
                    Some(ItemView {
                        name: l10n::text(lang, &format!("pp-item-{item}")),
                        result: l10n::text(lang, &format!("pp-item-is-{}", r.code())),
                        defect: r == crate::passport::document::ItemResult::Defect,
                    })
                })
                .collect()
        }),
    });
    let self_check = p.self_check.as_ref().map(|c| {
        let date = day(lang, &c.time);
        if c.failed.is_empty() {
            l10n::format(
                lang,
                "pp-self-check-ok",
                &[("date", date.into()), ("passed", u64::from(c.passed).into())],
            )
        } else {
            let failed: Vec<String> = c
                .failed
                .iter()
                .map(|code| {
                    let id = format!("chk-name-{code}");
                    if l10n::has(&id) {
                        l10n::text(lang, &id)
                    } else {
                        code.clone()
                    }
                })
                .collect();
            l10n::format(
                lang,
                "pp-self-check-failed",
                &[
                    ("date", date.into()),
                    ("passed", u64::from(c.passed).into()),
                    ("failed", failed.join(", ").into()),
                ],
            )
        }
    });
    let mut for_you = vec![match p.recipient.accounts {
        crate::workshop::AccountMode::FirstBoot => l10n::format(
            lang,
            "pp-accounts-first-boot",
            &[("setup", p.recipient.setup_user.as_str().into())],
        ),
        crate::workshop::AccountMode::Fixed => l10n::text(lang, "pp-accounts-fixed"),
    }];
    for_you.push(l10n::text(
        lang,
        if p.recipient.automatic_updates {
            "pp-updates-auto"
        } else {
            "pp-updates-manual"
        },
    ));
    if let Some(until) = p.system.as_ref().and_then(|s| s.support_until.as_deref()) {
        // as of the passport's date: the same ledger gives the same page on any day
        let ended = until < p.as_of.get(..10).unwrap_or("");
        let id = if ended { "pp-support-ended" } else { "pp-support-until" };
        for_you.push(l10n::format(lang, id, &[("date", day(lang, until).into())]));
    }
    for_you.push(l10n::text(lang, "pp-data"));
    for_you.push(if p.workshop.help.trim().is_empty() {
        l10n::text(lang, "pp-help-none")
    } else {
        l10n::format(lang, "pp-help", &[("help", p.workshop.help.as_str().into())])
    });
    let d = &p.dates;
    let dates = [
        ("pp-date-intake", &d.intake),
        ("pp-date-erased", &d.erased),
        ("pp-date-installed", &d.installed),
        ("pp-date-checked", &d.checked),
        ("pp-date-handed-over", &d.handed_over),
    ]
    .into_iter()
    .filter_map(|(id, t)| Some((l10n::text(lang, id), day(lang, t.as_deref()?))))
    .collect();
    View {
        model,
        state: p.state.text(lang),
        as_of: l10n::format(lang, "pp-as-of", &[("date", day(lang, &p.as_of).into())]),
        year: p.identity.year.map(|y| y.to_string()),
        hardware,
        any_failed: p.erasures.iter().any(|e| !e.succeeded),
        replace_disk: p
            .erasures
            .last()
            .is_some_and(|e| e.health.as_deref() == Some("replace")),
        erasures,
        not_erased,
        system,
        check,
        self_check,
        for_you,
        impact: p
            .impact
            .map(|i| l10n::format(lang, "pp-impact-laptop", &[("amounts", i.text(lang).into())])),
        dates,
    }
}

/// The passport's page in `lang`.
pub fn page(p: &Passport, lang: Lang) -> String {
    let template = TEMPLATES
        .get_file("passport.html.tera")
        .and_then(|f| f.contents_utf8())
        .expect("templates/passport/passport.html.tera is embedded");
    let mut tera = tera::Tera::default();
    l10n::register_tera(&mut tera, lang);
    tera.add_raw_template("passport.html", template)
        .expect("the passport template compiles (tested)");
    let mut ctx = tera::Context::new();
    ctx.insert("lang", lang.code());
    ctx.insert("p", p);
    ctx.insert("v", &view(p, lang));
    tera.render("passport.html", &ctx)
        .expect("the passport renders from a passport (tested)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passport::document::*;

    const HOSTILE: &str = "<script>alert(1)</script>\"'&";

    /// A passport with a hostile string in every text a laptop, a volunteer or a workshop
    /// file can put there.
    fn hostile() -> Passport {
        let h = || Some(HOSTILE.to_string());
        Passport {
            schema: SCHEMA.into(),
            identity: Identity {
                number: 1,
                hostname: HOSTILE.into(),
                vendor: h(),
                model: h(),
                year: Some(2004),
            },
            state: crate::passport::State::Ready,
            as_of: HOSTILE.into(),
            dates: Dates {
                intake: h(),
                ..Dates::default()
            },
            hardware: Some(Hardware {
                cpu: h(),
                cpu_64bit: Some(true),
                ram_mib: Some(1024),
                disk: h(),
                disk_type: h(),
                battery: Some(true),
                battery_health_percent: Some(50),
                display: h(),
                recorded: HOSTILE.into(),
            }),
            erasures: vec![Erasure {
                time: HOSTILE.into(),
                disk_name: h(),
                health: h(),
                disk: h(),
                method: h(),
                category: h(),
                verification: h(),
                result: h(),
                succeeded: true,
                record_sha256: h(),
            }],
            system: Some(System {
                profile: HOSTILE.into(),
                name: None,
                support_until: h(),
                packages: Some(1),
            }),
            check: Some(Check {
                time: HOSTILE.into(),
                verdict: h(),
                grade: h(),
                note: h(),
                manual: Some(crate::passport::document::Manual {
                    keyboard: Some(crate::passport::document::ItemResult::Ok),
                    touchpad: Some(crate::passport::document::ItemResult::Defect),
                    hinges: None,
                    screen: Some(crate::passport::document::ItemResult::NotChecked),
                }),
            }),
            self_check: Some(crate::passport::document::SelfCheck {
                time: HOSTILE.into(),
                passed: 1,
                failed: vec![HOSTILE.into()],
                other: 0,
            }),
            workshop: WorkshopInfo {
                name: HOSTILE.into(),
                help: HOSTILE.into(),
            },
            recipient: RecipientInfo {
                accounts: crate::workshop::AccountMode::FirstBoot,
                setup_user: HOSTILE.into(),
                automatic_updates: true,
            },
            impact: Some(crate::passport::impact::estimate(1)),
            erased: true,
        }
    }

    #[test]
    fn every_value_is_escaped() {
        for lang in Lang::ALL {
            let page = page(&hostile(), lang);
            assert!(!page.contains("<script>"), "{lang:?}");
            assert!(!page.contains("\"'&<"), "{lang:?}");
            // the value is there, as text
            assert!(
                page.matches("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;").count() >= 15,
                "{lang:?}"
            );
        }
    }

    #[test]
    fn the_forms_items_are_said_in_the_pages_language() {
        let p = hostile();
        let de = page(&p, Lang::De);
        assert!(de.contains("Von Hand geprüft"), "{de}");
        assert!(de.contains("Tastatur: in Ordnung"), "{de}");
        assert!(de.contains("Touchpad: <strong>defekt</strong>"), "{de}");
        assert!(de.contains("Bildschirm: nicht geprüft"), "{de}");
        assert!(!de.contains("Scharniere"), "an item the check does not say is left out");
        let en = page(&p, Lang::En);
        assert!(en.contains("Checked by hand"), "{en}");
        assert!(en.contains("Keyboard: fine"), "{en}");
        assert!(en.contains("Touchpad: <strong>defective</strong>"), "{en}");
        assert!(en.contains("Screen: not checked"), "{en}");
        // a check without the form's items has no such line
        let mut none = p.clone();
        none.check.as_mut().unwrap().manual = None;
        assert!(!page(&none, Lang::De).contains("Von Hand geprüft"));
    }

    #[test]
    fn days_are_said_in_the_pages_language() {
        assert_eq!(day(Lang::De, "2026-12-06T10:00:00Z"), "06.12.2026");
        assert_eq!(day(Lang::En, "2026-12-06T10:00:00Z"), "2026-12-06");
        assert_eq!(day(Lang::De, "2030-06-30"), "30.06.2030");
        assert_eq!(day(Lang::De, "soon"), "soon");
        assert_eq!(day(Lang::De, "ääääääääää"), "ääääääääää");
    }
}
