//! The JSON Schema (draft 2020-12) of the scenario format, printed by
//! `negsim schema`, for editors that check TOML as you type (taplo, Even
//! Better TOML; `docs/scenario-format.md`, "Editors").
//!
//! Written by hand beside the serde types of [`super`], which have custom
//! deserializers (distributions, dates, rounds) that a derive could not
//! describe; the tests keep the two the same: every table's properties are
//! the fields that the loader's "unknown field" message lists, and every
//! shipped scenario and documented example validates.

use serde_json::{json, Value};

/// A number or a distribution table.
fn param(description: &str) -> Value {
    json!({ "$ref": "#/$defs/param", "description": description })
}

fn text(description: &str) -> Value {
    json!({ "type": "string", "description": description })
}

fn date(description: &str) -> Value {
    json!({ "$ref": "#/$defs/date", "description": description })
}

fn ids(description: &str) -> Value {
    json!({ "type": "array", "items": { "type": "string" }, "description": description })
}

fn params_by_issue(description: &str) -> Value {
    json!({
        "type": "object",
        "additionalProperties": { "$ref": "#/$defs/param" },
        "description": description
    })
}

fn table(description: &str, required: &[&str], properties: Value) -> Value {
    json!({
        "type": "object",
        "description": description,
        "required": required,
        "properties": properties,
        "additionalProperties": false
    })
}

fn by_id(description: &str, item: &str) -> Value {
    json!({
        "type": "object",
        "description": description,
        "propertyNames": { "pattern": "^[A-Za-z0-9_-]+$" },
        "additionalProperties": { "$ref": format!("#/$defs/{item}") }
    })
}

fn one_of_words(words: &[&str], description: &str) -> Value {
    json!({ "type": "string", "enum": words, "description": description })
}

