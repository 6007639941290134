//! Each party's values in the current state: its preferences as drawn, the
//! status quo, the war lotteries, and its value of no deal (`docs/model.md`,
//! section 3).
//!
//! - `flow_p = U_p(base) − sanctions in force`: what the status quo gives.
//! - `S_p = flow_p − Σ` the discounted expected cost of the pending threats
//!   that bite if talks fail and nobody fights (their chains start at a deadline).
//! - `W_p(o)`: `p`'s value of the war `o` (a conflict and who starts it),
//!   from [`super::war::lottery`], less its costs and the war-branch threats.
//!   A party that may start a war values each of its wars with its resolve
//!   this run, a logistic shock of scale `τ` drawn once per run (see
//!   [`super::war`]).
//! - `S̃_p`: the peace value once the others' chances of starting a war are
//!   counted in: `p` sees each initiator `i`'s war value with its error,
//!   `Ŵ = W_i + ε_pi`, and believes `i` fights with probability
//!   `Φ((Ŵ − S_i) / σ_p)` (certainly, or not at all, when `σ_p = 0`).
//! - `D_p`: the value of no deal: for a party that may start a war the best
//!   of `S̃_p` and its wars; for the others `S̃_p`; a scenario can fix it
//!   (`disagreement`).
//! - `D̂_pq`: `p`'s estimate of `D_q`, the same with `p`'s error about `q`
//!   added to `q`'s war values (if `q` may start a war) or to `D_q` itself.

use super::threats::ThreatState;
use super::utility::{utility_of_terms, utility_of_terms_at, Term};
use super::war::{lottery, LotteryScratch};
use super::{Branch, Model};

/// What the values depend on besides the parameters: the run's state.
#[derive(Debug, Clone, Default)]
pub(crate) struct StateView<'a> {
    pub settled: &'a [Option<f64>],
    pub sanctions: &'a [f64],
    pub threats: &'a [ThreatState],
    /// Day each triggered threat comes due.
    pub due: &'a [f64],
    pub now: f64,
}

/// Derived values of one state, by party (and issue, and war option).
#[derive(Debug, Clone, Default)]
pub(crate) struct Values {
    n: usize,
    np: usize,
    pub base: Vec<f64>,
    pub pos: Vec<f64>,
    pub w: Vec<f64>,
    pub lo: Vec<f64>,
    pub hi: Vec<f64>,
    pub cap: Vec<f64>,
    pub cap_side: Vec<f64>,
    pub flow: Vec<f64>,
    /// Each party's discount factor per bargaining round, `patience ^ round_days`.
    pub per_round: Vec<f64>,
    pub s: Vec<f64>,
    pub s_tilde: Vec<f64>,
    /// `W_r(o)` at `o * np + r`.
    pub war: Vec<f64>,
    pub d: Vec<f64>,
    /// `D̂_pq` at `p * np + q`.
    pub d_hat: Vec<f64>,
    /// Expected cost to each party of the threats its own walkout sets off.
    pub walk_cost: Vec<f64>,
    /// Expected cost to each party of the threats that bite if talks fail.
    nodeal_cost: Vec<f64>,
    /// Expected cost to each party of the threats answering each war option.
    war_cost: Vec<f64>,
    /// Reach probability of each threat (its chance of being carried out).
    reach: Vec<f64>,
    scratch: LotteryScratch,
    utils: Vec<f64>,
    /// Each party's utility of the values in force (before sanctions).
    u_base: Vec<f64>,
    /// `W_r(o)` before threats and resolve, at `o * np + r` (the lotteries).
    war_gross: Vec<f64>,
    /// The bits of the patience each `per_round` was computed from
    /// (`u64::MAX`, a NaN no patience can be, before the first).
    per_round_of: Vec<u64>,
    /// Per party: its entry in `model.initiators` (None: it may start no war).
    initiator_of: Vec<Option<usize>>,
    /// Per party: the terms of its utility (issues of non-zero weight).
    terms: Vec<Vec<Term>>,
    /// Memo of `δ^wait` per threat and side (target, issuer), keyed by the bits
    /// of `(δ, wait)`: a pending threat's wait seldom changes.
    discounts: Vec<[Memo2; 2]>,
    /// Memo of `Φ(z)` per observer and initiator, keyed by the bits of `z`.
    cdfs: Vec<Memo1>,
    /// Generations of what a frontier is built from (see
    /// [`Values::generations`]): the values in force, and each party's
    /// positions and weights and its red lines. A generation changes only
    /// when a value's bits change, and never returns to an earlier number.
    base_gen: u64,
    pw_gen: Vec<u64>,
    line_gen: Vec<u64>,
    gen: u64,
    /// The bits those generations were stamped from: the values in force,
    /// then per party its positions and weights (`2n`), then its red lines (`2n`).
    stamped: Vec<u64>,
    /// The parameters positions and weights are read from (every party's
    /// position and salience slots), and their bits when last read.
    pref_slots: Vec<usize>,
    pref_bits: Vec<u64>,
}

