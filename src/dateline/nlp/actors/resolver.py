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

from collections import Counter
import numpy
from spacy.attrs import ORTH
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from dateline.model import Actor, Mention
from dateline.nlp.actors.entities import merge_entities
from dateline.nlp.actors.tables import (
    NAME_LABELS, ORG_KINDS, Entry, RoleWord, Tables, best_hit, big_city_names, fold, slug,
)
from dateline.nlp.actors.spans import (
    AFTER_PREPOSITIONS, APPOSITION_STOP, DESTINATION, PAST_MARKERS, COUNTRY_ANAPHORS, dictionary_wins, DictSpan, drop_leading_modifier,
    group_by_entity, group_name, LOCATIVE, longest_first, looks_like_person, NATIONAL_SECTORS, ORG_LABELS,
    PERSON_LABELS, PLACE_LABELS, POSSESSIVE, RoleSpan, SECTOR_LABELS, singular, Title, title_holder,
    TITLE_MODIFIERS, title_text, trim_name,
)


class Matchers:
    """The two PhraseMatchers of one pipeline's vocabulary: aliases (exact case) and roles."""

    def __init__(self, nlp, tables: Tables):
        self.aliases = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.roles = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.phoenix = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.alias_of: dict[int, str] = {}
        self.phoenix_of: dict[int, str] = {}
        self.role_of: dict[int, RoleWord] = {}
        for alias in tables.aliases:
            key = nlp.vocab.strings.add("A:" + alias)
            self.alias_of[key] = alias
            self.aliases.add("A:" + alias, [nlp.make_doc(alias)])
        self.common_words = common_words(nlp)
        aliases = list(tables.phoenix)
        for alias, pattern in zip(aliases, nlp.tokenizer.pipe(aliases, batch_size=1000)):
            key = nlp.vocab.strings.add("P:" + alias)
            self.phoenix_of[key] = alias
            self.phoenix.add("P:" + alias, [pattern])
        for phrase, role in tables.roles.items():
            key = nlp.vocab.strings.add("R:" + phrase)
            self.role_of[key] = role
            # Abbreviations tokenize by case ("gen." vs "Gen."): one pattern per spelling.
            spellings = {phrase, phrase.title(), phrase.capitalize(), phrase.upper()}
            self.roles.add("R:" + phrase, [nlp.make_doc(text) for text in sorted(spellings)])


def common_words(nlp) -> frozenset[str]:
    """English verbs, adjectives and adverbs (WordNet's index in spaCy's English lemmatizer):
    a lone capitalised one ("Trade", "Gaunt") is a word, not an actor. Nouns are left out,
    WordNet lists surnames and places among them (Hamilton, Luther)."""
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = nlp.get_pipe("lemmatizer").lookups
    if not lookups.has_table("lemma_index"):
        return frozenset()
    index = lookups.get_table("lemma_index")
    return frozenset(w for pos in ("verb", "adj", "adv") for w in index.get(pos, []) if "_" not in w)


def phoenix_match_counts(doc: Doc, start: int, end: int) -> bool:
    """A Phoenix name (matched case-folded) counts where the text capitalises each of its
    words, and a one-word name only inside a person or organisation entity: "Trade" or
    "Hamilton" at a sentence start or as a place is no actor."""
    if not all(t.text[:1].isupper() or not t.is_alpha for t in doc[start:end]):
        return False
    return end - start > 1 or doc[start].ent_type_ in NAME_LABELS


