//! Screen 1, Dashboard: spots per weekday as bars (enrolled against capacity), today's
//! numbers and the most recent executions.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table};

use crate::console::app::App;
use crate::console::layout;
use crate::console::list::ListCursor;
use crate::console::widgets::{bar, block, count, highlight, status_span, time};
use crate::store::{DaySpots, ExecutionCounts, ExecutionRow};
use crate::text::clean;
use crate::workflow::ExecutionStatus;
use chrono::{DateTime, Local, NaiveDate, NaiveTime, Utc};

/// How many recent executions the dashboard asks for.
pub const RECENT: usize = 10;

/// Today's executions by outcome, counted newest first a window at a time, up to a cap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TodayCounts {
    pub succeeded: u64,
    pub failed: u64,
    pub running: u64,
    /// Counting stopped at the cap: there are more.
    pub more: bool,
}

impl TodayCounts {
    /// At most this many rows are read to count a day.
    pub const CAP: usize = 2_000;

    pub fn total(&self) -> u64 {
        self.succeeded + self.failed + self.running
    }

    /// Counts one newest-first window of rows that fall in `[start, end)`. Returns false
    /// when counting is over (an older row was reached, or the cap).
    pub fn add_window(
        &mut self,
        rows: &[ExecutionRow],
        (start, end): (DateTime<Utc>, DateTime<Utc>),
        scanned: &mut usize,
    ) -> bool {
        for row in rows {
            *scanned += 1;
            if *scanned > Self::CAP {
                self.more = true;
                return false;
            }
            if row.start_date < start {
                return false;
            }
            if row.start_date >= end {
                continue;
            }
            match row.status {
                ExecutionStatus::Succeeded => self.succeeded += 1,
                ExecutionStatus::Running => self.running += 1,
                _ => self.failed += 1,
            }
        }
        true
    }
}

/// The instants a local calendar day starts and ends.
pub fn day_bounds(day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let at_midnight = |d: NaiveDate| {
        d.and_time(NaiveTime::MIN)
            .and_local_timezone(Local)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| d.and_time(NaiveTime::MIN).and_utc())
    };
    (at_midnight(day), at_midnight(day + chrono::Days::new(1)))
}

#[derive(Debug, Clone, Default)]
pub struct DashboardState {
    pub spots: Vec<DaySpots>,
    pub counts: Option<ExecutionCounts>,
    pub today: TodayCounts,
    pub recent: Vec<ExecutionRow>,
    pub cursor: ListCursor,
}

impl DashboardState {
    pub fn set(
        &mut self,
        spots: Vec<DaySpots>,
        counts: ExecutionCounts,
        today: TodayCounts,
        recent: Vec<ExecutionRow>,
    ) {
        self.spots = spots;
        self.today = today;
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
    // Runs by status, today's beside all of them: seven lines fit beside the week.
    if let Some(all) = state.counts {
        let t = state.today;
        // Only newer runs were within reach (today is pinned in the past).
        let unknown = t.more && t.total() == 0;
        let today = |n: u64| match (unknown, t.more) {
            (true, _) => "?".to_string(),
            (false, true) => format!("{}+", count(n)),
            (false, false) => count(n),
        };
        numbers.push(Line::from(format!(
            "{:<12}{:>8}{:>12}",
            "Runs", "today", "all"
        )));
        let rows = [
            ("✓ ", "succeeded", t.succeeded, all.succeeded, theme.ok()),
            ("✗ ", "failed", t.failed, all.failed, theme.bad()),
            ("… ", "running", t.running, all.running, theme.running()),
        ];
        for (mark, label, today_n, all_n, style) in rows {
            numbers.push(Line::from(vec![
                Span::styled(mark, style),
                Span::raw(format!(
                    "{label:<10}{:>8}{:>12}",
                    today(today_n),
                    count(all_n)
                )),
            ]));
        }
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
        highlight(theme, row, i == state.cursor.selected)
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn row(hour: u32, day: u32, status: ExecutionStatus) -> ExecutionRow {
        ExecutionRow {
            name: format!("r{day}-{hour}"),
            status,
            start_date: Utc.with_ymd_and_hms(2026, 9, day, hour, 0, 0).unwrap(),
            stop_date: None,
            child: None,
            fees: None,
            error: None,
        }
    }

    #[test]
    fn counts_only_the_day_and_stops_at_older_rows() {
        let day = (
            Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 9, 2, 0, 0, 0).unwrap(),
        );
        let rows = [
            row(9, 2, ExecutionStatus::Succeeded),
            row(15, 1, ExecutionStatus::Succeeded),
            row(10, 1, ExecutionStatus::Failed),
            row(8, 1, ExecutionStatus::Running),
        ];
        let mut counts = TodayCounts::default();
        let mut scanned = 0;
        assert!(counts.add_window(&rows, day, &mut scanned), "may go on");
        assert_eq!((counts.succeeded, counts.failed, counts.running), (1, 1, 1));
        let mut yesterday = row(0, 1, ExecutionStatus::Succeeded);
        yesterday.start_date = Utc.with_ymd_and_hms(2026, 8, 31, 23, 0, 0).unwrap();
        assert!(
            !counts.add_window(&[yesterday], day, &mut scanned),
            "an older row ends the day"
        );
        assert_eq!(counts.total(), 3);
        assert!(!counts.more);
    }

    #[test]
    fn a_busy_day_is_counted_up_to_the_cap() {
        let day = (
            Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 9, 2, 0, 0, 0).unwrap(),
        );
        let rows = vec![row(12, 1, ExecutionStatus::Succeeded); TodayCounts::CAP + 1];
        let mut counts = TodayCounts::default();
        let mut scanned = 0;
        assert!(!counts.add_window(&rows, day, &mut scanned));
        assert!(counts.more);
        assert_eq!(counts.total(), TodayCounts::CAP as u64);
    }
}
