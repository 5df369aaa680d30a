"""One actor per entity in a document: the merges the resolver runs after its pass.

- Two spellings of one person's name are one person: the same surname (a generational
  suffix such as "Jr." set aside) and the same first name, one a short form or initial of the
  other ("Pat Carlineo" / "Patrick W. Carlineo Jr."); middle names and initials may be left out.
- A surname or an acronym joins the one full name it shortens ("Omar" / "Ilhan Omar", "DEA"),
  and a company's name its full name with the legal form ("SoftBank" / "SoftBank Group Corp").
- A bare group ("police") joins the one group of its sector with a country.
- A country's government under all its names is one actor, the country's own
  (id of the country entry, kind ``country``, sector GOV): the country ("Russia", "RUS"),
  its capital standing for it ("Moscow said"), its seat of government ("the Kremlin"),
  its unnamed officials ("Russian officials", "the Russian government") and a body named
  only by the country and a government word ("the Government of Syria").
- A name the text gives as another's ("the Syrian opposition forces known as Maghawir al
  Thawra", "Myanmar, formerly Burma") is that actor.
- Every actor keeps the other wordings of its mentions in ``aliases``.
"""
from __future__ import annotations

import re
from dataclasses import replace

from dateline.model import Actor, Mention
from dateline.nlp.actors.tables import Tables, fold

_INITIALS_SKIP = {"of", "and", "the", "for", "on", "in", "&"}

# Words around a country's name that, with nothing else, make a name mean its government.
GOVERNMENT_WORDS = {"government", "administration", "regime", "of", "the", "federal", "central", "national",
                    "state", "authorities", "leadership"}

# Buildings that stand, by metonymy, for a country's executive as a whole ("the Kremlin
# said", "the White House announced"): one actor with the country's government.
SEATS_OF_GOVERNMENT = frozenset({"Kremlin", "White House", "Downing Street", "Elysee", "Élysée",
                                 "Elysee Palace", "Élysée Palace", "Zhongnanhai", "Blue House"})


def merge_entities(actors: dict[str, Actor], mentions: list[Mention], tables: Tables, text: str = "") -> None:
    """All the merges, in the order they depend on each other; ``mentions`` is repointed in place
    (``text``: the document's text the mentions point into)."""
    repoint(actors, mentions, named_as_merges(actors, mentions, text))
    repoint(actors, mentions, person_variant_merges(actors, tables))
    repoint(actors, mentions, short_name_merges(actors))
    repoint(actors, mentions, bare_group_merges(actors))
    repoint(actors, mentions, named_body_merges(actors))
    repoint(actors, mentions, head_noun_merges(actors, mentions))
    repoint(actors, mentions, government_merges(actors, mentions, tables))
    collect_aliases(actors, mentions)


# Generational suffixes after a surname: "Patrick Carlineo Jr." is still a Carlineo.
NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
# Legal forms and holding words that end a company's full name and are left out of its short
# name: "SoftBank Group Corp" is "SoftBank", "Tempus Inc." is "Tempus".
CORPORATE_SUFFIXES = {"corp", "corp.", "corporation", "inc", "inc.", "incorporated", "ltd", "ltd.", "limited",
                      "llc", "plc", "co", "co.", "company", "group", "holdings", "sa", "s.a.", "ag", "nv", "n.v."}


def name_words(actor: Actor) -> list[str]:
    """A person's name without a trailing generational suffix ("Jr."), or a body's name."""
    words = actor.name.split()
    if actor.kind == "person":
        while len(words) > 1 and words[-1].lower().rstrip(",") in NAME_SUFFIXES:
            words = words[:-1]
        words = [w.rstrip(",") for w in words]
    return words


def has_suffix(actor: Actor) -> bool:
    return actor.kind == "person" and len(name_words(actor)) < len(actor.name.split())


def company_stem(words: list[str]) -> list[str]:
    """A company's name without the legal form and holding words at its end."""
    while len(words) > 1 and words[-1].lower() in CORPORATE_SUFFIXES:
        words = words[:-1]
    return words


