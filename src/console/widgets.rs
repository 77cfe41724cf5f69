//! Small drawing helpers shared by the screens: status words with marks, times,
//! durations, bars, the bordered block every screen uses, the one list table, and the
//! one-line prompt.

use chrono::{DateTime, Utc};
use ratatui::layout::Constraint;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Row, Table};

use super::theme::Theme;
use crate::workflow::ExecutionStatus;

/// The status as a mark and a word, so it reads without colour.
pub fn status_text(status: ExecutionStatus) -> String {
    let mark = match status {
        ExecutionStatus::Succeeded => "✓",
        ExecutionStatus::Failed => "✗",
        ExecutionStatus::Running => "…",
        ExecutionStatus::TimedOut => "⌛",
        ExecutionStatus::Aborted => "⊘",
    };
    format!("{mark} {}", status.as_str())
}

pub fn status_style(theme: &Theme, status: ExecutionStatus) -> Style {
    match status {
        ExecutionStatus::Succeeded => theme.ok(),
        ExecutionStatus::Running => theme.running(),
        _ => theme.bad(),
    }
}

pub fn status_span(theme: &Theme, status: ExecutionStatus) -> Span<'static> {
    Span::styled(status_text(status), status_style(theme, status))
}

pub fn time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// "4.2 ms", "1.25 s", "1 min 3 s"; a dash while still running.
pub fn duration(start: DateTime<Utc>, stop: Option<DateTime<Utc>>) -> String {
    match stop {
        Some(stop) => elapsed(stop - start),
        None => "–".into(),
    }
}

pub fn elapsed(span: chrono::TimeDelta) -> String {
    let us = span.num_microseconds().unwrap_or(i64::MAX);
    if us < 1_000_000 {
        format!("{:.1} ms", us as f64 / 1000.0)
    } else if us < 60_000_000 {
        format!("{:.2} s", us as f64 / 1_000_000.0)
    } else {
        let s = us / 1_000_000;
        format!("{} min {} s", s / 60, s % 60)
    }
}

/// A bar `width` cells wide: `used` of `total` filled, the rest shaded.
pub fn bar(used: u32, total: u32, width: usize) -> (String, String) {
    if total == 0 || width == 0 {
        return (String::new(), String::new());
    }
    let filled = ((used.min(total) as usize * width) + total as usize / 2) / total as usize;
    let filled = if used > 0 { filled.max(1) } else { filled };
    ("█".repeat(filled), "░".repeat(width - filled.min(width)))
}

pub fn block<'a>(theme: &Theme, title: impl Into<String>) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {} ", title.into()), theme.title()))
}

/// Thousands separated by commas: 1,000,000.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `text` cleaned and cut to at most `max` columns at a word boundary, ending in `…`
/// when something was cut; a single word longer than `max` is cut where it must be.
///
/// A message that ends in a path (a file just written, say) keeps the path's end, the
/// file's name: the middle of the path gives way instead.
pub fn shorten(text: &str, max: usize) -> String {
    if let Some(kept) = keep_path_end(text, max) {
        return kept;
    }
    let fitted = crate::text::fit(text, max);
    let Some(head) = fitted.strip_suffix('…') else {
        return fitted;
    };
    if crate::text::cleaned(text).starts_with(&format!("{head} ")) {
        return fitted;
    }
    match head.trim_end().rfind(' ') {
        Some(space) if space > 0 => {
            format!("{}…", head[..space].trim_end_matches([' ', ',', ';', ':']))
        }
        _ => fitted,
    }
}

