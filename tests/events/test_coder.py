"""The event coder on hand-built parses: no trained model involved."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from spacy.tokens import Doc

from realpolitik.events.coder import code_events
from realpolitik.records import Actor, Article, Mention, Quote, Span

STATES = {"China": "CHN", "Japan": "JPN", "Russia": "RUS", "Korea": "KOR"}


def annotate(doc: Doc, quotes: Sequence[tuple[int, int]] = ()) -> Doc:
    """Give every state word in ``doc`` a mention and an actor, as the actors stage would."""
    actors: dict[str, Actor] = {}
    mentions = []
    for tok in doc:
        if tok.text in STATES:
            iso = STATES[tok.text]
            actor = actors.setdefault(
                iso,
                Actor(id=f"a{len(actors) + 1}", name=tok.text, kind="state", code=iso, country=iso),
            )
            m = Mention(tok.text, tok.idx, tok.idx + len(tok), "state", country=iso, actor=actor.id)
            mentions.append(m)
            actor.mentions.append(Span(tok.text, tok.idx, tok.idx + len(tok)))
    doc._.rp_article = Article(id="t", text=doc.text, date="2021-03-19")
    doc._.rp_mentions = mentions
    doc._.rp_actors = list(actors.values())
    doc._.rp_quotes = [
        Quote(
            id=f"t:q{i}",
            speaker=None,
            speaker_text="",
            text=doc.text[s:e],
            start=s,
            end=e,
            kind="direct",
            cue="said",
        )
        for i, (s, e) in enumerate(quotes)
    ]
    return doc


def triples(doc: Doc) -> list[tuple[str, str, str | None]]:
    return [
        (e.source.code or "", e.cameo, e.target.code if e.target else None)
        for e in code_events(doc, use_classifier=False)
    ]


def test_active_verb(make_doc) -> None:
    doc = make_doc(
        ["China", "criticized", "Japan", "."],
        heads=[1, 1, 1, 1],
        deps=["nsubj", "ROOT", "dobj", "punct"],
        pos=["PROPN", "VERB", "PROPN", "PUNCT"],
        lemmas=["China", "criticize", "Japan", "."],
    )
    events = code_events(annotate(doc), use_classifier=False)
    assert [(e.source.code, e.cameo, e.plover, e.target and e.target.code) for e in events] == [
        ("CHN", "111", "ACCUSE", "JPN")
    ]
    e = events[0]
    assert (e.negated, e.modality, e.quad_class) == (False, "asserted", 3)
    assert e.trigger is not None and e.trigger.text == "criticized"
    assert e.rule.startswith("lexicon:criticize") and 0 < e.confidence <= 1
    assert doc.text[e.start : e.end] == e.text


def test_passive_agent_is_the_source(make_doc) -> None:
    doc = make_doc(
        ["Japan", "was", "criticized", "by", "China", "."],
        heads=[2, 2, 2, 2, 3, 2],
        deps=["nsubjpass", "auxpass", "ROOT", "agent", "pobj", "punct"],
        pos=["PROPN", "AUX", "VERB", "ADP", "PROPN", "PUNCT"],
        lemmas=["Japan", "be", "criticize", "by", "China", "."],
    )
    assert triples(annotate(doc)) == [("CHN", "111", "JPN")]


def test_coordinated_subjects_give_one_event_each(make_doc) -> None:
    doc = make_doc(
        ["China", "and", "Russia", "criticized", "Japan", "."],
        heads=[3, 0, 0, 3, 3, 3],
        deps=["nsubj", "cc", "conj", "ROOT", "dobj", "punct"],
        pos=["PROPN", "CCONJ", "PROPN", "VERB", "PROPN", "PUNCT"],
        lemmas=["China", "and", "Russia", "criticize", "Japan", "."],
    )
    assert triples(annotate(doc)) == [("CHN", "111", "JPN"), ("RUS", "111", "JPN")]


def test_negation_is_recorded(make_doc) -> None:
    doc = make_doc(
        ["China", "did", "not", "criticize", "Japan", "."],
        heads=[3, 3, 3, 3, 3, 3],
        deps=["nsubj", "aux", "neg", "ROOT", "dobj", "punct"],
        pos=["PROPN", "AUX", "PART", "VERB", "PROPN", "PUNCT"],
        lemmas=["China", "do", "not", "criticize", "Japan", "."],
    )
    [event] = code_events(annotate(doc), use_classifier=False)
    assert event.negated


@pytest.mark.parametrize(("aux", "modality"), [("will", "future"), ("would", "hypothetical")])
def test_modality_from_auxiliaries(make_doc, aux: str, modality: str) -> None:
    doc = make_doc(
        ["China", aux, "visit", "Japan", "."],
        heads=[2, 2, 2, 2, 2],
        deps=["nsubj", "aux", "ROOT", "dobj", "punct"],
        pos=["PROPN", "AUX", "VERB", "PROPN", "PUNCT"],
        lemmas=["China", aux, "visit", "Japan", "."],
    )
    [event] = code_events(annotate(doc), use_classifier=False)
    assert (event.cameo, event.modality) == ("042", modality)


def test_conditional_clause(make_doc) -> None:
    words = ["If", "Russia", "attacks", ",", "China", "would", "criticize", "Russia", "."]
    doc = make_doc(
        words,
        heads=[2, 2, 6, 6, 6, 6, 6, 6, 6],
        deps=["mark", "nsubj", "advcl", "punct", "nsubj", "aux", "ROOT", "dobj", "punct"],
        pos=["SCONJ", "PROPN", "VERB", "PUNCT", "PROPN", "AUX", "VERB", "PROPN", "PUNCT"],
        lemmas=["if", "Russia", "attack", ",", "China", "would", "criticize", "Russia", "."],
    )
    events = code_events(annotate(doc), use_classifier=False)
    # the attack (one-sided) and the criticism both sit under "if": neither is asserted
    assert [(e.source.code, e.root, e.modality) for e in events] == [
        ("RUS", "19", "conditional"),
        ("CHN", "11", "conditional"),
    ]


def test_light_verb_and_preposition_target(make_doc) -> None:
    doc = make_doc(
        ["China", "held", "talks", "with", "Japan", "."],
        heads=[1, 1, 1, 2, 3, 1],
        deps=["nsubj", "ROOT", "dobj", "prep", "pobj", "punct"],
        pos=["PROPN", "VERB", "NOUN", "ADP", "PROPN", "PUNCT"],
        lemmas=["China", "hold", "talk", "with", "Japan", "."],
    )
    events = code_events(annotate(doc), use_classifier=False)
    assert [(e.source.code, e.cameo, e.target and e.target.code) for e in events] == [
        ("CHN", "046", "JPN")
    ]
    assert events[0].rule == "lexicon:hold+talk/VERB->046"


def test_nominal_event_with_possessor(make_doc) -> None:
    words = ["China", "'s", "criticism", "of", "Japan", "grew", "."]
    doc = make_doc(
        words,
        heads=[2, 0, 5, 2, 3, 5, 5],
        deps=["poss", "case", "nsubj", "prep", "pobj", "ROOT", "punct"],
        pos=["PROPN", "PART", "NOUN", "ADP", "PROPN", "VERB", "PUNCT"],
        lemmas=["China", "'s", "criticism", "of", "Japan", "grow", "."],
    )
    assert triples(annotate(doc)) == [("CHN", "111", "JPN")]


def test_event_inside_a_quotation_is_reported(make_doc) -> None:
    words = ["“", "China", "criticized", "Japan", "”", "."]
    doc = make_doc(
        words,
        heads=[2, 2, 2, 2, 2, 2],
        deps=["punct", "nsubj", "ROOT", "dobj", "punct", "punct"],
        pos=["PUNCT", "PROPN", "VERB", "PROPN", "PUNCT", "PUNCT"],
        lemmas=["“", "China", "criticize", "Japan", "”", "."],
    )
    start = doc[1].idx
    end = doc[3].idx + len(doc[3])
    [event] = code_events(annotate(doc, quotes=[(start, end)]), use_classifier=False)
    assert event.modality == "reported"


def test_the_two_countries_are_the_pair_named_before(make_doc) -> None:
    words = [
        "China",
        "criticized",
        "Japan",
        ".",
        "The",
        "two",
        "countries",
        "signed",
        "an",
        "agreement",
        ".",
    ]
    doc = make_doc(
        words,
        heads=[1, 1, 1, 1, 6, 6, 7, 7, 9, 7, 7],
        deps=[
            "nsubj",
            "ROOT",
            "dobj",
            "punct",
            "det",
            "nummod",
            "nsubj",
            "ROOT",
            "det",
            "dobj",
            "punct",
        ],
        pos=[
            "PROPN",
            "VERB",
            "PROPN",
            "PUNCT",
            "DET",
            "NUM",
            "NOUN",
            "VERB",
            "DET",
            "NOUN",
            "PUNCT",
        ],
        lemmas=[
            "China",
            "criticize",
            "Japan",
            ".",
            "the",
            "two",
            "country",
            "sign",
            "an",
            "agreement",
            ".",
        ],
        sent_starts=[True, False, False, False, True, False, False, False, False, False, False],
    )
    found = triples(annotate(doc))
    assert found[0] == ("CHN", "111", "JPN")
    # the reciprocal agreement: one event in each direction, text naming the pair
    assert sorted(found[1:]) == [("CHN", "057", "JPN"), ("JPN", "057", "CHN")]
    events = code_events(doc, use_classifier=False)
    assert events[1].source.text == "The two countries"


def test_no_actor_no_event(make_doc) -> None:
    doc = make_doc(
        ["Officials", "criticized", "plans", "."],
        heads=[1, 1, 1, 1],
        deps=["nsubj", "ROOT", "dobj", "punct"],
        pos=["NOUN", "VERB", "NOUN", "PUNCT"],
        lemmas=["official", "criticize", "plan", "."],
    )
    assert code_events(annotate(doc), use_classifier=False) == []


def test_hints_put_the_best_event_for_the_pair_first(make_doc) -> None:
    from realpolitik.events.decide import Decider

    words = ["Russia", "met", "Korea", ".", "China", "criticized", "Japan", "."]
    doc = make_doc(
        words,
        heads=[1, 1, 1, 1, 5, 5, 5, 5],
        deps=["nsubj", "ROOT", "dobj", "punct", "nsubj", "ROOT", "dobj", "punct"],
        pos=["PROPN", "VERB", "PROPN", "PUNCT", "PROPN", "VERB", "PROPN", "PUNCT"],
        lemmas=["Russia", "meet", "Korea", ".", "China", "criticize", "Japan", "."],
        sent_starts=[True, False, False, False, True, False, False, False],
    )
    annotate(doc)
    doc._.rp_article.hints = {"source": "China", "target": "Japan"}
    events = code_events(doc, decider=Decider(None))  # the rules alone
    assert (events[0].source.text, events[0].cameo, events[0].target.text) == (
        "China",
        "111",
        "Japan",
    )
    # a target the coder did not find as an actor: the source's event is re-aimed at it
    doc._.rp_article.hints = {"source": "China", "target": "Tokyo"}
    first = code_events(doc, decider=Decider(None))[0]
    assert (first.source.text, first.cameo, first.target and first.target.text) == (
        "China",
        "111",
        "Tokyo",
    )


def _statement(make_doc, verb: str, lemma: str) -> list[tuple[str, str, str | None, str]]:
    """'Russia VERB that China was weak.', with the quotation the quotes stage would give."""
    words = ["Russia", verb, "that", "China", "was", "weak", "."]
    doc = make_doc(
        words,
        heads=[1, 1, 4, 4, 1, 4, 1],
        deps=["nsubj", "ROOT", "mark", "nsubj", "ccomp", "acomp", "punct"],
        pos=["PROPN", "VERB", "SCONJ", "PROPN", "AUX", "ADJ", "PUNCT"],
        lemmas=["Russia", lemma, "that", "China", "be", "weak", "."],
    )
    annotate(doc)
    speaker = next(a for a in doc._.rp_actors if a.code == "RUS")
    about = next(a for a in doc._.rp_actors if a.code == "CHN")
    doc._.rp_quotes = [
        Quote(
            id="t:q1",
            speaker=speaker.id,
            speaker_text="Russia",
            text="China was weak",
            start=doc[3].idx,
            end=doc[5].idx + len(doc[5]),
            kind="indirect",
            cue=verb,
            about=[about.id],
        )
    ]
    return [
        (e.source.code or "", e.cameo, e.target.code if e.target else None, e.rule)
        for e in code_events(doc, use_classifier=False)
        if e.rule.startswith("quote-cue")
    ]


def test_a_plain_said_makes_no_statement_event(make_doc) -> None:
    assert _statement(make_doc, "said", "say") == []


def test_a_specific_comment_cue_makes_a_statement_event(make_doc) -> None:
    # 016 "deny responsibility" is a 01x comment the lexicon codes; only plain 010 is left out
    assert _statement(make_doc, "denied", "deny") == [("RUS", "016", "CHN", "quote-cue:deny->016")]
