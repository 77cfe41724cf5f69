//! Drawing the whole console from the app state: tab bar, the screen, the status line,
//! the footer (from the keymap), and the help, prompt, question and too-small overlays.
//! A pure function of `App`; it changes nothing.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Flex, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::action::{Action, Tab};
use super::app::App;
use super::keymap::{self, Context};
use super::layout::{self, MIN_HEIGHT, MIN_WIDTH};
use super::screens::{
    audit, children, dashboard, detail, executions, record, register, spots, waitlist,
};
use super::widgets::{block, footer_hints, shorten, wrap_words};

pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(app, frame, area);
        return;
    }
    let areas = layout::areas(area);
    tabs(app, frame, areas.tabs);
    if let Some(reason) = &app.unavailable {
        let lines = vec![
            Line::from(Span::styled("The database cannot be used", app.theme.bad())),
            Line::from(""),
            Line::from(crate::text::clean(reason)),
            Line::from(""),
            Line::from(
                "Press q to quit, then start daycare with --db (or DAYCARE_DB) naming a daycare database, or a new file to create one.",
            ),
        ];
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: true })
                .block(block(&app.theme, "daycare")),
            areas.body,
        );
        footer(app, frame, areas.footer);
        return;
    }
    screen(app, frame, areas.body);
    status(app, frame, areas.status);
    footer(app, frame, areas.footer);
    if let Some(confirm) = &app.confirm {
        dialog(
            app,
            frame,
            area,
            "Are you sure?",
            &confirm.message,
            &keymap::confirm_keys(),
        );
    }
    if app.help {
        help(app, frame, area);
    }
}

/// The screen in front: an opened execution, else an opened record, else the current tab's.
fn screen(app: &App, frame: &mut Frame, body: Rect) {
    let ui = app.ui();
    if app.detail.is_none()
        && let Some(state) = &app.record
    {
        record::render(state, &ui, frame, body);
        if let Some(amend) = &app.amend {
            let caret = super::screens::amend::render(amend, ui.theme, frame, body);
            // The caret shows only while a field has the keyboard (no dialog over it).
            if let Some(position) = caret
                && app.context() == Context::AmendText
            {
                frame.set_cursor_position(position);
            }
        }
        return;
    }
    match (&app.detail, app.tab) {
        (Some(state), _) => detail::render(state, &ui, frame, body),
        (None, Tab::Dashboard) => dashboard::render(&app.dashboard, &ui, frame, body),
        (None, Tab::Register) => {
            let caret = register::render(&app.register, &ui, frame, body);
            // The caret shows only while the field has the keyboard (no prompt or dialog).
            if let Some(position) = caret
                && app.context() == Context::RegisterText
            {
                frame.set_cursor_position(position);
            }
        }
        (None, Tab::Executions) => executions::render(&app.executions, &ui, frame, body),
        (None, Tab::Children) => children::render(&app.children, &ui, frame, body),
        (None, Tab::Spots) => spots::render(&app.spots, &ui, frame, body),
        (None, Tab::Waitlist) => waitlist::render(&app.waitlist, &ui, frame, body),
        (None, Tab::Audit) => audit::render(&app.audit, &ui, frame, body),
    }
}

