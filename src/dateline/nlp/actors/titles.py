"""Reading the words around a name: the title before it ("Turkish Foreign Minister X",
"Sweden's deputy director of public prosecutions, X"), the apposition after it
(", the country's former defense minister") and the sentence's sole country.

A mixin of ``DocResolver``: it reads the resolver's matches and mentions (``self.doc``,
``self.dict_by_end``, ``self.role_by_end``, ``self.mentions`` ...)."""
from __future__ import annotations

from dateline.nlp.actors.tables import ORG_KINDS
from dateline.nlp.actors.spans import (
    APPOSITION_REACH, APPOSITION_STOP, HYPHEN_PREFIXES, DESTINATION, PAST_MARKERS, COUNTRY_ANAPHORS,
    DictSpan, POSSESSIVE, Title, TITLE_MODIFIERS, title_text,
)

# Passive verbs that give a person an office ("X has been named new DHS acting secretary",
# "Y was appointed as defence minister"): what follows is read like an apposition.
NAMING_VERBS = {"named", "appointed", "elected", "nominated", "installed", "confirmed", "sworn"}


class TitleReader:
    """Titles and appositions of one document (mixed into ``DocResolver``)."""

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
            if title.role and doc[i - 1].text in ("-", "–") and i >= 2 and doc[i - 2].lower_ in HYPHEN_PREFIXES:
                i = first = i - 2   # "vice-premier", "co-chair": the prefix is part of the title
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
            if entry.kind == "region":
                title.region = entry   # "New York State Attorney General": the state's office, not the nation's

    def _apposition(self, end: int) -> Title:
        """Read ", the country's former defense minister" after a name, or the office a
        passive naming verb gives it ("X has been named new DHS acting secretary")."""
        doc, title = self.doc, Title()
        start = self._apposition_start(end)
        if start is None:
            return title
        named = start > end + 1 or doc[end].text != ","
        i, limit = start, min(len(doc), end + APPOSITION_REACH)
        while i < limit and doc[i].text not in APPOSITION_STOP and doc[i].pos_ not in ("VERB", "AUX"):
            if named and title.role is None and doc[i].pos_ == "ADP" and doc[i].lower_ != "of":
                break   # "X was named in the lawsuit": no office follows
            role = self.role_by_start.get(i)
            if role and title.role is None:
                title.role, title.text = role.role, doc[role.start:role.end].text
                title.given_at = role.start if named else None
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

    def _apposition_start(self, end: int) -> int | None:
        """Where the words describing a name begin: after its comma, or after "has been
        named", "was appointed (as)" and the like; None when neither follows."""
        doc = self.doc
        if end < len(doc) and doc[end].text == ",":
            return end + 1
        i = end
        while i < len(doc) and i < end + 3 and doc[i].pos_ == "AUX":
            i += 1
        if i == end or i >= len(doc) or doc[i].lower_ not in NAMING_VERBS:
            return None
        i += 1
        return i + 1 if i < len(doc) and doc[i].lower_ == "as" else i

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
