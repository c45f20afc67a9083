"""What the local pool (:mod:`realpolitik.batch.local`) and Dask (:mod:`realpolitik.batch.dask`)
share: batches of articles coded into results or failures, and the plain-data form in which
articles and results cross processes. Both import it; it imports neither.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from spacy.language import Language

from ..errors import TimeBudgetExceeded
from ..guards import CHUNK_CHARS, DEFAULT_TIME_BUDGET, time_limit
from ..ingest import content_hash
from ..pipeline import code_articles
from ..records import Article, Result

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
    stage: str  # read | nlp | store | worker | budget
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


def code_batch(
    nlp: Language,
    articles: list[Article],
    batch_size: int,
    time_budget: float | None = DEFAULT_TIME_BUDGET,
) -> list[Result | Failure]:
    """Code a batch; if the batch raises, code its articles one by one so only culprits fail.

    ``time_budget`` is seconds per article (the batch gets that many per article); an article
    over it is a :class:`Failure` of stage ``budget``. The limit is ``signal.setitimer``, so it
    holds in the main thread of a POSIX process (this process, or a pool worker); elsewhere
    (Dask's worker threads) there is none. Texts long enough to be coded in chunks go alone,
    so a slow one is found without first spending the whole batch's budget.
    """
    out: list[Result | Failure] = []
    group: list[Article] = []
    for article in articles:
        if len(article.text) > CHUNK_CHARS:
            out.extend(_code_group(nlp, group, batch_size, time_budget))
            out.extend(_code_group(nlp, [article], batch_size, time_budget))
            group = []
        else:
            group.append(article)
    out.extend(_code_group(nlp, group, batch_size, time_budget))
    return out


def _code_group(
    nlp: Language, articles: list[Article], batch_size: int, time_budget: float | None
) -> list[Result | Failure]:
    if not articles:
        return []
    try:
        with time_limit(time_budget * len(articles) if time_budget else None):
            return list(code_articles(articles, nlp=nlp, batch_size=batch_size))
    except TimeBudgetExceeded as exc:
        if len(articles) == 1:  # no need to spend the budget on it twice
            article = articles[0]
            return [Failure(article.id, "budget", str(exc), content_hash(article.text))]
    except Exception:  # retried below, one article at a time, to find which one fails
        pass
    out: list[Result | Failure] = []
    for article in articles:
        try:
            with time_limit(time_budget):
                out.extend(code_articles([article], nlp=nlp))
        except TimeBudgetExceeded as exc:
            out.append(Failure(article.id, "budget", str(exc), content_hash(article.text)))
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
