"""Rule-based quotation and attribution extraction over a parsed spaCy ``Doc``.

Two independent sources of evidence are combined:

1. **Quotation marks**, read from the raw text (not from tokens, so that mismatched and stray
   marks can be reasoned about character by character). Straight, curly, low-9 and guillemet
   double marks, and two apostrophes typed for one (''), are paired by context first (a mark
   between a space and a word opens, one between a word and a space or punctuation closes) and
   by glyph only when context is silent. A paragraph that leaves a quotation open continues it
   if the next paragraph reopens with a mark (the newspaper convention); otherwise the
   quotation ends with the paragraph. A stray closing mark recovers the stretch before it.
   Nothing here raises on malformed input.
2. **Cues** from ``data/reporting_verbs.tsv``, located through the dependency parse: reporting
   verbs, nouns and phrases ("said", "claim", "according to", "point out"), beliefs ("thinks",
   "seems") and stances ("supports", "wants", "plans to", "voted against", "support for",
   "eager to"); each row says which *act* it reports (speech, cognition, attitude) and what may
   stand as its content: a complement clause, an object noun phrase, an infinitive, or the
   predicate of a raising verb. Passive cues take their subject as content ("Trump was
   criticized for ..."); a clause on a noun takes the noun ("the deal he opposed"). The
   speaker is the cue's subject (a relative pronoun, with the noun it refers to as
   antecedent), the agent of a passive, the object of "according to", or the possessor of a
   cue noun; raising verbs ("seems") have none. A verb outside the lexicon counts as a
   cue of belief only when a named or personal subject governs a following clause ("Kim
   fretted that ..."), which keeps the long tail of such verbs without guessing at objects.

A cue whose content is made of quotations yields *direct* quotes; a cue whose content mixes
quoted and unquoted words yields one *mixed* quote; without quotation marks it is *indirect*.
Quotations without a cue of their own take the nearest cue before or after them in the same
sentence, then the cue of a sentence that ends with a colon just before them ("Name: “...”"
included), then the speaker of the preceding quotation in the same or the previous paragraph.
Pronoun and definite-description speakers ("he", "the minister") are linked to the most recent
compatible named speaker. Attribution is one level deep: a cue inside another quote's content
("X said that Y believes Z") is part of that content, not a quote of its own.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from realpolitik.quotes_model import AttributionModel, load_attribution_model

__all__ = [
    "ACTS",
    "Candidate",
    "CueEntry",
    "EndCandidate",
    "Lexicon",
    "QuoteSpan",
    "attribution_candidates",
    "find_quotes",
    "load_lexicon",
    "quote_regions",
]


@dataclass(frozen=True)
class QuoteSpan:
    """One attributed statement found in a document.

    Every span is a pair of character offsets into ``doc.text`` (end exclusive).

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
      probability when the model added it (see :mod:`realpolitik.quotes_model`).
    """

    content: tuple[int, int]
    speaker: tuple[int, int] | None
    speaker_antecedent: tuple[int, int] | None
    cue: tuple[int, int] | None
    kind: str
    act: str = "speech"
    score: float | None = None


# --------------------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class CueEntry:
    """One row of the reporting-cue lexicon."""

    text: str
    type: str  # verb | noun | phrase
    act: str  # speech | cognition | attitude
    content: frozenset[str]  # subset of {"clause", "np", "inf", "pred"}


@dataclass(frozen=True)
class Lexicon:
    """Reporting cues indexed by how they are matched in a parse."""

    verbs: dict[str, CueEntry]
    nouns: dict[str, CueEntry]
    # "point out": verb lemma -> [(particle, entry)]
    particles: dict[str, list[tuple[str, CueEntry]]]
    # "make clear", "make the case": verb lemma -> [(object words, entry)]
    verb_objects: dict[str, list[tuple[tuple[str, ...], CueEntry]]]
    # "according to", "in the words of": first word -> [(words, entry)]
    prepositions: dict[str, list[tuple[tuple[str, ...], CueEntry]]]
    # "be confident": adjective or participle -> entry
    adjectives: dict[str, CueEntry]
    # "support for", "decision to": noun lemma -> [(preposition, entry)]
    noun_preps: dict[str, list[tuple[str, CueEntry]]] = field(default_factory=dict)
    # start_words(), kept by load_lexicon so that most tokens are skipped at a glance
    keys: frozenset[str] = frozenset()

    def start_words(self) -> frozenset[str]:
        """Every word a cue can start from: verb, noun and adjective lemmas, phrase heads."""
        keys = set(self.verbs) | set(self.nouns) | set(self.particles) | set(self.verb_objects)
        keys |= set(self.prepositions) | set(self.adjectives) | set(self.noun_preps)
        return frozenset(keys)


_PARTICLES = frozenset(
    {"out", "up", "on", "in", "for", "down", "off", "over", "back", "to", "about", "of"}
    | {"with", "against", "at", "by", "into"}
)
ACTS = frozenset({"speech", "cognition", "attitude"})
_CONTENT_KINDS = frozenset({"clause", "np", "inf", "pred"})
_PREP_STARTS = frozenset({"according", "in", "as", "per"})


def _data_path() -> Path:
    return Path(str(resources.files("realpolitik").joinpath("data/reporting_verbs.tsv")))


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    """Read a reporting-cue TSV (default: the packaged ``data/reporting_verbs.tsv``).

    Columns: ``cue``, ``type`` (verb|noun|phrase), ``act`` (speech|cognition|attitude) and
    ``content`` (comma-separated subset of clause, np, inf, pred). Lines starting with ``#`` are
    comments.
    """
    source = Path(path) if path else _data_path()
    verbs: dict[str, CueEntry] = {}
    nouns: dict[str, CueEntry] = {}
    particles: dict[str, list[tuple[str, CueEntry]]] = {}
    verb_objects: dict[str, list[tuple[tuple[str, ...], CueEntry]]] = {}
    preps: dict[str, list[tuple[tuple[str, ...], CueEntry]]] = {}
    adjectives: dict[str, CueEntry] = {}
    noun_preps: dict[str, list[tuple[str, CueEntry]]] = {}
    for raw in source.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#") or raw.startswith("cue\t"):
            continue
        cols = raw.split("\t")
        if len(cols) < 4:
            raise ValueError(f"{source}: expected 4 tab-separated columns in {raw!r}")
        text, kind, act = cols[0].strip().lower(), cols[1].strip(), cols[2].strip()
        content = frozenset(c.strip() for c in cols[3].split(",") if c.strip())
        if act not in ACTS:
            raise ValueError(f"{source}: unknown act {act!r} in {raw!r}")
        if not content or not content <= _CONTENT_KINDS:
            raise ValueError(f"{source}: unknown content kind in {raw!r}")
        entry = CueEntry(text, kind, act, content)
        words = tuple(text.split())
        if kind == "verb":
            verbs[text] = entry
        elif kind == "noun" and len(words) == 2:
            noun_preps.setdefault(words[0], []).append((words[1], entry))
        elif kind == "noun":
            nouns[text] = entry
        elif kind == "phrase":
            if words[0] == "be" and len(words) == 2:
                adjectives[words[1]] = entry
            elif words[0] in _PREP_STARTS:
                preps.setdefault(words[0], []).append((words, entry))
            elif len(words) == 2 and words[1] in _PARTICLES:
                particles.setdefault(words[0], []).append((words[1], entry))
            else:
                verb_objects.setdefault(words[0], []).append((words[1:], entry))
        else:
            raise ValueError(f"{source}: unknown cue type {kind!r} in {raw!r}")
    lex = Lexicon(verbs, nouns, particles, verb_objects, preps, adjectives, noun_preps)
    return replace(lex, keys=lex.start_words())


# --------------------------------------------------------------------------- quotation marks

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
_WORD = re.compile(r"\w+")
# "WASHINGTON (AP) — ", "SEOUL, March 18 (Reuters) - ": not part of what anyone said.
_DATELINE = re.compile(
    r"[A-Z][A-Z .,'-]+(?:,[^()\n]{0,30})?\([^()\n]{1,30}\)\s*[-\u2013\u2014]+\s*"
)


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


def _quote_regions(text: str) -> list[_Region]:
    regions: list[_Region] = []
    paras = _paragraphs(text)

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
                if len(stack) == 1 and _SENTENCE_END.search(text[stack[0] + 1 : pos]):
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

    def inside_double(i: int) -> bool:
        return any(
            (r.open_mark if r.open_mark is not None else r.start) <= i <= r.end for r in doubles
        )

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


# --------------------------------------------------------------------------- cues


@dataclass
class _Ctx:
    """What every step needs to know about the document being read."""

    doc: Doc
    text: str  # doc.text with '' marks normalised (same offsets), see _normalize_marks
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


_SUBJ = ("nsubj", "nsubjpass")
# Things that say something by themselves ("a statement saying", "a sign reading").
_DOCUMENT_NOUNS = frozenset(
    [
        "statement",
        "letter",
        "tweet",
        "post",
        "message",
        "email",
        "memo",
        "report",
        "release",
        "ad",
        "advertisement",
        "video",
        "sign",
        "banner",
        "book",
        "article",
        "editorial",
        "column",
        "op-ed",
        "headline",
        "poll",
        "survey",
        "study",
        "document",
        "filing",
        "complaint",
        "lawsuit",
        "resolution",
        "bill",
        "note",
        "transcript",
        "petition",
        "communique",
        "declaration",
    ]
)
_RELATIVE = frozenset({"who", "that", "which", "whom"})
_EXPLETIVE = frozenset({"it", "there"})
_SPEAKER_EXCLUDE = frozenset(
    {
        "appos",
        "relcl",
        "acl",
        "advcl",
        "parataxis",
        "ccomp",
        "punct",
        "prep",
        "mark",
        "advmod",
        "case",
    }
)
_SPEAKER_EXCLUDE_COMMON = _SPEAKER_EXCLUDE - {"prep"}
# Words that may sit between a cue's content and its quotations without making them "mixed".
_REASON_PREPS = frozenset({"for", "of", "over", "against"})
# Prepositions that set the scene of an act rather than extend what it is about.
_CIRCUMSTANCE_PREPS = frozenset(
    {
        "at",
        "during",
        "after",
        "before",
        "since",
        "until",
        "amid",
        "despite",
        "following",
    }
)
_CONNECTORS = frozenset({"that", "and", "but", "or", "adding", "saying", "then", "also"})


def _char_span(doc: Doc, first: int, last: int) -> tuple[int, int]:
    return doc[first].idx, doc[last].idx + len(doc[last].text)


def _subtree_span(tok: Token) -> tuple[int, int]:
    return _char_span(tok.doc, tok.left_edge.i, tok.right_edge.i)


def _tidy(ctx: _Ctx, first: int, last: int, anchor: int) -> tuple[int, int] | None:
    """Char span of tokens first..last without edge punctuation or a leading "that", kept
    inside the paragraph of character ``anchor`` (the parser sometimes runs a headline or a
    photo caption into the next paragraph)."""
    doc = ctx.doc
    while first <= last and (doc[first].is_punct or doc[first].is_space):
        first += 1
    if first <= last and doc[first].lower_ == "that" and doc[first].dep_ == "mark":
        first += 1
    while last >= first and (doc[last].is_punct or doc[last].is_space):
        last -= 1
    if first > last:
        return None
    s, e = _char_span(doc, first, last)
    ps, pe = ctx.para(anchor)
    s, e = _trim(ctx.text, max(s, ps), min(e, pe))
    dateline = _DATELINE.match(ctx.text, s, e)
    if dateline:
        s = dateline.end()
    if not _WORD.search(ctx.text[s:e]):
        return None
    return s, e


def _content_spans(ctx: _Ctx, roots: list[Token], anchor: int) -> list[tuple[int, int]]:
    """One span per complement subtree; neighbours joined when only connectors part them.

    A subtree that reaches back over the cue ("a procedure which diplomats said could be
    completed": "which" belongs to "completed") starts after the cue."""
    spans = sorted(
        sp
        for r in roots
        if (sp := _tidy(ctx, _after_cue(r, anchor), _right_end(ctx, r), anchor)) is not None
    )
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged:
            ps, pe = merged[-1]
            gap = [w.lower() for w in _WORD.findall(ctx.text[pe:s])]
            if s <= pe or (all(w in _CONNECTORS for w in gap) and not _crosses_mark(ctx, pe, s)):
                merged[-1] = (ps, max(pe, e))
                continue
        merged.append((s, e))
    return merged


def _after_cue(root: Token, anchor: int) -> int:
    """First token of ``root``'s subtree, or the token after the cue at character ``anchor``
    when the subtree starts before the cue and the root comes after it."""
    first = root.left_edge.i
    if root.doc[first].idx < anchor < root.idx:
        cue = root.doc.char_span(anchor, anchor + 1, alignment_mode="expand")
        if cue is not None and len(cue):
            return max(first, cue[0].i + 1)
    return first


def _right_end(ctx: _Ctx, root: Token) -> int:
    """Last token of a content subtree, stopping before a conjoined clause that is a new
    attribution of its own ("said the plan would fail, and he criticized its authors")."""
    for child in root.children:
        if child.i > root.i and (
            (
                child.dep_ == "conj"
                and child.pos_ in ("VERB", "AUX")
                and any(c.dep_ in _SUBJ for c in child.children)
                and _is_cue_verb(ctx.lex, child)
            )
            or (
                # "said he would go, insisting that ...": a trailing participle cue starts
                # an attribution of its own.
                child.dep_ == "advcl"
                and child.tag_ == "VBG"
                and ctx.doc[child.left_edge.i - 1].text == ","
                and _is_cue_verb(ctx.lex, child)
            )
        ):
            last = child.left_edge.i - 1
            while last > root.i and (
                ctx.doc[last].dep_ in ("cc", "punct") or ctx.doc[last].is_space
            ):
                last -= 1
            return last
    return root.right_edge.i


def _is_cue_verb(lex: Lexicon, tok: Token) -> bool:
    lemma = _LEMMA_FIXES.get(tok.lower_, tok.lemma_.lower())
    return lemma in lex.verbs or lemma in lex.particles or lemma in lex.verb_objects


def _crosses_mark(ctx: _Ctx, s: int, e: int) -> bool:
    return any(ch in _DOUBLE_MARKS for ch in ctx.text[s:e])


def _subject(verb: Token, *, depth: int = 0) -> tuple[Token | None, bool]:
    """The speaker head of a verb cue and whether the cue is passive (speaker = agent)."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            # A relative pronoun ("X, who said ...") stands as the speaker mention; its
            # antecedent is found when the speaker span is built.
            return child, False
        if child.dep_ == "nsubjpass":
            for agent in verb.children:
                if agent.dep_ == "agent":
                    for pobj in agent.children:
                        if pobj.dep_ == "pobj":
                            return pobj, True
            return None, True
    head = verb.head
    if depth > 3 or head.i == verb.i:
        return None, False
    if verb.tag_ == "VBN" and verb.dep_ == "acl":
        # "measures deemed insufficient by Democrats": the agent, if any, holds the view.
        agents = [p for c in verb.children if c.dep_ == "agent" for p in c.children]
        return next((p for p in agents if p.dep_ == "pobj"), None), True
    if verb.dep_ in ("advcl", "xcomp", "pcomp", "conj") and head.pos_ in ("VERB", "AUX"):
        # "..., adding", "went on to say", "quoted as saying", "said ... and added": the
        # speaker is the subject of the governing verb, whether active or passive.
        for child in head.children:
            if child.dep_ in _SUBJ:
                return child, False
        return _subject(head, depth=depth + 1)
    if verb.dep_ == "pcomp" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX"):
        return _subject(head.head, depth=depth + 1)
    if verb.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN"):
        # "issued a statement saying that ...": the issuer if the statement is an object;
        # "attacked Ginsburg, saying ...": a participle hung on an object by the parser
        # belongs to the subject of the clause.
        document = head.lemma_.lower() in _DOCUMENT_NOUNS
        if head.dep_ in ("dobj", "pobj") and (not document or head.dep_ == "dobj"):
            gov = head.head if head.dep_ == "dobj" else head.head.head
            if gov.pos_ in ("VERB", "AUX"):
                subj, _ = _subject(gov, depth=depth + 1)
                if subj is not None:
                    return subj, False
        return head, False
    if verb.dep_ == "relcl":
        return head, False
    return None, False


def _mostly_quoted(ctx: _Ctx, tok: Token) -> bool:
    """At least half of the subtree's words are inside quotation marks (not a title)."""
    if not ctx.spoken:
        return False
    words = [t.idx for t in tok.subtree if not t.is_punct and not t.is_space]
    inside = sum(1 for i in words if ctx.quoted(i))
    return bool(words) and 2 * inside >= len(words)


def _title_like(text: str, r: _Region) -> bool:
    """Capitalised like a show, book or slogan ("Meet the Press", "This Week")."""
    words = _WORD.findall(text[r.start : r.end])
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _after_colon(tok: Token) -> bool:
    left = tok.left_edge.i
    return left > 0 and tok.doc[left - 1].text == ":"


def _verb_roots(ctx: _Ctx, verb: Token, entry: CueEntry, skip: set[int]) -> list[Token]:
    """Complement subtrees of a verb cue that hold its reported content."""
    roots: list[Token] = []
    objects: list[Token] = []
    for child in verb.children:
        if child.i in skip:
            continue
        dep = child.dep_
        if (
            (dep == "ccomp" and "clause" in entry.content)
            or (dep == "parataxis" and (_mostly_quoted(ctx, child) or _after_colon(child)))
            or (dep in ("dobj", "attr", "npadvmod", "oprd") and _mostly_quoted(ctx, child))
            or (dep == "xcomp" and "inf" in entry.content)
        ):
            roots.append(child)
        elif (
            dep == "conj"
            and "clause" in entry.content
            and any(c.dep_ == "mark" and c.lower_ == "that" for c in child.children)
        ):
            # "said A but that B": the parser may hang the second clause on the cue.
            roots.append(child)
        elif dep == "dobj":
            objects.append(child)
    oprds = [r for r in roots if r.dep_ == "oprd"]
    if oprds:
        # 'called AP's report a "rush to judgment"': the object goes with its quoted predicate.
        roots.extend(o for o in objects if o.i < oprds[0].i)
    if any(r.dep_ == "xcomp" for r in roots):
        # "urged Congress to act": the addressee belongs with the infinitive.
        first = min(r.i for r in roots if r.dep_ == "xcomp")
        roots.extend(o for o in objects if o.i < first)
    if not roots and objects:
        # "called him a liar", "described it as a disaster": object and its predicate.
        preds = [
            c
            for c in verb.children
            if c.i > objects[0].i and (c.dep_ == "oprd" or (c.dep_ == "prep" and c.lower_ == "as"))
        ]
        if preds:
            roots.extend(objects[:1] + preds[:1])
    if not roots:
        roots = _passive_roots(verb, entry)
    if not roots and "np" in entry.content:
        roots.extend(objects)
        if roots:
            # "criticized Clinton for accepting ...", "proposed accountability from schools in
            # exchange for dollars": the verb's prepositional phrases after the object belong
            # to the content unless a comma sets them off or they only say where, when or
            # how ("endorsed Trump at a news conference", "won by a smaller margin").
            roots.extend(
                c
                for c in verb.children
                if c.dep_ == "prep"
                and c.i > roots[0].i
                and ctx.doc[c.i - 1].text != ","
                and not _scene_setting(c)
            )
    return roots


# Entity types that only say where or when: "endorsed its outline [in Brussels] [on Monday]".
_SCENE_ENTS = frozenset({"GPE", "LOC", "FAC", "DATE", "TIME"})


def _scene_setting(prep: Token) -> bool:
    """Whether a prepositional phrase only sets the scene (where, when, under what
    circumstances) rather than saying more about what the attitude is about."""
    if prep.lower_ in _CIRCUMSTANCE_PREPS:
        return True
    objects = [g for g in prep.children if g.dep_ == "pobj"]
    return bool(objects) and all(g.ent_type_ in _SCENE_ENTS for g in objects)


def _passive_roots(verb: Token, entry: CueEntry) -> list[Token]:
    """'Trump was rebuked for his proposal', 'betting was thought to be a cash machine':
    the passive subject (with its predicate or reason) is what the attitude is about."""
    subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if subj is None or subj.lower_ in _EXPLETIVE:
        return []
    if subj.lower_ in _RELATIVE or subj.lower_ == "what":
        return []  # "who has been called ...": the antecedent lies outside the clause
    np = "np" in entry.content
    preds = [
        c
        for c in verb.children
        if c.dep_ in ("xcomp", "oprd")
        or (c.dep_ == "prep" and (c.lower_ == "as" or (np and c.lower_ in _REASON_PREPS)))
    ]
    if not np and not preds:
        return []
    return [subj, *preds]


# What may stand between a verb and its particle: "voted overwhelmingly against".
_BETWEEN_PARTICLE = frozenset({"advmod", "neg", "prt"})
# Predicates of raising verbs: "seems [unlikely]", "appears [to have won]", "seems [like a deal]".
_PRED_DEPS = frozenset({"xcomp", "acomp", "attr", "oprd"})


def _reading_roots(ctx: _Ctx, tok: Token, entry: CueEntry, skip: set[int]) -> list[Token]:
    """Content subtrees of verb ``tok`` read as ``entry`` (particle or object word in ``skip``)."""
    doc = ctx.doc
    if "pred" in entry.content:
        roots = [
            c
            for c in tok.children
            if c.dep_ in _PRED_DEPS or (c.dep_ == "prep" and c.lower_ in ("like", "as"))
        ]
        return roots or [c for c in tok.children if c.dep_ == "ccomp"]
    if skip and any(doc[i].dep_ == "prep" for i in skip):
        # "agree with X", "vote for X", "complain about being left out": the preposition's
        # object (or a clause hung on it) is the content.
        roots = [c for i in skip for c in doc[i].children if c.dep_ in ("pobj", "pcomp", "ccomp")]
        if roots and "inf" in entry.content:
            roots.extend(c for c in tok.children if c.dep_ == "xcomp")
        if roots:
            # "railed against the moderators for failing to ...": the reason goes with it.
            roots.extend(
                c
                for c in tok.children
                if c.dep_ == "prep" and c.lower_ in _REASON_PREPS and c.i > roots[0].i
            )
        return roots
    roots = _verb_roots(ctx, tok, entry, skip)
    for i in skip:
        # "made clear that ...": the clause may hang from the object word.
        roots.extend(c for c in doc[i].children if c.dep_ == "ccomp")
    return roots


def _gap_content(ctx: _Ctx, verb: Token, entry: CueEntry) -> list[tuple[int, int]]:
    """Content that the verb's clause modifies: "the deal [he opposed]", "measures [deemed
    insufficient]"."""
    head = verb.head
    if "np" not in entry.content or head.i == verb.i or head.pos_ not in ("NOUN", "PROPN"):
        return []
    if verb.dep_ == "relcl":
        subj = next((c for c in verb.children if c.dep_ in _SUBJ), None)
        if subj is None or subj.lower_ in _RELATIVE or subj.dep_ == "nsubjpass":
            return []  # "X, who supports ...": X holds the attitude, it is not its object
    elif verb.dep_ != "acl" or verb.tag_ != "VBN":
        return []
    elif not any(c.dep_ == "agent" for c in verb.children):
        return []  # "a group called X", "the so-called X": a name, not somebody's view
    span = _tidy(ctx, head.left_edge.i, verb.left_edge.i - 1, verb.idx)
    preds = [c for c in verb.children if c.dep_ in ("oprd", "xcomp")]
    spans = [span] if span else []
    spans += [sp for c in preds if (sp := _tidy(ctx, c.left_edge.i, c.right_edge.i, verb.idx))]
    return sorted(spans)


def _inverted_content(ctx: _Ctx, verb: Token) -> list[tuple[int, int]]:
    """Content for "China, he said, is a threat": the clause around an embedded cue."""
    head = verb.head
    if head.i == verb.i or verb.dep_ not in ("parataxis", "ccomp", "advcl"):
        return []
    if _is_cue_verb(ctx.lex, head):
        return []  # "He may add X, he said": "add" is what was said, not a cue around it
    if not any(c.dep_ == "nsubj" for c in verb.children):
        return []
    if any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in verb.children):
        return []
    if verb.right_edge.i - verb.left_edge.i > 12:
        return []
    first, last = head.left_edge.i, head.right_edge.i
    # Take the side of the clause away from the cue when the cue sits at an edge; in the
    # middle ("The plan, he said, will fail"), both sides without the cue.
    if verb.left_edge.i <= first + 1:
        first = verb.right_edge.i + 1
    elif verb.right_edge.i >= last - 1:
        last = verb.left_edge.i - 1
    else:
        parts = [(first, verb.left_edge.i - 1), (verb.right_edge.i + 1, last)]
        spans = [sp for a, b in parts if (sp := _tidy(ctx, a, b, verb.idx)) is not None]
        return spans if sum(b - a for a, b in parts) >= 2 else []
    if last - first < 2:
        return []
    span = _tidy(ctx, first, last, verb.idx)
    return [span] if span else []


