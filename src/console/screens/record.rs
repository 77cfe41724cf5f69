//! A child's record, opened from the Children list: the special instructions first
//! (allergies are why staff open it), the child and their ages, the days, fees and
//! start date, the registration and the execution that enrolled them (Enter opens it),
//! the parents with every contact, and the record's changes. One function per pane;
//! the record is read on the worker and decoded once, when it arrives.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::console::action::Action;
use crate::console::theme::Theme;
use crate::console::ui::Ui;
use crate::console::widgets::{block, text_table, wrap_words};
use crate::registration::{document, rules};
use crate::store::{AuditEntry, Registration, RegistrationStatus};
use crate::text::{clean, pad};
use crate::workflow::ExecutionSummary;

/// One line of the record's change history: when, what, and who or what did it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub when: String,
    pub what: String,
    pub by: String,
}

/// A record as read: the registration as kept, its document decoded, and the summary
/// of the execution that enrolled the child (when it is still kept).
#[derive(Debug, Clone)]
pub struct Record {
    pub registration: Registration,
    /// The confirmed registration document, typed; why not, when it cannot be read.
    pub document: Result<document::Registration, String>,
    pub enrolled_by: Option<ExecutionSummary>,
}

#[derive(Debug, Clone)]
pub struct RecordState {
    /// The registration shown.
    pub id: i64,
    /// `None` while it is being read.
    pub loaded: Option<Record>,
    /// The record's change history as the Changes pane lists it: the enrolment (see
    /// `enrolment`), then the store's audit of this registration, newest first.
    pub changes: Vec<Change>,
    /// The audit entries of this registration, newest first, as the store read them.
    pub audit: Vec<AuditEntry>,
    /// Lines scrolled past.
    pub scroll: u16,
}

impl RecordState {
    pub fn new(id: i64) -> RecordState {
        RecordState {
            id,
            loaded: None,
            changes: Vec::new(),
            audit: Vec::new(),
            scroll: 0,
        }
    }

    /// The record as read: decoded here, once.
    pub fn load(&mut self, registration: Registration, enrolled_by: Option<ExecutionSummary>) {
        let info = document::inner(&registration.document);
        let parsed = match info {
            serde_json::Value::Object(object) => {
                document::Registration::from_object(object.clone())
            }
            _ => Err("the registration's document is not a JSON object".into()),
        };
        let record = Record {
            registration,
            document: parsed,
            enrolled_by,
        };
        self.loaded = Some(record);
        self.refold();
    }

    /// The store's audit of this registration (newest first), read with the record.
    pub fn set_audit(&mut self, entries: Vec<AuditEntry>) {
        self.audit = entries;
        self.refold();
    }

    /// The Changes pane's lines from the record and its audit.
    fn refold(&mut self) {
        let mut changes: Vec<Change> = self.loaded.iter().map(enrolment).collect();
        changes.extend(self.audit.iter().map(audited));
        self.set_changes(changes);
    }

    /// The change history the Changes pane lists, in its order.
    pub fn set_changes(&mut self, changes: Vec<Change>) {
        self.changes = changes;
    }

    /// A withdrawn child's record is read-only: nothing on it may be changed.
    pub fn read_only(&self) -> bool {
        self.loaded
            .as_ref()
            .is_some_and(|r| r.registration.status == RegistrationStatus::Withdrawn)
    }

    /// The execution that enrolled the child, to open.
    pub fn execution(&self) -> Option<&str> {
        self.loaded
            .as_ref()
            .map(|r| r.registration.execution_name.as_str())
    }

    /// A parent's phone, else email, to copy: (what it is, the value).
    pub fn contact(&self) -> Option<(String, String)> {
        let parents = self.loaded.as_ref()?.document.as_ref().ok()?;
        parents.parents.iter().find_map(|p| {
            let who = p.first_name.as_deref().unwrap_or(&p.role);
            [("phone", &p.phone), ("email", &p.email)]
                .into_iter()
                .find_map(|(what, value)| {
                    let value = value.as_deref()?.trim();
                    (!value.is_empty()).then(|| (format!("{}'s {what}", clean(who)), value.into()))
                })
        })
    }

    /// The motion keys scroll the record, stopping at its end; any other action only
    /// keeps the scroll within that end (after a resize, say).
    pub fn scroll(&mut self, action: Action, ui: &Ui, body: Rect) {
        let inner = inner(body);
        let total = u16::try_from(lines(self, ui, inner.width as usize).len()).unwrap_or(u16::MAX);
        let last = total.saturating_sub(inner.height);
        let page = inner.height.max(1);
        self.scroll = match action {
            Action::Down => self.scroll.saturating_add(1),
            Action::Up => self.scroll.saturating_sub(1),
            Action::PageDown => self.scroll.saturating_add(page),
            Action::PageUp => self.scroll.saturating_sub(page),
            Action::Top => 0,
            Action::Bottom => last,
            _ => self.scroll,
        }
        .min(last);
    }
}

