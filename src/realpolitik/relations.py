"""Standing relations the text states: alliances, partnerships, memberships, rivalries, threats.

Unlike events, these are not things that happened but how the text says actors stand to each
other: "South Korea is an ally of the United States", "the U.S.-Japan-South Korea alliance",
"Japan is a member of the Quad", "the threats posed by North Korea".

Actor mentions are character spans (``doc._.rp_mentions``), and compounds such as
"U.S.-Japan-South Korea" are a single spaCy token, so the surface patterns run on characters:
each sentence is rewritten as a *template* in which every mention is a placeholder ``«n»``
(lower-cased, apostrophes and dashes normalized), the patterns below are matched on that
template, and offsets are mapped back to the article text. The dependency parse, when the Doc
has one, supplies what the surface cannot: the subject of a coordinated verb ("South Korea is
an ally of the U.S. and has a strategic partnership with China"), who perceives a threat, and
negation or an ``if`` on the governing verb. Cue words come from ``data/relation_cues.tsv``.

Every relation names two actor ids: ``a`` and ``b``. Alliance, partnership and rivalry are
symmetric; a membership's ``a`` is the member and ``b`` the organization; a threat's ``a`` is
the one who perceives it and ``b`` the one it comes from. A multi-party alliance gives one
relation per pair; relations between an actor (or a country) and itself are dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import combinations
from pathlib import Path

from spacy.tokens import Doc, Token

from .errors import DictionaryError
from .records import Actor, Article, Mention, Quote, Relation

COMPONENT = "realpolitik.relations/0.1.0"
KINDS = ("alliance", "partnership", "membership", "rivalry", "threat")
FORMS = ("relation", "agent", "threat")
#: Kinds whose two parties are interchangeable; stored with ``a`` < ``b`` by first mention.
SYMMETRIC = frozenset({"alliance", "partnership", "rivalry"})

# Verbs whose subject is the *source* of the threat they govern ("X poses a threat"), not
# the one who perceives it ("Blinken pointed out the threats").
_SOURCE_VERBS = frozenset(
    {"be", "pose", "present", "represent", "constitute", "become", "remain", "seem", "appear"}
)
_HYPOTHETICAL_MARKS = frozenset({"if", "whether", "unless"})
# Verbs whose subject *is* what an agent noun after them names ("X has long been an ally of Y").
_COPULAS = frozenset({"be", "become", "remain", "stay", "serve", "seem", "appear"})
_FINITE_TAGS = frozenset({"VBZ", "VBD", "VBP", "MD"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
# Patterns whose first party is the subject of a copula (or of "as") before the cue; a party
# that is the object of a preposition ("the importance of Korea as an ally") is not.
_SUBJECT_PATTERNS = frozenset({"copula", "apposed-owner", "threat-copula"})
_AFTER_PREPOSITION = re.compile(
    r"(?<![\w'-])(?:of|in|on|at|for|from|by|to|with|into|about|against|over|under|between"
    r"|among|toward|towards)[^\S\n]+(?:the[^\S\n]+)?$"
)
# Patterns whose parties stand right before the cue, inside its noun phrase.
_PREMODIFIER_PATTERNS = frozenset({"apposed-owner", "owner-first", "premodified", "threat-before"})


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue word of the relation lexicon."""

    kind: str  # alliance | partnership | membership | rivalry | threat
    phrase: str  # singular, lower case
    form: str  # relation | agent | threat


def _data_path() -> Path:
    return Path(str(resources.files("realpolitik").joinpath("data/relation_cues.tsv")))


@lru_cache(maxsize=4)
def load_cues(path: str | None = None) -> tuple[Cue, ...]:
    """Read a relation-cue TSV (default: the packaged ``data/relation_cues.tsv``).

    Columns: ``kind``, ``cue``, ``form`` (see the file's header); ``#`` starts a comment.
    Raises :class:`DictionaryError` naming the line of a malformed row.
    """
    source = Path(path) if path else _data_path()
    cues: list[Cue] = []
    for n, raw in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#") or raw.startswith("kind\t"):
            continue
        cols = [c.strip() for c in raw.split("\t")]
        if len(cols) != 3 or cols[0] not in KINDS or cols[2] not in FORMS or not cols[1]:
            raise DictionaryError(
                f"line {n} of {source}: expected kind, cue, form; got {raw!r}",
                hint=f"kind is one of {', '.join(KINDS)}; form one of {', '.join(FORMS)}",
            )
        cues.append(Cue(cols[0], " ".join(cols[1].lower().split()), cols[2]))
    return tuple(cues)


