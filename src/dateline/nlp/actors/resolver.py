"""The actor resolver: dictionary matches, NER entities, titles, appositions and groups
turned into ``doc._.actors`` and ``doc._.mentions``.

How one document is read (each step is cheap: two PhraseMatcher passes, then work only
around the matches and entities, never a Python pass with regexes over every token):
1. Dictionary aliases (countries, adjectives, capitals, institutions, office holders)
   and role words ("foreign minister", "officials", "protesters") are matched.
2. NER entities are reconciled with them: a dictionary match that is a whole entity
   wins (the model tags Kyiv as a PERSON); a country inside a longer person's name
   does not ("Israel Katz"); aliases that are also common words or names count only
   where NER saw a place or organisation (ambiguous.txt).
3. Candidates are read in text order. A person takes country and sector from the
   table, else from its title ("Turkish Foreign Minister X", "Kremlin spokesperson X")
   or apposition ("X, the country's former defense minister"); a later surname links
   to the full name. A group noun takes them from the words before it ("Ukrainian
   officials", "a Jordanian official"); "the (Ukrainian) official" links to the most
   recent compatible actor.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import numpy
from spacy.attrs import ORTH
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from dateline.model import Actor, Mention
from dateline.nlp.actors.tables import Entry, Hit, RoleWord, Tables, best_hit, normalise_title, slug

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
NATIONAL_SECTORS = {"GOV", "MIL", "JUD", "LEG", "COP", "OPP"}
DETERMINERS = {"a", "an", "the", "another", "one", "some", "two", "three", "several", "many", "most", "all", "both"}
LOCATIVE = {"in", "at", "near", "outside", "around", "across", "inside", "into", "throughout", "from", "via", "through"}
COUNTRY_ANAPHORS = {"country", "nation", "kingdom", "republic", "state"}
POSSESSIVE = {"'s", "’s", "'"}
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

    def sector(self) -> str | None:
        if self.org and (self.role is None or self.role.phrase in GENERIC_ROLES or self.org.sector == "IGO"):
            return self.org.sector
        return self.role.sector if self.role else (self.org.sector if self.org else None)

    def country_code(self) -> str | None:
        return self.country or (self.org.country if self.org else None)


class Matchers:
    """The two PhraseMatchers of one pipeline's vocabulary: aliases (exact case) and roles."""

    def __init__(self, nlp, tables: Tables):
        self.aliases = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.roles = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.alias_of: dict[int, str] = {}
        self.role_of: dict[int, RoleWord] = {}
        for alias in tables.aliases:
            key = nlp.vocab.strings.add("A:" + alias)
            self.alias_of[key] = alias
            self.aliases.add("A:" + alias, [nlp.make_doc(alias)])
        for phrase, role in tables.roles.items():
            key = nlp.vocab.strings.add("R:" + phrase)
            self.role_of[key] = role
            self.roles.add("R:" + phrase, [nlp.make_doc(phrase)])


