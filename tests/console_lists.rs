//! The Waitlist and Audit screens, putting a refusal for want of spots on the waitlist,
//! the CSV exports and the dashboard's waitlist line: keys in, state and commands out,
//! no terminal.

mod console_support;

use console_support::lists::*;
use console_support::*;
use crossterm::event::KeyCode;
use daycare::console::action::{Command, Msg, Tab};
use daycare::console::app::App;
use daycare::console::keymap::{Context, footer};
use daycare::registration::Offered;
use daycare::store::{AuditFilter, AuditKind, WaitlistStatus};

fn on_waitlist() -> App {
    let mut app = app(120, 40);
    let commands = app.on_key(key('6'));
    assert_eq!(app.tab, Tab::Waitlist);
    assert!(
        matches!(commands[..], [Command::LoadWaitlist]),
        "{commands:?}"
    );
    app.on_msg(Msg::Waitlist(waitlist()));
    app
}

fn on_audit() -> App {
    let mut app = app(120, 40);
    let commands = app.on_key(key('7'));
    assert_eq!(app.tab, Tab::Audit);
    assert!(
        matches!(&commands[..], [Command::LoadAudit(f)] if *f == AuditFilter::default()),
        "{commands:?}"
    );
    app.on_msg(Msg::Audit {
        filter: AuditFilter::default(),
        entries: audit(),
    });
    app
}

fn hints(context: Context) -> Vec<String> {
    footer(context)
        .into_iter()
        .map(|(keys, hint)| format!("{keys} {hint}"))
        .collect()
}

// The waitlist.

#[test]
fn an_offer_asks_first_and_enter_answers_no() {
    let mut app = on_waitlist();
    app.on_key(key('j'));
    assert!(
        app.on_key(key('o')).is_empty(),
        "nothing runs before the answer"
    );
    let question = app
        .confirm
        .as_ref()
        .map(|c| c.message.clone())
        .unwrap_or_default();
    assert!(
        question.contains("Offer Sofía Núñez a spot on Monday, Tuesday, Wednesday"),
        "{question}"
    );
    assert!(question.contains("likely be refused"), "{question}");
    assert!(app.on_key(code(KeyCode::Enter)).is_empty());
    assert!(app.confirm.is_none());
    app.on_key(key('o'));
    let commands = app.on_key(key('y'));
    assert!(matches!(commands[..], [Command::Offer(2)]), "{commands:?}");
    let status = app.status.clone().expect("news");
    assert!(
        status.text.contains("Offering Sofía Núñez a spot"),
        "{}",
        status.text
    );
    assert!(app.on_key(key('o')).is_empty());
    assert!(app.confirm.is_none(), "one offer at a time");
}

#[test]
fn removing_an_entry_wants_a_reason() {
    let mut app = on_waitlist();
    app.on_key(key('G'));
    assert!(app.on_key(key('x')).is_empty());
    assert_eq!(app.context(), Context::Prompt);
    assert!(
        app.on_key(code(KeyCode::Enter)).is_empty(),
        "an empty reason is refused"
    );
    let prompt = app.prompt.as_ref().expect("the prompt stays open");
    assert!(prompt.error.is_some());
    typed(&mut app, "found another place");
    let commands = app.on_key(code(KeyCode::Enter));
    assert!(
        matches!(&commands[..], [Command::RemoveFromWaitlist { id: 3, reason }] if reason == "found another place"),
        "{commands:?}"
    );
    assert!(app.prompt.is_none());
}

#[test]
fn an_offer_says_how_it_ended() {
    let mut app = on_waitlist();
    let mut entry = waitlist().remove(0).entry;
    entry.status = WaitlistStatus::Enrolled;
    let mut outcome = succeeded_outcome();
    outcome.child = "Ana Díaz".into();
    let commands = app.on_msg(Msg::Offered(Ok(Box::new(Offered {
        outcome,
        entry: entry.clone(),
    }))));
    assert!(
        matches!(commands[..], [Command::LoadWaitlist]),
        "the list is read again"
    );
    let status = app.status.clone().expect("news");
    assert!(!status.error);
    assert!(
        status
            .text
            .contains("Ana Díaz is enrolled from 2026-09-15, fees 750"),
        "{}",
        status.text
    );

    let mut refused = spots_refused_outcome();
    refused.child = "Ana Díaz".into();
    entry.status = WaitlistStatus::Waiting;
    app.on_msg(Msg::Offered(Ok(Box::new(Offered {
        outcome: refused,
        entry,
    }))));
    let status = app.status.clone().expect("news");
    assert!(status.error);
    assert!(
        status.text.contains("no spot left on Friday"),
        "{}",
        status.text
    );
    assert!(
        status.text.contains("Ana Díaz still waits"),
        "{}",
        status.text
    );
}

