//! Text from data, made safe and measured: the one sanitiser for everything printed to a
//! terminal (console, CLI tables, messages on stderr), display widths, `--json` escaping,
//! and the folded key that decides whether two names are the same. Knows no table or screen.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;
use unicode_width::UnicodeWidthStr;

/// Whether a character must never reach a terminal: C0 and C1 controls, DEL, the
/// bidirectional controls that can make a name display as something else, the
/// zero-width and joining characters that make widths disagree between terminals, and the
/// line and paragraph separators that break a cell in two.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00ad}'                       // soft hyphen
            | '\u{061c}'                     // Arabic letter mark
            | '\u{180e}'                     // Mongolian vowel separator
            | '\u{200b}'..='\u{200f}'        // zero-width space, (non-)joiner, LRM, RLM
            | '\u{2028}' | '\u{2029}'        // line and paragraph separators
            | '\u{202a}'..='\u{202e}'        // embeddings and overrides
            | '\u{2060}'..='\u{2064}'        // word joiner, invisible operators
            | '\u{2066}'..='\u{2069}'        // isolates
            | '\u{206a}'..='\u{206f}'        // deprecated format controls
            | '\u{feff}'                     // BOM, zero-width no-break space
            | '\u{fff9}'..='\u{fffb}'        // interlinear annotations
            | '\u{e0000}'..='\u{e007f}'      // tags (invisible, drawn differently)
        )
}

/// One line of text: tabs, line breaks and line separators become spaces so a cell stays
/// on one line; every other unsafe character is removed.
pub fn clean(text: &str) -> String {
    cleaned(text).into_owned()
}

/// `clean`, borrowing when there is nothing to remove (the usual case).
pub fn cleaned(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter_map(|c| match c {
                '\t' | '\n' | '\r' | '\u{2028}' | '\u{2029}' => Some(' '),
                c if is_unsafe(c) => None,
                c => Some(c),
            })
            .collect(),
    )
}

/// Several lines of text (pretty JSON, causes): each line cleaned, line breaks kept.
pub fn clean_lines(text: &str) -> Vec<String> {
    text.lines().map(clean).collect()
}

/// A whole message for a terminal (stderr, a cause): each line cleaned, line breaks kept.
pub fn clean_block(text: &str) -> String {
    clean_lines(text).join("\n")
}

/// How many terminal columns `text` takes once cleaned.
pub fn width(text: &str) -> usize {
    cleaned(text).width()
}

