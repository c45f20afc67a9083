"""Cues located through the dependency parse: reporting verbs, nouns, adjectives and
phrases of the lexicon, verbs outside it that govern a clause, and "Name: ..." colons.

A verb outside the lexicon counts as a cue of belief only when a named or personal subject
governs a following clause ("Kim fretted that ..."), which keeps the long tail of such verbs
without guessing at objects.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from realpolitik.quotes.content import (
    _BETWEEN_PARTICLE,
    _content_spans,
    _gap_content,
    _inverted_content,
    _reading_roots,
    _stranded_clause,
    _tidy,
)
from realpolitik.quotes.context import _char_span, _Ctx, _Hit
from realpolitik.quotes.lexicon import CueEntry, Lexicon, cue_lemma, word_list
from realpolitik.quotes.marks import _SENTENCE_END, _n_words, _Region
from realpolitik.quotes.speakers import _EXPLETIVE, _NAMED_TYPES, _SUBJ, _speaker_head, _subject


def _find_hits(ctx: _Ctx, lex: Lexicon) -> list[_Hit]:
    doc = ctx.doc
    hits: list[_Hit] = []
    keys = lex.keys or lex.start_words()
    for tok in doc:
        low = tok.lower_
        lemma = cue_lemma(tok)
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
_COLON_LABELS = word_list("colon_labels")
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
    colon = region.open_mark - 1
    while colon >= 0 and text[colon].isspace():
        colon -= 1
    if colon < 0 or text[colon] != ":":
        return None
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
