//! Where a database is, as given to `--db`: a file path, or the address of a database
//! server (`postgres://user:password@host/db`). A server address is only ever shown with
//! its passwords hidden, because a message, a log or a terminal's scrollback must never
//! carry one.

use std::path::{Path, PathBuf};

/// What `--db` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    /// An SQLite file.
    File(PathBuf),
    /// A database server's address (`scheme://…`), never a file.
    Server(ServerAddress),
}

/// A server address: as given (to connect with) and as it may be shown, with any
/// password replaced by `***`. Its `Debug` shows only the latter.
#[derive(Clone, PartialEq, Eq)]
pub struct ServerAddress {
    given: String,
    shown: String,
    /// The passwords `shown` hides, longest first, none empty.
    secrets: Vec<String>,
}

impl std::fmt::Debug for ServerAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("ServerAddress").field(&self.shown).finish()
    }
}

impl ServerAddress {
    /// The address as given, password and all: for connecting, never for showing.
    pub(crate) fn given(&self) -> &str {
        &self.given
    }

    /// `text` with the address as given, and any password in it, replaced by what may be
    /// shown: for a message from elsewhere (a driver's error) that might quote either.
    pub fn scrub(&self, text: &str) -> String {
        let mut text = text.replace(&self.given, &self.shown);
        for secret in &self.secrets {
            text = text.replace(secret.as_str(), "***");
        }
        text
    }

    /// The address with its passwords hidden (in the user part and in any query
    /// parameter whose name ends in `password`).
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Whether it names a PostgreSQL server (`postgres://` or `postgresql://`).
    pub fn is_postgres(&self) -> bool {
        matches!(
            self.scheme().to_ascii_lowercase().as_str(),
            "postgres" | "postgresql"
        )
    }

    /// The scheme as given (`postgres`, `postgresql`, `mysql`…).
    pub fn scheme(&self) -> &str {
        self.shown.split("://").next().unwrap_or_default()
    }
}

impl Address {
    /// How the address may be shown: a file's path, or a server's address with its
    /// passwords hidden.
    pub fn shown(&self) -> String {
        match self {
            Address::File(path) => path.display().to_string(),
            Address::Server(server) => server.shown().to_string(),
        }
    }

    /// Reads what `--db` was given. Anything that does not start with `scheme://` is a
    /// file path, exactly as given.
    pub fn parse(given: &Path) -> Address {
        match given.to_str().and_then(server_scheme_end) {
            Some(end) => {
                let given = given.to_str().unwrap_or_default();
                let (shown, mut secrets) = hide_passwords(given, end);
                // A driver quotes a password as it decoded it, so both forms are hidden.
                let decoded: Vec<String> = secrets.iter().map(|s| percent_decoded(s)).collect();
                secrets.extend(decoded);
                secrets.retain(|s| !s.is_empty());
                secrets.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
                secrets.dedup();
                Address::Server(ServerAddress {
                    given: given.to_string(),
                    shown,
                    secrets,
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
fn hide_passwords(given: &str, after_scheme: usize) -> (String, Vec<String>) {
    let (head, rest) = given.split_at(after_scheme);
    let mut shown = String::with_capacity(given.len());
    let mut secrets = Vec::new();
    shown.push_str(head);
    match rest.rfind('@').map(|at| rest.split_at(at)) {
        Some((user_part, place)) => {
            match user_part.split_once(':') {
                Some((user, password)) => {
                    shown.push_str(user);
                    shown.push_str(":***");
                    secrets.push(password.to_string());
                }
                None => shown.push_str(user_part),
            }
            shown.push_str(place);
        }
        None => shown.push_str(rest),
    }
    // The query is read from what is shown, after the user part was hidden.
    if let Some(mark) = shown[after_scheme..].find('?') {
        let start = after_scheme + mark + 1;
        let query = hide_query_passwords(&shown[start..], &mut secrets);
        shown.truncate(start);
        shown.push_str(&query);
    }
    (shown, secrets)
}

/// `pa%40ss` as `pa@ss`; an escape that is not one stays as it is.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `sslmode=require&password=secret` becomes `sslmode=require&password=***`; so does
/// any parameter whose name ends in `password` (libpq's `sslpassword`, say).
fn hide_query_passwords(query: &str, secrets: &mut Vec<String>) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, value)) if key.to_ascii_lowercase().ends_with("password") => {
                secrets.push(value.to_string());
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
    fn a_message_quoting_the_address_or_its_password_is_scrubbed() {
        let given = "postgres://amira:s3cret@db.local/daycare?sslpassword=k3y";
        let Address::Server(server) = Address::parse(Path::new(given)) else {
            panic!("not a server address");
        };
        let scrubbed = server.scrub(&format!("cannot use {given}: bad key k3y for s3cret"));
        assert_eq!(
            scrubbed,
            "cannot use postgres://amira:***@db.local/daycare?sslpassword=***: bad key *** for ***"
        );
        let Address::Server(encoded) =
            Address::parse(Path::new("postgres://amira:p%40ss@db.local/daycare"))
        else {
            panic!("not a server address");
        };
        assert_eq!(
            encoded.scrub("password p@ss refused"),
            "password *** refused"
        );
        let debug = format!("{server:?}");
        assert!(
            !debug.contains("s3cret") && !debug.contains("k3y"),
            "{debug}"
        );
    }

    #[test]
    fn the_scheme_is_named() {
        let Address::Server(server) = Address::parse(Path::new("postgresql://h/db")) else {
            panic!("not a server address");
        };
        assert_eq!(server.scheme(), "postgresql");
    }
}
