//! The documents of a `submit` input, read as a stream of bytes a line at a time: one JSON
//! document (over one line or many), or JSON Lines. Memory stays flat whatever the input's
//! size: at most one line, or one multi-line document, is held. A line that is not UTF-8
//! text, not JSON or too long is reported by its number and reading goes on. A leading
//! UTF-8 byte order mark is skipped.

use std::collections::VecDeque;
use std::io::{BufRead, ErrorKind};

use serde_json::Value;

/// The longest line read, four times the largest payload the workflow accepts; the rest
/// of a longer line is skipped without being held.
const MAX_LINE: usize = 1 << 20;
/// The most text gathered to find out whether an input whose first line is not JSON on
/// its own is one document over several lines.
const MAX_DOCUMENT: usize = 4 << 20;
const BOM: &[u8] = b"\xef\xbb\xbf";

/// One thing found in the input, in input order.
#[derive(Debug)]
pub enum Piece {
    /// A document and its line in a JSON Lines input (`None` when the input is one
    /// document).
    Document(Option<usize>, Value),
    /// A line that is not a document: its number and why.
    Unreadable(usize, Problem),
}

/// Why a line is not a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    NotText,
    NotJson(String),
    TooLong,
}

impl Problem {
    /// The error name a result reports it under.
    pub fn error(&self) -> &'static str {
        match self {
            Problem::NotText => "InvalidText",
            Problem::NotJson(_) => "InvalidJson",
            Problem::TooLong => "LineTooLong",
        }
    }

    /// What is wrong with line `line`, as a sentence's start: "line 7 is not UTF-8 text".
    pub fn describe(&self, line: usize) -> String {
        match self {
            Problem::NotText => format!("line {line} is not UTF-8 text"),
            Problem::NotJson(why) => format!("line {line} is not JSON ({why})"),
            Problem::TooLong => format!("line {line} is longer than {} MiB", MAX_LINE >> 20),
        }
    }
}

/// One line as read.
enum Line {
    Text(String),
    Bad(Problem),
}

/// Where the reading is.
enum Stage {
    /// Nothing but blank lines yet.
    Start,
    /// The first line was JSON on its own: JSON Lines, unless it is the only line.
    /// Holds that first document until a second line shows it is not alone.
    Lines { alone: Option<(usize, Value)> },
    /// The end of the input, or a read error, was reached.
    Finished,
}

/// The pieces of an input, read lazily; an `Err` is a failed read and ends the stream.
pub struct Documents<R: BufRead> {
    reader: R,
    /// Lines read so far.
    line: usize,
    stage: Stage,
    ready: VecDeque<Piece>,
}

impl<R: BufRead> Documents<R> {
    pub fn new(reader: R) -> Documents<R> {
        Documents {
            reader,
            line: 0,
            stage: Stage::Start,
            ready: VecDeque::new(),
        }
    }

    /// Reads until at least one piece is ready or the input ends.
    fn advance(&mut self) -> std::io::Result<()> {
        while self.ready.is_empty() && !matches!(self.stage, Stage::Finished) {
            let Some(line) = self.read_line()? else {
                self.end();
                break;
            };
            let number = self.line;
            if matches!(&line, Line::Text(text) if text.trim().is_empty()) {
                continue;
            }
            match std::mem::replace(&mut self.stage, Stage::Finished) {
                Stage::Start => self.first(number, line)?,
                Stage::Lines { alone } => {
                    if let Some((at, doc)) = alone {
                        self.ready.push_back(Piece::Document(Some(at), doc));
                    }
                    self.ready.push_back(piece(number, line));
                    self.stage = Stage::Lines { alone: None };
                }
                Stage::Finished => {}
            }
        }
        Ok(())
    }

    /// The first non-blank line decides: JSON on its own starts JSON Lines; otherwise the
    /// input may be one document over several lines.
    fn first(&mut self, number: usize, line: Line) -> std::io::Result<()> {
        self.stage = Stage::Lines { alone: None };
        match line {
            Line::Text(text) => match serde_json::from_str::<Value>(&text) {
                Ok(doc) => {
                    self.stage = Stage::Lines {
                        alone: Some((number, doc)),
                    }
                }
                Err(_) => self.gather(number, text)?,
            },
            Line::Bad(problem) => self.ready.push_back(Piece::Unreadable(number, problem)),
        }
        Ok(())
    }

    /// Reads on from a first line that is not JSON on its own: if the whole input (within
    /// `MAX_DOCUMENT`) is one document, that is the piece; else each line read is one.
    fn gather(&mut self, number: usize, text: String) -> std::io::Result<()> {
        let mut size = text.len();
        let mut lines = vec![(number, Line::Text(text))];
        let mut ended = false;
        while size <= MAX_DOCUMENT {
            let Some(line) = self.read_line()? else {
                ended = true;
                break;
            };
            let bad = matches!(line, Line::Bad(_));
            if let Line::Text(text) = &line {
                size += text.len() + 1;
            }
            lines.push((self.line, line));
            if bad {
                break;
            }
        }
        if ended && let Some(doc) = whole(&lines) {
            self.ready.push_back(Piece::Document(None, doc));
            self.end();
            return Ok(());
        }
        for (number, line) in lines {
            if !matches!(&line, Line::Text(text) if text.trim().is_empty()) {
                self.ready.push_back(piece(number, line));
            }
        }
        if ended {
            self.end();
        }
        Ok(())
    }

