//! Tables for people (the only user of comfy-table).
use comfy_table::{presets::UTF8_BORDERS_ONLY, CellAlignment, Table};

/// Render rows under a header; columns whose header starts with `#` or that hold numbers are
/// right-aligned (the `#` is dropped).
pub fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY);
    t.set_header(
        header
            .iter()
            .map(|h| h.trim_start_matches('#'))
            .collect::<Vec<_>>(),
    );
    for r in rows {
        t.add_row(r.clone());
    }
    for (i, h) in header.iter().enumerate() {
        if h.starts_with('#') {
            if let Some(col) = t.column_mut(i) {
                col.set_cell_alignment(CellAlignment::Right);
            }
        }
    }
    format!("{t}\n")
}
