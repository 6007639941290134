//! Dates in scenario files: a TOML date (`2022-01-10`) or a string (`"2022-01-10"`).

use std::fmt;

use serde::de::{self, value::MapAccessDeserializer, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use super::{TacticDef, TacticKind, TacticTable};
use crate::time::Date;

/// A calendar date read from a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateValue(pub Date);

const EXPECT_DATE: &str = "a date such as 2022-01-10";

impl<'de> Deserialize<'de> for DateValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DateValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(EXPECT_DATE)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateValue, E> {
                Date::parse(v).map(DateValue).ok_or_else(|| {
                    E::custom(format!("`{v}` is not a valid date; expected {EXPECT_DATE}"))
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<DateValue, A::Error> {
                let dt = toml_edit::Datetime::deserialize(MapAccessDeserializer::new(map))?;
                match (dt.date, dt.time) {
                    (Some(d), None) => Date::new(i32::from(d.year), d.month, d.day)
                        .map(DateValue)
                        .ok_or_else(|| de::Error::custom(format!("{dt} is not a valid date"))),
                    _ => Err(de::Error::custom(format!(
                        "{dt} has a time of day; expected {EXPECT_DATE}"
                    ))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

const TACTICS: &[&str] = &[
    "boulware",
    "conceder",
    "linear",
    "tit_for_tat",
    "hardliner",
    "zeuthen",
    "rubinstein",
    "risk_return",
    "degroot",
];

impl TacticKind {
    /// Parses a tactic name.
    pub fn from_name(name: &str) -> Option<TacticKind> {
        Some(match name {
            "boulware" => TacticKind::Boulware,
            "conceder" => TacticKind::Conceder,
            "linear" => TacticKind::Linear,
            "tit_for_tat" => TacticKind::TitForTat,
            "hardliner" => TacticKind::Hardliner,
            "zeuthen" => TacticKind::Zeuthen,
            "rubinstein" => TacticKind::Rubinstein,
            "risk_return" => TacticKind::RiskReturn,
            "degroot" => TacticKind::DeGroot,
            _ => return None,
        })
    }

    /// The name used in scenario files.
    pub fn name(self) -> &'static str {
        TACTICS[self as usize]
    }
}

impl<'de> Deserialize<'de> for TacticDef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TacticDef;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a tactic name such as \"boulware\", or a table such as { kind = \"boulware\", beta = 0.3 }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TacticDef, E> {
                TacticKind::from_name(v)
                    .map(TacticDef::Name)
                    .ok_or_else(|| E::unknown_variant(v, TACTICS))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<TacticDef, A::Error> {
                TacticTable::deserialize(MapAccessDeserializer::new(map)).map(TacticDef::Table)
            }
        }
        d.deserialize_any(V)
    }
}
