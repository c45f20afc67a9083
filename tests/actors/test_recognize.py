"""Actor recognition and resolution on hand-built Docs (no trained model)."""

from __future__ import annotations

from realpolitik.actors.recognize import find_mentions, scan_gazetteer
from realpolitik.actors.resolve import resolve_actors
from realpolitik.records import Article


def test_hyphenated_compound_names_each_state() -> None:
    text = "The U.S.-Japan-South Korea alliance and the Kremlin."
    hits = scan_gazetteer(text)
    assert [(text[h.start : h.end], h.country, h.sector) for h in hits] == [
        ("U.S.", "USA", None),
        ("Japan", "JPN", None),
        ("South Korea", "KOR", None),
        ("Kremlin", "RUS", "GOV"),
    ]


def test_demonym_is_not_matched_inside_a_longer_word() -> None:
    hits = scan_gazetteer("South Korean officials met Chinese envoys.")
    assert [(h.country, h.column) for h in hits] == [("KOR", "adjective"), ("CHN", "adjective")]


def test_place_words_that_name_no_actor_are_skipped() -> None:
    assert [h.country for h in scan_gazetteer("Peace on the Korean Peninsula.")] == []


def _doc(make_doc, words, ents, pos=None, date="2021-03-18"):
    doc = make_doc(words, ents=ents, pos=pos or ["PROPN"] * len(words))
    doc._.rp_article = Article(id="t", text=doc.text, date=date)
    return doc


def test_title_gives_role_sector_and_country(make_doc) -> None:
    words = ["South", "Korean", "Foreign", "Minister", "Chung", "Eui-yong", "spoke", "."]
    ents = ["B-NORP", "I-NORP", "O", "O", "B-PERSON", "I-PERSON", "O", "O"]
    pos = ["PROPN", "PROPN", "PROPN", "PROPN", "PROPN", "PROPN", "VERB", "PUNCT"]
    doc = _doc(make_doc, words, ents, pos)
    [person] = [m for m in find_mentions(doc) if m.kind == "person"]
    assert (person.text, person.role, person.sector, person.country) == (
        "Chung Eui-yong",
        "foreign minister",
        "GOV",
        "KOR",
    )


def test_a_title_ends_at_a_conjunction_before_it(make_doc) -> None:
    # "Talks reached Mauritius after U.S. President Smith spoke ." (NER took Mauritius for a
    # person): the title is "U.S. President", not "Mauritius after U.S. President"
    words = ["Talks", "reached", "Mauritius", "after", "U.S.", "President", "Smith", "spoke", "."]
    ents = ["O", "O", "B-PERSON", "O", "B-GPE", "O", "B-PERSON", "O", "O"]
    pos = ["NOUN", "VERB", "PROPN", "SCONJ", "PROPN", "PROPN", "PROPN", "VERB", "PUNCT"]
    mentions = find_mentions(_doc(make_doc, words, ents, pos))
    [person] = [m for m in mentions if m.kind == "person"]
    assert (person.text, person.role, person.country) == ("Smith", "president", "USA")
    # and the state the wrong title had swallowed is a mention again
    assert [(m.text, m.country) for m in mentions if m.kind == "state"] == [("Mauritius", "MUS")]


def test_a_surname_mistagged_as_a_place_is_a_person_by_the_dated_dictionary(make_doc) -> None:
    words = ["Blinken", "criticized", "China", "."]
    ents = ["B-GPE", "O", "B-GPE", "O"]
    doc = _doc(make_doc, words, ents, ["PROPN", "VERB", "PROPN", "PUNCT"])
    mentions = find_mentions(doc)
    assert [(m.text, m.kind) for m in mentions] == [("Blinken", "person"), ("China", "state")]
    actors = resolve_actors(doc, mentions)
    blinken = actors[0]
    assert (blinken.name, blinken.country, blinken.sector) == ("Antony Blinken", "USA", "GOV")


