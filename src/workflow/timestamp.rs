//! ASL timestamps, read one way everywhere (Choice rules, Wait's Timestamp and
//! TimestampPath): RFC 3339 with an uppercase `T` between date and time and, for UTC,
//! an uppercase `Z`, as AWS reads them. `2016-12-05 21:29:29Z` is not one.

use chrono::{DateTime, FixedOffset};

/// `text` as an ASL timestamp, if it is one.
pub(crate) fn parse(text: &str) -> Option<DateTime<FixedOffset>> {
    if text.as_bytes().get(10) != Some(&b'T') || text.ends_with('z') {
        return None;
    }
    DateTime::parse_from_rfc3339(text).ok()
}
