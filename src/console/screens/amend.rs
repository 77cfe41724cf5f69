//! Changing a child's record (`e` on the record): a form over it, filled from the record,
//! with the days, each parent's names, phone and email, and the special instructions.
//! Saving hands on only what changed, by the registration document's field names; the
//! desk runs it as an amendment. Text edits as in the Register form (`app/edit.rs`).

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use serde_json::{Map, Value};

use crate::console::action::Action;
use crate::console::app::edit::{self, Caret};
use crate::console::form::WEEKDAYS;
use crate::console::keymap::Context;
use crate::console::screens::register::{field_window, week_toggles};
use crate::console::theme::Theme;
use crate::console::widgets::{block, wrap_words};
use crate::registration::document::{self, Parent};
use crate::text::{clean, pad};

/// Which part of a parent a text field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    FirstName,
    LastName,
    Phone,
    Email,
}

/// What a text field of the form changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    /// The parent at this index of the record's parents.
    Parent(usize, Part),
    Instructions,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextField {
    pub label: String,
    pub holds: Holds,
    pub value: String,
}

/// Where the keyboard is in the form: the days (0), a text field (1..), the button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Days,
    Text(usize),
    Save,
}

#[derive(Debug, Clone)]
pub struct AmendState {
    /// The registration changed.
    pub id: i64,
    /// "First Last", for the title and the news.
    pub child: String,
    pub days: [bool; 7],
    pub fields: Vec<TextField>,
    /// Position in Tab order: 0 the days, then the text fields, then Save.
    pub focus: usize,
    pub day_cursor: usize,
    /// Where typing goes in the focused text field; `None` is the end.
    pub caret: Caret,
    /// Why the last save was refused, in plain words; the values stay as typed.
    pub error: Option<String>,
    /// A save is running.
    pub saving: bool,
    /// The record's parents as kept: what the changed parents are built from.
    parents: Vec<Parent>,
    /// The days and texts as the record had them.
    before_days: [bool; 7],
    before_texts: Vec<String>,
}

impl AmendState {
    /// The form of a record: the registration `id` of `child`, its days and its document.
    pub fn of(
        id: i64,
        child: String,
        days: &[chrono::Weekday],
        doc: &document::Registration,
    ) -> Self {
        let mut on = [false; 7];
        for day in days {
            on[day.num_days_from_monday() as usize] = true;
        }
        let mut fields = Vec::new();
        for (i, parent) in doc.parents.iter().enumerate() {
            let role = clean(&parent.role);
            let mut role_title: String = role.clone();
            if let Some(first) = role_title.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            for (part, word, value) in [
                (Part::FirstName, "first name", &parent.first_name),
                (Part::LastName, "last name", &parent.last_name),
                (Part::Phone, "phone", &parent.phone),
                (Part::Email, "email", &parent.email),
            ] {
                fields.push(TextField {
                    label: format!("{role_title} {word}"),
                    holds: Holds::Parent(i, part),
                    value: value.clone().unwrap_or_default(),
                });
            }
        }
        fields.push(TextField {
            label: "Instructions".into(),
            holds: Holds::Instructions,
            value: doc.instructions.clone().unwrap_or_default(),
        });
        let before_texts = fields.iter().map(|f| f.value.clone()).collect();
        AmendState {
            id,
            child,
            days: on,
            fields,
            focus: 0,
            day_cursor: 0,
            caret: None,
            error: None,
            saving: false,
            parents: doc.parents.clone(),
            before_days: on,
            before_texts,
        }
    }

    fn slots(&self) -> usize {
        self.fields.len() + 2
    }

    pub fn slot(&self) -> Slot {
        match self.focus {
            0 => Slot::Days,
            n if n <= self.fields.len() => Slot::Text(n - 1),
            _ => Slot::Save,
        }
    }

    /// Which key table answers in the form.
    pub fn context(&self) -> Context {
        match self.slot() {
            Slot::Days => Context::AmendDays,
            Slot::Text(_) => Context::AmendText,
            Slot::Save => Context::AmendButton,
        }
    }

    /// Something typed or toggled differs from the record.
    pub fn edited(&self) -> bool {
        self.days != self.before_days
            || self
                .fields
                .iter()
                .zip(&self.before_texts)
                .any(|(f, before)| f.value != *before)
    }

    /// Changes the focused text field with `change` (nothing when no text field has the
    /// keyboard).
    pub fn edit_text(&mut self, change: impl FnOnce(&mut String, &mut Caret)) {
        if let Slot::Text(i) = self.slot()
            && let Some(field) = self.fields.get_mut(i)
        {
            change(&mut field.value, &mut self.caret);
        }
    }

    /// Moves through the form, toggles a day, moves the caret.
    pub fn apply(&mut self, action: Action) {
        let in_text = matches!(self.slot(), Slot::Text(_));
        match action {
            Action::Left | Action::Right | Action::Top | Action::Bottom if in_text => {
                let edit = edit::caret_move(action);
                self.edit_text(|text, caret| edit::apply(text, caret, edit));
            }
            Action::NextField | Action::Down => {
                self.focus = (self.focus + 1) % self.slots();
                self.caret = None;
            }
            Action::PrevField | Action::Up => {
                self.focus = (self.focus + self.slots() - 1) % self.slots();
                self.caret = None;
            }
            Action::Left => self.day_cursor = (self.day_cursor + 6) % 7,
            Action::Right => self.day_cursor = (self.day_cursor + 1) % 7,
            Action::Toggle if self.slot() == Slot::Days => {
                self.days[self.day_cursor] = !self.days[self.day_cursor];
            }
            Action::ClearField => self.edit_text(|text, caret| {
                text.clear();
                *caret = None;
            }),
            _ => {}
        }
    }