fn tabs(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let mut spans = Vec::new();
    for tab in Tab::ALL {
        let label = layout::tab_label_in(tab, area.width);
        let style = if tab == app.tab && app.detail.is_none() && app.record.is_none() {
            theme.selected()
        } else {
            theme.dim()
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    // What covers the tab, in words; the short word when the long one does not fit.
    let over = match (&app.detail, &app.record) {
        (Some(_), _) => Some((" Execution detail ", " Detail ")),
        (None, Some(_)) => Some((" Child's record ", " Record ")),
        (None, None) => None,
    };
    if let Some((long, short)) = over {
        let used: usize = spans.iter().map(|s| s.width()).sum();
        let label = if used + crate::text::width(long) <= area.width as usize {
            long
        } else {
            short
        };
        spans.push(Span::styled(label, theme.selected()));
    }
    let used: usize = spans.iter().map(|s| s.width()).sum();
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    let right = format!("daycare · today {} ", app.today());
    if area.width as usize >= used + crate::text::width(&right) + 2 {
        frame.render_widget(
            Paragraph::new(right)
                .alignment(Alignment::Right)
                .style(theme.dim()),
            area,
        );
    }
}

fn status(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    if let Some(prompt) = &app.prompt {
        let (line, column) = super::widgets::prompt_line(
            theme,
            &prompt.label,
            &prompt.text,
            prompt.caret,
            prompt.fresh,
            prompt.error.as_deref(),
        );
        frame.render_widget(Paragraph::new(line), area);
        let x = area.x + column as u16;
        frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
        return;
    }
    // One line: a message too long for it ends at a word, with an ellipsis.
    let room = (area.width as usize).saturating_sub(2);
    let line = match &app.status {
        Some(s) if s.error => Line::from(vec![
            Span::styled("✗ ", theme.bad()),
            Span::styled(shorten(&s.text, room), theme.bad()),
        ]),
        Some(s) => Line::from(vec![
            Span::styled("• ", theme.ok()),
            Span::raw(shorten(&s.text, room)),
        ]),
        None if !app.ready => Line::from(Span::styled("Opening the database…", theme.running())),
        None => Line::from(""),
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn footer(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let mut spans = Vec::new();
    // Help and quit are always offered; the other hints are dropped from the last.
    let kept: Vec<&str> = keymap::GLOBAL
        .iter()
        .chain([&keymap::ALWAYS])
        .filter(|b| matches!(b.action, Action::Help | Action::Quit))
        .map(|b| b.hint)
        .collect();
    let items = keymap::footer(app.context());
    for (keys, hint) in footer_hints(&items, &kept, area.width as usize) {
        spans.push(Span::styled(keys, theme.key()));
        spans.push(Span::raw(format!(" {hint}  ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

fn dialog(app: &App, frame: &mut Frame, area: Rect, title: &str, message: &str, keys: &str) {
    let theme = &app.theme;
    // As tall as its message folded at words, so nothing of the question is lost.
    let width = area.width.min(60);
    let folded = wrap_words(message, width.saturating_sub(2) as usize);
    let rect = centered(area, width, folded.len() as u16 + 4);
    frame.render_widget(Clear, rect);
    let mut lines: Vec<Line> = folded.into_iter().map(Line::from).collect();
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(keys.to_string(), theme.key())));
    frame.render_widget(Paragraph::new(lines).block(block(theme, title)), rect);
}

/// Every context's keys, from the same tables the keys are dispatched on.
pub fn help_lines(app: &App) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let mut lines = Vec::new();
    let filter = app.help_filter.as_str();
    let section = |lines: &mut Vec<Line<'static>>, title: &str, bindings: &[keymap::Binding]| {
        let shown: Vec<&keymap::Binding> = bindings
            .iter()
            .filter(|b| {
                super::list::matches(&format!("{} {} {title}", b.key_names(), b.help), filter)
            })
            .collect();
        if shown.is_empty() {
            return;
        }
        lines.push(Line::from(Span::styled(title.to_string(), theme.title())));
        for binding in shown {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<22}", binding.key_names()), theme.key()),
                Span::raw(binding.help),
            ]));
        }
    };
    section(&mut lines, "Anywhere outside a text field", keymap::GLOBAL);
    if !filter.is_empty() {
        // The number keys and Ctrl-C are listed only in the unfiltered help.
        return filtered_sections(app, lines, section);
    }
    lines.push(Line::from(vec![
        Span::styled(
            format!("  {:<22}", format!("1-{}", Tab::ALL.len())),
            theme.key(),
        ),
        Span::raw(
            Tab::ALL
                .iter()
                .map(|t| format!("{} {}", t.number(), t.title()))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ]));
    lines.push(Line::from(vec![
        Span::styled(format!("  {:<22}", keymap::ALWAYS.key_names()), theme.key()),
        Span::raw(keymap::ALWAYS.help),
    ]));
    filtered_sections(app, lines, section)
}

/// Every context's section, the current screen's first: that is what staff want to know.
fn filtered_sections(
    app: &App,
    mut lines: Vec<Line<'static>>,
    section: impl Fn(&mut Vec<Line<'static>>, &str, &[keymap::Binding]),
) -> Vec<Line<'static>> {
    let current = app.screen_context();
    let mut contexts: Vec<Context> = keymap::Context::ALL.to_vec();
    if let Some(pos) = contexts.iter().position(|c| *c == current) {
        let c = contexts.remove(pos);
        contexts.insert(0, c);
    }
    for context in contexts {
        section(&mut lines, context.title(), context.bindings());
    }
    lines
}

/// Help lines (a key, then what it does) folded to `width` columns at words, the
/// continuation indented under the first line's text.
fn hang(lines: Vec<Line<'static>>, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for line in lines {
        let [key, text] = &line.spans[..] else {
            out.push(line);
            continue;
        };
        let indent = key.width();
        let room = width.saturating_sub(indent).max(10);
        let mut rows: Vec<String> = vec![String::new()];
        for word in text.content.split(' ') {
            let Some(current) = rows.last_mut() else {
                break;
            };
            let needed = crate::text::width(current) + 1 + crate::text::width(word);
            if !current.is_empty() && needed > room {
                rows.push(word.to_string());
            } else {
                if !current.is_empty() {
                    current.push(' ');
                }
                current.push_str(word);
            }
        }
        for (i, row) in rows.into_iter().enumerate() {
            let head = if i == 0 {
                key.clone()
            } else {
                Span::raw(" ".repeat(indent))
            };
            out.push(Line::from(vec![head, Span::styled(row, text.style)]));
        }
    }
    out
}

/// The help overlay's width on a screen `width` columns wide.
fn help_width(width: u16) -> u16 {
    width.saturating_sub(8).min(90)
}

/// The help's rows as drawn: its lines folded at words to the overlay's width.
pub fn help_rows(app: &App) -> Vec<Line<'static>> {
    let inner = help_width(app.size.0).saturating_sub(2);
    hang(help_lines(app), inner as usize)
}

fn help(app: &App, frame: &mut Frame, area: Rect) {
    let rect = centered(area, help_width(area.width), area.height.saturating_sub(4));
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(help_rows(app))
            .scroll((app.help_scroll, 0))
            .block(block(&app.theme, "Keys (j/k scroll, Esc or ? closes)")),
        rect,
    );
}

fn too_small(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let lines = vec![
        Line::from(Span::styled("Terminal too small", theme.bad())),
        Line::from(""),
        Line::from(format!("This window is {}×{}.", area.width, area.height)),
        Line::from(format!("daycare needs at least {MIN_WIDTH}×{MIN_HEIGHT}.")),
        Line::from("Make the window larger, or press q to quit."),
    ];
    let rect = centered(area, area.width, lines.len() as u16);
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        rect,
    );
}
