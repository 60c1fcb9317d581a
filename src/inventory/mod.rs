//! The workshop inventory: one row per machine of a batch, written as `inventory.csv`
//! (RFC 4180, opens in LibreOffice Calc), `inventory.html` (sortable table and charts)
//! and `labels.html` (printable A4 labels with a QR code of the asset id).

pub mod html;

use serde::{Deserialize, Serialize};

use crate::l10n::{self, Lang};
use crate::report::HardwareReport;
use crate::select::Selection;

/// One machine of the batch, ok or failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub asset_id: String,
    pub source: String,
    pub vendor: String,
    pub model: String,
    pub serial: String,
    pub year: String,
    pub cpu: String,
    pub cpu_64bit: String,
    pub ram_mib: String,
    pub disk: String,
    pub disk_type: String,
    pub battery_health: String,
    pub display: String,
    pub profile: String,
    /// The profile's name in the workshop's language ("Debian 12 (32 Bit) mit LXDE"): what
    /// labels, charts and the table show (not in inventory.csv, which keeps the id; empty
    /// in rows recorded before it existed).
    #[serde(default)]
    pub system: String,
    pub dropped_apps: String,
    pub upgrades: String,
    pub firmware: String,
    pub status: String,
    /// Its erasures from the ledger (`upcycle erase`): `erased`, `failed`, `interrupted`,
    /// or empty when it was never erased.
    #[serde(default)]
    pub erasure: String,
    /// The day of its last erasure run (`2026-12-06`).
    #[serde(default)]
    pub erased_on: String,
    /// `yes` when a disk's health gate said: replace before hand-over.
    #[serde(default)]
    pub replace_disk: String,
}

/// The CSV header, in column order.
pub const COLUMNS: &[&str] = &[
    "asset_id",
    "source",
    "vendor",
    "model",
    "serial",
    "year",
    "cpu",
    "64bit",
    "ram_mib",
    "disk",
    "disk_type",
    "battery_health",
    "display",
    "profile",
    "dropped_apps",
    "upgrades",
    "firmware",
    "status",
    "erasure",
    "erased_on",
    "replace_disk",
];

impl Row {
    /// The row of a machine that got its bundle.
    /// `lang`: the workshop's, for the names of apps left out and the upgrade advice.
    pub fn ok(asset_id: &str, source: &str, report: &HardwareReport, selection: &Selection, lang: Lang) -> Row {
        let mut row = Row::from_report(asset_id, source, Some(report));
        if let Some(c) = &selection.chosen {
            row.profile = c.profile.clone();
            row.system = c.name.get(lang).to_string();
            row.firmware = c.firmware_packages.join(" ");
        }
        // Names, not ids: the volunteer reads them on the inventory page.
        row.dropped_apps = selection
            .dropped_apps
            .iter()
            .map(|d| d.name.get(lang).to_string())
            .collect::<Vec<_>>()
            .join("; ");
        row.upgrades = selection
            .upgrades
            .iter()
            .map(|u| l10n::say(lang, &u.change))
            .collect::<Vec<_>>()
            .join("; ");
        row.status = "ok".into();
        row
    }

    /// The row of a machine that failed; whatever is known of it is kept.
    pub fn failed(asset_id: &str, source: &str, report: Option<&HardwareReport>, reason: &str) -> Row {
        let mut row = Row::from_report(asset_id, source, report);
        row.status = format!("failed: {}", crate::render::one_line(reason));
        row
    }

