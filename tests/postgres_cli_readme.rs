//! `cli_readme`, the README's session on PostgreSQL: `cli_support` opens each database on
//! the test server in a suite named `postgres_…`.

#[path = "cli_readme.rs"]
mod suite;
