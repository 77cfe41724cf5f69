//! Days of the week, in one vocabulary: the week in order, the names staff read and
//! type ("Monday", "Mon"), the one parser, and sets of days as bit masks (how the store
//! keeps them). Depends on nothing in the crate.

use chrono::Weekday;

/// Monday to Sunday.
pub const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// The full English name: "Monday".
pub fn name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// The three-letter name: "Mon".
pub fn short(day: Weekday) -> &'static str {
    &name(day)[..3]
}

/// A weekday from its full or three-letter English name, any case, spaces around ignored.
pub fn parse(text: &str) -> Option<Weekday> {
    let text = text.trim();
    WEEK.into_iter().find(|d| {
        let full = name(*d);
        text.eq_ignore_ascii_case(full) || text.eq_ignore_ascii_case(&full[..3])
    })
}

/// Full names, comma-separated: "Monday, Wednesday".
pub fn listed(days: &[Weekday]) -> String {
    days.iter().map(|d| name(*d)).collect::<Vec<_>>().join(", ")
}

/// A set of days as a bit mask: bit 0 is Monday.
pub fn mask(days: &[Weekday]) -> u8 {
    days.iter()
        .fold(0, |m, d| m | (1 << d.num_days_from_monday()))
}

/// The days of a mask, Monday first.
pub fn unmask(mask: u8) -> Vec<Weekday> {
    WEEK.into_iter()
        .filter(|d| mask & (1 << d.num_days_from_monday()) != 0)
        .collect()
}

/// Serde helpers: a weekday as its full name, and lists of them.
pub mod serde_name {
    use chrono::Weekday;
    use serde::Serializer;
    use serde::ser::SerializeSeq;

    pub fn serialize<S: Serializer>(day: &Weekday, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(super::name(*day))
    }

    pub fn serialize_list<S: Serializer>(days: &[Weekday], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(days.len()))?;
        for day in days {
            seq.serialize_element(super::name(*day))?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_and_short_names_parse_in_any_case() {
        assert_eq!(parse("monday"), Some(Weekday::Mon));
        assert_eq!(parse(" TUE "), Some(Weekday::Tue));
        assert_eq!(parse("Sat"), Some(Weekday::Sat));
        assert_eq!(parse("Mo"), None);
        assert_eq!(parse("Funday"), None);
        assert_eq!(parse("Mondays"), None);
        assert!(WEEK.iter().all(|d| parse(name(*d)) == Some(*d)));
        assert!(WEEK.iter().all(|d| parse(short(*d)) == Some(*d)));
    }

    #[test]
    fn masks_round_trip_in_week_order() {
        let days = [Weekday::Fri, Weekday::Mon, Weekday::Fri];
        assert_eq!(mask(&days), 0b1_0001);
        assert_eq!(unmask(mask(&days)), vec![Weekday::Mon, Weekday::Fri]);
        assert_eq!(unmask(0x7f), WEEK.to_vec());
    }
}
