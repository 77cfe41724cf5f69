//! `cli_safety`, the same tests on PostgreSQL: `cli_support` opens each database on the
//! test server in a suite named `postgres_…`.

#[path = "cli_safety.rs"]
mod suite;
