//! Moving a site: every row of one daycare database copied into another, empty one, on
//! either engine (an SQLite file, a PostgreSQL database), in one transaction on the
//! target, then read back from both and compared table by table (rows and a SHA-256 of
//! them in key order). The source is read in one snapshot and never written.
//!
//! What triggers keep (enrolled counts, execution counts, child names) is copied as the
//! source holds it, like every other row. On PostgreSQL those triggers are switched off
//! while the rows go in, inside the same transaction: each would update one counter row
//! per copied row, and PostgreSQL slows down with every new version of a row that one
//! transaction writes (a hundred thousand executions took 51 s with them on).

use sha2::{Digest, Sha256};

use super::pg::Postgres;
use super::{Result, Store, StoreError};

/// One table, its key (rows are read and compared in its order) and the columns both
/// engines' schemas give it.
struct Table {
    name: &'static str,
    key: &'static str,
    columns: &'static [&'static str],
}

/// In the order they are written: every row a later one links to comes first.
const TABLES: &[Table] = &[
    Table {
        name: "definitions",
        key: "hash",
        columns: &["hash", "source"],
    },
    Table {
        name: "executions",
        key: "id",
        columns: &[
            "id",
            "name",
            "execution_arn",
            "state_machine_arn",
            "status",
            "start_us",
            "stop_us",
            "input",
            "output",
            "error",
            "cause",
            "definition_hash",
            "child",
            "child_folded",
            "fees",
            "owner",
        ],
    },
    Table {
        name: "history",
        key: "execution_id",
        columns: &["execution_id", "events"],
    },
    Table {
        name: "execution_counts",
        key: "status",
        columns: &["status", "n"],
    },
    Table {
        name: "child_names",
        key: "folded",
        columns: &["folded"],
    },
    Table {
        name: "registrations",
        key: "id",
        columns: &[
            "id",
            "first_name",
            "last_name",
            "first_folded",
            "last_folded",
            "date_of_birth",
            "days",
            "age",
            "fees",
            "start_date",
            "status",
            "execution_name",
            "document",
            "leaves_on",
            "withdraw_reason",
        ],
    },
    Table {
        name: "changes",
        key: "execution_name",
        columns: &[
            "execution_name",
            "registration_id",
            "kind",
            "status",
            "added",
            "days",
            "document",
            "leaves_on",
            "reason",
            "today",
            "staff",
            "summary",
            "before",
            "after",
        ],
    },
    Table {
        name: "waitlist",
        key: "id",
        columns: &[
            "id",
            "added_us",
            "added_on",
            "first_name",
            "last_name",
            "child_folded",
            "date_of_birth",
            "days",
            "document",
            "refused_execution",
            "sibling_of",
            "notes",
            "staff",
            "status",
            "offer_execution",
            "offer_staff",
            "last_offer",
            "last_refusal",
            "closed_reason",
            "registration_id",
        ],
    },
    Table {
        name: "audit",
        key: "id",
        columns: &[
            "id",
            "at_us",
            "staff",
            "kind",
            "registration_id",
            "waitlist_id",
            "child",
            "child_folded",
            "summary",
            "before",
            "after",
            "execution_name",
        ],
    },
];

/// Copied by updating the target's seven rows.
const CAPACITY: Table = Table {
    name: "capacity",
    key: "day",
    columns: &["day", "spots", "enrolled"],
};

/// The triggers that keep counters from inserted rows, switched off on a PostgreSQL
/// target while the counters are copied.
const COUNTING_TRIGGERS: &[(&str, &str)] = &[
    ("executions", "executions_count_insert"),
    ("executions", "executions_child_name"),
    ("registrations", "registrations_enrol"),
    ("changes", "changes_hold"),
];

/// Tables whose identities the target must continue after the copied ids.
const IDENTITIES: &[&str] = &["executions", "registrations", "waitlist", "audit"];

/// Rows read or written at a time.
const PAGE: usize = 2_000;

