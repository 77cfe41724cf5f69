//! Screen 2, Register: the form, inline problems from checkInformation's rules, the
//! workflow's states lighting up while it runs, then the outcome in staff's words.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use serde_json::Value;

use crate::console::action::Action;
use crate::console::app::edit;
use crate::console::form::{FIELDS, Field, FieldKind, FormValues, WEEKDAYS, field_for_problem};
use crate::console::graph::{self, Mark};
use crate::console::keymap::Context;
use crate::console::theme::Theme;
use crate::console::ui::Ui;
use crate::console::widgets::{block, status_span};
use crate::registration::{Outcome, Problem, check_information};
use crate::text::clean;
use crate::workflow::history::passed::Route;
use crate::workflow::{ExecutionStatus, HistoryEvent, StateKind, StateMachine, StateView};

/// The registration workflow's states in drawing order, for live progress.
#[derive(Debug, Clone, Default)]
pub struct Workflow {
    pub states: Vec<StateView>,
    /// Indices into `states`, in drawing order.
    pub order: Vec<usize>,
}

impl Workflow {
    pub fn of(machine: &StateMachine) -> Workflow {
        let states = machine.states();
        let order = graph::order(&states, machine.start_at());
        Workflow { states, order }
    }
}

/// One submission: the states it went through so far, then how it ended.
#[derive(Debug, Clone, Default)]
pub struct Run {
    pub route: Route,
    pub outcome: Option<Outcome>,
    pub error: Option<String>,
}

