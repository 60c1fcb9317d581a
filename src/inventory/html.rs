//! `inventory.html` (counts, charts, sortable table) and `labels.html` (A4 label sheets
//! with QR codes): pure functions from rows to self-contained pages, deterministic, with
//! every value from a laptop HTML-escaped.
//!
//! The pages are written in Rust rather than Tera because most of them is generated
//! markup (SVG bars, QR paths, label grids) and a template would only hold the frame.
//! They load nothing: styles, script, charts and QR codes are inline, so a page works
//! from a USB stick on a workshop laptop without network.

mod charts;
mod inventory;
mod labels;

use std::fmt::Write as _;

use super::Row;
use crate::l10n::{self, Lang};

pub use inventory::inventory_page;
pub use labels::{
    LABELS_PER_SHEET, QR_EC_LEVEL, QR_QUIET_ZONE, labels_page, labels_page_parts, labels_page_parts_linked, qr_data,
    qr_svg, write_labels_page,
};

/// The visible texts of both pages in one language, from the catalogs' `inv-*` messages
/// (a field per message, so a typo is a compile error; the catalog test checks the ids).
macro_rules! texts {
    ($($field:ident,)*) => {
        pub(super) struct Texts {
            /// The page's language.
            pub(super) lang: Lang,
            $(pub(super) $field: String,)*
        }

        pub(super) fn texts(lang: Lang) -> Texts {
            Texts {
                lang,
                $($field: l10n::text(lang, &format!("inv-{}", stringify!($field).replace('_', "-"))),)*
            }
        }
    };
}

texts! {
    inventory,
    labels,
    machines,
    ready,
    failed,
    failed_heading,
    all_machines,
    sort_hint,
    per_profile,
    ram_sizes,
    battery,
    unknown,
    no_battery,
    battery_good,
    battery_ok,
    battery_weak,
    col_asset,
    col_model,
    col_serial,
    col_year,
    col_disk,
    col_display,
    col_profile,
    col_notes,
    col_status,
    bits32,
    left_out,
    upgrade,
    status_ok,
    status_failed,
    no_machines,
    labels_intro,
    labels_on_sheets,
    print_how,
    no_labels,
    labels_skipped,
    battery_short,
    firmware,
    erasure_erased,
    erasure_failed,
    erasure_interrupted,
    replace_disk,
}

/// HTML escaping for text and attribute values; control characters (newlines, tabs,
/// escapes from DMI strings) become blanks.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The most characters of one value from a laptop (vendor, model, serial, CPU, ...) that a
/// page shows. A DMI string can be 100 KB: Chromium took 85 s to lay out a table holding
/// one. The CSV and the report keep the whole value.
pub const MAX_SHOWN: usize = 200;

/// The most characters of a note or failure reason a page shows (they quote inputs).
pub const MAX_SHOWN_NOTE: usize = 1000;

/// `s` cut to at most `max` characters (the last one an ellipsis when cut), escaped.
pub fn shown(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => escape(s),
        Some(_) => {
            let (end, _) = s.char_indices().nth(max - 1).expect("longer than max");
            escape(&format!("{}…", &s[..end]))
        }
    }
}

/// The relative link to a machine's checklist, `<asset_id>/checklist.html`, with the
/// asset id percent-encoded so that no id can turn into another URL (`javascript:`, `?`,
/// `#`, `/`); `None` for ids that would leave the batch folder (`.`, `..`, empty).
pub fn checklist_href(asset_id: &str) -> Option<String> {
    if asset_id.is_empty() || asset_id == "." || asset_id == ".." {
        return None;
    }
    let mut out = String::new();
    for b in asset_id.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out.push_str("/checklist.html");
    Some(out)
}

/// Battery health of a row, in the buckets of the chart and the colour of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Battery {
    Good,
    Fair,
    Weak,
    None,
    Unknown,
}

fn battery_of(row: &Row) -> (Battery, Option<u32>) {
    match row.battery_health.trim() {
        "no battery" => (Battery::None, None),
        s => match s.parse::<u32>() {
            Ok(p) if p >= 80 => (Battery::Good, Some(p)),
            Ok(p) if p >= 50 => (Battery::Fair, Some(p)),
            Ok(p) => (Battery::Weak, Some(p)),
            Err(_) => (Battery::Unknown, None),
        },
    }
}

fn battery_class(b: Battery) -> &'static str {
    match b {
        Battery::Good => "good",
        Battery::Fair => "fair",
        Battery::Weak => "weak",
        Battery::None | Battery::Unknown => "none",
    }
}

fn battery_text(row: &Row, t: &Texts) -> String {
    match battery_of(row) {
        (_, Some(p)) => format!("{p} %"),
        (Battery::None, _) => t.no_battery.to_string(),
        _ if row.battery_health.trim().is_empty() => String::new(),
        _ => t.unknown.to_string(),
    }
}

/// The failure reason of a failed row (`failed: reason`), `None` for an ok row.
fn failure(row: &Row) -> Option<&str> {
    if row.is_ok() {
        return None;
    }
    Some(row.status.strip_prefix("failed:").unwrap_or(&row.status).trim())
}

/// The leading number of `250 GB`, for sorting.
fn leading_number(s: &str) -> &str {
    let s = s.trim();
    let end = s
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_digit() || c == '.'))
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    &s[..end]
}

fn ram_text(row: &Row, lang: Lang) -> String {
    match row.ram_mib.trim().parse::<u64>() {
        Ok(m) => l10n::mib_text(lang, m),
        Err(_) => row.ram_mib.clone(),
    }
}

/// A CPU name for people: without the `(R)`, `(TM)` and `CPU` of `/proc/cpuinfo`.
fn cpu_text(cpu: &str) -> String {
    cpu.replace("(R)", "")
        .replace("(r)", "")
        .replace("(TM)", "")
        .replace("(tm)", "")
        .split_whitespace()
        .filter(|w| *w != "CPU")
        .collect::<Vec<_>>()
        .join(" ")
}

fn disk_text(row: &Row) -> String {
    [row.disk.trim(), row.disk_type.trim()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_cuts_at_characters_and_escapes() {
        assert_eq!(shown("abc", 3), "abc");
        assert_eq!(shown("abcd", 3), "ab…");
        assert_eq!(shown("äöüß", 3), "äö…");
        assert_eq!(shown("<<<<", 3), "&lt;&lt;…");
        assert_eq!(shown(&"x".repeat(MAX_SHOWN), MAX_SHOWN), "x".repeat(MAX_SHOWN));
        assert_eq!(shown(&"x".repeat(100_000), MAX_SHOWN).chars().count(), MAX_SHOWN);
    }
}
