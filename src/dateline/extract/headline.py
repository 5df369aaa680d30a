"""Which line of a text capture is the headline.

Above the lead (the first paragraph of prose) a news page stacks its head: menu items and
a section label, the headline, a standfirst, the byline, dates, a share row, a picture
and its caption. Every line of that head that is not metadata is scored by its shape
(length, case, a closing full stop), its neighbours (furniture above, a byline or date
below) and whether the page repeats it elsewhere; the best is the headline. The weights
and patterns live in ``data/extract/headline.toml``.
"""
from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from dateline.extract import lines as L
from dateline.extract.dates import find_date
from dateline.extract.rules import AnyOf

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_FOLD = re.compile(r"[\W_]+")
# "— Jane Doe on Monday, ...": the source of the quotation above it (pull quote, fact-check claim).
_ATTRIBUTION = re.compile(r"^[—―–]\s*[^\W\d_]")
_TRAIL_SPLIT = re.compile(r"\s*[»›>|/]\s*")


@dataclass(frozen=True)
class HeadlineRules:
    window: dict[str, int]
    metadata: AnyOf
    stamp: AnyOf
    media_label: AnyOf
    weights: dict[str, float]


@lru_cache(maxsize=1)
def headline_rules() -> HeadlineRules:
    data: dict[str, Any] = tomllib.loads(
        resources.files("dateline.data").joinpath("extract/headline.toml").read_text(encoding="utf-8"))
    return HeadlineRules(window=dict(data["window"]), metadata=AnyOf(data["metadata"]["patterns"]),
                         stamp=AnyOf(data["stamp"]["patterns"]), media_label=AnyOf(data["media_label"]["patterns"]),
                         weights=dict(data["weights"]))


def cjk_chars(text: str) -> int:
    return len(_CJK.findall(text))


def fold(text: str) -> str:
    return _FOLD.sub(" ", text.lower()).strip()


@lru_cache(maxsize=16384)
def is_metadata(line: str) -> bool:
    """A line of the head that describes the article (date, byline, credits, counters)."""
    if headline_rules().metadata.search(line) or L.date_kind(line) or L.parse_byline(line, loose=True):
        return True
    return L.words(line) <= 14 and find_date(line) is not None


@lru_cache(maxsize=16384)
def is_stamp(line: str) -> bool:
    """A byline or a date/time line: what follows a headline, never a lead."""
    if L.words(line) > 20:
        return False
    return bool(L.date_kind(line) or L.parse_byline(line, loose=True) or headline_rules().stamp.search(line)
                or (L.words(line) <= 14 and find_date(line)) or re.match(r"(?i)^by\s+\S", line))


def pick_headline(lines: list[str], lead: int, is_content: Callable[[str], bool]) -> int | None:
    """Index of the headline among the lines above LEAD, or None when none is headline-shaped."""
    seen = _page_counts(lines)
    best: tuple[float, int] | None = None
    for i in head_candidates(lines, lead, is_content):
        score = _score(lines, i, lead, seen)
        if best is None or score > best[0]:
            best = (score, i)
    return best[1] if best else None


def head_candidates(lines: list[str], lead: int, is_content: Callable[[str], bool]) -> list[int]:
    """The candidate lines above LEAD, nearest first: up to ``candidates_above_lead`` of them
    within ``lines_above_lead`` lines. Counted in candidates, not lines, because what a head
    stacks between headline and lead (share rows, credits, counters, dates) varies in length
    from site to site while the lines that could be a headline there stay few."""
    window = headline_rules().window
    found: list[int] = []
    for i in range(lead - 1, max(-1, lead - 1 - window["lines_above_lead"]), -1):
        if _candidate(lines[i], is_content):
            found.append(i)
            if len(found) >= window["candidates_above_lead"]:
                break
    return found


def _candidate(line: str, is_content: Callable[[str], bool]) -> bool:
    window = headline_rules().window
    if line.endswith(":") or L.bullet_item(line) or is_metadata(line) or not is_content(line):
        return False
    if L.words(line) > window["max_words"]:
        return False
    return L.alpha_words(line) >= window["min_alpha_words"] or cjk_chars(line) >= window["min_cjk_chars"]


