//! The daycare's small rules: age on a date, fees by age, when a child ages out, and
//! the sentences staff read when a registration is refused. Pure functions, no store.

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

/// How many days ahead a coming sixth birthday is marked: staff plan for the spot it frees.
pub const AGES_OUT_WITHIN: u64 = 60;

/// The day a child turns 6 (and so ages out of the daycare), when that is today or within
/// `AGES_OUT_WITHIN` days after it; else `None` (further off, already past, or a date
/// of birth so odd there is no sixth birthday). A 29 February birthday counts on 1 March
/// in other years, as `age_on` counts it.
pub fn ages_out(date_of_birth: NaiveDate, today: NaiveDate) -> Option<NaiveDate> {
    let year = date_of_birth.year().checked_add(6)?;
    let birthday = NaiveDate::from_ymd_opt(year, date_of_birth.month(), date_of_birth.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))?;
    let last = today.checked_add_days(chrono::Days::new(AGES_OUT_WITHIN))?;
    (today..=last).contains(&birthday).then_some(birthday)
}

/// The dates of birth between which every child `ages_out` marks on `today` is born
/// (a day wider on each side, for a 29 February birthday), for a store to narrow the
/// children down before `ages_out` decides.
pub fn ages_out_born_between(today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let six_years = chrono::Months::new(72);
    let day = chrono::Days::new(1);
    let from = today.checked_sub_months(six_years)?.checked_sub_days(day)?;
    let last = today.checked_add_days(chrono::Days::new(AGES_OUT_WITHIN))?;
    let to = last.checked_sub_months(six_years)?.checked_add_days(day)?;
    Some((from, to))
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
    fn every_child_who_ages_out_is_born_in_the_window() {
        for today in [
            "2026-09-01",
            "2026-03-01",
            "2026-02-28",
            "2028-02-29",
            "2026-12-31",
        ] {
            let today = d(today);
            let (from, to) = ages_out_born_between(today).unwrap();
            let mut born = d("2019-01-01");
            while born < d("2023-01-01") {
                if ages_out(born, today).is_some() {
                    assert!((from..=to).contains(&born), "{born} on {today}");
                }
                born = born.succ_opt().unwrap();
            }
        }
    }

    #[test]
    fn a_child_ages_out_on_their_sixth_birthday_when_it_is_near() {
        let today = d("2026-09-01");
        assert_eq!(ages_out(d("2020-10-20"), today), Some(d("2026-10-20")));
        assert_eq!(
            ages_out(d("2020-09-01"), today),
            Some(today),
            "today counts"
        );
        assert_eq!(
            ages_out(d("2020-10-31"), today),
            Some(d("2026-10-31")),
            "60 days on counts"
        );
        assert_eq!(
            ages_out(d("2020-11-01"), today),
            None,
            "61 days on is later"
        );
        assert_eq!(ages_out(d("2020-08-31"), today), None, "already 6");
        assert_eq!(ages_out(d("2022-10-20"), today), None, "turns 4, not 6");
        assert_eq!(
            ages_out(d("2020-02-29"), d("2026-02-01")),
            Some(d("2026-03-01")),
            "a leap-day birthday counts on 1 March"
        );
        assert_eq!(
            age_on(d("2020-02-29"), d("2026-03-01")),
            6,
            "as age_on counts it"
        );
        assert_eq!(ages_out(d("2020-10-20"), NaiveDate::MAX), None);
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
