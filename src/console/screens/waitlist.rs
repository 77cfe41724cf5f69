//! The Waitlist screen: registrations refused for want of spots, in waitlist order, with
//! whether each fits now, the order rule in words, and the selected entry in full.
//! Offering a spot and removing an entry are asked for here; the desk does them.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::console::action::Action;
use crate::console::layout;
use crate::console::list::ListCursor;
use crate::console::ui::Ui;
use crate::console::widgets::{Column, block, count, list_table, window, wrap_words};
use crate::registration::{Offered, Waiting};
use crate::store::{WAITLIST_ORDER, WaitlistEntry};
use crate::text::clean;

#[derive(Debug, Clone, Default)]
pub struct WaitlistState {
    pub rows: Vec<Waiting>,
    pub cursor: ListCursor,
    pub loaded: bool,
    /// The refused execution a note is being typed for (before it goes on the list).
    pub note_for: Option<String>,
    /// The refused executions put on the list from this console (`W` is not offered again).
    pub put: Vec<String>,
    /// The entry an offer is running for.
    pub offering: Option<i64>,
}

/// Lines of the pane that shows the selected entry in full.
const SELECTED_HEIGHT: u16 = 7;

/// The order rule's lines above the list.
fn rule_height(width: u16) -> u16 {
    wrap_words(WAITLIST_ORDER, width as usize).len().clamp(1, 3) as u16
}

fn split(body: Rect) -> (Rect, Rect, Rect) {
    let [rule, table, selected] = Layout::vertical([
        Constraint::Length(rule_height(body.width)),
        Constraint::Min(4),
        Constraint::Length(SELECTED_HEIGHT),
    ])
    .areas(body);
    (rule, table, selected)
}

/// Where the entries' rows are drawn (for clicks).
pub fn rows_area(body: Rect) -> Rect {
    layout::table_rows(split(body).1)
}

fn visible(body: Rect) -> usize {
    rows_area(body).height as usize
}

impl WaitlistState {
    pub fn set(&mut self, rows: Vec<Waiting>, body: Rect) {
        self.rows = rows;
        self.loaded = true;
        self.cursor.clamp(self.rows.len(), visible(body));
    }

    pub fn selected(&self) -> Option<&Waiting> {
        self.rows.get(self.cursor.selected)
    }

    pub fn navigate(&mut self, action: Action, body: Rect) {
        self.cursor.motion(action, self.rows.len(), visible(body));
    }

    /// Whether refused execution `name` was put on the list from this console.
    pub fn listed(&self, name: &str) -> bool {
        self.put.iter().any(|p| p == name)
    }

    /// How many entries fit now.
    pub fn fitting(&self) -> usize {
        self.rows.iter().filter(|w| w.fits).count()
    }
}

/// The question before an offer, naming the child and the days.
pub fn offer_question(waiting: &Waiting) -> String {
    let e = &waiting.entry;
    let fits = if waiting.fits {
        "A spot is free on each of those days."
    } else {
        "Not every one of those days has a spot free now, so it will likely be refused."
    };
    format!(
        "Offer {} a spot on {}? This runs the registration workflow for them. {fits}",
        clean(&e.child()),
        crate::weekday::listed(&e.days)
    )
}

/// The priority an entry has, in words: "sibling of registration 4", the staff note.
pub fn priority(e: &WaitlistEntry) -> String {
    let mut parts = Vec::new();
    if let Some(sibling) = e.sibling_of {
        parts.push(format!("sibling of registration {sibling}"));
    }
    if let Some(note) = &e.notes {
        parts.push(clean(note));
    }
    parts.join("; ")
}

/// The status line's news after an offer.
pub fn offered_news(offered: &Offered) -> Result<String, String> {
    let outcome = &offered.outcome;
    let child = clean(&outcome.child);
    if outcome.succeeded() {
        let fees = outcome
            .fees
            .map(|f| format!(", fees {f}"))
            .unwrap_or_default();
        let start = outcome
            .start_date
            .map(|d| format!(" from {d}"))
            .unwrap_or_default();
        Ok(format!(
            "{child} is enrolled{start}{fees}; waitlist entry {} is closed.",
            offered.entry.id
        ))
    } else {
        let cause = outcome
            .execution
            .cause
            .as_deref()
            .map(clean)
            .unwrap_or_else(|| "the registration failed".into());
        Err(format!("Offer refused, {child} still waits: {cause}"))
    }
}

fn short_days(days: &[chrono::Weekday]) -> String {
    days.iter()
        .map(|d| crate::weekday::short(*d))
        .collect::<Vec<_>>()
        .join(" ")
}

const COLUMNS: [Column; 8] = [
    ("ID", Constraint::Length(4)),
    ("Child", Constraint::Min(14)),
    ("Born", Constraint::Length(10)),
    ("Days", Constraint::Length(11)),
    ("Added", Constraint::Length(10)),
    ("Fits now", Constraint::Length(8)),
    ("Priority", Constraint::Length(30)),
    ("Last offer", Constraint::Length(10)),
];