def shortens(short: Actor, long: Actor) -> bool:
    """Whether ``short`` is a shorter way of writing ``long``: its words end long's name, or
    it is long's initials (an organisation's acronym), or a company's name before its legal form."""
    words, long_words = name_words(short), name_words(long)
    if short.kind == "person" and long.kind != "person" and not _person_like(long_words):
        return False
    if 0 < len(words) < len(long_words) and long_words[-len(words):] == words:
        return short.kind == long.kind or short.kind in ("org", "person")
    if short.kind == "org" and long.kind == "org" and len(words) < len(long_words) \
            and company_stem(long_words) == words and words[0][:1].isupper():
        return True
    if short.kind == "org" and short.name.isupper() and long.kind in ("org", "igo", "ngo") and len(short.name) >= 2:
        initials = "".join(w[0] for w in long_words if w.lower() not in _INITIALS_SKIP and w[:1].isalpha())
        return initials.upper() == short.name
    return False


def _person_like(words: list[str]) -> bool:
    """"Eva-Marie Persson" tagged ORG: two to four capitalised words, no body's word in them."""
    return 2 <= len(words) <= 4 and all(w[:1].isupper() and w.replace("-", "").isalpha() for w in words)


def short_name_merges(actors: dict[str, Actor]) -> dict[str, str]:
    """A name that is the tail of exactly one longer name of the document ("Omar" and
    "Ilhan Omar", "Hawk Sawyer", "Communist Party" and "Chinese Communist Party"), or
    the initials of exactly one ("DEA"), is that actor, wherever it came first."""
    named = [a for a in actors.values() if a.kind in ("person", "org", "igo", "ngo")]
    merged: dict[str, str] = {}
    for short in named:
        longer = [a for a in named if a.id != short.id and shortens(short, a)]
        if len(longer) > 1 and sum(not has_suffix(a) for a in longer) == 1:
            longer = [a for a in longer if not has_suffix(a)]   # "Trump": Donald Trump, not Donald Trump Jr.
        if len(longer) == 1 and longer[0].id not in merged:
            merged[short.id] = longer[0].id
            target = longer[0]
            if short.kind == "person" and target.kind == "org":
                target.kind = "person"   # the surname was read as a person: so is the full name
            _inherit(target, short)
    return merged


# What stands between a description and the name the text gives it ("forces known as X",
# "X, also known as Y") and between a name and an earlier name of the same body ("X, or
# MaT – formerly the Y", "X (formerly Y)"); an acronym may come first ("X, or MaT").
_ACRONYM = r"(?:,?\s*or\s+[A-Z][A-Za-z.]{1,7}\s*)?"
NAMED_AS = re.compile(r"\s*,?\s*(?:(?:also|commonly|widely|now|formerly|previously)\s+)?known\s+as\s+(?:the\s+)?")
FORMERLY = re.compile(_ACRONYM + r"\s*[,(–—-]?\s*(?:formerly|previously)\s+(?:known\s+as\s+|called\s+)?(?:the\s+)?")
NAMED_AS_REACH = 40   # characters between the two mentions at most


def named_as_merges(actors: dict[str, Actor], mentions: list[Mention], text: str) -> dict[str, str]:
    """A description and the name the text gives it, a name and its former name: one actor,
    the one named first in "X, formerly Y", the name in "forces known as X"."""
    parent: dict[str, str] = {}

    def final(actor_id: str) -> str:
        while actor_id in parent:
            actor_id = parent[actor_id]
        return actor_id

    ordered = sorted(mentions, key=lambda m: m.start)
    for before, after in zip(ordered, ordered[1:]):
        gap = text[before.end:after.start] if text else ""
        a, b = final(before.actor), final(after.actor)
        if a == b or not gap or len(gap) > NAMED_AS_REACH or a not in actors or b not in actors:
            continue
        if NAMED_AS.fullmatch(gap):
            keep, join = b, a
        elif FORMERLY.fullmatch(gap):
            keep, join = a, b
        else:
            continue
        if "person" in (actors[keep].kind, actors[join].kind) and actors[keep].kind != actors[join].kind:
            actors[keep].kind = actors[join].kind if actors[keep].kind == "person" else actors[keep].kind
        _inherit(actors[keep], actors[join])
        parent[join] = keep
    return {actor_id: final(actor_id) for actor_id in parent}


