//! Design kinds and the settings of Morris and Sobol designs.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::DesignError;

/// How design points are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DesignKind {
    /// Full factorial grid of every combination of the factors' values.
    #[default]
    Grid,
    /// Latin hypercube of `--points M` points.
    Lhs,
    /// `--points M` independent uniform points.
    Random,
    /// Morris (1991) one-at-a-time trajectories, for elementary effects.
    Morris,
    /// Saltelli's cross-sampling of a Sobol' sequence, for Sobol' indices.
    Sobol,
    /// Points read from a CSV file (`--design-file`), one column per key.
    File,
}

impl DesignKind {
    /// The command-line name: `grid`, `lhs`, `random`, `morris`, `sobol` or `file`.
    pub fn as_str(self) -> &'static str {
        match self {
            DesignKind::Grid => "grid",
            DesignKind::Lhs => "lhs",
            DesignKind::Random => "random",
            DesignKind::Morris => "morris",
            DesignKind::Sobol => "sobol",
            DesignKind::File => "file",
        }
    }
}

impl fmt::Display for DesignKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DesignKind {
    type Err = DesignError;

    /// Parses `grid`, `lhs`, `random`, `morris` or `sobol` (exactly, after
    /// trimming whitespace); a file design is asked for with `--design-file`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "grid" => Ok(DesignKind::Grid),
            "lhs" => Ok(DesignKind::Lhs),
            "random" => Ok(DesignKind::Random),
            "morris" => Ok(DesignKind::Morris),
            "sobol" => Ok(DesignKind::Sobol),
            _ => Err(DesignError::UnknownDesign { text: s.to_owned() }),
        }
    }
}

/// The Sobol' sequence behind a `sobol` design.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SobolScramble {
    /// Owen-scrambled (nested uniform scramble seeded by `--seed`).
    #[default]
    Scrambled,
    /// The plain sequence, as scipy and SALib give with `scramble=False`.
    Plain,
}

impl SobolScramble {
    /// `scrambled` or `plain`.
    pub fn as_str(self) -> &'static str {
        match self {
            SobolScramble::Scrambled => "scrambled",
            SobolScramble::Plain => "plain",
        }
    }
}

impl fmt::Display for SobolScramble {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SobolScramble {
    type Err = DesignError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "scrambled" => Ok(SobolScramble::Scrambled),
            "plain" => Ok(SobolScramble::Plain),
            _ => Err(DesignError::UnknownSequence { text: s.to_owned() }),
        }
    }
}

/// Settings of the Morris and Sobol designs. Each applies to one kind only;
/// [`DesignOptions::resolve`] checks that and fills in the defaults, and the
/// resolved settings are recorded in the sweep's sidecar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DesignOptions {
    /// Morris: the number of levels `p` of each factor's grid (even; default 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub levels: Option<usize>,
    /// Morris: the number of trajectories `r` (default 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trajectories: Option<usize>,
    /// Morris: Campolongo et al.'s (2007) improved spread: draw this many
    /// candidate trajectories and keep the `r` most spread out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidates: Option<usize>,
    /// Sobol: the number of base points `N` (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_points: Option<usize>,
    /// Sobol: add the rows second-order indices need (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_order: Option<bool>,
    /// Sobol: scrambled (default) or plain sequence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence: Option<SobolScramble>,
}

/// Morris levels when `--levels` is not given.
pub const DEFAULT_LEVELS: usize = 4;
/// Morris trajectories when `--trajectories` is not given.
pub const DEFAULT_TRAJECTORIES: usize = 10;

impl DesignOptions {
    /// Whether no option is set (grid, lhs, random and file designs).
    pub fn is_empty(&self) -> bool {
        *self == DesignOptions::default()
    }

    /// Checks that every option given applies to `kind` and is in range, and
    /// fills in the defaults of `kind`'s options.
    ///
    /// # Errors
    ///
    /// [`DesignError::OptionNotForDesign`], [`BadLevels`](DesignError::BadLevels),
    /// [`TooFewTrajectories`](DesignError::TooFewTrajectories),
    /// [`TooFewCandidates`](DesignError::TooFewCandidates),
    /// [`MissingBasePoints`](DesignError::MissingBasePoints) and
    /// [`TooFewBasePoints`](DesignError::TooFewBasePoints).
    pub fn resolve(&self, kind: DesignKind) -> Result<DesignOptions, DesignError> {
        let morris = [
            ("--levels", self.levels.is_some()),
            ("--trajectories", self.trajectories.is_some()),
            ("--candidates", self.candidates.is_some()),
        ];
        let sobol = [
            ("--base-points", self.base_points.is_some()),
            ("--second-order", self.second_order == Some(true)),
            ("--sequence", self.sequence.is_some()),
        ];
        for (set, applies_to) in [(&morris, DesignKind::Morris), (&sobol, DesignKind::Sobol)] {
            if kind != applies_to {
                if let Some((option, _)) = set.iter().find(|(_, given)| *given) {
                    return Err(DesignError::OptionNotForDesign {
                        option,
                        applies_to,
                        design: kind,
                    });
                }
            }
        }
        match kind {
            DesignKind::Morris => {
                let levels = self.levels.unwrap_or(DEFAULT_LEVELS);
                if levels < 2 || levels % 2 == 1 {
                    return Err(DesignError::BadLevels { levels });
                }
                let trajectories = self.trajectories.unwrap_or(DEFAULT_TRAJECTORIES);
                if trajectories < 2 {
                    return Err(DesignError::TooFewTrajectories { trajectories });
                }
                if let Some(candidates) = self.candidates {
                    if candidates < trajectories {
                        return Err(DesignError::TooFewCandidates {
                            candidates,
                            trajectories,
                        });
                    }
                }
                Ok(DesignOptions {
                    levels: Some(levels),
                    trajectories: Some(trajectories),
                    candidates: self.candidates,
                    ..DesignOptions::default()
                })
            }
            DesignKind::Sobol => {
                let base = self.base_points.ok_or(DesignError::MissingBasePoints)?;
                if base < 2 {
                    return Err(DesignError::TooFewBasePoints { base });
                }
                Ok(DesignOptions {
                    base_points: Some(base),
                    second_order: Some(self.second_order.unwrap_or(false)),
                    sequence: Some(self.sequence.unwrap_or_default()),
                    ..DesignOptions::default()
                })
            }
            _ => Ok(DesignOptions::default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn design_kind_parses() {
        assert_eq!("grid".parse(), Ok(DesignKind::Grid));
        assert_eq!(" lhs".parse(), Ok(DesignKind::Lhs));
        assert_eq!("random".parse(), Ok(DesignKind::Random));
        assert_eq!("morris".parse(), Ok(DesignKind::Morris));
        assert_eq!("sobol".parse(), Ok(DesignKind::Sobol));
        let e = "halton".parse::<DesignKind>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown design 'halton'; expected grid, lhs, random, morris or sobol \
             (or --design-file FILE.csv), e.g. --design lhs"
        );
        assert_eq!(DesignKind::default(), DesignKind::Grid);
        assert_eq!(DesignKind::Lhs.to_string(), "lhs");
    }
}
