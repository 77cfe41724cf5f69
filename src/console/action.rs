//! What staff asked for (`Action`), what the console asks background work to do
//! (`Command`), and what background work reports back (`Msg`). Plain values, no I/O.

use std::path::PathBuf;

use chrono::{NaiveDate, Weekday};
use serde_json::{Map, Value};

use crate::registration::{Offered, Outcome, Waiting};
use crate::store::{
    AuditEntry, AuditFilter, Cursor, DaySpots, ExecutionCounts, ExecutionFilter, ExecutionRow,
    Page, Registration, StoredExecution, WaitlistEntry,
};
use crate::workflow::{ExecutionSummary, HistoryEvent, StateMachine};

/// The tabs, in number-key order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tab {
    Dashboard,
    Register,
    Executions,
    Children,
    Spots,
    Waitlist,
    Audit,
}

impl Tab {
    pub const ALL: [Tab; 7] = [
        Tab::Dashboard,
        Tab::Register,
        Tab::Executions,
        Tab::Children,
        Tab::Spots,
        Tab::Waitlist,
        Tab::Audit,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Dashboard => "Dashboard",
            Tab::Register => "Register",
            Tab::Executions => "Executions",
            Tab::Children => "Children",
            Tab::Spots => "Spots",
            Tab::Waitlist => "Waitlist",
            Tab::Audit => "Audit",
        }
    }

    pub fn number(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0) + 1
    }
}

/// One thing staff asked for, whatever key or click said it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Complete the file path typed so far (Tab in the file prompt).
    Complete,
    Quit,
    Go(Tab),
    Back,
    Help,
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    Open,
    NextField,
    PrevField,
    Left,
    Right,
    Toggle,
    Submit,
    EditForm,
    NewForm,
    LoadFile,
    Filter,
    CycleStatus,
    ClearFilter,
    Withdraw,
    /// The next order of the Children list (name, age, start date).
    CycleSort,
    /// The withdrawn children instead of the enrolled, or back.
    ToggleWithdrawn,
    Yes,
    No,
    EditDay,
    EditAll,
    Export,
    SwitchPane,
    Refresh,
    ClearField,
    /// Put the selected thing on the clipboard.
    Copy,
    /// Offer a freed spot to the selected waitlist entry.
    Offer,
    /// Take the selected waitlist entry off the list.
    RemoveEntry,
    /// Put a registration refused for want of spots on the waitlist.
    PutOnWaitlist,
    /// Write the list on screen as a CSV sheet into the export folder.
    ExportSheet,
    /// Change the child's record (days, parents, instructions) in a form.
    Amend,
    /// Write the class list of a weekday the staff name.
    ExportRoster,
    /// Write the contact sheet of every enrolled child.
    ExportContacts,
}

/// Work for the background: the database and the engine never run on the UI task.
#[derive(Debug, Clone)]
pub enum Command {
    LoadDashboard,
    /// Window number `index` of the list (0 = newest), starting after `after`.
    LoadExecutions {
        filter: ExecutionFilter,
        after: Option<Cursor>,
        limit: usize,
        generation: u64,
        index: usize,
    },
    LoadExecution(String),
    /// The enrolled children.
    LoadChildren,
    /// The withdrawn children.
    LoadWithdrawnChildren,
    /// One child's record, by registration id.
    LoadRecord(i64),
    LoadSpots,
    SetCapacity(Option<Weekday>, u32),
    /// Withdraw registration `id` for `reason`, from `on` (today or later).
    Withdraw {
        id: i64,
        reason: String,
        on: NaiveDate,
    },
    /// Change registration `id`'s fields (`changes`, by the document's field names).
    Amend {
        id: i64,
        changes: Map<String, Value>,
    },
    /// Write the class list of a weekday into the export folder.
    ExportRoster(Weekday),
    /// Write the contact sheet into the export folder.
    ExportContacts,
    Submit(Value),
    ReadFile(PathBuf),
    /// Complete a file path as typed in the file prompt.
    CompletePath(String),
    Export {
        name: String,
        events: Vec<HistoryEvent>,
    },
    LoadWaitlist,
    /// A window of the audit (newest first) under a filter.
    LoadAudit(AuditFilter),
    /// Puts a refused execution's registration on the waitlist, with staff's note.
    PutOnWaitlist {
        execution: String,
        note: Option<String>,
    },
    /// Offers a spot to waitlist entry `id`.
    Offer(i64),
    RemoveFromWaitlist {
        id: i64,
        reason: String,
    },
    /// Writes the waitlist CSV into the export folder.
    ExportWaitlist,
    /// Writes the executions CSV, as filtered, into the export folder.
    ExportExecutions(ExecutionFilter),
}

