"""From :class:`Article` to :class:`Result`: the library's main entry point.

``code(text, date=...)`` codes one article; :func:`code_articles` streams many through
``nlp.pipe``. Both return typed records (see :mod:`realpolitik.records`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from .ingest import check_date
from .nlp import load_nlp
from .records import Article, Result


def _doc_for(nlp: Language, article: Article) -> Doc:
    doc = nlp.make_doc(article.text)
    doc._.rp_article = article
    return doc


def result_from_doc(doc: Doc) -> Result:
    """Collect what the realpolitik components left on a processed ``Doc``."""
    article = doc._.rp_article or Article(id="doc", text=doc.text)
    return Result(
        article=article,
        actors=list(doc._.rp_actors or []),
        events=list(doc._.rp_events or []),
        quotes=list(doc._.rp_quotes or []),
        relations=list(doc._.rp_relations or []),
        errors=list(doc._.rp_errors or []),
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
    docs = (_doc_for(nlp, a) for a in articles)
    for doc in nlp.pipe(docs, batch_size=batch_size, n_process=n_process):
        yield result_from_doc(doc)


def code(
    text: str,
    *,
    date: str | None = None,
    id: str = "article",
    source: str | None = None,
    title: str | None = None,
    hints: dict[str, str] | None = None,
    nlp: Language | None = None,
) -> Result:
    """Code one article's text; ``date`` (YYYY-MM-DD) anchors relative dates.

    Unknown keywords are a ``TypeError`` (``data=`` for ``date=`` must not pass silently).
    """
    if date is not None:
        check_date(date, where="date argument")
    article = Article(id=id, text=text, date=date, source=source, title=title, hints=hints)
    return next(code_articles([article], nlp=nlp))
