"""Persons are people, and people the dictionary lacks get a country: each rule on a
hand-built Doc (no trained model)."""

from __future__ import annotations

from realpolitik.actors.agents import _country_near
from realpolitik.actors.dictionary import actor_dictionary
from realpolitik.actors.recognize import find_mentions, not_a_person, scan_gazetteer
from realpolitik.records import Article, Mention


def _doc(make_doc, words, ents, pos=None, date="2021-03-18", **kw):
    doc = make_doc(words, ents=ents, pos=pos or ["PROPN"] * len(words), **kw)
    doc._.rp_article = Article(id="t", text=doc.text, date=date)
    return doc


def _rule(doc, name: str) -> str | None:
    [ent] = [e for e in doc.ents if e.text == name]
    return not_a_person(doc, ent, actor_dictionary(None), doc._.rp_article.day)


def _persons(doc) -> list[str]:
    return [m.text for m in find_mentions(doc) if m.kind == "person"]


def test_a_name_with_a_digit_or_no_lower_case_letter_is_no_person(make_doc) -> None:
    words = ["Turkey", "wants", "F-35s", "and", "the", "PNH", "acted", "."]
    ents = ["B-GPE", "O", "B-PERSON", "O", "O", "B-PERSON", "O", "O"]
    pos = ["PROPN", "VERB", "PROPN", "CCONJ", "DET", "PROPN", "VERB", "PUNCT"]
    doc = _doc(make_doc, words, ents, pos)
    assert _rule(doc, "F-35s") == "nonperson:form"
    assert _rule(doc, "PNH") == "nonperson:form"
    assert _persons(doc) == []


def test_organization_and_place_words_make_no_person(make_doc) -> None:
    words = ["Dezan", "Shira", "&", "Associates", "reported", "from", "Ghazni", "province", "."]
    ents = ["B-PERSON", "I-PERSON", "I-PERSON", "I-PERSON", "O", "O", "B-PERSON", "I-PERSON", "O"]
    pos = ["PROPN", "PROPN", "CCONJ", "PROPN", "VERB", "ADP", "PROPN", "NOUN", "PUNCT"]
    doc = _doc(make_doc, words, ents, pos)
    assert _rule(doc, "Dezan Shira & Associates") == "nonperson:org-word"
    assert _rule(doc, "Ghazni province") == "nonperson:place-word"


def test_a_known_place_is_no_person_but_a_surname_of_a_person_named_in_full_is(make_doc) -> None:
    words = ["Soli", "Ozel", "spoke", "in", "Istanbul", ";", "Ozel", "said", "so", "."]
    ents = ["B-PERSON", "I-PERSON", "O", "O", "B-PERSON", "O", "B-PERSON", "O", "O", "O"]
    pos = ["PROPN", "PROPN", "VERB", "ADP", "PROPN", "PUNCT", "PROPN", "VERB", "ADV", "PUNCT"]
    doc = _doc(make_doc, words, ents, pos)
    assert _rule(doc, "Istanbul") == "nonperson:place"
    assert _persons(doc) == ["Soli Ozel", "Ozel"]


def test_a_headline_name_found_nowhere_else_is_no_person(make_doc) -> None:
    words = ["Civilians", "Bear", "Brunt", "\n\n", "Villagers", "fled", "the", "forest", "."]
    ents = ["O", "B-PERSON", "I-PERSON", "O", "O", "O", "O", "O", "O"]
    pos = ["NOUN", "PROPN", "PROPN", "SPACE", "NOUN", "VERB", "DET", "NOUN", "PUNCT"]
    doc = _doc(make_doc, words, ents, pos)
    assert _rule(doc, "Bear Brunt") == "nonperson:heading"
    # the same name in the body as well: a person in the headline too
    words2 = ["Erdogan", "Warns", "\n\n", "Erdogan", "said", "no", "."]
    ents2 = ["B-PERSON", "O", "O", "B-PERSON", "O", "O", "O"]
    doc2 = _doc(make_doc, words2, ents2, date="2021-03-18")
    assert not_a_person(doc2, doc2.ents[0], actor_dictionary(None), None) is None


