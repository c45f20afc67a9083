"""realpolitik: code international-affairs news into actors, events, quotations and networks.

>>> import realpolitik
>>> result = realpolitik.code("Japan criticized China on Monday.", date="2021-03-19")
>>> [e.plover for e in result.events]  # doctest: +SKIP
['ACCUSE']
"""

from .errors import RealpolitikError
from .pipeline import code, code_articles
from .records import Actor, Article, Event, Mention, Quote, Result

__version__ = "0.1.0"

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
