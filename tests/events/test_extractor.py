"""The learned event extractor on hand-built parses: candidates, one event per act, statements."""

from __future__ import annotations

import numpy as np
import pytest
from spacy.tokens import Doc

from helpers import annotate, meeting, toy_model
from realpolitik.errors import ModelError
from realpolitik.events import extractor
from realpolitik.events.extractor import (
    GATE_DROP,
    NONE,
    EventExtractor,
    Gate,
    extract_events,
    pair_candidates,
    pair_features,
    with_rule_events,
)
from realpolitik.records import Event, Participant


def test_every_ordered_pair_of_actors_is_a_candidate(make_doc) -> None:
    doc = meeting(make_doc)
    cands = pair_candidates(doc)
    assert len([c for c in cands if c.src is not c.tgt]) == 4 * 3
    assert sorted(c.src.actor.name for c in cands if c.src is c.tgt) == sorted(
        ["Blinken", "Austin", "Chung", "Suh"]
    )  # and each actor with itself
    assert {(c.src.actor.name, c.tgt.actor.name) for c in cands} >= {
        ("Blinken", "Chung"),
        ("Chung", "Blinken"),
        ("Austin", "Suh"),
        ("Blinken", "Austin"),
    }


def _jailed(make_doc) -> Doc:
    # "China jailed him ." : the other side is no actor, so the act is China's own
    return annotate(
        make_doc(
            ["China", "jailed", "him", "."],
            heads=[1, 1, 1, 1],
            deps=["nsubj", "ROOT", "dobj", "punct"],
            pos=["PROPN", "VERB", "PRON", "PUNCT"],
            lemmas=["China", "jail", "he", "."],
        )
    )


def test_a_sentence_with_one_actor_pairs_it_with_itself(make_doc) -> None:
    doc = _jailed(make_doc)
    (c,) = pair_candidates(doc)
    assert c.src is c.tgt and c.src.actor.name == "China"
    f = set(pair_features(doc, c))
    assert {"self", "top=jail", "arcs=nsubj>self", "selfobj=dobj:PRON", "selfobjw=he"} <= f
    assert not any(x.startswith(("path=", "order=")) for x in f)  # no second mention


def test_an_act_within_one_country_is_coded_with_that_country_on_both_sides(make_doc) -> None:
    doc = _jailed(make_doc)
    model = toy_model({"selfobj=dobj:PRON": {"COERCE": 3.0}}, (NONE, "COERCE"))
    (e,) = extract_events(doc, model)
    assert (e.source.country, e.target.country, e.plover) == ("CHN", "CHN", "COERCE")
    assert e.trigger is not None and e.trigger.text == "jailed"
    extractor.SELF_PAIRS = False
    try:
        assert pair_candidates(doc) == []
    finally:
        extractor.SELF_PAIRS = True


def _two_sentences(make_doc, second: list[str], pos2: list[str], lemmas2: list[str]) -> Doc:
    # "Blinken met Japan . <second>" : the second sentence parsed subject-verb-object
    words = ["Blinken", "met", "Japan", ".", *second]
    n = len(second)
    heads = [1, 1, 1, 1, 5, 5, 5, 5][: 4 + n]
    deps = ["nsubj", "ROOT", "dobj", "punct", "nsubj", "ROOT", "dobj", "punct"][: 4 + n]
    pos = ["PROPN", "VERB", "PROPN", "PUNCT", *pos2]
    starts = [True, False, False, False, True, False, False, False][: 4 + n]
    lemmas = ["Blinken", "meet", "Japan", ".", *lemmas2]
    return annotate(
        make_doc(words, heads=heads, deps=deps, pos=pos, lemmas=lemmas, sent_starts=starts)
    )


def test_a_pronoun_brings_in_the_person_named_before_it(make_doc) -> None:
    doc = _two_sentences(
        make_doc,
        ["He", "accused", "China", "."],
        ["PRON", "VERB", "PROPN", "PUNCT"],
        ["he", "accuse", "China", "."],
    )
    second = [c for c in pair_candidates(doc) if c.sent.start == 4]
    (c,) = [c for c in second if c.src.actor.name == "Blinken" and c.tgt is not c.src]
    assert c.tgt.actor.name == "China" and c.src.via == "pronoun:he"
    assert c.src.mentions[0].text == "He" and c.src.mentions[0].source == "pronoun"
    f = set(pair_features(doc, c))
    assert {"svia=pronoun:he", "sdep=nsubj", "top=accuse", "arcs=nsubj>dobj"} <= f
    model = toy_model({"svia=pronoun:he": {"ACCUSE": 3.0}, "self": {NONE: 10.0}}, (NONE, "ACCUSE"))
    (e,) = extract_events(doc, model)
    assert (e.source.country, e.target.country, e.source.text) == ("USA", "CHN", "He")