def person_variant_merges(actors: dict[str, Actor], tables: Tables | None = None) -> dict[str, str]:
    """Two full names of one person ("Pat Carlineo", "Patrick W. Carlineo Jr."): each joins
    the longest of its variants, when exactly one longest variant fits it. Two people the
    dictionaries know under their own names ("George Bush", "George W. Bush") stay two."""
    people = [a for a in actors.values() if a.kind == "person" and len(name_words(a)) > 1]
    known = {a.id for a in people if tables is not None and _known_person(a, tables)}
    merged: dict[str, str] = {}
    for actor in people:
        variants = [a for a in people if a.id != actor.id and same_person(actor, a)
                    and not (actor.id in known and a.id in known)]
        if not variants:
            continue
        longest = max(variants + [actor], key=lambda a: (len(a.name), a.id))
        rivals = [a for a in variants if len(a.name) == len(longest.name) and a.id != longest.id]
        if longest.id != actor.id and not rivals and all(same_person(longest, a) for a in variants):
            merged[actor.id] = longest.id
            _inherit(longest, actor)
    return merged


def _known_person(actor: Actor, tables: Tables) -> bool:
    return any(h.entry.kind == "person" for h in tables.folded.get(fold(actor.name)) or [])


def same_person(a: Actor, b: Actor) -> bool:
    """Same surname, compatible first names, and middle names that do not contradict."""
    words_a, words_b = name_words(a), name_words(b)
    if words_a[-1] != words_b[-1] or not _given_names_fit(words_a[0], words_b[0]):
        return False
    if has_suffix(a) != has_suffix(b) and words_a[0] == words_b[0]:
        return False   # "Donald Trump" and "Donald Trump Jr.": father and son, written alike but for the suffix
    middle_a, middle_b = words_a[1:-1], words_b[1:-1]
    if middle_a and middle_b:
        return len(middle_a) == len(middle_b) and all(_given_names_fit(x, y) for x, y in zip(middle_a, middle_b))
    return True


def _given_names_fit(x: str, y: str) -> bool:
    """"Patrick" and "Pat", "Patrick" and "P.": one is the other or its first letters (three
    at least, unless an initial)."""
    x, y = x.rstrip(".").lower(), y.rstrip(".").lower()
    if x == y:
        return bool(x)
    short, long = sorted((x, y), key=len)
    if not short.isalpha():
        return False
    return short == long or (len(short) == 1 or len(short) >= 3) and long.startswith(short)


def _inherit(target: Actor, source: Actor) -> None:
    """What the joined actor knew that the one it joins did not."""
    target.country = target.country or source.country
    target.code = target.code or (None if target.country else source.code)
    target.sector = target.sector or source.sector
    target.title = target.title or source.title


def bare_group_merges(actors: dict[str, Actor]) -> dict[str, str]:
    """"police" with no country, and "Hong Kong police" the only police with one: one group."""
    merged = {}
    for actor in list(actors.values()):
        if actor.kind != "group" or actor.country or not actor.sector:
            continue
        owned = [a for a in actors.values() if a.kind == "group" and a.sector == actor.sector and a.country]
        if len(owned) == 1:
            merged[actor.id] = owned[0].id
    return merged


# Sectors whose unnamed group ("Chinese military", "US police") is the country's one named
# body of that sector when the document names exactly one ("the People's Liberation Army").
BODY_SECTORS = {"MIL", "COP", "LEG"}


def named_body_merges(actors: dict[str, Actor]) -> dict[str, str]:
    """"Chinese troops" and "the People's Liberation Army", "police" and "the U.S. Capitol
    Police": the country's unnamed group of a sector is the one named body of it."""
    merged = {}
    for actor in actors.values():
        if actor.kind != "group" or actor.sector not in BODY_SECTORS or not actor.country \
                or actor.id != f"{actor.country.lower()}-{actor.sector.lower()}":
            continue
        bodies = [a for a in actors.values() if a.kind == "org" and a.country == actor.country
                  and a.sector == actor.sector]
        if len(bodies) == 1:
            merged[actor.id] = bodies[0].id
    return merged


