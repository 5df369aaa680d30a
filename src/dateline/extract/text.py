"""Plain-text page captures -> Article.

A capture is what a browser's "select all, copy" gives: the article among menus,
weather and date bars, bylines, "Read More:" lines, share buttons, cookie and newsletter
boxes, author boxes and "Trending" lists. The rules, in order:

1. The lead is the first prose line (long, with sentence punctuation) that more prose
   follows; clutter that reads like prose (cookie banners, newsletter boxes) is dropped first.
2. The headline is the best-scoring line of the head above the lead (``extract.headline``:
   shape, neighbours, repetition; a prose line with a byline or date under it belongs to
   the head, not the text); lines between the two are the byline zone (authors, outlet, the publication date); lines above the
   headline are the masthead (its date bar gives the page date only).
3. The body runs from the lead to the first end marker ("Website | + posts", "Trending
   Now", "Most popular", copyright...). Inside it, "Read More:" lines and "RELATED" lists
   go to ``related``, clutter lines and author bios are dropped, and short tag lines
   trailing the last paragraph are cut.
4. Author boxes after the body give bios, and authors and outlet when no byline did.

The head and tail are read by ``extract.capture_meta``; this module finds where they are.
"""
from __future__ import annotations

import re
from functools import lru_cache

from dateline.extract import lines as L
from dateline.extract.dateline import parse_dateline
from dateline.extract.capture_meta import Found, move_trailing_bios, note_date, read_byline_zone, read_masthead, read_tail
from dateline.extract.headline import is_metadata, is_stamp, pick_headline
from dateline.extract.rules import load_rules
from dateline.model import Article, DatelineError, Record


# "About Jane Doe" over an author box, in the languages of the pages read.
_ABOUT = re.compile(r"^(?:about|sobre|über|à propos de|acerca de|su|об авторе:?)\s+", re.IGNORECASE)


def split_lines(text: str) -> list[str]:
    return [line for line, _ in split_blocks(text)]


def split_blocks(text: str) -> list[tuple[str, int]]:
    """Non-empty lines with the number of the blank-line-separated block each sits in;
    a hard-wrapped paragraph (plain-text files cut at ~72 columns) becomes one line."""
    out: list[tuple[str, int]] = []
    blocks = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " "))
    for number, block in enumerate(blocks):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if _hard_wrapped(lines):
            lines = [" ".join(lines)]
        out += [(line, number) for line in lines]
    return out


def _hard_wrapped(lines: list[str]) -> bool:
    """Several long lines of similar length where sentences run on into lower-case line
    starts: one paragraph wrapped at a fixed width, not a list of headlines or links."""
    if len(lines) < 2 or any(L.bullet_item(line) for line in lines):
        return False
    body = lines[:-1]
    widest = max(len(line) for line in body)
    if min(len(line) for line in body) < 0.6 * widest or widest < 40:
        return False
    run_on = sum(1 for line in lines[1:] if line[:1].islower() or line[:1] in "(,;")
    return run_on * 3 >= len(lines) - 1


def extract_text_capture(record: Record) -> Article:
    blocks = split_blocks(record.content)
    lines = [line for line, _ in blocks]
    start = _lead_index(lines)
    if start is None:
        raise DatelineError(record.source, "no article text found (no paragraph of prose)")
    found = Found()
    title_at, start = _title_index(lines, start)
    title_at, start = _clean_capture(blocks, title_at, start)
    masthead = lines[: title_at if title_at is not None else start]
    read_masthead(masthead, found)
    read_byline_zone(lines[(title_at + 1 if title_at is not None else start): start], found, _lower_case_words(record.content))
    body, end = _walk_body(lines, start, found)
    read_tail(lines[end:], found)
    move_trailing_bios(body, found)
    if not body:
        raise DatelineError(record.source, "no article text found after removing page clutter")
    return Article(
        title=record.title or (lines[title_at] if title_at is not None else None),
        authors=found.authors,
        outlet=found.outlet or found.bio_outlet or _masthead_name(masthead) or found.copyright_owner,
        published=found.published or found.updated,
        page_date=found.updated or found.page_date or found.published,
        url=record.url,
        body=body,
        related=found.related,
        author_bios=found.bios,
        agency=found.agency,
    )