def _described_doc(make_doc, noun: str, tag: str = "NN", det: str = "The") -> Doc:
    # "Blinken met Japan . The <noun> accused China ."
    words = ["Blinken", "met", "Japan", ".", det, noun, "accused", "China", "."]
    heads = [1, 1, 1, 1, 5, 6, 6, 6, 6]
    deps = ["nsubj", "ROOT", "dobj", "punct", "det", "nsubj", "ROOT", "dobj", "punct"]
    pos = ["PROPN", "VERB", "PROPN", "PUNCT", "DET", "NOUN", "VERB", "PROPN", "PUNCT"]
    tags = ["NNP", "VBD", "NNP", ".", "DT", tag, "VBD", "NNP", "."]
    lemmas = ["Blinken", "meet", "Japan", ".", det.lower(), noun.lower(), "accuse", "China", "."]
    starts = [True, False, False, False, True, False, False, False, False]
    return annotate(
        make_doc(
            words, heads=heads, deps=deps, pos=pos, tags=tags, lemmas=lemmas, sent_starts=starts
        )
    )


def test_the_nation_points_to_the_last_state_named_before_it(make_doc) -> None:
    doc = _described_doc(make_doc, "nation")
    second = [c for c in pair_candidates(doc) if c.sent.start == 4]
    (c,) = [c for c in second if c.src.via and c.tgt.actor.name == "China"]
    assert c.src.actor.name == "Japan" and c.src.via == "definite:nation"
    assert c.src.mentions[0].text == "nation"
    assert "svia=definite:nation" in set(pair_features(doc, c))
    # a plural, an indefinite noun or a noun that is no state's word: no candidate
    for noun, tag, det in [("nations", "NNS", "The"), ("nation", "NN", "A"), ("farm", "NN", "The")]:
        doc = _described_doc(make_doc, noun, tag, det)
        assert not any(c.src.via or c.tgt.via for c in pair_candidates(doc)), noun


def test_the_group_points_to_a_body_not_to_a_state(make_doc) -> None:
    doc = _described_doc(make_doc, "group")
    # no body is named before: Japan is a state, Blinken a person
    assert not any(c.src.via or c.tgt.via for c in pair_candidates(doc))


def test_they_points_to_the_last_state_not_to_a_person(make_doc) -> None:
    doc = _two_sentences(
        make_doc,
        ["They", "accused", "China", "."],
        ["PRON", "VERB", "PROPN", "PUNCT"],
        ["they", "accuse", "China", "."],
    )
    second = [c for c in pair_candidates(doc) if c.sent.start == 4]
    assert {c.src.actor.name for c in second if c.src.via} == {"Japan"}
    # a pronoun whose referent is already named in the sentence adds nothing
    doc = _two_sentences(
        make_doc,
        ["He", "praised", "Blinken", "."],
        ["PRON", "VERB", "PROPN", "PUNCT"],
        ["he", "praise", "Blinken", "."],
    )
    assert not any(c.src.via or c.tgt.via for c in pair_candidates(doc))


def test_features_see_the_roles_the_path_and_the_lexicon(make_doc) -> None:
    doc = meeting(make_doc)
    c = next(
        c
        for c in pair_candidates(doc)
        if (c.src.actor.name, c.tgt.actor.name) == ("Blinken", "Chung")
    )
    f = set(pair_features(doc, c))
    assert {"sdep=nsubj", "tdep=dobj", "top=meet", "order=st", "toplex=CONSULT"} <= f
    assert "arcs=nsubj>dobj" in f
    assert "b=SRC_and" in f  # the sentence with the two actors masked


