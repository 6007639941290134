//! Reading a scenario: TOML parsing, typed deserialization, `--set` overrides
//! and turning every failure into a [`Diagnostic`] with file, line, column and path.

use std::io::Read as _;
use std::path::Path;

use serde::de::DeserializeOwned;
use toml_edit::{DocumentMut, ImDocument, Item};

use super::valid::ValidScenario;
use super::ScenarioFile;
use crate::error::{suggest, Diagnostic, Error, ErrorKind, Result};
use crate::limits::Limits;

/// A `--set KEY=VALUE` override.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// Dotted path, e.g. `parties.russia.patience`.
    pub key: String,
    /// TOML value text, e.g. `0.9` or `{ uniform = [0.8, 0.95] }`; a bare word is a string.
    pub value: String,
}

impl std::str::FromStr for Override {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let Some((key, value)) = s.split_once('=') else {
            return Err(Error::usage(format!(
                "--set {s}: expected KEY=VALUE, e.g. --set parties.russia.patience=0.9"
            )));
        };
        let key = key.trim();
        if key.is_empty() || key.split('.').any(str::is_empty) {
            return Err(Error::usage(format!(
                "--set {s}: `{key}` is not a dotted path such as parties.russia.patience"
            )));
        }
        Ok(Override {
            key: key.to_string(),
            value: value.trim().to_string(),
        })
    }
}

impl std::fmt::Display for Override {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}={}", self.key, self.value)
    }
}

/// A scenario as read from its file, with overrides applied and validated.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioSource {
    /// The file name used in messages.
    pub file: String,
    /// The original text.
    pub text: String,
    /// Overrides applied on top of the file.
    pub overrides: Vec<Override>,
    /// The typed, validated scenario.
    pub scenario: ValidScenario,
    /// The limits it was validated within (variants made from it use them too).
    pub limits: Limits,
}

impl ScenarioSource {
    /// Reads, parses, overrides and validates a scenario file, within the
    /// default [`Limits`].
    pub fn from_path(path: impl AsRef<Path>, overrides: &[Override]) -> Result<Self> {
        Self::from_path_within(path, overrides, &Limits::default())
    }

    /// [`ScenarioSource::from_path`] within `limits`.
    pub fn from_path_within(
        path: impl AsRef<Path>,
        overrides: &[Override],
        limits: &Limits,
    ) -> Result<Self> {
        let path = path.as_ref();
        let text = read_text(path, limits.scenario_bytes)?;
        let name = if path.as_os_str() == "-" {
            STDIN_NAME.to_string()
        } else {
            path.display().to_string()
        };
        ScenarioTemplate::from_str(&name, &text)?
            .within(*limits)
            .instantiate(overrides)
    }

    /// Decodes, parses, overrides and validates the bytes of a scenario file
    /// within `limits`; `file` names it in messages. A byte that is not UTF-8
    /// is reported with its line and column.
    pub fn from_bytes_within(
        file: &str,
        bytes: &[u8],
        overrides: &[Override],
        limits: &Limits,
    ) -> Result<Self> {
        if bytes.len() as u64 > limits.scenario_bytes {
            return Err(too_large(Path::new(file), limits.scenario_bytes));
        }
        let text = decode(Path::new(file), bytes.to_vec())?;
        ScenarioTemplate::from_str(file, &text)?
            .within(*limits)
            .instantiate(overrides)
    }

    /// Parses, overrides and validates scenario text; `file` names it in messages.
    pub fn from_str(file: &str, text: &str, overrides: &[Override]) -> Result<Self> {
        ScenarioTemplate::from_str(file, text)?.instantiate(overrides)
    }
}