class DocResolver:
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
        merge_entities(self.actors, self.mentions, self.tables)

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
        if start >= end:
            return
        name = self.doc[start:end].text
        linked = self._known_person(name)
        if linked:
            self._mention(linked, start, end)
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
        self._consume_title(title)
        country = title.country_code()
        if country is None and title.role and title.role.type == "role" and title.current_sector() in NATIONAL_SECTORS:
            country = self._country_after(end, frozenset({"of"})) or self._sole_country_of_sentence(start) \
                or self.document_country()
        actor = self.actors.get(slug(name)) or Actor(
            id=slug(name), name=name, kind="person", country=country, sector=title.sector(), title=title.text,
            code=None if country else title.org_code())
        self.actors[actor.id] = actor
        self._register_person(actor)
        self._mention(actor.id, start, end)

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
        parts = actor.name.split()
        if len(parts) > 1:
            self.surnames.setdefault(parts[-1], actor.id)
            self.first_names.setdefault(parts[0], actor.id)   # only for tokens NER tags as a person

    def _organisation(self, start: int, end: int) -> None:
        start, end = trim_name(self.doc, start, end)
        if start >= end or not any(t.pos_ == "PROPN" for t in self.doc[start:end]):
            return   # "Delegations": a common noun the model took for an organisation
        name = self.doc[start:end].text
        person = self._known_person(name)
        if person is None and end - start == 1 and self._not_a_name(start):
            return
        if person and self.actors[person].kind == "person":
            self._mention(person, start, end)   # "Caddell" after "Pat Caddell", tagged ORG by the model
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
        if country is None and role and role.sector in NATIONAL_SECTORS and not org_sectors:
            country = self.document_country()   # "the Bureau of Prisons", "Indiana State Police"
        actor = self.actors.get(slug(name)) or Actor(id=slug(name), name=name, kind="org",
                                                    country=country, sector=sector)
        self.actors[actor.id] = actor
        self._mention(actor.id, start, end)

    # -- titles and appositions ---------------------------------------------------------------

    def _title_before(self, start: int, group: bool = False) -> Title:
        """Read leftwards from a name: "Turkish Foreign Minister", "Kremlin spokesperson",
        "Ukraine's President", "Russia's chief negotiator, " (for a group noun, adjectives
        may stand between: "Irish nationalist guerrillas")."""
        doc, title = self.doc, Title()
        i, first = start, start
        if i >= 2 and doc[i - 1].text == "," and (i - 1 in self.role_by_end or self._destination_end(i - 1)):
            i -= 1   # "Russia's top negotiator, Vladimir Medinsky"; "China's envoy to Britain, X"
        steps = 0
        while i > 0 and steps < 8:
            steps += 1
            role = self.role_by_end.get(i)
            if role and group:
                break   # "civilians and soldiers": two groups, not one title
            if role:
                title.role = title.role or role.role
                i = first = role.start
                continue
            found = self.dict_by_end.get(i)
            if found is None and doc[i - 1].text in POSSESSIVE:
                found = self.dict_by_end.get(i - 1)
            if found and found.hit.entry.kind != "person":
                if self._destination_end(i):
                    i = first = found.start - 1   # "Ambassador to Russia X": Russia receives, it does not send
                    continue
                self._take_modifier(title, found)
                i = first = found.start
                continue
            if group and doc[i - 1].lower_ == "and":
                break   # "Ethiopian and Eritrean envoys": two parties, the group is the nearer one's
            if (title.role or group) and (doc[i - 1].lower_ in TITLE_MODIFIERS
                                          or (doc[i - 1].pos_ == "ADJ" and doc[i - 1].is_lower)):
                title.former = title.former or doc[i - 1].lower_ in PAST_MARKERS
                i -= 1   # "former", "top", "nationalist": words inside a title or group name
                continue
            if title.role and doc[i - 1].text in ("-", "–") and i >= 2 and doc[i - 2].lower_ in PAST_MARKERS:
                title.former = True   # "ex-minister"
                i -= 2
                continue
            break
        if title.role or title.org:
            title.text = title_text(doc, first, start, self.dict_by_end)
        if first < start:
            title.consumed_from = first
        return title

    def _destination_end(self, i: int) -> bool:
        """Whether the words ending at token i are "<title> to <country>" (the envoy's
        destination): that country is not the holder's."""
        found = self.dict_by_end.get(i)
        if found is None or found.start < 2:
            return False
        return self.doc[found.start - 1].lower_ in DESTINATION and found.start - 1 in self.role_by_end

    def _take_modifier(self, title: Title, found: DictSpan) -> None:
        entry = found.hit.entry
        if entry.kind in ORG_KINDS and title.org is None:
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
                title.former = any(t.lower_ in PAST_MARKERS for t in doc[end + 1:role.start])
                i = role.end
                continue
            if title.role and doc[i].lower_ in DESTINATION and i + 1 in self.dict_by_start:
                i = self.dict_by_start[i + 1].end   # "envoy to Ukraine": where they are sent, not whose
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

    def _sole_country_of_sentence(self, token: int, names_only: bool = False) -> str | None:
        """"President Yoweri Museveni threatened Ugandan opposition candidates": a national
        title without a country takes the country when the sentence names exactly one.
        For groups only names count ("Shona rebels ... the Mozambique government"): in
        "Israeli forces fired at protesters" the adjective belongs to the other side."""
        sentence = self.doc[token].sent
        found = {d.hit.entry.country for d in self.dict_spans
                 if sentence.start <= d.start < sentence.end and d.hit.entry.country in self.tables.countries
                 and not (names_only and d.hit.role in ("adjective", "people"))
                 and d.hit.role != "region"   # "talks held in Istanbul": a province is where, not who
                 and not self._destination_end(d.end)}   # "envoy to Ukraine": not the envoy's country
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
        if end + 1 < len(doc) and doc[end].lower_ in DESTINATION and end + 1 in self.dict_by_start:
            after = self.dict_by_start[end + 1].end
            after += 1 if after < len(doc) and doc[after].text == "," else 0
            if after < len(doc) and doc[after].pos_ == "PROPN" and doc[after].is_title:
                return   # "ambassador to Britain(,) Wen Balor": a title, read with the name
        if doc[end - 1].pos_ not in ("NOUN", "PROPN") or (end < len(doc) and doc[end].pos_ == "NOUN"):
            return   # "the general election", "police station": the word modifies something else
        title = self._title_before(start, group=True)
        title.role = title.role or span.role   # "Democratic senator": the noun's sector unless generic
        country = title.country_code() or self._country_of_owner(start) or self._country_after(end)
        if country is None and span.role.standalone:
            country = self._sole_country_of_sentence(start, names_only=True)   # "Shona rebels" ... Mozambique
        first = title.consumed_from if title.consumed_from is not None else start
        determiner = _determiner_before(doc, first)
        sector = title.sector() or span.role.sector
        holder = None
        if span.role.type == "role" and determiner not in ("a", "an"):
            holder = title_holder(self.tables, country or title.org_code(), span.role.phrase, self.date)
        if holder or determiner == "the" and singular(span.role):
            prefer = "person" if span.role.type == "role" else "group"
            target = holder and self._actor(holder).id or self._recent_compatible(country, sector, prefer)
            if target:
                self._consume_title(title)
                self._mention(target, self._mention_start(title, start), end)
                return
        if country is None and span.role.standalone:
            country = self._earlier_group_country(sector)   # "Hong Kong police ... police fired"
        if country or span.role.standalone and span.role.type == "group":
            self._consume_title(title)
            self._add_group(country, sector, self._mention_start(title, start), end)

    def document_country(self) -> str | None:
        """The country the article is about, when one clearly dominates: named (name,
        adjective or capital) at least twice and more than twice as often as any other.
        A national title or institution with no country of its own belongs to it."""
        if self._document_country is None:
            counts = Counter(d.hit.entry.country for d in self.dict_spans
                             if d.hit.entry.kind in ("country", "place-as-actor", "region") and d.hit.entry.country)
            dateline = self._dateline_country()
            if dateline:
                counts[dateline] += 2   # "WASHINGTON (Reuters)": the article's place weighs as two mentions
            ranked = counts.most_common(2)
            top = ranked[0] if ranked else ("", 0)
            second = ranked[1][1] if len(ranked) > 1 else 0
            self._document_country = top[0] if top[1] >= 2 and top[1] > 2 * second else ""
        return self._document_country or None

    def _dateline_country(self) -> str | None:
        """The country of the dateline ("WASHINGTON", "SHARM EL-SHEIKH, Egypt"), when a
        country, capital or state of the tables names it."""
        dateline = self.doc._.dateline if Doc.has_extension("dateline") else None
        if not isinstance(dateline, str):
            return None
        for part in reversed(dateline.split(",")):
            for hit in self.tables.folded.get(fold(part.strip()), []):
                if hit.entry.kind in ("country", "place-as-actor", "region") and hit.entry.country:
                    return hit.entry.country
        return None

    def _earlier_group_country(self, sector: str | None) -> str | None:
        """The country of the one earlier group of this sector ("Hong Kong police" before a
        bare "police"); None when there is none or several."""
        countries = {a.country for a in self.actors.values()
                     if a.kind == "group" and a.sector == sector and a.country}
        return countries.pop() if len(countries) == 1 else None

    def _country_of_owner(self, start: int) -> str | None:
        """"the Bush administration", "Putin's government": the person named just before."""
        if not self.mention_tokens:
            return None
        last_start, last_end = self.mention_tokens[-1]
        if last_end == start or (last_end == start - 1 and self.doc[last_end].text in POSSESSIVE):
            actor = self.actors[self.mentions[-1].actor]
            if actor.kind == "person":
                return actor.country
        return None

    def _country_after(self, end: int, prepositions: frozenset[str] = AFTER_PREPOSITIONS) -> str | None:
        """"rebels in the Ivory Coast", "King Hassan of Morocco": a country named right after."""
        doc = self.doc
        if end >= len(doc) or doc[end].lower_ not in prepositions:
            return None
        at = end + 1
        while at < len(doc) and at < end + 4 and (doc[at].lower_ == "the" or doc[at].pos_ == "ADJ"):
            at += 1
        found = self.dict_by_start.get(at)
        if found and found.hit.entry.kind in ("country", "place-as-actor") and found.hit.role != "adjective":
            return found.hit.entry.country
        return None

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
            self.actors[actor_id] = Actor(id=actor_id, name=self.group_name(country, sector, start, end),
                                          kind="group", country=country, sector=sector)
        self._mention(actor_id, start, end)

    def group_name(self, country: str | None, sector: str, start: int, end: int) -> str:
        """One name for every mention of the group: "Ukrainian government", "Israeli military"."""
        label = SECTOR_LABELS.get(sector)
        if not label:
            return group_name(self.doc[start:end])
        if not country:
            return label
        entry = self.tables.countries.get(country)
        owner = self.tables.adjectives.get(country) or (entry.name if entry else country)
        return f"{owner} {label}"

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


def _determiner_before(doc: Doc, first: int) -> str:
    """The article in front of a description, over adjectives ("the outgoing Ukrainian official")."""
    i = first - 1
    while i >= 0 and first - i <= 3 and (doc[i].pos_ == "ADJ" or doc[i].lower_ in TITLE_MODIFIERS):
        i -= 1
    return doc[i].lower_ if i >= 0 else ""
