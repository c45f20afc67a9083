"""Open candidates for the learned attribution model (:mod:`realpolitik.quotes.model`).

Attributions no cue in the lexicon announces ("X tweeted their approval", "Y's pledge to
remove all troops"): each is proposed from the parse alone, with binary features, and kept
only when the model scores it at or above its threshold. The model's second part weighs other
ends for the content of the rules' indirect quotes.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from realpolitik.quotes.assembly import _Draft
from realpolitik.quotes.content import _content_spans
from realpolitik.quotes.context import _char_span, _Ctx, _Hit, _overlaps
from realpolitik.quotes.intervals import Spans
from realpolitik.quotes.lexicon import CueEntry, cue_lemma, is_cue_verb
from realpolitik.quotes.marks import _n_words
from realpolitik.quotes.model import AttributionModel
from realpolitik.quotes.speakers import _speaker_head, _subject

__all__ = ["Candidate", "EndCandidate"]

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
    """Binary features of an open candidate (see quotes.model.FEATURES_VERSION)."""
    doc = ctx.doc
    cue_tok = doc[hit.cue_token]
    lemma = cue_lemma(cue_tok)
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
    taken = Spans((d.content[0], d.content[1], k) for k, d in enumerate(drafts))
    quotations = Spans((r.start, r.end, k) for k, r in enumerate(ctx.regions))
    for hit, reading in _open_hits(ctx, hits):
        for piece in hit.content:
            if taken.overlaps(*piece):
                continue
            quoted = quotations.overlaps(*piece)
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
    """Binary features of one other end (see quotes.model.FEATURES_VERSION)."""
    assert draft.hit is not None
    doc = ctx.doc
    cue = doc[draft.hit.cue_token]
    lemma = cue_lemma(cue)
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
        f"end|delta_cue={name}|{any(is_cue_verb(ctx.lex, t) for t in delta if t.pos_ == 'VERB')}",
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
