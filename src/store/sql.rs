//! One way to run a statement on either engine. A store query is written once, in the
//! SQL both SQLite and PostgreSQL accept (`?1`-numbered parameters, `COALESCE`, `ON
//! CONFLICT`, `RETURNING`, `CAST(… AS BIGINT)`), with its parameters as `Param`s and its
//! rows read through `Row::get`; where the two dialects truly differ, a `Twin` holds both
//! texts side by side. Nothing here knows a table.
//!
//! On PostgreSQL the text is rewritten once per statement (`?N` becomes `$N`, SQLite's
//! `OR ROLLBACK` conflict clause goes: a failed statement ends a transaction there
//! anyway), prepared once and kept, and run on the connection's own thread; so a row's
//! reader must be `Send + 'static`, a plain function or a closure that owns what it uses.
//!
//! Where the two differ in ways one text cannot hide, the text says what it means:
//! * NULLs sort first on SQLite and last on PostgreSQL: an `ORDER BY` on a column that
//!   may be NULL says `NULLS FIRST` or `NULLS LAST`;
//! * `SUM` of integers is a NUMERIC on PostgreSQL: `CAST(SUM(x) AS BIGINT)`;
//! * `LIKE` ignores ASCII case on SQLite only: compare folded columns instead;
//! * no `IFNULL`, `INSERT OR IGNORE`/`OR REPLACE`, two-argument `MAX`/`MIN`, or
//!   `last_insert_rowid()`: `COALESCE`, `ON CONFLICT … DO NOTHING`/`DO UPDATE`, `CASE`,
//!   `RETURNING id`;
//! * a comparison is a BOOLEAN on PostgreSQL: `Row::get` reads it as `bool` or an
//!   integer on both, but SQL that does arithmetic with one says `CASE WHEN … THEN 1
//!   ELSE 0 END`;
//! * a parameter whose type the server cannot infer (`?1 IS NULL`) is cast:
//!   `CAST(?1 AS TEXT)`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::error::Error as StdError;

use bytes::BytesMut;
use chrono::NaiveDate;
use postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};

use super::pg::{Failed, Postgres};
use super::{Result, StoreError};

/// The connection a store speaks through.
pub(crate) enum Db {
    Sqlite(rusqlite::Connection),
    Postgres(Postgres),
}

/// A statement's text on each engine.
pub(crate) trait Sql {
    fn sqlite(&self) -> &str;
    fn postgres(&self) -> &str;
}

impl Sql for str {
    fn sqlite(&self) -> &str {
        self
    }
    fn postgres(&self) -> &str {
        self
    }
}

impl Sql for String {
    fn sqlite(&self) -> &str {
        self
    }
    fn postgres(&self) -> &str {
        self
    }
}

/// A statement the two dialects spell differently, kept side by side: fixed texts, or
/// texts built at run time (`Twin<String>`).
pub(crate) struct Twin<S = &'static str> {
    pub sqlite: S,
    pub postgres: S,
}

impl<S: AsRef<str>> Sql for Twin<S> {
    fn sqlite(&self) -> &str {
        self.sqlite.as_ref()
    }
    fn postgres(&self) -> &str {
        self.postgres.as_ref()
    }
}

/// A statement's parameter: the four kinds of value both engines store, or NULL. On
/// PostgreSQL it is written as the type the server expects at its place (an integer
/// bound to a BOOLEAN is a truth value).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Param<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(Cow<'a, str>),
    Blob(Cow<'a, [u8]>),
}

impl Param<'_> {
    /// The same value owning its text, to be sent to the connection's thread.
    fn owned(&self) -> Param<'static> {
        match self {
            Param::Null => Param::Null,
            Param::Int(i) => Param::Int(*i),
            Param::Real(f) => Param::Real(*f),
            Param::Text(t) => Param::Text(Cow::Owned(t.to_string())),
            Param::Blob(b) => Param::Blob(Cow::Owned(b.to_vec())),
        }
    }
}

