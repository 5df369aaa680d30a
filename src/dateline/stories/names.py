"""What an article is specifically about: the actors and places it names, as keys.

Stories and merged events compare articles by these, not by their words: two pieces
on "talks" and "sanctions" share vocabulary, while reports of one happening share the
people, bodies and towns they name.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any


def specific_names(doc: Any) -> list[str]:
    """What an article is specifically about: the actors and places it names, as keys.

    Countries are left out: "USA" or "China" is named by half of all political news and
    says nothing about which happening an article reports; a person, a body, a town does.
    """
    names = {f"a:{actor.id}" for actor in doc.actors.values()
             if actor.kind != "country" and actor.id and len(actor.name or "") > 2}
    # A country's capital, officials or seat of government ("Kyiv said", "Russian officials",
    # "the Kremlin") were actors of their own before the actors stage joined them into the
    # country's: they still tell which government an article reports on closely.
    names |= {f"a:{joined}" for actor in doc.actors.values() for joined in getattr(actor, "merged", None) or []}
    names |= {f"p:{place.name.lower()}" for place in doc.places
              if place.name and place.precision != "country" and place.role != "metonym"
              and not _is_country_name(place.name)}
    return sorted(names)


@lru_cache(maxsize=4096)
def _is_country_name(name: str) -> bool:
    import pycountry

    try:
        pycountry.countries.lookup(name)
        return True
    except LookupError:
        return False


def name_overlap(a: list[str] | None, b: list[str] | None) -> tuple[int, float]:
    """Names two articles share, and their Jaccard."""
    mine, other = set(a or []), set(b or [])
    shared = len(mine & other)
    return shared, (shared / len(mine | other) if shared else 0.0)