# Forms the small English model lemmatises wrongly ("hoping" -> "hop").
_LEMMA_FIXES = {"hoping": "hope", "hoped": "hope", "hopes": "hope"}


def _find_hits(ctx: _Ctx, lex: Lexicon) -> list[_Hit]:
    doc = ctx.doc
    hits: list[_Hit] = []
    keys = lex.keys or lex.start_words()
    for tok in doc:
        low = tok.lower_
        lemma = _LEMMA_FIXES.get(low, tok.lemma_.lower())
        if low not in keys and lemma not in keys:
            if tok.pos_ == "VERB":
                hit = _fallback_hit(ctx, tok)
                if hit is not None:
                    hits.append(hit)
            continue  # most tokens: nothing in the lexicon starts with them
        for words, entry in lex.prepositions.get(low, []):
            n = len(words)
            if tuple(t.lower_ for t in doc[tok.i : tok.i + n]) == words:
                hit = _prep_hit(ctx, tok, n, entry)
                if hit is not None:
                    hits.append(hit)
        if tok.pos_ in ("VERB", "AUX"):
            hit = _verb_hit(ctx, tok, lemma, lex)
            # "is opposed to": a participle may read better as an adjective.
            if hit is not None and (hit.content or low not in lex.adjectives):
                hits.append(hit)
                continue
            if hit is not None:
                adj = _adjective_hit(ctx, tok, lex.adjectives[low])
                hits.append(adj if adj is not None else hit)
                continue
        if tok.pos_ in ("ADJ", "VERB") and (low in lex.adjectives or lemma in lex.adjectives):
            hit = _adjective_hit(ctx, tok, lex.adjectives.get(low) or lex.adjectives[lemma])
            if hit is not None:
                hits.append(hit)
                continue
        if tok.pos_ == "NOUN" and lemma in lex.nouns:
            hit = _noun_hit(ctx, tok, lex.nouns[lemma])
            if hit is not None:
                hits.append(hit)
                continue
        if tok.pos_ == "NOUN" and lemma in lex.noun_preps:
            hit = _noun_prep_hit(ctx, tok, lex.noun_preps[lemma])
            if hit is not None:
                hits.append(hit)
    return hits


