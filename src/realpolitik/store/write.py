"""Writing coded articles: one article per transaction, or many new ones at once.

Rows and records meet here only: the section "rows <-> records" maps each record to its
table's row and back, for writing (:func:`add_result`, :func:`bulk_add`) and for the queries
that rebuild records (:mod:`.query`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import duckdb

from ..errors import StoreError
from ..ingest import content_hash
from ..records import (
    Actor,
    Article,
    Event,
    Participant,
    Place,
    Quote,
    Relation,
    Result,
    Span,
    StageError,
)
from .schema import EVENT_COLUMNS, ident

if TYPE_CHECKING:
    from .base import Store

_ROW_COLUMNS = {
    "articles": ("id", "content_hash", "date", "source", "title", "text"),  # ingested_at: default
    "events": tuple(EVENT_COLUMNS),
}


def _insert_sql(table: str, width: int) -> str:
    """The parameterized INSERT for one row of ``width`` values of :func:`_result_rows`."""
    columns = _ROW_COLUMNS.get(table)
    names = f" ({', '.join(ident(c) for c in columns)})" if columns else ""
    return f"INSERT INTO {table}{names} VALUES ({', '.join('?' * width)})"


def _insert_many(con: duckdb.DuckDBPyConnection, sql: str, rows: list[list[Any]]) -> None:
    """``executemany`` as multi-row ``VALUES`` statements: several times faster in DuckDB.

    The single writer of a parallel ingest spends its time here, so it matters.
    """
    head, sep, marks = sql.rpartition(" VALUES ")
    for i in range(0, len(rows), 200):
        chunk = rows[i : i + 200]
        con.execute(head + sep + ", ".join([marks] * len(chunk)), [v for r in chunk for v in r])


def id_key(value: str) -> tuple[int, str]:
    digits = "".join(ch for ch in value.rsplit(":", 1)[-1] if ch.isdigit())
    return (int(digits) if digits else 0, value)


# -- rows <-> records: the one place that maps each record to its table and back ------------
# A row is a list in the column order of SCHEMA; read back, it is a dict of column names.
# Where a table's columns are a record's fields, the record's own ``from_dict`` reads it.

ACTOR_FIELDS = "article_id, id, name, kind, code, country, sector, role"


def _article_row(art: Article) -> list[Any]:
    return [art.id, content_hash(art.text), art.date, art.source, art.title, art.text]


def article_from_row(r: dict[str, Any]) -> Article:
    """An article row (its text is left empty where the query did not read it)."""
    day = r["date"]
    return Article(
        id=r["id"],
        text=r.get("text") or "",
        date=day if day is None or isinstance(day, str) else day.isoformat(),
        source=r["source"],
        title=r["title"],
    )


def _actor_row(article_id: str, a: Actor) -> list[Any]:
    return [article_id, a.id, a.name, a.kind, a.code, a.country, a.sector, a.role]


def actor_from_row(r: dict[str, Any], mentions: list[Span] | None = None) -> Actor:
    actor = Actor.from_dict({k: v for k, v in r.items() if k != "mentions"}, path="actors")
    actor.mentions = mentions or []
    return actor


def _mention_row(article_id: str, actor_id: str, m: Span) -> list[Any]:
    return [article_id, actor_id, m.text, m.start, m.end]


def span_from_row(r: dict[str, Any]) -> Span:
    return Span.from_dict(r, path="mentions")


def _quote_row(article_id: str, q: Quote) -> list[Any]:
    return [
        *(article_id, q.id, q.speaker, q.speaker_text, q.text, q.start, q.end, q.kind),
        *(q.cue, list(q.about), q.component),
    ]


def quote_from_row(r: dict[str, Any]) -> Quote:
    return Quote.from_dict(r, path="quotes")


def _relation_row(article_id: str, r: Relation) -> list[Any]:
    return [article_id, r.id, r.kind, r.a, r.b, r.text, r.start, r.end, r.negated, r.component]


def relation_from_row(r: dict[str, Any]) -> Relation:
    return Relation.from_dict(r, path="relations")


def _error_row(article_id: str, e: StageError) -> list[Any]:
    return [article_id, e.stage, e.message]


def error_from_row(r: dict[str, Any]) -> StageError:
    return StageError.from_dict(r, path="errors")


def _event_row(article_id: str, e: Event) -> list[Any]:
    t = e.target
    return [
        article_id,
        e.id,
        e.source.actor,
        e.source.code,
        e.source.country,
        e.source.text,
        t.actor if t else None,
        t.code if t else None,
        t.country if t else None,
        t.text if t else None,
        t is not None,
        e.cameo,
        e.root,
        e.plover,
        e.plover_mode,
        e.goldstein,
        e.quad_class,
        e.date,
        e.date_precision,
        e.place.name if e.place else None,
        e.place.country if e.place else None,
        e.place.lat if e.place else None,
        e.place.lon if e.place else None,
        e.negated,
        e.modality,
        e.text,
        e.start,
        e.end,
        e.trigger.text if e.trigger else None,
        e.trigger.start if e.trigger else None,
        e.trigger.end if e.trigger else None,
        e.coder,
        e.rule,
        e.confidence,
    ]


def event_from_row(r: dict[str, Any]) -> Event:
    target = (
        Participant(r["target_actor"], r["target_code"], r["target_country"], r["target_text"])
        if r["has_target"]
        else None
    )
    place = (
        Place(r["place_name"], r["place_country"], r["lat"], r["lon"])
        if r["place_name"] is not None
        else None
    )
    trigger = (
        Span(r["trigger_text"], r["trigger_start"], r["trigger_end"])
        if r["trigger_text"] is not None
        else None
    )
    return Event(
        id=r["id"],
        source=Participant(
            r["source_actor"], r["source_code"], r["source_country"], r["source_text"]
        ),
        target=target,
        cameo=r["cameo"],
        root=r["root"],
        plover=r["plover"],
        goldstein=r["goldstein"],
        quad_class=r["quad_class"],
        text=r["text"],
        start=r["start"],
        end=r["end"],
        coder=r["coder"],
        rule=r["rule"],
        confidence=r["confidence"],
        date=r["date"],
        date_precision=r["date_precision"],
        place=place,
        negated=r["negated"],
        modality=r["modality"],
        plover_mode=r["plover_mode"],
        trigger=trigger,
    )


def add_result(store: Store, result: Result) -> bool:
    """Store one coded article in one transaction; False if its text was stored before.

    Raises :class:`StoreError` if another text is stored under the same article id.
    """
    art = result.article
    digest = content_hash(art.text)
    if store.has_content(art.text):
        return False
    con = store.con
    clash = con.execute("SELECT 1 FROM articles WHERE id = ?", [art.id]).fetchone()
    if clash:
        raise StoreError(
            f"article id {art.id!r} is already stored with different text",
            hint="give the new version its own id (e.g. add a suffix) to keep both",
        )
    con.execute("BEGIN TRANSACTION")
    try:
        for table, rows in _result_rows(result).items():
            if rows:
                _insert_many(con, _insert_sql(table, len(rows[0])), rows)
        # A stored article is no longer a failure of an earlier run.
        con.execute(
            "DELETE FROM failures WHERE article_id = ? OR content_hash = ?", [art.id, digest]
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return True


def ingest_results(store: Store, results: Iterable[Result]) -> tuple[int, int]:
    """Store results; returns (added, already_present)."""
    added = skipped = 0
    for result in results:
        if store.add(result):
            added += 1
        else:
            skipped += 1
    return added, skipped


def record_failure(
    store: Store, article_id: str, stage: str, message: str, content_hash: str | None = None
) -> None:
    """Remember that an article could not be stored; the latest message per stage wins."""
    store.con.execute(
        "INSERT OR REPLACE INTO failures (article_id, stage, message, content_hash, failed_at) "
        "VALUES (?, ?, ?, ?, current_timestamp)",
        [article_id, stage, message, content_hash],
    )


def _result_rows(result: Result) -> dict[str, list[list[Any]]]:
    """The rows one result adds to each table, in the column order of :data:`SCHEMA`."""
    art = result.article
    return {
        "articles": [_article_row(art)],
        "actors": [_actor_row(art.id, a) for a in result.actors],
        "mentions": [_mention_row(art.id, a.id, m) for a in result.actors for m in a.mentions],
        "events": [_event_row(art.id, e) for e in result.events],
        "quotes": [_quote_row(art.id, q) for q in result.quotes],
        "relations": [_relation_row(art.id, r) for r in result.relations],
        "errors": [_error_row(art.id, e) for e in result.errors],
    }


def bulk_add(store: Store, results: Iterable[Result]) -> int:
    """Store many *new* results in one transaction, column by column; returns how many.

    Much faster than :meth:`Store.add` per article (for generated or re-imported corpora),
    but it does not skip texts stored before: a repeated id or text raises :class:`StoreError`
    and nothing is stored.
    """
    tables: dict[str, list[list[Any]]] = {}
    count = 0
    for result in results:
        count += 1
        for table, rows in _result_rows(result).items():
            tables.setdefault(table, []).extend(rows)
    con = store.con
    con.execute("BEGIN TRANSACTION")
    try:
        for table, rows in tables.items():
            if not rows:
                continue
            columns = con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = ? ORDER BY ordinal_position",
                [table],
            ).fetchall()
            if table == "articles":  # ingested_at keeps its default
                columns = [c for c in columns if c[0] != "ingested_at"]
            # one list parameter per column, unnested side by side into rows
            select = ", ".join(f"unnest(${i + 1})::{t}" for i, (_, t) in enumerate(columns))
            names = ", ".join(ident(c) for c, _ in columns)
            con.execute(
                f"INSERT INTO {table} ({names}) SELECT {select}",
                [list(col) for col in zip(*rows, strict=True)],
            )
        con.execute("COMMIT")
    except duckdb.Error as exc:
        con.execute("ROLLBACK")
        raise StoreError(
            f"bulk insert into {store.path} failed: {exc}",
            hint="bulk_add takes only articles whose ids and texts are not stored yet",
        ) from None
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return count
