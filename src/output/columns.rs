//! The output contract: every column of every file negsim writes has one
//! name, one type, a unit where it has one and a description. The CSV
//! writers, the Frictionless Table Schema written beside each CSV
//! (`FILE.schema.json`), the Parquet schema and `docs/outputs.md` all follow
//! it.
//!
//! Cells are never empty, so that readers which guess types from the first
//! rows (pandas, polars, readr) cannot guess wrong: a number that does not
//! apply to a row is `NaN`, a count that does not apply is `0`, an id that
//! does not apply is [`NONE`].

use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::error::{Error, Result};

/// The text written in an id column on a row where no id applies. Scenario
/// validation refuses it (and other words readers take for missing values)
/// as an id.
pub const NONE: &str = "none";

/// A column's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// A whole number (64-bit signed in Parquet).
    Integer,
    /// A float, always written with a decimal point or exponent (`1.0`,
    /// `0.25`, `1e-7`, `NaN`).
    Number,
    /// `TRUE` or `FALSE`.
    Boolean,
    /// Text (an id or a name; never empty).
    String,
}

impl ColumnType {
    /// The Frictionless Table Schema type name.
    pub fn frictionless(self) -> &'static str {
        match self {
            ColumnType::Integer => "integer",
            ColumnType::Number => "number",
            ColumnType::Boolean => "boolean",
            ColumnType::String => "string",
        }
    }
}

/// One column of an output file.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The header.
    pub name: String,
    /// The type of every cell.
    pub ty: ColumnType,
    /// The unit, if the column has one (`day`, `utility`...).
    pub unit: Option<&'static str>,
    /// What a cell means.
    pub description: String,
}

impl Column {
    /// A column.
    pub fn new(name: impl Into<String>, ty: ColumnType, description: impl Into<String>) -> Self {
        Column {
            name: name.into(),
            ty,
            unit: None,
            description: description.into(),
        }
    }

    /// With a unit.
    pub fn unit(mut self, unit: &'static str) -> Self {
        self.unit = Some(unit);
        self
    }
}

/// The leading columns of a sweep's rows: `point`, then one float column
/// per varied key.
pub fn prefix_columns(prefix: &[String]) -> Vec<Column> {
    prefix
        .iter()
        .enumerate()
        .map(|(k, name)| {
            if k == 0 && name == "point" {
                Column::new(
                    "point",
                    ColumnType::Integer,
                    "design point, numbered from 0 in design order",
                )
            } else {
                Column::new(
                    name.clone(),
                    ColumnType::Number,
                    format!("the value of the varied scenario key `{name}` at this design point"),
                )
            }
        })
        .collect()
}

/// The Frictionless Table Schema (<https://specs.frictionlessdata.io/table-schema/>)
/// of a CSV file with `columns`, as pretty JSON with a trailing newline.
pub fn table_schema(title: &str, columns: &[Column]) -> Vec<u8> {
    let fields: Vec<serde_json::Value> = columns
        .iter()
        .map(|c| {
            let mut f = json!({
                "name": c.name,
                "type": c.ty.frictionless(),
                "description": c.description,
                "constraints": { "required": true },
            });
            if let Some(u) = c.unit {
                f["unit"] = json!(u);
            }
            if c.ty == ColumnType::Boolean {
                f["trueValues"] = json!(["TRUE"]);
                f["falseValues"] = json!(["FALSE"]);
            }
            f
        })
        .collect();
    let schema = json!({
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "title": title,
        "description": "Written by negsim; the columns are documented in docs/outputs.md.",
        "fields": fields,
        "missingValues": [],
    });
    let mut v = serde_json::to_vec_pretty(&schema).expect("a schema serializes");
    v.push(b'\n');
    v
}

/// `FILE.schema.json`: where the schema of the CSV file `FILE` goes.
pub fn schema_path(file: &Path) -> PathBuf {
    let mut s = file.as_os_str().to_owned();
    s.push(".schema.json");
    PathBuf::from(s)
}

/// Writes the Table Schema of `file` beside it (atomically), unless `file`
/// is standard output or a device.
pub fn write_schema(file: &Path, title: &str, columns: &[Column]) -> Result<()> {
    if file.as_os_str() == "-" || super::is_special(file) {
        return Ok(());
    }
    let path = schema_path(file);
    let mut f = super::AtomicFile::create(&path)?;
    f.write_all(&table_schema(title, columns))
        .map_err(|e| Error::io(&path, e))?;
    f.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schema_lists_every_column_with_its_type() {
        let cols = vec![
            Column::new("run", ColumnType::Integer, "run index"),
            Column::new("day", ColumnType::Number, "when").unit("day"),
            Column::new("agreed.x", ColumnType::Boolean, "settled"),
        ];
        let s: serde_json::Value = serde_json::from_slice(&table_schema("t", &cols)).unwrap();
        let fields = s["fields"].as_array().unwrap();
        assert_eq!(fields.len(), 3);
        assert_eq!(fields[0]["type"], "integer");
        assert_eq!(fields[1]["unit"], "day");
        assert_eq!(fields[2]["trueValues"], json!(["TRUE"]));
        assert_eq!(s["missingValues"], json!([]));
    }

    #[test]
    fn sweep_prefixes_are_a_point_and_floats() {
        let cols = prefix_columns(&["point".into(), "parties.a.patience".into()]);
        assert_eq!(cols[0].ty, ColumnType::Integer);
        assert_eq!(cols[1].ty, ColumnType::Number);
    }
}