# A verb outside the lexicon that takes a clause is read as a belief (the act PolNeAR's
# long tail of cues is closest to: "X worried that", "X learned that").
_FALLBACK_ENTRY = CueEntry("", "verb", "cognition", frozenset({"clause"}))
_FALLBACK_ENTS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
_FALLBACK_PRONOUNS = frozenset({"he", "she", "they", "i", "we", "who"})
# Verbs whose clause complement is mostly a misparse or a purpose, not a view ("have",
# "help", "monitor": under a third right on PolNeAR train).
_FALLBACK_EXCLUDED = frozenset({"have", "help", "monitor"})


def _fallback_hit(ctx: _Ctx, tok: Token) -> _Hit | None:
    """A verb outside the lexicon with a named or personal subject and a following clause
    complement ("Smith worried the plan would fail"); ``None`` for anything less clear."""
    if tok.lemma_.lower() in _FALLBACK_EXCLUDED:
        return None
    comps = [
        c
        for c in tok.children
        if c.dep_ == "ccomp"
        and c.i > tok.i
        and any((m.dep_ == "mark" and m.lower_ == "that") or m.dep_ in _SUBJ for m in c.children)
    ]
    if not comps:
        return None
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    # Things do not hold views ("the report suggests" is in the lexicon; "it means" is not).
    if subj is None or not (subj.ent_type_ in _FALLBACK_ENTS or subj.lower_ in _FALLBACK_PRONOUNS):
        return None
    content = _content_spans(ctx, comps, tok.idx)
    if not content:
        return None
    return _Hit(
        _char_span(ctx.doc, tok.i, tok.i),
        tok.i,
        _FALLBACK_ENTRY,
        _speaker_head(ctx, subj, tok),
        content,
    )