impl Run {
    /// How the run stands: running until its outcome (or the reason it could not run) is in.
    fn status(&self) -> ExecutionStatus {
        match (&self.outcome, &self.error) {
            (Some(outcome), _) => outcome.execution.status,
            (None, Some(_)) => ExecutionStatus::Failed,
            (None, None) => ExecutionStatus::Running,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct RegisterState {
    pub values: FormValues,
    /// The field with the keyboard; `None` when staff left the form.
    pub focus: Option<usize>,
    pub day_cursor: usize,
    pub problems: Vec<Problem>,
    /// Where typing goes in the focused text field, in characters; `None` is the end.
    pub caret: Option<usize>,
    /// After a first submit the form re-checks on every change.
    pub checked: bool,
    pub run: Option<Run>,
    /// The workflow a submission runs through.
    pub workflow: Workflow,
    /// Staff changed the form since it was last submitted, emptied or loaded: quitting
    /// or emptying it asks first.
    pub edited: bool,
}

impl RegisterState {
    pub fn context(&self) -> Context {
        match self.focus.map(|i| FIELDS[i].kind) {
            Some(FieldKind::Text(_)) => Context::RegisterText,
            Some(FieldKind::Days) => Context::RegisterDays,
            Some(FieldKind::Submit) => Context::RegisterButton,
            None if self.outcome_name().is_some() => Context::RegisterOutcome,
            None => Context::RegisterIdle,
        }
    }

    pub fn running(&self) -> bool {
        self.run
            .as_ref()
            .is_some_and(|r| r.outcome.is_none() && r.error.is_none())
    }

    pub fn focused_text(&mut self) -> Option<&mut String> {
        let i = self.focus?;
        matches!(FIELDS[i].kind, FieldKind::Text(_)).then(|| &mut self.values.text[i])
    }

    /// Changes the focused text field and its caret with `change` (nothing when no text
    /// field has the keyboard); the form now holds something not submitted.
    pub fn edit_text(&mut self, change: impl FnOnce(&mut String, &mut Option<usize>)) {
        let Some(i) = self
            .focus
            .filter(|&i| matches!(FIELDS[i].kind, FieldKind::Text(_)))
        else {
            return;
        };
        let before = self.values.text[i].clone();
        change(&mut self.values.text[i], &mut self.caret);
        if self.values.text[i] != before {
            self.edited = true;
        }
    }

    /// The keyboard comes to the form: on the field it was on, else the first.
    pub fn enter(&mut self) {
        self.focus = Some(self.focus.unwrap_or(0));
    }

    fn move_caret(&mut self, action: Action) {
        let edit = edit::caret_move(action);
        self.edit_text(|text, caret| edit::apply(text, caret, edit));
    }

    pub fn apply(&mut self, action: Action) {
        let len = FIELDS.len();
        let in_text = self.context() == Context::RegisterText;
        if in_text
            && matches!(
                action,
                Action::Left | Action::Right | Action::Top | Action::Bottom
            )
        {
            self.move_caret(action);
            return;
        }
        if matches!(
            action,
            Action::NextField | Action::PrevField | Action::EditForm | Action::Back
        ) {
            self.caret = None;
        }
        match action {
            Action::NextField => self.focus = Some(self.focus.map_or(0, |i| (i + 1) % len)),
            Action::PrevField => self.focus = Some(self.focus.map_or(0, |i| (i + len - 1) % len)),
            Action::Back => self.focus = None,
            Action::Left => self.day_cursor = (self.day_cursor + 6) % 7,
            Action::Right => self.day_cursor = (self.day_cursor + 1) % 7,
            Action::Toggle => {
                self.values.days[self.day_cursor] = !self.values.days[self.day_cursor];
                self.edited = true;
            }
            Action::EditForm => self.focus = Some(0),
            Action::NewForm => {
                *self = RegisterState {
                    focus: Some(0),
                    workflow: std::mem::take(&mut self.workflow),
                    ..Default::default()
                };
            }
            _ => {}
        }
    }

    /// Checks the form; on success starts a run and returns the document to submit,
    /// otherwise keeps the problems and returns how many there are.
    pub fn submit(&mut self, today: NaiveDate) -> Result<Value, usize> {
        let document = self.values.document();
        self.checked = true;
        match check_information(document.clone(), today) {
            Ok(_) => {
                self.problems.clear();
                self.run = Some(Run::default());
                self.focus = None;
                self.edited = false;
                Ok(document)
            }
            Err(problems) => {
                self.focus = problems
                    .first()
                    .and_then(|p| field_for_problem(&p.field))
                    .or(self.focus);
                let count = problems.len();
                self.problems = problems;
                Err(count)
            }
        }
    }

    /// After an edit, once staff have tried to submit, the problems follow the form.
    pub fn recheck(&mut self, today: NaiveDate) {
        if self.checked {
            self.problems = check_information(self.values.document(), today)
                .err()
                .unwrap_or_default();
        }
    }

    pub fn load(&mut self, document: &Value, today: NaiveDate) {
        self.values = FormValues::from_document(document);
        self.edited = false;
        self.run = None;
        self.checked = false;
        self.problems.clear();
        self.focus = FIELDS.iter().position(|f| f.kind == FieldKind::Submit);
        let _ = today;
    }

    pub fn progress(&mut self, event: &HistoryEvent) {
        if let Some(run) = self.run.as_mut() {
            run.route.record(event);
        }
    }

    /// The run ended; returns the news for the status line (Err when it is bad news).
    pub fn finish(&mut self, result: Result<Box<Outcome>, String>) -> Result<String, String> {
        let run = self.run.get_or_insert_with(Run::default);
        match result {
            Ok(outcome) => {
                let child = clean(&outcome.child);
                let news = if outcome.succeeded() {
                    Ok(format!("{child} is registered. Enter opens the execution."))
                } else if crate::registration::refused_for_spots(&outcome.execution) {
                    Err(format!(
                        "{child} was not registered: no spot. W puts them on the waitlist."
                    ))
                } else {
                    Err(format!(
                        "{child} was not registered. Enter opens the execution."
                    ))
                };
                run.outcome = Some(*outcome);
                news
            }
            Err(error) => {
                run.error = Some(error.clone());
                // Nothing was kept: the form is still the only copy.
                self.edited = true;
                Err(format!("The registration could not run: {error}"))
            }
        }
    }

    pub fn outcome_name(&self) -> Option<String> {
        self.run
            .as_ref()?
            .outcome
            .as_ref()
            .map(|o| o.execution.name.clone())
    }

    /// The last submission's execution, when it was refused for want of spots (it can
    /// go on the waitlist).
    pub fn refused_for_spots(&self) -> Option<String> {
        let outcome = self.run.as_ref()?.outcome.as_ref()?;
        crate::registration::refused_for_spots(&outcome.execution)
            .then(|| outcome.execution.name.clone())
    }

    fn problem_for(&self, index: usize) -> Option<&Problem> {
        self.problems
            .iter()
            .find(|p| field_for_problem(&p.field) == Some(index))
    }
}

/// Draws the form beside the workflow's progress; returns where the caret is when a
/// text field has the focus.
pub fn render(state: &RegisterState, ui: &Ui, frame: &mut Frame, body: Rect) -> Option<Position> {
    let [form_area, side] =
        Layout::horizontal([Constraint::Percentage(62), Constraint::Min(28)]).areas(body);
    let caret = render_form(state, ui.theme, frame, form_area);
    render_run(state, ui, frame, side);
    caret
}

/// Label column of the form, the focus marker included.
const LABEL_WIDTH: usize = 20;

/// The heading above field `index`, where a group of fields starts.
fn heading_before(index: usize) -> Option<&'static str> {
    match index {
        0 => Some("Child"),
        3 => Some("Mother (may be left empty)"),
        7 => Some("Father (may be left empty)"),
        _ => None,
    }
}

fn render_form(
    state: &RegisterState,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
) -> Option<Position> {
    let inner_width = area.width.saturating_sub(2) as usize;
    // The box takes the width the panel has, less room for a problem's mark beside it.
    let value_width = inner_width.saturating_sub(LABEL_WIDTH + 4).max(12);
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor: Option<Position> = None;
    for (i, field) in FIELDS.iter().enumerate() {
        if let Some(heading) = heading_before(i) {
            lines.push(Line::from(Span::styled(heading, theme.title())));
        }
        let (line, caret) = field_line(state, theme, i, field, value_width, inner_width);
        if let Some(column) = caret {
            cursor = Some(Position::new(
                area.x + 2 + LABEL_WIDTH as u16 + column as u16,
                area.y + 1 + lines.len() as u16,
            ));
        }
        lines.push(line);
    }
    let message_at = area.y + 1 + lines.len() as u16;
    let title = if state.focus.is_some() {
        "Register a child"
    } else {
        "Register a child (e or Tab to edit)"
    };
    frame.render_widget(Paragraph::new(lines).block(block(theme, title)), area);
    let below = Rect::new(
        area.x + 2,
        message_at,
        area.width.saturating_sub(4),
        area.bottom().saturating_sub(message_at + 1),
    );
    render_problem(state, theme, frame, below);
    cursor
}

/// One field's line: its label, its value (a text box, the weekdays or the button) and
/// its problem if it has one; with the caret's column in the text box when focused.
fn field_line(
    state: &RegisterState,
    theme: &Theme,
    index: usize,
    field: &Field,
    value_width: usize,
    line_width: usize,
) -> (Line<'static>, Option<usize>) {
    let focused = state.focus == Some(index);
    let marker = if focused { "▸ " } else { "  " };
    let label = format!("{marker}{}", crate::text::pad(field.label, LABEL_WIDTH - 2));
    let mut spans = vec![Span::styled(
        label,
        if focused { theme.focus() } else { theme.dim() },
    )];
    let mut caret = None;
    match field.kind {
        FieldKind::Text(_) => {
            let (text, column) = text_box(state, index, value_width);
            caret = focused.then_some(column);
            let style = if focused {
                theme.focus()
            } else {
                ratatui::style::Style::new()
            };
            spans.push(Span::styled(text, style));
        }
        FieldKind::Days => {
            spans.push(Span::raw(" "));
            spans.extend(day_toggles(state, theme, focused));
        }
        FieldKind::Submit => {
            let style = if focused {
                theme.selected()
            } else {
                theme.key()
            };
            spans.push(Span::styled("[ Submit registration ]", style));
        }
    }
    // The problem beside its field ends at a word; its whole text is shown below the form.
    if let Some(problem) = state.problem_for(index) {
        let used: usize = spans.iter().map(|s| s.width()).sum();
        let room = line_width.saturating_sub(used + 3);
        let text = crate::console::widgets::shorten(&problem.message, room);
        spans.push(Span::styled(format!(" ✗ {text}"), theme.bad()));
    }
    (Line::from(spans), caret)
}

/// A text field's box, `[value]`, showing the part around the caret; and the caret's column.
fn text_box(state: &RegisterState, index: usize, value_width: usize) -> (String, usize) {
    let value = clean(&state.values.text[index]);
    if state.focus != Some(index) {
        // Not being edited: the start of the value, with an ellipsis when it is longer.
        let shown = crate::text::fit(&value, value_width - 1);
        return (
            format!("[{}]", crate::text::pad(&shown, value_width - 1)),
            0,
        );
    }
    let chars: Vec<char> = value.chars().collect();
    let caret = state.caret.map_or(chars.len(), |c| c.min(chars.len()));
    let (shown, column) = field_window(&chars, caret, value_width - 1);
    (
        format!("[{}]", crate::text::pad(&shown, value_width - 1)),
        column,
    )
}

/// The seven weekday toggles, ■ on and □ off, the one under the cursor shown selected.
fn day_toggles(state: &RegisterState, theme: &Theme, focused: bool) -> Vec<Span<'static>> {
    week_toggles(&state.values.days, state.day_cursor, theme, focused)
}

/// Weekday toggles for `days` (Monday first), the one at `cursor` selected when
/// `focused`: the form's, and the amendment's.
pub fn week_toggles(
    days: &[bool; 7],
    cursor: usize,
    theme: &Theme,
    focused: bool,
) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    for (d, day) in WEEKDAYS.iter().enumerate() {
        let on = days[d];
        let text = format!("{}{}", if on { "■" } else { "□" }, &day.to_string()[..2]);
        let style = if focused && cursor == d {
            theme.selected()
        } else if on {
            theme.ok()
        } else {
            theme.dim()
        };
        spans.push(Span::styled(text, style));
        spans.push(Span::raw(" "));
    }
    spans
}