def _plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in set("aeiou"):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def _surface_forms(phrase: str) -> tuple[str, str]:
    words = phrase.split()
    return phrase, " ".join([*words[:-1], _plural(words[-1])])


# -- the template ----------------------------------------------------------------------------

# Same-length normalization, so template characters map one to one onto the text.
_NORMALIZE = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
        "«": '"',
        "»": '"',
    }
)


@dataclass(slots=True)
class _Slot:
    """One actor mention in the sentence, with the actor it refers to."""

    start: int
    end: int
    actor: str


@dataclass(slots=True)
class _Template:
    """A sentence with every mention replaced by ``«n»`` and a map back to article offsets."""

    text: str
    offsets: list[int]  # offsets[j] = article offset of template character j (len(text)+1)
    slots: list[_Slot]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The article span of template characters ``[start, end)``."""
        return self.offsets[start], self.offsets[end]

    def actors(self, fragment: str | None) -> list[str]:
        """The actor ids named by the placeholders in a matched fragment, in order, unique."""
        if not fragment:
            return []
        out: list[str] = []
        for n in re.findall(r"«(\d+)»", fragment):
            actor = self.slots[int(n)].actor
            if actor not in out:
                out.append(actor)
        return out


def _pick_slots(mentions: Sequence[Mention], start: int, end: int) -> list[_Slot]:
    """Non-overlapping resolved mentions inside ``[start, end)``, left to right.

    A mention that covers two or more others ("U.S.-Japan" read as one organization, around
    "U.S." and "Japan") gives way to them, and one that no other mention splits is split at
    its hyphens when every part is, elsewhere in the article, a mention of its own -- so a
    compound always keeps its parties. Otherwise longer mentions win.
    """
    inside = [m for m in mentions if m.actor and start <= m.start and m.end <= end]

    def covers(m: Mention, o: Mention) -> bool:
        return o is not m and m.start <= o.start and o.end <= m.end and _len(o) < _len(m)

    compounds = {id(m) for m in inside if sum(covers(m, o) for o in inside) >= 2}
    chosen: list[_Slot] = []
    for m in sorted(inside, key=lambda m: (id(m) in compounds, -_len(m), m.start)):
        if m.actor and all(m.end <= c.start or c.end <= m.start for c in chosen):
            chosen.extend(_split_compound(m, mentions) or [_Slot(m.start, m.end, m.actor)])
    chosen.sort(key=lambda s: s.start)
    return chosen


def _len(m: Mention) -> int:
    return m.end - m.start


_HYPHENS = re.compile(r"[-‐-—/]")


def _split_compound(m: Mention, mentions: Sequence[Mention]) -> list[_Slot] | None:
    """Split "U.S.-Japan" into "U.S." and "Japan" when both are mentions elsewhere."""
    if not _HYPHENS.search(m.text):
        return None
    known: dict[str, dict[str, int]] = {}
    for o in mentions:
        if o.actor and o is not m and not _HYPHENS.search(o.text):
            votes = known.setdefault(o.text, {})
            votes[o.actor] = votes.get(o.actor, 0) + 1
    slots: list[_Slot] = []
    pos = 0
    for piece in _HYPHENS.split(m.text):
        found = known.get(piece)
        if not piece or not found:
            return None
        actor = max(sorted(found), key=found.__getitem__)
        slots.append(_Slot(m.start + pos, m.start + pos + len(piece), actor))
        pos += len(piece) + 1
    return slots if len(slots) >= 2 else None


def _template(text: str, start: int, end: int, slots: list[_Slot]) -> _Template:
    parts: list[str] = []
    offsets: list[int] = []
    pos = start
    for n, slot in enumerate(slots):
        chunk = text[pos : slot.start]
        parts.append(_fold(chunk))
        offsets.extend(range(pos, slot.start))
        mark = f"«{n}»"
        parts.append(mark)
        # Every placeholder character maps to the mention's start; the character after it
        # maps to the mention's end, so a match ending at the placeholder ends at the mention.
        offsets.extend([slot.start] * len(mark))
        pos = slot.end
    parts.append(_fold(text[pos:end]))
    offsets.extend(range(pos, end))
    offsets.append(end)
    return _Template("".join(parts), offsets, slots)


def _fold(chunk: str) -> str:
    return "".join(low if len(low := c.lower()) == 1 else c for c in chunk.translate(_NORMALIZE))


# -- the patterns ------------------------------------------------------------------------------

_WS = r"[^\S\n]+"
_M = r"«\d+»"
_THE = rf"(?:the{_WS})?"
_POSS = r"(?:'s?)?"
# A coordination ends in and/&: "A, B and C"; a bare comma does not make a list.
_LIST = rf"{_THE}{_M}(?:(?:[^\S\n]*,{_WS}{_THE}{_M})*,?{_WS}(?:and|&){_WS}{_THE}{_M})?"
_GROUP = rf"{_M}(?:[-/]{_M})+"
_PARTIES = rf"(?:{_GROUP}|{_LIST})"
# Modifier words between the parties and the cue ("strategic", "long-term", "defense"): at
# most three, none of them a function word, verb-like auxiliary or a placeholder.
_STOP = (
    r"(?:a|an|the|of|on|in|at|to|for|with|from|by|as|and|or|but|nor|is|are|was|were|be|been"
    r"|has|have|had|will|would|its|their|his|her|our|my|your|this|that|these|those|not|no"
    r"|which|who|whom|whose|than|then|between|among|against|about|into|over|under|after"
    r"|before|since|during|while|if|because)"
)
_MODS = rf"(?:(?!{_STOP}\b)[a-z][a-z'-]*{_WS}){{0,3}}"
_DET = (
    rf"(?:(?P<det>a|an|the|one of the|one of|its|their|his|her|our|my|this|that|these|those"
    rf"|some|no){_WS})?"
)
_ADV = (
    rf"(?:(?:[a-z]+ly|also|still|long|now|already|always|again|once|not|never|no longer"
    rf"|yet|even|only|both|all|n't){_WS}){{0,2}}"
)
_COP = (
    r"(?:is|are|was|were|remains?|remained|becomes?|became|(?:has|have|had|will|would|could"
    rf"|can|may|might|must|should|shall)(?:{_WS}{_ADV})?{_WS}(?:been|be|become|remain))"
)
_LINK = rf"(?:{_WS}{_ADV}{_COP}{_WS}{_ADV}|{_WS}as{_WS}|[^\S\n]*,{_WS})"
_LINK_THREAT = (
    rf"(?:{_LINK}|{_WS}{_ADV}(?:poses?|posed|posing|presents?|presented|represents?"
    rf"|represented|constitutes?|constituted|remains?){_WS}{_ADV})"
)
_NEG = re.compile(r"(?<![\w-])(?:not|never|no|no longer|neither|nor|n't)(?![\w-])")


@dataclass(frozen=True, slots=True)
class _Pattern:
    name: str
    form: str
    regex: re.Pattern[str]


def _alternation(phrases: Iterable[str]) -> str:
    return "|".join(
        re.escape(p).replace(r"\ ", _WS) for p in sorted(phrases, key=len, reverse=True)
    )


@lru_cache(maxsize=4)
def _patterns(cues: tuple[Cue, ...]) -> tuple[dict[str, Cue], tuple[_Pattern, ...]]:
    """Compile the surface patterns for a cue set; returns (surface form -> cue, patterns)."""
    by_form: dict[str, dict[str, Cue]] = {f: {} for f in FORMS}
    for entry in cues:
        for surface in _surface_forms(entry.phrase):
            by_form[entry.form].setdefault(surface, entry)
    surfaces = {s: c for forms in by_form.values() for s, c in forms.items()}

    def cue_group(form: str) -> str:
        return rf"(?P<cue>{_alternation(by_form[form])})(?![\w-])"

    agent, rel, threat = cue_group("agent"), cue_group("relation"), cue_group("threat")
    after_y = rf"{_WS}(?:of|to|with|for|in|within|against){_WS}(?P<y>{_LIST})"
    to_y = rf"(?:{_WS}(?:to|for|against){_WS}(?P<y>{_LIST}))?"
    specs = [
        # "A is an ally of B", "A, a member of B", "A and B are rivals", "A as an ally for B"
        ("copula", "agent", rf"(?P<x>{_LIST}){_LINK}{_DET}{_MODS}{agent}(?:{after_y})?"),
        # "B, A's closest ally", "B is a NATO member", "B is A's partner"
        (
            "apposed-owner",
            "agent",
            rf"(?P<y>{_LIST}){_LINK}{_DET}(?P<x>{_M}){_POSS}{_WS}{_MODS}{agent}",
        ),
        # "America's allies Japan and South Korea", "NATO members Poland and Hungary"
        (
            "owner-first",
            "agent",
            rf"(?P<x>{_M}){_POSS}{_WS}{_MODS}{agent}[^\S\n]*,?{_WS}"
            rf"(?:such as{_WS}|including{_WS}|like{_WS})?(?P<y>{_LIST})",
        ),
        # "ally of B" where A is the subject the parse finds
        ("agent-subject", "agent", rf"{agent}{after_y}"),
        # "the U.S.-Japan-South Korea alliance", "Japan's alliance with the U.S."
        (
            "premodified",
            "relation",
            rf"(?P<x>{_PARTIES}){_POSS}{_WS}{_MODS}{rel}"
            rf"(?:{_WS}(?:with|in|within|of|to|against){_WS}(?P<y>{_LIST}))?",
        ),
        # "the rivalry between A and B", "an alliance of A, B and C"
        ("between", "relation", rf"{rel}{_WS}(?:between|among|amongst|of){_WS}(?P<x>{_LIST})"),
        # "A has a strategic partnership with B" (A from the parse)
        ("relation-subject", "relation", rf"{rel}{_WS}(?:with|to){_WS}(?P<y>{_LIST})"),
        # "A is a long-term challenge", "A poses a threat to B", "sees A as a threat"
        ("threat-copula", "threat", rf"(?P<src>{_LIST}){_LINK_THREAT}{_DET}{_MODS}{threat}{to_y}"),
        # "the threats posed by A and B", "the threat from A to B"
        (
            "threat-after",
            "threat",
            rf"{threat}{_WS}(?:(?:posed|presented|raised){_WS}by|from|of|by){_WS}"
            rf"(?P<src>{_LIST}){to_y}",
        ),
        # "the Chinese threat", "North Korea's nuclear threat to the region"
        ("threat-before", "threat", rf"(?P<src>{_PARTIES}){_POSS}{_WS}{_MODS}{threat}{to_y}"),
    ]
    patterns = tuple(
        _Pattern(name, form, re.compile(rf"(?<![\w'-]){regex}")) for name, form, regex in specs
    )
    return surfaces, patterns


# -- the parse -----------------------------------------------------------------------------------


class _Parse:
    """Character-offset access to a Doc's tokens and dependency parse."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.has_deps = doc.has_annotation("DEP")
        self.starts = [t.idx for t in doc]

    def token_at(self, offset: int) -> Token | None:
        i = bisect_right(self.starts, offset) - 1
        if i < 0:
            return None
        tok = self.doc[i]
        return tok if offset < tok.idx + len(tok.text) else None

    def governor(self, offset: int) -> tuple[Token | None, Token | None]:
        """The verb that governs the noun at ``offset``, and the token below it on the path.

        (None, None) without a parse or when no verb is above the noun.
        """
        tok = self.token_at(offset)
        if tok is None or not self.has_deps:
            return None, None
        below: Token | None = None
        for _ in range(12):
            if tok.pos_ in ("VERB", "AUX"):
                return tok, below
            if tok.head.i == tok.i:
                return None, None
            below, tok = tok, tok.head
        return None, None

    def finite_verb_between(self, start: int, end: int) -> bool:
        """Whether a finite verb stands in ``[start, end)`` ("Korea *faces* threats")."""
        i = bisect_right(self.starts, start - 1)
        while i < len(self.doc) and self.doc[i].idx < end:
            if self.doc[i].tag_ in _FINITE_TAGS:
                return True
            i += 1
        return False

    def subject(self, verb: Token) -> Token | None:
        """The verb's subject, looking up through coordinated and complement verbs."""
        for _ in range(5):
            for child in verb.children:
                if child.dep_ in ("nsubj", "nsubjpass", "csubj"):
                    return child
            if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.i != verb.i:
                verb = verb.head
            else:
                return None
        return None


