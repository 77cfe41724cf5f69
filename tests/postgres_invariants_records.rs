//! `invariants_records`, the same tests on PostgreSQL: `cli_support` opens each database on the
//! test server in a suite named `postgres_…`.

#[path = "invariants_records.rs"]
mod suite;
