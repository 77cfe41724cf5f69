-- Enrolled children per weekday, kept beside the capacity by triggers so that checking
-- a registration's days reads seven rows instead of every enrolled registration.
ALTER TABLE capacity ADD COLUMN enrolled INTEGER NOT NULL DEFAULT 0;
UPDATE capacity SET enrolled = (
    SELECT COUNT(*) FROM registrations
    WHERE status = 'enrolled' AND (days >> capacity.day) & 1
);

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