/// `text` whose last word is a path, cut in that path's middle to fit `max` columns:
/// `None` when it fits already, does not end in a path, or the words before it leave no
/// room for the path's end.
fn keep_path_end(text: &str, max: usize) -> Option<String> {
    let text = crate::text::cleaned(text);
    if crate::text::width(&text) <= max {
        return None;
    }
    let (head, path) = text.rsplit_once(' ').unwrap_or(("", &text));
    if !path.contains(std::path::MAIN_SEPARATOR) {
        return None;
    }
    let head = if head.is_empty() {
        String::new()
    } else {
        format!("{head} ")
    };
    let room = max.checked_sub(crate::text::width(&head) + 1)?;
    if room < 12 {
        return None;
    }
    let mut tail: Vec<char> = Vec::new();
    let mut used = 0;
    for c in path.chars().rev() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > room {
            break;
        }
        used += w;
        tail.push(c);
    }
    let tail: String = tail.into_iter().rev().collect();
    Some(format!("{head}…{tail}"))
}

/// `text` cleaned and folded into lines of at most `width` columns, at spaces; a word
/// wider than a line (a name in a script without spaces, say) is broken where it must be.
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let text = crate::text::cleaned(text);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split(' ') {
        let w = crate::text::width(word);
        if used > 0 && used + 1 + w <= width {
            line.push(' ');
            line.push_str(word);
            used += 1 + w;
            continue;
        }
        if used > 0 {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        for c in word.chars() {
            let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if used + cw > width && used > 0 {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(c);
            used += cw;
        }
    }
    lines.push(line);
    lines
}

/// The footer's hints that fit in `width` columns, each drawn as `keys hint` followed by
/// two spaces: the hints named in `kept` always stay, the others in order of importance
/// (first is most important) while they fit; the least important go first.
pub fn footer_hints(
    items: &[(String, &'static str)],
    kept: &[&str],
    width: usize,
) -> Vec<(String, &'static str)> {
    let cost =
        |(keys, hint): &(String, &str)| crate::text::width(keys) + 1 + crate::text::width(hint) + 2;
    let is_kept = |item: &(String, &str)| kept.contains(&item.1);
    let mut used: usize = items.iter().filter(|i| is_kept(i)).map(cost).sum();
    let mut take = vec![false; items.len()];
    let mut full = false;
    for (i, item) in items.iter().enumerate() {
        if is_kept(item) {
            take[i] = true;
        } else if !full && used + cost(item) <= width + 2 {
            used += cost(item);
            take[i] = true;
        } else {
            full = true;
        }
    }
    items
        .iter()
        .zip(take)
        .filter(|(_, t)| *t)
        .map(|(item, _)| item.clone())
        .collect()
}

/// A column of a list table: its heading and its width in display cells.
pub type Column = (&'static str, Constraint);

/// The rows of `items` drawn in a window of `height` rows from `offset`, each with its
/// index in the whole list.
pub fn window<T>(items: &[T], offset: usize, height: usize) -> impl Iterator<Item = (usize, &T)> {
    let start = offset.min(items.len());
    let end = start.saturating_add(height).min(items.len());
    (start..end).zip(&items[start..end])
}

/// A bordered list under `title`: a header row of `columns`, then one row of cells per
/// item, the row marked `true` shown as selected. Every list on every screen is this.
pub fn list_table<'a, C: Into<Cell<'a>>>(
    theme: &Theme,
    title: impl Into<String>,
    columns: &[Column],
    rows: impl IntoIterator<Item = (bool, Vec<C>)>,
) -> Table<'a> {
    let rows = rows.into_iter().map(|(selected, cells)| {
        let row = Row::new(cells);
        if selected {
            row.style(theme.selected())
        } else {
            row
        }
    });
    Table::new(rows, columns.iter().map(|(_, width)| *width))
        .header(Row::new(columns.iter().map(|(heading, _)| *heading)).style(theme.title()))
        .block(block(theme, title))
}

/// A table drawn as lines of text inside a pane that scrolls as a whole (a record's
/// parents, its changes): a header in `heading` style, then the rows, indented by two.
/// Each column is as wide as its widest cell; when they do not fit in `width` columns,
/// the widest gives way first, and a cut cell ends in `…`. Widths are display widths.
pub fn text_table(
    headings: &[&str],
    rows: &[Vec<String>],
    heading: Style,
    width: usize,
) -> Vec<Line<'static>> {
    const GAP: usize = 2;
    const INDENT: &str = "  ";
    let mut widths: Vec<usize> = headings
        .iter()
        .enumerate()
        .map(|(i, h)| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| crate::text::width(c))
                .chain([crate::text::width(h)])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let room = width.saturating_sub(INDENT.len() + GAP * widths.len().saturating_sub(1));
    while widths.iter().sum::<usize>() > room {
        match widths.iter_mut().filter(|w| **w > 4).max_by_key(|w| **w) {
            Some(widest) => *widest -= 1,
            None => break,
        }
    }
    let line = |cells: &[&str], style: Style| {
        let mut text = String::from(INDENT);
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            let cut = crate::text::fit(cell, *w);
            if i + 1 == widths.len() {
                text.push_str(&cut);
            } else {
                text.push_str(&crate::text::pad(&cut, w + GAP));
            }
        }
        Line::from(Span::styled(text, style))
    };
    let mut out = vec![line(headings, heading)];
    out.extend(rows.iter().map(|r| {
        let cells: Vec<&str> = r.iter().map(String::as_str).collect();
        line(&cells, Style::new())
    }));
    out
}

/// A prompt's line: its label, what is typed (shown selected while the first key would
/// replace it), and the reason the last answer was refused; with the caret's column.
pub fn prompt_line(
    theme: &Theme,
    label: &str,
    text: &str,
    caret: Option<usize>,
    fresh: bool,
    error: Option<&str>,
) -> (Line<'static>, usize) {
    let label = format!("{label}: ");
    let text = crate::text::clean(text);
    let before: String = match caret {
        Some(at) => text.chars().take(at).collect(),
        None => text.clone(),
    };
    let column = crate::text::width(&label) + crate::text::width(&before);
    let mut spans = vec![
        Span::styled(label, theme.key()),
        Span::styled(
            text,
            if fresh {
                theme.selected()
            } else {
                Style::new()
            },
        ),
    ];
    if let Some(error) = error {
        spans.push(Span::styled(
            format!("  ✗ {}", crate::text::clean(error)),
            theme.bad(),
        ));
    } else if fresh {
        spans.push(Span::styled("  (typing replaces it)", theme.dim()));
    }
    (Line::from(spans), column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_reads_without_colour() {
        assert_eq!(status_text(ExecutionStatus::Succeeded), "✓ SUCCEEDED");
        assert_eq!(status_text(ExecutionStatus::Failed), "✗ FAILED");
    }

    #[test]
    fn bars_show_enrolled_against_capacity() {
        assert_eq!(bar(5, 20, 8), ("██".into(), "░░░░░░".into()));
        assert_eq!(bar(1, 20, 8).0, "█");
        assert_eq!(bar(0, 0, 8), (String::new(), String::new()));
        assert_eq!(bar(20, 20, 4).1, "");
    }

    #[test]
    fn durations_read_at_their_scale() {
        assert_eq!(elapsed(chrono::TimeDelta::microseconds(4_250)), "4.2 ms");
        assert_eq!(elapsed(chrono::TimeDelta::milliseconds(1_250)), "1.25 s");
        assert_eq!(elapsed(chrono::TimeDelta::seconds(63)), "1 min 3 s");
    }

    #[test]
    fn a_window_holds_the_rows_that_fit_with_their_places() {
        let rows = ["a", "b", "c", "d"];
        let shown: Vec<(usize, &&str)> = window(&rows, 1, 2).collect();
        assert_eq!(shown, [(1, &"b"), (2, &"c")]);
        assert_eq!(window(&rows, 3, 10).count(), 1);
        assert_eq!(
            window(&rows, 9, 10).count(),
            0,
            "past the end shows nothing"
        );
    }

    #[test]
    fn shortened_text_ends_at_a_word_with_an_ellipsis() {
        assert_eq!(
            shorten("the child's date of birth is missing", 24),
            "the child's date of…"
        );
        assert_eq!(shorten("short", 24), "short");
        assert_eq!(shorten("unbreakable", 6), "unbre…");
        assert!(crate::text::width(&shorten("李小龙 李小龙 李小龙", 9)) <= 9);
        let path = format!(
            "History written to {}",
            [
                "",
                "home",
                "amara",
                "Downloads",
                "okafor-amara-56ac3fcc.history.json"
            ]
            .join(std::path::MAIN_SEPARATOR_STR)
        );
        let short = shorten(&path, 60);
        assert!(short.starts_with("History written to …"), "{short}");
        assert!(
            short.ends_with("okafor-amara-56ac3fcc.history.json"),
            "{short}"
        );
        assert!(crate::text::width(&short) <= 60, "{short}");
    }

    #[test]
    fn wrapped_lines_fit_their_width_even_in_wide_letters() {
        assert_eq!(wrap_words("a bc def", 4), ["a bc", "def"]);
        let lines = wrap_words("李小龙李小龙李小龙 is too old", 7);
        assert!(
            lines.iter().all(|l| crate::text::width(l) <= 7),
            "{lines:?}"
        );
        assert_eq!(
            lines.concat().replace(' ', ""),
            "李小龙李小龙李小龙istooold"
        );
        assert_eq!(wrap_words("", 5), [""]);
    }

    #[test]
    fn the_footer_drops_the_last_hints_and_keeps_help_and_quit() {
        let items: Vec<(String, &'static str)> = vec![
            ("Enter".into(), "open"),
            ("/".into(), "filter"),
            ("r".into(), "refresh"),
            ("?".into(), "help"),
            ("q".into(), "quit"),
        ];
        let shown = footer_hints(&items, &["help", "quit"], 40);
        let hints: Vec<&str> = shown.iter().map(|i| i.1).collect();
        assert_eq!(hints, ["open", "filter", "help", "quit"]);
        let shown = footer_hints(&items, &["help", "quit"], 10);
        let hints: Vec<&str> = shown.iter().map(|i| i.1).collect();
        assert_eq!(hints, ["help", "quit"]);
        let later: Vec<(String, &'static str)> = vec![
            ("q".into(), "quit"),
            ("Enter".into(), "open"),
            ("/".into(), "filter"),
        ];
        let hints: Vec<&str> = footer_hints(&later, &["quit"], 20)
            .iter()
            .map(|i| i.1)
            .collect();
        assert_eq!(hints, ["quit", "open"]);
        assert_eq!(footer_hints(&items, &["help", "quit"], 200).len(), 5);
    }

    #[test]
    fn a_text_table_fits_its_width_the_widest_column_giving_way() {
        let rows = vec![
            vec![
                "mother".to_string(),
                "李小龙 Cissé".to_string(),
                "123-456-7890".to_string(),
            ],
            vec!["father".to_string(), "Ibrahim".to_string(), "x".repeat(60)],
        ];
        let lines = text_table(&["Role", "Name", "Phone"], &rows, Style::new(), 40);
        let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        assert_eq!(text[0].trim_end(), "  Role    Name          Phone");
        assert!(
            text[1].starts_with("  mother  李小龙 Cissé  123-"),
            "{text:?}"
        );
        assert!(text.iter().all(|l| crate::text::width(l) <= 40), "{text:?}");
        assert!(text[2].ends_with('…'), "the long cell is cut: {text:?}");
        let wide = text_table(&["Role", "Name", "Phone"], &rows[..1], Style::new(), 80);
        assert!(
            wide[1].to_string().ends_with("123-456-7890"),
            "nothing cut with room"
        );
    }

    #[test]
    fn big_numbers_are_grouped() {
        assert_eq!(count(1_000_000), "1,000,000");
        assert_eq!(count(999), "999");
    }
}