/// Below this width the list leaves out the date of birth (the entry's pane has it).
const WIDE: u16 = 100;

const NARROW_COLUMNS: [Column; 7] = [
    ("ID", Constraint::Length(3)),
    ("Child", Constraint::Min(14)),
    ("Days", Constraint::Length(11)),
    ("Added", Constraint::Length(10)),
    ("Fits now", Constraint::Length(8)),
    ("Priority", Constraint::Length(14)),
    ("Last offer", Constraint::Length(10)),
];

/// "1 fits", "2 fit".
fn fit_verb(n: usize) -> &'static str {
    if n == 1 { "fits" } else { "fit" }
}

pub fn render(state: &WaitlistState, ui: &Ui, frame: &mut Frame, body: Rect) {
    let (rule, table, selected) = split(body);
    frame.render_widget(
        Paragraph::new(WAITLIST_ORDER)
            .wrap(Wrap { trim: true })
            .style(ui.theme.dim()),
        rule,
    );
    render_table(state, ui, frame, table);
    render_selected(state, ui, frame, selected);
}

fn render_table(state: &WaitlistState, ui: &Ui, frame: &mut Frame, area: Rect) {
    let rows_area = layout::table_rows(area);
    let rows = window(&state.rows, state.cursor.offset, rows_area.height as usize).map(|(i, w)| {
        let e = &w.entry;
        let fits = if w.fits {
            Span::styled("fits", ui.theme.ok())
        } else {
            Span::raw("no")
        };
        let last = match (&e.last_refusal, &e.last_offer) {
            (Some(_), _) => "refused",
            (None, Some(_)) => "offered",
            (None, None) => "–",
        };
        let mut cells = vec![
            Line::from(e.id.to_string()),
            Line::from(clean(&e.child())),
            Line::from(e.date_of_birth.to_string()),
            Line::from(short_days(&e.days)),
            Line::from(e.added_on.to_string()),
            Line::from(fits),
            Line::from(crate::text::fit(
                &priority(e),
                if area.width < WIDE { 14 } else { 30 },
            )),
            Line::from(last),
        ];
        if area.width < WIDE {
            cells.remove(2);
        }
        (i == state.cursor.selected, cells)
    });
    let n = |n: usize| count(n as u64);
    let title = if state.rows.is_empty() {
        "Waitlist".to_string()
    } else {
        format!(
            "Waitlist · {} waiting, {} {} now · row {} of {}",
            n(state.rows.len()),
            n(state.fitting()),
            fit_verb(state.fitting()),
            n(state.cursor.selected + 1),
            n(state.rows.len())
        )
    };
    let columns: &[Column] = if area.width < WIDE {
        &NARROW_COLUMNS
    } else {
        &COLUMNS
    };
    frame.render_widget(list_table(ui.theme, title, columns, rows), area);
    if state.loaded && state.rows.is_empty() {
        frame.render_widget(
            Paragraph::new(
                "Nobody is waiting. A registration refused for want of spots goes on the list with W, on its outcome or its execution.",
            )
            .wrap(Wrap { trim: true }),
            rows_area,
        );
    } else if !state.loaded {
        frame.render_widget(Paragraph::new("Reading the waitlist…"), rows_area);
    }
}

/// The selected entry in full: its priority, the refused execution and the last offer.
fn render_selected(state: &WaitlistState, ui: &Ui, frame: &mut Frame, area: Rect) {
    let Some(w) = state.selected() else {
        frame.render_widget(Paragraph::new("").block(block(ui.theme, "Entry")), area);
        return;
    };
    let e = &w.entry;
    let label = |text: &'static str| Span::styled(text, ui.theme.title());
    let mut lines = vec![
        Line::from(vec![
            label("Born "),
            Span::raw(e.date_of_birth.to_string()),
            label(" · wants "),
            Span::raw(crate::weekday::listed(&e.days)),
            Span::raw(if w.fits {
                " · fits now"
            } else {
                " · does not fit now"
            }),
        ]),
        Line::from(vec![
            label("Added "),
            Span::raw(format!("{} by {}", e.added_on, clean(&e.staff))),
            label(" · refused by "),
            Span::raw(clean(&e.refused_execution)),
        ]),
    ];
    let priority = priority(e);
    lines.push(Line::from(vec![
        label("Priority "),
        Span::raw(if priority.is_empty() {
            "none".to_string()
        } else {
            priority
        }),
    ]));
    let last = match (&e.last_offer, &e.last_refusal) {
        (Some(offer), Some(refusal)) => format!("{} refused: {}", clean(offer), clean(refusal)),
        (Some(offer), None) => clean(offer),
        (None, _) => "no offer yet".to_string(),
    };
    lines.push(Line::from(vec![label("Last offer "), Span::raw(last)]));
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(block(
            ui.theme,
            format!("Entry {} · {}", e.id, clean(&e.child())),
        )),
        area,
    );
}
