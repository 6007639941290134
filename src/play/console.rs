//! The student's terminal: lines in (a terminal, a file or a pipe), text
//! out, and what happens at the table told as it happens (a trace sink).

use std::io::{BufRead, Write};
use std::sync::{Arc, Mutex};

use crate::model::{Model, TraceKind, TraceRow, TraceSink};
use crate::narrate::{Detail, Narrator};
use crate::output::{terminal_safe, terminal_safe_lines};

/// The student's side of the table: input, output, and what the live
/// narration has seen that the prompts need.
pub struct Console {
    input: Box<dyn BufRead + Send>,
    out: Box<dyn Write + Send>,
    /// Echo each line read (a script's moves, so that a transcript reads
    /// as a session would).
    echo: bool,
    error: Option<std::io::Error>,
    /// Input has ended.
    pub ended: bool,
    /// The meeting in progress and the day it opened.
    pub meeting: Option<(usize, f64)>,
    /// Each party's latest offer at the meeting in progress.
    pub latest: Vec<(Option<usize>, Vec<f64>)>,
    /// The student was asked to answer the offer just made.
    pub asked: bool,
    /// The student leaves at the end of this round (cleared when a
    /// meeting opens).
    pub walk: bool,
    /// The war started, if one was: (initiator, conflict).
    pub war: Option<(usize, usize)>,
}

impl std::fmt::Debug for Console {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Console")
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

impl Console {
    /// A console reading `input` and writing `out`; `echo` repeats each
    /// line read after its prompt.
    pub fn new(input: Box<dyn BufRead + Send>, out: Box<dyn Write + Send>, echo: bool) -> Self {
        Console {
            input,
            out,
            echo,
            error: None,
            ended: false,
            meeting: None,
            latest: Vec::new(),
            asked: false,
            walk: false,
            war: None,
        }
    }

    /// Writes text (control characters from names escaped).
    pub fn say(&mut self, text: &str) {
        if self.error.is_some() {
            return;
        }
        let safe = terminal_safe_lines(text);
        if let Err(e) = self.out.write_all(safe.as_bytes()) {
            self.error = Some(e);
        }
    }

    /// Shows `prompt` and reads a line; `None` at the end of the input.
    pub fn ask(&mut self, prompt: &str) -> Option<String> {
        if self.ended {
            return None;
        }
        self.say(prompt);
        if let Err(e) = self.out.flush() {
            self.error.get_or_insert(e);
        }
        let mut line = String::new();
        match self.input.read_line(&mut line) {
            Ok(0) | Err(_) => {
                self.ended = true;
                if self.echo {
                    self.say("\n");
                }
                None
            }
            Ok(_) => {
                let line = line.trim_end_matches(['\n', '\r']).to_string();
                if self.echo {
                    self.say(&format!("{line}\n"));
                }
                Some(line)
            }
        }
    }

    /// Flushes; the first write error, if any.
    pub fn finish(&mut self) -> std::io::Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.out.flush()
    }
}

/// Tells the run as it happens, and keeps the console's view of the table.
pub struct Live {
    console: Arc<Mutex<Console>>,
    narrator: Narrator,
    party: usize,
}

impl Live {
    /// Live narration for a student playing `party` of `model`.
    pub fn new(console: Arc<Mutex<Console>>, model: Arc<Model>, party: usize) -> Self {
        Live {
            console,
            narrator: Narrator::new(model, Detail::Full),
            party,
        }
    }
}

impl TraceSink for Live {
    fn record(&mut self, row: &TraceRow, offer: Option<&[f64]>) {
        let Ok(mut c) = self.console.lock() else {
            return;
        };
        match row.kind {
            TraceKind::MeetingStart => {
                c.meeting = row.meeting.map(|m| (m, row.day));
                c.latest.clear();
                c.walk = false;
            }
            TraceKind::Escalation => c.war = row.party.zip(row.subject),
            TraceKind::Offer => {
                if let Some(x) = offer {
                    match c.latest.iter_mut().find(|(p, _)| *p == row.party) {
                        Some(e) => e.1 = x.to_vec(),
                        None => c.latest.push((row.party, x.to_vec())),
                    }
                }
            }
            _ => {}
        }
        let Some(mut line) = self.narrator.line(row, offer) else {
            return;
        };
        let mine = row.party == Some(self.party);
        if mine && matches!(row.kind, TraceKind::Accept | TraceKind::Reject) {
            if !c.asked && !c.ended {
                line.push_str(
                    "  [for you: it crosses one of your red lines or is worth less than your \
                     value of no deal]",
                );
            }
            c.asked = false;
        }
        if mine && row.kind == TraceKind::Decision && !c.ended {
            line.push_str("  [the model decides war and peace for you]");
        }
        // One line of the narration: names in it cannot break it.
        c.say(&format!("{}\n", terminal_safe(&line)));
    }
}
