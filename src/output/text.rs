//! Text that is safe to show: free text from a scenario (names, labels, a
//! file name, a misspelt id quoted in an error) with its control characters
//! escaped before it reaches a terminal, and CSV cells that a spreadsheet
//! would run as a formula neutralised.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal as it is: a control character (the
/// escape that starts a terminal sequence, a bell, a carriage return, a line
/// break…) or a bidirectional override that reorders what is shown.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every control character (line breaks included) and
/// bidirectional override written as a visible escape (`\u{1b}`, `\n`), for
/// one-line display on a terminal.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// [`terminal_safe`], but line breaks are kept: for whole messages whose
/// lines negsim made.
pub fn terminal_safe_lines(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

fn escape(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    let bad = |c: char| is_unsafe(c) && !(keep_newlines && c == '\n');
    if !text.chars().any(bad) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if bad(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether a spreadsheet would read a text cell as a formula: it starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return (OWASP, "CSV Injection").
pub fn is_formula_like(cell: &[u8]) -> bool {
    matches!(
        cell.first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// Appends a text cell; with `guard`, one that [`is_formula_like`] gets a
/// leading `'`, which spreadsheets show as text and do not run.
pub(crate) fn write_text(out: &mut Vec<u8>, cell: &[u8], guard: bool) {
    if guard && is_formula_like(cell) {
        let mut guarded = Vec::with_capacity(cell.len() + 1);
        guarded.push(b'\'');
        guarded.extend_from_slice(cell);
        super::write_field(out, &guarded);
    } else {
        super::write_field(out, cell);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_a_terminal_would_act_on() {
        assert!(matches!(terminal_safe("plain name"), Cow::Borrowed(_)));
        assert_eq!(
            terminal_safe("a\u{1b}]0;pwned\u{7}b\nc\r"),
            "a\\u{1b}]0;pwned\\u{7}b\\nc\\r"
        );
        assert_eq!(terminal_safe("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(
            terminal_safe_lines("one\ntwo\u{1b}[2J"),
            "one\ntwo\\u{1b}[2J"
        );
        assert_eq!(terminal_safe("Genève – ОБСЕ"), "Genève – ОБСЕ");
    }

    #[test]
    fn formula_cells_are_neutralised_unless_raw() {
        for cell in ["=cmd|' /C calc'!A0", "+1", "-x", "@SUM(A1)", "\tx", "\rx"] {
            let mut v = Vec::new();
            write_text(&mut v, cell.as_bytes(), true);
            let text = String::from_utf8_lossy(&v);
            assert!(
                text.trim_start_matches('"').starts_with('\''),
                "{cell}: {text}"
            );
            let mut raw = Vec::new();
            write_text(&mut raw, cell.as_bytes(), false);
            let text = String::from_utf8_lossy(&raw);
            assert!(
                !text.trim_start_matches('"').starts_with('\''),
                "{cell}: {text}"
            );
        }
        let mut v = Vec::new();
        write_text(&mut v, b"us_sanctions;eu_sanctions", true);
        assert_eq!(v, b"us_sanctions;eu_sanctions");
    }
}
