"""Event confidence: a raw score from how complete the match was, then calibrated.

Weights are data (``data/events/weights.json``); the calibration table
(``data/events/calibration.tsv``) maps raw score bands to the share of events right on
plover-dev's tune part, learnt by ``bench/event_calibration.py --fit``.
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from typing import Any

from dateline.events.codebook import EVENTS_DATA

# bench/event_calibration.py reads raw scores from `dateline extract` runs through this variable
RAW_ENV = "DATELINE_RAW_EVENT_CONFIDENCE"
_state = {"calibrate": os.environ.get(RAW_ENV) != "1"}


@lru_cache(maxsize=1)
def weights() -> dict[str, Any]:
    return json.loads((EVENTS_DATA / "weights.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def calibration() -> list[tuple[float, float, float]]:
    path = EVENTS_DATA / "calibration.tsv"
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("low"):
            continue
        low, high, conf = (float(x) for x in line.split("\t")[:3])
        rows.append((low, high, conf))
    return rows


def use_calibration(on: bool) -> None:
    """The calibration script reads raw scores to learn the table."""
    _state["calibrate"] = on


def calibrating() -> bool:
    """Raw scores are asked for: nothing is dropped for its confidence."""
    return not _state["calibrate"]


def raw_score(via: str, specific: bool, source_how: str | None, target_how: str | None,
              background: bool, derived: bool) -> float:
    w = weights()
    score = w["base"].get(via, w["base_default"])
    score += w["specific_entry"] if specific else 0.0
    score += w["source"][source_how] if source_how else 0.0
    score += w["target"][target_how] if target_how else 0.0
    score += w["background_clause"] if background else 0.0
    score += w["derived"] if derived else 0.0
    return round(min(w["ceiling"], max(w["floor"], score)), 2)


def calibrated(raw: float) -> float:
    if not _state["calibrate"]:
        return raw
    for low, high, conf in calibration():
        if low <= raw < high or (high >= 1.0 and raw >= low):
            return conf
    return raw


def final_confidence(raw: float, factuality: str, both_sides: bool, others_in_sentence: int) -> float:
    """The raw score with what is known once the sentence is coded (calibrated in review)."""
    w = weights()
    score = raw + w["factuality"].get(factuality, 0.0)
    score += 0.0 if both_sides else w["one_side"]
    score += w["per_other_event_in_sentence"] * others_in_sentence
    return _clip(score)


def reviewed_confidence(event) -> float:
    """Once the document is reviewed: each side with refs but no country or organisation
    code ("civilians", a senator of no known country) costs, then the calibration."""
    w = weights()
    uncoded = sum(1 for refs in (event.source, event.target)
                  if refs and not any(r.country or r.code for r in refs))
    return calibrated(_clip(event.confidence + w["uncoded_side"] * uncoded))


def _clip(score: float) -> float:
    w = weights()
    return round(min(w["ceiling"], max(w["floor"], score)), 2)
