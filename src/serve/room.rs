//! The live room page (`/room`), pure: one row per laptop of the ledger with its stage,
//! the installer's last log line and since when. German first (`/room?lang=en` in English).
//! It reloads itself every [`REFRESH_SECONDS`] (a meta refresh: no script, nothing
//! fetched from elsewhere), and every value is escaped: host names and models come from
//! the ledger, log lines from the network.

use chrono::{DateTime, FixedOffset};

use crate::inventory::html::{MAX_SHOWN, escape, shown};
use crate::l10n::{self, Lang};
use crate::ledger::{InstallStage, RoomRow};

pub const REFRESH_SECONDS: u32 = 5;

/// The row's state for the page: its label and a CSS class.
fn state(row: &RoomRow, lang: Lang) -> (String, &'static str) {
    if let Some(stage) = row.stage.as_deref().and_then(InstallStage::parse) {
        let class = match stage {
            InstallStage::Installed => "done",
            InstallStage::Failed => "failed",
            _ => "running",
        };
        return (l10n::code_text(lang, "stage-", stage.as_str()), class);
    }
    let label = match row.last_event.as_deref() {
        None => "–".to_string(),
        Some(code) => l10n::code_text(lang, "room-event-", code),
    };
    (label, "waiting")
}

/// `HH:MM` in `now`'s offset, and how long ago (`vor 12 min`), from a ledger time.
fn since(time: Option<&str>, now: DateTime<FixedOffset>, lang: Lang) -> String {
    let Some(t) = time.and_then(|t| DateTime::parse_from_rfc3339(t).ok()) else {
        return "–".into();
    };
    let local = t.with_timezone(&now.timezone());
    let minutes = (now - local).num_minutes().max(0);
    let ago = match minutes {
        0 => l10n::text(lang, "room-just-now"),
        m if m < 120 => l10n::format(lang, "room-minutes-ago", &[("n", (m as u64).into())]),
        m => l10n::format(lang, "room-hours-ago", &[("n", ((m / 60) as u64).into())]),
    };
    format!("{} ({ago})", local.format("%H:%M"))
}

/// `HH:MM` of a ledger time in `now`'s offset (`–` when it does not read).
fn clock(time: &str, now: DateTime<FixedOffset>) -> String {
    DateTime::parse_from_rfc3339(time)
        .map(|t| t.with_timezone(&now.timezone()).format("%H:%M").to_string())
        .unwrap_or_else(|_| "–".into())
}

/// The host name, and the link to its manual checks form (only for a valid asset id).
fn host_cell(host: &str, lang: Lang) -> String {
    if !crate::media::valid_asset_id(host) {
        return shown(host, MAX_SHOWN);
    }
    let query = if lang == Lang::En { "?lang=en" } else { "" };
    format!(
        "{host} <a href=\"{}{host}{query}\">{}</a>",
        super::form::FORM_PREFIX,
        escape(&l10n::text(lang, "room-check-link"))
    )
}

