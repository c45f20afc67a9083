"""Quotation marks, read from the raw text (not from tokens, so that mismatched and stray
marks can be reasoned about character by character).

Straight, curly, low-9 and guillemet double marks, and two apostrophes typed for one (''),
are paired by context first (a mark between a space and a word opens, one between a word and
a space or punctuation closes) and by glyph only when context is silent. A paragraph that
leaves a quotation open continues it if the next paragraph reopens with a mark (the newspaper
convention); otherwise the quotation ends with the paragraph. A stray closing mark recovers
the stretch before it. Curly single marks count outside double-quoted text (headline style).
Nothing here raises on malformed input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from realpolitik.quotes.intervals import Spans

__all__ = ["quote_regions"]

# Glyph preference of each double mark: used only when the characters around it are silent.
_DOUBLE_MARKS = {
    '"': "either",
    "\u201c": "open",  # “
    "\u201d": "close",  # ”
    "\u201e": "open",  # „
    "\u201f": "open",  # ‟
    "\u00ab": "open",  # «
    "\u00bb": "close",  # »
}
_QUOTE_CHARS = frozenset(_DOUBLE_MARKS) | {"\u2018", "\u2019", "'"}
_SPACE_LIKE_BEFORE = frozenset("([{\u2014\u2013")  # an opener may follow these
_SPACE_LIKE_AFTER = frozenset(")]}\u2014\u2013")  # a closer may precede these
_PUNCT_AFTER = frozenset(".,;:!?")
_SENTENCE_END = re.compile(r"[.!?\u2026][\u2019'\")\]]*\s*$")
_SENTENCE_PUNCT = frozenset(".!?\u2026")
_SENTENCE_CLOSERS = frozenset("\u2019'\")]")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class _Region:
    """A quotation found from its marks (content offsets, marks excluded)."""

    start: int
    end: int
    open_mark: int | None  # position of the opening mark, None when recovered
    close_mark: int | None  # position of the closing mark, None when unclosed


def _role(text: str, i: int) -> str:
    """Say whether the mark at ``i`` opens, closes, or could do either, from its context."""
    p = text[i - 1] if i > 0 else " "
    n = text[i + 1] if i + 1 < len(text) else " "
    p_space = p.isspace() or p in _SPACE_LIKE_BEFORE
    n_space = n.isspace() or n in _SPACE_LIKE_AFTER
    if p_space and not n_space:
        # ` “.` is a closing mark typed the wrong way round (machine translation does this).
        return "close" if n in _PUNCT_AFTER else "open"
    if n_space and not p_space:
        return "close"
    if p in _QUOTE_CHARS and not n_space:
        return "open"
    if p_space and n_space:
        return "either"
    return _DOUBLE_MARKS.get(text[i], "either")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph extents: blank-line separated when the text has blank lines, else lines."""
    sep = re.compile(r"\n[ \t\r\f\v]*\n\s*") if re.search(r"\n\s*\n", text) else re.compile(r"\n+")
    out: list[tuple[int, int]] = []
    pos = 0
    for m in sep.finditer(text):
        if text[pos : m.start()].strip():
            out.append((pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        out.append((pos, len(text)))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past surrounding whitespace and quotation marks."""
    while start < end and (text[start].isspace() or text[start] in _DOUBLE_MARKS):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _DOUBLE_MARKS):
        end -= 1
    return start, end


def _normalize_marks(text: str) -> str:
    """``text`` with each doubled apostrophe ('') written as one double mark, same length.

    Some archives (the New York Times among them) type quotation marks as two apostrophes.
    The pair becomes a space and a ``"`` on the side facing the quoted words, so that the mark
    reads as opening or closing from its context like any other.
    """
    if "''" not in text:
        return text
    chars = list(text)
    i, n = 0, len(text)
    while i < n - 1:
        if text[i] != "'" or text[i + 1] != "'":
            i += 1
            continue
        if i + 2 < n and text[i + 2] == "'" and i > 0 and not text[i - 1].isspace():
            # Three apostrophes after a word: a single mark nested inside closes first.
            i += 1
        nxt = text[i + 2] if i + 2 < n else " "
        prv = text[i - 1] if i > 0 else " "
        if prv.isspace() or prv in _SPACE_LIKE_BEFORE:
            opening = not nxt.isspace()
        elif nxt.isspace() or nxt in _PUNCT_AFTER or nxt in _SPACE_LIKE_AFTER or nxt == "'":
            opening = False
        else:
            opening = not prv.isalnum()
        chars[i], chars[i + 1] = (" ", '"') if opening else ('"', " ")
        i += 2
    return "".join(chars)


def quote_regions(text: str) -> list[tuple[int, int]]:
    """Character spans of the quotations in ``text`` (marks excluded), in text order.

    Public for tests and for callers that only want the quotation marks read.
    """
    return [(r.start, r.end) for r in _quote_regions(_normalize_marks(text))]


class _SentenceEnds:
    """Whether a stretch ``text[lo:pos]`` ends a sentence (``_SENTENCE_END``), for any ``pos``.

    The suffix has one form, sentence punctuation, closing marks, whitespace (the sets are
    disjoint), so where it starts depends on ``pos`` alone: one pass over the text, made the
    first time it is asked, records for every position where its trailing whitespace and
    closing marks begin. Searching the regular expression in every stretch instead would read
    the stretch again for every opening mark of a quotation left open (quadratic).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._start: list[int] | None = None

    def _table(self) -> list[int]:
        """For every position, where the closers and whitespace just before it begin."""
        text = self.text
        n = len(text)
        space = list(range(n + 1))  # start of the whitespace run that ends just before i
        closers = list(range(n + 1))  # start of the run of closing marks ending before i
        for i in range(1, n + 1):
            ch = text[i - 1]
            if ch.isspace():
                space[i] = space[i - 1]
            elif ch in _SENTENCE_CLOSERS:
                closers[i] = closers[i - 1]
        return [closers[space[i]] for i in range(n + 1)]

    def ends(self, lo: int, pos: int) -> bool:
        """``_SENTENCE_END.search(text[lo:pos])`` in constant time."""
        if self._start is None:
            self._start = self._table()
        k = self._start[pos]
        return k - 1 >= lo and self.text[k - 1] in _SENTENCE_PUNCT


def _quote_regions(text: str) -> list[_Region]:
    regions: list[_Region] = []
    paras = _paragraphs(text)
    sentence_ends = _SentenceEnds(text)

    def emit(open_mark: int | None, start: int, end: int, close_mark: int | None) -> None:
        s, e = _trim(text, start, end)
        if _WORD.search(text[s:e]):
            regions.append(_Region(s, e, open_mark, close_mark))

    carried: int | None = None  # opening mark of a quotation continued from the last paragraph
    for pi, (ps, pe) in enumerate(paras):
        marks = [(i, _role(text, i)) for i in range(ps, pe) if text[i] in _DOUBLE_MARKS]
        stack: list[int] = []
        if carried is not None:
            stack.append(carried)
            # The reopening mark at the head of this paragraph is not a new quotation.
            marks = marks[1:]
            carried = None
        last_end = ps
        for pos, role in marks:
            if role == "close" or (role == "either" and stack):
                if stack:
                    opened = stack.pop()
                    if not stack:
                        emit(opened, opened + 1, pos, pos)
                        last_end = pos + 1
                    # A closing mark at depth > 1 ends a nested quotation: kept inside the outer.
                else:
                    # Stray closing mark: the opening one was lost; recover back to the last
                    # quotation or the start of the paragraph.
                    emit(None, last_end, pos, pos)
                    last_end = pos + 1
            else:
                if len(stack) == 1 and sentence_ends.ends(stack[0] + 1, pos):
                    # An opening mark at a sentence start while a quotation is open: the open
                    # one was never closed, so it ends here rather than swallowing this one.
                    emit(stack[0], stack[0] + 1, pos, None)
                    stack.clear()
                stack.append(pos)
        if stack:
            opened = stack[0]
            nxt = paras[pi + 1] if pi + 1 < len(paras) else None
            if nxt is not None and text[nxt[0]] in _DOUBLE_MARKS and _role(text, nxt[0]) != "close":
                carried = opened
            else:
                emit(opened, opened + 1, pe, None)
    if carried is not None:  # pragma: no cover - a carry is only set when a paragraph follows
        emit(carried, carried + 1, len(text), None)
    regions.extend(_single_quote_regions(text, regions, paras))
    regions.sort(key=lambda r: r.start)
    return regions


def _single_quote_regions(
    text: str, doubles: list[_Region], paras: list[tuple[int, int]]
) -> list[_Region]:
    """Quotations in curly single marks outside double-quoted text (headline style).

    Straight apostrophes are too ambiguous to use; a curly ’ only closes when a ‘ opened
    earlier in the same paragraph and it is followed by a space or punctuation.
    """
    out: list[_Region] = []

    # From its opening mark (or start) to its end, both included.
    double_spans = Spans(
        (r.open_mark if r.open_mark is not None else r.start, r.end + 1, k)
        for k, r in enumerate(doubles)
    )

    def inside_double(i: int) -> bool:
        return double_spans.covers(i)

    for ps, pe in paras:
        opener: int | None = None
        for i in range(ps, pe):
            ch = text[i]
            if ch == "\u2018":
                p = text[i - 1] if i > 0 else " "
                n = text[i + 1] if i + 1 < pe else " "
                if (p.isspace() or p in _SPACE_LIKE_BEFORE or p == ":") and n.isalnum():
                    opener = None if inside_double(i) else i
            elif ch == "\u2019" and opener is not None:
                p = text[i - 1]
                n = text[i + 1] if i + 1 < pe else " "
                if not p.isspace() and (n.isspace() or n in _PUNCT_AFTER or n in _SPACE_LIKE_AFTER):
                    s, e = _trim(text, opener + 1, i)
                    if _WORD.search(text[s:e]):
                        out.append(_Region(s, e, opener, i))
                    opener = None
    return out


def _title_like(text: str, r: _Region) -> bool:
    """Capitalised like a show, book or slogan ("Meet the Press", "This Week")."""
    words = _WORD.findall(text[r.start : r.end])
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _region_span(r: _Region) -> tuple[int, int]:
    return r.start, r.end


def _outer_span(r: _Region) -> tuple[int, int]:
    """The region including its marks."""
    s = r.open_mark if r.open_mark is not None else r.start
    e = r.close_mark + 1 if r.close_mark is not None else r.end
    return s, e


def _n_words(text: str, span: tuple[int, int]) -> int:
    return len(_WORD.findall(text[span[0] : span[1]]))
