//! The range each numeric parameter must stay in, and the clamp applied
//! after an exogenous effect moves it.

/// The range a numeric parameter must stay in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bounds {
    /// `[0, 1]`.
    Unit,
    /// `(0, 1]`.
    UnitOpenLow,
    /// `[0, ∞)`.
    NonNegative,
    /// `(0, ∞)`.
    Positive,
    /// `[-1, 1]`.
    Signed,
}

impl Bounds {
    /// Whether every value from `lo` to `hi` lies in the range.
    pub fn contains(self, lo: f64, hi: f64) -> bool {
        match self {
            Bounds::Unit => lo >= 0.0 && hi <= 1.0,
            Bounds::UnitOpenLow => lo > 0.0 && hi <= 1.0,
            Bounds::NonNegative => lo >= 0.0 && hi < f64::INFINITY,
            Bounds::Positive => lo > 0.0 && hi < f64::INFINITY,
            Bounds::Signed => lo >= -1.0 && hi <= 1.0,
        }
    }

    /// The range in words, for messages.
    pub(super) fn describe(self) -> &'static str {
        match self {
            Bounds::Unit => "within [0, 1]",
            Bounds::UnitOpenLow => "within (0, 1]",
            Bounds::NonNegative => "finite and >= 0",
            Bounds::Positive => "finite and > 0",
            Bounds::Signed => "within [-1, 1]",
        }
    }

    /// Clamps a value into the range (used after exogenous effects).
    pub fn clamp(self, x: f64) -> f64 {
        match self {
            Bounds::Unit => x.clamp(0.0, 1.0),
            Bounds::UnitOpenLow => x.clamp(1e-9, 1.0),
            Bounds::NonNegative => x.clamp(0.0, MAX_MAGNITUDE),
            Bounds::Positive => x.clamp(1e-12, MAX_MAGNITUDE),
            Bounds::Signed => x.clamp(-1.0, 1.0),
        }
    }
}

/// The largest value an exogenous effect can push an unbounded parameter to,
/// so that repeated scaling can never produce infinities.
pub const MAX_MAGNITUDE: f64 = 1e12;
