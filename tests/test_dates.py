"""Time expressions: tagging and resolution on plain text, clause attachment on hand-built Docs.

Expected dates are worked out by hand from the calendar and the conventions of
``eval/time_place/README.md`` (weeks by their Monday, months by their 1st, years by 1 January).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import pytest
from spacy.tokens import Doc

from realpolitik.dates import (
    TimeExpr,
    When,
    clause_tense,
    date_for_span,
    doc_times,
    find_expressions,
    path_cost,
    resolve_expression,
    resolve_text,
)
from realpolitik.records import Article

DocBuilder = Callable[..., Doc]


def resolved(text: str, article: str) -> list[tuple[str, str | None, str | None]]:
    """``(expression, iso date, precision)`` for every expression of ``text``."""
    out = []
    for expr, when in resolve_text(text, date.fromisoformat(article)):
        out.append((expr.text, when.iso() if when else None, when.precision if when else None))
    return out


def only(text: str, article: str) -> tuple[str | None, str | None]:
    [(_, iso, precision)] = resolved(text, article)
    return iso, precision


# ------------------------------------------------------------------------- explicit dates


@pytest.mark.parametrize(
    ("text", "article", "expected"),
    [
        ("The two sides met on June 3.", "2021-06-15", "2021-06-03"),
        ("They met on 3 February 2022 in Istanbul.", "2022-02-24", "2022-02-03"),
        ("The pact was signed on Aug. 29, 2024, officials said.", "2024-10-17", "2024-08-29"),
        ("On March 18, 2019, Colombia accused Venezuela.", "2019-07-10", "2019-03-18"),
        ("The talks opened on the 1st of March.", "2020-03-10", "2020-03-01"),
        ("It was agreed on 2019-11-05.", "2020-01-02", "2019-11-05"),
        ("Sept. 5 was the day.", "2022-09-20", "2022-09-05"),
    ],
)
def test_explicit_dates(text: str, article: str, expected: str) -> None:
    assert only(text, article) == (expected, "day")


def test_a_date_without_year_takes_the_closest_year() -> None:
    # 27 December is 6 days before 2 January 2020, but 360 days after it in 2020
    assert only("Japan protested on December 27.", "2020-01-02") == ("2019-12-27", "day")
    # and a date just after New Year in a December article is next year's
    assert only("The summit will open on January 4.", "2018-12-30") == ("2019-01-04", "day")


def test_an_impossible_date_is_not_invented() -> None:
    assert only("It happened on February 30, 2021.", "2021-03-01") == (None, None)


def test_months_and_years() -> None:
    assert only("They signed a deal in September.", "2016-10-26") == ("2016-09-01", "month")
    assert only("Relations soured in March 2021.", "2021-11-30") == ("2021-03-01", "month")
    # "in December" read in January is last December, 1 month away, not 11 months ahead
    assert only("They clashed in December.", "2020-01-02") == ("2019-12-01", "month")
    assert only("Relations were restored in 2015.", "2016-10-26") == ("2015-01-01", "year")
    assert only("The talks stalled last March.", "2021-06-15") == ("2021-03-01", "month")
    assert only("The talks stalled last June.", "2021-03-15") == ("2020-06-01", "month")


def test_durations_and_habits_date_nothing() -> None:
    text = "They have met every year since 1992, the first time in 11 years since 2010."
    for expr in find_expressions(text):
        assert not expr.usable
    assert resolved(text, "2020-01-02") == [("1992", None, None), ("2010", None, None)]


def test_modal_may_and_ordinal_nouns_are_not_dates() -> None:
    text = "Russia may respond. It adopted the 13th package on Monday."
    assert [e.text for e in find_expressions(text)] == ["Monday"]
    assert find_expressions("It happened on the 11th round of talks.") == []


# -------------------------------------------------------------------------- day of month


def test_day_of_month_in_the_past_is_the_last_one_on_or_before_publication() -> None:
    assert only("Moscow recognized the regions on the 21st.", "2022-02-24") == (
        "2022-02-21",
        "day",
    )
    # the 28th in a 1 March article: February's
    assert only("It summoned the ambassador on the 28th.", "2024-03-01") == ("2024-02-28", "day")
    # leap day
    assert only("Greece accused Turkey on the 29th.", "2020-03-02") == ("2020-02-29", "day")
    # no 29th in February 2023: January's
    assert only("Talks failed on the 29th.", "2023-03-01") == ("2023-01-29", "day")
    # the same day counts
    assert only("They met on the 24th.", "2022-02-24") == ("2022-02-24", "day")


def test_day_of_month_in_the_future_is_the_first_one_after_publication() -> None:
    assert only("Sweden will join NATO on the 7th.", "2024-03-01") == ("2024-03-07", "day")
    assert only("Talks will resume on the 3rd.", "2016-10-26") == ("2016-11-03", "day")
    assert only("They are expected to sign it on the 7th.", "2018-12-31") == ("2019-01-07", "day")


# ------------------------------------------------------------------------------ weekdays


def test_weekdays_follow_tense() -> None:
    # 2021-06-15 is a Tuesday
    assert only("Russia summoned the envoy on Friday.", "2021-06-15") == ("2021-06-11", "day")
    assert only("They met on Tuesday.", "2021-06-15") == ("2021-06-15", "day")
    assert only("They will meet on Wednesday.", "2021-06-15") == ("2021-06-16", "day")
    assert only("They will meet on Tuesday.", "2021-06-15") == ("2021-06-22", "day")
    # year rollover: 2018-12-31 is a Monday
    assert only("Envoys will meet on Friday.", "2018-12-31") == ("2019-01-04", "day")


def test_last_and_next_weekdays() -> None:
    # 2022-09-05 is a Monday
    assert only("Russia halted gas flows last Friday.", "2022-09-05") == ("2022-09-02", "day")
    assert only("He signed it last Monday.", "2022-09-05") == ("2022-08-29", "day")
    assert only("They meet next Tuesday.", "2022-09-05") == ("2022-09-06", "day")
    assert only("They will meet next Monday.", "2022-09-05") == ("2022-09-12", "day")


def test_a_weekday_before_a_calendar_date_defers_to_it() -> None:
    assert [e.text for e in find_expressions("They met on Monday, March 3.")] == ["March 3"]


# ------------------------------------------------------------------------------ relative


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ukraine accused Russia yesterday.", ("2022-09-04", "day")),
        ("Forces attacked today.", ("2022-09-05", "day")),
        ("Talks resume tomorrow.", ("2022-09-06", "day")),
        ("They met the day before yesterday.", ("2022-09-03", "day")),
        ("Protesters breached the wall two days ago.", ("2022-09-03", "day")),
        ("Leaders will travel to Moscow in three days.", ("2022-09-08", "day")),
        ("The EU adopted sanctions last week.", ("2022-08-29", "week")),
        ("Serbia raised readiness earlier this week.", ("2022-09-05", "week")),
        ("EU leaders will meet next week.", ("2022-09-12", "week")),
        ("Iran fired missiles two weeks ago.", ("2022-08-22", "week")),
        ("EU leaders will meet in two weeks.", ("2022-09-19", "week")),
        ("Peru's Congress removed the president last month.", ("2022-08-01", "month")),
        ("Turkey halted trade earlier this month.", ("2022-09-01", "month")),
        ("Talks will resume next month.", ("2022-10-01", "month")),
        ("The Taliban seized power last year.", ("2021-01-01", "year")),
        ("Finland hopes to join this year.", ("2022-01-01", "year")),
        ("Britain will negotiate next year.", ("2023-01-01", "year")),
    ],
)
def test_relative_expressions(text: str, expected: tuple[str, str]) -> None:
    assert only(text, "2022-09-05") == expected  # a Monday


def test_in_n_weeks_in_the_past_tense_is_a_duration() -> None:
    assert only("The army took the city in two weeks.", "2022-09-05") == (None, None)


def test_relative_expressions_need_a_publication_date() -> None:
    expr = find_expressions("They met yesterday.")[0]
    assert resolve_expression(expr, None) is None
    dated = find_expressions("They met on 3 February 2022.")[0]
    assert resolve_expression(dated, None) == When(date(2022, 2, 3), "day")


# ------------------------------------------------------------------------------- anchors


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Aircraft struck bases on December 29. The previous evening, he briefed them.",
            "2019-12-28",
        ),
        ("NATO invited Montenegro on Wednesday. The day before, Russia warned it.", "2019-12-31"),
        ("Inspectors arrived on Thursday. A day earlier, Russia accused Ukraine.", "2020-01-01"),
        ("Troops moved in on December 4. The next day, Iraq summoned the envoy.", "2019-12-05"),
        (
            "Migrants reached the border on the 8th. The following morning, the EU spoke.",
            "2019-12-09",
        ),
        ("Missiles struck Kyiv on Thursday. A day later, Ukraine appealed.", "2020-01-03"),
        ("They signed it on Saturday. Later that day, he flew to Kabul.", "2019-12-28"),
        ("They met on October 20. During the visit, they signed deals.", "2019-10-20"),
        ("The vote took place on Sunday. That night, the president conceded.", "2019-12-29"),
        (
            "The ministers met on Monday. On the eve of the meeting, Russia warned Kyiv.",
            "2019-12-29",
        ),
    ],
)
def test_anchored_expressions_follow_the_event_just_described(text: str, expected: str) -> None:
    out = resolved(text, "2020-01-02")  # a Thursday
    assert out[-1][1:] == (expected, "day")


def test_a_flashback_is_not_an_anchor() -> None:
    text = (
        "The ministers met in Seoul on the 18th. The previous evening, he criticized China. "
        "After the meeting, they issued a statement."
    )
    out = resolved(text, "2021-03-19")
    assert [o[1] for o in out] == ["2021-03-18", "2021-03-17", "2021-03-18"]


def test_a_reference_to_an_undated_event_is_not_anchored() -> None:
    text = "They met on Monday. Just one day before the first QUAD summit, a paper warned Seoul."
    exprs = find_expressions(text)
    assert exprs[-1].kind == "anchor" and not exprs[-1].usable
    assert resolved(text, "2021-03-19")[-1][1] is None


def test_anchor_with_a_noun_prefers_the_sentence_that_names_it() -> None:
    text = (
        "The two sides signed a truce on Thursday. Monitors will meet on the 28th. "
        "Hours after the signing, both sides traded accusations."
    )
    assert resolved(text, "2023-12-22")[-1][1] == "2023-12-21"


def test_without_anchor_nothing_is_invented() -> None:
    assert only("The previous evening, Russia warned Ukraine.", "2020-01-02") == (None, None)


def test_an_anchor_of_month_precision_gives_no_day() -> None:
    expr = TimeExpr(0, 12, "the next day", "anchor", offset=1)
    assert (
        resolve_expression(expr, date(2020, 1, 2), anchor=When(date(2019, 12, 1), "month")) is None
    )


# -------------------------------------------------------------------- on hand-built Docs


Spec = Sequence[tuple[str, str, str, str, int]]  # word, POS, tag, dep, head
LEMMAS = {"expected": "expect", "sent": "send", "said": "say", "following": "follow"}


def build(make_doc: DocBuilder, spec: Spec, article: str = "2020-01-02") -> Doc:
    doc = make_doc(
        [w for w, *_ in spec],
        pos=[p for _, p, *_ in spec],
        tags=[t for _, _, t, *_ in spec],
        deps=[d for *_, d, _ in spec],
        heads=[h for *_, h in spec],
        lemmas=[LEMMAS.get(w.lower(), w.lower()) for w, *_ in spec],
    )
    doc._.rp_article = Article(id="t", text=doc.text, date=article)
    return doc


# "Turkey said on Monday that Ankara would not withdraw troops it sent on December 4 ."
SAID = [
    ("Turkey", "PROPN", "NNP", "nsubj", 1),
    ("said", "VERB", "VBD", "ROOT", 1),
    ("on", "ADP", "IN", "prep", 1),
    ("Monday", "PROPN", "NNP", "pobj", 2),
    ("that", "SCONJ", "IN", "mark", 8),
    ("Ankara", "PROPN", "NNP", "nsubj", 8),
    ("would", "AUX", "MD", "aux", 8),
    ("not", "PART", "RB", "neg", 8),
    ("withdraw", "VERB", "VB", "ccomp", 1),
    ("troops", "NOUN", "NNS", "dobj", 8),
    ("it", "PRON", "PRP", "nsubj", 11),
    ("sent", "VERB", "VBD", "relcl", 9),
    ("on", "ADP", "IN", "prep", 11),
    ("December", "PROPN", "NNP", "pobj", 12),
    ("4", "NUM", "CD", "nummod", 13),
    (".", "PUNCT", ".", "punct", 1),
]


def test_each_clause_takes_its_own_expression(make_doc: DocBuilder) -> None:
    doc = build(make_doc, SAID, article="2015-12-07")
    said, sent = doc[1], doc[11]
    when, _m, how = date_for_span(doc, 0, len(doc.text), head=said)
    assert (when, how) == (When(date(2015, 12, 7), "day"), "clause")
    start, end = doc[10].idx, doc[14].idx + 1
    when, _m, how = date_for_span(doc, start, end, head=sent)
    assert (when, how) == (When(date(2015, 12, 4), "day"), "clause")


def test_a_complement_clause_does_not_borrow_the_report_date(make_doc: DocBuilder) -> None:
    doc = build(make_doc, SAID, article="2015-12-07")
    withdraw = doc[8]
    # the relative clause's date is behind a boundary, the report's date is above a ccomp
    assert path_cost(doc[13], withdraw) is None
    when, _m, how = date_for_span(doc, doc[4].idx, doc[14].idx + 1, head=withdraw)
    assert when is None and how == "none"


# "After the talks on Friday , Blinken criticized China ." : the temporal link "after" keeps
# Friday for the talks only when it is a plain event noun; here the talks are the anchor-free
# complement of "after" and Friday belongs to them.
AFTER = [
    ("Following", "VERB", "VBG", "prep", 5),
    ("talks", "NOUN", "NNS", "pobj", 0),
    ("on", "ADP", "IN", "prep", 1),
    ("Friday", "PROPN", "NNP", "pobj", 2),
    ("Blinken", "PROPN", "NNP", "nsubj", 5),
    ("criticized", "VERB", "VBD", "ROOT", 5),
    ("China", "PROPN", "NNP", "dobj", 5),
    (".", "PUNCT", ".", "punct", 5),
]


def test_a_temporal_link_keeps_the_earlier_events_date_below_it(make_doc: DocBuilder) -> None:
    doc = build(make_doc, AFTER)
    assert path_cost(doc[3], doc[5]) is None
    assert path_cost(doc[3], doc[1]) == 0
    when, _m, how = date_for_span(doc, 0, len(doc.text), head=doc[5])
    assert when is None and how == "none"
    when, _m, _how = date_for_span(doc, doc[1].idx, doc[3].idx + 6, head=doc[1])
    assert when == When(date(2019, 12, 27), "day")  # the Friday before Thursday 2 January


def two_sentences(second_tag: str, second_aux: str | None) -> Spec:
    """ "China met Japan on Monday . China criticized Japan ." with the second verb's tense."""
    first: list[tuple[str, str, str, str, int]] = [
        ("China", "PROPN", "NNP", "nsubj", 1),
        ("met", "VERB", "VBD", "ROOT", 1),
        ("Japan", "PROPN", "NNP", "dobj", 1),
        ("on", "ADP", "IN", "prep", 1),
        ("Monday", "PROPN", "NNP", "pobj", 3),
        (".", "PUNCT", ".", "punct", 1),
    ]
    n = len(first)
    second: list[tuple[str, str, str, str, int]] = [("China", "PROPN", "NNP", "nsubj", n + 2)]
    if second_aux:
        second.append((second_aux, "AUX", "MD", "aux", n + 2))
    else:
        second.append(("also", "ADV", "RB", "advmod", n + 2))
    second += [
        ("criticized" if second_tag == "VBD" else "criticize", "VERB", second_tag, "ROOT", n + 2),
        ("Japan", "PROPN", "NNP", "dobj", n + 2),
        (".", "PUNCT", ".", "punct", n + 2),
    ]
    return first + second