def _lower_case_words(text: str) -> frozenset[str]:
    """The words the page writes in lower case somewhere: common words, not names (web
    and mail addresses, which write names in lower case too, are left out)."""
    prose = " ".join(token for token in text.split() if not any(ch in token for ch in "/@.=_"))
    return frozenset(word for word in re.findall(r"[^\W\d_]{3,}", prose) if word.islower())


@lru_cache(maxsize=8192)
def _content(line: str) -> bool:
    """Could this line be article text at all?"""
    return not (L.is_drop(line) or L.is_end(line) or L.is_nav(line) or L.related_headline(line)
                or L.date_kind(line) or L.parse_byline(line))


def _lead_index(lines: list[str]) -> int | None:
    """The first line of the first run of prose (two prose lines or more, a lone one may be
    a tagline) that holds at least ``lead_run_share`` % of the words of the page's largest
    run: a promo blurb or consent notice above the article is a run too, but a small one."""
    prose = [i for i, line in enumerate(lines) if _content(line) and not is_metadata(line)
             and (L.is_prose(line) or _dateline_lead(line)) and not _head_line(lines, i)
             and not _headline_case(line)]
    runs = _prose_runs(prose, lines)
    if not runs:  # a one-paragraph article: its paragraph ends a sentence, a tag cloud does not
        return next((i for i in prose if L.ends_sentence(lines[i])), prose[0] if prose else None)
    largest = max(words for _, _, words in runs)
    share = load_rules().thresholds["lead_run_share"] / 100
    return next(first for first, _, words in runs if words >= share * largest)


def _prose_runs(prose: list[int], lines: list[str]) -> list[tuple[int, int, int]]:
    """(first line, last line, words) of each run of two or more prose lines, each within
    ``lead_run_gap`` lines of the one before; runs split only by a short box (a list, a
    picture and its caption, ``lead_box_gap`` lines at most) are one. The article is the
    page's largest run of prose; a promo blurb, a consent notice or a teaser makes a small one."""
    limits = load_rules().thresholds
    runs: list[list[int]] = []  # [first, last, words, lines]
    for i in prose:
        if runs and i - runs[-1][1] <= limits["lead_run_gap"]:
            runs[-1][1:] = [i, runs[-1][2] + L.text_words(lines[i]), runs[-1][3] + 1]
        else:
            runs.append([i, i, L.text_words(lines[i]), 1])
    merged: list[list[int]] = []
    for run in (r for r in runs if r[3] >= 2):
        if merged and run[0] - merged[-1][1] <= limits["lead_box_gap"]:
            merged[-1][1:3] = [run[1], merged[-1][2] + run[2]]
        else:
            merged.append(run)
    return [(first, last, words) for first, last, words, _ in merged]


def _headline_case(line: str) -> bool:
    """Every word of four letters or more capitalised ("Floods and Fallen Trees: How the Storm
    Left Its Mark on the Harbour Towns of N.S.W."): a headline, however long and whatever
    its last full stop, never a paragraph, whose verbs and common nouns are lower case."""
    long_words = re.findall(r"[^\W\d_][\w'’-]{3,}", line)
    limits = load_rules().thresholds
    return (len(long_words) >= limits["title_min_words"] and L.words(line) <= limits["title_max_words"]
            and all(word[0].isupper() for word in long_words) and not line.isupper())


def _head_line(lines: list[str], i: int) -> bool:
    """A prose-like line with a byline or date under it (before any further prose) is the
    headline or the standfirst: the lead comes after the byline, not before it."""
    if L.words(lines[i]) > load_rules().thresholds["title_max_words"]:
        return False
    prose_between = 0
    for line in lines[i + 1:i + 1 + load_rules().thresholds["head_stamp_reach"]]:
        if is_stamp(line):
            return True
        if _content(line) and L.is_prose(line) and not is_metadata(line):
            prose_between += 1
            if prose_between > 1:  # a standfirst may sit between headline and byline; two paragraphs are text
                return False
    return False


