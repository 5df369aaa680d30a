"""Cheap checks on raw HTML before lxml parses it.

lxml's parser is superlinear in the number of attributes on one element (10k attributes
0.27 s, 40k 11.3 s), so a small hostile page could hold a worker for minutes. Counting '='
inside the rare very long tags costs one regex pass over the page. Extraction costs ~50 us
an element, so a page of 200k empty paragraphs held a worker 10 s; a news page has a few
thousand elements, and a page with more than ``limits.max_tags_per_page`` is refused.
"""
from __future__ import annotations

import re
from functools import lru_cache

from dateline.model import DatelineError
from dateline.settings import Limits

_LONG_TAG_CHARS = 20000  # only tags at least this long can hold too many attributes


_START_TAG = re.compile(r"<[A-Za-z]")


@lru_cache(maxsize=1)
def _long_tag() -> re.Pattern[str]:
    return re.compile(r"<[A-Za-z][^<>]{%d,}" % _LONG_TAG_CHARS)


def check_markup(source: str, html: str, limits: Limits | None = None) -> None:
    """Refuse a page whose one tag holds more attributes than lxml parses in reasonable time,
    or which holds more elements than any article page does (``limits``: the run's; None:
    the defaults of ``Limits``, which are data/config.toml's)."""
    limits = limits or Limits()
    tags_limit = limits.max_tags_per_page
    if html.count("<") > tags_limit:  # cheap first; then count start tags only
        tags = sum(1 for _ in _START_TAG.finditer(html))
        if tags > tags_limit:
            raise DatelineError(source, f"pathological markup: ~{tags} elements (limit {tags_limit}, "
                                        "limits.max_tags_per_page)")
    limit = limits.max_attributes_per_tag
    for match in _long_tag().finditer(html):
        count = match.group().count("=")
        if count > limit:
            raise DatelineError(source, f"pathological markup: one tag holds ~{count} attributes "
                                        f"(limit {limit}, limits.max_attributes_per_tag)")
