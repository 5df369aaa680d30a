"""The extract stage: ``Record`` -> ``Article`` (title, authors, outlet, dates, dateline, body).

Text captures go through Dateline's own line rules (``extract.text``), HTML through
trafilatura + htmldate with a post-filter (``extract.html``), and JSON Lines article text
(kind "plain") is taken as it is: it is already the article. Every kind gets its
dateline and agency from the lead paragraph.
"""
from __future__ import annotations

from dateline.extract.dateline import parse_dateline
from dateline.extract.language import add_language
from dateline.model import Article, DatelineError, Record
from dateline.settings import Settings

__all__ = ["extract_article", "parse_dateline"]


def extract_article(record: Record, settings: Settings | None = None) -> Article:
    """The clean article of one record; raises DatelineError when the page holds none.

    Any other error raised while reading a page (a parser or library failure on odd
    markup) is also reported as a DatelineError for that record: one strange page must
    cost one line on stderr, never the run. ``settings``: the run's (its ``[limits]``
    guard the markup); None: the packaged defaults."""
    try:
        return _extract(record, settings)
    except DatelineError:
        raise
    except RecursionError:
        raise DatelineError(record.source, "page too deeply nested to read") from None
    except Exception as exc:  # noqa: BLE001 - a boundary: the reason goes into a DatelineError
        detail = " ".join(str(exc).split())[:160]
        raise DatelineError(record.source, f"extraction failed ({type(exc).__name__}: {detail})") from None


def _extract(record: Record, settings: Settings | None) -> Article:
    if record.kind == "html":
        from dateline.extract.html import extract_html

        article = extract_html(record, settings.limits if settings else None)
    elif record.kind == "plain":
        article = _plain(record)
    else:
        from dateline.extract.text import extract_text_capture

        article = extract_text_capture(record)
    _clean_byline(article)
    _apply_given(article, record)
    _add_dateline(article)
    add_language(article)
    return article


def _clean_byline(article: Article) -> None:
    from dateline.extract.authors import clean_authors

    article.authors, agency = clean_authors(article.authors, article.outlet)
    article.agency = article.agency or agency


def _apply_given(article: Article, record: Record) -> None:
    """What the container states (JSON Lines fields, a posted document's fields) wins over
    what was read from the page: it is what the person who collected the page knows."""
    article.title = record.title or article.title
    article.url = record.url or article.url
    if record.date:
        from dateline.extract.dates import find_date

        found = find_date(record.date)
        given = found[0] if found else (record.date[:10] if record.date[:4].isdigit() else None)
        article.published = given or article.published
        article.page_date = article.page_date or given
    article.outlet = record.meta.get("outlet") or article.outlet
    article.authors = list(record.meta.get("authors") or article.authors)
    article.language = record.meta.get("language") or article.language


def _plain(record: Record) -> Article:
    """JSON Lines text is the article already: paragraphs as given, nothing stripped."""
    text = record.content.replace("\r\n", "\n")
    blocks = [b.strip() for b in text.split("\n\n") if b.strip()]
    if len(blocks) <= 1:
        blocks = [line.strip() for line in text.split("\n") if line.strip()]
    if not blocks:
        raise DatelineError(record.source, "no article text found (empty text)")
    return Article(title=record.title, url=record.url, body=blocks)


def _add_dateline(article: Article) -> None:
    for paragraph in article.body[:2]:
        place, agency = parse_dateline(paragraph)
        if place or agency:
            article.dateline, article.agency = place, agency or article.agency
            return
