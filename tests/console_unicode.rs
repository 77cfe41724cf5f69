//! Names that measure differently in characters and in terminal columns (bidi controls,
//! zero-width and joining characters, emoji sequences, line separators, tag characters,
//! fullwidth and CJK letters) keep every table row of the console exactly as wide as the
//! screen, with the borders in the same column: what a terminal would show is rebuilt from
//! the cells the way a terminal backend writes them.

mod console_support;

use console_support::*;
use daycare::console::action::Msg;
use daycare::console::app::App;
use daycare::console::render::render;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use unicode_width::UnicodeWidthStr;

/// The children of fixtures/registrations/unicode-names.jsonl, names as given.
fn unicode_children() -> Vec<daycare::store::Registration> {
    let path = format!(
        "{}/fixtures/registrations/unicode-names.jsonl",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let doc: serde_json::Value = serde_json::from_str(line).unwrap();
            let child = &doc["registration_info"]["child"];
            registration(
                i as i64 + 1,
                child["firstName"].as_str().unwrap(),
                child["lastName"].as_str().unwrap(),
                &["Monday", "Friday"],
            )
        })
        .collect()
}

/// Each screen line as a terminal receives it: a cell's symbol is written, and the cells
/// its symbol covers are skipped (as ratatui's backends do).
fn terminal_lines(app: &App) -> Vec<String> {
    let (width, height) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| render(app, frame)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    (0..height)
        .map(|y| {
            let mut line = String::new();
            let mut x = 0;
            while x < width {
                let symbol = buffer[(x, y)].symbol();
                line.push_str(symbol);
                x += symbol.width().max(1) as u16;
            }
            line
        })
        .collect()
}

/// The display column of every `│` in a line.
fn borders(line: &str) -> Vec<usize> {
    let mut column = 0;
    let mut found = Vec::new();
    for c in line.chars() {
        if c == '│' {
            found.push(column);
        }
        column += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
    }
    found
}

#[test]
fn the_children_table_keeps_its_borders_in_place_whatever_the_names() {
    for (w, h) in [(120, 40), (80, 24)] {
        let mut app = app(w, h);
        app.on_key(key('4'));
        app.on_msg(Msg::Children(unicode_children()));
        let lines = terminal_lines(&app);
        let shown = lines.join("\n");
        assert!(shown.contains("Ubidi-RLO"), "{shown}");
        assert!(shown.contains("ULS"), "{shown}");
        let rows: Vec<&String> = lines
            .iter()
            .filter(|l| l.starts_with('│') && l.contains("2026-09-15"))
            .collect();
        assert_eq!(rows.len(), 13, "every child has a row:\n{shown}");
        for line in &lines {
            assert_eq!(line.width(), usize::from(w), "line not {w} wide: {line:?}");
            assert!(
                !line.chars().any(daycare::text::is_unsafe),
                "unsafe character in {line:?}"
            );
        }
        for row in rows {
            assert_eq!(
                borders(row),
                [0, usize::from(w) - 1],
                "borders moved in {row:?}"
            );
        }
    }
}

/// The display column of the first `]` in a line, if any.
fn field_end(line: &str) -> Option<usize> {
    let end = line.find(']')?;
    Some(line[..end].width())
}

#[test]
fn a_form_field_holding_wide_letters_keeps_its_width() {
    for (w, h) in [(120, 40), (80, 24)] {
        let mut app = app(w, h);
        app.on_key(key('2'));
        typed(
            &mut app,
            "李小龙李小龙李小龙李小龙李小龙李小龙👩\u{200d}👩\u{200d}👧",
        );
        let lines = terminal_lines(&app);
        let shown = lines.join("\n");
        let fields: Vec<&String> = lines
            .iter()
            .filter(|l| {
                ["name ", "birth", "email", "phone"]
                    .iter()
                    .any(|f| l.contains(f))
            })
            .collect();
        assert!(fields.len() >= 10, "{shown}");
        assert!(fields[0].contains('李'), "{shown}");
        let end = field_end(fields[1]);
        for line in &fields {
            assert_eq!(field_end(line), end, "field end moved:\n{shown}");
        }
        for line in &lines {
            assert_eq!(line.width(), usize::from(w), "line not {w} wide: {line:?}");
        }
    }
}