def test_a_lone_word_is_a_person_only_when_the_text_explains_it(make_doc) -> None:
    words = ["Math", "was", "hard", ",", "Carmella", "said", "."]
    ents = ["B-PERSON", "O", "O", "O", "B-PERSON", "O", "O"]
    pos = ["PROPN", "AUX", "ADJ", "PUNCT", "PROPN", "VERB", "PUNCT"]
    heads = [1, 1, 1, 5, 5, 5, 5]
    deps = ["nsubj", "ccomp", "acomp", "punct", "nsubj", "ROOT", "punct"]
    lemmas = ["math", "be", "hard", ",", "carmella", "say", "."]
    doc = _doc(make_doc, words, ents, pos, heads=heads, deps=deps, lemmas=lemmas)
    assert _rule(doc, "Math") == "nonperson:lone-word"
    assert _rule(doc, "Carmella") is None  # the speaker of "said"


def test_a_dictionary_person_is_never_ruled_out(make_doc) -> None:
    doc = _doc(make_doc, ["Blinken", "spoke", "."], ["B-PERSON", "O", "O"])
    assert _rule(doc, "Blinken") is None  # one word, but the dated dictionary knows him
    caps = _doc(make_doc, ["BLINKEN", "spoke", "."], ["B-PERSON", "O", "O"])
    assert _rule(caps, "BLINKEN") is None
    other = _doc(make_doc, ["ZORBLAT", "spoke", "."], ["B-PERSON", "O", "O"])
    assert _rule(other, "ZORBLAT") == "nonperson:form"


def test_the_gazetteer_matches_after_a_lower_case_article() -> None:
    hits = scan_gazetteer("The fight against al-Shabab militants goes on.")
    assert [(h.name, h.country, h.sector) for h in hits] == [("al-Shabaab", "SOM", "REB")]


def _person(doc, text: str) -> Mention:
    start = doc.text.index(text)
    return Mention(text=text, start=start, end=start + len(text), kind="person", name=text)


def test_demonym_before_an_unknown_title(make_doc) -> None:
    words = ["American", "energy", "consultant", "John", "Rockhold", "spoke", "."]
    pos = ["ADJ", "NOUN", "NOUN", "PROPN", "PROPN", "VERB", "PUNCT"]
    ents = ["B-NORP", "O", "O", "B-PERSON", "I-PERSON", "O", "O"]
    doc = _doc(make_doc, words, ents, pos)
    assert _country_near(doc, _person(doc, "John Rockhold")) == ("USA", "person:demonym")
    # a thing, not a role, between the demonym and the name: no evidence
    words[2] = "reluctance"
    doc = _doc(make_doc, words, ents, pos)
    assert _country_near(doc, _person(doc, "John Rockhold")) is None


def test_of_phrase_after_the_name(make_doc) -> None:
    words = ["Congressman", "Andy", "Levin", "of", "Michigan", "spoke", "."]
    pos = ["PROPN", "PROPN", "PROPN", "ADP", "PROPN", "VERB", "PUNCT"]
    ents = ["O", "B-PERSON", "I-PERSON", "O", "B-GPE", "O", "O"]
    doc = _doc(make_doc, words, ents, pos)
    assert _country_near(doc, _person(doc, "Andy Levin")) == ("USA", "person:of")


def test_apposition_after_and_before_the_name(make_doc) -> None:
    words = ["Francesco", "Sisci", ",", "an", "Italian", "Sinologist", ",", "spoke", "."]
    pos = ["PROPN", "PROPN", "PUNCT", "DET", "ADJ", "PROPN", "PUNCT", "VERB", "PUNCT"]
    ents = ["B-PERSON", "I-PERSON", "O", "O", "B-NORP", "O", "O", "O", "O"]
    doc = _doc(make_doc, words, ents, pos)
    assert _country_near(doc, _person(doc, "Francesco Sisci")) == ("ITA", "person:apposition")
    words = ["Fame", "came", "to", "a", "Russian", "celebrity", ",", "Vlad", "Kokol", "."]
    pos = ["NOUN", "VERB", "ADP", "DET", "ADJ", "NOUN", "PUNCT", "PROPN", "PROPN", "PUNCT"]
    ents = ["O", "O", "O", "O", "B-NORP", "O", "O", "B-PERSON", "I-PERSON", "O"]
    doc = _doc(make_doc, words, ents, pos)
    assert _country_near(doc, _person(doc, "Vlad Kokol")) == ("RUS", "person:apposition")


