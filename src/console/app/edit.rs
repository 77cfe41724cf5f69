//! Editing one line of text with a caret, as readline does: typing, erasing, word moves,
//! Ctrl-A/E/W/U, and pasting. Shared by the form's text fields and the prompt; no drawing.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One edit of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Insert(char),
    /// Backspace.
    EraseBefore,
    /// Delete.
    EraseUnder,
    Left,
    Right,
    Start,
    End,
    WordLeft,
    WordRight,
    /// Ctrl-W: erase the word before the caret.
    EraseWord,
}

impl Edit {
    /// The edit a key means in a text field, if it is one. Keys that also have a table
    /// entry (arrows, Home/End, Ctrl-U) are left to the keymap.
    pub fn of_key(event: &KeyEvent) -> Option<Edit> {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let alt = event.modifiers.contains(KeyModifiers::ALT);
        Some(match (event.code, ctrl, alt) {
            (KeyCode::Char('a'), true, false) => Edit::Start,
            (KeyCode::Char('e'), true, false) => Edit::End,
            (KeyCode::Char('w'), true, false) => Edit::EraseWord,
            (KeyCode::Char('b' | 'B'), false, true) => Edit::WordLeft,
            (KeyCode::Char('f' | 'F'), false, true) => Edit::WordRight,
            (KeyCode::Backspace, false, true) => Edit::EraseWord,
            (KeyCode::Char(c), false, false) => Edit::Insert(c),
            (KeyCode::Backspace, false, false) => Edit::EraseBefore,
            (KeyCode::Delete, false, false) => Edit::EraseUnder,
            _ => return None,
        })
    }
}

/// Where the caret is, in characters; `None` is the end (typing appends).
pub type Caret = Option<usize>;

/// Applies `edit` to `text` with its caret.
/// The caret move a navigation action means in a text field: Left, Right, Top (to the
/// start) and anything else (Bottom) to the end.
pub fn caret_move(action: crate::console::action::Action) -> Edit {
    use crate::console::action::Action;
    match action {
        Action::Left => Edit::Left,
        Action::Right => Edit::Right,
        Action::Top => Edit::Start,
        _ => Edit::End,
    }
}

pub fn apply(text: &mut String, caret: &mut Caret, edit: Edit) {
    let chars: Vec<char> = text.chars().collect();
    let len = chars.len();
    let at = caret.map_or(len, |c| c.min(len));
    let place = |to: usize| (to < len).then_some(to);
    match edit {
        Edit::Insert(c) => {
            text.insert(byte_at(text, at), c);
            if caret.is_some() {
                *caret = Some(at + 1);
            }
        }
        Edit::EraseBefore => {
            if at > 0 {
                text.remove(byte_at(text, at - 1));
                if caret.is_some() {
                    *caret = Some(at - 1);
                }
            }
        }
        Edit::EraseUnder => {
            if at < len {
                text.remove(byte_at(text, at));
            }
        }
        Edit::Left => *caret = Some(at.saturating_sub(1)),
        Edit::Right => *caret = place(at + 1),
        Edit::Start => *caret = Some(0),
        Edit::End => *caret = None,
        Edit::WordLeft => *caret = Some(word_start(&chars, at)),
        Edit::WordRight => *caret = place(word_end(&chars, at)),
        Edit::EraseWord => {
            let from = word_start(&chars, at);
            let kept: String = chars[..from].iter().chain(&chars[at..]).collect();
            *text = kept;
            if caret.is_some() {
                *caret = Some(from);
            }
        }
    }
}

/// Inserts pasted text at the caret: line breaks become spaces, control characters go.
pub fn paste(text: &mut String, caret: &mut Caret, pasted: &str) {
    let flat = pasted.replace("\r\n", " ").replace(['\n', '\r', '\t'], " ");
    for c in crate::text::clean(&flat).chars() {
        apply(text, caret, Edit::Insert(c));
    }
}

/// The start of the word before `at` (skipping the spaces just before it).
fn word_start(chars: &[char], at: usize) -> usize {
    let mut i = at;
    while i > 0 && !chars[i - 1].is_alphanumeric() {
        i -= 1;
    }
    while i > 0 && chars[i - 1].is_alphanumeric() {
        i -= 1;
    }
    i
}

/// The end of the word at or after `at`.
fn word_end(chars: &[char], at: usize) -> usize {
    let mut i = at;
    while i < chars.len() && !chars[i].is_alphanumeric() {
        i += 1;
    }
    while i < chars.len() && chars[i].is_alphanumeric() {
        i += 1;
    }
    i
}

/// The byte offset of character `at` in `text` (its length when past the end).
fn byte_at(text: &str, at: usize) -> usize {
    text.char_indices()
        .nth(at)
        .map_or(text.len(), |(byte, _)| byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(start: &str, caret: Caret, edits: &[Edit]) -> (String, Caret) {
        let mut text = start.to_string();
        let mut caret = caret;
        for edit in edits {
            apply(&mut text, &mut caret, *edit);
        }
        (text, caret)
    }

    #[test]
    fn words_move_and_erase_as_in_readline() {
        assert_eq!(
            run("Ana María", None, &[Edit::EraseWord]),
            ("Ana ".into(), None)
        );
        assert_eq!(
            run("Ana María", None, &[Edit::WordLeft, Edit::WordLeft]),
            ("Ana María".into(), Some(0))
        );
        assert_eq!(
            run("Ana María", Some(0), &[Edit::WordRight]),
            ("Ana María".into(), Some(3))
        );
        assert_eq!(
            run("Ana María", Some(0), &[Edit::WordRight, Edit::WordRight]),
            ("Ana María".into(), None)
        );
        assert_eq!(
            run(
                "Zoe",
                None,
                &[Edit::Start, Edit::Insert('>'), Edit::End, Edit::Insert('<')]
            ),
            (">Zoe<".into(), None)
        );
    }

    #[test]
    fn a_paste_lands_at_the_caret_on_one_line() {
        let mut text = "AB".to_string();
        let mut caret = Some(1);
        paste(&mut text, &mut caret, "x\ny\u{7}");
        assert_eq!((text.as_str(), caret), ("Ax yB", Some(4)));
    }
}
