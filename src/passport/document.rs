//! The passport as data (schema `upcycle.passport/v2`): what a laptop's ledger events say
//! about it, gathered by a pure function ([`build`]). It is written as JSON beside its
//! printable page and read back by other tools, so its format is versioned and its types
//! refuse unknown fields. It never holds a serial number (the ledger has only keyed
//! hashes of them, and the inventory row's serial is left out) nor the recipient's name.

use serde::{Deserialize, Serialize};

use super::state::{self, State};
use crate::catalog::Catalog;
use crate::inventory::Row;
use crate::l10n::Localized;
use crate::ledger::{Event, Machine};
use crate::workshop::{AccountMode, Workshop};

pub const SCHEMA: &str = "upcycle.passport/v2";
/// The schema before v2: the same document without a check's `manual` items. Read as it
/// is (`manual` then absent), never written.
pub const SCHEMA_V1: &str = "upcycle.passport/v1";

/// The longest text taken from an event's details (they may come from a laptop).
const MAX_TEXT: usize = 200;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Passport {
    /// `upcycle.passport/v2` (`v1` when read from an older file).
    pub schema: String,
    pub identity: Identity,
    pub state: State,
    /// The time of the machine's last event: the passport is as of then (so the same
    /// ledger gives the same passport, byte for byte).
    pub as_of: String,
    pub dates: Dates,
    /// From the last bundle the ledger recorded (its inventory row); none before one.
    pub hardware: Option<Hardware>,
    /// Every erasure recorded, oldest first (one per disk and run); empty: not erased yet.
    pub erasures: Vec<Erasure>,
    /// The last erasure of every disk succeeded: the laptop counts as erased.
    pub erased: bool,
    /// The system of the last bundle; installed when `dates.installed` is set.
    pub system: Option<System>,
    /// The last check recorded, with a person's verdict and grade if given.
    pub check: Option<Check>,
    /// The laptop's last self-check (`upcycle check --post`, docs/check.md); absent when
    /// none was recorded (and in passports written before it existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_check: Option<SelfCheck>,
    pub workshop: WorkshopInfo,
    /// What the recipient should know about accounts and updates.
    pub recipient: RecipientInfo,
    /// What its reuse avoids (an estimate, docs/passport.md); none for a laptop kept for
    /// parts.
    pub impact: Option<super::impact::Impact>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    /// The inventory number.
    pub number: u32,
    /// The host name, which is the asset id on labels and in the inventory.
    pub hostname: String,
    pub vendor: Option<String>,
    pub model: Option<String>,
    /// The year of its BIOS (about its age).
    pub year: Option<u16>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dates {
    /// Its first intake.
    pub intake: Option<String>,
    pub last_bundle: Option<String>,
    /// Its last successful erasure.
    pub erased: Option<String>,
    pub installed: Option<String>,
    pub checked: Option<String>,
    pub handed_over: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hardware {
    pub cpu: Option<String>,
    pub cpu_64bit: Option<bool>,
    pub ram_mib: Option<u64>,
    /// The install disk's size as the inventory wrote it (`160 GB`).
    pub disk: Option<String>,
    /// `HDD` or `SSD`.
    pub disk_type: Option<String>,
    /// Whether it has a battery (none: not known).
    pub battery: Option<bool>,
    /// Capacity left of the design capacity, in percent.
    pub battery_health_percent: Option<u8>,
    /// The panel's native resolution (`1280x800`).
    pub display: Option<String>,
    /// When the report behind it was recorded (the bundle event).
    pub recorded: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Erasure {
    pub time: String,
    /// The disk's name when erased (`sda`).
    pub disk_name: Option<String>,
    /// The disk's model (never its serial).
    pub disk: Option<String>,
    /// The drive health gate's verdict (`good`, `watch`, `replace`, `unknown`).
    pub health: Option<String>,
    /// The method's code (`overwrite`, `nvme-sanitize-crypto-erase`, ...).
    pub method: Option<String>,
    /// NIST SP 800-88 / IEEE 2883: `clear` or `purge`.
    pub category: Option<String>,
    /// How it was verified (the record's words or code).
    pub verification: Option<String>,
    /// The result as recorded (`passed`, `erased`, `failed`, ...).
    pub result: Option<String>,
    /// Whether it counts as erased ([`state::erasure_succeeded`]).
    pub succeeded: bool,
    /// SHA-256 of the erasure record file, which matches the printed certificate.
    pub record_sha256: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct System {
    pub profile: String,
    /// The profile's name in both languages (from the catalog; none when the catalog no
    /// longer has the profile).
    pub name: Option<Localized>,
    /// Last day of security support, `YYYY-MM-DD` (from the catalog).
    pub support_until: Option<String>,
    /// Packages the installer reported.
    pub packages: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    pub time: String,
    /// `ready`, `to-repair`, `parts`, or none for a check without a verdict.
    pub verdict: Option<String>,
    /// A to E.
    pub grade: Option<String>,
    pub note: Option<String>,
    /// What a person checked by hand in the room's form (docs/check.md); absent for a
    /// check without the form (`upcycle mark`) and in v1 passports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual: Option<Manual>,
}

/// The room form's four items, each as the person found it; an item the event does not
/// say (or says in a way upcycle does not know) is absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manual {
    /// All keys pressed.
    pub keyboard: Option<ItemResult>,
    /// Touchpad and its buttons.
    pub touchpad: Option<ItemResult>,
    /// Hinges and case.
    pub hinges: Option<ItemResult>,
    /// Screen: dead pixels, stains, cracks.
    pub screen: Option<ItemResult>,
}

/// One item of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemResult {
    Ok,
    Defect,
    NotChecked,
}

impl ItemResult {
    /// The code in the ledger and in the document (`ok`, `defect`, `not-checked`).
    pub fn code(self) -> &'static str {
        match self {
            ItemResult::Ok => "ok",
            ItemResult::Defect => "defect",
            ItemResult::NotChecked => "not-checked",
        }
    }

    fn of(v: Option<&serde_json::Value>) -> Option<ItemResult> {
        match v?.as_str()? {
            "ok" => Some(ItemResult::Ok),
            "defect" => Some(ItemResult::Defect),
            "not-checked" => Some(ItemResult::NotChecked),
            _ => None,
        }
    }
}

impl Manual {
    /// The items in the form's order, with their codes (`keyboard`, ...).
    pub fn items(&self) -> [(&'static str, Option<ItemResult>); 4] {
        [
            ("keyboard", self.keyboard),
            ("touchpad", self.touchpad),
            ("hinges", self.hinges),
            ("screen", self.screen),
        ]
    }

    /// A `checked` event's `manual` object, read tolerantly; none when it says no item.
    fn of(details: &serde_json::Value) -> Option<Manual> {
        let m = details.get("manual")?;
        let manual = Manual {
            keyboard: ItemResult::of(m.get("keyboard")),
            touchpad: ItemResult::of(m.get("touchpad")),
            hinges: ItemResult::of(m.get("hinges")),
            screen: ItemResult::of(m.get("screen")),
        };
        manual.items().iter().any(|(_, r)| r.is_some()).then_some(manual)
    }
}

/// What a self-check said, counted: its time, how many checks passed, and the codes of
/// those that failed (`battery`, `wifi-driver`, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfCheck {
    pub time: String,
    pub passed: u32,
    pub failed: Vec<String>,
    /// Not applicable, not checked or unknown.
    pub other: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkshopInfo {
    pub name: String,
    /// Where the recipient gets help (the workshop's words).
    pub help: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecipientInfo {
    /// `first-boot`: the recipient makes their own account at the first start;
    /// `fixed`: the workshop made the accounts.
    pub accounts: AccountMode,
    /// The one-time setup account (first-boot).
    pub setup_user: String,
    /// Security updates are installed by themselves.
    pub automatic_updates: bool,
}

/// A text from an event's details: one line, cut to [`MAX_TEXT`] characters, none when
/// empty.
fn text(v: Option<&serde_json::Value>) -> Option<String> {
    let s = v?.as_str()?;
    let line: String = crate::render::one_line(s).chars().take(MAX_TEXT).collect();
    (!line.is_empty()).then_some(line)
}

/// The first of several places a value may be (`method` or `sanitization.method`).
fn first<'a>(details: &'a serde_json::Value, paths: &[&str]) -> Option<&'a serde_json::Value> {
    paths.iter().find_map(|p| {
        let v = details.pointer(p)?;
        (!v.is_null()).then_some(v)
    })
}

/// What an `erased` event says. Details are read tolerantly: the erasure record as it is
/// (`sanitization.method`, `verification.result`, ...) or a summary of it (`method`,
/// `category`, `result`, `sha256`).
pub fn erasure_of(event: &Event) -> Erasure {
    let d = &event.details;
    let verification = first(
        d,
        &[
            "/verification/method/code",
            "/verification/method",
            "/verify",
            "/verification",
        ],
    )
    .and_then(|v| text(Some(v)));
    Erasure {
        time: text(first(d, &["/ended", "/time"])).unwrap_or_else(|| event.time.clone()),
        disk_name: Some(state::disk_of(d))
            .filter(|n| !n.is_empty())
            .and_then(|n| text(Some(&n.into()))),
        disk: text(first(d, &["/disk_model", "/disk/model", "/media/model", "/disk"])),
        health: text(first(d, &["/health/verdict", "/health"])),
        method: text(first(d, &["/method", "/sanitization/method"])),
        category: text(first(d, &["/category", "/sanitization/category"])),
        verification,
        result: text(first(d, &["/result", "/verification/result", "/status"])),
        succeeded: state::erasure_succeeded(d),
        record_sha256: text(first(d, &["/record_sha256", "/sha256"]))
            .filter(|h| h.len() == 64 && h.chars().all(|c| c.is_ascii_hexdigit())),
    }
}

/// Someone's text or nothing (an inventory cell).
fn cell(s: &str) -> Option<String> {
    let line: String = crate::render::one_line(s).chars().take(MAX_TEXT).collect();
    (!line.is_empty()).then_some(line)
}

/// The hardware summary of an inventory row (never its serial).
fn hardware_of(row: &Row, recorded: &str) -> Hardware {
    let (battery, health) = match row.battery_health.trim() {
        "" => (None, None),
        "no battery" => (Some(false), None),
        "unknown" => (Some(true), None),
        n => (Some(true), n.parse::<u8>().ok().filter(|p| *p <= 100)),
    };
    Hardware {
        cpu: cell(&row.cpu),
        cpu_64bit: match row.cpu_64bit.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        },
        ram_mib: row.ram_mib.trim().parse().ok(),
        disk: cell(&row.disk),
        disk_type: cell(&row.disk_type),
        battery,
        battery_health_percent: health,
        display: cell(&row.display),
        recorded: recorded.to_string(),
    }
}

