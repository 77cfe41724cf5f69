//! The part of migration 0006 that SQL cannot write so that it may run again: the
//! withdrawal columns of `registrations` and their index, added only when missing.

use rusqlite::Transaction;

pub(super) fn add_withdrawal_columns(tx: &Transaction<'_>) -> rusqlite_migration::HookResult {
    let columns: Vec<String> = tx
        .prepare("SELECT name FROM pragma_table_info('registrations')")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for (column, sql) in [
        (
            "leaves_on",
            "ALTER TABLE registrations ADD COLUMN leaves_on TEXT",
        ),
        (
            "withdraw_reason",
            "ALTER TABLE registrations ADD COLUMN withdraw_reason TEXT",
        ),
    ] {
        if !columns.iter().any(|c| c == column) {
            tx.execute_batch(sql)?;
        }
    }
    tx.execute_batch(
        "CREATE INDEX IF NOT EXISTS registrations_leaving ON registrations (leaves_on) \
         WHERE status = 'enrolled' AND leaves_on IS NOT NULL",
    )?;
    Ok(())
}
