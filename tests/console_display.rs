//! The console as staff read it, without a terminal: totals and positions in lists, the
//! true last row, what another desk's change makes each screen read again, and text that
//! is never cut mid-word or misaligned (wide letters included).

mod console_support;

use console_support::*;
use daycare::console::action::{Command, Msg};
use daycare::console::app::App;
use daycare::console::screens::executions::PAGE;
use daycare::store::{ExecutionCounts, Page, Store};
use daycare::workflow::ExecutionSummary;

fn a_cursor() -> daycare::store::Cursor {
    let mut store = Store::open_in_memory().unwrap();
    for n in 0..3 {
        let summary = ExecutionSummary::started("arn:m", &format!("e{n}"), "{}".into());
        store.begin_execution(&summary, "{}", Some("Ann")).unwrap();
    }
    store
        .executions(&Default::default(), None, 2)
        .unwrap()
        .next
        .unwrap()
}

/// The Executions screen with its newest window read and the list counted.
fn executions(total: u64) -> App {
    let mut app = app(120, 40);
    app.on_key(key('3'));
    let generation = app.executions.generation;
    app.on_msg(Msg::Executions {
        generation,
        index: 0,
        page: Page {
            rows: rows(PAGE as i64),
            next: Some(a_cursor()),
        },
    });
    app.on_msg(Msg::ExecutionsTotal { generation, total });
    app
}

#[test]
fn the_executions_list_says_where_the_selection_is_in_the_whole_list() {
    let mut app = executions(20_000);
    assert!(screen(&app).contains("row 1 of 20,000"), "{}", screen(&app));
    app.on_key(key('j'));
    assert!(screen(&app).contains("row 2 of 20,000"));
}

#[test]
fn g_goes_to_the_true_last_row() {
    let mut app = executions(20_000);
    let commands = app.on_key(key('G'));
    let [Command::LoadExecutions { index, .. }] = &commands[..] else {
        panic!("G reads the last window: {commands:?}")
    };
    assert_eq!(*index, (20_000 - 1) / PAGE);
    let generation = app.executions.generation;
    app.on_msg(Msg::Executions {
        generation,
        index: *index,
        page: Page {
            rows: rows(PAGE as i64),
            next: None,
        },
    });
    app.on_msg(Msg::ExecutionsTotal {
        generation,
        total: 20_000,
    });
    assert_eq!(app.executions.position(), 19_999);
    let shown = screen(&app);
    assert!(shown.contains("row 20,000 of 20,000"), "{shown}");
}

#[test]
fn executions_show_the_error_of_a_failed_run() {
    for (w, h) in [(120, 40), (80, 24)] {
        let mut app = executions(PAGE as u64);
        app.on_resize(w, h);
        let shown = screen(&app);
        assert!(shown.contains("Error"), "{shown}");
        let failed = shown.lines().find(|l| l.contains("FAILED")).unwrap_or("");
        assert!(failed.contains("AgeOutOfRan"), "{w}×{h}: {failed}");
    }
}

#[test]
fn another_desk_s_change_rereads_only_the_screen_in_front() {
    let mut app = executions(20_000);
    for _ in 0..5 {
        app.on_key(key('j'));
    }
    let selected = app.executions.selected().map(|r| r.name.clone());
    let commands = app.on_msg(Msg::Changed);
    let [
        Command::LoadExecutions {
            index: 0,
            limit,
            generation,
            ..
        },
    ] = &commands[..]
    else {
        panic!("the loaded window is read again: {commands:?}")
    };
    assert_eq!(*limit, PAGE, "one window, not the whole list");
    // Two new runs came in on top: the selection stays on its execution.
    let mut fresh = rows(PAGE as i64 + 2);
    fresh.rotate_right(2);
    fresh[0].name = "new-a".into();
    fresh[1].name = "new-b".into();
    fresh.truncate(PAGE);
    app.on_msg(Msg::Executions {
        generation: *generation,
        index: 0,
        page: Page {
            rows: fresh,
            next: Some(a_cursor()),
        },
    });
    assert_eq!(app.executions.selected().map(|r| r.name.clone()), selected);
    assert!(screen(&app).contains("new-a"), "the top stays in view");

    app.on_key(key('1'));
    assert!(matches!(
        app.on_msg(Msg::Changed)[..],
        [Command::LoadDashboard]
    ));
    app.on_key(key('4'));
    assert!(matches!(
        app.on_msg(Msg::Changed)[..],
        [Command::LoadChildren]
    ));
    app.on_key(key('5'));
    assert!(matches!(app.on_msg(Msg::Changed)[..], [Command::LoadSpots]));
}

