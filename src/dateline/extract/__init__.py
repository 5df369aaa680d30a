"""The extract stage: ``Record`` -> ``Article`` (title, authors, outlet, dates, dateline, body)."""
from __future__ import annotations

from dateline.model import Article, DatelineError, Record


def extract_article(record: Record) -> Article:
    """The clean article of one record; raises DatelineError when the page holds none."""
    paragraphs = [p.strip() for p in record.content.split("\n\n") if p.strip()]
    if not paragraphs:
        raise DatelineError(record.source, "no article text found")
    return Article(title=record.title or paragraphs[0], body=paragraphs[1:] or paragraphs, url=record.url)
