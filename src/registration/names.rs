//! Execution names: `<last>-<first>-<8 hex digits>`, within AWS's rules (at most 80
//! characters; no whitespace, brackets, wildcards, punctuation AWS reserves, or controls),
//! which `workflow::naming` keeps.

use crate::workflow::naming::{MAX_NAME_CHARS, slug};

/// A fresh execution name for this child.
pub fn execution_name(first_name: &str, last_name: &str) -> String {
    let id = uuid::Uuid::new_v4().simple().to_string();
    let base = slug(&format!("{last_name}-{first_name}"));
    let base: String = base.chars().take(MAX_NAME_CHARS - 9).collect();
    let base = base.trim_matches('-');
    if base.is_empty() {
        format!("registration-{}", &id[..8])
    } else {
        format!("{base}-{}", &id[..8])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_readable_unique_and_within_aws_rules() {
        let a = execution_name("Léa Marie", "Nguyễn <3>");
        assert!(a.starts_with("nguyễn-3-léa-marie-"), "{a}");
        assert_ne!(a, execution_name("Léa Marie", "Nguyễn <3>"));
        let long = execution_name(&"x".repeat(200), "y");
        assert!(long.chars().count() <= 80);
        let blank = execution_name(" ", "\u{1b}");
        assert!(blank.starts_with("registration-"), "{blank}");
        for name in [a, long, blank] {
            assert_eq!(crate::workflow::naming::check_name(&name), Ok(()), "{name}");
        }
    }
}
