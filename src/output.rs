//! Output writers: the runs and events CSV formats, the summary statistics
//! and atomic files that never leave a partial file under the target name.

mod atomic;
mod events;
mod paths;
mod runs;
mod summary;
mod text;

pub use atomic::{is_special, AtomicFile, Destination};
pub use events::EventsFormat;
pub use paths::refuse_clobber;
pub use runs::RunsFormat;
pub use summary::{wilson_interval, OutcomeStats, Summary};
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

/// Formats a float with the shortest text that reads back to the same value.
pub(crate) fn push_f64(out: &mut Vec<u8>, x: f64) {
    // Whole numbers (a quarter of an events file) skip the float formatter;
    // the text is the same as the shortest round-trip form below.
    if x.fract() == 0.0 && x.abs() < 1e15 && !(x == 0.0 && x.is_sign_negative()) {
        push_int(out, x as i64);
        return;
    }
    if x.is_finite() {
        let mut b = ryu::Buffer::new();
        let s = b.format_finite(x);
        out.extend_from_slice(s.strip_suffix(".0").unwrap_or(s).as_bytes());
    } else {
        out.extend_from_slice(b"NaN");
    }
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
            let s = b.format_finite(x);
            let slow = s.strip_suffix(".0").unwrap_or(s);
            assert_eq!(String::from_utf8(fast).unwrap(), slow, "{x}");
        }
    }

    #[test]
    fn floats_round_trip_and_drop_trailing_zero() {
        let mut v = Vec::new();
        push_f64(&mut v, 0.1);
        v.push(b' ');
        push_f64(&mut v, 2.0);
        v.push(b' ');
        push_f64(&mut v, 1.0 / 3.0);
        assert_eq!(String::from_utf8(v).unwrap(), "0.1 2 0.3333333333333333");
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
