//! Screen 4, Children: the enrolled registrations (or, toggled, the withdrawn ones),
//! found by any part of the child's or a parent's name as staff type, sorted by name,
//! age or start date, with the children who age out soon marked; Enter opens a record,
//! and withdrawing one (after a confirmation) frees its spots.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::Paragraph;

use crate::console::action::{Action, Command};
use crate::console::layout;
use crate::console::list::ListCursor;
use crate::console::ui::Ui;
use crate::console::widgets::{Column, list_table, window};
use crate::registration::rules;
use crate::store::Registration;
use crate::text::{clean, search_key};

/// The order the list is in; `s` moves to the next.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Name,
    /// Oldest first: the children nearest to ageing out at the top.
    Age,
    /// Earliest start date first.
    Start,
}

impl Sort {
    pub fn next(self) -> Sort {
        match self {
            Sort::Name => Sort::Age,
            Sort::Age => Sort::Start,
            Sort::Start => Sort::Name,
        }
    }

    /// How the title says it.
    pub fn label(self) -> &'static str {
        match self {
            Sort::Name => "by name",
            Sort::Age => "by age",
            Sort::Start => "by start date",
        }
    }
}

/// Which children the list holds; `v` switches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum View {
    #[default]
    Enrolled,
    Withdrawn,
}

#[derive(Debug, Clone, Default)]
pub struct ChildrenState {
    /// The rows shown: those of `all` that match the filter, in `sort` order.
    pub rows: Vec<Registration>,
    /// Every child of the view read, in `sort` order.
    pub all: Vec<Registration>,
    /// For each of `all`, the names it is found by (the child's, then each parent's) as
    /// search keys, worked out once when the list loads.
    names: Vec<Vec<String>>,
    /// What is typed after `/` (empty: none).
    pub filter: String,
    pub sort: Sort,
    pub view: View,
    pub cursor: ListCursor,
    pub loaded: bool,
    /// The database changed while a record covered the list: read it again on return.
    pub stale: bool,
}

fn visible(body: Rect) -> usize {
    layout::table_rows(body).height as usize
}

impl ChildrenState {
    /// The read that fills the view the list is in.
    pub fn load(&self) -> Command {
        match self.view {
            View::Enrolled => Command::LoadChildren,
            View::Withdrawn => Command::LoadWithdrawnChildren,
        }
    }

    /// The children of `view` as read; a list read for the other view is old news.
    pub fn receive(&mut self, view: View, rows: Vec<Registration>, body: Rect) {
        if view == self.view {
            self.set(rows, body);
        }
    }

    pub fn set(&mut self, rows: Vec<Registration>, body: Rect) {
        let selected = self.selected().map(|r| r.id);
        let mut listed: Vec<(Registration, Vec<String>)> = rows
            .into_iter()
            .map(|r| {
                let names = names_of(&r);
                (r, names)
            })
            .collect();
        sort(&mut listed, self.sort);
        (self.all, self.names) = listed.into_iter().unzip();
        self.loaded = true;
        self.stale = false;
        self.refilter(body);
        self.reselect(selected, body);
    }

    /// Shows only the children whose name or a parent's name holds `filter` (case and
    /// accents aside).
    pub fn set_filter(&mut self, filter: &str, body: Rect) {
        self.filter = filter.trim().to_string();
        self.cursor.first();
        self.refilter(body);
    }

    /// The next order, keeping the same child selected.
    pub fn cycle_sort(&mut self, body: Rect) {
        self.sort = self.sort.next();
        let selected = self.selected().map(|r| r.id);
        let all = std::mem::take(&mut self.all);
        let names = std::mem::take(&mut self.names);
        let mut listed: Vec<(Registration, Vec<String>)> = all.into_iter().zip(names).collect();
        sort(&mut listed, self.sort);
        (self.all, self.names) = listed.into_iter().unzip();
        self.refilter(body);
        self.reselect(selected, body);
    }

    /// The other view, empty until it is read: the command that reads it.
    pub fn toggle_view(&mut self) -> Command {
        self.view = match self.view {
            View::Enrolled => View::Withdrawn,
            View::Withdrawn => View::Enrolled,
        };
        self.all.clear();
        self.names.clear();
        self.rows.clear();
        self.loaded = false;
        self.cursor.first();
        self.load()
    }

    fn refilter(&mut self, body: Rect) {
        let wanted = search_key(&self.filter);
        self.rows = self
            .all
            .iter()
            .zip(&self.names)
            .filter(|(_, names)| names.iter().any(|n| n.contains(&wanted)))
            .map(|(r, _)| r.clone())
            .collect();
        self.fit(body);
    }

