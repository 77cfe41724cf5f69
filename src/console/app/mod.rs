//! The console's state and the one place it changes: keys and clicks become actions,
//! actions and background reports change state and ask for background work (`Command`s).
//! Nothing here touches the terminal, the database or the engine.

use chrono::NaiveDate;
use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;

mod actions;
mod reports;

use super::action::{Action, Command, Tab};
use super::keymap::{self, Context, Key};
use super::layout::{self, MIN_HEIGHT, MIN_WIDTH};
use super::screens::{children, dashboard, detail, executions, register, spots};
use super::theme::Theme;
use super::ui::Ui;
use crate::registration::Clock;

/// A line of news for staff, above the footer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// What a prompt's answer is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    ChildFilter,
    File,
    Capacity(Option<chrono::Weekday>),
}

/// A one-line question at the bottom of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub label: String,
    pub text: String,
}

/// A yes/no question before something that cannot be undone.
#[derive(Debug, Clone)]
pub struct Confirm {
    pub message: String,
    pub on_yes: Command,
}

pub struct App {
    pub tab: Tab,
    pub detail: Option<detail::DetailState>,
    pub help: bool,
    /// Lines of the help scrolled past.
    pub help_scroll: u16,
    pub size: (u16, u16),
    pub clock: Clock,
    pub theme: Theme,
    pub status: Option<Status>,
    /// The database is open.
    pub ready: bool,
    /// Why the database cannot be used, when it cannot.
    pub unavailable: Option<String>,
    pub dashboard: dashboard::DashboardState,
    pub register: register::RegisterState,
    pub executions: executions::ExecutionsState,
    pub children: children::ChildrenState,
    pub spots: spots::SpotsState,
    pub prompt: Option<Prompt>,
    pub confirm: Option<Confirm>,
    pub quit: bool,
    /// Advances while something runs, for the spinner.
    pub tick: usize,
}

