//! The key tables themselves: one per context, plus the global keys and Ctrl-C.
//! Only data; `keymap` looks keys up in them and builds the footer and help from them.

use crossterm::event::KeyCode;

use super::{Binding, Key, code, ctrl, k};
use crate::console::action::Action;

pub(super) const fn b(
    keys: &'static [Key],
    action: Action,
    hint: &'static str,
    help: &'static str,
) -> Binding {
    Binding {
        keys,
        action,
        hint,
        help,
    }
}

const MOVE: [Binding; 4] = [
    b(
        &[k('j'), code(KeyCode::Down)],
        Action::Down,
        "down",
        "Move down one row",
    ),
    b(
        &[k('k'), code(KeyCode::Up)],
        Action::Up,
        "up",
        "Move up one row",
    ),
    b(
        &[k('g'), code(KeyCode::Home)],
        Action::Top,
        "top",
        "Go to the first row",
    ),
    b(
        &[k('G'), code(KeyCode::End)],
        Action::Bottom,
        "bottom",
        "Go to the last row loaded",
    ),
];

/// Keys that work wherever no text field has the keyboard.
pub const GLOBAL: &[Binding] = &[
    b(&[k('?')], Action::Help, "help", "Show every key"),
    b(&[k('q')], Action::Quit, "quit", "Quit daycare"),
];

/// The key that quits from anywhere, even inside a text field.
pub const CTRL_C: Key = ctrl('c');

/// Ctrl-C quits from anywhere, even inside a text field.
pub const ALWAYS: Binding = b(
    &[CTRL_C],
    Action::Quit,
    "quit",
    "Quit daycare, from anywhere",
);

pub(super) const DASHBOARD: &[Binding] = &[
    MOVE[0],
    MOVE[1],
    b(
        &[code(KeyCode::Enter)],
        Action::Open,
        "open",
        "Open the selected recent execution",
    ),
    b(
        &[k('r')],
        Action::Refresh,
        "refresh",
        "Read the numbers again",
    ),
];

pub(super) const REGISTER_TEXT: &[Binding] = &[
    b(
        &[
            code(KeyCode::Tab),
            code(KeyCode::Down),
            code(KeyCode::Enter),
        ],
        Action::NextField,
        "next",
        "Next field",
    ),
    b(
        &[code(KeyCode::BackTab), code(KeyCode::Up)],
        Action::PrevField,
        "previous",
        "Previous field",
    ),
    b(
        &[ctrl('s')],
        Action::Submit,
        "submit",
        "Submit the registration",
    ),
    b(
        &[ctrl('o')],
        Action::LoadFile,
        "load file",
        "Fill the form from a JSON registration file",
    ),
    b(
        &[code(KeyCode::Esc)],
        Action::Back,
        "leave form",
        "Leave the form (then number keys switch screens)",
    ),
    b(
        &[ctrl('u')],
        Action::ClearField,
        "clear",
        "Clear what is typed here",
    ),
    b(
        &[code(KeyCode::Left)],
        Action::Left,
        "←",
        "Move the caret left",
    ),
    b(
        &[code(KeyCode::Right)],
        Action::Right,
        "→",
        "Move the caret right",
    ),
    b(
        &[code(KeyCode::Home)],
        Action::Top,
        "start",
        "Caret to the start of the field",
    ),
    b(
        &[code(KeyCode::End)],
        Action::Bottom,
        "end",
        "Caret to the end of the field",
    ),
];

pub(super) const REGISTER_DAYS: &[Binding] = &[
    b(
        &[code(KeyCode::Left), k('h')],
        Action::Left,
        "←",
        "Previous weekday",
    ),
    b(
        &[code(KeyCode::Right), k('l')],
        Action::Right,
        "→",
        "Next weekday",
    ),
    b(
        &[k(' '), k('x')],
        Action::Toggle,
        "toggle day",
        "Attend on this weekday, or not",
    ),
    b(
        &[
            code(KeyCode::Tab),
            code(KeyCode::Down),
            code(KeyCode::Enter),
        ],
        Action::NextField,
        "next",
        "Next field",
    ),
    b(
        &[code(KeyCode::BackTab), code(KeyCode::Up)],
        Action::PrevField,
        "previous",
        "Previous field",
    ),
    b(
        &[ctrl('s')],
        Action::Submit,
        "submit",
        "Submit the registration",
    ),
    b(
        &[code(KeyCode::Esc)],
        Action::Back,
        "leave form",
        "Leave the form",
    ),
];

