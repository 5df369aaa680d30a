"""Dateline's typed records: the one data model every stage reads and writes.

Flow: ``Record`` (ingest) -> ``Article`` (extract) -> ``Document`` (nlp + events fill
entities, actors, quotes, places, time expressions and events). ``Document.to_dict``
gives the JSON shape of the output contract (shared/OUTPUT.md); the store, the API and
the exports all serialise through it, and ``Document.from_dict`` reads it back.

Stages never return side data: they add to these records. Offsets (``start``/``end``)
are character offsets into ``Article.text`` (the body paragraphs joined with a blank
line), the text the nlp stage reads.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields
from typing import Any

PARAGRAPH_SEPARATOR = "\n\n"

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
SYMMETRIC_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})
FACTUALITY = ("asserted", "negated", "possible", "future")
QUOTE_KINDS = ("direct", "partial", "indirect")


class DatelineError(Exception):
    """A problem with one input, reported as ``source: reason`` without a traceback."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass
class Record:
    """One raw input document as ingest found it: bytes or text plus what is known about it."""

    source: str                      # the `doc` name: file name, JSONL id, WARC target URI, URL
    content: str                     # decoded text of the page (HTML or plain text)
    kind: str = "text"               # "text" (a plain-text capture) | "html" | "plain" (JSONL article text)
    url: str | None = None
    path: str | None = None          # file the record came from (a WARC or JSONL file holds many)
    title: str | None = None         # given by the container (JSON Lines `title`), if any
    date: str | None = None          # given by the container (JSON Lines `date`, WARC-Date), if any
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Failure:
    """An input that could not be processed: which one and why (errors are values at boundaries)."""

    source: str
    reason: str
    stage: str = "ingest"

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass
class Article:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    outlet: str | None = None
    published: str | None = None     # ISO date the page states it was published
    page_date: str | None = None     # date shown on the page (date bar, updated-at)
    url: str | None = None
    dateline: str | None = None      # place named in the lead's dateline
    agency: str | None = None        # wire/agency named in the dateline
    body: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    author_bios: dict[str, str] = field(default_factory=dict)  # author name -> bio as found on the page
    language: str | None = None
    notes: list[str] = field(default_factory=list)  # what the reader should know (e.g. a language not coded)

    @property
    def text(self) -> str:
        """The body as the nlp stage reads it; every offset in a Document points into this."""
        return PARAGRAPH_SEPARATOR.join(self.body)

    @property
    def anchor_date(self) -> str | None:
        """The date relative expressions are resolved against: published, else the page's date."""
        return self.published or self.page_date


@dataclass
class Actor:
    """A canonical identity: ISO 3166 alpha-3 country (or IGO code) plus CAMEO sector."""

    id: str                          # stable key within a document, e.g. "vladimir-putin", "rus-gov"
    name: str
    kind: str = "org"                # person | org | country | place-as-actor | group
    country: str | None = None
    sector: str | None = None
    title: str | None = None         # role as the text gives it ("Foreign Minister")
    code: str | None = None          # organisation code for IGO/NGO and other bodies (UNO, EUR, NATO, AMN)
    aliases: list[str] = field(default_factory=list)
    # Ids of the narrower actors joined into this one (a country's capital, officials, seat of
    # government: "kyiv", "ukr-gov", "kremlin"), kept so keys built on them stay stable.
    merged: list[str] = field(default_factory=list)

    @property
    def owner(self) -> str | None:
        """Country or organisation code: what tells this actor's side apart from another's."""
        return self.country or self.code

    def ref(self) -> ActorRef:
        # The ref keeps the organisation code in `country` too: the output contract's scorer
        # (shared/tools/score.py) reads only `country` on speakers and event sides (gold "UNO").
        return ActorRef(name=self.name, country=self.owner, sector=self.sector, actor=self.id, code=self.code)


@dataclass
class ActorRef:
    """An actor as an event or quote names it."""

    name: str
    country: str | None = None
    sector: str | None = None
    actor: str | None = None         # Actor.id in the document's actor table
    mention: str | None = None       # the words that named it here
    code: str | None = None          # Actor.code: the organisation's code (UNO, NATO); country repeats it (scorer contract)

    @property
    def owner(self) -> str | None:
        """Country or organisation code: what tells this actor's side apart from another's."""
        return self.country or self.code