    /// At the end of the input: a first document with no other line is the input's one.
    fn end(&mut self) {
        if let Stage::Lines {
            alone: Some((_, doc)),
        } = std::mem::replace(&mut self.stage, Stage::Finished)
        {
            self.ready.push_back(Piece::Document(None, doc));
        }
    }

    /// The next line's bytes, without its line break; `None` at the end of the input.
    fn read_line(&mut self) -> std::io::Result<Option<Line>> {
        let mut bytes = Vec::new();
        let mut too_long = false;
        let mut read_any = false;
        loop {
            let chunk = match self.reader.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                break;
            }
            read_any = true;
            let end = chunk.iter().position(|&b| b == b'\n');
            let part = &chunk[..end.unwrap_or(chunk.len())];
            if !too_long && bytes.len() + part.len() > MAX_LINE {
                too_long = true;
                bytes = Vec::new();
            }
            if !too_long {
                bytes.extend_from_slice(part);
            }
            let used = end.map_or(chunk.len(), |i| i + 1);
            self.reader.consume(used);
            if end.is_some() {
                break;
            }
        }
        if !read_any {
            return Ok(None);
        }
        self.line += 1;
        if too_long {
            return Ok(Some(Line::Bad(Problem::TooLong)));
        }
        if self.line == 1 && bytes.starts_with(BOM) {
            bytes.drain(..BOM.len());
        }
        Ok(Some(match String::from_utf8(bytes) {
            Ok(text) => Line::Text(text),
            Err(_) => Line::Bad(Problem::NotText),
        }))
    }
}

impl<R: BufRead> Iterator for Documents<R> {
    type Item = std::io::Result<Piece>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Err(e) = self.advance() {
            self.stage = Stage::Finished;
            self.ready.clear();
            return Some(Err(e));
        }
        self.ready.pop_front().map(Ok)
    }
}

/// One JSON Lines line as a piece.
fn piece(number: usize, line: Line) -> Piece {
    match line {
        Line::Text(text) => match serde_json::from_str::<Value>(&text) {
            Ok(doc) => Piece::Document(Some(number), doc),
            Err(e) => Piece::Unreadable(number, Problem::NotJson(e.to_string())),
        },
        Line::Bad(problem) => Piece::Unreadable(number, problem),
    }
}

/// The lines, all text, as one JSON document, if they are one.
fn whole(lines: &[(usize, Line)]) -> Option<Value> {
    let mut text = String::new();
    for (_, line) in lines {
        let Line::Text(line) = line else { return None };
        text.push_str(line);
        text.push('\n');
    }
    serde_json::from_str(&text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Vec<String> {
        Documents::new(bytes)
            .map(|piece| match piece.unwrap() {
                Piece::Document(line, doc) => format!("{line:?} {doc}"),
                Piece::Unreadable(line, problem) => format!("{line} {}", problem.error()),
            })
            .collect()
    }

    #[test]
    fn json_lines_are_numbered_and_blank_lines_skipped() {
        assert_eq!(
            read(b"{\"a\":1}\n\n[2]\r\nnope\n"),
            ["Some(1) {\"a\":1}", "Some(3) [2]", "4 InvalidJson"]
        );
    }

    #[test]
    fn one_document_over_one_line_or_many_has_no_line_number() {
        assert_eq!(read(b"{\"a\":1}\n\n"), ["None {\"a\":1}"]);
        assert_eq!(read(b"{\n  \"a\": [1,\n 2]\n}\n"), ["None {\"a\":[1,2]}"]);
        assert_eq!(read(b"\xef\xbb\xbf{\n\"a\": 1}"), ["None {\"a\":1}"]);
        assert_eq!(read(b"\xef\xbb\xbf{\"a\":1}"), ["None {\"a\":1}"]);
        assert!(read(b"\n \n").is_empty());
    }

    #[test]
    fn a_line_that_is_not_text_is_reported_and_the_others_still_read() {
        assert_eq!(
            read(b"[1]\n[\xff]\n[3]\n"),
            ["Some(1) [1]", "2 InvalidText", "Some(3) [3]"]
        );
        assert_eq!(read(b"\xc3\n[2]"), ["1 InvalidText", "Some(2) [2]"]);
        assert_eq!(
            read(b"{\n\xff\n[3]\n"),
            ["1 InvalidJson", "2 InvalidText", "Some(3) [3]"]
        );
    }

    #[test]
    fn a_line_too_long_is_skipped_without_being_held() {
        let mut input = vec![b' '; MAX_LINE + 10];
        input.extend_from_slice(b"\n[2]\n");
        assert_eq!(read(&input), ["1 LineTooLong", "Some(2) [2]"]);
    }

    #[test]
    fn describes_the_line_by_number() {
        assert_eq!(Problem::NotText.describe(7), "line 7 is not UTF-8 text");
    }
}
