//! `inventory.html`: counts, the failed machines, three charts and the sortable table.

use std::fmt::Write as _;

use super::charts::{bar_chart, battery_bars, profile_bars, ram_bars};
use super::texts;
use super::{
    MAX_SHOWN, MAX_SHOWN_NOTE, Row, Texts, battery_class, battery_of, battery_text, checklist_href, cpu_text,
    disk_text, escape, failure, leading_number, ram_text, shown,
};
use crate::catalog::Lang;
use crate::l10n;

const INVENTORY_CSS: &str = r#"
  :root { --ink: #1d2330; --muted: #5b6475; --line: #d9dde5; --ok: #1e7a46; --bad: #b3261e; --bad-bg: #fdecea; }
  * { box-sizing: border-box; }
  body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--ink); margin: 24px 28px; font-size: 14px; line-height: 1.35; }
  h1 { font-size: 26px; margin: 0 0 14px; }
  h2 { font-size: 18px; margin: 26px 0 6px; }
  .counts { display: flex; gap: 14px; flex-wrap: wrap; }
  .count { border: 1px solid var(--line); border-radius: 10px; padding: 10px 18px; min-width: 150px; background: #f7f8fa; }
  .count .n { display: block; font-size: 32px; font-weight: bold; }
  .count.ok .n { color: var(--ok); }
  .count.failed.some { background: var(--bad-bg); border-color: #f1b4ae; }
  .count.failed.some .n { color: var(--bad); }
  .count.impact { max-width: 360px; }
  .count.impact small { color: #555; }
  .problems { margin-top: 16px; background: var(--bad-bg); border-left: 6px solid var(--bad); padding: 8px 16px; border-radius: 6px; }
  .problems h2 { margin: 4px 0 6px; color: var(--bad); font-size: 16px; }
  .problems ul { margin: 0 0 4px; padding-left: 20px; }
  .problems li { overflow-wrap: anywhere; }
  .problems a { color: var(--ink); font-weight: bold; }
  .charts { display: flex; gap: 18px; flex-wrap: wrap; margin-top: 20px; }
  .chart { margin: 0; border: 1px solid var(--line); border-radius: 10px; padding: 10px 12px 6px; break-inside: avoid; }
  .chart figcaption { font-weight: bold; font-size: 15px; margin-bottom: 4px; }
  .chart .note { font-weight: normal; color: var(--muted); font-size: 12px; margin-left: 8px; }
  .chart text { font-size: 12px; fill: var(--ink); font-family: inherit; }
  .chart text.count { font-weight: bold; }
  .bar.profile { fill: #3566b0; } .bar.ram { fill: #2a8c8c; } .bar.failed { fill: var(--bad); }
  .bar.good { fill: #2e9e5b; } .bar.fair { fill: #e0a526; } .bar.weak { fill: #d4553d; } .bar.none { fill: #a3aab6; }
  .hint { color: var(--muted); margin: 0 0 8px; }
  table { border-collapse: collapse; width: 100%; font-size: 13px; table-layout: fixed; }
  th[data-key="asset_id"] { width: 8%; } th[data-key="model"] { width: 13%; } th[data-key="year"] { width: 4.5%; }
  th[data-key="cpu"] { width: 13%; } th[data-key="ram_mib"] { width: 5.5%; } th[data-key="disk"] { width: 8%; }
  th[data-key="battery_health"] { width: 8%; } th[data-key="display"] { width: 7.5%; }
  th[data-key="profile"] { width: 10.5%; } th[data-key="notes"] { width: 11.5%; } th[data-key="status"] { width: 10.5%; }
  th, td { border-bottom: 1px solid var(--line); padding: 6px 7px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
  thead th { position: sticky; top: 0; background: #eef1f6; z-index: 1; }
  thead th { cursor: pointer; user-select: none; overflow-wrap: break-word; }
  thead th:hover { background: #e1e6ef; }
  thead th:focus-visible { outline: 2px solid #3566b0; outline-offset: -2px; }
  th .arrow::after { content: " \2195"; color: #9aa3b2; }
  th[aria-sort="ascending"] .arrow::after { content: " \25B2"; color: var(--ink); }
  th[aria-sort="descending"] .arrow::after { content: " \25BC"; color: var(--ink); }
  td.num, th.num { text-align: right; }
  td.asset { font-weight: bold; }
  td.asset a { color: #1f4f99; }
  td.cpu { font-size: 12px; }
  td.notes { font-size: 12px; color: var(--muted); }
  .serial { color: var(--muted); font-size: 11.5px; }
  tbody tr:nth-child(even) { background: #fafbfc; }
  tr.failed, tbody tr.failed:nth-child(even) { background: var(--bad-bg); }
  .status { font-weight: bold; }
  .status.ok { color: var(--ok); }
  .status.failed { color: var(--bad); }
  .erasure.ok { color: var(--ok); } .erasure.failed { color: var(--bad); font-weight: bold; }
  .reason { color: var(--bad); font-size: 12px; }
  .pill { display: inline-block; padding: 0 7px; border-radius: 9px; font-weight: bold; white-space: nowrap; }
  .pill.good { background: #dcf2e4; color: #1e6e3f; } .pill.fair { background: #fbefcf; color: #7a5500; }
  .pill.weak { background: #f9ddd7; color: #9c2b16; } .pill.none { background: #eceef2; color: var(--muted); }
  @page { size: A4 landscape; margin: 10mm; }
  @media print {
    body { margin: 0; font-size: 10pt; }
    * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    .hint { display: none; }
    thead th { position: static; z-index: auto; }
    th .arrow::after, th[aria-sort] .arrow::after { content: ""; }
    td.asset a { color: inherit; text-decoration: none; }
    table { font-size: 8.5pt; }
    th, td { padding: 4px 4px; }
    td.cpu, td.notes, .reason, .serial { font-size: 7.5pt; }
    tr { break-inside: avoid; }
    h2 { break-after: avoid; }
    .charts { gap: 4mm; flex-wrap: nowrap; margin-top: 4mm; }
    .chart { padding: 2mm 3mm; }
    .chart svg { width: 80mm; height: auto; }
    .count { padding: 2mm 4mm; }
    .count .n { font-size: 20pt; }
  }
"#;

/// Sorting: a click on a heading sorts by that column, a second click reverses; numeric
/// columns compare numbers, empty cells go last; ties keep the batch order. `#sort=KEY`
/// or `#sort=-KEY` in the address sorts on load (and clicks write it there).
const INVENTORY_JS: &str = r##"
(function () {
  "use strict";
  var table = document.getElementById("machines");
  if (!table) { return; }
  var body = table.tBodies[0];
  var heads = table.tHead.rows[0].cells;
  function cellValue(row, i) {
    var c = row.cells[i];
    return c.hasAttribute("data-v") ? c.getAttribute("data-v") : c.textContent.trim();
  }
  function sortBy(i, descending) {
    var numeric = heads[i].getAttribute("data-type") === "num";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, i), y = cellValue(b, i), d;
      var ex = x === "" || (numeric && isNaN(parseFloat(x)));
      var ey = y === "" || (numeric && isNaN(parseFloat(y)));
      if (ex || ey) {
        d = (ex ? 1 : 0) - (ey ? 1 : 0);
      } else {
        d = numeric ? parseFloat(x) - parseFloat(y)
                    : x.localeCompare(y, undefined, { numeric: true, sensitivity: "base" });
        if (descending) { d = -d; }
      }
      return d || (parseInt(a.getAttribute("data-i"), 10) - parseInt(b.getAttribute("data-i"), 10));
    });
    rows.forEach(function (r) { body.appendChild(r); });
    for (var k = 0; k < heads.length; k++) {
      heads[k].setAttribute("aria-sort", k === i ? (descending ? "descending" : "ascending") : "none");
    }
  }
  function indexOf(key) {
    for (var k = 0; k < heads.length; k++) {
      if (heads[k].getAttribute("data-key") === key) { return k; }
    }
    return -1;
  }
  Array.prototype.forEach.call(heads, function (th, i) {
    function activate() {
      var descending = th.getAttribute("aria-sort") === "ascending";
      sortBy(i, descending);
      if (window.history && history.replaceState) {
        history.replaceState(null, "", "#sort=" + (descending ? "-" : "") + th.getAttribute("data-key"));
      }
    }
    th.addEventListener("click", activate);
    th.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); activate(); }
    });
  });
  var m = /^#sort=(-?)([A-Za-z0-9_]+)$/.exec(window.location.hash);
  if (m) {
    var i = indexOf(m[2]);
    if (i >= 0) { sortBy(i, m[1] === "-"); }
  }
})();
"##;

/// A table column: sort key (the CSV column name), heading, numeric or text.
struct Column {
    key: &'static str,
    heading: String,
    numeric: bool,
}

fn columns(t: &Texts) -> Vec<Column> {
    let c = |key: &'static str, heading: &str, numeric: bool| Column {
        key,
        heading: heading.to_string(),
        numeric,
    };
    vec![
        c("asset_id", &t.col_asset, false),
        c("model", &t.col_model, false),
        c("year", &t.col_year, true),
        c("cpu", "CPU", false),
        c("ram_mib", "RAM", true),
        c("disk", &t.col_disk, true),
        c("battery_health", &t.battery_short, true),
        c("display", &t.col_display, false),
        c("profile", &t.col_profile, false),
        c("notes", &t.col_notes, false),
        c("status", &t.col_status, false),
    ]
}

fn table_row(out: &mut String, index: usize, row: &Row, t: &Texts) {
    let failed = failure(row);
    let _ = write!(
        out,
        "<tr id=\"m{index}\" data-i=\"{index}\"{class}>",
        class = if failed.is_some() { " class=\"failed\"" } else { "" }
    );
    // asset id, linked to the bundle's checklist when there is a bundle
    let asset = shown(&row.asset_id, MAX_SHOWN);
    match checklist_href(&row.asset_id).filter(|_| failed.is_none()) {
        Some(href) => {
            let _ = write!(
                out,
                "<td class=\"asset\"><a href=\"{}\">{asset}</a></td>",
                escape(&href)
            );
        }
        None => {
            let _ = write!(out, "<td class=\"asset\">{asset}</td>");
        }
    }
    // vendor and model, the serial below; sorted by vendor and model
    let machine = [row.vendor.trim(), row.model.trim()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let _ = write!(
        out,
        "<td class=\"machine\" data-v=\"{m}\"><div>{m}</div>",
        m = shown(&machine, MAX_SHOWN)
    );
    if !row.serial.trim().is_empty() {
        let _ = write!(
            out,
            "<div class=\"serial\">{} {}</div>",
            t.col_serial,
            shown(&row.serial, MAX_SHOWN)
        );
    }
    out.push_str("</td>");
    let _ = write!(out, "<td class=\"num\">{}</td>", shown(&row.year, MAX_SHOWN));
    let _ = write!(out, "<td class=\"cpu\">{}", shown(&cpu_text(&row.cpu), MAX_SHOWN));
    match row.cpu_64bit.as_str() {
        "no" => {
            let _ = write!(out, " <span class=\"pill fair\">{}</span>", t.bits32);
        }
        "yes" | "" => {}
        other => {
            let _ = write!(out, " (64-bit: {})", shown(other, MAX_SHOWN));
        }
    }
    out.push_str("</td>");
    let _ = write!(
        out,
        "<td class=\"num\" data-v=\"{}\">{}</td>",
        shown(row.ram_mib.trim(), MAX_SHOWN),
        // the probe could not read it: a "?" (the column is narrow), the word on hover, as
        // the RAM chart says it
        match ram_text(row, t.lang) {
            ram if ram.trim().is_empty() => format!("<span title=\"{}\">?</span>", shown(&t.unknown, MAX_SHOWN)),
            ram => shown(&ram, MAX_SHOWN),
        }
    );
    let _ = write!(
        out,
        "<td class=\"num\" data-v=\"{}\">{}</td>",
        shown(leading_number(&row.disk), MAX_SHOWN),
        shown(&disk_text(row), MAX_SHOWN)
    );
    let (battery, percent) = battery_of(row);
    let battery_text = battery_text(row, t);
    if battery_text.is_empty() {
        out.push_str("<td class=\"num\" data-v=\"\"></td>");
    } else {
        let _ = write!(
            out,
            "<td class=\"num\" data-v=\"{}\"><span class=\"pill {}\">{}</span></td>",
            percent.map(|p| p.to_string()).unwrap_or_default(),
            battery_class(battery),
            shown(&battery_text, MAX_SHOWN)
        );
    }
    let _ = write!(
        out,
        "<td>{}</td><td class=\"profile\">{}</td>",
        shown(&row.display, MAX_SHOWN),
        shown(row.system_or_profile(), MAX_SHOWN)
    );
    out.push_str("<td class=\"notes\">");
    let notes = [
        (t.left_out.as_str(), &row.dropped_apps),
        (t.upgrade.as_str(), &row.upgrades),
        (t.firmware.as_str(), &row.firmware),
    ];
    for (what, value) in notes {
        if !value.trim().is_empty() {
            let _ = write!(out, "<div>{what}: {}</div>", shown(value, MAX_SHOWN_NOTE));
        }
    }
    out.push_str("</td>");
    match failed {
        None => {
            let _ = write!(
                out,
                "<td class=\"state\" data-v=\"ok\"><span class=\"status ok\">✓ {}</span></td>",
                t.status_ok
            );
        }
        Some(reason) => {
            let _ = write!(
                out,
                "<td class=\"state\" data-v=\"failed {reason}\"><span class=\"status failed\">✗ {}</span><div class=\"reason\">{reason}</div></td>",
                t.status_failed,
                reason = shown(reason, MAX_SHOWN_NOTE)
            );
        }
    }
    // the ledger's erasure (upcycle erase) in the status cell, below the bundle's state
    if let Some(e) = erasure_text(row, t) {
        out.truncate(out.len() - "</td>".len());
        let _ = write!(out, "{e}</td>");
    }
    out.push_str("</tr>\n");
}

/// `inventory.html`: counts, the failed machines, three charts and the sortable table.
pub fn inventory_page(rows: &[Row], lang: Lang) -> String {
    let t = &texts(lang);
    let total = rows.len();
    let ok = rows.iter().filter(|r| r.is_ok()).count();
    let failed = total - ok;
    let impact = crate::passport::impact::estimate(ok as u32);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} — {total} {machines}</title>\n<style>{INVENTORY_CSS}</style>\n</head>\n<body>\n",
        lang = t.lang.code(),
        title = t.inventory,
        machines = t.machines,
    );
    let _ = writeln!(out, "<h1>{}</h1>", t.inventory);
    let _ = writeln!(
        out,
        "<section class=\"counts\">\
         <div class=\"count all\"><span class=\"n\">{total}</span>{machines}</div>\
         <div class=\"count ok\"><span class=\"n\">{ok}</span>{ready}</div>\
         <div class=\"count failed{some}\"><span class=\"n\">{failed}</span>{failed_text}</div>\
         <div class=\"count impact\"><span class=\"n\">{co2e}</span>{impact}<br><small>{impact_note}</small></div>\
         </section>",
        machines = t.machines,
        ready = t.ready,
        some = if failed > 0 { " some" } else { "" },
        failed_text = t.failed,
        co2e = escape(&format!(
            "ca. {} CO₂e",
            crate::passport::impact::mass_text(t.lang, impact.co2e_kg as f64)
        )),
        impact = escape(&l10n::text(t.lang, "inv-impact")),
        impact_note = escape(&format!(
            "{}: {}",
            impact.text(t.lang),
            l10n::format(t.lang, "inv-impact-note", &[("n", (ok as u64).into())])
        )),
    );
    if failed > 0 {
        let _ = write!(out, "<section class=\"problems\"><h2>{}</h2><ul>", t.failed_heading);
        for (i, r) in rows.iter().enumerate() {
            if let Some(reason) = failure(r) {
                let _ = write!(
                    out,
                    "<li><a href=\"#m{i}\">{}</a>: {}</li>",
                    shown(&r.asset_id, MAX_SHOWN),
                    shown(reason, MAX_SHOWN_NOTE)
                );
            }
        }
        out.push_str("</ul></section>\n");
    }
    if total == 0 {
        let _ = writeln!(out, "<p>{}</p>", t.no_machines);
    } else {
        let note = format!("{total} {}", t.machines);
        out.push_str("<section class=\"charts\">");
        out.push_str(&bar_chart(&t.per_profile, &note, &profile_bars(rows, t)));
        out.push_str(&bar_chart(&t.ram_sizes, &note, &ram_bars(rows, t)));
        out.push_str(&bar_chart(&t.battery, &note, &battery_bars(rows, t)));
        out.push_str("</section>\n");
    }
    let _ = write!(
        out,
        "<h2>{}</h2>\n<p class=\"hint\">{}</p>\n<table id=\"machines\">\n<thead><tr>",
        t.all_machines, t.sort_hint
    );
    for c in columns(t) {
        let _ = write!(
            out,
            "<th data-key=\"{key}\" data-type=\"{ty}\" aria-sort=\"none\" tabindex=\"0\"{class}>{h}<span class=\"arrow\"></span></th>",
            key = c.key,
            ty = if c.numeric { "num" } else { "text" },
            class = if c.numeric { " class=\"num\"" } else { "" },
            h = escape(&c.heading),
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (i, r) in rows.iter().enumerate() {
        table_row(&mut out, i, r, t);
    }
    let _ = write!(
        out,
        "</tbody>\n</table>\n<script>{INVENTORY_JS}</script>\n</body>\n</html>\n"
    );
    out
}

/// A row's erasure as the status cell shows it (escaped markup), when it was erased at all.
fn erasure_text(row: &Row, t: &Texts) -> Option<String> {
    let word = match row.erasure.as_str() {
        "" => return None,
        "erased" => &t.erasure_erased,
        "interrupted" => &t.erasure_interrupted,
        _ => &t.erasure_failed,
    };
    let class = if row.erasure == "erased" { "ok" } else { "failed" };
    let mut out = format!(
        "<div class=\"erasure {class}\">{} {}</div>",
        escape(word),
        shown(&row.erased_on, MAX_SHOWN)
    );
    if row.replace_disk == "yes" {
        let _ = write!(out, "<div class=\"erasure failed\">⚠ {}</div>", escape(&t.replace_disk));
    }
    Some(out)
}
