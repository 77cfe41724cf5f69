//! checkInformation's rules without the store: every field present and well formed,
//! names trimmed, weekdays normalised. Lists every problem with the field it concerns;
//! knows nothing of spots or of who is already enrolled.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::Problem;
use super::rules::parse_weekday;
use crate::store::{WEEK, weekday_name};

/// checkInformation's rules, without the store: every problem, in form order, or the
/// normalised document (`registration_info` contents: names trimmed, weekdays normalised).
/// Accepts the whole input (`{"registration_info": …}`) or its contents, and normalises
/// it in place rather than copy it.
pub fn check_information(document: Value, today: NaiveDate) -> Result<Value, Vec<Problem>> {
    let info = match document {
        Value::Object(mut top) => match top.remove("registration_info") {
            Some(info) => info,
            None => Value::Object(top),
        },
        other => other,
    };
    let Value::Object(mut out) = info else {
        return Err(vec![problem(
            "registration_info",
            "the registration must be a JSON object with child, parents and daysOfWeek",
        )]);
    };
    let mut problems = Vec::new();

    match out.get_mut("child").and_then(Value::as_object_mut) {
        Some(child) => check_child(child, today, &mut problems),
        None => problems.push(problem(
            "child",
            "the child is missing (first name, last name and date of birth)",
        )),
    }
    check_parents(out.get_mut("parents"), &mut problems);
    check_days(out.get_mut("daysOfWeek"), &mut problems);

    match out.get_mut("specialInstructions") {
        None | Some(Value::Null) => {}
        Some(Value::String(text)) => {
            if text
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t')
            {
                problems.push(problem(
                    "specialInstructions",
                    "the special instructions contain control characters",
                ));
            } else {
                *text = text.trim().to_string();
            }
        }
        Some(_) => problems.push(problem(
            "specialInstructions",
            "the special instructions must be text",
        )),
    }

    if problems.is_empty() {
        Ok(Value::Object(out))
    } else {
        Err(problems)
    }
}

fn check_child(child: &mut Map<String, Value>, today: NaiveDate, problems: &mut Vec<Problem>) {
    for (key, what) in [("firstName", "first name"), ("lastName", "last name")] {
        match name(child, key) {
            Ok(Some(text)) => {
                child.insert(key.into(), Value::String(text));
            }
            Ok(None) => problems.push(problem(
                &format!("child.{key}"),
                &format!("the child's {what} is missing"),
            )),
            Err(message) => problems.push(problem(
                &format!("child.{key}"),
                &format!("the child's {what} {message}"),
            )),
        }
    }
    match child.get("dateOfBirth") {
        None | Some(Value::Null) => problems.push(problem(
            "child.dateOfBirth",
            "the child's date of birth is missing",
        )),
        Some(value) => match value.as_str().map(str::trim).map(strict_date) {
            Some(Some(date)) if date > today => problems.push(problem(
                "child.dateOfBirth",
                &format!("the child's date of birth {date} is in the future"),
            )),
            Some(Some(date)) => {
                child.insert("dateOfBirth".into(), Value::String(date.to_string()));
            }
            _ => problems.push(problem(
                "child.dateOfBirth",
                &format!(
                    "the child's date of birth must be a real date written YYYY-MM-DD, like 2023-04-30, not {value}"
                ),
            )),
        },
    }
}

fn problem(field: &str, message: &str) -> Problem {
    Problem {
        field: field.to_string(),
        message: message.to_string(),
    }
}

/// A trimmed, non-empty name; `Err` says what is wrong with it.
fn name(object: &Map<String, Value>, key: &str) -> Result<Option<String>, &'static str> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => {
            let text = text.trim();
            if text.chars().any(char::is_control) {
                Err("contains control characters")
            } else if text.is_empty() {
                Ok(None)
            } else {
                Ok(Some(text.to_string()))
            }
        }
        Some(_) => Err("must be text"),
    }
}

/// Strictly `YYYY-MM-DD` and a real date.
fn strict_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