def test_a_state_a_role_is_about_is_not_the_persons_country(make_doc) -> None:
    words = ["Gregory", "Brew", ",", "a", "senior", "Iran", "analyst", ",", "spoke", "."]
    pos = ["PROPN", "PROPN", "PUNCT", "DET", "ADJ", "PROPN", "NOUN", "PUNCT", "VERB", "PUNCT"]
    ents = ["B-PERSON", "I-PERSON", "O", "O", "O", "B-GPE", "O", "O", "O", "O"]
    doc = _doc(make_doc, words, ents, pos)
    assert _country_near(doc, _person(doc, "Gregory Brew")) is None
    [brew] = [m for m in find_mentions(doc) if m.kind == "person"]
    assert brew.country is None  # not IRN from the title "Iran analyst"


def test_a_news_outlets_reporter(make_doc) -> None:
    words = ["VOA", "'s", "Sahra", "Ahmed", "contributed", "."]
    pos = ["PROPN", "PART", "PROPN", "PROPN", "VERB", "PUNCT"]
    ents = ["B-ORG", "O", "B-PERSON", "I-PERSON", "O", "O"]
    doc = _doc(make_doc, words, ents, pos)
    assert _country_near(doc, _person(doc, "Sahra Ahmed")) == ("USA", "person:outlet")


def test_a_role_without_an_article_gives_its_organization_or_seat(make_doc) -> None:
    words = ["Alex", "Gabu", ",", "director", "of", "a", "center", "in", "Berlin", ",", "spoke"]
    pos = ["PROPN", "PROPN", "PUNCT", "NOUN", "ADP", "DET", "NOUN", "ADP", "PROPN", "PUNCT"]
    ents = ["B-PERSON", "I-PERSON", "O", "O", "O", "O", "O", "O", "B-GPE", "O", "O"]
    doc = _doc(make_doc, words, ents, [*pos, "VERB"])
    assert _country_near(doc, _person(doc, "Alex Gabu")) == ("DEU", "person:apposition")
    # an international body named in the role makes the person its staff, not the seat's
    words = ["Simon", "Denh", ",", "WFP", "'s", "country", "director", "in", "Malawi", ",", "spoke"]
    pos = ["PROPN", "PROPN", "PUNCT", "PROPN", "PART", "NOUN", "NOUN", "ADP", "PROPN", "PUNCT"]
    ents = ["B-PERSON", "I-PERSON", "O", "B-ORG", "O", "O", "O", "O", "B-GPE", "O", "O"]
    doc = _doc(make_doc, words, ents, [*pos, "VERB"])
    got = _country_near(doc, _person(doc, "Simon Denh"))
    assert got is not None and got[0].startswith("IGO") and got[1] == "person:apposition"
    # a list of names after a comma is no role
    words = ["Jim", "Rish", ",", "Jeanne", "Shah", "and", "Tom", "Col", "spoke", "."]
    pos = ["PROPN", "PROPN", "PUNCT", "PROPN", "PROPN", "CCONJ", "PROPN", "PROPN", "VERB"]
    ents = ["B-PERSON", "I-PERSON", "O", "B-PERSON", "I-PERSON", "O", "B-PERSON", "I-PERSON"]
    doc = _doc(make_doc, words, [*ents, "O", "O"], [*pos, "PUNCT"])
    assert _country_near(doc, _person(doc, "Jim Rish")) is None


