"""realpolitik's records on a Doc survive to_bytes, DocBin, to_json and worker processes."""

from __future__ import annotations

import json

import pytest
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from realpolitik.pipeline import code_articles
from realpolitik.records import Actor, Article, Event, Participant, Quote, Span, StageError

TEXTS = [
    "Japan criticized China on Monday.",
    "South Korea and the United States agreed to hold talks, President Biden said.",
    "Russian forces attacked Ukraine on Friday, the defense ministry said.",
]


def _filled(make_doc: object) -> Doc:
    doc: Doc = make_doc(["Japan", "criticized", "China", "."])  # type: ignore[operator]
    japan = Actor(id="a1", name="Japan", kind="state", code="JPN", mentions=[Span("Japan", 0, 5)])
    china = Actor(id="a2", name="China", kind="state", code="CHN", mentions=[Span("China", 17, 22)])
    doc._.rp_article = Article(id="x", text=doc.text, date="2021-03-19", hints={"source": "JPN"})
    doc._.rp_actors = [japan, china]
    doc._.rp_events = [
        Event(
            id="x:e1",
            source=Participant("a1", "JPN", "JPN", "Japan"),
            target=Participant("a2", "CHN", "CHN", "China"),
            cameo="111",
            root="11",
            plover="ACCUSE",
            goldstein=-2.0,
            quad_class=3,
            text=doc.text,
            start=0,
            end=len(doc.text),
            coder="test",
            rule="test",
            confidence=0.5,
            trigger=Span("criticized", 6, 16),
            mentions=[Span("Japan", 0, 5), Span("China", 17, 22)],
        )
    ]
    doc._.rp_quotes = [
        Quote("x:q1", "a1", "Japan", "China", 17, 22, "indirect", "criticized", about=["a2"])
    ]
    doc._.rp_errors = [StageError("relations", "boom")]
    return doc


def _values(doc: Doc) -> tuple[object, ...]:
    return tuple(
        getattr(doc._, f"rp_{n}")
        for n in ("article", "mentions", "actors", "quotes", "events", "relations", "errors")
    )


def test_to_bytes_keeps_typed_records(make_doc: object, blank: Language) -> None:
    doc = _filled(make_doc)
    back = Doc(blank.vocab).from_bytes(doc.to_bytes())
    assert _values(back) == _values(doc)
    assert isinstance(back._.rp_events[0].source, Participant)
    assert isinstance(back._.rp_actors[0].mentions, list)


def test_docbin_keeps_typed_records(make_doc: object, blank: Language) -> None:
    doc = _filled(make_doc)
    bin_ = DocBin(store_user_data=True)
    bin_.add(doc)
    (back,) = DocBin().from_bytes(bin_.to_bytes()).get_docs(blank.vocab)
    assert _values(back) == _values(doc)
    assert isinstance(back._.rp_quotes[0].about, list)
    back._.rp_errors.append(StageError("x", "y"))  # still a list that stays on the Doc
    assert len(back._.rp_errors) == 2


def test_to_json_gives_plain_values(make_doc: object) -> None:
    doc = _filled(make_doc)
    data = doc.to_json(underscore=["rp_json"])["_"]["rp_json"]
    assert json.loads(json.dumps(data)) == data
    assert data["events"][0]["source"]["code"] == "JPN"
    assert data["actors"][1]["mentions"] == [{"text": "China", "start": 17, "end": 22}]
    assert data["article"]["hints"] == {"source": "JPN"}


@pytest.mark.model
@pytest.mark.slow
def test_code_articles_on_two_processes(nlp: Language) -> None:
    articles = [Article(id=str(i), text=t, date="2021-03-19") for i, t in enumerate(TEXTS)]
    one = [r.to_dict() for r in code_articles(articles, nlp=nlp)]
    two = [r.to_dict() for r in code_articles(articles, nlp=nlp, n_process=2, batch_size=1)]
    assert two == one
    assert sum(len(r["events"]) for r in one) >= 2


@pytest.mark.model
@pytest.mark.slow
def test_user_pipe_on_two_processes(nlp: Language) -> None:
    one = [_values(d)[1:] for d in nlp.pipe(TEXTS)]
    two = [_values(d)[1:] for d in nlp.pipe(TEXTS, n_process=2, batch_size=1)]
    assert two == one
    assert any(actors for _m, actors, *_ in one)
