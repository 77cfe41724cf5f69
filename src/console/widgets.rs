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
    fn big_numbers_are_grouped() {
        assert_eq!(count(1_000_000), "1,000,000");
        assert_eq!(count(999), "999");
    }
}