def _subject_actors(tmpl: _Template, subj: Token) -> list[str]:
    """The actors a subject token names: itself, its modifiers (``Chinese`` officials), its
    conjuncts (``A and B``)."""
    tokens = [subj, *subj.conjuncts]
    found: list[str] = []
    for tok in tokens:
        candidates = [
            tok,
            *(c for c in tok.children if c.dep_ in ("poss", "compound", "amod", "nmod")),
        ]
        for cand in candidates:
            lo, hi = cand.idx, cand.idx + len(cand.text)
            hit = next((s for s in tmpl.slots if s.start < hi and lo < s.end), None)
            if hit is not None:
                if hit.actor not in found:
                    found.append(hit.actor)
                break
    return found


# -- extraction ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Found:
    kind: str
    a: str
    b: str
    start: int
    end: int
    negated: bool


def _sentences(doc: Doc) -> list[tuple[int, int]]:
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        return [(s.start_char, s.end_char) for s in doc.sents]
    return [(0, len(doc.text))]


def _pairs(kind: str, xs: Sequence[str], ys: Sequence[str]) -> list[tuple[str, str]]:
    """Pairs for a match: each x with each y; with no y, every pair of the x's (symmetric
    kinds only: "the U.S.-Japan-South Korea alliance", "A and B are rivals")."""
    if ys:
        return [(x, y) for x in xs for y in ys if x != y]
    if kind in SYMMETRIC:
        return list(combinations(xs, 2))
    return []