#[test]
fn export_keys_write_the_list_on_screen() {
    let mut lists = on_waitlist();
    assert!(matches!(
        lists.on_key(key('E'))[..],
        [Command::ExportWaitlist]
    ));
    assert!(hints(Context::Waitlist).contains(&"E export CSV".to_string()));

    let mut app = app(120, 40);
    app.on_key(key('3'));
    app.on_key(key('/'));
    typed(&mut app, "amara");
    app.on_key(code(KeyCode::Enter));
    let commands = app.on_key(key('E'));
    assert!(
        matches!(&commands[..], [Command::ExportExecutions(f)] if f.child.as_deref() == Some("amara")),
        "the executions as filtered: {commands:?}"
    );
    app.on_msg(Msg::SheetWritten {
        what: "executions".into(),
        written: Ok(("/exports/executions-2026-09-01.csv".into(), 12)),
    });
    let status = app.status.clone().expect("news");
    assert!(
        status.text.contains("12 rows")
            && status.text.contains("/exports/executions-2026-09-01.csv"),
        "{}",
        status.text
    );
}

// Putting a refusal for want of spots on the waitlist.

#[test]
fn w_on_a_refusal_for_want_of_spots_puts_it_on_the_waitlist() {
    let mut app = app(120, 40);
    app.on_key(key('2'));
    app.on_key(code(KeyCode::Esc));
    app.on_msg(Msg::Submitted(Ok(Box::new(spots_refused_outcome()))));
    assert_eq!(app.context(), Context::RegisterRefused);
    assert!(hints(Context::RegisterRefused).contains(&"W waitlist".to_string()));
    assert!(app.on_key(key('W')).is_empty());
    assert_eq!(app.context(), Context::Prompt);
    let commands = app.on_key(code(KeyCode::Enter));
    assert!(
        matches!(&commands[..], [Command::PutOnWaitlist { execution, note: None }] if execution == "registration-1001"),
        "{commands:?}"
    );
}

#[test]
fn w_does_nothing_on_a_refusal_for_another_reason() {
    let mut app = app(120, 40);
    app.on_key(key('2'));
    app.on_key(code(KeyCode::Esc));
    let mut outcome = spots_refused_outcome();
    outcome.execution = refused_execution().summary;
    app.on_msg(Msg::Submitted(Ok(Box::new(outcome))));
    assert_eq!(app.context(), Context::RegisterOutcome);
    assert!(app.on_key(key('W')).is_empty());
    assert!(app.prompt.is_none());
    assert!(
        !hints(Context::RegisterOutcome)
            .iter()
            .any(|h| h.starts_with("W "))
    );

    app.open_execution("registration-0999".into());
    app.on_msg(opened(refused_execution()));
    assert_eq!(app.context(), Context::Detail);
    assert!(app.on_key(key('W')).is_empty());
    assert!(app.prompt.is_none());
}

#[test]
fn w_on_a_refused_execution_takes_a_note() {
    let mut app = app(120, 40);
    let stored = spots_refused_execution();
    let name = stored.summary.name.clone();
    app.open_execution(name.clone());
    app.on_msg(opened(stored));
    assert_eq!(app.context(), Context::DetailRefused);
    assert!(hints(Context::DetailRefused).contains(&"W waitlist".to_string()));
    assert!(!hints(Context::Detail).iter().any(|h| h.starts_with("W ")));
    app.on_key(key('W'));
    typed(&mut app, "brother starts in May");
    let commands = app.on_key(code(KeyCode::Enter));
    assert!(
        matches!(&commands[..], [Command::PutOnWaitlist { execution, note: Some(note) }]
            if *execution == name && note == "brother starts in May"),
        "{commands:?}"
    );
    let mut entry = waitlist().remove(1).entry;
    entry.id = 9;
    entry.refused_execution = name.clone();
    app.on_msg(Msg::Waitlisted(Ok(entry)));
    let status = app.status.clone().expect("news");
    assert!(
        status.text.contains("on the waitlist as entry 9"),
        "{}",
        status.text
    );
    assert!(
        status.text.contains("sibling of registration 4"),
        "{}",
        status.text
    );
    assert_eq!(app.context(), Context::Detail, "W is not offered twice");
}