/// The schema.
pub fn json_schema() -> Value {
    let dist = |shape: &str, n: usize, bounds: bool| {
        let mut props = json!({
            shape: { "type": "array", "items": { "type": "number" }, "minItems": n, "maxItems": n }
        });
        if bounds {
            props["min"] = json!({ "type": "number" });
            props["max"] = json!({ "type": "number" });
        }
        json!({ "type": "object", "required": [shape], "properties": props, "additionalProperties": false })
    };
    let tactic_kinds = [
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
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://negsim.invalid/scenario.schema.json",
        "title": "negsim scenario",
        "description": "A negsim scenario file (docs/scenario-format.md).",
        "type": "object",
        "required": ["name", "simulation", "issues", "parties"],
        "additionalProperties": false,
        "properties": {
            "name": text("The scenario's display name."),
            "description": text("Free text."),
            "simulation": table("The clock, the runs and the defaults.", &["start", "end"], json!({
                "start": date("Day 0."),
                "as_of": date("The date of the information used (historical cases)."),
                "end": date("The horizon."),
                "runs": { "type": "integer", "minimum": 1, "description": "Default number of runs." },
                "seed": { "type": "integer", "minimum": 0, "description": "Default master seed." },
                "max_events": { "type": "integer", "minimum": 1, "description": "Engine events per run at most." },
                "utility": { "$ref": "#/$defs/utility" },
                "noise": param("Sd of the parties' estimates of each other's red lines."),
                "convergence": { "type": "number", "description": "Concession closeness that counts as convergence." },
                "temperature": param("Logit noise of decisions (0: none)."),
                "round_days": { "type": "number", "exclusiveMinimum": 0, "description": "Days per round." }
            })),
            "issues": by_id("The issues, by id.", "issue"),
            "parties": by_id("The parties, by id.", "party"),
            "blocs": by_id("Blocs of parties that negotiate as one.", "bloc"),
            "meetings": by_id("The calendar of meetings, by id.", "meeting"),
            "threats": by_id("Threats, by id.", "threat"),
            "events": by_id("Exogenous events, by id.", "event"),
            "conflicts": by_id("Wars some party may choose, by id.", "conflict"),
            "observed": table("What really happened in a historical case (negsim score).", &["outcome", "date", "source"], json!({
                "outcome": one_of_words(&crate::scenario::OUTCOME_NAMES, "The outcome, as the runs file names them."),
                "date": date("The day it happened."),
                "settled": {
                    "type": "object",
                    "additionalProperties": { "type": "number", "minimum": 0, "maximum": 1 },
                    "description": "The settled value of each issue that was settled, on its 0-1 scale."
                },
                "source": text("Where the record comes from.")
            })),
            "sweep": { "$ref": "#/$defs/sweep" }
        },
        "$defs": {
            "date": {
                "description": "A date such as 2022-01-10 (a TOML local date, or a string).",
                "anyOf": [
                    { "type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$" },
                    { "type": "string", "format": "date" }
                ]
            },
            "param": {
                "description": "A number, or a distribution: { uniform = [lo, hi] }, { normal = [mean, sd], min = .., max = .. }, { triangular = [lo, mode, hi] }, { beta = [a, b], min = .., max = .. }.",
                "anyOf": [
                    { "type": "number" },
                    dist("uniform", 2, false),
                    dist("normal", 2, true),
                    dist("triangular", 3, false),
                    dist("beta", 2, true)
                ]
            },
            "utility": one_of_words(&["linear", "quadratic"], "The shape of utility in distance from a party's position."),
            "issue": table("An issue on the scale 0..1.", &[], json!({
                "name": text("Display name."),
                "low": text("What 0 means."),
                "high": text("What 1 means."),
                "kind": one_of_words(&["continuous", "binary", "discrete"], "The issue's values."),
                "values": {
                    "description": "A discrete issue's values: their number, or their labels.",
                    "anyOf": [
                        { "type": "integer", "minimum": 2 },
                        { "type": "array", "items": { "type": "string" } }
                    ]
                },
                "status_quo": param("The value in force when nothing is settled.")
            })),
            "tactic": {
                "description": "A tactic by name, or a table with its kind and settings.",
                "anyOf": [
                    one_of_words(&tactic_kinds, "A tactic."),
                    table("A tactic with settings.", &["kind"], json!({
                        "kind": one_of_words(&tactic_kinds, "The tactic."),
                        "beta": param("Concession exponent (time-dependent tactics)."),
                        "k": param("Initial concession (Faratin's k)."),
                        "step": param("Largest share of the way to the group's mean a degroot party moves.")
                    }))
                ]
            },
            "party": table("A party.", &[], json!({
                "name": text("Display name."),
                "positions": params_by_issue("Stated position per issue."),
                "salience": params_by_issue("Weight per issue."),
                "reservation": params_by_issue("Private red line per issue."),
                "capability": param("Military capability (relative)."),
                "cost_of_conflict": param("What a war costs it, in utility."),
                "patience": param("Discount factor per day."),
                "tactic": { "$ref": "#/$defs/tactic" },
                "utility": { "$ref": "#/$defs/utility" },
                "walkout": param("Propensity to walk out."),
                "walkout_chance": param("Chance of walking out at the start of each meeting it attends."),
                "temperature": param("Logit noise of its decisions."),
                "noise": param("Sd of its estimates of the others."),
                "rivals": ids("Parties it may go to war with."),
                "disagreement": param("Its value of no deal, if fixed."),
                "package": { "type": "boolean", "description": "Accepts only the whole agenda at once." }
            })),
            "bloc": table("Parties that negotiate as one.", &["members", "lead"], json!({
                "name": text("Display name."),
                "members": ids("The member parties."),
                "lead": text("The member who speaks.")
            })),
            "follow_up": table("A follow-up sitting when a meeting ends without a deal.", &["delay"], json!({
                "delay": param("Days until it."),
                "max": { "type": "integer", "minimum": 0, "description": "Follow-ups at most." }
            })),
            "meeting": table("A meeting.", &["date", "participants", "agenda"], json!({
                "date": date("When it opens."),
                "date_shift": param("Days added to date, drawn per run (an uncertain date)."),
                "consensus": { "type": "number", "minimum": 0, "description": "Settle the agenda once the demands' spread on every issue falls below this (simultaneous and mediated protocols)." },
                "venue": text("Where."),
                "participants": ids("Party or bloc ids."),
                "agenda": ids("Issue ids."),
                "protocol": one_of_words(&["alternating", "mediated", "simultaneous"], "Who speaks when."),
                "rounds": {
                    "description": "A number of rounds, or \"unbounded\".",
                    "anyOf": [
                        { "type": "integer", "minimum": 1 },
                        { "const": "unbounded" }
                    ]
                },
                "clock": one_of_words(&["negsim", "negmas"], "How rounds are counted for concession curves."),
                "first": text("Who opens (alternating)."),
                "mediator": text("The mediating party (mediated)."),
                "follow_up": { "$ref": "#/$defs/follow_up" }
            })),
            "trigger": {
                "description": "What sets the threat off: { walkout = \"PARTY\" }, { escalation = \"PARTY\" }, { deadline = DATE } or { threat = \"THREAT\" }.",
                "type": "object",
                "minProperties": 1,
                "maxProperties": 1,
                "additionalProperties": false,
                "properties": {
                    "walkout": { "type": "string" },
                    "escalation": { "type": "string" },
                    "deadline": { "$ref": "#/$defs/date" },
                    "threat": { "type": "string" }
                }
            },
            "threat": table("A threat.", &["issuer", "target", "kind", "trigger"], json!({
                "issuer": text("Who threatens."),
                "target": text("Whom."),
                "kind": one_of_words(&["sanctions", "breakdown", "conflict"], "What carrying it out does."),
                "trigger": { "$ref": "#/$defs/trigger" },
                "cost_to_target": param("Utility per day it costs the target."),
                "cost_to_issuer": param("Utility per day it costs the issuer."),
                "credibility": param("Probability it is carried out when triggered."),
                "delay": param("Days from trigger to execution.")
            })),
            "effect": table("A change of one value.", &["path"], json!({
                "path": text("The value's key, as for --set."),
                "add": { "type": "number" },
                "scale": { "type": "number" },
                "to": { "type": "number" }
            })),
            "event": table("An exogenous event.", &["effects"], json!({
                "name": text("Display name."),
                "date": date("When (a dated event)."),
                "rate": param("Events per day (a random event)."),
                "from": date("From (a random event)."),
                "until": date("Until (a random event)."),
                "max": { "type": "integer", "minimum": 0, "description": "Occurrences at most." },
                "effects": { "type": "array", "items": { "$ref": "#/$defs/effect" } }
            })),
            "ally": table("A third party that may join a war.", &["side"], json!({
                "side": text("The party whose side it joins."),
                "probability": param("Probability it joins."),
                "contribution": param("Share of its capability it brings.")
            })),
            "conflict": table("A war some party may choose.", &["between"], json!({
                "name": text("Display name."),
                "between": ids("The two sides."),
                "initiators": ids("Who may start it (default: both sides)."),
                "stakes": {
                    "description": "The issues force settles: a list of issue ids, or a table of issue = share.",
                    "anyOf": [
                        { "type": "array", "items": { "type": "string" } },
                        { "type": "object", "additionalProperties": { "$ref": "#/$defs/param" } }
                    ]
                },
                "allies": by_id("Third parties, by party id.", "ally"),
                "not_before": date("The war cannot start before this date.")
            })),
            "sweep": table("A default sweep (docs/sweep.md).", &[], json!({
                "vary": { "type": "array", "items": { "type": "string" }, "description": "KEY=SPEC, as --vary." },
                "design": one_of_words(&["grid", "lhs", "random", "morris", "sobol"], "The design."),
                "points": { "type": "integer", "minimum": 1 },
                "runs": { "type": "integer", "minimum": 1 },
                "levels": { "type": "integer", "minimum": 2 },
                "trajectories": { "type": "integer", "minimum": 1 },
                "candidates": { "type": "integer", "minimum": 1 },
                "base_points": { "type": "integer", "minimum": 1 },
                "second_order": { "type": "boolean" },
                "sequence": one_of_words(&["scrambled", "plain"], "Sobol' sequence.")
            }))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ScenarioSource;

    /// The fields the loader accepts in the table at `path` of a minimal
    /// scenario, from its "unknown field ... expected one of" message.
    fn accepted(base: &str, table_header: &str) -> Vec<String> {
        let text = base.replace(
            &format!("{table_header}\n"),
            &format!("{table_header}\nzzz_unknown = 1\n"),
        );
        let e = ScenarioSource::from_str("t.toml", &text, &[])
            .unwrap_err()
            .to_string();
        let list = e
            .split("expected one of ")
            .nth(1)
            .or_else(|| e.split("expected ").nth(1))
            .unwrap_or_else(|| panic!("{table_header}: {e}"));
        let list = list.split(" (did you mean").next().unwrap();
        // serde lists two fields as "`a` or `b`", more as "one of `a`, `b`".
        list.split(", ")
            .flat_map(|w| w.split(" or "))
            .map(|w| w.trim().trim_matches('`').to_string())
            .filter(|w| !w.is_empty())
            .collect()
    }

    fn props(schema: &Value, pointer: &str) -> Vec<String> {
        let mut v: Vec<String> = schema
            .pointer(pointer)
            .unwrap_or_else(|| panic!("{pointer}"))
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        v.sort();
        v
    }

    const BASE: &str = r#"name = "t"
[simulation]
start = 2024-01-01
end = 2024-03-01
[issues.x]
[parties.a]
positions = { x = 1.0 }
[parties.b]
positions = { x = 0.0 }
[blocs.ab]
members = ["a", "b"]
lead = "a"
[meetings.m]
date = 2024-01-02
participants = ["a", "b"]
agenda = ["x"]
[meetings.m.follow_up]
delay = 3
[threats.t1]
issuer = "a"
target = "b"
kind = "sanctions"
trigger = { walkout = "b" }
[events.e]
date = 2024-01-05
effects = []
[conflicts.c]
between = ["a", "b"]
[conflicts.c.allies.ab]
side = "a"
[sweep]
"#;

    #[test]
    fn every_table_lists_the_fields_the_loader_accepts() {
        let schema = json_schema();
        for (header, pointer) in [
            ("[simulation]", "/properties/simulation/properties"),
            ("[issues.x]", "/$defs/issue/properties"),
            ("[parties.a]", "/$defs/party/properties"),
            ("[blocs.ab]", "/$defs/bloc/properties"),
            ("[meetings.m]", "/$defs/meeting/properties"),
            ("[meetings.m.follow_up]", "/$defs/follow_up/properties"),
            ("[threats.t1]", "/$defs/threat/properties"),
            ("[events.e]", "/$defs/event/properties"),
            ("[conflicts.c]", "/$defs/conflict/properties"),
            ("[conflicts.c.allies.ab]", "/$defs/ally/properties"),
            ("[sweep]", "/$defs/sweep/properties"),
        ] {
            let mut want = accepted(BASE, header);
            want.sort();
            assert_eq!(props(&schema, pointer), want, "{header}");
        }
        let mut top = accepted(BASE, "name = \"t\"");
        top.sort();
        assert_eq!(props(&schema, "/properties"), top);
    }
}
