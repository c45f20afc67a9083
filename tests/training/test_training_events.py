"""Training the event extractor: thresholds by cross-validated F1, labels from gold events."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from helpers import annotate
from realpolitik.events.extractor import NONE, pair_candidates
from realpolitik.training.events import (
    _decisions,
    _fit,
    _fit_gated,
    _micro_f1,
    candidate_label,
    choose_thresholds,
)


def test_thresholds_maximise_micro_f1_per_type() -> None:
    classes = [NONE, "ACCUSE", "CONSULT"]
    # ACCUSE is right whenever its probability is >= 0.3; CONSULT only at >= 0.7
    probs = np.array(
        [[0.6, 0.4, 0.0], [0.65, 0.35, 0.0], [0.8, 0.2, 0.0], [0.5, 0.0, 0.5], [0.2, 0.0, 0.8]]
    )
    gold = ["ACCUSE", "ACCUSE", NONE, NONE, "CONSULT"]
    th = choose_thresholds(probs, classes, gold)
    assert 0.2 < th["ACCUSE"] <= 0.35 and 0.5 < th["CONSULT"] <= 0.8
    assert _micro_f1(_decisions(probs, classes, th), gold) == (1.0, 1.0, 1.0)


def test_a_fitted_model_learns_a_separable_rule() -> None:
    feats = [["lex=CONSULT", "x"], ["lex=CONSULT", "y"], ["lex=none", "x"], ["lex=none", "y"]] * 5
    labels = ["CONSULT", "CONSULT", NONE, NONE] * 5
    model = _fit(feats, labels, min_count=2, c=10.0)
    p = model.probabilities([["lex=CONSULT"], ["lex=none"]])
    assert p[0][model.labels.index("CONSULT")] > 0.8 > p[1][model.labels.index("CONSULT")]


def test_the_gate_learns_the_pair_and_the_typer_the_type() -> None:
    # the pair's role (sdep=) says whether it is an event; the sentence's words say which type;
    # the gate never sees the sentence's words (w=)
    feats = [
        ["sdep=nsubj", "w=meet"],
        ["sdep=dobj", "w=meet"],
        ["sdep=nsubj", "w=accuse"],
        ["sdep=dobj", "w=accuse"],
    ] * 6
    labels = ["CONSULT", NONE, "ACCUSE", NONE] * 6
    model = _fit_gated(feats, labels, min_count=2, c=10.0, gate_c=10.0)
    assert model.gate is not None and not any(f.startswith("w=") for f in model.gate.vocabulary)
    p = model.probabilities(
        [["sdep=nsubj", "w=meet"], ["sdep=nsubj", "w=accuse"], ["sdep=dobj", "w=meet"]]
    )
    decided = [model.labels[int(row.argmax())] for row in p]
    assert decided == ["CONSULT", "ACCUSE", NONE]


def _meeting(make_doc):
    words = ["Blinken", "and", "Austin", "met", "Chung", "and", "Suh", "."]
    heads = [3, 0, 0, 3, 3, 4, 4, 3]
    deps = ["nsubj", "cc", "conj", "ROOT", "dobj", "cc", "conj", "punct"]
    pos = ["PROPN", "CCONJ", "PROPN", "VERB", "PROPN", "CCONJ", "PROPN", "PUNCT"]
    return annotate(make_doc(words, heads=heads, deps=deps, pos=pos))


def test_candidates_take_the_type_of_the_gold_event_between_their_actors(make_doc) -> None:
    doc = _meeting(make_doc)
    text = doc.text
    article = {"id": "t", "text": text}
    gold = {
        "events": [
            {
                "sentence": text.strip(),
                "source": "USA",
                "target": "KOR",
                "plover": "CONSULT",
                "mutual": True,
            }
        ]
    }
    actors = {a.id: a.to_dict() for a in doc._.rp_actors}
    labels = {
        (c.src.actor.name, c.tgt.actor.name): candidate_label(article, gold, c, actors)
        for c in pair_candidates(doc)
    }
    assert labels[("Blinken", "Chung")] == labels[("Suh", "Austin")] == "CONSULT"  # mutual
    assert labels[("Blinken", "Austin")] == NONE


def _gold_folder(folder, stories: list[tuple[str, str, list[tuple[str, str, str, str]]]]) -> str:
    """Write a news gold folder: (id, text, [(sentence, source, target, plover)])."""
    import json

    folder.mkdir()
    with (folder / "articles.jsonl").open("w") as a, (folder / "gold.jsonl").open("w") as g:
        for sid, text, events in stories:
            a.write(json.dumps({"id": sid, "date": "2021-03-18", "text": text}) + "\n")
            gold_events = [
                {"sentence": s, "source": src, "target": tgt, "plover": pl, "mutual": False}
                for s, src, tgt, pl in events
            ]
            g.write(json.dumps({"id": sid, "events": gold_events}) + "\n")
    return str(folder)


@pytest.mark.model
def test_extra_gold_folders_train_every_fold_and_are_never_scored(tmp_path) -> None:
    from click.testing import CliRunner

    from realpolitik.cli import cli
    from realpolitik.events.extractor import EventExtractor

    def story(n: int, a: str, b: str, codes: str) -> tuple[str, str, list[Any]]:
        s1, s2 = f"{a} attacked {b} on Monday.", f"{a} and {b} have a long border."
        src, tgt = codes.split()
        return (f"s{n}", f"{s1} {s2}", [(s1, src, tgt, "ASSAULT")])

    gold = _gold_folder(
        tmp_path / "gold",
        [
            story(1, "Russia", "Ukraine", "RUS UKR"),
            story(2, "China", "India", "CHN IND"),
            story(3, "Iran", "Iraq", "IRN IRQ"),
        ],
    )
    extra = _gold_folder(
        tmp_path / "extra",
        [
            (
                "x1",
                "Japan denounced Korea in Tokyo.",
                [("Japan denounced Korea in Tokyo.", "JPN", "KOR", "ACCUSE")],
            ),
            (
                "x2",
                "Peru denounced Chile in Lima.",
                [("Peru denounced Chile in Lima.", "PER", "CHL", "ACCUSE")],
            ),
        ],
    )
    report = tmp_path / "report.json"
    out = tmp_path / "model"
    args = ["train-events", gold, "--folds", "3", "--min-count", "1", "--out", str(out)]
    result = CliRunner().invoke(cli, [*args, "--extra", extra, "--report", str(report)])
    assert result.exit_code == 0, result.output
    import json

    figures = json.loads(report.read_text())
    assert figures["articles"] == 3 and figures["extra_articles"] == 2
    assert figures["extra"] == [extra]
    model = EventExtractor.load(out)
    assert "ACCUSE" in model.labels  # learnt from the extra folder only
    assert "w=denounce" in model.vocabulary
