//! Makes text from data safe to put on a terminal: control and escape characters go.
//! Applied to every string that came from the database, a file or the engine; never to our own labels.

/// One line of text: control characters (escape, bell, carriage return, …) are removed,
/// tabs and newlines become spaces so a cell stays on one line.
pub fn clean(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if is_unsafe(c) => None,
            c => Some(c),
        })
        .collect()
}

/// Several lines of text (pretty JSON, causes): each line cleaned, line breaks kept.
pub fn clean_lines(text: &str) -> Vec<String> {
    text.lines().map(clean).collect()
}

fn is_unsafe(c: char) -> bool {
    // C0 and C1 control characters, DEL, and the bidirectional overrides that can make
    // a name display as something else.
    c.is_control()
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_never_reach_the_terminal() {
        let cleaned = clean("Ann\u{1b}[2J\u{7}a\u{9b}31m");
        assert!(!cleaned.contains('\u{1b}'));
        assert!(!cleaned.contains('\u{9b}'));
        assert_eq!(cleaned, "Ann[2Ja31m");
    }

    #[test]
    fn unicode_names_survive() {
        assert_eq!(clean("Zoë Ñúñez 李"), "Zoë Ñúñez 李");
    }

    #[test]
    fn line_breaks_become_spaces_in_a_cell_but_stay_in_blocks() {
        assert_eq!(clean("a\nb"), "a b");
        assert_eq!(clean_lines("a\n\u{1b}b"), vec!["a", "b"]);
    }
}
