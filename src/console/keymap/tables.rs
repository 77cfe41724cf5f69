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
const PAGE_DOWN: Binding = b(&[code(PageDown), ctrl('d')], A::PageDown, "page", "Down one screen");
const PAGE_UP: Binding   = b(&[code(PageUp), ctrl('u')],   A::PageUp,   "page up", "Up one screen");
const COPY: Binding   = b(&[k('y')], A::Copy, "copy", "Copy the selected execution's name to the clipboard");

/// The keys that move through any list, in footer order.
const MOTION: [Binding; 6] = [DOWN, UP, TOP, BOTTOM, PAGE_DOWN, PAGE_UP];

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

const QUIT: Binding = b(&[k('q')], A::Quit, "quit", "Quit daycare (asks if the form is unsaved)");

/// Keys that work wherever no text field has the keyboard.
pub const GLOBAL: &[Binding] = &[b(&[k('?')], A::Help, "help", "Show every key"), QUIT];

/// The key that quits from anywhere, even inside a text field.
pub const CTRL_C: Key = ctrl('c');

/// Ctrl-C quits from anywhere, even inside a text field.
pub const ALWAYS: Binding = b(&[CTRL_C], A::Quit, "quit", "Quit from anywhere (asks once if unsaved)");

pub(super) const DASHBOARD: &[Binding] = &[
    MOTION[0], MOTION[1], MOTION[2], MOTION[3], MOTION[4], MOTION[5],
    open("open", "Open the selected recent execution"),
    COPY,
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
    b(&[code(Home)],  A::Top,    "start", "Caret to the start of the field (also Ctrl-A; Ctrl-E the end, Ctrl-W erases a word, Alt-B/F move by words)"),
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
    b(&[k('e'), code(Tab), code(Enter)], A::EditForm, "edit", "Back into the form"),
    b(&[k('n')],            A::NewForm,  "new",       "Start a new, empty registration (asks first if something was typed)"),
    b(&[k('o')],            A::LoadFile, "load file", LOAD),
];

pub(super) const REGISTER_OUTCOME: &[Binding] = &[
    open("open execution", "Open the execution of the last submission"),
    b(&[k('e'), code(Tab)], A::EditForm, "edit",      "Back into the form"),
    b(&[k('n')],            A::NewForm,  "new",       "Start a new, empty registration (asks first if something was typed)"),
    b(&[k('o')],            A::LoadFile, "load file", LOAD),
    Binding { help: "Copy the last submission's execution name", ..COPY },
];

pub(super) const EXECUTIONS: &[Binding] = &[
    MOTION[0], MOTION[1], MOTION[2], MOTION[3], MOTION[4], MOTION[5],
    open("open", "Open the execution"),
    b(&[k('/')],            A::Filter,      "filter child", "Show only executions for a child's name, as you type (case and accents aside)"),
    b(&[k('s')],            A::CycleStatus, "status",       "Cycle the status filter: all, succeeded, failed, running"),
    b(&[k('c'), code(Esc)], A::ClearFilter, "clear",        "Clear both filters"),
    COPY,
    Binding { help: "Write the executions as filtered as CSV into the export folder", ..EXPORT_SHEET },
    refresh("Read the newest executions again"),
];

pub(super) const CHILDREN: &[Binding] = &[
    MOTION[0], MOTION[1], MOTION[2], MOTION[3], MOTION[4], MOTION[5],
    open("record", "Open the child's record: instructions, parents and contacts, days, fees, changes"),
    b(&[k('/')],               A::Filter,          "find",      "Show only children whose name, or a parent's, contains what you type (case and accents aside)"),
    b(&[k('s')],               A::CycleSort,       "sort",      "Sort by name, then by age (oldest first), then by start date"),
    b(&[k('v')],               A::ToggleWithdrawn, "withdrawn", "Show the withdrawn children instead of the enrolled, and back"),
    b(&[k('w'), code(Delete)], A::Withdraw,        "withdraw",  "Withdraw the child: asks why and from which day, then to be sure; frees the spots from that day"),
    b(&[k('c'), code(Esc)],    A::ClearFilter,     "clear",     "Clear the name filter"),
    b(&[k('y')],               A::Copy,        "copy",     "Copy a parent's phone (else email) to the clipboard"),
    refresh("Read the list again"),
    b(&[k('x')],               A::ExportRoster,    "class list", "Write a weekday's class list (CSV) into the export folder"),
    b(&[k('X')],               A::ExportContacts,  "contacts",  "Write the contact sheet (CSV) of every enrolled child into the export folder"),
];

