-- Finding executions by part of the child's name without reading every execution: the
-- distinct folded names are few (a child has a handful of runs), so a substring search
-- reads them, then walks executions_by_child for the names that matched (store/search.rs).
-- Every statement may run again on a file that already has them (a file whose version
-- was set back re-runs the migrations after it).
CREATE TABLE IF NOT EXISTS child_names (
    folded TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

-- status sits before start_us so a search by child and status seeks straight to its
-- runs; every column a search filters on is in the index, so counting reads no row.
CREATE INDEX IF NOT EXISTS executions_by_child ON executions (child_folded, status, start_us);

INSERT OR IGNORE INTO child_names (folded)
    SELECT DISTINCT child_folded FROM executions WHERE child_folded IS NOT NULL;

-- Every folded name an execution holds is in child_names, whoever writes it.
CREATE TRIGGER IF NOT EXISTS executions_child_name AFTER INSERT ON executions
    WHEN NEW.child_folded IS NOT NULL BEGIN
    INSERT OR IGNORE INTO child_names (folded) VALUES (NEW.child_folded);
END;
CREATE TRIGGER IF NOT EXISTS executions_child_refold AFTER UPDATE OF child_folded ON executions
    WHEN NEW.child_folded IS NOT NULL BEGIN
    INSERT OR IGNORE INTO child_names (folded) VALUES (NEW.child_folded);
END;
