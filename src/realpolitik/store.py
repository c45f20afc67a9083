"""The only module that talks to DuckDB.

One file holds every article, actor, mention, event and quotation realpolitik coded. Writes are
one transaction per article and keyed by the article's content hash, so re-ingesting the same
text adds nothing and an interrupted run never leaves half an article behind.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from .errors import StoreError
from .ingest import content_hash
from .records import (
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

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR PRIMARY KEY, content_hash VARCHAR UNIQUE NOT NULL, date DATE, source VARCHAR,
    title VARCHAR, text VARCHAR NOT NULL, ingested_at TIMESTAMP DEFAULT current_timestamp);
CREATE TABLE IF NOT EXISTS actors (
    article_id VARCHAR NOT NULL, id VARCHAR NOT NULL, name VARCHAR, kind VARCHAR, code VARCHAR,
    country VARCHAR, sector VARCHAR, role VARCHAR, PRIMARY KEY (article_id, id));
CREATE TABLE IF NOT EXISTS mentions (
    article_id VARCHAR NOT NULL, actor_id VARCHAR NOT NULL, text VARCHAR, start INTEGER,
    "end" INTEGER);
CREATE TABLE IF NOT EXISTS events (
    article_id VARCHAR NOT NULL, id VARCHAR PRIMARY KEY,
    source_actor VARCHAR, source_code VARCHAR, source_country VARCHAR, source_text VARCHAR,
    target_actor VARCHAR, target_code VARCHAR, target_country VARCHAR, target_text VARCHAR,
    has_target BOOLEAN, cameo VARCHAR, root VARCHAR, plover VARCHAR, plover_mode VARCHAR,
    goldstein DOUBLE, quad_class INTEGER, date DATE, date_precision VARCHAR,
    place_name VARCHAR, place_country VARCHAR, lat DOUBLE, lon DOUBLE,
    negated BOOLEAN, modality VARCHAR, text VARCHAR, start INTEGER, "end" INTEGER,
    trigger_text VARCHAR, trigger_start INTEGER, trigger_end INTEGER,
    coder VARCHAR, rule VARCHAR, confidence DOUBLE);
CREATE TABLE IF NOT EXISTS quotes (
    article_id VARCHAR NOT NULL, id VARCHAR PRIMARY KEY, speaker VARCHAR, speaker_text VARCHAR,
    text VARCHAR, start INTEGER, "end" INTEGER, kind VARCHAR, cue VARCHAR, about VARCHAR[],
    component VARCHAR);
CREATE TABLE IF NOT EXISTS relations (
    article_id VARCHAR NOT NULL, id VARCHAR PRIMARY KEY, kind VARCHAR, a VARCHAR, b VARCHAR,
    text VARCHAR, start INTEGER, "end" INTEGER, negated BOOLEAN, component VARCHAR);
CREATE TABLE IF NOT EXISTS errors (
    article_id VARCHAR NOT NULL, stage VARCHAR, message VARCHAR);
CREATE TABLE IF NOT EXISTS failures (
    article_id VARCHAR NOT NULL, stage VARCHAR NOT NULL, message VARCHAR, content_hash VARCHAR,
    failed_at TIMESTAMP DEFAULT current_timestamp, PRIMARY KEY (article_id, stage));
"""

EVENT_COLUMNS = [
    "article_id",
    "id",
    "source_actor",
    "source_code",
    "source_country",
    "source_text",
    "target_actor",
    "target_code",
    "target_country",
    "target_text",
    "has_target",
    "cameo",
    "root",
    "plover",
    "plover_mode",
    "goldstein",
    "quad_class",
    "date",
    "date_precision",
    "place_name",
    "place_country",
    "lat",
    "lon",
    "negated",
    "modality",
    "text",
    "start",
    "end",
    "trigger_text",
    "trigger_start",
    "trigger_end",
    "coder",
    "rule",
    "confidence",
]


DYAD_PERIODS = ("day", "week", "month")
DYAD_LEVELS = ("country", "actor")


# Events per directed dyad and period (parameters: period unit, level, level); see Store.dyads.
_DYADS_SQL = """
            WITH ev AS (
                SELECT e.*, COALESCE(e.date, a.date) AS day,
                       sa.name AS s_name, sa.kind AS s_kind, ta.name AS t_name, ta.kind AS t_kind
                FROM events e
                JOIN articles a ON a.id = e.article_id
                LEFT JOIN actors sa ON sa.article_id = e.article_id AND sa.id = e.source_actor
                LEFT JOIN actors ta ON ta.article_id = e.article_id AND ta.id = e.target_actor
                WHERE e.has_target AND NOT COALESCE(e.negated, false)
                  AND COALESCE(e.modality, 'asserted') IN ('asserted', 'reported')
            ), keyed AS (
                SELECT CAST(date_trunc(?, day) AS DATE) AS period,
                       CASE WHEN ? = 'country'
                            THEN COALESCE(NULLIF(source_country, ''),
                                          CASE WHEN COALESCE(s_kind, '') <> 'person'
                                               THEN NULLIF(source_code, '') END)
                            ELSE COALESCE(NULLIF(s_name, ''), NULLIF(source_code, ''),
                                          NULLIF(source_text, '')) END AS source,
                       CASE WHEN ? = 'country'
                            THEN COALESCE(NULLIF(target_country, ''),
                                          CASE WHEN COALESCE(t_kind, '') <> 'person'
                                               THEN NULLIF(target_code, '') END)
                            ELSE COALESCE(NULLIF(t_name, ''), NULLIF(target_code, ''),
                                          NULLIF(target_text, '')) END AS target,
                       quad_class, goldstein
                FROM ev)
            SELECT period, source, target, count(*) AS events,
                   count(*) FILTER (WHERE quad_class = 1) AS quad1,
                   count(*) FILTER (WHERE quad_class = 2) AS quad2,
                   count(*) FILTER (WHERE quad_class = 3) AS quad3,
                   count(*) FILTER (WHERE quad_class = 4) AS quad4,
                   sum(goldstein) AS goldstein_sum, avg(goldstein) AS goldstein_mean
            FROM keyed
            WHERE source IS NOT NULL AND target IS NOT NULL AND source <> target
            GROUP BY period, source, target
"""


def _q(column: str) -> str:
    return f'"{column}"'


