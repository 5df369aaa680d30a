"""``dateline export``: every table in every format, read back; row counts equal the store's."""
from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest
from test_store_support import make_documents, temporary_pg_database

from dateline.export import FORMATS, TABLES, export
from dateline.store import Store, queries

GDELT_LIKE = ["date", "source_country", "source_sector", "target_country", "target_sector", "plover_type",
              "cameo_root", "place_lat", "place_lon", "source_url", "evidence"]


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def filled(request, tmp_path_factory):
    """One filled store per database for the whole module (exports only read it)."""
    drop = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('export') / 'store.db'}"
    else:
        url, drop = temporary_pg_database()
    store = Store(url)
    docs = make_documents(12)
    docs[0].article.body.append('A line with "quotes", commas, and a\nnewline \u202eRTL\u202c \U0001F600.')
    store.save_many(docs)
    yield store
    store.close()
    if drop:
        drop()


def read_back(fmt: str, data: bytes) -> pd.DataFrame:
    if fmt == "csv":
        return pd.read_csv(io.BytesIO(data), keep_default_na=False, dtype=str)
    if fmt == "jsonl":
        return pd.DataFrame([json.loads(line) for line in data.decode().splitlines()])
    return pd.read_parquet(io.BytesIO(data))


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_table_round_trips_with_the_store_row_count(filled, table, fmt):
    out = io.BytesIO()
    written = export(filled, table, fmt, out)
    frame = read_back(fmt, out.getvalue())
    assert written == len(frame) == queries.count_rows(filled.engine, table) > 0
    if not (table == "documents" and fmt == "jsonl"):   # that one is the whole contract object
        assert list(frame.columns) == queries.columns(table)


def test_event_rows_carry_gdelt_like_columns(filled):
    out = io.BytesIO()
    export(filled, "events", "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode())))
    assert set(GDELT_LIKE) <= set(rows[0])
    first = rows[0]
    assert first["plover_type"] == "CONSULT" and first["cameo_root"] == "04"
    assert first["source_country"] and first["target_country"] and first["source_url"].startswith("https://")
    assert float(first["place_lat"]) and first["evidence"]
    assert len(rows) == 18  # 12 CONSULT + 6 ACCUSE


def test_parquet_keeps_types(filled):
    out = io.BytesIO()
    export(filled, "events", "parquet", out)
    frame = pd.read_parquet(io.BytesIO(out.getvalue()))
    assert frame["place_lat"].dtype == "float64" and frame["event_index"].dtype == "int64"
    assert frame["confidence"].between(0, 1).all()


def test_documents_jsonl_is_the_output_contract(filled):
    out = io.BytesIO()
    export(filled, "documents", "jsonl", out)
    first = json.loads(out.getvalue().decode().splitlines()[0])
    assert set(first) >= {"doc", "id", "article", "entities", "actors", "quotes", "events"}


def test_empty_store_exports_headers_only(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'empty.db'}")
    for fmt in FORMATS:
        out = io.BytesIO()
        assert export(store, "events", fmt, out) == 0
    out = io.BytesIO()
    export(store, "events", "parquet", out)
    assert list(pd.read_parquet(io.BytesIO(out.getvalue())).columns) == queries.columns("events")


def test_export_command_writes_files_and_picks_format_from_suffix(cli, tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    Store(url).save_many(make_documents(4))
    target = tmp_path / "out" / "events.parquet"
    result = cli(["export", "--table", "events", "--out", target, "--db", url])
    assert result.exit_code == 0, result.output
    assert len(pd.read_parquet(target)) == 6
    result = cli(["export", "--table", "quotes", "--format", "jsonl", "--db", url])
    assert result.exit_code == 0 and len([line for line in result.stdout.splitlines() if line.startswith("{")]) == 4
    assert cli(["export", "--table", "nope", "--db", url]).exit_code == 2