def test_a_past_clause_without_a_date_takes_the_date_in_force(make_doc: DocBuilder) -> None:
    doc = build(make_doc, two_sentences("VBD", None))
    start = doc[6].idx
    when, _m, how = date_for_span(doc, start, len(doc.text), head=doc[8])
    assert (when, how) == (When(date(2019, 12, 30), "day"), "passage")


def test_a_future_clause_does_not_take_the_date_in_force(make_doc: DocBuilder) -> None:
    doc = build(make_doc, two_sentences("VB", "will"))
    assert clause_tense(doc[8]) == "future"
    when, _m, how = date_for_span(doc, doc[6].idx, len(doc.text), head=doc[8])
    assert when is None and how == "none"


def test_the_date_in_force_stops_at_a_paragraph(make_doc: DocBuilder) -> None:
    spec = two_sentences("VBD", None)
    words = [w for w, *_ in spec]
    spaces = [True] * len(words)
    spaces[5] = False  # "Monday .\n" + "China ..." : a line break between the sentences
    doc = make_doc(
        [*words[:6], "\n", *words[6:]],
        pos=[*(p for _, p, *_ in spec[:6]), "SPACE", *(p for _, p, *_ in spec[6:])],
        tags=[*(t for _, _, t, *_ in spec[:6]), "_SP", *(t for _, _, t, *_ in spec[6:])],
        deps=[*(d for *_, d, _ in spec[:6]), "dep", *(d for *_, d, _ in spec[6:])],
        heads=[*(h for *_, h in spec[:6]), 5, *(h + 1 for *_, h in spec[6:])],
        spaces=[*spaces[:6], False, *spaces[6:]],
    )
    doc._.rp_article = Article(id="t", text=doc.text, date="2020-01-02")
    when, _m, how = date_for_span(doc, doc[7].idx, len(doc.text), head=doc[9])
    assert when is None and how == "none"


