"""What every step of quote finding shares: the document being read and a located cue."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from realpolitik.quotes.lexicon import CueEntry, Lexicon
from realpolitik.quotes.marks import _Region, _title_like


@dataclass
class _Ctx:
    """What every step needs to know about the document being read."""

    doc: Doc
    text: str  # doc_text(doc) with '' marks normalised (same offsets), see _normalize_marks
    regions: list[_Region]
    paras: list[tuple[int, int]]
    lex: Lexicon
    # Computed once (spaCy rebuilds Doc.text and Doc.ents on every access).
    para_starts: list[int] = field(default_factory=list)
    # Quotations that are not titles, as sorted (start, end) pairs.
    spoken: list[tuple[int, int]] = field(default_factory=list)
    _ents: list[tuple[int, int, str]] | None = None
    _quoted_sentences: dict[int, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.para_starts = [s for s, _ in self.paras]
        self.spoken = [(r.start, r.end) for r in self.regions if not _title_like(self.text, r)]

    @property
    def ents(self) -> list[tuple[int, int, str]]:
        """Named entities as (start, end, label), read from the Doc on first use."""
        if self._ents is None:
            self._ents = [(e.start_char, e.end_char, e.label_) for e in self.doc.ents]
        return self._ents

    def quoted(self, pos: int) -> bool:
        """Whether character ``pos`` lies inside a (non-title) quotation."""
        i = bisect_right(self.spoken, (pos, len(self.text) + 1)) - 1
        return i >= 0 and self.spoken[i][0] <= pos < self.spoken[i][1]

    def sentence_quoted(self, tok: Token) -> bool:
        """Whether some word of ``tok``'s sentence lies inside a quotation (once per sentence)."""
        sent = tok.sent
        found = self._quoted_sentences.get(sent.start)
        if found is None:
            found = any(self.quoted(t.idx) for t in sent)
            self._quoted_sentences[sent.start] = found
        return found

    def para(self, pos: int) -> tuple[int, int]:
        """The paragraph holding character ``pos`` (or the one before a gap)."""
        i = bisect_right(self.para_starts, pos) - 1
        return self.paras[max(i, 0)] if self.paras else (0, len(self.text))

    def para_index(self, pos: int) -> int:
        return max(bisect_right(self.para_starts, pos) - 1, 0)


@dataclass
class _Hit:
    """A reporting cue located in the parse."""

    cue: tuple[int, int]
    cue_token: int  # index of the cue's main token
    entry: CueEntry
    speaker: int | None  # head token of the speaker noun phrase
    content: list[tuple[int, int]]  # char spans; empty when the cue has no complement
    # "Name: ...": where the name before the colon starts; the speaker is name_start..cue
    name_start: int | None = None


def _char_span(doc: Doc, first: int, last: int) -> tuple[int, int]:
    return doc[first].idx, doc[last].idx + len(doc[last].text)


def _subtree_span(tok: Token) -> tuple[int, int]:
    return _char_span(tok.doc, tok.left_edge.i, tok.right_edge.i)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]