/// Reads a text input file (a scenario or a sweep file): a regular file or a
/// pipe, at most `max_bytes` long, in UTF-8. A directory, a device, a larger
/// file or a byte that is not UTF-8 is refused as bad input, the byte with
/// its line and column.
pub fn read_text(path: &Path, max_bytes: u64) -> Result<String> {
    if path.as_os_str() == "-" {
        return read_stdin(max_bytes);
    }
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_dir() {
        return Err(Error::input(
            path,
            "is a directory; expected a scenario file (TOML), e.g. scenarios/textbook/nash.toml",
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_char_device() || t.is_block_device() || t.is_socket() {
            return Err(Error::input(
                path,
                "is a device, not a file; expected a scenario file (TOML)",
            ));
        }
    }
    let too_large = || too_large(path, max_bytes);
    if meta.is_file() && meta.len() > max_bytes {
        return Err(too_large());
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut bytes = Vec::new();
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large());
    }
    decode(path, bytes)
}

/// Standard input's text, for a scenario given as `-`, read once per
/// process (a sweep and its sidecar both need it) and kept.
fn read_stdin(max_bytes: u64) -> Result<String> {
    static TEXT: std::sync::OnceLock<std::result::Result<Vec<u8>, String>> =
        std::sync::OnceLock::new();
    let path = Path::new(STDIN_NAME);
    let bytes = TEXT.get_or_init(|| {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(max_bytes.saturating_add(1))
            .read_to_end(&mut bytes)
            .map(|_| bytes)
            .map_err(|e| e.to_string())
    });
    let bytes = match bytes {
        Ok(b) => b.clone(),
        Err(e) => return Err(Error::io(path, std::io::Error::other(e.clone()))),
    };
    if bytes.len() as u64 > max_bytes {
        return Err(too_large(path, max_bytes));
    }
    if bytes.is_empty() {
        return Err(Error::input(
            path,
            "is empty; pipe a scenario file (TOML) in, e.g. `negsim run - < scenarios/textbook/nash.toml`",
        ));
    }
    decode(path, bytes)
}

/// How a scenario read from standard input (`-`) is named in messages.
pub const STDIN_NAME: &str = "<stdin>";

fn too_large(path: &Path, max_bytes: u64) -> Error {
    Error::input(
        path,
        format!(
            "is larger than the limit of {max_bytes} bytes for a scenario file; \
             raise the limit on purpose with --limit scenario_bytes=N"
        ),
    )
}

/// The text of a file's bytes, or the first byte that is not UTF-8 with its
/// line and column.
fn decode(path: &Path, bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let valid = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
        let byte = bytes[at];
        scenario_error(Diagnostic {
            file: path.display().to_string(),
            location: Some(line_col(valid, at)),
            path: String::new(),
            message: format!(
                "byte 0x{byte:02X} is not UTF-8 text; a scenario file must be UTF-8 \
                 (re-save it as UTF-8; is it a binary or a Latin-1 file?)"
            ),
            suggestion: None,
        })
        .with_source(e.utf8_error())
    })
}

/// A scenario parsed once, from which variants with different overrides are
/// made cheaply (one per design point of a sweep).
#[derive(Debug, Clone)]
pub struct ScenarioTemplate {
    file: String,
    text: String,
    doc: ImDocument<String>,
    editable: DocumentMut,
    original: ScenarioFile,
    limits: Limits,
}

/// Two templates are equal when made from the same text under the same name
/// (everything else is derived from those).
impl PartialEq for ScenarioTemplate {
    fn eq(&self, other: &Self) -> bool {
        self.file == other.file && self.text == other.text
    }
}

impl ScenarioTemplate {
    /// Parses scenario text and checks its types; `file` names it in messages.
    /// Semantic validation happens in [`ScenarioTemplate::instantiate`].
    pub fn from_str(file: &str, text: &str) -> Result<Self> {
        let doc = ImDocument::parse(text.to_string()).map_err(|e| {
            scenario_error(Diagnostic {
                file: file.to_string(),
                location: e.span().map(|s| line_col(text, s.start)),
                path: String::new(),
                message: e.message().trim().to_string(),
                suggestion: None,
            })
        })?;
        let original: ScenarioFile =
            deserialize(toml_edit::de::Deserializer::from(doc.clone()), file, text)?;
        Ok(ScenarioTemplate {
            file: file.to_string(),
            text: text.to_string(),
            editable: doc.clone().into_mut(),
            doc,
            original,
            limits: Limits::default(),
        })
    }