/// One end of a copy.
pub enum End {
    Sqlite(Box<Store>),
    Postgres(Postgres),
}

/// One value of a row, as both engines hold it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Text(String),
    Blob(Vec<u8>),
}

/// How far a copy has gone, for showing progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyStep {
    /// `rows` of `table` written so far.
    Copying { table: &'static str, rows: u64 },
    /// Reading `table` back from both ends.
    Comparing { table: &'static str },
}

/// A table as copied: its rows, and the SHA-256 of them in key order, read back from
/// the target and equal to the source's.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CopiedTable {
    pub table: &'static str,
    pub rows: u64,
    pub checksum: String,
}

impl End {
    /// What the end is called in messages (a path, or an address without its password).
    pub fn shown(&self) -> String {
        match self {
            End::Sqlite(store) => store
                .path
                .as_ref()
                .map_or_else(|| "memory".into(), |p| p.display().to_string()),
            End::Postgres(pg) => pg.shown().to_string(),
        }
    }

    fn batch_sql(&self, sql: &str) -> Result<()> {
        match self {
            End::Sqlite(store) => Ok(store.db.sqlite()?.execute_batch(sql)?),
            End::Postgres(pg) => {
                let sql = sql.to_string();
                pg.call(move |client| Ok(client.batch_execute(&sql)?))
            }
        }
    }

    fn count(&self, sql: &'static str) -> Result<i64> {
        match self {
            End::Sqlite(store) => Ok(store.db.sqlite()?.query_row(sql, [], |r| r.get(0))?),
            End::Postgres(pg) => pg.call(move |client| Ok(client.query_one(sql, &[])?.get(0))),
        }
    }

    /// Up to `PAGE` rows after `after` (the key of the last row read), in key order.
    fn page(&self, table: &Table, after: Option<&Cell>) -> Result<Vec<Vec<Cell>>> {
        let columns = table.columns.join(", ");
        let (name, key) = (table.name, table.key);
        match self {
            End::Sqlite(store) => {
                let sql = match after {
                    Some(_) => format!(
                        "SELECT {columns} FROM {name} WHERE {key} > ?1 ORDER BY {key} LIMIT {PAGE}"
                    ),
                    None => format!("SELECT {columns} FROM {name} ORDER BY {key} LIMIT {PAGE}"),
                };
                let mut stmt = store.db.sqlite()?.prepare_cached(&sql)?;
                let width = table.columns.len();
                let read = |row: &rusqlite::Row<'_>| -> rusqlite::Result<Vec<Cell>> {
                    (0..width).map(|i| row.get::<_, Cell>(i)).collect()
                };
                let rows = match after {
                    Some(after) => stmt.query_map([after], read)?,
                    None => stmt.query_map([], read)?,
                };
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            }
            End::Postgres(pg) => {
                let sql = match after {
                    Some(_) => format!(
                        "SELECT {columns} FROM {name} WHERE {key} > $1 ORDER BY {key} LIMIT {PAGE}"
                    ),
                    None => format!("SELECT {columns} FROM {name} ORDER BY {key} LIMIT {PAGE}"),
                };
                let after = after.cloned();
                let width = table.columns.len();
                pg.call(move |client| {
                    let rows = match &after {
                        Some(after) => client.query(&sql, &[after])?,
                        None => client.query(&sql, &[])?,
                    };
                    let mut out = Vec::with_capacity(rows.len());
                    for row in rows {
                        let cells = (0..width)
                            .map(|i| row.try_get::<_, Cell>(i))
                            .collect::<Result<Vec<_>, _>>()?;
                        out.push(cells);
                    }
                    Ok(out)
                })
            }
        }
    }

    /// Inserts `rows` into `table`, in the transaction the target holds open.
    fn insert(&self, table: &Table, rows: Vec<Vec<Cell>>) -> Result<()> {
        let columns = table.columns.join(", ");
        let name = table.name;
        match self {
            End::Sqlite(store) => {
                let marks: Vec<String> =
                    (1..=table.columns.len()).map(|i| format!("?{i}")).collect();
                let sql = format!(
                    "INSERT INTO {name} ({columns}) VALUES ({})",
                    marks.join(", ")
                );
                let mut stmt = store.db.sqlite()?.prepare_cached(&sql)?;
                for row in rows {
                    stmt.execute(rusqlite::params_from_iter(row.iter()))?;
                }
                Ok(())
            }
            // COPY, not an INSERT per row: one round trip per page instead of one per row
            // (a hundred thousand executions took 94 s row by row). Row triggers and the
            // links checked at commit apply to copied rows as to inserted ones.
            End::Postgres(pg) => pg.call(move |client| {
                let types: Vec<postgres::types::Type> = client
                    .prepare(&format!("SELECT {columns} FROM {name} LIMIT 0"))?
                    .columns()
                    .iter()
                    .map(|c| c.type_().clone())
                    .collect();
                let sink = client.copy_in(&format!("COPY {name} ({columns}) FROM STDIN BINARY"))?;
                let mut writer = postgres::binary_copy::BinaryCopyInWriter::new(sink, &types);
                for row in &rows {
                    let args: Vec<&(dyn postgres::types::ToSql + Sync)> = row
                        .iter()
                        .map(|c| c as &(dyn postgres::types::ToSql + Sync))
                        .collect();
                    writer.write(&args)?;
                }
                writer.finish()?;
                Ok(())
            }),
        }
    }

    /// Every row of `table` in key order: how many, and their SHA-256.
    fn digest(&self, table: &Table) -> Result<(u64, String)> {
        let mut hash = Sha256::new();
        let mut rows = 0u64;
        let key_at = key_index(table);
        let mut after: Option<Cell> = None;
        loop {
            let page = self.page(table, after.as_ref())?;
            let Some(last) = page.last() else { break };
            after = Some(last[key_at].clone());
            for row in &page {
                feed(&mut hash, row);
            }
            rows += page.len() as u64;
            if page.len() < PAGE {
                break;
            }
        }
        Ok((rows, hex(&hash.finalize()[..8])))
    }
}

