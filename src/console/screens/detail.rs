//! Execution detail: the error and cause at the top, the state machine drawn with the
//! path taken, the selected state's input and output (with `body` strings decoded),
//! the event history table, and exporting the history.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use serde_json::Value;

use crate::console::action::{Action, Command};
use crate::console::graph::{self, Mark};
use crate::console::list::ListCursor;
use crate::console::ui::Ui;
use crate::console::widgets::{
    Column, block, duration, elapsed, list_table, status_style, status_text, time, window,
};
use crate::store::StoredExecution;
use crate::text::{clean, clean_lines};
use crate::workflow::history::passed::Route;
use crate::workflow::{HistoryEvent, StateMachine, StateView, owning_states};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    States,
    /// The selected state's input, scrolled with j/k.
    Data,
    /// The selected state's output, scrolled on its own.
    Output,
    History,
}

/// An execution as opened: as stored, with the states of the machine it ran.
#[derive(Debug, Clone)]
pub struct Opened {
    pub stored: StoredExecution,
    pub states: Vec<StateView>,
}

/// What the input and output panes show for the selection, decoded and pretty-printed
/// once when the selection changes, never per frame.
#[derive(Debug, Clone, Default)]
pub struct DataPane {
    /// What the data belongs to: the state's name, or "event 7 (TaskSucceeded)".
    pub name: String,
    pub input: Vec<String>,
    pub output: Vec<String>,
    /// The selection it was made for.
    shown: Option<Shown>,
}

/// Whose data the panes show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    /// A state, by its position in the drawing order.
    State(usize),
    /// A history event, by its index.
    Event(usize),
}