/// The whole message of the focused field's problem (or the first), which may not fit beside it.
fn render_problem(state: &RegisterState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let shown = state
        .focus
        .and_then(|i| state.problem_for(i))
        .or(state.problems.first());
    if let Some(problem) = shown {
        let text = Span::styled(format!("✗ {}", clean(&problem.message)), theme.bad());
        frame.render_widget(
            Paragraph::new(Line::from(text)).wrap(Wrap { trim: true }),
            area,
        );
    }
}

fn render_run(state: &RegisterState, ui: &Ui, frame: &mut Frame, area: Rect) {
    let theme = ui.theme;
    let mut lines: Vec<Line> = Vec::new();
    match &state.run {
        None => {
            lines.push(Line::from("Fill in the form, then Submit"));
            lines.push(Line::from("(Ctrl-S from any field)."));
            lines.push(Line::from(""));
            lines.push(Line::from("Ctrl-O fills it from a JSON file."));
            lines.push(Line::from(""));
            lines.push(Line::from(format!(
                "Registrations start {}.",
                ui.start_date
            )));
        }
        Some(run) => {
            progress_lines(&state.workflow, run, ui, &mut lines);
            lines.push(Line::from(""));
            if let Some(outcome) = &run.outcome {
                outcome_lines(theme, outcome, &mut lines);
            } else if let Some(error) = &run.error {
                lines.push(Line::from(Span::styled("✗ Could not run", theme.bad())));
                lines.push(Line::from(clean(error)));
            } else {
                lines.push(Line::from(Span::styled("Running…", theme.running())));
            }
        }
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(theme, "Workflow")),
        area,
    );
}

