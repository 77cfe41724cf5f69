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
    Column, block, duration, elapsed, list_table, shorten, status_style, status_text, time, window,
    wrap_words,
};
use crate::store::StoredExecution;
use crate::text::{clean, clean_lines};
use crate::workflow::history::passed::Route;
use crate::workflow::{ExecutionStatus, HistoryEvent, StateMachine, StateView, owning_states};

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
    /// A successful run's start date, read from its output once on load.
    pub starts: Option<String>,
    /// The registration a successful run made, once the store has said.
    pub registration: Option<i64>,
    /// "Registration 12 was withdrawn on 2026-11-30: moving away", when it was since.
    pub withdrawn: Option<String>,
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
            starts: None,
            registration: None,
            withdrawn: None,
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
        self.starts = stored.summary.output.as_deref().and_then(start_date);
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

    /// Whether this is a registration refused for want of spots, which can go on the
    /// waitlist (`W`).
    pub fn waitlistable(&self) -> bool {
        self.loaded
            .as_ref()
            .is_some_and(|l| crate::registration::refused_for_spots(&l.stored.summary))
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

/// The `start_date` in a run's output, itself or in its JSON-encoded `body`.
fn start_date(output: &str) -> Option<String> {
    let value: Value = serde_json::from_str(output).ok()?;
    let field = |v: &Value| {
        v.get("start_date")
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    field(&value).or_else(|| {
        let body = value.get("body")?.as_str()?;
        field(&serde_json::from_str(body).ok()?)
    })
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

/// Where the detail's parts are drawn in `body`: computed from the state alone, so
/// drawing and clicks agree.
struct Areas {
    header: Rect,
    graph: Rect,
    input: Rect,
    output: Rect,
    history: Rect,
}

fn header_rows(body: Rect) -> usize {
    (body.height / 3).saturating_sub(2).max(2) as usize
}

fn areas(header: &Header, state: &DetailState, body: Rect) -> Areas {
    let [header_area, middle, history] = Layout::vertical([
        Constraint::Length(header.height()),
        Constraint::Min(6),
        Constraint::Length(match history_height(body, state.pane) {
            0 => 2,
            rows => rows + 3,
        }),
    ])
    .areas(body);
    let graph_width = (middle.width * 11 / 20).clamp(30, 66);
    let [graph, io] =
        Layout::horizontal([Constraint::Length(graph_width), Constraint::Min(20)]).areas(middle);
    let [input, output] =
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(io);
    Areas {
        header: header_area,
        graph,
        input,
        output,
        history,
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
    let header = Header::of(state, &loaded.stored, body.width, header_rows(body));
    let at = areas(&header, state, body);
    header.render(&loaded.stored, ui, frame, at.header);
    render_graph(state, loaded, ui, frame, at.graph);
    render_data(state, ui, frame, at.input, at.output);
    let rows = history_height(body, state.pane) as usize;
    render_history(state, loaded, ui, frame, at.history, rows);
}

impl DetailState {
    /// A click at (`x`, `y`): on a pane it takes the keyboard there, on a state or an
    /// event it selects it.
    pub fn click(&mut self, body: Rect, x: u16, y: u16) {
        let Some(loaded) = &self.loaded else {
            return;
        };
        let header = Header::of(self, &loaded.stored, body.width, header_rows(body));
        let at = areas(&header, self, body);
        let inside = |r: Rect| crate::console::layout::contains(r, x, y);
        let before = self.cursor.selected;
        if inside(at.graph) {
            self.pane = Pane::States;
            let inner_height = at.graph.height.saturating_sub(2) as usize;
            if y > at.graph.y && inner_height > 0 {
                let inner = (at.graph.width.saturating_sub(2) as usize, inner_height);
                let (_, scroll, starts) = graph_view(self, loaded, inner, None);
                let row = (y - at.graph.y - 1) as usize + scroll;
                let picked = match starts {
                    None => Some(row),
                    Some(starts) => starts.iter().rposition(|&s| s <= row),
                };
                if let Some(picked) = picked.filter(|&p| p < self.order.len()) {
                    self.cursor.selected = picked;
                }
            }
        } else if inside(at.input) || inside(at.output) {
            self.pane = Pane::Data;
        } else if inside(at.history) {
            let rows = crate::console::layout::table_rows(at.history);
            let len = loaded.stored.events.len();
            if self.pane == Pane::History && crate::console::layout::contains(rows, x, y) {
                self.history.click((y - rows.y) as usize, len);
            }
            self.pane = Pane::History;
        }
        if self.cursor.selected != before {
            self.data_scroll = 0;
        }
        self.show_selected();
    }
}

/// The graph's lines for a pane `inner_height` rows tall, the rows scrolled past to keep
/// the selection in view, and (when drawn as boxes) the row each state's box starts on.
fn graph_view(
    state: &DetailState,
    loaded: &Opened,
    (inner_width, inner_height): (usize, usize),
    theme: Option<&crate::console::theme::Theme>,
) -> (Vec<Line<'static>>, usize, Option<Vec<usize>>) {
    let plain = crate::console::theme::Theme::monochrome();
    let theme = theme.unwrap_or(&plain);
    let selected = (state.pane == Pane::States).then_some(state.cursor.selected);
    // Boxes need four lines a state; below that the one-line drawing keeps the path readable.
    if inner_height < 14 {
        let lines = graph::draw_compact(
            &loaded.states,
            &state.order,
            &state.marks,
            selected,
            theme,
            inner_width,
        );
        let scroll = (state.cursor.selected + 1).saturating_sub(inner_height);
        (lines, scroll, None)
    } else {
        let (lines, starts) = graph::draw(
            &loaded.states,
            &state.order,
            &state.marks,
            selected,
            theme,
            inner_width,
        );
        let box_start = starts.get(state.cursor.selected).copied().unwrap_or(0);
        (
            lines,
            (box_start + 4).saturating_sub(inner_height),
            Some(starts),
        )
    }
}

/// The lines at the top: status, name, child and time taken; the fees, start date and
/// registration of a run that succeeded; the error and cause of one that did not. Folded
/// at words to the width; when they do not all fit, every line but the cause is cut to
/// one row, so the cause keeps its place.
struct Header {
    lines: Vec<(String, Kind)>,
}

/// How a header line is drawn.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Status,
    Plain,
    Bad,
}

impl Header {
    fn of(state: &DetailState, stored: &StoredExecution, width: u16, rows: usize) -> Header {
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
        let mut parts: Vec<(String, Kind)> = vec![(first, Kind::Status)];
        if summary.status == ExecutionStatus::Succeeded {
            let mut outcome = Vec::new();
            if let Some(fees) = stored.fees {
                outcome.push(format!("Fees {fees}"));
            }
            if let Some(start) = &state.starts {
                outcome.push(format!("starts {}", clean(start)));
            }
            if let Some(id) = state.registration {
                outcome.push(format!("registration {id}"));
            }
            if !outcome.is_empty() {
                parts.push((outcome.join("  ·  "), Kind::Plain));
            }
            if let Some(withdrawn) = &state.withdrawn {
                parts.push((clean(withdrawn), Kind::Bad));
            }
        }
        if summary.error.is_some() || summary.cause.is_some() {
            let error = format!("Error: {}", clean(summary.error.as_deref().unwrap_or("–")));
            parts.push((error, Kind::Bad));
            let cause = format!("Cause: {}", clean(summary.cause.as_deref().unwrap_or("–")));
            parts.push((cause, Kind::Plain));
        }
        Header {
            lines: fold(parts, inner, rows.max(1)),
        }
    }

    /// Rows it needs with its border.
    fn height(&self) -> u16 {
        self.lines.len() as u16 + 2
    }

    fn render(self, stored: &StoredExecution, ui: &Ui, frame: &mut Frame, area: Rect) {
        let theme = ui.theme;
        let style = status_style(theme, stored.summary.status);
        let head: Vec<Line> = self
            .lines
            .into_iter()
            .map(|(text, kind)| match kind {
                Kind::Status => Line::from(Span::styled(text, style)),
                Kind::Bad => Line::from(Span::styled(text, theme.bad())),
                Kind::Plain => Line::from(text),
            })
            .collect();
        frame.render_widget(Paragraph::new(head).block(block(theme, "Execution")), area);
    }
}

/// The header's parts folded to `inner` columns in at most `rows` rows: whole when they
/// fit; else each part but the last cut to one row, the last given what is left.
fn fold(parts: Vec<(String, Kind)>, inner: usize, rows: usize) -> Vec<(String, Kind)> {
    let folded: Vec<(Vec<String>, Kind)> = parts
        .iter()
        .map(|(text, kind)| (wrap_words(text, inner), *kind))
        .collect();
    if folded.iter().map(|(l, _)| l.len()).sum::<usize>() <= rows {
        return folded
            .into_iter()
            .flat_map(|(lines, kind)| lines.into_iter().map(move |l| (l, kind)))
            .collect();
    }
    let last = parts.len().saturating_sub(1);
    let mut out: Vec<(String, Kind)> = parts[..last]
        .iter()
        .map(|(text, kind)| (shorten(text, inner), *kind))
        .collect();
    out.truncate(rows.saturating_sub(1).max(1));
    if let Some((lines, kind)) = folded.get(last).filter(|_| last > 0) {
        let room = rows.saturating_sub(out.len()).max(1);
        let mut kept: Vec<String> = lines.iter().take(room).cloned().collect();
        if lines.len() > room
            && let Some(end) = kept.last_mut()
        {
            *end = shorten(&format!("{end} …"), inner);
        }
        out.extend(kept.into_iter().map(|l| (l, *kind)));
    }
    out
}

/// The state machine with the path taken; boxes when they fit, else one line a state.
fn render_graph(state: &DetailState, loaded: &Opened, ui: &Ui, frame: &mut Frame, area: Rect) {
    let inner = (
        area.width.saturating_sub(2) as usize,
        area.height.saturating_sub(2) as usize,
    );
    let (lines, scroll, _) = graph_view(state, loaded, inner, Some(ui.theme));
    let title = if state.pane == Pane::States {
        "States ▸ (j/k)"
    } else {
        "States"
    };
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll as u16, 0))
            .block(block(ui.theme, title)),
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
fn render_data(state: &DetailState, ui: &Ui, frame: &mut Frame, in_area: Rect, out_area: Rect) {
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