fn check_parents(parents: Option<&mut Value>, problems: &mut Vec<Problem>) {
    let need = "at least one parent needs a first and last name and a phone or an email";
    let Some(parents) = parents.and_then(Value::as_object_mut) else {
        problems.push(problem("parents", need));
        return;
    };
    let mut normalised = Map::new();
    let mut complete = false;
    for (role, parent) in std::mem::take(parents) {
        let Value::Object(mut parent) = parent else {
            if !parent.is_null() {
                problems.push(problem(
                    &format!("parents.{role}"),
                    &format!("the {role} must be an object with names, email and phone"),
                ));
            }
            continue;
        };
        let mut named = true;
        for (key, what) in [("firstName", "first name"), ("lastName", "last name")] {
            match name(&parent, key) {
                Ok(Some(text)) => {
                    parent.insert(key.into(), Value::String(text));
                }
                Ok(None) => named = false,
                Err(message) => {
                    named = false;
                    problems.push(problem(
                        &format!("parents.{role}.{key}"),
                        &format!("the {role}'s {what} {message}"),
                    ));
                }
            }
        }
        let mut reachable = false;
        match name(&parent, "email") {
            Ok(Some(email)) => {
                let valid = email
                    .split_once('@')
                    .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
                    && !email.contains(char::is_whitespace);
                if valid {
                    reachable = true;
                    parent.insert("email".into(), Value::String(email));
                } else {
                    problems.push(problem(
                        &format!("parents.{role}.email"),
                        &format!("the {role}'s email {email:?} is not an email address"),
                    ));
                }
            }
            Ok(None) => {}
            Err(message) => problems.push(problem(
                &format!("parents.{role}.email"),
                &format!("the {role}'s email {message}"),
            )),
        }
        match name(&parent, "phone") {
            Ok(Some(phone)) => {
                let digits = phone.chars().filter(char::is_ascii_digit).count();
                let valid = digits >= 6
                    && phone
                        .chars()
                        .all(|c| c.is_ascii_digit() || " +-().".contains(c));
                if valid {
                    reachable = true;
                    parent.insert("phone".into(), Value::String(phone));
                } else {
                    problems.push(problem(
                        &format!("parents.{role}.phone"),
                        &format!("the {role}'s phone {phone:?} is not a phone number"),
                    ));
                }
            }
            Ok(None) => {}
            Err(message) => problems.push(problem(
                &format!("parents.{role}.phone"),
                &format!("the {role}'s phone {message}"),
            )),
        }
        complete |= named && reachable;
        normalised.insert(role, Value::Object(parent));
    }
    if !complete {
        problems.push(problem("parents", need));
    }
    *parents = normalised;
}

fn check_days(days: Option<&mut Value>, problems: &mut Vec<Problem>) {
    let Some(list) = days.and_then(Value::as_array_mut).filter(|l| !l.is_empty()) else {
        problems.push(problem(
            "daysOfWeek",
            "the days of the week are missing: list at least one, like [\"Monday\", \"Wed\"]",
        ));
        return;
    };
    let mut mask = 0u8;
    let mut unknown = Vec::new();
    for day in list.iter() {
        match day.as_str().and_then(parse_weekday) {
            Some(d) => mask |= 1 << d.num_days_from_monday(),
            None => unknown.push(day.to_string()),
        }
    }
    if !unknown.is_empty() {
        problems.push(problem(
            "daysOfWeek",
            &format!(
                "{} not a day of the week (use names like Monday or Mon)",
                if unknown.len() == 1 {
                    format!("{} is", unknown[0])
                } else {
                    format!("{} are", unknown.join(", "))
                }
            ),
        ));
        return;
    }
    *list = WEEK
        .into_iter()
        .filter(|d| mask & (1 << d.num_days_from_monday()) != 0)
        .map(|d| Value::String(weekday_name(d).to_string()))
        .collect();
}

/// The body of a refusal: every problem, in one paragraph staff can read.
pub fn problems_message(problems: &[Problem]) -> String {
    let parts: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
    format!("The registration is incomplete: {}.", parts.join("; "))
}

#[cfg(test)]
mod tests;
