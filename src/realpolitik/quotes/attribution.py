"""Quotation records: spans from :func:`realpolitik.quotes.find_quotes` attributed to
resolved actors."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from realpolitik.actors.roles import role_words
from realpolitik.quotes.assembly import QuoteSpan
from realpolitik.quotes.find import find_quotes
from realpolitik.quotes.model import AttributionModel
from realpolitik.records import Article, Mention, Quote

from ..doctext import doc_text

COMPONENT = "realpolitik.quotes/0.3.0"
# A quote whose attribution the learned model found (realpolitik.quotes.model).
MODEL_COMPONENT = "realpolitik.quotes.model/0.3.0"
QUOTED_ACTS = frozenset({"speech", "cognition"})


def _overlaps(a: tuple[int, int], m: Mention) -> bool:
    return m.start < a[1] and a[0] < m.end


def speaker_mention(
    span: QuoteSpan, mentions: list[Mention], text: str, sentence_end: int | None = None
) -> Mention | None:
    """The actor mention a quotation's speaker refers to (antecedent first, for pronouns)."""
    for where in (span.speaker_antecedent, span.speaker):
        if where is None:
            continue
        hits = [m for m in mentions if _overlaps(where, m) and m.actor]
        if hits:
            # a person named in the speaker phrase beats the organization or state around them
            hits.sort(key=lambda m: (m.kind != "person", m.start))
            return hits[0]
    if span.speaker is None:
        return None
    phrase = " ".join(text[span.speaker[0] : span.speaker[1]].split())
    if not _is_anaphor(phrase):
        return None  # "Experts", "A joint statement": no actor to name
    people = [m for m in mentions if m.kind == "person" and m.actor]
    if phrase.lower() in {"his", "her"}:
        # "Following his criticism of X, Blinken said ...": a fronted possessive points
        # forward to the person named next in its sentence
        end = sentence_end if sentence_end is not None else len(text)
        ahead = [m for m in people if span.speaker[1] <= m.start < end]
        if ahead:
            return ahead[0]
    before = [m for m in people if m.end <= span.speaker[0]]
    return before[-1] if before else None


_PRONOUNS = {"he", "she", "him", "her", "his"}


def _description_pattern() -> re.Pattern[str]:
    """ "the minister", "this foreign minister": a determiner, a word at most, a role noun
    (the ``description`` rows of ``actors/data/roles.tsv``; ``spokes*`` matches any ending)."""
    words = sorted(role_words("description"))
    roles = "|".join(re.escape(w[:-1]) + r"\w+" if w.endswith("*") else re.escape(w) for w in words)
    return re.compile(rf"^(the|this|that)\s+(\w+\s+)?({roles})$", re.IGNORECASE)


_DESCRIPTIONS = _description_pattern()


def _is_anaphor(phrase: str) -> bool:
    """A pronoun or a singular definite description ("the minister") that names no one."""
    return phrase.lower() in _PRONOUNS or bool(_DESCRIPTIONS.match(phrase))


def attribute_quotes(doc: Doc, *, model: AttributionModel | str | None = "packaged") -> list[Quote]:
    """Find the quotations in ``doc`` and attribute each to an actor id where possible.

    ``model``: the attribution model, as for :func:`~realpolitik.quotes.find.find_quotes`."""
    mentions: list[Mention] = doc._.rp_mentions or []
    article: Article | None = doc._.rp_article
    prefix = article.id if article else "doc"
    text = doc_text(doc)
    quotes = []
    # what people said or think; attitudes ("X supports Y") are left to events and relations
    for n, span in enumerate(find_quotes(doc, acts=QUOTED_ACTS, model=model), start=1):
        sentence_end = None
        if span.speaker is not None:
            where = doc.char_span(*span.speaker, alignment_mode="expand")
            sentence_end = where.sent.end_char if where is not None and len(where) else None
        who = speaker_mention(span, mentions, text, sentence_end)
        content = span.content
        speaker_id = who.actor if who else None
        about: list[str] = []
        for m in mentions:
            if (
                m.actor
                and content[0] <= m.start
                and m.end <= content[1]
                and m.actor != speaker_id
                and m.actor not in about
            ):
                about.append(m.actor)
        if span.speaker is not None:
            speaker_text = text[span.speaker[0] : span.speaker[1]]
        else:
            speaker_text = who.text if who else ""
        quotes.append(
            Quote(
                id=f"{prefix}:q{n}",
                speaker=speaker_id,
                speaker_text=speaker_text,
                text=text[content[0] : content[1]],
                start=content[0],
                end=content[1],
                kind=span.kind,  # type: ignore[arg-type]
                cue=text[span.cue[0] : span.cue[1]] if span.cue else "",
                about=about,
                component=COMPONENT if span.score is None else MODEL_COMPONENT,
            )
        )
    return quotes