/// The registration itself, as the first entry of its history.
pub fn enrolment(record: &Record) -> Change {
    let r = &record.registration;
    let when = record
        .enrolled_by
        .as_ref()
        .map(|e| {
            e.stop_date
                .unwrap_or(e.start_date)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|| "–".into());
    Change {
        when,
        what: format!("Enrolled by execution {}", r.execution_name),
        by: "–".into(),
    }
}

/// An audit entry as a line of the history: when (UTC), what, who.
pub fn audited(entry: &AuditEntry) -> Change {
    Change {
        when: entry.at.format("%Y-%m-%d %H:%M").to_string(),
        what: clean(&entry.summary),
        by: clean(&entry.staff),
    }
}

fn inner(body: Rect) -> Rect {
    block(&Theme::monochrome(), "").inner(body)
}

pub fn render(state: &RecordState, ui: &Ui, frame: &mut Frame, body: Rect) {
    let mut outer = block(ui.theme, title(state));
    let area = outer.inner(body);
    let lines = lines(state, ui, area.width as usize);
    // What is below the window is said on the border, so nothing is missed unseen.
    let below = lines
        .len()
        .saturating_sub(state.scroll as usize + area.height as usize);
    if below > 0 {
        outer = outer.title_bottom(Span::styled(
            format!(
                " {below} more line{} below: j scrolls ",
                if below == 1 { "" } else { "s" }
            ),
            ui.theme.key(),
        ));
    }
    frame.render_widget(outer, body);
    frame.render_widget(Paragraph::new(lines).scroll((state.scroll, 0)), area);
}

/// "Record of Mohamed Diallo · registration 12 · enrolled".
fn title(state: &RecordState) -> String {
    match &state.loaded {
        None => format!("Record of registration {}", state.id),
        Some(record) => {
            let r = &record.registration;
            format!(
                "Record of {} · registration {} · {}",
                clean(&format!("{} {}", r.first_name, r.last_name)),
                r.id,
                status_word(r.status)
            )
        }
    }
}

fn status_word(status: RegistrationStatus) -> &'static str {
    match status {
        RegistrationStatus::Enrolled => "enrolled",
        RegistrationStatus::Withdrawn => "WITHDRAWN",
    }
}

/// Every pane's lines, top to bottom, at `width` columns.
pub fn lines(state: &RecordState, ui: &Ui, width: usize) -> Vec<Line<'static>> {
    let Some(record) = &state.loaded else {
        return vec![Line::from(Span::styled(
            "Reading the record…",
            ui.theme.running(),
        ))];
    };
    let theme = ui.theme;
    let mut out = alerts(record, theme, width);
    out.push(Line::from(""));
    out.extend(child(record, ui, width));
    out.extend(attendance(record, width));
    out.extend(registration(record, width));
    out.push(Line::from(""));
    out.extend(parents(record, theme, width));
    out.push(Line::from(""));
    out.extend(changes(&state.changes, theme, width));
    out
}

/// A withdrawn record's banner, then the special instructions, folded, never cut.
fn alerts(record: &Record, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let r = &record.registration;
    let reason = r
        .withdraw_reason
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| format!(": {t}"))
        .unwrap_or_default();
    if r.status == RegistrationStatus::Withdrawn {
        out.push(Line::from(Span::styled(
            "WITHDRAWN · this record is read-only",
            theme.bad().add_modifier(ratatui::style::Modifier::REVERSED),
        )));
        if let Some(on) = r.leaves_on {
            out.extend(
                wrap_words(&format!("Left on {on}{reason}"), width)
                    .into_iter()
                    .map(|l| Line::from(Span::styled(l, theme.bad()))),
            );
        }
    } else if let Some(on) = r.leaves_on {
        out.extend(
            wrap_words(&format!("Leaves on {on}{reason}"), width)
                .into_iter()
                .map(|l| Line::from(Span::styled(l, theme.running()))),
        );
    }
    let instructions = record
        .document
        .as_ref()
        .ok()
        .and_then(|d| d.instructions.as_deref())
        .map(str::trim)
        .filter(|t| !t.is_empty());
    match instructions {
        Some(text) => {
            out.push(Line::from(Span::styled(
                "Special instructions",
                theme.bad(),
            )));
            out.extend(
                wrap_words(text, width.saturating_sub(2))
                    .into_iter()
                    .map(|l| Line::from(Span::styled(format!("  {l}"), theme.title()))),
            );
        }
        None => out.push(Line::from(Span::styled(
            "No special instructions.",
            theme.dim(),
        ))),
    }
    out
}

/// Labels line up at this width.
const LABEL: usize = 13;

/// `label` then `value`, the value folded under itself when it is long.
fn field(label: &str, value: &str, style: Style, width: usize) -> Vec<Line<'static>> {
    wrap_words(value, width.saturating_sub(LABEL).max(10))
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let head = if i == 0 { label } else { "" };
            Line::from(vec![
                Span::styled(pad(head, LABEL), Style::new()),
                Span::styled(text, style),
            ])
        })
        .collect()
}

