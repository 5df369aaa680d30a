"""One typed Settings object: the packaged config with a user's file over it, passed down."""
import dataclasses

import pytest

from dateline.model import DatelineError, Record
from dateline.settings import Limits, RunSettings, load_settings


def test_the_typed_defaults_are_the_packaged_config():
    settings = load_settings()
    assert settings.limits == Limits()
    assert settings.run == RunSettings()
    assert settings.nlp.components[0] == "dateline_actors"
    assert settings.nlp.component_config("dateline_events")["min_confidence"] == 0.0


def test_a_user_file_changes_only_what_it_names(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text("[limits]\nmax_tags_per_page = 50\n[nlp]\nbatch_size = 8\n")
    settings = load_settings(path)
    assert settings.limits.max_tags_per_page == 50 and settings.nlp.batch_size == 8
    assert dataclasses.replace(settings.limits, max_tags_per_page=100_000) == Limits()
    assert settings.source == str(path)
    hash(settings)  # frozen: a worker's pipeline may be kept per settings


def test_the_pipeline_applies_the_settings_it_is_given(tmp_path):
    from dateline.pipeline import Pipeline

    path = tmp_path / "strict.toml"
    path.write_text("[limits]\nmax_tags_per_page = 50\n")
    page = "<html><body>" + "<p>Talks resumed in Lima on Monday.</p>" * 60 + "</body></html>"
    record = Record(source="many.html", content=page, kind="html")
    [failure] = Pipeline(load_settings(path), analyse=False).run_batch([record])
    assert "limits.max_tags_per_page" in failure.reason
    from dateline.extract import extract_article

    with pytest.raises(DatelineError):
        extract_article(record, load_settings(path))