#[test]
fn an_empty_dashboard_says_what_to_do() {
    let mut app = app(80, 24);
    app.on_msg(Msg::Ready(machine()));
    app.on_msg(Msg::Dashboard {
        spots: spots(),
        counts: ExecutionCounts::default(),
        today: ExecutionCounts::default(),
        later: [0; 7],
        recent: Vec::new(),
    });
    let shown = screen(&app);
    assert!(
        shown.contains("No registrations yet — press 2 to register a child."),
        "{shown}"
    );
}

#[test]
fn spots_this_week_tell_attending_children_from_those_who_start_later() {
    let mut app = app(120, 40);
    app.on_msg(Msg::Dashboard {
        spots: spots(),
        counts: counts(),
        today: today_counts(),
        later: [3, 0, 0, 0, 0, 0, 0],
        recent: rows(3),
    });
    let shown = screen(&app);
    let monday = shown.lines().find(|l| l.contains("Mon ")).unwrap_or("");
    assert!(
        monday.contains("15/20 enrolled, 3 starting, 2 free"),
        "{monday}"
    );
    assert!(monday.contains('▒'), "{monday}");
    let tuesday = shown.lines().find(|l| l.contains("Tue ")).unwrap_or("");
    assert!(tuesday.contains("20/20 enrolled, 0 free"), "{tuesday}");
}

#[test]
fn the_footer_keeps_help_and_quit_at_every_size() {
    for (w, h) in [(120, 40), (100, 30), (80, 24)] {
        for tab in ['1', '3', '4', '5'] {
            let mut app = app(w, h);
            app.on_msg(Msg::Ready(machine()));
            app.on_key(key(tab));
            let shown = screen(&app);
            let footer = shown.lines().last().unwrap_or("");
            assert!(
                footer.contains("? help") && footer.trim_end().ends_with("q quit"),
                "{w}×{h} screen {tab}: {footer:?}"
            );
        }
    }
}

#[test]
fn a_long_status_ends_at_a_word_with_an_ellipsis() {
    let mut app = app(80, 24);
    app.on_msg(Msg::Failed(
        "the child's date of birth must be a real date in the form YYYY-MM-DD, such as 2023-05-10, and not in the future".into(),
    ));
    let shown = screen(&app);
    let status = shown.lines().nth(22).unwrap_or("");
    assert!(status.ends_with('…'), "{status:?}");
    let last_word = status
        .trim_end_matches('…')
        .rsplit(' ')
        .next()
        .unwrap_or("");
    assert!(
        "the child's date of birth must be a real date in the form YYYY-MM-DD, such as 2023-05-10,"
            .split(' ')
            .any(|w| w == last_word || w.trim_end_matches(',') == last_word),
        "the status ends on a whole word: {status:?}"
    );
}

/// The refused run of the support module, made a successful one.
fn succeeded_execution() -> daycare::store::StoredExecution {
    let mut stored = refused_execution();
    let summary = &mut stored.summary;
    summary.status = daycare::workflow::ExecutionStatus::Succeeded;
    summary.error = None;
    summary.cause = None;
    summary.output = Some(
        r#"{"statusCode":200,"body":"{\"child\":{\"firstName\":\"Mohamed\"},\"fees\":750,\"start_date\":\"2026-09-15\"}"}"#
            .into(),
    );
    stored.fees = Some(750);
    stored
}

fn opened_detail(stored: daycare::store::StoredExecution, w: u16, h: u16) -> App {
    let mut app = app(w, h);
    app.on_msg(Msg::Ready(machine()));
    let name = stored.summary.name.clone();
    app.open_execution(name);
    app.on_msg(opened(stored));
    app
}

