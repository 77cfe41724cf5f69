//! The handlers called directly, as the engine would, on an in-memory store.

use super::*;
use crate::workflow::ExecutionSummary;

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
    // The desk then keeps the run SUCCEEDED: only then is the child enrolled to readers.
    let mut done = ExecutionSummary::started("arn:m", name, "{}".into());
    done.status = crate::workflow::ExecutionStatus::Succeeded;
    let done = crate::workflow::Execution {
        summary: done,
        events: Vec::new(),
    };
    store.lock().unwrap().finish_execution(&done, None).unwrap();
    (hs.len(), value)
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
        .set_capacity(Some(chrono::Weekday::Tue), 1)
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
        .set_capacity(Some(chrono::Weekday::Mon), 1)
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