pub(super) const REGISTER_BUTTON: &[Binding] = &[
    b(
        &[code(KeyCode::Enter), ctrl('s')],
        Action::Submit,
        "submit",
        "Run the registration workflow",
    ),
    b(
        &[code(KeyCode::Tab), code(KeyCode::Down)],
        Action::NextField,
        "next",
        "Back to the first field",
    ),
    b(
        &[code(KeyCode::BackTab), code(KeyCode::Up)],
        Action::PrevField,
        "previous",
        "Previous field",
    ),
    b(
        &[ctrl('o')],
        Action::LoadFile,
        "load file",
        "Fill the form from a JSON registration file",
    ),
    b(
        &[code(KeyCode::Esc)],
        Action::Back,
        "leave form",
        "Leave the form",
    ),
];

pub(super) const REGISTER_IDLE: &[Binding] = &[
    b(
        &[code(KeyCode::Enter)],
        Action::Open,
        "open execution",
        "Open the execution of the last submission",
    ),
    b(
        &[k('e'), code(KeyCode::Tab)],
        Action::EditForm,
        "edit",
        "Back into the form",
    ),
    b(
        &[k('n')],
        Action::NewForm,
        "new",
        "Start a new, empty registration",
    ),
    b(
        &[k('o')],
        Action::LoadFile,
        "load file",
        "Fill the form from a JSON registration file",
    ),
];

pub(super) const EXECUTIONS: &[Binding] = &[
    MOVE[0],
    MOVE[1],
    MOVE[2],
    MOVE[3],
    b(
        &[code(KeyCode::PageDown)],
        Action::PageDown,
        "page",
        "Down one screen",
    ),
    b(
        &[code(KeyCode::PageUp)],
        Action::PageUp,
        "page up",
        "Up one screen",
    ),
    b(
        &[code(KeyCode::Enter)],
        Action::Open,
        "open",
        "Open the execution",
    ),
    b(
        &[k('/')],
        Action::Filter,
        "filter child",
        "Show only executions for a child's name",
    ),
    b(
        &[k('s')],
        Action::CycleStatus,
        "status",
        "Cycle the status filter: all, succeeded, failed, running",
    ),
    b(
        &[k('c')],
        Action::ClearFilter,
        "clear",
        "Clear both filters",
    ),
    b(
        &[k('r')],
        Action::Refresh,
        "refresh",
        "Read the newest executions again",
    ),
];

pub(super) const CHILDREN: &[Binding] = &[
    MOVE[0],
    MOVE[1],
    MOVE[2],
    MOVE[3],
    b(
        &[k('w'), code(KeyCode::Delete)],
        Action::Withdraw,
        "withdraw",
        "Withdraw the child (asks first); frees the spots",
    ),
    b(&[k('r')], Action::Refresh, "refresh", "Read the list again"),
];

pub(super) const SPOTS: &[Binding] = &[
    MOVE[0],
    MOVE[1],
    b(
        &[k('e'), code(KeyCode::Enter)],
        Action::EditDay,
        "edit day",
        "Change the selected day's capacity",
    ),
    b(
        &[k('a')],
        Action::EditAll,
        "edit all",
        "Set every day's capacity at once",
    ),
    b(
        &[k('r')],
        Action::Refresh,
        "refresh",
        "Read the spots again",
    ),
];

pub(super) const DETAIL: &[Binding] = &[
    MOVE[0],
    MOVE[1],
    MOVE[2],
    MOVE[3],
    b(
        &[code(KeyCode::Tab)],
        Action::SwitchPane,
        "pane",
        "Move between the states, their input and output, and the history",
    ),
    b(
        &[k('x')],
        Action::Export,
        "export",
        "Write the history as AWS GetExecutionHistory JSON",
    ),
    b(
        &[code(KeyCode::Esc)],
        Action::Back,
        "back",
        "Back to where you came from",
    ),
];

pub(super) const CONFIRM: &[Binding] = &[
    b(&[k('y'), code(KeyCode::Enter)], Action::Yes, "yes", "Do it"),
    b(&[k('n'), code(KeyCode::Esc)], Action::No, "no", "Do not"),
];

pub(super) const PROMPT: &[Binding] = &[
    b(
        &[ctrl('u')],
        Action::ClearField,
        "clear",
        "Clear what is typed here",
    ),
    b(
        &[code(KeyCode::Enter)],
        Action::Yes,
        "apply",
        "Use what was typed",
    ),
    b(
        &[code(KeyCode::Esc)],
        Action::No,
        "cancel",
        "Close without change",
    ),
];

pub(super) const HELP: &[Binding] = &[
    b(
        &[k('j'), code(KeyCode::Down)],
        Action::Down,
        "scroll",
        "Scroll the help down",
    ),
    b(
        &[k('k'), code(KeyCode::Up)],
        Action::Up,
        "scroll up",
        "Scroll the help up",
    ),
    b(
        &[code(KeyCode::Esc), k('?')],
        Action::Back,
        "close",
        "Close the help",
    ),
    b(&[k('q')], Action::Quit, "quit", "Quit daycare"),
];

pub(super) const TOO_SMALL: &[Binding] = &[b(&[k('q')], Action::Quit, "quit", "Quit daycare")];