# Words of editorial labels that end with a colon but name nobody who speaks.
_COLON_LABELS = frozenset(
    {
        "note",
        "update",
        "updated",
        "correction",
        "clarification",
        "disclosure",
        "editor",
        "email",
        "newsletter",
        "previously",
        "related",
        "read",
        "watch",
        "photo",
        "video",
        "breaking",
        "exclusive",
        "advertisement",
        "live",
    }
)
_COLON_ENTRY = CueEntry(":", "phrase", "speech", frozenset({"clause"}))


def _colon_hits(ctx: _Ctx) -> list[_Hit]:
    """'Name: what they said' at the head of a paragraph (headlines, transcripts)."""
    doc, text = ctx.doc, ctx.text
    hits: list[_Hit] = []
    for ps, pe in ctx.paras:
        colon = text.find(":", ps, min(pe, ps + 60))
        if colon < 0 or colon + 1 >= pe or not text[colon + 1].isspace():
            continue
        name = doc.char_span(ps, colon, alignment_mode="contract")
        dashes = [t.i for t in name or [] if t.text in _DASHES]
        if name is not None and dashes:
            name = doc[dashes[-1] + 1 : name.end]  # "HEADLINE - Name:": the name only
        if name is None or not 1 <= len(name) <= 7:
            continue
        if any(t.pos_ == "VERB" for t in name) or not any(
            t.pos_ == "PROPN" or (t.is_upper and len(t) > 1) for t in name
        ):
            continue
        if any(t.lower_ in _COLON_LABELS for t in name):
            continue  # "Editor's note:", "UPDATE:": the paper speaking about itself
        if not _SENTENCE_END.search(text[ps:pe]) and not any(
            t.ent_type_ in _NAMED_TYPES for t in name
        ):
            continue  # "Future Outlook: Joining X is in Y's interest": a section heading
        head = next((t for t in name if not name.start <= t.head.i < name.end), name.root)
        colon_tok = doc.char_span(colon, colon + 1, alignment_mode="expand")
        content = _tidy(ctx, colon_tok.end if colon_tok else name.end, _last_token(doc, pe), ps)
        if content is None or _n_words(text, content) < 3:
            continue
        hits.append(
            _Hit(
                (colon, colon + 1),
                name.end,
                _COLON_ENTRY,
                head.i,
                [content],
                name_start=name.start_char,
            )
        )
    taken = {h.cue[0] for h in hits}
    for region in ctx.regions:
        hit = _name_colon_quote(ctx, region)
        if hit is not None and hit.cue[0] not in taken:
            hits.append(hit)
    return hits


# What may stand before "Name:" inside a paragraph: "HEADLINE - Name:", "More from Name:".
_DASHES = frozenset({"-", "\u2013", "\u2014", "--"})
_NAME_OPENERS = _DASHES | {"from", ":", ";"}
_NAME_JOINERS = frozenset({"and", "&", ".", "'s", "\u2019s"})


def _name_colon_quote(ctx: _Ctx, region: _Region) -> _Hit | None:
    """'... - Jeffrey Jones: "Gallup's analysis finds ..."': a name, a colon, a quotation."""
    if region.open_mark is None:
        return None
    doc, text = ctx.doc, ctx.text
    before = text[: region.open_mark].rstrip()
    if not before.endswith(":"):
        return None
    colon = len(before) - 1
    colon_span = doc.char_span(colon, colon + 1, alignment_mode="expand")
    if colon_span is None or colon_span.start == 0:
        return None
    i = colon_span.start - 1
    last = i
    while i >= 0 and (
        doc[i].pos_ == "PROPN"
        or doc[i].ent_type_ in ("PERSON", "ORG")
        or (doc[i].lower_ in _NAME_JOINERS and i < last)
    ):
        i -= 1
    first = i + 1
    names = [t for t in doc[first : last + 1] if t.pos_ == "PROPN" or t.ent_type_]
    if not names or last - first > 6 or any(t.lower_ in _COLON_LABELS for t in names):
        return None
    ps, _ = ctx.para(region.open_mark)
    if i >= 0 and doc[i].idx >= ps and doc[i].lower_ not in _NAME_OPENERS:
        return None  # "... said Clinton: " and the like are left to the verb
    head = next((t for t in names if not first <= t.head.i <= last), names[-1])
    return _Hit(
        (colon, colon + 1),
        colon_span.start,
        _COLON_ENTRY,
        head.i,
        [(region.start, region.end)],
        name_start=doc[first].idx,
    )


def _last_token(doc: Doc, end: int) -> int:
    span = doc.char_span(max(end - 1, 0), end, alignment_mode="expand")
    return span.end - 1 if span is not None else len(doc) - 1


def _speaker_head(ctx: _Ctx, cand: Token | None, cue: Token) -> int | None:
    """``cand`` if it is in the cue's paragraph, else its closest dependent that is."""
    if cand is None:
        return None
    ps, pe = ctx.para(cue.idx)
    if ps <= cand.idx < pe:
        return cand.i
    inside = [t for t in cand.subtree if ps <= t.idx < pe and t.pos_ in ("PROPN", "NOUN", "PRON")]
    # The leftmost nominal whose head lies outside the paragraph heads the local phrase.
    local = [t for t in inside if not ps <= t.head.idx < pe]
    if local:
        return local[0].i
    best: tuple[int, int] | None = None
    for t in inside:
        depth, h = 0, t
        while h.i != cand.i and h.head.i != h.i:
            depth, h = depth + 1, h.head
        if best is None or depth < best[0]:
            best = (depth, t.i)
    return best[1] if best else None


def _verb_hit(ctx: _Ctx, tok: Token, lemma: str, lex: Lexicon) -> _Hit | None:
    doc = tok.doc
    # Candidate readings, most specific first: "agree with X", "make clear that", "agree to".
    readings: list[tuple[CueEntry, int, set[int]]] = []
    for particle, pentry in lex.particles.get(lemma, []):
        for child in tok.children:
            if child.lower_ == particle and (
                child.dep_ == "prt"
                or (
                    child.dep_ in ("prep", "advmod")
                    and child.i > tok.i
                    # "voted overwhelmingly against": adverbs may come between.
                    and all(doc[k].dep_ in _BETWEEN_PARTICLE for k in range(tok.i + 1, child.i))
                )
            ):
                readings.append((pentry, child.i, {child.i}))
                break
    for words, oentry in lex.verb_objects.get(lemma, []):
        for child in tok.children:
            sub = tuple(t.lower_ for t in doc[child.left_edge.i : child.right_edge.i + 1])
            if sub == words:
                readings.append((oentry, child.right_edge.i, {child.i}))
                break
    if lemma in lex.verbs:
        readings.append((lex.verbs[lemma], tok.i, set()))
    if not readings:
        return None
    # The first reading that finds content wins; without any, the most specific stands.
    entry, cue_last, _ = readings[0]
    content: list[tuple[int, int]] = []
    for r_entry, r_last, r_skip in readings:
        content = _content_spans(ctx, _reading_roots(ctx, tok, r_entry, r_skip), tok.idx)
        if content:
            entry, cue_last = r_entry, r_last
            break
    if not content and "clause" in entry.content:
        content = _stranded_clause(ctx, tok)
    if not content:
        content = _gap_content(ctx, tok, entry) or _inverted_content(ctx, tok)
    speaker, _passive = _subject(tok)
    if speaker is not None and speaker.lower_ in _EXPLETIVE and entry.act == "cognition":
        speaker = None  # "it seems", "it follows that": no holder of the belief
    if "pred" in entry.content:
        speaker = None  # "X seems likely to win": the writer's impression, nobody else's
    return _Hit(
        cue=_char_span(doc, tok.i, cue_last),
        cue_token=tok.i,
        entry=entry,
        speaker=_speaker_head(ctx, speaker, tok),
        content=content,
    )


# Occasions of speech: a "that" clause hung on one of these belongs to the verb of saying
# ("said at a news conference that ...", "says in a statement that ...").
_OCCASION_NOUNS = frozenset(
    {
        "statement",
        "interview",
        "conference",
        "briefing",
        "speech",
        "remark",
        "response",
        "question",
        "debate",
        "rally",
        "meeting",
        "visit",
        "hearing",
        "appearance",
        "address",
        "call",
        "letter",
        "email",
        "post",
        "tweet",
        "video",
        "session",
        "event",
        "hall",
        "summit",
        "talk",
        "testimony",
        "broadcast",
        "program",
        "show",
        "op-ed",
        "column",
        "message",
        "release",
        "filing",
        "memo",
        "note",
        "sermon",
        "lecture",
        "forum",
    }
)


