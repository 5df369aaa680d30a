"""Feed and sitemap URLs: discover article links with trafilatura, fetch each page.

Only used when an input is an http(s) URL. Without a network every URL becomes one
clear Failure instead of a hang or a traceback (trafilatura's fetches time out).
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from dateline.model import Failure, Record

_URL = re.compile(r"^(https?):/+(.+)$", re.IGNORECASE)
MAX_ARTICLES = 200  # a feed or sitemap can list thousands of links; keep one run bounded


def normalise_url(value: str) -> str | None:
    """The URL an argument names, or None. Path() folds "https://" to "https:/", so undo that."""
    match = _URL.match(value.strip())
    return f"{match.group(1).lower()}://{match.group(2)}" if match else None


def read_url(url: str) -> Iterator[Record | Failure]:
    try:
        from trafilatura import fetch_url
        from trafilatura.feeds import find_feed_urls
        from trafilatura.sitemaps import sitemap_search
    except ImportError as exc:  # pragma: no cover - trafilatura is a dependency
        yield Failure(url, f"cannot read URLs: {exc}")
        return
    try:
        links = find_feed_urls(url) or sitemap_search(url)
    except Exception as exc:  # noqa: BLE001 - network stacks raise many kinds; all mean "could not fetch"
        yield Failure(url, f"cannot fetch feed or sitemap: {' '.join(str(exc).split())[:160]}")
        return
    if not links:
        page = _fetch(fetch_url, url)
        if page is None:
            yield Failure(url, "cannot fetch: no network, or no feed, sitemap or page at this URL")
        else:
            yield Record(source=url, content=page, kind="html", url=url)
        return
    for link in links[:MAX_ARTICLES]:
        page = _fetch(fetch_url, link)
        yield Record(source=link, content=page, kind="html", url=link) if page else Failure(link, "cannot fetch page")


def _fetch(fetch_url, url: str) -> str | None:
    try:
        return fetch_url(url)
    except Exception:  # noqa: BLE001 - a failed fetch is reported by the caller as a Failure
        return None
