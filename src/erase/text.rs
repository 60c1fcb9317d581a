//! The erasure plan and the confirmation question as a person reads them, in one
//! language: pure functions of the plan (the command prints them).

use crate::erase::health::Verdict;
use crate::erase::plan::{self, Category, DiskPlan, Method};
use crate::l10n::{self, Arg, Lang};

pub fn gb(lang: Lang, bytes: u64) -> String {
    format!("{} GB", l10n::decimal(lang, bytes as f64 / 1e9))
}

pub fn serial_tail(serial: &str) -> String {
    let chars: Vec<char> = serial.chars().filter(|c| !c.is_whitespace()).collect();
    chars[chars.len().saturating_sub(4)..].iter().collect()
}

fn duration(seconds: u64) -> String {
    if seconds >= 3600 {
        format!("{} h {} min", seconds / 3600, seconds % 3600 / 60)
    } else {
        format!("{} min", seconds.div_ceil(60))
    }
}

/// The plan for a person: one block per disk, in `lang`.
pub fn plan_text(p: &plan::ErasePlan, lang: Lang) -> String {
    let t = |id: &str| l10n::text(lang, id);
    let f = |id: &str, args: &[(&str, Arg)]| l10n::format(lang, id, args);
    let mut out = String::new();
    for d in &p.disks {
        out.push_str(&format!(
            "{}  {:?} {:?}  {}{}  {}\n",
            d.name,
            d.bus,
            d.medium,
            d.model.clone().unwrap_or_else(|| t("erase-unknown-model")),
            d.serial
                .as_deref()
                .map(|s| format!(" {}", f("plan-serial", &[("tail", serial_tail(s).into())])))
                .unwrap_or_default(),
            d.size_bytes
                .map(|b| gb(lang, b))
                .unwrap_or_else(|| t("refuse-size-unknown")),
        ));
        match (&d.refused, d.method) {
            (Some(r), _) => out.push_str(&format!(
                "    {}\n",
                f("plan-not-erased", &[("why", l10n::say(lang, r).into())])
            )),
            (None, Some(m)) => {
                let about = d
                    .estimated_seconds
                    .map(|s| f("plan-about", &[("time", duration(s).into())]))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "    {}\n",
                    f(
                        "plan-method",
                        &[
                            ("method", format!("{m:?}").into()),
                            (
                                "category",
                                format!("{:?}", d.category.unwrap_or(Category::Clear)).into()
                            ),
                            ("verify", format!("{:?}", d.verify).into()),
                            ("about", about.into()),
                        ]
                    )
                ));
            }
            (None, None) => {}
        }
        if let Some(s) = &d.security {
            let yes_no = |b: bool| t(if b { "plan-yes" } else { "plan-no" });
            let estimate = s
                .enhanced_erase_minutes
                .or(s.erase_minutes)
                .map(|m| f("plan-drive-estimate", &[("minutes", m.into())]))
                .unwrap_or_default();
            out.push_str(&format!(
                "    {}\n",
                f(
                    "plan-security",
                    &[
                        (
                            "supported",
                            t(if s.supported {
                                "plan-supported"
                            } else {
                                "plan-not-supported"
                            })
                            .into()
                        ),
                        (
                            "frozen",
                            t(if s.frozen { "plan-frozen" } else { "plan-not-frozen" }).into()
                        ),
                        ("enhanced", yes_no(s.enhanced_erase_supported).into()),
                        ("sanitize", yes_no(s.sanitize_supported).into()),
                        ("estimate", estimate.into()),
                    ]
                )
            ));
        }
        out.push_str(&format!(
            "    {}\n",
            f(
                "plan-hidden",
                &[
                    ("hpa", area(d.hidden.hpa, lang).into()),
                    ("dco", area(d.hidden.dco, lang).into())
                ]
            )
        ));
        let verdict = match d.health.verdict {
            Verdict::Replace => "plan-verdict-replace",
            Verdict::Watch => "plan-verdict-watch",
            Verdict::Good => "plan-verdict-good",
            Verdict::Unknown => "plan-verdict-unknown",
        };
        out.push_str("    ");
        out.push_str(&f("plan-health", &[("verdict", t(verdict).into())]));
        if !d.health.reasons.is_empty() {
            out.push_str(&format!(" ({})", reasons(lang, &d.health.reasons)));
        }
        out.push('\n');
        for a in &d.advice {
            out.push_str(&format!(
                "    {}\n",
                f("plan-advice", &[("advice", l10n::say(lang, a).into())])
            ));
        }
    }
    if p.disks.is_empty() {
        out.push_str(&t("plan-no-disks"));
        out.push('\n');
    }
    out
}

/// Health reasons in one line.
pub fn reasons(lang: Lang, reasons: &[l10n::Said]) -> String {
    reasons
        .iter()
        .map(|r| l10n::say(lang, r))
        .collect::<Vec<_>>()
        .join("; ")
}

fn area(a: plan::AreaState, lang: Lang) -> String {
    match a {
        plan::AreaState::None => l10n::text(lang, "plan-area-none"),
        plan::AreaState::Present { sectors } => l10n::format(lang, "plan-area-present", &[("sectors", sectors.into())]),
        plan::AreaState::Unknown => l10n::text(lang, "unknown"),
    }
}

/// The question before a disk is erased and the answer that confirms it: the last four
/// characters of the disk's serial (or, without a serial, the device name).
pub fn confirmation(lang: Lang, p: &DiskPlan, method: Method, size: u64) -> (String, String) {
    let expected = match p.serial.as_deref().map(serial_tail).filter(|s| !s.is_empty()) {
        Some(tail) => tail,
        None => p.name.to_string(),
    };
    let question = l10n::format(
        lang,
        "erase-prompt",
        &[
            ("name", p.name.as_str().into()),
            (
                "model",
                p.model
                    .clone()
                    .unwrap_or_else(|| l10n::text(lang, "erase-unknown-model"))
                    .into(),
            ),
            (
                "serial",
                p.serial
                    .as_deref()
                    .map(|s| l10n::format(lang, "erase-prompt-serial", &[("tail", serial_tail(s).into())]))
                    .unwrap_or_default()
                    .into(),
            ),
            ("size", gb(lang, size).into()),
            ("method", format!("{method:?}").into()),
            ("category", format!("{:?}", method.category(p.medium)).into()),
        ],
    );
    let type_it = if p.serial.is_some() {
        "erase-type-serial"
    } else {
        "erase-type-name"
    };
    let question = format!(
        "{question}\n{}",
        l10n::format(lang, type_it, &[("expected", expected.as_str().into())])
    );
    (question, expected)
}
