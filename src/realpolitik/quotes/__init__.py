"""Quotations and their attribution, found over a parsed spaCy ``Doc``.

Two independent sources of evidence are combined: quotation marks read from the raw text
(:mod:`~realpolitik.quotes.marks`) and reporting cues from the lexicon
(:mod:`~realpolitik.quotes.lexicon`) located through the dependency parse
(:mod:`~realpolitik.quotes.cues`, with their content from :mod:`~realpolitik.quotes.content`
and their speakers from :mod:`~realpolitik.quotes.speakers`).
:mod:`~realpolitik.quotes.assembly` puts them together into direct, indirect and mixed quotes;
:mod:`~realpolitik.quotes.candidates` proposes the open candidates that the learned model
(:mod:`~realpolitik.quotes.model`) scores; :mod:`~realpolitik.quotes.find` is the entry point
and :mod:`~realpolitik.quotes.attribution` turns quotes into records tied to actors.

Modules import one way, in that order (intervals -> marks, lexicon -> context -> speakers ->
content -> cues -> assembly -> model -> candidates -> find -> attribution; ``intervals`` keeps
the scanners linear in the number of quotations); none imports evaluation or training code
(``scripts/import_graph.py`` checks it). Word lists live in ``quotes/data/``, role nouns in
``actors/data/roles.tsv``.
"""

from realpolitik.quotes.assembly import QuoteSpan
from realpolitik.quotes.candidates import Candidate, EndCandidate
from realpolitik.quotes.find import attribution_candidates, find_quotes
from realpolitik.quotes.lexicon import ACTS, CueEntry, Lexicon, load_lexicon
from realpolitik.quotes.marks import quote_regions

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