/// A machine's passport from its events (oldest first), the catalog (names and support
/// ends of profiles) and the workshop (its name, help, accounts, updates). Pure.
pub fn build(machine: &Machine, events: &[Event], catalog: &Catalog, workshop: &Workshop) -> Passport {
    let of_kind = |kind: &'static str| events.iter().filter(move |e| e.kind == kind);
    let last_bundle = of_kind("bundle").next_back();
    let row: Option<Row> = last_bundle.and_then(|e| serde_json::from_value(e.details.get("row")?.clone()).ok());
    let profile = last_bundle.and_then(|e| text(e.details.get("profile")));
    let installed = events.iter().rev().find(|e| {
        e.kind == "installed"
            || e.kind == "install-progress" && e.details.get("stage").and_then(|s| s.as_str()) == Some("installed")
    });
    let packages = of_kind("installed")
        .next_back()
        .and_then(|e| e.details.get("packages")?.as_u64());
    let erasures: Vec<Erasure> = of_kind("erased").map(erasure_of).collect();
    let erased = state::all_disks_erased(events);
    // A person's check (`mark`, the room's form) and the laptop's self-check (with
    // `results`) are both `checked` events; each part shows the last of its own.
    let self_check = of_kind("checked")
        .rfind(|e| e.details.get("results").is_some_and(|r| r.is_array()))
        .map(self_check_of);
    let check = of_kind("checked")
        .rfind(|e| e.details.get("results").is_none())
        .map(|e| Check {
            time: e.time.clone(),
            verdict: text(e.details.get("verdict")),
            grade: text(e.details.get("grade")).filter(|g| matches!(g.as_str(), "A" | "B" | "C" | "D" | "E")),
            note: text(e.details.get("note")),
            manual: Manual::of(&e.details),
        });
    let system = profile.map(|id| {
        let p = catalog.profile(&id);
        System {
            name: p.map(|p| p.name.clone()),
            support_until: p.map(|p| p.distribution.support_until.clone()),
            packages,
            profile: id,
        }
    });
    let year = row.as_ref().and_then(|r| r.year.trim().parse::<u16>().ok());
    let state = state::state_of(events);
    Passport {
        schema: SCHEMA.into(),
        identity: Identity {
            number: machine.number,
            hostname: machine.hostname.clone(),
            vendor: row.as_ref().and_then(|r| cell(&r.vendor)),
            model: row
                .as_ref()
                .and_then(|r| cell(&r.model))
                .or_else(|| machine.model.as_deref().and_then(cell)),
            year,
        },
        state,
        as_of: events
            .last()
            .map_or_else(|| machine.created.clone(), |e| e.time.clone()),
        dates: Dates {
            intake: of_kind("intake").next().map(|e| e.time.clone()),
            last_bundle: last_bundle.map(|e| e.time.clone()),
            erased: erased
                .then(|| erasures.iter().rev().find(|e| e.succeeded).map(|e| e.time.clone()))
                .flatten(),
            installed: installed.map(|e| e.time.clone()),
            checked: check.as_ref().map(|c| c.time.clone()),
            handed_over: of_kind("handed-over").next_back().map(|e| e.time.clone()),
        },
        hardware: row.as_ref().zip(last_bundle).map(|(r, e)| hardware_of(r, &e.time)),
        erasures,
        erased,
        system,
        check,
        self_check,
        workshop: WorkshopInfo {
            name: workshop.passport.workshop_name.clone(),
            help: workshop.passport.help.clone(),
        },
        recipient: RecipientInfo {
            accounts: workshop.accounts.mode,
            setup_user: workshop.accounts.setup_user.clone(),
            automatic_updates: workshop.privacy.automatic_security_updates,
        },
        impact: (state != State::Parts).then(|| super::impact::estimate(1)),
    }
}

