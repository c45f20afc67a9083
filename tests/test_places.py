"""Places: the gazetteer and its disambiguation, datelines, and the place of a clause on
hand-built Docs; a model test on the founding article."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from spacy.tokens import Doc

from helpers import SEED
from realpolitik.places import (
    assign_time_place,
    context_countries,
    doc_places,
    find_dateline,
    gazetteer,
    place_key,
    resolve_span,
)
from realpolitik.records import Article, Event, Participant
from realpolitik.records import Span as TextSpan

DocBuilder = Callable[..., Doc]


# ----------------------------------------------------------------------------- gazetteer


def test_place_key_ignores_case_accents_and_punctuation() -> None:
    assert place_key("Brasília") == place_key("BRASILIA") == "brasilia"
    assert place_key("Washington, D.C.") == place_key("Washington D.C.")
    assert place_key("the Vatican") == "vatican"


def test_lookup_finds_every_reading() -> None:
    countries = {e.country for e in gazetteer().lookup("Paris")}
    assert {"FRA", "USA"} <= countries
    assert {e.country for e in gazetteer().lookup("Mecca")} >= {"SAU"}  # an alternate name
    assert [e.kind for e in gazetteer().lookup("Red Sea")] == ["water"]


def test_a_country_is_placed_at_its_capital() -> None:
    g = gazetteer()
    japan = g.resolve("Japan")
    tokyo = g.resolve("Tokyo")
    assert japan is not None and tokyo is not None
    assert japan.kind == "country" and japan.country == "JPN"
    assert (japan.lat, japan.lon) == (tokyo.lat, tokyo.lon)


def test_context_and_qualifiers_disambiguate() -> None:
    g = gazetteer()

    def country(name: str, **kw: object) -> str | None:
        entry = g.resolve(name, **kw)  # type: ignore[arg-type]
        assert entry is not None
        return entry.country

    assert country("Paris") == "FRA"
    assert country("Paris", qualifier="Texas") == "USA"
    assert country("Alexandria") == "EGY"
    assert country("Alexandria", qualifier="Virginia") == "USA"
    assert country("Tripoli", countries={"LBN": 3.0, "SYR": 3.0}) == "LBN"
    assert country("Tripoli", countries={"LBY": 3.0}) == "LBY"
    assert country("Córdoba", countries={"ESP": 3.0}) == "ESP"
    assert country("Valencia", countries={"VEN": 3.0}) == "VEN"
    assert country("Hyderabad", countries={"PAK": 3.0}) == "PAK"
    assert country("Santiago") == "CHL"


def test_a_small_namesake_town_needs_a_qualifier() -> None:
    g = gazetteer()
    geneva = g.resolve("Geneva", countries={"USA": 3.0, "RUS": 3.0})
    assert geneva is not None and geneva.country == "CHE"
    assert g.resolve("Geneva", qualifier="Illinois").country == "USA"  # type: ignore[union-attr]


def test_georgia_is_the_country_unless_the_context_is_american() -> None:
    g = gazetteer()
    assert g.resolve("Georgia").country == "GEO"  # type: ignore[union-attr]
    us = g.resolve("Georgia", countries={"USA": 3.0}, cues={"governor"})
    assert us is not None and us.kind == "admin" and us.country == "USA"


def test_context_countries_weigh_the_sentence_more() -> None:
    text = "Libyan forces attacked. Lebanese officials met in Tripoli."
    tripoli = (text.index("Tripoli"), len(text) - 1)
    # the name being resolved does not count (Tripoli is Libya's capital)
    weights = context_countries(text, focus=(24, len(text)), exclude=tripoli)
    assert weights == {"LBY": 1.5, "LBN": 3.0}
    assert context_countries(text, focus=(24, len(text))) == {"LBY": 3.0, "LBN": 3.0}
    assert "LBN" not in context_countries(text, exclude=(24, 32))
    assert context_countries("the turkey was roasted; let us go") == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GENEVA — Officials met.", ("GENEVA", None)),
        ("PARIS, Texas (AP) - The mayor said.", ("PARIS", "Texas")),
        ("TOKYO, March 14 (Wire) — Ministers met.", ("TOKYO", None)),
        ("NEW DELHI -- India said.", ("NEW DELHI", None)),
    ],
)
def test_find_dateline(text: str, expected: tuple[str, str | None]) -> None:
    found = find_dateline(text)
    assert found is not None and found[:2] == expected
    assert text[found[2] : found[3]] == expected[0]


def test_no_dateline_in_running_text() -> None:
    assert find_dateline("The U.S. — and its allies — met.") is None
    assert find_dateline("Officials met in Geneva.") is None


# -------------------------------------------------------------------- on hand-built Docs

Spec = Sequence[tuple[str, str, str, int, str]]  # word, POS, dep, head, entity (IOB)
LEMMAS = {"met": "meet", "visit": "visit", "visited": "visit", "fired": "fire"}


def build(make_doc: DocBuilder, spec: Spec, article: str = "2021-06-15") -> Doc:
    doc = make_doc(
        [w for w, *_ in spec],
        pos=[p for _, p, *_ in spec],
        tags=["VBD" if p == "VERB" else "XX" for _, p, *_ in spec],
        deps=[d for _, _, d, _, _ in spec],
        heads=[h for _, _, _, h, _ in spec],
        ents=[e for *_, e in spec],
        lemmas=[LEMMAS.get(w.lower(), w.lower()) for w, *_ in spec],
    )
    doc._.rp_article = Article(id="t", text=doc.text, date=article)
    return doc


def place_of(doc: Doc) -> tuple[str, str | None] | None:
    _date, _precision, place = resolve_span(doc, 0, len(doc.text))
    return (place.name, place.country) if place else None


def test_met_in_a_city(make_doc: DocBuilder) -> None:
    doc = build(
        make_doc,
        [
            ("Leaders", "NOUN", "nsubj", 1, "O"),
            ("met", "VERB", "ROOT", 1, "O"),
            ("in", "ADP", "prep", 1, "O"),
            ("Seoul", "PROPN", "pobj", 2, "B-GPE"),
            ("on", "ADP", "prep", 1, "O"),
            ("Friday", "PROPN", "pobj", 4, "B-DATE"),
            (".", "PUNCT", "punct", 1, "O"),
        ],
    )
    date, precision, place = resolve_span(doc, 0, len(doc.text))
    assert (date, precision) == ("2021-06-11", "day")
    assert place is not None and (place.name, place.country) == ("Seoul", "KOR")
    assert place.lat is not None and 37 < place.lat < 38


def test_states_and_capitals_in_actor_slots_are_not_places(make_doc: DocBuilder) -> None:
    poss = build(
        make_doc,
        [
            ("Seoul", "PROPN", "poss", 2, "B-GPE"),
            ("'s", "PART", "case", 0, "O"),
            ("military", "NOUN", "nsubj", 3, "O"),
            ("criticized", "VERB", "ROOT", 3, "O"),
            ("Pyongyang", "PROPN", "dobj", 3, "B-GPE"),
            (".", "PUNCT", "punct", 3, "O"),
        ],
    )
    assert doc_places(poss) == [] and place_of(poss) is None
    attack = build(
        make_doc,
        [
            ("Russia", "PROPN", "nsubj", 1, "B-GPE"),
            ("attacked", "VERB", "ROOT", 1, "O"),
            ("Ukraine", "PROPN", "dobj", 1, "B-GPE"),
            (".", "PUNCT", "punct", 1, "O"),
        ],
    )
    assert place_of(attack) is None


def fired_at(make_doc: DocBuilder, target: str) -> Doc:
    return build(
        make_doc,
        [
            ("Iran", "PROPN", "nsubj", 1, "B-GPE"),
            ("fired", "VERB", "ROOT", 1, "O"),
            ("missiles", "NOUN", "dobj", 1, "O"),
            ("at", "ADP", "prep", 1, "O"),
            (target, "PROPN", "pobj", 3, "B-GPE"),
            (".", "PUNCT", "punct", 1, "O"),
        ],
    )


def test_a_struck_city_is_a_place_a_struck_state_is_not(make_doc: DocBuilder) -> None:
    assert place_of(fired_at(make_doc, "Kyiv")) == ("Kyiv", "UKR")
    assert place_of(fired_at(make_doc, "Israel")) is None


def test_the_visited_place_and_the_city_within_it(make_doc: DocBuilder) -> None:
    # "He visited Uzbekistan for a summit in Samarkand ."
    doc = build(
        make_doc,
        [
            ("He", "PRON", "nsubj", 1, "O"),
            ("visited", "VERB", "ROOT", 1, "O"),
            ("Uzbekistan", "PROPN", "dobj", 1, "B-GPE"),
            ("for", "ADP", "prep", 1, "O"),
            ("a", "DET", "det", 5, "O"),
            ("summit", "NOUN", "pobj", 3, "O"),
            ("in", "ADP", "prep", 5, "O"),
            ("Samarkand", "PROPN", "pobj", 6, "B-GPE"),
            (".", "PUNCT", "punct", 1, "O"),
        ],
    )
    assert place_of(doc) == ("Samarkand", "UZB")
    visit_only = build(
        make_doc,
        [
            ("He", "PRON", "nsubj", 1, "O"),
            ("visited", "VERB", "ROOT", 1, "O"),
            ("Georgia", "PROPN", "dobj", 1, "B-GPE"),
            (".", "PUNCT", "punct", 1, "O"),
        ],
    )
    assert place_of(visit_only) == ("Georgia", "GEO")


def test_a_place_inside_a_topic_is_not_where_the_event_happened(make_doc: DocBuilder) -> None:
    # "China criticized Russia over the war in Ukraine ."
    doc = build(
        make_doc,
        [
            ("China", "PROPN", "nsubj", 1, "B-GPE"),
            ("criticized", "VERB", "ROOT", 1, "O"),
            ("Russia", "PROPN", "dobj", 1, "B-GPE"),
            ("over", "ADP", "prep", 1, "O"),
            ("the", "DET", "det", 5, "O"),
            ("war", "NOUN", "pobj", 3, "O"),
            ("in", "ADP", "prep", 5, "O"),
            ("Ukraine", "PROPN", "pobj", 6, "B-GPE"),
            (".", "PUNCT", "punct", 1, "O"),
        ],
    )
    assert place_of(doc) is None


def test_an_envoy_to_a_capital_is_not_a_place(make_doc: DocBuilder) -> None:
    # "Russia summoned the ambassador to Washington ."
    doc = build(
        make_doc,
        [
            ("Russia", "PROPN", "nsubj", 1, "B-GPE"),
            ("summoned", "VERB", "ROOT", 1, "O"),
            ("the", "DET", "det", 3, "O"),
            ("ambassador", "NOUN", "dobj", 1, "O"),
            ("to", "ADP", "prep", 3, "O"),
            ("Washington", "PROPN", "pobj", 4, "B-GPE"),
            (".", "PUNCT", "punct", 1, "O"),
        ],
    )
    assert place_of(doc) is None


def test_the_dateline_is_the_fallback(make_doc: DocBuilder) -> None:
    doc = build(
        make_doc,
        [
            ("GENEVA", "PROPN", "npadvmod", 4, "B-GPE"),
            ("—", "PUNCT", "punct", 4, "O"),
            ("Armenian", "ADJ", "amod", 3, "B-NORP"),
            ("officials", "NOUN", "nsubj", 4, "O"),
            ("met", "VERB", "ROOT", 4, "O"),
            ("on", "ADP", "prep", 4, "O"),
            ("Monday", "PROPN", "pobj", 5, "B-DATE"),
            (".", "PUNCT", "punct", 4, "O"),
        ],
        article="2021-11-30",
    )
    start = doc[2].idx
    assert resolve_span(doc, start, len(doc.text))[2].name == "Geneva"  # type: ignore[union-attr]


def story(make_doc: DocBuilder, opener: str) -> Doc:
    """ "Talks opened in Vienna on Monday . <opener> , Iran briefed envoys ." """
    first = [
        ("Talks", "NOUN", "nsubj", 1, "O"),
        ("opened", "VERB", "ROOT", 1, "O"),
        ("in", "ADP", "prep", 1, "O"),
        ("Vienna", "PROPN", "pobj", 2, "B-GPE"),
        ("on", "ADP", "prep", 1, "O"),
        ("Monday", "PROPN", "pobj", 4, "B-DATE"),
        (".", "PUNCT", "punct", 1, "O"),
    ]
    n = len(first)
    words = opener.split()
    verb = n + len(words) + 2
    second: list[tuple[str, str, str, int, str]] = []
    for k, w in enumerate(words):
        # the opener's last word heads it and hangs on the verb
        head = verb if k == len(words) - 1 else n + len(words) - 1
        dep = "npadvmod" if k == len(words) - 1 else "dep"
        second.append((w, "NOUN" if k == len(words) - 1 else "DET", dep, head, "O"))
    second += [
        (",", "PUNCT", "punct", verb, "O"),
        ("Iran", "PROPN", "nsubj", verb, "B-GPE"),
        ("briefed", "VERB", "ROOT", verb, "O"),
        ("envoys", "NOUN", "dobj", verb, "O"),
        (".", "PUNCT", "punct", verb, "O"),
    ]
    return build(make_doc, first + second, article="2021-11-30")


def test_a_back_reference_takes_the_earlier_events_date_and_place(
    make_doc: DocBuilder,
) -> None:
    doc = story(make_doc, "That afternoon")
    start = doc[7].idx
    date, precision, place = resolve_span(doc, start, len(doc.text))
    assert (date, precision) == ("2021-11-29", "day")
    assert place is not None and place.name == "Vienna"


def test_the_next_day_is_another_event_in_no_stated_place(make_doc: DocBuilder) -> None:
    doc = story(make_doc, "The next day")
    date, precision, place = resolve_span(doc, doc[7].idx, len(doc.text))
    assert (date, precision, place) == ("2021-11-30", "day", None)


def test_assign_time_place_dates_every_event(make_doc: DocBuilder) -> None:
    doc = story(make_doc, "The next day")
    trigger = doc[1]
    src = Participant(actor=None, code=None, country=None, text="Talks")
    events = [
        Event(
            id=f"t:e{k}",
            source=src,
            target=None,
            cameo="040",
            root="04",
            plover="CONSULT",
            goldstein=1.0,
            quad_class=1,
            text=doc.text,
            start=0,
            end=len(doc.text),
            coder="test",
            rule="test",
            confidence=1.0,
            date="2021-11-30",
            trigger=TextSpan(trigger.text, trigger.idx, trigger.idx + len(trigger)) if k else None,
        )
        for k in range(2)
    ]
    assign_time_place(doc, events)
    with_trigger = events[1]
    assert (with_trigger.date, with_trigger.date_precision) == ("2021-11-29", "day")
    assert with_trigger.place is not None and with_trigger.place.name == "Vienna"
    # without a trigger the event's sentence span is used
    assert events[0].date is not None and events[0].date_precision in {"day", "article"}


# ------------------------------------------------------------------------- model tests


@pytest.mark.model
def test_founding_article_dates_and_places(nlp) -> None:  # type: ignore[no-untyped-def]
    if not SEED.exists():
        pytest.skip(f"{SEED} is not here (the shared evaluation folder is optional)")
    text = SEED.read_text(encoding="utf-8")
    doc = nlp.make_doc(text)
    doc._.rp_article = Article(id="seed", text=text, date="2021-03-19")
    doc = nlp(doc)
    events: list[Event] = doc._.rp_events
    assert events
    for e in events:
        assert e.date is not None and e.date_precision in {
            "day",
            "week",
            "month",
            "year",
            "article",
        }
    meeting = [e for e in events if "on the 18th" in e.text and e.trigger is not None]
    assert meeting
    for e in meeting:
        assert (e.date, e.date_precision) == ("2021-03-18", "day")
        assert e.place is not None and (e.place.name, e.place.country) == ("Seoul", "KOR")
    evening = [
        e
        for e in events
        if "the previous evening" in e.text
        and e.trigger is not None
        and e.trigger.start < text.index("the previous evening")
        and e.plover in {"DISAPPROVE", "ACCUSE"}
    ]
    assert evening
    for e in evening:
        assert (e.date, e.date_precision) == ("2021-03-17", "day")


@pytest.mark.model
def test_code_gives_every_event_a_date(nlp) -> None:  # type: ignore[no-untyped-def]
    from realpolitik.pipeline import code

    result = code(
        "GENEVA — The U.S. and Russian presidents met on Wednesday. The next day, Russia "
        "criticized the United States. Turkey accused Greece of provocations.",
        date="2021-06-17",
        nlp=nlp,
    )
    assert result.events
    for e in result.events:
        assert e.date is not None
        assert e.place is not None and e.place.name == "Geneva"  # the dateline


def test_provinces_of_every_state_resolve_to_their_country() -> None:
    g = gazetteer()
    for name, country in [
        ("Borno State", "NGA"),
        ("Helmand", "AFG"),
        ("Khyber Pakhtunkhwa", "PAK"),
        ("Tigray", "ETH"),
        ("Crimea", "UKR"),  # disputed places follow the UN-recognised sovereign
        ("Golan Heights", "SYR"),
        ("Ontario", "CAN"),  # the province, not the Californian city of 170,000
    ]:
        entry = g.resolve(name)
        assert entry is not None and entry.country == country, name
    # a province named as its city is the city; a name several states share needs context
    assert g.resolve("Kandahar").kind == "city"
    assert g.resolve("Eastern Province") is None
    assert g.resolve("Eastern Province", countries={"SAU": 3.0}).country == "SAU"


def test_the_provinces_table_is_well_formed() -> None:
    import csv

    from realpolitik.actors.gazetteer import countries
    from realpolitik.places import PROVINCES

    codes = {row.iso3 for row in countries()}
    names = {row.name.casefold() for row in countries()}
    with PROVINCES.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert len(rows) > 3000
    seen = set()
    for row in rows:
        assert row["country"] in codes and row["country"] != "USA", row
        assert row["name"].casefold() not in names, row  # a country is no province
        key = (row["country"], row["name"])
        assert key not in seen, key
        seen.add(key)
