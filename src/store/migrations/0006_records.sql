-- The children's records: withdrawals with a reason and a date, changes to a
-- registration run as executions, the waitlist, and the audit.

-- A withdrawal keeps its reason and the day it takes effect. A day still ahead keeps
-- the child enrolled until then (status stays 'enrolled'); from that day the child
-- holds no spot, and the status turns 'withdrawn' at the next write (store/leavers.rs).
-- The columns registrations.leaves_on and withdraw_reason, and the index of the
-- children leaving, are added by the migration's hook (store/records_schema.rs) when
-- missing: every statement here may run again on a file that already has them.

-- An enrolled registration whose days change moves its count from day to day.
CREATE TRIGGER IF NOT EXISTS registrations_days AFTER UPDATE OF days ON registrations
    WHEN OLD.status = 'enrolled' AND NEW.status = 'enrolled' BEGIN
    UPDATE capacity SET enrolled = enrolled - ((OLD.days >> day) & 1) + ((NEW.days >> day) & 1);
END;

-- A change to a registration (an amendment, a withdrawal) that an execution is making.
-- It is written 'pending' by the execution's last task, holding the spots of the days
-- it adds, and applied or discarded in the transaction that closes the execution: a
-- change exists, like a registration, if and only if its execution SUCCEEDED.
CREATE TABLE IF NOT EXISTS changes (
    execution_name  TEXT PRIMARY KEY REFERENCES executions (name),
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
CREATE INDEX IF NOT EXISTS changes_pending ON changes (registration_id) WHERE status = 'pending';

CREATE TRIGGER IF NOT EXISTS changes_hold AFTER INSERT ON changes WHEN NEW.status = 'pending' BEGIN
    UPDATE capacity SET enrolled = enrolled + 1 WHERE (NEW.added >> day) & 1;
END;
CREATE TRIGGER IF NOT EXISTS changes_release AFTER UPDATE OF status ON changes
    WHEN OLD.status = 'pending' AND NEW.status <> 'pending' BEGIN
    UPDATE capacity SET enrolled = enrolled - 1 WHERE (OLD.added >> day) & 1;
END;

-- The waitlist: registrations refused for want of spots, waiting for one. Order:
-- the day added, then priority (a sibling enrolled, or a staff note), then arrival.
CREATE TABLE IF NOT EXISTS waitlist (
    id                INTEGER PRIMARY KEY,
    added_us          INTEGER NOT NULL,
    added_on          TEXT NOT NULL,
    first_name        TEXT NOT NULL,
    last_name         TEXT NOT NULL,
    child_folded      TEXT NOT NULL,
    date_of_birth     TEXT NOT NULL,
    days              INTEGER NOT NULL,
    document          TEXT NOT NULL,
    refused_execution TEXT NOT NULL UNIQUE REFERENCES executions (name),
    sibling_of        INTEGER REFERENCES registrations (id),
    notes             TEXT,
    staff             TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('waiting', 'enrolled', 'removed')),
    offer_execution   TEXT UNIQUE REFERENCES executions (name),
    offer_staff       TEXT,
    last_offer        TEXT,
    last_refusal      TEXT,
    closed_reason     TEXT,
    registration_id   INTEGER REFERENCES registrations (id)
) STRICT;
CREATE INDEX IF NOT EXISTS waitlist_waiting ON waitlist (added_on, id) WHERE status = 'waiting';
CREATE UNIQUE INDEX IF NOT EXISTS waitlist_one_waiting_child ON waitlist (child_folded, date_of_birth)
    WHERE status = 'waiting';

-- Who changed what, when: capacity, amendments, withdrawals, waitlist actions, offers.
-- Append-only: the triggers below refuse every update and delete, whoever asks.
CREATE TABLE IF NOT EXISTS audit (
    id              INTEGER PRIMARY KEY,
    at_us           INTEGER NOT NULL,
    staff           TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN
                        ('capacity', 'amendment', 'withdrawal', 'waitlist-add',
                         'waitlist-remove', 'offer')),
    registration_id INTEGER,
    waitlist_id     INTEGER,
    child           TEXT,
    child_folded    TEXT,
    summary         TEXT NOT NULL,
    before          TEXT,
    after           TEXT,
    execution_name  TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS audit_by_registration ON audit (registration_id, id)
    WHERE registration_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS audit_by_waitlist ON audit (waitlist_id, id) WHERE waitlist_id IS NOT NULL;

CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit is append-only: its rows are never changed');
END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit is append-only: its rows are never deleted');
END;
