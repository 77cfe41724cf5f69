//! The key tables themselves: one per context, plus the global keys and Ctrl-C, built
//! from the bindings several contexts share (defined once, below). Only data: `keymap`
//! looks keys up in them and builds the footer and help from them. Laid out one
//! binding a line, so rustfmt leaves this file alone.

use crossterm::event::KeyCode::{BackTab, Delete, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right, Tab, Up};

use super::{Binding, Key, code, ctrl, k};
use crate::console::action::Action as A;

pub(super) const fn b(keys: &'static [Key], action: A, hint: &'static str, help: &'static str) -> Binding {
    Binding { keys, action, hint, help }
}

// Shared by the lists.
const DOWN: Binding   = b(&[k('j'), code(Down)], A::Down,   "down",   "Move down one row");
const UP: Binding     = b(&[k('k'), code(Up)],   A::Up,     "up",     "Move up one row");
const TOP: Binding    = b(&[k('g'), code(Home)], A::Top,    "top",    "Go to the first row");
const BOTTOM: Binding = b(&[k('G'), code(End)],  A::Bottom, "bottom", "Go to the last row loaded");

/// Enter opens what is selected; `help` says what that is.
const fn open(hint: &'static str, help: &'static str) -> Binding {
    const ENTER: &[Key] = &[code(Enter)];
    b(ENTER, A::Open, hint, help)
}

/// `r` reads the screen's data again; `help` says which.
const fn refresh(help: &'static str) -> Binding {
    const R: &[Key] = &[k('r')];
    b(R, A::Refresh, "refresh", help)
}

// Shared by the form's fields and the prompt.
const LOAD: &str = "Fill the form from a JSON registration file";
const NEXT_FIELD: Binding = b(&[code(Tab), code(Down), code(Enter)], A::NextField,  "next",       "Next field");
const PREV_FIELD: Binding = b(&[code(BackTab), code(Up)],            A::PrevField,  "previous",   "Previous field");
const SUBMIT: Binding     = b(&[ctrl('s')],                          A::Submit,     "submit",     "Submit the registration");
const LOAD_FILE: Binding  = b(&[ctrl('o')],                          A::LoadFile,   "load file",  LOAD);
const LEAVE_FORM: Binding = b(&[code(Esc)],                          A::Back,       "leave form", "Leave the form");
const CLEAR: Binding      = b(&[ctrl('u')],                          A::ClearField, "clear",      "Clear what is typed here");

const QUIT: Binding = b(&[k('q')], A::Quit, "quit", "Quit daycare");

/// Keys that work wherever no text field has the keyboard.
pub const GLOBAL: &[Binding] = &[b(&[k('?')], A::Help, "help", "Show every key"), QUIT];

/// The key that quits from anywhere, even inside a text field.
pub const CTRL_C: Key = ctrl('c');

/// Ctrl-C quits from anywhere, even inside a text field.
pub const ALWAYS: Binding = b(&[CTRL_C], A::Quit, "quit", "Quit daycare, from anywhere");

pub(super) const DASHBOARD: &[Binding] = &[
    DOWN,
    UP,
    open("open", "Open the selected recent execution"),
    refresh("Read the numbers again"),
];

pub(super) const REGISTER_TEXT: &[Binding] = &[
    NEXT_FIELD,
    PREV_FIELD,
    SUBMIT,
    LOAD_FILE,
    Binding { help: "Leave the form (then number keys switch screens)", ..LEAVE_FORM },
    CLEAR,
    b(&[code(Left)],  A::Left,   "←",     "Move the caret left"),
    b(&[code(Right)], A::Right,  "→",     "Move the caret right"),
    b(&[code(Home)],  A::Top,    "start", "Caret to the start of the field"),
    b(&[code(End)],   A::Bottom, "end",   "Caret to the end of the field"),
];

pub(super) const REGISTER_DAYS: &[Binding] = &[
    b(&[code(Left), k('h')],  A::Left,   "←",          "Previous weekday"),
    b(&[code(Right), k('l')], A::Right,  "→",          "Next weekday"),
    b(&[k(' '), k('x')],      A::Toggle, "toggle day", "Attend on this weekday, or not"),
    NEXT_FIELD,
    PREV_FIELD,
    SUBMIT,
    LEAVE_FORM,
];

pub(super) const REGISTER_BUTTON: &[Binding] = &[
    b(&[code(Enter), ctrl('s')], A::Submit,    "submit", "Run the registration workflow"),
    b(&[code(Tab), code(Down)],  A::NextField, "next",   "Back to the first field"),
    PREV_FIELD,
    LOAD_FILE,
    LEAVE_FORM,
];

pub(super) const REGISTER_IDLE: &[Binding] = &[
    open("open execution", "Open the execution of the last submission"),
    b(&[k('e'), code(Tab)], A::EditForm, "edit",      "Back into the form"),
    b(&[k('n')],            A::NewForm,  "new",       "Start a new, empty registration"),
    b(&[k('o')],            A::LoadFile, "load file", LOAD),
];

pub(super) const EXECUTIONS: &[Binding] = &[
    DOWN,
    UP,
    TOP,
    BOTTOM,
    b(&[code(PageDown)], A::PageDown,    "page",         "Down one screen"),
    b(&[code(PageUp)],   A::PageUp,      "page up",      "Up one screen"),
    open("open", "Open the execution"),
    b(&[k('/')],         A::Filter,      "filter child", "Show only executions for a child's name"),
    b(&[k('s')],         A::CycleStatus, "status",       "Cycle the status filter: all, succeeded, failed, running"),
    b(&[k('c')],         A::ClearFilter, "clear",        "Clear both filters"),
    refresh("Read the newest executions again"),
];

pub(super) const CHILDREN: &[Binding] = &[
    DOWN,
    UP,
    TOP,
    BOTTOM,
    b(&[k('w'), code(Delete)], A::Withdraw, "withdraw", "Withdraw the child (asks first); frees the spots"),
    refresh("Read the list again"),
];

pub(super) const SPOTS: &[Binding] = &[
    DOWN,
    UP,
    b(&[k('e'), code(Enter)], A::EditDay, "edit day", "Change the selected day's capacity"),
    b(&[k('a')],              A::EditAll, "edit all", "Set every day's capacity at once"),
    refresh("Read the spots again"),
];

pub(super) const DETAIL: &[Binding] = &[
    DOWN,
    UP,
    TOP,
    BOTTOM,
    b(&[code(Tab)], A::SwitchPane, "pane",   "Move between the states, their input and output, and the history"),
    b(&[k('x')],    A::Export,     "export", "Write the history as AWS GetExecutionHistory JSON"),
    b(&[code(Esc)], A::Back,       "back",   "Back to where you came from"),
];

pub(super) const CONFIRM: &[Binding] = &[
    b(&[k('y'), code(Enter)], A::Yes, "yes", "Do it"),
    b(&[k('n'), code(Esc)],   A::No,  "no",  "Do not"),
];

pub(super) const PROMPT: &[Binding] = &[
    CLEAR,
    b(&[code(Enter)], A::Yes, "apply",  "Use what was typed"),
    b(&[code(Esc)],   A::No,  "cancel", "Close without change"),
];

pub(super) const HELP: &[Binding] = &[
    b(&[k('j'), code(Down)], A::Down, "scroll",    "Scroll the help down"),
    b(&[k('k'), code(Up)],   A::Up,   "scroll up", "Scroll the help up"),
    b(&[code(Esc), k('?')],  A::Back, "close",     "Close the help"),
    QUIT,
];

pub(super) const TOO_SMALL: &[Binding] = &[QUIT];
