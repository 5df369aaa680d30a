"""Fit the headline weights of data/extract/headline.toml on the tune captures.

Each capture's head gives candidate lines (those `pick_headline` scores) with the features
of `headline_features`; the line whose words are the displayed headline of
captures-dev/truth.json is the right one. A conditional logit (softmax over one page's
candidates, L2 penalty) fitted with numpy gives weights; leave-one-page-out accuracy
estimates how they do on pages not fitted on, beside the hand weights' accuracy on the same
pages (in-sample for them, since they were tuned there). Held-out pages are never read.

    PYTHONPATH=src DATELINE_SHARED=../shared .venv/bin/python scripts/fit_headline_weights.py [--l2 1.0] [--write]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "eval"))
from measure import CORPUS, wanted  # noqa: E402

from dateline.extract import headline as H  # noqa: E402
from dateline.extract import text as T  # noqa: E402

GRADED = {"per_line_distance", "per_word"}


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def page_examples(capture: str, title: str) -> tuple[list[dict[str, float]], int | None] | None:
    """Candidates' features and the index of the right one (None: it is not among them)."""
    lines = [line for line, _ in T.split_blocks(capture)]
    lead = T._lead_index(lines)
    if not lead:   # no head above the lead: the first line rule decides, not the weights
        return None
    seen = H._page_counts(lines)
    candidates = sorted(H.head_candidates(lines, lead, T._content))
    if not candidates:
        return None
    features = [H.headline_features(lines, i, lead, seen) for i in candidates]
    right = next((n for n, i in enumerate(candidates) if words(lines[i]) == words(title)), None)
    return features, right


def load_pages() -> tuple[list[tuple[np.ndarray, int | None]], list[str]]:
    truth = json.loads((CORPUS / "captures-dev" / "truth.json").read_text(encoding="utf-8"))
    names = [k for k in H.headline_rules().weights if k in _feature_names()]
    pages = []
    for key in sorted(truth):
        if not wanted(key, "tune"):
            continue
        capture = (CORPUS / "captures-dev" / "text" / f"{key}.txt").read_text(encoding="utf-8")
        example = page_examples(capture, truth[key]["title"] or "")
        if example:
            features, right = example
            pages.append((np.array([[f.get(n, 0.0) for n in names] for f in features]), right))
    return pages, names


def _feature_names() -> set[str]:
    return {"base", "repeated", "repeated_block", "ends_with_full_stop", "prose", "good_length", "short", "long",
            "title_case", "after_furniture", "before_metadata", "before_byline", "byline_below", "after_byline",
            "above_standfirst", "standfirst", "above_attribution", "after_media_label", "name_only", "contains_other", "in_menu", *GRADED}


def fit(pages, dims: int, l2: float, steps: int = 1500, rate: float = 0.1) -> np.ndarray:
    weights = np.zeros(dims)
    learnable = [(x, r) for x, r in pages if r is not None]
    for _ in range(steps):
        grad = l2 * weights
        for x, right in learnable:
            scores = x @ weights
            p = np.exp(scores - scores.max())
            p /= p.sum()
            grad += (p @ x - x[right]) / len(learnable)
        weights -= rate * grad
    return weights


def accuracy(pages, weights: np.ndarray) -> float:
    right = sum(r is not None and int(np.argmax(x @ weights)) == r for x, r in pages)
    return right / len(pages)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--l2", type=float, default=0.1)
    ap.add_argument("--write", action="store_true", help="print the fitted weights as TOML lines")
    args = ap.parse_args()
    pages, names = load_pages()
    hand = np.array([H.headline_rules().weights[n] for n in names])
    reachable = sum(r is not None for _, r in pages)
    print(f"{len(pages)} tune pages with a head, right line among the candidates on {reachable}")
    print(f"hand weights (tuned on these pages): {accuracy(pages, hand):.3f}")
    held = [accuracy([page], fit(pages[:n] + pages[n + 1:], len(names), args.l2)) for n, page in enumerate(pages)]
    print(f"fitted, leave one page out (l2={args.l2}): {sum(held) / len(held):.3f}")
    if args.write:
        for name, value in zip(names, fit(pages, len(names), args.l2)):
            print(f"{name} = {value:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
