//! Screen 4, Children: the enrolled registrations, filtered by name as staff type, and
//! withdrawing one (after a confirmation), which frees its spots.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::Paragraph;

use crate::console::action::Action;
use crate::console::layout;
use crate::console::list::{ListCursor, matches};
use crate::console::ui::Ui;
use crate::console::widgets::{Column, list_table, window};
use crate::store::Registration;
use crate::text::clean;

#[derive(Debug, Clone, Default)]
pub struct ChildrenState {
    /// The rows shown: those of `all` that match the filter.
    pub rows: Vec<Registration>,
    /// Every enrolled child read.
    pub all: Vec<Registration>,
    /// The name filter typed after `/` (empty: none).
    pub filter: String,
    pub cursor: ListCursor,
    pub loaded: bool,
}

fn visible(body: Rect) -> usize {
    layout::table_rows(body).height as usize
}

impl ChildrenState {
    pub fn set(&mut self, rows: Vec<Registration>, body: Rect) {
        self.all = rows;
        self.loaded = true;
        self.refilter(body);
    }

    /// Shows only the children whose name matches `filter` (case and accents aside).
    pub fn set_filter(&mut self, filter: &str, body: Rect) {
        self.filter = filter.trim().to_string();
        self.cursor.first();
        self.refilter(body);
    }

    fn refilter(&mut self, body: Rect) {
        let filter = &self.filter;
        self.rows = self
            .all
            .iter()
            .filter(|r| matches(&format!("{} {}", r.first_name, r.last_name), filter))
            .cloned()
            .collect();
        self.fit(body);
    }

    pub fn fit(&mut self, body: Rect) {
        self.cursor.clamp(self.rows.len(), visible(body));
    }

    pub fn selected(&self) -> Option<&Registration> {
        self.rows.get(self.cursor.selected)
    }

    pub fn navigate(&mut self, action: Action, body: Rect) {
        self.cursor.motion(action, self.rows.len(), visible(body));
    }
}

/// The confirmation question, naming the child and the days that will be freed.
pub fn withdraw_question(child: &Registration) -> String {
    format!(
        "Withdraw {} {}? Their spots on {} become free. This cannot be undone.",
        clean(&child.first_name),
        clean(&child.last_name),
        clean(&short_days(&child.days))
    )
}

fn short_days(days: &[chrono::Weekday]) -> String {
    days.iter()
        .map(|d| crate::weekday::short(*d))
        .collect::<Vec<_>>()
        .join(" ")
}

const COLUMNS: [Column; 6] = [
    ("Child", Constraint::Min(20)),
    ("Days", Constraint::Length(20)),
    ("Age", Constraint::Length(4)),
    ("Fees", Constraint::Length(5)),
    ("Starts", Constraint::Length(11)),
    ("Born", Constraint::Length(11)),
];

pub fn render(state: &ChildrenState, ui: &Ui, frame: &mut Frame, body: Rect) {
    let rows = window(&state.rows, state.cursor.offset, visible(body)).map(|(i, r)| {
        let cells = vec![
            clean(&format!("{} {}", r.first_name, r.last_name)),
            short_days(&r.days),
            r.age.to_string(),
            r.fees.to_string(),
            r.start_date.to_string(),
            r.date_of_birth.to_string(),
        ];
        (i == state.cursor.selected, cells)
    });
    let count = |n: usize| crate::console::widgets::count(n as u64);
    let at = if state.rows.is_empty() {
        String::new()
    } else {
        format!(
            " · row {} of {}",
            count(state.cursor.selected + 1),
            count(state.rows.len())
        )
    };
    let title = if state.filter.is_empty() {
        format!("Enrolled children · {}{at}", count(state.rows.len()))
    } else {
        format!(
            "Enrolled children · {} of {} named “{}” (Esc clears){at}",
            count(state.rows.len()),
            count(state.all.len()),
            crate::text::quote(&state.filter, 20)
        )
    };
    frame.render_widget(list_table(ui.theme, title, &COLUMNS, rows), body);
    if state.loaded && state.rows.is_empty() {
        let empty = if state.all.is_empty() {
            "No child is enrolled. Register one on screen 2."
        } else {
            "No enrolled child has that name. Esc clears the filter."
        };
        frame.render_widget(Paragraph::new(empty), layout::table_rows(body));
    }
}