/// The last value of a pure function of one `f64`, keyed by its bits.
#[derive(Debug, Clone, Copy)]
struct Memo1 {
    key: u64,
    value: f64,
}

impl Memo1 {
    /// No value yet (the key is a NaN the argument never is).
    const EMPTY: Memo1 = Memo1 {
        key: u64::MAX,
        value: 0.0,
    };

    #[inline]
    fn get(&mut self, x: f64, f: impl FnOnce(f64) -> f64) -> f64 {
        if x.to_bits() != self.key {
            self.key = x.to_bits();
            self.value = f(x);
        }
        self.value
    }
}

/// The same for a function of two `f64`s.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Memo2 {
    key: (u64, u64),
    value: f64,
}

impl Memo2 {
    pub(crate) const EMPTY: Memo2 = Memo2 {
        key: (u64::MAX, u64::MAX),
        value: 0.0,
    };

    #[inline]
    pub(crate) fn get(&mut self, x: f64, y: f64, f: impl FnOnce(f64, f64) -> f64) -> f64 {
        let key = (x.to_bits(), y.to_bits());
        if key != self.key {
            self.key = key;
            self.value = f(x, y);
        }
        self.value
    }
}

/// What a run draws once for the parties' private information: each
/// observer's unit errors about each other (`p * np + q`), and each war
/// option's unit resolve shock (a standard logistic variate, scaled by the
/// initiator's temperature when used).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shocks<'a> {
    pub errors: &'a [f64],
    pub resolve: &'a [f64],
}

/// What changed since the last refresh, so that only what depends on it is
/// recomputed (threat costs, the war values' costs and everything after them
/// are recomputed at every refresh: they depend on the clock).
///
/// Every derived value is a pure function of its inputs, so recomputing only
/// what a change reaches gives the same bits as recomputing everything.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Dirty {
    /// Positions, saliences or red lines changed.
    pub prefs: bool,
    /// Capabilities changed.
    pub caps: bool,
    /// The values in force changed (a settlement, a status quo).
    pub base: bool,
    /// A parameter the war lotteries read changed (costs of conflict,
    /// allies' chances and contributions, stakes).
    pub lottery: bool,
}

impl Dirty {
    /// Everything (a new run).
    pub const ALL: Dirty = Dirty {
        prefs: true,
        caps: true,
        base: true,
        lottery: true,
    };
    /// Only the run's state: threats, sanctions, the clock.
    pub const STATE: Dirty = Dirty {
        prefs: false,
        caps: false,
        base: false,
        lottery: false,
    };
    /// Settlements changed.
    pub const SETTLED: Dirty = Dirty {
        prefs: false,
        caps: false,
        base: true,
        lottery: true,
    };

    /// Both changes.
    pub fn or(self, other: Dirty) -> Dirty {
        Dirty {
            prefs: self.prefs || other.prefs,
            caps: self.caps || other.caps,
            base: self.base || other.base,
            lottery: self.lottery || other.lottery,
        }
    }

    /// What changing parameter `slot` reaches.
    pub fn of_slot(model: &Model, slot: usize) -> Dirty {
        let p = &model.params[slot];
        let base = model.issues.iter().any(|i| i.status_quo == slot);
        let lottery = model.parties.iter().any(|q| q.cost == slot)
            || model.conflicts.iter().any(|c| {
                c.allies
                    .iter()
                    .any(|a| a.probability == slot || a.contribution == slot)
                    || c.stakes.iter().any(|&(_, f)| f == Some(slot))
            });
        let caps = model.parties.iter().any(|q| q.capability == slot);
        let prefs = p.preference && !caps;
        Dirty {
            prefs,
            caps,
            base,
            lottery: lottery || prefs || caps || base,
        }
    }
}

