"""What a cue reports: its content, read from the complement subtrees of the parse.

A complement clause, an object noun phrase, an infinitive, or the predicate of a raising verb,
as the lexicon row of the cue allows. Passive cues take their subject as content ("Trump was
criticized for ..."); a clause on a noun takes the noun ("the deal he opposed").
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from realpolitik.quotes.context import _char_span, _Ctx
from realpolitik.quotes.lexicon import CueEntry, is_cue_verb, word_list
from realpolitik.quotes.marks import _DOUBLE_MARKS, _WORD, _trim
from realpolitik.quotes.speakers import _EXPLETIVE, _RELATIVE, _SUBJ

# Words that may sit between a cue's content and its quotations without making them "mixed".
_REASON_PREPS = frozenset({"for", "of", "over", "against"})
# Prepositions that set the scene of an act rather than extend what it is about.
_CIRCUMSTANCE_PREPS = word_list("circumstance_prepositions")
_CONNECTORS = frozenset({"that", "and", "but", "or", "adding", "saying", "then", "also"})
# "WASHINGTON (AP) — ", "SEOUL, March 18 (Reuters) - ": not part of what anyone said.
_DATELINE = re.compile(
    r"[A-Z][A-Z .,'-]+(?:,[^()\n]{0,30})?\([^()\n]{1,30}\)\s*[-\u2013\u2014]+\s*"
)
_DATELINE_CHARS = 200


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
    # A dateline is short; reading at most _DATELINE_CHARS keeps the backtracking of its
    # pattern over a long run of capitals bounded.
    dateline = _DATELINE.match(ctx.text, s, min(e, s + _DATELINE_CHARS))
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
                and is_cue_verb(ctx.lex, child)
            )
            or (
                # "said he would go, insisting that ...": a trailing participle cue starts
                # an attribution of its own.
                child.dep_ == "advcl"
                and child.tag_ == "VBG"
                and ctx.doc[child.left_edge.i - 1].text == ","
                and is_cue_verb(ctx.lex, child)
            )
        ):
            last = child.left_edge.i - 1
            while last > root.i and (
                ctx.doc[last].dep_ in ("cc", "punct") or ctx.doc[last].is_space
            ):
                last -= 1
            return last
    return root.right_edge.i


def _crosses_mark(ctx: _Ctx, s: int, e: int) -> bool:
    return any(ch in _DOUBLE_MARKS for ch in ctx.text[s:e])


def _mostly_quoted(ctx: _Ctx, tok: Token) -> bool:
    """At least half of the subtree's words are inside quotation marks (not a title)."""
    if not ctx.spoken:
        return False
    words = [t.idx for t in tok.subtree if not t.is_punct and not t.is_space]
    inside = sum(1 for i in words if ctx.quoted(i))
    return bool(words) and 2 * inside >= len(words)


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
    if is_cue_verb(ctx.lex, head):
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


# Occasions of speech: a "that" clause hung on one of these belongs to the verb of saying
# ("said at a news conference that ...", "says in a statement that ...").
_OCCASION_NOUNS = word_list("occasion_nouns")


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
