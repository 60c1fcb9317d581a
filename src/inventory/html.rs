//! `inventory.html` and `labels.html` (placeholder until the pages are written).

use super::Row;

pub fn inventory_page(rows: &[Row], lang: crate::catalog::Lang) -> String {
    let _ = (rows, lang);
    String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>inventory</title></head><body></body></html>\n",
    )
}

pub fn labels_page(rows: &[Row], lang: crate::catalog::Lang) -> String {
    let _ = (rows, lang);
    String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>labels</title></head><body></body></html>\n",
    )
}