impl Command {
    /// What kind of request this is, for the log (never the data it carries).
    pub fn label(&self) -> &'static str {
        match self {
            Command::LoadDashboard => "load dashboard",
            Command::LoadExecutions { .. } => "load executions",
            Command::LoadExecution(_) => "load execution",
            Command::LoadChildren => "load children",
            Command::LoadWithdrawnChildren => "load withdrawn children",
            Command::LoadRecord(_) => "load record",
            Command::LoadSpots => "load spots",
            Command::SetCapacity(..) => "set capacity",
            Command::Withdraw { .. } => "withdraw",
            Command::Amend { .. } => "amend",
            Command::ExportRoster(_) => "export class list",
            Command::ExportContacts => "export contact sheet",
            Command::Submit(_) => "submit",
            Command::ReadFile(_) => "read file",
            Command::CompletePath(_) => "complete path",
            Command::Export { .. } => "export",
            Command::LoadWaitlist => "load waitlist",
            Command::LoadAudit(_) => "load audit",
            Command::PutOnWaitlist { .. } => "put on waitlist",
            Command::Offer(_) => "offer",
            Command::RemoveFromWaitlist { .. } => "remove from waitlist",
            Command::ExportWaitlist => "export waitlist",
            Command::ExportExecutions(_) => "export executions",
        }
    }
}

/// A report from background work.
#[derive(Debug, Clone)]
pub enum Msg {
    /// The database is open and the workflow ready: its machine, for live progress.
    Ready(StateMachine),
    Dashboard {
        spots: Vec<DaySpots>,
        /// Every execution kept, by status.
        counts: ExecutionCounts,
        /// The executions started today, by status.
        today: ExecutionCounts,
        /// Of each weekday's enrolled children (Monday first), those who start later.
        later: [u32; 7],
        recent: Vec<ExecutionRow>,
    },
    Executions {
        generation: u64,
        /// Which window this is (0 = newest).
        index: usize,
        page: Page,
    },
    /// An execution opened for detail: as stored, with the machine it ran.
    Execution {
        stored: Box<StoredExecution>,
        machine: StateMachine,
    },
    NoExecution(String),
    /// The database cannot be used at all; the reason, for staff.
    Unavailable(String),
    Children(Vec<Registration>),
    WithdrawnChildren(Vec<Registration>),
    /// A child's record: the registration with id `id` (none when there is no such
    /// registration), and the summary of the execution that enrolled them.
    Record {
        id: i64,
        registration: Option<Box<Registration>>,
        enrolled_by: Option<Box<ExecutionSummary>>,
    },
    /// The record's audit entries (registration `id`), newest first.
    RecordChanges {
        id: i64,
        entries: Vec<AuditEntry>,
    },
    /// An amendment of registration `id` ended: `Err` is the refusal or why it could
    /// not run, in plain words.
    Amended {
        id: i64,
        result: Result<(), String>,
    },
    /// The registration an opened execution made was withdrawn (or leaves) on `on`.
    MadeRegistrationWithdrawn {
        execution: String,
        id: i64,
        on: NaiveDate,
        reason: Option<String>,
    },
    Spots(Vec<DaySpots>),
    CapacitySet(Result<Vec<DaySpots>, String>),
    Withdrawn(Result<Registration, String>),
    Progress(HistoryEvent),
    Submitted(Result<Box<Outcome>, String>),
    FileLoaded(Result<Value, String>),
    /// A typed path (`typed`) and how far it completes.
    PathCompleted {
        typed: String,
        completed: String,
    },
    Exported(Result<PathBuf, String>),
    Failed(String),
    /// Another desk or the command line changed the database: what is shown may be old.
    Changed,
    /// The registration an opened execution made.
    MadeRegistration {
        execution: String,
        id: i64,
    },
    /// How many executions the list's filter holds, read with a window of it.
    ExecutionsTotal {
        generation: u64,
        total: u64,
    },
    /// The waitlist in order, each entry with whether it fits now.
    Waitlist(Vec<Waiting>),
    /// A window of the audit, newest first, as filtered when it was asked for.
    Audit {
        filter: AuditFilter,
        entries: Vec<AuditEntry>,
    },
    /// How many enrolled children turn 6 within `rules::AGES_OUT_WITHIN` days (read
    /// with the dashboard).
    AgeingOut(usize),
    Waitlisted(Result<WaitlistEntry, String>),
    Offered(Result<Box<Offered>, String>),
    RemovedFromWaitlist(Result<WaitlistEntry, String>),
    /// A CSV sheet written: what it lists ("waitlist", "class list for Monday"), and
    /// where it went with how many rows, or why not.
    SheetWritten {
        what: String,
        written: Result<(PathBuf, usize), String>,
    },
}

/// The dashboard's line about the waitlist and the children ageing out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lists {
    pub waiting: usize,
    /// The children of the entries that fit now, in waitlist order.
    pub fit: Vec<String>,
    /// Enrolled children who turn 6 within `rules::AGES_OUT_WITHIN` days.
    pub ageing_out: usize,
}
