"""Fuzzing the input side (issue 19): random unicode, right-to-left mixes, HTML junk, repeated
marks, long lines, wrong JSON types and bad metadata, through the readers and ``code()``.

Nothing may raise but the documented :class:`~realpolitik.errors.InputError` family, nothing
may hang (every call runs under a time limit), and every span lies inside the text and points
to its characters. The budget is modest so the file runs in the normal test run;
``benchmarks/fuzz.py`` runs many more inputs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

import realpolitik
from helpers import DATA
from realpolitik.errors import InputError
from realpolitik.guards import time_limit
from realpolitik.ingest import article_from_html, read_articles
from realpolitik.nlp import add_components, load_nlp
from realpolitik.records import Article, Result

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
HANG_LIMIT = 30.0  # seconds any one fuzz input may take before it counts as a hang

WORDS = ["Japan", "China", "said", "warned", "the", "U.S.", "NATO", "Putin", "talks", "on"]
MARKS = list("\"'“”‘’«»„()[]{}<>!?.,;:-—*#/\\|")
RTL = [*"مرحبا بالعالم שלום עולם", "\u200f", "\u202e", "\u2066", "\u2069"]

texts = st.one_of(
    st.text(max_size=300),  # any code point, lone surrogates and controls included
    st.lists(st.sampled_from(WORDS + MARKS + RTL + [" ", "\n", "\n\n"]), max_size=120).map("".join),
    st.builds(
        lambda mark, n, word: f"{word} {mark * n} {word} said.",
        st.sampled_from(MARKS),
        st.integers(min_value=1, max_value=3000),
        st.sampled_from(WORDS),
    ),
    st.builds(lambda n: "Japan criticized China. " * n, st.integers(min_value=1, max_value=80)),
    st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=5), st.integers(1, 800)),
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
records = st.fixed_dictionaries(
    {},
    optional={
        "id": json_values,
        "text": st.one_of(texts, json_values),
        "date": st.one_of(st.text(max_size=12), json_values),
        "source": json_values,
        "title": json_values,
        "hints": st.one_of(json_values, st.dictionaries(st.text(max_size=8), json_values)),
    },
)


def check_spans(result: Result) -> None:
    text = result.article.text
    spans = [(e.start, e.end, e.text) for e in result.events]
    spans += [(q.start, q.end, q.text) for q in result.quotes]
    spans += [(r.start, r.end, r.text) for r in result.relations]
    spans += [(m.start, m.end, m.text) for a in result.actors for m in a.mentions]
    spans += [(e.trigger.start, e.trigger.end, e.trigger.text) for e in result.events if e.trigger]
    for start, end, surface in spans:
        assert 0 <= start <= end <= len(text), (start, end, len(text))
        assert text[start:end] == surface


@pytest.fixture(scope="module")
def rules_nlp() -> Language:
    """realpolitik's components on rule sentences: fast, so many inputs fit the budget."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return add_components(nlp)


@FUZZ
@given(text=texts)
def test_article_construction_sanitises_any_text(text: str) -> None:
    article = Article("fuzz", text)
    assert len(article.text) == len(text)
    article.text.encode("utf-8")
    assert bool(article.repairs) == (article.text != text)


@FUZZ
@given(text=texts, date=st.one_of(st.none(), st.text(max_size=12)))
def test_code_on_rule_pipeline_never_raises_or_hangs(
    rules_nlp: Language, text: str, date: str | None
) -> None:
    with time_limit(HANG_LIMIT):
        try:
            result = realpolitik.code(text, date=date, nlp=rules_nlp)
        except InputError:
            assert date is not None  # only a malformed date may be refused
            return
    check_spans(result)


def test_a_doc_without_a_parse_is_never_walked_as_a_tree(rules_nlp: Language) -> None:
    # Found by benchmarks/fuzz.py: on a Doc with no dependency parse spaCy leaves some tokens'
    # edges unset (one pointed past the Doc), and walking a token's children crashed the
    # process (segmentation fault) in the extractor's features.
    path = DATA / "fuzz" / "unparsed_edges.txt"
    text = path.read_text(encoding="utf-8")
    check_spans(realpolitik.code(text, nlp=rules_nlp))


@pytest.mark.model
@settings(max_examples=25, deadline=None)
@given(text=texts)
def test_code_on_the_real_pipeline_never_raises_or_hangs(text: str) -> None:
    nlp = load_nlp()
    with time_limit(HANG_LIMIT):
        result = realpolitik.code(text, nlp=nlp)
    check_spans(result)


@FUZZ
@given(
    args=st.dictionaries(st.sampled_from(["date", "id", "source", "title", "hints"]), json_values)
)
def test_code_rejects_wrong_types_only_with_input_errors(
    rules_nlp: Language, args: dict[str, Any]
) -> None:
    try:
        result = realpolitik.code("Japan criticized China.", nlp=rules_nlp, **args)
    except InputError:
        return
    check_spans(result)


@FUZZ
@given(lines=st.lists(st.one_of(records.map(json.dumps), st.text(max_size=40)), max_size=8))
def test_jsonl_reader_yields_articles_or_input_errors(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
    with time_limit(HANG_LIMIT):
        items = list(read_articles([str(path)]))
    for item in items:
        assert isinstance(item, Article | InputError)
        if isinstance(item, Article):
            item.text.encode("utf-8")


@FUZZ
@given(text=texts, meta=st.one_of(json_values, st.dictionaries(st.text(max_size=8), json_values)))
def test_text_reader_with_bad_metadata(tmp_path: Path, text: str, meta: Any) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    Path(f"{path}.meta.json").write_text(json.dumps(meta))
    with time_limit(HANG_LIMIT):
        items = list(read_articles([str(path)]))
    assert len(items) == 1 and isinstance(items[0], Article | InputError)


html_junk = st.lists(
    st.one_of(
        st.sampled_from(
            ["<p>", "</p>", "<div>", "<script>", "</script>", "<!--", "-->", "<br/>", "&amp;"]
        ),
        st.sampled_from(["<html><body><article>", "</article></body></html>", "<h1>T</h1>"]),
        texts,
    ),
    max_size=12,
).map("".join)


@settings(max_examples=25, deadline=None)
@given(html=html_junk)
def test_html_reader_yields_an_article_or_an_input_error(html: str) -> None:
    with time_limit(HANG_LIMIT):
        try:
            article = article_from_html(html, path="fuzz.html")
        except InputError:
            return
    article.text.encode("utf-8")