def _dateline_lead(line: str) -> bool:
    """ "LONDON (Reuters) - Growth slowed in May." opens the text however short it is; a
    sentence, though: "MNT - Hourly Medical News Since 2003" is a masthead with a dash."""
    return L.words(line) >= 6 and L.ends_sentence(line) and parse_dateline(line) != (None, None)


def _title_index(lines: list[str], start: int) -> tuple[int | None, int]:
    """(headline index or None, lead index). A first line standing alone above the text is
    the headline even when it reads like a sentence (plain article files end titles with a period)."""
    limits = load_rules().thresholds
    if start == 0:
        following = [i for i in range(1, min(len(lines), 6)) if _content(lines[i]) and L.is_prose(lines[i])]
        if following and L.words(lines[0]) <= limits["title_max_words"]:
            return 0, following[0]
        return None, start
    return pick_headline(lines, start, _content), start


def _clean_capture(blocks: list[tuple[str, int]], title_at: int | None, start: int) -> tuple[int | None, int]:
    """A capture that starts with its headline (no page furniture above the lead) is a plain
    article file: its first line is the headline, and short opening paragraphs after the
    headline's block are text, not clutter."""
    if start <= 1 or not all(_content(line) for line, _ in blocks[:start]) or not _headline_shaped(blocks[0][0]):
        return title_at, start
    opening = next((i for i in range(1, start) if blocks[i][1] != blocks[0][1]), start)
    if opening < start and not L.ends_sentence(blocks[opening][0]):
        return title_at, start  # a menu or label under the first line, not a short paragraph: a page, not a file
    return 0, opening


def _headline_shaped(line: str) -> bool:
    limits = load_rules().thresholds
    return (limits["title_min_words"] <= L.alpha_words(line) and L.words(line) <= limits["title_max_words"]
            and not L.bullet_item(line) and not line.endswith(":") and _content(line)
            and not L.parse_byline(line, loose=True) and not _dateline_lead(line))


def _masthead_name(lines: list[str]) -> str | None:
    """The site's name as the first line of the page shows it ("Metro Portal", "THE LAGOS
    LEDGER"); a lone word there is more often the date bar's city than a name."""
    first = next((line for line in lines if _content(line) and not L.parse_byline(line, loose=True)), None)
    if first is None or not 2 <= L.words(first) <= 5 or L.ends_sentence(first) or any(c.isdigit() for c in first):
        return None
    if not all(word[:1].isupper() or word.lower() in {"of", "the", "and", "&"} for word in first.split()):
        return None
    return L.tidy_name(first)


def _walk_body(lines: list[str], start: int, found: Found) -> tuple[list[str], int]:
    body: list[str] = []
    limits = load_rules().thresholds
    i = start
    while i < len(lines):
        line = lines[i]
        if L.is_end(line) or (body and _author_box_starts(line, found)):
            resume = _resumes_after_box(lines, i + 1) if body else None
            if resume is None:
                break
            i = resume  # a "Most read" box set inside the text: the text goes on below it
            continue
        clutter = _clutter_run(lines, i) if body else 0
        if clutter >= limits["clutter_run_ends_text"]:
            resume = _resumes_after_box(lines, i + clutter, limits["clutter_resume_paragraphs"])
            if resume is None:
                break
            i = resume  # an advertisement, sign-up box or gallery set inside the text
            continue
        run = _furniture_run(lines, i) if body else 0
        if run >= limits["furniture_run_ends_text"]:
            if body[-1].endswith(":"):  # "The five teams are:" introduces a list of the text
                body += lines[i:i + run]
            elif not _prose_resumes(lines, i + run):
                break
            i += run  # a gallery or link box inside the text: the text goes on after it
            continue
        i += 1
        headline = L.related_headline(line)
        if headline:
            found.related.append(headline)
        elif L.is_related_header(line):
            i = _read_related_list(lines, i, found)
        elif L.is_drop(line) or L.is_nav(line):
            continue
        elif kind := L.date_kind(line):
            note_date(kind, found, plain_is_published=False)
        elif byline := L.parse_byline(line):
            found.add_authors(byline.authors)
            found.outlet = found.outlet or byline.outlet
        elif (bios := L.parse_bios(line)) and bios[0].name.lower() in {a.lower() for a in found.authors}:
            for bio in bios:
                found.add_bio(bio)
        else:
            body.append(line)
    _trim_tags(body)
    return body, i


