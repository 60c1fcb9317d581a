//! The manual checks form of the room (`/room/check/<asset-id>`), pure: what a person
//! checks by hand (keyboard, touchpad, hinges, screen), the cosmetic grade A-E, the verdict
//! and a note, recorded as a `checked` event like `upcycle mark`. German first
//! (`?lang=en`). A LAN tool's protection against cross-site posts: every form carries
//! serve's per-run token ([`FormToken`], compared in constant time), and a browser's
//! `Origin` must be the page's own. Every value shown is escaped; the body is parsed
//! strictly (known fields, once each, bounded).

use crate::inventory::html::{MAX_SHOWN, escape, shown};
use crate::l10n::{self, Lang};
use crate::passport::{Grade, MAX_NOTE_CHARS, Mark, Verdict};

/// The longest form body accepted (eight short fields and a note).
pub const MAX_FORM_BODY: u64 = 8 * 1024;

/// The path prefix of the form.
pub const FORM_PREFIX: &str = "/room/check/";

/// The refusal of a form that no page of ours sends.
const DAMAGED: &str = "room-check-err-form";

/// The items a person checks by hand.
pub const ITEMS: [&str; 4] = ["keyboard", "touchpad", "hinges", "screen"];

/// A random value of this serve run that every form carries back.
pub type FormToken = crate::token::InstallToken;

/// One item's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Ok,
    Defect,
    NotChecked,
}

impl Item {
    fn parse(s: &str) -> Option<Item> {
        match s {
            "ok" => Some(Item::Ok),
            "defect" => Some(Item::Defect),
            "not-checked" => Some(Item::NotChecked),
            _ => None,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Item::Ok => "ok",
            Item::Defect => "defect",
            Item::NotChecked => "not-checked",
        }
    }
}

/// What the form sent, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManualCheck {
    /// The results of [`ITEMS`], in that order.
    pub items: [Item; 4],
    pub mark: Mark,
}

impl ManualCheck {
    /// The `checked` event's details: the verdict's (`verdict`, `grade`, `note`) and
    /// `manual` (each item's result).
    pub fn details(&self) -> serde_json::Value {
        let mut d = self.mark.details();
        let manual: serde_json::Map<String, serde_json::Value> = ITEMS
            .iter()
            .zip(self.items)
            .map(|(k, v)| (k.to_string(), v.code().into()))
            .collect();
        d["manual"] = manual.into();
        d
    }
}

/// Why a form was refused: a message id (`room-check-err-*`), said to the volunteer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused(pub &'static str);

/// Parse an `application/x-www-form-urlencoded` body: the four items, `verdict`,
/// optional `grade` and `note`, and `token`, which must be `expected`.
pub fn parse_form(body: &[u8], expected: &FormToken) -> Result<ManualCheck, Refused> {
    let text = std::str::from_utf8(body).map_err(|_| Refused(DAMAGED))?;
    let mut fields: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (decode(k)?, decode(v)?);
        let known = ITEMS.contains(&k.as_str()) || matches!(k.as_str(), "verdict" | "grade" | "note" | "token");
        if !known {
            return Err(Refused(DAMAGED));
        }
        if fields.insert(k, v).is_some() {
            return Err(Refused(DAMAGED));
        }
    }
    let token = fields.get("token").map(String::as_str).unwrap_or("");
    if !expected.matches(token) {
        return Err(Refused("room-check-err-token"));
    }
    let item = |k: &str| {
        fields
            .get(k)
            .map_or(Some(Item::NotChecked), |v| Item::parse(v))
            .ok_or(Refused(DAMAGED))
    };
    let items = [item(ITEMS[0])?, item(ITEMS[1])?, item(ITEMS[2])?, item(ITEMS[3])?];
    let verdict = fields
        .get("verdict")
        .and_then(|v| Verdict::parse(v))
        .ok_or(Refused("room-check-err-verdict"))?;
    let grade = match fields.get("grade").map(String::as_str) {
        None | Some("") => None,
        Some("A") => Some(Grade::A),
        Some("B") => Some(Grade::B),
        Some("C") => Some(Grade::C),
        Some("D") => Some(Grade::D),
        Some("E") => Some(Grade::E),
        Some(_) => return Err(Refused(DAMAGED)),
    };
    let note = fields
        .get("note")
        .map(|n| crate::render::one_line(n))
        .filter(|n| !n.is_empty());
    if note.as_ref().is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS) {
        return Err(Refused("room-check-err-note"));
    }
    Ok(ManualCheck {
        items,
        mark: Mark { verdict, grade, note },
    })
}

