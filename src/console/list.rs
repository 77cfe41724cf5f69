//! A selection in a scrolling list: which row is chosen and which row is at the top,
//! kept in the app state so clicks land on the row that is drawn; the motion keys every
//! list shares; and the key a list filter compares names by.

use super::action::Action;

/// Whether `name` matches a typed filter (an empty filter matches everything), compared
/// as every search compares names (`crate::text::search_key`: case, width, invisible
/// characters and accents aside), so "zoe" finds "Zoë".
pub fn matches(name: &str, filter: &str) -> bool {
    crate::text::search_key(name).contains(&crate::text::search_key(filter))
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListCursor {
    pub selected: usize,
    pub offset: usize,
}

impl ListCursor {
    /// Moves by `delta` rows within `len` rows, keeping the selection in a window of `visible` rows.
    pub fn step(&mut self, delta: isize, len: usize, visible: usize) {
        if len == 0 {
            *self = ListCursor::default();
            return;
        }
        let target = self.selected as isize + delta;
        self.selected = target.clamp(0, len as isize - 1) as usize;
        self.follow(visible);
    }

    /// The shared motion keys (j/k, g/G, PgUp/PgDn, Ctrl-d/Ctrl-u, Home/End) over `len`
    /// rows shown `visible` at a time; false when `action` is not a motion.
    pub fn motion(&mut self, action: Action, len: usize, visible: usize) -> bool {
        let page = visible.max(1) as isize;
        match action {
            Action::Down => self.step(1, len, visible),
            Action::Up => self.step(-1, len, visible),
            Action::PageDown => self.step(page, len, visible),
            Action::PageUp => self.step(-page, len, visible),
            Action::Top => self.first(),
            Action::Bottom => self.last(len, visible),
            _ => return false,
        }
        true
    }

    pub fn first(&mut self) {
        *self = ListCursor::default();
    }

    pub fn last(&mut self, len: usize, visible: usize) {
        self.selected = len.saturating_sub(1);
        self.follow(visible);
    }

    /// Selects the row drawn at `row` (0 = first visible row), if there is one.
    pub fn click(&mut self, row: usize, len: usize) -> bool {
        let index = self.offset + row;
        if index < len {
            self.selected = index;
            true
        } else {
            false
        }
    }

    /// Keeps the selection visible and within bounds after the list changed.
    pub fn clamp(&mut self, len: usize, visible: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
        self.follow(visible);
    }

    fn follow(&mut self, visible: usize) {
        let visible = visible.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + visible {
            self.offset = self.selected + 1 - visible;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_ignores_case_and_accents() {
        assert!(matches("Zoë Okafor", "zoe"));
        assert!(matches("ZOË", "Zoë"));
        assert!(matches("Ａｎａ", "ana"));
        assert!(!matches("Zoë", "zoey"));
        assert!(matches("anything", ""));
    }

    #[test]
    fn scrolling_keeps_the_selection_on_screen() {
        let mut cursor = ListCursor::default();
        cursor.step(12, 100, 10);
        assert_eq!((cursor.selected, cursor.offset), (12, 3));
        cursor.step(-20, 100, 10);
        assert_eq!((cursor.selected, cursor.offset), (0, 0));
        cursor.last(100, 10);
        assert_eq!((cursor.selected, cursor.offset), (99, 90));
        assert!(cursor.click(2, 100));
        assert_eq!(cursor.selected, 92);
        assert!(!cursor.click(20, 100));
    }
}