#[test]
fn a_succeeded_run_s_header_shows_fees_start_date_and_registration() {
    for (w, h) in [(120, 40), (80, 24)] {
        let stored = succeeded_execution();
        let name = stored.summary.name.clone();
        let mut app = opened_detail(stored, w, h);
        app.on_msg(Msg::MadeRegistration {
            execution: name,
            id: 12,
        });
        let shown = screen(&app);
        let header: String = shown.lines().take(6).collect::<Vec<_>>().join("\n");
        assert!(header.contains("Fees 750"), "{w}×{h}:\n{header}");
        assert!(header.contains("starts 2026-09-15"), "{w}×{h}:\n{header}");
        assert!(header.contains("registration 12"), "{w}×{h}:\n{header}");
    }
}

#[test]
fn a_long_wide_lettered_name_leaves_the_cause_in_the_header() {
    for (w, h) in [(120, 40), (80, 24)] {
        let mut stored = refused_execution();
        stored.child = Some("李小龙".repeat(30));
        stored.summary.name = format!("registration-{}", "龙".repeat(40));
        let app = opened_detail(stored, w, h);
        let shown = screen(&app);
        assert!(
            shown.contains("Cause: Mohamed Diallo is 10"),
            "{w}×{h}:\n{shown}"
        );

        assert!(shown.contains("Error: AgeOutOfRange"), "{w}×{h}:\n{shown}");
        for line in shown.lines() {
            assert!(
                line.chars().count() <= w as usize,
                "every line fits {w} columns: {line}"
            );
        }
    }
}

fn click(app: &mut App, column: u16, row: u16) {
    use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    app.on_mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row,
        modifiers: KeyModifiers::NONE,
    });
}

#[test]
fn the_detail_s_panes_take_the_keyboard_when_clicked() {
    use daycare::console::screens::detail::Pane;
    let mut app = opened_detail(refused_execution(), 120, 40);
    let shown = screen(&app);
    let find = |text: &str| -> (u16, u16) {
        for (y, line) in shown.lines().enumerate() {
            if let Some(byte) = line.find(text) {
                return (daycare::text::width(&line[..byte]) as u16, y as u16);
            }
        }
        panic!("{text} on screen:\n{shown}")
    };
    let (x, y) = find("Output of");
    click(&mut app, x, y + 2);
    assert_eq!(app.detail.as_ref().map(|d| d.pane), Some(Pane::Data));
    let (x, y) = find("History ·");
    click(&mut app, x + 2, y + 1);
    assert_eq!(app.detail.as_ref().map(|d| d.pane), Some(Pane::History));
    // A second click on an event selects it.
    click(&mut app, x + 2, y + 4);
    assert_eq!(app.detail.as_ref().map(|d| d.history.selected), Some(2));
    // A click on a state's box selects that state.
    let (x, y) = find("Already Enrolled");
    click(&mut app, x, y);
    let detail = app.detail.as_ref().unwrap();
    assert_eq!(detail.pane, Pane::States);
    assert_eq!(detail.selected_state(), Some("Already Enrolled"));
}

fn line_text(line: &ratatui::text::Line) -> String {
    line.spans.iter().map(|s| s.content.as_ref()).collect()
}

/// The shipped workflow's states, drawing order and the marks of a run refused for age.
fn refused_for_age() -> (
    Vec<daycare::workflow::StateView>,
    Vec<usize>,
    Vec<daycare::console::graph::Mark>,
) {
    use daycare::console::graph::{self, Mark};
    let machine = machine();
    let states = machine.states();
    let order = graph::order(&states, machine.start_at());
    let taken = [
        "Check Information",
        "Information Complete?",
        "Check Age Range",
        "Age In Range?",
    ];
    let marks = states
        .iter()
        .map(|s| match s.name.as_str() {
            "Age Out Of Range" => Mark::Failed,
            name if taken.contains(&name) => Mark::Passed,
            _ => Mark::Untouched,
        })
        .collect();
    (states, order, marks)
}