/// The page. `now` gives the time shown and the offset times are shown in.
pub fn room_page(rows: &[RoomRow], now: DateTime<FixedOffset>, lang: Lang) -> String {
    let t = |id: &str| escape(&l10n::text(lang, id));
    let mut out = String::with_capacity(2048 + rows.len() * 400);
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"refresh\" content=\"{REFRESH_SECONDS}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n",
        lang.code(),
        t("room-title")
    ));
    out.push_str(
        "<style>\nbody{font-family:sans-serif;margin:1.5em;color:#222}\n\
         table{border-collapse:collapse;width:100%}\n\
         th,td{border-bottom:1px solid #ccc;padding:.45em .6em;text-align:left;vertical-align:top}\n\
         th{background:#eee}\ntd.line{font-family:monospace;font-size:.9em;word-break:break-all;max-width:40em}\n\
         tr.done td.stage{background:#dff0d8}\ntr.failed td.stage{background:#f2dede}\n\
         tr.running td.stage{background:#fcf8e3}\n.counts span{margin-right:1.5em}\n</style>\n</head>\n<body>\n",
    );
    let count = |class: &str| rows.iter().filter(|r| state(r, lang).1 == class).count();
    out.push_str(&format!(
        "<h1>{}</h1>\n<p class=\"counts\"><span>{}: {}</span><span>{}: {}</span><span>{}: {}</span><span>{}: {}</span></p>\n",
        t("room-heading"),
        t("room-laptops"),
        rows.len(),
        t("room-running"),
        count("running"),
        t("room-done"),
        count("done"),
        t("room-failed"),
        count("failed"),
    ));
    // The link to the other language.
    let (other, query) = match lang {
        Lang::De => (Lang::En, "?lang=en"),
        Lang::En => (Lang::De, ""),
    };
    out.push_str(&format!(
        "<p>{} {} · {} · <a href=\"/room{query}\">{}</a></p>\n",
        t("room-as-of"),
        now.format("%H:%M:%S"),
        escape(&l10n::format(
            lang,
            "room-reloads",
            &[("n", u64::from(REFRESH_SECONDS).into())]
        )),
        escape(&l10n::text(other, "room-language-name")),
    ));
    out.push_str(&format!(
        "<table>\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
        t("room-col-number"),
        t("room-col-host"),
        t("room-col-model"),
        t("room-col-stage"),
        t("room-col-line"),
        t("room-col-since"),
    ));
    for r in rows {
        let (label, class) = state(r, lang);
        let when = r.stage_since.as_deref().or(r.since.as_deref());
        let line = match (&r.last_line, &r.last_line_time) {
            (Some(l), Some(at)) => format!("{} <small>({})</small>", shown(l, 300), escape(&clock(at, now))),
            (Some(l), None) => shown(l, 300),
            _ => "–".into(),
        };
        out.push_str(&format!(
            "<tr class=\"{class}\"><td>{}</td><td>{}</td><td>{}</td><td class=\"stage\">{}</td><td class=\"line\">{line}</td><td>{}</td></tr>\n",
            r.number,
            host_cell(&r.hostname, lang),
            r.model.as_deref().map(|m| shown(m, MAX_SHOWN)).unwrap_or_else(|| "–".into()),
            escape(&label),
            escape(&since(when, now, lang)),
        ));
    }
    if rows.is_empty() {
        out.push_str(&format!("<tr><td colspan=\"6\">{}</td></tr>\n", t("room-empty")));
    }
    out.push_str("</tbody>\n</table>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(n: u32, stage: Option<&str>, line: Option<&str>) -> RoomRow {
        RoomRow {
            number: n,
            hostname: format!("schule-{n:03}"),
            model: Some("ThinkPad T40".into()),
            last_event: Some(if stage.is_some() { "install-progress" } else { "bundle" }.into()),
            since: Some("2026-12-06T09:00:00Z".into()),
            stage: stage.map(str::to_string),
            stage_since: stage.map(|_| "2026-12-06T09:50:00Z".to_string()),
            last_line: line.map(str::to_string),
            last_line_time: line.map(|_| "2026-12-06T09:59:30Z".to_string()),
            log_lines: 0,
            erasure: None,
        }
    }

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-12-06T11:00:00+01:00").unwrap()
    }

    #[test]
    fn rows_say_stage_line_and_since_in_german_first() {
        let rows = [
            row(
                1,
                Some("software"),
                Some("main-menu[242]: INFO: Menu item 'pkgsel' selected"),
            ),
            row(2, Some("installed"), None),
            row(3, None, None),
        ];
        let page = room_page(&rows, now(), Lang::De);
        assert!(page.contains("<html lang=\"de\">"));
        assert!(page.contains("<meta http-equiv=\"refresh\" content=\"5\">"));
        assert!(
            page.contains("<td class=\"stage\">Software wird installiert</td>"),
            "{page}"
        );
        assert!(
            page.contains("Menu item &#39;pkgsel&#39; selected <small>(10:59)</small>"),
            "{page}"
        );
        assert!(page.contains("<td>10:50 (vor 10 min)</td>"), "{page}");
        assert!(page.contains("<tr class=\"done\"><td>2</td>"), "{page}");
        assert!(
            page.contains("<td class=\"stage\">Bündel bereit</td><td class=\"line\">–</td><td>10:00 (vor 60 min)</td>"),
            "{page}"
        );
        assert!(page.contains("<span>laufen: 1</span><span>fertig: 1</span>"), "{page}");
        assert!(
            !page.contains("http://") && !page.contains("https://") && !page.contains("<script"),
            "nothing external, no script"
        );
        let en = room_page(&rows, now(), Lang::En);
        assert!(
            en.contains("<html lang=\"en\">") && en.contains("installing the software"),
            "{en}"
        );
    }

    #[test]
    fn values_from_the_network_are_escaped_and_cut() {
        let mut hostile = row(
            1,
            Some("failed"),
            Some("x</td><script>alert(1)</script><img src=x onerror=alert(2)>\"'&"),
        );
        hostile.model = Some(format!("<b>{}</b>", "M".repeat(10_000)));
        hostile.stage_since = Some("not a time".into());
        let page = room_page(&[hostile], now(), Lang::De);
        assert!(
            !page.contains("<script>") && !page.contains("<img") && !page.contains("<b>"),
            "{page}"
        );
        assert!(
            page.contains("x&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{page}"
        );
        assert!(page.len() < 4000, "cut: {}", page.len());
        assert!(page.contains("<td>–</td></tr>"), "a time that does not read: {page}");
        assert!(room_page(&[], now(), Lang::De).contains("Noch keine Laptops"));
    }
}
