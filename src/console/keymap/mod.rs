//! Every key the console answers, one table per context plus the global one. Dispatch,
//! the footer and the `?` help all read these tables, so they cannot disagree.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{Action, Tab};

/// A key with its modifiers (Shift is ignored for characters: `G` is its own char).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

pub(super) const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
    }
}
pub(super) const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}
pub(super) const fn code(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

impl Key {
    pub fn from_event(event: &KeyEvent) -> Key {
        Key {
            code: event.code,
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
        }
    }

    /// How the key is written in the footer and help.
    pub fn name(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "S-Tab".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Delete => "Del".into(),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl-{}", base.to_uppercase())
        } else {
            base
        }
    }
}

/// Keys that do one thing, and how to say it.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    /// One or two words for the footer (none: the key is only in the help).
    pub hint: &'static str,
    /// A sentence for the help screen.
    pub help: &'static str,
}

impl Binding {
    pub fn key_names(&self) -> String {
        self.keys
            .iter()
            .map(Key::name)
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// Where the keyboard is: decides which table answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Dashboard,
    RegisterText,
    RegisterDays,
    RegisterButton,
    RegisterIdle,
    /// Outside the form, with the outcome of a submission to open.
    RegisterOutcome,
    Executions,
    Children,
    Spots,
    /// A child's record, opened from the Children list.
    Record,
    /// Changing a record: in a text field, on the days, on Save.
    AmendText,
    AmendDays,
    AmendButton,
    Detail,
    Waitlist,
    Audit,
    /// On a registration's execution refused for want of spots: it can go on the waitlist.
    DetailRefused,
    /// After a submission refused for want of spots: it can go on the waitlist.
    RegisterRefused,
    Confirm,
    Prompt,
    Help,
    TooSmall,
}

#[rustfmt::skip]
mod tables;

use tables::*;
pub use tables::{ALWAYS, CTRL_C, GLOBAL};

impl Context {
    /// This context's own keys (not the global ones).
    pub fn bindings(self) -> &'static [Binding] {
        match self {
            Context::Dashboard => DASHBOARD,
            Context::RegisterText => REGISTER_TEXT,
            Context::RegisterDays => REGISTER_DAYS,
            Context::RegisterButton => REGISTER_BUTTON,
            Context::RegisterIdle => REGISTER_IDLE,
            Context::RegisterOutcome => REGISTER_OUTCOME,
            Context::Executions => EXECUTIONS,
            Context::Children => CHILDREN,
            Context::Spots => SPOTS,
            Context::Record => RECORD,
            Context::AmendText => AMEND_TEXT,
            Context::AmendDays => AMEND_DAYS,
            Context::AmendButton => AMEND_BUTTON,
            Context::Detail => DETAIL,
            Context::Waitlist => WAITLIST,
            Context::Audit => AUDIT,
            Context::DetailRefused => DETAIL_REFUSED,
            Context::RegisterRefused => REGISTER_REFUSED,
            Context::Confirm => CONFIRM,
            Context::Prompt => PROMPT,
            Context::Help => HELP,
            Context::TooSmall => TOO_SMALL,
        }
    }

    /// Whether `q`, `?` and the number keys work here (no field has the keyboard, no dialog is open).
    pub fn globals(self) -> bool {
        matches!(
            self,
            Context::Dashboard
                | Context::RegisterIdle
                | Context::RegisterOutcome
                | Context::Executions
                | Context::Children
                | Context::Spots
                | Context::Record
                | Context::Detail
                | Context::Waitlist
                | Context::Audit
                | Context::DetailRefused
                | Context::RegisterRefused
        )
    }

    pub fn title(self) -> &'static str {
        match self {
            Context::Dashboard => "Dashboard",
            Context::RegisterText => "Register: in a text field",
            Context::RegisterDays => "Register: on the weekdays",
            Context::RegisterButton => "Register: on Submit",
            Context::RegisterIdle => "Register: outside the form",
            Context::RegisterOutcome => "Register: after a submission",
            Context::Executions => "Executions",
            Context::Children => "Children",
            Context::Spots => "Spots",
            Context::Record => "Child's record",
            Context::AmendText => "Changing a record: in a text field",
            Context::AmendDays => "Changing a record: on the days",
            Context::AmendButton => "Changing a record: on Save",
            Context::Detail => "Execution detail",
            Context::Waitlist => "Waitlist",
            Context::Audit => "Audit",
            Context::DetailRefused => "Execution detail: refused for want of spots",
            Context::RegisterRefused => "Register: after a refusal for want of spots",
            Context::Confirm => "A question",
            Context::Prompt => "Typing an answer",
            Context::Help => "Help",
            Context::TooSmall => "Terminal too small",
        }
    }

    /// Every context, in the order the help lists them.
    pub const ALL: [Context; 20] = [
        Context::Dashboard,
        Context::RegisterText,
        Context::RegisterDays,
        Context::RegisterButton,
        Context::RegisterIdle,
        Context::RegisterOutcome,
        Context::Executions,
        Context::Children,
        Context::Spots,
        Context::Record,
        Context::AmendText,
        Context::AmendDays,
        Context::AmendButton,
        Context::Detail,
        Context::Waitlist,
        Context::Audit,
        Context::DetailRefused,
        Context::RegisterRefused,
        Context::Confirm,
        Context::Prompt,
    ];
}

