"""Quote scanning stays linear on adversarial runs of quotation marks and brackets (issue 19).

The timing property compares the same input at two lengths, so machine speed cancels out; the
bound is generous (4x the text may take 10x the time, plus a floor). The index structures that
make the scan linear are checked against the brute-force questions they replace.
"""

from __future__ import annotations

import re
import time

import spacy
from hypothesis import example, given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

from realpolitik.quotes import find_quotes
from realpolitik.quotes.intervals import Spans
from realpolitik.quotes.marks import _SENTENCE_END, _SentenceEnds

_VOCAB = spacy.blank("en").vocab
_MARKS = "\"\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019'()[]{}"


def _doc(text: str) -> Doc:
    """``text`` as a Doc of one word or one mark per token, one sentence per line."""
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for m in re.finditer(r"\w+|\S", text):
        gap = text[pos : m.start()]
        if gap and words and gap[0] == " ":
            spaces[-1], gap = True, gap[1:]
        if gap:
            words.append(gap)
            spaces.append(False)
        words.append(m.group())
        spaces.append(False)
        pos = m.end()
    if text[pos:]:
        words.append(text[pos:])
        spaces.append(False)
    starts = [i == 0 or "\n" in words[i - 1] for i in range(len(words))]
    doc = Doc(_VOCAB, words=words, spaces=spaces, sent_starts=starts)
    assert doc.text == text
    return doc


def _seconds(text: str) -> float:
    doc = _doc(text)
    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        find_quotes(doc, model=None)
        best = min(best, time.perf_counter() - t0)
    return best


_UNITS = st.text(alphabet=_MARKS + "ab .\n", min_size=1, max_size=6)


@settings(max_examples=4, deadline=None)
@given(unit=_UNITS, opener=st.sampled_from(["", '"a', "\u201ca", "\u2018a"]))
@example(unit=' "b"', opener='"a')  # a quotation left open, then closed pairs
@example(unit=" \u201cb\u201d", opener="\u201ca")
@example(unit='"A b said. ', opener="")  # sentences inside quotation marks
@example(unit='"a b c d e f g h" ', opener="")  # many quotations, each inheriting
@example(unit=" \u2018a\u2019", opener="")
def test_quote_scan_time_grows_linearly_with_repeated_marks(unit: str, opener: str) -> None:
    n = 5000
    short = opener + unit * (n // len(unit))
    long = opener + unit * (4 * n // len(unit))
    t_short, t_long = _seconds(short), _seconds(long)
    assert t_long < 10 * t_short + 0.5, (unit, opener, t_short, t_long)


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet=".!?\u2026\u2019'\")] \n\tab", max_size=30),
    data=st.data(),
)
def test_sentence_ends_agree_with_the_regular_expression(text: str, data: st.DataObject) -> None:
    ends = _SentenceEnds(text)
    pos = data.draw(st.integers(0, len(text)))
    lo = data.draw(st.integers(0, pos))
    assert ends.ends(lo, pos) == bool(_SENTENCE_END.search(text[lo:pos]))


_SPANS = st.lists(
    st.tuples(st.integers(0, 40), st.integers(0, 12)).map(lambda t: (t[0], t[0] + t[1])),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(spans=_SPANS, pos=st.integers(-2, 60), width=st.integers(0, 8), data=st.data())
def test_spans_answer_like_a_loop_over_every_span(
    spans: list[tuple[int, int]], pos: int, width: int, data: st.DataObject
) -> None:
    index = Spans((s, e, k) for k, (s, e) in enumerate(spans))
    exclude = data.draw(st.sampled_from([None, *range(len(spans))]))
    assert index.covers(pos, exclude=exclude) == any(
        s <= pos < e for k, (s, e) in enumerate(spans) if k != exclude
    )
    a, b = pos, pos + width
    assert index.overlaps(a, b) == any(a < e and s < b for s, e in spans)
    assert index.overlapping(a, b) == [k for k, (s, e) in enumerate(spans) if a < e and s < b]


def test_spans_added_in_order_answer_like_spans_given_at_once() -> None:
    spans = [(0, 5, 0), (2, 3, 1), (2, 9, 2), (7, 8, 3)]
    grown = Spans()
    for s in spans:
        grown.add(*s)
    given_once = Spans(spans)
    for pos in range(-1, 11):
        for exclude in (None, 0, 1, 2, 3):
            assert grown.covers(pos, exclude=exclude) == given_once.covers(pos, exclude=exclude)
