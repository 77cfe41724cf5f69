//! Screen 1, Dashboard: spots per weekday as bars (enrolled against capacity), today's
//! numbers and the most recent executions.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table};

use crate::console::app::App;
use crate::console::layout;
use crate::console::list::ListCursor;
use crate::console::sanitize::clean;
use crate::console::widgets::{bar, block, count, status_span, time};
use crate::store::{DaySpots, ExecutionCounts, ExecutionRow};

/// How many recent executions the dashboard asks for.
pub const RECENT: usize = 10;

#[derive(Debug, Clone, Default)]
pub struct DashboardState {
    pub spots: Vec<DaySpots>,
    pub counts: Option<ExecutionCounts>,
    pub recent: Vec<ExecutionRow>,
    pub cursor: ListCursor,
}

impl DashboardState {
    pub fn set(
        &mut self,
        spots: Vec<DaySpots>,
        counts: ExecutionCounts,
        recent: Vec<ExecutionRow>,
    ) {
        self.spots = spots;
        self.counts = Some(counts);
        self.recent = recent;
        let len = self.recent.len();
        self.cursor.clamp(len, len);
    }
}

const BARS_HEIGHT: u16 = 9;

fn split(body: Rect) -> (Rect, Rect) {
    let [top, recent] =
        Layout::vertical([Constraint::Length(BARS_HEIGHT), Constraint::Min(3)]).areas(body);
    (top, recent)
}

/// Where the recent executions' rows are drawn (for clicks).
pub fn recent_rows_area(body: Rect) -> Rect {
    layout::table_rows(split(body).1)
}

pub fn render(app: &App, frame: &mut Frame, body: Rect) {
    let theme = &app.theme;
    let state = &app.dashboard;
    let (top, recent) = split(body);
    let [bars_area, counts_area] =
        Layout::horizontal([Constraint::Min(40), Constraint::Length(34)]).areas(top);

    let max = state.spots.iter().map(|d| d.capacity).max().unwrap_or(0);
    let bar_width = (bars_area.width as usize).saturating_sub(2 + 5 + 26).max(4);
    let lines: Vec<Line> = if state.spots.is_empty() {
        vec![Line::from(if app.ready {
            "Reading spots…"
        } else {
            "Opening the database…"
        })]
    } else {
        state
            .spots
            .iter()
            .map(|d| {
                let width = if max == 0 {
                    0
                } else {
                    (d.capacity as usize * bar_width).div_ceil(max as usize)
                };
                let (used, free) = bar(d.enrolled, d.capacity, width);
                let label = if d.closed() {
                    "closed".to_string()
                } else {
                    format!(
                        " {}/{} enrolled, {} free",
                        d.enrolled,
                        d.capacity,
                        d.available()
                    )
                };
                Line::from(vec![
                    Span::raw(format!("{:<5}", d.day.to_string())),
                    Span::styled(used, theme.bar_used()),
                    Span::styled(free, theme.dim()),
                    Span::raw(label),
                ])
            })
            .collect()
    };
    frame.render_widget(
        Paragraph::new(lines).block(block(theme, "Spots this week (█ enrolled, ░ free)")),
        bars_area,
    );

    let today = app.today();
    let mut numbers = vec![
        Line::from(format!("Today       {} ({})", today, today.format("%a"))),
        Line::from(format!("Starts on   {}", app.clock.start_date())),
        Line::from(format!(
            "Places      {}/{} taken",
            state.spots.iter().map(|d| d.enrolled).sum::<u32>(),
            state.spots.iter().map(|d| d.capacity).sum::<u32>()
        )),
    ];
    if let Some(c) = state.counts {
        numbers.push(Line::from(format!("Executions  {}", count(c.total))));
        numbers.push(Line::from(vec![
            Span::styled("  ✓ ", theme.ok()),
            Span::raw(format!("succeeded {}", count(c.succeeded))),
        ]));
        numbers.push(Line::from(vec![
            Span::styled("  ✗ ", theme.bad()),
            Span::raw(format!("failed    {}", count(c.failed))),
        ]));
        numbers.push(Line::from(vec![
            Span::styled("  … ", theme.running()),
            Span::raw(format!("running   {}", count(c.running))),
        ]));
    }
    frame.render_widget(
        Paragraph::new(numbers).block(block(theme, "Today")),
        counts_area,
    );

    let rows = state.recent.iter().enumerate().map(|(i, r)| {
        let row = Row::new(vec![
            Line::from(time(r.start_date)),
            Line::from(clean(r.child.as_deref().unwrap_or("–"))),
            Line::from(status_span(theme, r.status)),
            Line::from(clean(&r.name)),
        ]);
        if i == state.cursor.selected {
            row.style(theme.selected())
        } else {
            row
        }
    });
    let table = Table::new(
        rows,
        [
            Constraint::Length(19),
            Constraint::Length(22),
            Constraint::Length(12),
            Constraint::Min(10),
        ],
    )
    .header(Row::new(vec!["Started (UTC)", "Child", "Status", "Execution"]).style(theme.title()))
    .block(block(theme, "Recent executions"));
    frame.render_widget(table, recent);
}
