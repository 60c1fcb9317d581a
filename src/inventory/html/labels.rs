//! `labels.html`: A4 sheets of 3 × 8 labels of 70 × 37 mm, one per ready machine, with
//! the asset id large and as a QR code drawn as inline SVG from the `fast_qr` crate's matrix
//! (it picks the best mask ~5 times faster than the `qrcode` crate: a room of 1,000 labels
//! spent a third of a second there).

use std::fmt::Write as _;

use fast_qr::{ECL, QRBuilder};

use super::texts;
use super::{MAX_SHOWN, Row, Texts, battery_text, disk_text, escape, ram_text, shown};
use crate::catalog::Lang;

/// Labels per A4 sheet: 3 columns × 8 rows of 70 × 37 mm.
pub const LABELS_PER_SHEET: usize = 24;

/// The QR code's error correction: M survives a scratched or smudged label.
pub const QR_EC_LEVEL: ECL = ECL::M;

/// Light modules around the code, as the QR standard asks.
pub const QR_QUIET_ZONE: usize = 4;
/// The QR code of `data` as an inline SVG: one path, one unit per module, the quiet zone
/// inside the view box. `None` if the data does not fit in a QR code.
pub fn qr_svg(data: &str) -> Option<String> {
    let code = QRBuilder::new(data.as_bytes()).ecl(QR_EC_LEVEL).build().ok()?;
    let width = code.size;
    let dark = |i: usize| code.data[i].value();
    let size = width + 2 * QR_QUIET_ZONE;
    let mut path = String::new();
    for y in 0..width {
        let mut x = 0;
        while x < width {
            if dark(y * width + x) {
                let start = x;
                while x < width && dark(y * width + x) {
                    x += 1;
                }
                let _ = write!(
                    path,
                    "M{} {}h{}v1h-{}z",
                    start + QR_QUIET_ZONE,
                    y + QR_QUIET_ZONE,
                    x - start,
                    x - start
                );
            } else {
                x += 1;
            }
        }
    }
    Some(format!(
        "<svg class=\"qr\" viewBox=\"0 0 {size} {size}\" data-modules=\"{width}\" role=\"img\" \
         aria-label=\"QR {label}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" \
         height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>",
        label = escape(data),
    ))
}
const LABELS_CSS: &str = r#"
  @page { size: A4; margin: 0; }
  * { box-sizing: border-box; }
  html, body { margin: 0; padding: 0; }
  body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #000; background: #e4e6ea; }
  .intro { max-width: 210mm; margin: 8mm auto 0; background: #fff; border-radius: 3mm; padding: 4mm 6mm; font-size: 11pt; line-height: 1.4; }
  .intro h1 { font-size: 18pt; margin: 0 0 2mm; }
  .intro p { margin: 1mm 0; }
  .intro .how { background: #fff6d6; border-left: 1.5mm solid #e0a526; padding: 2mm 3mm; }
  .sheet { width: 210mm; height: 296.5mm; padding-top: 0.5mm; margin: 8mm auto; background: #fff;
           box-shadow: 0 1mm 4mm rgba(0,0,0,.25); display: grid; overflow: hidden;
           grid-template-columns: repeat(3, 70mm); grid-template-rows: repeat(8, 37mm); }
  .label { width: 70mm; height: 37mm; padding: 3mm 3mm 2.5mm 2.5mm; display: flex; gap: 2mm; align-items: center;
           overflow: hidden; outline: 0.2mm dashed #c3c7cf; outline-offset: -0.1mm; }
  .label svg.qr { width: 25mm; height: 25mm; flex: none; }
  .label .text { flex: 1; min-width: 0; display: flex; flex-direction: column; gap: 0.8mm; }
  .label .text > div { flex: none; overflow: hidden; }
  .label .asset { font-size: 16pt; font-weight: bold; line-height: 1.1; overflow-wrap: anywhere;
                  display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; line-clamp: 2; }
  .label .model { font-size: 8pt; line-height: 1.2; overflow-wrap: anywhere;
                  display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; line-clamp: 2; }
  .label .line { font-size: 7.5pt; line-height: 1.25; white-space: nowrap; text-overflow: ellipsis; }
  .label .profile { font-weight: bold; white-space: normal; }
  .empty { padding: 10mm; font-size: 12pt; }
  @media print {
    body { background: none; }
    .intro { display: none; }
    .sheet { margin: 0; box-shadow: none; break-after: page; page-break-after: always; }
    .sheet:last-of-type { break-after: auto; page-break-after: auto; }
    .label { outline: none; }
  }
"#;

/// What a label's QR code holds: the passport's address when the workshop chose one
/// (`passport.link` with `{host}` for the asset id), else the asset id. Never more than
/// the asset id of the laptop: no personal data.
pub fn qr_data(asset_id: &str, link: Option<&str>) -> String {
    match link {
        Some(l) if !l.trim().is_empty() => l.replace("{host}", asset_id),
        _ => asset_id.to_string(),
    }
}

fn label(out: &mut String, row: &Row, t: &Texts, link: Option<&str>) {
    out.push_str("<div class=\"label\">");
    match qr_svg(&qr_data(&row.asset_id, link)) {
        Some(svg) => out.push_str(&svg),
        None => out.push_str("<svg class=\"qr\" viewBox=\"0 0 1 1\"></svg>"),
    }
    let _ = write!(
        out,
        "<div class=\"text\"><div class=\"asset\">{}</div>",
        shown(&row.asset_id, MAX_SHOWN)
    );
    let model = [row.vendor.trim(), row.model.trim()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let _ = write!(out, "<div class=\"model\">{}</div>", shown(&model, MAX_SHOWN));
    if !row.system_or_profile().trim().is_empty() {
        let _ = write!(
            out,
            "<div class=\"line profile\">{}</div>",
            shown(row.system_or_profile(), MAX_SHOWN)
        );
    }
    let mut specs = Vec::new();
    let ram = ram_text(row, t.lang);
    if !ram.trim().is_empty() {
        specs.push(format!("{} RAM", ram.trim()));
    }
    let disk = disk_text(row);
    if !disk.is_empty() {
        specs.push(disk);
    }
    if !specs.is_empty() {
        let _ = write!(
            out,
            "<div class=\"line\">{}</div>",
            shown(&specs.join(" · "), MAX_SHOWN)
        );
    }
    let battery = battery_text(row, t);
    if !battery.is_empty() {
        let _ = write!(
            out,
            "<div class=\"line\">{}: {}</div>",
            t.battery_short,
            shown(&battery, MAX_SHOWN)
        );
    }
    out.push_str("</div></div>\n");
}

/// `labels.html`: one 70 × 37 mm label per ready machine, 24 per A4 sheet.
pub fn labels_page(rows: &[Row], lang: Lang) -> String {
    labels_page_parts(rows, lang).concat()
}

/// [`labels_page`] in pieces (one here; [`write_labels_page`] streams it).
pub fn labels_page_parts(rows: &[Row], lang: Lang) -> Vec<String> {
    labels_page_parts_linked(rows, lang, None)
}

/// [`labels_page_parts`] whose QR codes lead to each laptop's passport (`link`, the
/// workshop's `passport.link`; see [`qr_data`]).
pub fn labels_page_parts_linked(rows: &[Row], lang: Lang, link: Option<&str>) -> Vec<String> {
    let mut page = Vec::new();
    write_labels_page(&mut page, rows, lang, link).expect("writing to memory does not fail");
    vec![String::from_utf8(page).expect("the page is UTF-8")]
}

/// Sheets each drawing thread draws before the page written so far goes out: a room of
/// 10,000 labels is ~18 MB of SVG, which is never held whole.
const SHEETS_PER_DRAW: usize = 8;

/// `labels.html` written to `w` as it is drawn (see [`labels_page_parts_linked`]).
pub fn write_labels_page(
    w: &mut dyn std::io::Write,
    rows: &[Row],
    lang: Lang,
    link: Option<&str>,
) -> std::io::Result<()> {
    let link = link.filter(|l| !l.trim().is_empty());
    let t = &texts(lang);
    let ready: Vec<&Row> = rows.iter().filter(|r| r.is_ok()).collect();
    let sheets = ready.len().div_ceil(LABELS_PER_SHEET);
    let skipped = rows.len() - ready.len();
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title} — {n}</title>\n<style>{LABELS_CSS}</style>\n</head>\n<body>\n",
        lang = t.lang.code(),
        title = t.labels,
        n = ready.len(),
    );
    let _ = writeln!(
        out,
        "<section class=\"intro\"><h1>{title}</h1><p>{intro}</p><p><b>{n}</b> {on_sheets}: <b>{sheets}</b> × A4{skipped}</p>\
         <p class=\"how\">{how}</p></section>",
        title = t.labels,
        intro = match link {
            Some(_) => crate::l10n::text(t.lang, "inv-labels-intro-passport"),
            None => t.labels_intro.clone(),
        },
        n = ready.len(),
        on_sheets = t.labels_on_sheets,
        skipped = if skipped > 0 {
            format!("; {skipped} {} {}", t.machines, t.labels_skipped)
        } else {
            String::new()
        },
        how = t.print_how,
    );
    if ready.is_empty() {
        let _ = writeln!(out, "<div class=\"sheet\"><p class=\"empty\">{}</p></div>", t.no_labels);
    }
    w.write_all(out.as_bytes())?;
    // The QR codes are most of the work (~0.3 ms each): the sheets are drawn on every core,
    // each thread a run of whole sheets, and written in order, a few runs at a time.
    let sheets: Vec<&[&Row]> = ready.chunks(LABELS_PER_SHEET).collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(sheets.len().max(1));
    for batch in sheets.chunks(threads * SHEETS_PER_DRAW) {
        let per_thread = batch.len().div_ceil(threads).max(1);
        let parts: Vec<String> = std::thread::scope(|s| {
            let handles: Vec<_> = batch
                .chunks(per_thread)
                .map(|run| s.spawn(move || sheets_html(run, t, link)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("drawing labels does not panic"))
                .collect()
        });
        for part in parts {
            w.write_all(part.as_bytes())?;
        }
    }
    w.write_all(b"</body>\n</html>\n")
}

/// The HTML of consecutive sheets of labels.
fn sheets_html(sheets: &[&[&Row]], t: &Texts, link: Option<&str>) -> String {
    let mut out = String::new();
    for sheet in sheets {
        out.push_str("<div class=\"sheet\">\n");
        for row in *sheet {
            label(&mut out, row, t, link);
        }
        out.push_str("</div>\n");
    }
    out
}
