"""An event being assembled (``Draft``) and what is done to a sentence's drafts together:
parties filled from the place, merging twins, protest demands, confidence.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from spacy.tokens import Span, Token

from dateline.events.arguments import Found
from dateline.events.clauses import agent_of, passive as is_passive
from dateline.events.codebook import HOSTILE_TYPES, Codebook, Entry
from dateline.events.scoring import raw_score
from dateline.events.triggers import Trigger
from dateline.model import ActorRef

# Unattributed violence and protest are coded to the country where they happen (PLOVER/CAMEO
# practice); police, troops and protesters act within their own country unless told otherwise.
PLACE_SOURCE_TYPES = frozenset({"ASSAULT", "COERCE", "PROTEST"})
DOMESTIC_TYPES = frozenset({"PROTEST", "COERCE", "CONCEDE"})  # a curfew lifted, a strike called off: at home
# Where "in X" names whom the act is done to ("lifted the curfew in Montenegro"), not a venue.
LOCATIVE_TARGET_TYPES = frozenset({"ASSAULT", "COERCE", "MOBILIZE", "CONCEDE", "SANCTION", "AID", "PROTEST",
                                   "RETREAT", "THREATEN"})
# Words by which a text says an act stays within one actor ("internal talks", "its own
# citizens", "among themselves"); without one, source = target is a misread argument.
INTERNAL_WORDS = frozenset({"internal", "internally", "domestic", "domestically", "own", "themselves",
                            "itself", "intra", "infighting", "rival", "rivals", "factions", "faction"})


@dataclass
class Draft:
    """An event being assembled from one trigger."""

    entry: Entry
    type: str
    trigger: Trigger
    clause_head: Token
    source: Found = field(default_factory=Found)
    target: Found = field(default_factory=Found)
    factuality: str = "asserted"
    background: bool = False
    tokens: set[int] = field(default_factory=set)
    mode: str | None = None
    derived: bool = False
    confidence: float = 0.5
    basis: str | None = None     # the type of the intended act, for intents ("prepared to impose martial law")


# Sectors of a state's own institutions: named without their country ("the police",
# "prosecutors", "lawmakers"), they are the country's where the story happens.
STATE_SECTORS = frozenset({"GOV", "COP", "JUD", "LEG", "MIL"})


# Sectors of actors that belong to no one country: an IGO, an NGO ("Amnesty"), refugees.
STATELESS_SECTORS = frozenset({"IGO", "NGO", "REF"})


def home_country(draft: Draft, country: str | None, domestic: str | None = None) -> None:
    """Sides named without a country take the story's. State institutions ("the city's
    police deny ...") take ``country``: the clause's place, else the dateline's, else the
    country the article names most. Other people, companies and crowds take ``domestic``,
    the country of a story set in one country, as PLOVER coders code a domestic story
    ("prosecutors charged Noel", "investigating WeWork": USA -> USA); never an IGO, an NGO,
    refugees or a side with an organisation code."""
    for found in (draft.source, draft.target):
        if not found.refs or found.countries:
            continue
        if country and all(r.sector in STATE_SECTORS for r in found.refs):
            found.refs = [replace(r, country=country) for r in found.refs]
        elif domestic and all(r.sector not in STATELESS_SECTORS and not r.code for r in found.refs):
            found.refs = [replace(r, country=domestic) for r in found.refs]


def implied_state(draft: Draft, country: str | None, cb: Codebook) -> None:
    """'He was arrested in April', 'two officers were charged': an agentless passive of an
    act only the state's police or courts perform (``police_act`` / ``court_act`` roles) has
    the state where it happens as its source (CAMEO/PLOVER practice for arrests and charges)."""
    trigger = draft.trigger
    lemma = trigger.token.lemma_.lower() if trigger is not None else ""
    if country and not draft.target and lemma in cb.role("plea"):  # a plea is made to the court
        draft.target = Found([ActorRef(name=f"{country} judiciary", country=country, sector="JUD")], [], "implied")
        return
    if draft.source or not country or trigger.via != "verb" or not is_passive(trigger.head) \
            or agent_of(trigger.head) is not None:
        return
    sector = "COP" if lemma in cb.role("police_act") else "JUD" if lemma in cb.role("court_act") else None
    if sector is not None:
        name = "police" if sector == "COP" else "judiciary"
        draft.source = Found([ActorRef(name=f"{country} {name}", country=country, sector=sector)], [], "implied")


def fill_from_place(draft: Draft, place) -> None:
    """Parties the text leaves without a country: the clause's place, else the other side's country."""
    country = place.country if place is not None else None
    ref = ActorRef(name=place.name, country=country) if country else None
    if not draft.target.countries and ref is not None and draft.type in LOCATIVE_TARGET_TYPES:
        draft.target = Found(draft.target.refs + [ref], draft.target.tokens, "place")
    if not draft.source.countries and ref is not None and draft.type in PLACE_SOURCE_TYPES:
        draft.source = Found(draft.source.refs + [ref], draft.source.tokens, "place")
    territorial = draft.mode in {"annex", "occupy", "seize"}  # taking land is done to another, never at home
    if not territorial and (draft.type in DOMESTIC_TYPES or draft.basis in DOMESTIC_TYPES
                            or (draft.type == "ASSAULT" and draft.target)):
        if draft.source.countries and not draft.target.countries:
            draft.target = Found(draft.target.refs + country_refs(draft.source), draft.target.tokens, "place")
        elif draft.target.countries and not draft.source.countries and draft.type == "PROTEST":
            draft.source = Found(draft.source.refs + country_refs(draft.target), draft.source.tokens, "place")


def country_refs(found: Found) -> list[ActorRef]:
    return [ActorRef(name=c, country=c) for c in sorted(found.countries)]


def intent_type(token: Token, matches: dict, cb: Codebook) -> tuple[str, str | None]:
    """AGREE, or THREATEN when the intended act is hostile ('vowed to fight')."""
    for child in token.children:
        infinitive = child.dep_ == "advcl" and any(a.dep_ == "aux" and a.lower_ == "to" for a in child.children)
        if child.dep_ in {"xcomp", "ccomp"} or infinitive:  # "sworn to fight" (parsed as advcl)
            while child.i not in matches and any(c.dep_ == "xcomp" for c in child.children):
                child = next(c for c in child.children if c.dep_ == "xcomp")  # "prepared to resume shelling"
            entry = matches.get(child.i)
            if entry is None:
                entry = next((matches[o.i] for o in child.children if o.dep_ in {"dobj"} and o.i in matches), None)
            if entry is not None:
                return ("THREATEN" if entry.type in HOSTILE_TYPES else "AGREE"), entry.type
            # the verb cues only hostile acts even where its pattern's conditions fail ("sworn to fight")
            types = {e.type for e in cb.by_lemma.get(child.lemma_.lower(), ()) if e.pos == "VERB"}
            if types and types <= HOSTILE_TYPES:
                return "THREATEN", None
        if child.dep_ == "prep":
            for pobj in child.children:
                entry = matches.get(pobj.i)
                if entry is not None and entry.type in HOSTILE_TYPES:
                    return "THREATEN", entry.type
    return "AGREE", None




def self_dyad(source: list[ActorRef], target: list[ActorRef]) -> bool:
    """One actor on both sides ("AGREE Pashinyan -> Pashinyan", "CONSULT Russia -> Russia").
    Only the same actor id counts: a leader acting on his own country ("promised to
    democratize Serbia"), or across sectors (government -> court, police -> citizens), is a
    domestic act and kept; several parties on both sides is how symmetric acts are written."""
    if len(source) != 1 or len(target) != 1:
        return False
    return bool(source[0].actor) and source[0].actor == target[0].actor


def says_internal(sent: Span) -> bool:
    return any(t.lower_ in INTERNAL_WORDS or t.lower_.startswith("intra-") for t in sent)




def draft_confidence(draft: Draft) -> float:
    raw = raw_score(draft.trigger.via, draft.entry.specificity > 0,
                    draft.source.how if draft.source else None, draft.target.how if draft.target else None,
                    draft.background, draft.derived)
    return raw  # final_confidence calibrates it once the sentence's events are known


def protest_demands(drafts: list[Draft]) -> list[Draft]:
    """What protesters demand is the content of their protest, not an event of its own."""
    protests = [d.clause_head for d in drafts if d.type == "PROTEST"]
    if not protests:
        return drafts
    return [d for d in drafts if d.type != "REQUEST"
            or not any(p.i != d.clause_head.i and d.clause_head in p.subtree for p in protests)]


def merge(drafts: list[Draft]) -> list[Draft]:
    """One event per type and source in a sentence: 'said X must ... and urged Y to ...'."""
    out: list[Draft] = []
    for draft in drafts:
        countries = {r.owner for r in draft.source.refs}
        twin = next((d for d in out if d.type == draft.type and d.factuality == draft.factuality
                     and d.derived == draft.derived
                     and ({r.owner for r in d.source.refs} == countries or not countries
                          or not d.source.refs)), None)
        if twin is None:
            out.append(draft)
            continue
        twin.tokens |= draft.tokens
        if not twin.source:
            twin.source = draft.source
        if not twin.target or (twin.target.how != "explicit" and draft.target.how == "explicit" and draft.target):
            twin.target = draft.target or twin.target
        twin.confidence = max(twin.confidence, draft.confidence)
        twin.mode = twin.mode or draft.mode
    return out