/// `text` cleaned and cut to at most `max` columns, ending in `…` when something was cut.
pub fn fit(text: &str, max: usize) -> String {
    let text = cleaned(text);
    if text.width() <= max {
        return text.into_owned();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// `text` cleaned and padded with spaces to `columns` display columns (never cut).
pub fn pad(text: &str, columns: usize) -> String {
    let text = cleaned(text);
    let w = text.width();
    let mut out = text.into_owned();
    out.extend(std::iter::repeat_n(' ', columns.saturating_sub(w)));
    out
}

/// A short prefix of a bad value, for quoting it in a message: at most `max` characters,
/// cleaned, with `…` when it was longer.
pub fn quote(text: &str, max: usize) -> String {
    let cleaned = cleaned(text);
    let mut chars = cleaned.chars();
    let head: String = chars.by_ref().take(max).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

/// JSON text with every character the sanitiser would remove written as a `\uXXXX` escape
/// (serde_json escapes only below U+0020). Lossless: a JSON reader gets the same strings
/// back, and a terminal showing the text gets no control character. Such characters can
/// only stand inside JSON strings, so replacing them is always valid.
pub fn escape_json(json: String) -> String {
    if !json.chars().any(|c| is_unsafe(c) && c >= ' ') {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if c >= ' ' && is_unsafe(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// A name as it is kept and shown: NFC (what macOS and Windows keyboards give differ),
/// without unsafe characters, trimmed.
pub fn normalize_name(text: &str) -> String {
    // ASCII is its own NFC, and nearly every name is ASCII: skip composing it.
    let composed = if text.is_ascii() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    };
    cleaned(&composed).trim().to_string()
}

/// The key that decides whether two names are the same child: NFKC (fullwidth letters and
/// compatibility forms fold to the plain ones), lower-cased, default-ignorable code points
/// (zero-width characters, soft hyphen, BOM, bidi marks) removed, the dot of a dotted
/// capital I dropped, and runs of white space folded to one space.
pub fn fold_key(text: &str) -> String {
    if text.is_ascii() {
        fold_ascii(text)
    } else {
        fold_unicode(text)
    }
}

/// `fold_key` by Unicode's rules, for any text.
fn fold_unicode(text: &str) -> String {
    let visible: String = text
        .nfkc()
        .filter(|&c| (!is_default_ignorable(c) && !is_unsafe(c)) || c.is_whitespace())
        .collect();
    let lower: String = visible.to_lowercase().nfkc().collect();
    let lower = lower.replace("i\u{307}", "i");
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `fold_key` of ASCII text, where NFKC changes nothing, nothing is default-ignorable and
/// the only unsafe characters are control characters: those that are not white space
/// are dropped, letters lower-cased, and runs of white space folded to one space.
fn fold_ascii(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = !key.is_empty();
        } else if !c.is_control() {
            if space {
                key.push(' ');
                space = false;
            }
            key.push(c.to_ascii_lowercase());
        }
    }
    key
}

/// The key a search compares: `fold_key`, without accents and other combining marks, so
/// `sofia` finds Sofía and `zoe` finds Zoë. Only for finding: two names that differ by an
/// accent are still two children (`fold_key` decides that).
pub fn search_key(text: &str) -> String {
    let folded = fold_key(text);
    // ASCII has no combining marks to remove.
    if folded.is_ascii() {
        folded
    } else {
        unaccented(&folded)
    }
}

/// `text` without combining marks (NFD, marks dropped, NFC again).
fn unaccented(text: &str) -> String {
    text.nfd()
        .filter(|&c| !unicode_normalization::char::is_combining_mark(c))
        .nfc()
        .collect()
}

/// Unicode's Default_Ignorable_Code_Point property (the ranges that occur in text).
fn is_default_ignorable(c: char) -> bool {
    matches!(c,
        '\u{00ad}' | '\u{034f}' | '\u{061c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
        | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}'
        | '\u{ffa0}' | '\u{fff0}'..='\u{fff8}' | '\u{1bca0}'..='\u{1bca3}'
        | '\u{1d173}'..='\u{1d17a}' | '\u{e0000}'..='\u{e0fff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_key_ignores_case_and_accents() {
        assert_eq!(search_key("Sofía GARCÍA"), "sofia garcia");
        assert_eq!(search_key("Zoe\u{308}"), "zoe");
        assert_eq!(search_key("ＡＷＡ"), "awa");
        assert!(search_key("Chloé Dubois").contains(&search_key("chloe")));
    }

    #[test]
    fn escape_sequences_never_reach_the_terminal() {
        let cleaned = clean("Ann\u{1b}[2J\u{7}a\u{9b}31m\u{7f}");
        assert_eq!(cleaned, "Ann[2Ja31m");
        assert_eq!(clean("Abc\u{202e}evil\u{2067}x\u{200d}y"), "Abcevilxy");
    }

    #[test]
    fn unicode_names_survive_and_borrow() {
        assert!(matches!(
            cleaned("Zoë Ñúñez 李"),
            Cow::Borrowed("Zoë Ñúñez 李")
        ));
    }

    #[test]
    fn line_breaks_become_spaces_in_a_cell_but_stay_in_blocks() {
        assert_eq!(clean("a\nb\u{2028}c"), "a b c");
        assert_eq!(clean_lines("a\n\u{1b}b"), vec!["a", "b"]);
    }

    #[test]
    fn widths_are_display_columns() {
        assert_eq!(width("李小龙"), 6);
        assert_eq!(width("Zoe\u{308}"), 3);
        assert_eq!(pad("李", 4), "李  ");
        assert_eq!(fit("李小龙", 5), "李小…");
        assert_eq!(fit("abc", 3), "abc");
        assert_eq!(width(&fit("👩‍👩‍👧 family name", 8)), 8);
    }

    #[test]
    fn json_escapes_what_a_terminal_must_not_see() {
        let json = serde_json::to_string("a\u{7f}b\u{9b}c\u{202e}d\u{1b}").unwrap_or_default();
        assert_eq!(escape_json(json), r#""a\u007fb\u009bc\u202ed\u001b""#);
        let back: String = serde_json::from_str(&escape_json(
            serde_json::to_string("x\u{85}y").unwrap_or_default(),
        ))
        .unwrap_or_default();
        assert_eq!(back, "x\u{85}y");
    }

    proptest::proptest! {
        #[test]
        fn ascii_shortcuts_agree_with_the_unicode_rules(text in "[ -~\\t\\n\\r\\x00-\\x1f\\x7f]{0,24}") {
            proptest::prop_assert_eq!(fold_key(&text), fold_unicode(&text));
            let composed: String = text.nfc().collect();
            proptest::prop_assert_eq!(normalize_name(&text), cleaned(&composed).trim().to_string());
            proptest::prop_assert_eq!(search_key(&text), unaccented(&fold_unicode(&text)));
        }
    }

    #[test]
    fn look_alike_names_fold_to_one_key() {
        let key = fold_key("Zoë");
        for variant in [
            "Zoe\u{308}",
            "zoë",
            " ZOË ",
            "Zo\u{200b}ë",
            "Zo\u{200d}ë",
            "Zo\u{ad}ë",
            "\u{feff}Zoë",
            "\u{200e}Zoë",
            "\u{202d}Zoë\u{202c}",
            "Ｚｏë",
        ] {
            assert_eq!(fold_key(variant), key, "{variant:?}");
        }
        assert_eq!(fold_key("İsabel"), fold_key("isabel"));
        assert_ne!(fold_key("Zoe"), key);
        assert_eq!(fold_key("Ana  María"), "ana maría");
        assert_eq!(normalize_name(" Zoe\u{308}\u{200b} "), "Zoë");
    }
}