@dataclass
class Mention:
    """One stretch of text that names an actor."""

    text: str
    start: int
    end: int
    actor: str                       # Actor.id
    kind: str = "name"               # name | pronoun | description


@dataclass
class Quote:
    text: str
    kind: str                        # direct | partial | indirect
    speaker: ActorRef | None = None
    cue: str | None = None
    start: int = 0
    end: int = 0
    stance: str | None = None        # demand | offer | rejection | agreement, from the cue (data/quotes/stance_verbs.tsv)


@dataclass
class Place:
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    start: int | None = None
    end: int | None = None
    role: str | None = None          # "dateline" (the dateline place), "metonym" (the name stands for an actor: "Turkey has shelled"), else None
    precision: str | None = None     # country | admin | city | region


@dataclass
class TimeExpression:
    text: str
    start: int
    end: int
    value: str | None                # ISO date of the precision the text gives: 2025-07-23, 2025-05, 2025
    values: list[str] = field(default_factory=list)  # several for "in May and June"
    precision: str | None = None     # day | weekend | week | month | year: what `value` stands for


@dataclass
class Event:
    type: str                        # PLOVER type
    mode: str | None = None
    cameo: str | None = None         # CAMEO root code, two digits
    source: list[ActorRef] = field(default_factory=list)
    target: list[ActorRef] = field(default_factory=list)
    date: str | None = None
    date_text: str | None = None
    place: Place | None = None
    evidence: str = ""
    start: int = 0                   # offsets of the evidence in Article.text
    end: int = 0
    factuality: str = "asserted"
    confidence: float = 0.5
    trigger: str | None = None       # the word(s) that cued the event
    pattern: str | None = None       # id of the codebook entry that matched
    issues: list[str] = field(default_factory=list)  # negotiation issue labels, when known
    background: bool = False         # recounted from before the news ("the last time they met was in 2019")
    casualties: list[dict[str, Any]] = field(default_factory=list)  # {"kind": killed|injured|arrested|displaced, "count": int, "text": str}


@dataclass
class Document:
    doc: str
    article: Article
    id: str = ""
    entities: list[Mention] = field(default_factory=list)
    actors: dict[str, Actor] = field(default_factory=dict)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.id:
            self.id = document_id(self.article.text, self.article.url)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        order = ["doc", "id", "article", "entities", "actors", "quotes", "events", "places", "times"]
        return {key: data[key] for key in order}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        return cls(
            doc=data["doc"],
            id=data.get("id", ""),
            article=_build(Article, data.get("article") or {}),
            entities=[_build(Mention, m) for m in data.get("entities") or []],
            actors={k: _build(Actor, a) for k, a in (data.get("actors") or {}).items()},
            quotes=[_quote_from_dict(q) for q in data.get("quotes") or []],
            events=[_event_from_dict(e) for e in data.get("events") or []],
            places=[_build(Place, p) for p in data.get("places") or []],
            times=[_build(TimeExpression, t) for t in data.get("times") or []],
        )


def _build(kind: type, data: dict[str, Any]) -> Any:
    """Make a dataclass from a dict, ignoring keys it does not know (newer or older outputs)."""
    names = {f.name for f in fields(kind)}
    return kind(**{k: v for k, v in data.items() if k in names})


def _quote_from_dict(data: dict[str, Any]) -> Quote:
    quote = _build(Quote, data)
    if isinstance(quote.speaker, dict):
        quote.speaker = _build(ActorRef, quote.speaker)
    return quote


def _event_from_dict(data: dict[str, Any]) -> Event:
    event = _build(Event, data)
    event.source = [_build(ActorRef, a) if isinstance(a, dict) else a for a in event.source]
    event.target = [_build(ActorRef, a) if isinstance(a, dict) else a for a in event.target]
    if isinstance(event.place, dict):
        event.place = _build(Place, event.place)
    return event


_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Text as compared for identity: NFKC, lowercased, white space folded."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().lower()


def document_id(text: str, url: str | None = None) -> str:
    """A document's id: a hash of its normalised text and URL, so re-ingesting never duplicates."""
    digest = hashlib.sha256(normalise_text(text).encode("utf-8"))
    if url:
        digest.update(b"\0" + url.strip().encode("utf-8"))
    return digest.hexdigest()[:16]
