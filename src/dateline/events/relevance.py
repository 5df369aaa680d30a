"""Relevance: which stories, sentences and drafts can carry a political event at all.

Two tests, after PLOVER/CAMEO practice:
- the PETRARCH-2 discards (``data/events/discards.tsv``, built by
  ``scripts/build_event_discards.py``): a story-scope phrase ("Champions League") rules
  the whole article out, a sentence-scope phrase ("goalless draw") its sentence;
- a draft is kept only when one side is an actor that can be coded politically: a
  country or its government, military, police, judiciary, legislature, party, rebels,
  an IGO or NGO, or a named person holding such a role. A company launching a laptop,
  a player "attacking" a defence or a band "hitting" the charts have no such side.
  Protest and unattributed violence are political acts by themselves, so protesters
  and crowds (civilians) may carry them, as may the place a bombing happens in.
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc, Span

from dateline.config import DATA_DIR
from dateline.events.codebook import EVENTS_DATA
from dateline.model import ActorRef

# CAMEO sectors of state and organised political actors (data/actors/roles.tsv codes).
POLITICAL_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "PTY", "REB", "OPP", "IGO", "NGO",
                               "SPY", "INS", "SEP", "UAF", "ELI"})
NON_POLITICAL_SECTORS = frozenset({"BUS", "MED", "CVL", "EDU", "HLH", "REF", "AGR", "LAB", "ENV"})
POLITICAL_KINDS = frozenset({"country", "igo", "ngo"})
IGO_CODES = frozenset({"UNO", "NATO", "EU", "EUR", "AU", "IGO"})
# Acts that are political whoever does them: civilians and crowds may be their source,
# and a place may stand for the unnamed side (a bombing in a town).
SELF_POLITICAL_TYPES = frozenset({"PROTEST", "ASSAULT", "COERCE"})
# Acts the news reports without their doer ("a bomb exploded", "sanctions came into force");
# other types need their source unless the verb is an agentless passive ("X was accused").
SOURCELESS_TYPES = SELF_POLITICAL_TYPES | {"SANCTION", "MOBILIZE", "AID", "RETREAT", "CONCEDE"}
# Collective civilian actors (a people, protesters, villagers) are parties to conflict acts:
# "ethnic Albanians have sworn to fight", "villagers attacked the police post".
CROWD_TYPES = SELF_POLITICAL_TYPES | {"THREATEN", "MOBILIZE"}


@lru_cache(maxsize=1)
def role_words() -> dict[str, str]:
    """Lowercased phrase -> CAMEO sector, from the actors stage's ``roles.tsv`` (its data,
    read as data: "prosecutors" JUD, "lawmakers" LEG), for subjects it left unnamed."""
    out: dict[str, str] = {}
    path = DATA_DIR / "actors" / "roles.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("phrase\t") or "\t" not in line:
            continue
        phrase, sector = line.split("\t")[:2]
        out.setdefault(phrase.lower(), sector)
    return out


def role_sector(words: list) -> str | None:
    """The sector of an unnamed group by its words: the longest role phrase ending the
    phrase at its head ("federal prosecutors" -> "prosecutors": JUD)."""
    content = [t.lower_ for t in words if t.pos_ not in {"DET", "NUM", "PUNCT"}]
    table = role_words()
    for start in range(len(content)):
        sector = table.get(" ".join(content[start:]))
        if sector:
            return sector
    return None


@lru_cache(maxsize=1)
def discards() -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """(story pattern, sentence pattern): word-bounded, case-insensitive alternations."""
    story, sentence = [], []
    for line in (EVENTS_DATA / "discards.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("phrase\t"):
            continue
        phrase, scope = line.split("\t")[:2]
        (story if scope == "story" else sentence).append(re.escape(phrase).replace(r"\ ", r"\s+"))

    def compile_(parts: list[str]) -> re.Pattern[str] | None:
        if not parts:
            return None
        return re.compile(r"\b(?:" + "|".join(sorted(parts, key=len, reverse=True)) + r")\b", re.IGNORECASE)

    return compile_(story), compile_(sentence)


def story_discarded(text: str) -> bool:
    pattern = discards()[0]
    return bool(pattern and pattern.search(text))


def sentence_discarded(sent: Span) -> bool:
    pattern = discards()[1]
    return bool(pattern and pattern.search(sent.text))


def codable(ref: ActorRef, doc: Doc) -> bool:
    """An actor that can be coded politically (see the module docstring)."""
    actor = (doc._.actors or {}).get(ref.actor) if ref.actor else None
    sector = ref.sector or (actor.sector if actor else None)
    if sector in POLITICAL_SECTORS:
        return True
    if actor is not None:
        if actor.kind in POLITICAL_KINDS:
            return True
        code = getattr(actor, "code", None)
        if code and sector not in NON_POLITICAL_SECTORS:
            return True
        # a body named after its country with no sector known ("the Montenegro Assembly")
        return actor.kind == "org" and bool(actor.country) and sector is None
    # refs without an actor table entry come from spaCy's entities: a country or an IGO
    # named as such, not an organisation whose name holds one ("USA Today", "American
    # Music Awards"), which the entity fallback also gives that country
    if ref.country in IGO_CODES:
        return True
    return bool(ref.country) and sector is None and _names_country(ref.name)


def _names_country(name: str | None) -> bool:
    from dateline.events.arguments import country_word

    return bool(name) and (len(name) <= 3 and name.isupper() or country_word(name) is not None)


def side_political(refs: list[ActorRef], doc: Doc) -> bool:
    return any(codable(ref, doc) for ref in refs)


def draft_relevant(event_type: str, source: list[ActorRef], target: list[ActorRef], doc: Doc,
                   source_how: str = "explicit", target_how: str = "explicit", passive: bool = False) -> bool:
    """At least one side is a political actor; protest and violence may also stand on
    civilians or on the place where they happen."""
    if not source and not passive and event_type not in SOURCELESS_TYPES:
        return False  # "calling the police", "I asked her": a call or a request needs its caller
    if side_political(source, doc) or side_political(target, doc):
        return True
    if event_type in CROWD_TYPES and any(_crowd(r, doc) for r in source + target):
        return True
    return event_type in SELF_POLITICAL_TYPES and "place" in {source_how, target_how}


def _crowd(ref: ActorRef, doc: Doc) -> bool:
    """A collective of civilians: protesters, a people ("Albanians"), residents of a country."""
    if ref.sector != "CVL":
        return False
    actor = (doc._.actors or {}).get(ref.actor) if ref.actor else None
    return bool(ref.country) or (actor is not None and actor.kind == "group")
