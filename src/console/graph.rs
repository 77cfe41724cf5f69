//! The state machine as a vertical drawing: states ordered along the path a run
//! normally takes, boxes joined by arrows, side branches written beside their box.
//! Pure: takes states and marks, returns lines; knows nothing of daycares.

use std::collections::HashSet;

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::theme::Theme;
use crate::text::{self, clean};
use crate::workflow::history::passed::{Passage, Route};
use crate::workflow::{ExecutionStatus, StateKind, StateView};

/// The order to draw states in: from StartAt, following each state's first transition
/// to a state not yet drawn (so the main line runs straight down), then the states
/// only reached by side branches, in definition order.
pub fn order(states: &[StateView], start_at: &str) -> Vec<usize> {
    let index = |name: &str| states.iter().position(|s| s.name == name);
    let mut placed = Vec::new();
    let mut seen = HashSet::new();
    let mut next = index(start_at);
    while let Some(i) = next {
        if !seen.insert(i) {
            break;
        }
        placed.push(i);
        next = states[i]
            .transitions
            .iter()
            .filter_map(|t| index(&t.target))
            .find(|j| !seen.contains(j) && states[*j].kind != StateKind::Fail);
    }
    for i in 0..states.len() {
        if seen.insert(i) {
            placed.push(i);
        }
    }
    placed
}

/// How a state took part in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Entered and left.
    Passed,
    /// Being run now.
    Running,
    /// Where the run failed.
    Failed,
    /// Not reached.
    Untouched,
}

impl Mark {
    pub fn symbol(self) -> &'static str {
        match self {
            Mark::Passed => "✓",
            Mark::Running => "▶",
            Mark::Failed => "✗",
            Mark::Untouched => "·",
        }
    }

    pub fn style(self, theme: &Theme) -> Style {
        match self {
            Mark::Passed => theme.ok(),
            Mark::Running => theme.running(),
            Mark::Failed => theme.bad(),
            Mark::Untouched => theme.dim(),
        }
    }
}

impl From<Passage> for Mark {
    fn from(passage: Passage) -> Mark {
        match passage {
            Passage::Passed => Mark::Passed,
            Passage::Current => Mark::Running,
            Passage::FailedAt => Mark::Failed,
            Passage::NotReached => Mark::Untouched,
        }
    }
}

/// Each state's mark (same indices as `states`) for a run that took `route` and whose
/// status is `status`.
pub fn marks(states: &[StateView], route: &Route, status: ExecutionStatus) -> Vec<Mark> {
    states
        .iter()
        .map(|s| route.passage(&s.name, status).into())
        .collect()
}

fn kind_word(kind: StateKind) -> &'static str {
    match kind {
        StateKind::Task => "Task",
        StateKind::Choice => "Choice",
        StateKind::Pass => "Pass",
        StateKind::Wait => "Wait",
        StateKind::Succeed => "Succeed",
        StateKind::Fail => "Fail",
        StateKind::Parallel => "Parallel",
        StateKind::Map => "Map",
    }
}

/// A drawing one line per state, for small screens: `↓` where the run went from the line
/// above to this one, `┆` where the definition leads but the run did not; side branches
/// after the state's name, shortened with an ellipsis to the `room` columns left.
pub fn draw_compact(
    states: &[StateView],
    order: &[usize],
    marks: &[Mark],
    selected: Option<usize>,
    theme: &Theme,
    room: usize,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut arrives = false;
    let mut came_from_passed = false;
    for (pos, &i) in order.iter().enumerate() {
        let state = &states[i];
        let mark = marks.get(i).copied().unwrap_or(Mark::Untouched);
        let style = if selected == Some(pos) {
            theme.selected()
        } else {
            mark.style(theme)
        };
        let next_below = order.get(pos + 1).map(|&j| states[j].name.as_str());
        // An arrow only where the run went from the line above to this one; a state it
        // never reached is joined by a dotted line.
        let on_path = arrives && mark != Mark::Untouched && came_from_passed;
        let gutter = match (selected == Some(pos), arrives, on_path) {
            (true, _, _) => Span::styled("▸ ", theme.dim()),
            (false, true, true) => Span::styled("↓ ", theme.ok()),
            (false, true, false) => Span::styled("┆ ", theme.dim()),
            (false, false, _) => Span::raw("  "),
        };
        came_from_passed = mark == Mark::Passed;
        let mut spans = vec![
            gutter,
            Span::styled(
                format!(
                    "{} {} · {}",
                    mark.symbol(),
                    clean(&state.name),
                    kind_word(state.kind)
                ),
                style,
            ),
        ];
        if mark == Mark::Failed {
            spans.push(Span::styled(" ← failed", theme.bad()));
        }
        arrives = false;
        for t in &state.transitions {
            if Some(t.target.as_str()) == next_below && !arrives {
                arrives = true;
            } else {
                let used: usize = spans.iter().map(|s| s.width()).sum();
                let left = room.saturating_sub(used + 4);
                if left > 0 {
                    spans.push(Span::styled(
                        format!("  ⤷ {}", text::fit(&t.target, left)),
                        theme.dim(),
                    ));
                }
            }
        }
        lines.push(Line::from(spans));
    }
    lines
}