def _stranded_clause(ctx: _Ctx, verb: Token) -> list[tuple[int, int]]:
    """A "that" clause the parser hung, as a relative clause, on the occasion or time in the
    verb's prepositional phrase: "reiterated in response to questions at a press conference
    [that X would ...]", "said on Friday [that ...]"."""
    doc = ctx.doc
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.i > verb.i):
        for tok in prep.subtree:
            if tok.dep_ not in ("relcl", "acl") or tok.i <= prep.i:
                continue
            holder = tok.head
            if holder.lemma_.lower() not in _OCCASION_NOUNS and holder.ent_type_ not in (
                "DATE",
                "TIME",
            ):
                continue
            first = doc[tok.left_edge.i]
            if first.lower_ != "that" or first.i == 0 or doc[first.i - 1].is_punct:
                continue
            if not any(c.dep_ in _SUBJ and c.i != first.i for c in tok.children):
                continue  # "the talks that failed": "that" is the subject, a real relative
            span = _tidy(ctx, first.i + 1, _right_end(ctx, tok), verb.idx)
            return [span] if span is not None else []
    return []


def _prep_hit(ctx: _Ctx, tok: Token, n: int, entry: CueEntry) -> _Hit | None:
    """'according to X, CONTENT' / 'CONTENT, in the words of X'."""
    doc = ctx.doc
    last = doc[tok.i + n - 1]
    source = next((c for c in last.children if c.dep_ == "pobj"), None)
    if source is None:
        return None
    phrase_first = tok.i
    phrase_last = max(last.right_edge.i, source.right_edge.i)
    sent = tok.sent
    first, end = sent.start, sent.end - 1
    # Content is the rest of the sentence; when the phrase sits at an edge, the other side.
    if phrase_first <= first + 1:
        first = phrase_last + 1
    elif phrase_last >= end - 1:
        end = phrase_first - 1
    span = _tidy(ctx, first, end, tok.idx) if end - first >= 1 else None
    return _Hit(
        cue=_char_span(doc, tok.i, tok.i + n - 1),
        cue_token=tok.i,
        entry=entry,
        speaker=_speaker_head(ctx, source, tok),
        content=[span] if span else [],
    )


# Prepositions that introduce what an attitude adjective is about ("proud of", "angry about").
_ADJ_PREPS = frozenset(
    {"of", "about", "with", "to", "in", "at", "over", "on", "toward", "towards", "for"}
)


def _adjective_hit(ctx: _Ctx, tok: Token, entry: CueEntry) -> _Hit | None:
    """'X is confident that ...', 'X is eager to ...', 'X is proud of ...'."""
    head = tok.head
    roots = [c for c in tok.children if c.dep_ == "ccomp"]
    if not roots and head.i != tok.i and head.lemma_ == "be":
        roots = [c for c in head.children if c.dep_ == "ccomp" and c.i > tok.i]
    if not roots and "inf" in entry.content:
        roots = [c for c in tok.children if c.dep_ == "xcomp"]
    if not roots and "np" in entry.content:
        roots = [
            p
            for c in tok.children
            if c.dep_ == "prep" and c.lower_ in _ADJ_PREPS
            for p in c.children
            if p.dep_ in ("pobj", "pcomp")
        ][:1]
    holder = head if tok.dep_ in ("acomp", "attr", "oprd") else tok
    subj = next((c for c in holder.children if c.dep_ in _SUBJ), None)
    if not roots or subj is None or subj.lower_ in _EXPLETIVE:
        return None
    content = _content_spans(ctx, roots, tok.idx)
    if not content:
        return None
    return _Hit(
        _char_span(tok.doc, tok.i, tok.i), tok.i, entry, _speaker_head(ctx, subj, tok), content
    )


def _noun_hit(ctx: _Ctx, tok: Token, entry: CueEntry) -> _Hit | None:
    """'X's claim that ...', 'the statement by X that ...', 'X voiced hope that ...'."""
    roots: list[Token] = []
    for child in tok.children:
        if (
            child.dep_ in ("acl", "ccomp", "appos")
            and child.pos_ in ("VERB", "AUX")
            and any(
                (m.dep_ == "mark" and m.lower_ in ("that", "whether")) or m.dep_ == "nsubj"
                for m in child.children
            )
        ):
            roots.append(child)
    if not roots:
        return None
    speaker: Token | None = None
    for child in tok.children:
        if child.dep_ == "poss":
            speaker = child
        elif child.dep_ == "prep" and child.lower_ in ("by", "from", "of") and speaker is None:
            speaker = next((p for p in child.children if p.dep_ == "pobj"), None)
    if speaker is None and tok.dep_ == "dobj" and tok.head.pos_ == "VERB":
        speaker, _ = _subject(tok.head)
    content = _content_spans(ctx, roots, tok.idx)
    if not content:
        return None
    return _Hit(
        _char_span(tok.doc, tok.i, tok.i), tok.i, entry, _speaker_head(ctx, speaker, tok), content
    )


def _noun_prep_hit(ctx: _Ctx, tok: Token, readings: list[tuple[str, CueEntry]]) -> _Hit | None:
    """'X's support for Y', 'criticism of Y by X', 'X's decision to leave'."""
    doc = ctx.doc
    for prep, entry in readings:
        roots: list[Token] = []
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == prep and "np" in entry.content:
                roots = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            elif (
                prep == "to"
                and child.dep_ in ("acl", "relcl")
                and "inf" in entry.content
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children)
            ):
                roots = [child]  # "the decision to leave": an infinitive clause on the noun
            if roots:
                break
        content = _content_spans(ctx, roots, tok.idx)
        if not content:
            continue
        speaker: Token | None = None
        for child in tok.children:
            if child.dep_ == "poss":
                speaker = child
            elif child.dep_ == "prep" and child.lower_ in ("by", "from") and speaker is None:
                speaker = next((p for p in child.children if p.dep_ == "pobj"), None)
        if speaker is None and tok.dep_ == "dobj" and tok.head.pos_ == "VERB":
            # "X voiced support for Y", "X made the decision to leave".
            speaker, _ = _subject(tok.head)
        return _Hit(
            _char_span(doc, tok.i, tok.i), tok.i, entry, _speaker_head(ctx, speaker, tok), content
        )
    return None


# --------------------------------------------------------------------------- speakers


def _speaker_span(ctx: _Ctx, head: Token) -> tuple[int, int]:
    """The noun phrase headed by ``head``: name with title, without appositions or clauses."""
    doc = ctx.doc
    if head.pos_ == "PRON":
        return _char_span(doc, head.i, head.i)
    named = head.pos_ == "PROPN" or bool(head.ent_type_)
    exclude = _SPEAKER_EXCLUDE if named else _SPEAKER_EXCLUDE_COMMON
    keep = {head.i}
    for child in head.children:
        if child.dep_ not in exclude:
            keep.update(t.i for t in child.subtree)
    if head.ent_iob_ in ("B", "I"):
        # Keep the whole entity even where the parser split it ("Moon Jae - in").
        i = head.i
        while i > 0 and doc[i].ent_iob_ == "I":
            i -= 1
        j = head.i + 1
        while j < len(doc) and doc[j].ent_iob_ == "I":
            j += 1
        keep.update(range(i, j))
    ps, pe = ctx.para(head.idx)
    keep = {i for i in keep if ps <= doc[i].idx < pe}
    first = last = head.i
    while first - 1 in keep:
        first -= 1
    while last + 1 in keep:
        last += 1
    while first < last and (doc[first].is_punct or doc[first].is_space):
        first += 1
    while last > first and (doc[last].is_punct or doc[last].is_space):
        last -= 1
    return _char_span(doc, first, last)


_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
_GROUP_PRONOUNS = frozenset({"they", "them"})
_THING_PRONOUNS = frozenset({"it"})
_NAMED_TYPES = frozenset({"PERSON", "ORG", "NORP", "GPE", "FAC"})
_ORG_TYPES = frozenset({"ORG", "NORP", "GPE", "FAC"})
# Role nouns that, with "the", stand for a person named earlier ("the minister added").
_PERSON_ROLES = frozenset(
    [
        "minister",
        "president",
        "secretary",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "official",
        "diplomat",
        "ambassador",
        "senator",
        "congressman",
        "congresswoman",
        "representative",
        "governor",
        "mayor",
        "professor",
        "analyst",
        "expert",
        "researcher",
        "scholar",
        "general",
        "commander",
        "chairman",
        "chairwoman",
        "chair",
        "leader",
        "lawmaker",
        "legislator",
        "candidate",
        "nominee",
        "premier",
        "chancellor",
        "envoy",
        "negotiator",
        "aide",
        "adviser",
        "advisor",
        "director",
        "chief",
        "king",
        "queen",
        "prince",
        "emperor",
        "attorney",
        "lawyer",
        "judge",
        "justice",
        "officer",
        "economist",
        "author",
        "writer",
        "reporter",
        "journalist",
        "activist",
        "founder",
        "executive",
        "ceo",
        "man",
        "woman",
        "politician",
        "strategist",
        "pollster",
        "prosecutor",
        "commissioner",
        "administrator",
        "manager",
        "owner",
        "deputy",
        "lieutenant",
        "colonel",
        "admiral",
        "sergeant",
        "captain",
        "pastor",
        "bishop",
        "pope",
        "cleric",
    ]
)
_GROUP_NOUNS = frozenset(
    ["duo", "pair", "trio", "couple", "group", "team", "both", "two", "three", "panel"]
)
_ORG_NOUNS = frozenset(
    [
        "ministry",
        "government",
        "newspaper",
        "paper",
        "agency",
        "company",
        "department",
        "committee",
        "administration",
        "campaign",
        "party",
        "outlet",
        "network",
        "organization",
        "organisation",
        "firm",
        "court",
        "council",
        "commission",
        "office",
        "embassy",
        "military",
        "army",
        "navy",
        "bureau",
        "institute",
        "university",
        "union",
        "alliance",
    ]
)


