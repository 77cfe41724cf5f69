//! The daycare's small rules: age on a date, fees by age, and the
//! sentences staff read when a registration is refused. Pure functions, no store.

use chrono::{Datelike, NaiveDate, Weekday};

use crate::weekday::name as weekday_name;

/// Youngest and oldest age (in whole years on the start date) the daycare takes.
pub const AGES: std::ops::RangeInclusive<u32> = 2..=5;

/// Fees per month by age on the start date.
pub fn fees_for(age: u32) -> Option<u32> {
    match age {
        2 => Some(800),
        3 => Some(750),
        4 => Some(700),
        5 => Some(650),
        _ => None,
    }
}

/// Age in whole years on `on` (a birthday counts on the day itself; 29 February birthdays
/// count on 1 March in other years).
pub fn age_on(date_of_birth: NaiveDate, on: NaiveDate) -> u32 {
    let mut years = on.year() - date_of_birth.year();
    if (on.month(), on.day()) < (date_of_birth.month(), date_of_birth.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

/// The refusal for a child outside the age range.
pub fn age_refusal(child: &str, age: u32, start_date: NaiveDate) -> String {
    format!(
        "{child} would be {age} on {start_date}, the start date; the daycare takes children aged {} to {}.",
        AGES.start(),
        AGES.end()
    )
}

/// The refusal for days with no free spot; `closed` tells which of them are closed.
pub fn spots_refusal(child: &str, days: &[(Weekday, bool)]) -> String {
    let listed: Vec<String> = days
        .iter()
        .map(|(d, closed)| {
            format!(
                "{} ({})",
                weekday_name(*d),
                if *closed { "closed" } else { "full" }
            )
        })
        .collect();
    format!("No spot for {child} on {}.", join_and(&listed))
}

/// "a", "a and b", "a, b and c".
pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn fees_follow_the_age() {
        assert_eq!(
            [1, 2, 3, 4, 5, 6].map(fees_for),
            [None, Some(800), Some(750), Some(700), Some(650), None]
        );
    }

    #[test]
    fn age_counts_whole_years_and_birthdays_on_the_day() {
        assert_eq!(age_on(d("2016-07-01"), d("2026-09-15")), 10);
        assert_eq!(age_on(d("2023-09-15"), d("2026-09-15")), 3);
        assert_eq!(age_on(d("2023-09-16"), d("2026-09-15")), 2);
        assert_eq!(age_on(d("2020-02-29"), d("2025-02-28")), 4);
        assert_eq!(age_on(d("2020-02-29"), d("2025-03-01")), 5);
    }

    #[test]
    fn refusals_name_the_days_and_why() {
        let text = spots_refusal("Ada Li", &[(Weekday::Mon, false), (Weekday::Sat, true)]);
        assert_eq!(
            text,
            "No spot for Ada Li on Monday (full) and Saturday (closed)."
        );
        let text = age_refusal("Mohamed Diallo", 10, d("2026-09-15"));
        assert!(text.contains("10") && text.contains("2026-09-15") && text.contains("2 to 5"));
    }
}