    /// The template with `limits` checked by [`ScenarioTemplate::instantiate`]
    /// (the default limits otherwise).
    pub fn within(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Every semantic problem of `s`, limits included.
    fn problems(&self, s: &ScenarioFile) -> Vec<super::validate::Problem> {
        super::valid::problems(s, &self.limits)
    }

    /// The scenario with `overrides` applied, validated.
    pub fn instantiate(&self, overrides: &[Override]) -> Result<ScenarioSource> {
        let (file, text, doc) = (self.file.as_str(), self.text.as_str(), &self.doc);
        let scenario = if overrides.is_empty() {
            self.original.clone()
        } else {
            let mut edited = self.editable.clone();
            for o in overrides {
                apply_override(&mut edited, o)?;
            }
            deserialize(toml_edit::de::Deserializer::from(edited), file, "")
                .map_err(|e| attribute_to_overrides(e, overrides))?
        };
        let original = (!overrides.is_empty()).then_some(&self.original);
        let problems = self.problems(&scenario);
        if !problems.is_empty() {
            // Problems the file has on its own; any other one is the overrides'.
            let own_problems = original.map(|o| self.problems(o)).unwrap_or_default();
            let diags = problems
                .into_iter()
                .map(|p| {
                    let direct = overrides
                        .iter()
                        .rev()
                        .find(|o| p.path == o.key || p.path.starts_with(&format!("{}.", o.key)));
                    let from_set = match direct {
                        Some(o) => Some(format!("--set {o}")),
                        None if !overrides.is_empty() && !own_problems.contains(&p) => Some(
                            overrides
                                .iter()
                                .map(|o| format!("--set {o}"))
                                .collect::<Vec<_>>()
                                .join(" "),
                        ),
                        None => None,
                    };
                    Diagnostic {
                        file: match &from_set {
                            Some(o) => format!("{file} ({o})"),
                            None => file.to_string(),
                        },
                        location: if from_set.is_some() {
                            None
                        } else {
                            locate_element(doc, &p.path, &p.message)
                                .or_else(|| locate(doc, &p.path))
                                .map(|off| line_col(text, off))
                        },
                        path: p.path,
                        // One line each: a quoted id cannot fake another line.
                        message: crate::output::terminal_safe(&p.message).into_owned(),
                        suggestion: p.suggestion,
                    }
                })
                .collect();
            return Err(Error::new(ErrorKind::Scenario(diags)));
        }
        Ok(ScenarioSource {
            file: file.to_string(),
            text: text.to_string(),
            overrides: overrides.to_vec(),
            scenario: ValidScenario::checked(scenario),
            limits: self.limits,
        })
    }
}

fn scenario_error(d: Diagnostic) -> Error {
    Error::new(ErrorKind::Scenario(vec![d]))
}

fn deserialize<T: DeserializeOwned>(
    de: toml_edit::de::Deserializer,
    file: &str,
    text: &str,
) -> Result<T> {
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        let inner = e.into_inner();
        let mut message = crate::output::terminal_safe(inner.message().trim()).into_owned();
        let suggestion = unknown_field_suggestion(&message);
        if path.starts_with("parties.") && message.starts_with("unknown field `escalation`") {
            message.push_str(REMOVED_ESCALATION);
        }
        scenario_error(Diagnostic {
            file: file.to_string(),
            location: if text.is_empty() {
                None
            } else {
                inner.span().map(|s| line_col(text, s.start))
            },
            path,
            message,
            suggestion,
        })
    })
}

/// What replaced a party's `escalation` hazard, for files written before.
const REMOVED_ESCALATION: &str = "; `escalation` was removed: war is now a choice a party makes at decision points; \
     say who may start which war in a [conflicts.ID] table (`between`, `initiators`, `stakes`) or give `rivals`, \
     and the choice's `temperature` (docs/scenario-format.md, \"Conflicts\")";

fn attribute_to_overrides(mut e: Error, overrides: &[Override]) -> Error {
    if let ErrorKind::Scenario(diags) = &e.kind() {
        let mut diags = diags.clone();
        for d in &mut diags {
            let o = overrides
                .iter()
                .rev()
                .find(|o| d.path.starts_with(&o.key) || o.key.starts_with(&d.path))
                .or(overrides.last());
            if let Some(o) = o {
                d.file = format!("{} (--set {o})", d.file);
            }
        }
        e = Error::new(ErrorKind::Scenario(diags));
    }
    e
}

