//! Aligned plain-text tables for human output: no colour, no box drawing, so screen
//! readers and pipes read them as well as people do.

use crate::text;

/// Renders rows under a header, each column padded to its widest cell in display
/// columns (a CJK name takes two per character), every cell cleaned of control characters.
pub fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| text::width(h)).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(text::width(cell));
            }
        }
    }
    let mut out = String::new();
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, cell)| text::pad(cell, widths.get(i).copied().unwrap_or(0)))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn columns_line_up() {
        let text = super::render(
            &["DAY", "SPOTS"],
            &[
                vec!["Monday".into(), "20".into()],
                vec!["Sat".into(), "0".into()],
            ],
        );
        assert_eq!(text, "DAY     SPOTS\nMonday  20\nSat     0\n");
    }

    #[test]
    fn wide_names_line_up_by_display_width() {
        let text = super::render(
            &["CHILD", "FEES"],
            &[
                vec!["李小龙".into(), "800".into()],
                vec!["Ann\u{1b}[2J".into(), "750".into()],
            ],
        );
        assert_eq!(text, "CHILD   FEES\n李小龙  800\nAnn[2J  750\n");
    }
}
