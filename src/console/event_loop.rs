//! The one event loop: terminal events, background reports, (only while something
//! runs) a tick and (only while there is one) the status message's expiry, multiplexed
//! with `tokio::select!`; a frame is drawn only after a change. Copies reach the
//! terminal's clipboard here, as OSC 52 (which works over SSH).

use std::io::{Write, stdout};
use std::time::{Duration, Instant};

use base64::Engine;
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
    EventStream,
};
use futures::StreamExt;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

use super::ConsoleOptions;
use super::action::Command;
use super::app::App;
use super::render::render;
use super::theme::Theme;
use super::worker;

/// Takes over the terminal, runs until staff quit, and gives the terminal back.
pub async fn run(options: ConsoleOptions) -> anyhow::Result<()> {
    let started = Instant::now();
    install_panic_log();
    let mut terminal = ratatui::init();
    let result = drive(&mut terminal, options, started).await;
    let _ = crossterm::execute!(stdout(), DisableMouseCapture, DisableBracketedPaste);
    ratatui::restore();
    result
}

/// Logs a panic and releases the mouse; installed before `ratatui::init()`, whose own
/// hook restores the screen first and then calls this one.
fn install_panic_log() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = crossterm::execute!(stdout(), DisableMouseCapture, DisableBracketedPaste);
        tracing::error!(%info, "the console panicked");
        previous(info);
    }));
}

/// What woke the event loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Key,
    Mouse,
    Resize,
    Paste,
    /// The status message went out of date.
    Expired,
    /// A report from background work.
    Report,
    /// The spinner's tick, while something runs.
    Tick,
    /// A terminal event the console does not use (focus).
    Other,
}

impl Source {
    /// Whether the state may have changed, so the frame is drawn again.
    fn changes_state(self) -> bool {
        self != Source::Other
    }
}

/// Hands `text` to the terminal's clipboard with OSC 52; the terminal (or tmux, or the
/// SSH client's terminal) keeps it.
fn copy_to_clipboard(text: &str) {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = stdout();
    let _ = write!(out, "\x1b]52;c;{encoded}\x07");
    let _ = out.flush();
}

fn send(commands: &UnboundedSender<Command>, list: Vec<Command>) {
    for command in list {
        tracing::debug!(command = command.label(), "command");
        let _ = commands.send(command);
    }
}

async fn drive(
    terminal: &mut ratatui::DefaultTerminal,
    options: ConsoleOptions,
    started: Instant,
) -> anyhow::Result<()> {
    crossterm::execute!(stdout(), EnableMouseCapture, EnableBracketedPaste)?;
    let size = terminal.size()?;
    let mut app = App::new(options.clock, Theme::from_env(), (size.width, size.height));
    let (results, mut reports) = unbounded_channel();
    let commands = worker::spawn(options.db.clone(), options.clock, results);
    let first = app.start();
    send(&commands, first);
    terminal.draw(|frame| render(&app, frame))?;
    tracing::info!(
        us = started.elapsed().as_micros() as u64,
        "first frame drawn"
    );

    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_millis(150));
    loop {
        let mut received = Instant::now();
        let expiry = app
            .status
            .as_ref()
            .map_or(received, |status| status.expires());
        let source = tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => {
                    received = Instant::now();
                    let (source, list) = match event {
                        Event::Key(key) => (Source::Key, app.on_key(key)),
                        Event::Mouse(mouse) => (Source::Mouse, app.on_mouse(mouse)),
                        Event::Paste(text) => (Source::Paste, app.on_paste(&text)),
                        Event::Resize(width, height) => {
                            app.on_resize(width, height);
                            (Source::Resize, Vec::new())
                        }
                        _ => (Source::Other, Vec::new()),
                    };
                    send(&commands, list);
                    source
                }
                Some(Err(error)) => return Err(error.into()),
                None => break,
            },
            Some(msg) = reports.recv() => {
                received = Instant::now();
                let list = app.on_msg(msg);
                send(&commands, list);
                Source::Report
            }
            _ = tick.tick(), if app.busy() => {
                app.tick = app.tick.wrapping_add(1);
                Source::Tick
            }
            _ = tokio::time::sleep_until(expiry.into()), if app.status.is_some() => {
                if app.expire(Instant::now()) { Source::Expired } else { Source::Other }
            }
        };
        if let Some(text) = app.clipboard.take() {
            copy_to_clipboard(&text);
        }
        if app.quit {
            break;
        }
        if source.changes_state() {
            terminal.draw(|frame| render(&app, frame))?;
            let us = received.elapsed().as_micros() as u64;
            match source {
                Source::Key => tracing::debug!(us, tab = ?app.tab, "key answered"),
                Source::Report => tracing::debug!(us, "report drawn"),
                _ => {}
            }
        }
    }
    tracing::info!("console closed");
    Ok(())
}
