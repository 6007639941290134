//! A person at the table, as a [`Tactic`]: at each move the student sees the
//! offers on the table with their labels and their utility to them, their
//! value of no deal and the time left, and types an offer (or an aim),
//! accepts, rejects or walks out. The party's own tactic from the scenario
//! rides along (it sees every move, so it can give hints, and takes over
//! when the input ends).

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use super::console::Console;
use super::moves::{parse, Move, HELP};
use crate::model::tactic::When;
use crate::model::{Model, Tactic, Turn};
use crate::narrate::{date_of, label_of};
use crate::output::terminal_safe;

/// The student's tactic.
#[derive(Debug)]
pub struct Human {
    console: Arc<Mutex<Console>>,
    model: Arc<Model>,
    party: usize,
    /// The scenario's tactic for the party: hints, and the rest of the run
    /// once the input has ended.
    own: Box<dyn Tactic>,
    /// An aim typed with `aim U`, for the move in progress.
    aim: Option<f64>,
    /// The input has ended: the model plays from here.
    auto: bool,
}

impl Human {
    /// The student playing `party` of `model` at `console`; `own` is the
    /// party's tactic from the scenario.
    pub fn new(
        console: Arc<Mutex<Console>>,
        model: Arc<Model>,
        party: usize,
        own: Box<dyn Tactic>,
    ) -> Self {
        Human {
            console,
            model,
            party,
            own,
            aim: None,
            auto: false,
        }
    }

    /// `x` on the agenda, each value with its label.
    fn offer_text(&self, turn: &Turn<'_>, x: &[f64]) -> String {
        turn.agenda()
            .iter()
            .map(|&i| {
                let issue = &self.model.issues[i];
                match label_of(issue, x[i]) {
                    Some(l) => format!("{}={:.2} ({})", issue.id, x[i], terminal_safe(&l)),
                    None => format!("{}={:.2}", issue.id, x[i]),
                }
            })
            .collect::<Vec<_>>()
            .join("\n      ")
    }

    /// The table as the student sees it at a move.
    fn table(&self, turn: &Turn<'_>, c: &Console, answering: bool) -> String {
        let m = &self.model;
        let mut s = String::new();
        if let Some((k, day)) = c.meeting {
            let meeting = &m.meetings[k];
            let round = match (meeting.rounds, turn.rounds_left) {
                (Some(r), Some(left)) => format!("round {} of {r}", r - left + 1),
                _ => "an open-ended meeting".to_string(),
            };
            let _ = writeln!(
                s,
                "\n-- {} ({}), {round}; the talks run to {} ({:.0} days from now) --",
                meeting.id,
                date_of(m, day),
                date_of(m, m.horizon),
                (m.horizon - day).max(0.0)
            );
        }
        for (p, x) in &c.latest {
            if *p == Some(self.party) {
                continue;
            }
            let who = p.map_or("the table's text".to_string(), |p| {
                format!("{}'s offer", m.parties[p].id)
            });
            let _ = writeln!(
                s,
                "  {who}, worth {:.3} to you:\n      {}",
                turn.own_utility_of(x),
                self.offer_text(turn, x)
            );
        }
        if let Some(x) = turn.standing_offer() {
            if c.latest.is_empty() {
                let _ = writeln!(
                    s,
                    "  on the table, worth {:.3} to you:\n      {}",
                    turn.own_utility_of(x),
                    self.offer_text(turn, x)
                );
            }
        }
        if let Some(x) = turn.own_last_offer() {
            let _ = writeln!(
                s,
                "  your last offer, worth {:.3} to you:\n      {}",
                turn.own_utility_of(x),
                self.offer_text(turn, x)
            );
        }
        let _ = writeln!(
            s,
            "  your value of no deal (what you expect if the talks end without one, as you estimate it): {:.3}",
            turn.no_deal
        );
        let _ = writeln!(
            s,
            "  your ideal here is worth {:.3}; {}",
            turn.best(),
            if turn.has_future {
                "you have moves after this one"
            } else {
                "this is your last move"
            }
        );
        let reds: Vec<String> = turn
            .agenda()
            .iter()
            .filter_map(|&i| {
                let (lo, hi) = turn.red_lines(i)?;
                (lo > 0.0 || hi < 1.0).then(|| format!("{} {lo:.2} to {hi:.2}", m.issues[i].id))
            })
            .collect();
        if !reds.is_empty() {
            let _ = writeln!(s, "  your red lines (private): {}", reds.join(", "));
        }
        s.push_str(if answering {
            "  answer: accept, reject, walk, hint, show, help\n"
        } else {
            "  propose: ISSUE=VALUE ..., aim U, accept (the offer on the table), walk, hint, show, help\n"
        });
        s
    }

