//! Screen 3, Executions: newest first, a window at a time (keyset pagination: the next
//! window is asked for before the selection reaches the end), filtered by child and status.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Row, Table};

use crate::console::action::{Action, Command};
use crate::console::app::App;
use crate::console::layout;
use crate::console::list::ListCursor;
use crate::console::sanitize::clean;
use crate::console::widgets::{block, duration, status_span, time};
use crate::store::{Cursor, ExecutionFilter, ExecutionRow, Page};
use crate::workflow::ExecutionStatus;

/// Rows asked for at a time.
pub const PAGE: usize = 200;

#[derive(Debug, Clone, Default)]
pub struct ExecutionsState {
    pub rows: Vec<ExecutionRow>,
    pub cursor: ListCursor,
    pub filter: ExecutionFilter,
    /// Where the next (older) window starts; `None` at the end.
    pub next: Option<Cursor>,
    pub loading: bool,
    /// Something changed since these rows were read.
    pub stale: bool,
    /// Answers to older requests (before a filter changed) are ignored.
    pub generation: u64,
}

pub fn rows_area(body: Rect) -> Rect {
    layout::table_rows(body)
}

fn visible(body: Rect) -> usize {
    rows_area(body).height as usize
}

impl ExecutionsState {
    /// Reads the newest window again (after a filter change or a refresh).
    pub fn reload(&mut self) -> Command {
        self.generation += 1;
        self.loading = true;
        self.stale = false;
        Command::LoadExecutions {
            filter: self.filter.clone(),
            after: None,
            limit: PAGE,
            generation: self.generation,
        }
    }

    pub fn receive(&mut self, generation: u64, append: bool, page: Page, body: Rect) {
        if generation != self.generation {
            return;
        }
        self.loading = false;
        if append {
            self.rows.extend(page.rows);
        } else {
            self.rows = page.rows;
            self.cursor = ListCursor::default();
        }
        self.next = page.next;
        self.cursor.clamp(self.rows.len(), visible(body));
    }

    pub fn fit(&mut self, body: Rect) {
        self.cursor.clamp(self.rows.len(), visible(body));
    }

    pub fn selected(&self) -> Option<&ExecutionRow> {
        self.rows.get(self.cursor.selected)
    }

    pub fn cycle_status(&mut self) {
        self.filter.status = match self.filter.status {
            None => Some(ExecutionStatus::Succeeded),
            Some(ExecutionStatus::Succeeded) => Some(ExecutionStatus::Failed),
            Some(ExecutionStatus::Failed) => Some(ExecutionStatus::Running),
            Some(_) => None,
        };
    }

    /// Moves the selection; asks for the next window when it nears the end of what is loaded.
    pub fn navigate(&mut self, action: Action, body: Rect) -> Option<Command> {
        let len = self.rows.len();
        let page = visible(body);
        match action {
            Action::Down => self.cursor.step(1, len, page),
            Action::Up => self.cursor.step(-1, len, page),
            Action::PageDown => self.cursor.step(page as isize, len, page),
            Action::PageUp => self.cursor.step(-(page as isize), len, page),
            Action::Top => self.cursor.first(),
            Action::Bottom => self.cursor.last(len, page),
            _ => return None,
        }
        self.more(page)
    }

    fn more(&mut self, page: usize) -> Option<Command> {
        if self.loading || self.cursor.selected + 2 * page < self.rows.len() {
            return None;
        }
        let after = self.next.clone()?;
        self.loading = true;
        Some(Command::LoadExecutions {
            filter: self.filter.clone(),
            after: Some(after),
            limit: PAGE,
            generation: self.generation,
        })
    }

    fn title(&self) -> String {
        let mut parts = vec!["Executions, newest first".to_string()];
        if let Some(child) = &self.filter.child {
            parts.push(format!("child contains \"{}\"", clean(child)));
        }
        if let Some(status) = self.filter.status {
            parts.push(format!("status {}", status.as_str()));
        }
        let more = if self.loading {
            "reading…"
        } else if self.next.is_some() {
            "more below"
        } else {
            "all shown"
        };
        parts.push(format!("{} loaded, {more}", self.rows.len()));
        parts.join(" · ")
    }
}

pub fn render(app: &App, frame: &mut Frame, body: Rect) {
    let theme = &app.theme;
    let state = &app.executions;
    let height = visible(body);
    let start = state.cursor.offset.min(state.rows.len());
    let end = (start + height).min(state.rows.len());
    let rows = state.rows[start..end].iter().enumerate().map(|(i, r)| {
        let row = Row::new(vec![
            Line::from(time(r.start_date)),
            Line::from(clean(r.child.as_deref().unwrap_or("–"))),
            Line::from(status_span(theme, r.status)),
            Line::from(r.fees.map(|f| f.to_string()).unwrap_or_else(|| "–".into())),
            Line::from(duration(r.start_date, r.stop_date)),
            Line::from(clean(&r.name)),
        ]);
        if start + i == state.cursor.selected {
            row.style(theme.selected())
        } else {
            row
        }
    });
    let empty = state.rows.is_empty() && !state.loading;
    let table = Table::new(
        rows,
        [
            Constraint::Length(19),
            Constraint::Length(18),
            Constraint::Length(12),
            Constraint::Length(5),
            Constraint::Length(8),
            Constraint::Min(8),
        ],
    )
    .header(
        Row::new(vec![
            "Started (UTC)",
            "Child",
            "Status",
            "Fees",
            "Took",
            "Execution",
        ])
        .style(theme.title()),
    )
    .block(block(theme, state.title()));
    frame.render_widget(table, body);
    if empty {
        let area = rows_area(body);
        let text = if state.filter == ExecutionFilter::default() {
            "No executions yet. Register a child on screen 2."
        } else {
            "No execution matches the filter. c clears it."
        };
        frame.render_widget(ratatui::widgets::Paragraph::new(text), area);
    }
}
