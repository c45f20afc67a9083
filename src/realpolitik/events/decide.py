"""Where the lexicon and the learned classifier meet.

The lexicon decides by default (transparent, cheap). The classifier
(:mod:`realpolitik.events.classifier`) overrules it only when it is confident of another PLOVER
type, and it types the hinted pair when no rule fired. The threshold was chosen by 5-fold
cross-validation on the PLV training split (see ``realpolitik eval plv``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.tokens import Span

from .ontology import plover_root_label

OVERRULE_THRESHOLD = 0.6
# With hints, a rule event's own type is kept only when the classifier is this unsure.
HINT_RULE_BELOW = 0.0


@lru_cache(maxsize=4)
def load_classifier(path: str | None = None) -> Any | None:
    """The classifier at ``path`` (from ``realpolitik train``), else the shipped one.

    A user's own model that cannot be loaded raises :class:`~realpolitik.errors.ModelError`
    (rather than coding with another one); a missing or broken shipped model gives None, so
    that rule coding goes on without it.
    """
    from .classifier import EventTypeClassifier, load_default

    if path:
        return EventTypeClassifier.load(path)
    try:
        return load_default()
    except Exception:  # a missing or broken shipped model must not stop rule coding
        return None


@dataclass(frozen=True, slots=True)
class Decider:
    """The learned classifier (or None: the rules alone) and when it overrules the lexicon.

    The events component holds one, built from its ``classifier`` setting; the evaluator
    builds its own per cross-validation fold.
    """

    model: Any | None
    threshold: float = OVERRULE_THRESHOLD  # overrule the lexicon from this probability
    rule_below: float = HINT_RULE_BELOW  # with hints, keep a rule's type below this

    def classify_pair(
        self, sentence: str, source: str, target: str, *, doc: Span | None = None
    ) -> tuple[str, float] | None:
        """The classifier's best PLOVER label for a (sentence, source, target), with its
        probability. ``doc``: the sentence's parse, so the classifier need not parse it again.
        """
        if self.model is None:
            return None
        probs: dict[str, float] = self.model.predict_proba(sentence, source, target, doc=doc)
        label = max(probs, key=lambda k: probs[k])
        return label, float(probs[label])

    def overrule(
        self,
        sentence: str,
        source: str,
        target: str,
        rule_plover: str,
        *,
        doc: Span | None = None,
    ) -> tuple[str, float] | None:
        """The classifier's label if it confidently disagrees with the lexicon's, else None."""
        guess = self.classify_pair(sentence, source, target, doc=doc)
        if guess is None:
            return None
        label, prob = guess
        try:
            rule_label = plover_root_label(rule_plover)
        except ValueError:
            rule_label = ""
        if label != rule_label and prob >= self.threshold:
            return label, prob
        return None


def default_decider(classifier: str | None = None) -> Decider:
    """A :class:`Decider` with the classifier at ``classifier`` (None: the shipped one)."""
    return Decider(load_classifier(classifier))
