//! Execution detail: the error and cause at the top, the state machine drawn with the
//! path taken, the selected state's input and output (with `body` strings decoded),
//! the event history table, and exporting the history.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, Wrap};
use serde_json::Value;

use crate::console::action::{Action, Command, LoadedExecution};
use crate::console::app::App;
use crate::console::graph::{self, Mark};
use crate::console::list::ListCursor;
use crate::console::widgets::{
    block, duration, elapsed, highlight, status_style, status_text, time,
};
use crate::text::{clean, clean_lines};
use crate::workflow::{ExecutionStatus, HistoryEvent, owning_states};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    States,
    /// The selected state's input and output, scrolled with j/k.
    Data,
    History,
}

#[derive(Debug, Clone)]
pub struct DetailState {
    pub name: String,
    pub loaded: Option<LoadedExecution>,
    /// States in drawing order (indices into `loaded.states`).
    pub order: Vec<usize>,
    /// One per state (same indices as `loaded.states`).
    pub marks: Vec<Mark>,
    /// Position in `order`.
    pub cursor: ListCursor,
    pub pane: Pane,
    pub history: ListCursor,
    /// The state each history event belongs to (task events included), worked out once on load.
    pub owners: Vec<Option<String>>,
    /// Lines of the input and output scrolled past.
    pub data_scroll: u16,
}

fn event_kind(event: &HistoryEvent) -> String {
    event.event_type.as_str().to_owned()
}

fn entered(event: &HistoryEvent) -> bool {
    event.event_type.is_state_entered()
}

fn exited(event: &HistoryEvent) -> bool {
    event.event_type.is_state_exited()
}

impl DetailState {
    pub fn new(name: String) -> DetailState {
        DetailState {
            name,
            loaded: None,
            order: Vec::new(),
            marks: Vec::new(),
            cursor: ListCursor::default(),
            pane: Pane::States,
            history: ListCursor::default(),
            owners: Vec::new(),
            data_scroll: 0,
        }
    }

    pub fn load(&mut self, loaded: LoadedExecution) {
        let events = &loaded.stored.events;
        let path: Vec<&str> = events
            .iter()
            .filter(|e| entered(e))
            .filter_map(|e| e.details.name.as_deref())
            .collect();
        let failed = loaded.stored.summary.status != ExecutionStatus::Succeeded
            && loaded.stored.summary.status != ExecutionStatus::Running;
        let running = loaded.stored.summary.status == ExecutionStatus::Running;
        let last = path.last().copied();
        self.marks = loaded
            .states
            .iter()
            .map(|s| {
                if !path.contains(&s.name.as_str()) {
                    Mark::Untouched
                } else if Some(s.name.as_str()) == last && failed {
                    Mark::Failed
                } else if Some(s.name.as_str()) == last && running {
                    Mark::Running
                } else {
                    Mark::Passed
                }
            })
            .collect();
        self.order = graph::order(&loaded.states, &loaded.start_at);
        self.owners = owning_states(events);
        // Start on the state that failed, else on the first.
        let failed_at = self
            .order
            .iter()
            .position(|&i| self.marks[i] == Mark::Failed);
        self.cursor = ListCursor {
            selected: failed_at.unwrap_or(0),
            offset: 0,
        };
        self.loaded = Some(loaded);
    }

    pub fn apply(&mut self, action: Action, body: Rect) -> Vec<Command> {
        let history_len = self.loaded.as_ref().map_or(0, |l| l.stored.events.len());
        let page = history_height(body, self.pane) as usize;
        let before = self.cursor.selected;
        if self.pane == Pane::Data {
            match action {
                Action::Down => self.data_scroll = self.data_scroll.saturating_add(1),
                Action::Up => self.data_scroll = self.data_scroll.saturating_sub(1),
                Action::PageDown => self.data_scroll = self.data_scroll.saturating_add(10),
                Action::Top => self.data_scroll = 0,
                _ => {}
            }
        }
        let (cursor, len) = match self.pane {
            Pane::States => (&mut self.cursor, self.order.len()),
            Pane::History => (&mut self.history, history_len),
            Pane::Data => (&mut ListCursor::default(), 0),
        };
        match action {
            Action::Down => cursor.step(1, len, page),
            Action::Up => cursor.step(-1, len, page),
            Action::Top => cursor.first(),
            Action::Bottom => cursor.last(len, page),
            Action::SwitchPane => {
                self.pane = match self.pane {
                    Pane::States => Pane::Data,
                    Pane::Data => Pane::History,
                    Pane::History => Pane::States,
                };
            }
            Action::Export => {
                if let Some(loaded) = &self.loaded {
                    return vec![Command::Export {
                        name: self.name.clone(),
                        events: loaded.stored.events.clone(),
                    }];
                }
            }
            _ => {}
        }
        if self.cursor.selected != before {
            self.data_scroll = 0;
        }
        Vec::new()
    }

