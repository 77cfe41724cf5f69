//! Where things are drawn, computed from the terminal size alone, so drawing and
//! mouse clicks agree on which row is where.

use ratatui::layout::Rect;

use super::action::Tab;

/// Below this the console shows only the "terminal too small" screen.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub tabs: Rect,
    pub body: Rect,
    pub status: Rect,
    pub footer: Rect,
}

pub fn areas(area: Rect) -> Areas {
    let h = area.height;
    Areas {
        tabs: Rect::new(area.x, area.y, area.width, 1.min(h)),
        body: Rect::new(area.x, area.y + 1, area.width, h.saturating_sub(3)),
        status: Rect::new(area.x, area.y + h.saturating_sub(2), area.width, 1.min(h)),
        footer: Rect::new(area.x, area.y + h.saturating_sub(1), area.width, 1.min(h)),
    }
}

/// Inside a bordered table: the rows below its header.
pub fn table_rows(block: Rect) -> Rect {
    Rect::new(
        block.x + 1,
        block.y + 2,
        block.width.saturating_sub(2),
        block.height.saturating_sub(3),
    )
}

/// The tab titles as drawn: " 1 Dashboard " and so on, one after another.
pub fn tab_label(tab: Tab) -> String {
    format!(" {} {} ", tab.number(), tab.title())
}

/// The tab bar's width with every label as `label` writes it, one space between.
fn tabs_width(label: fn(Tab) -> String) -> usize {
    Tab::ALL
        .iter()
        .map(|t| crate::text::width(&label(*t)) + 1)
        .sum()
}

/// " 1 Dashboard", without the space after: what a tab bar too narrow for the padded
/// labels writes.
fn compact_label(tab: Tab) -> String {
    format!(" {} {}", tab.number(), tab.title())
}

/// A tab's title as drawn in a bar `width` columns wide: padded when every tab fits so.
pub fn tab_label_in(tab: Tab, width: u16) -> String {
    if tabs_width(tab_label) <= width as usize {
        tab_label(tab)
    } else {
        compact_label(tab)
    }
}

/// The tab under column `x` of the tab bar.
pub fn tab_at(x: u16) -> Option<Tab> {
    tab_at_in(x, u16::MAX)
}

/// The tab under column `x` of a tab bar `bar` columns wide.
pub fn tab_at_in(x: u16, bar: u16) -> Option<Tab> {
    let mut start = 0u16;
    for tab in Tab::ALL {
        let width = crate::text::width(&tab_label_in(tab, bar)) as u16;
        if x >= start && x < start + width {
            return Some(tab);
        }
        start += width + 1;
    }
    None
}

pub fn contains(area: Rect, x: u16, y: u16) -> bool {
    x >= area.x && x < area.x + area.width && y >= area.y && y < area.y + area.height
}
