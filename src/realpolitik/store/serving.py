"""The serving tables (``rp_*``): what the web API would otherwise recompute on every call.

:func:`prepare_serving` writes tables derived from the coded rows (per-actor-row counts, actor
totals, per-article counts, events, quotations and mentions with every filter key precomputed,
the dyad tables, and the computed network per level) together with a *stamp* of what they were
derived from. The queries (:mod:`.query`) read them only while the stamp still matches the
store (:func:`serving_ready`); any write changes the stamp, so stale tables are never served,
and the next :func:`prepare_serving` rebuilds them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .schema import DYAD_LEVELS, DYAD_PERIODS, SERVING_VERSION
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

if TYPE_CHECKING:
    from .base import Store


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
    if not store.has_table("rp_serving"):
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
       {actor_key("a")} AS key, upper(a.code) AS code_u, lower(a.name) AS name_l,
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


def _side_columns(side: str, alias: str) -> str:
    """Columns of rp_events that let a filter match one side of an event without a join:
    the code upper-cased, the actor's name and (without an actor) the text lower-cased, and
    the country-level party (as :func:`side_matches` defines it)."""
    p = side[0]
    return (
        f"upper(e.{side}_code) AS {p}_code, lower({alias}.name) AS {p}_name, "
        f"CASE WHEN e.{side}_actor IS NULL THEN lower(e.{side}_text) END AS {p}_text, "
        f"upper(e.{side}_country) AS {p}_country, "
        f"CASE WHEN coalesce(e.{side}_country, '') = '' AND NOT coalesce("
        f"{alias}.kind = 'person' AND upper({alias}.code) = upper(e.{side}_code), false) "
        f"THEN upper(e.{side}_code) END AS {p}_party"
    )


def _serving_rows() -> str:
    """SQL for the row-level serving tables: events, quotations and mentions with every
    field a page shows and every filter needs, in page order with position columns."""
    positions = ", ".join(
        f"row_number() OVER (ORDER BY {EVENT_SORTS[sort]}) AS {column}"
        for sort, column in EVENT_POSITIONS.items()
    )
    return f"""
CREATE OR REPLACE TABLE rp_events AS
WITH o AS (SELECT e.id, {positions} FROM events e),
k AS (
    SELECT e.*, {SOURCE_KEY} AS source_key, {TARGET_KEY} AS target_key,
           sa.name AS source_name, ta.name AS target_name, ar.title AS article_title,
           {_side_columns("source", "sa")}, {_side_columns("target", "ta")}
    FROM events e{EVENT_JOINS}
    LEFT JOIN articles ar ON ar.id = e.article_id)
SELECT k.*, o.* EXCLUDE (id) FROM k JOIN o ON o.id = k.id
ORDER BY o.pos_date;
CREATE OR REPLACE TABLE rp_quotes AS
WITH about AS (
    SELECT DISTINCT article_id, id, unnest(about) AS actor_id FROM quotes),
mentioned AS (
    SELECT q.article_id, q.id,
           list({{'id': ab.id, 'name': ab.name, 'key': {actor_key("ab")}}}
                ORDER BY ab.id) AS about_actors,
           list(upper(ab.code)) FILTER (WHERE ab.code IS NOT NULL) AS about_codes,
           list(lower(ab.name)) FILTER (WHERE ab.name IS NOT NULL) AS about_names
    FROM about q JOIN actors ab ON ab.article_id = q.article_id AND ab.id = q.actor_id
    GROUP BY q.article_id, q.id)
SELECT q.*, {actor_key("sp")} AS speaker_key, sp.name AS speaker_name,
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
    totals = ACTOR_TOTALS.format(clause=" WHERE " + " AND ".join(where))
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
        totals = ACTOR_TOTALS.format(clause=" WHERE a.key IS NOT NULL")
        con.execute(
            _AGGREGATES.replace("{TOTALS}", totals).replace("{SERVING_ROWS}", _serving_rows())
        )
        for level, network in data.items():
            con.execute("INSERT INTO rp_network VALUES (?, ?)", [level, json.dumps(network)])
        for by in DYAD_PERIODS:
            for level in DYAD_LEVELS:
                con.execute(
                    f"INSERT INTO rp_dyads SELECT ?, ?, * FROM ({DYADS_SQL}) "
                    "ORDER BY period NULLS LAST, source, target",
                    [by, level, by, level, level],
                )
        con.execute("INSERT INTO rp_serving VALUES (?, current_timestamp)", [stamp])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return True