pub(super) const SPOTS: &[Binding] = &[
    MOTION[0], MOTION[1], MOTION[2], MOTION[3], MOTION[4], MOTION[5],
    b(&[k('e'), code(Enter)], A::EditDay, "edit day", "Change the selected day's capacity"),
    b(&[k('a')],              A::EditAll, "edit all", "Set every open day's capacity at once (a closed day opens only on its own)"),
    refresh("Read the spots again"),
];

pub(super) const RECORD: &[Binding] = &[
    Binding { help: "Scroll the record down", ..DOWN },
    Binding { help: "Scroll the record up", ..UP },
    Binding { help: "To the top of the record", ..TOP },
    Binding { help: "To the end of the record", ..BOTTOM },
    PAGE_DOWN,
    PAGE_UP,
    open("open execution", "Open the execution that enrolled the child"),
    b(&[code(Esc)], A::Back, "back", "Back to the children list"),
    b(&[k('e')],    A::Amend, "change", "Change the days, parents and contacts, or instructions (not on a withdrawn record)"),
    b(&[k('w')],    A::Withdraw, "withdraw", "Withdraw the child: asks why and from which day, then to be sure"),
    b(&[k('y')],    A::Copy, "copy", "Copy a parent's phone (else email) to the clipboard"),
];

// Changing a record: the Register form's keys, saving an amendment.
const SAVE: Binding = b(&[ctrl('s')], A::Submit, "save", "Save the changes (runs an amendment)");
const CANCEL: Binding = b(&[code(Esc)], A::Back, "cancel", "Close the form (asks first if something was changed)");

pub(super) const AMEND_TEXT: &[Binding] = &[
    NEXT_FIELD,
    PREV_FIELD,
    SAVE,
    CANCEL,
    CLEAR,
    b(&[code(Left)],  A::Left,   "←",     "Move the caret left"),
    b(&[code(Right)], A::Right,  "→",     "Move the caret right"),
    b(&[code(Home)],  A::Top,    "start", "Caret to the start of the field (also Ctrl-A; Ctrl-E the end, Ctrl-W erases a word, Alt-B/F move by words)"),
    b(&[code(End)],   A::Bottom, "end",   "Caret to the end of the field"),
];

pub(super) const AMEND_DAYS: &[Binding] = &[
    b(&[code(Left), k('h')],  A::Left,   "←",          "Previous weekday"),
    b(&[code(Right), k('l')], A::Right,  "→",          "Next weekday"),
    b(&[k(' '), k('x')],      A::Toggle, "toggle day", "Come on this weekday, or not (an added day needs a free spot)"),
    NEXT_FIELD,
    PREV_FIELD,
    SAVE,
    CANCEL,
];

pub(super) const AMEND_BUTTON: &[Binding] = &[
    b(&[code(Enter), ctrl('s')], A::Submit,    "save", "Save the changes (runs an amendment)"),
    b(&[code(Tab), code(Down)],  A::NextField, "next", "Back to the days"),
    PREV_FIELD,
    CANCEL,
];

pub(super) const DETAIL: &[Binding] = &[
    MOTION[0], MOTION[1], MOTION[2], MOTION[3], MOTION[4], MOTION[5],
    b(&[code(Tab)], A::SwitchPane, "pane",   "Move between the states, their input, their output and the history"),
    Binding { help: "Copy the execution's name; on the input or output pane, what it shows", ..COPY },
    b(&[k('x')],    A::Export,     "export", "Write the history as AWS GetExecutionHistory JSON"),
    b(&[code(Esc)], A::Back,       "back",   "Back to where you came from"),
];

const EXPORT_SHEET: Binding = b(&[k('E')], A::ExportSheet, "export CSV", "Write this list as CSV (for a spreadsheet) into the export folder; never overwrites");
const PUT_ON_WAITLIST: Binding = b(&[k('W')], A::PutOnWaitlist, "waitlist", "Put this registration, refused for want of spots, on the waitlist (asks for an optional note)");

