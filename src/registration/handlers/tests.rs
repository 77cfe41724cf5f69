//! The handlers called directly, as the engine would, on an in-memory store.

use super::*;
use crate::workflow::ExecutionSummary;
use chrono::NaiveDate;

fn setup() -> (Arc<Mutex<Store>>, Handlers) {
    let store = Arc::new(Mutex::new(Store::open_in_memory().unwrap()));
    let clock = Clock::pinned(NaiveDate::from_ymd_opt(2026, 9, 1).unwrap());
    let hs = handlers(&store, clock);
    (store, hs)
}

fn context(name: &str) -> TaskContext {
    TaskContext {
        execution_name: name.into(),
        execution_arn: format!("arn:aws:states:local:000000000000:execution:registration:{name}"),
        state_name: "Step".into(),
        retry_count: 0,
    }
}

fn begin(store: &Arc<Mutex<Store>>, name: &str) {
    let summary = ExecutionSummary::started("arn:m", name, "{}".into());
    store
        .lock()
        .unwrap()
        .begin_execution(&summary, "{}", None)
        .unwrap();
}

fn doc(first: &str, born: &str, days: Value) -> Value {
    json!({"registration_info": {
        "child": {"firstName": first, "lastName": "Diallo", "dateOfBirth": born},
        "parents": {"mother": {"firstName": "Aicha", "lastName": "Cisse", "phone": "123-456-7890"}},
        "daysOfWeek": days
    }})
}

