"""The pieces the resolver reads around names: matched spans, titles, word lists, and
small functions over spaCy tokens (no state of their own)."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from dateline.nlp.actors.tables import ORG_KINDS, Entry, Hit, RoleWord, Tables, normalise_title

PERSON_LABELS = {"PERSON"}
ORG_LABELS = {"ORG"}
PLACE_LABELS = {"GPE", "LOC", "NORP", "FAC", "ORG"}
# Title words that say little about the sector: the institution they serve decides it.
GENERIC_ROLES = {"spokesperson", "spokesman", "spokeswoman", "official", "officials", "aide", "adviser",
                 "advisor", "secretary", "secretary-general", "secretary general", "chairman", "leader",
                 "envoy", "special envoy", "ambassador", "head", "chief", "director general", "director-general",
                 "team", "delegation", "delegation member", "delegation members", "leaders", "leadership",
                 "senior official", "senior officials", "negotiator", "chief negotiator", "negotiators"}
TITLE_MODIFIERS = {"former", "acting", "interim", "deputy", "top", "senior", "then", "chief", "new", "outgoing",
                   "incoming", "first", "current", "ex", "longtime", "veteran", "embattled", "lead", "also", "now",
                   "and", "presidential", "regional", "local", "national", "federal", "state", "foreign", "main"}
SECTOR_LABELS = {
    "GOV": "government", "MIL": "military", "REB": "rebels", "OPP": "opposition", "PTY": "political party",
    "COP": "police", "JUD": "judiciary", "LEG": "legislature", "BUS": "business", "MED": "media",
    "EDU": "education", "HLH": "health", "CVL": "civilians", "NGO": "NGOs", "REF": "refugees",
}
NATIONAL_SECTORS = {"GOV", "MIL", "JUD", "LEG", "COP", "OPP"}
DETERMINERS = {"a", "an", "the", "another", "one", "some", "two", "three", "several", "many", "most", "all",
               "both"}
LOCATIVE = {"in", "at", "near", "outside", "around", "across", "inside", "into", "throughout", "from", "via",
            "through"}
AFTER_PREPOSITIONS = frozenset({"of", "in", "from", "throughout", "across"})
COUNTRY_ANAPHORS = {"country", "nation", "kingdom", "republic", "state"}
POSSESSIVE = {"'s", "’s", "'", "’"}
# Words that put a title in the past: the office is not held now ("former envoy", "ex-minister").
PAST_MARKERS = {"former", "ex", "ex-", "onetime", "one-time", "erstwhile", "retired"}
# Prepositions after a title that name where the holder is sent, not whose they are
# ("envoy to Ukraine", "ambassador to Britain"): that country is never the holder's.
DESTINATION = {"to", "in"}
# Words an apposition may run over before its body ("X, Research and Advocacy Director for the
# Middle East and North Africa at Amnesty International").
APPOSITION_REACH = 20
# Nouns naming a country's body as a whole: "the Syrian government", "the Assad regime" are
# that body, not a link back to the latest official.
COLLECTIVE_BODIES = {"government", "administration", "regime", "authorities", "military", "army", "armed forces",
                     "police", "judiciary", "parliament", "legislature", "leadership", "cabinet"}
# Prefixes joined to a title by a hyphen: "vice-premier", "co-chair", "deputy-governor".
HYPHEN_PREFIXES = {"vice", "co", "deputy", "under", "acting"}
APPOSITION_STOP = {",", ".", ";", ":", "(", ")", "who", "which", "that", "whose", "—", "–"}


@dataclass
class DictSpan:
    start: int
    end: int
    hit: Hit


@dataclass
class RoleSpan:
    start: int
    end: int
    role: RoleWord


@dataclass
class Title:
    """What the words around a name say: a role, a country, an institution."""

    role: RoleWord | None = None
    country: str | None = None
    org: Entry | None = None
    text: str | None = None
    consumed_from: int | None = None   # adjectives from this token on belong to the title
    former: bool = False               # "former X": the country holds, the office's sector does not
    region: Entry | None = None        # the state or province the title names ("Indiana Gov.")
    given_at: int | None = None        # the role's first token when a naming verb gave it ("was named X")

    def sector(self) -> str | None:
        # "former X" keeps the office's sector for now: the event coder counts such a person as
        # political ("Former president X has been accused", tests/test_events_relevance.py);
        # ``former`` is kept so that a sector for former officials can be chosen with it.
        return self.current_sector()

    def current_sector(self) -> str | None:
        if self.org and (self.role is None or self.role.phrase in GENERIC_ROLES or self.org.sector == "IGO"):
            return self.org.sector
        return self.role.sector if self.role else (self.org.sector if self.org else None)

    def country_code(self) -> str | None:
        return self.country or (self.org.country if self.org else None)

    def org_code(self) -> str | None:
        """The organisation code when the title belongs to one ("UN spokesman"), else None."""
        return self.org.code if self.org and not self.country_code() else None


def longest_first(spans: list) -> list:
    """Non-overlapping spans, preferring the longest (then the earliest), in text order."""
    chosen, taken = [], set()
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if not any(i in taken for i in range(span.start, span.end)):
            chosen.append(span)
            taken.update(range(span.start, span.end))
    return sorted(chosen, key=lambda s: s.start)


def group_by_entity(spans: list[DictSpan], ents: list[Span]) -> list[list[DictSpan]]:
    starts = [s.start for s in spans]
    out = []
    for ent in ents:
        lo = bisect_right(starts, ent.start - 1)
        out.append([s for s in spans[lo:] if s.start < ent.end and s.end > ent.start])
    return out


def dictionary_wins(ent: Span, spans: list[DictSpan]) -> bool:
    """Whether the dictionary's reading replaces the model's entity."""
    if not spans:
        return False
    if any(s.start <= ent.start and s.end >= ent.end for s in spans):
        return True   # the whole entity is a dictionary name: Kyiv (tagged PERSON), Kremlin
    if ent.label_ in PERSON_LABELS:
        # "Putin-Zelensky" holds two known people; "Israel Katz" holds a country in a name;
        # "Veronica Cruz" is not Ted Cruz, "Barack Hussein Obama" is Barack Obama.
        if not all(s.hit.entry.kind == "person" for s in spans):
            return False
        if all(t.is_punct or in_any(t.i, spans) for t in ent):
            return True
        return len(spans) == 1 and ent[0].text == spans[0].hit.entry.name.split()[0]
    # An organisation with a known name inside: keep the model's longer name only when
    # it names an institution of its own ("Russian Defense Ministry"), read by _organisation.
    return not any(t.is_title and t.pos_ == "PROPN" for t in ent if not in_any(t.i, spans)) or \
        all(s.hit.entry.kind == "person" for s in spans)


def drop_leading_modifier(ent: Span, spans: list[DictSpan]) -> tuple[Span, list[DictSpan]]:
    """"Kremlin Dmitry Peskov" tagged as one PERSON: the institution or adjective in front is a
    title, the name starts after it (a country *name* in front, as in "Israel Katz", stays)."""
    if ent.label_ not in PERSON_LABELS or not spans or spans[0].start != ent.start or spans[0].end >= ent.end:
        return ent, spans
    head = spans[0]
    if head.hit.role == "adjective" or head.hit.entry.kind in ORG_KINDS:
        return Span(ent.doc, head.end, ent.end, label=ent.label_), [s for s in spans if s is not head]
    return ent, spans


def in_any(i: int, spans: list[DictSpan]) -> bool:
    return any(s.start <= i < s.end for s in spans)


def trim_name(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop a leading article, punctuation or possessive ("’s Haqqani": a fragment of "X’s
    Haqqani network") and a trailing possessive the entity may include."""
    while start < end and (doc[start].lower_ in DETERMINERS or doc[start].text in POSSESSIVE
                           or doc[start].is_punct):
        start += 1
    for i in range(start + 1, end - 1):
        if doc[i].text in POSSESSIVE and not any(t.is_title and t.is_alpha for t in doc[i + 1:end]):
            end = i   # "Holcomb's 2016": the name ends at the possessive
            break
    while end > start and (doc[end - 1].text in POSSESSIVE or doc[end - 1].is_punct):
        end -= 1
    return start, end


