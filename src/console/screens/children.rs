//! Screen 4, Children: the enrolled registrations, and withdrawing one (after a
//! confirmation), which frees its spots.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Paragraph, Row, Table};

use crate::console::action::Action;
use crate::console::app::App;
use crate::console::layout;
use crate::console::list::ListCursor;
use crate::console::widgets::{block, highlight};
use crate::store::Registration;
use crate::text::clean;

#[derive(Debug, Clone, Default)]
pub struct ChildrenState {
    pub rows: Vec<Registration>,
    pub cursor: ListCursor,
    pub loaded: bool,
}

fn visible(body: Rect) -> usize {
    layout::table_rows(body).height as usize
}

impl ChildrenState {
    pub fn set(&mut self, rows: Vec<Registration>, body: Rect) {
        self.rows = rows;
        self.loaded = true;
        self.fit(body);
    }

    pub fn fit(&mut self, body: Rect) {
        self.cursor.clamp(self.rows.len(), visible(body));
    }

    pub fn selected(&self) -> Option<&Registration> {
        self.rows.get(self.cursor.selected)
    }

    pub fn navigate(&mut self, action: Action, body: Rect) {
        let (len, page) = (self.rows.len(), visible(body));
        match action {
            Action::Down => self.cursor.step(1, len, page),
            Action::Up => self.cursor.step(-1, len, page),
            Action::Top => self.cursor.first(),
            Action::Bottom => self.cursor.last(len, page),
            _ => {}
        }
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

fn short_days(days: &[String]) -> String {
    days.iter()
        .map(|d| d.chars().take(3).collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn render(app: &App, frame: &mut Frame, body: Rect) {
    let theme = &app.theme;
    let state = &app.children;
    let height = visible(body);
    let start = state.cursor.offset.min(state.rows.len());
    let end = (start + height).min(state.rows.len());
    let rows = state.rows[start..end].iter().enumerate().map(|(i, r)| {
        let row = Row::new(vec![
            clean(&format!("{} {}", r.first_name, r.last_name)),
            short_days(&r.days),
            r.age.to_string(),
            r.fees.to_string(),
            r.start_date.to_string(),
            r.date_of_birth.to_string(),
        ]);
        highlight(theme, row, start + i == state.cursor.selected)
    });
    let title = format!("Enrolled children · {}", state.rows.len());
    let table = Table::new(
        rows,
        [
            Constraint::Min(20),
            Constraint::Length(20),
            Constraint::Length(4),
            Constraint::Length(5),
            Constraint::Length(11),
            Constraint::Length(11),
        ],
    )
    .header(Row::new(vec!["Child", "Days", "Age", "Fees", "Starts", "Born"]).style(theme.title()))
    .block(block(theme, title));
    frame.render_widget(table, body);
    if state.loaded && state.rows.is_empty() {
        frame.render_widget(
            Paragraph::new("No child is enrolled. Register one on screen 2."),
            layout::table_rows(body),
        );
    }
}
