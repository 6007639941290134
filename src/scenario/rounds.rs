//! A meeting's number of rounds: a count, or `"unbounded"`.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

/// A meeting's number of rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounds {
    /// This many.
    Count(u32),
    /// No deadline: rounds go on until agreement or walkout (the run's event
    /// cap still applies).
    Unbounded,
}

impl Rounds {
    /// The count, `None` when unbounded.
    pub fn count(self) -> Option<u32> {
        match self {
            Rounds::Count(n) => Some(n),
            Rounds::Unbounded => None,
        }
    }
}

impl<'de> Deserialize<'de> for Rounds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Rounds;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number of rounds such as 6, or \"unbounded\"")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Rounds, E> {
                u32::try_from(v).map(Rounds::Count).map_err(|_| {
                    E::custom(format!(
                        "{v} rounds: expected a count within 1..=10000, or \"unbounded\""
                    ))
                })
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Rounds, E> {
                u32::try_from(v).map(Rounds::Count).map_err(|_| {
                    E::custom(format!(
                        "{v} rounds: expected a count within 1..=10000, or \"unbounded\""
                    ))
                })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Rounds, E> {
                match v {
                    "unbounded" => Ok(Rounds::Unbounded),
                    _ => Err(E::custom(format!(
                        "`{v}` is not a number of rounds; expected a count such as 6, or \"unbounded\""
                    ))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct T {
        rounds: Rounds,
    }

    #[test]
    fn counts_and_unbounded() {
        let t: T = toml::from_str("rounds = 6").unwrap();
        assert_eq!(t.rounds, Rounds::Count(6));
        let t: T = toml::from_str("rounds = \"unbounded\"").unwrap();
        assert_eq!(t.rounds, Rounds::Unbounded);
        assert_eq!(t.rounds.count(), None);
        assert!(toml::from_str::<T>("rounds = \"many\"").is_err());
        assert!(toml::from_str::<T>("rounds = -1").is_err());
    }
}
