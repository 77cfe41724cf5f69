//! `cli_messages`, the same tests on PostgreSQL: `cli_support` opens each database on the
//! test server in a suite named `postgres_…`.

#[path = "cli_messages.rs"]
mod suite;
