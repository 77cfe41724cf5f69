//! What every screen draws with besides its own state: the theme, the day, the
//! spinner's tick and whether the database is open. Screens never see the whole app.

use chrono::NaiveDate;

use super::theme::Theme;

/// The small context a screen's render gets beside its own state.
#[derive(Debug, Clone, Copy)]
pub struct Ui<'a> {
    pub theme: &'a Theme,
    /// Today, as the clock says.
    pub today: NaiveDate,
    /// The day a registration made today starts.
    pub start_date: NaiveDate,
    /// Advances while something runs, for the spinner.
    pub tick: usize,
    /// The database is open.
    pub ready: bool,
}