class DocResolver:
    """Resolves the actors of one Doc; a fresh one per document."""

    def __init__(self, doc: Doc, tables: Tables, matchers: Matchers):
        self.doc = doc
        self.tables = tables
        self.date = doc._.anchor_date if Doc.has_extension("anchor_date") else None
        self.actors: dict[str, Actor] = {}
        self.mentions: list[Mention] = []
        self.mention_tokens: list[tuple[int, int]] = []   # token span of each mention
        self.surnames: dict[str, str] = {}                 # last name -> person actor id
        self.first_names: dict[str, str] = {}              # first name -> person actor id
        self.dict_spans = self._dict_spans(matchers)
        self.dict_by_end = {d.end: d for d in self.dict_spans}
        self.dict_by_start = {d.start: d for d in self.dict_spans}
        self.roles = self._role_spans(matchers)
        self.role_by_end = {r.end: r for r in self.roles}
        self.role_by_start = {r.start: r for r in self.roles}

    # -- matching ---------------------------------------------------------------------

    def _dict_spans(self, matchers: Matchers) -> list[DictSpan]:
        doc, tables = self.doc, self.tables
        spans = []
        for key, start, end in matchers.aliases(doc):
            alias = matchers.alias_of[key]
            if alias in tables.ambiguous and doc[start].ent_type_ not in PLACE_LABELS:
                continue
            spans.append(DictSpan(start, end, best_hit(tables.aliases[alias], self.date)))
        return _longest_first(spans)

    def _role_spans(self, matchers: Matchers) -> list[RoleSpan]:
        spans = [RoleSpan(s, e, matchers.role_of[key]) for key, s, e in matchers.roles(self.doc)]
        return _longest_first(spans)

    # -- the pass -----------------------------------------------------------------------

    def run(self) -> None:
        for kind, start, end, item in self._candidates():
            if self.mention_tokens and start < self.mention_tokens[-1][1]:
                continue   # inside something already read (a title's group noun, a longer name)
            if kind == "dict":
                self._dictionary(item, start, end)
            elif kind == "person":
                self._person(start, end)
            elif kind == "org":
                self._organisation(start, end)
            else:
                self._role(item, start, end)
        self._link_bare_surnames()

    def _candidates(self) -> list[tuple[str, int, int, object]]:
        doc = self.doc
        taken = bytearray(len(doc))
        keep: list[DictSpan] = []
        out: list[tuple[str, int, int, object]] = []
        ents = [e for e in doc.ents if e.label_ in PERSON_LABELS or e.label_ in ORG_LABELS]
        inside = _group_by_entity(self.dict_spans, ents)
        dropped: set[int] = set()
        for ent, spans in zip(ents, inside):
            ent, spans = _drop_leading_modifier(ent, spans)
            if _dictionary_wins(ent, spans):
                continue
            dropped.update(id(s) for s in spans)
            kind = "person" if ent.label_ in PERSON_LABELS else "org"
            out.append((kind, ent.start, ent.end, None))
            taken[ent.start:ent.end] = b"\x01" * (ent.end - ent.start)
        keep = [s for s in self.dict_spans if id(s) not in dropped]
        out += [("dict", s.start, s.end, s) for s in keep]
        out += [("role", r.start, r.end, r) for r in self.roles if not any(taken[r.start:r.end])]
        order = {"dict": 0, "person": 0, "org": 1, "role": 2}
        out.sort(key=lambda c: (c[1], -(c[2] - c[1]), order[c[0]]))
        return out

    # -- dictionary matches ---------------------------------------------------------------

    def _dictionary(self, span: DictSpan, start: int, end: int) -> None:
        entry, role = span.hit.entry, span.hit.role
        if role == "capital" and start > 0 and self.doc[start - 1].lower_ in LOCATIVE:
            self._city(entry, start, end)   # "talks in Moscow": the city as a place (CVL), not the government
            return
        if role == "people":
            self._add_group(entry.country, "CVL", start, end)
            return
        if entry.kind == "person":
            title = self._title_before(start)
            self._consume_title(title)
            actor = self._actor(entry, title.text)
            if title.text and title.sector() and actor.title != entry.title:
                # The article's own title for the person says what they were then
                # ("Palestinian Prime Minister Ismail Haniyeh"), over the table's latest role.
                actor.sector = title.sector()
                actor.country = title.country_code() or actor.country
            self._register_person(actor)
        else:
            actor = self._actor(entry)
        self._mention(actor.id, start, end)

    def _city(self, entry: Entry, start: int, end: int) -> None:
        actor_id = entry.id + "-city"
        if actor_id not in self.actors:
            self.actors[actor_id] = Actor(id=actor_id, name=entry.name, kind="place-as-actor",
                                          country=entry.country, sector="CVL")
        self._mention(actor_id, start, end)

    def _actor(self, entry: Entry, title: str | None = None) -> Actor:
        actor = self.actors.get(entry.id)
        if actor is None:
            actor = Actor(id=entry.id, name=entry.name, kind=entry.kind, country=entry.country,
                          sector=entry.sector, title=title or entry.title)
            self.actors[entry.id] = actor
        return actor

    # -- people -----------------------------------------------------------------------------

    def _person(self, start: int, end: int) -> None:
        start, end = _trim_name(self.doc, start, end)
        while start in self.role_by_start and self.role_by_start[start].end < end:
            start = self.role_by_start[start].end   # "Gen. Prosper Avril" tagged whole: the title is read below
        if start >= end:
            return
        name = self.doc[start:end].text
        linked = self._known_person(name)
        if linked:
            self._mention(linked, start, end)
            return
        title = self._title_before(start)
        after = self._apposition(end)
        if after.role and not title.role:
            title = Title(after.role, after.country or title.country, after.org or title.org, after.text)
        elif after.country and not title.country_code():
            title.country = after.country
        self._consume_title(title)
        country = title.country_code()
        if country is None and title.role and title.role.type == "role" and title.sector() in NATIONAL_SECTORS:
            country = self._sole_country_of_sentence(start)
        actor = self.actors.get(slug(name)) or Actor(
            id=slug(name), name=name, kind="person", country=country, sector=title.sector(), title=title.text)
        self.actors[actor.id] = actor
        self._register_person(actor)
        self._mention(actor.id, start, end)

    def _known_person(self, name: str) -> str | None:
        """An earlier person this name is a shorter form of ("Fidan" -> Hakan Fidan)."""
        if slug(name) in self.actors:
            return slug(name)
        parts = name.split()
        if len(parts) == 1:
            return self.surnames.get(name) or self.first_names.get(name)
        return None

    def _register_person(self, actor: Actor) -> None:
        if actor.kind != "person":
            return
        parts = actor.name.split()
        if len(parts) > 1:
            self.surnames.setdefault(parts[-1], actor.id)
            self.first_names.setdefault(parts[0], actor.id)   # only for tokens NER tags as a person

    def _organisation(self, start: int, end: int) -> None:
        start, end = _trim_name(self.doc, start, end)
        if start >= end or not any(t.pos_ == "PROPN" for t in self.doc[start:end]):
            return   # "Delegations": a common noun the model took for an organisation
        name = self.doc[start:end].text
        person = self._known_person(name)
        if person and self.actors[person].kind == "person":
            self._mention(person, start, end)   # "Caddell" after "Pat Caddell", tagged ORG by the model
            return
        inner = [d for d in self.dict_spans if start <= d.start and d.end <= end]
        role = next((r.role for r in self.roles if start <= r.start and r.end <= end), None)
        if role is None and _looks_like_person(self.doc[start:end]):
            title, after = self._title_before(start), self._apposition(end)
            if (title.role and title.role.type == "role") or (after.role and after.role.type == "role"):
                self._person(start, end)
                return
        country = next((d.hit.entry.country for d in inner), None)
        sector = role.sector if role else next((d.hit.entry.sector for d in inner if d.hit.entry.kind == "org"), None)
        actor = self.actors.get(slug(name)) or Actor(id=slug(name), name=name, kind="org",
                                                    country=country, sector=sector)
        self.actors[actor.id] = actor
        self._mention(actor.id, start, end)

    # -- titles and appositions ---------------------------------------------------------------

    def _title_before(self, start: int) -> Title:
        """Read leftwards from a name: "Turkish Foreign Minister", "Kremlin spokesperson",
        "Ukraine's President", "Russia's chief negotiator, "."""
        doc, title = self.doc, Title()
        i, first = start, start
        if i >= 2 and doc[i - 1].text == "," and i - 1 in self.role_by_end:
            i -= 1   # "Russia's top negotiator, Vladimir Medinsky"
        steps = 0
        while i > 0 and steps < 8:
            steps += 1
            role = self.role_by_end.get(i)
            if role:
                title.role = title.role or role.role
                i = first = role.start
                continue
            found = self.dict_by_end.get(i)
            if found is None and doc[i - 1].text in POSSESSIVE:
                found = self.dict_by_end.get(i - 1)
            if found and found.hit.entry.kind != "person":
                self._take_modifier(title, found)
                i = first = found.start
                continue
            if doc[i - 1].lower_ in TITLE_MODIFIERS and title.role:
                i -= 1
                continue
            break
        if title.role or title.org:
            title.text = _title_text(doc, first, start, self.dict_by_end)
        if first < start:
            title.consumed_from = first
        return title

    def _take_modifier(self, title: Title, found: DictSpan) -> None:
        entry = found.hit.entry
        if entry.kind == "org" and title.org is None:
            title.org = entry
        elif title.country is None:
            title.country = entry.country

    def _apposition(self, end: int) -> Title:
        """Read ", the country's former defense minister" after a name."""
        doc, title = self.doc, Title()
        if end >= len(doc) or doc[end].text != ",":
            return title
        i, limit = end + 1, min(len(doc), end + 14)
        while i < limit and doc[i].text not in APPOSITION_STOP and doc[i].pos_ not in ("VERB", "AUX"):
            role = self.role_by_start.get(i)
            if role and title.role is None:
                title.role, title.text = role.role, doc[role.start:role.end].text
                i = role.end
                continue
            found = self.dict_by_start.get(i)
            if found and found.hit.entry.kind != "person":
                self._take_modifier(title, found)
                i = found.end
                continue
            if doc[i].lower_ in COUNTRY_ANAPHORS and i + 1 < len(doc) and doc[i + 1].text in POSSESSIVE:
                title.country = title.country or self._recent_country()
            i += 1
        return title

    def _sole_country_of_sentence(self, token: int) -> str | None:
        """"President Yoweri Museveni threatened Ugandan opposition candidates": a national
        title without a country takes the country when the sentence names exactly one."""
        sentence = self.doc[token].sent
        found = {d.hit.entry.country for d in self.dict_spans
                 if sentence.start <= d.start < sentence.end and d.hit.entry.country in self.tables.countries}
        return found.pop() if len(found) == 1 else None

    def _recent_country(self) -> str | None:
        """The country "the country's" points back to: the latest country-like mention."""
        for mention in reversed(self.mentions):
            actor = self.actors[mention.actor]
            if actor.kind in ("country", "place-as-actor") and actor.country:
                return actor.country
        return None

    def _consume_title(self, title: Title) -> None:
        """Adjectives read as part of a title stop being mentions of their own."""
        if title.consumed_from is None:
            return
        while self.mention_tokens and self.mention_tokens[-1][0] >= title.consumed_from:
            start, _ = self.mention_tokens[-1]
            if self._is_adjective_at(start):
                self.mention_tokens.pop()
                self.mentions.pop()
            else:
                break

    def _is_adjective_at(self, start: int) -> bool:
        found = self.dict_by_start.get(start)
        return found is not None and found.hit.role == "adjective"

    # -- groups and definite descriptions -------------------------------------------------

    def _role(self, span: RoleSpan, start: int, end: int) -> None:
        doc = self.doc
        if end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].is_title:
            return   # a title before a name: read with the name
        title = self._title_before(start)
        country = title.country_code()
        first = title.consumed_from if title.consumed_from is not None else start
        determiner = doc[first - 1].lower_ if first > 0 else ""
        sector = title.sector() or span.role.sector
        holder = None
        if span.role.type == "role" and determiner not in ("a", "an"):
            holder = title_holder(self.tables, country, span.role.phrase, self.date)
        if holder or determiner == "the" and _singular(span.role):
            prefer = "person" if span.role.type == "role" else "group"
            target = holder and self._actor(holder).id or self._recent_compatible(country, sector, prefer)
            if target:
                self._consume_title(title)
                self._mention(target, self._mention_start(title, start), end)
                return
        if country or span.role.standalone and span.role.type == "group":
            self._consume_title(title)
            self._add_group(country, sector, self._mention_start(title, start), end)

    def _mention_start(self, title: Title, start: int) -> int:
        """Group mentions cover their adjectives ("Ukrainian officials"), not a name before
        them ("Russia's team" -> "team"; "Kremlin spokesperson" -> "spokesperson")."""
        first = title.consumed_from if title.consumed_from is not None else start
        while first < start:
            found = self.dict_by_start.get(first)
            if found is None or found.hit.role == "adjective":
                break
            first = found.end + (1 if found.end < start and self.doc[found.end].text in POSSESSIVE else 0)
        return min(first, start)

    def _recent_compatible(self, country: str | None, sector: str | None, prefer: str) -> str | None:
        """The latest person or group this description fits; "the official" prefers an
        unnamed group ("a Ukrainian delegation member"), "the minister" a named person."""
        fallback = None
        for mention in reversed(self.mentions[-40:]):
            actor = self.actors[mention.actor]
            if actor.kind not in ("person", "group"):
                continue
            if country and actor.country != country:
                continue
            if sector and actor.sector and actor.sector != sector:
                continue
            if actor.kind == prefer:
                return actor.id
            fallback = fallback or actor.id
        return fallback

    def _add_group(self, country: str | None, sector: str, start: int, end: int) -> None:
        actor_id = f"{(country or 'any').lower()}-{sector.lower()}"
        if actor_id not in self.actors:
            self.actors[actor_id] = Actor(id=actor_id, name=_group_name(self.doc[start:end]), kind="group",
                                          country=country, sector=sector)
        self._mention(actor_id, start, end)

    # -- surnames the model missed ---------------------------------------------------------

    def _link_bare_surnames(self) -> None:
        """Find later bare surnames of people read here ("Medinsky") that NER did not tag."""
        if not self.surnames:
            return
        covered = {i for s, e in self.mention_tokens for i in range(s, e)}
        strings = self.doc.vocab.strings
        wanted = {strings[surname]: actor_id for surname, actor_id in self.surnames.items() if surname in strings}
        orths = self.doc.to_array(ORTH)   # one vectorised read instead of a Python pass over tokens
        hits = numpy.nonzero(numpy.isin(orths, numpy.fromiter(wanted, dtype=orths.dtype)))[0]
        added = [(int(i), int(i) + 1, wanted[int(orths[i])]) for i in hits if int(i) not in covered]
        for start, end, actor_id in added:
            self._mention(actor_id, start, end)
        if added:
            order = sorted(range(len(self.mentions)), key=lambda k: self.mentions[k].start)
            self.mentions = [self.mentions[k] for k in order]
            self.mention_tokens = [self.mention_tokens[k] for k in order]

    # -- output ------------------------------------------------------------------------------

    def _mention(self, actor_id: str, start: int, end: int) -> None:
        span = self.doc[start:end]
        self.mentions.append(Mention(text=span.text, start=span.start_char, end=span.end_char, actor=actor_id))
        self.mention_tokens.append((start, end))