/// Count a self-check's results, read tolerantly (its codes checked for shape: they are
/// shown on the page).
fn self_check_of(e: &Event) -> SelfCheck {
    let results = e
        .details
        .get("results")
        .and_then(|r| r.as_array())
        .map_or(&[][..], Vec::as_slice);
    let mut passed = 0;
    let mut other = 0;
    let mut failed = Vec::new();
    for r in results {
        match r.get("outcome").and_then(|o| o.as_str()) {
            Some("pass") => passed += 1,
            Some("fail") => failed.push(
                r.get("check")
                    .and_then(|c| c.as_str())
                    .filter(|c| c.len() <= 32 && c.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'))
                    .unwrap_or("?")
                    .to_string(),
            ),
            _ => other += 1,
        }
    }
    SelfCheck {
        time: e.time.clone(),
        passed,
        failed,
        other,
    }
}

impl Passport {
    /// The JSON document (pretty, ends with a line end).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a passport serialises") + "\n"
    }

    /// Read a passport document, refusing another schema (v1 is read as it is: it has no
    /// `manual` items, and a v1 document that has them is refused).
    pub fn from_json(text: &str) -> Result<Passport, String> {
        let p: Passport = serde_json::from_str(text).map_err(|e| e.to_string())?;
        match p.schema.as_str() {
            SCHEMA => Ok(p),
            SCHEMA_V1 if p.check.as_ref().is_none_or(|c| c.manual.is_none()) => Ok(p),
            SCHEMA_V1 => Err(format!("schema {SCHEMA_V1} has no manual items")),
            other => Err(format!("schema {other:?}, not {SCHEMA}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ev(kind: &str, time: &str, details: serde_json::Value) -> Event {
        Event {
            time: time.into(),
            kind: kind.into(),
            source: "test".into(),
            details,
        }
    }

    fn machine() -> Machine {
        Machine {
            id: 1,
            number: 3,
            hostname: "schule-003".into(),
            model: Some("ThinkPad T40".into()),
            fingerprint: "serial:keyed-0123".into(),
            created: "2026-12-01T09:00:00Z".into(),
        }
    }

    fn row() -> serde_json::Value {
        let mut r = Row::failed("schule-003", "t40.yaml", None, "x");
        r.vendor = "IBM".into();
        r.model = "ThinkPad T40".into();
        r.serial = "SERIAL-IN-CLEAR-4711".into();
        r.year = "2004".into();
        r.cpu = "Intel(R) Pentium(R) M".into();
        r.cpu_64bit = "no".into();
        r.ram_mib = "1024".into();
        r.disk = "40 GB".into();
        r.disk_type = "HDD".into();
        r.battery_health = "63".into();
        r.display = "1024x768".into();
        r.status = "ok".into();
        serde_json::to_value(r).unwrap()
    }

    #[test]
    fn a_passport_gathers_the_events_and_reads_back_the_same() {
        let catalog = crate::catalog::load::load(None).unwrap().0;
        let workshop = Workshop::embedded();
        let events = [
            ev(
                "intake",
                "2026-12-01T09:00:00Z",
                json!({"input": "t40.yaml", "new": true}),
            ),
            ev(
                "bundle",
                "2026-12-01T09:01:00Z",
                json!({"profile": "debian-12-i386-lxde", "digest": "d", "files": {}, "row": row()}),
            ),
            // the erasure record as it is, and a summary of one
            ev(
                "erased",
                "2026-12-02T10:00:00Z",
                json!({"status": "failed", "sanitization": {"method": "overwrite", "category": "clear"},
                "verification": {"method": {"code": "verify-full"}, "result": "failed"}, "media": {"model": "HTS", "serial": "DISK-SERIAL-99"}}),
            ),
            ev(
                "erased",
                "2026-12-02T12:00:00Z",
                json!({"method": "overwrite", "category": "clear", "result": "passed", "sha256": "ab".repeat(32)}),
            ),
            ev("installed", "2026-12-02T15:00:00Z", json!({"packages": 1500})),
            ev(
                "checked",
                "2026-12-03T09:00:00Z",
                json!({"verdict": "ready", "grade": "Z", "note": "ok\nfine"}),
            ),
        ];
        let p = build(&machine(), &events, &catalog, &workshop);
        assert_eq!(p.state, State::Ready);
        assert_eq!(p.as_of, "2026-12-03T09:00:00Z");
        assert_eq!(p.identity.vendor.as_deref(), Some("IBM"));
        assert_eq!(p.identity.year, Some(2004));
        let h = p.hardware.as_ref().unwrap();
        assert_eq!(
            (h.cpu_64bit, h.ram_mib, h.battery, h.battery_health_percent),
            (Some(false), Some(1024), Some(true), Some(63))
        );
        assert_eq!(p.erasures.len(), 2);
        assert!(
            p.erased,
            "both runs were on the disk without a name: the last one counts"
        );
        let (failed, ok) = (&p.erasures[0], &p.erasures[1]);
        assert!(!failed.succeeded && ok.succeeded);
        assert_eq!(failed.method.as_deref(), Some("overwrite"));
        assert_eq!(failed.verification.as_deref(), Some("verify-full"));
        assert_eq!(failed.disk.as_deref(), Some("HTS"));
        assert_eq!(ok.record_sha256.as_deref(), Some("ab".repeat(32).as_str()));
        assert_eq!(p.dates.erased.as_deref(), Some("2026-12-02T12:00:00Z"));
        let s = p.system.as_ref().unwrap();
        assert_eq!(
            s.support_until.as_deref(),
            Some(
                catalog
                    .profile("debian-12-i386-lxde")
                    .unwrap()
                    .distribution
                    .support_until
                    .as_str()
            )
        );
        assert_eq!(s.packages, Some(1500));
        let c = p.check.as_ref().unwrap();
        assert_eq!((c.grade.as_deref(), c.note.as_deref()), (None, Some("ok fine")));
        assert_eq!(c.manual, None, "a mark without the form has no items");
        assert!(p.impact.is_some());
        // never a serial, of the laptop or of its disk
        let json = p.to_json();
        assert!(
            !json.contains("SERIAL-IN-CLEAR") && !json.contains("DISK-SERIAL"),
            "{json}"
        );
        assert_eq!(Passport::from_json(&json).unwrap(), p);
    }

    #[test]
    fn the_forms_four_items_are_on_the_passport_and_read_back() {
        let catalog = crate::catalog::load::load(None).unwrap().0;
        let workshop = Workshop::embedded();
        let form = |time: &str, manual: serde_json::Value| {
            ev(
                "checked",
                time,
                json!({"verdict": "to-repair", "grade": "C", "note": "Scharnier", "manual": manual}),
            )
        };
        let events = [
            form(
                "2026-12-03T09:00:00Z",
                json!({"keyboard": "defect", "touchpad": "defect", "hinges": "defect", "screen": "defect"}),
            ),
            // the last check counts; an unknown value or item is not shown
            form(
                "2026-12-04T09:00:00Z",
                json!({"keyboard": "ok", "touchpad": "not-checked", "hinges": "defect", "screen": "<b>", "fan": "ok"}),
            ),
        ];
        let p = build(&machine(), &events, &catalog, &workshop);
        assert_eq!(p.schema, "upcycle.passport/v2");
        let m = p.check.as_ref().unwrap().manual.clone().unwrap();
        assert_eq!(
            m,
            Manual {
                keyboard: Some(ItemResult::Ok),
                touchpad: Some(ItemResult::NotChecked),
                hinges: Some(ItemResult::Defect),
                screen: None,
            }
        );
        let json = p.to_json();
        let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            doc["check"]["manual"],
            json!({"keyboard": "ok", "touchpad": "not-checked", "hinges": "defect", "screen": null})
        );
        assert_eq!(Passport::from_json(&json).unwrap(), p);
        // nothing the form knows: no items
        let none = build(
            &machine(),
            &[form("2026-12-04T09:00:00Z", json!({"fan": "ok"}))],
            &catalog,
            &workshop,
        );
        assert_eq!(none.check.unwrap().manual, None);
        // a v1 passport (written before the items) is read as it is; one with items is not v1
        let v1 = build(&machine(), &[], &catalog, &workshop)
            .to_json()
            .replace(SCHEMA, SCHEMA_V1);
        assert_eq!(Passport::from_json(&v1).unwrap().schema, SCHEMA_V1);
        assert!(Passport::from_json(&json.replace(SCHEMA, SCHEMA_V1)).is_err());
        // an unknown item or value in the document is refused
        assert!(Passport::from_json(&json.replacen("\"keyboard\": \"ok\"", "\"keyboard\": \"fine\"", 1)).is_err());
        assert!(Passport::from_json(&json.replacen("\"keyboard\"", "\"fan\": \"ok\", \"keyboard\"", 1)).is_err());
    }

    #[test]
    fn another_schema_or_an_unknown_field_is_refused() {
        let catalog = crate::catalog::load::load(None).unwrap().0;
        let p = build(&machine(), &[], &catalog, &Workshop::embedded());
        assert_eq!(p.state, State::Intake);
        assert!(p.hardware.is_none() && p.system.is_none() && p.erasures.is_empty());
        let json = p.to_json();
        assert!(Passport::from_json(&json.replace(SCHEMA, "upcycle.passport/v3")).is_err());
        assert!(Passport::from_json(&json.replacen("\"state\"", "\"colour\": 1, \"state\"", 1)).is_err());
        assert_eq!(Passport::from_json(&json).unwrap(), p);
    }
}