    /// The selected state's name.
    pub fn selected_state(&self) -> Option<&str> {
        let loaded = self.loaded.as_ref()?;
        let index = *self.order.get(self.cursor.selected)?;
        Some(loaded.states[index].name.as_str())
    }

    /// The input the selected state received and the output it gave, as the history recorded them.
    pub fn selected_io(&self) -> (Option<&str>, Option<&str>) {
        let (Some(loaded), Some(name)) = (&self.loaded, self.selected_state()) else {
            return (None, None);
        };
        let events = &loaded.stored.events;
        let named = |e: &&HistoryEvent| e.details.name.as_deref() == Some(name);
        let input = events
            .iter()
            .filter(|e| entered(e))
            .find(named)
            .and_then(|e| e.details.input.as_deref());
        let output = events
            .iter()
            .filter(|e| exited(e))
            .find(named)
            .and_then(|e| e.details.output.as_deref());
        (input, output)
    }
}

/// A JSON-encoded string shown as pretty JSON, with any `body` string that holds JSON decoded.
pub fn pretty(text: &str) -> Vec<String> {
    match serde_json::from_str::<Value>(text) {
        Ok(mut value) => {
            decode_bodies(&mut value);
            clean_lines(&serde_json::to_string_pretty(&value).unwrap_or_else(|_| text.to_string()))
        }
        Err(_) => clean_lines(text),
    }
}

fn decode_bodies(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                if key == "body"
                    && let Value::String(s) = item
                    && let Ok(decoded @ (Value::Object(_) | Value::Array(_))) =
                        serde_json::from_str::<Value>(s)
                {
                    *item = decoded;
                }
                decode_bodies(item);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(decode_bodies),
        _ => {}
    }
}

/// Rows of the history table: a quarter of a tall screen. On a small screen the table
/// folds away (its title stays) until staff move to it with Tab.
fn history_height(body: Rect, pane: Pane) -> u16 {
    match (body.height < 30, pane) {
        (false, _) => body.height / 4,
        (true, Pane::History) => body.height / 3,
        (true, _) => 0,
    }
}