/// Statement parameters: `params![a, b, c]`, each anything `Param` is made from.
macro_rules! params {
    ($($value:expr),* $(,)?) => {
        &[$($crate::store::sql::Param::from($value)),*][..]
    };
}
pub(crate) use params;

macro_rules! int_params {
    ($($t:ty),*) => {$(
        impl From<$t> for Param<'_> {
            fn from(v: $t) -> Self {
                Param::Int(i64::from(v))
            }
        }
        impl From<&$t> for Param<'_> {
            fn from(v: &$t) -> Self {
                Param::Int(i64::from(*v))
            }
        }
    )*};
}
int_params!(i64, i32, u32, u16, u8, bool);

impl From<f64> for Param<'_> {
    fn from(v: f64) -> Self {
        Param::Real(v)
    }
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(v: &'a str) -> Self {
        Param::Text(Cow::Borrowed(v))
    }
}

impl<'a> From<&'a String> for Param<'a> {
    fn from(v: &'a String) -> Self {
        Param::Text(Cow::Borrowed(v))
    }
}

impl From<String> for Param<'_> {
    fn from(v: String) -> Self {
        Param::Text(Cow::Owned(v))
    }
}

impl<'a> From<&'a [u8]> for Param<'a> {
    fn from(v: &'a [u8]) -> Self {
        Param::Blob(Cow::Borrowed(v))
    }
}

impl<'a> From<&'a Vec<u8>> for Param<'a> {
    fn from(v: &'a Vec<u8>) -> Self {
        Param::Blob(Cow::Borrowed(v))
    }
}

impl From<Vec<u8>> for Param<'_> {
    fn from(v: Vec<u8>) -> Self {
        Param::Blob(Cow::Owned(v))
    }
}

/// A date is its ISO text, as rusqlite's `chrono` feature stores it.
impl From<NaiveDate> for Param<'_> {
    fn from(v: NaiveDate) -> Self {
        Param::Text(Cow::Owned(v.format("%F").to_string()))
    }
}

impl From<&NaiveDate> for Param<'_> {
    fn from(v: &NaiveDate) -> Self {
        Param::Text(Cow::Owned(v.format("%F").to_string()))
    }
}

impl<'a, T: Into<Param<'a>>> From<Option<T>> for Param<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Param::Null, Into::into)
    }
}

macro_rules! borrowed_options {
    ($($t:ty),*) => {$(
        impl<'a> From<&'a Option<$t>> for Param<'a> {
            fn from(v: &'a Option<$t>) -> Self {
                v.as_ref().map_or(Param::Null, Into::into)
            }
        }
    )*};
}
borrowed_options!(String, i64, u32, NaiveDate, Vec<u8>);

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Param::Null => ValueRef::Null,
            Param::Int(i) => ValueRef::Integer(*i),
            Param::Real(f) => ValueRef::Real(*f),
            Param::Text(t) => ValueRef::Text(t.as_bytes()),
            Param::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

type BoxedError = Box<dyn StdError + Sync + Send>;

impl ToSql for Param<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> std::result::Result<IsNull, BoxedError> {
        match self {
            Param::Null => Ok(IsNull::Yes),
            Param::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                // An integer where the server sees no type of its own, as in `?1 + 0`.
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => i.to_string().to_sql(ty, out),
                _ => Err(format!("an integer cannot stand for {ty}").into()),
            },
            Param::Real(f) => match *ty {
                Type::FLOAT8 => f.to_sql(ty, out),
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                _ => Err(format!("a real number cannot stand for {ty}").into()),
            },
            Param::Text(t) => t.as_ref().to_sql(ty, out),
            Param::Blob(b) => b.as_ref().to_sql(ty, out),
        }
    }

    /// Any type: `to_sql` says which it cannot write.
    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// A row being read, from either engine.
pub(crate) enum Row<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r postgres::Row),
}