// The audit.

#[test]
fn s_cycles_the_kind_filter_through_every_kind_and_back() {
    let mut app = on_audit();
    let mut seen = Vec::new();
    for _ in 0..=AuditKind::ALL.len() {
        let commands = app.on_key(key('s'));
        let [Command::LoadAudit(filter)] = &commands[..] else {
            panic!("{commands:?}")
        };
        seen.push(filter.kind);
    }
    let mut expected: Vec<Option<AuditKind>> = AuditKind::ALL.into_iter().map(Some).collect();
    expected.push(None);
    assert_eq!(seen, expected);
}

#[test]
fn slash_filters_the_audit_by_child_as_staff_type() {
    let mut app = on_audit();
    app.on_key(key('/'));
    let first = app.on_key(key('a'));
    assert!(
        matches!(&first[..], [Command::LoadAudit(f)] if f.child.as_deref() == Some("a")),
        "{first:?}"
    );
    app.on_key(key('n'));
    app.on_key(code(KeyCode::Enter));
    assert_eq!(app.audit.filter.child.as_deref(), Some("an"));
    // A window read under an older filter does not replace the list.
    app.on_msg(Msg::Audit {
        filter: AuditFilter::default(),
        entries: Vec::new(),
    });
    assert_eq!(app.audit.rows.len(), 5);
    app.on_msg(Msg::Audit {
        filter: app.audit.filter.clone(),
        entries: audit()[2..4].to_vec(),
    });
    assert_eq!(app.audit.rows.len(), 2);
    let cleared = app.on_key(key('c'));
    assert!(
        matches!(&cleared[..], [Command::LoadAudit(f)] if *f == AuditFilter::default()),
        "{cleared:?}"
    );
}

// The dashboard.

#[test]
fn the_dashboard_says_who_fits_and_who_ages_out() {
    let mut app = app(120, 40);
    app.on_msg(Msg::Dashboard {
        spots: spots(),
        counts: counts(),
        today: today_counts(),
        later: [0; 7],
        recent: rows(3),
    });
    app.on_msg(Msg::Waitlist(waitlist()));
    app.on_msg(Msg::AgeingOut(2));
    let shown = screen(&app);
    assert!(
        shown.contains("Waitlist: 3 waiting, 1 fits now: Ana Díaz"),
        "{shown}"
    );
    assert!(shown.contains("Ageing out within 60 days: 2"), "{shown}");
    // A change elsewhere reads the line again with the dashboard.
    assert!(matches!(
        app.on_msg(Msg::Changed)[..],
        [Command::LoadDashboard]
    ));
}

// The tab bar holds seven tabs even at 80 columns, and a click lands on the tab drawn.

fn click(app: &mut App, column: u16, row: u16) -> Vec<Command> {
    use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    app.on_mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

#[test]
fn a_click_on_the_narrow_tab_bar_picks_the_tab_under_it() {
    let mut app = app(80, 24);
    let bar = screen(&app).lines().next().unwrap_or_default().to_string();
    for (title, tab) in [("6 Waitlist", Tab::Waitlist), ("7 Audit", Tab::Audit)] {
        let at = bar.find(title).expect("every tab is drawn");
        let column = bar[..at].chars().count() as u16 + 2;
        click(&mut app, column, 0);
        assert_eq!(app.tab, tab, "{title} in {bar:?}");
    }
    // A second click on a waitlist row opens nothing, but selects it.
    app.on_key(key('6'));
    app.on_msg(Msg::Waitlist(waitlist()));
    let second = screen(&app)
        .lines()
        .position(|l| l.contains("Sofía Núñez"))
        .expect("the row is drawn") as u16;
    assert!(click(&mut app, 10, second).is_empty());
    assert_eq!(app.waitlist.cursor.selected, 1);
}
