//! The identifier alphabet: the ids of issues, parties, blocs, meetings,
//! threats and events are ASCII letters, digits, `_` and `-`, not beginning
//! with `-`, so that they are safe in CSV cells, `;`-joined lists, `--set`
//! paths and on a terminal. A leading `-` would make an id read as a flag
//! (`negsim play S --as -a`) and a spreadsheet formula (so the CSV files
//! would have to write it `'-a`, no longer the id).

use super::validate::Problem;
use super::ScenarioFile;
use crate::output::terminal_safe;

/// Whether `id` is a valid identifier.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Whether readers of the output files would take `id` for something other
/// than text: a number (`1`, `2e3`, `inf`, `nan`), a boolean (`true`, `F`)
/// or a missing value (`NA`, `null`, `None`), or negsim's own `none`, which
/// the output files write where no id applies. Such an id would turn its
/// column into numbers, booleans or gaps in pandas, polars or readr.
pub fn is_reserved_id(id: &str) -> bool {
    const WORDS: [&str; 8] = ["none", "na", "nan", "null", "true", "false", "t", "f"];
    id.parse::<f64>().is_ok() || WORDS.iter().any(|w| id.eq_ignore_ascii_case(w))
}

/// A likely valid spelling of a bad id: each run of other characters as `_`.
fn fixed(id: &str) -> String {
    let mut out = String::new();
    for c in id.chars() {
        if c.is_ascii_alphanumeric() || c == '-' {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let t = out.trim_matches('_').trim_start_matches(['-', '_']);
    if t.is_empty() {
        "id_1".into()
    } else {
        t.to_string()
    }
}

/// A problem for every id outside the alphabet.
pub fn check(s: &ScenarioFile) -> Vec<Problem> {
    let tables: [(&str, Vec<&String>); 7] = [
        ("issues", s.issues.keys().collect()),
        ("parties", s.parties.keys().collect()),
        ("blocs", s.blocs.keys().collect()),
        ("meetings", s.meetings.keys().collect()),
        ("threats", s.threats.keys().collect()),
        ("events", s.events.keys().collect()),
        ("conflicts", s.conflicts.keys().collect()),
    ];
    let mut out = Vec::new();
    for (table, ids) in tables {
        for id in ids {
            if is_valid_id(id) && is_reserved_id(id) {
                out.push(Problem {
                    path: format!("{table}.{id}"),
                    message: format!(
                        "the id `{id}` would be read as a number, a boolean or a missing value \
                         by pandas, polars and R in the output files (and `none` marks cells \
                         where no id applies): rename it, e.g. `{id}_1` or `id_{id}`"
                    ),
                    suggestion: None,
                });
                continue;
            }
            if is_valid_id(id) {
                continue;
            }
            let shown = terminal_safe(id);
            if let Some(rest) = id.strip_prefix('-').filter(|r| is_valid_id(r)) {
                out.push(Problem {
                    path: format!("{table}.{id}"),
                    message: format!(
                        "the id `{shown}` begins with `-`: on the command line it would read \
                         as a flag (`--as {shown}`), and in a spreadsheet as a formula, so the \
                         CSV files would have to write it `'{shown}`; ids begin with a letter, \
                         a digit or `_`: rename it, e.g. `{}`",
                        if is_reserved_id(rest) {
                            format!("id_{rest}")
                        } else {
                            rest.to_string()
                        }
                    ),
                    suggestion: None,
                });
                continue;
            }
            let what = match id
                .chars()
                .find(|&c| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            {
                Some(c) => format!("`{}`", terminal_safe(&c.to_string())),
                None => "nothing".into(),
            };
            out.push(Problem {
                path: format!("{table}.{id}"),
                message: format!(
                    "the id `{shown}` has {what} in it; ids are ASCII letters, digits, `_` and `-` \
                     (they appear in CSV files and --set paths): rename it, e.g. `{}`",
                    fixed(id)
                ),
                suggestion: None,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_alphabet() {
        for ok in ["russia", "nato_allies", "a-1", "X9", "_x", "x-"] {
            assert!(is_valid_id(ok), "{ok}");
        }
        for bad in [
            "",
            "a b",
            "a;b",
            "a.b",
            "=1+2",
            "a\nb",
            "\u{1b}]0;x",
            "Genève",
            "a,b",
            "-x",
            "--help",
        ] {
            assert!(!is_valid_id(bad), "{bad:?}");
        }
        assert_eq!(fixed("t;a,b;=1+2"), "t_a_b_1_2");
        for reserved in [
            "none", "NA", "null", "True", "F", "1", "2e3", "inf", "NaN", "-1",
        ] {
            assert!(is_reserved_id(reserved), "{reserved}");
        }
        for fine in ["us", "a1", "nato", "t1", "e3x", "none_of_it"] {
            assert!(!is_reserved_id(fine), "{fine}");
        }
        assert_eq!(fixed(";;"), "id_1");
    }
}
