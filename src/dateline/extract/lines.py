"""What one line of page text is: clutter, a related headline, a byline, a date, a bio,
navigation, prose... Shared by the text-capture extractor and the HTML post-filter."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from dateline.extract.dates import PUBLISHED_WORDS, UPDATED_WORDS, date_line, find_date
from dateline.extract.rules import load_rules

_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’)\]」』）]*$|[\"”]$")
_PROSE_END = re.compile(r"[.!?…:;。！？：；][\"'”’)\]」』）]*$|[\"”]$")
# Han and kana: scripts written without spaces, where a "word" of \w+ is a whole clause.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_UNSPACED_CHARS_PER_WORD = 2
_ALPHA_WORD = re.compile(r"[^\W\d_]{2,}")
_BULLET = re.compile(r"^(?:[-*•·▪►›»]|\d{1,2}[.)])\s+")
_NAV_SPLIT = re.compile(r"\s{2,}|\s*[|•·]\s*|\s+[/>›»]\s+")
_NAME = re.compile(r"^[A-ZÀ-Þ][\w'’.-]*(?:\s+(?:[A-ZÀ-Þ][\w'’.-]*|de|van|von|der|da|al|el|bin|la|le)){1,4}$")
_NAME_SPLIT = re.compile(r"\s*(?:,\s*and\s+|\band\b|&|;)\s*")
_BYLINE_PARTS = re.compile(r"\s*(?:\||•|·|—|–|\s-\s)\s*")
_NAME_URL = re.compile(r"^(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}?)\s*(?P<url>https?://\S+)$")
_OUTLET_WORDS = re.compile(r"^(?:[A-Z0-9][\w'’.&-]*|of|the|and|for|&)(?:\s+(?:[A-Z0-9][\w'’.&-]*|of|the|and|for|&))*")
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*(?P<owner>[A-Z][^|.,]{1,60})", re.IGNORECASE)
_OWNER_SUFFIX = re.compile(r"\s+(?:all rights reserved.*|media(?: group)?|group|ltd\.?|inc\.?|llc|limited|plc)$", re.IGNORECASE)


@lru_cache(maxsize=16384)
def words(text: str) -> int:
    return len(_WORD.findall(text))


@lru_cache(maxsize=16384)
def text_words(text: str) -> int:
    """Words, counting text in scripts without spaces (Japanese, Chinese) by characters."""
    unspaced = len(_UNSPACED.findall(text))
    if not unspaced:
        return words(text)
    return len(_WORD.findall(_UNSPACED.sub(" ", text))) + unspaced // _UNSPACED_CHARS_PER_WORD


def is_prose(text: str) -> bool:
    rules = load_rules().thresholds
    count = text_words(text)
    return count >= rules["prose_any_words"] or (count >= rules["prose_min_words"] and bool(
        _PROSE_END.search(text) or re.search(r"[.!?][\"”’]?\s+[A-Z“\"]|[。！？]", text)))


def alpha_words(text: str) -> int:
    return len(_ALPHA_WORD.findall(text))


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))


def is_drop(text: str) -> bool:
    return bool(load_rules().drop.search(text))


def is_end(text: str) -> bool:
    return words(text) <= 12 and bool(load_rules().end.search(text))


def related_headline(text: str) -> str | None:
    """The headline of a "Read More: <headline>" line."""
    match = load_rules().related_prefix.match(text)
    if not match:
        return None
    headline = match.group("headline").strip(" »›>")
    return headline if 2 <= words(headline) <= load_rules().thresholds["related_item_max_words"] else None


def is_related_header(text: str) -> bool:
    return bool(load_rules().related_header.match(text.strip(" :»›>")))


def bullet_item(text: str) -> str | None:
    match = _BULLET.match(text)
    return text[match.end():].strip() if match else None


def is_nav(text: str) -> bool:
    """A menu bar: several short segments split by wide gaps or bars, no sentence."""
    if len(text) > 200:  # menu bars are short
        return False
    parts = [p for p in _NAV_SPLIT.split(text.strip()) if p]
    return len(parts) >= 3 and all(words(p) <= 4 for p in parts) and not ends_sentence(text)


def looks_like_name(text: str) -> bool:
    text = text.strip()
    return bool(_NAME.match(text)) and words(text) <= 5 and not any(ch.isdigit() for ch in text)


def tidy_name(text: str) -> str:
    text = text.strip(" ,.;:")
    return text.title() if text.isupper() else text


@dataclass
class Byline:
    authors: list[str] = field(default_factory=list)
    outlet: str | None = None
    date: str | None = None
    agency: str | None = None        # a wire service credited beside the names


def parse_byline(text: str, loose: bool = False) -> Byline | None:
    """ "By Jane Doe and John Roe, Outlet | March 3, 2025"; with LOOSE also "Jane Doe — 28 June 2025"."""
    rules = load_rules()
    match = rules.byline_prefix.match(text.strip())
    if match:
        rest = match.group("rest")
    elif loose and find_date(text):
        rest = text.strip()
    else:
        return None
    segments = [s for s in _BYLINE_PARTS.split(rest) if s.strip()]
    if not segments:
        return None
    pieces = [p.strip() for p in segments[0].split(",") if p.strip()]
    result = Byline()
    names = [n for n in _NAME_SPLIT.split(pieces[0]) if n.strip()]
    extras = pieces[1:] + segments[1:]
    if len(pieces) > 2 or (len(pieces) == 2 and re.search(r"\band\b|&", pieces[1])):
        names = [n for p in pieces for n in _NAME_SPLIT.split(p) if n.strip()]  # "A, B and C"
        extras = segments[1:]
    if not names or not all(looks_like_name(tidy_name(n)) for n in names):
        lenient = _names_at_start(rest, text) if match else None
        if lenient is None:
            return None
        names, extras = lenient, []
        date = find_date(rest)
        result.date = date[0] if date else None
    result.authors = [tidy_name(n) for n in names]
    for extra in extras:
        found = find_date(extra)
        if found:
            result.date = result.date or found[0]
        elif extra.lower().strip(" .") in rules.roles or extra.lower().split()[-1] in rules.roles:
            continue
        elif result.outlet is None and extra[:1].isupper() and words(extra) <= 6:
            result.outlet = extra.strip(" .")
    return result if (match or result.date) else None


# Where the names of a "By …" line stop: a handle, a parenthesis, a figure, a dash or bar,
# or a comma before a role in lower case ("By Jane Doe, a deputy editor …").
_NAMES_END = re.compile(r"\s*(?:@|\(|\d|\s[-–—|•·]\s|,\s+(?:a|an|the|[a-z]+)\b)")
_APPOSITIVE = re.compile(r"^,\s+(?:a|an|the)\s", re.IGNORECASE)


def _names_at_start(rest: str, line: str) -> list[str] | None:
    """The names opening REST when more follows them on the line ("By JANE DOE JAN. 13, 2017",
    "by Jane Doe @janedoe February 1, 2016", "by Jane Doe (reporting) and John Roe (photos)",
    "By Jane Doe, a deputy editor who ..."). Only on a short line, or before an appositive
    role: a sentence opening "By Monday, ministers ..." names no one."""
    date = find_date(rest)
    head = rest[:date[1].start()] if date else rest
    head = re.sub(r"\s*\([^)]*\)", "", head)  # "(reporting)", "(photos)"
    end = _NAMES_END.search(head)
    tail = head[end.start():] if end else ""
    if words(line) > 14 and not _APPOSITIVE.match(tail):
        return None
    head = (head[:end.start()] if end else head).strip(" ,.;:")
    head = re.sub(r"\s+[A-Za-z]{3,4}\.$", "", head)  # a month abbreviation left before a cut date: "JAN."
    names = [n.strip() for n in _NAME_SPLIT.split(head) if n.strip()]
    if not names or not all(looks_like_name(tidy_name(n)) and words(n) >= 2 for n in names):
        return None
    return names


def parse_credit(text: str) -> Byline | None:
    """A byline without "By": names, then a news agency and maybe a role ("JILL DOE
    Associated Press", "Jane Doe and John Roe, AP", "Jane Doe, AP Sports Writer")."""
    if words(text) > 14 or any(ch.isdigit() for ch in text):
        return None
    rules = load_rules()
    match = rules.credit.match(text.strip())
    if not match:
        return None
    role = (match.group("role") or "").strip().lower()
    if role and role not in rules.roles and role.split()[-1] not in rules.roles:
        return None
    names = [tidy_name(n) for n in _NAME_SPLIT.split(match.group("names").strip(" ,")) if n.strip(" ,")]
    if not names or not all(looks_like_name(n) for n in names):
        return None
    agency = match.group("agency")
    return Byline(authors=names, agency=agency.upper() if len(agency) <= 4 else tidy_name(agency))


# A head line's stamps: split at bars and bullets, and before an update stamp that follows
# the publication date on the same line ("Thu 3 Jan 2019 02.00 EST Last modified on Wed 16 Jan …").
_STAMP_PARTS = re.compile(r"\s*[;|•·]\s*|\s{2,}|\s+(?=(?:last\s+)?(?:updated|modified|mis à jour|actualizado|atualizado|"
                          r"aggiornato|aktualisiert)\b)", re.IGNORECASE)


def stamp_dates(text: str) -> tuple[str | None, str | None]:
    """(published, updated) stated on a short head line: "Published: 12 March 2024 | 4 min
    read", "Updated Nov 19, 2019, 9:41 AM; Posted Nov 18, 2019", "Nov 18, 2019 at 9:24 pm ET"."""
    if words(text) > 20:
        return None, None
    published = updated = None
    for part in _STAMP_PARTS.split(text):
        found = find_date(part)
        if not found:
            continue
        if UPDATED_WORDS.search(part) or re.search(r"(?i)\b(updated|modified|atualizado|aggiornato|aktualisiert)\b", part):
            updated = updated or found[0]
        else:
            published = published or found[0]
    return published, updated


@dataclass
class Bio:
    name: str
    text: str
    outlet: str | None


def parse_bio(text: str) -> Bio | None:
    match = load_rules().bio.match(text.strip())
    if not match:
        return None
    outlet = None
    org = re.search(r"\s(?:at|for|with|of)\s+(?P<org>(?:The\s+)?[A-Z].*)$", match.group("rest"))
    if org:
        run = _OUTLET_WORDS.match(org.group("org"))
        outlet = re.sub(r"(?:\s+(?:and|of|the|for|&))+$", "", run.group(0)).strip(" .&") if run else None
    return Bio(name=match.group("name").strip(), text=text.strip(), outlet=outlet or None)


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def parse_bios(text: str) -> list[Bio]:
    """Every author bio in a line: one box may hold two ("A is ... . B reports on ... for X.").
    A sentence that is no bio (a follow-me line) stays with the bio before it."""
    first = parse_bio(text)
    if first is None:
        return []
    bios: list[Bio] = []
    for sentence in _SENTENCE_SPLIT.split(text.strip()):
        bio = parse_bio(sentence)
        if bio and (not bios or bio.name != bios[-1].name):
            bios.append(bio)
        elif bios:
            bios[-1].text += " " + sentence
    if len(bios) <= 1:
        return [first]
    return bios


def name_with_url(text: str) -> tuple[str, str] | None:
    """Author boxes often glue the name to the author's site: "Jane Doehttps://example.com"."""
    match = _NAME_URL.match(text.strip())
    return (match.group("name"), match.group("url")) if match else None


def copyright_owner(text: str) -> str | None:
    match = _COPYRIGHT.search(text)
    if not match:
        return None
    owner = _OWNER_SUFFIX.sub("", match.group("owner").strip())
    return owner.strip(" .") if 1 <= words(owner) <= 6 else None


def date_kind(text: str) -> tuple[str, str] | None:
    """("published" | "updated" | "plain", ISO date) for a date line."""
    iso = date_line(text)
    if iso is None:
        return None
    if PUBLISHED_WORDS.search(text):
        return "published", iso
    if UPDATED_WORDS.search(text):
        return "updated", iso
    return "plain", iso
