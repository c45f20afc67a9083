"""Shared by the tests (not tests themselves): where things are, and hand-built Docs.

Test modules import from here, never from one another.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import spacy
from spacy.tokens import Doc

from realpolitik.events.extractor import NONE, EventExtractor
from realpolitik.records import Actor, Article, Mention, Quote, Span

# -- paths: the same wherever a test file sits under tests/ ---------------------------------

ROOT = Path(__file__).resolve().parents[1]  # the repository (where pyproject.toml is)
TESTS = ROOT / "tests"
DATA = TESTS / "data"  # small fixtures kept with the tests
SHARED = ROOT.parent / "shared"  # ../shared: large or licensed data, optional
SEED = SHARED / "seed" / "article.txt"  # the founding article


# -- events: actors annotated as the actors stage would, and toy extractor models -----------

# name -> (country, kind)
ACTORS = {
    "Blinken": ("USA", "person"),
    "Austin": ("USA", "person"),
    "Chung": ("KOR", "person"),
    "Suh": ("KOR", "person"),
    "China": ("CHN", "state"),
    "Japan": ("JPN", "state"),
    "Russia": ("RUS", "state"),
}


def annotate(doc: Doc, quotes: list[tuple[int, int, str]] = ()) -> Doc:  # type: ignore[assignment]
    """One actor per known name, one mention per occurrence, as the actors stage would."""
    actors: dict[str, Actor] = {}
    mentions = []
    for tok in doc:
        if tok.text not in ACTORS:
            continue
        country, kind = ACTORS[tok.text]
        actor = actors.setdefault(
            tok.text,
            Actor(
                id=f"a{len(actors) + 1}",
                name=tok.text,
                kind=kind,  # type: ignore[arg-type]
                code=country + ("GOV" if kind == "person" else ""),
                country=country,
            ),
        )
        span = Span(tok.text, tok.idx, tok.idx + len(tok))
        actor.mentions.append(span)
        mentions.append(
            Mention(tok.text, span.start, span.end, kind, country=country, actor=actor.id)
        )  # type: ignore[arg-type]
    doc._.rp_article = Article(id="t", text=doc.text, date="2021-03-18")
    doc._.rp_mentions = mentions
    doc._.rp_actors = list(actors.values())
    doc._.rp_quotes = [
        Quote(
            id=f"q{i}",
            speaker=actors[who].id,
            speaker_text=who,
            text=doc.text[s:e],
            start=s,
            end=e,
            kind="direct",
            cue="said",
        )
        for i, (s, e, who) in enumerate(quotes)
    ]
    doc._.rp_events = []
    return doc


def toy_model(weights: dict[str, dict[str, float]], labels: tuple[str, ...]) -> EventExtractor:
    """A model that scores only the given features: weights[feature][label]."""
    vocab = sorted(weights)
    w = np.zeros((len(vocab), len(labels)), dtype=np.float32)
    for i, f in enumerate(vocab):
        for label, value in weights[f].items():
            w[i, labels.index(label)] = value
    bias = np.zeros(len(labels), dtype=np.float32)
    bias[labels.index(NONE)] = 1.0
    return EventExtractor(labels, vocab, w, bias, {x: 0.5 for x in labels if x != NONE})


def meeting(make_doc) -> Doc:
    # "Blinken and Austin met Chung and Suh ." with a plain parse
    words = ["Blinken", "and", "Austin", "met", "Chung", "and", "Suh", "."]
    heads = [3, 0, 0, 3, 3, 4, 4, 3]
    deps = ["nsubj", "cc", "conj", "ROOT", "dobj", "cc", "conj", "punct"]
    pos = ["PROPN", "CCONJ", "PROPN", "VERB", "PROPN", "CCONJ", "PROPN", "PUNCT"]
    lemmas = ["Blinken", "and", "Austin", "meet", "Chung", "and", "Suh", "."]
    return annotate(make_doc(words, heads=heads, deps=deps, pos=pos, lemmas=lemmas))


# -- quotes: Docs parsed by hand from token tables -------------------------------------------

_VOCAB = spacy.blank("en").vocab

PARA = "\u00b6"  # stands for a "\n\n" token in the token tables below


def parsed_doc(text: str, table: str) -> Doc:
    """Build a parsed Doc from ``text`` and one line per token: WORD POS DEP HEAD [LEMMA] [ENT].

    HEAD is the absolute index of the head token; ENT is an IOB tag such as B-PERSON.
    Spaces are read off ``text``, which must be the words in order.
    """
    rows = [line.split() for line in table.splitlines() if line.strip()]
    words = ["\n\n" if r[0] == PARA else r[0] for r in rows]
    spaces: list[bool] = []
    pos = 0
    for w in words:
        pos = text.index(w, pos) + len(w)
        spaces.append(pos < len(text) and text[pos] == " ")
        if spaces[-1]:
            pos += 1
    doc = Doc(
        _VOCAB,
        words=words,
        spaces=spaces,
        pos=[r[1] for r in rows],
        deps=[r[2] for r in rows],
        heads=[int(r[3]) for r in rows],
        lemmas=[r[4] if len(r) > 4 and r[4] != "-" else r[0].lower() for r in rows],
        ents=[r[5] if len(r) > 5 else "O" for r in rows],
    )
    assert doc.text == text, (doc.text, text)
    return doc


def span_text(doc: Doc, span: tuple[int, int] | None) -> str | None:
    return None if span is None else doc.text[span[0] : span[1]]
