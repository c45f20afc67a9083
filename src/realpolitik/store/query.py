"""The one query API: every read of the store, for the CLI, the web API and the analysis.

Each question has one function here, used by every caller; its filters are typed keyword
arguments and its SQL is built here (with :mod:`.sql`'s shared fragments), every value passed
as a parameter. Where the store's serving tables are current (:mod:`.serving`) a function
reads them instead of the live tables, for speed, and gives the same rows and totals:
``serving=None`` (the default) checks whether they are current, ``True``/``False`` says so
(the web server checks once when it starts).

Actor filters mean one thing everywhere (``realpolitik events --actor X`` and
``/api/events?actor=X`` select the same events):

- ``actor`` (also ``speaker``, ``about``, ``dyad``): an actor *key*, matched exactly, any case:
  a code (``USA``, ``CHNGOV``, ``IGOUNO``) or a full actor name (``Claire Martin``); never a
  part of a name, so ``RUS`` selects Russia and not Belarus. For events, ``level="country"``
  matches each participant's country-level party instead (its ISO country, else a
  non-person's code: ``RUS`` then covers the Kremlin and Russian officials).
- ``country``: an ISO 3166-1 alpha-3 code, equal to the participant's (or actor's) country.
- ``name``: a part of an actor's name, any case (LIKE's wildcards are taken literally).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..errors import StoreError
from ..records import Result, Span
from .schema import DYAD_LEVELS, DYAD_PERIODS, EVENT_COLUMNS, ident
from .serving import serving_ready
from .sql import (
    ACTOR_TOTALS,
    DYADS_SQL,
    EVENT_JOINS,
    EVENT_POSITIONS,
    EVENT_SORTS,
    SOURCE_KEY,
    TARGET_KEY,
    actor_key,
)
from .write import (
    ACTOR_FIELDS,
    actor_from_row,
    article_from_row,
    error_from_row,
    event_from_row,
    id_key,
    quote_from_row,
    relation_from_row,
    span_from_row,
)

if TYPE_CHECKING:
    from .base import Store

# The columns of the quotes table, which :func:`quotes` rows keep.
QUOTE_COLUMNS = (
    "article_id",
    "id",
    "speaker",
    "speaker_text",
    "text",
    "start",
    "end",
    "kind",
    "cue",
    "about",
    "component",
)
ALL = 2**62  # a limit that is no limit: every row


def use_serving(store: Store, serving: bool | None) -> bool:
    """Whether to read the serving tables: as ``serving`` says, or (None) when current."""
    return serving_ready(store) if serving is None else serving


def dumps(rows: list[dict[str, Any]]) -> str:
    """Rows as JSON text (dates and other values as their strings)."""
    return json.dumps(rows, ensure_ascii=False, default=str)


# -- SQL helpers ---------------------------------------------------------------------------------


def like_pattern(text: str) -> str:
    """A LIKE pattern that finds ``text`` anywhere, with LIKE's wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def key_matches(code: str, name: str, param: str) -> str:
    """SQL that is true when the actor value ``$param`` names this participant."""
    return f"(upper({code}) = upper(${param}) OR lower({name}) = lower(${param}))"