def test_one_event_per_act_keeps_every_supporting_mention(make_doc) -> None:
    doc = meeting(make_doc)
    model = toy_model(
        {"toplex=CONSULT": {"CONSULT": 3.0}, "same_country": {NONE: 10.0}},
        (NONE, "CONSULT"),
    )
    events = extract_events(doc, model)
    pairs = sorted((e.source.country, e.target.country) for e in events)
    assert pairs == [("KOR", "USA"), ("USA", "KOR")]  # two ministers a side: one per direction
    usa_kor = next(e for e in events if e.source.country == "USA")
    assert {m.text for m in usa_kor.mentions} == {"Blinken", "Austin", "Chung", "Suh"}
    assert usa_kor.coder.startswith("realpolitik.events.extractor/")
    assert usa_kor.rule.startswith("model:CONSULT@") and usa_kor.cameo == "040"
    assert usa_kor.trigger is not None and usa_kor.trigger.text == "met"


def test_below_the_threshold_there_is_no_event(make_doc) -> None:
    doc = meeting(make_doc)
    model = toy_model({"toplex=CONSULT": {"CONSULT": 0.5}}, (NONE, "CONSULT"))
    assert extract_events(doc, model) == []


def test_a_speaker_named_in_an_earlier_sentence_is_the_source_of_a_statement(make_doc) -> None:
    # 'Blinken spoke . "China attacked Japan ." ' with the quotation attributed to Blinken
    words = ["Blinken", "spoke", ".", "“", "Russia", "attacked", "Japan", ".", "”"]
    heads = [1, 1, 1, 5, 5, 5, 5, 5, 5]
    deps = ["nsubj", "ROOT", "punct", "punct", "nsubj", "ROOT", "dobj", "punct", "punct"]
    pos = ["PROPN", "VERB", "PUNCT", "PUNCT", "PROPN", "VERB", "PROPN", "PUNCT", "PUNCT"]
    starts = [True, False, False, True, False, False, False, False, False]
    doc = make_doc(
        words,
        heads=heads,
        deps=deps,
        pos=pos,
        sent_starts=starts,
        lemmas=["Blinken", "speak", ".", "“", "Russia", "attack", "Japan", ".", "”"],
    )
    q0 = doc[4].idx
    doc = annotate(doc, quotes=[(q0, doc[7].idx + 1, "Blinken")])
    cands = pair_candidates(doc)
    carried = [c for c in cands if c.src.carried]
    assert {(c.src.actor.name, c.tgt.actor.name) for c in carried} == {
        ("Blinken", "Russia"),
        ("Blinken", "Japan"),
    }
    assert not any(c.tgt.carried for c in cands)
    model = toy_model(
        {"src_speaker": {"ACCUSE": 3.0}, "scarried": {"ACCUSE": 1.0}, "tkind=state": {}},
        (NONE, "ACCUSE"),
    )
    events = extract_events(doc, model)
    assert {(e.source.country, e.target.country, e.plover) for e in events} == {
        ("USA", "RUS", "ACCUSE"),
        ("USA", "JPN", "ACCUSE"),
    }


def test_a_broken_model_folder_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(ModelError, match="no event extractor here"):
        EventExtractor.load(tmp_path)
    (tmp_path / "model.json").write_text('{"format": "other"}', encoding="utf-8")
    np.savez(tmp_path / "weights.npz", weights=np.zeros((0, 1)), bias=np.zeros(1))
    with pytest.raises(ModelError, match="not a realpolitik event extractor"):
        EventExtractor.load(tmp_path)


def test_save_and_load_give_the_same_probabilities(tmp_path, make_doc) -> None:
    doc = meeting(make_doc)
    model = toy_model(
        {"toplex=CONSULT": {"CONSULT": 2.0}, "sdep=nsubj": {NONE: 0.3}}, (NONE, "CONSULT")
    )
    back = EventExtractor.load(model.save(tmp_path / "m"))
    feats = [pair_features(doc, c) for c in pair_candidates(doc)]
    assert np.allclose(model.probabilities(feats), back.probabilities(feats))


def _gated(gate_weights: dict[str, float], bias: float = 0.0) -> EventExtractor:
    labels = (NONE, "CONSULT", "ACCUSE")
    model = toy_model({"toplex=CONSULT": {"CONSULT": 2.0}, "w=meet": {"ACCUSE": 0.5}}, labels)
    vocab = sorted(gate_weights)
    model.gate = Gate(vocab, np.array([gate_weights[f] for f in vocab]), bias, GATE_DROP)
    return model


