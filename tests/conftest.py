"""Shared fixtures: hand-built Docs for unit tests, the real pipeline for `model` tests.

The folders under tests/ mirror src/realpolitik/ (tests/events/test_extractor.py tests
events/extractor.py). They have no __init__.py and pytest imports test files by their
base name, so each test file's name must be unique across folders. Helpers shared between
test files, and the repository paths, live in helpers.py and web_helpers.py (this folder
is on sys.path): no test file imports another.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

import realpolitik.nlp  # noqa: F401  (registers Doc extensions and factories)


@pytest.fixture(scope="session")
def blank() -> Language:
    return spacy.blank("en")


DocBuilder = Callable[..., Doc]


@pytest.fixture()
def make_doc(blank: Language) -> DocBuilder:
    """Build an annotated Doc by hand: words plus optional heads (absolute), deps, pos, etc."""

    def build(
        words: Sequence[str],
        *,
        heads: Sequence[int] | None = None,
        deps: Sequence[str] | None = None,
        pos: Sequence[str] | None = None,
        tags: Sequence[str] | None = None,
        lemmas: Sequence[str] | None = None,
        ents: Sequence[str] | None = None,
        spaces: Sequence[bool] | None = None,
        sent_starts: Sequence[bool] | None = None,
    ) -> Doc:
        n = len(words)
        if spaces is None:
            spaces = [
                i + 1 < n
                and words[i + 1] not in {".", ",", "'s", "’s", ":", ";", "!", "?", "”"}
                and words[i] not in {"“"}
                for i in range(n)
            ]
        return Doc(
            blank.vocab,
            words=list(words),
            spaces=list(spaces),
            heads=list(heads) if heads is not None else None,
            deps=list(deps) if deps is not None else None,
            pos=list(pos) if pos is not None else None,
            tags=list(tags) if tags is not None else None,
            lemmas=list(lemmas) if lemmas is not None else [w.lower() for w in words],
            ents=list(ents) if ents is not None else None,
            sent_starts=list(sent_starts) if sent_starts is not None else None,
        )

    return build


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The real pipeline with realpolitik's components (model tests only)."""
    from realpolitik.nlp import load_nlp

    return load_nlp()
