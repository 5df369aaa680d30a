"""HTML pages -> Article: trafilatura for the body and the metadata (htmldate for the
date), on one lxml tree parsed once, then Dateline's post-filter.

Tuning measured on shared/corpus/extraction-dev: trafilatura's precision mode with
comments excluded, first without its external readability/justext comparison (about half
the cost), the full cascade only when that pass leaves almost no text. The post-filter
drops what an article has no use for (repeated headline and kicker, "Read More:" lines,
bylines and date lines, share/cookie/newsletter lines, author bios, everything after a
late "Tags"/"Comments" marker; ``extract.html_filter``). Related headlines, author bios and byline names are read
from the page's marked boxes before trafilatura prunes the tree.
"""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

from htmldate import find_date
from lxml import etree
from trafilatura import bare_extraction
from trafilatura.settings import set_date_params
from trafilatura.utils import load_html

from dateline.extract import lines as L
from dateline.extract.html_filter import post_filter, word_key
from dateline.extract.outlet import choose_outlet
from dateline.ingest.guards import check_markup
from dateline.settings import Limits
from dateline.model import Article, DatelineError, Record

_SPACE = re.compile(r"\s+")
_BYLINE_DATE = re.compile(r"\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|jan(?:uary)?|feb(?:ruary)?|march|april|june|"
                          r"july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|updated|published)\b|\d|\|",
                          re.IGNORECASE)
# A short run of words between two tags in the page source: a heading's text, maybe.
_SHORT_TEXT = re.compile(r">\s*([A-Za-z][A-Za-z'’ ]{3,38}?)\s*:?\s*<")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "span", "div", "p")