def named_rows(store: Store, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    cur = store.con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def side_matches(side: str, level: str, param: str) -> str:
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


def iso_dates(rows: list[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    """``rows`` with the dates under ``keys`` as ISO text (changed in place)."""
    for r in rows:
        for key in keys:
            if r.get(key) is not None and hasattr(r[key], "isoformat"):
                r[key] = r[key].isoformat()
    return rows


def _fast_side(side: str, level: str, param: str) -> str:
    """:func:`side_matches` on rp_events' precomputed columns: no join, no subquery."""
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
    ranked first and only the page's rows are read in full. Every row (``limit`` of
    :data:`ALL`, as the CLI asks) is one scan.
    """
    params = {**params, "offset": int(offset), "limit": int(limit)}
    counted = {k: v for k, v in params.items() if k not in ("offset", "limit")}
    if limit >= ALL:
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        rows = named_rows(
            store,
            f"SELECT {columns}, count(*) OVER () AS rp_total FROM {table}{clause} "
            f"ORDER BY {position} OFFSET $offset",
            {k: v for k, v in params.items() if k != "limit"},
        )
        if not rows:
            row = store.con.execute(f"SELECT count(*) FROM {table}{clause}", counted).fetchone()
            return (int(row[0]) if row else 0), rows
        total = int(rows[0]["rp_total"])
        for r in rows:
            del r["rp_total"]
        return total, rows
    if not where:
        row = store.con.execute(f"SELECT count(*) FROM {table}").fetchone()
        sql = (
            f"SELECT {columns} FROM {table} WHERE {position} > $offset "
            f"AND {position} <= $offset + $limit ORDER BY {position}"
        )
        return (int(row[0]) if row else 0), named_rows(store, sql, params)
    clause = " WHERE " + " AND ".join(where)
    # one scan finds the page's positions and counts every match (the window runs first)
    cut = named_rows(
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
    rows = named_rows(
        store,
        f"SELECT {columns} FROM {table} WHERE {position} BETWEEN $lo AND $hi "
        f"AND list_contains($found, {position}) ORDER BY {position}",
        {"lo": min(found), "hi": max(found), "found": found},
    )
    return (int(row[0]) if row else 0), rows


_EVENT_PAGE_COLUMNS = ", ".join(
    ident(c)
    for c in [
        *EVENT_COLUMNS,
        "source_key",
        "target_key",
        "source_name",
        "target_name",
        "article_title",
    ]
)


# -- events --------------------------------------------------------------------------------------


def _event_where(
    fast: bool,
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
) -> tuple[list[str], dict[str, Any]]:
    """The WHERE clauses and parameters of an events filter, over ``events e`` (live) or
    ``rp_events e`` (``fast``: the serving table, whose precomputed keys need no join)."""
    side = _fast_side if fast else side_matches
    where: list[str] = []
    params: dict[str, Any] = {}
    if actor:
        params["actor"] = actor
        where.append(f"({side('source', level, 'actor')} OR {side('target', level, 'actor')})")
    if dyad:
        params["dyad_a"], params["dyad_b"] = dyad
        forward = f"({side('source', level, 'dyad_a')} AND {side('target', level, 'dyad_b')})"
        backward = f"({side('source', level, 'dyad_b')} AND {side('target', level, 'dyad_a')})"
        where.append(forward if directed else f"({forward} OR {backward})")
    if country:
        params["country"] = country.upper()
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
        params["text"] = like_pattern(text)
        where.append("lower(e.text) LIKE $text ESCAPE '\\'")
    return where, params


def _event_filter(
    store: Store, serving: bool | None, sort: str, **filters: Any
) -> tuple[bool, list[str], dict[str, Any]]:
    """Whether to read ``rp_events``, and the WHERE clauses and parameters of ``filters``."""
    if sort not in EVENT_SORTS:
        raise StoreError(f"unknown sort {sort!r}", hint=f"choose one of {', '.join(EVENT_SORTS)}")
    level = filters.get("level", "actor")
    if level not in DYAD_LEVELS:
        raise StoreError(f"unknown level {level!r}", hint=f"choose {' or '.join(DYAD_LEVELS)}")
    fast = use_serving(store, serving)
    where, params = _event_where(fast, **filters)
    return fast, where, params


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
    limit: int | None = 50,
    serving: bool | None = None,
) -> tuple[int, list[dict[str, Any]]]:
    """One page of events matching every filter given, and how many match in all.

    ``actor`` matches the source or the target; ``dyad`` (two actor values) matches events
    between them, in either direction unless ``directed``. At ``level="actor"`` a value
    matches a participant's code or actor name (or, without an actor, its text) exactly, any
    case; at ``level="country"`` it matches the participant's country-level party as
    :func:`dyads` defines it (its ISO country, else a non-person's code). ``country`` is the
    source's or the target's ISO country. ``text`` is a case-insensitive substring of the
    sentence. ``limit=None``: every row from ``offset`` on. Each row has the stored event
    columns plus ``source_key``, ``target_key``, ``source_name``, ``target_name`` and
    ``article_title``.
    """
    fast, where, params = _event_filter(
        store,
        serving,
        sort,
        actor=actor,
        country=country,
        dyad=dyad,
        directed=directed,
        level=level,
        root=root,
        quad_class=quad_class,
        plover=plover,
        article=article,
        since=since,
        until=until,
        text=text,
    )
    limit = ALL if limit is None else limit
    if fast:
        total, rows = _page_rows(
            store,
            "rp_events e",
            _EVENT_PAGE_COLUMNS,
            where,
            params,
            EVENT_POSITIONS[sort],
            offset=offset,
            limit=limit,
        )
        return total, iso_dates(rows, "date")
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    row = store.con.execute(f"SELECT count(*) FROM events e{clause}", params).fetchone()
    total = int(row[0]) if row else 0
    params["limit"], params["offset"] = int(limit), int(offset)
    order = EVENT_SORTS[sort]
    rows = named_rows(
        store,
        f"""
        WITH page AS (
            SELECT e.* FROM events e{clause}
            ORDER BY {order} LIMIT $limit OFFSET $offset)
        SELECT e.*, {SOURCE_KEY} AS source_key, {TARGET_KEY} AS target_key,
               sa.name AS source_name, ta.name AS target_name, ar.title AS article_title
        FROM page e{EVENT_JOINS}
        LEFT JOIN articles ar ON ar.id = e.article_id
        ORDER BY {order}
        """,
        params,
    )
    return total, iso_dates(rows, "date")


def events(
    store: Store,
    *,
    sort: str = "date",
    offset: int = 0,
    limit: int | None = None,
    serving: bool | None = None,
    **filters: Any,
) -> list[dict[str, Any]]:
    """The events that :func:`search_events` finds with the same ``filters``, in the same
    order, as rows of the events table's own columns only (every row by default)."""
    fast, where, params = _event_filter(store, serving, sort, **filters)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    if fast:
        columns = ", ".join(f"e.{ident(c)}" for c in EVENT_COLUMNS)
        sql = f"SELECT {columns} FROM rp_events e{clause} ORDER BY {EVENT_POSITIONS[sort]}"
    else:
        sql = f"SELECT e.* FROM events e{clause} ORDER BY {EVENT_SORTS[sort]}"
    if limit is not None:  # a LIMIT turns DuckDB's sort into a top-N: only for real limits
        params["limit"] = int(limit)
        sql += " LIMIT $limit"
    if offset:
        params["offset"] = int(offset)
        sql += " OFFSET $offset"
    return iso_dates(named_rows(store, sql, params), "date")


def event_mentions(store: Store) -> list[dict[str, Any]]:
    """Every stored event with its article's and its actors' fields, in date order.

    Adds ``publisher``, ``article_date``, ``ingested_at``, ``in_lead`` (the event's sentence
    starts in the article's lead: an optional short headline line plus the first paragraph,
    at most 1,000 characters) and ``source_name``/``_kind``/``_sector``/``_role`` and the
    same for ``target_``.
    """
    rows = store.rows(
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


# -- actors -------------------------------------------------------------------------------------


def actor_stats(
    store: Store,
    *,
    actor: str | None = None,
    name: str | None = None,
    country: str | None = None,
    kind: str | None = None,
    offset: int = 0,
    limit: int = 50,
    serving: bool | None = None,
) -> tuple[int, list[dict[str, Any]]]:
    """Actors across articles, one row per key, most mentioned first; and how many in all.

    Where names (kinds, codes, countries) of one key are equally frequent, the one of its
    first row (by article id, then actor id) is shown.

    Each row: ``key``, the most frequent ``name``/``kind``/``code``/``country``, ``roles``
    (distinct titles), ``articles``, ``mentions``, ``as_source``, ``as_target``, ``quotes``
    (quotations spoken). ``actor`` matches a key exactly; ``name`` is a name substring.
    """
    run = _actor_stats_serving if use_serving(store, serving) else _actor_stats_live
    return run(
        store, actor=actor, name=name, country=country, kind=kind, offset=offset, limit=limit
    )


def _actor_stats_live(
    store: Store,
    *,
    actor: str | None = None,
    name: str | None = None,
    country: str | None = None,
    kind: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[int, list[dict[str, Any]]]:
    """:func:`actor_stats` from the live tables."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if actor:
        params["actor"] = actor
        where.append(key_matches("a.code", "a.name", "actor"))
    if name:
        params["name"] = like_pattern(name)
        where.append("lower(a.name) LIKE $name ESCAPE '\\'")
    if country:
        params["country"] = country
        where.append("a.country = $country")
    if kind:
        params["kind"] = kind
        where.append("a.kind = $kind")
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    keyed = f"SELECT a.*, {actor_key('a')} AS key FROM actors a{clause}"
    row = store.con.execute(
        f"SELECT count(DISTINCT key) FROM ({keyed}) WHERE key IS NOT NULL", params
    ).fetchone()
    total = int(row[0]) if row else 0
    params["limit"], params["offset"] = int(limit), int(offset)
    rows = named_rows(
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


def _actor_stats_serving(
    store: Store,
    *,
    actor: str | None = None,
    name: str | None = None,
    country: str | None = None,
    kind: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[int, list[dict[str, Any]]]:
    """:func:`actor_stats` from the serving tables: the same rows.

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
        params["name"] = like_pattern(name)
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
        source = f"({ACTOR_TOTALS.format(clause=' WHERE ' + ' AND '.join(where))})"
    counted = {k: v for k, v in params.items() if k not in ("limit", "offset")}
    rows = named_rows(
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


def actor_rows(
    store: Store,
    *,
    actor: str | None = None,
    name: str | None = None,
    country: str | None = None,
    kind: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """The actor rows of each article (its own columns and its ``mentions`` count), by
    article and id. ``actor``: a key, exactly; ``name``: a part of the name; ``country``,
    ``kind``: equal."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if actor:
        params["actor"] = actor
        where.append(key_matches("a.code", "a.name", "actor"))
    if name:
        params["name"] = like_pattern(name)
        where.append("lower(a.name) LIKE $name ESCAPE '\\'")
    if country:
        params["country"] = country.upper()
        where.append("a.country = $country")
    if kind:
        params["kind"] = kind
        where.append("a.kind = $kind")
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    params["limit"] = ALL if limit is None else int(limit)
    return named_rows(
        store,
        "SELECT a.*, (SELECT count(*) FROM mentions m WHERE m.article_id = a.article_id "
        f"AND m.actor_id = a.id) AS mentions FROM actors a{clause} "
        "ORDER BY a.article_id, a.id LIMIT $limit",
        params,
    )


def actor_mentions(
    store: Store, actor: str, *, offset: int = 0, limit: int = 50, serving: bool | None = None
) -> tuple[int, list[dict[str, Any]]]:
    """Where an actor (its key: code or name) is mentioned: article, actor id, span; and total."""
    if use_serving(store, serving):
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
    params: dict[str, Any] = {"actor": actor}
    base = (
        "FROM mentions m JOIN actors a ON a.article_id = m.article_id AND a.id = m.actor_id "
        f"WHERE {key_matches('a.code', 'a.name', 'actor')}"
    )
    row = store.con.execute(f"SELECT count(*) {base}", params).fetchone()
    params["limit"], params["offset"] = int(limit), int(offset)
    rows = named_rows(
        store,
        f'SELECT m.article_id, m.actor_id, a.name, a.role, m.text, m.start, m."end" {base} '
        'ORDER BY m.article_id, m.start, m."end" LIMIT $limit OFFSET $offset',
        params,
    )
    return (int(row[0]) if row else 0), rows


# -- quotations --------------------------------------------------------------------------------


def search_quotes(
    store: Store,
    *,
    speaker: str | None = None,
    about: str | None = None,
    article: str | None = None,
    kind: str | None = None,
    text: str | None = None,
    offset: int = 0,
    limit: int | None = 50,
    serving: bool | None = None,
) -> tuple[int, list[dict[str, Any]]]:
    """One page of quotations, and how many match in all.

    ``speaker`` matches the speaking actor's key (code or name) or the words naming the
    speaker, exactly, any case; ``about`` matches the key of an actor mentioned in the
    quotation; ``text`` is a substring of it. ``limit=None``: every row from ``offset`` on.
    Rows add ``speaker_key``, ``speaker_name`` and ``about_actors`` ([{id, name, key}]).
    """
    run = _quotes_serving if use_serving(store, serving) else _quotes_live
    return run(
        store,
        speaker=speaker,
        about=about,
        article=article,
        kind=kind,
        text=text,
        offset=offset,
        limit=ALL if limit is None else limit,
    )


def _quotes_live(
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
    """:func:`search_quotes` from the live tables."""
    where: list[str] = []
    params: dict[str, Any] = {}
    joins = " LEFT JOIN actors sp ON sp.article_id = q.article_id AND sp.id = q.speaker"
    if speaker:
        params["speaker"] = speaker
        where.append(
            f"({key_matches('sp.code', 'sp.name', 'speaker')} "
            "OR lower(q.speaker_text) = lower($speaker))"
        )
    if about:
        params["about"] = about
        where.append(
            "EXISTS (SELECT 1 FROM actors ab WHERE ab.article_id = q.article_id "
            f"AND list_contains(q.about, ab.id) AND {key_matches('ab.code', 'ab.name', 'about')})"
        )
    if article:
        params["article"] = article
        where.append("q.article_id = $article")
    if kind:
        params["kind"] = kind
        where.append("q.kind = $kind")
    if text:
        params["text"] = like_pattern(text)
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
    rows = named_rows(
        store,
        f"""
        WITH cut AS (
            SELECT q.* FROM quotes q{filter_joins}{clause}
            ORDER BY q.article_id, q.start, q.id
            LIMIT $limit OFFSET $offset),
        page AS (
            SELECT q.*, {actor_key("sp")} AS speaker_key, sp.name AS speaker_name
            FROM cut q{joins}),
        mentioned AS (
            SELECT p.article_id, p.id,
                   list({{'id': ab.id, 'name': ab.name, 'key': {actor_key("ab")}}}
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


def _quotes_serving(
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
        params["text"] = like_pattern(text)
        where.append("lower(text) LIKE $text ESCAPE '\\'")
    columns = (
        'article_id, id, speaker, speaker_text, text, start, "end", kind, cue, about, '
        "component, speaker_key, speaker_name, about_actors"
    )
    return _page_rows(store, "rp_quotes", columns, where, params, "pos", offset=offset, limit=limit)


def quotes(store: Store, **filters: Any) -> list[dict[str, Any]]:
    """Every quotation matching ``filters`` (those of :func:`search_quotes`, with ``limit``
    None by default), as rows of the quotes table's own columns, by article and position."""
    filters.setdefault("limit", None)
    _, rows = search_quotes(store, **filters)
    return [{c: r[c] for c in QUOTE_COLUMNS} for r in rows]


# -- articles ----------------------------------------------------------------------------------


def article_list(
    store: Store,
    *,
    text: str | None = None,
    offset: int = 0,
    limit: int = 50,
    serving: bool | None = None,
) -> tuple[int, list[dict[str, Any]]]:
    """Stored articles (newest first) with their counts of events, quotations and actors;
    ``text`` is a part of the title or the id."""
    run = _articles_serving if use_serving(store, serving) else _articles_live
    return run(store, text=text, offset=offset, limit=limit)


def _articles_live(
    store: Store, *, text: str | None = None, offset: int = 0, limit: int = 50
) -> tuple[int, list[dict[str, Any]]]:
    """:func:`article_list` from the live tables."""
    params: dict[str, Any] = {}
    clause = ""
    if text:
        params["text"] = like_pattern(text)
        clause = (
            " WHERE lower(coalesce(a.title, '')) LIKE $text ESCAPE '\\' "
            "OR lower(a.id) LIKE $text ESCAPE '\\'"
        )
    row = store.con.execute(f"SELECT count(*) FROM articles a{clause}", params).fetchone()
    params["limit"], params["offset"] = int(limit), int(offset)
    rows = named_rows(
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
    return (int(row[0]) if row else 0), iso_dates(rows, "date")


def _articles_serving(
    store: Store, *, text: str | None = None, offset: int = 0, limit: int = 50
) -> tuple[int, list[dict[str, Any]]]:
    """:func:`article_list` from the serving tables: the page is cut before any count is read."""
    params: dict[str, Any] = {}
    clause = ""
    if text:
        params["text"] = like_pattern(text)
        clause = (
            " WHERE lower(coalesce(a.title, '')) LIKE $text ESCAPE '\\' "
            "OR lower(a.id) LIKE $text ESCAPE '\\'"
        )
    row = store.con.execute(f"SELECT count(*) FROM articles a{clause}", params).fetchone()
    params["limit"], params["offset"] = int(limit), int(offset)
    order = "date DESC NULLS LAST, id"
    rows = named_rows(
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
    return (int(row[0]) if row else 0), iso_dates(rows, "date")


def date_range(store: Store) -> tuple[str | None, str | None]:
    """The first and last event date in the store (None when there are none)."""
    row = store.con.execute("SELECT min(date), max(date) FROM events").fetchone()
    if not row:
        return None, None
    return (
        row[0].isoformat() if row[0] is not None else None,
        row[1].isoformat() if row[1] is not None else None,
    )


# -- whole records: one article, every article, the network's inputs ---------------------------


def result(store: Store, article_id: str) -> Result:
    """Rebuild the full :class:`Result` of one stored article."""
    arts = store.rows("SELECT * FROM articles WHERE id = ?", [article_id])
    if not arts:
        raise StoreError(
            f"no article {article_id!r} in {store.path}",
            hint="list stored ids with `realpolitik events --db FILE --format json`",
        )
    article = article_from_row(arts[0])
    mentions: dict[str, list[Span]] = {}
    for m in store.rows(
        'SELECT * FROM mentions WHERE article_id = ? ORDER BY start, "end"', [article_id]
    ):
        mentions.setdefault(m["actor_id"], []).append(span_from_row(m))
    actors = [
        actor_from_row(r, mentions.get(r["id"], []))
        for r in store.rows("SELECT * FROM actors WHERE article_id = ?", [article_id])
    ]
    actors.sort(key=lambda x: id_key(x.id))
    found = [event_from_row(r) for r in events(store, article=article_id, serving=False)]
    found.sort(key=lambda e: id_key(e.id))
    said = [quote_from_row(r) for r in quotes(store, article=article_id, serving=False)]
    said.sort(key=lambda q: id_key(q.id))
    relations = [
        relation_from_row(r)
        for r in store.rows(
            "SELECT * FROM relations WHERE article_id = ? ORDER BY start, id", [article_id]
        )
    ]
    relations.sort(key=lambda r: id_key(r.id))
    errors = [
        error_from_row(r)
        for r in store.rows("SELECT * FROM errors WHERE article_id = ?", [article_id])
    ]
    return Result(
        article=article,
        actors=actors,
        events=found,
        quotes=said,
        relations=relations,
        errors=errors,
    )


def results(store: Store) -> Iterator[Result]:
    """Every stored article's full :class:`Result`, in ingest order."""
    for article_id in article_ids(store):
        yield result(store, article_id)


def analysis_results(store: Store) -> list[Result]:
    """Every stored article as a :class:`Result` for network analysis, in a few queries.

    Much faster than :meth:`Store.results` on a large store, but lighter: articles carry no
    text, actors no mentions, and quotations and errors are left out.
    """
    results: dict[str, Result] = {}
    for a in iso_dates(
        store.rows("SELECT id, date, source, title FROM articles ORDER BY id"), "date"
    ):
        results[a["id"]] = Result(article=article_from_row(a))
    for r in store.rows(f"SELECT {ACTOR_FIELDS} FROM actors ORDER BY article_id, id"):
        if r["article_id"] in results:
            results[r["article_id"]].actors.append(actor_from_row(r))
    for row in iso_dates(store.rows("SELECT * FROM events ORDER BY article_id, start, id"), "date"):
        if row["article_id"] in results:
            results[row["article_id"]].events.append(event_from_row(row))
    for r in store.rows("SELECT * FROM relations ORDER BY article_id, start, id"):
        if r["article_id"] in results:
            results[r["article_id"]].relations.append(relation_from_row(r))
    return list(results.values())


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
                yield from iso_dates([dict(zip(names, r, strict=True)) for r in batch], "date")
        finally:
            cur.close()

    actors = stream(f"SELECT {ACTOR_FIELDS} FROM actors ORDER BY article_id, id")
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
        result = Result(article=article_from_row(a))
        for r in take("actors", a["id"]):
            result.actors.append(actor_from_row(r))
        for r in take("events", a["id"]):
            result.events.append(event_from_row(r))
        for r in take("relations", a["id"]):
            result.relations.append(relation_from_row(r))
        yield result


# -- the system picture: dyads, the network, relations ------------------------------------------


def dyads(
    store: Store, *, by: str = "month", level: str = "country", serving: bool | None = None
) -> list[dict[str, Any]]:
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
    if use_serving(store, serving):
        return saved_dyads(store, by=by, level=level)
    rows = store.rows(DYADS_SQL + " ORDER BY period NULLS LAST, source, target", [by, level, level])
    for r in rows:
        if r["period"] is not None:
            r["period"] = r["period"].isoformat()
    return rows


def saved_network(store: Store, level: str) -> dict[str, Any] | None:
    """The network of ``level`` kept by :func:`prepare_serving`, or None."""
    if not store.has_table("rp_network"):
        return None
    row = store.con.execute("SELECT data FROM rp_network WHERE level = ?", [level]).fetchone()
    return json.loads(row[0]) if row else None


def saved_dyads(store: Store, *, by: str, level: str) -> list[dict[str, Any]]:
    """:meth:`Store.dyads` rows as kept by :func:`prepare_serving` (the same rows and order)."""
    rows = store.rows(
        "SELECT * EXCLUDE (unit, level) FROM rp_dyads WHERE unit = ? AND level = ? "
        "ORDER BY period NULLS LAST, source, target",
        [by, level],
    )
    return iso_dates(rows, "period")


def relations(
    store: Store, *, article: str | None = None, kind: str | None = None, limit: int | None = None
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
    return _select(store, sql, where, params, order="r.article_id, r.start, r.id", limit=limit)


# -- corpora at scale: counts, failures, exports ------------------------------------------------


def _select(
    store: Store, sql: str, where: list[str], params: list[Any], *, order: str, limit: int | None
) -> list[dict[str, Any]]:
    """Run ``sql`` with AND-ed ``where`` clauses, an order and an optional limit; every
    value travels as a parameter."""
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT ?"
        params = [*params, int(limit)]
    return store.rows(sql, params)


def article_ids(store: Store) -> list[str]:
    """Stored article ids in ingest order."""
    return [r["id"] for r in store.rows("SELECT id FROM articles ORDER BY ingested_at, id")]


def counts(store: Store) -> dict[str, int]:
    """Rows per table."""
    out = {}
    for table in ("articles", "actors", "mentions", "events", "quotes", "relations", "errors"):
        row = store.con.execute(f"SELECT count(*) FROM {table}").fetchone()
        out[table] = int(row[0]) if row else 0
    return out


def stored_hashes(store: Store) -> set[str]:
    """Content hashes of every stored article (what a resumed ingest skips)."""
    return {r[0] for r in store.con.execute("SELECT content_hash FROM articles").fetchall()}


def failures(store: Store, *, limit: int | None = None) -> list[dict[str, Any]]:
    """Articles that could not be read, coded or stored (and are not stored since)."""
    if not store.has_table("failures"):  # a store written before the table existed
        return []
    sql = (
        "SELECT article_id, stage, message, content_hash, failed_at FROM failures "
        "ORDER BY failed_at, article_id"
    )
    params: list[Any] = []
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    return store.rows(sql, params)


def table_batches(store: Store, name: str, *, flat: bool = False) -> Any:
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
    return store.con.sql(queries[name]).to_arrow_reader()