fn key_index(table: &Table) -> usize {
    table
        .columns
        .iter()
        .position(|c| *c == table.key)
        .unwrap_or(0)
}

/// A row into the digest: each value tagged with its kind and length, so no two rows
/// feed the same bytes.
fn feed(hash: &mut Sha256, row: &[Cell]) {
    for cell in row {
        match cell {
            Cell::Null => hash.update([0u8]),
            Cell::Int(n) => {
                hash.update([1u8]);
                hash.update(n.to_be_bytes());
            }
            Cell::Text(t) => {
                hash.update([2u8]);
                hash.update((t.len() as u64).to_be_bytes());
                hash.update(t.as_bytes());
            }
            Cell::Blob(b) => {
                hash.update([3u8]);
                hash.update((b.len() as u64).to_be_bytes());
                hash.update(b);
            }
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Copies every row of `from` into `to`, which must hold no daycare data yet, in one
/// transaction on `to`; then compares both, table by table. Refuses a source with
/// executions still running (their desks would finish them in the source only).
pub fn copy(from: &End, to: &End, progress: &mut dyn FnMut(CopyStep)) -> Result<Vec<CopiedTable>> {
    let running = from.count("SELECT COUNT(*) FROM executions WHERE status = 'RUNNING'")?;
    if running > 0 {
        return Err(StoreError::Other(format!(
            "{} has {running} execution{} still running; let {} finish, or open it once so \
             that runs a stopped desk left are closed, then copy again",
            from.shown(),
            if running == 1 { "" } else { "s" },
            if running == 1 { "it" } else { "them" },
        )));
    }
    for table in TABLES {
        let sql = format!("SELECT COUNT(*) FROM {}", table.name);
        let rows = match to {
            End::Sqlite(store) => store
                .db
                .sqlite()?
                .query_row(&sql, [], |r| r.get::<_, i64>(0))?,
            End::Postgres(pg) => pg.call(move |client| Ok(client.query_one(&sql, &[])?.get(0)))?,
        };
        if rows > 0 {
            return Err(StoreError::Other(format!(
                "{} already holds daycare data ({rows} {} in {}); copy only into a new, \
                 empty database; nothing was copied",
                to.shown(),
                if rows == 1 { "row" } else { "rows" },
                table.name
            )));
        }
    }
    let (read, write) = match (from, to) {
        (_, End::Postgres(_)) => ("BEGIN", "BEGIN"),
        _ => ("BEGIN", "BEGIN IMMEDIATE"),
    };
    let read = match from {
        End::Postgres(_) => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        End::Sqlite(_) => read,
    };
    from.batch_sql(read)?;
    // Compared before the target commits, in both transactions: a copy that differs is
    // never kept.
    let copied = to
        .batch_sql(write)
        .and_then(|()| counting(to, "DISABLE"))
        .and_then(|()| copy_rows(from, to, progress))
        .and_then(|()| counting(to, "ENABLE"))
        .and_then(|()| compare(from, to, progress))
        .and_then(|tables| to.batch_sql("COMMIT").map(|()| tables));
    let _ = from.batch_sql("COMMIT");
    copied.map_err(|e| {
        let _ = to.batch_sql("ROLLBACK");
        StoreError::Other(format!("nothing was copied into {}: {e}", to.shown()))
    })
}

/// Switches the counting triggers of a PostgreSQL target off or on again
/// (`ALTER TABLE … DISABLE TRIGGER`, undone by the transaction if it fails).
fn counting(to: &End, switch: &str) -> Result<()> {
    if let End::Postgres(_) = to {
        // Links checked at commit are checked now: a table with checks still pending
        // cannot be altered.
        let mut sql = vec!["SET CONSTRAINTS ALL IMMEDIATE;".to_string()];
        sql.extend(
            COUNTING_TRIGGERS
                .iter()
                .map(|(table, trigger)| format!("ALTER TABLE {table} {switch} TRIGGER {trigger};")),
        );
        to.batch_sql(&sql.concat())?;
    }
    Ok(())
}

fn copy_rows(from: &End, to: &End, progress: &mut dyn FnMut(CopyStep)) -> Result<()> {
    for table in TABLES {
        if table.name == "execution_counts" {
            // An SQLite target's triggers counted the copied executions; the source's
            // counters are copied instead, as they stand (a status may be at 0 there).
            to.batch_sql("DELETE FROM execution_counts")?;
        }
        let key_at = key_index(table);
        let mut after: Option<Cell> = None;
        let mut rows = 0u64;
        loop {
            let page = from.page(table, after.as_ref())?;
            let Some(last) = page.last() else { break };
            after = Some(last[key_at].clone());
            let full = page.len() == PAGE;
            rows += page.len() as u64;
            if table.name == "child_names" {
                insert_new_names(to, page)?;
            } else {
                to.insert(table, page)?;
            }
            progress(CopyStep::Copying {
                table: table.name,
                rows,
            });
            if !full {
                break;
            }
        }
    }
    for row in from.page(&CAPACITY, None)? {
        let [Cell::Int(day), Cell::Int(spots), Cell::Int(enrolled)] = row[..] else {
            return Err(StoreError::Other("the source's capacity is damaged".into()));
        };
        match to {
            End::Sqlite(store) => {
                store.db.sqlite()?.execute(
                    "UPDATE capacity SET spots = ?1, enrolled = ?2 WHERE day = ?3",
                    [spots, enrolled, day],
                )?;
            }
            End::Postgres(pg) => pg.call(move |client| {
                client.execute(
                    "UPDATE capacity SET spots = $1, enrolled = $2 WHERE day = $3",
                    &[&spots, &enrolled, &day],
                )?;
                Ok(())
            })?,
        }
    }
    if let End::Postgres(pg) = to {
        pg.call(|client| {
            for table in IDENTITIES {
                client.execute(
                    &format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                         COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                    ),
                    &[],
                )?;
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// The names the copied executions' triggers have not already added.
fn insert_new_names(to: &End, page: Vec<Vec<Cell>>) -> Result<()> {
    match to {
        End::Sqlite(store) => {
            let mut stmt = store
                .db
                .sqlite()?
                .prepare_cached("INSERT OR IGNORE INTO child_names (folded) VALUES (?1)")?;
            for row in &page {
                stmt.execute([&row[0]])?;
            }
            Ok(())
        }
        End::Postgres(pg) => pg.call(move |client| {
            let stmt = client
                .prepare("INSERT INTO child_names (folded) VALUES ($1) ON CONFLICT DO NOTHING")?;
            for row in &page {
                client.execute(&stmt, &[&row[0]])?;
            }
            Ok(())
        }),
    }
}

/// Both ends read back, table by table, inside their transactions; any difference is
/// an error naming the table.
fn compare(from: &End, to: &End, progress: &mut dyn FnMut(CopyStep)) -> Result<Vec<CopiedTable>> {
    let mut copied = Vec::new();
    for table in TABLES.iter().chain(std::iter::once(&CAPACITY)) {
        progress(CopyStep::Comparing { table: table.name });
        let source = from.digest(table)?;
        let target = to.digest(table)?;
        if source != target {
            return Err(StoreError::Other(format!(
                "the copy of {} differs from the source ({} rows, checksum {}, against {} rows, \
                 checksum {})",
                table.name, target.0, target.1, source.0, source.1
            )));
        }
        copied.push(CopiedTable {
            table: table.name,
            rows: source.0,
            checksum: source.1,
        });
    }
    Ok(copied)
}

impl rusqlite::types::FromSql for Cell {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        use rusqlite::types::ValueRef;
        Ok(match value {
            ValueRef::Null => Cell::Null,
            ValueRef::Integer(n) => Cell::Int(n),
            ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => Cell::Blob(b.to_vec()),
            ValueRef::Real(_) => return Err(rusqlite::types::FromSqlError::InvalidType),
        })
    }
}

impl rusqlite::ToSql for Cell {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Cell::Null => ValueRef::Null,
            Cell::Int(n) => ValueRef::Integer(*n),
            Cell::Text(t) => ValueRef::Text(t.as_bytes()),
            Cell::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

impl<'a> postgres::types::FromSql<'a> for Cell {
    fn from_sql(
        ty: &postgres::types::Type,
        raw: &'a [u8],
    ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        use postgres::types::Type;
        Ok(match *ty {
            Type::INT8 => Cell::Int(i64::from_sql(ty, raw)?),
            Type::INT4 => Cell::Int(i64::from(i32::from_sql(ty, raw)?)),
            Type::BYTEA => Cell::Blob(Vec::<u8>::from_sql(ty, raw)?),
            _ => Cell::Text(String::from_sql(ty, raw)?),
        })
    }

    fn from_sql_null(
        _: &postgres::types::Type,
    ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Cell::Null)
    }

    fn accepts(ty: &postgres::types::Type) -> bool {
        use postgres::types::Type;
        matches!(
            *ty,
            Type::INT8 | Type::INT4 | Type::BYTEA | Type::TEXT | Type::VARCHAR
        )
    }
}

impl postgres::types::ToSql for Cell {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Cell::Null => Ok(postgres::types::IsNull::Yes),
            Cell::Int(n) => n.to_sql(ty, out),
            Cell::Text(t) => t.to_sql(ty, out),
            Cell::Blob(b) => b.to_sql(ty, out),
        }
    }

    fn accepts(ty: &postgres::types::Type) -> bool {
        use postgres::types::Type;
        matches!(*ty, Type::INT8 | Type::BYTEA | Type::TEXT | Type::VARCHAR)
    }

    postgres::types::to_sql_checked!();
}
