//! CSV cells that a spreadsheet cannot take for a formula. A cell starting with `=`, `+`, `-`,
//! `@`, a tab or a carriage return is run as a formula by Excel, LibreOffice and Google Sheets
//! ("CSV injection"): an action item titled `=HYPERLINK("http://evil", "click")` would become a
//! live link in a leader's spreadsheet. Such a cell is written with a `'` in front, which the
//! spreadsheets show as text; Debrief's own CSV readers take that `'` off again, so an export
//! imports back exactly.
//!
//! The rule is a bijection: a cell is prefixed when it starts with a formula character, or
//! with a `'` followed by a formula character or another `'`; a cell read back loses its first
//! `'` only when what follows starts the same way.

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula.
fn formula_start(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// Whether `s` starts with a formula character, or with `'` and then a formula character or
/// another `'` (the cases a reader would otherwise take the `'` off).
fn needs_quote(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if formula_start(c) => true,
        Some('\'') => chars.next().is_some_and(|c| c == '\'' || formula_start(c)),
        _ => false,
    }
}

/// The cell as written: `'` in front when a spreadsheet would run it as a formula.
pub fn inert(cell: &str) -> Cow<'_, str> {
    if needs_quote(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A cell as read back: the `'` that [`inert`] put in front taken off.
pub fn read(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_quote(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formulas_become_text_and_come_back() {
        for (cell, written) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1 555", "'+1 555"),
            ("-5", "'-5"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tindented", "'\tindented"),
            ("'=already quoted", "''=already quoted"),
            ("'hello'", "'hello'"),
            ("plain", "plain"),
            ("", ""),
        ] {
            assert_eq!(inert(cell), written, "{cell:?}");
            assert_eq!(read(written), cell, "{written:?}");
        }
    }

    proptest! {
        #[test]
        fn every_cell_round_trips_and_none_starts_a_formula(cell in "\\PC*|[=+@'\\t-][\\PC']{0,8}") {
            let written = inert(&cell);
            prop_assert_eq!(read(&written), cell.as_str());
            prop_assert!(!written.chars().next().is_some_and(formula_start));
        }
    }
}
