"""realpolitik: code international-affairs news into actors, events, quotations and networks.

>>> import realpolitik
>>> result = realpolitik.code("Japan criticized China on Monday.", date="2021-03-19")
>>> [e.plover for e in result.events]  # doctest: +SKIP
['ACCUSE']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import RealpolitikError
from .records import Actor, Article, Event, Mention, Quote, Result

if TYPE_CHECKING:
    from .pipeline import code, code_articles

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # spaCy is imported only when the coder is asked for: srsly loads realpolitik.docdata
    # through its entry points while spaCy itself is importing, which must not import spaCy
    if name in {"code", "code_articles"}:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'realpolitik' has no attribute {name!r}")


__all__ = [
    "Actor",
    "Article",
    "Event",
    "Mention",
    "Quote",
    "RealpolitikError",
    "Result",
    "__version__",
    "code",
    "code_articles",
]
