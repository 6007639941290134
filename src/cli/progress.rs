//! The progress bar of a batch or a sweep, on standard error.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use clap::ValueEnum;

/// When the progress bar shows (only ever on a terminal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ProgressMode {
    /// Once a batch has taken half a second.
    #[default]
    Auto,
    /// From the first run.
    Always,
    /// Never.
    Never,
}

/// A progress bar on stderr, shown only on a terminal and only once a batch
/// has taken longer than a moment.
pub struct Progress {
    /// The bar (shared with the sweep table, which prints around it).
    pub(super) bar: indicatif::ProgressBar,
    started: Instant,
    delay: Duration,
    shown: bool,
    tty: bool,
}

impl Progress {
    /// For a batch of `total` runs, shown as `mode` says.
    pub fn with_mode(total: u64, mode: ProgressMode) -> Self {
        let mut p = Progress::new(total);
        match mode {
            ProgressMode::Auto => {}
            ProgressMode::Always => p.delay = Duration::ZERO,
            ProgressMode::Never => p.tty = false,
        }
        p
    }

    /// For a batch of `total` runs.
    pub fn new(total: u64) -> Self {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total),
            indicatif::ProgressDrawTarget::hidden(),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:40} {human_pos}/{human_len} runs  {msg}  eta {eta}",
        ) {
            bar.set_style(style);
        }
        Progress {
            bar,
            started: Instant::now(),
            delay: Duration::from_millis(500),
            shown: false,
            tty: std::io::stderr().is_terminal(),
        }
    }

    /// Updates the count.
    pub fn set(&mut self, done: u64) {
        if self.tty && !self.shown && self.started.elapsed() >= self.delay {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
            self.shown = true;
        }
        self.bar.set_position(done);
        if self.shown {
            let rate = done as f64 / self.started.elapsed().as_secs_f64().max(1e-9);
            self.bar.set_message(format!("{rate:.0} runs/s"));
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if self.shown {
            self.bar.finish_and_clear();
        }
    }
}