def extract_relations(doc: Doc, *, cues_path: str | None = None) -> list[Relation]:
    """The standing relations stated in a Doc whose mentions are resolved to actors.

    Reads ``doc._.rp_mentions`` (with ``.actor`` ids), ``doc._.rp_actors`` (kinds and
    countries) and, when present, ``doc._.rp_quotes`` (who perceives a threat named inside a
    quotation). Works on a Doc without a parse (surface patterns only).
    """
    mentions: list[Mention] = list(doc._.rp_mentions or [])
    if not mentions:
        return []
    actors: dict[str, Actor] = {a.id: a for a in (doc._.rp_actors or [])}
    quotes: list[Quote] = list(doc._.rp_quotes or [])
    article: Article | None = doc._.rp_article
    surfaces, patterns = _patterns(load_cues(cues_path))
    parse = _Parse(doc)
    text = doc.text
    found: list[_Found] = []
    seen: set[tuple[str, str, str, int]] = set()
    for s_start, s_end in _sentences(doc):
        slots = _pick_slots(mentions, s_start, s_end)
        if not slots:
            continue
        tmpl = _template(text, s_start, s_end, slots)
        done: set[int] = set()  # cue positions (template) that a pattern has interpreted
        for pattern in patterns:
            for match in _overlapping(pattern.regex, tmpl.text):
                cue_at = match.start("cue")
                if cue_at in done:
                    continue
                cue = surfaces.get(" ".join(match.group("cue").split()))
                if cue is None:
                    continue
                pairs = _interpret(pattern, cue, match, tmpl, parse, quotes, actors)
                if pairs is None:
                    continue
                done.add(cue_at)
                start, end = tmpl.span(match.start(), match.end())
                negated = _negated(match, parse, tmpl)
                for a, b in pairs:
                    if _same_party(a, b, actors):
                        continue
                    if cue.kind in SYMMETRIC:
                        a, b = sorted((a, b), key=lambda x: _actor_order(x, mentions))
                    key = (cue.kind, a, b, tmpl.offsets[cue_at])
                    if key in seen:
                        continue
                    seen.add(key)
                    found.append(_Found(cue.kind, a, b, start, end, negated))
    prefix = article.id if article else "doc"
    found.sort(key=lambda f: (f.start, f.end, f.kind, f.a, f.b))
    return [
        Relation(
            id=f"{prefix}:r{n}",
            kind=f.kind,
            a=f.a,
            b=f.b,
            text=text[f.start : f.end],
            start=f.start,
            end=f.end,
            negated=f.negated,
            component=COMPONENT,
        )
        for n, f in enumerate(found, start=1)
    ]


