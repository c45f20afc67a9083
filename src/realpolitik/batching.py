"""What the local pool (:mod:`realpolitik.corpus`) and Dask (:mod:`realpolitik.scale`) share:
batches of articles coded into results or failures, and the plain-data form in which articles
and results cross processes. Both import it; it imports neither.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from spacy.language import Language

from .ingest import content_hash
from .pipeline import code_articles
from .records import Article, Result

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "Failure",
    "article_to_dict",
    "batched",
    "code_batch",
    "result_from_dict",
    "result_to_dict",
]

DEFAULT_BATCH_SIZE = 8  # spaCy's sm pipeline is fastest with batches of 4-16 articles


@dataclass(slots=True)
class Failure:
    """An article that could not be read, coded or stored."""

    article_id: str
    stage: str  # read | nlp | store | worker
    message: str
    content_hash: str | None = None

    def __str__(self) -> str:
        return f"{self.article_id} [{self.stage}]: {self.message}"


# -- serialising results (for Parquet partitions and other processes) ------------------------
# The mapping itself is the records' own (records.py); these names stay for callers.


def result_to_dict(result: Result) -> dict[str, Any]:
    """The JSON form of a result (docs/output.md) plus the article's text and hints."""
    return result.to_dict(full=True)


def result_from_dict(d: dict[str, Any]) -> Result:
    """Rebuild a :class:`Result` from :func:`result_to_dict` (or ``to_dict`` plus text)."""
    return Result.from_dict(d)


def article_to_dict(article: Article) -> dict[str, Any]:
    """An article as plain data (to send to another process or machine)."""
    return article.to_dict(full=True)


# -- coding: in this process, or on a pool of processes --------------------------------------


def code_batch(nlp: Language, articles: list[Article], batch_size: int) -> list[Result | Failure]:
    """Code a batch; if the batch raises, code its articles one by one so only culprits fail."""
    try:
        return list(code_articles(articles, nlp=nlp, batch_size=batch_size))
    except Exception:  # retried below, one article at a time, to find which one fails
        pass
    out: list[Result | Failure] = []
    for article in articles:
        try:
            out.extend(code_articles([article], nlp=nlp))
        except Exception as exc:  # one bad article must not stop the run
            out.append(
                Failure(
                    article.id, "nlp", f"{type(exc).__name__}: {exc}", content_hash(article.text)
                )
            )
    return out


def batched(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """Consecutive lists of ``size`` articles (the last may be shorter)."""
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
