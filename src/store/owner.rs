//! Which process owns a RUNNING execution, and whether that process is still alive.
//!
//! Each execution row records the pid of the process running it and that process's
//! start time (field 22 of `/proc/PID/stat`, in clock ticks since boot). A RUNNING
//! execution is interrupted, and may be closed by anyone, when no process with that pid
//! exists or the process with that pid started at a different time (the pid was reused).
//! Where `/proc` is missing (not Linux) liveness cannot be told, so nothing is closed:
//! closing a run that is still going would be worse than leaving one RUNNING.

/// This process as recorded on executions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub pid: i64,
    /// Start time of the process, or "" where unknown.
    pub start: String,
}

impl Owner {
    pub fn current() -> Owner {
        let pid = i64::from(std::process::id());
        Owner {
            pid,
            start: start_time(pid).unwrap_or_default(),
        }
    }

    /// Whether the process that recorded (`pid`, `start`) is still running.
    pub fn is_alive(&self, pid: i64, start: &str) -> bool {
        if pid == self.pid {
            // Same pid: this process, unless the recorded start time says otherwise.
            return start == self.start;
        }
        if self.start.is_empty() {
            // No /proc here: we cannot tell, so we must assume it lives.
            return true;
        }
        match start_time(pid) {
            Some(now) => now == start,
            None => false,
        }
    }
}

/// Field 22 (starttime) of `/proc/PID/stat`. The command name (field 2) may hold spaces
/// and parentheses, so fields are counted after the last `)`.
fn start_time(pid: i64) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 1..];
    // After ")": field 3 (state) is the first; starttime is field 22, the 20th here.
    rest.split_whitespace().nth(19).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive_and_a_dead_pid_is_not() {
        let me = Owner::current();
        assert!(me.is_alive(me.pid, &me.start));
        if !me.start.is_empty() {
            // Same pid recorded with another start time: an earlier process, now gone.
            assert!(!me.is_alive(me.pid, "1"));
            // pid_max is at most 2^22 on Linux.
            assert!(!me.is_alive(1 << 23, "1"));
        }
    }
}
