//! One output table in its file format: CSV (with its Table Schema beside
//! it) or Parquet, written atomically from the CSV rows the writers make.
//!
//! The row formatters ([`super::RunsFormat`], [`super::EventsFormat`],
//! [`super::Summary`]) make CSV text; a Parquet table reads each row back
//! into typed Arrow columns as it arrives, so both formats hold the same
//! values (floats as their shortest round-trip text are read back to the
//! same bits) and come from the same code. Rows are batched by count alone
//! and row groups cut by count alone, so the bytes do not depend on how the
//! rows arrive (the thread count); memory is bounded by one row group.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::columns::{write_schema, Column};
use super::parquet::ParquetTable;
use super::{write_record, Destination};
use crate::error::{Error, Result};

/// A file format for tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum FileFormat {
    /// Comma-separated text, with a Frictionless Table Schema beside it.
    #[default]
    Csv,
    /// Apache Parquet (Snappy-compressed, typed, self-describing).
    Parquet,
}

impl FileFormat {
    /// `csv` or `parquet`.
    pub fn name(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Parquet => "parquet",
        }
    }

    /// The format for `path`: `flag` if given (`--format`), else Parquet for
    /// a name ending in `.parquet`, else CSV.
    pub fn for_path(flag: Option<FileFormat>, path: &Path) -> FileFormat {
        flag.unwrap_or_else(|| {
            if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
            {
                FileFormat::Parquet
            } else {
                FileFormat::Csv
            }
        })
    }
}

enum Inner {
    Csv(Destination),
    Parquet(Box<ParquetTable<Destination>>),
}

/// An output table being written.
pub struct TableWriter {
    inner: Inner,
    path: PathBuf,
    title: String,
    columns: Vec<Column>,
    rows: u64,
}

impl std::fmt::Debug for TableWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableWriter")
            .field("path", &self.path)
            .field("rows", &self.rows)
            .finish()
    }
}

impl TableWriter {
    /// Opens `path` (`-` is standard output) for a table of `columns` in
    /// `format`; a CSV gets its header now.
    pub fn create(
        path: &Path,
        format: FileFormat,
        title: &str,
        columns: Vec<Column>,
    ) -> Result<Self> {
        let mut dest = Destination::open(path)?;
        let inner = match format {
            FileFormat::Csv => {
                let mut head = Vec::new();
                write_record(&mut head, columns.iter().map(|c| c.name.as_bytes()));
                dest.write_all(&head)
                    .map_err(|e| Error::io(dest.name(), e))?;
                Inner::Csv(dest)
            }
            FileFormat::Parquet => {
                Inner::Parquet(Box::new(ParquetTable::new(dest, &columns, path)?))
            }
        };
        Ok(TableWriter {
            inner,
            path: path.to_path_buf(),
            title: title.to_string(),
            columns,
            rows: 0,
        })
    }

    /// The format.
    pub fn format(&self) -> FileFormat {
        match self.inner {
            Inner::Csv(_) => FileFormat::Csv,
            Inner::Parquet(_) => FileFormat::Parquet,
        }
    }

    /// The path written to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Data rows so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Takes CSV rows (whole or cut anywhere: a cut row is completed by the
    /// next call).
    pub fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.rows += memchr::memchr_iter(b'\n', bytes).count() as u64;
        match &mut self.inner {
            Inner::Csv(d) => d.write_all(bytes).map_err(|e| Error::io(d.name(), e)),
            Inner::Parquet(p) => p.write(bytes),
        }
    }

    /// Completes the file (renamed into place), then writes a CSV's Table
    /// Schema beside it as `FILE.schema.json`.
    pub fn commit(self) -> Result<()> {
        match self.inner {
            Inner::Csv(d) => {
                d.commit()?;
                write_schema(&self.path, &self.title, &self.columns)
            }
            Inner::Parquet(p) => p.finish()?.commit(),
        }
    }
}
