"""The tracker gives each position to the party that holds it, also when the quote finder
and the coder misread who speaks (invented articles, coded the way the nlp stages err:
the nearest noun as the speaker of a participial clause, "its negotiators" given to the
wrong side, a quote whose stance is only in its sentence)."""
from __future__ import annotations

from dateline.model import ActorRef, Article, Document, Event, Quote
from dateline.store import Store
from dateline.stories import on_documents_stored, queries
from dateline.stories.positions import positions_of

NAMES = {"RUS": "Russia", "UKR": "Ukraine"}


def _ref(code: str, mention: str | None = None) -> ActorRef:
    return ActorRef(NAMES[code], code, "GOV", code.lower(), mention=mention)


def _quote(text: str, said: str, code: str, cue: str, mention: str | None = None, stance: str | None = None) -> Quote:
    start = text.index(said)
    return Quote(text=said, kind="indirect", speaker=_ref(code, mention), cue=cue, start=start,
                 end=start + len(said), stance=stance)


def _event(text: str, type_: str, source: str, target: str, evidence: str, date: str | None = None) -> Event:
    start = text.index(evidence)
    return Event(type=type_, source=[_ref(source)], target=[_ref(target)], date=date, evidence=evidence,
                 start=start, end=start + len(evidence), confidence=0.8)


def _doc(name: str, body: str, published: str = "2025-09-18") -> Document:
    return Document(doc=name, article=Article(title=name, outlet=f"{name} Post", published=published, body=[body]))


def _held(doc: Document) -> set[tuple[str, str, str]]:
    return {(p.party, p.issue, p.stance) for p in positions_of(doc)}


def test_a_participial_clause_keeps_the_speaker_of_its_sentence():
    body = ("The foreign ministry in Moscow said a truce would only come once Ukrainian troops left the "
            "four regions, repeating its demand for a withdrawal.")
    doc = _doc("participle", body)
    doc.quotes = [_quote(body, "a truce would only come once Ukrainian troops left the four regions", "RUS", "said",
                         "The foreign ministry in Moscow"),
                  _quote(body, "its demand for a withdrawal", "UKR", "repeating", "Ukrainian troops")]
    doc.events = [_event(body, "REQUEST", "UKR", "RUS", "its demand for a withdrawal")]
    held = _held(doc)
    assert ("RUS", "territory", "demand") in held
    assert not any(party == "UKR" for party, _, _ in held)


def test_a_possessive_speaker_belongs_to_the_actor_of_the_sentence():
    body = "Russia on Monday dismissed the plan, and its envoys said they were ready to consider a ceasefire."
    doc = _doc("possessive", body)
    doc.events = [_event(body, "REJECT", "RUS", "UKR", "Russia on Monday dismissed the plan")]
    doc.quotes = [_quote(body, "they were ready to consider a ceasefire", "UKR", "said", "its envoys")]
    assert ("RUS", "ceasefire", "offer") in _held(doc)
    assert ("UKR", "ceasefire", "offer") not in _held(doc)


def test_a_recounted_statement_is_not_a_new_position():
    body = ("Russia on Wednesday rejected a 30-day ceasefire, a week after its negotiators had said "
            "that they were ready to consider one.")
    doc = _doc("recounted", body)
    doc.events = [_event(body, "REJECT", "RUS", "UKR", "Russia on Wednesday rejected a 30-day ceasefire",
                         "2025-09-17")]
    doc.quotes = [_quote(body, "that they were ready to consider one", "RUS", "said", "its negotiators")]
    assert _held(doc) == {("RUS", "ceasefire", "rejection")}


def test_a_stance_read_from_the_sentence_stays_with_the_party_that_takes_it():
    body = "Russia on Wednesday rejected Ukraine's call for a 30-day ceasefire."
    doc = _doc("borrowed", body)
    doc.events = [_event(body, "REJECT", "RUS", "UKR", "Russia on Wednesday rejected Ukraine's call for a 30-day ceasefire")]
    doc.quotes = [_quote(body, "a 30-day ceasefire", "UKR", "call", "Ukraine")]
    assert ("UKR", "ceasefire", "rejection") not in _held(doc)
    assert ("RUS", "ceasefire", "rejection") in _held(doc)


def test_the_cue_verb_decides_over_the_words_it_introduces():
    body = "Ukraine's delegation rejected the demand for a withdrawal from the regions."
    doc = _doc("cue", body)
    doc.quotes = [_quote(body, "the demand for a withdrawal from the regions", "UKR", "rejected",
                         "Ukraine's delegation")]
    assert _held(doc) == {("UKR", "territory", "rejection")}