def test_the_gate_decides_none_and_the_typer_shares_the_rest(make_doc) -> None:
    doc = meeting(make_doc)
    feats = [pair_features(doc, c) for c in pair_candidates(doc)]
    model = _gated({"sdep=nsubj": 3.0, "sdep=dobj": -3.0})
    probs = model.probabilities(feats)
    none = model.labels.index(NONE)
    assert np.allclose(probs.sum(axis=1), 1.0)
    for f, row in zip(feats, probs, strict=True):
        expected = model.gate.probability(f)
        assert row[none] == pytest.approx(1.0 - expected, abs=1e-6)
        # where "met" is the top of the path, the typer prefers CONSULT whatever the gate says
        if "toplex=CONSULT" in f:
            assert row[model.labels.index("CONSULT")] > row[model.labels.index("ACCUSE")]
    # subject-to-object pairs pass the gate; the reverse ones do not
    by_dir = {
        (c.src.actor.name, c.tgt.actor.name): model.decide(p)
        for c, p in zip(pair_candidates(doc), probs, strict=True)
    }
    assert by_dir[("Blinken", "Chung")] is not None
    assert by_dir[("Chung", "Blinken")] is None


def test_a_gated_model_survives_save_and_load(tmp_path, make_doc) -> None:
    doc = meeting(make_doc)
    feats = [pair_features(doc, c) for c in pair_candidates(doc)]
    model = _gated({"sdep=nsubj": 1.5, "order=st": 0.7}, bias=-0.4)
    back = EventExtractor.load(model.save(tmp_path / "g"))
    assert back.gate is not None and back.gate.drop_prefixes == GATE_DROP
    assert np.allclose(model.probabilities(feats), back.probabilities(feats))


def _two_attackers(make_doc) -> Doc:
    # "China and Russia attacked Japan ."
    return annotate(
        make_doc(
            ["China", "and", "Russia", "attacked", "Japan", "."],
            heads=[3, 0, 0, 3, 3, 3],
            deps=["nsubj", "cc", "conj", "ROOT", "dobj", "punct"],
            pos=["PROPN", "CCONJ", "PROPN", "VERB", "PROPN", "PUNCT"],
            lemmas=["China", "and", "Russia", "attack", "Japan", "."],
        )
    )


@pytest.mark.parametrize(("conj_weight", "sources"), [(0.0, {"CHN", "RUS"}), (-2.0, {"CHN"})])
def test_a_pair_far_less_probable_than_the_best_of_its_type_is_dropped(
    make_doc, conj_weight: float, sources: set[str]
) -> None:
    doc = _two_attackers(make_doc)
    model = toy_model(
        {
            "arcs=nsubj>dobj": {"ASSAULT": 4.0},
            "sdep=conj": {"ASSAULT": conj_weight},
            "self": {NONE: 10.0},
            "tdep=nsubj": {NONE: 10.0},
            "tdep=conj": {NONE: 10.0},
        },
        (NONE, "ASSAULT"),
    )
    events = extract_events(doc, model)
    assert {e.target.country for e in events} == {"JPN"}
    assert {e.source.country for e in events} == sources


def _event(n: int, plover: str, confidence: float, coder: str, tgt: str = "CHN") -> Event:
    return Event(
        id=f"t:e{n}",
        source=Participant(None, "USA", "USA", "the U.S."),
        target=Participant(None, tgt, tgt, tgt),
        cameo="111" if plover == "ACCUSE" else "040",
        root="11" if plover == "ACCUSE" else "04",
        plover=plover,
        goldstein=-2.0,
        quad_class=3,
        text="Following his criticism of China and North Korea, he met the press.",
        start=0,
        end=66,
        coder=coder,
        rule="test",
        confidence=confidence,
    )


def test_a_more_confident_rule_event_of_another_type_replaces_the_models() -> None:
    model = "realpolitik.events.extractor/9"
    rules = [_event(1, "ACCUSE", 0.6, "rules"), _event(2, "ACCUSE", 0.6, "rules", tgt="PRK")]
    merged = with_rule_events([_event(3, "CONSULT", 0.45, model)], rules)
    assert {(e.target.country, e.plover) for e in merged if e.target} == {
        ("CHN", "ACCUSE"),
        ("PRK", "ACCUSE"),
    }
    # a model event more confident than the rule keeps its pair, and the rule is not added
    merged = with_rule_events([_event(3, "CONSULT", 0.9, model)], rules[:1])
    assert [(e.plover, e.coder) for e in merged] == [("CONSULT", model)]
    assert [e.id for e in with_rule_events([], rules)] == ["t:e1", "t:e2"]
