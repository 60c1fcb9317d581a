//! The charts of `inventory.html`: horizontal bar charts as inline SVG, counted from the
//! rows in a fixed order (profiles by count, RAM by size, battery by bucket).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{Battery, MAX_SHOWN, Row, Texts, battery_of, escape, shown};

/// One bar of a chart.
pub(super) struct Bar {
    label: String,
    count: usize,
    class: &'static str,
}

/// A horizontal bar chart as inline SVG with a caption: label, bar, count per line.
pub(super) fn bar_chart(title: &str, note: &str, bars: &[Bar]) -> String {
    const WIDTH: usize = 360;
    const LABEL_W: usize = 190;
    const BAR_W: f64 = 125.0;
    const ROW_H: usize = 26;
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let height = bars.len().max(1) * ROW_H + 6;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<figure class=\"chart\"><figcaption>{title}<span class=\"note\">{note}</span></figcaption>\
         <svg viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" role=\"img\" aria-label=\"{title}\">",
        title = escape(title),
        note = escape(note),
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = i * ROW_H + 3;
        let w = if bar.count == 0 {
            0.0
        } else {
            (bar.count as f64 / max as f64 * BAR_W).max(2.0)
        };
        let label: String = if bar.label.chars().count() > 30 {
            bar.label.chars().take(29).collect::<String>() + "…"
        } else {
            bar.label.clone()
        };
        let _ = write!(
            svg,
            "<g><title>{full}: {count}</title>\
             <text class=\"label\" x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{label}</text>\
             <rect class=\"bar {class}\" x=\"{bx}\" y=\"{y}\" width=\"{w:.1}\" height=\"{bh}\" rx=\"3\"/>\
             <text class=\"count\" x=\"{cx:.1}\" y=\"{ty}\">{count}</text></g>",
            full = shown(&bar.label, MAX_SHOWN),
            count = bar.count,
            lx = LABEL_W - 8,
            ty = y + 14,
            label = escape(&label),
            class = bar.class,
            bx = LABEL_W,
            bh = ROW_H - 8,
            cx = LABEL_W as f64 + w + 6.0,
        );
    }
    svg.push_str("</svg></figure>");
    svg
}

pub(super) fn profile_bars(rows: &[Row], t: &Texts) -> Vec<Bar> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut failed, mut unknown) = (0, 0);
    for r in rows {
        match r.system_or_profile().trim() {
            _ if !r.is_ok() => failed += 1,
            "" => unknown += 1,
            p => *counts.entry(p).or_default() += 1,
        }
    }
    let mut sorted: Vec<(&str, usize)> = counts.into_iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut bars: Vec<Bar> = sorted
        .into_iter()
        .map(|(p, n)| Bar {
            label: p.to_string(),
            count: n,
            class: "profile",
        })
        .collect();
    if unknown > 0 {
        bars.push(Bar {
            label: t.unknown.to_string(),
            count: unknown,
            class: "none",
        });
    }
    if failed > 0 {
        bars.push(Bar {
            label: t.failed.to_string(),
            count: failed,
            class: "failed",
        });
    }
    bars
}

pub(super) fn ram_bars(rows: &[Row], t: &Texts) -> Vec<Bar> {
    let mut counts: BTreeMap<u64, usize> = BTreeMap::new();
    let mut unknown = 0;
    for r in rows {
        match r.ram_mib.trim().parse::<u64>() {
            Ok(m) => *counts.entry(m).or_default() += 1,
            Err(_) => unknown += 1,
        }
    }
    let mut bars: Vec<Bar> = counts
        .into_iter()
        .map(|(m, n)| Bar {
            label: crate::l10n::mib_text(t.lang, m),
            count: n,
            class: "ram",
        })
        .collect();
    if unknown > 0 {
        bars.push(Bar {
            label: t.unknown.to_string(),
            count: unknown,
            class: "none",
        });
    }
    bars
}

pub(super) fn battery_bars(rows: &[Row], t: &Texts) -> Vec<Bar> {
    let mut counts: BTreeMap<Battery, usize> = BTreeMap::new();
    for r in rows {
        *counts.entry(battery_of(r).0).or_default() += 1;
    }
    let n = |b: Battery| counts.get(&b).copied().unwrap_or(0);
    let mut bars = vec![
        Bar {
            label: t.battery_good.to_string(),
            count: n(Battery::Good),
            class: "good",
        },
        Bar {
            label: t.battery_ok.to_string(),
            count: n(Battery::Fair),
            class: "fair",
        },
        Bar {
            label: t.battery_weak.to_string(),
            count: n(Battery::Weak),
            class: "weak",
        },
        Bar {
            label: t.no_battery.to_string(),
            count: n(Battery::None),
            class: "none",
        },
    ];
    if n(Battery::Unknown) > 0 {
        bars.push(Bar {
            label: t.unknown.to_string(),
            count: n(Battery::Unknown),
            class: "none",
        });
    }
    bars
}