/// Percent-decoding with `+` as a blank; bad escapes and non-UTF-8 are refused.
fn decode(s: &str) -> Result<String, Refused> {
    let bad = Refused(DAMAGED);
    let mut out = Vec::with_capacity(s.len());
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = b.get(i + 1..i + 3).ok_or(bad)?;
                let hex = std::str::from_utf8(hex).map_err(|_| bad)?;
                out.push(u8::from_str_radix(hex, 16).map_err(|_| bad)?);
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| bad)
}

/// Is a request from a browser page of another origin? A browser sends `Origin` with a
/// POST; when it is there it must be `http://` + the `Host` the page was fetched from.
pub fn cross_origin(origin: Option<&str>, host: Option<&str>) -> bool {
    match (origin, host) {
        (None, _) => false,
        (Some(o), Some(h)) => o != format!("http://{h}"),
        (Some(_), None) => true,
    }
}

fn head(title: &str, lang: Lang) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n\
         <style>\nbody{{font-family:sans-serif;margin:1.5em;color:#222;max-width:44em}}\n\
         fieldset{{margin:0 0 1em 0;border:1px solid #ccc}}\nlabel{{margin-right:1.2em;white-space:nowrap}}\n\
         input[type=text]{{width:100%}}\nbutton{{font-size:1.1em;padding:.4em 1.2em}}\n</style>\n</head>\n<body>\n",
        lang.code(),
        escape(title)
    )
}

/// The form for `host` (a valid asset id), in `lang`, carrying `token`.
pub fn form_page(host: &str, model: Option<&str>, token: &FormToken, lang: Lang) -> String {
    let t = |id: &str| escape(&l10n::text(lang, id));
    let title = l10n::format(lang, "room-check-title", &[("host", host.into())]);
    let query = if lang == Lang::En { "?lang=en" } else { "" };
    let mut out = head(&title, lang);
    out.push_str(&format!("<h1>{}</h1>\n", escape(&title)));
    if let Some(m) = model {
        out.push_str(&format!("<p>{}</p>\n", shown(m, MAX_SHOWN)));
    }
    out.push_str(&format!(
        "<form method=\"post\" action=\"{FORM_PREFIX}{}{query}\">\n<input type=\"hidden\" name=\"token\" value=\"{}\">\n",
        escape(host),
        token.as_str()
    ));
    for item in ITEMS {
        out.push_str(&format!(
            "<fieldset><legend>{}</legend>\n",
            t(&format!("room-check-{item}"))
        ));
        for (value, label) in [
            ("ok", "room-check-ok"),
            ("defect", "room-check-defect"),
            ("not-checked", "room-check-skipped"),
        ] {
            let checked = if value == "not-checked" { " checked" } else { "" };
            out.push_str(&format!(
                "<label><input type=\"radio\" name=\"{item}\" value=\"{value}\"{checked}> {}</label>\n",
                t(label)
            ));
        }
        out.push_str("</fieldset>\n");
    }
    out.push_str(&format!(
        "<fieldset><legend>{}</legend>\n<label><input type=\"radio\" name=\"grade\" value=\"\" checked> {}</label>\n",
        t("room-check-grade"),
        t("room-check-no-grade")
    ));
    for g in ["A", "B", "C", "D", "E"] {
        out.push_str(&format!(
            "<label><input type=\"radio\" name=\"grade\" value=\"{g}\"> {g}</label>\n"
        ));
    }
    out.push_str(&format!(
        "</fieldset>\n<fieldset><legend>{}</legend>\n",
        t("room-check-verdict")
    ));
    for v in ["ready", "to-repair", "parts"] {
        out.push_str(&format!(
            "<label><input type=\"radio\" name=\"verdict\" value=\"{v}\" required> {}</label>\n",
            escape(&l10n::code_text(lang, "state-", v))
        ));
    }
    out.push_str(&format!(
        "</fieldset>\n<p><label for=\"note\">{}</label><br>\n\
         <input type=\"text\" id=\"note\" name=\"note\" maxlength=\"{MAX_NOTE_CHARS}\"></p>\n\
         <p><button type=\"submit\">{}</button> <a href=\"/room{query}\">{}</a></p>\n</form>\n</body>\n</html>\n",
        t("room-check-note"),
        t("room-check-save"),
        t("room-check-back"),
    ));
    out
}

/// After saving: what was recorded, and the way back.
pub fn saved_page(host: &str, state: crate::passport::State, lang: Lang) -> String {
    let text = l10n::format(
        lang,
        "room-check-saved",
        &[("host", host.into()), ("state", state.text(lang).into())],
    );
    let query = if lang == Lang::En { "?lang=en" } else { "" };
    let mut out = head(&text, lang);
    out.push_str(&format!(
        "<p>{}</p>\n<p><a href=\"/room{query}\">{}</a></p>\n</body>\n</html>\n",
        escape(&text),
        escape(&l10n::text(lang, "room-check-back"))
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token() -> FormToken {
        FormToken::new("0123456789abcdef0123456789abcdef").unwrap()
    }

    #[test]
    fn a_filled_form_is_a_verdict_with_its_items() {
        let body = b"token=0123456789abcdef0123456789abcdef&keyboard=ok&touchpad=defect&hinges=ok&screen=not-checked\
                     &grade=B&verdict=to-repair&note=Touchpad+klemmt%2C+%3Cb%3E%0Azweite+Zeile";
        let c = parse_form(body, &token()).unwrap();
        assert_eq!(c.items, [Item::Ok, Item::Defect, Item::Ok, Item::NotChecked]);
        assert_eq!(c.mark.verdict, Verdict::ToRepair);
        assert_eq!(c.mark.grade, Some(Grade::B));
        let d = c.details();
        assert_eq!(d["verdict"], "to-repair");
        assert_eq!(d["grade"], "B");
        assert_eq!(d["manual"]["touchpad"], "defect");
        let note = d["note"].as_str().unwrap();
        assert!(
            note.starts_with("Touchpad klemmt, <b>") && !note.contains('\n'),
            "{note}"
        );
        // items left out are not checked; no grade is none
        let c = parse_form(b"token=0123456789abcdef0123456789abcdef&verdict=ready&grade=", &token()).unwrap();
        assert_eq!(c.items, [Item::NotChecked; 4]);
        assert_eq!(c.mark.grade, None);
    }

    #[test]
    fn forms_from_elsewhere_or_malformed_are_refused() {
        let ok = "token=0123456789abcdef0123456789abcdef&verdict=ready";
        for bad in [
            "verdict=ready".to_string(),
            "token=ffffffffffffffffffffffffffffffff&verdict=ready".into(),
            "token=0123456789abcdef0123456789abcdef".into(),
            format!("{ok}&verdict=parts"),
            format!("{ok}&admin=1"),
            format!("{ok}&grade=F"),
            format!("{ok}&keyboard=perfect"),
            format!("{ok}&note=%zz"),
            format!("{ok}&note=%ff"),
            format!("{ok}&note={}", "x".repeat(MAX_NOTE_CHARS + 1)),
        ] {
            assert!(parse_form(bad.as_bytes(), &token()).is_err(), "{bad}");
        }
        assert!(parse_form(b"\xff", &token()).is_err());
        assert!(!cross_origin(None, Some("10.0.0.1:8080")));
        assert!(!cross_origin(Some("http://10.0.0.1:8080"), Some("10.0.0.1:8080")));
        assert!(cross_origin(Some("http://evil.example"), Some("10.0.0.1:8080")));
        assert!(cross_origin(Some("null"), Some("10.0.0.1:8080")));
    }

    #[test]
    fn the_form_is_german_first_and_escapes_what_it_shows() {
        let page = form_page("schule-003", Some("<b>T420</b>"), &token(), Lang::De);
        assert!(
            page.contains("<html lang=\"de\">") && page.contains("Tastatur"),
            "{page}"
        );
        assert!(page.contains("action=\"/room/check/schule-003\""), "{page}");
        assert!(page.contains("value=\"0123456789abcdef0123456789abcdef\""));
        assert!(!page.contains("<b>T420") && page.contains("&lt;b&gt;T420"), "{page}");
        assert!(!page.contains("<script") && !page.contains("http://"), "{page}");
        let en = form_page("schule-003", None, &token(), Lang::En);
        assert!(
            en.contains("Keyboard") && en.contains("action=\"/room/check/schule-003?lang=en\""),
            "{en}"
        );
        let saved = saved_page("schule-003", crate::passport::State::Ready, Lang::De);
        assert!(saved.contains("bereit zur Übergabe"), "{saved}");
    }
}
