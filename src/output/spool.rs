//! The events spool: a task's events rows, formatted as its runs record
//! them (through the model's [`TraceSink`]), kept in memory up to
//! [`EventsSpool::MEMORY`] and in an anonymous temporary file beyond, so
//! that memory stays flat however many rows a run has, and handed to the
//! sink in order when the task is delivered.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::{Arc, Mutex, PoisonError};

use super::push_int;
use super::EventsFormat;
use crate::error::{Error, Result};
use crate::model::trace::{TraceRow, TraceSink};

/// Formatted events rows of a range of runs, kept in memory up to
/// [`EventsSpool::MEMORY`] bytes and in an anonymous temporary file beyond.
#[derive(Debug)]
pub struct EventsSpool {
    fmt: EventsFormat,
    prefix: Vec<u8>,
    /// The prefix and the `run` cell with its comma, which every row of the
    /// run starts with.
    lead: Vec<u8>,
    seq: u64,
    buf: Vec<u8>,
    spill: Option<File>,
    /// Bytes written to `spill`.
    spilled: u64,
    error: Option<std::io::Error>,
}

impl EventsSpool {
    /// Bytes kept in memory before rows go to the temporary file.
    pub const MEMORY: usize = 1 << 20;

    /// A spool for rows of `fmt`, each starting with `prefix`.
    pub fn new(fmt: EventsFormat, prefix: Vec<u8>) -> Self {
        EventsSpool {
            lead: [&prefix[..], b"0,"].concat(),
            fmt,
            prefix,
            seq: 0,
            // Room for all it keeps before spilling (and a row beyond), so
            // it never copies its rows to grow: untouched capacity costs no
            // memory.
            buf: Vec::with_capacity(Self::MEMORY + (1 << 16)),
            spill: None,
            spilled: 0,
            error: None,
        }
    }

    /// The rows that follow belong to run `run`.
    pub fn begin_run(&mut self, run: u64) {
        self.lead.clear();
        self.lead.extend_from_slice(&self.prefix);
        push_int(&mut self.lead, run);
        self.lead.push(b',');
        self.seq = 0;
    }

    fn push(&mut self, row: &TraceRow, offer: Option<&[f64]>) {
        self.buf.extend_from_slice(&self.lead);
        self.fmt.row_after_run(self.seq, row, offer, &mut self.buf);
        self.seq += 1;
        if self.buf.len() >= Self::MEMORY {
            self.spill_buf();
        }
    }

    fn spill_buf(&mut self) {
        if self.error.is_some() {
            self.buf.clear();
            return;
        }
        let file = match &mut self.spill {
            Some(f) => f,
            None => match tempfile::tempfile() {
                Ok(f) => self.spill.insert(f),
                Err(e) => {
                    self.error = Some(e);
                    self.buf.clear();
                    return;
                }
            },
        };
        match file.write_all(&self.buf) {
            Ok(()) => self.spilled += self.buf.len() as u64,
            Err(e) => self.error = Some(e),
        }
        self.buf.clear();
    }

    /// Bytes of rows held, in memory and in the temporary file.
    pub fn bytes(&self) -> u64 {
        self.spilled + self.buf.len() as u64
    }

    /// Whether rows went to the temporary file.
    pub fn spilled(&self) -> bool {
        self.spill.is_some()
    }

    /// Hands every row, in order, to `write`, and empties the spool.
    pub fn drain(&mut self, mut write: impl FnMut(&[u8]) -> Result<()>) -> Result<()> {
        if let Some(e) = self.error.take() {
            return Err(Error::io("a temporary file for the events rows", e));
        }
        self.spilled = 0;
        if let Some(mut f) = self.spill.take() {
            let io = |e| Error::io("a temporary file for the events rows", e);
            f.seek(SeekFrom::Start(0)).map_err(io)?;
            let mut chunk = vec![0u8; 1 << 16];
            loop {
                let n = f.read(&mut chunk).map_err(io)?;
                if n == 0 {
                    break;
                }
                write(&chunk[..n])?;
            }
        }
        if !self.buf.is_empty() {
            write(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }
}

/// A [`TraceSink`] that formats into a shared [`EventsSpool`].
#[derive(Debug, Clone)]
pub struct SpoolRecorder(pub Arc<Mutex<EventsSpool>>);

impl TraceSink for SpoolRecorder {
    fn record(&mut self, row: &TraceRow, offer: Option<&[f64]>) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(row, offer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Model, Runner};
    use crate::scenario::ScenarioSource;

    #[test]
    fn spooled_rows_equal_the_buffered_trace_and_spill_to_a_file() {
        let src = ScenarioSource::from_path("scenarios/textbook/nash.toml", &[]).unwrap();
        let model = Model::compile(&src.scenario);
        let fmt = EventsFormat::new(&model);
        let mut runner = Runner::new(&model, 5);
        runner.set_trace(true);
        let mut expected = Vec::new();
        for r in 0..40 {
            runner.run(r).unwrap();
            fmt.rows(b"", r, runner.trace(), &mut expected);
        }
        let spool = Arc::new(Mutex::new(EventsSpool::new(fmt.clone(), Vec::new())));
        let mut runner = Runner::new(&model, 5);
        runner.set_trace_sink(Some(Box::new(SpoolRecorder(Arc::clone(&spool)))));
        for r in 0..40 {
            spool.lock().unwrap().begin_run(r);
            runner.run(r).unwrap();
            assert!(runner.trace().rows.is_empty(), "rows go to the recorder");
        }
        let mut got = Vec::new();
        let mut s = spool.lock().unwrap();
        assert_eq!(s.spilled(), expected.len() >= EventsSpool::MEMORY);
        assert_eq!(s.bytes(), expected.len() as u64);
        s.drain(|b| {
            got.extend_from_slice(b);
            Ok(())
        })
        .unwrap();
        assert_eq!(got, expected);
        // Small runs stay in memory; force a spill to check the file path.
        s.begin_run(0);
        s.buf.extend_from_slice(b"abc\n");
        s.spill_buf();
        s.buf.extend_from_slice(b"def\n");
        assert!(s.spilled());
        assert_eq!(s.bytes(), 8);
        let mut back = Vec::new();
        s.drain(|b| {
            back.extend_from_slice(b);
            Ok(())
        })
        .unwrap();
        assert_eq!(back, b"abc\ndef\n");
    }
}
