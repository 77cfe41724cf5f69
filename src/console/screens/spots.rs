//! Screen 5, Spots: capacity, enrolled and available per weekday; changing one day or
//! all of them (the store refuses to go below the enrolled count, and says why).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::console::form::weekday_name;
use crate::console::layout;
use crate::console::list::ListCursor;
use crate::console::ui::Ui;
use crate::console::widgets::{Column, list_table};
use crate::store::DaySpots;

#[derive(Debug, Clone, Default)]
pub struct SpotsState {
    pub rows: Vec<DaySpots>,
    pub cursor: ListCursor,
}

impl SpotsState {
    pub fn set(&mut self, rows: Vec<DaySpots>) {
        self.rows = rows;
        self.cursor.clamp(self.rows.len(), 7);
    }
}

fn split(body: Rect) -> (Rect, Rect) {
    let [table, notes] = Layout::vertical([Constraint::Length(11), Constraint::Min(0)]).areas(body);
    (table, notes)
}

pub fn rows_area(body: Rect) -> Rect {
    layout::table_rows(split(body).0)
}

/// What changed, in a sentence: "Monday: 20 → 12 spots."
pub fn changed_message(before: &[DaySpots], after: &[DaySpots]) -> String {
    let changes: Vec<String> = after
        .iter()
        .filter_map(|a| {
            let b = before.iter().find(|b| b.day == a.day)?;
            (b.capacity != a.capacity)
                .then(|| format!("{} {} → {}", weekday_name(a.day), b.capacity, a.capacity))
        })
        .collect();
    if changes.is_empty() {
        "Spots saved; nothing changed.".into()
    } else {
        format!("Spots saved: {}.", changes.join(", "))
    }
}

const COLUMNS: [Column; 4] = [
    ("Day", Constraint::Length(12)),
    ("Capacity", Constraint::Length(10)),
    ("Enrolled", Constraint::Length(10)),
    ("Available", Constraint::Length(10)),
];

pub fn render(state: &SpotsState, ui: &Ui, frame: &mut Frame, body: Rect) {
    let (table_area, notes) = split(body);
    let rows = state.rows.iter().enumerate().map(|(i, d)| {
        let available = if d.closed() {
            "closed".to_string()
        } else {
            d.available().to_string()
        };
        let cells = vec![
            weekday_name(d.day).to_string(),
            d.capacity.to_string(),
            d.enrolled.to_string(),
            available,
        ];
        (i == state.cursor.selected, cells)
    });
    frame.render_widget(
        list_table(ui.theme, "Spots per weekday", &COLUMNS, rows),
        table_area,
    );
    let text = vec![
        Line::from("A day with capacity 0 is closed."),
        Line::from("Capacity cannot go below the children already enrolled that day;"),
        Line::from("withdraw children on screen 4 first."),
    ];
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .style(ui.theme.dim()),
        notes,
    );
}
