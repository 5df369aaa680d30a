"""Group nouns and definite descriptions: "Ukrainian officials", "a Jordanian official",
"the minister" linked back, "the Bush administration", and the document's own country.

A mixin of ``DocResolver`` (reads its matches and mentions, adds group actors)."""
from __future__ import annotations

from collections import Counter
from spacy.tokens import Doc

from dateline.model import Actor
from dateline.nlp.actors.tables import Entry, fold
from dateline.nlp.actors.spans import (
    AFTER_PREPOSITIONS, COLLECTIVE_BODIES, DESTINATION, group_name, POSSESSIVE, RoleSpan,
    SECTOR_LABELS, singular, Title, title_holder, TITLE_MODIFIERS,
)


class GroupReader:
    """Groups and descriptions of one document (mixed into ``DocResolver``)."""

    def _role(self, span: RoleSpan, start: int, end: int) -> None:
        doc = self.doc
        if start in self.given_roles:
            self._mention(self.given_roles[start], start, end)   # "X has been named acting secretary"
            return
        if end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].is_title:
            return   # a title before a name: read with the name
        if end + 1 < len(doc) and doc[end].text == "," and doc[end + 1].pos_ == "PROPN" and doc[end + 1].is_title and \
                span.role.type == "role" and _determiner_before(doc, start) not in ("a", "an", "the"):
            return   # "Sweden's deputy director of public prosecutions, Eva-Marie Persson": read with the name
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
        collective = country is not None and span.role.phrase in COLLECTIVE_BODIES   # "the Syrian government"
        if holder or determiner == "the" and singular(span.role) and not collective:
            prefer = "person" if span.role.type == "role" else "group"
            target = holder and self._actor(holder).id or self._recent_compatible(
                country, sector, prefer, persons=span.role.phrase not in COLLECTIVE_BODIES)   # "the regime": no person
            if target:
                self._consume_title(title)
                self._mention(target, self._mention_start(title, start), end)
                return
        if country is None and span.role.standalone:
            country = self._earlier_group_country(sector)   # "Hong Kong police ... police fired"
        if country or span.role.standalone and span.role.type == "group":
            self._consume_title(title)
            self._add_group(country, sector, self._mention_start(title, start), end,
                            region=title.region if title.country == country else None)

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

    def _recent_compatible(self, country: str | None, sector: str | None, prefer: str,
                           persons: bool = True) -> str | None:
        """The latest person or group this description fits; "the official" prefers an
        unnamed group ("a Ukrainian delegation member"), "the minister" a named person."""
        fallback = None
        for mention in reversed(self.mentions[-40:]):
            actor = self.actors[mention.actor]
            if actor.kind not in ("person", "group") or (actor.kind == "person" and not persons):
                continue
            if country and actor.country != country:
                continue
            if sector and actor.sector and actor.sector != sector:
                continue
            if actor.kind == prefer:
                return actor.id
            fallback = fallback or actor.id
        return fallback

    def _add_group(self, country: str | None, sector: str, start: int, end: int, region: Entry | None = None) -> None:
        # A state's or province's officials are a group of their own ("Indiana officials"), not the nation's.
        owner = region.id if region else (country or "any").lower()
        actor_id = f"{owner}-{sector.lower()}"
        if actor_id not in self.actors:
            name = f"{region.name} {SECTOR_LABELS.get(sector, sector.lower())}" if region else \
                self.group_name(country, sector, start, end)
            self.actors[actor_id] = Actor(id=actor_id, name=name, kind="group", country=country, sector=sector)
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



def _determiner_before(doc: Doc, first: int) -> str:
    """The article in front of a description, over adjectives ("the outgoing Ukrainian official")."""
    i = first - 1
    while i >= 0 and first - i <= 3 and (doc[i].pos_ == "ADJ" or doc[i].lower_ in TITLE_MODIFIERS):
        i -= 1
    return doc[i].lower_ if i >= 0 else ""