pub(super) const WAITLIST: &[Binding] = &[
    MOTION[0], MOTION[1], MOTION[2], MOTION[3], MOTION[4], MOTION[5],
    b(&[k('o')], A::Offer,       "offer",  "Offer a spot to the selected child (asks first): runs the registration workflow"),
    b(&[k('x')], A::RemoveEntry, "remove", "Take the selected entry off the waitlist (asks for the reason)"),
    Binding { help: "Write the waitlist as CSV, in order, into the export folder", ..EXPORT_SHEET },
    refresh("Read the waitlist again"),
];

pub(super) const AUDIT: &[Binding] = &[
    MOTION[0], MOTION[1], MOTION[2], MOTION[3], MOTION[4], MOTION[5],
    b(&[k('/')],            A::Filter,      "filter child", "Show only entries for a child's name, as you type (case and accents aside)"),
    b(&[k('s')],            A::CycleStatus, "kind",         "Cycle the kind filter: all, capacity, amendment, withdrawal, waitlist, offer"),
    b(&[k('c'), code(Esc)], A::ClearFilter, "clear",        "Clear both filters"),
    refresh("Read the newest entries again"),
];

pub(super) const DETAIL_REFUSED: &[Binding] = &[
    MOTION[0], MOTION[1], MOTION[2], MOTION[3], MOTION[4], MOTION[5],
    PUT_ON_WAITLIST,
    b(&[code(Tab)], A::SwitchPane, "pane",   "Move between the states, their input, their output and the history"),
    Binding { help: "Copy the execution's name; on the input or output pane, what it shows", ..COPY },
    b(&[k('x')],    A::Export,     "export", "Write the history as AWS GetExecutionHistory JSON"),
    b(&[code(Esc)], A::Back,       "back",   "Back to where you came from"),
];

pub(super) const REGISTER_REFUSED: &[Binding] = &[
    PUT_ON_WAITLIST,
    open("open execution", "Open the execution of the last submission"),
    b(&[k('e'), code(Tab)], A::EditForm, "edit",      "Back into the form"),
    b(&[k('n')],            A::NewForm,  "new",       "Start a new, empty registration (asks first if something was typed)"),
    b(&[k('o')],            A::LoadFile, "load file", LOAD),
    Binding { help: "Copy the last submission's execution name", ..COPY },
];

pub(super) const CONFIRM: &[Binding] = &[
    b(&[k('y')],                          A::Yes, "yes", "Do it"),
    b(&[k('n'), code(Esc), code(Enter)],  A::No,  "no",  "Do not (Enter answers no)"),
];

pub(super) const PROMPT: &[Binding] = &[
    CLEAR,
    b(&[code(Left)],  A::Left,   "", "Move the caret left"),
    b(&[code(Right)], A::Right,  "", "Move the caret right"),
    b(&[code(Home)],  A::Top,    "", "Caret to the start (also Ctrl-A; Ctrl-E the end, Ctrl-W erases a word, Alt-B/F move by words)"),
    b(&[code(End)],   A::Bottom, "", "Caret to the end"),
    b(&[code(Tab)],   A::Complete, "", "Complete a file's path (when loading a registration)"),
    b(&[code(Enter)], A::Yes, "apply",  "Use what was typed"),
    b(&[code(Esc)],   A::No,  "cancel", "Close without change"),
];

pub(super) const HELP: &[Binding] = &[
    b(&[k('j'), code(Down)], A::Down, "scroll",    "Scroll the help down"),
    b(&[k('k'), code(Up)],   A::Up,   "scroll up", "Scroll the help up"),
    Binding { help: "To the top of the help", ..TOP },
    Binding { help: "To the end of the help", ..BOTTOM },
    PAGE_DOWN,
    PAGE_UP,
    b(&[k('/')],             A::Filter, "filter",  "Show only the keys whose line contains what you type"),
    b(&[code(Esc), k('?')],  A::Back, "close",     "Clear the filter, else close the help"),
    QUIT,
];

pub(super) const TOO_SMALL: &[Binding] = &[QUIT];
