"""Where the lexicon and the learned classifier meet.

The lexicon decides by default (transparent, cheap). The classifier
(:mod:`realpolitik.events.classifier`) overrules it only when it is confident of another PLOVER
type, and it types the hinted pair when no rule fired. The threshold was chosen by 5-fold
cross-validation on the PLV training split (see ``realpolitik eval plv``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from spacy.tokens import Span

from .ontology import plover_root_label

OVERRULE_THRESHOLD = 0.6
# With hints, a rule event's own type is kept only when the classifier is this unsure.
HINT_RULE_BELOW = 0.0


_UNSET = object()
_override: Any = _UNSET


@contextmanager
def use_model(model: Any | None) -> Iterator[None]:
    """Code with another classifier (or none) inside the block; for cross-validation."""
    global _override
    previous, _override = _override, model
    try:
        yield
    finally:
        _override = previous


def _model() -> Any | None:
    return _default_model() if _override is _UNSET else _override


CLASSIFIER_ENV = "REALPOLITIK_CLASSIFIER"


@lru_cache(maxsize=1)
def _default_model() -> Any | None:
    """The shipped classifier, or the one in ``$REALPOLITIK_CLASSIFIER`` (from ``train``)."""
    from .classifier import EventTypeClassifier, load_default

    path = os.environ.get(CLASSIFIER_ENV)
    if path:  # a user's own model: fail loudly rather than code with another one
        return EventTypeClassifier.load(path)
    try:
        return load_default()
    except Exception:  # a missing or broken shipped model must not stop rule coding
        return None


def classify_pair(
    sentence: str, source: str, target: str, *, doc: Span | None = None
) -> tuple[str, float] | None:
    """The classifier's best PLOVER label for a (sentence, source, target), with probability.

    ``doc``: the sentence's parse, so the classifier need not parse it again.
    """
    model = _model()
    if model is None:
        return None
    probs: dict[str, float] = model.predict_proba(sentence, source, target, doc=doc)
    label = max(probs, key=lambda k: probs[k])
    return label, float(probs[label])


def overrule(
    sentence: str,
    source: str,
    target: str,
    rule_plover: str,
    *,
    threshold: float | None = None,
    doc: Span | None = None,
) -> tuple[str, float] | None:
    """The classifier's label if it confidently disagrees with the lexicon's, else ``None``.

    ``threshold`` defaults to :data:`OVERRULE_THRESHOLD` (read at call time).
    """
    if threshold is None:
        threshold = OVERRULE_THRESHOLD
    guess = classify_pair(sentence, source, target, doc=doc)
    if guess is None:
        return None
    label, prob = guess
    try:
        rule_label = plover_root_label(rule_plover)
    except ValueError:
        rule_label = ""
    if label != rule_label and prob >= threshold:
        return label, prob
    return None
