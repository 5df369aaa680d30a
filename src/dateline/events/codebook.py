"""The event codebook: which words cue which PLOVER event, read from data files.

``data/events/codebook.jsonl`` holds one pattern a line (trigger lemma, part of speech,
particle, preposition, the object words it needs, where the target sits, a rationale);
``roles.tsv`` the function words the coder reads around a trigger (light verbs,
reporting verbs, future, possibility, obligation, negation, dyad anaphors);
``modes.tsv`` the words that set a mode ("machete" -> ASSAULT primitive). Analysts
extend the files; the code only reads them (once per process).
"""
from __future__ import annotations

import csv
import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from dateline.config import DATA_DIR
from dateline.model import PLOVER_TYPES

EVENTS_DATA = DATA_DIR / "events"

CAMEO_ROOTS = {
    "AGREE": "03", "CONSULT": "04", "SUPPORT": "05", "COOPERATE": "06", "AID": "07",
    "CONCEDE": "08", "RETREAT": "08", "REQUEST": "10", "ACCUSE": "11", "REJECT": "12",
    "THREATEN": "13", "PROTEST": "14", "MOBILIZE": "15", "SANCTION": "16", "COERCE": "17",
    "ASSAULT": "18",
}
# Types whose announced future counts as a statement of intent to cooperate (AGREE);
# the hostile ones become THREATEN (PLOVER codes intentions by what is intended).
COOPERATIVE_TYPES = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"})
HOSTILE_TYPES = frozenset({"THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"})


@dataclass(frozen=True)
class Entry:
    """One pattern: a trigger word and what must surround it."""

    id: str
    type: str
    lemma: str
    pos: str = "VERB"
    cameo: str | None = None
    mode: str | None = None
    prt: str | None = None               # particle child: "pull out", "beat up"
    prep: str | None = None              # preposition child: "call for", "call on"
    with_words: frozenset[str] = frozenset()  # object / complement / compound words required
    without: frozenset[str] = frozenset()     # words that rule the match out ("a great deal of")
    obj_ent: frozenset[str] = frozenset()     # the object must be an entity of these labels (GPE, LOC)
    gov: frozenset[str] = frozenset()    # nouns: the governing verb must be one of these
    requires_prep: frozenset[str] = frozenset()  # one of these prepositions must hang on it
    targets: tuple[str, ...] = ()        # prepositions that introduce the target
    obj_actor: bool = False              # the object must name an actor
    intent: bool = False                 # states intent: type follows the complement
    requires_obj: bool = False
    requires_xcomp: bool = False
    requires_xcomp_or_obj: bool = False
    requires_xcomp_or_obj_actor: bool = False
    requires_obj_or_with: bool = False
    plural: bool = False                 # nouns: only the plural ("talks")
    no_predicate: bool = False           # no object predicate: "called Erdogan", not "called the ruling a landmark"
    follows: tuple[str, ...] = ()        # words right after the trigger, one phrase of which must come: "pleaded *guilty*"
    rationale: str = ""

    @property
    def specificity(self) -> int:
        """More conditions met means a more specific match; the most specific one wins."""
        return (2 * bool(self.with_words) + bool(self.prt) + bool(self.prep) + bool(self.gov)
                + bool(self.obj_actor) + bool(self.requires_prep) + 2 * bool(self.obj_ent)
                + max((2 + len(p.split()) for p in self.follows), default=0))


@dataclass
class Codebook:
    entries: list[Entry]
    by_lemma: dict[str, list[Entry]]
    roles: dict[str, frozenset[str]]
    modes: dict[str, dict[str, str]]     # type -> cue lemma -> mode
    anaphors: tuple[str, ...] = field(default_factory=tuple)

    def role(self, name: str) -> frozenset[str]:
        return self.roles.get(name, frozenset())

    def entry(self, entry_id: str) -> Entry:
        return next(e for e in self.entries if e.id == entry_id)


