"""Standing relations on hand-built Docs: mentions and actors are set by hand, so these tests
pin the relation patterns down without depending on the actor recognizer or a trained model."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from realpolitik.errors import DictionaryError
from realpolitik.records import Actor, Article, Mention, Quote
from realpolitik.relations import extract_relations, load_cues

# id, name, kind, country
ACTORS = {
    "usa": ("United States", "state", "USA"),
    "jpn": ("Japan", "state", "JPN"),
    "kor": ("South Korea", "state", "KOR"),
    "chn": ("China", "state", "CHN"),
    "prk": ("North Korea", "state", "PRK"),
    "quad": ("Quadrilateral Security Dialogue", "organization", None),
    "blinken": ("Antony Blinken", "person", "USA"),
    "rok_gov": ("South Korea (GOV)", "organization", "KOR"),
    "speaker": ("Some Expert", "person", "KOR"),
}


def annotate(doc: Doc, spans: Sequence[tuple[str, str]], *, article: str = "t") -> Doc:
    """Set rp_mentions/rp_actors: each (phrase, actor id) marks the next occurrence of phrase."""
    mentions: list[Mention] = []
    cursor: dict[str, int] = {}
    for phrase, actor in spans:
        start = doc.text.index(phrase, cursor.get(phrase, 0))
        cursor[phrase] = start + 1
        _name, kind, country = ACTORS[actor]
        mentions.append(
            Mention(phrase, start, start + len(phrase), kind, country=country, actor=actor)  # type: ignore[arg-type]
        )
    mentions.sort(key=lambda m: m.start)
    used = {m.actor for m in mentions}
    doc._.rp_mentions = mentions
    doc._.rp_actors = [
        Actor(id=a, name=ACTORS[a][0], kind=ACTORS[a][1], country=ACTORS[a][2])  # type: ignore[arg-type]
        for a in ACTORS
        if a in used
    ]
    doc._.rp_article = Article(id=article, text=doc.text)
    doc._.rp_quotes = []
    return doc


def words(sentence: str) -> list[str]:
    """Tokens of a sentence written with spaces around punctuation."""
    return sentence.split()


def pairs(doc: Doc) -> set[tuple[str, str, str, bool]]:
    return {(r.kind, r.a, r.b, r.negated) for r in extract_relations(doc)}


def test_compound_alliance_gives_one_relation_per_pair(make_doc):
    # spaCy keeps "U.S.-Japan-South" as one token: the mentions are character spans inside it
    doc = make_doc(["The", "U.S.-Japan-South", "Korea", "alliance", "is", "central", "."])
    annotate(doc, [("U.S.", "usa"), ("Japan", "jpn"), ("South Korea", "kor")])
    rels = extract_relations(doc)
    assert {(r.kind, frozenset((r.a, r.b))) for r in rels} == {
        ("alliance", frozenset({"usa", "jpn"})),
        ("alliance", frozenset({"usa", "kor"})),
        ("alliance", frozenset({"jpn", "kor"})),
    }
    for r in rels:
        assert doc.text[r.start : r.end] == r.text == "U.S.-Japan-South Korea alliance"
        assert r.id.startswith("t:r") and r.component.startswith("realpolitik.relations/")
    assert len({r.id for r in rels}) == 3


def test_copular_ally_of(make_doc):
    doc = make_doc(words("South Korea is an ally of the United States ."))
    annotate(doc, [("South Korea", "kor"), ("United States", "usa")])
    (rel,) = extract_relations(doc)
    assert (rel.kind, {rel.a, rel.b}, rel.negated) == ("alliance", {"kor", "usa"}, False)
    assert rel.text == "South Korea is an ally of the United States"


def test_a_party_after_a_preposition_is_no_subject(make_doc):
    doc = make_doc(words("It showed the importance of Japan as an ally for the United States ."))
    annotate(doc, [("Japan", "jpn"), ("United States", "usa")])
    assert extract_relations(doc) == []


def test_negated_alliance(make_doc):
    doc = make_doc(words("Japan is not an ally of China ."))
    annotate(doc, [("Japan", "jpn"), ("China", "chn")])
    assert pairs(doc) == {("alliance", "jpn", "chn", True)}


def test_plural_agent_noun_pairs_the_subjects(make_doc):
    doc = make_doc(words("Japan and South Korea are close partners ."))
    annotate(doc, [("Japan", "jpn"), ("South Korea", "kor")])
    assert pairs(doc) == {("partnership", "jpn", "kor", False)}


def test_our_ally_is_the_speakers(make_doc):
    doc = make_doc(words("Japan is our closest ally , Blinken said ."))
    annotate(doc, [("Japan", "jpn"), ("Blinken", "blinken")])
    end = doc.text.index(", Blinken")
    doc._.rp_quotes = [
        Quote("t:q1", "blinken", "Blinken", doc.text[:end], 0, end, "direct", "said")
    ]
    assert pairs(doc) == {("alliance", "jpn", "blinken", False)}
    # outside a quotation "our" names nobody
    doc._.rp_quotes = []
    assert extract_relations(doc) == []


def test_membership_needs_an_organization(make_doc):
    doc = make_doc(words("Japan is a member of the Quad ."))
    annotate(doc, [("Japan", "jpn"), ("Quad", "quad")])
    assert pairs(doc) == {("membership", "jpn", "quad", False)}
    # a member "of" a state is no membership
    doc = make_doc(words("Japan is a member of China ."))
    annotate(doc, [("Japan", "jpn"), ("China", "chn")])
    assert pairs(doc) == set()


def test_owner_first_membership(make_doc):
    doc = make_doc(words("Quad members Japan and the United States met ."))
    annotate(doc, [("Quad", "quad"), ("Japan", "jpn"), ("United States", "usa")])
    assert pairs(doc) == {
        ("membership", "jpn", "quad", False),
        ("membership", "usa", "quad", False),
    }


def test_rivalry_between(make_doc):
    doc = make_doc(words("The rivalry between China and the United States grows ."))
    annotate(doc, [("China", "chn"), ("United States", "usa")])
    assert pairs(doc) == {("rivalry", "chn", "usa", False)}


def test_relations_within_one_country_are_dropped(make_doc):
    doc = make_doc(["The", "Korea-ROK", "alliance", "."])
    annotate(doc, [("Korea", "kor"), ("ROK", "rok_gov")])
    assert extract_relations(doc) == []


def test_compound_mention_is_split_by_parts_known_elsewhere(make_doc):
    tokens = ["The", "U.S.", "and", "Japan", "met", ".", "The", "U.S.-Japan", "alliance", "holds"]
    doc = make_doc(tokens)
    # the recognizer read "U.S.-Japan" as one actor; both halves are mentions elsewhere
    annotate(doc, [("U.S.", "usa"), ("Japan", "jpn"), ("U.S.-Japan", "quad")])
    assert {(r.kind, frozenset((r.a, r.b))) for r in extract_relations(doc)} == {
        ("alliance", frozenset({"usa", "jpn"}))
    }


def test_subject_of_a_coordinated_verb_from_the_parse(make_doc):
    tokens = words(
        "South Korea is an ally of the United States and has a strategic partnership with China ."
    )
    heads = [1, 2, 2, 4, 2, 4, 8, 8, 5, 2, 2, 13, 13, 10, 13, 14, 2]
    deps = [
        "compound", "nsubj", "ROOT", "det", "attr", "prep", "det", "compound", "pobj", "cc",
        "conj", "det", "amod", "dobj", "prep", "pobj", "punct",
    ]  # fmt: skip
    pos = [
        "PROPN", "PROPN", "AUX", "DET", "NOUN", "ADP", "DET", "PROPN", "PROPN", "CCONJ", "VERB",
        "DET", "ADJ", "NOUN", "ADP", "PROPN", "PUNCT",
    ]  # fmt: skip
    spans = [("South Korea", "kor"), ("United States", "usa"), ("China", "chn")]
    parsed = annotate(make_doc(tokens, heads=heads, deps=deps, pos=pos), spans)
    assert pairs(parsed) == {
        ("alliance", "kor", "usa", False),
        ("partnership", "kor", "chn", False),
    }
    # without a parse the subject of "has" is unknown: nothing is invented for the partnership
    flat = annotate(make_doc(tokens), spans)
    assert pairs(flat) == {("alliance", "kor", "usa", False)}


def test_agent_noun_after_a_copula_only(make_doc):
    # the subject of "remains" is an ally; the subject of "arrested" is no member
    tokens = words("Japan , officials said , remains a loyal ally of the United States .")
    heads = [5, 5, 3, 5, 5, 5, 8, 8, 5, 8, 12, 12, 9, 5]
    deps = [
        "nsubj", "punct", "nsubj", "parataxis", "punct", "ROOT", "det", "amod", "attr", "prep",
        "det", "compound", "pobj", "punct",
    ]  # fmt: skip
    pos = [
        "PROPN", "PUNCT", "NOUN", "VERB", "PUNCT", "VERB", "DET", "ADJ", "NOUN", "ADP", "DET",
        "PROPN", "PROPN", "PUNCT",
    ]  # fmt: skip
    lemmas = [t.lower() for t in tokens]
    lemmas[5] = "remain"
    doc = make_doc(tokens, heads=heads, deps=deps, pos=pos, lemmas=lemmas)
    annotate(doc, [("Japan", "jpn"), ("United States", "usa")])
    assert pairs(doc) == {("alliance", "jpn", "usa", False)}

    tokens = words("Japan arrested a member of the Quad .")
    heads = [1, 1, 3, 1, 3, 6, 4, 1]
    deps = ["nsubj", "ROOT", "det", "dobj", "prep", "det", "pobj", "punct"]
    pos = ["PROPN", "VERB", "DET", "NOUN", "ADP", "DET", "PROPN", "PUNCT"]
    doc = make_doc(tokens, heads=heads, deps=deps, pos=pos)
    annotate(doc, [("Japan", "jpn"), ("Quad", "quad")])
    assert extract_relations(doc) == []


def test_threat_perceived_by_the_subject(make_doc):
    tokens = words("Blinken pointed out the threats posed by China and North Korea .")
    heads = [1, 1, 1, 4, 1, 4, 5, 6, 7, 10, 7, 1]
    deps = [
        "nsubj", "ROOT", "prt", "det", "dobj", "acl", "agent", "pobj", "cc", "compound", "conj",
        "punct",
    ]  # fmt: skip
    pos = [
        "PROPN", "VERB", "ADP", "DET", "NOUN", "VERB", "ADP", "PROPN", "CCONJ", "PROPN", "PROPN",
        "PUNCT",
    ]  # fmt: skip
    doc = make_doc(tokens, heads=heads, deps=deps, pos=pos)
    annotate(doc, [("Blinken", "blinken"), ("China", "chn"), ("North Korea", "prk")])
    assert pairs(doc) == {("threat", "blinken", "chn", False), ("threat", "blinken", "prk", False)}


def test_threat_to_a_named_party(make_doc):
    doc = make_doc(words("They cut the threat posed by North Korea to the United States ."))
    annotate(doc, [("North Korea", "prk"), ("United States", "usa")])
    assert pairs(doc) == {("threat", "usa", "prk", False)}


def test_threat_inside_a_quotation_is_the_speakers(make_doc):
    doc = make_doc(words("The Chinese threat is real , he said ."))
    annotate(doc, [("Chinese", "chn")])
    end = doc.text.index(", he")
    doc._.rp_quotes = [Quote("t:q1", "speaker", "he", doc.text[:end], 0, end, "indirect", "said")]
    assert pairs(doc) == {("threat", "speaker", "chn", False)}
    # no quotation and no parse: nobody perceives it, so no relation
    doc._.rp_quotes = []
    assert extract_relations(doc) == []


def test_copular_threat_source(make_doc):
    doc = make_doc(words("China is a long-term challenge , the minister said ."))
    annotate(doc, [("China", "chn")])
    end = doc.text.index(", the")
    doc._.rp_quotes = [
        Quote("t:q1", "blinken", "minister", doc.text[:end], 0, end, "indirect", "said")
    ]
    assert pairs(doc) == {("threat", "blinken", "chn", False)}


def test_a_subject_before_a_finite_verb_is_no_modifier(make_doc):
    tokens = words("Korea faces threats every day .")
    tags = ["NNP", "VBZ", "NNS", "DT", "NN", "."]
    doc = make_doc(tokens, tags=tags)
    annotate(doc, [("Korea", "kor")])
    doc._.rp_quotes = [Quote("t:q1", "blinken", "", doc.text, 0, len(doc.text), "indirect", "said")]
    assert extract_relations(doc) == []


def test_if_clause_states_no_relation(make_doc):
    tokens = words("If Japan becomes a member of the Quad , China will object .")
    deps = [
        "mark", "nsubj", "advcl", "det", "attr", "prep", "det", "pobj", "punct", "nsubj", "aux",
        "ROOT", "punct",
    ]  # fmt: skip
    heads = [2, 2, 11, 4, 2, 4, 7, 5, 11, 11, 11, 11, 11]
    pos = [
        "SCONJ", "PROPN", "VERB", "DET", "NOUN", "ADP", "DET", "PROPN", "PUNCT", "PROPN", "AUX",
        "VERB", "PUNCT",
    ]  # fmt: skip
    doc = make_doc(tokens, heads=heads, deps=deps, pos=pos)
    annotate(doc, [("Japan", "jpn"), ("Quad", "quad"), ("China", "chn")])
    assert extract_relations(doc) == []


def test_no_mentions_no_relations(make_doc):
    doc = make_doc(words("The alliance is strong ."))
    doc._.rp_mentions = []
    assert extract_relations(doc) == []


def test_component_runs_in_a_pipeline_and_records_failures():
    nlp = spacy.blank("en")
    nlp.add_pipe("realpolitik_relations")
    doc = nlp.make_doc("South Korea is an ally of the United States.")
    annotate(doc, [("South Korea", "kor"), ("United States", "usa")])
    doc = nlp.get_pipe("realpolitik_relations")(doc)
    assert [(r.kind, r.a, r.b) for r in doc._.rp_relations] == [("alliance", "kor", "usa")]
    broken = nlp.make_doc("x")
    broken._.rp_mentions = [object()]  # a bug upstream must not lose the article
    broken = nlp.get_pipe("realpolitik_relations")(broken)
    assert broken._.rp_relations == []
    assert broken._.rp_errors and broken._.rp_errors[-1].stage == "relations"


def test_packaged_cues_cover_every_kind():
    cues = load_cues()
    assert {c.kind for c in cues} == {"alliance", "partnership", "membership", "rivalry", "threat"}


def test_malformed_cue_file_names_the_line(tmp_path: Path):
    bad = tmp_path / "cues.tsv"
    bad.write_text("kind\tcue\tform\nalliance\tally\tagent\nfriendship\tpal\tagent\n")
    with pytest.raises(DictionaryError, match="line 3"):
        load_cues(str(bad))


@pytest.mark.model
def test_relations_with_the_real_pipeline(nlp):
    text = "Australia is an ally of the United States and has a strategic partnership with India."
    doc = nlp(text)
    actors = {a.id: a for a in doc._.rp_actors}
    got = {
        (r.kind, frozenset((actors[r.a].country, actors[r.b].country))) for r in doc._.rp_relations
    }
    assert ("alliance", frozenset({"AUS", "USA"})) in got
    assert ("partnership", frozenset({"AUS", "IND"})) in got
    assert not any(k == "partnership" and "USA" in c for k, c in got)