/// The drawing: one box per state in `order`, marked, the `selected` one (a position in
/// `order`) drawn reversed, in `room` columns: a side branch that does not fit beside its
/// box is written under it, folded at words, never cut. Returns the lines and, for each
/// position, the line its box starts on.
pub fn draw(
    states: &[StateView],
    order: &[usize],
    marks: &[Mark],
    selected: Option<usize>,
    theme: &Theme,
    room: usize,
) -> (Vec<Line<'static>>, Vec<usize>) {
    // The box holds the mark and the name; the state's type sits in its top border, so
    // side branches keep room on the name's line.
    let width = order
        .iter()
        .map(|&i| {
            (text::width(&states[i].name) + 4).max(text::width(kind_word(states[i].kind)) + 3)
        })
        .max()
        .unwrap_or(10);
    let mut lines = Vec::new();
    let mut starts = Vec::new();
    for (pos, &i) in order.iter().enumerate() {
        let state = &states[i];
        let mark = marks.get(i).copied().unwrap_or(Mark::Untouched);
        let name = clean(&state.name);
        let box_style = if selected == Some(pos) {
            theme.selected()
        } else {
            mark.style(theme)
        };
        starts.push(lines.len());
        let pointer = if selected == Some(pos) { "▸" } else { " " };
        let inner = format!("{pointer}{} {}", mark.symbol(), name);
        let kind = kind_word(state.kind);
        let pad = width.saturating_sub(text::width(&inner));
        let next_below = order.get(pos + 1).map(|&j| states[j].name.as_str());
        let mut side: Vec<String> = Vec::new();
        let mut down: Option<&str> = None;
        for t in &state.transitions {
            if Some(t.target.as_str()) == next_below && down.is_none() {
                down = Some(t.label.as_str());
            } else {
                side.push(format!("{}: {}", clean(&t.label), clean(&t.target)));
            }
        }
        lines.push(Line::from(Span::styled(
            format!(
                "┌─{kind}{}┐",
                "─".repeat(width.saturating_sub(text::width(kind) + 1))
            ),
            box_style,
        )));
        let mut middle = vec![Span::styled(
            format!("│{inner}{}│", " ".repeat(pad)),
            box_style,
        )];
        if mark == Mark::Failed {
            middle.push(Span::styled(" ← failed", theme.bad()));
        }
        let used: usize = middle.iter().map(|s| s.width()).sum();
        let beside = side.iter().enumerate().all(|(n, label)| {
            let start = if n == 0 { used } else { width + 2 };
            start + 3 + text::width(label) <= room
        });
        if beside && let Some(first) = side.first() {
            middle.push(Span::styled(format!("─▶ {first}"), theme.dim()));
        }
        lines.push(Line::from(middle));
        lines.push(Line::from(Span::styled(
            format!("└{}┘", "─".repeat(width)),
            box_style,
        )));
        if beside {
            for extra in side.iter().skip(1) {
                lines.push(Line::from(Span::styled(
                    format!("{} ─▶ {extra}", " ".repeat(width + 1)),
                    theme.dim(),
                )));
            }
        } else {
            // Under the box, each branch folded at words under its own text.
            for label in &side {
                let folded = super::widgets::wrap_words(label, room.saturating_sub(5).max(8));
                for (n, piece) in folded.into_iter().enumerate() {
                    let head = if n == 0 { "  ─▶ " } else { "     " };
                    lines.push(Line::from(Span::styled(
                        format!("{head}{piece}"),
                        theme.dim(),
                    )));
                }
            }
        }
        if let Some(label) = down {
            let target_reached = order
                .get(pos + 1)
                .and_then(|&j| marks.get(j))
                .is_some_and(|m| *m != Mark::Untouched);
            let on_path = mark == Mark::Passed && target_reached;
            let arrow_style = if on_path { theme.ok() } else { theme.dim() };
            let arrow = if on_path { "▼" } else { "▽" };
            lines.push(Line::from(Span::styled(
                format!("{}{arrow} {}", " ".repeat(width / 2), clean(label)),
                arrow_style,
            )));
        } else if pos + 1 < order.len() {
            lines.push(Line::from(""));
        }
    }
    (lines, starts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registration::DEFINITION;
    use crate::workflow::StateMachine;

    fn text(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn boxes_stay_square_with_wide_and_joined_names() {
        let json = r#"{"StartAt": "李小龙", "States": {
            "李小龙": {"Type": "Pass", "Next": "Zoë👨‍👩‍👧\u2028x"},
            "Zoë👨‍👩‍👧\u2028x": {"Type": "Pass", "Next": "Ｎｏａｈ"},
            "Ｎｏａｈ": {"Type": "Succeed"}}}"#;
        let Ok(machine) = StateMachine::parse(json) else {
            panic!("the definition parses")
        };
        let states = machine.states();
        let order = order(&states, machine.start_at());
        let marks = vec![Mark::Untouched; states.len()];
        let (lines, _) = draw(&states, &order, &marks, None, &Theme::monochrome(), 200);
        let boxes: Vec<String> = text(&lines)
            .into_iter()
            .filter(|l| l.starts_with(['┌', '│', '└']))
            .collect();
        assert_eq!(boxes.len(), 9, "{boxes:#?}");
        let right_edge = |line: &str| {
            let end = line.rfind(['┐', '│', '┘']).unwrap_or(0);
            crate::text::width(&line[..end])
        };
        let edge = right_edge(&boxes[0]);
        for line in &boxes {
            assert_eq!(right_edge(line), edge, "{boxes:#?}");
        }
    }

    #[test]
    fn the_main_line_runs_down_and_fail_states_come_last() {
        let Ok(machine) = StateMachine::parse(DEFINITION) else {
            panic!("the shipped workflow parses")
        };
        let states = machine.states();
        let order = order(&states, machine.start_at());
        let names: Vec<&str> = order.iter().map(|&i| states[i].name.as_str()).collect();
        assert_eq!(
            names[..3],
            [
                "Check Information",
                "Information Complete?",
                "Check Age Range"
            ]
        );
        assert_eq!(names[8], "Registered");
        assert!(names[9..].iter().all(|n| {
            states
                .iter()
                .any(|s| s.name == *n && s.kind == StateKind::Fail)
        }));
    }

    #[test]
    fn the_path_taken_and_the_failed_state_read_without_colour() {
        let Ok(machine) = StateMachine::parse(DEFINITION) else {
            panic!("the shipped workflow parses")
        };
        let states = machine.states();
        let order = order(&states, machine.start_at());
        let taken = [
            "Check Information",
            "Information Complete?",
            "Check Age Range",
            "Age In Range?",
        ];
        let marks: Vec<Mark> = states
            .iter()
            .map(|s| match s.name.as_str() {
                "Age Out Of Range" => Mark::Failed,
                name if taken.contains(&name) => Mark::Passed,
                _ => Mark::Untouched,
            })
            .collect();
        let (lines, _) = draw(&states, &order, &marks, None, &Theme::monochrome(), 200);
        let lines = text(&lines);
        let after = |name: &str| {
            let at = lines.iter().position(|l| l.contains(name)).unwrap_or(0);
            lines[at + 2].clone()
        };
        assert!(after("Check Age Range").contains('▼'), "taken: {lines:#?}");
        assert!(
            after("Age In Range?").contains('▽'),
            "not taken: {lines:#?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.contains("✗ Age Out Of Range") && l.contains("failed"))
        );
        assert!(
            lines
                .iter()
                .any(|l| l.contains("Default: Age Out Of Range"))
        );
    }
}
