"""dateline_coref on invented sentences: pronouns and descriptions linked to the actor they
stand for, or left alone when the text does not say."""
from __future__ import annotations

import re


from dateline.nlp.actors import actor_at, resolve_pronoun
from dateline.nlp.coref import pair_members


def linked(doc, words: str, nth: int = 0) -> str | None:
    """The actor id the nth occurrence of ``words`` is a mention of, or None."""
    start = [m.start() for m in re.finditer(rf"\b{re.escape(words)}\b", doc.text)][nth]
    mention = next((m for m in doc._.mentions if m.start == start and m.end == start + len(words)), None)
    return mention.actor if mention else None


def token(doc, word: str, nth: int = 0):
    return [t for t in doc if t.text == word][nth]


def test_pronoun_does_not_jump_to_an_unrelated_person(analyse):
    doc = analyse("Taylor Swift released an album on Friday. "
                  "The senator said he has consistently denied the allegations.")
    assert linked(doc, "he") is None
    assert resolve_pronoun(doc, token(doc, "he")) is None
    assert linked(doc, "senator") != "taylor-swift"   # an untitled singer is no senator


def test_subject_of_the_reporting_clause(analyse):
    doc = analyse("Prime Minister Keir Starmer met the union leaders on Monday. "
                  "Starmer said he would not back down.")
    assert linked(doc, "he") == "keir-starmer"
    assert resolve_pronoun(doc, token(doc, "he")).id == "keir-starmer"


def test_previous_sentence_subject_first(analyse):
    doc = analyse("Turkish Foreign Minister Hakan Fidan met Vladimir Putin in Moscow. "
                  "He later flew to Kyiv.")
    assert linked(doc, "He") == "hakan-fidan"


def test_chain_of_pronouns(analyse):
    doc = analyse("Chancellor Olaf Scholz arrived in Paris on Monday. He met the president. "
                  "He then left for Brussels.")
    assert linked(doc, "He", 0) == "olaf-scholz"
    assert linked(doc, "He", 1) == "olaf-scholz"


def test_not_the_subject_of_its_own_verb(analyse):
    doc = analyse("Senator John Kerry criticized Senator Mitch McConnell on Tuesday, and Kerry praised him.")
    assert linked(doc, "him") != "john-kerry"


def test_gender_from_honorific(analyse):
    doc = analyse("Mrs. Anna Berg met Mr. Tomas Holm in Oslo. She said the talks went well.")
    assert linked(doc, "She") == "anna-berg"


def test_two_persons_with_equal_claim_stay_unresolved(analyse):
    doc = analyse("Lawyers for Vladimir Putin and Joe Biden met on Tuesday. "
                  "Reporters said he would appeal.")
    assert linked(doc, "he") is None


def test_no_cataphora(analyse):
    doc = analyse("Before he left the summit, President Emmanuel Macron said the deal was close.")
    assert linked(doc, "he") is None


def test_past_two_sentences_only_the_sole_person(analyse):
    doc = analyse("President Emmanuel Macron spoke in Paris. The weather was cold. The talks were long. "
                  "The food was good. He said the deal was close.")
    assert linked(doc, "He") == "emmanuel-macron"   # the one person of the last sentences
    doc = analyse("President Emmanuel Macron met Chancellor Olaf Scholz in Paris. The weather was cold. "
                  "The talks were long. The food was good. He said the deal was close.")
    assert linked(doc, "He") is None   # two people back there: no guess


def test_first_person_is_left_to_quotes(analyse):
    doc = analyse('President Emmanuel Macron spoke in Paris. "I will not resign," Macron said.')
    assert linked(doc, "I") is None


def test_inside_a_quote_not_the_speaker(analyse):
    doc = analyse('Vladimir Putin met Joe Biden in Geneva. "He is a tough negotiator," Putin said.')
    assert linked(doc, "He") != "vladimir-putin"


