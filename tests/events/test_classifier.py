"""The learned event-type classifier: training, files, gold-file reading, the shipped model."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from spacy.tokens import Doc

from realpolitik.errors import InputError, ModelError
from realpolitik.events import classifier as clf_module
from realpolitik.events.classifier import (
    EventTypeClassifier,
    Example,
    load_default,
    locate,
    read_examples,
    train_from_file,
)
from realpolitik.events.ontology import PLV_LABELS

DocBuilder = Callable[..., Doc]

# A few predicate templates per label, with fictional states as actors.
TEMPLATES: dict[str, list[str]] = {
    "ACCUSE": [
        "{a} accused {b} of spying on its embassy.",
        "{a} condemned {b} for the raid on the port.",
        "{a} blamed {b} for the blast at the depot.",
        "{a} criticised {b} over the disputed vote.",
    ],
    "AGREE": [
        "{a} signed a peace treaty with {b} on Friday.",
        "{a} agreed to a truce with {b} after long delays.",
        "{a} reached a trade deal with {b} this week.",
        "{a} signed an accord with {b} on fishing rights.",
    ],
    "ASSAULT": [
        "{a} bombed {b} overnight, killing dozens.",
        "{a} shelled {b} near the northern border.",
        "{a} attacked {b} with armed drones.",
        "{a} fired rockets at {b} from the hills.",
    ],
    "CONSULT": [
        "{a} met {b} in Geneva to discuss the crisis.",
        "{a} held talks with {b} about the pipeline.",
        "{a} visited {b} on Monday for a summit.",
        "{a} hosted {b} for consultations on security.",
    ],
    "AID": [
        "{a} sent food aid to {b} after the floods.",
        "{a} gave humanitarian assistance to {b} this winter.",
        "{a} donated vaccines to {b} during the outbreak.",
        "{a} provided relief supplies to {b} after the quake.",
    ],
}
TRAIN_PAIRS = [("Ruritania", "Freedonia"), ("Sylvania", "Latveria"), ("Borduria", "Syldavia")]


def synthetic(pairs: list[tuple[str, str]]) -> list[Example]:
    return [
        Example(template.format(a=a, b=b), a, b, label)
        for label, templates in TEMPLATES.items()
        for template in templates
        for a, b in pairs
    ]


@pytest.fixture(scope="module")
def text_model() -> EventTypeClassifier:
    return EventTypeClassifier(use_parse=False).fit(synthetic(TRAIN_PAIRS))


def test_learns_a_small_synthetic_set_and_generalises_over_actors(
    text_model: EventTypeClassifier,
) -> None:
    # actors never seen in training: the masked sentence is what the model learnt
    unseen = synthetic([("Genovia", "Elbonia")])
    predicted = [text_model.predict(e.sentence, e.source, e.target) for e in unseen]
    assert predicted == [e.label for e in unseen]
    # new wording around a known predicate
    assert (
        text_model.predict("Elbonia accused Genovia of hoarding grain.", "Elbonia", "Genovia")
        == "ACCUSE"
    )
    assert text_model.predict("Elbonia shelled Genovia at dawn.", "Elbonia", "Genovia") == "ASSAULT"


def test_probabilities_cover_the_trained_labels_and_sum_to_one(
    text_model: EventTypeClassifier,
) -> None:
    probs = text_model.predict_proba("Elbonia met Genovia in Geneva.", "Elbonia", "Genovia")
    assert set(probs) == set(TEMPLATES)
    assert sum(probs.values()) == pytest.approx(1.0)
    assert all(0.0 <= p <= 1.0 for p in probs.values())
    assert max(probs, key=lambda k: probs[k]) == "CONSULT"
    assert text_model.temperature > 0


def test_save_and_load_give_identical_probabilities(
    text_model: EventTypeClassifier, tmp_path: Path
) -> None:
    text_model.save(tmp_path / "m")
    loaded = EventTypeClassifier.load(tmp_path / "m")
    items = [(e.sentence, e.source, e.target) for e in synthetic([("Genovia", "Elbonia")])]
    items.append(("Nobody did anything to anyone.", "a source", "a recipient"))
    assert loaded.predict_proba_many(items) == text_model.predict_proba_many(items)
    assert loaded.labels == text_model.labels
    # the files hold JSON and plain arrays only
    spec = json.loads((tmp_path / "m" / "model.json").read_text(encoding="utf-8"))
    assert spec["labels"] == text_model.labels
    with np.load(tmp_path / "m" / "weights.npz", allow_pickle=False) as npz:
        assert npz["coef"].shape[0] == len(text_model.labels)


def test_hashed_block_matches_scikit_learn_tfidf() -> None:
    texts = ["SRCX accused TGTX of spying", "SRCX met TGTX", "TGTX was attacked by SRCX again"]
    expected = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit_transform(texts)
    block = clf_module._fit_block("words", "masked", {"ngram_range": (1, 2)}, texts)
    got = block.transform(texts)
    # hashing permutes the columns; the same features and weights give the same dot products
    assert got.shape[1] == expected.shape[1]
    np.testing.assert_allclose((got @ got.T).toarray(), (expected @ expected.T).toarray())
    np.testing.assert_allclose(np.sort(got.data), np.sort(expected.data))


def test_locate_skips_placeholders_and_overlaps() -> None:
    sentence = "Ruritania told Ruritania's neighbour to leave."
    src, tgt = locate(sentence, "Ruritania", "a recipient")
    assert src == (0, 9) and tgt is None
    # a target that would overlap the source takes its next occurrence
    src, tgt = locate(sentence, "Ruritania told", "Ruritania")
    assert src == (0, 14) and tgt == (15, 24)
    assert locate(sentence, "RURITANIA", "")[0] == (0, 9)


def test_bad_model_directory_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError):
        EventTypeClassifier.load(tmp_path)
    (tmp_path / "model.json").write_text('{"format": "something else"}', encoding="utf-8")
    np.savez(tmp_path / "weights.npz", coef=np.zeros((1, 1)))
    with pytest.raises(ModelError, match="not a version"):
        EventTypeClassifier.load(tmp_path)


# ----------------------------------------------------------------------------- parse features


def attack_doc(make_doc: DocBuilder, src: str, verb: str, tgt: str) -> Doc:
    """'<src> <verb>ed <tgt> today .' parsed by hand: subject, verb, object."""
    return make_doc(
        [src, f"{verb}ed", tgt, "today", "."],
        heads=[1, 1, 1, 1, 1],
        deps=["nsubj", "ROOT", "dobj", "npadvmod", "punct"],
        pos=["PROPN", "VERB", "PROPN", "NOUN", "PUNCT"],
        lemmas=[src.lower(), verb, tgt.lower(), "today", "."],
    )


def test_syntax_features_follow_the_dependency_path(make_doc: DocBuilder) -> None:
    doc = attack_doc(make_doc, "Ruritania", "attack", "Freedonia")
    syntax, lemmas = clf_module._syntax_and_lemmas(doc, (0, 9), (19, 28))
    feats = set(syntax.split())
    assert {"lca=attack", "path=nsubj^attack^dobj", "sdep=nsubj", "tdep=dobj"} <= feats
    assert lemmas.split() == ["SRCX", "attack", "TGTX", "today"]


def test_fit_with_hand_built_parses_needs_no_spacy_model(
    make_doc: DocBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_model(name: str) -> None:
        raise AssertionError("the spaCy model was loaded although every parse was given")

    monkeypatch.setattr(clf_module, "_spacy", no_model)
    verbs = {"ASSAULT": ["attack", "bomb", "shell"], "CONSULT": ["visit", "host", "call"]}
    pairs = [("Ruritania", "Freedonia"), ("Sylvania", "Latveria")]
    examples: list[Example] = []
    docs: list[Doc] = []
    for label, vs in verbs.items():
        for verb in vs:
            for a, b in pairs:
                doc = attack_doc(make_doc, a, verb, b)
                examples.append(Example(doc.text, a, b, label))
                docs.append(doc)
    model = EventTypeClassifier(use_parse=True).fit(examples, docs=docs)
    assert {b.name for b in model._blocks} >= {"syntax", "lemmas"}
    probe = attack_doc(make_doc, "Genovia", "bomb", "Elbonia")
    # a Span of a longer Doc works as well as a Doc
    assert model.predict(probe.text, "Genovia", "Elbonia", doc=probe[:]) == "ASSAULT"


# ----------------------------------------------------------------------------- gold files


def write_tsv(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("\n".join("\t".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_bad_training_rows_are_reported_skipped_and_counted(tmp_path: Path) -> None:
    header = ["sentence", "source", "target", "label"]
    good = [[e.sentence, e.source, e.target, e.label] for e in synthetic(TRAIN_PAIRS[:2])]
    bad = [
        ["", "Ruritania", "Freedonia", "ACCUSE"],  # empty sentence
        ["Ruritania hugged Freedonia.", "Ruritania", "Freedonia", "HUG"],  # unknown type
        ["Ruritania met Freedonia.", "Ruritania", "Freedonia", "CONSULT", "extra"],
        ["Ruritania met Freedonia.", "Ruritania"],  # too few fields
    ]
    path = write_tsv(tmp_path / "gold.tsv", [header, *good[:5], *bad, *good[5:]])
    report = train_from_file(path, tmp_path / "model")
    assert report.rows == len(good) + len(bad)
    assert report.used == len(good)
    assert report.skipped == len(bad) == len(report.problems)
    where = [(p.line, p.field) for p in report.problems]
    assert where == [(7, "sentence"), (8, "label"), (9, "(row)"), (10, "target")]
    assert all(p.path == str(path) for p in report.problems)
    assert "line 8 of" in str(report.problems[1]) and "HUG" in str(report.problems[1])
    loaded = EventTypeClassifier.load(tmp_path / "model")
    assert loaded.labels == sorted(TEMPLATES)


def test_jsonl_rows_and_label_folding(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {"sentence": e.sentence, "source": e.source, "target": e.target, "label": e.label}
        )
        for e in synthetic(TRAIN_PAIRS[:1])
    ]
    lines[0] = json.dumps(
        {
            "sentence": "Ruritania freed Freedonia's sailors.",
            "source": "Ruritania",
            "target": "Freedonia",
            "label": "retreat",
        }
    )
    lines.insert(1, "{not json")
    lines.insert(2, json.dumps({"sentence": "x", "source": "y", "label": "AID"}))
    lines.insert(3, json.dumps(["a", "list"]))
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    read = read_examples(path)
    assert read.examples[0].label == "YIELD"  # RETREAT folds onto PLV's YIELD
    assert [(p.line, p.field) for p in read.problems] == [(2, "(row)"), (3, "target"), (4, "(row)")]


def test_missing_column_and_single_label_are_errors(tmp_path: Path) -> None:
    path = write_tsv(
        tmp_path / "gold.tsv",
        [["sentence", "source", "target", "gold"], ["a b c", "a", "c", "AID"]],
    )
    with pytest.raises(InputError, match="'label'"):
        train_from_file(path, tmp_path / "out")
    one = write_tsv(
        tmp_path / "one.tsv",
        [
            ["sentence", "source", "target", "label"],
            ["A sent aid to B.", "A", "B", "AID"],
            ["C sent aid to D.", "C", "D", "AID"],
        ],
    )
    with pytest.raises(InputError, match="1 label"):
        train_from_file(one, tmp_path / "out")
    assert not (tmp_path / "out").exists()


# ----------------------------------------------------------------------------- shipped model


def test_shipped_model_loads_with_the_plv_labels() -> None:
    model = load_default()
    assert set(model.labels) == set(PLV_LABELS)
    assert model.meta["examples"] > 0


@pytest.mark.model
def test_shipped_model_gives_a_distribution_over_the_15_labels() -> None:
    model = load_default()
    probs = model.predict_proba(
        "The rebels shelled the capital overnight, killing at least ten civilians.",
        "The rebels",
        "the capital",
    )
    assert set(probs) == set(PLV_LABELS) and len(probs) == 15
    assert sum(probs.values()) == pytest.approx(1.0)
    assert max(probs, key=lambda k: probs[k]) == "ASSAULT"
