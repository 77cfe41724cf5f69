//! `daycare copy --from SOURCE --to TARGET`: a whole daycare database into a new, empty
//! one, between SQLite files and PostgreSQL databases (see `store::copy`). Prints each
//! table's rows and checksum as read back from both; progress goes to stderr, once a
//! second at most.

use std::path::Path;
use std::time::Instant;

use serde_json::json;

use super::table::Table;
use super::{CliError, Context, Outcome, emit_line, print_json};
use crate::store::{Address, CopyStep, Create, End, Postgres, Store};

pub fn run(ctx: &Context, from: &Path, to: &Path) -> Result<Outcome, CliError> {
    let source = open(from, Create::No)?;
    let target = open(to, Create::File)?;
    let mut last = Instant::now();
    let mut show = |step: CopyStep| {
        if last.elapsed().as_secs() < 1 {
            return;
        }
        last = Instant::now();
        match step {
            CopyStep::Copying { table, rows } => eprintln!("copy: {table}: {rows} rows copied"),
            CopyStep::Comparing { table } => eprintln!("copy: comparing {table}"),
        }
    };
    let tables = crate::store::copy(&source, &target, &mut show)?;
    let (from, to) = (source.shown(), target.shown());
    if ctx.json {
        print_json(&json!({ "from": from, "to": to, "tables": tables }))?;
        return Ok(Outcome::Success);
    }
    emit_line(format!(
        "Copied {from} into {to}; every table was read back from both and compared:"
    ));
    let mut table = Table::new(
        super::lists::stdout(),
        &["TABLE", "ROWS", "SHA-256 (first 8 bytes)"],
    );
    for t in tables {
        table.row(vec![t.table.to_string(), t.rows.to_string(), t.checksum]);
    }
    table.finish();
    Ok(Outcome::Success)
}

/// An SQLite file or a PostgreSQL database; any other server is refused.
fn open(given: &Path, create: Create) -> Result<End, CliError> {
    match Address::parse(given) {
        Address::File(path) => Ok(End::Sqlite(Box::new(Store::open_with(&path, create)?))),
        Address::Server(server) if server.is_postgres() => {
            Ok(End::Postgres(Postgres::open(&server, create)?))
        }
        Address::Server(server) => Err(CliError::Usage(format!(
            "{} is not a PostgreSQL address; daycare copies between SQLite files and \
             PostgreSQL databases (postgres://USER@HOST/DB)",
            crate::text::clean(server.shown())
        ))),
    }
}
