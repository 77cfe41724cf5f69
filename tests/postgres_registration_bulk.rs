//! `registration_bulk`, the same tests on PostgreSQL: `cli_support` opens each database on the
//! test server in a suite named `postgres_…`.

#[path = "registration_bulk.rs"]
mod suite;
