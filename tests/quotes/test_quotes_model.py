"""The learned part of attribution: open candidates, their features, and the model file.

Hand-built Docs and hand-set weights test the mechanism; one marked test trains on a small
PolNeAR-format file with the installed spaCy pipeline.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import parsed_doc, span_text
from realpolitik.errors import ModelError
from realpolitik.quotes import attribution_candidates, find_quotes
from realpolitik.quotes.model import (
    FEATURES_VERSION,
    AttributionModel,
    load_attribution_model,
)
from realpolitik.settings import from_environ
from realpolitik.training.attribution import train_attribution_model

_CAST = (
    "Trump cast a vote for Cruz.",
    """
    Trump PROPN nsubj 1 - B-PERSON
    cast VERB ROOT 1 cast
    a DET det 3
    vote NOUN dobj 1
    for ADP prep 3
    Cruz PROPN pobj 4 - B-PERSON
    . PUNCT punct 1
    """,
)

_PLEDGE = (
    "Obama's pledge to remove troops angered them.",
    """
    Obama PROPN poss 2 - B-PERSON
    's PART case 0
    pledge NOUN nsubj 6
    to PART aux 4
    remove VERB acl 2 remove
    troops NOUN dobj 4 troop
    angered VERB ROOT 6 anger
    them PRON dobj 6 they
    . PUNCT punct 6
    """,
)

_NESTED = (
    "Kim said that Trump cast a vote for Cruz.",
    """
    Kim PROPN nsubj 1 - B-PERSON
    said VERB ROOT 1 say
    that SCONJ mark 4
    Trump PROPN nsubj 4 - B-PERSON
    cast VERB ccomp 1 cast
    a DET det 6
    vote NOUN dobj 4
    for ADP prep 6
    Cruz PROPN pobj 7 - B-PERSON
    . PUNCT punct 1
    """,
)


def _model(
    weights: dict[str, float], bias: float = -2.0, threshold: float = 0.5
) -> AttributionModel:
    return AttributionModel(weights, bias, threshold)


def test_rules_alone_find_nothing_in_an_attitude_outside_the_lexicon() -> None:
    doc = parsed_doc(*_CAST)
    assert find_quotes(doc, model=None) == []


def test_a_scored_open_candidate_becomes_an_attitude_with_its_score() -> None:
    doc = parsed_doc(*_CAST)
    (q,) = find_quotes(doc, model=_model({"lemma=cast": 5.0}))
    assert span_text(doc, q.content) == "a vote for Cruz"
    assert span_text(doc, q.speaker) == "Trump"
    assert span_text(doc, q.cue) == "cast"
    assert (q.kind, q.act) == ("indirect", "attitude")
    assert q.score is not None and 0.9 < q.score < 1.0


def test_the_threshold_decides() -> None:
    doc = parsed_doc(*_CAST)
    assert find_quotes(doc, model=_model({"lemma=cast": 5.0}, threshold=0.99)) == []
    assert find_quotes(doc, model=_model({"lemma=cast": 1.0}, bias=-2.0)) == []


def test_a_stance_noun_with_its_holder_and_infinitive() -> None:
    doc = parsed_doc(*_PLEDGE)
    rules, cands, _ = attribution_candidates(doc)
    assert rules == []
    by_cue = {span_text(doc, c.cue): c for c in cands}
    assert span_text(doc, by_cue["pledge"].content) == "to remove troops"
    (q,) = find_quotes(doc, model=_model({"lemma=pledge": 4.0, "pos=NOUN": 1.0}))
    assert span_text(doc, q.speaker) == "Obama"
    assert span_text(doc, q.content) == "to remove troops"


def test_features_describe_cue_complement_and_holder() -> None:
    doc = parsed_doc(*_CAST)
    _, cands, _ = attribution_candidates(doc)
    by_cue = {span_text(doc, c.cue): c for c in cands}
    # the verb with its object, and the noun "vote" held by the verb's subject
    assert {k: span_text(doc, c.content) for k, c in by_cue.items()} == {
        "cast": "a vote for Cruz",
        "vote for": "Cruz",
    }
    feats = set(by_cue["cast"].features)
    assert {"lemma=cast", "root_dep=dobj", "lemma|root_lemma=cast|vote"} <= feats
    assert {"speaker_ent=PERSON", "lexicon=-|VERB", "is_root=True", "len=4-7"} <= feats


def test_open_candidates_never_overlap_what_the_rules_found() -> None:
    doc = parsed_doc(*_NESTED)
    rules, cands, _ = attribution_candidates(doc)
    assert [span_text(doc, q.content) for q in rules] == ["Trump cast a vote for Cruz"]
    assert cands == []
    quotes = find_quotes(doc, model=_model({"lemma=cast": 9.0}))
    assert [span_text(doc, q.content) for q in quotes] == ["Trump cast a vote for Cruz"]


def test_overlapping_candidates_keep_the_best_scored() -> None:
    text = "Trump cast a vote for Cruz and praised him."
    doc = parsed_doc(
        text,
        """
        Trump PROPN nsubj 1 - B-PERSON
        cast VERB ROOT 1 cast
        a DET det 3
        vote NOUN dobj 1
        for ADP prep 3
        Cruz PROPN pobj 4 - B-PERSON
        and CCONJ cc 1
        praised VERB conj 1 praise
        him PRON dobj 7 he
        . PUNCT punct 1
        """,
    )
    quotes = find_quotes(doc, model=_model({"lemma=cast": 5.0, "lemma=praise": 5.0}))
    contents = [span_text(doc, q.content) for q in quotes]
    # "cast" and "vote for" both propose; one quote per stretch of text survives
    assert len(contents) == len(set(contents))
    for a in quotes:
        for b in quotes:
            assert a is b or a.content[1] <= b.content[0] or b.content[1] <= a.content[0]


def test_model_file_round_trip(tmp_path: Path) -> None:
    m = _model({"lemma=cast": 1.25, "pos=NOUN": -0.5}, bias=-1.0, threshold=0.45)
    path = m.save(tmp_path / "m.json")
    back = AttributionModel.from_file(path)
    assert back.weights == m.weights and (back.bias, back.threshold) == (-1.0, 0.45)
    assert back.score(["lemma=cast", "lemma=cast"]) == pytest.approx(m.score(["lemma=cast"]))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not a readable attribution model"),
        ('{"kind": "other"}', "field 'kind' is missing or wrong"),
        (
            json.dumps({"kind": "realpolitik-attribution-model", "features_version": -1}),
            "trained on features version -1",
        ),
        (
            json.dumps(
                {"kind": "realpolitik-attribution-model", "features_version": FEATURES_VERSION}
            ),
            "malformed attribution model",
        ),
    ],
)
def test_bad_model_files_say_what_and_how_to_fix(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ModelError, match=message) as info:
        AttributionModel.from_file(path)
    assert str(path) in str(info.value)
    assert "Hint:" in str(info.value)


def test_missing_model_file_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="REALPOLITIK_ATTRIBUTION_MODEL"):
        load_attribution_model(str(tmp_path / "absent.json"))


def test_none_turns_the_model_off(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_attribution_model("none") is None
    monkeypatch.setenv("REALPOLITIK_ATTRIBUTION_MODEL", "none")
    setting = from_environ().attribution  # read once at the edge, then handed down
    assert load_attribution_model(setting) is None
    assert find_quotes(parsed_doc(*_CAST), model=load_attribution_model(setting)) == []


def test_packaged_model_loads_and_matches_the_features() -> None:
    m = load_attribution_model("packaged")
    assert m is not None and m.features_version == FEATURES_VERSION
    assert 0.0 < m.threshold < 1.0 and len(m.weights) > 1000
    assert m.info.get("trained_on") == "train.jsonl"


@pytest.mark.model
def test_training_on_a_small_polnear_file(tmp_path: Path) -> None:
    from realpolitik.evaluate.quotes import load_parser

    texts = [
        "Smith cast a vote for the bill. Jones said the bill was weak.",
        "Brown cast a vote for the plan on Monday. Lee said the plan would fail.",
        "Green cast a vote for the budget. Park said the budget was late.",
        "White ate a sandwich at noon. Kim said the talks were useful.",
        "Black ate a pear in the park. Cho said the deal was fair.",
        "Gray ate an apple quickly. Moon said the visit went well.",
    ]
    lines = []
    for n, text in enumerate(texts):
        atts = []
        if "cast a vote for " in text:
            s = text.index("a vote for")
            e = text.index(".", s)
            atts.append({"source": [], "cue": [], "content": [{"start": s, "end": e}]})
        s = text.index("said ") + 5
        atts.append({"source": [], "cue": [], "content": [{"start": s, "end": len(text) - 1}]})
        lines.append(json.dumps({"doc_id": f"d{n}", "text": text, "attributions": atts}))
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(lines) + "\n")
    report = train_attribution_model(gold, load_parser(), out=tmp_path / "m.json", folds=3, c=10.0)
    assert report.docs == 6 and report.positives >= 2
    model = AttributionModel.from_file(tmp_path / "m.json")
    assert model.weights.get("lemma=cast", 0.0) > 0 > model.weights.get("lemma=eat", 0.0)
    assert report.with_model["overlap"]["f1"] >= report.rules_only["overlap"]["f1"]


def test_an_adjective_of_feeling_with_the_copula_subject_as_holder() -> None:
    text = "Republicans are fond of Trump."  # "be fond" is not in the lexicon
    doc = parsed_doc(
        text,
        """
        Republicans PROPN nsubj 1 - B-NORP
        are AUX ROOT 1 be
        fond ADJ acomp 1
        of ADP prep 2
        Trump PROPN pobj 3 - B-PERSON
        . PUNCT punct 1
        """,
    )
    _, cands, _ = attribution_candidates(doc)
    assert [(span_text(doc, c.cue), span_text(doc, c.content)) for c in cands] == [
        ("fond of", "Trump")
    ]
    (q,) = find_quotes(doc, model=_model({"lemma=fond": 5.0}))
    assert span_text(doc, q.speaker) == "Republicans"


def test_a_stance_noun_without_a_holder_is_still_a_candidate() -> None:
    text = "Attacks against her grew."
    doc = parsed_doc(
        text,
        """
        Attacks NOUN nsubj 3 attack
        against ADP prep 0
        her PRON pobj 1 she
        grew VERB ROOT 3 grow
        . PUNCT punct 3
        """,
    )
    _, (cand,), _ = attribution_candidates(doc)
    assert (span_text(doc, cand.cue), span_text(doc, cand.content)) == ("Attacks against", "her")
    assert "no_speaker" in cand.features


_ENDORSED = (
    "Smith endorsed Jones at a rally in Ohio.",
    """
    Smith PROPN nsubj 1 - B-PERSON
    endorsed VERB ROOT 1 endorse
    Jones PROPN dobj 1 - B-PERSON
    at ADP prep 1
    a DET det 5
    rally NOUN pobj 3
    in ADP prep 5
    Ohio PROPN pobj 6 - B-GPE
    . PUNCT punct 1
    """,
)


def _ends(weights: dict[str, float], threshold: float = 0.5) -> AttributionModel:
    """A model that adds no open candidate and judges content ends with ``weights``."""
    return AttributionModel({}, -9.0, 0.5, boundary=_model(weights, threshold=threshold))


def test_other_ends_are_offered_for_indirect_content() -> None:
    doc = parsed_doc(*_ENDORSED)
    _, _, (end,) = attribution_candidates(doc)
    assert span_text(doc, end.content) == "Jones"
    assert span_text(doc, end.alternative) == "Jones at a rally in Ohio"
    assert {"end=to_sentence_end", "end|lemma=to_sentence_end|endorse"} <= set(end.features)


def test_the_end_model_moves_the_end_only_when_confident() -> None:
    doc = parsed_doc(*_ENDORSED)
    (q,) = find_quotes(doc, model=_ends({"end=to_sentence_end": 5.0}))
    assert span_text(doc, q.content) == "Jones at a rally in Ohio"
    (q,) = find_quotes(doc, model=_ends({"end=to_sentence_end": 1.0}))
    assert span_text(doc, q.content) == "Jones"


def test_a_trimmed_end_drops_the_head_noun_modifiers() -> None:
    text = "Kim criticized the plan of the government."
    doc = parsed_doc(
        text,
        """
        Kim PROPN nsubj 1 - B-PERSON
        criticized VERB ROOT 1 criticize
        the DET det 3
        plan NOUN dobj 1
        of ADP prep 3
        the DET det 6
        government NOUN pobj 4
        . PUNCT punct 1
        """,
    )
    (q,) = find_quotes(doc, model=_ends({"end=trimmed": 5.0}))
    assert span_text(doc, q.content) == "the plan"


def test_a_new_end_never_runs_into_another_quote() -> None:
    text = "Kim criticized the plan and Lee praised it."
    doc = parsed_doc(
        text,
        """
        Kim PROPN nsubj 1 - B-PERSON
        criticized VERB ROOT 1 criticize
        the DET det 3
        plan NOUN dobj 1
        and CCONJ cc 1
        Lee PROPN nsubj 6 - B-PERSON
        praised VERB conj 1 praise
        it PRON dobj 6
        . PUNCT punct 1
        """,
    )
    quotes = find_quotes(doc, model=_ends({"end=to_sentence_end": 5.0}))
    assert sorted(span_text(doc, q.content) for q in quotes) == ["it", "the plan"]


def test_model_file_round_trip_with_an_end_model(tmp_path: Path) -> None:
    m = AttributionModel({"lemma=cast": 1.0}, -1.0, 0.5, boundary=_model({"end=trimmed": 2.0}))
    back = AttributionModel.from_file(m.save(tmp_path / "m.json"))
    assert back.boundary is not None and back.boundary.weights == {"end=trimmed": 2.0}
    assert back.boundary.threshold == 0.5


def test_a_lexicon_cue_without_rule_content_keeps_its_act() -> None:
    text = "Kim tweeted a few words."
    doc = parsed_doc(
        text,
        """
        Kim PROPN nsubj 1 - B-PERSON
        tweeted VERB ROOT 1 tweet
        a DET det 4
        few ADJ amod 4
        words NOUN dobj 1 word
        . PUNCT punct 1
        """,
    )
    assert find_quotes(doc, model=None) == []
    _, (cand,), _ = attribution_candidates(doc)
    assert "lexicon=speech|VERB" in cand.features
    (q,) = find_quotes(doc, model=_model({"lemma=tweet": 5.0}))
    assert (span_text(doc, q.content), q.act) == ("a few words", "speech")


def test_quote_records_name_the_model_when_it_found_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from realpolitik.quotes.attribution import COMPONENT, MODEL_COMPONENT, attribute_quotes

    text = "Kim tweeted a few words. Lee said the talks failed."
    doc = parsed_doc(
        text,
        """
        Kim PROPN nsubj 1 - B-PERSON
        tweeted VERB ROOT 1 tweet
        a DET det 4
        few ADJ amod 4
        words NOUN dobj 1 word
        . PUNCT punct 1
        Lee PROPN nsubj 7 - B-PERSON
        said VERB ROOT 7 say
        the DET det 9
        talks NOUN nsubj 10 talk
        failed VERB ccomp 7 fail
        . PUNCT punct 7
        """,
    )
    doc._.rp_mentions = []
    doc._.rp_article = None
    path = _model({"lemma=tweet": 5.0}).save(tmp_path / "m.json")
    found = {q.text: q.component for q in attribute_quotes(doc, model=str(path))}
    assert found == {"a few words": MODEL_COMPONENT, "the talks failed": COMPONENT}
