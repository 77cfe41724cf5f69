//! Screen 1, Dashboard: spots per weekday as bars (enrolled against capacity), today's
//! numbers, who on the waitlist fits now and how many children age out soon, and the
//! most recent executions.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::console::action::Lists;
use crate::console::layout;
use crate::console::list::ListCursor;
use crate::console::ui::Ui;
use crate::console::widgets::{Column, bar, block, count, list_table, status_span, time};
use crate::store::{DaySpots, ExecutionCounts, ExecutionRow};
use crate::text::clean;

/// How many recent executions the dashboard asks for.
pub const RECENT: usize = 10;

#[derive(Debug, Clone, Default)]
pub struct DashboardState {
    pub spots: Vec<DaySpots>,
    /// Every execution kept, by status (`None` until read).
    pub counts: Option<ExecutionCounts>,
    /// Today's executions, by status.
    pub today: ExecutionCounts,
    pub recent: Vec<ExecutionRow>,
    pub cursor: ListCursor,
    /// Of each weekday's enrolled children (Monday first), those whose start date is
    /// still to come: they hold a place but do not attend yet.
    pub later: [u32; 7],
    /// The waitlist and the children ageing out (`None` until read).
    pub lists: Option<Lists>,
}

impl DashboardState {
    pub fn set(
        &mut self,
        spots: Vec<DaySpots>,
        counts: ExecutionCounts,
        today: ExecutionCounts,
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

/// The lines between the week and the recent executions: the waitlist, ageing out.
const LISTS_HEIGHT: u16 = 2;

fn split(body: Rect) -> (Rect, Rect) {
    let (top, _, recent) = split3(body);
    (top, recent)
}

fn split3(body: Rect) -> (Rect, Rect, Rect) {
    let [top, lists, recent] = Layout::vertical([
        Constraint::Length(BARS_HEIGHT),
        Constraint::Length(LISTS_HEIGHT),
        Constraint::Min(3),
    ])
    .areas(body);
    (top, lists, recent)
}

/// Where the recent executions' rows are drawn (for clicks).
pub fn recent_rows_area(body: Rect) -> Rect {
    layout::table_rows(split(body).1)
}

pub fn render(state: &DashboardState, ui: &Ui, frame: &mut Frame, body: Rect) {
    let (top, lists, recent) = split3(body);
    render_lists(state, ui, frame, lists);
    let [bars_area, counts_area] =
        Layout::horizontal([Constraint::Min(40), Constraint::Length(34)]).areas(top);
    render_bars(state, ui, frame, bars_area);
    render_numbers(state, ui, frame, counts_area);
    render_recent(state, ui, frame, recent);
}

/// The week's spots, one bar a day, scaled to the largest capacity: children who attend
/// (█), children enrolled whose start date is still to come (▒), free places (░).
fn render_bars(state: &DashboardState, ui: &Ui, frame: &mut Frame, area: Rect) {
    let theme = ui.theme;
    let any_later = state.later.iter().any(|n| *n > 0);
    let key = if any_later {
        "(█ enrolled, ▒ starting, ░ free)"
    } else {
        "(█ enrolled, ░ free)"
    };
    // The title's key stays whole: on a narrow screen "this week" goes first.
    let full = format!("Spots this week {key}");
    let title = if crate::text::width(&full) + 4 <= area.width as usize {
        full
    } else {
        format!("Spots {key}")
    };
    let lines: Vec<Line> = if state.spots.is_empty() {
        vec![Line::from(if ui.ready {
            "Reading spots…"
        } else {
            "Opening the database…"
        })]
    } else {
        let days: Vec<(DaySpots, u32, String)> = state
            .spots
            .iter()
            .map(|d| {
                let later = state.later[d.day.num_days_from_monday() as usize].min(d.enrolled);
                (*d, later, day_label(d, later))
            })
            .collect();
        let longest = days.iter().map(|(_, _, l)| crate::text::width(l)).max();
        let bar_width = (area.width as usize)
            .saturating_sub(2 + 5 + longest.unwrap_or(0))
            .max(4);
        let max = state.spots.iter().map(|d| d.capacity).max().unwrap_or(0);
        days.into_iter()
            .map(|(d, later, label)| {
                let width = if max == 0 {
                    0
                } else {
                    (d.capacity as usize * bar_width).div_ceil(max as usize)
                };
                let (here, _) = bar(d.enrolled - later, d.capacity, width);
                let (held, free) = bar(d.enrolled, d.capacity, width);
                let starting: String = held
                    .chars()
                    .skip(here.chars().count())
                    .map(|_| '▒')
                    .collect();
                Line::from(vec![
                    Span::raw(format!("{:<5}", d.day.to_string())),
                    Span::styled(here, theme.bar_used()),
                    Span::styled(starting, theme.bar_used()),
                    Span::styled(free, theme.dim()),
                    Span::raw(label),
                ])
            })
            .collect()
    };
    frame.render_widget(Paragraph::new(lines).block(block(theme, title)), area);
}

/// A day's numbers beside its bar: the children who attend of the capacity, those who
/// start later (when some do), and the free places.
fn day_label(d: &DaySpots, later: u32) -> String {
    if d.closed() {
        "closed".to_string()
    } else if later > 0 {
        format!(
            " {}/{} enrolled, {later} starting, {} free",
            d.enrolled - later,
            d.capacity,
            d.available()
        )
    } else {
        format!(
            " {}/{} enrolled, {} free",
            d.enrolled,
            d.capacity,
            d.available()
        )
    }
}

/// Today, the start date, places taken, and runs by status: today's beside all of them.
fn render_numbers(state: &DashboardState, ui: &Ui, frame: &mut Frame, area: Rect) {
    let theme = ui.theme;
    let today = ui.today;
    let mut numbers = vec![
        Line::from(format!("Today       {} ({})", today, today.format("%a"))),
        Line::from(format!("Starts on   {}", ui.start_date)),
        Line::from(format!(
            "Places      {}/{} taken",
            state.spots.iter().map(|d| d.enrolled).sum::<u32>(),
            state.spots.iter().map(|d| d.capacity).sum::<u32>()
        )),
    ];
    // Seven lines fit beside the week.
    if let Some(all) = state.counts {
        let t = state.today;
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
                    count(today_n),
                    count(all_n)
                )),
            ]));
        }
    }
    frame.render_widget(Paragraph::new(numbers).block(block(theme, "Today")), area);
}

