//! Registrations fuzzed: random, huge, Unicode and control-character fields, missing
//! fields and wrong types, through the desk on an in-memory store and a sample through
//! the real binary. Never a panic; every refusal names its state and, for incomplete
//! information, each problem's field; no line staff see over 2,000 characters or with a
//! control character in it.

mod cli_support;

use chrono::NaiveDate;
use daycare::registration::{Clock, Desk, check_information};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value, json};

const LONGEST_LINE: usize = 2_000;
/// The workflow's Fail states' errors: a refusal always names the state it stopped in.
const REFUSALS: [&str; 4] = [
    "InformationIncomplete",
    "AgeOutOfRange",
    "NoSpotsAvailable",
    "AlreadyEnrolled",
];
/// The fields checkInformation's problems are tied to (and their sub-fields).
const FIELDS: [&str; 5] = [
    "registration_info",
    "child",
    "parents",
    "daysOfWeek",
    "specialInstructions",
];

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 9, 1).unwrap()
}

/// Text of every kind a form or a script might send.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "Awa", "Zoë", "Zoe\u{308}", "İsabel", "Nguyễn", "李小龙", "O'Brien", "Monday",
            "wed", "Sat", "2023-06-01", "2021-02-29", "2010-01-01", "2026-09-02",
            "a@b.co", "123-456-7890", "", "  ",
        ])
        .prop_map(str::to_string),
        2 => "\\PC{0,24}",
        2 => "[\\x00-\\x1f\\x7f-\\x9f\u{200b}-\u{200f}\u{202a}-\u{202e}\u{2028}\u{feff}a-zé 0-9@.-]{0,40}",
        1 => (0usize..120_000, "[\\x1b\u{9b}x9]").prop_map(|(n, c)| c.repeat(n)),
        1 => (0usize..4_000).prop_map(|n| "Ab ".repeat(n)),
    ]
}

/// A field's value: usually text, sometimes the wrong type; `None` leaves it out.
fn field() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        6 => text().prop_map(|t| Some(Value::String(t))),
        1 => Just(None),
        1 => Just(Some(Value::Null)),
        1 => any::<i64>().prop_map(|n| Some(json!(n))),
        1 => any::<bool>().prop_map(|b| Some(json!(b))),
        1 => prop::collection::vec(text(), 0..3).prop_map(|v| Some(json!(v))),
    ]
}

fn object(keys: &'static [&'static str]) -> impl Strategy<Value = Value> {
    prop::collection::vec(field(), keys.len()).prop_map(move |values| {
        let mut out = Map::new();
        for (key, value) in keys.iter().zip(values) {
            if let Some(value) = value {
                out.insert((*key).to_string(), value);
            }
        }
        Value::Object(out)
    })
}

fn parent() -> impl Strategy<Value = Value> {
    object(&["firstName", "lastName", "email", "phone"])
}

fn parents() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => (parent(), prop::option::of(parent())).prop_map(|(m, f)| {
            let mut out = json!({"mother": m});
            if let Some(f) = f {
                out["father"] = f;
            }
            out
        }),
        1 => prop::collection::vec((text(), parent()), 0..7)
            .prop_map(|ps| Value::Object(ps.into_iter().collect())),
        1 => field().prop_map(|v| v.unwrap_or(Value::Null)),
    ]
}

fn days() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => prop::collection::vec(text(), 0..5).prop_map(|v| json!(v)),
        1 => prop::collection::vec(Just("Mon".to_string()), 0..40).prop_map(|v| json!(v)),
        1 => field().prop_map(|v| v.unwrap_or(Value::Null)),
    ]
}

fn document() -> impl Strategy<Value = Value> {
    let registration = (
        object(&["firstName", "lastName", "dateOfBirth"]),
        parents(),
        days(),
        field(),
    )
        .prop_map(|(child, parents, days, instructions)| {
            let mut info = json!({"child": child, "parents": parents, "daysOfWeek": days});
            if let Some(instructions) = instructions {
                info["specialInstructions"] = instructions;
            }
            json!({"registration_info": info})
        });
    prop_oneof![
        8 => registration,
        1 => field().prop_map(|v| v.unwrap_or(Value::Null)),
        1 => (text(), 0usize..300_000).prop_map(|(t, n)| json!({"registration_info": {"x": t, "pad": "p".repeat(n)}})),
    ]
}

/// What staff see of a refusal is clean and short.
fn assert_readable(what: &str, text: &str) {
    for line in text.lines() {
        assert!(
            line.chars().count() <= LONGEST_LINE,
            "{what}: a line of {} characters",
            line.chars().count()
        );
    }
    let unsafe_char = text
        .chars()
        .find(|&c| daycare::text::is_unsafe(c) && c != '\n');
    assert!(
        unsafe_char.is_none(),
        "{what}: {unsafe_char:?} in {}",
        daycare::text::quote(text, 200)
    );
}

fn check(desk: &Desk, rt: &tokio::runtime::Runtime, document: Value) {
    let outcome = rt.block_on(desk.submit(document.clone(), None)).unwrap();
    assert_readable("child", &outcome.child);
    if outcome.succeeded() {
        return;
    }
    let summary = &outcome.execution;
    let error = summary.error.as_deref().unwrap_or_default();
    assert!(
        REFUSALS.contains(&error),
        "refused as {error:?}: {:?}",
        summary.cause
    );
    let cause = summary.cause.as_deref().unwrap_or_default();
    assert!(!cause.is_empty(), "{error} without a cause");
    assert_readable("cause", cause);
    let row = format!(
        "FAILED     {}  {}: {error}: {cause}",
        summary.name, outcome.child
    );
    assert_readable("row", &row);
    if error == "InformationIncomplete" {
        let problems = check_information(document, today()).unwrap_err();
        for p in problems {
            assert!(
                FIELDS
                    .iter()
                    .any(|f| p.field == *f || p.field.starts_with(&format!("{f}."))),
                "problem without a field: {p:?}"
            );
        }
    }
}

#[test]
fn fuzzed_registrations_are_refused_readably_and_never_panic() {
    let desk = Desk::in_memory(Clock::pinned(today())).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut runner = TestRunner::new(Config {
        cases: 300,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&document(), |doc| {
            check(&desk, &rt, doc);
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_fuzzed_sample_through_the_real_binary_prints_clean_short_lines() {
    let mut runner = TestRunner::deterministic();
    let strategy = document();
    let mut lines = String::new();
    let mut count = 0;
    while count < 40 {
        // Lines over the 1 MiB the reader takes are skipped as unreadable, not run.
        let line = strategy
            .new_tree(&mut runner)
            .unwrap()
            .current()
            .to_string();
        if line.len() < 1 << 20 {
            lines += &(line + "\n");
            count += 1;
        }
    }
    let db = cli_support::Db::new();
    let file = db.dir.path().join("fuzz.jsonl");
    std::fs::write(&file, lines).unwrap();
    let (code, out, err) = db.run(&["submit", file.to_str().unwrap()]);
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    assert_eq!(out.lines().count(), 40, "{out}");
    assert_readable("stdout", &out);
    assert_readable("stderr", &err);
    let (_, json) = db.json(&["submit", file.to_str().unwrap()]);
    for r in json["results"].as_array().unwrap() {
        assert_readable("cause", r["cause"].as_str().unwrap_or_default());
    }
}