# -- helpers -----------------------------------------------------------------------------------

def _longest_first(spans: list) -> list:
    """Non-overlapping spans, preferring the longest (then the earliest), in text order."""
    chosen, taken = [], set()
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if not any(i in taken for i in range(span.start, span.end)):
            chosen.append(span)
            taken.update(range(span.start, span.end))
    return sorted(chosen, key=lambda s: s.start)


def _group_by_entity(spans: list[DictSpan], ents: list[Span]) -> list[list[DictSpan]]:
    starts = [s.start for s in spans]
    out = []
    for ent in ents:
        lo = bisect_right(starts, ent.start - 1)
        out.append([s for s in spans[lo:] if s.start < ent.end and s.end > ent.start])
    return out


def _dictionary_wins(ent: Span, spans: list[DictSpan]) -> bool:
    """Whether the dictionary's reading replaces the model's entity."""
    if not spans:
        return False
    if any(s.start <= ent.start and s.end >= ent.end for s in spans):
        return True   # the whole entity is a dictionary name: Kyiv (tagged PERSON), Kremlin
    if ent.label_ in PERSON_LABELS:
        # "Putin-Zelensky" holds two known people; "Israel Katz" holds a country in a name.
        return all(s.hit.entry.kind == "person" for s in spans)
    # An organisation with a known name inside: keep the model's longer name only when
    # it names an institution of its own ("Russian Defense Ministry"), read by _organisation.
    return not any(t.is_title and t.pos_ == "PROPN" for t in ent if not _in_any(t.i, spans)) or \
        all(s.hit.entry.kind == "person" for s in spans)


