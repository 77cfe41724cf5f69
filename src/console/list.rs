//! A selection in a scrolling list: which row is chosen and which row is at the top,
//! kept in the app state so clicks land on the row that is drawn.

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
