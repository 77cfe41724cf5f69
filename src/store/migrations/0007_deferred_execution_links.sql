-- The rows that name an execution (a registration, a change, a waitlist entry) may be
-- written before the execution's own row within a transaction: a batch writes each
-- execution once, when it finishes, after its tasks have written what names it. So
-- these links are checked when the transaction commits (DEFERRABLE INITIALLY
-- DEFERRED). PRAGMA defer_foreign_keys at the start of each batch would do the same,
-- but SQLite re-prepares every cached statement after that pragma.
--
-- SQLite cannot change a constraint in place: each table is rebuilt as its documentation
-- sets out ("Making Other Kinds Of Table Schema Changes"), with foreign keys off while
-- migrations run and checked whole before this one commits. A rebuilt table loses its
-- indexes and triggers, so they are made again here as they were. Rows are copied, not
-- inserted anew, so no trigger counts them twice. Like every migration, this may run
-- again on a file that already has it.

CREATE TABLE registrations_rebuilt (
    id              INTEGER PRIMARY KEY,
    first_name      TEXT NOT NULL,
    last_name       TEXT NOT NULL,
    first_folded    TEXT NOT NULL,
    last_folded     TEXT NOT NULL,
    date_of_birth   TEXT NOT NULL,
    days            INTEGER NOT NULL,
    age             INTEGER NOT NULL,
    fees            INTEGER NOT NULL,
    start_date      TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('enrolled', 'withdrawn')),
    execution_name  TEXT NOT NULL UNIQUE
                    REFERENCES executions (name) DEFERRABLE INITIALLY DEFERRED,
    document        TEXT NOT NULL,
    leaves_on       TEXT,
    withdraw_reason TEXT
) STRICT;
INSERT INTO registrations_rebuilt (id, first_name, last_name, first_folded, last_folded,
    date_of_birth, days, age, fees, start_date, status, execution_name, document,
    leaves_on, withdraw_reason)
SELECT id, first_name, last_name, first_folded, last_folded, date_of_birth, days, age,
    fees, start_date, status, execution_name, document, leaves_on, withdraw_reason
FROM registrations;
DROP TABLE registrations;
ALTER TABLE registrations_rebuilt RENAME TO registrations;

CREATE INDEX registrations_enrolled ON registrations (status, id);
CREATE UNIQUE INDEX registrations_one_enrolled_child
    ON registrations (last_folded, first_folded, date_of_birth) WHERE status = 'enrolled';
CREATE INDEX registrations_leaving ON registrations (leaves_on)
    WHERE status = 'enrolled' AND leaves_on IS NOT NULL;
CREATE TRIGGER registrations_enrol AFTER INSERT ON registrations
    WHEN NEW.status = 'enrolled' BEGIN
    UPDATE capacity SET enrolled = enrolled + 1 WHERE (NEW.days >> day) & 1;
END;
CREATE TRIGGER registrations_leave AFTER DELETE ON registrations
    WHEN OLD.status = 'enrolled' BEGIN
    UPDATE capacity SET enrolled = enrolled - 1 WHERE (OLD.days >> day) & 1;
END;
CREATE TRIGGER registrations_withdraw AFTER UPDATE OF status ON registrations
    WHEN OLD.status = 'enrolled' AND NEW.status <> 'enrolled' BEGIN
    UPDATE capacity SET enrolled = enrolled - 1 WHERE (OLD.days >> day) & 1;
END;
CREATE TRIGGER registrations_reenrol AFTER UPDATE OF status ON registrations
    WHEN OLD.status <> 'enrolled' AND NEW.status = 'enrolled' BEGIN
    UPDATE capacity SET enrolled = enrolled + 1 WHERE (NEW.days >> day) & 1;
END;
CREATE TRIGGER registrations_days AFTER UPDATE OF days ON registrations
    WHEN OLD.status = 'enrolled' AND NEW.status = 'enrolled' BEGIN
    UPDATE capacity SET enrolled = enrolled - ((OLD.days >> day) & 1) + ((NEW.days >> day) & 1);