/// One threat's cost to party `r`.
pub(crate) fn threat_cost(model: &Model, params: &[f64], t: usize, r: usize) -> f64 {
    let threat = &model.threats[t];
    let mut c = 0.0;
    if threat.target == r {
        c += threat.cost_to_target.map_or(0.0, |s| params[s]);
    }
    if threat.issuer == r {
        c += threat.cost_to_issuer.map_or(0.0, |s| params[s]);
    }
    c
}

impl Values {
    pub fn new(model: &Model) -> Self {
        let pref_slots: Vec<usize> = model
            .parties
            .iter()
            .flat_map(|p| p.position.iter().chain(&p.salience).flatten().copied())
            .collect();
        let n = model.issues.len();
        let np = model.parties.len();
        let no = model.war_options.len();
        Values {
            n,
            np,
            base: vec![0.5; n],
            pos: vec![0.0; n * np],
            w: vec![0.0; n * np],
            lo: vec![0.0; n * np],
            hi: vec![1.0; n * np],
            cap: vec![0.0; np],
            cap_side: vec![0.0; np],
            flow: vec![0.0; np],
            per_round: vec![1.0; np],
            s: vec![0.0; np],
            s_tilde: vec![0.0; np],
            war: vec![0.0; no * np],
            d: vec![0.0; np],
            d_hat: vec![0.0; np * np],
            walk_cost: vec![0.0; np],
            nodeal_cost: vec![0.0; np],
            war_cost: vec![0.0; no * np],
            reach: vec![0.0; model.threats.len()],
            scratch: LotteryScratch::default(),
            utils: Vec::new(),
            u_base: vec![0.0; np],
            war_gross: vec![0.0; no * np],
            per_round_of: vec![u64::MAX; np],
            initiator_of: (0..np)
                .map(|p| model.initiators.iter().position(|(i, _)| *i == p))
                .collect(),
            terms: vec![Vec::new(); np],
            discounts: vec![[Memo2::EMPTY; 2]; model.threats.len()],
            cdfs: vec![Memo1::EMPTY; np * model.initiators.len()],
            base_gen: 0,
            pw_gen: vec![0; np],
            line_gen: vec![0; np],
            gen: 0,
            // A NaN no value is: the first stamp gives every part a generation.
            stamped: vec![u64::MAX; n + 4 * n * np],
            // The same NaN: the first refresh reads them all.
            pref_bits: vec![u64::MAX; pref_slots.len()],
            pref_slots,
        }
    }

    /// Makes `self` a copy of `o` without allocating (the buffers are reused).
    pub fn copy_from(&mut self, o: &Values) {
        let Values {
            n,
            np,
            base,
            pos,
            w,
            lo,
            hi,
            cap,
            cap_side,
            flow,
            per_round,
            s,
            s_tilde,
            war,
            d,
            d_hat,
            walk_cost,
            nodeal_cost,
            war_cost,
            reach,
            scratch: _,
            utils: _,
            u_base,
            war_gross,
            per_round_of,
            initiator_of,
            terms,
            // Memos of pure functions: valid whatever values they came from.
            discounts: _,
            cdfs: _,
            // A projection's generations are never read (frontiers cache on
            // the state in force only): stamped anew as their values change.
            base_gen: _,
            pw_gen: _,
            line_gen: _,
            gen: _,
            stamped: _,
            pref_slots: _,
            // What the positions, weights and terms copied here were read from.
            pref_bits,
        } = self;
        *n = o.n;
        *np = o.np;
        for (to, from) in [
            (base, &o.base),
            (pos, &o.pos),
            (w, &o.w),
            (lo, &o.lo),
            (hi, &o.hi),
            (cap, &o.cap),
            (cap_side, &o.cap_side),
            (flow, &o.flow),
            (per_round, &o.per_round),
            (s, &o.s),
            (s_tilde, &o.s_tilde),
            (war, &o.war),
            (d, &o.d),
            (d_hat, &o.d_hat),
            (walk_cost, &o.walk_cost),
            (nodeal_cost, &o.nodeal_cost),
            (war_cost, &o.war_cost),
            (reach, &o.reach),
            (u_base, &o.u_base),
            (war_gross, &o.war_gross),
        ] {
            to.clone_from(from);
        }
        per_round_of.clone_from(&o.per_round_of);
        initiator_of.clone_from(&o.initiator_of);
        terms.clone_from(&o.terms);
        pref_bits.clone_from(&o.pref_bits);
    }

