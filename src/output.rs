//! Output writers: the runs and events CSV formats, the summary statistics
//! and atomic files that never leave a partial file under the target name.
//! [`columns`] is the contract they keep: each file's columns, their types,
//! units and meanings (`docs/outputs.md`), and the schema written beside
//! each CSV.

mod atomic;
pub mod columns;
mod events;
mod numbers;
pub mod parquet;
mod paths;
mod runs;
mod spool;
mod summary;
mod table;
mod text;

pub use atomic::{is_special, AtomicFile, Destination};
pub use columns::{schema_path, write_schema};
pub use events::EventsFormat;
pub use paths::refuse_clobber;
pub use runs::RunsFormat;
pub use spool::{EventsSpool, SpoolRecorder};
pub use summary::{wilson_interval, OutcomeStats, Summary};
pub use table::{FileFormat, TableWriter};
pub(crate) use text::write_text;
pub use text::{is_formula_like, terminal_safe, terminal_safe_lines};

/// Appends one CSV record (fields already as text) to `out`, quoting as needed.
pub(crate) fn write_record<'a>(out: &mut Vec<u8>, fields: impl IntoIterator<Item = &'a [u8]>) {
    let mut first = true;
    for f in fields {
        if !first {
            out.push(b',');
        }
        first = false;
        write_field(out, f);
    }
    out.push(b'\n');
}

/// Appends one CSV field, quoted when it holds a comma, quote or line break.
pub(crate) fn write_field(out: &mut Vec<u8>, f: &[u8]) {
    if f.iter().any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push(b'"');
        for &b in f {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(f);
    }
}

/// Formats a float with the shortest text that reads back to the same value,
/// always as a float: `1.0`, never `1`, so that readers which guess a
/// column's type from its first rows (pandas, polars, readr) never take a
/// float column for an integer one. NaN is `NaN`, infinities `inf` and
/// `-inf`, which all three read as floats.
pub(crate) fn push_f64(out: &mut Vec<u8>, x: f64) {
    // False for NaN and the infinities.
    if x.abs() < 1e15 {
        // Whole numbers (a quarter of an events file) skip the float
        // formatter; the text is the same as the shortest round-trip form
        // below. (`x as i64` truncates in one instruction where `fract`
        // calls `trunc`; it is exact here.)
        let whole = x as i64;
        if whole as f64 == x && !(x == 0.0 && x.is_sign_negative()) {
            push_int(out, whole);
            out.extend_from_slice(b".0");
        } else {
            // Żmij (zmij) gives the same shortest round-trip digits as Ryū,
            // in about half the instructions; below 1e15 it writes no
            // positive exponent (it writes decimal exponents -5 to 15 in
            // full), so the text is Ryū's as it is.
            out.extend_from_slice(zmij::Buffer::new().format_finite(x).as_bytes());
        }
    } else if x.is_finite() {
        // Żmij writes a positive exponent as `e+N` where Ryū writes `eN`;
        // the `+` is dropped so the text stays the same
        // (`floats_are_written_as_ryu_writes_them` checks it).
        let mut b = zmij::Buffer::new();
        let s = b.format_finite(x).as_bytes();
        // The exponent's sign sits two to four bytes from the end (`e+N`
        // to `e+NNN`); nothing else is ever `+`.
        let tail = s.len().saturating_sub(4)..s.len().saturating_sub(1);
        match tail.rev().find(|&j| s[j] == b'+') {
            Some(plus) => {
                out.extend_from_slice(&s[..plus]);
                out.extend_from_slice(&s[plus + 1..]);
            }
            None => out.extend_from_slice(s),
        }
    } else if x.is_nan() {
        out.extend_from_slice(b"NaN");
    } else if x > 0.0 {
        out.extend_from_slice(b"inf");
    } else {
        out.extend_from_slice(b"-inf");
    }
}

/// Formats a boolean as `TRUE` or `FALSE`, which pandas, polars, pyarrow,
/// readr and base R's `read.csv` all read as booleans (base R reads
/// `true` and `false` as text).
pub(crate) fn push_bool(out: &mut Vec<u8>, x: bool) {
    out.extend_from_slice(if x { b"TRUE" } else { b"FALSE" });
}

/// Formats an integer.
pub(crate) fn push_int<I: itoa::Integer>(out: &mut Vec<u8>, x: I) {
    let mut b = itoa::Buffer::new();
    out.extend_from_slice(b.format(x).as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_print_as_the_float_formatter_would() {
        for x in [
            0.0,
            -0.0,
            1.0,
            -3.0,
            24.0,
            1e14,
            123_456_789.0,
            0.5,
            1e15,
            1e16,
        ] {
            let mut fast = Vec::new();
            push_f64(&mut fast, x);
            let mut b = ryu::Buffer::new();
            let slow = b.format_finite(x);
            assert_eq!(String::from_utf8(fast).unwrap(), slow, "{x}");
        }
    }

    /// Every finite double, drawn as raw bits and as values of the ranges
    /// outputs hold, is written exactly as Ryū's shortest round-trip form.
    #[test]
    fn floats_are_written_as_ryu_writes_them() {
        use rand::{Rng, SeedableRng};
        let mut g = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let mut b = ryu::Buffer::new();
        let mut fast = Vec::new();
        for i in 0..400_000u32 {
            let x = match i % 4 {
                0 => f64::from_bits(g.random::<u64>()),
                1 => g.random::<f64>(),
                2 => (g.random::<f64>() - 0.5) * 10f64.powi(g.random_range(-30..30)),
                _ => f64::from(g.random_range(0..100_000)) / 10f64.powi(g.random_range(0..8)),
            };
            if !x.is_finite() {
                continue;
            }
            fast.clear();
            push_f64(&mut fast, x);
            assert_eq!(
                std::str::from_utf8(&fast).unwrap(),
                b.format_finite(x),
                "{x:e}"
            );
        }
    }

    #[test]
    fn floats_are_always_written_as_floats() {
        let mut v = Vec::new();
        for x in [0.1, 2.0, 1.0 / 3.0, 0.0, f64::NAN, f64::INFINITY, -1e300] {
            push_f64(&mut v, x);
            v.push(b' ');
        }
        assert_eq!(
            String::from_utf8(v).unwrap(),
            "0.1 2.0 0.3333333333333333 0.0 NaN inf -1e300 "
        );
        for text in ["0.1", "2.0", "0.0", "-1e300", "1e16"] {
            let x: f64 = text.parse().unwrap();
            let mut back = Vec::new();
            push_f64(&mut back, x);
            assert_eq!(back, text.as_bytes(), "round trip");
        }
    }

    #[test]
    fn quotes_only_when_needed() {
        let mut v = Vec::new();
        write_record(&mut v, [&b"a"[..], b"b,c", b"say \"hi\""]);
        assert_eq!(
            String::from_utf8(v).unwrap(),
            "a,\"b,c\",\"say \"\"hi\"\"\"\n"
        );
    }
}
