//! Test data for the console's state and snapshot tests: the registration machine's
//! states, executions with their histories, spots and children, all deterministic.
#![allow(dead_code)]

pub mod lists;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use daycare::console::action::Msg;
use daycare::console::app::App;
use daycare::console::render::render;
use daycare::console::theme::Theme;
use daycare::registration::{Clock, DEFINITION, Outcome};
use daycare::store::{
    DaySpots, ExecutionCounts, ExecutionRow, Registration, RegistrationStatus, StoredExecution,
};
use daycare::weekday::WEEK;
use daycare::workflow::history::EventDetails;
use daycare::workflow::{EventType, ExecutionStatus, ExecutionSummary, HistoryEvent, StateMachine};

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 9, 1).unwrap()
}

pub fn clock() -> Clock {
    Clock::pinned(today())
}

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 9, 1, 9, 30, 0).unwrap()
}

/// data/registration.asl.json as the engine reads it.
pub fn machine() -> StateMachine {
    StateMachine::parse(DEFINITION).unwrap()
}

/// An app as it is once the database is open, at the given size, monochrome.
pub fn app(width: u16, height: u16) -> App {
    let mut app = App::new(clock(), Theme::monochrome(), (width, height));
    app.on_msg(Msg::Ready(machine()));
    app
}

pub fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

pub fn code(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

pub fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

pub fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.on_key(key(c));
    }
}

pub fn spots() -> Vec<DaySpots> {
    let enrolled = [18, 20, 7, 12, 3, 0, 0];
    let capacity = [20, 20, 20, 20, 20, 0, 0];
    WEEK.into_iter()
        .enumerate()
        .map(|(i, day)| DaySpots {
            day,
            capacity: capacity[i],
            enrolled: enrolled[i],
        })
        .collect()
}

pub fn row(n: i64, child: &str, status: ExecutionStatus, fees: Option<u32>) -> ExecutionRow {
    let start = t0() - Duration::minutes(n * 7);
    ExecutionRow {
        name: format!("registration-{:04}", 1000 - n),
        status,
        start_date: start,
        stop_date: (status != ExecutionStatus::Running)
            .then(|| start + Duration::milliseconds(180 + n * 3)),
        child: Some(child.into()),
        fees,
        error: (status == ExecutionStatus::Failed).then(|| "AgeOutOfRange".into()),
    }
}

pub fn rows(count: i64) -> Vec<ExecutionRow> {
    let names = [
        "Amara Okafor",
        "Mohamed Diallo",
        "Lena Schmidt",
        "Yuki Tanaka",
        "Zoë Martín",
    ];
    (0..count)
        .map(|n| {
            let failed = n % 3 == 1;
            row(
                n,
                names[n as usize % names.len()],
                if failed {
                    ExecutionStatus::Failed
                } else {
                    ExecutionStatus::Succeeded
                },
                (!failed).then_some(750),
            )
        })
        .collect()
}

pub fn counts() -> ExecutionCounts {
    ExecutionCounts {
        total: 1_000_000,
        succeeded: 666_667,
        failed: 333_333,
        running: 0,
    }
}

pub fn today_counts() -> ExecutionCounts {
    ExecutionCounts {
        total: 18,
        succeeded: 12,
        failed: 5,
        running: 1,
    }
}

pub fn registration(id: i64, first: &str, last: &str, days: &[&str]) -> Registration {
    Registration {
        id,
        first_name: first.into(),
        last_name: last.into(),
        date_of_birth: NaiveDate::from_ymd_opt(2023, 5, 10).unwrap(),
        days: days
            .iter()
            .filter_map(|d| daycare::weekday::parse(d))
            .collect(),
        age: 3,
        fees: 750,
        start_date: NaiveDate::from_ymd_opt(2026, 9, 15).unwrap(),
        status: RegistrationStatus::Enrolled,
        execution_name: format!("registration-{id}"),
        document: "{}".into(),
        leaves_on: None,
        withdraw_reason: None,
    }
}