/// The action a key means in this context, if any: Ctrl-C first, then the context's
/// table, then (where they apply) the number keys and the global table.
pub fn lookup(context: Context, key: Key) -> Option<Action> {
    if key == CTRL_C {
        return Some(Action::Quit);
    }
    let find = |table: &[Binding]| {
        table
            .iter()
            .find(|b| b.keys.contains(&key))
            .map(|b| b.action)
    };
    if let Some(action) = find(context.bindings()) {
        return Some(action);
    }
    if context.globals() {
        if let KeyCode::Char(c) = key.code
            && !key.ctrl
            && let Some(tab) = c
                .to_digit(10)
                .and_then(|d| Tab::ALL.get((d as usize).wrapping_sub(1)))
        {
            return Some(Action::Go(*tab));
        }
        return find(GLOBAL);
    }
    None
}

/// The keys of a yes/no question, as its dialog names them.
pub fn confirm_keys() -> String {
    let names = |action: Action| {
        CONFIRM
            .iter()
            .filter(|b| b.action == action)
            .map(Binding::key_names)
            .collect::<Vec<_>>()
            .join("/")
    };
    format!(
        "{} yes · {} no (the default is no)",
        names(Action::Yes),
        names(Action::No)
    )
}

/// Pairs of actions the footer shows as one entry ("j/k move").
const PAIRS: [(Action, Action, &str); 3] = [
    (Action::Left, Action::Right, "move"),
    (Action::Down, Action::Up, "move"),
    (Action::Top, Action::Bottom, "first/last"),
];

/// The footer's entries for this context: (keys, hint). Each binding shows its first key;
/// opposite moves share one entry; the help lists every key.
pub fn footer(context: Context) -> Vec<(String, &'static str)> {
    let bindings = context.bindings();
    let first = |action: Action| {
        bindings
            .iter()
            .find(|b| b.action == action)
            .map(|b| b.keys[0].name())
    };
    let mut items: Vec<(String, &'static str)> = Vec::new();
    // Paging works on every list; the help says so, the footer keeps its room.
    for binding in bindings
        .iter()
        .filter(|b| !matches!(b.action, Action::PageDown | Action::PageUp) && !b.hint.is_empty())
    {
        if let Some((a, b, hint)) = PAIRS
            .iter()
            .find(|(a, b, _)| *a == binding.action || *b == binding.action)
        {
            if binding.action == *a
                && let (Some(ka), Some(kb)) = (first(*a), first(*b))
            {
                items.push((format!("{ka}/{kb}"), hint));
                continue;
            }
            if first(*a).is_some() && first(*b).is_some() {
                continue;
            }
        }
        items.push((binding.keys[0].name(), binding.hint));
    }
    if context.globals() {
        items.push((format!("1-{}", Tab::ALL.len()), "screens"));
        items.extend(GLOBAL.iter().map(|b| (b.keys[0].name(), b.hint)));
    } else if !bindings.iter().any(|b| b.action == Action::Quit) {
        items.push((ALWAYS.key_names(), ALWAYS.hint));
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_in_a_field_never_reaches_a_shortcut() {
        assert_eq!(lookup(Context::RegisterText, k('q')), None);
        assert_eq!(lookup(Context::RegisterText, k('1')), None);
        assert_eq!(lookup(Context::Prompt, k('q')), None);
    }

    #[test]
    fn a_question_answers_no_to_enter_and_says_so() {
        assert_eq!(
            lookup(Context::Confirm, code(KeyCode::Enter)),
            Some(Action::No)
        );
        assert_eq!(lookup(Context::Confirm, k('y')), Some(Action::Yes));
        assert_eq!(confirm_keys(), "y yes · n/Esc/Enter no (the default is no)");
    }

    #[test]
    fn ctrl_c_quits_everywhere() {
        for context in Context::ALL {
            assert_eq!(
                lookup(context, ctrl('c')),
                Some(Action::Quit),
                "{context:?}"
            );
        }
    }

    #[test]
    fn number_keys_switch_screens_in_order() {
        assert_eq!(
            lookup(Context::Spots, k('1')),
            Some(Action::Go(Tab::Dashboard))
        );
        assert_eq!(
            lookup(Context::Dashboard, k('5')),
            Some(Action::Go(Tab::Spots))
        );
        assert_eq!(
            lookup(Context::Spots, k('6')),
            Some(Action::Go(Tab::Waitlist))
        );
        assert_eq!(
            lookup(Context::Waitlist, k('7')),
            Some(Action::Go(Tab::Audit))
        );
        assert_eq!(lookup(Context::Dashboard, k('8')), None);
        assert_eq!(lookup(Context::Dashboard, k('0')), None);
    }

    #[test]
    fn the_footer_names_the_keys_that_work() {
        for context in Context::ALL {
            for binding in context.bindings() {
                for key in binding.keys {
                    assert_eq!(
                        lookup(context, *key),
                        Some(binding.action),
                        "{context:?} {key:?}"
                    );
                }
            }
            let footer = footer(context);
            assert!(
                footer.iter().any(|(_, hint)| *hint == "quit"),
                "{context:?} footer lacks quit"
            );
        }
    }
}
