"""End to end with the real spaCy pipeline on the bundled examples and the founding article."""

from __future__ import annotations

import json

import pytest

from helpers import SEED
from realpolitik.batch.ingest import example_paths
from realpolitik.ingest import read_articles
from realpolitik.pipeline import code_articles
from realpolitik.records import Article, Result

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def examples(nlp) -> list[Result]:
    articles = [a for a in read_articles(example_paths()) if isinstance(a, Article)]
    assert len(articles) >= 3
    return list(code_articles(articles, nlp=nlp))


@pytest.fixture(scope="module")
def seed(nlp) -> Result:
    if not SEED.exists():
        pytest.skip(f"{SEED} is not here (the shared evaluation folder is optional)")
    [article] = [a for a in read_articles([str(SEED)]) if isinstance(a, Article)]
    [result] = code_articles([article], nlp=nlp)
    return result


def _check_contract(result: Result) -> None:
    data = json.loads(json.dumps(result.to_dict()))
    text = result.article.text
    ids = {a["id"] for a in data["actors"]}
    for actor in data["actors"]:
        for m in actor["mentions"]:
            assert text[m["start"] : m["end"]] == m["text"]
    for e in data["events"]:
        assert text[e["start"] : e["end"]] == e["text"]
        assert e["cameo"].startswith(e["root"]) and len(e["root"]) == 2
        assert e["quad_class"] in {1, 2, 3, 4}
        assert e["source"]["actor"] is None or e["source"]["actor"] in ids
        assert e["coder"] and e["rule"] and 0 <= e["confidence"] <= 1
    for q in data["quotes"]:
        assert text[q["start"] : q["end"]] == q["text"]
        assert q["kind"] in {"direct", "indirect", "mixed"}
        assert set(q["about"]) <= ids


def test_examples_are_coded_without_stage_errors(examples: list[Result]) -> None:
    for result in examples:
        assert result.errors == [], result.errors
        assert result.events and result.quotes
        _check_contract(result)


def test_examples_join_spelling_variants(examples: list[Result]) -> None:
    people = [a for r in examples for a in r.actors if a.kind == "person"]
    variants = [a for a in people if len({m.text for m in a.mentions}) > 1]
    assert len(variants) >= 4


def test_seed_meeting_and_criticism(seed: Result) -> None:
    _check_contract(seed)
    dyads = {
        (e.source.country, e.plover, e.target.country if e.target else None)
        for e in seed.events
        if not e.negated
    }
    assert ("USA", "CONSULT", "KOR") in dyads  # the 2+2 meeting and the visit
    assert ("USA", "ACCUSE", "CHN") in dyads
    assert ("USA", "ACCUSE", "PRK") in dyads


def test_seed_people_are_one_actor_each_with_their_country(seed: Result) -> None:
    people = {a.name: a for a in seed.actors if a.kind == "person"}
    by_surname = {}
    for actor in people.values():
        for m in actor.mentions:
            by_surname.setdefault(m.text.split()[-1], set()).add(actor.id)
    assert all(len(ids) == 1 for ids in by_surname.values()), by_surname
    countries = {a.country for a in people.values()}
    assert None not in countries
    chung = [
        a
        for a in people.values()
        if {"Chung Eui-yong", "Jung Eui-yong"} <= {m.text for m in a.mentions}
    ]
    assert len(chung) == 1 and chung[0].country == "KOR"