impl Row<'_> {
    /// Column `i` (from 0) as a `T`.
    pub fn get<T: Column>(&self, i: usize) -> Result<T> {
        match self {
            Row::Sqlite(row) => Ok(T::sqlite(row, i)?),
            Row::Postgres(row) => T::postgres(row, i)
                .map_err(|e| StoreError::Other(format!("cannot read column {i}: {e}"))),
        }
    }
}

/// A value a column can be read as, on both engines.
pub(crate) trait Column: Sized {
    fn sqlite(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Self>;
    fn postgres(row: &postgres::Row, i: usize) -> std::result::Result<Self, BoxedError>;
}

/// Any column's value, read only to learn whether it is NULL.
struct Anything;

impl<'a> FromSql<'a> for Anything {
    fn from_sql(_: &Type, _: &'a [u8]) -> std::result::Result<Self, BoxedError> {
        Ok(Anything)
    }
    fn accepts(_: &Type) -> bool {
        true
    }
}

fn pg_is_null(row: &postgres::Row, i: usize) -> std::result::Result<bool, BoxedError> {
    Ok(row.try_get::<_, Option<Anything>>(i)?.is_none())
}

/// An integer column, whatever width or truth value the server gave it (`COUNT` is a
/// BIGINT there, a comparison a BOOLEAN).
fn pg_int(row: &postgres::Row, i: usize) -> std::result::Result<i64, BoxedError> {
    let ty = row
        .columns()
        .get(i)
        .map(|c| c.type_().clone())
        .ok_or("no such column")?;
    Ok(match ty {
        Type::INT8 => row.try_get::<_, i64>(i)?,
        Type::INT4 => i64::from(row.try_get::<_, i32>(i)?),
        Type::INT2 => i64::from(row.try_get::<_, i16>(i)?),
        Type::BOOL => i64::from(row.try_get::<_, bool>(i)?),
        other => return Err(format!("a {other} is not an integer").into()),
    })
}

impl Column for i64 {
    fn sqlite(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Self> {
        row.get(i)
    }
    fn postgres(row: &postgres::Row, i: usize) -> std::result::Result<Self, BoxedError> {
        pg_int(row, i)
    }
}

macro_rules! narrow_columns {
    ($($t:ty),*) => {$(
        impl Column for $t {
            fn sqlite(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Self> {
                row.get(i)
            }
            fn postgres(row: &postgres::Row, i: usize) -> std::result::Result<Self, BoxedError> {
                Ok(<$t>::try_from(pg_int(row, i)?)?)
            }
        }
    )*};
}
narrow_columns!(i32, u32, u16, u8);

impl Column for bool {
    fn sqlite(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Self> {
        row.get(i)
    }
    fn postgres(row: &postgres::Row, i: usize) -> std::result::Result<Self, BoxedError> {
        Ok(pg_int(row, i)? != 0)
    }
}

impl Column for String {
    fn sqlite(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Self> {
        row.get(i)
    }
    fn postgres(row: &postgres::Row, i: usize) -> std::result::Result<Self, BoxedError> {
        Ok(row.try_get::<_, String>(i)?)
    }
}

impl Column for Vec<u8> {
    fn sqlite(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Self> {
        row.get(i)
    }
    fn postgres(row: &postgres::Row, i: usize) -> std::result::Result<Self, BoxedError> {
        Ok(row.try_get::<_, Vec<u8>>(i)?)
    }
}

impl Column for NaiveDate {
    fn sqlite(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Self> {
        row.get(i)
    }
    fn postgres(row: &postgres::Row, i: usize) -> std::result::Result<Self, BoxedError> {
        Ok(NaiveDate::parse_from_str(
            &row.try_get::<_, String>(i)?,
            "%F",
        )?)
    }
}

impl<T: Column> Column for Option<T> {
    fn sqlite(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Self> {
        match row.get_ref(i)? {
            rusqlite::types::ValueRef::Null => Ok(None),
            _ => T::sqlite(row, i).map(Some),
        }
    }
    fn postgres(row: &postgres::Row, i: usize) -> std::result::Result<Self, BoxedError> {
        if pg_is_null(row, i)? {
            Ok(None)
        } else {
            T::postgres(row, i).map(Some)
        }
    }
}

/// The PostgreSQL text of a statement written for both: `?N` becomes `$N` (outside
/// quoted text), and SQLite's `OR ROLLBACK` conflict clause is dropped.
pub(crate) fn for_postgres(sql: &str) -> String {
    let sql = sql.replace("INSERT OR ROLLBACK INTO", "INSERT INTO");
    let mut out = String::with_capacity(sql.len() + 8);
    let mut quoted: Option<char> = None;
    let mut next_bare = 0usize;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match quoted {
            Some(q) => {
                out.push(c);
                if c == q {
                    quoted = None;
                }
            }
            None if c == '\'' || c == '"' => {
                quoted = Some(c);
                out.push(c);
            }
            None if c == '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    digits.push(d);
                    chars.next();
                }
                if digits.is_empty() {
                    next_bare += 1;
                    digits = next_bare.to_string();
                }
                out.push('$');
                out.push_str(&digits);
            }
            None => out.push(c),
        }
    }
    out
}

/// The PostgreSQL side of a connection: the client and the statements it has prepared,
/// by their text as the store wrote it.
pub(crate) struct Session {
    pub client: postgres::Client,
    statements: HashMap<String, postgres::Statement>,
}

impl Session {
    pub fn new(client: postgres::Client) -> Session {
        Session {
            client,
            statements: HashMap::new(),
        }
    }

    /// The prepared statement for `sql`, prepared at its first use.
    pub fn statement(&mut self, sql: &str) -> std::result::Result<postgres::Statement, Failed> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(&for_postgres(sql))?;
        self.statements.insert(sql.to_string(), statement.clone());
        Ok(statement)
    }
}

fn pg_params<'p>(params: &'p [Param<'static>]) -> impl ExactSizeIterator<Item = &'p dyn ToSql> {
    params.iter().map(|p| p as &dyn ToSql)
}

fn owned(params: &[Param<'_>]) -> Vec<Param<'static>> {
    params.iter().map(Param::owned).collect()
}

/// The second key of the advisory lock a PostgreSQL write transaction holds (the first
/// is the daycare's application id; `pg/` opens under the one-key lock of that id, a
/// separate key space).
const WRITER_LOCK: i32 = 1;

/// How many rows of a streamed query cross from the connection's thread at a time.
const STREAM_CHUNK: usize = 512;

impl Db {
    /// The SQLite connection, for what only SQLite has (its pragmas, its file).
    pub fn sqlite(&self) -> Result<&rusqlite::Connection> {
        match self {
            Db::Sqlite(conn) => Ok(conn),
            Db::Postgres(pg) => Err(StoreError::Postgres {
                address: pg.shown().to_string(),
                reason: "this is not yet offered on PostgreSQL".into(),
            }),
        }
    }

    /// Begins a write transaction, waiting (up to the busy timeout on SQLite) for any
    /// other writer to end: one writer at a time, on either engine. On PostgreSQL an
    /// advisory lock held to the transaction's end does what `BEGIN IMMEDIATE` does on
    /// SQLite, so a check and the insert it allows are never raced by another desk.
    pub fn begin_write(&self) -> Result<()> {
        match self {
            Db::Sqlite(conn) => {
                conn.prepare_cached("BEGIN IMMEDIATE")?.execute([])?;
                Ok(())
            }
            Db::Postgres(_) => self.batch(&format!(
                "BEGIN; SELECT pg_advisory_xact_lock({}, {WRITER_LOCK})",
                super::APPLICATION_ID
            )),
        }
    }

    /// Keeps the open transaction.
    pub fn commit(&self) -> Result<()> {
        match self {
            Db::Sqlite(conn) => {
                conn.prepare_cached("COMMIT")?.execute([])?;
                Ok(())
            }
            Db::Postgres(_) => self.batch("COMMIT"),
        }
    }

    /// Rolls the open transaction back, if one is open; what went wrong is already
    /// being reported, so a failure here adds nothing.
    pub fn rollback(&self) {
        let _ = self.batch("ROLLBACK");
    }

    /// The text of `sql` this engine runs, to be built into a longer statement.
    pub fn text_of<'s>(&self, sql: &'s (impl Sql + ?Sized)) -> &'s str {
        match self {
            Db::Sqlite(_) => sql.sqlite(),
            Db::Postgres(_) => sql.postgres(),
        }
    }

    /// Runs a statement that returns no rows; how many rows it changed.
    pub fn execute(&self, sql: &(impl Sql + ?Sized), params: &[Param<'_>]) -> Result<usize> {
        match self {
            Db::Sqlite(conn) => Ok(conn
                .prepare_cached(sql.sqlite())?
                .execute(rusqlite::params_from_iter(params))?),
            Db::Postgres(pg) => {
                let sql = sql.postgres().to_string();
                let params = owned(params);
                pg.session(move |s| {
                    let statement = s.statement(&sql)?;
                    let refs: Vec<&(dyn ToSql + Sync)> =
                        params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
                    let n = s.client.execute(&statement, &refs)?;
                    Ok(usize::try_from(n).unwrap_or(usize::MAX))
                })
            }
        }
    }

    /// Runs statements with no parameters, one after another (`BEGIN`, `COMMIT`).
    pub fn batch(&self, sql: &(impl Sql + ?Sized)) -> Result<()> {
        match self {
            Db::Sqlite(conn) => Ok(conn.execute_batch(sql.sqlite())?),
            Db::Postgres(pg) => {
                let sql = sql.postgres().to_string();
                pg.session(move |s| Ok(s.client.batch_execute(&sql)?))
            }
        }
    }

    /// The first row the query returns, read by `read`, if it returns any.
    pub fn query_opt<T, F>(
        &self,
        sql: &(impl Sql + ?Sized),
        params: &[Param<'_>],
        read: F,
    ) -> Result<Option<T>>
    where
        T: Send + 'static,
        F: Fn(&Row<'_>) -> Result<T> + Send + 'static,
    {
        match self {
            Db::Sqlite(conn) => {
                let mut statement = conn.prepare_cached(sql.sqlite())?;
                let mut rows = statement.query(rusqlite::params_from_iter(params))?;
                match rows.next()? {
                    Some(row) => read(&Row::Sqlite(row)).map(Some),
                    None => Ok(None),
                }
            }
            Db::Postgres(pg) => {
                let sql = sql.postgres().to_string();
                let params = owned(params);
                pg.session(move |s| {
                    let statement = s.statement(&sql)?;
                    let mut rows = s.client.query_raw(&statement, pg_params(&params))?;
                    use postgres::fallible_iterator::FallibleIterator;
                    match rows.next()? {
                        Some(row) => Ok(Some(read(&Row::Postgres(&row))?)),
                        None => Ok(None),
                    }
                })
            }
        }
    }

    /// The one row the query returns, read by `read`; an error if it returns none.
    pub fn query_one<T, F>(
        &self,
        sql: &(impl Sql + ?Sized),
        params: &[Param<'_>],
        read: F,
    ) -> Result<T>
    where
        T: Send + 'static,
        F: Fn(&Row<'_>) -> Result<T> + Send + 'static,
    {
        self.query_opt(sql, params, read)?
            .ok_or(StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows))
    }

    /// Every row the query returns, read by `read`.
    pub fn query_vec<T, F>(
        &self,
        sql: &(impl Sql + ?Sized),
        params: &[Param<'_>],
        read: F,
    ) -> Result<Vec<T>>
    where
        T: Send + 'static,
        F: Fn(&Row<'_>) -> Result<T> + Send + 'static,
    {
        let mut all = Vec::new();
        self.for_each(sql, params, read, |t| {
            all.push(t);
            Ok::<(), StoreError>(())
        })?;
        Ok(all)
    }

    /// Hands each row the query returns, read by `read`, to `each`, as it comes: the
    /// rows are never all in memory at once. Stops at the first error from either.
    pub fn for_each<T, F, E>(
        &self,
        sql: &(impl Sql + ?Sized),
        params: &[Param<'_>],
        read: F,
        mut each: impl FnMut(T) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E>
    where
        T: Send + 'static,
        F: Fn(&Row<'_>) -> Result<T> + Send + 'static,
        E: From<StoreError>,
    {
        match self {
            Db::Sqlite(conn) => {
                let mut statement = conn
                    .prepare_cached(sql.sqlite())
                    .map_err(StoreError::from)?;
                let mut rows = statement
                    .query(rusqlite::params_from_iter(params))
                    .map_err(StoreError::from)?;
                while let Some(row) = rows.next().map_err(StoreError::from)? {
                    each(read(&Row::Sqlite(row))?)?;
                }
                Ok(())
            }
            Db::Postgres(pg) => {
                let sql = sql.postgres().to_string();
                let params = owned(params);
                // Unbounded: the thread never waits for the reader, so a reader that runs
                // another statement meanwhile (queued behind this one) cannot deadlock.
                let (send, chunks) = std::sync::mpsc::channel::<Chunk<T>>();
                pg.start(move |s| {
                    if let Err(e) = stream(s, &sql, &params, &read, &send) {
                        let _ = send.send(Err(e));
                    }
                })?;
                for chunk in chunks {
                    for t in chunk.map_err(|e| pg.failure(e))? {
                        each(t)?;
                    }
                }
                Ok(())
            }
        }
    }
}

/// Rows of a streamed query, or why it stopped.
type Chunk<T> = std::result::Result<Vec<T>, Failed>;

/// Runs a streamed query on the connection's thread, sending its rows in chunks until
/// they end or nobody listens any more.
fn stream<T, F>(
    s: &mut Session,
    sql: &str,
    params: &[Param<'static>],
    read: &F,
    send: &std::sync::mpsc::Sender<Chunk<T>>,
) -> std::result::Result<(), Failed>
where
    F: Fn(&Row<'_>) -> Result<T>,
{
    use postgres::fallible_iterator::FallibleIterator;
    let statement = s.statement(sql)?;
    let mut rows = s.client.query_raw(&statement, pg_params(params))?;
    let mut chunk = Vec::with_capacity(STREAM_CHUNK);
    while let Some(row) = rows.next()? {
        chunk.push(read(&Row::Postgres(&row))?);
        if chunk.len() == STREAM_CHUNK
            && send
                .send(Ok(std::mem::replace(
                    &mut chunk,
                    Vec::with_capacity(STREAM_CHUNK),
                )))
                .is_err()
        {
            return Ok(());
        }
    }
    if !chunk.is_empty() {
        let _ = send.send(Ok(chunk));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_and_bare_parameters_become_dollars_outside_quotes() {
        assert_eq!(
            for_postgres("SELECT '?1', \"a?\" FROM t WHERE a = ?1 AND b = ?12 AND c = ?"),
            "SELECT '?1', \"a?\" FROM t WHERE a = $1 AND b = $12 AND c = $1"
        );
        assert_eq!(
            for_postgres("INSERT OR ROLLBACK INTO t (a) VALUES (?1)"),
            "INSERT INTO t (a) VALUES ($1)"
        );
    }

    #[test]
    fn params_are_made_from_plain_values() {
        let name = String::from("Léa");
        let none: Option<String> = None;
        let day = NaiveDate::from_ymd_opt(2026, 12, 17);
        assert_eq!(
            params![1i64, 2u32, true, &name, "x", &none, day, vec![1u8]],
            &[
                Param::Int(1),
                Param::Int(2),
                Param::Int(1),
                Param::Text("Léa".into()),
                Param::Text("x".into()),
                Param::Null,
                Param::Text("2026-12-17".into()),
                Param::Blob(vec![1u8].into()),
            ][..]
        );
    }

    /// The same statements, parameters and readers on both engines.
    fn reads_what_it_was_given(db: &Db) -> Result<()> {
        let day = NaiveDate::from_ymd_opt(2026, 12, 17);
        assert_eq!(
            db.execute(
                "INSERT INTO t VALUES (?1, ?2, ?3)",
                params![7u32, day, vec![1u8, 2]]
            )?,
            1
        );
        db.execute(
            "INSERT INTO t VALUES (?1, ?2, ?3)",
            params![None::<i64>, None::<String>, None::<Vec<u8>>],
        )?;
        let rows = db.query_vec("SELECT a, b, c FROM t ORDER BY a NULLS FIRST", &[], |r| {
            Ok((
                r.get::<Option<u32>>(0)?,
                r.get::<Option<NaiveDate>>(1)?,
                r.get::<Option<Vec<u8>>>(2)?,
            ))
        })?;
        assert_eq!(
            rows,
            vec![(None, None, None), (Some(7), day, Some(vec![1, 2]))]
        );
        assert_eq!(
            db.query_opt("SELECT a FROM t WHERE a = ?1", params![8i64], |r| r
                .get::<i64>(0))?,
            None
        );
        let mut streamed = 0;
        db.for_each(
            "SELECT a FROM t WHERE a IS NOT NULL",
            &[],
            |r| r.get::<u32>(0),
            |a| {
                streamed += a;
                Ok::<(), StoreError>(())
            },
        )?;
        assert_eq!(streamed, 7);
        let counted = db.query_one(
            "SELECT COUNT(*), COUNT(*) = 2, CAST(SUM(a) AS BIGINT) FROM t",
            &[],
            |r| Ok((r.get::<i64>(0)?, r.get::<bool>(1)?, r.get::<i64>(2)?)),
        )?;
        assert_eq!(counted, (2, true, 7));
        Ok(())
    }

    #[test]
    fn sqlite_reads_what_it_was_given() -> Result<()> {
        let db = Db::Sqlite(rusqlite::Connection::open_in_memory()?);
        db.batch("CREATE TABLE t (a INTEGER, b TEXT, c BLOB)")?;
        reads_what_it_was_given(&db)
    }

    #[test]
    fn postgres_reads_what_it_was_given() -> Result<()> {
        let database = crate::store::testing::Database::new();
        let db = Db::Postgres(database.postgres());
        db.batch("CREATE TABLE t (a BIGINT, b TEXT, c BYTEA)")?;
        reads_what_it_was_given(&db)
    }

    #[test]
    fn a_write_on_postgres_waits_for_the_other_writer() -> Result<()> {
        let database = crate::store::testing::Database::new();
        let first = Db::Postgres(database.postgres());
        let second = Db::Postgres(database.postgres());
        first.batch("CREATE TABLE t (a BIGINT)")?;
        first.begin_write()?;
        first.execute("INSERT INTO t VALUES (?1)", params![1i64])?;
        let waited = std::thread::spawn(move || -> Result<i64> {
            second.begin_write()?;
            let seen = second.query_one("SELECT COUNT(*) FROM t", &[], |r| r.get::<i64>(0))?;
            second.commit()?;
            Ok(seen)
        });
        std::thread::sleep(std::time::Duration::from_millis(300));
        first.commit()?;
        // The second writer began after the first committed, so it saw its row.
        assert!(matches!(waited.join(), Ok(Ok(1))));
        Ok(())
    }
}