/// The child: name, date of birth, age today and on the start date, and (enrolled, so
/// holding a spot) ageing out.
fn child(record: &Record, ui: &Ui, width: usize) -> Vec<Line<'static>> {
    let r = &record.registration;
    let born = r.date_of_birth;
    let mut out = field(
        "Child",
        &format!("{} {}, born {born}", r.first_name, r.last_name),
        ui.theme.title(),
        width,
    );
    out.extend(field(
        "Age",
        &format!(
            "{} today · {} on the start date, {}",
            rules::age_on(born, ui.today),
            rules::age_on(born, r.start_date),
            r.start_date
        ),
        Style::new(),
        width,
    ));
    let enrolled = r.status == RegistrationStatus::Enrolled;
    if let Some(day) = rules::ages_out(born, ui.today).filter(|_| enrolled) {
        out.extend(field(
            "Ages out",
            &ages_out_words(day, ui.today),
            ui.theme.running(),
            width,
        ));
    }
    out
}

/// "Turns 6 on 2026-10-20, in 49 days: the spot frees then."
fn ages_out_words(day: NaiveDate, today: NaiveDate) -> String {
    let days = (day - today).num_days();
    let when = match days {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        n => format!("in {n} days"),
    };
    format!("Turns 6 on {day}, {when}: the spot frees then.")
}

/// Days, fees and start date.
fn attendance(record: &Record, width: usize) -> Vec<Line<'static>> {
    let r = &record.registration;
    let mut out = field(
        "Days",
        &crate::weekday::listed(&r.days),
        Style::new(),
        width,
    );
    out.extend(field(
        "Fees",
        &format!("{} a month, from {}", r.fees, r.start_date),
        Style::new(),
        width,
    ));
    out
}

/// The registration's id and status, and the execution that enrolled the child.
fn registration(record: &Record, width: usize) -> Vec<Line<'static>> {
    let r = &record.registration;
    let mut out = field(
        "Registration",
        &format!("{} · {}", r.id, status_word(r.status)),
        Style::new(),
        width,
    );
    let on = record
        .enrolled_by
        .as_ref()
        .map(|e| format!(" on {}", e.stop_date.unwrap_or(e.start_date).date_naive()))
        .unwrap_or_default();
    out.extend(field(
        "Enrolled",
        format!("{on} by execution {}", r.execution_name).trim_start(),
        Style::new(),
        width,
    ));
    if let Err(reason) = &record.document {
        out.extend(field(
            "Document",
            &format!("cannot be read: {reason}"),
            Style::new(),
            width,
        ));
    }
    out
}

/// Every parent with every contact, one row each.
fn parents(record: &Record, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let mut out = vec![Line::from(Span::styled("Parents", theme.title()))];
    let Ok(document) = &record.document else {
        out.push(Line::from("  The parents cannot be read from this record."));
        return out;
    };
    if document.parents.is_empty() {
        out.push(Line::from("  No parent is on file."));
        return out;
    }
    let dash = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .unwrap_or("–")
            .to_string()
    };
    let rows: Vec<Vec<String>> = document
        .parents
        .iter()
        .map(|p| {
            let name = [&p.first_name, &p.last_name]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(" ");
            vec![p.role.clone(), name, dash(&p.phone), dash(&p.email)]
        })
        .collect();
    out.extend(text_table(
        &["Role", "Name", "Phone", "Email"],
        &rows,
        theme.dim(),
        width,
    ));
    out
}

/// The change history as a table: when, what (folded at words, never cut: the reason
/// of a withdrawal is why staff look) and who; empty, it says so.
fn changes(changes: &[Change], theme: &Theme, width: usize) -> Vec<Line<'static>> {
    const GAP: &str = "  ";
    let mut out = vec![Line::from(Span::styled("Changes", theme.title()))];
    if changes.is_empty() {
        out.push(Line::from("  No changes yet."));
        return out;
    }
    let widest = |cells: &mut dyn Iterator<Item = &str>, at_least: &str| {
        cells
            .map(crate::text::width)
            .chain([crate::text::width(at_least)])
            .max()
            .unwrap_or(0)
    };
    let when_w = widest(&mut changes.iter().map(|c| c.when.as_str()), "When");
    let by_w = widest(&mut changes.iter().map(|c| c.by.as_str()), "By").min(BY);
    let what_w = width
        .saturating_sub(2 + when_w + by_w + 2 * GAP.len())
        .max(12);
    out.push(Line::from(Span::styled(
        format!(
            "  {}{GAP}{}{GAP}By",
            pad("When", when_w),
            pad("Change", what_w)
        ),
        theme.dim(),
    )));
    for change in changes {
        let folded = wrap_words(&change.what, what_w);
        for (i, what) in folded.iter().enumerate() {
            let text = if i == 0 {
                format!(
                    "  {}{GAP}{}{GAP}{}",
                    pad(&change.when, when_w),
                    pad(what, what_w),
                    crate::text::fit(&clean(&change.by), by_w)
                )
            } else {
                format!("  {}{GAP}{what}", pad("", when_w))
            };
            out.push(Line::from(text.trim_end().to_string()));
        }
    }
    out
}

/// The widest the By column gets; a longer name ends in `…`.
const BY: usize = 20;