@lru_cache(maxsize=1)
def _hints() -> dict[str, Any]:
    return tomllib.loads(resources.files("dateline.data").joinpath("extract/html.toml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    sel = _hints()["selectors"]
    patterns = {key: re.compile(sel[key], re.IGNORECASE) for key in ("related", "not_related", "author_box", "byline")}
    # Literal words searched in lower-cased values: no case folding, no backtracking.
    patterns["prefilter"] = re.compile("|".join(re.escape(f) for f in sel["prefilter"]))
    return patterns


@lru_cache(maxsize=1)
def _xpaths() -> dict[str, etree.XPath]:
    tags = " or ".join(f"self::{tag}" for tag in _HEADINGS)
    return {"marks": etree.XPath("//body//@class | //body//@id"),
            "head_title": etree.XPath("//head/title/text()"),
            "h1": etree.XPath("//body//h1"),
            "author_links": etree.XPath("//body//a[@rel='author'] | //body//*[@itemprop='author' and not(*)]"
                                        " | //body//*[@itemprop='author']//*[@itemprop='name']"),
            "heading": etree.XPath(f"//body//*[{tags}][not(*)][normalize-space(translate(text(), ':', ''))=$text]"),
            "modified": etree.XPath("//meta[@property='article:modified_time' or @name='last-modified' "
                                    "or @itemprop='dateModified']/@content")}


def extract_html(record: Record, limits: Limits | None = None) -> Article:
    check_markup(record.source, record.content, limits)
    tree = load_html(record.content)
    if tree is None:
        raise DatelineError(record.source, "not an HTML page (cannot be parsed)")
    meta = page_metadata(tree, record.url)  # before extraction: trafilatura prunes the tree it is given
    meta.title = displayed_headline(tree, meta.title) or meta.title
    related, bios, byline_names = _boxes(tree, record.content)
    modified = _first(_xpaths()["modified"](tree))
    lines = _body_lines(tree, record)
    if not lines:
        raise DatelineError(record.source, "no article text found in the HTML page")
    article = Article(
        title=_clean(meta.title) or None,
        authors=_authors(meta.author) or byline_names,
        outlet=_clean(meta.sitename) or None,
        published=meta.date or None,
        url=meta.url or record.url,
        related=related,
        author_bios=bios,
        language=meta.language or _page_language(tree),
    )
    article.page_date = (modified or "")[:10] or article.published
    article.outlet = choose_outlet(tree, record.content, _title_suffix(tree, article.title), article.outlet) \
        or _bio_outlet(bios)
    article.title = _without_site_name(article.title, article.outlet)
    article.authors = article.authors or list(bios)  # an author box names the author
    article.body = post_filter(lines, article, _hints()["thresholds"])
    if not _is_article(article.body):
        raise DatelineError(record.source, "no article text found in the HTML page")
    return article


def _body_lines(tree: Any, record: Record) -> list[str]:
    """trafilatura's precision mode without its external comparison first (fast); the full
    cascade (readability/justext comparison) only when that leaves little text, and recall
    mode last. Measured on the benchmark pages the fast pass matches the full one on all
    but the pages it nearly empties, which the second pass rescues, at about half the cost."""
    limit = _hints()["thresholds"]["fallback_below_chars"]
    lines = _lines(_trafilatura(tree, record.url, favor_precision=True, fast=True))
    if sum(len(line) for line in lines) >= limit:
        return lines
    fuller = _lines(_trafilatura(load_html(record.content), record.url, favor_precision=True))
    if sum(len(line) for line in fuller) < limit:
        fuller = max(fuller, _lines(_trafilatura(load_html(record.content), record.url, favor_recall=True)), key=len)
    return fuller if sum(map(len, fuller)) > sum(map(len, lines)) else lines


def page_metadata(tree: Any, url: str | None) -> Any:
    """trafilatura's metadata steps that an Article needs (meta tags, JSON-LD, title, URL,
    site name, htmldate without extensive search), skipping categories, tags and licence,
    which Dateline does not keep, and its author search, half the cost of the metadata:
    bylines come from ``_byline_names`` during the pass over the page's boxes instead."""
    try:
        from trafilatura.metadata import (
            examine_meta,
            extract_meta_json,
            extract_sitename,
            extract_title,
            extract_url,
        )
    except ImportError:  # pragma: no cover - older or newer trafilatura: use its whole metadata pass
        from trafilatura.metadata import extract_metadata

        return extract_metadata(tree, url, date_config=_date_params())
    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None  # a single token is a user name or a site handle, not a byline
    try:
        meta = extract_meta_json(tree, meta)
    except Exception:  # noqa: BLE001, S110 - trafilatura's JSON-LD reader fails on some malformed blocks; meta tags remain
        pass
    meta.title = meta.title or extract_title(tree)
    meta.url = meta.url or extract_url(tree, url)
    meta.date = find_date(tree, url=meta.url, **_date_params())
    meta.sitename = (meta.sitename or extract_sitename(tree) or "").lstrip("@") or None
    return meta


def displayed_headline(tree: Any, meta_title: str | None) -> str | None:
    """The headline the page shows (its <h1>) when it tells the same story as the meta title.

    og:title and <title> are often a shorter social or search headline ("WeWork employees to be
    laid off" over the shown "Major WeWork layoffs to begin today"); readers, archives and the
    gold cite the shown one. An <h1> counts when it reads as a headline and either sits in the
    page's <article>/<main> or shares most of its words with the meta title; a logo or section
    name in an <h1> fails both."""
    limits = _hints()["thresholds"]
    meta_words = _word_set(meta_title or "")
    for h1 in _xpaths()["h1"](tree):
        text = _clean(" ".join(h1.itertext()))
        words = _word_set(text)
        if not limits["headline_min_words"] <= L.text_words(text) <= limits["headline_max_words"]:
            continue
        shared = len(meta_words & words) / min(len(meta_words), len(words)) if meta_words and words else 0.0
        in_story = any(a.tag in ("article", "main") for a in h1.iterancestors())
        if shared >= limits["headline_shared_words"] or (in_story and shared >= limits["headline_story_shared_words"]):
            return text
    return None


def _word_set(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _date_params() -> dict[str, Any]:
    # No extensive search: it guesses from copyright lines and URLs, and `published` must
    # be a date the page states (meta tags, JSON-LD, <time>, bylines).
    return set_date_params(extensive=False)


def _page_language(tree: Any) -> str | None:
    """The primary language subtag of <html lang="en-GB"> ("en"), when the page declares one."""
    match = re.match(r"\s*([A-Za-z]{2,3})\b", tree.get("lang") or "")
    return match.group(1).lower() if match else None


def _title_suffix(tree: Any, title: str | None) -> str | None:
    """The site name many pages append to <title>: "Headline – The Horn Chronicle"."""
    head_title = _clean(_first(_xpaths()["head_title"](tree)))
    parts = re.split(r"\s+[|–—-]\s+", head_title)
    if len(parts) < 2:
        return None
    suffix = parts[-1].strip()
    if not suffix or (title and word_key(suffix) in word_key(title)) or L.words(suffix) > 5:
        return None
    return suffix


def _without_site_name(title: str | None, outlet: str | None) -> str | None:
    """ "Headline | The Lakes Herald" -> "Headline" when the suffix is the outlet."""
    if not title or not outlet:
        return title
    parts = re.split(r"\s+[|–—-]\s+", title)
    if len(parts) > 1 and word_key(parts[-1]) == word_key(outlet):
        return title[: title.rfind(parts[-1])].rstrip(" |–—-")
    return title


def _bio_outlet(bios: dict[str, str]) -> str | None:
    return next((bio.outlet for text in bios.values() if (bio := L.parse_bio(text)) and bio.outlet), None)


def _is_article(body: list[str]) -> bool:
    """Menus and link lists survive extraction as a few short lines; an article has sentences."""
    limits = _hints()["thresholds"]
    return (sum(L.words(p) for p in body) >= limits["article_min_words"]
            and any(L.words(p) >= limits["sentence_min_words"] for p in body))


def _trafilatura(tree: Any, url: str | None, **options: Any) -> Any:
    if tree is None:
        return None
    return bare_extraction(tree, url=url, include_comments=False, with_metadata=False, **options)


def _lines(doc: Any) -> list[str]:
    if doc is None or not doc.text:
        return []
    return [line.strip() for line in doc.text.split("\n") if line.strip()]


def _first(values: list[Any]) -> str | None:
    return str(values[0]).strip() if values else None


def _clean(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


def _authors(value: str | None) -> list[str]:
    names = [_clean(n) for n in re.split(r";|\s+and\s+|\s*&\s*", value or "")]
    return [n for n in names if n and L.words(n) <= 6]


def _text(element: Any) -> str:
    return _clean(" ".join(element.itertext()))


def _boxes(tree: Any, html: str) -> tuple[list[str], dict[str, str], list[str]]:
    """Related headlines, author bios and byline names from the elements the page marks by
    class or id (one pass over the attribute values), plus boxes opened by a "Related" heading."""
    patterns = _patterns()
    related_boxes, author_boxes, bylines, seen = [], [], [], set()
    prefilter = patterns["prefilter"]
    for value in _xpaths()["marks"](tree):
        if not prefilter.search(value.lower()):
            continue
        element = value.getparent()
        if element in seen:
            continue
        seen.add(element)
        marks = f"{element.get('class', '')} {element.get('id', '')}"
        if patterns["author_box"].search(marks):
            author_boxes.append(element)
        elif patterns["related"].search(marks) and not patterns["not_related"].search(marks):
            related_boxes.append(element)
        elif patterns["byline"].search(marks):
            bylines.append(element)
    related_boxes += _boxes_under_related_headings(tree, html)
    return _headlines(related_boxes), _bios(author_boxes), _byline_names(tree, html, bylines)


def _byline_names(tree: Any, html: str, elements: list[Any]) -> list[str]:
    """Names in rel=author / itemprop=author links, else in the first byline-like element:
    what trafilatura's author search finds, at a fraction of its cost."""
    marked = 'rel="author"' in html or "rel='author'" in html or "itemprop" in html
    for element in (_xpaths()["author_links"](tree) if marked else []) + elements:
        text = re.sub(r"^(?:by|written by|posted by|author:?)\s+", "", _text(element), flags=re.IGNORECASE)
        text = _BYLINE_DATE.split(text)[0]  # "Jane Doe Monday, November 18, 2019" -> "Jane Doe"
        if not text or L.words(text) > 10:
            continue
        names = [L.tidy_name(n) for n in re.split(r"\s*(?:,|\band\b|&|;|—|–|\||·|•)\s*", text) if n.strip()]
        names = [n for n in names if L.looks_like_name(n)]
        if names:
            return list(dict.fromkeys(names))
    return []


def _headlines(boxes: list[Any]) -> list[str]:
    limits = _hints()["thresholds"]
    headlines: list[str] = []
    for box in boxes:
        for link in box.iter("a"):
            text = _text(link)
            if limits["related_min_words"] <= L.words(text) <= limits["related_max_words"] and text not in headlines:
                headlines.append(text)
    return headlines[: limits["related_max_items"]]


def _boxes_under_related_headings(tree: Any, html: str) -> list[Any]:
    """A "You may also like" / "Related" heading names the box it opens (its parent)."""
    boxes: list[Any] = []
    # The raw source tells which heading texts occur; the tree is then searched for exactly
    # those texts (a plain string comparison in XPath, far cheaper than matching every node).
    texts = {_clean(m.group(1)) for m in _SHORT_TEXT.finditer(html) if L.is_related_header(m.group(1))}
    for text in texts:
        for element in _xpaths()["heading"](tree, text=text):
            if len(element) == 0 and element.getparent() is not None:
                boxes.append(element.getparent())
    return boxes


def _bios(boxes: list[Any]) -> dict[str, str]:
    bios: dict[str, str] = {}
    for box in boxes:
        text = _text(box)
        if not text or L.words(text) > 150:
            continue
        # The bio sentence usually sits in its own paragraph beside a name heading.
        parts = [_text(part) for part in box.iterdescendants("p", "div", "span")] + [text]
        bio = next((found for part in parts if (found := L.parse_bio(part))), None)
        if bio:
            bios.setdefault(bio.name, bio.text)
        elif name := _name_in(box):
            bios.setdefault(name, _without_heading(text, name))
    return bios


def _without_heading(text: str, name: str) -> str:
    """A box with a name heading over a bio that names the author again reads "Jane Doe
    Jane Doe covers ..." as one text: keep the bio sentence alone."""
    rest = text[len(name):].lstrip(" :|-\u2014") if text.startswith(name) else text
    return rest if rest.startswith(name) else text


def _name_in(box: Any) -> str | None:
    for element in box.iter("b", "strong", "h2", "h3", "h4", "h5", "a", "span"):
        text = _text(element)
        if L.looks_like_name(text):
            return text
    return None