/// A child as the store keeps them, with the confirmed document (parents, days,
/// instructions, fees, start date) the record is read from.
pub fn enrolled(
    id: i64,
    (first, last): (&str, &str),
    born: &str,
    starts: &str,
    days: &[&str],
    parents: serde_json::Value,
    instructions: Option<&str>,
) -> Registration {
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let mut registration = registration(id, first, last, days);
    registration.date_of_birth = date(born);
    registration.start_date = date(starts);
    registration.age = daycare::registration::rules::age_on(date(born), date(starts));
    registration.fees = daycare::registration::rules::fees_for(registration.age).unwrap_or(0);
    registration.execution_name =
        format!("{}-{}-{id:08x}", last.to_lowercase(), first.to_lowercase());
    let mut document = serde_json::json!({
        "child": {"firstName": first, "lastName": last, "dateOfBirth": born, "age": registration.age},
        "parents": parents,
        "daysOfWeek": days,
    });
    if let Some(text) = instructions {
        document["specialInstructions"] = text.into();
    }
    document["fees"] = registration.fees.into();
    document["start_date"] = starts.into();
    registration.document = document;
    registration
}

/// Three enrolled children: Lena turns 6 on 2026-10-20 (within 60 days of today),
/// Yuki's mother is Sofía, Amara has a peanut allergy.
pub fn children() -> Vec<Registration> {
    vec![
        enrolled(
            3,
            ("Amara", "Okafor"),
            "2023-05-10",
            "2026-09-15",
            &["Monday", "Wednesday", "Friday"],
            serde_json::json!({
                "mother": {"firstName": "Ngozi", "lastName": "Okafor", "phone": "555-0100", "email": "ngozi@example.com"},
                "father": {"firstName": "Chidi", "lastName": "Okafor", "phone": "555-0101", "email": "chidi@example.com"}
            }),
            Some("Peanut allergy: an EpiPen is in her bag. Picked up by her aunt on Fridays."),
        ),
        enrolled(
            2,
            ("Lena", "Schmidt"),
            "2020-10-20",
            "2026-09-15",
            &["Tuesday", "Thursday"],
            serde_json::json!({"father": {"firstName": "Jonas", "lastName": "Schmidt", "email": "jonas@example.com"}}),
            None,
        ),
        enrolled(
            1,
            ("Yuki", "Tanaka"),
            "2022-01-15",
            "2026-09-08",
            &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
            serde_json::json!({"mother": {"firstName": "Sofía", "lastName": "Tanaka", "phone": "555-0199"}}),
            None,
        ),
    ]
}

/// The record of `registration` as the worker reads it, enrolled by a run at `t0`.
pub fn record_of(registration: &Registration) -> Msg {
    let name = registration.execution_name.clone();
    Msg::Record {
        id: registration.id,
        registration: Some(Box::new(registration.clone())),
        enrolled_by: Some(Box::new(ExecutionSummary {
            execution_arn: format!(
                "arn:aws:states:us-east-1:123456789012:execution:registration:{name}"
            ),
            state_machine_arn: "arn:aws:states:us-east-1:123456789012:stateMachine:registration"
                .into(),
            name,
            status: ExecutionStatus::Succeeded,
            start_date: t0(),
            stop_date: Some(t0() + Duration::milliseconds(40)),
            input: "{}".into(),
            output: Some("{}".into()),
            error: None,
            cause: None,
        })),
    }
}

fn event(id: u64, ms: i64, event_type: EventType, details: EventDetails) -> HistoryEvent {
    HistoryEvent {
        id,
        previous_event_id: id.saturating_sub(1),
        timestamp: t0() + Duration::milliseconds(ms),
        event_type,
        details,
    }
}

fn named(name: &str, input: Option<String>, output: Option<String>) -> EventDetails {
    EventDetails {
        name: Some(name.into()),
        input,
        output,
        ..Default::default()
    }
}

pub const TUTORIAL_INPUT: &str = r#"{"registration_info":{"child":{"firstName":"Mohamed","lastName":"Diallo","dateOfBirth":"2016-07-01"},"parents":{"mother":{"firstName":"Aicha","lastName":"Cisse","email":"aicha@example.com","phone":"123-456-7890"}},"daysOfWeek":["Monday","Tuesday"],"specialInstructions":"Mohamed has a peanut allergy."}}"#;

/// An execution opened for detail, with the registration workflow as the machine it ran.
pub fn opened(stored: StoredExecution) -> Msg {
    Msg::Execution {
        stored: Box::new(stored),
        machine: machine(),
    }
}