@dataclass
class _Named:
    """A named speaker seen so far, for pronoun and description resolution."""

    span: tuple[int, int]
    etype: str  # PERSON | ORG | OTHER
    plural: bool
    words: frozenset[str] = field(default_factory=frozenset)


def _named_info(ctx: _Ctx, head: Token, span: tuple[int, int]) -> _Named | None:
    sp = ctx.doc.char_span(span[0], span[1], alignment_mode="expand")
    toks = list(sp) if sp is not None else [head]
    if not any(t.pos_ == "PROPN" or t.ent_type_ in _NAMED_TYPES for t in toks):
        return None
    types = {t.ent_type_ for t in toks if t.ent_type_}
    etype = "PERSON" if "PERSON" in types else "ORG" if types & _ORG_TYPES else "OTHER"
    plural = any(c.dep_ == "conj" for c in head.children) or head.tag_ == "NNPS"
    # Descriptions attached to the name ("Foreign Minister X", "X, a professor") let a later
    # "the minister" / "the professor" find it.
    words = frozenset(
        t.lemma_.lower() for t in head.subtree if t.pos_ == "NOUN" or t.dep_ == "compound"
    )
    return _Named(span, etype, plural, words)


def _needs_antecedent(head: Token) -> bool:
    if head.pos_ == "PRON":
        return head.lower_ in _PERSON_PRONOUNS | _GROUP_PRONOUNS | _THING_PRONOUNS
    if head.pos_ == "NOUN":
        return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children)
    return False


def _resolve(ctx: _Ctx, head: Token, before: int, history: list[_Named]) -> tuple[int, int] | None:
    """Most recent compatible named speaker for a pronoun or definite-description speaker."""
    earlier = [c for c in history if c.span[0] < before]
    low, lemma = head.lower_, head.lemma_.lower()
    if head.pos_ == "NOUN":
        for cand in reversed(earlier):
            if lemma in cand.words:
                return cand.span
        if lemma in _GROUP_NOUNS:
            fits = [c for c in earlier if c.plural]
        elif lemma in _PERSON_ROLES and head.tag_ == "NN":
            fits = [c for c in earlier if c.etype == "PERSON" and not c.plural]
        elif lemma in _ORG_NOUNS:
            fits = [c for c in earlier if c.etype == "ORG"]
        else:
            fits = []
        return fits[-1].span if fits else None
    if low in _PERSON_PRONOUNS:
        fits = [c for c in earlier if c.etype in ("PERSON", "OTHER") and not c.plural]
    elif low in _GROUP_PRONOUNS:
        fits = [c for c in earlier if c.plural or c.etype == "ORG"]
    else:
        fits = [c for c in earlier if c.etype == "ORG"]
    if fits:
        return fits[-1].span
    # No named speaker yet: fall back to the last person (or organisation) named in the text.
    labels = ("PERSON",) if low in _PERSON_PRONOUNS else ("ORG", "NORP")
    for start, end, label in reversed(ctx.ents):
        if end <= before and label in labels:
            return start, end
    return None


# --------------------------------------------------------------------------- assembly


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


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _region_span(r: _Region) -> tuple[int, int]:
    return r.start, r.end


def _outer_span(r: _Region) -> tuple[int, int]:
    """The region including its marks."""
    s = r.open_mark if r.open_mark is not None else r.start
    e = r.close_mark + 1 if r.close_mark is not None else r.end
    return s, e


def _n_words(text: str, span: tuple[int, int]) -> int:
    return len(_WORD.findall(text[span[0] : span[1]]))


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


def find_quotes(
    doc: Doc,
    *,
    acts: Collection[str] | None = None,
    model: AttributionModel | str | None = "packaged",
) -> list[QuoteSpan]:
    """Find direct, indirect and mixed quotations in a parsed document, with their speakers.

    ``doc`` needs a dependency parse, lemmas, POS tags and sentence boundaries; named entities
    improve pronoun resolution. ``acts`` keeps only quotes whose ``act`` is listed (for example
    ``{"speech"}`` for what was said or written); ``None`` keeps all. ``model`` adds the
    attributions the learned model finds among open candidates (with a ``score``; act
    "attitude" unless the cue is in the lexicon) and lets it redraw the end of indirect
    content where it reads the sentence better: "packaged" loads
    ``$REALPOLITIK_ATTRIBUTION_MODEL`` or the packaged model, a path or an
    :class:`AttributionModel` is used as given, ``None`` leaves the rules alone.
    Returns quotes sorted by content offsets.
    """
    ctx, hits, drafts = _rule_drafts(doc)
    scorer = (
        load_attribution_model(None if model == "packaged" else model)
        if isinstance(model, str)
        else model
    )
    if scorer is not None:
        drafts.extend(_learned_drafts(ctx, hits, drafts, scorer))
        if scorer.boundary is not None:
            _redraw_ends(ctx, drafts, scorer.boundary)
    quotes = _finish(ctx, drafts)
    return quotes if acts is None else [q for q in quotes if q.act in acts]


def _rule_drafts(doc: Doc) -> tuple[_Ctx, list[_Hit], list[_Draft]]:
    """What the lexicon and the quotation marks find: context, cues and outermost drafts."""
    text = _normalize_marks(doc.text)
    ctx = _Ctx(doc, text, _quote_regions(text), _paragraphs(text), load_lexicon())
    regions = ctx.regions
    hits = _find_hits(ctx, ctx.lex) + _colon_hits(ctx)
    # A cue inside somebody's quotation ("I think", "as I said") is part of what they said.
    hits = [h for h in hits if not any(r.start <= h.cue[0] < r.end for r in regions)]
    drafts: list[_Draft] = []
    used: set[int] = set()
    for hit in hits:
        for piece in hit.content:
            drafts.extend(_classify(ctx, hit, piece, used))
    for k, region in enumerate(regions):
        if k in used or _n_words(text, (region.start, region.end)) < 3:
            continue
        if _title_like(text, region) and _n_words(text, (region.start, region.end)) < 8:
            continue
        found = _adjacent_hit(ctx, region, hits)
        if found is not None:
            drafts.append(_Draft(_region_span(region), "direct", found))
        elif _substantial(ctx, region):
            prev = _previous_attributed(ctx, drafts, region)
            drafts.append(_Draft(_region_span(region), "direct", None, inherited_from=prev))
    return ctx, hits, _drop_nested(drafts)


def _drop_nested(drafts: list[_Draft]) -> list[_Draft]:
    """Keep one level of attribution: a cue inside another quote's content is part of it.

    ("X said that Y believes Z": what is attributed to X is "Y believes Z".)
    """
    return [
        d
        for d in drafts
        if d.hit is None
        or not any(
            o is not d and o.hit is not None and o.content[0] <= d.hit.cue[0] < o.content[1]
            for o in drafts
        )
    ]


def _classify(ctx: _Ctx, hit: _Hit, piece: tuple[int, int], used: set[int]) -> list[_Draft]:
    """Direct, mixed or indirect drafts for one content piece of a cue."""
    regions = ctx.regions
    touched = [k for k, r in enumerate(regions) if _overlaps(piece, _region_span(r))]
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


def _previous_attributed(ctx: _Ctx, drafts: list[_Draft], region: _Region) -> _Draft | None:
    """The closest outermost quote before ``region`` in its own or the previous paragraph."""
    here = ctx.para_index(region.start)
    best: _Draft | None = None
    for d in drafts:
        if d.anchor >= region.start or here - ctx.para_index(d.anchor) > _INHERIT_PARAGRAPHS:
            continue
        if d.hit is None and d.inherited_from is None:
            continue
        if d.hit is not None and d.hit.entry.act == "attitude":
            continue  # a quotation goes on with what someone said, not with "declined to"
        if d.hit is not None and any(
            o is not d and o.content[0] <= d.hit.cue[0] < o.content[1] for o in drafts
        ):
            continue  # nested ("X said that Y believes ..."): Y is not who goes on talking
        if best is None or d.content[1] > best.content[1]:
            best = d
    if best is not None and best.kind == "indirect" and best.hit is not None:
        # '"A," X said, referring to B. "C."': C goes on with A, said by the same speaker.
        quoted = [
            d
            for d in drafts
            if d.kind != "indirect"
            and d.hit is not None
            and _same_speaker(ctx.doc, d.hit.speaker, best.hit.speaker)
            and d.anchor < region.start
            and here - ctx.para_index(d.anchor) <= _INHERIT_PARAGRAPHS
        ]
        if quoted:
            best = max(quoted, key=lambda d: d.content[1])
    return best