def _drop_leading_modifier(ent: Span, spans: list[DictSpan]) -> tuple[Span, list[DictSpan]]:
    """"Kremlin Dmitry Peskov" tagged as one PERSON: the institution or adjective in front is a
    title, the name starts after it (a country *name* in front, as in "Israel Katz", stays)."""
    if ent.label_ not in PERSON_LABELS or not spans or spans[0].start != ent.start or spans[0].end >= ent.end:
        return ent, spans
    head = spans[0]
    if head.hit.role == "adjective" or head.hit.entry.kind == "org":
        return Span(ent.doc, head.end, ent.end, label=ent.label_), [s for s in spans if s is not head]
    return ent, spans


def _in_any(i: int, spans: list[DictSpan]) -> bool:
    return any(s.start <= i < s.end for s in spans)


def _trim_name(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop a leading article and a trailing possessive the entity may include."""
    while start < end and doc[start].lower_ in DETERMINERS:
        start += 1
    while end > start and (doc[end - 1].text in POSSESSIVE or doc[end - 1].is_punct):
        end -= 1
    return start, end


def _looks_like_person(span: Span) -> bool:
    return 2 <= len(span) <= 4 and all(t.is_title and t.is_alpha for t in span)


def _title_text(doc: Doc, first: int, start: int, dict_by_end: dict[int, DictSpan]) -> str | None:
    """The title as written, without the country in front: "Foreign Minister",
    "Kremlin spokesperson", "U.N. Secretary-General"."""
    begin = first
    while begin < start:
        found = next((d for d in dict_by_end.values() if d.start == begin), None)
        if found is None or found.hit.entry.kind == "org":
            break
        begin = found.end + (1 if found.end < start and doc[found.end].text in POSSESSIVE else 0)
    text = doc[begin:start].text.strip(" ,") if begin < start else ""
    return text or None


PLURAL_WITHOUT_S = {"people", "police", "media", "military", "militia"}


def _singular(role: RoleWord) -> bool:
    phrase = role.phrase
    return phrase not in PLURAL_WITHOUT_S and (not phrase.endswith("s") or phrase.endswith("ss"))


def _group_name(span: Span) -> str:
    words = [t.text for t in span if t.lower_ not in DETERMINERS]
    return " ".join(words) or span.text


def title_holder(tables: Tables, country: str | None, title: str, date: str | None) -> Entry | None:
    """The office holder a title names at a date ("the Russian president" -> Putin), if one."""
    if not country:
        return None
    holders = [e for e in tables.by_title.get((country, normalise_title(title)), []) if e.in_office(date)]
    return holders[0] if len(holders) == 1 else None