def test_a_seat_in_a_state_is_the_persons_country_but_a_topic_is_not(make_doc) -> None:
    words = ["Ray", "Chik", ",", "a", "co-author", "from", "a", "university", "in", "South"]
    words += ["Africa", ",", "spoke", "."]
    pos = ["PROPN", "PROPN", "PUNCT", "DET", "NOUN", "ADP", "DET", "NOUN", "ADP", "PROPN"]
    pos += ["PROPN", "PUNCT", "VERB", "PUNCT"]
    ents = ["B-PERSON", "I-PERSON", *["O"] * 7, "B-GPE", "I-GPE", "O", "O", "O"]
    doc = _doc(make_doc, words, ents, pos)
    assert _country_near(doc, _person(doc, "Ray Chik")) == ("ZAF", "person:apposition")
    # a topic noun takes "in": "a specialist in South Korea's economy" is no seat
    words = ["Ray", "Chik", ",", "a", "specialist", "in", "Korea", "'s", "economy", ",", "spoke"]
    pos = ["PROPN", "PROPN", "PUNCT", "DET", "NOUN", "ADP", "PROPN", "PART", "NOUN", "PUNCT"]
    ents = ["B-PERSON", "I-PERSON", "O", "O", "O", "O", "O", "O", "O", "O", "O"]
    doc = _doc(make_doc, words, ents, [*pos, "VERB"])
    assert _country_near(doc, _person(doc, "Ray Chik")) is None


def test_a_city_after_from_counts_even_when_the_tagger_calls_it_an_organization(make_doc) -> None:
    words = ["Morg", "Kehr", ",", "a", "firefighter", "from", "Edmonton", ",", "flew", "."]
    pos = ["PROPN", "PROPN", "PUNCT", "DET", "NOUN", "ADP", "PROPN", "PUNCT", "VERB", "PUNCT"]
    ents = ["B-PERSON", "I-PERSON", "O", "O", "O", "O", "B-ORG", "O", "O", "O"]
    doc = _doc(make_doc, words, ents, pos)
    assert _country_near(doc, _person(doc, "Morg Kehr")) == ("CAN", "person:apposition")


def test_a_byline_gives_the_publishers_country(make_doc) -> None:
    words = ["Hana", "Maru", "and", "Abdi", "Barr", "contributed", "to", "this", "report", "."]
    pos = ["PROPN", "PROPN", "CCONJ", "PROPN", "PROPN", "VERB", "ADP", "DET", "NOUN", "PUNCT"]
    ents = ["B-PERSON", "I-PERSON", "O", "B-PERSON", "I-PERSON", "O", "O", "O", "O", "O"]
    doc = make_doc(words, ents=ents, pos=pos)
    doc._.rp_article = Article(id="t", text=doc.text, date="2021-03-18", source="Voice of America")
    from realpolitik.actors.agents import _outlet_country

    outlet = _outlet_country(doc)
    assert outlet == "USA"
    for name in ("Hana Maru", "Abdi Barr"):
        assert _country_near(doc, _person(doc, name), outlet=outlet) == ("USA", "person:byline")
    # the same words in a story's body, not a byline: "contributed" with no outlet known
    doc._.rp_article = Article(id="t", text=doc.text, date="2021-03-18")
    assert _outlet_country(doc) is None
    assert _country_near(doc, _person(doc, "Hana Maru")) is None


def test_an_organization_after_for_is_the_employer_a_state_the_topic(make_doc) -> None:
    words = ["Glen", "Jusn", ",", "a", "spokesperson", "for", "UNHCR", ",", "spoke", "."]
    pos = ["PROPN", "PROPN", "PUNCT", "DET", "NOUN", "ADP", "PROPN", "PUNCT", "VERB", "PUNCT"]
    ents = ["B-PERSON", "I-PERSON", "O", "O", "O", "O", "B-ORG", "O", "O", "O"]
    doc = _doc(make_doc, words, ents, pos)
    got = _country_near(doc, _person(doc, "Glen Jusn"))
    assert got is not None and got[0].startswith("IGO") and got[1] == "person:apposition"
    words[4], words[6] = "envoy", "Syria"
    ents[6] = "B-GPE"
    doc = _doc(make_doc, words, ents, pos)
    assert _country_near(doc, _person(doc, "Glen Jusn")) is None
