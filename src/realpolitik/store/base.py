"""The store's connection: :class:`Store` opens one DuckDB file, and its methods are the
library's short way to the functions of :mod:`.write`, :mod:`.query` and :mod:`.groups`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from ..errors import StoreError
from ..ingest import content_hash
from ..records import Result
from . import groups, query, write
from .schema import SCHEMA


class Store:
    """A DuckDB file of coded articles. Use as a context manager or call :meth:`close`.

    Writes are one transaction per article and keyed by the article's content hash, so
    re-ingesting the same text adds nothing and an interrupted run never leaves half an
    article behind.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = str(path)
        if read_only and not Path(self.path).exists():
            raise StoreError(
                f"no store at {self.path}",
                hint="create one with `realpolitik ingest PATH... --db FILE`",
            )
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as exc:
            raise StoreError(
                f"cannot open the store {self.path}: {exc}",
                hint="check that the path is a DuckDB file that no other process is writing",
            ) from None
        if not read_only:
            self.con.execute(SCHEMA)

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    # -- low level: rows of a query, tables ------------------------------------------------

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """The rows of ``sql`` (with ``?`` parameters) as dicts of column names."""
        cur = self.con.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def has_table(self, name: str) -> bool:
        row = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
        ).fetchone()
        return bool(row and row[0])

    # -- writing (see :mod:`.write`) -------------------------------------------------------

    def has_content(self, text: str) -> bool:
        """Whether an article with exactly this text is stored already."""
        row = self.con.execute(
            "SELECT 1 FROM articles WHERE content_hash = ?", [content_hash(text)]
        ).fetchone()
        return row is not None

    def add(self, result: Result) -> bool:
        """Store one coded article in one transaction; False if its text was stored before.

        Raises :class:`StoreError` if another text is stored under the same article id.
        """
        return write.add_result(self, result)

    def record_failure(
        self, article_id: str, stage: str, message: str, content_hash: str | None = None
    ) -> None:
        """Remember that an article could not be stored; the latest message per stage wins."""
        write.record_failure(self, article_id, stage, message, content_hash)

    # -- reading (see :mod:`.query` for the filters' meaning) -------------------------------

    def article_ids(self) -> list[str]:
        return query.article_ids(self)

    def counts(self) -> dict[str, int]:
        return query.counts(self)

    def events(self, **filters: Any) -> list[dict[str, Any]]:
        """Events as rows of the events table, filtered as :func:`.query.search_events`."""
        return query.events(self, **filters)

    def actors(self, **filters: Any) -> list[dict[str, Any]]:
        """Actor rows per article with their mentions, filtered as :func:`.query.actor_rows`."""
        return query.actor_rows(self, **filters)

    def quotes(self, **filters: Any) -> list[dict[str, Any]]:
        """Quotation rows, filtered as :func:`.query.search_quotes`."""
        return query.quotes(self, **filters)

    def result(self, article_id: str) -> Result:
        """Rebuild the full :class:`Result` of one stored article."""
        return query.result(self, article_id)

    def results(self) -> Iterator[Result]:
        return query.results(self)

    def dyads(self, *, by: str = "month", level: str = "country") -> list[dict[str, Any]]:
        """Events per directed dyad and period (see :func:`.query.dyads`)."""
        return query.dyads(self, by=by, level=level)

    def relations(
        self, *, article: str | None = None, kind: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Stored standing relations with both parties' names, kinds and countries."""
        return query.relations(self, article=article, kind=kind, limit=limit)

    def stored_hashes(self) -> set[str]:
        """Content hashes of every stored article (what a resumed ingest skips)."""
        return query.stored_hashes(self)

    def failures(self, *, limit: int | None = None) -> list[dict[str, Any]]:
        """Articles that could not be read, coded or stored (and are not stored since)."""
        return query.failures(self, limit=limit)

    def table_batches(self, name: str, *, flat: bool = False) -> Any:
        """A ``pyarrow.RecordBatchReader`` over one exportable table (see
        :func:`.query.table_batches`)."""
        return query.table_batches(self, name, flat=flat)

    # -- event groups (see :mod:`.groups`) --------------------------------------------------

    def event_mentions(self) -> list[dict[str, Any]]:
        return query.event_mentions(self)

    def event_groups(self, window: int = 1) -> list[dict[str, Any]]:
        return groups.event_groups(self, window)

    def save_event_groups(self, window: int = 1) -> tuple[int, int]:
        return groups.save_event_groups(self, window)

    def saved_event_groups(self) -> list[dict[str, Any]]:
        return groups.saved_event_groups(self)


def reader(store: Store) -> Store:
    """A second handle on ``store``'s database for another thread (DuckDB cursors are per thread).

    It shares the open database, and so its read-only mode; close it when the thread is done.
    """
    view = Store.__new__(Store)
    view.path = store.path
    view.con = store.con.cursor()
    return view
