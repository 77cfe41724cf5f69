//! Realistic sample registrations for demos and benchmarks: varied names (several
//! scripts), parents, days and ages, with a few incomplete, too young or too old
//! children. Deterministic for a seed. Writes nothing anywhere. Also the tutorial's own
//! example document, as `fixtures/` holds it.

use chrono::{Days, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

/// The tutorial's example input (Mohamed Diallo, born 2016: too old on any start date
/// from 2022 on), from `fixtures/registrations/tutorial-example.json`.
pub fn tutorial() -> Value {
    let text = include_str!("../../fixtures/registrations/tutorial-example.json");
    serde_json::from_str(text).unwrap_or_default()
}

const FIRST: &[&str] = &[
    "Awa",
    "Mohamed",
    "Léa",
    "Noah",
    "Emma",
    "Liam",
    "Sofía",
    "Mateo",
    "Aiko",
    "Yuto",
    "Zoë",
    "Oskar",
    "Amara",
    "Kwame",
    "Ingrid",
    "Chloé",
    "Ravi",
    "Priya",
    "Mei",
    "Jun",
    "Fatima",
    "Omar",
    "Élodie",
    "Björn",
    "Siobhán",
    "Łucja",
    "Nguyễn Anh",
    "Isabella",
    "Lucas",
    "Maya",
];
const LAST: &[&str] = &[
    "Diallo",
    "Cisse",
    "Martin",
    "Bernard",
    "García",
    "Müller",
    "Tanaka",
    "Sato",
    "Okafor",
    "Mensah",
    "Johansson",
    "Dubois",
    "Patel",
    "Sharma",
    "Chen",
    "Wang",
    "Haddad",
    "Nowak",
    "O'Brien",
    "Nguyen",
    "Kowalski",
    "Rossi",
    "Silva",
    "Kim",
    "Park",
    "Andersen",
    "Moreau",
];
const PARENT: &[&str] = &[
    "Aicha", "Ibrahim", "Marie", "Pierre", "Ana", "Jorge", "Yuki", "Hiro", "Ngozi", "Kofi", "Sara",
    "Erik", "Anjali", "Vikram", "Lin", "Wei", "Layla", "Karim", "Olga", "Tomasz",
];
const WEEKDAYS: [&str; 5] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

/// An endless, seeded stream of registration documents for children registering on `today`.
pub struct Samples {
    rng: StdRng,
    start: NaiveDate,
}

impl Samples {
    pub fn new(seed: u64, today: NaiveDate) -> Samples {
        Samples {
            rng: StdRng::seed_from_u64(seed),
            start: today + Days::new(14),
        }
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.rng.random_range(0..list.len())]
    }

    fn parent(&mut self, last: &str) -> Value {
        let first = self.pick(PARENT);
        let mut parent = json!({"firstName": first, "lastName": last});
        let user: String = first
            .chars()
            .filter(char::is_ascii_alphabetic)
            .collect::<String>()
            .to_lowercase();
        if self.rng.random_bool(0.8) {
            parent["email"] = json!(format!(
                "{user}.{}@example.org",
                self.rng.random_range(1..999)
            ));
        }
        if self.rng.random_bool(0.7) {
            parent["phone"] = json!(format!(
                "{:03}-{:03}-{:04}",
                self.rng.random_range(200..999),
                self.rng.random_range(100..999),
                self.rng.random_range(0..9999)
            ));
        }
        parent
    }
}

impl Iterator for Samples {
    type Item = Value;

    fn next(&mut self) -> Option<Value> {
        let first = self.pick(FIRST);
        let last = self.pick(LAST);
        // Mostly 2 to 5 on the start date; about one in ten too young or too old.
        let age_days = match self.rng.random_range(0..100) {
            0..=4 => self.rng.random_range(200..730),
            5..=9 => self.rng.random_range(6 * 365 + 2..9 * 365),
            _ => self.rng.random_range(2 * 365 + 1..6 * 365 - 1),
        };
        let born = self.start - Days::new(age_days);
        let mut days: Vec<&str> = WEEKDAYS
            .iter()
            .copied()
            .filter(|_| self.rng.random_bool(0.6))
            .collect();
        if days.is_empty() {
            days.push(self.pick(&WEEKDAYS));
        }
        if self.rng.random_bool(0.02) {
            days.push("Saturday");
        }
        let mut parents = serde_json::Map::new();
        if self.rng.random_bool(0.9) {
            parents.insert("mother".into(), self.parent(last));
        }
        if parents.is_empty() || self.rng.random_bool(0.6) {
            parents.insert("father".into(), self.parent(last));
        }
        let mut info = json!({
            "child": {"firstName": first, "lastName": last, "dateOfBirth": born.to_string()},
            "parents": parents,
            "daysOfWeek": days,
        });
        if self.rng.random_bool(0.3) {
            info["specialInstructions"] = json!(self.pick(&[
                "Peanut allergy.",
                "Naps after lunch.",
                "Picked up by grandmother on Fridays.",
                "Vegetarian meals, please.",
            ]));
        }
        // About one in fifty forgets something or writes the date their own way.
        match self.rng.random_range(0..100) {
            0 => info["child"]["dateOfBirth"] = json!(born.format("%d/%m/%Y").to_string()),
            1 => {
                info.as_object_mut().map(|o| o.remove("daysOfWeek"));
            }
            _ => {}
        }
        Some(json!({ super::document::INFO: info }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_children_and_they_vary() {
        let today = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        let a: Vec<Value> = Samples::new(7, today).take(200).collect();
        let b: Vec<Value> = Samples::new(7, today).take(200).collect();
        assert_eq!(a, b);
        let checked: Vec<bool> = a
            .iter()
            .map(|d| crate::registration::check_information(d.clone(), today).is_ok())
            .collect();
        assert!(checked.iter().filter(|ok| **ok).count() > 180);
        assert!(checked.iter().any(|ok| !ok));
    }
}