class Store:
    """A DuckDB file of coded articles. Use as a context manager or call :meth:`close`."""

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

    # -- writing ---------------------------------------------------------------------------

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
        art = result.article
        digest = content_hash(art.text)
        if self.has_content(art.text):
            return False
        clash = self.con.execute("SELECT 1 FROM articles WHERE id = ?", [art.id]).fetchone()
        if clash:
            raise StoreError(
                f"article id {art.id!r} is already stored with different text",
                hint="give the new version its own id (e.g. add a suffix) to keep both",
            )
        con = self.con
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

    # -- reading ---------------------------------------------------------------------------

    def _select(
        self, sql: str, where: list[str], params: list[Any], *, order: str, limit: int | None
    ) -> list[dict[str, Any]]:
        """Run ``sql`` with AND-ed ``where`` clauses, an order and an optional limit; every
        value travels as a parameter."""
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY {order}"
        if limit is not None:
            sql += " LIMIT ?"
            params = [*params, int(limit)]
        return self._rows(sql, params)

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def article_ids(self) -> list[str]:
        return [r["id"] for r in self._rows("SELECT id FROM articles ORDER BY ingested_at, id")]

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("articles", "actors", "mentions", "events", "quotes", "relations", "errors"):
            row = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()
            out[table] = int(row[0]) if row else 0
        return out

    def events(
        self,
        *,
        actor: str | None = None,
        country: str | None = None,
        root: str | None = None,
        plover: str | None = None,
        article: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Events as flat rows, filtered; every value is passed as a parameter, never spliced."""
        where: list[str] = []
        params: list[Any] = []
        if actor:  # the same semantics as the web API: a code or a full actor name, any case
            clause = f"({_side_match('source', 'actor', 'actor')} OR "
            clause += f"{_side_match('target', 'actor', 'actor')})"
            where.append(clause.replace("$actor", "?"))
            params += [actor] * clause.count("$actor")
        if country:
            where.append("(source_country = ? OR target_country = ?)")
            params += [country, country]
        if root:
            where.append("root = ?")
            params.append(root.zfill(2))
        if plover:
            where.append("plover = ?")
            params.append(plover.upper())
        if article:
            where.append("article_id = ?")
            params.append(article)
        if since:
            where.append("date >= CAST(? AS DATE)")
            params.append(since)
        if until:
            where.append("date <= CAST(? AS DATE)")
            params.append(until)
        sql = "SELECT * FROM events e"
        rows = self._select(sql, where, params, order="date, article_id, start, id", limit=limit)
        for r in rows:
            if r.get("date") is not None:
                r["date"] = r["date"].isoformat()
        return rows

    def actors(
        self,
        *,
        name: str | None = None,
        country: str | None = None,
        kind: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        where: list[str] = []
        params: list[Any] = []
        if name:
            where.append("lower(name) LIKE ?")
            params.append(f"%{name.lower()}%")
        if country:
            where.append("country = ?")
            params.append(country)
        if kind:
            where.append("kind = ?")
            params.append(kind)
        sql = (
            "SELECT a.*, (SELECT count(*) FROM mentions m WHERE m.article_id = a.article_id "
            "AND m.actor_id = a.id) AS mentions FROM actors a"
        )
        return self._select(sql, where, params, order="article_id, id", limit=limit)

    def quotes(
        self, *, speaker: str | None = None, article: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        where: list[str] = []
        params: list[Any] = []
        if speaker:
            where.append("lower(speaker_text) LIKE ?")
            params.append(f"%{speaker.lower()}%")
        if article:
            where.append("article_id = ?")
            params.append(article)
        sql = "SELECT * FROM quotes"
        return self._select(sql, where, params, order="article_id, start", limit=limit)

    def result(self, article_id: str) -> Result:
        """Rebuild the full :class:`Result` of one stored article."""
        arts = self._rows("SELECT * FROM articles WHERE id = ?", [article_id])
        if not arts:
            raise StoreError(
                f"no article {article_id!r} in {self.path}",
                hint="list stored ids with `realpolitik events --db FILE --format json`",
            )
        article = _article_from_row(arts[0])
        mentions: dict[str, list[Span]] = {}
        for m in self._rows(
            'SELECT * FROM mentions WHERE article_id = ? ORDER BY start, "end"', [article_id]
        ):
            mentions.setdefault(m["actor_id"], []).append(_span_from_row(m))
        actors = [
            _actor_from_row(r, mentions.get(r["id"], []))
            for r in self._rows("SELECT * FROM actors WHERE article_id = ?", [article_id])
        ]
        actors.sort(key=lambda x: _id_key(x.id))
        events = [_event_from_row(r) for r in self.events(article=article_id)]
        events.sort(key=lambda e: _id_key(e.id))
        quotes = [_quote_from_row(r) for r in self.quotes(article=article_id)]
        quotes.sort(key=lambda q: _id_key(q.id))
        relations = [
            _relation_from_row(r)
            for r in self._rows(
                "SELECT * FROM relations WHERE article_id = ? ORDER BY start, id", [article_id]
            )
        ]
        relations.sort(key=lambda r: _id_key(r.id))
        errors = [
            _error_from_row(r)
            for r in self._rows("SELECT * FROM errors WHERE article_id = ?", [article_id])
        ]
        return Result(
            article=article,
            actors=actors,
            events=events,
            quotes=quotes,
            relations=relations,
            errors=errors,
        )

    def results(self) -> Iterator[Result]:
        for article_id in self.article_ids():
            yield self.result(article_id)

    # -- the system picture: dyads and relations ---------------------------------------------

    def dyads(self, *, by: str = "month", level: str = "country") -> list[dict[str, Any]]:
        """Events per directed dyad and period: counts per QuadClass, Goldstein sum and mean.

        ``by``: day | week (starting Monday) | month; ``period`` is the first day, ISO, or None
        for events of undated articles. ``level``: country (a party is its ISO country; an
        organization without one, such as an IGO, is its actor code; persons without a country
        are left out) or actor (the resolved actor's name, else its code, else the text).
        Only events the text says happened count: not negated, modality asserted or reported.
        A party acting on itself is left out.
        """
        if by not in DYAD_PERIODS:
            raise ValueError(f"by must be one of {', '.join(DYAD_PERIODS)}, not {by!r}")
        if level not in DYAD_LEVELS:
            raise ValueError(f"level must be one of {', '.join(DYAD_LEVELS)}, not {level!r}")
        rows = self._rows(
            _DYADS_SQL + " ORDER BY period NULLS LAST, source, target", [by, level, level]
        )
        for r in rows:
            if r["period"] is not None:
                r["period"] = r["period"].isoformat()
        return rows

    def relations(
        self, *, article: str | None = None, kind: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Stored standing relations with both parties' names, kinds and countries."""
        where: list[str] = []
        params: list[Any] = []
        if article:
            where.append("r.article_id = ?")
            params.append(article)
        if kind:
            where.append("r.kind = ?")
            params.append(kind)
        sql = (
            "SELECT r.*, a.name AS a_name, a.kind AS a_kind, a.country AS a_country, "
            "b.name AS b_name, b.kind AS b_kind, b.country AS b_country FROM relations r "
            "LEFT JOIN actors a ON a.article_id = r.article_id AND a.id = r.a "
            "LEFT JOIN actors b ON b.article_id = r.article_id AND b.id = r.b"
        )
        return self._select(sql, where, params, order="r.article_id, r.start, r.id", limit=limit)

    # -- corpora at scale: resumable ingest, failures, event groups, exports ----------------

    def _has_table(self, name: str) -> bool:
        row = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
        ).fetchone()
        return bool(row and row[0])

    def stored_hashes(self) -> set[str]:
        """Content hashes of every stored article (what a resumed ingest skips)."""
        return {r[0] for r in self.con.execute("SELECT content_hash FROM articles").fetchall()}

    def record_failure(
        self, article_id: str, stage: str, message: str, content_hash: str | None = None
    ) -> None:
        """Remember that an article could not be stored; the latest message per stage wins."""
        self.con.execute(
            "INSERT OR REPLACE INTO failures (article_id, stage, message, content_hash, failed_at) "
            "VALUES (?, ?, ?, ?, current_timestamp)",
            [article_id, stage, message, content_hash],
        )

    def failures(self, *, limit: int | None = None) -> list[dict[str, Any]]:
        """Articles that could not be read, coded or stored (and are not stored since)."""
        if not self._has_table("failures"):  # a store written before the table existed
            return []
        sql = (
            "SELECT article_id, stage, message, content_hash, failed_at FROM failures "
            "ORDER BY failed_at, article_id"
        )
        params: list[Any] = []
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return self._rows(sql, params)

    def event_mentions(self) -> list[dict[str, Any]]:
        """Every stored event with its article's and its actors' fields, in date order.

        Adds ``publisher``, ``article_date``, ``ingested_at``, ``in_lead`` (the event's sentence
        starts in the article's lead: an optional short headline line plus the first paragraph,
        at most 1,000 characters) and ``source_name``/``_kind``/``_sector``/``_role`` and the
        same for ``target_``.
        """
        rows = self._rows(
            r"""
            WITH leads AS (
                SELECT id, least(1000, length(regexp_extract(
                    text, '^\s*(?:[^\n]{0,99}\n+)?[^\n]*'))) AS lead_end
                FROM articles)
            SELECT e.*, a.source AS publisher, a.date AS article_date, a.ingested_at,
                   e.start < l.lead_end AS in_lead,
                   sa.name AS source_name, sa.kind AS source_kind, sa.sector AS source_sector,
                   sa.role AS source_role,
                   ta.name AS target_name, ta.kind AS target_kind, ta.sector AS target_sector,
                   ta.role AS target_role
            FROM events e
            JOIN articles a ON a.id = e.article_id
            JOIN leads l ON l.id = e.article_id
            LEFT JOIN actors sa ON sa.article_id = e.article_id AND sa.id = e.source_actor
            LEFT JOIN actors ta ON ta.article_id = e.article_id AND ta.id = e.target_actor
            ORDER BY e.date NULLS LAST, e.article_id, e.start, e.id
            """
        )
        for r in rows:
            for key in ("date", "article_date"):
                if r.get(key) is not None:
                    r[key] = r[key].isoformat()
        return rows

    def event_groups(self, window: int = 1) -> list[dict[str, Any]]:
        """Group the stored events that report one event (see :func:`group_event_mentions`)."""
        return group_event_mentions(self.event_mentions(), window)

    def save_event_groups(self, window: int = 1) -> tuple[int, int]:
        """Recompute the ``event_groups`` and ``event_group_members`` tables in one transaction.

        Returns (groups, events). Safe to run again at any time: the tables are replaced.
        """
        import pyarrow as pa

        groups = self.event_groups(window)
        group_rows = [{k: v for k, v in g.items() if k != "members"} for g in groups]
        member_rows = [
            {
                "group_id": g["group_id"],
                "event_id": m["id"],
                "article_id": m["article_id"],
                "publisher": m["publisher"],
                "date": m["date"],
            }
            for g in groups
            for m in g["members"]
        ]
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(_GROUP_TABLES)
            con.execute("DELETE FROM event_group_members")
            con.execute("DELETE FROM event_groups")
            if group_rows:
                con.register("_rp_groups", pa.Table.from_pylist(group_rows))
                con.execute(
                    f"INSERT INTO event_groups ({', '.join(_q(c) for c in _GROUP_COLUMNS)}) "
                    f"SELECT {', '.join(_q(c) for c in _GROUP_COLUMNS)} FROM _rp_groups"
                )
                con.unregister("_rp_groups")
                con.register("_rp_members", pa.Table.from_pylist(member_rows))
                con.execute(
                    "INSERT INTO event_group_members "
                    "SELECT group_id, event_id, article_id, publisher, CAST(date AS DATE) "
                    "FROM _rp_members"
                )
                con.unregister("_rp_members")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return len(group_rows), len(member_rows)

    def saved_event_groups(self) -> list[dict[str, Any]]:
        """The groups last saved by :meth:`save_event_groups` (empty if never run)."""
        if not self._has_table("event_groups"):
            return []
        rows = self._rows("SELECT * FROM event_groups ORDER BY date NULLS LAST, group_id")
        for r in rows:
            for key in ("date", "last_date"):
                if r.get(key) is not None:
                    r[key] = r[key].isoformat()
        return rows

    def table_batches(self, name: str, *, flat: bool = False) -> Any:
        """A ``pyarrow.RecordBatchReader`` over one exportable table.

        ``name`` is ``events``, ``actors`` (with a ``mentions`` count), ``quotes`` or
        ``articles`` (metadata without the text). ``flat`` turns list columns into JSON text,
        for formats such as CSV that hold no lists.
        """
        about = "to_json(about) AS about" if flat else "about"
        queries = {
            "events": "SELECT * FROM events ORDER BY date NULLS LAST, article_id, start, id",
            "actors": (
                "SELECT a.*, (SELECT count(*) FROM mentions m WHERE m.article_id = a.article_id "
                "AND m.actor_id = a.id) AS mentions FROM actors a ORDER BY article_id, id"
            ),
            "quotes": (
                'SELECT article_id, id, speaker, speaker_text, text, start, "end", kind, cue, '
                f"{about}, component FROM quotes ORDER BY article_id, start, id"
            ),
            "articles": (
                "SELECT id, content_hash, date, source, title, length(text) AS chars, ingested_at "
                "FROM articles ORDER BY ingested_at, id"
            ),
        }
        if name not in queries:
            raise StoreError(
                f"no exportable table {name!r}", hint=f"choose one of {', '.join(queries)}"
            )
        return self.con.sql(queries[name]).to_arrow_reader()


_GROUP_COLUMNS = [
    "group_id",
    "date",
    "last_date",
    "source_code",
    "target_code",
    "cameo",
    "root",
    "plover",
    "plover_mode",
    "quad_class",
    "goldstein",
    "negated",
    "num_mentions",
    "num_sources",
    "num_articles",
    "is_root",
    "first_article_id",
    "first_event_id",
    "window_days",
]

_GROUP_TABLES = """
CREATE TABLE IF NOT EXISTS event_groups (
    group_id VARCHAR PRIMARY KEY, date DATE, last_date DATE, source_code VARCHAR,
    target_code VARCHAR, cameo VARCHAR, root VARCHAR, plover VARCHAR, plover_mode VARCHAR,
    quad_class INTEGER, goldstein DOUBLE, negated BOOLEAN, num_mentions INTEGER,
    num_sources INTEGER, num_articles INTEGER, is_root BOOLEAN, first_article_id VARCHAR,
    first_event_id VARCHAR, window_days INTEGER);
CREATE TABLE IF NOT EXISTS event_group_members (
    group_id VARCHAR NOT NULL, event_id VARCHAR NOT NULL, article_id VARCHAR NOT NULL,
    publisher VARCHAR, date DATE);
"""


def _group_key(row: dict[str, Any]) -> tuple[str, str, str, bool]:
    """What must be equal for two event mentions to report one event.

    A participant without a code cannot be matched across articles, so it gets a key of its
    own (the mention stays a group of one). One-sided events match other one-sided events.
    """
    own = f"~{row['article_id']}:{row['id']}"
    source = row.get("source_code") or own
    target = (row.get("target_code") or own) if row.get("has_target") else ""
    return (source, target, str(row.get("cameo") or ""), bool(row.get("negated")))


def group_event_mentions(rows: list[dict[str, Any]], window: int = 1) -> list[dict[str, Any]]:
    """Group event mentions that report the same event, like GDELT's event table.

    Mentions with the same source code, target code, CAMEO code and negation are one event
    when their dates lie within ``window`` days of the group's first date (a group never spans
    more than ``window`` days). A mention without a date is a group of its own. Each group has
    ``num_mentions`` (mentions), ``num_articles`` (distinct articles) and ``num_sources``
    (distinct publishers; an article without a publisher counts as its own source), and keeps
    its mention rows, earliest first, under ``members``.
    """
    if window < 0:
        raise StoreError(f"window {window} is negative", hint="give a window of 0 days or more")
    by_key: dict[tuple[str, str, str, bool], list[dict[str, Any]]] = {}
    for row in rows:
        key = _group_key(row)
        if row.get("date") is None:
            key = (f"~{row['article_id']}:{row['id']}", *key[1:])
        by_key.setdefault(key, []).append(row)
    groups: list[dict[str, Any]] = []
    for members in by_key.values():
        members.sort(key=lambda r: (r.get("date") or "", r["article_id"], r["start"], r["id"]))
        current: list[dict[str, Any]] = []
        anchor: date | None = None
        for row in members:
            day = date.fromisoformat(row["date"]) if row.get("date") else None
            if current and (day is None or anchor is None or (day - anchor).days > window):
                groups.append(_make_group(current, window))
                current = []
            if not current:
                anchor = day
            current.append(row)
        if current:
            groups.append(_make_group(current, window))
    groups.sort(key=lambda g: (g["date"] or "9999", g["group_id"]))
    return groups


def _make_group(members: list[dict[str, Any]], window: int) -> dict[str, Any]:
    first = members[0]
    articles = {m["article_id"] for m in members}
    sources = {m.get("publisher") or f"~{m['article_id']}" for m in members}
    return {
        "group_id": first["id"],
        "date": first.get("date"),
        "last_date": members[-1].get("date"),
        "source_code": first.get("source_code"),
        "target_code": first.get("target_code") if first.get("has_target") else None,
        "cameo": first.get("cameo"),
        "root": first.get("root"),
        "plover": first.get("plover"),
        "plover_mode": first.get("plover_mode"),
        "quad_class": first.get("quad_class"),
        "goldstein": first.get("goldstein"),
        "negated": bool(first.get("negated")),
        "num_mentions": len(members),
        "num_sources": len(sources),
        "num_articles": len(articles),
        "is_root": any(bool(m.get("in_lead")) for m in members),
        "first_article_id": first["article_id"],
        "first_event_id": first["id"],
        "window_days": window,
        "members": members,
    }


# Tables whose rows from :func:`_result_rows` do not fill every column, with the columns they do.
_ROW_COLUMNS = {
    "articles": ("id", "content_hash", "date", "source", "title", "text"),  # ingested_at: default
    "events": tuple(EVENT_COLUMNS),
}


def _insert_sql(table: str, width: int) -> str:
    """The parameterized INSERT for one row of ``width`` values of :func:`_result_rows`."""
    columns = _ROW_COLUMNS.get(table)
    names = f" ({', '.join(_q(c) for c in columns)})" if columns else ""
    return f"INSERT INTO {table}{names} VALUES ({', '.join('?' * width)})"


def _insert_many(con: duckdb.DuckDBPyConnection, sql: str, rows: list[list[Any]]) -> None:
    """``executemany`` as multi-row ``VALUES`` statements: several times faster in DuckDB.

    The single writer of a parallel ingest spends its time here, so it matters.
    """
    head, sep, marks = sql.rpartition(" VALUES ")
    for i in range(0, len(rows), 200):
        chunk = rows[i : i + 200]
        con.execute(head + sep + ", ".join([marks] * len(chunk)), [v for r in chunk for v in r])


def _id_key(value: str) -> tuple[int, str]:
    digits = "".join(ch for ch in value.rsplit(":", 1)[-1] if ch.isdigit())
    return (int(digits) if digits else 0, value)


# -- rows <-> records: the one place that maps each record to its table and back ------------
# A row is a list in the column order of SCHEMA; read back, it is a dict of column names.
# Where a table's columns are a record's fields, the record's own ``from_dict`` reads it.

_ACTOR_FIELDS = "article_id, id, name, kind, code, country, sector, role"


def _article_row(art: Article) -> list[Any]:
    return [art.id, content_hash(art.text), art.date, art.source, art.title, art.text]


def _article_from_row(r: dict[str, Any]) -> Article:
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


def _actor_from_row(r: dict[str, Any], mentions: list[Span] | None = None) -> Actor:
    actor = Actor.from_dict({k: v for k, v in r.items() if k != "mentions"}, path="actors")
    actor.mentions = mentions or []
    return actor


def _mention_row(article_id: str, actor_id: str, m: Span) -> list[Any]:
    return [article_id, actor_id, m.text, m.start, m.end]


def _span_from_row(r: dict[str, Any]) -> Span:
    return Span.from_dict(r, path="mentions")


def _quote_row(article_id: str, q: Quote) -> list[Any]:
    return [
        *(article_id, q.id, q.speaker, q.speaker_text, q.text, q.start, q.end, q.kind),
        *(q.cue, list(q.about), q.component),
    ]


def _quote_from_row(r: dict[str, Any]) -> Quote:
    return Quote.from_dict(r, path="quotes")


def _relation_row(article_id: str, r: Relation) -> list[Any]:
    return [article_id, r.id, r.kind, r.a, r.b, r.text, r.start, r.end, r.negated, r.component]


def _relation_from_row(r: dict[str, Any]) -> Relation:
    return Relation.from_dict(r, path="relations")


def _error_row(article_id: str, e: StageError) -> list[Any]:
    return [article_id, e.stage, e.message]


def _error_from_row(r: dict[str, Any]) -> StageError:
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


def _event_from_row(r: dict[str, Any]) -> Event:
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


def ingest_results(store: Store, results: Iterable[Result]) -> tuple[int, int]:
    """Store results; returns (added, already_present)."""
    added = skipped = 0
    for result in results:
        if store.add(result):
            added += 1
        else:
            skipped += 1
    return added, skipped


def dumps(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, default=str)


# -- read-only queries for the web API and bulk loading ----------------------------------------
#
# An actor is identified across articles by its *key*: the CAMEO-style code of a state or
# organization, or the name of a person (or of anything without a code). A filter value matches
# an actor when it equals the actor's code or its name, ignoring case; it never matches a part
# of a name, so "RUS" selects Russia and not Belarus.


def _actor_key(alias: str) -> str:
    return (
        f"CASE WHEN {alias}.kind <> 'person' AND {alias}.code IS NOT NULL "
        f"THEN {alias}.code ELSE {alias}.name END"
    )


# The events filter joins each participant's actor row, so the key of an event's participant
# is its actor's key, or the code or mention text when the coder found no actor.
_SOURCE_KEY = f"coalesce({_actor_key('sa')}, e.source_code, e.source_text)"
_TARGET_KEY = (
    f"CASE WHEN e.has_target THEN coalesce({_actor_key('ta')}, e.target_code, e.target_text) END"
)
_EVENT_JOINS = (
    " LEFT JOIN actors sa ON sa.article_id = e.article_id AND sa.id = e.source_actor"
    " LEFT JOIN actors ta ON ta.article_id = e.article_id AND ta.id = e.target_actor"
)
EVENT_SORTS = {
    "date": "e.date NULLS LAST, e.article_id, e.start, e.id",
    "-date": "e.date DESC NULLS LAST, e.article_id, e.start, e.id",
    "goldstein": "e.goldstein, e.date NULLS LAST, e.article_id, e.start, e.id",
    "-goldstein": "e.goldstein DESC, e.date NULLS LAST, e.article_id, e.start, e.id",
}


def reader(store: Store) -> Store:
    """A second handle on ``store``'s database for another thread (DuckDB cursors are per thread).

    It shares the open database, and so its read-only mode; close it when the thread is done.
    """
    view = Store.__new__(Store)
    view.path = store.path
    view.con = store.con.cursor()
    return view


def _like(text: str) -> str:
    """A LIKE pattern that finds ``text`` anywhere, with LIKE's wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def _matches(code: str, name: str, param: str) -> str:
    """SQL that is true when the actor value ``$param`` names this participant."""
    return f"(upper({code}) = upper(${param}) OR lower({name}) = lower(${param}))"


def _named_rows(store: Store, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    cur = store.con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _side_match(side: str, level: str, param: str) -> str:
    """SQL that is true when ``$param`` names the event's ``side`` (source or target).

    The actor rows are consulted through EXISTS subqueries rather than joins, so that DuckDB
    filters the (small) set of matching actors first instead of joining every event.
    """

    def actor_where(condition: str) -> str:
        return (
            f"EXISTS (SELECT 1 FROM actors x WHERE x.article_id = e.article_id "
            f"AND x.id = e.{side}_actor AND {condition})"
        )

    if level == "country":
        # the same party as Store.dyads: the ISO country, else a non-person's code
        # (the code test inside keeps the subquery's set of actors small)
        person = actor_where(f"x.kind = 'person' AND upper(x.code) = upper(${param})")
        return (
            f"(upper(e.{side}_country) = upper(${param}) "
            f"OR (coalesce(e.{side}_country, '') = '' AND upper(e.{side}_code) = upper(${param}) "
            f"AND NOT {person}))"
        )
    named = actor_where(f"lower(x.name) = lower(${param})")
    return (
        f"(upper(e.{side}_code) = upper(${param}) OR {named} "
        f"OR (e.{side}_actor IS NULL AND lower(e.{side}_text) = lower(${param})))"
    )


def _iso(rows: list[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    for r in rows:
        for key in keys:
            if r.get(key) is not None and hasattr(r[key], "isoformat"):
                r[key] = r[key].isoformat()
    return rows


def search_events(
    store: Store,
    *,
    actor: str | None = None,
    country: str | None = None,
    dyad: tuple[str, str] | None = None,
    directed: bool = False,
    level: str = "actor",
    root: str | None = None,
    quad_class: int | None = None,
    plover: str | None = None,
    article: str | None = None,
    since: str | None = None,
    until: str | None = None,
    text: str | None = None,
    sort: str = "date",
    offset: int = 0,
    limit: int = 50,
) -> tuple[int, list[dict[str, Any]]]:
    """One page of events matching every filter given, and how many match in all.

    ``actor`` matches the source or the target; ``dyad`` (two actor values) matches events
    between them, in either direction unless ``directed``. At ``level="actor"`` a value
    matches a participant's code or actor name; at ``level="country"`` it matches the
    participant's country-level party as :meth:`Store.dyads` defines it (its ISO country, else
    a non-person's code). ``text`` is a case-insensitive substring of the sentence. Each row
    has the stored event columns plus ``source_key``, ``target_key``, ``source_name``,
    ``target_name`` and ``article_title``.
    """
    if sort not in EVENT_SORTS:
        raise StoreError(f"unknown sort {sort!r}", hint=f"choose one of {', '.join(EVENT_SORTS)}")
    if level not in DYAD_LEVELS:
        raise StoreError(f"unknown level {level!r}", hint=f"choose {' or '.join(DYAD_LEVELS)}")
    where: list[str] = []
    params: dict[str, Any] = {}
    if actor:
        params["actor"] = actor
        where.append(
            f"({_side_match('source', level, 'actor')} OR {_side_match('target', level, 'actor')})"
        )
    if dyad:
        params["dyad_a"], params["dyad_b"] = dyad
        forward = (
            f"({_side_match('source', level, 'dyad_a')} "
            f"AND {_side_match('target', level, 'dyad_b')})"
        )
        backward = (
            f"({_side_match('source', level, 'dyad_b')} "
            f"AND {_side_match('target', level, 'dyad_a')})"
        )
        where.append(forward if directed else f"({forward} OR {backward})")
    if country:
        params["country"] = country
        where.append("(e.source_country = $country OR e.target_country = $country)")
    if root:
        params["root"] = root.zfill(2)
        where.append("e.root = $root")
    if quad_class is not None:
        params["quad"] = int(quad_class)
        where.append("e.quad_class = $quad")
    if plover:
        params["plover"] = plover.upper()
        where.append("e.plover = $plover")
    if article:
        params["article"] = article
        where.append("e.article_id = $article")
    if since:
        params["since"] = since
        where.append("e.date >= CAST($since AS DATE)")
    if until:
        params["until"] = until
        where.append("e.date <= CAST($until AS DATE)")
    if text:
        params["text"] = _like(text)
        where.append("lower(e.text) LIKE $text ESCAPE '\\'")
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    row = store.con.execute(f"SELECT count(*) FROM events e{clause}", params).fetchone()
    total = int(row[0]) if row else 0
    params["limit"], params["offset"] = int(limit), int(offset)
    order = EVENT_SORTS[sort]
    rows = _named_rows(
        store,
        f"""
        WITH page AS (
            SELECT e.* FROM events e{clause}
            ORDER BY {order} LIMIT $limit OFFSET $offset)
        SELECT e.*, {_SOURCE_KEY} AS source_key, {_TARGET_KEY} AS target_key,
               sa.name AS source_name, ta.name AS target_name, ar.title AS article_title
        FROM page e{_EVENT_JOINS}
        LEFT JOIN articles ar ON ar.id = e.article_id
        ORDER BY {order}
        """,
        params,
    )
    return total, _iso(rows, "date")


def actor_stats(
    store: Store,
    *,
    actor: str | None = None,
    name: str | None = None,
    country: str | None = None,
    kind: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[int, list[dict[str, Any]]]:
    """Actors across articles, one row per key, most mentioned first; and how many in all.

    Where names (kinds, codes, countries) of one key are equally frequent, the one of its
    first row (by article id, then actor id) is shown.

    Each row: ``key``, the most frequent ``name``/``kind``/``code``/``country``, ``roles``
    (distinct titles), ``articles``, ``mentions``, ``as_source``, ``as_target``, ``quotes``
    (quotations spoken). ``actor`` matches a key exactly; ``name`` is a name substring.
    """
    where: list[str] = []
    params: dict[str, Any] = {}
    if actor:
        params["actor"] = actor
        where.append(_matches("a.code", "a.name", "actor"))
    if name:
        params["name"] = _like(name)
        where.append("lower(a.name) LIKE $name ESCAPE '\\'")
    if country:
        params["country"] = country
        where.append("a.country = $country")
    if kind:
        params["kind"] = kind
        where.append("a.kind = $kind")
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    keyed = f"SELECT a.*, {_actor_key('a')} AS key FROM actors a{clause}"
    row = store.con.execute(
        f"SELECT count(DISTINCT key) FROM ({keyed}) WHERE key IS NOT NULL", params
    ).fetchone()
    total = int(row[0]) if row else 0
    params["limit"], params["offset"] = int(limit), int(offset)
    rows = _named_rows(
        store,
        f"""
        WITH a AS ({keyed}),
        m AS (SELECT article_id, actor_id, count(*) AS n FROM mentions GROUP BY ALL),
        s AS (SELECT article_id, source_actor AS actor_id, count(*) AS n FROM events
              WHERE source_actor IS NOT NULL GROUP BY ALL),
        t AS (SELECT article_id, target_actor AS actor_id, count(*) AS n FROM events
              WHERE target_actor IS NOT NULL GROUP BY ALL),
        q AS (SELECT article_id, speaker AS actor_id, count(*) AS n FROM quotes
              WHERE speaker IS NOT NULL GROUP BY ALL)
        SELECT a.key,
               mode(a.name ORDER BY a.article_id, a.id) AS name,
               mode(a.kind ORDER BY a.article_id, a.id) AS kind,
               mode(a.code ORDER BY a.article_id, a.id) AS code,
               mode(a.country ORDER BY a.article_id, a.id) AS country,
               coalesce(list(DISTINCT a.role ORDER BY a.role)
                        FILTER (WHERE a.role IS NOT NULL), []) AS roles,
               count(DISTINCT a.article_id) AS articles,
               CAST(coalesce(sum(m.n), 0) AS INTEGER) AS mentions,
               CAST(coalesce(sum(s.n), 0) AS INTEGER) AS as_source,
               CAST(coalesce(sum(t.n), 0) AS INTEGER) AS as_target,
               CAST(coalesce(sum(q.n), 0) AS INTEGER) AS quotes
        FROM a
        LEFT JOIN m ON m.article_id = a.article_id AND m.actor_id = a.id
        LEFT JOIN s ON s.article_id = a.article_id AND s.actor_id = a.id
        LEFT JOIN t ON t.article_id = a.article_id AND t.actor_id = a.id
        LEFT JOIN q ON q.article_id = a.article_id AND q.actor_id = a.id
        WHERE a.key IS NOT NULL
        GROUP BY a.key
        ORDER BY mentions DESC, a.key
        LIMIT $limit OFFSET $offset
        """,
        params,
    )
    return total, rows


def actor_mentions(
    store: Store, actor: str, *, offset: int = 0, limit: int = 50
) -> tuple[int, list[dict[str, Any]]]:
    """Where an actor (matched by code or name) is mentioned: article, actor id, span; and total."""
    params: dict[str, Any] = {"actor": actor}
    base = (
        "FROM mentions m JOIN actors a ON a.article_id = m.article_id AND a.id = m.actor_id "
        f"WHERE {_matches('a.code', 'a.name', 'actor')}"
    )
    row = store.con.execute(f"SELECT count(*) {base}", params).fetchone()
    params["limit"], params["offset"] = int(limit), int(offset)
    rows = _named_rows(
        store,
        f'SELECT m.article_id, m.actor_id, a.name, a.role, m.text, m.start, m."end" {base} '
        'ORDER BY m.article_id, m.start, m."end" LIMIT $limit OFFSET $offset',
        params,
    )
    return (int(row[0]) if row else 0), rows


def search_quotes(
    store: Store,
    *,
    speaker: str | None = None,
    about: str | None = None,
    article: str | None = None,
    kind: str | None = None,
    text: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[int, list[dict[str, Any]]]:
    """One page of quotations, and how many match in all.

    ``speaker`` matches the speaking actor (code or name) or the words naming the speaker;
    ``about`` matches an actor mentioned in the quotation; ``text`` is a substring of it. Rows
    add ``speaker_key``, ``speaker_name`` and ``about_actors`` ([{id, name, key}]).
    """
    where: list[str] = []
    params: dict[str, Any] = {}
    joins = " LEFT JOIN actors sp ON sp.article_id = q.article_id AND sp.id = q.speaker"
    if speaker:
        params["speaker"] = speaker
        where.append(
            f"({_matches('sp.code', 'sp.name', 'speaker')} "
            "OR lower(q.speaker_text) = lower($speaker))"
        )
    if about:
        params["about"] = about
        where.append(
            "EXISTS (SELECT 1 FROM actors ab WHERE ab.article_id = q.article_id "
            f"AND list_contains(q.about, ab.id) AND {_matches('ab.code', 'ab.name', 'about')})"
        )
    if article:
        params["article"] = article
        where.append("q.article_id = $article")
    if kind:
        params["kind"] = kind
        where.append("q.kind = $kind")
    if text:
        params["text"] = _like(text)
        where.append("lower(q.text) LIKE $text ESCAPE '\\'")
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    # the speaker's actor row (one at most: actors are keyed by article and id) is joined
    # before the page is cut only when the filter needs it
    filter_joins = joins if speaker else ""
    row = store.con.execute(
        f"SELECT count(*) FROM quotes q{filter_joins}{clause}", params
    ).fetchone()
    params["limit"], params["offset"] = int(limit), int(offset)
    # the page is cut first, so the actors mentioned are looked up for its rows only
    rows = _named_rows(
        store,
        f"""
        WITH cut AS (
            SELECT q.* FROM quotes q{filter_joins}{clause}
            ORDER BY q.article_id, q.start, q.id
            LIMIT $limit OFFSET $offset),
        page AS (
            SELECT q.*, {_actor_key("sp")} AS speaker_key, sp.name AS speaker_name
            FROM cut q{joins}),
        mentioned AS (
            SELECT p.article_id, p.id,
                   list({{'id': ab.id, 'name': ab.name, 'key': {_actor_key("ab")}}}
                        ORDER BY ab.id) AS about_actors
            FROM page p JOIN actors ab
              ON ab.article_id = p.article_id AND list_contains(p.about, ab.id)
            GROUP BY p.article_id, p.id)
        SELECT p.*, coalesce(m.about_actors, []) AS about_actors
        FROM page p LEFT JOIN mentioned m ON m.article_id = p.article_id AND m.id = p.id
        ORDER BY p.article_id, p.start, p.id
        """,
        params,
    )
    return (int(row[0]) if row else 0), rows


def article_list(
    store: Store, *, text: str | None = None, offset: int = 0, limit: int = 50
) -> tuple[int, list[dict[str, Any]]]:
    """Stored articles (newest first) with their counts of events, quotations and actors."""
    params: dict[str, Any] = {}
    clause = ""
    if text:
        params["text"] = _like(text)
        clause = (
            " WHERE lower(coalesce(a.title, '')) LIKE $text ESCAPE '\\' "
            "OR lower(a.id) LIKE $text ESCAPE '\\'"
        )
    row = store.con.execute(f"SELECT count(*) FROM articles a{clause}", params).fetchone()
    params["limit"], params["offset"] = int(limit), int(offset)
    rows = _named_rows(
        store,
        f"""
        SELECT a.id, a.date, a.source, a.title, length(a.text) AS chars,
               (SELECT count(*) FROM events e WHERE e.article_id = a.id) AS events,
               (SELECT count(*) FROM quotes q WHERE q.article_id = a.id) AS quotes,
               (SELECT count(*) FROM actors x WHERE x.article_id = a.id) AS actors
        FROM articles a{clause}
        ORDER BY a.date DESC NULLS LAST, a.id
        LIMIT $limit OFFSET $offset
        """,
        params,
    )
    return (int(row[0]) if row else 0), _iso(rows, "date")


def date_range(store: Store) -> tuple[str | None, str | None]:
    """The first and last event date in the store (None when there are none)."""
    row = store.con.execute("SELECT min(date), max(date) FROM events").fetchone()
    if not row:
        return None, None
    return (
        row[0].isoformat() if row[0] is not None else None,
        row[1].isoformat() if row[1] is not None else None,
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
            names = ", ".join(_q(c) for c, _ in columns)
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


def analysis_results(store: Store) -> list[Result]:
    """Every stored article as a :class:`Result` for network analysis, in a few queries.

    Much faster than :meth:`Store.results` on a large store, but lighter: articles carry no
    text, actors no mentions, and quotations and errors are left out.
    """
    results: dict[str, Result] = {}
    for a in _iso(store._rows("SELECT id, date, source, title FROM articles ORDER BY id"), "date"):
        results[a["id"]] = Result(article=_article_from_row(a))
    for r in store._rows(f"SELECT {_ACTOR_FIELDS} FROM actors ORDER BY article_id, id"):
        if r["article_id"] in results:
            results[r["article_id"]].actors.append(_actor_from_row(r))
    for row in _iso(store._rows("SELECT * FROM events ORDER BY article_id, start, id"), "date"):
        if row["article_id"] in results:
            results[row["article_id"]].events.append(_event_from_row(row))
    for r in store._rows("SELECT * FROM relations ORDER BY article_id, start, id"):
        if r["article_id"] in results:
            results[r["article_id"]].relations.append(_relation_from_row(r))
    return list(results.values())


# -- serving aggregates: what the web API would otherwise recompute on every call -------------
#
# ``prepare_serving`` writes tables derived from the coded rows (per-actor-row counts, actor
# totals, per-article counts, and the computed network per level) together with a *stamp* of
# what they were derived from. A reader uses them only while the stamp still matches the store
# (:func:`serving_ready`); any write changes the stamp, so stale tables are never served, and
# the next ``prepare_serving`` rebuilds them.

SERVING_VERSION = 2


def serving_stamp(store: Store) -> str:
    """What the serving tables must have been built from: row counts, the last ingest, a
    version of their layout."""
    tables = ("articles", "actors", "mentions", "events", "quotes", "relations")
    parts: dict[str, Any] = {"version": SERVING_VERSION}
    for table in tables:
        row = store.con.execute(f"SELECT count(*) FROM {table}").fetchone()
        parts[table] = int(row[0]) if row else 0
    row = store.con.execute("SELECT max(ingested_at) FROM articles").fetchone()
    parts["last_ingest"] = str(row[0]) if row and row[0] is not None else None
    return json.dumps(parts, sort_keys=True)


def serving_ready(store: Store) -> bool:
    """Whether the serving tables exist and were built from the store as it is now."""
    if not store._has_table("rp_serving"):
        return False
    row = store.con.execute("SELECT stamp FROM rp_serving").fetchone()
    return row is not None and row[0] == serving_stamp(store)


_AGGREGATES = f"""
CREATE OR REPLACE TABLE rp_actor_rows AS
WITH m AS (SELECT article_id, actor_id, count(*) AS n FROM mentions GROUP BY ALL),
s AS (SELECT article_id, source_actor AS actor_id, count(*) AS n FROM events
      WHERE source_actor IS NOT NULL GROUP BY ALL),
t AS (SELECT article_id, target_actor AS actor_id, count(*) AS n FROM events
      WHERE target_actor IS NOT NULL GROUP BY ALL),
q AS (SELECT article_id, speaker AS actor_id, count(*) AS n FROM quotes
      WHERE speaker IS NOT NULL GROUP BY ALL)
SELECT a.article_id, a.id, a.name, a.kind, a.code, a.country, a.role,
       {_actor_key("a")} AS key, upper(a.code) AS code_u, lower(a.name) AS name_l,
       coalesce(m.n, 0) AS mentions, coalesce(s.n, 0) AS as_source,
       coalesce(t.n, 0) AS as_target, coalesce(q.n, 0) AS quotes
FROM actors a
LEFT JOIN m ON m.article_id = a.article_id AND m.actor_id = a.id
LEFT JOIN s ON s.article_id = a.article_id AND s.actor_id = a.id
LEFT JOIN t ON t.article_id = a.article_id AND t.actor_id = a.id
LEFT JOIN q ON q.article_id = a.article_id AND q.actor_id = a.id
ORDER BY a.article_id, a.id;
CREATE OR REPLACE TABLE rp_actor_totals AS
SELECT * FROM ({"{TOTALS}"}) ORDER BY mentions DESC, key;
CREATE OR REPLACE TABLE rp_article_counts AS
SELECT a.id, length(a.text) AS chars,
       coalesce(e.n, 0) AS events, coalesce(q.n, 0) AS quotes, coalesce(x.n, 0) AS actors
FROM articles a
LEFT JOIN (SELECT article_id, count(*) AS n FROM events GROUP BY ALL) e ON e.article_id = a.id
LEFT JOIN (SELECT article_id, count(*) AS n FROM quotes GROUP BY ALL) q ON q.article_id = a.id
LEFT JOIN (SELECT article_id, count(*) AS n FROM actors GROUP BY ALL) x ON x.article_id = a.id
ORDER BY a.id;
{"{SERVING_ROWS}"}
CREATE OR REPLACE TABLE rp_network (level VARCHAR PRIMARY KEY, data VARCHAR NOT NULL);
CREATE OR REPLACE TABLE rp_dyads (
    unit VARCHAR, level VARCHAR, period DATE, source VARCHAR, target VARCHAR, events BIGINT,
    quad1 BIGINT, quad2 BIGINT, quad3 BIGINT, quad4 BIGINT, goldstein_sum DOUBLE,
    goldstein_mean DOUBLE);
CREATE OR REPLACE TABLE rp_serving (stamp VARCHAR NOT NULL, built_at TIMESTAMP);
"""

# One row per actor key from (filtered) rows of rp_actor_rows: the figures /api/actors shows.
_TOTALS = """
SELECT a.key,
       mode(a.name ORDER BY a.article_id, a.id) AS name,
       mode(a.kind ORDER BY a.article_id, a.id) AS kind,
       mode(a.code ORDER BY a.article_id, a.id) AS code,
       mode(a.country ORDER BY a.article_id, a.id) AS country,
       coalesce(list(DISTINCT a.role ORDER BY a.role)
                FILTER (WHERE a.role IS NOT NULL), []) AS roles,
       count(DISTINCT a.article_id) AS articles,
       CAST(sum(a.mentions) AS INTEGER) AS mentions,
       CAST(sum(a.as_source) AS INTEGER) AS as_source,
       CAST(sum(a.as_target) AS INTEGER) AS as_target,
       CAST(sum(a.quotes) AS INTEGER) AS quotes
FROM rp_actor_rows a{clause}
GROUP BY a.key
"""


def _side_columns(side: str, alias: str) -> str:
    """Columns of rp_events that let a filter match one side of an event without a join:
    the code upper-cased, the actor's name and (without an actor) the text lower-cased, and
    the country-level party (as :func:`_side_match` defines it)."""
    p = side[0]
    return (
        f"upper(e.{side}_code) AS {p}_code, lower({alias}.name) AS {p}_name, "
        f"CASE WHEN e.{side}_actor IS NULL THEN lower(e.{side}_text) END AS {p}_text, "
        f"upper(e.{side}_country) AS {p}_country, "
        f"CASE WHEN coalesce(e.{side}_country, '') = '' AND NOT coalesce("
        f"{alias}.kind = 'person' AND upper({alias}.code) = upper(e.{side}_code), false) "
        f"THEN upper(e.{side}_code) END AS {p}_party"
    )


# Each events sort as a position column of rp_events (1 = first row in that order).
_EVENT_POSITIONS = {
    "date": "pos_date",
    "-date": "pos_rdate",
    "goldstein": "pos_goldstein",
    "-goldstein": "pos_rgoldstein",
}


def _serving_rows() -> str:
    """SQL for the row-level serving tables: events, quotations and mentions with every
    field a page shows and every filter needs, in page order with position columns."""
    positions = ", ".join(
        f"row_number() OVER (ORDER BY {EVENT_SORTS[sort]}) AS {column}"
        for sort, column in _EVENT_POSITIONS.items()
    )
    return f"""
CREATE OR REPLACE TABLE rp_events AS
WITH o AS (SELECT e.id, {positions} FROM events e),
k AS (
    SELECT e.*, {_SOURCE_KEY} AS source_key, {_TARGET_KEY} AS target_key,
           sa.name AS source_name, ta.name AS target_name, ar.title AS article_title,
           {_side_columns("source", "sa")}, {_side_columns("target", "ta")}
    FROM events e{_EVENT_JOINS}
    LEFT JOIN articles ar ON ar.id = e.article_id)
SELECT k.*, o.* EXCLUDE (id) FROM k JOIN o ON o.id = k.id
ORDER BY o.pos_date;
CREATE OR REPLACE TABLE rp_quotes AS
WITH about AS (
    SELECT DISTINCT article_id, id, unnest(about) AS actor_id FROM quotes),
mentioned AS (
    SELECT q.article_id, q.id,
           list({{'id': ab.id, 'name': ab.name, 'key': {_actor_key("ab")}}}
                ORDER BY ab.id) AS about_actors,
           list(upper(ab.code)) FILTER (WHERE ab.code IS NOT NULL) AS about_codes,
           list(lower(ab.name)) FILTER (WHERE ab.name IS NOT NULL) AS about_names
    FROM about q JOIN actors ab ON ab.article_id = q.article_id AND ab.id = q.actor_id
    GROUP BY q.article_id, q.id)
SELECT q.*, {_actor_key("sp")} AS speaker_key, sp.name AS speaker_name,
       coalesce(m.about_actors, []) AS about_actors,
       upper(sp.code) AS sp_code, lower(sp.name) AS sp_name, lower(q.speaker_text) AS sp_text,
       coalesce(m.about_codes, []) AS about_codes, coalesce(m.about_names, []) AS about_names,
       row_number() OVER (ORDER BY q.article_id, q.start, q.id) AS pos
FROM quotes q
LEFT JOIN actors sp ON sp.article_id = q.article_id AND sp.id = q.speaker
LEFT JOIN mentioned m ON m.article_id = q.article_id AND m.id = q.id
ORDER BY pos;
CREATE OR REPLACE TABLE rp_mentions AS
SELECT m.article_id, m.actor_id, a.name, a.role, m.text, m.start, m."end",
       upper(a.code) AS code_u, lower(a.name) AS name_l,
       row_number() OVER (ORDER BY m.article_id, m.start, m."end", m.actor_id) AS pos
FROM mentions m JOIN actors a ON a.article_id = m.article_id AND a.id = m.actor_id
ORDER BY pos;
CREATE OR REPLACE TABLE rp_actor_facets AS
SELECT * FROM (
    {_facet("a.kind", "CAST(NULL AS VARCHAR)")}
    UNION ALL {_facet("CAST(NULL AS VARCHAR)", "a.country")}
    UNION ALL {_facet("a.kind", "a.country")})
ORDER BY f_kind NULLS FIRST, f_country NULLS FIRST, mentions DESC, key;
"""


def _facet(kind: str, country: str) -> str:
    """Actor totals per kind, per country or per both: /api/actors with those filters."""
    where = ["a.key IS NOT NULL"]
    where += [f"{c} IS NOT NULL" for c in (kind, country) if c.startswith("a.")]
    totals = _TOTALS.format(clause=" WHERE " + " AND ".join(where))
    totals = totals.replace(
        "SELECT a.key,", f"SELECT {kind} AS f_kind, {country} AS f_country, a.key,"
    )
    return f"({totals.replace('GROUP BY a.key', 'GROUP BY ALL')})"


def prepare_serving(
    store: Store, networks: Callable[[Store], dict[str, dict[str, Any]]] | None = None
) -> bool:
    """Build the serving tables of a writable ``store`` unless they are current; True if built.

    ``networks`` computes the network JSON per level (the web layer passes its own), which is
    kept in ``rp_network`` so that a server never recomputes it on its first request.
    """
    if serving_ready(store):
        return False
    stamp = serving_stamp(store)
    data = networks(store) if networks else {}
    con = store.con
    con.execute("BEGIN TRANSACTION")
    try:
        totals = _TOTALS.format(clause=" WHERE a.key IS NOT NULL")
        con.execute(
            _AGGREGATES.replace("{TOTALS}", totals).replace("{SERVING_ROWS}", _serving_rows())
        )
        for level, network in data.items():
            con.execute("INSERT INTO rp_network VALUES (?, ?)", [level, json.dumps(network)])
        for by in DYAD_PERIODS:
            for level in DYAD_LEVELS:
                con.execute(
                    f"INSERT INTO rp_dyads SELECT ?, ?, * FROM ({_DYADS_SQL}) "
                    "ORDER BY period NULLS LAST, source, target",
                    [by, level, by, level, level],
                )
        con.execute("INSERT INTO rp_serving VALUES (?, current_timestamp)", [stamp])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return True


def saved_network(store: Store, level: str) -> dict[str, Any] | None:
    """The network of ``level`` kept by :func:`prepare_serving`, or None."""
    if not store._has_table("rp_network"):
        return None
    row = store.con.execute("SELECT data FROM rp_network WHERE level = ?", [level]).fetchone()
    return json.loads(row[0]) if row else None


def saved_dyads(store: Store, *, by: str, level: str) -> list[dict[str, Any]]:
    """:meth:`Store.dyads` rows as kept by :func:`prepare_serving` (the same rows and order)."""
    rows = store._rows(
        "SELECT * EXCLUDE (unit, level) FROM rp_dyads WHERE unit = ? AND level = ? "
        "ORDER BY period NULLS LAST, source, target",
        [by, level],
    )
    return _iso(rows, "period")


def actor_stats_fast(
    store: Store,
    *,
    actor: str | None = None,
    name: str | None = None,
    country: str | None = None,
    kind: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[int, list[dict[str, Any]]]:
    """:func:`actor_stats` from the serving tables (see :func:`prepare_serving`): the same rows.

    Without filters, or with only ``kind`` and ``country``, a page is read from precomputed
    totals; with ``actor`` or ``name`` only the matching actor rows are grouped, never the
    mentions or events.
    """
    params: dict[str, Any] = {"limit": int(limit), "offset": int(offset)}
    where = ["a.key IS NOT NULL"]
    if actor:
        params["actor"] = actor
        where.append("(a.code_u = upper($actor) OR a.name_l = lower($actor))")
    if name:
        params["name"] = _like(name)
        where.append("a.name_l LIKE $name ESCAPE '\\'")
    if country:
        params["country"] = country
        where.append("a.country = $country")
    if kind:
        params["kind"] = kind
        where.append("a.kind = $kind")
    if len(where) == 1:
        source = "rp_actor_totals"
    elif not (actor or name):  # kind and country only: totals kept per kind and country
        params["f_kind"], params["f_country"] = kind, country
        source = (
            "(SELECT * EXCLUDE (f_kind, f_country) FROM rp_actor_facets "
            "WHERE f_kind IS NOT DISTINCT FROM $f_kind "
            "AND f_country IS NOT DISTINCT FROM $f_country)"
        )
        params.pop("kind", None)
        params.pop("country", None)
    else:
        source = f"({_TOTALS.format(clause=' WHERE ' + ' AND '.join(where))})"
    counted = {k: v for k, v in params.items() if k not in ("limit", "offset")}
    rows = _named_rows(
        store,
        f"SELECT *, count(*) OVER () AS rp_total FROM {source} "
        "ORDER BY mentions DESC, key LIMIT $limit OFFSET $offset",
        params,
    )
    if not rows:  # past the last actor: count them on their own
        row = store.con.execute(f"SELECT count(*) FROM {source}", counted).fetchone()
        return (int(row[0]) if row else 0), rows
    total = int(rows[0]["rp_total"])
    for r in rows:
        del r["rp_total"]
    return total, rows


def article_list_fast(
    store: Store, *, text: str | None = None, offset: int = 0, limit: int = 50
) -> tuple[int, list[dict[str, Any]]]:
    """:func:`article_list` from the serving tables: the page is cut before any count is read."""
    params: dict[str, Any] = {}
    clause = ""
    if text:
        params["text"] = _like(text)
        clause = (
            " WHERE lower(coalesce(a.title, '')) LIKE $text ESCAPE '\\' "
            "OR lower(a.id) LIKE $text ESCAPE '\\'"
        )
    row = store.con.execute(f"SELECT count(*) FROM articles a{clause}", params).fetchone()
    params["limit"], params["offset"] = int(limit), int(offset)
    order = "date DESC NULLS LAST, id"
    rows = _named_rows(
        store,
        f"""
        WITH page AS (
            SELECT a.id, a.date, a.source, a.title FROM articles a{clause}
            ORDER BY {order} LIMIT $limit OFFSET $offset)
        SELECT p.id, p.date, p.source, p.title, c.chars, c.events, c.quotes, c.actors
        FROM page p JOIN rp_article_counts c ON c.id = p.id
        ORDER BY {order}
        """,
        params,
    )
    return (int(row[0]) if row else 0), _iso(rows, "date")


def iter_analysis_results(store: Store, *, chunk: int = 10_000) -> Iterator[Result]:
    """The results of :func:`analysis_results`, in the same order, one article at a time.

    Four ordered queries are read side by side in chunks, so memory stays that of one chunk
    each instead of the whole store as Python objects.
    """

    def stream(sql: str) -> Iterator[dict[str, Any]]:
        cur = store.con.cursor()
        try:
            cur.execute(sql)
            names = [d[0] for d in cur.description]
            while batch := cur.fetchmany(chunk):
                yield from _iso([dict(zip(names, r, strict=True)) for r in batch], "date")
        finally:
            cur.close()

    actors = stream(f"SELECT {_ACTOR_FIELDS} FROM actors ORDER BY article_id, id")
    events = stream("SELECT * FROM events ORDER BY article_id, start, id")
    relations = stream("SELECT * FROM relations ORDER BY article_id, start, id")
    pending: dict[str, dict[str, Any] | None] = {
        "actors": next(actors, None),
        "events": next(events, None),
        "relations": next(relations, None),
    }
    streams = {"actors": actors, "events": events, "relations": relations}

    def take(kind: str, article_id: str) -> list[dict[str, Any]]:
        # rows of articles that sort before this one belong to no stored article: skip them
        out: list[dict[str, Any]] = []
        while (row := pending[kind]) is not None and row["article_id"] <= article_id:
            if row["article_id"] == article_id:
                out.append(row)
            pending[kind] = next(streams[kind], None)
        return out

    for a in stream("SELECT id, date, source, title FROM articles ORDER BY id"):
        result = Result(article=_article_from_row(a))
        for r in take("actors", a["id"]):
            result.actors.append(_actor_from_row(r))
        for r in take("events", a["id"]):
            result.events.append(_event_from_row(r))
        for r in take("relations", a["id"]):
            result.relations.append(_relation_from_row(r))
        yield result


# -- pages from the row-level serving tables (see _serving_rows) --------------------------------


def _fast_side(side: str, level: str, param: str) -> str:
    """:func:`_side_match` on rp_events' precomputed columns: no join, no subquery."""
    p = side[0]
    if level == "country":
        return f"(e.{p}_country = upper(${param}) OR e.{p}_party = upper(${param}))"
    return (
        f"(e.{p}_code = upper(${param}) OR e.{p}_name = lower(${param}) "
        f"OR e.{p}_text = lower(${param}))"
    )


def _page_rows(
    store: Store,
    table: str,
    columns: str,
    where: list[str],
    params: dict[str, Any],
    position: str,
    *,
    offset: int,
    limit: int,
) -> tuple[int, list[dict[str, Any]]]:
    """A page of ``table`` in the order of its ``position`` column (1, 2, ...), and the total.

    Unfiltered, the page is a range of positions, which DuckDB finds from each row group's
    minimum and maximum without reading the rest; filtered, the matching rows' positions are
    ranked first and only the page's rows are read in full.
    """
    params = {**params, "offset": int(offset), "limit": int(limit)}
    counted = {k: v for k, v in params.items() if k not in ("offset", "limit")}
    if not where:
        row = store.con.execute(f"SELECT count(*) FROM {table}").fetchone()
        sql = (
            f"SELECT {columns} FROM {table} WHERE {position} > $offset "
            f"AND {position} <= $offset + $limit ORDER BY {position}"
        )
        return (int(row[0]) if row else 0), _named_rows(store, sql, params)
    clause = " WHERE " + " AND ".join(where)
    # one scan finds the page's positions and counts every match (the window runs first)
    cut = _named_rows(
        store,
        f"SELECT {position} AS p, count(*) OVER () AS n FROM {table}{clause} "
        f"ORDER BY {position} LIMIT $limit OFFSET $offset",
        params,
    )
    found = [r["p"] for r in cut]
    if not found:  # past the last match: count them on their own
        row = store.con.execute(f"SELECT count(*) FROM {table}{clause}", counted).fetchone()
        return (int(row[0]) if row else 0), []
    row = (cut[0]["n"],)
    rows = _named_rows(
        store,
        f"SELECT {columns} FROM {table} WHERE {position} BETWEEN $lo AND $hi "
        f"AND list_contains($found, {position}) ORDER BY {position}",
        {"lo": min(found), "hi": max(found), "found": found},
    )
    return (int(row[0]) if row else 0), rows


_EVENT_PAGE_COLUMNS = ", ".join(
    _q(c)
    for c in [
        *EVENT_COLUMNS,
        "source_key",
        "target_key",
        "source_name",
        "target_name",
        "article_title",
    ]
)


def search_events_fast(
    store: Store,
    *,
    actor: str | None = None,
    country: str | None = None,
    dyad: tuple[str, str] | None = None,
    directed: bool = False,
    level: str = "actor",
    root: str | None = None,
    quad_class: int | None = None,
    plover: str | None = None,
    article: str | None = None,
    since: str | None = None,
    until: str | None = None,
    text: str | None = None,
    sort: str = "date",
    offset: int = 0,
    limit: int = 50,
) -> tuple[int, list[dict[str, Any]]]:
    """:func:`search_events` from the serving table ``rp_events``: the same rows and total."""
    if sort not in EVENT_SORTS:
        raise StoreError(f"unknown sort {sort!r}", hint=f"choose one of {', '.join(EVENT_SORTS)}")
    if level not in DYAD_LEVELS:
        raise StoreError(f"unknown level {level!r}", hint=f"choose {' or '.join(DYAD_LEVELS)}")
    where: list[str] = []
    params: dict[str, Any] = {}
    if actor:
        params["actor"] = actor
        where.append(
            f"({_fast_side('source', level, 'actor')} OR {_fast_side('target', level, 'actor')})"
        )
    if dyad:
        params["dyad_a"], params["dyad_b"] = dyad
        forward = (
            f"({_fast_side('source', level, 'dyad_a')} AND {_fast_side('target', level, 'dyad_b')})"
        )
        backward = (
            f"({_fast_side('source', level, 'dyad_b')} AND {_fast_side('target', level, 'dyad_a')})"
        )
        where.append(forward if directed else f"({forward} OR {backward})")
    if country:
        params["country"] = country
        where.append("(e.source_country = $country OR e.target_country = $country)")
    if root:
        params["root"] = root.zfill(2)
        where.append("e.root = $root")
    if quad_class is not None:
        params["quad"] = int(quad_class)
        where.append("e.quad_class = $quad")
    if plover:
        params["plover"] = plover.upper()
        where.append("e.plover = $plover")
    if article:
        params["article"] = article
        where.append("e.article_id = $article")
    if since:
        params["since"] = since
        where.append("e.date >= CAST($since AS DATE)")
    if until:
        params["until"] = until
        where.append("e.date <= CAST($until AS DATE)")
    if text:
        params["text"] = _like(text)
        where.append("lower(e.text) LIKE $text ESCAPE '\\'")
    total, rows = _page_rows(
        store,
        "rp_events e",
        _EVENT_PAGE_COLUMNS,
        where,
        params,
        _EVENT_POSITIONS[sort],
        offset=offset,
        limit=limit,
    )
    return total, _iso(rows, "date")


def actor_mentions_fast(
    store: Store, actor: str, *, offset: int = 0, limit: int = 50
) -> tuple[int, list[dict[str, Any]]]:
    """:func:`actor_mentions` from the serving table ``rp_mentions``."""
    return _page_rows(
        store,
        "rp_mentions",
        'article_id, actor_id, name, role, text, start, "end"',
        ["(code_u = upper($actor) OR name_l = lower($actor))"],
        {"actor": actor},
        "pos",
        offset=offset,
        limit=limit,
    )


def search_quotes_fast(
    store: Store,
    *,
    speaker: str | None = None,
    about: str | None = None,
    article: str | None = None,
    kind: str | None = None,
    text: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[int, list[dict[str, Any]]]:
    """:func:`search_quotes` from the serving table ``rp_quotes``: the same rows and total."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if speaker:
        params["speaker"] = speaker
        where.append(
            "(sp_code = upper($speaker) OR sp_name = lower($speaker) OR sp_text = lower($speaker))"
        )
    if about:
        params["about"] = about
        where.append(
            "(list_contains(about_codes, upper($about)) "
            "OR list_contains(about_names, lower($about)))"
        )
    if article:
        params["article"] = article
        where.append("article_id = $article")
    if kind:
        params["kind"] = kind
        where.append("kind = $kind")
    if text:
        params["text"] = _like(text)
        where.append("lower(text) LIKE $text ESCAPE '\\'")
    columns = (
        'article_id, id, speaker, speaker_text, text, start, "end", kind, cue, about, '
        "component, speaker_key, speaker_name, about_actors"
    )
    return _page_rows(store, "rp_quotes", columns, where, params, "pos", offset=offset, limit=limit)
