//! How long the console takes to answer a key in the Executions list: the state
//! change plus a full frame drawn into an off-screen 120×40 buffer.

use chrono::{Duration, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use daycare::console::action::Msg;
use daycare::console::app::App;
use daycare::console::render::render;
use daycare::console::theme::Theme;
use daycare::registration::Clock;
use daycare::store::{ExecutionRow, Page};
use daycare::workflow::ExecutionStatus;

fn rows(count: i64) -> Vec<ExecutionRow> {
    let start = Utc.with_ymd_and_hms(2026, 9, 1, 9, 0, 0).unwrap();
    (0..count)
        .map(|n| ExecutionRow {
            name: format!("okafor-amara-{n:08x}"),
            status: if n % 3 == 0 {
                ExecutionStatus::Failed
            } else {
                ExecutionStatus::Succeeded
            },
            start_date: start - Duration::seconds(n),
            stop_date: Some(start - Duration::seconds(n) + Duration::milliseconds(3)),
            child: Some("Amara Okafor".into()),
            fees: Some(750),
            error: None,
        })
        .collect()
}

fn executions_keys(c: &mut Criterion) {
    let clock = Clock::pinned(chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap_or_default());
    let mut app = App::new(clock, Theme::from_env(), (120, 40));
    app.on_key(KeyEvent::new(KeyCode::Char('3'), KeyModifiers::NONE));
    let generation = app.executions.generation;
    app.on_msg(Msg::Executions {
        generation,
        index: 0,
        page: Page {
            rows: rows(10_000),
            next: None,
        },
    });
    let mut terminal = match Terminal::new(TestBackend::new(120, 40)) {
        Ok(t) => t,
        Err(e) => panic!("no test terminal: {e}"),
    };
    let down = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
    let page = KeyEvent::new(KeyCode::PageDown, KeyModifiers::NONE);
    let top = KeyEvent::new(KeyCode::Char('g'), KeyModifiers::NONE);
    c.bench_function("executions: j then draw 120x40", |b| {
        b.iter(|| {
            app.on_key(down);
            let _ = terminal.draw(|frame| render(&app, frame));
        })
    });
    c.bench_function("executions: PgDn/g then draw 120x40", |b| {
        b.iter(|| {
            app.on_key(page);
            let _ = terminal.draw(|frame| render(&app, frame));
            app.on_key(top);
        })
    });
}

criterion_group!(benches, executions_keys);
criterion_main!(benches);
