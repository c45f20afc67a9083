"""From :class:`Article` to :class:`Result`: the library's main entry point.

``code(text, date=...)`` codes one article; :func:`code_articles` streams many through
``nlp.pipe``. Both return typed records (see :mod:`realpolitik.records`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .doctext import doc_text
from .errors import WrongType
from .guards import (
    CHUNK_CHARS,
    break_punctuation_runs,
    paragraph_chunks,
    reslice,
    shift_result,
    time_limit,
)
from .ingest import check_date
from .nlp import load_nlp
from .records import Article, Result, StageError


def _doc_for(nlp: Language, article: Article) -> Doc:
    # Same-length substitutions only: offsets into the Doc are offsets into article.text.
    doc = nlp.make_doc(break_punctuation_runs(article.text))
    doc._.rp_article = article
    return doc


def result_from_doc(doc: Doc) -> Result:
    """Collect what the realpolitik components left on a processed ``Doc``."""
    article = doc._.rp_article or Article(id="doc", text=doc_text(doc))
    result = Result(
        article=article,
        actors=list(doc._.rp_actors or []),
        events=list(doc._.rp_events or []),
        quotes=list(doc._.rp_quotes or []),
        relations=list(doc._.rp_relations or []),
        errors=[StageError("input", note) for note in article.repairs]
        + list(doc._.rp_errors or []),
    )
    if doc_text(doc) is not article.text and doc_text(doc) != article.text:
        reslice(result, article.text)
    return result


def _chunk_limit(nlp: Language) -> int:
    return max(1, min(nlp.max_length, CHUNK_CHARS))


def _pieces(articles: Iterable[Article], limit: int) -> Iterator[tuple[Article, Any]]:
    """Each article, or a long one's paragraph-aligned chunks, with what is needed to merge."""
    for article in articles:
        if len(article.text) <= limit:
            yield article, None
            continue
        chunks = paragraph_chunks(article.text, limit)
        for i, (offset, chunk) in enumerate(chunks):
            # repairs are reported once, by the whole article
            piece = replace(article, text=chunk, repairs=[])
            yield piece, (article, offset, i, len(chunks))


def _merge(parts: list[Result], whole: Article, offsets: list[int]) -> Result:
    shifted = [
        shift_result(r, off, f"~{i}" if i else "")
        for i, (r, off) in enumerate(zip(parts, offsets, strict=True))
    ]
    note = StageError(
        "input",
        f"the text has {len(whole.text):,} characters: coded in {len(parts)} "
        "paragraph-aligned chunks",
    )
    return Result(
        article=whole,
        actors=[a for r in shifted for a in r.actors],
        events=[e for r in shifted for e in r.events],
        quotes=[q for r in shifted for q in r.quotes],
        relations=[x for r in shifted for x in r.relations],
        errors=[StageError("input", n) for n in whole.repairs]
        + [note]
        + [e for r in shifted for e in r.errors],
    )


def code_articles(
    articles: Iterable[Article],
    *,
    nlp: Language | None = None,
    batch_size: int = 8,
    n_process: int = 1,
) -> Iterator[Result]:
    """Code articles in order, yielding one :class:`Result` each."""
    nlp = nlp or load_nlp()
    merging: deque[Any] = deque()  # what each piece sent into the pipe belongs to, in order
    parts: list[Result] = []
    offsets: list[int] = []

    def docs() -> Iterator[Doc]:
        for piece, whole in _pieces(articles, _chunk_limit(nlp)):
            merging.append(whole)
            yield _doc_for(nlp, piece)

    for doc in nlp.pipe(docs(), batch_size=batch_size, n_process=n_process):
        result = result_from_doc(doc)
        whole = merging.popleft()
        if whole is None:
            yield result
            continue
        article, offset, index, total = whole
        parts.append(result)
        offsets.append(offset)
        if index == total - 1:
            yield _merge(parts, article, offsets)
            parts, offsets = [], []


def code(
    text: str,
    *,
    date: str | None = None,
    id: str = "article",
    source: str | None = None,
    title: str | None = None,
    hints: dict[str, str] | None = None,
    nlp: Language | None = None,
    time_budget: float | None = None,
) -> Result:
    """Code one article's text; ``date`` (YYYY-MM-DD) anchors relative dates.

    Unknown keywords are a ``TypeError`` (``data=`` for ``date=`` must not pass silently);
    arguments of the wrong type (``code(123)``, ``date=20210101``, ``hints="USA"``) are a
    :class:`~realpolitik.errors.WrongType` naming the argument. With ``time_budget``
    (seconds; POSIX main thread), coding that runs longer raises
    :class:`~realpolitik.errors.TimeBudgetExceeded`.
    """
    if date is not None:
        if not isinstance(date, str):
            raise WrongType(
                f"the date argument must be a string, not {type(date).__name__} ({date!r:.40})",
                path="code()",
                hint='write dates as YYYY-MM-DD strings, e.g. date="2021-03-19"',
            )
        check_date(date, where="date argument")
    article = Article(id=id, text=text, date=date, source=source, title=title, hints=hints)
    with time_limit(time_budget):
        return next(code_articles([article], nlp=nlp))