def test_it_for_a_country_not_for_a_thing(analyse):
    doc = analyse("Russia rejected the proposal on Monday. It said the plan was unfair.")
    assert linked(doc, "It") == actor_at(doc, 0, 6).id
    doc = analyse("The bill passed the Senate on Monday. It now goes to the House.")
    assert linked(doc, "It") is None
    doc = analyse("Russia made an offer. It is expected that talks resume.")
    assert linked(doc, "It") is None


def test_they_for_a_group(analyse):
    doc = analyse("Ukrainian officials met in Kyiv on Monday. They said the talks would resume.")
    assert linked(doc, "They") == "ukraine"   # unnamed officials are their country's government actor


def test_descriptions(analyse):
    doc = analyse("Amnesty International published a report on Monday. The group said prisons were full.")
    assert linked(doc, "The group") == actor_at(doc, 0, 20).id
    doc = analyse("Apple announced new phones in California. The company said prices would rise.")
    assert linked(doc, "The company") == actor_at(doc, 0, 5).id
    doc = analyse("Russia closed its border with Georgia. The country said the move was temporary.")
    assert linked(doc, "The country") == actor_at(doc, 0, 6).id


def test_his_office_is_the_person(analyse):
    doc = analyse("President Emmanuel Macron left Paris on Monday. His office said he was in good health.")
    assert linked(doc, "His office") == "emmanuel-macron"
    assert next(m for m in doc._.mentions if m.text == "His office").kind == "description"


def test_the_two_leaders_is_a_pair(analyse):
    doc = analyse("Russian President Vladimir Putin met Turkish President Recep Tayyip Erdogan in Sochi. "
                  "The two leaders discussed grain exports.")
    pair = linked(doc, "The two leaders")
    assert pair is not None and pair.startswith("pair:")
    assert set(pair_members(doc, pair)) == {"vladimir-putin", "recep-tayyip-erdogan"}
    assert doc._.actors[pair].kind == "group"


def test_mentions_stay_sorted_and_apart(analyse):
    doc = analyse("Russian President Vladimir Putin met Turkish President Recep Tayyip Erdogan in Sochi. "
                  "He said the two leaders agreed. The minister said it was a good day. They left.")
    mentions = doc._.mentions
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:]))
    assert {m.kind for m in mentions} <= {"name", "pronoun", "description"}
    assert all(m.actor in doc._.actors for m in mentions)


def test_quote_speaker_follows_coreference(analyse):
    doc = analyse('Taylor Swift released an album on Friday. The senator was questioned on Monday. '
                  '"I never took the money," he said.')
    speakers = [q.speaker for q in doc._.quotes if q.speaker is not None]
    assert speakers and all(s.actor != "taylor-swift" for s in speakers)
    doc = analyse('Chancellor Olaf Scholz arrived in Paris on Monday. "We will talk," he said.')
    assert [q.speaker.actor for q in doc._.quotes] == ["olaf-scholz"]


def test_quote_going_on_past_its_attribution(analyse):
    doc = analyse('"You failed the public," Senator Ben Sasse told Director Kathleen Hawk Sawyer. '
                  '"Now he will never testify against his friends."')
    assert linked(doc, "he") is None   # neither the speaker nor the one spoken to


def test_they_for_two_named_people_is_the_pair(analyse):
    doc = analyse("Donald Trump and Xi Jinping met in Osaka on Saturday. They agreed to resume trade talks.")
    pair = linked(doc, "They")
    assert pair and pair.startswith("pair:")
    assert set(pair_members(doc, pair)) == {"donald-trump", "xi-jinping"}


def test_gender_from_a_gendered_title_without_honorific(analyse):
    doc = analyse("Spokeswoman Maria Zakharova met Sergei Lavrov in Moscow. She said the talks had failed.")
    assert linked(doc, "She") == "maria-zakharova"


def test_sole_person_reaches_past_two_sentences(analyse):
    doc = analyse("Foreign Minister Hakan Fidan opened the talks on Monday. The venue was a palace. "
                  "The weather was cold. Delegates arrived late. He said the meeting went well.")
    assert linked(doc, "He") == "hakan-fidan"
