"""The contextual encoder the extractor's gate reads: token alignment, the pair view, the gate's
dense weights, saving and loading, and clear errors. Runs the real packaged ONNX encoder."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import meeting, toy_model
from realpolitik.errors import ModelError
from realpolitik.events.encoder import Encoder, load_encoder
from realpolitik.events.extractor import (
    DENSE_VIEWS,
    GATE_DROP,
    NONE,
    EventExtractor,
    FeatureCache,
    Gate,
    attach_encoder,
    extract_events,
    pair_candidates,
    pair_dense,
    pair_features,
)


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return load_encoder()


def _two_sentences(make_doc):
    words = ["China", "attacked", "Japan", ".", "Blinken", "praised", "China", "."]
    starts = [True, False, False, False, True, False, False, False]
    return make_doc(words, sent_starts=starts)


def test_every_token_of_an_encoded_sentence_gets_its_pieces_mean(encoder, make_doc) -> None:
    doc = _two_sentences(make_doc)
    sents = list(doc.sents)
    vectors = encoder.token_vectors(doc, [sents[1]])
    assert vectors.shape == (len(doc), encoder.dim) == (8, 384)
    assert not vectors[: sents[1].start].any()  # the sentence not asked for stays zero
    assert all(np.abs(vectors[i]).sum() > 0 for i in range(sents[1].start, len(doc)))
    # "Blinken" is several word pieces: its row is their mean, as the encoder computes them
    enc = encoder.tokenizer.encode(sents[1].text)
    hidden = encoder._run([enc.ids])[0]
    pieces = [j for j, (a, b) in enumerate(enc.offsets) if b > a and a < len("Blinken")]
    assert len(pieces) > 1
    assert np.allclose(vectors[4], hidden[pieces].mean(axis=0), atol=1e-5)


def test_the_same_word_reads_differently_in_another_sentence(encoder, make_doc) -> None:
    doc = _two_sentences(make_doc)
    vectors = encoder.token_vectors(doc)
    first, second = vectors[0], vectors[6]  # "China" as attacker, "China" as praised
    cos = first @ second / (np.linalg.norm(first) * np.linalg.norm(second))
    assert 0.3 < cos < 0.999
    assert np.array_equal(vectors, encoder.token_vectors(doc))  # deterministic


def test_the_pair_view_is_source_target_predicate_and_sentence(make_doc) -> None:
    doc = meeting(make_doc)  # "Blinken and Austin met Chung and Suh ."
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(len(doc), 5)).astype(np.float32)
    cache = FeatureCache(doc)
    c = next(
        c
        for c in pair_candidates(doc)
        if (c.src.actor.name, c.tgt.actor.name) == ("Blinken", "Chung")
    )
    v = pair_dense(vectors, c, cache)
    assert v.shape == (5 * len(DENSE_VIEWS),)
    assert np.linalg.norm(v) == pytest.approx(1.0, abs=1e-6)
    raw = np.concatenate([vectors[0], vectors[4], vectors[3], vectors.mean(axis=0)])
    assert np.allclose(v, raw / np.linalg.norm(raw), atol=1e-6)


def _dense_gated(dim: int, sign: float, encoder_name: str = "") -> EventExtractor:
    labels = (NONE, "CONSULT")
    model = toy_model({"toplex=CONSULT": {"CONSULT": 2.0}}, labels)
    w = np.full(dim * len(DENSE_VIEWS), sign * 40.0 / np.sqrt(dim * len(DENSE_VIEWS)))
    model.gate = Gate(["sdep=nsubj"], np.array([0.0]), 0.0, GATE_DROP, w, encoder_name)
    return model


def test_the_gate_adds_the_dense_score_and_asks_for_it(make_doc) -> None:
    model = _dense_gated(2, 1.0)
    assert model.needs_encoder
    dense = np.array([0.5, 0.5, 0.5, 0.5, 0.0, 0.0, 0.0, 0.0], dtype=np.float32)
    z = float(dense @ model.gate.dense)
    assert model.gate.probability(["sdep=nsubj"], dense) == pytest.approx(1 / (1 + np.exp(-z)))
    with pytest.raises(ModelError, match="encoder's view"):
        model.gate.probability(["sdep=nsubj"])


def test_a_dense_gate_survives_save_and_load(tmp_path, make_doc) -> None:
    doc = meeting(make_doc)
    cands = pair_candidates(doc)
    feats = [pair_features(doc, c) for c in cands]
    dense = np.random.default_rng(1).normal(size=(len(cands), 12)).astype(np.float32)
    model = _dense_gated(3, 1.0, "toy")
    back = EventExtractor.load(model.save(tmp_path / "m"))
    assert back.needs_encoder and back.gate is not None and back.gate.encoder == "toy"
    assert np.allclose(model.probabilities(feats, dense), back.probabilities(feats, dense))


def test_an_encoder_of_another_size_is_refused(encoder) -> None:
    model = _dense_gated(10, 1.0, encoder.name)
    with pytest.raises(ModelError, match="10 dimensions"):
        attach_encoder(model)


def test_the_encoder_view_changes_the_decision(encoder, make_doc) -> None:
    doc = meeting(make_doc)
    rule_free: list = []
    for sign, expect in ((1.0, True), (-1.0, False)):
        model = _dense_gated(encoder.dim, sign, encoder.name)
        with pytest.raises(ModelError, match="none is loaded"):
            extract_events(doc, model, rule_events=rule_free)
        attach_encoder(model)
        found = extract_events(doc, model, rule_events=rule_free)
        assert bool(found) is expect
        assert all(e.plover == "CONSULT" for e in found)


def test_an_encoder_folder_without_its_files_is_a_clear_error(tmp_path) -> None:
    (tmp_path / "model.onnx").write_bytes(b"not a model")
    with pytest.raises(ModelError, match=r"tokenizer\.json is missing"):
        Encoder(tmp_path)
    (tmp_path / "tokenizer.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ModelError, match="cannot be loaded"):
        Encoder(tmp_path)


def test_the_first_layers_are_a_cheaper_encoder_of_the_same_size(make_doc) -> None:
    doc = _two_sentences(make_doc)
    full = Encoder(layers=None)
    cut = load_encoder()  # the default: the first layers only
    assert cut.layers is not None and cut.name.endswith(f":{cut.layers}")
    a, b = full.token_vectors(doc), cut.token_vectors(doc)
    assert a.shape == b.shape
    assert not np.allclose(a, b)  # another depth reads differently...
    assert np.array_equal(b, Encoder(layers=cut.layers).token_vectors(doc))  # ...and stably


def test_a_graph_that_is_not_a_bert_encoder_cannot_be_cut(tmp_path) -> None:
    import onnx
    from onnx import TensorProto, helper

    x = helper.make_tensor_value_info("input_ids", TensorProto.FLOAT, [1, 3])
    y = helper.make_tensor_value_info("out", TensorProto.FLOAT, [1, 3])
    graph = helper.make_graph([helper.make_node("Identity", ["input_ids"], ["out"])], "g", [x], [y])
    onnx.save(helper.make_model(graph), tmp_path / "model.onnx")
    (tmp_path / "tokenizer.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ModelError, match="cannot take the first 2 layers"):
        Encoder(tmp_path, layers=2)


def test_a_model_trained_with_another_encoder_asks_for_it(encoder) -> None:
    model = _dense_gated(encoder.dim, 1.0, "my-encoder")
    with pytest.raises(ModelError, match="REALPOLITIK_ENCODER"):
        attach_encoder(model)
