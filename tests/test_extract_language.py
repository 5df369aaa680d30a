"""Language: detected, stored on the article, and a language we do not code is said, not silent."""
from __future__ import annotations

from dateline.extract import extract_article
from dateline.extract.language import detect_language, is_coded
from dateline.model import Record
from dateline.pipeline import Pipeline

FRENCH = ("Le conseil régional a approuvé lundi le nouveau budget de l'eau après un long débat entre ses membres.\n\n"
          "Le budget prévoit trois réservoirs et une conduite vers les vallées sèches du sud, selon le service des finances.")
ENGLISH = ("The regional assembly approved the new water budget on Monday after a long debate among its members.\n\n"
           "The budget sets aside money for three reservoirs and a pipeline to the dry southern valleys.")


def _plain(text: str, **meta) -> Record:
    return Record(source="row", content=text, kind="plain", meta=meta)


def test_language_is_detected_and_stored():
    assert extract_article(_plain(ENGLISH)).language == "en"
    assert extract_article(_plain(FRENCH)).language == "fr"


def test_too_little_text_leaves_the_language_unknown():
    assert detect_language("Ok.") is None


def test_a_stated_language_wins():
    assert extract_article(_plain(ENGLISH, language="en-GB".split("-")[0])).language == "en"


def test_a_language_we_do_not_code_gets_a_note_and_no_analysis():
    article = extract_article(_plain(FRENCH))
    assert not is_coded(article)
    assert article.notes and "language 'fr'" in article.notes[0] and "not analysed" in article.notes[0]
    [document] = Pipeline(analyse=True).run_batch([_plain(FRENCH)])
    assert document.article.notes and document.events == [] and document.entities == []


def test_english_gets_no_note():
    assert extract_article(_plain(ENGLISH)).notes == []
