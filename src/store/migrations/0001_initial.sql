-- The daycare schema, version 1. application_id marks the file as a daycare
-- database so that opening any other SQLite file is refused before a write.
PRAGMA application_id = 1145133379;

-- Spots per weekday: 0 = Monday … 6 = Sunday. Capacity 0 means closed.
CREATE TABLE capacity (
    day      INTEGER PRIMARY KEY CHECK (day BETWEEN 0 AND 6),
    spots    INTEGER NOT NULL CHECK (spots >= 0)
) STRICT;
INSERT INTO capacity (day, spots) VALUES (0, 20), (1, 20), (2, 20), (3, 20), (4, 20), (5, 0), (6, 0);

-- Workflow definitions by the SHA-256 of their text.
CREATE TABLE definitions (
    hash     TEXT PRIMARY KEY,
    source   TEXT NOT NULL
) STRICT;

-- One row per execution. start_us/stop_us are microseconds since the epoch.
-- owner_pid/owner_start name the process running a RUNNING execution, so a
-- later start can tell an interrupted run from one still going elsewhere.
CREATE TABLE executions (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL UNIQUE,
    execution_arn     TEXT NOT NULL,
    state_machine_arn TEXT NOT NULL,
    status            TEXT NOT NULL,
    start_us          INTEGER NOT NULL,
    stop_us           INTEGER,
    input             TEXT NOT NULL,
    output            TEXT,
    error             TEXT,
    cause             TEXT,
    definition_hash   TEXT NOT NULL REFERENCES definitions (hash),
    child             TEXT,
    child_folded      TEXT,
    fees              INTEGER,
    owner_pid         INTEGER,
    owner_start       TEXT
) STRICT;
CREATE INDEX executions_by_start ON executions (start_us, id);
CREATE INDEX executions_by_status ON executions (status, start_us, id);

-- Every execution's history events, as one zstd-compressed JSON array.
CREATE TABLE history (
    execution_id INTEGER PRIMARY KEY REFERENCES executions (id) ON DELETE CASCADE,
    events       BLOB NOT NULL
) STRICT;

-- Counters kept by triggers so the dashboard never counts a whole table.
CREATE TABLE execution_counts (
    status TEXT PRIMARY KEY,
    n      INTEGER NOT NULL
) STRICT;
CREATE TRIGGER executions_count_insert AFTER INSERT ON executions BEGIN
    INSERT INTO execution_counts (status, n) VALUES (NEW.status, 1)
        ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER executions_count_update AFTER UPDATE OF status ON executions
    WHEN OLD.status <> NEW.status BEGIN
    UPDATE execution_counts SET n = n - 1 WHERE status = OLD.status;
    INSERT INTO execution_counts (status, n) VALUES (NEW.status, 1)
        ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER executions_count_delete AFTER DELETE ON executions BEGIN
    UPDATE execution_counts SET n = n - 1 WHERE status = OLD.status;
END;

-- Registrations. days is a bit mask (bit 0 = Monday). A registration exists
-- only while its execution SUCCEEDED; withdrawn ones are kept for the record.
CREATE TABLE registrations (
    id             INTEGER PRIMARY KEY,
    first_name     TEXT NOT NULL,
    last_name      TEXT NOT NULL,
    first_folded   TEXT NOT NULL,
    last_folded    TEXT NOT NULL,
    date_of_birth  TEXT NOT NULL,
    days           INTEGER NOT NULL,
    age            INTEGER NOT NULL,
    fees           INTEGER NOT NULL,
    start_date     TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('enrolled', 'withdrawn')),
    execution_name TEXT NOT NULL UNIQUE REFERENCES executions (name),
    document       TEXT NOT NULL
) STRICT;
CREATE INDEX registrations_enrolled ON registrations (status, id);
CREATE UNIQUE INDEX registrations_one_enrolled_child
    ON registrations (last_folded, first_folded, date_of_birth) WHERE status = 'enrolled';