/// The workflow's tasks and the states the run reached, each with its mark; the state
/// running now spins.
fn progress_lines(workflow: &Workflow, run: &Run, ui: &Ui, lines: &mut Vec<Line<'static>>) {
    let theme = ui.theme;
    let marks = graph::marks(&workflow.states, &run.route, run.status());
    for &i in &workflow.order {
        let state = &workflow.states[i];
        let mark = marks[i];
        let shown =
            matches!(state.kind, StateKind::Task | StateKind::Succeed) || mark != Mark::Untouched;
        if shown && state.kind != StateKind::Choice {
            let symbol = if mark == Mark::Running {
                ["◐", "◓", "◑", "◒"][ui.tick % 4]
            } else {
                mark.symbol()
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{symbol} "), mark.style(theme)),
                Span::styled(clean(&state.name), mark.style(theme)),
            ]));
        }
    }
}

fn outcome_lines(theme: &Theme, outcome: &Outcome, lines: &mut Vec<Line<'static>>) {
    lines.push(Line::from(vec![
        status_span(theme, outcome.execution.status),
        Span::raw(format!("  {}", clean(&outcome.child))),
    ]));
    if outcome.succeeded() {
        if let Some(age) = outcome.age {
            lines.push(Line::from(format!("Age         {age}")));
        }
        if let Some(fees) = outcome.fees {
            lines.push(Line::from(format!("Fees        {fees}")));
        }
        if let Some(start) = outcome.start_date {
            lines.push(Line::from(format!("Start date  {start}")));
        }
    } else {
        if let Some(error) = &outcome.execution.error {
            lines.push(Line::from(Span::styled(clean(error), theme.bad())));
        }
        if let Some(cause) = &outcome.execution.cause {
            lines.push(Line::from(clean(cause)));
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        if crate::registration::refused_for_spots(&outcome.execution) {
            "W: put on the waitlist  Enter: open the execution  n: new"
        } else {
            "Enter: open the execution  n: new"
        },
        theme.dim(),
    )));
}

