//! A new file in a folder, never one that is there already: exports go next to earlier
//! ones (`roster-monday.csv`, `roster-monday-2.csv`, …) and never replace them.

use std::fs::{File, OpenOptions};
use std::io::{Error, ErrorKind};
use std::path::{Path, PathBuf};

/// Names tried before giving up: a folder with this many exports of one name wants
/// tidying, not a longer search.
const TRIES: u32 = 1_000;

/// Creates `dir` (and its parents) when missing, then a new file in it: `stem.ext`, else
/// `stem-2.ext`, `stem-3.ext`, … — whichever is free first, created in the same step as
/// the check, so two writers never get the same file. `stem` is one file name without
/// its extension (no folder in it); `ext` has no dot.
pub fn create_new(dir: &Path, stem: &str, ext: &str) -> std::io::Result<(PathBuf, File)> {
    let bad = |part: &str| part.is_empty() || part == ".." || part.contains(['/', '\\', '\0']);
    if bad(stem) || ext.contains(['/', '\\', '\0', '.']) {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!("{stem:?}.{ext:?} is not a file name"),
        ));
    }
    std::fs::create_dir_all(dir)?;
    let dot = if ext.is_empty() { "" } else { "." };
    for n in 1..=TRIES {
        let name = if n == 1 {
            format!("{stem}{dot}{ext}")
        } else {
            format!("{stem}-{n}{dot}{ext}")
        };
        let path = dir.join(name);
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(Error::new(
        ErrorKind::AlreadyExists,
        format!(
            "{} already holds {TRIES} files named {stem}; move some away and try again",
            dir.display()
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn the_folder_is_made_and_nothing_is_overwritten() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("exports").join("today");
        let (first, mut file) = create_new(&dir, "roster-monday", "csv").unwrap();
        file.write_all(b"first").unwrap();
        let (second, _) = create_new(&dir, "roster-monday", "csv").unwrap();
        let (third, _) = create_new(&dir, "roster-monday", "csv").unwrap();
        assert_eq!(first, dir.join("roster-monday.csv"));
        assert_eq!(second, dir.join("roster-monday-2.csv"));
        assert_eq!(third, dir.join("roster-monday-3.csv"));
        assert_eq!(std::fs::read_to_string(&first).unwrap(), "first");
    }

    #[test]
    fn a_stem_that_names_a_folder_is_refused() {
        let root = tempfile::tempdir().unwrap();
        for stem in ["", "..", "a/b", "a\\b"] {
            let e = create_new(root.path(), stem, "csv").unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{stem}");
        }
        assert!(create_new(root.path(), "a", "c/sv").is_err());
    }
}
