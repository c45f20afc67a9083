"""Speakers: who a cue's speaker is, the phrase that names them, and what pronouns and
definite descriptions ("he", "the minister") refer to.

The speaker is the cue's subject (a relative pronoun, with the noun it refers to as
antecedent), the agent of a passive, the object of "according to", or the possessor of a cue
noun. Pronoun and definite-description speakers are linked to the most recent compatible
named speaker.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from realpolitik.actors.roles import role_words
from realpolitik.quotes.context import _char_span, _Ctx
from realpolitik.quotes.lexicon import word_list

_SUBJ = ("nsubj", "nsubjpass")
# Things that say something by themselves ("a statement saying", "a sign reading").
_DOCUMENT_NOUNS = word_list("document_nouns")
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
_PERSON_ROLES = role_words("speaker")
_GROUP_NOUNS = word_list("group_nouns")
_ORG_NOUNS = word_list("organisation_nouns")


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