def _overlapping(regex: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Every leftmost match starting at each position (matches may overlap)."""
    pos = 0
    while pos <= len(text):
        match = regex.search(text, pos)
        if match is None:
            return
        yield match
        pos = match.start() + 1


def _actor_order(actor: str, mentions: list[Mention]) -> int:
    return next((m.start for m in mentions if m.actor == actor), 1 << 30)


def _same_party(a: str, b: str, actors: dict[str, Actor]) -> bool:
    """Whether a and b are one actor, or two actors of one country (a state and itself)."""
    if a == b:
        return True
    ca = actors[a].country if a in actors else None
    cb = actors[b].country if b in actors else None
    return ca is not None and ca == cb


def _interpret(
    pattern: _Pattern,
    cue: Cue,
    match: re.Match[str],
    tmpl: _Template,
    parse: _Parse,
    quotes: list[Quote],
    actors: dict[str, Actor],
) -> list[tuple[str, str]] | None:
    """The (a, b) pairs a match states, or None when it states nothing definite."""
    groups = match.groupdict()
    cue_offset = tmpl.offsets[match.start("cue")]
    if pattern.name in _PREMODIFIER_PATTERNS:
        party = "src" if groups.get("src") else "x"
        if parse.finite_verb_between(tmpl.offsets[match.end(party)], cue_offset):
            return None  # "Korea faces threats": the party is a subject, not a modifier
    if pattern.name in _SUBJECT_PATTERNS and _AFTER_PREPOSITION.search(tmpl.text[: match.start()]):
        return None  # "his invasions of Georgia as a threat": the party is not the subject
    verb, below = parse.governor(cue_offset)
    clause_verb = verb if below is None or below.dep_ not in _SUBJECT_DEPS else None
    if clause_verb is not None and any(
        c.dep_ == "mark" and c.lower_ in _HYPOTHETICAL_MARKS for c in clause_verb.children
    ):
        return None  # "if South Korea becomes a member of ...": not a standing relation
    if cue.form == "threat":
        sources = tmpl.actors(groups.get("src"))
        perceivers = tmpl.actors(groups.get("y")) or _perceivers(
            parse, tmpl, quotes, cue_offset, clause_verb
        )
        perceivers = [p for p in perceivers if p not in sources]
        pairs = [(p, s) for p in perceivers for s in sources]
        return pairs or None
    xs = tmpl.actors(groups.get("x"))
    ys = tmpl.actors(groups.get("y"))
    if pattern.name in ("agent-subject", "relation-subject"):
        if cue.kind == "membership" and pattern.name == "relation-subject":
            return None  # "X applied for membership in Y" says nothing settled
        if pattern.name == "agent-subject" and (
            clause_verb is None or clause_verb.lemma_.lower() not in _COPULAS
        ):
            return None  # "police arrested a member of Hezbollah": the police are no member
        subj = parse.subject(clause_verb) if clause_verb is not None else None
        xs = _subject_actors(tmpl, subj) if subj is not None else []
        xs = [x for x in xs if x not in ys]
        if not xs:
            return None
    if cue.kind == "membership":
        if pattern.name in ("apposed-owner", "owner-first"):
            # the owner (x) is the organization: "a NATO member", "NATO members A and B"
            members, orgs = ys, xs
        else:
            members, orgs = xs, ys
        orgs = [o for o in orgs if o not in actors or actors[o].kind in ("organization", "group")]
        pairs = [(m, o) for m in members for o in orgs]
        return pairs or None
    if pattern.name == "copula" and not ys and groups.get("det") in ("our", "my"):
        # "The Philippines is our treaty ally": "our" is the speaker's side
        speaker = _speaker(quotes, cue_offset)
        ys = [speaker] if speaker and speaker not in xs else []
    if pattern.name == "copula" and not ys and not _plural_cue(match.group("cue")):
        return None  # "South Korea as an ally": an ally of whom?
    if pattern.name == "premodified" and len(xs) < 2 and not ys:
        return None  # "the U.S. alliance system": the other parties are not named
    if pattern.name == "between" and len(xs) < 2:
        return None
    pairs = list(_pairs(cue.kind, xs, ys))
    return pairs or None


def _plural_cue(surface: str) -> bool:
    return surface.endswith("s") and not surface.endswith("ss")


def _perceivers(
    parse: _Parse, tmpl: _Template, quotes: list[Quote], cue_offset: int, verb: Token | None
) -> list[str]:
    """Who sees the threat: the clause's subject, else the speaker of the quotation around it."""
    if verb is not None:
        head: Token | None = verb
        if verb.lemma_.lower() in _SOURCE_VERBS:
            # "China is a threat" inside "Blinken said (that) ...": the reporter perceives it
            head = verb.head if verb.dep_ == "ccomp" and verb.head.i != verb.i else None
        subj = parse.subject(head) if head is not None else None
        if subj is not None:
            found = _subject_actors(tmpl, subj)
            if found:
                return found
    speaker = _speaker(quotes, cue_offset)
    return [speaker] if speaker else []


def _speaker(quotes: list[Quote], offset: int) -> str | None:
    """The actor who says the quotation around ``offset``, if any."""
    for quote in quotes:
        if quote.speaker and quote.start <= offset < quote.end:
            return quote.speaker
    return None


def _negated(match: re.Match[str], parse: _Parse, tmpl: _Template) -> bool:
    """Negation between the first party and the cue, or on the verb the cue is object of."""
    lead = tmpl.text[match.start() : match.end("cue")]
    if _NEG.search(lead):
        return True
    verb, below = parse.governor(tmpl.offsets[match.start("cue")])
    if verb is None or (below is not None and below.dep_ in _SUBJECT_DEPS):
        return False
    return any(c.dep_ == "neg" for c in verb.children)