def test_variants_resolve_to_one_person_and_namesakes_stay_apart(make_doc) -> None:
    words = [
        "Hwang",
        "Ji-hwan",
        "met",
        "Kim",
        "Jong-un",
        ";",
        "Ji-hwan",
        "Hwang",
        "and",
        "Kim",
        "Yo-jong",
        "left",
        ".",
    ]
    ents = [
        "B-PERSON",
        "I-PERSON",
        "O",
        "B-PERSON",
        "I-PERSON",
        "O",
        "B-PERSON",
        "I-PERSON",
        "O",
        "B-PERSON",
        "I-PERSON",
        "O",
        "O",
    ]
    doc = _doc(make_doc, words, ents, date="2019-01-01")
    actors = resolve_actors(doc, find_mentions(doc))
    people = {a.name: sorted(m.text for m in a.mentions) for a in actors if a.kind == "person"}
    assert people["Hwang Ji-hwan"] == ["Hwang Ji-hwan", "Ji-hwan Hwang"]
    assert len([n for n in people if n.startswith("Kim")]) == 2


def test_appositive_role_and_affiliation(make_doc) -> None:
    words = ["Ana", "Lopez", ",", "a", "professor", "at", "Tokyo", "University", ",", "said", "."]
    ents = ["B-PERSON", "I-PERSON", "O", "O", "O", "O", "B-ORG", "I-ORG", "O", "O", "O"]
    pos = [
        "PROPN",
        "PROPN",
        "PUNCT",
        "DET",
        "NOUN",
        "ADP",
        "PROPN",
        "PROPN",
        "PUNCT",
        "VERB",
        "PUNCT",
    ]
    doc = _doc(make_doc, words, ents, pos)
    mentions = find_mentions(doc)
    person = next(m for m in mentions if m.kind == "person")
    assert (person.role, person.sector, person.country) == ("professor", "EDU", "JPN")
    assert person.org == "Tokyo University"


def test_a_province_or_city_in_a_role_gives_its_country(make_doc) -> None:
    # "Ana Lopez , a professor in Honolulu , said ." / "..., the envoy for Houston , said ."
    def person(place_word: str, prep: str, role: str):
        words = ["Ana", "Lopez", ",", "a", role, prep, place_word, ",", "said", "."]
        ents = ["B-PERSON", "I-PERSON", "O", "O", "O", "O", "B-GPE", "O", "O", "O"]
        pos = ["PROPN", "PROPN", "PUNCT", "DET", "NOUN", "ADP", "PROPN", "PUNCT", "VERB", "PUNCT"]
        found = find_mentions(_doc(make_doc, words, ents, pos))
        return next(m for m in found if m.kind == "person")

    assert person("Honolulu", "in", "professor").country == "USA"
    assert person("Kharkiv", "in", "professor").country == "UKR"
    # the place a role is about is not the person's home
    assert person("Houston", "for", "envoy").country is None
    # a state in a role is the actor gazetteer's, with its topic rule ("an Iran analyst")
    assert person("Iran", "in", "professor").country == "IRN"
    # a town too small to be sure of stays unused
    assert person("Boua", "in", "professor").country is None


def test_the_place_a_title_is_of_is_no_person(make_doc) -> None:
    # "Zaia , governor of the Veneto region , spoke ." and "Congressman Levin of Ohio spoke ."
    words = ["Zaia", ",", "governor", "of", "the", "Veneto", "region", ",", "spoke", "."]
    ents = ["B-PERSON", "O", "O", "O", "O", "B-GPE", "O", "O", "O", "O"]
    pos = ["PROPN", "PUNCT", "NOUN", "ADP", "DET", "PROPN", "NOUN", "PUNCT", "VERB", "PUNCT"]
    found = find_mentions(_doc(make_doc, words, ents, pos))
    assert [m.text for m in found if m.kind == "person"] == ["Zaia"]
    words = ["Congressman", "Tim", "Levin", "of", "Ohio", "spoke", "."]
    ents = ["O", "B-PERSON", "I-PERSON", "O", "B-GPE", "O", "O"]
    pos = ["PROPN", "PROPN", "PROPN", "ADP", "PROPN", "VERB", "PUNCT"]
    found = find_mentions(_doc(make_doc, words, ents, pos))
    assert [(m.text, m.country) for m in found if m.kind == "person"] == [("Tim Levin", "USA")]
    # a name NER took for a place is still a person after a title ("Secretary Blinken")
    words = ["Secretary", "Blinken", "spoke", "."]
    found = find_mentions(
        _doc(make_doc, words, ["O", "B-GPE", "O", "O"], ["PROPN"] * 2 + ["VERB", "PUNCT"])
    )
    assert [m.text for m in found if m.kind == "person"] == ["Blinken"]


