"""The pipeline: records -> articles -> analysed documents, batched through spaCy.

Pure functions of the data model (no store, no printing), so the same code runs in a
test, in one process, in a worker pool or on a Ray node.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from dateline.extract import extract_article
from dateline.model import Article, DatelineError, Document, Failure, Record
from dateline.settings import Settings, load_settings

Result = Document | Failure


class Pipeline:
    """``Pipeline(settings).run(records)`` yields a Document or a Failure per record.

    ``settings``: a ``Settings`` (what a run passes), or a config file path read here
    (None: the packaged defaults)."""

    def __init__(self, settings: Settings | str | None = None, analyse: bool = True):
        self.settings = settings if isinstance(settings, Settings) else load_settings(settings)
        self.analyse = analyse
        self._nlp: Any = None
        self.limits = self.settings.limits

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            from dateline import nlp  # imported late: extraction-only runs never load spaCy

            self._nlp = nlp.load(self.settings)
        return self._nlp

    def run(self, items: Iterable[Record | Failure], batch_size: int = 32) -> Iterator[Result]:
        iterator = iter(items)
        while batch := list(islice(iterator, batch_size)):
            yield from self.run_batch(batch)

    def run_batch(self, items: list[Record | Failure]) -> list[Result]:
        """Extract every record, then analyse the articles together (spaCy's fast path)."""
        results: list[Result | None] = []
        pending: list[tuple[int, Record, Article]] = []
        for item in items:
            if isinstance(item, Failure):
                results.append(item)
                continue
            try:
                article = self._extract(item)
            except DatelineError as exc:
                results.append(Failure(exc.source, exc.reason, stage="extract"))
                continue
            pending.append((len(results), item, article))
            results.append(None)
        for (slot, record, article), document in zip(pending, self._documents(pending)):
            results[slot] = document
        return [r for r in results if r is not None]

    def _extract(self, record: Record) -> Article:
        """The article, refusing pages too big to analyse in bounded time and memory."""
        max_bytes = self.limits.max_input_bytes
        if max_bytes and len(record.content) > max_bytes:
            raise DatelineError(record.source, f"input too large ({len(record.content)} characters, limit {max_bytes})")
        article = extract_article(record, self.settings)
        if not any(char.isalnum() for char in article.text):
            # e.g. a JSON Lines row whose text is only NUL characters or punctuation
            raise DatelineError(record.source, "no article text found (no letters or digits)")
        max_chars = self.limits.max_article_chars
        if max_chars and len(article.text) > max_chars:
            raise DatelineError(record.source, f"article too long ({len(article.text)} characters, limit {max_chars})")
        return article

    def _documents(self, pending: list[tuple[int, Record, Article]]) -> Iterator[Result]:
        if not self.analyse:
            for _, record, article in pending:
                yield Document(doc=record.source, article=article)
            return
        from dateline.extract.language import is_coded

        coded = [item for item in pending if is_coded(item[2])]
        analysed = iter(self.nlp.pipe([self._make_doc(article) for _, _, article in coded])) if coded else iter(())
        for _, record, article in pending:
            # a language the nlp stage does not code: the article with its note, no English analysis of it
            yield document_from_doc(record.source, article, next(analysed)) if is_coded(article) else \
                Document(doc=record.source, article=article)

    def _make_doc(self, article: Article) -> Any:
        doc = self.nlp.make_doc(article.text)
        doc._.anchor_date = article.anchor_date
        doc._.dateline = article.dateline
        return doc


def document_from_doc(source: str, article: Article, doc: Any) -> Document:
    """Gather what the components added to a spaCy Doc into a Document."""
    ext = doc._
    return Document(
        doc=source,
        article=article,
        entities=list(ext.mentions or []),
        actors=dict(ext.actors or {}),
        quotes=list(ext.quotes or []),
        events=list(ext.events or []),
        places=list(ext.places or []),
        times=list(ext.times or []),
    )


def process(inputs: Iterable[str], settings: Settings | str | None = None, analyse: bool = True) -> Iterator[Result]:
    """Every input path (file, folder) through the whole pipeline."""
    from dateline.ingest import iter_records

    yield from Pipeline(settings, analyse).run(iter_records(inputs))