impl App {
    pub fn new(clock: Clock, theme: Theme, size: (u16, u16)) -> App {
        App {
            tab: Tab::Dashboard,
            detail: None,
            help: false,
            help_scroll: 0,
            size,
            clock,
            theme,
            status: None,
            ready: false,
            unavailable: None,
            dashboard: Default::default(),
            register: Default::default(),
            executions: Default::default(),
            children: Default::default(),
            spots: Default::default(),
            prompt: None,
            confirm: None,
            quit: false,
            tick: 0,
        }
    }

    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// What the screens draw with besides their own state.
    pub fn ui(&self) -> Ui<'_> {
        Ui {
            theme: &self.theme,
            today: self.clock.today(),
            start_date: self.clock.start_date(),
            tick: self.tick,
            ready: self.ready,
        }
    }

    pub fn too_small(&self) -> bool {
        self.size.0 < MIN_WIDTH || self.size.1 < MIN_HEIGHT
    }

    pub fn area(&self) -> Rect {
        Rect::new(0, 0, self.size.0, self.size.1)
    }

    pub fn body(&self) -> Rect {
        layout::areas(self.area()).body
    }

    /// Something is running in the background that the screen shows progress for.
    pub fn busy(&self) -> bool {
        self.register.running()
            || self.executions.loading
            || (!self.ready && self.unavailable.is_none())
    }

    /// Which key table answers now.
    pub fn context(&self) -> Context {
        if self.too_small() {
            Context::TooSmall
        } else if self.help {
            Context::Help
        } else if self.confirm.is_some() {
            Context::Confirm
        } else if self.prompt.is_some() {
            Context::Prompt
        } else if self.detail.is_some() {
            Context::Detail
        } else {
            match self.tab {
                Tab::Dashboard => Context::Dashboard,
                Tab::Register => self.register.context(),
                Tab::Executions => Context::Executions,
                Tab::Children => Context::Children,
                Tab::Spots => Context::Spots,
            }
        }
    }

    pub fn say(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    pub fn warn(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: true,
        });
    }

    /// The commands to run when the console starts.
    pub fn start(&mut self) -> Vec<Command> {
        vec![Command::LoadDashboard]
    }

    /// A key press: a focused field or prompt takes it first, then the keymap.
    pub fn on_key(&mut self, event: KeyEvent) -> Vec<Command> {
        if event.kind == KeyEventKind::Release {
            return Vec::new();
        }
        let context = self.context();
        let key = Key::from_event(&event);
        if key != keymap::CTRL_C && self.consume(context, &event) {
            return self.after_edit(context);
        }
        match keymap::lookup(context, key) {
            Some(action) => self.apply(action),
            None => Vec::new(),
        }
    }

    /// Gives a key to the focused text field or prompt. True when it was used (consumed).
    fn consume(&mut self, context: Context, event: &KeyEvent) -> bool {
        let ctrl = event
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match context {
            Context::Prompt => {
                let Some(prompt) = self.prompt.as_mut() else {
                    return false;
                };
                match event.code {
                    KeyCode::Char(c) if !ctrl => prompt.text.push(c),
                    KeyCode::Backspace => {
                        prompt.text.pop();
                    }
                    _ => return false,
                }
                true
            }
            Context::RegisterText => {
                match event.code {
                    KeyCode::Char(c) if !ctrl => self.register.type_char(c),
                    KeyCode::Backspace => self.register.erase(true),
                    KeyCode::Delete => self.register.erase(false),
                    _ => return false,
                }
                true
            }
            // The day toggles take letters too, so a stray `q` or `1` does nothing.
            Context::RegisterDays => {
                matches!(event.code, KeyCode::Char(c) if !ctrl && !" xhl".contains(c))
            }
            _ => false,
        }
    }

    fn after_edit(&mut self, context: Context) -> Vec<Command> {
        if context != Context::Prompt {
            self.register.recheck(self.clock.today());
        }
        Vec::new()
    }

    /// A mouse event: wheel scrolls, a click picks a tab or a row (a second click opens it).
    pub fn on_mouse(&mut self, event: MouseEvent) -> Vec<Command> {
        let context = self.context();
        match event.kind {
            MouseEventKind::ScrollDown if context != Context::TooSmall => self.apply(Action::Down),
            MouseEventKind::ScrollUp if context != Context::TooSmall => self.apply(Action::Up),
            MouseEventKind::Down(MouseButton::Left)
                if context.globals()
                    || matches!(
                        context,
                        Context::RegisterText | Context::RegisterDays | Context::RegisterButton
                    ) =>
            {
                self.click(event.column, event.row)
            }
            _ => Vec::new(),
        }
    }

    fn click(&mut self, x: u16, y: u16) -> Vec<Command> {
        let areas = layout::areas(self.area());
        if layout::contains(areas.tabs, x, y) {
            return match layout::tab_at(x) {
                Some(tab) => self.apply(Action::Go(tab)),
                None => Vec::new(),
            };
        }
        let rows_area = match (self.detail.is_some(), self.tab) {
            (true, _) => {
                if let Some(detail) = self.detail.as_mut() {
                    detail.click(areas.body, x, y);
                }
                return Vec::new();
            }
            (false, Tab::Executions) => executions::rows_area(areas.body),
            (false, Tab::Children) => layout::table_rows(areas.body),
            (false, Tab::Spots) => spots::rows_area(areas.body),
            (false, Tab::Dashboard) => dashboard::recent_rows_area(areas.body),
            (false, Tab::Register) => return Vec::new(),
        };
        if !layout::contains(rows_area, x, y) {
            return Vec::new();
        }
        let row = (y - rows_area.y) as usize;
        let (cursor, len) = match self.tab {
            Tab::Executions => (&mut self.executions.cursor, self.executions.rows.len()),
            Tab::Children => (&mut self.children.cursor, self.children.rows.len()),
            Tab::Spots => (&mut self.spots.cursor, self.spots.rows.len()),
            Tab::Dashboard => (&mut self.dashboard.cursor, self.dashboard.recent.len()),
            Tab::Register => return Vec::new(),
        };
        let before = cursor.selected;
        if cursor.click(row, len) && before == cursor.selected {
            return self.apply(Action::Open);
        }
        Vec::new()
    }

    pub fn on_resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        let body = self.body();
        self.executions.fit(body);
        self.children.fit(body);
    }

    /// One action, applied.
    pub fn apply(&mut self, action: Action) -> Vec<Command> {
        let context = self.context();
        match (context, action) {
            (_, Action::Quit) => {
                self.quit = true;
                Vec::new()
            }
            (Context::Help, Action::Back) => {
                self.help = false;
                Vec::new()
            }
            (Context::Help, Action::Down) => {
                self.help_scroll = self.help_scroll.saturating_add(3);
                Vec::new()
            }
            (Context::Help, Action::Up) => {
                self.help_scroll = self.help_scroll.saturating_sub(3);
                Vec::new()
            }
            (_, Action::Help) => {
                self.help = true;
                self.help_scroll = 0;
                Vec::new()
            }
            (Context::Confirm, Action::Yes) => match self.confirm.take() {
                Some(confirm) => vec![confirm.on_yes],
                None => Vec::new(),
            },
            (Context::Confirm, Action::No) => {
                self.confirm = None;
                self.say("Nothing was changed.");
                Vec::new()
            }
            (Context::Prompt, Action::Yes) => self.answer_prompt(),
            (Context::Prompt, Action::ClearField) => {
                if let Some(prompt) = self.prompt.as_mut() {
                    prompt.text.clear();
                }
                Vec::new()
            }
            (Context::RegisterText, Action::ClearField) => {
                if let Some(text) = self.register.focused_text() {
                    text.clear();
                }
                self.register.recheck(self.clock.today());
                Vec::new()
            }
            (Context::Prompt, Action::No) => {
                self.prompt = None;
                Vec::new()
            }
            (_, Action::Go(tab)) => self.go(tab),
            (Context::Detail, Action::Back) => {
                self.detail = None;
                Vec::new()
            }
            (Context::Detail, action) => {
                let body = self.body();
                match self.detail.as_mut() {
                    Some(detail) => detail.apply(action, body),
                    None => Vec::new(),
                }
            }
            (Context::Dashboard, action) => self.apply_dashboard(action),
            (
                Context::RegisterText
                | Context::RegisterDays
                | Context::RegisterButton
                | Context::RegisterIdle,
                action,
            ) => self.apply_register(action),
            (Context::Executions, action) => self.apply_executions(action),
            (Context::Children, action) => self.apply_children(action),
            (Context::Spots, action) => self.apply_spots(action),
            _ => Vec::new(),
        }
    }

    fn go(&mut self, tab: Tab) -> Vec<Command> {
        self.detail = None;
        self.tab = tab;
        match tab {
            Tab::Dashboard => vec![Command::LoadDashboard],
            Tab::Register => {
                if !self.register.running() && self.register.run.is_none() {
                    self.register.focus = Some(0);
                }
                Vec::new()
            }
            Tab::Executions => {
                if self.executions.stale || self.executions.rows.is_empty() {
                    vec![self.executions.reload()]
                } else {
                    Vec::new()
                }
            }
            Tab::Children => vec![Command::LoadChildren],
            Tab::Spots => vec![Command::LoadSpots],
        }
    }

    /// Opens an execution's detail over the current screen.
    pub fn open_execution(&mut self, name: String) -> Vec<Command> {
        self.detail = Some(detail::DetailState::new(name.clone()));
        vec![Command::LoadExecution(name)]
    }
}
