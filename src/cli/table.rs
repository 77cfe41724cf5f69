//! Aligned plain-text tables for human output: no colour, no box drawing, so screen
//! readers and pipes read them as well as people do.

/// Renders rows under a header, each column padded to its widest cell.
pub fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(clean(cell).chars().count());
            }
        }
    }
    let mut out = String::new();
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, cell)| {
                let cell = clean(cell);
                let pad = widths.get(i).copied().unwrap_or(0);
                format!("{cell:<pad$}")
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// Data is shown without control characters (a name cannot move the cursor).
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
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
}