def test_future_frames_set_the_tense(make_doc: DocBuilder) -> None:
    # "Iran is expected to meet officials on Monday ."
    spec = [
        ("Iran", "PROPN", "NNP", "nsubjpass", 2),
        ("is", "AUX", "VBZ", "auxpass", 2),
        ("expected", "VERB", "VBN", "ROOT", 2),
        ("to", "PART", "TO", "aux", 4),
        ("meet", "VERB", "VB", "xcomp", 2),
        ("officials", "NOUN", "NNS", "dobj", 4),
        ("on", "ADP", "IN", "prep", 4),
        ("Monday", "PROPN", "NNP", "pobj", 6),
        (".", "PUNCT", ".", "punct", 2),
    ]
    doc = build(make_doc, spec, article="2019-07-10")  # a Wednesday
    [m] = doc_times(doc)
    assert m.tense == "future"
    assert m.when == When(date(2019, 7, 15), "day")


def test_the_dateline_date_is_not_an_event_date(make_doc: DocBuilder) -> None:
    doc = make_doc(["TOKYO", ",", "March", "14", "—", "They", "met", "on", "Wednesday", "."])
    doc._.rp_article = Article(id="t", text=doc.text, date="2024-03-14")
    assert [m.expr.text for m in doc_times(doc)] == ["Wednesday"]


def test_without_a_parse_the_first_expression_of_the_span_dates_it(
    make_doc: DocBuilder,
) -> None:
    doc = make_doc(["Kenya", "signed", "it", "on", "June", "3", "."])
    doc._.rp_article = Article(id="t", text=doc.text, date="2021-06-15")
    when, _m, how = date_for_span(doc, 0, len(doc.text))
    assert (when, how) == (When(date(2021, 6, 3), "day"), "clause")