/// "Waitlist: 3 waiting, 1 fits now: Ana Díaz" and "Ageing out within 60 days: 2".
pub fn lists_lines(lists: &Lists, width: usize) -> [String; 2] {
    let fit = match lists.fit.len() {
        0 => String::new(),
        _ => format!(
            ": {}",
            lists
                .fit
                .iter()
                .map(|n| clean(n))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let waitlist = format!(
        " Waitlist: {} waiting, {} fit{} now{fit}",
        count(lists.waiting as u64),
        count(lists.fit.len() as u64),
        if lists.fit.len() == 1 { "s" } else { "" },
    );
    [
        crate::console::widgets::shorten(&waitlist, width),
        format!(
            " Ageing out within {} days: {}",
            crate::registration::rules::AGES_OUT_WITHIN,
            count(lists.ageing_out as u64)
        ),
    ]
}

fn render_lists(state: &DashboardState, ui: &Ui, frame: &mut Frame, area: Rect) {
    let Some(lists) = &state.lists else {
        if ui.ready {
            frame.render_widget(
                Paragraph::new(Span::styled(" Reading the waitlist…", ui.theme.dim())),
                area,
            );
        }
        return;
    };
    let [waitlist, ageing] = lists_lines(lists, area.width as usize);
    let style = if lists.fit.is_empty() {
        ratatui::style::Style::new()
    } else {
        ui.theme.ok()
    };
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(Span::styled(waitlist, style)),
            Line::from(ageing),
        ]),
        area,
    );
}

const RECENT_COLUMNS: [Column; 4] = [
    ("Started (UTC)", Constraint::Length(19)),
    ("Child", Constraint::Length(22)),
    ("Status", Constraint::Length(12)),
    ("Execution", Constraint::Min(10)),
];

fn render_recent(state: &DashboardState, ui: &Ui, frame: &mut Frame, area: Rect) {
    // The execution's name takes what the fixed columns and their gaps leave.
    let name_room = (area.width as usize)
        .saturating_sub(2 + 19 + 22 + 12 + 3)
        .max(8);
    let rows = state.recent.iter().enumerate().map(|(i, r)| {
        let cells = vec![
            Line::from(time(r.start_date)),
            Line::from(clean(r.child.as_deref().unwrap_or("–"))),
            Line::from(status_span(ui.theme, r.status)),
            Line::from(crate::text::fit(&r.name, name_room)),
        ];
        (i == state.cursor.selected, cells)
    });
    frame.render_widget(
        list_table(ui.theme, "Recent executions", &RECENT_COLUMNS, rows),
        area,
    );
    if state.recent.is_empty() && state.counts.is_some() {
        frame.render_widget(
            Paragraph::new(vec![
                Line::from(EMPTY),
                Line::from(Span::styled(
                    "Ctrl-O on screen 2 fills the form from a JSON file.",
                    ui.theme.dim(),
                )),
            ]),
            layout::table_rows(area),
        );
    }
}

/// What the dashboard of a database with no execution says to do.
pub const EMPTY: &str = "No registrations yet — press 2 to register a child.";
