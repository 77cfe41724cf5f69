//! The Audit screen: who changed what and when (capacity, amendments, withdrawals, the
//! waitlist, offers), newest first, filtered by child and by kind. A window of the
//! newest entries is read; the store does the filtering.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::console::action::{Action, Command};
use crate::console::layout;
use crate::console::list::ListCursor;
use crate::console::ui::Ui;
use crate::console::widgets::{Column, block, count, list_table, time, window};
use crate::store::{AuditEntry, AuditFilter, AuditKind};
use crate::text::clean;

/// How many of the newest entries the screen reads.
pub const WINDOW: usize = 500;

#[derive(Debug, Clone, Default)]
pub struct AuditState {
    pub rows: Vec<AuditEntry>,
    pub cursor: ListCursor,
    /// The child typed after `/`, and the kind chosen with `s`.
    pub filter: AuditFilter,
    pub loaded: bool,
}

const SELECTED_HEIGHT: u16 = 5;

fn split(body: Rect) -> (Rect, Rect) {
    let [table, selected] =
        Layout::vertical([Constraint::Min(4), Constraint::Length(SELECTED_HEIGHT)]).areas(body);
    (table, selected)
}

/// Where the entries' rows are drawn (for clicks).
pub fn rows_area(body: Rect) -> Rect {
    layout::table_rows(split(body).0)
}

fn visible(body: Rect) -> usize {
    rows_area(body).height as usize
}

impl AuditState {
    /// Reads the window under the current filter again.
    pub fn reload(&self) -> Command {
        Command::LoadAudit(self.filter.clone())
    }

    /// A window read; one asked for under an older filter is dropped.
    pub fn set(&mut self, filter: AuditFilter, rows: Vec<AuditEntry>, body: Rect) {
        if filter != self.filter {
            return;
        }
        self.rows = rows;
        self.loaded = true;
        self.cursor.clamp(self.rows.len(), visible(body));
    }

    pub fn selected(&self) -> Option<&AuditEntry> {
        self.rows.get(self.cursor.selected)
    }

    pub fn navigate(&mut self, action: Action, body: Rect) {
        self.cursor.motion(action, self.rows.len(), visible(body));
    }

    /// The next kind: all, then each kind in turn, then all again.
    pub fn cycle_kind(&mut self) {
        let kinds = AuditKind::ALL;
        self.filter.kind = match self.filter.kind {
            None => kinds.first().copied(),
            Some(kind) => kinds
                .iter()
                .position(|k| *k == kind)
                .and_then(|at| kinds.get(at + 1))
                .copied(),
        };
        self.cursor.first();
    }

    /// Shows only entries whose child's name contains `child` (empty: every entry).
    pub fn set_child(&mut self, child: &str) -> bool {
        let child = child.trim();
        let child = (!child.is_empty()).then(|| child.to_string());
        if self.filter.child == child {
            return false;
        }
        self.filter.child = child;
        self.cursor.first();
        true
    }
}

const COLUMNS: [Column; 5] = [
    ("When (UTC)", Constraint::Length(19)),
    ("Who", Constraint::Length(8)),
    ("Kind", Constraint::Length(17)),
    ("Child", Constraint::Length(14)),
    ("What", Constraint::Min(10)),
];

pub fn render(state: &AuditState, ui: &Ui, frame: &mut Frame, body: Rect) {
    let (table, selected) = split(body);
    render_table(state, ui, frame, table);
    render_selected(state, ui, frame, selected);
}

/// "kind Offer, child “sofia”": the filters in force, for the title.
fn filters(filter: &AuditFilter) -> String {
    let mut parts = Vec::new();
    if let Some(kind) = filter.kind {
        parts.push(format!("kind {}", kind.label()));
    }
    if let Some(child) = &filter.child {
        parts.push(format!("child “{}”", crate::text::quote(child, 20)));
    }
    parts.join(", ")
}

fn render_table(state: &AuditState, ui: &Ui, frame: &mut Frame, area: Rect) {
    let rows_area = layout::table_rows(area);
    let what_room = (area.width as usize)
        .saturating_sub(2 + 19 + 8 + 17 + 14 + 4)
        .max(10);
    let rows = window(&state.rows, state.cursor.offset, rows_area.height as usize).map(|(i, e)| {
        let cells = vec![
            time(e.at),
            crate::text::fit(&clean(&e.staff), 8),
            e.kind.label().to_string(),
            crate::text::fit(&clean(e.child.as_deref().unwrap_or("–")), 14),
            crate::text::fit(&clean(&e.summary), what_room),
        ];
        (i == state.cursor.selected, cells)
    });
    let n = |n: usize| count(n as u64);
    let shown = filters(&state.filter);
    let mut title = if shown.is_empty() {
        format!("Audit · newest first · {}", n(state.rows.len()))
    } else {
        format!("Audit · {} with {shown} (c clears)", n(state.rows.len()))
    };
    if state.rows.len() >= WINDOW {
        title.push_str(&format!(" (the newest {WINDOW})"));
    }
    frame.render_widget(list_table(ui.theme, title, &COLUMNS, rows), area);
    if !state.loaded {
        frame.render_widget(Paragraph::new("Reading the audit…"), rows_area);
    } else if state.rows.is_empty() {
        let empty = if shown.is_empty() {
            "Nothing recorded yet: capacity changes, amendments, withdrawals, waitlist actions and offers appear here."
        } else {
            "No entry matches the filters. c clears them."
        };
        frame.render_widget(Paragraph::new(empty).wrap(Wrap { trim: true }), rows_area);
    }
}

/// The selected entry in full: what it says, its execution, the values before and after.
fn render_selected(state: &AuditState, ui: &Ui, frame: &mut Frame, area: Rect) {
    let Some(e) = state.selected() else {
        frame.render_widget(Paragraph::new("").block(block(ui.theme, "Entry")), area);
        return;
    };
    let label = |text: &'static str| Span::styled(text, ui.theme.title());
    let mut lines = vec![Line::from(clean(&e.summary))];
    let value = |v: &Option<serde_json::Value>| {
        v.as_ref()
            .map(|v| clean(&v.to_string()))
            .unwrap_or_else(|| "–".into())
    };
    if e.before.is_some() || e.after.is_some() {
        lines.push(Line::from(vec![
            label("Before "),
            Span::raw(value(&e.before)),
            label(" after "),
            Span::raw(value(&e.after)),
        ]));
    }
    if let Some(execution) = &e.execution_name {
        lines.push(Line::from(vec![
            label("Execution "),
            Span::raw(clean(execution)),
        ]));
    }
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(block(
            ui.theme,
            format!("{} · {} · {}", e.kind.label(), time(e.at), clean(&e.staff)),
        )),
        area,
    );
}
