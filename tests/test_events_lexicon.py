"""The CAMEO-derived verb lexicon: built from the dictionary, hand entries win, off by default."""
from __future__ import annotations

import json

from dateline.events.codebook import EVENTS_DATA, load_codebook


def test_lexicon_file_names_its_sources():
    header = json.loads((EVENTS_DATA / "cameo_lexicon.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert header["header"] and any("MIT" in s for s in header["sources"])


def test_hand_entries_win_and_role_words_never_trigger():
    plain, wide = load_codebook(), load_codebook(cameo=True)
    assert len(wide.entries) > len(plain.entries)
    for lemma, entries in wide.by_lemma.items():
        if lemma in plain.by_lemma:
            assert not any(e.id.startswith("cameo.") for e in entries), lemma
    for word in ("say", "announce", "hold"):
        assert not any(e.id.startswith("cameo.") for e in wide.by_lemma.get(word, ()))


def test_dictionary_patterns_need_their_object_words():
    wide = load_codebook(cameo=True)
    entries = [e for e in wide.entries if e.id.startswith("cameo.")]
    assert entries and all(e.with_words or e.prt or e.prep for e in entries)


def test_a_dictionary_verb_codes_when_enabled():
    import spacy  # noqa: F401  (the pipeline below loads the model)
    from dateline import nlp as dateline_nlp

    nlp = dateline_nlp.load()
    coder = nlp.get_pipe("dateline_events")
    saved = coder.codebook
    try:
        coder.codebook = load_codebook(cameo=True)
        doc = nlp("Serbian troops besieged the citadel of Vrana on Monday.")
        assert any(e.pattern and e.pattern.startswith("cameo.besiege") for e in doc._.events)
    finally:
        coder.codebook = saved


def test_an_object_sense_stays_on_the_verb_it_was_found_on():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scripts" / "build_event_lexicon.py"
    spec = importlib.util.spec_from_file_location("build_event_lexicon", path)
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    dictionary = "\n".join([
        "####### VERB PATTERNS", "---  GRUMBLE   [110]  ---", "GRUMBLE", "MUTTER",
        "- * FURY                 [111]   # GRUMBLE",
        "- * RALLY                [141]", "######## TRANSFORMATIONS"])
    table = {"111": ("ACCUSE", None), "141": ("PROTEST", None), "110": ("ACCUSE", None)}
    entries = build.parse(dictionary, table)
    fury = {e["lemma"] for e in entries if e.get("with") == ["fury"]}
    rally = {e["lemma"] for e in entries if e.get("with") == ["rally"]}
    assert fury == {"grumble"}           # found on GRUMBLE: not carried to its synonym
    assert rally == {"grumble", "mutter"}  # no verb named: the whole block
