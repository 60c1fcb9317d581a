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
mod texts;

use std::fmt::Write as _;

use super::Row;
use crate::select::mib_text;

pub use inventory::inventory_page;
pub use labels::{LABELS_PER_SHEET, QR_EC_LEVEL, QR_QUIET_ZONE, labels_page, labels_page_parts, qr_svg};
use texts::Texts;

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

fn ram_text(row: &Row) -> String {
    match row.ram_mib.trim().parse::<u64>() {
        Ok(m) => mib_text(m),
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
