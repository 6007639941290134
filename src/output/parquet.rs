//! Parquet tables through the Apache Arrow crates: a writer that takes the
//! CSV rows negsim formats and stores them as typed columns, and a reader
//! that gives a Parquet file back as the CSV text negsim would have written
//! (for `merge`, `--resume` and `analyze`, which read rows as text).
//!
//! Batches of [`BATCH_ROWS`] rows, row groups of [`ROW_GROUP_ROWS`] rows,
//! Snappy compression, and no wall-clock or host data in the file: the same
//! rows give the same bytes. Each field carries its column's description
//! (Arrow field metadata, one key, so the encoded schema is deterministic).

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Float64Builder, Int64Builder, StringBuilder};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, RecordBatchReader,
    StringArray,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use super::columns::{Column, ColumnType};
use super::{push_bool, push_f64, push_int, write_field, write_text};
use crate::error::{Error, Result};

/// Rows per Arrow batch handed to the Parquet writer.
pub const BATCH_ROWS: usize = 8192;
/// Rows per row group: what the writer holds in memory (a few megabytes for
/// the widest files negsim writes).
pub const ROW_GROUP_ROWS: usize = 65_536;

/// The Arrow type of a column type.
fn arrow_type(t: ColumnType) -> DataType {
    match t {
        ColumnType::Integer => DataType::Int64,
        ColumnType::Number => DataType::Float64,
        ColumnType::Boolean => DataType::Boolean,
        ColumnType::String => DataType::Utf8,
    }
}

/// The Arrow schema of `columns`.
pub fn arrow_schema(columns: &[Column]) -> SchemaRef {
    let fields: Vec<Field> = columns
        .iter()
        .map(|c| {
            let mut meta = HashMap::new();
            let mut text = c.description.clone();
            if let Some(u) = c.unit {
                text.push_str(&format!(" (unit: {u})"));
            }
            meta.insert("description".to_string(), text);
            Field::new(&c.name, arrow_type(c.ty), false).with_metadata(meta)
        })
        .collect();
    Arc::new(Schema::new(fields))
}

enum Builder {
    Int(Int64Builder),
    Float(Float64Builder),
    Bool(BooleanBuilder),
    Text(StringBuilder),
}

impl Builder {
    fn new(t: ColumnType) -> Self {
        match t {
            ColumnType::Integer => Builder::Int(Int64Builder::with_capacity(BATCH_ROWS)),
            ColumnType::Number => Builder::Float(Float64Builder::with_capacity(BATCH_ROWS)),
            ColumnType::Boolean => Builder::Bool(BooleanBuilder::with_capacity(BATCH_ROWS)),
            ColumnType::String => {
                Builder::Text(StringBuilder::with_capacity(BATCH_ROWS, BATCH_ROWS * 8))
            }
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Int(b) => Arc::new(b.finish()),
            Builder::Float(b) => Arc::new(b.finish()),
            Builder::Bool(b) => Arc::new(b.finish()),
            Builder::Text(b) => Arc::new(b.finish()),
        }
    }
}

