"""A small on-disk cache for data built from shipped files (gazetteers, lexicons).

Building some tables takes seconds (the place gazetteer reads a 30 MB geonames file), so the
built object is pickled into the user's cache folder (``$REALPOLITIK_CACHE``, else
``$XDG_CACHE_HOME/realpolitik`` or ``~/.cache/realpolitik``; ``REALPOLITIK_CACHE=none`` turns
it off), keyed by a hash of the *contents* of every file it was built from, the code that
builds it included: any edit rebuilds it. An unwritable or damaged cache only costs the build.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from .settings import CACHE_ENV as CACHE_ENV
from .settings import cache_folder as cache_folder

FORMAT = "v2"  # change when the way values are written changes

T = TypeVar("T")


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def _rebuild(cls: type, values: tuple[Any, ...]) -> Any:
    """A dataclass instance from its field values (frozen ones too), without ``__init__``."""
    obj: Any = object.__new__(cls)
    for name, value in zip(_field_names(cls), values, strict=True):
        object.__setattr__(obj, name, value)
    return obj


class _Pickler(pickle.Pickler):
    """Dataclasses with ``__slots__`` as (class, field values): reading back tens of thousands
    of them through dataclasses' own ``__setstate__`` costs seconds, this a tenth of that."""

    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        if (
            "__slots__" in cls.__dict__
            and dataclasses.is_dataclass(cls)
            and not hasattr(obj, "__dict__")
        ):
            return _rebuild, (cls, tuple(getattr(obj, n) for n in _field_names(cls)))
        return NotImplemented


def dumps(value: Any) -> bytes:
    """``pickle.dumps`` with the compact form of slotted dataclasses (see :func:`_rebuild`)."""
    buf = io.BytesIO()
    _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buf.getvalue()


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
    target = folder / f"{kind}-{content_key(sources, FORMAT)}.pickle"
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
        tmp.write_bytes(dumps(value))
        tmp.replace(target)
    except OSError:
        pass
    return value