#[test]
fn graph_branch_labels_are_never_cut_in_a_narrow_pane() {
    use daycare::console::graph;
    use daycare::console::theme::Theme;
    let (states, order, marks) = refused_for_age();
    // At 100 columns the graph pane is 55 wide: 53 inside its border.
    for room in [53, 40, 64] {
        let (lines, _) = graph::draw(&states, &order, &marks, None, &Theme::monochrome(), room);
        let text: Vec<String> = lines.iter().map(line_text).collect();
        for line in &text {
            assert!(daycare::text::width(line) <= room, "{room}: {line:?}");
        }
        let joined = text.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
        for state in &states {
            for t in &state.transitions {
                let label = format!("{}: {}", t.label, t.target);
                let below = order
                    .iter()
                    .position(|&i| states[i].name == state.name)
                    .and_then(|p| order.get(p + 1))
                    .map(|&j| states[j].name.as_str());
                if below != Some(t.target.as_str()) {
                    assert!(
                        joined.contains(&label),
                        "{room}: {label:?} whole in {text:#?}"
                    );
                }
            }
        }
    }
}

#[test]
fn the_compact_graph_draws_arrows_only_along_the_path_taken() {
    use daycare::console::graph::{self, Mark};
    use daycare::console::theme::Theme;
    let (states, order, marks) = refused_for_age();
    let lines = graph::draw_compact(&states, &order, &marks, None, &Theme::monochrome(), 42);
    for (pos, line) in lines.iter().enumerate() {
        let text = line_text(line);
        assert!(daycare::text::width(&text) <= 42, "{text}");
        let mark = marks[order[pos]];
        if text.starts_with('↓') {
            assert_ne!(
                mark,
                Mark::Untouched,
                "an arrow into a state never run: {text}"
            );
        }
    }
    let text: Vec<String> = lines.iter().map(line_text).collect();
    assert!(
        text.iter()
            .any(|l| l.starts_with('↓') && l.contains("Check Age Range")),
        "{text:#?}"
    );
    assert!(
        text.iter()
            .any(|l| l.starts_with('┆') && l.contains("Check Spots")),
        "{text:#?}"
    );
}

/// Each screen line as a terminal receives it (a wide letter's second cell skipped), and
/// where the caret is.
fn terminal(app: &App) -> (Vec<String>, Option<(u16, u16)>) {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let (width, height) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| daycare::console::render::render(app, frame))
        .unwrap();
    let caret = terminal.get_cursor_position().ok().map(|p| (p.x, p.y));
    let buffer = terminal.backend().buffer().clone();
    let lines = (0..height)
        .map(|y| {
            let mut line = String::new();
            let mut x = 0;
            while x < width {
                let symbol = buffer[(x, y)].symbol();
                line.push_str(symbol);
                x += daycare::text::width(symbol).max(1) as u16;
            }
            line
        })
        .collect();
    (lines, caret)
}

#[test]
fn wide_letters_keep_the_form_aligned_and_the_caret_after_them() {
    for (w, h) in [(120, 40), (80, 24)] {
        let mut app = app(w, h);
        app.on_msg(Msg::Ready(machine()));
        app.on_key(key('2'));
        typed(&mut app, "李小龙");
        app.on_key(code(crossterm::event::KeyCode::Tab));
        typed(&mut app, "王");
        let (lines, caret) = terminal(&app);
        let field = |label: &str| {
            lines
                .iter()
                .enumerate()
                .find(|(_, l)| l.contains(label))
                .map(|(y, l)| (y, l.clone()))
                .unwrap_or_else(|| panic!("{label} on screen: {lines:#?}"))
        };
        let close = |line: &str| {
            let at = line.find(']').unwrap_or(0);
            daycare::text::width(&line[..at])
        };
        let (_, first) = field("Child first name");
        let (y, last) = field("Child last name");
        let (_, birth) = field("Date of birth");
        assert!(first.contains("[李小龙"), "{first}");
        assert_eq!(close(&first), close(&birth), "{w}×{h}:\n{first}\n{birth}");
        assert_eq!(close(&last), close(&birth), "{w}×{h}:\n{last}\n{birth}");
        let open = daycare::text::width(&last[..last.find('[').unwrap_or(0)]);
        assert_eq!(
            caret,
            Some(((open + 1 + 2) as u16, y as u16)),
            "{w}×{h}: the caret stands after 王 (two columns)"
        );
    }
}