/// Runs the four handlers in order as the workflow does; the last response.
async fn chain(
    store: &Arc<Mutex<Store>>,
    hs: &[(&'static str, Arc<dyn TaskHandler>)],
    name: &str,
    input: Value,
) -> (usize, Value) {
    begin(store, name);
    let mut value = input;
    for (i, (_, handler)) in hs.iter().enumerate() {
        value = handler.invoke(value, context(name)).await.unwrap();
        if value["statusCode"] != 200 {
            return (i, value);
        }
    }
    succeed(store, name);
    (hs.len(), value)
}

/// The desk keeps a run SUCCEEDED: only then is the child enrolled to readers.
fn succeed(store: &Arc<Mutex<Store>>, name: &str) {
    let mut done = ExecutionSummary::started("arn:m", name, "{}".into());
    done.status = crate::workflow::ExecutionStatus::Succeeded;
    let done = crate::workflow::Execution {
        summary: done,
        events: Vec::new(),
    };
    store.lock().unwrap().finish_execution(&done, None).unwrap();
}

#[tokio::test]
async fn a_three_year_old_is_confirmed_with_fees_and_start_date() {
    let (store, hs) = setup();
    let (step, out) = chain(
        &store,
        &hs,
        "e1",
        doc("Awa", "2023-06-01", json!(["mon", "Fri"])),
    )
    .await;
    assert_eq!(step, 4, "{out}");
    let body: Value = serde_json::from_str(out["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["fees"], 750);
    assert_eq!(body["start_date"], "2026-09-15");
    assert_eq!(body["child"]["age"], 3);
    assert_eq!(body["daysOfWeek"], json!(["Monday", "Friday"]));
    let spots = store.lock().unwrap().spots().unwrap();
    assert_eq!(
        (spots[0].enrolled, spots[1].enrolled, spots[4].enrolled),
        (1, 0, 1)
    );
}

#[tokio::test]
async fn the_tutorials_child_is_too_old_and_the_refusal_says_so() {
    let (store, hs) = setup();
    let (step, out) = chain(
        &store,
        &hs,
        "e1",
        doc("Mohamed", "2016-07-01", json!(["Monday"])),
    )
    .await;
    assert_eq!(step, 1);
    assert_eq!(out["statusCode"], 400);
    assert_eq!(
        out["body"],
        "Mohamed Diallo would be 10 on 2026-09-15, the start date; the daycare takes children aged 2 to 5."
    );
}

#[tokio::test]
async fn closed_and_full_days_are_named() {
    let (store, hs) = setup();
    store
        .lock()
        .unwrap()
        .set_capacity(Some(chrono::Weekday::Tue), 1, "test")
        .unwrap();
    let (step, _) = chain(&store, &hs, "e1", doc("Awa", "2023-06-01", json!(["Tue"]))).await;
    assert_eq!(step, 4);
    let (step, out) = chain(
        &store,
        &hs,
        "e2",
        doc("Binta", "2023-06-01", json!(["Tue", "Sat"])),
    )
    .await;
    assert_eq!(step, 2);
    assert_eq!(
        out["body"],
        "No spot for Binta Diallo on Tuesday (full) and Saturday (closed)."
    );
}

#[tokio::test]
async fn an_enrolled_child_is_refused_as_a_duplicate() {
    let (store, hs) = setup();
    chain(&store, &hs, "e1", doc("Awa", "2023-06-01", json!(["Mon"]))).await;
    let (step, out) = chain(
        &store,
        &hs,
        "e2",
        doc(" AWA ", "2023-06-01", json!(["Wed"])),
    )
    .await;
    assert_eq!(step, 0);
    assert!(
        out["body"].as_str().unwrap().contains("already enrolled"),
        "{out}"
    );
}

#[tokio::test]
async fn confirmation_rechecks_the_spot_taken_in_between() {
    let (store, hs) = setup();
    store
        .lock()
        .unwrap()
        .set_capacity(Some(chrono::Weekday::Mon), 1, "test")
        .unwrap();
    // Both pass the availability check before either confirms.
    let check = |first: &str| {
        let input = doc(first, "2023-06-01", json!(["Mon"]));
        let hs = &hs;
        async move {
            let mut v = input;
            for (_, h) in &hs[..3] {
                v = h.invoke(v, context("x")).await.unwrap();
            }
            v
        }
    };
    let a = check("Awa").await;
    let b = check("Binta").await;
    begin(&store, "ea");
    begin(&store, "eb");
    let a = hs[3].1.invoke(a, context("ea")).await.unwrap();
    let b = hs[3].1.invoke(b, context("eb")).await.unwrap();
    assert_eq!(a["statusCode"], 200);
    assert_eq!(b["statusCode"], 400);
    assert_eq!(b["body"], "No spot for Binta Diallo on Monday (full).");
}

#[tokio::test]
async fn a_malformed_body_fails_the_task_with_a_reason() {
    let (_, hs) = setup();
    let err = hs[1]
        .1
        .invoke(json!({"statusCode": 200, "body": "nope"}), context("e"))
        .await;
    assert_eq!(err.unwrap_err().error, "InvalidInput");
}

#[tokio::test]
async fn a_handler_reads_the_text_it_is_given_not_the_registration_handed_on_before() {
    let (_store, hs) = setup();
    let handler = |name: &str| {
        hs.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, h)| Arc::clone(h))
            .unwrap()
    };
    let checked = handler("checkInformation")
        .invoke(doc("Awa", "2023-06-01", json!(["Monday"])), context("e1"))
        .await
        .unwrap();
    assert_eq!(checked["statusCode"], 200, "{checked}");
    // The same step's output, edited on the way: the edit is what the next step sees.
    let mut edited: Value = serde_json::from_str(checked["body"].as_str().unwrap()).unwrap();
    edited["child"]["dateOfBirth"] = json!("2019-06-01");
    let input = json!({"statusCode": 200, "body": edited.to_string()});
    let aged = handler("checkAgeRange")
        .invoke(input, context("e1"))
        .await
        .unwrap();
    assert_eq!(aged["statusCode"], 400, "{aged}");
    // Unedited, it is the registration handed on, with its age added.
    let aged = handler("checkAgeRange")
        .invoke(checked.clone(), context("e1"))
        .await
        .unwrap();
    let body: Value = serde_json::from_str(aged["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["child"]["age"], 3, "{aged}");
    assert_eq!(body["child"]["firstName"], "Awa");
    // And the same text again, after the registration was taken: parsed as usual.
    let again = handler("checkAgeRange")
        .invoke(checked, context("e1"))
        .await
        .unwrap();
    assert_eq!(again, aged);
}

fn handler(hs: &Handlers, name: &str) -> Arc<dyn TaskHandler> {
    hs.iter()
        .find(|(n, _)| *n == name)
        .map(|(_, h)| Arc::clone(h))
        .unwrap()
}

fn enrolled(store: &Arc<Mutex<Store>>) -> usize {
    store
        .lock()
        .unwrap()
        .spots()
        .unwrap()
        .iter()
        .map(|s| s.enrolled as usize)
        .sum()
}

#[tokio::test]
async fn confirmation_refuses_what_an_earlier_step_claims_without_the_checks() {
    let (store, hs) = setup();
    begin(&store, "e1");
    // Born 2010 but "age 3", no parents, escape codes in the names.
    let body = json!({"child": {"firstName": "Evil\u{1b}]0;PWNED\u{7}\u{1b}[2J",
        "lastName": "\u{9b}31mRed\u{202e}", "dateOfBirth": "2010-01-01", "age": 3},
        "daysOfWeek": ["Monday"]});
    let input = json!({"statusCode": 200, "body": body.to_string()});
    let out = handler(&hs, "confirmRegistration")
        .invoke(input, context("e1"))
        .await
        .unwrap();
    assert_eq!(out["statusCode"], 422, "{out}");
    let cause = out["body"].as_str().unwrap();
    assert!(cause.contains("control characters"), "{cause}");
    assert!(cause.contains("at least one parent"), "{cause}");
    succeed(&store, "e1");
    assert_eq!(enrolled(&store), 0);
}

#[tokio::test]
async fn confirmation_derives_age_and_fees_itself_and_keeps_the_age_range() {
    let (store, hs) = setup();
    begin(&store, "e1");
    let checked =
        check_information(doc("Awa", "2023-06-01", json!(["Mon"])), d(2026, 9, 1)).unwrap();
    let mut claimed = serde_json::to_value(checked).unwrap();
    claimed["child"]["age"] = json!(5);
    claimed["fees"] = json!(1);
    claimed["start_date"] = json!("2020-01-01");
    let input = json!({"statusCode": 200, "body": claimed.to_string()});
    let out = handler(&hs, "confirmRegistration")
        .invoke(input, context("e1"))
        .await
        .unwrap();
    let body: Value = serde_json::from_str(out["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        (&body["child"]["age"], &body["fees"], &body["start_date"]),
        (&json!(3), &json!(750), &json!("2026-09-15"))
    );

    // Too old, whatever age it is said to be.
    begin(&store, "e2");
    let checked =
        check_information(doc("Binta", "2010-01-01", json!(["Mon"])), d(2026, 9, 1)).unwrap();
    let mut old = serde_json::to_value(checked).unwrap();
    old["child"]["age"] = json!(3);
    let input = json!({"statusCode": 200, "body": old.to_string()});
    let out = handler(&hs, "confirmRegistration")
        .invoke(input, context("e2"))
        .await
        .unwrap();
    assert_eq!(out["statusCode"], 422, "{out}");
    assert!(
        out["body"].as_str().unwrap().contains("would be 16"),
        "{out}"
    );
    succeed(&store, "e1");
    succeed(&store, "e2");
    assert_eq!(enrolled(&store), 1);
}

#[tokio::test]
async fn an_enrolled_child_is_refused_as_already_enrolled_at_the_door_and_at_confirmation() {
    let (store, hs) = setup();
    // Both pass the checks before either confirms.
    let checked = |first: &'static str| {
        let hs = &hs;
        async move {
            let mut v = doc(first, "2023-06-01", json!(["Mon"]));
            for (_, h) in &hs[..3] {
                v = h.invoke(v, context("x")).await.unwrap();
            }
            v
        }
    };
    let a = checked("Awa").await;
    let b = checked("AWA").await;
    begin(&store, "ea");
    begin(&store, "eb");
    let a = hs[3].1.invoke(a, context("ea")).await.unwrap();
    let b = hs[3].1.invoke(b, context("eb")).await.unwrap();
    assert_eq!(a["statusCode"], 200, "{a}");
    assert_eq!(b["statusCode"], 409, "{b}");
    assert!(b["body"].as_str().unwrap().contains("already enrolled"));
    let again = handler(&hs, "checkInformation")
        .invoke(doc("awa", "2023-06-01", json!(["Tue"])), context("ec"))
        .await
        .unwrap();
    assert_eq!(again["statusCode"], 409, "{again}");
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}
