"""Batch work over many inputs: read -> skip what is stored -> code -> store.

Each bad input is reported and skipped; everything else is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from spacy.language import Language

from .errors import InputError, StoreError
from .ingest import InputFormat, read_articles
from .pipeline import code_articles
from .records import Article, Result
from .store import Store


def example_paths() -> list[str]:
    """Paths of the example articles bundled with the package."""
    folder = resources.files("realpolitik") / "examples"
    return sorted(str(p) for p in Path(str(folder)).glob("*.txt"))


@dataclass
class Report:
    """What a batch run did."""

    added: int = 0
    already_stored: int = 0
    coded: int = 0
    failures: list[str] = field(default_factory=list)
    stage_errors: int = 0

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        parts = [f"{self.coded} coded"]
        if self.added or self.already_stored:
            parts.append(f"{self.added} stored, {self.already_stored} already stored")
        if self.stage_errors:
            parts.append(f"{self.stage_errors} stage errors")
        parts.append(f"{len(self.failures)} failed")
        return ", ".join(parts)


def split_inputs(
    items: Iterable[Article | InputError], report: Report, on_error: Callable[[str], None]
) -> Iterator[Article]:
    for item in items:
        if isinstance(item, InputError):
            report.failures.append(str(item))
            on_error(str(item))
        else:
            yield item


def code_paths(
    paths: Iterable[str],
    *,
    input_format: InputFormat = "auto",
    date: str | None = None,
    nlp: Language | None = None,
    report: Report | None = None,
    on_error: Callable[[str], None] = lambda _m: None,
) -> Iterator[Result]:
    """Code every article in ``paths``, in input order, reporting bad inputs as they come."""
    report = report if report is not None else Report()
    articles = split_inputs(
        read_articles(paths, input_format=input_format, date=date), report, on_error
    )
    for result in code_articles(articles, nlp=nlp):
        report.coded += 1
        report.stage_errors += len(result.errors)
        yield result


def ingest_paths(
    paths: Iterable[str],
    db: str | Path,
    *,
    input_format: InputFormat = "auto",
    date: str | None = None,
    nlp: Language | None = None,
    on_error: Callable[[str], None] = lambda _m: None,
) -> Report:
    """Code and store every article in ``paths`` that the store does not hold yet."""
    report = Report()
    with Store(db) as store:

        def fresh(items: Iterable[Article]) -> Iterator[Article]:
            for article in items:
                if store.has_content(article.text):
                    report.already_stored += 1
                else:
                    yield article

        articles = split_inputs(
            read_articles(paths, input_format=input_format, date=date), report, on_error
        )
        for result in code_articles(fresh(articles), nlp=nlp):
            report.coded += 1
            report.stage_errors += len(result.errors)
            try:
                if store.add(result):
                    report.added += 1
                else:
                    report.already_stored += 1
            except StoreError as err:
                report.failures.append(f"{result.article.id}: {err}")
                on_error(str(err))
    return report
