"""A small on-disk cache for data built from shipped files (gazetteers, lexicons).

Building some tables takes seconds (the place gazetteer reads a 30 MB geonames file), so the
built object is pickled into the user's cache folder (``$REALPOLITIK_CACHE``, else
``$XDG_CACHE_HOME/realpolitik`` or ``~/.cache/realpolitik``; ``REALPOLITIK_CACHE=none`` turns
it off), keyed by a hash of the *contents* of every file it was built from, the code that
builds it included: any edit rebuilds it. An unwritable or damaged cache only costs the build.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

CACHE_ENV = "REALPOLITIK_CACHE"

T = TypeVar("T")


def cache_folder() -> Path | None:
    """The cache folder, or None when caching is turned off."""
    where = os.environ.get(CACHE_ENV)
    if where == "none":
        return None
    if where:
        return Path(where).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME", "~/.cache")).expanduser() / "realpolitik"


def content_key(sources: Iterable[Path | str], *extra: str) -> str:
    """A hash of the files' names and bytes (and of ``extra`` strings)."""
    digest = hashlib.sha256()
    for source in sources:
        path = Path(source)
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for item in extra:
        digest.update(item.encode() + b"\0")
    return digest.hexdigest()[:20]


def cached_build(
    kind: str, sources: Iterable[Path | str], build: Callable[[], T], check: type[T]
) -> T:
    """``build()``, or the pickled result of an earlier build from the same ``sources``.

    ``check`` is the type the result must have; anything else found in the cache is rebuilt.
    """
    folder = cache_folder()
    if folder is None:
        return build()
    target = folder / f"{kind}-{content_key(sources)}.pickle"
    if target.exists():
        try:
            with target.open("rb") as fh:
                value = pickle.load(fh)
            if isinstance(value, check):
                return value
        except Exception:  # a stale or damaged cache is rebuilt, never trusted
            pass
    value = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(target)
    except OSError:
        pass
    return value