pub fn render(app: &App, frame: &mut Frame, body: Rect, state: &DetailState) {
    let theme = &app.theme;
    let Some(loaded) = &state.loaded else {
        frame.render_widget(
            Paragraph::new(format!("Reading execution {}…", clean(&state.name)))
                .block(block(theme, "Execution")),
            body,
        );
        return;
    };
    let summary = &loaded.stored.summary;
    let failed = summary.error.is_some() || summary.cause.is_some();
    let inner = body.width.saturating_sub(2).max(1) as usize;
    let mut first_line = format!(
        "{}  {}  ·  {}  ·  took {}",
        status_text(summary.status),
        clean(&summary.name),
        clean(loaded.stored.child.as_deref().unwrap_or("–")),
        duration(summary.start_date, summary.stop_date)
    );
    let started = format!("  ·  started {} UTC", time(summary.start_date));
    if crate::text::width(&first_line) + crate::text::width(&started) <= inner {
        first_line.push_str(&started);
    }
    let error_line = format!("Error: {}", clean(summary.error.as_deref().unwrap_or("–")));
    let cause_line = format!("Cause: {}", clean(summary.cause.as_deref().unwrap_or("–")));
    let rows = |text: &str| crate::text::width(text).div_ceil(inner).max(1) as u16;
    let mut header_height = 2 + rows(&first_line);
    if failed {
        header_height += rows(&error_line) + rows(&cause_line);
    }
    let header_height = header_height.min(body.height / 3);
    let [header, middle, history] = Layout::vertical([
        Constraint::Length(header_height),
        Constraint::Min(6),
        Constraint::Length(match history_height(body, state.pane) {
            0 => 2,
            rows => rows + 3,
        }),
    ])
    .areas(body);

    let status_style = status_style(theme, summary.status);
    let mut head = vec![Line::from(Span::styled(first_line, status_style))];
    if failed {
        head.push(Line::from(Span::styled(error_line, theme.bad())));
        head.push(Line::from(cause_line));
    }
    frame.render_widget(
        Paragraph::new(head)
            .wrap(Wrap { trim: false })
            .block(block(theme, "Execution")),
        header,
    );

    let graph_width = (middle.width * 11 / 20).clamp(30, 66);
    let [graph_area, io_area] =
        Layout::horizontal([Constraint::Length(graph_width), Constraint::Min(20)]).areas(middle);
    let selected = (state.pane == Pane::States).then_some(state.cursor.selected);
    let inner_height = graph_area.height.saturating_sub(2) as usize;
    // Boxes need four lines a state; below that the one-line drawing keeps the path readable.
    let (lines, scroll) = if inner_height < 14 {
        let lines =
            graph::draw_compact(&loaded.states, &state.order, &state.marks, selected, theme);
        (
            lines,
            (state.cursor.selected + 1).saturating_sub(inner_height),
        )
    } else {
        let (lines, starts) =
            graph::draw(&loaded.states, &state.order, &state.marks, selected, theme);
        let box_start = starts.get(state.cursor.selected).copied().unwrap_or(0);
        (lines, (box_start + 4).saturating_sub(inner_height))
    };
    let title = if state.pane == Pane::States {
        "States ▸ (j/k)"
    } else {
        "States"
    };
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll as u16, 0))
            .block(block(theme, title)),
        graph_area,
    );

    // With the history focused, the panes show the selected event's details instead.
    let event = (state.pane == Pane::History)
        .then(|| loaded.stored.events.get(state.history.selected))
        .flatten();
    let (input, output, name) = match event {
        Some(e) => {
            let error = e.details.error.as_ref().map(|error| {
                serde_json::json!({ "error": error, "cause": e.details.cause }).to_string()
            });
            (
                e.details
                    .input
                    .as_deref()
                    .or(e.details.parameters.as_deref())
                    .map(str::to_string),
                e.details.output.clone().or(error),
                format!("event {} ({})", e.id, event_kind(e)),
            )
        }
        None => {
            let (input, output) = state.selected_io();
            (
                input.map(str::to_string),
                output.map(str::to_string),
                clean(state.selected_state().unwrap_or("")),
            )
        }
    };
    let (input, output) = (input.as_deref(), output.as_deref());
    let [in_area, out_area] =
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(io_area);
    let data_hint = if state.pane == Pane::Data {
        " ▸ (j/k)"
    } else {
        ""
    };
    let text = |json: Option<&str>, what: &str| -> Vec<Line<'static>> {
        match json {
            Some(json) => pretty(json).into_iter().map(Line::from).collect(),
            None => vec![Line::from(format!("(no {what} recorded here)"))],
        }
    };
    frame.render_widget(
        Paragraph::new(text(input, "input"))
            .wrap(Wrap { trim: false })
            .scroll((state.data_scroll, 0))
            .block(block(theme, format!("Input of {name}{data_hint}"))),
        in_area,
    );
    frame.render_widget(
        Paragraph::new(text(output, "output"))
            .wrap(Wrap { trim: false })
            .scroll((state.data_scroll, 0))
            .block(block(theme, format!("Output of {name}{data_hint}"))),
        out_area,
    );

    let events = &loaded.stored.events;
    let rows_height = history_height(body, state.pane) as usize;
    let start = state.history.offset.min(events.len());
    let end = (start + rows_height).min(events.len());
    let first = events
        .first()
        .map(|e| e.timestamp)
        .unwrap_or(summary.start_date);
    let rows = events[start..end].iter().enumerate().map(|(i, e)| {
        let row = Row::new(vec![
            e.id.to_string(),
            event_kind(e),
            clean(
                state
                    .owners
                    .get(start + i)
                    .and_then(Option::as_deref)
                    .unwrap_or(""),
            ),
            format!("+{}", elapsed(e.timestamp - first)),
        ]);
        highlight(
            theme,
            row,
            state.pane == Pane::History && start + i == state.history.selected,
        )
    });
    let title = format!(
        "History · {} events{}",
        events.len(),
        match (state.pane, rows_height) {
            (Pane::History, _) => " ▸ (j/k)",
            (_, 0) => " · Tab Tab shows them",
            _ => "",
        }
    );
    let table = Table::new(
        rows,
        [
            Constraint::Length(4),
            Constraint::Length(26),
            Constraint::Min(20),
            Constraint::Length(12),
        ],
    )
    .header(Row::new(vec!["Id", "Type", "State", "Since start"]).style(theme.title()))
    .block(block(theme, title));
    frame.render_widget(table, history);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_strings_are_shown_as_json() {
        let lines = pretty(r#"{"statusCode":200,"body":"{\"child\":{\"firstName\":\"Ann\"}}"}"#);
        let text = lines.join("\n");
        assert!(text.contains("\"firstName\": \"Ann\""), "{text}");
        assert!(!text.contains("\\\""), "{text}");
    }

    #[test]
    fn a_plain_message_body_stays_a_string() {
        let text = pretty(r#"{"statusCode":400,"body":"Too old"}"#).join("\n");
        assert!(text.contains("\"body\": \"Too old\""));
    }
}
