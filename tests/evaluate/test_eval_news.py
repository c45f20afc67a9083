"""`realpolitik eval events`: the news-gold figures, defined as the shared scorer defines them."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from helpers import DATA, SHARED
from realpolitik.cli import cli
from realpolitik.errors import EvaluationError
from realpolitik.evaluate.news import actor_key, igo_label, load_gold, score

FIXTURE = DATA / "news"
RESULTS = FIXTURE / "A" / "results.jsonl"
SHARED_SCORER = SHARED / "eval" / "news" / "score_events.py"


def _results() -> list[dict[str, Any]]:
    return [json.loads(line) for line in RESULTS.open(encoding="utf-8")]


def _shared_scorer() -> Any:
    if not SHARED_SCORER.exists():
        pytest.skip(f"{SHARED_SCORER} is not here (the shared evaluation folder is optional)")
    spec = importlib.util.spec_from_file_location("shared_score_events", SHARED_SCORER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fixture_figures_by_hand() -> None:
    report = score(load_gold(FIXTURE), _results(), errors=0)
    # 14 countable predictions: two negated/future events and one without a span are left out.
    assert report["pred_events"] == 14
    assert report["gold_events"] == 11
    # Matches: headline ACCUSE, reversed mutual CONSULT, UNSC->RUS, mutual AGREE, Ruto's
    # SUPPORT, the AU's reported SUPPORT; duplicates: a repeated ACCUSE and both second
    # directions of mutual acts.
    assert report["event"]["tp"] == 6
    assert report["event"]["dup"] == 3
    assert report["event"]["p"] == pytest.approx(6 / 11)
    assert report["event"]["p_strict"] == pytest.approx(6 / 14)
    assert report["recall_by_type"]["COERCE"] == [0, 1]
    assert report["people"] == {
        "gold": 3,
        "found": 3,
        "country_ok": 2,
        "sector_ok": 3,
        "pred": 4,
        "pred_ok": 3,
    }
    assert report["quotes"] == {"gold": 2, "found": 2, "with_speaker": 1, "speaker_ok": 1}


def test_error_classes_name_each_miss_and_false_positive() -> None:
    classes = score(load_gold(FIXTURE), _results())["error_classes"]
    assert classes["miss: wrong direction"] == 1  # NATO->RUS for RUS->NATO
    assert classes["miss: actors right, wrong type"] == 1  # ASSAULT for COERCE
    assert classes["miss: type right, target unresolved"] == 1  # gunmen -> ?
    assert classes["miss: no event in sentence"] == 1  # the T2 headline
    assert classes["fp: actor unresolved"] == 2
    assert sum(v for k, v in classes.items() if k.startswith("miss:")) == 11 - 6


def test_same_figures_as_the_shared_scorer() -> None:
    shared = _shared_scorer()
    arts, golds = shared.load(FIXTURE)
    theirs = shared.score(arts, golds, _results(), 3)
    ours = score(load_gold(FIXTURE), _results(), errors=3)
    ours.pop("error_classes")
    assert ours == theirs


def test_igo_labels_and_actor_keys() -> None:
    assert igo_label("United Nations Security Council") == "UNSC"
    assert igo_label("the U.N.") == "UN"
    assert igo_label("IGOWSTNAT") == "NATO"
    assert igo_label("Kenya") is None
    actors = {"o": {"id": "o", "kind": "organization", "name": "World Health Organization"}}
    assert (
        actor_key({"actor": "o", "code": "IGOWHO", "country": None, "text": "WHO"}, actors)
        == "IGO:WHO"
    )
    assert actor_key({"actor": None, "code": None, "country": None, "text": "gunmen"}, {}) is None
    assert (
        actor_key({"actor": None, "code": "KENGOV", "country": "KEN", "text": "Kenya"}, {}) == "KEN"
    )


def test_bad_gold_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="no gold articles"):
        load_gold(tmp_path)
    (tmp_path / "articles.jsonl").write_text('{"id": "x", "text": "t"}\n', encoding="utf-8")
    (tmp_path / "gold.jsonl").write_text("{not json\n", encoding="utf-8")
    with pytest.raises(EvaluationError, match=r"line 1 of .*gold\.jsonl"):
        load_gold(tmp_path)
    with pytest.raises(EvaluationError, match="1 results for 2 gold articles"):
        score(load_gold(FIXTURE), _results()[:1])


@pytest.mark.model
def test_cli_codes_the_gold_and_agrees_with_the_shared_scorer(tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    res = CliRunner().invoke(cli, ["eval", "events", str(FIXTURE), "--json", "--results", str(out)])
    assert res.exit_code == 0, res.output
    report = json.loads(res.output)
    assert report["articles"] == 2 and report["gold_events"] == 11
    coded = [json.loads(line) for line in out.open(encoding="utf-8")]
    assert [r["article"]["id"] for r in coded] == ["T1", "T2"]
    shared = _shared_scorer()
    arts, golds = shared.load(FIXTURE)
    theirs = shared.score(arts, golds, coded, 0)
    for key in ("event", "dyad", "type", "bag", "people", "quotes", "recall_by_type"):
        assert report[key] == theirs[key]