def glued_repeat_end(doc: Doc, start: int, end: int) -> int | None:
    """Where a name ends that a page glued to its own repeat or to the next link's text
    ("Ilhan OmarIlhan Omar", "Alexandria Ocasio-CortezAlexandria Ocasio-CortezSanders": a
    link's text and its title run together): the character offset after the first copy, or
    None. Only a repeat counts, so "McKinley" or "DeSantis" are never cut."""
    first = doc[start].text
    if len(first) < 2:
        return None
    for token in doc[start:end]:
        text = token.text
        for k in range(2, len(text) - 1):
            if text[k - 1].islower() and text[k].isupper() and doc.text.startswith(first, token.idx + k):
                return token.idx + k
    return None


def looks_like_person(span: Span) -> bool:
    """Two to four capitalised words; a hyphen may join two of them ("Eva-Marie Persson")."""
    words = [t for t in span if t.text not in ("-", "‐")]
    joined = len(span) - len(words)
    return 2 <= len(words) - joined <= 4 and joined <= 1 and all(t.is_title and t.is_alpha for t in words)


def title_text(doc: Doc, first: int, start: int, dict_by_end: dict[int, DictSpan]) -> str | None:
    """The title as written, without the country in front: "Foreign Minister",
    "Kremlin spokesperson", "U.N. Secretary-General"."""
    begin = first
    while begin < start:
        found = next((d for d in dict_by_end.values() if d.start == begin), None)
        if found is None or found.hit.entry.kind in ORG_KINDS:
            break
        begin = found.end + (1 if found.end < start and doc[found.end].text in POSSESSIVE else 0)
    text = doc[begin:start].text.strip(" ,") if begin < start else ""
    return text or None


PLURAL_WITHOUT_S = {"people", "police", "media", "military", "militia"}


def singular(role: RoleWord) -> bool:
    phrase = role.phrase
    return phrase not in PLURAL_WITHOUT_S and (not phrase.endswith("s") or phrase.endswith("ss"))


def group_name(span: Span) -> str:
    words = [t.text for t in span if t.lower_ not in DETERMINERS]
    return " ".join(words) or span.text


def title_holder(tables: Tables, country: str | None, title: str, date: str | None) -> Entry | None:
    """The office holder a title names at a date ("the Russian president" -> Putin), if one."""
    if not country:
        return None
    holders = [e for e in tables.by_title.get((country, normalise_title(title)), []) if e.in_office(date)]
    return holders[0] if len(holders) == 1 else None