def _author_box_starts(line: str, found: Found) -> bool:
    """The byline's author named alone on a line after the text opens the author box; so does
    "About <a person's name>" ("Sobre Carlos Nadalim") whether or not the byline was read."""
    name = L.tidy_name(_ABOUT.sub("", line))
    if L.words(line) > 6:
        return False
    about_someone = name != L.tidy_name(line) and L.looks_like_name(name) and L.words(name) >= 2
    return about_someone or name.lower() in {a.lower() for a in found.authors}


def _resumes_after_box(lines: list[str], i: int, paragraphs: int | None = None) -> int | None:
    """Where the text goes on after a box opened at I, if paragraphs follow closely enough."""
    reach = load_rules().thresholds["box_max_lines"]
    for j in range(i, min(len(lines), i + reach)):
        if L.is_end(lines[j]) and not load_rules().related_header.match(lines[j]):
            return None
        if L.is_prose(lines[j]) and _content(lines[j]) and _prose_resumes(lines, j, paragraphs):
            return j
    return None


def _clutter_run(lines: list[str], i: int) -> int:
    """How many clutter lines (sign-up boxes, comment counters, share rows) start at I: a
    box of them after the text opens the page's footer, unless paragraphs follow it."""
    run = 0
    for line in lines[i:]:
        if not L.is_drop(line):
            break
        run += 1
    return run


def _furniture_run(lines: list[str], i: int) -> int:
    """How many short lines that are not sentences start at I: menus, tag lists and link
    columns run long, an article's subheading or list stays short or reads as sentences."""
    limit = load_rules().thresholds["furniture_max_words"]
    run = 0
    for line in lines[i:]:
        if L.is_prose(line) or L.ends_sentence(line) or L.words(line) > limit or _list_item(line):
            break
        run += 1
    return run


def _list_item(line: str) -> bool:
    """Lines of a list in the text carry figures or details ("1 tsp cinnamon", "Spain
    (Group F): 11th appearance"); menu and tag items are bare names."""
    return bool(L.bullet_item(line)) or any(ch.isdigit() for ch in line) or any(ch in line for ch in ",:;()")


def _prose_resumes(lines: list[str], i: int, paragraphs: int | None = None) -> bool:
    """Does the article go on at I? Its text is paragraph after paragraph; what follows an
    article (teasers of other stories) alternates a headline, a name and one paragraph."""
    limits = load_rules().thresholds
    window = [line for line in lines[i:i + limits["resume_window"]]]
    if not window or not L.is_prose(window[0]) and not (len(window) > 1 and L.is_prose(window[1])):
        return False
    return sum(1 for line in window if L.is_prose(line) and _content(line)) >= (paragraphs or limits["resume_min_paragraphs"])


def _read_related_list(lines: list[str], i: int, found: Found) -> int:
    """Headlines under a "RELATED" header: bullets, or short non-sentence lines."""
    limit = load_rules().thresholds["related_item_max_words"]
    while i < len(lines):
        line = lines[i]
        item = L.bullet_item(line)
        if item is None and (L.is_prose(line) or L.ends_sentence(line) or not _content(line)):
            break
        headline = item if item is not None else line
        if L.words(headline) > limit:
            break
        found.related.append(headline)
        i += 1
    return i


def _trim_tags(body: list[str]) -> None:
    """Short lines after the last paragraph are tags or place labels, not text."""
    limit = load_rules().thresholds["tag_max_words"]
    while body and L.words(body[-1]) <= limit and not L.ends_sentence(body[-1]):
        body.pop()