    /// Party `p`'s utility of `x`.
    #[inline]
    pub fn utility(&self, model: &Model, p: usize, x: &[f64]) -> f64 {
        // The terms skip exactly the zero weights that the full sum skips.
        utility_of_terms(model.parties[p].shape, &self.terms[p], x)
    }

    /// Party `p`'s utility of the point half-way between `a` and `b` (the
    /// same bits as writing that point out and taking its utility).
    #[inline]
    pub fn utility_of_midpoint(&self, model: &Model, p: usize, a: &[f64], b: &[f64]) -> f64 {
        utility_of_terms_at(model.parties[p].shape, &self.terms[p], |i| {
            0.5 * (a[i] + b[i])
        })
    }

    /// Whether `x` respects party `p`'s red lines on `agenda` (as
    /// [`super::utility::Prefs::acceptable`], reading only the lines).
    #[inline]
    pub fn within_lines(&self, p: usize, x: &[f64], agenda: &[usize]) -> bool {
        let r = p * self.n..(p + 1) * self.n;
        super::utility::within_lines(&self.lo[r.clone()], &self.hi[r], x, agenda)
    }

    /// Party `p`'s preferences as slices.
    #[inline]
    pub fn prefs(&self, model: &Model, p: usize) -> super::utility::Prefs<'_> {
        let r = p * self.n..(p + 1) * self.n;
        super::utility::Prefs {
            pos: &self.pos[r.clone()],
            w: &self.w[r.clone()],
            lo: &self.lo[r.clone()],
            hi: &self.hi[r],
            shape: model.parties[p].shape,
        }
    }

    /// `p`'s error about `q`: its noise times the pair's unit normal.
    #[inline]
    pub fn error(model: &Model, params: &[f64], err: &[f64], p: usize, q: usize) -> f64 {
        params[model.parties[p].noise] * err[p * model.parties.len() + q]
    }

    /// Recomputes what `dirty` reaches: the base, the preferences, the war
    /// lotteries, and (always) every value that depends on the run's state.
    pub fn refresh(
        &mut self,
        model: &Model,
        params: &[f64],
        state: &StateView<'_>,
        shocks: &Shocks<'_>,
        dirty: Dirty,
    ) {
        if dirty.base {
            for i in 0..self.n {
                self.base[i] = state.settled[i].unwrap_or(params[model.issues[i].status_quo]);
            }
        }
        if dirty.prefs {
            self.refresh_preferences(model, params);
        }
        if dirty.caps {
            self.refresh_capabilities(model, params);
        }
        self.refresh_values(model, params, state, shocks, dirty);
        if dirty.base || dirty.prefs {
            self.stamp();
        }
    }

    /// The generations a frontier of party `p` facing others is built
    /// from: `(values in force, p's positions and weights, p's red lines)`;
    /// [`Values::pw_generation`] gives a counterpart's. Equal generations
    /// mean bit-identical inputs.
    pub fn generations(&self, p: usize) -> (u64, u64, u64) {
        (self.base_gen, self.pw_gen[p], self.line_gen[p])
    }

    /// The generation of party `q`'s positions and weights.
    pub fn pw_generation(&self, q: usize) -> u64 {
        self.pw_gen[q]
    }

    /// Gives a new generation to each part whose bits changed since the last stamp.
    fn stamp(&mut self) {
        fn restamp(stamped: &mut [u64], parts: &[&[f64]]) -> bool {
            let mut changed = false;
            let xs = parts.iter().flat_map(|part| part.iter());
            for (s, x) in stamped.iter_mut().zip(xs) {
                if *s != x.to_bits() {
                    *s = x.to_bits();
                    changed = true;
                }
            }
            changed
        }
        let n = self.n;
        let (base, rest) = self.stamped.split_at_mut(n);
        if restamp(base, &[&self.base]) {
            self.gen += 1;
            self.base_gen = self.gen;
        }
        for p in 0..self.np {
            let r = p * n..(p + 1) * n;
            let block = &mut rest[4 * n * p..4 * n * (p + 1)];
            let (pw, lines) = block.split_at_mut(2 * n);
            if restamp(pw, &[&self.pos[r.clone()], &self.w[r.clone()]]) {
                self.gen += 1;
                self.pw_gen[p] = self.gen;
            }
            if restamp(lines, &[&self.lo[r.clone()], &self.hi[r]]) {
                self.gen += 1;
                self.line_gen[p] = self.gen;
            }
        }
    }

    /// Positions, normalised weights and red lines. The positions and
    /// weights (and the terms from them) are recomputed only when the bits
    /// of their parameters changed since they were last computed (often they
    /// are the same run after run); the red lines always are.
    #[inline(never)]
    fn refresh_preferences(&mut self, model: &Model, params: &[f64]) {
        let n = self.n;
        let same = self
            .pref_slots
            .iter()
            .zip(&self.pref_bits)
            .all(|(&slot, &bits)| params[slot].to_bits() == bits);
        if !same {
            self.refresh_positions(model, params);
            for (bits, &slot) in self.pref_bits.iter_mut().zip(&self.pref_slots) {
                *bits = params[slot].to_bits();
            }
        }
        for (p, party) in model.parties.iter().enumerate() {
            for i in 0..n {
                let k = p * n + i;
                if party.position[i].is_none() || party.salience[i].is_none() {
                    self.pos[k] = self.base[i];
                }
                let (lo, hi) = match party.reservation[i] {
                    Some(rs) => {
                        let r = params[rs];
                        if r <= self.pos[k] {
                            (r, 1.0)
                        } else {
                            (0.0, r)
                        }
                    }
                    None => (0.0, 1.0),
                };
                self.lo[k] = lo;
                self.hi[k] = hi;
            }
        }
    }

    /// Positions, normalised weights and each party's terms.
    fn refresh_positions(&mut self, model: &Model, params: &[f64]) {
        let n = self.n;
        for (p, party) in model.parties.iter().enumerate() {
            let mut total = 0.0;
            for i in 0..n {
                let k = p * n + i;
                match (party.position[i], party.salience[i]) {
                    (Some(ps), Some(ss)) => {
                        self.pos[k] = params[ps];
                        self.w[k] = params[ss];
                        total += self.w[k];
                    }
                    // Its position is the value in force, set with the red lines.
                    _ => self.w[k] = 0.0,
                }
            }
            let positioned = party.position.iter().filter(|s| s.is_some()).count();
            for i in 0..n {
                let k = p * n + i;
                if party.position[i].is_some() {
                    self.w[k] = if total > 0.0 && total.is_finite() {
                        self.w[k] / total
                    } else {
                        1.0 / positioned as f64
                    };
                }
            }
            // Only positioned issues can weigh (the others' weight is 0), so
            // the terms do not depend on the values in force.
            let terms = &mut self.terms[p];
            terms.clear();
            for i in 0..n {
                let k = p * n + i;
                if self.w[k] != 0.0 {
                    terms.push(Term {
                        i,
                        w: self.w[k],
                        c: self.pos[k],
                    });
                }
            }
        }
    }

    /// Capabilities, and what each side pools.
    #[inline(never)]
    fn refresh_capabilities(&mut self, model: &Model, params: &[f64]) {
        for p in 0..self.np {
            self.cap[p] = params[model.parties[p].capability];
        }
        for p in 0..self.np {
            self.cap_side[p] = model.side(p).iter().map(|&q| self.cap[q]).sum();
        }
    }

    /// The chance each pending threat is carried out (its credibility times
    /// its parent's chance down the chain).
    #[inline(never)]
    fn refresh_reach(&mut self, model: &Model, params: &[f64], state: &StateView<'_>) {
        for t in 0..model.threats.len() {
            self.reach[t] = match state.threats[t] {
                ThreatState::Executed | ThreatState::Declined => 0.0,
                ThreatState::Triggered => params[model.threats[t].credibility],
                ThreatState::Pending => {
                    // Chains are acyclic (validated) and at most as long as the list.
                    let mut p = params[model.threats[t].credibility];
                    let mut cur = t;
                    for _ in 0..model.threats.len() {
                        match model.threats[cur].trigger {
                            super::Trigger::Threat(parent) => {
                                p *= match state.threats[parent] {
                                    ThreatState::Executed => 1.0,
                                    ThreatState::Declined => 0.0,
                                    _ => params[model.threats[parent].credibility],
                                };
                                if state.threats[parent] != ThreatState::Pending {
                                    break;
                                }
                                cur = parent;
                            }
                            _ => break,
                        }
                    }
                    p
                }
            };
        }
    }

    /// Days until threat `t` would bite, from its chain's start.
    fn bite_in(model: &Model, params: &[f64], state: &StateView<'_>, t: usize) -> f64 {
        let mut days = 0.0;
        let mut cur = t;
        for _ in 0..=model.threats.len() {
            let threat = &model.threats[cur];
            if state.threats[cur] == ThreatState::Triggered {
                return days + (state.due[cur] - state.now).max(0.0);
            }
            days += threat.delay.map_or(0.0, |s| params[s]);
            match threat.trigger {
                super::Trigger::Threat(parent) => cur = parent,
                super::Trigger::Deadline(d) => {
                    return days + (f64::from(d) - state.now).max(0.0);
                }
                _ => return days,
            }
        }
        days
    }

    /// The expected, discounted cost of the pending threats to each party,
    /// by branch: `s` (no deal), `walk_cost` (its own walkout) and
    /// `war_cost` (each war option). Each threat costs only its issuer and
    /// its target, discounted by each one's patience over the wait until it bites.
    #[inline(never)]
    fn threat_costs(&mut self, model: &Model, params: &[f64], state: &StateView<'_>) {
        let np = self.np;
        self.nodeal_cost.iter_mut().for_each(|c| *c = 0.0);
        self.walk_cost.iter_mut().for_each(|c| *c = 0.0);
        self.war_cost.iter_mut().for_each(|c| *c = 0.0);
        for (t, threat) in model.threats.iter().enumerate() {
            if self.reach[t] <= 0.0 {
                continue;
            }
            let wait = Self::bite_in(model, params, state, t);
            // Validation keeps issuer and target apart.
            for (side, r) in [(1, threat.issuer), (0, threat.target)] {
                let cost = threat_cost(model, params, t, r);
                if cost == 0.0 {
                    continue;
                }
                let delta = params[model.parties[r].patience];
                let discount = if wait > 0.0 {
                    self.discounts[t][side].get(delta, wait, crate::fmath::powf)
                } else {
                    1.0
                };
                let c = self.reach[t] * cost * discount;
                match threat.branch {
                    Branch::NoDeal => self.nodeal_cost[r] += c,
                    Branch::Walkout(None) => self.walk_cost[r] += c,
                    Branch::Walkout(Some(q)) if q == r => self.walk_cost[r] += c,
                    Branch::Walkout(Some(_)) => {}
                    Branch::War(who) => {
                        for (o, opt) in model.war_options.iter().enumerate() {
                            if who.is_none_or(|i| i == opt.initiator) {
                                self.war_cost[o * np + r] += c;
                            }
                        }
                    }
                }
            }
        }
    }

    fn refresh_values(
        &mut self,
        model: &Model,
        params: &[f64],
        state: &StateView<'_>,
        shocks: &Shocks<'_>,
        dirty: Dirty,
    ) {
        let err = shocks.errors;
        let n = self.n;
        let np = self.np;
        if dirty.base || dirty.prefs {
            for i in 0..n {
                for p in 0..np {
                    if model.parties[p].position[i].is_none() {
                        self.pos[p * n + i] = self.base[i];
                    }
                }
            }
            for p in 0..np {
                self.u_base[p] = self.utility(model, p, &self.base);
            }
        }
        self.refresh_reach(model, params, state);
        self.threat_costs(model, params, state);
        for p in 0..np {
            let delta = params[model.parties[p].patience];
            if delta.to_bits() != self.per_round_of[p] {
                self.per_round[p] = crate::fmath::powf(delta, model.round_days);
                self.per_round_of[p] = delta.to_bits();
            }
            self.flow[p] = self.u_base[p] - state.sanctions[p];
            self.s[p] = self.flow[p] - self.nodeal_cost[p];
        }
        // War values: the lotteries (when what they read changed), less the
        // threats answering each war, plus the initiator's resolve this run.
        if dirty.lottery || dirty.prefs || dirty.caps || dirty.base {
            let mut scratch = std::mem::take(&mut self.scratch);
            let mut utils = std::mem::take(&mut self.utils);
            for (o, opt) in model.war_options.iter().enumerate() {
                lottery(model, params, self, opt.conflict, &mut scratch, &mut utils);
                self.war_gross[o * np..(o + 1) * np].copy_from_slice(&utils);
            }
            self.scratch = scratch;
            self.utils = utils;
        }
        for (o, opt) in model.war_options.iter().enumerate() {
            let row = o * np..(o + 1) * np;
            for ((w, g), c) in self.war[row.clone()]
                .iter_mut()
                .zip(&self.war_gross[row.clone()])
                .zip(&self.war_cost[row])
            {
                *w = g - c;
            }
            // The initiator's resolve this run.
            let i = opt.initiator;
            self.war[o * np + i] += params[model.parties[i].temperature] * shocks.resolve[o];
        }
        self.peace_values(model, params, err);
        self.no_deal_values(model, params, err);
    }

    /// `S̃_p`: the others' chances of starting a war, as each party sees them.
    #[inline(never)]
    fn peace_values(&mut self, model: &Model, params: &[f64], err: &[f64]) {
        let np = self.np;
        for p in 0..np {
            let sd = params[model.parties[p].noise];
            let mut attacked = 0.0;
            let mut expect = 0.0;
            for (k, (i, opts)) in model.initiators.iter().enumerate() {
                let i = *i;
                if i == p {
                    continue;
                }
                let e = Values::error(model, params, err, p, i);
                // Its most attractive war, as p sees it.
                let Some(o) = opts
                    .iter()
                    .copied()
                    .max_by(|&a, &b| self.war[a * np + i].total_cmp(&self.war[b * np + i]))
                else {
                    continue;
                };
                let gap = self.war[o * np + i] + e - self.s[i];
                let prob = if sd > 1e-12 {
                    self.cdfs[p * model.initiators.len() + k].get(gap / sd, super::math::normal_cdf)
                } else if gap > 0.0 {
                    1.0
                } else {
                    0.0
                };
                attacked += prob;
                expect += prob * self.war[o * np + p];
            }
            self.s_tilde[p] = if attacked > 1.0 {
                expect / attacked
            } else {
                expect + (1.0 - attacked) * self.s[p]
            };
        }
    }

    /// `D_p` (each initiator's best option, or the scenario's fixed value)
    /// and the estimates `D̂_pq`.
    #[inline(never)]
    fn no_deal_values(&mut self, model: &Model, params: &[f64], err: &[f64]) {
        let np = self.np;
        for p in 0..np {
            self.d[p] = self.s_tilde[p];
        }
        for (i, opts) in &model.initiators {
            let i = *i;
            for &o in opts {
                self.d[i] = self.d[i].max(self.war[o * np + i]);
            }
        }
        for (p, party) in model.parties.iter().enumerate() {
            if let Some(slot) = party.disagreement {
                self.d[p] = params[slot];
            }
        }
        // Estimates, row by row (the observer's noise read once per row).
        let (d, war, s_tilde) = (&self.d, &self.war, &self.s_tilde);
        for (p, row) in self.d_hat.chunks_exact_mut(np).enumerate() {
            let sd = params[model.parties[p].noise];
            let errs = &err[p * np..(p + 1) * np];
            for (q, (out, &z)) in row.iter_mut().zip(errs).enumerate() {
                let e = sd * z;
                *out = if p == q {
                    d[q]
                } else if let Some((_, opts)) = self.initiator_of[q]
                    .map(|k| &model.initiators[k])
                    .filter(|_| model.parties[q].disagreement.is_none())
                {
                    opts.iter()
                        .map(|&o| war[o * np + q] + e)
                        .fold(s_tilde[q], f64::max)
                } else {
                    d[q] + e
                };
            }
        }
    }
}
