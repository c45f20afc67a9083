"""Settings that may come from the environment, read in one place.

The stages never read environment variables: every choice reaches them as an argument or as
a spaCy component config value (``default_config`` in :mod:`realpolitik.nlp`). The edge of
the program, the CLI and :func:`realpolitik.nlp.load_nlp` (which :func:`realpolitik.code`
and worker processes call), fills what the caller left unset from :func:`from_environ`.

=================================  ===================================================
variable                           setting
=================================  ===================================================
``REALPOLITIK_MODEL``              ``model``: spaCy pipeline package or directory
``REALPOLITIK_EXTRACTOR``          ``extractor``: event extractor folder, or ``none``
``REALPOLITIK_ENCODER``            ``encoder``: the extractor's encoder folder (ONNX)
``REALPOLITIK_CLASSIFIER``         ``classifier``: event type classifier from ``train``
``REALPOLITIK_DICTIONARY``         ``dictionary``: the user's own actor dictionary
``REALPOLITIK_ATTRIBUTION_MODEL``  ``attribution``: quote attribution model, or ``none``
``REALPOLITIK_FAST_OPS``           ``fast_ops``: ``0``/``off``/``no`` turns numpy's BLAS off
``REALPOLITIK_CACHE``              :func:`cache_folder`: where parsed data is kept
=================================  ===================================================
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

MODEL_ENV = "REALPOLITIK_MODEL"
EXTRACTOR_ENV = "REALPOLITIK_EXTRACTOR"
ENCODER_ENV = "REALPOLITIK_ENCODER"
CLASSIFIER_ENV = "REALPOLITIK_CLASSIFIER"
DICTIONARY_ENV = "REALPOLITIK_DICTIONARY"
ATTRIBUTION_ENV = "REALPOLITIK_ATTRIBUTION_MODEL"
FAST_OPS_ENV = "REALPOLITIK_FAST_OPS"
CACHE_ENV = "REALPOLITIK_CACHE"

__all__ = ["Settings", "cache_folder", "from_environ"]


@dataclass(frozen=True, slots=True)
class Settings:
    """What the environment chose; ``None`` means "the default" for each."""

    model: str | None = None
    extractor: str | None = None
    encoder: str | None = None
    classifier: str | None = None
    dictionary: str | None = None
    attribution: str | None = None
    fast_ops: bool | None = None  # None: decided by a timing check at load (ops.py)


def from_environ(environ: Mapping[str, str] | None = None) -> Settings:
    """The settings in ``environ`` (default ``os.environ``); empty values count as unset."""
    env = os.environ if environ is None else environ
    off = env.get(FAST_OPS_ENV, "").strip().lower() in ("0", "off", "no")
    return Settings(
        model=env.get(MODEL_ENV) or None,
        extractor=env.get(EXTRACTOR_ENV) or None,
        encoder=env.get(ENCODER_ENV) or None,
        classifier=env.get(CLASSIFIER_ENV) or None,
        dictionary=env.get(DICTIONARY_ENV) or None,
        attribution=env.get(ATTRIBUTION_ENV) or None,
        fast_ops=False if off else None,
    )


def cache_folder(environ: Mapping[str, str] | None = None) -> Path | None:
    """Where parsed dictionaries and lexicons are kept: ``$REALPOLITIK_CACHE``, else
    ``$XDG_CACHE_HOME/realpolitik`` (``~/.cache/realpolitik``); None when it is ``none``."""
    env = os.environ if environ is None else environ
    where = env.get(CACHE_ENV)
    if where == "none":
        return None
    if where:
        return Path(where).expanduser()
    return Path(env.get("XDG_CACHE_HOME", "~/.cache")).expanduser() / "realpolitik"