def test_an_idea_called_premature_is_turned_down():
    body = ("Kyiv pressed for a meeting between President Arlen Voss and President Marek Dal, an idea the Kremlin called premature.")
    doc = _doc("premature", body)
    doc.events = [_event(body, "REQUEST", "UKR", "RUS", "Kyiv pressed for a meeting between President Arlen Voss and President Marek Dal")]
    doc.quotes = [_quote(body, "premature", "RUS", "called", "the Kremlin")]
    held = _held(doc)
    assert ("UKR", "leaders_meeting", "demand") in held and ("RUS", "leaders_meeting", "rejection") in held
    assert ("RUS", "leaders_meeting", "demand") not in held


def test_the_dyads_tracker_from_misread_reports(db_url):
    """Two reports as the nlp stages code them: each party's own demands, offers and refusals."""
    may = ("Russia demanded that Ukraine pull its forces out of four regions. Ukraine's delegation rejected "
           "the demand for a withdrawal from the regions, calling it a non-starter.")
    first = _doc("may", may, published="2025-05-17")
    first.events = [_event(may, "REQUEST", "RUS", "UKR", "Russia demanded that Ukraine pull its forces out of four regions",
                           "2025-05-16")]
    first.quotes = [_quote(may, "the demand for a withdrawal from the regions", "UKR", "rejected",
                           "Ukraine's delegation", stance="rejection"),
                    _quote(may, "it a non-starter", "UKR", "calling", "Ukraine's delegation")]
    sept = ("Russia on Wednesday rejected Ukraine's call for a 30-day ceasefire, a week after its negotiators had "
            "said that they were ready to consider one. The foreign ministry in Moscow said a truce would only "
            "come once Ukrainian troops left the four regions, repeating its demand for a withdrawal. Kyiv said it "
            "would never trade its territory for a pause in the fighting.")
    second = _doc("sept", sept)
    second.events = [_event(sept, "REJECT", "RUS", "UKR", "Russia on Wednesday rejected Ukraine's call for a 30-day "
                            "ceasefire", "2025-09-17"),
                     _event(sept, "REQUEST", "UKR", "RUS", "its demand for a withdrawal", "2025-09-17"),
                     _event(sept, "REJECT", "UKR", "RUS", "Kyiv said it would never trade its territory", "2025-09-17")]
    second.quotes = [_quote(sept, "a 30-day ceasefire", "UKR", "call", "Ukraine"),
                     _quote(sept, "that they were ready to consider one", "UKR", "said", "its negotiators"),
                     _quote(sept, "a truce would only come once Ukrainian troops left the four regions", "RUS", "said",
                            "The foreign ministry in Moscow"),
                     _quote(sept, "its demand for a withdrawal", "UKR", "repeating", "Ukrainian troops"),
                     _quote(sept, "it would never trade its territory for a pause in the fighting", "UKR", "said", "Kyiv")]
    store = Store(db_url)
    for doc in (first, second):
        store.save(doc)
        on_documents_stored(store, [doc])
    tracks = {(i["issue"], p["party"]): [h["stance"] for h in p["history"]]
              for i in queries.negotiations(store, ["RUS", "UKR"])["issues"] for p in i["positions"]}
    assert set(tracks[("territory", "RUS")]) == {"demand"}
    assert set(tracks[("territory", "UKR")]) == {"rejection"}
    assert tracks[("ceasefire", "RUS")] == ["rejection"]
    assert ("ceasefire", "UKR") not in tracks or "rejection" not in tracks[("ceasefire", "UKR")]


def test_a_refusal_in_the_words_decides_over_an_insisting_cue():
    body = "Russian officials insisted that a summit between the leaders was premature."
    doc = _doc("insisted", body)
    doc.quotes = [_quote(body, "that a summit between the leaders was premature", "RUS", "insisted",
                         "Russian officials", stance="demand")]
    assert _held(doc) == {("RUS", "leaders_meeting", "rejection")}


def test_would_never_is_a_refusal():
    body = "Kyiv said it would never trade its territory for a pause in the fighting."
    doc = _doc("never", body)
    doc.quotes = [_quote(body, "it would never trade its territory for a pause in the fighting", "UKR", "said", "Kyiv")]
    assert ("UKR", "territory", "rejection") in _held(doc)


def test_wanting_something_of_the_other_side_is_a_demand():
    body = "Beijing wants Washington to eliminate the tariffs on its goods."
    doc = _doc("wants", body)
    doc.quotes = [_quote(body, "Washington to eliminate the tariffs on its goods", "RUS", "wants", "Beijing",
                         stance="offer")]   # the quote stage's CAMEO class of "want"
    assert _held(doc) == {("RUS", "sanctions", "demand")}
