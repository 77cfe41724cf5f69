//! `Desk::submit_many` and `Desk::demo`: outcomes come back in input order, items
//! without a document in their places, each execution kept exactly as its outcome says;
//! the demo refuses a database that holds real registrations.

mod cli_support;

use cli_support::{Db, TODAY, check_invariants};
use daycare::registration::samples::Samples;
use daycare::registration::{Clock, Desk, DeskError};
use daycare::store::Store;

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap()
}

#[test]
fn outcomes_come_back_in_input_order_with_the_gaps_in_place_and_all_kept() {
    let db = Db::new();
    Store::open(&db.path)
        .unwrap()
        .set_capacity(None, 100_000, "test")
        .unwrap();
    let desk = Desk::open(&db.path, Clock::pinned(today())).unwrap();
    // 3,000 documents, every seventh item a gap (a line that could not be read, say).
    let documents: Vec<_> = Samples::new(3, today()).take(3_000).collect();
    let mut input = Vec::new();
    for (i, document) in documents.into_iter().enumerate() {
        if i % 7 == 0 {
            input.push((format!("gap {i}"), None));
        }
        input.push((format!("document {i}"), Some(document)));
    }
    let expected: Vec<String> = input.iter().map(|(tag, _)| tag.clone()).collect();
    let mut seen = Vec::new();
    let mut outcomes = Vec::new();
    for item in desk.submit_many(input).unwrap() {
        let (tag, outcome) = item.unwrap();
        assert_eq!(tag.starts_with("gap"), outcome.is_none(), "{tag}");
        seen.push(tag);
        outcomes.extend(outcome);
    }
    assert_eq!(seen, expected);
    assert_eq!(outcomes.len(), 3_000);
    assert!(outcomes.iter().any(|o| o.succeeded()));
    assert!(outcomes.iter().any(|o| !o.succeeded()));
    drop(desk);

    let store = Store::open(&db.path).unwrap();
    for outcome in &outcomes {
        let kept = store.execution(&outcome.execution.name).unwrap().unwrap();
        assert_eq!(kept.summary.status, outcome.execution.status);
        assert_eq!(kept.fees, outcome.fees);
        assert!(kept.events.len() >= 2, "{}", outcome.execution.name);
    }
    assert_eq!(store.execution_counts().unwrap().total, 3_000);
    drop(store);
    check_invariants(&db);
}

#[test]
fn nothing_to_run_is_handed_back_as_it_came() {
    let desk = Desk::in_memory(Clock::pinned(today())).unwrap();
    let gaps: Vec<_> = desk
        .submit_many([(1, None), (2, None)])
        .unwrap()
        .map(|item| item.unwrap())
        .collect();
    assert_eq!(gaps.len(), 2);
    assert!(gaps.iter().all(|(_, outcome)| outcome.is_none()));
}

#[test]
fn the_demo_refuses_a_database_with_real_registrations() {
    let desk = Desk::in_memory(Clock::pinned(today())).unwrap();
    let real = Samples::new(1, today()).take(3).map(|d| ((), Some(d)));
    assert!(desk.submit_many(real).unwrap().all(|r| r.is_ok()));
    let demo = Samples::new(2, today()).take(3).map(|d| ((), Some(d)));
    assert!(matches!(desk.demo(demo), Err(DeskError::RealData)));
}
