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


def _water_issue(tmp_path):
    extra = tmp_path / "water.toml"
    extra.write_text('[issues.water]\ntitle = "water rights"\ncues = ["dam*"]\n', encoding="utf-8")
    return extra


def test_the_issue_file_comes_from_the_config_or_dateline_issues(tmp_path, monkeypatch):
    monkeypatch.delenv("DATELINE_ISSUES", raising=False)
    extra = _water_issue(tmp_path)
    config = tmp_path / "mine.toml"
    config.write_text(f'[stories]\nissues_file = "{extra}"\n', encoding="utf-8")
    assert load_settings().stories.issues_file is None
    assert load_settings(config).stories.issues_file == str(extra)
    (tmp_path / "beside.toml").write_text('[stories]\nissues_file = "water.toml"\n', encoding="utf-8")
    assert load_settings(tmp_path / "beside.toml").stories.issues_file == str(extra)  # beside its config
    monkeypatch.setenv("DATELINE_ISSUES", str(tmp_path / "other.toml"))
    assert load_settings(config).stories.issues_file == str(tmp_path / "other.toml")  # the variable wins


def test_the_stores_hooks_give_the_stories_stage_the_stores_settings(tmp_path, monkeypatch):
    from sqlalchemy import select

    from dateline.model import ActorRef, Article, Document, Event
    from dateline.store import Store
    from dateline.stories.schema import negotiation_positions

    monkeypatch.delenv("DATELINE_ISSUES", raising=False)
    config = tmp_path / "mine.toml"
    config.write_text(f'[stories]\nissues_file = "{_water_issue(tmp_path)}"\n', encoding="utf-8")
    body = "Kandara demanded that Arvala stop filling the dam."
    demand = Event(type="REQUEST", source=[ActorRef("Kandara", "KAN")], target=[ActorRef("Arvala", "ARV")],
                   evidence=body, start=0, end=len(body), trigger="demanded")
    doc = Document(doc="d", article=Article(title="Dam", published="2025-03-04", body=[body]), events=[demand])

    def issues_filed(settings, name):
        with Store(f"sqlite:///{tmp_path / name}", settings=settings) as store:
            store.save(doc)  # no call to the stories stage: the store's hooks file it
            with store.engine.connect() as conn:
                return conn.execute(select(negotiation_positions.c.issue)).scalars().all()

    assert issues_filed(load_settings(config), "mine.db") == ["water"]
    assert issues_filed(load_settings(), "packaged.db") == []