def _page_counts(lines: list[str]) -> Counter[str]:
    """How often each line stands on the page, whole or as the last step of a breadcrumb trail."""
    counts: Counter[str] = Counter()
    for line in lines:
        counts[fold(line)] += 1
        parts = _TRAIL_SPLIT.split(line)
        if len(parts) > 1:
            counts[fold(parts[-1])] += 1
    return counts


def _score(lines: list[str], i: int, lead: int, seen: Counter[str]) -> float:
    w = headline_rules().weights
    return sum(w[name] * value for name, value in headline_features(lines, i, lead, seen).items())


def headline_features(lines: list[str], i: int, lead: int, seen: Counter[str]) -> dict[str, float]:
    """What the score weighs, by the name of its weight: 1.0 for a trait the line has, a
    count for the graded ones (distance to the lead, words). Kept apart from the weights so
    `scripts/fit_headline_weights.py` can fit them on the tune captures."""
    w = headline_rules().weights
    line = lines[i]
    count = L.words(line) if not cjk_chars(line) else max(L.words(line), cjk_chars(line) // 2)
    repeated = seen[fold(line)] > 1 and count >= w["good_min_words"]
    in_block = repeated and _in_repeated_block(lines, i, seen)
    reach = int(w["byline_reach"])
    stamp_below = i + 1 < lead and is_stamp(lines[i + 1])
    traits = {
        "base": True,
        "repeated": repeated and not in_block,
        "repeated_block": in_block,
        "ends_with_full_stop": line.rstrip("\"'”’)").endswith(".") and not line.endswith("..."),
        "prose": L.is_prose(line),
        "good_length": w["good_min_words"] <= count <= w["good_max_words"],
        "short": count < w["good_min_words"],
        "long": count > w["good_max_words"],
        "title_case": _title_case(line),
        "after_furniture": i == 0 or _furniture(lines[i - 1]),
        "before_metadata": any(is_metadata(x) for x in lines[i + 1:min(i + 3, lead)]),
        "before_byline": stamp_below,
        "byline_below": not stamp_below and any(is_stamp(x) for x in lines[i + 2:min(i + 1 + reach, lead)]),
        "after_byline": any(is_stamp(x) for x in lines[max(0, i - 2):i]),
        "above_standfirst": not L.ends_sentence(line) and count >= w["good_min_words"]
                            and _standfirst_under(lines, i, lead, count),
        "after_media_label": i > 0 and bool(headline_rules().media_label.search(lines[i - 1])),
        "standfirst": i > 0 and _standfirst_of(lines, i, seen),
        "same_opening": _same_opening(lines, i),
        "above_attribution": i + 1 < lead and bool(_ATTRIBUTION.match(lines[i + 1])),
        "name_only": _bare_name(line, int(w["name_list_max_words"]) if stamp_below else 3),
        "contains_other": _ends_with_other(lines, i, lead),
        "in_menu": count <= w["in_menu_max_words"] and not stamp_below and _in_menu(lines, i),
    }
    features = {name: 1.0 for name, present in traits.items() if present}
    features["per_line_distance"] = float(lead - i)
    features["per_word"] = float(min(count, w["good_max_words"]))
    return features


def _in_menu(lines: list[str], i: int) -> bool:
    """Short furniture on both sides, or inside a long run of short lines that are no
    sentences: one item of a menu. (A headline's neighbours are a byline, a standfirst, a
    section label; a menu's are more menu items.)"""
    w = headline_rules().weights
    if 0 < i < len(lines) - 1 and _furniture(lines[i - 1]) and _furniture(lines[i + 1]):
        return True

    def short(line: str) -> bool:
        return L.words(line) <= w["in_menu_max_words"] and not L.ends_sentence(line) and not is_stamp(line)

    above = next((n for n, line in enumerate(reversed(lines[:i])) if not short(line)), i)
    below = next((n for n, line in enumerate(lines[i + 1:]) if not short(line)), len(lines) - i - 1)
    return above > 0 and below > 0 and above + below + 1 >= w["menu_run_lines"]  # inside the run: a headline sits at its edge


def _in_repeated_block(lines: list[str], i: int, seen: Counter[str]) -> bool:
    """Both neighbours stand elsewhere on the page too: the line is one item of a menu or
    link list the page prints twice, while a headline is repeated alone (share text, breadcrumb,
    or printed twice in a row, which is one repetition, not a list)."""
    if i == 0 or i + 1 >= len(lines):
        return False
    own = fold(lines[i])
    return all(seen[fold(x)] > 1 and fold(x) != own and not is_metadata(x) for x in (lines[i - 1], lines[i + 1]))


def _standfirst_below(line: str, below: str, count: int) -> bool:
    """The line under LINE reads as its standfirst: longer, and a sentence rather than a title."""
    longer = L.text_words(below) >= count + int(headline_rules().weights["standfirst_extra_words"])
    return longer and (L.ends_sentence(below) or not _title_case(below)) and not is_metadata(below)


def _caption_like(line: str) -> bool:
    """A metadata line of some length (a picture's caption and credit) that may sit between
    a headline and its standfirst; a breadcrumb or a menu bar is short or a nav line."""
    return (is_metadata(line) and L.words(line) >= headline_rules().weights["caption_min_words"]
            and not L.is_nav(line) and not is_stamp(line))


def _standfirst_under(lines: list[str], i: int, lead: int, count: int) -> bool:
    """The next line under line I, past a caption or credit, reads as its standfirst."""
    j = i + 1
    while j < lead - 1 and j - i < 3 and _caption_like(lines[j]):
        j += 1
    return j < lead and _standfirst_below(lines[i], lines[j], count)


def _standfirst_of(lines: list[str], i: int, seen: Counter[str]) -> bool:
    """Line I is the standfirst of the headline-shaped line above it (the mirror of
    ``above_standfirst``): the line over it (past a caption or credit) is a shorter title,
    line I the sentence under it. A menu item, a label or a row of figures above is no title."""
    w = headline_rules().weights
    j = i - 1
    while j > 0 and i - j < 3 and _caption_like(lines[j]):
        j -= 1
    above, count = lines[j], L.words(lines[j])
    if is_metadata(above) or L.ends_sentence(above) or not w["good_min_words"] <= count <= w["good_max_words"]:
        return False
    if L.alpha_words(above) < w["good_min_words"] or (seen[fold(above)] > 1 and _in_repeated_block(lines, j, seen)):
        return False
    return _standfirst_below(above, lines[i], count)


def _same_opening(lines: list[str], i: int) -> bool:
    """The line is one of three or more in a row opening with the same three words, not all
    copies of one line: an item of a list of links ("Follow us on X", "Follow us on Y", ...),
    never a headline. (A headline and its standfirst, or a headline and a longer copy of it,
    may share an opening: two lines are no list.)"""
    opening = fold(lines[i]).split()[:3]
    if len(opening) < 3:
        return False

    def same(j: int) -> bool:
        return 0 <= j < len(lines) and fold(lines[j]).split()[:3] == opening

    first, last = i, i
    while same(first - 1):
        first -= 1
    while same(last + 1):
        last += 1
    return last - first >= 2 and len({fold(x) for x in lines[first:last + 1]}) > 1


def _title_case(line: str) -> bool:
    long_words = [word for word in re.findall(r"[^\W\d_][\w'’-]*", line) if len(word) >= 4]
    if len(long_words) < 2:
        return False
    return line.isupper() or sum(word[0].isupper() for word in long_words) >= 0.7 * len(long_words)


def _furniture(line: str) -> bool:
    return L.words(line) <= 3 or L.is_nav(line) or is_metadata(line)


def _bare_name(line: str, max_words: int) -> bool:
    """ "Jane Doe"; with a larger MAX_WORDS also "Jane Doe and John Roe USA TODAY"."""
    parts = line.replace(",", " ").split()
    if not 2 <= len(parts) <= max_words or any(ch.isdigit() for ch in line) or line[-1:] in ".?!:":
        return False
    if len(parts) <= 3:
        return L.looks_like_name(line) and all("-" not in p for p in parts)
    return all(p[:1].isupper() or p.lower() in {"and", "&"} for p in parts)


def _ends_with_other(lines: list[str], i: int, lead: int) -> bool:
    """ "Home News Business Ascom wins a contract" above "Ascom wins a contract"."""
    folded = fold(lines[i])
    for j in range(max(0, i - 4), min(lead, i + 5)):
        other = fold(lines[j])
        if j != i and len(other) < len(folded) and L.words(other) >= 3 and folded.endswith(" " + other):
            return True
    return False
