"""Unnamed agents, places acted upon and people without a country, on hand-built parses."""

from __future__ import annotations

from spacy.tokens import Doc

from realpolitik.actors.agents import (
    agent_lexicon,
    agent_mentions,
    place_mentions,
    settle_person_countries,
)
from realpolitik.records import Actor, Article, Mention

STATES = {"Sudan": "SDN", "Kenya": "KEN", "Nigeria": "NGA", "Russia": "RUS", "Ukraine": "UKR"}


def parsed(make_doc, words, heads, deps, pos, lemmas=None, ents=None) -> Doc:
    doc = make_doc(words, heads=heads, deps=deps, pos=pos, lemmas=lemmas, ents=ents)
    doc._.rp_article = Article(id="t", text=doc.text, date="2024-03-08")
    return doc


def states(doc: Doc) -> list[Mention]:
    return [
        Mention(t.text, t.idx, t.idx + len(t), "state", country=STATES[t.text])
        for t in doc
        if t.text in STATES
    ]


def test_the_lexicon_has_hundreds_of_group_nouns_with_sectors() -> None:
    lex = agent_lexicon()
    assert len(lex) >= 300
    assert lex["gunman"].sector == "REB" and lex["prosecutor"].sector == "JUD"
    assert lex["security force"].sector == "COP" and lex["state media"].sector == "MED"


def test_a_possessive_state_takes_the_agent_sector(make_doc) -> None:
    # "Sudan 's army attacked villages ."
    doc = parsed(
        make_doc,
        ["Sudan", "'s", "army", "attacked", "villages", "."],
        [2, 0, 3, 3, 3, 3],
        ["poss", "case", "nsubj", "ROOT", "dobj", "punct"],
        ["PROPN", "PART", "NOUN", "VERB", "NOUN", "PUNCT"],
    )
    mentions = states(doc)
    assert agent_mentions(doc, mentions) == []  # no second actor: the state is the army
    assert mentions[0].sector == "MIL" and mentions[0].source.endswith("agent:modifier")


def test_an_of_phrase_gives_the_country(make_doc) -> None:
    # "The army of Sudan attacked ."
    doc = parsed(
        make_doc,
        ["The", "army", "of", "Sudan", "attacked", "."],
        [1, 4, 1, 2, 4, 4],
        ["det", "nsubj", "prep", "pobj", "ROOT", "punct"],
        ["DET", "NOUN", "ADP", "PROPN", "VERB", "PUNCT"],
    )
    [m] = agent_mentions(doc, states(doc))
    assert (m.text, m.kind, m.country, m.sector, m.source) == (
        "army",
        "group",
        "SDN",
        "MIL",
        "agent:of",
    )


def test_the_main_country_when_the_text_gives_nothing_closer(make_doc) -> None:
    # "Kenya votes . Kenya counts . Police arrested protesters ."
    words = ["Kenya", "votes", ".", "Kenya", "counts", ".", "Police", "arrested", "protesters", "."]
    heads = [1, 1, 1, 4, 4, 4, 7, 7, 7, 7]
    deps = ["nsubj", "ROOT", "punct"] * 2 + ["nsubj", "ROOT", "dobj", "punct"]
    pos = ["PROPN", "VERB", "PUNCT"] * 2 + ["NOUN", "VERB", "NOUN", "PUNCT"]
    lemmas = ["Kenya", "vote", ".", "Kenya", "count", ".", "police", "arrest", "protester", "."]
    doc = make_doc(
        words,
        heads=heads,
        deps=deps,
        pos=pos,
        lemmas=lemmas,
        sent_starts=[True, False, False, True, False, False, True, False, False, False],
    )
    doc._.rp_article = Article(id="t", text=doc.text, date="2024-03-08")
    found = {(m.text, m.country, m.sector, m.source) for m in agent_mentions(doc, states(doc))}
    assert found == {
        ("Police", "KEN", "COP", "agent:main-country"),
        ("protesters", "KEN", "CVL", "agent:main-country"),
    }


