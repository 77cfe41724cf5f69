//! Who is at the desk: the name the audit records beside every change. Asked for
//! (`--staff NAME`), else `DAYCARE_STAFF`, else the login name.

use super::limits;
use crate::text::{normalize_name, quote};

/// The staff name: `asked`, else `DAYCARE_STAFF`, else the login name (`USER`,
/// `LOGNAME`, `USERNAME`, else the account's name from the system), else "unknown";
/// normalised as names are and cut short.
pub fn staff_name(asked: Option<&str>) -> String {
    let from_env = |key: &str| std::env::var(key).ok();
    asked
        .map(str::to_string)
        .into_iter()
        .chain(
            ["DAYCARE_STAFF", "USER", "LOGNAME", "USERNAME"]
                .map(from_env)
                .into_iter()
                .flatten(),
        )
        .chain(whoami::username().ok())
        .map(|name| quote(&normalize_name(&name), limits::NAME))
        .find(|name| !name.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_asked_name_wins_and_is_normalised() {
        assert_eq!(
            staff_name(Some("  Amira\u{7}  ")),
            quote(&normalize_name("Amira\u{7}"), limits::NAME)
        );
        assert_eq!(staff_name(Some("Amira")), "Amira");
        assert!(!staff_name(Some("   ")).is_empty());
    }
}