def _same_speaker(doc: Doc, a: int | None, b: int | None) -> bool:
    """Whether two speaker heads are one mention, counting a relative pronoun as the noun it
    refers to ('"A," said X, who endorsed Y. "B."': "who" is X)."""

    def key(i: int | None) -> int | None:
        if i is None:
            return None
        rel = _relative_antecedent(doc[i])
        return rel.i if rel is not None else i

    return a is not None and key(a) == key(b)


def _adjacent_hit(ctx: _Ctx, region: _Region, hits: list[_Hit]) -> _Hit | None:
    """The cue that introduces or follows a quotation it does not syntactically govern."""
    text = ctx.text
    outer_s, outer_e = _outer_span(region)
    others = [_outer_span(r) for r in ctx.regions if r is not region]
    # Before: back to the previous sentence end or quotation; a colon right before the
    # quotation lets the introducing sentence sit in the previous paragraph.
    colon = text[:outer_s].rstrip().endswith(":")
    lo = max([outer_s - 400, 0] + [e for s, e in others if e <= outer_s])
    if not colon:
        nl = text.rfind("\n", lo, outer_s)
        if nl >= 0:
            lo = nl + 1
    body = text[lo:outer_s].rstrip()
    ends = list(re.finditer(r"[.!?](?=\s|$)", body))
    if ends:
        lo += ends[-1].end()
    before = [h for h in hits if lo <= h.cue[0] < outer_s and h.speaker is not None]
    # After: a short tail up to the end of the sentence ('...," Pardo noted.').
    m = re.search(r"[.!?](?=\s|$)|\n", text[outer_e : outer_e + 250])
    tail_end = outer_e + (m.end() if m else 250)
    tail_end = min([tail_end] + [s for s, e in others if s >= outer_e])
    after = [
        h
        for h in hits
        if outer_e <= h.cue[0] < tail_end
        and h.speaker is not None
        and _n_words(text, (outer_e, h.cue[0])) <= 8
    ]
    inner = text[region.start : region.end].rstrip()
    trails = not inner.endswith((".", "!", "?")) or text[outer_e:].lstrip().startswith(",")
    if trails and after:
        return after[0]
    if before:
        return before[-1]
    return after[0] if after else None


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


def _relative_antecedent(tok: Token) -> Token | None:
    """The noun a relative pronoun subject refers to ("Collins, who endorsed ..." -> Collins)."""
    if tok.lower_ not in _RELATIVE or tok.dep_ not in _SUBJ:
        return None
    h = tok.head
    for _ in range(4):
        if h.dep_ == "relcl" and h.head.i != h.i:
            return h.head
        if h.head.i == h.i:
            return None
        h = h.head
    return None


def _is_named_span(doc: Doc, span: tuple[int, int]) -> bool:
    sp = doc.char_span(span[0], span[1], alignment_mode="expand")
    return sp is not None and any(t.pos_ == "PROPN" or t.ent_type_ in _NAMED_TYPES for t in sp)


# --------------------------------------------------------------------------- learned part
# Open candidates: attributions no cue in the lexicon announces ("X tweeted their approval",
# "Y's pledge to remove all troops"). Each is proposed from the parse alone and kept only when
# the learned model (realpolitik.quotes_model) scores it at or above its threshold.

_OPEN_VERB = CueEntry("", "verb", "attitude", frozenset({"np"}))
_OPEN_NOUN = CueEntry("", "noun", "attitude", frozenset({"np"}))
_OPEN_ADJECTIVE = CueEntry("", "adjective", "attitude", frozenset({"np"}))
# Prepositions that introduce what a stance noun is about ("criticism of", "support for").
_NOUN_PREPS = frozenset(
    {"of", "for", "against", "about", "on", "to", "with", "over", "toward", "towards"}
)
_CONTENT_OBJECTS = ("pobj", "pcomp")
_PERSONAL = frozenset({"he", "she", "they", "we", "i", "you", "it", "who", "which", "that"})


@dataclass(frozen=True)
class Candidate:
    """An open candidate: its content span (characters) and the features the model reads."""

    content: tuple[int, int]
    cue: tuple[int, int]
    features: list[str]


def _open_verb_hit(ctx: _Ctx, tok: Token, entry: CueEntry) -> tuple[_Hit, str] | None:
    """A verb with a subject and a complement, read as the first of: its clause; its
    infinitive (with the object before it); its object (with the prepositional phrases after
    it); the object of its first preposition ("focused on X": the cue runs to the
    preposition). Returns the hit with the name of its reading."""
    doc = ctx.doc
    subj, _passive = _subject(tok)
    if subj is None:
        return None
    later = [c for c in tok.children if c.i > tok.i]
    clauses = [c for c in later if c.dep_ == "ccomp"]
    infinitives = [c for c in later if c.dep_ == "xcomp"]
    objects = [c for c in later if c.dep_ == "dobj"]
    preps = [
        c for c in later if c.dep_ == "prep" and any(g.dep_ in _CONTENT_OBJECTS for g in c.children)
    ]
    cue_last = tok.i
    if clauses:
        reading, roots = "clause", clauses
    elif infinitives:
        reading = "infinitive"
        roots = [o for o in objects if o.i < infinitives[0].i] + infinitives
    elif objects:
        after = [p for p in preps if p.i > objects[0].i and doc[p.i - 1].text != ","]
        reading, roots = ("object+preps" if after else "object"), objects[:1] + after
    elif preps:
        reading, cue_last = "prep", preps[0].i
        roots = [g for g in preps[0].children if g.dep_ in _CONTENT_OBJECTS]
    else:
        return None
    content = _content_spans(ctx, roots, tok.idx)
    if not content:
        return None
    speaker = _speaker_head(ctx, subj, tok)
    return _Hit(_char_span(doc, tok.i, cue_last), tok.i, entry, speaker, content), reading


def _open_noun_hit(ctx: _Ctx, tok: Token) -> _Hit | None:
    """A noun with a holder (its possessor, or the subject of the verb it is the object of)
    and a complement ("Obama's pledge to remove", "launched an attack against Obama")."""
    later = [c for c in tok.children if c.i > tok.i]
    preps = [
        c
        for c in later
        if c.dep_ == "prep"
        and c.lower_ in _NOUN_PREPS
        and any(g.dep_ in _CONTENT_OBJECTS for g in c.children)
    ]
    infinitives = [
        c
        for c in later
        if c.dep_ in ("acl", "relcl")
        and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
    ]
    if preps:
        roots = [g for g in preps[0].children if g.dep_ in _CONTENT_OBJECTS]
        cue_last = preps[0].i
    elif infinitives:
        roots, cue_last = infinitives[:1], tok.i
    else:
        return None
    holder = next((c for c in tok.children if c.dep_ == "poss"), None)
    if holder is None and tok.dep_ in ("dobj", "attr") and tok.head.pos_ in ("VERB", "AUX"):
        holder, _ = _subject(tok.head)
    content = _content_spans(ctx, roots, tok.idx)
    if not content:
        return None
    speaker = _speaker_head(ctx, holder, tok)
    return _Hit(_char_span(ctx.doc, tok.i, cue_last), tok.i, _OPEN_NOUN, speaker, content)


def _open_adjective_hit(ctx: _Ctx, tok: Token) -> _Hit | None:
    """An adjective of feeling or judgement with its holder and object: "X is wary of Y",
    "Republicans, concerned about Y," (the holder is the subject of the copula, or the noun
    the adjective describes)."""
    later = [c for c in tok.children if c.i > tok.i]
    preps = [
        c for c in later if c.dep_ == "prep" and any(g.dep_ in _CONTENT_OBJECTS for g in c.children)
    ]
    clauses = [c for c in later if c.dep_ in ("ccomp", "xcomp")]
    if clauses:
        roots, cue_last = clauses[:1], tok.i
    elif preps:
        roots = [g for g in preps[0].children if g.dep_ in _CONTENT_OBJECTS]
        cue_last = preps[0].i
    else:
        return None
    holder: Token | None = None
    if tok.dep_ == "acomp" and tok.head.pos_ in ("AUX", "VERB"):
        holder, _ = _subject(tok.head)
    elif tok.dep_ in ("amod", "acl") and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
        holder = tok.head
    if holder is None:
        return None
    content = _content_spans(ctx, roots, tok.idx)
    if not content:
        return None
    speaker = _speaker_head(ctx, holder, tok)
    return _Hit(_char_span(ctx.doc, tok.i, cue_last), tok.i, _OPEN_ADJECTIVE, speaker, content)


def _open_hits(ctx: _Ctx, hits: list[_Hit]) -> list[tuple[_Hit, str]]:
    """Open candidates, each with the name of its reading: verbs, nouns and adjectives the
    rules did not read with content."""
    read = {h.cue_token for h in hits if h.content}
    # A lexicon cue that found no content keeps its entry (the model sees its act).
    entries = {h.cue_token: h.entry for h in hits}
    out: list[tuple[_Hit, str]] = []
    for tok in ctx.doc:
        if tok.i in read or tok.pos_ not in ("VERB", "NOUN", "ADJ") or ctx.quoted(tok.idx):
            continue
        if tok.pos_ == "VERB":
            found = _open_verb_hit(ctx, tok, entries.get(tok.i, _OPEN_VERB))
        else:
            maker = _open_noun_hit if tok.pos_ == "NOUN" else _open_adjective_hit
            hit = maker(ctx, tok)
            found = None if hit is None else (hit, tok.pos_.lower())
        if found is not None:
            out.append(found)
    return out


