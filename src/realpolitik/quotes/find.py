"""The entry points: :func:`find_quotes`, and :func:`attribution_candidates` for training."""

from __future__ import annotations

from collections.abc import Collection

from spacy.tokens import Doc

from realpolitik.quotes.assembly import QuoteSpan, _finish, _rule_drafts
from realpolitik.quotes.candidates import (
    Candidate,
    EndCandidate,
    _end_features,
    _end_readings,
    _learned_drafts,
    _open_drafts,
    _redraw_ends,
)
from realpolitik.quotes.marks import _trim
from realpolitik.quotes.model import AttributionModel, load_attribution_model

__all__ = ["attribution_candidates", "find_quotes"]


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
    content where it reads the sentence better: "packaged" loads the packaged model, a path
    or an :class:`AttributionModel` is used as given, ``None`` leaves the rules alone.
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


def attribution_candidates(
    doc: Doc,
) -> tuple[list[QuoteSpan], list[Candidate], list[EndCandidate]]:
    """For training :mod:`realpolitik.quotes.model`, from one pass of the rules over ``doc``:
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
