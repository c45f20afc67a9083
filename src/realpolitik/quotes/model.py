"""The learned part of attribution: which open candidates are attributions.

The rules in :mod:`realpolitik.quotes` find what reporting words and quotation marks announce.
Annotated news (PolNeAR) also counts a long tail of attributions that no lexicon lists: "X
tweeted their approval", "Y cast a vote for her", "Z's pledge to remove all troops". For
those, :mod:`realpolitik.quotes.candidates` proposes *open candidates*, every verb with a
subject and a complement (and every noun with a possessor and a prepositional or infinitive
complement) that the rules did not already read, with binary features of the parse around it
(cue lemma, complement type, who the subject is, whether the sentence holds a quotation, ...).
This module holds the model that scores them: a logistic regression, stored as readable JSON
(feature -> weight), applied in pure Python. A candidate is kept when its probability reaches
the threshold chosen by cross-validation on the training split. A second model of the same
form (``boundary``) decides where the content of an indirect quote the rules found should end:
where the rules ended it, at the end of the sentence, or before the head's trailing modifiers.

Train your own with ``realpolitik train-attribution POLNEAR.jsonl --out model.json``
(:mod:`realpolitik.training.attribution`) and use it with
``REALPOLITIK_ATTRIBUTION_MODEL=model.json`` (``none`` turns the model off).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from realpolitik.errors import ModelError
from realpolitik.settings import ATTRIBUTION_ENV as _ENV

__all__ = [
    "FEATURES_VERSION",
    "AttributionModel",
    "load_attribution_model",
]

# Bump when the features computed in realpolitik.quotes.candidates change: a model trained on other
# features is refused rather than silently misread.
FEATURES_VERSION = 2
_PACKAGED = "attribution_model.json"


@dataclass(frozen=True)
class AttributionModel:
    """Logistic-regression weights over binary features, and the decision threshold.

    ``boundary``, when present, is a second model of the same form that decides whether an
    indirect quote's content should end elsewhere than where the rules ended it.
    """

    weights: Mapping[str, float]
    bias: float
    threshold: float
    features_version: int = FEATURES_VERSION
    info: Mapping[str, Any] = field(default_factory=dict)
    boundary: AttributionModel | None = None

    def score(self, features: Iterable[str]) -> float:
        """Probability that a candidate with these features is an attribution."""
        z = self.bias + sum(self.weights.get(f, 0.0) for f in set(features))
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    def _linear(self) -> dict[str, Any]:
        """The regression itself: threshold, bias and weights."""
        return {
            "threshold": self.threshold,
            "bias": self.bias,
            "weights": dict(sorted(self.weights.items())),
        }

    @classmethod
    def _from_linear(cls, data: Mapping[str, Any], version: int, **extra: Any) -> AttributionModel:
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        return cls(weights, float(data["bias"]), float(data["threshold"]), version, **extra)

    def to_dict(self) -> dict[str, Any]:
        linear = self._linear()
        return {
            "kind": "realpolitik-attribution-model",
            "features_version": self.features_version,
            "threshold": linear["threshold"],
            "bias": linear["bias"],
            "info": dict(self.info),
            "weights": linear["weights"],
            "boundary": None if self.boundary is None else self.boundary._linear(),
        }

    def save(self, path: str | Path) -> Path:
        out = Path(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(self.to_dict(), indent=0, ensure_ascii=False) + "\n")
        return out

    @classmethod
    def from_file(cls, path: str | Path) -> AttributionModel:
        p = Path(path)
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ModelError(
                f"{p}: no such attribution model",
                hint=f"train one with `realpolitik train-attribution`, or unset {_ENV}",
            ) from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ModelError(
                f"{p}: not a readable attribution model ({exc})",
                hint="point to a file written by `realpolitik train-attribution`",
            ) from None
        if not isinstance(data, dict) or data.get("kind") != "realpolitik-attribution-model":
            raise ModelError(
                f"{p}: not an attribution model (field 'kind' is missing or wrong)",
                hint="point to a file written by `realpolitik train-attribution`",
            )
        version = data.get("features_version")
        if version != FEATURES_VERSION:
            raise ModelError(
                f"{p}: trained on features version {version}, this realpolitik computes "
                f"version {FEATURES_VERSION}",
                hint="retrain it with `realpolitik train-attribution`",
            )
        try:
            ends = data.get("boundary")
            boundary = None if ends is None else cls._from_linear(ends, version)
            info = dict(data.get("info") or {})
            return cls._from_linear(data, version, info=info, boundary=boundary)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelError(
                f"{p}: malformed attribution model (field {exc})",
                hint="retrain it with `realpolitik train-attribution`",
            ) from None


@lru_cache(maxsize=8)
def _load(path: str) -> AttributionModel:
    if path == "packaged":
        ref = resources.files("realpolitik") / "data" / _PACKAGED
        with resources.as_file(ref) as p:
            return AttributionModel.from_file(p)
    return AttributionModel.from_file(path)


def load_attribution_model(path: str | None = None) -> AttributionModel | None:
    """``path`` (a model file, "packaged" or None for the packaged model).

    "none" means no model: the rules alone decide. (``$REALPOLITIK_ATTRIBUTION_MODEL`` reaches
    here as the quotes component's ``attribution`` setting: see :mod:`realpolitik.settings`.)
    """
    chosen = path if path is not None else "packaged"
    if chosen.strip().lower() in ("none", "off", "rules"):
        return None
    return _load(chosen)
