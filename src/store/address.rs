//! Where a database is, as given to `--db`: a file path, or the address of a database
//! server (`postgres://user:password@host/db`). The store keeps its data in SQLite files
//! only, so a server address is refused; it is shown back with its password hidden,
//! because a message, a log or a terminal's scrollback must never carry one.

use std::path::{Path, PathBuf};

/// What `--db` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    /// An SQLite file.
    File(PathBuf),
    /// A database server's address (`scheme://…`), never a file.
    Server(ServerAddress),
}

/// A server address as it may be shown: with any password replaced by `***`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerAddress {
    shown: String,
}

impl ServerAddress {
    /// The address with its password hidden (in the user part and in any query
    /// parameter whose name ends in `password`).
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// The scheme as given (`postgres`, `postgresql`, `mysql`…).
    pub fn scheme(&self) -> &str {
        self.shown.split("://").next().unwrap_or_default()
    }
}

impl Address {
    /// Reads what `--db` was given. Anything that does not start with `scheme://` is a
    /// file path, exactly as given.
    pub fn parse(given: &Path) -> Address {
        match given.to_str().and_then(server_scheme_end) {
            Some(end) => {
                let given = given.to_str().unwrap_or_default();
                Address::Server(ServerAddress {
                    shown: hide_passwords(given, end),
                })
            }
            None => Address::File(given.to_path_buf()),
        }
    }
}

/// Where the text after `scheme://` starts, if `text` starts with a URI scheme
/// (RFC 3986: a letter, then letters, digits, `+`, `-` or `.`) and `://`.
fn server_scheme_end(text: &str) -> Option<usize> {
    let colon = text.find("://")?;
    let scheme = &text[..colon];
    let mut chars = scheme.chars();
    let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_allowed = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (starts_with_letter && rest_allowed).then_some(colon + 3)
}

/// `scheme://user:secret@host/db?password=secret` becomes
/// `scheme://user:***@host/db?password=***`. The user part ends at the last `@`, so a
/// password holding an unescaped `@`, `/` or `?` is still hidden whole; when in doubt
/// more is hidden, never less.
fn hide_passwords(given: &str, after_scheme: usize) -> String {
    let (head, rest) = given.split_at(after_scheme);
    let mut shown = String::with_capacity(given.len());
    shown.push_str(head);
    match rest.rfind('@').map(|at| rest.split_at(at)) {
        Some((user_part, place)) => {
            match user_part.split_once(':') {
                Some((user, _password)) => {
                    shown.push_str(user);
                    shown.push_str(":***");
                }
                None => shown.push_str(user_part),
            }
            shown.push_str(place);
        }
        None => shown.push_str(rest),
    }
    // The query is read from what is shown, after the user part was hidden.
    match shown[after_scheme..].find('?') {
        Some(mark) => {
            let query = hide_query_passwords(&shown[after_scheme + mark + 1..]);
            shown.truncate(after_scheme + mark + 1);
            shown.push_str(&query);
            shown
        }
        None => shown,
    }
}

/// `sslmode=require&password=secret` becomes `sslmode=require&password=***`; so does
/// any parameter whose name ends in `password` (libpq's `sslpassword`, say).
fn hide_query_passwords(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, _)) if key.to_ascii_lowercase().ends_with("password") => {
                format!("{key}=***")
            }
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(given: &str) -> String {
        match Address::parse(Path::new(given)) {
            Address::Server(server) => server.shown().to_string(),
            Address::File(path) => panic!("{given} read as the file {}", path.display()),
        }
    }

    #[test]
    fn paths_stay_paths() {
        for path in [
            "daycare.db",
            "./data/daycare.db",
            "/var/lib/daycare/daycare.db",
            "file:daycare.db",
            "postgres:daycare.db",
            "C:\\daycare\\daycare.db",
            "1http://not-a-scheme",
            "data/postgres://x",
        ] {
            assert_eq!(
                Address::parse(Path::new(path)),
                Address::File(PathBuf::from(path)),
                "{path}"
            );
        }
    }

    #[test]
    fn a_password_in_the_user_part_is_hidden() {
        assert_eq!(
            shown("postgres://amira:s3cret@db.local/daycare"),
            "postgres://amira:***@db.local/daycare"
        );
        assert_eq!(
            shown("postgresql://amira:s3cret@[::1]:5433/daycare?sslmode=require"),
            "postgresql://amira:***@[::1]:5433/daycare?sslmode=require"
        );
        assert_eq!(
            shown("POSTGRES://amira:@db.local/daycare"),
            "POSTGRES://amira:***@db.local/daycare"
        );
    }

    #[test]
    fn a_password_holding_separators_is_hidden_whole() {
        for given in [
            "postgres://amira:p@ss@db.local/daycare",
            "postgres://amira:pa/ss@db.local/daycare",
            "postgres://amira:pa?ss@db.local/daycare",
            "postgres://amira:pa%40ss@db.local/daycare",
        ] {
            let shown = shown(given);
            assert_eq!(shown, "postgres://amira:***@db.local/daycare", "{given}");
        }
    }

    #[test]
    fn a_password_in_the_query_is_hidden() {
        assert_eq!(
            shown("postgres://db.local/daycare?user=amira&password=s3cret&sslmode=verify-full"),
            "postgres://db.local/daycare?user=amira&password=***&sslmode=verify-full"
        );
        assert_eq!(
            shown("postgres://amira:s3cret@db.local/daycare?sslpassword=k3y&PASSWORD=s3cret"),
            "postgres://amira:***@db.local/daycare?sslpassword=***&PASSWORD=***"
        );
    }

    #[test]
    fn an_at_sign_in_the_query_does_not_uncover_its_password() {
        assert_eq!(
            shown("postgres://db.local/daycare?password=s3cret@x"),
            "postgres://db.local/daycare?password=***"
        );
    }

    #[test]
    fn an_address_without_a_password_is_shown_as_given() {
        for given in [
            "postgres://amira@db.local/daycare",
            "postgres://db.local/daycare",
            "postgres:///daycare?host=/run/postgresql",
            "mysql://db.local/daycare",
        ] {
            assert_eq!(shown(given), given);
        }
    }

    #[test]
    fn the_scheme_is_named() {
        let Address::Server(server) = Address::parse(Path::new("postgresql://h/db")) else {
            panic!("not a server address");
        };
        assert_eq!(server.scheme(), "postgresql");
    }
}