def _bucket(n: int) -> str:
    return "1" if n <= 1 else "2-3" if n <= 3 else "4-7" if n <= 7 else "8-15" if n <= 15 else "16+"


def _candidate_features(ctx: _Ctx, hit: _Hit, content: tuple[int, int], reading: str) -> list[str]:
    """Binary features of an open candidate (see quotes_model.FEATURES_VERSION)."""
    doc = ctx.doc
    cue_tok = doc[hit.cue_token]
    lemma = _LEMMA_FIXES.get(cue_tok.lower_, cue_tok.lemma_.lower())
    cue_text = ctx.text[hit.cue[0] : hit.cue[1]].lower()
    entry = hit.entry
    size = _bucket(_n_words(ctx.text, content))
    f = [
        "bias",
        f"reading={reading}",
        f"lemma|reading={lemma}|{reading}",
        f"len={size}",
        f"reading|len={reading}|{size}",
        f"lexicon={entry.act if entry.text else '-'}|{cue_tok.pos_}",
        f"pos={cue_tok.pos_}",
        f"lemma={lemma}",
        f"cue={cue_text}",
        f"tag={cue_tok.tag_}",
        f"dep={cue_tok.dep_}",
        f"is_root={cue_tok.dep_ == 'ROOT'}",
        f"sentence_quoted={ctx.sentence_quoted(cue_tok)}",
    ]
    span = doc.char_span(content[0], content[1], alignment_mode="expand")
    if span is not None and len(span):
        root = span.root
        f += [
            f"root_dep={root.dep_}",
            f"root_pos={root.pos_}",
            f"first={span[0].lower_}",
            f"root_lemma={root.lemma_.lower()}",
            f"lemma|root_dep={lemma}|{root.dep_}",
            f"lemma|root_lemma={lemma}|{root.lemma_.lower()}",
        ]
    cue_span = doc.char_span(hit.cue[0], hit.cue[1], alignment_mode="expand")
    if cue_span is not None and len(cue_span) > 1:
        f += [f"cue_last={cue_span[-1].lower_}", f"lemma|cue_last={lemma}|{cue_span[-1].lower_}"]
    if any(c.dep_ == "neg" for c in cue_tok.children):
        f.append("negated")

    if hit.speaker is None:
        f.append("no_speaker")
    else:
        who = doc[hit.speaker]
        kind = who.ent_type_ or who.pos_
        f += [
            f"speaker_ent={who.ent_type_ or '-'}",
            f"speaker_pos={who.pos_}",
            f"speaker_dep={who.dep_}",
            f"lemma|speaker={lemma}|{kind}",
            f"speaker_distance={_bucket(abs(cue_tok.i - who.i))}",
            f"speaker_pronoun={who.lower_}"
            if who.lower_ in _PERSONAL
            else f"speaker_lemma={who.lemma_.lower()}",
        ]
    return f


def _open_drafts(
    ctx: _Ctx, hits: list[_Hit], drafts: list[_Draft]
) -> list[tuple[_Draft, list[str]]]:
    """Open candidates as drafts, with their features; none overlaps a rule draft."""
    out: list[tuple[_Draft, list[str]]] = []
    for hit, reading in _open_hits(ctx, hits):
        for piece in hit.content:
            if any(_overlaps(piece, d.content) for d in drafts):
                continue
            quoted = any(_overlaps(piece, _region_span(r)) for r in ctx.regions)
            draft = _Draft(piece, "mixed" if quoted else "indirect", hit)
            out.append((draft, _candidate_features(ctx, hit, piece, reading)))
    return out


def _learned_drafts(
    ctx: _Ctx, hits: list[_Hit], drafts: list[_Draft], model: AttributionModel
) -> list[_Draft]:
    """The open candidates the model keeps, best first: one reading per cue, none
    overlapping another."""
    scored = []
    for draft, features in _open_drafts(ctx, hits, drafts):
        p = model.score(features)
        if p >= model.threshold:
            draft.score = round(p, 4)
            scored.append(draft)
    kept: list[_Draft] = []
    cues: set[int] = set()
    for draft in sorted(scored, key=lambda d: -(d.score or 0.0)):
        assert draft.hit is not None
        if draft.hit.cue_token in cues or any(_overlaps(draft.content, k.content) for k in kept):
            continue
        kept.append(draft)
        cues.add(draft.hit.cue_token)
    return kept


# Content ends the model may choose instead of the rules' one, for indirect content: on to
# the end of the sentence ("said [the plan], which ..." -> the whole clause), or back to
# before the content head's trailing modifiers ("[the race before making ...]").
_TRAILING = frozenset({"prep", "advcl", "conj", "cc", "relcl", "acl", "npadvmod", "punct"})


def _end_readings(ctx: _Ctx, draft: _Draft) -> list[tuple[str, tuple[int, int], Span]]:
    """Other ends for a rule draft's indirect content: (name, new span, words added or cut)."""
    if draft.hit is None or draft.kind != "indirect" or draft.score is not None:
        return []
    doc = ctx.doc
    span = doc.char_span(*draft.content, alignment_mode="expand")
    if span is None or not len(span):
        return []
    out: list[tuple[str, tuple[int, int], Span]] = []
    sent = span[0].sent
    last = sent.end - 1
    while last > span.start and (doc[last].is_punct or doc[last].is_space):
        last -= 1
    if last >= span.end:
        end = doc[last].idx + len(doc[last])
        out.append(("to_sentence_end", (draft.content[0], end), doc[span.end : last + 1]))
    root = span.root
    cut = [c.i for c in root.children if root.i < c.i < span.end and c.dep_ in _TRAILING]
    if cut:
        last = min(cut) - 1
        while last > span.start and (doc[last].is_punct or doc[last].is_space):
            last -= 1
        if span.start <= last < span.end - 1:
            end = doc[last].idx + len(doc[last])
            out.append(("trimmed", (draft.content[0], end), doc[last + 1 : span.end]))
    return out


def _end_features(ctx: _Ctx, draft: _Draft, name: str, delta: Span) -> list[str]:
    """Binary features of one other end (see quotes_model.FEATURES_VERSION)."""
    assert draft.hit is not None
    doc = ctx.doc
    cue = doc[draft.hit.cue_token]
    lemma = _LEMMA_FIXES.get(cue.lower_, cue.lemma_.lower())
    span = doc.char_span(*draft.content, alignment_mode="expand")
    root_dep = span.root.dep_ if span is not None and len(span) else "-"
    size = len(span) if span is not None else 0
    f = [
        f"end={name}",
        f"end|lemma={name}|{lemma}",
        f"end|act={name}|{draft.hit.entry.act}",
        f"end|root_dep={name}|{root_dep}",
        f"end|len={name}|{_bucket(size)}",
        f"end|delta_len={name}|{_bucket(len(delta))}",
        f"end|cue_after={name}|{draft.hit.cue[0] >= draft.content[1]}",
    ]
    words = [t for t in delta if not t.is_punct and not t.is_space]
    if words:
        f += [f"end|delta_first={name}|{words[0].lower_}", f"end|delta_dep={name}|{words[0].dep_}"]
    f += sorted(
        {
            f"end|delta_root={name}|{t.dep_}"
            for t in delta
            if not delta.start <= t.head.i < delta.end
        }
    )
    f += [
        f"end|delta_comma={name}|{any(t.text == ',' for t in delta)}",
        f"end|delta_quoted={name}|{any(ctx.quoted(t.idx) for t in delta)}",
        f"end|delta_verb={name}|{any(t.pos_ == 'VERB' for t in delta)}",
        f"end|delta_cue={name}|{any(_is_cue_verb(ctx.lex, t) for t in delta if t.pos_ == 'VERB')}",
    ]
    return f


def _redraw_ends(ctx: _Ctx, drafts: list[_Draft], model: AttributionModel) -> None:
    """Move the end of rule drafts' indirect content where the model reads it better, when
    the new span overlaps no other draft."""
    for draft in drafts:
        best: tuple[float, tuple[int, int]] | None = None
        for name, span, delta in _end_readings(ctx, draft):
            p = model.score(_end_features(ctx, draft, name, delta))
            if p >= model.threshold and (best is None or p > best[0]):
                best = (p, span)
        if best is None:
            continue
        new = best[1]
        if not any(o is not draft and _overlaps(new, o.content) for o in drafts):
            draft.content = new


@dataclass(frozen=True)
class EndCandidate:
    """Another end for a rule quote's content: the rule's span, the new one, the features."""

    content: tuple[int, int]
    alternative: tuple[int, int]
    features: list[str]


def attribution_candidates(
    doc: Doc,
) -> tuple[list[QuoteSpan], list[Candidate], list[EndCandidate]]:
    """For training :mod:`realpolitik.quotes_model`, from one pass of the rules over ``doc``:
    what the rules find, the open candidates the model would score, and the other ends it
    would weigh for the rules' indirect content."""
    ctx, hits, drafts = _rule_drafts(doc)
    opens = [
        Candidate(_trim(ctx.text, *d.content), d.hit.cue if d.hit else d.content, f)
        for d, f in _open_drafts(ctx, hits, drafts)
    ]
    ends = [
        EndCandidate(
            _trim(ctx.text, *d.content),
            _trim(ctx.text, *span),
            _end_features(ctx, d, name, delta),
        )
        for d in drafts
        for name, span, delta in _end_readings(ctx, d)
    ]
    return _finish(ctx, drafts), opens, ends