    fn from_report(asset_id: &str, source: &str, report: Option<&HardwareReport>) -> Row {
        let mut row = Row {
            asset_id: asset_id.to_string(),
            source: source.to_string(),
            vendor: String::new(),
            model: String::new(),
            serial: String::new(),
            year: String::new(),
            cpu: String::new(),
            cpu_64bit: String::new(),
            ram_mib: String::new(),
            disk: String::new(),
            disk_type: String::new(),
            battery_health: String::new(),
            display: String::new(),
            profile: String::new(),
            system: String::new(),
            dropped_apps: String::new(),
            upgrades: String::new(),
            firmware: String::new(),
            status: String::new(),
            erasure: String::new(),
            erased_on: String::new(),
            replace_disk: String::new(),
        };
        let Some(r) = report else { return row };
        let text = |v: &Option<String>| v.as_deref().map(crate::render::one_line).unwrap_or_default();
        row.vendor = text(&r.machine.vendor);
        row.model = text(&r.machine.model);
        row.serial = text(&r.machine.serial);
        row.year = r.machine.bios_year.map(|y| y.to_string()).unwrap_or_default();
        row.cpu = text(&r.cpu.model_name);
        row.cpu_64bit = if r.cpu.threads.is_some() {
            if r.cpu.flags.lm { "yes" } else { "no" }.into()
        } else {
            String::new()
        };
        row.ram_mib = r.memory.installed_mib.map(|m| m.to_string()).unwrap_or_default();
        let target = r
            .storage
            .install_target
            .as_ref()
            .and_then(|t| r.storage.disks.iter().find(|d| &d.name == t));
        if let Some(d) = target {
            row.disk = d
                .size_bytes
                .map(|b| format!("{:.0} GB", b as f64 / 1e9))
                .unwrap_or_default();
            row.disk_type = match d.rotational {
                Some(true) => "HDD".into(),
                Some(false) => "SSD".into(),
                None => String::new(),
            };
        }
        row.battery_health = match r.battery.packs.iter().filter_map(|p| p.wear_percent).max() {
            Some(w) => format!("{}", 100 - w.min(100)),
            None if r.battery.present => "unknown".into(),
            None => "no battery".into(),
        };
        row.display = r
            .display
            .panel
            .as_ref()
            .map(|p| format!("{}x{}", p.width, p.height))
            .unwrap_or_default();
        row
    }

    /// The system as a volunteer reads it: the profile's name, else its id.
    pub fn system_or_profile(&self) -> &str {
        if self.system.trim().is_empty() {
            &self.profile
        } else {
            &self.system
        }
    }

    pub fn is_ok(&self) -> bool {
        self.status == "ok"
    }

    /// The ledger's erasure state of this machine into the row.
    pub fn set_erasure(&mut self, state: Option<&crate::ledger::ErasureState>) {
        self.erasure = state.map(|e| e.result.clone()).unwrap_or_default();
        self.erased_on = state
            .map(|e| e.time.get(..10).unwrap_or(&e.time).to_string())
            .unwrap_or_default();
        self.replace_disk = if state.is_some_and(|e| e.replace) { "yes" } else { "" }.into();
    }

    pub fn fields(&self) -> [&str; 21] {
        [
            &self.asset_id,
            &self.source,
            &self.vendor,
            &self.model,
            &self.serial,
            &self.year,
            &self.cpu,
            &self.cpu_64bit,
            &self.ram_mib,
            &self.disk,
            &self.disk_type,
            &self.battery_health,
            &self.display,
            &self.profile,
            &self.dropped_apps,
            &self.upgrades,
            &self.firmware,
            &self.status,
            &self.erasure,
            &self.erased_on,
            &self.replace_disk,
        ]
    }
}

/// `inventory.csv`: header and one record per row, RFC 4180 quoting; every cell made
/// safe for spreadsheets with [`csv_cell`].
pub fn to_csv(rows: &[Row]) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(COLUMNS).expect("writing to memory");
    for r in rows {
        let cells = r.fields().map(csv_cell);
        w.write_record(cells.iter().map(|c| c.as_bytes()))
            .expect("writing to memory");
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("rows are UTF-8")
}

/// A cell that no spreadsheet runs as a formula. A DMI string such as
/// `=HYPERLINK("http://x","y")` would be a live formula in LibreOffice Calc or Excel, so
/// a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`
/// (OWASP, "CSV Injection"). Applied to every cell: the numbers we write ourselves
/// (year, RAM, battery percent) are never negative, so they stay numbers.
pub fn csv_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_get_a_leading_quote() {
        for hostile in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "@SUM(1)",
            "+1",
            "-1+2",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(csv_cell(hostile), format!("'{hostile}"));
        }
        for plain in ["ThinkPad T40", "2048", "87", "", "a=b", "'quoted", " =1"] {
            assert_eq!(csv_cell(plain), plain);
        }
    }

    #[test]
    fn the_csv_holds_no_formula() {
        let mut row = Row::failed("x-001", "=cmd|' /C calc'!A0", None, "r");
        row.model = "=HYPERLINK(\"http://x\",\"y\")".into();
        row.vendor = "@SUM(1)".into();
        row.serial = "+1".into();
        row.cpu = "-1+2".into();
        row.ram_mib = "2048".into();
        let csv = to_csv(&[row]);
        let record = csv.lines().nth(1).unwrap();
        assert_eq!(
            record,
            "x-001,'=cmd|' /C calc'!A0,'@SUM(1),\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+1,,'-1+2,,2048,,,,,,,,,failed: r,,,"
        );
    }
}