    fn reselect(&mut self, id: Option<i64>, body: Rect) {
        if let Some(at) = id.and_then(|id| self.rows.iter().position(|r| r.id == id)) {
            self.cursor.selected = at;
        }
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

/// The names a child is found by, as search keys: the child's, then each parent's.
fn names_of(registration: &Registration) -> Vec<String> {
    let child = format!("{} {}", registration.first_name, registration.last_name);
    let parents = crate::registration::document::inner(&registration.document)
        .get("parents")
        .and_then(|p| p.as_object())
        .into_iter()
        .flat_map(|parents| parents.values())
        .map(|parent| {
            let part = |key: &str| parent.get(key).and_then(|v| v.as_str()).unwrap_or("");
            format!("{} {}", part("firstName"), part("lastName"))
        });
    std::iter::once(child)
        .chain(parents)
        .map(|name| search_key(&name))
        .filter(|key| !key.is_empty())
        .collect()
}

/// `listed` in `order`; the child's name, then the id, settle ties.
fn sort(listed: &mut [(Registration, Vec<String>)], order: Sort) {
    fn name(entry: &(Registration, Vec<String>)) -> &str {
        entry.1.first().map_or("", String::as_str)
    }
    listed.sort_by(|a, b| {
        let first = match order {
            Sort::Name => std::cmp::Ordering::Equal,
            Sort::Age => a.0.date_of_birth.cmp(&b.0.date_of_birth),
            Sort::Start => a.0.start_date.cmp(&b.0.start_date),
        };
        first
            .then_with(|| name(a).cmp(name(b)))
            .then(a.0.id.cmp(&b.0.id))
    });
}

pub fn short_days(days: &[chrono::Weekday]) -> String {
    days.iter()
        .map(|d| crate::weekday::short(*d))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Below this width the list leaves out the date of birth.
const WIDE: u16 = 100;

/// The columns for a list `width` cells wide whose largest id has `id_width` digits.
fn columns(width: u16, id_width: u16) -> Vec<Column> {
    let mut columns = vec![
        ("Id", Constraint::Length(id_width.max(2))),
        ("Child", Constraint::Min(16)),
        ("Days", Constraint::Length(19)),
        ("Age", Constraint::Length(3)),
        ("Turns 6", Constraint::Length(10)),
        ("Starts", Constraint::Length(10)),
        ("Fees", Constraint::Length(4)),
    ];
    if width >= WIDE {
        columns.push(("Born", Constraint::Length(10)));
    }
    columns
}

/// A row's cells, in `columns` order: the age is today's, and an enrolled child who
/// turns 6 within 60 days has the date in "Turns 6" (in words, never by colour alone; a
/// withdrawn child holds no spot to free).
fn cells(r: &Registration, today: NaiveDate, wide: bool) -> Vec<String> {
    let enrolled = r.status == crate::store::RegistrationStatus::Enrolled;
    let mut cells = vec![
        r.id.to_string(),
        clean(&format!("{} {}", r.first_name, r.last_name)),
        short_days(&r.days),
        rules::age_on(r.date_of_birth, today).to_string(),
        rules::ages_out(r.date_of_birth, today)
            .filter(|_| enrolled)
            .map(|d| d.to_string())
            .unwrap_or_default(),
        r.start_date.to_string(),
        r.fees.to_string(),
    ];
    if wide {
        cells.push(r.date_of_birth.to_string());
    }
    cells
}

pub fn render(state: &ChildrenState, ui: &Ui, frame: &mut Frame, body: Rect) {
    let wide = body.width >= WIDE;
    let id_width = state
        .rows
        .iter()
        .map(|r| r.id.to_string().len())
        .max()
        .unwrap_or(2) as u16;
    let rows = window(&state.rows, state.cursor.offset, visible(body))
        .map(|(i, r)| (i == state.cursor.selected, cells(r, ui.today, wide)));
    frame.render_widget(
        list_table(
            ui.theme,
            title(state, body.width.saturating_sub(4) as usize),
            &columns(body.width, id_width),
            rows,
        ),
        body,
    );
    if state.loaded && state.rows.is_empty() {
        let empty = match (state.view, state.all.is_empty()) {
            (View::Enrolled, true) => "No child is enrolled. Register one on screen 2.",
            (View::Withdrawn, true) => "No child has been withdrawn. v shows the enrolled.",
            (View::Enrolled, false) => {
                "No enrolled child has that name, and no parent of one. Esc clears the filter."
            }
            (View::Withdrawn, false) => {
                "No withdrawn child has that name, and no parent of one. Esc clears the filter."
            }
        };
        frame.render_widget(Paragraph::new(empty), layout::table_rows(body));
    }
}

/// "Enrolled children · 3 · by name · row 1 of 3", with the filter when there is one
/// (and how to clear it, when that fits in `room` columns).
fn title(state: &ChildrenState, room: usize) -> String {
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
    let view = match state.view {
        View::Enrolled => "Enrolled children",
        View::Withdrawn => "Withdrawn children",
    };
    let shown = |hint: &str| {
        if state.filter.is_empty() {
            count(state.rows.len())
        } else {
            format!(
                "{} of {} named “{}”{hint}",
                count(state.rows.len()),
                count(state.all.len()),
                crate::text::quote(&state.filter, 20)
            )
        }
    };
    let full = format!(
        "{view} · {} · {}{at}",
        shown(" (Esc clears)"),
        state.sort.label()
    );
    if crate::text::width(&full) <= room {
        return full;
    }
    format!("{view} · {} · {}{at}", shown(""), state.sort.label())
}

/// What a withdrawal from the withdrawn view is told.
pub fn already_withdrawn(child: &Registration) -> String {
    format!(
        "{} {} is already withdrawn.",
        clean(&child.first_name),
        clean(&child.last_name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::RegistrationStatus;
    use serde_json::json;

    fn child(id: i64, first: &str, born: &str, starts: &str, parent: &str) -> Registration {
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
        Registration {
            id,
            first_name: first.into(),
            last_name: "Diallo".into(),
            date_of_birth: date(born),
            days: vec![chrono::Weekday::Mon],
            age: 3,
            fees: 750,
            start_date: date(starts),
            status: RegistrationStatus::Enrolled,
            execution_name: format!("run-{id}"),
            document: json!({"parents": {"mother": {"firstName": parent, "lastName": "Cissé"}}}),
            leaves_on: None,
            withdraw_reason: None,
        }
    }

    fn ids(state: &ChildrenState) -> Vec<i64> {
        state.rows.iter().map(|r| r.id).collect()
    }

    #[test]
    fn a_parent_s_name_finds_the_child_and_each_order_keeps_the_selection() {
        let body = Rect::new(0, 0, 80, 20);
        let mut state = ChildrenState::default();
        state.set(
            vec![
                child(1, "Zoë", "2022-01-01", "2026-09-20", "Awa"),
                child(2, "Ana", "2023-01-01", "2026-09-15", "Sofía"),
                child(3, "Omar", "2021-06-01", "2026-10-01", "Mei"),
            ],
            body,
        );
        assert_eq!(ids(&state), [2, 3, 1], "by name");
        state.set_filter("SOFIA", body);
        assert_eq!(ids(&state), [2]);
        state.set_filter("cisse", body);
        assert_eq!(ids(&state).len(), 3, "a parent's last name too");
        state.set_filter("", body);
        state.cursor.selected = 2;
        state.cycle_sort(body);
        assert_eq!(state.sort, Sort::Age);
        assert_eq!(ids(&state), [3, 1, 2], "oldest first");
        assert_eq!(
            state.selected().map(|r| r.id),
            Some(1),
            "Zoë stays selected"
        );
        state.cycle_sort(body);
        assert_eq!(ids(&state), [2, 1, 3], "earliest start first");
        state.cycle_sort(body);
        assert_eq!(state.sort, Sort::Name);
    }

    #[test]
    fn the_title_keeps_the_row_and_gives_up_the_hint_when_short_of_room() {
        let body = Rect::new(0, 0, 80, 20);
        let mut state = ChildrenState::default();
        state.set(
            vec![child(1, "Zoë", "2022-01-01", "2026-09-20", "Awa")],
            body,
        );
        state.set_filter("zoe", body);
        let wide = title(&state, 116);
        assert!(
            wide.contains("(Esc clears)") && wide.ends_with("row 1 of 1"),
            "{wide}"
        );
        state.view = View::Withdrawn;
        let narrow = title(&state, 60);
        assert!(!narrow.contains("Esc"), "{narrow}");
        assert!(narrow.ends_with("row 1 of 1"), "{narrow}");
    }

    #[test]
    fn a_list_read_for_the_other_view_is_ignored() {
        let body = Rect::new(0, 0, 80, 20);
        let mut state = ChildrenState::default();
        assert!(matches!(
            state.toggle_view(),
            Command::LoadWithdrawnChildren
        ));
        state.receive(
            View::Enrolled,
            vec![child(1, "Zoë", "2022-01-01", "2026-09-20", "Awa")],
            body,
        );
        assert!(state.rows.is_empty() && !state.loaded);
        assert!(matches!(state.toggle_view(), Command::LoadChildren));
    }
}
