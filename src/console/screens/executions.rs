//! Screen 3, Executions: newest first, a window at a time (keyset pagination: the next
//! window is asked for before the selection reaches the end), filtered by child and status.

use std::collections::VecDeque;

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;

use crate::console::action::{Action, Command};
use crate::console::layout;
use crate::console::list::ListCursor;
use crate::console::ui::Ui;
use crate::console::widgets::{Column, count, duration, list_table, status_span, time, window};
use crate::store::{Cursor, ExecutionFilter, ExecutionRow, Page};
use crate::text::clean;
use crate::workflow::ExecutionStatus;

/// Rows asked for at a time.
pub const PAGE: usize = 200;
/// Windows kept in memory at once; scrolling further drops the farthest window and
/// reads it again (by its keyset cursor) if staff come back.
pub const WINDOWS: usize = 10;

#[derive(Debug, Clone, Default)]
pub struct ExecutionsState {
    /// The loaded windows' rows, in order.
    pub rows: Vec<ExecutionRow>,
    /// How many rows each loaded window holds, first to last.
    pub lens: VecDeque<usize>,
    /// The number of the first loaded window (0 = newest).
    pub first: usize,
    /// Where each window starts: `starts[n]` reads window `n` (`None` for the newest).
    pub starts: Vec<Option<Cursor>>,
    pub cursor: ListCursor,
    pub filter: ExecutionFilter,
    /// Where the window after the last loaded one starts; `None` at the end.
    pub next: Option<Cursor>,
    pub loading: bool,
    /// The next answer replaces everything (a reload).
    pub replacing: bool,
    /// Something changed since these rows were read.
    pub stale: bool,
    /// Answers to older requests (before a filter changed) are ignored.
    pub generation: u64,
    /// The next answer replaces the rows but keeps the selected execution selected (a
    /// refresh after another desk changed something).
    pub keep_selection: bool,
    /// How many executions the filter lists (`None` until counted).
    pub total: Option<u64>,
    /// The next answer is the list's last window: select its last row.
    pub to_last: bool,
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
        self.total = None;
        self.generation += 1;
        self.loading = true;
        self.replacing = true;
        self.stale = false;
        Command::LoadExecutions {
            filter: self.filter.clone(),
            after: None,
            limit: PAGE,
            generation: self.generation,
            index: 0,
        }
    }

    /// Reads the window holding the selection again, in place of the loaded ones: the
    /// selection stays on its execution (when it is still listed) and the rows around it
    /// are the new ones.
    pub fn refresh(&mut self) -> Command {
        let mut index = self.first;
        let mut rows = 0;
        for len in &self.lens {
            if self.cursor.selected < rows + len {
                break;
            }
            rows += len;
            index += 1;
        }
        let index = index.min(self.first + self.lens.len().saturating_sub(1));
        if index > self.first {
            // The selection is counted from the window read again.
            let before: usize = self.lens.iter().take(index - self.first).sum();
            self.cursor.selected = self.cursor.selected.saturating_sub(before);
            self.cursor.offset = self.cursor.offset.saturating_sub(before);
            self.rows.drain(..before.min(self.rows.len()));
            self.lens.drain(..index - self.first);
            self.first = index;
        }
        self.generation += 1;
        self.loading = true;
        self.replacing = true;
        self.keep_selection = true;
        self.stale = false;
        Command::LoadExecutions {
            filter: self.filter.clone(),
            after: self.starts.get(index).cloned().flatten(),
            limit: PAGE,
            generation: self.generation,
            index,
        }
    }

    /// The list's total, read with window of generation `generation`.
    pub fn counted(&mut self, generation: u64, total: u64) {
        if generation == self.generation {
            self.total = Some(total);
        }
    }

    /// Selects the list's true last row: reads the last window when it is not loaded
    /// (until the list is counted, the last loaded row, and the window after it).
    fn bottom(&mut self, page: usize) -> Option<Command> {
        let last_window = match self.total {
            Some(total) if self.next.is_some() && total > 0 => ((total - 1) as usize) / PAGE,
            _ => {
                self.cursor.last(self.rows.len(), page);
                return self.more(page);
            }
        };
        if self.loading && self.to_last {
            return None;
        }
        self.generation += 1;
        self.loading = true;
        self.replacing = true;
        self.to_last = true;
        Some(Command::LoadExecutions {
            filter: self.filter.clone(),
            after: self.starts.get(last_window).cloned().flatten(),
            limit: PAGE,
            generation: self.generation,
            index: last_window,
        })
    }

    /// Where the selected row is in the whole list (0 = newest).
    pub fn position(&self) -> usize {
        self.first * PAGE + self.cursor.selected
    }

    pub fn receive(&mut self, generation: u64, index: usize, page: Page, body: Rect) {
        if generation != self.generation {
            return;
        }
        self.loading = false;
        if self.starts.len() <= index + 1 {
            self.starts.resize(index + 2, None);
        }
        self.starts[index + 1] = page.next.clone();
        let len = page.rows.len();
        if self.replacing || index == 0 && self.lens.is_empty() {
            self.replacing = false;
            let kept = std::mem::take(&mut self.keep_selection)
                .then(|| (self.selected().map(|r| r.name.clone()), self.cursor));
            self.rows = page.rows;
            self.lens = VecDeque::from([len]);
            self.first = index;
            self.next = page.next;
            self.cursor = ListCursor::default();
            if let Some((name, before)) = kept {
                let at = name.and_then(|n| self.rows.iter().position(|r| r.name == n));
                let shift = at.unwrap_or(before.selected) as isize - before.selected as isize;
                self.cursor.selected = at.unwrap_or(before.selected);
                // At the top of the list the top stays in view, so new runs show.
                self.cursor.offset = if before.offset == 0 && index == 0 {
                    0
                } else {
                    (before.offset as isize + shift).max(0) as usize
                };
            }
        } else if index == self.first + self.lens.len() {
            self.rows.extend(page.rows);
            self.lens.push_back(len);
            self.next = page.next;
            if self.lens.len() > WINDOWS {
                let dropped = self.lens.pop_front().unwrap_or(0);
                self.rows.drain(..dropped.min(self.rows.len()));
                self.first += 1;
                self.cursor.selected = self.cursor.selected.saturating_sub(dropped);
                self.cursor.offset = self.cursor.offset.saturating_sub(dropped);
            }
        } else if index + 1 == self.first {
            let mut rows = page.rows;
            rows.append(&mut self.rows);
            self.rows = rows;
            self.lens.push_front(len);
            self.first = index;
            self.cursor.selected += len;
            self.cursor.offset += len;
            if self.lens.len() > WINDOWS {
                let dropped = self.lens.pop_back().unwrap_or(0);
                self.rows.truncate(self.rows.len().saturating_sub(dropped));
                self.next = self
                    .starts
                    .get(self.first + self.lens.len())
                    .cloned()
                    .flatten();
            }
        }
        if std::mem::take(&mut self.to_last) {
            self.cursor.last(self.rows.len(), visible(body));
        }
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

    /// Moves the selection; asks for the window after (or before) the loaded ones when
    /// the selection nears their end (or start).
    pub fn navigate(&mut self, action: Action, body: Rect) -> Option<Command> {
        let len = self.rows.len();
        let page = visible(body);
        match action {
            Action::Down => self.cursor.step(1, len, page),
            Action::Up => self.cursor.step(-1, len, page),
            Action::PageDown => self.cursor.step(page as isize, len, page),
            Action::PageUp => self.cursor.step(-(page as isize), len, page),
            Action::Top if self.first > 0 => return Some(self.reload()),
            Action::Top => self.cursor.first(),
            Action::Bottom => return self.bottom(page),
            _ => return None,
        }
        self.more(page)
    }

    fn more(&mut self, page: usize) -> Option<Command> {
        if self.loading {
            return None;
        }
        let (index, after) =
            if self.cursor.selected + 2 * page >= self.rows.len() && self.next.is_some() {
                (self.first + self.lens.len(), self.next.clone())
            } else if self.cursor.selected < 2 * page && self.first > 0 {
                (
                    self.first - 1,
                    self.starts.get(self.first - 1).cloned().flatten(),
                )
            } else {
                return None;
            };
        self.loading = true;
        Some(Command::LoadExecutions {
            filter: self.filter.clone(),
            after,
            limit: PAGE,
            generation: self.generation,
            index,
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
        match self.total {
            _ if self.rows.is_empty() && !self.loading => parts.push("none".into()),
            Some(total) if !self.rows.is_empty() => parts.push(format!(
                "row {} of {}",
                count(self.position() as u64 + 1),
                count(total.max(self.position() as u64 + 1))
            )),
            _ if self.rows.is_empty() => parts.push(more.into()),
            _ => parts.push(format!(
                "row {} of the {} read, {more}",
                count(self.position() as u64 + 1),
                count((self.first * PAGE + self.rows.len()) as u64)
            )),
        }
        parts.join(" · ")
    }
}

/// The columns at full width, and (below `WIDE`) without the run's duration and with
/// narrower names and errors.
const COLUMNS: [Column; 7] = [
    ("Started (UTC)", Constraint::Length(19)),
    ("Child", Constraint::Length(18)),
    ("Status", Constraint::Length(12)),
    ("Fees", Constraint::Length(5)),
    ("Took", Constraint::Length(8)),
    ("Error", Constraint::Length(22)),
    ("Execution", Constraint::Min(8)),
];
const NARROW: [Column; 6] = [
    ("Started (UTC)", Constraint::Length(19)),
    ("Child", Constraint::Length(14)),
    ("Status", Constraint::Length(12)),
    ("Fees", Constraint::Length(5)),
    ("Error", Constraint::Length(12)),
    ("Execution", Constraint::Min(8)),
];
const WIDE: u16 = 110;

pub fn render(state: &ExecutionsState, ui: &Ui, frame: &mut Frame, body: Rect) {
    let wide = body.width >= WIDE;
    let columns: &[Column] = if wide { &COLUMNS } else { &NARROW };
    let cell = |heading: &str, text: &str| {
        let width = columns
            .iter()
            .find(|c| c.0 == heading)
            .map_or(0, |c| match c.1 {
                Constraint::Length(n) => n as usize,
                _ => usize::MAX,
            });
        Line::from(crate::text::fit(text, width))
    };
    // What is left for the execution's name after the fixed columns and their gaps.
    let fixed: usize = columns
        .iter()
        .map(|c| match c.1 {
            Constraint::Length(n) => n as usize + 1,
            _ => 1,
        })
        .sum();
    let name_room = (body.width as usize).saturating_sub(2 + fixed - 1).max(8);
    let rows = window(&state.rows, state.cursor.offset, visible(body)).map(|(i, r)| {
        let mut cells = vec![
            Line::from(time(r.start_date)),
            cell("Child", r.child.as_deref().unwrap_or("–")),
            Line::from(status_span(ui.theme, r.status)),
            Line::from(r.fees.map(|f| f.to_string()).unwrap_or_else(|| "–".into())),
        ];
        if wide {
            cells.push(Line::from(duration(r.start_date, r.stop_date)));
        }
        cells.push(cell("Error", r.error.as_deref().unwrap_or("")));
        cells.push(Line::from(crate::text::fit(&r.name, name_room)));
        (i == state.cursor.selected, cells)
    });
    frame.render_widget(list_table(ui.theme, state.title(), columns, rows), body);
    if state.rows.is_empty() && !state.loading {
        let text = if state.filter == ExecutionFilter::default() {
            "No executions yet. Register a child on screen 2."
        } else {
            "No execution matches the filter. c clears it."
        };
        frame.render_widget(ratatui::widgets::Paragraph::new(text), rows_area(body));
    }
}