def head_noun_merges(actors: dict[str, Actor], mentions: list[Mention]) -> dict[str, str]:
    """"police" after "the U.S. Capitol Police", "the legislature" after "the Indiana
    Legislature": a group named only by a bare noun is the one named body of its sector (and
    country) whose name ends with that noun."""
    words: dict[str, set[str]] = {}
    for mention in mentions:
        words.setdefault(mention.actor, set()).add(fold(mention.text).removeprefix("the "))
    merged = {}
    for actor in actors.values():
        said = words.get(actor.id, set())
        if actor.kind != "group" or len(said) != 1 or " " in next(iter(said)):
            continue
        noun = next(iter(said))
        bodies = [a for a in actors.values() if a.kind in ("org", "igo", "ngo") and len(a.name.split()) > 1
                  and fold(a.name.split()[-1]) == noun and a.sector in (actor.sector, None)
                  and (not actor.country or a.country in (actor.country, None))]
        if len(bodies) == 1:
            merged[actor.id] = bodies[0].id
    return merged


def government_merges(actors: dict[str, Actor], mentions: list[Mention], tables: Tables) -> dict[str, str]:
    """Each actor that names a country's government as a whole -> the country's actor
    (made when the text named only the capital or the officials)."""
    merged: dict[str, str] = {}
    coordinated = {m.actor for m in mentions if " and " in m.text or "," in m.text}
    for actor_id, actor in list(actors.items()):
        if actor_id in coordinated:
            continue   # "Ethiopian and Eritrean envoys": several parties, not one country
        iso3 = government_of(actor, tables)
        entry = tables.countries.get(iso3) if iso3 else None
        if entry is None:
            continue
        target = actors.get(entry.id)
        if target is None or target.kind != "country":
            actors[entry.id] = Actor(id=entry.id, name=entry.name, kind="country", country=iso3, sector="GOV")
        elif not target.sector:
            target.sector = "GOV"
        if actor_id != entry.id:
            merged[actor_id] = entry.id
            target = actors[entry.id]
            target.merged = sorted({*target.merged, actor_id, *actor.merged})
    return merged


def government_of(actor: Actor, tables: Tables) -> str | None:
    """The country whose government ``actor`` is, when it is nothing narrower."""
    if actor.sector != "GOV" or not actor.country or actor.id.endswith("-city") or actor.id.startswith("pair:"):
        return None
    if actor.kind in ("country", "place-as-actor") or actor.id == f"{actor.country.lower()}-gov":
        return actor.country
    if actor.kind == "org":
        if actor.name.removeprefix("the ").strip() in SEATS_OF_GOVERNMENT:
            return actor.country
        words = [w for w in actor.name.replace("’s", "").replace("'s", "").split()
                 if w.lower() not in GOVERNMENT_WORDS]
        if len(words) == len(actor.name.split()):
            return None   # no government word: a body of its own ("Syrian Arab Red Crescent")
        hits = tables.folded.get(fold(" ".join(words))) if words else None
        if hits and any(h.entry.kind == "country" and h.entry.country == actor.country for h in hits):
            return actor.country   # "the Syrian government", "Government of Syria"
    return None


def repoint(actors: dict[str, Actor], mentions: list[Mention], merged: dict[str, str]) -> None:
    if not merged:
        return
    for k, mention in enumerate(mentions):
        if mention.actor in merged:
            mentions[k] = replace(mention, actor=merged[mention.actor])
    for actor_id in merged:
        actors.pop(actor_id, None)


def collect_aliases(actors: dict[str, Actor], mentions: list[Mention]) -> None:
    """Every other way the document names an actor, kept on it (the raw mention stays too)."""
    for mention in mentions:
        actor = actors.get(mention.actor)
        if actor and mention.text != actor.name and mention.text not in actor.aliases:
            actor.aliases.append(mention.text)
