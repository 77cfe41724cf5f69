//! Finding executions by part of the child's name (any case, any accent, any script):
//! the same executions, in the same order and the same windows, as comparing the folded
//! name of every execution, whether few or very many match; and a file made before the
//! search existed gets it when it is opened.

use chrono::{DateTime, Duration, Utc};
use daycare::store::{ExecutionFilter, Store};
use daycare::text::search_key;
use daycare::workflow::{Execution, ExecutionStatus, ExecutionSummary};

/// What was recorded, in the order it was recorded.
struct Kept {
    name: String,
    child: Option<String>,
    start: DateTime<Utc>,
    status: ExecutionStatus,
}

fn base() -> DateTime<Utc> {
    DateTime::from_timestamp(1_780_000_000, 0).unwrap()
}

fn record(store: &mut Store, kept: &mut Vec<Kept>, child: Option<&str>, status: ExecutionStatus) {
    let name = format!("run-{}", kept.len());
    // Three runs share each start time, so ties are broken as the store breaks them.
    let start = base() + Duration::seconds(i64::try_from(kept.len() / 3).unwrap());
    let mut summary = ExecutionSummary::started("arn:m", &name, "{}".into());
    summary.start_date = start;
    store.begin_execution(&summary, "{}", child).unwrap();
    if status != ExecutionStatus::Running {
        summary.status = status;
        summary.stop_date = Some(start + Duration::seconds(1));
        let done = Execution {
            summary,
            events: Vec::new(),
        };
        store.finish_execution(&done, None).unwrap();
    }
    kept.push(Kept {
        name,
        child: child.map(str::to_string),
        start,
        status,
    });
}

/// What a search must find: every execution whose child's name, folded and without
/// accents, holds the text so folded, newest first, later-recorded first among equal
/// start times.
fn expected(kept: &[Kept], filter: &ExecutionFilter) -> Vec<String> {
    let text = filter.child.as_deref().map(search_key).unwrap_or_default();
    let mut found: Vec<(usize, &Kept)> = kept
        .iter()
        .enumerate()
        .filter(|(_, k)| filter.status.is_none_or(|s| s == k.status))
        .filter(|(_, k)| {
            text.is_empty()
                || k.child
                    .as_deref()
                    .is_some_and(|c| search_key(c).contains(&text))
        })
        .collect();
    found.sort_by(|(i, a), (j, b)| (b.start, j).cmp(&(a.start, i)));
    found.into_iter().map(|(_, k)| k.name.clone()).collect()
}

/// Every page of a search, `limit` at a time, each page at most `limit` long.
fn paged(store: &Store, filter: &ExecutionFilter, limit: usize) -> Vec<String> {
    let mut names = Vec::new();
    let mut after = None;
    loop {
        let page = store.executions(filter, after.as_ref(), limit).unwrap();
        assert!(page.rows.len() <= limit);
        names.extend(page.rows.into_iter().map(|r| r.name));
        match page.next {
            Some(next) => after = Some(next),
            None => return names,
        }
    }
}

fn streamed(store: &Store, filter: &ExecutionFilter, limit: usize) -> Vec<String> {
    let mut names = Vec::new();
    store
        .for_each_execution(filter, limit, |row| {
            names.push(row.name);
            Ok::<_, daycare::store::StoreError>(())
        })
        .unwrap();
    names
}

fn check(store: &Store, kept: &[Kept], filter: &ExecutionFilter, limits: &[usize]) {
    let all = expected(kept, filter);
    for &limit in limits {
        assert_eq!(
            paged(store, filter, limit),
            all,
            "{filter:?}, pages of {limit}"
        );
        let first: Vec<String> = all.iter().take(limit).cloned().collect();
        assert_eq!(streamed(store, filter, limit), first, "{filter:?}, {limit}");
    }
}

const CHILDREN: &[Option<&str>] = &[
    Some("Zoë Diallo"),
    Some("ZOE\u{308} DIALLO"),
    Some("Léa Martin"),
    Some("李小龙"),
    Some("Awa Diallo"),
    Some("Mohamed Cissé"),
    Some("Ｍia Nowak"),
    None,
];

