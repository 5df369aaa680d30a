"""JSON Lines rows as people and scrapers write them (invented rows)."""
from __future__ import annotations

import json
from pathlib import Path

from dateline.extract import extract_article
from dateline.ingest.jsonl import authors_of, read_jsonl
from dateline.model import Failure, Record

TEXT = ("The regional assembly approved the new water budget on Monday after a long debate, members said.\n\n"
        "The budget sets aside money for three reservoirs and a pipeline to the dry southern valleys.")
HTML = ("<html><head><title>Water budget passes</title><meta property='og:site_name' content='Valley Times'></head>"
        "<body><article><h1>Water budget passes</h1><p>The regional assembly approved the new water budget on Monday "
        "after a long debate among its members, who had argued over it for weeks.</p><p>The budget sets aside money for "
        "three reservoirs and a pipeline to the dry southern valleys, according to the finance office.</p></article></body></html>")


def _records(*rows: dict) -> list[Record | Failure]:
    return list(read_jsonl("\n".join(json.dumps(r) for r in rows), Path("rows.jsonl")))


def test_our_own_fields_reach_the_article():
    [record] = _records({"id": "a1", "text": TEXT, "title": "Water budget passes", "url": "https://valley.example/a1",
                         "date": "2024-03-12T08:00:00Z", "outlet": "Valley Times", "authors": ["Ana Ruiz", "Tom Lee"]})
    article = extract_article(record)
    assert (article.title, article.outlet, article.authors, article.published, article.url) == (
        "Water budget passes", "Valley Times", ["Ana Ruiz", "Tom Lee"], "2024-03-12", "https://valley.example/a1")
    assert article.body[0].startswith("The regional assembly")


def test_a_row_with_html_is_extracted_as_a_page_and_its_fields_win():
    [record] = _records({"id": "h1", "html": HTML, "date": "12 March 2024", "authors": "Ana Ruiz and Tom Lee"})
    assert record.kind == "html"
    article = extract_article(record)
    assert article.title == "Water budget passes"
    assert (article.published, article.authors) == ("2024-03-12", ["Ana Ruiz", "Tom Lee"])
    assert any("reservoirs" in p for p in article.body)


def test_news_please_rows_are_mapped():
    [record] = _records({"maintext": TEXT, "title": "Water budget passes", "date_publish": "2024-03-12 08:00:00",
                         "source_domain": "www.valley.example", "authors": ["Ana Ruiz"], "language": "en",
                         "url": "https://www.valley.example/a1"})
    article = extract_article(record)
    assert (article.outlet, article.published, article.authors, article.language) == (
        "valley.example", "2024-03-12", ["Ana Ruiz"], "en")


def test_newspaper_style_rows_are_mapped():
    [record] = _records({"text": TEXT, "publish_date": "2024-03-12", "authors": [{"name": "Ana Ruiz"}],
                         "source_url": "https://valley.example"})
    article = extract_article(record)
    assert (article.outlet, article.published, article.authors) == ("valley.example", "2024-03-12", ["Ana Ruiz"])


def test_a_row_without_any_article_text_is_a_failure_naming_the_line():
    [failure] = _records({"id": "x", "title": "Only a title"})
    assert isinstance(failure, Failure) and failure.source == "rows.jsonl line 1" and "no 'text'" in failure.reason


def test_author_strings_split_into_names():
    assert authors_of("Ana Ruiz, Tom Lee and Kim Park") == ["Ana Ruiz", "Tom Lee", "Kim Park"]
    assert authors_of(None) == []