#[derive(Debug, Clone)]
pub struct DetailState {
    pub name: String,
    pub loaded: Option<Opened>,
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
    /// Lines of the input scrolled past.
    pub data_scroll: u16,
    /// Lines of the output scrolled past.
    pub output_scroll: u16,
    pub data: DataPane,
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
            output_scroll: 0,
            data: DataPane::default(),
        }
    }

    pub fn load(&mut self, stored: StoredExecution, machine: &StateMachine) {
        let states = machine.states();
        let route = Route::of(&stored.events);
        self.marks = graph::marks(&states, &route, stored.summary.status);
        self.order = graph::order(&states, machine.start_at());
        self.owners = owning_states(&stored.events);
        // Start on the state that failed, else on the first.
        let failed_at = self
            .order
            .iter()
            .position(|&i| self.marks[i] == Mark::Failed);
        self.cursor = ListCursor {
            selected: failed_at.unwrap_or(0),
            offset: 0,
        };
        self.loaded = Some(Opened { stored, states });
        self.data = DataPane::default();
        self.show_selected();
    }

    pub fn apply(&mut self, action: Action, body: Rect) -> Vec<Command> {
        let history_len = self.loaded.as_ref().map_or(0, |l| l.stored.events.len());
        let page = history_height(body, self.pane) as usize;
        let before = self.cursor.selected;
        match self.pane {
            Pane::Data => scroll(&mut self.data_scroll, self.data.input.len(), action),
            Pane::Output => scroll(&mut self.output_scroll, self.data.output.len(), action),
            Pane::States | Pane::History => {}
        }
        let (cursor, len) = match self.pane {
            Pane::States => (&mut self.cursor, self.order.len()),
            Pane::History => (&mut self.history, history_len),
            Pane::Data | Pane::Output => (&mut ListCursor::default(), 0),
        };
        match action {
            Action::Down
            | Action::Up
            | Action::Top
            | Action::Bottom
            | Action::PageDown
            | Action::PageUp => {
                cursor.motion(action, len, page);
            }
            Action::SwitchPane => {
                self.pane = match self.pane {
                    Pane::States => Pane::Data,
                    Pane::Data => Pane::Output,
                    Pane::Output => Pane::History,
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
            self.output_scroll = 0;
        }
        self.show_selected();
        Vec::new()
    }

    /// Whose data the panes show now: with the history focused, the selected event's.
    fn shown(&self) -> Shown {
        let events = self.loaded.as_ref().map_or(0, |l| l.stored.events.len());
        if self.pane == Pane::History && self.history.selected < events {
            Shown::Event(self.history.selected)
        } else {
            Shown::State(self.cursor.selected)
        }
    }

    /// Decodes and pretty-prints the selection's input and output, if it changed.
    fn show_selected(&mut self) {
        let shown = self.shown();
        if self.data.shown == Some(shown) {
            return;
        }
        let event = match shown {
            Shown::Event(i) => self.loaded.as_ref().and_then(|l| l.stored.events.get(i)),
            Shown::State(_) => None,
        };
        let (input, output, name) = match event {
            Some(event) => event_data(event),
            None => {
                let (input, output) = self.selected_io();
                (
                    input,
                    output.map(str::to_string),
                    clean(self.selected_state().unwrap_or("")),
                )
            }
        };
        let text = |json: Option<&str>, what: &str| match json {
            Some(json) => pretty(json),
            None => vec![format!("(no {what} recorded here)")],
        };
        self.data = DataPane {
            input: text(input, "input"),
            output: text(output.as_deref(), "output"),
            name,
            shown: Some(shown),
        };
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
            .filter(|e| e.event_type.is_state_entered())
            .find(named)
            .and_then(|e| e.details.input.as_deref());
        let output = events
            .iter()
            .filter(|e| e.event_type.is_state_exited())
            .find(named)
            .and_then(|e| e.details.output.as_deref());
        (input, output)
    }
}

/// A history event's input (or parameters), its output (or error and cause) and its title.
fn event_data(event: &HistoryEvent) -> (Option<&str>, Option<String>, String) {
    let details = &event.details;
    let error = details
        .error
        .as_ref()
        .map(|error| serde_json::json!({ "error": error, "cause": details.cause }).to_string());
    (
        details.input.as_deref().or(details.parameters.as_deref()),
        details.output.clone().or(error),
        format!("event {} ({})", event.id, event.event_type.as_str()),
    )
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

pub fn render(state: &DetailState, ui: &Ui, frame: &mut Frame, body: Rect) {
    let Some(loaded) = &state.loaded else {
        frame.render_widget(
            Paragraph::new(format!("Reading execution {}…", clean(&state.name)))
                .block(block(ui.theme, "Execution")),
            body,
        );
        return;
    };
    let header = Header::of(&loaded.stored, body.width);
    let [header_area, middle, history] = Layout::vertical([
        Constraint::Length(header.height().min(body.height / 3)),
        Constraint::Min(6),
        Constraint::Length(match history_height(body, state.pane) {
            0 => 2,
            rows => rows + 3,
        }),
    ])
    .areas(body);
    header.render(&loaded.stored, ui, frame, header_area);
    let graph_width = (middle.width * 11 / 20).clamp(30, 66);
    let [graph_area, io_area] =
        Layout::horizontal([Constraint::Length(graph_width), Constraint::Min(20)]).areas(middle);
    render_graph(state, loaded, ui, frame, graph_area);
    render_data(state, ui, frame, io_area);
    let rows = history_height(body, state.pane) as usize;
    render_history(state, loaded, ui, frame, history, rows);
}

/// The lines at the top: status, name, child and time taken; the error and cause of a
/// run that did not succeed.
struct Header {
    first: String,
    failure: Option<(String, String)>,
    /// Text columns inside the border.
    inner: usize,
}

impl Header {
    fn of(stored: &StoredExecution, width: u16) -> Header {
        let summary = &stored.summary;
        let inner = width.saturating_sub(2).max(1) as usize;
        let mut first = format!(
            "{}  {}  ·  {}  ·  took {}",
            status_text(summary.status),
            clean(&summary.name),
            clean(stored.child.as_deref().unwrap_or("–")),
            duration(summary.start_date, summary.stop_date)
        );
        let started = format!("  ·  started {} UTC", time(summary.start_date));
        if crate::text::width(&first) + crate::text::width(&started) <= inner {
            first.push_str(&started);
        }
        let failure = (summary.error.is_some() || summary.cause.is_some()).then(|| {
            (
                format!("Error: {}", clean(summary.error.as_deref().unwrap_or("–"))),
                format!("Cause: {}", clean(summary.cause.as_deref().unwrap_or("–"))),
            )
        });
        Header {
            first,
            failure,
            inner,
        }
    }

    /// Rows it needs with its border, each line wrapped at the inner width.
    fn height(&self) -> u16 {
        let rows = |text: &str| crate::text::width(text).div_ceil(self.inner).max(1) as u16;
        let failure = self
            .failure
            .as_ref()
            .map_or(0, |(error, cause)| rows(error) + rows(cause));
        2 + rows(&self.first) + failure
    }

    fn render(self, stored: &StoredExecution, ui: &Ui, frame: &mut Frame, area: Rect) {
        let theme = ui.theme;
        let style = status_style(theme, stored.summary.status);
        let mut head = vec![Line::from(Span::styled(self.first, style))];
        if let Some((error, cause)) = self.failure {
            head.push(Line::from(Span::styled(error, theme.bad())));
            head.push(Line::from(cause));
        }
        frame.render_widget(
            Paragraph::new(head)
                .wrap(Wrap { trim: false })
                .block(block(theme, "Execution")),
            area,
        );
    }
}

/// The state machine with the path taken; boxes when they fit, else one line a state.
fn render_graph(state: &DetailState, loaded: &Opened, ui: &Ui, frame: &mut Frame, area: Rect) {
    let theme = ui.theme;
    let selected = (state.pane == Pane::States).then_some(state.cursor.selected);
    let inner_height = area.height.saturating_sub(2) as usize;
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
        area,
    );
}

/// Scrolls one data pane by `action`, stopping at its last line.
fn scroll(offset: &mut u16, lines: usize, action: Action) {
    let last = u16::try_from(lines.saturating_sub(1)).unwrap_or(u16::MAX);
    *offset = match action {
        Action::Down => offset.saturating_add(1),
        Action::Up => offset.saturating_sub(1),
        Action::PageDown => offset.saturating_add(10),
        Action::PageUp => offset.saturating_sub(10),
        Action::Top => 0,
        Action::Bottom => last,
        _ => *offset,
    }
    .min(last);
}

/// The selection's input above its output, as decoded on selection.
fn render_data(state: &DetailState, ui: &Ui, frame: &mut Frame, area: Rect) {
    let [in_area, out_area] =
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    let data = &state.data;
    for (lines, what, area, pane, offset) in [
        (&data.input, "Input", in_area, Pane::Data, state.data_scroll),
        (
            &data.output,
            "Output",
            out_area,
            Pane::Output,
            state.output_scroll,
        ),
    ] {
        let hint = if state.pane == pane { " ▸ (j/k)" } else { "" };
        let text: Vec<Line> = lines.iter().map(|line| Line::from(line.as_str())).collect();
        frame.render_widget(
            Paragraph::new(text)
                .wrap(Wrap { trim: false })
                .scroll((offset, 0))
                .block(block(ui.theme, format!("{what} of {}{hint}", data.name))),
            area,
        );
    }
}

const HISTORY_COLUMNS: [Column; 4] = [
    ("Id", Constraint::Length(4)),
    ("Type", Constraint::Length(26)),
    ("State", Constraint::Min(20)),
    ("Since start", Constraint::Length(12)),
];

/// The event history, `rows` rows of it (none on a small screen until focused).
fn render_history(
    state: &DetailState,
    loaded: &Opened,
    ui: &Ui,
    frame: &mut Frame,
    area: Rect,
    rows: usize,
) {
    let events = &loaded.stored.events;
    let first = events
        .first()
        .map(|e| e.timestamp)
        .unwrap_or(loaded.stored.summary.start_date);
    let focused = state.pane == Pane::History;
    let lines = window(events, state.history.offset, rows).map(|(i, e)| {
        let cells = vec![
            e.id.to_string(),
            e.event_type.as_str().to_string(),
            clean(state.owners.get(i).and_then(Option::as_deref).unwrap_or("")),
            format!("+{}", elapsed(e.timestamp - first)),
        ];
        (focused && i == state.history.selected, cells)
    });
    let title = format!(
        "History · {} events{}",
        events.len(),
        match (state.pane, rows) {
            (Pane::History, _) => " ▸ (j/k)",
            (_, 0) => " · Tab Tab shows them",
            _ => "",
        }
    );
    frame.render_widget(list_table(ui.theme, title, &HISTORY_COLUMNS, lines), area);
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