def test_a_state_named_elsewhere_in_the_sentence_is_not_evidence(make_doc) -> None:
    # "Gunmen attacked a convoy , Russia said ." : one mention of Russia, no main country
    doc = parsed(
        make_doc,
        ["Gunmen", "attacked", "a", "convoy", ",", "Russia", "said", "."],
        [1, 6, 3, 1, 6, 6, 6, 6],
        ["nsubj", "ccomp", "det", "dobj", "punct", "nsubj", "ROOT", "punct"],
        ["NOUN", "VERB", "DET", "NOUN", "PUNCT", "PROPN", "VERB", "PUNCT"],
        lemmas=["gunman", "attack", "a", "convoy", ",", "Russia", "say", "."],
    )
    assert agent_mentions(doc, states(doc)) == []


def test_a_heading_is_not_an_agent(make_doc) -> None:
    doc = parsed(
        make_doc,
        ["Experts", ":", "Kenya", "acts", ".", "Kenya", "votes", "."],
        [0, 0, 3, 0, 0, 6, 6, 6],
        ["ROOT", "punct", "nsubj", "appos", "punct", "nsubj", "ROOT", "punct"],
        ["NOUN", "PUNCT", "PROPN", "VERB", "PUNCT", "PROPN", "VERB", "PUNCT"],
        lemmas=["expert", ":", "Kenya", "act", ".", "Kenya", "vote", "."],
    )
    assert [m.text for m in agent_mentions(doc, states(doc))] == []


def test_a_city_acted_upon_is_its_countrys_civilians(make_doc) -> None:
    # "Russia shelled Kharkiv in Ukraine ." (the city is the object; the country is named)
    doc = parsed(
        make_doc,
        ["Russia", "shelled", "Kharkiv", "in", "Ukraine", "."],
        [1, 1, 1, 2, 3, 1],
        ["nsubj", "ROOT", "dobj", "prep", "pobj", "punct"],
        ["PROPN", "VERB", "PROPN", "ADP", "PROPN", "PUNCT"],
        ents=["B-GPE", "O", "B-GPE", "O", "B-GPE", "O"],
    )
    [m] = place_mentions(doc, states(doc))
    assert (m.text, m.country, m.sector, m.kind) == ("Kharkiv", "UKR", "CVL", "state")


def test_a_place_in_a_locative_slot_is_not_an_actor(make_doc) -> None:
    # "Russia met Ukraine in Kharkiv ."
    doc = parsed(
        make_doc,
        ["Russia", "met", "Ukraine", "in", "Kharkiv", "."],
        [1, 1, 1, 1, 3, 1],
        ["nsubj", "ROOT", "dobj", "prep", "pobj", "punct"],
        ["PROPN", "VERB", "PROPN", "ADP", "PROPN", "PUNCT"],
        ents=["B-GPE", "O", "B-GPE", "O", "B-GPE", "O"],
    )
    assert place_mentions(doc, states(doc)) == []


def test_people_without_a_country_get_their_affiliation_or_the_main_country(make_doc) -> None:
    doc = parsed(
        make_doc,
        ["Nigeria", "spoke", ".", "Nigeria", "spoke", "."],
        [1, 1, 1, 4, 4, 4],
        ["nsubj", "ROOT", "punct"] * 2,
        ["PROPN", "VERB", "PUNCT"] * 2,
    )
    mentions = states(doc)
    expert = Mention("Ada", 0, 3, "person", sector="EDU", org="University of Melbourne", actor="p1")
    local = Mention("Obi", 0, 3, "person", actor="p2")
    actors = [
        Actor(id="p1", name="Ada Lovett", kind="person", sector="EDU"),
        Actor(id="p2", name="Obi Okafor", kind="person"),
        Actor(id="p3", name="Trump", kind="person", code="USAGOV", country="USA"),
    ]
    settle_person_countries(doc, [*mentions, expert, local], actors)
    assert (actors[0].country, actors[0].code, actors[0].basis) == (
        "AUS",
        "AUSEDU",
        "person:affiliation",
    )
    assert (actors[1].country, actors[1].basis) == ("NGA", "person:main-country")
    assert actors[2].country == "USA" and actors[2].basis is None  # the dictionary's, kept
