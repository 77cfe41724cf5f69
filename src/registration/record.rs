//! A child's record as people read it: the registration the store keeps, with the
//! parents and special instructions from its confirmed document, the age today, the day
//! they age out and how they left. The console's record screen, the sheets and the
//! `registration` command all build on it.

use chrono::{NaiveDate, Weekday};
use serde::Serialize;

use crate::registration::document::{self, Parent};
use crate::registration::rules::age_on;
use crate::store::{Registration, RegistrationStatus};

/// One child's record.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    pub id: i64,
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    /// Whole years today.
    pub age_today: u32,
    /// Whole years on the start date, as confirmed.
    pub age: u32,
    #[serde(serialize_with = "crate::weekday::serde_name::serialize_list")]
    pub days: Vec<Weekday>,
    pub fees: u32,
    pub start_date: NaiveDate,
    pub status: RegistrationStatus,
    /// Allergies and the like, as the parents wrote them (line breaks kept).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub special_instructions: Option<String>,
    /// In the order the registration listed them.
    pub parents: Vec<Contact>,
    /// The execution that enrolled the child.
    pub execution_name: String,
    /// The day a withdrawal takes (or took) effect, and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leaves_on: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdraw_reason: Option<String>,
    /// The day the child turns 6, when that is within 60 days of today.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ages_out_on: Option<NaiveDate>,
}

/// A parent (or guardian) and how to reach them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    /// How the registration lists them: "mother", "guardian", …
    pub role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

impl Record {
    /// The record of a kept registration, `today`. The child, days, fees and start date
    /// are the store's; parents and instructions come from the confirmed document, and
    /// are left empty when it has none that can be read.
    pub fn new(registration: Registration, today: NaiveDate) -> Record {
        let status = if registration.enrolled_on(today) {
            RegistrationStatus::Enrolled
        } else {
            RegistrationStatus::Withdrawn
        };
        let typed = match document::into_inner(registration.document) {
            serde_json::Value::Object(object) => document::Registration::from_object(object).ok(),
            _ => None,
        };
        let (parents, special_instructions) = match typed {
            Some(typed) => (
                typed.parents.into_iter().map(Contact::from).collect(),
                typed.instructions.filter(|i| !i.trim().is_empty()),
            ),
            None => (Vec::new(), None),
        };
        Record {
            id: registration.id,
            age_today: age_on(registration.date_of_birth, today),
            first_name: registration.first_name,
            last_name: registration.last_name,
            date_of_birth: registration.date_of_birth,
            age: registration.age,
            days: registration.days,
            fees: registration.fees,
            start_date: registration.start_date,
            status,
            special_instructions,
            parents,
            execution_name: registration.execution_name,
            ages_out_on: super::rules::ages_out(registration.date_of_birth, today),
            leaves_on: registration.leaves_on,
            withdraw_reason: registration.withdraw_reason,
        }
    }

    /// "First Last".
    pub fn child(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    /// "enrolled" or "withdrawn".
    pub fn status_word(&self) -> &'static str {
        match self.status {
            RegistrationStatus::Enrolled => "enrolled",
            RegistrationStatus::Withdrawn => "withdrawn",
        }
    }
}

impl Contact {
    /// "First Last", or the one name given, or "" for none.
    pub fn name(&self) -> String {
        let parts: Vec<&str> = [&self.first_name, &self.last_name]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        parts.join(" ")
    }
}

impl From<Parent> for Contact {
    fn from(parent: Parent) -> Contact {
        Contact {
            role: parent.role,
            first_name: parent.first_name,
            last_name: parent.last_name,
            phone: parent.phone,
            email: parent.email,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kept(document: serde_json::Value) -> Registration {
        Registration {
            id: 7,
            first_name: "Noah".into(),
            last_name: "Martin".into(),
            date_of_birth: NaiveDate::from_ymd_opt(2023, 6, 1).unwrap(),
            days: vec![Weekday::Tue, Weekday::Thu],
            age: 3,
            fees: 750,
            start_date: NaiveDate::from_ymd_opt(2026, 9, 15).unwrap(),
            status: RegistrationStatus::Enrolled,
            execution_name: "martin-noah-1a2b3c4d".into(),
            document,
            leaves_on: None,
            withdraw_reason: None,
        }
    }

    #[test]
    fn parents_and_instructions_come_from_the_confirmed_document() {
        let document = json!({
            "child": {"firstName": "Noah", "lastName": "Martin", "dateOfBirth": "2023-06-01", "age": 3},
            "parents": {
                "mother": {"firstName": "Aicha", "lastName": "Cisse", "phone": "123-456-7890"},
                "guardian": {"lastName": "Okafor", "email": "o@example.com"}
            },
            "daysOfWeek": ["Tuesday", "Thursday"],
            "specialInstructions": "Peanuts!\nNo naps",
            "fees": 750,
            "start_date": "2026-09-15"
        });
        let today = NaiveDate::from_ymd_opt(2026, 5, 31).unwrap();
        let record = Record::new(kept(document), today);
        assert_eq!(record.age_today, 2);
        assert_eq!(record.age, 3);
        assert_eq!(
            record.special_instructions.as_deref(),
            Some("Peanuts!\nNo naps")
        );
        assert_eq!(record.parents.len(), 2);
        assert_eq!(record.parents[0].role, "mother");
        assert_eq!(record.parents[0].name(), "Aicha Cisse");
        assert_eq!(record.parents[1].name(), "Okafor");
        assert_eq!(record.parents[1].email.as_deref(), Some("o@example.com"));
    }

    #[test]
    fn a_document_that_cannot_be_read_leaves_the_store_s_record() {
        let today = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        let record = Record::new(kept(json!({})), today);
        assert_eq!(record.child(), "Noah Martin");
        assert_eq!(record.age_today, 3);
        assert!(record.parents.is_empty());
        assert_eq!(record.special_instructions, None);
    }
}