def test_plural_demonyms_name_the_state() -> None:
    hits = scan_gazetteer("The Israelis and the Palestinians met.")
    assert [h.country for h in hits] == ["ISR", "PSE"]


def test_a_group_noun_after_a_state_word_gives_the_sector(make_doc) -> None:
    words = ["The", "Israeli", "army", "and", "Syrian", "officials", "met", "."]
    pos = ["DET", "ADJ", "NOUN", "CCONJ", "ADJ", "NOUN", "VERB", "PUNCT"]
    doc = _doc(make_doc, words, ["O"] * len(words), pos)
    states = [(m.text, m.country, m.sector) for m in find_mentions(doc) if m.kind == "state"]
    assert states == [("Israeli", "ISR", "MIL"), ("Syrian", "SYR", "GOV")]
    codes = {a.code for a in resolve_actors(doc, find_mentions(doc))}
    assert codes == {"ISRMIL", "SYRGOV"}


def test_of_country_after_a_name(make_doc) -> None:
    words = ["King", "Hassan", "of", "Morocco", "spoke", "."]
    ents = ["O", "B-PERSON", "O", "B-GPE", "O", "O"]
    pos = ["PROPN", "PROPN", "ADP", "PROPN", "VERB", "PUNCT"]
    doc = _doc(make_doc, words, ents, pos)
    [person] = [m for m in find_mentions(doc) if m.kind == "person"]
    assert (person.text, person.country) == ("Hassan", "MAR")


def test_a_users_dictionary_adds_to_the_packaged_one(make_doc, tmp_path) -> None:
    user = tmp_path / "mine.yaml"
    user.write_text(
        "- name: Amara Okonjo-Bello\n  country: NGA\n  roles:\n"
        "    - {title: Foreign Minister, sector: GOV, start: 2020-01-01}\n",
        encoding="utf-8",
    )
    words = ["Amara", "Okonjo-Bello", "met", "Blinken", "."]
    ents = ["B-PERSON", "I-PERSON", "O", "B-PERSON", "O"]
    doc = _doc(make_doc, words, ents, ["PROPN", "PROPN", "VERB", "PROPN", "PUNCT"])
    mine = str(user)  # the actors component's `dictionary` setting ($REALPOLITIK_DICTIONARY)
    mentions = find_mentions(doc, dictionary_path=mine)
    actors = {a.name: a.code for a in resolve_actors(doc, mentions, dictionary_path=mine)}
    assert actors == {"Amara Okonjo-Bello": "NGAGOV", "Antony Blinken": "USAGOV"}


def test_an_administration_named_after_an_office_holder_gets_their_country(make_doc) -> None:
    words = ["The", "Biden", "administration", "criticized", "China", "."]
    ents = ["O", "B-ORG", "I-ORG", "O", "B-GPE", "O"]
    pos = ["DET", "PROPN", "NOUN", "VERB", "PROPN", "PUNCT"]
    doc = _doc(make_doc, words, ents, pos)
    codes = {a.name: a.code for a in resolve_actors(doc, find_mentions(doc))}
    assert codes == {"Biden administration": "USAGOV", "China": "CHN"}
