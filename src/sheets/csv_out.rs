//! One CSV sheet as it is written: the byte order mark and the header first, then a row
//! at a time, each cell cleaned by the one sanitiser (line breaks kept) and kept from
//! being read as a formula. Quoting and CRLF line ends are the `csv` crate's.

use std::io::Write;

use csv::{Terminator, WriterBuilder};

/// UTF-8's byte order mark: spreadsheets read a file that starts with it as UTF-8, not
/// as the local code page (Excel on Windows would show Sofía as SofÃ­a).
const BOM: &[u8] = "\u{feff}".as_bytes();

/// A CSV sheet being written (RFC 4180: CRLF after every record, a field quoted when it
/// holds a comma, a quote, CR or LF, a quote inside doubled).
pub struct CsvSheet<W: Write> {
    out: csv::Writer<W>,
    rows: usize,
}

impl<W: Write> CsvSheet<W> {
    /// Starts the sheet: the byte order mark, then the header.
    pub fn new(mut out: W, header: &[&str]) -> std::io::Result<CsvSheet<W>> {
        out.write_all(BOM)?;
        let out = WriterBuilder::new()
            .terminator(Terminator::CRLF)
            .from_writer(out);
        let mut sheet = CsvSheet { out, rows: 0 };
        sheet.record(header.iter().map(|h| h.to_string()))?;
        Ok(sheet)
    }

    /// One row, its cells in the header's order.
    pub fn row(&mut self, cells: impl IntoIterator<Item = String>) -> std::io::Result<()> {
        self.rows += 1;
        self.record(cells)
    }

    /// Flushes the sheet; how many rows it has under its header.
    pub fn finish(mut self) -> std::io::Result<usize> {
        self.out.flush()?;
        Ok(self.rows)
    }

    fn record(&mut self, cells: impl IntoIterator<Item = String>) -> std::io::Result<()> {
        self.out
            .write_record(cells.into_iter().map(|c| cell(&c)))
            .map_err(io_error)
    }
}

fn io_error(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

/// A cell as written: cleaned by `text::clean_block` (control and bidi characters gone,
/// line breaks kept as LF), and, when a spreadsheet would take it for a formula (it
/// starts with `=`, `+`, `-` or `@` and is more than a number or a phone number), with a
/// leading apostrophe, so that a registration's text can never run as one.
pub fn cell(text: &str) -> String {
    let cleaned = crate::text::clean_block(text);
    let formula = cleaned.starts_with(['=', '+', '-', '@'])
        && !cleaned
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    if formula {
        format!("'{cleaned}")
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(header: &[&str], rows: &[&[&str]]) -> String {
        let mut out = Vec::new();
        let mut sheet = CsvSheet::new(&mut out, header).unwrap();
        for row in rows {
            sheet.row(row.iter().map(|c| c.to_string())).unwrap();
        }
        assert_eq!(sheet.finish().unwrap(), rows.len());
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_sheet_is_rfc_4180_with_a_byte_order_mark() {
        let text = sheet(
            &["Child", "Notes"],
            &[&["Diallo, \"Awa\"", "nuts\nand eggs"], &["Noah", ""]],
        );
        assert_eq!(
            text,
            "\u{feff}Child,Notes\r\n\"Diallo, \"\"Awa\"\"\",\"nuts\nand eggs\"\r\nNoah,\r\n"
        );
    }

    #[test]
    fn cells_lose_control_characters_and_keep_line_breaks() {
        assert_eq!(cell("Ann\u{1b}[2J\u{202e}\r\nB\tC"), "Ann[2J\nB C");
    }

    #[test]
    fn what_a_spreadsheet_would_run_is_kept_as_text() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("- no nuts"), "'- no nuts");
        assert_eq!(cell("+1 (555) 010-0100"), "+1 (555) 010-0100");
        assert_eq!(cell("Sofía"), "Sofía");
    }
}