/// What a text field shows of its value in `columns` display columns, keeping the caret
/// (a character index) in view (at the end it sits on the field's closing bracket): the
/// shown text and the caret's column in it. Wide letters take two columns.
pub fn field_window(chars: &[char], caret: usize, columns: usize) -> (String, usize) {
    let width = |c: &char| unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
    let caret = caret.min(chars.len());
    let mut start = caret;
    let mut before = 0;
    while start > 0 && before + width(&chars[start - 1]) <= columns {
        start -= 1;
        before += width(&chars[start]);
    }
    let mut shown = String::new();
    let mut used = 0;
    for c in &chars[start..] {
        if used + width(c) > columns {
            break;
        }
        used += width(c);
        shown.push(*c);
    }
    (shown, before)
}

#[cfg(test)]
mod tests {
    use super::field_window;

    #[test]
    fn a_field_shows_wide_letters_by_columns_with_the_caret_in_view() {
        let chars: Vec<char> = "李小龙李小龙".chars().collect();
        let (shown, caret) = field_window(&chars, chars.len(), 7);
        assert_eq!((shown.as_str(), caret), ("李小龙", 6));
        assert!(crate::text::width(&shown) <= 7);
        let (shown, caret) = field_window(&chars, 0, 7);
        assert_eq!((shown.as_str(), caret), ("李小龙", 0));
        let ascii: Vec<char> = "abcdef".chars().collect();
        assert_eq!(field_window(&ascii, 6, 4), ("cdef".to_string(), 4));
        assert_eq!(field_window(&ascii, 2, 4), ("abcd".to_string(), 2));
    }
}