    fn set_walk(&self, walk: bool) {
        if let Ok(mut c) = self.console.lock() {
            c.walk = walk;
        }
    }

    fn say(&self, text: &str) {
        if let Ok(mut c) = self.console.lock() {
            c.say(text);
        }
    }

    /// Reads a move; `None` when the input has ended (the model takes over).
    fn read(&mut self, prompt: &str) -> Option<Move> {
        loop {
            let line = self.console.lock().ok()?.ask(prompt);
            let Some(line) = line else {
                self.auto = true;
                let id = &self.model.parties[self.party].id;
                self.say(&format!(
                    "(no more moves: the model plays {id} from here)\n"
                ));
                return None;
            };
            match parse(&line, &self.model) {
                Ok(m) => return Some(m),
                Err(e) => self.say(&format!("  ! {e}\n")),
            }
        }
    }

    /// Checks a proposed offer against the student's red lines and value of
    /// no deal: an offer crossing them would not bind its proposer.
    fn binding(&self, turn: &Turn<'_>, x: &[f64]) -> Result<(), String> {
        for &i in turn.agenda() {
            if let Some((lo, hi)) = turn.red_lines(i) {
                if x[i] < lo - 1e-12 || x[i] > hi + 1e-12 {
                    return Err(format!(
                        "{}={:.2} crosses your red line (you can accept {lo:.2} to {hi:.2}): the \
                         offer would not bind you; offer again",
                        self.model.issues[i].id, x[i]
                    ));
                }
            }
        }
        let u = turn.own_utility_of(x);
        if u < turn.no_deal - 1e-7 {
            return Err(format!(
                "that offer is worth {u:.3} to you, less than your value of no deal ({:.3}): it \
                 would not bind you; ask for more",
                turn.no_deal
            ));
        }
        Ok(())
    }
}

impl Tactic for Human {
    fn name(&self) -> &str {
        "human"
    }

    fn reset(&mut self) {
        self.own.reset();
        self.aim = None;
    }

    fn aim(&mut self, turn: &mut Turn<'_>, when: When) -> f64 {
        match (when, self.aim) {
            (When::Now, Some(a)) => a,
            _ => self.own.aim(turn, when),
        }
    }