/// serde reports "unknown field `x`, expected one of `a`, `b`"; pick the closest.
fn unknown_field_suggestion(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (word, rest) = rest.split_once('`')?;
    let candidates: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    suggest(word, candidates)
}

fn apply_override(doc: &mut DocumentMut, o: &Override) -> Result<()> {
    let bad = |msg: String| Error::usage(format!("--set {o}: {msg}"));
    let value: toml_edit::Value = o
        .value
        .parse()
        .unwrap_or_else(|_| toml_edit::Value::from(o.value.as_str()));
    let segments: Vec<&str> = o.key.split('.').collect();
    let (leaf, parents) = segments.split_last().expect("non-empty by construction");
    let mut table: &mut dyn toml_edit::TableLike = doc.as_table_mut();
    let mut walked = String::new();
    for seg in parents {
        let keys: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
        let here = if walked.is_empty() {
            "the top level".to_string()
        } else {
            format!("`{walked}`")
        };
        let Some(item) = table.get_mut(seg) else {
            let hint = suggest(seg, keys.iter().map(String::as_str))
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(bad(format!("no `{seg}` in {here}{hint}")));
        };
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(seg);
        table = match item.as_table_like_mut() {
            Some(t) => t,
            None => return Err(bad(format!("`{walked}` is a value, not a table"))),
        };
    }
    match table.get_mut(leaf) {
        Some(item) if item.is_table() => {
            return Err(bad(format!(
                "`{}` is a table; set one of its fields instead",
                o.key
            )))
        }
        Some(item) => *item = Item::Value(value),
        None => {
            table.insert(leaf, Item::Value(value));
        }
    }
    Ok(())
}

/// Byte offset of the key (or value) at a dotted path, for error locations.
fn locate(doc: &ImDocument<String>, path: &str) -> Option<usize> {
    let mut table: &dyn toml_edit::TableLike = doc.as_table();
    let mut best = None;
    let segs: Vec<&str> = path.split('.').collect();
    for (i, seg) in segs.iter().enumerate() {
        let Some((key, item)) = table.get_key_value(seg) else {
            return best;
        };
        best = key.span().or_else(|| item.span()).map(|s| s.start).or(best);
        if i + 1 == segs.len() {
            break;
        }
        match item {
            Item::Table(t) => table = t,
            Item::Value(toml_edit::Value::InlineTable(t)) => table = t,
            Item::Value(toml_edit::Value::Array(a)) => {
                let idx: usize = segs.get(i + 1)?.parse().ok()?;
                return a.get(idx).and_then(|v| v.span()).map(|s| s.start).or(best);
            }
            _ => break,
        }
    }
    best
}

/// Byte offset of the element of the array at `path` that the message names
/// (its first `quoted` word), e.g. the misspelt id in a `participants` list.
fn locate_element(doc: &ImDocument<String>, path: &str, message: &str) -> Option<usize> {
    let word = message.split('`').nth(1)?;
    let mut item = doc.as_item();
    for seg in path.split('.') {
        item = item.get(seg)?;
    }
    let array = item.as_array()?;
    array
        .iter()
        .find(|v| v.as_str() == Some(word))
        .and_then(|v| v.span())
        .map(|s| s.start)
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
    }

    #[test]
    fn parses_override() {
        let o: Override = "parties.russia.patience = 0.9".parse().unwrap();
        assert_eq!(o.key, "parties.russia.patience");
        assert_eq!(o.value, "0.9");
        assert!("nokey".parse::<Override>().is_err());
        assert!("a..b=1".parse::<Override>().is_err());
    }

    #[test]
    fn suggestion_from_serde_message() {
        let m = "unknown field `patiense`, expected one of `name`, `patience`, `tactic`";
        assert_eq!(unknown_field_suggestion(m).as_deref(), Some("patience"));
    }
}
