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
4. One actor per entity (``entities.py``): short names, bare groups, a country's
   government under all its names.
Titles and appositions are read in ``titles.py``, groups and descriptions in ``groups.py``
(mixins of ``DocResolver``), the matchers built in ``matching.py``.
"""
from __future__ import annotations

import numpy
from spacy.attrs import ORTH
from spacy.tokens import Doc

from dateline.model import Actor, Mention
from dateline.nlp.actors.entities import merge_entities, name_words
from dateline.nlp.actors.tables import ORG_KINDS, Entry, Tables, best_hit, big_city_names, slug
from dateline.nlp.actors.spans import (
    dictionary_wins, DictSpan, drop_leading_modifier, glued_repeat_end, group_by_entity, LOCATIVE, longest_first,
    looks_like_person, NATIONAL_SECTORS, ORG_LABELS, PERSON_LABELS, PLACE_LABELS, RoleSpan, Title,
    trim_name,
)
from dateline.nlp.actors.matching import Matchers, phoenix_match_counts
from dateline.nlp.actors.titles import TitleReader
from dateline.nlp.actors.groups import GroupReader


class DocResolver(TitleReader, GroupReader):
    """Resolves the actors of one Doc; a fresh one per document."""

    def __init__(self, doc: Doc, tables: Tables, matchers: Matchers):
        self.doc = doc
        self.common_words = matchers.common_words
        self._document_country: str | None = None
        self.tables = tables
        self.date = doc._.anchor_date if Doc.has_extension("anchor_date") else None
        self.actors: dict[str, Actor] = {}
        self.mentions: list[Mention] = []
        self.mention_tokens: list[tuple[int, int]] = []   # token span of each mention
        self.given_roles: dict[int, str] = {}              # role start -> person a naming verb gave it to
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
        for key, start, end in matchers.phoenix(doc):
            if phoenix_match_counts(doc, start, end):
                hits = tables.phoenix[matchers.phoenix_of[key]]
                spans.append(DictSpan(start, end, best_hit(hits, self.date)))
        return longest_first(spans)

    def _role_spans(self, matchers: Matchers) -> list[RoleSpan]:
        spans = [RoleSpan(s, e, matchers.role_of[key]) for key, s, e in matchers.roles(self.doc)]
        return longest_first(spans)

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
        merge_entities(self.actors, self.mentions, self.tables, self.doc.text)

    def _candidates(self) -> list[tuple[str, int, int, object]]:
        doc = self.doc
        taken = bytearray(len(doc))
        out: list[tuple[str, int, int, object]] = []
        ents = [e for e in doc.ents if e.label_ in PERSON_LABELS or e.label_ in ORG_LABELS]
        inside = group_by_entity(self.dict_spans, ents)
        dropped: set[int] = set()
        for ent, spans in zip(ents, inside):
            ent, spans = drop_leading_modifier(ent, spans)
            if dictionary_wins(ent, spans):
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
        if entry.kind in ("none", "region"):
            return   # "New Mexico": not Mexico; "Indiana": a state names its country in titles only
        if role == "capital" and start > 0 and self.doc[start - 1].lower_ in LOCATIVE:
            self._city(entry, start, end)   # "talks in Moscow": the city as a place (CVL), not the government
            return
        if role == "people":
            self._add_group(entry.country, "CVL", start, end)
            return
        if entry.kind == "person" and end - start == 1 and self.doc[start].text in self.surnames:
            self._mention(self.surnames[self.doc[start].text], start, end)   # "Bush" after "Jeb Bush"
            return
        if entry.kind == "person":
            title = self._title_before(start)
            self._consume_title(title)
            actor = self._actor(entry, title.text)
            if title.former:
                actor.title = title.text   # "former President X": the text's title, not the table's
            elif title.text and title.sector() and actor.title != entry.title:
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
                          sector=entry.sector, title=title or entry.title, code=entry.code)
            self.actors[entry.id] = actor
        return actor

    # -- people -----------------------------------------------------------------------------

    def _person(self, start: int, end: int) -> None:
        start, end = trim_name(self.doc, start, end)
        while start in self.role_by_start and self.role_by_start[start].end < end:
            start = self.role_by_start[start].end   # "Gen. Prosper Avril" tagged whole: the title is read below
        if start >= end or self._handle(start) or self._title_alone(start, end):
            return
        start, end, name, end_char = self._unglued(start, end)
        linked = self._known_person(name)
        if linked:
            self._mention(linked, start, end, end_char)
            return
        if (end - start == 1 and self._not_a_name(start)) or not any(t.is_title for t in self.doc[start:end]):
            return   # a lone word, or "lorry crash": no word of a name is capitalised
        title = self._title_before(start)
        if end - start == 1 and not title.role and name in big_city_names():
            return   # "Goma", "Bukavu": a city the model took for a person (the geo stage reads places)
        after = self._apposition(end)
        if after.role and not title.role:
            title = Title(after.role, after.country or title.country, after.org or title.org, after.text,
                          former=after.former)
        elif after.country and not title.country_code():
            title.country = after.country
        elif after.org and not title.country_code() and not title.org:
            title.org = after.org   # "X, research director ... at Amnesty International": the body's code
        self._consume_title(title)
        country = title.country_code()
        if country is None and title.role and title.role.type == "role" and title.current_sector() in NATIONAL_SECTORS:
            # A glued name's sentence runs on into link text ("... Sanders doubles down on Bolivia"):
            # its countries are not the person's.
            country = self._country_after(end, frozenset({"of"})) \
                or (None if end_char else self._sole_country_of_sentence(start)) or self.document_country()
        actor = self.actors.get(slug(name)) or Actor(
            id=slug(name), name=name, kind="person", country=country, sector=title.sector(), title=title.text,
            code=None if country else title.org_code())
        self.actors[actor.id] = actor
        self._register_person(actor)
        self._mention(actor.id, start, end, end_char)
        if after.role and after.given_at is not None and title.role is after.role:
            self.given_roles[after.given_at] = actor.id

    def _acronym_title(self, start: int) -> Title:
        """An acronym in brackets right after a title names that office and takes its
        sector and country: "The New York State Attorney General (NYAG)"."""
        if start < 2 or self.doc[start - 1].text != "(" or start - 1 not in self.role_by_end:
            return Title()
        return self._title_before(start - 1)

    def _title_alone(self, start: int, end: int) -> bool:
        """"Cmdr." tagged as a person of its own before "Sean Robertson": a title, read with the name after it."""
        role = self.role_by_start.get(start)
        return role is not None and role.end >= end and role.role.type == "role" \
            and role.end < len(self.doc) and self.doc[role.end].is_title

    def _handle(self, start: int) -> bool:
        """"(@Ilhan)": a social-media account name, beside the name of the one it belongs to."""
        return self.doc[start].text.startswith("@") or start > 0 and self.doc[start - 1].text == "@"

    def _unglued(self, start: int, end: int) -> tuple[int, int, str, int | None]:
        """The name's tokens and text, cut where the page glued a repeat of it on
        ("Ilhan OmarIlhan Omar"); the end character is given only when cut inside a token."""
        cut = glued_repeat_end(self.doc, start, end)
        if cut is None:
            return start, end, self.doc[start:end].text, None
        last = next(t.i for t in self.doc[start:end] if t.idx + len(t.text) >= cut)
        return start, last + 1, self.doc.text[self.doc[start].idx:cut], cut

    def _not_a_name(self, i: int) -> bool:
        """A lone word the model took for a name that is none: an English verb, adjective
        or adverb ("Trade", "Gaunt"), or a word after an article or a locative preposition
        ("the Bosphorus", "in Goma"): people's names take neither."""
        token = self.doc[i]
        if token.lower_ in self.common_words:
            return True
        return i > 0 and token.ent_type_ in PERSON_LABELS and self.doc[i - 1].lower_ in LOCATIVE | {"the"}

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
        parts = name_words(actor)   # "Patrick Carlineo Jr.": the surname is Carlineo
        if len(parts) > 1:
            self.surnames.setdefault(parts[-1], actor.id)
            self.first_names.setdefault(parts[0], actor.id)   # only for tokens NER tags as a person

    def _organisation(self, start: int, end: int) -> None:
        start, end = trim_name(self.doc, start, end)
        if start >= end or not any(t.pos_ == "PROPN" for t in self.doc[start:end]) or self._handle(start):
            return   # "Delegations": a common noun the model took for an organisation
        start, end, name, end_char = self._unglued(start, end)
        person = self._known_person(name)
        if person is None and end - start == 1 and self._not_a_name(start):
            return
        if person and self.actors[person].kind == "person":
            self._mention(person, start, end, end_char)   # "Caddell" after "Pat Caddell", tagged ORG by the model
            return
        inner = [d for d in self.dict_spans if start <= d.start and d.end <= end]
        role = next((r.role for r in self.roles if start <= r.start and r.end <= end), None)
        if role is None and looks_like_person(self.doc[start:end]):
            title, after = self._title_before(start), self._apposition(end)
            if (title.role and title.role.type == "role") or (after.role and after.role.type == "role"):
                self._person(start, end)
                return
        country = next((d.hit.entry.country for d in inner), None)
        org_sectors = [d.hit.entry.sector for d in inner if d.hit.entry.kind in ORG_KINDS]
        sector = role.sector if role else next(iter(org_sectors), None)
        if country is None:
            country = self._country_after(end, frozenset({"in"}))   # "the Kohelet Policy Forum in Israel"
        if name.isupper() and (country is None or sector is None):
            defined = self._acronym_title(start)   # "The New York State Attorney General (NYAG)"
            country, sector = country or defined.country_code(), sector or defined.sector()
        if country is None and role and role.sector in NATIONAL_SECTORS and not org_sectors:
            country = self.document_country()   # "the Bureau of Prisons", "Indiana State Police"
        actor = self.actors.get(slug(name)) or Actor(id=slug(name), name=name, kind="org",
                                                    country=country, sector=sector)
        self.actors[actor.id] = actor
        self._mention(actor.id, start, end, end_char)

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

    def _mention(self, actor_id: str, start: int, end: int, end_char: int | None = None) -> None:
        """A mention of tokens start..end; ``end_char`` ends it inside its last token (a glued name)."""
        span = self.doc[start:end]
        stop = end_char if end_char is not None else span.end_char
        self.mentions.append(Mention(text=self.doc.text[span.start_char:stop], start=span.start_char, end=stop,
                                     actor=actor_id))
        self.mention_tokens.append((start, end))