    fn offer(&mut self, turn: &mut Turn<'_>, out: &mut [f64]) -> bool {
        if self.auto {
            return false;
        }
        let table = match self.console.lock() {
            Ok(c) => self.table(turn, &c, false),
            Err(_) => return false,
        };
        self.say(&table);
        loop {
            let Some(mv) = self.read("your offer> ") else {
                return false;
            };
            match mv {
                Move::Offer(values) => {
                    let mut x = turn.own_last_offer().unwrap_or(turn.ideal()).to_vec();
                    let mut bad = None;
                    for (i, v) in values {
                        if !turn.agenda().contains(&i) {
                            let on: Vec<&str> = turn
                                .agenda()
                                .iter()
                                .map(|&k| self.model.issues[k].id.as_str())
                                .collect();
                            bad = Some(format!(
                                "{} is not on this meeting's agenda; it settles: {}",
                                self.model.issues[i].id,
                                on.join(", ")
                            ));
                            break;
                        }
                        x[i] = self.model.issues[i].snap(v);
                    }
                    if let Some(e) = bad.or_else(|| self.binding(turn, &x).err()) {
                        self.say(&format!("  ! {e}\n"));
                        continue;
                    }
                    out.copy_from_slice(&x);
                    return true;
                }
                Move::Aim(u) => {
                    let (lo, hi) = (turn.no_deal.max(turn.worst_efficient()), turn.best());
                    if u < lo - 1e-9 || u > hi + 1e-9 {
                        self.say(&format!(
                            "  ! aim {u} is outside what you can ask here: from {lo:.3} (your value \
                             of no deal, or the offer best for the others) to {hi:.3} (your ideal)\n"
                        ));
                        continue;
                    }
                    self.aim = Some(u);
                    return false;
                }
                Move::Accept => match turn.standing_offer() {
                    Some(x) => {
                        let x = x.to_vec();
                        if let Err(e) = self.binding(turn, &x) {
                            self.say(&format!("  ! {e}\n"));
                            continue;
                        }
                        out.copy_from_slice(&x);
                        return true;
                    }
                    None => self.say("  ! there is no offer on the table yet: make one\n"),
                },
                Move::Reject => {
                    self.say("  ! it is your turn to propose: make an offer (or walk)\n")
                }
                Move::Walk => {
                    self.set_walk(true);
                    let x = turn.own_last_offer().unwrap_or(turn.ideal()).to_vec();
                    self.say("  you stand by your last offer (your ideal, if you made none) and leave at the end of this round\n");
                    out.copy_from_slice(&x);
                    return true;
                }
                Move::Hint => {
                    let a = self.own.aim(turn, When::Now);
                    let x = turn.offer_at(a);
                    let text = self.offer_text(turn, &x);
                    self.say(&format!(
                        "  the model ({}) would ask for {a:.3}:\n      {text}\n",
                        self.own.name()
                    ));
                }
                Move::Show => {
                    let table = match self.console.lock() {
                        Ok(c) => self.table(turn, &c, false),
                        Err(_) => String::new(),
                    };
                    self.say(&table);
                }
                Move::Help => self.say(HELP),
            }
        }
    }

    fn accepts(&mut self, turn: &mut Turn<'_>, u: f64) -> bool {
        if self.auto {
            return self.own.accepts(turn, u);
        }
        let table = match self.console.lock() {
            Ok(mut c) => {
                c.asked = true;
                self.table(turn, &c, true)
            }
            Err(_) => return false,
        };
        self.say(&table);
        loop {
            let Some(mv) = self.read("your answer> ") else {
                return self.own.accepts(turn, u);
            };
            match mv {
                Move::Accept => return true,
                Move::Reject => return false,
                Move::Walk => {
                    self.set_walk(true);
                    self.say("  you reject it and leave at the end of this round\n");
                    return false;
                }
                Move::Offer(_) | Move::Aim(_) => self.say(
                    "  ! you are answering the offer on the table: accept or reject it (you propose when it is your turn)\n",
                ),
                Move::Hint => {
                    let yes = self.own.accepts(turn, u);
                    self.say(&format!(
                        "  the model ({}) would {} it\n",
                        self.own.name(),
                        if yes { "accept" } else { "reject" }
                    ));
                }
                Move::Show => {
                    let table = match self.console.lock() {
                        Ok(c) => self.table(turn, &c, true),
                        Err(_) => String::new(),
                    };
                    self.say(&table);
                }
                Move::Help => self.say(HELP),
            }
        }
    }

    fn walks_out(&mut self) -> Option<bool> {
        let walk = self
            .console
            .lock()
            .map(|mut c| std::mem::take(&mut c.walk))
            .unwrap_or(false);
        if walk {
            return Some(true);
        }
        if self.auto {
            None
        } else {
            Some(false)
        }
    }

    fn proposed(&mut self, aim: f64) {
        self.aim = None;
        self.own.proposed(aim);
    }

    fn observe(&mut self, u: f64) {
        self.own.observe(u);
    }
}
