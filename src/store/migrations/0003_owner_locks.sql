-- A RUNNING execution names its owner by the id of the lock the owner holds beside the
-- database (store/owner.rs), no longer by process id and start time, which say nothing
-- across PID namespaces. owner_pid is no longer written or read; it stays so that
-- opening a large file needs no rewrite of the table.
ALTER TABLE executions RENAME COLUMN owner_start TO owner;
