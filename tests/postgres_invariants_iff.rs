//! `invariants_iff`, the same tests on PostgreSQL: `cli_support` opens each database on the
//! test server in a suite named `postgres_…`.

#[path = "invariants_iff.rs"]
mod suite;
