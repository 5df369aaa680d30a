"""The post-filter of HTML article text: trafilatura's body lines less the repeated headline
and kicker, "Read More:" lines and promo boxes, bylines and date lines, share, cookie and
newsletter lines, author bios, and everything after a late "Tags" / "Comments" marker."""
from __future__ import annotations

import re

from dateline.extract import lines as L
from dateline.extract.dateline import parse_dateline
from dateline.model import Article


def post_filter(lines: list[str], article: Article, limits: dict[str, int]) -> list[str]:
    """The body lines trafilatura kept, less what an article has no use for; what they hold
    (related headlines, bylines, dates, bios) goes to ARTICLE."""
    lines = _drop_headline(lines, article.title, limits["title_lookahead"])
    related = {h.lower() for h in article.related}
    authors = {a.lower() for a in article.authors} | {n.lower() for n in article.author_bios}
    body: list[str] = []
    promo_until = -1
    for number, line in enumerate(lines):
        if L.is_end(line) and number >= len(lines) // 2:  # "Tags", "Comments", "Most read" late on
            break
        if number <= promo_until:
            continue
        if L.is_related_header(line):  # "DON'T MISS", "Related": a promo box set in the text
            promo_until = _promo_box_end(lines, number, article, limits["related_max_words"])
            continue
        if not body and (byline := L.parse_byline(line, loose=True)):  # "Jane Doe — 28 June 2025" above the lead
            article.authors = article.authors or byline.authors
            article.published = article.published or byline.date
            continue
        headline = L.related_headline(line)
        if headline:
            if headline not in article.related:
                article.related.append(headline)
        elif line.lower() in related or L.is_drop(line) or L.date_kind(line):
            continue
        elif byline := L.parse_byline(line):
            article.authors = article.authors or byline.authors
            article.published = article.published or byline.date
        elif (bio := L.parse_bio(line)) and (bio.name.lower() in authors or line in article.author_bios.values()):
            article.author_bios.setdefault(bio.name, line)
        else:
            body.append(line)
    while len(body) > 1 and (bio := L.parse_bio(body[-1])) and bio.name.lower() in authors:
        article.author_bios.setdefault(bio.name, body.pop())
    return body


def _promo_box_end(lines: list[str], header: int, article: Article, limit: int) -> int:
    """The last line of the headline list under a promo header; its headlines go to related."""
    end = header
    for line in lines[header + 1:]:
        if L.is_prose(line) or L.ends_sentence(line) or L.words(line) > limit:
            break
        if line not in article.related:
            article.related.append(line)
        end += 1
    return end


def _drop_headline(lines: list[str], title: str | None, lookahead: int) -> list[str]:
    """trafilatura keeps the page's h1 (and the kicker above it) as the first lines."""
    wanted = word_key(title or "")
    for i, line in enumerate(lines[:lookahead]):
        if wanted and word_key(line) == wanted:
            # the kicker above the headline goes with it; prose above it is the lede, which some
            # pages print before a repeated headline ("(CNN) President ...", then the h1 again)
            return [above for above in lines[:i] if L.is_prose(above) or _dateline_lede(above)] + lines[i + 1:]
    # No headline line: still drop a kicker ("Great Lakes", "Politics") opening the text.
    start = 0
    while start < min(len(lines) - 1, 2) and L.words(lines[start]) <= 3 and len(lines[start]) <= 30 \
            and not L.ends_sentence(lines[start]):
        start += 1
    return lines[start:]


def _dateline_lede(line: str) -> bool:
    return L.words(line) >= 6 and parse_dateline(line) != (None, None)


def word_key(text: str) -> str:
    """The words of TEXT, lower-cased: two spellings of one headline compare equal."""
    return " ".join(re.findall(r"\w+", text.lower()))
