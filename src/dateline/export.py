"""Exports for analysis: events, quotes, actors or documents as CSV, JSON Lines or Parquet.

Rows come from ``dateline.store.queries`` (one dataclass per table: its fields are the
columns, in order, and stay stable). Rows are streamed, so an export of any size runs
in constant memory. ``documents`` as JSON Lines writes each whole document in the output
contract's shape (OUTPUT.md), the same object ``dateline extract`` prints.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import fields
from itertools import islice
from typing import IO, Any

from dateline.store import Store, queries

TABLES = tuple(queries.ROW_TYPES)
FORMATS = ("csv", "jsonl", "parquet")
PARQUET_BATCH = 5000


def export(store: Store, table: str, fmt: str, out: IO[bytes], **filters: Any) -> int:
    """Write ``table`` of ``store`` to the binary stream ``out``; returns the rows written."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r} (one of {', '.join(TABLES)})")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    if fmt == "jsonl" and table == "documents":
        return _documents_jsonl(store, out)
    rows = queries.iter_rows(store.engine, table, **filters)
    writer = {"csv": _csv, "jsonl": _jsonl, "parquet": _parquet}[fmt]
    return writer(table, rows, out)


def _csv(table: str, rows: Iterator[Any], out: IO[bytes]) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(queries.columns(table))
    count = 0
    for row in rows:
        writer.writerow(["" if value is None else value for value in vars(row).values()])
        count += 1
    text.flush()
    text.detach()  # leave ``out`` open for the caller
    return count


def _jsonl(table: str, rows: Iterator[Any], out: IO[bytes]) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps(vars(row), ensure_ascii=False).encode("utf-8") + b"\n")
        count += 1
    return count


def _documents_jsonl(store: Store, out: IO[bytes]) -> int:
    count = 0
    for document in store.iter_documents():
        out.write(json.dumps(document.to_dict(), ensure_ascii=False).encode("utf-8") + b"\n")
        count += 1
    return count


def arrow_schema(table: str) -> Any:
    """The Parquet schema, from the row dataclass's annotations (types stay stable too)."""
    import pyarrow as pa

    kinds = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
    columns = []
    for field in fields(queries.ROW_TYPES[table]):
        base = str(field.type).split("|")[0].strip()
        columns.append(pa.field(field.name, kinds[base], nullable=True))
    return pa.schema(columns)


def _parquet(table: str, rows: Iterator[Any], out: IO[bytes]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(table)
    count = 0
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        while chunk := list(islice(rows, PARQUET_BATCH)):
            columns = {name: [getattr(row, name) for row in chunk] for name in schema.names}
            writer.write_table(pa.Table.from_pydict(columns, schema=schema))
            count += len(chunk)
    return count
