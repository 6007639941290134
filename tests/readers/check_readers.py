"""Real readers on real outputs: pandas, polars and pyarrow, default options.

Usage: check_readers.py README.md DIR

DIR holds the outputs of `negsim run` and `negsim sweep` made by
tests/readers/run.sh (CSV with their FILE.schema.json, and Parquet). This
script

1. runs every ```python block of the README's "Loading the outputs" section
   in DIR, recording each file a reader loads, and checks each result;
2. loads every CSV and Parquet file in DIR with every reader itself.

A check compares each column's type with the Table Schema written beside the
CSV (integer, number, boolean, string) and fails on any difference, on a
missing or extra column, and on a text cell read as missing.
"""

import json
import os
import re
import sys

import pandas as pd
import polars as pl
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

EXPECTED = {
    "pandas": {"integer": {"int64"}, "number": {"float64"}, "boolean": {"bool"},
               "string": {"object", "str", "string"}},
    "polars": {"integer": {"Int64"}, "number": {"Float64"}, "boolean": {"Boolean"},
               "string": {"String"}},
    "pyarrow": {"integer": {"int64"}, "number": {"double"}, "boolean": {"bool"},
                "string": {"string"}},
}

failures = []
checked = []


def schema_of(path):
    """The Table Schema of a CSV, or of the CSV a Parquet file stands beside."""
    base = re.sub(r"\.parquet$", ".csv", path)
    with open(base + ".schema.json") as f:
        return [(c["name"], c["type"]) for c in json.load(f)["fields"]]


def columns_of(reader, df):
    """(name, dtype text, missing cells) per column of a reader's result."""
    if reader == "pandas":
        return [(c, str(df[c].dtype), int(df[c].isna().sum())) for c in df.columns]
    if reader == "polars":
        return [(c, str(df[c].dtype), df[c].null_count()) for c in df.columns]
    return [(f.name, str(f.type), df.column(f.name).null_count) for f in df.schema]


def check(reader, path, df, how):
    fields = schema_of(path)
    got = columns_of(reader, df)
    where = f"{how}: {os.path.basename(path)}"
    before = len(failures)
    if [g[0] for g in got] != [f[0] for f in fields]:
        failures.append(f"{where}: columns {[g[0] for g in got]} != {[f[0] for f in fields]}")
        return
    for (name, ty), (_, dtype, missing) in zip(fields, got):
        if dtype not in EXPECTED[reader][ty]:
            failures.append(f"{where}: {name} is {dtype}, the schema says {ty}")
        if ty != "number" and missing:
            failures.append(f"{where}: {name} has {missing} cells read as missing")
    if len(failures) == before:
        checked.append(f"{where} ({len(fields)} columns, {len(df)} rows)")


def readme_blocks(readme):
    text = open(readme).read()
    section = text.split("### Loading the outputs", 1)
    if len(section) != 2:
        sys.exit(f"{readme}: no '### Loading the outputs' section")
    section = section[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    if not blocks:
        sys.exit(f"{readme}: no python block under 'Loading the outputs'")
    return blocks


def run_readme(readme, d):
    """Runs the README's snippets with every reader call recorded."""
    calls = []

    def wrap(reader, name, fn):
        def recorded(path, *a, **k):
            df = fn(path, *a, **k)
            calls.append((reader, os.path.join(d, path), df, f"README {name}"))
            return df
        return recorded

    patches = [
        (pd, "read_csv", "pandas"), (pd, "read_parquet", "pandas"),
        (pl, "read_csv", "polars"), (pl, "read_parquet", "polars"),
        (pacsv, "read_csv", "pyarrow"), (pq, "read_table", "pyarrow"),
    ]
    saved = [(m, n, getattr(m, n)) for m, n, _ in patches]
    for m, n, reader in patches:
        setattr(m, n, wrap(reader, f"{m.__name__}.{n}", getattr(m, n)))
    blocks = readme_blocks(readme)
    cwd = os.getcwd()
    os.chdir(d)
    try:
        for block in blocks:
            exec(compile(block, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
        for m, n, fn in saved:
            setattr(m, n, fn)
    if not calls:
        failures.append("the README's snippets read no file")
    for reader, path, df, how in calls:
        check(reader, path, df, how)


def main():
    readme, d = sys.argv[1], sys.argv[2]
    run_readme(readme, d)
    files = sorted(f for f in os.listdir(d) if f.endswith((".csv", ".parquet")))
    for f in files:
        p = os.path.join(d, f)
        if f.endswith(".csv"):
            check("pandas", p, pd.read_csv(p), "pandas.read_csv")
            check("polars", p, pl.read_csv(p), "polars.read_csv")
            check("pyarrow", p, pacsv.read_csv(p), "pyarrow.csv.read_csv")
        else:
            check("pandas", p, pd.read_parquet(p), "pandas.read_parquet")
            check("polars", p, pl.read_parquet(p), "polars.read_parquet")
            check("pyarrow", p, pq.read_table(p), "pyarrow.parquet.read_table")
    for c in checked:
        print("ok", c)
    for f in failures:
        print("FAIL", f)
    print(f"{len(checked)} passed, {len(failures)} failed")
    sys.stdout.flush()
    # polars and pyarrow thread pools can abort at interpreter exit.
    os._exit(1 if failures else 0)


if __name__ == "__main__":
    main()