const STATUSES: &[ExecutionStatus] = &[
    ExecutionStatus::Succeeded,
    ExecutionStatus::Failed,
    ExecutionStatus::Running,
];

#[test]
fn a_child_search_finds_what_comparing_every_folded_name_finds() {
    let mut store = Store::open_in_memory().unwrap();
    let mut kept = Vec::new();
    for i in 0..240 {
        let child = CHILDREN[i % CHILDREN.len()];
        record(&mut store, &mut kept, child, STATUSES[i % STATUSES.len()]);
    }
    let searches = [
        "",
        " ",
        "a",
        "ë",
        "E",
        "zo",
        "zoë",
        "diallo",
        "DIALLO",
        "ｄｉａｌｌｏ",
        "李",
        "小龙",
        "mia",
        "cisse",
        "cissé",
        "o d",
        "x",
        "zzzz",
    ];
    for text in searches {
        for status in [
            None,
            Some(ExecutionStatus::Succeeded),
            Some(ExecutionStatus::Running),
        ] {
            let filter = ExecutionFilter {
                status,
                child: Some(text.to_string()),
            };
            check(&store, &kept, &filter, &[1, 7, 1000]);
        }
    }
    let zoe = ExecutionFilter {
        child: Some("Zoe\u{308}".into()),
        ..Default::default()
    };
    assert_eq!(expected(&kept, &zoe).len(), 60, "both spellings of Zoë");
    // Accents are ignored: "lea" finds Léa, "cisse" Cissé, "zoe" both Zoës.
    for (text, found) in [("lea", 30), ("CISSE", 30), ("zoe diallo", 60)] {
        let filter = ExecutionFilter {
            child: Some(text.into()),
            ..Default::default()
        };
        assert_eq!(paged(&store, &filter, 1000).len(), found, "{text}");
    }
    let none = ExecutionFilter {
        child: Some("zzzz".into()),
        ..Default::default()
    };
    let page = store.executions(&none, None, 10).unwrap();
    assert!(page.rows.is_empty() && page.next.is_none());
}

#[test]
fn very_many_matches_are_found_the_same_walking_by_start_date() {
    let mut store = Store::open_in_memory().unwrap();
    let mut kept = Vec::new();
    // Few names with very many runs each: a window of all of them gathers more candidates
    // (the newest of each name and status) than the child index is read for, 10,000, so
    // the store walks executions by start date instead; smaller windows read the index.
    for i in 0..12_000 {
        let child = if i % 97 == 0 {
            Some("Quetzal Rare")
        } else {
            CHILDREN[i % 3]
        };
        let status = if i % 5 == 0 {
            ExecutionStatus::Failed
        } else {
            ExecutionStatus::Running
        };
        record(&mut store, &mut kept, child, status);
    }
    for text in ["a", "diallo", "rare", "zzzz"] {
        for status in [None, Some(ExecutionStatus::Failed)] {
            let filter = ExecutionFilter {
                status,
                child: Some(text.to_string()),
            };
            check(&store, &kept, &filter, &[50, 4_000, 12_000]);
        }
    }
}

#[test]
fn a_database_made_before_child_search_gets_it_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daycare.db");
    let mut kept = Vec::new();
    {
        let mut store = Store::open(&path).unwrap();
        for (i, child) in CHILDREN.iter().enumerate() {
            record(&mut store, &mut kept, *child, STATUSES[i % STATUSES.len()]);
        }
    }
    {
        // As the previous schema left it: no names table, no child index, no triggers.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "DROP TRIGGER executions_child_name;
             DROP TRIGGER executions_child_refold;
             DROP INDEX executions_by_child;
             DROP TABLE child_names;
             PRAGMA user_version = 4;",
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    record(
        &mut store,
        &mut kept,
        Some("Ngozi Okafor"),
        ExecutionStatus::Succeeded,
    );
    for text in ["diallo", "a", "okafor", "zzzz"] {
        let filter = ExecutionFilter {
            child: Some(text.to_string()),
            ..Default::default()
        };
        check(&store, &kept, &filter, &[2, 100]);
    }
    let okafor = ExecutionFilter {
        child: Some("OKAFOR".into()),
        ..Default::default()
    };
    assert_eq!(streamed(&store, &okafor, 10), ["run-8"]);
}