#[test]
fn an_unfocused_field_shows_the_start_of_its_value_over_the_panel_s_width() {
    let mut app = app(120, 40);
    app.on_msg(Msg::Ready(machine()));
    app.on_msg(Msg::FileLoaded(Ok(
        serde_json::from_str(TUTORIAL_INPUT).unwrap()
    )));
    app.on_key(code(crossterm::event::KeyCode::Esc));
    let (lines, _) = terminal(&app);
    let line = lines
        .iter()
        .find(|l| l.contains("Instructions"))
        .cloned()
        .unwrap_or_default();
    assert!(line.contains("[Mohamed has a peanut allergy."), "{line}");
    let inside = line
        .split('[')
        .nth(1)
        .and_then(|r| r.split(']').next())
        .unwrap_or("");
    assert!(
        daycare::text::width(inside) >= 40,
        "the field takes the panel: {line}"
    );

    let mut narrow = console_support::app(80, 24);
    narrow.on_msg(Msg::Ready(machine()));
    narrow.on_msg(Msg::FileLoaded(Ok(
        serde_json::from_str(TUTORIAL_INPUT).unwrap()
    )));
    narrow.on_key(code(crossterm::event::KeyCode::Esc));
    let (lines, _) = terminal(&narrow);
    let line = lines
        .iter()
        .find(|l| l.contains("Instructions"))
        .cloned()
        .unwrap_or_default();
    assert!(line.contains("[Mohamed has a"), "the start shows: {line}");
    assert!(
        line.contains("…]"),
        "an ellipsis says there is more: {line}"
    );
}

#[test]
fn a_refresh_far_down_the_list_reads_the_selection_s_window_and_keeps_its_place() {
    let mut app = executions(20_000);
    // Down into the second window (read as the selection nears the first one's end).
    let mut asked = None;
    for _ in 0..PAGE + 5 {
        for command in app.on_key(key('j')) {
            if let Command::LoadExecutions {
                index, generation, ..
            } = command
            {
                asked = Some((index, generation));
            }
        }
        if let Some((index, generation)) = asked.take() {
            let mut page = rows(PAGE as i64);
            for (n, row) in page.iter_mut().enumerate() {
                row.name = format!("second-{n}");
            }
            app.on_msg(Msg::Executions {
                generation,
                index,
                page: Page {
                    rows: page,
                    next: Some(a_cursor()),
                },
            });
        }
    }
    let position = app.executions.position();
    assert!(position > PAGE, "{position}");
    let name = app.executions.selected().map(|r| r.name.clone());
    let commands = app.on_msg(Msg::Changed);
    let [
        Command::LoadExecutions {
            index: 1,
            after: Some(_),
            generation,
            ..
        },
    ] = &commands[..]
    else {
        panic!("the selection's window is read again: {commands:?}")
    };
    let mut page = rows(PAGE as i64);
    for (n, row) in page.iter_mut().enumerate() {
        row.name = format!("second-{n}");
    }
    app.on_msg(Msg::Executions {
        generation: *generation,
        index: 1,
        page: Page {
            rows: page,
            next: Some(a_cursor()),
        },
    });
    assert_eq!(app.executions.selected().map(|r| r.name.clone()), name);
    assert_eq!(app.executions.position(), position);
}

#[test]
fn a_long_question_is_shown_whole() {
    let mut app = app(80, 24);
    app.on_msg(Msg::Ready(machine()));
    let message = format!(
        "Withdraw {} Okafor-Lindqvist-Papadopoulos (registration 12)? Their spots on Monday, Tuesday, Wednesday, Thursday and Friday are freed, and this cannot be undone.",
        "李小龙".repeat(4)
    );
    app.confirm = Some(daycare::console::app::Confirm {
        message: message.clone(),
        on_yes: daycare::console::app::Then::Run(Command::LoadSpots),
    });
    let (lines, _) = terminal(&app);
    let shown = lines.join(" ").replace('│', " ");
    for word in message.split(' ') {
        assert!(
            shown.contains(word),
            "{word:?} shown in:\n{}",
            lines.join("\n")
        );
    }
}
