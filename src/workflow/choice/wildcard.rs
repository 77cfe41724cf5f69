//! StringMatches patterns: `*` matches any run of characters (none included), `\*` is a
//! literal star and `\\` a literal backslash. Matching takes time linear in the text:
//! the first and last literal pieces are anchored at the ends, and each piece between
//! stars is found at its leftmost place after the one before (never wrong when `*` is
//! the only wildcard) by a search that never steps back in the text.

/// A parsed pattern: its literal pieces, split at the stars.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    /// One more piece than there are stars; a pattern without a star has one.
    pieces: Vec<Piece>,
}

/// A literal piece, with its table for the search (Knuth–Morris–Pratt).
#[derive(Debug, Clone)]
struct Piece {
    text: Vec<u8>,
    /// For each prefix `text[..=i]`, the length of its longest proper prefix that is
    /// also a suffix: where the search resumes after a mismatch.
    border: Vec<usize>,
}

/// Splits a StringMatches pattern. Any backslash not followed by `*` or `\` is an open
/// escape, which the specification forbids.
pub(crate) fn pattern(text: &str) -> Result<Pattern, String> {
    let mut pieces = Vec::new();
    let mut piece = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(next @ ('*' | '\\')) => piece.push(next),
                _ => {
                    return Err("has an open escape: a backslash must be followed by * (a \
                                literal star) or by another backslash (a literal backslash)"
                        .to_owned());
                }
            },
            '*' => pieces.push(Piece::new(std::mem::take(&mut piece))),
            other => piece.push(other),
        }
    }
    pieces.push(Piece::new(piece));
    Ok(Pattern { pieces })
}

impl Pattern {
    /// Whether the whole of `text` matches.
    pub fn matches(&self, text: &str) -> bool {
        self.matches_counting(text, &mut 0)
    }

    /// [`Pattern::matches`], adding to `steps` one per byte compared.
    fn matches_counting(&self, text: &str, steps: &mut u64) -> bool {
        let text = text.as_bytes();
        let [first, middle @ .., last] = self.pieces.as_slice() else {
            return self
                .pieces
                .first()
                .is_none_or(|only| only.text.as_slice() == text);
        };
        let ends = first.text.len() + last.text.len();
        if text.len() < ends || !text.starts_with(&first.text) || !text.ends_with(&last.text) {
            return false;
        }
        *steps += ends as u64;
        // Pieces are whole UTF-8 text, so these cuts fall between characters.
        let mut rest = &text[first.text.len()..text.len() - last.text.len()];
        for piece in middle {
            match piece.find_end(rest, steps) {
                Some(end) => rest = &rest[end..],
                None => return false,
            }
        }
        true
    }
}

impl Piece {
    fn new(text: String) -> Piece {
        let text = text.into_bytes();
        let mut border = vec![0; text.len()];
        let mut k = 0;
        for i in 1..text.len() {
            while k > 0 && text[i] != text[k] {
                k = border[k - 1];
            }
            if text[i] == text[k] {
                k += 1;
            }
            border[i] = k;
        }
        Piece { text, border }
    }

    /// Where the first occurrence of this piece in `hay` ends. At most two steps per
    /// byte of `hay`: a mismatch moves the piece along, never the text back.
    fn find_end(&self, hay: &[u8], steps: &mut u64) -> Option<usize> {
        let needle = &self.text;
        if needle.is_empty() {
            return Some(0);
        }
        let mut k = 0;
        for (i, &b) in hay.iter().enumerate() {
            while k > 0 && needle[k] != b {
                k = self.border[k - 1];
                *steps += 1;
            }
            *steps += 1;
            if needle[k] == b {
                k += 1;
                if k == needle.len() {
                    return Some(i + 1);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// The obvious exponential definition, to check the fast matcher against.
    fn naive(pattern: &[Option<char>], text: &[char]) -> bool {
        match pattern.split_first() {
            None => text.is_empty(),
            Some((None, rest)) => (0..=text.len()).any(|i| naive(rest, &text[i..])),
            Some((Some(c), rest)) => text.first() == Some(c) && naive(rest, &text[1..]),
        }
    }

    /// A pattern as the naive matcher reads it: `None` for a star.
    fn pieces(pattern: &str) -> Vec<Option<char>> {
        let mut out = Vec::new();
        let mut chars = pattern.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => out.push(chars.next()),
                '*' => out.push(None),
                other => out.push(Some(other)),
            }
        }
        out
    }

    fn steps(pattern: &str, text: &str) -> (bool, u64) {
        let mut steps = 0;
        let matched = super::pattern(pattern)
            .unwrap()
            .matches_counting(text, &mut steps);
        (matched, steps)
    }

    proptest! {
        #[test]
        fn agrees_with_the_definition(pattern in "[ab*é]{0,8}", text in "[abé]{0,10}") {
            let chars: Vec<char> = text.chars().collect();
            prop_assert_eq!(
                super::pattern(&pattern).unwrap().matches(&text),
                naive(&pieces(&pattern), &chars)
            );
        }

        #[test]
        fn escapes_agree_with_the_definition(
            pattern in r"(\\\*|\\\\|[a*\\]){0,6}".prop_filter("no open escape", |p| super::pattern(p).is_ok()),
            text in r"[a*\\]{0,8}",
        ) {
            let chars: Vec<char> = text.chars().collect();
            prop_assert_eq!(
                super::pattern(&pattern).unwrap().matches(&text),
                naive(&pieces(&pattern), &chars)
            );
        }
    }

    #[test]
    fn stars_and_escapes() {
        let m = |p: &str, t: &str| super::pattern(p).unwrap().matches(t);
        assert!(m("", ""));
        assert!(!m("", "a"));
        assert!(m("*", ""));
        assert!(m("a*a", "aa"));
        assert!(!m("a*a", "a"), "the ends may not overlap");
        assert!(m("*.txt", "log-1.txt"));
        assert!(m("log-*-*.txt", "log-a-b-c.txt"));
        assert!(!m("log-*-*.txt", "log-a.txt"));
        assert!(m(r"a\*b", "a*b"));
        assert!(!m(r"a\*b", "aXb"));
        assert!(m(r"a\\*", r"a\bc"));
        assert!(m("*é*", "caféine"));
        assert!(super::pattern(r"a\b").is_err());
        assert!(super::pattern("a\\").is_err());
    }

    #[test]
    fn work_is_linear_in_the_text_on_adversarial_patterns() {
        let text = "a".repeat(250_000);
        let run = "a".repeat(20_000);
        // The repro: a long literal after a star, tried at every offset by a backtracking
        // matcher (20,000 × 250,000 steps).
        for pattern in [
            format!("*{run}b"),
            format!("*{run}b*"),
            format!("*{run}b*{run}"),
            format!("{run}*{run}*b*"),
            format!("*a*a*a*a*a*a*a*a*a*a*{run}b*"),
        ] {
            let (matched, steps) = steps(&pattern, &text);
            assert!(!matched);
            assert!(
                steps <= 2 * (text.len() + pattern.len()) as u64,
                "{steps} steps for a text of {} bytes",
                text.len()
            );
        }
        let (matched, steps) = steps(&format!("*{run}*"), &text);
        assert!(matched);
        assert!(steps <= 2 * text.len() as u64);
    }
}