/// Splits one CSV line (without its line break) into its fields, undoing
/// the quoting of [`write_field`]: `cells` gets each field's bytes.
fn split_csv(line: &[u8], cells: &mut Vec<Vec<u8>>) {
    let mut k = 0;
    let mut i = 0;
    let cell = |k: usize, cells: &mut Vec<Vec<u8>>| {
        if cells.len() <= k {
            cells.push(Vec::new());
        }
        cells[k].clear();
    };
    cell(0, cells);
    while i < line.len() {
        if line[i] == b'"' && cells[k].is_empty() {
            i += 1;
            while i < line.len() {
                if line[i] == b'"' {
                    if line.get(i + 1) == Some(&b'"') {
                        cells[k].push(b'"');
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                cells[k].push(line[i]);
                i += 1;
            }
            continue;
        }
        if line[i] == b',' {
            k += 1;
            cell(k, cells);
        } else {
            cells[k].push(line[i]);
        }
        i += 1;
    }
    cells.truncate(k + 1);
}

/// A text cell as it was before the spreadsheet guard of [`write_text`]: a
/// leading `'` before a character that starts a formula is dropped (ids
/// never hold `'`, so this undoes the guard exactly).
fn unguard(cell: &[u8]) -> &[u8] {
    match cell {
        [b'\'', rest @ ..] if super::is_formula_like(rest) => rest,
        _ => cell,
    }
}

/// A Parquet file being written from CSV rows.
pub struct ParquetTable<W: Write + Send> {
    writer: ArrowWriter<W>,
    schema: SchemaRef,
    types: Vec<ColumnType>,
    builders: Vec<Builder>,
    rows: usize,
    partial: Vec<u8>,
    cells: Vec<Vec<u8>>,
    name: String,
}

impl<W: Write + Send> ParquetTable<W> {
    /// A table of `columns` written to `out`; `path` names it in messages.
    pub fn new(out: W, columns: &[Column], path: &Path) -> Result<Self> {
        let schema = arrow_schema(columns);
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .set_created_by(format!("negsim {}", env!("CARGO_PKG_VERSION")))
            .build();
        let name = path.display().to_string();
        let writer = ArrowWriter::try_new(out, Arc::clone(&schema), Some(props))
            .map_err(|e| parquet_error(&name, e))?;
        Ok(ParquetTable {
            writer,
            schema,
            types: columns.iter().map(|c| c.ty).collect(),
            builders: columns.iter().map(|c| Builder::new(c.ty)).collect(),
            rows: 0,
            partial: Vec::new(),
            cells: Vec::new(),
            name,
        })
    }

    /// Takes CSV rows; a row cut at the end waits for the next call.
    pub fn write(&mut self, bytes: &[u8]) -> Result<()> {
        let mut rest = bytes;
        if !self.partial.is_empty() {
            match rest.iter().position(|&b| b == b'\n') {
                Some(n) => {
                    let mut line = std::mem::take(&mut self.partial);
                    line.extend_from_slice(&rest[..n]);
                    self.row(&line)?;
                    rest = &rest[n + 1..];
                }
                None => {
                    self.partial.extend_from_slice(rest);
                    return Ok(());
                }
            }
        }
        while let Some(n) = rest.iter().position(|&b| b == b'\n') {
            self.row(&rest[..n])?;
            rest = &rest[n + 1..];
        }
        self.partial.extend_from_slice(rest);
        Ok(())
    }

    fn row(&mut self, line: &[u8]) -> Result<()> {
        let mut cells = std::mem::take(&mut self.cells);
        split_csv(line, &mut cells);
        if cells.len() != self.types.len() {
            return Err(Error::new(crate::ErrorKind::Other(format!(
                "{}: a row with {} fields for {} columns (a bug in negsim)",
                self.name,
                cells.len(),
                self.types.len()
            ))));
        }
        for (k, cell) in cells.iter().enumerate() {
            let bad = || {
                Error::new(crate::ErrorKind::Other(format!(
                    "{}: `{}` is not a value of column {} (a bug in negsim)",
                    self.name,
                    String::from_utf8_lossy(cell),
                    self.schema.field(k).name()
                )))
            };
            let text = std::str::from_utf8(cell).map_err(|_| bad())?;
            match &mut self.builders[k] {
                Builder::Int(b) => b.append_value(text.parse().map_err(|_| bad())?),
                Builder::Float(b) => b.append_value(text.parse().map_err(|_| bad())?),
                Builder::Bool(b) => b.append_value(match text {
                    "TRUE" => true,
                    "FALSE" => false,
                    _ => return Err(bad()),
                }),
                Builder::Text(b) => {
                    let raw = std::str::from_utf8(unguard(cell)).map_err(|_| bad())?;
                    b.append_value(raw)
                }
            }
        }
        self.cells = cells;
        self.rows += 1;
        if self.rows == BATCH_ROWS {
            self.flush_batch()?;
        }
        Ok(())
    }

    fn flush_batch(&mut self) -> Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let arrays: Vec<ArrayRef> = self.builders.iter_mut().map(Builder::finish).collect();
        let batch = RecordBatch::try_new(Arc::clone(&self.schema), arrays)
            .map_err(|e| Error::new(crate::ErrorKind::Other(format!("{}: {e}", self.name))))?;
        self.writer
            .write(&batch)
            .map_err(|e| parquet_error(&self.name, e))?;
        self.rows = 0;
        Ok(())
    }

    /// Writes the last rows and the footer, and gives back the output.
    pub fn finish(mut self) -> Result<W> {
        if !self.partial.is_empty() {
            let line = std::mem::take(&mut self.partial);
            self.row(&line)?;
        }
        self.flush_batch()?;
        let name = self.name.clone();
        self.writer
            .into_inner()
            .map_err(|e| parquet_error(&name, e))
    }
}

fn parquet_error(name: &str, e: parquet::errors::ParquetError) -> Error {
    match e {
        parquet::errors::ParquetError::External(inner) => {
            match inner.downcast::<std::io::Error>() {
                Ok(io) => Error::io(name, *io),
                Err(other) => Error::new(crate::ErrorKind::Other(format!("{name}: {other}"))),
            }
        }
        other => Error::new(crate::ErrorKind::Other(format!("{name}: {other}"))),
    }
}

/// Whether `path` holds a Parquet file (its first bytes are `PAR1`).
pub fn is_parquet(path: &Path) -> bool {
    let mut magic = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && &magic == b"PAR1"
}

/// A Parquet file negsim wrote, read back as the CSV text (header first)
/// that it would have written in CSV, byte for byte; text cells get the
/// spreadsheet guard when `guard` is set, as the CSV writers do.
pub struct CsvFromParquet {
    reader: ParquetRecordBatchReader,
    buf: Vec<u8>,
    at: usize,
    guard: bool,
    name: String,
}

impl CsvFromParquet {
    /// Opens `path`.
    pub fn open(path: &Path, guard: bool) -> Result<Self> {
        let name = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let reader = ParquetRecordBatchReaderBuilder::try_new(file)
            .and_then(|b| b.with_batch_size(BATCH_ROWS).build())
            .map_err(|e| Error::usage(format!("{name}: not a readable Parquet file ({e})")))?;
        let mut buf = Vec::new();
        let schema = reader.schema();
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        for (k, n) in names.iter().enumerate() {
            if k > 0 {
                buf.push(b',');
            }
            write_field(&mut buf, n.as_bytes());
        }
        buf.push(b'\n');
        Ok(CsvFromParquet {
            reader,
            buf,
            at: 0,
            guard,
            name,
        })
    }

    fn refill(&mut self) -> std::io::Result<bool> {
        let Some(batch) = self.reader.next() else {
            return Ok(false);
        };
        let batch = batch.map_err(|e| std::io::Error::other(format!("{}: {e}", self.name)))?;
        self.buf.clear();
        self.at = 0;
        let cols = batch.columns();
        for r in 0..batch.num_rows() {
            for (k, c) in cols.iter().enumerate() {
                if k > 0 {
                    self.buf.push(b',');
                }
                let any = c.as_any();
                if let Some(a) = any.downcast_ref::<Int64Array>() {
                    push_int(&mut self.buf, a.value(r));
                } else if let Some(a) = any.downcast_ref::<Float64Array>() {
                    push_f64(&mut self.buf, a.value(r));
                } else if let Some(a) = any.downcast_ref::<BooleanArray>() {
                    push_bool(&mut self.buf, a.value(r));
                } else if let Some(a) = any.downcast_ref::<StringArray>() {
                    write_text(&mut self.buf, a.value(r).as_bytes(), self.guard);
                } else {
                    return Err(std::io::Error::other(format!(
                        "{}: column {k} has type {}, which negsim does not write",
                        self.name,
                        c.data_type()
                    )));
                }
            }
            self.buf.push(b'\n');
        }
        Ok(true)
    }
}

impl Read for CsvFromParquet {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.at >= self.buf.len() {
            if !self.refill()? {
                return Ok(0);
            }
        }
        let n = out.len().min(self.buf.len() - self.at);
        out[..n].copy_from_slice(&self.buf[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Opens a table negsim wrote, CSV or Parquet, as CSV text.
pub fn open_as_csv(path: &Path, guard: bool) -> Result<Box<dyn Read + Send>> {
    if is_parquet(path) {
        Ok(Box::new(CsvFromParquet::open(path, guard)?))
    } else {
        Ok(Box::new(
            std::fs::File::open(path).map_err(|e| Error::io(path, e))?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_lines_split_back_into_their_fields() {
        let mut cells = Vec::new();
        split_csv(b"1,\"a,b\",\"say \"\"hi\"\"\",,x", &mut cells);
        let got: Vec<&[u8]> = cells.iter().map(Vec::as_slice).collect();
        assert_eq!(got, [&b"1"[..], b"a,b", b"say \"hi\"", b"", b"x"]);
        assert_eq!(unguard(b"'-x"), b"-x");
        assert_eq!(unguard(b"'x"), b"'x");
    }

    #[test]
    fn rows_round_trip_through_parquet_byte_for_byte() {
        use ColumnType::*;
        let cols = vec![
            Column::new("run", Integer, "r"),
            Column::new("v", Number, "v"),
            Column::new("ok", Boolean, "b"),
            Column::new("id", String, "s"),
        ];
        let mut csv = b"run,v,ok,id\n".to_vec();
        for r in 0..20_000u32 {
            let v = f64::from(r) / 7.0;
            let mut line = Vec::new();
            push_int(&mut line, r);
            line.push(b',');
            push_f64(&mut line, if r % 11 == 0 { f64::NAN } else { v });
            line.push(b',');
            push_bool(&mut line, r % 3 == 0);
            line.push(b',');
            write_text(&mut line, if r % 5 == 0 { b"-a" } else { b"us;eu" }, true);
            line.push(b'\n');
            csv.extend_from_slice(&line);
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        let file = std::fs::File::create(&path).unwrap();
        let mut t = ParquetTable::new(file, &cols, &path).unwrap();
        let body = &csv[b"run,v,ok,id\n".len()..];
        // Cut anywhere, as a spool's chunks are.
        for chunk in body.chunks(977) {
            t.write(chunk).unwrap();
        }
        t.finish().unwrap().sync_all().unwrap();
        assert!(is_parquet(&path));
        let mut back = Vec::new();
        open_as_csv(&path, true)
            .unwrap()
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(
            std::string::String::from_utf8(back).unwrap(),
            std::string::String::from_utf8(csv).unwrap()
        );
    }
}