/// The tutorial's example refused for age, with its history.
pub fn refused_execution() -> StoredExecution {
    let body = r#"{\"child\":{\"firstName\":\"Mohamed\",\"lastName\":\"Diallo\",\"dateOfBirth\":\"2016-07-01\"},\"daysOfWeek\":[\"Monday\",\"Tuesday\"]}"#;
    let ok = format!(r#"{{"statusCode":200,"body":"{body}"}}"#);
    let cause = "Mohamed Diallo is 10 on 2026-09-15; the daycare takes children aged 2 to 5.";
    let refused = format!(r#"{{"statusCode":400,"body":"{cause}"}}"#);
    let input = TUTORIAL_INPUT.to_string();
    let events = vec![
        event(
            1,
            0,
            EventType::ExecutionStarted,
            EventDetails {
                input: Some(input.clone()),
                ..Default::default()
            },
        ),
        event(
            2,
            1,
            EventType::TaskStateEntered,
            named("Check Information", Some(input.clone()), None),
        ),
        event(3, 2, EventType::TaskScheduled, EventDetails::default()),
        event(4, 3, EventType::TaskStarted, EventDetails::default()),
        event(
            5,
            9,
            EventType::TaskSucceeded,
            EventDetails {
                output: Some(ok.clone()),
                ..Default::default()
            },
        ),
        event(
            6,
            10,
            EventType::TaskStateExited,
            named("Check Information", None, Some(ok.clone())),
        ),
        event(
            7,
            11,
            EventType::ChoiceStateEntered,
            named("Information Complete?", Some(ok.clone()), None),
        ),
        event(
            8,
            11,
            EventType::ChoiceStateExited,
            named("Information Complete?", None, Some(ok.clone())),
        ),
        event(
            9,
            12,
            EventType::TaskStateEntered,
            named("Check Age Range", Some(ok.clone()), None),
        ),
        event(10, 13, EventType::TaskScheduled, EventDetails::default()),
        event(11, 14, EventType::TaskStarted, EventDetails::default()),
        event(
            12,
            20,
            EventType::TaskSucceeded,
            EventDetails {
                output: Some(refused.clone()),
                ..Default::default()
            },
        ),
        event(
            13,
            21,
            EventType::TaskStateExited,
            named("Check Age Range", None, Some(refused.clone())),
        ),
        event(
            14,
            22,
            EventType::ChoiceStateEntered,
            named("Age In Range?", Some(refused.clone()), None),
        ),
        event(
            15,
            22,
            EventType::ChoiceStateExited,
            named("Age In Range?", None, Some(refused.clone())),
        ),
        event(
            16,
            23,
            EventType::FailStateEntered,
            named("Age Out Of Range", Some(refused.clone()), None),
        ),
        event(
            17,
            24,
            EventType::ExecutionFailed,
            EventDetails {
                error: Some("AgeOutOfRange".into()),
                cause: Some(cause.into()),
                ..Default::default()
            },
        ),
    ];
    StoredExecution {
        summary: ExecutionSummary {
            execution_arn:
                "arn:aws:states:us-east-1:123456789012:execution:registration:registration-0999"
                    .into(),
            state_machine_arn: "arn:aws:states:us-east-1:123456789012:stateMachine:registration"
                .into(),
            name: "registration-0999".into(),
            status: ExecutionStatus::Failed,
            start_date: t0(),
            stop_date: Some(t0() + Duration::milliseconds(24)),
            input,
            output: None,
            error: Some("AgeOutOfRange".into()),
            cause: Some(cause.into()),
        },
        definition: String::new(),
        events,
        child: Some("Mohamed Diallo".into()),
        fees: None,
    }
}

/// A successful registration's outcome, as the desk returns it.
pub fn succeeded_outcome() -> Outcome {
    Outcome {
        execution: ExecutionSummary {
            execution_arn:
                "arn:aws:states:us-east-1:123456789012:execution:registration:registration-1000"
                    .into(),
            state_machine_arn: "arn:aws:states:us-east-1:123456789012:stateMachine:registration"
                .into(),
            name: "registration-1000".into(),
            status: ExecutionStatus::Succeeded,
            start_date: t0(),
            stop_date: Some(t0() + Duration::milliseconds(40)),
            input: "{}".into(),
            output: Some("{}".into()),
            error: None,
            cause: None,
        },
        child: "Amara Okafor".into(),
        age: Some(3),
        fees: Some(750),
        start_date: NaiveDate::from_ymd_opt(2026, 9, 15),
    }
}

/// The history events of a successful run, for live progress.
pub fn entered(name: &str, id: u64) -> HistoryEvent {
    event(
        id,
        id as i64,
        EventType::TaskStateEntered,
        named(name, Some("{}".into()), None),
    )
}

/// What the terminal shows, one line per row, trailing spaces trimmed.
pub fn screen(app: &App) -> String {
    let (width, height) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| render(app, frame)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..height {
        let mut line = String::new();
        for x in 0..width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
