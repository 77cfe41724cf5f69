//! The folded name keys, and re-folding the keys an older daycare kept (trimmed lower
//! case) with `text::fold_key`, once, inside the migration that changes the rule. How
//! names are compared is decided in `text.rs`; this only keeps the stored keys in step.

use rusqlite::Transaction;

/// The key a name is stored and looked up by.
pub(super) fn fold(name: &str) -> String {
    crate::text::fold_key(name)
}

/// Re-folds `registrations.first_folded/last_folded` and `executions.child_folded`. Two
/// enrolled registrations that the new key makes the same child cannot both hold it:
/// the one being re-folded second keeps its old key, and that is logged, rather than
/// failing the open.
pub(super) fn refold(tx: &Transaction<'_>) -> rusqlite_migration::HookResult {
    refold_registrations(tx)?;
    refold_executions(tx)?;
    Ok(())
}

fn refold_registrations(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let rows: Vec<(i64, String, String, String, String)> = tx
        .prepare(
            "SELECT id, first_name, last_name, first_folded, last_folded FROM registrations \
             ORDER BY id",
        )?
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut update =
        tx.prepare("UPDATE registrations SET first_folded = ?2, last_folded = ?3 WHERE id = ?1")?;
    for (id, first, last, old_first, old_last) in rows {
        let (new_first, new_last) = (fold(&first), fold(&last));
        if (new_first.as_str(), new_last.as_str()) == (old_first.as_str(), old_last.as_str()) {
            continue;
        }
        match update.execute((id, &new_first, &new_last)) {
            Ok(_) => {}
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) => {
                tracing::warn!(
                    registration = id,
                    "registration {id} is the same child as another enrolled registration \
                     under the new name comparison; it keeps its old key"
                );
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn refold_executions(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let mut select = tx.prepare(
        "SELECT id, child, child_folded FROM executions WHERE child IS NOT NULL ORDER BY id",
    )?;
    let mut update = tx.prepare("UPDATE executions SET child_folded = ?2 WHERE id = ?1")?;
    let mut rows = select.query([])?;
    while let Some(row) = rows.next()? {
        let (id, child, old): (i64, String, Option<String>) =
            (row.get(0)?, row.get(1)?, row.get(2)?);
        let new = fold(&child);
        if old.as_deref() != Some(new.as_str()) {
            update.execute((id, new))?;
        }
    }
    Ok(())
}