    /// What to hand the desk: only the fields that changed, by the document's names
    /// (`daysOfWeek` as day names, `parents` whole by role, `specialInstructions` null
    /// when emptied). `Err` says why there is nothing to save.
    pub fn changes(&self) -> Result<Map<String, Value>, String> {
        let mut changes = Map::new();
        if self.days != self.before_days {
            let days: Vec<Value> = WEEKDAYS
                .iter()
                .zip(self.days)
                .filter(|(_, on)| *on)
                .map(|(day, _)| Value::String(crate::weekday::name(*day).to_string()))
                .collect();
            changes.insert("daysOfWeek".into(), Value::Array(days));
        }
        let changed = |holds: &dyn Fn(&Holds) -> bool| {
            self.fields
                .iter()
                .zip(&self.before_texts)
                .any(|(f, before)| holds(&f.holds) && f.value != *before)
        };
        if changed(&|h| matches!(h, Holds::Parent(..))) {
            changes.insert("parents".into(), Value::Object(self.parents_object()?));
        }
        if changed(&|h| *h == Holds::Instructions) {
            let text = self
                .fields
                .iter()
                .find(|f| f.holds == Holds::Instructions)
                .map(|f| f.value.trim().to_string())
                .unwrap_or_default();
            let value = if text.is_empty() {
                Value::Null
            } else {
                Value::String(text)
            };
            changes.insert("specialInstructions".into(), value);
        }
        if changes.is_empty() {
            return Err("Nothing to save: nothing was changed. Esc closes the form.".into());
        }
        Ok(changes)
    }

    /// Every parent by role, as the record has them with what was typed (an emptied
    /// field is left out); fields the form does not show are kept.
    fn parents_object(&self) -> Result<Map<String, Value>, String> {
        let mut parents = self.parents.clone();
        for field in &self.fields {
            let Holds::Parent(i, part) = field.holds else {
                continue;
            };
            let Some(parent) = parents.get_mut(i) else {
                continue;
            };
            let value = field.value.trim();
            let value = (!value.is_empty()).then(|| value.to_string());
            match part {
                Part::FirstName => parent.first_name = value,
                Part::LastName => parent.last_name = value,
                Part::Phone => parent.phone = value,
                Part::Email => parent.email = value,
            }
        }
        let mut object = Map::new();
        for parent in parents {
            let value = serde_json::to_value(&parent)
                .map_err(|e| format!("The parents cannot be written: {e}"))?;
            object.insert(parent.role.clone(), value);
        }
        Ok(object)
    }
}

/// Label column, the focus marker included.
const LABEL: usize = 22;

/// Draws the form over `body`; returns where the caret is when a text field has it.
pub fn render(
    state: &AmendState,
    theme: &Theme,
    frame: &mut Frame,
    body: Rect,
) -> Option<Position> {
    let width = body.width.min(78);
    let inner_width = width.saturating_sub(2) as usize;
    let value_width = inner_width.saturating_sub(LABEL + 1).max(8);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut caret = None;
    lines.push(days_line(state, theme));
    for (i, field) in state.fields.iter().enumerate() {
        let focused = state.slot() == Slot::Text(i);
        let (text, column) = text_box(&field.value, focused, state.caret, value_width);
        if focused {
            caret = Some((lines.len(), LABEL + column));
        }
        lines.push(Line::from(vec![
            label(&field.label, focused, theme),
            Span::styled(text, if focused { theme.focus() } else { Style::new() }),
        ]));
    }
    let save = if state.saving {
        Span::styled("Saving… (the amendment is running)", theme.running())
    } else {
        let style = if state.slot() == Slot::Save {
            theme.selected()
        } else {
            theme.key()
        };
        Span::styled("[ Save changes ]", style)
    };
    lines.push(Line::from(vec![Span::raw(pad("", LABEL)), save]));
    if let Some(error) = &state.error {
        lines.extend(
            wrap_words(&format!("✗ {error}"), inner_width)
                .into_iter()
                .map(|l| Line::from(Span::styled(l, theme.bad()))),
        );
    }
    let height = (lines.len() as u16 + 2).min(body.height);
    let [row] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(body);
    let [area] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(row);
    let title = format!("Change {}'s record", clean(&state.child));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block(theme, title)), area);
    caret.and_then(|(line, column)| {
        let y = area.y + 1 + line as u16;
        (y < area.bottom().saturating_sub(1)).then(|| Position::new(area.x + 1 + column as u16, y))
    })
}

fn label(text: &str, focused: bool, theme: &Theme) -> Span<'static> {
    let marker = if focused { "▸ " } else { "  " };
    Span::styled(
        format!("{marker}{}", pad(&clean(text), LABEL - 2)),
        if focused { theme.focus() } else { theme.dim() },
    )
}

fn days_line(state: &AmendState, theme: &Theme) -> Line<'static> {
    let focused = state.slot() == Slot::Days;
    let mut spans = vec![label("Days", focused, theme)];
    spans.extend(week_toggles(&state.days, state.day_cursor, theme, focused));
    Line::from(spans)
}

/// A text field's box, `[value]`, showing the part around the caret when focused; and
/// the caret's column inside it.
fn text_box(value: &str, focused: bool, caret: Caret, width: usize) -> (String, usize) {
    let value = clean(value);
    let room = width.saturating_sub(2);
    if !focused {
        let shown = crate::text::fit(&value, room);
        return (format!("[{}]", pad(&shown, room)), 0);
    }
    let chars: Vec<char> = value.chars().collect();
    let at = caret.map_or(chars.len(), |c| c.min(chars.len()));
    let (shown, column) = field_window(&chars, at, room);
    (format!("[{}]", pad(&shown, room)), column + 1)
}
