"""Assembly: cues and quotations into quotes.

A cue whose content is made of quotations yields *direct* quotes; a cue whose content mixes
quoted and unquoted words yields one *mixed* quote; without quotation marks it is *indirect*.
Quotations without a cue of their own take the nearest cue before or after them in the same
sentence, then the cue of a sentence that ends with a colon just before them ("Name: “...”"
included), then the speaker of the preceding quotation in the same or the previous paragraph.
Attribution is one level deep: a cue inside another quote's content ("X said that Y believes
Z") is part of that content, not a quote of its own.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc

from realpolitik.quotes.content import _CONNECTORS
from realpolitik.quotes.context import _char_span, _Ctx, _Hit
from realpolitik.quotes.cues import _colon_hits, _find_hits
from realpolitik.quotes.intervals import Spans
from realpolitik.quotes.lexicon import load_lexicon
from realpolitik.quotes.marks import (
    _WORD,
    _n_words,
    _normalize_marks,
    _outer_span,
    _paragraphs,
    _quote_regions,
    _Region,
    _region_span,
    _title_like,
    _trim,
)
from realpolitik.quotes.speakers import (
    _is_named_span,
    _Named,
    _named_info,
    _needs_antecedent,
    _relative_antecedent,
    _resolve,
    _speaker_span,
)

from ..doctext import doc_text

__all__ = ["QuoteSpan"]


@dataclass(frozen=True)
class QuoteSpan:
    """One attributed statement found in a document.

    Every span is a pair of character offsets into ``doc_text(doc)`` (end exclusive).

    * ``content``: what was said or believed; quotation marks excluded.
    * ``speaker``: the mention of the source (a noun phrase, a pronoun, or "the minister").
      A quotation that has no cue of its own and inherits the speaker of the quote before it
      carries that earlier quote's speaker mention.
    * ``speaker_antecedent``: for pronoun or definite-description speakers, and for inherited
      quotes, the most recent named speaker they refer to; ``None`` when the speaker is itself
      named or nothing compatible was found.
    * ``cue``: the reporting verb, noun or phrase; ``None`` for inherited quotes.
    * ``kind``: "direct" (content is a quotation), "indirect" (no quotation marks) or "mixed"
      (reported speech with quoted fragments).
    * ``act``: what the cue reports, from the lexicon: "speech" (said, wrote, according to;
      also every quotation without a cue), "cognition" (believes, expects, seems) or
      "attitude" (supports, wants, plans to, refuses to).
    * ``score``: ``None`` when the rules found the quote; the learned attribution model's
      probability when the model added it (see :mod:`realpolitik.quotes.model`).
    """

    content: tuple[int, int]
    speaker: tuple[int, int] | None
    speaker_antecedent: tuple[int, int] | None
    cue: tuple[int, int] | None
    kind: str
    act: str = "speech"
    score: float | None = None


@dataclass
class _Draft:
    content: tuple[int, int]
    kind: str
    hit: _Hit | None
    inherited_from: _Draft | None = None
    speaker: tuple[int, int] | None = None
    antecedent: tuple[int, int] | None = None
    score: float | None = None  # set when the learned model proposed the draft

    @property
    def anchor(self) -> int:
        return min(self.content[0], self.hit.cue[0]) if self.hit else self.content[0]


def _substantial(ctx: _Ctx, r: _Region) -> bool:
    """Long enough, or clause-like enough, to be a quotation rather than scare quotes."""
    doc = ctx.doc
    found = _WORD.findall(ctx.text[r.start : r.end])
    words = len(found)
    if words < 4 or _title_like(ctx.text, r):
        return False
    if words >= 8:
        return True
    span = doc.char_span(r.start, r.end, alignment_mode="expand")
    return span is not None and any(t.pos_ in ("VERB", "AUX") for t in span)


def _rule_drafts(doc: Doc) -> tuple[_Ctx, list[_Hit], list[_Draft]]:
    """What the lexicon and the quotation marks find: context, cues and outermost drafts."""
    text = _normalize_marks(doc_text(doc))
    ctx = _Ctx(doc, text, _quote_regions(text), _paragraphs(text), load_lexicon())
    regions = ctx.regions
    hits = _find_hits(ctx, ctx.lex) + _colon_hits(ctx)
    # A cue inside somebody's quotation ("I think", "as I said") is part of what they said.
    inside = Spans((r.start, r.end, k) for k, r in enumerate(regions))
    hits = [h for h in hits if not inside.covers(h.cue[0])]
    drafts: list[_Draft] = []
    used: set[int] = set()
    for hit in hits:
        for piece in hit.content:
            drafts.extend(_classify(ctx, inside, hit, piece, used))
    nearby = _Nearby(ctx, hits)
    earlier = _Earlier(ctx, drafts)
    for k, region in enumerate(regions):
        if k in used or _n_words(text, (region.start, region.end)) < 3:
            continue
        if _title_like(text, region) and _n_words(text, (region.start, region.end)) < 8:
            continue
        found = _adjacent_hit(ctx, region, nearby)
        if found is not None:
            earlier.add(_Draft(_region_span(region), "direct", found))
        elif _substantial(ctx, region):
            prev = earlier.previous_attributed(region)
            earlier.add(_Draft(_region_span(region), "direct", None, inherited_from=prev))
    return ctx, hits, _drop_nested(drafts)


def _drop_nested(drafts: list[_Draft]) -> list[_Draft]:
    """Keep one level of attribution: a cue inside another quote's content is part of it.

    ("X said that Y believes Z": what is attributed to X is "Y believes Z".)
    """
    cued = Spans((d.content[0], d.content[1], k) for k, d in enumerate(drafts) if d.hit)
    return [
        d for k, d in enumerate(drafts) if d.hit is None or not cued.covers(d.hit.cue[0], exclude=k)
    ]


def _classify(
    ctx: _Ctx, inside: Spans, hit: _Hit, piece: tuple[int, int], used: set[int]
) -> list[_Draft]:
    """Direct, mixed or indirect drafts for one content piece of a cue (``inside``: the
    quotations' spans, keyed by their index in ``ctx.regions``)."""
    regions = ctx.regions
    touched = inside.overlapping(*piece)
    if not touched:
        return [_Draft(piece, "indirect", hit)]
    outside = ctx.text[piece[0] : piece[1]]
    for k in sorted(touched, key=lambda k: -regions[k].start):
        s, e = _outer_span(regions[k])
        s, e = max(s, piece[0]) - piece[0], min(e, piece[1]) - piece[0]
        outside = outside[: max(s, 0)] + " " + outside[max(e, 0) :]
    extra = [w for w in _WORD.findall(outside) if w.lower() not in _CONNECTORS]
    if not extra:
        fresh = [k for k in touched if k not in used]
        used.update(fresh)
        return [_Draft(_region_span(regions[k]), "direct", hit) for k in fresh]
    used.update(touched)
    start = min([piece[0]] + [regions[k].start for k in touched])
    end = max([piece[1]] + [regions[k].end for k in touched])
    return [_Draft((start, end), "mixed", hit)]


# How many paragraphs back a cue-less quotation looks for the speaker it continues.
_INHERIT_PARAGRAPHS = 1


class _Earlier:
    """The drafts so far, indexed for :meth:`previous_attributed` as quotations are read in
    text order.

    A draft becomes a candidate once a quotation starts after its anchor, and stops being one
    for good once it lies more than ``_INHERIT_PARAGRAPHS`` paragraphs back or another
    draft's content holds its cue (drafts are only added); the candidate with the furthest
    content end (the first added among equals) is the top of a heap. Looping over every draft
    for every quotation instead is quadratic in the number of quotations.
    """

    def __init__(self, ctx: _Ctx, drafts: list[_Draft]) -> None:
        self.ctx = ctx
        self.drafts = drafts
        # Contents: the cue drafts (fixed), then quotations' drafts added in text order.
        self.first = Spans((d.content[0], d.content[1], k) for k, d in enumerate(drafts))
        self.later = Spans()
        self.pending: list[tuple[int, int]] = []  # (anchor, index) not yet a candidate
        self.ready: list[tuple[int, int]] = []  # (-content end, index) of candidates
        self.quoted: dict[int, list[int]] = {}  # speaker key -> direct or mixed drafts
        for k, d in enumerate(drafts):
            self._index(k, d)

    def add(self, draft: _Draft) -> None:
        k = len(self.drafts)
        self.drafts.append(draft)
        self.later.add(draft.content[0], draft.content[1], k)
        self._index(k, draft)

    def _index(self, k: int, d: _Draft) -> None:
        heapq.heappush(self.pending, (d.anchor, k))
        if d.kind != "indirect" and d.hit is not None and d.hit.speaker is not None:
            self.quoted.setdefault(_speaker_key(self.ctx.doc, d.hit.speaker), []).append(k)

    def _nested(self, k: int, d: _Draft) -> bool:
        """Another draft's content holds the cue ("X said that Y believes ...")."""
        assert d.hit is not None
        cue = d.hit.cue[0]
        return self.first.covers(cue, exclude=k) or self.later.covers(cue, exclude=k)

    def _far(self, here: int, d: _Draft) -> bool:
        return here - self.ctx.para_index(d.anchor) > _INHERIT_PARAGRAPHS

    def previous_attributed(self, region: _Region) -> _Draft | None:
        """The closest outermost quote before ``region`` in its own or the previous paragraph."""
        here = self.ctx.para_index(region.start)
        while self.pending and self.pending[0][0] < region.start:
            _, k = heapq.heappop(self.pending)
            d = self.drafts[k]
            if d.hit is None and d.inherited_from is None:
                continue
            if d.hit is not None and d.hit.entry.act == "attitude":
                continue  # a quotation goes on with what someone said, not with "declined to"
            heapq.heappush(self.ready, (-d.content[1], k))
        best: _Draft | None = None
        while self.ready:
            k = self.ready[0][1]
            d = self.drafts[k]
            if self._far(here, d) or (d.hit is not None and self._nested(k, d)):
                heapq.heappop(self.ready)  # for good: neither comes back later
                continue
            best = d
            break
        if best is not None and best.kind == "indirect" and best.hit is not None:
            # '"A," X said, referring to B. "C."': C goes on with A, said by the same speaker.
            if best.hit.speaker is None:
                return best
            same = self.quoted.get(_speaker_key(self.ctx.doc, best.hit.speaker), [])
            quoted: _Draft | None = None
            for k in same:
                d = self.drafts[k]
                if (
                    d.anchor < region.start
                    and not self._far(here, d)
                    and (quoted is None or d.content[1] > quoted.content[1])
                ):
                    quoted = d
            if quoted is not None:
                best = quoted
        return best


def _speaker_key(doc: Doc, i: int) -> int:
    """A speaker head as one mention: a relative pronoun counts as the noun it refers to
    ('"A," said X, who endorsed Y. "B."': "who" is X)."""
    rel = _relative_antecedent(doc[i])
    return rel.i if rel is not None else i


class _Nearby:
    """The cues with a speaker and the quotations' outer spans, sorted for window queries."""

    def __init__(self, ctx: _Ctx, hits: list[_Hit]) -> None:
        spoken = sorted((h.cue[0], n) for n, h in enumerate(hits) if h.speaker is not None)
        self.cue_starts = [c for c, _ in spoken]
        self.order = [n for _, n in spoken]
        self.hits = hits
        outer = [_outer_span(r) for r in ctx.regions]
        self.outer_starts = sorted(s for s, _ in outer)
        self.outer_ends = sorted(e for _, e in outer)

    def cues(self, lo: int, hi: int) -> list[int]:
        """Indices into ``hits`` of the cues with a speaker that start in ``[lo, hi)``."""
        return self.order[bisect_left(self.cue_starts, lo) : bisect_left(self.cue_starts, hi)]

    def last_end_before(self, pos: int) -> int | None:
        """The furthest outer end of a quotation that is at or before ``pos``."""
        i = bisect_right(self.outer_ends, pos)
        return self.outer_ends[i - 1] if i else None

    def first_start_after(self, pos: int) -> int | None:
        """The nearest outer start of a quotation at or after ``pos``."""
        i = bisect_left(self.outer_starts, pos)
        return self.outer_starts[i] if i < len(self.outer_starts) else None


def _last_char(text: str, start: int, end: int) -> str:
    """The last character of ``text[start:end]`` that is not whitespace ("" if none)."""
    i = end - 1
    while i >= start and text[i].isspace():
        i -= 1
    return text[i] if i >= start else ""


def _first_char(text: str, start: int) -> str:
    """The first character of ``text[start:]`` that is not whitespace ("" if none)."""
    i = start
    while i < len(text) and text[i].isspace():
        i += 1
    return text[i] if i < len(text) else ""


def _adjacent_hit(ctx: _Ctx, region: _Region, nearby: _Nearby) -> _Hit | None:
    """The cue that introduces or follows a quotation it does not syntactically govern."""
    text = ctx.text
    outer_s, outer_e = _outer_span(region)
    # Before: back to the previous sentence end or quotation; a colon right before the
    # quotation lets the introducing sentence sit in the previous paragraph. (No other
    # quotation's outer end is this one's, which lies after its start.)
    colon = _last_char(text, 0, outer_s) == ":"
    previous_end = nearby.last_end_before(outer_s)
    lo = max(outer_s - 400, 0, previous_end if previous_end is not None else 0)
    if not colon:
        nl = text.rfind("\n", lo, outer_s)
        if nl >= 0:
            lo = nl + 1
    body = text[lo:outer_s].rstrip()
    ends = list(re.finditer(r"[.!?](?=\s|$)", body))
    if ends:
        lo += ends[-1].end()
    before = nearby.cues(lo, outer_s)
    # After: a short tail up to the end of the sentence ('...," Pardo noted.').
    m = re.search(r"[.!?](?=\s|$)|\n", text[outer_e : outer_e + 250])
    tail_end = outer_e + (m.end() if m else 250)
    next_start = nearby.first_start_after(outer_e)
    if next_start is not None:
        tail_end = min(tail_end, next_start)
    after = [
        n
        for n in nearby.cues(outer_e, tail_end)
        if _n_words(text, (outer_e, nearby.hits[n].cue[0])) <= 8
    ]
    trails = _last_char(text, region.start, region.end) not in (".", "!", "?") or (
        _first_char(text, outer_e) == ","
    )
    if trails and after:
        return nearby.hits[min(after)]
    if before:
        return nearby.hits[max(before)]
    return nearby.hits[min(after)] if after else None


def _finish(ctx: _Ctx, drafts: list[_Draft]) -> list[QuoteSpan]:
    """Fill speakers and antecedents in text order and freeze the drafts."""
    doc = ctx.doc
    drafts.sort(key=lambda d: d.anchor)
    history: list[_Named] = []
    for d in drafts:
        if d.hit is not None and d.hit.speaker is not None:
            head = doc[d.hit.speaker]
            rel = _relative_antecedent(head)
            if d.hit.name_start is not None:
                d.speaker = _trim(ctx.text, d.hit.name_start, d.hit.cue[0])
            elif rel is not None:
                # The pronoun is the mention; the noun it refers to is the antecedent.
                d.speaker = _char_span(doc, head.i, head.i)
                d.antecedent = _speaker_span(ctx, rel)
                info = _named_info(ctx, rel, d.antecedent)
                if info is not None:
                    history.append(info)
                elif _needs_antecedent(rel):
                    d.antecedent = _resolve(ctx, rel, d.speaker[0], history) or d.antecedent
                continue
            else:
                d.speaker = _speaker_span(ctx, head)
            info = _named_info(ctx, head, d.speaker)
            if info is not None:
                history.append(info)
            elif _needs_antecedent(head):
                d.antecedent = _resolve(ctx, head, d.speaker[0], history)
        elif d.hit is None and d.inherited_from is not None:
            src = d.inherited_from
            d.speaker = src.speaker
            named = src.speaker is not None and _is_named_span(doc, src.speaker)
            d.antecedent = src.antecedent or (src.speaker if named else None)
    out: list[QuoteSpan] = []
    seen: set[tuple[tuple[int, int], tuple[int, int] | None]] = set()
    for d in sorted(drafts, key=lambda d: d.content):
        cue = d.hit.cue if d.hit else None
        s, e = _trim(ctx.text, *d.content)
        if (s, e) == (s, s) or ((s, e), cue) in seen:
            continue
        seen.add(((s, e), cue))
        act = d.hit.entry.act if d.hit else "speech"
        out.append(QuoteSpan((s, e), d.speaker, d.antecedent, cue, d.kind, act, d.score))
    return out