def _entry(data: dict[str, Any]) -> Entry:
    if data["type"] not in PLOVER_TYPES:
        raise ValueError(f"codebook entry {data.get('id')}: unknown type {data['type']}")
    return Entry(
        id=data["id"], type=data["type"], lemma=data["lemma"].lower(), pos=data.get("pos", "VERB"),
        cameo=data.get("cameo") or CAMEO_ROOTS[data["type"]], mode=data.get("mode"),
        prt=data.get("prt"), prep=data.get("prep"),
        with_words=frozenset(w.lower() for w in data.get("with") or ()),
        without=frozenset(w.lower() for w in data.get("without") or ()),
        obj_ent=frozenset(data.get("obj_ent") or ()),
        gov=frozenset(data.get("gov") or ()), requires_prep=frozenset(data.get("requires_prep") or ()),
        targets=tuple(data.get("targets") or ()), obj_actor=bool(data.get("obj_actor")),
        intent=bool(data.get("intent")), requires_obj=bool(data.get("requires_obj")),
        requires_xcomp=bool(data.get("requires_xcomp")),
        requires_xcomp_or_obj=bool(data.get("requires_xcomp_or_obj")),
        requires_xcomp_or_obj_actor=bool(data.get("requires_xcomp_or_obj_actor")),
        requires_obj_or_with=bool(data.get("requires_obj_or_with")),
        plural=bool(data.get("plural")), no_predicate=bool(data.get("no_predicate")),
        follows=tuple(w.lower() for w in data.get("follows") or ()),
        rationale=data.get("rationale", ""),
    )


def _read(name: str) -> str:
    return (EVENTS_DATA / name).read_text(encoding="utf-8")


def _tsv(name: str) -> list[dict[str, str]]:
    lines = [line for line in _read(name).splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _cameo_entries() -> list[Entry]:
    """Verb patterns derived from PETRARCH-2's CAMEO dictionary (scripts/build_event_lexicon.py)."""
    path = EVENTS_DATA / "cameo_lexicon.jsonl"
    if not path.exists():
        return []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [_entry(row) for row in rows if not row.get("header") and not row.get("obj_actor")]


# Roles read beside a trigger that are triggers too ("tariffs were *imposed*" anchors the
# noun; "imposed sanctions" is still an event of its own).
TRIGGER_ROLES = frozenset({"occur"})


@lru_cache(maxsize=2)
def load_codebook(cameo: bool = False) -> Codebook:
    """The codebook, read once per process; ``cameo`` adds the CAMEO-derived verb patterns
    (``cameo_lexicon.jsonl``) for verbs the hand codebook does not cover."""
    entries = [_entry(json.loads(line)) for line in _read("codebook.jsonl").splitlines() if line.strip()]
    by_lemma: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_lemma[entry.lemma].append(entry)
    roles: dict[str, set[str]] = defaultdict(set)
    anaphors = []
    for row in _tsv("roles.tsv"):
        if row["role"] == "anaphor":
            anaphors.append(row["lemma"].lower())
        else:
            roles[row["role"]].add(row["lemma"].lower())
    # The hand codebook corrects or refines the dictionary per verb; words the coder reads
    # by role (reporting verbs "say", light verbs "open", "announce", modals) are never
    # triggers of their own, whatever CAMEO's patterns on them say.
    skip = set(by_lemma).union(*(words for role, words in roles.items() if role not in TRIGGER_ROLES))
    for entry in _cameo_entries() if cameo else ():
        if entry.lemma not in skip:
            entries.append(entry)
            by_lemma[entry.lemma].append(entry)
    modes: dict[str, dict[str, str]] = defaultdict(dict)
    for row in _tsv("modes.tsv"):
        modes[row["type"]][row["cue"].lower()] = row["mode"]
    return Codebook(entries, dict(by_lemma), {k: frozenset(v) for k, v in roles.items()},
                    dict(modes), tuple(sorted(anaphors, key=len, reverse=True)))
