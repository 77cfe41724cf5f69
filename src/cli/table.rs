//! List output, written a row at a time so a list of any length prints in flat memory:
//! aligned plain-text tables for people (no colour, no box drawing, so screen readers and
//! pipes read them as well as people do) and one JSON document for scripts.

use std::io::Write;

use super::CliError;
use crate::text;

/// Rows held to measure the columns before the first line is written. A list this long
/// or shorter is laid out exactly as if it were measured whole.
const MEASURED: usize = 1_000;

/// A text table: the header, then each row, every column padded to its widest cell in
/// display columns (a CJK name takes two per character), every cell cleaned of control
/// characters. Columns are measured over the header and the first `MEASURED` rows; a
/// later, wider cell is printed whole and pushes the rest of its line right.
///
/// A reader that went away (`| head`) is not an error: writing stops quietly.
pub struct Table<W: Write> {
    out: W,
    header: Vec<String>,
    widths: Vec<usize>,
    /// The first rows, while the columns are measured; `None` once they are written.
    measuring: Option<Vec<Vec<String>>>,
    gone: bool,
}

impl<W: Write> Table<W> {
    pub fn new(out: W, header: &[&str]) -> Table<W> {
        Table {
            out,
            header: header.iter().map(|h| h.to_string()).collect(),
            widths: header.iter().map(|h| text::width(h)).collect(),
            measuring: Some(Vec::new()),
            gone: false,
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        let Some(held) = &mut self.measuring else {
            self.line(&cells);
            return;
        };
        for (i, cell) in cells.iter().enumerate() {
            if let Some(w) = self.widths.get_mut(i) {
                *w = (*w).max(text::width(cell));
            }
        }
        held.push(cells);
        if held.len() >= MEASURED {
            self.write_measured();
        }
    }

    /// Writes what is still held and flushes.
    pub fn finish(mut self) {
        self.write_measured();
        if !self.gone {
            let _ = self.out.flush();
        }
    }

    fn write_measured(&mut self) {
        let Some(held) = self.measuring.take() else {
            return;
        };
        let header = std::mem::take(&mut self.header);
        self.line(&header);
        for cells in &held {
            self.line(cells);
        }
    }

    fn line(&mut self, cells: &[String]) {
        if self.gone {
            return;
        }
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, cell)| text::pad(cell, self.widths.get(i).copied().unwrap_or(0)))
            .collect();
        let mut line = padded.join("  ").trim_end().to_string();
        line.push('\n');
        self.gone = self.out.write_all(line.as_bytes()).is_err();
    }
}

/// One JSON document, `{"key": [element, …]}`, written an element at a time in the
/// layout serde_json gives the whole document, with every character a terminal must not
/// see escaped (`text::escape_json`).
///
/// A reader that went away (`| head`) is not an error: writing stops quietly.
pub struct JsonList<W: Write> {
    out: W,
    elements: usize,
    gone: bool,
}

impl<W: Write> JsonList<W> {
    /// Starts the document; `key` names its one field.
    pub fn new(out: W, key: &str) -> Result<JsonList<W>, CliError> {
        let mut list = JsonList {
            out,
            elements: 0,
            gone: false,
        };
        let key = serde_json::to_string(key).map_err(json_error)?;
        list.write(&format!("{{\n  {key}: ["));
        Ok(list)
    }

    pub fn push(&mut self, element: &impl serde::Serialize) -> Result<(), CliError> {
        let pretty = serde_json::to_string_pretty(element).map_err(json_error)?;
        let mut text = String::from(if self.elements == 0 { "\n" } else { ",\n" });
        // A JSON string never holds a raw line break, so every line break is layout.
        for (i, line) in pretty.split('\n').enumerate() {
            if i > 0 {
                text.push('\n');
            }
            text.push_str("    ");
            text.push_str(line);
        }
        self.elements += 1;
        self.write(&text::escape_json(text));
        Ok(())
    }

    /// Closes the array and the document, and flushes.
    pub fn finish(mut self) {
        let end = if self.elements == 0 {
            "]\n}\n"
        } else {
            "\n  ]\n}\n"
        };
        self.write(end);
        if !self.gone {
            let _ = self.out.flush();
        }
    }

    fn write(&mut self, text: &str) {
        if !self.gone {
            self.gone = self.out.write_all(text.as_bytes()).is_err();
        }
    }
}

fn json_error(e: serde_json::Error) -> CliError {
    CliError::Usage(format!("cannot write JSON: {e}"))
}

#[cfg(test)]
mod tests {
    use super::{JsonList, MEASURED, Table};

    fn table(header: &[&str], rows: &[&[&str]]) -> String {
        let mut out = Vec::new();
        let mut table = Table::new(&mut out, header);
        for row in rows {
            table.row(row.iter().map(|c| c.to_string()).collect());
        }
        table.finish();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn columns_line_up() {
        let text = table(&["DAY", "SPOTS"], &[&["Monday", "20"], &["Sat", "0"]]);
        assert_eq!(text, "DAY     SPOTS\nMonday  20\nSat     0\n");
    }

    #[test]
    fn wide_names_line_up_by_display_width() {
        let text = table(
            &["CHILD", "FEES"],
            &[&["李小龙", "800"], &["Ann\u{1b}[2J", "750"]],
        );
        assert_eq!(text, "CHILD   FEES\n李小龙  800\nAnn[2J  750\n");
    }

    #[test]
    fn an_empty_table_is_its_header() {
        assert_eq!(table(&["ID", "CHILD"], &[]), "ID  CHILD\n");
    }

    #[test]
    fn columns_are_measured_on_the_first_rows_and_later_cells_print_whole() {
        let mut rows: Vec<&[&str]> = vec![&["a", "1"]; MEASURED];
        rows.push(&["longer", "2"]);
        let text = table(&["C", "N"], &rows);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), MEASURED + 2);
        assert_eq!(lines[0], "C  N");
        assert_eq!(lines[1], "a  1");
        assert_eq!(lines[MEASURED + 1], "longer  2");
    }

    fn json(elements: &[serde_json::Value]) -> String {
        let mut out = Vec::new();
        let mut list = JsonList::new(&mut out, "rows").unwrap();
        for e in elements {
            list.push(e).unwrap();
        }
        list.finish();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_json_list_is_laid_out_as_the_whole_document_would_be() {
        for elements in [
            vec![],
            vec![serde_json::json!({"a": 1, "b": [1, 2], "c": {}})],
            vec![serde_json::json!({"a": "x\ny"}), serde_json::json!("z")],
        ] {
            let whole = serde_json::json!({ "rows": elements });
            let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
            assert_eq!(json(&elements), expected);
        }
    }

    #[test]
    fn a_json_list_escapes_what_a_terminal_must_not_see() {
        let text = json(&[serde_json::json!({"child": "Ann\u{202e}"})]);
        assert!(text.contains("Ann\\u202e"), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["rows"][0]["child"], "Ann\u{202e}");
    }
}
