//! How much a registration may hold: field lengths that fit a daycare's forms, and the
//! size of a whole document, well under the workflow's 256 KiB payload limit. Checked at
//! the door (checkInformation, and the desk before the engine sees a document).

use serde_json::Value;

/// A child's or a parent's first or last name, in characters.
pub const NAME: usize = 100;
/// An email address (RFC 5321's longest path).
pub const EMAIL: usize = 254;
/// A phone number, with its spaces, dashes and brackets.
pub const PHONE: usize = 32;
/// The special instructions.
pub const INSTRUCTIONS: usize = 2_000;
/// Entries in `daysOfWeek` (each weekday twice, full and short, is already plenty).
pub const DAYS: usize = 14;
/// Parents (or guardians) listed under `parents`.
pub const PARENTS: usize = 4;
/// A whole registration document, as JSON text.
pub const DOCUMENT_BYTES: usize = 64 * 1024;

/// At most this many characters of a bad value are quoted back in a message.
pub const QUOTED: usize = 40;
/// At most this many characters of a parent's role (`mother`) are shown in a field name.
pub const ROLE: usize = 24;

/// The length of `value` as compact JSON text, without building the text.
pub fn json_bytes(value: &Value) -> usize {
    let mut counter = Counter(0);
    // Writing to a counter cannot fail; a failure would only under-count.
    let _ = serde_json::to_writer(&mut counter, value);
    counter.0
}

/// Whether a document is over `DOCUMENT_BYTES`; the sentence staff read when it is.
pub fn oversized(document: &Value) -> Option<String> {
    too_big(json_bytes(document))
}

/// `oversized` for a document whose compact JSON text is `bytes` long (when the text is
/// at hand, counting it again would cost as much as writing it).
pub fn too_big(bytes: usize) -> Option<String> {
    (bytes > DOCUMENT_BYTES).then(|| {
        format!(
            "the registration is {} KiB of JSON, over the {} KiB a registration may hold",
            bytes.div_ceil(1024),
            DOCUMENT_BYTES / 1024
        )
    })
}

/// A bad value as a message quotes it: a string in quotes, anything else as JSON, cut to
/// `QUOTED` characters and cleaned of control characters.
pub fn shown(value: &Value) -> String {
    match value {
        Value::String(text) => format!("\"{}\"", crate::text::quote(text, QUOTED)),
        other => crate::text::quote(&other.to_string(), QUOTED),
    }
}

struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_counted_as_compact_json() {
        let doc = serde_json::json!({"a": "é", "b": [1, 2]});
        assert_eq!(json_bytes(&doc), doc.to_string().len());
        assert!(oversized(&doc).is_none());
        let big = serde_json::json!({"x": "y".repeat(DOCUMENT_BYTES)});
        assert_eq!(
            oversized(&big).as_deref(),
            Some("the registration is 65 KiB of JSON, over the 64 KiB a registration may hold")
        );
    }

    #[test]
    fn bad_values_are_quoted_short_and_clean() {
        let long = Value::String(format!("\u{1b}[2J{}", "9".repeat(100_000)));
        let quoted = shown(&long);
        assert!(quoted.chars().count() <= QUOTED + 3, "{quoted}");
        assert!(!quoted.contains('\u{1b}'));
        assert_eq!(shown(&serde_json::json!(20230401)), "20230401");
    }
}