END;

CREATE TABLE changes_rebuilt (
    execution_name  TEXT PRIMARY KEY
                    REFERENCES executions (name) DEFERRABLE INITIALLY DEFERRED,
    registration_id INTEGER NOT NULL REFERENCES registrations (id),
    kind            TEXT NOT NULL CHECK (kind IN ('amendment', 'withdrawal')),
    status          TEXT NOT NULL CHECK (status IN ('pending', 'applied', 'discarded')),
    added           INTEGER NOT NULL DEFAULT 0,
    days            INTEGER,
    document        TEXT,
    leaves_on       TEXT,
    reason          TEXT,
    today           TEXT NOT NULL,
    staff           TEXT NOT NULL,
    summary         TEXT NOT NULL,
    before          TEXT,
    after           TEXT
) STRICT;
INSERT INTO changes_rebuilt (execution_name, registration_id, kind, status, added, days,
    document, leaves_on, reason, today, staff, summary, before, after)
SELECT execution_name, registration_id, kind, status, added, days, document, leaves_on,
    reason, today, staff, summary, before, after
FROM changes;
DROP TABLE changes;
ALTER TABLE changes_rebuilt RENAME TO changes;

CREATE INDEX changes_pending ON changes (registration_id) WHERE status = 'pending';
CREATE TRIGGER changes_hold AFTER INSERT ON changes WHEN NEW.status = 'pending' BEGIN
    UPDATE capacity SET enrolled = enrolled + 1 WHERE (NEW.added >> day) & 1;
END;
CREATE TRIGGER changes_release AFTER UPDATE OF status ON changes
    WHEN OLD.status = 'pending' AND NEW.status <> 'pending' BEGIN
    UPDATE capacity SET enrolled = enrolled - 1 WHERE (OLD.added >> day) & 1;
END;

CREATE TABLE waitlist_rebuilt (
    id                INTEGER PRIMARY KEY,
    added_us          INTEGER NOT NULL,
    added_on          TEXT NOT NULL,
    first_name        TEXT NOT NULL,
    last_name         TEXT NOT NULL,
    child_folded      TEXT NOT NULL,
    date_of_birth     TEXT NOT NULL,
    days              INTEGER NOT NULL,
    document          TEXT NOT NULL,
    refused_execution TEXT NOT NULL UNIQUE
                      REFERENCES executions (name) DEFERRABLE INITIALLY DEFERRED,
    sibling_of        INTEGER REFERENCES registrations (id),
    notes             TEXT,
    staff             TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('waiting', 'enrolled', 'removed')),
    offer_execution   TEXT UNIQUE
                      REFERENCES executions (name) DEFERRABLE INITIALLY DEFERRED,
    offer_staff       TEXT,
    last_offer        TEXT,
    last_refusal      TEXT,
    closed_reason     TEXT,
    registration_id   INTEGER REFERENCES registrations (id)
) STRICT;
INSERT INTO waitlist_rebuilt (id, added_us, added_on, first_name, last_name, child_folded,
    date_of_birth, days, document, refused_execution, sibling_of, notes, staff, status,
    offer_execution, offer_staff, last_offer, last_refusal, closed_reason, registration_id)
SELECT id, added_us, added_on, first_name, last_name, child_folded, date_of_birth, days,
    document, refused_execution, sibling_of, notes, staff, status, offer_execution,
    offer_staff, last_offer, last_refusal, closed_reason, registration_id
FROM waitlist;
DROP TABLE waitlist;
ALTER TABLE waitlist_rebuilt RENAME TO waitlist;

CREATE INDEX waitlist_waiting ON waitlist (added_on, id) WHERE status = 'waiting';
CREATE UNIQUE INDEX waitlist_one_waiting_child ON waitlist (child_folded, date_of_birth)
    WHERE status = 'waiting';
