//! checkInformation's rules without the store: every field present, well formed and
//! within its limit, names normalised (NFC, trimmed), weekdays normalised. Lists every
//! problem with the field it concerns; knows nothing of spots or of who is enrolled.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::Problem;
use super::document::{INFO, Registration, into_inner};
use super::limits::{self, shown};
use crate::text::{normalize_name, quote};
use crate::weekday::{self, WEEK};

/// checkInformation's rules, without the store: every problem, in form order, or the
/// registration, normalised (names trimmed, weekdays in week order). Accepts the whole
/// input (`{"registration_info": …}`) or its contents, and normalises it in place rather
/// than copy it.
pub fn check_information(document: Value, today: NaiveDate) -> Result<Registration, Vec<Problem>> {
    if let Some(message) = limits::oversized(&document) {
        return Err(vec![problem(INFO, &message)]);
    }
    let info = into_inner(document);
    let Value::Object(mut out) = info else {
        return Err(vec![problem(
            INFO,
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

    check_instructions(out.get_mut("specialInstructions"), &mut problems);

    if problems.is_empty() {
        Registration::from_object(out).map_err(|e| vec![problem(INFO, &e)])
    } else {
        Err(problems)
    }
}

fn check_instructions(instructions: Option<&mut Value>, problems: &mut Vec<Problem>) {
    let field = "specialInstructions";
    match instructions {
        None | Some(Value::Null) => {}
        Some(Value::String(text)) => {
            if text
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t')
            {
                problems.push(problem(
                    field,
                    "the special instructions contain control characters",
                ));
            } else if text.trim().chars().count() > limits::INSTRUCTIONS {
                problems.push(problem(
                    field,
                    &format!(
                        "the special instructions are longer than {} characters",
                        limits::INSTRUCTIONS
                    ),
                ));
            } else {
                *text = text.trim().to_string();
            }
        }
        Some(_) => problems.push(problem(field, "the special instructions must be text")),
    }
}

fn check_child(child: &mut Map<String, Value>, today: NaiveDate, problems: &mut Vec<Problem>) {
    for (key, what) in [("firstName", "first name"), ("lastName", "last name")] {
        match name(child, key, limits::NAME) {
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
                    "the child's date of birth must be a real date written YYYY-MM-DD, like 2023-04-30, not {}",
                    shown(value)
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

/// A non-empty name of at most `max` characters, normalised as it is kept (NFC, without
/// invisible characters, trimmed); `Err` says what is wrong with it.
fn name(object: &Map<String, Value>, key: &str, max: usize) -> Result<Option<String>, String> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => {
            if text.trim().chars().any(char::is_control) {
                return Err("contains control characters".into());
            }
            let text = normalize_name(text);
            if text.chars().count() > max {
                Err(format!("is longer than {max} characters"))
            } else if text.is_empty() {
                Ok(None)
            } else {
                Ok(Some(text))
            }
        }
        Some(_) => Err("must be text".into()),
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
    if parents.len() > limits::PARENTS {
        problems.push(problem(
            "parents",
            &format!("at most {} parents can be listed", limits::PARENTS),
        ));
        return;
    }
    let mut normalised = Map::new();
    // A parent who is named and gave a contact has been reported already when that
    // contact is wrong; saying that a parent is needed as well would mislead.
    let mut answered = false;
    for (role, parent) in std::mem::take(parents) {
        let shown_role = quote(&role, limits::ROLE);
        let Value::Object(mut parent) = parent else {
            if !parent.is_null() {
                problems.push(problem(
                    &format!("parents.{shown_role}"),
                    &format!("the {shown_role} must be an object with names, email and phone"),
                ));
            }
            continue;
        };
        answered |= check_parent(&shown_role, &mut parent, problems);
        normalised.insert(role, Value::Object(parent));
    }
    if !answered {
        problems.push(problem("parents", need));
    }
    *parents = normalised;
}

/// One parent's names, email and phone, normalised in place; whether the parent is named
/// and gave an email or a phone (well formed, or refused with its own problem).
fn check_parent(role: &str, parent: &mut Map<String, Value>, problems: &mut Vec<Problem>) -> bool {
    let mut named = true;
    for (key, what) in [("firstName", "first name"), ("lastName", "last name")] {
        match name(parent, key, limits::NAME) {
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
    let email = contact(role, parent, "email", limits::EMAIL, is_email, problems);
    let phone = contact(role, parent, "phone", limits::PHONE, is_phone, problems);
    named && (email != Contact::Missing || phone != Contact::Missing)
}

/// What a parent gave as an email or a phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Contact {
    Missing,
    Valid,
    /// Given but refused; the problem says why.
    Refused,
}

/// A parent's email or phone (`key`), checked by `valid` and kept trimmed.
fn contact(
    role: &str,
    parent: &mut Map<String, Value>,
    key: &str,
    max: usize,
    valid: fn(&str) -> bool,
    problems: &mut Vec<Problem>,
) -> Contact {
    let what = if key == "email" {
        "an email address"
    } else {
        "a phone number"
    };
    match name(parent, key, max) {
        Ok(Some(text)) if valid(&text) => {
            parent.insert(key.into(), Value::String(text));
            Contact::Valid
        }
        Ok(Some(text)) => {
            problems.push(problem(
                &format!("parents.{role}.{key}"),
                &format!(
                    "the {role}'s {key} \"{}\" is not {what}",
                    quote(&text, limits::QUOTED)
                ),
            ));
            Contact::Refused
        }
        Ok(None) => Contact::Missing,
        Err(message) => {
            problems.push(problem(
                &format!("parents.{role}.{key}"),
                &format!("the {role}'s {key} {message}"),
            ));
            Contact::Refused
        }
    }
}

fn is_email(email: &str) -> bool {
    email
        .split_once('@')
        .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
        && !email.contains(char::is_whitespace)
}

fn is_phone(phone: &str) -> bool {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    digits >= 6
        && phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
}

fn check_days(days: Option<&mut Value>, problems: &mut Vec<Problem>) {
    let Some(list) = days.and_then(Value::as_array_mut).filter(|l| !l.is_empty()) else {
        problems.push(problem(
            "daysOfWeek",
            "the days of the week are missing: list at least one, like [\"Monday\", \"Wed\"]",
        ));
        return;
    };
    if list.len() > limits::DAYS {
        problems.push(problem(
            "daysOfWeek",
            &format!(
                "the days of the week list {} entries; at most {} are accepted",
                list.len(),
                limits::DAYS
            ),
        ));
        return;
    }
    let mut mask = 0u8;
    let mut unknown = Vec::new();
    for day in list.iter() {
        match day.as_str().and_then(weekday::parse) {
            Some(d) => mask |= 1 << d.num_days_from_monday(),
            None => unknown.push(shown(day)),
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
        .map(|d| Value::String(weekday::name(d).to_string()))
        .collect();
}

/// The body of a refusal: every problem, in one paragraph staff can read.
pub fn problems_message(problems: &[Problem]) -> String {
    let parts: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
    format!("The registration is incomplete: {}.", parts.join("; "))
}

#[cfg(test)]
mod tests;
